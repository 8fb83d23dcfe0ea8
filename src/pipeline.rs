//! The [`Pipeline`]: what a run shares between letters, and the stages a
//! letter goes through.
//!
//! ```text
//! load → check → compose → write (the format's writer) → export (the format's export)
//! ```
//!
//! Built once per run (fonts, templates, words, the Typst library are read
//! and prepared here), then used for every letter, by every command: a
//! batch's workers, `watch` and `check` call the same methods as `render`.
//! What a format writes and exports is decided by its row of
//! [`FORMATS`](crate::format::FORMATS), read in [`Pipeline::export`] and
//! nowhere else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use typst::foundations::{Bytes, Datetime};
use typst_layout::PagedDocument;
use typst_pdf::PdfStandard;

use crate::compose::Extras;
use crate::docx::package::{self, REFERENCE, Reference};
use crate::error::{Diagnostic, Error, SourceFile};
use crate::format::{Export, Format, Writer};
use crate::letter::Letter;
use crate::load::{self, Loaded};
use crate::model::{Findings, Organisation};
use crate::templates::{ORGANISATION, PREFLIGHT, Templates};
use crate::typeset::{self, PdfSettings};
use crate::words::{self, Words};
use crate::world::{LetterWorld, Shared};
use crate::{check, fonts, layout, preflight, yaml};

/// What a run needs to set up before its first letter.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// A folder whose files override the embedded templates.
    pub templates: Option<PathBuf>,
    /// Folders of extra fonts.
    pub font_paths: Vec<PathBuf>,
}

impl Setup {
    /// The files the setup has a run read: the templates, words,
    /// organisation and preflight files under the templates folder (at any
    /// depth), and the fonts of the font folders. No command writes over
    /// one of them, and `watch` follows them. A letter written into the
    /// templates folder (`--templates .`) is none of them.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let of = |dir: &Path, extensions: &[&str], files: &mut Vec<PathBuf>| {
            let mut all = Vec::new();
            crate::paths::files_under(dir, &mut all);
            files.extend(all.into_iter().filter(|file| {
                let extension = file.extension().and_then(|e| e.to_str()).unwrap_or("");
                extensions.contains(&extension.to_ascii_lowercase().as_str())
            }));
        };
        if let Some(dir) = &self.templates {
            of(dir, crate::templates::EXTENSIONS, &mut files);
        }
        for dir in &self.font_paths {
            of(dir, crate::fonts::EXTENSIONS, &mut files);
        }
        files
    }

    /// The folders whose files [`Setup::files`] lists.
    pub fn folders(&self) -> Vec<PathBuf> {
        self.templates.iter().chain(&self.font_paths).cloned().collect()
    }
}

/// What a letter is exported as, and how it is published: the options
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

/// What a run shares between letters: templates, words, organisation,
/// fonts, the Typst library. Built once; `Sync`, so letters can share it.
pub struct Pipeline {
    templates: Arc<Templates>,
    env: minijinja::Environment<'static>,
    organisation: Organisation,
    words: BTreeMap<String, Words>,
    shared: Shared,
    /// The styles of Word letters, read from `reference.docx` when the
    /// first one is written.
    reference: OnceLock<Result<Reference, Diagnostic>>,
}

/// A letter's Typst source and what its World serves besides the
/// templates: the logo, the attached findings file, the date.
pub struct Prepared {
    /// The generated Typst source.
    pub source: Arc<SourceFile>,
    files: Vec<(String, Bytes)>,
    today: Datetime,
    /// The name hashed into the PDF's document ID.
    ident: String,
}

/// A letter laid out, with Typst's warnings.
pub struct Typeset {
    /// The pages.
    pub document: PagedDocument,
    /// Typst's warnings.
    pub warnings: Vec<Diagnostic>,
}

/// A letter exported: its files, page count and warnings.
pub struct Exported {
    /// The files: one, or one a page for PNG.
    pub files: Vec<Vec<u8>>,
    /// How many pages the letter has (0 where nothing was typeset).
    pub pages: usize,
    /// Every warning met on the way: the findings' slips, then Typst's.
    pub warnings: Vec<Diagnostic>,
}

