//! Rendering letters on a few threads of one process, sharing one
//! [`Pipeline`]: what each worker process does, and what a batch of one
//! letter does without a worker.
//!
//! The threads are plain threads, not a rayon pool, on purpose: Typst uses
//! rayon inside a compilation, and a rayon thread that waits for that inner
//! work steals other letters meanwhile, on the same stack. A batch then had
//! dozens of half-typeset letters in memory at once (hundreds of MiB) and
//! overflowed its stack. Typst's own parallel work still runs on rayon's
//! pool, shared by the threads.
//!
//! Typst memoises with comemo, whose caches grow with every letter; after
//! each letter we evict entries unused for the last 2 compilations. Letters
//! share little, so keeping more buys nothing: over 300 letters on one
//! thread, keeping 10 held a worker at 65 MiB, keeping 2 at 42 MiB, and the
//! CPU time per letter was the same or less (keeping 0: 37 MiB).

use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

use crate::error::{Diagnostic, Error};
use crate::load::Input;
use crate::output::{self, Output};
use crate::{Options, Pipeline};

use super::Job;

/// Comemo entries unused for this many compilations are dropped.
const EVICT_AFTER: usize = 2;

/// Typst lays out recursively: renderers need a main thread's stack, not
/// the 2 MiB Rust gives a spawned thread.
const STACK_SIZE: usize = 32 * 1024 * 1024;

/// How every letter of a batch is rendered.
pub(super) struct Render<'a> {
    pub pipeline: &'a Pipeline,
    pub options: &'a Options,
    /// The templates and fonts the letters read, which none may overwrite.
    pub setup_files: Vec<std::path::PathBuf>,
}

/// The warnings of a written letter, or why it was not written.
pub(super) type Result = std::result::Result<Vec<Diagnostic>, Error>;

/// Renders each `(index, job)` that arrives, `threads` at a time, until the
/// sender is dropped and every letter is done. `done` is called on this
/// thread as each letter finishes.
pub(super) fn render(
    render: &Render,
    threads: usize,
    letters: Receiver<(usize, Job)>,
    mut done: impl FnMut(usize, Result),
) {
    let letters = Arc::new(Mutex::new(letters));
    let (sender, finished) = mpsc::channel();
    std::thread::scope(|scope| {
        let mut spawned = 0;
        for _ in 0..threads.max(1) {
            let (letters, sender) = (letters.clone(), sender.clone());
            let work = move || renderer(render, &letters, &sender);
            let builder = std::thread::Builder::new().stack_size(STACK_SIZE);
            spawned += usize::from(builder.spawn_scoped(scope, work).is_ok());
        }
        drop(sender);
        if spawned == 0 {
            // No thread could be started: render here, one by one.
            while let Some((index, job)) = next(&letters) {
                done(index, render_one(render, &job));
                crate::typeset::forget_unused_for(EVICT_AFTER);
            }
        }
        for (index, result) in finished {
            done(index, result);
        }
    });
}

/// Takes the next letter until there are none, sending each result back.
fn renderer(
    render: &Render,
    letters: &Mutex<Receiver<(usize, Job)>>,
    finished: &mpsc::Sender<(usize, Result)>,
) {
    while let Some((index, job)) = next(letters) {
        let result = render_one(render, &job);
        crate::typeset::forget_unused_for(EVICT_AFTER);
        if finished.send((index, result)).is_err() {
            break;
        }
    }
}

/// The next letter, once one arrives; `None` when no more will. The lock
/// is held only to take a letter, never while rendering one.
fn next(letters: &Mutex<Receiver<(usize, Job)>>) -> Option<(usize, Job)> {
    letters.lock().ok()?.recv().ok()
}

/// Reads, checks, renders and writes one letter.
pub(super) fn render_one(render: &Render, job: &Job) -> Result {
    let input = Input::Path(job.input.clone());
    let loaded = render.pipeline.load_input(&input)?;
    let exported = render.pipeline.export(&loaded, render.options)?;
    let format = render.options.format;
    let mut read = render.setup_files.clone();
    read.extend(loaded.files_read());
    read.push(job.input.clone());
    output::write_outputs(&Output::Path(job.output.clone()), format, &exported.files, &read)?;
    Ok(exported.warnings)
}
