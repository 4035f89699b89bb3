//! The read stage on the real corpus: every seed and fixture reads, and the same tables come
//! out of the text export, the .docx, the .html and the .xlsx renditions.

mod common;

use std::path::Path;

use common::corpus::{corpus, read};
use jixiao::model::{Block, Document, Format, Origin, Table};
use jixiao::read::{read_bytes, Limits};

/// Cell text as a reader of the page sees it: runs of white space folded, ends trimmed.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each row's non-empty cell texts, left to right, counting a merged cell in its first row only.
fn row_texts(t: &Table) -> Vec<Vec<String>> {
    let mut rows = vec![Vec::new(); t.rows];
    for c in &t.cells {
        let text = norm(&c.text);
        if !text.is_empty() {
            rows[c.row].push(text);
        }
    }
    rows
}

/// Every anchor cell as (row, col, row span, col span, text).
fn grid(t: &Table) -> Vec<(usize, usize, usize, usize, String)> {
    t.cells
        .iter()
        .map(|c| (c.row, c.col, c.row_span, c.col_span, norm(&c.text)))
        .collect()
}

fn paragraphs(d: &Document) -> Vec<String> {
    d.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(norm(&p.text)),
            Block::Table(_) => None,
        })
        .filter(|t| !t.is_empty())
        .collect()
}

const RENDITIONS: [(&str, &[&str]); 3] = [
    (
        "seeds/000_d660c977e1eff9a8.txt",
        &[
            "fixtures/dept-2021-xiangxi.docx",
            "fixtures/dept-2021-xiangxi.html",
            "fixtures/dept-2021-xiangxi.gb18030.txt",
        ],
    ),
    (
        "seeds/003_d4ae13a11fd94936.txt",
        &[
            "fixtures/fund-2023-hunan.docx",
            "fixtures/fund-2023-hunan.html",
            "fixtures/fund-2023-hunan.xlsx",
        ],
    ),
    (
        "seeds/004_f4876d50edd6c37b.txt",
        &[
            "fixtures/project-2020-hechi.docx",
            "fixtures/project-2020-hechi.html",
            "fixtures/project-2020-hechi.utf16.txt",
        ],
    ),
];

#[test]
fn formats_and_encodings_are_detected() {
    let cases = [
        (
            "seeds/000_d660c977e1eff9a8.txt",
            Format::Text,
            Some("UTF-8"),
        ),
        (
            "fixtures/dept-2021-xiangxi.gb18030.txt",
            Format::Text,
            Some("gb18030"),
        ),
        (
            "fixtures/project-2020-hechi.utf16.txt",
            Format::Text,
            Some("UTF-16LE"),
        ),
        (
            "fixtures/dept-2021-xiangxi.html",
            Format::Html,
            Some("UTF-8"),
        ),
        ("fixtures/dept-2021-xiangxi.docx", Format::Docx, None),
        ("fixtures/fund-2023-hunan.xlsx", Format::Xlsx, None),
    ];
    for (rel, format, encoding) in cases {
        let doc = read(rel);
        assert_eq!(doc.source.format, format, "{rel}");
        assert_eq!(doc.source.encoding.as_deref(), encoding, "{rel}");
        assert!(doc.warnings.is_empty(), "{rel}: {:?}", doc.warnings);
        assert_eq!(doc.source.sha256.len(), 64);
    }
}

#[test]
fn re_encoded_text_exports_read_exactly_like_the_utf8_seed() {
    for (seed, copy) in [
        (
            "seeds/000_d660c977e1eff9a8.txt",
            "fixtures/dept-2021-xiangxi.gb18030.txt",
        ),
        (
            "seeds/004_f4876d50edd6c37b.txt",
            "fixtures/project-2020-hechi.utf16.txt",
        ),
    ] {
        let a = serde_json::to_value(&read(seed).blocks).unwrap();
        let b = serde_json::to_value(&read(copy).blocks).unwrap();
        assert_eq!(a, b, "{copy}");
    }
}

