//! `hmip-letter import`: published letters read back into findings files
//! whose render is the same letter.

use std::time::{Duration, Instant};

use std::path::Path;
use std::process::Command;

use hmip_letter::{Format, Options, SourceFile};
use proptest::prelude::*;

use crate::common::*;
use crate::word::{docx_of, zip_of};

/// A fixture's PDF, imported in process, then rendered again.
fn round_trip(pdf: &[u8], name: &str) -> (String, Vec<u8>) {
    let imported = pipeline().import(name, pdf, "imported.yaml").unwrap();
    let errors: Vec<String> =
        imported.problems.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}");
    let again = render_text("imported.yaml", &imported.yaml)
        .unwrap_or_else(|e| panic!("{name}: the import does not render: {e}\n{}", imported.yaml));
    (imported.yaml, again.bytes().to_vec())
}

/// The fixtures whose letter says everything their findings say: all but
/// Torbay, whose own opening, Context and closing leave out the team, the
/// number of cases and the lead inspector (tested below), and Wrexham,
/// whose logo is a file beside the findings (tested below).
const SELF_CONTAINED: &[&str] =
    &["barnet-2014.yaml", "bath-2016.yaml", "caerdydd-2016-cy.yaml", "gwynedd-2015.yaml"];

#[test]
fn every_fixture_round_trips_through_its_pdf_to_the_same_bytes() {
    for name in SELF_CONTAINED {
        let pdf = render_fixture(name);
        let (yaml, again) = round_trip(pdf.bytes(), name);
        assert!(again == pdf.bytes(), "{name}: the import renders another PDF:\n{yaml}");
        let unsure = yaml.lines().filter(|l| l.trim_start().starts_with("# import:")).count();
        assert_eq!(unsure, 0, "{name}: nothing should be unsure:\n{yaml}");
    }
}

#[test]
fn every_fixture_round_trips_through_its_word_document_to_the_same_bytes() {
    for name in SELF_CONTAINED {
        let docx = docx_of(name);
        let file = name.replace(".yaml", ".docx");
        let (yaml, again) = round_trip(&docx, &file);
        assert!(
            again == render_fixture(name).bytes(),
            "{file}: the import renders another PDF:\n{yaml}"
        );
        let unsure = yaml.lines().filter(|l| l.trim_start().starts_with("# import:")).count();
        assert_eq!(unsure, 0, "{file}: nothing should be unsure:\n{yaml}");
    }
    // The draft mark is in the page header, the logo's alt text in its
    // picture.
    let imported =
        pipeline().import("wrexham.docx", &docx_of("wrexham-2016.yaml"), "w.yaml").unwrap();
    assert!(imported.yaml.contains("status: draft"), "{}", imported.yaml);
    assert!(
        imported.yaml.contains("#   alt: \"HM Inspectorate of Probation\""),
        "{}",
        imported.yaml
    );
    // Torbay's letter lacks what it lacks in the PDF too.
    let imported =
        pipeline().import("torbay.docx", &docx_of("torbay-2015.yaml"), "t.yaml").unwrap();
    let errors: Vec<String> =
        imported.problems.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    assert!(errors.join("\n").contains("does not name the lead inspector"), "{errors:#?}");
    assert!(errors.join("\n").contains("torbay.docx (its text):"), "{errors:#?}");
}

