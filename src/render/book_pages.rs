//! The pages about the whole book: the home page, the search page, the action-item
//! boards, the taxonomy indexes and the insights.

use rayon::prelude::*;
use serde::Serialize;

use super::listing;
use super::sink::{Page, Pages};
use super::views::{self, Board, IncidentCard, TaxonomyIndex, TermView};
use crate::error::Result;
use crate::link::{ActionCounts, KnowledgeBase};
use crate::urls;

/// How many post-mortems the home page lists.
const HOME_LATEST: usize = 10;
/// How many recurring factors the home page lists.
const HOME_FACTORS: usize = 5;

/// The home page: the latest post-mortems, counts, the most recurring factors.
pub(super) fn home_page(pages: &Pages) -> Result<()> {
    let Pages {
        kb, site, cards, ..
    } = *pages;
    pages.page(Page {
        url: urls::HOME.to_owned(),
        template: "index.html",
        title: &site.title,
        kind: "home",
        data: home(kb, cards),
    })
}

/// The search page (the results are made in the browser).
pub(super) fn search_page(pages: &Pages) -> Result<()> {
    pages.page(Page {
        url: urls::SEARCH.to_owned(),
        template: "search.html",
        title: "Search",
        kind: "search",
        data: (),
    })
}

/// Each team's board of action items, its long columns page by page, and the board
/// of the whole book.
pub(super) fn boards(pages: &Pages) -> Result<()> {
    let Pages { kb, .. } = *pages;
    Board::teams(kb)
        .into_par_iter()
        .try_for_each(|(team, members)| {
            pages.page(Page {
                url: urls::team_board(&team),
                template: "actions.html",
                title: &format!("Action items of {team}"),
                kind: "actions",
                data: Board::team(kb, &team, &members),
            })?;
            // A long column of work still to do, page by page.
            for (anchor, title, to_do, chosen) in Board::column_members(kb, &members) {
                if !to_do || chosen.len() <= views::BOARD_LIST_MAX {
                    continue;
                }
                for (url, data) in listing::action_pages(kb, &team, (anchor, title), &chosen) {
                    let title = data.paging.title(&data.heading);
                    pages.page(Page {
                        url,
                        template: "action_list.html",
                        title: &title,
                        kind: "actions",
                        data,
                    })?;
                }
            }
            Ok(())
        })?;
    pages.page(Page {
        url: urls::ACTIONS.to_owned(),
        template: "actions.html",
        title: "Action items",
        kind: "actions",
        data: Board::new(kb),
    })
}

/// One index page per taxonomy (services, teams, severities, tags, years).
pub(super) fn taxonomy_indexes(pages: &Pages) -> Result<()> {
    let Pages { kb, .. } = *pages;
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
        pages.page(Page {
            url: urls::taxonomy_index(taxonomy.key),
            template: "taxonomy.html",
            title: taxonomy.name,
            kind: "taxonomy",
            data: Taxonomies {
                taxonomies: vec![index],
            },
        })?;
    }
    Ok(())
}

/// The insights of the whole book, then of each service and team.
pub(super) fn insights(pages: &Pages) -> Result<()> {
    let Pages { kb, config, .. } = *pages;
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
            pages.page(Page {
                url,
                template: "insights.html",
                title: &title,
                kind: "insights",
                data: views::InsightsPage::new(scope, insights, kb),
            })
        })
}

#[derive(Serialize)]
struct Home<'a> {
    latest: &'a [IncidentCard],
    total: usize,
    severity_counts: Vec<(String, String, usize)>,
    /// Every action item's sets (`link::ActionCounts`), overdue as of `as_of`.
    actions: ActionCounts,
    as_of: String,
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
        actions: kb.action_counts(items()),
        as_of: kb.as_of.to_string(),
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
