//! The one error type, and the located diagnostics it carries.
//!
//! Problems in a findings file, in a template and in the Typst layout all
//! become [`Diagnostic`]s: a message, the file it is about, the byte range in
//! that file, the key path in the findings file, and hints. `report.rs` prints
//! them all the same way, so an inspector sees one kind of message whatever
//! stage found the problem.

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A text file the tool read: a findings file, a template, generated Typst.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The name shown in messages: the path as the user gave it.
    pub name: String,
    /// The file's text.
    pub text: String,
}

impl SourceFile {
    /// A file named as messages show it, holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(Self { name: name.into(), text: text.into() })
    }

    /// The 1-based line and column of a byte offset, counting characters.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

impl SourceFile {
    /// The byte range of a 1-based line, without its line break; none past
    /// the end.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = if line <= 1 {
            0
        } else {
            self.text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)?
        };
        let end = self.text[start..].find('\n').map_or(self.text.len(), |i| start + i);
        Some(start..end)
    }

    /// The byte offset of a 1-based line and column (counting characters);
    /// a column past the line's end is its end.
    pub fn offset(&self, line: usize, column: usize) -> Option<usize> {
        let range = self.line_range(line)?;
        let text = &self.text[range.clone()];
        Some(
            text.char_indices()
                .nth(column.saturating_sub(1))
                .map_or(range.end, |(i, _)| range.start + i),
        )
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The letter cannot be written.
    Error,
    /// Legal, but probably a slip.
    Warning,
}

/// One problem, located where it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// An error or a warning.
    pub severity: Severity,
    /// What is wrong, in plain English, lowercase, no full stop.
    pub message: String,
    /// The file the problem is in, when there is one.
    pub file: Option<Arc<SourceFile>>,
    /// The bytes of `file` the problem is about.
    pub range: Option<Range<usize>>,
    /// The key path in the findings file, e.g. `commentary[2].paragraphs[0]`.
    pub key: Option<String>,
    /// What to do about it.
    pub hints: Vec<String>,
    /// The rule that found it, when a rule can be named and switched off,
    /// e.g. `long-sentence`.
    pub code: Option<String>,
    /// Other places the problem is about, such as the same paragraph in
    /// the other language of a pair.
    pub related: Vec<Related>,
    /// The bytes at `range` are personal data: wherever the source line is
    /// shown, they are masked (the caret still points at them).
    pub masked: bool,
}

/// Another place a diagnostic is about: a file, the bytes in it, the key
/// path, and what the place is ("English").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The file the place is in.
    pub file: Arc<SourceFile>,
    /// The bytes of the file it is about.
    pub range: Option<Range<usize>>,
    /// The key path there, e.g. `summary[1]`.
    pub key: Option<String>,
    /// What the place is, e.g. "English".
    pub label: String,
}

impl Related {
    /// The 1-based line and column where the place starts.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        Some(self.file.line_column(self.range.as_ref()?.start))
    }
}

impl Diagnostic {
    /// An error with only a message.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            range: None,
            key: None,
            hints: Vec::new(),
            code: None,
            related: Vec::new(),
            masked: false,
        }
    }

    /// A warning with only a message.
    pub fn warning(message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(message) }
    }

    /// Places the diagnostic in a file.
    pub fn at(mut self, file: &Arc<SourceFile>, range: Option<Range<usize>>) -> Self {
        self.file = Some(file.clone());
        self.range = range;
        self
    }

    /// Names the key path the diagnostic is about.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        let key = key.into();
        self.key = (!key.is_empty()).then_some(key);
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Names the rule that found it.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Says that the words at its place are personal data, never to be
    /// shown.
    pub fn masked(mut self) -> Self {
        self.masked = true;
        self
    }

    /// Adds another place the diagnostic is about.
    pub fn also(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    /// Whether it stops the letter from being written.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The 1-based line and column where the diagnostic starts.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        let file = self.file.as_ref()?;
        Some(file.line_column(self.range.as_ref()?.start))
    }
}

