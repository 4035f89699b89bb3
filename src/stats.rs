//! `jixiao stats`: what a batch or an output database holds — documents by family and year,
//! findings by rule, and the first-digit (Benford) distribution of the amounts reported.
//!
//! Both sources are read as the same flat rows ([`crate::emit::flat`]), so the figures agree.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::emit::flat::{Kind, Rows, Value, CELLS, DOCUMENTS, FIGURES, FINDINGS, KINDS};
use crate::extract::family::NO_FAMILY;

/// Counts gathered from documents.
#[derive(Debug, Default, Serialize)]
pub struct Stats {
    /// Documents read, by family ([`NO_FAMILY`] when none) and year (`null` when unknown).
    pub documents: BTreeMap<String, BTreeMap<String, usize>>,
    /// Files that could not be read.
    pub unreadable: usize,
    /// Findings by rule code, then severity.
    pub findings: BTreeMap<String, BTreeMap<String, usize>>,
    /// How many amounts start with each digit 1–9 (index 0 is digit 1).
    pub first_digits: [u64; 9],
    /// Files whose content (SHA-256) repeats a file already counted: counted once.
    pub duplicates: usize,
    /// Content hashes of the documents counted.
    #[serde(skip)]
    hashes: std::collections::BTreeSet<String>,
    /// Paths of the repeats, whose rows are not counted again (by database id when read
    /// from a database).
    #[serde(skip)]
    repeats: std::collections::BTreeSet<String>,
    #[serde(skip)]
    repeat_ids: std::collections::BTreeSet<i64>,
    /// Paths of the documents this part counted (its document, or its findings' documents).
    #[serde(skip)]
    paths: std::collections::BTreeSet<String>,
}

/// Fewer amounts than this give no Benford verdict: the test says nothing on small samples.
pub const MIN_BENFORD_AMOUNTS: u64 = 300;

/// The first-digit test: observed against Benford's expected proportions.
#[derive(Debug, Serialize)]
pub struct Benford {
    /// Amounts tested.
    pub amounts: u64,
    /// Observed proportion for digits 1–9.
    pub observed: [f64; 9],
    /// log10(1 + 1/d) for digits 1–9.
    pub expected: [f64; 9],
    /// Pearson's chi-square over the 9 digits (8 degrees of freedom; 15.51 is the 5 % level).
    pub chi_square: f64,
    /// Mean absolute deviation of the proportions.
    pub mad: f64,
    /// Nigrini's reading of the MAD for first digits.
    pub conformity: &'static str,
}

fn text<'a>(kind: &Kind, row: &'a [Value], column: &str) -> Option<&'a str> {
    match kind.column(column).and_then(|i| row.get(i)) {
        Some(Value::Text(s)) => Some(s),
        _ => None,
    }
}

fn int(kind: &Kind, row: &[Value], column: &str) -> Option<i64> {
    match kind.column(column).and_then(|i| row.get(i)) {
        Some(Value::Int(n)) => Some(*n),
        _ => None,
    }
}

/// The first significant digit of a decimal string, if it is a nonzero number.
fn first_digit(value: &str) -> Option<usize> {
    let d: Decimal = value.parse().ok()?;
    d.abs()
        .to_string()
        .bytes()
        .find(|b| (b'1'..=b'9').contains(b))
        .map(|b| usize::from(b - b'1'))
}

