//! The check stage: rules, each with a stable code, run over an [`Extraction`] and report
//! [`Finding`]s. Rules read extracted figures, never files.
//!
//! Arithmetic does not cry wolf: a figure written with d decimals stands for the interval
//! v ± ½·10⁻ᵈ (XBRL Calculations 1.1). A relation is `exact` when the written figures agree,
//! `rounding` when they differ but the intervals meet (severity info), `material` otherwise
//! (the rule's severity). A figure's decimals are the most any figure in its table column
//! is written with (`44` among two-decimal figures stands for 44.00 ± 0.005), and counts
//! (`个`, `人`, a `个数` column) are exact. See `docs/checks.md`.

pub mod arithmetic;
pub mod ledger;
pub mod rules;

use crate::extract::Extraction;
use crate::location::At;

pub use crate::finding::{Class, Finding, Involved, Severity};
pub use ledger::{Ledger, Ledgers};
pub use rules::{find, registry, Check, Rule};

/// 重要性水平: differences an auditor would not pursue. A material finding whose difference is
/// at most `amount` (in the unit of the figures, usually 万元) or at most `share` of the
/// computed figure is reported as [`Class::Immaterial`], at info. A family of its own
/// `[materiality.family.ID]` takes that threshold instead (a 部门决算 in 元 needs another
/// amount than a 自评表 in 万元).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Materiality {
    #[serde(default)]
    #[schemars(schema_with = "crate::decimal::setting_schema")]
    pub amount: Option<rust_decimal::Decimal>,
    /// A fraction: `0.001` for 0.1 %.
    #[serde(default)]
    #[schemars(schema_with = "crate::decimal::setting_schema")]
    pub share: Option<rust_decimal::Decimal>,
    /// Thresholds by family id, for that family's documents instead of the ones above.
    #[serde(default)]
    pub family: std::collections::BTreeMap<String, Threshold>,
}

/// One family's 重要性水平 (`[materiality.family.ID]`): as [`Materiality`]'s own.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    #[serde(default)]
    #[schemars(schema_with = "crate::decimal::setting_schema")]
    pub amount: Option<rust_decimal::Decimal>,
    #[serde(default)]
    #[schemars(schema_with = "crate::decimal::setting_schema")]
    pub share: Option<rust_decimal::Decimal>,
}

impl Materiality {
    /// Whether the threshold of `x`'s family (else the general one) covers `f`: a difference
    /// between sums of money (the stated figure's unit, or its table's, is money) small
    /// enough by amount or by share.
    fn covers(&self, f: &Finding, x: &Extraction) -> bool {
        if !is_money(x, &f.at) {
            return false;
        }
        let (amount, share) = match x.family.as_ref().and_then(|id| self.family.get(id)) {
            Some(t) => (t.amount, t.share),
            None => (self.amount, self.share),
        };
        let number = |s: &Option<String>| -> Option<rust_decimal::Decimal> {
            let s = s.as_deref()?;
            let digits: String = s
                .chars()
                .filter(|c| c.is_ascii_digit() || matches!(c, '.' | '-'))
                .collect();
            digits.parse().ok()
        };
        let Some(difference) = number(&f.difference).map(|d| d.abs()) else {
            return false;
        };
        let by_amount = amount.is_some_and(|a| difference <= a);
        let by_share = match (share, number(&f.computed)) {
            (Some(share), Some(computed)) if !computed.is_zero() => {
                difference <= share * computed.abs()
            }
            _ => false,
        };
        by_amount || by_share
    }
}

/// Whether the figure at `at` is money: by its own unit, or, in a table, by its region's.
fn is_money(x: &Extraction, at: &At) -> bool {
    use crate::recognize::number::{unit_kind, Kind};
    let money = |unit: Option<&str>| unit.and_then(unit_kind) == Some(Kind::Money);
    match at {
        At::Cell {
            table, row, col, ..
        } => x.tables.iter().filter(|r| r.table == *table).any(|r| {
            r.rows.iter().filter(|rw| rw.row == *row).any(|rw| {
                rw.cells
                    .iter()
                    .filter(|c| c.col == *col)
                    .any(|c| match &c.number {
                        Some(n) if n.kind == Kind::Plain => money(r.unit.as_deref()),
                        Some(n) => n.kind == Kind::Money,
                        None => false,
                    })
            })
        }),
        At::Text { .. } => x
            .figures
            .iter()
            .any(|f| f.at == *at && f.number.kind == Kind::Money),
        At::Document => false,
    }
}

/// Which rules run, and thresholds they use.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Codes or prefixes to run (`JX1`, `JX101`); empty means all.
    pub select: Vec<String>,
    /// Codes or prefixes not to run; wins over `select` when more specific or equal.
    pub ignore: Vec<String>,
    /// Lowest total score for each grade, best first (优 90, 良 80, 中 60, 差 0).
    pub grades: Vec<(String, rust_decimal::Decimal)>,
    /// Severity of a rule's material findings instead of its default, by code.
    pub severity: std::collections::BTreeMap<String, Severity>,
    pub materiality: Materiality,
    /// The language of the findings' messages.
    pub lang: crate::lang::Lang,
    /// The families documents were extracted with: their roles and declared relations.
    pub families: std::sync::Arc<Vec<crate::extract::family::Family>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            select: Vec::new(),
            ignore: Vec::new(),
            grades: crate::vocabulary::common()
                .grade_bands
                .iter()
                .map(|b| (b.grade.clone(), b.from))
                .collect(),
            severity: Default::default(),
            materiality: Materiality::default(),
            lang: crate::lang::Lang::En,
            families: std::sync::Arc::clone(crate::extract::family::built_in()),
        }
    }
}

