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

use crate::check::{Finding, Involved, Ledger, Settings, Severity};
use crate::location::At;

/// Per content hash: the first two documents that have it and how many do.
struct Group {
    first: usize,
    second: Option<usize>,
    size: usize,
}

pub fn check<'l>(
    ledgers: &'l [Ledger],
    _: &'l Settings,
) -> Box<dyn Fn(usize) -> Vec<Finding> + 'l> {
    let mut groups: HashMap<&str, Group> = HashMap::new();
    for (i, l) in ledgers.iter().enumerate() {
        let g = groups.entry(l.sha256.as_str()).or_insert(Group {
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
        let Some(group) = groups.get(ledgers[i].sha256.as_str()) else {
            return Vec::new();
        };
        let Some(second) = group.second else {
            return Vec::new();
        };
        let other = &ledgers[if i == group.first {
            second
        } else {
            group.first
        }];
        let others = if group.size > 2 {
            format!(" and {} other files", group.size - 2)
        } else {
            String::new()
        };
        vec![Finding {
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
        }]
    })
}
