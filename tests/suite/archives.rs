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
        page.contains("<time>2019-01-07</time>"),
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
        page.contains("<time>2017-09-18</time>"),
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

/// Every error of `check --format json` in `book`.
fn errors(book: &Book) -> Vec<serde_json::Value> {
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    let diags: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    diags
        .into_iter()
        .filter(|d| d["severity"] == "error")
        .collect()
}

#[test]
fn every_archive_factor_and_action_item_is_on_the_factor_index_and_the_board() {
    for corpus in CORPORA {
        let book = adopted(corpus);
        let built = book.build();
        let site = Site::load(book.root(), Purpose::Check, &|_| {}).unwrap();
        let (mut factors, mut items) = (0, 0);
        for incident in &site.book.incidents {
            for f in &incident.factors {
                factors += 1;
                assert!(
                    incidentbook::parse::provisional::is_provisional(&f.id),
                    "{corpus}: {}",
                    f.id
                );
            }
            items += incident.action_items.iter().filter(|a| a.suggested).count();
        }
        assert!(
            factors > 0 && items > 0,
            "{corpus}: {factors} factors, {items} items"
        );
        // Each provisional factor is in exactly one suggested entry, which is listed
        // and marked on the factor index.
        let index = built.page("factors/index.html");
        let mut grouped = 0;
        for f in site.book.factors.iter().filter(|f| f.suggested) {
            grouped += f.aliases.len();
            assert!(
                index.contains(&format!("factors/{}.html", f.id)),
                "{corpus}: {}",
                f.id
            );
            let page = built.page(&format!("factors/{}.html", f.id));
            assert!(page.contains("class=\"suggested\""), "{corpus}: {}", f.id);
        }
        assert_eq!(grouped, factors, "{corpus}");
        // Every action item is on the board's team pages or index, marked.
        let board: String = built
            .files()
            .into_iter()
            .filter(|f| f.starts_with("actions/") && f.ends_with(".html"))
            .map(|f| built.page(&f))
            .collect();
        for incident in &site.book.incidents {
            for a in &incident.action_items {
                assert!(
                    board.contains(&a.id),
                    "{corpus}: {} is not on the board",
                    a.id
                );
            }
        }
        assert!(board.contains("class=\"suggested\""), "{corpus}");
        // The curation page says, per post-mortem, what was read and what is missing.
        let curation = built.page("curation.html");
        for page in built.post_mortem_pages() {
            assert!(
                curation.contains(&page),
                "{corpus}: {page} is not on the curation page"
            );
        }
        assert!(curation.contains("title: its first heading"), "{corpus}");
        assert!(curation.contains("incidentbook import"), "{corpus}");
    }
}

#[test]
fn after_import_the_strict_profile_finds_no_errors() {
    for corpus in CORPORA {
        let book = adopted(corpus);
        book.cmd(&["import"]).assert().success();
        let config = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
        std::fs::write(
            book.root().join("book.toml"),
            config.replace("profile = \"adopt\"", "profile = \"strict\""),
        )
        .unwrap();
        assert_eq!(errors(&book), Vec::<serde_json::Value>::new(), "{corpus}");
        let built = book.build();
        assert!(
            !built.exists("curation.html"),
            "{corpus}: curation is for the adopt profile"
        );
        // What the text said is now written: factors and action items are declared, not
        // suggested, and the catalogue holds the groups.
        let site = Site::load(book.root(), Purpose::Check, &|_| {}).unwrap();
        let catalogue = site.book.factors.len();
        assert!(
            catalogue > 0 && site.book.factors.iter().all(|f| !f.suggested),
            "{corpus}"
        );
        for incident in &site.book.incidents {
            assert!(
                incident.imported.is_some(),
                "{corpus}: {}",
                incident.source.display()
            );
            assert!(
                incident
                    .factors
                    .iter()
                    .all(|f| !incidentbook::parse::provisional::is_provisional(&f.id)),
                "{corpus}"
            );
            assert!(
                incident.action_items.iter().all(|a| !a.suggested),
                "{corpus}"
            );
        }
    }
}

