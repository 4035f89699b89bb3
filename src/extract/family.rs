//! Document families and their named fields, defined as data in `extractors/*.toml`.
//!
//! Every `extractors/*.toml` is compiled in as a built-in (`build.rs` lists them);
//! `--extractors DIR` loads more with the same parser. A family is recognized by phrases near
//! the top of the document; its rules then fill [`Field`]s from table regions (by region title
//! or column header, row label and column name), from `label → value` cells, and from
//! narrative patterns. Unknown documents keep the generic output and no fields.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, LazyLock};

/// How summaries name the documents no family recognized (their records say `"family": null`).
pub const NO_FAMILY: &str = "no family";

use regex::Regex;
use serde::Deserialize;

use super::{Extraction, Field};
use crate::location::At;
use crate::model::{Block, Cell, Document, Table};
use crate::recognize::number::{parse_cell, scan, CellValue};
use crate::recognize::table::{squeeze, Region};
use crate::vocabulary::{self, Names, Role, Roles};

/// A balance that closes one year and opens the next: field keys in this family.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarryRule {
    /// The field holding this year's opening balance (`income.carried_over`).
    pub opening: String,
    /// The field holding the closing balance, read from last year's report.
    pub closing: String,
}

/// The families shipped with jixiao: every `extractors/*.toml` but the vocabulary, in file
/// name order (listed by `build.rs`).
const BUILT_IN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/built_in_families.rs"));

/// One family's definition, as written in TOML.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// Stable id, reported as `family` in the output.
    pub id: String,
    /// What the family is, in the documents' own words.
    pub name: String,
    /// The family applies when any of these phrases (white space ignored) appears near the
    /// start of a document: see `detect_within`.
    pub detect: Vec<String>,
    /// How far the phrases are looked for, in units of 40 characters of text without white
    /// space, read from the first 60 blocks (of a table, its first 40 cells). Default 40.
    #[serde(default = "default_detect_within")]
    pub detect_within: usize,
    #[serde(default)]
    pub meta: MetaRules,
    #[serde(default, rename = "table")]
    pub tables: Vec<TableRule>,
    #[serde(default, rename = "label")]
    pub labels: Vec<LabelRule>,
    #[serde(default, rename = "text")]
    pub texts: Vec<TextRule>,
    /// Balances carried from one year's report to the next (JX601 compares them).
    #[serde(default, rename = "carry")]
    pub carries: Vec<CarryRule>,
    /// Names this family's documents give to roles, besides the vocabulary's.
    #[serde(default)]
    #[schemars(schema_with = "vocabulary::roles_schema")]
    pub roles: BTreeMap<Role, Vec<String>>,
    /// Which fields hold the total score, the grade and the section scores.
    #[serde(default)]
    pub scores: ScoreFields,
    /// Rates stated beside their numerator and denominator as fields (预算追加率).
    #[serde(default, rename = "rate")]
    pub rates: Vec<RateFields>,
    /// The standard tables of the family's template (部门预算's 收支预算总表 …), by title.
    #[serde(default, rename = "kind")]
    pub kinds: Vec<TableKind>,
    /// The template's identities between fields (收入合计 = 支出合计): JX122 checks them.
    #[serde(default, rename = "identity")]
    pub identities: Vec<Identity>,
    /// The patterns and names above, compiled once by [`parse`].
    #[serde(skip)]
    compiled: Compiled,
}

/// Compiled forms of a family's patterns and names, in the order written.
#[derive(Debug, Clone, Default)]
struct Compiled {
    department: Vec<Regex>,
    year: Vec<Regex>,
    texts: Vec<Regex>,
    /// The vocabulary's roles with this family's names added.
    roles: Roles,
    /// For each table rule, its columns' names (`@role` entries expanded).
    columns: Vec<Vec<(String, Names)>>,
    /// For each label rule, its labels (`@role` entries expanded).
    labels: Vec<Names>,
    /// The labels of the department's cell.
    department_label: Names,
}

/// The fields a family's score relations read (JX301, JX302, JX303).
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreFields {
    /// The total score (`score.total`).
    pub total: Option<String>,
    /// The grade given for it (`grade`).
    pub grade: Option<String>,
    /// Section scores, one `*` standing for the section (`sections.*.score`): they sum to the
    /// total.
    pub section_score: Option<String>,
    /// Section maxima with the same `*` (`sections.*.max`): they sum to 100, and each section's
    /// score is at most its maximum.
    pub section_maximum: Option<String>,
}

/// One section of a scored report, from the fields a family's [`ScoreFields`] names.
#[derive(Debug)]
pub struct Section<'x> {
    /// The field key up to the section's own name (`sections.input`).
    pub name: String,
    /// The section score's key and field.
    pub score: Option<(&'x str, &'x Field)>,
    pub maximum: Option<(&'x str, &'x Field)>,
}

impl ScoreFields {
    /// The fields every document may have, whatever its family (`generic_scores`): what a
    /// family that names none of its own is read with.
    pub const GENERIC: ScoreFields = ScoreFields {
        total: None,
        grade: None,
        section_score: None,
        section_maximum: None,
    };

