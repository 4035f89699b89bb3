//! The human formats: `full` (finding, figures, the row or sentence with the cell marked)
//! and `concise` (one line per finding).

use std::fmt::Write;

use super::Report;
use crate::check::Finding;

pub fn concise(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        match r {
            Report::Failed { path, error } => {
                let _ = writeln!(out, "{path}: error: {error}");
            }
            Report::Checked(x) => {
                for f in &x.findings {
                    let _ = writeln!(
                        out,
                        "{}:{}: {} {} {}",
                        x.source.path,
                        f.at.logical(),
                        f.code,
                        f.severity.name(),
                        f.message
                    );
                }
            }
        }
    }
    out
}

pub fn full(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        match r {
            Report::Failed { path, error } => {
                let _ = writeln!(out, "{path}: error: {error}\n");
            }
            Report::Checked(x) => {
                for f in &x.findings {
                    finding(&mut out, &x.source.path, f);
                }
            }
        }
    }
    let [info, warning, error] = super::counts(reports);
    let failed = reports
        .iter()
        .filter(|r| matches!(r, Report::Failed { .. }))
        .count();
    let _ = writeln!(
        out,
        "{} documents, {error} errors, {warning} warnings, {info} info{}",
        reports.len(),
        if failed > 0 {
            format!(", {failed} unreadable")
        } else {
            String::new()
        }
    );
    out
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
        let _ = writeln!(
            out,
            "   |{mark} {:<11} {:<40} {:>14}   {}",
            i.role,
            i.label,
            i.raw,
            i.at.logical()
        );
    }
    let _ = writeln!(out, "   = {}", f.fingerprint);
    out.push('\n');
}
