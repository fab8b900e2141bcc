//! Provisional structure from an archive's prose (adopt profile): each entry of the
//! Contributing Factors section becomes a factor reference and each entry of the
//! Action Items section an action item, marked as suggested. The factor ids made here
//! stand for one entry each; `crate::suggest` groups them across the book into
//! suggested catalogue entries, which answer to these ids as aliases.

use crate::diagnostics::Span;
use crate::model::{ActionItem, ActionStatus, FactorRef, Listed, ListedKind};

/// The id of the `n`-th (from 1) contributing factor read from post-mortem `slug`.
pub fn factor_id(slug: &str, n: usize) -> String {
    format!("{slug}--{n}")
}

/// Whether `id` was made by [`factor_id`] rather than written.
pub fn is_provisional(id: &str) -> bool {
    id.rsplit_once("--")
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

pub fn factors(slug: &str, listed: &[Listed], text: &str) -> Vec<FactorRef> {
    listed
        .iter()
        .filter(|l| l.kind == ListedKind::Factor)
        .enumerate()
        .map(|(n, l)| FactorRef {
            id: factor_id(slug, n + 1),
            note: Some(l.text.clone()),
            span: Span::line(text, l.line),
        })
        .collect()
}

pub fn action_items(slug: &str, listed: &[Listed]) -> Vec<ActionItem> {
    listed
        .iter()
        .filter(|l| l.kind == ListedKind::Action)
        .enumerate()
        .map(|(n, l)| ActionItem {
            id: format!("{slug}-action-{}", n + 1),
            title: l.title.clone(),
            owner: None,
            due: None,
            closed: None,
            // Written as done, or else still to do: an archive rarely says which.
            status: match l.done {
                Some(true) => ActionStatus::Done,
                _ => ActionStatus::Open,
            },
            addresses: Vec::new(),
            link: None,
            line: l.line,
            suggested: true,
        })
        .collect()
}
