#[path = "../../../common/harness.rs"]
mod harness;
#[path = "../own.rs"]
#[allow(dead_code)]
mod own;
use harness::Report;
use lopdf::Document;

fn work(b: &[u8]) -> Result<Report, String> {
    // plain lenient load; on failure retry with a full object scan (force_reconstruct)
    let mut reconstructed = false;
    let doc = match Document::load_mem(b) {
        Ok(d) => d,
        Err(e) => {
            reconstructed = true;
            let opts = lopdf::LoadOptions { force_reconstruct: true, ..Default::default() };
            match Document::load_mem_with_options(b, opts) {
                Ok(d) => d,
                Err(e2) => {
                    // truncated before the trailer: synthesise one pointing at the Catalog, then rescan
                    let mut v = b.to_vec();
                    let root = match find_catalog(b) {
                        Some(r) => r,
                        None => {
                            // no Catalog left: add an empty one; pages are then found by the /Type /Page scan below
                            v.extend_from_slice(b"\nendstream endobj\n999998 0 obj\n<< /Type /Catalog /Pages 999997 0 R >>\nendobj\n999997 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
                            (999998, 0)
                        }
                    };
                    v.extend_from_slice(format!("\nendstream endobj\ntrailer\n<< /Root {} {} R /Size 999999 >>\nstartxref\n0\n%%EOF\n", root.0, root.1).as_bytes());
                    let opts = lopdf::LoadOptions { force_reconstruct: true, ..Default::default() };
                    Document::load_mem_with_options(&v, opts).map_err(|e3| format!("load: {e}; reconstruct: {e2}; synth-trailer: {e3}"))?
                }
            }
        }
    };
    let mut pages = doc.get_pages();
    let mut fallback = false;
    if pages.is_empty() {
        // damaged page tree: fall back to every /Type /Page object, in object-number order
        fallback = true;
        let mut n = 0;
        for (id, o) in &doc.objects {
            if let Ok(d) = o.as_dict() {
                if d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Page") {
                    n += 1;
                    pages.insert(n, *id);
                }
            }
        }
    }
    let mut rep = Report { pages: pages.len(), ..Default::default() };
    let mut offpage = 0;
    let (mut glyphs, mut unmapped, mut re, mut l, mut rh, mut rv, mut forms) = (0, 0, 0, 0, 0, 0, 0);
    for (_, &id) in &pages {
        match own::walk_page(&doc, id) {
            Ok(p) => {
                glyphs += p.glyphs.len();
                unmapped += p.stats.unmapped;
                offpage += p.stats.offpage_glyphs;
                re += p.stats.n_re;
                l += p.stats.n_l;
                forms += p.stats.n_do_forms;
                let (h, v) = own::rulings(&p.segs);
                rh += h;
                rv += v;
                for (_, words) in own::layout_text(&p.glyphs) {
                    let line: Vec<String> = words.into_iter().map(|w| w.1).collect();
                    rep.text.push_str(&line.join(" "));
                    rep.text.push('\n');
                }
            }
            Err(e) => {
                rep.page_errors += 1;
                rep.first_page_error.get_or_insert(e);
            }
        }
        rep.text.push('\u{c}');
    }
    for (k, v) in [("glyphs", glyphs), ("unmapped", unmapped), ("n_re", re), ("n_l", l), ("rule_h", rh), ("rule_v", rv), ("forms", forms), ("offpage", offpage)] {
        rep.extra.push((k.into(), v.to_string()));
    }
    rep.extra.push(("reconstructed".into(), reconstructed.to_string()));
    rep.extra.push(("page_fallback".into(), fallback.to_string()));
    rep.extra.push(("was_encrypted".into(), doc.was_encrypted().to_string()));
    Ok(rep)
}
/// last `N G obj << ... /Type /Catalog` in the bytes
fn find_catalog(b: &[u8]) -> Option<(u32, u16)> {
    let mut found = None;
    let mut i = 0;
    while let Some(p) = b[i..].windows(8).position(|w| w == b"/Catalog") {
        let at = i + p;
        // walk back to the nearest " obj"
        let start = at.saturating_sub(400);
        if let Some(q) = b[start..at].windows(3).rposition(|w| w == b"obj") {
            let head = &b[start..start + q];
            let txt = String::from_utf8_lossy(head);
            let nums: Vec<&str> = txt.split_whitespace().rev().take(2).collect();
            if nums.len() == 2 {
                if let (Ok(g), Ok(n)) = (nums[0].parse::<u16>(), nums[1].trim_start_matches(|c: char| !c.is_ascii_digit()).parse::<u32>()) {
                    found = Some((n, g));
                }
            }
        }
        i = at + 8;
    }
    found
}

fn main() { harness::main_with(work) }
