//! The changes as one self-contained, accessible web page, to attach to a
//! correction request.
//!
//! The change is in the markup, not only in colour: deleted words are in
//! `<del>` and inserted words in `<ins>`, each beginning with words a
//! screen reader reads out ("deleted:", "inserted:") and that are hidden
//! on screen, where they are struck through and underlined. Each change is
//! a section headed by its place. Every word of the letters is escaped by
//! the HTML writer of the letter itself; nothing in them becomes markup.

use super::{Change, Comparison, Op, What};
use crate::format::html::escape;

/// The page's language: its own words are English.
const LANGUAGE: &str = "en-GB";

/// The changes as a web page.
pub fn write(comparison: &Comparison) -> String {
    let (old, new) = (escape(&comparison.old), escape(&comparison.new));
    let mut out = format!(
        "<!doctype html>\n<html lang=\"{LANGUAGE}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Changes to the letter: {old} to {new}</title>\n<style>\n{STYLE}</style>\n</head>\n\
         <body>\n<main>\n<h1>Changes to the letter</h1>\n\
         <dl class=\"files\">\n<dt>Before</dt><dd>{old}</dd>\n<dt>After</dt><dd>{new}</dd>\n</dl>\n"
    );
    if comparison.is_same() {
        out.push_str("<p>The two versions read the same.</p>\n");
    } else {
        out.push_str(&format!("<p>{}.</p>\n", escape(&capitalised(&comparison.summary()))));
        out.push_str(
            "<p class=\"key\">Words taken out are <del><span class=\"visually-hidden\">deleted: \
             </span>struck through</del>; words put in are <ins><span class=\"visually-hidden\">\
             inserted: </span>underlined</ins>.</p>\n",
        );
    }
    let lang = if comparison.language == LANGUAGE {
        String::new()
    } else {
        format!(" lang=\"{}\"", escape(&comparison.language))
    };
    for (n, change) in comparison.changes.iter().enumerate() {
        section(&mut out, n + 1, change, &lang);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn section(out: &mut String, n: usize, change: &Change, lang: &str) {
    out.push_str(&format!(
        "<section aria-labelledby=\"change-{n}\">\n<h2 id=\"change-{n}\">{}</h2>\n",
        escape(&capitalised(&change.heading()))
    ));
    if change.what != What::Renumbered {
        out.push_str(&format!("<p{lang}>"));
        for (i, piece) in change.words.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let text = escape(&piece.text);
            match piece.op {
                Op::Same => out.push_str(&text),
                Op::Deleted => out.push_str(&format!(
                    "<del><span class=\"visually-hidden\">deleted: </span>{text}</del>"
                )),
                Op::Inserted => out.push_str(&format!(
                    "<ins><span class=\"visually-hidden\">inserted: </span>{text}</ins>"
                )),
            }
        }
        out.push_str("</p>\n");
    }
    for note in &change.notes {
        out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(&capitalised(note))));
    }
    out.push_str("</section>\n");
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

const STYLE: &str = "html { color: #0b0c0c; background: #fff; font-family: Arial, \"Liberation Sans\", \
Helvetica, sans-serif; line-height: 1.5; }
body { max-width: 40em; margin: 0 auto; padding: 1.5em 1em 3em; }
p, h1, h2, dd { overflow-wrap: anywhere; }
h1 { font-size: 1.4em; }
h2 { font-size: 1.05em; margin: 1.8em 0 0.5em; }
.files { display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 1em; }
.files dt { font-weight: bold; }
.files dd { margin: 0; }
del { color: #0b0c0c; background: #fde2e1; text-decoration: line-through; text-decoration-thickness: 2px; }
ins { color: #0b0c0c; background: #dff3e4; text-decoration: underline; text-decoration-thickness: 2px; }
.note { font-style: italic; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; \
overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
";
