//! The minijinja Environment that lays a [`Letter`] out in the template of
//! each writer (`format/`), and how a letter's texts reach a template.
//!
//! Built once per run. Templates come from [`Templates`] (embedded, or a
//! user's folder), undefined values are errors, and every `{{ value }}` is
//! printed by the writer of the template's format: in `.typ` templates as
//! Typst string literals (`#"…";`), in `.html` templates HTML-escaped. A
//! [`Text`] (inline runs) is printed by that format's writer in `format/`,
//! so no value can be read as Typst or HTML, whatever it holds. The letter
//! model knows no template engine: how a [`Text`] becomes a minijinja value
//! that the formatter can recognise is decided here. Two filters
//! help the layout: `typst` writes a value as a Typst code literal, and
//! `data_uri` turns the logo into a `data:` address for the web page.

use std::fmt;
use std::sync::Arc;

use base64::Engine;
use minijinja::value::{Object, ObjectRepr, Value, ValueKind};
use minijinja::{AutoEscape, Environment, ErrorKind, State, UndefinedBehavior};

use crate::error::Diagnostic;
use crate::format::{html, typst, word};
use crate::letter::{Letter, Text};
use crate::templates::Templates;

/// The auto-escape mode of Typst templates.
const TYPST: &str = "typst";

/// The auto-escape mode of Word templates (`word/document.xml`).
const WORD: &str = "word";

/// Enough for any letter many times over; stops a template that loops forever.
const FUEL: u64 = 50_000_000;

/// Builds the Environment over the given template files.
pub(crate) fn environment(templates: Arc<Templates>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_debug(true);
    env.set_fuel(Some(FUEL));
    env.set_loader(move |name| Ok(templates.source(name).map(|s| s.text.clone())));
    env.set_auto_escape_callback(|name| {
        let name = name.strip_suffix(".j2").unwrap_or(name);
        if name.ends_with(".typ") {
            AutoEscape::Custom(TYPST.into())
        } else if name.ends_with(".docx") {
            AutoEscape::Custom(WORD.into())
        } else if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(format_value);
    env.add_filter("typst", |value: Value| -> Result<Value, minijinja::Error> {
        Ok(Value::from_safe_string(typst_code(&value)?))
    });
    env.add_filter("data_uri", data_uri);
    env.add_filter("xml", |value: Value| -> Result<Value, minijinja::Error> {
        Ok(Value::from_safe_string(word::escape(&plain_value(&value)?)))
    });
    env.add_filter("docx_extent", docx_extent);
    env
}

/// Prints a value in the template's format.
fn format_value(
    out: &mut minijinja::Output,
    state: &mut State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let writer: fn(&Text) -> String = match state.auto_escape() {
        AutoEscape::Custom(name) if name == TYPST => |t| typst::inline(&t.runs),
        AutoEscape::Custom(name) if name == WORD => |t| word::inline(&t.runs),
        AutoEscape::Html => |t| html::inline(&t.runs),
        _ => return minijinja::escape_formatter(out, state, value),
    };
    let text = if value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    } else if let Some(text) = value.downcast_object_ref::<Text>() {
        writer(text)
    } else {
        writer(&Text::plain(plain_value(value)?))
    };
    out.write_str(&text).map_err(minijinja::Error::from)
}

/// A plain value as the words it prints: text, a number, nothing.
fn plain_value(value: &Value) -> Result<String, minijinja::Error> {
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => Ok(String::new()),
        ValueKind::String => Ok(value.as_str().unwrap_or_default().to_string()),
        ValueKind::Number | ValueKind::Bool => Ok(value.to_string()),
        kind => Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!("cannot print a {kind} as text; loop over it or use a filter"),
        )),
    }
}

/// The logo (`letter.letterhead.logo`) as a `data:` address.
fn data_uri(logo: Value) -> Result<Value, minijinja::Error> {
    let mime = logo.get_attr("mime")?;
    let bytes = logo.get_attr("bytes")?;
    let (Some(mime), Some(bytes)) = (mime.as_str(), bytes.as_bytes()) else {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            "data_uri needs the letter's logo, with its mime and bytes",
        ));
    };
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    Ok(Value::from_safe_string(format!("data:{mime};base64,{encoded}")))
}

