//! The minijinja Environment that turns a letter's data into Typst source.
//!
//! Built once per run. Templates come from [`Templates`] (embedded, or a
//! user's folder), undefined values are errors, and in `.typ` templates every
//! `{{ value }}` is printed as a Typst string literal (`#"…";`), so no value
//! can be read as Typst markup, whatever it holds. Values that are already
//! Typst (the prose, made safe by `markup.rs`) are marked safe and pass as
//! they are. Three filters make the rest: `typst` writes a value as a Typst
//! code literal, `link` and `mailto` write a link whose text is its target.

use std::sync::Arc;

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};

use crate::error::Diagnostic;
use crate::markup::{literal_markup, string_literal};
use crate::templates::Templates;

/// The auto-escape mode of Typst templates.
const TYPST: &str = "typst";

/// Enough for any letter many times over; stops a template that loops forever.
const FUEL: u64 = 50_000_000;

/// Builds the Environment over the given template files.
pub fn environment(templates: Arc<Templates>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_debug(true);
    env.set_fuel(Some(FUEL));
    env.set_loader(move |name| Ok(templates.source(name).map(|s| s.text.clone())));
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".typ.j2") || name.ends_with(".typ") {
            AutoEscape::Custom(TYPST.into())
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        let typst = matches!(state.auto_escape(), AutoEscape::Custom(name) if name == TYPST);
        if !typst || value.is_safe() {
            return minijinja::escape_formatter(out, state, value);
        }
        out.write_str(&typst_markup(value)?).map_err(minijinja::Error::from)
    });
    env.add_filter("typst", |value: Value| -> Result<Value, minijinja::Error> {
        Ok(Value::from_safe_string(typst_code(&value)?))
    });
    env.add_filter("link", |url: String| {
        Value::from_safe_string(format!(
            "#link({})[{}]",
            string_literal(&url),
            literal_markup(&url)
        ))
    });
    env.add_filter("mailto", |email: String| {
        let target = string_literal(&format!("mailto:{email}"));
        Value::from_safe_string(format!("#link({target})[{}]", literal_markup(&email)))
    });
    env
}

/// A value printed in Typst markup: `#"text";`.
fn typst_markup(value: &Value) -> Result<String, minijinja::Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(String::new());
    }
    if let Some(text) = value.as_str() {
        return Ok(literal_markup(text));
    }
    if matches!(
        value.kind(),
        minijinja::value::ValueKind::Number | minijinja::value::ValueKind::Bool
    ) {
        return Ok(literal_markup(&value.to_string()));
    }
    Err(minijinja::Error::new(
        ErrorKind::InvalidOperation,
        format!("cannot print a {} as text; loop over it or use a filter", value.kind()),
    ))
}

/// A value as a Typst code literal: string, number, bool, none, array, dict.
fn typst_code(value: &Value) -> Result<String, minijinja::Error> {
    use minijinja::value::ValueKind;
    Ok(match value.kind() {
        ValueKind::Undefined | ValueKind::None => "none".into(),
        ValueKind::Bool => value.is_true().to_string(),
        ValueKind::Number => {
            let text = value.to_string();
            if text.parse::<f64>().is_ok_and(f64::is_finite) { text } else { "none".into() }
        }
        ValueKind::String => string_literal(value.as_str().unwrap_or_default()),
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
                    string_literal(&key.to_string()),
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

/// Renders the named template with the context.
pub fn render(
    env: &Environment<'static>,
    templates: &Templates,
    name: &str,
    context: &Value,
) -> Result<String, Diagnostic> {
    let template = env.get_template(name).map_err(|e| template_error(&e, templates))?;
    template.render(context).map_err(|e| template_error(&e, templates))
}

/// A template error, pointing at the template file and line.
fn template_error(error: &minijinja::Error, templates: &Templates) -> Diagnostic {
    let detail = error.detail().map(|d| format!(": {d}")).unwrap_or_default();
    let mut diagnostic = Diagnostic::error(format!("template error: {}{detail}", error.kind()));
    if let Some(file) = error.name().and_then(|name| templates.source(name)) {
        let range = error.range().or_else(|| {
            let line = error.line()?;
            let start = line_start(&file.text, line);
            let end = file.text[start..].find('\n').map_or(file.text.len(), |i| start + i);
            Some(start..end)
        });
        diagnostic = diagnostic.at(file, range);
    } else if let Some(name) = error.name() {
        diagnostic = diagnostic.hint(format!("in template {name}"));
    }
    if error.kind() == ErrorKind::TemplateNotFound {
        diagnostic = diagnostic.hint("templates are looked for in --templates DIR, then built in");
    }
    diagnostic
}

fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    fn env_with(name: &str, source: &str) -> (Environment<'static>, Arc<Templates>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), source).unwrap();
        let templates = Arc::new(Templates::with_overrides(dir.path()).unwrap());
        (environment(templates.clone()), templates)
    }

    #[test]
    fn values_become_string_literals() {
        let (env, templates) = env_with("t.typ.j2", "a {{ x }} b {{ n }}");
        let out = render(&env, &templates, "t.typ.j2", &context! { x => "#set \"q\" \\", n => 3 })
            .unwrap();
        assert_eq!(out, "a #\"#set \\\"q\\\" \\\\\"; b #\"3\";");
    }

    #[test]
    fn template_syntax_in_values_is_not_run() {
        let (env, templates) = env_with("t.typ.j2", "{{ x }}");
        let out = render(&env, &templates, "t.typ.j2", &context! { x => "{{ 7 * 7 }}" }).unwrap();
        assert_eq!(out, "#\"{{ 7 * 7 }}\";");
    }

    #[test]
    fn safe_values_pass_and_filters_write_code() {
        let (env, templates) =
            env_with("t.typ.j2", "{{ s }}|{{ v|typst }}|{{ u|link }}|{{ e|mailto }}");
        let ctx = context! {
            s => Value::from_safe_string("#emph[x]".into()),
            v => vec![Value::from(1), Value::from("a"), Value::from(true)],
            u => "https://x.org/",
            e => "a@b.org",
        };
        let out = render(&env, &templates, "t.typ.j2", &ctx).unwrap();
        assert_eq!(
            out,
            "#emph[x]|(1, \"a\", true,)|#link(\"https://x.org/\")[#\"https://x.org/\";]|\
             #link(\"mailto:a@b.org\")[#\"a@b.org\";]"
        );
    }

    #[test]
    fn undefined_values_are_errors_that_point_at_the_template() {
        let (env, templates) = env_with("t.typ.j2", "line one\n{{ missing.key }}\n");
        let error = render(&env, &templates, "t.typ.j2", &context! {}).unwrap_err();
        assert!(error.message.contains("undefined"), "{}", error.message);
        assert_eq!(error.line_column().unwrap().0, 2);
        assert!(error.file.unwrap().name.ends_with("t.typ.j2"));
    }
}
