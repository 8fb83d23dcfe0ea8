//! The Typst World of a letter: the only files Typst can see.
//!
//! A letter's World serves the generated main source from memory, the
//! template files, the embedded or given fonts, and files the letter names
//! explicitly (its logo). Any other path is refused, packages are never
//! fetched, no system font is read, and `today()` is the publication date,
//! so the output depends on nothing but the inputs.
//!
//! The expensive parts (the standard library, parsed fonts, parsed template
//! modules) live in [`Shared`], built once per run and borrowed by every
//! letter, so a batch parses each of them once.

use std::collections::HashMap;
use std::sync::Arc;

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Features, Library, LibraryExt, World};

use crate::error::SourceFile;
use crate::fonts::Fonts;
use crate::templates::Templates;

/// The path of the generated main source. Template files whose names start
/// with a dot are never read, so no template can take this path.
const MAIN_PATH: &str = "/.letter.typ";

/// The file id of a path in the letter's virtual project.
pub(crate) fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

fn main_id() -> FileId {
    file_id(MAIN_PATH).expect("the main path is a valid virtual path")
}

/// What every letter of a run shares: library, fonts, template files.
pub(crate) struct Shared {
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    sources: HashMap<FileId, (Source, Arc<SourceFile>)>,
    files: HashMap<FileId, Bytes>,
}

impl Shared {
    /// Prepares the shared parts from the template files and fonts.
    pub(crate) fn new(templates: &Templates, fonts: Arc<Fonts>) -> Self {
        // `a11y-extras` gives `pdf.header-cell`, which marks the labels of
        // the header block and copy list as row headers.
        let features: Features = [Feature::A11yExtras].into_iter().collect();
        let library = Library::builder().with_features(features).build();
        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        for (name, file) in templates.iter() {
            let Some(id) = file_id(&format!("/{name}")) else {
                continue;
            };
            files.insert(id, Bytes::new(file.bytes.to_vec()));
            if let (true, Some(source)) = (name.ends_with(".typ"), &file.source) {
                sources.insert(id, (Source::new(id, source.text.clone()), source.clone()));
            }
        }
        Self { library: LazyHash::new(library), fonts, sources, files }
    }

    /// The fonts in use.
    pub(crate) fn fonts(&self) -> &Fonts {
        &self.fonts
    }
}

/// The World of one letter.
pub struct LetterWorld<'a> {
    shared: &'a Shared,
    main: Source,
    main_file: Arc<SourceFile>,
    today: Datetime,
    extra: HashMap<FileId, Bytes>,
}

impl<'a> LetterWorld<'a> {
    /// A World whose main source is `main` and whose today is `today`.
    pub(crate) fn new(shared: &'a Shared, main: Arc<SourceFile>, today: Datetime) -> Self {
        let source = Source::new(main_id(), main.text.clone());
        Self { shared, main: source, main_file: main, today, extra: HashMap::new() }
    }

    /// Lets the letter read one more file, at `path` (e.g. `/logo.png`).
    pub(crate) fn allow(&mut self, path: &str, bytes: Bytes) {
        if let Some(id) = file_id(path) {
            self.extra.insert(id, bytes);
        }
    }

    /// The source file behind a file id, for messages.
    pub(crate) fn source_file(&self, id: FileId) -> Option<Arc<SourceFile>> {
        if id == self.main.id() {
            return Some(self.main_file.clone());
        }
        self.shared.sources.get(&id).map(|(_, file)| file.clone())
    }
}

impl World for LetterWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        check_root(id)?;
        match self.shared.sources.get(&id) {
            Some((source, _)) => Ok(source.clone()),
            None if self.file(id).is_ok() => Err(FileError::NotSource),
            None => Err(denied(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        check_root(id)?;
        self.shared
            .files
            .get(&id)
            .or_else(|| self.extra.get(&id))
            .cloned()
            .ok_or_else(|| denied(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Packages are never fetched: a letter is made from its own files.
fn check_root(id: FileId) -> FileResult<()> {
    match id.root() {
        VirtualRoot::Project => Ok(()),
        VirtualRoot::Package(spec) => Err(FileError::Package(PackageError::Other(Some(
            format!("packages such as {spec} are not available to letters").into(),
        )))),
    }
}

fn denied(id: FileId) -> FileError {
    FileError::Other(Some(
        format!(
            "{} is not a file letters may read: only the template files and the letter's own logo",
            id.vpath().get_with_slash()
        )
        .into(),
    ))
}
