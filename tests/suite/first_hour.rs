//! The quick start as a newcomer walks it (README: init, new, fill in, check, build),
//! on a temporary folder, with the messages each step must give.

use crate::common::Book;

fn findings(book: &Book, code: &str) -> Vec<(String, usize, String)> {
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap() as usize,
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The line (1-based) of the first line of `text` that starts with `start`.
fn line_of(text: &str, start: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starts with {start:?}"))
        + 1
}

/// A new book (`init`) with a new post-mortem (`new ARGS…`): the book, the file's
/// path as `new` printed it, the file and its text.
fn book_with_new(args: &[&str]) -> (Book, String, std::path::PathBuf, String) {
    let book = Book {
        dir: std::sync::Arc::new(tempfile::tempdir().unwrap()),
    };
    book.cmd(&["init"]).assert().success();
    let out = book.cmd(&[&["new"], args].concat()).output().unwrap();
    assert!(out.status.success());
    let path = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let file = book.root().join(&path);
    let template = std::fs::read_to_string(&file).unwrap();
    (book, path, file, template)
}

#[test]
fn the_quick_start_flags_every_sample_left_in_until_it_is_filled_in() {
    // Written up days after the incident: `--date` names the file after the incident.
    let (book, path, file, template) =
        book_with_new(&["--date", "2023-11-05", "Login cache stampede"]);
    assert!(
        path.ends_with("content/2023/2023-11-05-login-cache-stampede.md"),
        "{path}"
    );
    assert!(template.contains("\ndate: 2023-11-05\n"));

    // Unedited: each sample is a warning on its own line, and check still passes.
    let expected: Vec<usize> = [
        "services:",
        "teams:",
        "summary:",
        "started:",
        "detected:",
        "mitigated:",
        "resolved:",
        "- **00:00** What happened first.",
        "- **00:05** What responders saw",
    ]
    .iter()
    .map(|start| line_of(&template, start))
    .collect();
    let found = findings(&book, "IB0112");
    assert_eq!(
        found.iter().map(|f| f.1).collect::<Vec<_>>(),
        expected,
        "{found:#?}"
    );
    assert!(found.iter().all(|f| f.0 == "warning"), "{found:#?}");
    book.cmd(&["check"]).assert().success();

    // Marked final with the samples in: the same findings are errors, and check fails.
    let final_ = template.replace("status: draft ", "status: final ");
    std::fs::write(&file, &final_).unwrap();
    let found = findings(&book, "IB0112");
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    assert!(found.iter().all(|f| f.0 == "error"), "{found:#?}");
    book.cmd(&["check"]).assert().code(1);
    book.cmd(&["build"]).assert().code(1);

    // Filled in: no sample is reported, and the site is built.
    let filled = final_
        .replace("[example-service]", "[login-api]")
        .replace("[example-team]", "[identity-team]")
        .replace(
            "One or two sentences a reader skimming the archive needs: what customers saw, for\n  how long, and what stopped it.",
            "Logins failed for 14 minutes after a cache flush sent every request to the database.",
        )
        .replace("T00:00:00Z\ndetected", "T09:02:00Z\ndetected")
        .replace("detected: ", "detected: X")
        .replace("mitigated: ", "mitigated: Y")
        .replace("resolved: ", "resolved: Z");
    let date = "2023-11-05";
    let filled = filled
        .replace(&format!("X{date}T00:00:00Z"), &format!("{date}T09:05:00Z"))
        .replace(&format!("Y{date}T00:00:00Z"), &format!("{date}T09:16:00Z"))
        .replace(&format!("Z{date}T00:00:00Z"), &format!("{date}T09:40:00Z"))
        .replace(
            "- **00:00** What happened first.",
            "- **09:02** A deploy flushed the session cache.",
        )
        .replace(
            "- **00:05** What responders saw, and what they did.",
            "- **09:05** The login error-rate alert fired.",
        );
    std::fs::write(&file, &filled).unwrap();
    assert_eq!(findings(&book, "IB0112"), Vec::new());
    assert_eq!(findings(&book, "IB0110"), Vec::new());
    book.cmd(&["build"]).assert().success();

    // The date corrected in the front matter but not in the file's name: said at `date:`.
    let moved = filled.replace("\ndate: 2023-11-05\n", "\ndate: 2023-11-04\n");
    std::fs::write(&file, &moved).unwrap();
    let found = findings(&book, "IB0110");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].1, line_of(&moved, "date:"), "{found:#?}");
    assert!(book.site().exists(&format!(
        "incidents/{}.html",
        path.rsplit('/').next().unwrap().trim_end_matches(".md")
    )));
}

/// Each common slip of a first post-mortem is reported at the token to fix, in plain
/// words, with help that fits it.
#[test]
fn mistakes_point_at_the_offending_token_with_help_that_fits() {
    let (book, _, file, template) = book_with_new(&["Queue backlog"]);
    let json = |book: &Book| -> Vec<serde_json::Value> {
        let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let one = |all: &[serde_json::Value], code: &str| -> serde_json::Value {
        let found: Vec<_> = all.iter().filter(|d| d["code"] == code).collect();
        assert_eq!(found.len(), 1, "{code}: {all:#?}");
        found[0].clone()
    };
    let at = |d: &serde_json::Value| {
        (
            d["line"].as_u64().unwrap() as usize,
            d["column"].as_u64().unwrap() as usize,
            d["end_column"].as_u64().unwrap() as usize,
        )
    };

    // A tab indenting a list entry: the tab itself, and no talk of quoting.
    let tabbed = template.replace("teams: [example-team]", "teams:\n\t- identity-team");
    std::fs::write(&file, &tabbed).unwrap();
    let d = one(&json(&book), "IB0102");
    assert_eq!(
        at(&d),
        (line_of(&tabbed, "\t- identity-team"), 1, 2),
        "{d:#}"
    );
    assert!(d["message"].as_str().unwrap().contains("tab"), "{d:#}");
    assert!(!d["help"].as_str().unwrap().contains("quote"), "{d:#}");

    // A colon in a title: the fix, quoted, is in the help.
    let colon = template.replace("title: \"Queue backlog\"", "title: Queue backlog: orders");
    std::fs::write(&file, &colon).unwrap();
    let d = one(&json(&book), "IB0102");
    assert_eq!(d["line"], 2, "{d:#}");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("`title: \"Queue backlog: orders\"`"),
        "{d:#}"
    );

    // A misspelt factor: the entry is underlined, not `contributing_factors:`.
    let factor = template.replace(
        "contributing_factors: []",
        "contributing_factors:\n  - untested-migrations\n  - untested-migratons",
    );
    std::fs::write(&file, &factor).unwrap();
    let d = one(&json(&book), "IB0402");
    let line = line_of(&factor, "  - untested-migratons");
    assert_eq!(at(&d), (line, 5, 5 + "untested-migratons".len()), "{d:#}");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("`untested-migrations`")
    );

    // A section heading one level too deep: a warning with the heading to write.
    let deep = template.replace("## Timeline", "### Timeline");
    std::fs::write(&file, &deep).unwrap();
    let d = one(&json(&book), "IB0206");
    assert_eq!(
        d["line"].as_u64().unwrap() as usize,
        line_of(&deep, "### Timeline")
    );
    assert!(
        d["help"].as_str().unwrap().contains("`## Timeline`"),
        "{d:#}"
    );
}
