//! Reader for Rich Text Format (.rtf, and the many .doc files that are RTF inside): a
//! tokenizer of groups and control words feeding the Word paragraph stream of [`super::flow`].
//!
//! Kept: body paragraphs with heading levels (a style named `heading N`/`标题 N`, or
//! `\outlinelevel`), tables from `\trowd … \cellx` row definitions with `\clvmgf`/`\clvmrg`
//! and `\clmgf`/`\clmrg` merges, nested tables (`\itap`, `\nestcell`, `\nestrow`,
//! `\nesttableprops`), field results, Unicode (`\uN`) and code-page (`\'hh`, `\ansicpg`) text.
//! Skipped: headers, footers, footnotes, comments, pictures, objects, field codes, list labels
//! and every `\*` destination not listed above.

use super::flow::{End, Flow, RowShape};
use super::Limits;
use crate::error::ReadErrorKind;
use crate::model::{Block, Format};

/// Where the text of a group goes.
#[derive(Clone, Copy, PartialEq)]
enum Destination {
    Body,
    Skipped,
    StyleSheet,
    /// A nested table's row definition, which comes after its cells.
    NestedRowDefinition,
}

/// Destinations whose text is not part of the body.
const SKIPPED: &[&str] = &[
    "annotation",
    "atnauthor",
    "atnid",
    "author",
    "bkmkend",
    "bkmkstart",
    "colortbl",
    "comment",
    "datastore",
    "docvar",
    "fldinst",
    "fonttbl",
    "footer",
    "footerf",
    "footerl",
    "footerr",
    "footnote",
    "generator",
    "header",
    "headerf",
    "headerl",
    "headerr",
    "info",
    "listoverridetable",
    "listtable",
    "listtext",
    "nonesttables",
    "object",
    "operator",
    "pgdsctbl",
    "pict",
    "pntext",
    "pntxta",
    "pntxtb",
    "revtbl",
    "rsidtbl",
    "shp",
    "shpinst",
    "shppict",
    "tc",
    "themedata",
    "title",
    "txe",
    "userprops",
    "xe",
    "xmlnstbl",
];

#[derive(Clone, Copy)]
struct Group {
    destination: Destination,
    /// Characters that stand in for each `\uN` (`\ucN`).
    fallback: usize,
    /// The style number this group defines, inside the style sheet.
    style: Option<u16>,
}

/// The paragraph properties a `\pard` resets.
#[derive(Default)]
struct Paragraph {
    in_table: bool,
    depth: usize,
    style: u16,
    outline: Option<u8>,
}

impl Paragraph {
    fn depth(&self) -> usize {
        if self.in_table {
            self.depth.max(1)
        } else {
            0
        }
    }
}

/// A row definition being read: boundaries, and the merge flags of the next cell.
#[derive(Default, Clone)]
struct RowDefinition {
    shape: RowShape,
    merge: (u8, u8),
}

impl RowDefinition {
    fn start(&mut self) {
        *self = RowDefinition::default();
        self.shape.bounds.push(0);
    }
}

struct Reader<'l> {
    flow: Flow<'l>,
    groups: Vec<Group>,
    paragraph: Paragraph,
    text: String,
    /// Code-page bytes (`\'hh` and 8-bit text) not yet decoded.
    bytes: Vec<u8>,
    encoding: &'static encoding_rs::Encoding,
    /// Fallback characters still to skip after a `\uN`.
    skip: usize,
    /// The first half of a surrogate pair written as two `\uN`.
    high_surrogate: Option<u16>,
    styles: Vec<(u16, String)>,
    style_name: String,
    table_row: RowDefinition,
    nested_row: RowDefinition,
    max_depth: usize,
}

/// The reader of RTF files.
pub struct Rtf;

impl super::Reader for Rtf {
    fn claims(&self, content: &mut super::Content<'_>) -> Option<Format> {
        content.bytes.starts_with(b"{\\rtf").then_some(Format::Rtf)
    }

