//! The `jixiao` command line; all flags and subcommands live in `cli.rs`.

use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    cli::run()
}
