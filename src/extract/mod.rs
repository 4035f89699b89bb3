//! The extract stage's output: one [`Extraction`] per document — every figure typed and
//! placed, every table understood, narrative totals with their parts, named fields.
//!
//! The JSON shape is the contract digitization pipelines load, described in `docs/json.md`.
//! Decimal values are JSON strings, exact.

pub mod family;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::location::At;
use crate::model::{Block, Document, Source};
use crate::recognize::number::{
    may_hold_figure, parse_cell, scan, scan_chars, CellValue, Kind, Number, MAX_DECIMALS,
    MAX_INTEGER_DIGITS,
};
use crate::recognize::table::{regions, squeeze, CellRef, Region, SumBy, SumRelation};
use crate::vocabulary::{common, Names, Words};

/// Version of the JSON shape; bumped on any breaking change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything jixiao extracts from one document.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Extraction {
    pub schema_version: u32,
    pub source: Source,
    /// Id of the extractor (family) that recognized the document, if any.
    pub family: Option<String>,
    pub meta: Meta,
    /// Named fields filled by the family's extractor, by stable key (`income.total`).
    pub fields: BTreeMap<String, Field>,
    /// Every table region with header paths, row labels, typed cells.
    pub tables: Vec<Region>,
    /// Sum relations the tables state (total rows and columns over their parts).
    pub relations: Vec<SumRelation>,
    /// Narrative totals with parts (`…合计A，其中B b、C c`).
    pub statements: Vec<Statement>,
    /// Every figure in running text, with its place.
    pub figures: Vec<TextFigure>,
    /// Cells that look numeric but could not be read as one figure.
    pub unparsed: Vec<Unparsed>,
    /// The standard tables of the family's template that the document has and lacks, when the
    /// family declares them (部门预算).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard_tables: Option<StandardTables>,
    /// Findings of the checks (filled by the check stage).
    pub findings: Vec<crate::finding::Finding>,
    /// The document's headings, for the checks (the JSON has every paragraph's figures).
    #[serde(skip)]
    #[schemars(skip)]
    pub headings: Vec<Heading>,
}

/// A heading: a paragraph the source marks as one, or a short one opened by a numbering and
/// ended without punctuation (`1、2021年度州级专项资金分配安排和使用管理情况` in a text export).
#[derive(Debug, Clone)]
pub struct Heading {
    pub text: String,
    /// The whole paragraph.
    pub at: At,
}

/// The standard tables a document has (in document order) and the ids of those it lacks.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StandardTables {
    pub found: Vec<StandardTable>,
    pub missing: Vec<String>,
}

/// A table recognized as one of a template's standard tables.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StandardTable {
    /// The kind's id in the family (`fiscal-expenditure`).
    pub kind: String,
    /// The kind's name in the template (`财政拨款支出预算表`).
    pub name: String,
    /// The title that names it, white space and quotation marks removed
    /// (`2025年部门财务收支预算总表`).
    pub title: String,
    /// The model table (`Table::index`, from 0).
    pub table: usize,
    /// True when no cell of the table holds a figure.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub empty: bool,
    /// For an empty table, the note that says so (`注：本部门无相关收支项目`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The table's first cell.
    pub at: At,
}

/// Title, department and year.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Meta {
    pub title: Option<String>,
    pub department: Option<String>,
    pub year: Option<u32>,
}

/// A named value.
#[derive(Debug, Clone, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Field {
    /// The value: an exact decimal string for figures, the text otherwise.
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The text as written.
    pub raw: String,
    /// Decimal places as written (figures only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<u32>,
    /// The label the figure was found by: the row label of a per-row field (`1、局机关`), the
    /// label cell of a label rule's (`收入合计`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub at: At,
}

impl Field {
    /// The figure the field holds, read as its place is read everywhere else: a cell as the
    /// tables read it (`(1,234.00)` is −1234.00; a cell of words, by its first figure), a
    /// sentence's words as the narrative is read (the same text, 1,234.00).
    pub fn number(&self) -> Option<Number> {
        if let At::Cell { .. } = self.at {
            if let CellValue::Number(n) = parse_cell(&self.raw) {
                return Some(n);
            }
        }
        scan(&self.raw).into_iter().next()
    }
}

/// A figure in a paragraph.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TextFigure {
    #[serde(flatten)]
    pub number: Number,
    /// The phrase the figure quantifies (`危房改造` in `全州危房改造362户`).
    pub subject: String,
    /// The words just before the figure as written, back to the previous punctuation or
    /// figure, at most 24 characters (`全州危房改造`, `支出合计`).
    pub lead: String,
    /// The words before the figure back to the previous comma or full stop, at most 32
    /// characters (`与上年相比收、支预算总计各增加`): what a change is against, where `lead` stops
    /// at the 、 of a list.
    #[serde(skip)]
    #[schemars(skip)]
    pub clause: String,
    /// The sentence the figure stands in, by its words.
    #[serde(skip)]
    #[schemars(skip)]
    pub sentence: SentenceKey,
    pub at: At,
}

/// A sentence told by its words, not its figures: a hash of the sentence (to the next `。`, `；`,
/// `！`, `？` or line break) with white space removed and each figure replaced by its kind
/// (money, a count …, so that `10000人` and `10000人次` stand alike),
/// how many Han characters those words have, and the figure's place among the sentence's
/// figures. The same sentence written twice gives its figures at each place equal keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct SentenceKey {
    pub words: u64,
    pub han: usize,
    pub place: usize,
}

