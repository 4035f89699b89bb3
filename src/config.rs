//! `jixiao.toml`: the same settings as the `check` flags, found in the current directory or
//! the nearest parent (unknown keys are errors), and the rule [`Settings`] it and the flags give.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::check::{Settings, Severity};
use crate::emit::OutputFormat;
use crate::lang::Lang;

/// The file's contents.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
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
    #[serde(default)]
    #[schemars(schema_with = "crate::decimal::settings_schema")]
    pub grades: Option<std::collections::BTreeMap<String, Decimal>>,
    /// Language of messages, summaries, rule documentation and the HTML report: `zh` or `en`.
    pub lang: Option<crate::lang::Lang>,
    /// Show only findings at or above this severity (`--min-severity`).
    pub min_severity: Option<Severity>,
    /// Severity of a rule's material findings instead of its default: `JX402 = "info"`.
    #[serde(default)]
    pub severity: std::collections::BTreeMap<String, Severity>,
    /// 重要性水平: differences at most `amount` (in the figures' unit, usually 万元) or at
    /// most `share` of the computed figure are reported as immaterial (info).
    pub materiality: Option<crate::check::Materiality>,
    /// A folder of more extractor files (`*.toml`), relative to this file; `--extractors`
    /// wins. A family there with a built-in's id replaces the built-in.
    pub extractors: Option<PathBuf>,
}

/// The JSON Schema of `jixiao.toml` (`docs/config.schema.json`).
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(Config)
}

/// What `jixiao init` writes: every key, commented out, with what it does.
pub const TEMPLATE: &str = include_str!("jixiao.init.toml");

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
    let mut config: Config =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if let (Some(dir), Some(parent)) = (config.extractors.as_mut(), path.parent()) {
        *dir = parent.join(&*dir);
    }
    Ok(config)
}

/// The configuration (`--config`, else the nearest `jixiao.toml`) and the rule settings it
/// gives, with `select` and `ignore` from the command line added; codes are validated.
pub fn settings(
    config: Option<&Path>,
    select: &[String],
    ignore: &[String],
    lang: Option<Lang>,
) -> Result<(Config, Settings), String> {
    let config_path = match config {
        Some(p) => Some(p.to_path_buf()),
        None => std::env::current_dir().ok().and_then(|d| find(&d)),
    };
    let config = config_path
        .as_deref()
        .map(load)
        .transpose()?
        .unwrap_or_default();
    let mut settings = Settings {
        select: if select.is_empty() {
            config.select.clone()
        } else {
            select.to_vec()
        },
        ignore: config.ignore.iter().chain(ignore).cloned().collect(),
        severity: config.severity.clone(),
        materiality: config.materiality.clone().unwrap_or_default(),
        lang: lang.or(config.lang).unwrap_or_else(Lang::from_locale),
        ..Settings::default()
    };
    if let Some(grades) = &config.grades {
        let mut bands: Vec<(String, rust_decimal::Decimal)> =
            grades.iter().map(|(g, v)| (g.clone(), *v)).collect();
        bands.sort_by_key(|b| std::cmp::Reverse(b.1));
        settings.grades = bands;
    }
    if let Some(code) = settings
        .severity
        .keys()
        .find(|c| crate::check::find(c).is_none())
    {
        return Err(format!(
            "[severity] {code:?}: not a rule code (overrides name whole codes; see `jixiao rules`)"
        ));
    }
    for code in settings.select.iter().chain(&settings.ignore) {
        if code != "ALL"
            && !crate::check::registry()
                .iter()
                .any(|r| r.code.starts_with(code.as_str()))
        {
            return Err(format!(
                "no rule code starts with {code:?} (see `jixiao rules`)"
            ));
        }
    }
    Ok((config, settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grade's lowest score may be written as an integer, a decimal or a string.
    #[test]
    fn grades_are_read_as_exact_decimals() {
        let config: Config =
            toml::from_str("[grades]\n\"优\" = 90\n\"良\" = 80.5\n\"中\" = \"60\"\n").unwrap();
        let grades = config.grades.unwrap();
        assert_eq!(grades["优"], Decimal::from(90));
        assert_eq!(grades["良"], Decimal::new(805, 1));
        assert_eq!(grades["中"], Decimal::from(60));
    }

    /// The file `jixiao init` writes is valid as it is and with every key uncommented.
    #[test]
    fn the_init_template_parses_commented_and_uncommented() {
        let config: Config = toml::from_str(TEMPLATE).unwrap();
        assert!(config.select.is_empty() && config.grades.is_none());
        let open: String = TEMPLATE
            .lines()
            .filter(|l| l.starts_with("# ") && (l.contains(" = ") || l.starts_with("# [")))
            .map(|l| format!("{}\n", &l[2..]))
            .collect();
        let config: Config = toml::from_str(&open).unwrap();
        assert_eq!(config.grades.unwrap()["优"], Decimal::from(90));
        assert_eq!(config.severity["JX402"], Severity::Error);
        assert_eq!(config.materiality.unwrap().amount, Some(Decimal::new(5, 1)));
    }

    /// The example in the README is a valid file.
    #[test]
    fn the_readme_example_parses() {
        let readme = include_str!("../README.md");
        let start = readme.find("```toml\n").unwrap() + "```toml\n".len();
        let example = &readme[start..start + readme[start..].find("```").unwrap()];
        let config: Config = toml::from_str(example).unwrap();
        assert_eq!(config.grades.unwrap()["良"], Decimal::from(80));
        assert_eq!(config.fail_on, Some(Severity::Warning));
    }
}
