//! Many files at once: inputs expanded (directories walked and filtered with `--glob`, `-`
//! for paths on standard input), processed in parallel a window at a time, written in path
//! order whatever the thread count.
//!
//! Memory is bounded by the window, not the archive: each file is read, extracted, checked
//! and prepared for output on a worker thread; only its prepared output and a small
//! [`Ledger`] come back. An unreadable file becomes a failed result and never stops the
//! others. Cross-document rules run at the end, over the ledgers.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::baseline::{self, Baseline};
use crate::check::{self, Finding, Ledger, Settings, Severity};
use crate::extract::family::NO_FAMILY;
use crate::extract::{extract, Extraction};
use crate::lang::Lang;
use crate::model::Document;
use crate::read::{read_bytes, read_file, Limits};

/// What the batch produced for one input file.
pub enum Report {
    /// The file was read, extracted and checked; the document model is kept when the batch's
    /// options ask for it ([`Options::keep_documents`], for the HTML report).
    Checked(Box<Extraction>, Option<Box<Document>>),
    /// The file could not be read.
    Failed { path: String, error: String },
    /// The file is stored (`--incremental`) with the same content; it was not read again.
    Unchanged { path: String },
    /// Findings about this file that come from comparing it with other files of the batch.
    Across {
        path: String,
        findings: Vec<Finding>,
    },
}

impl Report {
    pub fn path(&self) -> &str {
        match self {
            Report::Checked(x, _) => &x.source.path,
            Report::Failed { path, .. }
            | Report::Unchanged { path }
            | Report::Across { path, .. } => path,
        }
    }

    /// The findings, for a batch's baseline and display filter to drop some.
    pub fn findings_mut(&mut self) -> Option<&mut Vec<Finding>> {
        match self {
            Report::Checked(x, _) => Some(&mut x.findings),
            Report::Across { findings, .. } => Some(findings),
            Report::Failed { .. } | Report::Unchanged { .. } => None,
        }
    }

    pub fn findings(&self) -> &[Finding] {
        match self {
            Report::Checked(x, _) => &x.findings,
            Report::Across { findings, .. } => findings,
            Report::Failed { .. } | Report::Unchanged { .. } => &[],
        }
    }
}

/// Extensions read when walking a directory.
const EXTENSIONS: &[&str] = &[
    "docx", "doc", "wps", "rtf", "pdf", "txt", "htm", "html", "xlsx", "xls", "ods",
];

/// Files processed together before their results are written; bounds memory.
pub const WINDOW_PER_THREAD: usize = 16;

/// Which files a directory walk keeps: `--glob` patterns, `!pattern` to exclude. Files named
/// on the command line are always kept.
#[derive(Default)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filter {
    /// Builds the filter; a bad pattern is an error naming it.
    pub fn new(globs: &[String]) -> Result<Filter, String> {
        let mut include = GlobSetBuilder::new();
        let mut exclude = GlobSetBuilder::new();
        let (mut any_include, mut any_exclude) = (false, false);
        for g in globs {
            let (builder, pattern, flag) = match g.strip_prefix('!') {
                Some(p) => (&mut exclude, p, &mut any_exclude),
                None => (&mut include, g.as_str(), &mut any_include),
            };
            builder.add(Glob::new(pattern).map_err(|e| format!("--glob {g:?}: {e}"))?);
            *flag = true;
        }
        let build = |b: GlobSetBuilder, any: bool| -> Result<Option<GlobSet>, String> {
            if any {
                b.build().map(Some).map_err(|e| e.to_string())
            } else {
                Ok(None)
            }
        };
        Ok(Filter {
            include: build(include, any_include)?,
            exclude: build(exclude, any_exclude)?,
        })
    }

    /// Whether a file found under `root` is kept; patterns match the path relative to the
    /// root and the file name.
    fn keeps(&self, root: &Path, path: &Path) -> bool {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let name = Path::new(path.file_name().unwrap_or_default());
        let matches = |set: &GlobSet| set.is_match(relative) || set.is_match(name);
        self.include.as_ref().is_none_or(matches) && !self.exclude.as_ref().is_some_and(matches)
    }
}

