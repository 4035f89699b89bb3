//! The read stage: any supported file becomes one [`Document`].
//!
//! [`read_path`] and [`read_bytes`] ask each reader in `READERS` whether the file is its own
//! (the content decides, the extension only breaks ties) and hand the bytes to the first that
//! claims them; formats jixiao does not read are refused with what to do instead. A new format
//! is a new file with a `Reader` and one line in `READERS`. Readers never panic on bad input;
//! they return a [`ReadError`] naming the file, and they respect the [`Limits`].

mod biff;
mod cfb;
mod doc;
mod docx;
mod encoding;
mod flow;
mod html;
mod markup;
mod pdf;
mod rtf;
mod sheet;
mod text;
mod xml;

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{ReadError, ReadErrorKind};
use crate::model::{Block, Document, Format, Paragraph, Source};

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

/// Runs a third-party reader that may panic on damaged input; a panic becomes its message
/// (whitespace collapsed), for an error naming the file.
fn guarded<T>(read: impl FnOnce() -> T) -> Result<T, String> {
    GUARDED.with(|g| g.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    GUARDED.with(|g| g.set(false));
    result.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
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
        pages: None,
    };
    let (reader, format) = recognize(path, bytes).map_err(err)?;
    source.format = format;
    let body = reader.read(bytes, limits, &mut source).map_err(err)?;
    Ok(Document {
        source,
        blocks: body.blocks,
        warnings: body.warnings,
        furniture: body.furniture,
    })
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

/// What a reader makes of a file: the body's blocks, what it worked around, and the running
/// headers, footers and page numbers of a paged format.
struct Body {
    blocks: Vec<Block>,
    warnings: Vec<String>,
    furniture: Vec<Paragraph>,
}

impl From<(Vec<Block>, Vec<String>)> for Body {
    fn from((blocks, warnings): (Vec<Block>, Vec<String>)) -> Self {
        Body {
            blocks,
            warnings,
            furniture: Vec::new(),
        }
    }
}

/// One input format: which files are its own, and how they become blocks. A new format is a
/// new file with a reader and one line in [`READERS`].
trait Reader: Sync {
    /// The format of `content` if the file is this reader's.
    fn claims(&self, content: &mut Content<'_>) -> Option<Format>;
    /// The file's blocks and warnings. `source.format` is the format claimed; a reader that
    /// tells its formats apart only as it reads (HTML from a text export) corrects it.
    fn read(
        &self,
        bytes: &[u8],
        limits: &Limits,
        source: &mut Source,
    ) -> Result<Body, ReadErrorKind>;
}

/// The readers, asked in this order (the content decides; the extension only breaks ties).
const READERS: &[&dyn Reader] = &[
    &docx::Docx,
    &doc::Doc,
    &sheet::Sheets,
    &rtf::Rtf,
    &pdf::PdfReader,
    &markup::Markup,
];

/// A file's content as the readers look at it: its zip archive or compound file opened once.
pub(crate) struct Content<'a> {
    pub path: &'a Path,
    pub bytes: &'a [u8],
    pub zip: Option<zip::ZipArchive<std::io::Cursor<&'a [u8]>>>,
    /// A compound file's bytes upper-cased, in which stream names are looked for (some
    /// writers spell them `WORKBOOK`).
    ole: Option<Vec<u8>>,
}

impl Content<'_> {
    /// Whether the archive holds the part `name`.
    pub fn has_part(&self, name: &str) -> bool {
        self.zip
            .as_ref()
            .is_some_and(|z| docx::part_index(z, name).is_some())
    }

    /// Whether the compound file holds a stream named `name` (any case).
    pub fn has_stream(&self, name: &str) -> bool {
        self.ole
            .as_ref()
            .is_some_and(|upper| find(upper, &utf16(&name.to_ascii_uppercase())).is_some())
    }

    /// The OpenDocument kind an archive's leading `mimetype` part names, if any
    /// (`opendocument.spreadsheet`).
    pub fn opendocument(&self, kind: &str) -> bool {
        let b = self.bytes;
        self.zip.is_some()
            && b.len() > 38
            && &b[30..38] == b"mimetype"
            && find(&b[38..b.len().min(120)], kind.as_bytes()).is_some()
    }

    /// Whether the file is a compound file (.doc, .xls and their kin).
    pub fn is_compound(&self) -> bool {
        self.ole.is_some()
    }

    /// Whether the file's name ends with `.ext` (any case).
    pub fn extension_is(&self, ext: &str) -> bool {
        self.path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    }
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The reader of `bytes` and the format it claims, or why none reads them: files of formats
/// jixiao does not read are named with what to do instead.
fn recognize(path: &Path, bytes: &[u8]) -> Result<(&'static dyn Reader, Format), ReadErrorKind> {
    use ReadErrorKind::{Unrecognised, Unsupported};
    if bytes.is_empty() {
        return Err(ReadErrorKind::Empty);
    }
    let zip = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Some(
            zip::ZipArchive::new(std::io::Cursor::new(bytes))
                .map_err(|e| ReadErrorKind::Zip(e.to_string()))?,
        )
    } else {
        None
    };
    let ole = (zip.is_none() && bytes.starts_with(OLE_MAGIC)).then(|| {
        bytes
            .iter()
            .map(u8::to_ascii_uppercase)
            .collect::<Vec<u8>>()
    });
    if ole.is_some() && find(bytes, &utf16("EncryptedPackage")).is_some() {
        return Err(Unsupported {
            format: "a password-protected Office file",
            hint: " (remove the password and save it again)",
        });
    }
    let plain = zip.is_none() && ole.is_none();
    let head = &bytes[..bytes.len().min(4096)];
    if plain
        && !bytes.starts_with(b"{\\rtf")
        && (find(head, b"<w:wordDocument").is_some() || find(head, b"<pkg:package").is_some())
    {
        return Err(Unsupported {
            format: "Word 2003 XML / flat OPC",
            hint: " (save it as .docx)",
        });
    }
    let mut content = Content {
        path,
        bytes,
        zip,
        ole,
    };
    for reader in READERS {
        if let Some(format) = reader.claims(&mut content) {
            return Ok((*reader, format));
        }
    }
    Err(if content.zip.is_some() {
        if content.has_part("xl/workbook.bin") {
            Unsupported {
                format: "Excel binary workbook (.xlsb)",
                hint: " (save it as .xlsx)",
            }
        } else if content.opendocument("opendocument.text") {
            Unsupported {
                format: "OpenDocument text (.odt)",
                hint: " (save it as .docx)",
            }
        } else {
            Unrecognised("a zip archive that holds neither a Word document nor a workbook")
        }
    } else if content.ole.is_some() {
        // Microsoft Works word-processor files, also named .wps, keep their text in `CONTENTS`.
        if content.has_stream("CONTENTS") {
            Unsupported {
                format: "Microsoft Works (.wps)",
                hint: " (save it as .docx)",
            }
        } else {
            Unrecognised("an OLE compound file that is neither .doc nor .xls")
        }
    } else {
        Unrecognised("binary data that is neither a zip container nor an OLE file")
    })
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
