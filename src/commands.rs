//! What each subcommand does, in terms of the library's [`Pipeline`]: one
//! file per subcommand under `commands/`, and here what they share.
//!
//! Commands never print: they hand diagnostics and status lines to a
//! [`Sink`] (which `terminal.rs` implements) and say how the run ended. A
//! usage error (a bad combination of arguments) comes back as a
//! `clap::Error`, which `main.rs` prints and exits with 2.
//!
//! [`Pipeline`]: hmip_letter::Pipeline

use hmip_letter::Diagnostic;
use hmip_letter::error::Error;
use hmip_letter::report::DiagnosticFormat;

use crate::cli::Command;

mod check;
mod comments;
mod completions;
mod diff;
mod edit;
mod import;
mod init;
mod pair;
mod preflight;
mod render;
mod schema;
mod watch;
mod worker;

/// Where commands send what the user should see.
pub(crate) trait Sink {
    /// Errors and warnings, printed in `format`.
    fn diagnostics(&mut self, diagnostics: &[Diagnostic], format: DiagnosticFormat);

    /// A line saying what was done.
    fn status(&mut self, line: &str);

    /// A batch of `total` letters begins.
    fn start_progress(&mut self, _total: usize) {}

    /// One more letter of the batch is done.
    fn advance(&mut self) {}

    /// The batch is over.
    fn finish_progress(&mut self) {}
}

/// How a command ended, which is the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// 0: done; for `diff`, the letters read the same.
    Success,
    /// 1: errors were reported; for `diff`, the letters differ.
    Failure,
    /// 2: `diff` could not compare the letters; `comments` could not read
    /// the document.
    Trouble,
}

impl From<bool> for Outcome {
    fn from(ok: bool) -> Self {
        if ok { Outcome::Success } else { Outcome::Failure }
    }
}

/// Runs a command.
pub(crate) fn run(command: Command, sink: &mut dyn Sink) -> Result<Outcome, clap::Error> {
    let ok = match command {
        Command::Render(args) => render::run(args, sink),
        Command::Check(args) => check::run(args, sink),
        Command::Schema => Ok(schema::run(sink)),
        Command::Init(args) => Ok(init::run(args, sink)),
        Command::Watch(args) => watch::run(args, sink),
        Command::Diff(args) => return diff::run(args, sink),
        Command::Comments(args) => return comments::run(args, sink),
        Command::Preflight(args) => preflight::run(args, sink),
        Command::Pair(args) => pair::run(args, sink),
        Command::Import(args) => import::run(args, sink),
        Command::Edit(args) => Ok(edit::run(args, sink)),
        Command::Completions(args) => Ok(completions::completions(args, sink)),
        Command::Man => Ok(completions::man(sink)),
        Command::Worker(args) => Ok(worker::run(&args)),
    };
    ok.map(Outcome::from)
}

/// The value, or its error reported.
fn reported<T>(
    result: Result<T, Error>,
    format: DiagnosticFormat,
    sink: &mut dyn Sink,
) -> Option<T> {
    result.map_err(|error| sink.diagnostics(&error.diagnostics(), format)).ok()
}

/// Whether it went well; if not, the error is reported.
fn report_result(result: Result<(), Error>, sink: &mut dyn Sink) -> bool {
    reported(result, DiagnosticFormat::Human, sink).is_some()
}

/// "ok", "ok, 2 warnings", "1 error, 3 warnings".
fn tally(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    match (errors, diagnostics.len() - errors) {
        (0, 0) => "ok".to_string(),
        (0, w) => format!("ok, {}", count(w, "warning")),
        (e, 0) => count(e, "error"),
        (e, w) => format!("{}, {}", count(e, "error"), count(w, "warning")),
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}
