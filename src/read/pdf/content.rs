//! The walk of a page's content stream: positioned glyphs and the ruling lines of tables.
//!
//! Positions are in display space: points from the top left of the page as a viewer shows it
//! (CropBox, `/Rotate` applied). Fonts: Type0 with ToUnicode or a predefined UCS-2 CMap,
//! simple fonts with WinAnsi/Standard encodings and `Differences`, Type3 by its widths.

use std::collections::HashMap;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::cmap::ToUnicode;

/// A 2-D affine transform `[a b c d e f]`, in PDF's row-vector convention (p' = p × M).
#[derive(Clone, Copy, Debug)]
struct Matrix([f64; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn then(&self, o: &Matrix) -> Matrix {
        let (a, b) = (&self.0, &o.0);
        Matrix([
            a[0] * b[0] + a[1] * b[2],
            a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4],
            a[4] * b[1] + a[5] * b[3] + b[5],
        ])
    }

    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.0;
        (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
    }

    fn translate(tx: f64, ty: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn from_operands(op: &Operation) -> Matrix {
        Matrix(std::array::from_fn(|i| operand(op, i)))
    }
}

/// One drawn character with its box in display space.
#[derive(Clone, Debug)]
pub struct Glyph {
    pub text: String,
    pub x0: f64,
    pub top: f64,
    pub x1: f64,
    pub bottom: f64,
    /// The font size as drawn (points).
    pub size: f64,
    /// Whether the baseline runs left to right across the display (else rotated text).
    pub upright: bool,
}

impl Glyph {
    pub fn center(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, (self.top + self.bottom) / 2.0)
    }
}

/// A horizontal or vertical ruling line in display space: a stroked line, a rectangle's edge
/// or a thin filled rectangle (Word, WPS and Excel draw table rules that way).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub horizontal: bool,
    /// y of a horizontal rule, x of a vertical one.
    pub at: f64,
    pub from: f64,
    pub to: f64,
}

/// What one page draws.
#[derive(Default, Debug)]
pub struct Page {
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    /// Images drawn (XObjects and inline images): a page with images and no glyphs is a scan.
    pub images: usize,
    pub height: f64,
    /// Set when the page drew more than [`MAX_OPERATIONS`] and the rest was not read.
    pub truncated: bool,
}

/// Operations run on one page, Form XObjects included: a bound on hostile nesting (a form
/// drawing another a thousand times, ten levels deep).
pub const MAX_OPERATIONS: usize = 5_000_000;
/// Glyphs kept from one page: a string of millions of codes would otherwise fill memory.
pub const MAX_GLYPHS: usize = 1_000_000;
/// Widths read from one font's `W` array (a CID font has at most 65,536 glyphs).
const MAX_WIDTHS: usize = 0x20000;
/// Deepest Form XObject nesting followed.
const MAX_FORM_DEPTH: usize = 12;
/// Thickest filled rectangle read as a rule rather than as shading (points).
const RULE_THICKNESS: f64 = 2.0;

/// Fonts and Form XObjects a document's pages share, decoded once for all of them (a font's
/// ToUnicode CMap is parsed once, not once a page). Keyed by the address of their dictionary
/// or stream in the loaded document, which outlives the cache.
#[derive(Default)]
pub struct Shared {
    fonts: Vec<Font>,
    font_ids: HashMap<usize, usize>,
    forms: HashMap<usize, std::rc::Rc<Vec<Operation>>>,
}

/// Walks the page `id`; `content_limit` bounds its decompressed content.
pub fn walk(
    doc: &Document,
    id: ObjectId,
    content_limit: usize,
    shared: &mut Shared,
) -> Result<Page, String> {
    let data = doc
        .get_page_content_with_limit(id, content_limit)
        .map_err(|e| e.to_string())?;
    let content = Content::decode(&data).map_err(|e| e.to_string())?;
    let (display, crop) = display_space(doc, id);
    let height = crop.1;
    let mut walker = Walker {
        doc,
        shared,
        display,
        page: Page {
            height,
            ..Page::default()
        },
        operations: 0,
    };
    walker.run(
        &content.operations,
        &page_resources(doc, id),
        Matrix::IDENTITY,
        0,
    );
    let mut page = walker.page;
    // WPS leaves overflowing spreadsheet text off the page, where no viewer shows it.
    page.glyphs.retain(|g| {
        let (x, y) = g.center();
        (0.0..=crop.0).contains(&x) && (0.0..=crop.1).contains(&y)
    });
    Ok(page)
}

