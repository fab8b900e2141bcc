//! Pieces of HTML that many pages show the same: a post-mortem's row in a listing (on
//! every order's pages and on each of its terms' pages) and a listing's filter bar (on
//! the first page of each listing). Each is rendered once per root prefix, through the
//! theme's own macros (`incident_row`, `listing_tools` in `macros.html`), so a theme
//! that overrides the macros still shapes every page; the listing template receives the
//! HTML. At 10,000 post-mortems a post-mortem's row stands on ten or so listing pages
//! (four orders, its terms), and is rendered at most once per folder depth (three).

use std::sync::OnceLock;

use serde::Serialize;
use tera::Context;

use super::listing::{Choice, FilterGroup};
use super::theme::Theme;
use super::views::IncidentCard;
use crate::error::Result;
use crate::urls;

use super::theme::{ROW, TOOLS};

/// Roots a listing page can have: `incidents/by/newest/2.html` is three folders deep.
const DEPTHS: usize = 4;

/// A listing's orders and filters, shown on its first page: the macro
/// `listing_tools` sees it as `page`.
#[derive(Serialize)]
pub struct ListingTools {
    /// The orders of the list of every post-mortem; empty for a term.
    pub orders: Vec<Choice>,
    pub filters: Vec<FilterGroup>,
}

/// A listing's filter bar, rendered at most once per depth.
pub struct Tools {
    data: ListingTools,
    html: [OnceLock<String>; DEPTHS],
}

impl Tools {
    pub fn new(data: ListingTools) -> Tools {
        Tools {
            data,
            html: Default::default(),
        }
    }

    /// What the filter bar is made from.
    pub fn data(&self) -> &ListingTools {
        &self.data
    }

    /// The filter bar of the page at `url`.
    pub fn html(&self, theme: &Theme, url: &str) -> Result<String> {
        let render = || {
            let mut context = Context::new();
            context.insert("page", &self.data);
            context.insert("root", &urls::root_prefix(url));
            theme.render(TOOLS, &context)
        };
        match self.html.get(urls::depth(url)) {
            Some(cell) => once(cell, render).map(str::to_owned),
            None => render(),
        }
    }
}

/// Every post-mortem's listing row, rendered at most once per depth.
pub struct Rows<'a> {
    cards: &'a [IncidentCard],
    html: [Vec<OnceLock<String>>; DEPTHS],
}

impl<'a> Rows<'a> {
    pub fn new(cards: &'a [IncidentCard]) -> Rows<'a> {
        Rows {
            cards,
            html: std::array::from_fn(|_| (0..cards.len()).map(|_| OnceLock::new()).collect()),
        }
    }

    /// The rows of `members` (positions in the book), in order, for the page at `url`.
    pub fn html(&self, theme: &Theme, members: &[usize], url: &str) -> Result<String> {
        let mut out = String::new();
        for &i in members {
            let render = || {
                let mut context = Context::new();
                context.insert("i", &self.cards[i]);
                context.insert("root", &urls::root_prefix(url));
                theme.render(ROW, &context)
            };
            match self.html.get(urls::depth(url)) {
                Some(cells) => out.push_str(once(&cells[i], render)?),
                None => out.push_str(&render()?),
            }
        }
        Ok(out)
    }
}

/// The value in `cell`, made by `make` the first time (two threads may both make it:
/// one value is kept, and they are equal).
fn once(cell: &OnceLock<String>, make: impl FnOnce() -> Result<String>) -> Result<&str> {
    if let Some(html) = cell.get() {
        return Ok(html);
    }
    let html = make()?;
    Ok(cell.get_or_init(|| html))
}
