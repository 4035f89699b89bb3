#![no_main]
//! PDF bytes through the PDF reader (lopdf and our content and layout walk).
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let _ = jixiao_fuzz::read("fuzz.pdf", data);
});
