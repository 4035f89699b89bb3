//! The language jixiao speaks to people in (`--lang zh|en`): messages, summaries, rule
//! documentation and places, from the sentence catalog `src/messages.toml`; the documents'
//! own words stay as written.

/// A language for people: Chinese or English.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `zh` when the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) is Chinese, else `en`.
    pub fn from_locale() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .unwrap_or_default();
        if locale.starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The heading in a rule's documentation that starts its part in this language
    /// (`None` for English, which comes first).
    pub fn doc_heading(self) -> Option<&'static str> {
        match self {
            Lang::Zh => Some("## 中文"),
            Lang::En => None,
        }
    }

    /// The language's tag, as in `<html lang="zh">`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

impl Lang {
    /// The sentence `key` of the catalog (`src/messages.toml`) in this language, each
    /// `{name}` replaced by the value given for `name`. A key the catalog lacks comes back as
    /// itself, with its values, so that nothing is lost (a test keeps the catalog complete).
    pub fn say(self, key: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        let Some(entry) = catalog().get(key) else {
            let values: Vec<String> = values.iter().map(|(n, v)| format!("{n}={v}")).collect();
            return format!("{key} {}", values.join(" "));
        };
        let one = || {
            values
                .iter()
                .find(|(n, _)| *n == "n")
                .is_none_or(|(_, v)| v.to_string() == "1")
        };
        let template = match (self, &entry.en_many) {
            (Lang::Zh, _) => &entry.zh,
            (Lang::En, Some(many)) if !one() => many,
            (Lang::En, _) => &entry.en,
        };
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').unwrap_or(after.len());
            let name = &after[..close];
            match values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => {
                    use std::fmt::Write;
                    let _ = write!(out, "{value}");
                }
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push_str(if close < after.len() { "}" } else { "" });
                }
            }
            rest = after.get(close + 1..).unwrap_or("");
        }
        out.push_str(rest);
        out
    }
}

/// One sentence of the catalog, in each language.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Sentence {
    en: String,
    /// The English when the value of `{n}` is not 1.
    #[serde(default)]
    en_many: Option<String>,
    zh: String,
}

const CATALOG: &str = include_str!("messages.toml");

fn parse_catalog() -> Result<std::collections::HashMap<String, Sentence>, toml::de::Error> {
    toml::from_str(CATALOG)
}

fn catalog() -> &'static std::collections::HashMap<String, Sentence> {
    static PARSED: std::sync::OnceLock<std::collections::HashMap<String, Sentence>> =
        std::sync::OnceLock::new();
    PARSED.get_or_init(|| parse_catalog().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{name}` placeholders of a template, sorted.
    fn placeholders(template: &str) -> Vec<&str> {
        let mut names: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_sentence_has_both_languages_with_the_same_placeholders() {
        let catalog = parse_catalog().expect("src/messages.toml parses");
        for (key, s) in &catalog {
            assert_eq!(placeholders(&s.en), placeholders(&s.zh), "{key}");
            if let Some(many) = &s.en_many {
                assert_eq!(placeholders(many), placeholders(&s.zh), "{key}");
                assert!(
                    placeholders(many).contains(&"n"),
                    "{key}: en_many without {{n}}"
                );
            }
            assert!(!s.zh.is_empty() && !s.en.is_empty(), "{key}");
        }
    }

    /// Every key the code says is in the catalog, and every key of the catalog is said.
    #[test]
    fn the_catalog_holds_exactly_the_keys_the_code_says() {
        let catalog = parse_catalog().expect("src/messages.toml parses");
        let said = regex::Regex::new(r#"\.say\(\s*"([^"]+)""#).unwrap();
        let mut used = std::collections::BTreeSet::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    used.extend(said.captures_iter(&text).map(|c| c[1].to_string()));
                }
            }
        }
        // A rule says its sentences under its code: `rule.say(…)` is `JX201`,
        // `rule.say_part(lang, "zero", …)` is `JX201.zero`.
        let main = regex::Regex::new(r"rule\.say\(").unwrap();
        let part = regex::Regex::new(r#"rule\.say_part\(\s*[^,]+,\s*"([^"]+)""#).unwrap();
        for rule in crate::check::registry() {
            if main.is_match(rule.source()) {
                used.insert(rule.code.to_string());
            }
            for c in part.captures_iter(rule.source()) {
                used.insert([rule.code, ".", &c[1]].concat());
            }
        }
        let known: std::collections::BTreeSet<String> = catalog.keys().cloned().collect();
        let missing: Vec<_> = used.difference(&known).collect();
        let unused: Vec<_> = known.difference(&used).collect();
        assert!(
            missing.is_empty(),
            "said but not in src/messages.toml: {missing:?}"
        );
        assert!(
            unused.is_empty(),
            "in src/messages.toml but never said: {unused:?}"
        );
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(Lang::Zh.say("rounding", &[]), "；四舍五入可以解释该差异");
        assert_eq!(
            Lang::En.say(
                "JX302",
                &[("item", &"项目完成率"), ("score", &"3"), ("points", &"2")]
            ),
            "项目完成率 scores 3 but can earn at most 2"
        );
        assert_eq!(Lang::En.say("documents", &[("n", &1)]), "1 document");
        assert_eq!(Lang::En.say("documents", &[("n", &3)]), "3 documents");
        assert_eq!(Lang::Zh.say("documents", &[("n", &3)]), "3 份文档");
        let missing = "no-such-key";
        assert_eq!(Lang::En.say(missing, &[("n", &1)]), "no-such-key n=1");
    }
}
