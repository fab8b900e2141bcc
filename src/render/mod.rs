//! Rendering: the knowledge base -> a list of pages (url, template, context) -> HTML
//! through tera. All data a template shows is prepared here (see `views`); templates
//! only lay it out.

pub mod charts;
pub mod export;
mod fragments;
pub mod links;
mod listing;
pub mod theme;
mod timeline;
mod views;

use std::cell::RefCell;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::error::Result;
use crate::link::KnowledgeBase;
use crate::model::ActionStatus;
use crate::output::{Contents, OutputFile};
use crate::urls;

pub use theme::Theme;
use views::{
    Board, FactorPage, IncidentCard, IncidentPage, SiteView, TaxonomyIndex, TermView, factor_groups,
};

/// How many post-mortems the home page lists.
const HOME_LATEST: usize = 10;
/// How many recurring factors the home page lists.
const HOME_FACTORS: usize = 5;

/// One page to render: where it goes, with which template, titled how.
struct Page<'a, T: Serialize> {
    url: String,
    template: &'static str,
    title: &'a str,
    kind: &'static str,
    data: T,
}

/// Where rendered files go: handed to the caller's sink as soon as they are made, so a
/// large site is never held in memory whole; the paths are kept for the sitemap.
struct Files<'a> {
    emit: &'a (dyn Fn(OutputFile) -> Result<()> + Sync),
    paths: std::sync::Mutex<Vec<String>>,
    memo: Option<&'a dyn PageMemo>,
}

/// Pages made by an earlier run, by URL and fingerprint (of everything a page is rendered
/// from: template name, title and data): a page whose fingerprint is unchanged is taken
/// from the memo instead of being rendered again. Nothing else about the theme or the
/// configuration is in the fingerprint, so a memo must be emptied when they change.
pub trait PageMemo: Sync {
    /// The page at `url` as made from data with fingerprint `key`, if known.
    fn recall(&self, url: &str, key: u64) -> Option<Contents>;
    /// Takes note of a page just rendered.
    fn remember(&self, url: &str, key: u64, page: &std::sync::Arc<Vec<u8>>);
    /// Forgets every page but those of `urls` (sorted): the site's files this time.
    fn keep_only(&self, _urls: &[String]) {}
}

/// A rendered page with the fingerprint of what it was rendered from.
type CachedPage = (u64, std::sync::Arc<Vec<u8>>);

/// The memo of `serve`: every page in memory, kept across rebuilds.
#[derive(Default)]
pub struct PageCache {
    pages: std::sync::Mutex<std::collections::HashMap<String, CachedPage>>,
    misses: std::sync::atomic::AtomicUsize,
}

impl PageCache {
    pub fn clear(&self) {
        self.pages
            .lock()
            .expect("no panics while holding the lock")
            .clear();
    }

    /// How many pages were rendered (not found unchanged) since the last call.
    pub fn take_misses(&self) -> usize {
        self.misses.swap(0, std::sync::atomic::Ordering::Relaxed)
    }
}

