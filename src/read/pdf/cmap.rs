//! ToUnicode CMaps: which text each character code of a font stands for.
//!
//! A small tokenizer of our own rather than lopdf's CMap parser: WPS writes `difineresource`
//! and Acrobat declares codespace ranges narrower than its codes, on which lopdf's falls back
//! to no text (`docs/readers.md`). Only the mapping sections are read.

use std::collections::HashMap;

/// The largest number of codes one `bfrange` entry may map (a damaged range could otherwise
/// ask for four billion).
const MAX_RANGE: u32 = 0xFFFF;
/// The most mappings one CMap is read for: twice every 2-byte code (thousands of huge ranges
/// would otherwise fill memory and take minutes).
const MAX_CODES: usize = 0x20000;

#[derive(Debug, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Word(Vec<u8>),
    Name,
    Open,
    Close,
}

/// A font's code → text map with the code lengths its codespace declares.
#[derive(Debug, Default)]
pub struct ToUnicode {
    /// (code length in bytes, code) → text.
    map: HashMap<(u8, u32), String>,
    /// (code length, lowest, highest) of each codespace range.
    codespace: Vec<(u8, u32, u32)>,
    /// Mappings read so far, repeated codes included; reading stops at [`MAX_CODES`].
    read: usize,
}

impl ToUnicode {
    /// Parses a CMap stream; unreadable parts are skipped, never an error.
    pub fn parse(data: &[u8]) -> ToUnicode {
        let tokens = tokenize(data);
        let mut cmap = ToUnicode::default();
        let mut i = 0;
        while i < tokens.len() {
            i += match &tokens[i] {
                Token::Word(w) if w == b"begincodespacerange" => {
                    cmap.codespace_ranges(&tokens[i + 1..])
                }
                Token::Word(w) if w == b"beginbfchar" => cmap.chars(&tokens[i + 1..]),
                Token::Word(w) if w == b"beginbfrange" => cmap.ranges(&tokens[i + 1..]),
                _ => 0,
            } + 1;
        }
        cmap
    }

    fn codespace_ranges(&mut self, tokens: &[Token]) -> usize {
        let mut used = 0;
        while let [Token::Hex(lo), Token::Hex(hi), ..] = &tokens[used..] {
            self.codespace
                .push((code_len(lo), big_endian(lo), big_endian(hi)));
            used += 2;
        }
        used
    }

    fn chars(&mut self, tokens: &[Token]) -> usize {
        let mut used = 0;
        loop {
            match &tokens[used..] {
                [Token::Hex(code), Token::Hex(text), ..] => {
                    self.add(code_len(code), big_endian(code), utf16(text));
                }
                [Token::Hex(_), Token::Name, ..] => {}
                _ => return used,
            }
            used += 2;
        }
    }

    fn ranges(&mut self, tokens: &[Token]) -> usize {
        let mut used = 0;
        while let [Token::Hex(lo), Token::Hex(hi), rest @ ..] = &tokens[used..] {
            let len = code_len(lo);
            let first = big_endian(lo);
            let last = big_endian(hi).min(first.saturating_add(MAX_RANGE));
            match rest {
                [Token::Hex(text), ..] => {
                    for (k, code) in (first..=last).enumerate() {
                        if !self.add(len, code, utf16(&incremented(text, k as u32))) {
                            break;
                        }
                    }
                    used += 3;
                }
                [Token::Open, ..] => {
                    let mut code = first;
                    let mut j = 1;
                    while let Some(t) = rest.get(j) {
                        match t {
                            Token::Hex(text) => {
                                self.add(len, code, utf16(text));
                                code = code.wrapping_add(1);
                            }
                            Token::Close => break,
                            _ => {}
                        }
                        j += 1;
                    }
                    used = (used + 2 + j + 1).min(tokens.len());
                }
                _ => return used,
            }
        }
        used
    }

    /// Maps `code` (of `len` bytes) to `text`, while under the bound; false once it is reached.
    fn add(&mut self, len: u8, code: u32, text: String) -> bool {
        if self.read >= MAX_CODES {
            return false;
        }
        self.read += 1;
        self.map.insert((len, code), text);
        true
    }

    /// Splits a shown string into (code, length) units by the codespace ranges; two bytes a
    /// code where none is declared or none matches.
    pub fn split(&self, s: &[u8]) -> Vec<(u32, u8)> {
        let mut out = Vec::with_capacity(s.len() / 2 + 1);
        let mut i = 0;
        while i < s.len() {
            let len = (1..=4u8)
                .take_while(|&l| i + usize::from(l) <= s.len())
                .find(|&l| {
                    let c = big_endian(&s[i..i + usize::from(l)]);
                    self.codespace
                        .iter()
                        .any(|&(cl, lo, hi)| cl == l && (lo..=hi).contains(&c))
                })
                .unwrap_or(2);
            let end = (i + usize::from(len)).min(s.len());
            out.push((big_endian(&s[i..end]), (end - i) as u8));
            i = end;
        }
        out
    }

