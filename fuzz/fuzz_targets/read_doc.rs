#![no_main]
//! Legacy Word bytes (a compound file holding a WordDocument stream) through the .doc reader.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let _ = jixiao_fuzz::read("fuzz.doc", data);
});
