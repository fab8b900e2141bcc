//! What templates see: plain, ready-to-print data built from the model and the
//! knowledge base. URLs are relative to the site root; templates prefix them with
//! `root`.

use serde::Serialize;

use super::{links, timeline};
use crate::config::Config;
use crate::link::{ActionCounts, Evidence, KnowledgeBase, Target};
use crate::model::{ACTION_ITEMS, ActionStatus, Incident, TIMELINE, Zone, format_minutes};
use crate::urls;

#[derive(Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    /// The adopt profile: the header links the curation page.
    pub adopt: bool,
}

impl SiteView {
    pub fn new(config: &Config) -> SiteView {
        SiteView {
            title: config.book.title.clone(),
            description: config.book.description.clone(),
            language: config.book.language.clone(),
            base_url: config.book.base_url.trim_end_matches('/').to_owned(),
            adopt: config.validation.profile == crate::config::Profile::Adopt,
        }
    }
}

/// A post-mortem as listed anywhere.
#[derive(Serialize, Clone)]
pub struct IncidentCard {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub date: String,
    /// Left out of the page when the post-mortem does not say (never "unknown").
    pub severity: Option<String>,
    /// The severity as a CSS class name (`sev1`).
    pub severity_class: Option<String>,
    pub status: Option<String>,
    pub services: Vec<String>,
    pub teams: Vec<String>,
    pub duration: Option<String>,
    pub summary: Option<String>,
    /// Marked as also in the public edition (in the internal edition only).
    pub public: bool,
}

impl IncidentCard {
    pub fn new(i: &Incident, public: bool) -> IncidentCard {
        IncidentCard {
            slug: i.slug.clone(),
            url: urls::incident(&i.slug),
            title: i.title.clone(),
            date: i.date.map(|d| d.to_string()).unwrap_or_default(),
            severity_class: i.severity.as_deref().map(slug::slugify),
            severity: i.severity.clone(),
            status: i.status.clone(),
            services: i.services.clone(),
            teams: i.teams.clone(),
            duration: i.durations().total().map(format_minutes),
            summary: i.summary.clone(),
            public,
        }
    }
}

/// A link with its text.
#[derive(Serialize, Clone)]
pub struct LinkView {
    pub url: String,
    pub title: String,
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    /// The canonical section it stands for, so templates can place data beside it.
    pub canonical: Option<&'a str>,
    pub anchor: &'a str,
    /// Borrowed from the parse when no placeholder needed filling in.
    pub html: std::borrow::Cow<'a, str>,
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

/// One phase of an incident, from one key moment to the next, for the bar drawn to
/// scale on its page.
#[derive(Serialize)]
pub struct Phase {
    /// `detect`, `mitigate` or `resolve`: the class that colours it.
    pub key: &'static str,
    pub label: &'static str,
    /// Its length ("19m").
    pub span: String,
    /// Its share of the bar: its length in minutes, at least 1 so it stays visible.
    pub grow: i64,
}

/// The phases of an incident whose started, detected, mitigated and resolved moments
/// are all known and in order; none otherwise (a partial bar would mislead).
fn phases(d: &crate::model::Durations) -> Vec<Phase> {
    let (Some(detect), Some(mitigate), Some(resolve)) = (d.to_detect, d.to_mitigate, d.to_resolve)
    else {
        return Vec::new();
    };
    if !(0 <= detect && detect <= mitigate && mitigate <= resolve && resolve > 0) {
        return Vec::new();
    }
    [
        ("detect", "Detect", detect),
        ("mitigate", "Mitigate", mitigate - detect),
        ("resolve", "Resolve", resolve - mitigate),
    ]
    .into_iter()
    .map(|(key, label, minutes)| Phase {
        key,
        label,
        span: format_minutes(minutes),
        grow: minutes.max(1),
    })
    .collect()
}

/// A factor as a post-mortem cites it.
#[derive(Serialize)]
pub struct FactorChip {
    pub id: String,
    pub url: Option<String>,
    pub title: String,
    pub category: Option<String>,
    pub note: Option<String>,
    /// How many incidents it contributed to, this one included.
    pub recurrence: usize,
    /// A suggested entry, read from this post-mortem's own prose.
    pub suggested: bool,
}

/// An action item, wherever it is listed.
#[derive(Serialize, Clone)]
pub struct ActionRow {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: &'static str,
    pub status_class: &'static str,
    pub overdue: bool,
    /// The tracker link.
    pub link: Option<String>,
    pub incident: LinkView,
    pub factors: Vec<LinkView>,
    /// Read from the post-mortem's prose (adopt profile), not declared.
    pub suggested: bool,
}

impl ActionRow {
    pub fn new(kb: &KnowledgeBase, n: usize) -> ActionRow {
        let (incident, item) = kb.action(n);
        let factors = item
            .addresses
            .iter()
            .map(|id| match kb.factor_index.get(id.as_str()) {
                Some(&f) => LinkView {
                    url: urls::factor(kb.factors[f].id),
                    title: kb.factors[f].title().to_owned(),
                },
                None => LinkView {
                    url: String::new(),
                    title: id.clone(),
                },
            })
            .collect();
        ActionRow {
            id: item.id.clone(),
            // A suggested item is drawn as its own words in the Action Items section.
            anchor: match item.suggested {
                true => incident
                    .body
                    .sections
                    .iter()
                    .find(|s| s.canonical.as_deref() == Some(ACTION_ITEMS))
                    .map_or_else(|| urls::action_anchor(&item.id), |s| s.anchor.clone()),
                false => urls::action_anchor(&item.id),
            },
            title: item.title.clone(),
            owner: item.owner.clone(),
            due: item.due.map(|d| d.to_string()),
            status: item.status.label(),
            status_class: item.status.class(),
            overdue: kb.is_overdue(item),
            link: item.link.clone(),
            incident: LinkView {
                url: urls::incident(&incident.slug),
                title: incident.title.clone(),
            },
            factors,
            suggested: item.suggested,
        }
    }
}

#[derive(Serialize)]
pub struct RelatedView<'a> {
    pub card: &'a IncidentCard,
    pub reason: String,
}

