//! `watch` over a day of editing: `cargo bench --bench watch`.
//!
//! Saves Barnet's findings file 200 times, each with a different edit, and
//! prints how soon each new PDF is written and the resident memory of the
//! `watch` process as the edits go on. Memory must stay flat: Typst's caches
//! are trimmed after every re-render. `HMIP_LETTER=path` measures another
//! build; `-- --quick` makes 40 edits.

// Unwrapping is how a benchmark stops with its reason.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    std::env::var_os("HMIP_LETTER")
        .map_or_else(|| env!("CARGO_BIN_EXE_hmip-letter").into(), PathBuf::from)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let edits = if quick { 40 } else { 200 };
    let dir = tempfile::tempdir().unwrap();
    let findings = dir.path().join("watched.yaml");
    let original =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/barnet-2014.yaml"))
            .unwrap();
    fs::write(&findings, &original).unwrap();
    let mut child = Command::new(bin())
        .arg("watch")
        .arg(&findings)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (sender, lines) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send((Instant::now(), line));
        }
    });
    let wrote = |lines: &mpsc::Receiver<(Instant, String)>| loop {
        let (at, line) = lines.recv_timeout(Duration::from_secs(20)).expect("watch wrote nothing");
        if line.starts_with("wrote ") {
            return at;
        }
    };
    wrote(&lines);
    let mut samples = Vec::new();
    let mut memory = Vec::new();
    for k in 1..=edits {
        // A different paragraph length each time, as real edits are.
        let edited = original.replace(
            "Barnet is a relatively small YOT",
            &format!("Barnet is a relatively small YOT{}", " (edited)".repeat(k % 17)),
        );
        let edited = edited.replace("in 12 of the 16", &format!("in 12 of the 16 (edit {k})"));
        let started = Instant::now();
        fs::write(&findings, edited).unwrap();
        samples.push(wrote(&lines) - started);
        if k == 1 || k % (edits / 4) == 0 {
            memory.push((k, resident_kib(child.id())));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    samples.sort();
    println!(
        "watch, Barnet, {edits} edits: new PDF after median {:.1} ms, worst {:.1} ms",
        samples[samples.len() / 2].as_secs_f64() * 1000.0,
        samples.last().unwrap().as_secs_f64() * 1000.0
    );
    let line: Vec<String> = memory
        .iter()
        .map(|(k, kib)| format!("after {k}: {:.1} MiB", *kib as f64 / 1024.0))
        .collect();
    println!("resident memory of watch: {}", line.join(", "));
}

/// The resident memory of a process, in KiB, from /proc.
fn resident_kib(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
