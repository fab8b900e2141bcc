//! The static search of the built site, run in Node exactly as the browser runs it
//! (`tests/js/harness.js` loads `static/search.js` and the index chunks as scripts):
//! the same stems as tantivy, the same ranking as `incidentbook search`, and filter
//! counts that match the CLI's filtered results.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::Book;
use common::node::harness as node;
use common::ranking as cli;
use serde_json::{Value, json};

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
    "certficate",
    "certficate expird",
    "databse",
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

/// Filters typed in the query, dates included, and the fallback to some of the words
/// give the browser the post-mortems they give the CLI.
#[test]
fn typed_filters_and_partial_matches_give_the_clis_results() {
    let book = Book::example();
    let site = book.build();
    let queries = [
        "service:checkout timeout",
        "Severity:sev1 retries",
        "cache after:2024-06 before:2025-06",
        "year:2025 cache",
        "status:final database",
        "stampede zeppelin",
        "checkout zeppelin",
        "service:checkout",
    ];
    let input: Vec<Value> = queries.iter().map(|q| json!([q, {}])).collect();
    let found = node(&["search", site.dir.to_str().unwrap()], &json!(input));
    for (query, result) in queries.iter().zip(found.as_array().unwrap()) {
        let expected: Vec<String> = cli(&book, query, &[]).into_iter().map(|(s, _)| s).collect();
        assert!(!expected.is_empty(), "{query}");
        let slugs: Vec<String> = serde_json::from_value(result["slugs"].clone()).unwrap();
        let top = &slugs[..slugs.len().min(expected.len())];
        // Equal scores may come in either order.
        let (mut a, mut b) = (top.to_vec(), expected.clone());
        a.sort();
        b.sort();
        assert_eq!(a, b, "{query}: browser {slugs:?}, CLI {expected:?}");
    }
}

/// "Did you mean …": the browser suggests what the CLI suggests, from the same words.
#[test]
fn the_browser_suggests_the_spelling_the_cli_does() {
    let book = Book::example();
    let site = book.build();
    let queries = [
        "certficate expird",
        "databse locked",
        "+migartion -retyr",
        "service:checkout retyr storm",
        "certificate expired",
        "zqxwvjkp",
        "ssl",
    ];
    let input: Vec<Value> = queries.iter().map(|q| json!([q, {}])).collect();
    let found = node(&["search", site.dir.to_str().unwrap()], &json!(input));
    let mut suggested = 0;
    for (query, result) in queries.iter().zip(found.as_array().unwrap()) {
        let out = book.cmd(&["search", query]).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let cli = stdout
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("Did you mean: "))
            .map(str::to_owned);
        let browser: Option<String> = serde_json::from_value(result["didYouMean"].clone()).unwrap();
        assert_eq!(browser, cli, "{query}");
        suggested += usize::from(cli.is_some());
    }
    // "retyr" has no suggestion: its stem is two edits from "retri" (retry's), and a
    // word of five letters may hold one.
    assert_eq!(suggested, 3, "{found}");
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
    // Besides one record and one file of places per post-mortem (the results' records,
    // and where a phrase's words stand).
    let per_post_mortem = |folder: &str| files.iter().filter(|f| f.starts_with(folder)).count();
    let n = site.post_mortem_pages().len();
    assert_eq!(per_post_mortem("search/p/"), n, "{files:?}");
    assert_eq!(per_post_mortem("search/d/"), n, "{files:?}");
    assert!(files.len() - 2 * n < 20, "{files:?}");
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

/// The sections of a Markdown text as written: split at every ATX heading and every
/// Setext underline, whatever its level, before or after the title.
fn written_sections(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut sections = vec![String::new()];
    for (i, line) in lines.iter().enumerate() {
        let underline = |l: &str| {
            let t = l.trim();
            t.len() >= 3 && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
        };
        if line.trim_start().starts_with('#')
            || lines
                .get(i + 1)
                .is_some_and(|next| underline(next) && !line.trim().is_empty())
        {
            sections.push(String::new());
        }
        let last = sections.last_mut().unwrap();
        last.push_str(line);
        last.push('\n');
    }
    sections
}

