//! JUnit XML: one test suite per document, one test case per finding — failing when the
//! finding is at or above the fail level (`--fail-on`, as for the exit code), else passing
//! with the message as its output — a document without findings is one passing case; an
//! unreadable one, an errored case.

use std::fmt::Write;

use super::{Emitter, Report};
use crate::batch::Tally;
use crate::check::Severity;

fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// `junit`: a `<testsuites>` element with one `<testsuite>` per document; findings at or
/// above `fail_on` are failures.
pub struct Junit {
    pub fail_on: Severity,
}

impl Emitter for Junit {
    fn begin(&self) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"jixiao\">\n".into()
    }

    fn document(&self, report: &Report) -> String {
        let mut out = String::new();
        let path = xml(report.path());
        match report {
            Report::Unchanged { .. } => return out,
            Report::Failed { error, .. } => {
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\">"
                );
                let _ = writeln!(out, "    <testcase name=\"read\" classname=\"{path}\"><error message=\"{}\"/></testcase>", xml(error));
            }
            Report::Checked(..) | Report::Across { .. } => {
                let findings = report.findings();
                let n = findings.len();
                let failures = findings
                    .iter()
                    .filter(|f| f.severity >= self.fail_on)
                    .count();
                let name = if matches!(report, Report::Across { .. }) {
                    format!("{path} (across documents)")
                } else {
                    path.clone()
                };
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
                    n.max(1)
                );
                if n == 0 {
                    let _ = writeln!(out, "    <testcase name=\"checks\" classname=\"{path}\"/>");
                }
                for f in findings.iter().filter(|f| f.severity < self.fail_on) {
                    let _ = writeln!(
                        out,
                        "    <testcase name=\"{} {}\" classname=\"{path}\"><system-out>{}: {}</system-out></testcase>",
                        f.code,
                        xml(&f.at.logical()),
                        xml(&f.message),
                        xml(&f.at.to_string())
                    );
                }
                for f in findings.iter().filter(|f| f.severity >= self.fail_on) {
                    let _ = writeln!(
                        out,
                        "    <testcase name=\"{} {}\" classname=\"{path}\"><failure type=\"{}\" message=\"{}\">{}</failure></testcase>",
                        f.code,
                        xml(&f.at.logical()),
                        f.severity.name(),
                        xml(&f.message),
                        xml(&f.at.to_string())
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
        out
    }

    fn end(&self, _: &Tally) -> String {
        "</testsuites>\n".into()
    }
}
