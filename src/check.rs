//! The checks of a findings file that parsed: dates in order, footnotes
//! defined and used, no empty or placeholder text, a known letter and
//! language, markup that is not nested too deep, a phone number that keeps
//! its leading zero; and warnings for what is legal but probably a slip.
//!
//! Serde has already refused what does not fit the model; what is left here
//! is what an inspector can get wrong in a well-formed file. The text checks
//! run inside the one walk of the text values (`fields.rs`) that also reads
//! their markup, so what is checked is exactly what the letter prints. Every
//! problem is reported, not just the first, each at its key path. Warnings
//! never change the letter.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::dates::format_date;
use crate::error::{Diagnostic, SourceFile};
use crate::fields::Field;
use crate::fonts::Fonts;
use crate::letter::Text;
use crate::markup::{self, Footnotes, MAX_NESTING};
use crate::model::Findings;
use crate::suggest::{self, closest};
use crate::templates::placeholder;
use crate::words::{self, Words};
use crate::yaml::KeyIndex;

mod slips;

/// A findings file, parsed, with where its keys are.
pub(crate) struct Located<'a> {
    /// The findings file.
    pub(crate) file: &'a Arc<SourceFile>,
    /// Where each of its keys is.
    pub(crate) index: &'a KeyIndex,
}

impl Located<'_> {
    /// A diagnostic at a key path.
    pub(crate) fn at(&self, diagnostic: Diagnostic, key: &str) -> Diagnostic {
        diagnostic.at(self.file, self.index.range_of(key)).key(key)
    }

    /// A diagnostic at `needle` inside the value at a key path, when the
    /// value is in the file as written (its lines may be folded between the
    /// needle's words); otherwise at the whole value.
    pub(crate) fn at_text(&self, diagnostic: Diagnostic, key: &str, needle: &str) -> Diagnostic {
        let mut d = self.at(diagnostic, key);
        if let Some(range) = self.text_range(key, needle) {
            d.range = Some(range);
        }
        d
    }

    /// Where `needle` is inside the value at a key path, when the value is
    /// in the file as written (its lines may be folded between the needle's
    /// words). A number is found whole: "13" not in "2013".
    pub(crate) fn text_range(&self, key: &str, needle: &str) -> Option<Range<usize>> {
        let node = self.index.get(key).filter(|_| !needle.trim().is_empty())?;
        let value = &self.file.text[node.value.clone()];
        // A needle's digit that runs on into the text's is part of a bigger number.
        let runs_on = |edge: Option<char>, next: Option<char>| {
            edge.is_some_and(|c| c.is_ascii_digit()) && next.is_some_and(|c| c.is_ascii_digit())
        };
        let (first, last) = (needle.chars().next(), needle.chars().next_back());
        let mut from = 0;
        while let Some(found) = find_flexible(&value[from..], needle) {
            let (start, end) = (from + found.start, from + found.end);
            let before = value[..start].chars().next_back();
            let after = value[end..].chars().next();
            if !runs_on(first, before) && !runs_on(last, after) {
                return Some(node.value.start + start..node.value.start + end);
            }
            from = start + first.map_or(1, char::len_utf8);
        }
        None
    }
}

/// Where `needle` is in `haystack`, any run of whitespace in the needle
/// matching any run of whitespace (a folded line, an indent) there.
pub(crate) fn find_flexible(haystack: &str, needle: &str) -> Option<Range<usize>> {
    let words: Vec<&str> = needle.split_whitespace().collect();
    let first = *words.first()?;
    let mut from = 0;
    while let Some(found) = haystack[from..].find(first) {
        let start = from + found;
        let mut end = start + first.len();
        let mut matched = true;
        for word in &words[1..] {
            let rest = &haystack[end..];
            let gap = rest.len() - rest.trim_start().len();
            if gap == 0 || !rest[gap..].starts_with(word) {
                matched = false;
                break;
            }
            end += gap + word.len();
        }
        if matched {
            return Some(start..end);
        }
        from = start + first.len();
    }
    None
}

