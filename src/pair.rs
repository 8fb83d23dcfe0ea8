//! `hmip-letter pair`: whether two findings files are the same letter in
//! two languages, and where they differ.
//!
//! A letter about a service in Wales is published in English and in Welsh,
//! as two findings files, and after edits the two can drift apart: a figure
//! corrected in one, a paragraph dropped from the other. Prose, headings
//! and roles are meant to differ, so what is compared is what reads the
//! same in any language: the dates, the number of cases, draft or final;
//! how many paragraphs, areas, items, footnotes and copy-list rows there
//! are; in each pair of paragraphs the figures, email and web addresses
//! and footnote marks (`facts.rs`); the names in the copy list and the lead
//! inspector's name, email and phone. Lists are aligned first
//! (`align.rs`), so a paragraph missing from one version is one difference
//! and the paragraphs after it still pair. Each difference is an error in
//! the second file that also points at the first.
//!
//! Both files are loaded and checked as `render` would, so their facts are
//! those of the letters as printed. Nothing pairs files implicitly: this
//! runs only when asked.

use std::ops::Range;

use crate::Pipeline;
use crate::check::Located;
use crate::error::{Diagnostic, Error, Related};
use crate::letter::Text;
use crate::load::Loaded;
use crate::load::{self, Input};
use crate::model::{Findings, Status};

mod align;
mod facts;
mod lists;

/// What comparing two versions of a letter found.
pub struct Report {
    /// The two files' names, as given.
    pub files: [String; 2],
    /// How messages name the two versions: "English", "Welsh".
    pub labels: [String; 2],
    /// Every difference: an error in the second file, pointing at the first.
    pub differences: Vec<Diagnostic>,
}

impl Report {
    /// Whether the two files carry the same facts.
    pub fn matches(&self) -> bool {
        self.differences.is_empty()
    }

    /// One line saying how the pair went.
    pub fn summary(&self) -> String {
        let [a, b] = &self.files;
        let [la, lb] = &self.labels;
        let names =
            if la == a { format!("{a} and {b}") } else { format!("{a} ({la}) and {b} ({lb})") };
        match self.differences.len() {
            0 => format!(
                "{names} match: the same dates, counts, figures, addresses, footnotes and names"
            ),
            1 => format!("{names} differ in 1 place"),
            n => format!("{names} differ in {n} places"),
        }
    }
}

/// One version of a letter, and what messages call it.
pub struct Version<'a> {
    /// The findings file, checked.
    pub loaded: &'a Loaded,
    /// Its language, as messages name it: "English", "Welsh".
    pub label: &'a str,
}

/// Reads, checks and compares two findings files. A file with errors is
/// reported as `check` would, and nothing is compared.
pub fn files(pipeline: &Pipeline, first: &Input, second: &Input) -> Result<Report, Error> {
    let load = |input: &Input| load::read(input).and_then(|f| pipeline.load(f, input.dir()));
    let (a, b) = match (load(first), load(second)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            let errors = [a.err(), b.err()].into_iter().flatten().flat_map(|e| e.diagnostics());
            return Err(Error::Invalid(errors.collect()));
        }
    };
    let name = |loaded: &Loaded| pipeline.language_name(&loaded.findings.language).unwrap_or("");
    let files = [a.file.name.clone(), b.file.name.clone()];
    if a.findings.language == b.findings.language {
        let language = match name(&a) {
            "" => a.findings.language.clone(),
            named => named.to_string(),
        };
        let at = Located { file: &b.file, index: &b.index };
        let d = Diagnostic::error(format!(
            "{} and {} are both in {language}: pair compares a letter with its translation",
            files[0], files[1]
        ))
        .hint("to see what changed between two versions in one language, use hmip-letter diff");
        return Err(at.at(d, "language").into());
    }
    let labels = match (name(&a), name(&b)) {
        (la, lb) if !la.is_empty() && !lb.is_empty() => [la.into(), lb.into()],
        _ => files.clone(),
    };
    let differences = compare(
        &Version { loaded: &a, label: &labels[0] },
        &Version { loaded: &b, label: &labels[1] },
    );
    Ok(Report { files, labels, differences })
}

/// Every difference between two versions of a letter.
pub fn compare(a: &Version, b: &Version) -> Vec<Diagnostic> {
    let (a, b) = (Side::of(a), Side::of(b));
    let ratio = lists::ratio(a.texts, b.texts);
    let mut pair = Pair { a, b, ratio, out: Vec::new() };
    pair.settings();
    lists::compare(&mut pair);
    // In the order of the second file, as an editor lists them; what has no
    // place there (a part it lacks) last.
    pair.out.sort_by_key(|d| d.range.as_ref().map_or(usize::MAX, |r| r.start));
    pair.out
}