    /// The text of a code, if the map has it.
    pub fn get(&self, code: u32, len: u8) -> Option<&str> {
        self.map.get(&(len, code)).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

fn code_len(bytes: &[u8]) -> u8 {
    bytes.len().clamp(1, 4) as u8
}

fn big_endian(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0, |a, &b| a << 8 | u32::from(b))
}

/// `text` (UTF-16BE) with its last unit raised by `k`, as a `bfrange` maps successive codes.
fn incremented(text: &[u8], k: u32) -> Vec<u8> {
    let mut out = text.to_vec();
    let n = out.len();
    if n >= 2 {
        let last = (u32::from(out[n - 2]) << 8 | u32::from(out[n - 1])).wrapping_add(k);
        out[n - 2] = (last >> 8) as u8;
        out[n - 1] = last as u8;
    } else if n == 1 {
        out[0] = out[0].wrapping_add(k as u8);
    }
    out
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| match c {
            [hi, lo] => u16::from(*hi) << 8 | u16::from(*lo),
            [b] => u16::from(*b),
            _ => 0,
        })
        .collect();
    String::from_utf16_lossy(&units)
}

const DELIMITERS: &[u8] = b" \t\r\n\x0c\0/<>[](){}%";

fn tokenize(s: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                while i < s.len() && s[i] != b'\n' && s[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if s.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if s.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                i += 1;
                let mut nibbles = Vec::new();
                while i < s.len() && s[i] != b'>' {
                    if let Some(d) = char::from(s[i]).to_digit(16) {
                        nibbles.push(d as u8);
                    }
                    i += 1;
                }
                i += 1;
                if nibbles.len() % 2 == 1 {
                    nibbles.push(0);
                }
                tokens.push(Token::Hex(
                    nibbles.chunks(2).map(|p| p[0] << 4 | p[1]).collect(),
                ));
            }
            b'[' => {
                tokens.push(Token::Open);
                i += 1;
            }
            b']' => {
                tokens.push(Token::Close);
                i += 1;
            }
            b'(' => i = skip_literal(s, i),
            b'/' => {
                i += 1;
                while i < s.len() && !DELIMITERS.contains(&s[i]) {
                    i += 1;
                }
                tokens.push(Token::Name);
            }
            c if c.is_ascii_whitespace() || c == 0 => i += 1,
            _ => {
                let start = i;
                while i < s.len() && !DELIMITERS.contains(&s[i]) {
                    i += 1;
                }
                i = i.max(start + 1);
                tokens.push(Token::Word(s[start..i].to_vec()));
            }
        }
    }
    tokens
}

/// The index just past the literal string starting at `i` (not used by the maps read).
fn skip_literal(s: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < s.len() {
        match s[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_and_ranges_map_codes_to_text() {
        // As Word writes them; WPS's misspelt `difineresource` does not matter to the maps.
        let cmap = ToUnicode::parse(
            b"/CIDInit /ProcSet findresource begin 1 begincodespacerange <0000> <FFFF> \
              endcodespacerange 2 beginbfchar <0003> <0020> <01F4> <5E74> endbfchar \
              1 beginbfrange <0010> <0012> <0030> endbfrange \
              1 beginbfrange <0020> <0021> [<4E07> <5143>] endbfrange \
              /CMap difineresource pop",
        );
        assert_eq!(cmap.get(0x01F4, 2), Some("年"));
        assert_eq!(cmap.get(0x0011, 2), Some("1"));
        assert_eq!(cmap.get(0x0021, 2), Some("元"));
        assert_eq!(cmap.get(0x0013, 2), None);
        assert_eq!(
            cmap.split(b"\x01\xF4\x00\x03"),
            vec![(0x01F4, 2), (0x0003, 2)]
        );
    }

    #[test]
    fn a_huge_damaged_range_is_capped() {
        let cmap = ToUnicode::parse(b"beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert_eq!(cmap.map.len(), MAX_RANGE as usize + 1);
        // Thousands of such ranges stop at the CMap's bound.
        let many: String = (0..5000u32)
            .map(|k| format!("<{:08X}> <{:08X}> <0041> ", k << 16, k << 16 | 0xFFFF))
            .collect();
        let cmap = ToUnicode::parse(format!("beginbfrange {many} endbfrange").as_bytes());
        assert_eq!(cmap.map.len(), MAX_CODES);
    }
}
