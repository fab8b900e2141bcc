//! The pipeline in one place: discover -> read & parse (parallel) -> check -> link ->
//! render -> write. Commands load the book through [`Site`] rather than wiring stages
//! themselves.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{self, PreviousOutputs, StoredParses};
use crate::check;
use crate::config::Config;
use crate::diagnostics::{self, Diagnostic};
use crate::error::Result;
use crate::link::KnowledgeBase;
use crate::model::{Book, Factor, Incident};
use crate::output::{self, OutputFile};
use crate::parse::{self, ParseOptions};
use crate::render::{self, Theme};
use crate::search::{SearchIndex, export};
use crate::source;

/// A stage of the pipeline, reported to an observer (the command layer's progress bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reading {
        files: usize,
    },
    Linking,
    Checking,
    /// Rendering the pages, and making the static search index beside them.
    Rendering {
        pages: usize,
    },
    Writing {
        files: usize,
    },
}

mod edition;
mod publish;

pub use publish::{PublishOptions, Published, publish};

/// The files of the book at `root`, as `config` says where they are and which to skip.
pub fn discover(root: &Path, config: &Config) -> Result<source::Discovered> {
    source::discover(
        root,
        &config.content_dir(root),
        &config.build.ignore,
        config.build.max_file_size,
        &config.content_skips(root),
    )
}

/// What the book is loaded for; it decides what parsing keeps.
pub use crate::parse::Purpose;

pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub book: Book,
}

/// What a build produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub dest: PathBuf,
    /// Why the build cache could not be written, if it could not: the build itself
    /// succeeded.
    pub cache_error: Option<String>,
    /// Why the tantivy index of `incidentbook search` could not be brought up to date,
    /// if it could not: the site, static search included, was built all the same.
    pub search_error: Option<String>,
}

impl Site {
    /// Reads `book.toml` in `root` and the whole book, parsing in parallel, then runs
    /// every check.
    pub fn load(root: &Path, purpose: Purpose, observe: &dyn Fn(Stage)) -> Result<Site> {
        let config = Config::load(root)?;
        Self::load_with_config(root, config, purpose, observe)
    }

    pub fn load_with_config(
        root: &Path,
        config: Config,
        purpose: Purpose,
        observe: &dyn Fn(Stage),
    ) -> Result<Site> {
        Self::load_cached(root, config, purpose, observe, &mut ParseCache::default())
    }

    /// As [`Site::load_with_config`], parsing again only the files that changed since
    /// they were put in `cache` (by size and modification time; [`ParseCache::forget`]
    /// forces a file), and keeping `cache` up to date. `serve` rebuilds this way.
    pub fn load_cached(
        root: &Path,
        config: Config,
        purpose: Purpose,
        observe: &dyn Fn(Stage),
        cache: &mut ParseCache,
    ) -> Result<Site> {
        let content_dir = config.content_dir(root);
        let found = discover(root, &config)?;
        observe(Stage::Reading {
            files: found.incidents.len() + found.factors.len(),
        });
        let options = ParseOptions::from_config(&config, purpose);
        let parsed_incidents = read_and_parse(
            root,
            &content_dir,
            &found.incidents,
            &mut cache.incidents,
            &ParseIncidents {
                options: &options,
                stored: cache.stored.as_ref(),
            },
            config.build.max_file_size,
        );
        let parsed_factors = read_and_parse(
            root,
            &content_dir,
            &found.factors,
            &mut cache.factors,
            &ParseFactors(&options),
            config.build.max_file_size,
        );
        // Every source's bytes, in the discovery order (sorted), in one hash.
        let mut inputs = xxhash_rust::xxh3::Xxh3::new();

        let mut book = Book {
            files_read: found.incidents.len() + found.factors.len(),
            assets: found.assets,
            refused: found.refused,
            diagnostics: found.diagnostics,
            ..Book::default()
        };
        for ((incident, diags, hash), rel) in parsed_incidents.into_iter().zip(&found.incidents) {
            book.incidents.extend(incident);
            book.diagnostics.extend(diags);
            inputs.update(rel.as_os_str().as_encoded_bytes());
            inputs.update(&hash.to_le_bytes());
        }
        for ((factor, diags, hash), rel) in parsed_factors.into_iter().zip(&found.factors) {
            book.factors.extend(factor);
            book.diagnostics.extend(diags);
            inputs.update(rel.as_os_str().as_encoded_bytes());
            inputs.update(&hash.to_le_bytes());
        }
        book.inputs = inputs.digest128();
        // Newest first; the slug breaks ties so the order never depends on the disk.
        // In parallel and stable (the same order as `sort_by`): moving 10,000 parsed
        // post-mortems about was a moment where one core waited.
        if config.validation.profile == crate::config::Profile::Adopt {
            date_from_history(&mut book, &content_dir);
        }
        book.incidents
            .par_sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        if config.active == crate::config::Edition::Public {
            edition::keep_public(&mut book, &config);
        }
        if config.validation.profile == crate::config::Profile::Adopt {
            // The archive's own factors, grouped: each post-mortem's are read alone.
            // After the edition's filter, so that a suggested entry, which quotes its
            // post-mortems, quotes none the edition leaves out.
            let suggested = crate::suggest::catalogue(&book);
            book.factors.extend(suggested.into_iter().map(Arc::new));
        }
        book.factors.sort_by(|a, b| a.id.cmp(&b.id));
        crate::model::unify_terms(&mut book.incidents);

        Ok(Site {
            root: root.to_path_buf(),
            config,
            book,
        })
    }

