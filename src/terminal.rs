//! Standard error, where the user hears what a command did: diagnostics,
//! status lines, and on a terminal a progress bar for batches.
//!
//! `--quiet` keeps errors only. A line that cannot be written is noted, so
//! the run does not end as a success that said nothing; a closed pipe is
//! not such a failure, as with ripgrep.

use std::io::{self, IsTerminal, Write};

use hmip_letter::Diagnostic;
use hmip_letter::report::{self, DiagnosticFormat};
use indicatif::{ProgressBar, ProgressStyle};

use crate::commands::Sink;

/// The terminal's side of a run.
pub(crate) struct Terminal {
    quiet: bool,
    bar: Option<ProgressBar>,
    /// Something could not be written to standard error.
    unwritten: bool,
}

impl Terminal {
    /// A terminal that says everything, or (`quiet`) errors only.
    pub(crate) fn new(quiet: bool) -> Self {
        Self { quiet, bar: None, unwritten: false }
    }

    /// Whether something the user should have seen could not be written.
    pub(crate) fn failed(&self) -> bool {
        self.unwritten
    }

    /// Prints without tearing the progress bar, noting a failure.
    fn print(&mut self, f: impl FnOnce() -> io::Result<()>) {
        let result = match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        };
        if result.is_err_and(|e| e.kind() != io::ErrorKind::BrokenPipe) {
            self.unwritten = true;
        }
    }
}

impl Sink for Terminal {
    fn diagnostics(&mut self, diagnostics: &[Diagnostic], format: DiagnosticFormat) {
        let shown: Vec<Diagnostic> = if self.quiet {
            diagnostics.iter().filter(|d| d.is_error()).cloned().collect()
        } else {
            diagnostics.to_vec()
        };
        if !shown.is_empty() {
            self.print(|| report::print(&shown, format));
        }
    }

    fn status(&mut self, line: &str) {
        if !self.quiet {
            let line = report::visible(line);
            self.print(|| writeln!(io::stderr().lock(), "{line}"));
        }
    }

    fn start_progress(&mut self, total: usize) {
        if self.quiet || !io::stderr().is_terminal() {
            return;
        }
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} letters {elapsed_precise}")
        {
            bar.set_style(style);
        }
        self.bar = Some(bar);
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
