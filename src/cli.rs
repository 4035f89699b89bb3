//! Flags and subcommands of the `jixiao` binary, in one place.
//!
//! Exit codes: 0 success, 1 findings at or above the fail level (`check`), 2 an input could
//! not be read or the arguments are bad.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
