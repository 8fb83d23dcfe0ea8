//! hmip-letter turns an inspector's findings file (YAML) into the published
//! letter of HM Inspectorate of Probation: a PDF, and the same letter as an
//! accessible web page.
//!
//! Data flows one way, each stage knowing only the one before it:
//!
//! ```text
//! input → SourceFile → Findings → checked texts → Letter → Typst source → LetterWorld → PDF / PNG
//!         load.rs      yaml.rs,   check.rs,        compose.rs,  render.rs    world.rs,
//!                      model.rs   fields.rs,       words.rs     (format/)    typeset.rs
//!                                 markup.rs                   → HTML
//! ```
//!
//! [`Pipeline`] holds what a run shares between letters (templates, words,
//! fonts, the Typst library) and runs the stages; `commands.rs` drives it
//! for each subcommand. Nothing here prints: diagnostics go back to
//! `main.rs`.

pub mod batch;
pub mod check;
pub mod compose;
pub mod dates;
pub mod diff;
pub mod error;
pub mod fields;
pub mod fonts;
pub mod format;
pub mod letter;
pub mod load;
pub mod markup;
pub mod model;
pub mod output;
pub mod pair;
pub mod paths;
pub mod preflight;
pub mod render;
pub mod report;
pub mod schema;
pub mod suggest;
pub mod templates;
pub mod typeset;
pub mod words;
pub mod world;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::{Bytes, Datetime};
use typst_layout::PagedDocument;
use typst_pdf::PdfStandard;

use crate::compose::Extras;
pub use crate::error::{Diagnostic, Error, Severity, SourceFile};
pub use crate::format::Format;
use crate::letter::Letter;
pub use crate::load::Loaded;
use crate::model::{Findings, Organisation};
use crate::templates::{ORGANISATION, PREFLIGHT, Templates};
use crate::typeset::PdfSettings;
use crate::words::Words;
use crate::world::{LetterWorld, Shared};

/// What a run needs to set up before its first letter.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// A folder whose files override the embedded templates.
    pub templates: Option<PathBuf>,
    /// Folders of extra fonts.
    pub font_paths: Vec<PathBuf>,
}

/// What a run shares between letters: templates, words, organisation,
/// fonts, the Typst library. Built once; `Sync`, so letters can share it.
pub struct Pipeline {
    templates: Arc<Templates>,
    env: minijinja::Environment<'static>,
    organisation: Organisation,
    words: BTreeMap<String, Words>,
    shared: Shared,
}

/// A letter laid out, with Typst's warnings.
pub struct Typeset {
    /// The pages.
    pub document: PagedDocument,
    /// Typst's warnings, and the findings' slips.
    pub warnings: Vec<Diagnostic>,
}

impl Pipeline {
    /// Reads the templates, words and fonts and prepares the Typst library.
    pub fn new(setup: &Setup) -> Result<Self, Error> {
        let templates = match &setup.templates {
            Some(dir) => Templates::with_overrides(dir)?,
            None => Templates::embedded(),
        };
        let templates = Arc::new(templates);
        let org_file = template(&templates, ORGANISATION)?;
        let (organisation, _) =
            yaml::parse::<Organisation>(org_file).map_err(|failure| Error::from(failure.first))?;
        let words = Words::all(&templates)?;
        let fonts = fonts::Fonts::with_paths(&setup.font_paths)?;
        let shared = Shared::new(&templates, fonts);
        let env = render::environment(templates.clone());
        Ok(Self { templates, env, organisation, words, shared })
    }

    /// Parses and checks a findings file, and reads the files it names.
    /// `dir` is the folder it is in.
    pub fn load(&self, file: Arc<SourceFile>, dir: Option<PathBuf>) -> Result<Loaded, Error> {
        let (findings, index) = load::parse(&file)?;
        let located = check::Located { file: &file, index: &index };
        let letters = self.templates.letters();
        let context =
            check::Context { letters: &letters, words: &self.words, fonts: self.shared.fonts() };
        let mut checked = check::check(&findings, &located, &context);
        let logo = load::read_logo(findings.logo.as_ref(), &file, &index, dir.as_deref())
            .unwrap_or_else(|d| {
                checked.errors.push(d);
                None
            });
        if !checked.errors.is_empty() {
            let all = checked.errors.into_iter().chain(checked.warnings).collect();
            return Err(Error::Invalid(all));
        }
        let texts = checked.texts;
        Ok(Loaded { file, findings, texts, index, dir, logo, warnings: checked.warnings })
    }

