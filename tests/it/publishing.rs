//! Publishable by default: PDF/A-2b and PDF/UA-1, reproducible bytes, a
//! document ID per letter, the letterhead, the draft mark, the glyph check,
//! and text that stays inside the text area.

use std::fs;

use hmip_letter::{Format, Options, load};
use lopdf::{Document, Object};
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};

use crate::common::*;

const FIXTURES: [&str; 5] = [
    "barnet-2014.yaml",
    "bath-2016.yaml",
    "gwynedd-2015.yaml",
    "torbay-2015.yaml",
    "wrexham-2016.yaml",
];

/// The PDF's document catalog, trailer and XMP metadata.
struct Pdf {
    doc: Document,
    xmp: String,
}

impl Pdf {
    fn parse(bytes: &[u8]) -> Pdf {
        let doc = Document::load_mem(bytes).expect("a PDF lopdf can read");
        let catalog = doc.catalog().unwrap();
        let metadata = catalog.get(b"Metadata").and_then(Object::as_reference).unwrap();
        let stream = doc.get_object(metadata).and_then(Object::as_stream).unwrap();
        let xmp =
            String::from_utf8(stream.decompressed_content().unwrap_or(stream.content.clone()))
                .unwrap();
        Pdf { doc, xmp }
    }

    fn catalog_entry(&self, key: &[u8]) -> Option<&Object> {
        let entry = self.doc.catalog().ok()?.get(key).ok()?;
        match entry {
            Object::Reference(id) => self.doc.get_object(*id).ok(),
            other => Some(other),
        }
    }

    fn info_title(&self) -> String {
        let info = self.doc.trailer.get(b"Info").and_then(Object::as_reference).unwrap();
        let info = self.doc.get_dictionary(info).unwrap();
        let title = info.get(b"Title").unwrap();
        lopdf::decode_text_string(title).unwrap()
    }

    fn id(&self) -> Vec<u8> {
        let id = self.doc.trailer.get(b"ID").and_then(Object::as_array).unwrap();
        id[0].as_str().unwrap().to_vec()
    }
}

#[test]
fn every_fixture_is_pdf_a_2b_and_pdf_ua_1_tagged_titled_and_in_english() {
    for name in FIXTURES {
        let rendered = render_fixture(name);
        let pdf = Pdf::parse(rendered.bytes());
        assert!(
            pdf.xmp
                .contains("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"),
            "{name}: not PDF/A-2b"
        );
        assert!(pdf.xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{name}: not PDF/UA-1");
        let marked = pdf
            .catalog_entry(b"MarkInfo")
            .and_then(|m| m.as_dict().ok())
            .and_then(|m| m.get(b"Marked").ok())
            .cloned();
        assert_eq!(marked, Some(Object::Boolean(true)), "{name}: not tagged");
        assert!(pdf.catalog_entry(b"StructTreeRoot").is_some(), "{name}: no structure tree");
        let lang = pdf.catalog_entry(b"Lang").and_then(|l| l.as_str().ok()).map(|l| l.to_vec());
        assert_eq!(lang.as_deref(), Some(&b"en-GB"[..]), "{name}");
        let display = pdf
            .catalog_entry(b"ViewerPreferences")
            .and_then(|v| v.as_dict().ok())
            .and_then(|v| v.get(b"DisplayDocTitle").ok())
            .cloned();
        assert_eq!(
            display,
            Some(Object::Boolean(true)),
            "{name}: the title is not shown in the window"
        );
        assert!(
            pdf.info_title()
                .contains("Report of Short Quality Screening (SQS) of youth offending work in"),
            "{name}"
        );
        assert!(pdf.xmp.contains("<pdf:Keywords>"), "{name}");
    }
}

#[test]
fn metadata_names_the_letter() {
    let pdf = Pdf::parse(render_fixture("barnet-2014.yaml").bytes());
    assert_eq!(
        pdf.info_title(),
        "Report of Short Quality Screening (SQS) of youth offending work in Barnet"
    );
    for needle in [
        "<dc:creator><rdf:Seq><rdf:li>HM Inspectorate of Probation</rdf:li></rdf:Seq></dc:creator>",
        "Findings of the Short Quality Screening of youth offending work in Barnet, 2014",
        "<pdf:Keywords>Barnet, Short Quality Screening, youth offending, 2014</pdf:Keywords>",
        "<xmp:CreateDate>2014-07-16T00:00:00+00:00</xmp:CreateDate>",
        "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>",
    ] {
        assert!(pdf.xmp.contains(needle), "{needle} not in\n{}", pdf.xmp);
    }
}

#[test]
fn the_same_letter_gives_the_same_bytes_and_different_letters_different_ids() {
    let first = render_fixture("barnet-2014.yaml");
    let second = render_fixture("barnet-2014.yaml");
    assert!(first.bytes() == second.bytes(), "two renders of one letter differ");

    // A separate process, another day and folder: still the same file.
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("barnet-2014.yaml");
    let out = run(dir.path(), &["render", input.to_str().unwrap(), "-o", "b.pdf"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::read(dir.path().join("b.pdf")).unwrap() == first.bytes(),
        "the binary's PDF differs"
    );

    let ids: Vec<Vec<u8>> =
        FIXTURES.iter().map(|n| Pdf::parse(render_fixture(n).bytes()).id()).collect();
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            assert_ne!(a, b, "two letters share a document ID");
        }
    }
}

