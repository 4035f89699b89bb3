#[path = "../../common/harness.rs"]
mod harness;
use harness::Report;
use pdf_extract::{output_doc_page, ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, PlainTextOutput, Transform};
use lopdf::Document;

/// Positional device: counts characters with positions and the paths handed to stroke/fill.
#[derive(Default)]
struct PosDev {
    chars: usize,
    cjk_chars: usize,
    strokes: usize,
    fills: usize,
    re: usize,
    l: usize,
    sample: Vec<String>,
}
impl OutputDev for PosDev {
    fn begin_page(&mut self, _n: u32, _m: &MediaBox, _a: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> { Ok(()) }
    fn end_page(&mut self) -> Result<(), OutputError> { Ok(()) }
    fn output_character(&mut self, trm: &Transform, width: f64, _sp: f64, fs: f64, ch: &str) -> Result<(), OutputError> {
        self.chars += 1;
        if ch.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) { self.cjk_chars += 1 }
        if self.sample.len() < 8 { self.sample.push(format!("{ch}@({:.1},{:.1}) w={:.2} fs={fs}", trm.m31, trm.m32, width)) }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> { Ok(()) }
    fn end_word(&mut self) -> Result<(), OutputError> { Ok(()) }
    fn end_line(&mut self) -> Result<(), OutputError> { Ok(()) }
    fn stroke(&mut self, _ctm: &Transform, _cs: &ColorSpace, _c: &[f64], p: &Path) -> Result<(), OutputError> {
        self.strokes += 1; self.count(p); Ok(())
    }
    fn fill(&mut self, _ctm: &Transform, _cs: &ColorSpace, _c: &[f64], p: &Path) -> Result<(), OutputError> {
        self.fills += 1; self.count(p); Ok(())
    }
}
impl PosDev {
    fn count(&mut self, p: &Path) {
        for op in &p.ops { match op { PathOp::Rect(..) => self.re += 1, PathOp::LineTo(..) => self.l += 1, _ => {} } }
    }
}

fn work(b: &[u8]) -> Result<Report, String> {
    let mut doc = Document::load_mem(b).map_err(|e| format!("load: {e}"))?;
    let was_enc = doc.is_encrypted();
    if was_enc {
        doc.decrypt("").map_err(|e| format!("decrypt: {e}"))?;
    }
    let pages = doc.get_pages();
    let mut rep = Report { pages: pages.len(), ..Default::default() };
    let t0 = std::time::Instant::now();
    for (&n, _) in &pages {
        let mut s = String::new();
        let r = { let mut out = PlainTextOutput::new(&mut s); output_doc_page(&doc, &mut out, n) };
        if let Err(e) = r { rep.page_errors += 1; rep.first_page_error.get_or_insert(format!("{e:?}")); }
        rep.text.push_str(&s);
        rep.text.push('\u{c}');
    }
    let ms_text = t0.elapsed().as_secs_f64() * 1000.0;
    let t1 = std::time::Instant::now();
    let mut dev = PosDev::default();
    let mut pos_err = 0;
    for (&n, _) in &pages { if output_doc_page(&doc, &mut dev, n).is_err() { pos_err += 1 } }
    let ms_pos = t1.elapsed().as_secs_f64() * 1000.0;
    rep.extra.push(("ms_text".into(), format!("{ms_text:.2}")));
    rep.extra.push(("ms_pos".into(), format!("{ms_pos:.2}")));
    for (k, v) in [("pos_chars", dev.chars), ("pos_cjk", dev.cjk_chars), ("strokes", dev.strokes), ("fills", dev.fills), ("n_re", dev.re), ("n_l", dev.l), ("pos_page_errors", pos_err)] {
        rep.extra.push((k.into(), v.to_string()));
    }
    rep.extra.push(("was_encrypted".into(), was_enc.to_string()));
    rep.extra.push(("sample".into(), format!("\"{}\"", dev.sample.join(" | ").replace('"', "'"))));
    Ok(rep)
}
fn main() { harness::main_with(work) }
