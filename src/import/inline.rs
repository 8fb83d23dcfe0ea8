//! Inline runs back into the findings file's inline markup: `*italic*`,
//! `**bold**`, `[words](url)` or `<url>`, and `[^name]` footnote marks.
//!
//! The markup has no escapes, so words that would read as markup cannot
//! always be written as words. Every text written here is read back by the
//! findings file's own reader (`markup.rs`); where it does not read back
//! as the same runs, the caller is told, and says so in an `# import:`
//! comment.

use crate::letter::Inline;
use crate::markup;

/// The markup of some runs, with `name(n)` the footnote name of note `n`,
/// and whether it reads back as the same runs.
pub(crate) fn write(runs: &[Inline], name: &dyn Fn(usize) -> String) -> (String, bool) {
    let mut out = String::new();
    write_into(runs, name, &mut out);
    let back = markup::parse(&out, None).ok();
    let expected = without_notes(runs, name);
    (out, back.is_some_and(|b| same(&b, &expected)))
}

fn write_into(runs: &[Inline], name: &dyn Fn(usize) -> String, out: &mut String) {
    for run in runs {
        match run {
            Inline::Text { text } => out.push_str(text),
            Inline::Emphasis { content } => {
                out.push('*');
                write_into(content, name, out);
                out.push('*');
            }
            Inline::Strong { content } => {
                out.push_str("**");
                write_into(content, name, out);
                out.push_str("**");
            }
            Inline::Link { url, content } => {
                let mut words = String::new();
                write_into(content, name, &mut words);
                let auto = url == &words || url.strip_prefix("mailto:") == Some(words.as_str());
                if auto {
                    out.push('<');
                    out.push_str(&words);
                    out.push('>');
                } else {
                    out.push('[');
                    out.push_str(&words);
                    out.push_str("](");
                    out.push_str(url);
                    out.push(')');
                }
            }
            Inline::Note { number, .. } => {
                out.push_str("[^");
                out.push_str(&name(*number));
                out.push(']');
            }
        }
    }
}

/// The runs the markup reader gives when footnote marks are not read: the
/// marks as their words.
fn without_notes(runs: &[Inline], name: &dyn Fn(usize) -> String) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for run in runs {
        let run = match run {
            Inline::Note { number, .. } => Inline::Text { text: format!("[^{}]", name(*number)) },
            Inline::Emphasis { content } => {
                Inline::Emphasis { content: without_notes(content, name) }
            }
            Inline::Strong { content } => Inline::Strong { content: without_notes(content, name) },
            Inline::Link { url, content } => {
                Inline::Link { url: url.clone(), content: without_notes(content, name) }
            }
            text => text.clone(),
        };
        match (out.last_mut(), &run) {
            (Some(Inline::Text { text: last }), Inline::Text { text }) => last.push_str(text),
            _ => out.push(run),
        }
    }
    out
}

/// Runs compared with adjoining words joined.
fn same(a: &[Inline], b: &[Inline]) -> bool {
    let join = |runs: &[Inline]| {
        let mut text = crate::letter::Text::default();
        for run in runs {
            text.push(run.clone());
        }
        text.runs
    };
    join(a) == join(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Inline {
        Inline::Text { text: text.into() }
    }

    #[test]
    fn runs_are_written_as_markup_that_reads_back() {
        let runs = vec![
            t("See "),
            Inline::Emphasis { content: vec![t("this")] },
            t(" and "),
            Inline::Link { url: "https://x.org/".into(), content: vec![t("that")] },
            t(" at "),
            Inline::Link { url: "mailto:a@b.org".into(), content: vec![t("a@b.org")] },
            Inline::Note { number: 1, body: None },
            t("."),
        ];
        let (text, ok) = write(&runs, &|n| format!("note{n}"));
        assert_eq!(text, "See *this* and [that](https://x.org/) at <a@b.org>[^note1].");
        assert!(ok);
    }

    #[test]
    fn words_that_read_as_markup_are_told() {
        let (_, ok) = write(&[t("a *b* c")], &|n| n.to_string());
        assert!(!ok);
        let (_, ok) = write(&[t("2 * 3 = 6 #x {{ y }}")], &|n| n.to_string());
        assert!(ok);
    }
}
