//! The command line: subcommands, their arguments, and `--help` text.
//!
//! Doc comments here are the help text. `-` stands for standard input or
//! output and is parsed into [`Input`]/[`Output`] here, so nothing after
//! this module looks at raw argument strings. This module and `main.rs`
//! are the only ones that know clap: the library takes its own types
//! ([`Options`], [`Setup`], [`DiagnosticFormat`]), made here.

use std::ffi::OsString;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use hmip_letter::format::FORMATS;
use hmip_letter::load::Input;
use hmip_letter::output::Output;
use hmip_letter::report::DiagnosticFormat;
use hmip_letter::{DEFAULT_PPI, Format, Options, Setup};

/// Turn an inspector's findings file into the published HM Inspectorate of
/// Probation letter (PDF, or an accessible web page).
#[derive(Debug, Parser)]
#[command(name = "hmip-letter", version, max_term_width = 100)]
pub(crate) struct Cli {
    /// Print errors only: no status lines, no progress bar, no warnings.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Render a findings file to a PDF letter or an accessible web page.
    Render(RenderArgs),
    /// Check findings files for every problem, without writing anything.
    Check(CheckArgs),
    /// Print the JSON Schema of the findings file, for editors.
    Schema,
    /// Write a starter findings file to fill in.
    Init(InitArgs),
    /// Render a findings file, then again on every save, until Ctrl-C.
    Watch(WatchArgs),
    /// Show what a reader would see change between two versions of a letter.
    ///
    /// Exits 0 when the letters read the same, 1 when they differ, and 2 when
    /// they cannot be compared (a usage error, or an error in either file).
    Diff(DiffArgs),
    /// Look for personal data and slips of house style before publishing.
    ///
    /// Personal data are errors (exit 1); house style, warnings. Renders
    /// nothing.
    Preflight(PreflightArgs),
    /// Check that two findings files are the same letter in two languages
    /// (English and Welsh): the same dates, counts, figures, addresses,
    /// footnotes and names.
    Pair(PairArgs),
    /// List the comments and tracked changes of a draft returned in Word,
    /// each at its place in the letter.
    ///
    /// With --findings, each is also put at its line in the findings file.
    /// Exits 0 when there is nothing to answer, 1 when there are comments or
    /// changes, and 2 when the document cannot be read.
    Comments(CommentsArgs),
    /// Read a published letter (its PDF, its Word document, or its text as
    /// pdftotext gives it) back into a findings file whose render is the
    /// same letter.
    ///
    /// Values the import was not sure of get an `# import:` comment with the
    /// page and line they came from; what the letter lacks is an error and
    /// a TODO in the file (exit 1). `--check` writes nothing: it imports,
    /// renders in memory and compares the two letters' words.
    Import(ImportArgs),
    /// Write the letter in a browser: a local page with the letter's parts
    /// as plain fields and the letter beside them, until Ctrl-C.
    Edit(EditArgs),
    /// Print a completion script for a shell, to install beside your
    /// shell's other completions (see the README).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), for `man`.
    Man,
    /// Render the letters a batch sends on standard input (used by
    /// `render`; not for people).
    #[command(hide = true)]
    Worker(WorkerArgs),
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The earlier version of the findings file; `-` reads standard input.
    #[arg(value_name = "OLD", value_parser = parse_input)]
    pub(crate) old: Input,

    /// The later version.
    #[arg(value_name = "NEW", value_parser = parse_input)]
    pub(crate) new: Input,

    /// How to write the changes.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub(crate) format: DiffFormat,

    /// Where to write them; `-` (the default) writes to standard output.
    #[arg(short, long, value_name = "OUT", value_parser = parse_output)]
    pub(crate) output: Option<Output>,

    /// When to colour the text: auto (on a terminal, unless NO_COLOR is set),
    /// always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,

    /// Templates for OLD only, to see what a change of templates, words or
    /// organisation does to a letter. Default: those of --templates.
    #[arg(long, value_name = "DIR")]
    pub(crate) old_templates: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) reading: ReadingArgs,
}

