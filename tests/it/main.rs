//! The integration tests: one binary, so the typst crates link once.

mod batch;
mod cli;
mod common;
mod errors;
mod html;
mod letters;
mod literal_text;
mod pair;
mod publishing;
mod snapshots;
mod welsh;
