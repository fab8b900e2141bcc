//! The whole of `incidentbook build`: read (from the build cache where it can), link,
//! check, and, when the book has no errors, render and write the site while the
//! tantivy index of `incidentbook search` is brought up to date beside it. The command
//! only reports what this returns.

use std::path::Path;

use super::{BuildReport, ParseCache, Purpose, Site, Stage};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::error::Result;
use crate::search::SearchIndex;

/// What `publish` needs besides the book.
pub struct PublishOptions<'a> {
    /// Where the site goes, instead of `[build] build-dir`.
    pub dest: Option<&'a Path>,
    /// Take what is unchanged since the last build from `.incidentbook/`, and update
    /// the search index rather than make it anew. The output is the same either way.
    pub use_cache: bool,
}

/// What a build did.
pub struct Published {
    pub diagnostics: Vec<Diagnostic>,
    /// Files read (post-mortems, factors, assets), for the summary line.
    pub files_read: usize,
    pub post_mortems: usize,
    /// The site written, or `None` when the book has errors and nothing was written.
    pub report: Option<BuildReport>,
    /// Why the build cache could not be written, if it could not.
    pub cache_error: Option<String>,
}

/// Builds the book at `root` with `config`.
pub fn publish(
    root: &Path,
    config: Config,
    options: PublishOptions,
    observe: &dyn Fn(Stage),
) -> Result<Published> {
    let cache_dir = options.use_cache.then(|| config.edition_cache_dir(root));
    let mut parses = match &cache_dir {
        Some(dir) => ParseCache::stored(dir, root, &config),
        None => ParseCache::default(),
    };
    let site = Site::load_cached(root, config, Purpose::Build, observe, &mut parses)?;
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
    let kb = site.knowledge_base(observe);
    let search_dir = site.config.edition_cache_dir(root);
    // The tantivy index needs the book and its cross-links, not the checks nor the
    // theme: it is made on a thread of its own from here, while they run (one core
    // waited through part of them). A book with errors waits for it before returning.
    let (diagnostics, report) = std::thread::scope(|scope| -> Result<_> {
        let indexing = scope.spawn(|| {
            if !options.use_cache {
                SearchIndex::remove(&search_dir);
            }
            SearchIndex::open(
                &search_dir,
                &kb,
                &stamps,
                crate::search::Synonyms::of(&site.config.search),
            )
        });
        let diagnostics = site.check(&kb, observe);
        if diagnostics.iter().any(|d| d.is_error()) {
            return Ok((diagnostics, None));
        }
        let report = site.build(
            &kb,
            options.dest,
            cache_dir.as_deref(),
            || {
                indexing
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            },
            observe,
        )?;
        Ok((diagnostics, Some(report)))
    })?;
    let cache_error = saving
        .and_then(|s| s.join().unwrap_or_else(|_| Some("panicked".to_owned())))
        .or(report.as_ref().and_then(|r| r.cache_error.clone()));
    let published = Published {
        diagnostics,
        files_read: site.book.files_read,
        post_mortems: site.book.incidents.len(),
        report,
        cache_error,
    };
    // The command ends soon after: freeing the book piece by piece would only cost
    // time (a tenth of a second or more for a large book), as the system takes it
    // back whole when the process exits.
    std::mem::forget(kb);
    std::mem::forget(parses);
    std::mem::forget(site);
    Ok(published)
}
