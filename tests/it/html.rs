//! The web page: the same words as the PDF, a structure a screen reader can
//! navigate, and text that is only ever text.

use hmip_letter::Format;
use hmip_letter::letter::{Inline, Letter, Text, texts_of};
use proptest::prelude::*;
use scraper::{ElementRef, Html, Selector};

use crate::common::*;

fn select(selector: &str) -> Selector {
    Selector::parse(selector).unwrap()
}

fn page_of(name: &str) -> Html {
    let rendered = render_fixture_as(name, Format::Html);
    Html::parse_document(std::str::from_utf8(rendered.bytes()).unwrap())
}

fn text_of(element: ElementRef) -> String {
    element.text().collect()
}

/// The words of the web page a reader reads as the letter: the letterhead
/// and everything in `<main>` but the draft banner and the notes, which
/// the PDF puts elsewhere (the watermark, the foot of each page).
fn page_words(page: &Html) -> String {
    let mut text = String::new();
    for part in page.select(&select("header, main > :not(.notes):not(.draft)")) {
        text.push_str(&text_of(part));
        text.push(' ');
    }
    text
}

#[test]
fn the_page_and_the_pdf_say_the_same_words() {
    for name in fixture_names() {
        let letter = letter_of(&name);
        let pdf = render_fixture(&name);
        let page = page_of(&name);
        let (pdf, html) = (squeeze(&pdf_words(pdf.bytes(), &letter)), squeeze(&page_words(&page)));
        if pdf != html {
            let at = pdf.chars().zip(html.chars()).take_while(|(a, b)| a == b).count();
            let context =
                |s: &str| s.chars().skip(at.saturating_sub(60)).take(120).collect::<String>();
            panic!(
                "{name}: the words part at character {at}\nPDF:  {}\nHTML: {}",
                context(&pdf),
                context(&html)
            );
        }
        // The paragraph numbers are words of both.
        assert!(html.contains("1.1."), "{name}");
    }
}

#[test]
fn the_outline_is_one_title_sections_and_numbered_areas() {
    let page = page_of("barnet-2014.yaml");
    let letter = letter_of("barnet-2014.yaml");
    let h1: Vec<String> = page.select(&select("h1")).map(text_of).collect();
    assert_eq!(h1, [letter.title.to_plain()]);
    let h2: Vec<String> = page.select(&select("h2")).map(text_of).collect();
    assert_eq!(
        h2,
        [
            "Context",
            "Summary",
            "Commentary on the inspection in Barnet:",
            "Operational management",
            "Key strengths",
            "Areas requiring improvement",
            "Copy to:"
        ]
    );
    let h3: Vec<String> = page.select(&select("h3")).map(text_of).collect();
    assert_eq!(
        h3,
        [
            "1. Reducing the likelihood of reoffending",
            "2. Protecting the public",
            "3. Protecting the child or young person",
            "4. Ensuring that the sentence is served"
        ]
    );
    // Every h3 follows its h2, and the areas are inside the commentary.
    assert_eq!(page.select(&select("section[aria-labelledby=commentary] h3")).count(), 4);
    let numbers: Vec<String> =
        page.select(&select(".numbered .number")).map(|n| text_of(n).trim().to_string()).collect();
    assert_eq!(numbers.len(), 6 + 7 + 6 + 3);
    assert_eq!(numbers[..3], ["1.1.", "1.2.", "1.3."]);
    assert_eq!(numbers[6], "2.1.");
    assert_eq!(page.select(&select("section[aria-labelledby=strengths] ul > li")).count(), 4);
}

#[test]
fn labels_head_their_rows() {
    let page = page_of("barnet-2014.yaml");
    let headers: Vec<String> = page.select(&select(".header-block th")).map(text_of).collect();
    assert_eq!(headers, ["To:", "Copy to:", "From:", "Publication date:"]);
    let roles = page.select(&select(".copy-list th")).count();
    assert_eq!(roles, 14, "one row per role of the copy list");
    for th in page.select(&select("th")) {
        assert_eq!(th.value().attr("scope"), Some("row"), "{}", th.html());
    }
    assert_eq!(page.select(&select("td")).count(), 4 + 14);
}

