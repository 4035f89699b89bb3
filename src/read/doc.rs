//! Reader for legacy Word files: Word 97–2003 `.doc` and WPS Office `.wps` (the same binary
//! format), in a compound file read by [`super::cfb::Compound`].
//!
//! The FIB locates the piece table, which gives the main text; the paragraph properties (PAPX
//! pages) say which paragraphs are in a table, which mark ends a cell or a row, and carry each
//! row's cell boundaries and merges (`sprmTDefTable`, `sprmTVertMerge`). Kept: body paragraphs
//! with heading levels (style `sti` 1–9, a `heading N`/`标题 N` style name, or an outline
//! level), tables with column spans from the cell boundaries, vertical and horizontal merges
//! and nested tables, field results and hyperlink text. Left out of the body flow: headers,
//! footers, footnotes, endnotes, comments and text boxes (they follow the main text). Not
//! read: list numbering labels (computed by Word, not stored in the text), revision marks and
//! hidden text (both stay in the text), symbol-font characters. Word 6/95 and older, and
//! encrypted files, are refused with their cause.

use super::cfb::{u16_at, u32_at, Compound};
use super::flow::{End, Flow, RowShape};
use super::Limits;
use crate::error::ReadErrorKind;
use crate::model::{Block, Format};

/// A problem in the file's structure, as the error message says it.
fn damaged(what: impl std::fmt::Display) -> ReadErrorKind {
    ReadErrorKind::Doc(format!("damaged Word document: {what}"))
}

/// The first Word 97 file-format version (`nFib`); earlier ones are Word 6.0/95 and older.
const WORD_97: u16 = 0x00C1;

/// Characters with a structural meaning in the text stream.
mod mark {
    pub const CELL: u16 = 0x07;
    pub const PARAGRAPH: u16 = 0x0D;
    pub const SECTION: u16 = 0x0C;
    pub const LINE_BREAK: u16 = 0x0B;
    pub const FIELD_BEGIN: u16 = 0x13;
    pub const FIELD_SEPARATOR: u16 = 0x14;
    pub const FIELD_END: u16 = 0x15;
    pub const NON_BREAKING_HYPHEN: u16 = 0x1E;
}

/// Paragraph and table properties (sprm codes, [MS-DOC] 2.6).
mod sprm {
    pub const IN_TABLE: u16 = 0x2416;
    pub const TABLE_ROW_END: u16 = 0x2417;
    pub const INNER_TABLE_CELL: u16 = 0x244B;
    pub const INNER_TABLE_ROW_END: u16 = 0x244C;
    pub const OUTLINE_LEVEL: u16 = 0x2640;
    pub const TABLE_DEPTH: u16 = 0x6649;
    pub const CHANGE_TABS: u16 = 0xC615;
    pub const DEFINE_TABLE: u16 = 0xD608;
    pub const HUGE_PROPERTIES: u16 = 0x6646;
    pub const VERTICAL_MERGE: u16 = 0xD62B;
}

/// The reader of Word 97–2003 and WPS Office files: a compound file with a `WordDocument`
/// stream.
pub struct Doc;

