//! The labelled relevance set (`tests/fixtures/relevance/`, written from the documents
//! before the ranking work, see its README): every query as a responder types it,
//! through `incidentbook search` and through the built site's search script (run in Node
//! exactly as the browser runs it), over the example book and the three real archives.
//! MRR and nDCG@5 are printed per kind of query and held at the figures reached, and the
//! CLI and the browser must return the same top five.
//!
//! `cargo test --locked --test suite relevance:: -- --nocapture` prints the table and the
//! queries whose answer is not first.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::Book;
use common::node::harness as node;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Labelled {
    id: String,
    book: String,
    query: String,
    kind: String,
    /// Path of a post-mortem, relative to its book's content root -> grade (1 or 2).
    relevant: BTreeMap<String, u8>,
}

/// The floors held, per kind of query and for all of them: (kind, MRR, nDCG@5), the
/// same for the CLI and the browser (they must rank alike). Raise them when a change
/// raises the figures; a change that lowers one fails here.
const FLOORS: &[(&str, f64, f64)] = &[
    ("typo", 1.0, 1.0),
    ("phrase", 0.85, 0.862),
    ("service", 1.0, 0.998),
    ("error-string", 0.917, 0.905),
    ("symptom", 0.935, 0.945),
    ("concept", 0.929, 0.922),
    ("abbreviation", 1.0, 0.998),
    ("filter", 0.917, 0.942),
    ("synonym", 1.0, 1.0),
    ("all", 0.953, 0.954),
];

/// How many queries may rank differently in the CLI and the browser within the top five.
const MAX_DIFFERENT_TOP_FIVE: usize = 4;

/// Ties: scores this close are equal (the browser's scores are quantised).
const TIE: f64 = 0.002;

/// A ranking: slugs with their scores, best first.
type Ranking = Vec<(String, f64)>;

