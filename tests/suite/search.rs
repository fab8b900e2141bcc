//! `incidentbook search` on the example content: relevance, stemming, typos, phrases,
//! filters, and an index that is never stale and never trusted when damaged.

use crate::common;

use common::Book;
use serde_json::Value;

fn search(book: &Book, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = book.cmd(&all).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The hit whose slug contains `part`.
fn hit<'a>(hits: &'a [Value], part: &str) -> &'a Value {
    hits.iter()
        .find(|h| h["slug"].as_str().unwrap().contains(part))
        .unwrap_or_else(|| panic!("no {part} in {hits:?}"))
}

fn slugs(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_expected_post_mortem_ranks_first() {
    let book = Book::example();
    let cases = [
        ("migration lock", "orders-migration-lock"),
        ("certificate expired", "certificate-expired"),
        ("retry storm", "retry-storm"),
        ("\"cache stampede\"", "cache-stampede"),
        ("DNS record", "2024-06-11-dns-record-change"),
        ("replica lag", "2025-03-04-replica-lag-reports"),
    ];
    for (query, expected) in cases {
        let hits = search(&book, &[query]);
        let first = hits[0]["slug"].as_str().unwrap();
        assert!(first.contains(expected), "{query}: first was {first}");
    }
}

#[test]
fn stemming_typos_and_results_shape() {
    let book = Book::example();
    // "retries" and "retrying" stem like "retry".
    assert!(
        slugs(&search(&book, &["retries"]))
            .iter()
            .any(|s| s.contains("retry-storm"))
    );
    // A typo still finds the migration incidents.
    let typo = slugs(&search(&book, &["migartion"]));
    assert!(
        typo.iter().take(2).all(|s| s.contains("migration")),
        "{typo:?}"
    );
    let hit = &search(&book, &["migration lock"])[0];
    for key in [
        "slug", "title", "url", "date", "severity", "score", "snippet",
    ] {
        assert!(hit.get(key).is_some(), "{key} missing");
    }
    assert!(
        hit["snippet"].as_str().unwrap().contains("<mark>"),
        "no highlight"
    );
    assert!(hit["url"].as_str().unwrap().starts_with("incidents/"));
    // Search as you type: the last word matches as a prefix.
    let typed = slugs(&search(&book, &["migra"]));
    assert!(
        typed.iter().take(2).all(|s| s.contains("migration")),
        "{typed:?}"
    );
    let typed = slugs(&search(&book, &["certif"]));
    assert!(
        typed.first().is_some_and(|s| s.contains("certificate")),
        "{typed:?}"
    );
    // Stray quotes and operators never fail.
    search(&book, &["\"unbalanced AND OR ("]);
}

#[test]
fn filters_narrow_the_results() {
    let book = Book::example();
    let sev1 = search(&book, &["incident", "--severity", "SEV1"]);
    assert!(!sev1.is_empty());
    assert!(sev1.iter().all(|h| h["severity"] == "SEV1"));
    let since = search(&book, &["migration", "--since", "2024-01-01"]);
    assert_eq!(slugs(&since), vec!["2024-03-12-orders-migration-lock"]);
    let factor = search(&book, &["checkout", "--factor", "unbounded-retries"]);
    assert!(
        slugs(&factor)
            .iter()
            .all(|s| s.contains("retry-storm") || s.contains("stampede")),
        "{factor:?}"
    );
    let service = search(&book, &["certificate", "--service", "service-mesh"]);
    assert_eq!(
        slugs(&service),
        vec!["2024-09-18-internal-ca-certificate-expired"]
    );
}

/// A word the archive does not hold matches within one typo when typed with 4 to 7
/// letters, two from 8; a word it holds is never taken for a typo.
#[test]
fn typos_are_forgiven_by_the_length_of_the_word_as_typed() {
    let book = Book::example();
    for (query, expected) in [
        ("certficate", "certificate-expired"),
        ("certficate expird", "certificate-expired"),
        ("databse locked", "migration-lock"),
        ("notifcation backlog", "notification-queue-backlog"),
    ] {
        let hits = slugs(&search(&book, &[query]));
        assert!(
            hits.first().is_some_and(|s| s.contains(expected)),
            "{query}: {hits:?}"
        );
    }
    // Two typos in a word of seven letters are too many ("replica").
    assert!(search(&book, &["rpelcia"]).is_empty());
    assert!(!search(&book, &["repilca"]).is_empty());
}

/// Every word is required: each result holds all of them, and more words never widen
/// the results; when few post-mortems hold them all, those holding some follow, marked.
#[test]
fn every_word_is_required_and_partial_matches_are_marked() {
    let book = Book::example();
    let cache = slugs(&search(&book, &["cache", "--limit", "100"]));
    let stampede = search(&book, &["cache stampede", "--limit", "100"]);
    let full: Vec<String> = stampede
        .iter()
        .filter(|h| h["partial"] == false)
        .map(|h| h["slug"].as_str().unwrap().to_owned())
        .collect();
    assert!(full.len() >= 2, "{stampede:?}");
    for slug in &full {
        assert!(cache.contains(slug), "{slug} has not `cache`");
        let text = std::fs::read_to_string(
            walkdir::WalkDir::new(book.root().join("content"))
                .into_iter()
                .filter_map(Result::ok)
                .find(|e| e.path().file_stem().unwrap().to_string_lossy() == slug.as_str())
                .unwrap()
                .path(),
        )
        .unwrap()
        .to_lowercase();
        assert!(text.contains("stampede"), "{slug} has not `stampede`");
    }
    assert!(full.len() < cache.len());
    // No post-mortem holds both words: the ones holding one, each marked, and the
    // command says so.
    let some = search(&book, &["stampede zeppelin"]);
    assert!(!some.is_empty());
    assert!(some.iter().all(|h| h["partial"] == true), "{some:?}");
    let out = book.cmd(&["search", "stampede zeppelin"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("No post-mortem has every word"), "{text}");
    // One word alone has nothing to fall back to.
    assert!(search(&book, &["zeppelin"]).is_empty());
}

/// Filters typed in the query narrow as the options do, in any case; a date that
/// cannot be read is a clear error, never a search for the words.
#[test]
fn filters_typed_in_the_query_narrow_as_the_options_do() {
    let book = Book::example();
    for (typed, options) in [
        (
            "severity:sev1 retries",
            vec!["retries", "--severity", "SEV1"],
        ),
        (
            "service:checkout timeout",
            vec!["timeout", "--service", "checkout"],
        ),
        (
            "after:2024 migration",
            vec!["migration", "--since", "2024-01-01"],
        ),
        ("team:edge-team dns", vec!["dns", "--team", "edge-team"]),
        ("status:final cache", vec!["cache", "--status", "final"]),
        (
            "before:2024-01-01 cache",
            vec!["cache", "--before", "2024-01-01"],
        ),
        (
            "factor:unbounded-retries",
            vec!["", "--factor", "unbounded-retries"],
        ),
    ] {
        let a = search(&book, &[typed, "--limit", "100"]);
        assert!(!a.is_empty(), "{typed}");
        assert_eq!(
            a,
            search(&book, &[&options[..], &["--limit", "100"]].concat()),
            "{typed}"
        );
    }
    let cache_2025 = search(&book, &["year:2025 cache"]);
    assert!(!cache_2025.is_empty());
    assert!(
        cache_2025
            .iter()
            .all(|h| h["date"].as_str().unwrap().starts_with("2025")),
        "{cache_2025:?}"
    );
    // Filters alone list their post-mortems, newest first.
    let dates: Vec<String> = search(&book, &["service:checkout", "--limit", "100"])
        .iter()
        .map(|h| h["date"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        dates.len() >= 2 && dates.windows(2).all(|w| w[0] >= w[1]),
        "{dates:?}"
    );
    let out = book
        .cmd(&["search", "after:yesterday cache"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`after:yesterday` is not a date"), "{err}");
}

#[test]
fn the_index_follows_the_content_and_heals_itself() {
    let book = Book::example();
    assert!(search(&book, &["zeppelin"]).is_empty());
    let path = "content/2025/2025-07-08-metrics-disk-full.md";
    let text = std::fs::read_to_string(book.root().join(path)).unwrap();
    book.write(
        path,
        &text.replace(
            "Metrics store ran out of disk",
            "Zeppelin store ran out of disk",
        ),
    );
    assert_eq!(
        slugs(&search(&book, &["zeppelin"])),
        vec!["2025-07-08-metrics-disk-full"]
    );
    std::fs::remove_file(book.root().join(path)).unwrap();
    assert!(
        search(&book, &["zeppelin"]).is_empty(),
        "a deleted post-mortem is still found"
    );
    // A damaged cache is rebuilt, never trusted.
    let dir = book.root().join(".incidentbook/search");
    std::fs::write(dir.join("manifest.json"), "{ not json").unwrap();
    assert!(!search(&book, &["migration"]).is_empty());
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "idx" || e == "term") {
            std::fs::write(&p, b"garbage").unwrap();
        }
    }
    assert!(!search(&book, &["migration"]).is_empty());
}

/// Every file of the search index folder with its size and modification time.
fn index_listing(dir: &std::path::Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                m.len(),
                m.modified().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn build_makes_the_index_that_search_then_uses_as_it_is() {
    let book = Book::example();
    let build = |args: &[&str]| {
        let out = book.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    build(&["build", "-q"]);
    let dir = book.root().join(".incidentbook/search");
    assert!(dir.join("manifest.json").exists(), "build made no index");
    let made = index_listing(&dir);
    let first = &slugs(&search(&book, &["certificate expired"]))[0];
    assert!(first.contains("certificate-expired"), "{first}");
    assert_eq!(
        index_listing(&dir),
        made,
        "search changed the index the build had just made"
    );
    // --no-cache makes it anew.
    std::fs::write(dir.join("stray.idx"), "left over").unwrap();
    build(&["build", "-q", "--no-cache"]);
    assert!(!dir.join("stray.idx").exists(), "the old index was kept");
    assert!(!search(&book, &["migration"]).is_empty());
}

/// The static index is read from the tantivy index: when the cache folder cannot hold
/// one, the build says so and reads it from an index in memory, to the same bytes.
#[test]
fn a_cache_folder_that_cannot_hold_the_index_still_gives_the_static_index() {
    let search_files = |book: &Book| -> Vec<(String, String)> {
        let site = book.site();
        site.files()
            .into_iter()
            .filter(|f| f.starts_with("search/"))
            .map(|f| {
                let text = site.page(&f);
                (f, text)
            })
            .collect()
    };
    let normal = Book::example();
    let out = normal.cmd(&["build", "-q", "--no-cache"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let blocked = Book::example();
    // A file where the cache folder should be: no index can be written under it.
    std::fs::write(blocked.root().join(".incidentbook"), "not a folder").unwrap();
    let out = blocked.cmd(&["build", "--no-cache"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("not the index of `incidentbook search`"),
        "no warning about the index: {stderr}"
    );
    let expected = search_files(&normal);
    assert!(
        expected.len() > 4,
        "too few search files: {}",
        expected.len()
    );
    assert!(
        search_files(&blocked) == expected,
        "the static index differs when read from an index in memory"
    );
}

/// The index is made beside the checks, not after them: a build refused for an error
/// in one post-mortem has still brought the index up to date with the others, and
/// `search` then uses it as it is.
#[test]
fn a_build_refused_for_errors_still_brings_the_index_up_to_date() {
    let book = Book::example();
    book.write(
        "content/2025/2025-08-01-zeppelin.md",
        &common::post_mortem("Zeppelin hangar doors stuck", "2025-08-01", ""),
    );
    book.write(
        "content/2025/2025-08-02-broken.md",
        "---\ntitle: Broken\n\n## Timeline\n",
    );
    let out = book.cmd(&["build", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "the build was not refused");
    let dir = book.root().join(".incidentbook/search");
    let made = index_listing(&dir);
    assert_eq!(
        slugs(&search(&book, &["zeppelin"])),
        vec!["2025-08-01-zeppelin"]
    );
    assert_eq!(
        index_listing(&dir),
        made,
        "search had to bring up to date the index the refused build left"
    );
}

#[test]
fn synonyms_find_what_a_post_mortem_writes_and_a_book_can_set_its_own() {
    let book = Book::example();
    // The default groups: "ssl" finds the TLS certificate post-mortems, which never
    // say SSL, with every word matched (no partial fallback).
    let hits = search(&book, &["ssl expired"]);
    let found = slugs(&hits);
    assert!(
        found
            .iter()
            .any(|s| s.contains("api-tls-certificate-expired"))
            && found
                .iter()
                .any(|s| s.contains("internal-ca-certificate-expired")),
        "{found:?}"
    );
    assert_eq!(hit(&hits, "api-tls-certificate-expired")["partial"], false);
    assert_eq!(
        hit(&hits, "internal-ca-certificate-expired")["partial"],
        false
    );
    // The synonym is marked where it matched, in the title and the snippet.
    let api = hit(&hits, "api-tls");
    assert_eq!(
        api["title_html"],
        "Public API <mark>certificate</mark> <mark>expired</mark>"
    );
    assert!(
        api["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>TLS</mark>"),
        "{api}"
    );
    // The book's own group, the defaults turned off.
    let config = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        &format!(
            "{config}\n[search]\nsynonyms = [[\"lapsed\", \"expired\"]]\ndefault-synonyms = false\n"
        ),
    );
    assert!(search(&book, &["ssl"]).is_empty());
    let lapsed = slugs(&search(&book, &["certificate lapsed"]));
    assert!(
        lapsed
            .iter()
            .any(|s| s.contains("api-tls-certificate-expired")),
        "{lapsed:?}"
    );
    // A synonym that is not one word is an error at its line.
    book.write(
        "book.toml",
        &format!("{config}\n[search]\nsynonyms = [[\"lb\", \"load balancer\"]]\n"),
    );
    let out = book.cmd(&["search", "lb"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = config.lines().count() + 3;
    assert!(
        stderr.contains(&format!("book.toml:{line}")) && stderr.contains("load balancer"),
        "{stderr}"
    );
}

#[test]
fn matched_words_are_marked_in_titles_safely_and_snippets_start_near_the_match() {
    let book = Book::example();
    book.write(
        "content/2025/2025-08-01-script-title.md",
        &common::post_mortem(
            "\"<img src=x onerror=alert(1)> Certificate rotation <script>alert(2)</script>\"",
            "2025-08-01",
            "",
        ),
    );
    let hits = search(&book, &["certificate rotation"]);
    assert_eq!(
        hit(&hits, "script-title")["title_html"],
        "&lt;img src=x onerror=alert(1)&gt; <mark>Certificate</mark> <mark>rotation</mark> \
         &lt;script&gt;alert(2)&lt;/script&gt;"
    );
    // The snippet shows the passage of the best match, not the body's first words:
    // the first mark comes early in it, wherever the match is in the body.
    let hits = search(&book, &["handshakes"]);
    assert!(!hits.is_empty());
    for hit in hits {
        let snippet = hit["snippet"].as_str().unwrap();
        let first = snippet
            .find("<mark>")
            .unwrap_or_else(|| panic!("{snippet}"));
        assert!(first < 120, "{snippet}");
    }
}

#[test]
fn a_word_the_archive_does_not_hold_gets_a_did_you_mean_from_its_words() {
    let book = Book::example();
    let run = |query: &str| {
        let out = book.cmd(&["search", query]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let out = run("service:public-api certficate expird");
    assert!(
        out.starts_with("Did you mean: service:public-api certificate expired\n"),
        "{out}"
    );
    assert!(!run("certificate expired").contains("Did you mean"));
    // Nothing near in the archive: no suggestion.
    assert!(!run("zqxwvjkp").contains("Did you mean"));
}
