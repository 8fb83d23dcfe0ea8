//! Every text value of a findings file, walked in one place.
//!
//! The checks (empty text, placeholders, glyphs, footnotes, nesting, slips)
//! and the composition of the letter must see the same text values, or a new
//! key could reach the letter unchecked. So there is one walk,
//! [`Findings::map`]: it builds a new [`Findings`] whose every text value is
//! what a function made of the old one, given its key path and kind. The
//! checks run inside that function while it reads each value's markup, and
//! the composer takes the result, `Findings<Text>`, which nothing else
//! makes. Adding a text field to the model without adding it here does not
//! compile.

use crate::model::{CommentaryArea, CopyEntry, Findings, Inspection, LeadInspector, Logo, Person};

/// What a text value is, which decides how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextKind {
    /// Names, roles, the area, addresses: printed exactly as written.
    Plain,
    /// A commentary heading: inline markup and footnote marks.
    Heading,
    /// Paragraphs and list items: inline markup and footnote marks.
    Paragraph,
    /// A footnote's own text: inline markup, no footnote marks.
    Note,
}

impl TextKind {
    /// Whether the inline markup (`*italic*`, links…) is read.
    pub(crate) fn has_markup(self) -> bool {
        self != TextKind::Plain
    }

    /// Whether `[^name]` places a footnote.
    pub(crate) fn has_notes(self) -> bool {
        matches!(self, TextKind::Heading | TextKind::Paragraph)
    }

    /// Whether the text should read as finished sentences.
    pub(crate) fn is_sentences(self) -> bool {
        matches!(self, TextKind::Paragraph | TextKind::Note)
    }
}

/// One text value, where it is and what it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<'a, T> {
    /// The key path, e.g. `commentary[1].paragraphs[0]`.
    pub(crate) key: &'a str,
    /// What kind of text it is.
    pub(crate) kind: TextKind,
    /// The value.
    pub(crate) value: &'a T,
}

/// Calls the mapping function with each value's key path.
struct Walk<'f, F> {
    f: &'f mut F,
}

