//! What templates see: plain, ready-to-print data built from the model.

use serde::Serialize;

use super::{links, urls};
use crate::config::Config;
use crate::link::KnowledgeBase;
use crate::model::{Durations, Incident, format_minutes};

#[derive(Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
}

impl SiteView {
    pub fn new(config: &Config) -> SiteView {
        SiteView {
            title: config.book.title.clone(),
            description: config.book.description.clone(),
            language: config.book.language.clone(),
            base_url: config.book.base_url.trim_end_matches('/').to_owned(),
        }
    }
}

/// A post-mortem as listed on the home and index pages.
#[derive(Serialize, Clone)]
pub struct IncidentCard {
    pub slug: String,
    /// Relative to the site root; templates prefix it with `root`.
    pub url: String,
    pub title: String,
    pub date: String,
    pub severity: String,
    /// The severity as a CSS class name (`sev1`).
    pub severity_class: String,
    pub status: String,
    pub services: Vec<String>,
    pub teams: Vec<String>,
    pub duration: Option<String>,
    pub summary: Option<String>,
}

impl IncidentCard {
    pub fn new(i: &Incident) -> IncidentCard {
        let severity = i.severity.clone().unwrap_or_else(|| "unknown".to_owned());
        IncidentCard {
            slug: i.slug.clone(),
            url: urls::incident(&i.slug),
            title: i.title.clone(),
            date: i.date.map(|d| d.to_string()).unwrap_or_default(),
            severity_class: slug::slugify(&severity),
            severity,
            status: i.status.clone().unwrap_or_else(|| "unknown".to_owned()),
            services: i.services.clone(),
            teams: i.teams.clone(),
            duration: Durations::of(&i.timestamps).total().map(format_minutes),
            summary: i.summary.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct SectionView {
    pub title: String,
    /// The canonical section it stands for, so templates can place data beside it.
    pub canonical: Option<String>,
    pub anchor: String,
    pub html: String,
}

#[derive(Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub text: String,
    pub anchor: String,
}

#[derive(Serialize)]
pub struct Moment {
    pub label: &'static str,
    pub at: String,
    /// Minutes after the start, formatted ("+9m").
    pub after_start: Option<String>,
}

#[derive(Serialize)]
pub struct FactorView {
    pub id: String,
    pub title: String,
    pub category: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct ActionItemView {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: &'static str,
    pub status_class: String,
    pub link: Option<String>,
    pub addresses: Vec<String>,
}

#[derive(Serialize)]
pub struct IncidentPage<'a> {
    pub card: &'a IncidentCard,
    pub authors: &'a [String],
    pub tags: &'a [String],
    pub moments: Vec<Moment>,
    pub time_to_detect: Option<String>,
    pub time_to_mitigate: Option<String>,
    pub time_to_resolve: Option<String>,
    pub preamble_html: String,
    pub sections: Vec<SectionView>,
    pub toc: Vec<TocEntry>,
    pub factors: Vec<FactorView>,
    pub action_items: Vec<ActionItemView>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub words: usize,
    pub reading_minutes: usize,
    pub previous: Option<&'a IncidentCard>,
    pub next: Option<&'a IncidentCard>,
}

impl<'a> IncidentPage<'a> {
    pub fn new(
        i: &'a Incident,
        card: &'a IncidentCard,
        kb: &KnowledgeBase,
        root: &str,
        previous: Option<&'a IncidentCard>,
        next: Option<&'a IncidentCard>,
    ) -> IncidentPage<'a> {
        let durations = Durations::of(&i.timestamps);
        let t = &i.timestamps;
        let moments = [
            ("Started", t.started, Some(0)),
            ("Detected", t.detected, durations.to_detect),
            ("Mitigated", t.mitigated, durations.to_mitigate),
            ("Resolved", t.resolved, durations.to_resolve),
        ]
        .into_iter()
        .filter_map(|(label, at, after)| {
            Some(Moment {
                label,
                at: at?
                    .format("%Y-%m-%d %H:%M %:z")
                    .to_string()
                    .replace("+00:00", "UTC"),
                after_start: after
                    .filter(|m| *m > 0)
                    .map(|m| format!("+{}", format_minutes(m))),
            })
        })
        .collect();
        let sections = i
            .body
            .sections
            .iter()
            .map(|s| SectionView {
                title: s.title.clone(),
                canonical: s.canonical.clone(),
                anchor: s.anchor.clone(),
                html: links::resolve(&s.html, i, kb, root),
            })
            .collect();
        let toc = i
            .body
            .headings
            .iter()
            .filter(|h| h.level <= 3)
            .map(|h| TocEntry {
                level: h.level,
                text: h.text.clone(),
                anchor: h.anchor.clone(),
            })
            .collect();
        let factors = i
            .factors
            .iter()
            .map(|f| {
                let known = kb.factors.get(f.id.as_str());
                FactorView {
                    id: f.id.clone(),
                    title: known.map_or_else(|| f.id.clone(), |k| k.title.clone()),
                    category: known.and_then(|k| k.category.clone()),
                    note: f.note.clone(),
                }
            })
            .collect();
        let action_items = i
            .action_items
            .iter()
            .map(|a| ActionItemView {
                id: a.id.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                due: a.due.map(|d| d.to_string()),
                status: a.status.label(),
                status_class: slug::slugify(a.status.label()),
                link: a.link.clone(),
                addresses: a.addresses.clone(),
            })
            .collect();
        IncidentPage {
            card,
            authors: &i.authors,
            tags: &i.tags,
            moments,
            time_to_detect: durations.to_detect.map(format_minutes),
            time_to_mitigate: durations.to_mitigate.map(format_minutes),
            time_to_resolve: durations.to_resolve.map(format_minutes),
            preamble_html: links::resolve(&i.body.preamble_html, i, kb, root),
            sections,
            toc,
            factors,
            action_items,
            extra: &i.extra,
            words: i.body.words,
            reading_minutes: i.body.words.div_ceil(220).max(1),
            previous,
            next,
        }
    }
}
