//! Flags and subcommands of the `jixiao` binary, in one place.
//!
//! Exit codes: 0 success, 1 findings at or above the fail level (`check`), 2 an input could
//! not be read or the arguments are bad.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use std::path::Path;

use jixiao::batch::{self, Delivery, Filter, Options, Stored, Tally};
use jixiao::check::{self, Settings, Severity};
use jixiao::emit::html::Lang;
use jixiao::emit::{self, OutputFormat};
use jixiao::extract::family;
use jixiao::read::{read_path, Limits};

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "Reads 绩效自评 reports, extracts every figure exactly and cross-checks the arithmetic."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of messages, summaries, rule documentation and the HTML report: `zh` or `en`
    /// (default: `lang` in `jixiao.toml`, else `zh` when the locale is Chinese, else `en`).
    /// The documents' own labels stay as written.
    #[arg(long, value_enum, global = true)]
    lang: Option<Lang>,
}

#[derive(Subcommand)]
enum Command {
    /// Print the document model of FILE: paragraphs and tables (grids with spans), with origins.
    Dump(DumpArgs),
    /// Extract every figure, table and named field as normalized JSON (findings included).
    Extract(ExtractArgs),
    /// Check the arithmetic of reports and print findings (exit 0 clean, 1 findings, 2 errors).
    Check(CheckArgs),
    /// Print the documentation of one rule.
    Rule {
        /// A rule code (`JX101`) or name (`total-row-sum`).
        code: String,
    },
    /// List every rule: code, name, default severity, summary.
    Rules,
    /// Write a commented `jixiao.toml` in the current folder (every key, with what it does).
    Init {
        /// Replace an existing `jixiao.toml`.
        #[arg(long)]
        force: bool,
    },
    /// Documents by family and year, findings by rule, and the first-digit (Benford) test of
    /// the amounts — over files and directories, or over databases written by `extract
    /// --format sqlite`.
    Stats(StatsArgs),
}

#[derive(Args)]
struct StatsArgs {
    #[command(flatten)]
    batch: BatchArgs,
    /// `text` for people, `json` for programs.
    #[arg(long, value_enum, default_value_t = DumpFormat::Text)]
    format: DumpFormat,
}

/// Inputs and how to process them, shared by `extract`, `check` and `stats`.
#[derive(Args, Clone)]
struct BatchArgs {
    /// Files, directories (walked for .docx .doc .wps .rtf .pdf .txt .html .htm .xlsx .xls .ods), or `-` to read
    /// paths from standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Include (or, with a leading `!`, exclude) files found in directories whose path
    /// relative to the directory, or name, matches this glob; repeatable (`--glob '*.docx'
    /// --glob '!draft/**'`).
    #[arg(long = "glob", value_name = "GLOB")]
    globs: Vec<String>,
    /// Worker threads (default: all cores). Output order does not depend on it.
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// More extractor definitions (*.toml), loaded after the built-in ones.
    #[arg(long)]
    extractors: Option<PathBuf>,
    /// No progress bar and no summaries (unreadable and skipped files are still named on
    /// standard error).
    #[arg(long, short = 'q')]
    quiet: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Args)]
