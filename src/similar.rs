//! Which post-mortems are alike: the things two of them share (contributing factors,
//! services, words of their titles and summaries), each weighing how rare it is in the
//! book. Ranks the related incidents of every post-mortem (`link`) and answers "has
//! this happened before?" for one being written (`new`, `check --similar-to`).
//!
//! A thing shared by half the archive says little; one shared by three post-mortems says
//! much: each weighs its inverse document frequency, ln(N / holders). Words are cheaper
//! evidence than a factor or a service an author chose, so they weigh half as much, and
//! a word in more than a fifth of the post-mortems is no evidence at all (it drops the
//! stop words of any language by their frequency, with no list to keep). Each
//! post-mortem is compared through its [`KEY_WORDS`] rarest words, as a more-like-this
//! query picks its terms.

use std::sync::Arc;

use rayon::prelude::*;
// Fx: keys are the book's own words and names, not adversarial input.
use rustc_hash::FxHashMap as HashMap;

use crate::model::Incident;

/// How many related incidents a post-mortem page shows, and how many similar
/// post-mortems `new` and `check` name.
pub const MAX_SHOWN: usize = 5;
/// Candidates for related incidents are taken from each shared thing's list of
/// post-mortems, at most this many on either side of the post-mortem in the book's
/// order (by date). Without the bound, a book of 100,000 post-mortems compares each with
/// tens of thousands (quadratic time); books whose lists are shorter than twice this see
/// no difference at all. A single probe (`most_like`) reads the lists whole.
pub const WINDOW: usize = 200;
/// How many of its rarest words a post-mortem is compared through.
pub const KEY_WORDS: usize = 10;
/// A shared word weighs this much of what a factor or a service as rare weighs.
pub const WORD_WEIGHT: f64 = 0.5;

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

/// English function words of three letters or more. In a large book the frequency rule
/// drops them anyway; in a book of twenty post-mortems "but" in two of them would pass
/// for evidence. (Search keeps its own, shorter list: there "after" is worth finding.)
const FUNCTION_WORDS: &[&str] = &[
    "about", "after", "again", "all", "also", "and", "any", "are", "because", "been", "before",
    "being", "but", "can", "could", "did", "does", "during", "for", "from", "had", "has", "have",
    "her", "here", "his", "how", "into", "its", "just", "more", "most", "not", "off", "only",
    "our", "out", "over", "should", "some", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "under", "very", "was", "were", "what", "when",
    "where", "which", "while", "who", "why", "will", "with", "would", "you", "your",
];

/// The words of a text as similarity reads them: runs of letters and digits,
/// lower-cased, at least three characters, not only digits and not a function word, a
/// plural's final `s` dropped ("certificates" and "certificate" are one word).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .filter(|w| FUNCTION_WORDS.binary_search(&w.as_str()).is_err())
        .map(|mut w| {
            if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") {
                w.pop();
            }
            w
        })
}

/// A post-mortem related to another, with why.
#[derive(Debug, Clone)]
pub struct Related {
    pub incident: usize,
    /// The sum of the shared things' weights.
    pub score: f64,
    /// What the two share, the most specific (held by the fewest post-mortems) first.
    pub shared: Vec<Shared>,
}

/// Something two post-mortems share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    pub kind: SharedKind,
    /// The factor's title, the service or the word.
    pub name: String,
    /// How many post-mortems of the book have it.
    pub incidents: usize,
}

/// In this order among things held as widely: a factor says most about how it
/// happened, a word least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SharedKind {
    Factor,
    Service,
    Word,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// A factor by its position in the book's factor table (aliases are one factor).
    Factor(usize),
    Service(String),
    Word(String),
}

struct Thing {
    kind: SharedKind,
    name: String,
    /// The post-mortems that have it, in the book's order.
    holders: Vec<usize>,
    weight: f64,
}

/// What one post-mortem is compared through: its things (numbers into the index),
/// sorted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Probe {
    things: Vec<u32>,
}

/// A post-mortem's things as the index is given them.
pub struct Traits<'a> {
    /// (position in the factor table, title).
    pub factors: Vec<(usize, &'a str)>,
    pub services: Vec<&'a str>,
    /// The text compared: title and summary.
    pub text: Vec<&'a str>,
}

