//! The places of a letter, as the Word document's bookmarks name them.
//!
//! `sqs.docx.j2` puts every paragraph of the letter inside a bookmark
//! named after its place: `p1_3` for paragraph 1.3, `summary_2`,
//! `strength_1`, `copy_3`... This module is the other half of that
//! naming: what a bookmark's name means to a reader ("1.3", "Summary,
//! paragraph 2", "Copy to: Director of Children's Services"), and, given
//! the composed letter, the places in order with the text each held in the
//! draft and the findings file's key it came from. A test renders every
//! fixture and checks that the bookmarks the template wrote are exactly
//! the places listed here, in the same order.

use crate::letter::{Block, Letter, Text};

/// One place of a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The bookmark's name, e.g. `p1_3`.
    pub bookmark: String,
    /// What a reader calls it, e.g. `1.3`.
    pub label: String,
    /// The text there, as the draft has it.
    pub text: String,
    /// The findings file's key path it was written at, if the inspector
    /// wrote it (the tool's own words have none).
    pub key: Option<String>,
}

/// The places of a letter, in the order of the document.
pub fn of(letter: &Letter) -> Vec<Place> {
    let mut places = Vec::new();
    let mut add = |bookmark: String, text: String, key: Option<String>| {
        // A row's place is named by its first cell, its label.
        let first_cell = text.split_once(ROW_SEPARATOR).map_or(text.as_str(), |(first, _)| first);
        let label = label(&bookmark, first_cell).unwrap_or_else(|| bookmark.clone());
        let text = text.replacen(ROW_SEPARATOR, " ", 1);
        places.push(Place { bookmark, label, text, key });
    };
    let letterhead = std::iter::once(letter.letterhead.name.as_str())
        .chain(letter.letterhead.address.iter().map(String::as_str));
    add("letterhead".into(), letterhead.collect::<Vec<_>>().join(" "), None);
    let rows = letter.header.len();
    for (i, row) in letter.header.iter().enumerate() {
        // The rows compose.rs writes: To, Copy to (if any), From, Publication date.
        let key = match (i, rows - i) {
            (0, _) => "to",
            (_, 1) => "published",
            (_, 2) => "from",
            _ => "copy_to",
        };
        add(format!("header_{}", i + 1), row_text(&row.label, &row.value), Some(key.into()));
    }
    add("title".into(), letter.title.to_plain(), letter.title.key.clone());
    for (b, block) in letter.body.iter().enumerate() {
        match block {
            Block::Section { id, heading, blocks } => {
                add(format!("heading_{id}"), heading.to_plain(), heading.key.clone());
                for inner in blocks {
                    inner_places(id, inner, &mut add);
                }
            }
            Block::Paragraphs { paragraphs } => {
                let prefix = if b == 0 { "intro" } else { "closing" };
                for (i, p) in paragraphs.iter().enumerate() {
                    add(format!("{prefix}_{}", i + 1), p.to_plain(), p.key.clone());
                }
            }
            Block::SmallPrint { text } => {
                add("smallprint".into(), text.to_plain(), text.key.clone())
            }
            other => inner_places("", other, &mut add),
        }
    }
    for note in &letter.footnotes {
        add(format!("footnote_{}", note.number), note.text.to_plain(), note.text.key.clone());
    }
    places
}

fn inner_places(
    section: &str,
    block: &Block,
    add: &mut impl FnMut(String, String, Option<String>),
) {
    let prefix = match section {
        "strengths" => "strength",
        "improvements" => "improvement",
        "operational_management" => "operational",
        other => other,
    };
    match block {
        Block::Paragraphs { paragraphs } => {
            for (i, p) in paragraphs.iter().enumerate() {
                add(format!("{prefix}_{}", i + 1), p.to_plain(), p.key.clone());
            }
        }
        Block::List { items } => {
            for (i, item) in items.iter().enumerate() {
                add(format!("{prefix}_{}", i + 1), item.to_plain(), item.key.clone());
            }
        }
        Block::Area { number, label, heading, paragraphs } => {
            add(
                format!("area_{number}"),
                format!("{label} {}", heading.to_plain()),
                heading.key.clone(),
            );
            for (i, p) in paragraphs.iter().enumerate() {
                add(
                    format!("p{number}_{}", i + 1),
                    format!("{} {}", p.label, p.text.to_plain()),
                    p.text.key.clone(),
                );
            }
        }
        Block::CopyList { rows } => {
            for (i, row) in rows.iter().enumerate() {
                add(
                    format!("copy_{}", i + 1),
                    row_text(&row.label, &row.value),
                    row.label.key.clone(),
                );
            }
        }
        Block::Section { .. } | Block::SmallPrint { .. } => {}
    }
}

