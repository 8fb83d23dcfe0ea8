//! House style: how the inspectorate writes, checked in the words a reader
//! reads. Each slip is a warning with a rule id that a findings file can
//! switch off, with its reason, under `preflight: {off: …}`.

use super::text::{Flat, beginning, sentences};
use super::{Hit, Known};
use crate::preflight::rules::Compiled;

/// What a text is, which decides the rules it meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// A paragraph, a list item, a note: sentences, and a paragraph's length.
    Paragraph,
    /// A heading, a name, a header row: none of the length rules.
    Line,
}

/// The slips of house style in one text.
pub(super) fn find(flat: &Flat, shape: Shape, compiled: &Compiled, known: &Known) -> Vec<Hit> {
    let mut hits = links(flat, compiled);
    hits.extend(outdated_terms(&flat.text, compiled));
    if known.plain_dates {
        for m in known.ordinal_dates.find_iter(&flat.text) {
            let message =
                format!("\"{}\" is an ordinal date in a letter of plain dates", m.as_str());
            hits.push(Hit::new("ordinal-date", message, m.as_str()));
        }
    }
    if shape == Shape::Paragraph {
        hits.extend(lengths(flat, compiled, known));
    }
    hits
}

/// Paragraphs and sentences too long, and sentences that start with a
/// figure.
fn lengths(flat: &Flat, compiled: &Compiled, known: &Known) -> Vec<Hit> {
    let style = &compiled.rules.house_style;
    let mut hits = Vec::new();
    let (words, limit) = (flat.words(), style.long_paragraph.max_words);
    if words > limit {
        let start = beginning(&flat.text);
        let message = format!("paragraph \"{start}\" has {words} words, more than {limit}");
        hits.push(Hit::new("long-paragraph", message, first_words(&flat.text)));
    }
    for range in sentences(&flat.text, &style.long_sentence.abbreviations) {
        let sentence = &flat.text[range];
        // A date may start a sentence: "3 February 2020 was the last day."
        if known.month_dates.find(sentence).is_none_or(|m| m.start() != 0) {
            hits.extend(figure_first(sentence, compiled));
        }
        let (words, limit) = (sentence.split_whitespace().count(), style.long_sentence.max_words);
        if words > limit {
            let start = beginning(sentence);
            let message = format!("sentence \"{start}\" has {words} words, more than {limit}");
            hits.push(Hit::new("long-sentence", message, first_words(sentence)));
        }
    }
    hits
}

/// The first three words: enough to find the text by, short enough to
/// fit on one line of the file.
fn first_words(text: &str) -> String {
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

/// Link text that says nothing out of context, and bare web addresses.
fn links(flat: &Flat, compiled: &Compiled) -> Vec<Hit> {
    let style = &compiled.rules.house_style;
    let mut hits = Vec::new();
    for link in &flat.links {
        let words = flat.text[link.range.clone()].trim();
        let bare = words.trim_end_matches(['.', ',', ':', ';', '!', '?']).to_lowercase();
        if style.link_text.words.iter().any(|w| w.to_lowercase() == bare) {
            let message = format!("link text \"{words}\" does not say where the link goes");
            hits.push(Hit::new("link-text", message, words));
            continue;
        }
        let lower = words.to_lowercase();
        let is_address = ["http://", "https://", "www."].iter().any(|p| lower.starts_with(p));
        let before = flat.text[..link.range.start].trim_end();
        let named_before =
            style.bare_web_address.after.iter().any(|a| before.ends_with(a.as_str()));
        if is_address && !link.url.starts_with("mailto:") && !named_before {
            let message = "the link's text is a bare web address".to_string();
            hits.push(Hit::new("bare-web-address", message, words));
        }
    }
    hits
}

/// "Young offenders", "juvenile": not how the inspectorate writes of
/// children, except in the names that keep them.
fn outdated_terms(text: &str, compiled: &Compiled) -> Vec<Hit> {
    let term = &compiled.rules.house_style.outdated_term;
    let kept: Vec<_> =
        compiled.except.iter().flat_map(|e| e.find_iter(text)).map(|m| m.range()).collect();
    let mut hits = Vec::new();
    for m in compiled.terms.find_iter(text) {
        if kept.iter().any(|k| k.start <= m.start() && m.end() <= k.end) {
            continue;
        }
        let found = m.as_str();
        let normal = found.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        let instead = term.terms.iter().find(|(t, _)| t.to_lowercase() == normal).map(|(_, i)| i);
        let message = match instead {
            Some(instead) => format!("write \"{instead}\", not \"{found}\""),
            None => format!("\"{found}\" is not how the inspectorate writes of children"),
        };
        hits.push(Hit::new("outdated-term", message, found));
    }
    hits
}

/// A sentence that starts with a figure from 1 to 9.
fn figure_first(sentence: &str, compiled: &Compiled) -> Option<Hit> {
    let first = sentence.split_whitespace().next()?;
    let bare = first.trim_start_matches(['"', '\'', '‘', '“', '(', '[']);
    let figure = bare.trim_end_matches([',', ';', ':']);
    let n = match figure.as_bytes() {
        [d @ b'1'..=b'9'] => usize::from(d - b'0'),
        _ => return None,
    };
    let numbers = &compiled.rules.house_style.figure_at_sentence_start.numbers;
    let word = numbers.get(n - 1)?;
    let message = format!("a sentence starts with the figure {figure}; write \"{word}\"");
    Some(Hit::new("figure-at-sentence-start", message, first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::Text;
    use crate::markup::parse;
    use crate::templates::{PREFLIGHT, Templates};

    fn rules_found(markup: &str) -> Vec<(&'static str, String)> {
        let compiled = Compiled::read(Templates::embedded().source(PREFLIGHT).unwrap()).unwrap();
        let known = Known::for_tests(true);
        let flat = Flat::of(&Text { runs: parse(markup, None).unwrap(), key: None });
        find(&flat, Shape::Paragraph, &compiled, &known)
            .into_iter()
            .map(|h| (h.rule, h.needle))
            .collect()
    }

    #[test]
    fn links_that_say_nothing_or_only_their_address() {
        assert_eq!(rules_found("Read it [here](https://x.org)."), [("link-text", "here".into())]);
        assert_eq!(
            rules_found("See <https://x.org/plan>."),
            [("bare-web-address", "https://x.org/plan".into())]
        );
        assert!(rules_found("On our website: <https://x.org/>.").is_empty());
        assert!(rules_found("Write to <a@x.org>.").is_empty());
    }

    #[test]
    fn outdated_terms_but_not_in_names() {
        assert_eq!(
            rules_found("Work with Young  offenders was good."),
            [("outdated-term", "Young  offenders".into())]
        );
        assert!(rules_found("He was at a Young Offender Institution.").is_empty());
    }

    #[test]
    fn figures_dates_and_lengths() {
        assert_eq!(
            rules_found("Good. 7 cases were late."),
            [("figure-at-sentence-start", "7".into())]
        );
        assert!(rules_found("Good. 12 cases were late. 7% were.").is_empty());
        assert!(rules_found("Good. 3 February 2020 was the last day.").is_empty());
        assert_eq!(
            rules_found("It ended on 25th June 2014."),
            [("ordinal-date", "25th June 2014".into())]
        );
        let long = format!("{}.", "word ".repeat(45).trim_end());
        assert_eq!(rules_found(&long), [("long-sentence", "word word word".into())]);
        let paragraph = "Short words here. ".repeat(41);
        assert_eq!(rules_found(&paragraph), [("long-paragraph", "Short words here.".into())]);
    }
}