impl super::Reader for Doc {
    fn claims(&self, content: &mut super::Content<'_>) -> Option<Format> {
        content.has_stream("WordDocument").then_some(Format::Doc)
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

/// Reads a legacy Word document held in `bytes` (a compound file) into blocks.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<(Vec<Block>, Vec<String>), ReadErrorKind> {
    let compound = Compound::open(bytes).map_err(ReadErrorKind::Doc)?;
    let word = compound
        .stream("WordDocument")
        .ok_or_else(|| damaged("no WordDocument stream"))?;
    let fib = Fib::read(&word)?;
    let table = compound
        .stream(if fib.table_stream_1 {
            "1Table"
        } else {
            "0Table"
        })
        .ok_or_else(|| damaged("no table stream"))?;
    let pieces = Pieces::read(&table, fib.clx)?;
    let text = pieces.text(&word, fib.text_chars, limits)?;
    let mut warnings = Vec::new();
    let styles = match fib.styles.slice(&table) {
        Some(stsh) => heading_styles(stsh),
        None => {
            warnings.push("no style sheet; headings are not marked".to_string());
            Vec::new()
        }
    };
    let papx = fib
        .paragraph_pages
        .slice(&table)
        .ok_or_else(|| damaged("no paragraph properties"))?;
    let data = compound.stream("Data").unwrap_or_default();
    let properties = ParagraphPages {
        word: &word,
        plc: papx,
        data: &data,
    };
    let blocks = blocks(&text, &properties, &styles, limits)?;
    Ok((blocks, warnings))
}

/// An (offset, length) pair of the FIB pointing into the table stream.
#[derive(Clone, Copy)]
struct Span {
    at: u32,
    len: u32,
}

impl Span {
    fn slice(self, stream: &[u8]) -> Option<&[u8]> {
        let start = self.at as usize;
        stream.get(start..start.checked_add(self.len as usize)?)
    }
}

/// What the reader needs of the File Information Block.
struct Fib {
    table_stream_1: bool,
    /// Characters of the main document (`ccpText`).
    text_chars: u32,
    styles: Span,
    paragraph_pages: Span,
    clx: Span,
}

impl Fib {
    fn read(word: &[u8]) -> Result<Self, ReadErrorKind> {
        let short = || damaged("file information block cut short");
        if u16_at(word, 0) != Some(0xA5EC) {
            return Err(damaged("not a Word file information block"));
        }
        let version = u16_at(word, 2).ok_or_else(short)?;
        if version < WORD_97 {
            return Err(ReadErrorKind::Unsupported {
                format: match version {
                    101 => "Word 6.0 (.doc)",
                    104 | 105 => "Word 95 (.doc)",
                    _ => "Word before Word 97 (.doc)",
                },
                hint: " (open it in Word or LibreOffice and save it as .docx)",
            });
        }
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        if flags & 0x0100 != 0 {
            return Err(ReadErrorKind::Unsupported {
                format: "a password-protected Word document",
                hint: " (remove the password and save it again)",
            });
        }
        // FibBase (32 bytes), csw + FibRgW97, cslw + FibRgLw97, cbRgFcLcb + FibRgFcLcb.
        let csw = usize::from(u16_at(word, 32).ok_or_else(short)?);
        let lw = 34 + 2 * csw;
        let cslw = usize::from(u16_at(word, lw).ok_or_else(short)?);
        let text_chars = u32_at(word, lw + 2 + 4 * 3).ok_or_else(short)?;
        let fc_lcb = lw + 2 + 4 * cslw + 2;
        let pair = |i: usize| -> Result<Span, ReadErrorKind> {
            Ok(Span {
                at: u32_at(word, fc_lcb + 8 * i).ok_or_else(short)?,
                len: u32_at(word, fc_lcb + 8 * i + 4).ok_or_else(short)?,
            })
        };
        Ok(Fib {
            table_stream_1: flags & 0x0200 != 0,
            text_chars,
            styles: pair(1)?,
            paragraph_pages: pair(13)?,
            clx: pair(33)?,
        })
    }
}

/// One run of text in the piece table: characters `cp..cp_end` stored at byte `fc` of the
/// WordDocument stream, one byte each (Windows-1252) when `compressed`, else UTF-16LE.
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

struct Pieces(Vec<Piece>);

impl Pieces {
    /// The piece table of the CLX: property runs (`Prc`) first, then the `Pcdt`.
    fn read(table: &[u8], clx: Span) -> Result<Self, ReadErrorKind> {
        let clx = clx
            .slice(table)
            .ok_or_else(|| damaged("the piece table lies outside the table stream"))?;
        let mut at = 0;
        loop {
            match clx.get(at) {
                Some(1) => {
                    let len =
                        u16_at(clx, at + 1).ok_or_else(|| damaged("piece table cut short"))?;
                    at += 3 + usize::from(len);
                }
                Some(2) => break,
                _ => return Err(damaged("no piece table")),
            }
        }
        let len = u32_at(clx, at + 1).ok_or_else(|| damaged("piece table cut short"))? as usize;
        let plc = clx
            .get(at + 5..(at + 5).saturating_add(len))
            .ok_or_else(|| damaged("piece table cut short"))?;
        let n = plc.len().saturating_sub(4) / 12;
        let mut pieces = Vec::with_capacity(n);
        for i in 0..n {
            let (Some(cp), Some(cp_end), Some(fc)) = (
                u32_at(plc, 4 * i),
                u32_at(plc, 4 * i + 4),
                u32_at(plc, 4 * (n + 1) + 8 * i + 2),
            ) else {
                break;
            };
            let compressed = fc & 0x4000_0000 != 0;
            let fc = fc & 0x3FFF_FFFF;
            pieces.push(Piece {
                cp,
                cp_end,
                fc: if compressed { fc / 2 } else { fc },
                compressed,
            });
        }
        Ok(Pieces(pieces))
    }

