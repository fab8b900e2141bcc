//! Cross-reference indexes over the whole book, computed once so that templates get
//! ready-made data: factor -> incidents and action items, action items by id,
//! service/team/tag/severity/year -> incidents, related incidents, backlinks.
//!
//! Indexes hold positions into `Book::incidents` (newest first) rather than copies.

use std::collections::{BTreeMap, BTreeSet};

// Fx: these maps are read for every link of every page; the keys are not adversarial.
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use crate::model::{ActionItem, ActionStatus, Book, Factor, Incident, ReferenceKind};

/// How many related incidents a post-mortem page shows.
const RELATED_MAX: usize = 5;
/// Candidates for related incidents are taken from each shared factor's and service's
/// list of incidents, at most this many on either side of the incident in time. Lists
/// are in date order, so this keeps the closest; without the bound, a book of 100,000
/// post-mortems compares each with tens of thousands (quadratic time), while books
/// whose lists are shorter than twice this see no difference at all.
const RELATED_WINDOW: usize = 200;

/// An action item and the post-mortem that declares it.
#[derive(Debug, Clone, Copy)]
pub struct ActionRef {
    pub incident: usize,
    pub item: usize,
}

/// Everything known about one contributing factor across the book.
#[derive(Debug)]
pub struct FactorLinks<'a> {
    pub id: &'a str,
    /// The catalogue entry; `None` for a factor used without one (ad hoc).
    pub factor: Option<&'a Factor>,
    /// Incidents it contributed to, oldest first.
    pub incidents: Vec<usize>,
    /// Action items addressing it, by position in `KnowledgeBase::actions`.
    pub actions: Vec<usize>,
    /// Incidents in which it recurred after every action item addressing it (until
    /// then) was done, with the evidence.
    pub recurred_after_done: Vec<Recurrence>,
}

/// A post-mortem citing a factor after the action items addressing it were done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub incident: usize,
    /// When the items were done by: the latest of their `closed` dates, or of their due
    /// dates where one records no `closed` date.
    pub fixed_by: NaiveDate,
    /// Whether every item recorded a `closed` date; else the evidence is a due date, a
    /// promise rather than a record.
    pub closed: bool,
}

impl FactorLinks<'_> {
    pub fn title(&self) -> &str {
        self.factor.map_or(self.id, |f| f.title.as_str())
    }

    /// The best evidence that it recurred after its fixes, among the recurrences in the
    /// post-mortems `keep` accepts: `closed` dates before due dates; `None` without any.
    pub fn recurrence_evidence(&self, keep: impl Fn(usize) -> bool) -> Option<Evidence> {
        let mut kept = self.recurred_after_done.iter().filter(|r| keep(r.incident));
        let first = kept.next()?;
        Some(if first.closed || kept.any(|r| r.closed) {
            Evidence::Closed
        } else {
            Evidence::Due
        })
    }
}

/// What shows that a factor recurred after its action items were done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// The items' `closed` dates fall before the recurrence.
    Closed,
    /// Some items record no `closed` date: their due dates fall before it.
    Due,
}

/// The sets of action items every page, the JSON export and `check` count, defined
/// once: "to do" is every item open or in progress; "overdue" and "in progress" are
/// parts of it, never columns beside it; "done" and "won't do" are the finished ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ActionCounts {
    pub total: usize,
    /// Open or in progress.
    pub to_do: usize,
    /// Of `to_do`: due before the book's as-of date.
    pub overdue: usize,
    /// Of `to_do`: in progress.
    pub in_progress: usize,
    pub done: usize,
    pub wont_do: usize,
    /// Of `done`: those that record a `closed` date.
    pub closed_dated: usize,
}

impl ActionCounts {
    /// The sets' names, as every page writes them.
    pub const TO_DO: &'static str = "to do";
    pub const OVERDUE: &'static str = "overdue";
    pub const IN_PROGRESS: &'static str = "in progress";
    pub const DONE: &'static str = "done";
    pub const WONT_DO: &'static str = "won't do";
    pub const TOTAL: &'static str = "all";

