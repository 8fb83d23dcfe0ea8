//! Reading a letter's text export into [`Line`]s.
//!
//! Three shapes of text are read alike: `pdftotext` (lines as the PDF
//! wraps them, pages split by form feeds), `pdftotext -layout` (the same
//! with each line's columns kept apart by runs of spaces) and the marked-up
//! export of the reference letter (`tests/reference/barnet-sqs-2014.txt`:
//! one line a paragraph, a tab between a label and its value, `<i>…</i>`
//! around what the layout sets in italics, and the findings' own inline
//! markup for emphasis and links). Only the marked-up export says where
//! italics and links are; the others are taken as plain words.

use super::lines::{Cell, Line, Place};
use crate::letter::{Inline, Text};
use crate::markup;

/// The lines of a text export.
pub(crate) fn lines(text: &str) -> Vec<Line> {
    let marked = is_marked(text);
    let mut out = Vec::new();
    for (p, page) in text.split('\u{c}').enumerate() {
        for (l, raw) in page.lines().enumerate() {
            let at = Place { page: p + 1, line: l + 1 };
            // The marked-up export's list mark is the findings' own "- ".
            let raw = match raw.strip_prefix("- ") {
                Some(rest) if marked => format!("• {rest}"),
                _ => raw.to_string(),
            };
            let cells = cells(&raw, marked);
            out.push(Line { at, cells, ..Line::default() });
        }
    }
    if !marked {
        mark_paragraph_ends(&mut out);
    }
    out
}

/// Marks where a paragraph ends in a plain export, which leaves no blank
/// line between paragraphs: the layout wraps a line only when the next
/// word does not fit, so a line followed by a word that would have fitted
/// ended its paragraph. Widths are counted in characters, so "would have
/// fitted" allows 15% for the proportional font.
fn mark_paragraph_ends(lines: &mut [Line]) {
    let right = |line: &Line| {
        line.cells.last().map_or(0, |c| c.indent as usize + c.text.to_plain().chars().count())
    };
    let mut widest: std::collections::BTreeMap<usize, usize> = Default::default();
    // The widest line of text set from the left margin (the letterhead is
    // set from the right).
    for line in lines.iter().filter(|l| l.cells.first().is_some_and(|c| c.indent < 12)) {
        let w = widest.entry(line.at.page).or_default();
        *w = (*w).max(right(line));
    }
    for i in 1..lines.len() {
        let (before, after) = lines.split_at_mut(i);
        let (a, b) = (&before[i - 1], &mut after[0]);
        if a.is_blank() || b.is_blank() || a.at.page != b.at.page {
            continue;
        }
        let width = widest.get(&a.at.page).copied().unwrap_or(0) as f32;
        let first_word = b
            .cells
            .first()
            .map_or(0, |c| c.text.to_plain().split(' ').next().unwrap_or("").chars().count());
        if ((right(a) + 1 + first_word) as f32) < 0.85 * width {
            b.gap_before = true;
        }
    }
}

/// Whether the text is the marked-up export: its header labels are in
/// `<i>` tags, before a tab.
fn is_marked(text: &str) -> bool {
    text.lines().any(|line| line.starts_with("<i>") && line.contains("</i>\t"))
}

/// A line's cells: split at tabs, and at runs of three or more spaces (the
/// gap `pdftotext -layout` leaves between columns; words of one column are
/// never that far apart).
fn cells(raw: &str, marked: bool) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut column = 0usize;
    let mut start: Option<usize> = None;
    let mut spaces = 0usize;
    let mut current = String::new();
    let flush = |current: &mut String, start: &mut Option<usize>, out: &mut Vec<Cell>| {
        let text = current.trim_end().to_string();
        if let Some(at) = start.take()
            && !text.is_empty()
        {
            out.push(Cell { indent: at as i64, text: runs(&text, marked) });
        }
        current.clear();
    };
    for c in raw.chars() {
        match c {
            '\t' => {
                flush(&mut current, &mut start, &mut out);
                spaces = 0;
                column = (column / 8 + 1) * 8;
                continue;
            }
            ' ' => {
                spaces += 1;
                if spaces >= 3 && start.is_some() {
                    flush(&mut current, &mut start, &mut out);
                } else if start.is_some() {
                    current.push(' ');
                }
            }
            c => {
                if start.is_none() {
                    start = Some(column);
                }
                spaces = 0;
                current.push(c);
            }
        }
        column += 1;
    }
    flush(&mut current, &mut start, &mut out);
    out
}

/// A cell's words: in the marked-up export, `<i>…</i>` around the whole
/// cell is the layout's italics (labels, the copy list's names) and is
/// dropped; the rest is the findings' inline markup. Elsewhere, words.
fn runs(text: &str, marked: bool) -> Text {
    if !marked {
        return Text::plain(text);
    }
    let text = text
        .strip_prefix("<i>")
        .and_then(|t| t.strip_suffix("</i>"))
        .filter(|inner| !inner.contains("<i>"))
        .unwrap_or(text);
    match markup::parse(text, None) {
        Ok(runs) => Text { runs, key: None },
        Err(_) => Text { runs: vec![Inline::Text { text: text.to_string() }], key: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_and_wide_gaps_split_cells() {
        let lines = lines("<i>To:</i>\tDuncan Tessier, Chair\n\u{c}Role   <i>Name</i>\n  a b");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].cells.len(), 2);
        assert_eq!(lines[0].cells[0].text.to_plain(), "To:");
        assert_eq!(lines[0].cells[1].text.to_plain(), "Duncan Tessier, Chair");
        assert_eq!(lines[1].at, Place { page: 2, line: 1 });
        assert_eq!(lines[1].cells[1].text.to_plain(), "Name");
        assert_eq!(lines[2].cells[0].indent, 2);
        assert_eq!(lines[2].cells[0].text.to_plain(), "a b");
    }

    #[test]
    fn plain_text_is_words_and_marked_text_is_markup() {
        let plain = lines("a *b* c");
        assert_eq!(plain[0].cells[0].text.runs, [Inline::Text { text: "a *b* c".into() }]);
        let marked = lines("<i>To:</i>\tX\na *b* c");
        assert!(matches!(marked[1].cells[0].text.runs[1], Inline::Emphasis { .. }));
    }
}
