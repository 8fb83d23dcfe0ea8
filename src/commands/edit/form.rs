//! What each part of the letter's form holds, from the file as it is, and
//! how a submitted form becomes edits of the file.
//!
//! A part is a list of controls (a text input, a paragraph, a date, a
//! choice, a list of paragraphs, the rows of the copy list), each bound to
//! a key of the file. Labels and hints come from the guide (`guide.rs`),
//! which the JSON Schema and `init`'s comments read too. Field names in the
//! form say what a value is: `f:KEY` a text, `d:KEY-day` a part of a date,
//! `l:KEY` a list of names one per line; the `action` button adds, removes
//! or moves a paragraph.

use hmip_letter::Diagnostic;
use hmip_letter::edit::{self, Refused, Shape};
use hmip_letter::guide;
use minijinja::{Value, context};

/// A part of the letter: its address, its title, and the keys it edits.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) id: String,
    pub(crate) title: String,
    /// The keys whose values (and everything under them) the part edits.
    pub(crate) keys: Vec<String>,
}

/// The parts of a letter, in the order of the overview.
pub(crate) fn parts(text: &str) -> Vec<Part> {
    let part = |id: &str, title: &str, keys: &[&str]| Part {
        id: id.into(),
        title: title.into(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
    };
    let has = |key: &str| edit::shape(text, key).is_some();
    let mut out = vec![
        part(
            "details",
            "The letter's details",
            &["letter", "language", "area", "area_in", "published", "date_style", "status", "logo"],
        ),
        part("to-and-from", "To and from", &["to", "from"]),
        part("inspection", "The inspection", &["inspection"]),
    ];
    for (key, title) in [("intro", "The opening (replaced)"), ("context", "Context (replaced)")] {
        if has(key) {
            out.push(part(key, title, &[key]));
        }
    }
    out.push(part("summary", "Summary", &["summary"]));
    let areas = match edit::shape(text, "commentary") {
        Some(Shape::List(n)) => n,
        _ => 0,
    };
    for n in 0..areas {
        let heading = match edit::shape(text, &format!("commentary[{n}].heading")) {
            Some(Shape::Text(heading)) => format!("{}. {heading}", n + 1),
            _ => format!("Commentary area {}", n + 1),
        };
        out.push(Part {
            id: format!("area-{}", n + 1),
            title: heading,
            keys: vec![format!("commentary[{n}]")],
        });
    }
    if has("operational_management") {
        out.push(part(
            "operational-management",
            "Operational management",
            &["operational_management"],
        ));
    }
    out.push(part("strengths", "Key strengths", &["strengths"]));
    out.push(part("improvements", "Areas requiring improvement", &["improvements"]));
    if has("closing") {
        out.push(part("closing", "The closing (replaced)", &["closing"]));
    }
    out.push(part("lead-inspector", "The lead inspector", &["lead_inspector"]));
    if has("copy_to") {
        out.push(part("copy-list", "The copy list", &["copy_to"]));
    }
    if matches!(edit::shape(text, "footnotes"), Some(Shape::Map(keys)) if !keys.is_empty()) {
        out.push(part("footnotes", "Footnotes", &["footnotes"]));
    }
    out
}

/// Whether `key` is one of the part's, or under one.
pub(crate) fn in_part(key: &str, part: &Part) -> bool {
    part.keys.iter().any(|p| under(key, p))
}

fn under(key: &str, prefix: &str) -> bool {
    key == prefix || key.strip_prefix(prefix).is_some_and(|r| r.starts_with(['.', '[']))
}

/// A field's id in the page: its key with `[`, `]` and `.` as `-`.
pub(crate) fn field_id(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' })
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// The controls of a part and, for the error summary, where each key's
/// field is (`#id`).
pub(crate) struct Form {
    pub(crate) controls: Vec<Value>,
    pub(crate) anchors: Vec<(String, String)>,
}

/// What builds the controls of one part: the file, and its problems.
struct Builder<'a> {
    text: &'a str,
    problems: &'a [Diagnostic],
    anchors: Vec<(String, String)>,
}

/// The keys a form offers when the file leaves them out, with the value
/// the letter then takes, and the keys a new one is written after.
const DEFAULTS: &[(&str, &str, &[&str])] = &[
    ("language", "en-GB", &["letter"]),
    ("date_style", "ordinal", &["published", "area_in", "area", "language", "letter"]),
    ("status", "final", &["date_style", "published", "area_in", "area", "language", "letter"]),
];

/// The value a letter takes for a key the file leaves out, if the form
/// offers it.
pub(crate) fn default_of(key: &str) -> Option<&'static str> {
    DEFAULTS.iter().find(|(k, ..)| *k == key).map(|(_, v, _)| *v)
}