/// The logo's size in a Word document, as the attributes of
/// `wp:extent`: as high as in the PDF, as wide as its shape says.
fn docx_extent(logo: Value) -> Result<Value, minijinja::Error> {
    let mime = logo.get_attr("mime")?;
    let bytes = logo.get_attr("bytes")?;
    let (Some(mime), Some(bytes)) = (mime.as_str(), bytes.as_bytes()) else {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            "docx_extent needs the letter's logo, with its mime and bytes",
        ));
    };
    let (cx, cy) = word::logo_extent(mime, bytes);
    Ok(Value::from_safe_string(format!("cx=\"{cx}\" cy=\"{cy}\"")))
}

/// A value as a Typst code literal: string, number, bool, none, array, dict.
fn typst_code(value: &Value) -> Result<String, minijinja::Error> {
    Ok(match value.kind() {
        ValueKind::Undefined | ValueKind::None => "none".into(),
        ValueKind::Bool => value.is_true().to_string(),
        ValueKind::Number => {
            let text = value.to_string();
            if text.parse::<f64>().is_ok_and(f64::is_finite) { text } else { "none".into() }
        }
        ValueKind::String => typst::string_literal(value.as_str().unwrap_or_default()),
        ValueKind::Seq | ValueKind::Iterable => {
            let items: Result<Vec<_>, _> = value.try_iter()?.map(|v| typst_code(&v)).collect();
            format!("({},)", items?.join(", "))
        }
        ValueKind::Map => {
            let mut entries = Vec::new();
            for key in value.try_iter()? {
                let item = value.get_item(&key)?;
                entries.push(format!(
                    "{}: {}",
                    typst::string_literal(&key.to_string()),
                    typst_code(&item)?
                ));
            }
            if entries.is_empty() { "(:)".into() } else { format!("({})", entries.join(", ")) }
        }
        other => {
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                format!("cannot write a {other} as a Typst value"),
            ));
        }
    })
}

/// Lays a letter out with the named template.
pub(crate) fn letter(
    env: &Environment<'static>,
    templates: &Templates,
    name: &str,
    letter: &Letter,
) -> Result<String, Diagnostic> {
    let context = minijinja::context! { letter => Value::from(minijinja::value::Serde(letter)) };
    fill(env, templates, name, &context)
}

/// Fills the named template with any context.
fn fill(
    env: &Environment<'static>,
    templates: &Templates,
    name: &str,
    context: &Value,
) -> Result<String, Diagnostic> {
    let template = env.get_template(name).map_err(|e| template_error(&e, templates))?;
    let mut out = Capped::default();
    match template.render_captured_to(context.clone(), &mut out) {
        Ok(_) => String::from_utf8(out.bytes).map_err(|_| {
            Diagnostic::error(format!("template {name} wrote text that is not UTF-8"))
        }),
        Err(error) if out.over => {
            let mut d = template_error(&error, templates);
            // The write failed, so minijinja may not say where: the file is
            // known, the line not.
            if d.file.is_none()
                && let Some(file) = templates.source(name)
            {
                d = d.at(file, None);
            }
            d.message = format!(
                "template {name} writes more than {} MiB, far more than any letter",
                MAX_OUTPUT / (1024 * 1024)
            );
            Err(d.hint("look for a loop or a value that is repeated or doubled"))
        }
        Err(error) => Err(template_error(&error, templates)),
    }
}

/// The most a template may write. A letter's Typst or HTML, its logo
/// included, is well under a megabyte; fuel bounds a template's time, and
/// this the memory of what it writes.
const MAX_OUTPUT: usize = 32 * 1024 * 1024;

