//! Warnings: what is legal in a findings file but probably a slip. A
//! paragraph that stops mid-sentence, a figure "N of M" that cannot be
//! right, a person twice in the copy list, a Welsh place name that may need
//! mutating. Warnings never stop a letter and never change it.

use super::Located;
use crate::error::Diagnostic;
use crate::fields::{Field, TextKind};
use crate::model::Findings;
use crate::words::Words;

/// The slips of one text value: a paragraph that stops mid-sentence, a
/// figure "N of M" that cannot be right.
pub(super) fn text(field: &Field<'_, String>, cases: u32, at: &Located) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let text = field.value.as_str();
    if field.kind.is_sentences() && !text.trim().is_empty() && !ends_a_sentence(text) {
        let d = Diagnostic::warning("this paragraph does not end with a full stop")
            .hint("is it finished? a sentence ends with `.`, `?` or `!`");
        out.push(at.at(d, field.key));
    }
    // Each invisible character once, at its first place.
    let mut seen: Vec<char> = Vec::new();
    for c in text.chars().filter(|c| invisible(*c).is_some()) {
        if seen.contains(&c) {
            continue;
        }
        seen.push(c);
        let name = invisible(c).unwrap_or_default();
        let times = text.chars().filter(|&d| d == c).count();
        let times = if times == 1 { String::new() } else { format!(" {times} times") };
        let d = Diagnostic::warning(format!(
            "an invisible character, U+{:04X} ({name}), is inside the text{times}",
            c as u32
        ))
        .hint("it prints as nothing but is copied, searched and read aloud with the text: delete it (it often comes with text pasted from Word or a web page)");
        out.push(at.at_text(d, field.key, &c.to_string()));
    }
    if field.kind != TextKind::Plain {
        for (n, m) in figures(text) {
            let message = if n > m {
                format!("\"{n} of {m}\": the first figure is larger than the second")
            } else if m > cases {
                format!("\"{n} of {m}\": only {cases} cases were examined")
            } else {
                continue;
            };
            out.push(at.at(Diagnostic::warning(message), field.key));
        }
    }
    out
}

/// The name of a character that prints as nothing or silently reorders
/// the text around it, if `c` is one.
fn invisible(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{feff}' => "byte order mark",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{61c}' => "Arabic letter mark",
        '\u{202a}'..='\u{202e}' => "bidirectional embedding or override",
        '\u{2066}'..='\u{2069}' => "bidirectional isolate",
        _ => return None,
    })
}

/// A person twice in the copy list.
pub(super) fn copy_list(f: &Findings, at: &Located) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (i, row) in f.copy_to.as_deref().unwrap_or_default().iter().enumerate() {
        for (j, name) in row.names.iter().enumerate() {
            let normal = name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            let key = format!("copy_to[{i}].names[{j}]");
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == normal) {
                let d = Diagnostic::warning(format!("{name} is in the copy list twice"))
                    .hint(format!("also at `{first}`"));
                out.push(at.at(d, &key));
            } else {
                seen.push((normal, key));
            }
        }
    }
    out
}

/// A Welsh letter without `area_in` says "yn AREA", which is wrong when
/// the name should mutate after "yn" ("yng Nghaerdydd"). The inspectorate's
/// own titles differ on whether to mutate ("yn Nyfed Powys", "yn Gogledd
/// Cymru"), so the tool asks instead of changing the name.
pub(super) fn area_in(f: &Findings, words: &Words, at: &Located) -> Option<Diagnostic> {
    if words.language != "cy" || f.area_in.is_some() {
        return None;
    }
    let mutated = nasal_mutation(&f.area)?;
    let d = Diagnostic::warning(format!(
        "the letter says \"yn {}\" where Welsh may mutate the name",
        f.area
    ))
    .hint(format!(
        "give the form to print: `area_in: {mutated}` if it mutates, `area_in: yn {}` if not",
        f.area
    ));
    Some(at.at(d, "area"))
}

