//! The findings file as Rust types: the contract that `docs/findings-format.md`
//! describes for inspectors.
//!
//! Serde does the shape checking (unknown keys, missing keys, wrong types,
//! impossible dates); `check.rs` does the checks that need more than one
//! value. The doc comments here are also the descriptions in the JSON Schema
//! that `hmip-letter schema` prints, so they are written for inspectors.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One inspection letter: everything an inspector decides for it.
// Every text value has the type `T`: `String` as read from the file, and
// `letter::Text` once `fields.rs` has checked it and read its markup. Only
// that walk turns one into the other, so no text reaches a letter unchecked.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Findings")]
pub struct Findings<T = String> {
    /// Which letter template to use. Default: `sqs` (Short Quality Screening).
    #[serde(default = "default_letter")]
    pub letter: String,
    /// The language of the letter, as a language tag: `en-GB` (the default), or
    /// `cy` / `cy-GB` for a letter in Welsh.
    #[serde(default = "default_language")]
    pub language: String,
    /// The area inspected, used in the title and headings, e.g. `Barnet`.
    pub area: T,
    /// The area as the letter says "in AREA", where the language needs another
    /// form of its name: in Welsh it mutates after "yn", e.g. `yng Nghaerdydd`.
    /// Default: "in AREA" in the letter's language ("yn AREA" in Welsh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_in: Option<T>,
    /// The publication date, e.g. `2014-07-16`.
    pub published: IsoDate,
    /// The person the letter is addressed to.
    pub to: Person<T>,
    /// The person the letter is from.
    pub from: Person<T>,
    /// When and what was inspected.
    pub inspection: Inspection<T>,
    /// The summary: one or more paragraphs.
    #[schemars(length(min = 1))]
    pub summary: Vec<T>,
    /// The commentary, one entry per area of work, numbered 1, 2, 3...
    #[schemars(length(min = 1))]
    pub commentary: Vec<CommentaryArea<T>>,
    /// Paragraphs about operational management; the section is left out when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operational_management: Option<Vec<T>>,
    /// Key strengths: one or more items.
    #[schemars(length(min = 1))]
    pub strengths: Vec<T>,
    /// Areas requiring improvement: zero or more items (empty: none).
    #[serde(default, deserialize_with = "null_as_empty")]
    #[schemars(with = "Option<Vec<String>>")]
    pub improvements: Vec<T>,
    /// The lead inspector, named in the closing paragraph.
    pub lead_inspector: LeadInspector<T>,
    /// The copy list; when present the header says "See copy list at end".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_to: Option<Vec<CopyEntry<T>>>,
    /// How dates are printed: `ordinal` ("16th July 2014") or `plain` ("16 July 2014").
    /// Default: the first style of the letter's language (ordinal in English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_style: Option<DateStyle>,
    /// Footnote texts by name; `text[^name]` in any paragraph places the mark.
    #[serde(default)]
    pub footnotes: BTreeMap<String, T>,
    /// Replaces the generated opening paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<Vec<T>>,
    /// Replaces the generated "Context" paragraphs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Vec<T>>,
    /// Replaces the generated thanks and lead-inspector paragraphs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<Vec<T>>,
    /// `draft` puts a DRAFT watermark on every page. Default: `final`.
    #[serde(default)]
    pub status: Status,
    /// An image for the letterhead, beside the findings file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<Logo<T>>,
    /// What `hmip-letter preflight` is told about this letter: house-style
    /// rules switched off, each with the reason. Not printed in the letter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preflight: Option<Preflight>,
}

/// `improvements:` with nothing after it means none.
fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

fn default_letter() -> String {
    "sqs".into()
}

fn default_language() -> String {
    "en-GB".into()
}

/// A person with a role, as in "Duncan Tessier, Chair of Barnet YOT Management Board".
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Person")]
pub struct Person<T = String> {
    /// The person's name.
    pub name: T,
    /// The person's role.
    pub role: T,
}

/// The inspection itself.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Inspection")]
pub struct Inspection<T = String> {
    /// The first and last day of fieldwork.
    pub fieldwork: Fieldwork,
    /// How many cases were examined.
    pub cases: u32,
    /// The team whose cases were examined, e.g. `Barnet Youth Offending Team`.
    pub team: T,
    /// What the letter calls the team for short, e.g. `YOS`. Default: `YOT` in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abbreviation: Option<T>,
}

/// The fieldwork dates, e.g. `{from: 2014-06-23, to: 2014-06-25}`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fieldwork {
    /// The first day of fieldwork.
    pub from: IsoDate,
    /// The last day of fieldwork.
    pub to: IsoDate,
}

