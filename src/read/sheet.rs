//! Reader for spreadsheets (.xlsx, .xls, .ods) through calamine.
//!
//! Every non-empty sheet becomes a table named after the sheet; merged regions become spans.
//! Leading rows that hold a single piece of text (`附件2`, the table's title, `单位：万元`) are
//! titles above the table, as in the Word renditions, and become paragraphs before it.
//! Numbers are shown as the sheet shows them: the number format's decimals and `%` are applied
//! (xlsx from calamine's styles, xls from the workbook's own records (`biff`); calamine gives
//! no formats for ods, which shows the stored value).

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, DataType, Dimensions, Ods, Range, Reader, Xls, Xlsx, XlsxError};
use rust_decimal::prelude::{FromPrimitive, RoundingStrategy};
use rust_decimal::Decimal;

use super::Limits;
use crate::error::ReadErrorKind;
use crate::model::{Block, Cell, Format, Origin, Paragraph, TableBuilder};

/// Most grid positions (rows × columns between the first and the last non-empty cell) an
/// .xlsx sheet may span (4 194 304: 100 000 rows × 41 columns). calamine stores a sheet
/// densely, and two cells (`A1`, `XFD1048576`) span 17·10⁹ positions — found by fuzzing.
pub const MAX_SHEET_CELLS: u64 = 1 << 22;

/// Refuses a sheet whose extent exceeds [`MAX_SHEET_CELLS`].
fn check_extent(sheet: &str, start: (u32, u32), end: (u32, u32)) -> Result<(), ReadErrorKind> {
    let rows = u64::from(end.0.saturating_sub(start.0)) + 1;
    let cols = u64::from(end.1.saturating_sub(start.1)) + 1;
    if rows.checked_mul(cols).is_none_or(|n| n > MAX_SHEET_CELLS) {
        return Err(ReadErrorKind::Sheet(format!(
            "sheet {sheet} spans {rows} rows × {cols} columns, more than {MAX_SHEET_CELLS} cells"
        )));
    }
    Ok(())
}

/// The number format codes of a sheet's cells: the workbook's codes by style id (`None` for
/// `General` or none), and the style id of each cell that has a code.
struct NumberFormats {
    codes: Vec<Option<String>>,
    by_cell: HashMap<(u32, u32), usize>,
}

impl NumberFormats {
    fn of(&self, pos: (u32, u32)) -> Option<String> {
        let id = *self.by_cell.get(&pos)?;
        self.codes.get(id).cloned().flatten()
    }
}

/// An .xlsx worksheet read in one pass: its non-empty cells as a range, and each one's number
/// format code (a cell without a style of its own has cell format 0, as in Excel; `General`
/// is not kept). The extent and the count of cells are checked against [`MAX_SHEET_CELLS`]
/// cell by cell, so a hostile sheet is refused before it is held. `None` for a sheet that
/// holds no cells (a chart sheet).
fn xlsx_sheet<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    sheet: &str,
) -> Result<Option<(Range<Data>, NumberFormats)>, ReadErrorKind> {
    let err = |e: &dyn std::fmt::Display| ReadErrorKind::Sheet(e.to_string());
    let mut reader = match book.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        Err(XlsxError::NotAWorksheet(_)) => return Ok(None),
        Err(e) => return Err(err(&e)),
    };
    let codes: Vec<Option<String>> = reader
        .styles()
        .iter()
        .map(|s| {
            let code = &s.number_format.as_ref()?.format_code;
            (!code.eq_ignore_ascii_case("general")).then(|| code.clone())
        })
        .collect();
    let mut cells = Vec::new();
    let mut by_cell = HashMap::new();
    let (mut lo, mut hi) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(|e| err(&e))? {
        if cell.get_value().is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        let (was_lo, was_hi) = (lo, hi);
        lo = (lo.0.min(r), lo.1.min(c));
        hi = (hi.0.max(r), hi.1.max(c));
        // Refused as soon as the extent or the count of cells passes the limit, before the
        // rest of a hostile sheet is held.
        if (lo, hi) != (was_lo, was_hi) {
            check_extent(sheet, lo, hi)?;
        }
        if cells.len() as u64 >= MAX_SHEET_CELLS {
            return Err(ReadErrorKind::Sheet(format!(
                "sheet {sheet} holds more than {MAX_SHEET_CELLS} cells"
            )));
        }
        if codes.get(style).is_some_and(Option::is_some) {
            by_cell.insert((r, c), style);
        }
        cells.push(calamine::Cell::new(
            (r, c),
            Data::from(cell.get_value().clone()),
        ));
    }
    Ok(Some((
        Range::from_sparse(cells),
        NumberFormats { codes, by_cell },
    )))
}

/// The reader of workbooks: .xlsx (a zip archive with `xl/workbook.xml`), .ods and .xls (a
/// compound file with a `Workbook` or `Book` stream).
pub struct Sheets;

