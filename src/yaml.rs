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
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};
use serde_saphyr::{Error as YamlError, MessageFormatter, UserMessageFormatter};

use crate::error::{Diagnostic, SourceFile};

/// Parses a whole YAML file into `T`, with every problem located.
pub fn parse<T: DeserializeOwned>(file: &Arc<SourceFile>) -> Result<(T, KeyIndex), Diagnostic> {
    match serde_saphyr::from_str_with_options::<T>(&file.text, options()) {
        Ok(value) => Ok((value, KeyIndex::build(&file.text))),
        Err(error) => {
            // A budget breach means the file is hostile or absurd: do not
            // walk it again to find key paths.
            let index = match error.without_snippet() {
                YamlError::Budget { .. } => KeyIndex::default(),
                _ => KeyIndex::build(&file.text),
            };
            Err(describe(&error, file, &index))
        }
    }
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
    let mut error = error.without_snippet();
    while let YamlError::AliasError { error: inner, .. } = error {
        error = inner.without_snippet();
    }
    let range = location_range(error, &file.text);
    let found = range
        .as_ref()
        .map(|r| file.text[r.clone()].trim())
        .unwrap_or("");
    let mut diagnostic = match error {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => unknown(field, expected, "key"),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => unknown(variant, expected, "value"),
        YamlError::SerdeMissingField { field, .. } => {
            Diagnostic::error(format!("missing required key \"{field}\""))
        }
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => Diagnostic::error(format!(
            "expected {}, found {}",
            friendly_type(expected),
            friendly_unexpected(unexpected)
        )),
        YamlError::SerdeInvalidValue { expected, .. } => Diagnostic::error(format!(
            "expected {}, found \"{found}\"",
            friendly_type(expected)
        )),
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
        YamlError::Budget { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. } => Diagnostic::error(
            "the file is too deeply nested or repeats itself too often to be a findings file",
        )
        .hint("a findings file nests at most four levels and needs no anchors or aliases"),
        YamlError::Eof { .. } => Diagnostic::error("the file ends where more was expected"),
        YamlError::InvalidUtf8Input => Diagnostic::error("the file is not UTF-8 text"),
        YamlError::MultipleDocuments { .. } => {
            Diagnostic::error("the file holds more than one YAML document")
                .hint("a findings file is one document: remove the `---` lines after the first")
        }
        other => {
            let message = UserMessageFormatter.format_message(other).to_string();
            let message = message.escape_debug().to_string();
            syntax_error(message, found)
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
fn syntax_error(message: String, found: &str) -> Diagnostic {
    let lower = message.to_lowercase();
    let mut diagnostic = Diagnostic::error(format!("YAML syntax error: {lower}"));
    if lower.contains("tab") || found.contains('\t') {
        diagnostic = diagnostic.hint("YAML indents with spaces: replace the tab with spaces");
    } else if lower.contains("mapping values") || lower.contains("simple key") {
        diagnostic = diagnostic.hint(
            "a value that contains `: ` must be quoted, or written on its own lines after `>-`",
        );
    }
    diagnostic
}

/// "unknown key "strenghts"; did you mean "strengths"?"
fn unknown(found: &str, expected: &[&str], what: &str) -> Diagnostic {
    match closest(found, expected) {
        Some(best) => Diagnostic::error(format!(
            "unknown {what} \"{found}\"; did you mean \"{best}\"?"
        )),
        None if expected.is_empty() => Diagnostic::error(format!("unknown {what} \"{found}\"")),
        None => Diagnostic::error(format!("unknown {what} \"{found}\""))
            .hint(format!("expected one of: {}", expected.join(", "))),
    }
}

/// The expected word nearest to `found`, if it is near enough to be a typo.
pub fn closest<'a>(found: &str, expected: &[&'a str]) -> Option<&'a str> {
    let found = found.to_lowercase();
    expected
        .iter()
        .map(|e| (strsim::damerau_levenshtein(&found, &e.to_lowercase()), *e))
        .filter(|(distance, e)| *distance <= (e.len() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, e)| e)
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
fn location_range(error: &YamlError, text: &str) -> Option<Range<usize>> {
    let location = error.location()?;
    let span = location.span();
    let start = match span.byte_offset() {
        Some(offset) => offset as usize,
        None => line_column_to_offset(text, location.line(), location.column())?,
    };
    let start = start.min(text.len());
    let len = span.byte_len().unwrap_or(0) as usize;
    let end = (start + len.max(1)).min(text.len());
    (start <= end && text.is_char_boundary(start) && text.is_char_boundary(end))
        .then_some(start..end)
        .or(Some(start..start))
        .filter(|r| text.is_char_boundary(r.start))
}

fn line_column_to_offset(text: &str, line: u64, column: u64) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line as usize - 2)
            .map(|(i, _)| i + 1)?
    };
    let offset = text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| line_start + i);
    Some(offset)
}

/// Where each key path of a YAML file is, for messages.
#[derive(Debug, Default, Clone)]
pub struct KeyIndex {
    nodes: Vec<IndexedNode>,
}

/// One node of the file: its key path, and the bytes from its key (if it has
/// one) to the end of its value.
#[derive(Debug, Clone)]
pub struct IndexedNode {
    pub path: String,
    /// The bytes of the value.
    pub value: Range<usize>,
    /// Where the node's key starts, when it is a mapping value.
    pub key_start: Option<usize>,
    /// How a scalar value was written, e.g. quoted or plain.
    pub style: Option<ScalarStyle>,
}

impl IndexedNode {
    /// Whether a scalar was written without quotes.
    pub fn is_plain(&self) -> bool {
        self.style == Some(ScalarStyle::Plain)
    }
}

