//! `diff`: what a reader would see change, by place, with paragraphs
//! aligned; the same letters say nothing; errors stop it with exit 2.

use std::fs;

use hmip_letter::diff::{self, What};

use crate::common::*;

const OLD: &str = "fixtures/barnet-2014.yaml";
const NEW: &str = "fixtures/diff/barnet-2014-corrected.yaml";

fn compare(old: &str, new: &str) -> diff::Comparison {
    diff::compare(&letter_of(old), &letter_of(new), (old, new))
}

#[test]
fn the_same_letter_exits_0_and_says_nothing() {
    let out = run(&root(), &["diff", OLD, OLD], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_planted_changes_and_only_those_are_reported() {
    let comparison = compare("barnet-2014.yaml", "diff/barnet-2014-corrected.yaml");
    let found: Vec<(What, String, Option<String>)> =
        comparison.changes.iter().map(|c| (c.what, c.place.clone(), c.was.clone())).collect();
    let expected = [
        (What::Changed, "header: Publication date", None),
        (What::Added, "1.2", None),
        (What::Renumbered, "1.3 to 1.7", Some("1.2 to 1.6")),
        (What::Changed, "1.6", Some("1.5")),
        (What::Removed, "Key strengths, item 4", None),
        (What::Changed, "Copy to: Director of Children's Services", None),
    ];
    let expected: Vec<(What, String, Option<String>)> =
        expected.into_iter().map(|(w, p, was)| (w, p.to_string(), was.map(String::from))).collect();
    assert_eq!(found, expected);
    assert_eq!(comparison.summary(), "3 changed, 1 added, 1 removed, 5 renumbered");
}

#[test]
fn the_text_for_a_terminal_without_colour() {
    let out = run(&root(), &["diff", OLD, NEW], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[-12-] {+13+}"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when NO_COLOR is set: {text:?}");
    insta::assert_snapshot!(text);
}

#[test]
fn colour_marks_the_words_without_brackets() {
    let out = run(&root(), &["diff", OLD, NEW, "--color", "always"], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\x1b[31;9m12\x1b[0m \x1b[32;4m13\x1b[0m"), "{text:?}");
    assert!(!text.contains("[-"), "{text:?}");
}

#[test]
fn the_web_page_marks_changes_with_del_and_ins() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("changes.html");
    let args = ["diff", OLD, NEW, "--format", "html", "-o", out_path.to_str().unwrap()];
    let out = run(&root(), &args, None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let page = fs::read_to_string(&out_path).unwrap();
    assert!(
        page.contains("<del><span class=\"visually-hidden\">deleted: </span>12</del>"),
        "{page}"
    );
    assert!(
        page.contains("<ins><span class=\"visually-hidden\">inserted: </span>13</ins>"),
        "{page}"
    );
    let parsed = scraper::Html::parse_document(&page);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    insta::assert_snapshot!(page);
}

#[test]
fn the_json_for_scripts() {
    let out = run(&root(), &["diff", OLD, NEW, "--format", "json"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["changes"][0]["place"], "header: Publication date");
    assert_eq!(json["changes"][2]["passages"], 5);
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn errors_in_either_file_are_reported_as_check_reports_them_and_exit_2() {
    let args = ["diff", "fixtures/invalid/missing-key.yaml", "fixtures/invalid/unknown-key.yaml"];
    let out = run(&root(), &args, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let text = stderr(&out);
    assert!(text.contains("error: missing required key \"lead_inspector\""), "{text}");
    assert!(text.contains("fixtures/invalid/unknown-key.yaml:"), "both files: {text}");

    let out = run(&root(), &["diff", "-", "-"], Some(b""));
    assert_eq!(out.status.code(), Some(2), "usage");
    assert!(stderr(&out).contains("only one of OLD and NEW"), "{}", stderr(&out));
}

#[test]
fn a_changed_template_shows_up_with_old_templates() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("old/words")).unwrap();
    let words = fs::read_to_string(root().join("templates/words/en.yaml"))
        .unwrap()
        .replace("strengths_heading: Key strengths", "strengths_heading: Strengths");
    fs::write(dir.path().join("old/words/en.yaml"), words).unwrap();
    let input = fixture("torbay-2015.yaml");
    let input = input.to_str().unwrap();
    let out = run(dir.path(), &["diff", input, input, "--old-templates", "old"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Key strengths, heading\n    [-Strengths-] {+Key strengths+}"), "{text}");
}

#[test]
fn a_passage_moved_to_another_section_is_a_move() {
    let old = fs::read_to_string(fixture("torbay-2015.yaml")).unwrap();
    let item = "  - Assessments should be completed within the timescales set by the YJB.\n";
    let new = old.replace(&format!("improvements:\n{item}"), "").replace(
        "strengths:\n  - Plans were written with young people.\n",
        &format!("strengths:\n  - Plans were written with young people.\n{item}"),
    );
    assert_ne!(old, new);
    let letter = |name: &str, yaml: &str| {
        let loaded = pipeline().load(hmip_letter::SourceFile::new(name, yaml), None).unwrap();
        pipeline().compose(&loaded, &hmip_letter::Options::default()).unwrap()
    };
    let comparison = diff::compare(&letter("a", &old), &letter("b", &new), ("a", "b"));
    let found: Vec<(What, &str, Option<&str>)> =
        comparison.changes.iter().map(|c| (c.what, c.place.as_str(), c.was.as_deref())).collect();
    assert_eq!(
        found,
        [
            (What::Removed, "Areas requiring improvement, heading", None),
            (What::Moved, "Key strengths, item 2", Some("Areas requiring improvement, item 1")),
        ]
    );
}
