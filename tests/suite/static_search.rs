//! The static search of the built site, run in Node exactly as the browser runs it
//! (`tests/js/harness.js` loads `static/search.js` and the index chunks as scripts):
//! the same stems as tantivy, the same ranking as `incidentbook search`, and filter
//! counts that match the CLI's filtered results.

use crate::common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::Book;
use serde_json::{Value, json};

/// Runs the Node harness with `input` (JSON) on stdin.
fn node(args: &[&str], input: &Value) -> Value {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/harness.js");
    let mut child = Command::new("node")
        .arg(harness)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs the browser script in the tests: install Node.js (scripts/test does)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every word of the repository's Markdown (example, fixtures, real archives) and of
/// the system dictionary.
fn vocabulary() -> Vec<String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut words = std::collections::BTreeSet::new();
    let mut add = |text: &str| {
        for w in text.split(|c: char| !c.is_ascii_alphabetic()) {
            if !w.is_empty() {
                words.insert(w.to_ascii_lowercase());
            }
        }
    };
    for dir in ["content", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(repo.join(dir)) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "md") {
                add(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
    }
    let dict = std::fs::read_to_string("/usr/share/dict/words").expect(
        "the stemmer test reads /usr/share/dict/words: install Debian's wamerican (scripts/test does)",
    );
    add(&dict);
    words.into_iter().collect()
}

#[test]
fn the_browser_stems_every_word_as_tantivy_does() {
    let mut analyzer = incidentbook::search::analyzer();
    let mut words = Vec::new();
    let mut expected = Vec::new();
    for word in vocabulary() {
        let terms = incidentbook::search::analysis::terms(&mut analyzer, &word);
        if let [term] = &terms[..] {
            words.push(word);
            expected.push(term.clone());
        }
    }
    assert!(words.len() > 50_000, "only {} words", words.len());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let stems = node(&["stem", script.to_str().unwrap()], &json!(words));
    let stems: Vec<String> = serde_json::from_value(stems).unwrap();
    let wrong: Vec<String> = words
        .iter()
        .zip(&expected)
        .zip(&stems)
        .filter(|((_, e), s)| e != s)
        .map(|((w, e), s)| format!("{w}: tantivy {e}, browser {s}"))
        .take(20)
        .collect();
    assert!(
        wrong.is_empty(),
        "words differ (first {}):\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

fn cli(book: &Book, query: &str, filters: &[(&str, &str)]) -> Vec<(String, f64)> {
    let mut args = vec!["search", query, "--limit", "10", "--format", "json"];
    for (k, v) in filters {
        args.push(k);
        args.push(v);
    }
    let out = book.cmd(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    hits.iter()
        .map(|h| {
            (
                h["slug"].as_str().unwrap().to_owned(),
                h["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

const QUERIES: &[&str] = &[
    "migration lock",
    "replica lag",
    "certificate expired",
    "retry storm",
    "DNS record",
    "database",
    "kafka consumer",
    "deploy rollback",
    "cache",
    "migra",
    "certif",
    "retries",
    "migartion",
    "timout",
    "paging alert",
    "timeout",
];

#[test]
fn the_built_site_ranks_as_the_cli_does() {
    let book = Book::example();
    let site = book.build();
    let input: Vec<Value> = QUERIES.iter().map(|q| json!([q, {}])).collect();
    let results = node(&["search", site.dir.to_str().unwrap()], &json!(input));
    for (query, result) in QUERIES.iter().zip(results.as_array().unwrap()) {
        let expected = cli(&book, query, &[]);
        assert!(!expected.is_empty(), "{query}: the CLI found nothing");
        let slugs: Vec<&str> = result["slugs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let scores: Vec<f64> = serde_json::from_value(result["scores"].clone()).unwrap();
        for (k, (slug, score)) in expected.iter().enumerate() {
            assert!(
                (scores[k] - score).abs() < 0.002,
                "{query}: result {k} scores {} in the browser, {score} in the CLI",
                scores[k]
            );
            // Equal scores may come in either order; anything else must not.
            let tied = expected
                .iter()
                .any(|(other, s)| other != slug && (s - score).abs() < 0.002);
            if !tied {
                assert_eq!(slugs[k], slug, "{query}: result {k}");
            }
        }
    }
}

#[test]
fn filters_narrow_as_the_cli_filters_and_counts_add_up() {
    let book = Book::example();
    let site = book.build();
    let query = "database";
    let all = node(
        &["search", site.dir.to_str().unwrap()],
        &json!([[query, {}], [query, {"severity": "SEV1"}]]),
    );
    let unfiltered = &all[0];
    let by_severity = unfiltered["facets"]["severity"].as_object().unwrap();
    assert!(by_severity.len() >= 2, "{by_severity:?}");
    for (severity, count) in by_severity {
        let cli_hits = cli(&book, query, &[("--severity", severity)]);
        assert_eq!(
            cli_hits.len().min(10) as u64,
            count.as_u64().unwrap().min(10),
            "{query} with severity {severity}"
        );
    }
    let sev1: Vec<&str> = all[1]["slugs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let cli_sev1: Vec<String> = cli(&book, query, &[("--severity", "SEV1")])
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(sev1, cli_sev1);
}

#[test]
fn the_index_is_small_files_in_bounded_number() {
    let book = Book::example();
    let site = book.build();
    let files: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.starts_with("search/"))
        .collect();
    assert!(files.contains(&"search/meta.js".to_owned()));
    assert!(files.contains(&"search/facets.js".to_owned()));
    assert!(files.len() < 20, "{files:?}");
    for f in &files {
        let text = site.page(f);
        assert!(text.starts_with("ibSearch("), "{f}");
        assert!(text.len() < 40_000, "{f}: {} bytes", text.len());
    }
    // The published pages load the script, and nothing of the index, up front.
    let home = site.page("index.html");
    assert!(home.contains("static/search.js"));
    assert!(!home.contains("search/meta.js"));
}

#[test]
fn an_adopted_archive_is_searchable_in_the_built_site() {
    // `init --from` over real archives written before incidentbook: the built site's
    // search finds their post-mortems, as the CLI does.
    for (corpus, query, expected) in [
        ("posthog", "surveys sdk", "surveys-sdk-bug"),
        ("zalando", "build errors", "kubelet-qps"),
        ("learningequality", "certificate", "certificate-expired"),
    ] {
        let book = common::adopted(corpus);
        let site = book.build();
        let found = node(
            &["search", site.dir.to_str().unwrap()],
            &json!([[query, {}]]),
        );
        let first = found[0]["slugs"][0].as_str().unwrap_or_default().to_owned();
        assert!(first.contains(expected), "{corpus}: {query} -> {first}");
        assert_eq!(cli(&book, query, &[])[0].0, first, "{corpus}");
    }
}
