//! The inline markup of text values, read into inline runs.
//!
//! An inspector may write `*italic*`, `**bold**`, `[words](https://…)`,
//! `<https://…>`, `<name@example.org>` and `text[^note]`; everything else must
//! print exactly as written. pulldown-cmark finds the inline constructs; we
//! never use its text. Every character the user wrote is copied from the
//! source into [`Inline::Text`] runs, which each output's writer prints as
//! data (`format/`). Block constructs (a `#` heading, a `1.` list, a `>`
//! quote), code spans, HTML, images and escapes are not understood: their
//! source text is copied as it stands.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::letter::Inline;

/// Emphasis, bold and links may be nested this deep; no letter needs more
/// than three, and every output has a limit of its own.
pub(crate) const MAX_NESTING: usize = 8;

/// Markup nested deeper than [`MAX_NESTING`], at this byte of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TooDeep {
    /// Where, as a byte of the text.
    pub(crate) offset: usize,
}

/// The footnotes of one letter, numbered in the order of first use.
pub(crate) struct Footnotes<'a> {
    texts: &'a BTreeMap<String, String>,
    used: Vec<String>,
    unknown: Vec<String>,
}

impl<'a> Footnotes<'a> {
    /// Footnotes defined by the `footnotes:` key of a findings file.
    pub(crate) fn new(texts: &'a BTreeMap<String, String>) -> Self {
        Self { texts, used: Vec::new(), unknown: Vec::new() }
    }

    /// The footnotes' texts by name.
    pub(crate) fn texts(&self) -> &'a BTreeMap<String, String> {
        self.texts
    }

    /// The names used so far, in order of first use.
    pub(crate) fn used(&self) -> &[String] {
        &self.used
    }

    /// Names used but not defined, in order of use: each is an error.
    pub(crate) fn unknown(&self) -> &[String] {
        &self.unknown
    }

    /// The mark of `name`, or none if `name` is unknown. The first use of
    /// a note carries its text.
    fn mark(&mut self, name: &str) -> Option<Inline> {
        let Some(text) = self.texts.get(name) else {
            self.unknown.push(name.to_string());
            return None;
        };
        if let Some(i) = self.used.iter().position(|n| n == name) {
            return Some(Inline::Note { number: i + 1, body: None });
        }
        self.used.push(name.to_string());
        // A footnote's own text may use emphasis and links but not footnotes.
        // Too deep a note is reported where the note is defined.
        let body = parse(text, None).unwrap_or_else(|_| vec![Inline::Text { text: text.clone() }]);
        Some(Inline::Note { number: self.used.len(), body: Some(body) })
    }
}