impl Exported {
    /// The only file (the PDF, the page, the source), or the first page.
    pub fn bytes(&self) -> &[u8] {
        self.files.first().map_or(&[], Vec::as_slice)
    }
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
        let env = layout::environment(templates.clone());
        Ok(Self { templates, env, organisation, words, shared, reference: OnceLock::new() })
    }

    /// Parses and checks a findings file, and reads the files it names.
    /// `dir` is the folder it is in.
    pub fn load(&self, file: Arc<SourceFile>, dir: Option<PathBuf>) -> Result<Loaded, Error> {
        let (findings, index) = load::parse(&file)?;
        let located = check::Located { file: &file, index: &index };
        let letters = self.templates.letters();
        let context =
            check::Context { letters: &letters, words: &self.words, fonts: self.shared.fonts() };
        let mut checked = check::findings(&findings, &located, &context);
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

    /// Reads a findings file and loads it.
    pub fn load_input(&self, input: &load::Input) -> Result<Loaded, Error> {
        self.load(load::read(input)?, input.dir())
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
        compose_letter(&loaded.texts, words, &organisation, &extras)
    }

    /// Reads, checks and composes a findings file: the letter a reader
    /// reads, as published by default.
    pub fn read_letter(&self, input: &load::Input) -> Result<Letter, Error> {
        self.compose(&self.load_input(input)?, &Options::default())
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

    /// The template files in use: the embedded ones and `--templates`.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// The rules of `preflight`: `preflight.yaml` among the templates.
    pub fn preflight_rules(&self) -> Result<preflight::Rules, Error> {
        preflight::Rules::read(template(&self.templates, PREFLIGHT)?)
    }

    /// Looks for personal data and slips of house style in a checked
    /// letter, as a reader would read it. Exports nothing.
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
        Ok(preflight::find(&subject, rules))
    }

    /// A letter written by `writer`: the letter's template of that
    /// writer, filled in (Typst source, or HTML).
    pub fn write(&self, letter: &Letter, writer: Writer) -> Result<String, Error> {
        let name = format!("{}{}", letter.meta.kind, writer.template_suffix());
        Ok(layout::letter(&self.env, &self.templates, &name, letter)?)
    }

    /// The Typst source of a letter and the files its World serves.
    pub fn prepare(&self, loaded: &Loaded, options: &Options) -> Result<Prepared, Error> {
        let letter = self.compose(loaded, options)?;
        let source = self.write(&letter, Writer::Typst)?;
        Ok(prepared(loaded, &letter, source))
    }

    /// The World a letter is typeset in.
    pub fn world(&self, prepared: &Prepared) -> LetterWorld<'_> {
        let mut world = LetterWorld::new(&self.shared, prepared.source.clone(), prepared.today);
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
        prepared: &Prepared,
        document: &PagedDocument,
        options: &Options,
    ) -> Result<Vec<u8>, Error> {
        let settings = PdfSettings {
            standards: options.standards.clone(),
            timestamp: options.timestamp.unwrap_or(prepared.today),
            ident: prepared.ident.clone(),
        };
        typeset::pdf(world, document, &settings).map_err(Error::Invalid)
    }

    /// Exports a checked letter in the format of `options`, as its row of
    /// the format table says: the files in order (one, or one a page), with
    /// every warning met on the way.
    pub fn export(&self, loaded: &Loaded, options: &Options) -> Result<Exported, Error> {
        let letter = self.compose(loaded, options)?;
        let row = options.format.row();
        let written = self.write(&letter, row.writer)?;
        let mut warnings = loaded.warnings.clone();
        if row.export == Export::Source {
            return Ok(Exported { files: vec![written.into_bytes()], pages: 0, warnings });
        }
        if row.export == Export::Docx {
            let parts = package::letter_parts(&letter, written, self.logo_png(&letter)?);
            let document = package::assemble(&parts, self.reference()?)?;
            return Ok(Exported { files: vec![document], pages: 0, warnings });
        }
        let prepared = prepared(loaded, &letter, written);
        let world = self.world(&prepared);
        let typeset = self.typeset(&world)?;
        warnings.extend(typeset.warnings);
        let pages = typeset.document.pages().len();
        let files = match row.export {
            Export::Pages => typeset::png(&typeset.document, options.ppi)?,
            Export::Pdf | Export::Source | Export::Docx => {
                vec![self.pdf(&world, &prepared, &typeset.document, options)?]
            }
        };
        Ok(Exported { files, pages, warnings })
    }

    /// Reads a draft returned in Word (see `docx.rs`): each comment and
    /// change at its place, and with `findings` (the file it was rendered
    /// from) at the line of that place there.
    pub fn comments(
        &self,
        document: &std::path::Path,
        findings: Option<&load::Input>,
    ) -> Result<crate::docx::Returned, Error> {
        let composed = match findings {
            None => None,
            Some(input) => {
                let loaded = self.load_input(input)?;
                let letter = self.compose(&loaded, &Options::default())?;
                Some((loaded, letter))
            }
        };
        crate::docx::comments(document, composed.as_ref().map(|(loaded, letter)| (loaded, letter)))
    }

    /// The response table of a returned draft as a Word document, in the
    /// styles of the reference document among the templates.
    pub fn response_docx(&self, returned: &crate::docx::Returned) -> Result<Vec<u8>, Error> {
        crate::docx::response_docx(self.reference()?, returned)
    }

    /// The reference document of Word letters, read once.
    pub(crate) fn reference(&self) -> Result<&Reference, Error> {
        let read = || {
            let file = self.templates.get(REFERENCE).ok_or_else(|| {
                Diagnostic::error(format!("the template files have no {REFERENCE}"))
            })?;
            let name = match &self.templates.source(REFERENCE) {
                Some(source) => source.name.clone(),
                None => REFERENCE.to_string(),
            };
            Reference::read(&name, &file.bytes)
        };
        self.reference.get_or_init(read).as_ref().map_err(|d| Error::from(d.clone()))
    }

    /// A Word letter's SVG logo as a PNG, for the Word versions and other
    /// programs that cannot show SVG (the document carries both). Drawn by
    /// Typst, as high as the letter prints it, at 300 pixels an inch.
    fn logo_png(&self, letter: &Letter) -> Result<Option<Vec<u8>>, Error> {
        let Some(logo) = &letter.letterhead.logo else { return Ok(None) };
        if logo.mime != "image/svg+xml" {
            return Ok(None);
        }
        let source = format!(
            "#set page(width: auto, height: auto, margin: 0pt, fill: none)\n#image({}, height: 1.5cm)\n",
            crate::format::typst::string_literal(&logo.path)
        );
        let prepared = Prepared {
            source: SourceFile::new("logo.typ (generated)", source),
            files: vec![(logo.path.clone(), Bytes::new(logo.bytes.to_vec()))],
            // The drawing uses no date.
            today: Datetime::from_ymd(2000, 1, 1).expect("a calendar date"),
            ident: String::new(),
        };
        let world = self.world(&prepared);
        let typeset = self.typeset(&world)?;
        Ok(typeset::png(&typeset.document, 300.0)?.into_iter().next())
    }

    /// Reads a published letter (a PDF, or its text) back into a findings
    /// file, and checks that file as `check` reads it: the import's own
    /// problems first (located in the letter), then the findings file's
    /// (located in the file, named `output_name`).
    ///
    /// The file is read, checked against the contract and composed into
    /// its letter with the words of its language and the Typst source
    /// written, but not typeset: that is `render`'s work (and `import
    /// --check`'s), and would make an import cost a render on top of
    /// reading the letter. Typesetting escaped text through the tool's
    /// own templates finds nothing the checks before it do not.
    pub fn import(
        &self,
        name: &str,
        bytes: &[u8],
        output_name: &str,
    ) -> Result<crate::import::Imported, Error> {
        let mut imported = self.import_only(name, bytes)?;
        let file = SourceFile::new(output_name, imported.yaml.clone());
        let checked = self.load(file, None).and_then(|loaded| {
            let options = Options { format: crate::Format::Typ, ..Options::default() };
            self.export(&loaded, &options).map(|exported| exported.warnings)
        });
        let missing = imported.problems.iter().any(Diagnostic::is_error);
        match checked {
            Ok(warnings) => imported.problems.extend(warnings),
            // The TODOs the import wrote are already reported where the
            // letter lacks them.
            Err(error) if missing => imported.problems.extend(
                error
                    .diagnostics()
                    .into_iter()
                    .filter(|d| !d.message.starts_with("placeholder text has not been replaced")),
            ),
            Err(error) => imported.problems.extend(error.diagnostics()),
        }
        Ok(imported)
    }

    /// Reads a published letter back into a findings file, without
    /// checking the file (what [`Pipeline::import`] adds).
    pub fn import_only(&self, name: &str, bytes: &[u8]) -> Result<crate::import::Imported, Error> {
        let starter = self.templates.starter(None)?;
        crate::import::import(name, bytes, &self.words, &self.organisation, &starter)
    }

    /// The words of a letter as a reader reads them, passage by passage:
    /// of a published letter (PDF or text), for comparing with a render.
    pub fn letter_passages(
        &self,
        name: &str,
        bytes: &[u8],
    ) -> Result<crate::import::LetterText, Error> {
        crate::import::passages(name, bytes, &self.words, &self.organisation)
    }

    /// Reads, checks and exports one findings file.
    pub fn export_input(&self, input: &load::Input, options: &Options) -> Result<Exported, Error> {
        self.export(&self.load_input(input)?, options)
    }
}

