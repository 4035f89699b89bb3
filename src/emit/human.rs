//! The human formats: `full` (finding, figures, the row or sentence with the cell marked)
//! and `concise` (one line per finding).

use std::fmt::Write;

use super::{Emitter, Report};
use crate::batch::Tally;
use crate::check::Finding;

/// `concise`: one line per finding.
pub struct Concise;

impl Emitter for Concise {
    fn document(&self, report: &Report) -> String {
        let mut out = String::new();
        if let Report::Failed { path, error } = report {
            let _ = writeln!(out, "{path}: error: {error}");
        }
        for f in report.findings() {
            let _ = writeln!(
                out,
                "{}:{}: {} {} {}",
                report.path(),
                f.at.logical(),
                f.code,
                f.severity.name(),
                f.message
            );
        }
        out
    }
}

/// `full`: each finding with its figures, then a count of the batch.
pub struct Full;

impl Emitter for Full {
    fn document(&self, report: &Report) -> String {
        let mut out = String::new();
        if let Report::Failed { path, error } = report {
            let _ = writeln!(out, "{path}: error: {error}\n");
        }
        for f in report.findings() {
            finding(&mut out, report.path(), f);
        }
        out
    }

    fn end(&self, tally: &Tally) -> String {
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

fn finding(out: &mut String, path: &str, f: &Finding) {
    let class = f
        .class
        .map(|c| {
            format!(
                " ({})",
                serde_json::to_value(c)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} {}[{}]{class}: {}",
        f.severity.name(),
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
        let _ = writeln!(out, "   | stated {s}, computed {c}{diff}");
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
