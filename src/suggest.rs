//! "Did you mean …?": the known word nearest to a misspelt one, and the
//! message that names both.
//!
//! Keys, values, letters, phrases and footnote names are all misspelt the
//! same way, so they are all suggested the same way, by this one module.

use crate::error::Diagnostic;

/// The expected word nearest to `found`, if it is near enough to be a typo.
pub(crate) fn closest<'a>(found: &str, expected: &[&'a str]) -> Option<&'a str> {
    let found = found.to_lowercase();
    expected
        .iter()
        .map(|e| (strsim::damerau_levenshtein(&found, &e.to_lowercase()), *e))
        .filter(|(distance, e)| *distance <= (e.len() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, e)| e)
}

/// `unknown key "strenghts"; did you mean "strengths"?`, or without a near
/// word, `unknown key "x"` with a hint listing what there is. A short list
/// (a handful of values) is given either way.
pub(crate) fn unknown(what: &str, found: &str, expected: &[&str]) -> Diagnostic {
    let best = closest(found, expected);
    let message = match best {
        Some(best) => format!("unknown {what} \"{found}\"; did you mean \"{best}\"?"),
        None => format!("unknown {what} \"{found}\""),
    };
    let diagnostic = Diagnostic::error(message);
    if expected.is_empty() || (best.is_some() && expected.len() > SHORT_LIST) {
        diagnostic
    } else {
        diagnostic.hint(format!("expected one of: {}", expected.join(", ")))
    }
}

/// Lists this long are short enough to read in a hint.
const SHORT_LIST: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_words() {
        let keys = ["strengths", "summary", "improvements"];
        assert_eq!(closest("strenghts", &keys), Some("strengths"));
        assert_eq!(closest("sumary", &keys), Some("summary"));
        assert_eq!(closest("banana", &keys), None);
    }

    #[test]
    fn messages_suggest_and_list() {
        let d = unknown("pronoun", "shee", &["he", "she", "they"]);
        assert_eq!(d.message, "unknown pronoun \"shee\"; did you mean \"she\"?");
        assert_eq!(d.hints, ["expected one of: he, she, they"]);
        let many: Vec<String> = (0..10).map(|i| format!("key{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(unknown("key", "key11", &many).hints.is_empty());
        assert_eq!(unknown("key", "zzz", &many).hints.len(), 1);
    }
}
