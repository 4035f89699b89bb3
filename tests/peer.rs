//! Every file of the peers' test suites (`corpus/peer/`: pandoc, docx2python, python-docx,
//! calamine) through `jixiao dump`: no panic, no hang, bounded memory, and either a model or
//! one clear line naming the file and the cause — a specific one for what is unsupported.

use std::path::{Path, PathBuf};
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/peer");
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    assert_eq!(all.len(), 337, "files in corpus/peer");
    let mut read = 0;
    let mut errors: Vec<(String, String)> = Vec::new();
    for path in &all {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
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
