//! The same quantity is stated twice in one document with different values.
//!
//! ## What it flags
//! Two tables of one document (two attachments, a form and its annex) that have a column of
//! the same name and rows for the same entity: the two figures must agree. Rows are matched
//! by label after dropping `小计`, a trailing `市`, and reading `省本级`/`省直` and
//! `全省合计`/`合计` alike. Counts must agree exactly; amounts within rounding.
//!
//! ## Why it matters
//! When two parts of a report disagree, at least one is wrong, and which one feeds the
//! higher-level statistics is a matter of chance.
//!
//! ## Example
//! Seed 003: 附件2 gives 长沙市 365 projects and 全省合计 9979; 附件3 gives 长沙市小计 366 and
//! 全省合计 9978 — both errors.

use crate::check::arithmetic::{placed_cell, sum_finding, Context, Placed};
use crate::check::{Finding, Settings, Severity};
use crate::extract::Extraction;
use crate::recognize::table::{CellRef, Region};

/// A row label reduced to the entity it names.
fn entity(label: &str) -> String {
    let mut l = label.replace("小计", "");
    for (from, to) in [("全省合计", "合计"), ("省本级", "省"), ("省直", "省")] {
        if l == from {
            l = to.to_string();
        }
    }
    l.trim_end_matches('市').to_string()
}

fn figures(region: &Region) -> Vec<(String, String, CellRef)> {
    let mut out = Vec::new();
    for col in &region.columns {
        let Some(name) = col.path.last() else {
            continue;
        };
        if name.chars().count() < 2 {
            continue;
        }
        for row in &region.rows {
            if row.label.is_empty()
                || !row
                    .cells
                    .iter()
                    .any(|c| c.col == col.col && c.number.is_some())
            {
                continue;
            }
            out.push((
                name.clone(),
                entity(&row.label),
                CellRef {
                    table: region.table,
                    row: row.row,
                    col: col.col,
                },
            ));
        }
    }
    out
}

pub fn check(x: &Extraction, ctx: &Context, _: &Settings) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, a) in x.tables.iter().enumerate() {
        let fa = figures(a);
        for b in x.tables[i + 1..].iter().filter(|b| b.table != a.table) {
            for (name, label, cell_b) in figures(b) {
                let Some((_, _, cell_a)) = fa.iter().find(|(n, l, _)| *n == name && *l == label)
                else {
                    continue;
                };
                let (Some(mut first), Some(mut second)) =
                    (placed_cell(x, ctx, cell_a), placed_cell(x, ctx, &cell_b))
                else {
                    continue;
                };
                // Both figures carry the same row and column names; the table tells them apart.
                first.label = format!("table {} {}", cell_a.table, first.label);
                second.label = format!("table {} {}", cell_b.table, second.label);
                let parts: Vec<Placed<'_>> = vec![first];
                out.extend(sum_finding(
                    "JX401",
                    "same-quantity-differs",
                    Severity::Error,
                    &second,
                    &parts,
                    "the same quantity differs between two tables",
                ));
            }
        }
    }
    out
}
