//! Extractions as flat rows, one kind per table — documents, fields, cells, figures,
//! statements, findings — as the CSV and SQLite outputs write them (`docs/json.md`).
//!
//! Every row starts with the document's path, the key that ties the kinds together.

use serde::Serialize;

use super::Report;
use crate::check::Finding;
use crate::extract::Extraction;
use crate::location::At;
use crate::recognize::number::Number;

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<std::borrow::Cow<'_, str>> for Value {
    fn from(s: std::borrow::Cow<'_, str>) -> Self {
        Value::Text(s.into_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Self {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Int(i64::from(n))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Int(i64::from(b))
    }
}

/// A kind of row: its table name, columns (name and SQL type) and primary key.
pub struct Kind {
    pub name: &'static str,
    pub columns: &'static [(&'static str, &'static str)],
    pub key: &'static [&'static str],
}

impl Kind {
    /// The position of the column called `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|(n, _)| *n == name)
    }
}

/// Document-level facts; `status` is `ok`, or `error` with the reason in `error`.
pub const DOCUMENTS: Kind = Kind {
    name: "documents",
    columns: &[
        ("path", "TEXT NOT NULL"),
        ("status", "TEXT NOT NULL"),
        ("error", "TEXT"),
        ("sha256", "TEXT"),
        ("bytes", "INTEGER"),
        ("format", "TEXT"),
        ("encoding", "TEXT"),
        ("family", "TEXT"),
        ("title", "TEXT"),
        ("department", "TEXT"),
        ("year", "INTEGER"),
    ],
    key: &["path"],
};

/// Named fields of the document's family; `at` is the place as JSON, as `extract` writes it.
pub const FIELDS: Kind = Kind {
    name: "fields",
    columns: &[
        ("document", "TEXT NOT NULL"),
        ("key", "TEXT NOT NULL"),
        ("value", "TEXT NOT NULL"),
        ("unit", "TEXT"),
        ("raw", "TEXT NOT NULL"),
        ("scale", "INTEGER"),
        ("label", "TEXT"),
        ("location", "TEXT NOT NULL"),
        ("origin", "TEXT"),
        ("at", "TEXT NOT NULL"),
    ],
    key: &["document", "key"],
};

/// Every non-empty cell of every table region, typed when it holds one figure; `unit` is the
/// cell's own, `table_unit` the one its table states (`单位：万元`).
pub const CELLS: Kind = Kind {
    name: "cells",
    columns: &[
        ("document", "TEXT NOT NULL"),
        ("table_index", "INTEGER NOT NULL"),
        ("region", "INTEGER NOT NULL"),
        ("row", "INTEGER NOT NULL"),
        ("col", "INTEGER NOT NULL"),
        ("row_label", "TEXT NOT NULL"),
        ("column_path", "TEXT NOT NULL"),
        ("total_row", "INTEGER NOT NULL"),
        ("raw", "TEXT NOT NULL"),
        ("value", "TEXT"),
        ("unit", "TEXT"),
        ("table_unit", "TEXT"),
        ("scale", "INTEGER"),
        ("kind", "TEXT"),
        ("comparator", "TEXT"),
        ("location", "TEXT NOT NULL"),
        ("origin", "TEXT"),
    ],
    key: &["document", "table_index", "region", "row", "col"],
};

/// Every figure in running text, with its subject.
pub const FIGURES: Kind = Kind {
    name: "figures",
    columns: &[
        ("document", "TEXT NOT NULL"),
        ("block", "INTEGER NOT NULL"),
        ("start", "INTEGER NOT NULL"),
        ("end", "INTEGER NOT NULL"),
        ("subject", "TEXT NOT NULL"),
        ("raw", "TEXT NOT NULL"),
        ("value", "TEXT NOT NULL"),
        ("unit", "TEXT"),
        ("scale", "INTEGER NOT NULL"),
        ("kind", "TEXT NOT NULL"),
        ("comparator", "TEXT"),
        ("base_value", "TEXT NOT NULL"),
        ("base_unit", "TEXT"),
        ("location", "TEXT NOT NULL"),
        ("origin", "TEXT"),
    ],
    key: &["document", "block", "start"],
};

/// Narrative totals with parts: one row for the total (`part` 0) and one per part.
pub const STATEMENTS: Kind = Kind {
    name: "statements",
    columns: &[
        ("document", "TEXT NOT NULL"),
        ("statement", "INTEGER NOT NULL"),
        ("part", "INTEGER NOT NULL"),
        ("role", "TEXT NOT NULL"),
        ("subject", "TEXT NOT NULL"),
        ("raw", "TEXT NOT NULL"),
        ("value", "TEXT NOT NULL"),
        ("unit", "TEXT"),
        ("sentence", "TEXT NOT NULL"),
        ("location", "TEXT NOT NULL"),
    ],
    key: &["document", "statement", "part"],
};

/// Findings of the checks; `scope` is `document`, or `batch` for cross-document rules.
pub const FINDINGS: Kind = Kind {
    name: "findings",
    columns: &[
        ("document", "TEXT NOT NULL"),
        ("fingerprint", "TEXT NOT NULL"),
        ("scope", "TEXT NOT NULL"),
        ("code", "TEXT NOT NULL"),
        ("rule", "TEXT NOT NULL"),
        ("severity", "TEXT NOT NULL"),
        ("class", "TEXT"),
        ("message", "TEXT NOT NULL"),
        ("stated", "TEXT"),
        ("computed", "TEXT"),
        ("difference", "TEXT"),
        ("location", "TEXT NOT NULL"),
        ("origin", "TEXT"),
        ("involved", "TEXT NOT NULL"),
    ],
    key: &["document", "fingerprint"],
};

