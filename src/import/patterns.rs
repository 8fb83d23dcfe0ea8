//! The words files as patterns: a phrase with its slots becomes a regular
//! expression that matches what the tool prints for it, capturing the
//! slots whose values the letter is to give back.
//!
//! A slot whose value is already known (the organisation's name, the area
//! once the title is read) is matched as those words; a slot still unknown
//! is captured. The number of cases is figures; the phone clause is the
//! words file's `phone_clause`, or nothing.

use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, Mutex};

use regex::Regex;

use crate::words::{Phrase, Slot, Words};

/// What the slots of a phrase matched, by slot.
pub(crate) type Found = BTreeMap<Slot, String>;

/// Compiled patterns by phrase and the slots known when they were made.
type Cache = BTreeMap<(Phrase, Vec<(Slot, String)>), std::rc::Rc<Vec<Option<Regex>>>>;

/// One language's phrases as patterns, with the slots known so far.
pub(crate) struct Patterns<'a> {
    pub(crate) words: &'a Words,
    pub(crate) known: BTreeMap<Slot, String>,
    cache: std::cell::RefCell<Cache>,
}

impl<'a> Patterns<'a> {
    pub(crate) fn new(words: &'a Words) -> Self {
        Self { words, known: BTreeMap::new(), cache: Default::default() }
    }

    /// The regular expressions of a phrase's paragraphs, compiled once for
    /// the slots known.
    fn compiled(&self, phrase: Phrase) -> std::rc::Rc<Vec<Option<Regex>>> {
        let key = (phrase, self.known.iter().map(|(s, v)| (*s, v.clone())).collect());
        if let Some(found) = self.cache.borrow().get(&key) {
            return found.clone();
        }
        let slot = |slot: Slot, n: usize| self.slot(slot, n);
        let compiled: Vec<Option<Regex>> = self
            .words
            .patterns(phrase, &slot)
            .into_iter()
            .map(|p| regex(&format!("^(?:{p})$")))
            .collect();
        let compiled = std::rc::Rc::new(compiled);
        self.cache.borrow_mut().insert(key, compiled.clone());
        compiled
    }

    fn slot(&self, slot: Slot, n: usize) -> String {
        if let Some(value) = self.known.get(&slot) {
            return loose(value);
        }
        let name = format!("{}_{n}", slot.name());
        match slot {
            Slot::Cases => format!(r"(?P<{name}>\d+)"),
            Slot::LeadPhone => {
                let inner = |s: Slot, m: usize| match s {
                    Slot::Phone => format!(r"(?P<phone_{n}_{m}>.+?)"),
                    other => self.slot(other, m),
                };
                let clause = self.words.patterns(Phrase::PhoneClause, &inner);
                let clause = clause.first().cloned().unwrap_or_default();
                format!("(?P<{name}>(?:{clause})?)")
            }
            _ => format!("(?P<{name}>.+?)"),
        }
    }

    /// What a one-paragraph phrase's slots match in `text`, if it matches.
    pub(crate) fn one(&self, phrase: Phrase, text: &str) -> Option<Found> {
        self.all(phrase, &[text.to_string()])
    }

    /// What a phrase's slots match in `texts`, one text for each of its
    /// paragraphs, if every one matches and each slot matched the same
    /// words each time it was used.
    pub(crate) fn all(&self, phrase: Phrase, texts: &[String]) -> Option<Found> {
        let regexes = self.compiled(phrase);
        if regexes.len() != texts.len() {
            return None;
        }
        let mut found = Found::new();
        for (regex, text) in regexes.iter().zip(texts) {
            let regex = regex.as_ref()?;
            let captures = regex.captures(text)?;
            for name in regex.capture_names().flatten() {
                let Some(value) = captures.name(name) else { continue };
                let slot_name = name.rsplit_once('_').map_or(name, |(s, _)| s);
                // phone_N_M: the phone of the phone clause.
                let slot_name = slot_name
                    .strip_suffix(|c: char| c.is_ascii_digit())
                    .map_or(slot_name, |s| s.strip_suffix('_').unwrap_or(s));
                let Some(slot) = Slot::from_name(slot_name) else { continue };
                let value = value.as_str().to_string();
                match found.get(&slot) {
                    Some(before) if *before != value => return None,
                    _ => {
                        found.insert(slot, value);
                    }
                }
            }
        }
        Some(found)
    }

    /// A phrase of several paragraphs, read as the letter has them: one
    /// paragraph of the phrase to each, or all of them as one text (where
    /// the letter's paragraphs are not the phrase's).
    pub(crate) fn paragraphs(&self, phrase: Phrase, texts: &[String]) -> Option<Found> {
        self.all(phrase, texts).or_else(|| self.joined(phrase, &texts.join(" ")))
    }