    /// The cross-reference indexes, built once and shared by checking and rendering.
    pub fn knowledge_base(&self, observe: &dyn Fn(Stage)) -> KnowledgeBase<'_> {
        observe(Stage::Linking);
        KnowledgeBase::new(&self.book, self.config.as_of())
    }

    /// Every diagnostic: from reading and parsing, then from the checks, with the
    /// configured levels applied, in a stable order.
    pub fn check(&self, kb: &KnowledgeBase, observe: &dyn Fn(Stage)) -> Vec<Diagnostic> {
        observe(Stage::Checking);
        let mut all = self.book.diagnostics.clone();
        all.extend(check::check_book(&self.book, kb, &self.config));
        self.settle(all)
    }

    /// The diagnostics as reported: configured levels and suppressions applied, sorted.
    pub fn settle(&self, mut all: Vec<Diagnostic>) -> Vec<Diagnostic> {
        check::apply_levels(&mut all, &self.config);
        check::apply_suppressions(&mut all, &self.book.incidents);
        diagnostics::sort(&mut all);
        all
    }

    /// Renders and writes the site to `dest` (default: the configured build folder):
    /// each page is written to the staging folder as soon as it is rendered, and the
    /// folder replaces `dest` only when every page was written. With `cache_dir`, files
    /// whose inputs are unchanged since the last build are taken from it (the build
    /// cache's outputs) rather than made again.
    ///
    /// `search_index` gives the tantivy index of `incidentbook search`, brought up to date
    /// with `kb` (`build` makes it on a thread of its own, started before the checks, and
    /// passes a function that waits for it): it is called beside the rendering of the
    /// pages, and the static index of the site is read from it. When it fails, the build
    /// goes on with an index in memory (and reports why in [`BuildReport::search_error`]).
    pub fn build(
        &self,
        kb: &KnowledgeBase,
        dest: Option<&Path>,
        cache_dir: Option<&Path>,
        search_index: impl FnOnce() -> Result<SearchIndex> + Send,
        observe: &dyn Fn(Stage),
    ) -> Result<BuildReport> {
        let dest = dest
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.config.build_dir(&self.root));
        output::ensure_safe_destination(&dest, &self.root, &self.config.content_dir(&self.root))?;
        let theme = Theme::load(&self.config.theme_dir(&self.root))?;
        let previous =
            cache_dir.map(|dir| PreviousOutputs::open(dir, self.outputs_key(&theme, &dest), &dest));
        let staging = output::Staging::begin(&dest)?;
        observe(Stage::Rendering {
            pages: self.book.incidents.len(),
        });
        // The search indexes are made at the same time: they need the book, not the
        // pages. The static one, for the search box of the built site, is read from the
        // tantivy one; made from every post-mortem, it is reused only when no source
        // changed.
        let search_key = self.book.inputs as u64 ^ (self.book.inputs >> 64) as u64;
        // The search side runs on a thread of its own, not on one of rayon's: it waits
        // for `search_index`, which may wait for a thread that itself needs rayon's
        // workers (`build`'s indexing thread). A worker blocked on it could leave that
        // work with no thread to run it: cached builds hung that way.
        let (paths, (search_files, search_error)) = std::thread::scope(|scope| {
            let search = scope.spawn(|| {
                let index = search_index();
                let search_error = index.as_ref().err().map(|e| e.to_string());
                let files = || -> Result<Vec<String>> {
                    let reused = previous
                        .as_ref()
                        .and_then(|p| p.reuse_group(export::FOLDER, search_key));
                    let files = match reused {
                        Some(files) => files
                            .into_iter()
                            .map(|(path, from)| OutputFile {
                                path,
                                contents: output::Contents::Link(from),
                            })
                            .collect(),
                        None => {
                            let files = export::files_or_in_memory(
                                kb,
                                index.as_ref().ok(),
                                &crate::search::Synonyms::of(&self.config.search),
                            )?;
                            if let Some(p) = &previous {
                                files.iter().for_each(|f| p.record(&f.path, search_key));
                            }
                            files
                        }
                    };
                    files
                        .into_iter()
                        .map(|file| staging.write(&file).map(|()| file.path))
                        .collect()
                };
                (files(), search_error)
            });
            let paths = render::render_site(
                kb,
                &theme,
                &self.config,
                &self.config.content_dir(&self.root),
                &|file: OutputFile| staging.write(&file),
                previous.as_ref().map(|p| p as &dyn render::PageMemo),
            );
            let search = search
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (paths, search)
        });
        let mut paths = paths?;
        paths.extend(search_files?);
        observe(Stage::Writing { files: paths.len() });
        staging.commit()?;
        let cache_error = match (previous, cache_dir) {
            (Some(previous), Some(dir)) => previous.save(dir).err().map(|e| e.to_string()),
            _ => None,
        };
        Ok(BuildReport {
            pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
            files: paths.len(),
            dest,
            cache_error,
            search_error,
        })
    }

    /// What every output of a build depends on besides its own data: this binary, the
    /// configuration, the theme and the build folder (whose files are reused).
    fn outputs_key(&self, theme: &Theme, dest: &Path) -> u128 {
        let mut settings = serde_json::to_vec(&self.config).unwrap_or_default();
        settings.extend_from_slice(&theme.fingerprint.to_le_bytes());
        settings.extend_from_slice(
            std::path::absolute(dest)
                .unwrap_or_default()
                .as_os_str()
                .as_encoded_bytes(),
        );
        cache::binary_key(&settings)
    }
}

