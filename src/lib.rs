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
pub mod world;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Datetime;
use typst_layout::PagedDocument;
use typst_pdf::PdfStandard;

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

    /// The template files in use.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// Parses and checks a findings file. `dir` is the folder it is in.
    pub fn load(&self, file: Arc<SourceFile>, dir: Option<PathBuf>) -> Result<Letter, Error> {
        let (findings, index) = load::parse(&file)?;
        let located = check::Located { file: &file, index: &index };
        let errors = check::errors(&findings, &located, &self.templates.letters());
        let warnings = check::warnings(&findings, &located);
        if !errors.is_empty() {
            return Err(Error::Invalid(errors.into_iter().chain(warnings).collect()));
        }
        Ok(Letter { file, findings, index, dir, warnings })
    }

    /// The Typst source of a letter, named after its findings file.
    pub fn typst_source(&self, letter: &Letter, draft: bool) -> Result<Arc<SourceFile>, Error> {
        let context = compose::compose(&letter.findings, &self.organisation, draft);
        let name = format!("{}{LETTER_SUFFIX}", letter.findings.letter);
        let text = render::render(&self.env, &self.templates, &name, &context)?;
        let stem = letter.file.name.strip_suffix(".yaml").unwrap_or(&letter.file.name);
        Ok(SourceFile::new(format!("{stem}.typ (generated)"), text))
    }

    /// The World a letter is typeset in.
    pub fn world(&self, letter: &Letter, source: Arc<SourceFile>) -> LetterWorld<'_> {
        LetterWorld::new(&self.shared, source, publication_date(&letter.findings))
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
        standards: &[PdfStandard],
    ) -> Result<Vec<u8>, Error> {
        let f = &letter.findings;
        let settings = PdfSettings {
            standards: standards.to_vec(),
            timestamp: publication_date(f),
            ident: format!("hmip-letter/{}/{}/{}", f.letter, f.area, f.published),
        };
        typeset::pdf(world, document, &settings).map_err(Error::Invalid)
    }

    /// Renders a findings file to PDF bytes: every stage, one call.
    pub fn render_pdf(
        &self,
        file: Arc<SourceFile>,
        dir: Option<PathBuf>,
    ) -> Result<Rendered, Error> {
        let letter = self.load(file, dir)?;
        let source = self.typst_source(&letter, false)?;
        let world = self.world(&letter, source);
        let typeset = self.typeset(&world)?;
        let bytes = self.pdf(&world, &letter, &typeset.document, &[])?;
        let warnings = letter.warnings.iter().cloned().chain(typeset.warnings).collect();
        Ok(Rendered { bytes, pages: typeset.document.pages().len(), warnings })
    }
}

/// A rendered letter.
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

/// The publication date, as Typst's `today()` and the PDF's creation date.
fn publication_date(findings: &Findings) -> Datetime {
    let d = findings.published.0;
    Datetime::from_ymd(d.year(), u8::from(d.month()), d.day())
        .expect("a checked calendar date is a Typst date")
}

/// Reads a findings file from disk and renders it, for tests and benches.
pub fn render_path(pipeline: &Pipeline, path: &Path) -> Result<Rendered, Error> {
    let input = load::Input::Path(path.to_path_buf());
    pipeline.render_pdf(load::read(&input)?, input.dir())
}
