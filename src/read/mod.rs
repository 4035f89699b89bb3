//! The read stage: any supported file becomes one [`Document`].
//!
//! [`read_path`] and [`read_bytes`] sniff the format from the content first and the file
//! extension second, then hand the bytes to the matching reader. Readers never panic on bad
//! input; they return a [`ReadError`] naming the file, and they respect the [`Limits`].

mod cfb;
mod doc;
mod docx;
mod encoding;
mod flow;
mod html;
mod rtf;
mod sheet;
mod text;
mod xml;

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{ReadError, ReadErrorKind};
use crate::model::{Document, Format, Source};

thread_local! {
    /// Set while a third-party reader that may panic on damaged input runs under
    /// `catch_unwind`; see [`expected_panic`].
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a panic on this thread comes from a guarded third-party reader (calamine on a
/// damaged workbook), which is reported as a read error: a panic hook can stay quiet about it.
pub fn expected_panic() -> bool {
    GUARDED.with(|g| g.get())
}

/// Bounds that keep hostile inputs from exhausting memory or the stack.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input file read, in bytes (default 256 MiB).
    pub max_file_size: u64,
    /// Largest decompressed size of one part inside a zip container (default 256 MiB).
    pub max_part_size: u64,
    /// Deepest nesting of tables, and of XML/HTML elements, followed (default 64 tables,
    /// 512 elements).
    pub max_table_depth: usize,
    pub max_element_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 256 << 20,
            max_part_size: 256 << 20,
            max_table_depth: 64,
            max_element_depth: 512,
        }
    }
}

/// Reads the file at `path` into a document model.
pub fn read_path(path: &Path, limits: &Limits) -> Result<Document, ReadError> {
    read_bytes(path, &read_file(path, limits)?, limits)
}

/// The bytes of the file at `path`, refused before reading when over the size limit.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let err = |k: ReadErrorKind| ReadError::new(path, k);
    let meta = std::fs::metadata(path).map_err(|e| err(e.into()))?;
    if meta.len() > limits.max_file_size {
        return Err(err(ReadErrorKind::FileTooLarge {
            size: meta.len(),
            limit: limits.max_file_size,
        }));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limits.max_file_size + 1).read_to_end(&mut bytes))
        .map_err(|e| err(e.into()))?;
    Ok(bytes)
}

/// Reads `bytes`, which came from `path` (used for the extension and in messages).
pub fn read_bytes(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let err = |k: ReadErrorKind| ReadError::new(path, k);
    if bytes.len() as u64 > limits.max_file_size {
        return Err(err(ReadErrorKind::FileTooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_size,
        }));
    }
    let mut source = Source {
        path: path.display().to_string(),
        format: Format::Text,
        encoding: None,
        sha256: hex_sha256(bytes),
        bytes: bytes.len() as u64,
    };
    let (blocks, warnings) = match sniff(path, bytes).map_err(err)? {
        Sniffed::Docx => {
            source.format = Format::Docx;
            docx::read(bytes, limits).map_err(err)?
        }
        Sniffed::Doc => {
            source.format = Format::Doc;
            doc::read(bytes, limits).map_err(err)?
        }
        Sniffed::Rtf => {
            source.format = Format::Rtf;
            (rtf::read(bytes, limits).map_err(err)?, Vec::new())
        }
        Sniffed::Sheet(format) => {
            source.format = format;
            if matches!(format, Format::Xlsx | Format::Ods) {
                check_part_sizes(bytes, limits).map_err(err)?;
            }
            (sheet::read(bytes, format).map_err(err)?, Vec::new())
        }
        Sniffed::Markup => {
            let decoded = encoding::decode(bytes);
            source.encoding = Some(decoded.encoding.to_string());
            if looks_like_html(&decoded.text) {
                source.format = Format::Html;
                (html::read(&decoded.text, limits), decoded.warnings)
            } else {
                source.format = Format::Text;
                (text::read(&decoded.text), decoded.warnings)
            }
        }
    };
    Ok(Document {
        source,
        blocks,
        warnings,
    })
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

/// The SHA-256 of `bytes` as lowercase hex, as [`Source::sha256`] records it.
pub fn hex_sha256(bytes: &[u8]) -> String {
    lower_hex(&Sha256::digest(bytes))
}

/// `bytes` as lowercase hex digits, two per byte.
pub(crate) fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// The bytes of a SHA-256 written as [`hex_sha256`] writes it: exactly 64 lowercase hex
/// digits, or `None`.
pub fn sha256_from_hex(hex: &str) -> Option<[u8; 32]> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

