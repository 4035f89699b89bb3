#![no_main]
//! The whole pipeline on a .docx: read → extract (built-in extractors) → check (all rules),
//! as `jixiao check FILE.docx` runs it. Input starting with `PK` is the .docx container
//! itself; anything else is taken as `word/document.xml` of a fixed package (so the fuzzer
//! reaches extraction and the checks instead of stopping at zip CRCs).
use std::sync::OnceLock;

use jixiao::batch::checked;
use jixiao::check::Settings;
use libfuzzer_sys::fuzz_target;

/// The built-in families and every rule, made once.
fn settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(Settings::default)
}

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let wrapped;
    let bytes = if data.starts_with(b"PK") {
        data
    } else {
        wrapped = jixiao_fuzz::docx_with(data);
        &wrapped
    };
    let Some(doc) = jixiao_fuzz::read("fuzz.docx", bytes) else {
        return;
    };
    let x = checked(&doc, settings());
    // The JSON report is part of what `jixiao check --format json` does with the result.
    let _ = serde_json::to_string(&x);
});
