//! The post-mortem pages, the bulk of a site: all of them in parallel, or one alone
//! (`render_incident`, for `serve` when only one post-mortem's page changed).

use rayon::prelude::*;

use super::sink::{Page, Pages, page_html};
use super::theme::Theme;
use super::views::{IncidentCard, IncidentPage, SiteView};
use crate::config::Config;
use crate::error::Result;
use crate::link::KnowledgeBase;
use crate::output::OutputFile;
use crate::urls;

/// The cards of every post-mortem (what lists show of each), by position in the book.
/// `serve` keeps them while no outline changes.
pub struct Cards(pub(super) Vec<IncidentCard>);

impl Cards {
    pub fn new(kb: &KnowledgeBase, config: &crate::config::Config) -> Cards {
        // The internal edition marks what is public; in the public one, all is.
        let marked = config.active == crate::config::Edition::Internal;
        Cards(
            kb.book
                .incidents
                .iter()
                .map(|i| IncidentCard::new(i, marked && config.is_public(i.visibility.as_deref())))
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

/// Every post-mortem's page.
pub(super) fn pages(pages: &Pages) -> Result<()> {
    let Pages {
        kb, config, cards, ..
    } = *pages;
    // Post-mortem pages, the bulk of the work, in parallel.
    (0..cards.len()).into_par_iter().try_for_each(|i| {
        pages.page(incident_page_of(
            kb,
            cards,
            config,
            i,
            &kb.book.incidents[i],
        ))
    })
}
