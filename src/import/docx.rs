//! Reading a letter's Word document into [`Line`]s.
//!
//! A `.docx` says what a PDF only shows: each paragraph is a paragraph,
//! each table row a row, a footnote is a footnote and a link a link. So a
//! Word paragraph (or a table row, its cells the row's cells) becomes one
//! [`Line`] that is a block of its own (`whole`), a list paragraph (Word's
//! numbering, or a bullet style) gets the list mark the PDF prints, and the
//! footnotes (`word/footnotes.xml`) come after the text, each starting
//! with its mark, as the PDF reader gives the notes at the foot of a page.
//!
//! What the findings' markup says is set on the runs themselves: italics
//! (`<w:i/>`) and bold (`<w:b/>`) of a run are emphasis and bold, a
//! `<w:hyperlink>` (or a `HYPERLINK` field, as some programs write it) is a
//! link, a footnote reference is a note's mark. What a style sets (the
//! copy list's names in italics, the headings in bold) is the layout's,
//! and is not read, as the tool writes it again. The draft mark and
//! running header are read from the page headers, where the letter has
//! them; the footers (the page numbers) are furniture and are not read.
//!
//! Word and LibreOffice write the same elements in different shapes (ids
//! renumbered, runs split, properties spelt `w:val="true"`), so nothing
//! here depends on how the XML was written, only on its elements. The zip
//! is read with the caps of `docx/zip.rs` and the XML with no DTD and a
//! node limit (`docx/returned.rs`), so a hostile file is an error after a
//! bounded amount of work.

use std::collections::HashMap;

use roxmltree::Node;

use super::lines::{Cell, Line, Look, Place, styled};
use crate::docx::returned::{W, document, parse};
use crate::docx::zip::Archive;
use crate::error::{Diagnostic, Error};
use crate::letter::{Inline, Text};

/// The relationships namespace of `r:id` and `r:embed`.
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// The namespace of a package's `.rels` parts.
const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
/// The core properties' keywords element's namespace.
const CP: &str = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
/// DrawingML's word-processing namespace (a picture's `docPr`).
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";

/// The page headers read: a letter has two (the first page's, the
/// others'); a document with many sections has more, of which the first
/// few say what the letter's say.
const MAX_HEADERS: usize = 8;

/// A letter has a few hundred paragraphs; past this the document is not one.
const MAX_LINES: usize = 20_000;

/// What a Word document says: its lines, its keywords and the alternative
/// texts of its pictures (a logo's).
pub(crate) struct Read {
    pub(crate) lines: Vec<Line>,
    pub(crate) keywords: Vec<String>,
    pub(crate) figures: Vec<String>,
}

/// Whether the bytes are a zip (a Word document is one) or an OLE file (an
/// encrypted document, or an old `.doc`), which the Word reader refuses
/// by name.
pub(crate) fn is_word(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

fn unreadable(name: &str, why: impl std::fmt::Display) -> Error {
    Diagnostic::error(format!("cannot read {name} as a Word document: {why}"))
        .hint("import reads a letter's .docx as Word or LibreOffice saves it, its PDF, or its text")
        .into()
}

/// A part's text as XML, or the error naming the document.
fn xml<'t>(name: &str, part: &str, text: &'t str) -> Result<roxmltree::Document<'t>, Error> {
    document(part, text).map_err(|e| unreadable(name, e.0))
}

