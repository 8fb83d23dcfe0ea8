//! The `hmip-letter` binary: parse arguments, run the command, and exit 0
//! (success), 1 (errors in the input or the letter; for `diff`, the letters
//! differ) or 2 (a usage error, printed by clap, or a `diff` that could not
//! compare). Only this binary knows the command line; the work is the
//! library's.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod terminal;

use cli::Cli;
use commands::Outcome;
use terminal::Terminal;

/// mimalloc is faster than the system allocator for Typst's many small
/// allocations, and hands freed memory back to the system sooner.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut terminal = Terminal::new(cli.quiet);
    let outcome = commands::run(cli.command, &mut terminal);
    match outcome {
        Err(usage) => usage.exit(),
        Ok(_) if terminal.failed() => ExitCode::FAILURE,
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Failure) => ExitCode::FAILURE,
        Ok(Outcome::Trouble) => ExitCode::from(2),
    }
}
