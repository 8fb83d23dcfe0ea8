//! Reading a letter's PDF in process: its text with positions and fonts,
//! into [`Line`]s.
//!
//! `pdftotext` gives lines, not a letter: it loses italics, bold, links and
//! footnote marks. Here each glyph is placed by the PDF's own text and
//! graphics state (lopdf parses the file and decodes the fonts' ToUnicode
//! maps; the operators are interpreted here), so the reader sees what a
//! reader of the page sees: italics and bold by the font's name, links by
//! the page's link annotations, footnote marks as smaller glyphs on a
//! raised baseline, columns by the gaps between them, paragraphs by the
//! space between lines. A rotated word across the page is the draft mark.
//!
//! A file that is not a readable PDF, is encrypted, has no text (a scan)
//! or is far longer than a letter is refused with a message saying so,
//! before any work that grows with it.

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object};

use super::lines::{Cell, Line, Look, Place, styled};
use crate::error::{Diagnostic, Error};
use crate::letter::Text;

/// A letter is a few pages; the longest published SQS letter has six.
pub const MAX_PAGES: usize = 40;

/// No page of a letter holds more glyphs than this (a full page is about
/// 4,000).
const MAX_GLYPHS_PER_PAGE: usize = 50_000;

/// What a PDF says: its lines, its keywords, and the alternative texts of
/// its pictures (a logo's, in a tagged PDF).
pub(crate) struct Read {
    pub(crate) lines: Vec<Line>,
    pub(crate) keywords: Vec<String>,
    pub(crate) figures: Vec<String>,
}

/// Reads a PDF's lines, or says why it cannot.
pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<Read, Error> {
    // lopdf is not written for hostile files; a panic inside it is an
    // unreadable file, not a crash.
    let result = std::panic::catch_unwind(|| read_inner(name, bytes));
    match result {
        Ok(result) => result,
        Err(_) => Err(unreadable(name, "the PDF reader could not make sense of it")),
    }
}

fn unreadable(name: &str, why: impl std::fmt::Display) -> Error {
    Diagnostic::error(format!("{name} is not a PDF that can be read: {why}"))
        .hint("import reads a letter's PDF, or its text as `pdftotext` writes it")
        .into()
}

fn read_inner(name: &str, bytes: &[u8]) -> Result<Read, Error> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(unreadable(name, "it does not start as a PDF does (%PDF-)"));
    }
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(lopdf::Error::Decryption(_)) | Err(lopdf::Error::InvalidPassword) => {
            return Err(encrypted(name));
        }
        Err(e) => return Err(unreadable(name, e)),
    };
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        return Err(encrypted(name));
    }
    let pages = doc.get_pages();
    if pages.len() > MAX_PAGES {
        return Err(Diagnostic::error(format!(
            "{name} has {} pages; a letter has at most {MAX_PAGES}",
            pages.len()
        ))
        .hint("import reads one letter at a time: check this is the letter's PDF")
        .into());
    }
    let mut glyphs_by_page = Vec::new();
    let mut fonts = BTreeMap::new();
    for (number, id) in &pages {
        let glyphs = page_glyphs(&doc, *id, &mut fonts)
            .map_err(|e| unreadable(name, format!("page {number}: {e}")))?;
        glyphs_by_page.push((*number as usize, glyphs, links(&doc, *id)));
    }
    if glyphs_by_page.iter().all(|(_, g, _)| g.is_empty()) {
        return Err(Diagnostic::error(format!("{name} has no text to read"))
            .hint("a scanned letter is pictures of its pages: it needs text recognition (OCR) before it can be imported")
            .into());
    }
    let body = body_size(glyphs_by_page.iter().flat_map(|(_, g, _)| g));
    let mut lines = Vec::new();
    for (number, glyphs, links) in glyphs_by_page {
        lines.extend(page_lines(number, glyphs, &links, body));
    }
    Ok(Read { lines, keywords: keywords(&doc), figures: figures(&doc) })
}

fn encrypted(name: &str) -> Error {
    Diagnostic::error(format!("{name} is encrypted"))
        .hint("import reads PDFs that open without a password: save an unprotected copy first")
        .into()
}

/// The PDF's keywords (the Info dictionary's), split at commas.
fn keywords(doc: &Document) -> Vec<String> {
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    let Some(text) =
        info.and_then(|i| i.get(b"Keywords").ok()).and_then(|k| lopdf::decode_text_string(k).ok())
    else {
        return Vec::new();
    };
    text.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect()
}