/// Dates the post-mortems that state no date anywhere (adopt profile) by the day git
/// first recorded their file, and says so on their page.
fn date_from_history(book: &mut Book, content_dir: &Path) {
    let undated: Vec<&Path> = book
        .incidents
        .iter()
        .filter(|i| i.date.is_none())
        .map(|i| i.content_path.as_path())
        .collect();
    let dates = source::history::first_committed(content_dir, &undated);
    for incident in &mut book.incidents {
        if incident.date.is_some() {
            continue;
        }
        if let Some(&date) = dates.get(&incident.content_path) {
            let incident = Arc::make_mut(incident);
            incident.meta.date = Some(date);
            incident.inferred.push((
                "date".to_owned(),
                "the day git first recorded the file".to_owned(),
            ));
        }
    }
}

/// What a file parsed to, with the size and modification time it had and the hash of
/// its bytes.
struct Parsed<T> {
    stamp: Option<(u64, u128)>,
    hash: u128,
    value: Option<Arc<T>>,
    diagnostics: Vec<Diagnostic>,
}

/// The parse of every file by path, kept between rebuilds by `serve`, and optionally
/// backed by the build cache on disk ([`ParseCache::stored`]). Only valid for one
/// configuration: empty it ([`ParseCache::clear`]) when book.toml changes.
#[derive(Default)]
pub struct ParseCache {
    incidents: HashMap<PathBuf, Parsed<Incident>>,
    factors: HashMap<PathBuf, Parsed<Factor>>,
    /// Post-mortems' parses from earlier builds, by content.
    stored: Option<StoredParses>,
}