impl<'a> Traits<'a> {
    /// A post-mortem's traits: `factor` names the factor an id or alias refers to.
    pub fn of(incident: &'a Incident, factor: &dyn Fn(&str) -> Option<(usize, &'a str)>) -> Self {
        Traits {
            factors: incident
                .factors
                .iter()
                .filter_map(|f| factor(f.id.as_str()))
                .collect(),
            services: incident.services.iter().map(String::as_str).collect(),
            text: std::iter::once(incident.title.as_str())
                .chain(incident.summary.as_deref())
                .collect(),
        }
    }
}

/// The things of every post-mortem of a book, and who holds each.
pub struct Similarity {
    things: Vec<Thing>,
    lookup: HashMap<Key, u32>,
    /// Per post-mortem, every thing it has (sorted) and those it is compared through.
    has: Vec<Vec<u32>>,
    probes: Vec<Probe>,
    /// Per post-mortem, its day (days from the common era), for closeness in time.
    days: Vec<Option<i64>>,
}

impl Similarity {
    pub fn new(traits: &[Traits], days: Vec<Option<i64>>) -> Similarity {
        let total = traits.len();
        // Each post-mortem's distinct words, then how many post-mortems have each.
        let words: Vec<Vec<String>> = traits
            .par_iter()
            .map(|t| {
                let mut w: Vec<String> = t.text.iter().flat_map(|s| words(s)).collect();
                w.sort_unstable();
                w.dedup();
                w
            })
            .collect();
        let mut document_frequency: HashMap<&str, usize> = HashMap::default();
        for w in words.iter().flatten() {
            *document_frequency.entry(w.as_str()).or_default() += 1;
        }
        // A word is evidence when another post-mortem has it too, and at most a fifth
        // of the book does.
        let is_evidence = |df: usize| df >= 2 && df * 5 <= total;
        let mut things: Vec<Thing> = Vec::new();
        let mut lookup: HashMap<Key, u32> = HashMap::default();
        let mut has: Vec<Vec<u32>> = Vec::with_capacity(total);
        for (i, (t, w)) in traits.iter().zip(&words).enumerate() {
            let keys = t
                .factors
                .iter()
                .map(|&(n, title)| (Key::Factor(n), SharedKind::Factor, title))
                .chain(
                    t.services
                        .iter()
                        .map(|s| (Key::Service((*s).to_owned()), SharedKind::Service, *s)),
                )
                .chain(
                    w.iter()
                        .filter(|w| is_evidence(document_frequency[w.as_str()]))
                        .map(|w| (Key::Word(w.clone()), SharedKind::Word, w.as_str())),
                );
            let mut mine: Vec<u32> = Vec::new();
            for (key, kind, name) in keys {
                let n = *lookup.entry(key).or_insert_with(|| {
                    things.push(Thing {
                        kind,
                        name: name.to_owned(),
                        holders: Vec::new(),
                        weight: 0.0,
                    });
                    (things.len() - 1) as u32
                });
                let holders = &mut things[n as usize].holders;
                // A post-mortem naming a thing twice holds it once.
                if holders.last() != Some(&i) {
                    holders.push(i);
                }
                mine.push(n);
            }
            mine.sort_unstable();
            mine.dedup();
            has.push(mine);
        }
        for t in &mut things {
            let idf = informativeness(t.holders.len(), total);
            t.weight = match t.kind {
                SharedKind::Word => WORD_WEIGHT * idf,
                _ => idf,
            };
        }
        let mut index = Similarity {
            things,
            lookup,
            probes: Vec::new(),
            has,
            days,
        };
        index.probes = (0..total)
            .map(|i| index.probe_through(index.has[i].iter().copied()))
            .collect();
        index
    }

    /// The probe of things `mine`: its factors and services, and its rarest words.
    fn probe_through(&self, mine: impl Iterator<Item = u32>) -> Probe {
        let (mut words, mut things): (Vec<u32>, Vec<u32>) =
            mine.partition(|&n| self.things[n as usize].kind == SharedKind::Word);
        words.sort_by(|&a, &b| {
            let (a, b) = (&self.things[a as usize], &self.things[b as usize]);
            a.holders
                .len()
                .cmp(&b.holders.len())
                .then(a.name.cmp(&b.name))
        });
        words.truncate(KEY_WORDS);
        things.extend(words);
        things.sort_unstable();
        things.dedup();
        Probe { things }
    }

    /// The probe of a post-mortem not in the book (one being written): its words, its
    /// factors (positions in the factor table) and services, as far as the book has them.
    pub fn probe(&self, text: &[&str], factors: &[usize], services: &[&str]) -> Probe {
        let keys = factors
            .iter()
            .map(|&n| Key::Factor(n))
            .chain(services.iter().map(|s| Key::Service((*s).to_owned())))
            .chain(text.iter().flat_map(|s| words(s)).map(Key::Word));
        self.probe_through(keys.filter_map(|k| self.lookup.get(&k).copied()))
    }

