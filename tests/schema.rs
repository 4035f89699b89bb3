//! The published JSON Schemas — of `extract`'s records (`docs/extract.schema.json`), of
//! extractor files (`docs/extractor.schema.json`), of the vocabulary
//! (`docs/vocabulary.schema.json`) and of `jixiao.toml` (`docs/config.schema.json`) — are the
//! ones generated from the types; every record jixiao writes for the corpus and every file it
//! ships validates against its schema. Regenerate the files with
//! `JIXIAO_WRITE_SCHEMA=1 cargo test --test schema`.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `schema`, which must be the one published as `docs/{file}`.
fn published(file: &str, schema: schemars::Schema) -> serde_json::Value {
    let path = root().join("docs").join(file);
    let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    if std::env::var_os("JIXIAO_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        text == generated,
        "docs/{file} is out of date: JIXIAO_WRITE_SCHEMA=1 cargo test --test schema"
    );
    serde_json::to_value(schema).unwrap()
}

/// The errors of the TOML `text` against `schema`.
fn errors(schema: &serde_json::Value, text: &str) -> Vec<String> {
    let value: serde_json::Value = toml::from_str(text).unwrap();
    let validator = jsonschema::validator_for(schema).unwrap();
    validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_published_schemas_are_generated_from_the_types() {
    published("extract.schema.json", jixiao::emit::extraction::schema());
    published("extractor.schema.json", jixiao::extract::family::schema());
    published("vocabulary.schema.json", jixiao::vocabulary::schema());
    published("config.schema.json", jixiao::config::schema());
}

/// The built-in extractors, the vocabulary, `jixiao init`'s file (with every key uncommented)
/// and the README's example validate; a misspelt key or role does not.
#[test]
fn the_shipped_configuration_validates_and_mistakes_do_not() {
    let extractor = serde_json::to_value(jixiao::extract::family::schema()).unwrap();
    let vocabulary = serde_json::to_value(jixiao::vocabulary::schema()).unwrap();
    let config = serde_json::to_value(jixiao::config::schema()).unwrap();
    let mut families = 0;
    for entry in std::fs::read_dir(root().join("extractors")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let schema = if path.ends_with("vocabulary.toml") {
            &vocabulary
        } else {
            families += 1;
            &extractor
        };
        assert_eq!(
            errors(schema, &text),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
    }
    assert_eq!(families, jixiao::extract::family::built_in().len());
    let template = include_str!("../src/jixiao.init.toml");
    let open: String = template
        .lines()
        .filter(|l| l.starts_with("# ") && (l.contains(" = ") || l.starts_with("# [")))
        .map(|l| format!("{}\n", &l[2..]))
        .collect();
    assert!(open.contains("[materiality]"));
    assert_eq!(errors(&config, &open), Vec::<String>::new());
    let readme = include_str!("../README.md");
    let start = readme.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &readme[start..start + readme[start..].find("```").unwrap()];
    assert_eq!(errors(&config, example), Vec::<String>::new());

    assert_eq!(
        errors(&config, "fail-on = \"warning\"\nlang = \"fr\"\n").len(),
        1
    );
    assert_eq!(errors(&config, "fail_on = \"warning\"\n").len(), 1);
    let family = "id = \"x\"\nname = \"x\"\ndetect = [\"x\"]\n";
    assert_eq!(errors(&extractor, family), Vec::<String>::new());
    assert_eq!(
        errors(
            &extractor,
            &format!("{family}[roles]\npionts = [\"权重\"]\n")
        )
        .len(),
        1
    );
    let table = "[[table]]\nkey = \"t\"\nfind = [\"t\"]\ncolumns = {}\nrows = \"Each\"\n";
    assert_eq!(errors(&extractor, &format!("{family}{table}")).len(), 1);
}

#[test]
fn every_record_for_the_corpus_validates() {
    let schema = published("extract.schema.json", jixiao::emit::extraction::schema());
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
    // 9 fixtures + 3 seeds + 129 cases + 18 renditions (the reports and constructs.docx as .doc,
    // .rtf and .pdf, constructs.docx itself, unruled.docx and .pdf, columns.docx and .pdf, the
    // Hunan .xls) read, the truncated case unreadable, and cross-document
    // records for JX601's 2021 case (it opens with a balance its 2020 report did not close
    // with) and for JX602's two identical copies.
    assert_eq!(
        kinds,
        [159, 1, 3],
        "documents, error records, cross-document records"
    );
    // Decimal values are strings, as the schema says.
    assert!(text.contains(r#""value":"1482.43""#));
}
