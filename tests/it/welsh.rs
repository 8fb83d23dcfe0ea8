//! Welsh letters: every word the tool writes is Welsh, dates are plain with
//! Welsh months, the inspectorate has the Welsh name of the publication
//! date, and the PDF and web page say they are in Welsh.

use std::fs;

use hmip_letter::letter::{Block, Letter, texts_of};
use hmip_letter::report::{self, DiagnosticFormat};
use hmip_letter::{Format, Options, SourceFile};

use crate::common::*;

const WELSH: &str = "caerdydd-2016-cy.yaml";

fn welsh_yaml() -> String {
    fs::read_to_string(fixture(WELSH)).unwrap()
}

/// Loads findings text, in process.
fn load_text(yaml: &str) -> hmip_letter::Loaded {
    match pipeline().load(SourceFile::new("cy.yaml", yaml), None) {
        Ok(loaded) => loaded,
        Err(e) => panic!("did not load: {e}"),
    }
}

fn compose_text(yaml: &str) -> Letter {
    pipeline().compose(&load_text(yaml), &Options::default()).unwrap()
}

/// Every word the tool writes in a letter (its findings' own text and the
/// copy list's names left out), as plain text.
fn tool_words(letter: &Letter) -> Vec<String> {
    let body: Vec<Block> = letter
        .body
        .iter()
        .filter(|b| !matches!(b, Block::Section { id: "copy_to", .. }))
        .cloned()
        .collect();
    let mut texts: Vec<String> =
        texts_of(&body).into_iter().filter(|t| t.key.is_none()).map(|t| t.to_plain()).collect();
    texts.extend(letter.header.iter().map(|row| row.label.to_plain()));
    texts.push(letter.title.to_plain());
    texts
}

#[test]
fn the_welsh_pdf_has_welsh_words_and_months_and_no_english_standard_sentence() {
    let text = collapse(&pdf_text(render_fixture(WELSH).bytes()));
    for needle in [
        "At: Siôn Ŵyn Llywelyn, Cadeirydd Bwrdd Rheoli",
        "Copi at: Gweler y rhestr gopïau ar y diwedd",
        "Oddi wrth: Alan MacDonald",
        "Dyddiad cyhoeddi: 13 Gorffennaf 2016",
        "Adroddiad ar Sgrinio Ansawdd Byr (SQS) o waith troseddu ieuenctid yng Nghaerdydd",
        "a gynhaliwyd ar 20-23 Mehefin 2016.",
        "archwiliwyd 20 o achosion dan oruchwyliaeth Gwasanaeth Troseddau Ieuenctid Caerdydd",
        "Cyd-destun",
        "Crynodeb",
        "Sylwadau ar yr arolygiad yng Nghaerdydd:",
        "Rheolaeth weithredol",
        "Cryfderau allweddol",
        "Meysydd sydd angen eu gwella",
        "Gellir cysylltu â hi drwy anfon e-bost at rhian.llyr@hmiprobation.gsi.gov.uk neu drwy ffonio 07881 012345.",
        "Tudalen 1 o 2",
        "cysylltwch â thîm cyhoeddiadau Arolygiaeth Prawf EM",
        "Gwenllian Ŷr Rhys",
        "Dylan Ŷw Roberts, Angharad Ŵyn",
    ] {
        assert!(has(&text, needle), "{needle} not in\n{text}");
    }
    // The same findings in English: none of what the tool writes there
    // (sentences, headings, labels, months) is in the Welsh letter.
    let english = compose_text(&welsh_yaml().replace("language: cy", "language: en-GB"));
    let mut pieces: Vec<String> = Vec::new();
    for words in tool_words(&english) {
        pieces.extend(words.split(". ").map(str::to_string));
    }
    pieces.extend(["June".to_string(), "July".to_string(), "Page 1 of".to_string()]);
    for piece in pieces.iter().filter(|p| p.chars().filter(|c| c.is_alphabetic()).count() >= 4) {
        assert!(!has(&text, piece), "English in the Welsh letter: {piece}");
    }
}