impl ParseCache {
    /// A cache that also takes post-mortems' parses from the build cache in
    /// `cache_dir`, made by this binary with `config` (which decides how files are
    /// parsed) for the book at `root`; [`ParseCache::take_stored`] gives it back to be
    /// written.
    pub fn stored(cache_dir: &Path, root: &Path, config: &Config) -> ParseCache {
        // Diagnostics' file names are relative to the root as given.
        let mut settings = serde_json::to_vec(config).unwrap_or_default();
        settings.extend_from_slice(root.as_os_str().as_encoded_bytes());
        // The roster is read from its own file: its names decide the leak findings.
        for name in &config.leaks.roster_names {
            settings.extend_from_slice(name.as_bytes());
            settings.push(b'\n');
        }
        ParseCache {
            stored: Some(StoredParses::open(cache_dir, cache::binary_key(&settings))),
            ..ParseCache::default()
        }
    }

    /// The post-mortems' parses of the last load, to be written to the build cache
    /// ([`StoredParses::save`]), if backed by one.
    pub fn take_stored(&mut self) -> Option<StoredParses> {
        self.stored.take()
    }

    pub fn clear(&mut self) {
        self.incidents.clear();
        self.factors.clear();
    }

    /// The stamps of the sources of the last load, each taken before the file was read
    /// (a file edited since is out of date in them), for the search index's manifest:
    /// the same as [`crate::search::source_stamps`] without walking the folder and
    /// asking for every file's metadata again.
    pub fn source_stamps(&self, root: &Path) -> crate::search::Stamps {
        let incidents = self.incidents.iter().map(|(rel, p)| (rel, p.stamp));
        let factors = self.factors.iter().map(|(rel, p)| (rel, p.stamp));
        let stamped = incidents
            .chain(factors)
            .filter_map(|(rel, stamp)| Some((rel.as_path(), stamp?)));
        crate::search::stamps_from(root, stamped)
    }

    /// Forgets `rel` (relative to the content folder), so that it is read again even
    /// if its size and modification time look unchanged (a save within the same clock
    /// tick).
    pub fn forget(&mut self, rel: &Path) {
        self.incidents.remove(rel);
        self.factors.remove(rel);
    }
}

/// How one kind of file is parsed, and where earlier parses of it may be stored.
trait Parse<T>: Sync {
    fn parse(&self, text: &str, shown: &Path, rel: &Path) -> (Option<T>, Vec<Diagnostic>);
    fn stored(&self, _rel: &Path, _hash: u128) -> Option<T> {
        None
    }
    fn store(&self, _rel: &Path, _hash: u128, _value: &T) {}
}

/// The most files a thread parses in one go. Rayon otherwise hands each thread a few
/// long runs of files, and cannot split a run once it is started: the thread left
/// with the last run parsed alone for up to a tenth of a second on a large book.
const PARSE_BATCH: usize = 8;

