//! User text is data, never code: arbitrary text placed in a paragraph comes
//! back out of the PDF exactly as written, except the inline markup.

use proptest::prelude::*;

use crate::common::*;

/// Pieces that mean something in Typst, minijinja, Markdown or YAML.
pub(crate) fn awkward() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("#"),
        Just("$"),
        Just("@"),
        Just("<"),
        Just(">"),
        Just("\\"),
        Just("["),
        Just("]"),
        Just("*"),
        Just("_"),
        Just("`"),
        Just("~"),
        Just("--"),
        Just("---"),
        Just("..."),
        Just("//"),
        Just("/*"),
        Just("*/"),
        Just("="),
        Just("- "),
        Just("+ "),
        Just("1. "),
        Just("\""),
        Just("'"),
        Just("{{"),
        Just("}}"),
        Just("{%"),
        Just("%}"),
        Just("{#"),
        Just("#set page(width: 2cm)"),
        Just("#let x = 1;"),
        Just("$x^2$"),
        Just("<label>"),
        Just("@ref"),
        Just("\\u{41}"),
        Just("#\"\";"),
        Just(");"),
        Just("]["),
        Just("\n"),
        Just("\n# "),
        Just("\n- "),
        Just("\n1. "),
        Just("\n> "),
        Just("\n    "),
        Just("```"),
        Just("&amp;"),
        Just("<b>"),
        Just("ŵ"),
        Just("ŷ"),
        Just("Ελλάδα"),
        Just("Київ"),
        Just("é"),
        Just("–"),
        Just(" "),
        Just("("),
        Just(")"),
        Just(";"),
        Just(":"),
    ]
    .prop_map(str::to_string)
}

fn word() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{1,8}"
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![3 => awkward(), 2 => word()], 1..24)
        .prop_map(|pieces| pieces.concat())
        .prop_filter("not blank", |s| !s.trim().is_empty())
        // `[^name]` is a footnote mark; undefined ones are errors, tested elsewhere.
        .prop_filter("no footnote marks", |s| !s.contains("[^"))
        // `<name@host>` is an email link, whose angle brackets vanish.
        .prop_filter("no email links", |s| !has_email_autolink(s))
}

pub(crate) fn has_email_autolink(s: &str) -> bool {
    s.split('<').skip(1).any(|rest| {
        rest.split_once('>')
            .is_some_and(|(inside, _)| inside.contains('@') && !inside.contains(' '))
    })
}

/// What the format promises to print: the text, less emphasis marks.
fn printed(text: &str) -> String {
    squeeze(&text.replace(['*', '_'], ""))
}

fn between_markers(pdf_text: &str) -> String {
    let text = squeeze(pdf_text);
    let start = text.find(&squeeze(BEFORE)).expect("opening marker") + squeeze(BEFORE).len();
    let end = text.find(&squeeze(AFTER)).expect("closing marker");
    text[start..end].to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// In English and in Welsh letters alike.
    #[test]
    fn arbitrary_text_prints_as_written(text in paragraph(), language in prop_oneof![Just("en-GB"), Just("cy")]) {
        let rendered = render_text("prop.yaml", &letter_with(&text, language))
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let out = between_markers(&pdf_text(rendered.bytes()));
        prop_assert_eq!(out.replace(['*', '_'], ""), printed(&text), "text: {:?}", text);
    }
}

#[test]
fn typst_and_template_syntax_prints_literally() {
    let text = r##"#set text(red) #pagebreak() $E = m c^2$ {{ 7+7 }} {% raw %} @fig <lbl> \#x //c /* d "q" 'a' -- --- ... ~ #("x");"##;
    for language in ["en-GB", "cy"] {
        let rendered = render_text("t.yaml", &letter_with(text, language)).unwrap();
        let same_length = "word ".repeat(text.len() / 5);
        let baseline = render_text("b.yaml", &letter_with(&same_length, language)).unwrap();
        assert_eq!(rendered.pages, baseline.pages, "no #pagebreak() ran");
        let out = between_markers(&pdf_text(rendered.bytes()));
        assert_eq!(out, squeeze(text), "{language}");
    }
}
