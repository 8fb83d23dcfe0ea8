//! The lists of the two versions, aligned and compared item by item: the
//! paragraphs of each part, the commentary's areas, the footnotes and the
//! copy list.

use super::Pair;
use super::align::{GAP, MAX_PAIR, Step, align};
use super::facts::{Fact, Facts, difference};
use crate::fields::Field;
use crate::letter::{Inline, Text};
use crate::model::{CommentaryArea, CopyEntry, Findings};

/// One version's list of things to align (paragraphs, areas, copy-list
/// rows): the list's key, and each item's key and name in messages
/// ("summary paragraph 2", "1.3", "area 2").
struct Items {
    key: String,
    keys: Vec<String>,
    names: Vec<String>,
}

impl Items {
    /// Items at `key[0]`, `key[1]`... named by `name`.
    fn indexed(key: &str, len: usize, name: impl Fn(usize) -> String) -> Self {
        let keys = (0..len).map(|i| format!("{key}[{i}]")).collect();
        Items { key: key.to_string(), keys, names: (0..len).map(name).collect() }
    }

    /// Where to point for "after item `last`": that item, or the list.
    fn key_after(&self, last: Option<usize>) -> &str {
        last.map_or(&self.key, |i| &self.keys[i])
    }

    /// "after summary paragraph 2 in Welsh", or "first in the summary in Welsh".
    fn after(&self, last: Option<usize>, part: &str, label: &str) -> String {
        match last {
            Some(i) => format!("after {} in {label}", self.names[i]),
            None => format!("first in {part} in {label}"),
        }
    }
}

/// One version's list of paragraphs: the texts and the items they are.
struct Paragraphs<'t> {
    texts: Vec<&'t Text>,
    items: Items,
}

impl<'t> Paragraphs<'t> {
    /// Paragraphs at `key`, named `what 1`, `what 2`...
    fn numbered(texts: &'t [Text], key: &str, what: &str) -> Self {
        let texts: Vec<&Text> = texts.iter().collect();
        let items = Items::indexed(key, texts.len(), |i| format!("{what} {}", i + 1));
        Paragraphs { texts, items }
    }

    /// The paragraphs of area `n` (from 0), named 1.1, 1.2...
    fn area(texts: &'t [Text], n: usize) -> Self {
        let key = format!("commentary[{n}].paragraphs");
        let items = Items::indexed(&key, texts.len(), |k| format!("{}.{}", n + 1, k + 1));
        Paragraphs { texts: texts.iter().collect(), items }
    }
}

/// Compares every list of the two versions, in the order of the letter.
pub(super) fn compare(pair: &mut Pair) {
    let (a, b) = (pair.a.texts, pair.b.texts);
    pair.replaced("the opening", "intro", "opening paragraph", &a.intro, &b.intro);
    pair.replaced("the context", "context", "context paragraph", &a.context, &b.context);
    pair.numbered("the summary", "summary", "summary paragraph", &a.summary, &b.summary);
    pair.commentary();
    let management = |f: &'_ Findings<Text>| f.operational_management.clone().unwrap_or_default();
    let what = "operational management paragraph";
    let part = "operational management";
    pair.numbered(part, "operational_management", what, &management(a), &management(b));
    pair.numbered("the key strengths", "strengths", "strength", &a.strengths, &b.strengths);
    let part = "the areas requiring improvement";
    pair.numbered(part, "improvements", "improvement", &a.improvements, &b.improvements);
    pair.replaced("the closing", "closing", "closing paragraph", &a.closing, &b.closing);
    pair.paragraphs("the footnotes", &notes(a), &notes(b));
    pair.copy_list();
}

/// The footnotes' texts in the order of their numbers. A note's number is
/// the order of its first use, and its first mark carries its text.
fn notes(f: &Findings<Text>) -> Paragraphs<'_> {
    let mut bodies: Vec<Vec<Inline>> = Vec::new();
    f.map(&mut |field: Field<'_, Text>| collect_notes(&field.value.runs, &mut bodies));
    let found: Vec<(&String, &Text)> = bodies
        .iter()
        .filter_map(|body| f.footnotes.iter().find(|(_, text)| text.runs == *body))
        .collect();
    let items = Items {
        key: "footnotes".into(),
        keys: found.iter().map(|(name, _)| format!("footnotes.{name}")).collect(),
        names: (1..=found.len()).map(|n| format!("footnote {n}")).collect(),
    };
    Paragraphs { texts: found.into_iter().map(|(_, text)| text).collect(), items }
}

fn collect_notes(runs: &[Inline], out: &mut Vec<Vec<Inline>>) {
    for run in runs {
        match run {
            Inline::Note { body: Some(body), .. } => out.push(body.clone()),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => collect_notes(content, out),
            _ => {}
        }
    }
}

