//! `hmip-letter pair`: an English letter and its Welsh version carry the
//! same facts; each planted difference is one located diagnostic pointing
//! into both files, and a dropped paragraph is one difference, not a shift.

use std::fs;

use hmip_letter::pair::{Version, compare};
use hmip_letter::{Diagnostic, SourceFile};

use crate::common::*;

const ENGLISH: &str = "pairs/caerdydd-2016-en.yaml";
const WELSH: &str = "caerdydd-2016-cy.yaml";

fn welsh_yaml() -> String {
    fs::read_to_string(fixture(WELSH)).unwrap()
}

/// The differences between the English fixture and Welsh findings text.
fn differences(welsh: &str) -> Vec<Diagnostic> {
    let english = load_fixture(ENGLISH);
    let welsh = match pipeline().load(SourceFile::new("cy.yaml", welsh), None) {
        Ok(loaded) => loaded,
        Err(e) => panic!("did not load: {e}"),
    };
    compare(
        &Version { loaded: &english, label: "English" },
        &Version { loaded: &welsh, label: "Welsh" },
    )
}

/// The Welsh fixture with `from` replaced by `to`, which must be in it.
fn planted(from: &str, to: &str) -> String {
    let yaml = welsh_yaml();
    assert!(yaml.contains(from), "{from} is not in {WELSH}");
    yaml.replacen(from, to, 1)
}

/// The one difference of a planted change: its message, and the key and
/// line it points at in each file (line 0: a key left out of the file).
fn one_difference(welsh: &str) -> (String, (String, usize), (String, usize)) {
    let found = differences(welsh);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(d.file.as_ref().unwrap().name, "cy.yaml");
    let other = &d.related[0];
    assert!(other.file.name.ends_with(ENGLISH), "{}", other.file.name);
    assert_eq!(other.label, "English");
    let line = |place: Option<(usize, usize)>| place.map_or(0, |(line, _)| line);
    let here = (d.key.clone().unwrap(), line(d.line_column()));
    let there = (other.key.clone().unwrap(), line(other.line_column()));
    (d.message.clone(), here, there)
}

/// A planted difference: the text replaced in the Welsh fixture and what
/// replaces it, the message, and the key and line it points at in Welsh
/// and in English (line 0: a key the file leaves out).
type Planted =
    (&'static str, &'static str, &'static str, (&'static str, usize), (&'static str, usize));

const PLANTED: &[Planted] = &[
    (
        "ym mhob un o'r 20 achos",
        "ym mhob un o'r 19 achos",
        "2.1: 20 cases in English, 19 achos in Welsh",
        ("commentary[1].paragraphs[0]", 44),
        ("commentary[1].paragraphs[0]", 42),
    ),
    (
        "rhian.llyr@hmiprobation.gsi.gov.uk",
        "rhian.llyr@hmiprobation.gov.uk",
        "lead inspector's email: rhian.llyr@hmiprobation.gsi.gov.uk in English, \
         rhian.llyr@hmiprobation.gov.uk in Welsh",
        ("lead_inspector.email", 71),
        ("lead_inspector.email", 70),
    ),
    (
        "www.cardiff.gov.uk/yos/safeguarding",
        "www.caerdydd.gov.uk/gti/diogelu",
        "3.2: web address https://www.cardiff.gov.uk/yos/safeguarding in English, \
         https://www.caerdydd.gov.uk/gti/diogelu in Welsh",
        ("commentary[2].paragraphs[1]", 55),
        ("commentary[2].paragraphs[1]", 54),
    ),
    (
        "names: [Tony Young]",
        "names: [Tony Young, Sarah McGill]",
        "copy-list row 2: Sarah McGill in Welsh, not in English",
        ("copy_to[1].names[1]", 77),
        ("copy_to[1].names", 76),
    ),
    (
        "published: 2016-07-13",
        "published: 2016-07-14",
        "publication date: 2016-07-13 in English, 2016-07-14 in Welsh",
        ("published", 9),
        ("published", 6),
    ),
    (
        "to: 2016-06-23}",
        "to: 2016-06-24}",
        "fieldwork: 2016-06-20 to 2016-06-23 in English, 2016-06-20 to 2016-06-24 in Welsh",
        ("inspection.fieldwork", 17),
        ("inspection.fieldwork", 15),
    ),
    (
        "cases: 20",
        "cases: 19",
        "cases: 20 in English, 19 in Welsh",
        ("inspection.cases", 18),
        ("inspection.cases", 16),
    ),
    (
        "language: cy\n",
        "language: cy\nstatus: draft\n",
        "status: final in English, draft in Welsh",
        ("status", 7),
        ("status", 0),
    ),
    (
        "ym mis Ebrill 2016",
        "ym mis Ebrill 2015",
        "footnote 1: 2016 in English, 2015 in Welsh",
        ("footnotes.cyfradd", 83),
        ("footnotes.rate", 82),
    ),
];

#[test]
fn each_planted_difference_is_one_diagnostic_in_both_files() {
    for (from, to, message, here, there) in PLANTED {
        let found = one_difference(&planted(from, to));
        let expected = (message.to_string(), (here.0.into(), here.1), (there.0.into(), there.1));
        assert_eq!(found, expected, "{from} → {to}");
    }
}

#[test]
fn the_english_and_welsh_fixtures_match() {
    assert!(differences(&welsh_yaml()).is_empty(), "{:#?}", differences(&welsh_yaml()));
    let out =
        run(&root(), &["pair", &format!("fixtures/{ENGLISH}"), &format!("fixtures/{WELSH}")], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stderr(&out).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0]
            .ends_with("match: the same dates, counts, figures, addresses, footnotes and names")
    );
    assert!(
        lines[0].contains("(English) and fixtures/caerdydd-2016-cy.yaml (Welsh)"),
        "{}",
        lines[0]
    );
}

