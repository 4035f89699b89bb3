//! The auditor's day on the command line (issue 20): nothing skipped in silence, a run that
//! checked nothing says so, a file that is no report is not a clean pass, JUnit keeps info
//! findings out of its failures.

use std::path::Path;
use std::process::Command;

fn jixiao(args: &[&str]) -> (i32, String, String) {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn copy(from: &str, to: &Path) {
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(from), to).unwrap();
}

#[test]
fn every_file_a_walk_meets_is_read_or_listed_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    copy(
        "corpus/renditions/project-2020-hechi.doc",
        &dir.path().join("hechi.doc"),
    );
    std::fs::write(dir.path().join("hello.md"), "hello\n").unwrap();
    std::fs::write(dir.path().join("scan.tif"), b"II*\0").unwrap();
    std::fs::write(dir.path().join("LICENSE"), "MIT\n").unwrap();
    let (code, out, err) = jixiao(&[
        "check",
        "--output-format",
        "concise",
        dir.path().to_str().unwrap(),
    ]);
    // Hechi has no finding: exit 0.
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("1 document read (1 project-report)") && err.contains("; 3 skipped"),
        "{err}"
    );
    for (name, reason) in [
        ("hello.md", "not a format jixiao reads (.md)"),
        ("scan.tif", "not a format jixiao reads (.tif)"),
        ("LICENSE", "not a format jixiao reads (no extension)"),
    ] {
        let line = format!(
            "jixiao: {}: skipped: {reason}",
            dir.path().join(name).display()
        );
        assert!(err.lines().any(|l| l == line), "{line}\n{err}");
    }
    // -q still lists what was skipped, without the summary.
    let (_, _, quiet) = jixiao(&["check", "-q", dir.path().to_str().unwrap()]);
    assert_eq!(quiet.lines().count(), 3, "{quiet}");
}

#[test]
fn a_run_that_checked_nothing_exits_2_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.tif"), b"II*\0").unwrap();
    std::fs::write(dir.path().join("b.csv"), "a,b\n1,2\n").unwrap();
    let (code, _, err) = jixiao(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.ends_with("jixiao: no document was checked (0 unreadable, 2 skipped)\n"),
        "{err}"
    );
}