/// What a batch is given: the files to read, and the files a directory walk met but does not
/// read, each with the reason (so that none is passed over in silence).
#[derive(Debug, Default)]
pub struct Inputs {
    pub paths: Vec<PathBuf>,
    pub skipped: Vec<(String, String)>,
}

/// The files named by `inputs`: files as given, directories walked for supported extensions
/// (filtered; other files are listed as skipped), `-` replaced by the paths read from standard
/// input; sorted, without repeats.
pub fn expand(inputs: &[PathBuf], filter: &Filter) -> std::io::Result<Inputs> {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            for line in std::io::stdin().lines() {
                let line = line?;
                if !line.trim().is_empty() {
                    out.push(PathBuf::from(line.trim()));
                }
            }
        } else if input.is_dir() {
            let mut found = Found {
                paths: &mut out,
                skipped: &mut skipped,
            };
            walk(input, input, filter, &mut found)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", input.display())))?;
        } else {
            out.push(input.clone());
        }
    }
    out.sort();
    out.dedup();
    skipped.sort();
    skipped.dedup();
    Ok(Inputs {
        paths: out,
        skipped,
    })
}

/// Where a walk puts what it finds.
struct Found<'a> {
    paths: &'a mut Vec<PathBuf>,
    skipped: &'a mut Vec<(String, String)>,
}

fn walk(root: &Path, dir: &Path, filter: &Filter, found: &mut Found<'_>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(root, &path, filter, found)?;
            continue;
        }
        // Files the user's --glob patterns leave out are theirs to leave out, not skipped.
        if !filter.keeps(root, &path) {
            continue;
        }
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension {
            Some(e) if EXTENSIONS.contains(&e.as_str()) => found.paths.push(path),
            Some(e) => found.skipped.push((
                path.display().to_string(),
                format!("not a format jixiao reads (.{e})"),
            )),
            None => found.skipped.push((
                path.display().to_string(),
                "not a format jixiao reads (no extension)".into(),
            )),
        }
    }
    Ok(())
}

/// The documents an earlier run stored (`--incremental`): each path's content hash in
/// memory, and what the cross-document rules need of the document in a temporary file of its
/// own ([`check::Ledgers`]), so that extending a large database does not hold all of it in
/// memory.
#[derive(Default)]
pub struct Stored {
    /// Path → (content hash, index of its ledger in `ledgers`).
    by_path: HashMap<String, (Option<[u8; 32]>, usize)>,
    ledgers: Mutex<check::Ledgers>,
}

impl Stored {
    /// Records a stored document by its ledger (which names its path and content hash).
    pub fn insert(&mut self, ledger: &Ledger) -> std::io::Result<()> {
        let ledgers = self.ledgers.get_mut().unwrap_or_else(|e| e.into_inner());
        ledgers.push(ledger)?;
        let index = ledgers.len() - 1;
        let sha256 = ledgers.keys()[index].sha256;
        self.by_path.insert(ledger.path.clone(), (sha256, index));
        Ok(())
    }

    /// Whether `path` is stored with exactly this content (a stored hash that is not 64
    /// lowercase hex digits never matches).
    fn unchanged(&self, path: &str, content: &[u8]) -> bool {
        self.by_path.get(path).is_some_and(|(sha256, _)| {
            sha256.is_some_and(|s| s == <[u8; 32]>::from(Sha256::digest(content)))
        })
    }

    /// The stored ledger of `path`, read back from the temporary file.
    fn ledger(&self, path: &str) -> std::io::Result<Option<Ledger>> {
        let Some(&(_, index)) = self.by_path.get(path) else {
            return Ok(None);
        };
        let ledgers = self.ledgers.lock().unwrap_or_else(|e| e.into_inner());
        ledgers.get(index).map(Some)
    }
}

