//! Numbers as Chinese reports write them: `1,482.43`, `８２，２２５.００`, `1.82亿元`, `≥580万人`,
//! `94.97%`, `16.89万余人`, `1-2分`, `一百二十`, `两个亿` — exact [`Decimal`]s with their raw text.
//!
//! [`scan`] finds every figure in a piece of text; [`parse_cell`] reads a table cell, where a
//! lone `-`/`—` means "no value". Values are never floats. A figure keeps the number as written
//! (`value`, with its `scale`, the decimals as written) and, separately, the magnitude its unit
//! implies (`万元` → ×10 000 元), so rounding-aware checks can work on what was written.

use std::borrow::Cow;
use std::sync::LazyLock;

use rust_decimal::Decimal;
use serde::Serialize;

/// One figure found in text.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Number {
    /// The text as written, from the comparator to the unit (`≥ 15万个`, `1，482.43`).
    pub raw: String,
    /// The number as written, without magnitude (`580` for `580万人`).
    #[serde(serialize_with = "crate::decimal::serialize")]
    #[schemars(with = "String")]
    pub value: Decimal,
    /// Decimal places as written (`2` for `1,482.43`, `0` for `45%`).
    pub scale: u32,
    /// Unit as written after the number, magnitude included (`万元`, `万人`, `%`, `分`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Cow<'static, str>>,
    /// What the figure measures, from its unit.
    pub kind: Kind,
    /// Multiplier of a magnitude word (万 → 10000, 亿 → 100000000, 千 → 1000), if any.
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_decimal")]
    #[schemars(with = "Option<String>")]
    pub magnitude: Option<Decimal>,
    /// `value × magnitude` in `base_unit` (`5800000` 人 for `580万人`, `182000000` 元 for `1.82亿元`).
    #[serde(serialize_with = "crate::decimal::serialize")]
    #[schemars(with = "String")]
    pub base_value: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_unit: Option<&'static str>,
    /// A comparator from a symbol or word (`≥`, `不低于`, `以上` …), normalized.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparator: Option<Comparator>,
    /// Qualifiers as written (`约`, `余`, `多`, `左右`, `满分`, `得`, `计`, `扣`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<&'static str>,
    /// Upper end of a range (`2` for `1-2分`); `value` is the lower end.
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_decimal")]
    #[schemars(with = "Option<String>")]
    pub upper: Option<Decimal>,
    /// Character offsets of `raw` in the scanned text (start inclusive, end exclusive).
    pub span: (usize, usize),
}

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Money: 元, 万元, 亿元, 千元.
    Money,
    /// A percentage or per-mille.
    Percent,
    /// A count with a counting unit (人, 户, 个 …) or a physical quantity (公里, 亩 …).
    Count,
    /// Points of a score (分).
    Score,
    /// A year (`2021年`) or a date part (`6月`, `15日`).
    Date,
    /// A number with no unit.
    Plain,
}

/// A comparison a target states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum Comparator {
    #[serde(rename = "≥")]
    Ge,
    #[serde(rename = "≤")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "≈")]
    Approx,
}

mod opt_decimal {
    use rust_decimal::Decimal;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => s.serialize_str(&crate::decimal::text(&d.normalize())),
            None => s.serialize_none(),
        }
    }
}

/// What a table cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Nothing but white space.
    Empty,
    /// A dash or slash standing for "no value" (`-`, `—`, `/`, `——`).
    NoValue,
    /// Exactly one figure, nothing else but white space.
    Number(Number),
    /// Anything else (figures inside it are found with [`scan`]).
    Text,
}

/// Units that may follow a number, longest first so that `万元` wins over `万`.
const UNITS: &[(&str, Kind)] = &[
    ("平方公里", Kind::Count),
    ("平方米", Kind::Count),
    ("立方米", Kind::Count),
    ("万亿元", Kind::Money),
    ("亿元", Kind::Money),
    ("万元", Kind::Money),
    ("千元", Kind::Money),
    ("元", Kind::Money),
    ("场次", Kind::Count),
    ("人次", Kind::Count),
    ("批次", Kind::Count),
    ("户次", Kind::Count),
    ("公里", Kind::Count),
    ("千米", Kind::Count),
    ("公顷", Kind::Count),
    ("个月", Kind::Count),
    ("%", Kind::Percent),
    ("‰", Kind::Percent),
    ("人", Kind::Count),
    ("户", Kind::Count),
    ("个", Kind::Count),
    ("支", Kind::Count),
    ("处", Kind::Count),
    ("座", Kind::Count),
    ("家", Kind::Count),
    ("篇", Kind::Count),
    ("亩", Kind::Count),
    ("头", Kind::Count),
    ("只", Kind::Count),
    ("场", Kind::Count),
    ("套", Kind::Count),
    ("项", Kind::Count),
    ("次", Kind::Count),
    ("名", Kind::Count),
    ("所", Kind::Count),
    ("间", Kind::Count),
    ("辆", Kind::Count),
    ("台", Kind::Count),
    ("吨", Kind::Count),
    ("天", Kind::Count),
    ("条", Kind::Count),
    ("村", Kind::Count),
    ("类", Kind::Count),
    ("批", Kind::Count),
    ("份", Kind::Count),
    ("件", Kind::Count),
    ("株", Kind::Count),
    ("米", Kind::Count),
    ("期", Kind::Count),
    ("分", Kind::Score),
    ("年度", Kind::Date),
    ("年", Kind::Date),
    ("月", Kind::Date),
    ("日", Kind::Date),
];

