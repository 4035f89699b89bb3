//! The command line as users script against it: output shapes and exit codes.

use std::path::Path;
use std::process::Command;

fn jixiao(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run jixiao");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn dump_draws_tables_as_grids() {
    let (code, out, err) = jixiao(&["dump", "corpus/fixtures/dept-2021-xiangxi.docx"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("corpus/fixtures/dept-2021-xiangxi.docx (docx, 24362 bytes)\n"),
        "{out}"
    );
    // Tables, rows and columns counted from 1, as findings name them.
    assert!(out.contains("table 1: 49 rows × 8 cols    [body/tbl[1]]"));
    assert!(
        out.contains("\n18 │ 局机关及二级机构汇总 │ 1,478.93 │"),
        "{out}"
    );
}

#[test]
fn dump_json_is_the_model() {
    let (code, out, _) = jixiao(&[
        "dump",
        "--format",
        "json",
        "corpus/seeds/003_d4ae13a11fd94936.txt",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["source"]["format"], "text");
    assert_eq!(v["source"]["encoding"], "UTF-8");
    let tables: Vec<&serde_json::Value> = v["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "table")
        .collect();
    assert_eq!(tables.len(), 4);
    assert_eq!(
        tables[2]["origin"],
        serde_json::json!({"kind": "lines", "first": 696, "last": 745})
    );
}

#[test]
fn unreadable_input_exits_2_with_one_line_naming_the_file() {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.docx");
    std::fs::write(&empty, b"").unwrap();
    for (file, cause) in [
        (empty.as_path(), "empty file"),
        (Path::new("no/such/file.docx"), "cannot read file"),
    ] {
        let (code, out, err) = jixiao(&["dump", file.to_str().unwrap()]);
        assert_eq!(code, 2);
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!("jixiao: {}: {cause}", file.display())),
            "{err}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