/// How a batch runs.
pub struct Options<'a> {
    pub limits: Limits,
    /// The rules and thresholds, and the families documents are extracted with.
    pub settings: &'a Settings,
    /// Worker threads.
    pub jobs: usize,
    /// Documents stored earlier: skipped when their content is unchanged.
    pub stored: Option<&'a Stored>,
    /// Show a progress bar on standard error when it is a terminal.
    pub progress: bool,
    /// Keep each document's model in its report (the HTML report draws its tables).
    pub keep_documents: bool,
    /// Files the walk did not read, for the tally.
    pub skipped: &'a [(String, String)],
    /// Findings recorded in a baseline are dropped before they are counted.
    pub baseline: Option<&'a Baseline>,
    /// Where to record every finding counted, for `--write-baseline`.
    pub record: Option<&'a Mutex<Vec<baseline::Entry>>>,
    /// Findings below this severity are counted but not shown.
    pub show: Severity,
}

impl Options<'_> {
    /// Applies the baseline, records and counts the report's findings, then drops those below
    /// the display level.
    fn settle(&self, report: &mut Report, tally: &mut Tally) {
        let path = report.path().to_string();
        if let (Some(baseline), Some(findings)) = (self.baseline, report.findings_mut()) {
            baseline.suppress(&path, findings);
        }
        if let Some(record) = self.record {
            let mut record = record.lock().unwrap_or_else(|e| e.into_inner());
            record.extend(
                report
                    .findings()
                    .iter()
                    .map(|f| baseline::Entry::of(&path, f)),
            );
        }
        tally.count(report);
        if let Some(findings) = report.findings_mut() {
            findings.retain(|f| f.severity >= self.show);
        }
    }
}

/// What a batch did, for the summary at the end.
#[derive(Debug, Default)]
pub struct Tally {
    /// Documents read and checked.
    pub documents: usize,
    /// Documents skipped because they are stored and unchanged.
    pub unchanged: usize,
    /// Documents by family ([`NO_FAMILY`] when no extractor recognized them).
    pub by_family: BTreeMap<String, usize>,
    /// Findings by severity: info, warning, error.
    pub findings: [usize; 3],
    /// Files that could not be read, with the reason.
    pub failed: Vec<(String, String)>,
    /// Files a directory walk met and did not read, with the reason.
    pub skipped: Vec<(String, String)>,
}

impl Tally {
    fn count(&mut self, report: &Report) {
        match report {
            Report::Checked(x, _) => {
                self.documents += 1;
                *self
                    .by_family
                    .entry(x.family.clone().unwrap_or_else(|| NO_FAMILY.into()))
                    .or_default() += 1;
            }
            Report::Failed { path, error } => self.failed.push((path.clone(), error.clone())),
            Report::Unchanged { .. } => self.unchanged += 1,
            Report::Across { .. } => {}
        }
        for f in report.findings() {
            self.findings[match f.severity {
                Severity::Info => 0,
                Severity::Warning => 1,
                Severity::Error => 2,
            }] += 1;
        }
    }

