//! Importing a published letter, in process: `cargo bench --bench import`.
//!
//! Barnet (5 pages) rendered to its PDF (and its Word document) once,
//! then read back into a findings file again and again: the PDF parsed,
//! its glyphs placed (or the document's XML walked), the
//! letter recognised by the words files and the findings written. The
//! check of the result (read, checked and composed as `check` reads it,
//! not typeset) is timed with it, as `import` runs both. Wall time and CPU time (user + system of this process,
//! getrusage) per import; the target is 50 ms for the import itself.

// Unwrapping is how a benchmark stops with its reason.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use hmip_letter::{Format, Options, Pipeline, Setup, SourceFile};

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 10 } else { 100 };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/barnet-2014.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let pipeline = Pipeline::new(&Setup::default()).unwrap();
    let loaded = pipeline.load(SourceFile::new("barnet-2014.yaml", text), None).unwrap();
    let pdf = pipeline.export(&loaded, &Options::default()).unwrap().bytes().to_vec();
    let docx = pipeline
        .export(&loaded, &Options { format: Format::Docx, ..Options::default() })
        .unwrap()
        .bytes()
        .to_vec();
    let reference = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/barnet-sqs-2014.txt"),
    )
    .unwrap();
    println!(
        "Barnet (5 pages, {} KB PDF), in process, warm pipeline, median of {runs} runs:",
        pdf.len() / 1024
    );
    for (what, name, bytes) in [
        ("from its PDF", "barnet.pdf", &pdf),
        ("from its .docx", "barnet.docx", &docx),
        ("from its text", "barnet.txt", &reference),
    ] {
        let (wall, cpu) = median(runs, || {
            let imported = pipeline.import_only(name, bytes).unwrap();
            std::hint::black_box(imported);
        });
        println!("  import {what:<14} {:>8.3} ms wall, {:>8.3} ms CPU", ms(wall), ms(cpu));
    }
    let (wall, cpu) = median(runs, || {
        std::hint::black_box(pipeline.import("barnet.pdf", &pdf, "barnet.yaml").unwrap());
    });
    println!(
        "  import and check (as the command runs them): {:.3} ms wall, {:.3} ms CPU",
        ms(wall),
        ms(cpu)
    );
    let (wall, cpu) = median(runs, || {
        comemo::evict(0);
        std::hint::black_box(pipeline.export(&loaded, &Options::default()).unwrap());
    });
    println!(
        "  for scale, rendering the letter to PDF: {:.3} ms wall, {:.3} ms CPU",
        ms(wall),
        ms(cpu)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The CPU time this process has used, user and system.
#[cfg(not(unix))]
fn cpu_now() -> Duration {
    // No getrusage: CPU time is reported as 0 here.
    Duration::ZERO
}

/// The CPU time this process has used, user and system.
#[cfg(unix)]
fn cpu_now() -> Duration {
    // SAFETY: getrusage writes the struct it is given and nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Median wall and CPU time of `runs` calls.
fn median(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..runs {
        let (w, c) = (Instant::now(), cpu_now());
        f();
        walls.push(w.elapsed());
        cpus.push(cpu_now() - c);
    }
    walls.sort();
    cpus.sort();
    (walls[runs / 2], cpus[runs / 2])
}
