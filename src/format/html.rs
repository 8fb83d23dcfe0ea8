//! The HTML writer: inline runs and plain values as HTML that is only text.
//!
//! Every character of the letter is escaped, so `<script>`, `&amp;` or
//! `<!--` in a findings file print as written and never become markup.
//! Emphasis, bold and links become `<em>`, `<strong>` and `<a>`; a footnote
//! mark is a numbered link to its note, and the note links back to its
//! first mark (`sqs.html.j2` writes the notes).

use crate::letter::Inline;

/// HTML for inline runs.
pub fn inline(runs: &[Inline]) -> String {
    let mut out = String::new();
    write_runs(runs, &mut out);
    out
}

fn write_runs(runs: &[Inline], out: &mut String) {
    for run in runs {
        match run {
            Inline::Text { text } => escape_into(text, out),
            Inline::Emphasis { content } => wrapped("em", "", content, out),
            Inline::Strong { content } => wrapped("strong", "", content, out),
            Inline::Link { url, content } => {
                wrapped("a", &format!(" href=\"{}\"", escape(url)), content, out);
            }
            Inline::Note { number, body } => {
                // The first mark of a note is where the note links back to.
                let id = if body.is_some() { note_ref_id(*number) } else { String::new() };
                let id = if id.is_empty() { id } else { format!(" id=\"{id}\"") };
                out.push_str(&format!(
                    "<sup><a href=\"#{}\"{id} class=\"note-ref\">{number}</a></sup>",
                    note_id(*number)
                ));
            }
        }
    }
}

fn wrapped(tag: &str, attributes: &str, content: &[Inline], out: &mut String) {
    out.push('<');
    out.push_str(tag);
    out.push_str(attributes);
    out.push('>');
    write_runs(content, out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// The id of note `number` in the notes at the end.
pub fn note_id(number: usize) -> String {
    format!("note-{number}")
}

/// The id of the first mark of note `number`.
pub fn note_ref_id(number: usize) -> String {
    format!("note-ref-{number}")
}

/// Text escaped for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are refused by the checks; never write one.
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::{Footnotes, parse};
    use std::collections::BTreeMap;

    fn html(text: &str) -> String {
        inline(&parse(text, None).unwrap())
    }

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            html("<script>alert('x')</script> &amp; <!-- \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;amp; &lt;!-- &quot;q&quot;"
        );
        assert_eq!(html("{{ x }} #set $y$"), "{{ x }} #set $y$");
    }

    #[test]
    fn emphasis_strong_and_links() {
        assert_eq!(html("a *b* **c**"), "a <em>b</em> <strong>c</strong>");
        assert_eq!(
            html("[the site](https://example.org/a?b=c&d=\"e\")"),
            "<a href=\"https://example.org/a?b=c&amp;d=&quot;e&quot;\">the site</a>"
        );
        assert_eq!(
            html("<a.b@example.org>"),
            "<a href=\"mailto:a.b@example.org\">a.b@example.org</a>"
        );
    }

    #[test]
    fn footnote_marks_link_to_their_notes() {
        let texts = BTreeMap::from([("n".to_string(), "Note.".to_string())]);
        let mut notes = Footnotes::new(&texts);
        let first = inline(&parse("a[^n] b[^n]", Some(&mut notes)).unwrap());
        assert_eq!(
            first,
            "a<sup><a href=\"#note-1\" id=\"note-ref-1\" class=\"note-ref\">1</a></sup> \
             b<sup><a href=\"#note-1\" class=\"note-ref\">1</a></sup>"
        );
    }
}
