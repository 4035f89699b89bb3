//! The rule registry: one line per code. Each rule lives in its own file, grouped by family;
//! the file's `//!` comment is the rule's documentation (`jixiao rule CODE` prints it), in
//! English and, after a `## 中文` heading, in Chinese.

mod across;
mod crossref;
mod document;
mod identities;
mod indicators;
mod narrative;
mod rates;
mod scores;
mod totals;

use super::arithmetic::Context;
use super::ledger::Ledgers;
use super::{Finding, Settings, Severity};
use crate::extract::Extraction;
use crate::lang::Lang;

/// A cross-document rule: given the batch's ledgers, it indexes their keys once and returns
/// the findings of one document (by its index in the ledgers) at a time, reading back only the
/// ledgers it reports on, so that a batch's findings are written as they are made.
pub type BatchCheck = for<'l> fn(&'l Rule, &'l Ledgers, &'l Settings) -> BatchFindings<'l>;

/// The findings of document `i` of a batch (an error only if a ledger cannot be read back).
pub type BatchFindings<'l> = Box<dyn Fn(usize) -> std::io::Result<Vec<Finding>> + 'l>;

/// What a rule reads.
pub enum Check {
    /// One document's extraction.
    Document(fn(&Rule, &Extraction, &Context, &Settings) -> Vec<Finding>),
    /// The ledgers of every document in a batch; findings come with the index of the
    /// document they belong to.
    Batch(BatchCheck),
}

/// A check with a stable code.
pub struct Rule {
    /// Family prefix + 3 digits (`JX101`); never reused.
    pub code: &'static str,
    /// kebab-case name (`total-row-sum`).
    pub name: &'static str,
    /// Severity of a `material` finding (rounding differences are always `info`).
    pub severity: Severity,
    /// The rule's source file; its leading `//!` lines are the documentation.
    source: &'static str,
    pub check: Check,
}

impl Rule {
    /// The rule's sentence in the catalog (`src/messages.toml`, under its code) in `lang`.
    pub fn say(&self, lang: Lang, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        lang.say(self.code, values)
    }

    /// One of the rule's other sentences (`[JX201.zero]` is `part` `zero`).
    pub fn say_part(
        &self,
        lang: Lang,
        part: &str,
        values: &[(&str, &dyn std::fmt::Display)],
    ) -> String {
        lang.say(&[self.code, ".", part].concat(), values)
    }

    /// The rule's source file, whose sentences the catalog test reads.
    #[cfg(test)]
    pub(crate) fn source(&self) -> &'static str {
        self.source
    }

    /// The documentation in `lang`: the rule file's `//!` comment, the part before its
    /// `## 中文` heading (English) or after it (Chinese, its `###` headings raised to `##`).
    pub fn doc(&self, lang: Lang) -> String {
        let lines: Vec<&str> = self
            .source
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                let l = l.trim_start_matches("//!");
                l.strip_prefix(' ').unwrap_or(l)
            })
            .collect();
        let chinese = lines
            .iter()
            .position(|l| Lang::Zh.doc_heading() == Some(*l));
        let part = match (lang, chinese) {
            (Lang::En, Some(at)) => &lines[..at],
            (Lang::Zh, Some(at)) => &lines[at + 1..],
            (_, None) => &lines[..],
        };
        part.iter()
            .map(|l| {
                l.strip_prefix('#')
                    .filter(|_| lang == Lang::Zh)
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }

    /// The first paragraph of the documentation.
    pub fn summary(&self, lang: Lang) -> String {
        self.doc(lang)
            .split("\n\n")
            .next()
            .unwrap_or("")
            .replace('\n', " ")
    }
}

macro_rules! rule {
    ($code:literal, $name:literal, $severity:ident, $scope:ident($module:path), $file:literal) => {
        Rule {
            code: $code,
            name: $name,
            severity: Severity::$severity,
            source: include_str!($file),
            check: Check::$scope($module),
        }
    };
}

