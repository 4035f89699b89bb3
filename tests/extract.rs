//! Named fields and figures extracted from the real reports, values checked by hand in
//! `corpus/HAND-CHECK.md`.

use std::collections::BTreeMap;
use std::path::Path;

use jixiao::extract::{extract, family, Extraction};
use jixiao::read::{read_path, Limits};

fn x(rel: &str) -> Extraction {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(rel);
    let doc = read_path(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    extract(&doc, &family::load(None).unwrap())
}

fn field<'a>(x: &'a Extraction, key: &str) -> (&'a str, Option<&'a str>) {
    let f = x.fields.get(key).unwrap_or_else(|| {
        panic!(
            "{}: no field {key}; have {:?}",
            x.source.path,
            x.fields.keys().collect::<Vec<_>>()
        )
    });
    (f.value.as_str(), f.unit.as_deref())
}

#[test]
fn xiangxi_department_report_fields() {
    for rel in [
        "seeds/000_d660c977e1eff9a8.txt",
        "fixtures/dept-2021-xiangxi.docx",
        "fixtures/dept-2021-xiangxi.html",
    ] {
        let x = x(rel);
        assert_eq!(x.family.as_deref(), Some("dept-overall"), "{rel}");
        assert_eq!(
            x.meta.department.as_deref(),
            Some("湘西自治州乡村振兴局"),
            "{rel}"
        );
        assert_eq!(x.meta.year, Some(2021), "{rel}");
        for (key, value, unit) in [
            ("income.total", "1482.43", Some("万元")),
            ("income.carried_over", "224.76", Some("万元")),
            ("income.public_finance", "1252.66", Some("万元")),
            ("income.other", "5.01", Some("万元")),
            ("income.rows.1.total", "1333.13", Some("万元")),
            ("income.rows.2.other", "0.01", Some("万元")),
            ("expenditure.total", "1478.93", Some("万元")),
            ("expenditure.basic", "830.35", Some("万元")),
            ("expenditure.personnel", "721.65", Some("万元")),
            ("expenditure.public_use", "108.69", Some("万元")),
            ("expenditure.project", "648.59", Some("万元")),
            ("expenditure.balance_current_year", "3.50", Some("万元")),
            ("three_public.total", "6.59", None),
            ("three_public.reception", "1.42", None),
            ("three_public.vehicles", "5.17", None),
            ("fixed_assets.total", "140.94", None),
            ("budget.initial", "873.72", Some("万元")),
            ("budget.addition", "393.73", Some("万元")),
            ("budget.addition_rate", "45", Some("%")),
            ("staff.authorized", "43", None),
            ("staff.actual", "42", None),
            ("score.total", "99.5", Some("分")),
            ("grade", "优", None),
            ("projects.2.name", "州精准办工作经费", None),
            ("projects.2.opening_balance", "9.3", None),
            ("projects.total.expenditure", "643.59", None),
        ] {
            assert_eq!(field(&x, key), (value, unit), "{rel} {key}");
        }
        assert_eq!(
            x.fields["income.rows.1.total"].label.as_deref(),
            Some("1、局机关")
        );
        // Scale is kept: 5.00 has two decimals although its value is 5.
        assert_eq!(x.fields["income.rows.1.other"].scale, Some(2));
    }
}