#[derive(Serialize)]
pub struct IncidentPage<'a> {
    pub card: &'a IncidentCard,
    pub authors: &'a [String],
    pub tags: Vec<LinkView>,
    pub services: Vec<LinkView>,
    pub teams: Vec<LinkView>,
    pub moments: Vec<Moment>,
    pub time_to_detect: Option<String>,
    pub time_to_mitigate: Option<String>,
    pub time_to_resolve: Option<String>,
    /// Detect, mitigate and resolve to scale, when every moment is known and in order.
    pub phases: Vec<Phase>,
    pub preamble_html: std::borrow::Cow<'a, str>,
    pub sections: Vec<SectionView<'a>>,
    pub toc: Vec<TocEntry>,
    pub factors: Vec<FactorChip>,
    pub action_items: Vec<ActionRow>,
    pub related: Vec<RelatedView<'a>>,
    pub backlinks: Vec<&'a IncidentCard>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub words: usize,
    pub reading_minutes: usize,
    /// What was read from the text rather than the front matter (adopt profile):
    /// "date from the file name".
    pub inferred: Vec<String>,
    pub previous: Option<&'a IncidentCard>,
    pub next: Option<&'a IncidentCard>,
}

fn term_links(key: &str, terms: &[String]) -> Vec<LinkView> {
    terms
        .iter()
        .map(|t| LinkView {
            url: urls::taxonomy_term(key, t),
            title: t.clone(),
        })
        .collect()
}

