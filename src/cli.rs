//! The command line: subcommands, their arguments, and `--help` text.
//!
//! Doc comments here are the help text. `-` stands for standard input or
//! output and is parsed into [`Input`]/[`Output`] here, so nothing after
//! this module looks at raw argument strings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::load::Input;
use crate::output::Output;
use crate::report::DiagnosticFormat;

/// Turn an inspector's findings file into the published HM Inspectorate of
/// Probation letter (PDF).
#[derive(Debug, Parser)]
#[command(name = "hmip-letter", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a findings file to a PDF letter.
    Render(RenderArgs),
    /// Check findings files for every problem, without writing anything.
    Check(CheckArgs),
    /// Print the JSON Schema of the findings file, for editors.
    Schema,
    /// Write a starter findings file to fill in.
    Init(InitArgs),
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The findings files (YAML); `-` reads standard input.
    #[arg(required = true, value_name = "FINDINGS", value_parser = parse_input)]
    pub inputs: Vec<Input>,

    #[command(flatten)]
    pub setup: SetupArgs,

    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub diagnostic_format: DiagnosticFormat,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The area inspected, e.g. "Barnet".
    pub area: Option<String>,

    /// The file to write. Default: the area's name in lowercase, or
    /// `findings.yaml`.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The findings file (YAML); `-` reads standard input.
    #[arg(required = true, value_name = "FINDINGS", value_parser = parse_input)]
    pub inputs: Vec<Input>,

    /// Where to write the letter; `-` writes to standard output.
    /// Default: beside the findings file, with the format's extension.
    #[arg(short, long, value_name = "OUT", value_parser = parse_output)]
    pub output: Option<Output>,

    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Pdf)]
    pub format: Format,

    #[command(flatten)]
    pub setup: SetupArgs,

    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub diagnostic_format: DiagnosticFormat,
}

/// Arguments every command that typesets shares.
#[derive(Debug, Clone, Args)]
pub struct SetupArgs {
    /// A folder of templates that override the built-in ones, file by file
    /// (`sqs.typ.j2`, `style.typ`, `organisation.yaml`, or new letters).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// A folder of extra fonts (.ttf, .otf) to use beside the built-in ones.
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,
}

impl SetupArgs {
    pub fn setup(&self) -> crate::Setup {
        crate::Setup { templates: self.templates.clone(), font_paths: self.font_paths.clone() }
    }
}

/// What `render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The letter as PDF.
    Pdf,
    /// The generated Typst source, to see what was typeset.
    Typ,
}

impl Format {
    /// The file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Typ => "typ",
        }
    }
}

fn parse_input(arg: &str) -> Result<Input, String> {
    match arg {
        "" => Err("the findings file name is empty".into()),
        "-" => Ok(Input::Stdin),
        path => Ok(Input::Path(path.into())),
    }
}

fn parse_output(arg: &str) -> Result<Output, String> {
    match arg {
        "" => Err("the output name is empty".into()),
        "-" => Ok(Output::Stdout),
        path => Ok(Output::Path(path.into())),
    }
}

/// A usage error found after parsing: clap prints it and exits with 2.
pub fn usage_error(message: impl std::fmt::Display) -> clap::Error {
    use clap::CommandFactory;
    Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message)
}