enum Frame {
    Mapping {
        path: String,
        start: usize,
        key: Option<(String, usize)>,
        node: usize,
    },
    Sequence {
        path: String,
        next: usize,
        node: usize,
    },
}

/// Events beyond this are not indexed: no findings file comes close.
const MAX_INDEXED_EVENTS: usize = 250_000;

impl KeyIndex {
    /// Walks the parser's events, recording each node's key path and bytes.
    /// A syntax error ends the walk; what was read so far is kept.
    pub fn build(text: &str) -> Self {
        let mut index = KeyIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        let byte = |m: &serde_saphyr::granit_parser::Marker| {
            m.byte_offset()
                .unwrap_or_else(|| char_to_byte(text, m.index()))
        };
        for (count, item) in Parser::new_from_str(text).enumerate() {
            let Ok((event, span)) = item else { break };
            if count > MAX_INDEXED_EVENTS || stack.len() > 64 {
                break;
            }
            let (start, end) = (byte(&span.start), byte(&span.end));
            match event {
                Event::Scalar(value, style, ..) => {
                    if let Some(Frame::Mapping {
                        key: key @ None, ..
                    }) = stack.last_mut()
                    {
                        *key = Some((value.to_string(), start));
                        continue;
                    }
                    let (path, key_start) = child_path(&mut stack);
                    index.push(path, start..end, key_start, Some(style));
                }
                Event::Alias(_) => {
                    if let Some(Frame::Mapping {
                        key: key @ None, ..
                    }) = stack.last_mut()
                    {
                        *key = Some(("*".into(), start));
                        continue;
                    }
                    let (path, key_start) = child_path(&mut stack);
                    index.push(path, start..end, key_start, None);
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let (path, key_start) = child_path(&mut stack);
                    let node = index.push(path.clone(), start..end, key_start, None);
                    stack.push(match event {
                        Event::MappingStart(..) => Frame::Mapping {
                            path,
                            start,
                            key: None,
                            node,
                        },
                        _ => Frame::Sequence {
                            path,
                            next: 0,
                            node,
                        },
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some(Frame::Mapping { node, .. } | Frame::Sequence { node, .. }) =
                        stack.pop()
                    {
                        index.nodes[node].value.end = end.max(index.nodes[node].value.start);
                    }
                }
                _ => {}
            }
        }
        index
    }

    fn push(
        &mut self,
        path: String,
        value: Range<usize>,
        key_start: Option<usize>,
        style: Option<ScalarStyle>,
    ) -> usize {
        self.nodes.push(IndexedNode {
            path,
            value,
            key_start,
            style,
        });
        self.nodes.len() - 1
    }

    /// The innermost key path whose key or value covers `offset`.
    pub fn path_at(&self, offset: usize) -> Option<&str> {
        self.nodes
            .iter()
            .filter(|n| {
                let start = n.key_start.unwrap_or(n.value.start);
                start <= offset && offset < n.value.end.max(n.value.start + 1)
            })
            .min_by_key(|n| n.value.end - n.key_start.unwrap_or(n.value.start))
            .map(|n| n.path.as_str())
            .filter(|p| !p.is_empty())
    }

    /// The node at a key path.
    pub fn get(&self, path: &str) -> Option<&IndexedNode> {
        self.nodes.iter().find(|n| n.path == path)
    }

    /// The bytes of the value at a key path, or of its nearest indexed parent.
    pub fn range_of(&self, path: &str) -> Option<Range<usize>> {
        let mut path = path;
        loop {
            if let Some(node) = self.get(path) {
                return Some(node.value.clone());
            }
            path = parent_path(path)?;
        }
    }

    /// Every indexed node, in file order.
    pub fn nodes(&self) -> &[IndexedNode] {
        &self.nodes
    }
}

/// `a.b[2]` → `a.b`; `a.b` → `a`; `a` → ``.
fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

/// The key path of the node that starts now, and where its key starts.
fn child_path(stack: &mut [Frame]) -> (String, Option<usize>) {
    match stack.last_mut() {
        None => (String::new(), None),
        Some(Frame::Mapping {
            path, key, start, ..
        }) => {
            let (name, key_start) = key.take().unwrap_or_else(|| ("?".into(), *start));
            let joined = if path.is_empty() {
                name
            } else {
                format!("{path}.{name}")
            };
            (joined, Some(key_start))
        }
        Some(Frame::Sequence { path, next, .. }) => {
            let joined = format!("{path}[{next}]");
            *next += 1;
            (joined, None)
        }
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "area: Barnet\ncommentary:\n  - heading: A\n    paragraphs:\n      - one\n      - two\nto: {name: X, role: Y}\n";

    #[test]
    fn key_paths_of_offsets() {
        let index = KeyIndex::build(TEXT);
        let at = |needle: &str| index.path_at(TEXT.find(needle).unwrap());
        assert_eq!(at("Barnet"), Some("area"));
        assert_eq!(at("area"), Some("area"));
        assert_eq!(at("two"), Some("commentary[0].paragraphs[1]"));
        assert_eq!(at("heading"), Some("commentary[0].heading"));
        assert_eq!(at("role"), Some("to.role"));
    }

    #[test]
    fn ranges_of_key_paths() {
        let index = KeyIndex::build(TEXT);
        let r = index.range_of("commentary[0].paragraphs[0]").unwrap();
        assert_eq!(&TEXT[r], "one");
        let r = index.range_of("commentary[0].paragraphs[7]").unwrap();
        assert!(TEXT[r].contains("one"));
        assert!(index.get("to.name").unwrap().is_plain());
    }

    #[test]
    fn closest_words() {
        let keys = ["strengths", "summary", "improvements"];
        assert_eq!(closest("strenghts", &keys), Some("strengths"));
        assert_eq!(closest("sumary", &keys), Some("summary"));
        assert_eq!(closest("banana", &keys), None);
    }
}