/// Whether `c` is a CJK unified ideograph (of the basic block).
pub(crate) fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The key of each of a paragraph's figures (`figures` in order, spans in `chars`).
fn sentence_keys(chars: &[char], figures: &[Number]) -> Vec<SentenceKey> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let ends = |c: &char| matches!(c, '。' | '；' | ';' | '！' | '？' | '!' | '?' | '\n');
    let mut keys = Vec::with_capacity(figures.len());
    let mut next = 0;
    while next < figures.len() {
        let start = chars[..figures[next].span.0]
            .iter()
            .rposition(ends)
            .map_or(0, |i| i + 1);
        let end = chars[figures[next].span.0..]
            .iter()
            .position(ends)
            .map_or(chars.len(), |i| figures[next].span.0 + i);
        let within = figures[next..]
            .iter()
            .take_while(|n| n.span.0 < end)
            .count();
        let mut hasher = DefaultHasher::new();
        let mut han = 0;
        let mut at = start;
        for n in &figures[next..next + within] {
            for c in chars[at..n.span.0].iter().filter(|c| !c.is_whitespace()) {
                han += usize::from(is_han(*c));
                c.hash(&mut hasher);
            }
            '#'.hash(&mut hasher);
            n.kind.hash(&mut hasher);
            at = n.span.1.max(at);
        }
        for c in chars[at..end.max(at)].iter().filter(|c| !c.is_whitespace()) {
            han += usize::from(is_han(*c));
            c.hash(&mut hasher);
        }
        let words = hasher.finish();
        keys.extend((0..within).map(|place| SentenceKey { words, han, place }));
        next += within;
    }
    keys
}

/// "`total`，其中 `parts`" in running text.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Statement {
    pub text: String,
    pub total: TextFigure,
    pub parts: Vec<TextFigure>,
    /// Present (and true) where the text says the parts are the whole: `A（…新增B，合计C）`
    /// makes C = A + B, where a 其中 list may leave parts out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub complete: bool,
}

/// A cell whose text has digits but is not one figure (`1,2,3`, `12.3.4`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Unparsed {
    pub raw: String,
    pub at: At,
}

/// Extracts everything from a document, with the built-in and given extractors.
pub fn extract(doc: &Document, families: &[family::Family]) -> Extraction {
    let mut tables: Vec<Region> = Vec::new();
    let mut previous_paragraph: Option<String> = None;
    let mut project: Option<String> = None;
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => previous_paragraph = Some(p.text.clone()),
            Block::Table(t) => {
                let from = tables.len();
                tables.extend(regions(t, previous_paragraph.as_deref()));
                for c in &t.cells {
                    for nested in &c.tables {
                        tables.extend(regions(nested, None));
                    }
                }
                if let Some(named) = project_name(t) {
                    project = Some(named);
                }
                for region in &mut tables[from..] {
                    region.project.clone_from(&project);
                }
            }
        }
    }
    // A `单位：万元` paragraph right before a table applies to all of its regions.
    apply_paragraph_units(doc, &mut tables);
    let mut relations: Vec<SumRelation> = tables.iter().flat_map(Region::relations).collect();
    extend_closing_totals(&tables, &mut relations);
    let figures = text_figures(doc);
    let statements = statements(doc, &figures);
    let unparsed = unparsed(doc);
    let mut out = Extraction {
        schema_version: SCHEMA_VERSION,
        source: doc.source.clone(),
        family: None,
        meta: Meta::default(),
        fields: BTreeMap::new(),
        tables,
        relations,
        statements,
        figures,
        unparsed,
        standard_tables: None,
        findings: Vec::new(),
        headings: headings(doc),
    };
    family::apply(doc, families, &mut out);
    family::generic_scores(doc, &mut out.fields);
    out
}

/// The project a table names: the value right of a cell holding a `project_name` word, in a
/// row of one or two such label–value pairs (`项目名称 | 雨露计划 | 主管部门 | 市乡村振兴局`); a
/// list's header row (`项目名称 | 年初结转和结余 | 财政拨款收入 | …`, `项目名称 | 金额` over figures)
/// names none.
fn project_name(t: &crate::model::Table) -> Option<String> {
    let names = Names::new(&common().words.project_name);
    (0..t.rows).find_map(|r| {
        let row: Vec<&crate::model::Cell> = t
            .cells
            .iter()
            .filter(|c| c.row == r && !c.text.trim().is_empty())
            .collect();
        if !matches!(row.len(), 2 | 4) {
            return None;
        }
        // Labels open the pairs: 序号 | 项目名称 | 服务期限 | 预算金额 is a list's header.
        let k = row
            .iter()
            .position(|c| names.matches(&c.text))
            .filter(|k| k % 2 == 0)?;
        let cell = row.get(k + 1)?;
        // A header over figures (项目名称 | 金额, then 14,026.33 under 金额) is no name.
        let below = t
            .cells
            .iter()
            .find(|c| c.row == r + cell.row_span && c.col == cell.col);
        if below.is_some_and(|c| matches!(parse_cell(&c.text), CellValue::Number(_))) {
            return None;
        }
        let value = squeeze(cell.text.trim()).into_owned();
        // A name, not a figure: two Han characters or more.
        (value.chars().filter(|c| is_han(*c)).count() >= 2).then_some(value)
    })
}

