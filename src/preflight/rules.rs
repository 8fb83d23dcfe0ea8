//! The rules of preflight as data: `templates/preflight.yaml`, read and
//! checked whole, and the patterns built from its word lists.
//!
//! What the rules look for (words, limits) and the advice they give belong
//! to the inspectorate, not to the tool, so they live in a file that
//! `--templates DIR` overrides. The file's words are data: every one is
//! escaped before it becomes part of a pattern, so a term such as `D.O.B.`
//! or `(sic)` matches itself and nothing else.

use std::collections::BTreeMap;
use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;

use crate::error::{Diagnostic, Error, SourceFile};
use crate::yaml;

/// The rules about personal data: errors, never switched off.
pub const PERSONAL: &[&str] =
    &["ni-number", "nhs-number", "date-of-birth", "phone-number", "email-address", "postcode"];

/// The rules of house style: warnings, each switched off by its id.
pub const HOUSE_STYLE: &[&str] = &[
    "link-text",
    "bare-web-address",
    "outdated-term",
    "figure-at-sentence-start",
    "ordinal-date",
    "long-paragraph",
    "long-sentence",
];

/// `preflight.yaml`, as written. The fields are the file's keys, which the
/// file itself documents for the inspectorate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub(crate) personal_data: PersonalData,
    pub(crate) house_style: HouseStyle,
}

/// The rules about personal data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PersonalData {
    pub(crate) ni_number: Advice,
    pub(crate) nhs_number: Advice,
    pub(crate) date_of_birth: Birth,
    pub(crate) phone_number: Advice,
    pub(crate) email_address: Advice,
    pub(crate) postcode: Advice,
    /// Addresses, numbers and postcodes any letter may print.
    #[serde(default)]
    pub(crate) public: Vec<String>,
}

/// The rules of house style.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HouseStyle {
    pub(crate) link_text: Listed,
    pub(crate) bare_web_address: After,
    pub(crate) outdated_term: Terms,
    pub(crate) figure_at_sentence_start: Numbers,
    pub(crate) ordinal_date: Advice,
    pub(crate) long_paragraph: Limit,
    pub(crate) long_sentence: Sentences,
}

/// A rule with only its advice.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    pub(crate) hint: String,
}

/// Dates of birth: a date near one of `near`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Birth {
    pub(crate) hint: String,
    pub(crate) near: Vec<String>,
    /// How many words apart the date and the word may be.
    pub(crate) within: usize,
}

/// A rule with a list of words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listed {
    pub(crate) hint: String,
    pub(crate) words: Vec<String>,
}

/// Bare web addresses, except after one of `after`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct After {
    pub(crate) hint: String,
    pub(crate) after: Vec<String>,
}

/// Terms not to use, what to write instead, and names that keep them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    pub(crate) hint: String,
    pub(crate) terms: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) except: Vec<String>,
}

/// The words for one to nine.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Numbers {
    pub(crate) hint: String,
    pub(crate) numbers: Vec<String>,
}

/// At most `max_words` words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub(crate) hint: String,
    pub(crate) max_words: usize,
}

/// Sentences of at most `max_words` words; `abbreviations` do not end one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sentences {
    pub(crate) hint: String,
    pub(crate) max_words: usize,
    #[serde(default)]
    pub(crate) abbreviations: Vec<String>,
}

/// The rules and the patterns made of their words, ready to run.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub(crate) rules: Rules,
    /// The words that make a date a date of birth.
    pub(crate) birth_words: Regex,
    /// The outdated terms, longest first.
    pub(crate) terms: Regex,
    /// The names that keep an outdated term.
    pub(crate) except: Option<Regex>,
}