    /// The total score's field: the family's, else the generic `score.total`.
    pub fn total<'x>(&self, fields: &'x BTreeMap<String, Field>) -> Option<&'x Field> {
        self.total
            .as_deref()
            .and_then(|k| fields.get(k))
            .or_else(|| fields.get("score.total"))
    }

    /// The grade's field: the family's, else the generic `grade`.
    pub fn grade<'x>(&self, fields: &'x BTreeMap<String, Field>) -> Option<&'x Field> {
        self.grade
            .as_deref()
            .and_then(|k| fields.get(k))
            .or_else(|| fields.get("grade"))
    }

    /// The sections whose score or maximum the document has, in key order: under the family's
    /// keys, else the generic `sections.*.score` and `sections.*.max`.
    pub fn sections<'x>(&self, fields: &'x BTreeMap<String, Field>) -> Vec<Section<'x>> {
        let mut out: Vec<Section<'x>> = Vec::new();
        let patterns = [
            self.section_score.as_deref().unwrap_or("sections.*.score"),
            self.section_maximum.as_deref().unwrap_or("sections.*.max"),
        ];
        for (which, pattern) in patterns.into_iter().enumerate() {
            let Some((before, after)) = pattern.split_once('*') else {
                continue;
            };
            for (key, field) in fields {
                let Some(own) = key
                    .strip_prefix(before)
                    .and_then(|rest| rest.strip_suffix(after))
                else {
                    continue;
                };
                let name = [before, own].concat();
                let at = match out.iter().position(|s| s.name == name) {
                    Some(at) => at,
                    None => {
                        out.push(Section {
                            name,
                            score: None,
                            maximum: None,
                        });
                        out.len() - 1
                    }
                };
                let slot = if which == 0 {
                    &mut out[at].score
                } else {
                    &mut out[at].maximum
                };
                *slot = Some((key.as_str(), field));
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}

/// A standard table of a template, known by its title: the longest of `titles` that a table's
/// title holds (quotation marks and white space aside) names its kind, so that
/// 财政拨款收支预算总表 is not taken for a 收支预算总表.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableKind {
    /// Stable id, reported in `standard_tables`.
    pub id: String,
    /// The table's name in the template.
    pub name: String,
    pub titles: Vec<String>,
    /// What the table reports, as the narrative names it (政府性基金): a sentence saying there
    /// is none (本部门无政府性基金预算, 政府性基金支出预算支出0万元) declares the table empty.
    #[serde(default)]
    pub subjects: Vec<String>,
}

/// `rate = numerator / denominator`, each a field with the label findings give it.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateFields {
    pub rate: LabelledField,
    pub numerator: LabelledField,
    pub denominator: LabelledField,
}

/// `total = Σ parts`, each a field of a `[[label]]` rule, that the template ties together:
/// 收入合计 = 当年收入小计 + 上年结转资金, or one table's total against another's.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// What the identity says, as findings name it (`收入合计 = 支出合计`).
    pub name: String,
    pub total: String,
    pub parts: Vec<String>,
    /// Parts that count 0 when the document has no figure for them (an empty 上年结转资金
    /// cell); without a figure for the total or for any other part, the identity is not checked.
    #[serde(default)]
    pub optional: Vec<String>,
}

/// A field key and how findings name its figure.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelledField {
    pub field: String,
    pub label: String,
}

fn default_detect_within() -> usize {
    40
}

/// Patterns (with a capture group `v`) for the document's department and year.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetaRules {
    /// Patterns over paragraphs; the named group `v` is the department.
    #[serde(default)]
    pub department: Vec<String>,
    /// Table labels whose value (the next cell to the right) is the department, when no
    /// pattern matched (`主管部门 | 湖南省乡村振兴局、湖南省农业农村厅`).
    #[serde(default)]
    pub department_label: Vec<String>,
    #[serde(default)]
    pub year: Vec<String>,
}

/// Fields from a table region.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableRule {
    /// Key prefix (`income`).
    pub key: String,
    /// The region's title or one of its column paths contains one of these.
    pub find: Vec<String>,
    /// Column key → header names (synonyms), matched as the vocabulary's are (a name matches a
    /// header ending with it, `*` stands for any text); `@role` stands for a role's names.
    pub columns: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub rows: Rows,
    /// With `rows = "each"`, the row-label key (`name`), filled from the row's label.
    #[serde(default)]
    pub label_key: Option<String>,
    /// Rows whose label contains one of the texts fill `{key}.{name}.{column}` instead of a
    /// numbered key and are not counted (a 比例 row of shares under a structure table).
    #[serde(default)]
    pub named_rows: BTreeMap<String, Vec<String>>,
}

/// Which keys a table's rows fill.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Rows {
    /// The first total row fills `{key}.{column}` and every other row fills
    /// `{key}.rows.{n}.{column}`.
    #[default]
    Summary,
    /// Rows fill `{key}.{n}.{column}` (n from 1) and a total row fills `{key}.total.{column}`.
    Each,
}

/// A value next to a label cell (`人员编制 | 43`).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelRule {
    pub key: String,
    /// Names of the label cell, matched as column names are (`@role` for a role's names).
    pub labels: Vec<String>,
    /// Which non-empty cell to the right (1 = the next).
    #[serde(default = "default_nth")]
    pub nth: usize,
    /// Which of the cells holding the label, in reading order (1 = the first): a
    /// 收入支出决算总表 writes 总计 on its income side and again on its spending side.
    #[serde(default = "default_nth")]
    pub occurrence: usize,
    /// Only in the standard tables of this kind (a `[[kind]]` id).
    #[serde(default)]
    pub table: Option<String>,
    /// The value is the cell right next to the label, or, when that one holds text (the label
    /// heads a column: 合计 | 基本支出 …), the cell under the label; an empty cell gives no
    /// field. Without it, `nth` counts the non-empty cells to the right.
    #[serde(default)]
    pub adjacent: bool,
}

fn default_nth() -> usize {
    1
}

/// Narrative fields: a regex over paragraphs whose named groups are field keys (with `.`
/// written as `__`, since group names cannot hold dots).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextRule {
    pub pattern: String,
}

/// The shared vocabulary's file name, which a directory of extractors may hold beside its
/// families (`--extractors extractors/`); it is not a family.
const VOCABULARY_FILE: &str = "vocabulary.toml";

/// The built-in families, parsed once and shared (a test parses them, so this cannot fail).
pub fn built_in() -> &'static Arc<Vec<Family>> {
    static BUILT: std::sync::OnceLock<Arc<Vec<Family>>> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| Arc::new(parse_built_in().expect("the built-in extractors parse (tested)")))
}

