//! What each subcommand does, in terms of the [`Pipeline`].
//!
//! Commands never print: they hand diagnostics to a [`Sink`] (which
//! `main.rs` implements) and say whether the run succeeded. A usage error
//! (bad combination of arguments) comes back as a `clap::Error`, which main
//! prints and exits with 2.

use std::path::{Path, PathBuf};

use crate::batch;
use crate::cli::{CheckArgs, Command, Format, InitArgs, RenderArgs, usage_error};
use crate::error::{Diagnostic, Error};
use crate::load::Input;
use crate::output::{self, Output};
use crate::report::DiagnosticFormat;
use crate::templates::{STARTER, Templates};
use crate::{Pipeline, Publishing};

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

/// Runs a command. `Ok(true)`: success; `Ok(false)`: errors were reported.
pub fn run(command: Command, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    match command {
        Command::Render(args) => render(args, sink),
        Command::Check(args) => check(args, sink),
        Command::Schema => Ok(schema(sink)),
        Command::Init(args) => Ok(init(args, sink)),
        Command::Watch(args) => crate::watch::run(args, sink),
        Command::Worker(args) => Ok(batch::worker::serve(&args)),
    }
}

fn render(args: RenderArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let publishing = args.common.publishing.publishing()?;
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
        (None, Input::Path(path)) => Output::Path(path.with_extension(args.format.extension())),
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
    if args.format == Format::Png && output == Output::Stdout {
        return Err(usage_error("PNG pages are separate files: give `-o NAME.png`, not `-o -`"));
    }
    let result = Pipeline::new(&args.common.setup.setup())
        .and_then(|pipeline| pipeline.render_input(input, args.format, args.ppi, &publishing))
        .and_then(|rendered| {
            output::write_outputs(&output, args.format, &rendered.outputs)?;
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
    let jobs = batch::plan(&files, out_dir.as_deref(), args.format).map_err(usage_error)?;
    let at_once = args.jobs.map_or_else(batch::available_cores, |n| n.get());
    let split = batch::Split::new(at_once, jobs.len(), args.threads_per_worker.map(|n| n.get()));
    let settings = batch::Settings {
        setup: args.common.setup.setup(),
        format: args.format,
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

/// Whether two paths name the same file (or would, once written).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn check(args: CheckArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let publishing = args.common.publishing.publishing()?;
    let format = args.common.diagnostic_format;
    let pipeline = match Pipeline::new(&args.common.setup.setup()) {
        Ok(pipeline) => pipeline,
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), format);
            return Ok(false);
        }
    };
    let mut all_ok = true;
    for input in &args.inputs {
        // Typeset in memory too, so a file that passes `check` renders.
        let diagnostics = match pipeline.render_input(input, Format::Pdf, 72.0, &publishing) {
            Ok(rendered) => rendered.warnings,
            Err(error) => error.diagnostics(),
        };
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        sink.diagnostics(&diagnostics, format);
        if format == DiagnosticFormat::Human {
            let summary = match (errors, warnings) {
                (0, 0) => "ok".to_string(),
                (0, w) => format!("ok, {}", count(w, "warning")),
                (e, 0) => count(e, "error"),
                (e, w) => format!("{}, {}", count(e, "error"), count(w, "warning")),
            };
            sink.status(&format!("{}: {summary}", input.name()));
        }
        all_ok &= errors == 0;
    }
    Ok(all_ok)
}

fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

fn schema(sink: &mut dyn Sink) -> bool {
    let mut text = serde_json::to_string_pretty(&crate::schema::schema()).unwrap_or_default();
    text.push('\n');
    report_result(output::write_stdout(text.as_bytes()), sink)
}

fn init(args: InitArgs, sink: &mut dyn Sink) -> bool {
    let templates = Templates::embedded();
    let mut text = templates.source(STARTER).map(|s| s.text.clone()).unwrap_or_default();
    if let Some(area) = &args.area {
        let quoted = serde_json::to_string(area).unwrap_or_default();
        text = text.replace("area: \"TODO: the area inspected\"", &format!("area: {quoted}"));
    }
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
