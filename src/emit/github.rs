//! GitHub Actions workflow annotations (`::error file=…,title=…::message`).

use std::fmt::Write;

use super::{Emitter, Report};
use crate::check::Severity;

/// Escapes a value for a workflow command (`%`, CR, LF; and `,`/`:` in properties).
fn escape(s: &str, property: bool) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        s.replace(':', "%3A").replace(',', "%2C")
    } else {
        s
    }
}

/// `github`: one workflow command per finding (and per unreadable file).
pub struct Github;

impl Emitter for Github {
    fn document(&self, report: &Report) -> String {
        let mut out = String::new();
        if let Report::Failed { path, error } = report {
            let _ = writeln!(
                out,
                "::error file={},title=unreadable::{}",
                escape(path, true),
                escape(error, false)
            );
        }
        for f in report.findings() {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let title = format!("{} {} at {}", f.code, f.rule, f.at.logical());
            let line =
                f.at.lines()
                    .map(|(first, last)| format!(",line={first},endLine={last}"))
                    .unwrap_or_default();
            let _ = writeln!(
                out,
                "::{level} file={}{line},title={}::{}",
                escape(report.path(), true),
                escape(&title, true),
                escape(&f.message, false)
            );
        }
        out
    }
}
