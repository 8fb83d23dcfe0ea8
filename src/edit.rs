//! Editing a findings file in place, as a person would: one value
//! rewritten, every other byte (comments, blank lines, key order, quoting,
//! block scalars) left where it was.
//!
//! The file is never written back from a parsed model, which would lose
//! its comments and layout (Decap CMS's issue 5099). The key index of
//! `yaml/index.rs` says where each value's bytes are; [`set`] replaces only
//! those bytes, in the value's own style where it can (a block scalar stays
//! a block at its indentation, a plain word stays plain), and then reads
//! the new text again: the value at the key must be exactly what was meant
//! and every other value exactly what it was, or the edit is refused.

use crate::yaml::{KeyIndex, NodeKind};

/// One text value of the file, as a form shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its key path, e.g. `commentary[1].paragraphs[0]`.
    pub key: String,
    /// Its text, after YAML processing.
    pub value: String,
    /// Whether it is a paragraph (a block scalar, or text in a list of
    /// paragraphs), shown as a textarea rather than a one-line input.
    pub long: bool,
}

/// The text values at or under `prefix` (`summary`, `commentary[1]`), in
/// file order. An empty prefix is every text value.
pub fn fields(text: &str, prefix: &str) -> Vec<Field> {
    let index = KeyIndex::build(text);
    let under = |path: &str| {
        prefix.is_empty()
            || path == prefix
            || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with(['.', '[']))
    };
    index
        .nodes()
        .iter()
        .filter(|node| !node.path.is_empty() && under(&node.path))
        .filter_map(|node| match &node.kind {
            NodeKind::Scalar(value, _) => Some(Field {
                key: node.path.clone(),
                value: value.clone(),
                long: Block::find(text, &node.value).is_some()
                    || node.path.ends_with(']') && !node.path.contains("names"),
            }),
            _ => None,
        })
        .collect()
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The file's text with the value at `key` made `value`, and nothing else
/// changed.
pub fn set(text: &str, key: &str, value: &str) -> Result<String, Refused> {
    let index = KeyIndex::build(text);
    if !index.is_complete() {
        return Err(Refused("the file has a YAML syntax error: fix it in a text editor".into()));
    }
    let Some(node) = index.get(key) else {
        return Err(Refused(format!("there is no value at {key} in the file")));
    };
    let NodeKind::Scalar(old, _) = &node.kind else {
        return Err(Refused(format!("the value at {key} is not text")));
    };
    if old == value {
        return Ok(text.to_string());
    }
    let range = node.value.clone();
    let written = &text[range.clone()];
    // Each try: the byte ranges to replace (in order, apart) and with what.
    let mut tries: Vec<Vec<(std::ops::Range<usize>, String)>> = Vec::new();
    if let Some(block) = Block::find(text, &range) {
        tries.extend(block.rewritten(value));
        tries.push(vec![(block.indicator.start..block.content.end, quoted(value))]);
    } else {
        if is_plain_safe(value) && !written.starts_with(['"', '\'']) {
            tries.push(vec![(range.clone(), value.to_string())]);
        }
        tries.push(vec![(range.clone(), quoted(value))]);
    }
    for pieces in tries {
        let mut edited = String::with_capacity(text.len() + value.len());
        let mut at = 0;
        for (span, with) in &pieces {
            edited.push_str(&text[at..span.start]);
            edited.push_str(with);
            at = span.end;
        }
        edited.push_str(&text[at..]);
        if same_but(&index, &KeyIndex::build(&edited), key, value) {
            return Ok(edited);
        }
    }
    Err(Refused(format!("the value at {key} could not be written without changing others")))
}

/// A block scalar as it is written: its indicator (`|`, `>-`, ...) on the
/// line before, and its content lines.
struct Block {
    /// The indicator and its chomping and indentation marks.
    indicator: std::ops::Range<usize>,
    folded: bool,
    /// From the start of the first content line to the end of the last
    /// character that is not a space.
    content: std::ops::Range<usize>,
    /// The content's indentation.
    indent: usize,
}

