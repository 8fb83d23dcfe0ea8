//! Aligning two letters' passages, and the words of two passages.
//!
//! Passages are aligned, not compared by position: a diff of the passages
//! as units (patience, which anchors on passages that occur once) finds
//! those that read the same; between two such anchors, the passages left
//! over are paired by how many words they share, in order, so an inserted
//! paragraph is one addition and the paragraphs after it are the same
//! paragraphs, renumbered. Rows (header, copy list) pair by their label.

use similar::{Algorithm, DiffOp, capture_diff_slices, get_diff_ratio};

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
                out.extend(pair_up(old, olds, new, news));
            }
        }
    }
    out
}

/// Pairs the passages of a replaced stretch: the pairing, in order, whose
/// pairs share the most words.
fn pair_up(
    old: &[Passage],
    olds: std::ops::Range<usize>,
    new: &[Passage],
    news: std::ops::Range<usize>,
) -> Vec<Pairing> {
    let (m, n) = (olds.len(), news.len());
    // best[i][j]: the best total for the first i old and j new passages.
    let mut best = vec![vec![0.0f32; n + 1]; m + 1];
    for i in 1..=m {
        for j in 1..=n {
            let skip = best[i - 1][j].max(best[i][j - 1]);
            let pair = likeness(&old[olds.start + i - 1], &new[news.start + j - 1])
                .map_or(f32::MIN, |score| best[i - 1][j - 1] + score);
            best[i][j] = skip.max(pair);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (m, n);
    while i > 0 && j > 0 {
        let score = likeness(&old[olds.start + i - 1], &new[news.start + j - 1]);
        if score.is_some_and(|s| best[i][j] == best[i - 1][j - 1] + s) {
            pairs.push((olds.start + i - 1, news.start + j - 1));
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
    let (mut next_old, mut next_new) = (olds.start, news.start);
    for (a, b) in pairs {
        out.extend((next_old..a).map(Pairing::Removed));
        out.extend((next_new..b).map(Pairing::Added));
        out.push(Pairing::Changed(a, b));
        (next_old, next_new) = (a + 1, b + 1);
    }
    out.extend((next_old..olds.end).map(Pairing::Removed));
    out.extend((next_new..news.end).map(Pairing::Added));
    out
}

/// How alike two passages are, if they can be the same passage: rows
/// with the same label always are; other passages of one kind when they
/// share enough words, a little more readily at the same place.
fn likeness(a: &Passage, b: &Passage) -> Option<f32> {
    if a.kind != b.kind {
        return None;
    }
    match (&a.identity, &b.identity) {
        (Some(x), Some(y)) => return (x == y).then_some(2.0),
        (None, None) => {}
        _ => return None,
    }
    let (x, y) = (a.reading(), b.reading());
    let (x, y): (Vec<&str>, Vec<&str>) =
        (x.split_whitespace().collect(), y.split_whitespace().collect());
    let ratio = get_diff_ratio(&capture_diff_slices(Algorithm::Myers, &x, &y), x.len(), y.len());
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

/// The words of two texts, with what changed between them.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
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
    for op in capture_diff_slices(Algorithm::Myers, &x, &y) {
        let (o, n) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => push(Op::Same, &y[n]),
            _ => {
                push(Op::Deleted, &x[o]);
                push(Op::Inserted, &y[n]);
            }
        }
    }
    out
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
        let pieces = words("in 12 of the 16 cases", "in 13 of the 16 cases");
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
