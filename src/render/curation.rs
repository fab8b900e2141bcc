//! The curation page of an adopted archive (adopt profile only): for each post-mortem,
//! what was read from its text rather than its front matter and from where, what is
//! still missing, and what was suggested from its prose, with the command that writes
//! it all down.

use serde::Serialize;

use super::sink::{Page, Pages};
use super::views::IncidentCard;
use crate::config::Profile;
use crate::error::Result;
use crate::model::Incident;
use crate::urls;

#[derive(Serialize)]
struct Curation<'a> {
    rows: Vec<Row<'a>>,
    /// Post-mortems with nothing read from the text and nothing missing.
    complete: usize,
    total: usize,
    suggested_factors: usize,
    suggested_actions: usize,
}

#[derive(Serialize)]
struct Row<'a> {
    card: &'a IncidentCard,
    /// "date: the file name".
    inferred: Vec<String>,
    /// Required fields and sections neither written nor read from the text.
    missing: Vec<String>,
    factors: usize,
    actions: usize,
}

pub(super) fn curation(pages: &Pages) -> Result<()> {
    let Pages {
        kb, config, cards, ..
    } = *pages;
    if config.validation.profile != Profile::Adopt {
        return Ok(());
    }
    let rows: Vec<Row> = kb
        .book
        .incidents
        .iter()
        .zip(cards)
        .map(|(i, card)| Row {
            card,
            inferred: i
                .inferred
                .iter()
                .map(|(field, from)| format!("{field}: {from}"))
                .collect(),
            missing: missing(i, config),
            factors: i
                .factors
                .iter()
                .filter(|f| crate::parse::provisional::is_provisional(&f.id))
                .count(),
            actions: i.action_items.iter().filter(|a| a.suggested).count(),
        })
        .collect();
    let data = Curation {
        complete: rows
            .iter()
            .filter(|r| r.inferred.is_empty() && r.missing.is_empty())
            .count(),
        total: rows.len(),
        suggested_factors: rows.iter().map(|r| r.factors).sum(),
        suggested_actions: rows.iter().map(|r| r.actions).sum(),
        rows,
    };
    pages.page(Page {
        url: urls::CURATION.to_owned(),
        template: "curation.html",
        title: "Curation",
        kind: "curation",
        data,
    })
}

/// The required fields `incident` neither writes nor had read from its text, and the
/// required sections it has no heading for.
fn missing(incident: &Incident, config: &crate::config::Config) -> Vec<String> {
    let rules = &config.validation;
    let fields = rules
        .required_fields
        .iter()
        .filter(|f| !incident.declared.contains_key(f.as_str()))
        .filter(|f| !incident.inferred.iter().any(|(i, _)| i == *f))
        .map(String::clone);
    let sections = rules
        .sections
        .iter()
        .filter(|r| r.required)
        .filter(|r| !incident.has_section(&r.name))
        .map(|r| format!("section {}", r.name));
    fields.chain(sections).collect()
}
