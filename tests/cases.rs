//! Every rule's own fixtures, in `corpus/cases/<CODE>/`: a `broken-*` document must make the
//! rule fire at its default severity, a `clean-*` twin must not (an info finding that rounding
//! explains is allowed), and the findings of each file are pinned by a snapshot
//! (`tests/snapshots/cases__<CODE>-<file>.snap`, read by hand). A cross-document rule (JX6xx)
//! is run on batches: its `broken-*` files together with the folder's other files (last
//! year's report, say) must make it fire, its `clean-*` files with the same others must not.

use std::path::{Path, PathBuf};

use jixiao::batch::checked;
use jixiao::check::{registry, Check, Finding, Settings};
use jixiao::read::{read_path, Limits};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/cases")
}

fn findings(path: &Path) -> Vec<Finding> {
    let doc = read_path(path, &Limits::default()).unwrap();
    checked(&doc, &Settings::default()).findings
}

/// One line per finding, with everything an auditor reads.
fn render(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {}: {}\n  stated {:?}, computed {:?}, difference {:?}, class {:?}\n",
                f.code, f.severity, f.at, f.message, f.stated, f.computed, f.difference, f.class
            )
        })
        .collect()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_document_rule_fires_on_its_broken_case_and_not_on_its_clean_one() {
    for rule in registry() {
        if !matches!(rule.check, Check::Document(_)) {
            continue;
        }
        let dir = cases_dir().join(rule.code);
        assert!(
            dir.is_dir(),
            "{} has no corpus/cases/{}/",
            rule.code,
            rule.code
        );
        let (mut broken, mut clean) = (0, 0);
        for path in files(&dir) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let all = findings(&path);
            let at_default = all
                .iter()
                .filter(|f| f.code == rule.code && f.severity == rule.severity)
                .count();
            if name.starts_with("broken-") {
                broken += 1;
                assert!(
                    at_default > 0,
                    "{}/{name}: no {:?} finding\n{}",
                    rule.code,
                    rule.severity,
                    render(&all)
                );
            } else if name.starts_with("clean-") {
                clean += 1;
                assert_eq!(at_default, 0, "{}/{name}:\n{}", rule.code, render(&all));
            } else {
                panic!(
                    "{}/{name}: case files are named broken-* or clean-*",
                    rule.code
                );
            }
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            insta::assert_snapshot!(format!("{}-{stem}", rule.code), render(&all));
        }
        assert!(
            broken > 0 && clean > 0,
            "{} needs a broken and a clean case",
            rule.code
        );
    }
}

/// `jixiao check` over `files` as one batch, only rule `code`: the findings.
fn batch_findings(code: &str, files: &[PathBuf]) -> Vec<serde_json::Value> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args(["check", "--output-format", "json-lines", "--select", code])
        .args(files)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_batch_rule_fires_on_its_broken_batch_and_not_on_its_clean_one() {
    for rule in registry() {
        if !matches!(rule.check, Check::Batch(_)) {
            continue;
        }
        let all = files(&cases_dir().join(rule.code));
        // The `broken-*` (or `clean-*`) files with the folder's unprefixed ones.
        let batch = |prefix: &str| -> Vec<PathBuf> {
            all.iter()
                .filter(|p| {
                    let name = p.file_name().unwrap().to_string_lossy();
                    name.starts_with(prefix)
                        || !(name.starts_with("broken-") || name.starts_with("clean-"))
                })
                .cloned()
                .collect()
        };
        let at_default = |found: &[serde_json::Value]| {
            found
                .iter()
                .filter(|f| f["code"] == rule.code && f["severity"] == rule.severity.name())
                .count()
        };
        let broken = batch_findings(rule.code, &batch("broken-"));
        assert!(at_default(&broken) > 0, "{}: {broken:?}", rule.code);
        let clean = batch_findings(rule.code, &batch("clean-"));
        assert_eq!(at_default(&clean), 0, "{}: {clean:?}", rule.code);
    }
}
