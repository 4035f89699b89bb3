//! An indicator loses points without a reason or though its target was met, or keeps them
//! though its target was missed.
//!
//! ## What it flags
//! In an indicator table with 分值 and 得分 columns, each row scored below its points: when its
//! 偏差原因 cell (偏差原因分析及改进措施 …) is empty — the form asks why points were lost — and
//! when its actual value meets its target (≥, ≤, = read as JX501 reads them), so that nothing
//! in the row explains the deduction. And each row given all its points whose actual value
//! misses its target, or whose 偏差原因 says the target was missed (`[words] missed`: 未完成,
//! 未达到 …): a missed target the score does not show.
//!
//! ## Why it matters
//! A deduction is a judgement the form must explain; an unexplained one, or one on a target
//! the row says was met, cannot be checked by anyone reading the report.
//!
//! ## Example
//! Seed 003: `一年以内资金执行率 | 100.00% | 94.97% | 2 | 1.9 |` with an empty 偏差原因分析及改进
//! 措施: a warning (the target was missed, but nothing says so). `≥580万人 | 600万人 | 3 | 3`:
//! full score, nothing to explain. `一年以内资金执行率 | 100.00% | 94.97% | 2 | 2 |`: full points for
//! a missed target, a warning.
//!
//! ## 中文
//!
//! 指标扣分而未说明原因，或目标已达成却被扣分，或目标未达成却得满分。
//!
//! ### 检查内容
//! 设有分值列和得分列的指标表中，得分低于分值的各行：其偏差原因单元格（偏差原因分析及改进
//! 措施等）为空的——表格要求说明扣分原因；以及其实际值已达到目标值的（≥、≤、= 的读法与
//! JX501 相同）——该行没有任何内容能解释扣分。以及得满分的各行：其实际值未达到目标值，
//! 或其偏差原因称目标未达成（`[words] missed`：未完成、未达到……）——得分未反映未达成的目标。
//!
//! ### 为何重要
//! 扣分是须在表中说明的判断；未加说明的扣分，或对已达成目标的扣分，读者无从核对。
//!
//! ### 示例
//! seed 003：`一年以内资金执行率 | 100.00% | 94.97% | 2 | 1.9 |`，偏差原因分析及改进措施为空：
//! 警告（目标未达成，但未作说明）。`≥580万人 | 600万人 | 3 | 3`：满分，无需说明。
//! `一年以内资金执行率 | 100.00% | 94.97% | 2 | 2 |`：目标未达成却得满分，警告。

use super::target_unmet::{cell_at, met, pairs};
use crate::check::arithmetic::Context;
use crate::check::{Class, Finding, Involved, Rule, Settings};
use crate::extract::Extraction;
use crate::vocabulary::{common, Role};

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    let roles = settings.roles(x);
    let mut out = Vec::new();
    for region in &x.tables {
        let col = |role: Role| region.column_for(roles, role);
        let (Some(pc), Some(sc)) = (col(Role::Points), col(Role::Score)) else {
            continue;
        };
        let reason_col = col(Role::DeviationReason);
        let targets = pairs(region, roles);
        for row in &region.rows {
            let cell = |c: usize| row.cells.iter().find(|cell| cell.col == c);
            let (Some(points_cell), Some(score_cell)) = (cell(pc), cell(sc)) else {
                continue;
            };
            let (Some(points), Some(score)) = (&points_cell.number, &score_cell.number) else {
                continue;
            };
            if score.value > points.value || row.total {
                continue;
            }
            let values = [
                ("indicator", &row.label as &dyn std::fmt::Display),
                ("score", &score.raw.trim()),
                ("points", &points.raw.trim()),
            ];
            let target = targets.iter().find(|(r, ..)| r.row == row.row);
            let met_target = target.and_then(|(_, _, t, _, a)| met(t, a));
            let reason = reason_col.and_then(cell).map_or("", |c| c.text.trim());
            let says_missed = common().words.says_missed(reason);
            let message = if score.value == points.value {
                // Full points: only a missed target wants a deduction.
                match (met_target, says_missed) {
                    (Some(false), _) => rule.say_part(settings.lang, "unmet", &values),
                    (None, true) => rule.say_part(settings.lang, "missed", &values),
                    _ => continue,
                }
            } else {
                match (met_target, reason_col.is_some() && reason.is_empty()) {
                    (Some(true), _) => rule.say_part(settings.lang, "met", &values),
                    (_, true) => rule.say(settings.lang, &values),
                    _ => continue,
                }
            };
            let involved = [
                ("score", score_cell, score),
                ("points", points_cell, points),
            ]
            .into_iter()
            .map(|(role, c, n)| Involved {
                document: None,
                role,
                label: row.label.clone(),
                raw: n.raw.trim().to_string(),
                at: cell_at(region, row, c),
            })
            .collect();
            out.push(
                Finding::new(
                    Some(Class::Material),
                    message,
                    cell_at(region, row, score_cell),
                    involved,
                )
                .figures(
                    Some(crate::check::arithmetic::show(score.value)),
                    Some(crate::check::arithmetic::show(points.value)),
                    Some(crate::check::arithmetic::show(points.value - score.value)),
                ),
            );
        }
    }
    out
}