/// The keys a new `key` is written after, nearest first.
pub(crate) fn written_after(key: &str) -> &'static [&'static str] {
    DEFAULTS.iter().find(|(k, ..)| *k == key).map_or(&[], |(_, _, after)| after)
}

/// Text inputs of names and short values take two thirds of the column.
const HALF: &str = "govuk-!-width-two-thirds";

fn label(key: &str) -> &'static str {
    guide::about_key(key).map_or("Text", |a| a.label)
}

fn hint(key: &str) -> &'static str {
    guide::about_key(key).map_or("", |a| a.hint)
}

impl Builder<'_> {
    fn error(&self, key: &str) -> Option<String> {
        self.problems
            .iter()
            .find(|d| d.is_error() && d.key.as_deref() == Some(key))
            .map(|d| d.message.clone())
    }

    fn value(&self, key: &str) -> Option<String> {
        match edit::shape(self.text, key)? {
            Shape::Text(value) => Some(value),
            Shape::Nothing => Some(String::new()),
            _ => None,
        }
    }

    fn anchor(&mut self, key: &str, id: String) {
        self.anchors.push((key.to_string(), format!("#{id}")));
    }

    fn text(&mut self, key: &str, classes: &str) -> Option<Value> {
        let value = self.value(key)?;
        let id = field_id(key);
        self.anchor(key, id.clone());
        Some(context! {
            kind => "text", id, name => format!("f:{key}"), label => label(key),
            hint => hint(key), value, error => self.error(key),
            classes,
        })
    }

    fn paragraph(&mut self, key: &str, label: String, actions: Vec<Value>) -> Option<Value> {
        let value = self.value(key)?;
        let id = field_id(key);
        self.anchor(key, id.clone());
        let rows = (value.len() / 60 + 2).clamp(3, 14);
        Some(context! {
            kind => "area", id, name => format!("f:{key}"), label, hint => hint(key),
            value, error => self.error(key), rows, actions,
        })
    }

    fn date(&mut self, key: &str) -> Option<Value> {
        let value = self.value(key)?;
        let id = field_id(key);
        self.anchor(key, format!("{id}-day"));
        let parts: Vec<&str> = value.split('-').collect();
        let (year, month, day) = match parts.as_slice() {
            [y, m, d] if [y, m, d].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) => (
                y.to_string(),
                m.trim_start_matches('0').to_string(),
                d.trim_start_matches('0').to_string(),
            ),
            _ => Default::default(),
        };
        let about = guide::about_key(key);
        let hint = about.map_or("", |a| a.hint);
        let hint = if hint.is_empty() {
            "For example, 16 7 2014".to_string()
        } else {
            format!("{hint} For example, 16 7 2014")
        };
        let name = format!("d:{key}");
        let values: std::collections::BTreeMap<String, String> =
            [("day", day), ("month", month), ("year", year)]
                .into_iter()
                .map(|(part, value)| (format!("{name}-{part}"), value))
                .collect();
        Some(context! {
            kind => "date", id, name, label => label(key), hint,
            values => Value::from(minijinja::value::Serde(values)), error => self.error(key),
        })
    }

    fn choice(&mut self, key: &str, options: &[(&str, &str)]) -> Option<Value> {
        let value = self.value(key).or_else(|| default_of(key).map(String::from))?;
        let id = field_id(key);
        self.anchor(key, id.clone());
        let mut items: Vec<Value> =
            options.iter().map(|(v, t)| context! { value => *v, text => *t }).collect();
        if !options.iter().any(|(v, _)| *v == value) {
            items.push(context! { value => value.clone(), text => value.clone() });
        }
        Some(context! {
            kind => "radios", id, name => format!("f:{key}"), label => label(key),
            hint => hint(key), value, items, error => self.error(key),
        })
    }

    fn group(&mut self, key: &str, controls: Vec<Option<Value>>) -> Option<Value> {
        let controls: Vec<Value> = controls.into_iter().flatten().collect();
        (!controls.is_empty()).then(|| {
            context! { kind => "group", legend => label(key), hint => hint(key), controls, error => self.error(key) }
        })
    }

    /// A list of paragraphs (or items), each with its buttons to move and
    /// remove it, and a button to add one.
    fn list(&mut self, key: &str, noun: &str) -> Option<Value> {
        let Shape::List(count) = edit::shape(self.text, key)? else { return None };
        let id = field_id(key);
        self.anchor(key, id.clone());
        let minimum = usize::from(!matches!(key, "improvements"));
        let items: Vec<Value> = (0..count)
            .filter_map(|i| {
                let item = format!("{key}[{i}]");
                let label = format!("{noun} {}", i + 1);
                let mut actions = Vec::new();
                if i > 0 {
                    actions.push(action(&format!("up:{key}:{i}"), "Move up", &label));
                }
                if i + 1 < count {
                    actions.push(action(&format!("down:{key}:{i}"), "Move down", &label));
                }
                if count > minimum {
                    actions.push(action(&format!("remove:{item}"), "Remove", &label));
                }
                self.paragraph(&item, label, actions)
            })
            .collect();
        let add =
            action(&format!("add:{key}:{count}"), &format!("Add a {}", noun.to_lowercase()), "");
        Some(context! {
            kind => "list", id, legend => label(key), hint => hint(key), items, add,
            error => self.error(key),
        })
    }

    /// The copy list: a row for each role, its names one per line.
    fn rows(&mut self, key: &str) -> Option<Value> {
        let Shape::List(count) = edit::shape(self.text, key)? else { return None };
        let id = field_id(key);
        self.anchor(key, id.clone());
        let rows: Vec<Value> = (0..count)
            .map(|i| {
                let row = format!("{key}[{i}]");
                let role = self.text(&format!("{row}.role"), HALF);
                let names_key = format!("{row}.names");
                let names: Vec<String> = match edit::shape(self.text, &names_key) {
                    Some(Shape::List(n)) => {
                        (0..n).filter_map(|j| self.value(&format!("{names_key}[{j}]"))).collect()
                    }
                    _ => Vec::new(),
                };
                let names_id = field_id(&names_key);
                self.anchor(&names_key, names_id.clone());
                let error = self.error(&names_key).or_else(|| {
                    (0..names.len()).find_map(|j| self.error(&format!("{names_key}[{j}]")))
                });
                let names = context! {
                    kind => "area", id => names_id, name => format!("l:{names_key}"),
                    label => label(&names_key), hint => "One name on each line.",
                    value => names.join("\n"), rows => names.len().clamp(1, 8) + 1, error,
                };
                let remove =
                    action(&format!("remove:{row}"), "Remove this row", &format!("row {}", i + 1));
                context! { legend => format!("Row {}", i + 1), role, names, remove }
            })
            .collect();
        let add = action(&format!("row:{key}"), "Add a row", "");
        Some(
            context! { kind => "rows", id, legend => label(key), hint => hint(key), rows, add, error => self.error(key) },
        )
    }
}

