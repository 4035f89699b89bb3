//! Every file of the peers' test suites (pandoc, docx2python, python-docx, calamine: read from
//! the peer files beside the checkout, never committed) through `jixiao dump`: no panic, no
//! hang, bounded memory, and either a model or one clear line naming the file and the cause —
//! a specific one for what is unsupported.

mod common;

use std::path::{Path, PathBuf};

use common::outside::Outside;
use jixiao::model::{Format, Origin};
use jixiao::read::{read_path, Limits};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXTENSIONS: &[&str] = &["docx", "xlsx", "xls", "xlsb", "ods"];

/// Generous for a debug build on a loaded machine; release reads each in milliseconds.
const TIME_LIMIT: Duration = Duration::from_secs(30);

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| EXTENSIONS.contains(&x))
        {
            out.push(p);
        }
    }
}

/// Largest resident set of any child waited for so far, in KiB.
fn children_max_rss_kib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a full rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss
}

#[test]
fn every_peer_file_reads_or_fails_with_a_clear_message() {
    let Some(root) = Outside::PeerFiles.dir("every_peer_file_reads_or_fails_with_a_clear_message")
    else {
        return;
    };
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    assert_eq!(all.len(), 337, "peer files");
    let mut read = 0;
    let mut errors: Vec<(String, String)> = Vec::new();
    for path in &all {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .env("LC_ALL", "C")
            .args(["dump", "--format", "json"])
            .arg(path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if started.elapsed() > TIME_LIMIT {
                child.kill().unwrap();
                panic!("{name}: no answer within {TIME_LIMIT:?}");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
        match status.code() {
            Some(0) => read += 1,
            Some(2) => {
                assert_eq!(stderr.lines().count(), 1, "{name}: one line: {stderr}");
                assert!(
                    stderr.starts_with(&format!("jixiao: {}: ", path.display())),
                    "{name}: the message names the file: {stderr}"
                );
                errors.push((name, stderr.trim().to_string()));
            }
            other => panic!("{name}: exit {other:?} (a panic or a signal): {stderr}"),
        }
    }
    let max_rss_mib = children_max_rss_kib() / 1024;
    assert!(max_rss_mib < 1024, "largest reader used {max_rss_mib} MiB");
    let count = |what: &str| errors.iter().filter(|(_, e)| e.contains(what)).count();
    // 11 .xlsb files and 4 password-protected workbooks get their own messages; calamine's
    // four deliberately corrupt files (two compound files with sectors past the end, a zip
    // entry larger than declared, a 17-billion-cell .ods) are refused with the cause.
    assert_eq!(
        count("Excel binary workbook (.xlsb) is not supported"),
        11,
        "{errors:#?}"
    );
    assert_eq!(count("password"), 4, "{errors:#?}");
    assert_eq!(
        count("damaged compound file: the directory points to sector 4294967039"),
        1
    );
    assert_eq!(
        count("damaged compound file: a stream points to sector 456"),
        1
    );
    assert_eq!(count("larger than its declared uncompressed size"), 1);
    assert_eq!(count("Cell limit exceeded"), 1);
    assert_eq!(errors.len(), 19, "{errors:#?}");
    assert_eq!(read, 337 - 19);
}

/// The compound-file check that runs before calamine (`src/read/cfb.rs`) lets every one of
/// calamine's own .xls files through, except its two deliberately damaged ones.
#[test]
fn calamines_own_xls_files_pass_the_compound_file_check() {
    let Some(root) = Outside::PeerFiles.dir("calamines_own_xls_files_pass_the_compound_file_check")
    else {
        return;
    };
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("calamine/tests")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        // Only compound files (too_small.xls is a line of text named .xls).
        if path.extension().is_some_and(|e| e == "xls")
            && bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let refused = read_path(&path, &Limits::default())
                .err()
                .is_some_and(|e| e.to_string().contains("damaged compound file"));
            // calamine's OOM files have sectors past the end of the file.
            let damaged = ["OOM_alloc2.xls", "OOM_alloc3.xls"].contains(&name.as_str());
            assert_eq!(refused, damaged, "{name}");
            checked += 1;
        }
    }
    assert_eq!(checked, 35);
}

/// calamine's files with merged ranges keep them as spans in .xls, .xlsx and .ods.
#[test]
fn xls_xlsx_and_ods_read_with_merged_ranges() {
    let Some(root) = Outside::PeerFiles.dir("xls_xlsx_and_ods_read_with_merged_ranges") else {
        return;
    };
    let peer = |name: &str| root.join("calamine/tests").join(name);
    let xls = read_path(&peer("merged_range.xls"), &Limits::default()).unwrap();
    assert_eq!(xls.source.format, Format::Xls);
    let t = xls.tables()[0];
    let c1 = t.cells.iter().find(|c| c.text == "C1").unwrap();
    assert_eq!((c1.row, c1.col, c1.row_span, c1.col_span), (0, 2, 2, 2));
    assert!(matches!(&c1.origin, Origin::Sheet { range, .. } if range == "C1"));
    let xlsx = read_path(&peer("merge_cells.xlsx"), &Limits::default()).unwrap();
    let merged = xlsx.tables()[0]
        .cells
        .iter()
        .find(|c| c.text == "Row Merge")
        .unwrap();
    assert_eq!((merged.row_span, merged.col_span), (1, 2));
    let ods = read_path(&peer("merged_cells.ods"), &Limits::default()).unwrap();
    assert_eq!(ods.source.format, Format::Ods);
    assert!(!ods.tables().is_empty());
}
