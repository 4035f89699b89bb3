//! Batches over archives: stable order, error records, globs, CSV and SQLite outputs,
//! re-runs, kills, stats and the cross-document rules, through the binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jixiao::batch::WINDOW_PER_THREAD;

fn jixiao_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run jixiao");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn jixiao(args: &[&str]) -> (i32, String, String) {
    jixiao_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn corpus(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A directory with the three fixture .docx files, their .html renditions in `web/`, a copy
/// of one of them under another name, and a truncated .docx.
fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("web")).unwrap();
    for name in ["dept-2021-xiangxi", "fund-2023-hunan", "project-2020-hechi"] {
        let docx = format!("corpus/fixtures/{name}.docx");
        std::fs::copy(corpus(&docx), dir.path().join(format!("{name}.docx"))).unwrap();
        std::fs::copy(
            corpus(&format!("corpus/fixtures/{name}.html")),
            dir.path().join(format!("web/{name}.html")),
        )
        .unwrap();
    }
    std::fs::copy(
        corpus("corpus/fixtures/fund-2023-hunan.docx"),
        dir.path().join("copy-of-hunan.docx"),
    )
    .unwrap();
    let bytes = std::fs::read(corpus("corpus/fixtures/project-2020-hechi.docx")).unwrap();
    std::fs::write(dir.path().join("broken.docx"), &bytes[..3000]).unwrap();
    dir
}

fn lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn jsonl_writes_one_record_per_file_in_path_order_whatever_the_threads() {
    let dir = archive();
    let (code, one, err) = jixiao_in(
        dir.path(),
        &["extract", "--format", "jsonl", "-j", "1", "."],
    );
    assert_eq!(code, 2, "a broken file makes the exit code 2: {err}");
    let (_, two, _) = jixiao_in(
        dir.path(),
        &["extract", "--format", "jsonl", "-j", "2", "."],
    );
    assert_eq!(one, two, "output does not depend on the thread count");
    let records = lines(&one);
    let paths: Vec<&str> = records
        .iter()
        .map(|r| r["source"]["path"].as_str().or(r["path"].as_str()).unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "./broken.docx",
            "./copy-of-hunan.docx",
            "./dept-2021-xiangxi.docx",
            "./fund-2023-hunan.docx",
            "./project-2020-hechi.docx",
            "./web/dept-2021-xiangxi.html",
            "./web/fund-2023-hunan.html",
            "./web/project-2020-hechi.html",
            // Findings that compare documents come last: the two identical files.
            "./copy-of-hunan.docx",
            "./fund-2023-hunan.docx",
        ]
    );
    assert!(
        records[0]["error"].as_str().unwrap().contains("zip"),
        "{}",
        records[0]
    );
    assert_eq!(records[2]["fields"]["income.total"]["value"], "1482.43");
    assert_eq!(records[8]["findings"][0]["code"], "JX602");
    assert_eq!(
        records[8]["findings"][0]["message"],
        "same content as ./fund-2023-hunan.docx"
    );
    assert_eq!(
        records[9]["findings"][0]["message"],
        "same content as ./copy-of-hunan.docx"
    );
    // The summary names the broken file and why, and counts by family.
    assert!(err.contains("./broken.docx: "), "{err}");
    assert!(
        err.contains(
            "7 documents read (2 dept-overall, 2 project-report, 3 project-selfeval-table)"
        ),
        "{err}"
    );
}

#[test]
fn globs_include_and_exclude_files_found_in_directories() {
    let dir = archive();
    let (_, out, _) = jixiao_in(
        dir.path(),
        &[
            "extract", "--format", "jsonl", "-q", "--glob", "*.html", "--glob", "!*hechi*", ".",
        ],
    );
    let paths: Vec<String> = lines(&out)
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        paths,
        ["./web/dept-2021-xiangxi.html", "./web/fund-2023-hunan.html"]
    );
    let (code, _, err) = jixiao_in(dir.path(), &["extract", "--glob", "[", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("--glob \"[\""), "{err}");
}