impl super::Reader for Sheets {
    fn claims(&self, content: &mut super::Content<'_>) -> Option<Format> {
        if content.has_part("xl/workbook.xml") {
            return Some(Format::Xlsx);
        }
        // An .xlsb, and an .odt however it is named, are refused (`recognize`).
        let ods = !content.has_part("xl/workbook.bin")
            && !content.opendocument("opendocument.text")
            && (content.opendocument("opendocument.spreadsheet")
                || (content.has_part("content.xml") && content.extension_is("ods")));
        if ods {
            return Some(Format::Ods);
        }
        (content.has_stream("Workbook") || content.has_stream("Book")).then_some(Format::Xls)
    }

    fn read(
        &self,
        bytes: &[u8],
        limits: &Limits,
        source: &mut crate::model::Source,
    ) -> Result<super::Body, ReadErrorKind> {
        if matches!(source.format, Format::Xlsx | Format::Ods) {
            check_part_sizes(bytes, limits)?;
        }
        Ok((read(bytes, source.format)?, Vec::new()).into())
    }
}

/// Refuses a zip container any of whose parts declares more than the part-size limit
/// (calamine inflates workbook parts itself; a lying header fails its size check there).
fn check_part_sizes(bytes: &[u8], limits: &Limits) -> Result<(), ReadErrorKind> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadErrorKind::Zip(e.to_string()))?;
    for i in 0..archive.len() {
        let file = archive
            .by_index_raw(i)
            .map_err(|e| ReadErrorKind::Zip(e.to_string()))?;
        if file.size() > limits.max_part_size {
            return Err(ReadErrorKind::TooLarge {
                part: file.name().map(|n| n.into_owned()).unwrap_or_default(),
                limit: limits.max_part_size,
            });
        }
    }
    Ok(())
}

/// Reads a workbook in `bytes` (of the given format) into blocks. calamine panics on some
/// damaged files (a slice past the end of a compound file, a failed assertion — found by
/// fuzzing); such a panic becomes an error naming the file, never a crash of the batch.
pub fn read(bytes: &[u8], format: Format) -> Result<Vec<Block>, ReadErrorKind> {
    super::guarded(|| read_workbook(bytes, format)).unwrap_or_else(|cause| {
        Err(ReadErrorKind::Sheet(format!(
            "damaged workbook: the spreadsheet reader failed ({cause})"
        )))
    })
}

fn read_workbook(bytes: &[u8], format: Format) -> Result<Vec<Block>, ReadErrorKind> {
    let err = |e: &dyn std::fmt::Display| ReadErrorKind::Sheet(e.to_string());
    let cursor = Cursor::new(bytes);
    let mut blocks = Vec::new();
    let mut tables = 0;
    match format {
        Format::Xlsx => {
            let mut book: Xlsx<_> = Xlsx::new(cursor).map_err(|e| err(&e))?;
            for name in book.sheet_names() {
                let Some((range, formats)) = xlsx_sheet(&mut book, &name)? else {
                    continue;
                };
                let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
                let format_of = |pos: (u32, u32)| formats.of(pos);
                sheet_blocks(&name, &range, &merges, &format_of, &mut blocks, &mut tables)?;
            }
        }
        Format::Xls => {
            let workbook = super::cfb::check(bytes).map_err(ReadErrorKind::Sheet)?;
            let formats = workbook
                .as_deref()
                .map(super::biff::number_formats)
                .unwrap_or_default();
            let mut book: Xls<_> = Xls::new(cursor).map_err(|e| err(&e))?;
            for name in book.sheet_names() {
                let range = book.worksheet_range(&name).map_err(|e| err(&e))?;
                let merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
                let cells = formats.get(&name);
                let format_of = |pos: (u32, u32)| cells.and_then(|c| c.get(&pos)).cloned();
                sheet_blocks(&name, &range, &merges, &format_of, &mut blocks, &mut tables)?;
            }
        }
        Format::Ods => {
            let mut book: Ods<_> = Ods::new(cursor).map_err(|e| err(&e))?;
            for name in book.sheet_names() {
                let range = book.worksheet_range(&name).map_err(|e| err(&e))?;
                sheet_blocks(&name, &range, &[], &|_| None, &mut blocks, &mut tables)?;
            }
        }
        _ => return Err(ReadErrorKind::Unrecognised("not a spreadsheet")),
    }
    Ok(blocks)
}

