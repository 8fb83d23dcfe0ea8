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

/// Whether two paths name the same file (or would, once written).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
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
