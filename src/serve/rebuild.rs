//! Rebuilding the site in memory for `serve`: only changed files are parsed again and
//! only pages whose data changed are rendered again; the result is a [`Snapshot`] that
//! replaces the served one only when complete.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::check;
use crate::config::Config;
use crate::diagnostics::{self, Diagnostic, Summary};
use crate::error::Result;
use crate::link::KnowledgeBase;
use crate::model::{Book, Incident, ReferenceKind};
use crate::output::{Contents, OutputFile, Packed};
use crate::parse::{self, ParseOptions};
use crate::render::{self, PageCache, Theme};
use crate::search::{SearchIndex, Synonyms};
use crate::site::{ParseCache, Purpose, Site};

/// A file of the site as served: bytes in memory, pages compressed in memory (shared
/// with the page memo), or a file copied as is (images).
#[derive(Clone)]
pub enum Body {
    Bytes(Arc<Vec<u8>>),
    Packed(Packed),
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

self_cell::self_cell!(
    /// A built book with its knowledge base, kept for the next rebuild.
    struct Linked {
        owner: Site,
        #[covariant]
        dependent: KnowledgeBase,
    }
);

/// The last good build, for edits that change no outline (`Incident::same_outline`):
/// those re-render only the edited post-mortems' pages.
struct Last {
    linked: Linked,
    cards: render::Cards,
    /// Post-mortems edited since `linked` was built, by position in its book: the same
    /// outlines, newer text.
    edited: HashMap<usize, Arc<Incident>>,
    /// Per post-mortem (by position), the diagnostics of its parse and its own checks.
    own: Vec<Vec<Diagnostic>>,
    /// Every other diagnostic: checks across post-mortems, other files' parses.
    rest: Vec<Diagnostic>,
    snapshot: Arc<Snapshot>,
}

/// What a rebuild made: the snapshot, the book it was built from, pages rendered.
type Built = (Arc<Snapshot>, Site, usize);

/// Keeps what a rebuild can reuse: parses, rendered pages, the theme, the last build.
pub struct Builder {
    root: PathBuf,
    /// `--profile`, overriding book.toml's.
    profile: Option<crate::config::Profile>,
    parses: ParseCache,
    pages: PageCache,
    theme: Option<Theme>,
    last: Option<Last>,
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
            last: None,
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
    fn try_rebuild(&mut self, changes: &Changes) -> Result<std::result::Result<Built, String>> {
        for rel in &changes.content {
            self.parses.forget(rel);
        }
        if !changes.everything
            && let Some(done) = self.edit_in_place(&changes.content)
        {
            return Ok(done);
        }
        let config = Config::load_with_profile(&self.root, self.profile)?;
        if changes.everything || self.theme.is_none() {
            self.parses.clear();
            self.pages.clear();
            self.theme = None;
        }
        // Whatever happens next, the last build no longer describes the book; its
        // checks of the post-mortems this change cannot affect still hold.
        let reuse = self
            .last
            .take()
            .filter(|_| !changes.everything)
            .map(|last| Reuse::new(last, &changes.content));
        let theme = match self.theme.take() {
            Some(theme) => theme,
            None => Theme::load(&config.theme_dir(&self.root))?,
        };
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
        let linked = Linked::new(site, |site| site.knowledge_base(&|_| {}));
        let made =
            linked.with_dependent(|site, kb| self.render_all(site, kb, &theme, reuse.as_ref()));
        drop(reuse);
        self.theme = Some(theme);
        let (files, own, rest, cards) = match made? {
            Ok(made) => made,
            Err(report) => return Ok(Err(report)),
        };
        let rendered = self.pages.take_misses();
        self.version += 1;
        let snapshot = Arc::new(Snapshot {
            files,
            content_dir: linked.borrow_owner().config.content_dir(&self.root),
            version: self.version,
            search_files: OnceLock::new(),
            search_index: OnceLock::new(),
        });
        let site = copy_of(linked.borrow_owner(), &linked.borrow_owner().book.incidents);
        self.last = Some(Last {
            linked,
            cards,
            edited: HashMap::new(),
            own,
            rest,
            snapshot: Arc::clone(&snapshot),
        });
        Ok(Ok((snapshot, site, rendered)))
    }

