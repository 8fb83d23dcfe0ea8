//! Checks that need more than one value or more than a type: dates in
//! order, footnotes defined and used, no empty or placeholder text, a known
//! letter, a phone number that keeps its leading zero; and warnings for what
//! is legal but probably a slip.
//!
//! Serde has already refused what does not fit the model; what is left here
//! is what an inspector can get wrong in a well-formed file. Every problem is
//! reported, not just the first, each at its key path. Warnings never change
//! the letter.

use std::sync::Arc;

use crate::error::{Diagnostic, SourceFile};
use crate::fonts::Fonts;
use crate::markup::{self, Footnotes};
use crate::model::Findings;
use crate::yaml::{KeyIndex, closest};

mod slips;

pub use slips::warnings;

/// Whether a text value understands the inline markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Paragraphs, headings, list items and footnotes.
    Prose,
    /// Names, roles, the area, addresses: printed exactly as written.
    Plain,
}

/// One text value of a findings file and its key path.
#[derive(Debug, Clone)]
pub struct TextField<'a> {
    pub key: String,
    pub text: &'a str,
    pub kind: TextKind,
}

/// Every text value of the findings, in the order the letter prints them.
pub fn texts(f: &Findings) -> Vec<TextField<'_>> {
    let mut out = Vec::new();
    push(&mut out, "area", &f.area, TextKind::Plain);
    push(&mut out, "to.name", &f.to.name, TextKind::Plain);
    push(&mut out, "to.role", &f.to.role, TextKind::Plain);
    push(&mut out, "from.name", &f.from.name, TextKind::Plain);
    push(&mut out, "from.role", &f.from.role, TextKind::Plain);
    push(&mut out, "inspection.team", &f.inspection.team, TextKind::Plain);
    push_list(&mut out, "intro", f.intro.as_deref().unwrap_or_default(), TextKind::Prose);
    push_list(&mut out, "context", f.context.as_deref().unwrap_or_default(), TextKind::Prose);
    push_list(&mut out, "summary", &f.summary, TextKind::Prose);
    for (i, area) in f.commentary.iter().enumerate() {
        push(&mut out, &format!("commentary[{i}].heading"), &area.heading, TextKind::Prose);
        let key = format!("commentary[{i}].paragraphs");
        push_list(&mut out, &key, &area.paragraphs, TextKind::Prose);
    }
    let operational = f.operational_management.as_deref().unwrap_or_default();
    push_list(&mut out, "operational_management", operational, TextKind::Prose);
    push_list(&mut out, "strengths", &f.strengths, TextKind::Prose);
    push_list(&mut out, "improvements", &f.improvements, TextKind::Prose);
    push_list(&mut out, "closing", f.closing.as_deref().unwrap_or_default(), TextKind::Prose);
    let lead = &f.lead_inspector;
    push(&mut out, "lead_inspector.name", &lead.name, TextKind::Plain);
    push(&mut out, "lead_inspector.email", &lead.email, TextKind::Plain);
    if let Some(phone) = &lead.phone {
        push(&mut out, "lead_inspector.phone", phone, TextKind::Plain);
    }
    for (i, row) in f.copy_to.as_deref().unwrap_or_default().iter().enumerate() {
        push(&mut out, &format!("copy_to[{i}].role"), &row.role, TextKind::Plain);
        push_list(&mut out, &format!("copy_to[{i}].names"), &row.names, TextKind::Plain);
    }
    for (name, text) in &f.footnotes {
        push(&mut out, &format!("footnotes.{name}"), text, TextKind::Prose);
    }
    if let Some(logo) = &f.logo {
        push(&mut out, "logo.alt", &logo.alt, TextKind::Plain);
    }
    out
}

fn push<'a>(out: &mut Vec<TextField<'a>>, key: &str, text: &'a str, kind: TextKind) {
    out.push(TextField { key: key.to_string(), text, kind });
}

fn push_list<'a>(out: &mut Vec<TextField<'a>>, key: &str, texts: &'a [String], kind: TextKind) {
    for (i, text) in texts.iter().enumerate() {
        push(out, &format!("{key}[{i}]"), text, kind);
    }
}

/// A findings file, parsed, with where its keys are.
pub struct Located<'a> {
    pub file: &'a Arc<SourceFile>,
    pub index: &'a KeyIndex,
}

