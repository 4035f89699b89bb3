//! A readable file that holds no report: not one figure and not one table.
//!
//! ## What it flags
//! A file that was read without error but in which jixiao found nothing to check: not one
//! figure in its text and not one table, whether or not its wording names a kind of report
//! (a cover letter that names the report it sends is still no report). The file gets this
//! one finding instead of passing as a clean report.
//!
//! ## Why it matters
//! A folder of archived reports also holds notes, exports and cover letters. A check that
//! passes them in silence tells an auditor they were checked and found correct; this
//! finding says they were never a report to begin with.
//!
//! ## Example
//! A `README.txt` saying "hello", a cover letter (关于报送…绩效自评报告的函), an empty Word
//! document: "not a report: no figures and no tables were found".

use crate::check::arithmetic::Context;
use crate::check::{Finding, Settings, Severity};
use crate::extract::Extraction;
use crate::location::At;

pub fn check(x: &Extraction, _: &Context, _: &Settings) -> Vec<Finding> {
    if !x.tables.is_empty() || !x.figures.is_empty() {
        return Vec::new();
    }
    vec![Finding {
        code: "JX001",
        rule: "not-a-report",
        severity: Severity::Warning,
        class: None,
        message: "not a report: no figures and no tables were found".into(),
        stated: None,
        computed: None,
        difference: None,
        at: At::Document,
        involved: Vec::new(),
        fingerprint: String::new(),
    }]
}
