//! Aligning two letters' passages, and the words of two passages.
//!
//! Passages are aligned, not compared by position: a diff of the passages
//! as units (patience, which anchors on passages that occur once) finds
//! those that read the same; between two such anchors, the passages left
//! over are paired by how many words they share, in order, so an inserted
//! paragraph is one addition and the paragraphs after it are the same
//! paragraphs, renumbered. Rows (header, copy list) pair by their label.

use std::collections::HashMap;
use std::time::Instant;

use similar::{Algorithm, DiffOp, capture_diff_slices, capture_diff_slices_deadline};

use super::passages::{Kind, Passage};

/// How a passage of the old letter and one of the new are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pairing {
    /// The same words, styles and links.
    Same(usize, usize),
    /// The same passage, changed.
    Changed(usize, usize),
    /// An old passage with no new one.
    Removed(usize),
    /// A new passage with no old one.
    Added(usize),
    /// The same words, styles and links at another place.
    Moved(usize, usize),
}

/// Passages that share fewer words than this are not the same passage.
const MIN_SHARED: f32 = 0.4;

/// What two passages must share to be equal: kind, row, and every run.
type Key = (Kind, Option<String>, String);

fn key(p: &Passage) -> Key {
    (p.kind, p.identity.clone(), format!("{:?}", p.text.runs))
}

/// The passages of two letters, paired in reading order.
pub fn align(old: &[Passage], new: &[Passage]) -> Vec<Pairing> {
    let old_keys: Vec<Key> = old.iter().map(key).collect();
    let new_keys: Vec<Key> = new.iter().map(key).collect();
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                out.extend((0..len).map(|i| Pairing::Same(old_index + i, new_index + i)));
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                out.extend((old_index..old_index + old_len).map(Pairing::Removed));
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                out.extend((new_index..new_index + new_len).map(Pairing::Added));
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                let olds = old_index..old_index + old_len;
                let news = new_index..new_index + new_len;
                out.extend(replaced(old, &old_keys, olds, new, &new_keys, news));
            }
        }
    }
    out
}

/// Pairs the passages of a replaced stretch. Passages found word for word
/// on both sides are moves (two paragraphs swapped are two moves, not two
/// rewrites); the rest are paired by [`pair_up`]. In the order of the new
/// letter, a removed passage after the new one before it.
fn replaced(
    old: &[Passage],
    old_keys: &[Key],
    olds: std::ops::Range<usize>,
    new: &[Passage],
    new_keys: &[Key],
    news: std::ops::Range<usize>,
) -> Vec<Pairing> {
    let mut unmatched: HashMap<&Key, Vec<usize>> = HashMap::new();
    for i in olds.clone().rev() {
        unmatched.entry(&old_keys[i]).or_default().push(i);
    }
    let mut moved = Vec::new();
    let mut rest_new = Vec::new();
    for j in news.clone() {
        match unmatched.get_mut(&new_keys[j]).and_then(Vec::pop) {
            Some(i) => moved.push(Pairing::Moved(i, j)),
            None => rest_new.push(j),
        }
    }
    let taken: Vec<usize> = moved
        .iter()
        .filter_map(|p| match p {
            Pairing::Moved(i, _) => Some(*i),
            _ => None,
        })
        .collect();
    let rest_old: Vec<usize> = olds.filter(|i| !taken.contains(i)).collect();
    let mut all = pair_up(old, &rest_old, new, &rest_new);
    all.extend(moved);
    // Where each goes in reading order: at its new passage, or a removed
    // one just after the new passage before it.
    let mut last = 2 * news.start;
    let mut keyed: Vec<(usize, Pairing)> = Vec::with_capacity(all.len());
    for pairing in all {
        let key = match pairing {
            Pairing::Added(j)
            | Pairing::Changed(_, j)
            | Pairing::Moved(_, j)
            | Pairing::Same(_, j) => {
                last = 2 * j + 2;
                2 * j + 1
            }
            Pairing::Removed(_) => last,
        };
        keyed.push((key, pairing));
    }
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, pairing)| pairing).collect()
}