impl Settings {
    /// The family `x` was recognized as.
    pub fn family(&self, x: &Extraction) -> Option<&crate::extract::family::Family> {
        let id = x.family.as_deref()?;
        self.families.iter().find(|f| f.id == id)
    }

    /// The score fields of `x`'s family, else those every document may have.
    pub fn scores(&self, x: &Extraction) -> &crate::extract::family::ScoreFields {
        self.family(x)
            .map_or(&crate::extract::family::ScoreFields::GENERIC, |f| &f.scores)
    }

    /// The roles for `x`'s columns and rows: its family's, else the vocabulary's.
    pub fn roles(&self, x: &Extraction) -> &crate::vocabulary::Roles {
        self.family(x)
            .map_or(&crate::vocabulary::common().roles, |f| f.roles())
    }

    /// Applies the materiality threshold and the severity overrides to a rule's finding: a
    /// material finding under the threshold becomes immaterial (info); one at the rule's
    /// default severity takes the configured one.
    fn judge(&self, f: &mut Finding, x: &Extraction) {
        if f.class == Some(Class::Material) && self.materiality.covers(f, x) {
            f.class = Some(Class::Immaterial);
            f.severity = Severity::Info;
            f.message.push_str(&self.lang.say("immaterial", &[]));
            return;
        }
        let default = rules::find(f.code).map(|r| r.severity);
        if let (Some(severity), Some(default)) = (self.severity.get(f.code), default) {
            if f.severity == default {
                f.severity = *severity;
            }
        }
    }

    /// Whether a cross-document rule runs, so that a batch must keep its documents' ledgers.
    pub fn across_documents(&self) -> bool {
        registry()
            .iter()
            .any(|r| matches!(r.check, Check::Batch(_)) && self.enabled(r.code))
    }

    /// Whether the rule with `code` runs: the longest matching prefix decides.
    pub fn enabled(&self, code: &str) -> bool {
        let best = |list: &[String]| {
            list.iter()
                .filter(|p| code.starts_with(p.as_str()) || p.as_str() == "ALL")
                .map(|p| if p == "ALL" { 0 } else { p.len() })
                .max()
        };
        let selected = if self.select.is_empty() {
            Some(0)
        } else {
            best(&self.select)
        };
        match (selected, best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }
}

/// Runs the enabled rules; findings come back sorted by location, then code.
pub fn run(x: &Extraction, settings: &Settings) -> Vec<Finding> {
    let ctx = arithmetic::Context::new(x, settings.roles(x));
    let mut out: Vec<Finding> = registry()
        .iter()
        .filter(|r| settings.enabled(r.code))
        .flat_map(|r| {
            let mut found = match r.check {
                Check::Document(check) => check(r, x, &ctx, settings),
                Check::Batch(_) => Vec::new(),
            };
            found
                .iter_mut()
                .for_each(|f| f.stamp(r.code, r.name, r.severity));
            found
        })
        .collect();
    for f in &mut out {
        settings.judge(f, x);
    }
    sort_and_seal(&mut out);
    out
}

/// Runs the enabled cross-document rules over a batch's ledgers and hands `emit` each
/// document's findings (by the index of its ledger) in ledger order, sorted by location and
/// code; documents without any are skipped.
pub fn run_batch(
    ledgers: &Ledgers,
    settings: &Settings,
    emit: &mut dyn FnMut(&Ledger, Vec<Finding>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let rules: Vec<_> = registry()
        .iter()
        .filter(|r| settings.enabled(r.code))
        .filter_map(|r| match r.check {
            Check::Batch(check) => Some((r, check(r, ledgers, settings))),
            Check::Document(_) => None,
        })
        .collect();
    for i in 0..ledgers.len() {
        let mut findings = Vec::new();
        for (rule, findings_of) in &rules {
            let mut found = findings_of(i)?;
            found
                .iter_mut()
                .for_each(|f| f.stamp(rule.code, rule.name, rule.severity));
            findings.extend(found);
        }
        if findings.is_empty() {
            continue;
        }
        let ledger = ledgers.get(i)?;
        sort_and_seal(&mut findings);
        emit(&ledger, findings)?;
    }
    Ok(())
}

/// Sorts a document's findings in reading order (then by code), drops a rule's repeats of a
/// finding at the same places, and fingerprints them.
fn sort_and_seal(findings: &mut Vec<Finding>) {
    findings.sort_by_cached_key(|f| (f.at.sort_key(), f.code, f.places()));
    findings.dedup_by(|a, b| a.code == b.code && a.places() == b.places());
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in findings.iter_mut() {
        f.seal(1);
        let n = seen.entry(f.fingerprint.clone()).or_default();
        *n += 1;
        if *n > 1 {
            f.seal(*n);
        }
    }
}