impl<'a> IncidentPage<'a> {
    /// The page of `i`, the post-mortem at `index` of the book (or a newer parse of it
    /// with the same outline).
    pub fn new(
        i: &'a Incident,
        index: usize,
        kb: &KnowledgeBase<'a>,
        cards: &'a [IncidentCard],
        root: &str,
        zone: Zone,
    ) -> IncidentPage<'a> {
        let durations = i.durations();
        let t = &i.timestamps;
        let moments = [
            ("Started", t.started, Some(0)),
            ("Detected", t.detected, durations.to_detect),
            ("Mitigated", t.mitigated, durations.to_mitigate),
            ("Resolved", t.resolved, durations.to_resolve),
        ]
        .into_iter()
        .scan(None, |day, (label, at, after)| {
            Some(at.map(|at| (label, at, after, day.replace(at.date_naive()))))
        })
        .flatten()
        .map(|(label, at, after, previous_day)| {
            // A moment on the same day as the one before it gives only its time.
            let format = if previous_day == Some(at.date_naive()) {
                "%H:%M %:z"
            } else {
                "%Y-%m-%d %H:%M %:z"
            };
            Moment {
                label,
                at: at.format(format).to_string().replace("+00:00", "UTC"),
                after_start: after
                    .filter(|m| *m > 0)
                    .map(|m| format!("+{}", format_minutes(m))),
            }
        })
        .collect();
        let phases = phases(&durations);
        let declares_actions = i.action_items.iter().any(|a| !a.suggested);
        let sections = i
            .body
            .sections
            .iter()
            .map(|s| {
                let html = if s.links {
                    links::resolve(&s.html, i, kb, root)
                } else {
                    std::borrow::Cow::Borrowed(s.html.as_str())
                };
                SectionView {
                    title: &s.title,
                    canonical: s.canonical.as_deref(),
                    anchor: &s.anchor,
                    html: match s.canonical.as_deref() {
                        Some(TIMELINE) => timeline::draw(html, i, zone),
                        // The declared items are drawn as one table below the section:
                        // the author's own table of them would say it all twice.
                        Some(ACTION_ITEMS) if declares_actions => without_tables(html),
                        _ => html,
                    },
                }
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
                let links = kb.factor_index.get(f.id.as_str()).map(|&n| &kb.factors[n]);
                FactorChip {
                    // The id it is known by: an alias (a provisional factor's) shows as
                    // the entry it stands for.
                    id: links.map_or_else(|| f.id.clone(), |l| l.id.to_owned()),
                    url: links.map(|l| urls::factor(l.id)),
                    title: links.map_or_else(|| f.id.clone(), |l| l.title().to_owned()),
                    category: links
                        .and_then(|l| l.factor)
                        .and_then(|k| k.category.clone()),
                    note: f.note.clone(),
                    recurrence: links.map_or(1, |l| l.incidents.len()),
                    suggested: links.and_then(|l| l.factor).is_some_and(|k| k.suggested),
                }
            })
            .collect();
        let action_items = i
            .action_items
            .iter()
            .filter_map(|a| kb.action_index.get(a.id.as_str()))
            .map(|&n| ActionRow::new(kb, n))
            .collect();
        let related = kb.related()[index]
            .iter()
            .map(|r| RelatedView {
                card: &cards[r.incident],
                reason: crate::similar::reason(
                    &r.shared,
                    kb.book.incidents.len(),
                    crate::similar::Detail::Short,
                ),
            })
            .collect();
        let backlinks = kb
            .backlinks
            .get(&Target::Incident(index))
            .into_iter()
            .flatten()
            .map(|&j| &cards[j])
            .collect();
        IncidentPage {
            card: &cards[index],
            authors: &i.authors,
            tags: term_links("tags", &i.tags),
            services: term_links("services", &i.services),
            teams: term_links("teams", &i.teams),
            moments,
            // Drawn as the phase bar when there is one: not said twice.
            time_to_detect: durations
                .to_detect
                .filter(|_| phases.is_empty())
                .map(format_minutes),
            time_to_mitigate: durations
                .to_mitigate
                .filter(|_| phases.is_empty())
                .map(format_minutes),
            time_to_resolve: durations
                .to_resolve
                .filter(|_| phases.is_empty())
                .map(format_minutes),
            phases,
            preamble_html: links::resolve(&i.body.preamble_html, i, kb, root),
            sections,
            toc,
            factors,
            action_items,
            related,
            backlinks,
            extra: &i.extra,
            words: i.body.words,
            reading_minutes: i.body.words.div_ceil(220).max(1),
            inferred: i
                .inferred
                .iter()
                .map(|(field, from)| format!("{field} from {from}"))
                .collect(),
            // The list is newest first: "previous" in time is the next entry.
            previous: cards.get(index + 1),
            next: index.checked_sub(1).and_then(|j| cards.get(j)),
        }
    }
}