/// Composes a letter, naming the phrase whose words could not be written.
fn compose_letter(
    texts: &Findings<crate::letter::Text>,
    words: &Words,
    organisation: &Organisation,
    extras: &Extras,
) -> Result<Letter, Error> {
    crate::compose::compose(texts, words, organisation, extras).map_err(Error::from)
}

/// A letter's Typst source with the files its World serves: its logo, and
/// for PDF/A-3 the findings file itself, to attach.
fn prepared(loaded: &Loaded, letter: &Letter, source: String) -> Prepared {
    let mut files = Vec::new();
    if let Some(logo) = &letter.letterhead.logo {
        files.push((logo.path.clone(), Bytes::new(logo.bytes.to_vec())));
    }
    if let Some(name) = &letter.meta.attachment {
        files.push((format!("/{name}"), Bytes::new(loaded.file.text.as_bytes().to_vec())));
    }
    let stem = loaded.file.name.strip_suffix(".yaml").unwrap_or(&loaded.file.name);
    let meta = &letter.meta;
    Prepared {
        source: SourceFile::new(format!("{stem}.typ (generated)"), source),
        files,
        today: publication_date(&loaded.findings),
        // One stable document ID per letter: the same letter keeps its ID
        // when it is regenerated, and no two letters share one.
        ident: format!("hmip-letter/{}/{}/{}", meta.kind, meta.area, meta.date),
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
