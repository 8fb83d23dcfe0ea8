//! Printing diagnostics the way rustc and typst do: the message, the file,
//! line and column, the source line with the spot marked, and hints.
//!
//! Every error of the tool goes through here, whether it came from the YAML
//! parser, a check, a template or Typst, so they all look alike. The short
//! form (`file:line:col: error: message`) is for editors and CI logs; the
//! GitHub form is workflow commands (`::error file=…,line=…::message`),
//! which GitHub Actions shows at the line of the pull request.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
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
        DiagnosticFormat::Short => diagnostics.iter().map(|d| format!("{d}\n")).collect(),
        DiagnosticFormat::Github => diagnostics.iter().map(github).collect(),
        DiagnosticFormat::Human => {
            let (files, reports) = prepare(diagnostics);
            let config = Config::default();
            reports
                .iter()
                .zip(diagnostics)
                // A diagnostic codespan cannot draw is still printed, on one line.
                .map(|(r, d)| {
                    term::emit_into_string(&config, &files, r).unwrap_or_else(|_| format!("{d}\n"))
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
            writeln!(io::stderr().lock(), "{diagnostic}")?;
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

/// Turns our diagnostics into codespan's, adding each file once.
fn prepare(diagnostics: &[Diagnostic]) -> (Files, Vec<Report<usize>>) {
    let mut files = Files::new();
    let mut ids: HashMap<*const SourceFile, usize> = HashMap::new();
    let mut id_of = |file: &Arc<SourceFile>| {
        *ids.entry(Arc::as_ptr(file))
            .or_insert_with(|| files.add(file.name.clone(), file.text.clone()))
    };
    let reports = diagnostics
        .iter()
        .map(|d| {
            let level = match d.severity {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
            };
            let mut report = Report::new(level).with_message(&d.message);
            if let Some(code) = &d.code {
                report = report.with_code(code);
            }
            if let (Some(file), Some(range)) = (&d.file, &d.range) {
                let label = Label::primary(id_of(file), range.clone());
                let label = match &d.key {
                    Some(key) => label.with_message(format!("in `{key}`")),
                    None => label,
                };
                report = report.with_labels(vec![label]);
            } else if let Some(file) = &d.file {
                report = report.with_notes(vec![format!("in {}", file.name)]);
            }
            for other in &d.related {
                let what = match &other.key {
                    Some(key) => format!("{}: `{key}`", other.label),
                    None => other.label.clone(),
                };
                match &other.range {
                    Some(range) => report.labels.push(
                        Label::secondary(id_of(&other.file), range.clone()).with_message(what),
                    ),
                    None => report.notes.push(format!("{what} in {}", other.file.name)),
                }
            }
            let notes = d.hints.iter().map(|h| format!("hint: {h}"));
            report.notes.extend(notes);
            report
        })
        .collect();
    // The files are only read from now on.
    (files, reports)
}

#[cfg(test)]
mod tests {
    use super::*;

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
