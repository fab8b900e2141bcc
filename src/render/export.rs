//! Machine-readable outputs: `api/incidents.json` (with its JSON Schema), the Atom feed
//! and the sitemap, so dashboards, feed readers and crawlers can build on the book.

use atom_syndication::{Entry, Feed, Link, Person, Text};
use chrono::{FixedOffset, NaiveDate, TimeZone};
use serde::Serialize;

use crate::link::{ActionCounts, KnowledgeBase};
use crate::model::Incident;
use crate::urls;

/// The JSON Schema of `api/incidents.json` (draft 2020-12), published beside it.
pub const INCIDENTS_SCHEMA: &str = include_str!("incidents.schema.json");

/// How many post-mortems the feed carries.
const FEED_ENTRIES: usize = 50;

#[derive(Serialize)]
struct ApiFactor<'a> {
    id: &'a str,
    title: &'a str,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct ApiAction<'a> {
    id: &'a str,
    title: &'a str,
    owner: Option<&'a str>,
    due: Option<String>,
    closed: Option<String>,
    status: &'a str,
    overdue: bool,
    addresses: &'a [String],
    link: Option<&'a str>,
}

#[derive(Serialize)]
struct ApiIncident<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    date: Option<String>,
    severity: Option<&'a str>,
    status: Option<&'a str>,
    summary: Option<&'a str>,
    services: &'a [String],
    teams: &'a [String],
    tags: &'a [String],
    authors: &'a [String],
    started: Option<String>,
    detected: Option<String>,
    mitigated: Option<String>,
    resolved: Option<String>,
    minutes_to_detect: Option<i64>,
    minutes_to_mitigate: Option<i64>,
    minutes_to_resolve: Option<i64>,
    contributing_factors: Vec<ApiFactor<'a>>,
    action_items: Vec<ApiAction<'a>>,
}

#[derive(Serialize)]
struct Api<'a> {
    version: u32,
    as_of: String,
    /// The sets every page counts (`link::ActionCounts`).
    action_items: ActionCounts,
    incidents: Vec<ApiIncident<'a>>,
}

/// `api/incidents.json`: every post-mortem's metadata, factors, action items and
/// durations, newest first. URLs are relative to the site root.
pub fn incidents_json(kb: &KnowledgeBase) -> Vec<u8> {
    let incidents = kb
        .book
        .incidents
        .iter()
        .map(|i| {
            let d = i.durations();
            let t = |x: Option<chrono::DateTime<FixedOffset>>| x.map(|x| x.to_rfc3339());
            ApiIncident {
                slug: &i.slug,
                url: urls::incident(&i.slug),
                title: &i.title,
                date: i.date.map(|d| d.to_string()),
                severity: i.severity.as_deref(),
                status: i.status.as_deref(),
                summary: i.summary.as_deref(),
                services: &i.services,
                teams: &i.teams,
                tags: &i.tags,
                authors: &i.authors,
                started: t(i.timestamps.started),
                detected: t(i.timestamps.detected),
                mitigated: t(i.timestamps.mitigated),
                resolved: t(i.timestamps.resolved),
                minutes_to_detect: d.to_detect,
                minutes_to_mitigate: d.to_mitigate,
                minutes_to_resolve: d.to_resolve,
                contributing_factors: i
                    .factors
                    .iter()
                    .map(|f| ApiFactor {
                        id: &f.id,
                        title: kb
                            .factor_index
                            .get(f.id.as_str())
                            .map_or(f.id.as_str(), |&n| kb.factors[n].title()),
                        note: f.note.as_deref(),
                    })
                    .collect(),
                action_items: i
                    .action_items
                    .iter()
                    .map(|a| ApiAction {
                        id: &a.id,
                        title: &a.title,
                        owner: a.owner.as_deref(),
                        due: a.due.map(|d| d.to_string()),
                        closed: a.closed.map(|d| d.to_string()),
                        status: match a.status {
                            crate::model::ActionStatus::Open => "open",
                            crate::model::ActionStatus::InProgress => "in-progress",
                            crate::model::ActionStatus::Done => "done",
                            crate::model::ActionStatus::WontDo => "wont-do",
                        },
                        overdue: kb.is_overdue(a),
                        addresses: &a.addresses,
                        link: a.link.as_deref(),
                    })
                    .collect(),
            }
        })
        .collect();
    // Compact, as a machine reads it. Sized for the whole file up front (about 1.5 KB a
    // post-mortem): grown by doubling, the 15 MB of a 10,000 post-mortem book were
    // copied into fresh memory at every doubling, each copy faulting its pages in.
    let mut out = Vec::with_capacity(kb.book.incidents.len() * 2 * 1024 + 1024);
    serde_json::to_writer(
        &mut out,
        &Api {
            version: 1,
            as_of: kb.as_of.to_string(),
            action_items: kb.action_counts(kb.book.incidents.iter().flat_map(|i| &i.action_items)),
            incidents,
        },
    )
    .expect("serializes");
    out
}

