//! An indicator loses points without a reason, or loses them though its target was met.
//!
//! ## What it flags
//! In an indicator table with 分值 and 得分 columns, each row scored below its points: when its
//! 偏差原因 cell (偏差原因分析及改进措施 …) is empty — the form asks why points were lost — and
//! when its actual value meets its target (≥, ≤, = read as JX501 reads them), so that nothing
//! in the row explains the deduction.
//!
//! ## Why it matters
//! A deduction is a judgement the form must explain; an unexplained one, or one on a target
//! the row says was met, cannot be checked by anyone reading the report.
//!
//! ## Example
//! Seed 003: `一年以内资金执行率 | 100.00% | 94.97% | 2 | 1.9 |` with an empty 偏差原因分析及改进
//! 措施: a warning (the target was missed, but nothing says so). `≥580万人 | 600万人 | 3 | 3`:
//! full score, nothing to explain.
//!
//! ## 中文
//!
//! 指标扣分而未说明原因，或目标已达成却被扣分。
//!
//! ### 检查内容
//! 设有分值列和得分列的指标表中，得分低于分值的各行：其偏差原因单元格（偏差原因分析及改进
//! 措施等）为空的——表格要求说明扣分原因；以及其实际值已达到目标值的（≥、≤、= 的读法与
//! JX501 相同）——该行没有任何内容能解释扣分。
//!
//! ### 为何重要
//! 扣分是须在表中说明的判断；未加说明的扣分，或对已达成目标的扣分，读者无从核对。
//!
//! ### 示例
//! seed 003：`一年以内资金执行率 | 100.00% | 94.97% | 2 | 1.9 |`，偏差原因分析及改进措施为空：
//! 警告（目标未达成，但未作说明）。`≥580万人 | 600万人 | 3 | 3`：满分，无需说明。

use super::target_unmet::{cell_at, met, pairs};
use crate::check::arithmetic::Context;
use crate::check::{Class, Finding, Involved, Rule, Settings};
use crate::extract::Extraction;
use crate::vocabulary::Role;

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
            if score.value >= points.value || row.total {
                continue;
            }
            let values = [
                ("indicator", &row.label as &dyn std::fmt::Display),
                ("score", &score.raw.trim()),
                ("points", &points.raw.trim()),
            ];
            let met_target = targets
                .iter()
                .find(|(r, ..)| r.row == row.row)
                .filter(|(_, _, target, _, actual)| met(target, actual) == Some(true));
            let unexplained =
                reason_col.is_some_and(|rc| cell(rc).is_none_or(|c| c.text.trim().is_empty()));
            let message = match (met_target, unexplained) {
                (Some(_), _) => rule.say_part(settings.lang, "met", &values),
                (None, true) => rule.say(settings.lang, &values),
                (None, false) => continue,
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
