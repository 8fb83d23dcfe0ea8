//! The letter as it was read: lines of cells, each line with the page and
//! line it is on, whatever it was read from.
//!
//! A text export (`pdftotext`, with or without `-layout`, or the marked-up
//! export of `tests/reference/barnet-sqs-2014.txt`) and a PDF read in
//! process both become [`Line`]s; everything after this reads lines only,
//! so each reader decides only what it can see (a tab, a wide gap, an
//! italic font) and the letter is recognised once.

use crate::letter::{Inline, Text};

/// Where something was in the letter: 1-based page and line on that page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Place {
    /// The page, from 1.
    pub(crate) page: usize,
    /// The line on that page, from 1.
    pub(crate) line: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "page {}, line {}", self.page, self.line)
    }
}

/// One line of the letter.
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    /// Where it is.
    pub(crate) at: Place,
    /// Its cells, left to right: text separated by a tab or a wide gap, as
    /// the label and value of a table row are.
    pub(crate) cells: Vec<Cell>,
    /// Whether it is in a smaller type than the body (small print and
    /// footnotes), where the reader can tell.
    pub(crate) small: bool,
    /// Whether it starts a paragraph whatever comes before (a footnote, the
    /// draft mark), where the reader can tell.
    pub(crate) gap_before: bool,
    /// Its baseline and type size in points, where the reader knows them: a
    /// new paragraph is a wider space between baselines than a line's.
    pub(crate) baseline: Option<(f32, f32)>,
    /// Whether it is in the footnotes at the foot of its page.
    pub(crate) note: bool,
    /// Whether it is a whole paragraph as the file marks it (a Word
    /// paragraph, a table row): a block of its own, that no line before
    /// or after joins.
    pub(crate) whole: bool,
    /// Where its last glyph ends, in tenths of a point, where the reader
    /// knows it (a PDF).
    pub(crate) right: Option<i64>,
}

/// Text in one column of a line.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    /// How far from the left it starts, in characters of a text export or
    /// in tenths of a point of a PDF: only compared within one letter.
    pub(crate) indent: i64,
    /// What it says.
    pub(crate) text: Text,
}

impl Line {
    /// The line's words, cells joined by a space.
    pub(crate) fn plain(&self) -> String {
        let cells: Vec<String> = self.cells.iter().map(|c| c.text.to_plain()).collect();
        squeeze(&cells.join(" "))
    }

    /// Whether nothing is written on it.
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.text.to_plain().trim().is_empty())
    }
}

/// Appends `next` to `text` after a space, as a wrapped line goes on: an
/// emphasis, bold or link that runs on over the break stays one.
pub(crate) fn join(text: &mut Text, next: Text) {
    if text.is_empty() {
        *text = next;
        return;
    }
    // A line broken after a word's hyphen ("Multi-" / "Agency") goes on
    // without a space.
    let space = if at_hyphen(&text.to_plain(), &next.to_plain()) { "" } else { " " };
    let mut runs = next.runs.into_iter();
    let first = runs.next();
    let merged = match (text.runs.last_mut(), first) {
        (Some(Inline::Emphasis { content: a }), Some(Inline::Emphasis { content: b }))
        | (Some(Inline::Strong { content: a }), Some(Inline::Strong { content: b })) => {
            a.push(Inline::Text { text: space.into() });
            a.extend(b);
            None
        }
        (Some(Inline::Link { url: u, content: a }), Some(Inline::Link { url: v, content: b }))
            if *u == v =>
        {
            // An address broken at the margin goes on without a space.
            let before = Text { runs: a.clone(), key: None }.to_plain();
            let after = Text { runs: b.clone(), key: None }.to_plain();
            let address = u.strip_prefix("mailto:").unwrap_or(u);
            if !address.starts_with(&format!("{before}{after}")) {
                a.push(Inline::Text { text: " ".into() });
            }
            a.extend(b);
            None
        }
        (_, first) => first,
    };
    if let Some(first) = merged {
        text.push(Inline::Text { text: space.into() });
        text.push(first);
    }
    for run in runs {
        text.push(run);
    }
    *text = tidy(text);
}

/// How a piece of text is set: what run it belongs to.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Look {
    /// In italics, as the findings' emphasis is.
    pub(crate) italic: bool,
    /// In bold.
    pub(crate) bold: bool,
    /// Linked to this address.
    pub(crate) link: Option<String>,
    /// A footnote's mark: its words are the note's number.
    pub(crate) mark: bool,
}

/// Pieces of text, each with how it is set, as runs: a mark's number
/// becomes a note, emphasis inside bold inside a link, spaces at a
/// style's ends outside it, and a run joined to the one before when both
/// are set alike. The PDF reader gives the pieces of a line's glyphs, the
/// Word reader those of a paragraph's runs.
pub(crate) fn styled(pieces: Vec<(Look, String)>) -> Text {
    let mut text = Text::default();
    for (style, words) in pieces {
        if style.mark {
            let digits = words.trim();
            if let Ok(number) = digits.parse::<usize>() {
                text.push(Inline::Note { number, body: None });
                continue;
            }
        }
        let lead = words.len() - words.trim_start().len();
        let trimmed = words.trim();
        let trail = words.trim_end().len() < words.len();
        if lead > 0 {
            text.push(Inline::Text { text: " ".into() });
        }
        if trimmed.is_empty() {
            continue;
        }
        let mut run = Inline::Text { text: trimmed.to_string() };
        if style.italic {
            run = Inline::Emphasis { content: vec![run] };
        }
        if style.bold {
            run = Inline::Strong { content: vec![run] };
        }
        if let Some(url) = style.link {
            run = Inline::Link { url, content: vec![run] };
        }
        push_joined(&mut text, run);
        if trail {
            text.push(Inline::Text { text: " ".into() });
        }
    }
    tidy(&text)
}

