//! Many letters in one run, on every core, in bounded memory.
//!
//! The publications team regenerates a whole programme of letters at once.
//! One [`Pipeline`] (fonts, templates, the Typst library) is shared by all
//! letters; one worker thread per core takes the next letter until none are
//! left; each letter's result comes back over a channel to the calling
//! thread, which alone reports, so messages never interleave. One bad file
//! does not stop the others.
//!
//! The workers are plain threads, not a rayon pool, on purpose: Typst uses
//! rayon inside a compilation, and a rayon worker that waits for that inner
//! work steals other letters meanwhile, on the same stack. A batch then had
//! dozens of half-typeset letters in memory at once (hundreds of MiB) and
//! overflowed its stack. Typst's own parallel work still runs on rayon's
//! pool, shared by all workers.
//!
//! Typst memoises with comemo, whose caches grow with every letter; after
//! each letter we evict entries unused for 10 compilations, which keeps a
//! batch of a thousand letters within a fixed amount of memory.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Diagnostic, Error};
use crate::format::Format;
use crate::load::Input;
use crate::{Pipeline, Publishing};

/// Comemo entries unused for this many compilations are dropped.
const EVICT_AFTER: usize = 10;

/// Typst lays out recursively: workers need a main thread's stack, not the
/// 2 MiB Rust gives a spawned thread.
const STACK_SIZE: usize = 32 * 1024 * 1024;

/// One letter of a batch: where it comes from and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub input: PathBuf,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub rendered: usize,
    pub failed: usize,
    pub elapsed: Duration,
}

impl std::fmt::Display for Summary {
    /// "rendered 98 letters, 2 failed, 4.1 s"
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let letters = if self.rendered == 1 { "letter" } else { "letters" };
        write!(
            f,
            "rendered {} {letters}, {} failed, {:.1} s",
            self.rendered,
            self.failed,
            self.elapsed.as_secs_f64()
        )
    }
}

/// The findings files of the inputs: files as given, folders as every
/// `*.yaml` (and `*.yml`) file directly in them, in name order.
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            files.push(input.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = std::fs::read_dir(input)
            .map_err(|e| Error::read(input, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
            })
            .collect();
        if found.is_empty() {
            return Err(Diagnostic::error(format!(
                "there are no findings files (*.yaml) in {}",
                input.display()
            ))
            .into());
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
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

/// Renders every job on all cores. `report` is called on this thread as each
/// letter finishes, in the order they finish.
pub fn run(
    pipeline: &Pipeline,
    jobs: &[Job],
    format: Format,
    ppi: f32,
    publishing: &Publishing,
    mut report: impl FnMut(&Job, Outcome),
) -> Summary {
    let started = Instant::now();
    let (sender, receiver) = mpsc::channel();
    let mut summary = Summary { rendered: 0, failed: 0, elapsed: Duration::ZERO };
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len());
    std::thread::scope(|scope| {
        let mut spawned = 0;
        for _ in 0..workers {
            let (sender, next) = (sender.clone(), &next);
            let work = move || worker(pipeline, jobs, next, format, ppi, publishing, &sender);
            let builder = std::thread::Builder::new().stack_size(STACK_SIZE);
            spawned += usize::from(builder.spawn_scoped(scope, work).is_ok());
        }
        if spawned == 0 && !jobs.is_empty() {
            // No thread could be started: do the work here, one by one.
            worker(pipeline, jobs, &next, format, ppi, publishing, &sender);
        }
        drop(sender);
        for outcome in receiver {
            match outcome.result {
                Ok(_) => summary.rendered += 1,
                Err(_) => summary.failed += 1,
            }
            report(&jobs[outcome.index], outcome);
        }
    });
    summary.elapsed = started.elapsed();
    summary
}

/// Takes the next letter until there are none, sending each outcome back.
fn worker(
    pipeline: &Pipeline,
    jobs: &[Job],
    next: &AtomicUsize,
    format: Format,
    ppi: f32,
    publishing: &Publishing,
    sender: &mpsc::Sender<Outcome>,
) {
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(job) = jobs.get(index) else { break };
        let result = render_one(pipeline, job, format, ppi, publishing);
        comemo::evict(EVICT_AFTER);
        if sender.send(Outcome { index, result }).is_err() {
            break;
        }
    }
}

/// Reads, checks, renders and writes one letter.
fn render_one(
    pipeline: &Pipeline,
    job: &Job,
    format: Format,
    ppi: f32,
    publishing: &Publishing,
) -> Result<Vec<Diagnostic>, Error> {
    let input = Input::Path(job.input.clone());
    let rendered = pipeline.render_input(&input, format, ppi, publishing)?;
    crate::output::write_outputs(
        &crate::output::Output::Path(job.output.clone()),
        format,
        &rendered.outputs,
    )?;
    Ok(rendered.warnings)
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
        let s = Summary { rendered: 98, failed: 2, elapsed: Duration::from_millis(4100) };
        assert_eq!(s.to_string(), "rendered 98 letters, 2 failed, 4.1 s");
    }
}
