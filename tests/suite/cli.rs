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

/// The text of `incidentbook ARGS` on standard output.
fn stdout_of(args: &[&str]) -> String {
    let out = empty_book().cmd(args).output().unwrap();
    assert!(out.status.success(), "incidentbook {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The entries of a help text's lists (commands, arguments, options), each with the
/// description clap printed for it: on its line (short help) or the lines below it
/// (long help), without the `[default: …]` and possible values clap adds by itself.
fn help_entries(help: &str) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut in_list = false;
    for line in help.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            // A heading: `Commands:`, `Arguments:`, `Options:`, `Global Options:`; the
            // closing text's `Examples:` is not a list of entries.
            in_list = ["Commands:", "Arguments:"].contains(&line) || line.ends_with("Options:");
            continue;
        }
        if !in_list {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let text = line.trim();
        // An entry starts at two spaces, or at six for a long option beside short ones;
        // its description's lines, when not on its own, are further in.
        if indent == 2 || (indent == 6 && text.starts_with("--")) {
            let (name, rest) = text.split_once("  ").unwrap_or((text, ""));
            entries.push((name.to_owned(), rest.trim().to_owned()));
        } else if let Some((_, description)) = entries.last_mut() {
            description.push(' ');
            description.push_str(text);
        }
    }
    entries
        .into_iter()
        .map(|(name, d)| (name, without_clap_s_notes(&d)))
        .collect()
}

/// A description without `[default: …]`, `[possible values: …]` and the long help's
/// `Possible values:` list, which clap writes for any argument.
fn without_clap_s_notes(description: &str) -> String {
    let mut text = description
        .split("Possible values:")
        .next()
        .unwrap_or_default()
        .to_owned();
    for bracket in ["[default: ", "[possible values: "] {
        while let Some(start) = text.find(bracket) {
            let end = text[start..]
                .find(']')
                .map_or(text.len(), |e| start + e + 1);
            text.replace_range(start..end, "");
        }
    }
    text.trim().to_owned()
}

/// The commands `incidentbook --help` lists (but `help`).
fn commands() -> Vec<String> {
    help_entries(&stdout_of(&["--help"]))
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !name.starts_with('-') && !name.starts_with('<') && name != "help")
        .collect()
}

#[test]
fn every_argument_and_option_of_every_command_is_described() {
    let commands = commands();
    for expected in ["build", "check", "search", "new", "completions", "man"] {
        assert!(commands.iter().any(|c| c == expected), "{commands:?}");
    }
    let mut undescribed = Vec::new();
    let mut seen = 0;
    for command in std::iter::once(None).chain(commands.iter().map(Some)) {
        for flag in ["-h", "--help"] {
            let args: Vec<&str> = command
                .map(String::as_str)
                .into_iter()
                .chain([flag])
                .collect();
            let help = stdout_of(&args);
            for (name, description) in help_entries(&help) {
                seen += 1;
                if description.is_empty() {
                    undescribed.push(format!("incidentbook {}: {name}", args.join(" ")));
                }
            }
        }
    }
    // The parser itself: it sees the entries, and an entry without a description.
    assert!(seen > 100, "only {seen} entries read");
    assert_eq!(
        help_entries(
            "Arguments:\n  [DIR]  [default: .]\n\nOptions:\n      --limit <N>\n          [default: 10]\n  -h, --help  Print help\n"
        ),
        [
            ("[DIR]".to_owned(), String::new()),
            ("--limit <N>".to_owned(), String::new()),
            ("-h, --help".to_owned(), "Print help".to_owned())
        ]
    );
    assert!(
        undescribed.is_empty(),
        "no description:\n{}",
        undescribed.join("\n")
    );
}

#[test]
fn global_options_are_listed_once_under_their_own_heading() {
    for command in commands() {
        let help = stdout_of(&[&command, "--help"]);
        let (own, global) = help
            .split_once("\nGlobal Options:\n")
            .unwrap_or_else(|| panic!("{command} --help has no Global Options:\n{help}"));
        for option in ["--profile", "--quiet", "--verbose"] {
            assert!(
                !own.contains(option),
                "{command} lists {option} with its own options"
            );
            assert_eq!(global.matches(option).count(), 1, "{command}: {option}");
        }
    }
}

#[test]
fn every_command_s_long_help_has_examples() {
    for command in commands() {
        let help = stdout_of(&[&command, "--help"]);
        let examples = help
            .split_once("\nExamples:\n")
            .map(|(_, e)| e)
            .unwrap_or_else(|| panic!("{command} --help has no examples:\n{help}"));
        assert!(
            examples
                .lines()
                .next()
                .unwrap()
                .trim_start()
                .starts_with(&format!("incidentbook {command}")),
            "{command}: {examples}"
        );
    }
    let search = stdout_of(&["search", "--help"]);
    assert!(search.contains(r#"Words, "a phrase""#), "{search}");
    assert!(!search.contains('\\'), "{search}");
}

#[test]
fn completions_name_every_command() {
    let script = stdout_of(&["completions", "bash"]);
    assert!(script.contains("complete -F _incidentbook"), "{script}");
    for command in commands() {
        assert!(
            script.contains(&format!("incidentbook,{command})")),
            "{command}"
        );
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(
            script.contains("search") && script.contains("since"),
            "{shell}"
        );
    }
    empty_book()
        .cmd(&["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("possible values"));
}

#[test]
fn the_manual_page_is_roff_naming_every_command() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH incidentbook 1"), "{page}");
    assert!(page.contains("\n.SH SYNOPSIS\n") && page.contains("\n.SH \"GLOBAL OPTIONS\"\n"));
    for command in commands() {
        assert!(
            page.contains(&format!("incidentbook\\-{command}(1)")),
            "{command}"
        );
    }
    // Examples keep their lines; the preamble is there once.
    assert!(page.contains(".SH EXAMPLES\n.nf\nincidentbook init my\\-postmortems\n"));
    assert_eq!(page.matches(".ds Aq").count(), 2, "{page}");
    // One page per command in a folder.
    let book = empty_book();
    book.cmd(&["man", "--out-dir", "man1"])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote 11 manual pages"));
    for command in commands() {
        let page =
            std::fs::read_to_string(book.root().join(format!("man1/incidentbook-{command}.1")))
                .unwrap();
        assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{command}");
        assert!(
            page.contains(&format!(".TH incidentbook-{command} 1")),
            "{command}"
        );
        assert!(page.contains(".SH EXAMPLES"), "{command}");
    }
}
