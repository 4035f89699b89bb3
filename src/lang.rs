//! The language jixiao speaks to people in (`--lang zh|en`): headings and labels of the
//! reports and the places findings point at; the documents' own words stay as written.

/// A language for people: Chinese or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
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

    /// The language's tag, as in `<html lang="zh">`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}
