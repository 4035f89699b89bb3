//! Minimal "own layer" on top of lopdf 0.47: ToUnicode CMap parser, font widths,
//! text-state / graphics-state walk producing positioned glyphs, and path segments
//! (re / m / l / h + paint operators) transformed by the CTM.

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{BTreeMap, HashMap};

// ---------------------------------------------------------------- matrices
#[derive(Clone, Copy, Debug)]
pub struct M(pub [f64; 6]);
impl M {
    pub const I: M = M([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    /// self × o (PDF row-vector convention: p' = p × M)
    pub fn mul(&self, o: &M) -> M {
        let a = &self.0;
        let b = &o.0;
        M([
            a[0] * b[0] + a[1] * b[2],
            a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4],
            a[4] * b[1] + a[5] * b[3] + b[5],
        ])
    }
    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.0;
        (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
    }
    fn translate(tx: f64, ty: f64) -> M {
        M([1.0, 0.0, 0.0, 1.0, tx, ty])
    }
}

// ---------------------------------------------------------------- ToUnicode CMap
#[derive(Debug, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Word(Vec<u8>),
    Name(Vec<u8>),
    LBr,
    RBr,
}

fn tokenize(s: &[u8]) -> Vec<Tok> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        match c {
            b'%' => {
                while i < s.len() && s[i] != b'\n' && s[i] != b'\r' {
                    i += 1
                }
            }
            b'<' if i + 1 < s.len() && s[i + 1] == b'<' => i += 2,
            b'>' if i + 1 < s.len() && s[i + 1] == b'>' => i += 2,
            b'<' => {
                i += 1;
                let mut nib = Vec::new();
                while i < s.len() && s[i] != b'>' {
                    if let Some(d) = (s[i] as char).to_digit(16) {
                        nib.push(d as u8)
                    }
                    i += 1;
                }
                i += 1;
                if nib.len() % 2 == 1 {
                    nib.push(0)
                }
                v.push(Tok::Hex(nib.chunks(2).map(|p| p[0] << 4 | p[1]).collect()));
            }
            b'[' => {
                v.push(Tok::LBr);
                i += 1
            }
            b']' => {
                v.push(Tok::RBr);
                i += 1
            }
            b'(' => {
                // literal string: skip (not used in ToUnicode maps we care about)
                let mut depth = 0;
                while i < s.len() {
                    match s[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'/' => {
                let st = i + 1;
                i += 1;
                while i < s.len() && !b" \t\r\n/<>[](){}%".contains(&s[i]) {
                    i += 1
                }
                v.push(Tok::Name(s[st..i].to_vec()));
            }
            c if c.is_ascii_whitespace() || c == 0 => i += 1,
            _ => {
                let st = i;
                while i < s.len() && !b" \t\r\n/<>[](){}%\0".contains(&s[i]) {
                    i += 1
                }
                if i == st {
                    i += 1
                }
                v.push(Tok::Word(s[st..i].to_vec()));
            }
        }
    }
    v
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0u32, |a, &b| a << 8 | b as u32)
}

fn utf16(bytes: &[u8]) -> String {
    let u: Vec<u16> = bytes.chunks(2).map(|c| if c.len() == 2 { (c[0] as u16) << 8 | c[1] as u16 } else { c[0] as u16 }).collect();
    String::from_utf16_lossy(&u)
}

#[derive(Default, Debug)]
pub struct ToUnicode {
    pub map: HashMap<(u8, u32), String>, // (code length, code) -> text
    pub codespace: Vec<(u8, u32, u32)>,  // (len, lo, hi)
    pub n_bfchar: usize,
    pub n_bfrange: usize,
}