#[test]
fn source_date_epoch_sets_the_creation_date() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("barnet-2014.yaml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hmip-letter"))
        .args(["render", input.to_str().unwrap(), "-o", "b.pdf"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = Pdf::parse(&fs::read(dir.path().join("b.pdf")).unwrap());
    assert!(
        pdf.xmp.contains("<xmp:CreateDate>2023-11-14T22:13:20+00:00</xmp:CreateDate>"),
        "{}",
        pdf.xmp
    );
}

#[test]
fn other_standards_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("bath-2016.yaml");
    let render = |standard: &str| {
        let out = run(
            dir.path(),
            &["render", input.to_str().unwrap(), "-o", "x.pdf", "--pdf-standard", standard],
            None,
        );
        assert!(out.status.success(), "{standard}: {}", stderr(&out));
        fs::read(dir.path().join("x.pdf")).unwrap()
    };
    let a3 = Pdf::parse(&render("a-3b,ua-1"));
    assert!(a3.xmp.contains("<pdfaid:part>3</pdfaid:part>"));
    assert!(a3.xmp.contains("<pdfuaid:part>1</pdfuaid:part>"));
    let names = a3
        .catalog_entry(b"Names")
        .and_then(|n| n.as_dict().ok())
        .expect("PDF/A-3 has an attachment");
    assert!(names.has(b"EmbeddedFiles"));
    let raw = render("a-3b");
    let attached = fs::read_to_string(fixture("bath-2016.yaml")).unwrap();
    let pdf = Document::load_mem(&raw).unwrap();
    let found = pdf
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .any(|s| s.decompressed_content().unwrap_or(s.content.clone()) == attached.as_bytes());
    assert!(found, "the findings file is attached byte for byte");

    let plain = Pdf::parse(&render("none"));
    assert!(!plain.xmp.contains("pdfaid") && !plain.xmp.contains("pdfuaid"));
    let ua = Pdf::parse(&render("ua-1"));
    assert!(ua.xmp.contains("<pdfuaid:part>1</pdfuaid:part>") && !ua.xmp.contains("pdfaid:part"));
}

#[test]
fn drafts_are_marked_in_the_title_and_across_every_page() {
    let draft = render_fixture("wrexham-2016.yaml");
    assert!(
        Pdf::parse(draft.bytes())
            .info_title()
            .starts_with("DRAFT: Report of Short Quality Screening")
    );

    let yaml = fs::read_to_string(fixture("wrexham-2016.yaml")).unwrap();
    let file = hmip_letter::SourceFile::new(
        "final.yaml",
        yaml.replace("status: draft\n", "")
            .replace("logo:\n  file: hmip-logo.svg\n  alt: HM Inspectorate of Probation\n", ""),
    );
    let letter = pipeline().load(file, None).unwrap();
    let png = |draft: bool| {
        let options = Options { format: Format::Png, ppi: 40.0, draft, ..Options::default() };
        pipeline().export(&letter, &options).unwrap().files
    };
    let final_pages = png(false);
    let draft_pages = png(true);
    assert_eq!(final_pages.len(), draft_pages.len());
    for (plain, marked) in final_pages.iter().zip(&draft_pages) {
        let grey = |png: &[u8]| {
            let pixmap = tiny_skia::Pixmap::decode_png(png).unwrap();
            pixmap
                .pixels()
                .iter()
                .filter(|p| (195..235).contains(&p.red()) && p.red() == p.blue())
                .count()
        };
        assert!(
            grey(marked) > grey(plain) + 2000,
            "no watermark: {} vs {}",
            grey(marked),
            grey(plain)
        );
    }
}

#[test]
fn the_letterhead_has_the_inspectorate_and_the_logo() {
    let rendered = render_fixture("wrexham-2016.yaml");
    let text = pdf_text(rendered.bytes());
    assert!(
        has(
            &text,
            "HM Inspectorate of Probation 1st Floor Civil Justice Centre 1 Bridge Street West Manchester M3 3FX"
        ),
        "{text}"
    );
    let pdf = Document::load_mem(rendered.bytes()).unwrap();
    let has_figure_alt = pdf.objects.values().filter_map(|o| o.as_dict().ok()).any(|d| {
        d.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(b"Figure")
            && d.get(b"Alt").ok().and_then(|a| lopdf::decode_text_string(a).ok()).as_deref()
                == Some("HM Inspectorate of Probation")
    });
    assert!(has_figure_alt, "the logo is a figure with its alt text");
}