fn action(value: &str, text: &str, what: &str) -> Value {
    context! { value, text, what }
}

/// The controls of a part, from the file as it is.
pub(crate) fn form(part: &Part, text: &str, problems: &[Diagnostic]) -> Form {
    let mut b = Builder { text, problems, anchors: Vec::new() };
    let controls: Vec<Option<Value>> = match part.id.as_str() {
        "details" => vec![
            b.text("letter", "govuk-input--width-10"),
            b.choice("language", &[("en-GB", "English"), ("cy", "Welsh (Cymraeg)")]),
            b.text("area", HALF),
            b.text("area_in", HALF),
            b.date("published"),
            b.choice(
                "date_style",
                &[("ordinal", "Ordinal: 16th July 2014"), ("plain", "Plain: 16 July 2014")],
            ),
            b.choice(
                "status",
                &[("draft", "Draft, with a DRAFT watermark"), ("final", "Final, for publishing")],
            ),
            {
                let file = b.text("logo.file", HALF);
                let alt = b.text("logo.alt", "");
                b.group("logo", vec![file, alt])
            },
        ],
        "to-and-from" => ["to", "from"]
            .iter()
            .map(|who| {
                let name = b.text(&format!("{who}.name"), HALF);
                let role = b.text(&format!("{who}.role"), "");
                b.group(who, vec![name, role])
            })
            .collect(),
        "inspection" => {
            let from = b.date("inspection.fieldwork.from");
            let to = b.date("inspection.fieldwork.to");
            vec![
                b.group("inspection.fieldwork", vec![from, to]),
                b.text("inspection.cases", "govuk-input--width-4"),
                b.text("inspection.team", ""),
                b.text("inspection.abbreviation", "govuk-input--width-5"),
            ]
        }
        "lead-inspector" => vec![
            b.text("lead_inspector.name", HALF),
            b.choice("lead_inspector.pronoun", &[("he", "he"), ("she", "she"), ("they", "they")]),
            b.text("lead_inspector.email", HALF),
            b.text("lead_inspector.phone", "govuk-input--width-20"),
        ],
        "copy-list" => vec![b.rows("copy_to")],
        "footnotes" => match edit::shape(text, "footnotes") {
            Some(Shape::Map(names)) => names
                .iter()
                .map(|name| {
                    let key = format!("footnotes.{name}");
                    b.paragraph(&key, format!("Footnote [^{name}]"), Vec::new())
                })
                .collect(),
            _ => Vec::new(),
        },
        id if id.starts_with("area-") => {
            let area = &part.keys[0];
            vec![
                b.text(&format!("{area}.heading"), ""),
                b.list(&format!("{area}.paragraphs"), "Paragraph"),
            ]
        }
        "strengths" => vec![b.list("strengths", "Strength")],
        "improvements" => vec![b.list("improvements", "Area for improvement")],
        _ => part.keys.iter().map(|key| b.list(key, "Paragraph")).collect(),
    };
    Form { controls: controls.into_iter().flatten().collect(), anchors: b.anchors }
}