fn labelled() -> Vec<Labelled> {
    let path = common::fixture_dir("relevance").join("queries.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The book a label names, copied to a temporary folder, and the folder its label
/// paths are relative to.
fn book(name: &str) -> (Book, &'static str) {
    match name {
        "example" => (Book::example(), "content"),
        corpus => (common::adopted(corpus), "pm"),
    }
}

/// The slug a post-mortem at `path` gets: its file name's, as none of the labelled
/// documents declares one (checked against the built site by the caller).
fn slug_of(path: &str) -> String {
    let stem = Path::new(path).file_stem().unwrap().to_string_lossy();
    slug::slugify(stem)
}

/// The reciprocal rank of the first answer (grade 2) in the top ten.
fn reciprocal_rank(ranking: &Ranking, grades: &BTreeMap<String, u8>) -> f64 {
    ranking
        .iter()
        .take(10)
        .position(|(slug, _)| grades.get(slug) == Some(&2))
        .map_or(0.0, |k| 1.0 / (k as f64 + 1.0))
}

/// nDCG@5 with gains 2^grade - 1.
fn ndcg5(ranking: &Ranking, grades: &BTreeMap<String, u8>) -> f64 {
    let gain = |g: u8| f64::from((1u32 << g) - 1);
    let discount = |k: usize| (k as f64 + 2.0).log2();
    let dcg: f64 = ranking
        .iter()
        .take(5)
        .enumerate()
        .map(|(k, (slug, _))| gain(grades.get(slug).copied().unwrap_or(0)) / discount(k))
        .sum();
    let mut ideal: Vec<u8> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(5)
        .enumerate()
        .map(|(k, g)| gain(*g) / discount(k))
        .sum();
    dcg / idcg
}

/// Whether two rankings agree on their top five: the same post-mortems in the same
/// order, those of equal score in `a` in either order. (A phrase's score differs: the
/// CLI scores the phrase, the browser its words.)
fn same_top_five(a: &Ranking, b: &Ranking) -> bool {
    let (a, b) = (&a[..a.len().min(5)], &b[..b.len().min(5)]);
    a.len() == b.len()
        && a.iter().zip(b).all(|((sa, xa), (sb, _))| {
            sa == sb
                || a.iter()
                    .any(|(other, x)| other == sb && (x - xa).abs() < TIE)
        })
}

#[derive(Default)]
struct Sums {
    n: usize,
    cli: (f64, f64),
    browser: (f64, f64),
}

#[test]
fn the_labelled_queries_find_their_post_mortems_in_the_cli_and_the_browser() {
    let queries = labelled();
    let names: BTreeSet<&str> = queries.iter().map(|q| q.book.as_str()).collect();
    assert!(
        queries.len() >= 60 && names.len() == 4,
        "{} queries",
        queries.len()
    );
    let mut by_kind: BTreeMap<String, Sums> = BTreeMap::new();
    let mut report = Vec::new();
    let mut different = Vec::new();
    for name in names {
        let (book, _) = book(name);
        let site = book.build();
        let pages: BTreeSet<String> = site.post_mortem_pages().into_iter().collect();
        let asked: Vec<&Labelled> = queries.iter().filter(|q| q.book == name).collect();
        let input: Vec<Value> = asked.iter().map(|q| json!([q.query, {}])).collect();
        let browser = node(&["search", site.dir.to_str().unwrap()], &json!(input));
        for (q, found) in asked.iter().zip(browser.as_array().unwrap()) {
            let grades: BTreeMap<String, u8> = q
                .relevant
                .iter()
                .map(|(path, g)| (slug_of(path), *g))
                .collect();
            for slug in grades.keys() {
                assert!(
                    pages.contains(&format!("incidents/{slug}.html")),
                    "{}: no post-mortem {slug} in {name}",
                    q.id
                );
            }
            let in_cli = common::ranking(&book, &q.query, &[]);
            let in_browser: Ranking = found["slugs"]
                .as_array()
                .unwrap()
                .iter()
                .zip(found["scores"].as_array().unwrap())
                .map(|(s, x)| (s.as_str().unwrap().to_owned(), x.as_f64().unwrap()))
                .collect();
            if !same_top_five(&in_cli, &in_browser) {
                different.push(format!(
                    "{} `{}`: CLI {:?}, browser {:?}",
                    q.id,
                    q.query,
                    &in_cli[..in_cli.len().min(5)],
                    &in_browser[..in_browser.len().min(5)]
                ));
            }
            let cli_scores = (reciprocal_rank(&in_cli, &grades), ndcg5(&in_cli, &grades));
            let browser_scores = (
                reciprocal_rank(&in_browser, &grades),
                ndcg5(&in_browser, &grades),
            );
            if cli_scores.0 < 1.0 {
                let top: Vec<&str> = in_cli.iter().take(3).map(|(s, _)| s.as_str()).collect();
                report.push(format!(
                    "{} {:<12} {:<45} RR {:.2} nDCG@5 {:.2}  top {top:?}",
                    q.id,
                    q.kind,
                    format!("`{}`", q.query),
                    cli_scores.0,
                    cli_scores.1
                ));
            }
            for kind in [q.kind.as_str(), "all"] {
                let sums = by_kind.entry(kind.to_owned()).or_default();
                sums.n += 1;
                sums.cli.0 += cli_scores.0;
                sums.cli.1 += cli_scores.1;
                sums.browser.0 += browser_scores.0;
                sums.browser.1 += browser_scores.1;
            }
        }
    }
    println!("queries whose answer is not first in the CLI:");
    for line in &report {
        println!("  {line}");
    }
    println!(
        "\n{:<13} {:>3}  {:>7} {:>9}  {:>11} {:>13}",
        "kind", "n", "CLI MRR", "CLI nDCG@5", "browser MRR", "browser nDCG@5"
    );
    let mut below = Vec::new();
    for (kind, mrr_floor, ndcg_floor) in FLOORS {
        let s = &by_kind[*kind];
        let n = s.n as f64;
        let (cli, browser) = (
            (s.cli.0 / n, s.cli.1 / n),
            (s.browser.0 / n, s.browser.1 / n),
        );
        println!(
            "{kind:<13} {:>3}  {:>7.3} {:>9.3}  {:>11.3} {:>13.3}",
            s.n, cli.0, cli.1, browser.0, browser.1
        );
        for (side, (mrr, ndcg)) in [("CLI", cli), ("browser", browser)] {
            // The floors are the figures printed, to three decimals.
            if mrr + 5e-4 < *mrr_floor || ndcg + 5e-4 < *ndcg_floor {
                below.push(format!(
                    "{side} {kind}: MRR {mrr:.3} (floor {mrr_floor}), nDCG@5 {ndcg:.3} (floor {ndcg_floor})"
                ));
            }
        }
    }
    println!("\ntop five differ in {} queries:", different.len());
    for line in &different {
        println!("  {line}");
    }
    assert!(below.is_empty(), "below the floors:\n{}", below.join("\n"));
    assert!(
        different.len() <= MAX_DIFFERENT_TOP_FIVE,
        "the CLI and the browser differ in the top five of {} queries:\n{}",
        different.len(),
        different.join("\n")
    );
}
