//! `hmip-letter edit` as an inspector types: `cargo bench --bench edit`.
//!
//! Starts the editor on Barnet and makes 500 edits of a commentary
//! paragraph, as the page's script sends them (one autosave, then the
//! preview), timing each from the changed field reaching the server to the
//! new preview served. Prints p50 and p95 of the save, the preview, and
//! the two together; the server's resident memory every 100 edits (it must
//! stay flat); its CPU time over the run; and its CPU time over 5 seconds
//! idle (it must be none). `HMIP_LETTER=path` measures another build;
//! `-- --quick` makes 100 edits.

// Unwrapping is how a benchmark stops with its reason.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    std::env::var_os("HMIP_LETTER")
        .map_or_else(|| env!("CARGO_BIN_EXE_hmip-letter").into(), PathBuf::from)
}

/// One request; the status and the body.
fn request(host: &str, head: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(host).unwrap();
    let text = format!(
        "{head}Host: {host}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(text.as_bytes()).unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let status = reply.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_string();
    (status, body)
}

fn encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The process's CPU time so far (user and system), from /proc.
fn cpu(pid: u32) -> Option<Duration> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.split_whitespace().next()?.parse().ok()
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let edits = if quick { 100 } else { 500 };
    let dir = tempfile::tempdir().unwrap();
    let findings = dir.path().join("barnet.yaml");
    fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/barnet-2014.yaml"), &findings)
        .unwrap();
    let mut child = Command::new(bin())
        .args(["edit", "--no-open"])
        .arg(&findings)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line.trim().strip_prefix("http://").unwrap().to_string();
    let (host, token) = address.split_once("/?token=").unwrap();
    let cookie = format!("Cookie: hmip_letter_session={token}\r\n");
    let origin = format!("Origin: http://{host}\r\n");
    let (_, page) = request(host, &format!("GET /part/area-2 HTTP/1.1\r\n{cookie}"), "");
    let at = page.find("name=\"version\" value=\"").unwrap() + 22;
    let mut version = page[at..].split('"').next().unwrap().to_string();
    let original = "Barnet YOT had developed good links";
    let pid = child.id();
    let cpu_start = cpu(pid);
    let (mut saves, mut previews, mut both) = (Vec::new(), Vec::new(), Vec::new());
    let mut memory = Vec::new();
    let started = Instant::now();
    for k in 1..=edits {
        let text = format!("{original}{} with the police.", " and more".repeat(k % 23));
        let body = format!(
            "version={version}&{}={}",
            encoded("f:commentary[1].paragraphs[0]"),
            encoded(&text)
        );
        let head = format!(
            "POST /part/area-2 HTTP/1.1\r\n{cookie}{origin}X-Autosave: 1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        );
        let t0 = Instant::now();
        let (status, answer) = request(host, &head, &body);
        let t1 = Instant::now();
        assert_eq!(status, 200, "{answer}");
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        version = answer["version"].as_str().unwrap().to_string();
        let (status, preview) = request(host, &format!("GET /preview HTTP/1.1\r\n{cookie}"), "");
        let t2 = Instant::now();
        assert_eq!(status, 200);
        assert!(preview.contains(&text), "the preview has the edit");
        saves.push(t1 - t0);
        previews.push(t2 - t1);
        both.push(t2 - t0);
        if k % 100 == 0 {
            memory.push((k, rss_kib(pid)));
        }
    }
    let wall = started.elapsed();
    let cpu_run = cpu(pid).zip(cpu_start).map(|(a, b)| a - b);
    let idle_start = cpu(pid);
    std::thread::sleep(Duration::from_secs(5));
    let idle = cpu(pid).zip(idle_start).map(|(a, b)| a - b);
    let _ = child.kill();
    let _ = child.wait();
    println!("hmip-letter edit, Barnet, {edits} edits of a commentary paragraph");
    for (name, samples) in
        [("save (autosave)", &mut saves), ("preview", &mut previews), ("save + preview", &mut both)]
    {
        println!(
            "  {name:<16} p50 {:>6.1} ms   p95 {:>6.1} ms   max {:>6.1} ms",
            percentile(samples, 0.5).as_secs_f64() * 1e3,
            percentile(samples, 0.95).as_secs_f64() * 1e3,
            samples.iter().max().unwrap().as_secs_f64() * 1e3
        );
    }
    println!("  wall {:.2} s, server CPU {:?} over the run", wall.as_secs_f64(), cpu_run);
    for (k, rss) in memory {
        println!(
            "  after {k:>3} edits: resident {} KiB",
            rss.map_or("?".into(), |r| r.to_string())
        );
    }
    println!("  idle 5 s: server CPU {idle:?}");
}
