//! `hmip-letter diff`: what a reader would see change between two versions.

use std::io::IsTerminal;

use hmip_letter::error::Error;
use hmip_letter::load::Input;
use hmip_letter::output::{self, Output};
use hmip_letter::{Diagnostic, Pipeline, Setup, diff};

use super::{Outcome, Sink};
use crate::cli::{ColorChoice, DiffArgs, DiffFormat, usage_error};

/// Compares two versions of a letter and writes the changes: success when
/// they read the same, failure when they differ, trouble when they cannot
/// be compared.
pub(crate) fn run(args: DiffArgs, sink: &mut dyn Sink) -> Result<Outcome, clap::Error> {
    if args.old == Input::Stdin && args.new == Input::Stdin {
        return Err(usage_error("only one of OLD and NEW can be standard input (`-`)"));
    }
    let setup = args.reading.setup();
    if let Some(Output::Path(path)) = &args.output {
        let mut read = setup.files();
        read.extend(Setup { templates: args.old_templates.clone(), ..Setup::default() }.files());
        for input in [&args.old, &args.new] {
            if let Input::Path(path) = input {
                read.push(path.clone());
            }
        }
        output::refuse_inputs(std::slice::from_ref(path), &read)
            .map_err(|d| usage_error(d.message))?;
    }
    let old_setup = Setup { templates: args.old_templates.clone(), ..setup.clone() };
    let pipelines = Pipeline::new(&setup).and_then(|new| {
        let old = args.old_templates.is_some().then(|| Pipeline::new(&old_setup)).transpose()?;
        Ok((old, new))
    });
    let letters = match &pipelines {
        Ok((old, new)) => {
            diff::read_both((old.as_ref().unwrap_or(new), &args.old), (new, &args.new))
        }
        Err(error) => Err(error.diagnostics()),
    };
    let (old, new) = match letters {
        Ok(letters) => letters,
        Err(diagnostics) => {
            sink.diagnostics(&diagnostics, args.reading.diagnostics());
            return Ok(Outcome::Trouble);
        }
    };
    if old.meta.lang != new.meta.lang {
        let name = |lang: &str| match &pipelines {
            Ok((_, pipeline)) => pipeline.language_name(lang).unwrap_or(lang).to_string(),
            Err(_) => lang.to_string(),
        };
        let d = Diagnostic::warning(format!(
            "{} is in {} and {} in {}: every standard sentence reads differently",
            args.old.name(),
            name(&old.meta.lang),
            args.new.name(),
            name(&new.meta.lang)
        ))
        .hint(format!(
            "to check that a translation carries the same facts, use: hmip-letter pair {} {}",
            args.old.name(),
            args.new.name()
        ));
        sink.diagnostics(&[d], args.reading.diagnostics());
    }
    let comparison = diff::compare(&old, &new, (&args.old.name(), &args.new.name()));
    let to_stdout = matches!(args.output, None | Some(Output::Stdout));
    let colour = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_stdout && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let text = match args.format {
        DiffFormat::Text => Ok(diff::text::write(&comparison, colour)),
        DiffFormat::Html => Ok(diff::html::write(&comparison)),
        DiffFormat::Json => {
            serde_json::to_string_pretty(&comparison).map(|json| format!("{json}\n")).map_err(|e| {
                Error::from(Diagnostic::error(format!(
                    "the changes could not be written as JSON: {e}"
                )))
            })
        }
    };
    let written = text.and_then(|text| match &args.output {
        Some(Output::Path(path)) => output::write_atomic(path, text.as_bytes()),
        _ => output::write_stdout(text.as_bytes()),
    });
    if !super::report_result(written, sink) {
        return Ok(Outcome::Trouble);
    }
    Ok(Outcome::from(comparison.is_same()))
}
