//! The listings: every post-mortem in each order, a factor's post-mortems when its page
//! cannot show them all, and each term's; page by page, each page's rows and filter
//! bar rendered once and shared (`fragments`).

use rayon::prelude::*;

use super::sink::{Page, Pages};
use super::views::{self};
use super::{fragments, listing};
use crate::error::Result;
use crate::urls;

/// "Service" from "service".
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Every listing page.
pub(super) fn listings(pages: &Pages) -> Result<()> {
    let Pages {
        kb,
        theme,
        config,
        cards,
        ..
    } = *pages;
    // Every post-mortem, page by page, newest first, and the first page of each other
    // order; then each term's, newest first.
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
            first_page_only: !order.paged(),
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
            first_page_only: false,
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
                first_page_only: false,
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
            // The filter bar is on a listing's first page only: the same bar on each of
            // a long listing's pages was a fifth of every one of them.
            let tools = (data.paging.page == 1).then(|| &families[family]);
            // The rows and the filter bar are made only if the page is not in the memo:
            // its fingerprint covers what they are made from (so a new filter value
            // renders again the first pages alone).
            let inputs = (
                data.members.iter().map(|&i| &cards[i]).collect::<Vec<_>>(),
                tools.map(fragments::Tools::data),
            );
            let page_url = url.clone();
            pages.page_filled(
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
                    if let Some(tools) = tools {
                        data.tools_html = tools.html(theme, &page_url)?;
                    }
                    Ok(())
                },
            )
        })
}