/// Appends a run, joining it to the run before when both are the same
/// emphasis, bold or link.
fn push_joined(text: &mut Text, run: Inline) {
    if let Some(last) = text.runs.last_mut() {
        match (last, &run) {
            (Inline::Emphasis { content: a }, Inline::Emphasis { content: b })
            | (Inline::Strong { content: a }, Inline::Strong { content: b }) => {
                for r in b.clone() {
                    push_into(a, r);
                }
                return;
            }
            (Inline::Link { url: u, content: a }, Inline::Link { url: v, content: b })
                if u == v =>
            {
                for r in b.clone() {
                    push_into(a, r);
                }
                return;
            }
            _ => {}
        }
    }
    text.push(run);
}

fn push_into(runs: &mut Vec<Inline>, run: Inline) {
    let mut text = Text { runs: std::mem::take(runs), key: None };
    push_joined(&mut text, run);
    *runs = text.runs;
}

/// Whether a line that ends `before` was broken at the hyphen of a word
/// that goes on in `after`: a letter and a hyphen, then a letter. A hyphen
/// that stands for a word left out ("pre- and post-sentence") is followed
/// by "and", "or" or "to" (in Welsh "a", "ac", "neu", "i"), and keeps its
/// space.
fn at_hyphen(before: &str, after: &str) -> bool {
    let mut end = before.chars().rev();
    let (Some('-'), Some(letter)) = (end.next(), end.next()) else { return false };
    let word = after.split_whitespace().next().unwrap_or("");
    letter.is_alphabetic()
        && word.starts_with(char::is_alphabetic)
        && !matches!(word, "and" | "or" | "to" | "nor" | "a" | "ac" | "neu" | "i" | "na")
}

/// White space of any kind and length read as one space, none at the ends.
pub(crate) fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs with their white space squeezed, as a reader reads them: runs of
/// white space become one space, none at either end, and emphasis never
/// starts or ends with a space (it moves outside).
pub(crate) fn tidy(text: &Text) -> Text {
    let mut out = Text::default();
    tidy_into(&text.runs, &mut out.runs);
    trim_runs(&mut out.runs);
    out
}

fn tidy_into(runs: &[Inline], out: &mut Vec<Inline>) {
    for run in runs {
        match run {
            Inline::Text { text } => push_text(out, text),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => {
                let mut inner = Vec::new();
                tidy_into(content, &mut inner);
                let lead = starts_with_space(&inner);
                let trail = ends_with_space(&inner);
                trim_runs(&mut inner);
                if lead {
                    push_text(out, " ");
                }
                if !inner.is_empty() {
                    out.push(match run {
                        Inline::Emphasis { .. } => Inline::Emphasis { content: inner },
                        Inline::Strong { .. } => Inline::Strong { content: inner },
                        Inline::Link { url, .. } => {
                            Inline::Link { url: url.clone(), content: inner }
                        }
                        _ => unreachable!("matched above"),
                    });
                }
                if trail {
                    push_text(out, " ");
                }
            }
            Inline::Note { .. } => out.push(run.clone()),
        }
    }
}

/// Appends words, one space for any white space, joined to a last run of
/// words.
fn push_text(out: &mut Vec<Inline>, text: &str) {
    let mut squeezed = String::new();
    let mut space = ends_with_space(out);
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                squeezed.push(' ');
            }
            space = true;
        } else {
            squeezed.push(c);
            space = false;
        }
    }
    if squeezed.is_empty() {
        return;
    }
    if let Some(Inline::Text { text }) = out.last_mut() {
        text.push_str(&squeezed);
    } else {
        out.push(Inline::Text { text: squeezed });
    }
}

fn starts_with_space(runs: &[Inline]) -> bool {
    match runs.first() {
        Some(Inline::Text { text }) => text.starts_with(' '),
        _ => false,
    }
}

fn ends_with_space(runs: &[Inline]) -> bool {
    match runs.last() {
        Some(Inline::Text { text }) => text.ends_with(' '),
        _ => false,
    }
}

fn trim_runs(runs: &mut Vec<Inline>) {
    if let Some(Inline::Text { text }) = runs.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text }) = runs.last_mut() {
        *text = text.trim_end().to_string();
    }
    runs.retain(|r| !matches!(r, Inline::Text { text } if text.is_empty()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_keeps_its_spaces_outside() {
        let text = Text {
            runs: vec![
                Inline::Text { text: "  a  ".into() },
                Inline::Emphasis { content: vec![Inline::Text { text: "b ".into() }] },
                Inline::Text { text: " c ".into() },
            ],
            key: None,
        };
        let tidied = tidy(&text);
        assert_eq!(
            tidied.runs,
            [
                Inline::Text { text: "a ".into() },
                Inline::Emphasis { content: vec![Inline::Text { text: "b".into() }] },
                Inline::Text { text: " c".into() },
            ]
        );
    }
}
