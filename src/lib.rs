//! hmip-letter turns an inspector's findings file (YAML) into the published
//! PDF letter of HM Inspectorate of Probation.
//!
//! Data flows one way, each stage knowing only the one before it:
//!
//! ```text
//! input → SourceFile → Findings → Typst source → LetterWorld → PagedDocument → PDF → file
//!         load.rs      yaml.rs,    compose.rs,    world.rs      typeset.rs          output.rs
//!                      check.rs    render.rs
//! ```
//!
//! [`Pipeline`] holds what a run shares between letters (templates, fonts,
//! the Typst library) and runs the stages; `commands.rs` drives it for each
//! subcommand. Nothing here prints: diagnostics go back to `main.rs`.

pub mod batch;
pub mod check;
pub mod cli;
pub mod commands;
pub mod compose;
pub mod dates;
pub mod error;
pub mod fonts;
pub mod load;
pub mod markup;
pub mod model;
pub mod output;
pub mod render;
pub mod report;
pub mod schema;
pub mod templates;
pub mod typeset;
pub mod watch;
pub mod world;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::{Bytes, Datetime};
use typst_layout::PagedDocument;
use typst_pdf::PdfStandard;

pub use crate::cli::Format;
pub use crate::error::{Diagnostic, Error, Severity, SourceFile};
use crate::model::{Findings, Organisation};
use crate::templates::{LETTER_SUFFIX, ORGANISATION, Templates};
use crate::typeset::PdfSettings;
use crate::world::{LetterWorld, Shared};
use crate::yaml::KeyIndex;

/// What a run needs to set up before its first letter.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// A folder whose files override the embedded templates.
    pub templates: Option<PathBuf>,
    /// Folders of extra fonts.
    pub font_paths: Vec<PathBuf>,
}

/// What a run shares between letters: templates, organisation, fonts,
/// the Typst library. Built once; `Sync`, so letters can share it.
pub struct Pipeline {
    templates: Arc<Templates>,
    env: minijinja::Environment<'static>,
    organisation: Organisation,
    shared: Shared,
}

/// A findings file that parsed and passed its checks.
pub struct Letter {
    pub file: Arc<SourceFile>,
    pub findings: Findings,
    pub index: KeyIndex,
    /// The folder the findings file is in, if it came from a file.
    pub dir: Option<PathBuf>,
    /// What is legal but probably a slip.
    pub warnings: Vec<Diagnostic>,
}

/// A letter laid out, with Typst's warnings.
pub struct Typeset {
    pub document: PagedDocument,
    pub warnings: Vec<Diagnostic>,
}

impl Pipeline {
    /// Reads the templates and fonts and prepares the Typst library.
    pub fn new(setup: &Setup) -> Result<Self, Error> {
        let templates = match &setup.templates {
            Some(dir) => Templates::with_overrides(dir)?,
            None => Templates::embedded(),
        };
        let templates = Arc::new(templates);
        let org_file = templates.source(ORGANISATION).ok_or_else(|| {
            Error::from(Diagnostic::error(format!("the template files have no {ORGANISATION}")))
        })?;
        let (organisation, _) =
            yaml::parse::<Organisation>(org_file).map_err(|failure| Error::from(failure.first))?;
        let fonts = fonts::Fonts::with_paths(&setup.font_paths)?;
        let shared = Shared::new(&templates, fonts);
        let env = render::environment(templates.clone());
        Ok(Self { templates, env, organisation, shared })
    }

    /// Parses and checks a findings file. `dir` is the folder it is in.
    pub fn load(&self, file: Arc<SourceFile>, dir: Option<PathBuf>) -> Result<Letter, Error> {
        let (findings, index) = load::parse(&file)?;
        let located = check::Located { file: &file, index: &index };
        let fonts = self.shared.fonts();
        let errors = check::errors(&findings, &located, &self.templates.letters(), fonts);
        let warnings = check::warnings(&findings, &located);
        if !errors.is_empty() {
            return Err(Error::Invalid(errors.into_iter().chain(warnings).collect()));
        }
        Ok(Letter { file, findings, index, dir, warnings })
    }

    /// The Typst source of a letter and the files it may read (its logo,
    /// and for PDF/A-3 the findings file itself, to attach).
    pub fn prepare(&self, letter: &Letter, publishing: &Publishing) -> Result<Prepared, Error> {
        let mut files = Vec::new();
        let logo = load::read_logo(letter)?.map(|(path, bytes)| {
            files.push((path.clone(), Bytes::new(bytes)));
            (path, letter.findings.logo.as_ref().map(|l| l.alt.clone()).unwrap_or_default())
        });
        let attachment = publishing.attaches_source().then(|| {
            let name = attachment_name(&letter.file.name);
            files.push((format!("/{name}"), Bytes::new(letter.file.text.as_bytes().to_vec())));
            name
        });
        let extras = compose::Extras { draft: publishing.draft, logo, attachment };
        let context = compose::compose(&letter.findings, &self.organisation, &extras);
        let name = format!("{}{LETTER_SUFFIX}", letter.findings.letter);
        let text = render::render(&self.env, &self.templates, &name, &context)?;
        let stem = letter.file.name.strip_suffix(".yaml").unwrap_or(&letter.file.name);
        let source = SourceFile::new(format!("{stem}.typ (generated)"), text);
        Ok(Prepared { source, files })
    }

