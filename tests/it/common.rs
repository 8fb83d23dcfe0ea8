//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, LazyLock};

use hmip_letter::letter::Letter;
use hmip_letter::{Exported, Pipeline, Setup, SourceFile, load};

/// The project's root folder.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture file's path.
pub(crate) fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// One pipeline with the embedded templates, shared by the tests.
pub(crate) fn pipeline() -> &'static Pipeline {
    static PIPELINE: LazyLock<Pipeline> =
        LazyLock::new(|| Pipeline::new(&Setup::default()).expect("the embedded templates load"));
    &PIPELINE
}

/// Renders findings text to a PDF, in process.
pub(crate) fn render_text(name: &str, yaml: &str) -> Result<Exported, hmip_letter::Error> {
    let file: Arc<SourceFile> = SourceFile::new(name, yaml);
    pipeline().export(&pipeline().load(file, None)?, &hmip_letter::Options::default())
}

/// Renders a fixture to a PDF, in process.
pub(crate) fn render_fixture(name: &str) -> Exported {
    let input = load::Input::Path(fixture(name));
    match pipeline().export_input(&input, &hmip_letter::Options::default()) {
        Ok(exported) => exported,
        Err(e) => panic!("{name} did not render: {e}"),
    }
}

/// The text of a PDF, as a reader copying it would get it.
pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf).expect("the PDF's text can be extracted")
}

/// Runs the binary in `dir` with `args`, feeding `stdin`.
pub(crate) fn run(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hmip-letter"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // The tests' results must not depend on the caller's environment.
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(input) = stdin {
        // A command that fails early may not read its input: that is fine.
        let _ = child.stdin.take().unwrap().write_all(input);
    }
    child.wait_with_output().unwrap()
}

/// Standard error of a run, as text.
pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The files in a folder, sorted by name.
pub(crate) fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// All whitespace removed, for comparing text that lines were broken in.
pub(crate) fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `haystack` holds `needle`, ignoring whitespace. Text extractors
/// put spaces where the font changes (a link, italics, a footnote mark) and
/// where lines break, so whitespace is not what these tests look at.
pub(crate) fn has(haystack: &str, needle: &str) -> bool {
    squeeze(haystack).contains(&squeeze(needle))
}

/// Runs of whitespace made single spaces.
pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A fixture loaded and checked, in process.
pub(crate) fn load_fixture(name: &str) -> hmip_letter::Loaded {
    let input = load::Input::Path(fixture(name));
    let file = load::read(&input).unwrap();
    match pipeline().load(file, input.dir()) {
        Ok(loaded) => loaded,
        Err(e) => panic!("{name} did not load: {e}"),
    }
}

/// A fixture rendered in a format, in process.
pub(crate) fn render_fixture_as(name: &str, format: hmip_letter::Format) -> Exported {
    let loaded = load_fixture(name);
    match pipeline().export(&loaded, &hmip_letter::Options { format, ..Default::default() }) {
        Ok(rendered) => rendered,
        Err(e) => panic!("{name} did not render: {e}"),
    }
}

/// The composed letter of a fixture.
pub(crate) fn letter_of(name: &str) -> hmip_letter::letter::Letter {
    let loaded = load_fixture(name);
    pipeline().compose(&loaded, &hmip_letter::Options::default()).unwrap()
}

/// The findings files of `fixtures/` (the valid letters), by name.
pub(crate) fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    names
}

/// The paragraphs around the one a property test writes, to find it by.
pub(crate) const BEFORE: &str = "Zqxjv opening marker.";
pub(crate) const AFTER: &str = "Zqxjv closing marker.";

/// A minimal letter in `language` whose summary is BEFORE, `text` and AFTER:
/// the property tests find what became of `text` between the two.
pub(crate) fn letter_with(text: &str, language: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap();
    format!(
        "language: {language}\narea: Testshire\npublished: 2020-02-03\n\
         to: {{name: A Person, role: Chair}}\nfrom: {{name: B Person, role: Inspector}}\n\
         inspection: {{fieldwork: {{from: 2020-01-06, to: 2020-01-08}}, cases: 5, team: Testshire YOT}}\n\
         summary:\n  - {BEFORE}\n  - {quoted}\n  - {AFTER}\n\
         commentary: [{{heading: Work, paragraphs: [Fine.]}}]\n\
         strengths: [Good.]\n\
         lead_inspector: {{name: C Person, email: c@example.org}}\n"
    )
}

/// Whether a program no one here wrote (Chromium, LibreOffice, Python with
/// python-docx or playwright) can be used by a test. `.ci/run` installs them
/// and sets `HMIP_LETTER_EXTERNAL=require`: then a missing one fails the
/// test. Elsewhere (a fresh machine with only the Rust toolchain) the test
/// says on standard error what it skipped, and passes.
pub(crate) fn external(what: &str, available: bool) -> bool {
    if available {
        return true;
    }
    if std::env::var("HMIP_LETTER_EXTERNAL").as_deref() == Ok("require") {
        panic!("{what} is needed by this test and is not installed (.ci/run installs it)");
    }
    eprintln!("skipped: {what} is not installed; .ci/run installs it");
    false
}

#[allow(dead_code)] // for the tests of the Word document and the browser
/// The Python that has python-docx and playwright: `HMIP_LETTER_PYTHON`
/// (set by `.ci/run` to its virtual environment), else `python3`.
pub(crate) fn python() -> String {
    std::env::var("HMIP_LETTER_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Whether `program --version` (or another probe argument) runs.
pub(crate) fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The words of the PDF a reader reads as the letter: without running
/// headers, page numbers, list bullets, and the footnotes at the foot of
/// each page (compared separately).
pub(crate) fn pdf_words(pdf: &[u8], letter: &Letter) -> String {
    letter_words(&pdf_text(pdf), letter)
}

/// The words of a PDF's text (from any extractor) a reader reads as the
/// letter, as [`pdf_words`] has them.
pub(crate) fn letter_words(pdf_text: &str, letter: &Letter) -> String {
    let [before, between, after] = &letter.furniture.page;
    let short_title = squeeze(&letter.meta.short_title.to_plain());
    let mut text: String = pdf_text
        .lines()
        .filter(|line| {
            let l = squeeze(line);
            let page_number = l.starts_with(&squeeze(before))
                && l.contains(&squeeze(between))
                && l.ends_with(&squeeze(after))
                && l.chars().any(|c| c.is_ascii_digit());
            // The draft mark across a draft's pages is text too.
            !page_number && l != short_title && l != squeeze(&letter.furniture.draft_mark)
        })
        .collect::<Vec<_>>()
        .join(" ")
        .replace('•', " ");
    for note in &letter.footnotes {
        let printed = format!("{}{}", note.number, squeeze(&note.text.to_plain()));
        text = squeeze(&text).replacen(&printed, "", 1);
    }
    text
}
