//! Bad and hostile inputs: each gives a clear error naming the file, or a best-effort model —
//! never a panic, never unbounded memory. Large inputs are generated here, not stored.

mod common;

use std::io::Write;
use std::path::Path;

use common::{body, docx_with, W};

use jixiao::model::{Block, Document};
use jixiao::read::{read_bytes, read_path, Limits};

fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, String> {
    read_bytes(Path::new(name), bytes, limits).map_err(|e| e.to_string())
}

#[test]
fn truncated_docx_at_every_tenth_of_its_length_errors_cleanly() {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fixtures/fund-2023-hunan.docx"),
    )
    .unwrap();
    for tenth in 1..10 {
        let cut = &bytes[..bytes.len() * tenth / 10];
        let e = read("cut.docx", cut, &Limits::default()).expect_err("a cut container is an error");
        assert!(e.starts_with("cut.docx: "), "{e}");
    }
}

#[test]
fn truncated_document_xml_is_reported_as_malformed_xml() {
    let xml =
        body("<w:p><w:r><w:t>收入合计</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>1,482");
    let cut = &xml[..xml.len() - 10];
    let e = read("cut.docx", &docx_with(cut), &Limits::default()).unwrap_err();
    assert!(
        e.starts_with("cut.docx: malformed XML in word/document.xml"),
        "{e}"
    );
}

#[test]
fn mismatched_tags_are_reported_as_malformed_xml() {
    let e = read(
        "bad.docx",
        &docx_with(&body("<w:p><w:r><w:t>x</w:r></w:t></w:p>")),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(e.contains("malformed XML in word/document.xml"), "{e}");
}

#[test]
fn a_flood_of_namespace_declarations_is_refused_quickly() {
    // 100,000 prefixes declared on the body: without a bound every element's lookup would
    // scan them all (seconds for a 255 KB file).
    let declarations: String = (0..100_000)
        .map(|i| format!(" xmlns:p{i}=\"urn:x:{i}\""))
        .collect();
    let xml = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body{declarations}><w:p/></w:body></w:document>"#
    );
    let e = read("ns.docx", &docx_with(&xml), &Limits::default()).unwrap_err();
    assert!(
        e.contains("more than 128 namespace bindings in scope (limit)"),
        "{e}"
    );
}

#[test]
fn a_zip_that_is_not_a_word_file_is_named_as_such() {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"hello").unwrap();
    zip.finish().unwrap();
    let e = read("a.docx", &out.into_inner(), &Limits::default()).unwrap_err();
    assert_eq!(e, "a.docx: unrecognised format (a zip archive that holds neither a Word document nor a workbook); supported formats: .docx, .doc, .wps, .rtf, .pdf, .xlsx, .xls, .ods, .html, plain-text Word exports (.txt)");
}

#[test]
fn zip_bomb_part_is_capped() {
    // 16 MiB of one repeated paragraph deflates to a few KiB; the cap here is 1 MiB.
    let para = "<w:p><w:r><w:t>收入合计</w:t></w:r></w:p>";
    let xml = body(&para.repeat((16 << 20) / para.len()));
    let bytes = docx_with(&xml);
    assert!(bytes.len() < 200_000, "bomb is {} bytes", bytes.len());
    let limits = Limits {
        max_part_size: 1 << 20,
        ..Limits::default()
    };
    let e = read("bomb.docx", &bytes, &limits).unwrap_err();
    assert_eq!(e, "bomb.docx: part word/document.xml inflates to more than 1048576 bytes (limit; raise it with --max-part-size)");
}

#[test]
fn entity_expansion_is_never_performed() {
    let xml = format!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol2; &amp; &#x2265;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let doc = read("lol.docx", &docx_with(&xml), &Limits::default()).unwrap();
    let Block::Paragraph(p) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(p.text, "&lol2; & ≥");
}

fn nested_tables(depth: usize) -> String {
    let mut inner = "<w:p><w:r><w:t>深</w:t></w:r></w:p>".to_string();
    for _ in 0..depth {
        inner = format!("<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl>");
    }
    body(&inner)
}

