//! What templates see: plain, ready-to-print data built from the model and the
//! knowledge base. URLs are relative to the site root; templates prefix them with
//! `root`.

use serde::Serialize;

use super::{links, timeline};
use crate::config::Config;
use crate::insights::{Comparison, Insights, Verdict};
use crate::link::{ActionCounts, Evidence, KnowledgeBase, Shared, SharedKind, Target};
use crate::model::{ActionStatus, Incident, TIMELINE, Zone, format_minutes};
use crate::text::plural;
use crate::urls;

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
            anchor: urls::action_anchor(&item.id),
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

/// Why two post-mortems are related: the most specific thing they share, with how many
/// post-mortems of the book have it, then the rest ("factor: Manual certificate renewal
/// (3 of 1000 post-mortems); also service checkout").
fn reason(shared: &[Shared], total: usize) -> String {
    let name = |s: &Shared| match s.kind {
        SharedKind::Factor => format!("factor: {}", s.name),
        SharedKind::Service => format!("service: {}", s.name),
    };
    let Some(first) = shared.first() else {
        return String::new();
    };
    let mut out = format!(
        "{} ({} of {total} post-mortems)",
        name(first),
        first.incidents
    );
    if shared.len() > 1 {
        let rest: Vec<String> = shared[1..].iter().map(name).collect();
        out.push_str(&format!("; also {}", rest.join(", ")));
    }
    out
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
                    id: f.id.clone(),
                    url: links.map(|l| urls::factor(l.id)),
                    title: links.map_or_else(|| f.id.clone(), |l| l.title().to_owned()),
                    category: links
                        .and_then(|l| l.factor)
                        .and_then(|k| k.category.clone()),
                    note: f.note.clone(),
                    recurrence: links.map_or(1, |l| l.incidents.len()),
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
                reason: reason(&r.shared, kb.book.incidents.len()),
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
            time_to_detect: durations.to_detect.map(format_minutes),
            time_to_mitigate: durations.to_mitigate.map(format_minutes),
            time_to_resolve: durations.to_resolve.map(format_minutes),
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

/// Post-mortems and finished action items a factor's page lists: at scale, the latest.
pub const FACTOR_LIST_MAX: usize = 50;

/// A factor's own page.
#[derive(Serialize)]
pub struct FactorPage<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub category: Option<&'a str>,
    pub aliases: &'a [String],
    pub description_html: &'a str,
    pub catalogued: bool,
    /// The latest [`FACTOR_LIST_MAX`], oldest first.
    pub incidents: Vec<&'a IncidentCard>,
    pub incidents_shown: usize,
    /// The listing of every one, when not all are shown here.
    pub all_incidents: Option<String>,
    pub recurrence: usize,
    pub first_seen: Option<&'a str>,
    pub last_seen: Option<&'a str>,
    /// The first hundred still to do, then the latest finished.
    pub actions: Vec<ActionRow>,
    pub actions_total: usize,
    pub finished_not_shown: usize,
    /// Items still to do beyond the first hundred (each is on its team's board).
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
        let shown_to_do = &to_do[..to_do.len().min(2 * FACTOR_LIST_MAX)];
        let shown_finished = &finished[finished.len().saturating_sub(FACTOR_LIST_MAX)..];
        let actions: Vec<ActionRow> = shown_to_do
            .iter()
            .chain(shown_finished)
            .map(|&a| ActionRow::new(kb, a))
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
            catalogued: f.factor.is_some(),
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
}

#[derive(Serialize)]
pub struct FactorGroup<'a> {
    pub category: String,
    pub factors: Vec<FactorRow<'a>>,
}