/// Characters after `分` that make it part of a word (`分钟`, `分配`, `分析` …), not points.
const NOT_POINTS_AFTER: &str = "钟之配别析类布成支局批期档段项解散担享工管值数";

/// Magnitude words between a number and its unit, longest first.
const MAGNITUDES: &[(&str, u64)] = &[
    ("万亿", 1_000_000_000_000),
    ("亿", 100_000_000),
    ("万", 10_000),
];

/// Comparators written before a number, longest first, with their meaning.
const COMPARATORS_BEFORE: &[(&str, Comparator)] = &[
    ("大于等于", Comparator::Ge),
    ("小于等于", Comparator::Le),
    ("不低于", Comparator::Ge),
    ("不少于", Comparator::Ge),
    ("不小于", Comparator::Ge),
    ("不高于", Comparator::Le),
    ("不超过", Comparator::Le),
    ("不大于", Comparator::Le),
    ("大约", Comparator::Approx),
    ("达到", Comparator::Ge),
    ("高于", Comparator::Gt),
    ("超过", Comparator::Gt),
    ("大于", Comparator::Gt),
    ("低于", Comparator::Lt),
    ("少于", Comparator::Lt),
    ("小于", Comparator::Lt),
    (">=", Comparator::Ge),
    ("<=", Comparator::Le),
    ("≥", Comparator::Ge),
    ("≤", Comparator::Le),
    (">", Comparator::Gt),
    ("<", Comparator::Lt),
    ("＞", Comparator::Gt),
    ("＜", Comparator::Lt),
    ("=", Comparator::Eq),
    ("＝", Comparator::Eq),
    ("约", Comparator::Approx),
];

/// Score words written before a number (`满分20分`, `得20分`, `计1分`, `扣0.5分`).
const SCORE_WORDS: &[&str] = &["满分", "得分", "得", "计", "扣"];

/// Qualifiers and comparators written after the unit.
const AFTER: &[(&str, Option<Comparator>)] = &[
    ("以上", Some(Comparator::Ge)),
    ("以下", Some(Comparator::Le)),
    ("以内", Some(Comparator::Le)),
    ("左右", Some(Comparator::Approx)),
];

/// Maps full-width digits and punctuation to ASCII, one char for one char, so that offsets
/// into the result are offsets into the input. A full-width comma becomes a thousands
/// separator only between a digit and exactly three digits.
fn fold(chars: &[char]) -> Vec<char> {
    let mut out: Vec<char> = chars
        .iter()
        .map(|&c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            '－' => '-',
            '\u{a0}' | '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    for i in 1..out.len() {
        if chars[i] == '，' && out[i - 1].is_ascii_digit() {
            let next3 = out
                .get(i + 1..i + 4)
                .is_some_and(|s| s.iter().all(char::is_ascii_digit));
            let then = out.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
            if next3 && then {
                out[i] = ',';
            }
        }
    }
    out
}

fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    (at..)
        .zip(word.chars())
        .all(|(i, w)| chars.get(i) == Some(&w))
}

fn ends_with_at(chars: &[char], end: usize, word: &str) -> bool {
    let n = word.chars().count();
    end >= n && starts_with_at(chars, end - n, word)
}

/// A word list ([`UNITS`], [`COMPARATORS_BEFORE`]) indexed by the character a match is tested
/// from, so that a lookup compares only the words that can match there: trying every unit in
/// turn was a tenth of the scanner's instructions.
struct Words<T: 'static> {
    /// Indexed by the last character, for words that end where a lookup stands.
    from_end: bool,
    /// The key character of each entry of `entries`, sorted.
    keys: Vec<char>,
    /// Each word as characters, as written, and its value; in list order among equal keys.
    entries: Vec<(Box<[char]>, &'static str, T)>,
}

impl<T: Copy> Words<T> {
    fn new(list: &[(&'static str, T)], from_end: bool) -> Self {
        debug_assert!(list.iter().all(|(word, _)| !word.is_empty()));
        let key = |w: &[char]| {
            let c = if from_end { w.last() } else { w.first() };
            c.copied().unwrap_or_default()
        };
        let mut entries: Vec<(Box<[char]>, &'static str, T)> = list
            .iter()
            .map(|&(word, value)| (word.chars().collect(), word, value))
            .collect();
        // Stable: among words with the same key, the list's longest-first order is kept.
        entries.sort_by_key(|e| key(&e.0));
        let keys = entries.iter().map(|e| key(&e.0)).collect();
        Words {
            from_end,
            keys,
            entries,
        }
    }

    /// The words written at `at` (starting there, or ending there for a list indexed from the
    /// end) in list order: each word, its length in characters and its value.
    fn at<'a>(
        &'a self,
        chars: &'a [char],
        at: usize,
    ) -> impl Iterator<Item = (&'static str, usize, T)> + 'a {
        let key = if self.from_end {
            at.checked_sub(1).and_then(|k| chars.get(k))
        } else {
            chars.get(at)
        };
        let first = key.map_or(self.keys.len(), |c| self.keys.partition_point(|k| k < c));
        self.entries[first..]
            .iter()
            .zip(&self.keys[first..])
            .take_while(move |(_, k)| Some(*k) == key)
            .filter(move |((word, ..), _)| {
                let start = if self.from_end {
                    at.checked_sub(word.len())
                } else {
                    Some(at)
                };
                start
                    .and_then(|s| chars.get(s..s + word.len()))
                    .is_some_and(|written| written == &word[..])
            })
            .map(|((word, text, value), _)| (*text, word.len(), *value))
    }
}

static UNIT_WORDS: LazyLock<Words<Kind>> = LazyLock::new(|| Words::new(UNITS, false));
static COMPARATOR_WORDS: LazyLock<Words<Comparator>> =
    LazyLock::new(|| Words::new(COMPARATORS_BEFORE, true));

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| *c == ' ') {
        i += 1;
    }
    i
}

/// Reads an Arabic number at `i`: digits with optional 3-digit comma groups and decimals.
/// Returns the end offset and the digits read, without separators.
fn arabic(chars: &[char], i: usize) -> Option<(usize, Digits)> {
    let mut j = i;
    let mut digits = Digits::default();
    while let Some(d) = chars.get(j).and_then(|c| c.to_digit(10)) {
        digits.push(d);
        j += 1;
    }
    if j == i {
        return None;
    }
    // Thousands groups: only when the integer part is 1-3 digits and every group has 3.
    if j - i <= 3 {
        while chars.get(j) == Some(&',')
            && chars
                .get(j + 1..j + 4)
                .is_some_and(|s| s.iter().all(char::is_ascii_digit))
            && chars.get(j + 4).is_none_or(|c| !c.is_ascii_digit())
        {
            for c in &chars[j + 1..j + 4] {
                digits.push(c.to_digit(10).unwrap_or_default());
            }
            j += 4;
        }
    }
    if chars.get(j) == Some(&'.') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
        digits.point();
        j += 1;
        while let Some(d) = chars.get(j).and_then(|c| c.to_digit(10)) {
            digits.push(d);
            j += 1;
        }
    }
    Some((j, digits))
}