/// The alternative texts of the figures in the structure tree of a tagged
/// PDF, in order; at most a few thousand elements are looked at.
fn figures(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    let Some(root) = doc.catalog().ok().and_then(|c| c.get(b"StructTreeRoot").ok()) else {
        return out;
    };
    let mut stack: Vec<&Object> = vec![root];
    let mut seen = 0;
    while let Some(object) = stack.pop() {
        seen += 1;
        if seen > 5_000 {
            break;
        }
        let Ok((_, object)) = doc.dereference(object) else { continue };
        match object {
            Object::Array(items) => stack.extend(items.iter().rev()),
            Object::Dictionary(dict) => {
                let is_figure =
                    dict.get(b"S").and_then(Object::as_name).is_ok_and(|s| s == b"Figure");
                if is_figure
                    && let Some(alt) =
                        dict.get(b"Alt").ok().and_then(|a| lopdf::decode_text_string(a).ok())
                {
                    out.push(alt);
                }
                if let Ok(kids) = dict.get(b"K") {
                    stack.push(kids);
                }
            }
            _ => {}
        }
    }
    out
}

/// One glyph as placed on the page.
#[derive(Debug, Clone)]
struct Glyph {
    x: f32,
    y: f32,
    end: f32,
    size: f32,
    text: String,
    italic: bool,
    bold: bool,
    rotated: bool,
    /// A small filled shape, not a glyph: a list mark a browser draws
    /// (its disc or square), placed on its line by [`page_lines`].
    drawn: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn then(self, b: Matrix) -> Matrix {
        let (a, b) = (self.0, b.0);
        Matrix([
            a[0] * b[0] + a[1] * b[2],
            a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4],
            a[4] * b[1] + a[5] * b[3] + b[5],
        ])
    }

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }
}

/// A font as the page uses it.
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    two_byte: bool,
    widths: BTreeMap<u32, f32>,
    default_width: f32,
    italic: bool,
    bold: bool,
    /// Each code's text, decoded once: a letter uses a few dozen codes of
    /// a font thousands of times.
    decoded: std::cell::RefCell<BTreeMap<u32, String>>,
}

impl Font<'_> {
    /// The text of one code (its bytes and their value), by the font's
    /// encoding or ToUnicode map; empty where it has none.
    fn text(&self, code: &[u8], value: u32) -> String {
        if let Some(text) = self.decoded.borrow().get(&value) {
            return text.clone();
        }
        let text =
            self.encoding.as_ref().and_then(|e| e.bytes_to_string(code).ok()).unwrap_or_default();
        let mut decoded = self.decoded.borrow_mut();
        // A font has at most 65,536 codes; a hostile one is not kept whole.
        if decoded.len() < 10_000 {
            decoded.insert(value, text.clone());
        }
        text
    }
}

fn font<'a>(doc: &'a Document, dict: &'a Dictionary) -> Font<'a> {
    let base = dict.get(b"BaseFont").and_then(Object::as_name).unwrap_or(b"");
    let base = String::from_utf8_lossy(base).to_ascii_lowercase();
    let two_byte = dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Type0");
    let mut widths = BTreeMap::new();
    let mut default_width = if two_byte { 1000.0 } else { 0.0 };
    let deref = |o: &'a Object| doc.dereference(o).map(|(_, o)| o).ok();
    if two_byte {
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .and_then(deref)
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(deref)
            .and_then(|o| o.as_dict().ok());
        if let Some(cid) = descendant {
            if let Some(dw) = cid.get(b"DW").ok().and_then(number) {
                default_width = dw;
            }
            if let Some(w) = cid.get(b"W").ok().and_then(deref).and_then(|o| o.as_array().ok()) {
                read_cid_widths(w, doc, &mut widths);
            }
        }
    } else {
        let first = dict.get(b"FirstChar").ok().and_then(|o| o.as_i64().ok()).unwrap_or(0);
        if let Some(list) = dict.get(b"Widths").ok().and_then(deref).and_then(|o| o.as_array().ok())
        {
            for (i, w) in list.iter().enumerate() {
                if let (Some(w), Ok(code)) = (number(w), u32::try_from(first + i as i64)) {
                    widths.insert(code, w);
                }
            }
        }
    }
    Font {
        encoding: dict.get_font_encoding(doc).ok(),
        two_byte,
        widths,
        default_width,
        italic: base.contains("italic") || base.contains("oblique"),
        bold: base.contains("bold"),
        decoded: Default::default(),
    }
}

