#![no_main]
//! The fuzz bytes are `xl/worksheets/sheet1.xml` of a fixed .xlsx package (shared strings and
//! number formats fixed): reaches calamine's sheet parser and jixiao's sheet → table code.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let bytes = jixiao_fuzz::xlsx_with(data);
    let _ = jixiao_fuzz::read("fuzz.xlsx", &bytes);
});
