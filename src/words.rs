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

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::error::{Diagnostic, Error, SourceFile};
use crate::letter::{Inline, Text};
use crate::model::DateStyle;
use crate::suggest;
use crate::templates::{Templates, WORDS_FOLDER};
use crate::yaml::{self, KeyIndex};

/// What a phrase is: one text, paragraphs, a text per form (the lead
/// inspector's pronoun), or a list of short values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    One,
    Paragraphs,
    Forms(&'static [&'static str]),
    List,
}

const AREA: &[&str] = &["area", "in_area"];
const META: &[&str] = &["area", "in_area", "published", "year"];
const NONE: &[&str] = &[];

/// Every phrase a words file must have: its name, shape and slots.
pub const PHRASES: &[(&str, &[&str])] = &[
    ("name", NONE),
    ("months", NONE),
    ("date_styles", NONE),
    ("in_area", &["area"]),
    ("title", META),
    ("short_title", META),
    ("description", META),
    ("keywords", META),
    ("draft_title", &["area", "in_area", "published", "year", "title"]),
    ("to", NONE),
    ("copy_to", NONE),
    ("see_copy_list", NONE),
    ("from", NONE),
    ("publication_date", NONE),
    ("person", &["name", "role"]),
    ("name_separator", NONE),
    ("default_abbreviation", NONE),
    ("intro", &["fieldwork", "org_name", "org_short_name", "area", "in_area"]),
    ("context_heading", NONE),
    (
        "context",
        &[
            "org_name",
            "org_short_name",
            "website",
            "cases",
            "team",
            "abbreviation",
            "area",
            "in_area",
        ],
    ),
    ("summary_heading", NONE),
    ("commentary_heading", AREA),
    ("operational_management_heading", NONE),
    ("strengths_heading", NONE),
    ("improvements_heading", NONE),
    ("copy_list_heading", NONE),
    (
        "closing",
        &[
            "abbreviation",
            "team",
            "lead_name",
            "lead",
            "lead_email",
            "lead_phone",
            "org_short_name",
        ],
    ),
    ("lead_pronoun", &["lead_name"]),
    ("phone_clause", &["phone"]),
    (
        "paper_copy",
        &[
            "publications_name",
            "publications_email",
            "publications_phone",
            "org_name",
            "org_short_name",
        ],
    ),
    ("page", &["page", "pages"]),
    ("draft_mark", NONE),
    ("draft_banner", NONE),
    ("notes_heading", NONE),
    ("back_to_text", NONE),
];

/// The forms of the lead inspector's pronoun.
pub const PRONOUN_FORMS: &[&str] = &["he", "she", "they", "none"];

fn shape(name: &str) -> Shape {
    match name {
        "months" | "date_styles" | "keywords" => Shape::List,
        "intro" | "context" | "closing" => Shape::Paragraphs,
        "lead_pronoun" => Shape::Forms(PRONOUN_FORMS),
        _ => Shape::One,
    }
}

/// A phrase as written in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Raw {
    One(String),
    Many(Vec<String>),
    Forms(BTreeMap<String, String>),
}

/// A phrase read into words and slots.
type Pieces = Vec<Piece>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Words(String),
    Slot(String),
}

/// The words of one language.
#[derive(Debug, Clone)]
pub struct Words {
    /// The file they were read from, for messages.
    pub file: Arc<SourceFile>,
    /// The language, as the file's name gives it: `en`, `cy`.
    pub language: String,
    /// The language as its speakers name it: `English`, `Cymraeg`.
    pub name: String,
    /// The month names, January first.
    pub months: Vec<String>,
    /// The date styles letters may use; the first is the default.
    pub date_styles: Vec<DateStyle>,
    phrases: BTreeMap<String, Vec<Pieces>>,
    forms: BTreeMap<String, BTreeMap<String, Pieces>>,
}

/// The values of the slots of a letter.
pub type Slots = BTreeMap<&'static str, Text>;

