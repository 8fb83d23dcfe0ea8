//! The Typst writer: inline runs and plain values as Typst markup that
//! cannot run.
//!
//! Every character of the letter is copied into a Typst *string literal*
//! (`#"…";`), so no user text (and no word of the words files) is ever
//! parsed as Typst markup. Emphasis, bold, links and footnotes become calls
//! of Typst's own functions around such literals.

use std::fmt::Write;

use crate::letter::Inline;

/// Typst markup for inline runs.
pub fn inline(runs: &[Inline]) -> String {
    let mut out = String::new();
    write_runs(runs, &mut out);
    out
}

fn write_runs(runs: &[Inline], out: &mut String) {
    for run in runs {
        match run {
            Inline::Text { text } => out.push_str(&literal_markup(text)),
            Inline::Emphasis { content } => wrapped("#emph[", content, out),
            Inline::Strong { content } => wrapped("#strong[", content, out),
            Inline::Link { url, content } => {
                wrapped(&format!("#link({})[", string_literal(url)), content, out);
            }
            Inline::Note { number, body: Some(body) } => {
                wrapped("#footnote[", body, out);
                let _ = write!(out, "<hmip-note-{number}>");
            }
            Inline::Note { number, body: None } => {
                let _ = write!(out, "#footnote(<hmip-note-{number}>)");
            }
        }
    }
}

fn wrapped(open: &str, content: &[Inline], out: &mut String) {
    out.push_str(open);
    write_runs(content, out);
    out.push(']');
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::{Footnotes, parse};
    use std::collections::BTreeMap;

    fn typst(text: &str) -> String {
        inline(&parse(text, None).unwrap())
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
        assert_eq!(typst("**b**"), "#strong[#\"b\";]");
        assert_eq!(typst("***b***"), "#emph[#strong[#\"b\";]]");
        assert_eq!(
            typst("see [the site](https://example.org/a?b=c)."),
            "#\"see \";#link(\"https://example.org/a?b=c\")[#\"the site\";]#\".\";"
        );
        assert_eq!(
            typst("mail <a.b@example.org>"),
            "#\"mail \";#link(\"mailto:a.b@example.org\")[#\"a.b@example.org\";]"
        );
        assert_eq!(
            typst(r#"that *"There was"*."#),
            "#\"that \";#emph[#\"\\\"There was\\\"\";]#\".\";"
        );
    }

    #[test]
    fn block_syntax_prints_as_one_literal() {
        for text in ["# not a heading", "{{ template }} {% if %}", "#set page(width: 1cm) $x$"] {
            assert_eq!(typst(text), literal_markup(text), "for {text:?}");
        }
    }

    #[test]
    fn a_footnote_is_written_once_and_referred_to_after() {
        let texts = BTreeMap::from([
            ("rate".to_string(), "Published in *January*.".to_string()),
            ("b".to_string(), "B.".to_string()),
        ]);
        let mut notes = Footnotes::new(&texts);
        let first = inline(&parse("x[^b] y[^rate]", Some(&mut notes)).unwrap());
        assert_eq!(
            first,
            "#\"x\";#footnote[#\"B.\";]<hmip-note-1>#\" y\";\
             #footnote[#\"Published in \";#emph[#\"January\";]#\".\";]<hmip-note-2>"
        );
        let again = inline(&parse("z[^rate]", Some(&mut notes)).unwrap());
        assert_eq!(again, "#\"z\";#footnote(<hmip-note-2>)");
    }
}