fn parse_built_in() -> Result<Vec<Family>, String> {
    BUILT_IN
        .iter()
        .map(|(name, text)| parse(name, text))
        .collect()
}

/// The JSON Schema of an extractor file (`docs/extractor.schema.json`).
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(Family)
}

/// Loads the built-in extractors, then every `*.toml` in `dir` (sorted by name) except
/// `vocabulary.toml`. A family with the id of one loaded before takes its place.
pub fn load(dir: Option<&Path>) -> Result<Vec<Family>, String> {
    let mut out: Vec<Family> = built_in().to_vec();
    let mut add = |family: Family| match out.iter_mut().find(|f| f.id == family.id) {
        Some(earlier) => *earlier = family,
        None => out.push(family),
    };
    if let Some(dir) = dir {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .filter(|p| p.file_name().is_some_and(|n| n != VOCABULARY_FILE))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            add(parse(&p.display().to_string(), &text)?);
        }
    }
    Ok(out)
}

/// Parses and validates one definition (its regexes must compile).
pub fn parse(name: &str, text: &str) -> Result<Family, String> {
    let mut family: Family = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
    let compile = |patterns: &[&String]| -> Result<Vec<Regex>, String> {
        patterns
            .iter()
            .map(|p| Regex::new(p).map_err(|e| format!("{name}: bad pattern {p:?}: {e}")))
            .collect()
    };
    let roles = vocabulary::common().roles.with(&family.roles);
    let mut columns = Vec::new();
    for table in &family.tables {
        let mut names = Vec::new();
        for (key, written) in &table.columns {
            let place = format!("{name}: [[table]] {:?}, column {key:?}", table.key);
            names.push((key.clone(), role_names(&place, &roles, written)?));
        }
        columns.push(names);
    }
    let labels = family
        .labels
        .iter()
        .map(|rule| {
            let place = format!("{name}: [[label]] {:?}", rule.key);
            role_names(&place, &roles, &rule.labels)
        })
        .collect::<Result<_, _>>()?;
    validate_identities(name, &family)?;
    let department_label = role_names(
        &format!("{name}: [meta] department_label"),
        &roles,
        &family.meta.department_label,
    )?;
    family.compiled = Compiled {
        department: compile(&family.meta.department.iter().collect::<Vec<_>>())?,
        year: compile(&family.meta.year.iter().collect::<Vec<_>>())?,
        texts: compile(&family.texts.iter().map(|t| &t.pattern).collect::<Vec<_>>())?,
        roles,
        columns,
        labels,
        department_label,
    };
    Ok(family)
}

/// Every identity names fields that a label rule of the family fills, and every label rule's
/// `table` is one of the family's kinds: a misspelt key would leave an identity unchecked.
fn validate_identities(name: &str, family: &Family) -> Result<(), String> {
    for rule in &family.labels {
        if let Some(kind) = &rule.table {
            if !family.kinds.iter().any(|k| &k.id == kind) {
                return Err(format!(
                    "{name}: [[label]] {:?}: table {kind:?} is not a [[kind]] of the family",
                    rule.key
                ));
            }
        }
    }
    let filled = |key: &str| family.labels.iter().any(|l| l.key == key);
    for identity in &family.identities {
        for key in std::iter::once(&identity.total)
            .chain(&identity.parts)
            .chain(&identity.optional)
        {
            if !filled(key) {
                return Err(format!(
                    "{name}: [[identity]] {:?}: no [[label]] of the family fills the field {key:?}",
                    identity.name
                ));
            }
        }
        if let Some(key) = identity
            .optional
            .iter()
            .find(|k| !identity.parts.contains(k))
        {
            return Err(format!(
                "{name}: [[identity]] {:?}: optional field {key:?} is not one of its parts",
                identity.name
            ));
        }
    }
    Ok(())
}

/// A column's or label's names with each `@role` replaced by the role's names; `place` (the
/// file and the entry) starts an error.
fn role_names(place: &str, roles: &Roles, written: &[String]) -> Result<Names, String> {
    let mut all = Vec::new();
    for name in written {
        match name.strip_prefix('@') {
            Some(role) => {
                use serde::de::IntoDeserializer;
                let role: Role = Role::deserialize(role.into_deserializer())
                    .map_err(|e: serde::de::value::Error| format!("{place}: {name}: {e}"))?;
                all.extend(
                    roles
                        .names(role)
                        .map_or(&[][..], Names::written)
                        .iter()
                        .cloned(),
                );
            }
            None => all.push(name.clone()),
        }
    }
    Ok(Names::new(&all))
}

impl Family {
    /// How findings name the field of a label rule: the label it was found by, after the name
    /// of the standard table it is read from (`收支预算总表/收入合计`).
    pub fn field_label(&self, key: &str, field: &Field) -> String {
        let label = field.label.as_deref().unwrap_or(key);
        let Some(rule) = self.labels.iter().find(|l| l.key == key) else {
            return label.to_string();
        };
        match rule
            .table
            .as_ref()
            .and_then(|kind| self.kinds.iter().find(|k| &k.id == kind))
        {
            Some(kind) => [kind.name.as_str(), "/", label].concat(),
            None => label.to_string(),
        }
    }

    /// The vocabulary's roles with this family's names added.
    pub fn roles(&self) -> &Roles {
        &self.compiled.roles
    }
}

/// Characters of the document's head (white space not counted) per unit of `detect_within`.
const DETECT_CHARS_PER_UNIT: usize = 40;

impl Family {
    /// How many characters of the document's head its phrases are looked for in.
    fn detect_chars(&self) -> usize {
        self.detect_within.saturating_mul(DETECT_CHARS_PER_UNIT)
    }
}

