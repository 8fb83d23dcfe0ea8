//! Many letters in one run, on every core, each letter's failure its own.
//!
//! The publications team regenerates a whole programme of letters at once.
//! The letters are rendered by worker processes of a few threads each
//! (`hmip-letter worker`, in `worker.rs`), which the batch starts, feeds
//! and replaces (`pool.rs`); they answer over pipes (`wire.rs`), and only
//! the batch prints, so messages never interleave. A letter that crashes
//! its worker costs only itself, and a bad file does not stop the others.
//!
//! Why processes, and why a few threads each rather than one: letters in
//! one process share Typst's memo caches and the allocator, and more
//! threads in one process cost more CPU per letter; every process, though,
//! holds its own fonts, Typst library and caches. The split in [`Split`]
//! is the measured balance (see the README's benchmark section).
//!
//! A batch of one letter, or one whose workers cannot be started at all,
//! is rendered in this process on the same threads a worker uses.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Error};
use crate::format::Format;
use crate::{Options, Pipeline, Setup};

mod pool;
mod process;
mod threads;
mod wire;
pub mod worker;

/// Worker processes a batch prefers, and the most threads each may have.
/// One thread per worker is cheapest in CPU time: on two cores, two
/// workers of one thread took 1.06 times the CPU per letter of `--jobs 1`,
/// one worker of two threads 1.24 times. But every worker holds its own
/// fonts, library and caches (about 40 MiB resident), so past four workers
/// they get more threads instead; not yet measured on many cores.
const WORKERS: usize = 4;
const MOST_THREADS: usize = 4;

/// How every letter of a batch is rendered: what one `render` is given.
pub struct Settings {
    /// Where templates and fonts come from.
    pub setup: Setup,
    /// How each letter is rendered.
    pub options: Options,
    /// The arguments of `hmip-letter worker` that render the same way.
    pub worker_args: Vec<OsString>,
}

/// How a batch's letters are spread: worker processes of a few threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// How many worker processes.
    pub workers: usize,
    /// How many letters each renders at once.
    pub threads: usize,
}

impl Split {
    /// `jobs` letters at once (no more than there are letters), in workers
    /// of `per_worker` threads, or by default of one thread each up to four
    /// workers, then of up to four threads each, shared out evenly: two
    /// cores make two workers of one thread, sixteen four of four.
    pub fn new(jobs: usize, letters: usize, per_worker: Option<usize>) -> Self {
        let jobs = jobs.clamp(1, letters.max(1));
        let per_worker = per_worker.unwrap_or(jobs.div_ceil(WORKERS).min(MOST_THREADS)).max(1);
        let workers = jobs.div_ceil(per_worker);
        Split { workers, threads: jobs.div_ceil(workers) }
    }
}

/// How many letters to render at once by default: the cores this process
/// may use (honouring `taskset` and cgroup limits).
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// One letter of a batch: where it comes from and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The findings file.
    pub input: PathBuf,
    /// Where the letter is written.
    pub output: PathBuf,
}

/// How one letter of a batch went.
pub struct Outcome {
    /// The job's place in the batch.
    pub index: usize,
    /// The warnings of a written letter, or why it was not written.
    pub result: Result<Vec<Diagnostic>, Error>,
}

/// What a whole batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Letters written.
    pub rendered: usize,
    /// Letters that could not be written.
    pub failed: usize,
    /// Letters not rendered because the batch was interrupted.
    pub left: usize,
    /// Entries of the folders given that look like findings files but were
    /// not rendered (see [`Expanded::skipped`]).
    pub skipped: usize,
    /// Ctrl-C was pressed.
    pub interrupted: bool,
    /// How long the batch took.
    pub elapsed: Duration,
}

impl Summary {
    /// Every letter was written (even if Ctrl-C came after the last began).
    pub fn all_written(&self) -> bool {
        self.failed == 0 && self.left == 0
    }
}

