//! Reading a findings file: bytes → text → typed findings, or located errors.
//!
//! The file is refused before parsing if it is too big, not UTF-8, or empty,
//! so the YAML parser only ever sees plausible input.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Diagnostic, Error, SourceFile};
use crate::letter::Text;
use crate::model::{Findings, Logo};
use crate::schema;
use crate::yaml::{self, KeyIndex, NodeKind};

/// A findings file that parsed and passed its checks, with the files it
/// names.
pub struct Loaded {
    /// The findings file.
    pub file: Arc<SourceFile>,
    /// Its findings, as written.
    pub findings: Findings,
    /// Every text value, checked and read into inline runs.
    pub texts: Findings<Text>,
    /// Where each of its keys is, for messages.
    pub(crate) index: KeyIndex,
    /// The folder the findings file is in, if it came from a file.
    pub dir: Option<PathBuf>,
    /// The letterhead logo the findings name, read from `dir`.
    pub logo: Option<LogoFile>,
    /// What is legal but probably a slip.
    pub warnings: Vec<Diagnostic>,
}

/// A logo's bytes and what kind of image it is, read beside the findings.
#[derive(Debug, Clone)]
pub struct LogoFile {
    /// Where the Typst World serves it, e.g. `/logo.svg`.
    pub path: String,
    /// `image/png` or `image/svg+xml`.
    pub mime: &'static str,
    /// The image file's bytes.
    pub bytes: Arc<Vec<u8>>,
    /// The file they were read from.
    pub source: PathBuf,
}

impl Loaded {
    /// The files the letter reads besides its findings file and the
    /// templates: its logo.
    pub fn files_read(&self) -> Vec<PathBuf> {
        self.logo.iter().map(|logo| logo.source.clone()).collect()
    }
}

/// No findings file comes near this (the Barnet letter is 20 KB); a bigger
/// file is the wrong file, and refusing it keeps parsing fast.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Where a findings file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    Path(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl Input {
    /// The name shown in messages.
    pub fn name(&self) -> String {
        match self {
            Input::Path(path) => path.display().to_string(),
            Input::Stdin => "<stdin>".into(),
        }
    }

    /// The folder a letter's logo is read from.
    pub fn dir(&self) -> Option<PathBuf> {
        match self {
            Input::Path(path) => Some(crate::paths::folder_of(path).to_path_buf()),
            Input::Stdin => None,
        }
    }
}

/// Reads a findings file, refusing one that is too big or not text.
pub fn read(input: &Input) -> Result<Arc<SourceFile>, Error> {
    let mut bytes = Vec::new();
    let limit = MAX_FILE_BYTES as u64 + 1;
    let result = match input {
        Input::Path(path) => regular(path).and_then(|()| {
            std::fs::File::open(path)
                .and_then(|file| file.take(limit).read_to_end(&mut bytes))
                .map_err(|e| Error::read(path, e))
        }),
        Input::Stdin => std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::read(Path::new("<stdin>"), e)),
    };
    result?;
    from_bytes(input.name(), bytes)
}

/// Refuses, before opening it, a path that is not a regular file: a FIFO
/// or a device would block the read for ever, a folder is not a letter.
pub fn regular(path: &Path) -> Result<(), Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_file() {
        return Ok(());
    }
    let what = if meta.is_dir() { "a folder" } else { "not a regular file" };
    Err(Diagnostic::error(format!("{} is {what}", path.display()))
        .hint("name a findings file (.yaml)")
        .into())
}

/// Checks that bytes are a findings file's text.
pub fn from_bytes(name: String, mut bytes: Vec<u8>) -> Result<Arc<SourceFile>, Error> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(format!(
            "{name} is larger than {} KiB, too large to be a findings file",
            MAX_FILE_BYTES / 1024
        ))
        .hint("check that this is the findings file you meant")
        .into());
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, breaks_of_old_macs(text))),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            // Lossy decoding keeps the valid prefix byte for byte.
            let file = SourceFile::new(name, text);
            let end = file.text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            Err(Diagnostic::error("the file is not UTF-8 text")
                .at(&file, Some(at..end))
                .hint("save the file as UTF-8 (in most editors: Save As, Encoding, UTF-8)")
                .into())
        }
    }
}

/// A file saved with a carriage return alone at the end of each line (old
/// Mac editors, some exports) read as lines, not as one: each lone `\r`
/// becomes `\n`, byte for byte, so every place in the file stays where it
/// was. `\r\n` is left as it is.
fn breaks_of_old_macs(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if c == '\r' && chars.peek() != Some(&'\n') { '\n' } else { c });
    }
    out
}

/// Parses a findings file's text into findings and its key index.
pub(crate) fn parse(file: &Arc<SourceFile>) -> Result<(Findings, KeyIndex), Error> {
    let has_content = file.text.lines().any(|line| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#') && line != "---" && line != "..."
    });
    if !has_content {
        return Err(Diagnostic::error("the file is empty")
            .at(file, Some(0..0))
            .hint("run `hmip-letter init` for a findings file to start from")
            .into());
    }
    yaml::parse::<Findings>(file).map_err(|failure| {
        // serde stops at the first problem of shape; the schema finds them all.
        let not_a_mapping = failure.index.root().is_some_and(|r| r.kind != NodeKind::Mapping);
        let all = match (failure.shape || not_a_mapping) && failure.index.is_complete() {
            true => schema::check_shape(file, &failure.index),
            false => Vec::new(),
        };
        let mut all = if all.is_empty() { vec![failure.first] } else { all };
        all.sort_by_key(|d| d.range.as_ref().map_or(0, |r| r.start));
        Error::Invalid(all)
    })
}