#[test]
fn factors_worded_alike_in_different_post_mortems_meet_on_one_suggested_entry() {
    let book = adopted("zalando");
    let pm = |name: &str, factor: &str| {
        format!(
            "# {name}\n\n## Summary\n\nOn 4 March 2019 the checkout was down.\n\n## Contributing Factors\n\n- {factor}\n- The {name} deploy ran without a canary stage.\n\n## Action Items\n\n- Add a canary stage to the {name} pipeline\n"
        )
    };
    book.write(
        "pm/a-2019.md",
        &pm(
            "orders",
            "Alert noise was too high, so the on-call missed the page.",
        ),
    );
    book.write(
        "pm/b-2019.md",
        &pm("billing", "Too much alert noise: pages were missed."),
    );
    book.write(
        "pm/c-2019.md",
        &pm("search", "The search cluster ran out of disk space."),
    );
    // Other words for the same condition.
    book.write(
        "pm/d-2019.md",
        &pm(
            "payments",
            "Pager fatigue: hundreds of duplicate pages a week.",
        ),
    );
    let site = Site::load(book.root(), Purpose::Check, &|_| {}).unwrap();
    let suggested: Vec<_> = site.book.factors.iter().filter(|f| f.suggested).collect();
    let noise = suggested
        .iter()
        .find(|f| f.aliases.iter().any(|a| a.starts_with("a-2019--")))
        .unwrap();
    let members: Vec<&str> = noise.aliases.iter().map(String::as_str).collect();
    assert_eq!(
        members,
        ["a-2019--1", "b-2019--1", "d-2019--1"],
        "{:?}",
        noise.id
    );
    // The disk space factor stands alone.
    assert!(suggested.iter().any(|f| f.aliases == ["c-2019--1"]));
}

#[test]
fn a_document_that_states_no_date_is_dated_by_the_day_git_first_recorded_it() {
    let undated = "001-buildkite-failing-build";
    let page_of = |book: &Book| book.build().page(&format!("incidents/{undated}.html"));
    let git = |book: &Book, args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(book.root())
            .args(["-c", "user.email=a@example.com", "-c", "user.name=a"])
            .args(args)
            .env("GIT_AUTHOR_DATE", "2017-08-22T10:00:00+00:00")
            .env("GIT_COMMITTER_DATE", "2017-08-22T10:00:00+00:00")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    // Outside git it stays undated, and says nothing.
    let book = adopted("learningequality");
    assert!(!page_of(&book).contains("git first recorded"));
    // An archive moved in by one commit is not dated by it: that day is not when its
    // post-mortems were written.
    git(&book, &["init", "-q"]);
    git(&book, &["add", "-A"]);
    git(&book, &["commit", "-qm", "the archive"]);
    assert!(!page_of(&book).contains("git first recorded"));
    // A post-mortem committed on its own is dated by that commit.
    let book = adopted("learningequality");
    let file = book.root().join("pm").join(format!("{undated}.md"));
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    git(&book, &["init", "-q"]);
    git(&book, &["add", "-A"]);
    git(&book, &["commit", "-qm", "the archive"]);
    std::fs::write(&file, text).unwrap();
    git(&book, &["add", "-A"]);
    git(&book, &["commit", "-qm", "one post-mortem"]);
    assert!(page_of(&book).contains("the day git first recorded the file"));
    let site = book.site();
    let export: serde_json::Value = serde_json::from_str(&site.page("api/incidents.json")).unwrap();
    let date_of = |slug: &str| {
        export["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["slug"] == slug)
            .unwrap()["date"]
            .clone()
    };
    assert_eq!(date_of(undated), "2017-08-22");
    // A date the document states wins over git's.
    assert_ne!(date_of("004-sushibar-certificate-expired"), "2017-08-22");
}