/// Lower-case words of letters only, five or more of them, of the text a reader sees:
/// not the addresses of links and images, nor HTML tags (which the page does not
/// show either), nor a heading that is only a label ("# Title:", above the title).
fn words_of(text: &str) -> std::collections::BTreeSet<String> {
    let mut seen = String::new();
    for line in text.lines() {
        let heading = line.trim_start_matches('#').trim();
        if line.starts_with('#') && heading.ends_with(':') && !heading.contains(' ') {
            continue;
        }
        let mut rest = line;
        while !rest.is_empty() {
            // A link's or image's address `](...)`, a tag or autolink `<...>`, a bare URL.
            let cut = ["](", "<", "http://", "https://"]
                .iter()
                .filter_map(|m| rest.find(m).map(|i| (i, *m)))
                .min();
            let Some((at, mark)) = cut else {
                seen.push_str(rest);
                break;
            };
            seen.push_str(&rest[..at]);
            let after = &rest[at + mark.len()..];
            let end = match mark {
                "](" => after.find(')').map(|i| i + 1),
                "<" => after.find('>').map(|i| i + 1),
                _ => after.find(char::is_whitespace),
            };
            seen.push(' ');
            rest = end.map_or("", |e| &after[e..]);
        }
        seen.push('\n');
    }
    seen.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 5)
        .map(str::to_lowercase)
        .collect()
}

/// Nothing a real archive says is lost to search: for every document of the real
/// archives, whatever its headings (several H1s, headings before the title, none),
/// the rarest word of each of its sections finds that document, in the CLI and in the
/// built site's search.
#[test]
fn every_section_of_every_real_document_is_found_by_its_own_words() {
    let mut missed = Vec::new();
    let mut asked = 0;
    for corpus in ["posthog", "zalando", "learningequality"] {
        let book = common::adopted(corpus);
        let site = book.build();
        let documents: Vec<(String, String)> = walkdir::WalkDir::new(book.root().join("pm"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter(|e| {
                !e.file_name()
                    .to_string_lossy()
                    .eq_ignore_ascii_case("template.md")
            })
            .map(|e| {
                let stem = e.path().file_stem().unwrap().to_string_lossy().into_owned();
                (
                    slug::slugify(stem),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        // How many documents of the archive hold each word: the rarest word of a
        // section is the one that should find its document.
        let mut frequency: BTreeMap<String, usize> = BTreeMap::new();
        for (_, text) in &documents {
            for w in words_of(text) {
                *frequency.entry(w).or_default() += 1;
            }
        }
        let mut queries = Vec::new();
        for (slug, text) in &documents {
            for section in written_sections(text) {
                if let Some(word) = words_of(&section).into_iter().min_by_key(|w| frequency[w]) {
                    queries.push((slug.clone(), word));
                }
            }
        }
        let found = node(
            &["search", site.dir.to_str().unwrap()],
            &Value::Array(queries.iter().map(|(_, w)| json!([w, {}])).collect()),
        );
        for (k, (slug, word)) in queries.iter().enumerate() {
            asked += 1;
            let out = book
                .cmd(&["search", word, "--limit", "100", "--format", "json"])
                .output()
                .unwrap();
            let hits: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
            if !hits.iter().any(|h| h["slug"] == slug.as_str()) {
                missed.push(format!("{corpus}: CLI `{word}` misses {slug}"));
            }
            let slugs = found[k]["slugs"].as_array().cloned().unwrap_or_default();
            if !slugs.iter().any(|s| s == slug.as_str()) {
                missed.push(format!("{corpus}: browser `{word}` misses {slug}"));
            }
        }
    }
    assert!(asked > 50, "only {asked} sections asked");
    assert!(
        missed.is_empty(),
        "{} of {asked} sections:\n{}",
        missed.len(),
        missed.join("\n")
    );
}