    /// The first `chars` characters of the document, each with the stream offset of its byte
    /// (which paragraph properties are looked up by).
    fn text(
        &self,
        word: &[u8],
        chars: u32,
        limits: &Limits,
    ) -> Result<Vec<(u16, u32)>, ReadErrorKind> {
        if u64::from(chars) * 2 > limits.max_part_size {
            return Err(ReadErrorKind::TooLarge {
                part: "WordDocument (text)".to_string(),
                limit: limits.max_part_size,
            });
        }
        // The stated length only bounds the text: room is reserved for what the stream holds.
        let mut out = Vec::with_capacity((chars as usize).min(word.len()));
        for piece in &self.0 {
            if piece.cp >= chars || piece.cp_end <= piece.cp || piece.cp as usize != out.len() {
                // Pieces out of order or overlapping: keep what was read in order.
                if piece.cp as usize > out.len() || piece.cp >= chars {
                    break;
                }
                continue;
            }
            let count = piece.cp_end.min(chars) - piece.cp;
            let width = if piece.compressed { 1 } else { 2 };
            let start = piece.fc as usize;
            let Some(bytes) = word.get(start..start.saturating_add(count as usize * width)) else {
                return Err(damaged(format!(
                    "text piece at byte {start} lies past the end of the WordDocument stream"
                )));
            };
            if piece.compressed {
                let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                for (k, ch) in decoded.encode_utf16().enumerate() {
                    out.push((ch, piece.fc + k as u32));
                }
            } else {
                for (k, pair) in bytes.chunks_exact(2).enumerate() {
                    out.push((
                        u16::from_le_bytes([pair[0], pair[1]]),
                        piece.fc + 2 * k as u32,
                    ));
                }
            }
        }
        Ok(out)
    }
}

/// Paragraph properties by stream offset: the `PlcBtePapx` and the 512-byte pages it names,
/// and the Data stream, where properties too large for a page are kept.
struct ParagraphPages<'a> {
    word: &'a [u8],
    plc: &'a [u8],
    data: &'a [u8],
}

