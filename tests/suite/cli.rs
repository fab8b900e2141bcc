//! The command line: init, new, check, explain, configuration errors and exit codes.

use crate::common;

use common::{Book, SECTIONS, post_mortem};
use predicates::prelude::*;

fn empty_book() -> Book {
    Book {
        dir: std::sync::Arc::new(tempfile::tempdir().unwrap()),
    }
}

#[test]
fn init_then_build_gives_a_working_site() {
    let book = empty_book();
    book.cmd(&["init"]).assert().success();
    assert!(book.root().join("book.toml").is_file());
    let gitignore = std::fs::read_to_string(book.root().join(".gitignore")).unwrap();
    assert!(gitignore.contains("/book/") && gitignore.contains("/.incidentbook/"));
    let out = book.cmd(&["build"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("warning"),
        "the init example has findings: {stderr}"
    );
    let site = book.site();
    assert!(site.exists("incidents/2024-03-12-orders-migration-lock.html"));
    assert_eq!(site.broken_links(), Vec::<String>::new());
    // A second init refuses to overwrite.
    book.cmd(&["init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn new_creates_a_post_mortem_from_the_template() {
    let book = empty_book();
    book.cmd(&["init"]).assert().success();
    let out = book
        .cmd(&["new", "Orders DB locked: migration"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let path = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(path.ends_with("-orders-db-locked-migration.md"), "{path}");
    let text = std::fs::read_to_string(book.root().join(&path)).unwrap();
    for section in [
        "## Timeline",
        "## Contributing Factors",
        "## What Went Well",
        "## Improvement Opportunities",
        "## Action Items",
    ] {
        assert!(text.contains(section), "{section} missing");
    }
    assert!(text.contains("How might we"));
    assert!(text.contains("What information did responders have"));
    assert!(text.contains("title: \"Orders DB locked: migration\""));
    // The new file is valid as it is.
    book.cmd(&["check"]).assert().success();
}

#[test]
fn new_names_the_file_after_the_incident_s_date() {
    let book = empty_book();
    book.cmd(&["init"]).assert().success();
    let out = book
        .cmd(&["new", "--date", "2023-11-05", "Cache stampede"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(
        path.ends_with("content/2023/2023-11-05-cache-stampede.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(book.root().join(&path)).unwrap();
    assert!(text.contains("\ndate: 2023-11-05\n"), "{text}");
    assert!(text.contains("started: 2023-11-05T"));
    // The file is valid as it is: its name and its date agree.
    book.cmd(&["check"]).assert().success().stderr(
        predicate::str::contains("IB0110")
            .or(predicate::str::contains("IB0111"))
            .not(),
    );
    // The form of the date is the one the file is named in, and its year one the
    // site can chart.
    for wrong in ["2023-11-5", "05/11/2023", "2023-02-30"] {
        book.cmd(&["new", "--date", wrong, "Cache stampede"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("YYYY-MM-DD"));
    }
    book.cmd(&["new", "--date", "1900-01-01", "Old"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("1970-2199"));
}

#[test]
fn a_folder_without_book_toml_suggests_init() {
    let book = empty_book();
    book.cmd(&["build"]).assert().code(2).stderr(
        predicate::str::contains("no book.toml").and(predicate::str::contains("incidentbook init")),
    );
}

#[test]
fn unknown_config_key_is_named_with_its_line() {
    let book = Book::from_fixture("basic");
    book.write(
        "book.toml",
        "[book]\ntitle = \"x\"\n\n[build]\nbiuld-dir = \"out\"\n",
    );
    book.cmd(&["build"]).assert().code(2).stderr(
        predicate::str::contains("book.toml:5:").and(predicate::str::contains("biuld-dir")),
    );
}

#[test]
fn check_reports_broken_links_as_json_with_file_and_line() {
    let book = Book::from_fixture("basic");
    book.write(
        "content/2024/2024-07-01-broken.md",
        &format!("---\ntitle: Broken\ndate: 2024-07-01\nseverity: SEV4\nstatus: draft\nservices: [x]\n---\n\nSee [gone](../2023/gone.md).\n{SECTIONS}"),
    );
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diags.as_array().unwrap().len(), 1, "{diags}");
    let d = &diags[0];
    assert_eq!(d["code"], "IB0401");
    assert_eq!(d["file"], "content/2024/2024-07-01-broken.md");
    assert_eq!(d["line"], 9);
    assert_eq!(d["column"], 5);
    assert_eq!(d["severity"], "error");
}

#[test]
fn check_prints_rustc_style_snippets_and_a_summary() {
    let book = Book::from_fixture("basic");
    book.write(
        "content/2024/2024-07-02-bad-date.md",
        &post_mortem("Bad date", "12/03/2024", ""),
    );
    book.cmd(&["check"]).assert().code(1).stderr(
        predicate::str::contains("error[IB0104]")
            .and(predicate::str::contains(
                "content/2024/2024-07-02-bad-date.md:3:1",
            ))
            .and(predicate::str::contains(
                "help: write the date as YYYY-MM-DD",
            ))
            .and(predicate::str::contains(
                "1 error, 0 warnings in 1 of 4 files",
            )),
    );
}

#[test]
fn quiet_prints_only_errors() {
    let book = Book::from_fixture("basic");
    book.write(
        "content/2024/2024-07-02-bad-date.md",
        &post_mortem("Bad date", "12/03/2024", ""),
    );
    book.write(
        "content/2024/2024-07-09-blame.md",
        &post_mortem("Blame", "2024-07-09", "")
            .replace("## Action Items\n", "## Action Items\n\nBe more careful.\n"),
    );
    book.cmd(&["check"]).assert().code(1).stderr(
        predicate::str::contains("warning[IB0305]").and(predicate::str::contains("error[IB0104]")),
    );
    book.cmd(&["check", "-q"]).assert().code(1).stderr(
        predicate::str::contains("error[IB0104]")
            .and(predicate::str::contains("warning[").not())
            .and(predicate::str::contains("1 error, 1 warning")),
    );
}

#[test]
fn github_format_prints_workflow_commands() {
    let book = Book::from_fixture("basic");
    book.write(
        "content/2024/2024-07-03-missing.md",
        "---\ntitle: Missing fields\n---\n",
    );
    let out = book.cmd(&["check", "--format", "github"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("::error file=content/2024/2024-07-03-missing.md,line=1,col=1,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("title=IB0103::the front matter has no `date`"),
        "{stdout}"
    );
}

#[test]
fn bad_files_are_reported_and_the_rest_still_checked() {
    let book = Book::from_fixture("basic");
    std::fs::write(
        book.root().join("content/2024/latin1.md"),
        b"---\ntitle: Caf\xe9\n---\n",
    )
    .unwrap();
    std::fs::write(
        book.root().join("content/2024/binary.md"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .unwrap();
    std::fs::write(
        book.root().join("content/2024/yaml.md"),
        "---\ntitle: A\ndate: 2024-01-01\nservices: [a, b\n---\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "does-not-exist.md",
        book.root().join("content/2024/dangling.md"),
    )
    .unwrap();
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diags: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let find = |file: &str| {
        diags
            .iter()
            .find(|d| d["file"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no diagnostic for {file}: {diags:?}"))
    };
    assert_eq!(find("latin1.md")["code"], "IB0002");
    assert_eq!(find("latin1.md")["line"], 2);
    assert_eq!(find("binary.md")["code"], "IB0002");
    assert_eq!(find("yaml.md")["code"], "IB0102");
    assert!(find("yaml.md")["line"].as_u64().unwrap() >= 4);
    assert_eq!(find("dangling.md")["code"], "IB0003");
    // The good files were still read: no diagnostics about them.
    assert!(!diags.iter().any(|d| {
        d["file"]
            .as_str()
            .unwrap()
            .contains("orders-migration-lock")
    }));
}

#[test]
fn explain_prints_the_long_form_of_a_code() {
    let book = empty_book();
    book.cmd(&["explain", "ib0101"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "IB0101: front matter is never closed",
        ));
    book.cmd(&["explain"])
        .assert()
        .success()
        .stdout(predicate::str::contains("IB0401"));
    book.cmd(&["explain", "IB9999"]).assert().code(2);
    for (code, words) in [
        ("IB0110", "Rename the file"),
        (
            "IB0111",
            "four digits for the\nyear, two for the month and two for the day",
        ),
    ] {
        book.cmd(&["explain", code])
            .assert()
            .success()
            .stdout(predicate::str::contains(words));
    }
}

#[test]
fn crlf_and_byte_order_mark_are_fine() {
    let book = Book::from_fixture("basic");
    let text = format!(
        "\u{feff}{}",
        post_mortem("Windows file", "2024-08-01", "").replace('\n', "\r\n")
    );
    book.write("content/2024/2024-08-01-windows.md", &text);
    let site = book.build();
    assert!(
        site.page("incidents/2024-08-01-windows.html")
            .contains("<h1 id=\"incident-title\">Windows file</h1>")
    );
}

#[test]
fn exit_codes_tell_the_content_the_usage_and_the_machine_apart() {
    // 2: the configuration is wrong, nothing was tried.
    let book = Book::from_fixture("basic");
    book.write(
        "book.toml",
        "[book]\ntitle = \"t\"\n\n[build]\ncontent-dir = \"missing\"\n",
    );
    book.cmd(&["build"]).assert().code(2).stderr(
        predicate::str::contains("content folder").and(predicate::str::contains("does not exist")),
    );
    book.write(
        "book.toml",
        "[book]\ntitle = \"t\"\n\n[build]\nignore = [\"drafts/[\"]\n",
    );
    book.cmd(&["check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ignore pattern `drafts/[`"));
    // 3: the machine failed the command (here, the port is taken).
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let book = Book::from_fixture("basic");
    book.cmd(&["serve", "-p", &port])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("cannot listen on 127.0.0.1:"));
}

#[test]
fn every_diagnostic_code_is_in_the_reference() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"),
    )
    .unwrap();
    for code in incidentbook::diagnostics::Code::ALL {
        let row = format!(
            "| {} | {} | {} |",
            code.as_str(),
            code.default_severity().label(),
            code.summary()
        );
        assert!(
            doc.contains(&row),
            "docs/diagnostics.md lacks the row {row}"
        );
    }
}
