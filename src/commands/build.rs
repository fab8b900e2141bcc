use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use super::{Ui, exit, plural, stage_observer};
use crate::error::Result;
use crate::site::{PublishOptions, publish};

/// `incidentbook build`: check, then render and write the site and bring the index of
/// `incidentbook search` up to date (`site::publish`); refuses to publish a book with
/// errors, leaving the previous site as it was.
pub fn run(root: &Path, dest: Option<&Path>, use_cache: bool, ui: Ui) -> Result<ExitCode> {
    let started = Instant::now();
    let bar = ui.progress();
    let observe = stage_observer(&bar, &ui);
    let config = super::load_config(root, &ui)?;
    let options = PublishOptions { dest, use_cache };
    let published = publish(root, config, options, &observe)?;
    bar.finish_and_clear();
    let Some(report) = &published.report else {
        ui.report(&published.diagnostics, root, published.files_read);
        eprintln!("error: the site was not built; the previous build, if any, is unchanged");
        return Ok(exit(crate::error::exit::CONTENT));
    };
    if let Some(e) = &published.cache_error {
        ui.warn(format!(
            "could not write the build cache in .incidentbook/build ({e}); the next build will not be faster"
        ));
    }
    if let Some(e) = &report.search_error {
        ui.warn(format!(
            "the site was built, but not the index of `incidentbook search`: {e}"
        ));
    }
    if !published.diagnostics.is_empty() {
        ui.report(&published.diagnostics, root, published.files_read);
    }
    ui.info(format!(
        "built {} ({}, {}) into {} in {:.2}s",
        plural(published.post_mortems, "post-mortem"),
        plural(report.pages, "page"),
        plural(report.files, "file"),
        report.dest.display(),
        started.elapsed().as_secs_f64()
    ));
    // The process ends here: freeing the diagnostics one by one would only cost time.
    std::mem::forget(published);
    Ok(ExitCode::SUCCESS)
}
