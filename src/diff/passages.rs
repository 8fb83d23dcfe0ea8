//! A letter as a list of passages, each named by its place as a reader
//! would name it: "header: Publication date", "Summary, paragraph 2", "1.3",
//! "Key strengths, item 4", "Copy to: Director of Children's Services".
//!
//! The places come from the letter itself (its headings and row labels, in
//! its own language), so a diff speaks of what the reader sees. Each
//! passage also says what kind of thing it is, which row it is when a row
//! label names it, and the number the letter prints before it, so that the
//! alignment pairs like with like and can tell a renumbering from a change.

use crate::letter::{Block, Inline, Letter, Text};

/// What a passage is. Passages are only compared with their own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The inspectorate's name and address.
    Letterhead,
    /// The logo's alt text.
    Logo,
    /// Whether the letter is marked a draft.
    DraftMark,
    /// A row of the header block.
    Header,
    /// The letter's title.
    Title,
    /// A section heading.
    Heading,
    /// A commentary area's heading.
    AreaHeading,
    /// A plain paragraph of a section.
    Paragraph,
    /// A numbered paragraph of the commentary.
    Numbered,
    /// An item of a bulleted list.
    Item,
    /// A row of the copy list.
    CopyRow,
    /// The small print at the end.
    SmallPrint,
    /// A footnote.
    Footnote,
}

impl Kind {
    /// What one and several passages of a numbered kind are called.
    pub fn noun(self) -> (&'static str, &'static str) {
        match self {
            Kind::AreaHeading => ("area", "areas"),
            Kind::Footnote => ("footnote", "footnotes"),
            _ => ("paragraph", "paragraphs"),
        }
    }
}

/// One passage of a letter.
#[derive(Debug, Clone)]
pub struct Passage {
    /// Where it is, as a reader would say it.
    pub place: String,
    /// What part of the letter it is.
    pub kind: Kind,
    /// What a row (its label) or a section heading (the section's id) is
    /// known by: such passages pair by it, whatever their words.
    pub identity: Option<String>,
    /// The number the letter prints for it ("1.3" is `[1, 3]`), if any.
    pub number: Option<Vec<usize>>,
    /// The part of the letter it is in (a section's id, `opening`,
    /// `closing`), to tell a move from a change.
    pub part: &'static str,
    /// Its words.
    pub text: Text,
}

impl Passage {
    fn new(place: impl Into<String>, kind: Kind, part: &'static str, text: &Text) -> Self {
        let place = place.into();
        Self { place, kind, identity: None, number: None, part, text: text.clone() }
    }

    /// The number as printed, e.g. "1.3".
    pub fn number_text(&self) -> Option<String> {
        let number = self.number.as_ref()?;
        Some(number.iter().map(usize::to_string).collect::<Vec<_>>().join("."))
    }