    /// "3 to do, of which 1 overdue; 5 done; 0 won't do (8 in all)".
    pub fn sentence(&self) -> String {
        format!(
            "{} {}, of which {} {}; {} {}; {} {} ({} in {})",
            self.to_do,
            Self::TO_DO,
            self.overdue,
            Self::OVERDUE,
            self.done,
            Self::DONE,
            self.wont_do,
            Self::WONT_DO,
            self.total,
            Self::TOTAL
        )
    }
}

/// A post-mortem related to another, with why.
#[derive(Debug, Clone)]
pub struct Related {
    pub incident: usize,
    /// The sum of the shared things' [`informativeness`].
    pub score: f64,
    /// What the two share, the most specific (held by the fewest post-mortems) first.
    pub shared: Vec<Shared>,
}

/// Something two post-mortems share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    pub kind: SharedKind,
    /// The factor's title, or the service.
    pub name: String,
    /// How many post-mortems of the book have it.
    pub incidents: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedKind {
    Factor,
    Service,
}

/// How much two post-mortems sharing a thing that `holders` of the book's `total`
/// post-mortems have says about them: its inverse document frequency, ln(total /
/// holders). Shared by every post-mortem, nothing; by a fifth, ln 5 = 1.6; by two in a
/// thousand, 6.2.
pub fn informativeness(holders: usize, total: usize) -> f64 {
    if holders == 0 || total == 0 {
        return 0.0;
    }
    (total as f64 / holders as f64).ln().max(0.0)
}

/// A way of grouping post-mortems (services, teams, …) and its terms.
#[derive(Debug)]
pub struct Taxonomy {
    /// URL folder and key: `services`.
    pub key: &'static str,
    /// Heading: "Services".
    pub name: &'static str,
    /// Singular, for sentences: "service".
    pub singular: &'static str,
    /// Term -> incidents (newest first).
    pub terms: BTreeMap<String, Vec<usize>>,
}

/// What a wiki link or relative link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Incident(usize),
    Factor(usize),
    Action(usize),
}

pub struct KnowledgeBase<'a> {
    pub book: &'a Book,
    /// The date "overdue" is judged against.
    pub as_of: NaiveDate,
    pub by_path: HashMap<&'a Path, usize>,
    pub by_slug: HashMap<&'a str, usize>,
    /// Factors sorted by id.
    pub factors: Vec<FactorLinks<'a>>,
    /// Factor id or alias -> position in `factors`.
    pub factor_index: HashMap<&'a str, usize>,
    /// Every action item, sorted by id.
    pub actions: Vec<ActionRef>,
    pub action_index: HashMap<&'a str, usize>,
    pub taxonomies: Vec<Taxonomy>,
    /// Per incident, the most related others, best first; computed on first use, since
    /// only rendering needs it (`check` never pays for it).
    related: std::sync::OnceLock<Vec<Vec<Related>>>,
    /// Per target, the incidents whose prose links to it, newest first.
    pub backlinks: HashMap<Target, Vec<usize>>,
}

impl<'a> KnowledgeBase<'a> {
    pub fn new(book: &'a Book, as_of: NaiveDate) -> KnowledgeBase<'a> {
        let incidents = &book.incidents;
        let by_path = incidents
            .iter()
            .enumerate()
            .map(|(i, x)| (x.content_path.as_path(), i))
            .collect();
        let by_slug = incidents
            .iter()
            .enumerate()
            .map(|(i, x)| (x.slug.as_str(), i))
            .collect();

        // The taxonomies need nothing else: made beside the factors and actions.
        let (taxonomies, (factors, factor_index, actions, action_index)) =
            rayon::join(|| taxonomies(incidents), || factors_and_actions(book));
        let mut kb = KnowledgeBase {
            book,
            as_of,
            by_path,
            by_slug,
            factors,
            factor_index,
            actions,
            action_index,
            taxonomies,
            related: std::sync::OnceLock::new(),
            backlinks: HashMap::default(),
        };
        kb.backlinks = kb.collect_backlinks();
        kb
    }

    /// The related incidents of every incident (see `related_incidents`).
    pub fn related(&self) -> &[Vec<Related>] {
        self.related.get_or_init(|| {
            related_incidents(&self.book.incidents, &self.factor_index, &self.factors)
        })
    }

    pub fn incident(&self, i: usize) -> &'a Incident {
        &self.book.incidents[i]
    }

