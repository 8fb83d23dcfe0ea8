//! The words every letter shares, once per language: `words/LANG.yaml`.
//!
//! The opening, the Context paragraphs, the labels, the headings, the thanks
//! and "Page N of M" are the same in every letter of a language. They live in
//! a words file that a publications team can read and override with
//! `--templates DIR` (as `DIR/words/LANG.yaml`), not inside an output
//! template, so the PDF and the web page say the same words and a new
//! language is a new file. A phrase names its slots `{like_this}`; the slots
//! each phrase may use are listed in [`PHRASES`], so a words file is checked
//! whole when it is read, and a missing phrase or a slot that does not exist
//! is an error naming the phrase and the file, never a half-written letter.
//! Beside the phrases, a words file may say how the inspectorate's details
//! read in its language (`organisation.rs`).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use crate::error::{Diagnostic, Error, SourceFile};
use crate::letter::{Inline, Text};
use crate::model::{DateStyle, IsoDate, Organisation};
use crate::suggest;
use crate::templates::{Templates, WORDS_FOLDER};
use crate::yaml::{self, KeyIndex};

mod organisation;
mod phrases;

pub(crate) use phrases::{Phrase, Shape, Slot};

/// The part of a words file that is not a phrase.
const ORGANISATION: &str = "organisation";

/// A phrase as written in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Raw {
    One(String),
    Many(Vec<String>),
    Forms(BTreeMap<String, String>),
    /// The organisation part.
    Dated(Vec<organisation::Form>),
    /// Anything else: a phrase of the wrong shape, or an organisation part
    /// that is not a list of forms.
    Other(serde::de::IgnoredAny),
}

/// A phrase read into words and slots.
type Pieces = Vec<Piece>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Words(String),
    Slot(Slot),
}

/// The words of one language.
#[derive(Debug, Clone)]
pub(crate) struct Words {
    /// The file they were read from, for messages.
    pub(crate) file: Arc<SourceFile>,
    /// The language, as the file's name gives it: `en`, `cy`.
    pub(crate) language: String,
    /// The language as its speakers name it: `English`, `Cymraeg`.
    pub(crate) name: String,
    /// The language as the tool's messages name it: `English`, `Welsh`.
    pub(crate) english_name: String,
    /// The full language tag of a letter that names only the language:
    /// `cy` → `cy-GB`.
    pub(crate) tag: String,
    /// The month names, January first.
    pub(crate) months: Vec<String>,
    /// The date styles letters may use; the first is the default.
    pub(crate) date_styles: Vec<DateStyle>,
    phrases: BTreeMap<Phrase, Vec<Pieces>>,
    forms: BTreeMap<Phrase, BTreeMap<String, Pieces>>,
    /// Where each phrase is in the file, for messages.
    places: BTreeMap<Phrase, Range<usize>>,
    organisation: Vec<organisation::Form>,
}

/// The values of the slots of a letter.
pub(crate) type Slots = BTreeMap<Slot, Text>;

impl Words {
    /// Reads and checks the words of every language among the templates.
    pub(crate) fn all(templates: &Templates) -> Result<BTreeMap<String, Words>, Error> {
        let mut all = BTreeMap::new();
        let mut problems = Vec::new();
        for (name, _) in templates.iter() {
            let Some(language) =
                name.strip_prefix(WORDS_FOLDER).and_then(|n| n.strip_suffix(".yaml"))
            else {
                continue;
            };
            let Some(file) = templates.source(name) else { continue };
            match Words::read(language, file.clone()) {
                Ok(words) => {
                    all.insert(language.to_string(), words);
                }
                Err(errors) => problems.extend(errors),
            }
        }
        if problems.is_empty() { Ok(all) } else { Err(Error::Invalid(problems)) }
    }

