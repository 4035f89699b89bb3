#[path = "../../../common/harness.rs"]
mod harness;
use harness::Report;
use lopdf::Document;

fn work(b: &[u8]) -> Result<Report, String> {
    let doc = Document::load_mem(b).map_err(|e| format!("load: {e}"))?;
    let pages = doc.get_pages();
    let mut rep = Report { pages: pages.len(), ..Default::default() };
    for (&n, _) in &pages {
        let mut bad = None;
        for chunk in doc.extract_text_chunks(&[n]) {
            match chunk {
                Ok(t) => rep.text.push_str(&t),
                Err(e) => bad = Some(e.to_string()),
            }
        }
        if let Some(e) = bad {
            rep.page_errors += 1;
            rep.first_page_error.get_or_insert(e);
        }
        rep.text.push('\u{c}');
    }
    rep.extra.push(("was_encrypted".into(), doc.was_encrypted().to_string()));
    rep.extra.push(("is_encrypted".into(), doc.is_encrypted().to_string()));
    Ok(rep)
}
fn main() { harness::main_with(work) }
