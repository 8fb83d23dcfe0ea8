//! Errors an inspector can act on: one invalid fixture per class of error,
//! each with a snapshot of the message as the user sees it; the loader
//! never panics or hangs, whatever it is given.

use std::path::Path;
use std::time::{Duration, Instant};

use hmip_letter::load;
use hmip_letter::report::{self, DiagnosticFormat};
use proptest::prelude::*;

use crate::common::*;

/// The messages `check` prints for a file, as text.
fn messages(path: &Path) -> String {
    let relative = path.strip_prefix(root()).unwrap_or(path);
    let input = load::Input::Path(relative.to_path_buf());
    let diagnostics = match load::read(&input) {
        Ok(file) => match pipeline().load(file, input.dir()) {
            Ok(letter) => letter.warnings,
            Err(error) => error.diagnostics(),
        },
        Err(error) => error.diagnostics(),
    };
    report::to_string(&diagnostics, DiagnosticFormat::Human)
}

#[test]
fn each_class_of_error_has_a_located_message() {
    insta::glob!("../../fixtures/invalid", "*.yaml", |path| {
        let text = messages(path);
        assert!(text.starts_with("error: "), "{text}");
        assert!(text.contains("fixtures/invalid/"), "the file is named: {text}");
        insta::assert_snapshot!(text);
    });
}

#[test]
fn slips_are_warnings_and_the_letter_still_renders() {
    insta::glob!("../../fixtures/warnings", "*.yaml", |path| {
        let text = messages(path);
        assert!(text.starts_with("warning: "), "{text}");
        assert!(!text.contains("error"), "{text}");
        insta::assert_snapshot!(text);
    });
}

#[test]
fn markup_nested_thousands_deep_is_refused_at_its_line() {
    let yaml = std::fs::read_to_string(fixture("invalid/empty-text.yaml"))
        .unwrap()
        .replace("  - \"  \"", &format!("  - \"x {}deep{}\"", "*".repeat(5000), "*".repeat(5000)));
    let error = render_text("deep.yaml", &yaml).err().expect("too deep to render");
    let errors: Vec<_> = error.diagnostics().into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let d = &errors[0];
    assert!(d.message.contains("nested more than 8 deep"), "{}", d.message);
    assert_eq!(d.key.as_deref(), Some("strengths[0]"));
    assert_eq!(d.file.as_ref().unwrap().name, "deep.yaml");
    let (line, column) = d.line_column().unwrap();
    assert_eq!(line, 21);
    assert!((10..40).contains(&column), "at the ninth opening mark, not {column}");
    assert_eq!(d.range.as_ref().unwrap().len(), 1, "one mark");
    assert!(!format!("{error}").contains("maximum parsing depth"));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_parsing() {
    let big = format!("area: Testshire\nsummary:\n{}", "  - Work was good.\n".repeat(60_000));
    let started = Instant::now();
    let error = load::from_bytes("huge.yaml".into(), big.into_bytes()).unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(100));
    insta::assert_snapshot!(report::to_string(&error.diagnostics(), DiagnosticFormat::Human));
}

#[test]
fn every_problem_in_a_file_is_reported() {
    let text = messages(&fixture("invalid/several-problems.yaml"));
    for needle in [
        "2020-02-31 is not a date",
        "expected a whole number, found \"twelve\"",
        "unknown key \"strenghts\"; did you mean \"strengths\"?",
        "unknown pronoun \"she/her\"",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
}

#[test]
fn hostile_yaml_is_refused_quickly() {
    for name in ["invalid/alias-bomb.yaml", "invalid/deep-nesting.yaml"] {
        let started = Instant::now();
        let text = messages(&fixture(name));
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{name} took {:?}",
            started.elapsed()
        );
        assert!(text.contains("nested too deeply or repeats itself"), "{text}");
    }
    // 200 KB of nested brackets, the input that took serde_yaml 45 seconds.
    let brackets = format!("area: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let started = Instant::now();
    let file = load::from_bytes("brackets.yaml".into(), brackets.into_bytes()).unwrap();
    assert!(pipeline().load(file, None).is_err());
    assert!(started.elapsed() < Duration::from_millis(500), "took {:?}", started.elapsed());
}

/// Loads bytes as a findings file; the point is that it returns.
fn load_bytes(bytes: Vec<u8>) -> Duration {
    let started = Instant::now();
    if let Ok(file) = load::from_bytes("fuzz.yaml".into(), bytes) {
        let _ = pipeline().load(file, None);
    }
    started.elapsed()
}

/// Bytes that are mostly YAML: indicators, indentation, keys, scalars.
fn yamlish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"\n".to_vec()),
        Just(b"  ".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"- ".to_vec()),
        Just(b": ".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]".to_vec()),
        Just(b"{".to_vec()),
        Just(b"}".to_vec()),
        Just(b"&a ".to_vec()),
        Just(b"*a".to_vec()),
        Just(b"? ".to_vec()),
        Just(b"!!str ".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"'".to_vec()),
        Just(b"|".to_vec()),
        Just(b">-".to_vec()),
        Just(b"#".to_vec()),
        Just(b"---".to_vec()),
        Just(b"...".to_vec()),
        Just(b"area".to_vec()),
        Just(b"summary".to_vec()),
        Just(b"commentary".to_vec()),
        Just(b"paragraphs".to_vec()),
        Just(b"2014-02-30".to_vec()),
        Just(b"~".to_vec()),
        Just(b"<<: ".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"\xc3".to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|pieces| pieces.concat())
}

/// A valid file with a few bytes replaced, inserted or removed.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let original = std::fs::read(fixture("barnet-2014.yaml")).unwrap();
    let len = original.len();
    prop::collection::vec(
        (0..len, 0u8..3, any::<u8>(), prop::sample::select(b"\n :-[]{}#&*!|>\"'\t".to_vec())),
        1..8,
    )
    .prop_map(move |edits| {
        let mut bytes = original.clone();
        for (at, kind, random, special) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            let byte = if random % 2 == 0 { special } else { random };
            match kind {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ => {
                    bytes.remove(at);
                }
            }
        }
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_loader_returns_for_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        prop_assert!(load_bytes(bytes) < Duration::from_secs(1));
    }

    #[test]
    fn the_loader_returns_for_yaml_like_input(bytes in yamlish()) {
        prop_assert!(load_bytes(bytes) < Duration::from_secs(1));
    }

    #[test]
    fn the_loader_returns_for_mutated_letters(bytes in mutated()) {
        prop_assert!(load_bytes(bytes) < Duration::from_secs(1));
    }
}
