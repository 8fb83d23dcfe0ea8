//! `hmip-letter worker`: one process of a batch, rendering the letters the
//! batch sends it.
//!
//! A worker loads the templates and fonts once, says it is ready, then
//! reads letters from standard input, renders them on its threads and
//! answers each on standard output (see `wire.rs`). It never prints: what
//! the user sees is the batch's to print. It ends when the batch says it
//! has nothing more for it, after finishing the letters it has, so it never
//! leaves a letter half written; and at once when the batch itself is gone,
//! so it never outlives its batch.

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::sync::mpsc::{self, Sender};

use super::Job;
use super::threads::{self, Render};
use super::wire::{self, Assignment, Reply, Report};
use crate::{Diagnostic, Error, Options, Pipeline, Setup};

/// For tests only: a worker given a letter whose findings file has this
/// name aborts, as a worker that hit a bug would, so the tests can see a
/// batch survive it.
pub const ABORT_ON: &str = "HMIP_LETTER_TEST_ABORT_ON";

/// Serves the batch on standard input and output until the input ends,
/// rendering on `threads` threads. `false` if the templates or fonts could
/// not be loaded, or `options` came with a problem (`Err`) that the batch
/// should hear of.
pub fn serve(setup: &Setup, options: Result<Options, Error>, threads: usize) -> bool {
    // Ctrl-C is the batch's to handle: it stops sending letters, and we
    // finish the ones we have, so none is left half written.
    let handled = ctrlc::set_handler(|| {});
    die_with_parent();
    let ready = options.and_then(|options| {
        handled.map_err(|e| {
            Error::from(Diagnostic::error(format!("a worker cannot set aside Ctrl-C: {e}")))
        })?;
        Ok((Pipeline::new(setup)?, options))
    });
    let (pipeline, options) = match ready {
        Ok(ready) => ready,
        Err(error) => {
            send(&Reply::SetupFailed(Report::new(&error.diagnostics())));
            return false;
        }
    };
    let (sender, letters) = mpsc::channel();
    let abort_on = std::env::var_os(ABORT_ON);
    // Reads on its own thread, so letters are taken in while others render.
    let reader = std::thread::Builder::new().spawn(move || read_letters(&sender, abort_on));
    if reader.is_err() || !send(&Reply::Ready) {
        return false;
    }
    let render = Render { pipeline: &pipeline, options: &options, setup_files: setup.files() };
    let mut connected = true;
    threads::render(&render, threads, letters, |index, result| {
        let (written, diagnostics) = match result {
            Ok(warnings) => (true, warnings),
            Err(error) => (false, error.diagnostics()),
        };
        // Once the batch is gone no one hears of a letter, but the letters
        // in hand are still finished, so none is left half written.
        connected =
            connected && send(&Reply::Done { index, written, report: Report::new(&diagnostics) });
    });
    true
}

/// The exit status of a worker whose batch has gone.
const ORPHANED: i32 = 3;

/// Passes on each letter from standard input until the batch's end line
/// (or something that is not a letter, which only a bug in the batch
/// sends). Input that ends without the end line is a batch that has gone:
/// the worker exits at once, whatever its threads are doing, rather than
/// block or render for no one. Its letters are written by rename, so none
/// is left half written.
fn read_letters(letters: &Sender<(usize, Job)>, abort_on: Option<OsString>) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line == wire::END {
            return;
        }
        let Ok(next) = serde_json::from_str::<Assignment>(&line) else { return };
        if abort_on.is_some() && next.input.file_name() == abort_on.as_deref() {
            std::process::abort();
        }
        let job = Job { input: next.input, output: next.output };
        if letters.send((next.index, job)).is_err() {
            return;
        }
    }
    std::process::exit(ORPHANED);
}

/// On Linux, asks the kernel to kill this worker when the batch that
/// started it dies, even while a thread is blocked; elsewhere the end of
/// its input is the sign ([`read_letters`]).
fn die_with_parent() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl with PR_SET_PDEATHSIG takes a signal number and
        // touches no memory of ours.
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        }
    }
}

/// Writes a reply for the batch; `false` once the batch is gone.
fn send(reply: &Reply) -> bool {
    let mut out = std::io::stdout().lock();
    wire::encode(reply).and_then(|line| out.write_all(&line)).and_then(|()| out.flush()).is_ok()
}
