//! `hmip-letter comments`: what a reviewer says in the returned Word
//! document comes back at its place in the letter and its line in the
//! findings file, whoever saved the document last; and what is not a
//! returned draft is refused, boundedly, with nothing written.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::*;
use crate::word::{docx_of, part, zip_of};

/// Barnet's draft as `render --format docx --draft` writes it.
fn draft(dir: &Path) -> Vec<u8> {
    fs::copy(fixture("barnet-2014.yaml"), dir.join("barnet.yaml")).unwrap();
    let out = run(
        dir,
        &["render", "barnet.yaml", "--format", "docx", "--draft", "-o", "draft.docx"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    fs::read(dir.join("draft.docx")).unwrap()
}

/// The line and column where `text` starts in Barnet's findings file.
fn line_of(text: &str) -> String {
    let findings = fs::read_to_string(fixture("barnet-2014.yaml")).unwrap();
    let at = findings.find(text).unwrap_or_else(|| panic!("{text} is not in the findings"));
    let before = &findings[..at];
    let line = before.matches('\n').count() + 1;
    let column = at - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    format!("barnet.yaml:{line}:{column}")
}

/// Comments a reviewer adds with python-docx, at paragraphs found by
/// their words: the commentary, the summary, a copy-list role, a header
/// value, the letterhead.
const ADD_COMMENTS: &str = r#"
import sys, docx
d = docx.Document(sys.argv[1])
def find(start):
    return next(p for p in d.paragraphs if p.text.startswith(start))
d.add_comment(find("1.3.").runs[-1], text="Twelve of the 14 PSRs were good.", author="Jane Smith", initials="JS")
d.add_comment(find("Overall, we found").runs, text="Please say <significant> & 'sustained'.", author="Ravi Patel")
d.add_comment(d.tables[1].rows[2].cells[0].paragraphs[0].runs, text="This post is now vacant.", author="Jane Smith")
d.add_comment(d.tables[0].rows[3].cells[1].paragraphs[0].runs, text="Publication moved to 17 July.", author="Ravi Patel")
d.add_comment(d.paragraphs[0].runs, text="The address is old.", author="Ravi Patel")
d.save(sys.argv[2])
"#;

fn expected_comments() -> Vec<String> {
    vec![
        "draft.docx: letterhead: Ravi Patel: The address is old.".to_string(),
        format!(
            "{}: header: Publication date: Ravi Patel: Publication moved to 17 July.",
            line_of("2014-07-16")
        ),
        format!(
            "{}: Summary, paragraph 1: Ravi Patel: Please say <significant> & 'sustained'.",
            line_of("Overall, we found")
        ),
        format!(
            "{}: 1.3: Jane Smith: Twelve of the 14 PSRs were good.",
            line_of("Nearly all PSRs offered")
        ),
        format!(
            "{}: Copy to: Director of Children's Services: Jane Smith: This post is now vacant.",
            line_of("Director of Children's Services")
        ),
    ]
}

fn short(dir: &Path, document: &str) -> (Option<i32>, Vec<String>) {
    let out = run(
        dir,
        &["comments", document, "--findings", "barnet.yaml", "--diagnostic-format", "short"],
        None,
    );
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.replace(document, "draft.docx"))
        .collect();
    (out.status.code(), lines)
}

fn python_docx() -> Option<String> {
    let python = python();
    external("python-docx", runs(&python, &["-c", "import docx"])).then_some(python)
}

#[test]
fn comments_added_with_python_docx_come_back_at_their_places() {
    let Some(python) = python_docx() else { return };
    let dir = tempfile::tempdir().unwrap();
    draft(dir.path());
    let out = Command::new(&python)
        .args(["-c", ADD_COMMENTS, "draft.docx", "returned.docx"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, lines) = short(dir.path(), "returned.docx");
    assert_eq!(code, Some(1), "points to answer");
    assert_eq!(lines, expected_comments());

    // Without the findings, the same places, at the document.
    let out = run(dir.path(), &["comments", "returned.docx", "--diagnostic-format", "short"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("returned.docx: 1.3: Jane Smith: Twelve of the 14 PSRs were good.\n"),
        "{text}"
    );

    // Saved again by LibreOffice, which rewrites the XML and renumbers ids.
    if external("LibreOffice (soffice)", runs("soffice", &["--version"])) {
        let profile = format!("-env:UserInstallation=file://{}/profile", dir.path().display());
        let out = Command::new("soffice")
            .args([
                profile.as_str(),
                "--headless",
                "--convert-to",
                "docx",
                "--outdir",
                "resaved",
                "returned.docx",
            ])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let (code, lines) = short(dir.path(), "resaved/returned.docx");
        assert_eq!(code, Some(1));
        assert_eq!(lines, expected_comments(), "the same comments after LibreOffice");
    }
}

/// The parts of a draft, with `word/document.xml` (and any other part
/// named) replaced.
fn with_parts(document: &[u8], replaced: &[(&str, String)]) -> Vec<u8> {
    let names = [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/core.xml",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/settings.xml",
        "word/numbering.xml",
        "word/footnotes.xml",
        "word/_rels/footnotes.xml.rels",
        "word/header2.xml",
        "word/footer1.xml",
    ];
    let mut parts: Vec<(String, Vec<u8>)> =
        names.iter().map(|n| (n.to_string(), part(document, n).into_bytes())).collect();
    for (name, text) in replaced {
        match parts.iter_mut().find(|(n, _)| n == name) {
            Some(part) => part.1 = text.clone().into_bytes(),
            None => parts.push((name.to_string(), text.clone().into_bytes())),
        }
    }
    let borrowed: Vec<(&str, &[u8])> =
        parts.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    zip_of(&borrowed)
}

/// A reviewer's change in Word's XML: `old` deleted and `new` inserted
/// where `old` is in the run of `words`.
fn tracked(xml: &str, words: &str, old: &str, new: &str, id: u32) -> String {
    let run_start = xml.find(words).unwrap_or_else(|| panic!("no {words}"));
    let text_start = xml[..run_start].rfind("<w:r>").unwrap();
    let text_end = run_start + xml[run_start..].find("</w:r>").unwrap() + "</w:r>".len();
    let run = &xml[text_start..text_end];
    let inner = run.split_once("\">").unwrap().1.split_once("</w:t>").unwrap().0;
    let (before, after) = inner.split_once(old).unwrap();
    let plain = |text: &str| format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>");
    let who = "w:author=\"Ravi Patel\" w:date=\"2026-01-05T10:00:00Z\"";
    let mut change = String::new();
    if !old.is_empty() {
        change.push_str(&format!(
            "<w:del w:id=\"{id}\" {who}><w:r><w:delText>{old}</w:delText></w:r></w:del>"
        ));
    }
    if !new.is_empty() {
        change.push_str(&format!(
            "<w:ins w:id=\"{}\" {who}><w:r><w:t>{new}</w:t></w:r></w:ins>",
            id + 1
        ));
    }
    format!("{}{}{change}{}{}", &xml[..text_start], plain(before), plain(after), &xml[text_end..])
}

#[test]
fn tracked_changes_come_back_as_changed_words_at_their_places() {
    let dir = tempfile::tempdir().unwrap();
    let document = draft(dir.path());
    let mut xml = part(&document, "word/document.xml");
    xml = tracked(&xml, "In nearly all cases, there had been", "nearly all", "most", 901);
    xml = tracked(&xml, "Overall, we found that", "significant ", "", 903);
    xml = tracked(&xml, "The YOT had ensured that", "", "very ", 905);
    fs::write(
        dir.path().join("changed.docx"),
        with_parts(&document, &[("word/document.xml", xml)]),
    )
    .unwrap();
    let (code, lines) = short(dir.path(), "changed.docx");
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        [
            format!(
                "{}: Summary, paragraph 1: Ravi Patel: [-significant-]",
                line_of("Overall, we found")
            ),
            format!(
                "{}: 2.1: Ravi Patel: [-nearly all-]{{+most+}}",
                line_of("In nearly all cases")
            ),
            format!(
                "{}: Key strengths, item 1: Ravi Patel: {{+very+}}",
                line_of("The YOT had ensured")
            ),
        ]
    );

    // The response table has the draft's words, the change and an empty answer.
    let out = run(dir.path(), &["comments", "changed.docx", "--format", "csv"], None);
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some(
            "\"Place\",\"Draft text\",\"Comment or proposed change\",\"Who\",\"Inspectorate response\""
        )
    );
    let row = rows.nth(1).unwrap();
    assert!(row.starts_with("\"2.1\",\"2.1. In nearly all cases, there had been"), "{row}");
    assert!(row.ends_with(",\"[-nearly all-]{+most+}\",\"Ravi Patel, 2026-01-05\",\"\""), "{row}");
}

#[test]
fn a_place_whose_bookmark_is_gone_is_guessed_and_said_to_be() {
    let dir = tempfile::tempdir().unwrap();
    let document = draft(dir.path());
    let mut xml = part(&document, "word/document.xml");
    for name in ["p1_3", "summary_1"] {
        let at = xml.find(&format!("w:name=\"{name}\"")).unwrap();
        let start = xml[..at].rfind("<w:bookmarkStart").unwrap();
        let end = at + xml[at..].find("/>").unwrap() + 2;
        xml.replace_range(start..end, "");
    }
    xml = tracked(&xml, "Nearly all PSRs offered", "Nearly all", "All", 901);
    xml = tracked(&xml, "Overall, we found that", "significant ", "", 903);
    // A paragraph of the reviewer's own, outside the letter's places.
    let end = xml.find("<w:sectPr>").unwrap();
    xml.insert_str(
        end,
        "<w:p><w:r><w:t>Reviewer's note</w:t></w:r><w:ins w:id=\"990\" w:author=\"Jane Smith\"><w:r><w:t> added</w:t></w:r></w:ins></w:p>",
    );
    fs::write(dir.path().join("moved.docx"), with_parts(&document, &[("word/document.xml", xml)]))
        .unwrap();
    let (code, lines) = short(dir.path(), "moved.docx");
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        [
            format!("{}: Summary, paragraph 1 (a guess): Ravi Patel: [-significant-]", line_of("Overall, we found")),
            format!("{}: 1.3 (a guess): Ravi Patel: [-Nearly all-]{{+All+}}", line_of("Nearly all PSRs offered")),
            "draft.docx: outside the letter's paragraphs: \"Reviewer's note\": Jane Smith: {+added+}".to_string(),
        ]
    );
}

