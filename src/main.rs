//! The `hmip-letter` binary: parse arguments, run the command, print what
//! it reports, and exit 0 (success), 1 (errors in the input or the letter;
//! for `diff`, the letters differ) or 2 (a usage error, printed by clap, or
//! a `diff` that could not compare).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use hmip_letter::Diagnostic;
use hmip_letter::cli::Cli;
use hmip_letter::commands::{self, Outcome, Sink};
use hmip_letter::report::{self, DiagnosticFormat};
use indicatif::{ProgressBar, ProgressStyle};

/// mimalloc is faster than the system allocator for Typst's many small
/// allocations, and hands freed memory back to the system sooner.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prints to standard error: diagnostics, status lines, and on a terminal a
/// progress bar for batches.
#[derive(Default)]
struct Terminal {
    bar: Option<ProgressBar>,
}

impl Terminal {
    /// Prints without tearing the progress bar.
    fn print(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }
}

impl Sink for Terminal {
    fn diagnostics(&mut self, diagnostics: &[Diagnostic], format: DiagnosticFormat) {
        if !diagnostics.is_empty() {
            self.print(|| report::print(diagnostics, format));
        }
    }

    fn status(&mut self, line: &str) {
        self.print(|| eprintln!("{line}"));
    }

    fn start_progress(&mut self, total: usize) {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) =
                ProgressStyle::with_template("{bar:40} {pos}/{len} letters {elapsed_precise}")
            {
                bar.set_style(style);
            }
            self.bar = Some(bar);
        }
    }

    fn advance(&mut self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    fn finish_progress(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli.command, &mut Terminal::default()) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Failure) => ExitCode::FAILURE,
        Ok(Outcome::Trouble) => ExitCode::from(2),
        Err(usage) => usage.exit(),
    }
}