/// `html` without its tables.
fn without_tables(html: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    if !html.contains("<table") {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest: &str = &html;
    while let Some(start) = rest.find("<table") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</table>")
            .map_or("", |end| &rest[start + end + "</table>".len()..]);
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Post-mortems and action items still to do a factor's page lists: at scale, the latest
/// post-mortems and the first items (every item to do is on its team's board).
pub const FACTOR_LIST_MAX: usize = 50;

/// Finished action items a factor's page lists, the latest: enough to show what was done
/// about it; its counts say how many in all.
pub const FACTOR_FINISHED_MAX: usize = 20;

/// A factor's own page.
#[derive(Serialize)]
pub struct FactorPage<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub category: Option<&'a str>,
    pub aliases: &'a [String],
    pub description_html: &'a str,
    pub catalogued: bool,
    /// Grouped from the archive's own words (`crate::suggest`), not catalogued.
    pub suggested: bool,
    /// The latest [`FACTOR_LIST_MAX`], oldest first.
    pub incidents: Vec<&'a IncidentCard>,
    pub incidents_shown: usize,
    /// The listing of every one, when not all are shown here.
    pub all_incidents: Option<String>,
    pub recurrence: usize,
    pub first_seen: Option<&'a str>,
    pub last_seen: Option<&'a str>,
    /// The first [`FACTOR_LIST_MAX`] still to do, then the latest
    /// [`FACTOR_FINISHED_MAX`] finished.
    pub actions: Vec<ActionRow>,
    pub actions_total: usize,
    pub finished_not_shown: usize,
    /// Items still to do beyond the first ones (each is on its team's board).
    pub to_do_not_shown: usize,
    pub actions_done: usize,
    /// Its action items' sets, and their key in `data-ib-count` marks (`factor:ID`).
    pub counts: ActionCounts,
    pub scope: String,
    pub as_of: String,
    pub recurred_after_done: Vec<RecurrenceView<'a>>,
    pub backlinks: Vec<&'a IncidentCard>,
}

impl<'a> FactorPage<'a> {
    pub fn new(n: usize, kb: &'a KnowledgeBase<'a>, cards: &'a [IncidentCard]) -> FactorPage<'a> {
        let f = &kb.factors[n];
        let incidents: Vec<&IncidentCard> = f.incidents.iter().map(|&i| &cards[i]).collect();
        // Every action item still to do; of the finished ones, the latest.
        let (to_do, finished): (Vec<usize>, Vec<usize>) = f.actions.iter().partition(|&&a| {
            matches!(
                kb.action(a).1.status,
                ActionStatus::Open | ActionStatus::InProgress
            )
        });
        let shown_to_do = &to_do[..to_do.len().min(FACTOR_LIST_MAX)];
        let shown_finished = &finished[finished.len().saturating_sub(FACTOR_FINISHED_MAX)..];
        // Under "Action items addressing it", each row names only the other factors it
        // addresses: this page's own would repeat on every row.
        let own = urls::factor(f.id);
        let actions: Vec<ActionRow> = shown_to_do
            .iter()
            .chain(shown_finished)
            .map(|&a| {
                let mut row = ActionRow::new(kb, a);
                row.factors.retain(|l| l.url != own);
                row
            })
            .collect();
        FactorPage {
            actions_total: f.actions.len(),
            finished_not_shown: finished.len() - shown_finished.len(),
            to_do_not_shown: to_do.len() - shown_to_do.len(),
            incidents_shown: incidents.len().min(FACTOR_LIST_MAX),
            all_incidents: (incidents.len() > FACTOR_LIST_MAX)
                .then(|| urls::factor_incidents(f.id, 1)),
            id: f.id,
            title: f.title(),
            category: f.factor.and_then(|k| k.category.as_deref()),
            aliases: f.factor.map_or(&[], |k| k.aliases.as_slice()),
            description_html: f.factor.map_or("", |k| k.description_html.as_str()),
            catalogued: f.factor.is_some_and(|k| !k.suggested),
            suggested: f.factor.is_some_and(|k| k.suggested),
            recurrence: incidents.len(),
            first_seen: incidents.first().map(|c| c.date.as_str()),
            last_seen: incidents.last().map(|c| c.date.as_str()),
            incidents: incidents[incidents.len().saturating_sub(FACTOR_LIST_MAX)..].to_vec(),
            actions_done: f
                .actions
                .iter()
                .filter(|&&a| kb.action(a).1.status == ActionStatus::Done)
                .count(),
            actions,
            counts: kb.action_counts_of(&f.actions),
            scope: format!("factor:{}", f.id),
            as_of: kb.as_of.to_string(),
            recurred_after_done: f
                .recurred_after_done
                .iter()
                .map(|r| RecurrenceView {
                    card: &cards[r.incident],
                    fixed_by: r.fixed_by.to_string(),
                    closed: r.closed,
                })
                .collect(),
            backlinks: kb
                .backlinks
                .get(&Target::Factor(n))
                .into_iter()
                .flatten()
                .map(|&j| &cards[j])
                .collect(),
        }
    }
}

/// A post-mortem citing a factor after its action items were done, with the evidence.
#[derive(Serialize)]
pub struct RecurrenceView<'a> {
    pub card: &'a IncidentCard,
    /// When the items were done by.
    pub fixed_by: String,
    /// Whether by their `closed` dates (else by due dates).
    pub closed: bool,
}

/// A factor as listed in the index.
#[derive(Serialize)]
pub struct FactorRow<'a> {
    pub id: &'a str,
    pub url: String,
    pub title: &'a str,
    pub recurrence: usize,
    /// Its action items still to do (open or in progress).
    pub to_do: usize,
    pub last_seen: Option<&'a str>,
    /// Whether it recurred after its action items were done, and on what evidence.
    pub recurring_after_done: Option<Evidence>,
    pub suggested: bool,
}