struct ExtractArgs {
    #[command(flatten)]
    batch: BatchArgs,
    /// `json`: one pretty object per document (an array for several); `jsonl`: one line per
    /// document; `csv`: one file per kind of row in the `--out` directory; `sqlite`: the
    /// `--out` database.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
    format: ExtractFormat,
    /// Where to write: a file for json/jsonl (default standard output), a directory for csv,
    /// a database file for sqlite. Files are replaced atomically.
    #[arg(long)]
    out: Option<PathBuf>,
    /// sqlite only: skip documents already in the database with the same content hash.
    #[arg(long)]
    incremental: bool,
    /// Use this config file instead of the nearest `jixiao.toml` (its rule settings apply to
    /// the findings in the records).
    #[arg(long)]
    config: Option<PathBuf>,
    /// csv only: no UTF-8 byte-order mark at the start of each file (it is there so that
    /// Excel on Chinese Windows reads the files as UTF-8).
    #[arg(long)]
    no_bom: bool,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum ExtractFormat {
    Json,
    Jsonl,
    Csv,
    Sqlite,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    batch: BatchArgs,
    /// How findings are printed.
    #[arg(long, value_enum)]
    output_format: Option<OutputFormat>,
    /// Only run rules with these codes or prefixes (comma-separated, e.g. `JX1,JX201`).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip rules with these codes or prefixes.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Exit 1 when a finding has at least this severity.
    #[arg(long, value_enum)]
    fail_on: Option<Severity>,
    /// Exit 0 even when there are findings (2 still means an input could not be read).
    #[arg(long)]
    exit_zero: bool,
    /// Use this config file instead of the nearest `jixiao.toml`.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Write the findings to this file (replaced atomically) instead of standard output; for
    /// `html`, an existing directory or a path ending in `/` gets `index.html` and one page
    /// per document.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Severity names in colour: `auto` on a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Show only findings at or above this severity (they all still count for the exit code).
    #[arg(long, value_enum)]
    min_severity: Option<Severity>,
    /// Suppress the findings recorded in this baseline file; report the new ones, and list on
    /// standard error the recorded ones that are gone.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Record this run's findings in a baseline file (after `--baseline`, if given, has
    /// suppressed its own).
    #[arg(long)]
    write_baseline: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

#[derive(Args)]
struct DumpArgs {
    /// The file to read (.docx, .doc, .wps, .rtf, .pdf, .xlsx, .xls, .ods, .html, or a Word plain-text export).
    file: PathBuf,
    /// Output format: `text` draws each table as a grid; `json` is the stable model shape.
    #[arg(long, value_enum, default_value_t = DumpFormat::Text)]
    format: DumpFormat,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum DumpFormat {
    Text,
    Json,
}

/// Input limits that guard against hostile files.
#[derive(Args, Clone)]
struct LimitArgs {
    /// Largest input file read, in bytes.
    #[arg(long, default_value_t = Limits::default().max_file_size)]
    max_file_size: u64,
    /// Largest decompressed size of one part of a .docx/.xlsx, in bytes (zip-bomb guard).
    #[arg(long, default_value_t = Limits::default().max_part_size)]
    max_part_size: u64,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_file_size: self.max_file_size,
            max_part_size: self.max_part_size,
            ..Limits::default()
        }
    }
}

/// Parses the command line and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang;
    let result = match cli.command {
        Command::Dump(args) => dump(&args),
        Command::Extract(args) => extract(&args, lang),
        Command::Check(args) => check(&args, lang),
        Command::Rule { code } => rule(&code, lang),
        Command::Rules => rules(lang),
        Command::Init { force } => init(force),
        Command::Stats(args) => stats(&args, lang),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jixiao: {e}");
            ExitCode::from(2)
        }
    }
}

fn dump(args: &DumpArgs) -> std::io::Result<ExitCode> {
    let doc = match read_path(&args.file, &args.limits.limits()) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("jixiao: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        DumpFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        DumpFormat::Text => out.write_all(jixiao::render::document(&doc).as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn fail(message: impl std::fmt::Display) -> std::io::Result<ExitCode> {
    eprintln!("jixiao: {message}");
    Ok(ExitCode::from(2))
}

/// What a batch needs besides the output: paths, extractors, threads.
struct Prepared {
    paths: Vec<PathBuf>,
    skipped: Vec<(String, String)>,
    families: std::sync::Arc<Vec<family::Family>>,
    jobs: usize,
}

/// `configured` is the extractors folder of `jixiao.toml`, which `--extractors` overrides.
fn prepare(args: &BatchArgs, configured: Option<&Path>) -> Result<Prepared, String> {
    let families = std::sync::Arc::new(family::load(args.extractors.as_deref().or(configured))?);
    let filter = Filter::new(&args.globs)?;
    let batch::Inputs { paths, skipped } =
        batch::expand(&args.inputs, &filter).map_err(|e| e.to_string())?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    Ok(Prepared {
        paths,
        skipped,
        families,
        jobs,
    })
}

impl Prepared {
    /// Hands the loaded families (built-in and `--extractors`) to the checks, which read their
    /// roles and declared relations; refuses a `[materiality.family.ID]` of `jixiao.toml`
    /// whose family is not loaded.
    fn settle(&self, settings: &mut Settings) -> Result<(), String> {
        settings.families = std::sync::Arc::clone(&self.families);
        let ids: Vec<&str> = self.families.iter().map(|f| f.id.as_str()).collect();
        match settings
            .materiality
            .family
            .keys()
            .find(|id| !ids.contains(&id.as_str()))
        {
            Some(id) => Err(format!(
                "[materiality.family.{id}]: no family {id:?} (families: {})",
                ids.join(", ")
            )),
            None => Ok(()),
        }
    }

    fn options<'a>(
        &'a self,
        args: &BatchArgs,
        settings: &'a Settings,
        stored: Option<&'a Stored>,
    ) -> Options<'a> {
        Options {
            limits: args.limits.limits(),
            settings,
            jobs: self.jobs,
            stored,
            progress: !args.quiet,
            keep_documents: false,
            skipped: &self.skipped,
            baseline: None,
            record: None,
            show: Severity::Info,
        }
    }
}