impl std::fmt::Display for Summary {
    /// "rendered 98 letters, 2 failed, 4.1 s", or after Ctrl-C
    /// "interrupted: rendered 9 letters, 0 failed, 91 not rendered, 0.4 s"
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        if self.interrupted {
            write!(f, "interrupted: ")?;
        }
        let letters = if self.rendered == 1 { "letter" } else { "letters" };
        write!(f, "rendered {} {letters}, {} failed, ", self.rendered, self.failed)?;
        if self.skipped > 0 {
            write!(f, "{} skipped, ", self.skipped)?;
        }
        if self.interrupted {
            write!(f, "{} not rendered, ", self.left)?;
        }
        write!(f, "{:.1} s", self.elapsed.as_secs_f64())
    }
}

/// The findings files of a batch, and what was passed over.
#[derive(Debug, Default)]
pub struct Expanded {
    /// The files to render, in order.
    pub files: Vec<PathBuf>,
    /// A warning for each entry of a folder that looks like a findings file
    /// (`*.yaml`) but is not rendered, with why.
    pub skipped: Vec<Diagnostic>,
}

/// The findings files of the inputs: files as given (a file that is not a
/// regular file is refused when its letter is read), folders as every
/// `*.yaml` (and `*.yml`) file directly in them, in name order. Nothing is
/// passed over in silence: a link to nothing, a loop of links, a FIFO or a
/// folder named `*.yaml`, and an entry that cannot be read, are each a
/// warning.
pub fn expand(inputs: &[PathBuf]) -> Result<Expanded, Error> {
    let mut expanded = Expanded::default();
    for input in inputs {
        if !input.is_dir() {
            expanded.files.push(input.clone());
            continue;
        }
        let mut found = Vec::new();
        for entry in std::fs::read_dir(input).map_err(|e| Error::read(input, e))? {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(e) => {
                    expanded.skipped.push(skipped(input, &format!("an entry cannot be read: {e}")));
                    continue;
                }
            };
            if !matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                continue;
            }
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() => found.push(path),
                Ok(meta) if meta.is_dir() => {
                    expanded.skipped.push(skipped(&path, "a folder, not a findings file"));
                }
                Ok(_) => expanded.skipped.push(skipped(
                    &path,
                    "not a regular file (a FIFO, socket or device), which would never end",
                )),
                Err(e) if std::fs::symlink_metadata(&path).is_ok() => expanded
                    .skipped
                    .push(skipped(&path, &format!("a symbolic link that leads to no file ({e})"))),
                Err(e) => expanded.skipped.push(skipped(&path, &format!("it cannot be read: {e}"))),
            }
        }
        if found.is_empty() {
            return Err(Diagnostic::error(format!(
                "there are no findings files (*.yaml) in {}",
                input.display()
            ))
            .into());
        }
        found.sort();
        expanded.files.extend(found);
    }
    expanded.skipped.sort_by(|a, b| a.message.cmp(&b.message));
    Ok(expanded)
}

fn skipped(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::warning(format!("skipped {}: {why}", path.display()))
}

/// Where each letter goes: into `out_dir` if given (created if missing),
/// else beside its findings file; named after the findings file. Two
/// letters may not go to the same file.
pub fn plan(files: &[PathBuf], out_dir: Option<&Path>, format: Format) -> Result<Vec<Job>, String> {
    let mut jobs: Vec<Job> = Vec::with_capacity(files.len());
    for input in files {
        let named = input.with_extension(format.extension());
        let output = match out_dir {
            Some(dir) => dir.join(named.file_name().unwrap_or_default()),
            None => named,
        };
        if let Some(other) = jobs.iter().find(|j| j.output == output) {
            return Err(format!(
                "{} and {} would both be written to {}",
                other.input.display(),
                input.display(),
                output.display()
            ));
        }
        jobs.push(Job { input: input.clone(), output });
    }
    Ok(jobs)
}