fn read_cid_widths(w: &[Object], doc: &Document, out: &mut BTreeMap<u32, f32>) {
    let mut i = 0;
    while i < w.len() && out.len() < 70_000 {
        let Some(first) = number(&w[i]) else { break };
        let first = first as u32;
        match w.get(i + 1).map(|o| doc.dereference(o).map(|(_, o)| o)) {
            Some(Ok(Object::Array(list))) => {
                for (k, width) in list.iter().enumerate() {
                    if let Some(width) = number(width) {
                        out.insert(first + k as u32, width);
                    }
                }
                i += 2;
            }
            Some(Ok(last)) => {
                let (Some(last), Some(width)) = (number(last), w.get(i + 2).and_then(number))
                else {
                    break;
                };
                let last = (last as u32).min(first + 70_000);
                for code in first..=last {
                    out.insert(code, width);
                }
                i += 3;
            }
            _ => break,
        }
    }
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// The page's links to addresses: each area they cover (a quadrilateral
/// of QuadPoints, one a line, or else the rectangle) and the address.
fn links(doc: &Document, page: lopdf::ObjectId) -> Vec<([f32; 4], String)> {
    let Ok(annotations) = doc.get_page_annotations(page) else { return Vec::new() };
    let mut out = Vec::new();
    for a in annotations.iter().take(10_000) {
        if !a.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Link") {
            continue;
        }
        let action = a
            .get(b"A")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        let Some(uri) = action.and_then(|d| d.get(b"URI").ok()).and_then(|u| u.as_str().ok())
        else {
            continue;
        };
        let uri = String::from_utf8_lossy(uri).into_owned();
        let numbers = |key: &[u8]| -> Vec<f32> {
            a.get(key)
                .ok()
                .and_then(|o| o.as_array().ok())
                .map(|l| l.iter().filter_map(number).collect())
                .unwrap_or_default()
        };
        let quads = numbers(b"QuadPoints");
        let areas: Vec<Vec<f32>> = if quads.len() >= 8 && quads.len() % 8 == 0 {
            quads.chunks(8).map(<[f32]>::to_vec).collect()
        } else {
            vec![numbers(b"Rect")]
        };
        for area in areas.into_iter().filter(|a| a.len() >= 4) {
            let xs: Vec<f32> = area.iter().step_by(2).copied().collect();
            let ys: Vec<f32> = area.iter().skip(1).step_by(2).copied().collect();
            let lo = |v: &[f32]| v.iter().copied().fold(f32::MAX, f32::min);
            let hi = |v: &[f32]| v.iter().copied().fold(f32::MIN, f32::max);
            out.push(([lo(&xs), lo(&ys), hi(&xs), hi(&ys)], uri.clone()));
        }
    }
    out
}

