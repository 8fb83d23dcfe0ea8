//! Preflight: before a letter goes out, is it safe to publish, and does it
//! keep the house style?
//!
//! The checks of `check.rs` make a letter renderable; these look for what
//! must not be published (personal data: errors) and for slips of house
//! style (warnings, each with a rule id that a findings file may switch off
//! with a reason). They read the composed [`Letter`], the words a reader
//! reads with the standard words written in, so personal data that reaches
//! the letter through an overridden words file or organisation shows up too.
//! The rules' word lists and limits are data (`templates/preflight.yaml`,
//! [`rules`]). Every finding is located: in the findings file when the words
//! came from it, otherwise in the template file they came from. House style
//! is not enforced on the built-in standard words, which are the
//! inspectorate's published wording and which no findings file can change.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use regex::Regex;

use crate::check::{Located, find_flexible};
use crate::error::{Diagnostic, SourceFile};
use crate::letter::{Block, Inline, Letter, Text};
use crate::load::Loaded;
use crate::model::{DateStyle, Organisation};
use crate::suggest;
use crate::words::Words;

mod personal;
pub mod rules;
mod style;
mod text;

pub use rules::Compiled as Rules;
use style::Shape;
use text::Flat;

/// One letter and what preflight reads beside it.
pub(crate) struct Subject<'a> {
    /// The findings file, checked.
    pub(crate) loaded: &'a Loaded,
    /// Its letter, as composed.
    pub(crate) letter: &'a Letter,
    /// The words of its language, to locate what they wrote.
    pub(crate) words: &'a Words,
    /// The organisation's details in its language.
    pub(crate) organisation: &'a Organisation,
    /// The organisation file, to point at words the letter takes from it.
    pub(crate) organisation_file: &'a Arc<SourceFile>,
}

/// What preflight found in one letter.
#[derive(Debug, Default)]
pub struct Found {
    /// Errors and warnings, in the order of the file.
    pub diagnostics: Vec<Diagnostic>,
    /// The house-style rules the findings file switched off.
    pub off: Vec<String>,
}

/// What a rule found in a text, before it is located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The rule that found it.
    pub rule: &'static str,
    /// What it found.
    pub message: String,
    /// The words it is about, as the letter prints them.
    pub needle: String,
}

impl Hit {
    fn new(rule: &'static str, message: impl Into<String>, needle: impl Into<String>) -> Self {
        Self { rule, message: message.into(), needle: needle.into() }
    }
}

/// What is known of a letter besides its text: its own contacts, which it
/// may print, and the months and date style of its language.
pub struct Known {
    emails: BTreeSet<String>,
    phones: BTreeSet<String>,
    postcodes: BTreeSet<String>,
    /// A date with a month's name: "12 March 2004", "March 12th".
    month_dates: Regex,
    /// An ordinal date: "16th July 2014", "23rd-25th June".
    ordinal_dates: Regex,
    /// Whether the letter prints plain dates.
    plain_dates: bool,
}

impl Known {
    fn new(months: &[String], plain_dates: bool) -> Self {
        let mut names: Vec<String> = months.iter().map(|m| regex::escape(m)).collect();
        for month in months {
            let short: String = month.chars().take(3).collect();
            names.push(regex::escape(&short));
        }
        names.push("Sept".into());
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let month = format!(r"(?:{})\b\.?", names.join("|"));
        let day = r"\b\d{1,2}";
        let nth = r"(?:st|nd|rd|th)";
        let year = r"(?:,?\s+\d{4}\b)?";
        let month_dates =
            format!(r"{day}{nth}?(?:\s+of)?\s+{month}{year}|\b{month}\s+\d{{1,2}}{nth}?\b{year}");
        let ordinal_dates = format!(
            r"{day}{nth}(?:\s*(?:-|–|to)\s*\d{{1,2}}{nth})?(?:\s+of)?\s+{month}{year}|\b{month}\s+\d{{1,2}}{nth}\b{year}"
        );
        let pattern = |p: &str| Regex::new(p).expect("month names are escaped");
        Self {
            emails: BTreeSet::new(),
            phones: BTreeSet::new(),
            postcodes: BTreeSet::new(),
            month_dates: pattern(&month_dates),
            ordinal_dates: pattern(&ordinal_dates),
            plain_dates,
        }
    }