impl Stats {
    /// Counts one row of the given kind.
    ///
    /// Amounts are money figures: cells and running-text figures whose unit is 元/万元/亿元,
    /// and unit-less cells in a table whose stated unit is money; every nonzero amount counts,
    /// totals included.
    pub fn add(&mut self, kind: &Kind, row: &[Value]) {
        if kind.name == DOCUMENTS.name {
            if text(kind, row, "status") == Some("error") {
                self.unreadable += 1;
                return;
            }
            if let Some(sha256) = text(kind, row, "sha256") {
                if !self.hashes.insert(sha256.to_string()) {
                    self.duplicates += 1;
                    self.repeats
                        .insert(text(kind, row, "path").unwrap_or_default().to_string());
                    return;
                }
            }
            self.paths
                .insert(text(kind, row, "path").unwrap_or_default().to_string());
            let family = text(kind, row, "family").unwrap_or(NO_FAMILY).to_string();
            let year = int(kind, row, "year").map_or("null".to_string(), |y| y.to_string());
            *self
                .documents
                .entry(family)
                .or_default()
                .entry(year)
                .or_default() += 1;
        } else if match kind.column("document").and_then(|i| row.get(i)) {
            Some(Value::Text(path)) => self.repeats.contains(path),
            Some(Value::Int(id)) => self.repeat_ids.contains(id),
            _ => false,
        } {
        } else if kind.name == FINDINGS.name {
            if let Some(path) = text(kind, row, "document") {
                self.paths.insert(path.to_string());
            }
            let code = text(kind, row, "code").unwrap_or("?").to_string();
            let severity = text(kind, row, "severity").unwrap_or("?").to_string();
            *self
                .findings
                .entry(code)
                .or_default()
                .entry(severity)
                .or_default() += 1;
        } else if kind.name == CELLS.name || kind.name == FIGURES.name {
            let money = |u: Option<&str>| u.is_some_and(|u| u.ends_with('元'));
            let is_amount = match text(kind, row, "kind") {
                Some("money") => true,
                Some("plain") => money(text(kind, row, "table_unit")),
                _ => false,
            };
            if let Some(d) = is_amount
                .then(|| text(kind, row, "value").and_then(first_digit))
                .flatten()
            {
                self.first_digits[d] += 1;
            }
        }
    }

    /// Counts every row of one report.
    pub fn add_rows(&mut self, rows: &Rows) {
        for (kind, kind_rows) in KINDS.iter().zip(rows) {
            for row in kind_rows {
                self.add(kind, row);
            }
        }
    }

    /// Adds the counts of another batch part (a part whose documents were all counted already,
    /// a repeated file, counts as duplicates only).
    pub fn merge(&mut self, other: Stats) {
        if !other.hashes.is_empty() && other.hashes.is_subset(&self.hashes) {
            self.duplicates += other.hashes.len() + other.duplicates;
            self.repeats.extend(other.paths);
            return;
        }
        // Cross-document findings about a repeat come after it: not counted either.
        if other.hashes.is_empty()
            && !other.paths.is_empty()
            && other.paths.is_subset(&self.repeats)
        {
            return;
        }
        self.paths.extend(other.paths);
        self.hashes.extend(other.hashes);
        self.duplicates += other.duplicates;
        for (family, years) in other.documents {
            for (year, n) in years {
                *self
                    .documents
                    .entry(family.clone())
                    .or_default()
                    .entry(year)
                    .or_default() += n;
            }
        }
        self.unreadable += other.unreadable;
        for (code, by) in other.findings {
            for (severity, n) in by {
                *self
                    .findings
                    .entry(code.clone())
                    .or_default()
                    .entry(severity)
                    .or_default() += n;
            }
        }
        for (a, b) in self.first_digits.iter_mut().zip(other.first_digits) {
            *a += b;
        }
    }

    /// The first-digit test over the amounts counted; `None` when there are none.
    pub fn benford(&self) -> Option<Benford> {
        let n: u64 = self.first_digits.iter().sum();
        if n == 0 {
            return None;
        }
        let total = n as f64;
        let mut observed = [0.0; 9];
        let mut expected = [0.0; 9];
        let (mut chi_square, mut mad) = (0.0, 0.0);
        for d in 0..9 {
            let p = (1.0 + 1.0 / (d as f64 + 1.0)).log10();
            let o = self.first_digits[d] as f64 / total;
            expected[d] = p;
            observed[d] = o;
            chi_square += (self.first_digits[d] as f64 - total * p).powi(2) / (total * p);
            mad += (o - p).abs() / 9.0;
        }
        let conformity = match mad {
            _ if n < MIN_BENFORD_AMOUNTS => "not enough figures for a verdict",
            m if m <= 0.006 => "close conformity",
            m if m <= 0.012 => "acceptable conformity",
            m if m <= 0.015 => "marginally acceptable conformity",
            _ => "nonconformity",
        };
        Some(Benford {
            amounts: n,
            observed,
            expected,
            chi_square,
            mad,
            conformity,
        })
    }