    /// Checks and renders the whole book; `Err(report)` when it has errors.
    #[allow(clippy::type_complexity)]
    fn render_all(
        &self,
        site: &Site,
        kb: &KnowledgeBase,
        theme: &Theme,
        reuse: Option<&Reuse>,
    ) -> Result<
        std::result::Result<
            (
                HashMap<String, Body>,
                Vec<Vec<Diagnostic>>,
                Vec<Diagnostic>,
                render::Cards,
            ),
            String,
        >,
    > {
        let (own, rest) = diagnose(site, kb, reuse);
        let found = site.settle(own.iter().flatten().chain(&rest).cloned().collect());
        if found.iter().any(|d| d.is_error()) {
            return Ok(Err(report(&self.root, found, site.book.files_read)));
        }
        let files = Mutex::new(HashMap::new());
        self.pages.take_misses();
        render::render_site(
            kb,
            theme,
            &site.config,
            &site.config.content_dir(&self.root),
            &|file: OutputFile| {
                files
                    .lock()
                    .expect("no panics while holding the lock")
                    .insert(file.path, body(file.contents));
                Ok(())
            },
            Some(&self.pages),
        )?;
        let files = files
            .into_inner()
            .expect("no panics while holding the lock");
        Ok(Ok((files, own, rest, render::Cards::new(kb, &site.config))))
    }

