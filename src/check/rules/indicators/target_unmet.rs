//! An indicator's actual value does not meet its target.
//!
//! ## What it flags
//! In an indicator table with a target column (年度指标值, 目标值) and an actual column
//! (实际完成值, 完成值), rows where both are figures of the same measure and the actual
//! fails the target's comparator (≥, ≤, >, <, =; a target with none is read as ≥).
//! Severity info: missing a target is a result to report, not an arithmetic error.
//!
//! ## Why it matters
//! Auditors list unmet targets and compare them with the deductions in the score column.
//!
//! ## Example
//! `一年以内资金执行率 | 100.00% | 94.97%`: unmet (info). `≥580万人 | 600万人`: met.
//!
//! ## 中文
//!
//! 指标的实际完成值未达到目标值。
//!
//! ### 检查内容
//! 设有目标列（年度指标值、目标值）和实际列（实际完成值、完成值）的指标表中，两者均为
//! 同一计量口径的数字、且实际值不满足目标值比较符（≥、≤、>、<、=；目标值未写比较符的
//! 按 ≥ 处理）的行。级别为提示：未达到目标是应当报告的结果，而非计算错误。
//!
//! ### 为何重要
//! 审计人员会逐项列出未达成的目标，并与得分列中的扣分相对照。
//!
//! ### 示例
//! `一年以内资金执行率 | 100.00% | 94.97%`：未达到（提示）。`≥580万人 | 600万人`：已达到。

use crate::check::arithmetic::show;
use crate::check::arithmetic::Context;
use crate::check::{Class, Finding, Involved, Rule, Settings};
use crate::extract::Extraction;
use crate::location::At;
use crate::recognize::number::{Comparator, Number};
use crate::recognize::table::{Region, Row, TypedCell};
use crate::vocabulary::{Role, Roles};

/// (row, target cell, target, actual cell, actual) for each indicator row with two figures.
pub fn pairs<'r>(
    region: &'r Region,
    roles: &Roles,
) -> Vec<(
    &'r Row,
    &'r TypedCell,
    &'r Number,
    &'r TypedCell,
    &'r Number,
)> {
    let (Some(tc), Some(ac)) = (
        region.column_for(roles, Role::Target),
        region.column_for(roles, Role::Actual),
    ) else {
        return Vec::new();
    };
    region
        .rows
        .iter()
        .filter_map(|row| {
            let t = row.cells.iter().find(|c| c.col == tc)?;
            let a = row.cells.iter().find(|c| c.col == ac)?;
            Some((row, t, t.number.as_ref()?, a, a.number.as_ref()?))
        })
        .collect()
}

/// The target and actual figures of an indicator row, as a finding's `involved`.
pub fn pair_involved(
    region: &Region,
    row: &Row,
    tcell: &TypedCell,
    target: &Number,
    acell: &TypedCell,
    actual: &Number,
) -> Vec<Involved> {
    [("target", tcell, target), ("actual", acell, actual)]
        .into_iter()
        .map(|(role, cell, n)| Involved {
            document: None,
            role,
            label: row.label.clone(),
            raw: n.raw.trim().to_string(),
            at: cell_at(region, row, cell),
        })
        .collect()
}

pub fn cell_at(region: &Region, row: &Row, cell: &TypedCell) -> At {
    At::Cell {
        table: region.table,
        row: row.row,
        col: cell.col,
        origin: cell.origin.clone(),
    }
}

/// Whether `actual` meets `target` (its comparator; none reads as ≥); `None` when they are not
/// of one measure, or the actual is written as a target (`≥98%` under 实际完成值).
pub fn met(target: &Number, actual: &Number) -> Option<bool> {
    if target.base_unit != actual.base_unit
        || target.kind != actual.kind
        || actual.comparator.is_some()
    {
        return None;
    }
    let (t, a) = (target.base_value, actual.base_value);
    Some(match target.comparator.unwrap_or(Comparator::Ge) {
        Comparator::Ge => a >= t,
        Comparator::Le => a <= t,
        Comparator::Gt => a > t,
        Comparator::Lt => a < t,
        Comparator::Eq | Comparator::Approx => a == t,
    })
}

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    for region in &x.tables {
        for (row, tcell, target, acell, actual) in pairs(region, settings.roles(x)) {
            let (t, a) = (target.base_value, actual.base_value);
            if met(target, actual) != Some(false) {
                continue;
            }
            let message = rule.say(
                settings.lang,
                &[
                    ("indicator", &row.label),
                    ("target", &target.raw.trim()),
                    ("actual", &actual.raw.trim()),
                ],
            );
            let involved = pair_involved(region, row, tcell, target, acell, actual);
            out.push(
                Finding::new(
                    Some(Class::Material),
                    message,
                    cell_at(region, row, acell),
                    involved,
                )
                .figures(Some(show(t)), Some(show(a)), Some(show(a - t))),
            );
        }
    }
    out
}
