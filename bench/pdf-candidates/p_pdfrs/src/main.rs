#[path = "../../common/harness.rs"]
mod harness;
use harness::Report;
use pdf::content::{Op, TextDrawAdjusted};
use pdf::file::FileOptions;
use pdf::font::{Font, FontData, ToUnicodeMap};
use pdf::object::Resolve;
use std::collections::HashMap;

// pdf-rs 0.10 has no text extraction of its own; this is the minimal decode on top of
// its parsed ops + Font::to_unicode.
thread_local!{ static TU_ERR: std::cell::RefCell<(usize, String)> = std::cell::RefCell::new((0, String::new())); }
struct F { type0: bool, tu: Option<ToUnicodeMap>, ucs2: bool }

fn decode(f: &F, bytes: &[u8], out: &mut String) {
    if f.type0 {
        for c in bytes.chunks(2) {
            let code = if c.len() == 2 { (c[0] as u16) << 8 | c[1] as u16 } else { c[0] as u16 };
            match f.tu.as_ref().and_then(|t| t.get(code)) {
                Some(s) => out.push_str(s),
                None if f.ucs2 => out.push(char::from_u32(code as u32).unwrap_or('\u{fffd}')),
                None => out.push('\u{fffd}'),
            }
        }
    } else {
        for &b in bytes {
            match f.tu.as_ref().and_then(|t| t.get(b as u16)) {
                Some(s) => out.push_str(s),
                None => out.push(b as char),
            }
        }
    }
}

fn font_info(font: &Font, r: &impl Resolve) -> F {
    let type0 = matches!(font.data, FontData::Type0(_));
    let tu = match font.to_unicode(r) { Some(Ok(t)) => Some(t), Some(Err(e)) => { TU_ERR.with(|c| { let mut c = c.borrow_mut(); c.0 += 1; if c.1.is_empty() { c.1 = e.to_string() } }); None } None => None };
    let ucs2 = font.encoding.as_ref().map(|e| format!("{:?}", e.base).contains("UCS2")).unwrap_or(false);
    F { type0, tu, ucs2 }
}

fn work(b: &[u8]) -> Result<Report, String> {
    let file = FileOptions::cached().load(b.to_vec()).map_err(|e| format!("load: {e}"))?;
    let resolver = file.resolver();
    let mut rep = Report { pages: file.num_pages() as usize, ..Default::default() };
    let (mut re, mut l) = (0usize, 0usize);
    let mut font_errs = 0usize; let mut font_err1: Option<String> = None;
    for page in file.pages() {
        let page = match page { Ok(p) => p, Err(e) => { rep.page_errors += 1; rep.first_page_error.get_or_insert(e.to_string()); continue } };
        let res = page.resources();
        let mut fonts: HashMap<String, F> = HashMap::new();
        if let Ok(res) = res {
            for (name, lazy) in res.fonts.iter() {
                match lazy.load(&resolver) {
                    Ok(font) => { fonts.insert(name.as_str().to_string(), font_info(&font, &resolver)); }
                    Err(e) => { font_errs += 1; font_err1.get_or_insert(e.to_string()); }
                }
            }
        }
        let ops = match page.contents.as_ref().map(|c| c.operations(&resolver)) {
            Some(Ok(ops)) => ops,
            Some(Err(e)) => { rep.page_errors += 1; rep.first_page_error.get_or_insert(e.to_string()); continue }
            None => vec![],
        };
        let mut cur: Option<&F> = None;
        for op in &ops {
            match op {
                Op::TextFont { name, .. } => cur = fonts.get(name.as_str()),
                Op::TextDraw { text } => if let Some(f) = cur { decode(f, text.as_bytes(), &mut rep.text) },
                Op::TextDrawAdjusted { array } => if let Some(f) = cur {
                    for it in array { if let TextDrawAdjusted::Text(t) = it { decode(f, t.as_bytes(), &mut rep.text) } }
                },
                Op::TextNewline | Op::EndText => rep.text.push('\n'),
                Op::Rect { .. } => re += 1,
                Op::LineTo { .. } => l += 1,
                _ => {}
            }
        }
        rep.text.push('\u{c}');
    }
    TU_ERR.with(|c| { let c = c.borrow(); rep.extra.push(("tounicode_errs".into(), c.0.to_string())); rep.extra.push(("tounicode_err1".into(), format!("\"{}\"", c.1.replace('"', "'").replace('\n', " ").chars().take(200).collect::<String>()))); });
    rep.extra.push(("font_load_errs".into(), font_errs.to_string()));
    rep.extra.push(("font_err1".into(), format!("\"{}\"", font_err1.unwrap_or_default().replace('"', "'").replace('\n', " ").chars().rev().take(400).collect::<Vec<_>>().into_iter().rev().collect::<String>())));
    rep.extra.push(("n_re".into(), re.to_string()));
    rep.extra.push(("n_l".into(), l.to_string()));
    Ok(rep)
}
fn main() { harness::main_with(work) }