impl Block {
    /// The block scalar whose content the index places at `value`, if the
    /// value is one. (The index's range of a block runs from its first
    /// character to the indentation of the line after it.)
    fn find(text: &str, value: &std::ops::Range<usize>) -> Option<Block> {
        let line_start = text[..value.start].rfind('\n')? + 1;
        let indent = value.start - line_start;
        if !text[line_start..value.start].chars().all(|c| c == ' ') {
            return None;
        }
        let header_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let header = &text[header_start..line_start - 1];
        let before_comment = header.find(" #").map_or(header, |i| &header[..i]);
        let at = before_comment.rfind(['|', '>'])?;
        let token_end = before_comment[at..].find(' ').map_or(before_comment.len(), |e| at + e);
        let token = &before_comment[at..token_end];
        if !token[1..].chars().all(|c| matches!(c, '-' | '+' | '1'..='9')) {
            return None;
        }
        let content_end = value.start + text[value.clone()].trim_end().len();
        Some(Block {
            indicator: header_start + at..header_start + token_end,
            folded: token.starts_with('>'),
            content: line_start..content_end,
            indent,
        })
    }

    /// The block rewritten to hold `value`, at its indentation: folded
    /// text stays folded (one line, or lines of at most 80 columns broken
    /// at single spaces) when it has no line breaks; otherwise literal.
    fn rewritten(&self, value: &str) -> Vec<Vec<(std::ops::Range<usize>, String)>> {
        let body = value.strip_suffix('\n').unwrap_or(value);
        if body.is_empty() || body.lines().any(|l| l.starts_with([' ', '\t'])) {
            return Vec::new();
        }
        let chomp = if value.ends_with('\n') { "" } else { "-" };
        let pad = " ".repeat(self.indent);
        let indented = |lines: Vec<String>| {
            lines
                .iter()
                .map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut out = Vec::new();
        if self.folded && !body.contains('\n') {
            let lines = wrap(body, 80usize.saturating_sub(self.indent).max(20));
            out.push(vec![
                (self.indicator.clone(), format!(">{chomp}")),
                (self.content.clone(), indented(lines)),
            ]);
        }
        out.push(vec![
            (self.indicator.clone(), format!("|{chomp}")),
            (self.content.clone(), indented(body.split('\n').map(String::from).collect())),
        ]);
        out
    }
}

/// Words broken into lines of at most `width` at single spaces, so that
/// folding them again gives the same text (text with runs of spaces stays
/// on one line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    if text.contains("  ") {
        return vec![text.to_string()];
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        } else if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// Whether a value can be written plain and read back the same: one line
/// of words and ordinary punctuation.
fn is_plain_safe(value: &str) -> bool {
    let first = value.chars().next();
    first.is_some_and(|c| c.is_alphanumeric())
        && value.chars().all(|c| c.is_alphanumeric() || " .,;()'’-".contains(c))
        && !value.ends_with(' ')
        && !matches!(
            value.to_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n" | "~"
        )
        && value.parse::<f64>().is_err()
}

/// A YAML double-quoted string: JSON's escaping is YAML's.
fn quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
}

