//! Nothing lost, nothing let through: files that are not findings files,
//! what a terminal is shown, messages that say what is true.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::*;

/// A findings file that renders, written into `dir` as `name`.
fn letter_in(dir: &Path, name: &str) {
    fs::write(dir.join(name), letter_with("Fine.", "en")).unwrap();
}

#[cfg(unix)]
fn fifo(path: &Path) {
    assert!(runs("mkfifo", &[path.to_str().unwrap()]), "mkfifo makes {}", path.display());
}

/// Runs the binary and fails if it has not ended within ten seconds (a
/// command blocked on a FIFO would run for ever).
#[cfg(unix)]
fn run_within(dir: &Path, args: &[&str]) -> std::process::Output {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_hmip-letter"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("hmip-letter {args:?} did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    fifo(&dir.path().join("fifo.yaml"));
    letter_in(dir.path(), "a.yaml");
    for args in [
        &["render", "fifo.yaml"][..],
        &["check", "fifo.yaml"],
        &["preflight", "fifo.yaml"],
        &["render", "a.yaml", "fifo.yaml", "-o", "out"],
    ] {
        let out = run_within(dir.path(), args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("fifo.yaml is not a regular file"), "{args:?}: {err}");
    }
    assert_eq!(files_in(&dir.path().join("out")), ["a.pdf"], "the other letter is written");
}

#[cfg(unix)]
#[test]
fn every_entry_of_a_folder_not_rendered_is_reported_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    fs::create_dir(&letters).unwrap();
    letter_in(&letters, "a.yaml");
    std::os::unix::fs::symlink("nowhere.yaml", letters.join("dangling.yaml")).unwrap();
    std::os::unix::fs::symlink("loop.yaml", letters.join("loop.yaml")).unwrap();
    fifo(&letters.join("fifo.yaml"));
    fs::create_dir(letters.join("folder.yaml")).unwrap();
    fs::write(letters.join("notes.txt"), "not a letter").unwrap();
    let out = run_within(dir.path(), &["render", "letters", "-o", "out"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "warnings only: {err}");
    for (name, why) in [
        ("dangling.yaml", "a symbolic link that leads to no file"),
        ("loop.yaml", "a symbolic link that leads to no file"),
        ("fifo.yaml", "not a regular file"),
        ("folder.yaml", "a folder, not a findings file"),
    ] {
        let line =
            err.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name}: {err}"));
        assert!(line.starts_with("warning: skipped ") && line.contains(why), "{line}");
    }
    assert!(!err.contains("notes.txt"), "files that are not findings files are not mentioned");
    assert!(
        err.lines().last().unwrap().starts_with("rendered 1 letter, 0 failed, 4 skipped"),
        "{err}"
    );
    assert_eq!(files_in(&dir.path().join("out")), ["a.pdf"]);
}

#[test]
fn a_terminal_is_never_sent_raw_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    // A YAML error on a line with ESC, BEL and NUL, and a bidi override.
    let text = "area: Testshire\nsummary: [\u{1b}]0;owned\u{7}\u{1b}[2J\u{0}\u{202e}oops\n";
    fs::write(dir.path().join("bad.yaml"), text).unwrap();
    for format in ["human", "short", "github"] {
        let out = run(dir.path(), &["check", "bad.yaml", "--diagnostic-format", format], None);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        for c in err.chars() {
            assert!(
                !(c.is_control() && c != '\n') && c != '\u{202e}',
                "raw U+{:04X} in the {format} form:\n{err}",
                c as u32
            );
        }
        if format == "human" {
            assert!(err.contains(r"\u{1b}]0;owned\u{7}\u{1b}[2J\u{0}\u{202e}oops"), "{err}");
        }
    }
}