    pub fn action(&self, n: usize) -> (&'a Incident, &'a ActionItem) {
        let a = self.actions[n];
        let incident = &self.book.incidents[a.incident];
        (incident, &incident.action_items[a.item])
    }

    /// An action item still to do whose due date has passed.
    pub fn is_overdue(&self, item: &ActionItem) -> bool {
        matches!(item.status, ActionStatus::Open | ActionStatus::InProgress)
            && item.due.is_some_and(|d| d < self.as_of)
    }

    /// The counts of `items` ([`ActionCounts`]), overdue as of `as_of`.
    pub fn action_counts<'i>(
        &self,
        items: impl IntoIterator<Item = &'i ActionItem>,
    ) -> ActionCounts {
        let mut c = ActionCounts::default();
        for item in items {
            c.total += 1;
            match item.status {
                ActionStatus::Open => c.to_do += 1,
                ActionStatus::InProgress => {
                    c.to_do += 1;
                    c.in_progress += 1;
                }
                ActionStatus::Done => {
                    c.done += 1;
                    c.closed_dated += usize::from(item.closed.is_some());
                }
                ActionStatus::WontDo => c.wont_do += 1,
            }
            c.overdue += usize::from(self.is_overdue(item));
        }
        c
    }

    /// The counts of the action items at `positions` in [`KnowledgeBase::actions`].
    pub fn action_counts_of(&self, positions: &[usize]) -> ActionCounts {
        self.action_counts(positions.iter().map(|&n| self.action(n).1))
    }

    /// What a wiki link's id names: a factor (or alias), an action item, a post-mortem.
    pub fn wiki_target(&self, id: &str) -> Option<Target> {
        if let Some(&n) = self.factor_index.get(id) {
            return Some(Target::Factor(n));
        }
        if let Some(&n) = self.action_index.get(id) {
            return Some(Target::Action(n));
        }
        self.by_slug.get(id).map(|&i| Target::Incident(i))
    }

    fn collect_backlinks(&self) -> HashMap<Target, Vec<usize>> {
        // Each post-mortem's targets are resolved in parallel, then filed in order.
        let targets: Vec<Vec<Target>> = self
            .book
            .incidents
            .par_iter()
            .enumerate()
            .map(|(i, incident)| {
                let mut targets: Vec<Target> = Vec::new();
                let mut seen = BTreeSet::new();
                for r in &incident.body.references {
                    let target = match r.kind {
                        ReferenceKind::Page => self
                            .by_path
                            .get(r.target.as_path())
                            .map(|&t| Target::Incident(t)),
                        ReferenceKind::Wiki { .. } => self.wiki_target(&r.written),
                        ReferenceKind::Asset => None,
                    };
                    // An action item's page is its post-mortem's.
                    let target = match target {
                        Some(Target::Action(n)) => Some(Target::Incident(self.actions[n].incident)),
                        t => t,
                    };
                    if let Some(t) = target
                        && t != Target::Incident(i)
                        && seen.insert(t)
                    {
                        targets.push(t);
                    }
                }
                targets
            })
            .collect();
        let mut out: HashMap<Target, Vec<usize>> = HashMap::default();
        for (i, targets) in targets.into_iter().enumerate() {
            for t in targets {
                out.entry(t).or_default().push(i);
            }
        }
        out
    }
}

/// The factor table with each factor's incidents (oldest first) and action items, and
/// every action item sorted by id with the index of each id's first.
type FactorsAndActions<'a> = (
    Vec<FactorLinks<'a>>,
    HashMap<&'a str, usize>,
    Vec<ActionRef>,
    HashMap<&'a str, usize>,
);

