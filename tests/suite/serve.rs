//! `incidentbook serve` over real HTTP on 127.0.0.1: headers, refused traversal, the
//! 404 page, live reload after every kind of save, errors shown while the last good
//! site stays served, no stale page after a factor is renamed, and `/api/search`.

use crate::common;

use common::Book;
use common::server::Server;

const MIGRATION: &str = "content/2024/2024-03-12-orders-migration-lock.md";

fn edit(book: &Book, rel: &str, from: &str, to: &str) {
    let path = book.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn pages_have_their_content_types_etags_and_the_404_page() {
    let book = Book::example();
    let server = Server::start(book.root(), &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    // Without --watch, no reload script.
    assert!(!home.body.contains("__incidentbook"));
    let etag = home.header("etag").expect("an ETag").to_owned();
    assert_eq!(server.request("/", &[("If-None-Match", &etag)]).status, 304);
    for (path, kind) in [
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/search.js", "text/javascript; charset=utf-8"),
        ("/api/incidents.json", "application/json; charset=utf-8"),
        ("/feed.xml", "text/xml; charset=utf-8"),
        ("/search/meta.js", "text/javascript; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(kind)),
            "{path}"
        );
    }
    let missing = server.get("/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    // A folder without its slash is redirected to its index page.
    let folder = server.get("/incidents");
    assert_eq!(
        (folder.status, folder.header("location")),
        (301, Some("/incidents/"))
    );
}

#[test]
fn paths_out_of_the_site_are_refused() {
    let book = Book::example();
    // A symbolic link in the content folder to a file outside it.
    let secret = book.root().join("secret.txt");
    std::fs::write(&secret, "do not serve").unwrap();
    std::os::unix::fs::symlink(&secret, book.root().join("content/2024/leak.png")).unwrap();
    edit(
        &book,
        MIGRATION,
        "## Timeline",
        "![leak](leak.png)\n\n## Timeline",
    );
    let server = Server::start(book.root(), &[]);
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/incidents/..%2f..%2fbook.toml",
        "/..%5cbook.toml",
        "/%5c..%5cbook.toml",
        "//etc/passwd",
        "/media/2024/leak.png",
        "/content/2024/2024-03-12-orders-migration-lock.md",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(
            !r.body.contains("do not serve") && !r.body.contains("[book]"),
            "{path}"
        );
    }
}

#[test]
fn an_edit_reloads_the_browser_with_the_new_page() {
    let book = Book::example();
    let server = Server::start(book.root(), &["--watch"]);
    let page = "/incidents/2024-03-12-orders-migration-lock.html";
    assert!(server.get(page).body.contains("/__incidentbook/live.js"));
    let events = server.events();
    edit(
        &book,
        MIGRATION,
        "title: Orders table locked again by an index migration",
        "title: Orders table locked by a rebuilt index",
    );
    events.wait_for("reload");
    assert!(
        server
            .get(page)
            .body
            .contains("Orders table locked by a rebuilt index")
    );
    // The home page lists it too.
    assert!(
        server
            .get("/")
            .body
            .contains("Orders table locked by a rebuilt index")
    );
}

#[test]
fn a_safe_write_through_a_temporary_file_reloads_too() {
    let book = Book::example();
    let server = Server::start(book.root(), &["--watch"]);
    let events = server.events();
    let path = book.root().join(MIGRATION);
    let text = std::fs::read_to_string(&path).unwrap();
    // As vim, VS Code and JetBrains do: write beside, then rename over.
    let temp = path.with_file_name(".2024-03-12-orders-migration-lock.md.tmp");
    std::fs::write(
        &temp,
        text.replace("22\n  minutes", "twenty-two\n  minutes"),
    )
    .unwrap();
    std::fs::rename(&temp, &path).unwrap();
    events.wait_for("reload");
    let page = server.get("/incidents/2024-03-12-orders-migration-lock.html");
    assert!(page.body.contains("twenty-two"), "the page was not rebuilt");
    // A file in a new folder, then deleted.
    let mut new = common::post_mortem("A brand new post-mortem", "2026-01-02", "");
    new.push('\n');
    // Writing a file can make more than one burst of events, so a reload may come from
    // an earlier burst: each step waits for reloads until the page shows the change
    // (`wait_for` fails the test if no reload comes within 30 s).
    let status = || server.get("/incidents/2026-01-02-brand-new.html").status;
    book.write("content/2026/2026-01-02-brand-new.md", &new);
    while status() != 200 {
        events.wait_for("reload");
    }
    std::fs::remove_dir_all(book.root().join("content/2026")).unwrap();
    while status() != 404 {
        events.wait_for("reload");
    }
}

#[test]
fn a_broken_edit_shows_errors_while_the_last_good_site_is_served_until_fixed() {
    let book = Book::example();
    let server = Server::start(book.root(), &["--watch"]);
    let events = server.events();
    let page = "/incidents/2024-03-12-orders-migration-lock.html";
    let before = server.get(page).body;
    edit(
        &book,
        MIGRATION,
        "severity: SEV2",
        "severity: [not, a, severity",
    );
    let (report, _) = events.wait_for("errors");
    assert!(
        report.contains("2024-03-12-orders-migration-lock.md"),
        "{report}"
    );
    assert!(report.contains("error["), "{report}");
    // The last good page is still served, as it was.
    let during = server.get(page);
    assert_eq!(during.status, 200);
    assert_eq!(during.body, before);
    // A browser arriving now is told about the errors at once.
    let late = server.events();
    late.wait_for("errors");
    edit(
        &book,
        MIGRATION,
        "severity: [not, a, severity",
        "severity: SEV1",
    );
    events.wait_for("ok");
    events.wait_for("reload");
    assert!(server.get(page).body.contains("SEV1"));
}

#[test]
fn renaming_a_factor_changes_every_page_that_lists_it() {
    let book = Book::example();
    let server = Server::start(book.root(), &["--watch"]);
    let events = server.events();
    let pages = [
        "/factors/untested-migrations.html",
        "/factors/index.html",
        "/incidents/2023-02-14-orders-migration-lock.html",
        "/incidents/2024-03-12-orders-migration-lock.html",
    ];
    for page in pages {
        assert!(
            server
                .get(page)
                .body
                .contains("Schema migrations not tested"),
            "{page}"
        );
    }
    edit(
        &book,
        "content/factors/untested-migrations.md",
        "Schema migrations not tested against production-sized data",
        "Migrations never rehearsed on production-sized data",
    );
    events.wait_for("reload");
    for page in pages {
        let body = server.get(page).body;
        assert!(
            body.contains("Migrations never rehearsed"),
            "{page} is stale"
        );
        assert!(
            !body.contains("Schema migrations not tested"),
            "{page} is stale"
        );
    }
}

#[test]
fn api_search_answers_as_the_cli_does() {
    let book = Book::example();
    let server = Server::start(book.root(), &[]);
    let r = server.get("/api/search?q=migration%20lock&limit=5");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let served: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let out = book
        .cmd(&[
            "search",
            "migration lock",
            "--limit",
            "5",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(served, cli);
    let filtered = server.get("/api/search?q=database&severity=SEV1");
    let hits: Vec<serde_json::Value> = serde_json::from_str(&filtered.body).unwrap();
    assert!(hits.iter().all(|h| h["severity"] == "SEV1"), "{hits:?}");
    assert_eq!(server.get("/api/search?q=x&since=yesterday").status, 400);
    // Filters typed in the query, as an alert's link would give them.
    let typed = server.get("/api/search?q=severity:sev1%20retries");
    assert_eq!(typed.status, 200);
    let options = server.get("/api/search?q=retries&severity=SEV1");
    assert!(options.body.contains("retry-storm"), "{}", options.body);
    assert_eq!(typed.body, options.body);
    let bad = server.get("/api/search?q=cache%20after:yesterday");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("is not a date"), "{}", bad.body);
    // A word the archive does not hold: the query as the archive spells it, in a
    // header; none when every word is the archive's.
    let typo = server.get("/api/search?q=certficate%20expired");
    assert_eq!(
        typo.header("did-you-mean"),
        Some("certificate%20expired"),
        "{:?}",
        typo.headers
    );
    assert_eq!(r.header("did-you-mean"), None);
}
