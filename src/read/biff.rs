//! The records of an Excel 97 workbook stream (BIFF8), and the number formats of its cells,
//! which calamine does not give: so that an .xls shows 0.23% and 9317.00 as the sheet does.
//!
//! The workbook globals hold the format codes (FORMAT) and the cell formats that point to them
//! (XF); each worksheet's cell records (NUMBER, RK, MULRK, FORMULA) give a cell's XF.

use std::collections::HashMap;

use super::cfb::{u16_at, u32_at};

/// One record: its type and its data (cut short where the stream ends).
pub struct Record<'a> {
    pub typ: u16,
    pub data: &'a [u8],
}

/// The records of `stream` from byte `from` on, until the stream ends or a header is cut.
pub fn records(stream: &[u8], from: usize) -> impl Iterator<Item = Record<'_>> {
    let mut at = from;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len).unwrap_or_default();
        at += 4 + len;
        Some(Record { typ, data })
    })
}

const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const BOUNDSHEET: u16 = 0x0085;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;

/// The format codes Excel knows without a FORMAT record, by number (those that show
/// decimals, thousands or a percent sign; the others show the value as stored).
fn built_in(ifmt: u16) -> Option<&'static str> {
    Some(match ifmt {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        37 | 38 => "#,##0 ;(#,##0)",
        39 | 40 => "#,##0.00;(#,##0.00)",
        _ => return None,
    })
}

/// An XLUnicodeString at `at` (a `u16` count when `wide_count`, else a `u8`, then a flags
/// byte whose bit 0 says the characters are UTF-16); `None` when it is cut short.
fn unicode_string(data: &[u8], at: usize, wide_count: bool) -> Option<String> {
    let (count, flags_at) = if wide_count {
        (usize::from(u16_at(data, at)?), at + 2)
    } else {
        (usize::from(*data.get(at)?), at + 1)
    };
    let utf16 = data.get(flags_at)? & 1 == 1;
    let chars = data.get(flags_at + 1..)?;
    Some(if utf16 {
        let units: Vec<u16> = chars
            .chunks_exact(2)
            .take(count)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(count).map(|&b| char::from(b)).collect()
    })
}

/// Each worksheet's cells that have a number format (by sheet name): (row, column) → the
/// format code. Empty for an encrypted or damaged stream, where calamine reports the cause.
pub fn number_formats(stream: &[u8]) -> HashMap<String, HashMap<(u32, u32), String>> {
    let mut codes: HashMap<u16, String> = HashMap::new();
    let mut xf_formats: Vec<u16> = Vec::new();
    let mut sheets: Vec<(String, usize)> = Vec::new();
    for record in records(stream, 0) {
        let data = record.data;
        match record.typ {
            FILEPASS => return HashMap::new(),
            FORMAT => {
                if let (Some(ifmt), Some(code)) = (u16_at(data, 0), unicode_string(data, 2, true)) {
                    codes.insert(ifmt, code);
                }
            }
            XF => xf_formats.push(u16_at(data, 2).unwrap_or(0)),
            // A worksheet (type 0), with the offset of its first record.
            BOUNDSHEET if data.get(5) == Some(&0) => {
                if let (Some(offset), Some(name)) =
                    (u32_at(data, 0), unicode_string(data, 6, false))
                {
                    sheets.push((name, offset as usize));
                }
            }
            EOF => break,
            _ => {}
        }
    }
    let code_of = |xf: u16| -> Option<String> {
        let ifmt = *xf_formats.get(usize::from(xf))?;
        codes
            .get(&ifmt)
            .cloned()
            .or_else(|| built_in(ifmt).map(str::to_string))
            .filter(|c| !c.eq_ignore_ascii_case("general"))
    };
    sheets
        .into_iter()
        .map(|(name, offset)| {
            let mut cells = HashMap::new();
            let mut put = |row: u16, col: u16, xf: u16| {
                if let Some(code) = code_of(xf) {
                    cells.insert((u32::from(row), u32::from(col)), code);
                }
            };
            // The sheet's BOF is skipped: its records end at the first EOF.
            for record in records(stream, offset).skip(1) {
                let d = record.data;
                match record.typ {
                    NUMBER | RK | FORMULA => {
                        if let (Some(row), Some(col), Some(xf)) =
                            (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4))
                        {
                            put(row, col, xf);
                        }
                    }
                    MULRK => {
                        let (Some(row), Some(first)) = (u16_at(d, 0), u16_at(d, 2)) else {
                            continue;
                        };
                        let count = d.len().saturating_sub(6) / 6;
                        for i in 0..count {
                            if let Some(xf) = u16_at(d, 4 + 6 * i) {
                                put(row, first.saturating_add(i as u16), xf);
                            }
                        }
                    }
                    EOF => break,
                    _ => {}
                }
            }
            (name, cells)
        })
        .collect()
}