/// Reads a Word document's lines, or says why it cannot.
pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<Read, Error> {
    let archive = Archive::read(bytes).map_err(|e| unreadable(name, e.0))?;
    let part = |part: &str| -> Result<Option<String>, Error> {
        match archive.part(part).map_err(|e| unreadable(name, e.0))? {
            Some(bytes) => Ok(Some(parse(part, &bytes).map_err(|e| unreadable(name, e.0))?)),
            None => Ok(None),
        }
    };
    let Some(body) = part("word/document.xml")? else {
        return Err(unreadable(
            name,
            "it is a zip, but not a Word document (no word/document.xml)",
        ));
    };
    let body = xml(name, "word/document.xml", &body)?;
    let rels_text = part("word/_rels/document.xml.rels")?.unwrap_or_default();
    let rels = match rels_text.is_empty() {
        true => Relationships::default(),
        false => Relationships::read(&xml(name, "word/_rels/document.xml.rels", &rels_text)?),
    };
    let styles_text = part("word/styles.xml")?.unwrap_or_default();
    let styles = match styles_text.is_empty() {
        true => Styles::default(),
        false => Styles::read(&xml(name, "word/styles.xml", &styles_text)?),
    };
    let mut reader = Reader {
        name,
        rels: &rels,
        styles: &styles,
        lines: Vec::new(),
        figures: Vec::new(),
        notes: Vec::new(),
        in_note: None,
    };
    // The page headers first: the draft mark and the running header are
    // the page's furniture, which the recogniser takes out.
    for target in &rels.headers {
        let part_name =
            format!("word/{}", target.trim_start_matches('/').trim_start_matches("word/"));
        if let Some(text) = part(&part_name)? {
            let header = xml(name, &part_name, &text)?;
            reader.block(header.root_element())?;
        }
    }
    let Some(root) = body.root_element().children().find(|n| n.has_tag_name((W, "body"))) else {
        return Err(unreadable(name, "its word/document.xml has no body"));
    };
    reader.block(root)?;
    let footnotes_text = part("word/footnotes.xml")?.unwrap_or_default();
    if !footnotes_text.is_empty() {
        let notes = xml(name, "word/footnotes.xml", &footnotes_text)?;
        reader.footnotes(&notes)?;
    }
    let keywords = match part("docProps/core.xml")? {
        Some(text) => keywords(&xml(name, "docProps/core.xml", &text)?),
        None => Vec::new(),
    };
    Ok(Read { lines: reader.lines, keywords, figures: reader.figures })
}

/// The document's relationships: links' addresses and the headers.
#[derive(Debug, Default)]
struct Relationships {
    links: HashMap<String, String>,
    headers: Vec<String>,
}

impl Relationships {
    fn read(xml: &roxmltree::Document) -> Self {
        let mut out = Self::default();
        for rel in xml.root_element().children().filter(|n| n.has_tag_name((RELS, "Relationship")))
        {
            let (Some(id), Some(kind), Some(target)) =
                (rel.attribute("Id"), rel.attribute("Type"), rel.attribute("Target"))
            else {
                continue;
            };
            if kind.ends_with("/hyperlink") {
                out.links.insert(id.to_string(), target.to_string());
            } else if kind.ends_with("/header")
                && out.headers.len() < MAX_HEADERS
                && !out.headers.contains(&target.to_string())
            {
                out.headers.push(target.to_string());
            }
        }
        out
    }
}

/// What the styles say that the reader needs: which paragraph styles are
/// list items, and which character styles are footnote marks.
#[derive(Debug, Default)]
struct Styles {
    lists: Vec<String>,
    marks: Vec<String>,
}

impl Styles {
    fn read(xml: &roxmltree::Document) -> Self {
        let mut out = Self::default();
        for style in xml.root_element().children().filter(|n| n.has_tag_name((W, "style"))) {
            let Some(id) = style.attribute((W, "styleId")) else { continue };
            let name = child(style, "name").and_then(|n| n.attribute((W, "val"))).unwrap_or("");
            let named = |words: &[&str]| {
                let (id, name) = (id.to_ascii_lowercase(), name.to_ascii_lowercase());
                words.iter().any(|w| id.contains(w) || name.contains(w))
            };
            let numbered = child(style, "pPr").and_then(|p| child(p, "numPr")).is_some();
            if numbered || named(&["bullet"]) {
                out.lists.push(id.to_string());
            }
            let superscript = child(style, "rPr")
                .and_then(|r| child(r, "vertAlign"))
                .and_then(|v| v.attribute((W, "val")))
                == Some("superscript");
            if superscript || named(&["footnote reference", "footnotereference", "footnote anchor"])
            {
                out.marks.push(id.to_string());
            }
        }
        out
    }
}

/// The first child element of `node` named `name` in the Word namespace.
fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name((W, name)))
}

/// Whether a toggle property (`<w:i/>`, `<w:b w:val="false"/>`) is on.
fn on(properties: Option<Node>, name: &str) -> Option<bool> {
    let node = child(properties?, name)?;
    Some(!matches!(node.attribute((W, "val")), Some("false" | "0" | "off")))
}

/// The keywords of `docProps/core.xml`, split at commas.
fn keywords(xml: &roxmltree::Document) -> Vec<String> {
    let Some(node) = xml.descendants().find(|n| n.has_tag_name((CP, "keywords"))) else {
        return Vec::new();
    };
    let text: String =
        node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    text.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect()
}

