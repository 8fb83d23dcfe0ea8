//! Editing a findings file in place, as a person would: one value
//! rewritten, every other byte (comments, blank lines, key order, quoting,
//! block scalars) left where it was.
//!
//! The file is never written back from a parsed model, which would lose
//! its comments and layout (Decap CMS's issue 5099). The key index of
//! `yaml/index.rs` says where each value's bytes are; [`set`] replaces only
//! those bytes, in the value's own style where it can (a block scalar stays
//! a block at its indentation, a plain word stays plain), and then reads
//! the new text again: the value at the key must be exactly what was meant
//! and every other value exactly what it was, or the edit is refused.

use crate::yaml::{KeyIndex, Node, NodeKind};

/// One text value of the file, as a form shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its key path, e.g. `commentary[1].paragraphs[0]`.
    pub key: String,
    /// Its text, after YAML processing.
    pub value: String,
    /// Whether it is a paragraph (a block scalar, or text in a list of
    /// paragraphs), shown as a textarea rather than a one-line input.
    pub long: bool,
}

/// The text values at or under `prefix` (`summary`, `commentary[1]`), in
/// file order. An empty prefix is every text value.
pub fn fields(text: &str, prefix: &str) -> Vec<Field> {
    let index = KeyIndex::build(text);
    let under = |path: &str| {
        prefix.is_empty()
            || path == prefix
            || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with(['.', '[']))
    };
    index
        .nodes()
        .iter()
        .filter(|node| !node.path.is_empty() && under(&node.path))
        .filter_map(|node| match &node.kind {
            NodeKind::Scalar(value, _) => Some(Field {
                key: node.path.clone(),
                value: value.clone(),
                long: Block::find(text, &node.value).is_some()
                    || node.path.ends_with(']') && !node.path.contains("names"),
            }),
            _ => None,
        })
        .collect()
}

/// What a key of the file holds, as a form needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// Text (or a number, or a date), as YAML reads it.
    Text(String),
    /// A list of this many items.
    List(usize),
    /// A mapping of keys to values: its keys, in file order.
    Map(Vec<String>),
    /// Nothing: `key:` with no value.
    Nothing,
}

