//! SARIF 2.1.0: the rules table from the registry (for the codes found), one result per
//! finding with an artifact location and a logical location such as `table[3]/r5c2`.

use serde_json::{json, Value};

use super::Report;
use crate::check::{registry, Severity};

pub fn render(reports: &[Report]) -> String {
    let mut codes: Vec<&str> = reports
        .iter()
        .flat_map(|r| r.findings().iter().map(|f| f.code))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = registry()
        .iter()
        .filter(|r| codes.contains(&r.code))
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary() },
                "fullDescription": { "text": r.doc() },
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for r in reports {
        match r {
            Report::Failed { path, error } => notifications.push(json!({
                "level": "error",
                "message": { "text": error },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(path) } } }],
            })),
            Report::Checked(x) => {
                for f in &x.findings {
                    let rule_index = rules.iter().position(|v| v["id"] == f.code).unwrap_or(0);
                    results.push(json!({
                        "ruleId": f.code,
                        "ruleIndex": rule_index,
                        "level": level(f.severity),
                        "message": { "text": f.message },
                        "locations": [{
                            "physicalLocation": { "artifactLocation": { "uri": uri(&x.source.path) } },
                            "logicalLocations": [{ "name": f.at.logical(), "fullyQualifiedName": format!("{}#{}", x.source.path, f.at.logical()), "kind": "element" }],
                        }],
                        "partialFingerprints": { "jixiao/v1": f.fingerprint },
                        "properties": {
                            "class": f.class,
                            "stated": f.stated,
                            "computed": f.computed,
                            "difference": f.difference,
                            "origin": f.at.origin().to_string(),
                        },
                    }));
                }
            }
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "jixiao", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://crates.io/crates/jixiao", "rules": rules } },
            "invocations": [{ "executionSuccessful": notifications.is_empty(), "toolExecutionNotifications": notifications }],
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
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