/// A writer that refuses to grow past [`MAX_OUTPUT`].
#[derive(Default)]
struct Capped {
    bytes: Vec<u8>,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT {
            self.over = true;
            return Err(std::io::Error::other("the template's output is too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// In a template a text is an object that each writer's formatter prints
/// with its own inline writer (see [`format_value`]); anywhere else (JSON,
/// the batch's wire) it is its runs.
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if minijinja::value::serializing_for_value() {
            Value::from_object(self.clone()).serialize(serializer)
        } else {
            self.runs.serialize(serializer)
        }
    }
}

impl Object for Text {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn is_true(self: &Arc<Self>) -> bool {
        !self.runs.is_empty()
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_plain())
    }
}

/// A template error, pointing at the template file and line.
fn template_error(error: &minijinja::Error, templates: &Templates) -> Diagnostic {
    let detail = error.detail().map(|d| format!(": {d}")).unwrap_or_default();
    let mut diagnostic = Diagnostic::error(format!("template error: {}{detail}", error.kind()));
    if let Some(file) = error.name().and_then(|name| templates.source(name)) {
        let range = error.range().or_else(|| file.line_range(error.line()?));
        diagnostic = diagnostic.at(file, range);
    } else if let Some(name) = error.name() {
        diagnostic = diagnostic.hint(format!("in template {name}"));
    }
    if error.kind() == ErrorKind::TemplateNotFound {
        diagnostic = diagnostic.hint("templates are looked for in --templates DIR, then built in");
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::parse;
    use minijinja::context;

    fn env_with(name: &str, source: &str) -> (Environment<'static>, Arc<Templates>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), source).unwrap();
        let templates = Arc::new(Templates::with_overrides(dir.path()).unwrap());
        (environment(templates.clone()), templates)
    }

    fn text(markup: &str) -> Value {
        Value::from_object(Text { runs: parse(markup, None).unwrap(), key: None })
    }

    #[test]
    fn values_become_string_literals() {
        let (env, templates) = env_with("t.typ.j2", "a {{ x }} b {{ n }}");
        let ctx = context! { x => "#set \"q\" \\", n => 3 };
        let out = fill(&env, &templates, "t.typ.j2", &ctx).unwrap();
        assert_eq!(out, "a #\"#set \\\"q\\\" \\\\\"; b #\"3\";");
    }

    #[test]
    fn template_syntax_in_values_is_not_run() {
        let (env, templates) = env_with("t.typ.j2", "{{ x }}");
        let ctx = context! { x => "{{ 7 * 7 }}" };
        let out = fill(&env, &templates, "t.typ.j2", &ctx).unwrap();
        assert_eq!(out, "#\"{{ 7 * 7 }}\";");
    }

    #[test]
    fn texts_are_printed_by_each_formats_writer() {
        let ctx = context! { t => text("a *b* <https://x.org/?a&b>"), s => "<i>&" };
        let (env, templates) = env_with("t.typ.j2", "{{ t }}|{{ s }}");
        assert_eq!(
            fill(&env, &templates, "t.typ.j2", &ctx).unwrap(),
            "#\"a \";#emph[#\"b\";]#\" \";#link(\"https://x.org/?a&b\")[#\"https://x.org/?a&b\";]|#\"<i>&\";"
        );
        let (env, templates) = env_with("t.html.j2", "{{ t }}|{{ s }}");
        assert_eq!(
            fill(&env, &templates, "t.html.j2", &ctx).unwrap(),
            "a <em>b</em> <a href=\"https://x.org/?a&amp;b\">https://x.org/?a&amp;b</a>|&lt;i&gt;&amp;"
        );
    }

    #[test]
    fn safe_values_pass_and_filters_write_code() {
        let (env, templates) = env_with("t.typ.j2", "{{ s }}|{{ v|typst }}");
        let ctx = context! {
            s => Value::from_safe_string("#emph[x]".into()),
            v => vec![Value::from(1), Value::from("a"), Value::from(true)],
        };
        let out = fill(&env, &templates, "t.typ.j2", &ctx).unwrap();
        assert_eq!(out, "#emph[x]|(1, \"a\", true,)");
    }

    #[test]
    fn undefined_values_are_errors_that_point_at_the_template() {
        let (env, templates) = env_with("t.typ.j2", "line one\n{{ missing.key }}\n");
        let error = fill(&env, &templates, "t.typ.j2", &context! {}).unwrap_err();
        assert!(error.message.contains("undefined"), "{}", error.message);
        assert_eq!(error.line_column().unwrap().0, 2);
        assert!(error.file.unwrap().name.ends_with("t.typ.j2"));
    }
}
