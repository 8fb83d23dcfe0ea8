//! The integration tests: one binary, so the typst crates link once.

mod batch;
mod cli;
mod common;
mod diff;
mod errors;
mod html;
mod letters;
mod literal_text;
mod preflight;
mod publishing;
mod snapshots;
