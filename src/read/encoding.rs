//! Character-encoding detection for text exports and HTML pages.
//!
//! Order: byte-order mark → UTF-16 by the position of zero bytes → strict UTF-8 → an HTML
//! `<meta charset>` → chardetng on a sampled prefix (GBK/GB18030, Big5, windows-125x …).

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

/// Text decoded from bytes, with the encoding that was used.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub warnings: Vec<String>,
}

/// How many bytes chardetng sees; it runs at about 2.4 MB/s, and 64 KiB is plenty for Chinese.
const SAMPLE: usize = 64 << 10;

/// Decodes `bytes`, never failing: invalid sequences become U+FFFD and are reported as a warning.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (encoding, bom_len) = detect(bytes);
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
    let mut warnings = Vec::new();
    if had_errors {
        warnings.push(format!(
            "invalid {} byte sequences were replaced with U+FFFD",
            encoding.name()
        ));
    }
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        warnings,
    }
}

fn detect(bytes: &[u8]) -> (&'static Encoding, usize) {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return (enc, len);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return (enc, 0);
    }
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let whole = sample.len() == bytes.len();
    if valid_utf8_prefix(sample, whole) {
        return (UTF_8, 0);
    }
    // A page that says UTF-16 in a meta tag but has no BOM is not UTF-16 here.
    let declared = meta_charset(sample).filter(|&e| e != UTF_16LE && e != UTF_16BE);
    let enc = declared.unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(sample, whole);
        detector.guess(None, chardetng::Utf8Detection::Allow)
    });
    // GB18030 is a superset of GBK and decodes every GBK file the same way.
    (if enc == GBK { GB18030 } else { enc }, 0)
}

/// UTF-8 validity of a sample that may have been cut in the middle of a character.
fn valid_utf8_prefix(sample: &[u8], whole: bool) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => !whole && e.error_len().is_none() && e.valid_up_to() + 4 > sample.len(),
    }
}

/// UTF-16 text without a BOM: mostly zero bytes at odd (LE) or even (BE) positions.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // ASCII-heavy UTF-16 has zeros in one lane; CJK-heavy has few zeros at all, so also accept
    // a clear majority of one lane over the other with no zeros in the other lane.
    if odd * 10 >= pairs * 3 && even == 0 {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 3 && odd == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The charset named by `<meta charset=…>` or `<meta http-equiv … content="…charset=…">`.
fn meta_charset(sample: &[u8]) -> Option<&'static Encoding> {
    let head = &sample[..sample.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + "charset".len();
        while i < lower.len() && matches!(lower[i], b' ' | b'=' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len()
            && (lower[i].is_ascii_alphanumeric() || matches!(lower[i], b'-' | b'_'))
        {
            i += 1;
        }
        if let Some(enc) = Encoding::for_label(&lower[start..i]) {
            return Some(enc);
        }
        from = i.max(from + pos + 1);
    }
    None
}

/// True for data that is no text in any encoding: many control bytes, or NULs outside UTF-16.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if Encoding::for_bom(bytes).is_some() || utf16_without_bom(bytes).is_some() {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    control * 20 > sample.len()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16le_without_bom_is_recognised() {
        let bytes: Vec<u8> = "单位：万元 1,482.43\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&bytes).text, "单位：万元 1,482.43\n");
    }

    #[test]
    fn gbk_is_detected_and_decoded() {
        let (bytes, _, _) =
            GB18030.encode("年度收入情况（万元）机构名称 收入合计 局机关及二级机构汇总 1,482.43");
        let d = decode(&bytes);
        assert_eq!(d.encoding, "gb18030");
        assert!(d.text.starts_with("年度收入情况（万元）"));
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn meta_charset_wins_over_guessing() {
        let (body, _, _) =
            GB18030.encode("<html><head><meta charset=\"gbk\"></head><body>收入合计</body></html>");
        let d = decode(&body);
        assert!(d.text.contains("收入合计"));
    }

    #[test]
    fn invalid_sequences_are_replaced_and_reported() {
        let d = decode(b"\xef\xbb\xbfabc\xff\xfe def");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains('\u{fffd}'));
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn random_bytes_look_binary_and_text_does_not() {
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(looks_binary(&noise));
        assert!(!looks_binary("收入合计\t1,482.43\n".as_bytes()));
    }
}
