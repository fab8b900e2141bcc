//! Listing pages: post-mortems in pages of [`PER_PAGE`], every one of them newest first,
//! the first page of each other order, and those of one term (a service, a team, a
//! severity, a status, a year, a tag) newest first. All are generated, so sorting and
//! filtering work without JavaScript and every page stays small at any size of book; the
//! search page combines filters on top (`static/search.js`, from the same facets as
//! search).

use serde::Serialize;

use super::views::ActionRow;
use crate::config::Config;
use crate::link::KnowledgeBase;
use crate::urls;

/// Post-mortems per listing page.
pub const PER_PAGE: usize = 50;

/// The orders every post-mortem can be listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Newest,
    Oldest,
    Severity,
    Longest,
}

impl Order {
    pub const ALL: [Order; 4] = [
        Order::Newest,
        Order::Oldest,
        Order::Severity,
        Order::Longest,
    ];

    fn key(self) -> &'static str {
        match self {
            Order::Newest => urls::DEFAULT_ORDER,
            Order::Oldest => "oldest",
            Order::Severity => "severity",
            Order::Longest => "longest",
        }
    }

    pub fn url(self, n: usize) -> String {
        urls::incidents_page(self.key(), n)
    }

    /// Whether every post-mortem is listed in this order, page by page, or only the
    /// first page. Newest first is the listing; the other orders answer "which were
    /// the worst, the longest, the first?", which their first page does. Paging all of
    /// them would write every post-mortem's row three more times (at 10,000
    /// post-mortems, 600 pages).
    pub fn paged(self) -> bool {
        self == Order::Newest
    }

    /// The order in words, for the lede ("newest first").
    pub fn describe(self) -> &'static str {
        match self {
            Order::Newest => "newest first",
            Order::Oldest => "oldest first",
            Order::Severity => "most severe first",
            Order::Longest => "longest first",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Order::Newest => "Newest first",
            Order::Oldest => "Oldest first",
            Order::Severity => "Most severe first",
            Order::Longest => "Longest first",
        }
    }

    /// The post-mortems (positions in the book, which is newest first) in this order;
    /// ties keep the book's order.
    pub fn sort(self, kb: &KnowledgeBase, config: &Config) -> Vec<usize> {
        let mut order: Vec<usize> = (0..kb.book.incidents.len()).collect();
        match self {
            Order::Newest => {}
            Order::Oldest => order.reverse(),
            Order::Severity => {
                let levels = &config.validation.severities;
                let rank = |i: usize| {
                    let s = kb.book.incidents[i].severity.as_deref();
                    levels
                        .iter()
                        .position(|l| Some(l.name.as_str()) == s)
                        .unwrap_or(levels.len())
                };
                order.sort_by_key(|&i| rank(i));
            }
            Order::Longest => order.sort_by_key(|&i| {
                std::cmp::Reverse(kb.book.incidents[i].durations().total().unwrap_or(-1))
            }),
        }
        order
    }
}

/// A link among several, one of which may be the current page.
#[derive(Serialize, Clone)]
pub struct Choice {
    pub label: String,
    pub url: String,
    pub current: bool,
    pub count: Option<usize>,
}

/// One filter (severity, status, year, service, team) and its values.
#[derive(Serialize, Clone)]
pub struct FilterGroup {
    /// The facet key the search page filters by.
    pub key: &'static str,
    pub label: &'static str,
    pub choices: Vec<Choice>,
}

/// A page number, or a gap (`url` empty) in a long run of pages.
#[derive(Serialize)]
pub struct PagerItem {
    pub label: String,
    pub url: String,
    pub current: bool,
}

/// Where a page stands in a listing, for its lede and its pagination.
#[derive(Serialize)]
pub struct Paging {
    pub total: usize,
    /// Positions (from 1) of the first and last item shown.
    pub first: usize,
    pub last: usize,
    pub page: usize,
    pub pages: usize,
    pub pager: Vec<PagerItem>,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Paging {
    /// The title of the page: `heading`, and its number after the first page.
    pub fn title(&self, heading: &str) -> String {
        if self.page == 1 {
            heading.to_owned()
        } else {
            format!("{heading}, page {}", self.page)
        }
    }
}

/// `members` cut into pages of [`PER_PAGE`], each with its URL (`url(n)`), its place and
/// its members. An empty listing has one empty page.
fn paged<'m>(
    members: &'m [usize],
    url: &dyn Fn(usize) -> String,
) -> impl Iterator<Item = (String, Paging, &'m [usize])> {
    let pages = members.len().div_ceil(PER_PAGE).max(1);
    (1..=pages).map(move |page| {
        let start = ((page - 1) * PER_PAGE).min(members.len());
        let shown = &members[start..(start + PER_PAGE).min(members.len())];
        let paging = Paging {
            total: members.len(),
            first: start + 1,
            last: start + shown.len(),
            page,
            pages,
            pager: pager(page, pages, url),
            previous: (page > 1).then(|| url(page - 1)),
            next: (page < pages).then(|| url(page + 1)),
        };
        (url(page), paging, shown)
    })
}

/// One page of a listing.
#[derive(Serialize)]
pub struct ListingPage {
    pub heading: String,
    /// What the listing is (the taxonomy's index), for the breadcrumbs; `None` for
    /// every post-mortem.
    pub parent: Option<Choice>,
    /// The post-mortems shown, as positions in the book.
    #[serde(skip)]
    pub members: Vec<usize>,
    /// Their rows ([`super::fragments::Rows`]), filled in when the page is rendered.
    pub rows_html: String,
    /// The listing's orders and filters ([`super::fragments::Tools`]), likewise.
    pub tools_html: String,
    #[serde(flatten)]
    pub paging: Paging,
    /// The description of the order shown ("newest first").
    pub order: &'static str,
    /// How many the listing is the first page of, when only its first page is
    /// written ([`Order::paged`]); `None` when every page is.
    pub of: Option<usize>,
}

