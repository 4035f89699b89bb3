//! A score that a rate determines differs from 分值 × the rate.
//!
//! ## What it flags
//! Rows of a table with 分值 and 得分 / 自评得分 columns where the score is the points times a
//! rate: the row's 执行率 column (funds rows of a 项目支出绩效自评表), or, for an indicator
//! named `…执行率` or `…到位率`, its 实际完成值 when that is a percentage. The score must equal
//! 分值 × rate within the rounding of the figures as written (XBRL-style intervals, the
//! score's decimals taken from its column).
//!
//! ## Why it matters
//! These scores are formulas, not judgements: full points for 100 %, proportionally less
//! below. A full score for a partly spent budget inflates the total and can lift the grade.
//!
//! ## Example
//! Seed 003 附件1: 年度资金总额 分值 10, 执行率 94.97 %, 自评得分 9.5 — 10 × 94.97 % = 9.497
//! rounds to 9.5 (a rounding note, not an error). 自评得分 10 would be flagged (difference
//! 0.503).
//!
//! ## 中文
//!
//! 由比率决定的得分，不等于分值 × 该比率。
//!
//! ### 检查内容
//! 设有分值列和得分 / 自评得分列的表中，得分为分值乘以某一比率的行：比率取本行的执行率
//! 列（项目支出绩效自评表中的资金行）；指标名称为 `…执行率` 或 `…到位率` 且其实际完成值
//! 为百分数的，取该实际完成值。得分须在所填数字的舍入范围内等于分值 × 比率（采用
//! XBRL 式的区间算法，得分的小数位数按其所在列确定）。
//!
//! ### 为何重要
//! 这类得分由公式算出，而非主观评判：执行率 100% 得满分，不足 100% 按比例递减。预算未
//! 执行完却给满分，会抬高总分，甚至抬高评价等次。
//!
//! ### 示例
//! seed 003 附件1：年度资金总额 分值 10，执行率 94.97 %，自评得分 9.5——10 × 94.97 % =
//! 9.497，四舍五入为 9.5（仅作四舍五入提示，不是错误）。自评得分若为 10，则予以标出
//! （差额 0.503）。

use rust_decimal::Decimal;

use super::above_points::points_and_score;
use crate::check::arithmetic::{classify_difference, placed_in, show, show_at, Context};
use crate::check::{Class, Finding, Rule, Settings};
use crate::extract::Extraction;
use crate::recognize::number::Kind;
use crate::vocabulary::Role;

pub fn check(rule: &Rule, x: &Extraction, ctx: &Context, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    let roles = settings.roles(x);
    for region in &x.tables {
        let Some((pc, sc)) = points_and_score(region, roles) else {
            continue;
        };
        let rate_col = region.column_for(roles, Role::Rate);
        let actual_col = region.column_for(roles, Role::Actual);
        for row in &region.rows {
            let cell = |col: usize| placed_in(x, ctx, region, row.row, col);
            let rate_named = roles.matches(Role::Rate, &row.label);
            let rate = rate_col
                .and_then(cell)
                .or_else(|| actual_col.filter(|_| rate_named).and_then(cell))
                .filter(|r| r.number.kind == Kind::Percent && r.number.comparator.is_none());
            let (Some(rate), Some(points), Some(score)) = (rate, cell(pc), cell(sc)) else {
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