/// Prints the end-of-batch summary (or, quietly, just the unreadable and skipped files).
fn summarize(args: &BatchArgs, paths: usize, tally: &Tally, lang: Lang) {
    if !args.quiet && paths + tally.skipped.len() > 1 {
        eprint!("{}", tally.summary(lang));
    } else {
        eprint!("{}", tally.listing(lang));
    }
}

/// Above this many documents a one-page HTML report takes seconds to open (docs/benchmarks.md):
/// `check` suggests the directory form.
const HTML_PAGE_DOCUMENTS: usize = 200;

/// Streams an emitter's output to `out` (a file replaced atomically) or standard output.
fn stream_to(
    out: Option<&Path>,
    emitter: &dyn emit::Emitter,
    paths: &[PathBuf],
    options: &Options<'_>,
) -> std::io::Result<Tally> {
    match out {
        None => emit::stream(emitter, &mut std::io::stdout().lock(), paths, options),
        Some(file) => {
            let dir = match file.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            // The temporary file's name means nothing to the user: name the output instead.
            let named = |e: std::io::Error| {
                let text = e.to_string();
                let cause = text.split(" at path ").next().unwrap_or_default();
                std::io::Error::new(e.kind(), format!("{}: {cause}", file.display()))
            };
            let mut w = std::io::BufWriter::new(emit::temp_file_in(dir).map_err(named)?);
            let tally = emit::stream(emitter, &mut w, paths, options)?;
            let tmp = w.into_inner().map_err(|e| e.into_error())?;
            tmp.as_file().sync_all()?;
            tmp.persist(file).map_err(|e| named(e.error))?;
            Ok(tally)
        }
    }
}