#[test]
fn a_dropped_paragraph_is_one_difference_and_the_rest_still_pair() {
    let welsh = planted(
        "      - >-\n        Paratowyd adroddiadau cyn dedfrydu mewn 8 achos. Roedd pob un o\n        ansawdd da.\n",
        "",
    );
    let (message, here, there) = one_difference(&welsh);
    assert_eq!(message, "1.2 in English has no Welsh version; it belongs after 1.1 in Welsh");
    assert_eq!(here.0, "commentary[0].paragraphs[0]");
    assert_eq!(there.0, "commentary[0].paragraphs[1]");
    // And a paragraph that moved figures with it: the Welsh 1.2 (English
    // 1.3) still pairs, and a change there is named with both numbers.
    let welsh = welsh.replace("mewn 16 achos", "mewn 15 achos");
    let found = differences(&welsh);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[1].message, "1.3 (1.2 in Welsh): 16 cases in English, 15 achos in Welsh");
}

#[test]
fn dropping_any_one_paragraph_is_one_difference() {
    let english = load_fixture(ENGLISH);
    let welsh = load_fixture(WELSH);
    let english = Version { loaded: &english, label: "English" };
    let t = &welsh.texts;
    let mut lists = vec![("summary", 0, t.summary.len()), ("strengths", 0, t.strengths.len())];
    lists.extend(t.commentary.iter().enumerate().map(|(i, a)| ("area", i, a.paragraphs.len())));
    let mut tried = 0;
    for (list, area, n) in lists {
        for k in 0..n {
            let mut dropped = load_fixture(WELSH);
            let t = &mut dropped.texts;
            let removed = match list {
                "summary" => t.summary.remove(k),
                "strengths" => t.strengths.remove(k),
                _ => t.commentary[area].paragraphs.remove(k),
            };
            if format!("{removed:?}").contains("Note") {
                continue; // its footnote goes too: a second difference
            }
            let found = compare(&english, &Version { loaded: &dropped, label: "Welsh" });
            assert_eq!(found.len(), 1, "{list} {k}: {found:#?}");
            assert!(found[0].message.contains("has no Welsh version"), "{}", found[0].message);
            tried += 1;
        }
    }
    assert!(tried >= 9, "{tried}");
}

#[test]
fn an_added_paragraph_is_one_difference() {
    let welsh =
        planted("strengths:\n", "strengths:\n  - Roedd y Bwrdd Rheoli wedi cyfarfod 4 gwaith.\n");
    let (message, here, _) = one_difference(&welsh);
    assert_eq!(
        message,
        "strength 1 in Welsh has no English version; it would come first in the key strengths in English"
    );
    assert_eq!(here.0, "strengths[0]");
}

#[test]
fn a_footnote_mark_and_a_footnote_are_facts_too() {
    let welsh = planted("34%[^cyfradd]", "34%");
    let found = differences(&welsh.replace("footnotes:\n  cyfradd: >-\n    Cyhoeddwyd y gyfradd aildroseddu a oedd ar gael yn ystod y gwaith maes\n    ym mis Ebrill 2016.\n", ""));
    let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "summary paragraph 1: footnote mark 1 in English, not in Welsh",
            "the footnotes (1 paragraph) is in English, not in Welsh"
        ]
    );
}

#[test]
fn planted_differences_read_well_in_both_formats() {
    let args = [
        "pair",
        "fixtures/pairs/caerdydd-2016-en.yaml",
        "fixtures/pairs/caerdydd-2016-cy-differs.yaml",
    ];
    let out = run(&root(), &args, None);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&out));

    let out = run(&root(), &[&args[..], &["--diagnostic-format", "short"]].concat(), None);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "one line each, no summary: {text}");
    for line in lines {
        assert!(line.starts_with("fixtures/pairs/caerdydd-2016-cy-differs.yaml:"), "{line}");
        assert!(line.contains(": error: "), "{line}");
        assert!(line.contains(" [English: fixtures/pairs/caerdydd-2016-en.yaml:"), "{line}");
    }
}

#[test]
fn files_with_errors_are_reported_not_compared() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("cy.yaml"), welsh_yaml().replace("cases: 20", "cases: ugain"))
        .unwrap();
    let english = fixture(ENGLISH);
    let out = run(dir.path(), &["pair", english.to_str().unwrap(), "cy.yaml"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("expected a whole number, found \"ugain\""), "{}", stderr(&out));
    let out = run(dir.path(), &["pair", "-", "-"], Some(b""));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn rendering_a_folder_with_both_versions_renders_both() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("letters");
    fs::create_dir(&letters).unwrap();
    fs::copy(fixture(ENGLISH), letters.join("caerdydd-en.yaml")).unwrap();
    fs::copy(fixture(WELSH), letters.join("caerdydd-cy.yaml")).unwrap();
    let out = run(dir.path(), &["render", "letters", "-o", "out"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(files_in(&dir.path().join("out")), ["caerdydd-cy.pdf", "caerdydd-en.pdf"]);
    assert!(stderr(&out).contains("rendered 2 letters, 0 failed"), "{}", stderr(&out));
}
