//! The emit stage: one list of per-document results rendered in the format asked for.
//!
//! Every format renders the same [`Report`]s, already sorted by path with findings sorted by
//! location and code, so output is identical whatever the thread count.

mod github;
mod human;
mod junit;
mod sarif;

use serde::Serialize;

use crate::check::{Finding, Severity};
use crate::extract::Extraction;

/// What `check` produced for one input file.
pub enum Report {
    /// The file was read and checked.
    Checked(Box<Extraction>),
    /// The file could not be read.
    Failed { path: String, error: String },
}

impl Report {
    pub fn path(&self) -> &str {
        match self {
            Report::Checked(x) => &x.source.path,
            Report::Failed { path, .. } => path,
        }
    }

    pub fn findings(&self) -> &[Finding] {
        match self {
            Report::Checked(x) => &x.findings,
            Report::Failed { .. } => &[],
        }
    }
}

/// Output formats of `jixiao check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputFormat {
    /// Each finding with its figures and the table row or sentence, the cell marked.
    Full,
    /// One line per finding: `path:location: CODE severity message`.
    Concise,
    /// One JSON array of findings, each with its document path.
    Json,
    /// One JSON object per finding per line.
    JsonLines,
    /// SARIF 2.1.0, rules from the registry, logical locations such as `table[3]/r5c2`.
    Sarif,
    /// JUnit XML, one test suite per document.
    Junit,
    /// GitHub Actions workflow annotations.
    Github,
}

/// A finding with the document it belongs to, as the JSON formats write it.
#[derive(Serialize)]
struct Located<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

fn located(reports: &[Report]) -> impl Iterator<Item = Located<'_>> {
    reports.iter().flat_map(|r| {
        r.findings().iter().map(move |f| Located {
            path: r.path(),
            finding: f,
        })
    })
}

/// Renders the reports; `min` hides findings below that severity.
pub fn render(format: OutputFormat, reports: &[Report]) -> String {
    match format {
        OutputFormat::Full => human::full(reports),
        OutputFormat::Concise => human::concise(reports),
        OutputFormat::Json => {
            let all: Vec<Located<'_>> = located(reports).collect();
            serde_json::to_string_pretty(&all).unwrap_or_default() + "\n"
        }
        OutputFormat::JsonLines => located(reports)
            .map(|l| serde_json::to_string(&l).unwrap_or_default() + "\n")
            .collect(),
        OutputFormat::Sarif => sarif::render(reports),
        OutputFormat::Junit => junit::render(reports),
        OutputFormat::Github => github::render(reports),
    }
}

/// Counts of findings by severity, for summaries.
pub fn counts(reports: &[Report]) -> [usize; 3] {
    let mut c = [0; 3];
    for f in reports.iter().flat_map(Report::findings) {
        c[match f.severity {
            Severity::Info => 0,
            Severity::Warning => 1,
            Severity::Error => 2,
        }] += 1;
    }
    c
}