/// Every link target of a letter's text.
fn links(letter: &Letter) -> Vec<String> {
    fn walk(runs: &[Inline], out: &mut Vec<String>) {
        for run in runs {
            match run {
                Inline::Link { url, content } => {
                    out.push(url.clone());
                    walk(content, out);
                }
                Inline::Emphasis { content } | Inline::Strong { content } => walk(content, out),
                Inline::Note { body: Some(body), .. } => walk(body, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    let mut texts: Vec<&Text> = texts_of(&letter.body);
    texts.extend(letter.header.iter().flat_map(|r| [&r.label, &r.value]));
    for text in texts {
        walk(&text.runs, &mut out);
    }
    out
}

#[test]
fn the_page_stands_alone_and_says_what_it_is() {
    for name in fixture_names() {
        let page = page_of(&name);
        let letter = letter_of(&name);
        let html = page.select(&select("html")).next().unwrap();
        let language = letter.meta.language.as_str();
        assert!(["en-GB", "cy-GB"].contains(&language), "{name}: {language}");
        assert_eq!(html.value().attr("lang"), Some(language), "{name}");
        let title: Vec<String> = page.select(&select("head > title")).map(text_of).collect();
        assert_eq!(title, std::slice::from_ref(&letter.meta.document_title), "{name}");
        let description = page.select(&select("meta[name=description]")).next().unwrap();
        assert_eq!(description.value().attr("content"), Some(letter.meta.description.as_str()));
        assert_eq!(page.select(&select("meta[name=viewport]")).count(), 1, "{name}");
        assert_eq!(page.select(&select("script, link, iframe, object, embed")).count(), 0);
        let own = links(&letter);
        for a in page.select(&select("a[href]")) {
            let href = a.value().attr("href").unwrap();
            if let Some(id) = href.strip_prefix('#') {
                let target = format!("[id=\"{id}\"]");
                assert_eq!(
                    page.select(&select(&target)).count(),
                    1,
                    "{name}: {href} leads nowhere"
                );
            } else {
                assert!(
                    own.iter().any(|l| l == href),
                    "{name}: {href} is not the letter's own link"
                );
            }
        }
        for element in page.select(&select("[src]")) {
            let src = element.value().attr("src").unwrap();
            assert!(src.starts_with("data:image/"), "{name}: {src} is fetched");
        }
    }
}

#[test]
fn footnotes_link_both_ways_with_the_pdfs_numbers() {
    let page = page_of("bath-2016.yaml");
    let marks: Vec<ElementRef> = page.select(&select("sup > a.note-ref")).collect();
    assert_eq!(marks.len(), 2, "the note is used twice");
    for mark in &marks {
        assert_eq!(mark.value().attr("href"), Some("#note-1"));
        assert_eq!(text_of(*mark), "1");
    }
    assert_eq!(
        marks[0].value().attr("id"),
        Some("note-ref-1"),
        "the first mark is where notes lead back to"
    );
    let notes: Vec<ElementRef> = page.select(&select(".notes li")).collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].value().attr("id"), Some("note-1"));
    let back = notes[0].select(&select("a")).next().unwrap();
    assert_eq!(back.value().attr("href"), Some("#note-ref-1"));
    assert!(text_of(notes[0]).starts_with("The reoffending rate that was available"));
    // The PDF prints the same note with the same number.
    let pdf = collapse(&pdf_text(render_fixture("bath-2016.yaml").bytes()));
    assert!(has(&pdf, "1 The reoffending rate that was available during the fieldwork"));
}

#[test]
fn drafts_say_so_in_the_title_and_a_banner() {
    let page = page_of("wrexham-2016.yaml");
    let title = page.select(&select("title")).next().map(text_of).unwrap();
    assert!(title.starts_with("DRAFT: Report of Short Quality Screening"), "{title}");
    let banner: Vec<String> = page.select(&select("main > .draft")).map(text_of).collect();
    assert_eq!(banner.len(), 1);
    assert!(banner[0].starts_with("DRAFT"), "{banner:?}");
    let logo = page.select(&select("header img")).next().unwrap();
    assert_eq!(logo.value().attr("alt"), Some("HM Inspectorate of Probation"));
    assert!(logo.value().attr("src").unwrap().starts_with("data:image/svg+xml;base64,"));
    assert_eq!(page_of("barnet-2014.yaml").select(&select(".draft")).count(), 0);
}

#[test]
fn the_same_findings_give_the_same_page() {
    let a = render_fixture_as("wrexham-2016.yaml", Format::Html);
    let b = render_fixture_as("wrexham-2016.yaml", Format::Html);
    assert!(a.bytes() == b.bytes());
}

#[test]
fn one_snapshot_of_each_page() {
    insta::glob!("../../fixtures", "*.yaml", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let rendered = render_fixture_as(name, Format::Html);
        insta::assert_snapshot!(String::from_utf8(rendered.bytes().to_vec()).unwrap());
    });
}

/// Pieces that mean something in HTML, Markdown or templates.
pub(crate) fn html_awkward() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<"),
        Just(">"),
        Just("&"),
        Just("\""),
        Just("'"),
        Just("<script>alert(1)</script>"),
        Just("<script>"),
        Just("</p>"),
        Just("<b>"),
        Just("<!--"),
        Just("-->"),
        Just("<![CDATA["),
        Just("&amp;"),
        Just("&lt;"),
        Just("&#39;"),
        Just("&nbsp;"),
        Just("<img src=x onerror=alert(1)>"),
        Just("<a href=\"https://evil.example\">"),
        Just("{{ letter }}"),
        Just("{%"),
        Just("*"),
        Just("_"),
        Just("`"),
        Just("\\"),
        Just("["),
        Just("]"),
        Just("\n"),
        Just(" "),
        Just("ŵ"),
        Just("Київ"),
    ]
    .prop_map(str::to_string)
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![3 => html_awkward(), 2 => "[A-Za-z0-9]{1,8}"], 1..24)
        .prop_map(|pieces| pieces.concat())
        .prop_filter("not blank", |s| !s.trim().is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_is_text_on_the_page(text in paragraph(), language in prop_oneof![Just("en-GB"), Just("cy")]) {
        let file = hmip_letter::SourceFile::new("prop.yaml", letter_with(&text, language));
        let loaded = pipeline().load(file, None).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let rendered = pipeline()
            .export(&loaded, &hmip_letter::Options { format: Format::Html, ..Default::default() })
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let page = Html::parse_document(std::str::from_utf8(rendered.bytes()).unwrap());
        let summary: Vec<ElementRef> = page.select(&select("section[aria-labelledby=summary] > p")).collect();
        prop_assert_eq!(summary.len(), 3, "the paragraph stays one paragraph: {:?}", text);
        prop_assert_eq!(text_of(summary[0]), BEFORE);
        prop_assert_eq!(text_of(summary[2]), AFTER);
        for element in summary[1].descendants().filter_map(ElementRef::wrap) {
            let tag = element.value().name();
            prop_assert!(matches!(tag, "p" | "em" | "strong"), "<{}> from {:?}", tag, text);
        }
        // What the format promises: the text as written, less emphasis marks,
        // with line breaks as spaces.
        let expected = text.replace(['*', '_'], "").replace('\n', " ");
        prop_assert_eq!(text_of(summary[1]).replace(['*', '_'], ""), expected);
    }
}

