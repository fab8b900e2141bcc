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
    /// then) was done, judged by the items' due dates.
    pub recurred_after_done: Vec<usize>,
}

impl FactorLinks<'_> {
    pub fn title(&self) -> &str {
        self.factor.map_or(self.id, |f| f.title.as_str())
    }
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
    pub shared_factors: Vec<String>,
    pub shared_services: Vec<String>,
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
/// done: by its `closed` date, or its due date where none is recorded.
fn recurrences_after_done(
    f: &FactorLinks,
    incidents: &[Arc<Incident>],
    actions: &[ActionRef],
) -> Vec<usize> {
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
    // (all done so far, latest due date) over the items of the incidents seen so far.
    let mut done_by: Option<NaiveDate> = None;
    for &i in &f.incidents {
        let date = incidents[i].date;
        if let (Some(d), Some(fixed)) = (date, done_by)
            && d > fixed
        {
            out.push(i);
        }
        let Some(items) = by_incident.get(&i) else {
            continue;
        };
        let all_done = items
            .iter()
            .all(|a| matches!(a.status, ActionStatus::Done | ActionStatus::WontDo))
            && items.iter().any(|a| a.status == ActionStatus::Done);
        done_by = if all_done {
            // When an item was done: its `closed` date, else its due date.
            let latest = items
                .iter()
                .filter_map(|a| a.closed.or(a.due))
                .chain(date)
                .max();
            latest.max(done_by)
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

/// A related-incident candidate, ordered best first: most (shared factors, shared
/// services), then fewest days apart, then position.
type Candidate = (std::cmp::Reverse<(u32, u32)>, i64, usize);

/// For each incident, the others sharing most factors, then most services, then
/// closest in time. Candidates come from the factor and service indexes, so the cost
/// follows the overlap, not the square of the book.
/// The entries of `list` (incident numbers in date order: ascending, or descending as
/// factors keep them) within [`RELATED_WINDOW`] places of where `i` is or would be.
fn near(list: &[usize], i: usize) -> &[usize] {
    let descending = list.first() > list.last();
    let at = list.partition_point(|&j| if descending { j > i } else { j < i });
    &list[at.saturating_sub(RELATED_WINDOW)..(at + RELATED_WINDOW).min(list.len())]
}

/// The counts (shared factors, shared services) the [`RELATED_MAX`]-th best of
/// `counts` has: no candidate below them is among the best. `(0, 0)` when there are
/// fewer candidates, or when the post-mortem itself (its counts reset to zero) is one.
fn count_to_reach(counts: impl Iterator<Item = (u32, u32)>) -> (u32, u32) {
    // Best first, at most RELATED_MAX long.
    let mut best: Vec<(u32, u32)> = Vec::with_capacity(RELATED_MAX + 1);
    for c in counts {
        if best.len() < RELATED_MAX || best.last().is_some_and(|&last| c > last) {
            let at = best.partition_point(|&b| b >= c);
            best.insert(at, c);
            best.truncate(RELATED_MAX);
        }
    }
    match best.get(RELATED_MAX - 1) {
        Some(&c) => c,
        None => (0, 0),
    }
}

fn related_incidents(
    incidents: &[Arc<Incident>],
    factor_index: &HashMap<&str, usize>,
    factors: &[FactorLinks],
) -> Vec<Vec<Related>> {
    let mut by_service: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, incident) in incidents.iter().enumerate() {
        for s in &incident.services {
            by_service.entry(s.as_str()).or_default().push(i);
        }
    }
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
            // Per thread: shared-factor and shared-service counts for every incident,
            // and which entries were touched, so resetting costs only what was used.
            || (vec![(0u32, 0u32); incidents.len()], Vec::<usize>::new()),
            |(counts, touched), i| {
                let mine = factor_set(i);
                // Counts only: the shared names are worked out for the few kept.
                let mut bump = |j: usize, factor: bool| {
                    let c = &mut counts[j];
                    if *c == (0, 0) {
                        touched.push(j);
                    }
                    if factor { c.0 += 1 } else { c.1 += 1 }
                };
                for &f in &mine {
                    for &j in near(&factors[f].incidents, i) {
                        bump(j, true);
                    }
                }
                for s in &incidents[i].services {
                    for &j in by_service.get(s.as_str()).map_or(&[][..], |l| near(l, i)) {
                        bump(j, false);
                    }
                }
                let days_apart = |j: usize| match (days[i], days[j]) {
                    (Some(a), Some(b)) => (a - b).abs(),
                    _ => i64::MAX,
                };
                // Best first: most shared factors, then services, then closest in time.
                // Only candidates whose counts reach the RELATED_MAX-th best are ranked:
                // the others cannot be kept, and they are most of a large book's
                // candidates (sharing one factor or one service alone).
                counts[i] = (0, 0);
                let bar = count_to_reach(touched.iter().map(|&j| counts[j]));
                let mut ranked: Vec<Candidate> = touched
                    .iter()
                    .filter(|&&j| j != i && counts[j] >= bar)
                    .map(|&j| (std::cmp::Reverse(counts[j]), days_apart(j), j))
                    .collect();
                for j in touched.drain(..) {
                    counts[j] = (0, 0);
                }
                if ranked.len() > RELATED_MAX {
                    ranked.select_nth_unstable(RELATED_MAX - 1);
                    ranked.truncate(RELATED_MAX);
                }
                ranked.sort_unstable();
                ranked
                    .into_iter()
                    .map(|(_, _, j)| {
                        let theirs = factor_set(j);
                        Related {
                            incident: j,
                            shared_factors: mine
                                .intersection(&theirs)
                                .map(|&n| factors[n].title().to_owned())
                                .collect(),
                            shared_services: incidents[i]
                                .services
                                .iter()
                                .filter(|s| incidents[j].services.contains(s))
                                .cloned()
                                .collect(),
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
        let counts = [(1, 0), (2, 0), (0, 1), (1, 1), (3, 0), (1, 0), (0, 2)];
        // Best first: (3,0) (2,0) (1,1) (1,0) (1,0): the fifth has (1, 0).
        assert_eq!(count_to_reach(counts.into_iter()), (1, 0));
        assert_eq!(count_to_reach(counts[..4].iter().copied()), (0, 0));
        assert_eq!(count_to_reach([(2, 1); 9].into_iter()), (2, 1));
    }
}
