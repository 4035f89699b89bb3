//! Helpers shared by the integration tests: synthetic .docx and .xlsx packages, and where the
//! outside files (other projects' test suites, real public documents) are found.

#![allow(dead_code)]

pub mod corpus;
pub mod outside;

use std::io::Write;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A zip package of `(name, text)` parts, deflated.
fn package<N: AsRef<str>>(parts: &[(N, String)]) -> Vec<u8> {
    package_as(parts, zip::CompressionMethod::Deflated)
}

/// A zip package of `(name, text)` parts, each stored with `method`.
fn package_as<N: AsRef<str>>(parts: &[(N, String)], method: zip::CompressionMethod) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, text) in parts {
        zip.start_file(name.as_ref(), opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// A minimal .docx package whose main part is `document_xml`.
pub fn docx_with(document_xml: &str) -> Vec<u8> {
    docx_parts("word/document.xml", document_xml, None)
}

/// A minimal .docx package whose parts are stored without compression.
pub fn docx_stored(document_xml: &str) -> Vec<u8> {
    package_as(
        &docx_part_list("word/document.xml", document_xml, None),
        zip::CompressionMethod::Stored,
    )
}

/// A .docx package whose main part, named `main` (as `_rels/.rels` points to it), is
/// `document_xml`, with `styles_xml` beside it as `styles.xml` when given.
pub fn docx_parts(main: &str, document_xml: &str, styles_xml: Option<&str>) -> Vec<u8> {
    package(&docx_part_list(main, document_xml, styles_xml))
}

/// The parts of [`docx_parts`]' package.
fn docx_part_list(
    main: &str,
    document_xml: &str,
    styles_xml: Option<&str>,
) -> Vec<(String, String)> {
    let mut parts = vec![
        (
            "[Content_Types].xml".to_string(),
            format!(
                r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/{main}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels".to_string(),
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/{main}"/></Relationships>"#
            ),
        ),
        (main.to_string(), document_xml.to_string()),
    ];
    let styles_name = match main.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/styles.xml"),
        None => "styles.xml".to_string(),
    };
    if let Some(styles) = styles_xml {
        parts.push((styles_name, styles.to_string()));
    }
    parts
}

pub fn body(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{inner}</w:body></w:document>"#
    )
}

/// A minimal .xlsx package with one sheet (`附件1`) whose worksheet part is `sheet_xml`.
pub fn xlsx_with(sheet_xml: &str) -> Vec<u8> {
    package(&[
        ("[Content_Types].xml", r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml" Id="rId1"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="附件1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml" Id="rId1"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", sheet_xml.to_string()),
    ])
}
