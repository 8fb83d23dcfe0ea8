//! The fonts letters are set in: embedded Liberation Sans, plus any fonts
//! the user adds with `--font-path`. Never the system's fonts, so a letter
//! comes out the same on every machine.
//!
//! Fonts are parsed once per run and shared by every letter of the run.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::error::{Diagnostic, Error};

const EMBEDDED: &[&[u8]] = &[
    include_bytes!("../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../fonts/LiberationSans-BoldItalic.ttf"),
];

/// The extensions of the font files a font folder is read for.
pub(crate) const EXTENSIONS: &[&str] = &["ttf", "otf", "ttc", "otc"];

/// Parsed fonts and the book Typst looks them up in.
pub(crate) struct Fonts {
    /// What each font is, for Typst to choose by.
    pub(crate) book: LazyHash<FontBook>,
    /// The fonts, in the order of the book.
    pub(crate) fonts: Vec<Font>,
}

static EMBEDDED_FONTS: LazyLock<Arc<Fonts>> = LazyLock::new(|| {
    let fonts: Vec<Font> = EMBEDDED.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
    assert_eq!(fonts.len(), EMBEDDED.len(), "an embedded font failed to parse");
    Arc::new(Fonts::from_fonts(fonts))
});

impl Fonts {
    fn from_fonts(fonts: Vec<Font>) -> Self {
        Self { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
    }

    /// The embedded fonts, parsed on first use and shared after.
    pub(crate) fn embedded() -> Arc<Fonts> {
        EMBEDDED_FONTS.clone()
    }

    /// The embedded fonts and every font file (`.ttf`, `.otf`, `.ttc`, `.otc`)
    /// directly in the given folders.
    pub(crate) fn with_paths(dirs: &[impl AsRef<Path>]) -> Result<Arc<Fonts>, Error> {
        if dirs.is_empty() {
            return Ok(Self::embedded());
        }
        let mut fonts = Self::embedded().fonts.clone();
        for dir in dirs {
            let dir = dir.as_ref();
            let mut paths = Vec::new();
            for entry in std::fs::read_dir(dir).map_err(|e| Error::read(dir, e))? {
                // An entry that cannot be read is a font we would miss.
                paths.push(entry.map_err(|e| Error::read(dir, e))?.path());
            }
            let mut paths: Vec<_> = paths
                .into_iter()
                .filter(|p| {
                    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
                    EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
                })
                .collect();
            paths.sort();
            for path in paths {
                let data = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
                let before = fonts.len();
                fonts.extend(Font::iter(Bytes::new(data)));
                if fonts.len() == before {
                    return Err(Diagnostic::error(format!(
                        "{} is not a font file Typst can read",
                        path.display()
                    ))
                    .into());
                }
            }
        }
        Ok(Arc::new(Self::from_fonts(fonts)))
    }

    /// Whether any font can draw `c`.
    pub(crate) fn covers(&self, c: char) -> bool {
        self.fonts.iter().any(|font| font.info().coverage.contains(c as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_cover_welsh_greek_and_cyrillic() {
        let fonts = Fonts::embedded();
        assert_eq!(fonts.fonts.len(), 4);
        for c in "ŵŷŴŶâêîôûŵŷäëïöüÿáéíóúẁẃẅỳ ΑβγΩ Кийв – ‘’“”…".chars()
        {
            assert!(fonts.covers(c), "{c:?}");
        }
        assert!(!fonts.covers('😀'));
        assert!(!fonts.covers('中'));
    }
}
