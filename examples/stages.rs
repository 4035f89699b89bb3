//! Where the time goes, stage by stage, on the same files in one process: read the bytes,
//! build the document model, recognize and extract, run the rules, write the JSON line.
//! `bench/run.py` prints it beside the floor (`examples/floor.rs`).
//!
//! Usage: cargo run --release --example stages -- DIR...

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jixiao::check::{self, Settings};
use jixiao::extract::{extract, family};
use jixiao::read::{read_bytes, read_file, Limits};

/// The allocator the binary uses, so that the stages add up to its time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn files_in(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files_in(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    for dir in std::env::args().skip(1) {
        files_in(Path::new(&dir), &mut files)?;
    }
    files.sort();
    let limits = Limits::default();
    let settings = Settings::default();
    let started = Instant::now();
    let families = family::load(None)?;
    let setup = started.elapsed();
    let mut stages = [Duration::ZERO; 5];
    let mut out = Vec::new();
    for path in &files {
        let mut clock = Instant::now();
        let mut lap = |stage: usize| {
            let now = Instant::now();
            stages[stage] += now - clock;
            clock = now;
        };
        let bytes = read_file(path, &limits)?;
        lap(0);
        let Ok(doc) = read_bytes(path, &bytes, &limits) else {
            continue;
        };
        lap(1);
        let mut x = extract(&doc, &families);
        lap(2);
        x.findings = check::run(&x, &settings);
        lap(3);
        serde_json::to_writer(&mut out, &x)?;
        out.push(b'\n');
        out.clear();
        lap(4);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / files.len().max(1) as f64;
    println!(
        "{{\"files\": {}, \"setup_ms\": {:.3}, \"ms_per_file\": {{\"file\": {:.4}, \"model\": {:.4}, \"extract\": {:.4}, \"check\": {:.4}, \"json\": {:.4}}}}}",
        files.len(),
        setup.as_secs_f64() * 1000.0,
        ms(stages[0]),
        ms(stages[1]),
        ms(stages[2]),
        ms(stages[3]),
        ms(stages[4]),
    );
    Ok(())
}