/// Every rendition of each report — the seed's Word text export, the .docx, .html, .xlsx and
/// the re-encoded text exports — gives exactly the named fields of `corpus/expected/<id>.json`
/// (family, meta, and each field's value and unit), which were checked field by field against
/// the documents (corpus/README.md).
#[test]
fn every_rendition_gives_the_hand_checked_fields() {
    type Fields = BTreeMap<String, (String, Option<String>)>;
    let expected = |id: &str| -> (serde_json::Value, Fields) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("corpus/expected/{id}.json"));
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let fields = v["fields"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, f)| {
                let unit = f.get("unit").and_then(|u| u.as_str()).map(String::from);
                (k.clone(), (f["value"].as_str().unwrap().to_string(), unit))
            })
            .collect();
        (v, fields)
    };
    for (id, renditions) in [
        (
            "000",
            &[
                "seeds/000_d660c977e1eff9a8.txt",
                "fixtures/dept-2021-xiangxi.docx",
                "fixtures/dept-2021-xiangxi.html",
                "fixtures/dept-2021-xiangxi.gb18030.txt",
            ][..],
        ),
        (
            "003",
            &[
                "seeds/003_d4ae13a11fd94936.txt",
                "fixtures/fund-2023-hunan.docx",
                "fixtures/fund-2023-hunan.html",
                "fixtures/fund-2023-hunan.xlsx",
            ][..],
        ),
        (
            "004",
            &[
                "seeds/004_f4876d50edd6c37b.txt",
                "fixtures/project-2020-hechi.docx",
                "fixtures/project-2020-hechi.html",
                "fixtures/project-2020-hechi.utf16.txt",
            ][..],
        ),
    ] {
        let (whole, fields) = expected(id);
        for rel in renditions {
            let x = x(rel);
            assert_eq!(x.family.as_deref(), whole["family"].as_str(), "{rel}");
            assert_eq!(
                serde_json::to_value(&x.meta).unwrap(),
                whole["meta"],
                "{rel}: meta"
            );
            let got: Fields = x
                .fields
                .iter()
                .map(|(k, f)| (k.clone(), (f.value.clone(), f.unit.clone())))
                .collect();
            let missing: Vec<&String> = fields.keys().filter(|k| !got.contains_key(*k)).collect();
            let extra: Vec<&String> = got.keys().filter(|k| !fields.contains_key(*k)).collect();
            type Valued = (String, Option<String>);
            let wrong: Vec<(&String, &Valued, &Valued)> = fields
                .iter()
                .filter_map(|(k, v)| got.get(k).filter(|g| *g != v).map(|g| (k, v, g)))
                .collect();
            assert!(
                missing.is_empty() && extra.is_empty() && wrong.is_empty(),
                "{rel}: missing {missing:?}, extra {extra:?}, wrong (expected, got) {wrong:?}"
            );
        }
    }
}

#[test]
fn hunan_fund_table_fields() {
    let x = x("fixtures/fund-2023-hunan.docx");
    assert_eq!(x.family.as_deref(), Some("project-selfeval-table"));
    assert_eq!(field(&x, "funds.total.name"), ("年度资金总额", None));
    assert_eq!(
        field(&x, "funds.total.executed"),
        ("346511.97", Some("万元"))
    );
    assert_eq!(
        field(&x, "funds.total.execution_rate"),
        ("94.97", Some("%"))
    );
    assert_eq!(field(&x, "funds.total.points"), ("10", None));
    assert_eq!(field(&x, "funds.total.score"), ("9.5", None));
    assert_eq!(
        field(&x, "indicators.1.name"),
        ("通过监测帮扶防止返贫致贫人数", None)
    );
    assert_eq!(field(&x, "indicators.1.target"), ("580", Some("万人")));
    assert_eq!(x.fields["indicators.1.target"].raw, "≥580万人");
    assert_eq!(field(&x, "indicators.1.actual"), ("600", Some("万人")));
    assert_eq!(field(&x, "indicators.1.points"), ("3", None));
    assert_eq!(field(&x, "indicators.1.score"), ("3", None));
    assert_eq!(field(&x, "indicators.13.score"), ("1.9", None));
    assert_eq!(field(&x, "indicators.total.score"), ("99.4", None));
    assert_eq!(field(&x, "score.max"), ("100", None));
    assert_eq!(field(&x, "score.total"), ("99.4", None));
    assert_eq!(field(&x, "structure.total.projects"), ("9979", None));
    assert_eq!(field(&x, "project_counts.total.projects"), ("9978", None));
    assert_eq!(field(&x, "rubric.total.score"), ("99.8", None));
    // The indicator target keeps comparator and magnitude in the table cell.
    let region = x
        .tables
        .iter()
        .find(|r| {
            r.columns
                .iter()
                .any(|c| c.path.last().map(String::as_str) == Some("年度指标值"))
        })
        .unwrap();
    let n = region.rows[0]
        .cells
        .iter()
        .find_map(|c| c.number.as_ref().filter(|n| n.raw == "≥580万人"))
        .unwrap();
    assert_eq!(serde_json::to_value(n.comparator).unwrap(), "≥");
    assert_eq!(n.base_value.to_string(), "5800000");
    assert_eq!(n.base_unit, Some("人"));
}