    /// What is known of one letter.
    fn of(subject: &Subject, rules: &Rules) -> Self {
        let f = &subject.loaded.findings;
        let style = f.date_style.or(subject.words.date_styles.first().copied());
        let mut known = Known::new(&subject.words.months, style == Some(DateStyle::Plain));
        let lead = &f.lead_inspector;
        let public = &rules.rules.personal_data.public;
        let org = &subject.organisation.publications;
        let emails = [&lead.email, &org.email].into_iter().chain(public);
        known.emails.extend(emails.map(|e| e.trim().to_lowercase()));
        let phones = lead.phone.iter().chain([&org.phone]).chain(public);
        known.phones.extend(phones.map(|p| personal::phone_digits(p)));
        for line in subject.letter.letterhead.address.iter().chain(public) {
            for m in personal::POSTCODE.find_iter(line) {
                known.postcodes.insert(personal::postcode_key(m.as_str()));
            }
        }
        known
    }

    #[cfg(test)]
    fn for_tests(plain_dates: bool) -> Self {
        let months = ["January", "February", "March", "April", "May", "June", "July"];
        let later = ["August", "September", "October", "November", "December"];
        let months: Vec<String> = months.iter().chain(&later).map(|m| m.to_string()).collect();
        Known::new(&months, plain_dates)
    }
}

/// Checks one letter.
pub(crate) fn find(subject: &Subject, rules: &Rules) -> Found {
    let loaded = subject.loaded;
    let at = Located { file: &loaded.file, index: &loaded.index };
    let mut findings = Found::default();
    let (off, errors) = switched_off(loaded, &at);
    findings.diagnostics.extend(errors);
    findings.off = off.iter().cloned().collect();
    let known = Known::of(subject, rules);
    let locator = Locator::new(subject, at);
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    // The logo's alt text is printed too (read aloud, and shown where the
    // image is not), though it is no run of the letter's text.
    let alt = subject.letter.letterhead.logo.as_ref().map(|logo| Text {
        runs: vec![Inline::Text { text: logo.alt.clone() }],
        key: Some("logo.alt".into()),
    });
    let mut all = passages(subject.letter);
    all.extend(alt.iter().map(|text| (text, Shape::Line)));
    for (text, shape) in all {
        let flat = Flat::of(text);
        let mut hits = personal::find(&flat, rules, &known);
        hits.extend(style::find(&flat, shape, rules, &known));
        for hit in hits {
            let personal = rules::PERSONAL.contains(&hit.rule);
            if !personal && off.contains(hit.rule) {
                continue;
            }
            let (d, origin) =
                locator.locate(diagnostic(&hit, rules), text.key.as_deref(), &hit.needle);
            // The built-in words are the inspectorate's own; no findings
            // file can change them.
            if !personal && origin == Origin::BuiltIn {
                continue;
            }
            // The same words reach the letter more than once (the area in
            // the title and a heading): report them once, where they are.
            let file = d.file.as_ref().map(|f| f.name.clone());
            let range = d.range.as_ref().map(|r| (r.start, r.end));
            let needle = if range.is_some() { String::new() } else { hit.needle.clone() };
            if seen.insert((hit.rule, file, range, needle)) {
                found.push((origin, range, hit.rule, d));
            }
        }
    }
    found.sort_by_key(|(origin, range, rule, _)| (*origin, *range, *rule));
    findings.diagnostics.extend(found.into_iter().map(|(.., d)| d));
    findings
}

/// A hit as a diagnostic: an error for personal data, a warning for house
/// style, with the rule's advice.
fn diagnostic(hit: &Hit, rules: &Rules) -> Diagnostic {
    let hint = rules.hint(hit.rule);
    if rules::PERSONAL.contains(&hit.rule) {
        return Diagnostic::error(&hit.message).code(hit.rule).hint(hint).masked();
    }
    let off = format!(
        "if it must stay, switch the rule off for this letter, with the reason: preflight: {{off: {{{}: \"…\"}}}}",
        hit.rule
    );
    Diagnostic::warning(&hit.message).code(hit.rule).hint(hint).hint(off)
}

/// Every text a reader reads, and what it is.
fn passages(letter: &Letter) -> Vec<(&Text, Shape)> {
    let mut out = Vec::new();
    for row in &letter.header {
        out.extend([(&row.label, Shape::Line), (&row.value, Shape::Line)]);
    }
    out.push((&letter.title, Shape::Line));
    blocks(&letter.body, &mut out);
    out.extend(letter.footnotes.iter().map(|n| (&n.text, Shape::Paragraph)));
    out
}