impl ToUnicode {
    pub fn parse(data: &[u8]) -> ToUnicode {
        let t = tokenize(data);
        let mut tu = ToUnicode::default();
        let mut i = 0;
        while i < t.len() {
            match &t[i] {
                Tok::Word(w) if w == b"begincodespacerange" => {
                    i += 1;
                    while i + 1 < t.len() {
                        match (&t[i], &t[i + 1]) {
                            (Tok::Hex(lo), Tok::Hex(hi)) => {
                                tu.codespace.push((lo.len().clamp(1, 4) as u8, be(lo), be(hi)));
                                i += 2
                            }
                            _ => break,
                        }
                    }
                }
                Tok::Word(w) if w == b"beginbfchar" => {
                    i += 1;
                    while i + 1 < t.len() {
                        match (&t[i], &t[i + 1]) {
                            (Tok::Hex(src), Tok::Hex(dst)) => {
                                tu.map.insert((src.len().clamp(1, 4) as u8, be(src)), utf16(dst));
                                tu.n_bfchar += 1;
                                i += 2
                            }
                            (Tok::Hex(_), Tok::Name(_)) => i += 2,
                            _ => break,
                        }
                    }
                }
                Tok::Word(w) if w == b"beginbfrange" => {
                    i += 1;
                    while i + 2 < t.len() {
                        let (lo, hi) = match (&t[i], &t[i + 1]) {
                            (Tok::Hex(lo), Tok::Hex(hi)) => (lo, hi),
                            _ => break,
                        };
                        let len = lo.len().clamp(1, 4) as u8;
                        let (l, h) = (be(lo), be(hi));
                        // cap damaged/huge ranges
                        let h = h.min(l.saturating_add(0xFFFF));
                        match &t[i + 2] {
                            Tok::Hex(dst) => {
                                for (k, code) in (l..=h).enumerate() {
                                    let mut d = dst.clone();
                                    // increment the last UTF-16 unit
                                    if d.len() >= 2 {
                                        let n = d.len();
                                        let last = ((d[n - 2] as u32) << 8 | d[n - 1] as u32) + k as u32;
                                        d[n - 2] = (last >> 8) as u8;
                                        d[n - 1] = last as u8;
                                    } else if d.len() == 1 {
                                        d[0] = d[0].wrapping_add(k as u8);
                                    }
                                    tu.map.insert((len, code), utf16(&d));
                                }
                                tu.n_bfrange += 1;
                                i += 3;
                            }
                            Tok::LBr => {
                                let mut j = i + 3;
                                let mut code = l;
                                while j < t.len() && t[j] != Tok::RBr {
                                    if let Tok::Hex(d) = &t[j] {
                                        tu.map.insert((len, code), utf16(d));
                                        code = code.wrapping_add(1);
                                    }
                                    j += 1;
                                }
                                tu.n_bfrange += 1;
                                i = j + 1;
                            }
                            _ => break,
                        }
                    }
                }
                _ => i += 1,
            }
        }
        tu
    }
}

// ---------------------------------------------------------------- fonts
pub struct FontInfo {
    pub name: String,
    pub subtype: String,
    pub type0: bool,
    pub ucs2: bool, // predefined UniGB-UCS2-H / UniGB-UTF16-H: code is UTF-16BE
    pub tounicode: Option<ToUnicode>,
    pub simple_table: Option<[char; 256]>,
    pub cid_widths: HashMap<u32, f64>,
    pub dw: f64,
    pub first_char: i64,
    pub widths: Vec<f64>,
    pub missing_width: f64,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}
fn num(o: &Object) -> Option<f64> {
    o.as_float().ok().map(|f| f as f64)
}
fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, k: &[u8]) -> Option<&'a Object> {
    d.get(k).ok().map(|o| deref(doc, o))
}

fn win_ansi() -> [char; 256] {
    let mut t = ['\u{fffd}'; 256];
    for i in 0x20..0x7f {
        t[i] = i as u8 as char
    }
    for i in 0xa0..0x100 {
        t[i] = char::from_u32(i as u32).unwrap()
    }
    let hi = "€\u{fffd}‚ƒ„…†‡ˆ‰Š‹Œ\u{fffd}Ž\u{fffd}\u{fffd}‘’“”•–—˜™š›œ\u{fffd}žŸ";
    for (k, c) in hi.chars().enumerate() {
        t[0x80 + k] = c
    }
    t
}

