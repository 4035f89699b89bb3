//! Every `check --output-format` on one batch — the Hunan report (real findings), the JX601
//! pair (a cross-document finding) and a truncated .docx (an unreadable file) — as snapshots
//! in `tests/snapshots/`, read and checked by hand; and the SARIF log validated against the
//! published SARIF 2.1.0 JSON schema (vendored in `tests/schemas/`).

use std::process::Command;

const BATCH: &[&str] = &[
    "corpus/fixtures/fund-2023-hunan.docx",
    "corpus/cases/JX601/2020.html",
    "corpus/cases/JX601/broken-2021-opens-wrong.html",
    "corpus/cases/unreadable/truncated.docx",
];

fn check(format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args(["check", "-q", "--output-format", format])
        .args(BATCH)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unreadable file means exit 2"
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn full() {
    insta::assert_snapshot!(check("full"));
}

#[test]
fn concise() {
    insta::assert_snapshot!(check("concise"));
}

#[test]
fn json() {
    let out = check("json");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Every finding, and the unreadable file as a record of its own (path and error).
    let records = v.as_array().unwrap();
    assert_eq!(records.len(), out.matches("\"fingerprint\"").count() + 1);
    let unreadable: Vec<_> = records
        .iter()
        .filter(|r| r.get("error").is_some())
        .collect();
    assert_eq!(unreadable.len(), 1);
    assert_eq!(
        unreadable[0]["path"],
        "corpus/cases/unreadable/truncated.docx"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn json_lines() {
    let out = check("json-lines");
    for line in out.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    insta::assert_snapshot!(out);
}

#[test]
fn junit() {
    insta::assert_snapshot!(check("junit"));
}

#[test]
fn github() {
    insta::assert_snapshot!(check("github"));
}

#[test]
fn sarif_is_valid_against_the_published_schema() {
    let out = check("sarif");
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &log["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        jixiao::check::registry().len()
    );
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]["uri"],
        "corpus/cases/unreadable/truncated.docx"
    );
    // The results alone, which is what changes when rules change.
    insta::assert_snapshot!(serde_json::to_string_pretty(&run["results"]).unwrap());
}
