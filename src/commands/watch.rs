//! `hmip-letter watch`: the letter follows what it was made from as it is
//! edited.
//!
//! What a render read is watched: the findings file, every file of
//! `--templates DIR` at any depth (templates, words, organisation,
//! preflight rules), the font folders, and the logo. Folders are watched
//! rather than files, because editors save by writing a new file and
//! renaming it over the old one (or by deleting and re-creating it). An
//! event alone never renders: after the events of one save settle, the
//! contents of what the render read are compared with what the last render
//! read, so a save renders once, and our own reads (which raise events too)
//! and our own writes never render at all. Between saves the loop blocks on
//! its channel, which Ctrl-C also wakes: idle, it uses no CPU.
//!
//! The pipeline (fonts, templates, Typst library) is built once, and again
//! only when the templates or fonts change, and Typst's caches are kept
//! between renders, so a one-paragraph edit re-typesets only what changed.
//! Every write is atomic, so a PDF viewer never reads half a letter, and a
//! save with an error prints the error and leaves the last good letter.

use std::collections::BTreeSet;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use hmip_letter::error::{Diagnostic, Error};
use hmip_letter::load::Input;
use hmip_letter::output::{self, Output};
use hmip_letter::paths::folder_of;
use hmip_letter::report::DiagnosticFormat;
use hmip_letter::{Options, Pipeline, Setup};

use super::Sink;
use crate::cli::{WatchArgs, usage_error};

/// Events arriving this close together are one save.
const SETTLE: Duration = Duration::from_millis(10);

/// How long a findings file deleted or emptied by a save may take to come
/// back before its absence is reported.
const GRACE: Duration = Duration::from_secs(1);

/// Typst's results kept for this many renders: an edit's re-render finds
/// the last letter's, and a day of editing stays flat in memory.
const KEEP_RENDERS: usize = 10;

/// What wakes the loop.
enum Wake {
    /// The file system says something changed.
    Changed(notify::Result<notify::Event>),
    /// Ctrl-C, or the terminal or a service manager asking us to stop.
    Stop,
}

/// Watches until Ctrl-C. `Ok(false)` only if watching could not start.
pub(crate) fn run(args: WatchArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let options = args.formatting.options(&args.common.publishing)?;
    let setup = args.common.reading.setup();
    let input = Input::Path(args.input.clone());
    let given = args.output.clone().map(Output::Path);
    let output = match output::resolve(&input, given.as_ref(), options.format, &setup.files()) {
        Ok(Output::Path(path)) => path,
        Ok(Output::Stdout) => return Err(usage_error("watch writes a file: give -o FILE")),
        Err(message) => return Err(usage_error(message)),
    };
    let format = args.common.reading.diagnostics();
    let (sender, wakes) = mpsc::channel();
    let stop = sender.clone();
    // Without a handler Ctrl-C still ends the process; the handler lets the
    // loop finish the letter it is writing.
    if let Err(error) = ctrlc::set_handler(move || {
        let _ = stop.send(Wake::Stop);
    }) {
        let d = Diagnostic::warning(format!("Ctrl-C cannot be caught here: {error}"))
            .hint("Ctrl-C will still stop watch, perhaps while it writes a letter");
        sink.diagnostics(&[d], format);
    }
    let watcher = notify::recommended_watcher(move |event| {
        let _ = sender.send(Wake::Changed(event));
    });
    let watched = watcher
        .map_err(|e| Error::from(Diagnostic::error(format!("cannot watch for changes: {e}"))))
        .and_then(|watcher| Watched::new(watcher, &args.input, &setup, &output, options.format));
    let mut watched = match watched {
        Ok(watched) => watched,
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), format);
            return Ok(false);
        }
    };
    let mut session = Session { input, setup, output, options, format, pipeline: None, last: None };
    session.render(&mut watched, sink);
    sink.status(&format!("watching {} (Ctrl-C to stop)", args.input.display()));
    while let Some(changed) = next_save(&wakes, &watched) {
        if changed {
            // A file deleted and not yet written again (an editor's save on
            // a busy machine) is given as long again before it is said to
            // be gone: looked for every 20 ms, only while it is missing.
            let since = Instant::now();
            while !watched.findings.exists() && since.elapsed() < GRACE {
                std::thread::sleep(Duration::from_millis(20));
            }
            session.render(&mut watched, sink);
        }
    }
    sink.status("stopped watching");
    Ok(true)
}