#[test]
fn render_writes_the_page_alone_in_a_batch_and_in_watch() {
    use std::fs;
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("bath-2016.yaml"), dir.path().join("bath.yaml")).unwrap();
    let out = run(dir.path(), &["render", "bath.yaml", "--format", "html"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let single = fs::read(dir.path().join("bath.html")).unwrap();
    assert!(single.starts_with(b"<!doctype html>"));

    fs::create_dir(dir.path().join("in")).unwrap();
    for name in ["barnet-2014.yaml", "bath-2016.yaml"] {
        fs::copy(fixture(name), dir.path().join("in").join(name)).unwrap();
    }
    let out = run(dir.path(), &["render", "in", "--format", "html", "-o", "web"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(files_in(&dir.path().join("web")), ["barnet-2014.html", "bath-2016.html"]);
    assert!(fs::read(dir.path().join("web/bath-2016.html")).unwrap() == single);

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hmip-letter"))
        .args(["watch", "bath.yaml", "--format", "html", "-o", "watched.html"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let watched = dir.path().join("watched.html");
    let started = std::time::Instant::now();
    while fs::read(&watched).map_or(true, |page| page != single) {
        assert!(started.elapsed().as_secs() < 20, "watch wrote no page");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_shared_words_are_overridden_in_both_outputs() {
    use std::fs;
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("t/words")).unwrap();
    let words = fs::read_to_string(root().join("templates/words/en.yaml")).unwrap();
    fs::write(
        dir.path().join("t/words/en.yaml"),
        words.replace("strengths_heading: Key strengths", "strengths_heading: What went well"),
    )
    .unwrap();
    fs::copy(fixture("bath-2016.yaml"), dir.path().join("b.yaml")).unwrap();
    for format in ["pdf", "html"] {
        let out =
            run(dir.path(), &["render", "b.yaml", "--templates", "t", "--format", format], None);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let pdf = pdf_text(&fs::read(dir.path().join("b.pdf")).unwrap());
    assert!(has(&pdf, "What went well") && !has(&pdf, "Key strengths"), "{pdf}");
    let page = fs::read_to_string(dir.path().join("b.html")).unwrap();
    assert!(page.contains("<h2 id=\"strengths\">What went well</h2>"), "{page}");

    // A words file without a phrase is refused, naming the phrase and file.
    fs::write(
        dir.path().join("t/words/en.yaml"),
        words.replace("strengths_heading: Key strengths\n", ""),
    )
    .unwrap();
    let out = run(dir.path(), &["render", "b.yaml", "--templates", "t", "-o", "x.pdf"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("t/words/en.yaml has no phrase `strengths_heading`"), "{err}");
    assert!(!dir.path().join("x.pdf").exists());
}
