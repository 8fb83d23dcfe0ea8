//! The worst inputs under the size limit, measured: `cargo bench --bench
//! worst`. Each is a whole run of the release binary, wall time beside the
//! CPU time of the process (user + system), median of three:
//!
//! - `preflight` of one paragraph of 200,000 "born" (every word a trigger
//!   of the date-of-birth rule) with dates among them;
//! - `diff` of two letters whose one paragraph is 40,000 words, all
//!   different (the worst case of a word diff);
//! - `pair` of an English and a Welsh file with 8,000 strengths each;
//! - each of the three on a 1 MiB letter of ordinary sentences.
//!
//! Target: each at most 2 s on the project's two-core machine.

// Unwrapping is how a benchmark stops with its reason.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    std::env::var_os("HMIP_LETTER")
        .map_or_else(|| env!("CARGO_BIN_EXE_hmip-letter").into(), PathBuf::from)
}

/// A letter whose summary is `summary`, whose strengths are `strengths`.
fn letter(language: &str, summary: &str, strengths: &[String]) -> String {
    let strengths: Vec<String> =
        strengths.iter().map(|s| format!("  - {}\n", serde_json::to_string(s).unwrap())).collect();
    format!(
        "language: {language}\narea: Testshire\npublished: 2020-02-03\n\
         to: {{name: A Person, role: Chair}}\nfrom: {{name: B Person, role: Inspector}}\n\
         inspection: {{fieldwork: {{from: 2020-01-06, to: 2020-01-08}}, cases: 5, team: Testshire YOT}}\n\
         summary:\n  - {}\n\
         commentary: [{{heading: Work, paragraphs: [Fine.]}}]\n\
         strengths:\n{}\
         lead_inspector: {{name: C Person, email: c@example.org}}\n",
        serde_json::to_string(summary).unwrap(),
        strengths.concat()
    )
}

/// Ordinary sentences, about `bytes` long, varied by `seed`.
fn prose(bytes: usize, seed: usize) -> String {
    let words = [
        "the", "case", "manager", "reviewed", "plan", "with", "young", "person", "and", "family",
        "risk", "was", "assessed", "in", "good", "time", "before", "sentence", "began", "court",
    ];
    let mut out = String::new();
    let mut i = seed;
    while out.len() < bytes {
        let n = 8 + i % 12;
        let sentence: Vec<&str> = (0..n).map(|k| words[(i * 7 + k * 3) % words.len()]).collect();
        out.push_str("The ");
        out.push_str(&sentence.join(" "));
        out.push_str(". ");
        i += 1;
    }
    out.trim_end().to_string()
}

/// Wall and CPU time of one run.
fn time(command: &mut Command) -> (Duration, Duration) {
    let cpu_before = children_cpu();
    let started = Instant::now();
    let status = command.stdout(Stdio::null()).stderr(Stdio::null()).status().unwrap();
    let wall = started.elapsed();
    assert!(status.code().is_some_and(|c| c <= 2), "{command:?}: {status}");
    (wall, children_cpu().saturating_sub(cpu_before))
}

#[cfg(unix)]
fn children_cpu() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes one rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

#[cfg(not(unix))]
fn children_cpu() -> Duration {
    Duration::ZERO
}

fn median(mut f: impl FnMut() -> (Duration, Duration)) -> (Duration, Duration) {
    let mut runs: Vec<(Duration, Duration)> = (0..3).map(|_| f()).collect();
    runs.sort();
    runs[1]
}

fn report(what: &str, dir: &Path, args: &[&str]) {
    // What the command said, to see that it did the work rather than
    // stop early.
    let out = Command::new(bin()).args(args).current_dir(dir).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    let last: String = said.lines().last().unwrap_or("").chars().take(90).collect();
    let stdout = out.stdout.len();
    println!(
        "  {} → exit {:?}, {stdout} bytes out, last line: {last}",
        args.join(" "),
        out.status.code()
    );
    let (wall, cpu) = median(|| time(Command::new(bin()).args(args).current_dir(dir)));
    let verdict = if wall <= Duration::from_secs(2) { "ok" } else { "OVER" };
    println!(
        "{what:<44} {:>8.0} ms wall {:>8.0} ms CPU   (target ≤ 2000 ms: {verdict})",
        wall.as_secs_f64() * 1000.0,
        cpu.as_secs_f64() * 1000.0
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut born = "born ".repeat(199_000);
    born.push_str("born on 12/03/2004 and born 12 March 2004.");
    fs::write(d.join("born.yaml"), letter("en", &born, &["Good.".into()])).unwrap();
    let words = |seed: usize| -> String {
        (0..40_000).map(|i| format!("w{}x{}", seed, i % 9973)).collect::<Vec<_>>().join(" ")
    };
    fs::write(d.join("old.yaml"), letter("en", &(words(1) + "."), &["Good.".into()])).unwrap();
    fs::write(d.join("new.yaml"), letter("en", &(words(2) + "."), &["Good.".into()])).unwrap();
    let items: Vec<String> = (0..8_000).map(|i| format!("Strength {i} was seen.")).collect();
    let mut welsh = items.clone();
    welsh.remove(4_000);
    welsh.push("Cryfder ychwanegol.".into());
    fs::write(d.join("en.yaml"), letter("en", "Fine.", &items)).unwrap();
    fs::write(d.join("cy.yaml"), letter("cy", "Iawn.", &welsh)).unwrap();
    let mib = 1_000_000;
    let plain = |seed| letter("en", &prose(mib, seed), &["Good.".into()]);
    fs::write(d.join("ordinary.yaml"), plain(0)).unwrap();
    fs::write(d.join("ordinary-2.yaml"), plain(1)).unwrap();
    fs::write(d.join("ordinary-cy.yaml"), letter("cy", &prose(mib, 1), &["Da.".into()])).unwrap();
    for name in ["born.yaml", "old.yaml", "en.yaml", "ordinary.yaml"] {
        let size = fs::metadata(d.join(name)).unwrap().len();
        assert!(size <= 1024 * 1024, "{name} is {size} bytes, over the limit");
    }
    println!("each: median of 3 runs of {}\n", bin().display());
    report("preflight, 200,000 \"born\" in one paragraph", d, &["preflight", "born.yaml"]);
    report("diff, one 40,000-word paragraph rewritten", d, &["diff", "old.yaml", "new.yaml"]);
    report("pair, 8,000 strengths, one dropped", d, &["pair", "en.yaml", "cy.yaml"]);
    report("preflight, 1 MiB of ordinary sentences", d, &["preflight", "ordinary.yaml"]);
    report(
        "diff, 1 MiB of ordinary sentences, all changed",
        d,
        &["diff", "ordinary.yaml", "ordinary-2.yaml"],
    );
    report("pair, 1 MiB of ordinary sentences", d, &["pair", "ordinary.yaml", "ordinary-cy.yaml"]);
}