/// The transform from user space to display space, and the display's width and height.
fn display_space(doc: &Document, id: ObjectId) -> (Matrix, (f64, f64)) {
    let [x0, y0, x1, y1] = page_box(doc, id).unwrap_or([0.0, 0.0, 595.0, 842.0]);
    let rotate = inherited(doc, id, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    let (w, h) = (x1 - x0, y1 - y0);
    let (m, dw, dh) = match rotate {
        90 => (Matrix([0.0, 1.0, 1.0, 0.0, -y0, -x0]), h, w),
        180 => (Matrix([-1.0, 0.0, 0.0, 1.0, x1, -y0]), w, h),
        270 => (Matrix([0.0, -1.0, -1.0, 0.0, y1, x1]), h, w),
        _ => (Matrix([1.0, 0.0, 0.0, -1.0, -x0, y1]), w, h),
    };
    (m, (dw, dh))
}

/// CropBox, else MediaBox, inherited through the page tree, as `[x0 y0 x1 y1]`.
fn page_box(doc: &Document, id: ObjectId) -> Option<[f64; 4]> {
    [&b"CropBox"[..], b"MediaBox"].iter().find_map(|key| {
        let a = inherited(doc, id, key)?.as_array().ok()?;
        let v: Vec<f64> = a.iter().filter_map(|o| number(resolve(doc, o))).collect();
        let [a0, a1, a2, a3] = v[..] else { return None };
        let b = [a0.min(a2), a1.min(a3), a0.max(a2), a1.max(a3)];
        (b[2] - b[0] > 1.0 && b[3] - b[1] > 1.0 && b.iter().all(|c| c.is_finite())).then_some(b)
    })
}

/// A page attribute, looked up through `/Parent` as the page tree inherits it.
fn inherited<'a>(doc: &'a Document, id: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = doc.get_dictionary(id).ok();
    for _ in 0..32 {
        let d = node?;
        if let Some(o) = get(doc, d, key) {
            return Some(o);
        }
        node = d
            .get(b"Parent")
            .and_then(Object::as_reference)
            .ok()
            .and_then(|p| doc.get_dictionary(p).ok());
    }
    None
}

fn page_resources(doc: &Document, id: ObjectId) -> Vec<&Dictionary> {
    match doc.get_page_resources(id) {
        Ok((own, inherited)) => own
            .into_iter()
            .chain(
                inherited
                    .into_iter()
                    .filter_map(|i| doc.get_dictionary(i).ok()),
            )
            .collect(),
        // A broken /Parent chain fails the lookup as a whole: the page's own resources.
        Err(_) => inherited(doc, id, b"Resources")
            .and_then(|o| o.as_dict().ok())
            .into_iter()
            .collect(),
    }
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn number(o: &Object) -> Option<f64> {
    o.as_float().ok().map(f64::from).filter(|f| f.is_finite())
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| resolve(doc, o))
}

fn operand(op: &Operation, i: usize) -> f64 {
    op.operands.get(i).and_then(number).unwrap_or(0.0)
}

/// What a font's codes mean and how wide they are.
struct Font {
    to_unicode: Option<ToUnicode>,
    /// Composite (Type0) font: codes of one to four bytes, widths by CID.
    composite: bool,
    /// A predefined UCS-2/UTF-16 CMap (UniGB-UCS2-H): codes are the text.
    ucs2: bool,
    /// A simple font's code → character table.
    simple: Option<[char; 256]>,
    cid_widths: HashMap<u32, f64>,
    default_width: f64,
    first_char: i64,
    widths: Vec<f64>,
    missing_width: f64,
    /// Glyph space to text space: 1/1000, or a Type3 font's FontMatrix.
    scale: f64,
}