#[test]
fn a_logo_outside_the_findings_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("letters");
    fs::create_dir(&inner).unwrap();
    fs::copy(fixture("hmip-logo.svg"), dir.path().join("secret.svg")).unwrap();
    let yaml = fs::read_to_string(fixture("wrexham-2016.yaml")).unwrap();
    for (file, message) in [
        ("../secret.svg", "is outside the findings file's folder"),
        ("/etc/hostname.png", "is outside the findings file's folder"),
        ("missing.svg", "cannot read"),
        ("hmip-logo.gif", "is not a PNG or SVG file"),
    ] {
        fs::write(
            inner.join("w.yaml"),
            yaml.replace("file: hmip-logo.svg", &format!("file: {file}")),
        )
        .unwrap();
        let out = run(&inner, &["render", "w.yaml"], None);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let err = stderr(&out);
        assert!(err.contains(message) && err.contains("in `logo.file`"), "{file}: {err}");
        assert!(!inner.join("w.pdf").exists());
    }
}

#[test]
fn png_format_writes_one_image_per_page() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("bath-2016.yaml");
    let out = run(
        dir.path(),
        &["render", input.to_str().unwrap(), "--format", "png", "--ppi", "30", "-o", "bath.png"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(files_in(dir.path()), ["bath-1.png", "bath-2.png"]);
    let page =
        tiny_skia::Pixmap::decode_png(&fs::read(dir.path().join("bath-1.png")).unwrap()).unwrap();
    // A4 at 30 pixels per inch.
    assert_eq!((page.width(), page.height()), (248, 351));
}

/// Page 1 of two letters, kept as reference images: a change to the layout
/// shows up here. Set UPDATE_REFERENCE_IMAGES=1 to accept a change.
#[test]
fn page_one_looks_as_it_did() {
    for name in ["barnet-2014", "wrexham-2016"] {
        let input = load::Input::Path(fixture(&format!("{name}.yaml")));
        let letter = pipeline().load(load::read(&input).unwrap(), input.dir()).unwrap();
        let png_options = Options { format: Format::Png, ppi: 40.0, ..Options::default() };
        let pages = pipeline().export(&letter, &png_options).unwrap().files;
        let path = root().join(format!("tests/reference/{name}-page-1.png"));
        if std::env::var_os("UPDATE_REFERENCE_IMAGES").is_some() {
            fs::write(&path, &pages[0]).unwrap();
        }
        let expected = tiny_skia::Pixmap::decode_png(&fs::read(&path).unwrap()).unwrap();
        let actual = tiny_skia::Pixmap::decode_png(&pages[0]).unwrap();
        assert_eq!(
            (actual.width(), actual.height()),
            (expected.width(), expected.height()),
            "{name}"
        );
        let differing = actual
            .pixels()
            .iter()
            .zip(expected.pixels())
            .filter(|(a, e)| (i16::from(a.red()) - i16::from(e.red())).abs() > 48)
            .count();
        let share = differing as f64 / expected.pixels().len() as f64;
        assert!(
            share < 0.002,
            "{name}: {:.3}% of pixels differ from {}",
            share * 100.0,
            path.display()
        );
    }
}

/// Every text run's left and right edge, in page coordinates.
fn text_spans(frame: &Frame, ts: Transform, out: &mut Vec<(Abs, Abs)>) {
    for (pos, item) in frame.items() {
        let at = pos.transform(ts);
        match item {
            FrameItem::Group(group) => {
                // The rotated DRAFT mark is meant to cross the margins.
                if !group.transform.kx.is_zero() || !group.transform.ky.is_zero() {
                    continue;
                }
                let inner =
                    ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(group.transform);
                text_spans(&group.frame, inner, out);
            }
            FrameItem::Text(text) => {
                let end = Point::new(pos.x + text.width(), pos.y).transform(ts);
                out.push((at.x, end.x));
            }
            _ => {}
        }
    }
}

#[test]
fn no_text_lies_outside_the_text_area() {
    let long = std::iter::repeat_n("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch", 3)
        .collect::<String>();
    let yaml = fs::read_to_string(fixture("bath-2016.yaml")).unwrap().replace(
        "    Case managers knew their cases well.",
        &format!(
            "    Case managers knew their cases well at {long} and \
                  https://example.org/{}/{}.",
            "a".repeat(120),
            "path-segment-".repeat(12)
        ),
    );
    let mut letters: Vec<_> = FIXTURES
        .iter()
        .map(|n| {
            let input = load::Input::Path(fixture(n));
            pipeline().load(load::read(&input).unwrap(), input.dir()).unwrap()
        })
        .collect();
    letters.push(pipeline().load(hmip_letter::SourceFile::new("long.yaml", yaml), None).unwrap());
    for letter in &letters {
        let prepared = pipeline().prepare(letter, &Options::default()).unwrap();
        let world = pipeline().world(&prepared);
        let typeset = pipeline().typeset(&world).unwrap();
        for (number, page) in typeset.document.pages().iter().enumerate() {
            let mut spans = Vec::new();
            text_spans(&page.frame, Transform::identity(), &mut spans);
            let margin = Abs::cm(2.5) - Abs::pt(0.5);
            let right = page.frame.width() - margin;
            for (left_edge, right_edge) in spans {
                assert!(
                    left_edge >= margin && right_edge <= right,
                    "{}: text on page {} runs from {left_edge:?} to {right_edge:?}, outside {margin:?}..{right:?}",
                    letter.file.name,
                    number + 1
                );
            }
        }
    }
}