/// No letterhead logo needs more than this.
const MAX_LOGO_BYTES: u64 = 5 * 1024 * 1024;

/// Reads the letter's logo, if it has one: a PNG or SVG inside the findings
/// file's folder `dir`, never outside it (no `..`, no absolute path, no
/// symlink out). Read when the findings are loaded, so its problems are
/// reported with the others.
pub(crate) fn read_logo(
    logo: Option<&Logo>,
    file: &Arc<SourceFile>,
    index: &KeyIndex,
    dir: Option<&Path>,
) -> Result<Option<LogoFile>, Diagnostic> {
    let Some(logo) = logo else { return Ok(None) };
    let key = "logo.file";
    let fail = |message: String, hint: &str| -> Diagnostic {
        Diagnostic::error(message).at(file, index.range_of(key)).key(key).hint(hint)
    };
    let Some(dir) = dir else {
        return Err(fail(
            "a logo is read from the findings file's folder, and this file came from standard input"
                .into(),
            "render the findings file by its path, or leave `logo` out",
        ));
    };
    let relative = Path::new(&logo.file);
    let extension = relative.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    let mime = match extension.as_str() {
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => {
            return Err(fail(
                format!("the logo {} is not a PNG or SVG file", logo.file),
                "give a file ending in .png or .svg",
            ));
        }
    };
    let inside = relative.components().all(|c| matches!(c, std::path::Component::Normal(_)));
    let outside = || {
        fail(
            format!("the logo {} is outside the findings file's folder", logo.file),
            "put the logo beside the findings file, or in a folder below it",
        )
    };
    if !inside {
        return Err(outside());
    }
    let path = dir.join(relative);
    let unreadable = |e| {
        fail(Error::read(&path, e).to_string(), "the logo's file is relative to the findings file")
    };
    let canonical = path.canonicalize().map_err(unreadable)?;
    let root = dir
        .canonicalize()
        .map_err(|e| fail(Error::read(dir, e).to_string(), "check the folder"))?;
    if !canonical.starts_with(&root) {
        return Err(outside());
    }
    let meta = std::fs::metadata(&canonical).map_err(unreadable)?;
    if !meta.is_file() || meta.len() > MAX_LOGO_BYTES {
        return Err(fail(
            format!("the logo {} is not a file of at most 5 MiB", logo.file),
            "give a small PNG or SVG file",
        ));
    }
    let bytes = std::fs::read(&canonical).map_err(unreadable)?;
    if mime == "image/svg+xml"
        && let Some(d) = svg_problem(&logo.file, &bytes)
    {
        return Err(d.also(crate::error::Related {
            file: file.clone(),
            range: index.range_of(key),
            key: Some(key.into()),
            label: "the logo named".into(),
        }));
    }
    let path = format!("/logo.{extension}");
    Ok(Some(LogoFile { path, mime, bytes: Arc::new(bytes), source: canonical }))
}

/// Why an SVG logo cannot be drawn, located in the SVG file itself: it
/// must be UTF-8 XML (Typst's own message would name no file or line).
fn svg_problem(name: &str, bytes: &[u8]) -> Option<Diagnostic> {
    let hint = "open the logo in a drawing program and save it again as SVG";
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some(
            Diagnostic::error(format!("the logo {name} is not UTF-8 text, as SVG is")).hint(hint),
        );
    };
    let error = roxmltree::Document::parse(text).err()?;
    let file = SourceFile::new(name, text);
    let pos = error.pos();
    let at = file.offset(pos.row as usize, pos.col as usize);
    let end = at.map(|at| file.text[at..].chars().next().map_or(at, |c| at + c.len_utf8()));
    let range = at.zip(end).map(|(at, end)| at..end);
    Some(
        Diagnostic::error(format!("the logo {name} is not a well-formed SVG file: {error}"))
            .at(&file, range)
            .hint(hint),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(error: Error) -> Diagnostic {
        error.diagnostics().remove(0)
    }

    #[test]
    fn refuses_big_binary_and_empty_files() {
        let big = vec![b'#'; MAX_FILE_BYTES + 1];
        assert!(first(from_bytes("big.yaml".into(), big).unwrap_err()).message.contains("larger"));

        let latin1 = b"area: Ynys M\xf4n\n".to_vec();
        let d = first(from_bytes("w.yaml".into(), latin1).unwrap_err());
        assert_eq!(d.message, "the file is not UTF-8 text");
        assert_eq!(d.line_column(), Some((1, 13)));

        let empty = from_bytes("e.yaml".into(), b"# nothing\n\n".to_vec()).unwrap();
        assert_eq!(first(parse(&empty).unwrap_err()).message, "the file is empty");
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let file = from_bytes("b.yaml".into(), b"\xEF\xBB\xBFarea: x\n".to_vec()).unwrap();
        assert_eq!(file.text, "area: x\n");
    }
}
