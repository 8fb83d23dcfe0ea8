//! `hmip-letter watch`: the letter (PDF or web page) follows the findings
//! file as it is edited.
//!
//! The pipeline (fonts, templates, Typst library) is built once and Typst's
//! caches are kept between renders, so a one-paragraph edit re-typesets only
//! what changed. Folders are watched rather than files, because editors save
//! by writing a new file and renaming it over the old one. Every write is
//! atomic, so a PDF viewer never reads half a letter, and a save with an
//! error prints the error and leaves the last good letter in place.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use hmip_letter::error::{Diagnostic, Error};
use hmip_letter::paths::{folder_of, same_file};
use hmip_letter::report::DiagnosticFormat;
use hmip_letter::{Options, Pipeline, load, output, typeset};

use super::Sink;
use crate::cli::{WatchArgs, usage_error};

/// Saves arriving this close together are one change.
const SETTLE: Duration = Duration::from_millis(3);

/// How often the loop looks at whether Ctrl-C was pressed.
const TICK: Duration = Duration::from_millis(100);

/// Watches until Ctrl-C. `Ok(false)` only if watching could not start.
pub(crate) fn run(args: WatchArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let options = args.formatting.options(&args.common.publishing)?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.input.with_extension(options.format.extension()));
    if same_file(&args.input, &output) {
        return Err(usage_error(format!(
            "the output {} would overwrite the findings file",
            output.display()
        )));
    }
    let diagnostics = args.common.diagnostic_format.into();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // Without a handler Ctrl-C still ends the process; the handler lets the
    // loop finish the letter it is writing.
    if let Err(error) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        let d = Diagnostic::warning(format!("Ctrl-C cannot be caught here: {error}"))
            .hint("Ctrl-C will still stop watch, perhaps while it writes a letter");
        sink.diagnostics(&[d], diagnostics);
    }

    let watched = match Watched::new(&args.input, args.common.setup.templates.as_deref()) {
        Ok(watched) => watched,
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), diagnostics);
            return Ok(false);
        }
    };
    let (sender, events) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(sender) {
        Ok(watcher) => watcher,
        Err(error) => {
            sink.diagnostics(
                &[Diagnostic::error(format!("cannot watch for changes: {error}"))],
                diagnostics,
            );
            return Ok(false);
        }
    };
    for dir in watched.dirs() {
        if let Err(error) = watcher.watch(dir, RecursiveMode::NonRecursive) {
            let message = format!("cannot watch {}: {error}", dir.display());
            sink.diagnostics(&[Diagnostic::error(message)], diagnostics);
            return Ok(false);
        }
    }

    let mut session = Session { args: &args, output, options, pipeline: None, last: None };
    session.reload(sink);
    session.render(sink, true);
    sink.status(&format!("watching {} (Ctrl-C to stop)", args.input.display()));
    while !stop.load(Ordering::SeqCst) {
        let first = match events.recv_timeout(TICK) {
            Ok(event) => event,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        // An editor's save is several events: take them all as one.
        let mut batch = vec![first];
        while let Ok(event) = events.recv_timeout(SETTLE) {
            batch.push(event);
        }
        let paths: Vec<PathBuf> =
            batch.into_iter().filter_map(Result::ok).flat_map(|e| e.paths).collect();
        let templates_changed = paths.iter().any(|p| watched.is_template(p));
        if templates_changed {
            session.reload(sink);
        }
        if templates_changed || paths.iter().any(|p| watched.is_findings(p)) {
            session.render(sink, templates_changed);
        }
    }
    sink.status("stopped watching");
    Ok(true)
}

/// What is watched: the findings file, and the templates folder if any.
struct Watched {
    findings_dir: PathBuf,
    findings: PathBuf,
    templates: Option<PathBuf>,
}

impl Watched {
    fn new(input: &Path, templates: Option<&Path>) -> Result<Self, Error> {
        let dir = folder_of(input);
        let findings_dir = dir.canonicalize().map_err(|e| Error::read(dir, e))?;
        let name = input.file_name().ok_or_else(|| {
            Error::from(Diagnostic::error(format!("{} is not a file", input.display())))
        })?;
        let templates =
            templates.map(|t| t.canonicalize().map_err(|e| Error::read(t, e))).transpose()?;
        Ok(Self { findings: findings_dir.join(name), findings_dir, templates })
    }

    fn dirs(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.findings_dir.as_path()).chain(self.templates.as_deref())
    }

    fn is_findings(&self, path: &Path) -> bool {
        path == self.findings
    }

    fn is_template(&self, path: &Path) -> bool {
        self.templates.as_deref().is_some_and(|dir| path.parent() == Some(dir))
    }
}

/// The state kept between renders.
struct Session<'a> {
    args: &'a WatchArgs,
    output: PathBuf,
    options: Options,
    /// None while the templates have an error.
    pipeline: Option<Pipeline>,
    /// The findings text last rendered, to skip saves that change nothing.
    last: Option<String>,
}

impl Session<'_> {
    fn diagnostic_format(&self) -> DiagnosticFormat {
        self.args.common.diagnostic_format.into()
    }

    /// Reads the templates and fonts again.
    fn reload(&mut self, sink: &mut dyn Sink) {
        match Pipeline::new(&self.args.common.setup.setup()) {
            Ok(pipeline) => self.pipeline = Some(pipeline),
            Err(error) => {
                self.pipeline = None;
                sink.diagnostics(&error.diagnostics(), self.diagnostic_format());
            }
        }
    }

    /// Renders if the findings changed (or always, if `force`).
    fn render(&mut self, sink: &mut dyn Sink, force: bool) {
        let Some(pipeline) = &self.pipeline else { return };
        let started = Instant::now();
        let input = load::Input::Path(self.args.input.clone());
        let file = match load::read(&input) {
            Ok(file) => file,
            Err(error) => return self.fail(sink, &error),
        };
        if !force && self.last.as_deref() == Some(file.text.as_str()) {
            return;
        }
        self.last = Some(file.text.clone());
        let result = pipeline
            .load(file, input.dir())
            .and_then(|letter| pipeline.render(&letter, &self.options))
            .and_then(|rendered| {
                let output = output::Output::Path(self.output.clone());
                output::write_outputs(&output, self.options.format, &rendered.outputs)?;
                Ok(rendered)
            });
        // A day of editing must not grow memory without bound.
        typeset::forget_old_letters();
        match result {
            Ok(rendered) => {
                sink.diagnostics(&rendered.warnings, self.diagnostic_format());
                let ms = started.elapsed().as_millis();
                let output = self.output.display();
                sink.status(&match rendered.pages {
                    0 => format!("wrote {output} in {ms} ms"),
                    1 => format!("wrote {output} (1 page) in {ms} ms"),
                    pages => format!("wrote {output} ({pages} pages) in {ms} ms"),
                });
            }
            Err(error) => self.fail(sink, &error),
        }
    }

    fn fail(&self, sink: &mut dyn Sink, error: &Error) {
        sink.diagnostics(&error.diagnostics(), self.diagnostic_format());
        if self.output.exists() {
            sink.status(&format!("kept the last good letter at {}", self.output.display()));
        }
    }
}
