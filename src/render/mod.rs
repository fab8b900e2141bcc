//! Rendering: the knowledge base -> a list of pages (url, template, context) -> HTML
//! through tera. All data a template shows is prepared here (see `views`); templates
//! only lay it out.

pub mod links;
pub mod theme;
pub mod urls;
mod views;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::error::Result;
use crate::link::KnowledgeBase;
use crate::output::{Contents, OutputFile};

pub use theme::Theme;
use views::{IncidentCard, IncidentPage, SiteView};

/// How many post-mortems the home page lists.
const HOME_LATEST: usize = 10;

/// Renders every page and lists every file of the site.
pub fn render_site(
    kb: &KnowledgeBase,
    theme: &Theme,
    config: &Config,
    content_dir: &std::path::Path,
) -> Result<Vec<OutputFile>> {
    let site = SiteView::new(config);
    let cards: Vec<IncidentCard> = kb.book.incidents.iter().map(IncidentCard::new).collect();

    let incidents = &kb.book.incidents;
    let mut files: Vec<OutputFile> = incidents
        .par_iter()
        .enumerate()
        .map(|(i, incident)| {
            let url = urls::incident(&incident.slug);
            let root = urls::root_prefix(&url);
            // The list is newest first: "previous" in time is the next entry.
            let page = IncidentPage::new(
                incident,
                &cards[i],
                kb,
                &root,
                cards.get(i + 1),
                i.checked_sub(1).and_then(|j| cards.get(j)),
            );
            let html = page_html(
                theme,
                "incident.html",
                &site,
                &root,
                &incident.title,
                &url,
                "incident",
                &page,
            )?;
            Ok(OutputFile::text(url, html))
        })
        .collect::<Result<_>>()?;

    #[derive(Serialize)]
    struct Home<'a> {
        latest: &'a [IncidentCard],
        total: usize,
        severity_counts: &'a [(String, usize)],
        open_action_items: usize,
    }
    let open_action_items = incidents
        .iter()
        .flat_map(|i| &i.action_items)
        .filter(|a| {
            matches!(
                a.status,
                crate::model::ActionStatus::Open | crate::model::ActionStatus::InProgress
            )
        })
        .count();
    let home = Home {
        latest: &cards[..cards.len().min(HOME_LATEST)],
        total: cards.len(),
        severity_counts: &kb.severity_counts,
        open_action_items,
    };
    files.push(OutputFile::text(
        urls::HOME,
        page_html(
            theme,
            "index.html",
            &site,
            "",
            &site.title,
            urls::HOME,
            "home",
            &home,
        )?,
    ));

    #[derive(Serialize)]
    struct List<'a> {
        incidents: &'a [IncidentCard],
    }
    let root = urls::root_prefix(urls::INCIDENTS);
    files.push(OutputFile::text(
        urls::INCIDENTS,
        page_html(
            theme,
            "incidents.html",
            &site,
            &root,
            "All post-mortems",
            urls::INCIDENTS,
            "incidents",
            &List { incidents: &cards },
        )?,
    ));

    // The 404 page is served for any missing path, so its links cannot be relative.
    let root_404 = if site.base_url.is_empty() {
        "/".to_owned()
    } else {
        format!("{}/", site.base_url)
    };
    files.push(OutputFile::text(
        urls::NOT_FOUND,
        page_html(
            theme,
            "404.html",
            &site,
            &root_404,
            "Page not found",
            urls::NOT_FOUND,
            "not-found",
            &(),
        )?,
    ));

    for (name, data) in &theme.static_files {
        files.push(OutputFile {
            path: format!("{}/{name}", urls::STATIC_DIR),
            contents: Contents::Bytes(data.clone()),
        });
    }
    for asset in &kb.book.assets {
        files.push(OutputFile {
            path: urls::media(asset),
            contents: Contents::Copy(content_dir.join(asset)),
        });
    }
    Ok(files)
}

/// Renders one page. Every template receives `site`, `root` (the relative prefix to
/// the site root), `page_title`, `page_url`, `page_kind` and its own data as `page`.
#[allow(clippy::too_many_arguments)]
fn page_html<T: Serialize>(
    theme: &Theme,
    template: &str,
    site: &SiteView,
    root: &str,
    title: &str,
    url: &str,
    kind: &str,
    page: &T,
) -> Result<String> {
    let mut context = Context::new();
    context.insert("site", site);
    context.insert("root", root);
    context.insert("page_title", title);
    context.insert("page_url", url);
    context.insert("page_kind", kind);
    context.insert("page", page);
    theme.render(template, &context)
}
