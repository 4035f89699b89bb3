//! What a check reports: a [`Finding`], its [`Severity`], how its figures compare ([`Class`])
//! and the figures [`Involved`]. The extraction carries them and every output format writes
//! them; the check stage makes them.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::location::At;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    clap::ValueEnum,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The severity's name for people, in `lang` (错误, 警告, 提示).
    pub fn said(self, lang: crate::lang::Lang) -> String {
        match self {
            Severity::Error => lang.say("error", &[]),
            Severity::Warning => lang.say("warning", &[]),
            Severity::Info => lang.say("info", &[]),
        }
    }
}

/// How a stated figure compares with the one computed from its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// The written figures agree exactly.
    Exact,
    /// They differ, but rounding to the written decimals explains it.
    Rounding,
    /// Rounding cannot explain the difference.
    Material,
    /// Rounding cannot explain it, but it is below the materiality threshold
    /// (`[materiality]` in `jixiao.toml`): reported as info.
    Immaterial,
}

/// A figure that takes part in a finding.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Involved {
    /// `total`, `part`, `numerator`, `denominator`, `rate`, `target`, `actual` …
    pub role: &'static str,
    /// The label of the row or the subject of the sentence.
    pub label: String,
    /// The figure as written.
    pub raw: String,
    pub at: At,
    /// The other document's path, when the figure is not in the finding's own document
    /// (cross-document rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// One problem (or, for `rounding`, one explained difference) found in a document.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Finding {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<Class>,
    /// What is wrong, with the document's own labels.
    pub message: String,
    /// The figure as the document states it, in the unit it is written in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated: Option<String>,
    /// What the rule computes it should be, in the same unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<String>,
    /// `computed − stated`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
    /// Where the finding points: the stated figure.
    pub at: At,
    pub involved: Vec<Involved>,
    /// Stable across runs, thread counts, re-saves, reformatting and edits elsewhere in the
    /// document: a hash of the code and of each figure involved — its role, label (row and
    /// column headers, or the sentence's subject) and text as written, and the other document
    /// for cross-document findings — not of positions or of the file's bytes. Two findings
    /// that would share one get `#2`, `#3` … in reading order before hashing.
    pub fingerprint: String,
    /// The severity the rule reports this finding at instead of its default, if any.
    #[serde(skip)]
    #[schemars(skip)]
    pinned: Option<Severity>,
}

impl Finding {
    /// A finding of the rule being run, pointing at `at`. Its code, rule name and severity are
    /// stamped when the rule's findings are collected (`crate::check::run`, `run_batch`),
    /// from the registry: the one place that decides them.
    pub fn new(class: Option<Class>, message: String, at: At, involved: Vec<Involved>) -> Finding {
        Finding {
            code: "",
            rule: "",
            severity: Severity::Info,
            class,
            message,
            stated: None,
            computed: None,
            difference: None,
            at,
            involved,
            fingerprint: String::new(),
            pinned: None,
        }
    }

    /// The figures compared: as stated, as computed, and `computed − stated`.
    pub fn figures(
        mut self,
        stated: Option<String>,
        computed: Option<String>,
        difference: Option<String>,
    ) -> Finding {
        (self.stated, self.computed, self.difference) = (stated, computed, difference);
        self
    }

    /// Reports the finding at `severity` instead of the rule's default (a rate over a zero
    /// denominator is a warning of a rule whose errors are wrong rates).
    pub fn at_severity(mut self, severity: Severity) -> Finding {
        self.pinned = Some(severity);
        self
    }

    /// Stamps the rule's `code` and `name`, and the severity: `info` when rounding explains
    /// the difference, else the one the rule pinned, else the rule's `default`.
    pub(crate) fn stamp(&mut self, code: &'static str, name: &'static str, default: Severity) {
        self.code = code;
        self.rule = name;
        self.severity = match (self.class, self.pinned) {
            (Some(Class::Rounding), _) => Severity::Info,
            (_, Some(pinned)) => pinned,
            _ => default,
        };
    }

    /// Fills the fingerprint from the code and the figures involved ([`Finding::fingerprint`]);
    /// `occurrence` tells apart findings that would otherwise share one.
    pub(crate) fn seal(&mut self, occurrence: usize) {
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(self.code.as_bytes());
        field(self.stated.as_deref().unwrap_or_default().as_bytes());
        for i in &self.involved {
            field(i.role.as_bytes());
            field(i.label.as_bytes());
            field(i.raw.as_bytes());
            field(i.document.as_deref().unwrap_or_default().as_bytes());
        }
        if occurrence > 1 {
            field(&occurrence.to_le_bytes());
        }
        self.fingerprint = crate::read::lower_hex(&h.finalize()[..8]);
    }

    /// The places the finding points at, which tell a finding from a repeat of itself.
    pub(crate) fn places(&self) -> (String, Vec<String>) {
        (
            self.at.logical(),
            self.involved.iter().map(|i| i.at.logical()).collect(),
        )
    }
}
