//! The composed letter: what a reader reads, fully resolved.
//!
//! Between the checked findings and any output there is one [`Letter`]: its
//! metadata, letterhead, header rows, title, and body as a sequence of
//! [`Block`]s, with the shared words of its language already written in
//! (`compose.rs` builds it). Every piece of text is a [`Text`], a sequence of
//! inline runs, never a string of markup. The model knows no writer: how a
//! text reaches a template is `layout.rs`'s business. A writer (the Typst and HTML
//! templates, `diff`, `preflight`) takes a `Letter` and nothing else, so the
//! PDF and the web page say the same words, and a new output is a new writer.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// One letter, ready for any writer.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    /// What describes the letter.
    pub meta: Meta,
    /// The top of page 1.
    pub letterhead: Letterhead,
    /// The block at the top: "To:", "Copy to:", "From:", "Publication date:".
    pub header: Vec<Row>,
    /// The title, printed once at the top.
    pub title: Text,
    /// Everything after the title, in order.
    pub body: Vec<Block>,
    /// The footnotes, numbered in order of first use.
    pub footnotes: Vec<Footnote>,
    /// The words around the letter: page numbers, the draft mark, the notes
    /// heading of the web page.
    pub furniture: Furniture,
}

/// What describes the letter rather than being read in it.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// The title as plain text.
    pub title: String,
    /// The area inspected, as written.
    pub area: String,
    /// The title a reader's window shows: "DRAFT: …" for a draft.
    pub document_title: String,
    /// The running header of pages 2 onwards.
    pub short_title: Text,
    /// A sentence saying what the letter is.
    pub description: String,
    /// Words to find the letter by.
    pub keywords: Vec<String>,
    /// Who publishes it.
    pub author: String,
    /// Which letter it is, e.g. `sqs`: its templates are `sqs.typ.j2` and
    /// `sqs.html.j2`.
    pub kind: String,
    /// The language tag, e.g. `en-GB`, with the region of its words when
    /// the findings name only the language (`cy` → `cy-GB`).
    pub language: String,
    /// The language alone, e.g. `en`.
    pub lang: String,
    /// The region, e.g. `GB`, if the tag has one.
    pub region: Option<String>,
    /// The publication date, `YYYY-MM-DD`.
    pub date: String,
    /// The publication date as printed.
    pub published: String,
    /// The year of publication.
    pub year: i32,
    /// Whether the letter is a draft.
    pub draft: bool,
    /// The name the findings file is attached under (PDF/A-3), if it is.
    pub attachment: Option<String>,
}

/// The inspectorate's name and address, and the letter's logo.
#[derive(Debug, Clone, Serialize)]
pub struct Letterhead {
    /// The inspectorate's name.
    pub name: String,
    /// Its postal address, a line each.
    pub address: Vec<String>,
    /// The letter's logo, if it has one.
    pub logo: Option<Logo>,
}

/// An image in the letterhead.
#[derive(Debug, Clone, Serialize)]
pub struct Logo {
    /// Where the Typst World serves it, e.g. `/logo.svg`.
    pub path: String,
    /// `image/png` or `image/svg+xml`.
    pub mime: &'static str,
    /// What it shows, for readers who cannot see it.
    pub alt: String,
    #[serde(serialize_with = "as_bytes")]
    /// The image file.
    pub bytes: Arc<Vec<u8>>,
}

fn as_bytes<S: Serializer>(bytes: &Arc<Vec<u8>>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(bytes)
}

/// A label and its value, as in the header block and the copy list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The label, e.g. "To:", or a role.
    pub label: Text,
    /// What it labels.
    pub value: Text,
}

/// A part of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A headed section, such as "Summary", holding other blocks.
    Section {
        /// A stable name: `context`, `summary`, `commentary`,
        /// `operational_management`, `strengths`, `improvements`, `copy_to`.
        id: &'static str,
        /// The section's heading.
        heading: Text,
        /// What the section holds.
        blocks: Vec<Block>,
    },
    /// A run of plain paragraphs.
    Paragraphs {
        /// The paragraphs, in order.
        paragraphs: Vec<Text>,
    },
    /// One numbered area of the commentary: "1. Heading", then 1.1, 1.2...
    Area {
        /// The area's number, from 1.
        number: usize,
        /// The number as printed before the heading, e.g. "1."
        label: String,
        /// The area's heading, e.g. "Protecting the public".
        heading: Text,
        /// Its numbered paragraphs.
        paragraphs: Vec<Numbered>,
    },
    /// A bulleted list.
    List {
        /// The list's items, in order.
        items: Vec<Text>,
    },
    /// The copy list: roles and the names in them.
    CopyList {
        /// A role (label) and its names (value) each.
        rows: Vec<Row>,
    },
    /// The small print at the end.
    SmallPrint {
        /// The note, e.g. how to get a paper copy.
        text: Text,
    },
}

/// A numbered paragraph of the commentary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Numbered {
    /// The number as printed, e.g. "1.3."
    pub label: String,
    /// The paragraph.
    pub text: Text,
}