/// Recognizes the family and fills meta and fields.
pub fn apply(doc: &Document, families: &[Family], out: &mut Extraction) {
    let widest = families.iter().map(Family::detect_chars).max();
    let head = head(doc, widest.unwrap_or(0));
    out.meta.title = title(doc);
    let Some(family) = families.iter().find(|f| {
        let end = head
            .char_indices()
            .nth(f.detect_chars())
            .map_or(head.len(), |(i, _)| i);
        f.detect.iter().any(|d| head[..end].contains(&*squeeze(d)))
    }) else {
        return;
    };
    out.family = Some(family.id.clone());
    out.meta.department = first_capture(doc, &family.compiled.department).or_else(|| {
        value_right_of(doc, &family.compiled.department_label, 1)
            .map(|(_, c)| c.text.split_whitespace().collect::<Vec<_>>().join(" "))
    });
    out.meta.year = first_capture(doc, &family.compiled.year).and_then(|y| y.parse().ok());
    if !family.kinds.is_empty() {
        out.standard_tables = Some(standard_tables(doc, &family.kinds));
    }
    let mut found = Vec::new();
    for (rule, columns) in family.tables.iter().zip(&family.compiled.columns) {
        table_fields(rule, columns, &out.tables, &mut found);
    }
    for (rule, labels) in family.labels.iter().zip(&family.compiled.labels) {
        let of_kind: Option<Vec<usize>> = rule.table.as_ref().map(|kind| {
            out.standard_tables
                .iter()
                .flat_map(|s| &s.found)
                .filter(|t| &t.kind == kind)
                .map(|t| t.table)
                .collect()
        });
        let tables = doc
            .tables()
            .into_iter()
            .filter(|t| of_kind.as_ref().is_none_or(|of| of.contains(&t.index)));
        label_field(tables, rule, labels, &mut found);
    }
    out.fields = by_key(found);
    for re in &family.compiled.texts {
        text_fields(doc, re, &mut out.fields);
    }
}

/// Which of the template's standard tables the document has, by the title each table carries:
/// its first row when that is one cell, else the nearest of the three paragraphs before it
/// that names a kind (a title, then a 单位 line).
fn standard_tables(doc: &Document, kinds: &[TableKind]) -> crate::extract::StandardTables {
    let plain = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\''))
            .collect()
    };
    let titles_of: Vec<(&TableKind, String)> = kinds
        .iter()
        .flat_map(|k| k.titles.iter().map(move |t| (k, plain(t))))
        .collect();
    let mut found = Vec::new();
    let mut before: Vec<String> = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        let table = match block {
            Block::Paragraph(p) => {
                before.push(plain(&p.text));
                if before.len() > 3 {
                    before.remove(0);
                }
                continue;
            }
            Block::Table(t) => t,
        };
        // Nearest first: the table's own first row, then the paragraphs above, upwards (a
        // table of contents above a table must not name it).
        let mut titles: Vec<String> = table
            .cells
            .first()
            .filter(|c| c.row == 0 && c.col_span == table.cols)
            .map(|c| plain(&c.text))
            .into_iter()
            .collect();
        titles.extend(std::mem::take(&mut before).into_iter().rev());
        let kind = titles.iter().find_map(|title| {
            titles_of
                .iter()
                .filter(|(_, t)| title.contains(t.as_str()))
                .max_by_key(|(_, t)| t.chars().count())
                .map(|(k, _)| (*k, title.clone()))
        });
        if let Some((kind, title)) = kind {
            let empty = !table
                .cells
                .iter()
                .any(|c| matches!(parse_cell(&c.text), CellValue::Number(_)));
            found.push(crate::extract::StandardTable {
                kind: kind.id.clone(),
                name: kind.name.clone(),
                title,
                table: table.index,
                empty,
                note: empty
                    .then(|| empty_table_note(doc, i, table, kind))
                    .flatten(),
                at: At::Cell {
                    table: table.index,
                    row: 0,
                    col: 0,
                    origin: table
                        .cells
                        .first()
                        .map_or_else(|| table.origin.clone(), |c| c.origin.clone()),
                },
            });
        }
    }
    let missing = kinds
        .iter()
        .filter(|k| !found.iter().any(|f| f.kind == k.id))
        .map(|k| k.id.clone())
        .collect();
    crate::extract::StandardTables { found, missing }
}

/// The note that says a table is empty on purpose: a cell of the table, or one of the three
/// paragraphs after it, holding one of the vocabulary's `empty_table` words (`注：本部门无相关收支
/// 项目`, `故本表为空表`); else a sentence of the narrative that says there is none of the
/// kind's subject (`本部门无政府性基金预算`, `政府性基金支出预算支出 0 万元`), or a heading naming
/// the subject followed by an `empty_table` note (`七、政府性基金支出预算表情况说明` + `本部门无此项支出`).
fn empty_table_note(
    doc: &Document,
    block: usize,
    table: &Table,
    kind: &TableKind,
) -> Option<String> {
    let words = Names::new(&vocabulary::common().words.empty_table);
    let after = doc.blocks[block + 1..]
        .iter()
        .map_while(|b| match b {
            Block::Paragraph(p) => Some(p.text.as_str()),
            Block::Table(_) => None,
        })
        .take(3);
    let near = table
        .cells
        .iter()
        .map(|c| c.text.as_str())
        .chain(after)
        .find(|text| words.matches(text));
    if let Some(text) = near {
        return Some(text.trim().to_string());
    }
    let paragraphs: Vec<&str> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.as_str()),
            Block::Table(_) => None,
        })
        .collect();
    paragraphs.iter().enumerate().find_map(|(i, text)| {
        let plain = squeeze(text);
        let names = kind.subjects.iter().any(|s| plain.contains(s.as_str()));
        if !names {
            return None;
        }
        if kind.subjects.iter().any(|s| says_none_of(&plain, s)) {
            return Some(text.trim().to_string());
        }
        paragraphs
            .get(i + 1)
            .filter(|next| words.matches(next))
            .map(|next| next.trim().to_string())
    })
}

