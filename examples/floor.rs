//! The floor for reading .docx files: open each as a zip, inflate `word/document.xml` and
//! tokenize it with quick-xml, nothing else. `bench/run.py` compares jixiao with it.
//!
//! Usage: cargo run --release --example floor -- DIR...

use std::io::Read;
use std::path::{Path, PathBuf};

fn docx_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            docx_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "docx") {
            out.push(path);
        }
    }
    Ok(())
}

/// Events in the document part of one file.
fn tokenize(path: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let file = std::fs::read(path)?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(file))?;
    let mut xml = Vec::new();
    zip.by_name("word/document.xml")?.read_to_end(&mut xml)?;
    let mut reader = quick_xml::Reader::from_reader(&xml[..]);
    let mut buf = Vec::new();
    let mut events = 0;
    loop {
        match reader.read_event_into(&mut buf)? {
            quick_xml::events::Event::Eof => return Ok(events),
            _ => events += 1,
        }
        buf.clear();
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    for dir in std::env::args().skip(1) {
        docx_files(Path::new(&dir), &mut files)?;
    }
    files.sort();
    let started = std::time::Instant::now();
    let mut events = 0;
    for f in &files {
        events += tokenize(f).map_err(|e| format!("{}: {e}", f.display()))?;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{{\"files\": {}, \"events\": {events}, \"seconds\": {seconds:.6}}}",
        files.len()
    );
    Ok(())
}
