//! Runs one input the way a fuzz target does, outside libFuzzer, and prints what happened:
//! `cargo run --release --example repro -- <target> <file>`.
use std::time::Instant;

use jixiao::check::{self, Settings};
use jixiao::extract::{extract, family};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (target, file) = (args[1].as_str(), &args[2]);
    let data = std::fs::read(file).expect("read input");
    let t0 = Instant::now();
    let (name, bytes) = match target {
        "read_docx" => ("fuzz.docx", data.clone()),
        "read_docx_xml" => ("fuzz.docx", jixiao_fuzz::docx_with(&data)),
        "pipeline" if data.starts_with(b"PK") => ("fuzz.docx", data.clone()),
        "pipeline" => ("fuzz.docx", jixiao_fuzz::docx_with(&data)),
        "read_text" => ("fuzz.txt", data.clone()),
        "read_html" => ("fuzz.html", data.clone()),
        "read_sheet" => ("fuzz.xlsx", data.clone()),
        "read_sheet_xml" => ("fuzz.xlsx", jixiao_fuzz::xlsx_with(&data)),
        "numbers" => {
            let text = std::str::from_utf8(&data).expect("utf-8");
            let found = jixiao::recognize::number::scan(text);
            println!("scan: {} figures", found.len());
            for n in &found {
                println!("  {:?} {:?} span {:?}", n.raw, n.value, n.span);
            }
            println!(
                "parse_cell: {:?}",
                jixiao::recognize::number::parse_cell(text)
            );
            println!("{:?}", t0.elapsed());
            return;
        }
        // What `jixiao check FILE` does for one file (batch.rs `one()`): read_path, extract, check.
        "cli" => ("", Vec::new()),
        t => panic!("unknown target {t}"),
    };
    let doc = if target == "cli" {
        jixiao::read::read_path(std::path::Path::new(file), &jixiao_fuzz::limits())
    } else {
        jixiao::read::read_bytes(std::path::Path::new(name), &bytes, &jixiao_fuzz::limits())
    };
    println!("read: {:?}", t0.elapsed());
    let doc = match doc {
        Ok(d) => d,
        Err(e) => {
            println!("error: {e}");
            return;
        }
    };
    println!(
        "format {:?}, {} blocks, {} tables, {} warnings",
        doc.source.format,
        doc.blocks.len(),
        doc.tables().len(),
        doc.warnings.len()
    );
    for t in doc.tables() {
        println!(
            "  table {}: {} x {}, {} cells",
            t.index,
            t.rows,
            t.cols,
            t.cells.len()
        );
    }
    if target == "pipeline" || target == "cli" {
        let families = family::load(None).unwrap();
        let t1 = Instant::now();
        let mut x = extract(&doc, &families);
        println!(
            "extract: {:?}, family {:?}, {} regions, {} figures",
            t1.elapsed(),
            x.family,
            x.tables.len(),
            x.figures.len()
        );
        let t2 = Instant::now();
        x.findings = check::run(&x, &Settings::default());
        println!("check: {:?}, {} findings", t2.elapsed(), x.findings.len());
    }
    println!("total {:?}", t0.elapsed());
}
