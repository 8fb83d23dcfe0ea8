//! The shape of a YAML file, read once without expanding aliases: every
//! node's key path, kind and bytes. It names the key of a parse error, places
//! the errors of later checks, lets the schema check a whole file when serde
//! stops at the first problem, and refuses hostile files before serde sees
//! them.

use std::ops::Range;

use serde_saphyr::granit_parser::{ErrorKind as ScanErrorKind, Event, Parser, ScalarStyle};

/// Every node of one YAML file, in file order.
#[derive(Debug, Default, Clone)]
pub(crate) struct KeyIndex {
    nodes: Vec<Node>,
    /// Whether the whole file was read (no syntax error cut it short).
    complete: bool,
    /// Where the file went past the limits of nesting or aliases, if it did.
    excess: Option<Range<usize>>,
    aliases: usize,
}

/// One node of the file.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// The key path, e.g. `commentary[2].paragraphs[0]`; empty for the root.
    pub(crate) path: String,
    /// The key of a mapping value, and the bytes of the key.
    pub(crate) key: Option<(String, Range<usize>)>,
    /// The bytes of the value.
    pub(crate) value: Range<usize>,
    /// A scalar, mapping, sequence or alias.
    pub(crate) kind: NodeKind,
    /// The nodes inside a mapping or sequence, in file order.
    pub(crate) children: Vec<usize>,
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NodeKind {
    /// A scalar: its value after YAML processing, and how it was written.
    Scalar(String, ScalarStyle),
    /// Keys and values.
    Mapping,
    /// A list.
    Sequence,
    /// An alias (`*name`) of another node.
    Alias,
}

impl Node {
    /// Whether the node is YAML null: `~`, `null`, or nothing at all.
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(v, ScalarStyle::Plain)
            if matches!(v.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The scalar's value, if the node is a scalar.
    pub(crate) fn scalar(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(value, _) => Some(value),
            _ => None,
        }
    }

    /// Whether a scalar was written without quotes.
    pub(crate) fn is_plain(&self) -> bool {
        matches!(self.kind, NodeKind::Scalar(_, ScalarStyle::Plain))
    }

    /// The bytes from the start of the key (or value) to the end of the value.
    pub(crate) fn whole(&self) -> Range<usize> {
        let start = self.key.as_ref().map_or(self.value.start, |(_, k)| k.start);
        start..self.value.end.max(start)
    }

    /// What the node is, in words: "text", "a list", "a mapping", "nothing".
    pub(crate) fn describe(&self) -> &'static str {
        match self.kind {
            _ if self.is_null() => "nothing",
            NodeKind::Scalar(..) => "text",
            NodeKind::Mapping => "a mapping",
            NodeKind::Sequence => "a list",
            NodeKind::Alias => "an alias",
        }
    }
}

enum Frame {
    Mapping { node: usize, key: Option<(String, Range<usize>)> },
    Sequence { node: usize, next: usize },
}

/// More events than this is not a findings file (Barnet has ~300).
const MAX_EVENTS: usize = 250_000;

/// Deeper nesting than this is not a findings file (they nest four deep).
const MAX_DEPTH: usize = 16;

/// More aliases than this is not a findings file (they need none).
const MAX_ALIASES: usize = 64;