impl PageMemo for PageCache {
    fn recall(&self, url: &str, key: u64) -> Option<Contents> {
        let hit = self
            .pages
            .lock()
            .expect("no panics while holding the lock")
            .get(url)
            .filter(|(k, _)| *k == key)
            .map(|(_, bytes)| Contents::Shared(bytes.clone()));
        if hit.is_none() {
            self.misses
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        hit
    }

    fn remember(&self, url: &str, key: u64, page: &std::sync::Arc<Vec<u8>>) {
        self.pages
            .lock()
            .expect("no panics while holding the lock")
            .insert(url.to_owned(), (key, page.clone()));
    }

    /// Pages of deleted or renamed post-mortems leave the cache with them.
    fn keep_only(&self, urls: &[String]) {
        self.pages
            .lock()
            .expect("no panics while holding the lock")
            .retain(|url, _| urls.binary_search(url).is_ok());
    }
}

thread_local! {
    /// Each thread's buffer for what a fingerprint hashes, kept from page to page.
    static FINGERPRINTED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A fingerprint of what a page is rendered from: its data and inputs in CBOR, which
/// marks every value's type and length and copies strings as they are, hashed at once.
/// Every page of the book is fingerprinted by a `serve` rebuild and by a cached build;
/// JSON, which this was before, escaped every string of them on the way (that and the
/// streaming hash it fed were a quarter of `serve`'s samples while titles were edited
/// at 10,000 post-mortems).
fn fingerprint<T: Serialize, K: Serialize + ?Sized>(page: &Page<'_, T>, inputs: &K) -> u64 {
    FINGERPRINTED.with_borrow_mut(|bytes| {
        bytes.clear();
        for part in [page.template, page.title, page.kind] {
            // Length-prefixed, so that moving text between parts changes the hash.
            bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
            bytes.extend_from_slice(part.as_bytes());
        }
        // Writing to memory cannot fail but for the data's own Serialize errors, which
        // rendering would report anyway.
        let _ = ciborium::into_writer(&page.data, &mut *bytes);
        let _ = ciborium::into_writer(inputs, &mut *bytes);
        xxhash_rust::xxh3::xxh3_64(bytes)
    })
}

impl Files<'_> {
    /// Renders a page at its URL (or takes it from the memo) and emits it.
    fn page<T: Serialize>(&self, theme: &Theme, site: &SiteView, page: Page<'_, T>) -> Result<()> {
        self.page_filled(theme, site, page, &(), |_| Ok(()))
    }

    /// As [`Files::page`], for data completed by `fill` just before rendering (HTML made
    /// from `inputs`): the memo is asked first, with a fingerprint of the data as it is
    /// and of `inputs`, so a page taken from it costs no filling.
    fn page_filled<T: Serialize, K: Serialize + ?Sized>(
        &self,
        theme: &Theme,
        site: &SiteView,
        mut page: Page<'_, T>,
        inputs: &K,
        fill: impl FnOnce(&mut T) -> Result<()>,
    ) -> Result<()> {
        let render = |page: &Page<'_, T>| {
            let root = urls::root_prefix(&page.url);
            page_html(theme, site, &root, page)
        };
        let Some(memo) = self.memo else {
            fill(&mut page.data)?;
            let html = render(&page)?;
            return self.push(OutputFile::bytes(page.url, html));
        };
        let key = fingerprint(&page, inputs);
        let contents = match memo.recall(&page.url, key) {
            Some(contents) => contents,
            None => {
                fill(&mut page.data)?;
                // A memo may keep the page (`serve` keeps them all): without the room
                // its buffer was given for the largest page of its template.
                let mut bytes = render(&page)?;
                if bytes.capacity() > bytes.len() + bytes.len() / 8 {
                    bytes.shrink_to_fit();
                }
                let bytes = std::sync::Arc::new(bytes);
                memo.remember(&page.url, key, &bytes);
                Contents::Shared(bytes)
            }
        };
        self.push(OutputFile {
            path: page.url,
            contents,
        })
    }

    fn push(&self, file: OutputFile) -> Result<()> {
        self.paths
            .lock()
            .expect("no panics while holding the lock")
            .push(file.path.clone());
        (self.emit)(file)
    }
}

/// The cards of every post-mortem (what lists show of each), by position in the book.
/// `serve` keeps them while no outline changes.
pub struct Cards(Vec<IncidentCard>);

impl Cards {
    pub fn new(kb: &KnowledgeBase) -> Cards {
        Cards(
            kb.book
                .incidents
                .iter()
                .map(|i| IncidentCard::new(i))
                .collect(),
        )
    }
}

/// The page of `incident`, at `index` of the book.
fn incident_page_of<'a>(
    kb: &KnowledgeBase<'a>,
    cards: &'a [IncidentCard],
    config: &Config,
    index: usize,
    incident: &'a crate::model::Incident,
) -> Page<'a, IncidentPage<'a>> {
    // Times written without a zone are in the book's (as the timeline checks read them).
    let zone = crate::model::Zone::parse(&config.validation.timezone)
        .unwrap_or_else(crate::model::Zone::utc);
    let url = urls::incident(&cards[index].slug);
    let root = urls::root_prefix(&url);
    Page {
        template: "incident.html",
        title: &cards[index].title,
        kind: "incident",
        data: IncidentPage::new(incident, index, kb, cards, &root, zone),
        url,
    }
}

/// The page of one post-mortem alone: `incident` is a newer parse of the one at `index`
/// of `kb`'s book, with the same outline (`Incident::same_outline`), so every link,
/// related incident and card of the page is as `kb` has it.
pub fn render_incident(
    kb: &KnowledgeBase,
    cards: &Cards,
    theme: &Theme,
    config: &Config,
    index: usize,
    incident: &crate::model::Incident,
) -> Result<OutputFile> {
    let page = incident_page_of(kb, &cards.0, config, index, incident);
    let root = urls::root_prefix(&page.url);
    let html = page_html(theme, &SiteView::new(config), &root, &page)?;
    Ok(OutputFile::bytes(page.url, html))
}

