//! The pipeline in one place: discover -> read & parse (parallel) -> check -> link ->
//! render -> write. Commands load the book through [`Site`] rather than wiring stages
//! themselves.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::check;
use crate::config::Config;
use crate::diagnostics::{self, Diagnostic};
use crate::error::Result;
use crate::link::KnowledgeBase;
use crate::model::{Book, Factor, Incident};
use crate::output::{self, OutputFile};
use crate::parse::{self, ParseOptions};
use crate::render::{self, Theme};
use crate::source;

/// A stage of the pipeline, reported to an observer (the command layer's progress bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reading {
        files: usize,
    },
    Linking,
    Checking,
    Rendering {
        pages: usize,
    },
    /// Exporting the static search index of the site.
    Indexing,
    Writing {
        files: usize,
    },
}

/// What the book is loaded for: `Check` skips producing HTML, which only rendering needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Check,
    Build,
}

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
        let found = source::discover(root, &content_dir, &config.build.ignore)?;
        observe(Stage::Reading {
            files: found.incidents.len() + found.factors.len(),
        });
        let options = ParseOptions::from_config(&config, purpose == Purpose::Build);
        let parsed_incidents = read_and_parse(
            root,
            &content_dir,
            &found.incidents,
            &mut cache.incidents,
            |text, shown, rel| parse::parse_incident(text, shown, rel, &options),
        );
        let parsed_factors = read_and_parse(
            root,
            &content_dir,
            &found.factors,
            &mut cache.factors,
            |text, shown, rel| parse::parse_factor(text, shown, rel, &options),
        );

        let mut book = Book {
            files_read: found.incidents.len() + found.factors.len(),
            assets: found.assets,
            diagnostics: found.diagnostics,
            ..Book::default()
        };
        for (incident, diags) in parsed_incidents {
            book.incidents.extend(incident);
            book.diagnostics.extend(diags);
        }
        for (factor, diags) in parsed_factors {
            book.factors.extend(factor);
            book.diagnostics.extend(diags);
        }
        // Newest first; the slug breaks ties so the order never depends on the disk.
        book.incidents
            .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        book.factors.sort_by(|a, b| a.id.cmp(&b.id));

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
        check::apply_levels(&mut all, &self.config);
        check::apply_suppressions(&mut all, &self.book);
        diagnostics::sort(&mut all);
        all
    }

    /// Renders and writes the site to `dest` (default: the configured build folder):
    /// each page is written to the staging folder as soon as it is rendered, and the
    /// folder replaces `dest` only when every page was written.
    pub fn build(
        &self,
        kb: &KnowledgeBase,
        dest: Option<&Path>,
        observe: &dyn Fn(Stage),
    ) -> Result<BuildReport> {
        let dest = dest
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.config.build_dir(&self.root));
        output::ensure_safe_destination(&dest, &self.root, &self.config.content_dir(&self.root))?;
        let theme = Theme::load(&self.config.theme_dir(&self.root))?;
        let staging = output::Staging::begin(&dest)?;
        observe(Stage::Rendering {
            pages: self.book.incidents.len(),
        });
        let mut paths = render::render_site(
            kb,
            &theme,
            &self.config,
            &self.config.content_dir(&self.root),
            &|file: OutputFile| staging.write(&file),
            None,
        )?;
        // The static search index, for the search box of the built site.
        observe(Stage::Indexing);
        for file in crate::search::export::files(kb) {
            staging.write(&file)?;
            paths.push(file.path);
        }
        observe(Stage::Writing { files: paths.len() });
        staging.commit()?;
        Ok(BuildReport {
            pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
            files: paths.len(),
            dest,
        })
    }
}

/// What a file parsed to, with the size and modification time it had.
struct Parsed<T> {
    stamp: Option<(u64, u128)>,
    value: Option<Arc<T>>,
    diagnostics: Vec<Diagnostic>,
}

/// The parse of every file by path, kept between rebuilds by `serve`. Only valid for one
/// configuration: empty it ([`ParseCache::clear`]) when book.toml changes.
#[derive(Default)]
pub struct ParseCache {
    incidents: HashMap<PathBuf, Parsed<Incident>>,
    factors: HashMap<PathBuf, Parsed<Factor>>,
}

impl ParseCache {
    pub fn clear(&mut self) {
        self.incidents.clear();
        self.factors.clear();
    }

    /// Forgets `rel` (relative to the content folder), so that it is read again even
    /// if its size and modification time look unchanged (a save within the same clock
    /// tick).
    pub fn forget(&mut self, rel: &Path) {
        self.incidents.remove(rel);
        self.factors.remove(rel);
    }
}

/// Reads and parses `files` (relative to `content_dir`) in parallel, but for those whose
/// size and modification time match their entry in `cache`; a file that cannot be read
/// yields its diagnostic instead of a value. `cache` ends holding exactly `files`.
fn read_and_parse<T: Send + Sync>(
    root: &Path,
    content_dir: &Path,
    files: &[PathBuf],
    cache: &mut HashMap<PathBuf, Parsed<T>>,
    parse: impl Fn(&str, &Path, &Path) -> (Option<T>, Vec<Diagnostic>) + Sync,
) -> Vec<(Option<Arc<T>>, Vec<Diagnostic>)> {
    let old = std::mem::take(cache);
    let fresh: Vec<Parsed<T>> = files
        .par_iter()
        .map(|rel| {
            let path = content_dir.join(rel);
            let stamp = source::stamp(&path);
            if let Some(hit) = old.get(rel)
                && hit.stamp.is_some()
                && hit.stamp == stamp
            {
                return Parsed {
                    stamp,
                    value: hit.value.clone(),
                    diagnostics: hit.diagnostics.clone(),
                };
            }
            // Diagnostics name files relative to the book root.
            let shown = path
                .strip_prefix(root)
                .map_or_else(|_| path.clone(), Path::to_path_buf);
            let (value, diagnostics) = match source::read_text(&path, &shown) {
                Ok(text) => parse(&text, &shown, rel),
                Err(d) => (None, vec![d]),
            };
            Parsed {
                stamp,
                value: value.map(Arc::new),
                diagnostics,
            }
        })
        .collect();
    let out = fresh
        .iter()
        .map(|p| (p.value.clone(), p.diagnostics.clone()))
        .collect();
    cache.extend(files.iter().cloned().zip(fresh));
    out
}
