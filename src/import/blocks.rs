//! Lines into blocks: paragraphs, list items, numbered paragraphs and table
//! rows, each with the place it starts, before any of them is recognised.
//!
//! A paragraph ends at a blank line (or a gap the PDF reader saw), at a
//! list mark, at a paragraph number and at a row of two cells. The
//! furniture of every page (page numbers, running header, letterhead, the
//! draft mark) is taken out by the caller's `furniture` test first, so a
//! paragraph broken over two pages is one paragraph.

use super::lines::{Line, Place, join, tidy};
use crate::letter::{Inline, Text};

/// What a block is, as its shape shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A paragraph (or a heading: a one-line paragraph).
    Para,
    /// A bulleted list item.
    Item,
    /// A numbered paragraph, with its number as printed ("1.2.").
    Numbered(String),
    /// A table row: its label (the first cell), then `text` is its value.
    Row(Text),
}

/// One block of the letter.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// Where it starts.
    pub(crate) at: Place,
    /// Its shape.
    pub(crate) kind: Kind,
    /// What it says.
    pub(crate) text: Text,
    /// Whether it is in small type.
    pub(crate) small: bool,
}

impl Block {
    /// Its words as a reader reads them.
    pub(crate) fn plain(&self) -> String {
        super::lines::squeeze(&self.text.to_plain())
    }
}

/// The blocks of lines, leaving out those `furniture` says are the page's.
pub(crate) fn blocks(
    lines: &[Line],
    furniture: &mut dyn FnMut(&Line) -> bool,
    heading: &dyn Fn(&str) -> bool,
) -> Vec<Block> {
    blocks_spaced(lines, lines, furniture, heading)
}

