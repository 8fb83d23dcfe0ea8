//! What a reader would see change between two versions of a letter.
//!
//! The publications team regenerates letters after corrections and needs
//! to know what moved in the letter, not in the YAML: so the two composed
//! [`Letter`]s are compared, with the standard words written in, and a
//! changed words file or organisation detail shows up as well. Each letter
//! becomes a list of passages named by their place ([`passages`]); the
//! passages are aligned, not compared by position, and the words of a
//! changed passage are compared word by word ([`align`]). A renumbering
//! (every paragraph after an inserted one) is reported once, as a range.
//! [`text`] writes the changes for a terminal, [`html`] as a web page with
//! `<ins>` and `<del>`; `--format json` is this module's types as JSON.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::Pipeline;
use crate::error::Diagnostic;
use crate::letter::Letter;
use crate::load::Input;

pub mod align;
pub mod html;
pub mod passages;
pub mod text;

use align::Pairing;
pub use align::{Op, Piece};
use passages::{Kind, Passage};

/// The changes between two letters, named by their files.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The older version, as named on the command line.
    pub old: String,
    /// The newer version.
    pub new: String,
    /// The letters' language, for the words of the page.
    pub language: String,
    /// In the order of the new letter.
    pub changes: Vec<Change>,
}

impl Comparison {
    /// Whether the letters read the same.
    pub fn is_same(&self) -> bool {
        self.changes.is_empty()
    }

    /// "3 changed, 1 added, 1 removed, 5 renumbered".
    pub fn summary(&self) -> String {
        let mut counts = Vec::new();
        for what in [What::Changed, What::Added, What::Removed, What::Moved, What::Renumbered] {
            let n: usize = self.changes.iter().filter(|c| c.what == what).map(Change::count).sum();
            if n > 0 {
                counts.push(format!("{n} {}", what.word()));
            }
        }
        counts.join(", ")
    }
}

/// One change a reader would see.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What kind of change it is.
    pub what: What,
    /// Where, in the new letter (in the old, for a removed passage).
    pub place: String,
    /// Where it was in the old letter, when that is not the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
    /// The words, with what changed marked.
    pub words: Vec<Piece>,
    /// What the words do not show: a link's new address, a change of
    /// emphasis, how many passages a renumbering moved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// How many passages it covers, for a renumbering.
    #[serde(skip_serializing_if = "is_one")]
    pub passages: usize,
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

impl Change {
    fn count(&self) -> usize {
        self.passages
    }

    /// What names the change: its place and what happened, e.g.
    /// "Key strengths, item 4 (removed)", "1.6 (was 1.5)".
    pub fn heading(&self) -> String {
        match (self.what, &self.was) {
            (What::Renumbered, _) => self.words.first().map(|p| p.text.clone()).unwrap_or_default(),
            (What::Moved, Some(was)) => format!("{} (moved from {was})", self.place),
            (What::Changed, Some(was)) => format!("{} (was {was})", self.place),
            (What::Changed, None) => self.place.clone(),
            (what, _) => format!("{} ({})", self.place, what.word()),
        }
    }
}

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// The passage is in both, with other words.
    Changed,
    /// The passage is new.
    Added,
    /// The passage is gone.
    Removed,
    /// The same words, in another part of the letter.
    Moved,
    /// The same passages under new numbers.
    Renumbered,
}

impl What {
    /// The word for it, as in "(added)".
    pub fn word(self) -> &'static str {
        match self {
            What::Changed => "changed",
            What::Added => "added",
            What::Removed => "removed",
            What::Moved => "moved",
            What::Renumbered => "renumbered",
        }
    }
}

/// Reads both versions of a letter, each with its pipeline (their
/// templates may differ): the two letters, or every error of both files.
pub fn read_both(
    old: (&Pipeline, &Input),
    new: (&Pipeline, &Input),
) -> Result<(Letter, Letter), Vec<Diagnostic>> {
    match (old.0.read_letter(old.1), new.0.read_letter(new.1)) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => {
            let errors = |r: Result<Letter, crate::Error>| r.err().map(|e| e.diagnostics());
            Err(errors(a).into_iter().chain(errors(b)).flatten().collect())
        }
    }
}