struct Reader<'a> {
    /// The document's name, for errors.
    name: &'a str,
    rels: &'a Relationships,
    styles: &'a Styles,
    lines: Vec<Line>,
    figures: Vec<String>,
    /// The number of each footnote by its id, in the order first marked.
    notes: Vec<String>,
    /// The footnote being read, and its number.
    in_note: Option<usize>,
}

/// A paragraph's pieces being read: text with how it is set.
#[derive(Default)]
struct Pieces {
    pieces: Vec<(Look, String)>,
    /// A field's link: its address, once the field's code is read and
    /// its result (the text shown) has started.
    field: Option<String>,
    /// The code of the field being read.
    code: String,
}

impl Pieces {
    fn push(&mut self, look: Look, text: &str) {
        match self.pieces.last_mut() {
            Some((last, words)) if *last == look && !look.mark => words.push_str(text),
            _ => self.pieces.push((look, text.to_string())),
        }
    }
}

impl Reader<'_> {
    fn place(&self) -> Place {
        Place { page: 1, line: self.lines.len() + 1 }
    }

    fn push(&mut self, cells: Vec<Cell>) -> Result<(), Error> {
        if self.lines.len() >= MAX_LINES {
            return Err(Diagnostic::error(format!(
                "{} has more than {MAX_LINES} paragraphs, far more than a letter",
                self.name
            ))
            .hint("import reads one letter at a time: check this is the letter's document")
            .into());
        }
        let at = self.place();
        let note = self.in_note.is_some();
        self.lines.push(Line {
            at,
            cells,
            small: note,
            gap_before: true,
            baseline: None,
            note,
            whole: true,
            right: None,
        });
        Ok(())
    }

    /// The paragraphs and tables of a body, a cell, a header or a
    /// footnote, in order.
    fn block(&mut self, node: Node) -> Result<(), Error> {
        for child in node.children().filter(Node::is_element) {
            if child.tag_name().namespace() != Some(W) {
                continue;
            }
            match child.tag_name().name() {
                "p" => {
                    let text = self.paragraph(child);
                    if !text.is_empty() {
                        self.push(vec![Cell { indent: 0, text }])?;
                    }
                }
                "tbl" => self.table(child)?,
                "sdt" | "sdtContent" | "customXml" | "ins" => self.block(child)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Each row of a table as a line of cells: a cell's paragraphs joined
    /// by a space, as a value wrapped over lines reads. A table in a cell
    /// is read as its own rows, after the row it is in.
    fn table(&mut self, table: Node) -> Result<(), Error> {
        for row in table.children().filter(|n| n.has_tag_name((W, "tr"))) {
            let mut cells = Vec::new();
            let mut nested = Vec::new();
            for (i, cell) in row.children().filter(|n| n.has_tag_name((W, "tc"))).enumerate() {
                let mut text = Text::default();
                for inner in cell.children() {
                    if inner.has_tag_name((W, "p")) {
                        super::lines::join(&mut text, self.paragraph(inner));
                    } else if inner.has_tag_name((W, "tbl")) {
                        nested.push(inner);
                    }
                }
                if !text.is_empty() {
                    cells.push(Cell { indent: 1000 * i as i64, text });
                }
            }
            if !cells.is_empty() {
                self.push(cells)?;
            }
            for table in nested {
                self.table(table)?;
            }
        }
        Ok(())
    }

    /// A paragraph's text: its runs, with a list mark when Word numbers it
    /// as a list item.
    fn paragraph(&mut self, p: Node) -> Text {
        let properties = child(p, "pPr");
        let style = properties
            .and_then(|pp| child(pp, "pStyle"))
            .and_then(|s| s.attribute((W, "val")))
            .unwrap_or("");
        let numbered = properties
            .and_then(|pp| child(pp, "numPr"))
            .and_then(|n| child(n, "numId"))
            .and_then(|n| n.attribute((W, "val")))
            .is_some_and(|id| id != "0");
        let mut pieces = Pieces::default();
        self.runs(p, &Look::default(), &mut pieces);
        let mut text = styled(pieces.pieces);
        if !text.is_empty() && (numbered || self.styles.lists.iter().any(|s| s == style)) {
            text.runs.insert(0, Inline::Text { text: "• ".into() });
            text = super::lines::tidy(&text);
        }
        text
    }

    /// The runs inside `node`, set as `look` says (a link's address).
    fn runs(&mut self, node: Node, look: &Look, out: &mut Pieces) {
        for child in node.children().filter(Node::is_element) {
            let namespace = child.tag_name().namespace();
            if namespace == Some(WP) && child.tag_name().name() == "docPr" {
                if let Some(alt) = child.attribute("descr").filter(|a| !a.trim().is_empty()) {
                    self.figures.push(alt.trim().to_string());
                }
                continue;
            }
            if namespace != Some(W) {
                // Drawings, alternate content and the like: only a
                // picture's description is read.
                if child.tag_name().name() != "Fallback" {
                    self.runs(child, look, out);
                }
                continue;
            }
            match child.tag_name().name() {
                "r" => self.run(child, look, out),
                "hyperlink" => {
                    let url =
                        child.attribute((R, "id")).and_then(|id| self.rels.links.get(id)).cloned();
                    let inner = Look { link: url.or_else(|| look.link.clone()), ..look.clone() };
                    self.runs(child, &inner, out);
                }
                "fldSimple" => {
                    let inner = match link_of(child.attribute((W, "instr")).unwrap_or("")) {
                        Some(url) => Look { link: Some(url), ..look.clone() },
                        None => look.clone(),
                    };
                    self.runs(child, &inner, out);
                }
                // What a tracked change deleted, and properties, are not
                // the text.
                "del" | "moveFrom" | "pPr" | "rPr" => {}
                _ => self.runs(child, look, out),
            }
        }
    }

    /// One run's text, set as its properties say.
    fn run(&mut self, r: Node, look: &Look, out: &mut Pieces) {
        let properties = child(r, "rPr");
        let style = properties
            .and_then(|p| child(p, "rStyle"))
            .and_then(|s| s.attribute((W, "val")))
            .unwrap_or("");
        let superscript = properties
            .and_then(|p| child(p, "vertAlign"))
            .and_then(|v| v.attribute((W, "val")))
            .is_some_and(|v| v == "superscript");
        let link = out.field.clone().or_else(|| look.link.clone());
        let run_look = Look {
            italic: on(properties, "i").unwrap_or(false),
            bold: on(properties, "b").unwrap_or(false),
            link,
            mark: false,
        };
        let is_mark = superscript || self.styles.marks.iter().any(|s| s == style);
        for item in r.children().filter(Node::is_element) {
            if item.tag_name().namespace() != Some(W) {
                self.runs(item, look, out);
                continue;
            }
            match item.tag_name().name() {
                "t" => {
                    let text = item.text().unwrap_or("");
                    if is_mark && !text.trim().is_empty() && text.trim().parse::<usize>().is_ok() {
                        out.push(Look { mark: true, ..run_look.clone() }, text.trim());
                    } else {
                        out.push(run_look.clone(), text);
                    }
                }
                "tab" | "br" | "cr" => out.push(run_look.clone(), " "),
                "noBreakHyphen" => out.push(run_look.clone(), "\u{2011}"),
                "footnoteReference" => {
                    let id = item.attribute((W, "id")).unwrap_or("").to_string();
                    let number = match self.notes.iter().position(|n| *n == id) {
                        Some(i) => i + 1,
                        None => {
                            self.notes.push(id);
                            self.notes.len()
                        }
                    };
                    out.push(Look { mark: true, ..run_look.clone() }, &number.to_string());
                }
                "footnoteRef" => {
                    if let Some(number) = self.in_note {
                        out.push(Look { mark: true, ..run_look.clone() }, &number.to_string());
                    }
                }
                "instrText" => out.code.push_str(item.text().unwrap_or("")),
                "fldChar" => match item.attribute((W, "fldCharType")) {
                    Some("begin") => {
                        out.code.clear();
                        out.field = None;
                    }
                    Some("separate") => {
                        out.field = link_of(&out.code);
                        out.code.clear();
                    }
                    Some("end") => {
                        out.field = None;
                        out.code.clear();
                    }
                    _ => {}
                },
                "drawing" | "pict" | "object" => self.runs(item, look, out),
                _ => {}
            }
        }
    }

    /// The footnotes, in the order the text marks them (Word numbers them
    /// so), then any the text never marks.
    fn footnotes(&mut self, xml: &roxmltree::Document) -> Result<(), Error> {
        let notes: Vec<Node> = xml
            .root_element()
            .children()
            .filter(|n| n.has_tag_name((W, "footnote")))
            .filter(|n| n.attribute((W, "type")).is_none_or(|t| t == "normal"))
            .collect();
        let by_id = |id: &str| notes.iter().find(|n| n.attribute((W, "id")) == Some(id)).copied();
        let mut order: Vec<Node> = self.notes.iter().filter_map(|id| by_id(id)).collect();
        for note in &notes {
            let id = note.attribute((W, "id")).unwrap_or("");
            if !self.notes.iter().any(|n| n == id) {
                order.push(*note);
            }
        }
        for (i, note) in order.into_iter().enumerate() {
            self.in_note = Some(i + 1);
            self.block(note)?;
        }
        self.in_note = None;
        Ok(())
    }
}

/// The address of a `HYPERLINK "…"` field's code, if it is one.
fn link_of(code: &str) -> Option<String> {
    let rest = code.trim().strip_prefix("HYPERLINK")?.trim();
    // Switches (\l for a place in the document, \o for a tip) aside.
    if rest.starts_with("\\l") {
        return None;
    }
    let url = match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next().unwrap_or(""),
        None => rest.split_whitespace().next().unwrap_or(""),
    };
    (!url.is_empty()).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hyperlink_fields_address_is_read() {
        assert_eq!(
            link_of(r#" HYPERLINK "https://example.org/a b" \o "tip" "#).as_deref(),
            Some("https://example.org/a b")
        );
        assert_eq!(link_of("HYPERLINK https://x.org").as_deref(), Some("https://x.org"));
        assert_eq!(link_of(r#"HYPERLINK \l "place""#), None);
        assert_eq!(link_of("PAGE"), None);
    }

    /// The lines of a document whose body is `body`.
    fn lines_of(body: &str) -> Vec<Line> {
        let document = format!(
            "<?xml version=\"1.0\"?><w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>{body}</w:body></w:document>"
        );
        let rels = format!(
            "<?xml version=\"1.0\"?><Relationships xmlns=\"{RELS}\"><Relationship Id=\"rId9\" Type=\"http://x/hyperlink\" Target=\"https://example.org/a&amp;b\" TargetMode=\"External\"/></Relationships>"
        );
        let zip = crate::docx::zip::write(&[
            ("word/document.xml", document.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
        ]);
        match read("x.docx", &zip) {
            Ok(read) => read.lines,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn runs_are_read_by_what_they_say_however_they_are_written() {
        // As LibreOffice writes them: a property switched off, a link as a
        // field, a run split in two, a tab between a number and its text.
        let lines = lines_of(concat!(
            r#"<w:p><w:r><w:rPr><w:i w:val="false"/></w:rPr><w:t xml:space="preserve">plain </w:t></w:r>"#,
            r#"<w:r><w:rPr><w:i/></w:rPr><w:t>em</w:t></w:r><w:r><w:rPr><w:i w:val="1"/></w:rPr><w:t>phasis</w:t></w:r>"#,
            r#"<w:r><w:t xml:space="preserve"> and </w:t></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://x.org/" </w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>a link</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
            r#"<w:del><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>"#,
            r#"<w:p><w:hyperlink r:id="rId9"><w:r><w:t>site</w:t></w:r></w:hyperlink></w:p>"#,
            r#"<w:p><w:r><w:t>1.1.</w:t></w:r><w:r><w:tab/><w:t>Text</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>Item</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>To:</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>A, B</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        ));
        let first = &lines[0].cells[0].text.runs;
        assert_eq!(first[0], Inline::Text { text: "plain ".into() });
        assert_eq!(
            first[1],
            Inline::Emphasis { content: vec![Inline::Text { text: "emphasis".into() }] }
        );
        assert!(
            matches!(&first[3], Inline::Link { url, .. } if url == "https://x.org/"),
            "{first:?}"
        );
        assert_eq!(lines[0].plain(), "plain emphasis and a link");
        assert!(
            matches!(&lines[1].cells[0].text.runs[0], Inline::Link { url, .. } if url == "https://example.org/a&b")
        );
        assert_eq!(lines[2].plain(), "1.1. Text");
        assert_eq!(lines[3].plain(), "• Item");
        assert_eq!(lines[4].cells.len(), 2);
        assert!(lines.iter().all(|l| l.whole));
    }

    #[test]
    fn what_is_not_a_word_document_says_so() {
        let error =
            |bytes: &[u8]| read("x.docx", bytes).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error(b"PK\x03\x04 not really").contains("cannot read x.docx as a Word document"));
        let zip = crate::docx::zip::write(&[("a.txt", &b"hello"[..])]);
        assert!(error(&zip).contains("no word/document.xml"), "{}", error(&zip));
    }
}