#[test]
fn cy_and_cy_gb_are_both_published_as_cy_gb() {
    for tag in ["cy", "cy-GB"] {
        let yaml = welsh_yaml().replace("language: cy", &format!("language: {tag}"));
        let loaded = load_text(&yaml);
        let pdf = pipeline().export(&loaded, &Options::default()).unwrap();
        let doc = lopdf::Document::load_mem(pdf.bytes()).unwrap();
        let lang = doc.catalog().unwrap().get(b"Lang").unwrap().as_str().unwrap().to_vec();
        assert_eq!(lang, b"cy-GB", "{tag}");
        let html = pipeline()
            .export(&loaded, &Options { format: Format::Html, ..Options::default() })
            .unwrap();
        let html = String::from_utf8(html.bytes().to_vec()).unwrap();
        assert!(html.contains("<html lang=\"cy-GB\">"), "{tag}");
    }
}

#[test]
fn the_welsh_name_is_the_one_of_the_publication_date() {
    for (published, name) in
        [("2022-09-07", "Arolygiaeth Prawf EM"), ("2022-09-08", "Arolygiaeth Prawf EF")]
    {
        let yaml =
            welsh_yaml().replace("published: 2016-07-13", &format!("published: {published}"));
        let letter = compose_text(&yaml);
        assert_eq!(letter.letterhead.name, name);
        assert_eq!(letter.meta.author, name);
        let words = tool_words(&letter).join(" ");
        assert!(words.contains(&format!("ar wefan {name}.")), "{words}");
        assert!(words.contains(&format!("thîm cyhoeddiadau {name} ")), "{words}");
    }
    // English letters keep the English name whatever the date.
    let english = compose_text(
        &fs::read_to_string(fixture("pairs/caerdydd-2016-en.yaml"))
            .unwrap()
            .replace("published: 2016-07-13", "published: 2023-01-10"),
    );
    assert_eq!(english.letterhead.name, "HM Inspectorate of Probation");
}

#[test]
fn without_area_in_a_welsh_letter_says_yn_area_and_warns() {
    let yaml = welsh_yaml().replace("area_in: yng Nghaerdydd\n", "");
    let loaded = load_text(&yaml);
    insta::assert_snapshot!(report::to_string(&loaded.warnings, DiagnosticFormat::Human));
    let letter = pipeline().compose(&loaded, &Options::default()).unwrap();
    assert!(letter.title.to_plain().ends_with("o waith troseddu ieuenctid yn Caerdydd"));
    // A name that does not mutate, or a form given, is no warning.
    let abertawe = welsh_yaml()
        .replace("area_in: yng Nghaerdydd\n", "")
        .replace("area: Caerdydd", "area: Abertawe");
    assert!(load_text(&abertawe).warnings.is_empty());
    assert!(load_text(&welsh_yaml()).warnings.is_empty());
}

#[test]
fn welsh_words_can_be_replaced_and_must_be_whole() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("words")).unwrap();
    let words = fs::read_to_string(root().join("templates/words/cy.yaml")).unwrap();
    let mine = dir.path().join("words/cy.yaml");
    fs::write(
        &mine,
        words.replace("name: Arolygiaeth Prawf EM", "name: Arolygiaeth Prawf Ei Mawrhydi"),
    )
    .unwrap();
    let input = fixture(WELSH);
    let args = ["render", input.to_str().unwrap(), "--format", "html", "-o", "cy.html"];
    let templates = ["--templates", dir.path().to_str().unwrap()];
    let out = run(dir.path(), &[&args[..], &templates[..]].concat(), None);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = fs::read_to_string(dir.path().join("cy.html")).unwrap();
    assert!(page.contains("<strong>Arolygiaeth Prawf Ei Mawrhydi</strong>"));

    fs::write(&mine, words.replace("summary_heading: Crynodeb\n", "")).unwrap();
    let out = run(dir.path(), &[&args[..], &templates[..]].concat(), None);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("words/cy.yaml has no phrase `summary_heading`"), "{message}");
}
