//! One worker process: how it is started (the same binary, its own process
//! group, an environment that suits it) and heard (threads that read its
//! pipes and pass on what it says as [`Event`]s).

use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, Read};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

use super::wire::Reply;

/// How much of what a dying worker wrote to standard error is kept.
const STDERR_TAIL: usize = 2000;

/// What the threads listening to the workers hear.
pub(super) enum Event {
    Reply(usize, Reply),
    /// A line that is not a reply: the worker is broken.
    Garbled(usize, String),
    /// The worker's output ended, so it has exited or is exiting; with the
    /// end of what it wrote to standard error.
    Ended(usize, String),
}

/// Starts worker `id` with `threads` threads and `args` (see
/// `RenderArgs::worker_args`); what it says arrives on `events`. Returns
/// the process and its input, for letters.
pub(super) fn start(
    id: usize,
    threads: usize,
    args: &[OsString],
    events: &Sender<Event>,
) -> io::Result<(Child, ChildStdin)> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .arg("worker")
        .arg("--threads")
        .arg(threads.to_string())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in worker_env(threads) {
        if std::env::var_os(name).is_none() {
            command.env(name, value);
        }
    }
    // Out of the terminal's process group, so Ctrl-C reaches only the batch.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn()?;
    let input = child.stdin.take();
    match (input, listen(id, &mut child, events.clone())) {
        (Some(input), Ok(())) => Ok((child, input)),
        (_, result) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(result.err().unwrap_or_else(|| io::Error::other("the worker has no input")))
        }
    }
}

/// The environment of a worker with `threads` threads, where the user has
/// not set these.
fn worker_env(threads: usize) -> [(&'static str, String); 3] {
    [
        // Typst's own parallel work: one rayon thread per letter at once,
        // not one per core in every worker.
        ("RAYON_NUM_THREADS", threads.to_string()),
        // With transparent huge pages, mimalloc's memory is resident 2 MiB
        // at a time: a one-thread worker peaked at 100 MiB over 300
        // letters, and without them at 70, for the same CPU time.
        ("MIMALLOC_ALLOW_THP", "0".into()),
        // mimalloc keeps freed memory for a second before handing it back;
        // a tenth saves 3 MiB a worker at no cost (handing it back at once
        // cost 8 % more CPU per letter).
        ("MIMALLOC_PURGE_DELAY", "100".into()),
    ]
}

/// Starts the threads that hear a worker: one for its replies, one for
/// its standard error (read apart, so neither pipe can fill and block it).
fn listen(id: usize, child: &mut Child, events: Sender<Event>) -> io::Result<()> {
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(io::Error::other("the worker's output is not a pipe"));
    };
    let errors = std::thread::Builder::new().spawn(move || tail(stderr))?;
    std::thread::Builder::new().spawn(move || replies(id, stdout, errors, &events))?;
    Ok(())
}

fn replies(id: usize, stdout: ChildStdout, errors: JoinHandle<String>, events: &Sender<Event>) {
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        let event = match serde_json::from_str(&line) {
            Ok(reply) => Event::Reply(id, reply),
            Err(_) => Event::Garbled(id, line),
        };
        let _ = events.send(event);
    }
    let said = errors.join().unwrap_or_default();
    let _ = events.send(Event::Ended(id, said));
}

/// The last few lines a process wrote, once it has closed the pipe.
fn tail(mut pipe: impl Read) -> String {
    let mut bytes = Vec::new();
    let _ = pipe.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim();
    let start = text.len().saturating_sub(STDERR_TAIL);
    let start = (start..text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
    text[start..].to_string()
}