    /// The World a letter is typeset in.
    pub fn world(&self, letter: &Letter, prepared: &Prepared) -> LetterWorld<'_> {
        let today = publication_date(&letter.findings);
        let mut world = LetterWorld::new(&self.shared, prepared.source.clone(), today);
        for (path, bytes) in &prepared.files {
            world.allow(path, bytes.clone());
        }
        world
    }

    /// Lays out a letter.
    pub fn typeset(&self, world: &LetterWorld) -> Result<Typeset, Error> {
        typeset::compile(world)
            .map(|(document, warnings)| Typeset { document, warnings })
            .map_err(Error::Invalid)
    }

    /// Writes a laid-out letter as a PDF.
    pub fn pdf(
        &self,
        world: &LetterWorld,
        letter: &Letter,
        document: &PagedDocument,
        publishing: &Publishing,
    ) -> Result<Vec<u8>, Error> {
        let f = &letter.findings;
        let settings = PdfSettings {
            standards: publishing.standards.clone(),
            timestamp: publishing.timestamp.unwrap_or_else(|| publication_date(f)),
            // One stable document ID per letter: the same letter keeps its ID
            // when it is regenerated, and no two letters share one.
            ident: format!("hmip-letter/{}/{}/{}", f.letter, f.area, f.published),
        };
        typeset::pdf(world, document, &settings).map_err(Error::Invalid)
    }

    /// Renders a checked letter in a format: the output files in order (one,
    /// or one per page for PNG), with every warning met on the way.
    pub fn render(
        &self,
        letter: &Letter,
        format: Format,
        ppi: f32,
        publishing: &Publishing,
    ) -> Result<Rendered, Error> {
        let prepared = self.prepare(letter, publishing)?;
        let mut warnings = letter.warnings.clone();
        if format == Format::Typ {
            let bytes = prepared.source.text.clone().into_bytes();
            return Ok(Rendered { outputs: vec![bytes], pages: 0, warnings });
        }
        let world = self.world(letter, &prepared);
        let typeset = self.typeset(&world)?;
        warnings.extend(typeset.warnings);
        let pages = typeset.document.pages().len();
        let outputs = match format {
            Format::Png => typeset::png(&typeset.document, ppi),
            _ => vec![self.pdf(&world, letter, &typeset.document, publishing)?],
        };
        Ok(Rendered { outputs, pages, warnings })
    }

    /// Reads, checks and renders one findings file.
    pub fn render_input(
        &self,
        input: &load::Input,
        format: Format,
        ppi: f32,
        publishing: &Publishing,
    ) -> Result<Rendered, Error> {
        let letter = self.load(load::read(input)?, input.dir())?;
        self.render(&letter, format, ppi, publishing)
    }

    /// Reads, checks and renders a findings file to a PDF with the default
    /// standards: every stage, one call.
    pub fn render_pdf(
        &self,
        file: Arc<SourceFile>,
        dir: Option<PathBuf>,
    ) -> Result<Rendered, Error> {
        let letter = self.load(file, dir)?;
        self.render(&letter, Format::Pdf, 144.0, &Publishing::default())
    }
}

/// A letter's Typst source and the extra files its World serves.
pub struct Prepared {
    pub source: Arc<SourceFile>,
    files: Vec<(String, Bytes)>,
}

/// A rendered letter: its output files, page count and warnings.
pub struct Rendered {
    pub outputs: Vec<Vec<u8>>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

impl Rendered {
    /// The PDF (or the only output).
    pub fn bytes(&self) -> &[u8] {
        self.outputs.first().map_or(&[], Vec::as_slice)
    }
}

/// How a letter is published: which PDF standards, draft or final, and the
/// creation date to write.
#[derive(Debug, Clone)]
pub struct Publishing {
    pub standards: Vec<PdfStandard>,
    pub draft: bool,
    /// The PDF's creation date; the publication date when none is given.
    pub timestamp: Option<Datetime>,
}

impl Default for Publishing {
    /// PDF/A-2b and PDF/UA-1: archival and accessible, as public-sector
    /// websites require.
    fn default() -> Self {
        Self {
            standards: vec![PdfStandard::A_2b, PdfStandard::Ua_1],
            draft: false,
            timestamp: None,
        }
    }
}

impl Publishing {
    /// PDF/A-3 carries the findings file inside the PDF.
    pub fn attaches_source(&self) -> bool {
        self.standards.contains(&PdfStandard::A_3b)
    }
}

/// The name the findings file is attached under: its file name.
fn attachment_name(name: &str) -> String {
    let base = Path::new(name).file_name().and_then(|n| n.to_str()).unwrap_or("findings.yaml");
    if base.starts_with('<') || base.is_empty() { "findings.yaml".into() } else { base.to_string() }
}

/// The publication date, as Typst's `today()` and the PDF's creation date.
fn publication_date(findings: &Findings) -> Datetime {
    let d = findings.published.0;
    Datetime::from_ymd(d.year(), u8::from(d.month()), d.day())
        .expect("a checked calendar date is a Typst date")
}

/// A UNIX timestamp as a Typst datetime (UTC), as `SOURCE_DATE_EPOCH` gives.
pub fn datetime_from_unix(seconds: i64) -> Option<Datetime> {
    let t = time::OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    Datetime::from_ymd_hms(t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute(), t.second())
}
