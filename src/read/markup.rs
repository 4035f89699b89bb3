//! Text of some kind — an HTML page or a Word plain-text export — decoded from whatever
//! encoding it is in, and told apart by its first characters.

use super::{encoding, html, text, Content, Limits};
use crate::error::ReadErrorKind;
use crate::model::{Format, Source};

/// The reader of web pages and text exports: anything that is not binary.
pub struct Markup;

impl super::Reader for Markup {
    fn claims(&self, content: &mut Content<'_>) -> Option<Format> {
        let plain = content.zip.is_none() && !content.is_compound();
        (plain && !encoding::looks_binary(content.bytes)).then_some(Format::Text)
    }

    fn read(
        &self,
        bytes: &[u8],
        limits: &Limits,
        source: &mut Source,
    ) -> Result<super::Body, ReadErrorKind> {
        let decoded = encoding::decode(bytes);
        source.encoding = Some(decoded.encoding.to_string());
        if looks_like_html(&decoded.text) {
            source.format = Format::Html;
            Ok((html::read(&decoded.text, limits), decoded.warnings).into())
        } else {
            source.format = Format::Text;
            Ok((text::read(&decoded.text), decoded.warnings).into())
        }
    }
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