    /// The probe of the book's post-mortem `i`.
    pub fn probe_of(&self, i: usize) -> &Probe {
        &self.probes[i]
    }

    /// The post-mortems most like `probe`, best first (at most [`MAX_SHOWN`]), leaving
    /// out `exclude`; every holder of its things is a candidate.
    pub fn most_like(
        &self,
        probe: &Probe,
        exclude: Option<usize>,
        day: Option<i64>,
    ) -> Vec<Related> {
        let mut scratch = Scratch::new(self.has.len());
        self.rank(probe, exclude, day, None, &mut scratch)
    }

    /// The related post-mortems of every post-mortem of the book, candidates taken from
    /// within [`WINDOW`] places of it on each list.
    pub fn related_all(&self) -> Vec<Vec<Related>> {
        let n = self.has.len();
        (0..n)
            .into_par_iter()
            .map_init(
                || Scratch::new(n),
                |scratch, i| self.rank(&self.probes[i], Some(i), self.days[i], Some(i), scratch),
            )
            .collect()
    }

    fn rank(
        &self,
        probe: &Probe,
        exclude: Option<usize>,
        day: Option<i64>,
        window_around: Option<usize>,
        scratch: &mut Scratch,
    ) -> Vec<Related> {
        let Scratch {
            scores,
            touched,
            seen,
        } = scratch;
        // Scores only: the shared names are worked out for the few kept.
        for &t in &probe.things {
            let thing = &self.things[t as usize];
            let list = match window_around {
                Some(i) => near(&thing.holders, i),
                None => &thing.holders,
            };
            for &j in list {
                if !seen[j] {
                    seen[j] = true;
                    touched.push(j);
                }
                scores[j] += thing.weight;
            }
        }
        if let Some(i) = exclude.filter(|&i| i < scores.len()) {
            scores[i] = 0.0;
        }
        let days_apart = |j: usize| match (day, self.days[j]) {
            (Some(a), Some(b)) => (a - b).abs(),
            _ => i64::MAX,
        };
        // Best first: highest score, then closest in time, then position. Only
        // candidates whose score reaches the MAX_SHOWN-th best are ranked: the others
        // cannot be kept, and they are most of a large book's candidates. A candidate
        // sharing only what every post-mortem has (score 0) is no relation.
        let bar = score_to_reach(touched.iter().map(|&j| scores[j]));
        let mut ranked: Vec<(f64, i64, usize)> = touched
            .iter()
            .filter(|&&j| scores[j] > 0.0 && scores[j] >= bar)
            .map(|&j| (scores[j], days_apart(j), j))
            .collect();
        for j in touched.drain(..) {
            scores[j] = 0.0;
            seen[j] = false;
        }
        let order = |a: &(f64, i64, usize), b: &(f64, i64, usize)| {
            b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
        };
        if ranked.len() > MAX_SHOWN {
            ranked.select_nth_unstable_by(MAX_SHOWN - 1, order);
            ranked.truncate(MAX_SHOWN);
        }
        ranked.sort_unstable_by(order);
        ranked
            .into_iter()
            .map(|(score, _, j)| Related {
                incident: j,
                score,
                shared: self.shared(probe, j),
            })
            .collect()
    }

    /// What `probe` shares with post-mortem `j`, the most specific first; among things
    /// held as widely, a factor, then a service, then a word.
    fn shared(&self, probe: &Probe, j: usize) -> Vec<Shared> {
        let mut shared: Vec<Shared> = probe
            .things
            .iter()
            .filter(|t| self.has[j].binary_search(t).is_ok())
            .map(|&t| {
                let thing = &self.things[t as usize];
                Shared {
                    kind: thing.kind,
                    name: thing.name.clone(),
                    incidents: thing.holders.len(),
                }
            })
            .collect();
        shared.sort_by(|a, b| {
            a.incidents
                .cmp(&b.incidents)
                .then(a.kind.cmp(&b.kind))
                .then(a.name.cmp(&b.name))
        });
        shared
    }
}

/// Shared words named in a reason; the rest are counted.
const REASON_WORDS: usize = 3;

/// How much of what two post-mortems share a reason names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every factor and service, and the first words (`incidentbook similar`).
    Full,
    /// The services; other factors and the words counted. A post-mortem's page shows
    /// five related ones, and that list repeats on every page of the site.
    Short,
}

