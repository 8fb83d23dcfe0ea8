//! The integration tests: one binary, so the typst crates link once.

// Unwrapping is how a test stops with its reason.
#![allow(clippy::unwrap_used)]

mod batch;
mod cli;
mod comments;
mod common;
mod diff;
mod edit;
mod errors;
mod html;
mod import;
mod letters;
mod literal_text;
mod pair;
mod preflight;
mod publishing;
mod safety;
mod snapshots;
mod watch;
mod welsh;
mod word;
