//! The speed and memory targets, measured: `cargo bench --bench letters`.
//!
//! - where the time of one letter goes (parse, template, compile, PDF);
//! - a batch of 40 different letters in one process, against 40 processes
//!   one at a time, and against the official typst CLI compiling the same
//!   letters once per process (if `typst` is on PATH or in $TYPST);
//! - one letter in a cold process, against the typst CLI;
//! - a batch of 1000 letters with `--jobs 1` and with all cores: wall and
//!   CPU time per letter and the peak memory of all its processes, by
//!   `benches/batch.sh`, which runs without cargo on any Linux machine;
//! - (`watch` is measured by `cargo bench --bench watch`.)
//!
//! Whole-process times are medians of several runs of the release binary.

// Unwrapping is how a benchmark stops with its reason.
#![allow(clippy::unwrap_used)]

#[path = "generate.rs"]
mod generate;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hmip_letter::{Options, Pipeline, Setup, SourceFile};

/// The binary measured: this build's, or `$HMIP_LETTER` (e.g. the `dist`
/// profile's, `target/dist/hmip-letter`).
fn bin() -> PathBuf {
    std::env::var_os("HMIP_LETTER")
        .map_or_else(|| env!("CARGO_BIN_EXE_hmip-letter").into(), PathBuf::from)
}

fn main() {
    // `cargo bench` passes `--bench`; `-- --quick` makes every count small.
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 3 } else { 7 };
    let big = if quick { 200 } else { 1000 };
    let dir = tempfile::tempdir().unwrap();
    let letters = write_letters(&dir.path().join("letters-40"), 40);
    let thousand = dir.path().join("letters-big");
    write_letters(&thousand, big);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("machine: {cores} cores; {runs} runs per whole-process timing\n");

    stages(&letters);

    let batch = median(runs, || {
        time(
            Command::new(bin())
                .arg("render")
                .arg(dir.path().join("letters-40"))
                .arg("-o")
                .arg(dir.path().join("out-40")),
        )
    });
    let one_by_one = median(runs.min(3), || {
        letters
            .iter()
            .map(|l| {
                time(
                    Command::new(bin())
                        .arg("render")
                        .arg(l)
                        .arg("-o")
                        .arg(dir.path().join("one.pdf")),
                )
            })
            .sum()
    });
    println!("40 letters, one batch process:       {:>8.1} ms", ms(batch));
    println!("40 letters, one process each:        {:>8.1} ms", ms(one_by_one));
    println!(
        "  batch / one process each:          {:>8.3}   (target ≤ 0.25)",
        ratio(batch, one_by_one)
    );

    let barnet = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/barnet-2014.yaml");
    let cold = median(runs * 3, || {
        time(
            Command::new(bin())
                .arg("render")
                .arg(&barnet)
                .arg("-o")
                .arg(dir.path().join("cold.pdf")),
        )
    });
    println!("one letter (Barnet), cold process:   {:>8.1} ms", ms(cold));

    match typst_cli() {
        Some(typst) => {
            let sources = typst_sources(dir.path(), &letters, &barnet);
            let typst_40 = median(runs.min(3), || {
                sources.iter().skip(1).map(|s| time(&mut typst_compile(&typst, s))).sum()
            });
            let typst_one = median(runs * 3, || time(&mut typst_compile(&typst, &sources[0])));
            println!("40 letters, typst CLI per process:   {:>8.1} ms", ms(typst_40));
            println!(
                "  batch / typst CLI:                 {:>8.3}   (target ≤ 0.2)",
                ratio(batch, typst_40)
            );
            println!("one letter (Barnet), typst CLI:      {:>8.1} ms", ms(typst_one));
            println!(
                "  hmip-letter / typst CLI:           {:>8.3}   (target ≤ 0.8)",
                ratio(cold, typst_one)
            );
        }
        None => println!(
            "typst CLI: not found (install with `cargo install typst-cli --version 0.15.1 --locked`, or set $TYPST)"
        ),
    }

    println!();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/batch.sh");
    let status = Command::new("bash")
        .arg(script)
        .arg(bin())
        .arg(&thousand)
        .env("RUNS", if quick { "1" } else { "3" })
        .status()
        .unwrap();
    assert!(status.success(), "benches/batch.sh failed");
    println!();
}