    /// What a phrase's slots match in `text`, its paragraphs read as one
    /// run of words: for a text export that does not show where one
    /// paragraph ends and the next begins.
    pub(crate) fn joined(&self, phrase: Phrase, text: &str) -> Option<Found> {
        // Each use of a slot numbered across the paragraphs, so no group
        // name repeats.
        let uses = std::cell::RefCell::new(BTreeMap::<Slot, usize>::new());
        let slot = |slot: Slot, _: usize| {
            let n = {
                let mut uses = uses.borrow_mut();
                let n = uses.entry(slot).or_default();
                *n += 1;
                *n
            };
            self.slot(slot, n)
        };
        let parts = self.words.patterns(phrase, &slot);
        let regex = regex(&format!(r"^(?:{})$", parts.join(r"\s+")))?;
        let captures = regex.captures(text)?;
        let mut found = Found::new();
        for name in regex.capture_names().flatten() {
            let Some(value) = captures.name(name) else { continue };
            let slot_name = name.rsplit_once('_').map_or(name, |(s, _)| s);
            let slot_name = slot_name
                .strip_suffix(|c: char| c.is_ascii_digit())
                .map_or(slot_name, |s| s.strip_suffix('_').unwrap_or(s));
            let Some(slot) = Slot::from_name(slot_name) else { continue };
            match found.get(&slot) {
                Some(before) if before != value.as_str() => return None,
                _ => {
                    found.insert(slot, value.as_str().to_string());
                }
            }
        }
        Some(found)
    }

    /// Whether `text` is exactly the one-line phrase.
    pub(crate) fn is(&self, phrase: Phrase, text: &str) -> bool {
        self.one(phrase, text).is_some()
    }

    /// Which form of a phrase with forms `text` is, given the slots known.
    pub(crate) fn form(&self, phrase: Phrase, text: &str) -> Option<String> {
        let slot = |slot: Slot, n: usize| self.slot(slot, n);
        self.words
            .form_patterns(phrase, &slot)
            .into_iter()
            .find_map(|(form, p)| regex(&format!("^(?:{p})$"))?.is_match(text).then_some(form))
    }
}

/// How many compiled expressions the process keeps before it starts
/// again: a letter asks for about 30, all but 2 or 3 the same as every
/// other letter in its language (those few hold its own words).
const KEPT: usize = 512;

/// Expressions compiled once for the process: compiling one costs more
/// than matching it, and every letter of a folder asks for the same ones.
static COMPILED: LazyLock<Mutex<HashMap<String, Option<Regex>>>> = LazyLock::new(Default::default);

/// `pattern` compiled, or `None` if it is not a regular expression (a
/// words file's phrase that makes none is not recognised).
pub(crate) fn regex(pattern: &str) -> Option<Regex> {
    let kept = || COMPILED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(found) = kept().get(pattern) {
        return found.clone();
    }
    // Compiled with the cache unlocked: letters read on other threads go
    // on meanwhile (two may compile one pattern; both get the same).
    let regex = Regex::new(pattern).ok();
    let mut compiled = kept();
    if compiled.len() >= KEPT {
        compiled.clear();
    }
    compiled.insert(pattern.to_string(), regex.clone());
    regex
}

/// Known words as a pattern: themselves, any white space matching any.
pub(crate) fn loose(words: &str) -> String {
    let parts: Vec<String> = words.split_whitespace().map(regex::escape).collect();
    parts.join(r"\s+")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::Templates;

    fn english() -> Words {
        let templates = Templates::embedded();
        Words::read("en", templates.source("words/en.yaml").unwrap().clone()).unwrap()
    }

    #[test]
    fn the_title_gives_the_area() {
        let words = english();
        let patterns = Patterns::new(&words);
        let found = patterns
            .one(
                Phrase::Title,
                "Report of Short Quality Screening (SQS) of youth offending work in Barnet",
            )
            .unwrap();
        assert_eq!(found[&Slot::InArea], "in Barnet");
        let area = patterns.one(Phrase::InArea, "in Barnet").unwrap();
        assert_eq!(area[&Slot::Area], "Barnet");
    }

    #[test]
    fn the_closing_gives_the_lead_inspector() {
        let words = english();
        let mut patterns = Patterns::new(&words);
        patterns.known.insert(Slot::OrgShortName, "HMI Probation".into());
        let texts = [
            "We are grateful for the support that we received from staff in the YOT to facilitate and engage with this inspection. Please pass on our thanks, and ensure that they are made fully aware of these inspection findings.".to_string(),
            "If you have any further questions about the inspection please contact the lead inspector, who was Mark Boother. He can be contacted at mark.boother@hmiprobation.gsi.gov.uk or on 07771527326.".to_string(),
        ];
        let found = patterns.all(Phrase::Closing, &texts).unwrap();
        assert_eq!(found[&Slot::Abbreviation], "YOT");
        assert_eq!(found[&Slot::LeadName], "Mark Boother");
        assert_eq!(found[&Slot::Lead], "He");
        assert_eq!(found[&Slot::LeadEmail], "mark.boother@hmiprobation.gsi.gov.uk");
        assert_eq!(found[&Slot::Phone], "07771527326");
        let without = texts[1].replace(" or on 07771527326", "");
        let found = patterns.all(Phrase::Closing, &[texts[0].clone(), without]).unwrap();
        assert_eq!(found[&Slot::LeadPhone], "");
        assert!(!found.contains_key(&Slot::Phone));
        patterns.known.insert(Slot::LeadName, "Mark Boother".into());
        assert_eq!(patterns.form(Phrase::LeadPronoun, "He").as_deref(), Some("he"));
        assert_eq!(patterns.form(Phrase::LeadPronoun, "Mark Boother").as_deref(), Some("none"));
    }
}
