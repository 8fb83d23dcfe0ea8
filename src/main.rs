//! The `hmip-letter` binary: parse arguments, run the command, print what
//! it reports, and exit 0 (success), 1 (errors in the input or the letter)
//! or 2 (a usage error, printed by clap).

use std::process::ExitCode;

use clap::Parser;
use hmip_letter::Diagnostic;
use hmip_letter::cli::Cli;
use hmip_letter::commands::{self, Sink};
use hmip_letter::report::{self, DiagnosticFormat};

/// Prints diagnostics to standard error.
struct Terminal;

impl Sink for Terminal {
    fn diagnostics(&mut self, diagnostics: &[Diagnostic], format: DiagnosticFormat) {
        report::print(diagnostics, format);
    }

    fn status(&mut self, line: &str) {
        eprintln!("{line}");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli.command, &mut Terminal) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(usage) => usage.exit(),
    }
}
