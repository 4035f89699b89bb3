//! Reader for Word .docx files: a streaming walk of the main document part with `zip` and the
//! tokenizer in [`super::xml`], chosen over docx-rs because docx-rs hangs or panics on damaged
//! files and hides merge information (figures in `docs/readers.md`).
//!
//! Kept: paragraphs (text split over runs, hyperlinks, field results, content controls,
//! insertions, `w:sym` symbols) and tables with `w:gridSpan`, `w:vMerge`, legacy `w:hMerge`,
//! `w:gridBefore`/`w:gridAfter` and nested tables. Headings come from the paragraph style (its
//! name `heading N`/`标题 N`, or its outline level). Skipped: deletions (runs, and rows marked deleted), field codes, the
//! VML fallback of drawings, headers, footers, footnotes and comments.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::sync::LazyLock;

use quick_xml::events::BytesStart;
use quick_xml::name::PrefixDeclaration;

use super::xml::{self, Token, Tokenizer};
use super::Limits;
use crate::error::ReadErrorKind;
use crate::model::{Block, Cell, Format, Origin, Paragraph, Table, TableBuilder};
use crate::scratch;

const W_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NAMESPACE: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The reader of .docx files: a zip archive with a Word main part.
pub struct Docx;

impl super::Reader for Docx {
    fn claims(&self, content: &mut super::Content<'_>) -> Option<Format> {
        let bytes = content.bytes;
        let zip = content.zip.as_mut()?;
        (part_index(zip, "word/document.xml").is_some()
            || main_part(zip, bytes).is_some_and(|p| p.ends_with(".xml") && !p.starts_with("xl/")))
        .then_some(Format::Docx)
    }

    fn read(
        &self,
        bytes: &[u8],
        limits: &Limits,
        _: &mut crate::model::Source,
    ) -> Result<super::Body, ReadErrorKind> {
        read(bytes, limits).map(Into::into)
    }
}

/// Reads a .docx held in `bytes` into blocks, with warnings about what was worked around.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<(Vec<Block>, Vec<String>), ReadErrorKind> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadErrorKind::Zip(e.to_string()))?;
    let main = main_part(&mut archive, bytes).unwrap_or_else(|| "word/document.xml".to_string());
    let mut warnings = Vec::new();
    let styles = match styles_part(&main) {
        Some(name) if part_index(&archive, &name).is_some() => {
            match read_part(&mut archive, bytes, &name, limits.max_part_size)
                .map(|x| heading_styles(&x, limits.max_element_depth))
            {
                Ok(Ok(styles)) => styles,
                Ok(Err(e)) | Err(e) => {
                    warnings.push(format!("styles ignored ({e}); headings are not marked"));
                    BTreeMap::new()
                }
            }
        }
        _ => BTreeMap::new(),
    };
    let blocks = scratch::with(&MAIN_PART, |part| {
        inflate_part(&mut archive, bytes, &main, limits.max_part_size, part)?;
        let xml = part_text(part, &main)?;
        Parser {
            tokens: Tokenizer::new(&xml, limits.max_element_depth),
            bindings: Bindings::default(),
            part: main,
            limits: *limits,
            styles,
            tables: 0,
        }
        .document()
    })?;
    Ok((blocks, warnings))
}

