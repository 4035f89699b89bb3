//! `extract`'s JSON outputs: one object per document (`json`, an array for a batch) or one
//! line per document (`jsonl`). An unreadable file is an error record `{path, error}`;
//! findings that compare documents come last as `{path, findings}` records.

use serde::Serialize;

use super::{Emitter, Report};
use crate::batch::Tally;
use crate::check::Finding;
use crate::extract::{Extraction, SCHEMA_VERSION};

/// One record of `extract`'s output: a document, an unreadable file, or the findings about a
/// file that come from comparing it with the rest of the batch. `docs/extract.schema.json` is
/// this type's JSON Schema.
#[derive(Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Record<'a> {
    Document(&'a Extraction),
    Error(ErrorRecord<'a>),
    Across(AcrossRecord<'a>),
}

/// A file that could not be read.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ErrorRecord<'a> {
    pub schema_version: u32,
    pub path: &'a str,
    /// What is wrong with it.
    pub error: &'a str,
}

/// Findings about a file from comparing it with other files of the batch (JX6xx).
#[derive(Serialize, schemars::JsonSchema)]
pub struct AcrossRecord<'a> {
    pub schema_version: u32,
    pub path: &'a str,
    pub findings: &'a [Finding],
}

/// The JSON Schema of one record (`extract --format jsonl` lines, `json` array items).
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(Record<'static>)
}

/// `value` as JSON followed by `end`.
fn json<T: Serialize>(value: &T, pretty: bool, end: &str) -> String {
    let written = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    match written {
        Ok(mut text) => {
            text.push_str(end);
            text
        }
        Err(_) => String::new(),
    }
}

fn record(report: &Report, pretty: bool, end: &str) -> String {
    let r = match report {
        Report::Checked(x, _) => Record::Document(x),
        Report::Failed { path, error } => Record::Error(ErrorRecord {
            schema_version: SCHEMA_VERSION,
            path,
            error,
        }),
        Report::Across { path, findings } => Record::Across(AcrossRecord {
            schema_version: SCHEMA_VERSION,
            path,
            findings,
        }),
        Report::Unchanged { .. } => return String::new(),
    };
    json(&r, pretty, end)
}

/// `json`: the object itself for a single input file, otherwise an array of records.
pub struct ExtractJson {
    pub single: bool,
}

impl Emitter for ExtractJson {
    fn begin(&self) -> String {
        if self.single { "" } else { "[\n" }.into()
    }
    fn document(&self, report: &Report) -> String {
        record(report, true, "")
    }
    fn separator(&self) -> &'static str {
        ",\n"
    }
    fn end(&self, _: &Tally) -> String {
        if self.single { "\n" } else { "\n]\n" }.into()
    }
}

/// `jsonl`: one record per line.
pub struct ExtractJsonLines;

impl Emitter for ExtractJsonLines {
    fn document(&self, report: &Report) -> String {
        record(report, false, "\n")
    }
}
