//! Legacy Word (.doc, .wps) and RTF: the LibreOffice renditions of the corpus reports
//! (`corpus/renditions/`, `scripts/make_renditions.sh`) read into the same tables, paragraphs
//! and findings as their .docx twins; damaged and unsupported files give clear errors.

mod common;

use common::corpus::{corpus, read, read_as};
use jixiao::check::{Finding, Settings};
use jixiao::model::{Block, Document, Format, Origin, Table};

const REPORTS: [&str; 3] = ["fund-2023-hunan", "dept-2021-xiangxi", "project-2020-hechi"];

/// A table's rows, columns and anchor cells (row, column, row span, column span, text).
type Grid = (usize, usize, Vec<(usize, usize, usize, usize, String)>);

/// A finding's rule, severity, stated and computed figures, and logical place.
type FindingKey = (String, String, Option<String>, Option<String>, String);

/// Each table as its anchor cells: position, spans and text; nested tables follow their parent.
fn grids(doc: &Document) -> Vec<Grid> {
    doc.tables()
        .iter()
        .map(|t: &&Table| {
            let cells = t
                .cells
                .iter()
                .map(|c| (c.row, c.col, c.row_span, c.col_span, c.text.clone()))
                .collect();
            (t.rows, t.cols, cells)
        })
        .collect()
}

fn paragraphs(doc: &Document) -> Vec<(String, Option<u8>)> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some((p.text.clone(), p.heading)),
            Block::Table(_) => None,
        })
        .collect()
}