    /// Reads one words file, reporting every problem in it.
    pub(crate) fn read(language: &str, file: Arc<SourceFile>) -> Result<Words, Vec<Diagnostic>> {
        let (raw, index) = yaml::parse::<BTreeMap<String, Raw>>(&file)
            .map_err(|failure| vec![failure.first.hint(HINT)])?;
        let mut problems = Vec::new();
        let organisation = match raw.get(ORGANISATION) {
            None => Vec::new(),
            Some(Raw::Dated(forms)) => {
                problems.extend(organisation::check_forms(forms, &file, &index));
                forms.clone()
            }
            // Not a list of forms: read on its own, for a located message.
            Some(_) => organisation::read(&file).unwrap_or_else(|errors| {
                problems.extend(errors);
                Vec::new()
            }),
        };
        let mut words = Words {
            file: file.clone(),
            language: language.to_string(),
            name: String::new(),
            english_name: String::new(),
            tag: String::new(),
            months: Vec::new(),
            date_styles: Vec::new(),
            phrases: BTreeMap::new(),
            forms: BTreeMap::new(),
            places: BTreeMap::new(),
            organisation,
        };
        for phrase in Phrase::ALL {
            let name = phrase.name();
            if !raw.contains_key(name) {
                problems.push(
                    Diagnostic::error(format!(
                        "the words file {} has no phrase `{name}`",
                        file.name
                    ))
                    .at(&file, Some(0..0))
                    .hint(HINT),
                );
            }
        }
        for (name, value) in raw.iter().filter(|(name, _)| *name != ORGANISATION) {
            let Some(phrase) = Phrase::from_name(name) else {
                let names: Vec<&str> = Phrase::ALL.iter().map(|p| p.name()).collect();
                let d = suggest::unknown("phrase", name, &names);
                problems.push(d.at(&file, index.range_of(name)).key(name).hint(HINT));
                continue;
            };
            if let Some(range) = index.range_of(name) {
                words.places.insert(phrase, range);
            }
            if let Err(d) = words.add(phrase, value, &index) {
                problems.push(d);
            }
        }
        if problems.is_empty() { Ok(words) } else { Err(problems) }
    }

