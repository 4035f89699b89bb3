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

use super::target_unmet::{cell_at, pair_involved, pairs};
use crate::check::arithmetic::Context;
use crate::check::{Finding, Settings, Severity};
use crate::extract::Extraction;

pub fn check(x: &Extraction, _: &Context, _: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    for region in &x.tables {
        for (row, tcell, target, acell, actual) in pairs(region) {
            if target.base_unit == actual.base_unit {
                continue;
            }
            let unit = |n: &crate::recognize::number::Number| {
                n.unit.as_deref().unwrap_or("no unit").to_string()
            };
            out.push(Finding {
                code: "JX502",
                rule: "indicator-unit-mismatch",
                severity: Severity::Info,
                class: None,
                message: format!(
                    "{}: target {} is in {}, actual {} in {}",
                    row.label,
                    target.raw.trim(),
                    unit(target),
                    actual.raw.trim(),
                    unit(actual)
                ),
                stated: Some(unit(target)),
                computed: Some(unit(actual)),
                difference: None,
                at: cell_at(region, row, acell),
                involved: pair_involved(region, row, tcell, target, acell, actual),
                fingerprint: String::new(),
            });
        }
    }
    out
}