/// The blocks of lines, as [`blocks`], with the line spacing measured in
/// `letter` (all the letter's lines, when `lines` are a part of them: the
/// head of a letter has too few lines to tell its rows from its lines).
pub(crate) fn blocks_spaced(
    lines: &[Line],
    letter: &[Line],
    furniture: &mut dyn FnMut(&Line) -> bool,
    heading: &dyn Fn(&str) -> bool,
) -> Vec<Block> {
    #[allow(clippy::unwrap_used)] // a constant pattern
    let number = super::patterns::regex(r"^(\d+\.\d+\.)(?:\s+|$)").unwrap();
    #[allow(clippy::unwrap_used)] // a constant pattern
    let list_number = super::patterns::regex(r"^\d+\.$").unwrap();
    let (usual, gap) = paragraph_gap(letter);
    // How far right the text goes: the measure a line fills when its
    // paragraph goes on after it.
    let measure = letter.iter().filter_map(|l| l.right).max().unwrap_or(0);
    // The last line kept.
    let mut previous: Option<&Line> = None;
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    // The indent of the label column of the last row, for labels that wrap.
    let mut row_label_indent: Option<i64> = None;
    // The indent of the value column of the last row, for names that wrap.
    let mut row_value_indent: Option<i64> = None;
    // The footnotes at the foot of each page, apart from the text they
    // interrupt.
    let mut notes: Vec<Line> = Vec::new();
    // The page and baseline of the last line kept.
    let mut last: Option<(usize, f32, f32)> = None;
    let mut last_heading = false;
    // Where the text of the last item or numbered paragraph starts.
    let mut item_indent = 0i64;
    let mut loose_item = false;
    // A blank line ends a paragraph, unless a page break comes before the
    // next line: a paragraph goes on over the page.
    let mut blank_after: Option<usize> = None;
    let mut last_page = 0usize;
    for line in lines {
        if line.is_blank() {
            blank_after.get_or_insert(last_page);
            continue;
        }
        if furniture(line) {
            continue;
        }
        if let Some(page) = blank_after.take()
            && page == line.at.page
        {
            open = false;
            row_value_indent = None;
            row_label_indent = None;
        }
        last_page = line.at.page;
        if line.note {
            notes.push(line.clone());
            continue;
        }
        // A Word paragraph or table row is a block of its own.
        if line.whole {
            open = false;
            row_value_indent = None;
            row_label_indent = None;
            item_indent = 0;
            loose_item = false;
        }
        // Where a plain export's line would have fitted on the line before,
        // a paragraph ended; but a numbered paragraph only ends at the next
        // number or heading, since its lines are narrower than the page.
        // A line set at an item's text column goes on with the item.
        let at_item_column = item_indent > 0
            && line.cells.first().is_some_and(|c| c.indent == item_indent)
            && out.last().is_some_and(|b| matches!(b.kind, Kind::Numbered(_) | Kind::Item));
        // An item whose mark stood on a line of its own (a plain export)
        // ends at a blank line, as the export leaves one after each.
        let loose = loose_item && out.last().is_some_and(|b| b.kind == Kind::Item);
        if line.gap_before
            && !at_item_column
            && !loose
            && (line.note
                || !out.last().is_some_and(|b| matches!(b.kind, Kind::Numbered(_)))
                || line.baseline.is_some())
        {
            open = false;
        }
        // Whether the line is set as the next line of the one before, at
        // the usual spacing (not after a paragraph's or a row's space),
        // where the reader knows baselines.
        let mut next_line = false;
        if let Some((y, size)) = line.baseline {
            // Lines of a paragraph are about 1.3 sizes apart in our PDF and
            // 1.5 in a browser's, paragraphs and list items 1.7 or 2.5;
            // across a page, a paragraph goes on.
            // A paragraph goes on over a page when the last line before
            // the break was full: when the next line's first word would
            // have fitted on it, the paragraph ended there.
            if let Some((page, ..)) = last
                && page != line.at.page
                && previous.is_some_and(|p| ended_before(p, line, measure))
            {
                open = false;
            }
            if let Some((page, last_y, last_size)) = last
                && page == line.at.page
            {
                let apart = last_y - y;
                if apart > gap * size.max(last_size) {
                    open = false;
                }
                next_line = apart > 0.0 && apart <= 1.1 * usual * size.max(last_size);
            }
            last = Some((line.at.page, y, size));
            previous = Some(line);
        }
        // A label that wrapped in its column (a browser shrinks the label
        // column of a table to its longest word): its words on a line of
        // their own, at the label's column, go on the label. (Our PDF sets
        // rows as close as lines, so a line with a value beside it is a
        // row of its own.)
        if next_line
            && let (Some(indent), Some(last)) = (row_label_indent, out.last_mut())
            && let Kind::Row(label) = &mut last.kind
            && let [cell] = line.cells.as_slice()
            && (cell.indent - indent).abs() <= 10
            && row_value_indent.is_none_or(|v| cell.indent < v)
        {
            join(label, cell.text.clone());
            *label = tidy(label);
            continue;
        }
        if line.cells.len() >= 2 {
            let label = tidy(&line.cells[0].text);
            let mut value = Text::default();
            for cell in &line.cells[1..] {
                join(&mut value, cell.text.clone());
            }
            // "1.1.", "1." or "•" in a column of its own is a mark, not a
            // label.
            let label_plain = label.to_plain();
            if !(number.is_match(&label_plain)
                || list_number.is_match(&label_plain)
                || is_bullet(&label_plain))
            {
                row_value_indent = Some(line.cells[1].indent);
                row_label_indent = Some(line.cells[0].indent);
                out.push(Block {
                    at: line.at,
                    kind: Kind::Row(label),
                    text: tidy(&value),
                    small: line.small,
                });
                open = false;
                continue;
            }
        }
        let mut text = Text::default();
        for cell in &line.cells {
            join(&mut text, cell.text.clone());
        }
        let mut text = tidy(&text);
        // A line all in bold is a heading: a block of its own, or of the
        // bold lines it wraps over.
        let plain_text = text.to_plain();
        // Headings are in body type: a small "1. Text" is a numbered note.
        if !line.small && heading(&plain_text) {
            out.push(Block { at: line.at, kind: Kind::Para, text, small: line.small });
            open = false;
            last_heading = false;
            continue;
        }
        let heading = is_strong(&text);
        if heading != last_heading {
            open = false;
        }
        last_heading = heading;
        // A name of the last row that wrapped onto a line of its own.
        if let (Some(indent), Some(last)) = (row_value_indent, out.last_mut())
            && matches!(last.kind, Kind::Row(_))
            && line.cells.first().is_some_and(|c| c.indent >= indent && indent > 0)
        {
            join(&mut last.text, text);
            continue;
        }
        row_value_indent = None;
        row_label_indent = None;
        // A mark or number on a line of its own: its text is the next line.
        if let Some(last) = out.last_mut()
            && !line.whole
            && last.text.is_empty()
            && !matches!(last.kind, Kind::Para)
        {
            loose_item = last.kind == Kind::Item;
            last.text = text;
            open = true;
            continue;
        }
        if !open {
            loose_item = false;
        }
        let mut kind = None;
        if is_bullet(&text.to_plain()) {
            out.push(Block {
                at: line.at,
                kind: Kind::Item,
                text: Text::default(),
                small: line.small,
            });
            open = false;
            continue;
        }
        if let Some(rest) = strip_bullet(&mut text) {
            kind = Some(Kind::Item);
            text = rest;
        }
        let plain = text.to_plain();
        if let Some(found) = number.captures(&plain) {
            let label = found[1].to_string();
            text = strip_prefix(&text, found[0].len());
            kind = Some(Kind::Numbered(label));
        }
        match kind {
            Some(kind) => {
                out.push(Block { at: line.at, kind, text, small: line.small });
                open = true;
                item_indent = item_text_indent(line);
            }
            // A line left of an item's text is not the item's.
            None if open
                && out.last().is_some_and(|b| !matches!(b.kind, Kind::Para | Kind::Row(_)))
                && line.cells.first().is_some_and(|c| c.indent + 1 < item_indent) =>
            {
                out.push(Block { at: line.at, kind: Kind::Para, text, small: line.small });
            }
            None if open => {
                if let Some(last) = out.last_mut() {
                    join(&mut last.text, text);
                }
            }
            None => {
                out.push(Block { at: line.at, kind: Kind::Para, text, small: line.small });
                open = true;
            }
        }
    }
    if !notes.is_empty() {
        let mut found = blocks(
            &notes.into_iter().map(|l| Line { note: false, right: None, ..l }).collect::<Vec<_>>(),
            &mut |_| false,
            &|_| false,
        );
        for block in &mut found {
            block.small = true;
        }
        out.extend(found);
    }
    out
}

