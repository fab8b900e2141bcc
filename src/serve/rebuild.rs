//! Rebuilding the site in memory for `serve`: only changed files are parsed again and
//! only pages whose data changed are rendered again; the result is a [`Snapshot`] that
//! replaces the served one only when complete.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostics::{self, Summary};
use crate::error::Result;
use crate::output::{Contents, OutputFile};
use crate::render::{self, PageCache, Theme};
use crate::search::SearchIndex;
use crate::site::{ParseCache, Purpose, Site};

/// A file of the site as served: bytes in memory, or a file copied as is (images).
#[derive(Clone)]
pub enum Body {
    Bytes(Arc<Vec<u8>>),
    File(PathBuf),
}

/// One complete build of the site, served from memory.
pub struct Snapshot {
    /// Files by path under the site root, without a leading `/`.
    pub files: HashMap<String, Body>,
    /// The content folder: files copied from it must resolve inside it.
    pub content_dir: PathBuf,
    /// Counts up with every successful build; pages carry it, so a browser that missed
    /// a reload notices.
    pub version: u64,
    /// The static search index (`search/…`), made after the reload is sent.
    pub search_files: OnceLock<HashMap<String, Body>>,
    /// The tantivy index for `/api/search`, brought up to date after the reload.
    pub search_index: OnceLock<std::result::Result<SearchIndex, String>>,
}

/// What changed since the last build.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Files under the content folder, relative to it.
    pub content: Vec<PathBuf>,
    /// book.toml, or a file of the theme: everything is rebuilt.
    pub everything: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.everything
    }

    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.everything |= other.everything;
    }
}

/// The outcome of a rebuild.
pub enum Outcome {
    Built {
        snapshot: Arc<Snapshot>,
        /// The book it was built from, for [`index_search`].
        site: Box<Site>,
        took: Duration,
        /// Pages rendered anew (the others were unchanged).
        rendered: usize,
    },
    /// Errors in the content (as `check` prints them), or a configuration that cannot
    /// be read; the last good snapshot stays served.
    Failed { report: String },
}

/// Keeps what a rebuild can reuse: parses, rendered pages, the theme.
pub struct Builder {
    root: PathBuf,
    /// `--profile`, overriding book.toml's.
    profile: Option<crate::config::Profile>,
    parses: ParseCache,
    pages: PageCache,
    theme: Option<Theme>,
    version: u64,
}

impl Builder {
    pub fn new(root: &Path, profile: Option<crate::config::Profile>) -> Builder {
        Builder {
            root: root.to_path_buf(),
            profile,
            parses: ParseCache::default(),
            pages: PageCache::default(),
            theme: None,
            version: 0,
        }
    }

    /// Rebuilds after `changes` (everything the first time).
    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        let started = Instant::now();
        match self.try_rebuild(changes) {
            Ok(Ok((snapshot, site, rendered))) => Outcome::Built {
                snapshot,
                site: Box::new(site),
                took: started.elapsed(),
                rendered,
            },
            Ok(Err(report)) => Outcome::Failed { report },
            Err(e) => Outcome::Failed {
                report: format!("error: {e}\n"),
            },
        }
    }

    /// `Ok(Err(report))` when the content has errors.
    #[allow(clippy::type_complexity)]
    fn try_rebuild(
        &mut self,
        changes: &Changes,
    ) -> Result<std::result::Result<(Arc<Snapshot>, Site, usize), String>> {
        let mut config = Config::load(&self.root)?;
        if let Some(profile) = self.profile {
            config.validation.profile = profile;
        }
        if changes.everything || self.theme.is_none() {
            self.parses.clear();
            self.pages.clear();
            self.theme = None;
        }
        for rel in &changes.content {
            self.parses.forget(rel);
        }
        let theme = match self.theme.take() {
            Some(theme) => theme,
            None => Theme::load(&config.theme_dir(&self.root))?,
        };
        let content_dir = config.content_dir(&self.root);
        let site = Site::load_cached(
            &self.root,
            config,
            Purpose::Build,
            &|_| {},
            &mut self.parses,
        );
        let site = match site {
            Ok(site) => site,
            Err(e) => {
                self.theme = Some(theme);
                return Err(e);
            }
        };
        let kb = site.knowledge_base(&|_| {});
        let found = site.check(&kb, &|_| {});
        if found.iter().any(|d| d.is_error()) {
            self.theme = Some(theme);
            let shown: Vec<_> = found.into_iter().filter(|d| !d.silenced).collect();
            let mut report = diagnostics::render_human(&shown, &self.root, false);
            report.push_str(&Summary::of(&shown).line(site.book.files_read));
            report.push('\n');
            return Ok(Err(report));
        }
        let files = Mutex::new(HashMap::new());
        self.pages.take_misses();
        let result = render::render_site(
            &kb,
            &theme,
            &site.config,
            &content_dir,
            &|file: OutputFile| {
                files
                    .lock()
                    .expect("no panics while holding the lock")
                    .insert(file.path, body(file.contents));
                Ok(())
            },
            Some(&self.pages),
        );
        self.theme = Some(theme);
        drop(kb);
        result?;
        let rendered = self.pages.take_misses();
        self.version += 1;
        let snapshot = Arc::new(Snapshot {
            files: files
                .into_inner()
                .expect("no panics while holding the lock"),
            content_dir,
            version: self.version,
            search_files: OnceLock::new(),
            search_index: OnceLock::new(),
        });
        Ok(Ok((snapshot, site, rendered)))
    }
}

/// Makes the search indexes of `snapshot` (the static one of the site's search box, and
/// the tantivy one of `/api/search`) from the book it was built from. Run after the
/// reload was sent, so that searching never delays the preview.
pub fn index_search(site: &Site, snapshot: &Snapshot, cache_dir: &Path) {
    // One writer of the tantivy cache at a time.
    static TANTIVY: Mutex<()> = Mutex::new(());
    let kb = site.knowledge_base(&|_| {});
    let files = crate::search::export::files(&kb)
        .into_iter()
        .map(|f| (f.path, body(f.contents)))
        .collect();
    let _ = snapshot.search_files.set(files);
    let _guard = TANTIVY.lock().unwrap_or_else(|e| e.into_inner());
    let index = crate::search::source_stamps(&site.root, &site.config)
        .and_then(|stamps| SearchIndex::open(cache_dir, &kb, &stamps))
        .map_err(|e| e.to_string());
    let _ = snapshot.search_index.set(index);
}

fn body(contents: Contents) -> Body {
    match contents {
        Contents::Bytes(bytes) => Body::Bytes(Arc::new(bytes)),
        Contents::Shared(bytes) => Body::Bytes(bytes),
        Contents::Copy(path) | Contents::Link(path) => Body::File(path),
    }
}
