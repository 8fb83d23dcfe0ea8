//! hmip-letter turns an inspector's findings file (YAML) into the published
//! letter of HM Inspectorate of Probation: a PDF, and the same letter as an
//! accessible web page.
//!
//! Data flows one way, each stage knowing only the one before it:
//!
//! ```text
//! input → SourceFile → Findings → checked texts → Letter → written text → exported files
//!         load.rs      yaml.rs,   check.rs,        compose.rs, layout.rs,   typeset.rs,
//!                      model.rs,  fields.rs,       words.rs    format/      world.rs
//!                      schema.rs  markup.rs
//! ```
//!
//! [`Pipeline`] (`pipeline.rs`) holds what a run shares between letters
//! and runs the stages; which writer and export a format takes is its row
//! of [`format::FORMATS`]. Beside the letter: `batch/` (many letters over
//! worker processes), `diff/` (what a reader would see change), `docx/`
//! (the Word document of the factual accuracy check, and the comments that
//! come back in it), `pair/`
//! (an English and a Welsh letter carry the same facts), `preflight/`
//! (personal data and house style before publishing), `import/` (a
//! published letter read back into findings). `output.rs` writes
//! files so that no reader sees half of one, `report.rs` prints
//! diagnostics, `error.rs` is the one error type. Nothing here prints but
//! `report.rs`, called by the binary.

pub mod batch;
mod check;
mod compose;
mod dates;
pub mod diff;
pub mod docx;
pub mod edit;
pub mod error;
mod fields;
mod fonts;
pub mod format;
pub mod guide;
pub mod import;
mod layout;
pub mod letter;
pub mod load;
mod markup;
pub mod model;
pub mod output;
pub mod pair;
pub mod paths;
mod pipeline;
pub mod preflight;
pub mod report;
pub mod schema;
mod suggest;
pub mod templates;
mod typeset;
mod words;
mod world;
mod yaml;

pub use crate::error::{Diagnostic, Error, Severity, SourceFile};
pub use crate::format::Format;
pub use crate::load::Loaded;
pub use crate::pipeline::{
    DEFAULT_PPI, Exported, Options, Pipeline, Prepared, Setup, Typeset, datetime_from_unix,
};
pub use crate::typeset::forget_unused_for;
pub use crate::world::LetterWorld;