#[test]
fn hechi_narrative_report_fields_and_statements() {
    let x = x("seeds/004_f4876d50edd6c37b.txt");
    assert_eq!(x.family.as_deref(), Some("project-report"));
    for (key, value) in [
        ("sections.input.max", "20"),
        ("sections.input.score", "20"),
        ("sections.process.score", "20"),
        ("sections.output.score", "20"),
        ("sections.outcome.max", "40"),
        ("sections.outcome.score", "40"),
        ("score.total", "100"),
        ("funding.amount", "200"),
    ] {
        assert_eq!(field(&x, key).0, value, "{key}");
    }
    assert_eq!(field(&x, "grade").0, "优秀");
    // "共实施饮水安全项目4894处，其中集中供水项目新建545处、改扩建218处，家庭水柜项目新建4116座、
    // 改扩建15座，巩固提升受益贫困人口16.32万人" is a total with four parts: 座 count things as 处
    // do, 万人 do not.
    let s = x
        .statements
        .iter()
        .find(|s| s.total.number.raw == "4894处")
        .expect("the 4894处 statement");
    assert_eq!(
        s.parts
            .iter()
            .map(|p| p.number.raw.as_str())
            .collect::<Vec<_>>(),
        vec!["545处", "218处", "4116座", "15座"]
    );
    // Every figure in running text has its place.
    let f = x
        .figures
        .iter()
        .find(|f| f.number.raw == "16.32万人")
        .unwrap();
    assert_eq!(f.number.base_value.normalize().to_string(), "163200");
}

#[test]
fn unknown_documents_still_get_generic_output() {
    let families: Vec<family::Family> = Vec::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fixtures/dept-2021-xiangxi.docx");
    let doc = read_path(&path, &Limits::default()).unwrap();
    let x = extract(&doc, &families);
    assert_eq!(x.family, None);
    // Only the fields any document may have: the grade of its 评价等次 cell.
    let keys: Vec<&str> = x.fields.keys().map(String::as_str).collect();
    assert_eq!(keys, ["grade"]);
    assert_eq!(x.fields["grade"].value, "优");
    assert!(x.tables.len() >= 5);
    assert!(x
        .relations
        .iter()
        .any(|r| r.by == jixiao::recognize::table::SumBy::Column));
    assert!(!x.figures.is_empty());
}

/// Seed 000 L442 `全州危房改造362户，落实“雨露计划”补助资金3044万元，惠及2万余人`: each figure
/// with the phrase it quantifies, in every rendition.
#[test]
fn text_figures_get_their_subjects() {
    use jixiao::recognize::number::Comparator;
    for rel in [
        "seeds/000_d660c977e1eff9a8.txt",
        "fixtures/dept-2021-xiangxi.docx",
        "fixtures/dept-2021-xiangxi.html",
    ] {
        let x = x(rel);
        let by_raw = |raw: &str| {
            x.figures
                .iter()
                .find(|f| f.number.raw == raw)
                .unwrap_or_else(|| panic!("{rel}: no figure {raw}"))
        };
        let houses = by_raw("362户");
        assert_eq!(
            (houses.subject.as_str(), houses.lead.as_str()),
            ("危房改造", "全州危房改造")
        );
        let funds = by_raw("3044万元");
        assert_eq!(funds.subject, "雨露计划补助资金");
        assert_eq!(funds.number.base_value.to_string(), "30440000");
        let people = by_raw("2万余人");
        assert_eq!(people.subject, "惠及");
        assert_eq!(people.number.comparator, Some(Comparator::Ge));
        assert_eq!(
            (
                people.number.base_value.to_string(),
                people.number.base_unit
            ),
            ("20000".to_string(), Some("人"))
        );
    }
}
