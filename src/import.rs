//! `hmip-letter import`: a published letter read back into the findings
//! file whose render is the same letter.
//!
//! ```text
//! LETTER.txt | LETTER.pdf | LETTER.docx → lines (text.rs | pdf.rs | docx.rs)
//!     → blocks (blocks.rs)
//!     → recognised by the words files (recognise.rs, patterns.rs) → a draft (draft.rs)
//!     → the findings file, written as a person would (draft.rs, inline.rs)
//! ```
//!
//! The letters the inspectorate published before this tool have no
//! findings file; re-publishing one (a new address, an accessible web
//! page) meant retyping it. The import recognises the parts of a letter by
//! the words the tool itself writes, taken from the words files, so what
//! the tool writes for itself is left to the tool and only what the
//! inspector wrote comes back. What it cannot place is reported with its
//! page and line and kept as a comment; what the findings need and the
//! letter lacks is a located error and a `TODO` in the file.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{Diagnostic, Error, SourceFile};
use crate::model::Organisation;
use crate::words::Words;

mod blocks;
mod docx;
mod draft;
mod inline;
mod lines;
mod patterns;
pub mod pdf;
mod recognise;
mod text;

pub use lines_public::LetterText;

/// The largest letter read: a letter is a few pages; a bigger file is the
/// wrong file, and refusing it keeps the import's time and memory bounded.
pub const MAX_LETTER_BYTES: usize = 16 * 1024 * 1024;

/// A letter read back into findings.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The findings file, comments and all.
    pub yaml: String,
    /// What the import could not place (warnings) and what the findings
    /// need that the letter lacks (errors), each at its page and line of
    /// the letter.
    pub problems: Vec<Diagnostic>,
    /// The letter's text as read, one line a line and a form feed between
    /// pages: what the problems are located in.
    pub text: Arc<SourceFile>,
}

mod lines_public {
    /// The words of a letter as read, a passage each, for `import --check`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct LetterText {
        /// Each passage: where it starts ("page 2, line 14") and its words.
        pub passages: Vec<(String, String)>,
    }
}

/// Reads a letter (a PDF, a Word document, or a text export) into findings.
pub(crate) fn import(
    name: &str,
    bytes: &[u8],
    words: &BTreeMap<String, Words>,
    organisation: &Organisation,
    starter: &str,
) -> Result<Imported, Error> {
    let (lines, hints) = read(name, bytes)?;
    let text = text_of(name, bytes, &lines);
    let recognised = recognise::recognise(name, &lines, words, organisation, &hints)
        .map_err(|d| Error::from(d.at(&text, Some(0..0))))?;
    let yaml = draft::write(&recognised.draft, starter);
    let problems = recognised
        .problems
        .into_iter()
        .map(|(at, message)| {
            let message_is_logo = message.starts_with("the letter has a logo");
            let message_is_columns = message.starts_with("the copy list came as two columns");
            let is_error =
                !message.starts_with("could not place") && !message_is_logo && !message_is_columns;
            let is_pdf = text.name.ends_with("(its text)");
            let range = at.and_then(|at| match is_pdf {
                true => lines.iter().position(|l| l.at == at).and_then(|i| text.line_range(i + 1)),
                false => place_range(&text, at),
            });
            let message = match at {
                Some(at) if is_pdf => format!("{message} (page {}, line {})", at.page, at.line),
                _ => message,
            };
            let d =
                if is_error { Diagnostic::error(message) } else { Diagnostic::warning(message) };
            let d = d.at(&text, range.or(Some(0..0)));
            if is_error {
                d.hint(
                    "the findings file has a TODO there: fill it in from the inspection's records",
                )
            } else if message_is_columns {
                d.hint("each row has an `# import:` comment")
            } else if message_is_logo {
                d.hint("the findings file has the logo's alt text in a comment where `logo:` goes")
            } else {
                d.hint("it is kept as a comment at the end of the findings file")
            }
        })
        .collect();
    Ok(Imported { yaml, problems, text })
}

/// The letter's passages as read, for comparing with a render.
pub(crate) fn passages(
    name: &str,
    bytes: &[u8],
    words: &BTreeMap<String, Words>,
    organisation: &Organisation,
) -> Result<LetterText, Error> {
    let (lines, _) = read(name, bytes)?;
    Ok(LetterText { passages: recognise::passages(&lines, words, organisation) })
}

/// The lines of a letter and what else its file says.
fn read(name: &str, bytes: &[u8]) -> Result<(Vec<lines::Line>, recognise::Hints), Error> {
    if bytes.len() > MAX_LETTER_BYTES {
        return Err(Diagnostic::error(format!(
            "{name} is larger than {} MiB, too large to be a letter",
            MAX_LETTER_BYTES / 1024 / 1024
        ))
        .into());
    }
    if bytes.starts_with(b"%PDF-") || name.to_ascii_lowercase().ends_with(".pdf") {
        let read = pdf::read(name, bytes)?;
        let hints =
            recognise::Hints { keywords: read.keywords, figures: read.figures, text_export: false };
        return Ok((read.lines, hints));
    }
    if docx::is_word(bytes) || name.to_ascii_lowercase().ends_with(".docx") {
        let read = docx::read(name, bytes)?;
        let hints =
            recognise::Hints { keywords: read.keywords, figures: read.figures, text_export: false };
        return Ok((read.lines, hints));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(format!(
            "{name} is neither a PDF nor UTF-8 text (byte {} is not UTF-8)",
            e.valid_up_to()
        ))
        .hint(
            "import reads a letter's PDF, its Word document, or its text as `pdftotext` writes it",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok((text::lines(text), recognise::Hints { text_export: true, ..recognise::Hints::default() }))
}

/// The letter's text as problems are located in: the file itself when it
/// is text, else the lines read, one a line (messages name the page and
/// line).
fn text_of(name: &str, bytes: &[u8], lines: &[lines::Line]) -> Arc<SourceFile> {
    if let Ok(text) = std::str::from_utf8(bytes)
        && !bytes.starts_with(b"%PDF-")
        && !docx::is_word(bytes)
        && !name.to_ascii_lowercase().ends_with(".docx")
    {
        return SourceFile::new(name, text.strip_prefix('\u{feff}').unwrap_or(text));
    }
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&l.plain());
    }
    SourceFile::new(format!("{name} (its text)"), out)
}

/// The bytes of a page and line of the letter's text.
fn place_range(text: &SourceFile, at: lines::Place) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for _ in 1..at.page {
        start += text.text[start..].find('\u{c}')? + 1;
    }
    for _ in 1..at.line {
        start += text.text[start..].find('\n')? + 1;
    }
    let end = text.text[start..].find(['\n', '\u{c}']).map_or(text.text.len(), |i| start + i);
    Some(start..end)
}