/// Between a row's label and its value while the places are listed.
const ROW_SEPARATOR: char = '\u{1f}';

fn row_text(label: &Text, value: &Text) -> String {
    format!("{}{ROW_SEPARATOR}{}", label.to_plain(), value.to_plain())
}

/// What a reader calls the place a bookmark names, or `None` if the
/// bookmark is not one of the letter's. `text` is the text at the place in
/// the document, for a row its first cell: a row's place is named by its
/// label ("Copy to: ROLE", "header: Publication date").
pub fn label(bookmark: &str, text: &str) -> Option<String> {
    let (prefix, number) = match bookmark.rsplit_once('_') {
        Some((prefix, number))
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (prefix, Some(number))
        }
        _ => (bookmark, None),
    };
    let first_cell = || {
        // The label cell is the text up to the value; a label ends in ':'
        // in the header block, and a role is the whole first cell.
        text.split_once(':').map_or(text, |(label, _)| label).trim().to_string()
    };
    let paragraph = |what: &str| number.map(|n| format!("{what}, paragraph {n}"));
    let item = |what: &str| number.map(|n| format!("{what}, item {n}"));
    Some(match (prefix, number) {
        ("letterhead", None) => "letterhead".into(),
        ("title", None) => "title".into(),
        ("smallprint", None) => "small print".into(),
        ("header", Some(_)) => format!("header: {}", first_cell()),
        ("copy", Some(_)) => format!("Copy to: {}", text.trim()),
        ("intro", _) => paragraph("Opening")?,
        ("context", _) => paragraph("Context")?,
        ("summary", _) => paragraph("Summary")?,
        ("operational", _) => paragraph("Operational management")?,
        ("closing", _) => paragraph("Closing")?,
        ("strength", _) => item("Key strengths")?,
        ("improvement", _) => item("Areas requiring improvement")?,
        ("area", Some(n)) => format!("{n}. (heading)"),
        ("footnote", Some(n)) => format!("footnote {n}"),
        (heading, None) if heading.starts_with("heading_") => {
            format!("heading: {}", text.trim())
        }
        (p, Some(b))
            if p.starts_with('p') && p[1..].bytes().all(|c| c.is_ascii_digit()) && p.len() > 1 =>
        {
            format!("{}.{b}", &p[1..])
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookmarks_read_as_places() {
        assert_eq!(label("p1_3", "1.3. Text").as_deref(), Some("1.3"));
        assert_eq!(label("p12_10", "").as_deref(), Some("12.10"));
        assert_eq!(label("summary_2", "").as_deref(), Some("Summary, paragraph 2"));
        assert_eq!(label("strength_1", "").as_deref(), Some("Key strengths, item 1"));
        assert_eq!(
            label("improvement_2", "").as_deref(),
            Some("Areas requiring improvement, item 2")
        );
        assert_eq!(
            label("copy_3", "Director of Children's Services").as_deref(),
            Some("Copy to: Director of Children's Services")
        );
        assert_eq!(
            label("header_4", "Publication date: 16 July 2014").as_deref(),
            Some("header: Publication date")
        );
        assert_eq!(label("heading_summary", "Summary").as_deref(), Some("heading: Summary"));
        assert_eq!(label("_GoBack", ""), None);
        assert_eq!(label("p_1", ""), None);
        assert_eq!(label("pa_1", ""), None);
    }
}