/// LibreOffice, with a profile of its own in `dir`.
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
fn a_word_document_saved_again_by_libreoffice_imports_to_the_same_letter() {
    if !external("LibreOffice (soffice)", runs("soffice", &["--version"])) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for name in SELF_CONTAINED {
        let file = name.replace(".yaml", ".docx");
        std::fs::write(dir.path().join(&file), docx_of(name)).unwrap();
        files.push(file);
    }
    let mut args = vec!["--convert-to", "docx", "--outdir", "resaved"];
    args.extend(files.iter().map(String::as_str));
    let out = soffice(dir.path(), &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (name, file) in SELF_CONTAINED.iter().zip(&files) {
        let resaved = std::fs::read(dir.path().join("resaved").join(file)).unwrap();
        assert!(resaved != docx_of(name), "{file}: LibreOffice wrote it again");
        let (yaml, again) = round_trip(&resaved, file);
        assert!(
            again == render_fixture(name).bytes(),
            "{file}: another PDF after LibreOffice:\n{yaml}"
        );
    }
}

/// Chromium, headless, printing a page to a PDF with no header or footer
/// of its own.
fn chromium_pdf(dir: &Path, html: &Path) -> Vec<u8> {
    let pdf = dir.join("printed.pdf");
    let _ = std::fs::remove_file(&pdf);
    let out = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", dir.join("chromium").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(&pdf).unwrap()
}

#[test]
fn a_pdf_a_browser_printed_from_the_web_page_imports_to_the_same_letter() {
    if !external("Chromium", runs("chromium", &["--version"])) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in SELF_CONTAINED {
        let html = dir.path().join(name.replace(".yaml", ".html"));
        std::fs::write(&html, render_fixture_as(name, Format::Html).bytes()).unwrap();
        let pdf = chromium_pdf(dir.path(), &html);
        let file = name.replace(".yaml", "-chromium.pdf");
        let (yaml, again) = round_trip(&pdf, &file);
        // And the proof reads the same words (its notes at the end read as
        // the footnotes they are).
        std::fs::write(dir.path().join(&file), &pdf).unwrap();
        let out = run(dir.path(), &["import", "--check", &file], None);
        assert!(
            out.status.success(),
            "{file}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        );
        assert!(
            again == render_fixture(name).bytes(),
            "{file}: the import renders another PDF:\n{yaml}"
        );
    }
    // The web page's draft banner is the draft mark.
    let html = dir.path().join("wrexham.html");
    std::fs::write(&html, render_fixture_as("wrexham-2016.yaml", Format::Html).bytes()).unwrap();
    let pdf = chromium_pdf(dir.path(), &html);
    let imported = pipeline().import("wrexham-chromium.pdf", &pdf, "w.yaml").unwrap();
    assert!(imported.yaml.contains("\nstatus: draft\n"), "{}", imported.yaml);
}

#[test]
fn bad_word_documents_are_refused_with_a_reason_and_nothing_written() {
    use std::io::Write;
    refused("notes.docx", b"These are my notes, not a document.", "not a zip");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    refused("locked.docx", &ole, "encrypted");
    let docx = docx_of("bath-2016.yaml");
    refused("cut.docx", &docx[..docx.len() / 2], "cut short");
    refused("zip.docx", &zip_of(&[("a.txt", b"a")]), "no word/document.xml");
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![b'<'; 16 * 1024 * 1024]).unwrap();
    let bomb = crate::comments::deflated_zip(
        "word/document.xml",
        &encoder.finish().unwrap(),
        16 * 1024 * 1024,
    );
    refused("bomb.docx", &bomb, "zip bomb");
    let minutes = "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>Minutes of the meeting</w:t></w:r></w:p></w:body></w:document>";
    let other = zip_of(&[("word/document.xml", minutes.as_bytes())]);
    refused("minutes.docx", &other, "is not a Short Quality Screening letter");
    // Sniffed by its content, whatever its name says.
    refused("minutes.pdf.txt", &other, "is not a Short Quality Screening letter");
    let entity = minutes.replacen(
        "<w:document",
        "<!DOCTYPE w:document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><w:document",
        1,
    );
    refused("entity.docx", &zip_of(&[("word/document.xml", entity.as_bytes())]), "DTD");
}

#[test]
fn a_folder_of_word_documents_imports_and_the_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    std::fs::write(letters.join("bath.docx"), docx_of("bath-2016.yaml")).unwrap();
    std::fs::write(letters.join("barnet.pdf"), render_fixture("barnet-2014.yaml").bytes()).unwrap();
    let out = run(dir.path(), &["import", "letters", "-o", "found"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(files_in(&dir.path().join("found")), ["barnet.yaml", "bath.yaml"]);
    let out = run(dir.path(), &["import", "--check", "letters/bath.docx"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("render to the same words"), "{}", stderr(&out));
}

#[test]
fn a_letter_with_a_logo_round_trips_once_the_logo_file_is_named() {
    let name = "wrexham-2016.yaml";
    let pdf = render_fixture(name);
    let imported = pipeline().import(name, pdf.bytes(), "imported.yaml").unwrap();
    assert!(imported.yaml.contains("status: draft"), "the draft mark is seen");
    // The logo is not dropped silently: its alt text is in a comment.
    let logo = imported.problems.iter().find(|d| d.message.starts_with("the letter has a logo"));
    assert!(logo.is_some_and(|d| !d.is_error()), "{:?}", imported.problems);
    assert!(
        imported.yaml.contains("#   alt: \"HM Inspectorate of Probation\""),
        "{}",
        imported.yaml
    );
    let with_logo = imported.yaml.replacen(
        "\nto:\n",
        "\nlogo:\n  file: hmip-logo.svg\n  alt: HM Inspectorate of Probation\nto:\n",
        1,
    );
    let file = SourceFile::new("wrexham-imported.yaml", with_logo);
    let loaded = pipeline().load(file, Some(root().join("fixtures"))).unwrap();
    let again = pipeline().export(&loaded, &Options::default()).unwrap();
    assert!(again.bytes() == pdf.bytes(), "Wrexham renders another PDF");
}

#[test]
fn the_reference_letters_text_imports_to_the_barnet_letter() {
    let text = std::fs::read(root().join("tests/reference/barnet-sqs-2014.txt")).unwrap();
    let (yaml, again) = round_trip(&text, "barnet-sqs-2014.txt");
    // The reference is the Barnet letter word for word: its render is the
    // fixture's render, byte for byte, so it has exactly the reference's
    // words, paragraph numbers and copy list.
    assert!(again == render_fixture("barnet-2014.yaml").bytes(), "{yaml}");
    let text = pdf_text(&again);
    for needle in [
        "1.6. There were several custodial cases",
        "4.3. Managers had recently",
        "YJB link staff Malcolm Potter, Paula Williams, Linda Paris",
    ] {
        assert!(has(&text, needle), "{needle}");
    }
    // What the tool writes for itself is left to it.
    for key in ["\nintro:", "\ncontext:", "\nclosing:"] {
        assert!(!yaml.contains(key), "{key} should be the standard words");
    }
    assert!(yaml.contains("  phone: \"07771527326\"\n"), "{yaml}");
    assert!(yaml.contains("  pronoun: he\n"), "{yaml}");
    assert!(yaml.contains("  cases: 20\n"), "{yaml}");
}

#[test]
fn the_findings_file_reads_as_a_person_would_write_it() {
    let pdf = render_fixture("bath-2016.yaml");
    let (yaml, _) = round_trip(pdf.bytes(), "bath-2016.pdf");
    let starter = std::fs::read_to_string(root().join("templates/starter.yaml")).unwrap();
    // The starter's keys, in its order, with its comments.
    let keys = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with([' ', '#', '-']) && l.contains(':'))
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect()
    };
    let ours = keys(&yaml);
    let theirs: Vec<String> = keys(&starter).into_iter().filter(|k| ours.contains(k)).collect();
    assert_eq!(ours.iter().filter(|k| theirs.contains(k)).cloned().collect::<Vec<_>>(), theirs);
    assert!(yaml.contains("# How many cases were examined, in figures.\n  cases: 16\n"), "{yaml}");
    assert!(yaml.lines().all(|l| l.chars().count() <= 80 || !l.contains(' ')), "{yaml}");
    // Emphasis, bold, links and footnotes come back as the markup.
    for needle in [
        "*thorough*",
        "**clear**",
        "[annual plan](https://www.bathnes.gov.uk/youth-offending)",
        "31%[^note1]",
        "note1: >- The reoffending rate",
    ] {
        assert!(collapse(&yaml).contains(needle), "{needle}:\n{yaml}");
    }
}

#[test]
fn a_letter_that_lacks_what_the_findings_need_says_where_and_writes_todos() {
    let pdf = render_fixture("torbay-2015.yaml");
    let imported = pipeline().import("torbay-2015.pdf", pdf.bytes(), "torbay.yaml").unwrap();
    let errors: Vec<String> =
        imported.problems.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    let all = errors.join("\n");
    assert!(all.contains("does not name the lead inspector"), "{all}");
    assert!(all.contains("number of cases and the team"), "{all}");
    // Located in the letter: its page and line.
    assert!(all.contains("torbay-2015.pdf (its text):"), "{all}");
    assert!(imported.yaml.contains("name: \"TODO: the lead inspector's name\""));
    assert!(imported.yaml.contains("cases: \"TODO: the number of cases examined\""));
    // The letter's own paragraphs are kept as the overrides they were.
    assert!(imported.yaml.contains("\nintro:\n") && imported.yaml.contains("\nclosing:\n"));
    assert!(has(&imported.yaml, "at the request of the Youth Justice Board"));
    // The email is found in the letter's own closing, and said to be a guess.
    assert!(
        imported.yaml.contains("# import: found in the letter's own closing"),
        "{}",
        imported.yaml
    );
}

#[test]
fn what_cannot_be_placed_is_reported_and_kept_as_a_comment() {
    let text = std::fs::read_to_string(root().join("tests/reference/barnet-sqs-2014.txt")).unwrap();
    let text = text.replacen("Context\n", "Context\n\nA stray line the letter never had\n\n", 1);
    let text = text.replacen(
        "\nOperational management\n",
        "\nAn unnumbered paragraph in the commentary.\n\nOperational management\n",
        1,
    );
    let imported = pipeline().import("barnet-edited.txt", text.as_bytes(), "out.yaml").unwrap();
    let warnings: Vec<String> = imported.problems.iter().map(|d| d.to_string()).collect();
    let all = warnings.join("\n");
    assert!(
        all.contains("could not place \"An unnumbered paragraph in the commentary.\""),
        "{all}"
    );
    assert!(all.contains("barnet-edited.txt:"), "located in the letter: {all}");
    assert!(imported.yaml.contains("# import: (page 1, line"), "{}", imported.yaml);
    assert!(imported.yaml.contains("An unnumbered paragraph in the commentary."));
    // The stray line makes the Context section the letter's own.
    assert!(imported.yaml.contains("\ncontext:\n"));
    assert!(imported.yaml.contains("A stray line the letter never had"));
}

#[test]
fn text_exports_give_the_facts_of_the_letter() {
    if !external("pdftotext (poppler-utils)", runs("pdftotext", &["-v"])) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in SELF_CONTAINED {
        let pdf = render_fixture(name);
        let path = dir.path().join("letter.pdf");
        std::fs::write(&path, pdf.bytes()).unwrap();
        for flags in [&[][..], &["-layout"][..]] {
            let txt = dir.path().join("letter.txt");
            let status = std::process::Command::new("pdftotext")
                .args(flags)
                .arg(&path)
                .arg(&txt)
                .status()
                .unwrap();
            assert!(status.success());
            let text = std::fs::read(&txt).unwrap();
            let imported = pipeline().import("letter.txt", &text, "out.yaml").unwrap();
            let fixture = std::fs::read_to_string(fixture(name)).unwrap();
            let want = yaml_value(&fixture);
            let got = yaml_value(&imported.yaml);
            // A Welsh letter names the area only mutated ("yng Nghaerdydd"):
            // its own name is in the PDF's keywords, not in its text.
            let area = if want.pointer("/area_in").is_some() { "/area_in" } else { "/area" };
            for key in [
                area,
                "/published",
                "/to/name",
                "/to/role",
                "/from/name",
                "/inspection/fieldwork/from",
                "/inspection/fieldwork/to",
                "/inspection/cases",
                "/inspection/team",
                "/lead_inspector",
            ] {
                assert_eq!(
                    got.pointer(key),
                    want.pointer(key),
                    "{name} {flags:?}: {key}\n{}",
                    imported.yaml
                );
            }
            let errors: Vec<String> =
                imported.problems.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
            assert!(errors.is_empty(), "{name} {flags:?}: {errors:#?}");
            // As many areas, paragraphs, items and copy-list rows: what a
            // plain export cannot show is markup and footnotes, not structure.
            let count = |v: &serde_json::Value, key: &str| {
                v.pointer(key).and_then(|c| c.as_array()).map_or(0, Vec::len)
            };
            for key in [
                "/summary",
                "/commentary",
                "/strengths",
                "/improvements",
                "/operational_management",
            ] {
                assert_eq!(
                    count(&got, key),
                    count(&want, key),
                    "{name} {flags:?}: {key}\n{}",
                    imported.yaml
                );
            }
            for area in 0..count(&want, "/commentary") {
                let key = format!("/commentary/{area}/paragraphs");
                assert_eq!(count(&got, &key), count(&want, &key), "{name} {flags:?}: {key}");
            }
            let roles = |v: &serde_json::Value| -> Vec<serde_json::Value> {
                v.pointer("/copy_to")
                    .and_then(|c| c.as_array())
                    .map_or(Vec::new(), |rows| rows.iter().map(|r| r["role"].clone()).collect())
            };
            // A plain export gives the copy list's columns one after the
            // other: the import pairs them in order and says so.
            if flags.is_empty() && want.pointer("/copy_to").is_some() {
                assert!(imported.yaml.contains("# import: paired with its names by order"));
            } else {
                assert_eq!(roles(&got), roles(&want), "{name} {flags:?}: the copy list's roles");
            }
        }
    }
}

/// A findings file as JSON, to compare values.
fn yaml_value(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).unwrap()
}