#[test]
fn structured_renditions_have_identical_grids() {
    for (_, renditions) in RENDITIONS {
        let docs: Vec<Document> = renditions
            .iter()
            .filter(|r| !r.ends_with(".txt"))
            .map(|r| read(r))
            .collect();
        let base = &docs[0];
        for other in &docs[1..] {
            let (a, b) = (base.tables(), other.tables());
            assert_eq!(
                a.len(),
                b.len(),
                "{} vs {}",
                base.source.path,
                other.source.path
            );
            for (ta, tb) in a.iter().zip(&b) {
                assert_eq!(
                    (ta.rows, ta.cols),
                    (tb.rows, tb.cols),
                    "table {} of {}",
                    ta.index,
                    other.source.path
                );
                assert_eq!(
                    grid(ta),
                    grid(tb),
                    "table {} of {}",
                    ta.index,
                    other.source.path
                );
            }
            // The workbook holds the tables and their titles only (附件5 is a list, not a table).
            if other.source.format != Format::Xlsx {
                assert_eq!(paragraphs(base), paragraphs(other), "{}", other.source.path);
            }
        }
    }
}

#[test]
fn text_export_rows_match_the_structured_renditions() {
    for (seed, renditions) in RENDITIONS {
        let text = read(seed);
        let docx = read(renditions[0]);
        let (a, b) = (text.tables(), docx.tables());
        assert_eq!(a.len(), b.len(), "{seed}");
        for (ta, tb) in a.iter().zip(&b) {
            assert_eq!(ta.rows, tb.rows, "table {} of {seed}", ta.index);
            assert_eq!(row_texts(ta), row_texts(tb), "table {} of {seed}", ta.index);
        }
        assert_eq!(paragraphs(&text), paragraphs(&docx), "{seed}");
    }
}

#[test]
fn xiangxi_income_table_keeps_rows_and_columns() {
    for rel in [
        "seeds/000_d660c977e1eff9a8.txt",
        "fixtures/dept-2021-xiangxi.docx",
        "fixtures/dept-2021-xiangxi.html",
    ] {
        let doc = read(rel);
        let form = doc.tables()[0];
        let row_of = |label: &str| {
            form.cells
                .iter()
                .find(|c| norm(&c.text) == label)
                .map(|c| c.row)
                .unwrap_or_else(|| panic!("{rel}: no row {label}"))
        };
        let header = row_of("收入合计");
        let other_col = form
            .cells
            .iter()
            .find(|c| norm(&c.text) == "其他 收入")
            .unwrap()
            .col;
        let total_col = form
            .cells
            .iter()
            .find(|c| c.row == header && norm(&c.text) == "收入合计")
            .unwrap()
            .col;
        for (label, total, other) in [
            ("局机关及二级机构汇总", "1,482.43", "5.01"),
            ("1、局机关", "1,333.13", "5.00"),
            ("2、二级机构", "149.30", "0.01"),
        ] {
            // The first row with this label after the income header is the income row.
            let r = form
                .cells
                .iter()
                .filter(|c| norm(&c.text) == label && c.row > header)
                .map(|c| c.row)
                .min()
                .unwrap();
            assert!(r <= row_of("局机关及二级机构汇总") + 2, "{rel}");
            assert_eq!(
                norm(&form.cell_at(r, total_col).unwrap().text),
                total,
                "{rel} {label}"
            );
            assert_eq!(
                norm(&form.cell_at(r, other_col).unwrap().text),
                other,
                "{rel} {label}"
            );
        }
    }
}

#[test]
fn hunan_structure_table_has_sixteen_data_rows() {
    for rel in [
        "seeds/003_d4ae13a11fd94936.txt",
        "fixtures/fund-2023-hunan.docx",
        "fixtures/fund-2023-hunan.html",
        "fixtures/fund-2023-hunan.xlsx",
    ] {
        let doc = read(rel);
        let rows = row_texts(doc.tables()[1]);
        // A row's label: its first text that is not a 序号 number.
        let label = |r: &Vec<String>| {
            r.iter()
                .find(|t| t.parse::<u32>().is_err())
                .cloned()
                .unwrap_or_default()
        };
        let first = rows
            .iter()
            .position(|r| label(r) == "全省合计")
            .unwrap_or_else(|| panic!("{rel}: {rows:?}"));
        // 全省合计, the 支出使用方向比例 row, then 15 省直/市州 rows.
        let data: Vec<String> = rows[first..]
            .iter()
            .map(label)
            .filter(|l| !l.contains("比例"))
            .collect();
        assert_eq!(data.len(), 16, "{rel}: {data:?}");
        assert_eq!(data[1], "省直", "{rel}");
        assert_eq!(data[15], "常德市", "{rel}");
        assert_eq!(rows[first][1], "9979", "{rel}: 全省合计 项目个数");
    }
}