pub fn load_font(doc: &Document, name: &[u8], fd: &Dictionary) -> FontInfo {
    let subtype = dict_get(doc, fd, b"Subtype").and_then(|o| o.as_name().ok()).map(|n| String::from_utf8_lossy(n).to_string()).unwrap_or_default();
    let type0 = subtype == "Type0";
    let enc_name = dict_get(doc, fd, b"Encoding").and_then(|o| o.as_name().ok()).map(|n| n.to_vec());
    let ucs2 = matches!(enc_name.as_deref(), Some(b"UniGB-UCS2-H") | Some(b"UniGB-UTF16-H"));
    let tounicode = dict_get(doc, fd, b"ToUnicode")
        .and_then(|o| o.as_stream().ok())
        .and_then(|s| s.decompressed_content().ok().or_else(|| Some(s.content.clone())))
        .map(|d| ToUnicode::parse(&d));
    let mut f = FontInfo {
        name: String::from_utf8_lossy(name).to_string(),
        subtype,
        type0,
        ucs2,
        tounicode,
        simple_table: None,
        cid_widths: HashMap::new(),
        dw: 1000.0,
        first_char: 0,
        widths: vec![],
        missing_width: 500.0,
    };
    if type0 {
        if let Some(desc) = dict_get(doc, fd, b"DescendantFonts").and_then(|o| o.as_array().ok()).and_then(|a| a.first()).map(|o| deref(doc, o)).and_then(|o| o.as_dict().ok()) {
            if let Some(dw) = dict_get(doc, desc, b"DW").and_then(num) {
                f.dw = dw
            }
            if let Some(w) = dict_get(doc, desc, b"W").and_then(|o| o.as_array().ok()) {
                let mut i = 0;
                while i < w.len() {
                    let c0 = num(deref(doc, &w[i])).unwrap_or(0.0) as u32;
                    match w.get(i + 1).map(|o| deref(doc, o)) {
                        Some(Object::Array(ws)) => {
                            for (k, wv) in ws.iter().enumerate().take(65536) {
                                f.cid_widths.insert(c0 + k as u32, num(deref(doc, wv)).unwrap_or(f.dw));
                            }
                            i += 2;
                        }
                        Some(o) => {
                            let c1 = num(o).unwrap_or(0.0) as u32;
                            let wv = w.get(i + 2).map(|o| num(deref(doc, o)).unwrap_or(f.dw)).unwrap_or(f.dw);
                            for c in c0..=c1.min(c0.saturating_add(65535)) {
                                f.cid_widths.insert(c, wv);
                            }
                            i += 3;
                        }
                        None => break,
                    }
                }
            }
        }
    } else {
        f.first_char = dict_get(doc, fd, b"FirstChar").and_then(num).unwrap_or(0.0) as i64;
        if let Some(w) = dict_get(doc, fd, b"Widths").and_then(|o| o.as_array().ok()) {
            f.widths = w.iter().map(|o| num(deref(doc, o)).unwrap_or(0.0)).collect();
        }
        if let Some(mw) = dict_get(doc, fd, b"FontDescriptor").and_then(|o| o.as_dict().ok()).and_then(|d| dict_get(doc, d, b"MissingWidth")).and_then(num) {
            f.missing_width = mw
        }
        let mut table = win_ansi(); // WinAnsi ≈ Standard for ASCII; good enough for this probe
        if let Some(Object::Dictionary(ed)) = dict_get(doc, fd, b"Encoding") {
            if let Some(diffs) = dict_get(doc, ed, b"Differences").and_then(|o| o.as_array().ok()) {
                let mut code = 0usize;
                for o in diffs {
                    match o {
                        Object::Integer(c) => code = (*c).clamp(0, 255) as usize,
                        Object::Name(n) => {
                            if code < 256 {
                                if n.len() == 7 && n.starts_with(b"uni") {
                                    if let Some(c) = u32::from_str_radix(std::str::from_utf8(&n[3..]).unwrap_or("x"), 16).ok().and_then(char::from_u32) {
                                        table[code] = c
                                    }
                                }
                            }
                            code += 1
                        }
                        _ => {}
                    }
                }
            }
        }
        f.simple_table = Some(table);
    }
    f
}

