//! All YAML code: reading findings and organisation files into typed values,
//! and finding where each key is.
//!
//! serde-saphyr parses straight into the model, refuses duplicate keys, and
//! stops hostile input (deep nesting, alias bombs) with a budget. Its errors
//! carry a source location; [`KeyIndex`] turns that location into the key
//! path an inspector recognises (`commentary[2].paragraphs[0]`), and turns a
//! key path back into a location for the checks that run after parsing.

use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_saphyr::{Error as YamlError, MessageFormatter, UserMessageFormatter};

use crate::error::{Diagnostic, SourceFile};
use crate::suggest::unknown;

mod index;

pub(crate) use index::{KeyIndex, Node, NodeKind};

/// Why a file did not parse.
pub(crate) struct Failure {
    /// The first problem serde met, located.
    pub(crate) first: Diagnostic,
    /// Whether it is a problem of shape (a key or value the schema does not
    /// allow), which a walk of the index against the schema finds too.
    pub(crate) shape: bool,
    /// The file's index, as far as it could be read.
    pub(crate) index: KeyIndex,
}

/// Parses a whole YAML file into `T`.
pub(crate) fn parse<T: DeserializeOwned>(file: &Arc<SourceFile>) -> Result<(T, KeyIndex), Failure> {
    // One linear pass first, which never expands aliases: a file nested or
    // aliased like an attack is refused before serde sees it.
    let index = KeyIndex::build(&file.text);
    if let Some(excess) = index.excess() {
        let diagnostic = too_complex()
            .at(file, Some(excess.clone()))
            .key(index.path_at(excess.start).unwrap_or_default());
        return Err(Failure { first: diagnostic, shape: false, index: KeyIndex::default() });
    }
    match serde_saphyr::from_str_with_options::<T>(&file.text, options()) {
        Ok(value) => Ok((value, index)),
        Err(error) => {
            let shape = matches!(
                innermost(&error),
                YamlError::SerdeUnknownField { .. }
                    | YamlError::SerdeUnknownVariant { .. }
                    | YamlError::SerdeMissingField { .. }
                    | YamlError::SerdeInvalidType { .. }
                    | YamlError::SerdeInvalidValue { .. }
                    | YamlError::InvalidScalar { .. }
                    | YamlError::NullIntoString { .. }
                    | YamlError::Unexpected { .. }
                    | YamlError::Message { .. }
            );
            Err(Failure { first: describe(&error, file, &index), shape, index })
        }
    }
}

/// The error itself, without snippet or alias wrappers.
fn innermost(error: &YamlError) -> &YamlError {
    let mut error = error.without_snippet();
    while let YamlError::AliasError { error: inner, .. } = error {
        error = inner.without_snippet();
    }
    error
}

fn too_complex() -> Diagnostic {
    Diagnostic::error(
        "the file is nested too deeply or repeats itself (YAML aliases) too often to be a findings file",
    )
    .hint("a findings file nests at most four levels and needs no anchors (&) or aliases (*)")
}

/// Limits far above any real letter (a long one has ~300 nodes, depth 4),
/// and far below what makes parsing slow.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 32,
            flow_nesting_limit: 32,
            max_nodes: 100_000,
            max_events: 250_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_documents: 1,
            max_total_scalar_bytes: 4 * 1024 * 1024,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 10_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 100,
        },
        strict_booleans: true,
    }
}

