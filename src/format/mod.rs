//! The output formats, and one writer of inline runs per format.
//!
//! A [`Letter`](crate::letter::Letter) reaches an output through a minijinja
//! template of that format (`sqs.typ.j2`, `sqs.html.j2`), which holds only
//! layout. The text in it is printed by this format's writer, chosen by the
//! template's auto-escape mode in `render.rs`: a third format is a new
//! writer here and a new template, nothing else.

pub mod html;
pub mod typst;

/// What `render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The letter as PDF.
    Pdf,
    /// The generated Typst source, to see what was typeset.
    Typ,
    /// One PNG image per page, named OUT-1.png, OUT-2.png...
    Png,
    /// The letter as one self-contained, accessible web page.
    Html,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 4] = [Format::Pdf, Format::Html, Format::Typ, Format::Png];

    /// The file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Typ => "typ",
            Format::Png => "png",
            Format::Html => "html",
        }
    }

    /// The suffix of the template that writes this format: Typst source
    /// for PDF, PNG and Typst, HTML for the web page.
    pub fn template_suffix(self) -> &'static str {
        match self {
            Format::Html => ".html.j2",
            Format::Pdf | Format::Typ | Format::Png => ".typ.j2",
        }
    }

    /// The format named by its extension, e.g. `pdf`.
    pub fn from_extension(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.extension() == name)
    }
}