#[derive(Serialize)]
pub struct FactorGroup<'a> {
    pub category: String,
    pub factors: Vec<FactorRow<'a>>,
}

/// The factor index's group of factors suggested from an adopted archive's prose.
pub const SUGGESTED_GROUP: &str = "suggested from the post-mortems' own words";

/// The factor index: grouped by category, most recurring first within each.
pub fn factor_groups<'a>(
    kb: &'a KnowledgeBase<'a>,
    cards: &'a [IncidentCard],
) -> Vec<FactorGroup<'a>> {
    let mut groups: std::collections::BTreeMap<String, Vec<FactorRow>> = Default::default();
    for f in &kb.factors {
        let suggested = f.factor.is_some_and(|k| k.suggested);
        let category = match f.factor {
            _ if suggested => SUGGESTED_GROUP.to_owned(),
            Some(k) => k
                .category
                .clone()
                .unwrap_or_else(|| "uncategorised".to_owned()),
            None => "uncategorised".to_owned(),
        };
        groups.entry(category).or_default().push(FactorRow {
            id: f.id,
            url: urls::factor(f.id),
            title: f.title(),
            recurrence: f.incidents.len(),
            to_do: kb.action_counts_of(&f.actions).to_do,
            last_seen: f.incidents.last().map(|&i| cards[i].date.as_str()),
            recurring_after_done: f.recurrence_evidence(|_| true),
            suggested,
        });
    }
    let mut out: Vec<FactorGroup> = groups
        .into_iter()
        .map(|(category, mut factors)| {
            factors.sort_by(|a, b| b.recurrence.cmp(&a.recurrence).then(a.id.cmp(b.id)));
            FactorGroup { category, factors }
        })
        .collect();
    // Groups with the most recurrences first.
    out.sort_by_key(|g| std::cmp::Reverse(g.factors.iter().map(|f| f.recurrence).sum::<usize>()));
    out
}

/// How many items each column of the board's index lists; the rest are on the team
/// pages, so the index stays small at any scale.
pub const BOARD_LIST_MAX: usize = 100;

/// Counts of action items under a heading (a team, a factor), with its page.
#[derive(Serialize)]
pub struct ActionGroup {
    pub name: String,
    pub url: String,
    /// The set's key in the page's `data-ib-count` marks: `team:NAME`, `factor:ID`.
    pub scope: String,
    pub counts: ActionCounts,
}

/// One column of a board: overdue, open, in progress, done, won't do.
#[derive(Serialize)]
pub struct BoardColumn {
    pub anchor: &'static str,
    pub title: &'static str,
    pub total: usize,
    pub items: Vec<ActionRow>,
    /// Items not listed here (see the team pages).
    pub more: usize,
    /// On a team's board, the listing of every item of the column, when not all fit.
    pub all: Option<String>,
}

/// The action-item board: the whole book's (`actions/index.html`) or one team's.
#[derive(Serialize)]
pub struct Board {
    pub as_of: String,
    /// The team, on a team's page.
    pub team: Option<String>,
    pub total: usize,
    /// The board's sets, and their key in `data-ib-count` marks (`book`, `team:NAME`).
    pub counts: ActionCounts,
    pub scope: String,
    pub columns: Vec<BoardColumn>,
    pub by_team: Vec<ActionGroup>,
    pub by_factor: Vec<ActionGroup>,
}