/// How far apart, in type sizes, two baselines must be for a paragraph
/// to have ended between them: half as far again as the letter's usual
/// line spacing (the commonest distance between one line and the next),
/// and at least 1.5 sizes. Our PDF sets lines 1.3 sizes apart, a browser
/// 1.5. With it, that usual spacing.
fn paragraph_gap(lines: &[Line]) -> (f32, f32) {
    let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
    for pair in lines.windows(2) {
        let (Some((a, a_size)), Some((b, b_size))) = (pair[0].baseline, pair[1].baseline) else {
            continue;
        };
        if pair[0].at.page != pair[1].at.page || (a_size - b_size).abs() > 0.05 * a_size {
            continue;
        }
        let ratio = (a - b) / a_size;
        if (1.0..3.0).contains(&ratio) {
            *counts.entry((ratio * 20.0).round() as i64).or_default() += 1;
        }
    }
    let usual = counts.into_iter().max_by_key(|(_, n)| *n).map_or(1.0, |(r, _)| r as f32 / 20.0);
    (usual, (1.2 * usual).max(1.5))
}

/// Whether `before`, the last line of a page, ended its paragraph: the
/// first word of `after` would have fitted on it within the measure (the
/// word's width guessed from the average width of `after`'s letters).
fn ended_before(before: &Line, after: &Line, measure: i64) -> bool {
    let (Some(right), Some(after_right), Some(first)) =
        (before.right, after.right, after.cells.first())
    else {
        return false;
    };
    let text = after.plain();
    let letters = text.chars().count().max(1) as i64;
    let word = text.split(' ').next().unwrap_or("").chars().count() as i64 + 1;
    let width = (after_right - first.indent) * word / letters;
    right + width < measure - measure / 50
}

/// Where the text of an item's first line starts, when the mark stands in
/// a column of its own (as the PDF and `pdftotext -layout` set it): its
/// second cell. Otherwise unknown (0): a plain export sets every line at
/// the margin.
fn item_text_indent(line: &Line) -> i64 {
    match line.cells.as_slice() {
        [_, text, ..] => text.indent,
        _ => 0,
    }
}

/// Whether every word of a text is bold.
fn is_strong(text: &Text) -> bool {
    !text.runs.is_empty()
        && text.runs.iter().all(|r| match r {
            Inline::Strong { .. } => true,
            Inline::Text { text } => text.trim().is_empty(),
            _ => false,
        })
}

