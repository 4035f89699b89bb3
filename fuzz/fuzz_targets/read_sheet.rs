#![no_main]
//! Workbook bytes (.xlsx zip; the sniffer also routes OLE .xls and .ods) through calamine and
//! the sheet reader.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: jixiao_fuzz::init(), |data: &[u8]| {
    let _ = jixiao_fuzz::read("fuzz.xlsx", data);
});