    fn merge(&mut self, other: Tally) {
        self.documents += other.documents;
        self.unchanged += other.unchanged;
        for (f, n) in other.by_family {
            *self.by_family.entry(f).or_default() += n;
        }
        for i in 0..3 {
            self.findings[i] += other.findings[i];
        }
        self.failed.extend(other.failed);
    }

    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .zip([self.findings[2], self.findings[1], self.findings[0]])
            .find(|(_, n)| *n > 0)
            .map(|(s, _)| s)
    }
    /// The end-of-batch line for people: documents by family, findings by severity,
    /// unreadable and skipped files (named one per line after it, see [`Tally::listing`]).
    pub fn summary(&self, lang: Lang) -> String {
        let families: Vec<String> = self
            .by_family
            .iter()
            .map(|(f, n)| format!("{n} {f}"))
            .collect();
        let [errors, warnings, info] = self.findings_said(lang);
        let mut s = lang.say(
            "batch",
            &[
                (
                    "documents",
                    &lang.say("documents", &[("n", &self.documents)]),
                ),
                (
                    "families",
                    &if families.is_empty() {
                        lang.say("no-family", &[])
                    } else {
                        families.join(", ")
                    },
                ),
                (
                    "unchanged",
                    &if self.unchanged > 0 {
                        lang.say("unchanged", &[("n", &self.unchanged)])
                    } else {
                        String::new()
                    },
                ),
                ("errors", &errors),
                ("warnings", &warnings),
                ("info", &info),
                (
                    "unreadable",
                    &lang.say("unreadable", &[("n", &self.failed.len())]),
                ),
                ("skipped", &self.skipped.len()),
            ],
        );
        s.push('\n');
        s + &self.listing(lang)
    }

    /// The counts of errors, warnings and info findings, in words (`2 errors`, `2 个错误`).
    pub fn findings_said(&self, lang: Lang) -> [String; 3] {
        let [info, warning, error] = self.findings;
        [
            lang.say("errors", &[("n", &error)]),
            lang.say("warnings", &[("n", &warning)]),
            lang.say("infos", &[("n", &info)]),
        ]
    }

    /// Each unreadable file with its error and each skipped file with its reason, a line each.
    pub fn listing(&self, lang: Lang) -> String {
        let mut s = String::new();
        for (path, error) in &self.failed {
            s += &lang.say("failed", &[("path", path), ("error", error)]);
            s.push('\n');
        }
        for (path, reason) in &self.skipped {
            s += &lang.say("skipped", &[("path", path), ("reason", reason)]);
            s.push('\n');
        }
        s
    }
}

/// One file's result as the writer receives it: the prepared output and what the batch keeps.
struct Done<P> {
    piece: P,
    ledger: Option<Kept>,
}

/// A document's ledger for the cross-document rules: made from this run's extraction, or,
/// for an unchanged document, read back by the writer from what an earlier run stored.
enum Kept {
    New(Ledger),
    Stored(String),
}

/// What the writer of a batch is handed.
pub enum Delivery<P> {
    /// The prepared output of the next file in path order (or of cross-document findings).
    Next(P),
    /// No file has finished for [`STALL`] (a slow file, or input that blocks): make what was
    /// written so far visible — flush it, commit it — so a reader or a kill finds it whole.
    Stalled,
}

/// How long the writer waits for the next window of files before it reports a stall.
pub const STALL: std::time::Duration = std::time::Duration::from_secs(1);