/// Reads one text value into runs. With `notes`, `[^name]` becomes a
/// footnote mark; without, or when `name` is not defined, it prints as
/// written (and `notes` records the unknown name).
pub(crate) fn parse(text: &str, mut notes: Option<&mut Footnotes>) -> Result<Vec<Inline>, TooDeep> {
    let mut out = Builder::new(text);
    let options = if notes.is_some() { Options::ENABLE_OLD_FOOTNOTES } else { Options::empty() };
    let mut events = Parser::new_ext(text, options).into_offset_iter();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(tag) => match Open::of(&tag) {
                Some(open) => out.open(open, range)?,
                None if is_inline_container(&tag) => {
                    // An image or a reference link: print its source as
                    // written and skip what pulldown-cmark found inside.
                    out.copy_through(range.end);
                    skip_to_end(&mut events);
                }
                None => {}
            },
            Event::End(end) if Open::closes(&end) => out.close(range),
            Event::End(_) => {}
            Event::FootnoteReference(name) => {
                match notes.as_deref_mut().and_then(|notes| notes.mark(&name)) {
                    Some(mark) => {
                        out.copy_through(range.start);
                        out.push(mark);
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
    Ok(out.finish())
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

/// The inline constructs we understand, while open.
#[derive(Debug, Clone)]
enum Open {
    Emphasis,
    Strong,
    Link(String),
}

impl Open {
    fn of(tag: &Tag) -> Option<Self> {
        match tag {
            Tag::Emphasis => Some(Open::Emphasis),
            Tag::Strong => Some(Open::Strong),
            Tag::Link { link_type, dest_url, .. } => {
                let url = dest_url.as_ref();
                match link_type {
                    LinkType::Inline | LinkType::Autolink if is_web_url(url) => {
                        Some(Open::Link(url.to_string()))
                    }
                    LinkType::Email if !url.contains(':') => {
                        Some(Open::Link(format!("mailto:{url}")))
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

    /// How many source bytes the opening and closing delimiters take
    /// (a link's closing `](url)` is skipped whatever its length).
    fn delimiter(&self) -> usize {
        match self {
            Open::Emphasis | Open::Link(_) => 1,
            Open::Strong => 2,
        }
    }

    fn into_run(self, content: Vec<Inline>) -> Inline {
        match self {
            Open::Emphasis => Inline::Emphasis { content },
            Open::Strong => Inline::Strong { content },
            Open::Link(url) => Inline::Link { url, content },
        }
    }
}

/// Whether a link target is one letters may link to.
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Builds the runs, copying user text from the source.
struct Builder<'s> {
    source: &'s str,
    /// How far the source has been copied or skipped.
    pos: usize,
    /// Source text waiting to become one run.
    pending: String,
    /// The runs of the text so far, and of each open construct.
    levels: Vec<(Option<Open>, Vec<Inline>)>,
}

impl<'s> Builder<'s> {
    fn new(source: &'s str) -> Self {
        Self { source, pos: 0, pending: String::new(), levels: vec![(None, Vec::new())] }
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

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let text = std::mem::take(&mut self.pending);
            self.runs().push(Inline::Text { text });
        }
    }

    fn runs(&mut self) -> &mut Vec<Inline> {
        &mut self.levels.last_mut().expect("the text's own level is never closed").1
    }

    /// Adds a run after any queued text.
    fn push(&mut self, run: Inline) {
        self.flush();
        self.runs().push(run);
    }

    fn open(&mut self, open: Open, range: Range<usize>) -> Result<(), TooDeep> {
        if self.levels.len() > MAX_NESTING {
            return Err(TooDeep { offset: range.start });
        }
        self.copy_through(range.start);
        self.flush();
        self.pos = (range.start + open.delimiter()).min(range.end);
        self.levels.push((Some(open), Vec::new()));
        Ok(())
    }

    fn close(&mut self, range: Range<usize>) {
        if self.levels.len() < 2 {
            return;
        }
        match self.levels.last().and_then(|(open, _)| open.as_ref()) {
            Some(Open::Link(_)) | None => {}
            Some(open) => self.copy_through(range.end.saturating_sub(open.delimiter())),
        }
        self.flush();
        if let Some((Some(open), content)) = self.levels.pop() {
            self.runs().push(open.into_run(content));
        }
        self.pos = self.pos.max(range.end);
    }

    fn finish(mut self) -> Vec<Inline> {
        self.flush();
        while self.levels.len() > 1 {
            self.close(self.pos..self.pos);
        }
        self.levels.pop().map(|(_, runs)| runs).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text { text: t.into() }
    }

    fn runs(source: &str) -> Vec<Inline> {
        parse(source, None).unwrap()
    }

    #[test]
    fn plain_text_is_one_run() {
        assert_eq!(runs("Hello, world."), [text("Hello, world.")]);
        assert_eq!(runs(""), []);
        assert_eq!(runs("a\nb\tc"), [text("a b c")]);
    }

    #[test]
    fn emphasis_strong_and_links() {
        assert_eq!(
            runs("a *b* c"),
            [text("a "), Inline::Emphasis { content: vec![text("b")] }, text(" c")]
        );
        assert_eq!(runs("a _b_ c"), runs("a *b* c"));
        assert_eq!(runs("**b**"), [Inline::Strong { content: vec![text("b")] }]);
        assert_eq!(
            runs("***b***"),
            [Inline::Emphasis { content: vec![Inline::Strong { content: vec![text("b")] }] }]
        );
        assert_eq!(
            runs("see [the site](https://example.org/a?b=c)."),
            [
                text("see "),
                Inline::Link {
                    url: "https://example.org/a?b=c".into(),
                    content: vec![text("the site")]
                },
                text(".")
            ]
        );
        assert_eq!(
            runs("<https://example.org>"),
            [Inline::Link {
                url: "https://example.org".into(),
                content: vec![text("https://example.org")]
            }]
        );
        assert_eq!(
            runs("mail <a.b@example.org>"),
            [
                text("mail "),
                Inline::Link {
                    url: "mailto:a.b@example.org".into(),
                    content: vec![text("a.b@example.org")]
                }
            ]
        );
    }

    #[test]
    fn the_reference_letters_quotes() {
        assert_eq!(
            runs(r#"that *"There was"*."#),
            [text("that "), Inline::Emphasis { content: vec![text("\"There was\"")] }, text(".")]
        );
        assert_eq!(
            runs(r#"that "*There*"."#),
            [text("that \""), Inline::Emphasis { content: vec![text("There")] }, text("\".")]
        );
    }

    #[test]
    fn block_syntax_html_and_code_print_as_written() {
        for source in [
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
            assert_eq!(runs(source), [text(&source.replace('\n', " "))], "for {source:?}");
        }
    }

    #[test]
    fn footnotes_number_in_order_of_first_use() {
        let texts = BTreeMap::from([
            ("rate".to_string(), "Published in *January*.".to_string()),
            ("b".to_string(), "B.".to_string()),
        ]);
        let mut notes = Footnotes::new(&texts);
        let first = parse("x[^b] y[^rate]", Some(&mut notes)).unwrap();
        assert_eq!(
            first,
            [
                text("x"),
                Inline::Note { number: 1, body: Some(vec![text("B.")]) },
                text(" y"),
                Inline::Note {
                    number: 2,
                    body: Some(vec![
                        text("Published in "),
                        Inline::Emphasis { content: vec![text("January")] },
                        text(".")
                    ])
                },
            ]
        );
        let again = parse("z[^rate]", Some(&mut notes)).unwrap();
        assert_eq!(again, [text("z"), Inline::Note { number: 2, body: None }]);
        assert_eq!(notes.used(), ["b", "rate"]);
        assert_eq!(
            parse("[^nope] [^b]", Some(&mut notes)).unwrap(),
            [text("[^nope] "), Inline::Note { number: 1, body: None }]
        );
        assert_eq!(notes.unknown(), ["nope"]);
    }

    #[test]
    fn nesting_has_a_limit_with_a_place() {
        let ok = format!("{}x{}", "*_".repeat(2), "_*".repeat(2));
        assert!(parse(&ok, None).is_ok());
        let deep = format!("ab {}x{}", "*".repeat(5000), "*".repeat(5000));
        let error = parse(&deep, None).unwrap_err();
        assert!(error.offset >= 3 && error.offset < 5003, "{error:?}");
    }
}
