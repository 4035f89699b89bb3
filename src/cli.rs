//! Flags and subcommands of the `jixiao` binary, in one place.
//!
//! Exit codes: 0 success, 1 findings at or above the fail level (`check`), 2 an input could
//! not be read or the arguments are bad.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use jixiao::check::{self, Settings, Severity};
use jixiao::emit::{self, OutputFormat, Report};
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
}

/// Inputs and how to process them, shared by `extract` and `check`.
#[derive(Args)]
struct BatchArgs {
    /// Files, directories (walked for .docx .txt .html .xlsx .xls .ods), or `-` to read paths
    /// from standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Worker threads (default: all cores). Output order does not depend on it.
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// More extractor definitions (*.toml), loaded after the built-in ones.
    #[arg(long)]
    extractors: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Args)]
struct ExtractArgs {
    #[command(flatten)]
    batch: BatchArgs,
    /// `json`: one pretty object per document (an array for several); `jsonl`: one line each.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
    format: ExtractFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Json,
    Jsonl,
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
}

#[derive(Args)]
struct DumpArgs {
    /// The file to read (.docx, .xlsx, .xls, .ods, .html, or a Word plain-text export).
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
#[derive(Args)]
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
    let result = match cli.command {
        Command::Dump(args) => dump(&args),
        Command::Extract(args) => extract(&args),
        Command::Check(args) => check(&args),
        Command::Rule { code } => rule(&code),
        Command::Rules => rules(),
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

/// Expands the inputs and runs the batch; `Err` carries a message for exit code 2.
fn run_batch(args: &BatchArgs, settings: &Settings) -> Result<Vec<Report>, String> {
    let families = family::load(args.extractors.as_deref())?;
    let paths = jixiao::batch::expand(&args.inputs).map_err(|e| e.to_string())?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    Ok(jixiao::batch::run(
        &paths,
        &args.limits.limits(),
        &families,
        settings,
        jobs,
    ))
}

fn report_failures(reports: &[Report]) -> bool {
    let mut failed = false;
    for r in reports {
        if let Report::Failed { path, error } = r {
            eprintln!("jixiao: {path}: {error}");
            failed = true;
        }
    }
    failed
}

fn extract(args: &ExtractArgs) -> std::io::Result<ExitCode> {
    let reports = match run_batch(&args.batch, &Settings::default()) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let failed = report_failures(&reports);
    let docs: Vec<&jixiao::extract::Extraction> = reports
        .iter()
        .filter_map(|r| match r {
            Report::Checked(x) => Some(x.as_ref()),
            Report::Failed { .. } => None,
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format {
        ExtractFormat::Jsonl => {
            for d in &docs {
                serde_json::to_writer(&mut out, d)?;
                writeln!(out)?;
            }
        }
        ExtractFormat::Json if docs.len() == 1 && reports.len() == 1 => {
            serde_json::to_writer_pretty(&mut out, docs[0])?;
            writeln!(out)?;
        }
        ExtractFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &docs)?;
            writeln!(out)?;
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn check(args: &CheckArgs) -> std::io::Result<ExitCode> {
    let config_path = match &args.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| jixiao::config::find(&d)),
    };
    let config = match config_path.as_deref().map(jixiao::config::load).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => return fail(e),
    };
    let mut settings = Settings::default();
    settings.select = if args.select.is_empty() {
        config.select.clone()
    } else {
        args.select.clone()
    };
    settings.ignore = config.ignore.iter().chain(&args.ignore).cloned().collect();
    if let Some(grades) = &config.grades {
        let mut bands: Vec<(String, rust_decimal::Decimal)> =
            grades.iter().map(|(g, v)| (g.clone(), *v)).collect();
        bands.sort_by(|a, b| b.1.cmp(&a.1));
        settings.grades = bands;
    }
    for code in settings.select.iter().chain(&settings.ignore) {
        if code != "ALL"
            && !check::registry()
                .iter()
                .any(|r| r.code.starts_with(code.as_str()))
        {
            return fail(format!(
                "no rule code starts with {code:?} (see `jixiao rules`)"
            ));
        }
    }
    let reports = match run_batch(&args.batch, &settings) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let format = args
        .output_format
        .or(config.output_format)
        .unwrap_or(OutputFormat::Full);
    std::io::stdout()
        .lock()
        .write_all(emit::render(format, &reports).as_bytes())?;
    let failed = report_failures(&reports);
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(Severity::Error);
    let over = reports
        .iter()
        .flat_map(Report::findings)
        .any(|f| f.severity >= fail_on);
    Ok(if failed {
        ExitCode::from(2)
    } else if over && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn rule(code: &str) -> std::io::Result<ExitCode> {
    let Some(rule) = check::rules::find(code) else {
        return fail(format!("no rule {code:?} (see `jixiao rules`)"));
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} {} (default severity: {})\n",
        rule.code,
        rule.name,
        rule.severity.name()
    )?;
    writeln!(out, "{}", rule.doc())?;
    Ok(ExitCode::SUCCESS)
}

fn rules() -> std::io::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    for r in check::registry() {
        writeln!(
            out,
            "{}  {:<24} {:<8} {}",
            r.code,
            r.name,
            r.severity.name(),
            r.summary()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
