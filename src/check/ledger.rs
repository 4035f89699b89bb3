//! What a batch keeps of each document for the cross-document rules: who and when (path,
//! content hash, department, year) and the balances its family carries between years.
//!
//! [`Ledgers`] keeps them in an anonymous temporary file (JSON, one after another) with a
//! small key per document in memory (about 80 bytes), so memory does not grow with the batch;
//! the rules index the keys and read back the few ledgers their findings need.

use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::{Cursor, Read, Seek, SeekFrom, Write};

use serde::{Deserialize, Serialize};

use crate::extract::family::Family;
use crate::extract::{Extraction, Field};
use crate::read::sha256_from_hex;
use crate::recognize::table::squeeze;

/// One document as the cross-document rules see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
        let carries = carries(families, x.family.as_ref(), |k| {
            x.fields.get(k).map(|f| Field {
                label: cell_label(x, &f.at).or_else(|| f.label.clone()),
                ..f.clone()
            })
        });
        Ledger {
            path: x.source.path.clone(),
            sha256: x.source.sha256.clone(),
            department: x.meta.department.clone(),
            year: x.meta.year,
            carries,
        }
    }
}

/// A table cell's name as the document writes it: its row label and column header
/// (`汇总/上年结转`), as the other rules label the figures they compare.
fn cell_label(x: &Extraction, at: &crate::location::At) -> Option<String> {
    let crate::location::At::Cell {
        table, row, col, ..
    } = at
    else {
        return None;
    };
    x.tables.iter().filter(|r| r.table == *table).find_map(|r| {
        let row = r.rows.iter().find(|rw| rw.row == *row)?;
        let column = r.columns.iter().find(|c| c.col == *col)?.path.last()?;
        Some(format!("{}/{column}", row.label))
    })
}

/// What the cross-document rules index, per document, without reading its ledger back.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// The content hash (SHA-256); `None` when a stored hash is not one.
    pub sha256: Option<[u8; 32]>,
    /// A hash of the department's name with white space removed; equal names, equal hashes
    /// (the rules compare the names themselves once they have read the ledgers).
    pub department: Option<u64>,
    pub year: Option<u32>,
    /// Whether its family carries balances between years.
    pub carries: bool,
    /// Where its ledger is in the store.
    offset: u64,
    len: usize,
}

/// Where ledgers are kept: an unlinked temporary file, or memory when no temporary file can
/// be made (an unusable `$TMPDIR`), which is how a batch kept them before.
trait Store: Read + Write + Seek + Send {}
impl<T: Read + Write + Seek + Send> Store for T {}

/// The ledgers of a batch, in the order the documents were written.
#[derive(Default)]
pub struct Ledgers {
    keys: Vec<Key>,
    /// Created with the first ledger; unlinked, so nothing is left behind, even on a kill.
    store: Option<RefCell<Box<dyn Store>>>,
    /// Bytes written so far (the next ledger's offset).
    end: u64,
}

impl Ledgers {
    /// Appends a document's ledger.
    pub fn push(&mut self, ledger: &Ledger) -> std::io::Result<()> {
        let store = self.store.get_or_insert_with(|| {
            RefCell::new(match tempfile::tempfile() {
                Ok(file) => Box::new(file),
                Err(_) => Box::new(Cursor::new(Vec::new())),
            })
        });
        let bytes = serde_json::to_vec(ledger)?;
        let store = store.get_mut();
        store
            .seek(SeekFrom::Start(self.end))
            .and_then(|_| store.write_all(&bytes))
            .map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "temporary file for the cross-document rules' ledgers in {}: {e} \
                         (`jixiao check --ignore JX6` runs without it)",
                        std::env::temp_dir().display()
                    ),
                )
            })?;
        self.keys.push(Key {
            sha256: sha256_from_hex(&ledger.sha256),
            department: ledger.department.as_deref().map(department_hash),
            year: ledger.year,
            carries: !ledger.carries.is_empty(),
            offset: self.end,
            len: bytes.len(),
        });
        self.end += bytes.len() as u64;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// Reads document `i`'s ledger back.
    pub fn get(&self, i: usize) -> std::io::Result<Ledger> {
        let (Some(key), Some(store)) = (self.keys.get(i), &self.store) else {
            return Err(std::io::Error::other(format!("no ledger {i}")));
        };
        let mut store = store.borrow_mut();
        let mut bytes = vec![0; key.len];
        store.seek(SeekFrom::Start(key.offset))?;
        store.read_exact(&mut bytes)?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}

/// The hash of a department's name, white space ignored.
fn department_hash(name: &str) -> u64 {
    let mut h = DefaultHasher::new();
    squeeze(name).hash(&mut h);
    h.finish()
}