#[test]
fn hunan_indicator_columns_are_vertical_merges() {
    for rel in [
        "fixtures/fund-2023-hunan.docx",
        "fixtures/fund-2023-hunan.html",
        "fixtures/fund-2023-hunan.xlsx",
    ] {
        let doc = read(rel);
        let t = doc.tables()[0];
        let output = t
            .cells
            .iter()
            .find(|c| c.text.starts_with("产出指标"))
            .unwrap_or_else(|| panic!("{rel}"));
        assert_eq!(output.col, 1, "{rel}");
        assert!(
            output.row_span > 5,
            "{rel}: 产出指标 spans {} rows",
            output.row_span
        );
        let performance = t
            .cells
            .iter()
            .find(|c| norm(&c.text).starts_with("绩效指标"))
            .unwrap();
        assert_eq!(performance.col, 0);
        assert!(performance.row_span >= output.row_span, "{rel}");
    }
}

#[test]
fn origins_point_back_into_each_format() {
    let docx = read("fixtures/dept-2021-xiangxi.docx");
    let cell = docx.tables()[0]
        .cells
        .iter()
        .find(|c| c.text == "1,482.43")
        .unwrap();
    assert!(
        matches!(&cell.origin, Origin::Docx { path } if path.starts_with("body/tbl[1]/tr[")),
        "{:?}",
        cell.origin
    );

    let text = read("seeds/000_d660c977e1eff9a8.txt");
    let cell = text.tables()[0]
        .cells
        .iter()
        .find(|c| c.text == "1,482.43")
        .unwrap();
    assert_eq!(
        cell.origin,
        Origin::Lines {
            first: 73,
            last: 73
        }
    );

    let xlsx = read("fixtures/fund-2023-hunan.xlsx");
    let t = xlsx.tables()[2];
    assert_eq!(t.name.as_deref(), Some("附件3"));
    let cell = t.cells.iter().find(|c| c.text.trim() == "9978").unwrap();
    assert!(matches!(&cell.origin, Origin::Sheet { sheet, .. } if sheet == "附件3"));

    let html = read("fixtures/fund-2023-hunan.html");
    let cell = html.tables()[2]
        .cells
        .iter()
        .find(|c| c.text.trim() == "9978")
        .unwrap();
    assert!(
        matches!(&cell.origin, Origin::Html { path } if path.starts_with("body/table[3]/")),
        "{:?}",
        cell.origin
    );
}

#[test]
fn spreadsheet_numbers_show_as_formatted() {
    let doc = read("fixtures/fund-2023-hunan.xlsx");
    let texts: Vec<String> = doc.tables()[0]
        .cells
        .iter()
        .map(|c| c.text.clone())
        .collect();
    assert!(texts.iter().any(|t| t == "94.97%"), "percent format lost");
    assert!(texts.iter().any(|t| t == "346511.97"), "{texts:?}");
}

fn err(name: &str, bytes: &[u8]) -> String {
    match read_bytes(Path::new(name), bytes, &Limits::default()) {
        Ok(d) => panic!("{name} read as {:?}", d.source.format),
        Err(e) => e.to_string(),
    }
}

#[test]
fn unsupported_and_broken_inputs_get_errors_naming_the_file() {
    assert_eq!(err("empty.txt", b""), "empty.txt: empty file");
    assert_eq!(
        err("report.pdf", b"%PDF-1.4 ..."),
        "report.pdf: damaged PDF: couldn't parse input"
    );
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    // A compound-file signature and a stream name, but no compound file behind them.
    let e = err("old.docx", &doc);
    assert_eq!(e, "old.docx: damaged compound file: sector size 2^116");
    let noise: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert!(err("noise.bin", &noise).contains("unrecognised format"));
    let docx = std::fs::read(corpus("fixtures/dept-2021-xiangxi.docx")).unwrap();
    let e = err("cut.docx", &docx[..docx.len() / 2]);
    assert!(e.starts_with("cut.docx: damaged zip container"), "{e}");
}

#[test]
fn html_saved_as_txt_is_read_as_html() {
    let html = std::fs::read(corpus("fixtures/fund-2023-hunan.html")).unwrap();
    let doc = read_bytes(Path::new("page.txt"), &html, &Limits::default()).unwrap();
    assert_eq!(doc.source.format, Format::Html);
    assert_eq!(doc.tables().len(), 4);
}
