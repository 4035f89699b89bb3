#![no_main]
//! .docx bytes (a zip container) through the public reader, as `jixiao FILE.docx` reads them.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let _ = jixiao_fuzz::read("fuzz.docx", data);
});