    /// The rebuild of an edit that changes no post-mortem's outline: only the edited
    /// post-mortems are read, checked and rendered; every other page is the last
    /// build's. `None` when the edit is of another kind (a new, deleted or unreadable
    /// file, a factor, an asset, a changed outline): the whole book is rebuilt then.
    fn edit_in_place(&mut self, changed: &[PathBuf]) -> Option<std::result::Result<Built, String>> {
        let last = self.last.as_mut()?;
        let theme = self.theme.as_ref()?;
        let mut changed: Vec<&PathBuf> = changed.iter().collect();
        changed.sort();
        changed.dedup();
        let root = &self.root;
        let outcome = last.linked.with_dependent(|site, kb| {
            let content_dir = site.config.content_dir(root);
            let options = ParseOptions::from_config(&site.config, Purpose::Build);
            let assets: HashSet<&PathBuf> = site.book.assets.iter().collect();
            let mut fresh = Vec::new();
            for rel in changed {
                let &index = kb.by_path.get(rel.as_path())?;
                let path = content_dir.join(rel);
                let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                let (text, warning) =
                    crate::source::read_text(&path, &shown, site.config.build.max_file_size)
                        .ok()?;
                let (incident, mut diagnostics) =
                    parse::parse_incident(&text, &shown, rel, &options);
                diagnostics.extend(warning);
                let incident = incident?;
                let current = last.edited.get(&index).unwrap_or(&kb.book.incidents[index]);
                if !current.same_outline(&incident) {
                    return None;
                }
                diagnostics.extend(check::check_incident(&incident, kb, &site.config, &assets));
                fresh.push((index, Arc::new(incident), diagnostics));
            }
            let mut incidents = site.book.incidents.clone();
            for (&index, incident) in last
                .edited
                .iter()
                .chain(fresh.iter().map(|(i, x, _)| (i, x)))
            {
                incidents[index] = Arc::clone(incident);
            }
            let now = copy_of(site, &incidents);
            // The last build had no errors, and nothing but the edited post-mortems'
            // own diagnostics changed: only theirs can hold one now.
            let changed: Vec<Diagnostic> = fresh.iter().flat_map(|(_, _, d)| d.clone()).collect();
            if now.settle(changed).iter().any(|d| d.is_error()) {
                let mut own: Vec<&Vec<Diagnostic>> = last.own.iter().collect();
                for (index, _, diagnostics) in &fresh {
                    own[*index] = diagnostics;
                }
                let all = own
                    .into_iter()
                    .flatten()
                    .chain(&last.rest)
                    .cloned()
                    .collect();
                return Some(Err(report(root, now.settle(all), site.book.files_read)));
            }
            let mut pages = Vec::new();
            for (index, incident, _) in &fresh {
                match render::render_incident(
                    kb,
                    &last.cards,
                    theme,
                    &site.config,
                    *index,
                    incident,
                ) {
                    Ok(page) => pages.push(page),
                    Err(e) => return Some(Err(format!("error: {e}\n"))),
                }
            }
            Some(Ok((now, fresh, pages)))
        })?;
        let (now, fresh, pages) = match outcome {
            Ok(made) => made,
            Err(report) => return Some(Err(report)),
        };
        let mut files = last.snapshot.files.clone();
        let rendered = pages.len();
        for page in pages {
            files.insert(page.path, body(page.contents));
        }
        self.version += 1;
        let snapshot = Arc::new(Snapshot {
            files,
            content_dir: last.snapshot.content_dir.clone(),
            version: self.version,
            search_files: OnceLock::new(),
            search_index: OnceLock::new(),
        });
        for (index, incident, diagnostics) in fresh {
            last.edited.insert(index, incident);
            last.own[index] = diagnostics;
        }
        last.snapshot = Arc::clone(&snapshot);
        Some(Ok((snapshot, now, rendered)))
    }
}

/// What a rebuild after edits of post-mortems takes from the last build: each
/// post-mortem's own diagnostics (its parse's and its own checks'), by file.
struct Reuse {
    own: HashMap<PathBuf, Vec<Diagnostic>>,
    /// The changed files, relative to the content folder.
    changed: HashSet<PathBuf>,
    /// The post-mortems of the last build, relative to the content folder.
    known: HashSet<PathBuf>,
    as_of: chrono::NaiveDate,
}

impl Reuse {
    fn new(last: Last, changed: &[PathBuf]) -> Reuse {
        let Last { linked, own, .. } = last;
        let book = &linked.borrow_owner().book;
        Reuse {
            own: book
                .incidents
                .iter()
                .map(|i| i.source.clone())
                .zip(own)
                .collect(),
            changed: changed.iter().cloned().collect(),
            known: book
                .incidents
                .iter()
                .map(|i| i.content_path.clone())
                .collect(),
            as_of: linked.borrow_dependent().as_of,
        }
    }

    /// The last build's diagnostics of `incident`, if no change can have altered them
    /// (given [`Reuse::applies`]). A post-mortem's own checks read, of the rest of the
    /// book, only the files its links name (whether they exist, what the public edition
    /// withholds), the names wiki links may take (factors, action items, slugs), the
    /// factors and assets, and the date (`check::check_incident`). So they still hold
    /// for a post-mortem that did not change and has no wiki link nor link to a changed
    /// file, as long as every change is of a post-mortem (not of a factor, an asset or
    /// another file) and the date is the same.
    fn of(&self, incident: &Incident) -> Option<&Vec<Diagnostic>> {
        let untouched = !self.changed.contains(&incident.content_path)
            && incident.body.references.iter().all(|r| match r.kind {
                ReferenceKind::Asset => true,
                ReferenceKind::Page => !self.changed.contains(&r.target),
                ReferenceKind::Wiki { .. } => false,
            });
        untouched.then(|| self.own.get(&incident.source)).flatten()
    }