/// One numbered section of the commentary.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CommentaryArea")]
pub struct CommentaryArea<T = String> {
    /// The heading, e.g. `Protecting the public`.
    pub heading: T,
    /// The paragraphs, numbered 1.1, 1.2...
    #[schemars(length(min = 1))]
    pub paragraphs: Vec<T>,
}

/// The lead inspector.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "LeadInspector")]
pub struct LeadInspector<T = String> {
    /// The lead inspector's name.
    pub name: T,
    /// `he`, `she` or `they`; when absent the name is repeated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronoun: Option<Pronoun>,
    /// The lead inspector's email address.
    pub email: T,
    /// The lead inspector's phone number, quoted so a leading zero survives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<T>,
}

/// A pronoun for the lead inspector.
// The variants are the words a findings file writes; doc comments on them
// would turn the JSON Schema's list of values into a list of cases.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Pronoun {
    He,
    She,
    They,
}

/// One row of the copy list.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CopyEntry")]
pub struct CopyEntry<T = String> {
    /// The role, e.g. `YJB link staff`.
    pub role: T,
    /// The people in that role.
    #[schemars(length(min = 1))]
    pub names: Vec<T>,
}

/// How dates are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DateStyle {
    /// "16th July 2014", "23rd-25th June 2014".
    #[default]
    Ordinal,
    /// "16 July 2014", "23-25 June 2014".
    Plain,
}

impl DateStyle {
    /// The style as a findings file writes it.
    pub fn name(self) -> &'static str {
        match self {
            DateStyle::Ordinal => "ordinal",
            DateStyle::Plain => "plain",
        }
    }
}

/// Whether the letter is a draft or final.
// The variants are the words a findings file writes; doc comments on them
// would turn the JSON Schema's list of values into a list of cases.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    #[default]
    Final,
}

/// An image for the letterhead.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Logo")]
pub struct Logo<T = String> {
    /// A PNG or SVG file, relative to the findings file and inside its folder.
    pub file: String,
    /// What the image shows, for readers who cannot see it.
    pub alt: T,
}

/// What `hmip-letter preflight` is told about one letter.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Preflight {
    /// House-style rules switched off for this letter, each with the reason,
    /// e.g. `long-sentence: The sentence quotes the court's order in full.`
    /// Rules about personal data cannot be switched off.
    #[serde(default)]
    pub off: BTreeMap<String, String>,
}

/// The inspectorate that publishes the letters (`templates/organisation.yaml`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// The full name, e.g. "HM Inspectorate of Probation".
    pub name: String,
    /// The name used in running text, e.g. "HMI Probation".
    pub short_name: String,
    /// The website where letters and criteria are published.
    pub website: String,
    /// The postal address, one line each, for the letterhead.
    #[serde(default)]
    pub address: Vec<String>,
    /// Who sends paper copies.
    pub publications: Contact,
}

/// A contact point.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Who, e.g. "HMI Probation Publications".
    pub name: String,
    /// Their email address.
    pub email: String,
    /// Their phone number.
    pub phone: String,
}

/// A calendar date written `YYYY-MM-DD`, checked to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(pub time::Date);

impl IsoDate {
    /// Parses `YYYY-MM-DD`; the error says what is wrong in plain English.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!("expected a date written YYYY-MM-DD, found \"{text}\""));
        }
        let year: i32 = text[0..4].parse().map_err(|_| "bad year".to_string())?;
        let month: u8 = text[5..7].parse().map_err(|_| "bad month".to_string())?;
        let day: u8 = text[8..10].parse().map_err(|_| "bad day".to_string())?;
        let month = time::Month::try_from(month)
            .map_err(|_| format!("{text} is not a date: there is no month {month}"))?;
        time::Date::from_calendar_date(year, month, day).map(IsoDate).map_err(|_| {
            let days = time::util::days_in_month(month, year);
            format!("{text} is not a date: {month} {year} has {days} days")
        })
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let d = self.0;
        write!(f, "{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        IsoDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl JsonSchema for IsoDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IsoDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A date written YYYY-MM-DD, e.g. 2014-07-16."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_parse() {
        assert_eq!(IsoDate::parse("2014-07-16").unwrap().to_string(), "2014-07-16");
        assert!(IsoDate::parse("2016-02-29").is_ok());
    }

    #[test]
    fn impossible_dates_are_explained() {
        assert_eq!(
            IsoDate::parse("2014-02-30").unwrap_err(),
            "2014-02-30 is not a date: February 2014 has 28 days"
        );
        assert_eq!(
            IsoDate::parse("2014-13-01").unwrap_err(),
            "2014-13-01 is not a date: there is no month 13"
        );
        assert!(IsoDate::parse("16/07/2014").unwrap_err().contains("YYYY-MM-DD"));
        assert!(IsoDate::parse("2014-7-16").is_err());
    }
}