fn is_bullet(text: &str) -> bool {
    matches!(text, "•" | "‣" | "◦" | "▪")
}

/// The text after a list mark ("- ", "• "), if it starts with one.
fn strip_bullet(text: &mut Text) -> Option<Text> {
    let plain = text.to_plain();
    let mark = ["• ", "‣ ", "◦ ", "▪ "].iter().find(|m| plain.starts_with(**m))?;
    Some(strip_prefix(text, mark.len()))
}

/// The text without its first `bytes` bytes of words (a mark or number,
/// always in the first run of words).
fn strip_prefix(text: &Text, bytes: usize) -> Text {
    let mut runs = text.runs.clone();
    if let Some(Inline::Text { text: first }) = runs.first_mut() {
        let cut = bytes.min(first.len());
        *first = first[cut..].trim_start().to_string();
    }
    tidy(&Text { runs, key: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text;

    fn kinds(text: &str) -> Vec<(Kind, String)> {
        blocks(&text::lines(text), &mut |_| false, &|_| false)
            .into_iter()
            .map(|b| (b.kind.clone(), b.plain()))
            .collect()
    }

    /// A line of a PDF: its cells (indent in points, words), baseline and
    /// right end.
    fn at(page: usize, y: f32, cells: &[(i64, &str)]) -> Line {
        let cells: Vec<super::super::lines::Cell> = cells
            .iter()
            .map(|(x, t)| super::super::lines::Cell { indent: x * 10, text: Text::plain(*t) })
            .collect();
        let right = cells.last().map(|c| c.indent + 55 * c.text.to_plain().chars().count() as i64);
        Line {
            at: Place { page, line: 1 },
            cells,
            baseline: Some((y, 11.0)),
            right,
            ..Line::default()
        }
    }

    #[test]
    fn a_browsers_spacing_wrapped_labels_and_page_breaks() {
        // Lines 16.5 points apart (1.5 sizes), rows 22, paragraphs 27.5.
        let long = "words words words words words words words words words words words";
        let lines = vec![
            at(1, 700.0, &[(70, "Publication"), (160, "16 July 2014")]),
            at(1, 683.5, &[(70, "date:")]),
            at(1, 661.5, &[(70, "From:"), (160, "A Person, Role")]),
            at(1, 634.0, &[(70, long)]),
            at(1, 617.5, &[(70, long)]),
            at(1, 601.0, &[(70, long)]),
            at(1, 584.5, &[(70, "short end.")]),
            at(2, 800.0, &[(70, long)]),
            at(2, 783.5, &[(70, long)]),
            at(2, 767.0, &[(70, long)]),
        ];
        let found: Vec<(Kind, String)> = blocks(&lines, &mut |_| false, &|_| false)
            .into_iter()
            .map(|b| (b.kind.clone(), b.plain()))
            .collect();
        assert_eq!(found[0], (Kind::Row(Text::plain("Publication date:")), "16 July 2014".into()));
        assert_eq!(found[1].0, Kind::Row(Text::plain("From:")));
        // The paragraph that ended at the foot of page 1 is not run on.
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[2].1.ends_with("short end."));
    }

    #[test]
    fn a_word_broken_at_its_hyphen_is_joined() {
        let found = kinds("The Multi-\nAgency panel; pre-\nand post-sentence");
        assert_eq!(found[0].1, "The Multi-Agency panel; pre- and post-sentence");
    }

    #[test]
    fn paragraphs_items_numbers_and_rows() {
        let found = kinds(
            "A paragraph\nthat wraps.\n\n1.1. Numbered\nand wrapped.\n• An item\n1.2.\nText of 1.2.\n\nRole   Name\n",
        );
        assert_eq!(found[0], (Kind::Para, "A paragraph that wraps.".into()));
        assert_eq!(found[1], (Kind::Numbered("1.1.".into()), "Numbered and wrapped.".into()));
        assert_eq!(found[2], (Kind::Item, "An item".into()));
        assert_eq!(found[3], (Kind::Numbered("1.2.".into()), "Text of 1.2.".into()));
        assert_eq!(found[4], (Kind::Row(Text::plain("Role")), "Name".into()));
    }
}