/// What a submitted form asks: each value it sets, and at most one change
/// to a list.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Submitted {
    /// The version of the file the page was made from.
    pub(crate) version: Option<String>,
    /// Texts by key, in the order of the form.
    pub(crate) texts: Vec<(String, String)>,
    /// Lists of names by key, one per line.
    pub(crate) lists: Vec<(String, Vec<String>)>,
    pub(crate) action: Option<Action>,
}

/// A change to a list that a button asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    Add(String, usize),
    Remove(String),
    Up(String, usize),
    Down(String, usize),
    Row(String),
}

impl Submitted {
    pub(crate) fn read(form: &[(String, String)]) -> Result<Self, Refused> {
        let mut out = Submitted::default();
        let mut dates: Vec<(String, [String; 3])> = Vec::new();
        for (name, value) in form {
            // Browsers send a textarea's line breaks as CR LF.
            let value = value.replace("\r\n", "\n");
            if name == "version" {
                out.version = Some(value);
            } else if name == "action" {
                out.action = Some(Action::read(&value)?);
            } else if let Some(key) = name.strip_prefix("f:") {
                out.texts.push((key.to_string(), value));
            } else if let Some(key) = name.strip_prefix("l:") {
                let names =
                    value.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from);
                out.lists.push((key.to_string(), names.collect()));
            } else if let Some(rest) = name.strip_prefix("d:") {
                let Some((key, part)) = rest.rsplit_once('-') else { continue };
                let slot = match part {
                    "day" => 0,
                    "month" => 1,
                    "year" => 2,
                    _ => continue,
                };
                let at = match dates.iter().position(|(k, _)| k == key) {
                    Some(at) => at,
                    None => {
                        dates.push((key.to_string(), Default::default()));
                        dates.len() - 1
                    }
                };
                dates[at].1[slot] = value.trim().to_string();
            }
        }
        for (key, [day, month, year]) in dates {
            if let Some(date) = date_text(&day, &month, &year) {
                out.texts.push((key, date));
            }
        }
        Ok(out)
    }

    /// Every key the form names.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        let action = self.action.iter().map(|a| match a {
            Action::Add(k, _)
            | Action::Remove(k)
            | Action::Up(k, _)
            | Action::Down(k, _)
            | Action::Row(k) => k.as_str(),
        });
        self.texts
            .iter()
            .map(|(k, _)| k.as_str())
            .chain(self.lists.iter().map(|(k, _)| k.as_str()))
            .chain(action)
    }
}

impl Action {
    fn read(value: &str) -> Result<Self, Refused> {
        let bad = || Refused(format!("the form asked for something unknown: {value}"));
        let (verb, rest) = value.split_once(':').ok_or_else(bad)?;
        let numbered = |rest: &str| -> Result<(String, usize), Refused> {
            let (key, n) = rest.rsplit_once(':').ok_or_else(bad)?;
            Ok((key.to_string(), n.parse().map_err(|_| bad())?))
        };
        Ok(match verb {
            "add" => numbered(rest).map(|(k, n)| Action::Add(k, n))?,
            "up" => numbered(rest).map(|(k, n)| Action::Up(k, n))?,
            "down" => numbered(rest).map(|(k, n)| Action::Down(k, n))?,
            "remove" => Action::Remove(rest.to_string()),
            "row" => Action::Row(rest.to_string()),
            _ => return Err(bad()),
        })
    }