/// What the checks make of a findings file.
pub(crate) struct Checked {
    /// Every text value read into inline runs, for the composer.
    pub(crate) texts: Findings<Text>,
    /// What stops the letter from being written.
    pub(crate) errors: Vec<Diagnostic>,
    /// What is legal but probably a slip.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// What the checks need to know besides the file: the letters there are
/// templates for, the languages there are words for, and the fonts.
pub(crate) struct Context<'a> {
    /// The letters there are templates for, e.g. `sqs`.
    pub(crate) letters: &'a [&'a str],
    /// The words of each language there is.
    pub(crate) words: &'a BTreeMap<String, Words>,
    /// The fonts letters are set in.
    pub(crate) fonts: &'a Fonts,
}

/// Checks well-formed findings and reads their text.
pub(crate) fn findings(f: &Findings, at: &Located, cx: &Context) -> Checked {
    let mut errors = Vec::new();
    check_letter(f, at, cx.letters, &mut errors);
    check_language(f, at, cx.words, &mut errors);
    check_lists(f, at, &mut errors);
    check_dates(f, at, &mut errors);
    let mut reader = Reader {
        at,
        fonts: cx.fonts,
        cases: f.inspection.cases,
        notes: Footnotes::new(&f.footnotes),
        errors: Vec::new(),
        note_errors: Vec::new(),
        warnings: Vec::new(),
    };
    let texts = f.map(&mut |field| reader.read(field));
    errors.append(&mut reader.errors);
    check_phone(at, &mut errors);
    errors.append(&mut reader.note_errors);
    for name in f.footnotes.keys() {
        if !reader.notes.used().contains(name) {
            let d = Diagnostic::error(format!("footnote \"{name}\" is defined but never used"))
                .hint(format!("put [^{name}] where the note belongs, or remove it"));
            errors.push(at.at(d, &format!("footnotes.{name}")));
        }
    }
    let mut warnings = reader.warnings;
    warnings.extend(slips::copy_list(f, at));
    if let Some(words) = words::of(cx.words, &f.language) {
        warnings.extend(slips::area_in(f, words, at));
    }
    Checked { texts, errors, warnings }
}

/// Checks each text value and reads its markup, numbering footnotes.
struct Reader<'a> {
    at: &'a Located<'a>,
    fonts: &'a Fonts,
    cases: u32,
    notes: Footnotes<'a>,
    errors: Vec<Diagnostic>,
    /// Footnotes used but not defined, reported after the other errors.
    note_errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn read(&mut self, field: Field<'_, String>) -> Text {
        let (key, text) = (field.key, field.value.as_str());
        if text.trim().is_empty() {
            self.errors.push(
                self.at
                    .at(Diagnostic::error("text is empty"), key)
                    .hint("write the text, or leave the key out if it is optional"),
            );
        } else if let Some(d) = placeholder(text) {
            self.errors.push(self.at.at(d, key));
        } else {
            check_glyphs(key, text, self.at, self.fonts, &mut self.errors);
        }
        self.warnings.extend(slips::text(&field, self.cases, self.at));
        let mut out = Text { runs: Vec::new(), key: Some(key.to_string()) };
        if !field.kind.has_markup() {
            out.runs = Text::plain(text).runs;
            return out;
        }
        let known = self.notes.unknown().len();
        let notes = field.kind.has_notes().then_some(&mut self.notes);
        match markup::parse(text, notes) {
            Ok(runs) => out.runs = runs,
            Err(too_deep) => {
                let d = Diagnostic::error(format!(
                    "emphasis, bold and links are nested more than {MAX_NESTING} deep here"
                ))
                .hint("a letter needs at most bold inside a link inside italics; remove the extra marks");
                // Point at the mark that opens one level too many, when the
                // value is in the file as written.
                let before = &text[..too_deep.offset];
                let mark: String = text[too_deep.offset..].chars().take(1).collect();
                let mut d = self.at.at(d, key);
                if let Some(node) = self.at.index.get(key) {
                    let raw = &self.at.file.text[node.value.clone()];
                    if let Some(start) =
                        raw.find(before).map(|i| node.value.start + i + before.len())
                    {
                        d.range = Some(start..start + mark.len());
                    }
                }
                self.errors.push(d);
            }
        }
        let names: Vec<&str> = self.notes.texts().keys().map(String::as_str).collect();
        for name in &self.notes.unknown()[known..] {
            let d = Diagnostic::error(format!("footnote [^{name}] is used but not defined"));
            let d = match closest(name, &names) {
                Some(best) => d.hint(format!("did you mean [^{best}]?")),
                None => d.hint(format!("add `{name}: …` under `footnotes:`")),
            };
            self.note_errors.push(self.at.at(d, key));
        }
        out
    }
}