/// What the file holds at `key`, if it has the key.
pub fn shape(text: &str, key: &str) -> Option<Shape> {
    let index = KeyIndex::build(text);
    let node = index.get(key)?;
    Some(match &node.kind {
        _ if node.is_null() => Shape::Nothing,
        NodeKind::Scalar(value, _) => Shape::Text(value.clone()),
        NodeKind::Sequence => Shape::List(node.children.len()),
        NodeKind::Mapping => Shape::Map(
            index.children(node).filter_map(|c| c.key.as_ref().map(|(k, _)| k.clone())).collect(),
        ),
        NodeKind::Alias => Shape::Nothing,
    })
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The file's text with the value at `key` made `value`, and nothing else
/// changed.
pub fn set(text: &str, key: &str, value: &str) -> Result<String, Refused> {
    let index = KeyIndex::build(text);
    if !index.is_complete() {
        return Err(Refused("the file has a YAML syntax error: fix it in a text editor".into()));
    }
    let Some(node) = index.get(key) else {
        return Err(Refused(format!("there is no value at {key} in the file")));
    };
    let NodeKind::Scalar(old, _) = &node.kind else {
        return Err(Refused(format!("the value at {key} is not text")));
    };
    if old == value {
        return Ok(text.to_string());
    }
    let range = node.value.clone();
    let written = &text[range.clone()];
    // Each try: the byte ranges to replace (in order, apart) and with what.
    let mut tries: Vec<Vec<(std::ops::Range<usize>, String)>> = Vec::new();
    if let Some(block) = Block::find(text, &range) {
        tries.extend(block.rewritten(value));
        tries.push(vec![(block.indicator.start..block.content.end, quoted(value))]);
    } else {
        // An item added empty takes its neighbours' block style.
        if written == "\"\""
            && let Some(like) = neighbour_block(text, &index, key)
            && let Some(block) = block_text(value, like.folded, like.indent)
        {
            tries.push(vec![(range.clone(), block)]);
        }
        // A quoted paragraph that no longer fits on its line (it was
        // quoted while it ended in a space, half typed) is a block again.
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let lead = text[line_start..].len() - text[line_start..].trim_start_matches(' ').len();
        if written.starts_with('"')
            && (range.start - line_start + value.len() + 2 > 80 || value.contains('\n'))
            && !value.ends_with([' ', '\t'])
            && !value
                .lines()
                .any(|l| l.is_empty() || l.starts_with([' ', '\t']) || l.ends_with([' ', '\t']))
            && let Some(block) = block_text(value, true, lead + 2)
        {
            tries.push(vec![(range.clone(), block)]);
        }
        if is_plain_safe(value) && !written.starts_with(['"', '\'']) {
            tries.push(vec![(range.clone(), value.to_string())]);
        }
        tries.push(vec![(range.clone(), quoted(value))]);
    }
    for pieces in tries {
        let mut edited = String::with_capacity(text.len() + value.len());
        let mut at = 0;
        for (span, with) in &pieces {
            edited.push_str(&text[at..span.start]);
            edited.push_str(with);
            at = span.end;
        }
        edited.push_str(&text[at..]);
        if same_but(&index, &KeyIndex::build(&edited), key, value) {
            return Ok(edited);
        }
    }
    Err(Refused(format!("the value at {key} could not be written without changing others")))
}

/// The file's text with a new text item at place `at` of the list at
/// `list` (`at` = its length puts it last), written in the style of its
/// neighbours; nothing else changed.
pub fn insert(text: &str, list: &str, at: usize, value: &str) -> Result<String, Refused> {
    let index = complete(text)?;
    let (seq, items) = sequence(&index, list)?;
    if at > items.len() {
        return Err(Refused(format!("{list} has no place {at}")));
    }
    let mut want = tree(&index);
    if let Some(serde_json::Value::Array(values)) = pointer_mut(&mut want, list) {
        values.insert(at, value.into());
    }
    let edited = if text[seq.value.clone()].starts_with('[') {
        let mut pieces: Vec<String> =
            items.iter().map(|n| text[n.value.clone()].to_string()).collect();
        pieces.insert(at, quoted(value));
        splice(text, seq.value.clone(), &format!("[{}]", pieces.join(", ")))
    } else {
        // After the item before, or before the first.
        let (place, like) = match at.checked_sub(1) {
            Some(before) => (line_end(text, item_end(text, items[before])), items[before]),
            None => (line_start(text, dash(text, items[0])), items[0]),
        };
        let pad = " ".repeat(dash(text, like) - line_start(text, dash(text, like)));
        let block = Block::find(text, &like.value)
            .and_then(|block| block_text(value, block.folded, block.indent));
        let new = format!("{pad}- {}\n", block.unwrap_or_else(|| quoted(value)));
        splice(text, place..place, &new)
    };
    checked(edited, &want, list)
}

/// The file's text without the list item at `key` (`summary[2]`).
pub fn remove(text: &str, key: &str) -> Result<String, Refused> {
    let index = complete(text)?;
    let Some((list, n)) = item_of(key) else {
        return Err(Refused(format!("{key} is not an item of a list")));
    };
    let (seq, items) = sequence(&index, list)?;
    let Some(item) = items.get(n).copied() else {
        return Err(Refused(format!("there is no value at {key} in the file")));
    };
    let mut want = tree(&index);
    if let Some(serde_json::Value::Array(values)) = pointer_mut(&mut want, list) {
        values.remove(n);
    }
    let edited = if text[seq.value.clone()].starts_with('[') {
        let pieces: Vec<&str> = items
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != n)
            .map(|(_, node)| &text[node.value.clone()])
            .collect();
        splice(text, seq.value.clone(), &format!("[{}]", pieces.join(", ")))
    } else if items.len() == 1 {
        // The last item: an empty list, written as one.
        let start = seq.key.as_ref().map_or(seq.value.start, |(_, k)| k.end);
        let colon = text[start..].find(':').map_or(start, |c| start + c + 1);
        splice(text, colon..line_end(text, item_end(text, item)) - 1, " []")
    } else {
        splice(text, line_start(text, dash(text, item))..line_end(text, item_end(text, item)), "")
    };
    checked(edited, &want, key)
}