    fn read(
        &self,
        bytes: &[u8],
        limits: &Limits,
        _: &mut crate::model::Source,
    ) -> Result<super::Body, ReadErrorKind> {
        Ok((read(bytes, limits)?, Vec::new()).into())
    }
}

/// Reads an RTF document held in `bytes` into blocks.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Vec<Block>, ReadErrorKind> {
    let mut reader = Reader {
        flow: Flow::new(limits),
        groups: Vec::new(),
        paragraph: Paragraph::default(),
        text: String::new(),
        bytes: Vec::new(),
        encoding: encoding_rs::WINDOWS_1252,
        skip: 0,
        high_surrogate: None,
        styles: Vec::new(),
        style_name: String::new(),
        table_row: RowDefinition::default(),
        nested_row: RowDefinition::default(),
        max_depth: limits.max_element_depth,
    };
    let mut at = 0;
    while at < bytes.len() {
        at = reader.token(bytes, at)?;
    }
    reader.flush();
    if !reader.text.trim().is_empty() {
        reader.end_paragraph(End::Paragraph)?;
    }
    Ok(reader.flow.finish())
}

/// The encoding of a Windows code page as `\ansicpg` names it (936 for GBK, …).
fn code_page(number: i32) -> Option<&'static encoding_rs::Encoding> {
    use encoding_rs::*;
    Some(match number {
        936 | 54936 => GBK,
        950 => BIG5,
        932 => SHIFT_JIS,
        949 => EUC_KR,
        65001 => UTF_8,
        874 => WINDOWS_874,
        1250 => WINDOWS_1250,
        1251 => WINDOWS_1251,
        1252 => WINDOWS_1252,
        1253 => WINDOWS_1253,
        1254 => WINDOWS_1254,
        1255 => WINDOWS_1255,
        1256 => WINDOWS_1256,
        1257 => WINDOWS_1257,
        1258 => WINDOWS_1258,
        _ => return None,
    })
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