/// A 总分/合计 row that closes a model table sums the same-named column of the regions above
/// it in that table too (附件1: 总分 100 = 年度资金总额 10 + the indicators' 90).
fn extend_closing_totals(tables: &[Region], relations: &mut [SumRelation]) {
    // Cells that are already parts of a row total (其中 rows under 年度资金总额).
    let covered: Vec<CellRef> = relations
        .iter()
        .filter(|r| r.by == SumBy::Row)
        .flat_map(|r| r.parts.iter().cloned())
        .collect();
    for rel in relations.iter_mut().filter(|r| r.by == SumBy::Row) {
        let Some(region) = tables.iter().find(|r| {
            r.table == rel.total.table && r.rows.last().is_some_and(|x| x.row == rel.total.row)
        }) else {
            continue;
        };
        let Some(last) = region.rows.last() else {
            continue;
        };
        if !Words::is_only(&common().words.closing_total, &last.label) {
            continue;
        }
        let Some(name) = region
            .column(rel.total.col)
            .map(|c| c.name.as_str())
            .filter(|n| !n.is_empty())
        else {
            continue;
        };
        for earlier in tables
            .iter()
            .filter(|r| r.table == region.table && r.region < region.region)
        {
            let Some(col) = earlier
                .columns
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.col)
            else {
                continue;
            };
            let mut added: Vec<CellRef> = earlier
                .rows
                .iter()
                .filter(|r| r.cells.iter().any(|c| c.col == col && c.number.is_some()))
                .map(|r| CellRef {
                    table: earlier.table,
                    row: r.row,
                    col,
                })
                .filter(|c| !covered.contains(c))
                .collect();
            added.append(&mut rel.parts);
            rel.parts = added;
        }
    }
}

/// A table without a unit of its own takes the one stated by the paragraph just before it
/// (`单位：万元` above the table).
fn apply_paragraph_units(doc: &Document, tables: &mut [Region]) {
    for pair in doc.blocks.windows(2) {
        let [Block::Paragraph(p), Block::Table(t)] = pair else {
            continue;
        };
        if let Some(u) = crate::recognize::table::unit_in(&p.text) {
            for r in tables
                .iter_mut()
                .filter(|r| r.table == t.index && r.unit.is_none())
            {
                r.unit = Some(u.clone());
            }
        }
    }
}

/// The most characters of a paragraph taken for a heading by its numbering alone.
const HEADING_CHARS: usize = 40;

/// The paragraphs that are headings: marked so, or short, numbered and unpunctuated at the end.
fn headings(doc: &Document) -> Vec<Heading> {
    let ends_clause = |text: &str| text.ends_with(['。', '；', ';', '，', ',', '：', ':']);
    doc.blocks
        .iter()
        .enumerate()
        .filter_map(|(b, block)| {
            let Block::Paragraph(p) = block else {
                return None;
            };
            let text = p.text.trim_end();
            let chars = p.text.chars().count();
            let numbered =
                chars <= HEADING_CHARS && leading_numbering(text).is_some() && !ends_clause(text);
            (p.heading.is_some() || numbered).then(|| Heading {
                text: p.text.clone(),
                at: At::Text {
                    block: b,
                    span: (0, chars),
                    origin: p.origin.clone(),
                },
            })
        })
        .collect()
}

/// Every figure in every paragraph, with a subject from the words just before it.
fn text_figures(doc: &Document) -> Vec<TextFigure> {
    let mut out = Vec::new();
    for (b, block) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(p) = block else { continue };
        if !may_hold_figure(&p.text) {
            continue;
        }
        let chars: Vec<char> = p.text.chars().collect();
        let figures = scan_chars(&chars);
        let sentences = sentence_keys(&chars, &figures);
        for (n, sentence) in figures.into_iter().zip(sentences) {
            let lead = lead_before(&chars, n.span.0);
            let clause = clause_before(&chars, n.span.0);
            let subject = subject_of(&lead);
            let at = At::Text {
                block: b,
                span: n.span,
                origin: p.origin.clone(),
            };
            out.push(TextFigure {
                number: n,
                subject,
                lead,
                clause,
                sentence,
                at,
            });
        }
    }
    out
}