/// The file's text with the text items `i` and `i + 1` of the list at
/// `list` changed places, each written in the other's place's style.
pub fn swap(text: &str, list: &str, i: usize) -> Result<String, Refused> {
    let index = complete(text)?;
    let (_, items) = sequence(&index, list)?;
    let (Some(a), Some(b)) = (items.get(i), items.get(i + 1)) else {
        return Err(Refused(format!("{list} has no items {} and {} to swap", i + 1, i + 2)));
    };
    let (Some(first), Some(second)) = (a.scalar(), b.scalar()) else {
        return Err(Refused(format!("the items of {list} are not text")));
    };
    let (first, second) = (first.to_string(), second.to_string());
    let once = set(text, &b.path, &first)?;
    set(&once, &a.path, &second)
}

/// The file's text with the list of texts at `list` made `values`: items
/// rewritten in place, added after the last, or removed from the end.
pub fn set_list(text: &str, list: &str, values: &[String]) -> Result<String, Refused> {
    let mut edited = text.to_string();
    let had = sequence(&complete(text)?, list)?.1.len();
    for (i, value) in values.iter().enumerate() {
        edited = if i < had {
            set(&edited, &format!("{list}[{i}]"), value)?
        } else {
            insert(&edited, list, i, value)?
        };
    }
    for i in (values.len()..had).rev() {
        edited = remove(&edited, &format!("{list}[{i}]"))?;
    }
    Ok(edited)
}

/// The file's text with a new item of a list of mappings (a row of the
/// copy list) after its last: `fields` are its keys and texts, a list of
/// texts as a flow list.
pub fn add_row(text: &str, list: &str, fields: &[(&str, Vec<String>)]) -> Result<String, Refused> {
    let index = complete(text)?;
    let (seq, items) = sequence(&index, list)?;
    let mut want = tree(&index);
    let mut row = serde_json::Map::new();
    let written: Vec<String> = fields
        .iter()
        .map(|(key, values)| match values.as_slice() {
            [one] if !key.ends_with('s') => {
                row.insert(key.to_string(), one.as_str().into());
                format!("{key}: {}", quoted(one))
            }
            many => {
                row.insert(
                    key.to_string(),
                    many.iter().map(|v| serde_json::Value::from(v.as_str())).collect(),
                );
                format!(
                    "{key}: [{}]",
                    many.iter().map(|v| quoted(v)).collect::<Vec<_>>().join(", ")
                )
            }
        })
        .collect();
    if let Some(serde_json::Value::Array(rows)) = pointer_mut(&mut want, list) {
        rows.push(serde_json::Value::Object(row));
    }
    let edited = match items.last() {
        Some(last) if !text[seq.value.clone()].starts_with('[') => {
            let start = line_start(text, dash(text, last));
            let pad = " ".repeat(dash(text, last) - start);
            let mut new = String::new();
            for (i, line) in written.iter().enumerate() {
                new.push_str(&pad);
                new.push_str(if i == 0 { "- " } else { "  " });
                new.push_str(line);
                new.push('\n');
            }
            let at = line_end(text, item_end(text, last));
            splice(text, at..at, &new)
        }
        _ => {
            let mut pieces: Vec<String> =
                items.iter().map(|n| text[n.value.clone()].to_string()).collect();
            pieces.push(format!("{{{}}}", written.join(", ")));
            splice(text, seq.value.clone(), &format!("[{}]", pieces.join(", ")))
        }
    };
    checked(edited, &want, list)
}