impl FontInfo {
    /// Split a shown string into (code, code length) units.
    pub fn codes(&self, s: &[u8]) -> Vec<(u32, u8)> {
        let mut out = Vec::new();
        if !self.type0 {
            return s.iter().map(|&b| (b as u32, 1)).collect();
        }
        let cs = self.tounicode.as_ref().map(|t| &t.codespace[..]).unwrap_or(&[]);
        let mut i = 0;
        while i < s.len() {
            let mut len = 2u8;
            if !cs.is_empty() {
                for l in 1..=4u8 {
                    if i + l as usize > s.len() {
                        break;
                    }
                    let c = be(&s[i..i + l as usize]);
                    if cs.iter().any(|&(cl, lo, hi)| cl == l && c >= lo && c <= hi) {
                        len = l;
                        break;
                    }
                }
            }
            let end = (i + len as usize).min(s.len());
            out.push((be(&s[i..end]), (end - i) as u8));
            i = end;
        }
        out
    }
    pub fn decode(&self, code: u32, len: u8) -> Option<String> {
        if let Some(tu) = &self.tounicode {
            if let Some(s) = tu.map.get(&(len, code)) {
                return Some(s.clone());
            }
        }
        if self.ucs2 {
            return char::from_u32(code).map(|c| c.to_string());
        }
        if let Some(t) = &self.simple_table {
            let c = t[(code & 0xff) as usize];
            if c != '\u{fffd}' {
                return Some(c.to_string());
            }
        }
        None
    }
    pub fn width(&self, code: u32) -> f64 {
        if self.type0 {
            *self.cid_widths.get(&code).unwrap_or(&self.dw) // Identity-H: CID == code
        } else {
            let i = code as i64 - self.first_char;
            if i >= 0 && (i as usize) < self.widths.len() {
                self.widths[i as usize]
            } else {
                self.missing_width
            }
        }
    }
}

// ---------------------------------------------------------------- walk
#[derive(Clone, Debug)]
pub struct Glyph {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub size: f64,
}

#[derive(Clone, Copy, Debug)]
pub struct Seg {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub stroke: bool,
    pub from_rect: bool,
}

#[derive(Default, Debug)]
pub struct PageStats {
    pub n_re: usize,
    pub n_l: usize,
    pub n_m: usize,
    pub n_curves: usize,
    pub n_paint_ops: usize,
    pub n_do_forms: usize,
    pub unmapped: usize,
    pub offpage_glyphs: usize,
}

#[derive(Default)]
pub struct PageOut {
    pub glyphs: Vec<Glyph>,
    pub segs: Vec<Seg>,
    pub stats: PageStats,
}

#[derive(Clone)]
struct GState {
    ctm: M,
    tc: f64,
    tw: f64,
    th: f64,
    tl: f64,
    ts: f64,
    font: Option<usize>,
    size: f64,
}

struct Walker<'a> {
    doc: &'a Document,
    fonts: Vec<FontInfo>,
    font_ids: HashMap<(usize, Vec<u8>), usize>, // (resource-dict ptr, name) -> fonts idx
    out: PageOut,
}

fn f(op: &Operation, i: usize) -> f64 {
    op.operands.get(i).and_then(num).unwrap_or(0.0)
}

