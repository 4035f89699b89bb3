#[path = "../../common/harness.rs"]
mod harness;
use harness::Report;
use pdf_oxide::elements::PathOperation;
use pdf_oxide::PdfDocument;

fn work(b: &[u8]) -> Result<Report, String> {
    let doc = PdfDocument::from_bytes(b.to_vec()).map_err(|e| format!("load: {e}"))?;
    let n = doc.page_count().map_err(|e| format!("page_count: {e}"))?;
    let mut rep = Report { pages: n, ..Default::default() };
    let t0 = std::time::Instant::now();
    for i in 0..n {
        match doc.extract_text(i) {
            Ok(t) => rep.text.push_str(&t),
            Err(e) => { rep.page_errors += 1; rep.first_page_error.get_or_insert(e.to_string()); }
        }
        rep.text.push('\u{c}');
    }
    let ms_text = t0.elapsed().as_secs_f64() * 1000.0;
    let t1 = std::time::Instant::now();
    let (mut chars, mut cjk, mut paths, mut re, mut l, mut pos_err) = (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    let mut sample = Vec::new();
    for i in 0..n {
        match doc.extract_chars(i) {
            Ok(cs) => {
                chars += cs.len();
                for c in &cs {
                    if ('\u{4e00}'..='\u{9fff}').contains(&c.char) { cjk += 1 }
                    if sample.len() < 6 { sample.push(format!("{}@({:.1},{:.1},{:.1}x{:.1})", c.char, c.bbox.x, c.bbox.y, c.bbox.width, c.bbox.height)) }
                }
            }
            Err(_) => pos_err += 1,
        }
        match doc.extract_paths(i) {
            Ok(ps) => {
                paths += ps.len();
                for p in &ps { for op in &p.operations { match op { PathOperation::Rectangle(..) => re += 1, PathOperation::LineTo(..) => l += 1, _ => {} } } }
            }
            Err(_) => pos_err += 1,
        }
    }
    let ms_pos = t1.elapsed().as_secs_f64() * 1000.0;
    rep.extra.push(("ms_text".into(), format!("{ms_text:.2}")));
    rep.extra.push(("ms_pos".into(), format!("{ms_pos:.2}")));
    for (k, v) in [("pos_chars", chars), ("pos_cjk", cjk), ("paths", paths), ("n_re", re), ("n_l", l), ("pos_page_errors", pos_err)] {
        rep.extra.push((k.into(), v.to_string()));
    }
    rep.extra.push(("was_encrypted".into(), doc.is_encrypted().to_string()));
    rep.extra.push(("sample".into(), format!("\"{}\"", sample.join(" | ").replace('"', "'"))));
    Ok(rep)
}
fn main() { harness::main_with(work) }
