#![no_main]
//! The fuzz bytes are `word/document.xml` of a fixed, valid .docx package: reaches the
//! WordprocessingML walker (paragraphs, tables, spans, merges) without fighting zip CRCs.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let bytes = jixiao_fuzz::docx_with(data);
    let _ = jixiao_fuzz::read("fuzz.docx", &bytes);
});
