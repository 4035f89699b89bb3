//! `extract`'s JSON outputs: one object per document (`json`, an array for a batch) or one
//! line per document (`jsonl`). An unreadable file is an error record `{path, error}`;
//! findings that compare documents come last as `{path, findings}` records.

use serde::Serialize;

use super::{Emitter, Report};
use crate::batch::Tally;
use crate::check::Finding;
use crate::extract::SCHEMA_VERSION;

#[derive(Serialize)]
struct ErrorRecord<'a> {
    schema_version: u32,
    path: &'a str,
    error: &'a str,
}

#[derive(Serialize)]
struct AcrossRecord<'a> {
    schema_version: u32,
    path: &'a str,
    findings: &'a [Finding],
}

fn json<T: Serialize>(value: &T, pretty: bool) -> String {
    if pretty {
        serde_json::to_string_pretty(value).unwrap_or_default()
    } else {
        serde_json::to_string(value).unwrap_or_default()
    }
}

fn record(report: &Report, pretty: bool) -> String {
    match report {
        Report::Checked(x) => json(x.as_ref(), pretty),
        Report::Failed { path, error } => json(
            &ErrorRecord {
                schema_version: SCHEMA_VERSION,
                path,
                error,
            },
            pretty,
        ),
        Report::Across { path, findings } => json(
            &AcrossRecord {
                schema_version: SCHEMA_VERSION,
                path,
                findings,
            },
            pretty,
        ),
        Report::Unchanged { .. } => String::new(),
    }
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
        record(report, true)
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
        match record(report, false) {
            s if s.is_empty() => s,
            s => s + "\n",
        }
    }
}