fn midnight(d: NaiveDate) -> chrono::DateTime<FixedOffset> {
    FixedOffset::east_opt(0)
        .expect("UTC")
        .from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
}

/// When a post-mortem was last updated: its `updated` field, else its date.
fn updated(i: &Incident) -> Option<NaiveDate> {
    i.extra
        .get("updated")
        .and_then(|v| v.as_str())
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .or(i.date)
}

/// The Atom feed of the newest and most recently updated post-mortems. Links are
/// absolute when `base_url` is set, relative to the feed otherwise.
pub fn atom_feed(kb: &KnowledgeBase, title: &str, base_url: &str) -> String {
    let base = if base_url.is_empty() {
        String::new()
    } else {
        format!("{base_url}/")
    };
    let mut order: Vec<&Incident> = kb.book.incidents.iter().map(|i| &**i).collect();
    order.sort_by(|a, b| updated(b).cmp(&updated(a)).then(a.slug.cmp(&b.slug)));
    let entries: Vec<Entry> = order
        .iter()
        .take(FEED_ENTRIES)
        .map(|i| {
            let url = format!("{base}{}", urls::incident(&i.slug));
            let mut entry = Entry::default();
            entry.set_id(if base.is_empty() {
                format!("urn:incidentbook:{}", i.slug)
            } else {
                url.clone()
            });
            entry.set_title(Text::plain(i.title.clone()));
            entry.set_updated(
                updated(i)
                    .map(midnight)
                    .unwrap_or_else(|| midnight(kb.as_of)),
            );
            entry.set_published(i.date.map(midnight));
            entry.set_links(vec![Link {
                href: url,
                rel: "alternate".to_owned(),
                mime_type: Some("text/html".to_owned()),
                ..Link::default()
            }]);
            entry.set_authors(
                i.authors
                    .iter()
                    .map(|a| Person {
                        name: a.clone(),
                        ..Person::default()
                    })
                    .collect::<Vec<_>>(),
            );
            // What the post-mortem says; what it does not is left out, not "unknown".
            let services = i.services.join(", ");
            let known: Vec<&str> = [
                i.severity.as_deref(),
                i.status.as_deref(),
                Some(services.as_str()),
            ]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
            let summary = format!(
                "{}{}",
                known.join(" · "),
                i.summary
                    .as_deref()
                    .map(|s| format!(" — {s}"))
                    .unwrap_or_default()
            );
            entry.set_summary(Some(Text::plain(summary)));
            entry
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_title(Text::plain(title.to_owned()));
    feed.set_id(if base.is_empty() {
        "urn:incidentbook:feed".to_owned()
    } else {
        format!("{base}{}", urls::FEED)
    });
    feed.set_updated(
        entries
            .first()
            .map(|e| *e.updated())
            .unwrap_or_else(|| midnight(kb.as_of)),
    );
    feed.set_links(vec![
        Link {
            href: format!("{base}{}", urls::FEED),
            rel: "self".to_owned(),
            ..Link::default()
        },
        Link {
            href: format!("{base}{}", urls::HOME),
            rel: "alternate".to_owned(),
            ..Link::default()
        },
    ]);
    feed.set_entries(entries);
    feed.to_string()
}

/// `sitemap.xml`: every page, absolute under `base_url` (which must be set).
pub fn sitemap(pages: &[&str], base_url: &str) -> String {
    use quick_xml::events::{BytesDecl, BytesText, Event};
    let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    let io = "writing to memory cannot fail";
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect(io);
    w.create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .write_inner_content(|w| {
            for page in pages.iter().filter(|p| **p != urls::NOT_FOUND) {
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(&format!("{base_url}/{page}")))?;
                    Ok(())
                })?;
            }
            Ok(())
        })
        .expect(io);
    String::from_utf8(w.into_inner()).expect("UTF-8")
}