enum Sniffed {
    Docx,
    /// Word 97–2003 or WPS Office, in a compound file.
    Doc,
    Rtf,
    Sheet(Format),
    /// Text of some kind: HTML or a plain-text export, told apart after decoding.
    Markup,
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides the format from the content; the extension only breaks ties the content leaves open.
fn sniff(path: &Path, bytes: &[u8]) -> Result<Sniffed, ReadErrorKind> {
    use ReadErrorKind::{Unrecognised, Unsupported};
    if bytes.is_empty() {
        return Err(ReadErrorKind::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(path, bytes);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return sniff_ole(bytes);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(Unsupported {
            format: "PDF",
            hint: " (no table structure can be recovered from it)",
        });
    }
    if bytes.starts_with(b"{\\rtf") {
        return Ok(Sniffed::Rtf);
    }
    let head = &bytes[..bytes.len().min(4096)];
    if find(head, b"<w:wordDocument").is_some() || find(head, b"<pkg:package").is_some() {
        return Err(Unsupported {
            format: "Word 2003 XML / flat OPC",
            hint: " (save it as .docx)",
        });
    }
    if encoding::looks_binary(bytes) {
        return Err(Unrecognised(
            "binary data that is neither a zip container nor an OLE file",
        ));
    }
    Ok(Sniffed::Markup)
}

fn sniff_zip(path: &Path, bytes: &[u8]) -> Result<Sniffed, ReadErrorKind> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadErrorKind::Zip(e.to_string()))?;
    if docx::part_index(&archive, "word/document.xml").is_some()
        || docx::main_part(&mut archive, bytes)
            .is_some_and(|p| p.ends_with(".xml") && !p.starts_with("xl/"))
    {
        return Ok(Sniffed::Docx);
    }
    let has = |name: &str| docx::part_index(&archive, name).is_some();
    if has("xl/workbook.xml") {
        return Ok(Sniffed::Sheet(Format::Xlsx));
    }
    if has("xl/workbook.bin") {
        return Err(ReadErrorKind::Unsupported {
            format: "Excel binary workbook (.xlsb)",
            hint: " (save it as .xlsx)",
        });
    }
    if bytes.len() > 38 && &bytes[30..38] == b"mimetype" {
        if find(
            &bytes[38..bytes.len().min(120)],
            b"opendocument.spreadsheet",
        )
        .is_some()
        {
            return Ok(Sniffed::Sheet(Format::Ods));
        }
        if find(&bytes[38..bytes.len().min(120)], b"opendocument.text").is_some() {
            return Err(ReadErrorKind::Unsupported {
                format: "OpenDocument text (.odt)",
                hint: " (save it as .docx)",
            });
        }
    }
    if has("content.xml")
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ods"))
    {
        return Ok(Sniffed::Sheet(Format::Ods));
    }
    Err(ReadErrorKind::Unrecognised(
        "a zip archive that holds neither a Word document nor a workbook",
    ))
}

fn sniff_ole(bytes: &[u8]) -> Result<Sniffed, ReadErrorKind> {
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
    };
    if find(bytes, &utf16("EncryptedPackage")).is_some() {
        return Err(ReadErrorKind::Unsupported {
            format: "a password-protected Office file",
            hint: " (remove the password and save it again)",
        });
    }
    // Stream names are matched case-insensitively (some writers use `WORKBOOK`).
    let upper: Vec<u8> = bytes.iter().map(u8::to_ascii_uppercase).collect();
    let utf16 = |s: &str| utf16(&s.to_ascii_uppercase());
    let bytes = upper.as_slice();
    if find(bytes, &utf16("WordDocument")).is_some() {
        return Ok(Sniffed::Doc);
    }
    if find(bytes, &utf16("Workbook")).is_some() || find(bytes, &utf16("Book")).is_some() {
        return Ok(Sniffed::Sheet(Format::Xls));
    }
    // Microsoft Works word-processor files, also named .wps, keep their text in `CONTENTS`.
    if find(bytes, &utf16("CONTENTS")).is_some() {
        return Err(ReadErrorKind::Unsupported {
            format: "Microsoft Works (.wps)",
            hint: " (save it as .docx)",
        });
    }
    Err(ReadErrorKind::Unrecognised(
        "an OLE compound file that is neither .doc nor .xls",
    ))
}

/// True when decoded text is an HTML page rather than a plain-text export.
fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    let trimmed = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || (trimmed.starts_with('<')
            && (head.contains("<body") || head.contains("<table") || head.contains("<head")))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_written_as_lowercase_hex() {
        // The SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(
            hex_sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(lower_hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }

    #[test]
    fn a_hash_reads_back_only_as_written() {
        let hex = hex_sha256(b"jixiao");
        let bytes = sha256_from_hex(&hex).expect("our own hash reads back");
        assert_eq!(bytes, <[u8; 32]>::from(Sha256::digest(b"jixiao")));
        assert_eq!(sha256_from_hex(&hex.to_uppercase()), None);
        assert_eq!(sha256_from_hex(&hex[..62]), None);
        assert_eq!(sha256_from_hex(&format!("{hex}00")), None);
        assert_eq!(sha256_from_hex(&format!("{}zz", &hex[..62])), None);
    }
}