/// How `diff` writes the changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// Text: in colour on a terminal, with [-deleted-] and {+inserted+} marks otherwise.
    Text,
    /// One self-contained, accessible web page, with <del> and <ins>.
    Html,
    /// JSON, for scripts.
    Json,
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Arguments of `comments`.
#[derive(Debug, Args)]
pub(crate) struct CommentsArgs {
    /// The draft as it came back (.docx), with comments and tracked changes.
    #[arg(value_name = "RETURNED")]
    pub(crate) document: PathBuf,

    /// The findings file the draft was rendered from: each comment and
    /// change is put at the line of its paragraph there.
    #[arg(long, value_name = "FILE", value_parser = parse_input)]
    pub(crate) findings: Option<Input>,

    /// How to write them.
    #[arg(long, value_enum, default_value_t = CommentsFormat::Text)]
    pub(crate) format: CommentsFormat,

    /// Where to write them; `-` (the default) writes to standard output.
    #[arg(short, long, value_name = "OUT", value_parser = parse_output)]
    pub(crate) output: Option<Output>,

    #[command(flatten)]
    pub(crate) reading: ReadingArgs,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The letters: PDFs, Word documents (.docx), text files (.txt), or
    /// folders of them.
    #[arg(required = true, value_name = "LETTER")]
    pub(crate) inputs: Vec<PathBuf>,

    /// Where to write the findings file; `-` writes to standard output.
    /// With several letters, a folder (created if missing). Default:
    /// beside each letter, with `.yaml`.
    #[arg(short, long, value_name = "FINDINGS", value_parser = parse_output)]
    pub(crate) output: Option<Output>,

    /// Overwrite a findings file that exists.
    #[arg(long)]
    pub(crate) force: bool,

    /// Write nothing: import, render the findings in memory and print every
    /// difference between its words and the letter's (exit 1 if any).
    #[arg(long)]
    pub(crate) check: bool,

    #[command(flatten)]
    pub(crate) reading: ReadingArgs,
}

/// How `comments` writes what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CommentsFormat {
    /// One diagnostic each, in the --diagnostic-format
    /// (short: FILE:LINE:COL: PLACE: WHO: TEXT).
    Text,
    /// The factual accuracy response table as an accessible web page.
    Html,
    /// The response table as CSV, for a spreadsheet.
    Csv,
    /// The points as JSON, for scripts.
    Json,
    /// The response table as a Word document (needs -o).
    Docx,
}

/// Arguments of `preflight`.
#[derive(Debug, Args)]
pub(crate) struct PreflightArgs {
    /// The findings files (YAML); `-` reads standard input.
    #[arg(required = true, value_name = "FINDINGS", value_parser = parse_input)]
    pub(crate) inputs: Vec<Input>,

    #[command(flatten)]
    pub(crate) reading: ReadingArgs,
}

/// Arguments of `edit`.
#[derive(Debug, Args)]
pub(crate) struct EditArgs {
    /// The findings file to edit, in place (only the values you change are
    /// rewritten; comments and layout stay). A file that is not there yet
    /// starts from the starter letter of `init`.
    #[arg(value_name = "FINDINGS")]
    pub(crate) file: std::path::PathBuf,

    /// The port on 127.0.0.1 to listen on; by default one that is free.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub(crate) port: u16,

    /// Print the address but do not open the browser.
    #[arg(long)]
    pub(crate) no_open: bool,

    #[command(flatten)]
    pub(crate) reading: ReadingArgs,
}

/// Arguments of `pair`.
#[derive(Debug, Args)]
pub(crate) struct PairArgs {
    /// The letter in one language, usually English; `-` reads standard input.
    #[arg(value_name = "ENGLISH", value_parser = parse_input)]
    pub(crate) first: Input,

    /// The same letter in the other language, usually Welsh. Differences
    /// are reported in this file.
    #[arg(value_name = "WELSH", value_parser = parse_input)]
    pub(crate) second: Input,

    #[command(flatten)]
    pub(crate) reading: ReadingArgs,
}

