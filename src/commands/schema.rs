//! `hmip-letter schema`: the JSON Schema of the findings file, for editors.

use hmip_letter::output;

use super::Sink;

/// Prints the schema to standard output.
pub(crate) fn run(sink: &mut dyn Sink) -> bool {
    let written =
        hmip_letter::schema::text().and_then(|text| output::write_stdout(text.as_bytes()));
    super::report_result(written, sink)
}
