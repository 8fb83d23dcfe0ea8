//! The output formats, as one table.
//!
//! A format is chosen once, in [`FORMATS`]: what writes the letter (a
//! [`Writer`]: the letter's template in that writer's language, whose text
//! is printed by the writer's inline writer in this folder) and what is
//! exported from what it wrote (an [`Export`]: the text itself, or the PDF
//! or the PNG pages Typst typesets from it). typst-cli's
//! `compile_and_export` splits the same two questions the same way. A new
//! format is a writer (an inline writer here, its escaping in `layout.rs`),
//! a template, and one row of the table; the command line, the file names
//! and the pipeline all read the table.

pub mod html;
pub mod typst;
pub mod word;

/// What writes a letter: a template language, its escaping and its
/// writer of inline runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Writer {
    /// Typst source (`NAME.typ.j2`), every text a Typst string literal.
    Typst,
    /// HTML (`NAME.html.j2`), every text HTML-escaped.
    Html,
    /// WordprocessingML (`NAME.docx.j2`, the body of a Word document),
    /// every text in escaped Word runs.
    Word,
}

impl Writer {
    /// The suffix of the letter templates this writer fills:
    /// `sqs.typ.j2` for the letter `sqs`.
    pub fn template_suffix(self) -> &'static str {
        match self {
            Writer::Typst => ".typ.j2",
            Writer::Html => ".html.j2",
            Writer::Word => ".docx.j2",
        }
    }
}

/// What is exported from what the writer wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Export {
    /// The written text itself, as one file.
    Source,
    /// Typeset by Typst, as one PDF.
    Pdf,
    /// Typeset by Typst, as one PNG image a page (`OUT-1.png`, ...).
    Pages,
    /// Packaged as a Word document: the written body with the styles of
    /// `reference.docx`, the footnotes, headers, links and logo.
    Docx,
}

/// One row of the table: a format and everything that depends on it.
#[derive(Debug)]
pub struct Row {
    /// The format.
    pub format: Format,
    /// Its name on the command line (`--format pdf`), which is also the
    /// extension of the files it writes.
    pub name: &'static str,
    /// What `--help` says of it.
    pub help: &'static str,
    /// What writes the letter.
    pub writer: Writer,
    /// What is exported from that.
    pub export: Export,
}

/// The table: one row per format, which makes both the [`Format`] it is
/// known by and its [`Row`].
macro_rules! formats {
    ($($(#[$doc:meta])* $format:ident {
        name: $name:literal, help: $help:literal, writer: $writer:ident, export: $export:ident $(,)?
    })*) => {
        /// A format `render` writes: the key of a row of [`FORMATS`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Format {
            $($(#[$doc])* $format,)*
        }

        /// Every format `render` can write, in the order `--help` lists them.
        pub const FORMATS: &[Row] = &[$(Row {
            format: Format::$format,
            name: $name,
            help: $help,
            writer: Writer::$writer,
            export: Export::$export,
        },)*];
    };
}

formats! {
    /// The letter as PDF.
    Pdf {
        name: "pdf",
        help: "The letter as PDF (PDF/A-2b and PDF/UA-1 unless --pdf-standard says otherwise)",
        writer: Typst,
        export: Pdf,
    }
    /// The letter as one self-contained, accessible web page.
    Html {
        name: "html",
        help: "The letter as one self-contained, accessible web page",
        writer: Html,
        export: Source,
    }
    /// The generated Typst source.
    Typ {
        name: "typ",
        help: "The generated Typst source, to see what was typeset",
        writer: Typst,
        export: Source,
    }
    /// The letter as a Word document, for the factual accuracy check.
    Docx {
        name: "docx",
        help: "The letter as an accessible Word document, for the factual accuracy check",
        writer: Word,
        export: Docx,
    }
    /// One PNG image per page.
    Png {
        name: "png",
        help: "One PNG image per page, named OUT-1.png, OUT-2.png...",
        writer: Typst,
        export: Pages,
    }
}

impl Format {
    /// Its row of [`FORMATS`].
    pub fn row(self) -> &'static Row {
        // The table makes the variants in the order of its rows.
        &FORMATS[self as usize]
    }

    /// Every format, in the order of the table.
    pub fn all() -> impl Iterator<Item = Format> {
        FORMATS.iter().map(|row| row.format)
    }

    /// The format's name, which is also the extension of its files.
    pub fn extension(self) -> &'static str {
        self.row().name
    }

    /// What writes the letter in this format.
    pub fn writer(self) -> Writer {
        self.row().writer
    }

    /// What is exported from what was written.
    pub fn export(self) -> Export {
        self.row().export
    }

    /// Whether the format is one file a page rather than one file.
    pub fn is_pages(self) -> bool {
        self.export() == Export::Pages
    }

    /// The format of a name, e.g. `pdf`.
    pub fn from_name(name: &str) -> Option<Format> {
        FORMATS.iter().find(|row| row.name == name).map(|row| row.format)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_row_and_a_name_of_its_own() {
        for format in Format::all() {
            assert_eq!(format.row().format, format);
            assert_eq!(Format::from_name(format.extension()), Some(format));
        }
        assert_eq!(Format::all().count(), FORMATS.len());
        assert_eq!(Format::from_name("doc"), None);
    }
}
