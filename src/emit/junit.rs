//! JUnit XML: one test suite per document, one failing test case per finding (a document
//! without findings is one passing case; an unreadable one, an errored case).

use std::fmt::Write;

use super::Report;

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

pub fn render(reports: &[Report]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total: usize = reports.iter().map(|r| r.findings().len().max(1)).sum();
    let failures: usize = reports.iter().map(|r| r.findings().len()).sum();
    let errors = reports
        .iter()
        .filter(|r| matches!(r, Report::Failed { .. }))
        .count();
    let _ = writeln!(out, "<testsuites name=\"jixiao\" tests=\"{total}\" failures=\"{failures}\" errors=\"{errors}\">");
    for r in reports {
        let path = xml(r.path());
        match r {
            Report::Failed { error, .. } => {
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\">"
                );
                let _ = writeln!(out, "    <testcase name=\"read\" classname=\"{path}\"><error message=\"{}\"/></testcase>", xml(error));
            }
            Report::Checked(x) => {
                let n = x.findings.len();
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{n}\" errors=\"0\">",
                    n.max(1)
                );
                if n == 0 {
                    let _ = writeln!(out, "    <testcase name=\"checks\" classname=\"{path}\"/>");
                }
                for f in &x.findings {
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
    }
    out.push_str("</testsuites>\n");
    out
}
