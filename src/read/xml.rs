//! The XML tokenizer of the .docx reader: finds the `<`, `>` and quotes of 64 bytes at a time,
//! so a tag costs a few steps instead of one per byte, and skips elements without events.
//!
//! It checks what the walk relies on: every end tag closes the element last opened, tags and
//! comments are closed, every `&` in text begins a reference ended by `;`, nesting stays
//! under a bound. Attributes are left to quick-xml's [`BytesStart`], and so are the rules for
//! line ends and character references in text.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, BytesText};

/// One piece of the document, as the walk sees it.
pub enum Token<'x> {
    Start(BytesStart<'x>),
    Empty(BytesStart<'x>),
    End,
    /// Character data (references resolved, line ends normalized) or a CDATA section.
    Text(Cow<'x, str>),
}

/// The message for input that ends inside an element.
pub const TRUNCATED: &str = "unexpected end of the document (truncated file?)";

/// Why the text is not XML the walk can read.
#[derive(Debug)]
pub enum Error {
    /// What is wrong, and the offset in the text where it starts.
    Malformed(String, usize),
    /// Elements nested deeper than the bound given to [`Tokenizer::new`].
    TooDeep,
}

/// Tokens of one XML text, in order.
pub struct Tokenizer<'x> {
    text: &'x str,
    /// Offset of the first byte not yet read.
    pos: usize,
    marks: Marks,
    /// Names of the elements opened and not yet closed.
    open: Vec<&'x [u8]>,
    max_depth: usize,
}

/// A token before its text is decoded.
enum Raw<'x> {
    /// A start tag's content (name and attributes) and the length of its name.
    Start(&'x str, usize),
    Empty(&'x str),
    End,
    Text(&'x str),
    CData(&'x str),
}

impl<'x> Tokenizer<'x> {
    /// Reads `text`, refusing elements nested more than `max_depth` deep.
    pub fn new(text: &'x str, max_depth: usize) -> Self {
        Tokenizer {
            text,
            pos: 0,
            marks: Marks::default(),
            open: Vec::new(),
            max_depth,
        }
    }

    /// Offset of the first byte not yet read.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Elements open at this point.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// The next token; `None` at the end of the text.
    pub fn next(&mut self) -> Result<Option<Token<'x>>, Error> {
        Ok(Some(match self.next_raw()? {
            None => return Ok(None),
            Some(Raw::Start(content, name_len)) => {
                Token::Start(BytesStart::from_content(content, name_len))
            }
            Some(Raw::Empty(content)) => {
                Token::Empty(BytesStart::from_content(content, name_len(content)))
            }
            Some(Raw::End) => Token::End,
            Some(Raw::Text(text)) => Token::Text(decode(text).map_err(|(message, k)| {
                // The text ends where the tokenizer stands.
                Error::Malformed(message, self.pos - text.len() + k)
            })?),
            Some(Raw::CData(text)) => Token::Text(text.into()),
        }))
    }

    /// Reads the content and the end tag of the element just opened, checking its tags but
    /// building nothing (references in its text are not resolved, so not checked).
    pub fn skip_element(&mut self) -> Result<(), Error> {
        let depth = self.open.len();
        while self.open.len() >= depth {
            if self.next_raw()?.is_none() {
                return Err(Error::Malformed(TRUNCATED.into(), self.pos));
            }
        }
        Ok(())
    }

    #[inline(always)]
    fn next_raw(&mut self) -> Result<Option<Raw<'x>>, Error> {
        let bytes = self.text.as_bytes();
        loop {
            let start = self.pos;
            if start >= bytes.len() {
                return Ok(None);
            }
            let Some(lt) = self.marks.find(bytes, start, Want::Lt) else {
                self.pos = bytes.len();
                return Ok(Some(Raw::Text(&self.text[start..])));
            };
            if lt > start {
                self.pos = lt;
                return Ok(Some(Raw::Text(&self.text[start..lt])));
            }
            let malformed = |what: &str| Error::Malformed(what.to_string(), lt);
            match bytes.get(lt + 1) {
                Some(b'/') => {
                    let close = self
                        .marks
                        .find(bytes, lt, Want::Gt)
                        .ok_or_else(|| malformed("unclosed end tag"))?;
                    let name = trim_end(&bytes[lt + 2..close]);
                    match self.open.pop() {
                        Some(opened) if same(opened, name) => {}
                        Some(opened) => {
                            return Err(Error::Malformed(
                                format!(
                                    "end tag `{}` where `{}` was expected",
                                    String::from_utf8_lossy(name),
                                    String::from_utf8_lossy(opened)
                                ),
                                lt,
                            ))
                        }
                        None => {
                            return Err(Error::Malformed(
                                format!(
                                    "end tag `{}` without a start tag",
                                    String::from_utf8_lossy(name)
                                ),
                                lt,
                            ))
                        }
                    }
                    self.pos = close + 1;
                    return Ok(Some(Raw::End));
                }
                Some(b'!') => {
                    let rest = &bytes[lt..];
                    if rest.starts_with(b"<!--") {
                        self.pos = after(bytes, lt + 4, b"-->")
                            .ok_or_else(|| malformed("unclosed comment"))?;
                    } else if rest.starts_with(b"<![CDATA[") {
                        let end = after(bytes, lt + 9, b"]]>")
                            .ok_or_else(|| malformed("unclosed CDATA section"))?;
                        self.pos = end;
                        return Ok(Some(Raw::CData(&self.text[lt + 9..end - 3])));
                    } else if rest.len() >= 9 && rest[2..9].eq_ignore_ascii_case(b"DOCTYPE") {
                        self.pos = doctype_end(bytes, lt)
                            .ok_or_else(|| malformed("unclosed document type declaration"))?;
                    } else {
                        return Err(malformed("unknown markup after `<!`"));
                    }
                }
                Some(b'?') => {
                    self.pos = after(bytes, lt + 2, b"?>")
                        .ok_or_else(|| malformed("unclosed processing instruction"))?;
                }
                Some(_) => {
                    let close = self
                        .marks
                        .tag_end(bytes, lt + 1)
                        .ok_or_else(|| malformed("unclosed tag"))?;
                    self.pos = close + 1;
                    if close > lt + 1 && bytes[close - 1] == b'/' {
                        // Its name is looked for only if the token is built.
                        return Ok(Some(Raw::Empty(&self.text[lt + 1..close - 1])));
                    }
                    let content = &self.text[lt + 1..close];
                    let name_len = name_len(content);
                    if self.open.len() >= self.max_depth {
                        return Err(Error::TooDeep);
                    }
                    self.open.push(&content.as_bytes()[..name_len]);
                    return Ok(Some(Raw::Start(content, name_len)));
                }
                None => return Err(malformed("unclosed tag")),
            }
        }
    }
}

/// The offset just past the first `end` at or after `from`.
fn after(bytes: &[u8], from: usize, end: &[u8]) -> Option<usize> {
    memchr::memmem::find(&bytes[from..], end).map(|k| from + k + end.len())
}

/// The offset just past a document type declaration starting at `lt`. Its external
/// identifier and internal subset (`[...]`) may hold `>`, `[` and `]` inside quoted literals,
/// comments and processing instructions, which are passed over whole.
fn doctype_end(bytes: &[u8], lt: usize) -> Option<usize> {
    let mut k = lt + 9;
    let mut subset = false;
    while k < bytes.len() {
        match bytes[k] {
            quote @ (b'"' | b'\'') => k += 1 + memchr::memchr(quote, &bytes[k + 1..])?,
            b'<' if subset && bytes[k..].starts_with(b"<!--") => {
                k = after(bytes, k + 4, b"-->")? - 1
            }
            b'<' if subset && bytes[k..].starts_with(b"<?") => k = after(bytes, k + 2, b"?>")? - 1,
            b'[' => subset = true,
            b']' => subset = false,
            b'>' if !subset => return Some(k + 1),
            _ => {}
        }
        k += 1;
    }
    None
}

/// Byte by byte: names are a few bytes, shorter than a call to memcmp.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// The length of the name at the start of a tag's content.
fn name_len(content: &str) -> usize {
    content.bytes().position(is_space).unwrap_or(content.len())
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn trim_end(mut name: &[u8]) -> &[u8] {
    while let [rest @ .., last] = name {
        if !is_space(*last) {
            break;
        }
        name = rest;
    }
    name
}

/// Character data with its references resolved and line ends normalized as XML 1.0 says
/// (both quick-xml's). References to entities other than the five predefined ones are kept
/// as written: entities declared in a DTD are never expanded (no entity bombs).
fn decode(raw: &str) -> Result<Cow<'_, str>, (String, usize)> {
    let Some(first) = memchr::memchr(b'&', raw.as_bytes()) else {
        return Ok(normalized(raw));
    };
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    let mut amp = Some(first);
    while let Some(k) = amp {
        out.push_str(&normalized(&rest[..k]));
        // A reference ends at the first `;`; a `&` or the end of the text before it means the
        // `&` was not escaped.
        let semi = memchr::memchr2(b';', b'&', &rest.as_bytes()[k + 1..])
            .map(|j| k + 1 + j)
            .filter(|&j| rest.as_bytes()[j] == b';')
            .map(|j| j - k)
            .ok_or_else(|| {
                let at = raw.len() - rest.len() + k;
                (
                    format!(
                        "`&` that begins no reference in {:?}",
                        truncated(&rest[k..])
                    ),
                    at,
                )
            })?;
        let name = &rest[k + 1..k + semi];
        match BytesRef::new(name).resolve_char_ref() {
            Ok(Some(c)) => out.push(c),
            _ => out.push_str(match name {
                "lt" => "<",
                "gt" => ">",
                "amp" => "&",
                "apos" => "'",
                "quot" => "\"",
                _ => &rest[k..=k + semi],
            }),
        }
        rest = &rest[k + semi + 1..];
        amp = memchr::memchr(b'&', rest.as_bytes());
    }
    out.push_str(&normalized(rest));
    Ok(out.into())
}

fn normalized(text: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text.into();
    }
    match BytesText::from_escaped(text).xml10_content() {
        Cow::Borrowed(_) => text.into(),
        Cow::Owned(s) => s.into(),
    }
}

/// The first few characters of `text`, for an error message.
fn truncated(text: &str) -> &str {
    text.char_indices()
        .nth(20)
        .map_or(text, |(k, _)| &text[..k])
}

/// Which marks a search looks for.
#[derive(Clone, Copy)]
enum Want {
    Lt,
    Gt,
}

/// Positions of `<`, `>`, `"` and `'` in one aligned 64-byte block of the text, as bit masks.
#[derive(Default)]
struct Marks {
    /// Offset of the block; `None` before the first.
    block: Option<usize>,
    lt: u64,
    gt: u64,
    double_quote: u64,
    single_quote: u64,
}

impl Marks {
    /// The first position at or after `from` holding a mark of the kind wanted.
    fn find(&mut self, bytes: &[u8], from: usize, want: Want) -> Option<usize> {
        let mut block = from & !63;
        let mut skip = from - block;
        while block < bytes.len() {
            if self.block != Some(block) {
                self.load(bytes, block);
            }
            let mask = match want {
                Want::Lt => self.lt,
                Want::Gt => self.gt,
            } & (u64::MAX << skip);
            if mask != 0 {
                return Some(block + mask.trailing_zeros() as usize);
            }
            block += 64;
            skip = 0;
        }
        None
    }

    /// The `>` that closes a start tag whose name begins at `from`: the first outside quotes.
    fn tag_end(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        let mut block = from & !63;
        let mut skip = from - block;
        // The quote of the attribute value we are in, or 0.
        let mut quote = 0;
        while block < bytes.len() {
            if self.block != Some(block) {
                self.load(bytes, block);
            }
            let mut marks = (self.gt | self.double_quote | self.single_quote) & (u64::MAX << skip);
            while marks != 0 {
                let at = block + marks.trailing_zeros() as usize;
                marks &= marks - 1;
                let b = bytes[at];
                if quote == 0 {
                    if b == b'>' {
                        return Some(at);
                    }
                    quote = b;
                } else if b == quote {
                    quote = 0;
                }
            }
            block += 64;
            skip = 0;
        }
        None
    }

    fn load(&mut self, bytes: &[u8], block: usize) {
        let mut tail = [0u8; 64];
        let chunk: &[u8; 64] = match bytes.get(block..block + 64) {
            Some(full) => full.try_into().unwrap_or(&tail),
            None => {
                // The last block, padded with bytes that are no mark.
                tail[..bytes.len() - block].copy_from_slice(&bytes[block..]);
                &tail
            }
        };
        self.block = Some(block);
        self.lt = byte_mask(chunk, b'<');
        self.gt = byte_mask(chunk, b'>');
        self.double_quote = byte_mask(chunk, b'"');
        self.single_quote = byte_mask(chunk, b'\'');
    }
}

/// Bit `i` set where `chunk[i] == byte`: sixteen bytes compared at once (SSE2 on x86-64,
/// through `wide`'s safe vector types).
fn byte_mask(chunk: &[u8; 64], byte: u8) -> u64 {
    let wanted = wide::u8x16::splat(byte);
    let mut mask = 0;
    for (k, lane) in chunk.chunks_exact(16).enumerate() {
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(lane);
        let equal = wide::u8x16::new(bytes).cmp_eq(wanted).move_mask() as u32 & 0xffff;
        mask |= u64::from(equal) << (16 * k);
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(xml: &str) -> Result<Vec<String>, Error> {
        let mut t = Tokenizer::new(xml, 100);
        let mut out = Vec::new();
        while let Some(token) = t.next()? {
            out.push(match token {
                Token::Start(e) => format!("<{}>", e.name().as_ref()),
                Token::Empty(e) => format!("<{}/>", e.name().as_ref()),
                Token::End => "</>".into(),
                Token::Text(t) => format!("{t:?}"),
            });
        }
        Ok(out)
    }

    /// Tokens as the walk sees them, adjacent texts joined: the content of start tags (name
    /// and attributes as written), end tags, text.
    fn joined(tokens: impl IntoIterator<Item = String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in tokens {
            match (t.strip_prefix('"'), out.last_mut()) {
                (Some(text), Some(last)) if last.starts_with('"') => last.push_str(text),
                _ => out.push(t),
            }
        }
        out.retain(|t| t != "\"");
        out
    }

    fn ours(xml: &str) -> Result<Vec<String>, String> {
        let mut t = Tokenizer::new(xml, 512);
        let mut out = Vec::new();
        while let Some(token) = t.next().map_err(|e| format!("{e:?}"))? {
            out.push(match token {
                Token::Start(e) => format!("<{}>", &*e),
                Token::Empty(e) => format!("<{}/>", &*e),
                Token::End => "</>".into(),
                Token::Text(text) => format!("\"{text}"),
            });
        }
        Ok(joined(out))
    }

    /// What quick-xml's `Reader` gave the walk before this tokenizer replaced it.
    fn quick_xmls(xml: &str) -> Result<Vec<String>, String> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut out = Vec::new();
        loop {
            out.push(match reader.read_event().map_err(|e| e.to_string())? {
                Event::Start(e) => format!("<{}>", &*e),
                Event::Empty(e) => format!("<{}/>", &*e),
                Event::End(_) => "</>".into(),
                Event::Text(t) => format!("\"{}", t.xml10_content()),
                Event::CData(t) => format!("\"{}", &*t),
                Event::GeneralRef(r) => match r.resolve_char_ref() {
                    Ok(Some(c)) => format!("\"{c}"),
                    _ => match &*r {
                        "lt" => "\"<".into(),
                        "gt" => "\">".into(),
                        "amp" => "\"&".into(),
                        "apos" => "\"'".into(),
                        "quot" => "\"\"".into(),
                        other => format!("\"&{other};"),
                    },
                },
                Event::Eof => return Ok(joined(out)),
                _ => continue,
            });
        }
    }

    fn docx_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                docx_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "docx") {
                out.push(path);
            }
        }
    }

    /// The main part of every .docx in the corpus and in the peer test suites tokenizes
    /// exactly as quick-xml read it: same tags, same attributes as written, same text.
    #[test]
    fn corpus_documents_tokenize_as_quick_xml_read_them() {
        use std::io::Read;
        let mut files = Vec::new();
        docx_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
            &mut files,
        );
        let peer = crate::outside::Outside::PeerFiles
            .dir("corpus_documents_tokenize_as_quick_xml_read_them");
        if let Some(peer) = &peer {
            docx_files(peer, &mut files);
        }
        let mut compared = 0;
        for path in &files {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
                continue;
            };
            let Ok(mut part) = zip.by_name("word/document.xml") else {
                continue;
            };
            let mut raw = Vec::new();
            if part.read_to_end(&mut raw).is_err() {
                continue;
            }
            let Ok(xml) = String::from_utf8(raw) else {
                continue;
            };
            let xml = xml.trim_start_matches('\u{feff}');
            match (ours(xml), quick_xmls(xml)) {
                (Ok(a), Ok(b)) => assert!(a == b, "{} tokenizes differently", path.display()),
                (Err(_), Err(_)) => {}
                (a, b) => panic!(
                    "{}: ours {:?}, quick-xml {:?}",
                    path.display(),
                    a.err(),
                    b.err()
                ),
            }
            compared += 1;
        }
        let least = if peer.is_some() { 200 } else { 3 };
        assert!(compared >= least, "only {compared} documents compared");
    }

    #[test]
    fn byte_mask_marks_every_equal_byte_and_no_other() {
        let mut chunk = [0u8; 64];
        for (i, b) in chunk.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37);
        }
        for byte in 0..=255u8 {
            let expected = (0..64).fold(0u64, |m, i| m | (u64::from(chunk[i] == byte) << i));
            assert_eq!(byte_mask(&chunk, byte), expected, "{byte}");
        }
        assert_eq!(byte_mask(&[0x80; 64], 0x80), u64::MAX);
        assert_eq!(byte_mask(&[0x80; 64], 0), 0);
    }

    #[test]
    fn tags_text_references_and_quoted_brackets() {
        let xml = "<?xml version=\"1.0\"?><!-- a <b> --><w:p a='>' b=\"'>\">x &amp; &#x4e00;&#20108;\r\n<w:br/><![CDATA[<y>]]></w:p >";
        assert_eq!(
            tokens(xml).unwrap(),
            ["<w:p>", "\"x & 一二\\n\"", "<w:br/>", "\"<y>\"", "</>"]
        );
    }

    #[test]
    fn marks_are_found_across_blocks() {
        let long = "z".repeat(150);
        let xml = format!("<a k=\"{long}>\"><b>{long}</b></a>");
        assert_eq!(
            tokens(&xml).unwrap(),
            ["<a>", "<b>", &format!("{long:?}"), "</>", "</>"]
        );
    }

    #[test]
    fn a_document_type_declaration_ends_after_its_subset() {
        for doctype in [
            "<!DOCTYPE d>",
            "<!doctype d SYSTEM \"x>y\">",
            "<!DOCTYPE d [<!ENTITY e \"[\">]>",
            "<!DOCTYPE d [<!ENTITY e \"]>\"><!-- ] > --><?p ]>?>]>",
        ] {
            let xml = format!("{doctype}<a>x</a>");
            assert_eq!(tokens(&xml).unwrap(), ["<a>", "\"x\"", "</>"], "{doctype}");
        }
    }

    #[test]
    fn errors_point_where_the_problem_starts() {
        let at = |xml: &str| match tokens(xml) {
            Err(Error::Malformed(_, at)) => at,
            other => panic!("{xml}: {:?}", other.map(|_| ())),
        };
        assert_eq!(at("<a>R&D</a>"), 4);
        assert_eq!(at("<a><b></c></a>"), 6);
        assert_eq!(at("<a>xy<!-- </a>"), 5);
    }

    #[test]
    fn unknown_entities_are_kept_as_written() {
        assert_eq!(
            tokens("<a>&foo; &#xZZ;</a>").unwrap()[1],
            "\"&foo; &#xZZ;\""
        );
    }

    #[test]
    fn malformed_text_is_refused() {
        for xml in [
            "<a><b></a>",
            "</a>",
            "<a>x & y</a>",
            "<a><!-- x </a>",
            "<a b=\"x></a>",
            "<a><![CDATA[x</a>",
            "<a><!x></a>",
            "<a>R&D &amp; QA</a>",
            "<a>x &amp</a>",
        ] {
            assert!(
                matches!(tokens(xml), Err(Error::Malformed(..))),
                "{xml} was read"
            );
        }
    }

    #[test]
    fn skipping_checks_tags_and_nesting() {
        let mut t = Tokenizer::new("<a><b><c/><d>&bad</d></b><e/></a>", 100);
        assert!(matches!(t.next(), Ok(Some(Token::Start(_)))));
        assert!(matches!(t.next(), Ok(Some(Token::Start(_)))));
        t.skip_element().unwrap();
        assert!(matches!(t.next(), Ok(Some(Token::Empty(e))) if e.name().as_ref() == "e"));
        assert_eq!(t.depth(), 1);

        let mut t = Tokenizer::new("<a><b><c></b></a>", 100);
        t.next().unwrap();
        t.next().unwrap();
        assert!(matches!(t.skip_element(), Err(Error::Malformed(..))));

        let deep = "<a>".repeat(50);
        let mut t = Tokenizer::new(&deep, 10);
        t.next().unwrap();
        assert!(matches!(t.skip_element(), Err(Error::TooDeep)));
    }
}