impl<'a> ParagraphPages<'a> {
    /// The style index and property list (`grpprl`) of the paragraph whose mark is at `fc`.
    fn at(&self, fc: u32) -> Option<(u16, &'a [u8])> {
        let n = self.plc.len().saturating_sub(4) / 8;
        let first = |i: usize| u32_at(self.plc, 4 * i);
        // The last page whose first offset is at or before `fc`.
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if first(mid + 1)? <= fc {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let page_number =
            u32_at(self.plc, 4 * (n + 1) + 4 * lo.min(n.checked_sub(1)?))? & 0x3F_FFFF;
        let start = page_number as usize * 512;
        let page = self.word.get(start..start + 512)?;
        let runs = usize::from(page[511]);
        let run = (0..runs).find(|&j| {
            matches!((u32_at(page, 4 * j), u32_at(page, 4 * j + 4)), (Some(a), Some(b)) if a <= fc && fc < b)
        })?;
        let offset = usize::from(*page.get(4 * (runs + 1) + 13 * run)?) * 2;
        if offset == 0 {
            return Some((0, &[]));
        }
        let (body, len) = match *page.get(offset)? {
            0 => (offset + 2, 2 * usize::from(*page.get(offset + 1)?)),
            cb => (offset + 1, 2 * usize::from(cb) - 1),
        };
        let papx = page.get(body..(body + len).min(511))?;
        let style = u16_at(papx, 0)?;
        let grpprl = papx.get(2..)?;
        // `sprmPHugePapx`: the properties are in the Data stream, after their length.
        if let Some((sprm::HUGE_PROPERTIES, at)) = sprms(grpprl).next() {
            let at = u32_at(at, 0)? as usize;
            let len = usize::from(u16_at(self.data, at)?);
            return Some((style, self.data.get(at + 2..(at + 2).checked_add(len)?)?));
        }
        Some((style, grpprl))
    }
}

/// The properties (`sprm`, operand) in a property list, stopping where it is cut short.
fn sprms(mut grpprl: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let code = u16_at(grpprl, 0)?;
        let rest = grpprl.get(2..)?;
        let len = match code >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ if code == sprm::DEFINE_TABLE => usize::from(u16_at(rest, 0)?) + 1,
            _ if code == sprm::CHANGE_TABS && *rest.first()? == 255 => {
                let deleted = usize::from(*rest.get(1)?);
                let added = usize::from(*rest.get(2 + 4 * deleted)?);
                2 + 4 * deleted + 1 + 3 * added
            }
            _ => usize::from(*rest.first()?) + 1,
        };
        let operand = rest.get(..len)?;
        grpprl = rest.get(len..)?;
        Some((code, operand))
    })
}

/// Heading level by style index, from the style sheet (`STSH`): built-in headings (`sti` 1–9)
/// or a style named `heading N` / `标题 N`.
fn heading_styles(stsh: &[u8]) -> Vec<Option<u8>> {
    let Some(header) = u16_at(stsh, 0) else {
        return Vec::new();
    };
    let count = u16_at(stsh, 2).unwrap_or(0).min(4096);
    let base = usize::from(u16_at(stsh, 6).unwrap_or(10));
    let mut at = 2 + usize::from(header);
    let mut out = Vec::new();
    for _ in 0..count {
        let Some(len) = u16_at(stsh, at) else { break };
        let std = stsh
            .get(at + 2..at + 2 + usize::from(len))
            .unwrap_or_default();
        at += 2 + usize::from(len);
        let sti = u16_at(std, 0).map(|w| w & 0x0FFF);
        let named = || {
            let chars = usize::from(u16_at(std, base)?);
            let units: Vec<u16> = std
                .get(base + 2..base + 2 + 2 * chars)?
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let name = String::from_utf16_lossy(&units).to_lowercase();
            let level = name
                .strip_prefix("heading ")
                .or_else(|| name.strip_prefix("标题 "))?
                .parse::<u8>()
                .ok()?;
            (1..=9).contains(&level).then_some(level)
        };
        out.push(match sti {
            Some(s @ 1..=9) => Some(s as u8),
            _ if std.is_empty() => None,
            _ => named(),
        });
    }
    out
}

/// What a paragraph's properties say about its place in a table.
#[derive(Default)]
struct Props {
    depth: usize,
    in_table: bool,
    row_end: bool,
    inner_cell: bool,
    inner_row_end: bool,
    outline: Option<u8>,
    row: Option<RowShape>,
}