#[test]
fn paths_can_come_from_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args(["extract", "--format", "jsonl", "-"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"corpus/fixtures/project-2020-hechi.html\n\ncorpus/seeds/000_d660c977e1eff9a8.txt\n",
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let records = lines(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["family"], "project-report", "sorted by path");
    assert_eq!(records[1]["family"], "dept-overall");
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    // The files written here have no line breaks inside quoted cells except in sentences,
    // which these assertions do not read: split on lines, then on commas outside quotes.
    let text = std::fs::read_to_string(path).unwrap();
    // Each file starts with a UTF-8 byte-order mark, for Excel on Chinese Windows.
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut rows = Vec::new();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    for line in lines {
        let mut cells = Vec::new();
        let (mut cur, mut quoted) = (String::new(), false);
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                '"' => quoted = !quoted,
                ',' if !quoted => cells.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        cells.push(cur);
        rows.push(header.iter().cloned().zip(cells).collect());
    }
    rows
}

#[test]
fn csv_writes_one_file_per_kind_and_defuses_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("formula.html");
    std::fs::write(
        &html,
        "<table><tr><td>项目</td><td>金额（万元）</td></tr>\
         <tr><td>=HYPERLINK(\"http://x\")</td><td>12.50</td></tr>\
         <tr><td>@SUM(A1)</td><td>-3.00</td></tr></table>",
    )
    .unwrap();
    let out = dir.path().join("out");
    let fixture = corpus("corpus/fixtures/dept-2021-xiangxi.docx");
    let (code, _, err) = jixiao(&[
        "extract",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
        html.to_str().unwrap(),
        fixture.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cells.csv",
            "documents.csv",
            "fields.csv",
            "figures.csv",
            "findings.csv",
            "statements.csv"
        ],
        "no temporary file is left behind"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("fields.csv"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }
    let fields = read_csv(&out.join("fields.csv"));
    let income = fields.iter().find(|r| r["key"] == "income.total").unwrap();
    assert_eq!(income["value"], "1482.43");
    assert_eq!(income["raw"], "1,482.43");
    assert_eq!(income["unit"], "万元");
    assert_eq!(income["location"], "table[1]/r11c3");
    let cells = read_csv(&out.join("cells.csv"));
    let raws: Vec<&str> = cells
        .iter()
        .filter(|r| r["document"].ends_with("formula.html"))
        .map(|r| r["raw"].as_str())
        .collect();
    assert!(raws.contains(&"'=HYPERLINK(\"http://x\")"), "{raws:?}");
    assert!(raws.contains(&"'@SUM(A1)"), "{raws:?}");
    assert!(
        raws.contains(&"-3.00"),
        "a negative number stays a number: {raws:?}"
    );
    let documents = read_csv(&out.join("documents.csv"));
    assert_eq!(documents.len(), 2);
    // Rows follow path order, which depends on where the checkout and the
    // temporary directory live; find the report by its name.
    let report = documents
        .iter()
        .find(|r| r["path"].ends_with("dept-2021-xiangxi.docx"))
        .unwrap();
    assert_eq!(report["family"], "dept-overall");
    assert_eq!(report["year"], "2021");
}

/// `extract` into `out.db`, skipping the documents stored unchanged; the inputs follow.
const INCREMENTAL: [&str; 6] = [
    "extract",
    "--format",
    "sqlite",
    "--out",
    "out.db",
    "--incremental",
];

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn sqlite_reruns_add_nothing_twice_and_incremental_skips_unchanged_files() {
    let dir = archive();
    let db = dir.path().join("out.db");
    let run = |extra: &[&str]| {
        let mut args = vec!["extract", "--format", "sqlite", "--out", "out.db", "."];
        args.extend_from_slice(extra);
        jixiao_in(dir.path(), &args)
    };
    let (code, _, err) = run(&[]);
    assert_eq!(code, 2, "the broken file is an error record: {err}");
    let tables = [
        "documents",
        "fields",
        "cells",
        "figures",
        "statements",
        "findings",
    ];
    let counts = |db: &Path| -> Vec<i64> {
        tables
            .iter()
            .map(|t| count(db, &format!("SELECT count(*) FROM {t}")))
            .collect()
    };
    let first = counts(&db);
    assert_eq!(first[0], 8);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM documents WHERE status = 'error' AND path = './broken.docx'"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'"
        ),
        1
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM duplicate_documents WHERE path IN ('./copy-of-hunan.docx', './fund-2023-hunan.docx')"),
        2,
        "both copies are marked, neither dropped"
    );
    run(&[]);
    assert_eq!(counts(&db), first, "a re-run replaces, it does not add");
    let (_, _, err) = run(&["--incremental"]);
    assert!(err.contains("0 documents read"), "{err}");
    assert!(err.contains("7 unchanged and not read again"), "{err}");
    assert_eq!(counts(&db), first);
    // A changed file is replaced as a whole; the others stay skipped.
    std::fs::copy(
        corpus("corpus/fixtures/project-2020-hechi.docx"),
        dir.path().join("dept-2021-xiangxi.docx"),
    )
    .unwrap();
    let (_, _, err) = run(&["--incremental"]);
    assert!(err.contains("1 document read (1 project-report)"), "{err}");
    assert_eq!(
        count(&db, "SELECT count(*) FROM fields JOIN documents d ON d.id = document_id WHERE d.path = './dept-2021-xiangxi.docx' AND key = 'income.total'"),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM documents WHERE family = 'project-report'"
        ),
        3
    );
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_every_document_whole_and_the_next_run_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for i in 0..100 {
        for name in ["dept-2021-xiangxi", "fund-2023-hunan", "project-2020-hechi"] {
            std::fs::copy(
                corpus(&format!("corpus/fixtures/{name}.docx")),
                docs.join(format!("{i:03}-{name}.docx")),
            )
            .unwrap();
        }
    }
    // What each fixture contributes, from a complete run over one copy of each.
    let reference = dir.path().join("reference.db");
    jixiao_in(
        dir.path(),
        &[
            "extract",
            "-q",
            "--format",
            "sqlite",
            "--out",
            "reference.db",
            "--glob",
            "000-*",
            "docs",
        ],
    );
    let per_family = |db: &Path, table: &str| -> BTreeMap<String, i64> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT d.path, d.family, (SELECT count(*) FROM {table} t WHERE t.document_id = d.id) FROM documents d"
            ))
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))
            .unwrap();
        let mut out = BTreeMap::new();
        for r in rows {
            let (family, n) = r.unwrap();
            let prev = out.insert(family.clone(), n);
            assert!(
                prev.is_none() || prev == Some(n),
                "{table} of {family}: {prev:?} vs {n}"
            );
        }
        out
    };
    let expected_cells = per_family(&reference, "cells");
    let expected_fields = per_family(&reference, "fields");
    assert_eq!(expected_cells.len(), 3);

    // A named pipe that nobody writes, after the documents in path order: the run blocks on
    // it, so it is always killed mid-run however fast the machine is — and while it waits it
    // must have committed what it wrote (a stall commits), or this reader would stay locked
    // out.
    let fifo = dir.path().join("zz-never-written.txt");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let db = dir.path().join("out.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args([
            "extract",
            "-q",
            "-j",
            "1",
            "--format",
            "sqlite",
            "--out",
            "out.db",
            "docs",
            "zz-never-written.txt",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Every document before the pipe's window of files is written, and — the run having
    // stalled on the pipe — committed, although fewer than a group (256) follow the first
    // group. Wait for exactly those, then kill without warning.
    let before_the_pipe = (300 / WINDOW_PER_THREAD * WINDOW_PER_THREAD) as i64;
    let started = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let committed = rusqlite::Connection::open(&db)
            .ok()
            .and_then(|c| {
                c.busy_timeout(std::time::Duration::from_millis(200)).ok()?;
                c.query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0))
                    .ok()
            })
            .unwrap_or(0);
        if committed == before_the_pipe || started.elapsed().as_secs() > 120 {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = count(&db, "SELECT count(*) FROM documents");
    assert_eq!(partial, before_the_pipe, "committed when the run stalled");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    // Every document that is in is whole.
    assert_eq!(per_family(&db, "cells"), expected_cells);
    assert_eq!(per_family(&db, "fields"), expected_fields);
    // The next run completes the database.
    let (code, _, err) = jixiao_in(dir.path(), &[&INCREMENTAL[..], &["docs"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!("{partial} unchanged and not read again")),
        "{err}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM documents"), 300);
    assert_eq!(per_family(&db, "cells"), expected_cells);
}

