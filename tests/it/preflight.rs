//! `preflight`: personal data are errors, house style warnings, each found
//! once at its place; the rules are data; a rule switched off stays off.

use std::fs;
use std::path::{Path, PathBuf};

use hmip_letter::report::{self, DiagnosticFormat};
use hmip_letter::{Diagnostic, load};

use crate::common::*;

/// What preflight finds in findings text, in process.
fn preflight_text(name: &str, yaml: &str) -> (Vec<Diagnostic>, Vec<String>) {
    preflight_in(name, yaml, None)
}

/// The same, for a file in `dir`.
fn preflight_in(name: &str, yaml: &str, dir: Option<PathBuf>) -> (Vec<Diagnostic>, Vec<String>) {
    let pipeline = pipeline();
    let rules = pipeline.preflight_rules().unwrap();
    let loaded = match pipeline.load(hmip_letter::SourceFile::new(name, yaml), dir) {
        Ok(loaded) => loaded,
        Err(e) => panic!("{name} did not load: {e}"),
    };
    let found = pipeline.preflight(&loaded, &rules).unwrap();
    (found.diagnostics, found.off)
}

/// What preflight finds in a fixture, named as a user names it.
fn preflight_fixture(name: &str) -> Vec<Diagnostic> {
    let input = load::Input::Path(fixture(name));
    let text = load::read(&input).unwrap().text.clone();
    let shown = Path::new("fixtures").join(name).display().to_string();
    preflight_in(&shown, &text, input.dir()).0
}

/// Each rule, and the words of the fixture it must point at.
const EVERY_RULE: &[(&str, &str)] = &[
    ("ni-number", "AB 12 34 56 C"),
    ("nhs-number", "943 476 5919"),
    ("date-of-birth", "12 March 2004"),
    ("phone-number", "07700 900123"),
    ("email-address", "jo.bloggs@example.org"),
    ("postcode", "SW1A 1AA"),
    ("link-text", "here](https"),
    ("bare-web-address", "https://example.org/testshire/annual-plan"),
    ("outdated-term", "young offenders"),
    ("figure-at-sentence-start", "3 cases"),
    ("ordinal-date", "14th January 2020"),
    ("long-sentence", "In the cases we inspected"),
    ("long-paragraph", "Assessments were thorough"),
];

#[test]
fn every_rule_is_reported_once_at_its_line_and_column() {
    let diagnostics = preflight_fixture("preflight/every-rule.yaml");
    let text = fs::read_to_string(fixture("preflight/every-rule.yaml")).unwrap();
    let file = hmip_letter::SourceFile::new("every-rule.yaml", text.clone());
    assert_eq!(diagnostics.len(), EVERY_RULE.len(), "{diagnostics:#?}");
    for (rule, needle) in EVERY_RULE {
        let found: Vec<&Diagnostic> =
            diagnostics.iter().filter(|d| d.code.as_deref() == Some(rule)).collect();
        assert_eq!(found.len(), 1, "{rule}: {found:#?}");
        assert_eq!(text.matches(needle).count(), 1, "{needle} is in the fixture once");
        let expected = file.line_column(text.find(needle).unwrap());
        assert_eq!(found[0].line_column(), Some(expected), "{rule}");
        let personal = hmip_letter::preflight::rules::PERSONAL.contains(rule);
        assert_eq!(found[0].is_error(), personal, "{rule}");
        assert!(!found[0].hints.is_empty(), "{rule} has advice");
    }
    insta::assert_snapshot!(report::to_string(&diagnostics, DiagnosticFormat::Human));
}

#[test]
fn the_messages_never_repeat_the_personal_data() {
    let found = preflight_fixture("preflight/every-rule.yaml");
    for format in [DiagnosticFormat::Short, DiagnosticFormat::Github, DiagnosticFormat::Human] {
        let shown = report::to_string(&found, format);
        for (_, needle) in &EVERY_RULE[..6] {
            assert!(!shown.contains(needle), "{needle} in {format:?}:\n{shown}");
        }
    }
    // The source line is still shown, the data masked under the caret.
    let human = report::to_string(&found, DiagnosticFormat::Human);
    assert!(human.contains("*************"), "{human}");
    assert!(human.contains("^^^^^^^^^^^^^"), "{human}");
}

/// Personal data as people type it, paste it from Word or mistype it.
const TYPED: &[(&str, &str)] = &[
    ("ni-number", "ab 12 34 56 c"),
    ("ni-number", "ab123456c"),
    ("ni-number", "AB\u{a0}12\u{a0}34\u{a0}56\u{a0}C"),
    ("ni-number", "AB-12-34-56-C"),
    ("ni-number", "AB 12 34 56"),
    ("ni-number", "QQ 12 34 56 C"),
    ("ni-number", "AB 12\u{200b}34 56 C"),
    ("nhs-number", "943\u{a0}476\u{a0}5919"),
    ("nhs-number", "943\u{2013}476\u{2013}5919"),
    ("postcode", "sw1a 1aa"),
    ("postcode", "SW1A\u{a0}1AA"),
    ("phone-number", "0044 7700 900123"),
    ("phone-number", "07700.900.123"),
];

