//! The wording matrix: every rule's cases and every corpus document, their table labels
//! replaced by the wordings other provinces' and years' forms use (分值（分）, 权重, 得 分,
//! 执行率（B/A）, 总计, …), give the same findings — same codes, severities, stated and
//! computed figures — as with their own wording. The labels are substituted in the documents'
//! models, so each real document is checked in every wording.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jixiao::check::{run, run_batch, Finding, Ledger, Ledgers, Settings};
use jixiao::extract::{extract, family};
use jixiao::model::{Block, Document, Table};
use jixiao::read::{read_path, Limits};

/// Each wording: a table label as our documents write it (white space removed) and how a form
/// elsewhere writes it.
const WORDINGS: &[(&str, &[(&str, &str)])] = &[
    (
        "full-width brackets with units and annotations",
        &[
            ("分值", "分值（分）"),
            ("自评得分", "自评得分（分）"),
            ("得分", "得分（分）"),
            ("全年预算数", "全年预算数（A）"),
            ("全年执行数", "全年执行数（B）"),
            ("执行率", "执行率（B/A）"),
            ("资金执行率", "资金执行率（%）"),
            ("合计", "合计（万元）"),
        ],
    ),
    (
        "half-width brackets",
        &[
            ("分值", "分值(分)"),
            ("得分", "得分(分)"),
            ("执行率", "执行率(%)"),
            ("全年预算数", "全年预算数(万元)"),
            ("全年执行数", "全年执行数(万元)"),
            ("总分", "总分(分)"),
        ],
    ),
    (
        "justified text's inner spaces",
        &[
            ("分值", "分 值"),
            ("自评得分", "自评 得分"),
            ("得分", "得 分"),
            ("合计", "合  计"),
            ("执行率", "执 行 率"),
            ("总分", "总 分"),
            ("评价等次", "评价 等次"),
            ("年度指标值", "年度 指标值"),
        ],
    ),
    (
        "other words, first set",
        &[
            ("分值", "权重"),
            ("自评得分", "评分"),
            ("得分", "评分"),
            ("年度指标值", "指标值"),
            ("实际完成值", "完成值"),
            ("偏差原因分析及改进措施", "偏差原因"),
            ("合计", "总计"),
            ("全年预算数", "调整后预算数"),
            ("全年执行数", "实际支出数"),
            ("执行率", "预算执行率"),
            ("绩效自评综合得分", "自评总分"),
            ("评价等次", "评价等级"),
        ],
    ),
    (
        "other words, second set",
        &[
            ("分值", "满分"),
            ("自评得分", "得分"),
            ("年度指标值", "年度目标值"),
            ("实际完成值", "实际值"),
            ("执行率", "执行率（%）"),
            ("绩效自评综合得分", "综合得分"),
            ("评价等次", "自评等级"),
        ],
    ),
    (
        "other words, third set",
        &[
            ("分值", "标准分"),
            ("年度指标值", "目标值"),
            ("实际完成值", "全年实际完成值"),
        ],
    ),
];

