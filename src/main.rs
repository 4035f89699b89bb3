//! The `jixiao` command line; all flags and subcommands live in `cli.rs`.

use std::process::ExitCode;

mod cli;

/// Readers allocate many small strings; mimalloc makes a batch ~15 % faster than the system
/// allocator (docs/benchmarks.md). It is built without asking for transparent huge pages
/// (`no_thp` in Cargo.toml): zeroing a 2 MiB page at each first touch was a quarter of
/// start-up.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A panic inside calamine on a damaged workbook becomes a read error naming the file;
    // only unexpected panics print the usual message.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !jixiao::read::expected_panic() {
            default_hook(info);
        }
    }));
    cli::run()
}