#[test]
fn personal_data_is_found_however_it_is_typed() {
    for (rule, typed) in TYPED {
        let yaml = letter_with(&format!("The record said {typed} in full."), "en");
        let (found, _) = preflight_text("typed.yaml", &yaml);
        let hit = found.iter().find(|d| d.code.as_deref() == Some(rule));
        let hit = hit.unwrap_or_else(|| panic!("{typed:?} is not found as {rule}: {found:?}"));
        assert!(hit.is_error() && hit.masked, "{hit:?}");
        let range = hit.range.clone().unwrap();
        assert_eq!(&yaml[range], *typed, "the caret is at the data as typed");
    }
    let unusual = letter_with("The record said QQ 12 34 56 C.", "en");
    let (found, _) = preflight_text("qq.yaml", &unusual);
    assert!(found.iter().any(|d| d.message.contains("prefix is unusual")), "{found:?}");
    // Prose that looks a little like the patterns is not personal data.
    let prose = letter_with("In Q4 2nd reviews rose; 12 of 16 cases is 12 34 56 in all.", "en");
    let (found, _) = preflight_text("prose.yaml", &prose);
    assert!(!found.iter().any(Diagnostic::is_error), "{found:?}");
}

#[test]
fn the_logo_alt_text_is_checked_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("hmip-logo.svg"), dir.path().join("logo.svg")).unwrap();
    let yaml = letter_with("Fine.", "en")
        + "logo: {file: logo.svg, alt: \"Call 07700 900123 for the logo\"}\n";
    let (found, _) = preflight_in("logo.yaml", &yaml, Some(dir.path().to_path_buf()));
    let hit = found.iter().find(|d| d.code.as_deref() == Some("phone-number"));
    let hit = hit.unwrap_or_else(|| panic!("the alt text is not checked: {found:?}"));
    assert_eq!(hit.key.as_deref(), Some("logo.alt"));
}

mod typed_anyhow {
    use proptest::prelude::*;

    use super::*;

    /// A separator between groups: none, a space of any kind, a dash of
    /// any kind, with or without a zero-width character.
    fn separator() -> impl Strategy<Value = String> {
        let kinds = [
            "",
            " ",
            "\u{a0}",
            "\u{2009}",
            "\u{202f}",
            "-",
            "\u{2013}",
            "\u{2212}",
            "\u{200b}",
            " \u{200b}",
        ];
        proptest::sample::select(kinds.to_vec()).prop_map(str::to_string)
    }

    fn cased(text: &str, upper: bool) -> String {
        if upper { text.to_uppercase() } else { text.to_lowercase() }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn random_ni_numbers_and_postcodes_are_always_found(
            first in proptest::sample::select(b"ABCEGHJKLMNPRSTWXYZ".to_vec()),
            second in proptest::sample::select(b"ABCEGHJKLMNPRSTWXYZ".to_vec()),
            digits in proptest::collection::vec(0u8..10, 6),
            suffix in proptest::sample::select(b"ABCD".to_vec()),
            seps in proptest::collection::vec(separator(), 5),
            upper in any::<bool>(),
        ) {
            let d: Vec<String> = digits.iter().map(u8::to_string).collect();
            let ni = format!(
                "{}{}{}{}{}{}{}{}{}{}{}",
                first as char, second as char, seps[0], d[0], d[1], seps[1], d[2], d[3], seps[2],
                d[4], d[5]
            ) + &format!("{}{}", seps[3], suffix as char);
            let ni = cased(&ni, upper);
            let postcode = cased(&format!("LS{}{}{}AB", d[0], seps[4], d[1]), upper);
            let yaml = letter_with(&format!("Seen {ni} and {postcode} today."), "en");
            let (found, _) = preflight_text("random.yaml", &yaml);
            prop_assert!(found.iter().any(|x| x.code.as_deref() == Some("ni-number")), "{ni:?}: {found:?}");
            prop_assert!(found.iter().any(|x| x.code.as_deref() == Some("postcode")), "{postcode:?}: {found:?}");
        }
    }
}

#[test]
fn the_fixtures_have_no_errors_and_their_warnings_are_these() {
    let mut all = Vec::new();
    for name in fixture_names() {
        let diagnostics = preflight_fixture(&name);
        assert!(!diagnostics.iter().any(Diagnostic::is_error), "{name}: {diagnostics:#?}");
        all.extend(diagnostics);
    }
    insta::assert_snapshot!(report::to_string(&all, DiagnosticFormat::Short));
}

/// The every-rule fixture with more keys at the end.
fn every_rule_with(extra: &str) -> String {
    fs::read_to_string(fixture("preflight/every-rule.yaml")).unwrap() + extra
}

