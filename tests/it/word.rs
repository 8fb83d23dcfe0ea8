//! The Word document: the PDF's words, a structure Word and screen readers
//! know (title, language, Heading styles, tables whose first column heads
//! its rows), a bookmark at every place, the same bytes for the same
//! findings, and text that is only ever text. Read by our XML parser, by
//! python-docx and by LibreOffice.

use std::path::Path;
use std::process::Command;

use hmip_letter::Format;
use hmip_letter::docx::{self, places};
use hmip_letter::letter::{Block, Letter};
use proptest::prelude::*;

use crate::common::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

pub(crate) fn docx_of(name: &str) -> Vec<u8> {
    render_fixture_as(name, Format::Docx).bytes().to_vec()
}

pub(crate) fn part(document: &[u8], name: &str) -> String {
    let bytes = docx::part(document, name).unwrap().unwrap_or_else(|| panic!("no {name}"));
    String::from_utf8(bytes).unwrap()
}

/// What a walk over a part's paragraphs met: each paragraph's text as Word
/// shows it (footnote references as their numbers), and the text inside
/// each bookmark, by name, in order.
#[derive(Debug, Default)]
struct Read {
    paragraphs: Vec<String>,
    bookmarks: Vec<(String, String)>,
}

fn read(xml: &str) -> Read {
    let document = roxmltree::Document::parse(xml).expect("the part is XML");
    let mut read = Read::default();
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut notes = 0;
    for node in document.descendants() {
        if node.tag_name().namespace() != Some(W) {
            continue;
        }
        let id = || node.attribute((W, "id")).unwrap_or("").to_string();
        let mut text = String::new();
        match node.tag_name().name() {
            "p" => {
                read.paragraphs.push(String::new());
                text.push(' ');
            }
            "t" => text.push_str(node.text().unwrap_or("")),
            "tab" => text.push(' '),
            "footnoteReference" => {
                notes += 1;
                text.push_str(&notes.to_string());
            }
            "bookmarkStart" => {
                let name = node.attribute((W, "name")).unwrap().to_string();
                read.bookmarks.push((name, String::new()));
                open.push((id(), read.bookmarks.len() - 1));
            }
            "bookmarkEnd" => open.retain(|(open_id, _)| *open_id != id()),
            _ => {}
        }
        if text.is_empty() {
            continue;
        }
        if let Some(last) = read.paragraphs.last_mut() {
            last.push_str(&text);
        }
        for (_, at) in &open {
            read.bookmarks[*at].1.push_str(&text);
        }
    }
    read
}

/// The words of the body, paragraph after paragraph.
fn body_words(document: &[u8]) -> String {
    read(&part(document, "word/document.xml")).paragraphs.join(" ")
}

fn first_difference(name: &str, ours: &str, theirs: &str, what: &str) {
    if ours != theirs {
        let at = ours.chars().zip(theirs.chars()).take_while(|(a, b)| a == b).count();
        let context = |s: &str| s.chars().skip(at.saturating_sub(60)).take(120).collect::<String>();
        panic!(
            "{name}: the words part at character {at}\nPDF:  {}\n{what}: {}",
            context(ours),
            context(theirs)
        );
    }
}

#[test]
fn the_document_and_the_pdf_say_the_same_words() {
    for name in fixture_names() {
        let letter = letter_of(&name);
        let pdf = squeeze(&pdf_words(render_fixture(&name).bytes(), &letter));
        let document = docx_of(&name);
        let words = squeeze(&body_words(&document));
        first_difference(&name, &pdf, &words, "DOCX");
        // The paragraph numbers are words of both.
        assert!(words.contains("1.1."), "{name}");
        // The footnotes are Word footnotes with the PDF's numbers and words.
        let notes = read(&part(&document, "word/footnotes.xml"));
        let expected: Vec<String> = letter
            .footnotes
            .iter()
            .map(|n| squeeze(&format!("{} {}", n.number, n.text.to_plain())))
            .collect();
        let written: Vec<String> = notes
            .bookmarks
            .iter()
            .enumerate()
            .map(|(i, (_, text))| format!("{}{}", i + 1, squeeze(text)))
            .collect();
        assert_eq!(written, expected, "{name}");
    }
}