/// Why two post-mortems are related, in words: the most specific thing they share, with
/// how many of the book's `total` post-mortems have it, then the rest by kind
/// ("factor: Manual certificate renewal (3 of 1000 post-mortems); also services: checkout,
/// orders-api; words: “expiry”, “renewal”, “cert” and 2 more"; in `Detail::Short`,
/// "…; also services: checkout, orders-api; 5 shared words").
pub fn reason(shared: &[Shared], total: usize, detail: Detail) -> String {
    let Some(first) = shared.first() else {
        return String::new();
    };
    let mut out = match first.kind {
        SharedKind::Factor => format!("factor: {}", first.name),
        SharedKind::Service => format!("service: {}", first.name),
        SharedKind::Word => format!("the word “{}” in both titles or summaries", first.name),
    };
    out.push_str(&format!(" ({} of {total} post-mortems)", first.incidents));
    let rest = &shared[1..];
    let names = |kind: SharedKind| -> Vec<&str> {
        rest.iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.name.as_str())
            .collect()
    };
    let listed = |one: &str, many: &str, names: &[&str]| match names {
        [] => None,
        [name] => Some(format!("{one}: {name}")),
        _ => Some(format!("{many}: {}", names.join(", "))),
    };
    let counted = |one: &str, many: &str, n: usize| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        _ => Some(format!("{n} {many}")),
    };
    let (factors, services, words) = (
        names(SharedKind::Factor),
        names(SharedKind::Service),
        names(SharedKind::Word),
    );
    let also: Vec<String> = match detail {
        Detail::Full => {
            let shown = words.len().min(REASON_WORDS);
            let words = (!words.is_empty()).then(|| {
                let quoted: Vec<String> = words[..shown].iter().map(|w| format!("“{w}”")).collect();
                let label = if words.len() == 1 { "word" } else { "words" };
                let more = words.len() - shown;
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("{label}: {}{more}", quoted.join(", "))
            });
            [
                listed("factor", "factors", &factors),
                listed("service", "services", &services),
                words,
            ]
            .into_iter()
            .flatten()
            .collect()
        }
        Detail::Short => [
            listed("service", "services", &services),
            match first.kind {
                SharedKind::Factor => counted("more factor", "more factors", factors.len()),
                _ => counted("factor", "factors", factors.len()),
            },
            match first.kind {
                SharedKind::Word => counted("more shared word", "more shared words", words.len()),
                _ => counted("shared word", "shared words", words.len()),
            },
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    if !also.is_empty() {
        out.push_str(&format!("; also {}", also.join("; ")));
    }
    out
}

/// Per thread: each post-mortem's score, and which entries were touched, so resetting
/// costs only what was used.
struct Scratch {
    scores: Vec<f64>,
    touched: Vec<usize>,
    seen: Vec<bool>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            scores: vec![0.0; n],
            touched: Vec::new(),
            seen: vec![false; n],
        }
    }
}

/// The entries of `list` (positions in the book's order) within [`WINDOW`] places of
/// where `i` is or would be.
fn near(list: &[usize], i: usize) -> &[usize] {
    let at = list.partition_point(|&j| j < i);
    &list[at.saturating_sub(WINDOW)..(at + WINDOW).min(list.len())]
}

/// The score the [`MAX_SHOWN`]-th best of `scores` has: no candidate below it is among
/// the best. Zero when there are fewer candidates.
fn score_to_reach(scores: impl Iterator<Item = f64>) -> f64 {
    // Best first, at most MAX_SHOWN long.
    let mut best: Vec<f64> = Vec::with_capacity(MAX_SHOWN + 1);
    for c in scores {
        if best.len() < MAX_SHOWN || best.last().is_some_and(|&last| c > last) {
            let at = best.partition_point(|&b| b >= c);
            best.insert(at, c);
            best.truncate(MAX_SHOWN);
        }
    }
    best.get(MAX_SHOWN - 1).copied().unwrap_or(0.0)
}

