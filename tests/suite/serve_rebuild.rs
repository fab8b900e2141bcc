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
