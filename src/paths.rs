//! What the tool needs to know about file paths: the folder a file is in,
//! and whether two paths name one file.

use std::path::Path;

/// The folder `path` is in: its parent, or `.` for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Whether two paths name the same file: the same file on disk (through
/// symbolic links, `./` and hard links), or, where either does not exist
/// yet, the same path once its folder is resolved.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let Ok(same) = same_file::is_same_file(a, b) {
        return same;
    }
    match (resolved(a), resolved(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

/// A path with its folder made canonical, for a file not yet written.
fn resolved(path: &Path) -> Option<std::path::PathBuf> {
    if let Ok(path) = path.canonicalize() {
        return Some(path);
    }
    Some(folder_of(path).canonicalize().ok()?.join(path.file_name()?))
}

/// Folders deeper than this below a templates or font folder are not
/// looked into: no real folder of templates is nested so deep, and a loop
/// of links ends here.
const MAX_DEPTH: usize = 8;

/// Adds every file under `dir`, at any depth (to [`MAX_DEPTH`]), to `out`.
/// A folder that cannot be read adds nothing; reading it for real reports
/// why.
pub fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    fn walk(dir: &Path, depth: usize, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() && depth < MAX_DEPTH => walk(&path, depth + 1, out),
                Ok(meta) if meta.is_file() => out.push(path),
                _ => {}
            }
        }
    }
    walk(dir, 0, out);
    out.sort();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_paths() {
        assert_eq!(folder_of(Path::new("a/b.yaml")), Path::new("a"));
        assert_eq!(folder_of(Path::new("b.yaml")), Path::new("."));
        assert_eq!(folder_of(Path::new("/b.yaml")), Path::new("/"));
    }
}
