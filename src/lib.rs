//! incidentbook: a static site generator for blameless post-mortem knowledge bases.
//!
//! The pipeline, its modules and the rules between them are described in
//! ARCHITECTURE.md. In short: `source` reads files, `parse` turns one file into a
//! `model` value, `check` finds problems, `link` indexes the whole book, `render`
//! produces pages, `output` writes them; `site` runs the stages in order and `commands`
//! is the only layer that knows about the terminal.

// A `Diagnostic` returned as an error is a value on the cold path, never a hot one;
// boxing it everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod cache;
pub mod check;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod error;
pub mod import;
pub mod insights;
pub mod language;
pub mod leaks;
pub mod link;
pub mod model;
pub mod output;
pub mod parse;
pub mod render;
pub mod script;
pub mod search;
pub mod serve;
pub mod similar;
pub mod site;
pub mod source;
pub mod suggest;
pub mod text;
pub mod urls;
pub mod workers;

pub use error::{Error, Result};
