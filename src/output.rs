//! Writing outputs so that a reader never sees half a file.
//!
//! Each output is written to a temporary file in the target folder and
//! renamed into place, which is atomic on the same file system: a PDF viewer
//! or web server sees the old file or the new one, never a mixture, and when
//! anything fails the old file is left exactly as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::format::Format;

/// Where an output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A file.
    Path(PathBuf),
    /// Standard output (`-`).
    Stdout,
}

/// Writes `bytes` to `path` through a temporary file renamed into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
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

/// Writes a letter's outputs: one file, or for PNG one per page
/// (`NAME-1.png`, `NAME-2.png`...).
pub fn write_outputs(output: &Output, format: Format, outputs: &[Vec<u8>]) -> Result<(), Error> {
    match (output, format) {
        (Output::Stdout, _) => write_stdout(outputs.first().map_or(&[], Vec::as_slice)),
        (Output::Path(path), Format::Png) => {
            for (i, page) in outputs.iter().enumerate() {
                write_atomic(&page_path(path, i + 1), page)?;
            }
            Ok(())
        }
        (Output::Path(path), _) => write_atomic(path, outputs.first().map_or(&[], Vec::as_slice)),
    }
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
}