/// The file's text with a new top-level key `key: value`, on a line of
/// its own after the first of `after` (keys that come before it, nearest
/// first) that the file has, or after the file's first key.
pub fn add_key(text: &str, key: &str, value: &str, after: &[&str]) -> Result<String, Refused> {
    let index = complete(text)?;
    if index.get(key).is_some() {
        return Err(Refused(format!("the file has {key} already")));
    }
    let Some(root) = index.root().filter(|r| r.kind == NodeKind::Mapping) else {
        return Err(Refused("the file is not a mapping of keys to values".into()));
    };
    let top: Vec<&Node> = index.children(root).collect();
    let Some(anchor) = after.iter().find_map(|k| top.iter().find(|n| n.path == *k)).or(top.first())
    else {
        return Err(Refused("the file has no keys".into()));
    };
    let mut want = tree(&index);
    if let serde_json::Value::Object(map) = &mut want {
        map.insert(key.to_string(), value.into());
    }
    let written = if is_plain_safe(value) { value.to_string() } else { quoted(value) };
    let at = line_end(text, item_end(text, anchor));
    let mut new = format!("{key}: {written}\n");
    if at == text.len() && !text.ends_with('\n') {
        new.insert(0, '\n');
    }
    checked(splice(text, at..at, &new), &want, key)
}

fn complete(text: &str) -> Result<KeyIndex, Refused> {
    let index = KeyIndex::build(text);
    if !index.is_complete() {
        return Err(Refused("the file has a YAML syntax error: fix it in a text editor".into()));
    }
    Ok(index)
}

/// The list at `list` and its items.
fn sequence<'a>(index: &'a KeyIndex, list: &str) -> Result<(&'a Node, Vec<&'a Node>), Refused> {
    match index.get(list) {
        Some(node) if node.kind == NodeKind::Sequence => Ok((node, index.children(node).collect())),
        Some(_) => Err(Refused(format!("the value at {list} is not a list"))),
        None => Err(Refused(format!("there is no list at {list} in the file"))),
    }
}

/// `summary[2]` → (`summary`, 2).
fn item_of(key: &str) -> Option<(&str, usize)> {
    let (list, rest) = key.rsplit_once('[')?;
    Some((list, rest.strip_suffix(']')?.parse().ok()?))
}

/// Where the `-` of a block list's item is: the first `-` that starts a
/// line's text at or before the item's value.
fn dash(text: &str, item: &Node) -> usize {
    let mut end = item.value.start;
    loop {
        let start = line_start(text, end);
        let line = &text[start..end.max(start)];
        let trimmed = line.trim_start_matches(' ');
        if trimmed.starts_with('-') || start == 0 {
            return start + (line.len() - trimmed.len());
        }
        end = start - 1;
    }
}

/// Where an item's text ends, trailing spaces and line breaks left out.
fn item_end(text: &str, item: &Node) -> usize {
    item.value.start + text[item.value.clone()].trim_end().len()
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Just after the line break that ends the line of `at`.
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

fn splice(text: &str, range: std::ops::Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..range.start]);
    out.push_str(with);
    out.push_str(&text[range.end..]);
    out
}

/// The edited text, if it reads as `want`.
fn checked(edited: String, want: &serde_json::Value, key: &str) -> Result<String, Refused> {
    let index = KeyIndex::build(&edited);
    if index.is_complete() && &tree(&index) == want {
        Ok(edited)
    } else {
        Err(Refused(format!("{key} could not be changed without changing other values")))
    }
}

/// The file's values as JSON: mappings, lists and texts (aliases as `*`).
fn tree(index: &KeyIndex) -> serde_json::Value {
    fn of(index: &KeyIndex, node: &Node) -> serde_json::Value {
        match &node.kind {
            NodeKind::Scalar(value, _) => value.as_str().into(),
            NodeKind::Alias => "*".into(),
            NodeKind::Sequence => index.children(node).map(|c| of(index, c)).collect(),
            NodeKind::Mapping => serde_json::Value::Object(
                index
                    .children(node)
                    .map(|c| (c.key.as_ref().map_or("?".into(), |(k, _)| k.clone()), of(index, c)))
                    .collect(),
            ),
        }
    }
    index.root().map_or(serde_json::Value::Null, |root| of(index, root))
}