/// The words before a figure, back to the previous punctuation or figure (24 characters at
/// most, the 年 of a year left out). Quotation marks do not stop it: `落实“雨露计划”补助资金` names one thing.
fn lead_before(chars: &[char], start: usize) -> String {
    let mut i = start;
    while i > 0 {
        let c = chars[i - 1];
        // A short bracketed word inside a name (因公出国（境）费) is part of it; a numbering
        // (（一）基本支出) is not inside one.
        if matches!(c, '）' | ')') {
            let inside = chars[..i - 1]
                .iter()
                .rev()
                .take(4)
                .position(|c| matches!(c, '（' | '('));
            let word = inside.filter(|&n| {
                n > 0
                    && chars[i - 1 - n..i - 1].iter().all(|c| is_han(*c))
                    && i >= n + 3
                    && is_han(chars[i - n - 3])
                    && !chars[i - 1 - n..i - 1]
                        .iter()
                        .all(|c| HAN_NUMERALS.contains(*c))
            });
            if let Some(n) = word {
                i -= n + 2;
                continue;
            }
        }
        let stop = matches!(
            c,
            '，' | '。'
                | '．'
                | '；'
                | '：'
                | '、'
                | ','
                | ';'
                | ':'
                | '（'
                | '）'
                | '('
                | ')'
                | '！'
                | '？'
                | '!'
                | '?'
                | '\n'
                | '\t'
                | '%'
        );
        if stop || c.is_ascii_digit() {
            break;
        }
        i -= 1;
    }
    let mut lead = &chars[i..start];
    while let [first, rest @ ..] = lead {
        if !first.is_whitespace() {
            break;
        }
        lead = rest;
    }
    // After a year's digits, 年 and 年度 belong to the year (2018 年一般公共预算…), and after a
    // number, the point that ends it belongs to the numbering (2.公务用车…).
    if i > 0 && chars[i - 1].is_ascii_digit() {
        for year in [&['年', '度'][..], &['年'][..], &['.'][..]] {
            if let Some(rest) = lead.strip_prefix(year) {
                lead = rest;
                break;
            }
        }
    }
    while let [rest @ .., last] = lead {
        if !last.is_whitespace() {
            break;
        }
        lead = rest;
    }
    lead[lead.len().saturating_sub(24)..].iter().collect()
}

/// The words before a figure back to the previous comma, full stop or semicolon (32 characters
/// at most), white space removed.
fn clause_before(chars: &[char], start: usize) -> String {
    let begin = chars[..start]
        .iter()
        .rposition(|c| matches!(c, '，' | '。' | '；' | ',' | ';' | '\n'))
        .map_or(0, |i| i + 1);
    let clause: Vec<char> = chars[begin..start]
        .iter()
        .copied()
        .filter(|c| !c.is_whitespace())
        .collect();
    clause[clause.len().saturating_sub(32)..].iter().collect()
}

/// The subject in a lead: its words as jieba-rs segments them over the vocabulary's
/// `subject_openers` and `subject_closers`, without quotation marks, leading openers (`其中`,
/// `全州`, `落实` …) and trailing closers (`合计`, `为` …); a lead of nothing else is kept.
///
/// The segmenter's dictionary is those two lists, not jieba's default one, whose 107 ms load
/// and 88 s build are measured in docs/json.md; it is built on the first figure's lead.
fn subject_of(lead: &str) -> String {
    static SEGMENTER: LazyLock<jieba_rs::Jieba> = LazyLock::new(|| {
        let words = &common().words;
        let mut jieba = jieba_rs::Jieba::empty();
        for word in words.subject_openers.iter().chain(&words.subject_closers) {
            jieba.add_word(word, Some(1000), None);
        }
        jieba
    });
    let words = &common().words;
    let unquoted: String = lead
        .chars()
        .filter(|c| !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\''))
        .collect();
    let tokens = SEGMENTER.cut(&unquoted, false);
    if tokens.is_empty() {
        return String::new();
    }
    let is_in = |list: &[String], token: &jieba_rs::Token| list.iter().any(|w| w == token.word);
    let (mut first, mut last) = (0, tokens.len());
    while last - first > 1 && is_in(&words.subject_openers, &tokens[first]) {
        first += 1;
    }
    while last - first > 1 && is_in(&words.subject_closers, &tokens[last - 1]) {
        last -= 1;
    }
    unquoted[tokens[first].byte_start..tokens[last - 1].byte_end].to_string()
}