impl fmt::Display for Diagnostic {
    /// The one-line form: `file:line:col: error: message (at key)`, or
    /// `warning[rule]: …` when a rule found it, and ` [label: file:line:col]`
    /// for each other place.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}:", file.name)?;
            if let Some((line, column)) = self.line_column() {
                write!(f, "{line}:{column}:")?;
            }
            write!(f, " ")?;
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}")?;
        if let Some(code) = &self.code {
            write!(f, "[{code}]")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(key) = &self.key {
            write!(f, " (at `{key}`)")?;
        }
        for other in &self.related {
            write!(f, " [{}: {}", other.label, other.file.name)?;
            if let Some((line, column)) = other.line_column() {
                write!(f, ":{line}:{column}")?;
            }
            write!(f, "]")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {}: {}", .path.display(), io_reason(.source))]
    Read {
        /// The file.
        path: PathBuf,
        /// Why not.
        source: io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {}", .path.display(), io_reason(.source))]
    Write {
        /// The file.
        path: PathBuf,
        /// Why not.
        source: io::Error,
    },
    /// The input, a template or the layout has errors; each is located.
    #[error("{}", summarise(.0))]
    Invalid(Vec<Diagnostic>),
}

impl Error {
    /// A file could not be read.
    pub fn read(path: &Path, source: io::Error) -> Self {
        Error::Read { path: path.to_path_buf(), source }
    }

    /// A file could not be written.
    pub fn write(path: &Path, source: io::Error) -> Self {
        Error::Write { path: path.to_path_buf(), source }
    }

    /// The diagnostics to print: the located ones, or this error as one.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Invalid(diagnostics) => diagnostics.clone(),
            other => vec![Diagnostic::error(other.to_string())],
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Invalid(vec![diagnostic])
    }
}

fn summarise(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    match diagnostics.iter().find(|d| d.is_error()) {
        Some(first) if errors == 1 => first.to_string(),
        Some(first) => format!("{first} (and {} more errors)", errors - 1),
        None => "no errors".into(),
    }
}

/// The reason of an I/O error, lowercase as in our other messages.
fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or folder".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::InvalidData => "the file is not valid UTF-8 text".into(),
        _ => {
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("f.yaml", "a: 1\nŵŷ: x\n");
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(5), (2, 1));
        let x = file.text.find('x').unwrap();
        assert_eq!(file.line_column(x), (2, 5));
    }

    #[test]
    fn offsets_of_lines_and_columns() {
        let file = SourceFile::new("f.yaml", "a: 1\nŵŷ: x\n");
        assert_eq!(file.line_range(2), Some(5..12));
        assert_eq!(file.offset(2, 5), Some(file.text.find('x').unwrap()));
        assert_eq!(file.offset(1, 99), Some(4));
        assert_eq!(file.line_range(9), None);
        let (line, column) = file.line_column(file.offset(2, 5).unwrap());
        assert_eq!((line, column), (2, 5));
    }

    #[test]
    fn one_line_form() {
        let file = SourceFile::new("f.yaml", "area: 1\n");
        let d = Diagnostic::error("expected text").at(&file, Some(6..7)).key("area");
        assert_eq!(d.to_string(), "f.yaml:1:7: error: expected text (at `area`)");
        let d = Diagnostic::warning("long").at(&file, Some(0..4)).code("long-sentence");
        assert_eq!(d.to_string(), "f.yaml:1:1: warning[long-sentence]: long");
    }

    #[test]
    fn one_line_form_names_the_other_place() {
        let en = SourceFile::new("en.yaml", "cases: 12\n");
        let cy = SourceFile::new("cy.yaml", "\ncases: 14\n");
        let d = Diagnostic::error("cases differ").at(&cy, Some(8..10)).key("cases").also(Related {
            file: en,
            range: Some(7..9),
            key: Some("cases".into()),
            label: "English".into(),
        });
        assert_eq!(
            d.to_string(),
            "cy.yaml:2:8: error: cases differ (at `cases`) [English: en.yaml:1:8]"
        );
    }
}
