//! Rendering: the knowledge base -> a list of pages (url, template, context) -> HTML
//! through tera. All data a template shows is prepared here (see `views`); templates
//! only lay it out.

mod book_pages;
pub mod charts;
mod curation;
pub mod export;
mod factor_pages;
mod fragments;
mod incident;
mod indentation;
mod insights_page;
pub mod links;
mod list_pages;
mod listing;
mod memo;
mod sink;
pub mod theme;
mod timeline;
mod views;

use crate::config::Config;
use crate::error::Result;
use crate::link::KnowledgeBase;
use crate::output::{Contents, OutputFile};
use crate::urls;

pub use book_pages::insights_data;
pub use incident::{Cards, render_incident};
pub use memo::{PageCache, PageMemo};
use sink::{Files, Page, Pages, page_html};
pub use theme::Theme;
use views::SiteView;

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
    let Cards(cards) = Cards::new(kb, config);
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
        || {
            html_pages(&Pages {
                kb,
                theme,
                site: &site,
                config,
                cards: &cards,
                files: &files,
            })
        },
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
fn html_pages(pages: &Pages) -> Result<()> {
    incident::pages(pages)?;
    factor_pages::factor_pages(pages)?;
    book_pages::home_page(pages)?;
    book_pages::search_page(pages)?;
    list_pages::listings(pages)?;
    factor_pages::factor_index(pages)?;
    book_pages::boards(pages)?;
    book_pages::taxonomy_indexes(pages)?;
    curation::curation(pages)?;
    book_pages::insights(pages)
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
