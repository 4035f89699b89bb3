//! Font census: one TSV line per top-level font object.
//! file  subtype  basefont  encoding  tounicode  descendant  cidsys_ordering  embedded(FontFile kind)
use lopdf::{Dictionary, Document, Object};

fn name(doc: &Document, d: &Dictionary, k: &[u8]) -> String {
    match d.get(k).ok().map(|o| doc.dereference(o).map(|x| x.1).unwrap_or(o)) {
        Some(Object::Name(n)) => String::from_utf8_lossy(n).into(),
        Some(Object::Dictionary(ed)) => {
            let base = ed.get(b"BaseEncoding").and_then(|o| o.as_name()).map(|n| String::from_utf8_lossy(n).to_string()).unwrap_or("-".into());
            format!("dict(base={base},diffs={})", ed.has(b"Differences"))
        }
        Some(Object::Stream(_)) => "stream(embedded CMap)".into(),
        Some(o) => format!("{:?}", o.enum_variant()),
        None => "-".into(),
    }
}
fn sub<'a>(doc: &'a Document, d: &'a Dictionary, k: &[u8]) -> Option<&'a Dictionary> {
    d.get(k).ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok())
}
fn embedded(doc: &Document, fd: Option<&Dictionary>) -> String {
    let Some(fd) = fd else { return "no-descriptor".into() };
    for k in [&b"FontFile"[..], b"FontFile2", b"FontFile3"] {
        if fd.has(k) {
            let mut s = String::from_utf8_lossy(k).to_string();
            if let Some(st) = fd.get(k).ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_stream().ok()) {
                if let Ok(n) = st.dict.get(b"Subtype").and_then(|o| o.as_name()) {
                    s.push_str(&format!("/{}", String::from_utf8_lossy(n)));
                }
            }
            return s;
        }
    }
    "no".into()
}
fn main() {
    for f in std::env::args().skip(1) {
        let base = std::path::Path::new(&f).file_name().unwrap().to_string_lossy().to_string();
        let doc = match Document::load(&f) {
            Ok(d) => d,
            Err(e) => {
                println!("{base}\tLOAD-ERROR {e}");
                continue;
            }
        };
        for (id, o) in &doc.objects {
            let Ok(d) = o.as_dict() else { continue };
            if d.get(b"Type").and_then(|o| o.as_name()).ok() != Some(b"Font") {
                continue;
            }
            let st = name(&doc, d, b"Subtype");
            if st.starts_with("CIDFontType") {
                continue; // counted via its Type0 parent
            }
            let bf = name(&doc, d, b"BaseFont");
            let enc = name(&doc, d, b"Encoding");
            let tu = d.has(b"ToUnicode");
            let (desc, ord, emb) = if st == "Type0" {
                let df = d.get(b"DescendantFonts").ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_array().ok()).and_then(|a| a.first()).and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok());
                match df {
                    Some(df) => {
                        let ord = sub(&doc, df, b"CIDSystemInfo")
                            .map(|c| {
                                let r = c.get(b"Registry").and_then(|o| o.as_str()).map(|s| String::from_utf8_lossy(s).to_string()).unwrap_or_default();
                                let o = c.get(b"Ordering").and_then(|o| o.as_str()).map(|s| String::from_utf8_lossy(s).to_string()).unwrap_or_default();
                                format!("{r}-{o}")
                            })
                            .unwrap_or("-".into());
                        let c2g = name(&doc, df, b"CIDToGIDMap");
                        (format!("{} c2g={}", name(&doc, df, b"Subtype"), c2g), ord, embedded(&doc, sub(&doc, df, b"FontDescriptor")))
                    }
                    None => ("NONE".into(), "-".into(), "-".into()),
                }
            } else {
                ("-".into(), "-".into(), embedded(&doc, sub(&doc, d, b"FontDescriptor")))
            };
            let basefont_utf = bf.clone();
            println!("{base}\t{id:?}\t{st}\t{basefont_utf}\t{enc}\t{tu}\t{desc}\t{ord}\t{emb}");
        }
    }
}
