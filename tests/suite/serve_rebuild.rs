//! `serve`'s rebuilds in memory: an edit that changes only a post-mortem's own text
//! re-renders that page alone, and the result is exactly what a whole rebuild makes; an
//! edit of anything that other pages show rebuilds them too.

use crate::common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::Book;
use incidentbook::serve::rebuild::Body;
use incidentbook::serve::{Builder, Changes, Outcome};

const FILE: &str = "2024/2024-01-22-logging-disk-full.md";

fn build(builder: &mut Builder, changes: &Changes) -> (BTreeMap<String, Vec<u8>>, usize) {
    match builder.rebuild(changes) {
        Outcome::Built {
            snapshot, rendered, ..
        } => {
            let files = snapshot
                .files
                .iter()
                .map(|(path, body)| {
                    let bytes = match body {
                        Body::Bytes(b) => b.to_vec(),
                        Body::Packed(p) => p.unpack(),
                        Body::File(p) => std::fs::read(p).unwrap(),
                    };
                    (path.clone(), bytes)
                })
                .collect();
            (files, rendered)
        }
        Outcome::Failed { report } => panic!("{report}"),
    }
}

fn everything() -> Changes {
    Changes {
        everything: true,
        ..Changes::default()
    }
}

fn edited(rel: &str) -> Changes {
    Changes {
        content: vec![PathBuf::from(rel)],
        everything: false,
    }
}

/// A copy of the example book, and a builder that has built it.
fn built_example() -> (Book, Builder) {
    let book = Book::example();
    let mut builder = Builder::new(book.root(), None);
    build(&mut builder, &everything());
    (book, builder)
}

/// The site as a fresh builder makes it from the book as it is now.
fn from_scratch(book: &Book) -> BTreeMap<String, Vec<u8>> {
    build(&mut Builder::new(book.root(), None), &everything()).0
}

#[test]
fn an_edit_of_the_text_alone_renders_one_page_and_equals_a_whole_rebuild() {
    let book = Book::example();
    let mut builder = Builder::new(book.root(), None);
    build(&mut builder, &everything());
    let path = book.root().join("content").join(FILE);
    let original = std::fs::read_to_string(&path).unwrap();

    // Twice in a row, so the second edit starts from an edited post-mortem.
    for n in 1..=2 {
        let text = original.replace(
            "## What Went Well",
            &format!("A sentence added, edit {n}, with [a link](https://example.org/{n}).\n\n## What Went Well"),
        );
        std::fs::write(&path, text).unwrap();
        let (site, rendered) = build(&mut builder, &edited(FILE));
        assert_eq!(rendered, 1, "edit {n}: only the edited page is rendered");
        let page = String::from_utf8_lossy(&site["incidents/2024-01-22-logging-disk-full.html"])
            .into_owned();
        assert!(page.contains(&format!("edit {n}, with")));
        assert_eq!(
            site,
            from_scratch(&book),
            "edit {n} differs from a whole rebuild"
        );
    }

    // A section taken out is an error found in the text alone: reported, and the last
    // good site stays until the fix, which is again one page.
    std::fs::write(&path, original.replace("## What Went Well", "")).unwrap();
    match builder.rebuild(&edited(FILE)) {
        Outcome::Failed { report } => assert!(report.contains("What Went Well"), "{report}"),
        Outcome::Built { .. } => panic!("a missing section must fail the rebuild"),
    }
    std::fs::write(&path, &original).unwrap();
    let (site, rendered) = build(&mut builder, &edited(FILE));
    assert_eq!(rendered, 1);
    assert_eq!(site, from_scratch(&book));

    // A new link is part of the outline (backlinks): a broken one fails the whole
    // rebuild, and the fix rebuilds the whole book.
    std::fs::write(
        &path,
        original.replace(
            "## What Went Well",
            "See [nothing](missing.md).\n\n## What Went Well",
        ),
    )
    .unwrap();
    match builder.rebuild(&edited(FILE)) {
        Outcome::Failed { report } => assert!(report.contains("IB0401"), "{report}"),
        Outcome::Built { .. } => panic!("a broken link must fail the rebuild"),
    }
    std::fs::write(&path, &original).unwrap();
    assert_eq!(build(&mut builder, &edited(FILE)).0, from_scratch(&book));
}

#[test]
fn an_edit_of_what_other_pages_show_rebuilds_them() {
    let book = Book::example();
    let mut builder = Builder::new(book.root(), None);
    build(&mut builder, &everything());
    let path = book.root().join("content").join(FILE);
    let original = std::fs::read_to_string(&path).unwrap();
    let title = original
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_owned();
    std::fs::write(
        &path,
        original.replace(&title, "title: Disks filled by debug logs"),
    )
    .unwrap();
    let (site, rendered) = build(&mut builder, &edited(FILE));
    assert!(
        rendered > 1,
        "the lists showing the title were not rendered again"
    );
    assert!(
        String::from_utf8_lossy(&site["incidents/index.html"])
            .contains("Disks filled by debug logs")
    );
    assert_eq!(site, from_scratch(&book));
}