/// Whether `text` (white space removed) says there is none of `subject`: 无 just before it
/// (本部门无政府性基金预算), or a zero amount in the clause after it (政府性基金支出预算支出0万元).
fn says_none_of(text: &str, subject: &str) -> bool {
    static ZERO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^\d.,])0(?:\.0+)?(?:万元|元)").expect("a valid pattern")
    });
    text.match_indices(subject).any(|(at, _)| {
        let before: String = text[..at].chars().rev().take(6).collect();
        let clause = text[at..].split(['。', '；', ';']).next().unwrap_or("");
        before.contains('无') || ZERO.is_match(clause)
    })
}

/// The first `limit` characters of the text where families are detected, white space removed:
/// the first 60 blocks, of a table its first 40 cells. Long narrative paragraphs are read only
/// as far as the limit.
fn head(doc: &Document, limit: usize) -> String {
    let mut head = String::new();
    let mut count = 0;
    let mut take = |text: &str| {
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            if count == limit {
                return false;
            }
            head.push(c);
            count += 1;
        }
        true
    };
    for block in doc.blocks.iter().take(60) {
        let more = match block {
            Block::Paragraph(p) => take(&p.text),
            Block::Table(t) => t.cells.iter().take(40).all(|c| take(&c.text)),
        };
        if !more {
            break;
        }
    }
    head
}

/// The group `v` of the first paragraph that a pattern matches, trying the patterns in turn.
fn first_capture(doc: &Document, patterns: &[Regex]) -> Option<String> {
    patterns.iter().find_map(|re| {
        doc.blocks.iter().find_map(|b| match b {
            // `is_match` first: `captures` allocates its groups even for paragraphs that do
            // not match, which are nearly all of them.
            Block::Paragraph(p) if re.is_match(&p.text) => re
                .captures(&p.text)
                .and_then(|c| c.name("v"))
                .map(|m| m.as_str().trim().to_string()),
            Block::Paragraph(_) | Block::Table(_) => None,
        })
    })
}

/// Fields in key order, the last found of each key kept. Sorting once moves each field fewer
/// times than inserting hundreds of them into a map one by one.
fn by_key(mut found: Vec<(String, Field)>) -> BTreeMap<String, Field> {
    // Last found first, so that the stable sort puts it first among its key's fields, where
    // `dedup_by` keeps it. (`BTreeMap::from_iter` happens to keep the last of equal keys too,
    // but does not promise to.)
    found.reverse();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|next, kept| next.0 == kept.0);
    found.into_iter().collect()
}

/// The fields of a table rule, in the order found (where a key repeats, [`by_key`] keeps the
/// last).
fn table_fields(
    rule: &TableRule,
    columns: &[(String, Names)],
    regions: &[Region],
    fields: &mut Vec<(String, Field)>,
) {
    let wanted = |s: &str| rule.find.iter().any(|f| s.contains(f.as_str()));
    let Some(region) = regions.iter().find(|r| {
        r.title.as_deref().is_some_and(wanted)
            || r.columns.iter().any(|c| c.path.iter().any(|p| wanted(p)))
    }) else {
        return;
    };
    // The column of each named value and the region's unit for it, found once for all rows.
    let columns: Vec<(&String, usize, Option<String>)> = columns
        .iter()
        .filter_map(|(key, names)| {
            let col = region
                .columns
                .iter()
                .find(|c| names.matches_normalized(&c.name))?
                .col;
            Some((key, col, region_unit(region, col)))
        })
        .collect();
    let mut n = 0;
    let mut summary_done = false;
    for row in &region.rows {
        let named = rule
            .named_rows
            .iter()
            .find(|(_, labels)| labels.iter().any(|l| row.label.contains(l.as_str())));
        let prefix = if let Some((name, _)) = named {
            [&rule.key, ".", name].concat()
        } else if row.total && !summary_done {
            // The first total row: `{key}.{column}` (a 总分 row in an `each` table, too).
            summary_done = true;
            if rule.rows == Rows::Each {
                [&rule.key, ".total"].concat()
            } else {
                rule.key.clone()
            }
        } else {
            n += 1;
            if rule.rows == Rows::Each {
                [&rule.key, ".", itoa::Buffer::new().format(n)].concat()
            } else {
                [&rule.key, ".rows.", itoa::Buffer::new().format(n)].concat()
            }
        };
        if let Some(label_key) = &rule.label_key {
            if let Some(cell) = row.cells.iter().find(|c| squeeze(&c.text) == row.label) {
                fields.push((
                    [&prefix, ".", label_key].concat(),
                    Field {
                        value: row.label.clone(),
                        unit: None,
                        raw: cell.text.clone(),
                        scale: None,
                        label: None,
                        at: cell_at(region, row.row, cell.col, &cell.origin),
                    },
                ));
            }
        }
        for (key, col, unit) in &columns {
            let col = *col;
            let Some(cell) = row.cells.iter().find(|c| c.col == col) else {
                continue;
            };
            let at = cell_at(region, row.row, col, &cell.origin);
            let label = Some(row.label.clone());
            let field = match &cell.number {
                Some(n) => Field {
                    value: crate::decimal::string(&n.value),
                    unit: n
                        .unit
                        .as_deref()
                        .map(str::to_string)
                        .or_else(|| unit.clone()),
                    raw: cell.text.trim().to_string(),
                    scale: Some(n.scale),
                    label,
                    at,
                },
                None if !cell.text.trim().is_empty() && !cell.no_value => Field {
                    value: cell.text.trim().to_string(),
                    unit: None,
                    raw: cell.text.clone(),
                    scale: None,
                    label,
                    at,
                },
                None => continue,
            };
            fields.push(([&prefix, ".", key].concat(), field));
        }
    }
}

