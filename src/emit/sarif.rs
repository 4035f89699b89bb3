//! SARIF 2.1.0: the whole rule registry as the rules table (so `ruleIndex` is stable), one
//! result per finding with an artifact location and a logical location such as
//! `table[3]/r5c2`; unreadable files are tool execution notifications.
//!
//! Written as a stream: the log's head, the results one per line, then the invocation.

use serde_json::{json, Value};

use super::{Emitter, Report};
use crate::batch::Tally;
use crate::check::{registry, Finding, Severity};
use crate::model::Origin;

/// `sarif`: one run of the `jixiao` driver, the rules' descriptions in `lang`.
pub struct Sarif {
    pub lang: crate::lang::Lang,
}

impl Emitter for Sarif {
    fn begin(&self) -> String {
        let rules: Vec<Value> = registry()
            .iter()
            .map(|r| {
                json!({
                    "id": r.code,
                    "name": r.name,
                    "shortDescription": { "text": r.summary(self.lang) },
                    "fullDescription": { "text": r.doc(self.lang) },
                    "defaultConfiguration": { "level": level(r.severity) },
                })
            })
            .collect();
        let tool = json!({ "driver": {
            "name": "jixiao",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://crates.io/crates/jixiao",
            "rules": rules,
        }});
        format!(
            "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{tool},\"results\":[\n"
        )
    }

    fn document(&self, report: &Report) -> String {
        report
            .findings()
            .iter()
            .map(|f| result(report.path(), f).to_string())
            .collect::<Vec<_>>()
            .join(",\n")
    }

    fn separator(&self) -> &'static str {
        ",\n"
    }

    fn end(&self, tally: &Tally) -> String {
        let notifications: Vec<Value> = tally
            .failed
            .iter()
            .map(|(path, error)| {
                json!({
                    "level": "error",
                    "message": { "text": error },
                    "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(path) } } }],
                })
            })
            .collect();
        let invocation = json!({
            "executionSuccessful": notifications.is_empty(),
            "toolExecutionNotifications": notifications,
        });
        format!("\n],\"invocations\":[{invocation}]}}]}}\n")
    }
}

fn result(path: &str, f: &Finding) -> Value {
    let rule_index = registry()
        .iter()
        .position(|r| r.code == f.code)
        .unwrap_or(0);
    let mut physical = json!({ "artifactLocation": { "uri": uri(path) } });
    // A text export's lines are a region the way SARIF viewers show them.
    if let Some((first, last)) = f.at.lines() {
        physical["region"] = json!({ "startLine": first, "endLine": last });
    }
    // SARIF regions count lines or bytes; a PDF place is a page and a box (points from the
    // top left of the page as shown).
    if let Some(Origin::Pdf { page, bbox }) = f.at.origin() {
        physical["properties"] = json!({ "page": page, "bbox": bbox });
    }
    let mut location = json!({
        "physicalLocation": physical,
        "logicalLocations": [{
            "name": f.at.logical(),
            "fullyQualifiedName": format!("{path}#{}", f.at.logical()),
            "kind": "element",
        }],
    });
    if let Some(origin) = f.at.origin() {
        location["message"] = json!({ "text": origin.to_string() });
    }
    let related: Vec<Value> = f
        .involved
        .iter()
        .enumerate()
        .filter(|(_, i)| i.document.is_some() || i.at != f.at)
        .map(|(n, i)| {
            let file = i.document.as_deref().unwrap_or(path);
            json!({
                "id": n,
                "physicalLocation": { "artifactLocation": { "uri": uri(file) } },
                "logicalLocations": [{ "name": i.at.logical(), "fullyQualifiedName": format!("{file}#{}", i.at.logical()), "kind": "element" }],
                "message": { "text": format!("{} {}: {}", i.role, i.label, i.raw) },
            })
        })
        .collect();
    json!({
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": f.message },
        "locations": [location],
        "relatedLocations": related,
        "partialFingerprints": { "jixiao/v1": f.fingerprint },
        "properties": {
            "class": f.class,
            "stated": f.stated,
            "computed": f.computed,
            "difference": f.difference,
        },
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a path (spaces and non-ASCII percent-encoded).
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