    /// The report for people.
    pub fn render(&self) -> String {
        let mut out = String::from("documents by family and year\n");
        for (family, years) in &self.documents {
            for (year, n) in years {
                let _ = writeln!(out, "  {family:<28} {year:>6} {n:>8}");
            }
        }
        let _ = writeln!(out, "  unreadable {:>43}", self.unreadable);
        if self.duplicates > 0 {
            let _ = writeln!(out, "  identical to a file counted {:>26}", self.duplicates);
        }
        out.push_str("\nfindings by rule\n");
        for (code, by) in &self.findings {
            let parts: Vec<String> = by.iter().map(|(s, n)| format!("{n} {s}")).collect();
            let name = crate::check::find(code).map_or("", |r| r.name);
            let _ = writeln!(out, "  {code} {name:<26} {}", parts.join(", "));
        }
        match self.benford() {
            None => out.push_str("\nno amounts for a first-digit test\n"),
            Some(b) => {
                let _ = writeln!(
                    out,
                    "\nfirst digits of {} amounts (Benford)\n  digit  observed  expected",
                    b.amounts
                );
                for d in 0..9 {
                    let _ = writeln!(
                        out,
                        "  {:>5}  {:>7.1}%  {:>7.1}%",
                        d + 1,
                        b.observed[d] * 100.0,
                        b.expected[d] * 100.0
                    );
                }
                let _ = writeln!(
                    out,
                    "  chi-square {:.2} (8 df; 15.51 at 5 %), MAD {:.4}: {}",
                    b.chi_square, b.mad, b.conformity
                );
            }
        }
        out
    }
}

/// Whether the file is an SQLite database (by its first 16 bytes).
pub fn is_database(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"SQLite format 3\0"
}

/// The statistics of a database written by `extract --format sqlite`.
pub fn from_database(path: &Path) -> Result<Stats, String> {
    let err = |e: rusqlite::Error| format!("{}: {e}", path.display());
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(err)?;
    conn.query_row(
        "SELECT value FROM meta WHERE key = 'schema_version'",
        [],
        |r| r.get::<_, String>(0),
    )
    .map_err(|_| {
        format!(
            "{}: not a database written by `jixiao extract --format sqlite`",
            path.display()
        )
    })?;
    let mut stats = Stats::default();
    // Documents whose content an earlier document of the database has: counted once.
    let mut repeats = conn
        .prepare(
            "SELECT d.id FROM documents d WHERE EXISTS \
             (SELECT 1 FROM documents e WHERE e.sha256 = d.sha256 AND e.id < d.id)",
        )
        .map_err(err)?;
    stats.repeat_ids = repeats
        .query_map([], |r| r.get::<_, i64>(0))
        .map_err(err)?
        .collect::<Result<_, _>>()
        .map_err(err)?;
    for kind in [&DOCUMENTS, &FINDINGS, &CELLS, &FIGURES] {
        let columns: Vec<String> = kind
            .columns
            .iter()
            .map(|(n, _)| format!("\"{}\"", crate::emit::sqlite::sql_column(n)))
            .collect();
        let mut stmt = conn
            .prepare(&format!("SELECT {} FROM {}", columns.join(", "), kind.name))
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let row: Vec<Value> = (0..kind.columns.len())
                .map(|i| match r.get_ref(i) {
                    Ok(rusqlite::types::ValueRef::Integer(n)) => Value::Int(n),
                    Ok(rusqlite::types::ValueRef::Text(t)) => {
                        Value::Text(String::from_utf8_lossy(t).into_owned())
                    }
                    _ => Value::Null,
                })
                .collect();
            stats.add(kind, &row);
        }
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_significant_digits() {
        assert_eq!(first_digit("1482.43"), Some(0));
        assert_eq!(first_digit("0.33"), Some(2));
        assert_eq!(first_digit("-9"), Some(8));
        assert_eq!(first_digit("0"), None);
        assert_eq!(first_digit("x"), None);
    }

    #[test]
    fn benford_figures_follow_the_definitions() {
        // Exactly Benford-distributed counts (×1000, rounded) give a MAD near zero.
        let mut s = Stats {
            first_digits: [301, 176, 125, 97, 79, 67, 58, 51, 46],
            ..Stats::default()
        };
        let b = s.benford().unwrap();
        assert_eq!(b.amounts, 1000);
        assert!(b.mad < 0.001, "{}", b.mad);
        assert!(b.chi_square < 0.1, "{}", b.chi_square);
        assert_eq!(b.conformity, "close conformity");
        // Uniform digits are far from Benford.
        s.first_digits = [100; 9];
        let b = s.benford().unwrap();
        assert_eq!(b.conformity, "nonconformity");
        assert!(b.chi_square > 100.0);
    }
}