impl Located<'_> {
    /// A diagnostic at a key path.
    pub fn at(&self, diagnostic: Diagnostic, key: &str) -> Diagnostic {
        diagnostic.at(self.file, self.index.range_of(key)).key(key)
    }
}

/// Every error found in well-formed findings. `letters` are the letter
/// templates there are.
pub fn errors(f: &Findings, at: &Located, letters: &[&str], fonts: &Fonts) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_letter(f, at, letters, &mut out);
    check_language(f, at, &mut out);
    check_lists(f, at, &mut out);
    check_dates(f, at, &mut out);
    for field in texts(f) {
        if field.text.trim().is_empty() {
            out.push(
                at.at(Diagnostic::error("text is empty"), &field.key)
                    .hint("write the text, or leave the key out if it is optional"),
            );
        } else if let Some(d) = placeholder(field.text) {
            out.push(at.at(d, &field.key));
        } else {
            check_glyphs(&field, at, fonts, &mut out);
        }
    }
    check_phone(at, &mut out);
    check_footnotes(f, at, &mut out);
    out
}

/// Every character must be one a font can draw: otherwise the letter would
/// print an empty box where a name should be. Checked before typesetting,
/// so the message can say which key the character is in.
fn check_glyphs(field: &TextField, at: &Located, fonts: &Fonts, out: &mut Vec<Diagnostic>) {
    let mut seen = Vec::new();
    for c in field.text.chars() {
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
        let mut d = at.at(Diagnostic::error(message).hint(hint), &field.key);
        // Point at the character itself when it is in the file as written.
        if let Some(node) = at.index.get(&field.key) {
            let value = &at.file.text[node.value.clone()];
            if let Some(offset) = value.find(c) {
                let start = node.value.start + offset;
                d.range = Some(start..start + c.len_utf8());
            }
        }
        out.push(d);
    }
}

/// Characters that draw nothing and need no glyph: joiners, marks of
/// direction, the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
}

/// The error for text left as a placeholder by `hmip-letter init`.
pub fn placeholder(text: &str) -> Option<Diagnostic> {
    let trimmed = text.trim_start();
    trimmed.starts_with("TODO").then(|| {
        let what = trimmed.trim_start_matches("TODO").trim_start_matches([':', ' ']);
        let message = if what.is_empty() {
            "placeholder text \"TODO\" has not been replaced".to_string()
        } else {
            format!("placeholder text has not been replaced: {what}")
        };
        Diagnostic::error(message).hint("replace the whole value, TODO included")
    })
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
    let message = match closest(&f.letter, letters) {
        Some(best) => format!("unknown letter \"{}\"; did you mean \"{best}\"?", f.letter),
        None => format!("unknown letter \"{}\"", f.letter),
    };
    let hint = format!(
        "the letters there are templates for: {}; add DIR/{}.typ.j2 with --templates DIR",
        letters.join(", "),
        f.letter
    );
    out.push(at.at(Diagnostic::error(message), "letter").hint(hint));
}

fn check_language(f: &Findings, at: &Located, out: &mut Vec<Diagnostic>) {
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

fn check_footnotes(f: &Findings, at: &Located, out: &mut Vec<Diagnostic>) {
    let mut notes = Footnotes::new(&f.footnotes);
    let names: Vec<&str> = f.footnotes.keys().map(String::as_str).collect();
    for field in texts(f) {
        if field.kind != TextKind::Prose || field.key.starts_with("footnotes.") {
            continue;
        }
        let known = notes.unknown().len();
        markup::to_typst(field.text, Some(&mut notes));
        for name in &notes.unknown()[known..] {
            let d = Diagnostic::error(format!("footnote [^{name}] is used but not defined"));
            let d = match closest(name, &names) {
                Some(best) => d.hint(format!("did you mean [^{best}]?")),
                None => d.hint(format!("add `{name}: …` under `footnotes:`")),
            };
            out.push(at.at(d, &field.key));
        }
    }
    for name in f.footnotes.keys() {
        if !notes.used().contains(name) {
            let d = Diagnostic::error(format!("footnote \"{name}\" is defined but never used"))
                .hint(format!("put [^{name}] where the note belongs, or remove it"));
            out.push(at.at(d, &format!("footnotes.{name}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_name_what_is_missing() {
        let d = placeholder("TODO: the area inspected").unwrap();
        assert_eq!(d.message, "placeholder text has not been replaced: the area inspected");
        assert!(placeholder("Work to do").is_none());
    }
}
