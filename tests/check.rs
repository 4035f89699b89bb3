//! The rules on the real reports (what must be found, what must not be flagged) and on
//! documents broken on purpose, one per rule; plus the `check` command's exit codes.

use std::path::Path;
use std::process::Command;

use jixiao::check::{Class, Finding, Settings, Severity};
use jixiao::read::{read_bytes, read_path, Limits};

fn findings_of(doc: jixiao::model::Document) -> Vec<Finding> {
    jixiao::batch::checked(&doc, &Settings::default()).findings
}

fn check(rel: &str) -> Vec<Finding> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel);
    findings_of(read_path(&path, &Limits::default()).unwrap())
}

fn check_text(text: &str) -> Vec<Finding> {
    findings_of(read_bytes(Path::new("case.txt"), text.as_bytes(), &Limits::default()).unwrap())
}

fn errors(f: &[Finding]) -> Vec<String> {
    f.iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} {}", f.code, f.message))
        .collect()
}

#[test]
fn hunan_real_errors_are_found_in_every_rendition() {
    // The Excel 97 copy too, whose number formats jixiao reads from the workbook's records:
    // without them its 0.23% share row read 0.0023 and was summed into 全省合计.
    for rel in [
        "fixtures/fund-2023-hunan.docx",
        "fixtures/fund-2023-hunan.html",
        "fixtures/fund-2023-hunan.xlsx",
        "renditions/fund-2023-hunan.xls",
    ] {
        let f = check(rel);
        let counts: Vec<&Finding> = f.iter().filter(|f| f.code == "JX401").collect();
        // 全省合计 9979 vs 9978, and 长沙 365/366, 湘潭 320/321, 衡阳 1075/1074, 岳阳 822/821, 永州 799/798.
        assert_eq!(counts.len(), 6, "{rel}: {counts:#?}");
        assert!(counts
            .iter()
            .all(|f| f.severity == Severity::Error && f.class == Some(Class::Material)));
        let totals = counts
            .iter()
            .find(|f| f.message.contains("全省合计"))
            .unwrap();
        assert_eq!(
            (totals.stated.as_deref(), totals.computed.as_deref()),
            (Some("9978"), Some("9979"))
        );
        let changsha = counts
            .iter()
            .find(|f| f.message.contains("长沙市"))
            .unwrap();
        assert_eq!(
            (changsha.stated.as_deref(), changsha.computed.as_deref()),
            (Some("366"), Some("365"))
        );
        // The 基础设施建设 share 65.65% is 227504.71 / 346511.97 = 65.6557% cut, not rounded:
        // rounding-level, at info, saying so.
        let share: Vec<&Finding> = f.iter().filter(|f| f.code == "JX201").collect();
        assert_eq!(share.len(), 1, "{rel}");
        assert_eq!(
            (
                share[0].stated.as_deref(),
                share[0].class,
                share[0].severity
            ),
            (Some("65.65"), Some(Class::Rounding), Severity::Info)
        );
        assert!(share[0].message.contains("cut, not rounded"), "{rel}");
        // Nothing else is an error: 附件1's scores sum to 总分 99.4, 附件4's to 99.8.
        assert_eq!(errors(&f).len(), 6, "{rel}: {:#?}", errors(&f));
        // 附件2's 0.01 differences are rounding: 设计费, 基础设施建设, 其他支出 column totals.
        let rounding: Vec<&Finding> = f
            .iter()
            .filter(|f| f.code == "JX101" && f.class == Some(Class::Rounding))
            .collect();
        assert_eq!(rounding.len(), 3, "{rel}: {rounding:#?}");
        assert!(rounding.iter().all(|f| f.severity == Severity::Info));
        // The unmet 一年以内资金执行率 target and the 人 vs 人次 unit are reported as info.
        assert!(f
            .iter()
            .any(|f| f.code == "JX501" && f.message.contains("一年以内资金执行率")));
        assert!(f
            .iter()
            .any(|f| f.code == "JX502" && f.message.contains("人次")));
    }
}

