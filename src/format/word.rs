//! The Word writer: inline runs as WordprocessingML runs that are only text.
//!
//! Every character of the letter goes into a `<w:t>` element, escaped for
//! XML, so `<w:t>`, `]]>`, `&#0;` or `{{` in a findings file print as
//! written and never become markup. Characters XML 1.0 cannot hold (the
//! checks refuse them before this) become spaces, as do line breaks and
//! tabs: a paragraph is laid out by its style, never by its text.
//! Emphasis and bold are run properties; a link is a `<w:hyperlink>` whose
//! relationship id is a function of its address ([`link_id`]), so the
//! writer needs no state and the package (`docx/package.rs`) writes the
//! same id beside the same address. The first mark of a footnote is a
//! Word footnote reference (Word numbers them in order, as we do); a later
//! mark of the same note is its number, in the footnote reference style.

use crate::letter::Inline;

/// WordprocessingML runs for inline runs.
pub fn inline(runs: &[Inline]) -> String {
    let mut out = String::new();
    write_runs(runs, Look::default(), &mut out);
    out
}

/// How a run looks.
#[derive(Debug, Clone, Copy, Default)]
struct Look {
    italic: bool,
    bold: bool,
    link: bool,
}

impl Look {
    fn properties(self) -> String {
        let mut out = String::new();
        if self.link {
            out.push_str("<w:rStyle w:val=\"Hyperlink\"/>");
        }
        if self.bold {
            out.push_str("<w:b/>");
        }
        if self.italic {
            out.push_str("<w:i/>");
        }
        if out.is_empty() { out } else { format!("<w:rPr>{out}</w:rPr>") }
    }
}

fn write_runs(runs: &[Inline], look: Look, out: &mut String) {
    for run in runs {
        match run {
            Inline::Text { text } => {
                if text.is_empty() {
                    continue;
                }
                out.push_str("<w:r>");
                out.push_str(&look.properties());
                out.push_str("<w:t xml:space=\"preserve\">");
                escape_into(text, out);
                out.push_str("</w:t></w:r>");
            }
            Inline::Emphasis { content } => {
                write_runs(content, Look { italic: true, ..look }, out);
            }
            Inline::Strong { content } => write_runs(content, Look { bold: true, ..look }, out),
            Inline::Link { url, content } => {
                out.push_str(&format!("<w:hyperlink r:id=\"{}\" w:history=\"1\">", link_id(url)));
                write_runs(content, Look { link: true, ..look }, out);
                out.push_str("</w:hyperlink>");
            }
            Inline::Note { number, body } => {
                out.push_str("<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr>");
                match body {
                    Some(_) => out.push_str(&format!("<w:footnoteReference w:id=\"{number}\"/>")),
                    None => out.push_str(&format!("<w:t>{number}</w:t>")),
                }
                out.push_str("</w:r>");
            }
        }
    }
}

/// The relationship id of a link to `url`: `rIdLink` and a hash of the
/// address (FNV-1a, 64 bits), the same in every part and every run.
pub fn link_id(url: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in url.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("rIdLink{hash:016x}")
}

/// The logo's height in a Word document, in EMU (360 000 a centimetre):
/// 1.5 cm, as in the PDF (`style.typ`).
const LOGO_HEIGHT: u64 = 540_000;

/// The size of the logo in a Word document, width and height in EMU:
/// [`LOGO_HEIGHT`] high, and as wide as the image's own proportions say
/// (a PNG's header, an SVG's `viewBox` or `width` and `height`).
pub fn logo_extent(mime: &str, bytes: &[u8]) -> (u64, u64) {
    let (width, height) = match mime {
        "image/png" => png_size(bytes),
        _ => svg_size(bytes),
    }
    .filter(|(w, h)| w.is_finite() && h.is_finite() && *w > 0.0 && *h > 0.0)
    .unwrap_or((1.0, 1.0));
    let ratio = (width / height).clamp(0.05, 20.0);
    ((LOGO_HEIGHT as f64 * ratio).round() as u64, LOGO_HEIGHT)
}

fn png_size(bytes: &[u8]) -> Option<(f64, f64)> {
    let width = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
    let height = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
    Some((f64::from(width), f64::from(height)))
}

fn svg_size(bytes: &[u8]) -> Option<(f64, f64)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    let document = roxmltree::Document::parse_with_options(text, options).ok()?;
    let root = document.root_element();
    if let Some(view_box) = root.attribute("viewBox") {
        let numbers: Vec<f64> = view_box
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        if let [_, _, width, height] = numbers[..] {
            return Some((width, height));
        }
    }
    let number = |name: &str| -> Option<f64> {
        let value = root.attribute(name)?;
        value.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%').trim().parse().ok()
    };
    Some((number("width")?, number("height")?))
}

/// Text escaped for XML content and attribute values.
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
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(' '),
            // Not XML 1.0 characters at all, or ones Word refuses.
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push(' '),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::{Footnotes, parse};
    use std::collections::BTreeMap;

    fn word(text: &str) -> String {
        inline(&parse(text, None).unwrap())
    }

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            word("<w:t>]]> &#0; \"q\" 'a'"),
            "<w:r><w:t xml:space=\"preserve\">&lt;w:t&gt;]]&gt; &amp;#0; &quot;q&quot; &apos;a&apos;</w:t></w:r>"
        );
        assert_eq!(escape("a\u{1}b\u{7f}c\u{FFFF}"), "a b c ");
    }

    #[test]
    fn emphasis_strong_and_links_are_run_properties_and_hyperlinks() {
        assert_eq!(
            word("a *b **c***"),
            "<w:r><w:t xml:space=\"preserve\">a </w:t></w:r>\
             <w:r><w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\">b </w:t></w:r>\
             <w:r><w:rPr><w:b/><w:i/></w:rPr><w:t xml:space=\"preserve\">c</w:t></w:r>"
        );
        let url = "https://example.org/a?b=c&d=\"e\"";
        let linked = word(&format!("[site]({url})"));
        assert!(linked.starts_with(&format!("<w:hyperlink r:id=\"{}\"", link_id(url))), "{linked}");
        assert!(linked.contains("<w:rStyle w:val=\"Hyperlink\"/>"));
        assert_ne!(link_id(url), link_id("https://example.org/"));
    }

    #[test]
    fn a_note_is_referenced_once_and_numbered_after() {
        let texts = BTreeMap::from([("n".to_string(), "Note.".to_string())]);
        let mut notes = Footnotes::new(&texts);
        let out = inline(&parse("a[^n] b[^n]", Some(&mut notes)).unwrap());
        assert!(out.contains("<w:footnoteReference w:id=\"1\"/>"), "{out}");
        assert!(out.ends_with("<w:t>1</w:t></w:r>"), "{out}");
    }
}