/// One version as the comparison reads it.
struct Side<'a> {
    raw: &'a Findings,
    texts: &'a Findings<Text>,
    at: Located<'a>,
    label: &'a str,
}

impl<'a> Side<'a> {
    fn of(version: &Version<'a>) -> Self {
        let loaded = version.loaded;
        Side {
            raw: &loaded.findings,
            texts: &loaded.texts,
            at: Located { file: &loaded.file, index: &loaded.index },
            label: version.label,
        }
    }

    /// Where to point for a key: at `needle` in its value when given and
    /// written there, else at the value, else at the nearest key above it
    /// that is in the file (a key left out has no place of its own).
    fn place(&self, key: &str, needle: Option<&str>) -> Option<Range<usize>> {
        if let Some(range) = needle.and_then(|n| self.at.text_range(key, n)) {
            return Some(range);
        }
        let mut key = key;
        while !key.is_empty() {
            if let Some(node) = self.at.index.get(key) {
                // A folded paragraph's bytes run on to the next item.
                let value = &self.at.file.text[node.value.clone()];
                return Some(node.value.start..node.value.start + value.trim_end().len());
            }
            key = &key[..key.rfind(['.', '[']).unwrap_or(0)];
        }
        None
    }
}

/// A place in one version: a key, and what to point at in its value.
type Place<'k> = (&'k str, Option<&'k str>);

/// The two versions being compared, and the differences found so far.
struct Pair<'a> {
    a: Side<'a>,
    b: Side<'a>,
    /// How much longer the second version's text runs than the first's.
    ratio: f64,
    out: Vec<Diagnostic>,
}

impl Pair<'_> {
    /// Records a difference, at its place in the second version and
    /// pointing at its place in the first.
    fn differ(&mut self, message: String, b: Place, a: Place) {
        let here = self.b.place(b.0, b.1);
        let there = Related {
            file: self.a.at.file.clone(),
            range: self.a.place(a.0, a.1),
            key: Some(a.0.to_string()),
            label: self.a.label.to_string(),
        };
        let d = Diagnostic::error(message).at(self.b.at.file, here).key(b.0).also(there);
        self.out.push(d);
    }

    /// The dates, the cases, draft or final, and the lead inspector.
    fn settings(&mut self) {
        let (a, b) = (self.a.raw, self.b.raw);
        let fieldwork = |f: &Findings| {
            format!("{} to {}", f.inspection.fieldwork.from, f.inspection.fieldwork.to)
        };
        let status = |f: &Findings| if f.status == Status::Draft { "draft" } else { "final" };
        let (la, lb) = (&a.lead_inspector, &b.lead_inspector);
        let phone = |p: &Option<String>| p.clone().unwrap_or_else(|| "none".into());
        let as_written = |s: &str| s.to_string();
        let published = [a.published.to_string(), b.published.to_string()];
        self.setting("publication date", "published", published, as_written);
        self.setting("fieldwork", "inspection.fieldwork", [fieldwork(a), fieldwork(b)], as_written);
        let cases = [a.inspection.cases.to_string(), b.inspection.cases.to_string()];
        self.setting("cases", "inspection.cases", cases, as_written);
        self.setting("status", "status", [status(a).into(), status(b).into()], as_written);
        let names = [la.name.clone(), lb.name.clone()];
        self.setting("lead inspector", "lead_inspector.name", names, |s| {
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        });
        let emails = [la.email.clone(), lb.email.clone()];
        self.setting("lead inspector's email", "lead_inspector.email", emails, |s| {
            s.trim().to_lowercase()
        });
        let phones = [phone(&la.phone), phone(&lb.phone)];
        self.setting("lead inspector's phone", "lead_inspector.phone", phones, |s| {
            s.split_whitespace().collect()
        });
    }

    /// One setting that must be the same in both versions, once `normal`
    /// has set aside how it is written (spacing, case).
    fn setting(&mut self, what: &str, key: &str, [a, b]: [String; 2], normal: fn(&str) -> String) {
        if normal(&a) != normal(&b) {
            let (la, lb) = (self.a.label, self.b.label);
            self.differ(format!("{what}: {a} in {la}, {b} in {lb}"), (key, None), (key, None));
        }
    }
}