/// "yn" and a name with the nasal mutation: Caerdydd → "yng Nghaerdydd",
/// Powys → "ym Mhowys"; none for a name that does not mutate.
fn nasal_mutation(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    // Ch, Ph and Th are letters of their own, and do not mutate.
    if rest.starts_with(['h', 'H']) {
        return None;
    }
    let (yn, initial) = match first {
        'C' | 'c' => ("yng", "Ngh"),
        'P' | 'p' => ("ym", "Mh"),
        'T' | 't' => ("yn", "Nh"),
        'G' | 'g' => ("yng", "Ng"),
        'B' | 'b' => ("ym", "M"),
        'D' | 'd' => ("yn", "N"),
        _ => return None,
    };
    Some(format!("{yn} {initial}{rest}"))
}

/// Whether text ends as a sentence does, after closing quotes, brackets,
/// emphasis marks and footnote marks.
fn ends_a_sentence(text: &str) -> bool {
    let mut text = text.trim_end();
    loop {
        let before = text;
        if let Some(start) = text.rfind("[^")
            && text.ends_with(']')
        {
            text = &text[..start];
        }
        text = text.trim_end_matches(['"', '\'', '’', '”', ')', ']', '*', '_', ' ']);
        if text == before {
            break;
        }
    }
    text.ends_with(['.', '?', '!', '…', ':'])
}

/// The figures "N of M" and "N out of M" in a text, with number words.
fn figures(text: &str) -> Vec<(u32, u32)> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .collect();
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let Some(n) = number(word) else { continue };
        let mut j = i + 1;
        if words.get(j).map(String::as_str) == Some("out") {
            j += 1;
        }
        if words.get(j).map(String::as_str) != Some("of") {
            continue;
        }
        j += 1;
        if words.get(j).map(String::as_str) == Some("the") {
            j += 1;
        }
        if let Some(m) = words.get(j).and_then(|w| number(w)) {
            out.push((n, m));
        }
    }
    out
}

fn number(word: &str) -> Option<u32> {
    const WORDS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    word.parse().ok().or_else(|| WORDS.iter().position(|w| *w == word).map(|n| n as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_with_a_stop_after_quotes_and_notes() {
        assert!(ends_a_sentence("It was done."));
        assert!(ends_a_sentence("He said \"yes.\""));
        assert!(ends_a_sentence("It was *done*."));
        assert!(ends_a_sentence("It fell to 31%.[^rate]"));
        assert!(ends_a_sentence("(As planned.)"));
        assert!(!ends_a_sentence("Staff were"));
        assert!(!ends_a_sentence("It fell to 31%[^rate]"));
    }

    #[test]
    fn welsh_names_that_may_mutate_after_yn() {
        assert_eq!(nasal_mutation("Caerdydd").as_deref(), Some("yng Nghaerdydd"));
        assert_eq!(nasal_mutation("Dyfed Powys").as_deref(), Some("yn Nyfed Powys"));
        assert_eq!(nasal_mutation("Gogledd Cymru").as_deref(), Some("yng Ngogledd Cymru"));
        assert_eq!(nasal_mutation("Powys").as_deref(), Some("ym Mhowys"));
        assert_eq!(nasal_mutation("Bangor").as_deref(), Some("ym Mangor"));
        assert_eq!(nasal_mutation("Torfaen").as_deref(), Some("yn Nhorfaen"));
        for name in ["Abertawe", "Wrecsam", "Sir y Fflint", "Theatr", "Chwilog", "Môn"] {
            assert_eq!(nasal_mutation(name), None, "{name}");
        }
    }

    #[test]
    fn figures_are_found_in_words_and_digits() {
        let text = "in 12 of the 16 relevant cases, 18 out of the 20 cases, three of four, 2014 of";
        assert_eq!(figures(text), [(12, 16), (18, 20), (3, 4)]);
    }
}
