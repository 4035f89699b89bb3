//! Baselines: the findings of a run recorded in a file (`check --write-baseline`), so that a
//! later run (`check --baseline`) reports only new findings and lists the recorded ones that
//! are gone. Findings are matched by document path and fingerprint, which stay put across
//! re-saves and edits elsewhere in a document.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::check::Finding;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub fingerprint: String,
    pub code: String,
    pub message: String,
}

impl Entry {
    pub fn of(path: &str, f: &Finding) -> Self {
        Entry {
            path: path.to_string(),
            fingerprint: f.fingerprint.clone(),
            code: f.code.to_string(),
            message: f.message.clone(),
        }
    }
}

/// The file's contents.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// A baseline read for a run: which findings to suppress, and which of them were met.
#[derive(Debug, Default)]
pub struct Baseline {
    recorded: BTreeSet<(String, String)>,
    entries: Vec<Entry>,
    met: Mutex<BTreeSet<(String, String)>>,
}

impl Baseline {
    /// Reads a baseline file; the error names the file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a jixiao baseline: {e}", path.display()))?;
        Ok(Baseline {
            recorded: file
                .findings
                .iter()
                .map(|e| (e.path.clone(), e.fingerprint.clone()))
                .collect(),
            entries: file.findings,
            met: Mutex::default(),
        })
    }

    /// Drops from `findings` (of the document at `path`) those the baseline records.
    pub fn suppress(&self, path: &str, findings: &mut Vec<Finding>) {
        let mut met = self.met.lock().unwrap_or_else(|e| e.into_inner());
        findings.retain(|f| {
            let key = (path.to_string(), f.fingerprint.clone());
            if self.recorded.contains(&key) {
                met.insert(key);
                false
            } else {
                true
            }
        });
    }

    /// Recorded findings that this run did not meet (fixed, or their document not checked).
    pub fn gone(&self) -> Vec<&Entry> {
        let met = self.met.lock().unwrap_or_else(|e| e.into_inner());
        self.entries
            .iter()
            .filter(|e| !met.contains(&(e.path.clone(), e.fingerprint.clone())))
            .collect()
    }
}

/// Writes `entries` as a baseline file (sorted, so that re-running gives the same file).
pub fn write(path: &Path, mut entries: Vec<Entry>) -> std::io::Result<()> {
    entries.sort();
    entries.dedup();
    let file = File {
        version: 1,
        findings: entries,
    };
    let text = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)? + "\n";
    std::fs::write(path, text)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}
