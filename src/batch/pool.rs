//! The worker processes of a batch: started, fed, replaced and stopped.
//!
//! Each worker holds at most one letter more than it has threads (the
//! next one waits in the worker, not in the batch), so a worker that dies
//! loses only those. When it dies holding several we
//! cannot tell which one killed it, so each is tried again alone in a
//! worker, and only a letter that kills a worker on its own fails; the
//! others are written as usual. A new worker takes the place of a dead one
//! while letters are left. The batch waits for every worker it started.
//!
//! Stopping: workers run in their own process group, so a Ctrl-C at the
//! terminal reaches only the batch. It stops sending letters and closes
//! the workers' input (after the end line of `wire.rs`); each finishes the
//! letters it holds (whole files, no `.part` left) and exits. SIGTERM, as
//! `timeout` and service managers send, is the same first Ctrl-C. A second
//! Ctrl-C, or a worker still busy after [`GRACE`], is killed. A worker whose
//! batch is killed outright sees its input end without the end line and
//! exits at once, whatever it is doing (on Linux the kernel also kills it
//! when its parent dies), so none outlives its batch.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::process::{Child, ChildStdin, ExitStatus};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use super::process::{self, Event};
use super::threads::Result as LetterResult;
use super::wire::{self, Assignment, Reply};
use super::{Job, Settings, Split};
use crate::error::{Diagnostic, Error};

/// How long workers may take to finish their letters after Ctrl-C.
pub(super) const GRACE: Duration = Duration::from_secs(5);

/// How often the batch looks at whether Ctrl-C was pressed.
const TICK: Duration = Duration::from_millis(50);

/// Letters a worker holds beyond one per thread: a thread that finishes
/// finds its next letter waiting instead of waiting for the batch to send
/// it (on two busy cores, 2 % less wall time).
const AHEAD: usize = 1;

/// Workers that die before they are ready, after which the batch stops.
const MAX_FAILED_STARTS: usize = 3;

/// Why the workers could not do the batch.
pub(super) enum Failure {
    /// Not even one worker process could be started.
    Spawn,
    /// The batch stopped early: the templates or fonts did not load, or
    /// workers died as they started.
    Stopped(Error),
}

/// How the workers' part of a batch ended.
pub(super) struct Ended {
    /// Letters never rendered, because the batch was interrupted.
    pub left: usize,
    pub interrupted: bool,
}