/// "Service" from "service".
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Renders every page and file of the site, handing each to `emit` as it is made.
/// Returns the paths of the files, sorted.
pub fn render_site(
    kb: &KnowledgeBase,
    theme: &Theme,
    config: &Config,
    content_dir: &std::path::Path,
    emit: &(dyn Fn(OutputFile) -> Result<()> + Sync),
    memo: Option<&dyn PageMemo>,
) -> Result<Vec<String>> {
    let site = SiteView::new(config);
    let Cards(cards) = Cards::new(kb);
    // Computed here, with every thread, rather than by the first page that asks while
    // the others wait on it.
    kb.related();
    let files = Files {
        emit,
        paths: Default::default(),
        memo,
    };

    // The machine-readable files (the JSON of every post-mortem, the feed) are one
    // long serial task: made first, while the other thread takes the pages, rather
    // than last, where they left a core idle at the end of the build.
    let (machine, pages) = rayon::join(
        || machine_files(kb, &site, &files),
        || html_pages(kb, theme, &site, config, &cards, &files),
    );
    machine?;
    pages?;

    if !site.base_url.is_empty() {
        // A sitemap needs absolute URLs, so it is written only when base-url is set.
        let written = files
            .paths
            .lock()
            .expect("no panics while holding the lock")
            .clone();
        let mut pages: Vec<&str> = written
            .iter()
            .map(String::as_str)
            .filter(|p| p.ends_with(".html"))
            .chain([urls::NOT_FOUND])
            .collect();
        pages.sort_unstable();
        let xml = export::sitemap(&pages, &site.base_url);
        files.push(OutputFile::text(urls::SITEMAP, xml))?;
    }

    // The 404 page is served for any missing path, so its links cannot be relative.
    let root_404 = if site.base_url.is_empty() {
        "/".to_owned()
    } else {
        format!("{}/", site.base_url)
    };
    let not_found = Page {
        url: urls::NOT_FOUND.to_owned(),
        template: "404.html",
        title: "Page not found",
        kind: "not-found",
        data: (),
    };
    files.push(OutputFile::bytes(
        urls::NOT_FOUND,
        page_html(theme, &site, &root_404, &not_found)?,
    ))?;

    for (name, data) in &theme.static_files {
        files.push(OutputFile {
            path: format!("{}/{name}", urls::STATIC_DIR),
            contents: Contents::Bytes(data.clone()),
        })?;
    }
    // A file of a type not known to be passive is published only where a post-mortem
    // links to it (`source::media`).
    let linked: std::collections::HashSet<&std::path::Path> = kb
        .book
        .incidents
        .iter()
        .flat_map(|i| &i.body.references)
        .filter(|r| matches!(r.kind, crate::model::ReferenceKind::Asset))
        .map(|r| r.target.as_path())
        .collect();
    for asset in kb.book.assets.iter().filter(|a| {
        crate::source::media::kind(a) != crate::source::media::Kind::Other
            || linked.contains(a.as_path())
    }) {
        files.push(OutputFile {
            path: urls::media(asset),
            contents: Contents::Copy(content_dir.join(asset)),
        })?;
    }
    let mut paths = files
        .paths
        .into_inner()
        .expect("no panics while holding the lock");
    paths.sort_unstable();
    if let Some(memo) = memo {
        memo.keep_only(&paths);
    }
    Ok(paths)
}

