use std::path::Path;
use std::process::ExitCode;

use super::Ui;
use crate::error::Result;

pub use crate::serve::Options;

/// `incidentbook serve`: builds the site in memory, serves it, and with `--watch`
/// rebuilds on every change and reloads the browsers (`serve::run`).
pub fn run(root: &Path, options: &Options, ui: Ui) -> Result<ExitCode> {
    let config = super::load_config(root, &ui)?;
    crate::serve::run(root, &config, options, ui.profile, ui.quiet)?;
    Ok(ExitCode::SUCCESS)
}