/// The filters every listing offers: a value per term, linking to its listing; the
/// term whose listing this is marked current. Counts (of the whole book) are shown on
/// the list of every post-mortem only: on a term's listing they would read as counts
/// within the term, which generated pages cannot combine.
pub fn filters(kb: &KnowledgeBase, current: Option<(&str, &str)>) -> Vec<FilterGroup> {
    [
        ("severities", "severity", "Severity"),
        ("statuses", "status", "Status"),
        ("years", "year", "Year"),
        ("services", "service", "Service"),
        ("teams", "team", "Team"),
    ]
    .into_iter()
    .filter_map(|(key, facet, label)| {
        let taxonomy = kb.taxonomies.iter().find(|t| t.key == key)?;
        let mut terms: Vec<(&String, &Vec<usize>)> = taxonomy.terms.iter().collect();
        match key {
            // Latest year first; the most frequent services and teams first.
            "years" => terms.reverse(),
            "services" | "teams" => terms.sort_by_key(|(_, m)| std::cmp::Reverse(m.len())),
            _ => {}
        }
        let choices = terms
            .into_iter()
            .map(|(term, members)| Choice {
                label: term.clone(),
                url: urls::taxonomy_term(key, term),
                current: current == Some((key, term.as_str())),
                count: current.is_none().then_some(members.len()),
            })
            .collect();
        Some(FilterGroup {
            key: facet,
            label,
            choices,
        })
    })
    .collect()
}

/// Page numbers to show: the first, the last, and two either side of `page`, with gaps.
fn pager(page: usize, pages: usize, url: &dyn Fn(usize) -> String) -> Vec<PagerItem> {
    let mut out = Vec::new();
    let mut last_shown = 0;
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(page) <= 2 {
            if n > last_shown + 1 {
                out.push(PagerItem {
                    label: "…".to_owned(),
                    url: String::new(),
                    current: false,
                });
            }
            out.push(PagerItem {
                label: n.to_string(),
                url: url(n),
                current: n == page,
            });
            last_shown = n;
        }
    }
    out
}

/// What a listing is: its heading, order and place. (Its orders and filters are the
/// same on every page: [`super::fragments::Tools`].)
pub struct Listing {
    pub heading: String,
    /// The order, described ("newest first").
    pub order: &'static str,
    pub parent: Option<Choice>,
    /// Only the first page is written ([`Order::paged`]).
    pub first_page_only: bool,
}

/// Every page of a listing of `members` (positions in the book, in the order shown),
/// with its URL; `url(n)` is page n's.
pub fn pages(
    listing: &Listing,
    members: &[usize],
    url: &dyn Fn(usize) -> String,
) -> Vec<(String, ListingPage)> {
    let (members, of) = if listing.first_page_only && members.len() > PER_PAGE {
        (&members[..PER_PAGE], Some(members.len()))
    } else {
        (members, None)
    };
    paged(members, url)
        .map(|(url, paging, shown)| {
            let page = ListingPage {
                heading: listing.heading.clone(),
                parent: listing.parent.clone(),
                members: shown.to_vec(),
                rows_html: String::new(),
                tools_html: String::new(),
                paging,
                order: listing.order,
                of,
            };
            (url, page)
        })
        .collect()
}

/// The choice of orders on the list of every post-mortem, `current` marked.
pub fn orders(current: Order) -> Vec<Choice> {
    Order::ALL
        .iter()
        .map(|&o| Choice {
            label: o.label().to_owned(),
            url: o.url(1),
            current: o == current,
            count: None,
        })
        .collect()
}

/// One page of a long column of a team's board (`actions/<team>/<column>/<n>.html`).
#[derive(Serialize)]
pub struct ActionListPage {
    pub heading: String,
    pub team: Choice,
    pub rows: Vec<ActionRow>,
    #[serde(flatten)]
    pub paging: Paging,
}

/// Every page of one column of a team's board: `members` in the order shown.
pub fn action_pages(
    kb: &KnowledgeBase,
    team: &str,
    (anchor, title): (&str, &str),
    members: &[usize],
) -> Vec<(String, ActionListPage)> {
    let url = |n| urls::team_board_column(team, anchor, n);
    paged(members, &url)
        .map(|(url, paging, shown)| {
            let page = ActionListPage {
                heading: format!("{title}: action items of {team}"),
                team: Choice {
                    label: team.to_owned(),
                    url: urls::team_board(team),
                    current: false,
                    count: None,
                },
                rows: shown.iter().map(|&n| ActionRow::new(kb, n)).collect(),
                paging,
            };
            (url, page)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_shows_the_ends_and_the_neighbourhood_with_gaps() {
        let url = |n: usize| format!("{n}.html");
        let labels = |page, pages| -> Vec<String> {
            pager(page, pages, &url)
                .into_iter()
                .map(|p| {
                    if p.current {
                        format!("[{}]", p.label)
                    } else {
                        p.label
                    }
                })
                .collect()
        };
        assert_eq!(labels(1, 1), ["[1]"]);
        assert_eq!(labels(1, 3), ["[1]", "2", "3"]);
        assert_eq!(
            labels(10, 200),
            ["1", "…", "8", "9", "[10]", "11", "12", "…", "200"]
        );
        assert_eq!(labels(200, 200), ["1", "…", "198", "199", "[200]"]);
    }
}