#[test]
fn the_command_writes_beside_the_letter_and_never_over_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_fixture("barnet-2014.yaml");
    std::fs::write(dir.path().join("barnet.pdf"), pdf.bytes()).unwrap();
    let out = run(dir.path(), &["import", "barnet.pdf"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("wrote barnet.yaml: nothing missing"), "{}", stderr(&out));
    let first = std::fs::read_to_string(dir.path().join("barnet.yaml")).unwrap();
    // Not again without --force.
    std::fs::write(dir.path().join("barnet.yaml"), "mine").unwrap();
    let out = run(dir.path(), &["import", "barnet.pdf"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("barnet.yaml already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("barnet.yaml")).unwrap(), "mine");
    let out = run(dir.path(), &["import", "barnet.pdf", "--force"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("barnet.yaml")).unwrap(), first);
    // Standard output, and the check passes.
    let out = run(dir.path(), &["import", "barnet.pdf", "-o", "-"], None);
    assert_eq!(String::from_utf8_lossy(&out.stdout), first);
    let out = run(dir.path(), &["check", "barnet.yaml"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    // Never over the letter itself.
    let out = run(dir.path(), &["import", "barnet.pdf", "-o", "barnet.pdf", "--force"], None);
    assert_ne!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(dir.path().join("barnet.pdf")).unwrap(), pdf.bytes());
}

#[test]
fn a_folder_of_letters_imports_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    for name in ["barnet-2014", "bath-2016"] {
        std::fs::write(
            letters.join(format!("{name}.pdf")),
            render_fixture(&format!("{name}.yaml")).bytes(),
        )
        .unwrap();
    }
    std::fs::copy(
        root().join("tests/reference/barnet-sqs-2014.txt"),
        letters.join("reference.txt"),
    )
    .unwrap();
    let out = run(dir.path(), &["import", "letters", "-o", "found"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        files_in(&dir.path().join("found")),
        ["barnet-2014.yaml", "bath-2016.yaml", "reference.yaml"]
    );
    // Each in order, and "nothing missing" is what `check` (which
    // typesets them too) finds.
    let said = stderr(&out);
    let at = |name: &str| said.find(&format!("{name}.yaml: nothing missing")).expect(name);
    assert!(at("barnet-2014") < at("bath-2016") && at("bath-2016") < at("reference"), "{said}");
    let found = ["barnet-2014", "bath-2016", "reference"].map(|n| format!("found/{n}.yaml"));
    let out = run(dir.path(), &["check", &found[0], &found[1], &found[2]], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn import_check_proves_the_import_faithful_and_shows_what_differs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bath.pdf"), render_fixture("bath-2016.yaml").bytes()).unwrap();
    let out = run(dir.path(), &["import", "--check", "bath.pdf"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("render to the same words"), "{}", stderr(&out));
    assert_eq!(files_in(dir.path()), ["bath.pdf"], "--check writes nothing");
    // A letter the tool would not write: a paragraph number out of order.
    let text = std::fs::read_to_string(root().join("tests/reference/barnet-sqs-2014.txt")).unwrap();
    std::fs::write(dir.path().join("odd.txt"), text.replace("- 1.3. ", "- 1.9. ")).unwrap();
    let out = run(dir.path(), &["import", "--check", "odd.txt"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("[-1.9. Nearly all PSRs"), "{stdout}");
    assert!(stdout.contains("{+1.3. Nearly all PSRs"), "{stdout}");
    assert!(stdout.contains("odd.txt (page 1, line"), "{stdout}");
}

/// A PDF of `pages` pages, each showing `text` (or drawing a square).
fn pdf_of(pages: usize, text: Option<&str>) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(
        dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"},
    );
    let resources = doc.add_object(dictionary! {"Font" => dictionary! {"F1" => font}});
    let mut kids: Vec<Object> = Vec::new();
    for _ in 0..pages {
        let operations = match text {
            Some(text) => vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 700.into()]),
                Operation::new("Tj", vec![Object::string_literal(text)]),
                Operation::new("ET", vec![]),
            ],
            None => vec![
                Operation::new("re", vec![72.into(), 72.into(), 400.into(), 600.into()]),
                Operation::new("f", vec![]),
            ],
        };
        let content = Content { operations }.encode().unwrap();
        let content = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! {"Type" => "Pages", "Kids" => kids, "Count" => pages as i64},
        ),
    );
    let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Imports `bytes` as `name` with the binary: it fails with a message
/// holding `says`, quickly, and writes nothing.
fn refused(name: &str, bytes: &[u8], says: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    let started = Instant::now();
    let out = run(dir.path(), &["import", name], None);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
    assert!(stderr(&out).contains(says), "{name}: {}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{name}: {}", stderr(&out));
    assert_eq!(files_in(dir.path()), [name.to_string()], "{name}: nothing written");
    assert!(took < Duration::from_secs(10), "{name} took {took:?}");
}

#[test]
fn bad_letters_are_refused_with_a_reason_and_nothing_written() {
    let letter = render_fixture("bath-2016.yaml");
    refused("scan.pdf", &pdf_of(2, None), "has no text to read");
    refused(
        "other.pdf",
        &pdf_of(1, Some("Minutes of the meeting")),
        "is not a Short Quality Screening letter",
    );
    refused("long.pdf", &pdf_of(500, Some("Page")), "has 500 pages");
    let bytes = letter.bytes();
    refused("cut.pdf", &bytes[..bytes.len() / 3], "is not a PDF that can be read");
    refused(
        "noise.pdf",
        b"%PDF-1.7\n\x00\x01\x02 garbage garbage",
        "is not a PDF that can be read",
    );
    refused("binary.txt", &[0xff, 0xfe, 0x00, 0x80], "neither a PDF nor UTF-8 text");
    refused("empty.txt", b"", "is not a Short Quality Screening letter");
}

#[test]
fn an_encrypted_letter_is_refused() {
    if !external("qpdf", runs("qpdf", &["--version"])) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.pdf");
    std::fs::write(&plain, render_fixture("bath-2016.yaml").bytes()).unwrap();
    let locked = dir.path().join("locked.pdf");
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "user-password", "owner-password", "256", "--"])
        .arg(&plain)
        .arg(&locked)
        .status()
        .unwrap();
    assert!(status.success());
    refused("locked.pdf", &std::fs::read(&locked).unwrap(), "is encrypted");
}

fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[A-Za-z0-9]{1,8}",
        1 => prop::sample::select(vec![
            "#", "$", "@", "\\", "{{", "}}", "{%", "%}", "#set page(width: 2cm)", "$x^2$",
            "\"", "'", ": ", " #", "- ", "--", "&", "!", "|", ">", "%", "`", "~", "(", ")", ";",
            "ŵ", "ŷ", "Ελλάδα", "Київ", "é", "–", "<b>", "&amp;", "yes", "null", "0",
        ])
        .prop_map(str::to_string),
    ];
    // White space the letter does not show (at the ends, two together)
    // cannot come back from it.
    prop::collection::vec(piece, 1..16)
        .prop_map(|pieces| collapse(&pieces.join(" ")))
        .prop_filter("words", |s| s.chars().any(char::is_alphanumeric))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Text that means something to Typst, minijinja, YAML or HTML comes
    /// back from the PDF as the same words, as data.
    #[test]
    fn hostile_text_survives_the_round_trip(text in hostile(), language in prop_oneof![Just("en-GB"), Just("cy")]) {
        let yaml = letter_with(&text, language);
        let pdf = render_text("prop.yaml", &yaml).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let imported = pipeline().import("prop.pdf", pdf.bytes(), "imported.yaml")
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let again = pipeline().load(SourceFile::new("imported.yaml", imported.yaml.clone()), None)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", imported.yaml)))?;
        let before = pipeline().load(SourceFile::new("prop.yaml", yaml), None).unwrap();
        let words = |f: &hmip_letter::model::Findings| f.summary.iter().map(|p| collapse(p)).collect::<Vec<_>>();
        prop_assert_eq!(words(&again.findings), words(&before.findings), "{}", imported.yaml);
        let again_pdf = pipeline().export(&again, &Options::default()).unwrap();
        prop_assert!(again_pdf.bytes() == pdf.bytes(), "another PDF:\n{}", imported.yaml);
    }

    /// And from the Word document.
    #[test]
    fn hostile_text_survives_the_round_trip_through_word(text in hostile(), language in prop_oneof![Just("en-GB"), Just("cy")]) {
        let yaml = letter_with(&text, language);
        let before = pipeline().load(SourceFile::new("prop.yaml", yaml), None).unwrap();
        let pdf = pipeline().export(&before, &Options::default()).unwrap();
        let docx = pipeline().export(&before, &Options { format: Format::Docx, ..Options::default() })
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let imported = pipeline().import("prop.docx", docx.bytes(), "imported.yaml")
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let again = pipeline().load(SourceFile::new("imported.yaml", imported.yaml.clone()), None)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", imported.yaml)))?;
        let words = |f: &hmip_letter::model::Findings| f.summary.iter().map(|p| collapse(p)).collect::<Vec<_>>();
        prop_assert_eq!(words(&again.findings), words(&before.findings), "{}", imported.yaml);
        let again_pdf = pipeline().export(&again, &Options::default()).unwrap();
        prop_assert!(again_pdf.bytes() == pdf.bytes(), "another PDF:\n{}", imported.yaml);
    }
}