    /// The English name of the language of a tag ("Welsh" for `cy`), if
    /// there are words for it.
    pub fn language_name(&self, tag: &str) -> Option<&str> {
        words::of(&self.words, tag).map(|w| w.english_name.as_str())
    }

    /// The letter a reader reads: the checked findings in the words of
    /// their language.
    pub fn compose(&self, loaded: &Loaded, options: &Options) -> Result<Letter, Error> {
        let words = self.words_of(loaded)?;
        let attachment = options.attaches_source().then(|| attachment_name(&loaded.file.name));
        let extras = Extras { draft: options.draft, logo: loaded.logo.clone(), attachment };
        let organisation = words.organisation(&self.organisation, loaded.findings.published);
        Ok(compose::compose(&loaded.texts, words, &organisation, &extras))
    }

    /// Reads, checks and composes a findings file: the letter a reader
    /// reads, as published by default.
    pub fn read_letter(&self, input: &load::Input) -> Result<Letter, Error> {
        let loaded = self.load(load::read(input)?, input.dir())?;
        self.compose(&loaded, &Options::default())
    }

    /// The words of a checked letter's language.
    fn words_of(&self, loaded: &Loaded) -> Result<&Words, Error> {
        words::of(&self.words, &loaded.findings.language).ok_or_else(|| {
            // The checks refuse a language without words before this.
            Error::from(Diagnostic::error(format!(
                "there are no words for the language {}",
                loaded.findings.language
            )))
        })
    }

    /// The rules of `preflight`: `preflight.yaml` among the templates.
    pub fn preflight_rules(&self) -> Result<preflight::Rules, Error> {
        preflight::Rules::read(template(&self.templates, PREFLIGHT)?)
    }

    /// Looks for personal data and slips of house style in a checked
    /// letter, as a reader would read it. Renders nothing.
    pub fn preflight(
        &self,
        loaded: &Loaded,
        rules: &preflight::Rules,
    ) -> Result<preflight::Found, Error> {
        let letter = self.compose(loaded, &Options::default())?;
        let organisation_file = template(&self.templates, ORGANISATION)?;
        let words = self.words_of(loaded)?;
        let organisation = words.organisation(&self.organisation, loaded.findings.published);
        let subject = preflight::Subject {
            loaded,
            letter: &letter,
            words,
            organisation: &organisation,
            organisation_file,
        };
        Ok(preflight::check(&subject, rules))
    }

    /// A letter laid out by the template of `format`: Typst source, or HTML.
    pub fn layout(&self, letter: &Letter, format: Format) -> Result<String, Error> {
        let name = format!("{}{}", letter.meta.kind, format.template_suffix());
        Ok(render::render(&self.env, &self.templates, &name, letter)?)
    }

    /// The Typst source of a letter and the files it may read (its logo,
    /// and for PDF/A-3 the findings file itself, to attach).
    pub fn prepare(&self, loaded: &Loaded, options: &Options) -> Result<Prepared, Error> {
        let letter = self.compose(loaded, options)?;
        self.prepare_letter(loaded, &letter)
    }

    fn prepare_letter(&self, loaded: &Loaded, letter: &Letter) -> Result<Prepared, Error> {
        let text = self.layout(letter, Format::Pdf)?;
        let mut files = Vec::new();
        if let Some(logo) = &loaded.logo {
            files.push((logo.path.clone(), Bytes::new(logo.bytes.to_vec())));
        }
        if let Some(name) = &letter.meta.attachment {
            files.push((format!("/{name}"), Bytes::new(loaded.file.text.as_bytes().to_vec())));
        }
        let stem = loaded.file.name.strip_suffix(".yaml").unwrap_or(&loaded.file.name);
        let source = SourceFile::new(format!("{stem}.typ (generated)"), text);
        Ok(Prepared { source, files })
    }