impl Words {
    /// Reads and checks the words of every language among the templates.
    pub fn all(templates: &Templates) -> Result<BTreeMap<String, Words>, Error> {
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
    pub fn read(language: &str, file: Arc<SourceFile>) -> Result<Words, Vec<Diagnostic>> {
        let (raw, index) = yaml::parse::<BTreeMap<String, Raw>>(&file)
            .map_err(|failure| vec![failure.first.hint(HINT)])?;
        let mut problems = Vec::new();
        let mut words = Words {
            file: file.clone(),
            language: language.to_string(),
            name: String::new(),
            months: Vec::new(),
            date_styles: Vec::new(),
            phrases: BTreeMap::new(),
            forms: BTreeMap::new(),
        };
        for (name, _) in PHRASES {
            if !raw.contains_key(*name) {
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
        for (name, value) in &raw {
            let Some((_, slots)) = PHRASES.iter().find(|(n, _)| n == name) else {
                let names: Vec<&str> = PHRASES.iter().map(|(n, _)| *n).collect();
                let d = suggest::unknown("phrase", name, &names);
                problems.push(d.at(&file, index.range_of(name)).key(name).hint(HINT));
                continue;
            };
            if let Err(d) = words.add(name, value, slots, &index) {
                problems.push(d);
            }
        }
        if problems.is_empty() { Ok(words) } else { Err(problems) }
    }

    /// Checks one phrase and keeps it.
    fn add(
        &mut self,
        name: &str,
        value: &Raw,
        slots: &[&str],
        index: &KeyIndex,
    ) -> Result<(), Diagnostic> {
        let at = |message: String| {
            Diagnostic::error(message).at(&self.file, index.range_of(name)).key(name).hint(HINT)
        };
        let expected = shape(name);
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
                self.forms.insert(name.to_string(), parsed);
                return Ok(());
            }
            _ => return Err(at(format!("phrase `{name}` should be {}", describe(expected)))),
        };
        let parsed: Vec<Pieces> =
            texts.iter().map(|t| pieces(t, slots)).collect::<Result<_, _>>().map_err(&at)?;
        match name {
            "name" => self.name = texts[0].clone(),
            "months" => {
                if texts.len() != 12 {
                    return Err(at(format!("`months` lists {} months, not 12", texts.len())));
                }
                self.months = texts.into_iter().cloned().collect();
            }
            "date_styles" => {
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
            "page" => {
                let order: Vec<&str> = parsed[0]
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Slot(s) => Some(s.as_str()),
                        Piece::Words(_) => None,
                    })
                    .collect();
                if order != ["page", "pages"] {
                    return Err(at(
                        "phrase `page` must have {page} and then {pages}, once each".to_string()
                    ));
                }
            }
            _ => {}
        }
        self.phrases.insert(name.to_string(), parsed);
        Ok(())
    }

    /// A one-line phrase with its slots filled.
    pub fn text(&self, name: &str, slots: &Slots) -> Text {
        self.all_texts(name, slots).into_iter().next().unwrap_or_default()
    }

    /// A phrase of paragraphs (or a list), each with its slots filled.
    pub fn paragraphs(&self, name: &str, slots: &Slots) -> Vec<Text> {
        self.all_texts(name, slots)
    }

    /// A one-line phrase as plain text.
    pub fn plain(&self, name: &str, slots: &Slots) -> String {
        self.text(name, slots).to_plain()
    }

    /// One form of a phrase with forms, e.g. the pronoun `she`.
    pub fn form(&self, name: &str, form: &str, slots: &Slots) -> Text {
        self.forms.get(name).and_then(|f| f.get(form)).map(|p| fill(p, slots)).unwrap_or_default()
    }

    /// The words before, between and after the two slots of `page`.
    pub fn page(&self) -> [String; 3] {
        let mut parts = [String::new(), String::new(), String::new()];
        let mut i = 0;
        for piece in self.phrases.get("page").and_then(|p| p.first()).into_iter().flatten() {
            match piece {
                Piece::Words(words) => parts[i].push_str(words),
                Piece::Slot(_) => i = (i + 1).min(2),
            }
        }
        parts
    }