#[test]
fn every_place_has_its_bookmark_around_its_text() {
    for name in fixture_names() {
        let letter = letter_of(&name);
        let document = docx_of(&name);
        let mut found = read(&part(&document, "word/document.xml")).bookmarks;
        found.extend(read(&part(&document, "word/footnotes.xml")).bookmarks);
        let expected = places::of(&letter);
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        let places: Vec<&str> = expected.iter().map(|p| p.bookmark.as_str()).collect();
        assert_eq!(names, places, "{name}");
        for ((_, text), place) in found.iter().zip(&expected) {
            assert_eq!(squeeze(text), squeeze(&place.text), "{name}: {}", place.bookmark);
        }
        // The places a reviewer's comments are reported at.
        let labels: Vec<&str> = expected.iter().map(|p| p.label.as_str()).collect();
        assert!(labels.contains(&"1.1"), "{name}: {labels:?}");
        assert!(labels.contains(&"Summary, paragraph 1"), "{name}");
        assert!(labels.contains(&"Key strengths, item 1"), "{name}");
        assert!(labels.iter().any(|l| l.starts_with("header: ")), "{name}");
    }
    let barnet = places::of(&letter_of("barnet-2014.yaml"));
    let p13 = barnet.iter().find(|p| p.bookmark == "p1_3").unwrap();
    assert_eq!(p13.label, "1.3");
    assert_eq!(p13.key.as_deref(), Some("commentary[0].paragraphs[2]"));
    let copy = barnet.iter().find(|p| p.bookmark == "copy_3").unwrap();
    assert_eq!(copy.label, "Copy to: Director of Children's Services");
    let date = barnet.iter().find(|p| p.bookmark == "header_4").unwrap();
    assert_eq!(date.label, "header: Publication date");
    assert_eq!(date.key.as_deref(), Some("published"));
}

#[test]
fn one_snapshot_of_each_documents_body() {
    insta::glob!("../../fixtures", "*.yaml", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        insta::assert_snapshot!(part(&docx_of(name), "word/document.xml"));
    });
}

#[test]
fn the_same_findings_give_the_same_bytes() {
    for name in ["wrexham-2016.yaml", "bath-2016.yaml"] {
        assert!(docx_of(name) == docx_of(name), "{name}");
    }
}

#[test]
fn a_draft_says_so_in_its_title_and_header_and_the_logo_has_its_alt_text() {
    let document = docx_of("wrexham-2016.yaml");
    let letter = letter_of("wrexham-2016.yaml");
    assert!(letter.meta.draft);
    let core = part(&document, "docProps/core.xml");
    assert!(
        core.contains(&format!("<dc:title>{}</dc:title>", letter.meta.document_title)),
        "{core}"
    );
    assert!(letter.meta.document_title.starts_with("DRAFT"));
    for header in ["word/header1.xml", "word/header2.xml"] {
        let text = read(&part(&document, header)).paragraphs.concat();
        assert!(text.contains(&letter.furniture.draft_mark), "{header}: {text}");
    }
    let body = part(&document, "word/document.xml");
    let alt = &letter.letterhead.logo.as_ref().unwrap().alt;
    assert!(body.contains(&format!("descr=\"{alt}\"")), "the logo's alt text");
    // The logo as SVG, and as PNG for programs that cannot show SVG.
    let png = docx::part(&document, "word/media/logo.png").unwrap().unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert!(docx::part(&document, "word/media/logo.svg").unwrap().is_some());

    // A letter that is not a draft has no DRAFT anywhere.
    let barnet = docx_of("barnet-2014.yaml");
    assert!(docx::part(&barnet, "word/header1.xml").unwrap().is_none());
    assert!(!part(&barnet, "word/header2.xml").contains("DRAFT"));
}

#[test]
fn links_are_hyperlinks_to_their_addresses() {
    let document = docx_of("barnet-2014.yaml");
    let rels = part(&document, "word/_rels/document.xml.rels");
    let body = part(&document, "word/document.xml");
    let parsed = roxmltree::Document::parse(&body).unwrap();
    let rels = roxmltree::Document::parse(&rels).unwrap();
    let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut targets = Vec::new();
    for link in parsed.descendants().filter(|n| n.has_tag_name((W, "hyperlink"))) {
        let id = link.attribute((r, "id")).unwrap();
        let rel = rels.descendants().find(|n| n.attribute("Id") == Some(id)).unwrap();
        assert_eq!(rel.attribute("TargetMode"), Some("External"));
        targets.push(rel.attribute("Target").unwrap().to_string());
    }
    assert!(
        targets.contains(&"http://www.justiceinspectorates.gov.uk/hmiprobation/".to_string()),
        "{targets:?}"
    );
    assert!(targets.iter().any(|t| t.starts_with("mailto:")), "{targets:?}");
}

