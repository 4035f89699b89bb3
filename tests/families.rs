//! Families added as one file in `extractors/`, on the real documents they were written for:
//! the fields they fill, as checked by hand against the documents, and the checks that then
//! run on them.

mod common;

use std::path::Path;
use std::process::Command;

use common::outside::Outside;
use jixiao::check::{run, Finding, Settings};
use jixiao::extract::{extract, family};
use jixiao::model::Block;
use jixiao::read::{read_path, Limits};

/// One line per finding: code, severity, stated and computed.
fn figures(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f.code,
                f.severity.name(),
                f.stated.as_deref().unwrap_or("-"),
                f.computed.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

/// `extractors/project-monitor.toml` on the 项目支出绩效目标执行监控表 sheet of a real export
/// from a central-government project library (`template.xls`, 北京大学's 2019 青少年校园足球
/// project under 教育部).
#[test]
fn the_project_library_monitoring_form_is_extracted_and_its_rates_checked() {
    let test = "the_project_library_monitoring_form_is_extracted_and_its_rates_checked";
    let Some(dir) = Outside::RealFiles.dir(test) else {
        return;
    };
    let mut doc = read_path(&dir.join("template.xls"), &Limits::default()).unwrap();
    let families = family::load(None).unwrap();
    let x = extract(&doc, &families);
    assert_eq!(x.family.as_deref(), Some("project-monitor"));
    assert_eq!(x.meta.department.as_deref(), Some("[105]教育部"));
    let raw = |key: &str| -> String {
        let field = x
            .fields
            .get(key)
            .unwrap_or_else(|| panic!("no field {key}"));
        field.raw.trim().to_string()
    };
    // The funds, sheet 项目支出绩效目标执行监控 rows 8–11: 年度资金总额 190.00 of which
    // 财政拨款 190.00, nothing spent by July.
    assert_eq!(raw("funds.total.name"), "年度资金总额：");
    assert_eq!(x.fields["funds.total.budget_initial"].value, "190.00");
    assert_eq!(
        x.fields["funds.total.budget_initial"].unit.as_deref(),
        Some("万元")
    );
    assert_eq!(raw("funds.total.executed_to_date"), "0.00");
    assert_eq!(raw("funds.total.rate_to_date"), "0.00%");
    assert_eq!(raw("funds.total.expected_full_year"), "0.00");
    assert_eq!(raw("funds.1.name"), "其中：财政拨款");
    assert_eq!(x.fields["funds.1.budget_initial"].value, "190.00");
    assert_eq!(raw("funds.2.name"), "上年结转资金");
    assert_eq!(raw("funds.3.name"), "其他资金");
    // The 14 indicators, rows 22–35: the fourth is 媒体播出, 5次 in the year, 一般 by July,
    // 100% expected.
    assert!(x.fields.contains_key("indicators.14.name"));
    assert!(!x.fields.contains_key("indicators.15.name"));
    assert_eq!(raw("indicators.1.name"), "成本节约率");
    assert_eq!(raw("indicators.1.target"), "≥0");
    assert_eq!(raw("indicators.3.target"), "≥90%");
    assert_eq!(raw("indicators.4.name"), "媒体播出");
    assert_eq!(raw("indicators.4.target"), "5次");
    assert_eq!(raw("indicators.4.done_to_date"), "一般");
    assert_eq!(raw("indicators.4.expected_full_year"), "100%");
    assert_eq!(
        raw("indicators.1.deviation_reason"),
        "制作5集样片，下半年会集中出版"
    );

    // The form is consistent: 0.00 of 190.00 is 0.00%, and 0.00 of 0.00 written 0.00% is not
    // a finding.
    assert_eq!(
        figures(&run(&x, &Settings::default())),
        Vec::<String>::new()
    );

    // The same form with its 1–7月执行率 of 年度资金总额 and of 上年结转资金 written 5.00%:
    // the first is 0.00 ÷ 190.00 = 0%, the second has a zero denominator.
    let mut changed = 0;
    for block in &mut doc.blocks {
        let Block::Table(t) = block else { continue };
        if t.name.as_deref() != Some("项目支出绩效目标执行监控") {
            continue;
        }
        let rows: Vec<usize> = t
            .cells
            .iter()
            .filter(|c| c.text.contains("年度资金总额") || c.text.trim() == "上年结转资金")
            .map(|c| c.row)
            .collect();
        for row in rows {
            let rate = t
                .cells
                .iter_mut()
                .find(|c| c.row == row && c.text.trim() == "0.00%")
                .unwrap();
            rate.text = "5.00%".to_string();
            changed += 1;
        }
    }
    assert_eq!(changed, 2);
    let found = run(&extract(&doc, &families), &Settings::default());
    assert_eq!(figures(&found), ["JX201 error 5 0", "JX201 warning 5 -"]);
}

/// `jixiao check` (exit code, codes found) on `file` in `dir`, with `args`.
fn check_in(dir: &Path, args: &[&str], file: &str) -> (i32, Vec<String>) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .current_dir(dir)
        .args(["check", "--output-format", "json-lines"])
        .args(args)
        .arg(file)
        .output()
        .unwrap();
    let codes = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["code"].to_string())
        .collect();
    (out.status.code().unwrap(), codes)
}

/// A user's family adds a name to a role for its documents, from `--extractors` or from
/// `extractors` in `jixiao.toml`: JX302's case with its 分值 column called 赋分, which the
/// vocabulary does not know, is checked once the family says that 赋分 holds points.
#[test]
fn a_users_family_adds_names_to_roles_from_the_flag_or_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let case = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/cases/JX302/broken-indicator-score.html"),
    )
    .unwrap();
    assert!(case.contains("<td>分值</td>"));
    std::fs::write(
        dir.path().join("form.html"),
        case.replace("<td>分值</td>", "<td>赋分</td>"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("ext")).unwrap();
    std::fs::write(
        dir.path().join("ext/indicator-form.toml"),
        "id = \"indicator-form\"\nname = \"绩效指标表\"\ndetect = [\"三级指标\"]\n\n[roles]\npoints = [\"赋分\"]\n",
    )
    .unwrap();
    assert_eq!(check_in(dir.path(), &[], "form.html"), (0, vec![]));
    let found = (1, vec!["\"JX302\"".to_string()]);
    assert_eq!(
        check_in(dir.path(), &["--extractors", "ext"], "form.html"),
        found
    );
    std::fs::write(dir.path().join("jixiao.toml"), "extractors = \"ext\"\n").unwrap();
    assert_eq!(check_in(dir.path(), &[], "form.html"), found);
}

/// A user's family with a built-in's id replaces the built-in: seed 003 read with a
/// `project-selfeval-table` that only takes the total score has that field and no other.
#[test]
fn a_users_family_replaces_the_built_in_of_the_same_id() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        "id = \"project-selfeval-table\"\nname = \"自评表\"\ndetect = [\"支出绩效自评表\"]\n\n[[label]]\nkey = \"score.total\"\nlabels = [\"@total_score\"]\nnth = 2\n",
    )
    .unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/seeds/003_d4ae13a11fd94936.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .arg("extract")
        .arg("--extractors")
        .arg(dir.path())
        .arg(&seed)
        .output()
        .unwrap();
    let x: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(x["family"], "project-selfeval-table");
    let keys: Vec<&String> = x["fields"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["score.total"]);
    // 总分 | 100 | 99.4 in 附件1 (HAND-CHECK.md).
    assert_eq!(x["fields"]["score.total"]["value"], "99.4");
}
