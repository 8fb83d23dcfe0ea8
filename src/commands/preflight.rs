//! `hmip-letter preflight`: personal data and slips of house style, before
//! a letter goes out.

use hmip_letter::report::DiagnosticFormat;
use hmip_letter::{Diagnostic, Pipeline};

use super::Sink;
use crate::cli::PreflightArgs;

/// Looks at each file as a reader would read it. `Ok(false)` if any holds
/// personal data (an error); house style is only warned of.
pub(crate) fn run(args: PreflightArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let format = args.reading.diagnostics();
    let prepared = Pipeline::new(&args.reading.setup())
        .and_then(|pipeline| pipeline.preflight_rules().map(|rules| (pipeline, rules)));
    let Some((pipeline, rules)) = super::reported(prepared, format, sink) else {
        return Ok(false);
    };
    let mut all_ok = true;
    for input in &args.inputs {
        let found =
            pipeline.load_input(input).and_then(|loaded| pipeline.preflight(&loaded, &rules));
        let (diagnostics, off) = match found {
            Ok(found) => (found.diagnostics, found.off),
            Err(error) => (error.diagnostics(), Vec::new()),
        };
        sink.diagnostics(&diagnostics, format);
        if format == DiagnosticFormat::Human {
            let off = if off.is_empty() {
                String::new()
            } else {
                format!("; switched off: {}", off.join(", "))
            };
            sink.status(&format!("{}: {}{off}", input.name(), super::tally(&diagnostics)));
        }
        all_ok &= !diagnostics.iter().any(Diagnostic::is_error);
    }
    Ok(all_ok)
}
