//! The human formats: `full` (finding, figures, the row or sentence with the cell marked)
//! and `concise` (one line per finding).

use std::fmt::Write;

use super::{Emitter, Report};
use crate::batch::Tally;
use crate::check::{Finding, Severity};

/// A severity's name, in its colour when `color` (red, yellow, blue).
fn severity(s: Severity, color: bool) -> String {
    if !color {
        return s.name().to_string();
    }
    let code = match s {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Info => "34",
    };
    format!("\x1b[1;{code}m{}\x1b[0m", s.name())
}

/// `concise`: one line per finding.
pub struct Concise {
    pub color: bool,
}

impl Emitter for Concise {
    fn document(&self, report: &Report) -> String {
        // Unreadable files are named once, on standard error with the summary.
        let mut out = String::new();
        for f in report.findings() {
            let _ = writeln!(
                out,
                "{}:{}: {} {} {}",
                report.path(),
                f.at.logical(),
                f.code,
                severity(f.severity, self.color),
                f.message
            );
        }
        out
    }
}

/// `full`: each finding with its figures, then a count of the batch (unless `quiet`).
pub struct Full {
    pub color: bool,
    pub quiet: bool,
}

impl Emitter for Full {
    fn document(&self, report: &Report) -> String {
        let mut out = String::new();
        for f in report.findings() {
            finding(&mut out, report.path(), f, self.color);
        }
        out
    }

    fn end(&self, tally: &Tally) -> String {
        if self.quiet {
            return String::new();
        }
        let [info, warning, error] = tally.findings;
        let failed = tally.failed.len();
        let documents = tally.documents + tally.unchanged;
        let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {}, {}, {info} info{}\n",
            plural(documents, "document"),
            plural(error, "error"),
            plural(warning, "warning"),
            if failed > 0 {
                format!(", {failed} unreadable")
            } else {
                String::new()
            }
        )
    }
}

fn finding(out: &mut String, path: &str, f: &Finding, color: bool) {
    // An info finding's class would only say what its severity says (and "material" on a
    // note misleads): shown for warnings and errors.
    let class = f
        .class
        .filter(|_| f.severity > Severity::Info)
        .and_then(|c| serde_json::to_value(c).ok())
        .and_then(|v| v.as_str().map(|c| format!(" ({c})")))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} {}[{}]{class}: {}",
        severity(f.severity, color),
        f.code,
        f.rule,
        f.message
    );
    let _ = writeln!(out, "  --> {path} {}", f.at);
    if let (Some(s), Some(c)) = (&f.stated, &f.computed) {
        let diff = f
            .difference
            .as_deref()
            .map(|d| format!(", difference {d}"))
            .unwrap_or_default();
        // An indicator's figures are a target and what was achieved, not a statement and a
        // computation.
        let (stated, computed) = if f.involved.iter().any(|i| i.role == "target") {
            ("target", "actual")
        } else {
            ("stated", "computed")
        };
        let _ = writeln!(out, "   | {stated} {s}, {computed} {c}{diff}");
    }
    for i in &f.involved {
        let mark = if i.at == f.at { "▶" } else { " " };
        let place = match &i.document {
            Some(other) => format!("{other}#{}", i.at.logical()),
            None => i.at.logical(),
        };
        let _ = writeln!(
            out,
            "   |{mark} {:<11} {:<40} {:>14}   {place}",
            i.role, i.label, i.raw
        );
    }
    let _ = writeln!(out, "   = {}", f.fingerprint);
    out.push('\n');
}
