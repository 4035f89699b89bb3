//! Two files of the batch have exactly the same content.
//!
//! ## What it flags
//! Every document whose bytes (SHA-256) are identical to another file's in the same batch.
//! All files stay in the output as separate records; each is marked with one other path of
//! its group (the first, or for the first the second) and the size of the group, so neither
//! is silently dropped and a group of n copies gives n findings, not n².
//!
//! ## Why it matters
//! Archives collect the same report under several names (a download saved twice, an
//! attachment filed under two projects). Counting it twice inflates totals and statistics;
//! dropping one silently loses a path someone will look for.
//!
//! ## Example
//! `2021/湘西乡村振兴局.docx` and `inbox/附件1.docx` with the same SHA-256: each gets an info
//! finding naming the other path ("same content as inbox/附件1.docx").

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
            let j = if i == group[0] { group[1] } else { group[0] };
            let other = &ledgers[j];
            let others = if group.len() > 2 {
                format!(" and {} other files", group.len() - 2)
            } else {
                String::new()
            };
            out.push((
                i,
                Finding {
                    code: "JX602",
                    rule: "duplicate-document",
                    severity: Severity::Info,
                    class: None,
                    message: format!("same content as {}{others}", other.path),
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
    out
}