/// The region's unit (`单位：万元`) for a column it applies to: not points, scores, rates or
/// counts, whose headers say so.
fn region_unit(region: &Region, col: usize) -> Option<String> {
    let name = region.column_name(col);
    let own_measure = vocabulary::common().words.has_own_measure(name);
    region.unit.clone().filter(|_| !own_measure)
}

fn cell_at(region: &Region, row: usize, col: usize, origin: &crate::model::Origin) -> At {
    At::Cell {
        table: region.table,
        row,
        col,
        origin: origin.clone(),
    }
}

/// The `nth` non-empty cell to the right of the first cell whose text matches `labels` that
/// has one, with its table's index.
fn value_right_of<'d>(doc: &'d Document, labels: &Names, nth: usize) -> Option<(usize, &'d Cell)> {
    value_in(doc.tables(), labels, Next::NonEmpty(nth), 1).map(|(t, _, value)| (t, value))
}

/// Where a label's value stands.
#[derive(Clone, Copy)]
enum Next {
    /// The nth non-empty cell to the right (1 = the first).
    NonEmpty(usize),
    /// The cell right next to the label; an empty one is no value. A label with text right of
    /// it heads a column (合计 | 基本支出 …): its value is the cell under it, taken only when
    /// no cell of the label has a figure or an empty cell next to it (a 合计 row below wins
    /// over the 合计 header).
    Adjacent,
}

/// The first cell in `tables` whose text matches `labels` and has a value, counting from the
/// `occurrence`th such cell (1 = the first): its table's index, the label's cell and the
/// value's. A column headed as a
/// serial (行次) stands between a label and its value and is passed over.
fn value_in<'d>(
    tables: impl IntoIterator<Item = &'d Table>,
    labels: &Names,
    next: Next,
    occurrence: usize,
) -> Option<(usize, &'d Cell, &'d Cell)> {
    let is_figure = |c: &Cell| matches!(parse_cell(&c.text), CellValue::Number(_));
    let words = &vocabulary::common().words;
    let mut heading: Option<(usize, &Cell, &Cell)> = None;
    let mut skip = occurrence.max(1) - 1;
    for t in tables {
        // The (column, row) of each serial header (行次), found at the table's first label.
        let mut serial_heads: Option<Vec<(usize, usize)>> = None;
        for cell in &t.cells {
            if !labels.matches(&cell.text) {
                continue;
            }
            let heads = serial_heads.get_or_insert_with(|| {
                t.cells
                    .iter()
                    .filter(|h| words.is_serial(&squeeze(&h.text)))
                    .map(|h| (h.col, h.row))
                    .collect()
            });
            let serial = |c: &Cell| heads.iter().any(|&(col, row)| col == c.col && row < c.row);
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let mut right: Vec<&Cell> = t
                .cells
                .iter()
                .filter(|c| c.row == cell.row && c.col >= cell.col + cell.col_span)
                .filter(|c| !serial(c))
                .collect();
            right.sort_by_key(|c| c.col);
            match next {
                Next::NonEmpty(nth) => {
                    if let Some(value) = right
                        .iter()
                        .filter(|c| !c.text.trim().is_empty())
                        .nth(nth.max(1) - 1)
                    {
                        return Some((t.index, cell, *value));
                    }
                }
                Next::Adjacent => match right.first() {
                    Some(c) if is_figure(c) => return Some((t.index, cell, *c)),
                    Some(c) if c.text.trim().is_empty() => return None,
                    _ => {
                        heading = heading.or_else(|| {
                            t.cells
                                .iter()
                                .find(|c| c.row == cell.row + cell.row_span && c.col == cell.col)
                                .filter(|c| is_figure(c))
                                .map(|c| (t.index, cell, c))
                        })
                    }
                },
            }
        }
    }
    heading
}

/// The document's title: its first paragraph that is not an attachment label (`附件 1`),
/// joined with the next when the title runs over two (`…2021年度部门整体支出` +
/// `绩效评价自评报告`).
fn title(doc: &Document) -> Option<String> {
    let attachment = |t: &str| {
        let t = squeeze(t);
        t.strip_prefix("附件").is_some_and(|rest| {
            rest.chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十：:".contains(c))
        })
    };
    let mut texts = doc
        .blocks
        .iter()
        .take(12)
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.trim()),
            Block::Table(_) => None,
        })
        .filter(|t| !t.is_empty() && !attachment(t));
    let first = texts.next()?.to_string();
    let ends = |t: &str, words: &[&str]| words.iter().any(|w| t.ends_with(w));
    match texts.next() {
        Some(second)
            if !ends(&first, &["报告", "表", "书", "说明"])
                && ends(second, &["报告", "表"])
                && second.chars().count() <= 16 =>
        {
            Some(format!("{first}{second}"))
        }
        _ => Some(first),
    }
}

/// The field of a label rule: the value to the right of its label cell, found after the table
/// fields (so it wins over a table field of the same key).
fn label_field<'d>(
    tables: impl IntoIterator<Item = &'d Table>,
    rule: &LabelRule,
    labels: &Names,
    fields: &mut Vec<(String, Field)>,
) {
    let next = if rule.adjacent {
        Next::Adjacent
    } else {
        Next::NonEmpty(rule.nth)
    };
    let Some((table, label_cell, value_cell)) = value_in(tables, labels, next, rule.occurrence)
    else {
        return;
    };
    fields.push((rule.key.clone(), cell_field(table, label_cell, value_cell)));
}

/// The field a label cell gives to the value cell beside it: a figure, or the cell's text.
fn cell_field(table: usize, label_cell: &Cell, value_cell: &Cell) -> Field {
    let label = Some(squeeze(&label_cell.text).into_owned());
    let at = At::Cell {
        table,
        row: value_cell.row,
        col: value_cell.col,
        origin: value_cell.origin.clone(),
    };
    match parse_cell(&value_cell.text) {
        CellValue::Number(n) => Field {
            value: crate::decimal::string(&n.value),
            unit: n.unit.map(Cow::into_owned),
            raw: value_cell.text.trim().to_string(),
            scale: Some(n.scale),
            label,
            at,
        },
        _ => Field {
            value: value_cell.text.trim().to_string(),
            unit: None,
            raw: value_cell.text.clone(),
            scale: None,
            label,
            at,
        },
    }
}