fn factors_and_actions(book: &Book) -> FactorsAndActions<'_> {
    let incidents = &book.incidents;
    let (mut factors, factor_index) = factor_table(book);
    // Sorted by (id, incident, item): the order a stable sort by (id, incident) gives.
    // The keys are gathered first, so that no comparison goes through the book.
    let mut keyed: Vec<(&str, usize, usize)> = incidents
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, x)| {
            x.action_items
                .iter()
                .enumerate()
                .map(move |(item, a)| (a.id.as_str(), i, item))
        })
        .collect();
    keyed.par_sort_unstable();
    let actions: Vec<ActionRef> = keyed
        .iter()
        .map(|&(_, incident, item)| ActionRef { incident, item })
        .collect();
    let mut action_index = HashMap::default();
    for (n, &(id, _, _)) in keyed.iter().enumerate() {
        action_index.entry(id).or_insert(n);
    }

    // The factors each post-mortem cites and each action item addresses, looked up on
    // every core (a look-up per name in the book: on one core, the other waited for
    // it), then filed in order.
    let cited: Vec<Vec<usize>> = incidents
        .par_iter()
        .map(|x| factor_numbers(x.factors.iter().map(|f| f.id.as_str()), &factor_index))
        .collect();
    let addressed: Vec<Vec<usize>> = keyed
        .par_iter()
        .map(|&(_, i, item)| {
            let addresses = &incidents[i].action_items[item].addresses;
            factor_numbers(addresses.iter().map(String::as_str), &factor_index)
        })
        .collect();
    // Newest-first positions reversed give oldest first.
    for (i, numbers) in cited.iter().enumerate().rev() {
        for &n in numbers {
            factors[n].incidents.push(i);
        }
    }
    for (n, numbers) in addressed.iter().enumerate() {
        for &f in numbers {
            factors[f].actions.push(n);
        }
    }
    factors.par_iter_mut().for_each(|f| {
        f.recurred_after_done = recurrences_after_done(f, incidents, &actions);
    });
    (factors, factor_index, actions, action_index)
}

/// The numbers of the factors `ids` name, each once, in the order first named (a
/// post-mortem or an action item names a few: a scan of the list beats a set).
fn factor_numbers<'a>(
    ids: impl Iterator<Item = &'a str>,
    factor_index: &HashMap<&str, usize>,
) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for id in ids {
        if let Some(&n) = factor_index.get(id)
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    out
}

/// Every factor named anywhere, catalogued or not, sorted by id, with an index that
/// also answers to the catalogue's aliases.
fn factor_table(book: &Book) -> (Vec<FactorLinks<'_>>, HashMap<&str, usize>) {
    let mut ids: BTreeMap<&str, Option<&Factor>> = book
        .factors
        .iter()
        .map(|f| (f.id.as_str(), Some(&**f)))
        .collect();
    let aliases: HashMap<&str, &str> = book
        .factors
        .iter()
        .flat_map(|f| f.aliases.iter().map(move |a| (a.as_str(), f.id.as_str())))
        .collect();
    // Every name, once: gathered and sorted on every core, as the book names each
    // factor many times over.
    let mut named: Vec<&str> = book
        .incidents
        .par_iter()
        .flat_map_iter(|i| {
            i.factors.iter().map(|f| f.id.as_str()).chain(
                i.action_items
                    .iter()
                    .flat_map(|a| a.addresses.iter().map(String::as_str)),
            )
        })
        .collect();
    named.par_sort_unstable();
    named.dedup();
    for id in named {
        if !aliases.contains_key(id) {
            ids.entry(id).or_insert(None);
        }
    }
    let factors: Vec<FactorLinks> = ids
        .into_iter()
        .map(|(id, factor)| FactorLinks {
            id,
            factor,
            incidents: Vec::new(),
            actions: Vec::new(),
            recurred_after_done: Vec::new(),
        })
        .collect();
    let mut index: HashMap<&str, usize> =
        factors.iter().enumerate().map(|(n, f)| (f.id, n)).collect();
    for (alias, id) in aliases {
        if let Some(&n) = index.get(id) {
            index.entry(alias).or_insert(n);
        }
    }
    (factors, index)
}

