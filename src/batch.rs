//! Many files at once: inputs expanded (directories recursively, `-` for paths on stdin),
//! processed in parallel, results returned in path order whatever the thread count.
//!
//! An unreadable file becomes a failed result; it never stops the others.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::{self, Settings};
use crate::emit::Report;
use crate::extract::{extract, family::Family};
use crate::read::{read_path, Limits};

/// Extensions read when walking a directory.
const EXTENSIONS: &[&str] = &["docx", "txt", "htm", "html", "xlsx", "xls", "ods"];

/// The files named by `inputs`: files as given, directories walked for supported
/// extensions, `-` replaced by the paths read from standard input; sorted, without repeats.
pub fn expand(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            for line in std::io::stdin().lines() {
                let line = line?;
                if !line.trim().is_empty() {
                    out.push(PathBuf::from(line.trim()));
                }
            }
        } else if input.is_dir() {
            walk(input, &mut out)?;
        } else {
            out.push(input.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads, extracts and checks every file, `jobs` at a time; results in input order.
pub fn run(
    paths: &[PathBuf],
    limits: &Limits,
    families: &[Family],
    settings: &Settings,
    jobs: usize,
) -> Vec<Report> {
    let work = || {
        paths
            .par_iter()
            .map(|p| one(p, limits, families, settings))
            .collect::<Vec<_>>()
    };
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(work),
        Err(_) => paths
            .iter()
            .map(|p| one(p, limits, families, settings))
            .collect(),
    }
}

fn one(path: &Path, limits: &Limits, families: &[Family], settings: &Settings) -> Report {
    match read_path(path, limits) {
        Ok(doc) => {
            let mut x = extract(&doc, families);
            x.findings = check::run(&x, settings);
            Report::Checked(Box::new(x))
        }
        Err(e) => Report::Failed {
            path: path.display().to_string(),
            error: e.kind.to_string(),
        },
    }
}