    /// Checks one phrase and keeps it.
    fn add(&mut self, phrase: Phrase, value: &Raw, index: &KeyIndex) -> Result<(), Diagnostic> {
        let name = phrase.name();
        let slots = phrase.slots();
        let at = |message: String| {
            Diagnostic::error(message).at(&self.file, index.range_of(name)).key(name).hint(HINT)
        };
        let expected = phrase.shape();
        let texts: Vec<&String> = match (expected, value) {
            (Shape::One, Raw::One(text)) => vec![text],
            (Shape::Paragraphs | Shape::List, Raw::Many(texts)) if !texts.is_empty() => {
                texts.iter().collect()
            }
            (Shape::Forms(forms), Raw::Forms(map)) => {
                if let Some(missing) = forms.iter().find(|f| !map.contains_key(**f)) {
                    return Err(at(format!("phrase `{name}` has no form `{missing}`")));
                }
                if let Some(extra) = map.keys().find(|k| !forms.contains(&k.as_str())) {
                    return Err(at(format!(
                        "phrase `{name}` has a form `{extra}`; its forms are {}",
                        forms.join(", ")
                    )));
                }
                let mut parsed = BTreeMap::new();
                for (form, text) in map {
                    parsed.insert(form.clone(), pieces(text, slots).map_err(&at)?);
                }
                self.forms.insert(phrase, parsed);
                return Ok(());
            }
            _ => return Err(at(format!("phrase `{name}` should be {}", describe(expected)))),
        };
        let parsed: Vec<Pieces> =
            texts.iter().map(|t| pieces(t, slots).map_err(&at)).collect::<Result<_, _>>()?;
        match phrase {
            Phrase::Name => self.name = texts[0].clone(),
            Phrase::EnglishName => self.english_name = texts[0].clone(),
            Phrase::Tag => {
                let (lang, region) = split_language(texts[0]);
                let Some(region) = region.filter(|_| lang == self.language) else {
                    return Err(at(format!(
                        "`tag` should be the language and its region, e.g. {}-GB, not \"{}\"",
                        self.language, texts[0]
                    )));
                };
                self.tag = format!("{lang}-{region}");
            }
            Phrase::Months => {
                if texts.len() != 12 {
                    return Err(at(format!("`months` lists {} months, not 12", texts.len())));
                }
                self.months = texts.into_iter().cloned().collect();
            }
            Phrase::DateStyles => {
                for text in texts {
                    self.date_styles.push(match text.as_str() {
                        "ordinal" => DateStyle::Ordinal,
                        "plain" => DateStyle::Plain,
                        other => {
                            return Err(at(format!(
                                "unknown date style `{other}`; the styles are ordinal and plain"
                            )));
                        }
                    });
                }
            }
            Phrase::Page => {
                let order: Vec<Slot> = parsed[0]
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Slot(s) => Some(*s),
                        Piece::Words(_) => None,
                    })
                    .collect();
                if order != [Slot::Page, Slot::Pages] {
                    return Err(at(
                        "phrase `page` must have {page} and then {pages}, once each".to_string()
                    ));
                }
            }
            _ => {}
        }
        self.phrases.insert(phrase, parsed);
        Ok(())
    }

    /// A one-line phrase with its slots filled.
    pub(crate) fn text(&self, phrase: Phrase, slots: &Slots) -> Result<Text, Diagnostic> {
        Ok(self.paragraphs(phrase, slots)?.into_iter().next().unwrap_or_default())
    }

    /// A phrase of paragraphs (or a list), each with its slots filled.
    pub(crate) fn paragraphs(
        &self,
        phrase: Phrase,
        slots: &Slots,
    ) -> Result<Vec<Text>, Diagnostic> {
        let all = self.phrases.get(&phrase).into_iter().flatten();
        all.map(|pieces| self.fill(phrase, pieces, slots)).collect()
    }

    /// A one-line phrase as plain text.
    pub(crate) fn plain(&self, phrase: Phrase, slots: &Slots) -> Result<String, Diagnostic> {
        Ok(self.text(phrase, slots)?.to_plain())
    }

    /// One form of a phrase with forms, e.g. the pronoun `she`.
    pub(crate) fn form(
        &self,
        phrase: Phrase,
        form: &str,
        slots: &Slots,
    ) -> Result<Text, Diagnostic> {
        match self.forms.get(&phrase).and_then(|f| f.get(form)) {
            Some(pieces) => self.fill(phrase, pieces, slots),
            None => {
                Err(self.at(phrase, format!("phrase `{}` has no form `{form}`", phrase.name())))
            }
        }
    }

    /// The inspectorate's details as a letter in this language published on
    /// `date` prints them: `base` (`organisation.yaml`) with what this
    /// language changes by then.
    pub(crate) fn organisation(&self, base: &Organisation, date: IsoDate) -> Organisation {
        organisation::on(&self.organisation, base, date)
    }

    /// The language tag a letter written as `tag` is published under: as
    /// written when it names a region, else this language's own (`cy` →
    /// `cy-GB`).
    pub(crate) fn full_tag(&self, tag: &str) -> String {
        match split_language(tag) {
            (lang, Some(region)) => format!("{lang}-{region}"),
            (_, None) => self.tag.clone(),
        }
    }

    /// The words before, between and after the two slots of `page`.
    pub(crate) fn page(&self) -> [String; 3] {
        let mut parts = [String::new(), String::new(), String::new()];
        let mut i = 0;
        for piece in self.phrases.get(&Phrase::Page).and_then(|p| p.first()).into_iter().flatten() {
            match piece {
                Piece::Words(words) => parts[i].push_str(words),
                Piece::Slot(_) => i = (i + 1).min(2),
            }
        }
        parts
    }

    /// A phrase with its slots filled in. A slot without a value is an
    /// error naming the phrase and the slot: the words file may use every
    /// slot its table row lists, so the composer must give each a value.
    fn fill(&self, phrase: Phrase, pieces: &Pieces, slots: &Slots) -> Result<Text, Diagnostic> {
        let mut text = Text::default();
        for piece in pieces {
            match piece {
                Piece::Words(words) => text.push(Inline::Text { text: words.clone() }),
                Piece::Slot(slot) => match slots.get(slot) {
                    Some(value) => text.extend(value.clone()),
                    None => {
                        return Err(self
                            .at(
                                phrase,
                                format!(
                                    "phrase `{}` uses {{{}}}, which has no value here",
                                    phrase.name(),
                                    slot.name()
                                ),
                            )
                            .hint("this is a bug in hmip-letter; please report it"));
                    }
                },
            }
        }
        Ok(text)
    }

    /// The paragraphs of a phrase as patterns that match the words it
    /// prints, for `import`: its words as they stand (any run of white
    /// space matching any other), each slot as `slot(slot, n)` makes it,
    /// `n` counting the slot's uses in the phrase from 0. The words file is
    /// the pattern: there is no second copy of the words.
    pub(crate) fn patterns(
        &self,
        phrase: Phrase,
        slot: &dyn Fn(Slot, usize) -> String,
    ) -> Vec<String> {
        let all = self.phrases.get(&phrase).into_iter().flatten();
        all.map(|pieces| pattern_of(pieces, slot)).collect()
    }

    /// The forms of a phrase with forms, each as a pattern (see
    /// [`Words::patterns`]), by form.
    pub(crate) fn form_patterns(
        &self,
        phrase: Phrase,
        slot: &dyn Fn(Slot, usize) -> String,
    ) -> Vec<(String, String)> {
        let all = self.forms.get(&phrase).into_iter().flatten();
        all.map(|(form, pieces)| (form.clone(), pattern_of(pieces, slot))).collect()
    }

    /// An error at a phrase of this file.
    fn at(&self, phrase: Phrase, message: String) -> Diagnostic {
        let d = Diagnostic::error(message).at(&self.file, self.places.get(&phrase).cloned());
        d.key(phrase.name())
    }
}

