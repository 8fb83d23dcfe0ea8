//! `watch`: the letter follows every save of what it was made from, once
//! per save, and an idle watch does nothing.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::batch::wait_for;
use crate::common::*;

fn text_of(path: &Path) -> String {
    fs::read(path).ok().map(|pdf| pdf_text(&pdf)).unwrap_or_default()
}

/// A child process, killed when the test ends however it ends.
pub(crate) struct Watching(pub(crate) Child);

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

#[test]
fn watch_follows_every_save_and_keeps_the_last_good_letter() {
    let dir = tempfile::tempdir().unwrap();
    let findings = dir.path().join("b.yaml");
    let pdf = dir.path().join("b.pdf");
    let original = fs::read_to_string(fixture("bath-2016.yaml")).unwrap();
    fs::write(&findings, &original).unwrap();
    let templates = dir.path().join("t");
    fs::create_dir(&templates).unwrap();
    let organisation = fs::read_to_string(root().join("templates/organisation.yaml")).unwrap();
    fs::write(templates.join("organisation.yaml"), &organisation).unwrap();
    let (mut watching, lines) = start_watch(dir.path(), &["b.yaml", "--templates", "t"]);

    let limit = Duration::from_secs(20);
    wait_for("the first letter", limit, || {
        has(&text_of(&pdf), "Staff told us that their managers")
    });

    // An edit, saved the way editors do: a new file renamed over the old.
    let edited = original.replace("Staff told us that their managers", "Staff said their managers");
    fs::write(dir.path().join(".b.yaml.swp"), &edited).unwrap();
    fs::rename(dir.path().join(".b.yaml.swp"), &findings).unwrap();
    wait_for("the edited letter", limit, || has(&text_of(&pdf), "Staff said their managers"));

    // A change to a template is picked up too.
    let renamed = organisation.replace("HMI Probation Publications", "The Print Room");
    fs::write(templates.join("organisation.yaml"), renamed).unwrap();
    wait_for("the new template", limit, || has(&text_of(&pdf), "please contact The Print Room"));

    // A save with an error: the last good letter stays.
    let good = fs::read(&pdf).unwrap();
    fs::write(&findings, edited.replace("  cases: 16", "  cases: sixteen")).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(fs::read(&pdf).unwrap() == good, "a bad save changed the letter");

    // Ctrl-C ends it cleanly.
    let pid = watching.0.id().to_string();
    let _ = Command::new("kill").args(["-INT", &pid]).status();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = watching.0.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < limit, "watch did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut all = Vec::new();
    said(&lines, Duration::from_millis(200), &mut all);
    let err = all.join("\n");
    assert!(status.success(), "{err}");
    assert!(err.contains("expected a whole number, found \"sixteen\""), "{err}");
    assert!(err.contains("kept the last good letter at b.pdf"), "{err}");
    assert!(err.trim_end().ends_with("stopped watching"), "{err}");
    let leftovers: Vec<String> =
        files_in(dir.path()).into_iter().filter(|f| f.ends_with(".part")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A watch started in `dir`, its standard error read line by line.
fn start_watch(dir: &Path, args: &[&str]) -> (Watching, Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hmip-letter"))
        .arg("watch")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    (Watching(child), lines)
}

/// The lines said so far, waiting `quiet` for more.
fn said(lines: &Receiver<String>, quiet: Duration, all: &mut Vec<String>) {
    while let Ok(line) = lines.recv_timeout(quiet) {
        all.push(line);
    }
}

fn renders(all: &[String]) -> usize {
    all.iter().filter(|line| line.starts_with("wrote ")).count()
}

/// The CPU time a process has used, in clock ticks (Linux).
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn watch_renders_once_per_save_of_anything_the_letter_read() {
    let dir = tempfile::tempdir().unwrap();
    let findings = dir.path().join("w.yaml");
    let pdf = dir.path().join("w.pdf");
    let original = fs::read_to_string(fixture("wrexham-2016.yaml")).unwrap();
    fs::write(&findings, &original).unwrap();
    let logo = fs::read_to_string(fixture("hmip-logo.svg")).unwrap();
    fs::write(dir.path().join("hmip-logo.svg"), &logo).unwrap();
    let words_dir = dir.path().join("t").join("words");
    fs::create_dir_all(&words_dir).unwrap();
    let words = fs::read_to_string(root().join("templates/words/en.yaml")).unwrap();
    fs::write(words_dir.join("en.yaml"), &words).unwrap();
    let (mut watching, lines) = start_watch(dir.path(), &["w.yaml", "--templates", "t"]);
    let mut all = Vec::new();
    let limit = Duration::from_secs(20);
    wait_for("the first letter", limit, || {
        said(&lines, Duration::from_millis(50), &mut all);
        renders(&all) == 1
    });

    // Idle for 3 seconds: no render, and (almost) no CPU.
    #[cfg(target_os = "linux")]
    let before = cpu_ticks(watching.0.id());
    said(&lines, Duration::from_secs(3), &mut all);
    assert_eq!(renders(&all), 1, "an idle watch rendered: {all:#?}");
    #[cfg(target_os = "linux")]
    {
        let used = cpu_ticks(watching.0.id()) - before;
        assert!(used <= 2, "an idle watch used {used} ticks of CPU in 3 s");
    }

    let settle = Duration::from_millis(700);
    let expect_one_more = |what: &str, check: &dyn Fn() -> bool, all: &mut Vec<String>| {
        let before = renders(all);
        wait_for(what, limit, || {
            said(&lines, Duration::from_millis(20), all);
            renders(all) > before && check()
        });
        said(&lines, settle, all);
        assert_eq!(renders(all), before + 1, "{what}: not exactly one render: {all:#?}");
    };

    // The words file, several folders down in --templates.
    fs::write(words_dir.join("en.yaml"), words.replace("Key strengths", "Main strengths")).unwrap();
    expect_one_more("the new words", &|| has(&text_of(&pdf), "Main strengths"), &mut all);

    // The logo.
    let before = fs::read(&pdf).unwrap();
    assert!(logo.contains("#1d3a6b"), "the logo has a colour to change");
    let recoloured = logo.replace("#1d3a6b", "#2d3a6b");
    fs::write(dir.path().join("hmip-logo.svg"), recoloured).unwrap();
    expect_one_more("the new logo", &|| fs::read(&pdf).is_ok_and(|now| now != before), &mut all);

    // An editor's atomic save: a new file renamed over the old.
    let edited = original.replace("Wrexham", "Wrecsam");
    fs::write(dir.path().join(".w.yaml.swp"), &edited).unwrap();
    fs::rename(dir.path().join(".w.yaml.swp"), &findings).unwrap();
    expect_one_more("the renamed save", &|| has(&text_of(&pdf), "Wrecsam"), &mut all);

    // A save by deleting and writing the file again.
    fs::remove_file(&findings).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    fs::write(&findings, edited.replace("Wrecsam", "Wrexham County")).unwrap();
    expect_one_more("the re-created file", &|| has(&text_of(&pdf), "Wrexham County"), &mut all);

    // Touching a file without changing it renders nothing.
    fs::write(&findings, edited.replace("Wrecsam", "Wrexham County")).unwrap();
    said(&lines, Duration::from_secs(1), &mut all);
    assert_eq!(renders(&all), 5, "an unchanged save rendered: {all:#?}");
    assert!(!all.iter().any(|l| l.contains("error")), "{all:#?}");
    let _ = watching.0.kill();
}