    /// The World a letter is typeset in.
    pub fn world(&self, loaded: &Loaded, prepared: &Prepared) -> LetterWorld<'_> {
        let today = publication_date(&loaded.findings);
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
        loaded: &Loaded,
        document: &PagedDocument,
        options: &Options,
    ) -> Result<Vec<u8>, Error> {
        let f = &loaded.findings;
        let settings = PdfSettings {
            standards: options.standards.clone(),
            timestamp: options.timestamp.unwrap_or_else(|| publication_date(f)),
            // One stable document ID per letter: the same letter keeps its ID
            // when it is regenerated, and no two letters share one.
            ident: format!("hmip-letter/{}/{}/{}", f.letter, f.area, f.published),
        };
        typeset::pdf(world, document, &settings).map_err(Error::Invalid)
    }

    /// Renders a checked letter as `options` say: the output files in
    /// order (one, or one per page for PNG), with every warning met on the
    /// way.
    pub fn render(&self, loaded: &Loaded, options: &Options) -> Result<Rendered, Error> {
        let letter = self.compose(loaded, options)?;
        let mut warnings = loaded.warnings.clone();
        if options.format == Format::Html {
            let html = self.layout(&letter, Format::Html)?;
            return Ok(Rendered { outputs: vec![html.into_bytes()], pages: 0, warnings });
        }
        let prepared = self.prepare_letter(loaded, &letter)?;
        if options.format == Format::Typ {
            let bytes = prepared.source.text.clone().into_bytes();
            return Ok(Rendered { outputs: vec![bytes], pages: 0, warnings });
        }
        let world = self.world(loaded, &prepared);
        let typeset = self.typeset(&world)?;
        warnings.extend(typeset.warnings);
        let pages = typeset.document.pages().len();
        let outputs = match options.format {
            Format::Png => typeset::png(&typeset.document, options.ppi)?,
            _ => vec![self.pdf(&world, loaded, &typeset.document, options)?],
        };
        Ok(Rendered { outputs, pages, warnings })
    }

    /// Reads, checks and renders one findings file.
    pub fn render_input(&self, input: &load::Input, options: &Options) -> Result<Rendered, Error> {
        let loaded = self.load(load::read(input)?, input.dir())?;
        self.render(&loaded, options)
    }

    /// Reads, checks and renders a findings file to a PDF with the default
    /// options: every stage, one call.
    pub fn render_pdf(
        &self,
        file: Arc<SourceFile>,
        dir: Option<PathBuf>,
    ) -> Result<Rendered, Error> {
        let loaded = self.load(file, dir)?;
        self.render(&loaded, &Options::default())
    }
}

/// A letter's Typst source and the extra files its World serves.
pub struct Prepared {
    /// The generated Typst source.
    pub source: Arc<SourceFile>,
    files: Vec<(String, Bytes)>,
}

/// A rendered letter: its output files, page count and warnings.
pub struct Rendered {
    /// The files: one, or one per page for PNG.
    pub outputs: Vec<Vec<u8>>,
    /// How many pages the letter has (0 for HTML and Typst source).
    pub pages: usize,
    /// Every warning met on the way.
    pub warnings: Vec<Diagnostic>,
}

impl Rendered {
    /// The PDF (or the only output).
    pub fn bytes(&self) -> &[u8] {
        self.outputs.first().map_or(&[], Vec::as_slice)
    }
}

/// What a letter is rendered as, and how it is published: the options
/// that travel together from the command line to every letter of a run.
#[derive(Debug, Clone)]
pub struct Options {
    /// What to write.
    pub format: Format,
    /// Pixels per inch of PNG pages.
    pub ppi: f32,
    /// The standards a PDF must meet; Typst checks them as it writes.
    pub standards: Vec<PdfStandard>,
    /// Marks the letter a draft, whatever its findings say.
    pub draft: bool,
    /// The PDF's creation date; the publication date when none is given.
    pub timestamp: Option<Datetime>,
}

/// PNG pages at twice the resolution of the page: sharp on screen, and a
/// few hundred KiB a page.
pub const DEFAULT_PPI: f32 = 144.0;

impl Default for Options {
    /// A PDF that is PDF/A-2b and PDF/UA-1: archival and accessible, as
    /// public-sector websites require.
    fn default() -> Self {
        Self {
            format: Format::Pdf,
            ppi: DEFAULT_PPI,
            standards: vec![PdfStandard::A_2b, PdfStandard::Ua_1],
            draft: false,
            timestamp: None,
        }
    }
}

impl Options {
    /// PDF/A-3 carries the findings file inside the PDF.
    pub fn attaches_source(&self) -> bool {
        self.standards.contains(&PdfStandard::A_3b)
    }
}

/// A template text file that must be there.
fn template<'a>(templates: &'a Templates, name: &str) -> Result<&'a Arc<SourceFile>, Error> {
    templates
        .source(name)
        .ok_or_else(|| Error::from(Diagnostic::error(format!("the template files have no {name}"))))
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