fn blocks<'a>(blocks_: &'a [Block], out: &mut Vec<(&'a Text, Shape)>) {
    for block in blocks_ {
        match block {
            Block::Section { heading, blocks: inner, .. } => {
                out.push((heading, Shape::Line));
                blocks(inner, out);
            }
            Block::Paragraphs { paragraphs } => {
                out.extend(paragraphs.iter().map(|p| (p, Shape::Paragraph)));
            }
            Block::Area { heading, paragraphs, .. } => {
                out.push((heading, Shape::Line));
                out.extend(paragraphs.iter().map(|p| (&p.text, Shape::Paragraph)));
            }
            Block::List { items } => out.extend(items.iter().map(|i| (i, Shape::Paragraph))),
            Block::CopyList { rows } => {
                for row in rows {
                    out.extend([(&row.label, Shape::Line), (&row.value, Shape::Line)]);
                }
            }
            Block::SmallPrint { text } => out.push((text, Shape::Paragraph)),
        }
    }
}

/// The house-style rules the findings file switches off, and the errors in
/// how it does.
fn switched_off(loaded: &Loaded, at: &Located) -> (BTreeSet<String>, Vec<Diagnostic>) {
    let mut off = BTreeSet::new();
    let mut errors = Vec::new();
    let Some(preflight) = &loaded.findings.preflight else { return (off, errors) };
    for (rule, reason) in &preflight.off {
        let key = format!("preflight.off.{rule}");
        let d = if rules::PERSONAL.contains(&rule.as_str()) {
            Diagnostic::error(format!(
                "the rule {rule} is about personal data and cannot be switched off"
            ))
            .hint("remove the personal data from the letter instead")
        } else if !rules::HOUSE_STYLE.contains(&rule.as_str()) {
            let mut d = suggest::unknown("rule", rule, rules::HOUSE_STYLE);
            d.hints.clear();
            d.hint(format!("the rules that can be switched off: {}", rules::HOUSE_STYLE.join(", ")))
        } else if reason.trim().is_empty() {
            Diagnostic::error(format!("switching {rule} off needs a reason"))
                .hint(format!("say why, e.g. {rule}: \"the sentence quotes the court's order\""))
        } else {
            off.insert(rule.clone());
            continue;
        };
        errors.push(at.at(d, &key));
    }
    (off, errors)
}

/// Where a text came from: the findings file, a template file the user
/// gave, or the built-in templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Findings,
    Template,
    BuiltIn,
}

/// Finds where the words of a hit came from.
struct Locator<'a> {
    at: Located<'a>,
    /// Every text value's key path, in the order of the letter.
    keys: Vec<String>,
    /// The organisation and the words of the letter's language.
    templates: [&'a Arc<SourceFile>; 2],
}

impl<'a> Locator<'a> {
    fn new(subject: &Subject<'a>, at: Located<'a>) -> Self {
        let mut keys = Vec::new();
        subject.loaded.findings.map(&mut |field| keys.push(field.key.to_string()));
        Self { at, keys, templates: [subject.organisation_file, &subject.words.file] }
    }

    /// A diagnostic at the words of `needle`: in the value at `key`, or in
    /// whichever value or template file has them.
    fn locate(&self, d: Diagnostic, key: Option<&str>, needle: &str) -> (Diagnostic, Origin) {
        if let Some(key) = key {
            return (self.at.at_text(d, key, needle), Origin::Findings);
        }
        for key in &self.keys {
            let Some(node) = self.at.index.get(key) else { continue };
            if let Some(range) = find_whole(&self.at.file.text[node.value.clone()], needle) {
                let start = node.value.start;
                let d = self.at.at(d, key);
                return (
                    Diagnostic { range: Some(start + range.start..start + range.end), ..d },
                    Origin::Findings,
                );
            }
        }
        let [organisation, words] = self.templates;
        for file in [organisation, words] {
            if let Some(range) = find_whole(&file.text, needle) {
                return (d.at(file, Some(range)), origin_of(file));
            }
        }
        // Words the tool put together from a phrase and its slots.
        (d.at(words, None), origin_of(words))
    }
}

/// Where `needle` is in `haystack` as whole words, not inside a longer
/// word or number: "3" is not the 3 of "34".
fn find_whole(haystack: &str, needle: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(found) = find_flexible(&haystack[from..], needle) {
        let range = from + found.start..from + found.end;
        let before = haystack[..range.start].chars().next_back();
        let after = haystack[range.end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(range);
        }
        from = range.start + haystack[range.start..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn origin_of(file: &SourceFile) -> Origin {
    if file.name.starts_with("(embedded)") { Origin::BuiltIn } else { Origin::Template }
}