/// The headings of a letter as the document should style them.
fn headings(letter: &Letter) -> (Vec<String>, Vec<String>) {
    let mut h1 = Vec::new();
    let mut h2 = Vec::new();
    for block in &letter.body {
        if let Block::Section { heading, blocks, .. } = block {
            h1.push(heading.to_plain());
            for inner in blocks {
                if let Block::Area { label, heading, .. } = inner {
                    h2.push(format!("{label} {}", heading.to_plain()));
                }
            }
        }
    }
    (h1, h2)
}

const PYTHON_DOCX: &str = r#"
import json, sys, docx
from docx.oxml.ns import qn
out = {}
for path in sys.argv[1:]:
    d = docx.Document(path)
    defaults = d.styles.element.find(qn('w:docDefaults')).find(qn('w:rPrDefault')).find(qn('w:rPr'))
    lang = defaults.find(qn('w:lang')).get(qn('w:val'))
    tables = []
    for t in d.tables:
        look = t._tbl.tblPr.find(qn('w:tblLook'))
        tables.append({'first_column': look.get(qn('w:firstColumn')), 'labels': [r.cells[0].text for r in t.rows]})
    out[path] = {
        'title': d.core_properties.title,
        'language': d.core_properties.language,
        'styles_language': lang,
        'styled': [[p.style.name, p.text] for p in d.paragraphs if p.style.name in ('Title', 'Heading 1', 'Heading 2')],
        'tables': tables,
        'font': defaults.find(qn('w:rFonts')).get(qn('w:ascii')),
        'size': int(defaults.find(qn('w:sz')).get(qn('w:val'))) / 2,
        'sizes': [s.font.size.pt for s in d.styles if s.type == 1 and s.font.size],
    }
print(json.dumps(out))
"#;

#[test]
fn python_docx_sees_the_title_language_headings_and_row_headers() {
    let python = python();
    if !external("python-docx", runs(&python, &["-c", "import docx"])) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let names = fixture_names();
    let mut paths = Vec::new();
    for name in &names {
        let path = dir.path().join(name.replace(".yaml", ".docx"));
        std::fs::write(&path, docx_of(name)).unwrap();
        paths.push(path.to_string_lossy().into_owned());
    }
    let out = Command::new(&python).arg("-c").arg(PYTHON_DOCX).args(&paths).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (name, path) in names.iter().zip(&paths) {
        let letter = letter_of(name);
        let seen = &seen[path];
        assert_eq!(seen["title"], letter.meta.document_title, "{name}");
        assert_eq!(seen["language"], letter.meta.language, "{name}");
        assert_eq!(seen["styles_language"], letter.meta.language, "{name}");
        let styled: Vec<(String, String)> = serde_json::from_value(seen["styled"].clone()).unwrap();
        let of = |style: &str| -> Vec<String> {
            styled.iter().filter(|(s, _)| s == style).map(|(_, t)| t.clone()).collect()
        };
        let (h1, h2) = headings(&letter);
        assert_eq!(of("Title"), [letter.title.to_plain()], "{name}");
        assert_eq!(of("Heading 1"), h1, "{name}");
        assert_eq!(of("Heading 2"), h2, "{name}");
        let tables = seen["tables"].as_array().unwrap();
        let header_labels: Vec<String> = letter.header.iter().map(|r| r.label.to_plain()).collect();
        assert_eq!(tables[0]["labels"], serde_json::json!(header_labels), "{name}");
        for table in tables {
            assert_eq!(table["first_column"], "1", "{name}: the labels head their rows");
        }
        // Sans-serif, 11 pt or more, in every style.
        assert_eq!(seen["font"], "Arial", "{name}");
        assert!(seen["size"].as_f64().unwrap() >= 11.0, "{name}");
        for size in seen["sizes"].as_array().unwrap() {
            assert!(size.as_f64().unwrap() >= 11.0, "{name}: a style of {size} pt");
        }
    }
}

