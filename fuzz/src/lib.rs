//! Helpers shared by the fuzz targets: wrapping fuzz bytes in a fixed .docx / .xlsx package
//! so that the fuzzer mutates the XML the readers walk rather than the zip container.

use std::io::Write;
use std::path::Path;

use jixiao::read::Limits;

/// Runs once before fuzzing. By default every panic is a crash (libfuzzer-sys aborts in its
/// panic hook, before any `catch_unwind` in the crate can see it). With
/// `JIXIAO_FUZZ_ALLOW_CAUGHT_PANICS=1` the hook is silenced instead: a panic that the crate
/// catches itself (a guard around a third-party reader) is then handled like the command line
/// handles it, and only a panic that escapes the crate aborts (libfuzzer-sys aborts when its
/// own `catch_unwind` around the target sees one). Reproduce such a crash with the `repro`
/// example to see its message.
/// `JIXIAO_FUZZ_PANIC_LOG=FILE` then appends the location of every such panic to FILE
/// (`sort | uniq -c` lists the distinct sites after a run).
pub fn init() {
    if std::env::var_os("JIXIAO_FUZZ_ALLOW_CAUGHT_PANICS").is_some_and(|v| v == "1") {
        let log = std::env::var_os("JIXIAO_FUZZ_PANIC_LOG");
        std::panic::set_hook(Box::new(move |info| {
            if let (Some(log), Some(at)) = (&log, info.location()) {
                use std::io::Write;
                if let Ok(mut f) = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(log)
                {
                    let _ = writeln!(f, "{}:{}", at.file(), at.line());
                }
            }
        }));
    }
}

/// The limits the command line uses by default.
pub fn limits() -> Limits {
    Limits::default()
}

/// Reads `bytes` as if they came from a file called `name` (the extension only breaks ties;
/// the format is sniffed from the content as for real files).
pub fn read(name: &str, bytes: &[u8]) -> Option<jixiao::model::Document> {
    jixiao::read::read_bytes(Path::new(name), bytes, &limits()).ok()
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    // Stored: no deflate work per execution, and the part bytes are the fuzz bytes verbatim.
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    for (name, data) in parts {
        zip.start_file(*name, opts).expect("start_file");
        zip.write_all(data).expect("write_all");
    }
    zip.finish().expect("finish");
    out.into_inner()
}

const DOCX_CONTENT_TYPES: &[u8] = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;
const DOCX_RELS: &[u8] = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
/// Heading styles by name and by outline level, so `w:pStyle` lookups hit.
const DOCX_STYLES: &[u8] = r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 2"/></w:style><w:style w:type="paragraph" w:styleId="3"><w:name w:val="x"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style></w:styles>"#.as_bytes();

/// A .docx package whose `word/document.xml` is `document_xml` (plus fixed content types,
/// relationships and a small styles part).
pub fn docx_with(document_xml: &[u8]) -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", DOCX_CONTENT_TYPES),
        ("_rels/.rels", DOCX_RELS),
        ("word/styles.xml", DOCX_STYLES),
        ("word/document.xml", document_xml),
    ])
}

const XLSX_CONTENT_TYPES: &[u8] = br#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const XLSX_RELS: &[u8] = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml" Id="rId1"/></Relationships>"#;
const XLSX_WORKBOOK: &[u8] = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="附件1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.as_bytes();
const XLSX_WORKBOOK_RELS: &[u8] = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml" Id="rId1"/><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml" Id="rId2"/><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" Id="rId3"/></Relationships>"#;
const XLSX_SHARED: &[u8] = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6"><si><t>项目名称</t></si><si><t>合计</t></si><si><t>年初预算数</t></si><si><t>全年执行数</t></si><si><t>1,234.56</t></si><si><t>（一）基本支出</t></si></sst>"#.as_bytes();
/// styles.xml of corpus/fixtures/fund-2023-hunan.xlsx (custom number formats 164–166).
const XLSX_STYLES: &[u8] = include_bytes!("../templates/xlsx_styles.xml");

/// An .xlsx package with one sheet whose `xl/worksheets/sheet1.xml` is `sheet_xml`, fixed
/// shared strings (indices 0–5) and the styles of a real fixture.
pub fn xlsx_with(sheet_xml: &[u8]) -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", XLSX_CONTENT_TYPES),
        ("_rels/.rels", XLSX_RELS),
        ("xl/workbook.xml", XLSX_WORKBOOK),
        ("xl/_rels/workbook.xml.rels", XLSX_WORKBOOK_RELS),
        ("xl/sharedStrings.xml", XLSX_SHARED),
        ("xl/styles.xml", XLSX_STYLES),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ])
}
