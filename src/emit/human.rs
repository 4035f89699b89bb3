//! The human formats: `full` (finding, figures, the row or sentence with the cell marked)
//! and `concise` (one line per finding).

use std::fmt::Write;

use super::{Emitter, Report};
use crate::batch::Tally;
use crate::check::{Class, Finding, Severity};
use crate::lang::Lang;

/// A severity's name in `lang`, in its colour when `color` (red, yellow, blue).
fn severity(s: Severity, color: bool, lang: Lang) -> String {
    let name = s.said(lang);
    if !color {
        return name;
    }
    let code = match s {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Info => "34",
    };
    format!("\x1b[1;{code}m{name}\x1b[0m")
}

/// `concise`: one line per finding.
pub struct Concise {
    pub color: bool,
    pub lang: Lang,
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
                severity(f.severity, self.color, self.lang),
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
    pub lang: Lang,
}

impl Emitter for Full {
    fn document(&self, report: &Report) -> String {
        let mut out = String::new();
        for f in report.findings() {
            finding(&mut out, report.path(), f, self.color, self.lang);
        }
        out
    }

    fn end(&self, tally: &Tally) -> String {
        if self.quiet {
            return String::new();
        }
        let lang = self.lang;
        let [errors, warnings, info] = tally.findings_said(lang);
        let documents = tally.documents + tally.unchanged;
        let counts = lang.say(
            "tally",
            &[
                ("documents", &lang.say("documents", &[("n", &documents)])),
                ("errors", &errors),
                ("warnings", &warnings),
                ("info", &info),
            ],
        );
        let line = match tally.failed.len() {
            0 => counts,
            failed => lang.say(
                "tally-unreadable",
                &[
                    ("tally", &counts),
                    ("unreadable", &lang.say("unreadable", &[("n", &failed)])),
                ],
            ),
        };
        line + "\n"
    }
}

fn finding(out: &mut String, path: &str, f: &Finding, color: bool, lang: Lang) {
    // An info finding's class would only say what its severity says (and "material" on a
    // note misleads): shown for warnings and errors, which are material or immaterial.
    let class = match f.class.filter(|_| f.severity > Severity::Info) {
        Some(Class::Material) => format!(" ({})", lang.say("material", &[])),
        Some(Class::Immaterial) => format!(" ({})", lang.say("immaterial-class", &[])),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "{} {}[{}]{class}: {}",
        severity(f.severity, color, lang),
        f.code,
        f.rule,
        f.message
    );
    let _ = writeln!(out, "  --> {path} {}", f.at.describe(lang));
    if let (Some(s), Some(c)) = (&f.stated, &f.computed) {
        let diff = f
            .difference
            .as_deref()
            .map(|d| lang.say("difference", &[("difference", &d)]))
            .unwrap_or_default();
        // An indicator's figures are a target and what was achieved, not a statement and a
        // computation.
        let values: [(&str, &dyn std::fmt::Display); 2] = [("stated", s), ("computed", c)];
        let figures = if f.involved.iter().any(|i| i.role == "target") {
            lang.say("indicator-figures", &values)
        } else {
            lang.say("figures", &values)
        };
        let _ = writeln!(out, "   | {figures}{diff}");
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
