//! The findings an import found, and how they are written: as the file a
//! person would write, with the key order and comments of `init`'s starter
//! (`templates/starter.yaml`, read here, not copied), paragraphs folded at
//! 80 columns, and an `# import:` comment at each value the import was not
//! sure of, saying where in the letter it came from.
//!
//! Every value is written so that YAML reads back exactly its text: plain
//! where nothing in it could mean anything to YAML, a folded block where
//! folding cannot change it, a double-quoted string otherwise.

use std::collections::BTreeMap;

use super::lines::Place;

/// One value and what the import knows about it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Val {
    /// The value.
    pub(crate) value: Scalar,
    /// Where in the letter it came from.
    pub(crate) at: Option<Place>,
    /// Why the import is not sure of it, for its `# import:` comment.
    pub(crate) note: Option<String>,
}

/// How a value is written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    /// Text: plain, folded or quoted, whichever reads back the same.
    Text(String),
    /// A word YAML reads as it stands: a date, a number, `he`, `draft`.
    Word(String),
    /// Always in quotes (a phone number, whose leading zero must survive).
    Quoted(String),
    /// Not in the letter: `"TODO: …"`, which `check` refuses.
    Todo(String),
}

impl Val {
    pub(crate) fn text(text: impl Into<String>, at: Place) -> Self {
        Self { value: Scalar::Text(text.into()), at: Some(at), note: None }
    }

    pub(crate) fn word(word: impl Into<String>, at: Option<Place>) -> Self {
        Self { value: Scalar::Word(word.into()), at, note: None }
    }

    pub(crate) fn todo(what: impl Into<String>) -> Self {
        Self { value: Scalar::Todo(what.into()), at: None, note: None }
    }

    pub(crate) fn noted(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub(crate) fn is_todo(&self) -> bool {
        matches!(self.value, Scalar::Todo(_))
    }
}

/// A person: name and role.
#[derive(Debug, Clone)]
pub(crate) struct PersonDraft {
    pub(crate) name: Val,
    pub(crate) role: Val,
}

/// The lead inspector.
#[derive(Debug, Clone)]
pub(crate) struct LeadDraft {
    pub(crate) name: Val,
    pub(crate) pronoun: Option<Val>,
    pub(crate) email: Val,
    pub(crate) phone: Option<Val>,
}

/// A commentary area.
#[derive(Debug, Clone)]
pub(crate) struct AreaDraft {
    pub(crate) heading: Val,
    pub(crate) paragraphs: Vec<Val>,
}

/// A row of the copy list.
#[derive(Debug, Clone)]
pub(crate) struct CopyDraft {
    pub(crate) role: Val,
    pub(crate) names: Vec<Val>,
}

/// Everything an import found, by key of the findings file.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub(crate) source: String,
    pub(crate) language: Val,
    pub(crate) area: Val,
    pub(crate) area_in: Option<Val>,
    pub(crate) published: Val,
    pub(crate) date_style: Val,
    pub(crate) status: Val,
    pub(crate) to: PersonDraft,
    pub(crate) from: PersonDraft,
    pub(crate) fieldwork: (Val, Val),
    pub(crate) cases: Val,
    pub(crate) team: Val,
    pub(crate) abbreviation: Val,
    pub(crate) summary: Vec<Val>,
    pub(crate) commentary: Vec<AreaDraft>,
    pub(crate) operational_management: Option<Vec<Val>>,
    pub(crate) strengths: Vec<Val>,
    pub(crate) improvements: Vec<Val>,
    pub(crate) lead: LeadDraft,
    pub(crate) copy_to: Option<Vec<CopyDraft>>,
    pub(crate) footnotes: Vec<(String, Val)>,
    pub(crate) intro: Option<Vec<Val>>,
    pub(crate) context: Option<Vec<Val>>,
    pub(crate) closing: Option<Vec<Val>>,
    /// What could not be placed, with where it was.
    pub(crate) unplaced: Vec<(Place, String)>,
    /// The alternative text of the letter's logo, if it has one.
    pub(crate) logo_alt: Option<String>,
}

const WIDTH: usize = 80;

/// The comments of the starter, by key path (`inspection.cases`), and the
/// comment it ends with.
struct Starter {
    before: BTreeMap<String, Vec<String>>,
    end: Vec<String>,
}