/// Sentences with `其中`: the last figure before it is the total, the figures of the same kind
/// after it (to the end of the sentence, or to the next `其中` in it) are its parts.
fn statements(doc: &Document, figures: &[TextFigure]) -> Vec<Statement> {
    // Figures by paragraph, in text order: one pass, not one pass per paragraph.
    let mut by_block: BTreeMap<usize, Vec<&TextFigure>> = BTreeMap::new();
    for f in figures {
        if let At::Text { block, .. } = f.at {
            by_block.entry(block).or_default().push(f);
        }
    }
    for in_block in by_block.values_mut() {
        in_block.sort_by_key(|f| f.number.span);
    }
    let mut out = Vec::new();
    for (b, block) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(p) = block else { continue };
        if !p.text.contains("其中") {
            continue;
        }
        let Some(in_block) = by_block.get(&b) else {
            continue;
        };
        let chars: Vec<char> = p.text.chars().collect();
        let depth_before = bracket_depths(&chars);
        // Sentence ends, found once (not once per 其中).
        let ends: Vec<usize> = chars
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, '。' | '；' | ';' | '！' | '？' | '\n'))
            .map(|(i, _)| i)
            .collect();
        let mut search = 0;
        let mut previous: Option<usize> = None;
        while let Some(pos) = find_from(&chars, search, "其中") {
            search = pos + 2;
            let previous = previous.replace(pos);
            let k = ends.partition_point(|&e| e < pos);
            let sentence_start = if k == 0 { 0 } else { ends[k - 1] + 1 };
            let sentence_end = ends.get(k).copied().unwrap_or(chars.len());
            // A further 其中 in the sentence breaks a part down: its figures are not parts.
            let parts_end =
                find_from(&chars[..sentence_end], search, "其中").unwrap_or(sentence_end);
            let before = in_block.partition_point(|f| f.number.span.1 <= pos);
            let Some(total) = in_block[..before]
                .iter()
                .rev()
                .take_while(|f| f.number.span.0 >= sentence_start)
                .find(|f| is_quantity(&f.number))
            else {
                continue;
            };
            // Figures in brackets after 其中 break a part down further; they are not parts.
            let level = depth_before[pos];
            let parts: Vec<TextFigure> = in_block[before..]
                .iter()
                .take_while(|f| f.number.span.0 < parts_end)
                .filter(|f| {
                    f.number.span.0 > pos
                        && f.number.span.1 <= parts_end
                        && depth_before[f.number.span.0] == level
                })
                .filter(|f| same_measure(&f.number, &total.number) && !is_change(f))
                .enumerate()
                // A later figure that opens a clause (…中央级188篇，2篇在人民日报头版刊发) is not
                // one of the listed parts; one after a 、 (…重点县、3个…县) is.
                .take_while(|(i, f)| *i == 0 || !f.clause.is_empty())
                .map(|(_, f)| (*f).clone())
                .collect();
            // The statement's own stretch of the sentence: from the 其中 before it (if any in
            // this sentence) to where its parts end, so that the texts of many 其中 in one long
            // sentence do not each repeat the whole sentence.
            let text_start = previous
                .filter(|&p| p >= sentence_start)
                .unwrap_or(sentence_start);
            let mut text: String = chars[text_start..parts_end].iter().collect();
            // A list that runs to the end of the paragraph may go on in the paragraphs after
            // it: `…合计 17996.68 万元，其中：` or `…其中：基本支出 12323.48 万元，占 68.48%；`.
            let ends_paragraph = |from: usize| {
                chars[from.min(chars.len())..]
                    .iter()
                    .all(|c| matches!(c, '：' | ':' | '；' | ';' | '，' | ',') || c.is_whitespace())
            };
            let mut parts = parts;
            if (parts.is_empty() && ends_paragraph(pos + 2))
                || (!parts.is_empty() && parts_end == sentence_end && ends_paragraph(parts_end))
            {
                parts.extend(listed_parts(doc, &by_block, b, total, &mut text));
            }
            if parts.is_empty() || !measured_alike(total, &parts) {
                continue;
            }
            out.push(Statement {
                text,
                total: (*total).clone(),
                parts,
                complete: false,
            });
        }
    }
    for (b, block) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(p) = block else { continue };
        if let Some(in_block) = by_block.get(&b).filter(|_| p.text.contains(['（', '('])) {
            out.extend(bracketed(&p.text, in_block));
        }
        if let Some(in_block) = by_block.get(&b) {
            out.extend(running_totals(&p.text, in_block));
            out.extend(progress(&p.text, in_block));
        }
    }
    out
}

/// Things counted and, in the next clause, how many of them are done (`实施项目155个，目前已完工
/// 136个`): a count in an item measure led by a `progress` word right after a comma that follows
/// a count in an item measure — or opening the clause after the count's own and followed by the
/// word (`19个…项目已全部完工，18个已投入使用`) — is a subset of it, unless the first is a target
/// (目标, 计划 …: a target can be exceeded).
fn progress(text: &str, in_block: &[&TextFigure]) -> Vec<Statement> {
    let words = &common().words;
    let chars: Vec<char> = text.chars().collect();
    let item = |f: &TextFigure| {
        f.number.kind == Kind::Count
            && f.number
                .base_unit
                .is_some_and(|u| words.item_measures.iter().any(|m| m == u))
    };
    let mut out = Vec::new();
    for pair in in_block.windows(2) {
        let [total, done] = pair else { continue };
        let lead = done.lead.trim();
        let between: String = chars[total.number.span.1..done.number.span.0]
            .iter()
            .collect();
        // …项目155个，目前已完工136个: the progress word before the figure, right after the comma.
        let led = between
            .trim_start()
            .strip_prefix(['，', ','])
            .is_some_and(|rest| rest.trim() == lead)
            && words.progress.iter().any(|w| lead.ends_with(w.as_str()));
        // 19个…项目已全部完工，18个已投入使用: the figure opens the next clause, the word follows
        // it; the subjects are then the words after each figure (the clause, the progress word).
        let after: String = chars[done.number.span.1..].iter().take(8).collect();
        let followed = words
            .progress
            .iter()
            .find(|w| after.trim_start().starts_with(w.as_str()))
            .filter(|_| lead.is_empty() && done.number.base_unit == total.number.base_unit)
            .and_then(|word| {
                let clause = between.trim_end().strip_suffix(['，', ','])?;
                (!clause.contains(['，', ',', '。', '；', ';', '、']))
                    .then(|| (clause.trim().to_string(), word.clone()))
            });
        if !item(total)
            || !item(done)
            || !(led || followed.is_some())
            || words.target.iter().any(|w| total.lead.contains(w.as_str()))
        {
            continue;
        }
        let (mut total, mut done) = ((*total).clone(), (*done).clone());
        if let Some((total_subject, done_subject)) = followed {
            total.subject = total_subject;
            done.subject = done_subject;
        }
        out.push(Statement {
            text: chars[total.number.span.0..done.number.span.1]
                .iter()
                .collect(),
            total,
            parts: vec![done],
            complete: false,
        });
    }
    out
}