/// The value at a key path (`a.b[2].c`) of a tree.
fn pointer_mut<'a>(
    tree: &'a mut serde_json::Value,
    path: &str,
) -> Option<&'a mut serde_json::Value> {
    let mut here = tree;
    for part in path.split('.') {
        let (name, indices) = part.split_once('[').map_or((part, ""), |(n, i)| (n, i));
        if !name.is_empty() {
            here = here.get_mut(name)?;
        }
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            here = here.get_mut(index.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    Some(here)
}

/// A block scalar among the other items of the list that `key` is an
/// item of, if `key` is one.
fn neighbour_block(text: &str, index: &KeyIndex, key: &str) -> Option<Block> {
    let (list, _) = item_of(key)?;
    let list = index.get(list)?;
    index.children(list).filter(|n| n.path != key).find_map(|n| Block::find(text, &n.value))
}

/// A block scalar as it is written: its indicator (`|`, `>-`, ...) on the
/// line before, and its content lines.
struct Block {
    /// The indicator and its chomping and indentation marks.
    indicator: std::ops::Range<usize>,
    folded: bool,
    /// From the start of the first content line to the end of the last
    /// character that is not a space.
    content: std::ops::Range<usize>,
    /// The content's indentation.
    indent: usize,
}

impl Block {
    /// The block scalar whose content the index places at `value`, if the
    /// value is one. (The index's range of a block runs from its first
    /// character to the indentation of the line after it.)
    fn find(text: &str, value: &std::ops::Range<usize>) -> Option<Block> {
        let line_start = text[..value.start].rfind('\n')? + 1;
        let indent = value.start - line_start;
        if !text[line_start..value.start].chars().all(|c| c == ' ') {
            return None;
        }
        let header_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let header = &text[header_start..line_start - 1];
        let before_comment = header.find(" #").map_or(header, |i| &header[..i]);
        let at = before_comment.rfind(['|', '>'])?;
        let token_end = before_comment[at..].find(' ').map_or(before_comment.len(), |e| at + e);
        let token = &before_comment[at..token_end];
        if !token[1..].chars().all(|c| matches!(c, '-' | '+' | '1'..='9')) {
            return None;
        }
        // Its last line ends where the lines of spaces (the indentation of
        // the line after it) begin; spaces at the end of a content line are
        // its content.
        let mut lines: Vec<&str> = text[value.clone()].split('\n').collect();
        while lines.len() > 1 && lines.last().is_some_and(|l| l.chars().all(|c| c == ' ')) {
            lines.pop();
        }
        let content_end = value.start + lines.join("\n").len();
        Some(Block {
            indicator: header_start + at..header_start + token_end,
            folded: token.starts_with('>'),
            content: line_start..content_end,
            indent,
        })
    }

    /// The block rewritten to hold `value`, at its indentation: folded
    /// text stays folded (one line, or lines of at most 80 columns broken
    /// at single spaces) when it has no line breaks; otherwise literal.
    fn rewritten(&self, value: &str) -> Vec<Vec<(std::ops::Range<usize>, String)>> {
        let body = value.strip_suffix('\n').unwrap_or(value);
        if body.is_empty() || body.lines().any(|l| l.starts_with([' ', '\t'])) {
            return Vec::new();
        }
        let chomp = if value.ends_with('\n') { "" } else { "-" };
        let pad = " ".repeat(self.indent);
        let indented = |lines: Vec<String>| {
            lines
                .iter()
                .map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut out = Vec::new();
        if self.folded && !body.contains('\n') {
            let lines = wrap(body, 80usize.saturating_sub(self.indent).max(20));
            out.push(vec![
                (self.indicator.clone(), format!(">{chomp}")),
                (self.content.clone(), indented(lines)),
            ]);
        }
        out.push(vec![
            (self.indicator.clone(), format!("|{chomp}")),
            (self.content.clone(), indented(body.split('\n').map(String::from).collect())),
        ]);
        out
    }
}

/// `value` as a block scalar with its content at `indent`: its indicator
/// (`>-` folded at 80 columns when `folded` and it is one line, else `|-`)
/// and its lines. `None` for what a block cannot hold as it is: nothing,
/// a final line break, a line that starts with a space or a tab.
fn block_text(value: &str, folded: bool, indent: usize) -> Option<String> {
    if value.is_empty()
        || value.ends_with('\n')
        || value.lines().any(|l| l.starts_with([' ', '\t']))
    {
        return None;
    }
    let (token, lines) = if folded && !value.contains('\n') {
        (">-", wrap(value, 80usize.saturating_sub(indent).max(20)))
    } else {
        ("|-", value.split('\n').map(String::from).collect())
    };
    let pad = " ".repeat(indent);
    let body: Vec<String> = lines
        .iter()
        .map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") })
        .collect();
    Some(format!("{token}\n{}", body.join("\n")))
}

/// Words broken into lines of at most `width` at single spaces, so that
/// folding them again gives the same text (text with runs of spaces stays
/// on one line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    if text.contains("  ") {
        return vec![text.to_string()];
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        } else if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// Whether a value can be written plain and read back the same: one line
/// of words and ordinary punctuation.
fn is_plain_safe(value: &str) -> bool {
    let first = value.chars().next();
    first.is_some_and(|c| c.is_alphanumeric())
        && value.chars().all(|c| c.is_alphanumeric() || " .,;()'’-".contains(c))
        && !value.ends_with(' ')
        && !matches!(
            value.to_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n" | "~"
        )
        && value.parse::<f64>().is_err()
}

/// A YAML double-quoted string: JSON's escaping is YAML's.
fn quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
}