impl<F> Walk<'_, F> {
    fn one<T, U>(&mut self, key: &str, kind: TextKind, value: &T) -> U
    where
        F: FnMut(Field<'_, T>) -> U,
    {
        (self.f)(Field { key, kind, value })
    }

    fn list<T, U>(&mut self, key: &str, kind: TextKind, values: &[T]) -> Vec<U>
    where
        F: FnMut(Field<'_, T>) -> U,
    {
        let mut out = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            out.push(self.one(&format!("{key}[{i}]"), kind, value));
        }
        out
    }

    fn optional<T, U>(
        &mut self,
        key: &str,
        kind: TextKind,
        values: &Option<Vec<T>>,
    ) -> Option<Vec<U>>
    where
        F: FnMut(Field<'_, T>) -> U,
    {
        values.as_deref().map(|values| self.list(key, kind, values))
    }
}

impl<T> Findings<T> {
    /// The same findings with every text value mapped by `f`, called in the
    /// order the letter prints the values (so footnotes can be numbered in
    /// order of first use), the footnotes' own texts last.
    pub(crate) fn map<U>(&self, f: &mut impl FnMut(Field<'_, T>) -> U) -> Findings<U> {
        use TextKind::{Heading, Note, Paragraph, Plain};
        let mut w = Walk { f };
        let person = |w: &mut Walk<'_, _>, key: &str, p: &Person<T>| Person {
            name: w.one(&format!("{key}.name"), Plain, &p.name),
            role: w.one(&format!("{key}.role"), Plain, &p.role),
        };
        let area = w.one("area", Plain, &self.area);
        let area_in = self.area_in.as_ref().map(|a| w.one("area_in", Plain, a));
        let to = person(&mut w, "to", &self.to);
        let from = person(&mut w, "from", &self.from);
        let i = &self.inspection;
        let inspection = Inspection {
            fieldwork: i.fieldwork.clone(),
            cases: i.cases,
            team: w.one("inspection.team", Plain, &i.team),
            abbreviation: i
                .abbreviation
                .as_ref()
                .map(|a| w.one("inspection.abbreviation", Plain, a)),
        };
        let intro = w.optional("intro", Paragraph, &self.intro);
        let context = w.optional("context", Paragraph, &self.context);
        let summary = w.list("summary", Paragraph, &self.summary);
        let mut commentary = Vec::with_capacity(self.commentary.len());
        for (n, part) in self.commentary.iter().enumerate() {
            commentary.push(CommentaryArea {
                heading: w.one(&format!("commentary[{n}].heading"), Heading, &part.heading),
                paragraphs: w.list(
                    &format!("commentary[{n}].paragraphs"),
                    Paragraph,
                    &part.paragraphs,
                ),
            });
        }
        let operational_management =
            w.optional("operational_management", Paragraph, &self.operational_management);
        let strengths = w.list("strengths", Paragraph, &self.strengths);
        let improvements = w.list("improvements", Paragraph, &self.improvements);
        let closing = w.optional("closing", Paragraph, &self.closing);
        let lead = &self.lead_inspector;
        let lead_inspector = LeadInspector {
            name: w.one("lead_inspector.name", Plain, &lead.name),
            pronoun: lead.pronoun,
            email: w.one("lead_inspector.email", Plain, &lead.email),
            phone: lead.phone.as_ref().map(|p| w.one("lead_inspector.phone", Plain, p)),
        };
        let copy_to = self.copy_to.as_deref().map(|rows| {
            let mut out = Vec::with_capacity(rows.len());
            for (n, row) in rows.iter().enumerate() {
                out.push(CopyEntry {
                    role: w.one(&format!("copy_to[{n}].role"), Plain, &row.role),
                    names: w.list(&format!("copy_to[{n}].names"), Plain, &row.names),
                });
            }
            out
        });
        let logo = self
            .logo
            .as_ref()
            .map(|logo| Logo { file: logo.file.clone(), alt: w.one("logo.alt", Plain, &logo.alt) });
        let footnotes = self
            .footnotes
            .iter()
            .map(|(name, text)| (name.clone(), w.one(&format!("footnotes.{name}"), Note, text)))
            .collect();
        Findings {
            letter: self.letter.clone(),
            language: self.language.clone(),
            area,
            area_in,
            published: self.published,
            to,
            from,
            inspection,
            summary,
            commentary,
            operational_management,
            strengths,
            improvements,
            lead_inspector,
            copy_to,
            date_style: self.date_style,
            footnotes,
            intro,
            context,
            closing,
            status: self.status,
            logo,
            preflight: self.preflight.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{KeyIndex, Node, NodeKind};

    /// The values of a file that are not text: dates, numbers, choices.
    const NOT_TEXT: &[&str] = &[
        "letter",
        "language",
        "published",
        "date_style",
        "status",
        "inspection.fieldwork.from",
        "inspection.fieldwork.to",
        "inspection.cases",
        "lead_inspector.pronoun",
        "logo.file",
    ];

    fn scalars(index: &KeyIndex, node: &Node, out: &mut Vec<String>) {
        if let NodeKind::Scalar(..) = node.kind {
            // The reasons under `preflight:` are notes to the tool, not text.
            if !NOT_TEXT.contains(&node.path.as_str()) && !node.path.starts_with("preflight.") {
                out.push(node.path.clone());
            }
        }
        for child in index.children(node) {
            scalars(index, child, out);
        }
    }

    #[test]
    fn the_walk_visits_every_text_of_every_fixture() {
        for name in [
            "barnet-2014",
            "bath-2016",
            "gwynedd-2015",
            "torbay-2015",
            "wrexham-2016",
            "caerdydd-2016-cy",
            "pairs/caerdydd-2016-en",
        ] {
            let path = format!("{}/fixtures/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
            let file = crate::error::SourceFile::new(name, std::fs::read_to_string(path).unwrap());
            let (findings, index) = crate::load::parse(&file).unwrap();
            let mut visited = Vec::new();
            findings.map(&mut |field: Field<'_, String>| visited.push(field.key.to_string()));
            let mut expected = Vec::new();
            scalars(&index, index.root().unwrap(), &mut expected);
            visited.sort();
            expected.sort();
            assert_eq!(visited, expected, "{name}");
        }
    }

    #[test]
    fn texts_are_visited_in_print_order_with_their_kind() {
        let file = crate::error::SourceFile::new("t", include_str!("../fixtures/torbay-2015.yaml"));
        let (findings, _) = crate::load::parse(&file).unwrap();
        let mut keys = Vec::new();
        let mapped = findings.map(&mut |field: Field<'_, String>| {
            keys.push((field.key.to_string(), field.kind));
            field.value.len()
        });
        assert_eq!(mapped.area, "Torbay".len());
        let position = |key: &str| keys.iter().position(|(k, _)| k == key).unwrap();
        assert!(position("intro[0]") < position("context[0]"));
        assert!(position("context[0]") < position("summary[0]"));
        assert!(position("commentary[0].heading") < position("commentary[0].paragraphs[0]"));
        assert!(position("strengths[0]") < position("closing[0]"));
        assert_eq!(keys[position("commentary[0].heading")].1, TextKind::Heading);
        assert_eq!(keys[position("to.role")].1, TextKind::Plain);
    }
}
