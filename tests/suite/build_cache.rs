//! The persistent build cache (`.incidentbook/build/`): a build that takes what is
//! unchanged from the previous one writes the same bytes as one that does not, and
//! really does take it (unchanged files are the previous build's, hard-linked).

use crate::common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::Book;

/// Every file of a built site with its bytes and inode number.
fn contents(dir: &Path) -> BTreeMap<String, (Vec<u8>, u64)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let inode = e.metadata().unwrap().ino();
            (rel, (std::fs::read(e.path()).unwrap(), inode))
        })
        .collect()
}

fn bytes_only(files: &BTreeMap<String, (Vec<u8>, u64)>) -> BTreeMap<&str, &[u8]> {
    files
        .iter()
        .map(|(k, (b, _))| (k.as_str(), b.as_slice()))
        .collect()
}

fn build(book: &Book, args: &[&str]) {
    let out = book.cmd(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const EDITED: &str = "content/2024/2024-01-22-logging-disk-full.md";
const EDITED_PAGE: &str = "incidents/2024-01-22-logging-disk-full.html";

#[test]
fn a_cached_build_reuses_what_did_not_change_and_writes_the_same_bytes_as_an_uncached_one() {
    let book = Book::example();
    build(&book, &["build"]);
    assert!(book.root().join(".incidentbook/build/parses.bin").is_file());
    let first = contents(&book.root().join("book"));

    // Nothing changed: every page and the whole search index are the previous files.
    build(&book, &["build"]);
    let second = contents(&book.root().join("book"));
    assert_eq!(bytes_only(&first), bytes_only(&second));
    let reused = |a: &BTreeMap<String, (Vec<u8>, u64)>,
                  b: &BTreeMap<String, (Vec<u8>, u64)>,
                  f: &str| { a[f].1 == b[f].1 };
    let remade: Vec<&String> = first
        .keys()
        .filter(|f| f.ends_with(".html") || f.starts_with("search/"))
        // One small page, with absolute links, is always rendered.
        .filter(|f| *f != "404.html")
        .filter(|f| !reused(&first, &second, f))
        .collect();
    assert!(
        remade.is_empty(),
        "made again though nothing changed: {remade:?}"
    );

    // One post-mortem edited: its page is made again, most others are reused, and the
    // result equals a build without the cache byte for byte.
    let text = std::fs::read_to_string(book.root().join(EDITED)).unwrap();
    book.write(
        EDITED,
        &format!("{text}\nA closing sentence added to check the build cache.\n"),
    );
    build(&book, &["build"]);
    let third = contents(&book.root().join("book"));
    assert!(!reused(&second, &third, EDITED_PAGE));
    assert!(String::from_utf8_lossy(&third[EDITED_PAGE].0).contains("A closing sentence added"));
    assert!(
        !reused(&second, &third, "search/meta.js"),
        "the search index must be made again after an edit"
    );
    let pages: Vec<&String> = second
        .keys()
        .filter(|f| f.starts_with("incidents/") && f.ends_with(".html"))
        .collect();
    let kept = pages.iter().filter(|f| reused(&second, &third, f)).count();
    assert!(
        kept * 2 > pages.len(),
        "only {kept} of {} post-mortem pages were reused",
        pages.len()
    );
    build(&book, &["build", "--no-cache", "-d", "uncached"]);
    let uncached = contents(&book.root().join("uncached"));
    assert_eq!(bytes_only(&third), bytes_only(&uncached));
}

#[test]
fn a_damaged_cache_is_ignored_and_no_cache_neither_reads_nor_writes_it() {
    let book = Book::example();
    build(&book, &["build", "--no-cache"]);
    assert!(!book.root().join(".incidentbook/build").exists());
    let clean = contents(&book.root().join("book"));

    build(&book, &["build"]);
    for file in ["parses.bin", "outputs.bin"] {
        let path = book.root().join(".incidentbook/build").join(file);
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes.truncate(middle);
        bytes.extend_from_slice(b"\xff\xfe not what was written");
        std::fs::write(&path, bytes).unwrap();
    }
    build(&book, &["build"]);
    assert_eq!(
        bytes_only(&clean),
        bytes_only(&contents(&book.root().join("book")))
    );

    // A page changed by hand since the last build is not reused: it is made again.
    let page = book.root().join("book").join(EDITED_PAGE);
    std::fs::write(&page, "changed by hand").unwrap();
    build(&book, &["build"]);
    assert_eq!(
        bytes_only(&clean),
        bytes_only(&contents(&book.root().join("book")))
    );
}

#[test]
fn the_language_lint_findings_of_a_cached_parse_are_reported_as_before() {
    // Parsing lints the prose and keeps the findings, not the prose: a parse taken
    // from the cache must still report them.
    let book = Book::from_fixture("basic");
    let blame = "\nPriya forgot to run the migration in staging. Why did @tom skip the review?\n";
    let text = common::post_mortem("Blame", "2024-05-01", "authors: [priya.raman]\n").replacen(
        "---\n\n## Timeline",
        &format!("---\n{blame}\n## Timeline"),
        1,
    );
    book.write("content/2024/2024-05-01-blame.md", &text);
    let findings = || {
        let out = book.cmd(&["build"]).output().unwrap();
        assert!(out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let lines: Vec<String> = stderr
            .lines()
            .filter(|l| l.contains("IB03"))
            .map(str::to_owned)
            .collect();
        assert!(lines.len() >= 2, "{stderr}");
        lines
    };
    let first = findings();
    assert!(book.root().join(".incidentbook/build/parses.bin").is_file());
    assert_eq!(first, findings());
}
