//! What a batch keeps of each document for the cross-document rules: who and when (path,
//! content hash, department, year) and the balances its family carries between years.
//!
//! A ledger is a few strings per document (about 300 bytes; measured in
//! docs/benchmarks.md), so a batch of any size can keep them all. The rules index them and
//! produce each document's findings as it is written, so findings are never all held.

use crate::extract::family::Family;
use crate::extract::{Extraction, Field};

/// One document as the cross-document rules see it.
#[derive(Debug, Clone)]
pub struct Ledger {
    pub path: String,
    pub sha256: String,
    pub department: Option<String>,
    pub year: Option<u32>,
    /// The family's carried balances, with this document's fields for each side.
    pub carries: Vec<Carry>,
}

/// One carried balance of a document: its opening field (carried in from last year) and its
/// closing field (carried out to next year), either of which may be missing.
#[derive(Debug, Clone)]
pub struct Carry {
    pub opening_key: String,
    pub closing_key: String,
    pub opening: Option<Field>,
    pub closing: Option<Field>,
}

/// The carried balances of family `family` (none for an unknown family), each side's field
/// looked up with `field`.
pub fn carries(
    families: &[Family],
    family: Option<&String>,
    mut field: impl FnMut(&str) -> Option<Field>,
) -> Vec<Carry> {
    let Some(f) = families.iter().find(|f| Some(&f.id) == family) else {
        return Vec::new();
    };
    f.carries
        .iter()
        .map(|c| Carry {
            opening_key: c.opening.clone(),
            closing_key: c.closing.clone(),
            opening: field(&c.opening),
            closing: field(&c.closing),
        })
        .collect()
}

impl Ledger {
    /// The ledger of an extraction; `families` supplies the carried balances of its family.
    pub fn of(x: &Extraction, families: &[Family]) -> Ledger {
        let carries = carries(families, x.family.as_ref(), |k| x.fields.get(k).cloned());
        Ledger {
            path: x.source.path.clone(),
            sha256: x.source.sha256.clone(),
            department: x.meta.department.clone(),
            year: x.meta.year,
            carries,
        }
    }
}