/// Incidents citing `f` that happened after every action item addressing it so far was
/// done, with the evidence: each done item's `closed` date, or its due date where it
/// records none. An item done with neither date gives no evidence, and no claim is made.
fn recurrences_after_done(
    f: &FactorLinks,
    incidents: &[Arc<Incident>],
    actions: &[ActionRef],
) -> Vec<Recurrence> {
    let mut out = Vec::new();
    // The factor's action items by the incident defining them, looked up once each
    // (scanning them all for every incident is quadratic in a large book).
    let mut by_incident: HashMap<usize, Vec<&ActionItem>> = HashMap::default();
    for &n in &f.actions {
        let a = actions[n];
        by_incident
            .entry(a.incident)
            .or_default()
            .push(&incidents[a.incident].action_items[a.item]);
    }
    // When every item so far was done by, and whether by `closed` dates alone.
    let mut done_by: Option<(NaiveDate, bool)> = None;
    for &i in &f.incidents {
        let date = incidents[i].date;
        if let (Some(d), Some((fixed_by, closed))) = (date, done_by)
            && d > fixed_by
        {
            out.push(Recurrence {
                incident: i,
                fixed_by,
                closed,
            });
        }
        let Some(items) = by_incident.get(&i) else {
            continue;
        };
        let all_done = items
            .iter()
            .all(|a| matches!(a.status, ActionStatus::Done | ActionStatus::WontDo))
            && items.iter().any(|a| a.status == ActionStatus::Done);
        let done: Vec<&&ActionItem> = items
            .iter()
            .filter(|a| a.status == ActionStatus::Done)
            .collect();
        done_by = if all_done && done.iter().all(|a| a.closed.or(a.due).is_some()) {
            let latest = done.iter().filter_map(|a| a.closed.or(a.due)).max();
            let closed = done.iter().all(|a| a.closed.is_some());
            match (latest, done_by) {
                (Some(latest), Some((before, was_closed))) => {
                    Some((latest.max(before), closed && was_closed))
                }
                (Some(latest), None) => Some((latest, closed)),
                (None, _) => None,
            }
        } else {
            None
        };
    }
    out
}