/// Compares two letters.
///
/// Bounded by the letters' length: passages are paired by the words they
/// share (linear in their words), and the words of changed passages are
/// compared word by word until [`WORD_BUDGET`] is spent; after that (only
/// enormous paragraphs take so long) more coarsely, and the change says so.
pub fn compare(old: &Letter, new: &Letter, names: (&str, &str)) -> Comparison {
    let (a, b) = (passages::of(old), passages::of(new));
    let pairings = moves(&a, &b, align::align(&a, &b));
    let groups = renumberings(&a, &b, &pairings);
    let deadline = Instant::now() + WORD_BUDGET;
    let mut changes = Vec::new();
    for (i, pairing) in pairings.iter().enumerate() {
        if let Some(group) = groups.iter().find(|g| g.first == i) {
            changes.push(group.change());
        }
        changes.extend(change(&a, &b, *pairing, deadline));
    }
    Comparison {
        old: names.0.to_string(),
        new: names.1.to_string(),
        language: new.meta.language.clone(),
        changes,
    }
}

/// How long the words of all changed passages may take to compare word by
/// word.
const WORD_BUDGET: Duration = Duration::from_millis(500);

/// The change a pairing shows, if any.
fn change(a: &[Passage], b: &[Passage], pairing: Pairing, deadline: Instant) -> Option<Change> {
    let whole = |op, text: String| vec![Piece { op, text }];
    let one = |what, place: &str, words| Change {
        what,
        place: place.to_string(),
        was: None,
        words,
        notes: Vec::new(),
        passages: 1,
    };
    match pairing {
        Pairing::Added(j) => {
            Some(one(What::Added, &b[j].place, whole(Op::Inserted, b[j].reading())))
        }
        Pairing::Removed(i) => {
            Some(one(What::Removed, &a[i].place, whole(Op::Deleted, a[i].reading())))
        }
        Pairing::Same(i, j) if a[i].part != b[j].part && a[i].number.is_none() => {
            let mut moved = one(What::Moved, &b[j].place, whole(Op::Same, b[j].reading()));
            moved.was = Some(a[i].place.clone());
            Some(moved)
        }
        Pairing::Same(..) => None,
        Pairing::Moved(i, j) if a[i].place == b[j].place && a[i].part == b[j].part => None,
        Pairing::Moved(i, j) => {
            let mut moved = one(What::Moved, &b[j].place, whole(Op::Same, b[j].reading()));
            moved.was = Some(a[i].place.clone());
            Some(moved)
        }
        Pairing::Changed(i, j) => {
            let (old, new) = (a[i].reading(), b[j].reading());
            let (words, cut) = align::words(&old, &new, deadline);
            let mut changed = one(What::Changed, &b[j].place, words);
            // A heading's place is its own words, which the change shows.
            let moved = a[i].place != b[j].place && a[i].kind != Kind::Heading;
            changed.was = moved.then(|| a[i].place.clone());
            changed.notes = notes(&a[i], &b[j], old == new);
            if cut {
                changed.notes.push(
                    "too long to compare word by word in good time: longer runs of words are marked"
                        .into(),
                );
            }
            Some(changed)
        }
    }
}

/// What changed besides the words: links' addresses, emphasis.
fn notes(old: &Passage, new: &Passage, same_words: bool) -> Vec<String> {
    let (x, y) = (old.links(), new.links());
    let mut notes = Vec::new();
    for (was, now) in x.iter().zip(&y) {
        if was.1 != now.1 {
            notes.push(format!("the link \"{}\" now goes to {} (was {})", now.0, now.1, was.1));
        }
    }
    if x.len() != y.len() {
        let links = |n: usize| match n {
            0 => "no links".to_string(),
            1 => "1 link".to_string(),
            n => format!("{n} links"),
        };
        notes.push(format!("{} now, {} before", links(y.len()), links(x.len())));
    }
    if same_words && notes.is_empty() {
        notes.push("the same words, with emphasis or bold changed".into());
    }
    notes
}

