//! `incidentbook build` on fixture books: what the reader gets.

use crate::common;

use common::{Book, SECTIONS, post_mortem};

#[test]
fn builds_one_page_per_post_mortem_at_stable_permalinks() {
    let site = Book::from_fixture("basic").build();
    assert!(site.exists("index.html"));
    assert!(site.exists("incidents/index.html"));
    assert!(site.exists("404.html"));
    assert!(site.exists("static/style.css"));
    // Permalink from the file name, and from the `slug` field.
    assert!(site.exists("incidents/2024-03-12-orders-migration-lock.html"));
    assert!(site.exists("incidents/dns-webhooks.html"));
    let post_mortems = site.post_mortem_pages();
    assert_eq!(post_mortems.len(), 2, "{post_mortems:?}");
}

#[test]
fn post_mortem_page_shows_its_metadata() {
    let site = Book::from_fixture("basic").build();
    let page = site.page("incidents/2024-03-12-orders-migration-lock.html");
    assert!(page.contains("<title>Orders database locked during migration · Fixture Book</title>"));
    assert!(page.contains(r#"class="sev sev-sev2">SEV2<"#));
    // 14:00 -> 15:30 is the duration; detection took 9 minutes.
    assert!(page.contains("1h 30m"), "duration missing");
    assert!(
        page.contains("Detect <strong>9m</strong>"),
        "time to detect missing"
    );
    assert!(page.contains(r#"<a href="../services/orders-api.html">orders-api</a>, <a href="../services/checkout.html">checkout</a>"#));
    assert!(page.contains(r#"<a href="../teams/platform-team.html">platform-team</a>"#));
    // A leading H1 equal to the title is not repeated in the body.
    assert_eq!(page.matches("<h1").count(), 1);
    // Table of contents with heading anchors.
    assert!(page.contains(r##"<a href="#contributing-factors">Contributing Factors</a>"##));
    assert!(page.contains(r#"<h2 id="contributing-factors">"#));
    // Declared factors show the catalogue title; action items their status and tracker.
    assert!(page.contains("Schema migrations not tested against production-sized data"));
    assert!(
        page.contains("https://tracker.example.com/PLAT-123"),
        "tracker link missing"
    );
    assert!(page.contains(r#"ai-status ai-open">open<"#));
}

#[test]
fn relative_links_and_images_point_at_built_files() {
    let site = Book::from_fixture("basic").build();
    let page = site.page("incidents/2024-03-12-orders-migration-lock.html");
    assert!(
        page.contains(r##"href="../incidents/dns-webhooks.html#timeline""##),
        "link to a .md not rewritten"
    );
    assert!(
        page.contains(r#"src="../media/2024/lock.svg""#),
        "image not rewritten"
    );
    assert!(site.exists("media/2024/lock.svg"), "image not copied");
    let other = site.page("incidents/dns-webhooks.html");
    assert!(other.contains(r#"href="../incidents/2024-03-12-orders-migration-lock.html""#));
    assert_eq!(site.broken_links(), Vec::<String>::new());
}

#[test]
fn raw_html_is_sanitized() {
    let site = Book::from_fixture("basic").build();
    let page = site.page("incidents/2024-03-12-orders-migration-lock.html");
    let body = &page[page.find("<main").unwrap()..];
    for bad in [
        "<script",
        "onerror",
        "javascript:",
        "<iframe",
        "alert(\"xss\")",
    ] {
        assert!(!body.contains(bad), "{bad} reached the output");
    }
}

#[test]
fn trusted_html_can_be_enabled() {
    let book = Book::from_fixture("basic");
    let out = book
        .cmd(&["build"])
        .env("INCIDENTBOOK_BUILD__TRUSTED_HTML", "true")
        .output()
        .unwrap();
    assert!(out.status.success());
    let page = book
        .site()
        .page("incidents/2024-03-12-orders-migration-lock.html");
    assert!(page.contains("<iframe"));
}

#[test]
fn editor_litter_and_ignored_globs_are_skipped() {
    let site = Book::from_fixture("basic").build();
    let files = site.files();
    assert!(
        !files
            .iter()
            .any(|f| f.contains("swp") || f.ends_with('~') || f.contains("drafts")),
        "{files:?}"
    );
}

#[test]
fn same_input_gives_byte_identical_output() {
    let book = Book::from_fixture("basic");
    let first = book.build();
    let snapshot: Vec<(String, Vec<u8>)> = first
        .files()
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(first.dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    let second = book.build();
    let again: Vec<(String, Vec<u8>)> = second
        .files()
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(second.dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    assert_eq!(snapshot, again);
}

#[test]
fn failed_build_keeps_the_previous_site() {
    let book = Book::from_fixture("basic");
    let site = book.build();
    let before = site.page("index.html");
    book.write(
        "content/2024/2024-07-01-new.md",
        "---\ntitle: New\n\n## Timeline\n",
    );
    let out = book.cmd(&["build"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("IB0101"), "{stderr}");
    assert!(stderr.contains("2024-07-01-new.md"), "{stderr}");
    assert_eq!(site.page("index.html"), before, "previous site was changed");
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(book.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("incidentbook-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_removed_post_mortem_disappears_from_the_next_build() {
    let book = Book::from_fixture("basic");
    book.build();
    std::fs::remove_file(book.root().join("content/2024/2024-06-01-dns.md")).unwrap();
    // The other post-mortem links to it, which is now an error.
    let out = book.cmd(&["build"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("IB0401"), "{stderr}");
    book.write(
        "content/2024/2024-03-12-orders-migration-lock.md",
        &std::fs::read_to_string(
            book.root()
                .join("content/2024/2024-03-12-orders-migration-lock.md"),
        )
        .unwrap()
        .replace("[the DNS one](2024-06-01-dns.md#timeline)", "the DNS one"),
    );
    let site = book.build();
    assert!(!site.exists("incidents/dns-webhooks.html"));
}

#[test]
fn example_content_builds_with_every_link_resolving() {
    let book = Book::example();
    let out = book.cmd(&["build"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("warning"),
        "the example content has findings:\n{stderr}"
    );
    let site = book.site();
    let sources = walkdir::WalkDir::new(book.root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| !e.path().to_string_lossy().contains("/factors/"))
        .count();
    assert!(
        sources >= 15,
        "the example knowledge base needs at least 15 post-mortems"
    );
    for entry in walkdir::WalkDir::new(book.root().join("content")) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "md")
            && !path.to_string_lossy().contains("/factors/")
        {
            let stem = path.file_stem().unwrap().to_string_lossy();
            assert!(
                site.exists(&format!("incidents/{stem}.html")),
                "no page for {stem}"
            );
        }
    }
    assert_eq!(site.broken_links(), Vec::<String>::new());
}

#[test]
fn build_dir_is_never_the_sources() {
    for (key, value) in [
        ("build-dir", "."),
        ("build-dir", "content"),
        ("build-dir", "content/out"),
        ("build-dir", ".."),
    ] {
        let (_, code, stderr) = common::build_with_setting(key, value);
        assert_eq!(code, Some(2), "{value} was accepted");
        assert!(
            stderr.contains("unsafe output folder") || stderr.contains("[build] build-dir"),
            "{stderr}"
        );
    }
}

#[test]
fn a_folder_not_written_by_incidentbook_is_not_replaced() {
    let book = Book::from_fixture("basic");
    book.write("book/precious.txt", "keep me");
    let out = book.cmd(&["build"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(book.root().join("book/precious.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn dest_dir_flag_and_environment_override_choose_the_output() {
    let book = Book::from_fixture("basic");
    book.cmd(&["build", ".", "--dest-dir", "public"])
        .assert()
        .success();
    assert!(book.root().join("public/index.html").is_file());
    book.cmd(&["build"])
        .env("INCIDENTBOOK_BUILD__BUILD_DIR", "site")
        .assert()
        .success();
    assert!(book.root().join("site/index.html").is_file());
}

#[test]
fn theme_folder_overrides_templates_and_static_files_by_name() {
    let book = Book::from_fixture("basic");
    book.write(
        "theme/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Custom not-found page</p>{% endblock content %}",
    );
    book.write("theme/static/style.css", "body { color: rebeccapurple; }");
    let site = book.build();
    assert!(site.page("404.html").contains("Custom not-found page"));
    assert!(site.page("static/style.css").contains("rebeccapurple"));
    // Templates not overridden stay default.
    assert!(site.page("index.html").contains("Latest post-mortems"));
}

#[test]
fn action_item_links_with_unsafe_schemes_are_refused() {
    let book = Book::from_fixture("basic");
    let path = "content/2024/2024-03-12-orders-migration-lock.md";
    let text = std::fs::read_to_string(book.root().join(path)).unwrap();
    book.write(
        path,
        &text.replace(
            "link: https://tracker.example.com/PLAT-123",
            "link: javascript:alert(1)",
        ),
    );
    let out = book.cmd(&["build"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("scheme that is not allowed"));
}

#[test]
fn a_post_mortem_page_stays_within_its_budget_and_makes_no_external_requests() {
    use std::io::Write;
    let site = Book::example().build();
    let page = site.page("incidents/2024-03-12-orders-migration-lock.html");
    let document = scraper::Html::parse_document(&page);
    let mut compressed = 0;
    for (selector, attr) in [
        ("link[rel=stylesheet]", "href"),
        ("script[src]", "src"),
        ("img[src]", "src"),
        ("link[rel=icon]", "href"),
    ] {
        for element in document.select(&scraper::Selector::parse(selector).unwrap()) {
            let target = element.value().attr(attr).unwrap();
            assert!(
                !target.contains("://") && !target.starts_with("//"),
                "external request: {target}"
            );
            if selector != "img[src]" && selector != "link[rel=icon]" {
                let file = site.dir.join("incidents").join(target);
                let bytes = std::fs::read(&file).unwrap();
                let mut gz =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                gz.write_all(&bytes).unwrap();
                compressed += gz.finish().unwrap().len();
            }
        }
    }
    // The reader's experience issue: CSS and JS of a post-mortem page under 50 kB
    // compressed.
    assert!(compressed > 1000, "no CSS or JS found");
    assert!(
        compressed < 50_000,
        "{compressed} bytes of CSS and JS, compressed"
    );
}

#[test]
fn the_timeline_is_drawn_with_its_gaps_and_key_moments() {
    let book = Book::from_fixture("basic");
    book.write(
        "content/2024/2024-08-01-queue.md",
        "---\ntitle: Queue backlog\ndate: 2024-08-01\nseverity: SEV3\nstatus: draft\nservices: [queue]\n\
         started: 2024-08-01T10:00:00Z\ndetected: 2024-08-01T10:07:00Z\nmitigated: 2024-08-01T11:30:00Z\n\
         resolved: 2024-08-01T13:00:00Z\n---\n\n## Timeline\n\nTimes are UTC.\n\n\
         - **10:00** The backlog began to grow.\n- **10:02** A consumer restarted.\n\
         - **10:20** The [queue dashboard](https://example.org/d) was checked.\n- **11:30** Consumers were scaled out.\n\n\
         ## Contributing Factors\n\nA condition.\n\n## What Went Well\n\nPaging.\n\n\
         ## Improvement Opportunities\n\nHow might we see it sooner?\n\n## Action Items\n\nAdd an alert.\n",
    );
    let site = book.build();
    let page = site.page("incidents/2024-08-01-queue.html");
    let timeline = &page[page
        .find(r#"<ul class="timeline">"#)
        .expect("a drawn timeline")..];
    let timeline = &timeline[..timeline.find("</ul>").unwrap()];
    let items: Vec<&str> = timeline
        .split("<li")
        .skip(1)
        .map(|li| li.split_once('>').unwrap().0.trim())
        .collect();
    assert_eq!(
        items,
        [
            "",
            "",
            // Detected (10:07) falls between 10:02 and 10:20; two minutes is no gap.
            r#"class="tl-gap s""#,
            r#"class="tl-moment tl-detected""#,
            "",
            r#"class="tl-gap m""#,
            "",
            // Resolved comes after the last entry.
            r#"class="tl-moment tl-resolved""#,
        ],
        "{timeline}"
    );
    // Entries at a key moment carry it; the gaps say how long; links survive.
    assert!(
        timeline
            .contains(r#"<span class="tl-badge tl-started">Started</span> <strong>10:00</strong>"#)
    );
    assert!(timeline.contains(
        r#"<span class="tl-badge tl-mitigated">Mitigated</span> <strong>11:30</strong>"#
    ));
    assert!(timeline.contains(">18m later</li>"), "{timeline}");
    assert!(timeline.contains(">1h 10m later</li>"), "{timeline}");
    assert!(timeline.contains(r#"<a href="https://example.org/d">queue dashboard</a>"#));
    assert!(
        !page.contains("ib-tl"),
        "a placeholder was left in the page"
    );
}

#[test]
fn listings_are_paged_sorted_and_filtered_by_generated_pages() {
    let site = Book::generated(120).build();
    // 122 post-mortems (with the fixture's two): three pages of at most 50, newest first.
    let first = site.page("incidents/index.html");
    assert!(
        first.contains("122 post-mortems, newest first; 1–50 on this page"),
        "{first}"
    );
    assert!(first.contains(r#"rel="next" href="../incidents/by/newest/2.html""#));
    let second = site.page("incidents/by/newest/2.html");
    assert!(second.contains("51–100 on this page"));
    assert!(second.contains(r#"rel="prev" href="../../../incidents/index.html""#));
    assert!(second.contains(r#"rel="next" href="../../../incidents/by/newest/3.html""#));
    let third = site.page("incidents/by/newest/3.html");
    assert!(third.contains("101–122 on this page") && !third.contains(r#"rel="next""#));
    // Other orders: their first page only; the oldest first starts with the first
    // generated day.
    let oldest = site.page("incidents/by/oldest/1.html");
    assert!(
        oldest.contains("The first 50 of 122 post-mortems, oldest first."),
        "{oldest}"
    );
    assert!(!site.exists("incidents/by/oldest/2.html") && !oldest.contains(r#"rel="next""#));
    let position = |page: &str, title: &str| page.find(title).unwrap_or(usize::MAX);
    assert!(position(&oldest, "Generated 000") < position(&oldest, "Generated 001"));
    // Most severe first: the severities down the page never get more severe.
    let severe = site.page("incidents/by/severity/1.html");
    let list = &severe[severe.find(r#"<ul class="incident-list">"#).unwrap()..];
    let levels: Vec<&str> = list
        .split(r#"<span class="sev sev-"#)
        .skip(1)
        .map(|s| &s[..4])
        .collect();
    assert_eq!(levels.len(), 50);
    assert!(levels.is_sorted(), "{levels:?}");
    assert_eq!(levels[0], "sev2");
    // One term, paged too, linked from the filters of every listing.
    assert!(first.contains(r#"href="../severities/sev2.html""#));
    let sev2 = site.page("severities/sev2.html");
    // 40 generated and the fixture's own.
    assert!(sev2.contains("41 post-mortems, newest first"), "{sev2}");
    assert!(site.exists("statuses/draft.html"));
    assert!(site.exists("statuses/draft/2.html") && site.exists("statuses/draft/3.html"));
    // A factor's page lists its latest 50 post-mortems, and links to all of them.
    let factor = site.page("factors/untested-migrations.html");
    assert!(factor.contains("The latest 50 of 121;"), "{factor}");
    assert_eq!(factor.matches(r#"<li><time>"#).count(), 50);
    assert!(factor.contains(r#"href="../factors/untested-migrations/1.html""#));
    let all = site.page("factors/untested-migrations/3.html");
    assert!(all.contains("101–121 on this page"), "{all}");
    let broken = site.broken_links();
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn a_long_column_of_a_team_board_is_paged() {
    let book = Book::from_fixture("basic");
    for k in 0..130 {
        let extra = format!(
            "action_items:\n  - id: AI-GEN-{k:03}\n    title: Generated item {k:03}\n    owner: ops-team\n    due: 2024-02-{:02}\n    status: open\n",
            k % 28 + 1
        );
        book.write(
            &format!("content/gen/2024-01-{:02}-gen-{k:03}.md", k % 28 + 1),
            &common::post_mortem(
                &format!("Generated {k:03}"),
                &format!("2024-01-{:02}", k % 28 + 1),
                &extra,
            ),
        );
    }
    let site = book.build();
    let board = site.page("actions/ops-team.html");
    assert!(board.contains("And 30 more:"), "{board}");
    assert!(board.contains(r#"href="../actions/ops-team/overdue/1.html""#));
    assert_eq!(board.matches("Generated item").count(), 100);
    let last = site.page("actions/ops-team/overdue/3.html");
    assert!(last.contains("101–130 on this page"), "{last}");
    assert_eq!(last.matches("Generated item").count(), 30);
    assert!(last.contains(r#"rel="prev""#) && !last.contains(r#"rel="next""#));
    let broken = site.broken_links();
    assert!(broken.is_empty(), "{broken:?}");
}

/// A post-mortem under a name that is not read (`.markdown`, front matter without
/// `.md`) is named with the reason and left out of the site, not copied raw; text files
/// that are not documents are still published.
#[test]
fn a_misnamed_post_mortem_is_named_and_not_published() {
    let book = Book::from_fixture("basic");
    let doc = post_mortem("Queue backlog", "2024-05-02", "");
    book.write("content/2024/queue-backlog.markdown", &doc);
    book.write("content/2024/2019-03-04-outage", &doc);
    book.write("content/2024/outage.txt", &format!("\u{feff}{doc}"));
    book.write(
        "content/2024/notes.txt",
        "# a shell comment, not a document\n",
    );
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut named: Vec<(String, String)> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "IB0011")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["help"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    named.sort();
    assert_eq!(
        named,
        [
            (
                "content/2024/2019-03-04-outage",
                "rename it to `2019-03-04-outage.md`, or add it to [build] ignore"
            ),
            (
                "content/2024/outage.txt",
                "rename it to `outage.md`, or add it to [build] ignore"
            ),
            (
                "content/2024/queue-backlog.markdown",
                "rename it to `queue-backlog.md`, or add it to [build] ignore"
            ),
        ]
        .map(|(f, h)| (f.to_owned(), h.to_owned()))
    );
    let site = book.build();
    let files = site.files();
    assert!(
        files
            .iter()
            .all(|f| !f.contains("outage") && !f.contains("queue-backlog")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|f| f.ends_with("2024/notes.txt")),
        "{files:?}"
    );
}

#[test]
fn declared_action_items_are_one_table_not_two() {
    let book = Book::from_fixture("basic");
    let items =
        "action_items:\n  - id: AI-T-1\n    title: Add a lock-time check\n    owner: data\n";
    let body = SECTIONS.replace(
        "## Action Items\n\nAdd an alert.\n",
        "## Action Items\n\nAgreed in the review:\n\n| Item | Owner |\n| --- | --- |\n| Add a lock-time check | data |\n",
    );
    let text = post_mortem("Tables", "2024-05-01", items).replace(SECTIONS, &body);
    book.write("content/2024-05-01-tables.md", &text);
    let page = book.build().page("incidents/2024-05-01-tables.html");
    assert_eq!(page.matches("<table").count(), 1, "{page}");
    assert!(page.contains("AI-T-1") && page.contains("Agreed in the review"));
    // Without declared items, the author's table is the only one, and stays.
    let text = post_mortem("Tables", "2024-05-01", "").replace(SECTIONS, &body);
    book.write("content/2024-05-01-tables.md", &text);
    let page = book.build().page("incidents/2024-05-01-tables.html");
    assert_eq!(page.matches("<table").count(), 1, "{page}");
    assert!(page.contains("<td>Add a lock-time check</td>"), "{page}");
}

#[test]
fn the_phases_are_drawn_to_scale_once() {
    let book = Book::from_fixture("basic");
    let times = "started: 2024-05-01T10:00:00Z\ndetected: 2024-05-01T10:06:00Z\nmitigated: 2024-05-01T10:30:00Z\nresolved: 2024-05-01T11:30:00Z\n";
    book.write(
        "content/2024-05-01-phases.md",
        &post_mortem("Phases", "2024-05-01", times),
    );
    let page = book.build().page("incidents/2024-05-01-phases.html");
    // Six, twenty-four and sixty minutes, each its share of the bar, each said once.
    for (key, grow, span) in [
        ("detect", 6, "6m"),
        ("mitigate", 24, "24m"),
        ("resolve", 60, "1h 00m"),
    ] {
        assert!(
            page.contains(&format!("phase phase-{key}\" style=\"flex-grow: {grow}\"")),
            "{key}: {page}"
        );
        assert!(page.contains(&format!("<strong>{span}</strong>")), "{span}");
    }
    assert!(!page.contains("Time to detect"), "said twice");
    // Without every moment there is no bar: a partial one would mislead.
    book.write(
        "content/2024-05-01-phases.md",
        &post_mortem(
            "Phases",
            "2024-05-01",
            "started: 2024-05-01T10:00:00Z\nresolved: 2024-05-01T11:30:00Z\n",
        ),
    );
    let page = book.build().page("incidents/2024-05-01-phases.html");
    assert!(!page.contains("phase-bar"), "{page}");
}
