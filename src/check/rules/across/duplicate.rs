//! Two files of the batch have exactly the same content.
//!
//! ## What it flags
//! Every document whose bytes (SHA-256) are identical to another file's in the same batch,
//! once for each other path. Both files stay in the output as separate records; each is
//! marked as a duplicate of the other, so neither is silently dropped.
//!
//! ## Why it matters
//! Archives collect the same report under several names (a download saved twice, an
//! attachment filed under two projects). Counting it twice inflates totals and statistics;
//! dropping one silently loses a path someone will look for.
//!
//! ## Example
//! `2021/湘西乡村振兴局.docx` and `inbox/附件1.docx` with the same SHA-256: each gets an info
//! finding naming the other path.

use std::collections::BTreeMap;

use crate::check::{Finding, Involved, Ledger, Settings, Severity};
use crate::location::At;

pub fn check(ledgers: &[Ledger], _: &Settings) -> Vec<(usize, Finding)> {
    let mut by_hash: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, l) in ledgers.iter().enumerate() {
        by_hash.entry(l.sha256.as_str()).or_default().push(i);
    }
    let mut out = Vec::new();
    for group in by_hash.values().filter(|g| g.len() > 1) {
        for &i in group {
            for &j in group.iter().filter(|&&j| j != i) {
                let other = &ledgers[j];
                out.push((
                    i,
                    Finding {
                        code: "JX602",
                        rule: "duplicate-document",
                        severity: Severity::Info,
                        class: None,
                        message: format!("same content as {}", other.path),
                        stated: None,
                        computed: None,
                        difference: None,
                        at: At::Document,
                        involved: vec![Involved {
                            role: "duplicate",
                            label: "SHA-256".into(),
                            raw: other.sha256.clone(),
                            at: At::Document,
                            document: Some(other.path.clone()),
                        }],
                        fingerprint: String::new(),
                    },
                ));
            }
        }
    }
    out
}