impl Compiled {
    /// Reads and checks `preflight.yaml`.
    pub fn read(file: &Arc<SourceFile>) -> Result<Self, Error> {
        let (rules, index) = yaml::parse::<Rules>(file).map_err(|failure| {
            Error::from(failure.first.hint(
                "every rule of the built-in preflight.yaml must be in an override, with its keys",
            ))
        })?;
        let at = |message: String, key: &str| {
            Error::from(Diagnostic::error(message).at(file, index.range_of(key)).key(key))
        };
        if rules.house_style.figure_at_sentence_start.numbers.len() != 9 {
            return Err(at(
                "`numbers` must list the words for one to nine, one first".into(),
                "house_style.figure-at-sentence-start.numbers",
            ));
        }
        let style = &rules.house_style;
        let limits = [
            (style.long_paragraph.max_words, "house_style.long-paragraph.max_words"),
            (style.long_sentence.max_words, "house_style.long-sentence.max_words"),
            (rules.personal_data.date_of_birth.within, "personal_data.date-of-birth.within"),
        ];
        if let Some((_, key)) = limits.iter().find(|(n, _)| *n == 0) {
            return Err(at("the number must be at least 1".into(), key));
        }
        let mut terms: Vec<&String> = style.outdated_term.terms.keys().collect();
        terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let birth_words =
            words_pattern(&rules.personal_data.date_of_birth.near).ok_or_else(|| {
                at("`near` needs at least one word".into(), "personal_data.date-of-birth.near")
            })?;
        let terms = words_pattern(&terms).ok_or_else(|| {
            at("`terms` needs at least one term".into(), "house_style.outdated-term.terms")
        })?;
        let except = words_pattern(&style.outdated_term.except);
        Ok(Self { rules, birth_words, terms, except })
    }
}

impl Compiled {
    /// The advice of a rule, by its id.
    pub fn hint(&self, rule: &str) -> &str {
        let p = &self.rules.personal_data;
        let h = &self.rules.house_style;
        match rule {
            "ni-number" => &p.ni_number.hint,
            "nhs-number" => &p.nhs_number.hint,
            "date-of-birth" => &p.date_of_birth.hint,
            "phone-number" => &p.phone_number.hint,
            "email-address" => &p.email_address.hint,
            "postcode" => &p.postcode.hint,
            "link-text" => &h.link_text.hint,
            "bare-web-address" => &h.bare_web_address.hint,
            "outdated-term" => &h.outdated_term.hint,
            "figure-at-sentence-start" => &h.figure_at_sentence_start.hint,
            "ordinal-date" => &h.ordinal_date.hint,
            "long-paragraph" => &h.long_paragraph.hint,
            "long-sentence" => &h.long_sentence.hint,
            _ => "",
        }
    }
}

/// A case-insensitive pattern matching any of `words` whole: a word that
/// starts or ends with a letter or digit does not match inside another.
/// None when there are no words.
pub fn words_pattern<S: AsRef<str>>(words: &[S]) -> Option<Regex> {
    let alternatives: Vec<String> = words
        .iter()
        .map(|w| w.as_ref().trim())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let start = if w.starts_with(char::is_alphanumeric) { r"\b" } else { "" };
            let end = if w.ends_with(char::is_alphanumeric) { r"\b" } else { "" };
            // Any run of spaces between the words of a phrase.
            let escaped: Vec<String> = w.split_whitespace().map(regex::escape).collect();
            format!("{start}{}{end}", escaped.join(r"\s+"))
        })
        .collect();
    if alternatives.is_empty() {
        return None;
    }
    Regex::new(&format!("(?i){}", alternatives.join("|"))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::{PREFLIGHT, Templates};

    fn built_in() -> Compiled {
        Compiled::read(Templates::embedded().source(PREFLIGHT).unwrap()).unwrap()
    }

    #[test]
    fn the_built_in_rules_read() {
        let compiled = built_in();
        assert_eq!(compiled.rules.house_style.long_sentence.max_words, 40);
        assert!(compiled.terms.is_match("Young  Offenders"));
        assert!(!compiled.terms.is_match("offenders"));
    }

    #[test]
    fn every_rule_has_advice() {
        let compiled = built_in();
        for rule in PERSONAL.iter().chain(HOUSE_STYLE) {
            assert!(!compiled.hint(rule).is_empty(), "{rule}");
        }
    }

    #[test]
    fn words_match_whole_and_as_written() {
        let pattern = words_pattern(&["D.O.B.", "born", "(sic)"]).unwrap();
        assert!(pattern.is_match("d.o.b. 1/2/03"));
        assert!(pattern.is_match("BORN on"));
        assert!(!pattern.is_match("newborn"));
        assert!(!pattern.is_match("DxOxBx"));
        assert!(pattern.is_match("a (sic) b"));
        assert!(words_pattern::<&str>(&[]).is_none());
    }

    #[test]
    fn a_missing_rule_is_named_with_the_file() {
        let text = Templates::embedded()
            .source(PREFLIGHT)
            .unwrap()
            .text
            .replace("  postcode:", "  postcodes:");
        let error = Compiled::read(&SourceFile::new("mine/preflight.yaml", text)).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("mine/preflight.yaml"), "{message}");
        assert!(message.contains("postcodes"), "{message}");
    }
}