#[test]
fn stats_agree_between_files_and_the_database() {
    let dir = archive();
    jixiao_in(
        dir.path(),
        &[
            "extract", "-q", "--format", "sqlite", "--out", "out.db", ".",
        ],
    );
    let (_, from_db, _) = jixiao_in(dir.path(), &["stats", "--format", "json", "out.db"]);
    let (code, from_files, _) = jixiao_in(dir.path(), &["stats", "--format", "json", "."]);
    assert_eq!(code, 2, "the broken file is reported");
    assert_eq!(from_db, from_files);
    let v: serde_json::Value = serde_json::from_str(&from_db).unwrap();
    assert_eq!(v["documents"]["dept-overall"]["2021"], 2);
    // copy-of-hunan.docx has the bytes of fund-2023-hunan.docx: counted once, with the HTML.
    assert_eq!(v["documents"]["project-selfeval-table"]["2023"], 2);
    assert_eq!(v["duplicates"], 1);
    assert_eq!(v["unreadable"], 1);
    // 9979 vs 9978 and five cities, in the .docx and the .html of the Hunan report.
    assert_eq!(v["findings"]["JX401"]["error"], 12);
    // The duplicate's own JX602 is not counted again; the kept copy's is.
    assert_eq!(v["findings"]["JX602"]["info"], 1);
    let benford = &v["benford"];
    assert!(benford["amounts"].as_u64().unwrap() > 100);
    let observed: f64 = benford["observed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert!((observed - 1.0).abs() < 1e-9);
}

#[test]
fn a_balance_carried_in_must_equal_last_years_closing_balance() {
    let (code, out, _) = jixiao(&[
        "check",
        "--output-format",
        "json",
        "corpus/cases/JX601/2020.html",
        "corpus/cases/JX601/broken-2021-opens-wrong.html",
    ]);
    assert_eq!(code, 1);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(findings.len(), 1, "{out}");
    let f = &findings[0];
    assert_eq!(f["code"], "JX601");
    assert_eq!(f["path"], "corpus/cases/JX601/broken-2021-opens-wrong.html");
    assert_eq!(f["stated"], "20.00");
    assert_eq!(f["computed"], "25.00");
    assert_eq!(f["involved"][1]["document"], "corpus/cases/JX601/2020.html");
    // Named as the document names it (row label and column header), not by the field's key.
    assert_eq!(f["involved"][1]["label"], "2020 合计/累计结转结余");
    let (code, out, _) = jixiao(&[
        "check",
        "--output-format",
        "concise",
        "corpus/cases/JX601/2020.html",
        "corpus/cases/JX601/clean-2021-opens-right.html",
    ]);
    assert_eq!((code, out.as_str()), (0, ""));
    // The ledgers go to a temporary file; without a usable $TMPDIR they stay in memory and
    // the finding is the same.
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args([
            "check",
            "--output-format",
            "concise",
            "corpus/cases/JX601/2020.html",
            "corpus/cases/JX601/broken-2021-opens-wrong.html",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TMPDIR", "/nonexistent-tmpdir")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("JX601 error"));
}

#[test]
fn an_incremental_run_checks_new_reports_against_stored_ones() {
    // Last year's report is stored by a first run (after another report, so that its ledger
    // is not the first one stored); the second run adds this year's with --incremental: last
    // year's ledger is read back from the database, not re-extracted.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        corpus("corpus/fixtures/project-2020-hechi.html"),
        dir.path().join("1999-hechi.html"),
    )
    .unwrap();
    std::fs::copy(
        corpus("corpus/cases/JX601/2020.html"),
        dir.path().join("2020.html"),
    )
    .unwrap();
    let run = || jixiao_in(dir.path(), &[&INCREMENTAL[..], &["."]].concat());
    let (code, _, err) = run();
    assert_eq!(code, 0, "{err}");
    std::fs::copy(
        corpus("corpus/cases/JX601/broken-2021-opens-wrong.html"),
        dir.path().join("2021.html"),
    )
    .unwrap();
    let (code, _, err) = run();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2 unchanged and not read again"), "{err}");
    let db = dir.path().join("out.db");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM findings f JOIN documents d ON d.id = f.document_id \
             WHERE f.code = 'JX601' AND d.path = './2021.html' AND f.stated = '20.00' \
             AND f.computed = '25.00'"
        ),
        1
    );
}

#[test]
fn bad_outputs_are_named_in_the_error() {
    let (code, _, err) = jixiao(&[
        "extract",
        "--format",
        "json",
        "--out",
        "/nonexistent-dir/out.json",
        "corpus/fixtures/project-2020-hechi.docx",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("jixiao: /nonexistent-dir/out.json: No such file"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let (code, _, err) = jixiao(&["stats", other.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not a database written by `jixiao extract --format sqlite`"),
        "{err}"
    );
}
