//! The inline markup of text values, turned into Typst that cannot run.
//!
//! An inspector may write `*italic*`, `**bold**`, `[words](https://…)`,
//! `<https://…>`, `<name@example.org>` and `text[^note]`; everything else must
//! print exactly as written. pulldown-cmark finds the inline constructs; we
//! never use its text. Every character the user wrote is copied from the
//! source into a Typst *string literal* (`#"…";`), so no user text is ever
//! parsed as Typst markup. Block constructs (a `#` heading, a `1.` list, a
//! `>` quote), code spans, HTML, images and escapes are not understood: their
//! source text is copied as it stands.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// A Typst string literal holding `text`: only `\`, `"` and control
/// characters are escaped, so the literal reads back as exactly `text`.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Typst markup that prints `text` literally: `#"text";`. The `;` ends the
/// expression, so a following `(`, `[` or `.` is not read as a call.
///
/// A word too long for a line (a long name, a long path segment) would run
/// off the page, since letters are not hyphenated. Such a word is written
/// one character per box instead: the line may then break between any two
/// characters, and the text a reader copies is unchanged. Doing this here,
/// only for the rare long word, costs nothing for ordinary text (a Typst
/// `show regex` rule doing the same slowed every letter by a fifth).
pub fn literal_markup(text: &str) -> String {
    if !text.split_whitespace().any(is_long_word) {
        return format!("#{};", string_literal(text));
    }
    let mut out = String::new();
    let mut plain = String::new();
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        if !is_long_word(word) {
            plain.push_str(piece);
            continue;
        }
        if !plain.is_empty() {
            out.push_str(&format!("#{};", string_literal(&plain)));
            plain.clear();
        }
        for cluster in clusters(word) {
            out.push_str(&format!("#box({})", string_literal(cluster)));
        }
        plain.push_str(&piece[word.len()..]);
    }
    if !plain.is_empty() {
        out.push_str(&format!("#{};", string_literal(&plain)));
    }
    out
}

/// A word that may not fit on a line. Addresses break at their slashes, so
/// only their segments count.
fn is_long_word(word: &str) -> bool {
    word.split(['/', '@']).any(|part| part.chars().count() >= LONG_WORD)
}

/// Words of this many characters or more may break anywhere: about the
/// width of the narrowest column (the names in the copy list).
const LONG_WORD: usize = 40;

/// The characters of a word, each with the combining marks that follow it.
fn clusters(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        let mut chars = rest.char_indices();
        chars.next()?;
        let end = chars.find(|&(_, c)| !is_combining(c)).map_or(rest.len(), |(i, _)| i);
        let (cluster, tail) = rest.split_at(end);
        rest = tail;
        Some(cluster)
    })
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
}

/// The footnotes of one letter, numbered by Typst in the order of first use.
///
/// The first use of a name writes the note with a label; later uses refer to
/// it, so a note used twice is printed once.
pub struct Footnotes<'a> {
    texts: &'a BTreeMap<String, String>,
    used: Vec<String>,
    unknown: Vec<String>,
}

impl<'a> Footnotes<'a> {
    /// Footnotes defined by the `footnotes:` key of a findings file.
    pub fn new(texts: &'a BTreeMap<String, String>) -> Self {
        Self { texts, used: Vec::new(), unknown: Vec::new() }
    }

    /// The names used so far, in order of first use.
    pub fn used(&self) -> &[String] {
        &self.used
    }

    /// Names used but not defined, in order of use: each is an error.
    pub fn unknown(&self) -> &[String] {
        &self.unknown
    }

    /// Typst for a footnote mark of `name`, or none if `name` is unknown.
    fn mark(&mut self, name: &str) -> Option<String> {
        let Some(text) = self.texts.get(name) else {
            self.unknown.push(name.to_string());
            return None;
        };
        if let Some(i) = self.used.iter().position(|n| n == name) {
            return Some(format!("#footnote(<hmip-note-{}>)", i + 1));
        }
        self.used.push(name.to_string());
        // A footnote's own text may use emphasis and links but not footnotes.
        let body = to_typst(text, None);
        Some(format!("#footnote[{body}]<hmip-note-{}>", self.used.len()))
    }
}