/// Reads, extracts and checks every file, `jobs` at a time. `prepare` runs on the worker
/// for each [`Report`] (rendering, flattening); `write` receives the prepared pieces in path
/// order on the calling thread, then the cross-document findings.
pub fn run<P: Send>(
    paths: &[PathBuf],
    options: &Options<'_>,
    prepare: &(dyn Fn(&Report) -> P + Sync),
    write: &mut dyn FnMut(Delivery<P>) -> std::io::Result<()>,
) -> std::io::Result<Tally> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .build()
        .map_err(std::io::Error::other)?;
    let bar = progress_bar(options.progress, paths.len());
    let mut tally = Tally {
        skipped: options.skipped.to_vec(),
        ..Tally::default()
    };
    let mut ledgers = check::Ledgers::default();
    // Ledgers are kept only when a cross-document rule will read them.
    let across = options.settings.across_documents();
    let process = |window: &[PathBuf]| -> Vec<(Done<P>, Tally)> {
        pool.install(|| {
            window
                .par_iter()
                .map(|path| {
                    let mut report = one(path, options);
                    let mut t = Tally::default();
                    options.settle(&mut report, &mut t);
                    let ledger = match &report {
                        _ if !across => None,
                        Report::Checked(x, _) => {
                            Some(Kept::New(Ledger::of(x, &options.settings.families)))
                        }
                        Report::Unchanged { path } => Some(Kept::Stored(path.clone())),
                        _ => None,
                    };
                    let piece = prepare(&report);
                    if let Some(b) = &bar {
                        b.inc(1);
                    }
                    (Done { piece, ledger }, t)
                })
                .collect()
        })
    };
    // The workers process the next window while this thread writes the last one; at most
    // two windows are in memory.
    std::thread::scope(|scope| -> std::io::Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel(1);
        let windows = paths.chunks(options.jobs.max(1) * WINDOW_PER_THREAD);
        let producer = scope.spawn(move || {
            for window in windows {
                if send.send(process(window)).is_err() {
                    return;
                }
            }
        });
        loop {
            let done = match receive.recv_timeout(STALL) {
                Ok(done) => done,
                Err(RecvTimeoutError::Timeout) => {
                    write(Delivery::Stalled)?;
                    match receive.recv() {
                        Ok(done) => done,
                        Err(_) => break,
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            };
            for (d, t) in done {
                tally.merge(t);
                match &d.ledger {
                    Some(Kept::New(ledger)) => ledgers.push(ledger)?,
                    Some(Kept::Stored(path)) => {
                        let stored = options.stored.map(|s| s.ledger(path)).transpose()?;
                        if let Some(ledger) = stored.flatten() {
                            ledgers.push(&ledger)?;
                        }
                    }
                    None => {}
                }
                // The bar is cleared while the piece is written, so output never shares its line.
                match &bar {
                    Some(b) => b.suspend(|| write(Delivery::Next(d.piece)))?,
                    None => write(Delivery::Next(d.piece))?,
                }
            }
        }
        producer
            .join()
            .map_err(|_| std::io::Error::other("a worker thread panicked"))
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    check::run_batch(&ledgers, options.settings, &mut |ledger, findings| {
        let mut report = Report::Across {
            path: ledger.path.clone(),
            findings,
        };
        options.settle(&mut report, &mut tally);
        write(Delivery::Next(prepare(&report)))
    })?;
    Ok(tally)
}

fn progress_bar(wanted: bool, total: usize) -> Option<indicatif::ProgressBar> {
    if !wanted || !std::io::stderr().is_terminal() || total < 2 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files  {per_sec}  ETA {eta}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// One file: skipped when stored and unchanged, otherwise read, extracted and checked. A bug
/// that panics on one file fails that file, not the batch (rayon would re-raise the panic on
/// the calling thread and end the run).
/// The pipeline on one document, as every command runs it: extracted with the families of
/// `settings`, then checked with its rules; the extraction carries the findings.
pub fn checked(doc: &Document, settings: &Settings) -> Extraction {
    let mut x = extract(doc, &settings.families);
    x.findings = check::run(&x, settings);
    x
}

fn one(path: &Path, options: &Options<'_>) -> Report {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        one_unguarded(path, options)
    }))
    .unwrap_or_else(|_| Report::Failed {
        path: path.display().to_string(),
        error: "internal error (a bug in jixiao: please report it with this file)".into(),
    })
}

fn one_unguarded(path: &Path, options: &Options<'_>) -> Report {
    let name = path.display().to_string();
    let bytes = match read_file(path, &options.limits) {
        Ok(b) => b,
        Err(e) => {
            return Report::Failed {
                path: name,
                error: e.kind.to_string(),
            }
        }
    };
    if options.stored.is_some_and(|s| s.unchanged(&name, &bytes)) {
        return Report::Unchanged { path: name };
    }
    match read_bytes(path, &bytes, &options.limits) {
        Ok(doc) => {
            let x = checked(&doc, options.settings);
            Report::Checked(Box::new(x), options.keep_documents.then(|| Box::new(doc)))
        }
        Err(e) => Report::Failed {
            path: name,
            error: e.kind.to_string(),
        },
    }
}