#[test]
fn nested_tables_within_the_limit_are_kept_and_deeper_ones_are_refused() {
    let doc = read(
        "nest.docx",
        &docx_with(&nested_tables(10)),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(doc.tables().len(), 10);
    let e = read(
        "deep.docx",
        &docx_with(&nested_tables(2000)),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(e.starts_with("deep.docx: nesting deeper than"), "{e}");
}

#[test]
fn deeply_nested_html_keeps_its_text_without_overflowing_the_stack() {
    let html = format!(
        "<html><body>{}收入合计 1,482.43{}</body></html>",
        "<div>".repeat(20_000),
        "</div>".repeat(20_000)
    );
    let doc = read("deep.html", html.as_bytes(), &Limits::default()).unwrap();
    let text: String = doc
        .blocks
        .iter()
        .filter_map(|b| {
            if let Block::Paragraph(p) = b {
                Some(p.text.clone())
            } else {
                None
            }
        })
        .collect();
    assert_eq!(text, "收入合计 1,482.43");
    let tables = format!(
        "<html><body>{}x{}</body></html>",
        "<table><tr><td>".repeat(500),
        "</td></tr></table>".repeat(500)
    );
    let doc = read("tables.html", tables.as_bytes(), &Limits::default()).unwrap();
    assert!(
        doc.tables().len() <= 64 + 1,
        "{} tables",
        doc.tables().len()
    );
}

#[test]
fn invalid_bytes_in_a_declared_encoding_are_replaced_and_reported() {
    let mut page = b"<html><head><meta charset=\"utf-8\"></head><body><p>\xe6\x94\xb6\xe5\x85\xa5 \xff\xfe 1,482.43</p></body></html>".to_vec();
    page.extend(b"\n");
    let doc = read("bad.html", &page, &Limits::default()).unwrap();
    assert_eq!(
        doc.warnings,
        vec!["invalid UTF-8 byte sequences were replaced with U+FFFD".to_string()]
    );
    let Block::Paragraph(p) = &doc.blocks[0] else {
        panic!()
    };
    assert!(
        p.text.starts_with("收入") && p.text.ends_with("1,482.43"),
        "{}",
        p.text
    );
}

#[test]
fn nul_bytes_in_text_do_not_stop_the_reader() {
    let doc = read(
        "nul.txt",
        "收入合计\u{0}1,482.43\n\t单元\n\t格\n".as_bytes(),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(doc.tables().len(), 1);
}

#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    let dir = std::env::temp_dir().join(format!("jixiao-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.txt");
    // 200 MB of text export lines, written in chunks.
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let chunk = "\t局机关及二级机构汇总\n\t1,482.43\n\n".repeat(4096);
    let mut written = 0;
    while written < 200_000_000 {
        f.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    f.flush().unwrap();
    drop(f);
    let limits = Limits {
        max_file_size: 64 << 20,
        ..Limits::default()
    };
    let e = read_path(&path, &limits).unwrap_err().to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(e.ends_with(&format!("big.txt: file is {written} bytes, more than the limit of 67108864 bytes (raise it with --max-file-size)")), "{e}");
}

#[test]
fn a_huge_single_paragraph_is_read() {
    let line = "收入合计1,482.43万元，".repeat(1_000_000);
    let doc = read("long.txt", line.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(doc.blocks.len(), 1);
}

#[test]
fn workbook_parts_over_the_limit_are_refused() {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fixtures/fund-2023-hunan.xlsx"),
    )
    .unwrap();
    let limits = Limits {
        max_part_size: 1000,
        ..Limits::default()
    };
    let e = read("big.xlsx", &bytes, &limits).unwrap_err();
    assert!(
        e.starts_with("big.xlsx: part ") && e.contains("inflates to more than 1000 bytes"),
        "{e}"
    );
}

/// Inputs that crashed a reader under fuzzing (`fuzz/`, docs/robustness.md), kept so they stay
/// fixed: each must give a clear error naming the file, not a panic.
#[test]
fn fuzz_regressions_fail_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue;
        }
        let result = std::panic::catch_unwind(|| read_path(&path, &Limits::default()));
        let Ok(result) = result else {
            panic!("{}: the reader panicked", path.display());
        };
        let e = result
            .err()
            .unwrap_or_else(|| panic!("{}: read as a document", path.display()));
        assert!(
            e.to_string().starts_with(&path.display().to_string()),
            "{e}"
        );
        seen += 1;
    }
    assert_eq!(seen, 1);
}

fn u32_at(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
}

