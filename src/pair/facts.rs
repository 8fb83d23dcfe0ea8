//! What a paragraph says that reads the same in any language: the numbers
//! written in figures, the email and web addresses, the footnote marks.
//!
//! The two versions of a letter word everything else differently, so these
//! are what `pair` compares, and what it aligns paragraphs by. They are read
//! from the paragraph's inline runs, not its source, so markup and footnote
//! numbers cannot be mistaken for figures.

use crate::letter::{Inline, Text};

/// One fact: what is compared, what a message shows, and how it is written
/// in the file, to point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fact {
    /// The value compared: "1000" for "1,000", an address in lowercase.
    pub value: String,
    /// The fact as a message shows it: "14 cases", "34%".
    pub shown: String,
    /// The text to look for in the file, when there is one.
    pub written: Option<String>,
}

/// The facts of one paragraph, in the order they are written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Facts {
    pub figures: Vec<Fact>,
    pub emails: Vec<Fact>,
    pub web: Vec<Fact>,
    pub notes: Vec<Fact>,
}

impl Facts {
    /// The facts of a text.
    pub(super) fn of(text: &Text) -> Facts {
        let mut facts = Facts::default();
        facts.read(&text.runs, false);
        facts
    }

    /// Adds another paragraph's facts, as for a whole area.
    pub(super) fn extend(&mut self, other: Facts) {
        self.figures.extend(other.figures);
        self.emails.extend(other.emails);
        self.web.extend(other.web);
        self.notes.extend(other.notes);
    }

    /// Each kind of fact with what a message calls it.
    pub(super) fn kinds(&self) -> [(&'static str, &[Fact]); 4] {
        [
            ("", &self.figures),
            ("email address ", &self.emails),
            ("web address ", &self.web),
            ("footnote mark ", &self.notes),
        ]
    }

    /// How many facts one paragraph has that the other lacks.
    pub(super) fn mismatch(&self, other: &Facts) -> usize {
        self.kinds()
            .iter()
            .zip(other.kinds())
            .map(|((_, a), (_, b))| {
                let (only_a, only_b) = difference(a, b);
                only_a.len() + only_b.len()
            })
            .sum()
    }

    fn read(&mut self, runs: &[Inline], in_link: bool) {
        for run in runs {
            match run {
                Inline::Text { text } => self.words(text, in_link),
                Inline::Emphasis { content } | Inline::Strong { content } => {
                    self.read(content, in_link)
                }
                Inline::Link { url, content } => {
                    match url.strip_prefix("mailto:") {
                        Some(address) => self.emails.push(address_fact(address)),
                        None => self.web.push(web_fact(url)),
                    }
                    self.read(content, true);
                }
                Inline::Note { number, .. } => self.notes.push(Fact {
                    value: number.to_string(),
                    shown: number.to_string(),
                    written: None,
                }),
            }
        }
    }

    /// The figures and addresses of plain words. Inside a link, addresses
    /// are the link's own, already counted.
    fn words(&mut self, text: &str, in_link: bool) {
        let tokens: Vec<&str> = text.split_whitespace().collect();
        for (i, raw) in tokens.iter().enumerate() {
            let token = trim(raw);
            if is_web(token) {
                if !in_link {
                    self.web.push(web_fact(token));
                }
            } else if is_email(token) {
                if !in_link {
                    self.emails.push(address_fact(token));
                }
            } else {
                let next = tokens.get(i + 1).map(|t| trim(t)).filter(|t| is_word(t));
                self.figures.extend(figures(token, next));
            }
        }
    }
}

/// The facts of `a` missing from `b` and of `b` missing from `a`, counting
/// repeats: "5" twice in one and once in the other is one difference.
pub(super) fn difference<'f>(a: &'f [Fact], b: &'f [Fact]) -> (Vec<&'f Fact>, Vec<&'f Fact>) {
    let mut unmatched: Vec<&Fact> = b.iter().collect();
    let mut only_a = Vec::new();
    for fact in a {
        match unmatched.iter().position(|other| other.value == fact.value) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => only_a.push(fact),
        }
    }
    (only_a, unmatched)
}

/// Punctuation around a word: "(14", "cases.", "<x@y.org>,".
fn trim(token: &str) -> &str {
    token
        .trim_start_matches(['(', '[', '"', '\'', '‘', '“', '<'])
        .trim_end_matches([')', ']', '"', '\'', '’', '”', '>', '.', ',', ';', ':', '!', '?'])
}

