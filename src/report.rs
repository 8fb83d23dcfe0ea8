//! Printing diagnostics the way rustc and typst do: the message, the file,
//! line and column, the source line with the spot marked, and hints.
//!
//! Every error of the tool goes through here, whether it came from the YAML
//! parser, a check, a template or Typst, so they all look alike. The short
//! form (`file:line:col: error: message`) is for editors and CI logs.

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
}

/// Diagnostics as text without colour, as they are printed.
pub fn to_string(diagnostics: &[Diagnostic], format: DiagnosticFormat) -> String {
    match format {
        DiagnosticFormat::Short => diagnostics.iter().map(|d| format!("{d}\n")).collect(),
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
    if format == DiagnosticFormat::Short || !color {
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
}
