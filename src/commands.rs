//! What each subcommand does, in terms of the [`Pipeline`].
//!
//! Commands never print: they hand diagnostics to a [`Sink`] (which
//! `main.rs` implements) and say whether the run succeeded. A usage error
//! (bad combination of arguments) comes back as a `clap::Error`, which main
//! prints and exits with 2.

use crate::cli::{Command, Format, RenderArgs, usage_error};
use crate::error::{Diagnostic, Error};
use crate::load::{self, Input};
use crate::output::{self, Output};
use crate::report::DiagnosticFormat;
use crate::{Letter, Pipeline};

/// Where commands send what the user should see.
pub trait Sink {
    /// Errors and warnings, printed in `format`.
    fn diagnostics(&mut self, diagnostics: &[Diagnostic], format: DiagnosticFormat);
}

/// Runs a command. `Ok(true)`: success; `Ok(false)`: errors were reported.
pub fn run(command: Command, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    match command {
        Command::Render(args) => render(args, sink),
    }
}

/// A letter's output bytes and the warnings met making them.
pub struct Produced {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Diagnostic>,
}

/// Reads, checks and renders one findings file in the given format.
pub fn produce(pipeline: &Pipeline, input: &Input, format: Format) -> Result<Produced, Error> {
    let file = load::read(input)?;
    let letter = pipeline.load(file, input.dir())?;
    produce_letter(pipeline, &letter, format)
}

/// Renders a checked letter in the given format.
pub fn produce_letter(
    pipeline: &Pipeline,
    letter: &Letter,
    format: Format,
) -> Result<Produced, Error> {
    let source = pipeline.typst_source(letter, false)?;
    match format {
        Format::Typ => Ok(Produced {
            bytes: source.text.clone().into_bytes(),
            warnings: Vec::new(),
        }),
        Format::Pdf => {
            let world = pipeline.world(letter, source);
            let typeset = pipeline.typeset(&world)?;
            let bytes = pipeline.pdf(&world, letter, &typeset.document, &[])?;
            Ok(Produced {
                bytes,
                warnings: typeset.warnings,
            })
        }
    }
}

fn render(args: RenderArgs, sink: &mut dyn Sink) -> Result<bool, clap::Error> {
    let [input] = args.inputs.as_slice() else {
        return Err(usage_error("give one findings file to render"));
    };
    let output = match (&args.output, input) {
        (Some(output), _) => output.clone(),
        (None, Input::Path(path)) => Output::Path(path.with_extension(args.format.extension())),
        (None, Input::Stdin) => {
            return Err(usage_error(
                "reading standard input (`-`) needs `-o OUT` (or `-o -`)",
            ));
        }
    };
    if let (Input::Path(input), Output::Path(output)) = (input, &output)
        && same_file(input, output)
    {
        return Err(usage_error(format!(
            "the output {} would overwrite the findings file",
            output.display()
        )));
    }
    let result = Pipeline::new(&args.setup.setup())
        .and_then(|pipeline| produce(&pipeline, input, args.format))
        .and_then(|produced| {
            match &output {
                Output::Path(path) => output::write_atomic(path, &produced.bytes)?,
                Output::Stdout => output::write_stdout(&produced.bytes)?,
            }
            Ok(produced.warnings)
        });
    match result {
        Ok(warnings) => {
            sink.diagnostics(&warnings, args.diagnostic_format);
            Ok(true)
        }
        Err(error) => {
            sink.diagnostics(&error.diagnostics(), args.diagnostic_format);
            Ok(false)
        }
    }
}

/// Whether two paths name the same file (or would, once written).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
