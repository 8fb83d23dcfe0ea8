//! Compiling a letter's Typst source and exporting it, with Typst's errors
//! turned into located diagnostics.
//!
//! A panic inside Typst on odd input must not take the process down (a batch
//! would lose every other letter), so compile and export run under
//! `catch_unwind` and a panic becomes an error naming the letter.

use std::panic::{AssertUnwindSafe, catch_unwind};

use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::error::Diagnostic;
use crate::world::LetterWorld;

/// Lays out the letter. Warnings come back with the document.
pub(crate) fn compile(
    world: &LetterWorld,
) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
    let warned = guard("typesetting", || typst::compile::<PagedDocument>(world))?;
    let warnings = convert(world, &warned.warnings);
    match warned.output {
        Ok(document) => Ok((document, warnings)),
        Err(errors) => {
            let mut all = convert(world, &errors);
            all.extend(warnings);
            Err(all)
        }
    }
}

/// How a PDF is written.
#[derive(Debug, Clone)]
pub(crate) struct PdfSettings {
    /// The standards the PDF must meet; Typst checks them on export.
    pub(crate) standards: Vec<PdfStandard>,
    /// The creation date written into the PDF.
    pub(crate) timestamp: Datetime,
    /// A stable name for this letter, hashed into the PDF's document ID.
    pub(crate) ident: String,
}

/// Writes the laid-out letter as PDF bytes.
pub(crate) fn pdf(
    world: &LetterWorld,
    document: &PagedDocument,
    settings: &PdfSettings,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let standards = PdfStandards::new(&settings.standards)
        .map_err(|e| vec![Diagnostic::error(format!("PDF standards: {}", e.message()))])?;
    let options = PdfOptions {
        ident: Smart::Custom(settings.ident.clone()),
        creator: Smart::Custom(Some(format!("hmip-letter {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(settings.timestamp)),
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    guard("writing the PDF", || typst_pdf::pdf(document, &options))?
        .map_err(|errors| convert(world, &errors))
}

/// Runs `f`, turning a panic into an error.
fn guard<T>(stage: &str, f: impl FnOnce() -> T) -> Result<T, Vec<Diagnostic>> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        vec![
            Diagnostic::error(format!("Typst failed while {stage}: {detail}")).hint(
                "this is a bug in hmip-letter or Typst; please report it with the findings file",
            ),
        ]
    })
}

/// Typst's diagnostics as ours, with file names, ranges and the call trace.
pub(crate) fn convert(world: &LetterWorld, diagnostics: &[SourceDiagnostic]) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .map(|d| {
            let mut out = match d.severity {
                TypstSeverity::Error => Diagnostic::error(d.message.to_string()),
                TypstSeverity::Warning => Diagnostic::warning(d.message.to_string()),
            };
            if let Some(file) = d.span.id().and_then(|id| world.source_file(id)) {
                out = out.at(&file, world.range(d.span));
            }
            for point in &d.trace {
                let place = point.span.id().and_then(|id| world.source_file(id)).and_then(|f| {
                    let range = world.range(point.span)?;
                    let (line, column) = f.line_column(range.start);
                    Some(format!("{}:{line}:{column}", f.name))
                });
                out.hints.push(match place {
                    Some(place) => format!("{} at {place}", point.v),
                    None => point.v.to_string(),
                });
            }
            // Typst's own command line has `--root`; this tool has not: a
            // letter reads only the files beside its findings file.
            for hint in &d.hints {
                match hint.v.contains("--root") {
                    true => out
                        .hints
                        .push("a letter may read only files in its findings file's folder".into()),
                    false => out.hints.push(hint.v.to_string()),
                }
            }
            out
        })
        .collect()
}

/// Typst measures pages in PostScript points.
const POINTS_PER_INCH: f64 = 72.0;

/// Renders each page as a PNG image at `ppi` pixels per inch.
pub(crate) fn png(document: &PagedDocument, ppi: f32) -> Result<Vec<Vec<u8>>, Diagnostic> {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(ppi) / POINTS_PER_INCH),
        ..Default::default()
    };
    let mut pages = Vec::with_capacity(document.pages().len());
    for (number, page) in document.pages().iter().enumerate() {
        let png = typst_render::render(page, &options).encode_png().map_err(|e| {
            Diagnostic::error(format!("page {} could not be encoded as PNG: {e}", number + 1))
                .hint("try a lower --ppi")
        })?;
        pages.push(png);
    }
    Ok(pages)
}

/// Drops what Typst memoised and has not used for the last `letters`
/// letters (comemo counts one letter per call). Its caches grow with every
/// letter, so each caller that typesets many letters calls this after each
/// one, and says how many it keeps and why: a batch's threads keep 2
/// (`batch/threads.rs`), `watch` keeps enough for an edit to find the last
/// letter's results.
pub fn forget_unused_for(letters: usize) {
    comemo::evict(letters);
}
