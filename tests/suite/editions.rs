//! The public edition and the leak check: nothing of an internal post-mortem or an
//! internal passage reaches any file of the public edition (tests/fixtures/editions:
//! every word of internal material starts with `zqx`), nor its search index; every
//! planted leak of tests/fixtures/leaks is found at its file, line and column, masked;
//! and the example book and the real archives give no finding at all.

use crate::common;

use std::path::Path;

use common::{Book, adopted};

/// The marker every word of internal material in tests/fixtures/editions starts with.
const MARKER: &[u8] = b"zqx";

fn holds_marker(bytes: &[u8]) -> bool {
    bytes
        .to_ascii_lowercase()
        .windows(MARKER.len())
        .any(|w| w == MARKER)
}

/// Every file under `dir` (relative) whose bytes hold the marker, in any letter case.
fn files_with_marker(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| holds_marker(&std::fs::read(e.path()).unwrap()))
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

/// Every term of every field, and every stored document, of the tantivy index in
/// `dir` that holds the marker.
fn index_entries_with_marker(dir: &Path) -> Vec<String> {
    use tantivy::schema::FieldType;
    let index = tantivy::Index::open_in_dir(dir).unwrap();
    let searcher = index.reader().unwrap().searcher();
    let schema = index.schema();
    let mut found = Vec::new();
    for reader in searcher.segment_readers() {
        for (field, entry) in schema.fields() {
            if !matches!(entry.field_type(), FieldType::Str(_)) || !entry.is_indexed() {
                continue;
            }
            let inverted = reader.inverted_index(field).unwrap();
            let mut terms = inverted.terms().stream().unwrap();
            while terms.advance() {
                if holds_marker(terms.key()) {
                    found.push(format!(
                        "{}: {}",
                        entry.name(),
                        String::from_utf8_lossy(terms.key())
                    ));
                }
            }
        }
    }
    for (segment, reader) in searcher.segment_readers().iter().enumerate() {
        for doc in 0..reader.max_doc() {
            let address = tantivy::DocAddress::new(segment as u32, doc);
            let stored: tantivy::TantivyDocument = searcher.doc(address).unwrap();
            let json = tantivy::Document::to_json(&stored, &schema);
            if holds_marker(json.as_bytes()) {
                found.push(json);
            }
        }
    }
    found
}