/// The HTML pages of the post-mortems, the factors, the listings and the whole book.
fn html_pages(
    kb: &KnowledgeBase,
    theme: &Theme,
    site: &SiteView,
    config: &Config,
    cards: &[IncidentCard],
    files: &Files,
) -> Result<()> {
    // Post-mortem pages, the bulk of the work, in parallel.
    (0..cards.len()).into_par_iter().try_for_each(|i| {
        files.page(
            theme,
            site,
            incident_page_of(kb, cards, config, i, &kb.book.incidents[i]),
        )
    })?;
    (0..kb.factors.len()).into_par_iter().try_for_each(|n| {
        let page = FactorPage::new(n, kb, cards);
        files.page(
            theme,
            site,
            Page {
                url: urls::factor(kb.factors[n].id),
                template: "factor.html",
                title: page.title,
                kind: "factor",
                data: page,
            },
        )
    })?;

    files.page(
        theme,
        site,
        Page {
            url: urls::HOME.to_owned(),
            template: "index.html",
            title: &site.title,
            kind: "home",
            data: home(kb, cards),
        },
    )?;

    files.page(
        theme,
        site,
        Page {
            url: urls::SEARCH.to_owned(),
            template: "search.html",
            title: "Search",
            kind: "search",
            data: (),
        },
    )?;

    // Every post-mortem, page by page, in each order; then each term's, newest first.
    // Each listing's filter bar and each post-mortem's row are rendered once
    // (`fragments`) and shared by the pages that show them.
    let mut families: Vec<fragments::Tools> = Vec::new();
    let mut listings: Vec<(String, String, listing::ListingPage, usize)> = Vec::new();
    let mut add = |about: listing::Listing,
                   tools: fragments::ListingTools,
                   members: &[usize],
                   url: &dyn Fn(usize) -> String| {
        families.push(fragments::Tools::new(tools));
        for (url, page) in listing::pages(&about, members, url) {
            let title = page.paging.title(&about.heading);
            listings.push((url, title, page, families.len() - 1));
        }
    };
    let all_filters = listing::filters(kb, None);
    for order in listing::Order::ALL {
        let about = listing::Listing {
            heading: "All post-mortems".to_owned(),
            order: order.describe(),
            parent: None,
        };
        let tools = fragments::ListingTools {
            orders: listing::orders(order),
            filters: all_filters.clone(),
        };
        add(about, tools, &order.sort(kb, config), &|n| order.url(n));
    }
    // A factor's page lists its latest post-mortems; when there are more, all of them
    // page by page.
    for f in kb.factors.iter() {
        if f.incidents.len() <= views::FACTOR_LIST_MAX {
            continue;
        }
        let members: Vec<usize> = f.incidents.iter().rev().copied().collect();
        let about = listing::Listing {
            heading: format!("Post-mortems with factor {}", f.title()),
            order: listing::Order::Newest.describe(),
            parent: Some(listing::Choice {
                label: f.title().to_owned(),
                url: urls::factor(f.id),
                current: false,
                count: None,
            }),
        };
        let tools = fragments::ListingTools {
            orders: Vec::new(),
            filters: Vec::new(),
        };
        add(about, tools, &members, &|n| urls::factor_incidents(f.id, n));
    }
    for taxonomy in &kb.taxonomies {
        for (term, members) in &taxonomy.terms {
            let about = listing::Listing {
                heading: format!("{} {term}", capitalized(taxonomy.singular)),
                order: listing::Order::Newest.describe(),
                parent: Some(listing::Choice {
                    label: taxonomy.name.to_owned(),
                    url: urls::taxonomy_index(taxonomy.key),
                    current: false,
                    count: None,
                }),
            };
            let tools = fragments::ListingTools {
                orders: Vec::new(),
                filters: listing::filters(kb, Some((taxonomy.key, term))),
            };
            add(about, tools, members, &|n| {
                urls::taxonomy_term_page(taxonomy.key, term, n)
            });
        }
    }
    let rows = fragments::Rows::new(cards);
    listings
        .into_par_iter()
        .try_for_each(|(url, title, data, family)| {
            let tools = &families[family];
            // The rows and the filter bar are made only if the page is not in the memo:
            // its fingerprint covers what they are made from.
            let inputs = (
                data.members.iter().map(|&i| &cards[i]).collect::<Vec<_>>(),
                tools.data(),
            );
            let page_url = url.clone();
            files.page_filled(
                theme,
                site,
                Page {
                    url,
                    template: "incidents.html",
                    title: &title,
                    kind: "incidents",
                    data,
                },
                &inputs,
                |data| {
                    data.rows_html = rows.html(theme, &data.members, &page_url)?;
                    data.tools_html = tools.html(theme, &page_url)?;
                    Ok(())
                },
            )
        })?;

    book_pages(kb, theme, site, config, cards, files)
}

