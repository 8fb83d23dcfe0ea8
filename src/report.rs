//! Printing diagnostics the way rustc and typst do: the message, the file,
//! line and column, the source line with the spot marked, and hints.
//!
//! Every error of the tool goes through here, whether it came from the YAML
//! parser, a check, a template or Typst, so they all look alike. The short
//! form (`file:line:col: error: message`) is for editors and CI logs; the
//! GitHub form is workflow commands (`::error file=…,line=…::message`),
//! which GitHub Actions shows at the line of the pull request.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};

use crate::error::{Diagnostic, Severity, SourceFile};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiagnosticFormat {
    /// The message with the source line shown and the spot marked.
    #[default]
    Human,
    /// One `file:line:col: severity: message` line each.
    Short,
    /// One GitHub Actions workflow command each: `::error file=F,line=L,col=C,title=T::message`.
    Github,
}

/// Diagnostics as text without colour, as they are printed.
pub fn to_string(diagnostics: &[Diagnostic], format: DiagnosticFormat) -> String {
    match format {
        DiagnosticFormat::Short => {
            diagnostics.iter().map(|d| format!("{}\n", visible(&d.to_string()))).collect()
        }
        DiagnosticFormat::Github => {
            diagnostics.iter().map(|d| visible(&github(d)).into_owned()).collect()
        }
        DiagnosticFormat::Human => {
            let (files, reports) = prepare(diagnostics);
            let config = Config::default();
            reports
                .iter()
                .zip(diagnostics)
                // A diagnostic codespan cannot draw is still printed, on one line.
                .map(|(r, d)| {
                    term::emit_into_string(&config, &files, r)
                        .unwrap_or_else(|_| format!("{}\n", visible(&d.to_string())))
                })
                .collect()
        }
    }
}

/// Prints diagnostics to standard error, in colour on a terminal.
pub fn print(diagnostics: &[Diagnostic], format: DiagnosticFormat) -> io::Result<()> {
    let stderr = io::stderr();
    let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if format != DiagnosticFormat::Human || !color {
        return stderr.lock().write_all(to_string(diagnostics, format).as_bytes());
    }
    let (files, reports) = prepare(diagnostics);
    let config = Config::default();
    let styles = term::Styles::default();
    let mut out = term::termcolor::StandardStream::stderr(term::termcolor::ColorChoice::Auto);
    let mut writer = term::StylesWriter::new(&mut out, &styles);
    for (report, diagnostic) in reports.iter().zip(diagnostics) {
        if term::emit_to_write_style(&mut writer, &config, &files, report).is_err() {
            // One codespan cannot draw is still printed, on one line.
            writeln!(io::stderr().lock(), "{}", visible(&diagnostic.to_string()))?;
        }
    }
    Ok(())
}

/// One diagnostic as a GitHub Actions workflow command, on one line: the
/// file, the place from its first to its last character, a title, and the
/// message with its key, hints and other places.
fn github(d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = Vec::new();
    if let Some(file) = &d.file {
        properties.push(format!("file={}", property(&file.name)));
        if let Some(range) = &d.range {
            let (line, column) = file.line_column(range.start);
            let last = range.end.saturating_sub(1).max(range.start);
            let (end_line, end_column) = file.line_column(last);
            properties.push(format!("line={line},col={column}"));
            properties.push(format!("endLine={end_line},endColumn={end_column}"));
        }
    }
    let title = match &d.code {
        Some(code) => format!("hmip-letter: {code}"),
        None => "hmip-letter".to_string(),
    };
    properties.push(format!("title={}", property(&title)));
    let mut message = d.message.clone();
    if let Some(key) = &d.key {
        message.push_str(&format!(" (at `{key}`)"));
    }
    for other in &d.related {
        message.push_str(&format!("\n{}: {}", other.label, other.file.name));
        if let Some((line, column)) = other.line_column() {
            message.push_str(&format!(":{line}:{column}"));
        }
    }
    for hint in &d.hints {
        message.push_str(&format!("\nhint: {hint}"));
    }
    format!("::{level} {}::{}\n", properties.join(","), data(&message))
}

/// A workflow command's message, with its line breaks and `%` escaped.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value, with `:` and `,` escaped too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

type Files = SimpleFiles<String, String>;

