#![no_main]
//! Bytes of an HTML page (.html), decoded and parsed as the reader does.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let _ = jixiao_fuzz::read("fuzz.html", data);
});