/// Whether the new index has the same keys and values as the old, but
/// `value` at `key`.
fn same_but(old: &KeyIndex, new: &KeyIndex, key: &str, value: &str) -> bool {
    if !new.is_complete() || old.nodes().len() != new.nodes().len() {
        return false;
    }
    old.nodes().iter().zip(new.nodes()).all(|(a, b)| {
        a.path == b.path
            && match (&a.kind, &b.kind) {
                (NodeKind::Scalar(_, _), NodeKind::Scalar(v, _)) if a.path == key => v == value,
                (NodeKind::Scalar(x, _), NodeKind::Scalar(y, _)) => x == y,
                (x, y) => std::mem::discriminant(x) == std::mem::discriminant(y),
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# A letter\narea: Barnet   # the area\nsummary:\n  - |\n    First paragraph,\n    on two lines.\n\n  # a comment between\n  - \"Second, quoted.\"\n  - Third plain\nstrengths: [Good., \"Fine\"]\n";

    fn value_at(text: &str, key: &str) -> String {
        KeyIndex::build(text).get(key).and_then(|n| n.scalar().map(str::to_string)).unwrap()
    }

    #[test]
    fn one_value_changes_and_every_other_byte_stays() {
        for (key, value) in [
            ("area", "Barnet and Enfield"),
            ("summary[0]", "A new first paragraph.\nWith a second line."),
            ("summary[1]", "Quoted: with \"quotes\" and # signs"),
            ("summary[2]", "Still plain"),
            ("strengths[1]", "Fine, really: yes"),
            ("strengths[0]", "{{ not code }} <b>nor this</b>"),
        ] {
            let edited = set(FILE, key, value).unwrap();
            assert_eq!(value_at(&edited, key), value, "{key} in\n{edited}");
            // What changed is one value's bytes (and a block's indicator).
            let start = FILE.bytes().zip(edited.bytes()).take_while(|(a, b)| a == b).count();
            let end =
                FILE.bytes().rev().zip(edited.bytes().rev()).take_while(|(a, b)| a == b).count();
            let old = &FILE[start..FILE.len() - end.min(FILE.len() - start)];
            assert!(
                !old.contains('#') && !old.contains("\n  - ") && !old.contains(':'),
                "{key}: {old:?}"
            );
        }
    }

    #[test]
    fn styles_are_kept() {
        let edited = set(FILE, "summary[0]", "Changed.").unwrap();
        assert!(edited.contains("  - |-\n    Changed.\n"), "{edited}");
        assert!(edited.contains("# a comment between"), "{edited}");
        let folded = "a: >-\n  One long\n  line.\nb: 1\n";
        let long = "word ".repeat(30).trim_end().to_string();
        let edited = set(folded, "a", &long).unwrap();
        assert!(edited.starts_with("a: >-\n  word word"), "{edited}");
        assert!(edited.lines().all(|l| l.len() <= 80), "{edited}");
        assert!(edited.ends_with("\nb: 1\n"), "{edited}");
        let edited = set(FILE, "summary[2]", "Plain again").unwrap();
        assert!(edited.contains("  - Plain again\n"), "{edited}");
        let edited = set(FILE, "summary[2]", "yes").unwrap();
        assert!(edited.contains("  - \"yes\"\n"), "a word YAML reads as true is quoted: {edited}");
    }

    #[test]
    fn what_cannot_be_edited_is_refused() {
        assert!(set(FILE, "nowhere", "x").is_err());
        assert!(set(FILE, "summary", "x").is_err());
        assert!(set("area: [\n", "area", "x").is_err());
    }

    #[test]
    fn fields_are_found_under_a_part() {
        let keys: Vec<String> = fields(FILE, "summary").into_iter().map(|f| f.key).collect();
        assert_eq!(keys, ["summary[0]", "summary[1]", "summary[2]"]);
        assert!(fields(FILE, "summary")[0].long);
        assert_eq!(fields(FILE, "area")[0].value, "Barnet");
    }

    mod random_edits {
        use proptest::prelude::*;

        use super::super::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

            #[test]
            fn any_text_written_at_any_key_reads_back_exactly(
                fixture in proptest::sample::select(vec![
                    "barnet-2014.yaml", "bath-2016.yaml", "caerdydd-2016-cy.yaml",
                    "gwynedd-2015.yaml", "torbay-2015.yaml", "wrexham-2016.yaml",
                ]),
                pick in any::<proptest::sample::Index>(),
                value in "[ -~\n£ŵŷ“”’]{1,80}",
            ) {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(fixture);
                let text = std::fs::read_to_string(path).unwrap();
                let all = fields(&text, "");
                let field = &all[pick.index(all.len())];
                match set(&text, &field.key, &value) {
                    Ok(edited) => {
                        let index = KeyIndex::build(&edited);
                        let got = index.get(&field.key).and_then(|n| n.scalar()).map(str::to_string);
                        prop_assert_eq!(got.as_deref(), Some(value.as_str()), "{}", edited);
                        prop_assert!(same_but(&KeyIndex::build(&text), &index, &field.key, &value));
                    }
                    Err(refused) => prop_assert!(false, "{} refused: {}", field.key, refused),
                }
            }
        }
    }
}
