//! Demo of the own layer on one PDF: positioned words, path counts per page, and a
//! cross-check of our ToUnicode parser against lopdf's Dictionary::get_font_encoding.
#[path = "../own.rs"]
#[allow(dead_code)]
mod own;
use lopdf::{Document, Encoding};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let f = &args[1];
    let show_pages: Vec<u32> = args.get(2).map(|s| s.split(',').map(|x| x.parse().unwrap()).collect()).unwrap_or(vec![1]);
    let max_lines: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(30);
    let doc = Document::load(f).expect("load");
    println!("encrypted_trailer(is_encrypted)={} was_encrypted={}", doc.is_encrypted(), doc.was_encrypted());
    let pages = doc.get_pages();
    println!("pages={}", pages.len());
    let (mut agree, mut disagree, mut fonts_checked) = (0usize, 0usize, 0usize);
    let mut samples = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (&n, &id) in &pages {
        let p = own::walk_page(&doc, id).expect("walk");
        let (h, v) = own::rulings(&p.segs);
        println!(
            "page {n:>3}: glyphs={:>5} unmapped={:>3} offpage={:>4} re={:>4} m={:>4} l={:>4} curves={:>3} paint_ops={:>4} forms={} rulings_h={:>4} rulings_v={:>4}",
            p.glyphs.len(), p.stats.unmapped, p.stats.offpage_glyphs, p.stats.n_re, p.stats.n_m, p.stats.n_l, p.stats.n_curves, p.stats.n_paint_ops, p.stats.n_do_forms, h, v
        );
        if show_pages.contains(&n) {
            for (y, words) in own::layout_text(&p.glyphs).into_iter().take(max_lines) {
                let ws: Vec<String> = words.iter().map(|(x, w)| format!("[{x:.1}]{w}")).collect();
                println!("   y={y:7.1} {}", ws.join(" "));
            }
        }
        // cross-check ToUnicode decoding against lopdf's own Encoding
        let fonts = doc.get_page_fonts(id).unwrap_or_default();
        for (name, fd) in fonts {
            let key = fd as *const _ as usize;
            if !seen.insert(key) {
                continue;
            }
            let mine = own::load_font(&doc, &name, fd);
            let Some(tu) = &mine.tounicode else { continue };
            let Ok(enc) = fd.get_font_encoding(&doc) else { continue };
            if !matches!(enc, Encoding::UnicodeMapEncoding(_)) {
                continue;
            }
            fonts_checked += 1;
            for (&(len, code), s) in &tu.map {
                let bytes: Vec<u8> = (0..len).rev().map(|k| (code >> (8 * k as u32)) as u8).collect();
                let theirs = enc.bytes_to_string(&bytes).unwrap_or_default();
                if &theirs == s { agree += 1 } else {
                    disagree += 1;
                    if samples.len() < 5 { samples.push(format!("{} code={code:04x} mine={s:?} lopdf={theirs:?}", mine.name)); }
                }
            }
        }
    }
    println!("ToUnicode cross-check vs lopdf get_font_encoding: fonts={fonts_checked} agree={agree} disagree={disagree} {samples:?}");
}
