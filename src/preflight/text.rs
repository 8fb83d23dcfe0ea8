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

/// A text as the personal-data patterns read it: every Unicode space as a
/// space, every dash as `-`, and the invisible characters that Word and
/// web pages slip between digits (zero-width spaces and joiners, the word
/// joiner, the byte order mark, soft hyphens) left out. Each byte keeps
/// the place in the original text of the character it came from, so what
/// a pattern finds is reported as the letter has it.
pub(super) struct Folded {
    pub text: String,
    /// For each byte of `text`, the original character's bytes.
    places: Vec<(u32, u32)>,
}

impl Folded {
    pub(super) fn of(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut places = Vec::with_capacity(original.len());
        for (at, c) in original.char_indices() {
            let folded = match c {
                _ if is_invisible(c) => continue,
                _ if c.is_whitespace() => ' ',
                '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => '-',
                _ => c,
            };
            let place = (at as u32, (at + c.len_utf8()) as u32);
            text.push(folded);
            places.extend(std::iter::repeat_n(place, folded.len_utf8()));
        }
        Folded { text, places }
    }

    /// The bytes of the original text that `range` of the folded text came
    /// from.
    pub(super) fn original(&self, range: Range<usize>) -> Range<usize> {
        match (
            self.places.get(range.start),
            range.end.checked_sub(1).and_then(|e| self.places.get(e)),
        ) {
            (Some(first), Some(last)) => first.0 as usize..last.1 as usize,
            _ => 0..0,
        }
    }
}

/// Characters that print as nothing: zero-width space, non-joiner and
/// joiner, word joiner, byte order mark (a zero-width no-break space
/// inside a text) and soft hyphen.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}')
}

/// The first few words of a text, to quote it by.
pub(super) fn beginning(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 6 { words.join(" ") } else { format!("{} …", words[..5].join(" ")) }
}

/// Where each word of a text begins, to count the words before a place
/// in time proportional to the log of the text's length, not to its length
/// (a paragraph of 200,000 words with a trigger word in each is read
/// once, not once a word).
pub(super) struct Words {
    starts: Vec<usize>,
}

impl Words {
    pub(super) fn of(text: &str) -> Self {
        let mut starts = Vec::new();
        let mut in_word = false;
        for (at, c) in text.char_indices() {
            let space = c.is_whitespace();
            if !space && !in_word {
                starts.push(at);
            }
            in_word = !space;
        }
        Words { starts }
    }

    /// The number of whitespace-separated words that begin before byte
    /// `offset`.
    pub(super) fn before(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start < offset)
    }
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
    fn folded_text_keeps_its_places() {
        let text = "AB\u{a0}12\u{200b}34\u{2013}56 C";
        let folded = Folded::of(text);
        assert_eq!(folded.text, "AB 1234-56 C");
        assert_eq!(&text[folded.original(0..folded.text.len())], text);
        assert_eq!(&text[folded.original(3..5)], "12");
        assert_eq!(&text[folded.original(5..8)], "34\u{2013}");
    }

    #[test]
    fn words_are_counted_and_quoted() {
        let words = Words::of("one two three");
        assert_eq!(words.before(8), 2);
        assert_eq!(words.before(0), 0);
        assert_eq!(words.before(5), 2, "inside a word, that word counts");
        assert_eq!(beginning("a b c"), "a b c");
        assert_eq!(beginning("a b c d e f g"), "a b c d e …");
    }
}