/// Every rule, ordered by code.
pub fn registry() -> &'static [Rule] {
    static RULES: &[Rule] = &[
        rule!(
            "JX001",
            "not-a-report",
            Warning,
            Document(document::not_a_report::check),
            "document/not_a_report.rs"
        ),
        rule!(
            "JX002",
            "empty-table-undeclared",
            Warning,
            Document(document::empty_table::check),
            "document/empty_table.rs"
        ),
        rule!(
            "JX003",
            "year-mismatch",
            Warning,
            Document(document::year_mismatch::check),
            "document/year_mismatch.rs"
        ),
        rule!(
            "JX101",
            "total-row-sum",
            Error,
            Document(totals::row_sum::check),
            "totals/row_sum.rs"
        ),
        rule!(
            "JX102",
            "total-column-sum",
            Error,
            Document(totals::column_sum::check),
            "totals/column_sum.rs"
        ),
        rule!(
            "JX103",
            "code-hierarchy-sum",
            Error,
            Document(totals::code_sum::check),
            "totals/code_sum.rs"
        ),
        rule!(
            "JX111",
            "narrative-sum",
            Error,
            Document(narrative::statement_sum::check),
            "narrative/statement_sum.rs"
        ),
        rule!(
            "JX121",
            "balance-identity",
            Error,
            Document(identities::balance::check),
            "identities/balance.rs"
        ),
        rule!(
            "JX122",
            "template-identity",
            Error,
            Document(identities::template::check),
            "identities/template.rs"
        ),
        rule!(
            "JX201",
            "rate-recompute",
            Error,
            Document(rates::rate::check),
            "rates/rate.rs"
        ),
        rule!(
            "JX202",
            "year-on-year",
            Error,
            Document(rates::year_on_year::check),
            "rates/year_on_year.rs"
        ),
        rule!(
            "JX203",
            "share-of-total",
            Error,
            Document(rates::share::check),
            "rates/share.rs"
        ),
        rule!(
            "JX301",
            "section-score-sum",
            Error,
            Document(scores::section_sum::check),
            "scores/section_sum.rs"
        ),
        rule!(
            "JX302",
            "score-above-points",
            Error,
            Document(scores::above_points::check),
            "scores/above_points.rs"
        ),
        rule!(
            "JX303",
            "grade-vs-score",
            Warning,
            Document(scores::grade::check),
            "scores/grade.rs"
        ),
        rule!(
            "JX304",
            "score-from-rate",
            Warning,
            Document(scores::from_rate::check),
            "scores/from_rate.rs"
        ),
        rule!(
            "JX305",
            "rubric-points",
            Warning,
            Document(scores::rubric_points::check),
            "scores/rubric_points.rs"
        ),
        rule!(
            "JX306",
            "score-restated",
            Error,
            Document(scores::restated::check),
            "scores/restated.rs"
        ),
        rule!(
            "JX401",
            "same-quantity-differs",
            Error,
            Document(crossref::same_quantity::check),
            "crossref/same_quantity.rs"
        ),
        rule!(
            "JX402",
            "narrative-vs-table",
            Warning,
            Document(crossref::narrative_table::check),
            "crossref/narrative_table.rs"
        ),
        rule!(
            "JX403",
            "magnitude-slip",
            Warning,
            Document(crossref::magnitude::check),
            "crossref/magnitude.rs"
        ),
        rule!(
            "JX404",
            "sentence-restated",
            Error,
            Document(crossref::restated_sentence::check),
            "crossref/restated_sentence.rs"
        ),
        rule!(
            "JX405",
            "subject-restated",
            Warning,
            Document(crossref::restated_subject::check),
            "crossref/restated_subject.rs"
        ),
        rule!(
            "JX501",
            "indicator-target-unmet",
            Info,
            Document(indicators::target_unmet::check),
            "indicators/target_unmet.rs"
        ),
        rule!(
            "JX502",
            "indicator-unit-mismatch",
            Info,
            Document(indicators::unit_mismatch::check),
            "indicators/unit_mismatch.rs"
        ),
        rule!(
            "JX503",
            "deduction-unexplained",
            Warning,
            Document(indicators::deduction::check),
            "indicators/deduction.rs"
        ),
        rule!(
            "JX601",
            "carry-over-differs",
            Error,
            Batch(across::carry_over::check),
            "across/carry_over.rs"
        ),
        rule!(
            "JX602",
            "duplicate-document",
            Info,
            Batch(across::duplicate::check),
            "across/duplicate.rs"
        ),
    ];
    RULES
}

/// The rule with this code, if any.
pub fn find(code: &str) -> Option<&'static Rule> {
    registry()
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        let codes: Vec<&str> = registry().iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        for r in registry() {
            let doc = r.doc(Lang::En);
            assert!(doc.len() > 100, "{} has no documentation", r.code);
            for section in ["## What it flags", "## Why it matters", "## Example"] {
                assert!(doc.contains(section), "{} lacks {section}", r.code);
            }
            let zh = r.doc(Lang::Zh);
            assert!(
                !zh.contains("## What"),
                "{}: English in the Chinese part",
                r.code
            );
            for section in ["## 检查内容", "## 为何重要", "## 示例"] {
                assert!(zh.contains(section), "{} lacks {section}", r.code);
            }
            assert!(!r.summary(Lang::Zh).is_empty() && !r.summary(Lang::Zh).contains('#'));
        }
    }
}
