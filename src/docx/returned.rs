//! Reading a returned draft: every comment and tracked change, at its
//! place in the letter.
//!
//! A place comes from the bookmarks the draft was written with
//! (`places.rs`): the paragraph a comment's range starts in, or a change is
//! in, lies inside one. Word and LibreOffice keep bookmarks when they save
//! a document again, but rewrite everything else (ids, runs, namespaces),
//! so nothing here depends on how the XML was written, only on its
//! elements. Where a reviewer deleted a bookmark or pasted the text
//! elsewhere, the place is guessed from the paragraph (its number, or with
//! the findings its text: [`locate`]) and said to be a guess; a comment on
//! text that is no paragraph of the letter is listed as such, never
//! dropped. The zip is read with caps (`zip.rs`), the XML with no DTD (so
//! no entity can expand or be fetched) and a node limit.

use std::collections::HashMap;

use serde::Serialize;

use crate::docx::places::{self, Place as LetterPlace};
use crate::docx::zip::Archive;

/// The WordprocessingML namespace, which Word and LibreOffice both write.
pub(crate) const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// More comments than any factual accuracy check makes: past this the
/// file is not a returned draft.
pub const MAX_COMMENTS: usize = 5000;

/// The most XML nodes a part may have (a letter has a few thousand).
const MAX_NODES: u32 = 4_000_000;

/// What a point says: a comment, or a proposed change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Said {
    /// A comment.
    Comment {
        /// Its words.
        text: String,
        /// The text of the draft it is anchored to.
        anchor: String,
    },
    /// A tracked change: words deleted and words inserted.
    Change {
        /// What was deleted.
        deleted: String,
        /// What was inserted.
        inserted: String,
    },
}

impl Said {
    /// The comment's words, or the change as `[-old-]{+new+}`.
    pub fn words(&self) -> String {
        match self {
            Said::Comment { text, .. } => text.clone(),
            Said::Change { deleted, inserted } => {
                let mut out = String::new();
                let (deleted, inserted) = (deleted.trim(), inserted.trim());
                if !deleted.is_empty() {
                    out.push_str(&format!("[-{deleted}-]"));
                }
                if !inserted.is_empty() {
                    out.push_str(&format!("{{+{inserted}+}}"));
                }
                out
            }
        }
    }
}

/// Where a point is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// What a reader calls it: "1.3", "Summary, paragraph 2".
    pub label: String,
    /// The bookmark of the letter's place, if it is one.
    pub bookmark: Option<String>,
    /// Whether the place was guessed from the text, its bookmark gone.
    pub guess: bool,
    /// The findings file's key path of the place, with `--findings`.
    pub key: Option<String>,
}

/// A comment or change to answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    /// Where it is.
    pub place: Place,
    /// Who made it.
    pub who: String,
    /// When, as the document says (ISO 8601), if it does.
    pub date: Option<String>,
    /// The paragraph as the draft had it: deletions kept, insertions left out.
    pub draft: String,
    /// What was said.
    #[serde(flatten)]
    pub said: Said,
}

impl Point {
    /// The words a comment is anchored to, when they say more than the
    /// paragraph does: a part of it, not the whole (number aside).
    pub fn anchor(&self) -> Option<&str> {
        let Said::Comment { anchor, .. } = &self.said else { return None };
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let (on, draft) = (squeeze(anchor), squeeze(&self.draft));
        if on.is_empty() || on == draft {
            return None;
        }
        if let Some(number) = draft.strip_suffix(&on)
            && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            return None;
        }
        Some(anchor)
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

/// A paragraph met on the walk.
#[derive(Debug, Default)]
struct Paragraph {
    /// The text as the draft had it.
    original: String,
    /// The bookmark of the letter's place it is in, if any.
    bookmark: Option<String>,
    /// Whether that bookmark starts here (the first cell of a row).
    starts: bool,
    /// The footnote it is in, if it is in one.
    footnote: Option<String>,
}

/// A change being read.
#[derive(Debug)]
struct Change {
    paragraph: usize,
    who: String,
    date: Option<String>,
    deleted: String,
    inserted: String,
}

/// What text is: the draft's, inserted, or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark<'a> {
    Plain,
    Inserted(&'a str, Option<&'a str>),
    Deleted(&'a str, Option<&'a str>),
}

