//! `jixiao.toml`: the same settings as the `check` flags, found in the current directory or
//! the nearest parent. Unknown keys are errors.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::check::Severity;
use crate::emit::OutputFormat;

/// The file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rule codes or prefixes to run.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rule codes or prefixes not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Lowest severity that makes `check` exit 1.
    pub fail_on: Option<Severity>,
    pub output_format: Option<OutputFormat>,
    /// Grade bands: lowest total score for each grade (`优 = 90`).
    pub grades: Option<std::collections::BTreeMap<String, Decimal>>,
}

/// The nearest `jixiao.toml` from `start` upwards, if any.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join("jixiao.toml"))
        .find(|p| p.is_file())
}

/// Reads and validates a config file; the error names the file.
pub fn load(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}