/// Converts one text value to Typst markup. With `notes`, `[^name]` becomes a
/// footnote; without, or when `name` is not defined, it prints as written
/// (and `notes` records the unknown name).
pub fn to_typst(text: &str, mut notes: Option<&mut Footnotes>) -> String {
    let mut out = Writer::new(text);
    let options = if notes.is_some() { Options::ENABLE_OLD_FOOTNOTES } else { Options::empty() };
    let mut events = Parser::new_ext(text, options).into_offset_iter();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(tag) => match Inline::of(&tag) {
                Some(inline) => out.open(inline, range),
                None if is_inline_container(&tag) => {
                    // An image or a reference link: print its source as
                    // written and skip what pulldown-cmark found inside.
                    out.copy_through(range.end);
                    skip_to_end(&mut events);
                }
                None => {}
            },
            Event::End(end) if Inline::closes(&end) => out.close(range),
            Event::End(_) => {}
            Event::FootnoteReference(name) => {
                match notes.as_deref_mut().and_then(|notes| notes.mark(&name)) {
                    Some(mark) => {
                        out.copy_through(range.start);
                        out.raw(&mark);
                        out.pos = range.end;
                    }
                    None => out.copy_through(range.end),
                }
            }
            // Text, code, HTML and breaks: copy the source as written.
            _ => out.copy_through(range.end),
        }
    }
    out.copy_through(text.len());
    out.finish()
}

/// Skips the events of the container just started, up to its end.
fn skip_to_end<'a>(events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>) {
    let mut depth = 1usize;
    for (event, _) in events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            break;
        }
    }
}

fn is_inline_container(tag: &Tag) -> bool {
    matches!(tag, Tag::Image { .. } | Tag::Link { .. })
}

/// The inline constructs we understand.
#[derive(Debug, Clone)]
enum Inline {
    Emphasis,
    Strong,
    Link(String),
}