/// Every document of the corpus that can be read: the rules' cases, the seeds, the fixtures
/// and the renditions.
fn corpus() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                // `protected/` holds a PDF that needs a password (and its open twin).
                if name != "expected" && name != "unreadable" && name != "protected" {
                    dirs.push(path);
                }
            } else if !name.ends_with(".md") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Replaces, in `table` and the tables nested in it, each cell whose text (white space
/// removed) is a label of `wording`; counts the replacements by label.
fn relabel(
    table: &mut Table,
    wording: &[(&'static str, &str)],
    used: &mut BTreeMap<&'static str, usize>,
) {
    for cell in &mut table.cells {
        let plain: String = cell.text.split_whitespace().collect();
        if let Some((from, to)) = wording.iter().find(|(from, _)| *from == plain) {
            cell.text = to.to_string();
            *used.entry(*from).or_default() += 1;
        }
        for nested in &mut cell.tables {
            relabel(nested, wording, used);
        }
    }
}

fn relabelled(
    doc: &Document,
    wording: &[(&'static str, &str)],
    used: &mut BTreeMap<&'static str, usize>,
) -> Document {
    let mut doc = doc.clone();
    for block in &mut doc.blocks {
        if let Block::Table(table) = block {
            relabel(table, wording, used);
        }
    }
    doc
}

/// What must not change with the wording: one line per finding.
fn figures(findings: &[Finding]) -> Vec<String> {
    let mut out: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {:?} stated {:?} computed {:?} difference {:?}",
                f.code, f.severity, f.class, f.stated, f.computed, f.difference
            )
        })
        .collect();
    out.sort();
    out
}

/// The lines only `before` has (`-`) and only `after` has (`+`).
fn diff(before: &[String], after: &[String]) -> String {
    let gone = before
        .iter()
        .filter(|l| !after.contains(l))
        .map(|l| format!("  - {l}\n"));
    let new = after
        .iter()
        .filter(|l| !before.contains(l))
        .map(|l| format!("  + {l}\n"));
    gone.chain(new).collect()
}

/// The document findings of `doc`, and its ledger for the cross-document rules.
fn check(
    doc: &Document,
    families: &[family::Family],
    settings: &Settings,
) -> (Vec<String>, Ledger) {
    let x = extract(doc, families);
    (figures(&run(&x, settings)), Ledger::of(&x, families))
}

/// The cross-document findings of a batch of ledgers, by document.
fn check_batch(ledgers: &[Ledger], settings: &Settings) -> BTreeMap<String, Vec<String>> {
    let mut batch = Ledgers::default();
    for l in ledgers {
        batch.push(l).unwrap();
    }
    let mut out = BTreeMap::new();
    run_batch(&batch, settings, &mut |ledger, findings| {
        out.insert(ledger.path.clone(), figures(&findings));
        Ok(())
    })
    .unwrap();
    out
}

#[test]
fn every_wording_gives_the_same_findings_on_every_corpus_document() {
    let families = family::load(None).unwrap();
    let settings = Settings::default();
    let docs: Vec<Document> = corpus()
        .iter()
        .map(|p| read_path(p, &Limits::default()).unwrap())
        .collect();
    let original: Vec<(Vec<String>, Ledger)> = docs
        .iter()
        .map(|d| check(d, &families, &settings))
        .collect();
    let ledgers: Vec<Ledger> = original.iter().map(|(_, l)| l.clone()).collect();
    let original_batch = check_batch(&ledgers, &settings);
    let found: usize = original.iter().map(|(f, _)| f.len()).sum();
    assert!(found > 100, "the corpus gives only {found} findings");

    let mut differences = Vec::new();
    for (name, wording) in WORDINGS {
        let mut used = BTreeMap::new();
        let mut ledgers = Vec::new();
        for (doc, (before, _)) in docs.iter().zip(&original) {
            let (after, ledger) = check(&relabelled(doc, wording, &mut used), &families, &settings);
            ledgers.push(ledger);
            if &after != before {
                differences.push(format!(
                    "{} in {name}:\n{}",
                    doc.source.path,
                    diff(before, &after)
                ));
            }
        }
        let batch = check_batch(&ledgers, &settings);
        if batch != original_batch {
            differences.push(format!(
                "the batch in {name}:\n  before {original_batch:?}\n  after {batch:?}"
            ));
        }
        for (from, _) in wording.iter() {
            assert!(
                used.get(from).copied().unwrap_or(0) > 0,
                "{name}: no corpus document has a cell {from}, so its wording is not tried"
            );
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// The words that name columns and rows live in `extractors/`: outside its tests and comments,
/// no rule file holds a Chinese character.
#[test]
fn no_rule_file_holds_a_chinese_word() {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check")];
    let mut found = Vec::new();
    let mut files = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            files += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            for (n, line) in code.lines().enumerate() {
                let line = line.split("//").next().unwrap();
                if line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(files > 20, "only {files} files under src/check");
    assert!(found.is_empty(), "{}", found.join("\n"));
}
