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

use std::collections::HashMap;

use crate::check::rules::BatchFindings;
use crate::check::{Finding, Involved, Ledgers, Settings, Severity};
use crate::location::At;

/// Per content hash: the first two documents that have it and how many do.
struct Group {
    first: usize,
    second: Option<usize>,
    size: usize,
}

pub fn check<'l>(ledgers: &'l Ledgers, _: &'l Settings) -> BatchFindings<'l> {
    let mut groups: HashMap<[u8; 32], Group> = HashMap::new();
    for (i, key) in ledgers.keys().iter().enumerate() {
        let Some(sha256) = key.sha256 else {
            continue;
        };
        let g = groups.entry(sha256).or_insert(Group {
            first: i,
            second: None,
            size: 0,
        });
        g.size += 1;
        if g.size == 2 {
            g.second = Some(i);
        }
    }
    Box::new(move |i| {
        let Some(group) = ledgers.keys()[i].sha256.and_then(|s| groups.get(&s)) else {
            return Ok(Vec::new());
        };
        let Some(second) = group.second else {
            return Ok(Vec::new());
        };
        let other = ledgers.get(if i == group.first {
            second
        } else {
            group.first
        })?;
        let others = if group.size > 2 {
            format!(" and {} other files", group.size - 2)
        } else {
            String::new()
        };
        Ok(vec![Finding {
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
        }])
    })
}