/// A figure, an addition to it and the total they make (`全市有69.1万贫困人口（2016年后又动态调整
/// 新增7.42万人，合计76.52万人）`): a figure led by an `added` word, the next figure led by a total
/// word with nothing but a comma between them, and the nearest amount or count before the
/// addition in its sentence (its measure may be left to the noun after it: 69.1万…人口) make a
/// complete statement, total = figure + addition.
fn running_totals(text: &str, in_block: &[&TextFigure]) -> Vec<Statement> {
    let words = &common().words;
    let led_by = |f: &TextFigure, list: &[String]| {
        let lead = f.lead.trim_end();
        list.iter().any(|w| lead.ends_with(w.as_str()))
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, pair) in in_block.windows(2).enumerate() {
        let [added, total] = pair else { continue };
        let between: String = chars[added.number.span.1..total.number.span.0]
            .iter()
            .collect();
        if !led_by(added, &words.added)
            || !led_by(total, &words.total)
            || !same_measure(&added.number, &total.number)
            || !between.trim_start().starts_with(['，', ','])
        {
            continue;
        }
        let sentence_start = chars[..added.number.span.0]
            .iter()
            .rposition(|c| matches!(c, '。' | '；' | ';' | '！' | '？'))
            .map_or(0, |k| k + 1);
        let Some(base) = in_block[..i]
            .iter()
            .rev()
            .take_while(|f| f.number.span.0 >= sentence_start)
            .find(|f| is_quantity(&f.number) || f.number.magnitude.is_some())
        else {
            continue;
        };
        let measured = same_measure(&base.number, &total.number)
            || (base.number.base_unit.is_none()
                && base.number.magnitude.is_some()
                && base.number.magnitude == total.number.magnitude);
        if !measured {
            continue;
        }
        out.push(Statement {
            text: chars[base.number.span.0..total.number.span.1.min(chars.len())]
                .iter()
                .collect(),
            total: (*total).clone(),
            parts: vec![(*base).clone(), (*added).clone()],
            complete: true,
        });
    }
    out
}

/// Bracket depth before each character offset (and after the last), so that a depth is one
/// look-up.
fn bracket_depths(chars: &[char]) -> Vec<i64> {
    let mut depth_before = Vec::with_capacity(chars.len() + 1);
    depth_before.push(0i64);
    for c in chars {
        let d = matches!(c, '（' | '(') as i64 - matches!(c, '）' | ')') as i64;
        depth_before.push(depth_before.last().copied().unwrap_or(0) + d);
    }
    depth_before
}

/// Whether a figure is a change against another year (比上年增加 2,389.52 万元), not a part.
pub(crate) fn is_change(f: &TextFigure) -> bool {
    let lead = f.lead.trim_end();
    common()
        .words
        .change
        .iter()
        .any(|w| lead.ends_with(w.as_str()))
}

/// A figure broken down in the brackets right after it, without a 其中 (人员经费720.28万元
/// （工资福利支出480.19万元，对个人和家庭的补助240.09万元）): two or more figures of its measure
/// at the brackets' own level are its parts.
fn bracketed(text: &str, in_block: &[&TextFigure]) -> Vec<Statement> {
    let chars: Vec<char> = text.chars().collect();
    let depth_before = bracket_depths(&chars);
    let mut out = Vec::new();
    for (i, total) in in_block.iter().enumerate() {
        let end = total.number.span.1;
        let open = (end..chars.len()).find(|&k| !chars[k].is_whitespace());
        let Some(open) = open.filter(|&k| matches!(chars[k], '（' | '(')) else {
            continue;
        };
        let inner = depth_before[open + 1];
        let close = (open + 1..chars.len())
            .find(|&k| depth_before[k + 1] < inner)
            .unwrap_or(chars.len());
        let opens_with_group = chars[open + 1..close]
            .iter()
            .collect::<String>()
            .trim_start()
            .starts_with("其中");
        if !is_quantity(&total.number) || opens_with_group {
            continue;
        }
        let parts: Vec<TextFigure> = in_block[i + 1..]
            .iter()
            .take_while(|f| f.number.span.1 <= close)
            .filter(|f| depth_before[f.number.span.0] == inner)
            .filter(|f| same_measure(&f.number, &total.number) && !is_change(f))
            .map(|f| (*f).clone())
            .collect();
        if parts.len() < 2 || !measured_alike(total, &parts) {
            continue;
        }
        let from = total.number.span.0;
        out.push(Statement {
            text: chars[from..(close + 1).min(chars.len())].iter().collect(),
            total: (*total).clone(),
            parts,
            complete: false,
        });
    }
    out
}

/// The numbering a heading or list item starts with: （一）, 一、, 1. or （1）.
pub(crate) const NUMBERING: &str =
    r"[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．]";

/// The shape of a numbering, the same for every number of one style (（三） → （一）, 2. → 1、),
/// so that items of one level are known from those of another.
pub(crate) fn numbering_shape(numbering: &str) -> String {
    let mut shape = String::new();
    for c in numbering.chars() {
        let c = match c {
            '0'..='9' => '1',
            c if HAN_NUMERALS.contains(c) => '一',
            '(' => '（',
            ')' => '）',
            '.' | '．' => '、',
            other => other,
        };
        // A number of any length is one numeral of the shape.
        if !(matches!(c, '1' | '一') && shape.ends_with(c)) {
            shape.push(c);
        }
    }
    shape
}

