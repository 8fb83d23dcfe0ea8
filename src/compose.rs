//! The data a letter template sees: the findings, with dates formatted and
//! prose turned into safe Typst content, and the organisation's details.
//!
//! Prose is converted here, in the order the letter prints it, so footnotes
//! are numbered in order of first use. Plain values (names, roles, the area)
//! stay strings; the template's auto-escaping prints them as literals.

use minijinja::value::Value;
use serde::Serialize;

use crate::dates::{format_date, format_range};
use crate::markup::{self, Footnotes};
use crate::model::{CopyEntry, Findings, Organisation, Person, Pronoun, Status};

/// Everything a letter template can use.
#[derive(Debug, Serialize)]
pub struct LetterContext<'a> {
    /// The findings exactly as written, for templates that want raw values.
    pub findings: &'a Findings,
    pub org: &'a Organisation,
    pub area: &'a str,
    /// The publication date as printed, e.g. "16th July 2014".
    pub published: String,
    /// The fieldwork dates as printed, e.g. "23rd-25th June 2014".
    pub fieldwork: String,
    pub year: i32,
    pub lang: String,
    pub region: Option<String>,
    pub draft: bool,
    /// The letterhead logo, if the findings name one.
    pub logo: Option<LogoContext>,
    /// The file name the findings are attached to the PDF under (PDF/A-3).
    pub attachment: Option<String>,
    pub to: &'a Person,
    /// The `from` person (`from` is a keyword in templates).
    pub sender: &'a Person,
    pub cases: u32,
    pub team: &'a str,
    /// The team for short, e.g. "YOT".
    pub abbreviation: &'a str,
    pub intro: Option<Vec<Value>>,
    pub context: Option<Vec<Value>>,
    pub summary: Vec<Value>,
    pub commentary: Vec<AreaContext>,
    pub operational_management: Option<Vec<Value>>,
    pub strengths: Vec<Value>,
    pub improvements: Vec<Value>,
    pub closing: Option<Vec<Value>>,
    pub lead_inspector: LeadContext<'a>,
    pub copy_to: Option<&'a [CopyEntry]>,
}

/// One area of the commentary, as Typst content.
#[derive(Debug, Serialize)]
pub struct AreaContext {
    pub heading: Value,
    pub paragraphs: Vec<Value>,
}

/// The lead inspector, with the pronoun ready to start a sentence.
#[derive(Debug, Serialize)]
pub struct LeadContext<'a> {
    pub name: &'a str,
    /// "He", "She" or "They"; none when the name is repeated instead.
    pub pronoun: Option<&'static str>,
    pub email: &'a str,
    pub phone: Option<&'a str>,
}

/// What a letter gets besides its findings: how it is published.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Forces the DRAFT watermark, whatever the findings say.
    pub draft: bool,
    /// The logo: where Typst reads it, and its alt text.
    pub logo: Option<(String, String)>,
    /// The name the findings file is attached to the PDF under, if it is.
    pub attachment: Option<String>,
}

/// The logo, for the template.
#[derive(Debug, Serialize)]
pub struct LogoContext {
    pub path: String,
    pub alt: String,
}

/// Builds the template context of a letter.
/// Footnotes must have been checked: an unknown one prints as written.
pub fn compose(findings: &Findings, org: &Organisation, extras: &Extras) -> Value {
    let mut prose = Prose { notes: Footnotes::new(&findings.footnotes) };
    let f = findings;
    let (lang, region) = split_language(&f.language);
    // Converted in the order the letter prints them, for footnote numbers.
    let intro = prose.optional(&f.intro);
    let context = prose.optional(&f.context);
    let summary = prose.list(&f.summary);
    let mut commentary = Vec::with_capacity(f.commentary.len());
    for area in &f.commentary {
        commentary.push(AreaContext {
            heading: prose.one(&area.heading),
            paragraphs: prose.list(&area.paragraphs),
        });
    }
    let operational_management = prose.optional(&f.operational_management);
    let strengths = prose.list(&f.strengths);
    let improvements = prose.list(&f.improvements);
    let closing = prose.optional(&f.closing);
    let fieldwork = &f.inspection.fieldwork;
    let letter = LetterContext {
        findings,
        org,
        area: &f.area,
        published: format_date(f.published.0, f.date_style),
        fieldwork: format_range(fieldwork.from.0, fieldwork.to.0, f.date_style),
        year: f.published.0.year(),
        lang,
        region,
        draft: extras.draft || f.status == Status::Draft,
        logo: extras.logo.clone().map(|(path, alt)| LogoContext { path, alt }),
        attachment: extras.attachment.clone(),
        to: &f.to,
        sender: &f.from,
        cases: f.inspection.cases,
        team: &f.inspection.team,
        abbreviation: &f.inspection.abbreviation,
        intro,
        context,
        summary,
        commentary,
        operational_management,
        strengths,
        improvements,
        closing,
        lead_inspector: LeadContext {
            name: &f.lead_inspector.name,
            pronoun: f.lead_inspector.pronoun.map(|p| match p {
                Pronoun::He => "He",
                Pronoun::She => "She",
                Pronoun::They => "They",
            }),
            email: &f.lead_inspector.email,
            phone: f.lead_inspector.phone.as_deref(),
        },
        copy_to: f.copy_to.as_deref(),
    };
    Value::from(minijinja::value::Serde(&letter))
}

/// `en-GB` → (`en`, `GB`); `cy` → (`cy`, none).
pub fn split_language(tag: &str) -> (String, Option<String>) {
    let mut parts = tag.split(['-', '_']);
    let lang = parts.next().unwrap_or("en").to_ascii_lowercase();
    let region = parts.next().filter(|r| r.len() == 2).map(|r| r.to_ascii_uppercase());
    (lang, region)
}

/// Converts prose values, sharing one footnote numbering.
struct Prose<'a> {
    notes: Footnotes<'a>,
}

impl Prose<'_> {
    fn one(&mut self, text: &str) -> Value {
        Value::from_safe_string(markup::to_typst(text, Some(&mut self.notes)))
    }

    fn list(&mut self, texts: &[String]) -> Vec<Value> {
        texts.iter().map(|t| self.one(t)).collect()
    }

    fn optional(&mut self, texts: &Option<Vec<String>>) -> Option<Vec<Value>> {
        texts.as_deref().map(|t| self.list(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_split() {
        assert_eq!(split_language("en-GB"), ("en".into(), Some("GB".into())));
        assert_eq!(split_language("cy"), ("cy".into(), None));
    }
}