/// Every kind of outline edit a person makes (each field the lists, boards and term
/// pages show), then a post-mortem added, renamed and removed: each rebuild equals a
/// whole rebuild of the book as it then is, and the edits build on one another.
#[test]
fn outline_edits_and_added_renamed_removed_files_equal_a_whole_rebuild() {
    let (book, mut builder) = built_example();
    let path = book.root().join("content").join(FILE);
    let original = std::fs::read_to_string(&path).unwrap();
    let line = |start: &str| {
        original
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap()
            .to_owned()
    };
    let edits: [(&str, String, String); 8] = [
        (
            "title",
            line("title:"),
            "title: Disks filled by debug logs".into(),
        ),
        ("date", line("date:"), "date: 2024-01-23".into()),
        ("severity", line("severity:"), "severity: SEV1".into()),
        (
            "services",
            line("services:"),
            "services: [log-pipeline, checkout]".into(),
        ),
        (
            "teams",
            line("teams:"),
            "teams: [observability-team, payments-team]".into(),
        ),
        (
            "factors",
            "contributing_factors:\n".into(),
            "contributing_factors:\n  - cache-stampede\n".into(),
        ),
        (
            "action item",
            line("    title: Alert when any ingestion disk"),
            "    title: Page the owning team when an ingestion disk is forecast to fill".into(),
        ),
        ("status", line("status:"), "status: draft".into()),
    ];
    let mut text = original.clone();
    for (what, from, to) in &edits {
        assert!(text.contains(from.as_str()), "{what}: {from:?}");
        text = text.replacen(from.as_str(), to, 1);
        std::fs::write(&path, &text).unwrap();
        let (site, _) = build(&mut builder, &edited(FILE));
        assert_eq!(site, from_scratch(&book), "the {what} edit differs");
    }

    // A new post-mortem, renamed, then removed.
    let added = "2024/2024-01-22-second-disk-full.md";
    let renamed = "2025/2025-01-22-second-disk-full.md";
    let copy = original
        .replace(&line("title:"), "title: A second disk filled")
        .replace("AI-2024-00", "AI-2024-90");
    let content = book.root().join("content");
    std::fs::write(content.join(added), copy).unwrap();
    let (site, _) = build(&mut builder, &edited(added));
    assert!(site.contains_key("incidents/2024-01-22-second-disk-full.html"));
    assert_eq!(site, from_scratch(&book), "the added file differs");

    std::fs::rename(content.join(added), content.join(renamed)).unwrap();
    let changes = Changes {
        content: vec![PathBuf::from(added), PathBuf::from(renamed)],
        everything: false,
    };
    let (site, _) = build(&mut builder, &changes);
    assert!(site.contains_key("incidents/2025-01-22-second-disk-full.html"));
    assert!(!site.contains_key("incidents/2024-01-22-second-disk-full.html"));
    assert_eq!(site, from_scratch(&book), "the renamed file differs");

    std::fs::remove_file(content.join(renamed)).unwrap();
    let (site, _) = build(&mut builder, &edited(renamed));
    assert!(!site.contains_key("incidents/2025-01-22-second-disk-full.html"));
    assert_eq!(site, from_scratch(&book), "the removal differs");

    // Back to the original: the site is the first one again.
    std::fs::write(&path, &original).unwrap();
    assert_eq!(build(&mut builder, &edited(FILE)).0, from_scratch(&book));
}

/// The report of a rebuild that fails, which must not fail.
fn failed(builder: &mut Builder, changes: &Changes) -> String {
    match builder.rebuild(changes) {
        Outcome::Failed { report } => report,
        Outcome::Built { .. } => panic!("the rebuild should have failed"),
    }
}

/// A rebuild after an edit of post-mortems checks again only those the edit can change
/// and keeps the last build's findings for the others: what it reports is what a whole
/// check reports, when the edit breaks another post-mortem's wiki link (an action
/// item's id changed) or link (a post-mortem removed).
#[test]
fn an_edit_that_breaks_another_post_mortem_is_reported_as_a_whole_check_reports_it() {
    let (book, mut builder) = built_example();
    let content = book.root().join("content");
    let cases = [
        ("2023/2023-08-09-search-cache-stampede.md", "IB0404"),
        ("2025/2025-07-08-metrics-disk-full.md", "IB0401"),
    ];
    for (rel, code) in cases {
        let path = content.join(rel);
        let original = std::fs::read_to_string(&path).unwrap();
        if code == "IB0404" {
            std::fs::write(&path, original.replace("AI-2023-010", "AI-2023-099")).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap();
        }
        let report = failed(&mut builder, &edited(rel));
        assert!(report.contains(code), "{report}");
        assert_eq!(
            report,
            failed(&mut Builder::new(book.root(), None), &everything())
        );
        std::fs::write(&path, &original).unwrap();
        assert_eq!(build(&mut builder, &edited(rel)).0, from_scratch(&book));
    }
}