/// The total score and the grade of any document, family or none, where its family did not
/// give them: a sentence (`自评总分为85分`, `评价等次为优`, with the vocabulary's names for
/// both) or a table's grade cell (`评价等次 | 优`). JX303 compares them.
pub fn generic_scores(doc: &Document, fields: &mut BTreeMap<String, Field>) {
    static PATTERNS: LazyLock<[Regex; 2]> = LazyLock::new(|| {
        let vocabulary = vocabulary::common();
        let grades = vocabulary.grade_bands.iter().flat_map(|b| &b.words);
        [
            Regex::new(&format!(
                r"(?:{})[为是：:\s]*(?P<score__total>\d+(?:\.\d+)?\s*分)",
                alternation(written_names(Role::TotalScore))
            )),
            Regex::new(&format!(
                r#"(?:{})[为是：:\s“”"']*(?P<grade>{})"#,
                alternation(written_names(Role::Grade)),
                alternation(grades)
            )),
        ]
        .map(|re| re.expect("patterns built from the vocabulary"))
    });
    if !fields.contains_key("grade") {
        let grades = Names::new(
            vocabulary::common()
                .roles
                .names(Role::Grade)
                .map_or(&[][..], Names::written),
        );
        if let Some((table, label, value)) = value_in(doc.tables(), &grades, Next::NonEmpty(1), 1)
            .filter(|(_, _, c)| vocabulary::common().grade_of(&c.text).is_some())
        {
            fields.insert("grade".to_string(), cell_field(table, label, value));
        }
    }
    for re in PATTERNS.iter() {
        text_fields(doc, re, fields);
    }
    if !fields.keys().any(|k| k.starts_with("sections.")) {
        section_headings(doc, fields);
    }
}

/// Section points and scores written where a section starts (`（一）投入（满分20分，得20分）`,
/// `产出指标（50分）`) in a document whose family reads none: `sections.<name>.max` and
/// `sections.<name>.score`, which JX301 sums. Only headings numbered like the first such one
/// count (（一） rather than 1.), so that a subsection's points are not added to its section's.
fn section_headings(doc: &Document, fields: &mut BTreeMap<String, Field>) {
    static HEADING: LazyLock<Regex> = LazyLock::new(|| {
        let scored = written_names(Role::Score).chain(&vocabulary::common().words.awards);
        Regex::new(&format!(
            r"^\s*(?P<numbering>{})?\s*(?P<name>[^\s（()）,，。:：;；\d]{{2,16}}?)\s*[（(]\s*(?:{})?\s*(?P<max>\d+(?:\.\d+)?\s*分)\s*(?:[，,、；;]\s*\p{{Han}}{{0,3}}?(?:{})[为:：]?\s*(?P<score>\d+(?:\.\d+)?\s*分))?\s*[）)]",
            super::NUMBERING,
            alternation(written_names(Role::Maximum)),
            alternation(scored),
        ))
        .expect("a pattern built from the vocabulary")
    });
    // The level is that of the first heading with points short of a whole 100 (a 结论 heading
    // with 满分100分 sums the sections, it is not one); the sections are its first run, ended by a
    // numbering that starts again (a later chapter's （一）加分项).
    let mut level: Option<String> = None;
    let mut last: Option<u32> = None;
    for (b, block) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(p) = block else { continue };
        let Some(caps) = HEADING.captures(&p.text) else {
            continue;
        };
        let numbering = caps.name("numbering").map_or("", |m| m.as_str());
        let shape = super::numbering_shape(numbering);
        let whole = scan(&caps["max"])
            .first()
            .is_some_and(|m| m.value >= rust_decimal::Decimal::ONE_HUNDRED);
        if whole && level.is_none() {
            continue;
        }
        if *level.get_or_insert_with(|| shape.clone()) != shape {
            continue;
        }
        let value = super::numbering_value(numbering);
        if value.is_some() && last.is_some() && value <= last {
            break;
        }
        last = value.or(last);
        let name = &caps["name"];
        for (part, key) in [("max", "max"), ("score", "score")] {
            if let Some(m) = caps.name(part) {
                let key = format!("sections.{name}.{key}");
                fields.entry(key).or_insert_with(|| Field {
                    label: Some(name.to_string()),
                    ..matched_field(b, p, m)
                });
            }
        }
    }
}

/// The names the vocabulary writes for a role.
fn written_names(role: Role) -> impl Iterator<Item = &'static String> {
    let roles = &vocabulary::common().roles;
    roles.names(role).map_or(&[][..], Names::written).iter()
}

/// A regex alternation of `words`, escaped, the longest first (so that 评价等级 is tried before
/// 等级).
fn alternation<'w>(words: impl IntoIterator<Item = &'w String>) -> String {
    let mut words: Vec<&String> = words.into_iter().collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let escaped: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    escaped.join("|")
}

/// The field of a pattern's match in paragraph `b`: its figure where it holds one, else its
/// text.
fn matched_field(b: usize, p: &crate::model::Paragraph, m: regex::Match<'_>) -> Field {
    let start = p.text[..m.start()].chars().count();
    let len = m.as_str().chars().count();
    let at = At::Text {
        block: b,
        span: (start, start + len),
        origin: p.origin.clone(),
    };
    match scan(m.as_str()).into_iter().next() {
        Some(n) => Field {
            value: crate::decimal::string(&n.value),
            unit: n.unit.map(Cow::into_owned),
            raw: m.as_str().to_string(),
            scale: Some(n.scale),
            label: None,
            at,
        },
        None => Field {
            value: m.as_str().to_string(),
            unit: None,
            raw: m.as_str().to_string(),
            scale: None,
            label: None,
            at,
        },
    }
}