impl Reader<'_> {
    fn group(&self) -> Group {
        self.groups.last().copied().unwrap_or(Group {
            destination: Destination::Body,
            fallback: 1,
            style: None,
        })
    }

    fn group_mut(&mut self) -> Option<&mut Group> {
        self.groups.last_mut()
    }

    /// Reads the token at `at`; returns where the next one starts.
    fn token(&mut self, bytes: &[u8], at: usize) -> Result<usize, ReadErrorKind> {
        match bytes[at] {
            b'{' => {
                if self.groups.len() >= self.max_depth {
                    return Err(ReadErrorKind::TooDeep(self.max_depth));
                }
                self.flush();
                let mut group = self.group();
                group.style = None;
                if group.destination == Destination::StyleSheet {
                    self.style_name.clear();
                }
                self.groups.push(group);
                self.skip = 0;
                Ok(at + 1)
            }
            b'}' => {
                self.flush();
                if let Some(Group {
                    destination: Destination::StyleSheet,
                    style: Some(number),
                    ..
                }) = self.groups.pop()
                {
                    let name = std::mem::take(&mut self.style_name);
                    self.styles
                        .push((number, name.trim().trim_end_matches(';').to_string()));
                }
                self.skip = 0;
                Ok(at + 1)
            }
            b'\\' => self.control(bytes, at + 1),
            b'\r' | b'\n' => Ok(at + 1),
            b => {
                if self.skip > 0 {
                    self.skip -= 1;
                } else {
                    self.bytes.push(b);
                }
                Ok(at + 1)
            }
        }
    }

    /// Reads a control word or symbol after its backslash.
    fn control(&mut self, bytes: &[u8], at: usize) -> Result<usize, ReadErrorKind> {
        let Some(&first) = bytes.get(at) else {
            return Ok(at);
        };
        if !first.is_ascii_alphabetic() {
            return Ok(self.symbol(bytes, at, first));
        }
        let mut end = at;
        while end < bytes.len() && bytes[end].is_ascii_alphabetic() && end - at < 32 {
            end += 1;
        }
        let word = std::str::from_utf8(&bytes[at..end]).unwrap_or_default();
        let digits_start = end;
        if end < bytes.len() && bytes[end] == b'-' {
            end += 1;
        }
        while end < bytes.len() && bytes[end].is_ascii_digit() && end - digits_start < 10 {
            end += 1;
        }
        let parameter = std::str::from_utf8(&bytes[digits_start..end])
            .ok()
            .and_then(|p| p.parse::<i32>().ok());
        if end < bytes.len() && bytes[end] == b' ' {
            end += 1;
        }
        self.word(word, parameter)?;
        Ok(end)
    }

    /// A control symbol: `\'hh`, `\~`, `\_`, `\*`, an escaped `\\ \{ \}` …
    fn symbol(&mut self, bytes: &[u8], at: usize, symbol: u8) -> usize {
        match symbol {
            b'\'' => {
                let value = bytes
                    .get(at + 1)
                    .and_then(|&h| hex(h))
                    .zip(bytes.get(at + 2).and_then(|&l| hex(l)));
                if let Some((h, l)) = value {
                    if self.skip > 0 {
                        self.skip -= 1;
                    } else {
                        self.bytes.push(h << 4 | l);
                    }
                    return at + 3;
                }
                at + 1
            }
            b'*' => {
                // An optional destination: skipped unless it is one this reader knows.
                if !bytes[at + 1..].starts_with(b"\\nesttableprops") {
                    if let Some(g) = self.group_mut() {
                        g.destination = Destination::Skipped;
                    }
                }
                at + 1
            }
            b'~' => {
                self.push_char('\u{a0}');
                at + 1
            }
            b'_' => {
                self.push_char('\u{2011}');
                at + 1
            }
            b'\\' | b'{' | b'}' => {
                self.bytes.push(symbol);
                at + 1
            }
            // `\-` optional hyphen, `\:` index separator, `\|` formula character, line ends.
            _ => at + 1,
        }
    }

    fn push_char(&mut self, c: char) {
        self.flush();
        if self.group().destination == Destination::Body {
            self.text.push(c);
        }
    }

    /// Decodes the pending code-page bytes into the text of the current destination.
    fn flush(&mut self) {
        if self.bytes.is_empty() {
            return;
        }
        let (decoded, _) = self.encoding.decode_without_bom_handling(&self.bytes);
        match self.group().destination {
            Destination::Body => self.text.push_str(&decoded),
            Destination::StyleSheet => self.style_name.push_str(&decoded),
            _ => {}
        }
        self.bytes.clear();
    }

    fn row(&mut self) -> &mut RowDefinition {
        if self.group().destination == Destination::NestedRowDefinition {
            &mut self.nested_row
        } else {
            &mut self.table_row
        }
    }

    fn word(&mut self, word: &str, parameter: Option<i32>) -> Result<(), ReadErrorKind> {
        let value = parameter.unwrap_or(1);
        let destination = self.group().destination;
        if SKIPPED.contains(&word) {
            self.flush();
            if let Some(g) = self.group_mut() {
                g.destination = Destination::Skipped;
            }
            return Ok(());
        }
        if destination == Destination::Skipped {
            return Ok(());
        }
        if word != "u" {
            self.skip = 0;
        }
        match word {
            "ansicpg" => {
                if let Some(e) = code_page(value) {
                    self.encoding = e;
                }
            }
            "stylesheet" => {
                if let Some(g) = self.group_mut() {
                    g.destination = Destination::StyleSheet;
                }
            }
            "nesttableprops" => {
                if let Some(g) = self.group_mut() {
                    g.destination = Destination::NestedRowDefinition;
                }
            }
            "s" if destination == Destination::StyleSheet => {
                if let Some(g) = self.group_mut() {
                    g.style = u16::try_from(value).ok();
                }
            }
            "s" => self.paragraph.style = u16::try_from(value).unwrap_or(0),
            "uc" => {
                let n = usize::try_from(value).unwrap_or(1).min(8);
                if let Some(g) = self.group_mut() {
                    g.fallback = n;
                }
            }
            "u" => {
                // A signed 16-bit code unit; a character beyond it comes as a surrogate pair.
                let unit = value as i16 as u16;
                match (self.high_surrogate.take(), unit) {
                    (_, 0xD800..=0xDBFF) => self.high_surrogate = Some(unit),
                    (Some(high), 0xDC00..=0xDFFF) => {
                        let c = char::decode_utf16([high, unit]).next().and_then(Result::ok);
                        self.push_char(c.unwrap_or('\u{fffd}'));
                    }
                    _ => self.push_char(char::from_u32(u32::from(unit)).unwrap_or('\u{fffd}')),
                }
                self.skip = self.group().fallback;
            }
            "pard" => self.paragraph = Paragraph::default(),
            "intbl" => self.paragraph.in_table = true,
            "itap" => self.paragraph.depth = usize::try_from(value).unwrap_or(0).min(1 << 16),
            "outlinelevel" => {
                self.paragraph.outline = u8::try_from(value).ok().filter(|&l| l < 9).map(|l| l + 1)
            }
            "par" => self.end_paragraph(End::Paragraph)?,
            "cell" | "nestcell" => self.end_paragraph(End::Cell)?,
            "row" => {
                self.flush();
                self.text.clear();
                let shape = self.table_row.shape.clone();
                self.flow.push(String::new(), 1, End::Row(shape), None)?;
            }
            "nestrow" => {
                self.flush();
                self.text.clear();
                let shape = self.nested_row.shape.clone();
                let depth = self.paragraph.depth().max(2);
                self.flow
                    .push(String::new(), depth, End::Row(shape), None)?;
            }
            "trowd" => self.row().start(),
            "trleft" => {
                if let Some(left) = self.row().shape.bounds.first_mut() {
                    *left = value;
                }
            }
            "clvmgf" => self.row().merge.1 = 3,
            "clvmrg" => self.row().merge.1 = 1,
            "clmgf" => self.row().merge.0 = 1,
            "clmrg" => self.row().merge.0 = 2,
            "cellx" => {
                let row = self.row();
                if row.shape.bounds.is_empty() {
                    row.shape.bounds.push(0);
                }
                row.shape.bounds.push(value);
                let merge = std::mem::take(&mut row.merge);
                row.shape.merges.push(merge);
            }
            "line" => self.push_char('\n'),
            "tab" => self.push_char('\t'),
            "emdash" => self.push_char('—'),
            "endash" => self.push_char('–'),
            "lquote" => self.push_char('‘'),
            "rquote" => self.push_char('’'),
            "ldblquote" => self.push_char('“'),
            "rdblquote" => self.push_char('”'),
            "bullet" => self.push_char('•'),
            _ => {}
        }
        Ok(())
    }

    /// Ends the paragraph being read, as a paragraph or as the last one of a cell.
    fn end_paragraph(&mut self, end: End) -> Result<(), ReadErrorKind> {
        self.flush();
        let text = std::mem::take(&mut self.text);
        let depth = self.paragraph.depth();
        let heading = self.paragraph.outline.or_else(|| self.heading_of_style());
        self.flow.push(text, depth, end, heading)
    }

    /// The heading level of the paragraph's style, from its name.
    fn heading_of_style(&self) -> Option<u8> {
        let style = self.paragraph.style;
        let (_, name) = self.styles.iter().find(|(n, _)| *n == style)?;
        let name = name.to_lowercase();
        let level = name
            .strip_prefix("heading ")
            .or_else(|| name.strip_prefix("标题 "))?
            .trim()
            .parse::<u8>()
            .ok()?;
        (1..=9).contains(&level).then_some(level)
    }
}