impl Board {
    /// The columns of a board of `members` (positions in `kb.actions`): anchor, title,
    /// whether it is work still to do, and its items in the order shown (to do: the
    /// earliest due first; finished: the latest ids first).
    pub fn column_members(
        kb: &KnowledgeBase,
        members: &[usize],
    ) -> Vec<(&'static str, &'static str, bool, Vec<usize>)> {
        let item = |n: usize| kb.action(n).1;
        let column = |anchor, title, want: &dyn Fn(usize) -> bool, to_do: bool| {
            let mut chosen: Vec<usize> = members.iter().copied().filter(|&n| want(n)).collect();
            if to_do {
                chosen.sort_by_key(|&n| (item(n).due, n));
            } else {
                chosen.reverse();
            }
            (anchor, title, to_do, chosen)
        };
        vec![
            column(
                "overdue",
                "to do, overdue",
                &|n| kb.is_overdue(item(n)),
                true,
            ),
            column(
                "open",
                "open, not overdue",
                &|n| item(n).status == ActionStatus::Open && !kb.is_overdue(item(n)),
                true,
            ),
            column(
                "in-progress",
                "in progress, not overdue",
                &|n| item(n).status == ActionStatus::InProgress && !kb.is_overdue(item(n)),
                true,
            ),
            column(
                "done",
                "done",
                &|n| item(n).status == ActionStatus::Done,
                false,
            ),
            column(
                "wont-do",
                "won't do",
                &|n| item(n).status == ActionStatus::WontDo,
                false,
            ),
        ]
    }

    /// The board of `members`, each column cut at [`BOARD_LIST_MAX`]; on a team's board
    /// (`team`), a longer column of work to do links to all of it, page by page.
    fn columns(kb: &KnowledgeBase, members: &[usize], team: Option<&str>) -> Vec<BoardColumn> {
        Board::column_members(kb, members)
            .into_iter()
            .map(|(anchor, title, to_do, chosen)| {
                let total = chosen.len();
                BoardColumn {
                    anchor,
                    title,
                    total,
                    items: chosen
                        .iter()
                        .take(BOARD_LIST_MAX)
                        .map(|&n| ActionRow::new(kb, n))
                        .collect(),
                    more: total.saturating_sub(BOARD_LIST_MAX),
                    all: team
                        .filter(|_| to_do && total > BOARD_LIST_MAX)
                        .map(|t| urls::team_board_column(t, anchor, 1)),
                }
            })
            .collect()
    }

    fn group(
        kb: &KnowledgeBase,
        name: String,
        url: String,
        scope: String,
        members: &[usize],
    ) -> ActionGroup {
        ActionGroup {
            name,
            url,
            scope,
            counts: kb.action_counts_of(members),
        }
    }

    /// Action items by owning team ("no owner" for items without one).
    pub fn teams(kb: &KnowledgeBase) -> std::collections::BTreeMap<String, Vec<usize>> {
        let mut teams: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for n in 0..kb.actions.len() {
            let owner = kb
                .action(n)
                .1
                .owner
                .clone()
                .unwrap_or_else(|| "no owner".to_owned());
            teams.entry(owner).or_default().push(n);
        }
        teams
    }

    /// The book's board.
    pub fn new(kb: &KnowledgeBase) -> Board {
        let all: Vec<usize> = (0..kb.actions.len()).collect();
        Board {
            as_of: kb.as_of.to_string(),
            team: None,
            total: all.len(),
            counts: kb.action_counts_of(&all),
            scope: "book".to_owned(),
            columns: Board::columns(kb, &all, None),
            by_team: Board::teams(kb)
                .into_iter()
                .map(|(team, members)| {
                    let url = urls::team_board(&team);
                    let scope = format!("team:{team}");
                    Board::group(kb, team, url, scope, &members)
                })
                .collect(),
            by_factor: kb
                .factors
                .iter()
                .filter(|f| !f.actions.is_empty())
                .map(|f| {
                    let scope = format!("factor:{}", f.id);
                    Board::group(
                        kb,
                        f.title().to_owned(),
                        urls::factor(f.id),
                        scope,
                        &f.actions,
                    )
                })
                .collect(),
        }
    }

    /// One team's board, every item listed.
    pub fn team(kb: &KnowledgeBase, team: &str, members: &[usize]) -> Board {
        Board {
            as_of: kb.as_of.to_string(),
            team: Some(team.to_owned()),
            total: members.len(),
            counts: kb.action_counts_of(members),
            scope: format!("team:{team}"),
            columns: Board::columns(kb, members, Some(team)),
            by_team: Vec::new(),
            by_factor: Vec::new(),
        }
    }
}

#[derive(Serialize)]
pub struct TermView {
    pub term: String,
    pub url: String,
    pub count: usize,
}

/// The index of one taxonomy (all services, all teams, …).
#[derive(Serialize)]
pub struct TaxonomyIndex {
    pub key: &'static str,
    pub name: &'static str,
    pub terms: Vec<TermView>,
}
