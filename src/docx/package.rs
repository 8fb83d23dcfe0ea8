//! The parts of a Word document around its body, and the zip they go in.
//!
//! The body (`word/document.xml`) is the letter's template, filled in by
//! the Word writer (`sqs.docx.j2`); everything else is made here, in one
//! fixed order, so the same letter gives the same bytes: the styles of the
//! reference document (`reference.docx` among the templates, which
//! `--templates` can replace as pandoc's `--reference-doc` does) with the
//! letter's language set on them, the document properties (title,
//! language, author), the footnotes, the running header (DRAFT on every
//! page of a draft) and the footer, the bullet numbering, the
//! relationships of the links, and the logo.

use std::collections::BTreeMap;

use crate::docx::zip::{self, Archive};
use crate::error::Diagnostic;
use crate::format::word::{self, escape, link_id};
use crate::letter::{Inline, Letter, Text, texts_of};

pub use crate::templates::REFERENCE;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// What describes a document in its properties.
#[derive(Debug, Clone, Default)]
pub(crate) struct Properties {
    /// The title a reader's window shows.
    pub(crate) title: String,
    /// The language tag, e.g. `en-GB`.
    pub(crate) language: String,
    /// Who publishes it.
    pub(crate) author: String,
    /// What it is.
    pub(crate) subject: String,
    /// Words to find it by.
    pub(crate) keywords: Vec<String>,
    /// When it was made, `YYYY-MM-DD`.
    pub(crate) date: String,
}

/// An image the body shows, by its relationship id.
#[derive(Debug, Clone)]
pub(crate) struct Image {
    /// The relationship id the body names it by.
    pub(crate) id: &'static str,
    /// The part's file name under `word/media/`.
    pub(crate) file: &'static str,
    /// The image.
    pub(crate) bytes: Vec<u8>,
}

/// Everything a document is made of besides its styles.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parts {
    /// `word/document.xml`.
    pub(crate) document: String,
    /// The addresses the body links to.
    pub(crate) links: Vec<String>,
    /// The footnotes: number and WordprocessingML runs, with the
    /// addresses they link to.
    pub(crate) footnotes: Vec<(usize, String)>,
    /// The addresses the footnotes link to.
    pub(crate) footnote_links: Vec<String>,
    /// The header of the first page (`rIdHeaderFirst`), if any.
    pub(crate) first_header: Option<String>,
    /// The header of the other pages (`rIdHeader`), if any.
    pub(crate) header: Option<String>,
    /// The footer of every page (`rIdFooter`), if any.
    pub(crate) footer: Option<String>,
    /// The images.
    pub(crate) images: Vec<Image>,
    /// The document properties.
    pub(crate) properties: Properties,
}

/// The parts of a letter, its body written by its template.
pub(crate) fn letter_parts(letter: &Letter, document: String, logo_png: Option<Vec<u8>>) -> Parts {
    let meta = &letter.meta;
    let mut body_texts: Vec<&Text> =
        letter.header.iter().flat_map(|r| [&r.label, &r.value]).collect();
    body_texts.push(&letter.title);
    body_texts.extend(texts_of(&letter.body));
    let links = links_of(body_texts.iter().map(|t| t.runs.as_slice()));
    let footnote_links = links_of(letter.footnotes.iter().map(|n| n.text.runs.as_slice()));
    let footnotes =
        letter.footnotes.iter().map(|n| (n.number, word::inline(&n.text.runs))).collect();
    let furniture = &letter.furniture;
    let draft = meta.draft.then(|| paragraph("DraftMark", &Text::plain(&furniture.draft_mark)));
    let first_header = draft.as_ref().map(|mark| part("hdr", mark));
    let short_title = paragraph("Header", &Text::plain(meta.short_title.to_plain()));
    let header = Some(part("hdr", &format!("{short_title}{}", draft.clone().unwrap_or_default())));
    let [before, between, after] = &furniture.page;
    let field = |instruction: &str| {
        format!("<w:fldSimple w:instr=\" {instruction} \"><w:r><w:t>1</w:t></w:r></w:fldSimple>")
    };
    let footer = format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>{}{}{}{}{}</w:p>",
        word::inline(&Text::plain(before).runs),
        field("PAGE"),
        word::inline(&Text::plain(between).runs),
        field("NUMPAGES"),
        word::inline(&Text::plain(after).runs),
    );
    let mut images = Vec::new();
    if let Some(logo) = &letter.letterhead.logo {
        if logo.mime == "image/svg+xml" {
            images.push(Image {
                id: "rIdLogo",
                file: "logo.png",
                bytes: logo_png.unwrap_or_default(),
            });
            images.push(Image { id: "rIdLogoSvg", file: "logo.svg", bytes: logo.bytes.to_vec() });
        } else {
            images.push(Image { id: "rIdLogo", file: "logo.png", bytes: logo.bytes.to_vec() });
        }
    }
    Parts {
        document,
        links,
        footnotes,
        footnote_links,
        first_header,
        header,
        footer: Some(part("ftr", &footer)),
        images,
        properties: Properties {
            title: meta.document_title.clone(),
            language: meta.language.clone(),
            author: meta.author.clone(),
            subject: meta.description.clone(),
            keywords: meta.keywords.clone(),
            date: meta.date.clone(),
        },
    }
}

