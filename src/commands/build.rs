use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use super::{EXIT_CONTENT, Ui, exit, plural, stage_observer};
use crate::error::Result;
use crate::site::Purpose;

/// `incidentbook build`: check, then render and write the site; refuses to publish a
/// book with errors.
pub fn run(root: &Path, dest: Option<&Path>, ui: Ui) -> Result<ExitCode> {
    let started = Instant::now();
    let bar = ui.progress();
    let observe = stage_observer(&bar, &ui);
    let site = super::load_site(root, Purpose::Build, &ui, &observe)?;
    let kb = site.knowledge_base(&observe);
    let diagnostics = site.check(&kb, &observe);
    if diagnostics.iter().any(|d| d.is_error()) {
        bar.finish_and_clear();
        ui.report(&diagnostics, root, site.book.files_read);
        eprintln!("error: the site was not built; the previous build, if any, is unchanged");
        return Ok(exit(EXIT_CONTENT));
    }
    let report = site.build(&kb, dest, &observe)?;
    bar.finish_and_clear();
    if !diagnostics.is_empty() {
        ui.report(&diagnostics, root, site.book.files_read);
    }
    ui.info(format!(
        "built {} ({}, {}) into {} in {:.2}s",
        plural(site.book.incidents.len(), "post-mortem"),
        plural(report.pages, "page"),
        plural(report.files, "file"),
        report.dest.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(ExitCode::SUCCESS)
}
