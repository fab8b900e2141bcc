//! Counts read right: "1 post-mortem", never "1 post-mortems", on every page, chart and
//! feed of a built site and in what the commands print, for the example book and for a
//! book of one post-mortem (where most counts are 1).

use crate::common;

use common::Book;

/// Words that end in s and are singular after "1": not plural nouns.
const SINGULAR: &[&str] = &["status", "is", "was", "has", "does", "always", "across"];

/// Every "1 <plural noun>" of `text`, with where it stands.
fn one_plurals(text: &str, place: &str) -> Vec<String> {
    let one = regex::Regex::new(r"\b1 ([A-Za-z][\w-]*s)\b").unwrap();
    one.captures_iter(text)
        .filter(|c| !SINGULAR.contains(&c[1].to_ascii_lowercase().as_str()))
        .map(|c| {
            let at = c.get(0).unwrap();
            let before: Vec<char> = text[..at.start()].chars().rev().take(60).collect();
            let before: String = before.into_iter().rev().collect();
            let after: String = text[at.end()..].chars().take(20).collect();
            let around = format!("{before}{}{after}", &c[0]).replace('\n', " ");
            format!("{place}: \"{}\" in …{around}…", &c[0])
        })
        .collect()
}

/// A book of one post-mortem: one service, team, tag and factor, one action item (open
/// and overdue), so that the site's counts are 1.
fn one_incident_book() -> Book {
    let book = Book {
        dir: std::sync::Arc::new(tempfile::tempdir().unwrap()),
    };
    book.write(
        "book.toml",
        "[book]\ntitle = \"One\"\n\n[build]\nas-of = 2024-09-01\n",
    );
    book.write(
        "content/factors/untested-migrations.md",
        "---\ntitle: Untested migrations\ncategory: testing\n---\n\nMigrations run against a tiny database.\n",
    );
    let text = common::post_mortem(
        "Orders table locked",
        "2024-03-12",
        "teams: [orders-team]\ntags: [postgres]\nsummary: Writes to the orders table waited on a lock.\n\
         started: 2024-03-12T10:00:00Z\ndetected: 2024-03-12T10:01:00Z\nmitigated: 2024-03-12T10:31:00Z\nresolved: 2024-03-12T11:01:00Z\n\
         contributing_factors:\n  - untested-migrations\n\
         action_items:\n  - id: AI-1\n    title: Test migrations on a production-sized snapshot\n    owner: orders-team\n    due: 2024-04-01\n    status: open\n    addresses: [untested-migrations]\n",
    )
    .replace(
        "- **10:00** The alert fired.",
        "- **10:00** The migration started.\n- **10:31** The lock was released.",
    );
    book.write("content/2024/2024-03-12-orders-table-locked.md", &text);
    book
}

/// "1 <plural>" in every HTML, SVG and XML file of the site of `book`, and in what
/// `build`, `check` and `search QUERY` print.
fn plurals_of(book: &Book, name: &str, query: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = |args: &[&str]| {
        let out = book.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{name}: incidentbook {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        found.extend(one_plurals(
            &printed,
            &format!("{name}: incidentbook {}", args.join(" ")),
        ));
        printed
    };
    run(&["build", "--verbose"]);
    run(&["check", "--verbose"]);
    let results = run(&["search", query]);
    assert!(results.contains("\n1 result"), "{name}: {query}: {results}");
    let site = book.site();
    let mut scanned = 0;
    for file in site.files() {
        if [".html", ".svg", ".xml"].iter().any(|x| file.ends_with(x)) {
            scanned += 1;
            found.extend(one_plurals(&site.page(&file), &format!("{name}: {file}")));
        }
    }
    assert!(scanned > 20, "{name}: only {scanned} files");
    found
}

/// What `serve --watch` prints for its first build of `book` and for the rebuild after
/// an edit of the text of one post-mortem (which renders its page alone).
fn serve_output(book: &Book, edited: &str) -> String {
    use std::io::BufRead;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("incidentbook"))
        .args(["serve", "--watch", "-p", "0"])
        .current_dir(book.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut printed = String::new();
    let mut line_within = |seconds: u64| {
        let line = received
            .recv_timeout(std::time::Duration::from_secs(seconds))
            .ok()?;
        printed.push_str(&line);
        printed.push('\n');
        Some(line)
    };
    loop {
        let line = line_within(120).expect("serve printed no `built` line in two minutes");
        if line.starts_with("built ") {
            break;
        }
    }
    // The watcher starts after the first build is reported: an edit is made again
    // until one is seen.
    let path = book.root().join(edited);
    let text = std::fs::read_to_string(&path).unwrap();
    let rebuilt = (0..60).any(|k| {
        std::fs::write(
            &path,
            text.replace("Paging.", &format!("Paging worked ({k}).")),
        )
        .unwrap();
        std::iter::from_fn(|| line_within(2)).any(|l| l.starts_with("rebuilt "))
    });
    assert!(rebuilt, "serve did not rebuild:\n{printed}");
    child.kill().unwrap();
    child.wait().unwrap();
    printed
}

#[test]
fn one_is_never_followed_by_a_plural() {
    // The pattern, and what it lets pass.
    assert_eq!(one_plurals("1 results", "x").len(), 1);
    assert_eq!(one_plurals("email-sender: 1 incidents", "x").len(), 1);
    assert_eq!(one_plurals("(1 pages rendered)", "x").len(), 1);
    assert!(
        one_plurals(
            "1 result, 11 results, 21 items, 1 status, 1 of 3 files",
            "x"
        )
        .is_empty()
    );

    let one = one_incident_book();
    let mut found = plurals_of(&one, "one post-mortem", "orders");
    let served = serve_output(&one, "content/2024/2024-03-12-orders-table-locked.md");
    // The edit renders its page alone: a count of 1.
    assert!(served.contains("(1 page"), "{served}");
    found.extend(one_plurals(
        &served,
        "one post-mortem: incidentbook serve --watch",
    ));
    found.extend(plurals_of(&Book::example(), "example book", "cardinality"));
    assert!(found.is_empty(), "{}", found.join("\n"));
}