/// Writes `n` generated findings files into `dir`.
fn write_letters(dir: &Path, n: usize) -> Vec<PathBuf> {
    fs::create_dir_all(dir).unwrap();
    (0..n)
        .map(|i| {
            let path = dir.join(format!("letter-{i:04}.yaml"));
            fs::write(&path, generate::findings(i)).unwrap();
            path
        })
        .collect()
}

/// Where the time of a letter goes, in process, with the pipeline warm.
fn stages(letters: &[PathBuf]) {
    let started = Instant::now();
    let pipeline = Pipeline::new(&Setup::default()).unwrap();
    let setup = started.elapsed();
    let options = Options::default();
    let mut times: [Vec<Duration>; 5] = Default::default();
    for path in letters {
        let text = fs::read_to_string(path).unwrap();
        let t = Instant::now();
        let letter =
            pipeline.load(SourceFile::new(path.display().to_string(), text), None).unwrap();
        times[0].push(t.elapsed());
        let t = Instant::now();
        let prepared = pipeline.prepare(&letter, &options).unwrap();
        times[1].push(t.elapsed());
        let world = pipeline.world(&prepared);
        let t = Instant::now();
        let typeset = pipeline.typeset(&world).unwrap();
        times[2].push(t.elapsed());
        let t = Instant::now();
        let pdf = pipeline.pdf(&world, &prepared, &typeset.document, &options).unwrap();
        times[3].push(t.elapsed());
        let t = Instant::now();
        hmip_letter::output::write_atomic(&path.with_extension("pdf"), &pdf).unwrap();
        times[4].push(t.elapsed());
    }
    println!("setup (templates, fonts, Typst library), once per run: {:.1} ms", ms(setup));
    println!("per letter, median of {} different letters (one thread):", letters.len());
    for (name, samples) in ["parse + checks", "template", "compile", "PDF export", "write"]
        .iter()
        .zip(times.iter_mut())
    {
        samples.sort();
        println!("  {name:<16} {:>7.2} ms", ms(samples[samples.len() / 2]));
    }
    println!();
}

fn time(command: &mut Command) -> Duration {
    let started = Instant::now();
    let out = command.stdout(Stdio::null()).stderr(Stdio::piped()).output().unwrap();
    let elapsed = started.elapsed();
    assert!(out.status.success(), "{:?} failed: {}", command, String::from_utf8_lossy(&out.stderr));
    elapsed
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    middle((0..runs).map(|_| f()).collect())
}

fn middle(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// The typst CLI, from $TYPST or PATH.
fn typst_cli() -> Option<PathBuf> {
    let candidate = std::env::var_os("TYPST").map(PathBuf::from).unwrap_or_else(|| "typst".into());
    Command::new(&candidate)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| candidate)
}

/// The letters' Typst sources (Barnet first), beside `style.typ` and the
/// fonts, so the typst CLI typesets exactly what hmip-letter does.
fn typst_sources(dir: &Path, letters: &[PathBuf], barnet: &Path) -> Vec<PathBuf> {
    let out = dir.join("typst");
    fs::create_dir_all(&out).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(root.join("templates/style.typ"), out.join("style.typ")).unwrap();
    std::iter::once(barnet.to_path_buf())
        .chain(letters.iter().cloned())
        .enumerate()
        .map(|(i, input)| {
            let typ = out.join(format!("letter-{i:04}.typ"));
            time(
                Command::new(bin())
                    .arg("render")
                    .arg(&input)
                    .arg("--format")
                    .arg("typ")
                    .arg("-o")
                    .arg(&typ),
            );
            typ
        })
        .collect()
}

fn typst_compile(typst: &Path, source: &Path) -> Command {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let mut command = Command::new(typst);
    command
        .arg("compile")
        .arg("--ignore-system-fonts")
        .arg("--font-path")
        .arg(fonts)
        .arg("--features")
        .arg("a11y-extras")
        .arg("--pdf-standard")
        .arg("a-2b,ua-1")
        .arg(source)
        .arg(source.with_extension("pdf"));
    command
}
