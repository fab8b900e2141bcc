//! `incidentbook check`: one test per rule and per kind of bad input, each asserting
//! the code, the file and the line (fixtures in tests/fixtures/check-cases and
//! tests/fixtures/bad-input).

use crate::common;

use common::Book;
use serde_json::Value;

/// Runs `check --format json` and returns (exit code, diagnostics).
fn check(book: &Book, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let out = book.cmd(&args).output().unwrap();
    let diags: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), diags)
}

/// The diagnostics of one file, as (code, line) pairs.
fn of(diags: &[Value], file: &str) -> Vec<(String, u64)> {
    diags
        .iter()
        .filter(|d| d["file"].as_str().unwrap() == format!("content/{file}"))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn pair(code: &str, line: u64) -> (String, u64) {
    (code.to_owned(), line)
}

#[test]
fn every_rule_fires_on_its_fixture_at_its_line() {
    let book = Book::from_fixture("check-cases");
    let (code, diags) = check(&book, &[]);
    assert_eq!(code, 1);
    let expect: &[(&str, &[(&str, u64)])] = &[
        ("valid.md", &[]),
        ("sections-missing.md", &[("IB0201", 1)]),
        ("sections-empty.md", &[("IB0202", 20)]),
        ("sections-duplicate.md", &[("IB0203", 32)]),
        ("sections-order.md", &[("IB0204", 20)]),
        ("sections-typo.md", &[("IB0205", 16)]),
        ("sections-alias.md", &[]),
        ("fm-missing.md", &[("IB0103", 1)]),
        ("fm-severity.md", &[("IB0105", 4)]),
        ("fm-status.md", &[("IB0105", 5)]),
        ("fm-types.md", &[("IB0104", 9), ("IB0104", 10)]),
        ("fm-unknown.md", &[("IB0107", 9)]),
        ("fm-timestamps.md", &[("IB0108", 9)]),
        ("fm-final-todo.md", &[("IB0604", 5), ("IB0109", 30)]),
        ("2024-05-02-fm-date-name.md", &[("IB0110", 3)]),
        ("fm-date-loose.md", &[("IB0111", 3)]),
        ("slug-a.md", &[]),
        ("slug-b.md", &[("IB0106", 1)]),
        ("timeline-no-time.md", &[("IB0501", 14)]),
        ("timeline-order.md", &[("IB0502", 14)]),
        ("timeline-window.md", &[("IB0503", 15)]),
        ("timeline-midnight.md", &[]),
        ("timeline-zone.md", &[]),
        ("timeline-named-zone.md", &[]),
    ];
    for (file, expected) in expect {
        let expected: Vec<_> = expected.iter().map(|(c, l)| pair(c, *l)).collect();
        assert_eq!(of(&diags, file), expected, "diagnostics of {file}");
    }
    let total: usize = expect.iter().map(|(_, e)| e.len()).sum();
    assert_eq!(diags.len(), total, "unexpected diagnostics: {diags:#?}");
}

#[test]
fn near_misses_get_a_suggestion() {
    let book = Book::from_fixture("check-cases");
    let (_, diags) = check(&book, &[]);
    let help = |file: &str| {
        diags
            .iter()
            .find(|d| d["file"].as_str().unwrap().ends_with(file))
            .and_then(|d| d["help"].as_str())
            .unwrap()
            .to_owned()
    };
    assert!(help("fm-status.md").contains("did you mean `final`?"));
    assert!(help("fm-unknown.md").contains("did you mean `severity`?"));
    assert!(help("sections-typo.md").contains("did you mean `Contributing Factors`?"));
}

#[test]
fn dates_say_how_to_fix_them() {
    let book = Book::from_fixture("check-cases");
    let (_, diags) = check(&book, &[]);
    let find = |file: &str| {
        diags
            .iter()
            .find(|d| d["file"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no diagnostic on {file}"))
    };
    let named = find("2024-05-02-fm-date-name.md");
    assert_eq!(named["severity"], "warning");
    assert_eq!(
        named["message"],
        "the file's name starts with 2024-05-02, but `date` is 2024-05-01"
    );
    let help = named["help"].as_str().unwrap();
    assert!(
        help.contains("rename the file to `2024-05-01-fm-date-name.md`")
            && help.contains("write `date: 2024-05-02`"),
        "{help}"
    );
    let loose = find("fm-date-loose.md");
    assert_eq!(loose["severity"], "warning");
    assert!(loose["message"].as_str().unwrap().contains("`2024-5-1`"));
    assert!(
        loose["help"]
            .as_str()
            .unwrap()
            .contains("write `date: 2024-05-01`"),
        "{loose}"
    );
}

#[test]
fn a_loose_date_is_read_as_the_day_it_names() {
    let book = Book::from_fixture("basic");
    let text = common::post_mortem(
        "Loose",
        "2024-6-3",
        "action_items:\n  - id: AI-LOOSE-1\n    title: Add an alert\n    owner: team\n    due: 2024-7-1\n    closed: 2024-07-02\n",
    );
    book.write("content/2024-06-03-loose.md", &text);
    let (_, diags) = check(&book, &[]);
    let mine: Vec<_> = diags
        .iter()
        .filter(|d| d["file"] == "content/2024-06-03-loose.md")
        .filter(|d| d["code"] == "IB0111")
        .collect();
    // The date line, then the action item's due date (at `action_items:`); the
    // file's name agrees with the date as read, so IB0110 says nothing.
    let lines: Vec<_> = mine.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3, 7], "{mine:#?}");
    assert!(mine[1]["message"].as_str().unwrap().contains("AI-LOOSE-1"));
    assert!(
        mine[1]["help"]
            .as_str()
            .unwrap()
            .contains("`due: 2024-07-01`")
    );
    assert!(!diags.iter().any(|d| d["code"] == "IB0110"), "{diags:#?}");
    // And the site dates it 3 June.
    let site = book.build();
    assert!(
        site.page("incidents/2024-06-03-loose.html")
            .contains("<time>2024-06-03</time>")
    );
}

#[test]
fn bad_input_is_reported_and_never_hides_the_rest() {
    let book = Book::from_fixture("bad-input");
    // Cases that cannot be committed: a 50 MB file and an unreadable one.
    let mut big = common::post_mortem("Big", "2024-05-01", "");
    let line = "- **10:00** A very long timeline, written by a tool that logged every event.\n";
    let insert_at = big.find("- **10:00** The alert fired.").unwrap();
    let mut filler = String::with_capacity(50 * 1024 * 1024);
    while filler.len() < 50 * 1024 * 1024 {
        filler.push_str(line);
    }
    big.insert_str(insert_at, &filler);
    book.write("content/big.md", &big);
    // A link to a file outside the book (here a process's own memory, which cannot
    // be read at offset 0 either) is not followed.
    std::os::unix::fs::symlink("/proc/self/mem", book.root().join("content/unreadable.md"))
        .unwrap();

    let (code, diags) = check(&book, &[]);
    assert_eq!(code, 1);
    let codes =
        |file: &str| -> Vec<String> { of(&diags, file).into_iter().map(|(c, _)| c).collect() };
    assert_eq!(of(&diags, "invalid-utf8.md"), vec![pair("IB0002", 13)]);
    assert_eq!(of(&diags, "binary.md"), vec![pair("IB0002", 1)]);
    assert_eq!(of(&diags, "unclosed.md"), vec![pair("IB0101", 1)]);
    assert_eq!(of(&diags, "yaml-error.md"), vec![pair("IB0102", 5)]);
    assert_eq!(of(&diags, "deep-yaml.md"), vec![pair("IB0102", 2)]);
    assert_eq!(of(&diags, "front-matter-list.md"), vec![pair("IB0102", 2)]);
    assert_eq!(of(&diags, "empty.md"), vec![pair("IB0004", 1)]);
    assert_eq!(of(&diags, "whitespace.md"), vec![pair("IB0004", 1)]);
    assert_eq!(
        of(&diags, "wrong-types.md"),
        vec![
            pair("IB0104", 2),
            pair("IB0104", 3),
            pair("IB0104", 6),
            pair("IB0104", 7)
        ]
    );
    assert_eq!(codes("unreadable.md"), vec!["IB0006"]);
    // Over [build] max-file-size (16 MiB in this book), a file is not read.
    assert_eq!(codes("big.md"), vec!["IB0007"]);
    // Valid files among the bad ones, a BOM with CRLF endings and 9 MB of deep lists
    // are all fine.
    for fine in ["valid.md", "bom-crlf.md", "deep-lists.md"] {
        assert_eq!(of(&diags, fine), vec![], "{fine}");
    }
}

#[test]
fn example_content_prints_only_the_summary() {
    let book = Book::example();
    let out = book.cmd(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("0 errors, 0 warnings in 0 of "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty());
    // check renders nothing.
    assert!(!book.root().join("book").exists());
}

#[test]
fn deny_warnings_and_configured_levels_decide_the_exit_code() {
    let book = Book::from_fixture("check-cases");
    for file in std::fs::read_dir(book.root().join("content")).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !matches!(name.as_str(), "valid.md" | "sections-empty.md") {
            std::fs::remove_file(path).unwrap();
        }
    }
    // A warning alone passes, unless warnings are denied.
    assert_eq!(check(&book, &[]).0, 0);
    assert_eq!(check(&book, &["--deny", "warnings"]).0, 1);
    // A configured level turns the warning into an error, or silences it.
    book.write("book.toml", "[validation.levels]\nIB0202 = \"deny\"\n");
    let (code, diags) = check(&book, &[]);
    assert_eq!((code, diags[0]["severity"].as_str()), (1, Some("error")));
    book.write("book.toml", "[validation.levels]\nIB0202 = \"allow\"\n");
    assert_eq!(check(&book, &["--deny", "warnings"]), (0, vec![]));
}

#[test]
fn sections_are_configurable() {
    let book = Book::from_fixture("check-cases");
    book.write(
        "book.toml",
        "[validation]\nsection-order = false\n\n[[validation.sections]]\nname = \"Timeline\"\n\n[[validation.sections]]\nname = \"Contributing Factors\"\n\n[[validation.sections]]\nname = \"What Went Well\"\nrequired = false\n",
    );
    let (_, diags) = check(&book, &[]);
    assert_eq!(of(&diags, "sections-missing.md"), vec![]);
    assert_eq!(of(&diags, "sections-order.md"), vec![]);
}

#[test]
fn build_refuses_to_publish_a_book_with_errors() {
    let book = Book::from_fixture("check-cases");
    let out = book.cmd(&["build"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!book.root().join("book").exists());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[IB0201]") && stderr.contains("the site was not built"),
        "{stderr}"
    );
}
