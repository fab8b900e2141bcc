//! Bringing an existing archive in: the real post-mortems of tests/fixtures/corpora
//! (PostHog, Zalando, Learning Equality; MIT, licences beside them) build at once with
//! `init --from` in the adopt profile, their sections are recognised, and their
//! timelines are read. `cargo test --test archives -- --nocapture` prints the figures.

use crate::common;

use std::collections::BTreeMap;

use common::{Book, adopted};
use incidentbook::config::Profile;
use incidentbook::model::DEFAULT_SECTIONS;
use incidentbook::site::{Purpose, Site};

const CORPORA: &[&str] = &["posthog", "zalando", "learningequality"];

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
        let pages = site.post_mortem_pages().len();
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
    // The file's name gives the month (`jan-2019`); the prose, the day in it.
    assert!(
        page.contains("<time datetime=\"2019-01-07\">"),
        "date from the file name's month and the prose"
    );
    let le = adopted("learningequality").build();
    // "# Title:" followed by the title as the next heading.
    assert!(le
        .page("incidents/001-buildkite-failing-build.html")
        .contains("<h1 id=\"incident-title\">Buildkite kolibri builds failing due to upgraded docker image</h1>"));
}

/// Facts the documents state are used: a date (file name, timeline or prose) and a
/// summary (a Summary or Overview section, or the opening paragraph) for every
/// document that states them, and what none states is left off the page rather than
/// shown as "unknown". `--nocapture` prints the figures.
#[test]
fn dates_and_summaries_come_from_what_each_document_says() {
    // The one document of the archives that writes no date anywhere in its prose.
    let undated = ["001-buildkite-failing-build"];
    for corpus in CORPORA {
        let book = adopted(corpus);
        let site = book.build();
        let export: serde_json::Value =
            serde_json::from_str(&site.page("api/incidents.json")).unwrap();
        let incidents = export["incidents"].as_array().unwrap();
        let with = |key: &str| {
            incidents
                .iter()
                .filter(|i| !i[key].is_null() && i[key] != "")
                .count()
        };
        println!(
            "{corpus}: {} documents, {} with a date, {} with a summary",
            incidents.len(),
            with("date"),
            with("summary")
        );
        for i in incidents {
            let slug = i["slug"].as_str().unwrap();
            assert!(
                i["summary"]
                    .as_str()
                    .is_some_and(|s| s.split_whitespace().count() >= 8),
                "{corpus}: {slug} has no summary"
            );
            assert!(
                undated.contains(&slug) || i["date"].as_str().is_some_and(|d| d.len() == 10),
                "{corpus}: {slug} has no date"
            );
        }
        for page in site.files().iter().filter(|f| f.ends_with(".html")) {
            let html = site.page(page);
            assert!(
                !html.contains(">unknown<"),
                "{corpus}: {page} shows \"unknown\""
            );
        }
    }
    let le = adopted("learningequality").build();
    let page = le.page("incidents/002-cloudflare-incomplete-migration.html");
    assert!(
        page.contains("<time datetime=\"2017-09-18\">"),
        "\"Sept. 18th, 2017\" in the prose"
    );
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

/// Every line of `before` that is not a heading (ATX `## …`, or Setext: a line over
/// `===` or `---`), still in `after` as it was.
fn lost_lines(before: &str, after: &str) -> Vec<String> {
    let kept: std::collections::HashSet<&str> = after.lines().collect();
    let lines: Vec<&str> = before.lines().collect();
    let underline = |l: &str| {
        let t = l.trim();
        t.len() >= 2 && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
    };
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter(|(i, _)| !lines.get(i + 1).is_some_and(|n| underline(n)))
        .filter(|(_, l)| !kept.contains(*l))
        .map(|(_, l)| l.to_string())
        .collect()
}

fn markdown_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_path_buf())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect()
}