/// A finding as the two renditions must share it: rule, severity, figures, places involved.
fn findings(doc: &Document) -> Vec<FindingKey> {
    let mut out: Vec<_> = jixiao::batch::checked(doc, &Settings::default())
        .findings
        .iter()
        .map(|f: &Finding| {
            (
                f.code.to_string(),
                format!("{:?}", f.severity),
                f.stated.clone(),
                f.computed.clone(),
                f.at.logical(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_doc_and_rtf_rendition_reads_like_its_docx() {
    for name in REPORTS {
        let docx = read(&format!("fixtures/{name}.docx"));
        for (ext, format) in [("doc", Format::Doc), ("rtf", Format::Rtf)] {
            let other = read(&format!("renditions/{name}.{ext}"));
            assert_eq!(other.source.format, format, "{name}.{ext}");
            assert_eq!(grids(&other), grids(&docx), "{name}.{ext}: tables");
            assert_eq!(
                paragraphs(&other),
                paragraphs(&docx),
                "{name}.{ext}: paragraphs"
            );
            assert_eq!(findings(&other), findings(&docx), "{name}.{ext}: findings");
        }
    }
}

/// The constructs of `scripts/make_constructs.py`: a vertical merge, a column span, a table
/// nested in a cell, a field (result kept, code dropped), a hyperlink, a footnote, a header and
/// a footer (kept out of the body), read from the .doc as from the .docx.
#[test]
fn word_constructs_read_from_the_doc_and_rtf_as_from_the_docx() {
    let docx = read("renditions/constructs.docx");
    let rtf = read("renditions/constructs.rtf");
    assert_eq!(grids(&rtf), grids(&docx));
    assert_eq!(paragraphs(&rtf), paragraphs(&docx));
    let doc = read("renditions/constructs.doc");
    assert_eq!(grids(&doc), grids(&docx));
    assert_eq!(paragraphs(&doc), paragraphs(&docx));
    let tables = doc.tables();
    assert_eq!(tables.len(), 2);
    let outer = tables[0];
    let item = outer.cell_at(1, 0).unwrap();
    assert_eq!((item.text.as_str(), item.row_span), ("项目", 2));
    assert_eq!(outer.cell_at(0, 1).unwrap().col_span, 2);
    assert_eq!(outer.cell_at(3, 0).unwrap().text, "合计 830.35 万元");
    let nested = &outer.cell_at(2, 3).unwrap().tables[0];
    assert_eq!(nested.cell_at(0, 0).unwrap().text, "其中：人员经费");
    assert!(
        matches!(&nested.origin, Origin::Doc { path } if path == "body/tbl[1]/tr[3]/tc[4]/tbl[1]")
    );
    let text: Vec<String> = paragraphs(&doc).into_iter().map(|(t, _)| t).collect();
    assert_eq!(text[2], "详见财政部网站。");
    assert!(!text
        .iter()
        .any(|t| t.contains("页眉") || t.contains("脚注") || t.contains("第 1 页")));
    assert_eq!(paragraphs(&doc)[3].1, Some(2));
}

/// Values read off the Hunan .doc by hand (附件1 and 附件2 as LibreOffice shows them).
#[test]
fn hunan_doc_tables_hold_the_reports_cells() {
    let doc = read("renditions/fund-2023-hunan.doc");
    let tables = doc.tables();
    assert_eq!(tables.len(), 4);
    let t = tables[0];
    assert_eq!((t.rows, t.cols), (41, 9));
    let at = |t: &Table, r: usize, c: usize| t.cell_at(r, c).map(|c| c.text.clone());
    assert_eq!(at(t, 3, 1).as_deref(), Some("年度资金总额"));
    assert_eq!(at(t, 3, 3).as_deref(), Some("364860"));
    assert_eq!(at(t, 3, 5).as_deref(), Some("346511.97"));
    assert_eq!(at(t, 3, 7).as_deref(), Some("94.97%"));
    assert_eq!(at(t, 3, 8).as_deref(), Some("9.5"));
    // 项目资金（万元） spans its header row and the four funds rows (a vertical merge).
    let funds = t.cell_at(4, 0).unwrap();
    assert_eq!(
        (funds.row, funds.row_span, funds.text.as_str()),
        (2, 5, "项目资金\n（万元）")
    );
    // 项目支出名称's value spans seven grid columns.
    let name = t.cell_at(0, 2).unwrap();
    assert_eq!(name.col_span, 7);
    assert!(matches!(&name.origin, Origin::Doc { path } if path == "body/tbl[1]/tr[1]/tc[2]"));
    assert_eq!(doc.blocks.len(), 17 + 4);
    assert!(
        matches!(&doc.blocks[1], Block::Paragraph(p) if p.heading == Some(1)
        && p.text == "2023年度衔接推进乡村振兴补助专项资金支出绩效自评表")
    );
}

#[test]
fn a_doc_is_read_by_its_content_whatever_its_name() {
    let doc = std::fs::read(corpus("renditions/dept-2021-xiangxi.doc")).unwrap();
    // WPS Office's .wps is the same format; LibreOffice writes it as this very file.
    let wps = read_as("report.wps", &doc).unwrap();
    assert_eq!(wps.source.format, Format::Doc);
    assert_eq!(wps.tables().len(), 2);
    let docx = std::fs::read(corpus("fixtures/dept-2021-xiangxi.docx")).unwrap();
    assert_eq!(
        read_as("report.doc", &docx).unwrap().source.format,
        Format::Docx
    );
    let html = std::fs::read(corpus("fixtures/dept-2021-xiangxi.html")).unwrap();
    assert_eq!(
        read_as("report.doc", &html).unwrap().source.format,
        Format::Html
    );
    let rtf = std::fs::read(corpus("renditions/dept-2021-xiangxi.rtf")).unwrap();
    let as_doc = read_as("report.doc", &rtf).unwrap();
    assert_eq!(as_doc.source.format, Format::Rtf);
    assert_eq!(
        grids(&as_doc),
        grids(&read("fixtures/dept-2021-xiangxi.docx"))
    );
}

/// RTF written as other writers do: code-page text (`\ansicpg936`, GBK bytes raw and as
/// `\'hh`), a surrogate pair after `\uc0`, a field, a header, an unknown `\*` destination.
#[test]
fn rtf_text_in_code_pages_and_escapes() {
    let mut rtf = br"{\rtf1\ansi\ansicpg936{\header \pard ".to_vec();
    rtf.extend_from_slice(&[0xD2, 0xB3, 0xC3, 0xBC]); // 页眉
    rtf.extend_from_slice(br"\par}{\*\unknown x}\pard ");
    rtf.extend_from_slice(&[0xBA, 0xCF, 0xBC, 0xC6]); // 合计
    rtf.extend_from_slice(
        br" {\field{\*\fldinst SUM}{\fldrslt 830.35}}\'cd\'f2\'d4\'aa\par\pard\uc0 \u-10175\u-8434 \u8805 90%\par}",
    );
    let doc = read_as("hand.rtf", &rtf).unwrap();
    let text: Vec<String> = paragraphs(&doc).into_iter().map(|(t, _)| t).collect();
    assert_eq!(text, ["合计 830.35万元", "\u{2070e}≥90%"]);
}

/// The offset of `what` in the WordDocument stream, which LibreOffice writes in sectors right
/// after the compound file's header (found by its FIB signature).
fn fib_offset(bytes: &[u8]) -> usize {
    (512..bytes.len())
        .step_by(512)
        .find(|&at| bytes[at..at + 2] == [0xEC, 0xA5])
        .unwrap()
}

#[test]
fn encrypted_and_older_word_files_are_refused_with_the_cause() {
    let bytes = std::fs::read(corpus("renditions/project-2020-hechi.doc")).unwrap();
    let fib = fib_offset(&bytes);
    let mut encrypted = bytes.clone();
    encrypted[fib + 0x0B] |= 0x01; // fEncrypted is bit 8 of the flags word at 0x0A
    let e = read_as("locked.doc", &encrypted).unwrap_err();
    assert!(
        e.starts_with("locked.doc: a password-protected Word document is not supported"),
        "{e}"
    );
    let mut word6 = bytes.clone();
    word6[fib + 2..fib + 4].copy_from_slice(&101u16.to_le_bytes());
    let e = read_as("old.doc", &word6).unwrap_err();
    assert!(
        e.starts_with("old.doc: Word 6.0 (.doc) is not supported"),
        "{e}"
    );
    let mut word95 = bytes;
    word95[fib + 2..fib + 4].copy_from_slice(&104u16.to_le_bytes());
    let e = read_as("old.doc", &word95).unwrap_err();
    assert!(
        e.starts_with("old.doc: Word 95 (.doc) is not supported"),
        "{e}"
    );
}

#[test]
fn damaged_doc_files_give_an_error_or_a_model_never_a_panic() {
    let bytes = std::fs::read(corpus("renditions/fund-2023-hunan.doc")).unwrap();
    let fib = fib_offset(&bytes);
    // The main text claims more characters than its piece covers: what exists is read.
    let mut long = bytes.clone();
    long[fib + 0x4C..fib + 0x50].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = read_as("long.doc", &long).unwrap_err();
    assert!(
        e.starts_with("long.doc: part WordDocument (text) inflates to more than"),
        "{e}"
    );
    // The piece table moved past the end of the table stream.
    let mut lost = bytes.clone();
    lost[fib + 0x1A2..fib + 0x1A6].copy_from_slice(&0x7FFF_0000u32.to_le_bytes());
    let e = read_as("lost.doc", &lost).unwrap_err();
    assert_eq!(
        e,
        "lost.doc: damaged Word document: the piece table lies outside the table stream"
    );
    // Cut short, and overwritten every 997 bytes in turn: an error naming the file or a model.
    let mut outcomes = (0, 0);
    for tenth in 1..10 {
        match read_as("cut.doc", &bytes[..bytes.len() * tenth / 10]) {
            Ok(_) => outcomes.0 += 1,
            Err(e) => {
                assert!(e.starts_with("cut.doc: "), "{e}");
                outcomes.1 += 1;
            }
        }
    }
    assert!(outcomes.1 >= 5, "{outcomes:?}");
    for at in (0..bytes.len()).step_by(997) {
        let mut noisy = bytes.clone();
        noisy[at..(at + 16).min(bytes.len())].fill(0xFF);
        if let Err(e) = read_as("noisy.doc", &noisy) {
            assert!(e.starts_with("noisy.doc: "), "{e}");
        }
    }
}

#[test]
fn a_directory_of_doc_files_is_checked_like_one_of_docx() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("LC_ALL", "C")
        .args(["check", "--output-format", "concise", "-q"])
        .arg(corpus("renditions"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // The Hunan errors (JX201, JX401 …) make it exit 1; every .doc is among the findings.
    assert_eq!(out.status.code(), Some(1), "{text}");
    for name in ["fund-2023-hunan.doc", "dept-2021-xiangxi.doc"] {
        assert!(text.contains(name), "{name} missing from\n{text}");
    }
}

/// Hostile RTF: groups nested past the element-depth limit are refused, not recursed into;
/// unbalanced braces and a cut file still read what is there.
#[test]
fn hostile_rtf_is_bounded() {
    let deep = format!("{{\\rtf1 {}", "{".repeat(100_000));
    let e = read_as("deep.rtf", deep.as_bytes()).unwrap_err();
    assert_eq!(e, "deep.rtf: nesting deeper than 512 levels (limit)");
    let cut = std::fs::read(corpus("renditions/fund-2023-hunan.rtf")).unwrap();
    for tenth in 1..10 {
        let doc = read_as("cut.rtf", &cut[..cut.len() * tenth / 10]).unwrap();
        assert!(!doc.blocks.is_empty());
    }
    let unbalanced = read_as("odd.rtf", br"{\rtf1 }}}}\pard 1,482.43\par {{{").unwrap();
    assert_eq!(paragraphs(&unbalanced)[0].0, "1,482.43");
}

/// A compound file of `directory` directory sectors whose every entry (four a sector) is a
/// stream on the same chain of `chain` sectors: checking each entry's chain in full would take
/// entries × chain steps.
fn entries_sharing_one_chain(directory: u32, chain: u32) -> Vec<u8> {
    const SECTOR: usize = 512;
    let per = (SECTOR / 4) as u32;
    let mut fat_sectors = 1;
    while fat_sectors * per < directory + chain + fat_sectors {
        fat_sectors += 1;
    }
    let sectors = fat_sectors + directory + chain;
    let mut fat = vec![0xFFFF_FFFFu32; (fat_sectors * per) as usize];
    for i in 0..sectors {
        fat[i as usize] = match i {
            _ if i < fat_sectors => 0xFFFF_FFFD,
            _ if i == fat_sectors + directory - 1 || i == sectors - 1 => 0xFFFF_FFFE,
            _ => i + 1,
        };
    }
    let mut file = vec![0u8; SECTOR * (sectors as usize + 1)];
    file[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let put =
        |file: &mut Vec<u8>, at: usize, v: u32| file[at..at + 4].copy_from_slice(&v.to_le_bytes());
    file[24..32].copy_from_slice(&[0x3E, 0, 3, 0, 0xFE, 0xFF, 9, 0]);
    file[32] = 6;
    put(&mut file, 44, fat_sectors);
    put(&mut file, 48, fat_sectors);
    put(&mut file, 56, 4096);
    put(&mut file, 60, 0xFFFF_FFFE);
    put(&mut file, 68, 0xFFFF_FFFE);
    for i in 0..109u32 {
        put(
            &mut file,
            76 + 4 * i as usize,
            if i < fat_sectors { i } else { 0xFFFF_FFFF },
        );
    }
    for (i, v) in fat.iter().enumerate() {
        put(&mut file, SECTOR + 4 * i, *v);
    }
    for k in 0..(directory * 4) as usize {
        let at = SECTOR * (1 + fat_sectors as usize) + 128 * k;
        let name = if k == 0 {
            "Root Entry".to_string()
        } else if k == 1 {
            "WordDocument".to_string()
        } else {
            format!("S{k}")
        };
        let units: Vec<u8> = name
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect();
        file[at..at + units.len()].copy_from_slice(&units);
        file[at + 64..at + 66].copy_from_slice(&(units.len() as u16).to_le_bytes());
        file[at + 66] = if k == 0 { 5 } else { 2 };
        put(&mut file, at + 116, fat_sectors + directory);
        file[at + 120..at + 128].copy_from_slice(&(u64::from(chain) * SECTOR as u64).to_le_bytes());
    }
    file
}

/// Found by review after fuzzing: many directory entries on one long chain made opening the
/// compound file quadratic (a 6 MB file took 6.4 s), and a stated text length reserved memory
/// for all of it up front. Now a sector shared by two streams is refused at once, and room is
/// reserved only for what the stream holds.
#[test]
fn shared_chains_and_stated_lengths_cost_no_more_than_the_file() {
    let file = entries_sharing_one_chain(64, 4000);
    let e = read_as("shared.doc", &file).unwrap_err();
    assert!(
        e.starts_with("shared.doc: damaged compound file: a stream shares sector "),
        "{e}"
    );
    let mut long = std::fs::read(corpus("renditions/constructs.doc")).unwrap();
    let fib = fib_offset(&long);
    long[fib + 0x4C..fib + 0x50].copy_from_slice(&100_000_000u32.to_le_bytes());
    let doc = read_as("long.doc", &long).unwrap();
    assert_eq!(doc.tables().len(), 2);
}