/// Whether the new index has the same keys and values as the old, but
/// `value` at `key`.
fn same_but(old: &KeyIndex, new: &KeyIndex, key: &str, value: &str) -> bool {
    if !new.is_complete() || old.nodes().len() != new.nodes().len() {
        return false;
    }
    old.nodes().iter().zip(new.nodes()).all(|(a, b)| {
        a.path == b.path
            && match (&a.kind, &b.kind) {
                (NodeKind::Scalar(_, _), NodeKind::Scalar(v, _)) if a.path == key => v == value,
                (NodeKind::Scalar(x, _), NodeKind::Scalar(y, _)) => x == y,
                (x, y) => std::mem::discriminant(x) == std::mem::discriminant(y),
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# A letter\narea: Barnet   # the area\nsummary:\n  - |\n    First paragraph,\n    on two lines.\n\n  # a comment between\n  - \"Second, quoted.\"\n  - Third plain\nstrengths: [Good., \"Fine\"]\n";

    fn value_at(text: &str, key: &str) -> String {
        KeyIndex::build(text).get(key).and_then(|n| n.scalar().map(str::to_string)).unwrap()
    }

    #[test]
    fn one_value_changes_and_every_other_byte_stays() {
        for (key, value) in [
            ("area", "Barnet and Enfield"),
            ("summary[0]", "A new first paragraph.\nWith a second line."),
            ("summary[1]", "Quoted: with \"quotes\" and # signs"),
            ("summary[2]", "Still plain"),
            ("strengths[1]", "Fine, really: yes"),
            ("strengths[0]", "{{ not code }} <b>nor this</b>"),
        ] {
            let edited = set(FILE, key, value).unwrap();
            assert_eq!(value_at(&edited, key), value, "{key} in\n{edited}");
            // What changed is one value's bytes (and a block's indicator).
            let start = FILE.bytes().zip(edited.bytes()).take_while(|(a, b)| a == b).count();
            let end =
                FILE.bytes().rev().zip(edited.bytes().rev()).take_while(|(a, b)| a == b).count();
            let old = &FILE[start..FILE.len() - end.min(FILE.len() - start)];
            assert!(
                !old.contains('#') && !old.contains("\n  - ") && !old.contains(':'),
                "{key}: {old:?}"
            );
        }
    }

    #[test]
    fn styles_are_kept() {
        let edited = set(FILE, "summary[0]", "Changed.").unwrap();
        assert!(edited.contains("  - |-\n    Changed.\n"), "{edited}");
        assert!(edited.contains("# a comment between"), "{edited}");
        let folded = "a: >-\n  One long\n  line.\nb: 1\n";
        let long = "word ".repeat(30).trim_end().to_string();
        let edited = set(folded, "a", &long).unwrap();
        assert!(edited.starts_with("a: >-\n  word word"), "{edited}");
        assert!(edited.lines().all(|l| l.len() <= 80), "{edited}");
        assert!(edited.ends_with("\nb: 1\n"), "{edited}");
        let edited = set(FILE, "summary[2]", "Plain again").unwrap();
        assert!(edited.contains("  - Plain again\n"), "{edited}");
        // Emptied while retyped, a paragraph is quoted; typed on, it is a
        // block again.
        let long = "word ".repeat(30);
        let half = set(FILE, "summary[0]", "").unwrap();
        assert!(half.contains("summary:\n  - \"\"\n"), "{half}");
        let typed = set(&half, "summary[0]", long.trim_end()).unwrap();
        assert!(typed.contains("  - >-\n    word word"), "{typed}");
        let edited = set(FILE, "summary[2]", "yes").unwrap();
        assert!(edited.contains("  - \"yes\"\n"), "a word YAML reads as true is quoted: {edited}");
    }

    #[test]
    fn paragraphs_are_added_moved_and_removed_in_their_neighbours_style() {
        let added =
            insert(FILE, "summary", 1, "A new one, long enough to be a paragraph.").unwrap();
        assert!(added.contains("    on two lines.\n  - |-\n    A new one, long enough"), "{added}");
        assert_eq!(value_at(&added, "summary[2]"), "Second, quoted.");
        let empty = insert(FILE, "summary", 3, "").unwrap();
        assert!(
            empty.ends_with("  - Third plain\n  - \"\"\nstrengths: [Good., \"Fine\"]\n"),
            "{empty}"
        );
        let typed = set(&empty, "summary[3]", "Typed into the new one.").unwrap();
        assert!(
            typed.contains("  - Third plain\n  - |-\n    Typed into the new one.\nstrengths"),
            "{typed}"
        );
        let flow = insert(FILE, "strengths", 0, "First: yes").unwrap();
        assert!(flow.contains("strengths: [\"First: yes\", Good., \"Fine\"]"), "{flow}");
        let swapped = swap(FILE, "summary", 1).unwrap();
        assert_eq!(value_at(&swapped, "summary[1]"), "Third plain");
        assert_eq!(value_at(&swapped, "summary[2]"), "Second, quoted.");
        assert!(swapped.contains("# a comment between"));
        let removed = remove(FILE, "summary[0]").unwrap();
        assert!(removed.starts_with("# A letter\narea: Barnet   # the area\nsummary:\n\n  # a comment between\n  - \"Second"), "{removed}");
        let removed = remove(FILE, "strengths[1]").unwrap();
        assert!(removed.ends_with("strengths: [Good.]\n"), "{removed}");
        let one = "a:\n  - only\nb: 1\n";
        assert_eq!(remove(one, "a[0]").unwrap(), "a: []\nb: 1\n");
        let names =
            set_list(FILE, "strengths", &["One".into(), "Two".into(), "Three".into()]).unwrap();
        assert!(names.ends_with("strengths: [One, \"Two\", \"Three\"]\n"), "{names}");
        let rows = "copy_to:\n  - role: A\n    names: [x]\nend: 1\n";
        let added = add_row(
            rows,
            "copy_to",
            &[("role", vec!["B & C".into()]), ("names", vec!["y".into(), "z".into()])],
        )
        .unwrap();
        assert_eq!(
            added,
            "copy_to:\n  - role: A\n    names: [x]\n  - role: \"B & C\"\n    names: [\"y\", \"z\"]\nend: 1\n"
        );
        let keyed = add_key(FILE, "status", "draft", &["published", "area"]).unwrap();
        assert!(
            keyed.starts_with("# A letter\narea: Barnet   # the area\nstatus: draft\nsummary:"),
            "{keyed}"
        );
        assert!(add_key(FILE, "area", "x", &[]).is_err());
        assert!(remove(FILE, "area").is_err());
        assert!(insert(FILE, "summary", 9, "x").is_err());
    }

    #[test]
    fn a_paragraph_typed_word_by_word_stays_a_block() {
        let mut text = "summary:\n  - >-\n    Old.\nnext: 1\n".to_string();
        let words = "Written just before the tab was closed.";
        for end in 1..=words.len() {
            text = set(&text, "summary[0]", &words[..end]).unwrap();
        }
        assert_eq!(text, format!("summary:\n  - >-\n    {words}\nnext: 1\n"));
    }

    #[test]
    fn what_cannot_be_edited_is_refused() {
        assert!(set(FILE, "nowhere", "x").is_err());
        assert!(set(FILE, "summary", "x").is_err());
        assert!(set("area: [\n", "area", "x").is_err());
    }

    #[test]
    fn fields_are_found_under_a_part() {
        let keys: Vec<String> = fields(FILE, "summary").into_iter().map(|f| f.key).collect();
        assert_eq!(keys, ["summary[0]", "summary[1]", "summary[2]"]);
        assert!(fields(FILE, "summary")[0].long);
        assert_eq!(fields(FILE, "area")[0].value, "Barnet");
    }

    mod random_edits {
        use proptest::prelude::*;

        use super::super::*;

        const FIXTURES: &[&str] = &[
            "barnet-2014.yaml",
            "bath-2016.yaml",
            "caerdydd-2016-cy.yaml",
            "gwynedd-2015.yaml",
            "torbay-2015.yaml",
            "wrexham-2016.yaml",
        ];

        /// The file as serde reads it: what the findings are.
        fn read(text: &str) -> serde_json::Value {
            serde_saphyr::from_str(text).unwrap()
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

            #[test]
            fn random_list_edits_give_exactly_the_findings_meant(
                fixture in proptest::sample::select(FIXTURES),
                pick in any::<proptest::sample::Index>(),
                place in any::<proptest::sample::Index>(),
                op in 0..3u8,
                value in "[ -~£ŵ“”’]{1,60}",
            ) {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(fixture);
                let text = std::fs::read_to_string(path).unwrap();
                let index = KeyIndex::build(&text);
                // The lists of texts: paragraphs, items, names.
                let lists: Vec<(String, usize)> = index
                    .nodes()
                    .iter()
                    .filter(|n| n.kind == NodeKind::Sequence && !n.children.is_empty())
                    .filter(|n| index.children(n).all(|c| matches!(c.kind, NodeKind::Scalar(..))))
                    .map(|n| (n.path.clone(), n.children.len()))
                    .collect();
                let (list, len) = &lists[pick.index(lists.len())];
                let mut want = read(&text);
                let items = pointer_mut(&mut want, list).and_then(|v| v.as_array_mut()).unwrap();
                let edited = match op {
                    0 => {
                        let at = place.index(len + 1);
                        items.insert(at, value.clone().into());
                        insert(&text, list, at, &value)
                    }
                    1 => {
                        let at = place.index(*len);
                        items.remove(at);
                        remove(&text, &format!("{list}[{at}]"))
                    }
                    _ if *len > 1 => {
                        let at = place.index(len - 1);
                        items.swap(at, at + 1);
                        swap(&text, list, at)
                    }
                    _ => Ok(text.clone()),
                };
                let edited = edited.map_err(|r| TestCaseError::fail(r.0))?;
                prop_assert_eq!(read(&edited), want, "{}", edited);
                // Every comment of the file is still there.
                for line in text.lines().filter(|l| l.trim_start().starts_with('#')) {
                    prop_assert!(edited.contains(line), "{}", line);
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

            #[test]
            fn any_text_written_at_any_key_reads_back_exactly(
                fixture in proptest::sample::select(vec![
                    "barnet-2014.yaml", "bath-2016.yaml", "caerdydd-2016-cy.yaml",
                    "gwynedd-2015.yaml", "torbay-2015.yaml", "wrexham-2016.yaml",
                ]),
                pick in any::<proptest::sample::Index>(),
                value in "[ -~\n£ŵŷ“”’]{1,80}",
            ) {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(fixture);
                let text = std::fs::read_to_string(path).unwrap();
                let all = fields(&text, "");
                let field = &all[pick.index(all.len())];
                match set(&text, &field.key, &value) {
                    Ok(edited) => {
                        let index = KeyIndex::build(&edited);
                        let got = index.get(&field.key).and_then(|n| n.scalar()).map(str::to_string);
                        prop_assert_eq!(got.as_deref(), Some(value.as_str()), "{}", edited);
                        prop_assert!(same_but(&KeyIndex::build(&text), &index, &field.key, &value));
                    }
                    Err(refused) => prop_assert!(false, "{} refused: {}", field.key, refused),
                }
            }
        }
    }
}
