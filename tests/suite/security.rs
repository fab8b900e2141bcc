//! A post-mortem can never run script on the published site, read outside the book, or
//! take the tool down: one test per attack of SECURITY.md, each on a real build with
//! the real binary. The hostile fixture holds the script attacks; the rest are written
//! here (symbolic links, sizes and bombs cannot be committed as they are).

use crate::common;

use std::time::Duration;

use common::{Book, post_mortem};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every page of the built site, as text, with its path (the theme's own scripts
/// under static/ are ours and left out).
fn pages(book: &Book) -> Vec<(String, String)> {
    let site = book.site();
    site.files()
        .into_iter()
        .filter(|f| !f.starts_with("static/") && !f.starts_with("search/"))
        .map(|f| {
            let text =
                String::from_utf8_lossy(&std::fs::read(book.root().join("book").join(&f)).unwrap())
                    .into_owned();
            (f, text)
        })
        .collect()
}

#[test]
fn no_page_of_the_hostile_book_carries_script() {
    let book = Book::from_fixture("hostile");
    book.build();
    let files = book.site().files();
    for refused in ["evil.html", "evil.svg", "evil.xhtml", "unlinked.sql"] {
        assert!(
            !files.iter().any(|f| f.ends_with(refused)),
            "{refused} was published"
        );
    }
    assert!(files.contains("media/2024/safe.svg"));
    assert!(
        files.contains("media/2024/notes.sql"),
        "a linked file is published"
    );
    for (path, text) in pages(&book) {
        let lower = text.to_ascii_lowercase();
        for bad in [
            "__pwned",
            "javascript:",
            "vbscript:",
            "onfocus",
            "onerror",
            "onmouseover",
            "data:text/html",
        ] {
            assert!(!lower.contains(bad), "{path} holds {bad}");
        }
    }
}

#[test]
fn refused_files_are_named_with_the_reason() {
    let book = Book::from_fixture("hostile");
    let out = book.cmd(&["check"]).output().unwrap();
    let err = stderr(&out);
    assert!(err.contains("evil.html"), "{err}");
    assert!(err.contains("has an event handler `onload`"), "{err}");
    assert!(err.contains("IB0005"), "{err}");
    // A link to a refused file says so, rather than that the file does not exist.
    for refused in ["evil.html", "evil.svg", "evil.xhtml"] {
        assert!(
            err.contains(&format!(
                "link to a file that is not published: `{refused}`"
            )),
            "{refused}: {err}"
        );
    }
    assert!(
        !err.contains("link to a file that does not exist: `evil"),
        "{err}"
    );
    assert!(
        err.contains("a link with a scheme that is not allowed: `java\\tscript:"),
        "{err}"
    );
}

#[test]
fn symbolic_links_out_of_the_book_are_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        post_mortem("SECRET-MARKER", "2024-05-02", ""),
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.png"), b"SECRET-MARKER").unwrap();
    let book = Book::from_fixture("basic");
    let content = book.root().join("content");
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        content.join("2024/leak.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.png"),
        content.join("2024/leak.png"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), content.join("outside")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", content.join("passwd.txt")).unwrap();
    // A link that stays inside the book is fine.
    std::os::unix::fs::symlink(
        content.join("2024/lock.svg"),
        content.join("2024/again.svg"),
    )
    .unwrap();

    let out = book.cmd(&["build"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for name in ["leak.md", "leak.png", "outside", "passwd.txt"] {
        assert!(err.contains(name), "{name} not reported:\n{err}");
    }
    assert_eq!(err.matches("IB0006").count(), 4, "{err}");

    // With the links gone the book builds, and nothing of outside is anywhere.
    for name in ["2024/leak.md", "2024/leak.png", "outside", "passwd.txt"] {
        std::fs::remove_file(content.join(name)).unwrap();
    }
    book.build();
    for (path, text) in pages(&book) {
        assert!(
            !text.contains("SECRET-MARKER") && !text.contains("root:x:0"),
            "{path}"
        );
    }
    assert!(book.site().files().contains("media/2024/again.svg"));
}

#[test]
fn a_changed_build_cache_is_not_published() {
    let book = Book::from_fixture("basic");
    book.build();
    let store = book.root().join(".incidentbook/build/parses.bin");
    let bytes = std::fs::read(&store).unwrap();
    let title = b"Orders database locked";
    let at = bytes
        .windows(title.len())
        .position(|w| w == title)
        .expect("the title is stored");
    let mut changed = bytes.clone();
    changed[at..at + title.len()].copy_from_slice(b"<script>alert(1)</scri");
    std::fs::write(&store, changed).unwrap();
    book.build();
    let page = book
        .site()
        .page("incidents/2024-03-12-orders-migration-lock.html");
    assert!(page.contains("Orders database locked"), "{page}");
    assert!(!page.contains("<script>alert(1)"));
}

/// The check of `text` as a post-mortem: exit code and stderr, within a time limit.
fn check_one(text: &str) -> (Option<i32>, String) {
    let book = Book::from_fixture("basic");
    book.write("content/2024/2024-05-03-attack.md", text);
    let out = book
        .cmd(&["check"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (out.status.code(), stderr(&out))
}

#[test]
fn a_yaml_alias_bomb_is_refused_at_once() {
    let mut matter =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            .to_owned();
    for (n, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        matter.push_str(&format!("{n}: &{n} [{refs}]\n"));
    }
    let (code, err) = check_one(&format!("---\ntitle: Bomb\n{matter}---\n"));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("IB0102") && err.contains("aliases expand"),
        "{err}"
    );
}

#[test]
fn deeply_nested_front_matter_is_an_error_not_a_crash() {
    let nested: String = (0..300).map(|i| format!("{}- \n", " ".repeat(i))).collect();
    let (code, err) = check_one(&format!("---\ntitle: Deep\nx:\n{nested}---\n"));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("nest more than"), "{err}");
}

#[test]
fn deeply_nested_html_is_shown_as_text_at_once() {
    // Nested 100,000 deep, sanitizing took minutes (html5ever's tree builder is
    // quadratic in depth); within the limit, the same HTML is sanitized as usual.
    let book = Book::from_fixture("basic");
    let mut text = post_mortem("Deep", "2024-05-02", "");
    text.push_str("\n<div class=\"shallow\"><b>kept</b></div>\n\n");
    text.push_str(&"<div>\n".repeat(100_000));
    book.write("content/2024/2024-05-02-deep.md", &text);
    let out = book
        .cmd(&["build"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("IB0010") && err.contains("more than 256 deep"),
        "{err}"
    );
    let page = book.site().page("incidents/2024-05-02-deep.html");
    assert!(page.contains("&lt;div&gt;"), "the deep HTML is text");
    assert!(
        !page.contains("<div class=\"shallow\">"),
        "the section's raw HTML is all text"
    );
    let shallow = Book::from_fixture("basic");
    let mut text = post_mortem("Shallow", "2024-05-02", "");
    text.push_str(&"<div>".repeat(200));
    shallow.write("content/2024/2024-05-02-shallow.md", &text);
    let out = shallow.cmd(&["build"]).output().unwrap();
    assert!(!stderr(&out).contains("IB0010"), "{}", stderr(&out));
    let page = shallow.site().page("incidents/2024-05-02-shallow.html");
    assert!(page.contains("<div><div>") && !page.contains("&lt;div&gt;"));
}

#[test]
fn values_without_meaning_are_errors() {
    let text = "---\ntitle: null\ndate: ~\nseverity: .nan\nstatus: draft\nservices: null\nstarted: 0001-01-01T00:00:00Z\n---\n## Timeline\n";
    let (code, err) = check_one(text);
    assert_eq!(code, Some(1), "{err}");
    // `.nan` is no number JSON can hold: it reads as 0.0, no severity of the book.
    assert!(err.contains("is not an allowed severity"), "{err}");
    for key in ["`title`", "`date`", "`services`"] {
        assert!(
            err.contains(&format!("{key} is written but has no value")),
            "{key}: {err}"
        );
    }
    assert!(err.contains("`started` is outside the years"), "{err}");
    let (code, err) = check_one(&post_mortem("Far", "9999-12-31", ""));
    assert_eq!(code, Some(1));
    assert!(
        err.contains("`date` is outside the years 1970-2199"),
        "{err}"
    );
}

#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let book = Book::from_fixture("basic");
    let mut big = post_mortem("Big", "2024-05-01", "");
    big.push_str(&"x".repeat(5 << 20));
    book.write("content/2024/2024-05-01-big.md", &big);
    let out = book.cmd(&["check"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("IB0007") && err.contains("max-file-size"),
        "{err}"
    );
}

#[test]
fn two_sources_never_share_an_address() {
    let book = Book::from_fixture("basic");
    book.write(
        "content/2024/a.md",
        &post_mortem("Index slug", "2024-05-01", "slug: index\n"),
    );
    book.write(
        "content/2024/b.md",
        &post_mortem("Service index", "2024-05-02", "")
            .replace("services: [x]", "services: [index]"),
    );
    book.write(
        "content/2024/c.md",
        &post_mortem("C++", "2024-05-03", "tags: [C++]\n"),
    );
    book.write(
        "content/2024/d.md",
        &post_mortem("C", "2024-05-04", "tags: [C]\n"),
    );
    book.write(
        "content/factors/index.md",
        "---\ntitle: Index\n---\nA factor.\n",
    );
    book.write("content/2024/Diagram.png", "one");
    book.write("content/2024/diagram.png", "two");
    let out = book.cmd(&["build"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("the slug `index` would publish"), "{err}");
    assert!(
        err.contains("the service `index` would be published at services/index.html"),
        "{err}"
    );
    assert!(
        err.contains("the tag `C` and the tag `C++`")
            || err.contains("the tag `C++` and the tag `C`"),
        "{err}"
    );
    assert!(
        err.contains("the factor `index` would be published"),
        "{err}"
    );
    assert!(err.contains("differ only in letter case"), "{err}");
    assert!(!book.root().join("book").exists(), "nothing was published");
}

#[test]
fn names_that_differ_in_case_or_separators_are_one_term() {
    let book = Book::from_fixture("basic");
    let with = |title: &str, date: &str, services: &str| {
        post_mortem(title, date, "").replace("services: [x]", &format!("services: [{services}]"))
    };
    book.write(
        "content/2024/a.md",
        &with("One", "2024-05-01", "Checkout, api gateway"),
    );
    book.write(
        "content/2024/b.md",
        &with("Two", "2024-05-02", "checkout, api-gateway"),
    );
    book.write(
        "content/2024/c.md",
        &with("Three", "2024-05-03", "checkout"),
    );
    let site = book.build();
    let list = site.page("services/index.html");
    assert!(list.contains(">checkout<"), "{list}");
    assert!(!list.contains(">Checkout<"), "{list}");
    let page = site.page("services/checkout.html");
    for title in ["One", "Two", "Three"] {
        assert!(
            page.contains(title),
            "{title} missing from the checkout page"
        );
    }
    assert!(site.page("services/api-gateway.html").contains("One"));
}

#[test]
fn control_characters_reach_no_terminal_log_or_feed() {
    let book = Book::from_fixture("basic");
    book.write(
        "book.toml",
        &std::fs::read_to_string(book.root().join("book.toml"))
            .unwrap()
            .replace("[book]", "[book]\nbase-url = \"https://pm.example.com\""),
    );
    let text = post_mortem("Esc\u{1b}[31mRED\u{7}", "2024-05-01", "").replace(
        "## Timeline",
        "## Timeline\n\n::error file=x::injected\u{1b}]0;title\u{7}",
    );
    book.write("content/2024/2024-05-01-esc.md", &text);
    for format in ["human", "github", "json"] {
        let out = book.cmd(&["check", "--format", format]).output().unwrap();
        let all = [out.stdout, out.stderr].concat();
        assert!(!all.contains(&0x1b) && !all.contains(&0x07), "{format}");
        if format == "github" {
            let stdout = String::from_utf8_lossy(&all);
            assert!(
                stdout.lines().all(|l| !l.starts_with("::error file=x")),
                "{stdout}"
            );
        }
    }
    book.build();
    let feed = std::fs::read(book.root().join("book/feed.xml")).unwrap();
    assert!(!feed.contains(&0x1b) && !feed.contains(&0x07));
    let mut reader = quick_xml::Reader::from_reader(feed.as_slice());
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("feed.xml is not well-formed: {e}"),
        }
    }
    for (path, text) in pages(&book) {
        assert!(!text.contains('\u{1b}'), "{path}");
    }
}

#[test]
fn folders_outside_the_book_are_refused_in_book_toml() {
    for (key, value) in [
        ("content-dir", "/"),
        ("content-dir", "../elsewhere"),
        ("theme", "/etc"),
        ("build-dir", "theme"),
        ("build-dir", "~"),
        ("build-dir", "/tmp/site"),
    ] {
        let (book, code, err) = common::build_with_setting(key, value);
        assert_eq!(code, Some(2), "{key} = {value}: {err}");
        assert!(err.contains(&format!("[build] {key}")), "{err}");
        assert!(!book.root().join("~").exists());
    }
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    let book = Book::from_fixture("basic");
    for args in [
        vec!["explain"],
        vec!["search", "database", "--limit", "100"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("incidentbook"))
            .args(&args)
            .current_dir(book.root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the first line.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}

/// Every page of the hostile book, loaded in headless Chromium over http: no script of
/// the book's runs (its payloads set `window.__pwned`; a dialog would block the page,
/// and evaluating anything in it would fail), and no element carries an event-handler
/// attribute or a script URL.
#[test]
fn no_script_of_the_hostile_book_runs_in_a_browser() {
    use common::browser::{browser, eval, serve_dir};
    let book = Book::from_fixture("hostile");
    let site = book.build();
    let base = serve_dir(&site.dir);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(15));
    let html: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html") || f.ends_with(".svg"))
        .collect();
    assert!(html.len() > 10, "{html:?}");
    let scan = r#"(() => {
        const bad = [];
        for (const el of document.querySelectorAll('*')) {
            for (const a of el.attributes) {
                const v = a.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
                if (a.name.toLowerCase().startsWith('on')) bad.push(el.tagName + ' ' + a.name);
                if (/^(javascript|vbscript|data):/.test(v) && a.name !== 'content') bad.push(el.tagName + ' ' + a.name + '=' + a.value);
            }
        }
        return JSON.stringify({ pwned: window.__pwned === 1, bad });
    })()"#;
    for page in &html {
        tab.navigate_to(&format!("{base}{page}")).unwrap();
        tab.wait_until_navigated().unwrap();
        // Handlers on autofocused elements and timers run just after load.
        std::thread::sleep(Duration::from_millis(50));
        let found = eval(&tab, scan);
        let found: serde_json::Value =
            serde_json::from_str(found.as_str().unwrap_or("{}")).unwrap();
        assert_eq!(
            found["pwned"],
            serde_json::json!(false),
            "script ran on {page}"
        );
        assert_eq!(found["bad"], serde_json::json!([]), "{page}");
    }
}
