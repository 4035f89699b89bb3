//! The published JSON Schema of `extract`'s records (`docs/extract.schema.json`) is the one
//! generated from the types, and every record jixiao writes for the corpus validates against
//! it. Regenerate the file with `JIXIAO_WRITE_SCHEMA=1 cargo test --test schema`.

use std::process::Command;

#[test]
fn the_published_schema_is_generated_from_the_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/extract.schema.json");
    let generated =
        serde_json::to_string_pretty(&jixiao::emit::extraction::schema()).unwrap() + "\n";
    if std::env::var_os("JIXIAO_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        published == generated,
        "docs/extract.schema.json is out of date: JIXIAO_WRITE_SCHEMA=1 cargo test --test schema"
    );
}

#[test]
fn every_record_for_the_corpus_validates() {
    let schema = serde_json::to_value(jixiao::emit::extraction::schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args([
            "extract",
            "-q",
            "--format",
            "jsonl",
            "corpus/fixtures",
            "corpus/seeds",
            "corpus/cases",
            "corpus/renditions",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut kinds = [0; 3];
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .take(5)
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {errors:#?}",
            &line[..line.len().min(200)]
        );
        kinds[if v.get("source").is_some() {
            0
        } else if v.get("error").is_some() {
            1
        } else {
            2
        }] += 1;
    }
    // 9 fixtures + 3 seeds + 37 cases + 10 renditions (the reports and constructs.docx as .doc
    // and .rtf, constructs.docx itself, the Hunan .xls) read, the truncated case unreadable, and cross-document
    // records for JX601's 2021 case (it opens with a balance its 2020 report did not close
    // with) and for JX602's two identical copies.
    assert_eq!(
        kinds,
        [59, 1, 3],
        "documents, error records, cross-document records"
    );
    // Decimal values are strings, as the schema says.
    assert!(text.contains(r#""value":"1482.43""#));
}