/// Every glyph the page's content draws as text.
fn page_glyphs<'a>(
    doc: &'a Document,
    page: lopdf::ObjectId,
    known: &mut BTreeMap<*const Dictionary, std::rc::Rc<Font<'a>>>,
) -> Result<Vec<Glyph>, lopdf::Error> {
    // Each font read once for the whole letter: its widths and its
    // ToUnicode map are the same on every page.
    let fonts: BTreeMap<Vec<u8>, std::rc::Rc<Font>> = doc
        .get_page_fonts(page)?
        .into_iter()
        .map(|(n, d)| {
            let f = known
                .entry(d as *const Dictionary)
                .or_insert_with(|| std::rc::Rc::new(font(doc, d)));
            (n, f.clone())
        })
        .collect();
    let content = Content::decode(&doc.get_page_content(page)?)?;
    let mut out = Vec::new();
    let mut ctm = Matrix::IDENTITY;
    let mut stack: Vec<Matrix> = Vec::new();
    let mut tm = Matrix::IDENTITY;
    let mut tlm = Matrix::IDENTITY;
    let mut font_name: Vec<u8> = Vec::new();
    let (mut size, mut tc, mut tw, mut th, mut tl, mut rise) = (0f32, 0f32, 0f32, 1f32, 0f32, 0f32);
    let operand = |ops: &[Object], i: usize| ops.get(i).and_then(number).unwrap_or(0.0);
    // The box of the path being built, on the page.
    let mut path: Option<[f32; 4]> = None;
    for op in &content.operations {
        let o = &op.operands;
        match op.operator.as_str() {
            "m" | "l" | "c" | "v" | "y" | "re" => {
                let mut points: Vec<(f32, f32)> =
                    o.chunks(2).map(|p| (operand(p, 0), operand(p, 1))).collect();
                if op.operator == "re" {
                    let (x, y, w, h) = (operand(o, 0), operand(o, 1), operand(o, 2), operand(o, 3));
                    points = vec![(x, y), (x + w, y + h)];
                }
                for (x, y) in points {
                    let p = Matrix::translate(x, y).then(ctm).0;
                    let b = path.get_or_insert([p[4], p[5], p[4], p[5]]);
                    *b = [b[0].min(p[4]), b[1].min(p[5]), b[2].max(p[4]), b[3].max(p[5])];
                }
            }
            "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                if let Some([x0, y0, x1, y1]) = path.take() {
                    let (w, h) = (x1 - x0, y1 - y0);
                    let small = w > 0.5 && h > 0.5 && w < 12.0 && h < 12.0;
                    if small && (0.6..1.6).contains(&(w / h)) && out.len() < MAX_GLYPHS_PER_PAGE {
                        out.push(Glyph {
                            x: x0,
                            y: y0,
                            end: x1,
                            size: h,
                            text: "•".into(),
                            italic: false,
                            bold: false,
                            rotated: false,
                            drawn: true,
                        });
                    }
                }
            }
            "S" | "s" | "n" => path = None,
            "q" if stack.len() < 64 => stack.push(ctm),
            "q" => {}
            "Q" => ctm = stack.pop().unwrap_or(Matrix::IDENTITY),
            "cm" => {
                let m = Matrix([
                    operand(o, 0),
                    operand(o, 1),
                    operand(o, 2),
                    operand(o, 3),
                    operand(o, 4),
                    operand(o, 5),
                ]);
                ctm = m.then(ctm);
            }
            "BT" => {
                tm = Matrix::IDENTITY;
                tlm = Matrix::IDENTITY;
            }
            "Tf" => {
                font_name = o.first().and_then(|n| n.as_name().ok()).unwrap_or(b"").to_vec();
                size = operand(o, 1);
            }
            "Tc" => tc = operand(o, 0),
            "Tw" => tw = operand(o, 0),
            "Tz" => th = operand(o, 0) / 100.0,
            "TL" => tl = operand(o, 0),
            "Ts" => rise = operand(o, 0),
            "Td" | "TD" => {
                if op.operator == "TD" {
                    tl = -operand(o, 1);
                }
                tlm = Matrix::translate(operand(o, 0), operand(o, 1)).then(tlm);
                tm = tlm;
            }
            "Tm" => {
                tlm = Matrix([
                    operand(o, 0),
                    operand(o, 1),
                    operand(o, 2),
                    operand(o, 3),
                    operand(o, 4),
                    operand(o, 5),
                ]);
                tm = tlm;
            }
            "T*" => {
                tlm = Matrix::translate(0.0, -tl).then(tlm);
                tm = tlm;
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator == "'" || op.operator == "\"" {
                    tlm = Matrix::translate(0.0, -tl).then(tlm);
                    tm = tlm;
                }
                let Some(font) = fonts.get(&font_name) else { continue };
                let items: Vec<&Object> = match op.operator.as_str() {
                    "TJ" => o
                        .first()
                        .and_then(|a| a.as_array().ok())
                        .map(|a| a.iter().collect())
                        .unwrap_or_default(),
                    "\"" => o.get(2).into_iter().collect(),
                    _ => o.first().into_iter().collect(),
                };
                for item in items {
                    match item {
                        Object::String(bytes, _) => {
                            let step = if font.two_byte { 2 } else { 1 };
                            for code in bytes.chunks(step) {
                                let value = code.iter().fold(0u32, |v, b| v * 256 + u32::from(*b));
                                let width =
                                    font.widths.get(&value).copied().unwrap_or(font.default_width);
                                let trm = Matrix([size * th, 0.0, 0.0, size, 0.0, rise])
                                    .then(tm)
                                    .then(ctm);
                                let advance = (width / 1000.0 * size
                                    + tc
                                    + if step == 1 && value == 32 { tw } else { 0.0 })
                                    * th;
                                let text = font.text(code, value);
                                let scale = (trm.0[2] * trm.0[2] + trm.0[3] * trm.0[3]).sqrt();
                                let rotated =
                                    trm.0[1].abs() > 0.01 * scale || trm.0[2].abs() > 0.01 * scale;
                                let end_m = Matrix::translate(advance, 0.0).then(tm).then(ctm);
                                if !text.is_empty() && out.len() < MAX_GLYPHS_PER_PAGE {
                                    out.push(Glyph {
                                        x: trm.0[4],
                                        y: trm.0[5],
                                        end: end_m.0[4],
                                        size: scale,
                                        text,
                                        italic: font.italic,
                                        bold: font.bold,
                                        rotated,
                                        drawn: false,
                                    });
                                }
                                tm = Matrix::translate(advance, 0.0).then(tm);
                            }
                        }
                        other => {
                            if let Some(n) = number(other) {
                                tm = Matrix::translate(-n / 1000.0 * size * th, 0.0).then(tm);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The body's type size: the size most glyphs have.
fn body_size<'a>(glyphs: impl Iterator<Item = &'a Glyph>) -> f32 {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for g in glyphs.filter(|g| !g.rotated) {
        *counts.entry((g.size * 2.0).round() as i64).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map_or(11.0, |(s, _)| s as f32 / 2.0)
}

/// A line being put together: its baseline and glyphs (a mark raised above
/// it included).
struct Raw {
    y: f32,
    size: f32,
    glyphs: Vec<(Glyph, bool)>,
}

fn page_lines(
    page: usize,
    glyphs: Vec<Glyph>,
    links: &[([f32; 4], String)],
    body: f32,
) -> Vec<Line> {
    let (drawn, glyphs): (Vec<Glyph>, Vec<Glyph>) = glyphs.into_iter().partition(|g| g.drawn);
    let (rotated, mut flat): (Vec<Glyph>, Vec<Glyph>) = glyphs.into_iter().partition(|g| g.rotated);
    let marks = list_marks(&drawn, &flat);
    flat.extend(marks);
    flat.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    // Glyphs on one baseline.
    let mut raws: Vec<Raw> = Vec::new();
    for g in flat {
        match raws.last_mut() {
            Some(raw) if (raw.y - g.y).abs() <= 0.15 * g.size.max(raw.size) => {
                raw.size = raw.size.max(g.size);
                raw.glyphs.push((g, false));
            }
            _ => raws.push(Raw { y: g.y, size: g.size, glyphs: vec![(g, false)] }),
        }
    }
    // A line of small glyphs just above a line of bigger ones, within its
    // width, is its marks.
    let mut i = 0;
    while i < raws.len() {
        let raw = &raws[i];
        if let Some(next) = raws.get(i + 1) {
            // A mark is at most five sixths of the text's size (a browser's
            // superscript), raised.
            let small = raw.size < 0.9 * next.size;
            let close = raw.y - next.y < 0.7 * next.size && raw.y > next.y;
            let (lo, hi) = span(&next.glyphs);
            let within =
                raw.glyphs.iter().all(|(g, _)| g.x >= lo - next.size && g.x <= hi + next.size);
            if small && close && within {
                let mut next = raws.remove(i + 1);
                let marks = std::mem::take(&mut raws[i].glyphs);
                next.glyphs.extend(marks.into_iter().map(|(g, _)| (g, true)));
                raws[i] = next;
                continue;
            }
        }
        i += 1;
    }
    let merged = raws;
    let mut out = Vec::new();
    let mut in_notes = false;
    for (n, mut raw) in merged.into_iter().enumerate() {
        raw.glyphs.sort_by(|a, b| a.0.x.total_cmp(&b.0.x));
        let size = raw.size;
        let main_sizes: Vec<f32> =
            raw.glyphs.iter().filter(|(_, m)| !m).map(|(g, _)| g.size).collect();
        let line_size = if main_sizes.is_empty() {
            size
        } else {
            main_sizes.iter().copied().fold(0.0, f32::max)
        };
        let small = line_size < 0.9 * body;
        let starts_with_mark = raw.glyphs.first().is_some_and(|(_, mark)| *mark);
        if starts_with_mark && small {
            in_notes = true;
        }
        let cells = cells(&raw.glyphs, links, line_size);
        let right = raw.glyphs.iter().map(|(g, _)| g.end).fold(f32::MIN, f32::max);
        out.push(Line {
            right: Some((right * 10.0).round() as i64),
            at: Place { page, line: n + 1 },
            cells,
            small,
            gap_before: in_notes && starts_with_mark,
            baseline: Some((raw.y, line_size)),
            note: in_notes,
            whole: false,
        });
    }
    if !rotated.is_empty() {
        let text: String = rotated.iter().map(|g| g.text.as_str()).collect();
        out.push(Line {
            at: Place { page, line: out.len() + 1 },
            cells: vec![Cell { indent: 0, text: Text::plain(text) }],
            small: false,
            gap_before: true,
            baseline: None,
            note: false,
            whole: false,
            right: None,
        });
    }
    out
}

/// The small shapes that are list marks: each one just left of a line's
/// first glyph, its middle between that line's baseline and the top of its
/// small letters, set as a "•" on that line. Other shapes (a logo's
/// pieces, a rule) are left out.
fn list_marks(drawn: &[Glyph], glyphs: &[Glyph]) -> Vec<Glyph> {
    let mut out = Vec::new();
    for shape in drawn.iter().take(1_000) {
        let middle = shape.y + shape.size / 2.0;
        let next = glyphs
            .iter()
            .filter(|g| {
                g.x >= shape.end - 0.5
                    && g.x - shape.end < 2.0 * g.size
                    && middle >= g.y
                    && middle <= g.y + 0.7 * g.size
                    && shape.size < 0.6 * g.size
            })
            .min_by(|a, b| a.x.total_cmp(&b.x));
        // Nothing else on the line before the text it marks.
        let Some(next) = next else { continue };
        let first = !glyphs.iter().any(|g| {
            (g.y - next.y).abs() < 0.15 * next.size && g.x < shape.x && g.text.trim() != ""
        });
        if first {
            out.push(Glyph { y: next.y, size: next.size, drawn: false, ..shape.clone() });
        }
    }
    out
}

fn span(glyphs: &[(Glyph, bool)]) -> (f32, f32) {
    let lo = glyphs.iter().map(|(g, _)| g.x).fold(f32::MAX, f32::min);
    let hi = glyphs.iter().map(|(g, _)| g.end).fold(f32::MIN, f32::max);
    (lo, hi)
}

/// A line's glyphs into cells at wide gaps, words at narrow ones, runs by
/// style.
fn cells(glyphs: &[(Glyph, bool)], links: &[([f32; 4], String)], size: f32) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut current: Vec<&(Glyph, bool)> = Vec::new();
    let mut last_end: Option<f32> = None;
    for item in glyphs {
        let (g, _) = item;
        if let Some(end) = last_end
            && g.x - end > 0.6 * size
            && !current.is_empty()
        {
            cells.push(cell(&current, links, size));
            current.clear();
        }
        current.push(item);
        last_end = Some(last_end.map_or(g.end, |e| e.max(g.end)));
    }
    if !current.is_empty() {
        cells.push(cell(&current, links, size));
    }
    cells
}

fn cell(glyphs: &[&(Glyph, bool)], links: &[([f32; 4], String)], size: f32) -> Cell {
    let indent = glyphs.first().map_or(0, |(g, _)| (g.x * 10.0).round() as i64);
    // Runs of one style, with spaces where the glyphs leave a gap.
    let mut pieces: Vec<(Look, String)> = Vec::new();
    let mut last_end: Option<f32> = None;
    for (g, mark) in glyphs {
        let link = links
            .iter()
            .find(|(r, _)| {
                let cx = (g.x + g.end) / 2.0;
                cx >= r[0] && cx <= r[2] && g.y >= r[1] - 1.0 && g.y <= r[3] + 1.0
            })
            .map(|(_, u)| u.clone());
        let style = Look { italic: g.italic, bold: g.bold, link, mark: *mark };
        let space = last_end.is_some_and(|e| g.x - e > 0.15 * size) && !g.text.starts_with(' ');
        last_end = Some(g.end);
        if space {
            // A space between two runs belongs to the run before unless both
            // share a style.
            match pieces.last_mut() {
                Some((_, text)) if !text.ends_with(' ') => text.push(' '),
                _ => {}
            }
        }
        match pieces.last_mut() {
            Some((s, text)) if *s == style => text.push_str(&g.text),
            _ => pieces.push((style, g.text.clone())),
        }
    }
    Cell { indent, text: styled(pieces) }
}