/// Appends the title paragraphs and the table of one sheet.
fn sheet_blocks(
    sheet: &str,
    range: &calamine::Range<Data>,
    merges: &[Dimensions],
    format_of: &dyn Fn((u32, u32)) -> Option<String>,
    blocks: &mut Vec<Block>,
    tables: &mut usize,
) -> Result<(), ReadErrorKind> {
    let (Some(start), Some(end)) = (range.start(), range.end()) else {
        return Ok(());
    };
    check_extent(sheet, start, end)?;
    let text_at = |r: u32, c: u32| -> String {
        range
            .get_value((r, c))
            .map(|v| display(v, format_of((r, c)).as_deref()))
            .unwrap_or_default()
    };
    let merge_at = |r: u32, c: u32| {
        merges
            .iter()
            .find(|m| (m.start.0..=m.end.0).contains(&r) && (m.start.1..=m.end.1).contains(&c))
    };
    let filled = |r: u32| {
        (start.1..=end.1)
            .filter(|&c| !text_at(r, c).trim().is_empty())
            .count()
    };
    let mut first = start.0;
    while first <= end.0 && filled(first) <= 1 {
        if let Some(c) = (start.1..=end.1).find(|&c| !text_at(first, c).trim().is_empty()) {
            let text = text_at(first, c);
            let origin = Origin::Sheet {
                sheet: sheet.to_string(),
                range: a1(first, c),
            };
            blocks.push(Block::Paragraph(Paragraph {
                text,
                heading: None,
                origin,
            }));
        }
        first += 1;
    }
    if first > end.0 {
        return Ok(());
    }
    let mut builder = TableBuilder::new();
    for r in first..=end.0 {
        let row = builder.start_row(Origin::Sheet {
            sheet: sheet.to_string(),
            range: format!("{}:{}", a1(r, start.1), a1(r, end.1)),
        });
        for c in start.1..=end.1 {
            let (row_span, col_span) = match merge_at(r, c) {
                Some(m) if m.start == (r, c) => (
                    (m.end.0.min(end.0) - r + 1) as usize,
                    (m.end.1.min(end.1) - c + 1) as usize,
                ),
                Some(_) => continue,
                None => (1, 1),
            };
            let origin = Origin::Sheet {
                sheet: sheet.to_string(),
                range: a1(r, c),
            };
            let mut cell = Cell::new(row, (c - start.1) as usize, text_at(r, c), origin);
            cell.row_span = row_span;
            cell.col_span = col_span;
            builder.place(cell);
        }
    }
    let origin = Origin::Sheet {
        sheet: sheet.to_string(),
        range: format!("{}:{}", a1(first, start.1), a1(end.0, end.1)),
    };
    blocks.push(Block::Table(builder.finish(
        *tables,
        Some(sheet.to_string()),
        origin,
    )));
    *tables += 1;
    Ok(())
}

/// A1-style reference of a zero-based (row, column).
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// The text a spreadsheet shows for a value under an (optional) number format code.
fn display(value: &Data, format: Option<&str>) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => number_text(Decimal::from(*i), format),
        Data::Float(f) => match Decimal::from_f64(*f) {
            Some(d) => number_text(d, format),
            None => f.to_string(),
        },
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        // calamine converts serial dates only with its chrono feature; keep the serial number.
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
    }
}

/// Formats a number by the decimals, `%` and thousands separator of a format code such as
/// `0.00_ `, `0.00%` or `#,##0.00`; `General` (or none) shows the value as stored.
fn number_text(value: Decimal, format: Option<&str>) -> String {
    let Some(code) = format
        .map(|f| f.split(';').next().unwrap_or(f))
        .filter(|f| !f.eq_ignore_ascii_case("general"))
    else {
        return value.normalize().to_string();
    };
    // Ignore quoted literals and escaped characters when reading the pattern.
    let mut pattern = String::new();
    let mut quoted = false;
    let mut chars = code.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '"' => quoted = !quoted,
            '\\' | '_' | '*' => {
                chars.next();
            }
            _ if !quoted => pattern.push(ch),
            _ => {}
        }
    }
    if !pattern.contains(['0', '#']) {
        return value.normalize().to_string();
    }
    let percent = pattern.contains('%');
    let decimals = pattern.split_once('.').map_or(0, |(_, frac)| {
        frac.chars().take_while(|c| matches!(c, '0' | '#')).count()
    }) as u32;
    let Some(shown) = (if percent {
        value.checked_mul(Decimal::ONE_HUNDRED)
    } else {
        Some(value)
    }) else {
        return value.normalize().to_string();
    };
    let mut rounded =
        shown.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(decimals);
    let mut text = rounded.to_string();
    if pattern.contains(",") {
        text = group_thousands(&text);
    }
    if percent {
        text.push('%');
    }
    text
}

fn group_thousands(number: &str) -> String {
    let (sign, rest) = number.strip_prefix('-').map_or(("", number), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 2), "C7");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 14), "O10");
    }

    #[test]
    fn number_formats_reproduce_the_shown_digits() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(number_text(d("630.7"), Some("0.00_ ")), "630.70");
        assert_eq!(number_text(d("0.9497"), Some("0.00%")), "94.97%");
        assert_eq!(number_text(d("1482.43"), Some("#,##0.00")), "1,482.43");
        assert_eq!(number_text(d("2.345"), Some("0.00")), "2.35");
        assert_eq!(number_text(d("9979"), Some("General")), "9979");
        assert_eq!(number_text(d("1.50"), None), "1.5");
    }

    #[test]
    fn an_extent_too_large_to_count_is_refused() {
        // 2^32 rows × 2^32 columns overflows u64: refused, not wrapped to zero and let through.
        assert!(check_extent("s", (0, 0), (u32::MAX, u32::MAX)).is_err());
        assert!(check_extent("s", (0, 0), (99_999, 40)).is_ok());
        assert!(check_extent("s", (0, 0), (100_000, 41)).is_err());
    }
}