#[derive(Debug, Default)]
struct Walk {
    paragraphs: Vec<Paragraph>,
    current: Option<usize>,
    /// Open bookmarks of the letter's places: id and name.
    bookmarks: Vec<(String, String)>,
    /// Comments whose range is open, and the text they are anchored to.
    ranges: Vec<String>,
    anchors: HashMap<String, String>,
    /// The paragraph each comment is in.
    commented: HashMap<String, usize>,
    /// Comments whose range opened between paragraphs, for the next one.
    pending: Vec<String>,
    changes: Vec<Change>,
    /// The change the paragraph's text is in now.
    open_change: Option<usize>,
    footnote: Option<String>,
}

impl Walk {
    fn visit(&mut self, node: roxmltree::Node, mark: Mark) {
        for child in node.children().filter(|n| n.is_element()) {
            if child.tag_name().namespace() != Some(W) {
                self.visit(child, mark);
                continue;
            }
            let id = || child.attribute((W, "id")).unwrap_or("").to_string();
            let who = || child.attribute((W, "author")).unwrap_or("");
            match child.tag_name().name() {
                "p" => {
                    let outer = self.current;
                    let bookmark = self.bookmarks.last().map(|(_, name)| name.clone());
                    self.paragraphs.push(Paragraph {
                        bookmark,
                        footnote: self.footnote.clone(),
                        ..Paragraph::default()
                    });
                    let at = self.paragraphs.len() - 1;
                    self.current = Some(at);
                    for comment in self.pending.drain(..) {
                        self.commented.entry(comment).or_insert(at);
                    }
                    self.open_change = None;
                    self.visit(child, mark);
                    self.open_change = None;
                    self.current = outer;
                }
                "footnote" => {
                    self.footnote = Some(id());
                    self.visit(child, mark);
                    self.footnote = None;
                }
                "bookmarkStart" => {
                    let name = child.attribute((W, "name")).unwrap_or("");
                    if places::label(name, "").is_some() {
                        self.bookmarks.push((id(), name.to_string()));
                        if let Some(p) = self.current.map(|at| &mut self.paragraphs[at])
                            && !p.starts
                        {
                            p.bookmark = Some(name.to_string());
                            p.starts = true;
                        }
                    }
                }
                "bookmarkEnd" => {
                    let id = id();
                    self.bookmarks.retain(|(open, _)| *open != id);
                }
                "commentRangeStart" => {
                    let id = id();
                    self.anchors.entry(id.clone()).or_default();
                    match self.current {
                        Some(at) => {
                            self.commented.entry(id.clone()).or_insert(at);
                        }
                        None => self.pending.push(id.clone()),
                    }
                    self.ranges.push(id);
                }
                "commentRangeEnd" => {
                    let id = id();
                    self.ranges.retain(|open| *open != id);
                }
                "commentReference" => {
                    if let Some(at) = self.current {
                        self.commented.entry(id()).or_insert(at);
                    }
                }
                "ins" | "moveTo" => {
                    self.visit(child, Mark::Inserted(who(), child.attribute((W, "date"))))
                }
                "del" | "moveFrom" => {
                    self.visit(child, Mark::Deleted(who(), child.attribute((W, "date"))))
                }
                "t" | "delText" => self.text(child.text().unwrap_or(""), mark),
                "tab" | "br" | "cr" | "noBreakHyphen" => self.text(" ", mark),
                // Properties (a tracked change of formatting or of a
                // paragraph mark is no change of words), field codes.
                "pPr" | "rPr" | "sectPr" | "tblPr" | "trPr" | "tcPr" | "instrText" => {}
                _ => self.visit(child, mark),
            }
        }
    }

    fn text(&mut self, text: &str, mark: Mark) {
        let Some(at) = self.current else { return };
        match mark {
            Mark::Plain => {
                self.open_change = None;
                self.paragraphs[at].original.push_str(text);
            }
            Mark::Inserted(who, date) | Mark::Deleted(who, date) => {
                let change = match self.open_change {
                    Some(c) if self.changes[c].who == who => c,
                    _ => {
                        self.changes.push(Change {
                            paragraph: at,
                            who: who.to_string(),
                            date: date.map(str::to_string),
                            deleted: String::new(),
                            inserted: String::new(),
                        });
                        self.changes.len() - 1
                    }
                };
                self.open_change = Some(change);
                if matches!(mark, Mark::Inserted(..)) {
                    self.changes[change].inserted.push_str(text);
                    // An insertion is no text of the draft.
                    for id in &self.ranges {
                        self.anchors.entry(id.clone()).or_default().push_str(text);
                    }
                    return;
                }
                self.changes[change].deleted.push_str(text);
                self.paragraphs[at].original.push_str(text);
            }
        }
        for id in &self.ranges {
            self.anchors.entry(id.clone()).or_default().push_str(text);
        }
    }
}

