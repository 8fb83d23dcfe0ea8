//! What each subcommand does, in terms of the [`Pipeline`].
//!
//! Commands never print: they hand diagnostics to a [`Sink`] (which
//! `main.rs` implements) and say whether the run succeeded. A usage error
//! (bad combination of arguments) comes back as a `clap::Error`, which main
//! prints and exits with 2.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::batch;
use crate::cli::{
    CheckArgs, ColorChoice, Command, DiffArgs, DiffFormat, InitArgs, PairArgs, PreflightArgs,
    RenderArgs, usage_error,
};
use crate::diff;
use crate::error::{Diagnostic, Error};
use crate::format::Format;
use crate::load::{self, Input};
use crate::output::{self, Output};
use crate::paths::same_file;
use crate::report::DiagnosticFormat;
use crate::templates::Templates;
use crate::{Pipeline, Publishing, Setup};

/// Where commands send what the user should see.
pub trait Sink {
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
pub enum Outcome {
    /// 0: done; for `diff`, the letters read the same.
    Success,
    /// 1: errors were reported; for `diff`, the letters differ.
    Failure,
    /// 2: `diff` could not compare the letters.
    Trouble,
}

impl From<bool> for Outcome {
    fn from(ok: bool) -> Self {
        if ok { Outcome::Success } else { Outcome::Failure }
    }
}

/// Runs a command.
pub fn run(command: Command, sink: &mut dyn Sink) -> Result<Outcome, clap::Error> {
    let ok = match command {
        Command::Render(args) => render(args, sink),
        Command::Check(args) => check(args, sink),
        Command::Schema => Ok(schema(sink)),
        Command::Init(args) => Ok(init(args, sink)),
        Command::Watch(args) => crate::watch::run(args, sink),
        Command::Diff(args) => return diff(args, sink),
        Command::Preflight(args) => preflight(args, sink),
        Command::Pair(args) => pair(args, sink),
        Command::Worker(args) => Ok(batch::worker::serve(&args)),
    };
    ok.map(Outcome::from)
}

fn render(args: RenderArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let publishing = args.common.publishing.publishing()?;
    let format = Format::from(args.format);
    let is_batch = args.inputs.len() > 1
        || args.inputs.iter().any(|i| matches!(i, Input::Path(p) if p.is_dir()));
    if is_batch {
        return render_batch(args, &publishing, sink);
    }
    let [input] = args.inputs.as_slice() else {
        return Err(usage_error("give a findings file to render"));
    };
    let output = match (&args.output, input) {
        (Some(output), _) => output.clone(),
        (None, Input::Path(path)) => Output::Path(path.with_extension(format.extension())),
        (None, Input::Stdin) => {
            return Err(usage_error("reading standard input (`-`) needs `-o OUT` (or `-o -`)"));
        }
    };
    if let (Input::Path(input), Output::Path(output)) = (input, &output)
        && same_file(input, output)
    {
        return Err(usage_error(format!(
            "the output {} would overwrite the findings file",
            output.display()
        )));
    }
    if format == Format::Png && output == Output::Stdout {
        return Err(usage_error("PNG pages are separate files: give `-o NAME.png`, not `-o -`"));
    }
    let result = Pipeline::new(&args.common.setup.setup())
        .and_then(|pipeline| pipeline.render_input(input, format, args.ppi, &publishing))
        .and_then(|rendered| {
            output::write_outputs(&output, format, &rendered.outputs)?;
            Ok(rendered.warnings)
        });
    match result {
        Ok(warnings) => {
            sink.diagnostics(&warnings, args.common.diagnostic_format);
            Ok(true)
        }
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), args.common.diagnostic_format);
            Ok(false)
        }
    }
}