/// The numerals of a Chinese numbering (一 to 十).
const HAN_NUMERALS: &str = "一二三四五六七八九十";

/// The number a numbering counts (（三） → 3, 12. → 12, 二十一、 → 21), so that a list that starts
/// again is known.
pub(crate) fn numbering_value(numbering: &str) -> Option<u32> {
    let digits: String = numbering.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    // 一 to 九 by their place in the list; 十 is handled apart.
    let value = |c: char| {
        HAN_NUMERALS
            .chars()
            .take(9)
            .position(|h| h == c)
            .map(|i| i as u32 + 1)
    };
    let numerals: Vec<char> = numbering
        .chars()
        .filter(|&c| c == '十' || value(c).is_some())
        .collect();
    match numerals.as_slice() {
        [] => None,
        ['十'] => Some(10),
        ['十', ones] => Some(10 + value(*ones)?),
        [tens, '十'] => Some(10 * value(*tens)?),
        [tens, '十', ones] => Some(10 * value(*tens)? + value(*ones)?),
        [ones] => value(*ones),
        _ => None,
    }
}

/// The shape of the numbering `text` starts with, if any.
fn leading_numbering(text: &str) -> Option<String> {
    static LEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"^\s*(?:{NUMBERING})")).expect("the numbering pattern")
    });
    LEADING
        .find(text)
        .map(|m| numbering_shape(m.as_str().trim_start()))
}

/// The most paragraphs a 其中 that ends its paragraph lists as parts.
const MOST_LISTED: usize = 16;

/// The parts of a 其中 that ends its paragraph (`本年收入预算合计15897.44万元，其中：`): the first
/// figure of each paragraph after it, while each is a list item and its figure measures what
/// the total does. Items numbered like the first (（一）人员经费…, （二）公用经费…) are items
/// whatever they hold; unnumbered ones hold no 其中 of their own, and the first that does not
/// end with ； or ， is the last. Their texts are added to the statement's.
fn listed_parts(
    doc: &Document,
    by_block: &BTreeMap<usize, Vec<&TextFigure>>,
    b: usize,
    total: &TextFigure,
    text: &mut String,
) -> Vec<TextFigure> {
    let mut parts = Vec::new();
    let mut numbered: Option<Option<String>> = None;
    for next in b + 1..doc.blocks.len().min(b + 1 + MOST_LISTED) {
        let Block::Paragraph(p) = &doc.blocks[next] else {
            break;
        };
        let item = p.text.trim();
        let Some(last) = item.chars().last() else {
            break;
        };
        let numbering = leading_numbering(item);
        let first_numbering = numbered.get_or_insert_with(|| numbering.clone());
        if first_numbering.is_some() {
            if *first_numbering != numbering {
                break;
            }
        } else if item.contains("其中") {
            break;
        }
        // Unnumbered, the item with 。 or with no closing mark is the last.
        let closes = numbering.is_none() && !matches!(last, '；' | ';' | '，' | ',');
        let first = by_block
            .get(&next)
            .and_then(|fs| fs.iter().find(|f| is_quantity(&f.number)));
        let Some(first) = first.filter(|f| same_measure(&f.number, &total.number)) else {
            break;
        };
        parts.push((*first).clone());
        text.push_str(item);
        if closes {
            break;
        }
    }
    parts
}

/// Parts counted in other measure words than their total (修建产业道路25条、安全饮水工程8处 under
/// 项目12个) are its parts only when one of them is counted as the total is (…545处、…4116座 under
/// 4894处).
fn measured_alike(total: &TextFigure, parts: &[TextFigure]) -> bool {
    parts
        .iter()
        .any(|p| p.number.base_unit == total.number.base_unit)
}

/// Whether a figure is an amount or a count (not a rate, a date or a bare number).
pub(crate) fn is_quantity(n: &Number) -> bool {
    !matches!(n.kind, Kind::Date | Kind::Plain | Kind::Percent) && n.comparator.is_none()
}

/// Parts must measure what the total measures: money with money, persons with persons, things
/// with things in any of the vocabulary's `item_measures` (处 with 座).
fn same_measure(a: &Number, b: &Number) -> bool {
    let item = |n: &Number| {
        n.magnitude.is_none()
            && n.base_unit
                .is_some_and(|u| common().words.item_measures.iter().any(|m| m == u))
    };
    is_quantity(a) && a.kind == b.kind && (a.base_unit == b.base_unit || item(a) && item(b))
}

fn find_from(chars: &[char], from: usize, word: &str) -> Option<usize> {
    let w: Vec<char> = word.chars().collect();
    (from..chars.len().saturating_sub(w.len() - 1)).find(|&i| chars[i..i + w.len()] == w[..])
}

