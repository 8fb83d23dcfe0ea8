//! `hmip-letter check`: every problem of each findings file, nothing written.

use hmip_letter::report::DiagnosticFormat;
use hmip_letter::{Diagnostic, Format, Pipeline};

use super::Sink;
use crate::cli::CheckArgs;

/// Checks each file, typesetting it in memory too, so a file that passes
/// `check` renders. `Ok(false)` if any has an error.
pub(crate) fn run(args: CheckArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let options = args
        .common
        .publishing
        .options(hmip_letter::Options { format: Format::Pdf, ..hmip_letter::Options::default() })?;
    let format = args.common.reading.diagnostics();
    let Some(pipeline) = super::reported(Pipeline::new(&args.common.reading.setup()), format, sink)
    else {
        return Ok(false);
    };
    let mut all_ok = true;
    for input in &args.inputs {
        let diagnostics = match pipeline.export_input(input, &options) {
            Ok(exported) => exported.warnings,
            Err(error) => error.diagnostics(),
        };
        sink.diagnostics(&diagnostics, format);
        if format == DiagnosticFormat::Human {
            sink.status(&format!("{}: {}", input.name(), super::tally(&diagnostics)));
        }
        all_ok &= !diagnostics.iter().any(Diagnostic::is_error);
    }
    Ok(all_ok)
}