/// Pairs the passages left in a replaced stretch: the pairing, in order,
/// whose pairs share the most words.
fn pair_up(old: &[Passage], olds: &[usize], new: &[Passage], news: &[usize]) -> Vec<Pairing> {
    let (m, n) = (olds.len(), news.len());
    // A stretch too long to pair each with each (the score table grows as
    // the product): its passages are removed and added.
    if m.saturating_mul(n) > MAX_PAIRINGS {
        let mut out: Vec<Pairing> = olds.iter().map(|&i| Pairing::Removed(i)).collect();
        out.extend(news.iter().map(|&j| Pairing::Added(j)));
        return out;
    }
    let bags_old: Vec<Bag> = olds.iter().map(|&i| Bag::of(&old[i])).collect();
    let bags_new: Vec<Bag> = news.iter().map(|&j| Bag::of(&new[j])).collect();
    let like =
        |i: usize, j: usize| likeness(&old[olds[i]], &new[news[j]], &bags_old[i], &bags_new[j]);
    // best[i][j]: the best total for the first i old and j new passages.
    let mut best = vec![vec![0.0f32; n + 1]; m + 1];
    for i in 1..=m {
        for j in 1..=n {
            let skip = best[i - 1][j].max(best[i][j - 1]);
            let pair = like(i - 1, j - 1).map_or(f32::MIN, |score| best[i - 1][j - 1] + score);
            best[i][j] = skip.max(pair);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (m, n);
    while i > 0 && j > 0 {
        let score = like(i - 1, j - 1);
        if score.is_some_and(|s| best[i][j] == best[i - 1][j - 1] + s) {
            pairs.push((i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if best[i][j] == best[i - 1][j] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    pairs.reverse();
    let mut out = Vec::new();
    let (mut next_old, mut next_new) = (0, 0);
    for (a, b) in pairs {
        out.extend(olds[next_old..a].iter().map(|&i| Pairing::Removed(i)));
        out.extend(news[next_new..b].iter().map(|&j| Pairing::Added(j)));
        out.push(Pairing::Changed(olds[a], news[b]));
        (next_old, next_new) = (a + 1, b + 1);
    }
    out.extend(olds[next_old..].iter().map(|&i| Pairing::Removed(i)));
    out.extend(news[next_new..].iter().map(|&j| Pairing::Added(j)));
    out
}

/// The most pairs of passages one replaced stretch scores (a letter has
/// about a hundred passages; a file of thousands of list items is not
/// scored each with each).
const MAX_PAIRINGS: usize = 250_000;

/// The words of a passage as a bag, counted: how alike two passages are is
/// how many words they share, whatever the order, found in time linear in
/// their length.
struct Bag {
    counts: HashMap<String, u32>,
    words: usize,
}

impl Bag {
    fn of(passage: &Passage) -> Self {
        let mut counts = HashMap::new();
        let reading = passage.reading();
        let mut words = 0;
        for word in reading.split_whitespace() {
            *counts.entry(word.to_string()).or_insert(0) += 1;
            words += 1;
        }
        Bag { counts, words }
    }

    /// Twice the words shared over the words of both: 1 for the same
    /// words, 0 for none in common.
    fn ratio(&self, other: &Bag) -> f32 {
        let total = self.words + other.words;
        if total == 0 {
            return 1.0;
        }
        let shared: u32 = self
            .counts
            .iter()
            .map(|(word, n)| other.counts.get(word).map_or(0, |m| (*n).min(*m)))
            .sum();
        2.0 * shared as f32 / total as f32
    }
}

/// How alike two passages are, if they can be the same passage: rows
/// with the same label always are; other passages of one kind when they
/// share enough words, a little more readily at the same place.
fn likeness(a: &Passage, b: &Passage, x: &Bag, y: &Bag) -> Option<f32> {
    if a.kind != b.kind {
        return None;
    }
    match (&a.identity, &b.identity) {
        (Some(x), Some(y)) => return (x == y).then_some(2.0),
        (None, None) => {}
        _ => return None,
    }
    let ratio = x.ratio(y);
    let same_place = a.place == b.place;
    (ratio >= MIN_SHARED || same_place).then_some(ratio + if same_place { 0.2 } else { 0.0 })
}

/// A run of words, and whether it was kept, deleted or inserted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Piece {
    /// Whether the words are kept, deleted or inserted.
    pub op: Op,
    /// The words, with the spaces between them.
    pub text: String,
}

/// What happened to a run of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// In both versions.
    Same,
    /// In the old version only.
    Deleted,
    /// In the new version only.
    Inserted,
}

/// The words of two texts, with what changed between them, and whether
/// the comparison was cut short at `deadline` (then the words are compared
/// more coarsely: longer runs deleted and inserted, never a word lost).
pub fn words(old: &str, new: &str, deadline: Instant) -> (Vec<Piece>, bool) {
    let (x, y): (Vec<&str>, Vec<&str>) =
        (old.split_whitespace().collect(), new.split_whitespace().collect());
    let mut out: Vec<Piece> = Vec::new();
    let mut push = |op: Op, words: &[&str]| {
        if words.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.op == op => {
                last.text.push(' ');
                last.text.push_str(&words.join(" "));
            }
            _ => out.push(Piece { op, text: words.join(" ") }),
        }
    };
    for op in capture_diff_slices_deadline(Algorithm::Myers, &x, &y, Some(deadline)) {
        let (o, n) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => push(Op::Same, &y[n]),
            _ => {
                push(Op::Deleted, &x[o]);
                push(Op::Inserted, &y[n]);
            }
        }
    }
    (out, Instant::now() > deadline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::Text;

    fn passage(place: &str, kind: Kind, words: &str) -> Passage {
        Passage {
            place: place.into(),
            kind,
            identity: None,
            number: None,
            part: "p",
            text: Text::plain(words),
        }
    }

    #[test]
    fn an_inserted_paragraph_is_one_addition() {
        let old = [
            passage("1.1", Kind::Numbered, "alpha beta gamma"),
            passage("1.2", Kind::Numbered, "delta epsilon zeta"),
            passage("1.3", Kind::Numbered, "eta theta iota"),
        ];
        let new = [
            passage("1.1", Kind::Numbered, "alpha beta gamma"),
            passage("1.2", Kind::Numbered, "a quite new paragraph"),
            passage("1.3", Kind::Numbered, "delta epsilon zeta"),
            passage("1.4", Kind::Numbered, "eta theta iota changed"),
        ];
        use Pairing::*;
        assert_eq!(align(&old, &new), [Same(0, 0), Added(1), Same(1, 2), Changed(2, 3)]);
    }

    #[test]
    fn swapped_paragraphs_are_moves() {
        let old = [
            passage("1.1", Kind::Numbered, "alpha beta gamma"),
            passage("1.2", Kind::Numbered, "delta epsilon zeta"),
            passage("1.3", Kind::Numbered, "eta theta iota"),
            passage("1.4", Kind::Numbered, "kappa lambda mu"),
        ];
        let new = [
            passage("1.1", Kind::Numbered, "alpha beta gamma"),
            passage("1.2", Kind::Numbered, "eta theta iota"),
            passage("1.3", Kind::Numbered, "delta epsilon zeta"),
            passage("1.4", Kind::Numbered, "kappa lambda mu"),
        ];
        // Word for word on both sides: never paired as rewrites (`moves`
        // in diff.rs makes the removal and addition one move).
        let pairings = align(&old, &new);
        assert!(!pairings.iter().any(|p| matches!(p, Pairing::Changed(..))), "{pairings:?}");
        // In a stretch the diff replaced, the same words are moves.
        let old = [old[1].clone(), old[2].clone()];
        let new = [new[1].clone(), new[2].clone(), passage("1.4", Kind::Numbered, "nu xi")];
        let (old_keys, new_keys): (Vec<Key>, Vec<Key>) =
            (old.iter().map(key).collect(), new.iter().map(key).collect());
        let pairings = replaced(&old, &old_keys, 0..2, &new, &new_keys, 0..3);
        assert_eq!(pairings, [Pairing::Moved(1, 0), Pairing::Moved(0, 1), Pairing::Added(2)]);
    }

    #[test]
    fn unlike_passages_are_removed_and_added() {
        let old = [passage("a", Kind::Item, "one two three four")];
        let new = [passage("b", Kind::Item, "five six seven eight")];
        assert_eq!(align(&old, &new), [Pairing::Removed(0), Pairing::Added(0)]);
        let heading = [passage("a", Kind::Heading, "one two three four")];
        let item = [passage("a", Kind::Item, "one two three four")];
        assert_eq!(align(&heading, &item), [Pairing::Removed(0), Pairing::Added(0)]);
    }

    #[test]
    fn changed_words_are_marked() {
        let later = Instant::now() + std::time::Duration::from_secs(60);
        let (pieces, cut) = words("in 12 of the 16 cases", "in 13 of the 16 cases", later);
        assert!(!cut);
        let ops: Vec<(Op, &str)> = pieces.iter().map(|p| (p.op, p.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                (Op::Same, "in"),
                (Op::Deleted, "12"),
                (Op::Inserted, "13"),
                (Op::Same, "of the 16 cases")
            ]
        );
    }
}
