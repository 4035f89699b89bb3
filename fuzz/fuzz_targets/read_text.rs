#![no_main]
//! Bytes of a Word plain-text export (.txt; any encoding: UTF-8/16, GB18030 …).
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let _ = jixiao_fuzz::read("fuzz.txt", data);
});