impl Inline {
    fn of(tag: &Tag) -> Option<Self> {
        match tag {
            Tag::Emphasis => Some(Inline::Emphasis),
            Tag::Strong => Some(Inline::Strong),
            Tag::Link { link_type, dest_url, .. } => {
                let url = dest_url.as_ref();
                match link_type {
                    LinkType::Inline | LinkType::Autolink if is_web_url(url) => {
                        Some(Inline::Link(url.to_string()))
                    }
                    LinkType::Email if !url.contains(':') => {
                        Some(Inline::Link(format!("mailto:{url}")))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn closes(end: &TagEnd) -> bool {
        matches!(end, TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link)
    }

    /// Typst that opens the construct, and how many source bytes its opening
    /// delimiter takes.
    fn opening(&self) -> (String, usize) {
        match self {
            Inline::Emphasis => ("#emph[".into(), 1),
            Inline::Strong => ("#strong[".into(), 2),
            Inline::Link(url) => (format!("#link({})[", string_literal(url)), 1),
        }
    }
}

fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Builds the Typst output, copying user text from the source into literals.
struct Writer<'s> {
    source: &'s str,
    /// How far the source has been copied or skipped.
    pos: usize,
    out: String,
    /// Source text waiting to become one string literal.
    pending: String,
    /// The open constructs. A link's closing `](url)` is skipped, not copied.
    open: Vec<Inline>,
}

impl<'s> Writer<'s> {
    fn new(source: &'s str) -> Self {
        Self { source, pos: 0, out: String::new(), pending: String::new(), open: Vec::new() }
    }

    /// Queues the source from `pos` to `end` as literal text.
    fn copy_through(&mut self, end: usize) {
        if end > self.pos {
            // Line breaks and tabs inside a paragraph are spaces, as in Markdown.
            let slice = &self.source[self.pos..end];
            self.pending.extend(slice.chars().map(|c| match c {
                '\n' | '\r' | '\t' => ' ',
                c => c,
            }));
            self.pos = end;
        }
    }

    /// Writes Typst code, after any queued literal text.
    fn raw(&mut self, code: &str) {
        self.flush();
        self.out.push_str(code);
    }

    fn open(&mut self, inline: Inline, range: Range<usize>) {
        self.copy_through(range.start);
        let (code, delimiter) = inline.opening();
        self.raw(&code);
        self.pos = (range.start + delimiter).min(range.end);
        self.open.push(inline);
    }

    fn close(&mut self, range: Range<usize>) {
        match self.open.pop() {
            Some(Inline::Emphasis) => self.copy_through(range.end.saturating_sub(1)),
            Some(Inline::Strong) => self.copy_through(range.end.saturating_sub(2)),
            Some(Inline::Link(_)) | None => {}
        }
        self.raw("]");
        self.pos = self.pos.max(range.end);
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            self.out.push_str(&literal_markup(&self.pending));
            self.pending.clear();
        }
    }

    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typst(text: &str) -> String {
        to_typst(text, None)
    }

    #[test]
    fn string_literals_escape_only_what_they_must() {
        assert_eq!(string_literal(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(string_literal("#$@<>[]*_`~"), "\"#$@<>[]*_`~\"");
        assert_eq!(string_literal("a\nb\u{7}"), "\"a\\nb\\u{7}\"");
        assert_eq!(string_literal("ŵŷ Ελλάδα Київ"), "\"ŵŷ Ελλάδα Київ\"");
        assert_eq!(literal_markup("x"), "#\"x\";");
    }

    #[test]
    fn long_words_may_break_anywhere() {
        let word = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch";
        let out = literal_markup(&format!("in {word} today"));
        assert!(out.starts_with("#\"in \";#box(\"L\")#box(\"l\")"), "{out}");
        assert!(out.ends_with("#box(\"h\")#\" today\";"), "{out}");
        assert_eq!(out.matches("#box(").count(), word.len());
        // Short words, and addresses with short segments, stay one literal.
        let url = "see https://www.justiceinspectorates.gov.uk/hmiprobation/inspections/";
        assert_eq!(literal_markup(url), format!("#{};", string_literal(url)));
        // A combining accent stays with its letter.
        let accented = format!("{}e\u{301}", "a".repeat(40));
        assert!(literal_markup(&accented).ends_with("#box(\"e\u{301}\")"));
    }

    #[test]
    fn plain_text_is_one_literal() {
        assert_eq!(typst("Hello, world."), "#\"Hello, world.\";");
        assert_eq!(typst(""), "");
    }

    #[test]
    fn emphasis_strong_and_links() {
        assert_eq!(typst("a *b* c"), "#\"a \";#emph[#\"b\";]#\" c\";");
        assert_eq!(typst("a _b_ c"), "#\"a \";#emph[#\"b\";]#\" c\";");
        assert_eq!(typst("**b**"), "#strong[#\"b\";]");
        assert_eq!(typst("***b***"), "#emph[#strong[#\"b\";]]");
        assert_eq!(
            typst("see [the site](https://example.org/a?b=c)."),
            "#\"see \";#link(\"https://example.org/a?b=c\")[#\"the site\";]#\".\";"
        );
        assert_eq!(
            typst("<https://example.org>"),
            "#link(\"https://example.org\")[#\"https://example.org\";]"
        );
        assert_eq!(
            typst("mail <a.b@example.org>"),
            "#\"mail \";#link(\"mailto:a.b@example.org\")[#\"a.b@example.org\";]"
        );
    }

    #[test]
    fn the_reference_letters_quotes() {
        assert_eq!(
            typst(r#"that *"There was"*."#),
            "#\"that \";#emph[#\"\\\"There was\\\"\";]#\".\";"
        );
        assert_eq!(typst(r#"that "*There*"."#), "#\"that \\\"\";#emph[#\"There\";]#\"\\\".\";");
    }

    #[test]
    fn block_syntax_html_and_code_print_as_written() {
        for text in [
            "# not a heading",
            "1. not a list",
            "- not a list",
            "> not a quote",
            "    not code",
            "```\nnot code\n```",
            "<b>not html</b>",
            "`not code`",
            "\\*not escaped\\*",
            "![not an image](x.png)",
            "[not a link][ref]",
            "[not a link](javascript:alert(1))",
            "---",
            "a  \nb",
            "#set page(width: 1cm) $x$ @ref <label> // /* */ = + ~ --- ...",
            "{{ template }} {% if %} {# x #}",
            "&amp; &#35;",
            "[^note] without footnotes",
        ] {
            let expected = literal_markup(&text.replace('\n', " "));
            assert_eq!(typst(text), expected, "for {text:?}");
        }
    }

    #[test]
    fn footnotes_number_in_order_of_first_use() {
        let texts = BTreeMap::from([
            ("rate".to_string(), "Published in *January*.".to_string()),
            ("b".to_string(), "B.".to_string()),
        ]);
        let mut notes = Footnotes::new(&texts);
        let first = to_typst("x[^b] y[^rate]", Some(&mut notes));
        assert_eq!(
            first,
            "#\"x\";#footnote[#\"B.\";]<hmip-note-1>#\" y\";\
             #footnote[#\"Published in \";#emph[#\"January\";]#\".\";]<hmip-note-2>"
        );
        let again = to_typst("z[^rate]", Some(&mut notes));
        assert_eq!(again, "#\"z\";#footnote(<hmip-note-2>)");
        assert_eq!(notes.used(), ["b", "rate"]);
        assert_eq!(
            to_typst("[^nope] [^b]", Some(&mut notes)),
            "#\"[^nope] \";#footnote(<hmip-note-1>)"
        );
        assert_eq!(notes.unknown(), ["nope"]);
    }
}