/// Waits for the next save and lets its events settle: `Some(true)` when
/// something the render read may have changed, `Some(false)` when the
/// events were only ours or of other files, `None` when it is time to stop.
fn next_save(wakes: &Receiver<Wake>, watched: &Watched) -> Option<bool> {
    let mut relevant = match wakes.recv().ok()? {
        Wake::Stop => return None,
        Wake::Changed(event) => watched.is_relevant(&event),
    };
    loop {
        match wakes.recv_timeout(SETTLE) {
            Ok(Wake::Stop) => return None,
            Ok(Wake::Changed(event)) => relevant |= watched.is_relevant(&event),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    // A save by delete and re-create (or by emptying the file and writing
    // it again): give the new text a moment to arrive.
    let deadline = Instant::now() + GRACE;
    let empty = |path: &Path| std::fs::metadata(path).map_or(true, |m| m.len() == 0);
    while relevant && empty(&watched.findings) {
        let left = deadline.saturating_duration_since(Instant::now());
        match wakes.recv_timeout(left) {
            Ok(Wake::Stop) => return None,
            Ok(Wake::Changed(_)) => continue,
            Err(_) => break,
        }
    }
    Some(relevant)
}

/// What is watched, and which events are about it.
struct Watched {
    watcher: RecommendedWatcher,
    /// The findings file, with its folder made canonical.
    findings: PathBuf,
    /// The templates and font folders, canonical.
    setup_dirs: Vec<PathBuf>,
    /// The logo and other files the letter read, canonical.
    letter_files: Vec<PathBuf>,
    /// What we write, which never counts as a change.
    output: PathBuf,
    /// Whether we write it as pages, `NAME-1.png`, `NAME-2.png`...
    pages: bool,
    /// Folders already watched.
    dirs: BTreeSet<PathBuf>,
}

impl Watched {
    fn new(
        watcher: RecommendedWatcher,
        input: &Path,
        setup: &Setup,
        output: &Path,
        format: hmip_letter::Format,
    ) -> Result<Self, Error> {
        let dir = folder_of(input);
        let findings_dir = dir.canonicalize().map_err(|e| Error::read(dir, e))?;
        let name = input.file_name().ok_or_else(|| {
            Error::from(Diagnostic::error(format!("{} is not a file", input.display())))
        })?;
        let mut setup_dirs = Vec::new();
        for dir in setup.folders() {
            setup_dirs.push(dir.canonicalize().map_err(|e| Error::read(&dir, e))?);
        }
        let out_dir = folder_of(output).canonicalize().unwrap_or_else(|_| findings_dir.clone());
        let output = out_dir.join(output.file_name().unwrap_or_default());
        let mut watched = Self {
            watcher,
            findings: findings_dir.join(name),
            setup_dirs: setup_dirs.clone(),
            letter_files: Vec::new(),
            output,
            pages: format.is_pages(),
            dirs: BTreeSet::new(),
        };
        watched.watch(&findings_dir, RecursiveMode::NonRecursive)?;
        for dir in &setup_dirs {
            watched.watch(dir, RecursiveMode::Recursive)?;
        }
        Ok(watched)
    }

    fn watch(&mut self, dir: &Path, mode: RecursiveMode) -> Result<(), Error> {
        if self.dirs.contains(dir) {
            return Ok(());
        }
        self.watcher.watch(dir, mode).map_err(|e| {
            Error::from(Diagnostic::error(format!("cannot watch {}: {e}", dir.display())))
        })?;
        self.dirs.insert(dir.to_path_buf());
        Ok(())
    }

    /// Follows the files a render of the letter read (its logo), watching
    /// their folders too.
    fn follow(&mut self, files: Vec<PathBuf>) -> Result<(), Error> {
        for file in &files {
            let dir = folder_of(file).to_path_buf();
            if !self.setup_dirs.iter().any(|d| dir.starts_with(d)) {
                self.watch(&dir, RecursiveMode::NonRecursive)?;
            }
        }
        self.letter_files = files;
        Ok(())
    }

    /// Whether an event may change what the render read: a file of ours
    /// created, written, renamed or removed. Opening and reading a file
    /// (as the render itself does) and changes of its metadata are not.
    fn is_relevant(&self, event: &notify::Result<notify::Event>) -> bool {
        let Ok(event) = event else { return true };
        let changes = match event.kind {
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => false,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
            EventKind::Any | EventKind::Other => true,
        };
        changes && event.paths.iter().any(|path| self.is_read(path))
    }

    fn is_read(&self, path: &Path) -> bool {
        if self.is_ours(path) {
            return false;
        }
        path == self.findings
            || self.letter_files.iter().any(|f| f == path)
            || self.setup_dirs.iter().any(|dir| path.starts_with(dir))
    }

    /// Our own outputs and their temporary files.
    fn is_ours(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with(".hmip-letter-") && name.ends_with(".part") {
            return true;
        }
        if !self.pages {
            return path == self.output;
        }
        // Pages: NAME-1.png, NAME-2.png... beside where OUT would be.
        let stem = self.output.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let page = name.strip_prefix(stem).and_then(|rest| rest.strip_prefix('-'));
        path.parent() == self.output.parent()
            && page
                .and_then(|p| p.strip_suffix(".png"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// What a render read, as two fingerprints: the templates and fonts (which
/// need a new pipeline) and the letter's own files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Read {
    setup: u64,
    letter: u64,
}

/// The state kept between renders.
struct Session {
    input: Input,
    setup: Setup,
    output: PathBuf,
    options: Options,
    format: DiagnosticFormat,
    /// None while the templates have an error.
    pipeline: Option<Pipeline>,
    /// What the last render read.
    last: Option<Read>,
}

impl Session {
    /// Renders if what the letter is made from changed since the last
    /// render (always the first time).
    fn render(&mut self, watched: &mut Watched, sink: &mut dyn Sink) {
        let read = Read {
            setup: fingerprint(&self.setup.files(), watched),
            letter: fingerprint(
                &std::iter::once(watched.findings.clone())
                    .chain(watched.letter_files.iter().cloned())
                    .collect::<Vec<_>>(),
                watched,
            ),
        };
        if self.last == Some(read) {
            return;
        }
        if self.last.is_none_or(|last| last.setup != read.setup) {
            self.reload(sink);
        }
        self.last = Some(read);
        let Some(pipeline) = &self.pipeline else { return };
        let started = Instant::now();
        let result = pipeline.load_input(&self.input).and_then(|loaded| {
            let exported = pipeline.export(&loaded, &self.options)?;
            let mut inputs = self.setup.files();
            inputs.extend(loaded.files_read());
            if let Input::Path(findings) = &self.input {
                inputs.push(findings.clone());
            }
            let output = Output::Path(self.output.clone());
            output::write_outputs(&output, self.options.format, &exported.files, &inputs)?;
            Ok((exported, loaded.files_read()))
        });
        // A day of editing must not grow memory without bound.
        hmip_letter::forget_unused_for(KEEP_RENDERS);
        match result {
            Ok((exported, files)) => {
                if let Err(error) = watched.follow(files) {
                    sink.diagnostics(&error.diagnostics(), self.format);
                }
                sink.diagnostics(&exported.warnings, self.format);
                let ms = started.elapsed().as_millis();
                let output = self.output.display();
                sink.status(&match exported.pages {
                    0 => format!("wrote {output} in {ms} ms"),
                    1 => format!("wrote {output} (1 page) in {ms} ms"),
                    pages => format!("wrote {output} ({pages} pages) in {ms} ms"),
                });
            }
            Err(error) => {
                sink.diagnostics(&error.diagnostics(), self.format);
                if self.output.exists() {
                    sink.status(&format!("kept the last good letter at {}", self.output.display()));
                }
            }
        }
    }

    /// Reads the templates and fonts again.
    fn reload(&mut self, sink: &mut dyn Sink) {
        match Pipeline::new(&self.setup) {
            Ok(pipeline) => self.pipeline = Some(pipeline),
            Err(error) => {
                self.pipeline = None;
                sink.diagnostics(&error.diagnostics(), self.format);
            }
        }
    }
}

/// A hash of the names and contents of files (a missing one hashes as
/// missing), leaving out our own outputs.
fn fingerprint(files: &[PathBuf], watched: &Watched) -> u64 {
    let mut hasher = DefaultHasher::new();
    for file in files {
        let canonical = file.canonicalize().unwrap_or_else(|_| file.clone());
        if watched.is_ours(&canonical) {
            continue;
        }
        file.hash(&mut hasher);
        std::fs::read(file).ok().hash(&mut hasher);
    }
    hasher.finish()
}