    /// Whether every change is of a post-mortem (then or now), on the same date.
    fn applies(&self, kb: &KnowledgeBase) -> bool {
        kb.as_of == self.as_of
            && self
                .changed
                .iter()
                .all(|p| self.known.contains(p) || kb.by_path.contains_key(p.as_path()))
    }
}

/// The diagnostics of a book: per post-mortem (its parse's and its own checks', or the
/// last build's where `reuse` holds them), and all others (other files' parses, checks
/// across post-mortems), before levels apply.
fn diagnose(
    site: &Site,
    kb: &KnowledgeBase,
    reuse: Option<&Reuse>,
) -> (Vec<Vec<Diagnostic>>, Vec<Diagnostic>) {
    let reuse = reuse.filter(|r| r.applies(kb));
    let reused: Vec<Option<&Vec<Diagnostic>>> = site
        .book
        .incidents
        .iter()
        .map(|i| reuse.and_then(|r| r.of(i)))
        .collect();
    let (mut own, mut rest) =
        check::check_book_by_incident(&site.book, kb, &site.config, &|n| reused[n].cloned());
    let by_source: HashMap<&Path, usize> = site
        .book
        .incidents
        .iter()
        .enumerate()
        .map(|(n, i)| (i.source.as_path(), n))
        .collect();
    for d in &site.book.diagnostics {
        match by_source.get(d.file.as_path()) {
            // A reused post-mortem's diagnostics hold its parse's already.
            Some(&n) if reused[n].is_some() => {}
            Some(&n) => own[n].push(d.clone()),
            None => rest.push(d.clone()),
        }
    }
    (own, rest)
}

/// The report of a book with errors, as `check` prints it.
fn report(root: &Path, found: Vec<Diagnostic>, files_read: usize) -> String {
    let shown: Vec<_> = found.into_iter().filter(|d| !d.silenced).collect();
    let mut report = diagnostics::render_human(&shown, root, false);
    report.push_str(&Summary::of(&shown).line(files_read));
    report.push('\n');
    report
}

/// `site` with `incidents` instead of its own (the same but for edited ones), for
/// searching and reporting; its parse diagnostics are left out.
fn copy_of(site: &Site, incidents: &[Arc<Incident>]) -> Site {
    Site {
        root: site.root.clone(),
        config: site.config.clone(),
        book: Book {
            incidents: incidents.to_vec(),
            factors: site.book.factors.clone(),
            assets: site.book.assets.clone(),
            refused: site.book.refused.clone(),
            diagnostics: Vec::new(),
            files_read: site.book.files_read,
            inputs: site.book.inputs,
            withheld: site.book.withheld.clone(),
        },
    }
}

/// Makes the search indexes of `snapshot` (the static one of the site's search box, and
/// the tantivy one of `/api/search`) from the book it was built from. Run after the
/// reload was sent, so that searching never delays the preview.
pub fn index_search(site: &Site, snapshot: &Snapshot, cache_dir: &Path) {
    // One writer of the tantivy cache at a time.
    static TANTIVY: Mutex<()> = Mutex::new(());
    let kb = site.knowledge_base(&|_| {});
    let synonyms = Synonyms::of(&site.config.search);
    let guard = TANTIVY.lock().unwrap_or_else(|e| e.into_inner());
    let index = crate::search::source_stamps(&site.root, &site.config)
        .and_then(|stamps| SearchIndex::open(cache_dir, &kb, &stamps, synonyms.clone()));
    // The static index is read from the tantivy one. If even that fails, the search box
    // finds nothing; the error is the one `/api/search` reports.
    let files = crate::search::export::files_or_in_memory(&kb, index.as_ref().ok(), &synonyms);
    drop(guard);
    let files = files
        .map(|files| {
            files
                .into_iter()
                .map(|f| (f.path, body(f.contents)))
                .collect()
        })
        .unwrap_or_default();
    let _ = snapshot.search_files.set(files);
    let _ = snapshot.search_index.set(index.map_err(|e| e.to_string()));
}

fn body(contents: Contents) -> Body {
    match contents {
        Contents::Bytes(bytes) => Body::Bytes(Arc::new(bytes)),
        Contents::Packed(packed) => Body::Packed(packed),
        Contents::Copy(path) | Contents::Link(path) => Body::File(path),
    }
}