fn resource_sub<'a>(doc: &'a Document, res: &[&'a Dictionary], key: &[u8]) -> Vec<&'a Dictionary> {
    res.iter().filter_map(|r| dict_get(doc, r, key).and_then(|o| o.as_dict().ok())).collect()
}

impl<'a> Walker<'a> {
    fn font_for(&mut self, res: &[&'a Dictionary], name: &[u8]) -> Option<usize> {
        for fd in resource_sub(self.doc, res, b"Font") {
            if let Some(fo) = dict_get(self.doc, fd, name).and_then(|o| o.as_dict().ok()) {
                let key = (fo as *const Dictionary as usize, name.to_vec());
                if let Some(&i) = self.font_ids.get(&key) {
                    return Some(i);
                }
                let fi = load_font(self.doc, name, fo);
                self.fonts.push(fi);
                self.font_ids.insert(key, self.fonts.len() - 1);
                return Some(self.fonts.len() - 1);
            }
        }
        None
    }

    fn walk(&mut self, ops: &[Operation], res: &[&'a Dictionary], base: M, depth: usize) {
        let mut gs = GState { ctm: base, tc: 0.0, tw: 0.0, th: 1.0, tl: 0.0, ts: 0.0, font: None, size: 0.0 };
        let mut stack: Vec<GState> = Vec::new();
        let (mut tm, mut tlm) = (M::I, M::I);
        // current path in device space
        let mut path: Vec<Seg> = Vec::new();
        let mut cur = (0.0, 0.0);
        let mut start = (0.0, 0.0);
        for op in ops {
            match op.operator.as_str() {
                "q" => {
                    if stack.len() < 256 {
                        stack.push(gs.clone())
                    }
                }
                "Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g
                    }
                }
                "cm" => gs.ctm = M([f(op, 0), f(op, 1), f(op, 2), f(op, 3), f(op, 4), f(op, 5)]).mul(&gs.ctm),
                "BT" => {
                    tm = M::I;
                    tlm = M::I
                }
                "Tf" => {
                    gs.size = f(op, 1);
                    gs.font = op.operands.first().and_then(|o| o.as_name().ok()).and_then(|n| self.font_for(res, n));
                }
                "Tc" => gs.tc = f(op, 0),
                "Tw" => gs.tw = f(op, 0),
                "Tz" => gs.th = f(op, 0) / 100.0,
                "TL" => gs.tl = f(op, 0),
                "Ts" => gs.ts = f(op, 0),
                "Td" => {
                    tlm = M::translate(f(op, 0), f(op, 1)).mul(&tlm);
                    tm = tlm
                }
                "TD" => {
                    gs.tl = -f(op, 1);
                    tlm = M::translate(f(op, 0), f(op, 1)).mul(&tlm);
                    tm = tlm
                }
                "Tm" => {
                    tlm = M([f(op, 0), f(op, 1), f(op, 2), f(op, 3), f(op, 4), f(op, 5)]);
                    tm = tlm
                }
                "T*" => {
                    tlm = M::translate(0.0, -gs.tl).mul(&tlm);
                    tm = tlm
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator == "'" || op.operator == "\"" {
                        if op.operator == "\"" {
                            gs.tw = f(op, 0);
                            gs.tc = f(op, 1);
                        }
                        tlm = M::translate(0.0, -gs.tl).mul(&tlm);
                        tm = tlm;
                    }
                    let items: Vec<&Object> = match op.operator.as_str() {
                        "TJ" => op.operands.first().and_then(|o| o.as_array().ok()).map(|a| a.iter().collect()).unwrap_or_default(),
                        "\"" => op.operands.get(2).into_iter().collect(),
                        _ => op.operands.first().into_iter().collect(),
                    };
                    for it in items {
                        match it {
                            Object::String(s, _) => self.show(s, &gs, &mut tm),
                            o => {
                                if let Some(n) = num(o) {
                                    let tx = -n / 1000.0 * gs.size * gs.th;
                                    tm = M::translate(tx, 0.0).mul(&tm);
                                }
                            }
                        }
                    }
                }
                // ---- paths
                "m" => {
                    self.out.stats.n_m += 1;
                    cur = gs.ctm.apply(f(op, 0), f(op, 1));
                    start = cur;
                }
                "l" => {
                    self.out.stats.n_l += 1;
                    let p = gs.ctm.apply(f(op, 0), f(op, 1));
                    path.push(Seg { x0: cur.0, y0: cur.1, x1: p.0, y1: p.1, stroke: false, from_rect: false });
                    cur = p;
                }
                "c" | "v" | "y" => {
                    self.out.stats.n_curves += 1;
                    let n = op.operands.len();
                    if n >= 2 {
                        cur = gs.ctm.apply(f(op, n - 2), f(op, n - 1));
                    }
                }
                "re" => {
                    self.out.stats.n_re += 1;
                    let (x, y, w, h) = (f(op, 0), f(op, 1), f(op, 2), f(op, 3));
                    let pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)];
                    for k in 0..4 {
                        let a = gs.ctm.apply(pts[k].0, pts[k].1);
                        let b = gs.ctm.apply(pts[k + 1].0, pts[k + 1].1);
                        path.push(Seg { x0: a.0, y0: a.1, x1: b.0, y1: b.1, stroke: false, from_rect: true });
                    }
                    cur = gs.ctm.apply(x, y);
                    start = cur;
                }
                "h" => {
                    if cur != start {
                        path.push(Seg { x0: cur.0, y0: cur.1, x1: start.0, y1: start.1, stroke: false, from_rect: false });
                    }
                    cur = start;
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    self.out.stats.n_paint_ops += 1;
                    let stroke = matches!(op.operator.as_str(), "S" | "s" | "B" | "B*" | "b" | "b*");
                    for mut s in path.drain(..) {
                        s.stroke = stroke;
                        self.out.segs.push(s);
                    }
                }
                "n" => path.clear(),
                "Do" => {
                    if depth < 8 {
                        if let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) {
                            for xd in resource_sub(self.doc, res, b"XObject") {
                                if let Some(Object::Stream(st)) = dict_get(self.doc, xd, name) {
                                    if st.dict.get(b"Subtype").and_then(|o| o.as_name()).ok() == Some(b"Form") {
                                        self.out.stats.n_do_forms += 1;
                                        let mtx = dict_get(self.doc, &st.dict, b"Matrix").and_then(|o| o.as_array().ok()).filter(|a| a.len() == 6).map(|a| {
                                            let v: Vec<f64> = a.iter().map(|o| num(o).unwrap_or(0.0)).collect();
                                            M([v[0], v[1], v[2], v[3], v[4], v[5]])
                                        });
                                        let data = st.decompressed_content().unwrap_or_else(|_| st.content.clone());
                                        if let Ok(c) = Content::decode(&data) {
                                            let mut r2: Vec<&'a Dictionary> = dict_get(self.doc, &st.dict, b"Resources").and_then(|o| o.as_dict().ok()).into_iter().collect();
                                            r2.extend_from_slice(res);
                                            let b = mtx.unwrap_or(M::I).mul(&gs.ctm);
                                            self.walk(&c.operations, &r2, b, depth + 1);
                                        }
                                    }
                                    break;
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn show(&mut self, s: &[u8], gs: &GState, tm: &mut M) {
        let Some(fi) = gs.font else { return };
        let font = &self.fonts[fi];
        let fs = gs.size;
        for (code, len) in font.codes(s) {
            let w0 = font.width(code) / 1000.0;
            let trm = tm.mul(&gs.ctm);
            let (ax, ay) = trm.apply(0.0, gs.ts - 0.2 * fs);
            let (bx, by) = trm.apply(w0 * fs * gs.th, gs.ts + 0.8 * fs);
            let text = font.decode(code, len);
            if text.is_none() {
                self.out.stats.unmapped += 1;
            }
            let size = fs * (trm.0[2].powi(2) + trm.0[3].powi(2)).sqrt();
            self.out.glyphs.push(Glyph { text: text.unwrap_or_else(|| "\u{fffd}".into()), x0: ax.min(bx), y0: ay.min(by), x1: ax.max(bx), y1: ay.max(by), size });
            let word_space = if len == 1 && code == 32 { gs.tw } else { 0.0 };
            let tx = (w0 * fs + gs.tc + word_space) * gs.th;
            *tm = M::translate(tx, 0.0).mul(tm);
        }
    }
}

pub fn page_resources<'a>(doc: &'a Document, page_id: ObjectId) -> Vec<&'a Dictionary> {
    let mut v = Vec::new();
    match doc.get_page_resources(page_id) {
        Ok((d, ids)) => {
            if let Some(d) = d {
                v.push(d)
            }
            for id in ids {
                if let Ok(d) = doc.get_dictionary(id) {
                    v.push(d)
                }
            }
        }
        // get_page_resources fails as a whole when the /Parent chain is broken (damaged file):
        // fall back to the page's own /Resources
        Err(_) => {
            if let Some(r) = doc.get_dictionary(page_id).ok().and_then(|p| dict_get(doc, p, b"Resources")).and_then(|o| o.as_dict().ok()) {
                v.push(r)
            }
        }
    }
    v
}

/// CropBox, else MediaBox, inherited through the page tree; normalised [x0,y0,x1,y1].
pub fn page_box(doc: &Document, page_id: ObjectId) -> Option<[f64; 4]> {
    for key in [&b"CropBox"[..], b"MediaBox"] {
        let mut node = doc.get_dictionary(page_id).ok();
        let mut depth = 0;
        while let Some(d) = node {
            if let Some(a) = dict_get(doc, d, key).and_then(|o| o.as_array().ok()) {
                if a.len() == 4 {
                    let v: Vec<f64> = a.iter().map(|o| num(deref(doc, o)).unwrap_or(0.0)).collect();
                    return Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])]);
                }
            }
            depth += 1;
            if depth > 32 { break }
            node = d.get(b"Parent").ok().and_then(|o| o.as_reference().ok()).and_then(|id| doc.get_dictionary(id).ok());
        }
    }
    None
}