#[test]
fn clean_relations_produce_no_error() {
    for rel in [
        "seeds/000_d660c977e1eff9a8.txt",
        "fixtures/dept-2021-xiangxi.docx",
        "seeds/004_f4876d50edd6c37b.txt",
        "fixtures/project-2020-hechi.docx",
    ] {
        let f = check(rel);
        assert!(errors(&f).is_empty(), "{rel}: {:#?}", errors(&f));
    }
    // Xiangxi: the four 0.01 expenditure differences are rounding, the income table is exact.
    let f = check("fixtures/dept-2021-xiangxi.docx");
    let expenditure: Vec<&Finding> = f.iter().filter(|f| f.code == "JX102").collect();
    assert_eq!(expenditure.len(), 4);
    assert!(expenditure.iter().all(|f| f.class == Some(Class::Rounding)
        && f.difference
            .as_deref()
            .is_some_and(|d| d == "0.01" || d == "-0.01")));
    assert!(
        !f.iter().any(|f| f.message.contains("收入合计")),
        "income is exact"
    );
}

#[test]
fn findings_are_sorted_and_fingerprints_stable() {
    let a = check("fixtures/fund-2023-hunan.docx");
    let b = check("fixtures/fund-2023-hunan.docx");
    assert_eq!(
        a.iter().map(|f| &f.fingerprint).collect::<Vec<_>>(),
        b.iter().map(|f| &f.fingerprint).collect::<Vec<_>>()
    );
    let keys: Vec<_> = a.iter().map(|f| f.at.sort_key()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

/// A small department table in the text-export layout, with `{total}` and `{other}` to fill.
fn income_table(total: &str, other: &str) -> String {
    format!("年度收入情况（万元）\n\n\t机构名称\n\t收入合计\n\t其中：\n\n\t\n\t\n\t上年结转\n\t公共财政拨款\n\t其他收入\n\n\t汇总\n\t{total}\n\t224.76\n\t1,252.66\n\t{other}\n\n\t1、局机关\n\t1,333.13\n\t223.36\n\t1,104.77\n\t5.00\n\n\t2、二级机构\n\t149.30\n\t1.40\n\t147.89\n\t0.01\n")
}

#[test]
fn each_rule_fires_on_a_document_broken_on_purpose() {
    let cases: Vec<(&str, String)> = vec![
        // Column total: 1,482.43 stated, parts sum to 1,482.43; break it by 10.
        ("JX102", income_table("1,492.43", "5.01")),
        // Row total: 其他收入 5.01 = 5.00 + 0.01; break it.
        ("JX101", income_table("1,482.43", "6.01")),
        ("JX111", "支出合计1,472.52万元，其中基本支出928.93万元，项目支出643.59万元。\n".to_string()),
        ("JX121", "\t项目名称\n\t年初结转和结余\n\t财政拨款收入\n\t财政拨款支出\n\t年末结转\n\n\t项目甲\n\t10.00\n\t20.00\n\t25.00\n\t15.00\n\n\t项目乙\n\t1.00\n\t2.00\n\t3.00\n\t0.00\n".to_string()),
        ("JX201", "\t项目\n\t全年预算数\n\t全年执行数\n\t执行率\n\n\t总额\n\t364860\n\t346511.97\n\t90.97%\n".to_string()),
        ("JX302", "\t三级指标\n\t年度指标值\n\t实际完成值\n\t分值\n\t自评得分\n\n\t开发岗位\n\t≥15万个\n\t16.46万个\n\t2\n\t3\n".to_string()),
        ("JX303", "部门整体支出绩效自评报告\n\t绩效自评综合得分\n\t85分\n\n\t评价等次\n\t优\n".to_string()),
        ("JX501", "\t三级指标\n\t年度指标值\n\t实际完成值\n\t分值\n\t自评得分\n\n\t资金执行率\n\t100.00%\n\t94.97%\n\t2\n\t1.9\n".to_string()),
        ("JX502", "\t三级指标\n\t年度指标值\n\t实际完成值\n\t分值\n\t自评得分\n\n\t培训人数\n\t≥10000人\n\t10000人次\n\t3\n\t3\n".to_string()),
    ];
    for (code, text) in &cases {
        let f = check_text(text);
        assert!(
            f.iter().any(|f| f.code == *code),
            "{code} did not fire: {f:#?}"
        );
    }
    // And the unbroken income table produces nothing at all.
    assert!(check_text(&income_table("1,482.43", "5.01")).is_empty());
}

#[test]
fn section_scores_and_cross_references_fire_when_broken() {
    // Sections 20 + 20 + 20 + 30 = 90, but 总分 says 100.
    let report = "项目支出绩效自评报告\n（一）投入（满分20分，得20分）\n（二）过程（满分20分，得20分）\n（三）产出（满分20分，得分20分）\n（四）效果（满分40分，得分30分）\n自评总分100分，优秀等级。\n";
    assert!(check_text(report)
        .iter()
        .any(|f| f.code == "JX301" && f.severity == Severity::Error));
    let two_tables = "\t市州\n\t项目个数\n\n\t长沙市\n\t365\n\n\t株洲市\n\t583\n\n\n附件3\t\n\t市州\n\t项目个数\n\n\t长沙市\n\t366\n\n\t株洲市\n\t583\n";
    let f = check_text(two_tables);
    assert!(
        f.iter()
            .any(|f| f.code == "JX401" && f.severity == Severity::Error),
        "{f:#?}"
    );
}

fn jixiao(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn exit_codes_follow_the_fail_level() {
    assert_eq!(
        jixiao(&["check", "corpus/fixtures/dept-2021-xiangxi.docx"]).0,
        0,
        "info findings only"
    );
    assert_eq!(
        jixiao(&[
            "check",
            "--fail-on",
            "info",
            "corpus/fixtures/dept-2021-xiangxi.docx"
        ])
        .0,
        1
    );
    assert_eq!(
        jixiao(&["check", "corpus/fixtures/fund-2023-hunan.docx"]).0,
        1
    );
    assert_eq!(
        jixiao(&[
            "check",
            "--exit-zero",
            "corpus/fixtures/fund-2023-hunan.docx"
        ])
        .0,
        0
    );
    assert_eq!(
        jixiao(&[
            "check",
            "--ignore",
            "JX2,JX4",
            "corpus/fixtures/fund-2023-hunan.docx"
        ])
        .0,
        0
    );
    assert_eq!(
        jixiao(&[
            "check",
            "--select",
            "JX9",
            "corpus/fixtures/fund-2023-hunan.docx"
        ])
        .0,
        2,
        "unknown code"
    );
    // One unreadable file: exit 2, the others still reported; the error is named once, on
    // standard error.
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args([
            "check",
            "--output-format",
            "concise",
            "corpus/fixtures/fund-2023-hunan.docx",
            "no/such.docx",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout.contains("JX401") && !stdout.contains("no/such.docx"),
        "{stdout}"
    );
    assert_eq!(
        stderr
            .matches("jixiao: no/such.docx: cannot read file")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let one = jixiao(&["check", "--output-format", "json", "-j", "1", "corpus"]).1;
    let two = jixiao(&["check", "--output-format", "json", "-j", "2", "corpus"]).1;
    assert_eq!(one, two);
    assert!(one.len() > 1000);
}

#[test]
fn every_output_format_renders() {
    for format in [
        "full",
        "concise",
        "json",
        "json-lines",
        "sarif",
        "junit",
        "github",
    ] {
        let (code, out) = jixiao(&[
            "check",
            "--output-format",
            format,
            "corpus/fixtures/fund-2023-hunan.docx",
        ]);
        assert_eq!(code, 1, "{format}");
        assert!(out.contains("JX401"), "{format}: {out}");
    }
    let sarif: serde_json::Value = serde_json::from_str(
        &jixiao(&[
            "check",
            "--output-format",
            "sarif",
            "corpus/fixtures/fund-2023-hunan.docx",
        ])
        .1,
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["logicalLocations"][0]["name"] == "table[3]/r2c2"));
    let junit = jixiao(&[
        "check",
        "--output-format",
        "junit",
        "corpus/fixtures/fund-2023-hunan.docx",
    ])
    .1;
    assert!(
        junit.starts_with("<?xml")
            && junit.contains("<testsuite name=\"corpus/fixtures/fund-2023-hunan.docx\"")
    );
    let github = jixiao(&[
        "check",
        "--output-format",
        "github",
        "corpus/fixtures/fund-2023-hunan.docx",
    ])
    .1;
    assert!(github
        .lines()
        .any(|l| l.starts_with("::error file=corpus/fixtures/fund-2023-hunan.docx,title=JX401")));
}

#[test]
fn rules_are_documented_on_the_command_line() {
    let (code, out) = jixiao(&["rules"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), jixiao::check::registry().len());
    let (code, out) = jixiao(&["rule", "JX101"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("JX101 total-row-sum (default severity: error)")
            && out.contains("## Why it matters")
    );
}

/// Corpus cases in `corpus/cases/<CODE>/`: the broken one triggers its rule with the given
/// severity and figures; its clean twin gives no finding of that rule above info.
#[test]
fn score_rules_on_their_corpus_cases() {
    let only = |rel: &str, code: &str| -> Vec<Finding> {
        check(rel).into_iter().filter(|f| f.code == code).collect()
    };
    let full = only(
        "cases/JX304/broken-full-score-for-partial-spending.html",
        "JX304",
    );
    assert_eq!(full.len(), 1);
    assert_eq!(full[0].severity, Severity::Warning);
    assert_eq!(full[0].class, Some(Class::Material));
    assert_eq!(full[0].stated.as_deref(), Some("10"));
    assert_eq!(full[0].computed.as_deref(), Some("9.497"));
    let follows = only("cases/JX304/clean-score-follows-rate.html", "JX304");
    assert_eq!(follows.len(), 1);
    assert_eq!(
        follows[0].class,
        Some(Class::Rounding),
        "9.5 is 9.497 rounded"
    );
    assert_eq!(follows[0].severity, Severity::Info);

    let exceed = only("cases/JX305/broken-points-exceed-criteria.html", "JX305");
    assert_eq!(exceed.len(), 1);
    assert_eq!(
        (exceed[0].stated.as_deref(), exceed[0].computed.as_deref()),
        (Some("4"), Some("3"))
    );
    assert!(only("cases/JX305/clean-points-match-criteria.html", "JX305").is_empty());
    // Seed 003's rubric (附件4) is consistent item by item, in every rendition.
    for rel in [
        "fixtures/fund-2023-hunan.docx",
        "fixtures/fund-2023-hunan.html",
        "fixtures/fund-2023-hunan.xlsx",
        "seeds/003_d4ae13a11fd94936.txt",
    ] {
        assert!(only(rel, "JX305").is_empty(), "{rel}");
        let from_rate = only(rel, "JX304");
        assert!(
            from_rate.iter().all(|f| f.class == Some(Class::Rounding)),
            "{rel}: {from_rate:?}"
        );
        assert!(
            !from_rate.is_empty(),
            "{rel}: 年度资金总额 9.5 = 10 × 94.97 %"
        );
    }
}

/// Seed 000's narrative (L348) states 支出合计 1,472.52 and 基本支出 828.93 (and labels 823.04 as
/// 基本支出) where its form says 1,478.93 and 830.35 (corpus/HAND-CHECK.md, "noticed"); the
/// project figures the text repeats (上年结转 145.67 …) are in the project table and pass.
#[test]
fn narrative_figures_missing_from_every_table_are_flagged() {
    for rel in [
        "fixtures/dept-2021-xiangxi.docx",
        "fixtures/dept-2021-xiangxi.html",
        "fixtures/dept-2021-xiangxi.gb18030.txt",
        "seeds/000_d660c977e1eff9a8.txt",
    ] {
        let stated: Vec<(String, Severity)> = check(rel)
            .into_iter()
            .filter(|f| f.code == "JX402")
            .map(|f| (f.stated.unwrap(), f.severity))
            .collect();
        assert_eq!(
            stated,
            [
                ("823.04".to_string(), Severity::Warning),
                ("1472.52".to_string(), Severity::Warning),
                ("828.93".to_string(), Severity::Warning)
            ],
            "{rel}"
        );
    }
    for rel in [
        "fixtures/fund-2023-hunan.docx",
        "fixtures/project-2020-hechi.docx",
    ] {
        assert!(check(rel).iter().all(|f| f.code != "JX402"), "{rel}");
    }
}

/// Seed 003's Word text export has no spans: short rows (全省合计, 总分) and rows that lose a
/// label column must still line up, so the text export gives the same findings as the .docx.
#[test]
fn hunan_text_export_gives_the_docx_findings() {
    let key = |f: &Finding| {
        (
            f.code,
            f.severity,
            f.stated.clone(),
            f.computed.clone(),
            f.involved.len(),
        )
    };
    let mut from_text: Vec<_> = check("seeds/003_d4ae13a11fd94936.txt")
        .iter()
        .map(key)
        .collect();
    let mut from_docx: Vec<_> = check("fixtures/fund-2023-hunan.docx")
        .iter()
        .map(key)
        .collect();
    from_text.sort();
    from_docx.sort();
    assert_eq!(from_text, from_docx);
    assert_eq!(from_text.iter().filter(|k| k.0 == "JX401").count(), 6);
}
