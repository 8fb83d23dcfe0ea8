//! `hmip-letter pair`: an English and a Welsh findings file carry the same
//! facts.

use hmip_letter::load::Input;
use hmip_letter::report::DiagnosticFormat;
use hmip_letter::{Pipeline, pair};

use super::Sink;
use crate::cli::{PairArgs, usage_error};

/// Compares the two files; each difference is an error (exit 1).
pub(crate) fn run(args: PairArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    if args.first == Input::Stdin && args.second == Input::Stdin {
        return Err(usage_error("only one of the two findings files can be standard input (`-`)"));
    }
    let format = args.reading.diagnostics();
    let result = Pipeline::new(&args.reading.setup())
        .and_then(|pipeline| pair::files(&pipeline, &args.first, &args.second));
    let Some(report) = super::reported(result, format, sink) else {
        return Ok(false);
    };
    sink.diagnostics(&report.differences, format);
    if report.matches() || format == DiagnosticFormat::Human {
        sink.status(&report.summary());
    }
    Ok(report.matches())
}
