//! GitHub Actions workflow annotations (`::error file=…,title=…::message`).

use std::fmt::Write;

use super::Report;
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

pub fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        match r {
            Report::Failed { path, error } => {
                let _ = writeln!(
                    out,
                    "::error file={},title=unreadable::{}",
                    escape(path, true),
                    escape(error, false)
                );
            }
            Report::Checked(x) => {
                for f in &x.findings {
                    let level = match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "notice",
                    };
                    let title = format!("{} {} at {}", f.code, f.rule, f.at.logical());
                    let _ = writeln!(
                        out,
                        "::{level} file={},title={}::{}",
                        escape(&x.source.path, true),
                        escape(&title, true),
                        escape(&f.message, false)
                    );
                }
            }
        }
    }
    out
}