impl Props {
    fn of(grpprl: &[u8]) -> Self {
        let mut p = Props::default();
        let mut depth = None;
        for (code, op) in sprms(grpprl) {
            let flag = op.first().is_some_and(|&b| b != 0);
            match code {
                sprm::IN_TABLE => p.in_table = flag,
                sprm::TABLE_ROW_END => p.row_end = flag,
                sprm::INNER_TABLE_CELL => p.inner_cell = flag,
                sprm::INNER_TABLE_ROW_END => p.inner_row_end = flag,
                sprm::TABLE_DEPTH => depth = u32_at(op, 0),
                sprm::OUTLINE_LEVEL => p.outline = op.first().filter(|&&l| l < 9).map(|l| l + 1),
                sprm::DEFINE_TABLE => p.row = Some(define_table(op)),
                sprm::VERTICAL_MERGE => {
                    if let (Some(row), Some(&cell), Some(&flags)) =
                        (&mut p.row, op.get(1), op.get(2))
                    {
                        if let Some(m) = row.merges.get_mut(usize::from(cell)) {
                            m.1 = flags;
                        }
                    }
                }
                _ => {}
            }
        }
        p.depth = match depth {
            Some(d) => (d as usize).min(1 << 16),
            None => usize::from(p.in_table),
        };
        p
    }
}

impl Props {
    /// The paragraph's table depth and how it ends, given its end mark.
    fn place(self, end: u16) -> (usize, End) {
        let end = if self.depth == 1 {
            match end {
                mark::CELL if self.row_end => End::Row(self.row.unwrap_or_default()),
                mark::CELL => End::Cell,
                _ => End::Paragraph,
            }
        } else if self.inner_row_end {
            End::Row(self.row.unwrap_or_default())
        } else if self.inner_cell {
            End::Cell
        } else {
            End::Paragraph
        };
        (self.depth, end)
    }
}

/// A `sprmTDefTable` operand: cell count, boundaries, then one `TC80` (20 bytes) per cell.
fn define_table(op: &[u8]) -> RowShape {
    let cells = usize::from(op.get(2).copied().unwrap_or(0));
    let bounds: Vec<i32> = (0..=cells)
        .map_while(|i| u16_at(op, 3 + 2 * i).map(|v| i32::from(v as i16)))
        .collect();
    let tc = 3 + 2 * (cells + 1);
    let merges = (0..cells)
        .map(|i| {
            let flags = u16_at(op, tc + 20 * i).unwrap_or(0);
            ((flags & 0x3) as u8, ((flags >> 5) & 0x3) as u8)
        })
        .collect();
    RowShape { bounds, merges }
}

/// The main text's paragraphs, with their properties, as blocks.
fn blocks(
    text: &[(u16, u32)],
    pages: &ParagraphPages<'_>,
    styles: &[Option<u8>],
    limits: &Limits,
) -> Result<Vec<Block>, ReadErrorKind> {
    let mut flow = Flow::new(limits);
    let mut units: Vec<u16> = Vec::new();
    // One entry per open field: true while its code (before the separator) is read.
    let mut fields: Vec<bool> = Vec::new();
    for &(ch, fc) in text {
        match ch {
            mark::PARAGRAPH | mark::CELL | mark::SECTION => {
                let (style, grpprl) = pages.at(fc).unwrap_or((0, &[]));
                let props = Props::of(grpprl);
                let heading = props
                    .outline
                    .or_else(|| styles.get(usize::from(style)).copied().flatten());
                let line = String::from_utf16_lossy(&units);
                units.clear();
                let (depth, end) = props.place(ch);
                flow.push(line, depth, end, heading)?;
            }
            mark::FIELD_BEGIN => fields.push(true),
            mark::FIELD_SEPARATOR => {
                if let Some(code) = fields.last_mut() {
                    *code = false;
                }
            }
            mark::FIELD_END => {
                fields.pop();
            }
            _ if fields.iter().any(|&code| code) => {}
            mark::LINE_BREAK => units.push(u16::from(b'\n')),
            mark::NON_BREAKING_HYPHEN => units.push(0x2011),
            0x09 => units.push(ch),
            // Pictures, drawn objects, note references and other control characters.
            0x00..=0x1F => {}
            _ => units.push(ch),
        }
    }
    if !units.is_empty() {
        let line = String::from_utf16_lossy(&units);
        flow.push(line, 0, End::Paragraph, None)?;
    }
    Ok(flow.finish())
}