/// Renders `jobs` in worker processes; `done` is called on this thread as
/// each letter finishes.
pub(super) fn run(
    settings: &Settings,
    jobs: &[Job],
    split: Split,
    done: &mut dyn FnMut(usize, LetterResult),
) -> Result<Ended, Failure> {
    let (sender, events) = mpsc::channel();
    let mut pool = Pool::new(settings, jobs, split, sender);
    pool.spawn().map_err(|_| Failure::Spawn)?;
    let interrupts = Interrupts::new();
    loop {
        let presses = interrupts.count();
        if presses > 0 {
            pool.stop();
        }
        if presses > 1 || pool.stopping.is_some_and(|since| since.elapsed() > GRACE) {
            pool.kill_all();
        }
        pool.feed();
        if pool.workers.is_empty() {
            break;
        }
        match events.recv_timeout(TICK) {
            Ok(event) => pool.handle(event, done),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    match pool.problem {
        Some(error) => Err(Failure::Stopped(error)),
        None => Ok(Ended { left: pool.left, interrupted: interrupts.count() > 0 }),
    }
}

/// A worker process, as the batch sees it.
struct Worker {
    id: usize,
    child: Child,
    /// Letters go here; `None` once the worker is to finish and exit.
    input: Option<ChildStdin>,
    /// The letters sent and not yet answered.
    in_flight: Vec<usize>,
    ready: bool,
    /// Rendering a suspect letter alone: given nothing else meanwhile.
    alone: bool,
    /// A line it wrote that was not a reply, if any.
    garbled: Option<String>,
    killed: bool,
}

impl Worker {
    /// Asks the worker to finish the letters it holds and exit: the end
    /// line, then its input closed.
    fn finish(&mut self) {
        if let Some(mut input) = self.input.take() {
            let _ = writeln!(input, "{}", wire::END).and_then(|()| input.flush());
        }
    }
}

struct Pool<'a> {
    settings: &'a Settings,
    jobs: &'a [Job],
    split: Split,
    sender: Sender<Event>,
    workers: Vec<Worker>,
    /// Letters not yet sent, in order.
    queue: VecDeque<usize>,
    /// Letters a worker died holding with others: each is tried alone.
    suspects: VecDeque<usize>,
    next_id: usize,
    failed_starts: usize,
    /// When the batch began to stop.
    stopping: Option<Instant>,
    left: usize,
    problem: Option<Error>,
}

impl<'a> Pool<'a> {
    fn new(settings: &'a Settings, jobs: &'a [Job], split: Split, sender: Sender<Event>) -> Self {
        Pool {
            settings,
            jobs,
            split,
            sender,
            workers: Vec::new(),
            queue: (0..jobs.len()).collect(),
            suspects: VecDeque::new(),
            next_id: 0,
            failed_starts: 0,
            stopping: None,
            left: 0,
            problem: None,
        }
    }

    /// Starts a worker.
    fn spawn(&mut self) -> io::Result<()> {
        let id = self.next_id;
        self.next_id += 1;
        let threads = self.split.threads;
        let (child, input) = process::start(id, threads, &self.settings.worker_args, &self.sender)?;
        self.workers.push(Worker {
            id,
            child,
            input: Some(input),
            in_flight: Vec::new(),
            ready: false,
            alone: false,
            garbled: None,
            killed: false,
        });
        Ok(())
    }

    /// Starts workers while there are fewer open ones than letters to
    /// give them, up to the split's number.
    fn spawn_wanted(&mut self) {
        let unassigned = self.queue.len() + self.suspects.len();
        while self.stopping.is_none() {
            let open = self.workers.iter().filter(|w| w.input.is_some()).count();
            if open >= self.split.workers.min(unassigned) {
                break;
            }
            if let Err(error) = self.spawn() {
                let message = format!("cannot start a worker process: {error}");
                self.failed_start(Diagnostic::error(message));
            }
        }
    }

    /// Sends each ready worker letters up to its number of threads and
    /// [`AHEAD`]; lets a worker go when nothing is left for it.
    fn feed(&mut self) {
        self.spawn_wanted();
        let most = self.split.threads + AHEAD;
        for worker in &mut self.workers {
            if !worker.ready || worker.input.is_none() || worker.alone {
                continue;
            }
            if !self.suspects.is_empty() {
                // Workers drain; the first with empty hands takes a suspect.
                if worker.in_flight.is_empty()
                    && let Some(index) = self.suspects.pop_front()
                {
                    if send(worker, self.jobs, index) {
                        worker.alone = true;
                    } else {
                        self.suspects.push_front(index);
                    }
                }
                continue;
            }
            while worker.in_flight.len() < most
                && let Some(index) = self.queue.pop_front()
            {
                if !send(worker, self.jobs, index) {
                    self.queue.push_front(index);
                    break;
                }
            }
            if worker.in_flight.is_empty() && self.queue.is_empty() {
                worker.finish();
            }
        }
    }

    fn handle(&mut self, event: Event, done: &mut dyn FnMut(usize, LetterResult)) {
        match event {
            Event::Reply(id, Reply::Ready) => {
                if let Some(worker) = self.worker(id) {
                    worker.ready = true;
                }
            }
            Event::Reply(_, Reply::SetupFailed(report)) => {
                self.give_up(Error::Invalid(report.into_diagnostics()));
            }
            Event::Reply(id, Reply::Done { index, written, report }) => {
                let Some(worker) = self.worker(id) else { return };
                let Some(at) = worker.in_flight.iter().position(|i| *i == index) else { return };
                worker.in_flight.swap_remove(at);
                worker.alone = false;
                let diagnostics = report.into_diagnostics();
                done(
                    index,
                    if written { Ok(diagnostics) } else { Err(Error::Invalid(diagnostics)) },
                );
            }
            Event::Garbled(id, line) => {
                if let Some(worker) = self.worker(id) {
                    worker.garbled.get_or_insert(line);
                    let _ = worker.child.kill();
                }
            }
            Event::Ended(id, stderr) => self.ended(id, &stderr, done),
        }
    }

    /// A worker is gone: reap it and settle the letters it held.
    fn ended(&mut self, id: usize, stderr: &str, done: &mut dyn FnMut(usize, LetterResult)) {
        let Some(at) = self.workers.iter().position(|w| w.id == id) else { return };
        let mut worker = self.workers.swap_remove(at);
        // Its output can end while it lives only if it is broken.
        if !matches!(worker.child.try_wait(), Ok(Some(_))) {
            let _ = worker.child.kill();
        }
        let status = worker.child.wait().ok();
        if self.stopping.is_some() {
            self.left += worker.in_flight.len();
            return;
        }
        if !worker.ready {
            let died = died("a worker process died as it started", status, stderr);
            self.failed_start(died);
            return;
        }
        match worker.in_flight.as_slice() {
            [] => {}
            [index] => {
                let job = &self.jobs[*index];
                let what = format!("the worker process rendering {} died", job.input.display());
                let mut died = died(&what, status, stderr);
                if let Some(line) = worker.garbled {
                    died = died.hint(format!("it wrote {line:?}, which hmip-letter cannot read"));
                }
                let died = died.hint(
                    "the other letters were not affected; this is a bug in hmip-letter or \
                     Typst: please report it with the findings file",
                );
                done(*index, Err(died.into()));
            }
            several => self.suspects.extend(several),
        }
    }

    /// A worker could not start; after a few, the batch stops.
    fn failed_start(&mut self, why: Diagnostic) {
        self.failed_starts += 1;
        if self.failed_starts >= MAX_FAILED_STARTS {
            self.give_up(why.into());
        }
    }

    fn give_up(&mut self, error: Error) {
        self.problem.get_or_insert(error);
        self.stop();
    }

    /// Sends no more letters; workers finish the ones they hold and exit.
    fn stop(&mut self) {
        if self.stopping.is_some() {
            return;
        }
        self.stopping = Some(Instant::now());
        self.left += self.queue.len() + self.suspects.len();
        self.queue.clear();
        self.suspects.clear();
        for worker in &mut self.workers {
            worker.finish();
        }
    }

    fn kill_all(&mut self) {
        for worker in self.workers.iter_mut().filter(|w| !w.killed) {
            worker.killed = true;
            let _ = worker.child.kill();
        }
    }

    fn worker(&mut self, id: usize) -> Option<&mut Worker> {
        self.workers.iter_mut().find(|w| w.id == id)
    }
}

/// Sends a letter; `false` if the worker is gone (its end is on the way).
fn send(worker: &mut Worker, jobs: &[Job], index: usize) -> bool {
    let Some(input) = &mut worker.input else { return false };
    let job = &jobs[index];
    let next = Assignment { index, input: job.input.clone(), output: job.output.clone() };
    let sent = wire::encode(&next).and_then(|line| input.write_all(&line));
    if sent.and_then(|()| input.flush()).is_err() {
        worker.input = None;
        return false;
    }
    worker.in_flight.push(index);
    true
}

/// "WHAT (signal: 6 (SIGABRT))", with what the worker said.
fn died(what: &str, status: Option<ExitStatus>, stderr: &str) -> Diagnostic {
    let how = status.map_or_else(|| "it could not be waited for".into(), |s| s.to_string());
    let diagnostic = Diagnostic::error(format!("{what} ({how})"));
    if stderr.is_empty() { diagnostic } else { diagnostic.hint(format!("it said: {stderr}")) }
}

/// Ctrl-C presses since the batch began.
struct Interrupts {
    before: usize,
}

static PRESSES: AtomicUsize = AtomicUsize::new(0);

impl Interrupts {
    fn new() -> Self {
        static HANDLER: Once = Once::new();
        HANDLER.call_once(|| {
            let _ = ctrlc::set_handler(|| {
                PRESSES.fetch_add(1, Ordering::SeqCst);
            });
        });
        Interrupts { before: PRESSES.load(Ordering::SeqCst) }
    }

    fn count(&self) -> usize {
        PRESSES.load(Ordering::SeqCst) - self.before
    }
}
