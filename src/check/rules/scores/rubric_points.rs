//! The points a rubric's text awards do not add up to the item's 分值.
//!
//! ## What it flags
//! In a scoring table with a 分值 column and a text column (指标说明, 评分标准, 评分细则 …),
//! each item's criteria state their points (`…计1分；基本符合计0.5分；不符合计0分`). The
//! most a criterion can award is its largest `计X分` or `得X分` (the upper end of `得1-2分`);
//! the item's criteria (the rows its 分值
//! cell covers) must add up to its 分值. Items whose text states no `计…分` are skipped.
//!
//! ## Why it matters
//! A rubric that can award more (or less) than the item's points cannot produce the stated
//! maximum, so scores computed from it are off before anyone scores anything.
//!
//! ## Example
//! Seed 003 附件4: 立项程序规范性, 分值 3, criteria ① 计1分 ② 计1分 ③ 计1分 — consistent. A
//! 分值 of 4 for the same three criteria is flagged (stated 4, computed 3).
//!
//! ## 中文
//!
//! 评分标准文字所给分数之和，不等于该项的分值。
//!
//! ### 检查内容
//! 设有分值列和文字列（指标说明、评分标准、评分细则……）的评分表中，各项的评分标准写明
//! 了分数（`…计1分；基本符合计0.5分；不符合计0分`）。一条标准最多可给的分数，取其中最大
//! 的 `计X分` 或 `得X分`（`得1-2分` 取上限）；一项的各条标准（即其分值单元格所覆盖的
//! 各行）相加，应等于该项分值。文字中未写明 `计…分` 的项目不予检查。
//!
//! ### 为何重要
//! 评分标准可给的分数多于（或少于）该项分值，就不可能恰好得出所定的满分；据此计算的
//! 得分，在打分之前就已出错。
//!
//! ### 示例
//! seed 003 附件4：立项程序规范性，分值 3，评分标准 ① 计1分 ② 计1分 ③ 计1分——一致。
//! 同样三条标准而分值为 4 的，予以标出（填报 4，计算 3）。

use rust_decimal::Decimal;

use crate::check::arithmetic::{placed_cell, show, Context, Placed};
use crate::check::{Class, Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::lang::Lang;
use crate::recognize::number::{scan, Kind};
use crate::recognize::table::{CellRef, Region};
use crate::vocabulary::{common, Role, Roles};

/// The largest score a criterion's text awards (`计X分` / `得X分`: the vocabulary's `awards`).
fn criterion_points(text: &str) -> Option<Decimal> {
    let awards = &common().words.awards;
    scan(text)
        .into_iter()
        .filter(|n| {
            n.kind == Kind::Score && n.qualifiers.iter().any(|q| awards.iter().any(|a| a == q))
        })
        .map(|n| n.upper.unwrap_or(n.value))
        .max()
}

fn finding(
    rule: &Rule,
    item: &Placed<'_>,
    criteria: &[(Decimal, String)],
    sum: Decimal,
    lang: Lang,
) -> Finding {
    let terms: Vec<String> = criteria.iter().map(|(p, _)| show(*p)).collect();
    let message = rule.say(
        lang,
        &[
            ("item", &item.label),
            ("points", &item.number.raw.trim()),
            ("terms", &terms.join(" + ")),
            ("sum", &show(sum)),
        ],
    );
    let involved = vec![item.involved("points")];
    Finding::new(Some(Class::Material), message, item.at.clone(), involved).figures(
        Some(show(item.approx.value)),
        Some(show(sum)),
        Some(show(sum - item.approx.value)),
    )
}

fn region_findings(
    rule: &Rule,
    x: &Extraction,
    ctx: &Context,
    region: &Region,
    roles: &Roles,
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    let (Some(pc), Some(tc)) = (
        region.column_for(roles, Role::Points),
        region.column_for(roles, Role::Rubric),
    ) else {
        return;
    };
    // Each 分值 cell opens an item; rows without one are more criteria of the item above.
    let mut items: Vec<(CellRef, Vec<(Decimal, String)>)> = Vec::new();
    for row in &region.rows {
        if row.cells.iter().any(|c| c.col == pc && c.number.is_some()) {
            items.push((
                CellRef {
                    table: region.table,
                    row: row.row,
                    col: pc,
                },
                Vec::new(),
            ));
        }
        let (Some(item), Some(text)) = (
            items.last_mut(),
            row.cells.iter().find(|c| c.col == tc).map(|c| &c.text),
        ) else {
            continue;
        };
        if let Some(points) = criterion_points(text) {
            item.1.push((points, text.clone()));
        }
    }
    for (cell, criteria) in items.iter().filter(|(_, c)| !c.is_empty()) {
        let Some(item) = placed_cell(x, ctx, cell) else {
            continue;
        };
        let sum: Decimal = criteria.iter().map(|(p, _)| *p).sum();
        if sum != item.approx.value {
            out.push(finding(rule, &item, criteria, sum, lang));
        }
    }
}

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    for region in &x.tables {
        region_findings(
            rule,
            x,
            ctx,
            region,
            settings.roles(x),
            settings.lang,
            &mut out,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_criterion_awards_its_largest_ji_points() {
        let p = |s: &str| criterion_points(s).map(|d| d.to_string());
        assert_eq!(
            p("①立项符合国家相关法律法规；计1分；基本符合计0.5分；不符合计0分。").as_deref(),
            Some("1")
        );
        assert_eq!(
            p("③可量化指标3个以上，计0.5分；低于3个计0.25分；1个及以下计0分。").as_deref(),
            Some("0.5")
        );
        assert_eq!(p("资金到位率=（实际到位资金/预算资金）×100%。"), None);
        assert_eq!(p("每发现1例不合理扣0.5分"), None);
        assert_eq!(
            p("…如预期得3分；入驻情况50%以上得2分；在建状态视完成比例得1-2分；无法达到预期计0分。").as_deref(),
            Some("3")
        );
    }
}