/// /Rotate, inherited through the page tree.
pub fn page_rotate(doc: &Document, page_id: ObjectId) -> i64 {
    let mut node = doc.get_dictionary(page_id).ok();
    let mut depth = 0;
    while let Some(d) = node {
        if let Some(r) = dict_get(doc, d, b"Rotate").and_then(|o| o.as_i64().ok()) {
            return r;
        }
        depth += 1;
        if depth > 32 { break }
        node = d.get(b"Parent").ok().and_then(|o| o.as_reference().ok()).and_then(|id| doc.get_dictionary(id).ok());
    }
    0
}

/// Walk one page. Errors only for an undecodable content stream.
pub fn walk_page(doc: &Document, page_id: ObjectId) -> Result<PageOut, String> {
    let data = doc.get_page_content_with_limit(page_id, 64 << 20).map_err(|e| e.to_string())?;
    let content = Content::decode(&data).map_err(|e| e.to_string())?;
    let res = page_resources(doc, page_id);
    let mut w = Walker { doc, fonts: vec![], font_ids: HashMap::new(), out: PageOut::default() };
    w.walk(&content.operations, &res, M::I, 0);
    // drop glyphs whose centre lies outside the CropBox (else MediaBox): WPS leaves
    // overflowing spreadsheet text off-page, which viewers and pdftotext do not show
    if let Some([x0, y0, x1, y1]) = page_box(doc, page_id) {
        let before = w.out.glyphs.len();
        w.out.glyphs.retain(|g| {
            let (cx, cy) = ((g.x0 + g.x1) / 2.0, (g.y0 + g.y1) / 2.0);
            cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1
        });
        w.out.stats.offpage_glyphs = before - w.out.glyphs.len();
        // map user space to display space for /Rotate (origin at the displayed page's lower left)
        let rot = page_rotate(doc, page_id).rem_euclid(360);
        let r = match rot {
            90 => Some(M([0.0, -1.0, 1.0, 0.0, -y0, x1])),
            180 => Some(M([-1.0, 0.0, 0.0, -1.0, x1, y1])),
            270 => Some(M([0.0, 1.0, -1.0, 0.0, y1, -x0])),
            _ => None,
        };
        if let Some(r) = r {
            for g in &mut w.out.glyphs {
                let (ax, ay) = r.apply(g.x0, g.y0);
                let (bx, by) = r.apply(g.x1, g.y1);
                (g.x0, g.y0, g.x1, g.y1) = (ax.min(bx), ay.min(by), ax.max(bx), ay.max(by));
            }
            for sg in &mut w.out.segs {
                (sg.x0, sg.y0) = r.apply(sg.x0, sg.y0);
                (sg.x1, sg.y1) = r.apply(sg.x1, sg.y1);
            }
        }
    }
    Ok(w.out)
}