/// The traits of every post-mortem of `incidents`, and their days.
pub fn index<'a>(
    incidents: &'a [Arc<Incident>],
    factor: &(dyn Fn(&str) -> Option<(usize, &'a str)> + Sync),
) -> Similarity {
    let traits: Vec<Traits> = incidents
        .par_iter()
        .map(|x| Traits::of(x, factor))
        .collect();
    let days = incidents
        .iter()
        .map(|x| {
            x.date
                .map(|d| i64::from(chrono::Datelike::num_days_from_ce(&d)))
        })
        .collect();
    Similarity::new(&traits, days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_names_the_most_specific_thing_then_the_rest_by_kind() {
        let shared = |kind, name: &str, incidents| Shared {
            kind,
            name: name.to_owned(),
            incidents,
        };
        let all = [
            shared(SharedKind::Factor, "Manual renewal", 3),
            shared(SharedKind::Service, "checkout", 40),
            shared(SharedKind::Service, "orders-api", 50),
            shared(SharedKind::Factor, "No expiry alert", 60),
            shared(SharedKind::Word, "expiry", 70),
            shared(SharedKind::Word, "renewal", 80),
            shared(SharedKind::Word, "cert", 90),
            shared(SharedKind::Word, "tls", 95),
        ];
        assert_eq!(
            reason(&all, 1000, Detail::Full),
            "factor: Manual renewal (3 of 1000 post-mortems); also factor: No expiry alert; \
             services: checkout, orders-api; words: “expiry”, “renewal”, “cert” and 1 more"
        );
        assert_eq!(
            reason(&all, 1000, Detail::Short),
            "factor: Manual renewal (3 of 1000 post-mortems); also services: checkout, \
             orders-api; 1 more factor; 4 shared words"
        );
        // Led by a word, the other words are "more"; a factor is not.
        assert_eq!(
            reason(&all[3..], 1000, Detail::Short),
            "factor: No expiry alert (60 of 1000 post-mortems); also 4 shared words"
        );
        assert_eq!(
            reason(&all[4..6], 1000, Detail::Short),
            "the word “expiry” in both titles or summaries (70 of 1000 post-mortems); also 1 more shared word"
        );
        assert_eq!(reason(&[], 1000, Detail::Full), "");
    }

    #[test]
    fn related_candidates_are_the_nearest_either_way_round() {
        let ascending: Vec<usize> = (0..1000).collect();
        let window = near(&ascending, 500);
        assert_eq!(window.len(), 2 * WINDOW);
        assert_eq!((window[0], *window.last().unwrap()), (300, 699));
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

    #[test]
    fn words_are_lower_cased_without_plurals_numbers_or_short_words() {
        let w: Vec<String> =
            words("TLS certificates expired on 2024-01-02 but not the API's pass").collect();
        assert_eq!(w, ["tls", "certificate", "expired", "api", "pass"]);
        assert!(
            FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted, for the search"
        );
    }

    fn traits<'a>(text: &'a str, factors: &[(usize, &'a str)], services: &[&'a str]) -> Traits<'a> {
        Traits {
            factors: factors.to_vec(),
            services: services.to_vec(),
            text: vec![text],
        }
    }

    #[test]
    fn the_rarest_shared_thing_ranks_and_is_named_first() {
        // Twenty post-mortems: "database" in two, "timeout" in three; a factor in eight,
        // a service in all.
        let fillers: Vec<String> = (0..20)
            .map(|k| format!("filler{}", (b'a' + k) as char))
            .collect();
        let mut book: Vec<Traits> = fillers.iter().map(|f| traits(f, &[], &["web"])).collect();
        book[0] = traits("database timeout", &[(0, "Common")], &["web"]);
        book[1] = traits("database failover", &[(0, "Common")], &["web"]);
        book[2] = traits("timeout on login", &[(0, "Common")], &["web"]);
        book[3] = traits("timeout on search", &[(0, "Common")], &["web"]);
        for t in &mut book[4..8] {
            t.factors = vec![(0, "Common")];
        }
        let index = Similarity::new(&book, vec![None; 20]);
        let related = index.most_like(index.probe_of(0), Some(0), None);
        let order: Vec<usize> = related.iter().map(|r| r.incident).collect();
        // The one sharing the rare word first, then those sharing the commoner word.
        assert_eq!(order[..3], [1, 2, 3]);
        assert_eq!(
            related[0].shared[0],
            Shared {
                kind: SharedKind::Word,
                name: "database".into(),
                incidents: 2
            }
        );
        // A probe from a title alone finds the same.
        let probe = index.probe(&["Database is down"], &[], &[]);
        assert_eq!(
            index.most_like(&probe, None, None)[..2]
                .iter()
                .map(|r| r.incident)
                .collect::<Vec<_>>(),
            [0, 1]
        );
        // A service in every post-mortem weighs nothing.
        let nothing = index.probe(&["nothing shared"], &[], &["web"]);
        assert!(index.most_like(&nothing, None, None).is_empty());
    }
}
