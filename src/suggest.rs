//! Suggested catalogue entries for an adopted archive: the provisional factors read
//! from each post-mortem's Contributing Factors entries (`parse::provisional`) grouped
//! across the book by their wording (their rarer words, or the kinds of condition
//! they name), so that several documents that say alert noise is too high meet on one
//! factor page. Each group becomes a `Factor` marked
//! `suggested`, answering to its members' provisional ids as aliases; nothing in the
//! post-mortems changes. `incidentbook import` writes the groups down.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::model::{Book, Factor, Incident, ListedKind};
use crate::parse::provisional;
use crate::text::escape_html;

/// Two entries whose wording is at least this similar (cosine of their rare-word
/// vectors) stand for one condition.
const SAME_CONDITION: f64 = 0.4;

/// A word held by more than this share of the entries says nothing about which
/// condition an entry names, and does not make two entries candidates.
const COMMON_SHARE: f64 = 0.05;

/// Words of a bullet that say nothing about the condition it names.
const GENERIC: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "being", "between", "both", "but", "by", "can", "cause", "caused", "causing",
    "could", "did", "do", "does", "due", "during", "each", "even", "factor", "for", "from", "had",
    "has", "have", "how", "if", "in", "incident", "into", "is", "issue", "it", "its", "led",
    "lead", "more", "most", "no", "not", "of", "on", "one", "only", "or", "other", "our", "out",
    "over", "primary", "problem", "root", "same", "should", "so", "some", "such", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "up", "us", "very", "was", "we", "were", "what", "when", "which", "while", "who", "why",
    "will", "with", "would",
];

/// Two entries that name two of the same kinds of condition (below) and share a word
/// stand for one condition even when their other words differ ("alert fatigue: pages
/// all night" and "too many noisy pages").
const SAME_KINDS: usize = 2;

/// Kinds of condition that recur in post-mortems, each with the words (as [`words`]
/// leaves them) that name it in different teams' writing.
const KINDS: &[(&str, &[&str])] = &[
    (
        "alerting",
        &[
            "alert",
            "alerting",
            "page",
            "paged",
            "paging",
            "pager",
            "pagerduty",
            "notification",
            "opsgenie",
        ],
    ),
    (
        "noise",
        &[
            "noise",
            "noisy",
            "fatigue",
            "overload",
            "flood",
            "spam",
            "duplicate",
            "ignored",
            "ignore",
            "ignoring",
        ],
    ),
    (
        "capacity",
        &[
            "capacity",
            "cpu",
            "memory",
            "oom",
            "saturation",
            "saturated",
            "undersized",
            "undersizing",
            "exhaustion",
            "exhausted",
            "disk",
            "quota",
        ],
    ),
    (
        "retries",
        &[
            "retry",
            "retried",
            "retrying",
            "backoff",
            "jitter",
            "amplification",
            "amplified",
            "thundering",
            "herd",
            "storm",
        ],
    ),
    (
        "timeouts",
        &["timeout", "timed", "deadline", "latency", "slow"],
    ),
    (
        "certificates",
        &[
            "certificate",
            "cert",
            "tls",
            "ssl",
            "expiry",
            "expired",
            "renewal",
            "renew",
        ],
    ),
    (
        "dns",
        &[
            "dns",
            "resolver",
            "resolution",
            "ndot",
            "coredns",
            "nameserver",
        ],
    ),
    (
        "configuration",
        &[
            "config",
            "configuration",
            "misconfiguration",
            "misconfigured",
            "setting",
            "flag",
            "toggle",
        ],
    ),
    (
        "deploys",
        &[
            "deploy",
            "deployed",
            "deployment",
            "rollout",
            "release",
            "rollback",
            "canary",
        ],
    ),
    (
        "testing",
        &[
            "test", "tested", "testing", "untested", "coverage", "staging",
        ],
    ),
    (
        "visibility",
        &[
            "monitoring",
            "observability",
            "metric",
            "dashboard",
            "visibility",
            "logging",
        ],
    ),
    (
        "knowledge",
        &[
            "runbook",
            "documentation",
            "documented",
            "undocumented",
            "playbook",
            "knowledge",
        ],
    ),
    (
        "access",
        &[
            "permission",
            "access",
            "iam",
            "credential",
            "token",
            "secret",
            "role",
        ],
    ),
    (
        "dependencies",
        &[
            "dependency",
            "upstream",
            "downstream",
            "vendor",
            "third-party",
            "provider",
        ],
    ),
];