impl Font {
    fn load(doc: &Document, d: &Dictionary) -> Font {
        let name = |k: &[u8]| get(doc, d, k).and_then(|o| o.as_name().ok());
        let subtype = name(b"Subtype").unwrap_or_default();
        let encoding = name(b"Encoding").unwrap_or_default();
        let to_unicode = get(doc, d, b"ToUnicode")
            .and_then(|o| o.as_stream().ok())
            .map(|s| {
                s.decompressed_content()
                    .unwrap_or_else(|_| s.content.clone())
            })
            .map(|data| ToUnicode::parse(&data))
            .filter(|t| !t.is_empty());
        let mut font = Font {
            to_unicode,
            composite: subtype == b"Type0",
            ucs2: encoding.starts_with(b"UniGB-UCS2") || encoding.starts_with(b"UniGB-UTF16"),
            simple: None,
            cid_widths: HashMap::new(),
            default_width: 1000.0,
            first_char: 0,
            widths: Vec::new(),
            missing_width: 500.0,
            scale: 0.001,
        };
        if font.composite {
            font.load_cid_widths(doc, d);
        } else {
            font.load_simple(doc, d, subtype == b"Type3");
        }
        font
    }

    fn load_cid_widths(&mut self, doc: &Document, d: &Dictionary) {
        let Some(descendant) = get(doc, d, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| resolve(doc, o).as_dict().ok())
        else {
            return;
        };
        if let Some(w) = get(doc, descendant, b"DW").and_then(number) {
            self.default_width = w;
        }
        let Some(w) = get(doc, descendant, b"W").and_then(|o| o.as_array().ok()) else {
            return;
        };
        let value = |o: Option<&Object>| o.and_then(|o| number(resolve(doc, o)));
        let mut i = 0;
        let mut budget = MAX_WIDTHS;
        while i < w.len() && budget > 0 {
            let first = value(w.get(i)).unwrap_or(0.0) as u32;
            match w.get(i + 1).map(|o| resolve(doc, o)) {
                Some(Object::Array(list)) => {
                    for (k, v) in list.iter().enumerate().take(0x10000.min(budget)) {
                        budget -= 1;
                        let width = value(Some(v)).unwrap_or(self.default_width);
                        self.cid_widths
                            .insert(first.saturating_add(k as u32), width);
                    }
                    i += 2;
                }
                Some(o) => {
                    let last = number(o).unwrap_or(0.0) as u32;
                    let width = value(w.get(i + 2)).unwrap_or(self.default_width);
                    let span = last
                        .saturating_sub(first)
                        .min(0xFFFF)
                        .min(budget as u32 - 1);
                    for cid in first..=first.saturating_add(span) {
                        self.cid_widths.insert(cid, width);
                    }
                    budget -= span as usize + 1;
                    i += 3;
                }
                None => break,
            }
        }
    }

