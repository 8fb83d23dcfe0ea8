//! A letter's text as the rules read it: the words a reader reads, where
//! its links are, its sentences and words.
//!
//! The rules look at words, not at inline runs, so each [`Text`] is
//! flattened once into a string with its links' places; footnote marks are
//! left out (their digits would join the word before and make "31%1" of
//! "31%"), the notes' own texts are read as texts of their own.

use std::ops::Range;

use crate::letter::{Inline, Text};

/// A text flattened: its words, and where its links are in them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Flat {
    pub text: String,
    pub links: Vec<Link>,
}

/// A link: the bytes of its words in [`Flat::text`], and its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Link {
    pub range: Range<usize>,
    pub url: String,
}

impl Flat {
    /// Flattens a text.
    pub(super) fn of(text: &Text) -> Self {
        let mut flat = Flat::default();
        flat.push(&text.runs);
        flat
    }

    fn push(&mut self, runs: &[Inline]) {
        for run in runs {
            match run {
                Inline::Text { text } => self.text.push_str(text),
                Inline::Emphasis { content } | Inline::Strong { content } => self.push(content),
                Inline::Link { url, content } => {
                    let start = self.text.len();
                    self.push(content);
                    self.links.push(Link { range: start..self.text.len(), url: url.clone() });
                }
                Inline::Note { .. } => {}
            }
        }
    }

    /// The number of words.
    pub(super) fn words(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

/// The sentences of a text, as byte ranges. A sentence ends at `.`, `?`
/// or `!` (after any closing quotes or brackets) followed by a space and a
/// capital, a figure or an opening quote, unless the word is an
/// abbreviation or an initial.
pub(super) fn sentences(text: &str, abbreviations: &[String]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = skip_space(text, 0);
    let mut words = text[start..].split_whitespace().peekable();
    let mut offset = start;
    while let Some(word) = words.next() {
        let at = offset + text[offset..].find(word).unwrap_or(0);
        offset = at + word.len();
        let Some(next) = words.peek() else { break };
        if ends_sentence(word, abbreviations) && starts_sentence(next) {
            out.push(start..offset);
            start = skip_space(text, offset);
        }
    }
    let end = text.trim_end().len();
    if start < end {
        out.push(start..end);
    }
    out
}

fn skip_space(text: &str, from: usize) -> usize {
    from + (text[from..].len() - text[from..].trim_start().len())
}

fn ends_sentence(word: &str, abbreviations: &[String]) -> bool {
    let bare = word.trim_end_matches(['"', '\'', '’', '”', ')', ']', '*', '_']);
    if !bare.ends_with(['.', '?', '!']) {
        return false;
    }
    let is_initial = {
        let mut chars = bare.chars();
        matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
    };
    !is_initial && !abbreviations.iter().any(|a| a.eq_ignore_ascii_case(bare))
}

fn starts_sentence(word: &str) -> bool {
    let bare = word.trim_start_matches(['"', '\'', '‘', '“', '(', '[', '*', '_']);
    bare.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// The first few words of a text, to quote it by.
pub(super) fn beginning(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 6 { words.join(" ") } else { format!("{} …", words[..5].join(" ")) }
}

/// The number of whitespace-separated words before byte `offset`.
pub(super) fn word_index(text: &str, offset: usize) -> usize {
    text[..offset].split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::parse;

    #[test]
    fn flat_text_has_its_links_and_no_note_marks() {
        let text =
            Text { runs: parse("See *the* [plan](https://x.org) here.", None).unwrap(), key: None };
        let flat = Flat::of(&text);
        assert_eq!(flat.text, "See the plan here.");
        assert_eq!(&flat.text[flat.links[0].range.clone()], "plan");
        let noted = Text {
            runs: vec![Inline::Text { text: "31%".into() }, Inline::Note { number: 1, body: None }],
            key: None,
        };
        assert_eq!(Flat::of(&noted).text, "31%");
    }

    #[test]
    fn sentences_end_at_stops_but_not_at_abbreviations() {
        let abbreviations = vec!["e.g.".to_string(), "Mr.".to_string()];
        let text = "It was good, e.g. in Leeds. Mr. Smith agreed. 7 cases were late. J. Bloggs said \"yes.\" The end";
        let found: Vec<&str> =
            sentences(text, &abbreviations).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            [
                "It was good, e.g. in Leeds.",
                "Mr. Smith agreed.",
                "7 cases were late.",
                "J. Bloggs said \"yes.\"",
                "The end"
            ]
        );
        assert!(sentences("  ", &abbreviations).is_empty());
    }

    #[test]
    fn words_are_counted_and_quoted() {
        assert_eq!(word_index("one two three", 8), 2);
        assert_eq!(beginning("a b c"), "a b c");
        assert_eq!(beginning("a b c d e f g"), "a b c d e …");
    }
}
