#![no_main]
//! Rich Text Format bytes through the RTF reader.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let _ = jixiao_fuzz::read("fuzz.rtf", data);
});