/// Turns our diagnostics into codespan's, adding each file once, as it may
/// be shown ([`Shown`]).
fn prepare(diagnostics: &[Diagnostic]) -> (Files, Vec<Report<usize>>) {
    let mut masks: HashMap<*const SourceFile, Vec<Range<usize>>> = HashMap::new();
    for d in diagnostics.iter().filter(|d| d.masked) {
        if let (Some(file), Some(range)) = (&d.file, &d.range) {
            masks.entry(Arc::as_ptr(file)).or_default().push(range.clone());
        }
    }
    let mut files = Files::new();
    let mut shown: HashMap<*const SourceFile, (usize, Shown)> = HashMap::new();
    let mut place = |file: &Arc<SourceFile>, range: &Range<usize>| {
        let (id, text) = shown.entry(Arc::as_ptr(file)).or_insert_with(|| {
            let masked = masks.get(&Arc::as_ptr(file)).map_or(&[][..], Vec::as_slice);
            let text = Shown::of(&file.text, masked);
            (files.add(visible(&file.name).into_owned(), text.text.clone()), text)
        });
        (*id, text.range(range))
    };
    let reports = diagnostics
        .iter()
        .map(|d| {
            let level = match d.severity {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
            };
            let mut report = Report::new(level).with_message(visible(&d.message));
            if let Some(code) = &d.code {
                report = report.with_code(visible(code));
            }
            if let (Some(file), Some(range)) = (&d.file, &d.range) {
                let (id, range) = place(file, range);
                let label = Label::primary(id, range);
                let label = match &d.key {
                    Some(key) => label.with_message(format!("in `{}`", visible(key))),
                    None => label,
                };
                report = report.with_labels(vec![label]);
            } else if let Some(file) = &d.file {
                report = report.with_notes(vec![format!("in {}", visible(&file.name))]);
            }
            for other in &d.related {
                let what = match &other.key {
                    Some(key) => format!("{}: `{key}`", other.label),
                    None => other.label.clone(),
                };
                let what = visible(&what).into_owned();
                match &other.range {
                    Some(range) => {
                        let (id, range) = place(&other.file, range);
                        report.labels.push(Label::secondary(id, range).with_message(what));
                    }
                    None => {
                        report.notes.push(format!("{what} in {}", visible(&other.file.name)));
                    }
                }
            }
            let notes = d.hints.iter().map(|h| format!("hint: {}", visible(h)));
            report.notes.extend(notes);
            report
        })
        .collect();
    // The files are only read from now on.
    (files, reports)
}