/// Every kind, in the order outputs write them.
pub const KINDS: [&Kind; 6] = [
    &DOCUMENTS,
    &FIELDS,
    &CELLS,
    &FIGURES,
    &STATEMENTS,
    &FINDINGS,
];

/// The rows of one report, by kind (indices follow [`KINDS`]).
pub type Rows = [Vec<Vec<Value>>; 6];

/// A serde enum's name (`money`, `≥`).
fn name<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(Value::from))
        .unwrap_or(Value::Null)
}

fn origin(at: &At) -> Value {
    at.origin().map(ToString::to_string).into()
}

/// The rows of a report: an unreadable file is one `documents` row with status `error`;
/// a stored, unchanged file has none.
pub fn flatten(report: &Report) -> Rows {
    let mut rows: Rows = Default::default();
    match report {
        Report::Checked(x, _) => extraction(x, &mut rows),
        Report::Failed { path, error } => rows[0].push(vec![
            path.as_str().into(),
            "error".into(),
            error.as_str().into(),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
        ]),
        Report::Across { path, findings } => {
            for f in findings {
                rows[5].push(finding(path, "batch", f));
            }
        }
        Report::Unchanged { .. } => {}
    }
    rows
}

fn extraction(x: &Extraction, rows: &mut Rows) {
    let doc = x.source.path.as_str();
    rows[0].push(vec![
        doc.into(),
        "ok".into(),
        Value::Null,
        x.source.sha256.as_str().into(),
        Value::Int(i64::try_from(x.source.bytes).unwrap_or(i64::MAX)),
        x.source.format.name().into(),
        x.source.encoding.clone().into(),
        x.family.clone().into(),
        x.meta.title.clone().into(),
        x.meta.department.clone().into(),
        x.meta.year.into(),
    ]);
    for (key, f) in &x.fields {
        rows[1].push(vec![
            doc.into(),
            key.as_str().into(),
            f.value.as_str().into(),
            f.unit.clone().into(),
            f.raw.as_str().into(),
            f.scale.into(),
            f.label.clone().into(),
            f.at.logical().into(),
            origin(&f.at),
            serde_json::to_string(&f.at).unwrap_or_default().into(),
        ]);
    }
    for region in &x.tables {
        for row in &region.rows {
            for cell in row.cells.iter().filter(|c| !c.text.trim().is_empty()) {
                let n = cell.number.as_ref();
                rows[2].push(vec![
                    doc.into(),
                    region.table.into(),
                    region.region.into(),
                    row.row.into(),
                    cell.col.into(),
                    row.label.as_str().into(),
                    region
                        .columns
                        .iter()
                        .find(|c| c.col == cell.col)
                        .map(|c| c.path.join(" / "))
                        .unwrap_or_default()
                        .into(),
                    row.total.into(),
                    cell.text.trim().into(),
                    n.map(|n| n.value.to_string()).into(),
                    n.and_then(|n| n.unit.clone()).into(),
                    region.unit.clone().into(),
                    n.map(|n| n.scale).into(),
                    n.map_or(Value::Null, |n| name(&n.kind)),
                    n.and_then(|n| n.comparator)
                        .map_or(Value::Null, |c| name(&c)),
                    format!("table[{}]/r{}c{}", region.table, row.row, cell.col).into(),
                    cell.origin.to_string().into(),
                ]);
            }
        }
    }
    for f in &x.figures {
        let At::Text { block, span, .. } = &f.at else {
            continue;
        };
        let n = &f.number;
        rows[3].push(vec![
            doc.into(),
            (*block).into(),
            span.0.into(),
            span.1.into(),
            f.subject.as_str().into(),
            n.raw.as_str().into(),
            n.value.to_string().into(),
            n.unit.clone().into(),
            n.scale.into(),
            name(&n.kind),
            n.comparator.map_or(Value::Null, |c| name(&c)),
            n.base_value.to_string().into(),
            n.base_unit.into(),
            f.at.logical().into(),
            origin(&f.at),
        ]);
    }
    for (i, s) in x.statements.iter().enumerate() {
        let figure = |part: usize, role: &str, subject: &str, n: &Number, at: &At| {
            vec![
                doc.into(),
                i.into(),
                part.into(),
                role.into(),
                subject.into(),
                n.raw.as_str().into(),
                n.value.to_string().into(),
                n.unit.clone().into(),
                s.text.as_str().into(),
                at.logical().into(),
            ]
        };
        rows[4].push(figure(
            0,
            "total",
            &s.total.subject,
            &s.total.number,
            &s.total.at,
        ));
        for (p, part) in s.parts.iter().enumerate() {
            rows[4].push(figure(p + 1, "part", &part.subject, &part.number, &part.at));
        }
    }
    for f in &x.findings {
        rows[5].push(finding(doc, "document", f));
    }
}

fn finding(doc: &str, scope: &str, f: &Finding) -> Vec<Value> {
    vec![
        doc.into(),
        f.fingerprint.as_str().into(),
        scope.into(),
        f.code.into(),
        f.rule.into(),
        f.severity.name().into(),
        f.class.map_or(Value::Null, |c| name(&c)),
        f.message.as_str().into(),
        f.stated.clone().into(),
        f.computed.clone().into(),
        f.difference.clone().into(),
        f.at.logical().into(),
        origin(&f.at),
        serde_json::to_string(&f.involved)
            .unwrap_or_default()
            .into(),
    ]
}