impl Starter {
    fn read(text: &str) -> Self {
        let mut before = BTreeMap::new();
        let mut pending: Vec<String> = Vec::new();
        let mut path: Vec<(usize, String)> = Vec::new();
        let mut started = false;
        for line in text.lines() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if trimmed.is_empty() {
                if !started {
                    // The starter's own opening comment is not ours.
                    pending.clear();
                }
                continue;
            }
            if trimmed.starts_with('#') {
                // `# area_in: …`: the example of a key the starter leaves out.
                if let Some(key) = commented_key(trimmed) {
                    pending.push(trimmed.to_string());
                    before.insert(key, std::mem::take(&mut pending));
                    continue;
                }
                pending.push(trimmed.to_string());
                continue;
            }
            let Some((key, _)) = trimmed.split_once(':') else { continue };
            if key.starts_with('-') || key.contains(' ') {
                pending.clear();
                continue;
            }
            started = true;
            while path.last().is_some_and(|(i, _)| *i >= indent) {
                path.pop();
            }
            path.push((indent, key.to_string()));
            let full: Vec<&str> = path.iter().map(|(_, k)| k.as_str()).collect();
            before.insert(full.join("."), std::mem::take(&mut pending));
        }
        Self { before, end: pending }
    }

    fn comment(&self, path: &str) -> &[String] {
        self.before.get(path).map_or(&[], Vec::as_slice)
    }
}

fn commented_key(line: &str) -> Option<String> {
    let rest = line.strip_prefix("# ")?;
    let (key, value) = rest.split_once(": ")?;
    (!value.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .then(|| key.to_string())
}

/// Writes the draft as a findings file, comments and all.
pub(crate) fn write(draft: &Draft, starter: &str) -> String {
    let starter = Starter::read(starter);
    let mut w = Writer { out: String::new(), starter: &starter };
    w.line(0, "# yaml-language-server: $schema=findings.schema.json");
    w.line(0, "#");
    w.wrapped_comment(
        0,
        &format!(
            "Imported from {} by `hmip-letter import`. A value the import was not sure of has an `# import:` comment above it, with the page and line of the letter it came from: check each one, delete the comment, then run `hmip-letter check` on this file.",
            draft.source
        ),
    );
    w.blank();
    w.key("letter", 0, &Val::word("sqs", None));
    w.key("language", 0, &draft.language);
    w.blank();
    w.key("area", 0, &draft.area);
    match &draft.area_in {
        Some(area_in) => {
            let comment: Vec<String> = starter
                .comment("area_in")
                .iter()
                .filter(|l| commented_key(l).is_none())
                .cloned()
                .collect();
            w.comments(0, &comment);
            w.value_only("area_in", 0, area_in);
        }
        None => w.comments(0, starter.comment("area_in")),
    }
    w.key("published", 0, &draft.published);
    w.key("date_style", 0, &draft.date_style);
    w.key("status", 0, &draft.status);
    if let Some(alt) = &draft.logo_alt {
        w.wrapped_comment(
            0,
            "import: the letter has a logo in its letterhead; put its file (PNG or SVG) beside this file and write:",
        );
        w.line(0, "# logo:");
        w.line(0, "#   file: TODO.svg");
        w.line(0, &format!("#   alt: {}", quoted(alt)));
    }
    w.blank();
    for (name, person) in [("to", &draft.to), ("from", &draft.from)] {
        w.comments(0, starter.comment(name));
        w.line(0, &format!("{name}:"));
        w.key(&format!("{name}.name"), 2, &person.name);
        w.key(&format!("{name}.role"), 2, &person.role);
    }
    w.blank();
    w.comments(0, starter.comment("inspection"));
    w.line(0, "inspection:");
    w.comments(2, starter.comment("inspection.fieldwork"));
    w.line(2, "fieldwork:");
    w.key("inspection.fieldwork.from", 4, &draft.fieldwork.0);
    w.key("inspection.fieldwork.to", 4, &draft.fieldwork.1);
    w.key("inspection.cases", 2, &draft.cases);
    w.key("inspection.team", 2, &draft.team);
    w.key("inspection.abbreviation", 2, &draft.abbreviation);
    w.blank();
    w.list("summary", 0, &draft.summary);
    w.blank();
    w.comments(0, starter.comment("commentary"));
    w.line(0, "commentary:");
    for area in &draft.commentary {
        w.item_key(2, "heading", &area.heading);
        w.line(4, "paragraphs:");
        for p in &area.paragraphs {
            w.item(6, p);
        }
    }
    w.blank();
    match &draft.operational_management {
        Some(paragraphs) => {
            w.list("operational_management", 0, paragraphs);
        }
        None => {
            w.comments(0, starter.comment("operational_management"));
            w.line(0, "# (the letter has no section on operational management)");
        }
    }
    w.blank();
    w.list("strengths", 0, &draft.strengths);
    w.blank();
    if draft.improvements.is_empty() {
        w.comments(0, starter.comment("improvements"));
        w.line(0, "improvements: []");
    } else {
        w.list("improvements", 0, &draft.improvements);
    }
    w.blank();
    w.comments(0, starter.comment("lead_inspector"));
    w.line(0, "lead_inspector:");
    w.key("lead_inspector.name", 2, &draft.lead.name);
    if let Some(pronoun) = &draft.lead.pronoun {
        w.key("lead_inspector.pronoun", 2, pronoun);
    }
    w.key("lead_inspector.email", 2, &draft.lead.email);
    if let Some(phone) = &draft.lead.phone {
        w.key("lead_inspector.phone", 2, phone);
    }
    w.blank();
    match &draft.copy_to {
        Some(rows) => {
            w.comments(0, starter.comment("copy_to"));
            w.line(0, "copy_to:");
            for row in rows {
                w.item_key(2, "role", &row.role);
                w.names(4, &row.names);
            }
        }
        None => {
            w.comments(0, starter.comment("copy_to"));
            w.line(0, "# (the letter has no copy list)");
        }
    }
    w.blank();
    w.comments(0, starter.comment("footnotes"));
    if draft.footnotes.is_empty() {
        w.line(0, "footnotes: {}");
    } else {
        w.line(0, "footnotes:");
        for (name, text) in &draft.footnotes {
            w.value_only(name, 2, text);
        }
    }
    w.blank();
    w.comments(0, &starter.end);
    for (name, paragraphs) in
        [("intro", &draft.intro), ("context", &draft.context), ("closing", &draft.closing)]
    {
        if let Some(paragraphs) = paragraphs {
            w.plain_list(name, 0, paragraphs);
        }
    }
    if !draft.unplaced.is_empty() {
        w.blank();
        w.line(0, "# import: the letter says this too, and the import could not place it:");
        for (at, text) in &draft.unplaced {
            w.wrapped_comment(0, &format!("import: ({at}) {text}"));
        }
    }
    w.out
}

struct Writer<'a> {
    out: String,
    starter: &'a Starter,
}

