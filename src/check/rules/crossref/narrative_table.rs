//! A figure in the text names a table column but matches none of its values.
//!
//! ## What it flags
//! An amount in running text introduced by the name of a column of a table in the same
//! document (`支出合计1,472.52万元` and a table with a 支出合计 column) that equals no figure
//! of any table, within rounding — a table in another money unit converted to the text's
//! (`基本支出1,983.07万元` is a table's 19,830,655.00 in 元; `19,830,655.00万元` is a 元/万元
//! slip). The text may speak of any
//! row (the whole department, one unit, one project) and may borrow another table's figure,
//! so only a figure found nowhere is flagged; the finding lists the named column's figures.
//!
//! ## Why it matters
//! The narrative is what readers quote. When it states a 支出合计 the form does not contain,
//! one of them is wrong — or the text covers a different scope (only 一般公共预算, say) without
//! saying so. Either way an auditor has to look.
//!
//! ## Example
//! Seed 000 (湘西 2021): the text says `支出合计1,472.52万元，其中基本支出828.93万元，项目支出
//! 643.59万元`; the form's 支出合计 column holds 1,478.93 (汇总), 1,329.63 and 149.30 and its
//! 基本支出 830.35, 681.05 and 149.30 — 1,472.52 and 828.93 are flagged (warnings). 643.59 is
//! not: it is the project table's 合计.
//!
//! ## 中文
//!
//! 正文中的数字冠以某表的列名，却与该列任何数值都不相符。
//!
//! ### 检查内容
//! 正文中以同一文档某表列名引出的金额（`支出合计1,472.52万元`，而某表设有支出合计列），
//! 在四舍五入范围内不等于任何一张表的任何数字——以其他货币单位编制的表先换算为正文的单位
//! （`基本支出1,983.07万元` 即以元编制之表中的 19,830,655.00；`19,830,655.00万元` 则是元与
//! 万元之误）。正文所述
//! 可能是任意一行（整个部门、某一单位、某一项目），也可能引用另一张表的数字，因此只有
//! 各表中都找不到的数字才予标出；发现中列出所述列的全部数字。
//!
//! ### 为何重要
//! 读者引用的是文字叙述。正文所称的支出合计在报表中并不存在时，二者必有一处有误——或者
//! 正文所述口径不同（例如仅为一般公共预算）却未加说明。无论哪种情况，审计人员都须核查。
//!
//! ### 示例
//! seed 000（湘西 2021）：正文称
//! `支出合计1,472.52万元，其中基本支出828.93万元，项目支出643.59万元`；报表的支出合计
//! 列为 1,478.93（汇总）、1,329.63 和 149.30，基本支出列为 830.35、681.05 和 149.30——
//! 1,472.52 和 828.93 予以标出（警告）。643.59 不标出：它是项目表的合计数。

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::check::arithmetic::{classify_difference, placed_cell, show, Context, Placed};
use crate::check::{Class, Finding, Involved, Rule, Settings};
use crate::extract::{Extraction, TextFigure};
use crate::lang::Lang;
use crate::recognize::number::{money_ratio, Kind};
use crate::recognize::table::{squeeze, CellRef};
use crate::vocabulary::Words;

/// The figures of a unit's tables ([`unit_tables`]) and their distinct column names.
type UnitFigures<'a> = (Vec<(String, bool, Placed<'a>)>, Vec<String>);

/// The figures of every table stated in `unit`, in another money unit (converted to `unit`:
/// a table in 元 against a text in 万元) or in no unit, with the names of their columns and
/// whether the table states its unit.
fn unit_tables<'a>(
    x: &'a Extraction,
    ctx: &Context,
    unit: &str,
) -> Vec<(String, bool, Placed<'a>)> {
    let mut out = Vec::new();
    let ratio = |region_unit: Option<&str>| match region_unit {
        None => Some(Decimal::ONE),
        Some(u) if u == unit => Some(Decimal::ONE),
        Some(u) => money_ratio(u, unit),
    };
    for region in &x.tables {
        let Some(ratio) = ratio(region.unit.as_deref()) else {
            continue;
        };
        let region_unit = region.unit.as_deref().unwrap_or(unit);
        let stated = region.unit.is_some();
        // Column names by column, squeezed once per region.
        let names: Vec<(usize, String)> = region
            .columns
            .iter()
            .map(|c| (c.col, squeeze(region.column_name(c.col)).into_owned()))
            .collect();
        for row in &region.rows {
            for cell in &row.cells {
                let unit_fits = cell
                    .number
                    .as_ref()
                    .is_some_and(|n| n.unit.as_deref().is_none_or(|u| u == region_unit));
                if !unit_fits {
                    continue;
                }
                let at = CellRef {
                    table: region.table,
                    row: row.row,
                    col: cell.col,
                };
                let Some(mut p) = placed_cell(x, ctx, &at) else {
                    continue;
                };
                if ratio != Decimal::ONE {
                    let (Some(value), Some(half)) = (
                        p.approx.value.checked_mul(ratio),
                        p.approx.half.checked_mul(ratio),
                    ) else {
                        continue;
                    };
                    p.approx.value = value;
                    p.approx.half = half;
                }
                let name = names
                    .iter()
                    .find(|(c, _)| *c == cell.col)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default();
                out.push((name, stated, p));
            }
        }
    }
    out
}