    fn load_simple(&mut self, doc: &Document, d: &Dictionary, type3: bool) {
        self.first_char = get(doc, d, b"FirstChar").and_then(number).unwrap_or(0.0) as i64;
        if let Some(w) = get(doc, d, b"Widths").and_then(|o| o.as_array().ok()) {
            self.widths = w
                .iter()
                .map(|o| number(resolve(doc, o)).unwrap_or(0.0))
                .collect();
        }
        if let Some(w) = get(doc, d, b"FontDescriptor")
            .and_then(|o| o.as_dict().ok())
            .and_then(|fd| get(doc, fd, b"MissingWidth"))
            .and_then(number)
        {
            self.missing_width = w;
        }
        if type3 {
            if let Some(m) = get(doc, d, b"FontMatrix").and_then(|o| o.as_array().ok()) {
                self.scale = m.first().and_then(number).unwrap_or(0.001);
            }
        }
        let mut table = win_ansi();
        if let Some(Object::Dictionary(enc)) = get(doc, d, b"Encoding") {
            let differences = get(doc, enc, b"Differences").and_then(|o| o.as_array().ok());
            let mut code = 0usize;
            for o in differences.into_iter().flatten() {
                match o {
                    Object::Integer(c) => code = (*c).clamp(0, 255) as usize,
                    Object::Name(n) => {
                        if let (Some(slot), Some(c)) = (table.get_mut(code), glyph_char(n)) {
                            *slot = c;
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
        self.simple = Some(table);
    }

    fn codes(&self, s: &[u8]) -> Vec<(u32, u8)> {
        match (&self.to_unicode, self.composite) {
            (_, false) => s.iter().map(|&b| (u32::from(b), 1)).collect(),
            (Some(map), true) => map.split(s),
            (None, true) => s
                .chunks(2)
                .map(|c| {
                    (
                        c.iter().fold(0, |a, &b| a << 8 | u32::from(b)),
                        c.len() as u8,
                    )
                })
                .collect(),
        }
    }

    fn text(&self, code: u32, len: u8) -> Option<String> {
        if let Some(t) = self.to_unicode.as_ref().and_then(|m| m.get(code, len)) {
            return Some(t.to_string());
        }
        if self.ucs2 {
            return char::from_u32(code).map(String::from);
        }
        let c = self.simple.as_ref()?[(code & 0xFF) as usize];
        (c != char::REPLACEMENT_CHARACTER).then(|| c.to_string())
    }

    fn width(&self, code: u32) -> f64 {
        let w = if self.composite {
            self.cid_widths
                .get(&code)
                .copied()
                .unwrap_or(self.default_width)
        } else {
            usize::try_from(i64::from(code) - self.first_char)
                .ok()
                .and_then(|i| self.widths.get(i).copied())
                .unwrap_or(self.missing_width)
        };
        w * self.scale
    }
}

/// WinAnsiEncoding, which agrees with StandardEncoding on the ASCII letters and figures.
fn win_ansi() -> [char; 256] {
    let mut t = [char::REPLACEMENT_CHARACTER; 256];
    for (i, slot) in t.iter_mut().enumerate() {
        if (0x20..0x7F).contains(&i) || i >= 0xA0 {
            *slot = char::from(i as u8);
        }
    }
    for (k, c) in "€\u{fffd}‚ƒ„…†‡ˆ‰Š‹Œ\u{fffd}Ž\u{fffd}\u{fffd}‘’“”•–—˜™š›œ\u{fffd}žŸ"
        .chars()
        .enumerate()
    {
        t[0x80 + k] = c;
    }
    t
}

/// The character a glyph name stands for: `uniXXXX`, or an ASCII name of the standard set.
fn glyph_char(name: &[u8]) -> Option<char> {
    const ASCII: [&str; 95] = [
        "space",
        "exclam",
        "quotedbl",
        "numbersign",
        "dollar",
        "percent",
        "ampersand",
        "quotesingle",
        "parenleft",
        "parenright",
        "asterisk",
        "plus",
        "comma",
        "hyphen",
        "period",
        "slash",
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "colon",
        "semicolon",
        "less",
        "equal",
        "greater",
        "question",
        "at",
        "A",
        "B",
        "C",
        "D",
        "E",
        "F",
        "G",
        "H",
        "I",
        "J",
        "K",
        "L",
        "M",
        "N",
        "O",
        "P",
        "Q",
        "R",
        "S",
        "T",
        "U",
        "V",
        "W",
        "X",
        "Y",
        "Z",
        "bracketleft",
        "backslash",
        "bracketright",
        "asciicircum",
        "underscore",
        "grave",
        "a",
        "b",
        "c",
        "d",
        "e",
        "f",
        "g",
        "h",
        "i",
        "j",
        "k",
        "l",
        "m",
        "n",
        "o",
        "p",
        "q",
        "r",
        "s",
        "t",
        "u",
        "v",
        "w",
        "x",
        "y",
        "z",
        "braceleft",
        "bar",
        "braceright",
        "asciitilde",
    ];
    let name = std::str::from_utf8(name).ok()?;
    if let Some(hex) = name.strip_prefix("uni").filter(|h| h.len() == 4) {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    ASCII
        .iter()
        .position(|&n| n == name)
        .map(|i| char::from(0x20 + i as u8))
}

#[derive(Clone)]
struct State {
    ctm: Matrix,
    char_spacing: f64,
    word_spacing: f64,
    horizontal_scale: f64,
    leading: f64,
    rise: f64,
    font: Option<usize>,
    size: f64,
    /// The clipping region's bounding box in display space (x0, top, x1, bottom), if clipped.
    clip: Option<[f64; 4]>,
}

impl State {
    fn shows(&self, (x, y): (f64, f64)) -> bool {
        self.clip.is_none_or(|[x0, t, x1, b]| {
            (x0 - 1.0..=x1 + 1.0).contains(&x) && (t - 1.0..=b + 1.0).contains(&y)
        })
    }

    /// Narrows the clip to the bounding box of `path` (a superset of the true region, so
    /// nothing visible is lost).
    fn clip_to(&mut self, path: &[Vec<Segment>]) {
        let points = path.iter().flatten().flat_map(|s| [s.a, s.b]);
        let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for (x, y) in points {
            b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
        if b[0] > b[2] {
            return;
        }
        self.clip = Some(match self.clip {
            Some(c) => [
                c[0].max(b[0]),
                c[1].max(b[1]),
                c[2].min(b[2]),
                c[3].min(b[3]),
            ],
            None => b,
        });
    }
}

struct Walker<'a, 's> {
    doc: &'a Document,
    shared: &'s mut Shared,
    display: Matrix,
    page: Page,
    operations: usize,
}

/// A path segment in display space, kept until the paint operator decides its fate.
#[derive(Clone, Copy)]
struct Segment {
    a: (f64, f64),
    b: (f64, f64),
}

fn subdictionaries<'a>(
    doc: &'a Document,
    res: &[&'a Dictionary],
    key: &[u8],
) -> Vec<&'a Dictionary> {
    res.iter()
        .filter_map(|r| get(doc, r, key).and_then(|o| o.as_dict().ok()))
        .collect()
}

impl<'a> Walker<'a, '_> {
    fn font(&mut self, res: &[&'a Dictionary], name: &[u8]) -> Option<usize> {
        let doc = self.doc;
        let d = subdictionaries(doc, res, b"Font")
            .into_iter()
            .find_map(|fonts| get(doc, fonts, name).and_then(|o| o.as_dict().ok()))?;
        let key = d as *const Dictionary as usize;
        let shared = &mut *self.shared;
        Some(*shared.font_ids.entry(key).or_insert_with(|| {
            shared.fonts.push(Font::load(doc, d));
            shared.fonts.len() - 1
        }))
    }

    fn run(&mut self, ops: &[Operation], res: &[&'a Dictionary], base: Matrix, depth: usize) {
        let mut gs = State {
            ctm: base,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            font: None,
            size: 0.0,
            clip: None,
        };
        let mut clipping = false;
        let mut saved: Vec<State> = Vec::new();
        let (mut tm, mut line) = (Matrix::IDENTITY, Matrix::IDENTITY);
        // The current path as subpaths (each `m` or `re` starts one).
        let mut path: Vec<Vec<Segment>> = Vec::new();
        let (mut current, mut start) = ((0.0, 0.0), (0.0, 0.0));
        let display = self.display;
        for op in ops {
            self.operations += 1;
            if self.operations > MAX_OPERATIONS {
                self.page.truncated = true;
                return;
            }
            let device = |gs: &State, x, y| gs.ctm.then(&display).apply(x, y);
            match op.operator.as_str() {
                "q" if saved.len() < 256 => saved.push(gs.clone()),
                "Q" => gs = saved.pop().unwrap_or(gs),
                "cm" => gs.ctm = Matrix::from_operands(op).then(&gs.ctm),
                "BT" => (tm, line) = (Matrix::IDENTITY, Matrix::IDENTITY),
                "Tf" => {
                    gs.size = operand(op, 1);
                    gs.font = op
                        .operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|n| self.font(res, n));
                }
                "Tc" => gs.char_spacing = operand(op, 0),
                "Tw" => gs.word_spacing = operand(op, 0),
                "Tz" => gs.horizontal_scale = operand(op, 0) / 100.0,
                "TL" => gs.leading = operand(op, 0),
                "Ts" => gs.rise = operand(op, 0),
                "Td" | "TD" => {
                    if op.operator == "TD" {
                        gs.leading = -operand(op, 1);
                    }
                    line = Matrix::translate(operand(op, 0), operand(op, 1)).then(&line);
                    tm = line;
                }
                "Tm" => (tm, line) = (Matrix::from_operands(op), Matrix::from_operands(op)),
                "T*" => {
                    line = Matrix::translate(0.0, -gs.leading).then(&line);
                    tm = line;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator == "\"" {
                        gs.word_spacing = operand(op, 0);
                        gs.char_spacing = operand(op, 1);
                    }
                    if op.operator == "'" || op.operator == "\"" {
                        line = Matrix::translate(0.0, -gs.leading).then(&line);
                        tm = line;
                    }
                    let shown: &[Object] = match op.operator.as_str() {
                        "TJ" => op
                            .operands
                            .first()
                            .and_then(|o| o.as_array().ok())
                            .map_or(&[], Vec::as_slice),
                        "\"" => op.operands.get(2..3).unwrap_or(&[]),
                        _ => op.operands.get(..1).unwrap_or(&[]),
                    };
                    for item in shown {
                        match item {
                            Object::String(s, _) => self.show(s, &gs, &mut tm),
                            o => {
                                let adjust = number(o).unwrap_or(0.0);
                                let tx = -adjust / 1000.0 * gs.size * gs.horizontal_scale;
                                tm = Matrix::translate(tx, 0.0).then(&tm);
                            }
                        }
                    }
                }
                "m" => {
                    current = device(&gs, operand(op, 0), operand(op, 1));
                    start = current;
                    path.push(Vec::new());
                }
                "l" => {
                    let p = device(&gs, operand(op, 0), operand(op, 1));
                    if path.is_empty() {
                        path.push(Vec::new());
                    }
                    path.last_mut()
                        .into_iter()
                        .for_each(|sub| sub.push(Segment { a: current, b: p }));
                    current = p;
                }
                "c" | "v" | "y" => {
                    let n = op.operands.len();
                    if n >= 2 {
                        current = device(&gs, operand(op, n - 2), operand(op, n - 1));
                    }
                }
                "re" => {
                    let (x, y, w, h) = (
                        operand(op, 0),
                        operand(op, 1),
                        operand(op, 2),
                        operand(op, 3),
                    );
                    let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)];
                    let edges = corners.windows(2).map(|c| Segment {
                        a: device(&gs, c[0].0, c[0].1),
                        b: device(&gs, c[1].0, c[1].1),
                    });
                    path.push(edges.collect());
                    current = device(&gs, x, y);
                    start = current;
                }
                "h" => {
                    if let Some(sub) = path.last_mut() {
                        sub.push(Segment {
                            a: current,
                            b: start,
                        });
                    }
                    current = start;
                }
                "W" | "W*" => clipping = true,
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" | "n" => {
                    let path = std::mem::take(&mut path);
                    if std::mem::take(&mut clipping) {
                        gs.clip_to(&path);
                    }
                    if op.operator != "n" {
                        let stroked =
                            matches!(op.operator.as_str(), "S" | "s" | "B" | "B*" | "b" | "b*");
                        self.paint(&path, stroked, &gs);
                    }
                }
                "BI" | "ID" => self.page.images += 1,
                "Do" => {
                    if let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) {
                        self.draw_object(res, name, &gs, depth);
                    }
                }
                _ => {}
            }
        }
    }

    /// Keeps the axis-aligned rules of a painted path: a thin subpath (a filled or stroked
    /// rectangle or polygon under 2 pt across: Word, WPS and Excel draw table rules so) as one
    /// rule along its length; otherwise the axis-aligned segments of a stroked path.
    fn paint(&mut self, path: &[Vec<Segment>], stroked: bool, gs: &State) {
        let before = self.page.rules.len();
        for sub in path.iter().filter(|s| !s.is_empty()) {
            let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            for (x, y) in sub.iter().flat_map(|s| [s.a, s.b]) {
                b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            }
            let (w, h) = (b[2] - b[0], b[3] - b[1]);
            if h < RULE_THICKNESS && w >= RULE_THICKNESS {
                self.add_rule(true, (b[1] + b[3]) / 2.0, b[0], b[2]);
            } else if w < RULE_THICKNESS && h >= RULE_THICKNESS {
                self.add_rule(false, (b[0] + b[2]) / 2.0, b[1], b[3]);
            } else if stroked {
                for edge in sub {
                    self.add_segment(*edge);
                }
            }
        }
        if gs.clip.is_some() {
            let painted = self.page.rules.split_off(before);
            self.page.rules.extend(painted.into_iter().filter(|r| {
                let middle = (r.from + r.to) / 2.0;
                gs.shows(if r.horizontal {
                    (middle, r.at)
                } else {
                    (r.at, middle)
                })
            }));
        }
    }

    fn add_segment(&mut self, s: Segment) {
        let ((x0, y0), (x1, y1)) = (s.a, s.b);
        if (y0 - y1).abs() < 0.5 && (x0 - x1).abs() >= 1.0 {
            self.add_rule(true, (y0 + y1) / 2.0, x0.min(x1), x0.max(x1));
        } else if (x0 - x1).abs() < 0.5 && (y0 - y1).abs() >= 1.0 {
            self.add_rule(false, (x0 + x1) / 2.0, y0.min(y1), y0.max(y1));
        }
    }

    fn add_rule(&mut self, horizontal: bool, at: f64, from: f64, to: f64) {
        if [at, from, to].iter().all(|v| v.is_finite()) {
            self.page.rules.push(Rule {
                horizontal,
                at,
                from,
                to,
            });
        }
    }

    fn draw_object(&mut self, res: &[&'a Dictionary], name: &[u8], gs: &State, depth: usize) {
        let doc = self.doc;
        let Some(stream) = subdictionaries(doc, res, b"XObject")
            .into_iter()
            .find_map(|x| get(doc, x, name).and_then(|o| o.as_stream().ok()))
        else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => self.page.images += 1,
            Ok(b"Form") if depth < MAX_FORM_DEPTH => {
                let matrix = get(doc, &stream.dict, b"Matrix")
                    .and_then(|o| o.as_array().ok())
                    .filter(|a| a.len() == 6)
                    .map(|a| Matrix(std::array::from_fn(|i| number(&a[i]).unwrap_or(0.0))))
                    .unwrap_or(Matrix::IDENTITY);
                let key = stream as *const lopdf::Stream as usize;
                let operations = match self.shared.forms.get(&key) {
                    Some(ops) => ops.clone(),
                    None => {
                        let data = stream
                            .decompressed_content()
                            .unwrap_or_else(|_| stream.content.clone());
                        let ops = std::rc::Rc::new(
                            Content::decode(&data)
                                .map(|c| c.operations)
                                .unwrap_or_default(),
                        );
                        self.shared.forms.insert(key, ops.clone());
                        ops
                    }
                };
                let mut inner: Vec<&'a Dictionary> = get(doc, &stream.dict, b"Resources")
                    .and_then(|o| o.as_dict().ok())
                    .into_iter()
                    .collect();
                inner.extend_from_slice(res);
                self.run(&operations, &inner, matrix.then(&gs.ctm), depth + 1);
            }
            _ => {}
        }
    }

    fn show(&mut self, s: &[u8], gs: &State, tm: &mut Matrix) {
        let Some(font) = gs.font.and_then(|i| self.shared.fonts.get(i)) else {
            return;
        };
        for (code, len) in font.codes(s) {
            if self.page.glyphs.len() >= MAX_GLYPHS {
                self.page.truncated = true;
                return;
            }
            let advance = font.width(code);
            let to_display = tm.then(&gs.ctm).then(&self.display);
            let (ax, ay) = to_display.apply(0.0, gs.rise - 0.2 * gs.size);
            let (bx, by) = to_display.apply(
                advance * gs.size * gs.horizontal_scale,
                gs.rise + 0.8 * gs.size,
            );
            let m = &to_display.0;
            let size = gs.size * (m[2] * m[2] + m[3] * m[3]).sqrt();
            let text = font.text(code, len).unwrap_or_else(|| "\u{fffd}".into());
            let center = ((ax + bx) / 2.0, (ay + by) / 2.0);
            if gs.shows(center) {
                self.page.glyphs.push(Glyph {
                    text,
                    x0: ax.min(bx),
                    top: ay.min(by),
                    x1: ax.max(bx),
                    bottom: ay.max(by),
                    size,
                    upright: m[0] > 0.0 && m[1].abs() < m[0].abs() * 0.1,
                });
            }
            let word = if len == 1 && code == 32 {
                gs.word_spacing
            } else {
                0.0
            };
            let tx = (advance * gs.size + gs.char_spacing + word) * gs.horizontal_scale;
            *tm = Matrix::translate(tx, 0.0).then(tm);
        }
    }
}