    /// The file with the action done, and the key of the field to show
    /// next (the paragraph added or moved).
    pub(crate) fn apply(&self, text: &str) -> Result<(String, Option<String>), Refused> {
        Ok(match self {
            Action::Add(list, at) => {
                (edit::insert(text, list, *at, "")?, Some(format!("{list}[{at}]")))
            }
            Action::Remove(key) => (edit::remove(text, key)?, None),
            Action::Up(list, i) if *i > 0 => {
                (edit::swap(text, list, i - 1)?, Some(format!("{list}[{}]", i - 1)))
            }
            Action::Down(list, i) => {
                (edit::swap(text, list, *i)?, Some(format!("{list}[{}]", i + 1)))
            }
            Action::Up(..) => (text.to_string(), None),
            Action::Row(list) => {
                let row = [("role", vec![String::new()]), ("names", vec![String::new()])];
                (edit::add_row(text, list, &row)?, None)
            }
        })
    }
}

/// `YYYY-MM-DD` from a date input's three fields; `None` when all are
/// empty (the value is left as it is). What is not a date is written as
/// typed, for `check` to say what is wrong with it.
fn date_text(day: &str, month: &str, year: &str) -> Option<String> {
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return None;
    }
    let pad = |s: &str, width: usize| {
        if !s.is_empty() && s.len() <= width && s.bytes().all(|b| b.is_ascii_digit()) {
            format!("{s:0>width$}")
        } else {
            s.to_string()
        }
    };
    Some(format!("{}-{}-{}", pad(year, 4), pad(month, 2), pad(day, 2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn barnet() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/barnet-2014.yaml"))
            .unwrap()
    }

    #[test]
    fn every_value_of_a_letter_is_in_one_part() {
        let text = barnet();
        let parts = parts(&text);
        for field in edit::fields(&text, "") {
            let homes = parts.iter().filter(|p| in_part(&field.key, p)).count();
            assert_eq!(homes, 1, "{} is in {homes} parts", field.key);
        }
        let ids: Vec<&str> = parts.iter().map(|p| p.id.as_str()).collect();
        assert!(ids.contains(&"area-4") && ids.contains(&"copy-list"), "{ids:?}");
    }

    #[test]
    fn every_part_shows_every_value_it_holds() {
        let text = barnet();
        for part in parts(&text) {
            let form = form(&part, &text, &[]);
            for field in edit::fields(&text, "").iter().filter(|f| in_part(&f.key, &part)) {
                assert!(
                    form.anchors.iter().any(|(k, _)| *k == field.key
                        || under(&field.key, k) && field.key.contains("names")),
                    "{} is not on the page of {}",
                    field.key,
                    part.id
                );
            }
        }
    }

    #[test]
    fn a_submitted_form_is_read_as_it_was_meant() {
        let form: Vec<(String, String)> = [
            ("version", "v1"),
            ("f:area", "Barnet"),
            ("d:published-day", "6"),
            ("d:published-month", "7"),
            ("d:published-year", "2014"),
            ("d:inspection.fieldwork.to-day", ""),
            ("d:inspection.fieldwork.to-month", ""),
            ("d:inspection.fieldwork.to-year", ""),
            ("l:copy_to[0].names", "A Person\r\n\r\n  B Person \r\n"),
            ("f:summary[0]", "One\r\ntwo"),
            ("action", "down:summary:0"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let read = Submitted::read(&form).unwrap();
        assert_eq!(read.version.as_deref(), Some("v1"));
        assert_eq!(
            read.texts,
            [("area", "Barnet"), ("summary[0]", "One\ntwo"), ("published", "2014-07-06")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert_eq!(
            read.lists,
            [(
                "copy_to[0].names".to_string(),
                vec!["A Person".to_string(), "B Person".to_string()]
            )]
        );
        assert_eq!(read.action, Some(Action::Down("summary".into(), 0)));
        assert_eq!(date_text("31", "2", "2014").as_deref(), Some("2014-02-31"));
        assert_eq!(date_text("x", "", "14").as_deref(), Some("0014--x"));
        assert!(Submitted::read(&[("action".into(), "explode:now".into())]).is_err());
    }
}