/// The words of a letter in the language `tag` (`en-GB`, `cy`), if there
/// are any.
pub(crate) fn of<'a>(all: &'a BTreeMap<String, Words>, tag: &str) -> Option<&'a Words> {
    all.get(&split_language(tag).0)
}

/// `en-GB` → (`en`, `GB`); `cy` → (`cy`, none).
pub(crate) fn split_language(tag: &str) -> (String, Option<String>) {
    let mut parts = tag.split(['-', '_']);
    let lang = parts.next().unwrap_or("en").to_ascii_lowercase();
    let region = parts.next().filter(|r| r.len() == 2).map(|r| r.to_ascii_uppercase());
    (lang, region)
}

/// A phrase's pieces as a regular expression: words escaped, white space
/// loose, slots as `slot` writes them.
fn pattern_of(pieces: &Pieces, slot: &dyn Fn(Slot, usize) -> String) -> String {
    let mut out = String::new();
    let mut uses = BTreeMap::<Slot, usize>::new();
    for piece in pieces {
        match piece {
            Piece::Words(words) => {
                let mut space = false;
                for c in words.chars() {
                    if c.is_whitespace() {
                        space = true;
                        continue;
                    }
                    if space {
                        out.push_str(r"\s+");
                        space = false;
                    }
                    out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
                }
                if space {
                    out.push_str(r"\s+");
                }
            }
            Piece::Slot(s) => {
                let n = uses.entry(*s).or_default();
                out.push_str(&slot(*s, *n));
                *n += 1;
            }
        }
    }
    out
}

const HINT: &str = "every phrase of words/en.yaml must be in a words file, with the same slots";

fn describe(shape: Shape) -> &'static str {
    match shape {
        Shape::One => "one line of text",
        Shape::Paragraphs => "a list of paragraphs",
        Shape::List => "a list",
        Shape::Forms(_) => "a mapping of forms to text",
    }
}