/// Most integer digits and decimals a figure may have. Longer digit runs are identifiers
/// (account numbers, codes), and the bounds keep every sum, product and quotient the checks
/// compute inside `Decimal`'s range.
pub(crate) const MAX_INTEGER_DIGITS: usize = 15;
pub(crate) const MAX_DECIMALS: usize = 10;

/// The digits of a number as they are read, accumulated into its exact value (no string is
/// built and parsed: the scanner reads hundreds of figures per document).
#[derive(Default)]
struct Digits {
    mantissa: u128,
    /// Integer digits after the leading zeros.
    significant: usize,
    decimals: usize,
    point: bool,
    /// More digits than [`MAX_INTEGER_DIGITS`] or [`MAX_DECIMALS`] allow.
    too_long: bool,
}

impl Digits {
    fn push(&mut self, digit: u32) {
        if self.point {
            self.decimals += 1;
        } else if self.significant > 0 || digit != 0 {
            self.significant += 1;
        }
        self.too_long |= self.significant > MAX_INTEGER_DIGITS || self.decimals > MAX_DECIMALS;
        if !self.too_long {
            self.mantissa = self.mantissa * 10 + u128::from(digit);
        }
    }

    fn point(&mut self) {
        self.point = true;
    }

    /// The value and its decimal places as written; `None` when there are too many digits.
    fn value(&self) -> Option<(Decimal, u32)> {
        if self.too_long {
            return None;
        }
        let scale = self.decimals as u32;
        Some((
            Decimal::from_i128_with_scale(self.mantissa as i128, scale),
            scale,
        ))
    }
}

/// Whether the number at `start..end` is a list marker such as `1、`, `（2）` or `3.` + text.
fn is_marker(chars: &[char], start: usize, end: usize) -> bool {
    let next = chars.get(end).copied();
    let prev = start.checked_sub(1).and_then(|p| chars.get(p)).copied();
    let at_line_start = chars[..start]
        .iter()
        .rev()
        .take_while(|c| **c != '\n')
        .all(|c| c.is_whitespace())
        || prev.is_some_and(|p| matches!(p, '：' | ':' | '；' | ';' | '。' | '\n'));
    let paren = prev.is_some_and(|p| p == '（' || p == '(')
        && next.is_some_and(|n| n == '）' || n == ')')
        && end - start <= 2;
    let enumerator = next == Some('、') && end - start <= 3;
    let dotted = at_line_start
        && next == Some('.')
        && !chars.get(end + 1).is_some_and(char::is_ascii_digit)
        && end - start <= 2;
    paren || enumerator || dotted
}

/// Finds every figure in `text`, Arabic and Chinese numerals alike, in order. List markers
/// (`1、`, `（2）`, `3.`) are not figures; digits inside identifiers (`11433100MB1E34539C`) are
/// skipped.
pub fn scan(text: &str) -> Vec<Number> {
    // Most label cells hold no digit at all: skip the per-character copies for them.
    if !may_hold_figure(text) {
        return Vec::new();
    }
    let original: Vec<char> = text.chars().collect();
    scan_chars(&original)
}

/// Whether `text` has a character a figure can start with; [`scan`] finds nothing otherwise.
pub(crate) fn may_hold_figure(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_ascii_digit() || ('０'..='９').contains(&c) || c == '十' || chinese_digit(c).is_some()
    })
}