/// Renders many findings files in parallel; `-o` names a folder.
fn render_batch(
    args: RenderArgs,
    publishing: &Publishing,
    sink: &mut dyn Sink,
) -> Result<bool, clap::Error> {
    let mut paths = Vec::new();
    for input in &args.inputs {
        match input {
            Input::Path(path) => paths.push(path.clone()),
            Input::Stdin => {
                return Err(usage_error("standard input (`-`) is for one letter at a time"));
            }
        }
    }
    let out_dir = match &args.output {
        None => None,
        Some(Output::Stdout) => {
            return Err(usage_error(
                "several letters cannot go to standard output: give -o FOLDER",
            ));
        }
        Some(Output::Path(dir)) if dir.is_file() => {
            return Err(usage_error(format!(
                "with several findings files, -o names a folder, and {} is a file",
                dir.display()
            )));
        }
        Some(Output::Path(dir)) => Some(dir.clone()),
    };
    let format = args.common.diagnostic_format;
    let prepared = batch::expand(&paths).and_then(|files| {
        if let Some(dir) = &out_dir {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        Ok(files)
    });
    let files = match prepared {
        Ok(files) => files,
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), format);
            return Ok(false);
        }
    };
    let output_format = Format::from(args.format);
    let jobs = batch::plan(&files, out_dir.as_deref(), output_format).map_err(usage_error)?;
    let at_once = args.jobs.map_or_else(batch::available_cores, |n| n.get());
    let split = batch::Split::new(at_once, jobs.len(), args.threads_per_worker.map(|n| n.get()));
    let settings = batch::Settings {
        setup: args.common.setup.setup(),
        format: output_format,
        ppi: args.ppi,
        publishing: publishing.clone(),
        worker_args: args.worker_args(),
    };
    sink.start_progress(jobs.len());
    let result = batch::run(&settings, &jobs, split, |_, outcome| {
        match outcome.result {
            Ok(warnings) => sink.diagnostics(&warnings, format),
            Err(error) => sink.diagnostics(&error.diagnostics(), format),
        }
        sink.advance();
    });
    sink.finish_progress();
    match result {
        Ok(summary) => {
            sink.status(&summary.to_string());
            Ok(summary.all_written())
        }
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), format);
            Ok(false)
        }
    }
}

fn check(args: CheckArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let publishing = args.common.publishing.publishing()?;
    let format = args.common.diagnostic_format;
    let Some(pipeline) = reported(Pipeline::new(&args.common.setup.setup()), format, sink) else {
        return Ok(false);
    };
    let mut all_ok = true;
    for input in &args.inputs {
        // Typeset in memory too, so a file that passes `check` renders.
        let diagnostics = match pipeline.render_input(input, Format::Pdf, 72.0, &publishing) {
            Ok(rendered) => rendered.warnings,
            Err(error) => error.diagnostics(),
        };
        sink.diagnostics(&diagnostics, format);
        if format == DiagnosticFormat::Human {
            sink.status(&format!("{}: {}", input.name(), tally(&diagnostics)));
        }
        all_ok &= !diagnostics.iter().any(Diagnostic::is_error);
    }
    Ok(all_ok)
}

