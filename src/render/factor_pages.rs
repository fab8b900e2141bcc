//! The pages of the factor catalogue: one per factor, and the index of them all.

use rayon::prelude::*;
use serde::Serialize;

use super::sink::{Page, Pages};
use super::views::{self, FactorPage, factor_groups};
use crate::error::Result;
use crate::urls;

/// One page per factor: what it is, and the post-mortems it contributed to.
pub(super) fn factor_pages(pages: &Pages) -> Result<()> {
    let Pages { kb, cards, .. } = *pages;
    (0..kb.factors.len()).into_par_iter().try_for_each(|n| {
        let page = FactorPage::new(n, kb, cards);
        pages.page(Page {
            url: urls::factor(kb.factors[n].id),
            template: "factor.html",
            title: page.title,
            kind: "factor",
            data: page,
        })
    })
}

/// The index of every factor, by category.
pub(super) fn factor_index(pages: &Pages) -> Result<()> {
    let Pages { kb, cards, .. } = *pages;
    #[derive(Serialize)]
    struct Factors<'a> {
        groups: Vec<views::FactorGroup<'a>>,
        total: usize,
    }
    pages.page(Page {
        url: urls::FACTORS.to_owned(),
        template: "factors.html",
        title: "Contributing factors",
        kind: "factors",
        data: Factors {
            groups: factor_groups(kb, cards),
            total: kb.factors.len(),
        },
    })
}