/// The longest column name the words before the figure end with (`支出合计` in
/// `本单位支出合计`), ignoring a trailing `为`, `达`, `是`, `共`, `约`.
fn named_column<'t>(lead: &str, names: impl Iterator<Item = &'t String>) -> Option<&'t String> {
    let lead = squeeze(lead);
    let copulas = &crate::vocabulary::common().words.copulas;
    let mut lead: &str = &lead;
    while let Some(rest) = copulas.iter().find_map(|c| lead.strip_suffix(c.as_str())) {
        lead = rest;
    }
    let words = &crate::vocabulary::common().words;
    let name = names
        .filter(|n| n.chars().count() >= 2 && lead.ends_with(n.as_str()))
        .max_by_key(|n| n.chars().count())?;
    // A bare 合计 or 金额 names no quantity (涉及财政性资金合计 5,086 万元 is no table's 合计), and
    // 增加基本支出 844.15 万元 is a change, not the 基本支出.
    let before = &lead[..lead.len() - name.len()];
    let unnamed = Words::is_only(&words.total, name) || Words::is_only(&words.amount_only, name);
    let change = words.change.iter().any(|w| before.ends_with(w.as_str()));
    (!unnamed && !change).then_some(name)
}

fn finding(
    rule: &Rule,
    figure: &TextFigure,
    name: &str,
    column: &[Placed<'_>],
    lang: Lang,
) -> Finding {
    // A figure of a table in another money unit is shown with its value in the text's unit.
    let unit = figure.number.unit.as_deref().unwrap_or("");
    let values: Vec<String> = column
        .iter()
        .map(|p| {
            if p.approx.value == p.number.value {
                p.number.raw.trim().to_string()
            } else {
                format!("{} (= {}{unit})", p.number.raw.trim(), show(p.approx.value))
            }
        })
        .collect();
    let mut involved = vec![Involved {
        role: "text",
        label: name.to_string(),
        raw: figure.number.raw.clone(),
        at: figure.at.clone(),
        document: None,
    }];
    involved.extend(column.iter().map(|p| p.involved("table")));
    let message = rule.say(
        lang,
        &[
            ("name", &name),
            ("stated", &figure.number.raw.trim()),
            ("values", &values.join(", ")),
        ],
    );
    Finding::new(Some(Class::Material), message, figure.at.clone(), involved).figures(
        Some(figure.number.value.to_string()),
        Some(show(column[0].approx.value)),
        Some(show(column[0].approx.value - figure.number.value)),
    )
}

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    // The table figures of each unit, gathered once per unit rather than once per text figure.
    let mut by_unit: HashMap<&str, UnitFigures<'_>> = HashMap::new();
    for figure in &x.figures {
        let n = &figure.number;
        let (Kind::Money, Some(unit), None) = (n.kind, n.unit.as_deref(), n.comparator) else {
            continue;
        };
        let (figures, names) = by_unit.entry(unit).or_insert_with(|| {
            let figures = unit_tables(x, ctx, unit);
            // The names of the columns whose table states the unit, each once.
            let mut names: Vec<String> = figures
                .iter()
                .filter(|(_, stated, _)| *stated)
                .map(|(name, _, _)| name.clone())
                .collect();
            names.sort_unstable();
            names.dedup();
            (figures, names)
        });
        let Some(name) = named_column(&figure.lead, names.iter()) else {
            continue;
        };
        let stated = ctx.text(n);
        let found = figures.iter().any(|(_, _, p)| {
            classify_difference(p.approx.value - stated.value, p.approx.half + stated.half)
                != Class::Material
        });
        if !found {
            let column: Vec<Placed<'_>> = figures
                .iter()
                .filter(|(c, u, _)| *u && c == name)
                .map(|(_, _, p)| p.clone())
                .collect();
            out.push(finding(rule, figure, name, &column, settings.lang));
        }
    }
    out
}
