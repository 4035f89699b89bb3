//! A score that a rate determines differs from 分值 × the rate.
//!
//! ## What it flags
//! Rows of a table with 分值 and 得分 / 自评得分 columns where the score is the points times a
//! rate: the row's 执行率 column (funds rows of a 项目支出绩效自评表), or, for an indicator
//! named `…执行率` or `…到位率`, its 实际完成值 when that is a percentage; for a rubric row so named
//! with neither (`预算执行率 | 4 | … | 3.8`), the document's own rate of that name, from a
//! funds table (a rate column beside a budget or an executed one). The score must equal
//! 分值 × rate within the rounding of the figures as written (XBRL-style intervals, the
//! score's decimals taken from its column).
//!
//! An indicator row with no rate whose actual value misses its target (as JX501 reads them),
//! and whose score differs beyond rounding from the one the common proportional rule gives
//! (actual ÷ target × 分值, or target ÷ actual for a ceiling, `≤60日`), is shown beside it at
//! info, since a form may score by another rule.
//!
//! ## Why it matters
//! These scores are formulas, not judgements: full points for 100 %, proportionally less
//! below. A full score for a partly spent budget inflates the total and can lift the grade.
//!
//! ## Example
//! Seed 003 附件1: 年度资金总额 分值 10, 执行率 94.97 %, 自评得分 9.5 — 10 × 94.97 % = 9.497
//! rounds to 9.5 (a rounding note, not an error). 自评得分 10 would be flagged (difference
//! 0.503). `倾斜支持省级重点帮扶县数 | 15个 | 12个 | 3 | 2`: 12 ÷ 15 × 3 = 2.4 beside the 2 (info).
//!
//! ## 中文
//!
//! 由比率决定的得分，不等于分值 × 该比率。
//!
//! ### 检查内容
//! 设有分值列和得分 / 自评得分列的表中，得分为分值乘以某一比率的行：比率取本行的执行率
//! 列（项目支出绩效自评表中的资金行）；指标名称为 `…执行率` 或 `…到位率` 且其实际完成值
//! 为百分数的，取该实际完成值；评分表中如此命名而两者皆无的行（`预算执行率 | 4 | … | 3.8`），
//! 取文档资金表（与预算数或执行数列并列的比率列）中同名的比率。得分须在所填数字的舍入范围内等于分值 × 比率（采用
//! XBRL 式的区间算法，得分的小数位数按其所在列确定）。
//!
//! 无比率的指标行，其实际完成值未达到目标值的（读法与 JX501 相同），以提示级别列出常见的
//! 按比例计分结果，与所填得分并列：实际值 ÷ 目标值 × 分值；上限型指标（`≤60日`）为目标值 ÷
//! 实际值 × 分值。因为表格也可能采用其他计分办法。
//!
//! ### 为何重要
//! 这类得分由公式算出，而非主观评判：执行率 100% 得满分，不足 100% 按比例递减。预算未
//! 执行完却给满分，会抬高总分，甚至抬高评价等次。
//!
//! ### 示例
//! seed 003 附件1：年度资金总额 分值 10，执行率 94.97 %，自评得分 9.5——10 × 94.97 % =
//! 9.497，四舍五入为 9.5（仅作四舍五入提示，不是错误）。自评得分若为 10，则予以标出
//! （差额 0.503）。`倾斜支持省级重点帮扶县数 | 15个 | 12个 | 3 | 2`：按比例为 12 ÷ 15 × 3 = 2.4，
//! 与所填 2 并列（提示）。

use rust_decimal::Decimal;

