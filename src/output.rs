//! Writing outputs: never over an input, and so that a reader never sees
//! half a file.
//!
//! Two rules hold for every command that writes, and live here once. An
//! output is never one of the command's inputs ([`refuse_inputs`]): a
//! findings file, template, font or logo is compared with each output as a
//! file, through symbolic links and `./`, before anything is written. And
//! each output is written to a temporary file in the target folder and
//! renamed into place, which is atomic on the same file system: a PDF viewer
//! or web server sees the old file or the new one, never a mixture, and when
//! anything fails the old file is left exactly as it was. An output named
//! through a symbolic link is written where the link points; the link stays.
//! [`resolve`] is where one letter goes, for `render` and `watch` alike.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error};
use crate::format::Format;
use crate::load::Input;
use crate::paths::same_file;

/// Where an output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A file.
    Path(PathBuf),
    /// Standard output (`-`).
    Stdout,
}

/// Where one letter goes: `output` as given, or beside the findings file
/// with the format's extension. Standard input needs `-o`, pages cannot go
/// to standard output, and the output is never one of `inputs` (the
/// findings file is always one). The message is a usage error.
pub fn resolve(
    input: &Input,
    output: Option<&Output>,
    format: Format,
    inputs: &[PathBuf],
) -> Result<Output, String> {
    let output = match (output, input) {
        (Some(output), _) => output.clone(),
        (None, Input::Path(path)) => Output::Path(path.with_extension(format.extension())),
        (None, Input::Stdin) => {
            return Err("reading standard input (`-`) needs `-o OUT` (or `-o -`)".into());
        }
    };
    match &output {
        Output::Stdout if format.is_pages() => {
            Err("PNG pages are separate files: give `-o NAME.png`, not `-o -`".into())
        }
        Output::Stdout => Ok(output),
        Output::Path(path) => {
            let mut all: Vec<PathBuf> = inputs.to_vec();
            if let Input::Path(findings) = input {
                all.push(findings.clone());
            }
            let written = match format.is_pages() {
                true => (1..=3).map(|page| page_path(path, page)).collect(),
                false => vec![path.clone()],
            };
            refuse_inputs(&written, &all).map_err(|d| d.message)?;
            Ok(output)
        }
    }
}

/// Refuses outputs that are among the inputs: the one check every command
/// makes before it writes. Compared as files, so `./a.yaml`, `a.yaml` and a
/// link to it are one file.
pub fn refuse_inputs(outputs: &[PathBuf], inputs: &[PathBuf]) -> Result<(), Diagnostic> {
    for output in outputs {
        if let Some(input) = inputs.iter().find(|input| same_file(output, input)) {
            let what = if input == output {
                String::new()
            } else {
                format!(" ({} is {})", output.display(), input.display())
            };
            return Err(Diagnostic::error(format!(
                "the output {} is one of the files this command reads{what}, and would overwrite it",
                output.display()
            ))
            .hint("choose another name with -o"));
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file renamed into place.
/// A symbolic link at `path` is written through: the file it points to is
/// replaced, the link is kept.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let target = through_links(path)?;
    let path = target.as_path();
    // Keep the permissions of the file being replaced.
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).map(|m| m.permissions().mode() & 0o7777).unwrap_or(0o644)
    };
    #[cfg(not(unix))]
    let mode = 0o644;
    let temp = written_temp(path, bytes, mode)?;
    temp.persist(path).map_err(|e| Error::write(path, e.error))?;
    Ok(())
}

/// Writes `bytes` to a new file at `path`, refusing to replace one that
/// exists (checked by the rename itself, so there is no race).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let temp = written_temp(path, bytes, 0o644)?;
    temp.persist_noclobber(path).map_err(|e| Error::write(path, e.error))?;
    Ok(())
}

/// The file a path names: itself, or where the symbolic link at it
/// points. A link to nothing is refused rather than replaced.
fn through_links(path: &Path) -> Result<PathBuf, Error> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(path.to_path_buf());
    }
    path.canonicalize().map_err(|_| {
        Error::from(
            Diagnostic::error(format!(
                "{} is a symbolic link to a file that does not exist",
                path.display()
            ))
            .hint("write to the file itself, or remove the link"),
        )
    })
}

/// A temporary file beside `path` (so the rename stays on one file system)
/// holding `bytes`, flushed to disk, with the given permissions. Dropped
/// unpersisted, it deletes itself.
fn written_temp(path: &Path, bytes: &[u8], mode: u32) -> Result<tempfile::NamedTempFile, Error> {
    let dir = crate::paths::folder_of(path);
    let fail = |e: std::io::Error| Error::write(path, e);
    let mut temp = tempfile::Builder::new()
        .prefix(".hmip-letter-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(fail)?;
    temp.write_all(bytes).map_err(fail)?;
    temp.as_file().sync_all().map_err(fail)?;
    // Temporary files are private; a letter is for publishing.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file().set_permissions(std::fs::Permissions::from_mode(mode)).map_err(fail)?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(temp)
}

/// Writes `bytes` to standard output. A reader that stops reading (`| head`)
/// has what it wanted: a closed pipe is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::write(Path::new("<stdout>"), e))
        }
        _ => Ok(()),
    }
}

/// Writes a letter's files: one, or for a format of pages one a page
/// (`NAME-1.png`, `NAME-2.png`...), never over one of `inputs`.
pub fn write_outputs(
    output: &Output,
    format: Format,
    files: &[Vec<u8>],
    inputs: &[PathBuf],
) -> Result<(), Error> {
    let Output::Path(path) = output else {
        return write_stdout(files.first().map_or(&[], Vec::as_slice));
    };
    let paths: Vec<PathBuf> = match format.is_pages() {
        true => (1..=files.len()).map(|page| page_path(path, page)).collect(),
        false => vec![path.clone()],
    };
    refuse_inputs(&paths, inputs)?;
    for (path, bytes) in paths.iter().zip(files) {
        write_atomic(path, bytes)?;
    }
    Ok(())
}

/// `letter.png`, page 2 → `letter-2.png`.
pub fn page_path(path: &Path, page: usize) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
    path.with_file_name(format!("{stem}-{page}.png"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        std::fs::write(&path, b"old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn write_new_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.yaml");
        write_new(&path, b"one").unwrap();
        assert!(write_new(&path, b"two").is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("a.pdf");
        assert!(write_atomic(&path, b"new").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.pdf");
        let link = dir.path().join("link.pdf");
        std::fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        let dangling = dir.path().join("dangling.pdf");
        std::os::unix::fs::symlink(dir.path().join("nothing.pdf"), &dangling).unwrap();
        assert!(write_atomic(&dangling, b"new").is_err());
        assert!(std::fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
    }

    #[test]
    fn an_input_is_never_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let findings = dir.path().join("a.yaml");
        std::fs::write(&findings, b"area: x").unwrap();
        let dotted = dir.path().join(".").join("a.yaml");
        assert!(refuse_inputs(&[dotted], std::slice::from_ref(&findings)).is_err());
        let other = dir.path().join("a.pdf");
        assert!(refuse_inputs(&[other], std::slice::from_ref(&findings)).is_ok());
        let input = Input::Path(findings.clone());
        let error = resolve(&input, Some(&Output::Path(findings)), Format::Html, &[]).unwrap_err();
        assert!(error.contains("would overwrite it"), "{error}");
        let png = resolve(&input, Some(&Output::Stdout), Format::Png, &[]).unwrap_err();
        assert!(png.contains("PNG pages"), "{png}");
    }
}