/// The value, or its error reported.
fn reported<T>(
    result: Result<T, Error>,
    format: DiagnosticFormat,
    sink: &mut dyn Sink,
) -> Option<T> {
    result.map_err(|error| sink.diagnostics(&error.diagnostics(), format)).ok()
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

/// Compares two versions of a letter and writes the changes.
fn diff(args: DiffArgs, sink: &mut dyn Sink) -> Result<Outcome, clap::Error> {
    if args.old == Input::Stdin && args.new == Input::Stdin {
        return Err(usage_error("only one of OLD and NEW can be standard input (`-`)"));
    }
    let setup = args.setup.setup();
    let old_setup = Setup { templates: args.old_templates.clone(), ..setup.clone() };
    let pipelines = Pipeline::new(&setup).and_then(|new| {
        let old = args.old_templates.is_some().then(|| Pipeline::new(&old_setup)).transpose()?;
        Ok((old, new))
    });
    let letters = match &pipelines {
        Ok((old, new)) => {
            diff::read_both((old.as_ref().unwrap_or(new), &args.old), (new, &args.new))
        }
        Err(error) => Err(error.diagnostics()),
    };
    let (old, new) = match letters {
        Ok(letters) => letters,
        Err(diagnostics) => {
            sink.diagnostics(&diagnostics, args.diagnostic_format);
            return Ok(Outcome::Trouble);
        }
    };
    let comparison = diff::compare(&old, &new, (&args.old.name(), &args.new.name()));
    let to_stdout = matches!(args.output, None | Some(Output::Stdout));
    let colour = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_stdout && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let text = match args.format {
        DiffFormat::Text => diff::text::write(&comparison, colour),
        DiffFormat::Html => diff::html::write(&comparison),
        DiffFormat::Json => {
            format!("{}\n", serde_json::to_string_pretty(&comparison).unwrap_or_default())
        }
    };
    let written = match &args.output {
        Some(Output::Path(path)) => output::write_atomic(path, text.as_bytes()),
        _ => output::write_stdout(text.as_bytes()),
    };
    if !report_result(written, sink) {
        return Ok(Outcome::Trouble);
    }
    Ok(Outcome::from(comparison.is_same()))
}

/// Looks for personal data and slips of house style in each file.
fn preflight(args: PreflightArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let format = args.diagnostic_format;
    let prepared = Pipeline::new(&args.setup.setup())
        .and_then(|pipeline| pipeline.preflight_rules().map(|rules| (pipeline, rules)));
    let Some((pipeline, rules)) = reported(prepared, format, sink) else {
        return Ok(false);
    };
    let mut all_ok = true;
    for input in &args.inputs {
        let found = load::read(input)
            .and_then(|file| pipeline.load(file, input.dir()))
            .and_then(|loaded| pipeline.preflight(&loaded, &rules));
        let (diagnostics, off) = match found {
            Ok(found) => (found.diagnostics, found.off),
            Err(error) => (error.diagnostics(), Vec::new()),
        };
        sink.diagnostics(&diagnostics, format);
        if format == DiagnosticFormat::Human {
            let off = if off.is_empty() {
                String::new()
            } else {
                format!("; switched off: {}", off.join(", "))
            };
            sink.status(&format!("{}: {}{off}", input.name(), tally(&diagnostics)));
        }
        all_ok &= !diagnostics.iter().any(Diagnostic::is_error);
    }
    Ok(all_ok)
}

/// Compares two versions of a letter; differences are errors (exit 1).
fn pair(args: PairArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    if args.first == Input::Stdin && args.second == Input::Stdin {
        return Err(usage_error("only one of the two findings files can be standard input (`-`)"));
    }
    let format = args.diagnostic_format;
    let result = Pipeline::new(&args.setup.setup())
        .and_then(|pipeline| crate::pair::files(&pipeline, &args.first, &args.second));
    match result {
        Ok(report) => {
            sink.diagnostics(&report.differences, format);
            if report.matches() || format == DiagnosticFormat::Human {
                sink.status(&report.summary());
            }
            Ok(report.matches())
        }
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), format);
            Ok(false)
        }
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

fn schema(sink: &mut dyn Sink) -> bool {
    let written = crate::schema::text().and_then(|text| output::write_stdout(text.as_bytes()));
    report_result(written, sink)
}

fn init(args: InitArgs, sink: &mut dyn Sink) -> bool {
    let text = match Templates::embedded().starter(args.area.as_deref()) {
        Ok(text) => text,
        Err(error) => return report_result(Err(error), sink),
    };
    let path = args.output.clone().unwrap_or_else(|| match &args.area {
        Some(area) => PathBuf::from(format!("{}.yaml", slug(area))),
        None => PathBuf::from("findings.yaml"),
    });
    let written = if args.force {
        output::write_atomic(&path, text.as_bytes())
    } else if path.exists() {
        let d = Diagnostic::error(format!("{} already exists", path.display()))
            .hint("choose another name with -o FILE, or add --force to replace it");
        Err(Error::from(d))
    } else {
        output::write_new(&path, text.as_bytes())
    };
    let ok = report_result(written, sink);
    if ok {
        let path = path.display();
        sink.status(&format!(
            "wrote {path}: replace every TODO, then run `hmip-letter check {path}`"
        ));
    }
    ok
}

/// "Bath & North East Somerset" → "bath-north-east-somerset".
fn slug(text: &str) -> String {
    let lower = text.to_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() { "findings".into() } else { words.join("-") }
}

fn report_result(result: Result<(), Error>, sink: &mut dyn Sink) -> bool {
    match result {
        Ok(()) => true,
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), DiagnosticFormat::Human);
            false
        }
    }
}