/// Renders every job, as `split` says. `report` is called on this thread
/// as each letter finishes, in the order they finish. An error means the
/// batch could not go on (the templates or fonts did not load); the
/// letters finished before it have been reported.
pub fn run(
    settings: &Settings,
    jobs: &[Job],
    split: Split,
    mut report: impl FnMut(&Job, Outcome),
) -> Result<Summary, Error> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut done = |index: usize, result: threads::Result| {
        match result {
            Ok(_) => summary.rendered += 1,
            Err(_) => summary.failed += 1,
        }
        report(&jobs[index], Outcome { index, result });
    };
    let in_workers = match jobs.len() {
        0 | 1 => None,
        _ => Some(pool::run(settings, jobs, split, &mut done)),
    };
    let (left, interrupted) = match in_workers {
        Some(Ok(ended)) => (ended.left, ended.interrupted),
        Some(Err(pool::Failure::Stopped(error))) => return Err(error),
        None | Some(Err(pool::Failure::Spawn)) => {
            in_process(settings, jobs, split.workers * split.threads, &mut done)?;
            (0, false)
        }
    };
    Ok(Summary { left, interrupted, elapsed: started.elapsed(), ..summary })
}

/// Renders every job in this process, on `threads` threads.
fn in_process(
    settings: &Settings,
    jobs: &[Job],
    threads: usize,
    done: &mut dyn FnMut(usize, threads::Result),
) -> Result<(), Error> {
    let pipeline = Pipeline::new(&settings.setup)?;
    let render = threads::Render {
        pipeline: &pipeline,
        options: &settings.options,
        setup_files: settings.setup.files(),
    };
    let (sender, letters) = mpsc::channel();
    for (index, job) in jobs.iter().enumerate() {
        // The receiver is ours, alive until `render` below: this cannot fail.
        let _ = sender.send((index, job.clone()));
    }
    drop(sender);
    threads::render(&render, threads, letters, done);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_named_after_inputs_and_never_collide() {
        let files = [PathBuf::from("a/x.yaml"), PathBuf::from("b/y.yaml")];
        let jobs = plan(&files, Some(Path::new("out")), Format::Pdf).unwrap();
        assert_eq!(jobs[0].output, PathBuf::from("out/x.pdf"));
        assert_eq!(jobs[1].output, PathBuf::from("out/y.pdf"));
        let beside = plan(&files, None, Format::Pdf).unwrap();
        assert_eq!(beside[1].output, PathBuf::from("b/y.pdf"));
        let clash = [PathBuf::from("a/x.yaml"), PathBuf::from("b/x.yaml")];
        assert!(plan(&clash, Some(Path::new("out")), Format::Pdf).unwrap_err().contains("both"));
    }

    #[test]
    fn the_summary_line() {
        let elapsed = Duration::from_millis(4100);
        let s = Summary { rendered: 98, failed: 2, elapsed, ..Summary::default() };
        assert_eq!(s.to_string(), "rendered 98 letters, 2 failed, 4.1 s");
        let s = Summary { rendered: 9, left: 91, interrupted: true, elapsed, ..s };
        assert_eq!(
            s.to_string(),
            "interrupted: rendered 9 letters, 2 failed, 91 not rendered, 4.1 s"
        );
        let s = Summary { interrupted: false, skipped: 3, ..s };
        assert_eq!(s.to_string(), "rendered 9 letters, 2 failed, 3 skipped, 4.1 s");
    }

    #[test]
    fn letters_are_shared_out_evenly_among_few_workers() {
        let split = |jobs, letters, per| {
            let s = Split::new(jobs, letters, per);
            (s.workers, s.threads)
        };
        assert_eq!(split(16, 1000, Some(4)), (4, 4));
        assert_eq!(split(6, 1000, Some(4)), (2, 3));
        assert_eq!(split(2, 1000, Some(1)), (2, 1));
        assert_eq!(split(1, 1000, None), (1, 1));
        assert_eq!(split(2, 1000, None), (2, 1));
        assert_eq!(split(8, 1000, None), (4, 2));
        assert_eq!(split(16, 1000, None), (4, 4));
        assert_eq!(split(64, 1000, None), (16, 4));
        assert_eq!(split(16, 3, Some(4)), (1, 3), "no more at once than there are letters");
        assert_eq!(split(0, 0, Some(0)), (1, 1));
    }
}