    fn all_texts(&self, name: &str, slots: &Slots) -> Vec<Text> {
        self.phrases.get(name).into_iter().flatten().map(|p| fill(p, slots)).collect()
    }
}

/// The words of a letter in the language `tag` (`en-GB`, `cy`), if there
/// are any.
pub fn of<'a>(all: &'a BTreeMap<String, Words>, tag: &str) -> Option<&'a Words> {
    all.get(&split_language(tag).0)
}

/// `en-GB` → (`en`, `GB`); `cy` → (`cy`, none).
pub fn split_language(tag: &str) -> (String, Option<String>) {
    let mut parts = tag.split(['-', '_']);
    let lang = parts.next().unwrap_or("en").to_ascii_lowercase();
    let region = parts.next().filter(|r| r.len() == 2).map(|r| r.to_ascii_uppercase());
    (lang, region)
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
fn pieces(text: &str, allowed: &[&str]) -> Result<Pieces, String> {
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
                if !allowed.contains(&name.as_str()) {
                    let known = if allowed.is_empty() {
                        "this phrase has no slots".to_string()
                    } else {
                        format!("its slots are {}", allowed.join(", "))
                    };
                    return Err(format!("unknown slot {{{name}}} in \"{text}\"; {known}"));
                }
                if !words.is_empty() {
                    out.push(Piece::Words(std::mem::take(&mut words)));
                }
                out.push(Piece::Slot(name));
            }
            c => words.push(c),
        }
    }
    if !words.is_empty() {
        out.push(Piece::Words(words));
    }
    Ok(out)
}

/// A phrase with its slots filled in.
fn fill(pieces: &Pieces, slots: &Slots) -> Text {
    let mut text = Text::default();
    for piece in pieces {
        match piece {
            Piece::Words(words) => text.push(Inline::Text { text: words.clone() }),
            Piece::Slot(name) => match slots.get(name.as_str()) {
                Some(value) => text.extend(value.clone()),
                // Only slots listed in PHRASES get this far, and the
                // composer gives each of them a value.
                None => debug_assert!(false, "no value for slot {name}"),
            },
        }
    }
    text
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
            ("area", Text::plain("Barnet")),
            ("in_area", Text::plain("in Barnet")),
            ("published", Text::plain("16th July 2014")),
            ("year", Text::plain("2014")),
        ]);
        assert_eq!(
            words.plain("title", &slots),
            "Report of Short Quality Screening (SQS) of youth offending work in Barnet"
        );
        assert_eq!(words.page(), ["Page ".to_string(), " of ".into(), String::new()]);
        assert_eq!(words.months[6], "July");
        assert_eq!(words.date_styles, [DateStyle::Ordinal, DateStyle::Plain]);
    }

    #[test]
    fn every_built_in_language_has_every_phrase() {
        let all = Words::all(&Templates::embedded()).unwrap();
        assert!(all.contains_key("en"));
        for words in all.values() {
            for (name, _) in PHRASES {
                let present = words.phrases.contains_key(*name) || words.forms.contains_key(*name);
                assert!(present, "{} has no {name}", words.language);
            }
        }
    }

    #[test]
    fn the_docs_list_every_phrase() {
        let docs = include_str!("../docs/templates.md");
        for (name, _) in PHRASES {
            assert!(docs.contains(&format!("`{name}`")), "docs/templates.md does not list {name}");
        }
    }

    #[test]
    fn language_tags_split() {
        assert_eq!(split_language("en-GB"), ("en".into(), Some("GB".into())));
        assert_eq!(split_language("cy"), ("cy".into(), None));
    }

    #[test]
    fn braces_and_unknown_slots() {
        assert_eq!(
            pieces("a {{b}} {area}.", &["area"]).unwrap(),
            [Piece::Words("a {b} ".into()), Piece::Slot("area".into()), Piece::Words(".".into())]
        );
        let error = pieces("in {aera}", &["area"]).unwrap_err();
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
}