/// Text as it may be written to a terminal: control characters (C0 but
/// line breaks and tabs, DEL, C1) and the bidirectional controls that
/// reorder a line, as visible escapes (`\u{1b}`), never raw. A file someone
/// sent cannot retitle the terminal, clear the screen or hide a line.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// Characters that act on a terminal or reorder its line rather than show.
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_visible(out: &mut String, c: char) {
    if is_hidden(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// A source file as it is shown under a message: [`visible`], with the
/// personal data of masked diagnostics as `*`, and where each byte of the
/// file went, so the caret still points at the right place.
struct Shown {
    text: String,
    /// For each byte offset of the file (and its end), the offset in
    /// `text`; `None` when nothing moved.
    moved: Option<Vec<usize>>,
}

impl Shown {
    fn of(text: &str, masks: &[Range<usize>]) -> Self {
        let masked = |at: usize| masks.iter().any(|m| m.contains(&at));
        if masks.is_empty() && !text.chars().any(is_hidden) {
            return Shown { text: text.to_string(), moved: None };
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut moved = vec![0; text.len() + 1];
        for (at, c) in text.char_indices() {
            moved[at..at + c.len_utf8()].fill(out.len());
            match c {
                '\n' => out.push('\n'),
                _ if masked(at) => out.push('*'),
                _ => push_visible(&mut out, c),
            }
        }
        moved[text.len()] = out.len();
        Shown { text: out, moved: Some(moved) }
    }

    fn range(&self, range: &Range<usize>) -> Range<usize> {
        match &self.moved {
            None => range.clone(),
            Some(moved) => {
                let at = |offset: usize| moved.get(offset).copied().unwrap_or(self.text.len());
                at(range.start)..at(range.end)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_as_escapes_and_personal_data_masked() {
        let file = SourceFile::new(
            "a\u{1b}]0;x\u{7}.yaml",
            "area: \u{1b}[2J\u{0}Bar\u{202e}net\nni: AB 12 34 56 C\n",
        );
        let text = &file.text;
        let at = text.find("Bar").unwrap();
        let bad = Diagnostic::error("odd \u{1b}[31m").at(&file, Some(at..at + 3)).key("area");
        let ni = text.find("AB").unwrap();
        let personal = Diagnostic::error("an NI number").at(&file, Some(ni..ni + 13)).masked();
        let shown = to_string(&[bad.clone(), personal], DiagnosticFormat::Human);
        for hidden in ['\u{1b}', '\u{0}', '\u{7}', '\u{202e}'] {
            assert!(!shown.contains(hidden), "{shown:?}");
        }
        assert!(shown.contains(r"area: \u{1b}[2J\u{0}Bar\u{202e}net"), "{shown}");
        assert!(shown.contains("ni: *************\n"), "{shown}");
        assert!(!shown.contains("AB 12"), "{shown}");
        assert!(shown.contains("^^^ in `area`"), "the caret is still under Bar: {shown}");
        let short = to_string(&[bad], DiagnosticFormat::Short);
        assert!(!short.contains('\u{1b}') && short.contains(r"odd \u{1b}[31m"), "{short}");
    }

    #[test]
    fn human_form_shows_the_line_and_marks_the_spot() {
        let file = SourceFile::new("letter.yaml", "area: Barnet\nstrenghts: []\n");
        let d = Diagnostic::error("unknown key \"strenghts\"; did you mean \"strengths\"?")
            .at(&file, Some(13..22))
            .key("strenghts")
            .hint("keys are lowercase");
        let text = to_string(&[d], DiagnosticFormat::Human);
        assert!(text.contains("error: unknown key \"strenghts\""), "{text}");
        assert!(text.contains("letter.yaml:2:1"), "{text}");
        assert!(text.contains("2 │ strenghts: []"), "{text}");
        assert!(text.contains("^^^^^^^^^ in `strenghts`"), "{text}");
        assert!(text.contains("= hint: keys are lowercase"), "{text}");
    }

    #[test]
    fn human_form_shows_the_other_place_too() {
        let en = SourceFile::new("en.yaml", "cases: 12\n");
        let cy = SourceFile::new("cy.yaml", "area: Caerdydd\ncases: 14\n");
        let d = Diagnostic::error("cases differ").at(&cy, Some(22..24)).key("cases").also(
            crate::error::Related {
                file: en,
                range: Some(7..9),
                key: Some("cases".into()),
                label: "English".into(),
            },
        );
        let text = to_string(&[d], DiagnosticFormat::Human);
        assert!(text.contains("cy.yaml:2:8"), "{text}");
        assert!(text.contains("en.yaml:1:8"), "{text}");
        assert!(text.contains("^^ in `cases`"), "{text}");
        assert!(text.contains("-- English: `cases`"), "{text}");
    }

    #[test]
    fn short_form_is_one_line() {
        let file = SourceFile::new("letter.yaml", "area: Barnet\n");
        let d = Diagnostic::warning("odd").at(&file, Some(6..12));
        assert_eq!(to_string(&[d], DiagnosticFormat::Short), "letter.yaml:1:7: warning: odd\n");
    }

    #[test]
    fn github_form_is_one_workflow_command_with_escapes() {
        let file = SourceFile::new("letters/a,b.yaml", "area: Barnet\ncases: x\n");
        let d = Diagnostic::error("expected a whole number, found \"x\" (100%)")
            .at(&file, Some(20..21))
            .key("inspection.cases")
            .hint("write the number in figures, e.g. 20");
        assert_eq!(
            to_string(&[d], DiagnosticFormat::Github),
            "::error file=letters/a%2Cb.yaml,line=2,col=8,endLine=2,endColumn=8,title=hmip-letter::\
             expected a whole number, found \"x\" (100%25) (at `inspection.cases`)%0A\
             hint: write the number in figures, e.g. 20\n"
        );
        let w = Diagnostic::warning("long sentence").code("long-sentence");
        assert_eq!(
            to_string(&[w], DiagnosticFormat::Github),
            "::warning title=hmip-letter%3A long-sentence::long sentence\n"
        );
    }
}