/// [`scan`] over text already split into characters, for callers that need them too.
pub(crate) fn scan_chars(original: &[char]) -> Vec<Number> {
    let chars = fold(original);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev_alnum = i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '.');
        if c.is_ascii_digit() && !prev_alnum {
            match figure_at(&chars, i) {
                Some(mut n) => {
                    let (s, e) = n.span;
                    n.raw = original[s..e].iter().collect();
                    i = e.max(i + 1);
                    out.push(n);
                }
                None => {
                    // Skip the rest of this token (an identifier, a marker).
                    while chars
                        .get(i)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == ',')
                    {
                        i += 1;
                    }
                }
            }
        } else if chinese_digit(c).is_some() || c == '十' {
            match chinese_figure_at(&chars, i) {
                Some((mut n, end)) => {
                    n.raw = original[n.span.0..n.span.1].iter().collect();
                    out.push(n);
                    i = end;
                }
                None => {
                    while chars
                        .get(i)
                        .is_some_and(|&c| chinese_digit(c).is_some() || chinese_unit(c).is_some())
                    {
                        i += 1;
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Reads the figure whose first digit is at `i` (comparator before it, unit after it).
fn figure_at(chars: &[char], i: usize) -> Option<Number> {
    let (mut end, digits) = arabic(chars, i)?;
    if chars
        .get(end)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == '_')
    {
        return None;
    }
    if is_marker(chars, i, end) {
        return None;
    }
    let (value, scale) = digits.value()?;
    let mut start = i;
    let mut negative = false;
    if i > 0 && chars[i - 1] == '-' && (i < 2 || !chars[i - 2].is_ascii_digit()) {
        negative = true;
        start = i - 1;
    }
    // A range `1-2分`, `0.5～1分`.
    let mut upper = None;
    let after = skip_spaces(chars, end);
    if chars
        .get(after)
        .is_some_and(|c| matches!(c, '-' | '~' | '～' | '—' | '–' | '至' | '到'))
    {
        let u = skip_spaces(chars, after + 1);
        if let Some((u_end, u_digits)) = arabic(chars, u) {
            if let Some((u_value, _)) = u_digits.value() {
                upper = Some(u_value);
                end = u_end;
            }
        }
    }
    let mut n = suffix(chars, end, value, scale);
    n.upper = upper;
    if negative {
        n.value = -n.value;
        n.base_value = -n.base_value;
    }
    // Comparators and score words written before the number.
    let before = skip_back_spaces(chars, start);
    if let Some((word, len, cmp)) = COMPARATOR_WORDS.at(chars, before).next() {
        n.comparator = Some(cmp);
        if cmp == Comparator::Approx {
            n.qualifiers.insert(0, word);
        }
        start = before - len;
    } else if let Some(word) = SCORE_WORDS.iter().find(|w| ends_with_at(chars, before, w)) {
        if n.kind == Kind::Score {
            n.qualifiers.insert(0, word);
        }
    }
    n.span = (start, n.span.1);
    Some(n)
}

fn skip_back_spaces(chars: &[char], mut i: usize) -> usize {
    while i > 0 && chars[i - 1] == ' ' {
        i -= 1;
    }
    i
}

impl Number {
    /// A figure without unit, magnitude, comparator or qualifier.
    fn plain(raw: String, value: Decimal, scale: u32, span: (usize, usize)) -> Number {
        Number {
            raw,
            value,
            scale,
            unit: None,
            kind: Kind::Plain,
            magnitude: None,
            base_value: value,
            base_unit: None,
            comparator: None,
            qualifiers: Vec::new(),
            upper: None,
            span,
        }
    }
}

/// Reads magnitude, qualifiers and unit after a number ending at `end`.
fn suffix(chars: &[char], end: usize, value: Decimal, scale: u32) -> Number {
    let mut n = Number::plain(String::new(), value, scale, (end, end));
    let mut j = skip_spaces(chars, end);
    // The magnitude word and the unit word, when written: `万` and `人` in `580万人`.
    let mut magnitude_word = None;
    let mut unit_word = None;
    // 个 between the number and a magnitude: `两个亿`.
    if chars.get(j) == Some(&'个')
        && MAGNITUDES
            .iter()
            .any(|(m, _)| starts_with_at(chars, j + 1, m))
    {
        j += 1;
    }
    if let Some((word, mult)) = MAGNITUDES.iter().find(|(m, _)| starts_with_at(chars, j, m)) {
        // 万元/亿元 are units of their own; 万人, 万个 … are magnitude + unit.
        n.magnitude = Some(Decimal::from(*mult));
        magnitude_word = Some(*word);
        j += word.chars().count();
    }
    for q in ["余", "多"] {
        if starts_with_at(chars, j, q) {
            n.qualifiers.push(q);
            // `2万余人` is more than 20 000 people: at least the figure written.
            n.comparator.get_or_insert(Comparator::Ge);
            j += 1;
        }
    }
    if let Some((u, len, kind)) = UNIT_WORDS.at(chars, j).next() {
        let after = j + len;
        let points_word = u == "分"
            && chars
                .get(after)
                .is_some_and(|c| NOT_POINTS_AFTER.chars().any(|x| x == *c));
        if !points_word {
            n.kind = kind;
            n.base_unit = Some(base_unit(u));
            if let Some(m) = unit_multiplier(u) {
                n.magnitude = n
                    .magnitude
                    .unwrap_or(Decimal::ONE)
                    .checked_mul(Decimal::from(m));
            }
            unit_word = Some(u);
            j = after;
        }
    }
    // Nothing after the number: the spaces after it are not part of the figure.
    if magnitude_word.is_none()
        && unit_word.is_none()
        && n.qualifiers.is_empty()
        && j == skip_spaces(chars, end)
    {
        j = end;
    }
    for (word, cmp) in AFTER {
        if starts_with_at(chars, j, word) {
            if let Some(cmp) = cmp {
                n.comparator = Some(*cmp);
            }
            n.qualifiers.push(word);
            j += word.chars().count();
            break;
        }
    }
    // Borrowed from the word lists unless a magnitude and a unit are joined.
    n.unit = match (magnitude_word, unit_word) {
        (Some(m), Some(u)) => Some(Cow::Owned([m, u].concat())),
        (Some(word), None) | (None, Some(word)) => Some(Cow::Borrowed(word)),
        (None, None) => None,
    };
    // A value too large for a decimal once its magnitude is applied (`22222222222222亿亿元`,
    // found by fuzzing) keeps its written value and loses the magnitude rather than overflow.
    match n.magnitude.and_then(|m| value.checked_mul(m)) {
        Some(base) => n.base_value = base,
        None => n.magnitude = None,
    }
    n.span = (end, j);
    n
}

/// What a unit written on its own measures (`万元` → money), as the figures' units say.
pub fn unit_kind(unit: &str) -> Option<Kind> {
    UNITS.iter().find(|(u, _)| *u == unit).map(|(_, k)| *k)
}

/// The unit a value is expressed in once its magnitude is applied.
fn base_unit(unit: &'static str) -> &'static str {
    match unit {
        "万亿元" | "亿元" | "万元" | "千元" => "元",
        "千米" => "公里",
        "年度" => "年",
        other => other,
    }
}

/// How many of money unit `to` one `from` is (万元 → 元: 10 000; 元 → 万元: 0.0001); `None`
/// unless both are money units.
pub fn money_ratio(from: &str, to: &str) -> Option<Decimal> {
    factor(from)?.checked_div(factor(to)?)
}

/// How many 元 one `unit` is (万元: 10 000); `None` unless it is a money unit.
pub fn in_yuan(unit: &str) -> Option<Decimal> {
    factor(unit)
}

fn factor(unit: &str) -> Option<Decimal> {
    match unit {
        "元" => Some(Decimal::ONE),
        other => unit_multiplier(other).map(Decimal::from),
    }
}

/// The magnitude a unit carries itself (`万元` = 10 000 元).
fn unit_multiplier(unit: &str) -> Option<u64> {
    match unit {
        "万亿元" => Some(1_000_000_000_000),
        "亿元" => Some(100_000_000),
        "万元" => Some(10_000),
        "千元" => Some(1_000),
        _ => None,
    }
}

fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn chinese_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        '万' => 10_000,
        '亿' => 100_000_000,
        _ => return None,
    })
}

/// Value of a Chinese numeral such as `一百二十`, `十五`, `三千零五`, `两万`.
pub fn chinese_value(numeral: &[char]) -> Option<u64> {
    let mut total: u64 = 0; // completed 亿 sections
    let mut section: u64 = 0; // completed 万 section within
    let mut current: u64 = 0; // below 万
    let mut digit: Option<u64> = None;
    for &c in numeral {
        if let Some(d) = chinese_digit(c) {
            digit = Some(d);
        } else {
            match chinese_unit(c)? {
                u @ (10 | 100 | 1000) => {
                    current = current.checked_add(digit.unwrap_or(1).checked_mul(u)?)?;
                    digit = None;
                }
                10_000 => {
                    section = section
                        .checked_add((current + digit.take().unwrap_or(0)).checked_mul(10_000)?)?;
                    current = 0;
                }
                _ => {
                    total = total.checked_add(
                        (section + current + digit.take().unwrap_or(0)).checked_mul(100_000_000)?,
                    )?;
                    section = 0;
                    current = 0;
                }
            }
        }
    }
    total.checked_add(section + current + digit.unwrap_or(0))
}

/// A Chinese numeral at `i` that carries a quantity: followed by a unit (optionally with
/// 大/小 between, as in `三大类`) or a magnitude (`两个亿`); not an ordinal (`第一`), not a
/// lone `一`, not a slogan's leading numeral (`一是`, `两不愁`).
fn chinese_figure_at(chars: &[char], i: usize) -> Option<(Number, usize)> {
    if i > 0
        && (chars[i - 1] == '第'
            || chinese_digit(chars[i - 1]).is_some()
            || chinese_unit(chars[i - 1]).is_some())
    {
        return None;
    }
    let mut end = i;
    while chars
        .get(end)
        .is_some_and(|&c| chinese_digit(c).is_some() || matches!(c, '十' | '百' | '千'))
    {
        end += 1;
    }
    let numeral = &chars[i..end];
    if numeral == ['一'] || numeral.is_empty() {
        return None;
    }
    let value = chinese_value(numeral)?;
    let mut unit_at = end;
    if chars.get(unit_at).is_some_and(|c| *c == '大' || *c == '小') {
        unit_at += 1;
    }
    let has_magnitude = MAGNITUDES
        .iter()
        .any(|(m, _)| starts_with_at(chars, unit_at, m))
        || (chars.get(unit_at) == Some(&'个')
            && MAGNITUDES
                .iter()
                .any(|(m, _)| starts_with_at(chars, unit_at + 1, m)));
    let unit = UNIT_WORDS
        .at(chars, unit_at)
        .find(|(_, _, k)| *k != Kind::Date && *k != Kind::Percent);
    if unit.is_none() && !has_magnitude {
        return None;
    }
    let mut n = suffix(chars, unit_at, Decimal::from(value), 0);
    if n.unit.is_none() && n.magnitude.is_none() {
        return None;
    }
    n.span = (i, n.span.1);
    let end = n.span.1;
    Some((n, end))
}

/// `t` read as the scanner reads a bare decimal (`224.76`, `0`, `100.00`: digits, at most one
/// point with digits after it, nothing else), or `None` for anything else. Most figure cells
/// are bare decimals, and reading them this way skips the scanner's per-character work.
fn plain_decimal(t: &str) -> Option<Number> {
    // Reads a run of ASCII digits, false when it is empty or holds anything else.
    fn read(part: &str, digits: &mut Digits) -> bool {
        !part.is_empty()
            && part.bytes().all(|b| {
                let digit = b.is_ascii_digit();
                if digit {
                    digits.push(u32::from(b - b'0'));
                }
                digit
            })
    }
    let (int, frac) = match t.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (t, None),
    };
    let mut digits = Digits::default();
    if !read(int, &mut digits) {
        return None;
    }
    if let Some(frac) = frac {
        digits.point();
        if !read(frac, &mut digits) {
            return None;
        }
    }
    let (value, scale) = digits.value()?;
    Some(Number::plain(t.to_string(), value, scale, (0, t.len())))
}