/// One paragraph of a style holding a text.
fn paragraph(style: &str, text: &Text) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{}</w:p>", word::inline(&text.runs))
}

/// A header (`hdr`) or footer (`ftr`) part.
fn part(tag: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:{tag} xmlns:w=\"{W}\" xmlns:r=\"{R}\">{body}</w:{tag}>"
    )
}

/// The addresses some runs link to, each once, in order of first use.
fn links_of<'a>(texts: impl Iterator<Item = &'a [Inline]>) -> Vec<String> {
    fn walk(runs: &[Inline], out: &mut Vec<String>) {
        for run in runs {
            match run {
                Inline::Link { url, content } => {
                    if !out.contains(url) {
                        out.push(url.clone());
                    }
                    walk(content, out);
                }
                Inline::Emphasis { content } | Inline::Strong { content } => walk(content, out),
                Inline::Note { body: Some(body), .. } => walk(body, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for runs in texts {
        walk(runs, &mut out);
    }
    out
}

/// The styles and other parts a document takes from a reference document.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    styles: String,
    theme: Option<Vec<u8>>,
    font_table: Option<Vec<u8>>,
}

impl Reference {
    /// Reads a reference document; `name` is how messages name it.
    pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<Self, Diagnostic> {
        let bad = |why: String| {
            Diagnostic::error(format!("the reference document {name} cannot be used: {why}")).hint(
                "save a Word document whose styles you want as reference.docx in --templates DIR",
            )
        };
        let archive = Archive::read(bytes).map_err(|e| bad(e.0))?;
        let styles = archive.part("word/styles.xml").map_err(|e| bad(e.0))?;
        let styles = styles.ok_or_else(|| bad("it has no word/styles.xml".into()))?;
        let styles =
            String::from_utf8(styles).map_err(|_| bad("its styles are not UTF-8".into()))?;
        if let Err(e) = roxmltree::Document::parse(&styles) {
            return Err(bad(format!("its word/styles.xml is not XML: {e}")));
        }
        Ok(Self {
            styles,
            theme: archive.part("word/theme/theme1.xml").map_err(|e| bad(e.0))?,
            font_table: archive.part("word/fontTable.xml").map_err(|e| bad(e.0))?,
        })
    }
}

/// The document: its parts in their zip, always in the same order.
pub(crate) fn assemble(parts: &Parts, reference: &Reference) -> Result<Vec<u8>, Diagnostic> {
    let props = &parts.properties;
    let mut document_rels = vec![
        rel("rIdStyles", "styles", "styles.xml"),
        rel("rIdSettings", "settings", "settings.xml"),
        rel("rIdNumbering", "numbering", "numbering.xml"),
        rel("rIdFootnotes", "footnotes", "footnotes.xml"),
    ];
    let mut overrides = vec![
        ("/word/document.xml", format!("{CT}.document.main+xml")),
        ("/word/styles.xml", format!("{CT}.styles+xml")),
        ("/word/settings.xml", format!("{CT}.settings+xml")),
        ("/word/numbering.xml", format!("{CT}.numbering+xml")),
        ("/word/footnotes.xml", format!("{CT}.footnotes+xml")),
    ];
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let furniture: [(&str, &str, &str, &Option<String>); 3] = [
        ("rIdHeaderFirst", "header", "header1.xml", &parts.first_header),
        ("rIdHeader", "header", "header2.xml", &parts.header),
        ("rIdFooter", "footer", "footer1.xml", &parts.footer),
    ];
    for (id, kind, file, body) in furniture {
        if let Some(body) = body {
            document_rels.push(rel(id, kind, file));
            overrides.push((leak_path(file), format!("{CT}.{kind}+xml")));
            files.push((format!("word/{file}"), body.clone().into_bytes()));
        }
    }
    if reference.theme.is_some() {
        document_rels.push(rel("rIdTheme", "theme", "theme/theme1.xml"));
        overrides.push((
            "/word/theme/theme1.xml",
            "application/vnd.openxmlformats-officedocument.theme+xml".into(),
        ));
    }
    if reference.font_table.is_some() {
        document_rels.push(rel("rIdFontTable", "fontTable", "fontTable.xml"));
        overrides.push(("/word/fontTable.xml", format!("{CT}.fontTable+xml")));
    }
    for image in &parts.images {
        document_rels.push(rel(image.id, "image", &format!("media/{}", image.file)));
    }
    document_rels.extend(link_rels(&parts.links)?);
    overrides.push((
        "/docProps/core.xml",
        "application/vnd.openxmlformats-package.core-properties+xml".into(),
    ));

    let mut types = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Default Extension=\"png\" ContentType=\"image/png\"/>\
         <Default Extension=\"svg\" ContentType=\"image/svg+xml\"/>",
    );
    for (part, content_type) in &overrides {
        types.push_str(&format!("<Override PartName=\"{part}\" ContentType=\"{content_type}\"/>"));
    }
    types.push_str("</Types>");

    let package_rels = relationships(&[
        "<Relationship Id=\"rIdDocument\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>".to_string(),
        "<Relationship Id=\"rIdCore\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>".to_string(),
    ]);
    let styles = with_language(&reference.styles, &props.language);
    let footnotes = footnotes(&parts.footnotes);
    let footnote_rels = relationships(&link_rels(&parts.footnote_links)?);

    let mut all: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), types.into_bytes()),
        ("_rels/.rels".into(), package_rels.into_bytes()),
        ("docProps/core.xml".into(), core(props).into_bytes()),
        ("word/document.xml".into(), parts.document.clone().into_bytes()),
        ("word/_rels/document.xml.rels".into(), relationships(&document_rels).into_bytes()),
        ("word/styles.xml".into(), styles.into_bytes()),
        ("word/settings.xml".into(), settings(&props.language).into_bytes()),
        ("word/numbering.xml".into(), NUMBERING.as_bytes().to_vec()),
        ("word/footnotes.xml".into(), footnotes.into_bytes()),
        ("word/_rels/footnotes.xml.rels".into(), footnote_rels.into_bytes()),
    ];
    all.extend(files);
    if let Some(theme) = &reference.theme {
        all.push(("word/theme/theme1.xml".into(), theme.clone()));
    }
    if let Some(fonts) = &reference.font_table {
        all.push(("word/fontTable.xml".into(), fonts.clone()));
    }
    for image in &parts.images {
        all.push((format!("word/media/{}", image.file), image.bytes.clone()));
    }
    let borrowed: Vec<(&str, &[u8])> =
        all.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    Ok(zip::write(&borrowed))
}

