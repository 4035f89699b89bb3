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
use crate::check::{Finding, Ledger, Settings, Severity};
use crate::recognize::number::{parse_cell, CellValue, Number};
use crate::recognize::table::squeeze;

fn number(raw: &str) -> Option<Number> {
    match parse_cell(raw) {
        CellValue::Number(n) => Some(n),
        _ => None,
    }
}

pub fn check<'l>(
    ledgers: &'l [Ledger],
    _: &'l Settings,
) -> Box<dyn Fn(usize) -> Vec<Finding> + 'l> {
    // The documents of each department (white space ignored) and year that carry balances.
    let mut by_year: HashMap<(String, u32), Vec<usize>> = HashMap::new();
    for (i, l) in ledgers.iter().enumerate() {
        if let (Some(department), Some(year), false) = (&l.department, l.year, l.carries.is_empty())
        {
            by_year
                .entry((squeeze(department), year))
                .or_default()
                .push(i);
        }
    }
    Box::new(move |i| {
        let this = &ledgers[i];
        let (Some(department), Some(year)) = (&this.department, this.year) else {
            return Vec::new();
        };
        if this.carries.is_empty() || year == 0 {
            return Vec::new();
        }
        let Some(last_year) = by_year.get(&(squeeze(department), year - 1)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for last in last_year
            .iter()
            .map(|&j| &ledgers[j])
            .filter(|l| l.sha256 != this.sha256)
        {
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
                let stated = placed_field(&o, &format!("{year} {}", carry.opening_key), opening);
                let carried =
                    placed_field(&c, &format!("{} {}", year - 1, carry.closing_key), closing);
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
        out
    })
}