fn extract(args: &ExtractArgs, lang: Option<Lang>) -> std::io::Result<ExitCode> {
    let (config, mut settings) =
        match jixiao::config::settings(args.config.as_deref(), &[], &[], lang) {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
    let prepared = match prepare(&args.batch, config.extractors.as_deref()) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    if args.incremental && args.format != ExtractFormat::Sqlite {
        return fail("--incremental needs --format sqlite");
    }
    if let Err(e) = prepared.settle(&mut settings) {
        return fail(e);
    }
    let paths = &prepared.paths;
    let tally = match args.format {
        ExtractFormat::Json | ExtractFormat::Jsonl => {
            let options = prepared.options(&args.batch, &settings, None);
            let json = emit::ExtractJson {
                // One file named: its record; a directory, `-` or several files: an array,
                // whatever the number of files found.
                single: args.batch.inputs.len() == 1 && args.batch.inputs[0].is_file(),
            };
            let emitter: &dyn emit::Emitter = if args.format == ExtractFormat::Json {
                &json
            } else {
                &emit::ExtractJsonLines
            };
            stream_to(args.out.as_deref(), emitter, paths, &options)?
        }
        ExtractFormat::Csv => {
            let Some(dir) = &args.out else {
                return fail("--format csv needs --out DIR");
            };
            let options = prepared.options(&args.batch, &settings, None);
            let mut csv = emit::csv::CsvDir::create(dir, !args.no_bom)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
            let tally =
                batch::run(
                    paths,
                    &options,
                    &emit::flat::flatten,
                    &mut |delivery| match delivery {
                        Delivery::Next(rows) => csv.write(rows),
                        // Its files are temporary until renamed at the end: nothing to show.
                        Delivery::Stalled => Ok(()),
                    },
                )?;
            csv.finish()?;
            tally
        }
        ExtractFormat::Sqlite => {
            let Some(file) = &args.out else {
                return fail("--format sqlite needs --out FILE.db");
            };
            let mut db = match emit::sqlite::Database::open(file) {
                Ok(db) => db,
                Err(e) => return fail(e),
            };
            let sql =
                |e: rusqlite::Error| std::io::Error::other(format!("{}: {e}", file.display()));
            let stored = if args.incremental {
                let named = |e: std::io::Error| {
                    std::io::Error::new(e.kind(), format!("{}: {e}", file.display()))
                };
                Some(db.stored(&prepared.families).map_err(named)?)
            } else {
                None
            };
            db.forget_batch_findings(paths).map_err(sql)?;
            let options = prepared.options(&args.batch, &settings, stored.as_ref());
            let tally = batch::run(paths, &options, &emit::flat::flatten, &mut |delivery| {
                match delivery {
                    Delivery::Next(rows) => db.write(rows),
                    Delivery::Stalled => db.commit(),
                }
                .map_err(sql)
            })?;
            db.finish().map_err(sql)?;
            tally
        }
    };
    summarize(&args.batch, paths.len(), &tally, settings.lang);
    Ok(if tally.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn check(args: &CheckArgs, lang: Option<Lang>) -> std::io::Result<ExitCode> {
    let (config, mut settings) =
        match jixiao::config::settings(args.config.as_deref(), &args.select, &args.ignore, lang) {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
    let prepared = match prepare(&args.batch, config.extractors.as_deref()) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    if let Err(e) = prepared.settle(&mut settings) {
        return fail(e);
    }
    let format = args
        .output_format
        .or(config.output_format)
        .unwrap_or(OutputFormat::Full);
    let baseline = match args
        .baseline
        .as_deref()
        .map(jixiao::baseline::Baseline::load)
    {
        Some(Err(e)) => return fail(e),
        loaded => loaded.and_then(Result::ok),
    };
    let record = args
        .write_baseline
        .as_ref()
        .map(|_| std::sync::Mutex::new(Vec::new()));
    let mut options = prepared.options(&args.batch, &settings, None);
    options.keep_documents = format == OutputFormat::Html;
    options.baseline = baseline.as_ref();
    options.record = record.as_ref();
    options.show = args
        .min_severity
        .or(config.min_severity)
        .unwrap_or(Severity::Info);
    let lang = settings.lang;
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(Severity::Error);
    if format == OutputFormat::Xlsx && args.out.is_none() {
        return fail("--output-format xlsx needs --out FILE.xlsx");
    }
    let tally = match args.out.as_deref() {
        Some(file) if format == OutputFormat::Xlsx => {
            emit::xlsx::write(file, lang, &prepared.paths, &options)?
        }
        Some(dir)
            if format == OutputFormat::Html
                && (dir.is_dir() || dir.as_os_str().to_string_lossy().ends_with('/')) =>
        {
            emit::html::write_directory(dir, lang, &prepared.paths, &options)?
        }
        out => {
            if format == OutputFormat::Html && prepared.paths.len() > HTML_PAGE_DOCUMENTS {
                eprintln!(
                    "jixiao: {} documents on one HTML page load slowly; `--out DIR/` writes an index and a page per document",
                    prepared.paths.len()
                );
            }
            let how = emit::Presentation {
                lang,
                fail_on,
                color: args.color.enabled(),
                quiet: args.batch.quiet,
            };
            let emitter = emit::findings_emitter(format, how);
            stream_to(out, emitter.as_ref(), &prepared.paths, &options)?
        }
    };
    summarize(&args.batch, prepared.paths.len(), &tally, lang);
    if let (Some(file), Some(record)) = (&args.write_baseline, record) {
        let entries = record.into_inner().unwrap_or_else(|e| e.into_inner());
        jixiao::baseline::write(file, entries)?;
    }
    if let Some(baseline) = &baseline {
        let gone = baseline.gone();
        if !gone.is_empty() && !args.batch.quiet {
            eprintln!("jixiao: {} findings of the baseline are gone:", gone.len());
        }
        for e in gone {
            eprintln!(
                "jixiao: {}: gone: {} {} [{}]",
                e.path, e.code, e.message, e.fingerprint
            );
        }
    }
    if tally.documents + tally.unchanged == 0 {
        return fail(format!(
            "no document was checked ({} unreadable, {} skipped)",
            tally.failed.len(),
            tally.skipped.len()
        ));
    }
    let over = tally.worst().is_some_and(|w| w >= fail_on);
    Ok(if !tally.failed.is_empty() {
        ExitCode::from(2)
    } else if over && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn stats(args: &StatsArgs, lang: Option<Lang>) -> std::io::Result<ExitCode> {
    let mut all = jixiao::stats::Stats::default();
    let (databases, files): (Vec<PathBuf>, Vec<PathBuf>) = args
        .batch
        .inputs
        .iter()
        .cloned()
        .partition(|p| p.is_file() && jixiao::stats::is_database(p));
    for db in &databases {
        match jixiao::stats::from_database(db) {
            Ok(s) => all.merge(s),
            Err(e) => return fail(e),
        }
    }
    let mut failed = false;
    if !files.is_empty() {
        let file_args = BatchArgs {
            inputs: files,
            ..args.batch.clone()
        };
        let prepared = match prepare(&file_args, None) {
            Ok(p) => p,
            Err(e) => return fail(e),
        };
        let mut settings = Settings {
            lang: lang.unwrap_or_else(Lang::from_locale),
            ..Settings::default()
        };
        if let Err(e) = prepared.settle(&mut settings) {
            return fail(e);
        }
        let options = prepared.options(&args.batch, &settings, None);
        let count = |r: &emit::Report| {
            let mut s = jixiao::stats::Stats::default();
            s.add_rows(&emit::flat::flatten(r));
            s
        };
        let tally = batch::run(&prepared.paths, &options, &count, &mut |delivery| {
            if let Delivery::Next(s) = delivery {
                all.merge(s);
            }
            Ok(())
        })?;
        // The statistics are the summary; unreadable and skipped files are still named.
        eprint!("{}", tally.listing(settings.lang));
        failed = !tally.failed.is_empty();
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        DumpFormat::Text => out.write_all(all.render().as_bytes())?,
        DumpFormat::Json => {
            #[derive(serde::Serialize)]
            struct Output<'a> {
                #[serde(flatten)]
                stats: &'a jixiao::stats::Stats,
                benford: Option<jixiao::stats::Benford>,
            }
            serde_json::to_writer_pretty(
                &mut out,
                &Output {
                    stats: &all,
                    benford: all.benford(),
                },
            )?;
            writeln!(out)?;
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The language of `rule` and `rules`: `--lang`, else the nearest `jixiao.toml`'s, else the
/// locale's.
fn language(lang: Option<Lang>) -> Result<Lang, String> {
    jixiao::config::settings(None, &[], &[], lang).map(|(_, settings)| settings.lang)
}

fn rule(code: &str, lang: Option<Lang>) -> std::io::Result<ExitCode> {
    let Some(rule) = check::rules::find(code) else {
        return fail(format!("no rule {code:?} (see `jixiao rules`)"));
    };
    let lang = match language(lang) {
        Ok(lang) => lang,
        Err(e) => return fail(e),
    };
    let mut out = std::io::stdout().lock();
    let heading = lang.say(
        "rule-heading",
        &[
            ("code", &rule.code),
            ("name", &rule.name),
            ("severity", &rule.severity.said(lang)),
        ],
    );
    writeln!(out, "{heading}\n")?;
    writeln!(out, "{}", rule.doc(lang))?;
    Ok(ExitCode::SUCCESS)
}

fn init(force: bool) -> std::io::Result<ExitCode> {
    let path = Path::new("jixiao.toml");
    if path.exists() && !force {
        return fail("jixiao.toml already exists (--force replaces it)");
    }
    std::fs::write(path, jixiao::config::TEMPLATE)?;
    eprintln!("jixiao: wrote jixiao.toml");
    Ok(ExitCode::SUCCESS)
}

fn rules(lang: Option<Lang>) -> std::io::Result<ExitCode> {
    let lang = match language(lang) {
        Ok(lang) => lang,
        Err(e) => return fail(e),
    };
    let mut out = std::io::stdout().lock();
    for r in check::registry() {
        writeln!(
            out,
            "{}  {:<24} {:<8} {}",
            r.code,
            r.name,
            r.severity.said(lang),
            r.summary(lang)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