/// Every character must be one a font can draw: otherwise the letter would
/// print an empty box where a name should be. Checked before typesetting,
/// so the message can say which key the character is in.
fn check_glyphs(key: &str, text: &str, at: &Located, fonts: &Fonts, out: &mut Vec<Diagnostic>) {
    let mut seen = Vec::new();
    for c in text.chars() {
        if c == '\n' || c == '\t' || c == '\r' || seen.contains(&c) {
            continue;
        }
        seen.push(c);
        let code = format!("U+{:04X}", c as u32);
        let (message, hint) = if c.is_control() {
            (
                format!("the control character {code} cannot be printed"),
                "delete it: it is usually left over from copying and pasting".to_string(),
            )
        } else if c.is_whitespace() || is_invisible(c) || fonts.covers(c) {
            continue;
        } else {
            (
                format!("no font can draw the character \"{c}\" ({code})"),
                "replace it, or add a font that has it with --font-path DIR".to_string(),
            )
        };
        // Point at the character itself when it is in the file as written.
        let d = Diagnostic::error(message).hint(hint);
        out.push(at.at_text(d, key, c.encode_utf8(&mut [0; 4])));
    }
}

/// Characters that draw nothing and need no glyph: joiners, marks of
/// direction, the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
}

/// A phone number written as a bare number: other YAML tools read it as an
/// integer and drop the leading zero (or the `+`).
fn check_phone(at: &Located, out: &mut Vec<Diagnostic>) {
    let key = "lead_inspector.phone";
    let Some(node) = at.index.get(key) else { return };
    let Some(value) = node.scalar() else { return };
    let digits = value.strip_prefix('+').unwrap_or(value);
    let numeric = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if node.is_plain() && numeric && (value.starts_with('0') || value.starts_with('+')) {
        let lost = if value.starts_with('+') { "+" } else { "zero" };
        let d = Diagnostic::error(format!("phone number {value} is written without quotes"))
            .hint(format!(
                "write it in quotes, phone: \"{value}\", or YAML tools read it as a number and drop the leading {lost}"
            ));
        out.push(at.at(d, key));
    }
}

fn check_letter(f: &Findings, at: &Located, letters: &[&str], out: &mut Vec<Diagnostic>) {
    if letters.contains(&f.letter.as_str()) {
        return;
    }
    let mut d = suggest::unknown("letter", &f.letter, letters);
    d.hints = vec![format!(
        "the letters there are templates for: {}; add DIR/{}.typ.j2 with --templates DIR",
        letters.join(", "),
        f.letter
    )];
    out.push(at.at(d, "letter"));
}

