#![no_main]
//! Arbitrary UTF-8 through the number recognizer: `scan` on the whole text, `parse_cell` on
//! the whole text and on each line, `chinese_value` on each run of non-ASCII characters.
use jixiao::recognize::number::{chinese_value, parse_cell, scan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let found = scan(text);
    let n_chars = text.chars().count();
    for n in &found {
        // Documented: `span` is the character range of the figure in the scanned text.
        assert!(
            n.span.0 <= n.span.1 && n.span.1 <= n_chars,
            "span {:?} outside a text of {} chars: {:?}",
            n.span,
            n_chars,
            n
        );
    }
    let _ = parse_cell(text);
    for line in text.lines() {
        let _ = parse_cell(line);
    }
    let chars: Vec<char> = text.chars().collect();
    for run in chars.split(|c| c.is_ascii()) {
        if !run.is_empty() {
            let _ = chinese_value(run);
        }
    }
});
