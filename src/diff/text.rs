//! The changes as text, for a terminal or a log.
//!
//! Each change is its place, then the words, wrapped and indented. In
//! colour, deleted words are red and struck through and inserted words
//! green and underlined (so the change shows without colour vision too);
//! without colour they are marked `[-deleted-]` and `{+inserted+}`, as
//! `git diff --word-diff` marks them. A changed paragraph is shown around
//! its changes, with a few words either side; an added or removed one whole.

use super::{Change, Comparison, Op, Piece, What};

/// Words kept either side of a change.
const CONTEXT: usize = 6;

/// Lines are wrapped to this many characters.
const WIDTH: usize = 78;

const INDENT: &str = "    ";

/// The changes as text; nothing when the letters read the same.
pub fn write(comparison: &Comparison, colour: bool) -> String {
    if comparison.is_same() {
        return String::new();
    }
    let paint = Paint { colour };
    let mut out = format!("--- {}\n+++ {}\n", comparison.old, comparison.new);
    for change in &comparison.changes {
        out.push('\n');
        out.push_str(&paint.bold(&change.heading()));
        out.push('\n');
        if change.what != What::Renumbered {
            let words = shown(change);
            for line in wrap(&words, &paint) {
                out.push_str(INDENT);
                out.push_str(&line);
                out.push('\n');
            }
        }
        for note in &change.notes {
            out.push_str(&format!("{INDENT}note: {note}\n"));
        }
    }
    out.push_str(&format!("\n{}\n", comparison.summary()));
    out
}

/// The words to show: around the changes of a changed passage, the start
/// of a moved one, all of an added or removed one.
fn shown(change: &Change) -> Vec<Piece> {
    match change.what {
        What::Changed => around_changes(&change.words),
        What::Moved => {
            change.words.iter().map(|p| Piece { op: p.op, text: start_of(&p.text) }).collect()
        }
        _ => change.words.clone(),
    }
}

fn start_of(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 2 * CONTEXT {
        text.to_string()
    } else {
        format!("{} …", words[..2 * CONTEXT].join(" "))
    }
}

/// The unchanged words cut to a few either side of each change.
fn around_changes(pieces: &[Piece]) -> Vec<Piece> {
    if pieces.iter().all(|p| p.op == Op::Same) {
        return pieces.iter().map(|p| Piece { op: p.op, text: start_of(&p.text) }).collect();
    }
    let last = pieces.len() - 1;
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            if piece.op != Op::Same {
                return piece.clone();
            }
            let words: Vec<&str> = piece.text.split_whitespace().collect();
            let n = words.len();
            let text = match (i == 0, i == last) {
                (true, _) if n > CONTEXT => format!("… {}", words[n - CONTEXT..].join(" ")),
                (false, true) if n > CONTEXT => format!("{} …", words[..CONTEXT].join(" ")),
                (false, false) if n > 2 * CONTEXT + 1 => {
                    format!("{} … {}", words[..CONTEXT].join(" "), words[n - CONTEXT..].join(" "))
                }
                _ => piece.text.clone(),
            };
            Piece { op: Op::Same, text }
        })
        .collect()
}

/// How words are marked: colour and lines on a terminal, brackets otherwise.
struct Paint {
    colour: bool,
}

impl Paint {
    fn bold(&self, text: &str) -> String {
        if self.colour { format!("\x1b[1m{text}\x1b[0m") } else { text.to_string() }
    }

    /// A word of a piece as printed, and how wide it is on screen.
    fn word(&self, op: Op, word: &str, first: bool, last: bool) -> (String, usize) {
        let width = word.chars().count();
        let (code, open, close) = match op {
            Op::Same => return (word.to_string(), width),
            Op::Deleted => ("31;9", "[-", "-]"),
            Op::Inserted => ("32;4", "{+", "+}"),
        };
        if self.colour {
            return (format!("\x1b[{code}m{word}\x1b[0m"), width);
        }
        let open = if first { open } else { "" };
        let close = if last { close } else { "" };
        (format!("{open}{word}{close}"), width + open.len() + close.len())
    }
}

/// The pieces' words in lines of at most [`WIDTH`] characters.
fn wrap(pieces: &[Piece], paint: &Paint) -> Vec<String> {
    let mut lines = Vec::new();
    let (mut line, mut width) = (String::new(), 0);
    for piece in pieces {
        let words: Vec<&str> = piece.text.split_whitespace().collect();
        for (k, word) in words.iter().enumerate() {
            let (printed, w) = paint.word(piece.op, word, k == 0, k + 1 == words.len());
            if width > 0 && width + 1 + w > WIDTH - INDENT.len() {
                lines.push(std::mem::take(&mut line));
                width = 0;
            }
            if width > 0 {
                line.push(' ');
                width += 1;
            }
            line.push_str(&printed);
            width += w;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(op: Op, text: &str) -> Piece {
        Piece { op, text: text.into() }
    }

    #[test]
    fn changed_words_are_marked_plain_or_in_colour() {
        let pieces =
            [piece(Op::Same, "in"), piece(Op::Deleted, "12 of"), piece(Op::Inserted, "13 of")];
        assert_eq!(wrap(&pieces, &Paint { colour: false }), ["in [-12 of-] {+13 of+}"]);
        let coloured = wrap(&pieces, &Paint { colour: true }).join("");
        assert!(coloured.contains("\x1b[31;9m12\x1b[0m"), "{coloured:?}");
        assert!(!coloured.contains("[-"), "{coloured:?}");
    }

    #[test]
    fn unchanged_words_are_cut_around_a_change() {
        let long = "a b c d e f g h i j k l m n o p";
        let pieces = [piece(Op::Same, long), piece(Op::Inserted, "X"), piece(Op::Same, long)];
        let shown = around_changes(&pieces);
        assert_eq!(shown[0].text, "… k l m n o p");
        assert_eq!(shown[2].text, "a b c d e f …");
    }

    #[test]
    fn long_text_wraps_under_the_width() {
        let text = "word ".repeat(40);
        let lines = wrap(&[piece(Op::Same, &text)], &Paint { colour: false });
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.len() <= WIDTH - INDENT.len()), "{lines:?}");
    }
}
