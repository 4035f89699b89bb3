//! The HTML report (`check --output-format html`): escaping of every text from a document,
//! the directory form for large batches, and the corpus report rendered in a real browser
//! (headless Chromium, `--dump-dom`): every finding's cells and sentences carry the highlight,
//! the script ran, and the console stayed silent.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn jixiao(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// A report whose table labels and text try to inject markup.
fn hostile_docx(dir: &Path) -> PathBuf {
    let cell = |t: &str| {
        format!(
            "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
            t.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        )
    };
    let row = |a: &str, b: &str| format!("<w:tr>{}{}</w:tr>", cell(a), cell(b));
    let script = "<script>document.body.dataset.pwned='script'</script>";
    let img = "<img src=x onerror=\"document.body.dataset.pwned='img'\">";
    let xml = common::body(&format!(
        "<w:p><w:r><w:t>{}</w:t></w:r></w:p><w:tbl>{}{}{}{}</w:tbl><w:p><w:r><w:t>收入合计100万元，其中财政拨款60万元、其他收入30万元。</w:t></w:r></w:p>",
        img.replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;"),
        row("项目\"'", "金额（万元）"),
        row(&format!("财政拨款{script}"), "60"),
        row(&format!("其他收入{img}"), "30"),
        row("合计", "100"),
    ));
    let path = dir.join("hostile.docx");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&common::docx_with(&xml))
        .unwrap();
    path
}

#[test]
fn every_text_from_a_document_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let docx = hostile_docx(dir.path());
    let (code, html) = jixiao(&[
        "check",
        "-q",
        "--output-format",
        "html",
        "--lang",
        "en",
        docx.to_str().unwrap(),
    ]);
    // 60 + 30 ≠ 100: the total row and the narrative sum are findings.
    assert_eq!(code, 1, "{html}");
    assert!(html.contains(
        "财政拨款&lt;script&gt;document.body.dataset.pwned=&#39;script&#39;&lt;/script&gt;"
    ));
    assert!(html.contains(
        "&lt;img src=x onerror=&quot;document.body.dataset.pwned=&#39;img&#39;&quot;&gt;"
    ));
    assert!(
        !html.contains("<script>document"),
        "raw script from the document"
    );
    assert!(!html.contains("<img"), "raw img from the document");
    let page = Html::parse_document(&html);
    let cells = Selector::parse("td.hl-total").unwrap();
    assert!(page.select(&cells).count() >= 1, "the total cell is marked");
    let scripts = Selector::parse("script").unwrap();
    assert_eq!(
        page.select(&scripts).count(),
        1,
        "only the report's own script"
    );
}

#[test]
fn a_directory_gets_an_index_and_a_page_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let out = format!("{}/", dir.path().join("report").display());
    let (code, _) = jixiao(&[
        "check",
        "-q",
        "--output-format",
        "html",
        "--lang",
        "zh",
        "--out",
        &out,
        "corpus/fixtures",
    ]);
    assert_eq!(code, 1);
    let pages: Vec<String> = std::fs::read_dir(dir.path().join("report"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages.len(), 9 + 1, "{pages:?}");
    let index = std::fs::read_to_string(dir.path().join("report/index.html")).unwrap();
    assert!(index.contains("<html lang=\"zh\">") && index.contains("概览"));
    let links = Selector::parse("section.overview a[href$='.html']").unwrap();
    let page = Html::parse_document(&index);
    let hrefs: Vec<&str> = page
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs.len(), 9);
    for href in hrefs {
        assert!(pages.contains(&href.to_string()), "{href}");
    }
    // The Hunan page holds its six errors.
    let hunan = page
        .select(&links)
        .find(|a| a.text().any(|t| t.contains("fund-2023-hunan.docx")))
        .and_then(|a| a.value().attr("href"))
        .unwrap();
    let text = std::fs::read_to_string(dir.path().join("report").join(hunan)).unwrap();
    assert_eq!(text.matches("data-severity=\"error\"").count(), 6);
}

/// Headless Chromium, or `None` after saying why (under `CI=true` its absence fails).
fn chromium(test: &str) -> Option<&'static str> {
    let found = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("chromium");
    }
    let message =
        format!("skipped {test}: no chromium (Debian package `chromium`; .ci/run installs it)");
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
    let _ = writeln!(std::io::stderr(), "{message}");
    None
}

/// The page as Chromium leaves it after its script ran, and what the console printed.
fn render(browser: &str, page: &Path) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(String::from)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

#[test]
fn the_corpus_report_marks_every_finding_in_a_browser() {
    let Some(browser) = chromium("the_corpus_report_marks_every_finding_in_a_browser") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    let hostile = hostile_docx(dir.path());
    let (code, _) = jixiao(&[
        "check",
        "-q",
        "--output-format",
        "html",
        "--lang",
        "zh",
        "--out",
        report.to_str().unwrap(),
        "corpus/fixtures",
        "corpus/seeds",
        hostile.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let (dom, console) = render(browser, &report);
    assert!(console.is_empty(), "console: {console:#?}");
    let page = Html::parse_document(&dom);
    let body = page
        .select(&Selector::parse("body").unwrap())
        .next()
        .unwrap();
    assert_eq!(
        body.value().attr("data-ready"),
        Some("1"),
        "the script ran to its end"
    );
    assert_eq!(
        body.value().attr("data-pwned"),
        None,
        "markup from a document ran"
    );
    let findings: Vec<_> = page
        .select(&Selector::parse("li.finding").unwrap())
        .collect();
    // The corpus's 104 findings (28 errors, 12 warnings, 64 info) and the hostile file's.
    let hostile_findings = findings.len() - 104;
    assert!(hostile_findings >= 1, "{}", findings.len());
    let mut marked_cells = 0;
    for f in &findings {
        let id = f.value().id().unwrap();
        assert!(
            !f.value().classes().any(|c| c == "hidden"),
            "{id} hidden with every filter on"
        );
        let cells: Vec<&str> = f
            .value()
            .attr("data-cells")
            .unwrap_or("")
            .split_whitespace()
            .collect();
        for cell in &cells {
            let selector = Selector::parse(&format!("td#{cell}")).unwrap();
            let td = page
                .select(&selector)
                .next()
                .unwrap_or_else(|| panic!("{id}: no cell {cell}"));
            let classes: Vec<&str> = td.value().classes().collect();
            assert!(
                classes.iter().any(|c| *c == "hl-total" || *c == "hl-part")
                    && !classes.contains(&"hl-off"),
                "{id}: cell {cell} is not highlighted: {classes:?}"
            );
            assert!(td
                .value()
                .attr("data-findings")
                .unwrap()
                .split(' ')
                .any(|x| x == id));
            marked_cells += 1;
        }
        // A finding in the text has its figure marked in the quoted sentence.
        let marks = Selector::parse(&format!("mark[data-findings~='{id}']")).unwrap();
        let whole_document = f.text().any(|t| t.contains("整个文档"));
        assert!(
            !cells.is_empty() || page.select(&marks).next().is_some() || whole_document,
            "{id}: nothing marked"
        );
    }
    assert!(marked_cells > 200, "{marked_cells}");
}