/// Turns a serde-saphyr error into a diagnostic in plain English.
fn describe(error: &YamlError, file: &Arc<SourceFile>, index: &KeyIndex) -> Diagnostic {
    let error = innermost(error);
    let range = location_range(error, file);
    let found = range.as_ref().map(|r| file.text[r.clone()].trim()).unwrap_or("");
    let mut diagnostic = match error {
        YamlError::SerdeUnknownField { field, expected, .. } => unknown("key", field, expected),
        YamlError::SerdeUnknownVariant { variant, expected, .. } => {
            unknown("value", variant, expected)
        }
        YamlError::SerdeMissingField { field, .. } => {
            Diagnostic::error(format!("missing required key \"{field}\""))
        }
        YamlError::SerdeInvalidType { unexpected, expected, .. } => Diagnostic::error(format!(
            "expected {}, found {}",
            friendly_type(expected),
            friendly_unexpected(unexpected)
        )),
        YamlError::SerdeInvalidValue { expected, .. } => {
            Diagnostic::error(format!("expected {}, found \"{found}\"", friendly_type(expected)))
        }
        YamlError::InvalidScalar { ty, .. } => {
            Diagnostic::error(format!("expected {}, found \"{found}\"", friendly_type(ty)))
        }
        YamlError::NullIntoString { .. } => Diagnostic::error("expected text, found nothing")
            .hint("write the text after the colon, or leave the key out if it is optional"),
        YamlError::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or(found);
            Diagnostic::error(format!("duplicate key \"{key}\""))
                .hint("each key may appear only once here; merge the two entries")
        }
        YamlError::Message { msg, .. } => Diagnostic::error(msg.clone()),
        YamlError::Unexpected { expected, .. } => {
            let expected = match *expected {
                "sequence start" => "a list",
                "mapping start" => "a mapping of keys to values",
                other => other,
            };
            Diagnostic::error(format!("expected {expected}, found \"{found}\""))
        }
        YamlError::Budget {
            breach: serde_saphyr::budget::BudgetBreach::ScalarBytes { .. },
            ..
        } => Diagnostic::error(
            "the file's text is larger than 4 MiB in all, far more than any letter holds",
        )
        .hint("check that this is the file you meant, and that no value was pasted in many times"),
        YamlError::Budget { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. } => too_complex(),
        YamlError::Eof { .. } => Diagnostic::error("the file ends where more was expected"),
        YamlError::InvalidUtf8Input => Diagnostic::error("the file is not UTF-8 text"),
        YamlError::MultipleDocuments { .. } => {
            Diagnostic::error("the file holds more than one YAML document")
                .hint("a findings file is one document: remove the `---` lines after the first")
        }
        other => {
            let message = UserMessageFormatter.format_message(other).to_string();
            // The parser's message may quote input: keep control characters out.
            let message: String =
                message.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            let before = &file.text[..range.as_ref().map_or(0, |r| r.start)];
            syntax_error(message, found, before)
        }
    };
    diagnostic = diagnostic.at(file, range.clone());
    if let Some(range) = range
        && let Some(path) = index.path_at(range.start)
    {
        diagnostic = diagnostic.key(path);
    }
    diagnostic
}

/// A message for a YAML syntax error, with a hint for the usual slips.
/// `before` is the text before the error, to find a bracket left open.
fn syntax_error(message: String, found: &str, before: &str) -> Diagnostic {
    let lower = message.to_lowercase();
    let mut diagnostic = Diagnostic::error(format!("YAML syntax error: {lower}"));
    if lower.contains("tab") || found.contains('\t') {
        diagnostic = diagnostic.hint("YAML indents with spaces: replace the tab with spaces");
    } else if let Some((line, bracket)) = unclosed_bracket(before) {
        diagnostic = diagnostic.hint(format!(
            "the `{bracket}` on line {line} is not closed; text that starts with `[` or `{{` must be quoted"
        ));
    } else if lower.contains("mapping values") || lower.contains("simple key") {
        diagnostic = diagnostic.hint(
            "a value that contains `: ` must be quoted, or written on its own lines after `>-`",
        );
    }
    diagnostic
}

/// The line and bracket of the outermost `[` or `{` still open at the end
/// of `text`, skipping quoted strings and comments.
fn unclosed_bracket(text: &str) -> Option<(usize, char)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if previous == ' ' || previous == '[' || previous == '{' => {
                    quote = Some(c)
                }
                (None, '#') if previous == ' ' => break,
                (None, '[' | '{') => open.push((number + 1, c)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
            previous = c;
        }
    }
    open.first().copied()
}

/// Serde's type names, in words.
fn friendly_type(expected: &str) -> String {
    let e = expected.trim();
    match e {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" => "a whole number".into(),
        "a string" | "string" | "str" => "text".into(),
        "a sequence" | "sequence" => "a list".into(),
        "a map" | "map" => "a mapping of keys to values".into(),
        "bool" | "a boolean" => "true or false".into(),
        _ if e.starts_with("struct ") => "a mapping of keys to values".into(),
        _ if e.starts_with("enum ") => "one of the allowed values".into(),
        _ => e.to_string(),
    }
}

fn friendly_unexpected(unexpected: &str) -> String {
    match unexpected {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" => "nothing".into(),
        other => other.to_string(),
    }
}

/// The byte range an error points at.
fn location_range(error: &YamlError, file: &SourceFile) -> Option<Range<usize>> {
    let text = &file.text;
    let location = error.location()?;
    let span = location.span();
    let start = match span.byte_offset() {
        Some(offset) => offset as usize,
        None => {
            let line = usize::try_from(location.line()).ok()?;
            file.offset(line, usize::try_from(location.column()).ok()?)?
        }
    };
    let start = start.min(text.len());
    if !text.is_char_boundary(start) {
        return None;
    }
    let len = span.byte_len().unwrap_or(0) as usize;
    let end = (start + len.max(1)).min(text.len());
    // An end inside a character marks just the spot.
    Some(if text.is_char_boundary(end) { start..end } else { start..start })
}