#[test]
fn import_rewrites_every_corpus_without_losing_text() {
    for corpus in CORPORA {
        let book = adopted(corpus);
        let before: Vec<(std::path::PathBuf, String)> = markdown_files(&book.root().join("pm"))
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                (p, text)
            })
            .collect();
        // A dry run prints the diff and writes nothing.
        let out = book.cmd(&["import", "--dry-run"]).output().unwrap();
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("+++ pm/"),
            "{corpus}: no diff"
        );
        for (p, text) in &before {
            assert_eq!(
                &std::fs::read_to_string(p).unwrap(),
                text,
                "dry run wrote {}",
                p.display()
            );
        }
        book.cmd(&["import"]).assert().success();
        for (p, text) in &before {
            let name = p.file_name().unwrap().to_string_lossy().to_lowercase();
            if name == "template.md" || name == "readme.md" {
                continue;
            }
            let after = std::fs::read_to_string(p).unwrap();
            assert_eq!(
                lost_lines(text, &after),
                Vec::<String>::new(),
                "{}",
                p.display()
            );
            assert!(
                after.starts_with("---\n"),
                "{}: no front matter",
                p.display()
            );
            // Outside git, the original is kept beside it.
            let orig =
                p.with_file_name(format!("{}.orig", p.file_name().unwrap().to_string_lossy()));
            assert_eq!(&std::fs::read_to_string(orig).unwrap(), text);
        }
        // The rewritten archive still builds, and no heading is a near miss any more.
        let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
        let diags: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            !diags.iter().any(|d| d["code"] == "IB0205"),
            "{corpus}: {diags:?}"
        );
        book.cmd(&["build"]).assert().success();
        // A second import finds nothing left to do.
        let again = book.cmd(&["import", "--dry-run"]).output().unwrap();
        assert!(
            again.stdout.is_empty(),
            "{corpus}: {}",
            String::from_utf8_lossy(&again.stdout)
        );
    }
}

#[test]
fn import_refuses_files_with_uncommitted_changes() {
    let book = adopted("zalando");
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(book.root())
            .args(["-c", "user.email=t@example.org", "-c", "user.name=t"])
            .args(args)
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "archive"]);
    let file = book.root().join("pm/jan-2019-dns-outage.md");
    let edited = format!(
        "{}\nA line not yet committed.\n",
        std::fs::read_to_string(&file).unwrap()
    );
    std::fs::write(&file, &edited).unwrap();
    let out = book.cmd(&["import"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("uncommitted changes"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        edited,
        "an uncommitted file was rewritten"
    );
    // The committed file was rewritten, with no backup: git holds the original.
    let other = book.root().join("pm/jun-2019-kubelet-qps.md");
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .starts_with("---\n")
    );
    assert!(!book.root().join("pm/jun-2019-kubelet-qps.md.orig").exists());
    // --backup rewrites it and keeps a copy.
    book.cmd(&["import", "--backup"]).assert().success();
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("---\n"));
    assert_eq!(
        std::fs::read_to_string(book.root().join("pm/jan-2019-dns-outage.md.orig")).unwrap(),
        edited
    );
}

#[test]
fn stated_durations_stand_in_for_missing_timestamps() {
    let book = Book {
        dir: std::sync::Arc::new(tempfile::tempdir().unwrap()),
    };
    book.write(
        "pm/2020-05-04-queue-backlog.md",
        "# Queue backlog\n\n## Stats\n\n- Time to detection: 5 minutes\n- **Time to recovery:** 1 hour 20 minutes\n\n## Timeline\n\n- 10:00 Alert fired\n",
    );
    book.cmd(&["init", "--from", "pm"]).assert().success();
    let page = book.build().page("incidents/2020-05-04-queue-backlog.html");
    assert!(
        page.contains("<dt>Time to detect</dt><dd>5m</dd>"),
        "time to detect"
    );
    assert!(
        page.contains("<dt>Duration</dt><dd>1h 20m</dd>"),
        "duration"
    );
}

/// An archive kept at the top of its own repository is adopted where it is
/// (`init --from .`): the book's own folders (the site, the caches, book.toml) are not
/// read as content, so a second build is the same as the first. A folder outside the
/// book is refused at once, with the command that works.
#[test]
fn an_archive_at_the_top_of_its_repository_is_adopted_where_it_is() {
    for corpus in CORPORA {
        let book = Book {
            dir: std::sync::Arc::new(tempfile::tempdir().unwrap()),
        };
        common::copy_dir(&common::fixture_dir("corpora").join(corpus), book.root());
        book.cmd(&["init", "--from", "."]).assert().success();
        let config = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
        assert!(config.contains("content-dir = \".\""), "{config}");
        let first = book.build().files();
        let second = book.build().files();
        assert_eq!(first, second, "{corpus}");
        assert!(
            first.iter().all(|f| !f.contains("book.toml")
                && !f.starts_with("book/")
                && !f.contains(".incidentbook/")),
            "{corpus}: {first:?}"
        );
        let pages = book.site().post_mortem_pages().len();
        assert_eq!(
            pages,
            adopted(corpus).build().post_mortem_pages().len(),
            "{corpus}"
        );
    }
    let elsewhere = tempfile::tempdir().unwrap();
    let book = Book {
        dir: std::sync::Arc::new(tempfile::tempdir().unwrap()),
    };
    book.cmd(&["init", "--from", &elsewhere.path().to_string_lossy()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("incidentbook init --from ."));
    assert!(!book.root().join("book.toml").exists());
}