/// A comment of `word/comments.xml`.
#[derive(Debug)]
struct Comment {
    id: String,
    who: String,
    date: Option<String>,
    text: String,
}

/// A part's bytes as text, or why they are not.
pub(crate) fn parse(name: &str, bytes: &[u8]) -> Result<String, Unreadable> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| Unreadable(format!("its part {name} is not UTF-8 text")))
}

/// A part's text as XML: no DTD (so no entity can expand or be fetched)
/// and at most [`MAX_NODES`] nodes, or why it cannot be read.
pub(crate) fn document<'a>(
    name: &str,
    text: &'a str,
) -> Result<roxmltree::Document<'a>, Unreadable> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let why = match e {
            roxmltree::Error::DtdDetected => {
                "it declares a DTD, which a Word document never does (entities are refused)".into()
            }
            roxmltree::Error::NodesLimitReached => "it has far more XML than any letter".into(),
            other => format!("it is not well-formed XML ({other})"),
        };
        Unreadable(format!("its part {name} cannot be read: {why}"))
    })
}

fn comments(archive: &Archive) -> Result<Vec<Comment>, Unreadable> {
    let name = "word/comments.xml";
    let Some(bytes) = archive.part(name).map_err(|e| Unreadable(e.0))? else {
        return Ok(Vec::new());
    };
    let text = parse(name, &bytes)?;
    let xml = document(name, &text)?;
    let mut out = Vec::new();
    for node in xml.root_element().children().filter(|n| n.has_tag_name((W, "comment"))) {
        if out.len() == MAX_COMMENTS {
            return Err(Unreadable(format!(
                "it has more than {MAX_COMMENTS} comments, more than any factual accuracy check makes"
            )));
        }
        let paragraphs: Vec<String> = node
            .descendants()
            .filter(|n| n.has_tag_name((W, "p")))
            .map(|p| {
                p.descendants()
                    .filter(|t| t.has_tag_name((W, "t")))
                    .filter_map(|t| t.text())
                    .collect::<String>()
            })
            .collect();
        out.push(Comment {
            id: node.attribute((W, "id")).unwrap_or("").to_string(),
            who: node.attribute((W, "author")).unwrap_or("").to_string(),
            date: node.attribute((W, "date")).map(str::to_string),
            text: paragraphs.join("\n").trim().to_string(),
        });
    }
    Ok(out)
}