/// A private LibreOffice profile, so that tests (and other users of the
/// machine) running soffice at once do not share one.
fn soffice(dir: &Path, args: &[&str]) -> std::process::Output {
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    Command::new("soffice")
        .arg(profile)
        .arg("--headless")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn libreoffice_prints_the_same_words_in_the_same_order() {
    if !external("LibreOffice (soffice)", runs("soffice", &["--version"]))
        || !external("pdftotext (poppler-utils)", runs("pdftotext", &["-v"]))
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let names = fixture_names();
    let mut files = Vec::new();
    for name in &names {
        let file = name.replace(".yaml", ".docx");
        std::fs::write(dir.path().join(&file), docx_of(name)).unwrap();
        files.push(file);
    }
    let mut args = vec!["--convert-to", "pdf", "--outdir", "pdf"];
    args.extend(files.iter().map(String::as_str));
    let out = soffice(dir.path(), &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (name, file) in names.iter().zip(&files) {
        let pdf = dir.path().join("pdf").join(file.replace(".docx", ".pdf"));
        let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
        assert!(text.status.success(), "{name}: LibreOffice wrote no PDF");
        let letter = letter_of(name);
        // pdftotext joins a word broken at a hyphen at the end of a line
        // and drops the hyphen, so hyphens are not compared.
        // LibreOffice's notes at the foot of a page come out of pdftotext
        // with the number after the text.
        let words = |text: &str| {
            let mut words = squeeze(&letter_words(text, &letter));
            for note in &letter.footnotes {
                let printed = format!("{}{}", squeeze(&note.text.to_plain()), note.number);
                words = words.replacen(&printed, "", 1);
            }
            words.replace('-', "")
        };
        let theirs = words(&String::from_utf8_lossy(&text.stdout));
        let ours = words(&pdf_text(render_fixture(name).bytes()));
        first_difference(name, &ours, &theirs, "LibreOffice");
    }
}

#[test]
fn render_writes_documents_alone_in_a_batch_and_in_watch() {
    use std::fs;
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("bath-2016.yaml"), dir.path().join("bath.yaml")).unwrap();
    let out = run(dir.path(), &["render", "bath.yaml", "--format", "docx"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let single = fs::read(dir.path().join("bath.docx")).unwrap();
    assert!(single == docx_of("bath-2016.yaml"), "the binary writes what the library makes");
    assert!(body_words(&single).contains("Bath"));

    fs::create_dir(dir.path().join("in")).unwrap();
    for name in ["barnet-2014.yaml", "bath-2016.yaml"] {
        fs::copy(fixture(name), dir.path().join("in").join(name)).unwrap();
    }
    let out = run(dir.path(), &["render", "in", "--format", "docx", "-o", "word"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(files_in(&dir.path().join("word")), ["barnet-2014.docx", "bath-2016.docx"]);
    assert!(fs::read(dir.path().join("word/bath-2016.docx")).unwrap() == single);

    let mut child = Command::new(env!("CARGO_BIN_EXE_hmip-letter"))
        .args(["watch", "bath.yaml", "--format", "docx", "-o", "watched.docx"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let watched = dir.path().join("watched.docx");
    let started = std::time::Instant::now();
    while fs::read(&watched).map_or(true, |document| document != single) {
        assert!(started.elapsed().as_secs() < 20, "watch wrote no document");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_styles_come_from_the_reference_document_in_templates() {
    use std::fs;
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("t")).unwrap();
    let ours = fs::read(root().join("templates/reference.docx")).unwrap();
    let styles = String::from_utf8(docx::part(&ours, "word/styles.xml").unwrap().unwrap()).unwrap();
    // A reference document of another look, saved in another language.
    let theirs =
        styles.replace("w:ascii=\"Arial\"", "w:ascii=\"Verdana\"").replace("en-GB", "fr-FR");
    let mine = zip_of(&[("word/styles.xml", theirs.as_bytes())]);
    fs::write(dir.path().join("t/reference.docx"), mine).unwrap();
    fs::copy(fixture("caerdydd-2016-cy.yaml"), dir.path().join("c.yaml")).unwrap();
    let out = run(dir.path(), &["render", "c.yaml", "--templates", "t", "--format", "docx"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = fs::read(dir.path().join("c.docx")).unwrap();
    let styles = part(&written, "word/styles.xml");
    assert!(styles.contains("w:ascii=\"Verdana\""));
    assert!(styles.contains("<w:lang w:val=\"cy-GB\""), "the letter's language is set");

    // A reference document that is not one is an error naming it; nothing is written.
    fs::write(dir.path().join("t/reference.docx"), b"not a zip").unwrap();
    let out = run(
        dir.path(),
        &["render", "c.yaml", "--templates", "t", "--format", "docx", "-o", "x.docx"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("reference.docx cannot be used") && err.contains("not a zip"), "{err}");
    assert!(!dir.path().join("x.docx").exists());
}

/// A zip of parts, written by Python's zipfile's format as any tool would:
/// here by hand, stored, so the test needs no zip library.
pub(crate) fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in parts {
        let crc = crc(data);
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&[0; 4]); // flags, stored
            h.extend_from_slice(&[0; 4]); // time, date
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central {
                h.extend_from_slice(&[0; 10]); // comment, disk, attributes
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn crc(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// XML's own specials and characters it cannot hold, beside the pieces
/// that mean something in Typst, HTML, Markdown or templates.
fn xml_awkward() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("]]>"),
        Just("<![CDATA[x]]>"),
        Just("&#0;"),
        Just("&#x1;"),
        Just("&lt;"),
        Just("&amp;amp;"),
        Just("<w:t>"),
        Just("</w:t></w:r></w:p>"),
        Just("<w:p/>"),
        Just("<?xml version=\"1.0\"?>"),
        Just("<!DOCTYPE x [<!ENTITY e \"boom\">]>"),
        Just("&e;"),
        Just("r:id=\"rId1\""),
        Just("\t"),
        Just("\r"),
        Just("\u{1}"),
        Just("\u{b}"),
        Just("\u{1b}[31m"),
        Just("\u{7f}"),
        Just("\u{85}"),
    ]
    .prop_map(str::to_string)
}

fn paragraph() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => xml_awkward(),
        2 => crate::literal_text::awkward(),
        2 => crate::html::html_awkward(),
        2 => "[A-Za-z0-9]{1,8}",
    ];
    prop::collection::vec(piece, 1..24)
        .prop_map(|pieces| pieces.concat())
        .prop_filter("not blank", |s| !s.trim().is_empty())
        .prop_filter("no footnote marks", |s| !s.contains("[^"))
        .prop_filter("no email links", |s| !crate::literal_text::has_email_autolink(s))
        .prop_filter("no links", |s| !s.contains("]("))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_is_text_in_the_document(text in paragraph(), language in prop_oneof![Just("en-GB"), Just("cy")]) {
        let file = hmip_letter::SourceFile::new("prop.yaml", letter_with(&text, language));
        let refused = text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'));
        let loaded = match pipeline().load(file, None) {
            Ok(loaded) => loaded,
            Err(error) => {
                // The only text refused is text a letter cannot print.
                // (by the checks, or already by the YAML parser).
                prop_assert!(refused, "{:?} refused: {}", text, error);
                return Ok(());
            }
        };
        prop_assert!(!refused, "{:?} was not refused", text);
        let rendered = pipeline()
            .export(&loaded, &hmip_letter::Options { format: Format::Docx, ..Default::default() })
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let read = read(&part(rendered.bytes(), "word/document.xml"));
        let summary: Vec<&(String, String)> =
            read.bookmarks.iter().filter(|(name, _)| name.starts_with("summary_")).collect();
        prop_assert_eq!(summary.len(), 3, "the paragraph stays one paragraph: {:?}", text);
        prop_assert_eq!(summary[0].1.trim(), BEFORE);
        prop_assert_eq!(summary[2].1.trim(), AFTER);
        // What the format promises: the text as written, less emphasis
        // marks, with line breaks and tabs as spaces.
        let expected = text.replace(['*', '_'], "").replace(['\n', '\t', '\r'], " ");
        prop_assert_eq!(summary[1].1.replace(['*', '_'], ""), expected);
    }
}