fn is_web(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.")
}

fn is_email(token: &str) -> bool {
    token.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
}

/// A word worth showing after a figure: "cases", "achos"; not "of" or "o'r".
fn is_word(token: &str) -> bool {
    token.chars().count() >= 3 && token.chars().all(char::is_alphabetic)
}

fn address_fact(address: &str) -> Fact {
    Fact {
        value: address.to_lowercase(),
        shown: address.to_string(),
        written: Some(address.to_string()),
    }
}

fn web_fact(url: &str) -> Fact {
    let lower = url.to_ascii_lowercase();
    let bare = lower.trim_start_matches("https://").trim_start_matches("http://");
    Fact {
        value: bare.trim_end_matches('/').to_string(),
        shown: url.to_string(),
        written: Some(url.to_string()),
    }
}

/// The numbers written in figures in one word: "14", "1,000", "3.5",
/// "34%". A figure that is the whole word shows the word after it.
fn figures(token: &str, next: Option<&str>) -> Vec<Fact> {
    let chars: Vec<(usize, char)> = token.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut end = i;
        while end + 1 < chars.len() {
            let c = chars[end + 1].1;
            let joins = matches!(c, ',' | '.')
                && chars.get(end + 2).is_some_and(|(_, d)| d.is_ascii_digit());
            if c.is_ascii_digit() {
                end += 1;
            } else if joins {
                end += 2;
            } else {
                break;
            }
        }
        let stop = chars.get(end + 1).map_or(token.len(), |(at, _)| *at);
        let written = &token[start..stop];
        let shown = match next {
            Some(word) if written == token => format!("{written} {word}"),
            _ if written.len() < token.len() && chars.len() <= end + 3 => token.to_string(),
            _ => written.to_string(),
        };
        out.push(Fact {
            value: written.replace(',', ""),
            shown,
            written: Some(written.to_string()),
        });
        i = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::{Footnotes, parse};
    use std::collections::BTreeMap;

    fn facts(markup: &str) -> Facts {
        let texts = BTreeMap::from([("rate".to_string(), "In 2016.".to_string())]);
        let mut notes = Footnotes::new(&texts);
        Facts::of(&Text { runs: parse(markup, Some(&mut notes)).unwrap(), key: None })
    }

    fn shown(facts: &[Fact]) -> Vec<&str> {
        facts.iter().map(|f| f.shown.as_str()).collect()
    }

    #[test]
    fn figures_with_the_word_after_them() {
        let f =
            facts("Reports were prepared in 14 cases (of 1,000), 3.5 days; 34%[^rate] in 2015.");
        assert_eq!(shown(&f.figures), ["14 cases", "1,000", "3.5 days", "34%", "2015"]);
        let values: Vec<&str> = f.figures.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(values, ["14", "1000", "3.5", "34", "2015"]);
        assert_eq!(shown(&f.notes), ["1"], "the note's number is a mark, not a figure");
        assert_eq!(facts("mewn 19 o'r 20 achos").figures.len(), 2);
        assert_eq!(shown(&facts("mewn 19 o'r 20 achos").figures), ["19", "20 achos"]);
    }

    #[test]
    fn addresses_in_links_and_in_words() {
        let f = facts(
            "See <https://example.org/a/2016/> or www.example.org, write to <a.b@x.org> or c@y.org.",
        );
        assert_eq!(shown(&f.web), ["https://example.org/a/2016/", "www.example.org"]);
        assert_eq!(shown(&f.emails), ["a.b@x.org", "c@y.org"]);
        assert!(f.figures.is_empty(), "digits in an address are the address's: {:?}", f.figures);
        let linked = facts("[the 2016 report](https://example.org/r)");
        assert_eq!(shown(&linked.figures), ["2016 report"]);
        assert_eq!(linked.web[0].value, "example.org/r");
    }

    #[test]
    fn differences_count_repeats() {
        let a = facts("5 and 5 and 7");
        let b = facts("5 and 8");
        let (only_a, only_b) = difference(&a.figures, &b.figures);
        assert_eq!(only_a.iter().map(|f| f.value.as_str()).collect::<Vec<_>>(), ["5", "7"]);
        assert_eq!(only_b.iter().map(|f| f.value.as_str()).collect::<Vec<_>>(), ["8"]);
        assert_eq!(a.mismatch(&b), 3);
        assert_eq!(facts("14 cases").mismatch(&facts("14 achos")), 0);
    }
}