/// A passage removed from one place and added, word for word, at another
/// is a move. Found through a table of the removed passages, so a letter
/// of thousands of passages is not compared each with each.
fn moves(a: &[Passage], b: &[Passage], pairings: Vec<Pairing>) -> Vec<Pairing> {
    // The words, styles and links: not the key path, which a move changes.
    type Key<'a> = (Kind, &'a Option<String>, &'a [crate::letter::Inline]);
    fn key(p: &Passage) -> Key<'_> {
        (p.kind, &p.identity, p.text.runs.as_slice())
    }
    let mut removed: Vec<(Key, usize, usize)> = Vec::new();
    for (k, pairing) in pairings.iter().enumerate() {
        if let Pairing::Removed(i) = *pairing {
            removed.push((key(&a[i]), i, k));
        }
    }
    let mut table: std::collections::HashMap<String, Vec<(usize, usize)>> = Default::default();
    for (passage, i, k) in removed.iter().rev() {
        table.entry(format!("{passage:?}")).or_default().push((*i, *k));
    }
    let mut taken = vec![None; pairings.len()];
    let mut dropped = vec![false; pairings.len()];
    for (k, pairing) in pairings.iter().enumerate() {
        if let Pairing::Added(j) = *pairing
            && let Some((i, r)) = table.get_mut(&format!("{:?}", key(&b[j]))).and_then(Vec::pop)
        {
            taken[k] = Some(i);
            dropped[r] = true;
        }
    }
    pairings
        .into_iter()
        .enumerate()
        .filter(|(k, _)| !dropped[*k])
        .map(|(k, pairing)| match (pairing, taken[k]) {
            (Pairing::Added(j), Some(i)) => Pairing::Moved(i, j),
            (pairing, _) => pairing,
        })
        .collect()
}

/// Consecutive numbered passages that kept their order under new numbers:
/// "1.2 to 1.6 are now 1.3 to 1.7".
struct Renumbering {
    /// The pairing before which it is reported.
    first: usize,
    kind: Kind,
    from: (String, String),
    to: (String, String),
    passages: usize,
}

impl Renumbering {
    fn change(&self) -> Change {
        let span = |(first, last): &(String, String)| {
            if first == last { first.clone() } else { format!("{first} to {last}") }
        };
        let (one, many) = self.kind.noun();
        let noun = if self.passages == 1 { one } else { many };
        let words = format!("{noun} {} are now {}", span(&self.from), span(&self.to));
        let words = if self.passages == 1 { words.replacen(" are ", " is ", 1) } else { words };
        Change {
            what: What::Renumbered,
            place: span(&self.to),
            was: Some(span(&self.from)),
            words: vec![Piece { op: Op::Same, text: words }],
            notes: Vec::new(),
            passages: self.passages,
        }
    }
}

fn renumberings(a: &[Passage], b: &[Passage], pairings: &[Pairing]) -> Vec<Renumbering> {
    let mut groups: Vec<Renumbering> = Vec::new();
    let mut last: Option<(Vec<usize>, Vec<usize>)> = None;
    for (k, pairing) in pairings.iter().enumerate() {
        let (Pairing::Same(i, j) | Pairing::Changed(i, j)) = *pairing else { continue };
        let (Some(x), Some(y)) = (&a[i].number, &b[j].number) else { continue };
        if x == y {
            continue;
        }
        let (from, to) =
            (a[i].number_text().unwrap_or_default(), b[j].number_text().unwrap_or_default());
        let follows = last.as_ref().is_some_and(|(px, py)| next(px, x) && next(py, y));
        match groups.last_mut() {
            Some(group) if follows && group.kind == a[i].kind => {
                group.from.1 = from;
                group.to.1 = to;
                group.passages += 1;
            }
            _ => groups.push(Renumbering {
                first: k,
                kind: a[i].kind,
                from: (from.clone(), from),
                to: (to.clone(), to),
                passages: 1,
            }),
        }
        last = Some((x.clone(), y.clone()));
    }
    groups
}

/// Whether `b` is the number after `a`: 1.2 then 1.3.
fn next(a: &[usize], b: &[usize]) -> bool {
    a.len() == b.len()
        && a[..a.len() - 1] == b[..b.len() - 1]
        && a.last().map(|n| n + 1) == b.last().copied()
}