/// Every comment and tracked change of a returned draft, in the order of
/// the document, each at its place.
pub fn read(bytes: &[u8]) -> Result<Vec<Point>, Unreadable> {
    let archive = Archive::read(bytes).map_err(|e| Unreadable(e.0))?;
    let comments = comments(&archive)?;
    let mut walk = Walk::default();
    let mut found_body = false;
    for name in ["word/document.xml", "word/footnotes.xml"] {
        let Some(bytes) = archive.part(name).map_err(|e| Unreadable(e.0))? else { continue };
        found_body |= name == "word/document.xml";
        let text = parse(name, &bytes)?;
        let xml = document(name, &text)?;
        walk.bookmarks.clear();
        walk.visit(xml.root(), Mark::Plain);
    }
    if !found_body {
        return Err(Unreadable(
            "it is a zip, but not a Word document (no word/document.xml)".into(),
        ));
    }
    // The first cell of each row names the row's place.
    let mut first_text: HashMap<&str, &str> = HashMap::new();
    for p in &walk.paragraphs {
        if let (true, Some(bookmark)) = (p.starts, &p.bookmark) {
            first_text.entry(bookmark).or_insert(p.original.as_str());
        }
    }
    // A place's text as the draft had it: all its paragraphs (a row's
    // cells, the letterhead's lines).
    let mut whole: HashMap<&str, String> = HashMap::new();
    for p in &walk.paragraphs {
        if let Some(bookmark) = &p.bookmark {
            let text = whole.entry(bookmark).or_default();
            text.push(' ');
            text.push_str(&p.original);
        }
    }
    let draft_of = |at: usize| {
        let p = &walk.paragraphs[at];
        let text = p.bookmark.as_deref().and_then(|b| whole.get(b));
        tidy(text.unwrap_or(&p.original))
    };
    let place_of = |at: Option<usize>| -> Place {
        let Some(p) = at.map(|at| &walk.paragraphs[at]) else {
            return Place {
                label: "not anchored to any text of the document".into(),
                bookmark: None,
                guess: false,
                key: None,
            };
        };
        if let Some(bookmark) = &p.bookmark {
            let text = first_text.get(bookmark.as_str()).copied().unwrap_or("");
            let label = places::label(bookmark, text).unwrap_or_else(|| bookmark.clone());
            return Place { label, bookmark: Some(bookmark.clone()), guess: false, key: None };
        }
        guessed(p)
    };
    let mut points: Vec<(usize, Point)> = Vec::new();
    for comment in comments {
        let at = walk.commented.get(&comment.id).copied();
        let draft = at.map(draft_of).unwrap_or_default();
        let anchor = walk.anchors.get(&comment.id).cloned().unwrap_or_default();
        points.push((
            at.unwrap_or(usize::MAX),
            Point {
                place: place_of(at),
                who: comment.who,
                date: comment.date,
                draft,
                said: Said::Comment { text: comment.text, anchor: tidy(&anchor) },
            },
        ));
    }
    for change in &walk.changes {
        let at = change.paragraph;
        points.push((
            at,
            Point {
                place: place_of(Some(at)),
                who: change.who.clone(),
                date: change.date.clone(),
                draft: draft_of(at),
                said: Said::Change {
                    deleted: change.deleted.clone(),
                    inserted: change.inserted.clone(),
                },
            },
        ));
    }
    // In the order of the document; a paragraph's comments before its changes.
    points.sort_by_key(|(at, point)| (*at, matches!(point.said, Said::Change { .. })));
    Ok(points.into_iter().map(|(_, point)| point).collect())
}

/// Runs of whitespace as one space, trimmed.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The place of a paragraph whose bookmark is gone: its number if it
/// starts with one ("1.3."), its footnote, else no paragraph of the
/// letter's.
fn guessed(p: &Paragraph) -> Place {
    let text = p.original.trim_start();
    let number: String = text.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let parts: Vec<&str> = number.trim_end_matches('.').split('.').collect();
    if let [area, paragraph] = parts[..]
        && !area.is_empty()
        && !paragraph.is_empty()
        && number.ends_with('.')
    {
        return Place {
            label: format!("{area}.{paragraph}"),
            bookmark: Some(format!("p{area}_{paragraph}")),
            guess: true,
            key: None,
        };
    }
    if let Some(note) = &p.footnote {
        return Place {
            label: format!("footnote {note}"),
            bookmark: Some(format!("footnote_{note}")),
            guess: true,
            key: None,
        };
    }
    let snippet: String = tidy(&p.original).chars().take(60).collect();
    Place {
        label: format!("outside the letter's paragraphs: \"{snippet}\""),
        bookmark: None,
        guess: false,
        key: None,
    }
}

/// Gives each point the key of its place in the findings, and guesses the
/// place of those without a bookmark from the letter's texts: the same
/// text, or failing that the most alike (at least half the words).
pub fn locate(points: &mut [Point], letter: &[LetterPlace]) {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for point in points {
        let known =
            point.place.bookmark.as_ref().and_then(|b| letter.iter().find(|p| &p.bookmark == b));
        let found = match known {
            Some(place) if !point.place.guess || squeeze(&place.text) == squeeze(&point.draft) => {
                Some((place, point.place.guess))
            }
            _ if point.draft.is_empty() => None,
            _ => {
                let draft = squeeze(&point.draft);
                letter.iter().find(|p| squeeze(&p.text) == draft).map(|p| (p, true)).or_else(|| {
                    letter
                        .iter()
                        .map(|p| {
                            (
                                p,
                                similar::TextDiff::from_words(
                                    p.text.as_str(),
                                    point.draft.as_str(),
                                )
                                .ratio(),
                            )
                        })
                        .filter(|(_, ratio)| *ratio >= 0.5)
                        .max_by(|a, b| a.1.total_cmp(&b.1))
                        .map(|(p, _)| (p, true))
                })
            }
        };
        if let Some((place, guess)) = found {
            point.place = Place {
                label: place.label.clone(),
                bookmark: Some(place.bookmark.clone()),
                guess,
                key: place.key.clone(),
            };
        }
    }
}