/// Arguments of `watch`.
#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// The findings file (YAML).
    #[arg(value_name = "FINDINGS")]
    pub(crate) input: PathBuf,

    /// Where to write the letter. Default: beside the findings file, with
    /// the format's extension.
    #[arg(short, long, value_name = "OUT")]
    pub(crate) output: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) formatting: FormatArgs,

    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The findings files (YAML); `-` reads standard input.
    #[arg(required = true, value_name = "FINDINGS", value_parser = parse_input)]
    pub(crate) inputs: Vec<Input>,

    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The area inspected, e.g. "Barnet".
    pub(crate) area: Option<String>,

    /// The file to write. Default: the area's name in lowercase, or
    /// `findings.yaml`.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Overwrite the file if it exists.
    #[arg(long)]
    pub(crate) force: bool,
}

/// Arguments of `render`.
#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    /// The findings files (YAML), or folders of them; `-` reads standard
    /// input. Several are rendered in parallel.
    #[arg(required = true, value_name = "FINDINGS", value_parser = parse_input)]
    pub(crate) inputs: Vec<Input>,

    /// Where to write the letter; `-` writes to standard output. With
    /// several findings files, a folder (created if missing).
    /// Default: beside each findings file, with the format's extension.
    #[arg(short, long, value_name = "OUT", value_parser = parse_output)]
    pub(crate) output: Option<Output>,

    #[command(flatten)]
    pub(crate) formatting: FormatArgs,

    /// How many letters of a batch to render at once. Default: the number
    /// of cores this process may use.
    #[arg(short, long, value_name = "N")]
    pub(crate) jobs: Option<NonZeroUsize>,

    /// How many of those letters one worker process renders at once
    /// (default: chosen from --jobs); for measuring.
    #[arg(long, value_name = "N", hide = true)]
    pub(crate) threads_per_worker: Option<NonZeroUsize>,

    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

impl RenderArgs {
    /// The arguments of `hmip-letter worker` that render each letter exactly
    /// as these would. Every field is named, so a new option does not
    /// compile until it is passed on (or said not to matter to a worker).
    pub(crate) fn worker_args(&self) -> Vec<OsString> {
        let RenderArgs { inputs: _, output: _, formatting, jobs: _, threads_per_worker: _, common } =
            self;
        let FormatArgs { format, ppi } = formatting;
        let CommonArgs { reading, publishing } = common;
        let ReadingArgs { setup, diagnostic_format: _ } = reading;
        let SetupArgs { templates, font_paths } = setup;
        let PublishingArgs { pdf_standard, draft, creation_timestamp } = publishing;
        let mut args: Vec<OsString> = vec!["--format".into(), format.extension().into()];
        args.extend(["--ppi".into(), ppi.to_string().into()]);
        if let Some(dir) = templates {
            args.extend(["--templates".into(), dir.into()]);
        }
        for dir in font_paths {
            args.extend(["--font-path".into(), dir.into()]);
        }
        let standards: Vec<String> = pdf_standard.iter().map(|s| value_name(*s)).collect();
        args.extend(["--pdf-standard".into(), standards.join(",").into()]);
        if *draft {
            args.push("--draft".into());
        }
        if let Some(seconds) = creation_timestamp {
            args.extend(["--creation-timestamp".into(), seconds.to_string().into()]);
        }
        args
    }
}

/// Arguments of the hidden `worker` command: how to render, as `render`
/// takes it; the letters themselves come on standard input.
#[derive(Debug, Args)]
pub(crate) struct WorkerArgs {
    /// How many letters to render at once.
    #[arg(long, default_value = "1")]
    pub(crate) threads: NonZeroUsize,

    #[command(flatten)]
    pub(crate) formatting: FormatArgs,

    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

/// What to write, and at what resolution.
#[derive(Debug, Clone, Args)]
pub(crate) struct FormatArgs {
    /// What to write.
    #[arg(long, default_value = "pdf", value_parser = format_parser())]
    pub(crate) format: Format,

