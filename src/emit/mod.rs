//! The emit stage: per-document results rendered in the format asked for, a document at a
//! time, so a batch of any size streams out in path order.
//!
//! Text formats implement [`Emitter`] (findings for `check`, extractions for `extract`);
//! [`flat`] turns extractions into rows for the CSV and SQLite outputs.

pub mod csv;
pub mod extraction;
pub mod flat;
mod github;
pub mod html;
mod human;
mod junit;
mod sarif;
pub mod sqlite;
pub mod xlsx;

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::batch::{self, Delivery, Options, Tally};
use crate::check::Finding;

pub use crate::batch::Report;
pub use extraction::{ExtractJson, ExtractJsonLines};

/// Output formats of `jixiao check`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize, schemars::JsonSchema,
)]
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
    /// One self-contained HTML page: an overview, each document's tables with the findings'
    /// cells marked, and the sentences they quote (`--out DIR`: an index and a page per
    /// document). Headings in `--lang`.
    Html,
    /// An Excel workbook (`--out FILE` required): findings with their places, documents with
    /// their counts, unreadable and skipped files.
    Xlsx,
}

/// Renders a batch as text: [`begin`](Emitter::begin), then
/// [`document`](Emitter::document) for each result in path order (called on worker threads;
/// non-empty pieces are joined with [`separator`](Emitter::separator)), then
/// [`end`](Emitter::end) with the batch's tally.
pub trait Emitter: Sync {
    fn begin(&self) -> String {
        String::new()
    }
    fn document(&self, report: &Report) -> String;
    fn separator(&self) -> &'static str {
        ""
    }
    fn end(&self, _tally: &Tally) -> String {
        String::new()
    }
}

/// How `check`'s findings are presented, beyond the format.
#[derive(Debug, Clone, Copy)]
pub struct Presentation {
    /// The language of what is written for people: severities, figures' names, the count of
    /// the batch, rule descriptions (messages come in it from the check stage).
    pub lang: crate::lang::Lang,
    /// The severity from which JUnit counts a finding as a failure.
    pub fail_on: crate::check::Severity,
    /// Severity names in colour (`full`, `concise`).
    pub color: bool,
    /// No count of the batch at the end of `full`.
    pub quiet: bool,
}

/// The emitter of a `check` output format.
pub fn findings_emitter(format: OutputFormat, how: Presentation) -> Box<dyn Emitter> {
    let fail_on = how.fail_on;
    match format {
        OutputFormat::Html => Box::new(html::Html::new(how.lang)),
        // A workbook is not a text stream: `check` writes it with [`xlsx::write`].
        OutputFormat::Xlsx => Box::new(FindingsJsonLines),
        OutputFormat::Full => Box::new(human::Full {
            color: how.color,
            quiet: how.quiet,
            lang: how.lang,
        }),
        OutputFormat::Concise => Box::new(human::Concise {
            color: how.color,
            lang: how.lang,
        }),
        OutputFormat::Json => Box::new(FindingsJson),
        OutputFormat::JsonLines => Box::new(FindingsJsonLines),
        OutputFormat::Sarif => Box::new(sarif::Sarif { lang: how.lang }),
        OutputFormat::Junit => Box::new(junit::Junit { fail_on }),
        OutputFormat::Github => Box::new(github::Github),
    }
}

/// Runs the batch and writes what `emitter` renders to `out`, streaming.
pub fn stream(
    emitter: &dyn Emitter,
    out: &mut dyn Write,
    paths: &[PathBuf],
    options: &Options<'_>,
) -> std::io::Result<Tally> {
    out.write_all(emitter.begin().as_bytes())?;
    let mut first = true;
    let tally = batch::run(paths, options, &|r| emitter.document(r), &mut |delivery| {
        let piece = match delivery {
            Delivery::Next(piece) if !piece.is_empty() => piece,
            Delivery::Next(_) => return Ok(()),
            Delivery::Stalled => return out.flush(),
        };
        if !first {
            out.write_all(emitter.separator().as_bytes())?;
        }
        first = false;
        out.write_all(piece.as_bytes())
    })?;
    out.write_all(emitter.end(&tally).as_bytes())?;
    out.flush()?;
    Ok(tally)
}

/// A temporary file in `dir` for an output that is renamed into place when complete; readable
/// like any file the user creates (not the 0600 of a private temporary file).
pub fn temp_file_in(dir: &std::path::Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".jixiao-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir)
}

/// A finding with the document it belongs to, as the JSON formats write it.
#[derive(Serialize)]
struct Located<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

/// A file that could not be read, as the JSON formats of `check` write it.
#[derive(Serialize)]
struct Unreadable<'a> {
    path: &'a str,
    error: &'a str,
}

/// The JSON values of a report for `check`: one per finding, or the file's error.
fn findings_json(report: &Report, pretty: bool) -> Vec<String> {
    fn json<T: Serialize>(value: &T, pretty: bool) -> String {
        let text = if pretty {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        };
        text.unwrap_or_default()
    }
    if let Report::Failed { path, error } = report {
        return vec![json(&Unreadable { path, error }, pretty)];
    }
    located(report).map(|l| json(&l, pretty)).collect()
}

fn located(report: &Report) -> impl Iterator<Item = Located<'_>> {
    report.findings().iter().map(move |f| Located {
        path: report.path(),
        finding: f,
    })
}

/// `json`: one array of findings.
struct FindingsJson;

impl Emitter for FindingsJson {
    fn begin(&self) -> String {
        "[\n".into()
    }
    fn document(&self, report: &Report) -> String {
        findings_json(report, true).join(",\n")
    }
    fn separator(&self) -> &'static str {
        ",\n"
    }
    fn end(&self, _: &Tally) -> String {
        "\n]\n".into()
    }
}

/// `json-lines`: one finding per line.
struct FindingsJsonLines;

impl Emitter for FindingsJsonLines {
    fn document(&self, report: &Report) -> String {
        findings_json(report, false)
            .into_iter()
            .map(|l| l + "\n")
            .collect()
    }
}