#[test]
fn a_readable_file_that_is_no_report_is_not_a_clean_pass() {
    let dir = tempfile::tempdir().unwrap();
    let hello = dir.path().join("hello.txt");
    std::fs::write(&hello, "hello\n").unwrap();
    let (code, out, _) = jixiao(&[
        "check",
        "--output-format",
        "concise",
        hello.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!(
            "{}:document: JX001 warning not a report: no figures and no tables were found\n",
            hello.display()
        )
    );
    // A real report is not flagged.
    let (_, out, _) = jixiao(&[
        "check",
        "--output-format",
        "concise",
        "corpus/fixtures/project-2020-hechi.docx",
    ]);
    assert!(!out.contains("JX001"), "{out}");
}

#[test]
fn junit_failures_are_the_findings_that_fail_the_run() {
    // Xiangxi exits 0: of its nine findings six are info and three warnings, below the
    // default fail level (error); with --fail-on warning the three are failures.
    let xiangxi = "corpus/fixtures/dept-2021-xiangxi.docx";
    let (code, out, _) = jixiao(&["check", "--output-format", "junit", xiangxi]);
    assert_eq!(code, 0);
    assert!(
        out.contains("tests=\"9\" failures=\"0\" errors=\"0\""),
        "{out}"
    );
    assert_eq!(out.matches("<system-out>").count(), 9);
    let (code, out, _) = jixiao(&[
        "check",
        "--output-format",
        "junit",
        "--fail-on",
        "warning",
        xiangxi,
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("tests=\"9\" failures=\"3\" errors=\"0\""),
        "{out}"
    );
    let (code, out, _) = jixiao(&[
        "check",
        "--output-format",
        "junit",
        "corpus/fixtures/fund-2023-hunan.docx",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("tests=\"20\" failures=\"6\" errors=\"0\""),
        "{out}"
    );
}

#[test]
fn the_summary_counts_in_words_that_agree() {
    let (_, out, _) = jixiao(&["check", "corpus/fixtures/project-2020-hechi.docx"]);
    assert!(
        out.ends_with("1 document, 0 errors, 0 warnings, 0 info\n"),
        "{out}"
    );
}

/// A copy of `docx` whose main part went through `edit`.
fn edited_docx(docx: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(docx)).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        if name == "word/document.xml" {
            data = edit(String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Each finding's code and fingerprint, from `check --output-format json`.
fn fingerprints(path: &Path) -> Vec<(String, String, String)> {
    let (_, out, _) = jixiao(&["check", "--output-format", "json", path.to_str().unwrap()]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    findings
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
                f["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// One figure edited (附件3's 全省合计 项目个数, 9978 → 9977) and a paragraph added before
/// everything: the finding about that figure gets a new fingerprint, every other finding keeps
/// its own although the file's bytes and every paragraph's index changed.
#[test]
fn fingerprints_stay_put_across_edits_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original.docx");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fixtures/fund-2023-hunan.docx"),
        &original,
    )
    .unwrap();
    let edited = dir.path().join("edited.docx");
    let bytes = edited_docx("corpus/fixtures/fund-2023-hunan.docx", |xml| {
        assert_eq!(xml.matches(">9978<").count(), 1);
        xml.replace(">9978<", ">9977<").replacen(
            "<w:body>",
            "<w:body><w:p><w:r><w:t>（修订稿）</w:t></w:r></w:p>",
            1,
        )
    });
    std::fs::write(&edited, bytes).unwrap();
    let before = fingerprints(&original);
    let after = fingerprints(&edited);
    assert_eq!(before.len(), 20);
    // 9978 was also the total of 附件3's column, whose parts still add up to 9978: one finding
    // more.
    assert_eq!(after.len(), 21, "{after:#?}");
    let kept: Vec<_> = before
        .iter()
        .filter(|b| after.iter().any(|a| a.2 == b.2))
        .collect();
    let changed: Vec<_> = before
        .iter()
        .filter(|b| !after.iter().any(|a| a.2 == b.2))
        .collect();
    assert_eq!(kept.len(), 19, "{changed:#?}");
    assert_eq!(changed.len(), 1);
    assert!(
        changed[0].0 == "JX401" && changed[0].1.contains("全省合计/项目个数 is 9978"),
        "{changed:?}"
    );
    // The fingerprints are distinct within the document (the SQLite output keys on them).
    let mut distinct: Vec<&String> = after.iter().map(|a| &a.2).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 21);
}

/// Runs jixiao in `dir`, so that its `jixiao.toml` is the one found.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn corpus(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn noise_is_cut_by_display_level_severity_overrides_and_materiality() {
    let hunan = corpus("corpus/fixtures/fund-2023-hunan.docx");
    let dir = tempfile::tempdir().unwrap();
    // Display only: the six errors are shown, the thirteen info findings still counted.
    let (code, out, _) = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--min-severity",
            "error",
            &hunan,
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 6, "{out}");
    assert!(out.lines().all(|l| l.contains(" error ")), "{out}");
    // Per-rule severity: Xiangxi's three JX402 warnings as errors fail the run.
    let xiangxi = corpus("corpus/fixtures/dept-2021-xiangxi.docx");
    std::fs::write(
        dir.path().join("jixiao.toml"),
        "[severity]\nJX402 = \"error\"\n",
    )
    .unwrap();
    let (code, out, _) = run_in(
        dir.path(),
        &["check", "--output-format", "concise", &xiangxi],
    );
    assert_eq!(code, 1);
    assert_eq!(out.matches("JX402 error").count(), 3, "{out}");
    // Materiality: the JX101 case's 1.00 万元 gap is immaterial under a 2 万元 threshold and
    // material under 0.5; the percentage and count findings of Hunan are not money.
    let case = corpus("corpus/cases/JX101/broken-income-rows.html");
    std::fs::write(
        dir.path().join("jixiao.toml"),
        "[materiality]\namount = 2\n",
    )
    .unwrap();
    let (code, out, _) = run_in(dir.path(), &["check", "--output-format", "concise", &case]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("JX101 info total row does not add up: 汇总/其他收入 is stated as 5.01, its parts 6.00 + 0.01 sum to 6.01 (difference +1.00) (below the materiality threshold)"), "{out}");
    let (_, out, _) = run_in(dir.path(), &["check", "--output-format", "concise", &hunan]);
    assert!(!out.contains("materiality"), "{out}");
    std::fs::write(
        dir.path().join("jixiao.toml"),
        "[materiality]\namount = \"0.5\"\n",
    )
    .unwrap();
    let (code, _, _) = run_in(dir.path(), &["check", "--output-format", "concise", &case]);
    assert_eq!(code, 1);
    // Per family: Xiangxi (dept-overall) states three money figures its tables lack, 7.31,
    // 6.41 and 1.42 万元 off (JX402); under its family's 10 万元 they are immaterial, under
    // another family's they stay warnings.
    for (config, warnings) in [
        (
            "[materiality]\namount = \"0.5\"\n[materiality.family.dept-overall]\namount = 10\n",
            0,
        ),
        (
            "[materiality]\namount = \"0.5\"\n[materiality.family.project-report]\namount = 10\n",
            3,
        ),
    ] {
        std::fs::write(dir.path().join("jixiao.toml"), config).unwrap();
        let (code, out, _) = run_in(
            dir.path(),
            &["check", "--output-format", "concise", &xiangxi],
        );
        assert_eq!(code, 0, "{out}");
        assert_eq!(out.matches("JX402 warning").count(), warnings, "{out}");
        assert_eq!(out.matches("JX402 info").count(), 3 - warnings, "{out}");
        if warnings == 0 {
            assert!(out.contains("JX402 info the text states 基本支出 823.04万元, but no table has it; the table's 基本支出 column has 830.35, 681.05, 149.30 (below the materiality threshold)"), "{out}");
        }
    }
    std::fs::write(
        dir.path().join("jixiao.toml"),
        "[materiality.family.budget]\namount = 10\n",
    )
    .unwrap();
    let (code, _, err) = run_in(dir.path(), &["check", &xiangxi]);
    assert_eq!(code, 2);
    assert!(
        err.contains("[materiality.family.budget]: no family \"budget\" (families: "),
        "{err}"
    );
    // An unknown key is refused with the file and the key.
    std::fs::write(
        dir.path().join("jixiao.toml"),
        "[materiality]\npercent = 1\n",
    )
    .unwrap();
    let (code, _, err) = run_in(dir.path(), &["check", &case]);
    assert_eq!(code, 2);
    assert!(
        err.contains("jixiao.toml") && err.contains("unknown field `percent`"),
        "{err}"
    );
}

#[test]
fn a_baseline_suppresses_recorded_findings_and_lists_the_gone_ones() {
    let dir = tempfile::tempdir().unwrap();
    let hunan = dir.path().join("hunan.docx");
    std::fs::copy(corpus("corpus/fixtures/fund-2023-hunan.docx"), &hunan).unwrap();
    let baseline = dir.path().join("baseline.json");
    let (code, _, _) = run_in(
        dir.path(),
        &[
            "check",
            "-q",
            "--write-baseline",
            "baseline.json",
            "hunan.docx",
        ],
    );
    assert_eq!(code, 1);
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(recorded["findings"].as_array().unwrap().len(), 20);
    // Unchanged: nothing new, exit 0.
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--baseline",
            "baseline.json",
            "hunan.docx",
        ],
    );
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    // One figure edited: its finding is new, the one it replaces is gone.
    std::fs::write(
        &hunan,
        edited_docx("corpus/fixtures/fund-2023-hunan.docx", |xml| {
            xml.replace(">9978<", ">9977<")
        }),
    )
    .unwrap();
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--baseline",
            "baseline.json",
            "hunan.docx",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.lines().all(|l| l.contains("9977")), "{out}");
    assert!(
        err.contains("jixiao: 1 findings of the baseline are gone:"),
        "{err}"
    );
    assert!(err.contains("hunan.docx: gone: JX401 the same quantity differs between two tables: table 3 全省合计/项目个数 is 9978"), "{err}");
}

