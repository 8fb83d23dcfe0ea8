//! The letters themselves: the words in the PDF, the numbering, the pages.

use crate::common::*;

/// The reference letter's lines as they should read in the PDF: the
/// conversion marks of the text file (`<i>`, `*`, `<url>`, list dashes,
/// tabs) removed.
fn reference_lines() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("tests/reference/barnet-sqs-2014.txt")).unwrap();
    text.lines()
        .map(|line| {
            let line = line.replace("<i>", "").replace("</i>", "").replace('*', "");
            let line = line.replace("<http://", "http://").replace("/>", "/");
            let line = line.strip_prefix("- ").unwrap_or(&line).to_string();
            collapse(&line.replace('\t', " "))
        })
        .filter(|line| !line.is_empty())
        .collect()
}

/// The PDF's text without running headers and page numbers, which a reader
/// copying a paragraph across a page break does not want either.
fn body_text(pdf: &[u8]) -> String {
    body_of(&pdf_text(pdf))
}

/// A letter's text without its running headers and page numbers.
fn body_of(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| {
            let l = l.trim();
            let page_number = l.starts_with("Page ") && l.contains(" of ");
            !page_number && !l.starts_with("SQS of youth offending work in ")
        })
        .collect();
    collapse(&lines.join("\n"))
}

#[test]
fn barnet_has_every_line_of_the_reference_letter() {
    let rendered = render_fixture("barnet-2014.yaml");
    let body = body_text(rendered.bytes());
    let mut missing = Vec::new();
    for line in reference_lines() {
        // A paragraph's number and its text are two cells of the layout.
        let text = match line.split_once(". ") {
            Some((number, rest)) if number.chars().all(|c| c.is_ascii_digit() || c == '.') => {
                rest.to_string()
            }
            _ => line.clone(),
        };
        if !has(&body, &text) {
            missing.push(line);
        }
    }
    assert!(missing.is_empty(), "not in the PDF:\n{}\n\nPDF text:\n{body}", missing.join("\n"));
}

#[test]
fn poppler_reads_every_line_of_the_reference_letter_too() {
    if !external("pdftotext (poppler-utils)", runs("pdftotext", &["-v"])) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("barnet.pdf");
    std::fs::write(&pdf, render_fixture("barnet-2014.yaml").bytes()).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = body_of(&String::from_utf8(out.stdout).unwrap());
    for line in reference_lines() {
        assert!(has(&text, &line), "pdftotext does not read {line:?}:\n{text}");
    }
}

#[test]
fn barnet_paragraph_numbers_run_in_order() {
    let rendered = render_fixture("barnet-2014.yaml");
    let text = pdf_text(rendered.bytes());
    let numbers: Vec<String> = text
        .split_whitespace()
        .filter(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() == 3
                && parts[2].is_empty()
                && parts[..2].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(str::to_string)
        .collect();
    let expected: Vec<String> = [(1, 6), (2, 7), (3, 6), (4, 3)]
        .iter()
        .flat_map(|&(section, count)| (1..=count).map(move |n| format!("{section}.{n}.")))
        .collect();
    assert_eq!(numbers, expected);
    let sections =
        ["1. Reducing", "2. Protecting the public", "3. Protecting the child", "4. Ensuring"];
    let positions: Vec<usize> =
        sections.iter().map(|s| collapse(&text).find(s).unwrap_or_else(|| panic!("{s}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
}

#[test]
fn barnet_is_five_a4_pages() {
    let rendered = render_fixture("barnet-2014.yaml");
    assert_eq!(rendered.pages, 5);
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
}

#[test]
fn plain_dates_footnotes_and_ampersands() {
    let rendered = render_fixture("bath-2016.yaml");
    let text = collapse(&pdf_text(rendered.bytes()));
    assert!(has(&text, "Publication date: 11 May 2016"), "{text}");
    assert!(has(&text, "conducted from 4-7 April 2016."), "{text}");
    assert!(has(
        &text,
        "Report of Short Quality Screening (SQS) of youth offending work in Bath & North East Somerset"
    ));
    // The note is numbered 1 at both uses, and printed once at the foot.
    assert!(has(&text, "31%1, below"), "{text}");
    assert!(has(&text, "guidance1 asks"), "{text}");
    assert_eq!(text.matches("The reoffending rate that was available").count(), 1);
    assert!(has(
        &text,
        "1 The reoffending rate that was available during the fieldwork was published in January 2016."
    ));
    assert!(!has(&text, "Copy to"), "no copy list: no 'Copy to' row or section");
    assert!(has(&text, "staff in the YOS"), "{text}");
    assert!(has(
        &text,
        "She can be contacted at helen.davies@hmiprobation.gsi.gov.uk or on 07881 012345."
    ));
    assert!(has(&text, "priorities they named"));
}

#[test]
fn welsh_names_and_missing_sections() {
    let rendered = render_fixture("gwynedd-2015.yaml");
    let text = collapse(&pdf_text(rendered.bytes()));
    for name in
        ["Llŷr Huws Gruffydd", "Siân Ŵyn", "Dŵr Cymru", "Gwenllian Ŵynne", "Dafydd Ŷr Pennant"]
    {
        assert!(has(&text, name), "{name} missing from {text}");
    }
    assert!(has(&text, "Publication date: 2nd March 2015"));
    assert!(has(&text, "conducted from 27th-29th January 2015."));
    assert!(!has(&text, "Operational management"));
    assert!(!has(&text, "Areas requiring improvement"));
    assert!(has(
        &text,
        "who was Rhian Llŷr. Rhian Llŷr can be contacted at rhian.llyr@hmiprobation.gsi.gov.uk."
    ));
    assert!(has(&text, "Copy to: See copy list at end"));
    assert!(has(&text, "Morwena Edwards, Dafydd Ŷr Pennant"));
}

#[test]
fn overrides_replace_the_generated_text() {
    let rendered = render_fixture("torbay-2015.yaml");
    let text = collapse(&pdf_text(rendered.bytes()));
    assert!(has(&text, "at the request of the Youth Justice Board."));
    assert!(!has(&text, "This report outlines the findings of the recent SQS inspection"));
    assert!(!has(&text, "As an independent inspectorate"));
    assert!(!has(&text, "We are grateful for the support"));
    assert!(has(&text, "We thank the staff of the YOT for their help."));
    assert!(has(
        &text,
        "Our criteria are on our website: http://www.justiceinspectorates.gov.uk/hmiprobation/."
    ));
    assert!(has(
        &text,
        r#"In one case an inspector noted: "The plan was written with the boy, in his words.""#
    ));
    assert!(!text.contains('*'), "emphasis marks are not printed");
}
