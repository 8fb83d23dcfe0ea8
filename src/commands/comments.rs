//! `hmip-letter comments`: the comments and tracked changes of a returned
//! draft, each at its place in the letter (and with `--findings`, its line
//! in the findings file), as diagnostics or as the response table.

use hmip_letter::docx::response;
use hmip_letter::output::{self, Output};
use hmip_letter::report::{self, DiagnosticFormat};
use hmip_letter::{Pipeline, Setup};

use super::{Outcome, Sink};
use crate::cli::{CommentsArgs, CommentsFormat, usage_error};

/// Reads the document: success when there is nothing to answer, failure
/// when there are points, trouble when it cannot be read.
pub(crate) fn run(args: CommentsArgs, sink: &mut dyn Sink) -> Result<Outcome, clap::Error> {
    let setup = args.reading.setup();
    if args.format == CommentsFormat::Docx && args.output.is_none() {
        return Err(usage_error(
            "--format docx writes a Word document: give -o FILE.docx (or -o -)",
        ));
    }
    if let Some(Output::Path(path)) = &args.output {
        let mut read = setup.files();
        read.push(args.document.clone());
        read.extend(args.findings.iter().filter_map(|f| match f {
            hmip_letter::load::Input::Path(p) => Some(p.clone()),
            hmip_letter::load::Input::Stdin => None,
        }));
        output::refuse_inputs(std::slice::from_ref(path), &read)
            .map_err(|d| usage_error(d.message))?;
    }
    let format = args.reading.diagnostics();
    let result = Pipeline::new(&Setup { ..setup }).and_then(|pipeline| {
        let returned = pipeline.comments(&args.document, args.findings.as_ref())?;
        let bytes = match args.format {
            CommentsFormat::Text => match format {
                DiagnosticFormat::Short => returned.short(),
                other => report::to_string(&returned.diagnostics(), other),
            }
            .into_bytes(),
            CommentsFormat::Csv => response::csv(&returned.points).into_bytes(),
            CommentsFormat::Json => response::json(&returned.points).into_bytes(),
            CommentsFormat::Html => {
                response::html(&returned.points, &returned.title()).into_bytes()
            }
            CommentsFormat::Docx => pipeline.response_docx(&returned)?,
        };
        Ok((returned.points.len(), bytes))
    });
    let Some((points, bytes)) = super::reported(result, format, sink) else {
        return Ok(Outcome::Trouble);
    };
    let written = match &args.output {
        Some(Output::Path(path)) => output::write_atomic(path, &bytes),
        _ => output::write_stdout(&bytes),
    };
    if !super::report_result(written, sink) {
        return Ok(Outcome::Trouble);
    }
    if format == DiagnosticFormat::Human && args.format == CommentsFormat::Text {
        sink.status(&match points {
            0 => "no comments or changes to answer".to_string(),
            1 => "1 comment or change to answer".to_string(),
            n => format!("{n} comments and changes to answer"),
        });
    }
    Ok(Outcome::from(points == 0))
}