#[test]
fn check_warns_of_invisible_characters_naming_the_code_point_and_key() {
    let yaml = letter_with("Pasted\u{feff} from Word\u{200b}\u{200b} here.", "en");
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.yaml"), &yaml).unwrap();
    let out = run(dir.path(), &["check", "a.yaml", "--diagnostic-format", "short"], None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let bom = err.lines().find(|l| l.contains("U+FEFF")).unwrap_or_else(|| panic!("{err}"));
    assert!(bom.contains("(byte order mark)") && bom.contains("(at `summary[1]`)"), "{bom}");
    let zw = err.lines().find(|l| l.contains("U+200B")).unwrap_or_else(|| panic!("{err}"));
    assert!(zw.contains("zero-width space") && zw.contains("2 times"), "{zw}");
    // At the character itself, on the summary's second line.
    let column = yaml.lines().nth(8).unwrap().find('\u{feff}').unwrap();
    let column = yaml.lines().nth(8).unwrap()[..column].chars().count() + 1;
    assert!(bom.starts_with(&format!("a.yaml:9:{column}:")), "{bom}");
}

#[test]
fn a_file_with_old_mac_line_endings_is_read_as_lines() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!("# A letter\n{}", letter_with("Fine.", "en")).replace('\n', "\r");
    fs::write(dir.path().join("mac.yaml"), yaml).unwrap();
    let out = run(dir.path(), &["check", "mac.yaml"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn pair_refuses_two_files_in_one_language() {
    let dir = tempfile::tempdir().unwrap();
    letter_in(dir.path(), "a.yaml");
    letter_in(dir.path(), "b.yaml");
    let out = run(dir.path(), &["pair", "a.yaml", "b.yaml"], None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("a.yaml and b.yaml are both in English"), "{err}");
    assert!(err.contains("use hmip-letter diff"), "{err}");
}

#[test]
fn diff_of_two_languages_says_so_and_points_to_pair() {
    let out = run(
        &root(),
        &["diff", "fixtures/pairs/caerdydd-2016-en.yaml", "fixtures/caerdydd-2016-cy.yaml"],
        None,
    );
    let err = stderr(&out);
    assert!(err.contains("is in English and fixtures/caerdydd-2016-cy.yaml in Welsh"), "{err}");
    assert!(
        err.contains(
            "hmip-letter pair fixtures/pairs/caerdydd-2016-en.yaml fixtures/caerdydd-2016-cy.yaml"
        ),
        "{err}"
    );
}

#[test]
fn two_swapped_paragraphs_are_moves_not_rewrites() {
    let dir = tempfile::tempdir().unwrap();
    let area = |paragraphs: &str| {
        letter_with("Fine.", "en").replace(
            "commentary: [{heading: Work, paragraphs: [Fine.]}]",
            &format!("commentary: [{{heading: Work, paragraphs: [{paragraphs}]}}]"),
        )
    };
    let first = "The first paragraph says one thing.";
    let second = "The second paragraph says quite another.";
    let third = "A third stays where it was.";
    fs::write(dir.path().join("old.yaml"), area(&format!("{first}, {second}, {third}"))).unwrap();
    fs::write(dir.path().join("new.yaml"), area(&format!("{second}, {first}, {third}"))).unwrap();
    let out = run(dir.path(), &["diff", "old.yaml", "new.yaml", "--format", "json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = json["changes"].as_array().unwrap();
    assert!(changes.iter().all(|c| c["what"] != "changed"), "{json:#}");
    assert!(changes.iter().any(|c| c["what"] == "moved"), "{json:#}");
}

#[test]
fn typst_hints_name_no_option_this_tool_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("mine");
    fs::create_dir(&templates).unwrap();
    let style = fs::read_to_string(root().join("templates/style.typ")).unwrap();
    fs::write(templates.join("style.typ"), format!("#read(\"../../../etc/passwd\")\n{style}"))
        .unwrap();
    letter_in(dir.path(), "a.yaml");
    let out = run(dir.path(), &["render", "a.yaml", "--templates", "mine"], None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("--root"), "{err}");
}

#[test]
fn a_template_that_writes_without_end_is_stopped_with_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("mine");
    fs::create_dir(&templates).unwrap();
    let html = fs::read_to_string(root().join("templates/sqs.html.j2")).unwrap();
    fs::write(templates.join("sqs.html.j2"), format!("{{{{ \"ab\" * 40000000 }}}}\n{html}"))
        .unwrap();
    letter_in(dir.path(), "a.yaml");
    let out =
        run(dir.path(), &["render", "a.yaml", "--format", "html", "--templates", "mine"], None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("writes more than 32 MiB"), "{err}");
    assert!(err.contains("mine/sqs.html.j2"), "the template is named: {err}");
    assert!(!dir.path().join("a.html").exists());
}

#[test]
fn a_words_file_too_large_is_not_blamed_on_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let words = dir.path().join("mine/words");
    fs::create_dir_all(&words).unwrap();
    let en = fs::read_to_string(root().join("templates/words/en.yaml")).unwrap();
    let huge = format!("{en}\n# padding\nzz_padding: \"{}\"\n", "x".repeat(5_500_000));
    fs::write(words.join("en.yaml"), huge).unwrap();
    letter_in(dir.path(), "a.yaml");
    let out = run(dir.path(), &["check", "a.yaml", "--templates", "mine"], None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("aliases") && !err.contains("findings file"), "{err}");
}

#[test]
fn a_broken_svg_logo_is_located_in_the_svg_and_the_findings_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"10\"</svg>",
    )
    .unwrap();
    let yaml = letter_with("Fine.", "en") + "logo: {file: bad.svg, alt: The logo}\n";
    fs::write(dir.path().join("a.yaml"), yaml).unwrap();
    let out = run(dir.path(), &["check", "a.yaml", "--diagnostic-format", "short"], None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("bad.svg:2:"), "{err}");
    assert!(err.contains("not a well-formed SVG file"), "{err}");
    assert!(err.contains("a.yaml:"), "the findings file's line too: {err}");
}