/// Group glyphs into text lines (y-band) and words (x-gap) -- for the demo and for
/// the text used in the overlap measurement.
pub fn layout_text(glyphs: &[Glyph]) -> Vec<(f64, Vec<(f64, String)>)> {
    let mut g: Vec<&Glyph> = glyphs.iter().filter(|g| !g.text.trim().is_empty()).collect();
    g.sort_by(|a, b| (b.y0 + b.y1).partial_cmp(&(a.y0 + a.y1)).unwrap_or(std::cmp::Ordering::Equal));
    let mut lines: Vec<(f64, Vec<&Glyph>)> = Vec::new();
    for gl in g {
        let cy = (gl.y0 + gl.y1) / 2.0;
        match lines.last_mut() {
            Some((y, v)) if (cy - *y).abs() < gl.size.max(1.0) * 0.5 => v.push(gl),
            _ => lines.push((cy, vec![gl])),
        }
    }
    let mut out = Vec::new();
    for (y, mut v) in lines {
        v.sort_by(|a, b| a.x0.partial_cmp(&b.x0).unwrap_or(std::cmp::Ordering::Equal));
        let mut words: Vec<(f64, String)> = Vec::new();
        let mut last_x1 = f64::NEG_INFINITY;
        for gl in v {
            if gl.x0 - last_x1 > gl.size.max(1.0) * 0.3 || words.is_empty() {
                words.push((gl.x0, String::new()));
            }
            words.last_mut().unwrap().1.push_str(&gl.text);
            last_x1 = gl.x1;
        }
        out.push((y, words));
    }
    out
}