/// A language tag, with words for its language, and a date style that
/// language writes.
fn check_language(
    f: &Findings,
    at: &Located,
    all: &BTreeMap<String, Words>,
    out: &mut Vec<Diagnostic>,
) {
    let mut parts = f.language.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()));
    let region_ok =
        parts.next().is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()));
    if !(lang_ok && region_ok && parts.next().is_none()) {
        let d = Diagnostic::error(format!("\"{}\" is not a language tag", f.language))
            .hint("write a language and region such as en-GB or cy-GB");
        out.push(at.at(d, "language"));
        return;
    }
    let Some(words) = words::of(all, &f.language) else {
        let (lang, _) = words::split_language(&f.language);
        let available: Vec<String> =
            all.values().map(|w| format!("{} ({})", w.language, w.english_name)).collect();
        let d = Diagnostic::error(format!("there are no words for the language \"{lang}\"")).hint(
            format!(
                "the languages there are: {}; add DIR/words/{lang}.yaml with --templates DIR",
                available.join(", ")
            ),
        );
        out.push(at.at(d, "language"));
        return;
    };
    if let Some(style) = f.date_style
        && !words.date_styles.contains(&style)
    {
        let language = &words.english_name;
        let styles: Vec<&str> = words.date_styles.iter().map(|s| s.name()).collect();
        let example = words
            .date_styles
            .first()
            .map(|s| format_date(f.published.0, *s, &words.months))
            .unwrap_or_default();
        let d = Diagnostic::error(format!("{language} letters do not use {} dates", style.name()))
            .hint(format!(
                "leave date_style out: {language} letters print dates {}, as in \"{example}\"",
                styles.join(" or ")
            ));
        out.push(at.at(d, "date_style"));
    }
}

fn check_lists(f: &Findings, at: &Located, out: &mut Vec<Diagnostic>) {
    let mut need = |empty: bool, key: &str, what: &str| {
        if empty {
            out.push(at.at(Diagnostic::error(format!("{key} needs at least one {what}")), key));
        }
    };
    need(f.summary.is_empty(), "summary", "paragraph");
    need(f.commentary.is_empty(), "commentary", "area");
    need(f.strengths.is_empty(), "strengths", "item");
    for (i, area) in f.commentary.iter().enumerate() {
        need(area.paragraphs.is_empty(), &format!("commentary[{i}].paragraphs"), "paragraph");
    }
    for (i, row) in f.copy_to.as_deref().unwrap_or_default().iter().enumerate() {
        need(row.names.is_empty(), &format!("copy_to[{i}].names"), "name");
    }
    let replaceable = [
        ("intro", &f.intro),
        ("context", &f.context),
        ("closing", &f.closing),
        ("operational_management", &f.operational_management),
    ];
    for (key, list) in replaceable {
        if list.as_ref().is_some_and(Vec::is_empty) {
            let d = Diagnostic::error(format!("{key} is an empty list"))
                .hint(format!("leave `{key}` out to print the usual text"));
            out.push(at.at(d, key));
        }
    }
}

fn check_dates(f: &Findings, at: &Located, out: &mut Vec<Diagnostic>) {
    let fieldwork = &f.inspection.fieldwork;
    if fieldwork.to < fieldwork.from {
        let d = Diagnostic::error(format!(
            "fieldwork ends ({}) before it starts ({})",
            fieldwork.to, fieldwork.from
        ));
        out.push(at.at(d, "inspection.fieldwork.to"));
    }
    if f.published < fieldwork.to {
        let d = Diagnostic::error(format!(
            "the letter is published ({}) before fieldwork ends ({})",
            f.published, fieldwork.to
        ));
        out.push(at.at(d, "published"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_found_whole() {
        let file =
            SourceFile::new("f.yaml", "summary:\n  - In 2013 we saw 13 cases, 130 in all.\n");
        let index = KeyIndex::build(&file.text);
        let at = Located { file: &file, index: &index };
        let range = at.text_range("summary[0]", "13").unwrap();
        assert_eq!(&file.text[range.start - 4..range.end + 1], "saw 13 ");
        assert_eq!(at.text_range("summary[0]", "2013").map(|r| r.start), Some(16));
        assert_eq!(at.text_range("summary[0]", "14"), None);
    }

    #[test]
    fn needles_are_found_across_folded_lines() {
        let raw = ">-\n    born on 12\n    March 2004, and\n";
        let range = find_flexible(raw, "born on 12 March 2004,").unwrap();
        assert_eq!(&raw[range], "born on 12\n    March 2004,");
        assert_eq!(find_flexible(raw, "born in"), None);
        assert_eq!(find_flexible(raw, ""), None);
    }
}
