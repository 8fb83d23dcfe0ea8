//! One letter in each output format, in process: `cargo bench --bench formats`.
//!
//! The web page and the PDF are written from the same composed letter; this
//! measures what each costs per letter once the pipeline is warm (fonts,
//! templates and the Typst library loaded), and how big each file is.

// Unwrapping is how a benchmark stops with its reason.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use hmip_letter::{Format, Options, Pipeline, Setup, SourceFile};

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 10 } else { 60 };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/barnet-2014.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let pipeline = Pipeline::new(&Setup::default()).unwrap();
    let loaded = pipeline.load(SourceFile::new("barnet-2014.yaml", text), None).unwrap();
    println!(
        "Barnet (5 pages), in process, warm pipeline, Typst's caches emptied, median of {runs} runs:"
    );
    for format in [Format::Html, Format::Pdf] {
        let options = Options { format, ..Options::default() };
        let render = || pipeline.export(&loaded, &options).unwrap();
        let size = render().bytes().len();
        let median = median(runs, || {
            // Typst memoises: a letter typeset before would come from its
            // cache. Each run starts with an empty cache, as a new letter does.
            comemo::evict(0);
            let started = Instant::now();
            std::hint::black_box(render());
            started.elapsed()
        });
        println!(
            "  {:<5} {:>8.3} ms per letter, {:>7} bytes",
            format.extension(),
            median.as_secs_f64() * 1000.0,
            size
        );
    }
    let compose = median(runs, || {
        let started = Instant::now();
        std::hint::black_box(pipeline.compose(&loaded, &Options::default()).unwrap());
        started.elapsed()
    });
    println!(
        "  of which composing the letter (both formats): {:.3} ms",
        compose.as_secs_f64() * 1000.0
    );
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut samples: Vec<Duration> = (0..runs).map(|_| f()).collect();
    samples.sort();
    samples[samples.len() / 2]
}