fn taxonomies(incidents: &[Arc<Incident>]) -> Vec<Taxonomy> {
    type Terms = for<'i> fn(&'i Incident, &mut Vec<&'i str>);
    let group =
        |(key, name, singular, terms): (&'static str, &'static str, &'static str, Terms)| {
            let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            let mut t = Vec::new();
            for (i, incident) in incidents.iter().enumerate() {
                t.clear();
                terms(incident, &mut t);
                t.sort_unstable();
                t.dedup();
                for &term in &t {
                    match map.get_mut(term) {
                        Some(members) => members.push(i),
                        None => {
                            map.insert(term.to_owned(), vec![i]);
                        }
                    }
                }
            }
            Taxonomy {
                key,
                name,
                singular,
                terms: map,
            }
        };
    let by_text: [(&'static str, &'static str, &'static str, Terms); 5] = [
        ("services", "Services", "service", |i, t| {
            t.extend(i.services.iter().map(String::as_str))
        }),
        ("teams", "Teams", "team", |i, t| {
            t.extend(i.teams.iter().map(String::as_str))
        }),
        ("severities", "Severities", "severity", |i, t| {
            t.extend(i.severity.as_deref())
        }),
        ("statuses", "Statuses", "status", |i, t| {
            t.extend(i.status.as_deref())
        }),
        ("tags", "Tags", "tag", |i, t| {
            t.extend(i.tags.iter().map(String::as_str))
        }),
    ];
    // Each grouping reads every post-mortem: they run side by side.
    let (mut out, years): (Vec<Taxonomy>, _) = rayon::join(
        || by_text.into_par_iter().map(group).collect(),
        || {
            // By number, each year then written once (as `%Y` writes it).
            let mut by_year: BTreeMap<i32, (NaiveDate, Vec<usize>)> = BTreeMap::new();
            for (i, incident) in incidents.iter().enumerate() {
                if let Some(d) = incident.date {
                    by_year.entry(d.year()).or_insert((d, Vec::new())).1.push(i);
                }
            }
            Taxonomy {
                key: "years",
                name: "Years",
                singular: "year",
                terms: by_year
                    .into_iter()
                    .map(|(_, (d, members))| (d.format("%Y").to_string(), members))
                    .collect(),
            }
        },
    );
    out.push(years);
    out
}

/// The entries of `list` (incident numbers in date order: ascending, or descending as
/// factors keep them) within [`RELATED_WINDOW`] places of where `i` is or would be.
fn near(list: &[usize], i: usize) -> &[usize] {
    let descending = list.first() > list.last();
    let at = list.partition_point(|&j| if descending { j > i } else { j < i });
    &list[at.saturating_sub(RELATED_WINDOW)..(at + RELATED_WINDOW).min(list.len())]
}

/// The score the [`RELATED_MAX`]-th best of `scores` has: no candidate below it is among
/// the best. Zero when there are fewer candidates.
fn score_to_reach(scores: impl Iterator<Item = f64>) -> f64 {
    // Best first, at most RELATED_MAX long.
    let mut best: Vec<f64> = Vec::with_capacity(RELATED_MAX + 1);
    for c in scores {
        if best.len() < RELATED_MAX || best.last().is_some_and(|&last| c > last) {
            let at = best.partition_point(|&b| b >= c);
            best.insert(at, c);
            best.truncate(RELATED_MAX);
        }
    }
    best.get(RELATED_MAX - 1).copied().unwrap_or(0.0)
}

/// For each incident, the others that share the most informative things with it: each
/// shared factor and service weighs its [`informativeness`] (a factor in half the book
/// says little, one in three post-mortems says much), the sum ranks them, then
/// closeness in time. Candidates come from the factor and service indexes, so the cost
/// follows the overlap, not the square of the book.
fn related_incidents(
    incidents: &[Arc<Incident>],
    factor_index: &HashMap<&str, usize>,
    factors: &[FactorLinks],
) -> Vec<Vec<Related>> {
    let total = incidents.len();
    let mut by_service: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, incident) in incidents.iter().enumerate() {
        for s in &incident.services {
            let list = by_service.entry(s.as_str()).or_default();
            // A post-mortem naming a service twice is on its list once.
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let factor_weight: Vec<f64> = factors
        .iter()
        .map(|f| informativeness(f.incidents.len(), total))
        .collect();
    let factor_set = |i: usize| -> BTreeSet<usize> {
        incidents[i]
            .factors
            .iter()
            .filter_map(|f| factor_index.get(f.id.as_str()).copied())
            .collect()
    };
    let day = |i: usize| incidents[i].date.map(|d| i64::from(d.num_days_from_ce()));
    let days: Vec<Option<i64>> = (0..incidents.len()).map(day).collect();
    (0..incidents.len())
        .into_par_iter()
        .map_init(
            // Per thread: each incident's score, and which entries were touched, so
            // resetting costs only what was used.
            || {
                (
                    vec![0f64; incidents.len()],
                    Vec::<usize>::new(),
                    vec![false; incidents.len()],
                )
            },
            |(scores, touched, seen), i| {
                let mine = factor_set(i);
                // Scores only: the shared names are worked out for the few kept.
                let mut bump = |j: usize, weight: f64| {
                    if !seen[j] {
                        seen[j] = true;
                        touched.push(j);
                    }
                    scores[j] += weight;
                };
                for &f in &mine {
                    for &j in near(&factors[f].incidents, i) {
                        bump(j, factor_weight[f]);
                    }
                }
                let mut services: Vec<&str> =
                    incidents[i].services.iter().map(String::as_str).collect();
                services.sort_unstable();
                services.dedup();
                for s in &services {
                    let list = by_service.get(s).map_or(&[][..], Vec::as_slice);
                    let weight = informativeness(list.len(), total);
                    for &j in near(list, i) {
                        bump(j, weight);
                    }
                }
                let days_apart = |j: usize| match (days[i], days[j]) {
                    (Some(a), Some(b)) => (a - b).abs(),
                    _ => i64::MAX,
                };
                // Best first: highest score, then closest in time, then position. Only
                // candidates whose score reaches the RELATED_MAX-th best are ranked:
                // the others cannot be kept, and they are most of a large book's
                // candidates. A candidate sharing only what every post-mortem has
                // (score 0) is no relation.
                scores[i] = 0.0;
                let bar = score_to_reach(touched.iter().map(|&j| scores[j]));
                let mut ranked: Vec<(f64, i64, usize)> = touched
                    .iter()
                    .filter(|&&j| j != i && scores[j] > 0.0 && scores[j] >= bar)
                    .map(|&j| (scores[j], days_apart(j), j))
                    .collect();
                for j in touched.drain(..) {
                    scores[j] = 0.0;
                    seen[j] = false;
                }
                let order = |a: &(f64, i64, usize), b: &(f64, i64, usize)| {
                    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
                };
                if ranked.len() > RELATED_MAX {
                    ranked.select_nth_unstable_by(RELATED_MAX - 1, order);
                    ranked.truncate(RELATED_MAX);
                }
                ranked.sort_unstable_by(order);
                ranked
                    .into_iter()
                    .map(|(score, _, j)| {
                        let theirs = factor_set(j);
                        let mut shared: Vec<Shared> = mine
                            .intersection(&theirs)
                            .map(|&n| Shared {
                                kind: SharedKind::Factor,
                                name: factors[n].title().to_owned(),
                                incidents: factors[n].incidents.len(),
                            })
                            .chain(
                                services
                                    .iter()
                                    .filter(|s| incidents[j].services.iter().any(|t| t == *s))
                                    .map(|s| Shared {
                                        kind: SharedKind::Service,
                                        name: (*s).to_owned(),
                                        incidents: by_service.get(s).map_or(0, Vec::len),
                                    }),
                            )
                            .collect();
                        // The most specific first; a factor before a service held as
                        // widely (it says more about how it happened).
                        shared.sort_by(|a, b| {
                            a.incidents
                                .cmp(&b.incidents)
                                .then(
                                    (a.kind == SharedKind::Service)
                                        .cmp(&(b.kind == SharedKind::Service)),
                                )
                                .then(a.name.cmp(&b.name))
                        });
                        Related {
                            incident: j,
                            score,
                            shared,
                        }
                    })
                    .collect()
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_candidates_are_the_nearest_in_time_either_way_round() {
        let ascending: Vec<usize> = (0..1000).collect();
        let window = near(&ascending, 500);
        assert_eq!(window.len(), 2 * RELATED_WINDOW);
        assert_eq!((window[0], *window.last().unwrap()), (300, 699));
        let descending: Vec<usize> = (0..1000).rev().collect();
        let window = near(&descending, 500);
        assert_eq!(window.len(), 2 * RELATED_WINDOW);
        assert!(window.contains(&500) && window.contains(&400) && window.contains(&600));
        // Short lists are taken whole.
        let short = [3, 9, 27];
        assert_eq!(near(&short, 9), &short);
        assert_eq!(near(&[], 9), &[] as &[usize]);
    }

    #[test]
    fn only_candidates_as_good_as_the_last_kept_are_ranked() {
        let scores = [1.0, 2.0, 0.5, 1.5, 3.0, 1.0, 0.7];
        // Best first: 3 2 1.5 1 1: the fifth has 1.
        assert_eq!(score_to_reach(scores.into_iter()), 1.0);
        assert_eq!(score_to_reach(scores[..4].iter().copied()), 0.0);
        assert_eq!(score_to_reach([2.5; 9].into_iter()), 2.5);
    }

    #[test]
    fn a_thing_most_post_mortems_share_says_little() {
        assert_eq!(informativeness(1000, 1000), 0.0);
        assert!(informativeness(430, 1000) < 1.0);
        assert!((informativeness(200, 1000) - 5f64.ln()).abs() < 1e-12);
        assert!(informativeness(3, 1000) > 5.0);
        assert_eq!(informativeness(0, 1000), 0.0);
    }
}