/// The factor index: grouped by category, most recurring first within each.
pub fn factor_groups<'a>(
    kb: &'a KnowledgeBase<'a>,
    cards: &'a [IncidentCard],
) -> Vec<FactorGroup<'a>> {
    let mut groups: std::collections::BTreeMap<String, Vec<FactorRow>> = Default::default();
    for f in &kb.factors {
        let category = f
            .factor
            .and_then(|k| k.category.clone())
            .unwrap_or_else(|| "uncategorised".to_owned());
        groups.entry(category).or_default().push(FactorRow {
            id: f.id,
            url: urls::factor(f.id),
            title: f.title(),
            recurrence: f.incidents.len(),
            to_do: kb.action_counts_of(&f.actions).to_do,
            last_seen: f.incidents.last().map(|&i| cards[i].date.as_str()),
            recurring_after_done: f.recurrence_evidence(|_| true),
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

/// An insights page: the whole book's, or one service's or team's.
#[derive(Serialize)]
pub struct InsightsPage {
    /// "all post-mortems", "service checkout", "team platform-team".
    pub scope: String,
    pub headline: String,
    /// What the trend line shows, and whether the exact test supports it.
    pub trend_text: Option<String>,
    /// Where the archive ends and what the series leave out.
    pub archive_note: String,
    /// The charts' titles, each with its sample size.
    pub titles: ChartTitles,
    /// The date overdue action items are judged against.
    pub as_of: String,
    pub insights: crate::insights::Insights,
    pub incidents_chart: super::charts::ColumnChart,
    pub durations_chart: super::charts::BarChart,
    pub factors_chart: super::charts::BarChart,
    pub follow_chart: super::charts::BarChart,
    pub services_chart: super::charts::BarChart,
    pub services_links: Vec<LinkView>,
    pub teams_links: Vec<LinkView>,
}

impl InsightsPage {
    pub fn new(
        scope: String,
        insights: crate::insights::Insights,
        kb: &KnowledgeBase,
    ) -> InsightsPage {
        use super::charts::{bars, incidents_per_period};
        let headline = headline(&insights);
        let trend_text = trend_text(&insights);
        let archive_note = archive_note(&insights);
        let minutes = |v: Option<f64>| v.unwrap_or(0.0);
        let durations_chart = bars(
            insights
                .durations_by_severity
                .iter()
                .filter(|r| r.resolve.count > 0 || r.mitigate.count > 0)
                .map(|r| {
                    let (d, m, z) = (
                        minutes(r.detect.median),
                        minutes(r.mitigate.median),
                        minutes(r.resolve.median),
                    );
                    (
                        r.label.clone(),
                        None,
                        vec![
                            (
                                d,
                                "bar-detect".to_owned(),
                                format!("median time to detect: {}", fmt_minutes(d)),
                            ),
                            (
                                (m - d).max(0.0),
                                "bar-mitigate".to_owned(),
                                format!("median time to mitigate: {}", fmt_minutes(m)),
                            ),
                            (
                                (z - m.max(d)).max(0.0),
                                "bar-resolve".to_owned(),
                                format!("median time to resolve: {}", fmt_minutes(z)),
                            ),
                        ],
                        fmt_minutes(z.max(m)),
                    )
                })
                .collect(),
            vec![
                ("detect".to_owned(), "bar-detect".to_owned()),
                ("mitigate".to_owned(), "bar-mitigate".to_owned()),
                ("resolve".to_owned(), "bar-resolve".to_owned()),
            ],
        );
        let factors_chart = bars(
            insights
                .top_factors
                .iter()
                .map(|f| {
                    (
                        f.title.clone(),
                        Some(urls::factor(&f.id)),
                        vec![(
                            f.incidents as f64,
                            "bar-factor".to_owned(),
                            plural(f.incidents, "incident"),
                        )],
                        f.incidents.to_string(),
                    )
                })
                .collect(),
            Vec::new(),
        );
        let follow_chart = bars(
            insights
                .follow_through
                .iter()
                .map(|t| {
                    let c = &t.counts;
                    let not_overdue = c.to_do - c.overdue;
                    (
                        t.team.clone(),
                        Some(urls::team_board(&t.team)),
                        vec![
                            (
                                c.done as f64,
                                "bar-done".to_owned(),
                                format!("{} done", c.done),
                            ),
                            (
                                not_overdue as f64,
                                "bar-open".to_owned(),
                                format!("{not_overdue} to do, not overdue"),
                            ),
                            (
                                c.overdue as f64,
                                "bar-overdue".to_owned(),
                                format!("{} to do, overdue", c.overdue),
                            ),
                        ],
                        format!(
                            "{} done; {} to do, of which {} overdue",
                            c.done, c.to_do, c.overdue
                        ),
                    )
                })
                .collect(),
            vec![
                ("done".to_owned(), "bar-done".to_owned()),
                ("to do, not overdue".to_owned(), "bar-open".to_owned()),
                ("to do, overdue".to_owned(), "bar-overdue".to_owned()),
            ],
        );
        let services_chart = bars(
            insights
                .services
                .iter()
                .take(15)
                .map(|s| {
                    (
                        s.service.clone(),
                        Some(urls::insights_service(&s.service)),
                        vec![(
                            s.incidents as f64,
                            "bar-service".to_owned(),
                            plural(s.incidents, "incident"),
                        )],
                        format!("{} · {}", s.incidents, fmt_minutes(s.impact_minutes as f64)),
                    )
                })
                .collect(),
            Vec::new(),
        );
        let links = |key: &str, f: fn(&str) -> String| -> Vec<LinkView> {
            kb.taxonomies
                .iter()
                .find(|t| t.key == key)
                .map(|t| {
                    t.terms
                        .keys()
                        .map(|term| LinkView {
                            url: f(term),
                            title: term.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let n_items: usize = insights.follow_through.iter().map(|t| t.counts.total).sum();
        let n_durations: usize = insights
            .durations_by_severity
            .iter()
            .map(|r| r.resolve.count)
            .sum();
        let titles = ChartTitles {
            n_incidents: insights.in_span,
            n_durations,
            n_items,
            incidents: format!(
                "Incidents per {} by severity (n = {})",
                insights.period, insights.in_span
            ),
            durations: format!(
                "Median time to detect, mitigate and resolve by severity (n = {n_durations} with a resolution time)"
            ),
            factors: format!(
                "Contributing factors by number of incidents (n = {})",
                plural(insights.incidents, "post-mortem")
            ),
            follow: format!("Action items per team: done, to do and overdue (n = {n_items})"),
            services: format!(
                "Services by number of incidents (n = {})",
                plural(insights.incidents, "post-mortem")
            ),
        };
        InsightsPage {
            scope,
            headline,
            trend_text,
            archive_note,
            titles,
            as_of: kb.as_of.to_string(),
            incidents_chart: incidents_per_period(&insights),
            durations_chart,
            factors_chart,
            follow_chart,
            services_chart,
            services_links: links("services", urls::insights_service),
            teams_links: links("teams", urls::insights_team),
            insights,
        }
    }
}

/// The titles of an insights page's charts, each naming its sample size.
#[derive(Serialize)]
pub struct ChartTitles {
    /// The sample sizes: incidents in the series, incidents with a resolution time,
    /// action items.
    pub n_incidents: usize,
    pub n_durations: usize,
    pub n_items: usize,
    pub incidents: String,
    pub durations: String,
    pub factors: String,
    pub follow: String,
    pub services: String,
}

/// "p = 0.042", "p < 0.001".
fn p_text(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "p < 0.001".to_owned(),
        Some(p) => format!("p = {p:.3}"),
        None => "no incidents to test".to_owned(),
    }
}

/// The two counts of a comparison, each with its stretch of time: "3 in the 6 months to
/// 2025-08-01, against 3 in the 6 months before".
fn counts_text(c: &Comparison, stretch: &str) -> String {
    let before = if c.before_cut {
        format!(
            "{} in the {} before, back to the archive's first day ({})",
            c.before,
            plural(c.before_days as usize, "day"),
            c.before_from
        )
    } else {
        format!("{} in the {stretch} before", c.before)
    };
    format!(
        "{} in the {stretch} to {}, against {before}",
        plural(c.recent, "incident"),
        c.recent_to
    )
}

/// The verdict of a comparison with its evidence; a change is stated only when the
/// exact test supports it.
fn verdict_text(c: &Comparison, counts: String) -> String {
    let test = format!("exact test, {}", p_text(c.p_value));
    let percent = c
        .percent
        .map(|p| {
            format!(
                "{}{:.0}% per day; ",
                if p > 0.0 { "+" } else { "−" },
                p.abs()
            )
        })
        .unwrap_or_default();
    match c.verdict {
        Verdict::Rise => format!("More incidents: {counts} ({percent}{test})."),
        Verdict::Fall => format!("Fewer incidents: {counts} ({percent}{test})."),
        Verdict::NotEnough => {
            format!("Not enough incidents to tell a change: {counts} ({test}).")
        }
        Verdict::TooShort => format!(
            "{} from {} to {}; the archive does not reach further back, so there is nothing to compare with.",
            plural(c.recent, "incident"),
            c.recent_from,
            c.recent_to
        ),
    }
}

/// The headline: the last periods to the archive's end against as long before.
fn headline(i: &Insights) -> String {
    match &i.change {
        Some(change) => {
            let stretch = plural(change.periods, i.period);
            verdict_text(
                &change.comparison,
                counts_text(&change.comparison, &stretch),
            )
        }
        None => "No dated post-mortems yet: nothing to count over time.".to_owned(),
    }
}

/// What the trend line stands on, and what the test of its halves says.
fn trend_text(i: &Insights) -> Option<String> {
    let t = i.trend.as_ref()?;
    let fitted = t.to - t.from + 1;
    let half = plural(fitted / 2, i.period);
    let h = &t.halves;
    let counts = format!(
        "{} in the first {half} ({} to {}) against {} in the last {half} ({} to {})",
        plural(h.before, "incident"),
        h.before_from,
        h.before_to,
        h.recent,
        h.recent_from,
        h.recent_to
    );
    let test = format!("exact test, {}", p_text(h.p_value));
    let verdict = match h.verdict {
        Verdict::Rise => format!("rising: {counts} ({test})"),
        Verdict::Fall => format!("falling: {counts} ({test})"),
        _ => format!("not enough incidents to tell a rise or a fall: {counts} ({test})"),
    };
    Some(format!(
        "Trend over the {} whole {} from {} to {} (n = {}): {verdict}.",
        fitted,
        crate::text::noun(fitted, i.period),
        i.series[t.from].label,
        i.series[t.to].label,
        t.incidents
    ))
}

/// "Archive ends 2025-08-01 (`[build] as-of`)", and what the series leave out.
fn archive_note(i: &Insights) -> String {
    let Some(span) = i.span else {
        return "No post-mortem has a date yet.".to_owned();
    };
    let mut note = format!(
        "Archive ends {} ({}); the series run from {} to {}.",
        span.end,
        if span.end_is_as_of {
            "[build] as-of in book.toml"
        } else {
            "the date of the last post-mortem"
        },
        span.first,
        span.end
    );
    if i.whole.iter().any(|w| !w) {
        note.push_str(&format!(
            " A {} the archive covers only in part is drawn paler and left out of the trend.",
            i.period
        ));
    }
    if i.after_end > 0 {
        note.push_str(&format!(
            " {} dated after the archive's end {} not counted.",
            plural(i.after_end, "post-mortem"),
            if i.after_end == 1 { "is" } else { "are" }
        ));
    }
    if i.undated > 0 {
        note.push_str(&format!(
            " {} without a date {} not counted over time.",
            plural(i.undated, "post-mortem"),
            if i.undated == 1 { "is" } else { "are" }
        ));
    }
    note
}

fn fmt_minutes(m: f64) -> String {
    format_minutes(m.round() as i64)
}