/// The pages about the whole book: the factor index, the action-item boards, the
/// taxonomy indexes and the insights.
fn book_pages(
    kb: &KnowledgeBase,
    theme: &Theme,
    site: &SiteView,
    config: &Config,
    cards: &[IncidentCard],
    files: &Files,
) -> Result<()> {
    #[derive(Serialize)]
    struct Factors<'a> {
        groups: Vec<views::FactorGroup<'a>>,
        total: usize,
    }
    files.page(
        theme,
        site,
        Page {
            url: urls::FACTORS.to_owned(),
            template: "factors.html",
            title: "Contributing factors",
            kind: "factors",
            data: Factors {
                groups: factor_groups(kb, cards),
                total: kb.factors.len(),
            },
        },
    )?;

    Board::teams(kb)
        .into_par_iter()
        .try_for_each(|(team, members)| {
            files.page(
                theme,
                site,
                Page {
                    url: urls::team_board(&team),
                    template: "actions.html",
                    title: &format!("Action items of {team}"),
                    kind: "actions",
                    data: Board::team(kb, &team, &members),
                },
            )?;
            // A long column of work still to do, page by page.
            for (anchor, title, to_do, chosen) in Board::column_members(kb, &members) {
                if !to_do || chosen.len() <= views::BOARD_LIST_MAX {
                    continue;
                }
                for (url, data) in listing::action_pages(kb, &team, (anchor, title), &chosen) {
                    let title = data.paging.title(&data.heading);
                    files.page(
                        theme,
                        site,
                        Page {
                            url,
                            template: "action_list.html",
                            title: &title,
                            kind: "actions",
                            data,
                        },
                    )?;
                }
            }
            Ok(())
        })?;
    files.page(
        theme,
        site,
        Page {
            url: urls::ACTIONS.to_owned(),
            template: "actions.html",
            title: "Action items",
            kind: "actions",
            data: Board::new(kb),
        },
    )?;

    #[derive(Serialize)]
    struct Taxonomies {
        taxonomies: Vec<TaxonomyIndex>,
    }
    for taxonomy in &kb.taxonomies {
        let index = TaxonomyIndex {
            key: taxonomy.key,
            name: taxonomy.name,
            terms: taxonomy
                .terms
                .iter()
                .map(|(term, incidents)| TermView {
                    term: term.clone(),
                    url: urls::taxonomy_term(taxonomy.key, term),
                    count: incidents.len(),
                })
                .collect(),
        };
        files.page(
            theme,
            site,
            Page {
                url: urls::taxonomy_index(taxonomy.key),
                template: "taxonomy.html",
                title: taxonomy.name,
                kind: "taxonomy",
                data: Taxonomies {
                    taxonomies: vec![index],
                },
            },
        )?;
    }

    // Insights: the whole book, then each service and team, computed in parallel.
    // A scope's members as a flag per post-mortem: each scope is asked about every
    // post-mortem and every action item of the book.
    let mut insights_scopes: Vec<(String, String, Option<Vec<bool>>)> = vec![(
        urls::INSIGHTS.to_owned(),
        "all post-mortems".to_owned(),
        None,
    )];
    for (key, url_of) in [
        ("services", urls::insights_service as fn(&str) -> String),
        ("teams", urls::insights_team),
    ] {
        let Some(taxonomy) = kb.taxonomies.iter().find(|t| t.key == key) else {
            continue;
        };
        for (term, members) in &taxonomy.terms {
            insights_scopes.push((
                url_of(term),
                format!("{} {term}", taxonomy.singular),
                Some({
                    let mut member = vec![false; kb.book.incidents.len()];
                    members.iter().for_each(|&i| member[i] = true);
                    member
                }),
            ));
        }
    }
    insights_scopes
        .into_par_iter()
        .try_for_each(|(url, scope, members)| {
            let insights =
                crate::insights::compute(kb, config, &|i| members.as_ref().is_none_or(|m| m[i]));
            let title = if url == urls::INSIGHTS {
                "Insights".to_owned()
            } else {
                format!("Insights: {scope}")
            };
            files.page(
                theme,
                site,
                Page {
                    url,
                    template: "insights.html",
                    title: &title,
                    kind: "insights",
                    data: views::InsightsPage::new(scope, insights, kb),
                },
            )
        })?;
    Ok(())
}