/// Name of the main document part, from the package relationships (`_rels/.rels`).
/// `package` is the archive's bytes.
pub fn main_part(archive: &mut Archive<'_>, package: &[u8]) -> Option<String> {
    let rels = read_part(archive, package, "_rels/.rels", 1 << 20).ok()?;
    let mut tokens = Tokenizer::new(&rels, Limits::default().max_element_depth);
    loop {
        match tokens.next().ok()?? {
            Token::Start(e) | Token::Empty(e)
                if e.local_name().as_ref() == "Relationship"
                    && attr(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument")) =>
            {
                let target = attr(&e, "Target")?;
                return Some(target.trim_start_matches('/').to_string());
            }
            _ => {}
        }
    }
}

/// `word/document.xml` → `word/styles.xml` (styles sit beside the main part by convention).
fn styles_part(main: &str) -> Option<String> {
    let dir = main.rsplit_once('/').map_or("", |(d, _)| d);
    Some(if dir.is_empty() {
        "styles.xml".into()
    } else {
        format!("{dir}/styles.xml")
    })
}

/// Index of a part by name; some writers store names with `\\` instead of `/`.
pub fn part_index(archive: &Archive<'_>, name: &str) -> Option<usize> {
    archive
        .index_for_name(name)
        .or_else(|| archive.index_for_name(&name.replace('/', "\\")))
}

/// Reads one part of the package as text, refusing to inflate more than `limit` bytes.
fn read_part(
    archive: &mut Archive<'_>,
    package: &[u8],
    name: &str,
    limit: u64,
) -> Result<String, ReadErrorKind> {
    let mut bytes = Vec::new();
    inflate_part(archive, package, name, limit, &mut bytes)?;
    Ok(part_text(&bytes, name)?.into_owned())
}

/// Inflates one part of the package (the archive's bytes are `package`) into `bytes` (cleared
/// first), refusing to inflate more than `limit` bytes.
fn inflate_part(
    archive: &mut Archive<'_>,
    package: &[u8],
    name: &str,
    limit: u64,
    bytes: &mut Vec<u8>,
) -> Result<(), ReadErrorKind> {
    let missing = || ReadErrorKind::Zip(format!("{name}: no such part"));
    let index = part_index(archive, name).ok_or_else(missing)?;
    if inflate_whole(archive, package, index, limit, bytes) {
        return Ok(());
    }
    let file = archive
        .by_index(index)
        .map_err(|e| ReadErrorKind::Zip(format!("{name}: {e}")))?;
    if file.size() > limit {
        return Err(ReadErrorKind::TooLarge {
            part: name.to_string(),
            limit,
        });
    }
    bytes.clear();
    bytes.reserve(file.size() as usize);
    file.take(limit + 1)
        .read_to_end(bytes)
        .map_err(|e| ReadErrorKind::Zip(format!("{name}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(ReadErrorKind::TooLarge {
            part: name.to_string(),
            limit,
        });
    }
    Ok(())
}

thread_local! {
    /// Each worker's libdeflate state.
    static INFLATER: RefCell<libdeflater::Decompressor> =
        RefCell::new(libdeflater::Decompressor::new());
}

/// The most deflate can expand data (a 258-byte match in one 2-bit code).
const MAX_DEFLATE_RATIO: u64 = 1032;

/// Inflates a deflated part into `bytes` with one call of libdeflate, from its compressed
/// bytes in `package` into a buffer of the size its header states, checked against its
/// CRC-32: faster than streaming it through zlib-rs (docs/readers.md). Returns false, `bytes`
/// empty, for any other part — stored, encrypted, over the limit, stating a size deflate
/// cannot reach from its compressed bytes or compressed bytes past the end of the file, a
/// size or CRC that does not match, damaged data —: the streaming reader then reads it, or
/// reports what is wrong, as before. A lying header thus never makes it allocate more than
/// deflate could produce from the bytes the file holds.
fn inflate_whole(
    archive: &mut Archive<'_>,
    package: &[u8],
    index: usize,
    limit: u64,
    bytes: &mut Vec<u8>,
) -> bool {
    let Ok(file) = archive.by_index_raw(index) else {
        return false;
    };
    let (size, compressed_size, crc) = (file.size(), file.compressed_size(), file.crc32());
    if file.encrypted()
        || file.compression() != zip::CompressionMethod::Deflated
        || size > limit
        || size > compressed_size.saturating_mul(MAX_DEFLATE_RATIO)
    {
        return false;
    }
    let compressed = file.data_start().and_then(|start| {
        let start = usize::try_from(start).ok()?;
        package.get(start..start.checked_add(usize::try_from(compressed_size).ok()?)?)
    });
    let (Some(compressed), Ok(size)) = (compressed, usize::try_from(size)) else {
        return false;
    };
    bytes.clear();
    bytes.resize(size, 0);
    INFLATER.with_borrow_mut(
        |inflater| match inflater.deflate_decompress(compressed, bytes) {
            Ok(n) if n == bytes.len() && libdeflater::crc32(bytes) == crc => true,
            _ => {
                bytes.clear();
                false
            }
        },
    )
}

/// The text of an inflated part: UTF-8, or the encoding its byte order mark names (OPC allows
/// UTF-16), borrowed when it is UTF-8 already.
fn part_text<'b>(bytes: &'b [u8], name: &str) -> Result<Cow<'b, str>, ReadErrorKind> {
    let (text, _, had_errors) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, _)) => enc.decode(bytes),
        None => encoding_rs::UTF_8.decode(bytes),
    };
    if had_errors {
        return Err(ReadErrorKind::Xml {
            part: name.to_string(),
            message: "invalid UTF-8".into(),
        });
    }
    Ok(text)
}

thread_local! {
    /// Each worker's buffer for the main part.
    static MAIN_PART: scratch::Buffer = const { std::cell::RefCell::new(Vec::new()) };
}

/// The value of attribute `local` (any prefix), normalized as XML 1.0 says; borrowed from the
/// element when the element's text is borrowed and normalizing would not change it (no
/// reference, tab or line break).
fn attr<'e>(e: &'e BytesStart<'_>, local: &str) -> Option<Cow<'e, str>> {
    // Without quick-xml's duplicate check (a list of the keys seen so far): the first
    // attribute with the name wins either way.
    let a = e
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)?;
    Some(match a.value {
        Cow::Borrowed(v) if !v.contains(['&', '\t', '\n', '\r']) => Cow::Borrowed(v),
        _ => Cow::Owned(
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned()),
        ),
    })
}