#[test]
fn a_house_style_rule_switched_off_with_a_reason_stays_off() {
    let yaml = every_rule_with(
        "preflight:\n  off:\n    long-sentence: It quotes the court's order.\n    link-text: As the family asked.\n",
    );
    let (diagnostics, off) = preflight_text("off.yaml", &yaml);
    let codes: Vec<&str> = diagnostics.iter().filter_map(|d| d.code.as_deref()).collect();
    assert_eq!(codes.len(), EVERY_RULE.len() - 2, "{codes:?}");
    assert!(!codes.contains(&"long-sentence") && !codes.contains(&"link-text"), "{codes:?}");
    assert_eq!(off, ["link-text", "long-sentence"]);
}

#[test]
fn personal_data_cannot_be_switched_off_and_unknown_rules_are_named() {
    let yaml = every_rule_with(
        "preflight:\n  off:\n    phone-number: It is public.\n    long-sentense: Quoted.\n    ordinal-date: \"\"\n",
    );
    let (diagnostics, off) = preflight_text("off.yaml", &yaml);
    assert!(off.is_empty());
    let messages: Vec<String> =
        diagnostics.iter().filter(|d| d.code.is_none()).map(|d| d.to_string()).collect();
    assert_eq!(
        messages,
        [
            "off.yaml:58:20: error: unknown rule \"long-sentense\"; did you mean \"long-sentence\"? (at `preflight.off.long-sentense`)",
            "off.yaml:59:19: error: switching ordinal-date off needs a reason (at `preflight.off.ordinal-date`)",
            "off.yaml:57:19: error: the rule phone-number is about personal data and cannot be switched off (at `preflight.off.phone-number`)",
        ]
    );
    assert!(diagnostics.iter().any(|d| d.code.as_deref() == Some("phone-number")));
}

/// A folder with `mine/FILE`: the built-in template FILE with `from`
/// replaced by `to`.
fn templates_with(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("templates").join(file)).unwrap();
    assert!(text.contains(from), "{file} has {from}");
    let path = dir.path().join("mine").join(file);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text.replace(from, to)).unwrap();
    dir
}

#[test]
fn the_rules_are_data_a_templates_folder_overrides() {
    let term = "      juveniles: children and young people\n";
    let added = format!("{term}      service users: children and young people\n");
    let dir = templates_with("preflight.yaml", term, &added);
    let yaml = fs::read_to_string(fixture("torbay-2015.yaml"))
        .unwrap()
        .replace("Staff felt well supported", "Service users felt well supported");
    fs::write(dir.path().join("torbay.yaml"), yaml).unwrap();

    let out = run(dir.path(), &["preflight", "torbay.yaml", "--diagnostic-format", "short"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));

    let args = ["preflight", "torbay.yaml", "--templates", "mine", "--diagnostic-format", "short"];
    let out = run(dir.path(), &args, None);
    assert_eq!(out.status.code(), Some(0), "warnings do not fail: {}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "torbay.yaml:38:5: warning[outdated-term]: write \"children and young people\", not \"Service users\" (at `operational_management[0]`)\n"
    );
}

#[test]
fn a_number_the_rules_call_public_may_be_printed() {
    let public = "  public: [\"07700 900123\", Jo.Bloggs@example.org]";
    let dir = templates_with("preflight.yaml", "  public: []", public);
    let input = fixture("preflight/every-rule.yaml");
    let args = [
        "preflight",
        input.to_str().unwrap(),
        "--templates",
        "mine",
        "--diagnostic-format",
        "short",
    ];
    let out = run(dir.path(), &args, None);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(!text.contains("phone-number") && !text.contains("email-address"), "{text}");
    assert!(text.contains("error[postcode]"), "{text}");
}

#[test]
fn personal_data_in_a_changed_words_file_is_found_there() {
    let from = "or on {publications_phone}.";
    let dir = templates_with(
        "words/en.yaml",
        from,
        "or on {publications_phone} (or Jo on 07700 900456).",
    );
    let input = fixture("gwynedd-2015.yaml");
    let args = ["preflight", input.to_str().unwrap(), "--templates", "mine"];
    let out = run(dir.path(), &args, None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("error[phone-number]"), "{text}");
    assert!(text.contains("mine/words/en.yaml:"), "located in the words file: {text}");
    assert!(text.contains("gwynedd-2015.yaml: 1 error"), "{text}");
}

#[test]
fn the_binary_exits_1_on_personal_data_and_prints_short_lines_for_ci() {
    let args = ["preflight", "fixtures/preflight/every-rule.yaml", "fixtures/torbay-2015.yaml"];
    let out = run(&root(), &args, None);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(text.contains("fixtures/preflight/every-rule.yaml: 6 errors, 7 warnings"), "{text}");
    assert!(text.contains("fixtures/torbay-2015.yaml: ok"), "{text}");

    let out = run(
        &root(),
        &["preflight", "fixtures/bath-2016.yaml", "--diagnostic-format", "short"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{}", stderr(&out));

    let out = run(&root(), &["preflight", "fixtures/invalid/missing-key.yaml"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: missing required key"),
        "as check reports it: {}",
        stderr(&out)
    );
}