#[test]
fn a_draft_with_nothing_to_answer_exits_0_and_the_tables_are_empty() {
    let dir = tempfile::tempdir().unwrap();
    draft(dir.path());
    let out = run(dir.path(), &["comments", "draft.docx", "--findings", "barnet.yaml"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("no comments or changes to answer"));
    let out = run(dir.path(), &["comments", "draft.docx", "--format", "json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["points"], serde_json::json!([]));
}

/// A comment of the reviewer's, in `word/comments.xml`, anchored to the
/// run of `words`.
fn commented(document: &[u8], words: &str, comments: &[(&str, &str)]) -> Vec<u8> {
    commented_in(document, "word/document.xml", words, comments)
}

/// The same in any part: the body or the footnotes.
fn commented_in(document: &[u8], name: &str, words: &str, comments: &[(&str, &str)]) -> Vec<u8> {
    let mut xml = part(document, name);
    let at = xml.find(words).unwrap();
    let run = xml[..at].rfind("<w:r>").unwrap();
    let end = at + xml[at..].find("</w:r>").unwrap() + "</w:r>".len();
    let mut body = String::new();
    let mut starts = String::new();
    let mut ends = String::new();
    for (i, (who, text)) in comments.iter().enumerate() {
        ends.push_str(&format!(
            "<w:commentRangeEnd w:id=\"{i}\"/><w:r><w:commentReference w:id=\"{i}\"/></w:r>"
        ));
        starts.push_str(&format!("<w:commentRangeStart w:id=\"{i}\"/>"));
        body.push_str(&format!(
            "<w:comment w:id=\"{i}\" w:author=\"{}\" w:date=\"2026-01-05T10:00:00Z\"><w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:comment>",
            escape(who),
            escape(text)
        ));
    }
    xml.insert_str(end, &ends);
    xml.insert_str(run, &starts);
    let comments_xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">{body}</w:comments>"
    );
    with_parts(document, &[(name, xml), ("word/comments.xml", comments_xml)])
}

#[test]
fn a_comment_on_a_footnote_is_at_the_footnote() {
    let dir = tempfile::tempdir().unwrap();
    let document = docx_of("bath-2016.yaml");
    let note = "The reoffending rate that was available";
    let returned = commented_in(
        &document,
        "word/footnotes.xml",
        note,
        &[("Jo Farrar", "It was published in February.")],
    );
    fs::write(dir.path().join("bath.docx"), returned).unwrap();
    let out = run(dir.path(), &["comments", "bath.docx", "--diagnostic-format", "short"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "bath.docx: footnote 1: Jo Farrar: It was published in February.\n"
    );
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[test]
fn a_reviewers_words_are_only_ever_text_in_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let document = draft(dir.path());
    let hostile = [
        ("<script>alert(1)</script>", "</td></tr></table><h1>x</h1> &amp; ]]> &#0;"),
        ("Ravi \"Quote\", Patel", "=HYPERLINK(\"https://evil.example\")\nsecond line"),
        ("<w:t>", "{{ letter }} #set page(width: 1cm) </w:t></w:r></w:p><w:p>"),
    ];
    fs::write(
        dir.path().join("hostile.docx"),
        commented(&document, "Nearly all PSRs offered", &hostile),
    )
    .unwrap();

    let out = run(dir.path(), &["comments", "hostile.docx", "--format", "json"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let points = json["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    for (point, (who, text)) in points.iter().zip(hostile) {
        assert_eq!(point["who"], who);
        assert_eq!(point["text"], text);
        assert_eq!(point["place"]["label"], "1.3");
    }

    let out = run(
        dir.path(),
        &["comments", "hostile.docx", "--format", "html", "-o", "table.html"],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let page = fs::read_to_string(dir.path().join("table.html")).unwrap();
    let html = scraper::Html::parse_document(&page);
    let cells = scraper::Selector::parse("tbody tr").unwrap();
    let rows: Vec<_> = html.select(&cells).collect();
    assert_eq!(rows.len(), 3, "one row a point, whatever the words say");
    assert!(!page.contains("<script>") && !page.contains("<h1>x</h1>"));
    let headers = scraper::Selector::parse("thead th[scope=col]").unwrap();
    let headers: Vec<String> = html.select(&headers).map(|h| h.text().collect()).collect();
    assert_eq!(
        headers,
        ["Place", "Draft text", "Comment or proposed change", "Who", "Inspectorate response"]
    );
    let row_headers = scraper::Selector::parse("tbody th[scope=row]").unwrap();
    assert_eq!(html.select(&row_headers).count(), 3);
    let text: String = rows[0].text().collect();
    assert!(text.contains("</td></tr></table><h1>x</h1> &amp; ]]> &#0;"), "{text}");

    let out = run(dir.path(), &["comments", "hostile.docx", "--format", "csv"], None);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.contains("\"Ravi \"\"Quote\"\", Patel, 2026-01-05\""), "{csv}");
    assert_eq!(
        csv.lines().count(),
        1 + 3 + 1,
        "a header, three rows, one with a line break inside"
    );

    let out = run(
        dir.path(),
        &["comments", "hostile.docx", "--format", "docx", "-o", "table.docx"],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let table = fs::read(dir.path().join("table.docx")).unwrap();
    let body = part(&table, "word/document.xml");
    let xml = roxmltree::Document::parse(&body).expect("the table is XML");
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    assert_eq!(
        xml.descendants().filter(|n| n.has_tag_name((w, "tr"))).count(),
        4,
        "a header row and three"
    );
    assert!(xml.descendants().any(|n| n.has_tag_name((w, "tblHeader"))), "the header row repeats");
    let words: String =
        xml.descendants().filter(|n| n.has_tag_name((w, "t"))).filter_map(|n| n.text()).collect();
    assert!(
        words.contains("{{ letter }} #set page(width: 1cm) </w:t></w:r></w:p><w:p>"),
        "{words}"
    );
    assert!(words.contains("Inspectorate response"));
}

/// What is refused: exit 2, a message naming the file and why, and nothing
/// written, quickly.
fn refused(dir: &Path, name: &str, bytes: &[u8], why: &str) {
    fs::write(dir.join(name), bytes).unwrap();
    let started = std::time::Instant::now();
    let out = run(dir, &["comments", name, "--format", "csv", "-o", "table.csv"], None);
    assert!(started.elapsed().as_secs() < 10, "{name}: bounded time");
    assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("cannot read {name} as a Word document")), "{err}");
    assert!(err.contains(why), "{name}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.join("table.csv").exists(), "{name}: nothing written");
}

#[test]
fn what_is_not_a_returned_draft_is_refused_with_nothing_written() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let document = draft(dir.path());
    refused(dir.path(), "notes.docx", b"These are my notes, not a document.", "not a zip");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    refused(dir.path(), "locked.docx", &ole, "encrypted");
    refused(dir.path(), "cut.docx", &document[..document.len() / 2], "cut short");
    refused(dir.path(), "zip.docx", &zip_of(&[("a.txt", b"a")]), "no word/document.xml");

    // A bomb: a part that inflates a thousand times.
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![b'<'; 16 * 1024 * 1024]).unwrap();
    let bomb = deflated_zip("word/document.xml", &encoder.finish().unwrap(), 16 * 1024 * 1024);
    refused(dir.path(), "bomb.docx", &bomb, "zip bomb");

    // Entities, internal (which could expand) or external (which could read files).
    let xml = part(&document, "word/document.xml");
    let entity = xml.replacen(
        "<w:document",
        "<!DOCTYPE w:document [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><w:document",
        1,
    );
    refused(
        dir.path(),
        "entity.docx",
        &with_parts(&document, &[("word/document.xml", entity)]),
        "DTD",
    );
    let external = xml.replacen(
        "<w:document",
        "<!DOCTYPE w:document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><w:document",
        1,
    );
    refused(
        dir.path(),
        "external.docx",
        &with_parts(&document, &[("word/document.xml", external)]),
        "DTD",
    );
    refused(
        dir.path(),
        "broken.docx",
        &with_parts(&document, &[("word/document.xml", "<w:document".into())]),
        "not well-formed XML",
    );

    // Ten thousand comments: more than any check makes.
    let many: Vec<(&str, &str)> = (0..10_000).map(|_| ("Jane", "Again.")).collect();
    refused(
        dir.path(),
        "many.docx",
        &commented(&document, "Nearly all PSRs offered", &many),
        "more than 5000 comments",
    );
}

/// A zip of one deflated part, its sizes as given.
pub(crate) fn deflated_zip(name: &str, data: &[u8], size: u32) -> Vec<u8> {
    let mut zip = zip_of(&[(name, data)]);
    // Mark the entry deflated, with its uncompressed size, in both headers.
    let local = 0;
    zip[local + 8..local + 10].copy_from_slice(&8u16.to_le_bytes());
    zip[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
    let central = zip.windows(4).rposition(|w| w == [0x50, 0x4b, 0x01, 0x02]).unwrap();
    zip[central + 10..central + 12].copy_from_slice(&8u16.to_le_bytes());
    zip[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
    zip
}

#[test]
fn a_fixtures_draft_reads_back_with_no_points() {
    // Every fixture's document, as written, is a returned draft with nothing in it.
    let dir = tempfile::tempdir().unwrap();
    for name in fixture_names() {
        let file = name.replace(".yaml", ".docx");
        fs::write(dir.path().join(&file), docx_of(&name)).unwrap();
        let out = run(dir.path(), &["comments", &file], None);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
    }
}