/// Reads a table cell: empty, a "no value" dash, exactly one figure, or text.
pub fn parse_cell(text: &str) -> CellValue {
    let t = text.trim();
    if t.is_empty() {
        return CellValue::Empty;
    }
    if let Some(n) = plain_decimal(t) {
        return CellValue::Number(n);
    }
    if t.chars()
        .all(|c| matches!(c, '-' | '—' | '－' | '/' | '／' | '–' | '─'))
    {
        return CellValue::NoValue;
    }
    // Accounting negatives: `(1,234.00)`.
    if let Some(inner) = t
        .strip_prefix(['(', '（'])
        .and_then(|r| r.strip_suffix([')', '）']))
    {
        if let [n] = scan(inner).as_slice() {
            if n.raw.trim() == inner.trim() && n.comparator.is_none() {
                let mut n = n.clone();
                n.value = -n.value;
                n.base_value = -n.base_value;
                n.raw = t.to_string();
                n.span = (0, t.chars().count());
                return CellValue::Number(n);
            }
        }
    }
    match <[Number; 1]>::try_from(scan(t)) {
        Ok([n]) if n.raw == t => CellValue::Number(n),
        _ => CellValue::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn one(text: &str) -> Number {
        match scan(text).as_slice() {
            [n] => n.clone(),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn bare_decimals_read_as_the_scanner_reads_them() {
        // The fast path must give exactly what the scanner gives, or nothing.
        let mut texts: Vec<String> = [
            "0",
            "7",
            "007",
            "224.76",
            "0.00",
            "100.00",
            "1482.43",
            "12.",
            ".5",
            "1.2.3",
            "3.",
            "1,000",
            "1、",
            "2023",
            "99.5",
            "-3.00",
            "5%",
            "1e5",
            "12a",
            "123456789012345",
            "1234567890123456",
            "0000000000000000001",
            "1.12345678901",
            "1.1234567890",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every digit/point string up to four characters.
        let alphabet = ['0', '1', '9', '.'];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            frontier = frontier
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            texts.extend(frontier.iter().cloned());
        }
        for t in &texts {
            let scanned = match <[Number; 1]>::try_from(scan(t)) {
                Ok([n]) if n.raw == *t => Some(n),
                _ => None,
            };
            if let Some(fast) = plain_decimal(t) {
                assert_eq!(Some(fast), scanned, "{t:?}");
            }
        }
        assert!(plain_decimal("224.76").is_some() && plain_decimal("1,000").is_none());
    }

    /// The accumulated digits give what parsing their text gives, value and scale, and refuse
    /// what it refused: more than 15 integer digits after leading zeros, more than 10 decimals.
    #[test]
    fn digits_accumulate_to_the_parsed_value() {
        for text in [
            "0",
            "0.0",
            "0.00",
            "007.50",
            "1482.43",
            "999999999999999",
            "1000000000000000",
            "0000000000000000000123456789012345",
            "999999999999999.9999999999",
            "1.12345678901",
            "79228162514264.3375935439",
        ] {
            let mut digits = Digits::default();
            for c in text.chars() {
                match c.to_digit(10) {
                    Some(d) => digits.push(d),
                    None => digits.point(),
                }
            }
            let (int, frac) = text.split_once('.').unwrap_or((text, ""));
            let expected = (int.trim_start_matches('0').len() <= MAX_INTEGER_DIGITS
                && frac.len() <= MAX_DECIMALS)
                .then(|| (Decimal::from_str_exact(text).unwrap(), frac.len() as u32));
            let got = digits.value();
            assert_eq!(got, expected, "{text}");
            if let (Some((value, _)), Some((parsed, _))) = (got, expected) {
                assert_eq!(value.to_string(), parsed.to_string(), "{text}");
            }
        }
    }

    /// The indexed word lists find, at every position of these texts, the word a search of the
    /// whole list in order finds (longest first): units starting there, comparators ending there.
    #[test]
    fn word_tables_find_what_the_lists_find() {
        let texts = [
            "≥ 15万人次",
            "不低于95%大于等于3批次",
            "约2万余平方公里左右",
            "",
            "人",
        ];
        for text in texts {
            let chars: Vec<char> = text.chars().collect();
            for at in 0..=chars.len() + 1 {
                let unit = UNITS.iter().find(|(u, _)| starts_with_at(&chars, at, u));
                assert_eq!(
                    UNIT_WORDS.at(&chars, at).next().map(|(u, _, k)| (u, k)),
                    unit.map(|&(u, k)| (u, k)),
                    "{text} at {at}"
                );
                let cmp = COMPARATORS_BEFORE
                    .iter()
                    .find(|(w, _)| ends_with_at(&chars, at, w));
                assert_eq!(
                    COMPARATOR_WORDS
                        .at(&chars, at)
                        .next()
                        .map(|(w, _, c)| (w, c)),
                    cmp.map(|&(w, c)| (w, c)),
                    "{text} at {at}"
                );
            }
        }
        assert_eq!(one("3批次").unit.as_deref(), Some("批次"));
    }

    #[test]
    fn thousands_separators_and_full_width_forms() {
        for (text, value) in [
            ("1,482.43", "1482.43"),
            ("1，482.43", "1482.43"),
            ("８２，２２５.００", "82225.00"),
            ("346511.97", "346511.97"),
        ] {
            let n = one(text);
            assert_eq!(n.value, d(value), "{text}");
            assert_eq!(n.raw, text);
            assert_eq!(n.scale, 2, "{text}");
        }
        // A full-width comma between clauses is not a separator.
        let ns = scan("支出5.01，1,000户");
        assert_eq!(
            ns.iter().map(|n| n.value).collect::<Vec<_>>(),
            vec![d("5.01"), d("1000")]
        );
    }

    #[test]
    fn scale_is_the_decimals_as_written() {
        assert_eq!(one("5.00").scale, 2);
        assert_eq!(one("5.00").value, d("5"));
        assert_eq!(one("45%").scale, 0);
        assert_eq!(one("100.00%").scale, 2);
    }

    #[test]
    fn money_units_and_magnitudes() {
        let n = one("1.82亿元");
        assert_eq!(
            (n.value, n.unit.as_deref(), n.kind),
            (d("1.82"), Some("亿元"), Kind::Money)
        );
        assert_eq!(n.base_value, d("182000000"));
        assert_eq!(
            n.base_value / d("10000"),
            d("18200"),
            "1.82亿元 = 18200 万元 exactly"
        );
        assert_eq!(n.base_unit, Some("元"));
        let n = one("3044万元");
        assert_eq!(
            (n.base_value, n.magnitude),
            (d("30440000"), Some(d("10000")))
        );
        let n = one("200千元");
        assert_eq!(n.base_value, d("200000"));
        assert_eq!(one("393.73 万元").unit.as_deref(), Some("万元"));
    }

    #[test]
    fn counting_units_with_magnitudes_and_qualifiers() {
        let n = one("16.89万余人");
        assert_eq!(
            (n.value, n.unit.as_deref(), n.kind),
            (d("16.89"), Some("万人"), Kind::Count)
        );
        assert_eq!(n.base_value, d("168900"));
        assert_eq!(n.qualifiers, vec!["余"]);
        assert_eq!(
            n.comparator,
            Some(Comparator::Ge),
            "16.89万余人 is at least 168 900"
        );
        let n = one("4.13万套");
        assert_eq!((n.base_value, n.base_unit), (d("41300"), Some("套")));
        // A magnitude without a unit is the unit as written.
        let n = one("2万余");
        assert_eq!((n.raw.as_str(), n.unit.as_deref()), ("2万余", Some("万")));
        assert_eq!((n.base_value, n.base_unit), (d("20000"), None));
        assert_eq!(n.qualifiers, vec!["余"]);
        assert_eq!(one("两个亿").unit.as_deref(), Some("亿"));
        // Spaces after a number with nothing after it are not part of the figure.
        let n = one("合计 12  说明");
        assert_eq!((n.raw.as_str(), n.span, n.unit), ("12", (3, 5), None));
        for (text, unit) in [
            ("362户", "户"),
            ("172名", "名"),
            ("963辆", "辆"),
            ("6场次", "场次"),
            ("12.5公里", "公里"),
            ("8人次", "人次"),
            ("3处", "处"),
        ] {
            assert_eq!(one(text).unit.as_deref(), Some(unit), "{text}");
        }
    }

    #[test]
    fn percentages_and_per_mille() {
        for (text, value) in [
            ("94.97%", "94.97"),
            ("45%", "45"),
            ("100.00%", "100.00"),
            ("3‰", "3"),
            ("９５％", "95"),
        ] {
            let n = one(text);
            assert_eq!((n.value, n.kind), (d(value), Kind::Percent), "{text}");
        }
    }

    #[test]
    fn comparators_and_qualifiers() {
        let n = one("≥580万人");
        assert_eq!(
            (n.comparator, n.value, n.base_value, n.unit.as_deref()),
            (Some(Comparator::Ge), d("580"), d("5800000"), Some("万人"))
        );
        assert_eq!(n.raw, "≥580万人");
        let n = one("≥ 15万个");
        assert_eq!(
            (n.comparator, n.base_value, n.raw.as_str()),
            (Some(Comparator::Ge), d("150000"), "≥ 15万个")
        );
        assert_eq!(one("≤3%").comparator, Some(Comparator::Le));
        let n = one("5万元以上");
        assert_eq!(
            (n.comparator, n.base_value),
            (Some(Comparator::Ge), d("50000"))
        );
        assert_eq!(one("高于90%").comparator, Some(Comparator::Gt));
        assert_eq!(one("不低于95%").comparator, Some(Comparator::Ge));
        let n = one("约3000人");
        assert_eq!(
            (n.comparator, n.qualifiers.clone()),
            (Some(Comparator::Approx), vec!["约"])
        );
        let n = one("2万多人");
        assert_eq!(
            (n.base_value, n.qualifiers.clone()),
            (d("20000"), vec!["多"])
        );
        assert_eq!(one("3天以内").comparator, Some(Comparator::Le));
    }

    #[test]
    fn ranges() {
        let n = one("1-2分");
        assert_eq!(
            (n.value, n.upper, n.kind),
            (d("1"), Some(d("2")), Kind::Score)
        );
        let n = one("0.5-1分");
        assert_eq!((n.value, n.upper), (d("0.5"), Some(d("1"))));
    }

    #[test]
    fn scores() {
        let n = one("99.5分");
        assert_eq!((n.value, n.kind), (d("99.5"), Kind::Score));
        let ns = scan("（一）投入（满分20分，得20分）");
        assert_eq!(ns.len(), 2, "{ns:?}");
        assert_eq!(ns[0].qualifiers, vec!["满分"]);
        assert_eq!(ns[1].qualifiers, vec!["得"]);
        assert_eq!(one("计1分").qualifiers, vec!["计"]);
        let n = one("扣0.5分");
        assert_eq!((n.value, n.qualifiers.clone()), (d("0.5"), vec!["扣"]));
        // 分 in a word is no score.
        assert_eq!(one("3分钟").kind, Kind::Plain);
    }

    #[test]
    fn chinese_numerals_that_carry_quantities() {
        let ns = scan("三大类13个方面共53个问题");
        let values: Vec<Decimal> = ns.iter().map(|n| n.value).collect();
        assert_eq!(values, vec![d("3"), d("13"), d("53")], "{ns:?}");
        assert_eq!(ns[0].unit.as_deref(), Some("类"));
        assert_eq!(
            chinese_value(&"一百二十".chars().collect::<Vec<_>>()),
            Some(120)
        );
        assert_eq!(chinese_value(&"十五".chars().collect::<Vec<_>>()), Some(15));
        assert_eq!(
            chinese_value(&"三千零五".chars().collect::<Vec<_>>()),
            Some(3005)
        );
        assert_eq!(
            chinese_value(&"两万".chars().collect::<Vec<_>>()),
            Some(20000)
        );
        let n = one("资金一百二十万元");
        assert_eq!((n.value, n.base_value), (d("120"), d("1200000")));
        let n = one("两个亿");
        assert_eq!(n.base_value, d("200000000"));
        // Ordinals and slogans are not quantities.
        assert!(scan("第一批").is_empty());
        assert!(scan("一是强化学习").is_empty());
        assert!(scan("两不愁三保障").is_empty());
    }

    #[test]
    fn list_markers_are_not_values() {
        assert!(scan("1、局机关").is_empty());
        assert!(scan("（一）项目概况").is_empty());
        assert!(scan("（2）开展防返贫").is_empty());
        assert!(scan("1.立项背景").is_empty());
        assert!(scan("①加强").is_empty());
        let ns = scan("主要为：1、负责编制规划；2、开展防返贫");
        assert!(ns.is_empty(), "{ns:?}");
        // A decimal at the start of a line is a value.
        assert_eq!(one("1.82亿元").value, d("1.82"));
    }

    #[test]
    fn identifiers_dates_and_signs() {
        assert!(scan("代码为11433100MB1E34539C").is_empty());
        let ns = scan("2021年10月15日");
        assert_eq!(
            ns.iter().map(|n| n.kind).collect::<Vec<_>>(),
            vec![Kind::Date; 3]
        );
        assert_eq!(one("-5.01").value, d("-5.01"));
    }

    #[test]
    fn digit_runs_too_long_for_a_figure_are_not_figures() {
        assert!(scan("账号6228480018372655012").is_empty());
        assert!(scan("0.000000000001").is_empty());
        assert_eq!(
            one("999999999999999万亿元").base_value,
            d("999999999999999000000000000")
        );
    }

    #[test]
    fn cells() {
        assert_eq!(parse_cell("  "), CellValue::Empty);
        for dash in ["-", "—", "——", "/"] {
            assert_eq!(parse_cell(dash), CellValue::NoValue, "{dash}");
        }
        let CellValue::Number(n) = parse_cell("  0.01") else {
            panic!()
        };
        assert_eq!(n.value, d("0.01"));
        let CellValue::Number(n) = parse_cell("(1,234.00)") else {
            panic!()
        };
        assert_eq!((n.value, n.scale), (d("-1234.00"), 2));
        assert_eq!(parse_cell("9979 ").clone(), parse_cell("9979"));
        assert_eq!(
            parse_cell("全年支出1,478.93万元，未超出预算。"),
            CellValue::Text
        );
        assert!(
            matches!(parse_cell("≥580万人"), CellValue::Number(n) if n.comparator == Some(Comparator::Ge))
        );
    }

    #[test]
    fn figures_keep_their_place_in_the_text() {
        let text = "全州危房改造362户，落实“雨露计划”补助资金3044万元，惠及2万余人";
        let ns = scan(text);
        let chars: Vec<char> = text.chars().collect();
        for n in &ns {
            assert_eq!(chars[n.span.0..n.span.1].iter().collect::<String>(), n.raw);
        }
        assert_eq!(
            ns.iter().map(|n| n.raw.as_str()).collect::<Vec<_>>(),
            vec!["362户", "3044万元", "2万余人"]
        );
    }

    /// Fuzzing found these (fuzz/, docs/robustness.md): a 14-digit value with 亿亿 overflowed
    /// the decimal when its magnitude was applied.
    #[test]
    fn huge_magnitudes_do_not_overflow() {
        let text = "22222222222222亿亿元";
        let ns = scan(text);
        assert!(!ns.is_empty());
        assert_eq!(ns[0].value, d("22222222222222"));
        let text = std::str::from_utf8(&[
            0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32,
            0xe4, 0xba, 0xbf, 0xe4, 0xba, 0xbf, 0xe5, 0x85, 0x83,
        ])
        .unwrap();
        let _ = scan(text);
        let _ = parse_cell(&"亿".repeat(20));
        let _ = scan(&format!("9{}元", "亿".repeat(10)));
    }
}