/// The part name of a header or footer file, which is one of three.
fn leak_path(file: &str) -> &'static str {
    match file {
        "header1.xml" => "/word/header1.xml",
        "header2.xml" => "/word/header2.xml",
        _ => "/word/footer1.xml",
    }
}

fn rel(id: &str, kind: &str, target: &str) -> String {
    format!("<Relationship Id=\"{id}\" Type=\"{REL}/{kind}\" Target=\"{target}\"/>")
}

/// The relationships of links, by the id the Word writer gives each.
fn link_rels(links: &[String]) -> Result<Vec<String>, Diagnostic> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for url in links {
        let id = link_id(url);
        if let Some(other) = seen.insert(id.clone(), url) {
            return Err(Diagnostic::error(format!(
                "the links {other} and {url} cannot both be written into a Word document"
            )));
        }
        out.push(format!(
            "<Relationship Id=\"{id}\" Type=\"{REL}/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>",
            escape(url)
        ));
    }
    Ok(out)
}

fn relationships(rels: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{}</Relationships>",
        rels.concat()
    )
}

fn core(props: &Properties) -> String {
    let date = format!("{}T00:00:00Z", props.date);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator>\
         <cp:keywords>{}</cp:keywords><dc:language>{}</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified>\
         </cp:coreProperties>",
        escape(&props.title),
        escape(&props.subject),
        escape(&props.author),
        escape(&props.keywords.join(", ")),
        escape(&props.language),
    )
}

fn settings(language: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:settings xmlns:w=\"{W}\"><w:defaultTabStop w:val=\"720\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/>\
         <w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"{}\"/></w:settings>",
        escape(language)
    )
}