/// A plain figure, which the number scanner always reads: `-1,482.43`, `45%`, `9979` (so the
/// scanner need not run a second time on every numeric cell).
fn well_formed(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let s = s.strip_suffix('%').unwrap_or(s);
    let (int, frac) = match s.split_once(['.', '．']) {
        Some((int, frac)) => (int, Some(frac)),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mut groups = int.split([',', '，']);
    let first_ok = groups
        .next()
        .is_some_and(|g| digits(g) && (g.len() <= 3 || !int.contains([',', '，'])));
    let integer_digits = int
        .trim_start_matches('0')
        .bytes()
        .filter(u8::is_ascii_digit)
        .count();
    first_ok
        && groups.all(|g| g.len() == 3 && digits(g))
        && frac.is_none_or(|f| digits(f) && f.len() <= MAX_DECIMALS)
        && integer_digits <= MAX_INTEGER_DIGITS
}

/// Cells with digits that are neither one figure nor prose (a likely typo such as `1,48.243`).
fn unparsed(doc: &Document) -> Vec<Unparsed> {
    let mut out = Vec::new();
    for t in doc.tables() {
        for c in &t.cells {
            let s = squeeze(&c.text);
            if s.is_empty() || s.chars().count() > 16 || !s.chars().any(|ch| ch.is_ascii_digit()) {
                continue;
            }
            let only_numberish = s
                .chars()
                .all(|ch| ch.is_ascii_digit() || ",.，．%-".contains(ch));
            if only_numberish
                && !well_formed(&s)
                && matches!(
                    crate::recognize::number::parse_cell(&c.text),
                    crate::recognize::number::CellValue::Text
                )
            {
                out.push(Unparsed {
                    raw: c.text.clone(),
                    at: At::Cell {
                        table: t.index,
                        row: c.row,
                        col: c.col,
                        origin: c.origin.clone(),
                    },
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    /// A subject drops every opener before it and closer after it (seed 000's 全州危房改造362户
    /// after a 其中; the funds statement's 收入合计), but is never left empty.
    #[test]
    fn a_subject_drops_its_openers_and_closers() {
        assert_eq!(subject_of("其中全州危房改造"), "危房改造");
        assert_eq!(subject_of("落实“雨露计划”补助资金"), "雨露计划补助资金");
        assert_eq!(subject_of("收入合计为"), "收入");
        assert_eq!(
            subject_of("全年积极争取到补短板综合财力补助资金"),
            "补短板综合财力补助资金"
        );
        assert_eq!(subject_of("共获得深圳帮扶资金"), "深圳帮扶资金");
        // 共有 is one word of both lists (the real budgets' 本部门共有车辆5辆; Hechi's
        // 全市在册享受农村低保共有…).
        assert_eq!(subject_of("本部门共有车辆"), "车辆");
        assert_eq!(subject_of("在册享受农村低保共有"), "在册享受农村低保");
        assert_eq!(subject_of("合计"), "合计");
        assert_eq!(subject_of(""), "");
    }

    /// Headings are the marked paragraphs and the short numbered ones that end without
    /// punctuation, whatever the numbering (seed 000's `1、…`, `（二）…`; `三、…`), not a
    /// numbered sentence or list item (`1、负责编制乡村振兴规划…。`) nor a long one.
    #[test]
    fn headings_are_marked_or_short_numbered_and_unpunctuated() {
        let html = "<html><body><h2>收支情况</h2><p>（二）项目支出情况</p>\
            <p>1、2021年度州级专项资金分配安排和使用管理情况</p>\
            <p>1、负责编制乡村振兴规划，牵头实施美丽乡村建设行动。</p>\
            <p>三、政府性基金预算支出情况</p><p>预算调整项目：州级资金18万元</p>\
            <p>2、州委精准脱贫攻坚办工作经费州级资金169.47万元上年结转9.3万元已使用178.77万元</p></body></html>";
        let doc = crate::read::read_bytes(
            std::path::Path::new("headings.html"),
            html.as_bytes(),
            &crate::read::Limits::default(),
        )
        .unwrap();
        let texts: Vec<String> = headings(&doc).into_iter().map(|h| h.text).collect();
        assert_eq!(
            texts,
            [
                "收支情况",
                "（二）项目支出情况",
                "1、2021年度州级专项资金分配安排和使用管理情况",
                "三、政府性基金预算支出情况"
            ]
        );
    }

    /// A field's figure is read by the parser of the place it came from, so that the checks
    /// see the number the tables and the narrative see there.
    #[test]
    fn a_fields_figure_is_read_as_its_place_is() {
        let origin = Origin::Lines { first: 1, last: 1 };
        let field = |raw: &str, at: At| Field {
            value: raw.to_string(),
            unit: None,
            raw: raw.to_string(),
            scale: None,
            label: None,
            at,
        };
        let cell = At::Cell {
            table: 0,
            row: 1,
            col: 1,
            origin: origin.clone(),
        };
        let text = At::Text {
            block: 0,
            span: (0, 10),
            origin,
        };
        let value = |f: Field| f.number().map(|n| n.value.to_string());
        // Accounting brackets make a cell negative; in a sentence they are punctuation.
        assert_eq!(
            value(field("(1,234.00)", cell.clone())).as_deref(),
            Some("-1234.00")
        );
        assert_eq!(
            value(field("(1,234.00)", text.clone())).as_deref(),
            Some("1234.00")
        );
        // A cell of words is read by its first figure, as a sentence is.
        assert_eq!(value(field("得分：99.5", cell)).as_deref(), Some("99.5"));
        assert_eq!(value(field("总分99.5分", text)).as_deref(), Some("99.5"));
    }
}