/// Reads `{slot}`s out of a phrase; `{{` and `}}` are braces.
fn pieces(text: &str, allowed: &[Slot]) -> Result<Pieces, String> {
    let mut out = Vec::new();
    let mut words = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                words.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                words.push('}');
            }
            '{' => {
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let Some(slot) = Slot::from_name(&name).filter(|s| allowed.contains(s)) else {
                    let known = if allowed.is_empty() {
                        "this phrase has no slots".to_string()
                    } else {
                        let names: Vec<&str> = allowed.iter().map(|s| s.name()).collect();
                        format!("its slots are {}", names.join(", "))
                    };
                    return Err(format!("unknown slot {{{name}}} in \"{text}\"; {known}"));
                };
                if !words.is_empty() {
                    out.push(Piece::Words(std::mem::take(&mut words)));
                }
                out.push(Piece::Slot(slot));
            }
            c => words.push(c),
        }
    }
    if !words.is_empty() {
        out.push(Piece::Words(words));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Words {
        let templates = Templates::embedded();
        Words::read("en", templates.source("words/en.yaml").unwrap().clone()).unwrap()
    }

    #[test]
    fn slots_are_filled_with_text() {
        let words = english();
        let slots = Slots::from([
            (Slot::Area, Text::plain("Barnet")),
            (Slot::InArea, Text::plain("in Barnet")),
            (Slot::Published, Text::plain("16th July 2014")),
            (Slot::Year, Text::plain("2014")),
        ]);
        assert_eq!(
            words.plain(Phrase::Title, &slots).unwrap(),
            "Report of Short Quality Screening (SQS) of youth offending work in Barnet"
        );
        assert_eq!(words.page(), ["Page ".to_string(), " of ".into(), String::new()]);
        assert_eq!(words.months[6], "July");
        assert_eq!(words.date_styles, [DateStyle::Ordinal, DateStyle::Plain]);
    }

    #[test]
    fn every_built_in_language_has_every_phrase() {
        let all = Words::all(&Templates::embedded()).unwrap();
        assert_eq!(all.keys().collect::<Vec<_>>(), ["cy", "en"]);
        for words in all.values() {
            for phrase in Phrase::ALL {
                let present =
                    words.phrases.contains_key(phrase) || words.forms.contains_key(phrase);
                assert!(present, "{} has no {}", words.language, phrase.name());
            }
        }
    }

    #[test]
    fn the_docs_list_every_phrase() {
        let docs = include_str!("../docs/templates.md");
        for phrase in Phrase::ALL {
            let name = phrase.name();
            assert!(docs.contains(&format!("`{name}`")), "docs/templates.md does not list {name}");
        }
    }

    #[test]
    fn language_tags_split() {
        assert_eq!(split_language("en-GB"), ("en".into(), Some("GB".into())));
        assert_eq!(split_language("cy"), ("cy".into(), None));
    }

    #[test]
    fn a_tag_without_a_region_takes_the_languages() {
        let all = Words::all(&Templates::embedded()).unwrap();
        let welsh = of(&all, "cy").unwrap();
        assert_eq!(welsh.full_tag("cy"), "cy-GB");
        assert_eq!(welsh.full_tag("cy-GB"), "cy-GB");
        assert_eq!(english().full_tag("en-GB"), "en-GB");
        assert_eq!(welsh.english_name, "Welsh");
        assert_eq!(welsh.date_styles, [DateStyle::Plain]);
        assert_eq!(welsh.months[6], "Gorffennaf");
    }

    #[test]
    fn a_wrong_organisation_part_is_located() {
        let text = Templates::embedded().source("words/cy.yaml").unwrap().text.clone();
        let text = text.replace("  - from: 2022-09-08\n", "  - form: 2022-09-08\n");
        let errors = Words::read("cy", SourceFile::new("cy.yaml", text)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let message = errors[0].to_string();
        assert!(message.contains("unknown key \"form\"; did you mean \"from\"?"), "{message}");
        assert!(message.starts_with("cy.yaml:"), "{message}");
    }

    #[test]
    fn a_phrase_of_the_wrong_shape_is_named() {
        let text = Templates::embedded().source("words/en.yaml").unwrap().text.clone();
        let text = text.replace("to: \"To:\"", "to: {a: [b]}");
        let errors = Words::read("en", SourceFile::new("en.yaml", text)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].to_string().contains("phrase `to` should be one line of text"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn braces_and_unknown_slots() {
        assert_eq!(
            pieces("a {{b}} {area}.", &[Slot::Area]).unwrap(),
            [Piece::Words("a {b} ".into()), Piece::Slot(Slot::Area), Piece::Words(".".into())]
        );
        let error = pieces("in {aera}", &[Slot::Area]).unwrap_err();
        assert!(error.contains("unknown slot {aera}") && error.contains("area"), "{error}");
    }

    #[test]
    fn a_missing_phrase_and_a_bad_slot_are_named_with_the_file() {
        let text = Templates::embedded().source("words/en.yaml").unwrap().text.clone();
        let text =
            text.replace("summary_heading: Summary\n", "").replace("{cases} cases", "{case} cases");
        let errors = Words::read("en", SourceFile::new("mine/words/en.yaml", text)).unwrap_err();
        let messages: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("mine/words/en.yaml has no phrase `summary_heading`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("unknown slot {case}") && m.contains("`context`")),
            "{messages:?}"
        );
    }

    #[test]
    fn a_slot_without_a_value_is_an_error_naming_the_phrase() {
        let words = english();
        let slots = Slots::from([(Slot::Name, Text::plain("Julie Fox"))]);
        let error = words.text(Phrase::Person, &slots).unwrap_err();
        assert_eq!(error.message, "phrase `person` uses {role}, which has no value here");
        assert_eq!(error.key.as_deref(), Some("person"));
        let (line, _) = error.line_column().unwrap();
        assert!(words.file.text.lines().nth(line - 1).unwrap().starts_with("person:"));
    }

    #[test]
    fn names_of_phrases_and_slots_are_their_own() {
        for phrase in Phrase::ALL {
            assert_eq!(Phrase::from_name(phrase.name()), Some(*phrase));
            for slot in phrase.slots() {
                assert_eq!(Slot::from_name(slot.name()), Some(*slot));
            }
        }
        assert_eq!(Phrase::from_name("titel"), None);
    }
}