/// Axis-aligned ruling lines from painted segments: stroked segments that are
/// horizontal/vertical, plus thin filled rectangles (< 2pt) collapsed to a line.
pub fn rulings(segs: &[Seg]) -> (usize, usize) {
    let (mut h, mut v) = (0, 0);
    let mut i = 0;
    while i < segs.len() {
        let s = segs[i];
        if s.from_rect && !s.stroke && i + 3 < segs.len() {
            // filled rect: 4 consecutive segments
            let xs = [segs[i].x0, segs[i + 1].x0, segs[i + 2].x0, segs[i + 3].x0];
            let ys = [segs[i].y0, segs[i + 1].y0, segs[i + 2].y0, segs[i + 3].y0];
            let w = xs.iter().cloned().fold(f64::MIN, f64::max) - xs.iter().cloned().fold(f64::MAX, f64::min);
            let hh = ys.iter().cloned().fold(f64::MIN, f64::max) - ys.iter().cloned().fold(f64::MAX, f64::min);
            if hh < 2.0 && w >= 2.0 {
                h += 1
            } else if w < 2.0 && hh >= 2.0 {
                v += 1
            }
            i += 4;
            continue;
        }
        if s.stroke || !s.from_rect {
            if (s.y0 - s.y1).abs() < 0.5 && (s.x0 - s.x1).abs() >= 2.0 {
                h += 1
            } else if (s.x0 - s.x1).abs() < 0.5 && (s.y0 - s.y1).abs() >= 2.0 {
                v += 1
            }
        }
        i += 1;
    }
    (h, v)
}

pub fn page_map(doc: &Document) -> BTreeMap<u32, ObjectId> {
    doc.get_pages()
}
