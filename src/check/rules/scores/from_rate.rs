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

use rust_decimal::Decimal;

use super::above_points::points_and_score;
use crate::check::arithmetic::{classify_difference, placed_in, show, show_at, Context};
use crate::check::{Class, Finding, Settings, Severity};
use crate::extract::Extraction;
use crate::recognize::number::Kind;

pub fn check(x: &Extraction, ctx: &Context, _: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    for region in &x.tables {
        let Some((pc, sc)) = points_and_score(region) else {
            continue;
        };
        let rate_col = region.column_named(&["执行率", "全年执行率", "预算执行率"]);
        let actual_col = region.column_named(&["实际完成值", "全年实际完成值"]);
        for row in &region.rows {
            let cell = |col: usize| placed_in(x, ctx, region, row.row, col);
            let rate_named = ["执行率", "到位率"].iter().any(|w| row.label.ends_with(w));
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
            let rounding = class == Class::Rounding;
            out.push(Finding {
                code: "JX304",
                rule: "score-from-rate",
                severity: if rounding {
                    Severity::Info
                } else {
                    Severity::Warning
                },
                class: Some(class),
                message: format!(
                    "{} scores {}, but 分值 {} × {} = {}{}",
                    score.label,
                    score.number.raw.trim(),
                    points.number.raw.trim(),
                    rate.number.raw.trim(),
                    show(expected.round_dp(4)),
                    if rounding {
                        "; rounding explains it"
                    } else {
                        ""
                    }
                ),
                stated: Some(show_at(score.approx.value, score.approx.scale)),
                computed: Some(show(expected.round_dp(4))),
                difference: Some(show(diff.round_dp(4))),
                at: score.at.clone(),
                involved: vec![
                    score.involved("score"),
                    points.involved("points"),
                    rate.involved("rate"),
                ],
                fingerprint: String::new(),
            });
        }
    }
    out
}
