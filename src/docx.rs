//! The letter as a Word document, and what comes back in it.
//!
//! The factual accuracy check of a draft happens in Word: the service
//! inspected comments on the draft and proposes corrections as tracked
//! changes. `render --format docx` writes the draft (its body by the
//! letter's template `sqs.docx.j2`, its other parts by [`package`], in a
//! zip of our own, `zip.rs`); every paragraph is inside a bookmark named
//! after its place in the letter ([`places`]). `hmip-letter comments`
//! reads the returned document back ([`returned`]): each comment and
//! change at its place, found by those bookmarks, and with the findings
//! file at the line it came from; [`response`] writes them as the table
//! the inspectorate answers in.

use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Diagnostic, Error, SourceFile};
use crate::letter::Letter;
use crate::load::Loaded;
use package::Reference;

pub(crate) mod package;
pub mod places;
pub mod response;
pub mod returned;
pub(crate) mod zip;

pub use package::REFERENCE;
pub use returned::{Point, Said};

/// One part of a Word document (`word/document.xml`), inflated; `None`
/// when the document has no such part. The error says why the file is not
/// a document that can be read.
pub fn part(document: &[u8], name: &str) -> Result<Option<Vec<u8>>, String> {
    zip::Archive::read(document).and_then(|archive| archive.part(name)).map_err(|e| e.0)
}

/// The points of a returned draft, and where each is in the findings file
/// when it was given.
#[derive(Debug)]
pub struct Returned {
    /// The document's name, as given.
    pub name: String,
    /// The comments and changes, in the order of the document.
    pub points: Vec<Point>,
    /// The findings file, if given, and the bytes of each point's place
    /// in it (none for the tool's own words).
    pub findings: Option<Located>,
}

/// The findings file, and the bytes in it of each point's place, in the
/// order of the points.
pub type Located = (Arc<SourceFile>, Vec<Option<Range<usize>>>);

/// Reads a returned draft, and with `findings` (the file it was rendered
/// from, loaded, and its letter) gives each point the line of its place
/// there. An unreadable document is one error naming it.
/// (`Pipeline::comments` loads and composes the findings.)
pub(crate) fn comments(
    document: &Path,
    findings: Option<(&Loaded, &Letter)>,
) -> Result<Returned, Error> {
    let name = document.display().to_string();
    let file = std::fs::File::open(document).map_err(|e| Error::read(document, e))?;
    let mut bytes = Vec::new();
    file.take(zip::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::read(document, e))?;
    let mut points = returned::read(&bytes).map_err(|e| {
        Diagnostic::error(format!("cannot read {name} as a Word document: {}", e.0))
            .hint("give the .docx the draft came back as, saved by Word or LibreOffice")
    })?;
    let findings = match findings {
        None => None,
        Some((loaded, letter)) => {
            returned::locate(&mut points, &places::of(letter));
            let ranges = points
                .iter()
                .map(|p| p.place.key.as_deref().and_then(|key| loaded.index.range_of(key)))
                .collect();
            Some((loaded.file.clone(), ranges))
        }
    };
    Ok(Returned { name, points, findings })
}

impl Returned {
    /// Each point as a diagnostic: `PLACE: WHO: TEXT` at the place's line
    /// in the findings file, with what it is on and the draft's text.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.points
            .iter()
            .enumerate()
            .map(|(i, point)| {
                let mut d = Diagnostic::warning(self.line(point));
                if let Some((file, ranges)) = &self.findings
                    && let Some(range) = &ranges[i]
                {
                    d = d.at(file, Some(range.clone()));
                }
                if let Some(on) = point.anchor() {
                    d = d.hint(format!("on: \"{}\"", shortened(on)));
                }
                if point.place.guess {
                    d = d.hint("the place is a guess: its bookmark is gone from the document");
                }
                if !point.draft.is_empty() {
                    d = d.hint(format!("the draft: \"{}\"", shortened(&point.draft)));
                }
                d
            })
            .collect()
    }

    /// `PLACE: WHO: TEXT`, the place marked when it is a guess.
    fn line(&self, point: &Point) -> String {
        let guess = if point.place.guess { " (a guess)" } else { "" };
        let who = if point.who.is_empty() { "(no name)" } else { point.who.as_str() };
        let words = point.said.words().split_whitespace().collect::<Vec<_>>().join(" ");
        format!("{}{guess}: {who}: {words}", point.place.label)
    }

    /// One line a point: `FILE:LINE:COL: PLACE: WHO: TEXT`, where FILE is
    /// the findings file when the place is found in it, else the document.
    pub fn short(&self) -> String {
        let mut out = String::new();
        for (i, point) in self.points.iter().enumerate() {
            let at = self.findings.as_ref().and_then(|(file, ranges)| {
                let range = ranges[i].as_ref()?;
                let (line, column) = file.line_column(range.start);
                Some(format!("{}:{line}:{column}", file.name))
            });
            let at = at.unwrap_or_else(|| self.name.clone());
            out.push_str(&format!("{at}: {}\n", self.line(point)));
        }
        out
    }
}

/// A text of at most 160 characters, cut at a word with "…".
fn shortened(text: &str) -> String {
    if text.chars().count() <= 160 {
        return text.to_string();
    }
    let cut: String = text.chars().take(160).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// The response table as a Word document, in the styles of `reference`.
pub(crate) fn response_docx(reference: &Reference, returned: &Returned) -> Result<Vec<u8>, Error> {
    Ok(response::docx(&returned.points, &returned.title(), reference)?)
}

impl Returned {
    /// The document's file name, to title the response table.
    pub fn title(&self) -> String {
        Path::new(&self.name)
            .file_name()
            .map_or_else(|| self.name.clone(), |n| n.to_string_lossy().into_owned())
    }
}
