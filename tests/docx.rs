//! The .docx reader on the Word constructs that real reports use, one synthetic case each.

mod common;

use std::path::Path;

use common::{body, docx_parts, docx_with, W};
use jixiao::model::{Block, Document, Table};
use jixiao::read::{read_bytes, Limits};

fn read(xml: &str) -> Document {
    read_bytes(Path::new("case.docx"), &docx_with(xml), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn only_table(doc: &Document) -> &Table {
    match &doc.blocks[..] {
        [Block::Table(t)] => t,
        other => panic!("expected one table, got {other:?}"),
    }
}

fn cells(t: &Table) -> Vec<(usize, usize, usize, usize, &str)> {
    t.cells
        .iter()
        .map(|c| (c.row, c.col, c.row_span, c.col_span, c.text.as_str()))
        .collect()
}

/// Each paragraph's text and heading level.
fn headings(doc: &Document) -> Vec<(&str, Option<u8>)> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some((p.text.as_str(), p.heading)),
            Block::Table(_) => None,
        })
        .collect()
}

fn tc(props: &str, text: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
}

#[test]
fn grid_span_and_vertical_merge_become_spans() {
    let xml = body(&format!(
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>\
         <w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        tc(r#"<w:vMerge w:val="restart"/>"#, "机构名称"),
        tc(r#"<w:gridSpan w:val="2"/>"#, "其中："),
        tc("<w:vMerge/>", ""),
        tc("", "上年结转"),
        tc("", "其他收入"),
        tc("", "汇总"),
        tc("", "224.76"),
        tc("", "5.01"),
    ));
    let doc = read(&xml);
    let t = only_table(&doc);
    assert_eq!((t.rows, t.cols), (3, 3));
    assert_eq!(
        cells(t),
        vec![
            (0, 0, 2, 1, "机构名称"),
            (0, 1, 1, 2, "其中："),
            (1, 1, 1, 1, "上年结转"),
            (1, 2, 1, 1, "其他收入"),
            (2, 0, 1, 1, "汇总"),
            (2, 1, 1, 1, "224.76"),
            (2, 2, 1, 1, "5.01"),
        ]
    );
}

#[test]
fn grid_before_and_after_leave_empty_positions() {
    let xml = body(&format!(
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>\
         <w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}{}</w:tr>\
         <w:tr><w:trPr><w:gridAfter w:val=\"2\"/></w:trPr>{}</w:tr></w:tbl>",
        tc("", "b"),
        tc("", "c"),
        tc("", "a"),
    ));
    let doc = read(&xml);
    let t = only_table(&doc);
    assert_eq!((t.rows, t.cols), (2, 3));
    assert_eq!(
        cells(t),
        vec![(0, 1, 1, 1, "b"), (0, 2, 1, 1, "c"), (1, 0, 1, 1, "a")]
    );
    assert!(t.cell_at(0, 0).is_none() && t.cell_at(1, 2).is_none());
}

#[test]
fn legacy_horizontal_merge_joins_cells() {
    let xml = body(&format!(
        "<w:tbl><w:tr>{}{}{}</w:tr></w:tbl>",
        tc(r#"<w:hMerge w:val="restart"/>"#, "合计"),
        tc("<w:hMerge/>", ""),
        tc("", "9979")
    ));
    let doc = read(&xml);
    assert_eq!(
        cells(only_table(&doc)),
        vec![(0, 0, 1, 2, "合计"), (0, 2, 1, 1, "9979")]
    );
}

/// Found by the pandoc oracle's hand-made cases (`docs/robustness.md`): runs deleted with
/// tracked changes were dropped, but a row marked deleted stayed as an empty row, which
/// would put a phantom row between a total and its parts.
#[test]
fn a_row_deleted_with_tracked_changes_is_dropped() {
    let deleted = r#"<w:tr><w:trPr><w:del w:id="3" w:author="a" w:date="2024-01-01T00:00:00Z"/></w:trPr><w:tc><w:p><w:del w:id="4" w:author="a"><w:r><w:delText>C</w:delText></w:r></w:del></w:p></w:tc><w:tc><w:p><w:r><w:t>D</w:t></w:r></w:p></w:tc></w:tr>"#;
    let xml = body(&format!(
        "<w:tbl><w:tr>{}{}</w:tr>{deleted}<w:tr>{}{}</w:tr></w:tbl>",
        tc(r#"<w:vMerge w:val="restart"/>"#, "A"),
        tc("", "B"),
        tc("<w:vMerge/>", ""),
        tc("", "F")
    ));
    let doc = read(&xml);
    let t = only_table(&doc);
    assert_eq!(t.rows, 2);
    assert_eq!(
        cells(t),
        vec![(0, 0, 2, 1, "A"), (0, 1, 1, 1, "B"), (1, 1, 1, 1, "F")]
    );
    assert_eq!(
        t.row_origins[1].to_string(),
        "body/tbl[1]/tr[3]",
        "the kept rows keep their source paths"
    );
}

#[test]
fn nested_tables_and_content_controls_are_kept() {
    let inner = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", tc("", "内表"));
    let xml = body(&format!(
        "<w:tbl><w:tr><w:sdt><w:sdtPr/><w:sdtContent>{}</w:sdtContent></w:sdt>\
         <w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p>{inner}<w:p/></w:tc></w:tr></w:tbl>",
        tc("", "控件")
    ));
    let doc = read(&xml);
    let t = only_table(&doc);
    assert_eq!(cells(t), vec![(0, 0, 1, 1, "控件"), (0, 1, 1, 1, "外")]);
    assert_eq!(t.cells[1].tables.len(), 1);
    assert_eq!(t.cells[1].tables[0].cells[0].text, "内表");
    assert_eq!(doc.tables().len(), 2);
    assert_eq!(doc.tables()[1].index, 1);
}

#[test]
fn runs_hyperlinks_fields_and_symbols_make_one_text() {
    let xml = body(
        "<w:p><w:r><w:t>执行率</w:t></w:r><w:r><w:t xml:space=\"preserve\"> 94.</w:t></w:r><w:r><w:t>97%</w:t></w:r>\
         <w:hyperlink><w:r><w:t>，链接</w:t></w:r></w:hyperlink>\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
         <w:fldSimple w:instr=\"NUMPAGES\"><w:r><w:t>/9</w:t></w:r></w:fldSimple>\
         <w:r><w:sym w:font=\"Symbol\" w:char=\"F0B3\"/><w:t>580万人</w:t></w:r>\
         <w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins>\
         <w:r><w:tab/><w:t>尾</w:t><w:br/><w:t>行</w:t></w:r></w:p>",
    );
    let doc = read(&xml);
    let Block::Paragraph(p) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(p.text, "执行率 94.97%，链接3/9≥580万人插入\t尾\n行");
}

#[test]
fn alternate_content_is_read_once() {
    let xml = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>
        <w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>框</w:t></mc:Choice><mc:Fallback><w:t>框</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>
        </w:body></w:document>"#
    );
    let doc = read(&xml);
    let Block::Paragraph(p) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(p.text, "框");
}

#[test]
fn any_prefix_and_strict_ooxml_namespace_are_read() {
    let other_prefix = format!(
        r#"<x:document xmlns:x="{W}"><x:body><x:p><x:r><x:t>合计</x:t></x:r></x:p></x:body></x:document>"#
    );
    let strict = r#"<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>合计</w:t></w:r></w:p></w:body></w:document>"#;
    for xml in [other_prefix.as_str(), strict] {
        let doc = read(xml);
        let Block::Paragraph(p) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(p.text, "合计");
    }
}

#[test]
fn outline_level_marks_a_heading() {
    let doc = read(&body(
        r#"<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>（一）项目概况</w:t></w:r></w:p>"#,
    ));
    let Block::Paragraph(p) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(p.heading, Some(2));
}

#[test]
fn properties_before_a_tracked_change_are_ignored() {
    // `w:tcPrChange` / `w:pPrChange` hold the properties as they were before the change; the
    // reader takes the current ones beside them, as accepting all changes would.
    let xml = body(&format!(
        "<w:p><w:pPr><w:outlineLvl w:val=\"2\"/><w:pPrChange w:id=\"1\"><w:pPr>\
         <w:outlineLvl w:val=\"0\"/></w:pPr></w:pPrChange></w:pPr><w:r><w:t>正文</w:t></w:r></w:p>\
         <w:p><w:pPr><w:pPrChange w:id=\"2\"><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr>\
         </w:pPrChange></w:pPr><w:r><w:t>说明</w:t></w:r></w:p>\
         <w:tbl><w:tr>{}{}{}</w:tr></w:tbl>",
        tc(
            "<w:tcBorders><w:top w:val=\"single\"/></w:tcBorders>\
             <w:tcPrChange w:id=\"3\"><w:tcPr><w:gridSpan w:val=\"3\"/></w:tcPr></w:tcPrChange>",
            "预算数"
        ),
        // The current span, written with an end tag rather than as an empty element.
        tc(
            "<w:gridSpan w:val=\"2\"></w:gridSpan>\
             <w:tcPrChange w:id=\"4\"><w:tcPr><w:gridSpan w:val=\"3\"/></w:tcPr></w:tcPrChange>",
            "224.76"
        ),
        tc("", "5.01"),
    ));
    let doc = read(&xml);
    assert_eq!(headings(&doc), vec![("正文", Some(3)), ("说明", None)]);
    let Some(Block::Table(t)) = doc.blocks.last() else {
        panic!("expected a table last, got {:?}", doc.blocks.last())
    };
    assert_eq!(
        cells(t),
        vec![
            (0, 0, 1, 1, "预算数"),
            (0, 1, 1, 2, "224.76"),
            (0, 3, 1, 1, "5.01")
        ]
    );
}

#[test]
fn a_property_in_alternate_content_counts_once() {
    let doc = read(&body(
        "<w:p><w:pPr><mc:AlternateContent \
         xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">\
         <mc:Choice Requires=\"w14\"><w:outlineLvl w:val=\"1\"/></mc:Choice>\
         <mc:Fallback><w:outlineLvl w:val=\"5\"/></mc:Fallback>\
         </mc:AlternateContent></w:pPr><w:r><w:t>（一）项目概况</w:t></w:r></w:p>",
    ));
    let Block::Paragraph(p) = &doc.blocks[0] else {
        panic!("expected a paragraph, got {:?}", doc.blocks[0])
    };
    assert_eq!(p.heading, Some(2));
}

#[test]
fn headings_come_from_styles_in_the_part_the_relationships_name() {
    // The main part is not `word/document.xml`: `_rels/.rels` names it, with a leading `/`.
    // Its styles say which style ids are headings, by name or by outline level; a `w:name`
    // after a style has closed belongs to no style.
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles xmlns:w="{W}">
        <w:style w:type="paragraph" w:styleId="H2"><w:name w:val="heading 2"/></w:style>
        <w:style w:type="paragraph" w:styleId="a3"><w:name w:val="标题 1"/></w:style>
        <w:style w:type="paragraph" w:styleId="Outline"><w:name w:val="Report Part"/>
          <w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body Text"/></w:style>
        <w:name w:val="heading 4"/></w:styles>"#
    );
    let paragraph = |style: &str, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let xml = body(
        &[
            paragraph("H2", "一、基本情况"),
            paragraph("a3", "部门整体支出绩效自评报告"),
            paragraph("Outline", "（一）项目概况"),
            paragraph("Body", "收入合计1,482.43万元"),
        ]
        .concat(),
    );
    let bytes = docx_parts("word/main.xml", &xml, Some(&styles));
    let doc = read_bytes(Path::new("styled.docx"), &bytes, &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        headings(&doc),
        vec![
            ("一、基本情况", Some(2)),
            ("部门整体支出绩效自评报告", Some(1)),
            ("（一）项目概况", Some(3)),
            ("收入合计1,482.43万元", None),
        ]
    );
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

/// Parts stored without compression are read like deflated ones (libdeflate reads only
/// deflated parts; the others take the streaming reader).
#[test]
fn stored_parts_read_like_deflated_ones() {
    let xml = body(&format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        tc("", "本年收入"),
        tc("", "1,482.43")
    ));
    let deflated = read(&xml);
    let stored = read_bytes(
        Path::new("stored.docx"),
        &common::docx_stored(&xml),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        serde_json::to_string(&stored.blocks).unwrap(),
        serde_json::to_string(&deflated.blocks).unwrap()
    );
    assert_eq!(cells(only_table(&stored))[1].4, "1,482.43");
}

/// A main part whose deflated bytes were damaged, or whose bytes no longer match the CRC-32
/// its headers state, is an error naming the part.
#[test]
fn a_damaged_main_part_is_an_error_naming_it() {
    let xml = body(&"<w:p><w:r><w:t>支出合计1,482.43万元</w:t></w:r></w:p>".repeat(50));
    let package = docx_with(&xml);
    let name = b"word/document.xml";
    // The part's local header and its central directory entry, each followed by its name.
    let headers: Vec<usize> = package
        .windows(name.len())
        .enumerate()
        .filter(|(_, w)| w == name)
        .map(|(k, _)| k)
        .collect();
    let (local, central) = (headers[0] - 30, headers[1] - 46);
    let u16_at = |k: usize| u16::from_le_bytes([package[k], package[k + 1]]) as usize;
    let data = local + 30 + u16_at(local + 26) + u16_at(local + 28);
    let mut broken_stream = package.clone();
    broken_stream[data] ^= 0xFF;
    let mut wrong_crc = package.clone();
    wrong_crc[local + 14] ^= 0x01;
    wrong_crc[central + 16] ^= 0x01;
    for (what, damaged) in [("stream", broken_stream), ("CRC-32", wrong_crc)] {
        let e = read_bytes(Path::new("damaged.docx"), &damaged, &Limits::default())
            .err()
            .unwrap_or_else(|| panic!("a damaged {what} went unnoticed"))
            .to_string();
        assert!(
            e.starts_with("damaged.docx: damaged zip container: word/document.xml: "),
            "{what}: {e}"
        );
    }
}
