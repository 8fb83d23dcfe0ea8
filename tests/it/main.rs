//! The integration tests: one binary, so the typst crates link once.

// Unwrapping is how a test stops with its reason.
#![allow(clippy::unwrap_used)]

mod batch;
mod cli;
mod common;
mod diff;
mod edit;
mod errors;
mod html;
mod letters;
mod literal_text;
mod pair;
mod preflight;
mod publishing;
mod safety;
mod snapshots;
mod watch;
mod welsh;