/// The kinds of condition `words` name, sorted.
fn kinds(words: &[String]) -> Vec<&'static str> {
    let mut out: Vec<&str> = KINDS
        .iter()
        .filter(|(_, names)| words.iter().any(|w| names.contains(&w.as_str())))
        .map(|(kind, _)| *kind)
        .collect();
    out.sort_unstable();
    out
}

/// One provisional factor: which post-mortem, its id, its short name and its words.
struct Entry<'a> {
    incident: &'a Incident,
    id: &'a str,
    title: &'a str,
    note: &'a str,
    words: Vec<String>,
    kinds: Vec<&'static str>,
}

/// The suggested entries for `book`'s provisional factors, none of whose ids is taken
/// by the catalogue; sorted by id.
pub fn catalogue(book: &Book) -> Vec<Factor> {
    let entries = entries(&book.incidents);
    if entries.is_empty() {
        return Vec::new();
    }
    let groups = group(&entries);
    let mut taken: std::collections::HashSet<String> =
        book.factors.iter().map(|f| f.id.clone()).collect();
    let mut out: Vec<Factor> = groups
        .into_iter()
        .map(|members| {
            let members: Vec<&Entry> = members.into_iter().map(|m| &entries[m]).collect();
            let mut id = name(&members);
            if taken.contains(&id) {
                id = (2..)
                    .map(|n| format!("{id}-{n}"))
                    .find(|c| !taken.contains(c))
                    .expect("some suffix is free");
            }
            taken.insert(id.clone());
            factor(id, &members)
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Every provisional factor of the book, in the book's order.
fn entries(incidents: &[Arc<Incident>]) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for incident in incidents {
        let titles = incident
            .body
            .listed
            .iter()
            .filter(|l| l.kind == ListedKind::Factor);
        let provisional = incident
            .factors
            .iter()
            .filter(|f| provisional::is_provisional(&f.id));
        for (f, listed) in provisional.zip(titles) {
            let words = words(&listed.text);
            out.push(Entry {
                incident,
                id: &f.id,
                title: &listed.title,
                note: f.note.as_deref().unwrap_or_default(),
                kinds: kinds(&words),
                words,
            });
        }
    }
    out
}

/// The words of `text` that can tell one condition from another, lower-cased, a
/// plural's `s` dropped.
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !w.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_lowercase)
        .filter(|w| !GENERIC.contains(&w.as_str()))
        .map(|w| {
            if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() >= 2) {
                format!("{stem}y")
            } else {
                match w.strip_suffix('s') {
                    Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_owned(),
                    _ => w,
                }
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Groups of entries (indices) that name one condition: entries of different
/// post-mortems whose rare words are similar enough, joined transitively.
fn group(entries: &[Entry]) -> Vec<Vec<usize>> {
    let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut of_kind: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, e) in entries.iter().enumerate() {
        for w in &e.words {
            holders.entry(w.as_str()).or_default().push(n);
        }
        for k in &e.kinds {
            of_kind.entry(k).or_default().push(n);
        }
    }
    let total = entries.len() as f64;
    let weight = |w: &str| (total / holders[w].len() as f64).ln() + 1.0;
    let common = (total * COMMON_SHARE).max(2.0) as usize;
    let norm: Vec<f64> = entries
        .iter()
        .map(|e| {
            e.words
                .iter()
                .map(|w| weight(w).powi(2))
                .sum::<f64>()
                .sqrt()
        })
        .collect();
    let mut parent: Vec<usize> = (0..entries.len()).collect();
    fn root(parent: &mut [usize], mut n: usize) -> usize {
        while parent[n] != n {
            parent[n] = parent[parent[n]];
            n = parent[n];
        }
        n
    }
    for (a, e) in entries.iter().enumerate() {
        // Candidates share a word that few entries hold, or a kind of condition.
        let mut candidates: Vec<usize> = e
            .words
            .iter()
            .filter(|w| holders[w.as_str()].len() <= common)
            .flat_map(|w| holders[w.as_str()].iter().copied())
            .chain(e.kinds.iter().flat_map(|k| of_kind[k].iter().copied()))
            .filter(|&b| b > a && !std::ptr::eq(entries[b].incident, e.incident))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        for b in candidates {
            let shared: f64 = e
                .words
                .iter()
                .filter(|w| entries[b].words.binary_search(w).is_ok())
                .map(|w| weight(w).powi(2))
                .sum();
            let same_kinds = e
                .kinds
                .iter()
                .filter(|k| entries[b].kinds.contains(k))
                .count();
            let similar = shared / (norm[a] * norm[b]).max(f64::MIN_POSITIVE);
            // Kinds alone are too coarse ("disk filled, alerts fired" is not "no CPU
            // alerting"): a word in common as well.
            if similar >= SAME_CONDITION || (same_kinds >= SAME_KINDS && shared > 0.0) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for n in 0..entries.len() {
        let r = root(&mut parent, n);
        groups.entry(r).or_default().push(n);
    }
    groups.into_values().collect()
}

/// A group's id: the telling words of its shortest title, at most five, as a slug
/// ("CPU alerting was missing" -> `cpu-alerting-missing`).
fn name(members: &[&Entry]) -> String {
    let title = representative(members);
    let slug = slug::slugify(title);
    let short: Vec<&str> = slug
        .split('-')
        // A negation is the condition ("no static analysis"), whatever it weighs.
        .filter(|w| matches!(*w, "no" | "not") || (w.len() > 1 && !GENERIC.contains(w)))
        .take(5)
        .collect();
    if short.is_empty() {
        "suggested-factor".to_owned()
    } else {
        short.join("-")
    }
}

/// The title that names a group: the shortest of its members' (the most general).
fn representative<'a>(members: &[&'a Entry]) -> &'a str {
    members
        .iter()
        .map(|m| m.title)
        .min_by_key(|t| (t.chars().count(), *t))
        .unwrap_or_default()
}

/// The suggested catalogue entry for a group, its description quoting how each
/// post-mortem put it.
fn factor(id: String, members: &[&Entry]) -> Factor {
    let mut description = format!(
        "<p class=\"suggested-note\">Suggested from the Contributing Factors of {} post-mortem{}, in their words. <code>incidentbook import</code> writes it into the catalogue, where it can be renamed or merged.</p>\n<ul>\n",
        members.len(),
        if members.len() == 1 { "" } else { "s" }
    );
    for m in members {
        description.push_str(&format!(
            "<li>{} <span class=\"suggested-from\">({})</span></li>\n",
            escape_html(m.note),
            escape_html(&m.incident.title)
        ));
    }
    description.push_str("</ul>\n");
    Factor {
        source: members[0].incident.source.clone(),
        title: representative(members).to_owned(),
        category: None,
        category_span: crate::diagnostics::Span::file_start(),
        aliases: members.iter().map(|m| m.id.to_owned()).collect(),
        description_html: description,
        suggested: true,
        leaks: Vec::new(),
        id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_drop_what_names_no_condition() {
        assert_eq!(
            words("The alerts were too noisy, so retries and pages were ignored in 2019"),
            ["alert", "ignored", "noisy", "page", "retry"]
        );
    }
}
