//! An indicator's actual value is given in a different unit from its target.
//!
//! ## What it flags
//! Indicator rows (as for JX501) whose target and actual figures have different units after
//! magnitudes are applied: `人` against `人次`, `%` against `万元`.
//!
//! ## Why it matters
//! A target in persons cannot be judged met by a count of person-visits; the comparison the
//! report implies does not hold.
//!
//! ## Example
//! `培训致富带头人人数 | ≥ 10000人 | 10000人次`: info.
//!
//! ## 中文
//!
//! 指标实际完成值的单位与目标值不同。
//!
//! ### 检查内容
//! 指标行（范围同 JX501）中，目标值与实际值按数量级（万、亿等）换算后单位仍不相同的：
//! 如 `人` 对 `人次`，`%` 对 `万元`。
//!
//! ### 为何重要
//! 以人数计的目标，不能用人次来判断是否完成；报告所隐含的比较并不成立。
//!
//! ### 示例
//! `培训致富带头人人数 | ≥ 10000人 | 10000人次`：提示。

use super::target_unmet::{cell_at, pair_involved, pairs};
use crate::check::arithmetic::Context;
use crate::check::{Finding, Rule, Settings};
use crate::extract::Extraction;

pub fn check(rule: &Rule, x: &Extraction, _: &Context, settings: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    for region in &x.tables {
        for (row, tcell, target, acell, actual) in pairs(region, settings.roles(x)) {
            if target.base_unit == actual.base_unit {
                continue;
            }
            // The stated and computed fields say "no unit" in every language (fingerprints
            // hash them); the message says it in the reader's.
            let unit = |n: &crate::recognize::number::Number| {
                n.unit.as_deref().unwrap_or("no unit").to_string()
            };
            let said = |n: &crate::recognize::number::Number| {
                n.unit
                    .as_deref()
                    .map_or_else(|| settings.lang.say("no-unit", &[]), str::to_string)
            };
            let message = rule.say(
                settings.lang,
                &[
                    ("indicator", &row.label),
                    ("target", &target.raw.trim()),
                    ("target_unit", &said(target)),
                    ("actual", &actual.raw.trim()),
                    ("actual_unit", &said(actual)),
                ],
            );
            let involved = pair_involved(region, row, tcell, target, acell, actual);
            out.push(
                Finding::new(None, message, cell_at(region, row, acell), involved).figures(
                    Some(unit(target)),
                    Some(unit(actual)),
                    None,
                ),
            );
        }
    }
    out
}