/// The bullets of lists: one list definition, used by every bulleted item.
const NUMBERING: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>\
<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2022}\"/>\
<w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"360\" w:hanging=\"360\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\"/></w:rPr></w:lvl></w:abstractNum>\
<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";

/// The footnotes part: Word's two separators, then each note, bookmarked
/// `footnote_N` for the comments read back.
fn footnotes(notes: &[(usize, String)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:footnotes xmlns:w=\"{W}\" xmlns:r=\"{R}\">\
         <w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>\
         <w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    );
    for (number, runs) in notes {
        let id = 100_000 + number;
        out.push_str(&format!(
            "<w:footnote w:id=\"{number}\"><w:p><w:pPr><w:pStyle w:val=\"FootnoteText\"/></w:pPr>\
             <w:bookmarkStart w:id=\"{id}\" w:name=\"footnote_{number}\"/>\
             <w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteRef/></w:r>\
             <w:r><w:t xml:space=\"preserve\"> </w:t></w:r>{runs}<w:bookmarkEnd w:id=\"{id}\"/></w:p></w:footnote>"
        ));
    }
    out.push_str("</w:footnotes>");
    out
}

/// The styles with the document's language set on the defaults every
/// style inherits (`w:docDefaults/w:rPrDefault/w:rPr/w:lang`), whatever
/// language the reference document was saved in.
pub(crate) fn with_language(styles: &str, language: &str) -> String {
    let lang = escape(language);
    let element = format!("<w:lang w:val=\"{lang}\"/>");
    let Some(defaults) = styles.find("<w:docDefaults") else {
        // No defaults: add them as the first child of w:styles.
        let Some(open) =
            styles.find("<w:styles").and_then(|at| styles[at..].find('>').map(|e| at + e + 1))
        else {
            return styles.to_string();
        };
        return format!(
            "{}<w:docDefaults><w:rPrDefault><w:rPr>{element}</w:rPr></w:rPrDefault></w:docDefaults>{}",
            &styles[..open],
            &styles[open..]
        );
    };
    let defaults_end =
        styles[defaults..].find("</w:docDefaults>").map_or(styles.len(), |e| defaults + e);
    let within = &styles[defaults..defaults_end];
    if let Some(at) = within.find("<w:lang") {
        let start = defaults + at;
        let end = styles[start..].find("/>").map_or(start, |e| start + e + 2);
        let old = &styles[start..end];
        let new = match old.find("w:val=\"") {
            Some(v) => {
                let value_start = v + "w:val=\"".len();
                let value_end = old[value_start..].find('"').map_or(old.len(), |e| value_start + e);
                format!("{}{lang}{}", &old[..value_start], &old[value_end..])
            }
            None => old.replacen("<w:lang", &format!("<w:lang w:val=\"{lang}\""), 1),
        };
        return format!("{}{new}{}", &styles[..start], &styles[end..]);
    }
    if let Some(at) = within.find("<w:rPrDefault>") {
        let after = defaults + at + "<w:rPrDefault>".len();
        let rest = &styles[after..];
        if let Some(rest) = rest.strip_prefix("<w:rPr/>") {
            return format!("{}<w:rPr>{element}</w:rPr>{rest}", &styles[..after]);
        }
        if rest.starts_with("<w:rPr>") {
            let inner = after + "<w:rPr>".len();
            return format!("{}{element}{}", &styles[..inner], &styles[inner..]);
        }
        return format!("{}<w:rPr>{element}</w:rPr>{}", &styles[..after], rest);
    }
    let open = defaults + within.find('>').map_or(0, |e| e + 1);
    format!(
        "{}<w:rPrDefault><w:rPr>{element}</w:rPr></w:rPrDefault>{}",
        &styles[..open],
        &styles[open..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_set_on_the_defaults_whatever_was_there() {
        let saved = "<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>";
        assert_eq!(
            with_language(saved, "cy-GB"),
            "<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val=\"cy-GB\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>"
        );
        let bare = "<w:styles xmlns:w=\"x\"><w:style/></w:styles>";
        assert_eq!(
            with_language(bare, "en-GB"),
            "<w:styles xmlns:w=\"x\"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault></w:docDefaults><w:style/></w:styles>"
        );
        let empty = "<w:styles><w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault></w:docDefaults></w:styles>";
        assert!(with_language(empty, "en-GB").contains("<w:rPr><w:lang w:val=\"en-GB\"/></w:rPr>"));
    }
}
