//! Table grids against an independent reader: pandoc, on its own test files (read from the
//! peer files, never committed). Its expected readings (`.native`, turned into grids by
//! `scripts/pandoc_oracle.py --export-native`) must match jixiao's cell for cell, and its live
//! reading must show no disagreement that the XML does not prove to be pandoc's
//! (docs/robustness.md). Needs pandoc and python3 (`.ci/run` installs pandoc).

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use common::outside::Outside;

use jixiao::model::Table;
use jixiao::read::{read_path, Limits};

type Anchor = (usize, usize, String);

/// Anchors by (row, col): spans and whitespace-collapsed text, nested grids by position.
fn jixiao_anchors(t: &Table) -> BTreeMap<(usize, usize), Anchor> {
    t.cells
        .iter()
        .map(|c| {
            let text = c.text.split_whitespace().collect::<Vec<_>>().join(" ");
            ((c.row, c.col), (c.row_span, c.col_span, text))
        })
        .collect()
}

fn expected_anchors(grid: &serde_json::Value) -> BTreeMap<(usize, usize), Anchor> {
    grid["anchors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let n = |i: usize| a[i].as_u64().unwrap() as usize;
            (
                (n(0), n(1)),
                (n(2), n(3), a[4].as_str().unwrap().to_string()),
            )
        })
        .collect()
}

fn covered(anchors: &BTreeMap<(usize, usize), Anchor>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (&(r, c), (rs, cs, _)) in anchors {
        for rr in r..r + rs {
            for cc in c..c + cs {
                out.push((rr, cc));
            }
        }
    }
    out
}

/// Runs the oracle script over the peer files, or says why it cannot (no peer files, no
/// pandoc or python3; under `CI=true` a missing tool fails the test).
fn run_oracle(test: &str, native_grids: &Path) -> Option<(std::path::PathBuf, String)> {
    let peer = Outside::PeerFiles.dir(test)?;
    let have = |cmd: &str| {
        Command::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("pandoc") || !have("python3") {
        let message =
            format!("skipped {test}: pandoc or python3 not installed (.ci/run installs pandoc)");
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        let _ = writeln!(std::io::stderr(), "{message}");
        return None;
    }
    let out = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pandoc_oracle.py"))
        .args([
            "--check",
            "--jixiao",
            env!("CARGO_BIN_EXE_jixiao"),
            "--export-native",
        ])
        .arg(native_grids)
        .env("JIXIAO_PEER_FILES", &peer)
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some((peer, text))
}

#[test]
fn grids_match_pandocs_readings() {
    let native_grids = tempfile::NamedTempFile::new().unwrap();
    let Some((root, live)) = run_oracle("grids_match_pandocs_readings", native_grids.path()) else {
        return;
    };
    assert!(
        live.contains("disagreements not known to be pandoc's: 0"),
        "{live}"
    );
    let expected: BTreeMap<String, Vec<serde_json::Value>> =
        serde_json::from_str(&std::fs::read_to_string(native_grids.path()).unwrap()).unwrap();
    assert_eq!(
        expected.len(),
        11,
        "pandoc test files with tables and a .native reading"
    );
    let (mut cells, mut agree, mut filler) = (0, 0, 0);
    let mut disagreements = Vec::new();
    for (file, grids) in &expected {
        let doc = read_path(&root.join(file), &Limits::default()).unwrap();
        let tables: Vec<&Table> = doc.top_level_tables().collect();
        assert_eq!(tables.len(), grids.len(), "{file}: number of tables");
        for (i, (t, grid)) in tables.iter().zip(grids).enumerate() {
            let ours = jixiao_anchors(t);
            let theirs = expected_anchors(grid);
            let ours_cover = covered(&ours);
            for key in ours
                .keys()
                .chain(theirs.keys())
                .collect::<std::collections::BTreeSet<_>>()
            {
                cells += 1;
                match (ours.get(key), theirs.get(key)) {
                    (a, Some(b)) if a == Some(b) => agree += 1,
                    // pandoc writes an empty cell where gridBefore/gridAfter leave the grid
                    // position empty; jixiao leaves it uncovered.
                    (None, Some((1, 1, t))) if t.is_empty() && !ours_cover.contains(key) => {
                        filler += 1
                    }
                    (a, b) => disagreements
                        .push(format!("{file} T{i} {key:?}: jixiao {a:?}, pandoc {b:?}")),
                }
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    // The figures docs/robustness.md reports.
    assert_eq!((cells, agree, filler), (314, 299, 15));
}