/// What pairing two paragraphs costs: each fact one has and the other lacks,
/// and a length other than the two letters' overall ratio predicts.
fn cost(a: &Facts, a_len: usize, b: &Facts, b_len: usize, ratio: f64) -> u32 {
    let expected = ratio * (a_len as f64 + 20.0);
    let length = ((b_len as f64 + 20.0) / expected).ln().abs() * 10.0;
    (a.mismatch(b) as u32 * 12 + length.round() as u32).min(MAX_PAIR)
}

/// Characters of a text, as a reader reads it.
fn length(text: &Text) -> usize {
    text.to_plain().chars().count()
}

/// How much longer the second version's text runs than the first's, over
/// the whole letter (Welsh usually runs longer than English).
pub(super) fn ratio(a: &Findings<Text>, b: &Findings<Text>) -> f64 {
    let total = |f: &Findings<Text>| {
        let mut sum = 0;
        f.map(&mut |field: Field<'_, Text>| sum += length(field.value));
        sum as f64 + 1.0
    };
    total(b) / total(a)
}

impl Pair<'_> {
    /// Compares lists of paragraphs named `what 1`, `what 2`...
    fn numbered(&mut self, part: &str, key: &str, what: &str, a: &[Text], b: &[Text]) {
        let (a, b) = (Paragraphs::numbered(a, key, what), Paragraphs::numbered(b, key, what));
        self.paragraphs(part, &a, &b);
    }

    /// Compares paragraphs that replace the standard ones, when both
    /// versions replace them.
    fn replaced(
        &mut self,
        part: &str,
        key: &str,
        what: &str,
        a: &Option<Vec<Text>>,
        b: &Option<Vec<Text>>,
    ) {
        if let (Some(a), Some(b)) = (a, b) {
            self.numbered(part, key, what, a, b);
        }
    }

    /// Aligns two lists by `cost` and hands each pair to `paired`; an item
    /// that one version lacks, or a whole list, is one difference.
    fn walk(
        &mut self,
        (part, unit): (&str, &str),
        a: &Items,
        b: &Items,
        cost: impl Fn(usize, usize) -> u32,
        mut paired: impl FnMut(&mut Self, usize, usize),
    ) {
        let (la, lb) = (self.a.label, self.b.label);
        let (n, m) = (a.keys.len(), b.keys.len());
        if (n == 0) != (m == 0) {
            let (has, lacks, len) = if m == 0 { (la, lb, n) } else { (lb, la, m) };
            let message = format!("{part} ({}) is in {has}, not in {lacks}", count(len, unit));
            self.differ(message, (&b.key, None), (&a.key, None));
            return;
        }
        let (mut last_a, mut last_b) = (None, None);
        for step in align(n, m, cost) {
            match step {
                Step::Pair(i, j) => {
                    paired(self, i, j);
                    (last_a, last_b) = (Some(i), Some(j));
                }
                Step::OnlyFirst(i) => {
                    let place = b.after(last_b, part, lb);
                    let message =
                        format!("{} in {la} has no {lb} version; it belongs {place}", a.names[i]);
                    self.differ(message, (b.key_after(last_b), None), (&a.keys[i], None));
                    last_a = Some(i);
                }
                Step::OnlySecond(j) => {
                    let place = a.after(last_a, part, la);
                    let message = format!(
                        "{} in {lb} has no {la} version; it would come {place}",
                        b.names[j]
                    );
                    self.differ(message, (&b.keys[j], None), (a.key_after(last_a), None));
                    last_b = Some(j);
                }
            }
        }
    }

    /// Aligns two lists of paragraphs and compares the facts of each pair.
    fn paragraphs(&mut self, part: &str, a: &Paragraphs, b: &Paragraphs) {
        let fa: Vec<Facts> = a.texts.iter().map(|t| Facts::of(t)).collect();
        let fb: Vec<Facts> = b.texts.iter().map(|t| Facts::of(t)).collect();
        let ratio = self.ratio;
        let cost = |i: usize, j: usize| {
            cost(&fa[i], length(a.texts[i]), &fb[j], length(b.texts[j]), ratio)
        };
        self.walk((part, "paragraph"), &a.items, &b.items, cost, |pair, i, j| {
            pair.paragraph((&a.items, i, &fa[i]), (&b.items, j, &fb[j]));
        });
    }

    /// Compares the facts of two paired paragraphs, one difference per kind.
    fn paragraph(
        &mut self,
        (a, i, fa): (&Items, usize, &Facts),
        (b, j, fb): (&Items, usize, &Facts),
    ) {
        let (la, lb) = (self.a.label, self.b.label);
        let (na, nb) = (&a.names[i], &b.names[j]);
        let label = if na == nb { na.clone() } else { format!("{na} ({nb} in {lb})") };
        for ((what, xa), (_, xb)) in fa.kinds().into_iter().zip(fb.kinds()) {
            let (only_a, only_b) = difference(xa, xb);
            let message = match (shown(&only_a), shown(&only_b)) {
                (None, None) => continue,
                (Some(x), Some(y)) => format!("{label}: {what}{x} in {la}, {y} in {lb}"),
                (Some(x), None) => format!("{label}: {what}{x} in {la}, not in {lb}"),
                (None, Some(y)) => format!("{label}: {what}{y} in {lb}, not in {la}"),
            };
            let written = |facts: &[&Fact]| facts.first().and_then(|f| f.written.clone());
            let (wa, wb) = (written(&only_a), written(&only_b));
            self.differ(message, (&b.keys[j], wb.as_deref()), (&a.keys[i], wa.as_deref()));
        }
    }

    /// Aligns the areas of the commentary, then the paragraphs of each pair.
    fn commentary(&mut self) {
        let (a, b) = (&self.a.texts.commentary, &self.b.texts.commentary);
        let summary = |area: &CommentaryArea<Text>| {
            let mut facts = Facts::default();
            area.paragraphs.iter().for_each(|p| facts.extend(Facts::of(p)));
            (facts, area.paragraphs.iter().map(length).sum::<usize>(), area.paragraphs.len())
        };
        let (sa, sb): (Vec<_>, Vec<_>) =
            (a.iter().map(summary).collect(), b.iter().map(summary).collect());
        let ratio = self.ratio;
        let cost = |i: usize, j: usize| {
            let paragraphs = sa[i].2.abs_diff(sb[j].2) as u32 * 15;
            (cost(&sa[i].0, sa[i].1, &sb[j].0, sb[j].1, ratio) + paragraphs).min(MAX_PAIR)
        };
        let areas = |len| Items::indexed("commentary", len, |n| format!("area {}", n + 1));
        self.walk(
            ("the commentary", "area"),
            &areas(a.len()),
            &areas(b.len()),
            cost,
            |pair, i, j| {
                let (x, y) =
                    (Paragraphs::area(&a[i].paragraphs, i), Paragraphs::area(&b[j].paragraphs, j));
                pair.paragraphs(&format!("area {}", i + 1), &x, &y);
            },
        );
    }

    /// Aligns the rows of the copy list by their names, and compares the
    /// names of each pair. Roles are in each version's language.
    fn copy_list(&mut self) {
        let rows = |f: &Findings<Text>| f.copy_to.clone().unwrap_or_default();
        let (a, b) = (rows(self.a.texts), rows(self.b.texts));
        let (na, nb): (Vec<_>, Vec<_>) =
            (a.iter().map(names).collect(), b.iter().map(names).collect());
        let cost = |i: usize, j: usize| {
            let (x, y) = difference(&na[i], &nb[j]);
            ((x.len() + y.len()) as u32 * GAP).min(MAX_PAIR)
        };
        let items = |rows: &[CopyEntry<Text>]| {
            Items::indexed("copy_to", rows.len(), |n| {
                format!("copy-list row {} ({})", n + 1, rows[n].role)
            })
        };
        self.walk(("the copy list", "row"), &items(&a), &items(&b), cost, |pair, i, j| {
            pair.names((i, &na[i]), (j, &nb[j]));
        });
    }

    /// Compares the names of two paired copy-list rows, one difference per
    /// name that one version lacks.
    fn names(&mut self, (i, a): (usize, &[Fact]), (j, b): (usize, &[Fact])) {
        let (la, lb) = (self.a.label, self.b.label);
        let (only_a, only_b) = difference(a, b);
        let found =
            only_a.into_iter().map(|f| (f, false)).chain(only_b.into_iter().map(|f| (f, true)));
        for (name, in_b) in found {
            let (row, names, here, there) = if in_b { (j, b, lb, la) } else { (i, a, la, lb) };
            let k = names.iter().position(|n| std::ptr::eq(n, name)).unwrap_or(0);
            let message =
                format!("copy-list row {}: {} in {here}, not in {there}", row + 1, name.shown);
            let own = format!("copy_to[{row}].names[{k}]");
            let (in_a_row, in_b_row) =
                (format!("copy_to[{i}].names"), format!("copy_to[{j}].names"));
            let (pb, pa) = if in_b { (own, in_a_row) } else { (in_b_row, own) };
            self.differ(message, (&pb, None), (&pa, None));
        }
    }
}

/// The names of a copy-list row, compared with spacing and case ignored.
fn names(row: &CopyEntry<Text>) -> Vec<Fact> {
    row.names
        .iter()
        .map(|name| {
            let shown = name.to_plain().split_whitespace().collect::<Vec<_>>().join(" ");
            Fact { value: shown.to_lowercase(), shown, written: None }
        })
        .collect()
}

/// Facts as a message lists them, or none.
fn shown(facts: &[&Fact]) -> Option<String> {
    let shown: Vec<&str> = facts.iter().map(|f| f.shown.as_str()).collect();
    (!shown.is_empty()).then(|| shown.join(" and "))
}

fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}
