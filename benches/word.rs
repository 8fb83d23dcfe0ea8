//! The Word round trip, in process: `cargo bench --bench word`.
//!
//! Writing Barnet's draft as a Word document (target: at most 5 ms a
//! letter), and reading it back with 200 comments on its paragraphs
//! (target: at most 50 ms), alone and with the findings file the draft
//! came from. Wall time and the process's CPU time, medians.

// Unwrapping is how a benchmark stops with its reason.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use hmip_letter::docx::{self, returned};
use hmip_letter::load::Input;
use hmip_letter::{Format, Options, Pipeline, Setup, SourceFile};

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 10 } else { 100 };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/barnet-2014.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let pipeline = Pipeline::new(&Setup::default()).unwrap();
    let loaded = pipeline.load(SourceFile::new("barnet-2014.yaml", text), None).unwrap();
    let options = Options { format: Format::Docx, draft: true, ..Options::default() };
    let write = || pipeline.export(&loaded, &options).unwrap().files.remove(0);
    let draft = write();
    println!(
        "Barnet's draft as a Word document, in process, warm pipeline, median of {runs} runs:"
    );
    let (wall, cpu) = median(runs, || {
        std::hint::black_box(write());
    });
    report("write the .docx (target 5 ms)", wall, cpu, Some(draft.len()));

    let returned = with_comments(&draft, 200);
    assert_eq!(returned::read(&returned).unwrap().len(), 200);
    let (wall, cpu) = median(runs, || {
        std::hint::black_box(returned::read(&returned).unwrap());
    });
    report("read 200 comments (target 50 ms)", wall, cpu, Some(returned.len()));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("returned.docx");
    std::fs::write(&file, &returned).unwrap();
    let findings = Input::Path(path.clone());
    let (wall, cpu) = median(runs, || {
        let points = pipeline.comments(&file, Some(&findings)).unwrap();
        std::hint::black_box(points);
    });
    report("read them with --findings (file, parse, compose, place)", wall, cpu, None);
}

fn report(what: &str, wall: Duration, cpu: Option<Duration>, size: Option<usize>) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let cpu = cpu.map_or("n/a".to_string(), |c| format!("{:.3} ms", ms(c)));
    let size = size.map_or(String::new(), |s| format!(", {s} bytes"));
    println!("  {what:<58} {:>8.3} ms wall, CPU {cpu}{size}", ms(wall));
}

/// The median wall time of `f`, and the median CPU time of the process
/// while it ran.
fn median(runs: usize, mut f: impl FnMut()) -> (Duration, Option<Duration>) {
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..runs {
        let (cpu_start, started) = (cpu_time(), Instant::now());
        f();
        walls.push(started.elapsed());
        if let (Some(a), Some(b)) = (cpu_start, cpu_time()) {
            cpus.push(b.saturating_sub(a));
        }
    }
    walls.sort();
    cpus.sort();
    (walls[walls.len() / 2], cpus.get(cpus.len() / 2).copied())
}

#[cfg(unix)]
fn cpu_time() -> Option<Duration> {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0;
    ok.then(|| Duration::new(t.tv_sec as u64, t.tv_nsec as u32))
}

#[cfg(not(unix))]
fn cpu_time() -> Option<Duration> {
    None
}

/// The draft with `count` comments, spread over its places in turn: each
/// anchored from the start of a place's bookmark to its end, as Word
/// anchors a comment on a selected paragraph.
fn with_comments(draft: &[u8], count: usize) -> Vec<u8> {
    let part = |name: &str| docx::part(draft, name).unwrap().unwrap();
    let xml = String::from_utf8(part("word/document.xml")).unwrap();
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(found) = xml[at..].find("<w:bookmarkStart ") {
        let start = at + found + xml[at + found..].find("/>").unwrap() + 2;
        let end = start + xml[start..].find("<w:bookmarkEnd ").unwrap();
        spans.push((start, end));
        at = start;
    }
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let mut comments = String::new();
    for i in 0..count {
        let (start, end) = spans[i % spans.len()];
        inserts.push((start, format!("<w:commentRangeStart w:id=\"{i}\"/>")));
        inserts.push((
            end,
            format!(
                "<w:commentRangeEnd w:id=\"{i}\"/><w:r><w:commentReference w:id=\"{i}\"/></w:r>"
            ),
        ));
        comments.push_str(&format!(
            "<w:comment w:id=\"{i}\" w:author=\"Reviewer {}\" w:date=\"2026-01-05T10:00:00Z\">\
             <w:p><w:r><w:t>Point {i}: the figure here should be checked against the case records.</w:t></w:r></w:p></w:comment>",
            i % 3
        ));
    }
    inserts.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let mut document = xml.clone();
    for (at, text) in inserts {
        document.insert_str(at, &text);
    }
    let comments = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">{comments}</w:comments>"
    );
    let names = ["[Content_Types].xml", "word/styles.xml", "word/footnotes.xml"];
    let mut parts: Vec<(String, Vec<u8>)> =
        names.iter().map(|n| (n.to_string(), part(n))).collect();
    parts.push(("word/document.xml".into(), document.into_bytes()));
    parts.push(("word/comments.xml".into(), comments.into_bytes()));
    stored_zip(&parts)
}

/// A zip of stored parts, as the simplest writer makes one.
fn stored_zip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in parts {
        let crc = crc32fast::hash(data);
        let offset = out.len() as u32;
        let fields = |h: &mut Vec<u8>| {
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&[0; 8]); // flags, stored, time, date
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        fields(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        fields(&mut central);
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