/// A footnote's text and number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Footnote {
    /// The note's number, in order of first use.
    pub number: usize,
    /// The note's text.
    pub text: Text,
}

/// The words around the letter.
#[derive(Debug, Clone, Serialize)]
pub struct Furniture {
    /// "Page N of M", in three pieces around N and M.
    pub page: [String; 3],
    /// The mark across the pages of a draft.
    pub draft_mark: String,
    /// The banner at the top of a draft web page.
    pub draft_banner: String,
    /// The heading of the footnotes on the web page.
    pub notes_heading: String,
    /// The link from a footnote back to where it is used.
    pub back_to_text: String,
}

/// A piece of text: a sequence of inline runs, and where it came from.
#[derive(Debug, Clone, Default)]
pub struct Text {
    /// The inline runs, in order.
    pub runs: Vec<Inline>,
    /// The findings file's key path the text was written at; none for the
    /// words the tool writes.
    pub key: Option<String>,
}

/// One inline run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Inline {
    /// Words, printed exactly as written.
    Text {
        /// The words.
        text: String,
    },
    /// Italic: quoted comments, titles of things.
    Emphasis {
        /// What is in italics.
        content: Vec<Inline>,
    },
    /// Bold.
    Strong {
        /// What is in bold.
        content: Vec<Inline>,
    },
    /// A link to `url` (`https:`, `http:` or `mailto:`).
    Link {
        /// Where the link goes.
        url: String,
        /// What it says.
        content: Vec<Inline>,
    },
    /// A footnote mark. At the first use of a note, `body` is its text.
    Note {
        /// The note's number, in order of first use.
        number: usize,
        /// The note's text, at its first mark only.
        #[serde(skip_serializing_if = "Option::is_none")]
        body: Option<Vec<Inline>>,
    },
}

impl Text {
    /// Words, with no markup.
    pub fn plain(text: impl Into<String>) -> Self {
        let text = text.into();
        let runs = if text.is_empty() { Vec::new() } else { vec![Inline::Text { text }] };
        Self { runs, key: None }
    }

    /// The text as a reader reads it, footnote numbers included.
    pub fn to_plain(&self) -> String {
        self.to_plain_marked(&|number| number.to_string())
    }

    /// The text as a reader reads it, each footnote mark written by `mark`.
    pub fn to_plain_marked(&self, mark: &dyn Fn(usize) -> String) -> String {
        let mut out = String::new();
        plain_into(&self.runs, &mut out, mark);
        out
    }

    /// Whether there are no runs.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Appends another text's runs.
    pub fn extend(&mut self, other: Text) {
        for run in other.runs {
            self.push(run);
        }
    }

    /// Appends a run, joining it to the last if both are words.
    pub fn push(&mut self, run: Inline) {
        if let (Some(Inline::Text { text: last }), Inline::Text { text }) =
            (self.runs.last_mut(), &run)
        {
            last.push_str(text);
            return;
        }
        self.runs.push(run);
    }
}

/// Two texts are equal when they read and link the same; where they were
/// written does not matter.
impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.runs == other.runs
    }
}

/// Every text of some blocks, in reading order: headings, paragraphs, list
/// items, rows.
pub fn texts_of(blocks: &[Block]) -> Vec<&Text> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Section { heading, blocks, .. } => {
                out.push(heading);
                out.extend(texts_of(blocks));
            }
            Block::Paragraphs { paragraphs } => out.extend(paragraphs),
            Block::Area { heading, paragraphs, .. } => {
                out.push(heading);
                out.extend(paragraphs.iter().map(|p| &p.text));
            }
            Block::List { items } => out.extend(items),
            Block::CopyList { rows } => {
                for row in rows {
                    out.push(&row.label);
                    out.push(&row.value);
                }
            }
            Block::SmallPrint { text } => out.push(text),
        }
    }
    out
}

fn plain_into(runs: &[Inline], out: &mut String, mark: &dyn Fn(usize) -> String) {
    for run in runs {
        match run {
            Inline::Text { text } => out.push_str(text),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => plain_into(content, out, mark),
            Inline::Note { number, .. } => out.push_str(&mark(*number)),
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.to_plain())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_reads_as_written_with_note_numbers() {
        let text = Text {
            runs: vec![
                Inline::Text { text: "a ".into() },
                Inline::Emphasis { content: vec![Inline::Text { text: "b".into() }] },
                Inline::Note { number: 2, body: None },
                Inline::Link {
                    url: "https://x.org".into(),
                    content: vec![Inline::Text { text: " c".into() }],
                },
            ],
            key: Some("summary[0]".into()),
        };
        assert_eq!(text.to_plain(), "a b2 c");
        assert_eq!(text, Text { key: None, ..text.clone() });
    }

    #[test]
    fn pushing_words_joins_them() {
        let mut text = Text::plain("a");
        text.push(Inline::Text { text: "b".into() });
        text.extend(Text::plain("c"));
        assert_eq!(text.runs, [Inline::Text { text: "abc".into() }]);
        assert!(Text::plain("").is_empty());
    }
}
