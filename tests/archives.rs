//! Bringing an existing archive in: the real post-mortems of tests/fixtures/corpora
//! (PostHog, Zalando, Learning Equality; MIT, licences beside them) build at once with
//! `init --from` in the adopt profile, their sections are recognised, and their
//! timelines are read. `cargo test --test archives -- --nocapture` prints the figures.

mod common;

use std::collections::BTreeMap;

use common::Book;
use incidentbook::config::Profile;
use incidentbook::model::DEFAULT_SECTIONS;
use incidentbook::site::{Purpose, Site};

const CORPORA: &[&str] = &["posthog", "zalando", "learningequality"];

/// A book made by `incidentbook init --from pm` over a copy of one corpus.
fn adopted(corpus: &str) -> Book {
    let book = Book {
        dir: std::sync::Arc::new(tempfile::tempdir().unwrap()),
    };
    common::copy_dir(
        &common::fixture_dir("corpora").join(corpus),
        &book.root().join("pm"),
    );
    book.cmd(&["init", "--from", "pm"]).assert().success();
    book
}

#[test]
fn every_corpus_builds_in_the_adopt_profile_without_errors() {
    for corpus in CORPORA {
        let book = adopted(corpus);
        let out = book.cmd(&["build"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{corpus}: {stderr}");
        assert!(stderr.contains("0 errors"), "{corpus}: {stderr}");
        let site = book.site();
        // One page per document; templates, READMEs and licences are not post-mortems.
        let documents = walkdir::WalkDir::new(book.root().join("pm"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter(|e| {
                let name = e.file_name().to_string_lossy().to_lowercase();
                name != "template.md" && name != "readme.md"
            })
            .count();
        let pages = site
            .files()
            .iter()
            .filter(|f| f.starts_with("incidents/") && *f != "incidents/index.html")
            .count();
        assert_eq!(pages, documents, "{corpus}");
        assert_eq!(site.broken_links(), Vec::<String>::new(), "{corpus}");
    }
}

#[test]
fn titles_and_dates_are_inferred() {
    let book = adopted("zalando");
    let site = book.build();
    let page = site.page("incidents/jan-2019-dns-outage.html");
    assert!(page.contains("<h1 id=\"incident-title\">Total DNS outage in Kubernetes cluster</h1>"));
    assert!(
        page.contains("<time datetime=\"2019-01-01\">"),
        "date from the file name"
    );
    let le = adopted("learningequality").build();
    // "# Title:" followed by the title as the next heading.
    assert!(le
        .page("incidents/001-buildkite-failing-build.html")
        .contains("<h1 id=\"incident-title\">Buildkite kolibri builds failing due to upgraded docker image</h1>"));
}

#[test]
fn section_recognition_and_timelines_per_corpus() {
    println!("canonical sections found (documents having each), timeline entries:");
    let mut found_by_corpus = BTreeMap::new();
    for corpus in CORPORA {
        let book = adopted(corpus);
        let mut config = incidentbook::config::Config::load(book.root()).unwrap();
        config.validation.profile = Profile::Adopt;
        let site = Site::load_with_config(book.root(), config, Purpose::Check, &|_| {}).unwrap();
        let mut found: BTreeMap<&str, usize> = DEFAULT_SECTIONS.iter().map(|s| (*s, 0)).collect();
        let mut entries = 0;
        for incident in &site.book.incidents {
            for name in DEFAULT_SECTIONS {
                let present = incident
                    .body
                    .sections
                    .iter()
                    .any(|s| s.canonical.as_deref() == Some(name))
                    || incident
                        .body
                        .headings
                        .iter()
                        .any(|h| h.canonical.as_deref() == Some(name));
                if present {
                    *found.get_mut(name).unwrap() += 1;
                }
            }
            entries += incident
                .body
                .timeline
                .iter()
                .filter(|e| e.time.is_some())
                .count();
        }
        println!(
            "  {corpus} ({} documents): {found:?}; {entries} timed timeline entries",
            site.book.incidents.len()
        );
        found_by_corpus.insert(
            *corpus,
            (
                site.book.incidents.len(),
                found,
                site.book.incidents.clone(),
            ),
        );
    }
    let (n, posthog, docs) = &found_by_corpus["posthog"];
    assert_eq!(*n, 7);
    assert!(
        posthog["Timeline"] >= 5 && posthog["Action Items"] >= 5,
        "{posthog:?}"
    );
    // The table timeline of the SDK incident: ten rows, each with its time.
    let sdk = docs.iter().find(|i| i.slug.contains("replay-sdk")).unwrap();
    assert_eq!(sdk.body.timeline.len(), 10);
    assert_eq!(
        sdk.body.timeline[0].time.as_deref(),
        Some("Jan 14, 10:18 AM")
    );
    // Bullet timelines with bold times.
    let flags = docs
        .iter()
        .find(|i| i.slug == "2025-09-29-flags-is-down")
        .unwrap();
    assert_eq!(flags.body.timeline.len(), 8);
    // The kubelet post-mortem is a single untitled paragraph of prose: nothing to find.
    let (_, zalando, _) = &found_by_corpus["zalando"];
    assert_eq!(zalando["Timeline"], 1);
    assert_eq!(zalando["Contributing Factors"], 1);
    let (_, le, _) = &found_by_corpus["learningequality"];
    assert!(
        le["Timeline"] >= 3 && le["Contributing Factors"] >= 3,
        "{le:?}"
    );
}