/// The machine-readable files: the JSON of every post-mortem, its schema, the feed.
fn machine_files(kb: &KnowledgeBase, site: &SiteView, files: &Files) -> Result<()> {
    files.push(OutputFile::bytes(
        urls::API_INCIDENTS,
        export::incidents_json(kb),
    ))?;
    files.push(OutputFile::text(
        urls::API_SCHEMA,
        export::INCIDENTS_SCHEMA.to_owned(),
    ))?;
    files.push(OutputFile::text(
        urls::FEED,
        export::atom_feed(kb, &site.title, &site.base_url),
    ))?;
    Ok(())
}

#[derive(Serialize)]
struct Home<'a> {
    latest: &'a [IncidentCard],
    total: usize,
    severity_counts: Vec<(String, String, usize)>,
    open_action_items: usize,
    overdue_action_items: usize,
    factors: Vec<views::LinkView>,
    factor_counts: Vec<usize>,
}

fn home<'a>(kb: &KnowledgeBase, cards: &'a [IncidentCard]) -> Home<'a> {
    let severities = kb.taxonomies.iter().find(|t| t.key == "severities");
    let severity_counts = severities
        .map(|t| {
            t.terms
                .iter()
                .map(|(s, i)| (s.clone(), urls::taxonomy_term("severities", s), i.len()))
                .collect()
        })
        .unwrap_or_default();
    let items = || (0..kb.actions.len()).map(|n| kb.action(n).1);
    let mut top: Vec<&crate::link::FactorLinks> = kb
        .factors
        .iter()
        .filter(|f| f.incidents.len() > 1)
        .collect();
    top.sort_by(|a, b| {
        b.incidents
            .len()
            .cmp(&a.incidents.len())
            .then(a.id.cmp(b.id))
    });
    top.truncate(HOME_FACTORS);
    Home {
        latest: &cards[..cards.len().min(HOME_LATEST)],
        total: cards.len(),
        severity_counts,
        open_action_items: items()
            .filter(|a| matches!(a.status, ActionStatus::Open | ActionStatus::InProgress))
            .count(),
        overdue_action_items: items().filter(|a| kb.is_overdue(a)).count(),
        factor_counts: top.iter().map(|f| f.incidents.len()).collect(),
        factors: top
            .iter()
            .map(|f| views::LinkView {
                url: urls::factor(f.id),
                title: f.title().to_owned(),
            })
            .collect(),
    }
}

/// Renders one page. Every template receives `site`, `root` (the relative prefix to
/// the site root), `page_title`, `page_url`, `page_kind` and its own data as `page`.
fn page_html<T: Serialize>(
    theme: &Theme,
    site: &SiteView,
    root: &str,
    page: &Page<'_, T>,
) -> Result<Vec<u8>> {
    let mut context = Context::new();
    context.insert("site", site);
    context.insert("root", root);
    context.insert("page_title", page.title);
    context.insert("page_url", &page.url);
    context.insert("page_kind", page.kind);
    context.insert("page", &page.data);
    theme.render_bytes(page.template, &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page<T: Serialize>(title: &'static str, data: T) -> Page<'static, T> {
        Page {
            url: "incidents/x.html".into(),
            template: "incident.html",
            title,
            kind: "incident",
            data,
        }
    }

    /// Serialized as a sequence of unknown length, as a filtered iterator is: an
    /// encoding that refused it would hash only what came before.
    struct Evens(Vec<u32>);

    impl Serialize for Evens {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().filter(|n| *n % 2 == 0))
        }
    }

    #[test]
    fn a_fingerprint_changes_exactly_when_what_a_page_is_made_from_does() {
        let data = |a: &str, b: &str| serde_json::json!({"card": {"a": a, "b": b}, "n": [1, 2.5]});
        let same = fingerprint(&page("T", data("xy", "")), &());
        assert_eq!(same, fingerprint(&page("T", data("xy", "")), &()));
        for other in [
            fingerprint(&page("T", data("xz", "")), &()),
            // Text moved from one value to the next.
            fingerprint(&page("T", data("x", "y")), &()),
            fingerprint(&page("U", data("xy", "")), &()),
            fingerprint(&page("T", data("xy", "")), &["inputs"]),
        ] {
            assert_ne!(same, other);
        }
        assert_ne!(
            fingerprint(&page("T", Evens(vec![1, 2, 4])), &()),
            fingerprint(&page("T", Evens(vec![1, 2, 6])), &()),
        );
        assert_eq!(
            fingerprint(&page("T", Evens(vec![1, 2, 4])), &()),
            fingerprint(&page("T", Evens(vec![3, 2, 4])), &()),
        );
    }
}
