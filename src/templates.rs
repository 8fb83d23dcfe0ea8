//! The template files: embedded in the binary, overridden file by file.
//!
//! The letter templates (`sqs.typ.j2` for the PDF, `sqs.html.j2` for the web
//! page, `sqs.docx.j2` for the body of the Word document, whose styles come
//! from `reference.docx`), the layout (`style.typ`), the words of each language
//! (`words/en.yaml`, `words/cy.yaml`), the organisation data
//! (`organisation.yaml`), the rules of `preflight` (`preflight.yaml`) and
//! the pages of `edit` (`edit/`) ship
//! inside the binary, so the tool works with nothing beside it.
//! `--templates DIR` lays a folder over them: a file in DIR (or in
//! DIR/words/) with the same name wins, and new files (another letter, a
//! language, an image the layout uses) are added. The folder is read once,
//! at start, so the Typst World never touches the disk for templates.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Diagnostic, Error, SourceFile};

/// A template file's name, text, and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The file's bytes.
    pub bytes: Arc<Vec<u8>>,
    /// The file as a source, when it is UTF-8 text: for minijinja, Typst
    /// and messages. Its name is the override path or `(embedded) NAME`.
    pub source: Option<Arc<SourceFile>>,
}

/// The suffix of the Typst letter templates: `sqs.typ.j2` is the letter
/// `sqs` (and `sqs.html.j2` its web page).
pub const LETTER_SUFFIX: &str = ".typ.j2";

/// The layout module every letter imports.
pub const STYLE: &str = "style.typ";

/// The organisation data.
pub const ORGANISATION: &str = "organisation.yaml";

/// Where the words of each language are among the template files:
/// `words/en.yaml`.
pub const WORDS_FOLDER: &str = "words/";

/// The findings file `hmip-letter init` writes.
pub const STARTER: &str = "starter.yaml";

/// The starter's area line, which `init AREA` fills in.
const STARTER_AREA: &str = "area: \"TODO: the area inspected\"";

/// The rules and word lists of `hmip-letter preflight`.
pub const PREFLIGHT: &str = "preflight.yaml";

/// The reference document of Word letters: the styles `--format docx`
/// takes, as pandoc's `--reference-doc`.
pub const REFERENCE: &str = "reference.docx";

const EMBEDDED: &[(&str, &str)] = &[
    ("sqs.typ.j2", include_str!("../templates/sqs.typ.j2")),
    ("sqs.html.j2", include_str!("../templates/sqs.html.j2")),
    ("words/en.yaml", include_str!("../templates/words/en.yaml")),
    ("words/cy.yaml", include_str!("../templates/words/cy.yaml")),
    (STYLE, include_str!("../templates/style.typ")),
    (ORGANISATION, include_str!("../templates/organisation.yaml")),
    (STARTER, include_str!("../templates/starter.yaml")),
    (PREFLIGHT, include_str!("../templates/preflight.yaml")),
    ("sqs.docx.j2", include_str!("../templates/sqs.docx.j2")),
    ("edit/govuk.html.j2", include_str!("../templates/edit/govuk.html.j2")),
    ("edit/page.html.j2", include_str!("../templates/edit/page.html.j2")),
    ("edit/overview.html.j2", include_str!("../templates/edit/overview.html.j2")),
    ("edit/part.html.j2", include_str!("../templates/edit/part.html.j2")),
    ("edit/new.html.j2", include_str!("../templates/edit/new.html.j2")),
    ("edit/pages.html.j2", include_str!("../templates/edit/pages.html.j2")),
    ("edit/edit.js", include_str!("../templates/edit/edit.js")),
    ("edit/edit.css", include_str!("../templates/edit/edit.css")),
];

/// Where the pages of `hmip-letter edit` are among the template files:
/// `edit/part.html.j2`, with their script and style sheet.
pub const EDIT_FOLDER: &str = "edit/";

/// The template files that are not text: the reference document whose
/// styles a Word letter takes.
const EMBEDDED_BINARY: &[(&str, &[u8])] =
    &[(REFERENCE, include_bytes!("../templates/reference.docx"))];

/// The extensions of template files that are text: templates, layout,
/// words, organisation and preflight rules.
pub(crate) const TEXT_EXTENSIONS: &[&str] = &["j2", "typ", "yaml", "yml", "js", "css"];

/// The extensions of every template file a run reads: the text ones and
/// the reference document of Word letters.
pub(crate) const EXTENSIONS: &[&str] = &["j2", "typ", "yaml", "yml", "js", "css", "docx"];

/// No template file is anywhere near this; a bigger one is a mistake.
const MAX_TEMPLATE_BYTES: u64 = 8 * 1024 * 1024;

/// The set of template files in use.
#[derive(Debug, Clone)]
pub struct Templates {
    files: BTreeMap<String, TemplateFile>,
}

impl Templates {
    /// The templates built into the binary.
    pub fn embedded() -> Self {
        let files = EMBEDDED
            .iter()
            .map(|(name, text)| {
                let file = TemplateFile {
                    bytes: Arc::new(text.as_bytes().to_vec()),
                    source: Some(SourceFile::new(format!("(embedded) {name}"), *text)),
                };
                (name.to_string(), file)
            })
            .chain(EMBEDDED_BINARY.iter().map(|(name, bytes)| {
                let file = TemplateFile { bytes: Arc::new(bytes.to_vec()), source: None };
                (name.to_string(), file)
            }))
            .collect();
        Self { files }
    }