fn attr_usize(e: &BytesStart<'_>, local: &str) -> Option<usize> {
    attr(e, local)?.trim().parse().ok()
}

/// A malformed-XML error in `part`, at byte `at` of it.
fn xml_error_at(part: &str, message: String, at: usize) -> ReadErrorKind {
    ReadErrorKind::Xml {
        part: part.to_string(),
        message: format!("{message} (at byte {at})"),
    }
}

/// A tokenizer error in `part` as a read error.
fn token_error(part: &str, e: xml::Error, max_depth: usize) -> ReadErrorKind {
    match e {
        xml::Error::Malformed(message, at) => xml_error_at(part, message, at),
        xml::Error::TooDeep => ReadErrorKind::TooDeep(max_depth),
    }
}

/// Heading level by style id: from the style's name (`heading 2`, `标题 2`) or outline level.
fn heading_styles(xml: &str, max_depth: usize) -> Result<BTreeMap<String, u8>, ReadErrorKind> {
    let mut tokens = Tokenizer::new(xml, max_depth);
    let mut out = BTreeMap::new();
    // The style being read, and the depth of its element while that is open.
    let mut current: Option<String> = None;
    let mut open_style: Option<usize> = None;
    loop {
        let token = tokens
            .next()
            .map_err(|e| token_error("styles", e, max_depth))?;
        let (e, empty) = match token {
            None => return Ok(out),
            Some(Token::Start(e)) => (e, false),
            Some(Token::Empty(e)) => (e, true),
            Some(Token::End) => {
                if open_style.is_some_and(|depth| tokens.depth() < depth) {
                    current = None;
                    open_style = None;
                }
                continue;
            }
            Some(Token::Text(_)) => continue,
        };
        match e.local_name().as_ref() {
            "style" => {
                current = attr(&e, "styleId").map(Cow::into_owned);
                open_style = (!empty).then(|| tokens.depth());
            }
            "name" => {
                if let (Some(id), Some(name)) = (&current, attr(&e, "val")) {
                    let lower = name.to_lowercase();
                    let level = lower
                        .strip_prefix("heading ")
                        .or_else(|| lower.strip_prefix("标题 "))
                        .and_then(|n| n.trim().parse::<u8>().ok());
                    if let Some(level) = level.filter(|l| (1..=9).contains(l)) {
                        out.insert(id.clone(), level);
                    }
                }
            }
            "outlineLvl" => {
                if let (Some(id), Some(level)) = (&current, attr_usize(&e, "val")) {
                    if level < 9 {
                        out.entry(id.clone()).or_insert(level as u8 + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The WordprocessingML elements the walk acts on.
#[derive(Clone, Copy, PartialEq)]
enum Tag {
    P,
    Tbl,
    Tr,
    Tc,
    T,
    PPr,
    RPr,
    TrPr,
    TcPr,
    TblPr,
    TblPrEx,
    TblGrid,
    GridCol,
    GridBefore,
    GridSpan,
    VMerge,
    HMerge,
    PStyle,
    OutlineLvl,
    Tab,
    Br,
    NoBreakHyphen,
    Sym,
    /// Deleted or moved-away content, field codes, section properties: skipped whole.
    Skipped,
    /// `w:del`: deleted runs (skipped), or in `w:trPr` a deleted row (dropped).
    Del,
    Other,
}

impl Tag {
    /// Matched as byte patterns, which compile to a few comparisons rather than to a call
    /// to memcmp per candidate name; this runs once per element.
    fn of(local: &str) -> Tag {
        match local.as_bytes() {
            b"p" => Tag::P,
            b"tbl" => Tag::Tbl,
            b"tr" => Tag::Tr,
            b"tc" => Tag::Tc,
            b"t" => Tag::T,
            b"pPr" => Tag::PPr,
            b"rPr" => Tag::RPr,
            b"trPr" => Tag::TrPr,
            b"tcPr" => Tag::TcPr,
            b"tblPr" => Tag::TblPr,
            b"tblPrEx" => Tag::TblPrEx,
            b"tblGrid" => Tag::TblGrid,
            b"gridCol" => Tag::GridCol,
            b"gridBefore" => Tag::GridBefore,
            b"gridSpan" => Tag::GridSpan,
            b"vMerge" => Tag::VMerge,
            b"hMerge" => Tag::HMerge,
            b"pStyle" => Tag::PStyle,
            b"outlineLvl" => Tag::OutlineLvl,
            b"tab" | b"ptab" => Tag::Tab,
            b"br" | b"cr" => Tag::Br,
            b"noBreakHyphen" => Tag::NoBreakHyphen,
            b"sym" => Tag::Sym,
            b"del" => Tag::Del,
            b"moveFrom" | b"instrText" | b"delText" | b"delInstrText" | b"sectPr" => Tag::Skipped,
            _ => Tag::Other,
        }
    }
}

/// `parent/name[index]`, the path of an element among its parent's children. Concatenated
/// rather than formatted: there is one per cell, and `format!` was 4 % of a run.
fn child_path(parent: &str, name: &str, index: usize) -> String {
    [
        parent,
        "/",
        name,
        "[",
        itoa::Buffer::new().format(index),
        "]",
    ]
    .concat()
}

fn docx_origin(path: &str) -> Origin {
    Origin::Docx {
        path: path.to_string(),
    }
}

/// The namespace a prefix is bound to, as far as the walk cares.
#[derive(Clone, Copy, PartialEq)]
enum Space {
    W,
    Mc,
    Other,
}

/// The prefix bindings in scope, resolved by hand. quick-xml's `NsReader` resolves every
/// element against all bindings and parses every element's attributes looking for new ones;
/// that was a fifth of the time spent reading (docs/benchmarks.md). Here an element's prefix
/// is looked up with a one-entry cache (nearly every element is `w:`), and attributes are
/// parsed only on elements whose raw attributes mention `xmlns`.
#[derive(Default)]
struct Bindings {
    /// Prefix ("" for the default namespace), its namespace, depth of the declaring element.
    scopes: Vec<(Box<str>, Space, usize)>,
    /// Index in `scopes` of the last prefix looked up; cleared whenever `scopes` changes.
    last: Option<usize>,
}

/// Most prefix bindings in scope at once (quick-xml's `NsReader` had the same bound). Real
/// documents declare a few dozen on the root; without a bound, a file declaring hundreds of
/// thousands would make every lookup slow.
const MAX_BINDINGS: usize = 128;

impl Bindings {
    /// Records the namespace declarations of an element opened at `depth`; `Err` with a
    /// message when they would exceed [`MAX_BINDINGS`].
    fn declare(&mut self, e: &BytesStart<'_>, depth: usize) -> Result<(), String> {
        if !declares_namespaces(e) {
            return Ok(());
        }
        for a in e.attributes().with_checks(false).flatten() {
            let prefix = match a.key.as_namespace_binding() {
                Some(PrefixDeclaration::Default) => "",
                Some(PrefixDeclaration::Named(p)) => p,
                None => continue,
            };
            let uri = a.value.trim();
            let space = if W_NAMESPACES.contains(&uri) {
                Space::W
            } else if uri == MC_NAMESPACE {
                Space::Mc
            } else {
                Space::Other
            };
            if self.scopes.len() == MAX_BINDINGS {
                return Err(format!(
                    "more than {MAX_BINDINGS} namespace bindings in scope (limit)"
                ));
            }
            self.scopes.push((prefix.into(), space, depth));
            self.last = None;
        }
        Ok(())
    }

    /// Drops the declarations of elements deeper than `depth` (their elements have closed).
    fn leave(&mut self, depth: usize) {
        while self.scopes.last().is_some_and(|s| s.2 > depth) {
            self.scopes.pop();
            self.last = None;
        }
    }

    /// The namespace of an element name's prefix; unbound prefixes are `Other`.
    fn space(&mut self, prefix: &str) -> Space {
        if let Some(i) = self.last {
            // Byte by byte: prefixes are a few bytes, shorter than a call to memcmp.
            let cached = self.scopes[i].0.as_bytes();
            if cached.len() == prefix.len()
                && cached.iter().zip(prefix.bytes()).all(|(a, b)| *a == b)
            {
                return self.scopes[i].1;
            }
        }
        match self.scopes.iter().rposition(|s| *s.0 == *prefix) {
            Some(i) => {
                self.last = Some(i);
                self.scopes[i].1
            }
            None => Space::Other,
        }
    }

    /// What an element is, from its name.
    fn kind(&mut self, e: &BytesStart<'_>) -> Kind {
        let name = e.name().0;
        // Byte by byte: names are a few bytes, shorter than a call to memchr.
        let (prefix, local) = match name.bytes().position(|b| b == b':') {
            Some(k) => (&name[..k], &name[k + 1..]),
            None => ("", name),
        };
        match self.space(prefix) {
            Space::W => Kind::W(Tag::of(local)),
            Space::Mc if local == "Fallback" => Kind::Fallback,
            _ => Kind::Other,
        }
    }
}

/// Whether an element's attributes may declare namespaces (they mention `xmlns`).
fn declares_namespaces(e: &BytesStart<'_>) -> bool {
    /// Built once: `memmem::find` would build its searcher on every call.
    static XMLNS: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("xmlns"));
    let raw = e.attributes_raw().as_bytes();
    // Most elements (`w:p`, `w:r`, `w:t`, `w:tc` …) have no attributes to search.
    raw.len() >= 5 && XMLNS.find(raw).is_some()
}

/// What an element is, for the walk.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A `w:` element.
    W(Tag),
    /// `mc:Fallback`, a duplicate of `mc:Choice` for old readers.
    Fallback,
    Other,
}

struct Parser<'x> {
    tokens: Tokenizer<'x>,
    bindings: Bindings,
    part: String,
    limits: Limits,
    /// Heading level by style id. Ordered rather than hashed: a few short ids, looked up for
    /// every paragraph, compare faster than they hash.
    styles: BTreeMap<String, u8>,
    /// Tables seen so far (the next table's index).
    tables: usize,
}

/// One event of the walk, reduced to what the parser needs.
enum Step<'x> {
    Open(Kind, BytesStart<'x>),
    Empty(Kind, BytesStart<'x>),
    Close,
    Text(Cow<'x, str>),
}

impl<'x> Parser<'x> {
    /// A malformed-XML error at the tokenizer's position.
    fn xml_error(&self, message: impl Into<String>) -> ReadErrorKind {
        self.xml_error_at(message, self.tokens.position())
    }

    fn xml_error_at(&self, message: impl Into<String>, at: usize) -> ReadErrorKind {
        xml_error_at(&self.part, message.into(), at)
    }

    fn token_error(&self, e: xml::Error) -> ReadErrorKind {
        token_error(&self.part, e, self.limits.max_element_depth)
    }

    /// The next event of interest; `None` at the end of input.
    #[inline(always)]
    fn step(&mut self) -> Result<Option<Step<'x>>, ReadErrorKind> {
        let token = match self.tokens.next() {
            Ok(Some(token)) => token,
            Ok(None) => return Ok(None),
            Err(e) => return Err(self.token_error(e)),
        };
        let depth = self.tokens.depth();
        Ok(Some(match token {
            Token::Start(e) => {
                if let Err(message) = self.bindings.declare(&e, depth) {
                    return Err(self.xml_error(message));
                }
                Step::Open(self.bindings.kind(&e), e)
            }
            Token::Empty(e) => {
                if let Err(message) = self.bindings.declare(&e, depth + 1) {
                    return Err(self.xml_error(message));
                }
                let kind = self.bindings.kind(&e);
                self.bindings.leave(depth);
                Step::Empty(kind, e)
            }
            Token::End => {
                self.bindings.leave(depth);
                Step::Close
            }
            Token::Text(text) => Step::Text(text),
        }))
    }

    /// [`Parser::step`] inside an element not closed yet, where the end of input is an error.
    #[inline(always)]
    fn step_in(&mut self) -> Result<Step<'x>, ReadErrorKind> {
        self.step()?.ok_or_else(|| self.xml_error(xml::TRUNCATED))
    }

    /// Skips the rest of the element just opened: the tokenizer passes over its content
    /// without building tokens (run, paragraph and cell properties are most of a report's
    /// bytes; in the Hunan report cell properties alone are half).
    fn skip(&mut self) -> Result<(), ReadErrorKind> {
        self.tokens
            .skip_element()
            .map_err(|e| self.token_error(e))?;
        self.bindings.leave(self.tokens.depth());
        Ok(())
    }

    fn document(&mut self) -> Result<Vec<Block>, ReadErrorKind> {
        let mut blocks = Vec::new();
        let mut counts = Counts::default();
        while let Some(step) = self.step()? {
            if let Step::Open(kind, _) = step {
                self.block(kind, "body", &mut counts, &mut blocks, 0)?;
            }
        }
        Ok(blocks)
    }

    /// Handles an element opened inside a block container (the body or a cell): paragraphs
    /// and tables become blocks, wrappers such as content controls are walked through.
    fn block(
        &mut self,
        kind: Kind,
        path: &str,
        counts: &mut Counts,
        out: &mut Vec<Block>,
        table_depth: usize,
    ) -> Result<(), ReadErrorKind> {
        match kind {
            Kind::W(tag) => match tag {
                Tag::P => {
                    counts.p += 1;
                    let (text, heading) = self.paragraph()?;
                    // A paragraph in a cell becomes part of the cell's text, which carries the
                    // cell's origin ([`place`]); only body paragraphs need their own path.
                    let origin = Origin::Docx {
                        path: if table_depth == 0 {
                            child_path(path, "p", counts.p)
                        } else {
                            String::new()
                        },
                    };
                    out.push(Block::Paragraph(Paragraph {
                        text,
                        heading,
                        origin,
                    }));
                }
                Tag::Tbl => {
                    counts.tbl += 1;
                    let path = child_path(path, "tbl", counts.tbl);
                    out.push(Block::Table(self.table(&path, table_depth + 1)?));
                }
                Tag::Skipped | Tag::Del => self.skip()?,
                // w:body, w:sdt, w:sdtContent, w:customXml, w:ins … : walk through.
                _ => self.container(path, counts, out, table_depth)?,
            },
            Kind::Fallback => self.skip()?,
            Kind::Other => self.container(path, counts, out, table_depth)?,
        }
        Ok(())
    }

    /// Walks an element that may hold paragraphs and tables until its end.
    fn container(
        &mut self,
        path: &str,
        counts: &mut Counts,
        out: &mut Vec<Block>,
        table_depth: usize,
    ) -> Result<(), ReadErrorKind> {
        loop {
            match self.step_in()? {
                Step::Open(kind, _) => self.block(kind, path, counts, out, table_depth)?,
                Step::Close => return Ok(()),
                _ => {}
            }
        }
    }

    /// Reads a paragraph whose `w:p` start was just read; returns its text and heading level.
    fn paragraph(&mut self) -> Result<(String, Option<u8>), ReadErrorKind> {
        let mut text = String::new();
        let mut heading = None;
        let mut open = 1usize;
        // Depth (within this paragraph) of the w:t / w:instrText we are inside, if any.
        let mut in_text: Option<usize> = None;
        let mut nested_p = 0usize;
        while open > 0 {
            match self.step_in()? {
                Step::Open(kind, _) => {
                    open += 1;
                    match kind {
                        Kind::W(tag) => match tag {
                            Tag::T => in_text = Some(open),
                            Tag::P => {
                                // A paragraph inside a text box inside this paragraph.
                                nested_p += 1;
                                if !text.is_empty() && !text.ends_with('\n') {
                                    text.push('\n');
                                }
                            }
                            Tag::Skipped | Tag::Del | Tag::RPr => {
                                self.skip()?;
                                open -= 1;
                            }
                            Tag::PPr if nested_p == 0 => {
                                heading = self.paragraph_properties()?;
                                open -= 1;
                            }
                            _ => {}
                        },
                        Kind::Fallback => {
                            self.skip()?;
                            open -= 1;
                        }
                        Kind::Other => {}
                    }
                }
                Step::Empty(Kind::W(tag), e) => match tag {
                    Tag::Tab => text.push('\t'),
                    Tag::Br => text.push('\n'),
                    Tag::NoBreakHyphen => text.push('\u{2011}'),
                    Tag::Sym => text.push(symbol(&e)),
                    _ => {}
                },
                Step::Empty(..) => {}
                Step::Close => {
                    if in_text == Some(open) {
                        in_text = None;
                    }
                    open -= 1;
                }
                Step::Text(t) => {
                    if in_text.is_some() {
                        text.push_str(&t);
                    }
                }
            }
        }
        Ok((text, heading))
    }

    /// Reads `w:pPr` (just opened) for the paragraph's heading level.
    fn paragraph_properties(&mut self) -> Result<Option<u8>, ReadErrorKind> {
        let mut heading = None;
        self.properties(|parser, tag, e| {
            let level = match tag {
                Tag::PStyle => {
                    attr(e, "val").and_then(|id| parser.styles.get(id.as_ref()).copied())
                }
                Tag::OutlineLvl => attr_usize(e, "val").filter(|&l| l < 9).map(|l| l as u8 + 1),
                _ => None,
            };
            heading = level.or(heading);
        })?;
        Ok(heading)
    }

    /// Walks a properties element (`w:pPr`, `w:tcPr`) just opened, handing each `w:` child to
    /// `apply`. A child's own content (run properties, borders, numbering, the properties a
    /// tracked change replaced) is skipped; `mc:AlternateContent` is walked into, its
    /// `mc:Fallback` skipped, so a property given in `mc:Choice` counts once.
    fn properties(
        &mut self,
        mut apply: impl FnMut(&Self, Tag, &BytesStart<'_>),
    ) -> Result<(), ReadErrorKind> {
        let mut open = 1usize;
        loop {
            match self.step_in()? {
                Step::Open(Kind::Other, _) => open += 1,
                Step::Open(kind, e) => {
                    if let Kind::W(tag) = kind {
                        apply(self, tag, &e);
                    }
                    self.skip()?;
                }
                Step::Empty(Kind::W(tag), e) => apply(self, tag, &e),
                Step::Empty(..) | Step::Text(_) => {}
                Step::Close => {
                    open -= 1;
                    if open == 0 {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Reads a table whose `w:tbl` start was just read.
    fn table(&mut self, path: &str, table_depth: usize) -> Result<Table, ReadErrorKind> {
        if table_depth > self.limits.max_table_depth {
            return Err(ReadErrorKind::TooDeep(self.limits.max_table_depth));
        }
        let index = self.tables;
        self.tables += 1;
        let mut builder = TableBuilder::new();
        let mut grid_cols = 0usize;
        let mut rows = 0usize;
        let mut open = 1usize;
        while open > 0 {
            match self.step_in()? {
                Step::Open(Kind::W(Tag::Tr), _) => {
                    rows += 1;
                    let row_path = child_path(path, "tr", rows);
                    self.row(&mut builder, &row_path, table_depth)?;
                }
                Step::Open(Kind::W(Tag::TblGrid), _) => {
                    grid_cols = self.count_grid_cols()?;
                }
                Step::Open(Kind::W(Tag::TblPr), _) | Step::Open(Kind::Fallback, _) => {
                    self.skip()?
                }
                Step::Open(..) => open += 1,
                Step::Close => open -= 1,
                _ => {}
            }
        }
        let mut table = builder.finish(
            index,
            None,
            Origin::Docx {
                path: path.to_string(),
            },
        );
        // Trailing grid positions that no cell covers (w:gridAfter, short rows) still count.
        table.cols = table.cols.max(grid_cols.min(table.cols + 64));
        Ok(table)
    }

    fn count_grid_cols(&mut self) -> Result<usize, ReadErrorKind> {
        let mut n = 0;
        let mut open = 1usize;
        while open > 0 {
            match self.step_in()? {
                Step::Empty(Kind::W(Tag::GridCol), _) => n += 1,
                Step::Open(Kind::W(Tag::GridCol), _) => {
                    n += 1;
                    open += 1;
                }
                Step::Open(..) => open += 1,
                Step::Close => open -= 1,
                _ => {}
            }
        }
        Ok(n)
    }

    /// Reads a row whose `w:tr` start was just read and places its cells. A row deleted with
    /// tracked changes (`w:trPr/w:del`) is dropped, as accepting all changes would.
    fn row(
        &mut self,
        builder: &mut TableBuilder,
        path: &str,
        table_depth: usize,
    ) -> Result<(), ReadErrorKind> {
        let mut row: Option<usize> = None;
        let mut deleted = false;
        let mut col = 0usize;
        let mut cells = 0usize;
        let mut open = 1usize;
        while open > 0 {
            match self.step_in()? {
                Step::Open(Kind::W(Tag::TrPr), _) => {
                    let (before, del) = self.row_properties()?;
                    col += before;
                    deleted |= del;
                }
                Step::Open(Kind::W(Tag::TblPrEx), _) => self.skip()?,
                Step::Open(Kind::W(Tag::Tc), _) if deleted => self.skip()?,
                Step::Open(Kind::W(Tag::Tc), _) => {
                    cells += 1;
                    let raw = self.cell(child_path(path, "tc", cells), table_depth)?;
                    let r = *row.get_or_insert_with(|| builder.start_row(docx_origin(path)));
                    col = place(builder, r, col, raw);
                }
                Step::Open(Kind::Fallback, _) => self.skip()?,
                Step::Open(..) => open += 1,
                Step::Close => open -= 1,
                _ => {}
            }
        }
        if row.is_none() && !deleted {
            builder.start_row(docx_origin(path));
        }
        Ok(())
    }

    /// Reads `w:trPr` (just opened): its `w:gridBefore` count and whether the row is deleted.
    fn row_properties(&mut self) -> Result<(usize, bool), ReadErrorKind> {
        let mut before = 0;
        let mut deleted = false;
        let mut open = 1usize;
        while open > 0 {
            match self.step_in()? {
                Step::Empty(Kind::W(Tag::GridBefore), e) => {
                    before = attr_usize(&e, "val").unwrap_or(0).min(1000)
                }
                Step::Empty(Kind::W(Tag::Del), _) => deleted = true,
                Step::Open(Kind::W(Tag::Del), _) => {
                    deleted = true;
                    open += 1;
                }
                Step::Open(..) => open += 1,
                Step::Close => open -= 1,
                _ => {}
            }
        }
        Ok((before, deleted))
    }

    /// Reads a cell whose `w:tc` start was just read.
    fn cell(&mut self, path: String, table_depth: usize) -> Result<RawCell, ReadErrorKind> {
        let mut raw = RawCell {
            span: 1,
            vmerge: Merge::None,
            hmerge: Merge::None,
            blocks: Vec::new(),
            // The path, once the cell's content no longer needs it.
            origin: Origin::Docx {
                path: String::new(),
            },
        };
        let mut counts = Counts::default();
        loop {
            match self.step_in()? {
                Step::Open(Kind::W(Tag::TcPr), _) => self.cell_properties(&mut raw)?,
                Step::Open(kind, _) => {
                    self.block(kind, &path, &mut counts, &mut raw.blocks, table_depth)?
                }
                Step::Close => {
                    raw.origin = Origin::Docx { path };
                    return Ok(raw);
                }
                _ => {}
            }
        }
    }

    /// Reads `w:tcPr` (just opened) for the cell's span and merges.
    fn cell_properties(&mut self, raw: &mut RawCell) -> Result<(), ReadErrorKind> {
        self.properties(|_, tag, e| match tag {
            Tag::GridSpan => raw.span = attr_usize(e, "val").unwrap_or(1).clamp(1, 1000),
            Tag::VMerge => raw.vmerge = Merge::from_val(attr(e, "val").as_deref()),
            Tag::HMerge => raw.hmerge = Merge::from_val(attr(e, "val").as_deref()),
            _ => {}
        })
    }
}

#[derive(Default)]
struct Counts {
    p: usize,
    tbl: usize,
}

#[derive(PartialEq)]
enum Merge {
    None,
    Restart,
    Continue,
}

impl Merge {
    /// `<w:vMerge/>` without a value means "continue".
    fn from_val(val: Option<&str>) -> Self {
        match val {
            Some("restart") => Merge::Restart,
            _ => Merge::Continue,
        }
    }
}

struct RawCell {
    span: usize,
    vmerge: Merge,
    hmerge: Merge,
    blocks: Vec<Block>,
    origin: Origin,
}

/// Places a cell at grid column `col` of row `r`; returns the column after it.
fn place(builder: &mut TableBuilder, r: usize, col: usize, raw: RawCell) -> usize {
    let span = raw.span;
    if raw.hmerge == Merge::Continue && builder.extend_right(r, col, span) {
        return col + span;
    }
    if raw.vmerge == Merge::Continue && builder.extend_down(r, col) {
        return col + span;
    }
    // The paragraphs' texts joined by line breaks, the first one taken as it is.
    let mut text: Option<String> = None;
    let mut tables = Vec::new();
    for b in raw.blocks {
        match (b, &mut text) {
            (Block::Paragraph(p), None) => text = Some(p.text),
            (Block::Paragraph(p), Some(text)) => {
                text.push('\n');
                text.push_str(&p.text);
            }
            (Block::Table(t), _) => tables.push(t),
        }
    }
    let text = text.unwrap_or_default();
    let mut cell = Cell::new(r, col, text, raw.origin);
    cell.col_span = span;
    cell.tables = tables;
    builder.place(cell);
    col + span
}

/// The character of a `w:sym` element (Symbol-font code points such as F0B3 for ≥).
fn symbol(e: &BytesStart<'_>) -> char {
    let code = attr(e, "char")
        .and_then(|c| u32::from_str_radix(&c, 16).ok())
        .unwrap_or(0);
    let code = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else {
        code
    };
    match code {
        0xB3 => '≥',
        0xA3 => '≤',
        0xB9 => '≠',
        0xB1 => '±',
        0xB4 => '×',
        0xB8 => '÷',
        0xB0 => '°',
        0xD6 => '√',
        0xA5 => '∞',
        0x25 => '%',
        c => char::from_u32(c)
            .filter(|c| !c.is_control())
            .unwrap_or('\u{fffd}'),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn package(method: zip::CompressionMethod, text: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    /// Whether the part was inflated in one call, and what it gave.
    fn whole(package: &[u8], limit: u64) -> (bool, Vec<u8>) {
        let mut archive = zip::ZipArchive::new(Cursor::new(package)).unwrap();
        let mut bytes = Vec::new();
        let done = inflate_whole(&mut archive, package, 0, limit, &mut bytes);
        (done, bytes)
    }

    /// A deflated part is inflated in one call; a stored part, a part over the limit and a
    /// part whose header states more than deflate can make of its compressed bytes are left
    /// to the streaming reader, with nothing allocated for the stated size.
    #[test]
    fn only_plausible_deflated_parts_are_inflated_in_one_call() {
        let text = "<w:p>收入合计1,482.43</w:p>".repeat(100);
        let deflated = package(zip::CompressionMethod::Deflated, &text);
        assert_eq!(whole(&deflated, 1 << 20), (true, text.as_bytes().to_vec()));
        assert_eq!(whole(&deflated, 100), (false, Vec::new()));
        let stored = package(zip::CompressionMethod::Stored, &text);
        assert_eq!(whole(&stored, 1 << 20), (false, Vec::new()));
        // The central directory entry: compressed size at +20, uncompressed size at +24.
        let mut lying = deflated.clone();
        let entry = lying
            .windows(4)
            .position(|w| w == b"PK\x01\x02")
            .expect("a central directory");
        let compressed = u32::from_le_bytes(lying[entry + 20..entry + 24].try_into().unwrap());
        let stated = compressed * (MAX_DEFLATE_RATIO as u32 + 1);
        lying[entry + 24..entry + 28].copy_from_slice(&stated.to_le_bytes());
        let (done, bytes) = whole(&lying, u64::MAX);
        assert!(!done && bytes.capacity() == 0);
    }
}