    /// Pixels per inch of the pages written by `--format png`.
    #[arg(long, default_value_t = DEFAULT_PPI, value_parser = parse_ppi)]
    pub(crate) ppi: f32,
}

impl FormatArgs {
    /// The options every letter of the run is rendered with.
    pub(crate) fn options(&self, publishing: &PublishingArgs) -> Result<Options, clap::Error> {
        publishing.options(Options { format: self.format, ppi: self.ppi, ..Options::default() })
    }
}

/// `--format`: the names and help of the rows of the format table.
fn format_parser() -> impl TypedValueParser<Value = Format> {
    let values = FORMATS.iter().map(|row| PossibleValue::new(row.name).help(row.help));
    PossibleValuesParser::new(values)
        .map(|name| Format::from_name(&name).expect("clap accepts only the table's names"))
}

/// The name a value is given by on the command line.
fn value_name(value: impl ValueEnum) -> String {
    value.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
}

/// How a letter is published.
#[derive(Debug, Clone, Args)]
pub(crate) struct PublishingArgs {
    /// The PDF standards the letter must meet, comma-separated: a-2b
    /// (archival), a-3b (archival, with the findings file attached), ua-1
    /// (accessible), or none for a plain PDF.
    #[arg(long, value_enum, value_delimiter = ',', default_values = ["a-2b", "ua-1"])]
    pub(crate) pdf_standard: Vec<Standard>,

    /// Mark the letter as a draft: DRAFT across every page and in the title.
    #[arg(long)]
    pub(crate) draft: bool,

    /// The creation date written into the PDF, as seconds since 1970.
    /// Default: the publication date.
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "UNIX_TIME")]
    pub(crate) creation_timestamp: Option<i64>,
}

impl PublishingArgs {
    /// `options` with these choices of standards, draft and date.
    pub(crate) fn options(&self, options: Options) -> Result<Options, clap::Error> {
        let standards = if self.pdf_standard.contains(&Standard::None) {
            if self.pdf_standard.len() > 1 {
                return Err(usage_error("--pdf-standard none cannot be combined with a standard"));
            }
            Vec::new()
        } else {
            self.pdf_standard.iter().filter_map(|s| s.to_typst()).collect()
        };
        let timestamp = match self.creation_timestamp {
            None => None,
            Some(seconds) => Some(hmip_letter::datetime_from_unix(seconds).ok_or_else(|| {
                usage_error(format!(
                    "the creation timestamp {seconds} is not a date Typst can write"
                ))
            })?),
        };
        Ok(Options { standards, draft: self.draft, timestamp, ..options })
    }
}

/// A PDF standard a letter can meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Standard {
    /// PDF/A-2b: for archiving.
    #[value(name = "a-2b")]
    A2b,
    /// PDF/A-3b: for archiving, with the findings file attached.
    #[value(name = "a-3b")]
    A3b,
    /// PDF/UA-1: accessible to screen readers.
    #[value(name = "ua-1")]
    Ua1,
    /// No standard: a plain PDF.
    None,
}

impl Standard {
    fn to_typst(self) -> Option<typst_pdf::PdfStandard> {
        match self {
            Standard::A2b => Some(typst_pdf::PdfStandard::A_2b),
            Standard::A3b => Some(typst_pdf::PdfStandard::A_3b),
            Standard::Ua1 => Some(typst_pdf::PdfStandard::Ua_1),
            Standard::None => None,
        }
    }
}

fn parse_ppi(arg: &str) -> Result<f32, String> {
    match arg.parse::<f32>() {
        Ok(ppi) if (10.0..=1200.0).contains(&ppi) => Ok(ppi),
        _ => Err("expected a number of pixels per inch from 10 to 1200".into()),
    }
}

/// Arguments every command that typesets shares.
#[derive(Debug, Clone, Args)]
pub(crate) struct CommonArgs {
    #[command(flatten)]
    pub(crate) reading: ReadingArgs,

    #[command(flatten)]
    pub(crate) publishing: PublishingArgs,
}