    /// The words as a reader reads them, a footnote mark written `[1]`.
    pub fn reading(&self) -> String {
        let text = self.text.to_plain_marked(&|number| format!("[{number}]"));
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The links' words and addresses, in order.
    pub fn links(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        links_into(&self.text.runs, &mut out);
        out
    }
}

fn links_into(runs: &[Inline], out: &mut Vec<(String, String)>) {
    for run in runs {
        match run {
            Inline::Link { url, content } => {
                let words = Text { runs: content.clone(), key: None };
                out.push((words.to_plain_marked(&|number| format!("[{number}]")), url.clone()));
            }
            Inline::Emphasis { content } | Inline::Strong { content } => links_into(content, out),
            _ => {}
        }
    }
}

/// Every passage of a letter, in reading order.
pub fn of(letter: &Letter) -> Vec<Passage> {
    let mut out = Vec::new();
    let head = &letter.letterhead;
    let address = std::iter::once(&head.name).chain(&head.address).cloned().collect::<Vec<_>>();
    out.push(Passage::new(
        "letterhead",
        Kind::Letterhead,
        "letterhead",
        &Text::plain(address.join(", ")),
    ));
    if let Some(logo) = &head.logo {
        out.push(Passage::new(
            "letterhead logo",
            Kind::Logo,
            "letterhead",
            &Text::plain(&logo.alt),
        ));
    }
    if letter.meta.draft {
        let mark = Text::plain(&letter.furniture.draft_mark);
        out.push(Passage::new("draft mark", Kind::DraftMark, "letterhead", &mark));
    }
    for row in &letter.header {
        let label = name_of(&row.label);
        let mut passage =
            Passage::new(format!("header: {label}"), Kind::Header, "header", &row.value);
        passage.identity = Some(label);
        out.push(passage);
    }
    out.push(Passage::new("title", Kind::Title, "title", &letter.title));
    let mut body = Body { out, name: String::new(), part: "", opened: false };
    body.blocks(&letter.body);
    let mut out = body.out;
    for note in &letter.footnotes {
        let mut passage = Passage::new(
            format!("footnote {}", note.number),
            Kind::Footnote,
            "footnotes",
            &note.text,
        );
        passage.number = Some(vec![note.number]);
        out.push(passage);
    }
    out
}

/// A heading or label as a place's name: "Copy to:" is "Copy to".
fn name_of(text: &Text) -> String {
    text.to_plain().trim().trim_end_matches(':').trim_end().to_string()
}

/// The walk of the body, which knows the section it is in.
struct Body {
    out: Vec<Passage>,
    /// The section's heading as a place's name; empty outside a section.
    name: String,
    /// The section's id; empty outside a section.
    part: &'static str,
    /// Whether a section has been met: paragraphs after one close the letter.
    opened: bool,
}

impl Body {
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Section { id, heading, blocks } => {
                self.opened = true;
                (self.name, self.part) = (name_of(heading), id);
                let place = format!("{}, heading", self.name);
                let mut passage = Passage::new(place, Kind::Heading, id, heading);
                // A section is the same section whatever its heading says.
                passage.identity = Some(id.to_string());
                self.out.push(passage);
                self.blocks(blocks);
                (self.name, self.part) = (String::new(), "");
            }
            Block::Paragraphs { paragraphs } => {
                let (name, part) = self.outside();
                for (i, p) in paragraphs.iter().enumerate() {
                    let place = format!("{name}, paragraph {}", i + 1);
                    self.out.push(Passage::new(place, Kind::Paragraph, part, p));
                }
            }
            Block::Area { number, heading, paragraphs, .. } => {
                let mut passage = Passage::new(
                    format!("{number}, heading"),
                    Kind::AreaHeading,
                    self.part,
                    heading,
                );
                passage.number = Some(vec![*number]);
                self.out.push(passage);
                for (i, p) in paragraphs.iter().enumerate() {
                    let mut passage = Passage::new(
                        format!("{number}.{}", i + 1),
                        Kind::Numbered,
                        self.part,
                        &p.text,
                    );
                    passage.number = Some(vec![*number, i + 1]);
                    self.out.push(passage);
                }
            }
            Block::List { items } => {
                for (i, item) in items.iter().enumerate() {
                    let place = format!("{}, item {}", self.name, i + 1);
                    self.out.push(Passage::new(place, Kind::Item, self.part, item));
                }
            }
            Block::CopyList { rows } => {
                for row in rows {
                    let role = name_of(&row.label);
                    let place = format!("{}: {role}", self.name);
                    let mut passage = Passage::new(place, Kind::CopyRow, self.part, &row.value);
                    passage.identity = Some(role);
                    self.out.push(passage);
                }
            }
            Block::SmallPrint { text } => {
                self.out.push(Passage::new("small print", Kind::SmallPrint, "small print", text));
            }
        }
    }

    /// The section's name and id; outside a section, paragraphs before
    /// the first open the letter and those after close it.
    fn outside(&self) -> (String, &'static str) {
        match (self.part.is_empty(), self.opened) {
            (false, _) => (self.name.clone(), self.part),
            (true, false) => ("opening".into(), "opening"),
            (true, true) => ("closing".into(), "closing"),
        }
    }
}