#[test]
fn nothing_internal_reaches_any_file_of_the_public_edition() {
    let book = Book::from_fixture("editions");
    let out = book
        .cmd(&["build", "--edition", "public"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("built 2 post-mortems"), "{stderr}");
    let public = book.root().join("public");
    assert_eq!(files_with_marker(&public), Vec::<String>::new());
    assert_eq!(
        index_entries_with_marker(&book.root().join(".incidentbook/public/search")),
        Vec::<String>::new()
    );
    // What the public edition has, it has as a site of its own.
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("Acme public post-mortems"), "{home}");
    let feed = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    assert!(
        feed.contains("https://acme.example.com/postmortems/"),
        "{feed}"
    );
    let json = std::fs::read_to_string(public.join("api/incidents.json")).unwrap();
    let records: serde_json::Value = serde_json::from_str(&json).unwrap();
    let slugs: Vec<&str> = records["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["slug"].as_str().unwrap())
        .collect();
    assert_eq!(
        slugs,
        ["2024-06-20-cache-stampede", "2024-03-12-orders-lock"]
    );
    // The factor both public post-mortems and the internal one name counts two (three
    // in the internal edition, below).
    let factor = std::fs::read_to_string(public.join("factors/untested-migrations.html")).unwrap();
    assert!(factor.contains("<dt>Incidents</dt><dd>2</dd>"), "{factor}");
    assert!(!public.join("factors/zqxvendorfactor.html").exists());
    // A public post-mortem keeps what is not internal in it.
    let page =
        std::fs::read_to_string(public.join("incidents/2024-03-12-orders-lock.html")).unwrap();
    assert!(page.contains("Rollback was quick"), "{page}");
    assert!(
        !page.contains("public-mark"),
        "the public edition marks nothing"
    );
    // The internal edition, built beside it, holds it all and marks what is public.
    let internal = book.build();
    assert!(!files_with_marker(&internal.dir).is_empty());
    assert!(
        !index_entries_with_marker(&book.root().join(".incidentbook/search")).is_empty(),
        "the internal index holds the marker: the search above can find it"
    );
    let factor = internal.page("factors/untested-migrations.html");
    assert!(factor.contains("<dt>Incidents</dt><dd>3</dd>"), "{factor}");
    let page = internal.page("incidents/2024-03-12-orders-lock.html");
    assert!(page.contains("public-mark"), "{page}");
    assert!(page.contains("zqxfencecustomer") && page.contains("class=\"internal\""));
    assert!(
        !internal
            .page("incidents/2024-05-02-zqxinternalslug.html")
            .contains("public-mark")
    );
    assert_eq!(internal.broken_links(), Vec::<String>::new());
}

/// (code, severity, line, column) of every leak finding in `file`, from `check
/// --format json`.
fn findings(json: &[u8], file: &str) -> Vec<(String, String, u64, u64)> {
    let all: serde_json::Value = serde_json::from_slice(json).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file && d["code"].as_str().unwrap().starts_with("IB07"))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_planted_leak_is_found_in_its_place() {
    let book = Book::from_fixture("leaks");
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "errors in public material fail");
    let row = |code: &str, severity: &str, line, column| {
        (code.to_owned(), severity.to_owned(), line, column)
    };
    assert_eq!(
        findings(&out.stdout, "content/2024/2024-03-12-public-leaks.md"),
        [
            row("IB0707", "error", 7, 24),   // e-mail in the summary
            row("IB0711", "error", 13, 9),   // a name from the roster
            row("IB0708", "error", 13, 42),  // an international phone number
            row("IB0710", "error", 14, 21),  // a host under *.corp.acme-example.com
            row("IB0709", "error", 14, 52),  // IPv4
            row("IB0709", "error", 15, 22),  // IPv6
            row("IB0702", "error", 20, 26),  // AWS key id, in a code block
            row("IB0703", "error", 21, 21),  // GitHub token
            row("IB0704", "error", 22, 32),  // JWT
            row("IB0705", "error", 23, 29),  // password in a URL
            row("IB0706", "error", 24, 16),  // random value assigned to a secret
            row("IB0701", "error", 25, 1),   // private key
            row("IB0708", "warning", 35, 6), // in the internal block: a warning
            row("IB0709", "warning", 35, 27),
            row("IB0712", "error", 40, 16), // a link to the internal post-mortem
        ]
    );
    assert_eq!(
        findings(&out.stdout, "content/2024/2024-04-01-internal-leaks.md"),
        [
            row("IB0707", "warning", 11, 9),
            row("IB0710", "warning", 11, 47),
        ]
    );
    // No output repeats a value: not the JSON, not the snippets of the human format.
    let human = book.cmd(&["check"]).output().unwrap();
    for output in [&out.stdout, &human.stderr, &human.stdout] {
        let text = String::from_utf8_lossy(output);
        for secret in [
            "AKIAZ7Q2XK4V9LMN3PQR",
            "ghp_4bX9kQ2mN7pL1sR8tV3wY6zA0cE5fH2jK9nM",
            "eyJzdWIiOiIxMjM0NTY3ODkwIn0",
            "Zq8vK2mWp4Lx",
            "f83Jd9sKq2Lx7Vb4Np6Rt1Wy",
            "priya.raman@acme-payments.com",
            "7946 0958",
            "10.42.7.19",
            "Priya Raman",
        ] {
            assert!(!text.contains(secret), "{secret} is shown:\n{text}");
        }
    }
    let human = String::from_utf8_lossy(&human.stderr);
    assert!(human.contains("AK******************"), "{human}");
    // The public build refuses the book, and builds it once the leaks are internal.
    let build = book
        .cmd(&["build", "--edition", "public"])
        .output()
        .unwrap();
    assert_eq!(build.status.code(), Some(1));
    assert!(!book.root().join("public").exists());
}

#[test]
fn internal_only_material_is_a_warning_and_levels_apply() {
    let book = Book::from_fixture("leaks");
    book.write(
        "book.toml",
        &std::fs::read_to_string(book.root().join("book.toml"))
            .unwrap()
            .replace("[leaks]", "[edition]\ndefault-visibility = \"internal\"\n\n[validation.levels]\nIB0709 = \"allow\"\n\n[leaks]"),
    );
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    let public = findings(&out.stdout, "content/2024/2024-03-12-public-leaks.md");
    assert!(public.iter().all(|f| f.0 != "IB0709"), "{public:?}");
    assert!(public.iter().any(|f| f.0 == "IB0701" && f.1 == "error"));
}

/// The leak findings `check --format json` reports on `book`.
fn leak_findings(book: &Book) -> Vec<serde_json::Value> {
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("IB07"))
        .cloned()
        .collect()
}

#[test]
fn the_example_book_and_the_real_archives_have_no_leaks() {
    assert_eq!(
        leak_findings(&Book::example()),
        Vec::<serde_json::Value>::new()
    );
    for corpus in ["posthog", "zalando", "learningequality"] {
        let leaks = leak_findings(&adopted(corpus));
        assert!(leaks.is_empty(), "{corpus}: {leaks:?}");
    }
}

#[test]
fn a_misspelt_visibility_is_an_error_and_never_publishes() {
    let book = Book::from_fixture("editions");
    let path = "content/2024/2024-06-20-cache-stampede.md";
    let text = std::fs::read_to_string(book.root().join(path)).unwrap();
    book.write(
        path,
        &text.replace("visibility: public", "visibility: pubilc"),
    );
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "IB0105" && d["file"] == path && d["line"] == 6),
        "{all}"
    );
    // Read as internal by the public edition, whatever the levels say.
    book.write(
        "book.toml",
        &format!(
            "{}\n[validation.levels]\nIB0105 = \"allow\"\n",
            std::fs::read_to_string(book.root().join("book.toml")).unwrap()
        ),
    );
    book.cmd(&["build", "--edition", "public"])
        .assert()
        .success();
    assert!(
        !book
            .root()
            .join("public/incidents/2024-06-20-cache-stampede.html")
            .exists()
    );
}