/// The fields of a narrative pattern, from the paragraphs it matches; a key that a table or
/// label rule (or an earlier match) has filled is kept as it is.
fn text_fields(doc: &Document, re: &Regex, fields: &mut BTreeMap<String, Field>) {
    for (b, block) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(p) = block else { continue };
        // As in [`first_capture`]: most paragraphs do not match.
        if !re.is_match(&p.text) {
            continue;
        }
        let Some(caps) = re.captures(&p.text) else {
            continue;
        };
        for name in re.capture_names().flatten() {
            let Some(m) = caps.name(name) else { continue };
            let key = name.replace("__", ".");
            if fields.contains_key(&key) {
                continue;
            }
            fields.insert(key, matched_field(b, p, m));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `extractors/*.toml` but the vocabulary is a built-in family, named by its id.
    #[test]
    fn built_in_extractors_parse() {
        let mut ids: Vec<String> = parse_built_in()
            .unwrap()
            .into_iter()
            .map(|f| f.id)
            .collect();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("extractors");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
            .filter(|n| n != "vocabulary")
            .collect();
        ids.sort();
        files.sort();
        assert!(ids.contains(&"dept-overall".to_string()));
        assert_eq!(ids, files);
    }

    #[test]
    fn unknown_keys_and_bad_patterns_are_errors() {
        let e = parse("x.toml", "id='x'\nname='x'\ndetect=['x']\ncolour='red'").unwrap_err();
        assert!(e.starts_with("x.toml: ") && e.contains("colour"), "{e}");
        let e = parse(
            "y.toml",
            "id='y'\nname='y'\ndetect=['y']\n[[text]]\npattern='(?P<a'",
        )
        .unwrap_err();
        assert!(e.contains("bad pattern"), "{e}");
        // A misspelt role names the file, the entry and the roles there are.
        let e = parse(
            "z.toml",
            "id='z'\nname='z'\ndetect=['z']\n[[table]]\nkey='t'\nfind=['t']\ncolumns={ a=['@pionts'] }",
        )
        .unwrap_err();
        assert!(
            e.starts_with(
                r#"z.toml: [[table]] "t", column "a": @pionts: unknown variant `pionts`"#
            ) && e.contains("`points`"),
            "{e}"
        );
        let e = parse("r.toml", "id='r'\nname='r'\ndetect=['r']\n[[table]]\nkey='t'\nfind=['t']\ncolumns={}\nrows='Each'").unwrap_err();
        assert!(
            e.contains("line 8") && e.contains("expected `summary` or `each`"),
            "{e}"
        );
    }

    /// A key found twice keeps the field found last, as inserting into a map would.
    #[test]
    fn fields_are_ordered_by_key_and_the_last_of_a_key_wins() {
        let field = |value: &str| Field {
            value: value.to_string(),
            unit: None,
            raw: value.to_string(),
            scale: None,
            label: None,
            at: At::Document,
        };
        let found = ["b", "a.2", "b", "a.10", "b"]
            .iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), field(&i.to_string())))
            .collect();
        let map = by_key(found);
        let pairs: Vec<(&str, &str)> = map
            .iter()
            .map(|(k, f)| (k.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(pairs, [("a.10", "3"), ("a.2", "1"), ("b", "4")]);
    }

    /// A family that looks for `phrase` within `within` units of 40 characters.
    fn family(id: &str, phrase: &str, within: usize) -> Family {
        let toml = format!("id='{id}'\nname='{id}'\ndetect=['{phrase}']\ndetect_within={within}");
        parse("t.toml", &toml).unwrap()
    }

    /// The family found in a document read from `text` as the file `name`.
    fn family_of(name: &str, text: &str, families: &[Family]) -> Option<String> {
        let doc =
            crate::read::read_bytes(Path::new(name), text.as_bytes(), &Default::default()).unwrap();
        crate::extract::extract(&doc, families).family
    }

    /// A family is found only when its phrase ends within its first `detect_within × 40`
    /// characters, white space not counted, even when another family reads further.
    #[test]
    fn detection_reads_as_far_as_the_family_says() {
        let families = [family("near", "自评 报告", 1), family("far", "附件", 3)];
        // `lead` characters (spaced out), then the phrase, then the other family's.
        let detected = |lead: usize| {
            let text = format!("{}\n自评\u{3000}报告\n\n附件", "字 ".repeat(lead));
            family_of("t.txt", &text, &families)
        };
        assert_eq!(detected(36).as_deref(), Some("near"));
        assert_eq!(detected(37).as_deref(), Some("far"));
        // The widest family's own edge: `附件` ends at character 120 or beyond it.
        assert_eq!(detected(114).as_deref(), Some("far"));
        assert_eq!(detected(115), None);
        assert_eq!(detected(200), None);
    }

    /// Of a table, the first 40 cells are read, all of them; a window of 0 reads nothing.
    #[test]
    fn detection_reads_the_first_forty_cells_of_a_table() {
        let wide = [family("wide", "自评报告", 100)];
        let detected = |families: &[Family], at: usize| {
            let cells: String = (0..45)
                .map(|i| {
                    if i == at {
                        "<td>自评报告</td>"
                    } else {
                        "<td>项</td>"
                    }
                })
                .collect();
            let html = format!("<html><body><table><tr>{cells}</tr></table></body></html>");
            family_of("t.html", &html, families)
        };
        assert_eq!(detected(&wide, 0).as_deref(), Some("wide"));
        assert_eq!(detected(&wide, 39).as_deref(), Some("wide"));
        assert_eq!(detected(&wide, 40), None);
        assert_eq!(detected(&[family("zero", "自评报告", 0)], 0), None);
    }
}