impl Writer<'_> {
    fn line(&mut self, indent: usize, text: &str) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        if !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn comments(&mut self, indent: usize, lines: &[String]) {
        for line in lines {
            self.line(indent, line);
        }
    }

    fn wrapped_comment(&mut self, indent: usize, text: &str) {
        // A comment is one line of the file whatever it holds.
        let text: String = text
            .chars()
            .map(|c| if c.is_control() || is_yaml_break(c) { ' ' } else { c })
            .collect();
        for line in fold(&text, WIDTH.saturating_sub(indent + 2)) {
            self.line(indent, &format!("# {line}"));
        }
    }

    fn note(&mut self, indent: usize, val: &Val) {
        if let Some(note) = &val.note {
            let at = val.at.map(|at| format!(" ({at})")).unwrap_or_default();
            self.wrapped_comment(indent, &format!("import: {note}{at}"));
        }
    }

    /// `key: value` with the starter's comment for `path`.
    fn key(&mut self, path: &str, indent: usize, val: &Val) {
        let comment = self.starter.comment(path).to_vec();
        self.comments(indent, &comment);
        let name = path.rsplit('.').next().unwrap_or(path);
        self.value_only(name, indent, val);
    }

    fn value_only(&mut self, name: &str, indent: usize, val: &Val) {
        self.note(indent, val);
        let name = key_name(name);
        let head = format!("{name}:");
        self.scalar(indent, &head, val, indent + 2);
    }

    /// `- key: value`, an item of a list of mappings.
    fn item_key(&mut self, indent: usize, name: &str, val: &Val) {
        self.note(indent, val);
        self.scalar(indent, &format!("- {name}:"), val, indent + 4);
    }

    fn item(&mut self, indent: usize, val: &Val) {
        self.note(indent, val);
        self.scalar(indent, "-", val, indent + 2);
    }

    fn list(&mut self, path: &str, indent: usize, items: &[Val]) {
        let comment = self.starter.comment(path).to_vec();
        self.comments(indent, &comment);
        self.plain_list(path, indent, items);
    }

    fn plain_list(&mut self, name: &str, indent: usize, items: &[Val]) {
        self.line(indent, &format!("{name}:"));
        for item in items {
            self.item(indent + 2, item);
        }
    }

    fn names(&mut self, indent: usize, names: &[Val]) {
        let all: Option<Vec<String>> = names
            .iter()
            .map(|n| match (&n.value, &n.note) {
                (Scalar::Text(t), None) => Some(flow_safe(t).unwrap_or_else(|| quoted(t))),
                _ => None,
            })
            .collect();
        if let Some(all) = all {
            let line = format!("names: [{}]", all.join(", "));
            if indent + line.chars().count() <= WIDTH {
                self.line(indent, &line);
                return;
            }
        }
        self.line(indent, "names:");
        for name in names {
            self.item(indent + 2, name);
        }
    }

    /// `head value` on one line, or `head >-` and the folded text below at
    /// `block_indent`.
    fn scalar(&mut self, indent: usize, head: &str, val: &Val, block_indent: usize) {
        let one_line = |text: String| format!("{head} {text}");
        match &val.value {
            Scalar::Word(word) => self.line(indent, &one_line(word.clone())),
            Scalar::Quoted(text) => self.line(indent, &one_line(quoted(text))),
            Scalar::Todo(what) => self.line(indent, &one_line(quoted(&format!("TODO: {what}")))),
            Scalar::Text(text) => {
                let width = indent + head.chars().count() + 1 + text.chars().count();
                if let Some(plain) = plain_safe(text).filter(|_| width <= WIDTH) {
                    self.line(indent, &one_line(plain));
                } else if foldable(text) {
                    self.line(indent, &format!("{head} >-"));
                    for line in fold(text, WIDTH.saturating_sub(block_indent)) {
                        self.line(block_indent, &line);
                    }
                } else {
                    self.line(indent, &one_line(quoted(text)));
                }
            }
        }
    }
}

