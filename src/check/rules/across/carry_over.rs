//! A balance carried into this year's report differs from the one last year's report closed
//! with.
//!
//! ## What it flags
//! When a batch holds reports of the same department (the same 部门（单位）名称) for
//! consecutive years, every balance its family carries between years (`[[carry]]` in
//! `extractors/*.toml`: this year's 上年结转 against last year's 累计结转结余, the project
//! table's 年初结转和结余 total against last year's 年末结转 total) must agree, within
//! rounding of the decimals written.
//!
//! ## Why it matters
//! Money does not appear or vanish between 31 December and 1 January. A gap means one of the
//! two reports is wrong, or funds moved without being reported; neither report alone shows it.
//!
//! ## Example
//! 湘西自治州乡村振兴局's 2021 report opens with 上年结转 224.76 万元; if its 2020 report closed
//! with 累计结转结余 219.76 万元, the 2021 figure is flagged with the 2020 one beside it
//! (difference 5.00, an error).

use std::collections::HashMap;

use crate::check::arithmetic::{placed_field, sum_finding};
use crate::check::rules::BatchFindings;
use crate::check::{Ledgers, Settings, Severity};
use crate::recognize::number::{parse_cell, CellValue, Number};
use crate::recognize::table::squeeze;

fn number(raw: &str) -> Option<Number> {
    match parse_cell(raw) {
        CellValue::Number(n) => Some(n),
        _ => None,
    }
}

pub fn check<'l>(ledgers: &'l Ledgers, _: &'l Settings) -> BatchFindings<'l> {
    // The documents that carry balances, by department (its name's hash) and year.
    let mut by_year: HashMap<(u64, u32), Vec<usize>> = HashMap::new();
    for (i, key) in ledgers.keys().iter().enumerate() {
        if let (Some(department), Some(year), true) = (key.department, key.year, key.carries) {
            by_year.entry((department, year)).or_default().push(i);
        }
    }
    Box::new(move |i| {
        let key = &ledgers.keys()[i];
        let (Some(department), Some(year), true) = (key.department, key.year, key.carries) else {
            return Ok(Vec::new());
        };
        let Some(last_year) = year
            .checked_sub(1)
            .and_then(|y| by_year.get(&(department, y)))
        else {
            return Ok(Vec::new());
        };
        let this = ledgers.get(i)?;
        let name = this.department.as_deref().map(squeeze);
        let mut out = Vec::new();
        for &j in last_year {
            let last = ledgers.get(j)?;
            // The same name (not only the same hash), and not the same file twice.
            if last.department.as_deref().map(squeeze) != name || last.sha256 == this.sha256 {
                continue;
            }
            for carry in &this.carries {
                let Some(opening) = &carry.opening else {
                    continue;
                };
                let Some(closing) = last
                    .carries
                    .iter()
                    .find(|c| c.opening_key == carry.opening_key)
                    .and_then(|c| c.closing.as_ref())
                else {
                    continue;
                };
                let (Some(o), Some(c)) = (number(&opening.raw), number(&closing.raw)) else {
                    continue;
                };
                // The documents' own labels (the row a balance stands in); the field's key
                // only where the document gave none.
                let label = |field: &crate::extract::Field, key: &str| {
                    field.label.clone().unwrap_or_else(|| key.to_string())
                };
                let stated = placed_field(
                    &o,
                    &format!("{year} {}", label(opening, &carry.opening_key)),
                    opening,
                );
                let carried = placed_field(
                    &c,
                    &format!("{} {}", year - 1, label(closing, &carry.closing_key)),
                    closing,
                );
                if let Some(mut f) = sum_finding(
                    "JX601",
                    "carry-over-differs",
                    Severity::Error,
                    &stated,
                    &[carried],
                    "the balance carried in differs from last year's closing balance",
                ) {
                    if let Some(part) = f.involved.get_mut(1) {
                        part.document = Some(last.path.clone());
                    }
                    out.push(f);
                }
            }
        }
        Ok(out)
    })
}