    /// The embedded templates with the files of `dir` (and of its `words`
    /// folder) laid over them.
    pub fn with_overrides(dir: &Path) -> Result<Self, Error> {
        let mut templates = Self::embedded();
        templates.overlay(dir, "")?;
        for folder in [WORDS_FOLDER, EDIT_FOLDER] {
            let sub = dir.join(folder.trim_end_matches('/'));
            if sub.is_dir() {
                templates.overlay(&sub, folder)?;
            }
        }
        Ok(templates)
    }

    /// Lays the files of one folder over the templates, named `prefix` and
    /// their file names.
    fn overlay(&mut self, dir: &Path, prefix: &str) -> Result<(), Error> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::read(dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::read(dir, e))?;
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            let meta = entry.metadata().map_err(|e| Error::read(&path, e))?;
            if name.starts_with('.') || !meta.is_file() {
                continue;
            }
            if meta.len() > MAX_TEMPLATE_BYTES {
                return Err(Diagnostic::error(format!(
                    "template file {} is larger than {} MiB",
                    path.display(),
                    MAX_TEMPLATE_BYTES >> 20
                ))
                .into());
            }
            let bytes = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
            let display = path.display().to_string();
            let source = std::str::from_utf8(&bytes).ok().map(|t| SourceFile::new(display, t));
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let is_text = TEXT_EXTENSIONS.contains(&extension);
            if is_text && source.is_none() {
                return Err(Diagnostic::error(format!(
                    "template file {} is not UTF-8 text",
                    path.display()
                ))
                .into());
            }
            let file = TemplateFile { bytes: Arc::new(bytes), source };
            self.files.insert(format!("{prefix}{name}"), file);
        }
        Ok(())
    }

    /// A file by name, e.g. `style.typ`.
    pub fn get(&self, name: &str) -> Option<&TemplateFile> {
        self.files.get(name)
    }

    /// A text file by name.
    pub fn source(&self, name: &str) -> Option<&Arc<SourceFile>> {
        self.get(name)?.source.as_ref()
    }

    /// All files, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &TemplateFile)> {
        self.files.iter().map(|(name, file)| (name.as_str(), file))
    }

    /// The starter findings file `hmip-letter init` writes, with the area
    /// filled in if it is given.
    pub fn starter(&self, area: Option<&str>) -> Result<String, Error> {
        let missing =
            || Error::from(Diagnostic::error(format!("the template files have no {STARTER}")));
        // `#: key` lines are the guide's comment for the key.
        let text = crate::guide::expand(&self.source(STARTER).ok_or_else(missing)?.text);
        let Some(area) = area else { return Ok(text) };
        // A JSON string is a YAML double-quoted string: any area is safe.
        let quoted = serde_json::Value::from(area).to_string();
        let filled = text.replacen(STARTER_AREA, &format!("area: {quoted}"), 1);
        if filled == text {
            return Err(Diagnostic::error(format!(
                "{STARTER} has no line `{STARTER_AREA}` for the area to go in"
            ))
            .into());
        }
        Ok(filled)
    }

    /// The letters there are templates for, e.g. `["sqs"]`.
    pub fn letters(&self) -> Vec<&str> {
        self.files.keys().filter_map(|name| name.strip_suffix(LETTER_SUFFIX)).collect()
    }
}

/// The error for text left as a placeholder by the starter file of
/// `hmip-letter init`: a value that starts with `TODO`.
pub fn placeholder(text: &str) -> Option<Diagnostic> {
    let trimmed = text.trim_start();
    trimmed.starts_with("TODO").then(|| {
        let what = trimmed.trim_start_matches("TODO").trim_start_matches([':', ' ']);
        let message = if what.is_empty() {
            "placeholder text \"TODO\" has not been replaced".to_string()
        } else {
            format!("placeholder text has not been replaced: {what}")
        };
        Diagnostic::error(message).hint("replace the whole value, TODO included")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_templates_are_all_there() {
        let templates = Templates::embedded();
        assert_eq!(templates.letters(), ["sqs"]);
        assert!(templates.source(STYLE).unwrap().text.contains("#let letter("));
        assert!(templates.source(ORGANISATION).is_some());
        assert!(templates.source("words/en.yaml").is_some());
        assert!(templates.source("words/cy.yaml").is_some());
        assert!(templates.source("sqs.html.j2").is_some());
    }

    #[test]
    fn the_starter_takes_any_area() {
        let templates = Templates::embedded();
        let text = templates.starter(Some("Bath & \"North\" East: Somerset")).unwrap();
        assert!(text.contains("area: \"Bath & \\\"North\\\" East: Somerset\"\n"), "{text}");
        assert!(templates.starter(None).unwrap().contains(STARTER_AREA));
    }

    #[test]
    fn a_folder_overrides_file_by_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("style.typ"), "// mine").unwrap();
        std::fs::write(dir.path().join("thematic.typ.j2"), "x").unwrap();
        std::fs::create_dir(dir.path().join("words")).unwrap();
        std::fs::write(dir.path().join("words/en.yaml"), "name: Mine").unwrap();
        let templates = Templates::with_overrides(dir.path()).unwrap();
        assert_eq!(templates.source(STYLE).unwrap().text, "// mine");
        assert_eq!(templates.source("words/en.yaml").unwrap().text, "name: Mine");
        assert!(templates.source("sqs.typ.j2").unwrap().name.starts_with("(embedded)"));
        assert_eq!(templates.letters(), ["sqs", "thematic"]);
    }

    #[test]
    fn placeholders_name_what_is_missing() {
        let d = placeholder("TODO: the area inspected").unwrap();
        assert_eq!(d.message, "placeholder text has not been replaced: the area inspected");
        assert!(placeholder("Work to do").is_none());
    }
}