/// A mapping key: as it stands when it is a plain name, else quoted.
fn key_name(name: &str) -> String {
    let simple = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !name.starts_with('-');
    if simple { name.to_string() } else { quoted(name) }
}

/// Words split into lines of at most `width` characters at single spaces
/// (a longer word has a line of its own).
fn fold(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width.max(20) {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Whether a folded block reads back exactly `text`: one line of words
/// separated by single spaces, nothing YAML treats as a break, an indent
/// or a character it refuses.
fn foldable(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text.chars().all(|c| c == ' ' || (printable(c) && !c.is_whitespace()) || c == '\u{a0}')
}

/// `text` as a plain scalar, if YAML reads it back as exactly that string.
fn plain_safe(text: &str) -> Option<String> {
    let first = text.chars().next()?;
    let safe_chars = text.chars().all(|c| printable(c) && (c == ' ' || !c.is_whitespace()));
    let risky_start = "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_ascii_digit();
    let keyword = matches!(
        text.to_ascii_lowercase().as_str(),
        "y" | "yes" | "n" | "no" | "true" | "false" | "on" | "off" | "null" | "~"
    );
    let ok = safe_chars
        && !risky_start
        && !keyword
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.ends_with(' ')
        && !text.starts_with(' ')
        && !text.contains("  ")
        && !text.starts_with(".")
        && !text.contains('\t');
    ok.then(|| text.to_string())
}

/// `text` in a flow sequence (`[a, b]`), if it can stand there plain.
fn flow_safe(text: &str) -> Option<String> {
    plain_safe(text).filter(|t| !t.contains([',', '[', ']', '{', '}']))
}

/// A YAML double-quoted string that reads back as `text`.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if !printable(c) || is_yaml_break(c) || c == '\u{feff}' => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The characters YAML allows in a file as they stand.
fn printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

/// The characters YAML reads as a line break.
fn is_yaml_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starters_comments_are_found_by_key() {
        let starter =
            Starter::read(&crate::guide::expand(include_str!("../../templates/starter.yaml")));
        assert_eq!(starter.comment("letter"), ["# Which letter: sqs (Short Quality Screening)."]);
        assert!(starter.comment("inspection.cases")[0].contains("How many cases"));
        assert!(starter.comment("area_in").last().unwrap().starts_with("# area_in:"));
        assert!(starter.end.iter().any(|l| l.contains("intro:")));
    }

    #[test]
    fn values_are_quoted_when_yaml_would_read_them_otherwise() {
        assert_eq!(plain_safe("Duncan Tessier"), Some("Duncan Tessier".into()));
        for risky in ["- a", "a: b", "a #b", "yes", "20 cases", "*x", "\"q\"", "a\u{2028}b", " a"] {
            assert_eq!(plain_safe(risky), None, "{risky:?}");
        }
        assert_eq!(quoted("a\"b\\c\u{1}\u{2028}"), "\"a\\\"b\\\\c\\x01\\u2028\"");
        assert!(foldable("one two # three: - four"));
        assert!(!foldable("two  spaces"));
        assert!(!foldable("a\tb"));
    }

    #[test]
    fn folding_keeps_lines_to_the_width() {
        let text = "word ".repeat(40);
        for line in fold(text.trim(), 70) {
            assert!(line.chars().count() <= 70);
        }
        assert_eq!(fold("x", 70), ["x"]);
    }
}