/// Arguments every command that reads findings files shares: where
/// templates and fonts come from, and how problems are printed.
#[derive(Debug, Clone, Args)]
pub(crate) struct ReadingArgs {
    #[command(flatten)]
    pub(crate) setup: SetupArgs,

    /// How to print errors and warnings.
    #[arg(long, value_enum, default_value_t = Diagnostics::Human)]
    pub(crate) diagnostic_format: Diagnostics,
}

impl ReadingArgs {
    /// Where the library finds templates and fonts.
    pub(crate) fn setup(&self) -> Setup {
        self.setup.setup()
    }

    /// How diagnostics are printed.
    pub(crate) fn diagnostics(&self) -> DiagnosticFormat {
        self.diagnostic_format.into()
    }
}

/// Where templates and fonts come from.
#[derive(Debug, Clone, Args)]
pub(crate) struct SetupArgs {
    /// A folder of templates that override the built-in ones, file by file
    /// (`sqs.typ.j2`, `sqs.html.j2`, `style.typ`, `organisation.yaml`,
    /// `preflight.yaml`, `words/LANG.yaml`, or new letters and languages).
    #[arg(long, value_name = "DIR")]
    pub(crate) templates: Option<PathBuf>,

    /// A folder of extra fonts (.ttf, .otf) to use beside the built-in ones.
    #[arg(long = "font-path", value_name = "DIR")]
    pub(crate) font_paths: Vec<PathBuf>,
}

impl SetupArgs {
    /// Where the library finds templates and fonts.
    pub(crate) fn setup(&self) -> Setup {
        Setup { templates: self.templates.clone(), font_paths: self.font_paths.clone() }
    }
}

/// How to print errors and warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Diagnostics {
    /// The message with the source line shown and the spot marked.
    Human,
    /// One `file:line:col: severity: message` line each.
    Short,
    /// GitHub Actions annotations: `::error file=…,line=…,col=…::message`.
    Github,
}

impl From<Diagnostics> for DiagnosticFormat {
    fn from(format: Diagnostics) -> DiagnosticFormat {
        match format {
            Diagnostics::Human => DiagnosticFormat::Human,
            Diagnostics::Short => DiagnosticFormat::Short,
            Diagnostics::Github => DiagnosticFormat::Github,
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
pub(crate) fn usage_error(message: impl std::fmt::Display) -> clap::Error {
    use clap::CommandFactory;
    Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Command {
        Cli::try_parse_from(std::iter::once("hmip-letter").chain(args.iter().copied()))
            .unwrap()
            .command
    }

    #[test]
    fn a_worker_renders_as_the_batch_was_asked_to() {
        let Command::Render(render) = parse(&[
            "render",
            "in",
            "-o",
            "out",
            "--jobs",
            "3",
            "--format",
            "png",
            "--ppi",
            "72.5",
            "--templates",
            "t",
            "--font-path",
            "f1",
            "--font-path",
            "f2",
            "--pdf-standard",
            "a-3b,ua-1",
            "--draft",
            "--creation-timestamp",
            "86400",
        ]) else {
            panic!("not render")
        };
        let mut args = vec!["worker".into()];
        args.extend(render.worker_args());
        let args: Vec<String> = args.into_iter().map(|a| a.into_string().unwrap()).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let Command::Worker(worker) = parse(&args) else { panic!("not worker") };
        assert_eq!(worker.formatting.format, render.formatting.format);
        assert_eq!(worker.formatting.ppi, render.formatting.ppi);
        let (w, r) = (&worker.common.reading.setup, &render.common.reading.setup);
        assert_eq!(format!("{w:?}"), format!("{r:?}"));
        let (w, r) = (&worker.common.publishing, &render.common.publishing);
        assert_eq!(format!("{w:?}"), format!("{r:?}"));

        let Command::Render(plain) = parse(&["render", "in", "--pdf-standard", "none"]) else {
            panic!("not render")
        };
        let args = plain.worker_args();
        assert!(args.windows(2).any(|w| w[0] == "--pdf-standard" && w[1] == "none"), "{args:?}");
    }
}
