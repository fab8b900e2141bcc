use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use super::{Ui, exit, plural, stage_observer};
use crate::error::Result;
use crate::search::SearchIndex;
use crate::site::{ParseCache, Purpose, Site};

/// `incidentbook build`: check, then render and write the site and, at the same time,
/// bring the tantivy index of `incidentbook search` (`.incidentbook/search/`) up to
/// date; refuses to publish a book with errors. With `use_cache`, what is unchanged
/// since the last build is taken from the build cache (`.incidentbook/build/`) and the
/// search index is updated rather than made anew; the output is the same byte for byte
/// either way.
pub fn run(root: &Path, dest: Option<&Path>, use_cache: bool, ui: Ui) -> Result<ExitCode> {
    let started = Instant::now();
    let bar = ui.progress();
    let observe = stage_observer(&bar, &ui);
    let config = super::load_config(root, &ui)?;
    let cache_dir = use_cache.then(|| crate::config::cache_dir(root));
    let mut parses = match &cache_dir {
        Some(dir) => ParseCache::stored(dir, root, &config),
        None => ParseCache::default(),
    };
    let site = Site::load_cached(root, config, Purpose::Build, &observe, &mut parses)?;
    // Each taken before its file was read: a source edited during the build leaves the
    // search index's manifest out of date, so the next search updates it.
    let stamps = parses.source_stamps(root);
    // Written while the build goes on: it is mostly waiting on the disk.
    let saving = cache_dir
        .clone()
        .zip(parses.take_stored())
        .map(|(dir, stored)| {
            std::thread::spawn(move || stored.save(&dir).err().map(|e| e.to_string()))
        });
    let kb = site.knowledge_base(&observe);
    let search_dir = crate::config::cache_dir(root);
    // The tantivy index needs the book and its cross-links, not the checks nor the
    // theme: it is made on a thread of its own from here, while they run (one core
    // waited through part of them). A book with errors waits for it before exiting.
    let built = std::thread::scope(|scope| -> Result<Option<_>> {
        let indexing = scope.spawn(|| {
            if !use_cache {
                SearchIndex::remove(&search_dir);
            }
            SearchIndex::open(&search_dir, &kb, &stamps)
        });
        let diagnostics = site.check(&kb, &observe);
        if diagnostics.iter().any(|d| d.is_error()) {
            bar.finish_and_clear();
            ui.report(&diagnostics, root, site.book.files_read);
            eprintln!("error: the site was not built; the previous build, if any, is unchanged");
            return Ok(None);
        }
        let report = site.build(
            &kb,
            dest,
            cache_dir.as_deref(),
            || {
                indexing
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            },
            &observe,
        )?;
        Ok(Some((report, diagnostics)))
    })?;
    let Some((report, diagnostics)) = built else {
        return Ok(exit(crate::error::exit::CONTENT));
    };
    let cache_error = saving
        .and_then(|s| s.join().unwrap_or_else(|_| Some("panicked".to_owned())))
        .or(report.cache_error.clone());
    bar.finish_and_clear();
    if let Some(e) = cache_error {
        ui.warn(format!(
            "could not write the build cache in .incidentbook/build ({e}); the next build will not be faster"
        ));
    }
    if let Some(e) = &report.search_error {
        ui.warn(format!(
            "the site was built, but not the index of `incidentbook search`: {e}"
        ));
    }
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
    // The process ends here: freeing the book piece by piece would only cost time (a
    // tenth of a second or more for a large book), as the system takes it back whole.
    std::mem::forget(diagnostics);
    std::mem::forget(kb);
    std::mem::forget(parses);
    std::mem::forget(site);
    Ok(ExitCode::SUCCESS)
}