use super::above_points::points_and_score;
use crate::check::arithmetic::{
    classify_difference, funds_rate, placed_in, show, show_at, Context, Placed,
};
use crate::check::rules::indicators::target_unmet::{met, pair_involved, pairs};
use crate::check::{Class, Finding, Rule, Settings, Severity};
use crate::extract::Extraction;
use crate::lang::Lang;
use crate::recognize::number::{Comparator, Kind, Number};
use crate::recognize::table::{Region, Row, TypedCell};
use crate::vocabulary::Role;

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    let roles = settings.roles(x);
    for region in &x.tables {
        let Some((pc, sc)) = points_and_score(region, roles) else {
            continue;
        };
        let rate_col = region.column_for(roles, Role::Rate);
        let targets = pairs(region, roles);
        let actual_col = region.column_for(roles, Role::Actual);
        for row in &region.rows {
            let cell = |col: usize| placed_in(x, ctx, region, row.row, col);
            let rate_named = roles.matches(Role::Rate, &row.label);
            let rate = rate_col
                .and_then(cell)
                .or_else(|| actual_col.filter(|_| rate_named).and_then(cell))
                // A rubric row (预算执行率 | 4 | … | 3.8) scores the document's own rate.
                .or_else(|| {
                    (rate_named && rate_col.is_none() && actual_col.is_none())
                        .then(|| funds_rate(x, ctx, roles, region, &row.label))
                        .flatten()
                })
                .filter(|r| r.number.kind == Kind::Percent && r.number.comparator.is_none());
            let (Some(points), Some(score)) = (cell(pc), cell(sc)) else {
                continue;
            };
            let Some(rate) = rate else {
                let pair = targets.iter().find(|(r, ..)| r.row == row.row);
                if let Some(f) =
                    pair.and_then(|p| proportional(rule, region, p, &points, &score, settings.lang))
                {
                    out.push(f);
                }
                continue;
            };
            // Points are exact; the rate and the score are rounded to their decimals.
            let hundred = Decimal::from(100);
            let expected = points.approx.value * rate.approx.value / hundred;
            let slack = score.approx.half + points.approx.value * rate.approx.half / hundred;
            let diff = expected - score.approx.value;
            let class = classify_difference(diff, slack);
            if class == Class::Exact {
                continue;
            }
            let message = rule.say(
                settings.lang,
                &[
                    ("item", &score.label),
                    ("score", &score.number.raw.trim()),
                    ("points", &points.number.raw.trim()),
                    ("rate", &rate.number.raw.trim()),
                    ("computed", &show(expected.round_dp(4))),
                ],
            ) + &if class == Class::Rounding {
                settings.lang.say("rounding", &[])
            } else {
                String::new()
            };
            let involved = vec![
                score.involved("score"),
                points.involved("points"),
                rate.involved("rate"),
            ];
            out.push(
                Finding::new(Some(class), message, score.at.clone(), involved).figures(
                    Some(show_at(score.approx.value, score.approx.scale)),
                    Some(show(expected.round_dp(4))),
                    Some(show(diff.round_dp(4))),
                ),
            );
        }
    }
    out
}

/// An indicator row whose actual value misses its target: the score the common proportional
/// rule gives (actual ÷ target × 分值, or target ÷ actual for a ceiling such as `≤5%`), shown
/// beside the stated one at info, since a form may score by another rule.
fn proportional(
    rule: &Rule,
    region: &Region,
    (row, tcell, target, acell, actual): &(&Row, &TypedCell, &Number, &TypedCell, &Number),
    points: &Placed<'_>,
    score: &Placed<'_>,
    lang: Lang,
) -> Option<Finding> {
    if met(target, actual) != Some(false) {
        return None;
    }
    let (a, t) = (actual.base_value, target.base_value);
    let (ratio, over) = match target.comparator.unwrap_or(Comparator::Ge) {
        Comparator::Ge | Comparator::Gt if !t.is_zero() => (a / t, [actual, target]),
        Comparator::Le | Comparator::Lt if !a.is_zero() && !t.is_zero() => {
            (t / a, [target, actual])
        }
        _ => return None,
    };
    let expected = points.approx.value * ratio.max(Decimal::ZERO);
    let diff = expected - score.approx.value;
    if classify_difference(diff, score.approx.half) != Class::Material {
        return None;
    }
    let [numerator, denominator] = over.map(|n| show(n.value));
    let values: [(&str, &dyn std::fmt::Display); 6] = [
        ("item", &score.label),
        ("score", &score.number.raw.trim()),
        ("numerator", &numerator),
        ("denominator", &denominator),
        ("points", &points.number.raw.trim()),
        ("computed", &show(expected.round_dp(4))),
    ];
    let message = rule.say_part(lang, "proportional", &values);
    let mut involved = vec![score.involved("score"), points.involved("points")];
    involved.extend(pair_involved(region, row, tcell, target, acell, actual));
    Some(
        Finding::new(None, message, score.at.clone(), involved)
            .figures(
                Some(show_at(score.approx.value, score.approx.scale)),
                Some(show(expected.round_dp(4))),
                Some(show(diff.round_dp(4))),
            )
            .at_severity(Severity::Info),
    )
}