impl KeyIndex {
    /// Walks the parser's events, recording each node. A syntax error ends
    /// the walk; what was read so far is kept. Aliases are not expanded.
    pub(crate) fn build(text: &str) -> Self {
        let mut index = KeyIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        let byte = |m: &serde_saphyr::granit_parser::Marker| {
            m.byte_offset().unwrap_or_else(|| char_to_byte(text, m.index()))
        };
        for (count, item) in Parser::new_from_str(text).enumerate() {
            let (event, span) = match item {
                Ok(item) => item,
                Err(error) => {
                    // The scanner's own limit on nesting: the same refusal.
                    if matches!(error.kind(), ScanErrorKind::RecursionLimitExceeded) {
                        let at = byte(error.marker());
                        index.excess = Some(at..at + 1);
                    }
                    break;
                }
            };
            let range = byte(&span.start)..byte(&span.end);
            if matches!(event, Event::Alias(_)) {
                index.aliases += 1;
            }
            if count > MAX_EVENTS || stack.len() > MAX_DEPTH || index.aliases > MAX_ALIASES {
                index.excess = Some(range);
                break;
            }
            let kind = match event {
                Event::Scalar(value, style, ..) => NodeKind::Scalar(value.into_owned(), style),
                Event::Alias(_) => NodeKind::Alias,
                Event::StreamEnd => {
                    index.complete = stack.is_empty();
                    continue;
                }
                Event::MappingStart(..) => NodeKind::Mapping,
                Event::SequenceStart(..) => NodeKind::Sequence,
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some(Frame::Mapping { node, .. } | Frame::Sequence { node, .. }) =
                        stack.pop()
                    {
                        let node = &mut index.nodes[node];
                        node.value.end = range.end.max(node.value.start);
                    }
                    continue;
                }
                _ => continue,
            };
            // A scalar where a mapping expects a key is the key.
            if let Some(Frame::Mapping { key: key @ None, .. }) = stack.last_mut() {
                let name = match &kind {
                    NodeKind::Scalar(value, _) => value.clone(),
                    _ => "?".into(),
                };
                *key = Some((name, range.clone()));
                if matches!(kind, NodeKind::Scalar(..) | NodeKind::Alias) {
                    continue;
                }
                // A complex key: index it as a value of key "?".
            }
            let node = index.add(&mut stack, kind.clone(), range);
            match kind {
                NodeKind::Mapping => stack.push(Frame::Mapping { node, key: None }),
                NodeKind::Sequence => stack.push(Frame::Sequence { node, next: 0 }),
                _ => {}
            }
        }
        index
    }

    /// Adds a node as the next child of the innermost open collection.
    fn add(&mut self, stack: &mut [Frame], kind: NodeKind, value: Range<usize>) -> usize {
        let id = self.nodes.len();
        let (path, key, parent) = match stack.last_mut() {
            None => (String::new(), None, None),
            Some(Frame::Mapping { node, key }) => {
                let (name, range) = key.take().unwrap_or_else(|| ("?".into(), value.clone()));
                let parent_path = &self.nodes[*node].path;
                let path = if parent_path.is_empty() {
                    name.clone()
                } else {
                    format!("{parent_path}.{name}")
                };
                (path, Some((name, range)), Some(*node))
            }
            Some(Frame::Sequence { node, next }) => {
                let path = format!("{}[{next}]", self.nodes[*node].path);
                *next += 1;
                (path, None, Some(*node))
            }
        };
        self.nodes.push(Node { path, key, value, kind, children: Vec::new() });
        if let Some(parent) = parent {
            self.nodes[parent].children.push(id);
        }
        id
    }

    /// The innermost key path whose key or value covers `offset`.
    pub(crate) fn path_at(&self, offset: usize) -> Option<&str> {
        self.nodes
            .iter()
            .filter(|n| {
                let whole = n.whole();
                whole.start <= offset && offset < whole.end.max(whole.start + 1)
            })
            .min_by_key(|n| n.whole().len())
            .map(|n| n.path.as_str())
            .filter(|p| !p.is_empty())
    }

    /// Every node, in file order.
    pub(crate) fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The node at a key path.
    pub(crate) fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.path == path)
    }

    /// Where the file goes past the limits of a findings file, if it does.
    pub(crate) fn excess(&self) -> Option<&Range<usize>> {
        self.excess.as_ref()
    }

    /// Whether the whole file was read, so its shape can be checked.
    pub(crate) fn is_complete(&self) -> bool {
        self.complete
    }

    /// The root node, if the file has one.
    pub(crate) fn root(&self) -> Option<&Node> {
        self.nodes.first()
    }

    /// A node's children.
    pub(crate) fn children<'a>(&'a self, node: &'a Node) -> impl Iterator<Item = &'a Node> + 'a {
        node.children.iter().map(|&i| &self.nodes[i])
    }

    /// The bytes of the value at a key path, or of its nearest indexed parent.
    pub(crate) fn range_of(&self, path: &str) -> Option<Range<usize>> {
        let mut path = path;
        loop {
            if let Some(node) = self.get(path) {
                return Some(node.value.clone());
            }
            path = parent_path(path)?;
        }
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

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
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
        let root = index.root().unwrap();
        let keys: Vec<_> = index.children(root).map(|n| n.key.clone().unwrap().0).collect();
        assert_eq!(keys, ["area", "commentary", "to"]);
        assert_eq!(index.get("commentary").unwrap().kind, NodeKind::Sequence);
    }
}