fn put_u32(b: &mut [u8], at: usize, value: u32) {
    b[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// The kinds of damage fuzzing found in .xls files (looping chains, sectors and streams past
/// the end, a `DIMENSIONS` record of billions of cells, on which calamine allocated without
/// bound or panicked), made here in our own .xls rendition of the Hunan report: each is refused
/// by the compound-file check with its cause, naming the file.
#[test]
fn damaged_xls_files_are_refused_with_the_cause() {
    let xls = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/renditions/fund-2023-hunan.xls"),
    )
    .unwrap();
    assert!(read("whole.xls", &xls, &Limits::default()).is_ok());
    let sector = |id: usize| (id + 1) * 512;
    let directory = u32_at(&xls, 48);
    let fat = sector(u32_at(&xls, 76));
    let workbook_entry = (0..xls.len() / 128)
        .map(|i| sector(directory) + 128 * i)
        .find(|&at| {
            xls[at..at + 16]
                == *"Workbook"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<u8>>()
        })
        .unwrap();
    let dimensions = xls
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .unwrap();
    type Damage = (&'static str, Box<dyn Fn(&mut Vec<u8>)>);
    let damages: Vec<Damage> = vec![
        (
            "the directory points to sector 4000, past the end of the file",
            Box::new(|b| put_u32(b, 48, 4000)),
        ),
        (
            "the directory loops",
            Box::new(move |b| put_u32(b, fat + 4 * directory, directory as u32)),
        ),
        (
            "a stream declares 4000000000 bytes in a file of 37376",
            Box::new(move |b| put_u32(b, workbook_entry + 120, 4_000_000_000)),
        ),
        (
            "900 allocation-table sectors in a file of 72",
            Box::new(|b| put_u32(b, 44, 900)),
        ),
        (
            "a sheet declares 4294967295 rows × 256 columns, more than 4194304 cells",
            Box::new(move |b| {
                put_u32(b, dimensions + 4, 0);
                put_u32(b, dimensions + 8, u32::MAX);
                b[dimensions + 14..dimensions + 16].copy_from_slice(&256u16.to_le_bytes());
            }),
        ),
    ];
    for (cause, damage) in &damages {
        let mut bytes = xls.clone();
        damage(&mut bytes);
        let e = read("damaged.xls", &bytes, &Limits::default()).expect_err(cause);
        assert!(
            e.starts_with("damaged.xls: ")
                && e.contains(&format!("damaged compound file: {cause}")),
            "{e}"
        );
    }
    // Cut short at every tenth, and with the workbook's records overwritten: an error naming
    // the file or a best-effort model, never a panic.
    for tenth in 1..10 {
        let cut = &xls[..xls.len() * tenth / 10];
        if let Err(e) = read("cut.xls", cut, &Limits::default()) {
            assert!(e.starts_with("cut.xls: "), "{e}");
        }
    }
    for at in (sector(u32_at(&xls, workbook_entry + 116))..xls.len()).step_by(997) {
        let mut bytes = xls.clone();
        bytes[at..(at + 8).min(xls.len())].fill(0xFF);
        if let Err(e) = read("noisy.xls", &bytes, &Limits::default()) {
            assert!(e.starts_with("noisy.xls: "), "{e}");
        }
    }
}

/// Found by fuzzing: two cells far apart (`A1`, `XFD1048576`) made calamine allocate the
/// dense 17·10⁹-cell range; the extent is checked first.
#[test]
fn a_sheet_spanning_billions_of_cells_is_refused() {
    let sheet = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>合计</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
    let e = read("far.xlsx", &common::xlsx_with(sheet), &Limits::default()).unwrap_err();
    assert!(
        e.contains("spans 1048576 rows × 16384 columns, more than 4194304 cells"),
        "{e}"
    );
    // A normal sheet through the same package reads.
    let sheet = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>合计</t></is></c><c r="B1"><v>1482.43</v></c></row></sheetData></worksheet>"#;
    let doc = read("near.xlsx", &common::xlsx_with(sheet), &Limits::default()).unwrap();
    assert_eq!(doc.tables().len(), 1);
}

/// Found by fuzzing: `rowspan` in the hundred thousands made grid rows past the table's end;
/// row spans now end with the table, column spans at 1 000.
#[test]
fn huge_html_spans_are_bounded() {
    let html = r#"<table><tr><td rowspan="100000" colspan="100000000">合计</td><td>1</td></tr><tr><td>2</td></tr></table>"#;
    let doc = read("spans.html", html.as_bytes(), &Limits::default()).unwrap();
    let t = doc.tables()[0];
    assert_eq!(t.rows, 2);
    assert_eq!(t.cols, 1_001);
    assert_eq!((t.cells[0].row_span, t.cells[0].col_span), (2, 1_000));
}

/// Found by fuzzing: figures near the decimal's range overflowed when summed.
#[test]
fn sums_beyond_the_decimal_range_are_skipped_not_panicked() {
    // 100 parts of 10²⁷ 元 each: their sum leaves the decimal's range (7.9·10²⁸).
    let parts = "项目999999999999999万亿元、".repeat(100);
    let text = format!("收入合计999999999999999万亿元，其中{parts}。\n");
    let doc = read("big.txt", text.as_bytes(), &Limits::default()).unwrap();
    let _ = jixiao::batch::checked(&doc, &jixiao::check::Settings::default());
}

/// Fuzz finds that are readable documents (`tests/fuzz-regressions/readable/`): a 亿亿 figure,
/// 100 parts of 10²⁷ 元 after 其中, 4,000 其中 in one sentence (quadratic before: 15 s and
/// 3.2 GB), 2,500 cells with 1000×1000 spans (2 GB before). Each reads, extracts and checks.
#[test]
fn fuzz_regressions_that_are_documents_go_through_the_pipeline() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/readable");
    let settings = jixiao::check::Settings::default();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let doc = read_path(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        let _ = jixiao::batch::checked(&doc, &settings);
        seen += 1;
    }
    assert_eq!(seen, 4);
}