#[test]
fn quiet_silences_both_summaries_and_colour_follows_the_flag() {
    let xiangxi = "corpus/fixtures/dept-2021-xiangxi.docx";
    let (_, out, err) = jixiao(&[
        "check",
        "-q",
        "corpus/fixtures/project-2020-hechi.docx",
        xiangxi,
    ]);
    assert!(!out.contains("documents,") && err.is_empty(), "{out}{err}");
    let (_, out, _) = jixiao(&[
        "check",
        "--output-format",
        "concise",
        "--color",
        "always",
        xiangxi,
    ]);
    assert!(out.contains(" JX102 \u{1b}[1;34minfo\u{1b}[0m "), "{out}");
    // Not a terminal: `auto` writes no colour.
    let (_, out, _) = jixiao(&["check", "--output-format", "concise", xiangxi]);
    assert!(!out.contains('\u{1b}'), "{out}");
}

#[test]
fn extract_has_one_shape_per_input_kind_and_honours_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::copy(
        corpus("corpus/fixtures/fund-2023-hunan.docx"),
        docs.join("hunan.docx"),
    )
    .unwrap();
    // A directory gives an array even when it holds one file; a file named gives its record.
    let (_, out, _) = run_in(dir.path(), &["extract", "-q", "docs"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    let (_, out, _) = run_in(dir.path(), &["extract", "-q", "docs/hunan.docx"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes = |v: &serde_json::Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(codes(&v).iter().any(|c| c == "JX401"));
    // The same jixiao.toml as check: its ignore list applies to the records' findings.
    std::fs::write(dir.path().join("jixiao.toml"), "ignore = [\"JX4\"]\n").unwrap();
    let (_, out, _) = run_in(dir.path(), &["extract", "-q", "docs/hunan.docx"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        !codes(&v).iter().any(|c| c.starts_with("JX4")),
        "{:?}",
        codes(&v)
    );
    assert!(codes(&v).iter().any(|c| c == "JX201"));
}

#[test]
fn csv_files_open_in_excel_as_utf8_unless_asked_not_to() {
    let dir = tempfile::tempdir().unwrap();
    let hechi = corpus("corpus/fixtures/project-2020-hechi.docx");
    for (flag, bom) in [(None, true), (Some("--no-bom"), false)] {
        let out = dir.path().join(if bom { "with" } else { "without" });
        let mut args = vec![
            "extract",
            "-q",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
            &hechi,
        ];
        args.extend(flag);
        let (code, _, err) = run_in(dir.path(), &args);
        assert_eq!(code, 0, "{err}");
        let bytes = std::fs::read(out.join("documents.csv")).unwrap();
        assert_eq!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), bom);
    }
}

/// The findings workbook, read back with calamine: findings with their places, documents with
/// their counts, the files not checked.
#[test]
fn findings_workbook_reads_back_in_excel_terms() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        corpus("corpus/fixtures/fund-2023-hunan.docx"),
        dir.path().join("hunan.docx"),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.md"), "hello\n").unwrap();
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "check",
            "-q",
            "--lang",
            "zh",
            "--output-format",
            "xlsx",
            "--out",
            "findings.xlsx",
            ".",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let mut book: Xlsx<_> = open_workbook(dir.path().join("findings.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["发现的问题", "文档", "未检查的文件"]);
    let text = |d: &Data| d.to_string();
    let findings = book.worksheet_range("发现的问题").unwrap();
    let rows: Vec<Vec<String>> = findings
        .rows()
        .map(|r| r.iter().map(text).collect())
        .collect();
    assert_eq!(rows[0][..3], ["文档", "规则", "规则名"]);
    assert_eq!(rows.len(), 1 + 20);
    let jx201 = rows.iter().find(|r| r[1] == "JX201").unwrap();
    assert_eq!(jx201[6..9], ["65.65", "65.6557", "0.0057"]);
    assert_eq!(jx201[9], "第2张表 第4行 第11列（body/tbl[2]/tr[4]/tc[7]）");
    let documents = book.worksheet_range("文档").unwrap();
    let doc: Vec<String> = documents.rows().nth(1).unwrap().iter().map(text).collect();
    assert_eq!(doc[..3], ["./hunan.docx", "docx", "project-selfeval-table"]);
    assert_eq!(doc[6..], ["6", "1", "13"]);
    let files = book.worksheet_range("未检查的文件").unwrap();
    let skipped: Vec<String> = files.rows().nth(1).unwrap().iter().map(text).collect();
    assert_eq!(
        skipped,
        ["./notes.md", "跳过", "not a format jixiao reads (.md)"]
    );
    // Without --out there is nowhere to put a workbook.
    let (code, _, err) = run_in(
        dir.path(),
        &["check", "--output-format", "xlsx", "hunan.docx"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--output-format xlsx needs --out FILE.xlsx"),
        "{err}"
    );
}

#[test]
fn init_writes_a_commented_config_that_check_reads() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_in(dir.path(), &["init"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path().join("jixiao.toml")).unwrap();
    assert!(text.contains("# [materiality]") && text.contains("# fail-on = \"error\""));
    let (code, _, err) = run_in(dir.path(), &["init"]);
    assert_eq!(code, 2);
    assert!(err.contains("jixiao.toml already exists"), "{err}");
    assert_eq!(run_in(dir.path(), &["init", "--force"]).0, 0);
    let hechi = corpus("corpus/fixtures/project-2020-hechi.docx");
    assert_eq!(run_in(dir.path(), &["check", "-q", &hechi]).0, 0);
}

#[test]
fn stats_counts_identical_files_once_and_gives_no_verdict_on_few_figures() {
    let dir = tempfile::tempdir().unwrap();
    let hechi = corpus("corpus/fixtures/project-2020-hechi.docx");
    std::fs::copy(&hechi, dir.path().join("a.docx")).unwrap();
    std::fs::copy(&hechi, dir.path().join("b.docx")).unwrap();
    let (_, from_files, _) = run_in(dir.path(), &["stats", "-q", "a.docx", "b.docx"]);
    assert!(
        from_files.contains("  project-report                 2020        1\n"),
        "{from_files}"
    );
    assert!(
        from_files.contains("identical to a file counted                          1"),
        "{from_files}"
    );
    assert!(
        from_files.contains(": not enough figures for a verdict"),
        "{from_files}"
    );
    // The same counts from a database the two files were extracted into.
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "extract", "-q", "--format", "sqlite", "--out", "x.db", "a.docx", "b.docx",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (_, from_db, _) = run_in(dir.path(), &["stats", "x.db"]);
    assert_eq!(from_db, from_files);
}

#[test]
fn messages_summaries_and_rule_documentation_speak_the_chosen_language() {
    let hunan = corpus("corpus/fixtures/fund-2023-hunan.docx");
    let zh_note =
        "JX304 提示 年度资金总额/自评得分为9.5，但分值10 × 94.97% = 9.497；四舍五入可以解释该差异";
    let en_note = "JX304 info 年度资金总额/自评得分 scores 9.5, but 分值 10 × 94.97% = 9.497; rounding explains it";
    let (code, out, _) = jixiao(&[
        "check",
        "--lang",
        "zh",
        "--output-format",
        "concise",
        &hunan,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains(zh_note), "{out}");
    // `full`: severities, figures, places and the count of the batch in Chinese; the
    // document's own labels as written.
    let (_, out, _) = jixiao(&["check", "--lang", "zh", &hunan]);
    assert!(
        out.contains("提示 JX304[score-from-rate]: 年度资金总额/自评得分为9.5"),
        "{out}"
    );
    assert!(
        out.contains("第1张表 第4行 第9列（body/tbl[1]/tr[4]/tc[8]）"),
        "{out}"
    );
    assert!(out.contains("| 目标 100，实际 94.97，差额 -5.03"), "{out}");
    assert!(
        out.ends_with("1 份文档，6 个错误，1 个警告，13 条提示\n"),
        "{out}"
    );
    // `lang` in jixiao.toml, overridden by the flag; else the locale.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("jixiao.toml"), "lang = \"zh\"\n").unwrap();
    let concise = ["check", "--output-format", "concise", hunan.as_str()];
    let (_, out, _) = run_in(dir.path(), &concise);
    assert!(out.contains(zh_note), "{out}");
    let (_, out, _) = run_in(dir.path(), &[&concise[..], &["--lang", "en"]].concat());
    assert!(out.contains(en_note), "{out}");
    let in_locale = |locale: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(concise)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", locale)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(in_locale("zh_CN.UTF-8").contains(zh_note));
    assert!(in_locale("en_US.UTF-8").contains(en_note));
    // A batch's summary on standard error.
    let (_, _, err) = jixiao(&[
        "check",
        "--lang",
        "zh",
        &hunan,
        "corpus/fixtures/project-2020-hechi.docx",
    ]);
    assert!(err.starts_with("jixiao：已读取 2 份文档（1 project-report, 1 project-selfeval-table）；发现：6 个错误，1 个警告，13 条提示；0 个无法读取；跳过 0 个\n"), "{err}");
    // Rule documentation.
    let (_, out, _) = jixiao(&["rule", "JX302", "--lang", "zh"]);
    assert!(out.starts_with("JX302 score-above-points（默认严重程度：错误）\n\n得分高于该项的分值。\n\n## 检查内容\n"), "{out}");
    assert!(!out.contains("What it flags"), "{out}");
    let (_, out, _) = jixiao(&["--lang", "en", "rule", "JX302"]);
    assert!(out.starts_with("JX302 score-above-points (default severity: error)\n\nA score is higher than the points its item can earn.\n\n## What it flags\n"), "{out}");
    assert!(!out.contains("中文"), "{out}");
    let (_, out, _) = jixiao(&["rules", "--lang", "zh"]);
    assert!(
        out.contains("JX302  score-above-points       错误"),
        "{out}"
    );
}

#[test]
fn a_message_writes_its_figures_as_the_document_does() {
    // Xiangxi's expenditure table writes thousands separators: the computed sum is written
    // with them too (830.35 + 648.59 = 1,478.94, checked by hand), not as 1478.94.
    let (_, out, _) = jixiao(&[
        "check",
        "--lang",
        "en",
        "--output-format",
        "concise",
        "corpus/fixtures/dept-2021-xiangxi.docx",
    ]);
    assert!(out.contains("total column does not add up: 局机关及二级机构汇总/支出合计 is stated as 1,478.93, its parts 830.35 + 648.59 sum to 1,478.94 (difference +0.01); rounding explains it"), "{out}");
}

/// Runs `tmux` with `args` on the server at `socket`.
fn tmux(socket: &Path, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .arg("-S")
        .arg(socket)
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_progress_bar_never_shares_a_line_with_findings() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is missing (.ci/run installs it)"
        );
        eprintln!("skipped: tmux is not installed (the terminal test needs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("batch");
    std::fs::create_dir(&batch).unwrap();
    // 300 real reports: long enough for the bar to be drawn between findings.
    for i in 0..100 {
        for name in ["fund-2023-hunan", "dept-2021-xiangxi", "project-2020-hechi"] {
            copy(
                &format!("corpus/fixtures/{name}.docx"),
                &batch.join(format!("{i:03}-{name}.docx")),
            );
        }
    }
    let socket = dir.path().join("tmux.sock");
    let raw = dir.path().join("terminal.log");
    // Enough scrollback for every line of the run.
    let conf = dir.path().join("tmux.conf");
    std::fs::write(&conf, "set -g history-limit 100000\n").unwrap();
    // Findings and the bar both go to the terminal; the command waits until its raw output is
    // being recorded, and stays on screen after it ends.
    let command = format!(
        "sleep 1; LC_ALL=C {} check -j 2 --output-format concise {}; echo EXIT-$?; sleep 60",
        env!("CARGO_BIN_EXE_jixiao"),
        batch.display()
    );
    tmux(
        &socket,
        &[
            "-f",
            conf.to_str().unwrap(),
            "new-session",
            "-d",
            "-x",
            "300",
            "-y",
            "50",
            &command,
        ],
    );
    tmux(
        &socket,
        &["pipe-pane", "-o", &format!("cat >> {}", raw.display())],
    );
    let mut screen = String::new();
    for _ in 0..600 {
        screen = tmux(&socket, &["capture-pane", "-p", "-J", "-S", "-100000"]);
        if screen.contains("EXIT-") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    tmux(&socket, &["kill-server"]);
    assert!(screen.contains("EXIT-1"), "{screen}");
    let recorded = String::from_utf8_lossy(&std::fs::read(&raw).unwrap()).into_owned();
    assert!(
        recorded.contains("/300 files"),
        "the bar was never drawn: {recorded}"
    );
    let findings = screen.lines().filter(|l| l.contains(": JX")).count();
    // Hunan 20, Xiangxi 9, Hechi 0 findings per copy, and each copy is a duplicate (JX602).
    assert_eq!(findings, 100 * (20 + 9) + 300, "{screen}");
    for line in screen.lines() {
        assert!(
            !(line.contains(": JX") && line.contains(" files ")),
            "a finding shares a line with the bar: {line}"
        );
    }
}