/// Reads and parses `files` (relative to `content_dir`) in parallel, but for those whose
/// size and modification time match their entry in `cache`, or whose bytes match a
/// stored parse; a file that cannot be read yields its diagnostic instead of a value.
/// `cache` ends holding exactly `files`.
fn read_and_parse<T: Send + Sync>(
    root: &Path,
    content_dir: &Path,
    files: &[PathBuf],
    cache: &mut HashMap<PathBuf, Parsed<T>>,
    how: &impl Parse<T>,
    max_file_size: u64,
) -> Vec<(Option<Arc<T>>, Vec<Diagnostic>, u128)> {
    let old = std::mem::take(cache);
    let fresh: Vec<Parsed<T>> = files
        .par_iter()
        .with_max_len(PARSE_BATCH)
        .map(|rel| {
            let path = content_dir.join(rel);
            let stamp = source::stamp(&path);
            if let Some(hit) = old.get(rel)
                && hit.stamp.is_some()
                && hit.stamp == stamp
            {
                return Parsed {
                    stamp,
                    hash: hit.hash,
                    value: hit.value.clone(),
                    diagnostics: hit.diagnostics.clone(),
                };
            }
            // Diagnostics name files relative to the book root.
            let shown = path
                .strip_prefix(root)
                .map_or_else(|_| path.clone(), Path::to_path_buf);
            let (text, warning) = match source::read_text(&path, &shown, max_file_size) {
                Ok(read) => read,
                Err(d) => {
                    return Parsed {
                        stamp,
                        hash: 0,
                        value: None,
                        diagnostics: vec![d],
                    };
                }
            };
            let hash = cache::content_hash(text.as_bytes());
            let (value, mut diagnostics) = match how.stored(rel, hash) {
                Some(value) => (Some(value), Vec::new()),
                None => {
                    let (value, diagnostics) = how.parse(&text, &shown, rel);
                    // Only clean parses are stored: the rare file with parse
                    // diagnostics is parsed again, so no diagnostic is ever stored.
                    if let Some(v) = value.as_ref().filter(|_| diagnostics.is_empty()) {
                        how.store(rel, hash, v);
                    }
                    (value, diagnostics)
                }
            };
            diagnostics.extend(warning);
            Parsed {
                stamp,
                hash,
                value: value.map(Arc::new),
                diagnostics,
            }
        })
        .collect();
    let out = fresh
        .iter()
        .map(|p| (p.value.clone(), p.diagnostics.clone(), p.hash))
        .collect();
    cache.extend(files.iter().cloned().zip(fresh));
    out
}

struct ParseIncidents<'a> {
    options: &'a ParseOptions,
    stored: Option<&'a StoredParses>,
}

impl Parse<Incident> for ParseIncidents<'_> {
    fn parse(&self, text: &str, shown: &Path, rel: &Path) -> (Option<Incident>, Vec<Diagnostic>) {
        parse::parse_incident(text, shown, rel, self.options)
    }
    fn stored(&self, rel: &Path, hash: u128) -> Option<Incident> {
        self.stored?.get(rel, hash)
    }
    fn store(&self, rel: &Path, hash: u128, value: &Incident) {
        if let Some(stored) = self.stored {
            stored.put(rel, hash, value);
        }
    }
}

/// Factor descriptions are few and small: never stored.
struct ParseFactors<'a>(&'a ParseOptions);

impl Parse<Factor> for ParseFactors<'_> {
    fn parse(&self, text: &str, shown: &Path, rel: &Path) -> (Option<Factor>, Vec<Diagnostic>) {
        parse::parse_factor(text, shown, rel, self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Site::build` calls `search_index` on a thread of its own, never on one of rayon's
    /// workers: `build` passes a function that waits for its indexing thread, which
    /// itself runs rayon jobs, and a worker blocked in that wait made cached builds hang
    /// now and then (a deadlock no test could catch reliably, hence this test of the
    /// rule rather than of the hang).
    #[test]
    fn the_search_index_is_awaited_off_rayons_threads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = Site::load(root, Purpose::Build, &|_| {}).unwrap();
        let kb = site.knowledge_base(&|_| {});
        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("site");
        let on_worker = std::sync::Mutex::new(None);
        site.build(
            &kb,
            Some(&dest),
            None,
            || {
                *on_worker.lock().unwrap() = Some(rayon::current_thread_index().is_some());
                crate::search::SearchIndex::in_memory(&kb, Default::default())
            },
            &|_| {},
        )
        .unwrap();
        assert_eq!(*on_worker.lock().unwrap(), Some(false));
        assert!(dest.join("index.html").exists());
    }
}
