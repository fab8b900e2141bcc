//! The visual check, in real headless Chromium: the key pages of the example book, at
//! 1280, 768 and 390 px, light and dark, are screenshotted under
//! target/test-artifacts/visual-PAGE-WIDTH-THEME.png and checked for what a reader
//! would see as broken (tests/js/layout_check.js): the page wider than the screen,
//! text or a placeholder cut off (clipped, covered, or ending in an ellipsis not
//! meant), boxes overlapping, text under 11 px, a box that scrolls sideways with no
//! sign of it, an action item's status off-screen. The book's title is 40 characters
//! long, the longest the header promises to keep on one row. The same check runs on a
//! generated book and on the real archives of tests/fixtures/corpora, written by
//! others (visual-generated-… and visual-archive-…).

use crate::common;

use std::sync::Arc;

use common::browser::{browser, eval, screenshot, serve_dir, set_dark, set_width, wait_until};
use common::{Book, Site};
use headless_chrome::{Browser, Tab};

const CHECK: &str = include_str!("../js/layout_check.js");
const TITLE_40: &str = "Acme Payments Platform Incident Reviews!";

const PAGES: [(&str, &str); 7] = [
    ("home", "index.html"),
    (
        "post-mortem",
        "incidents/2024-03-12-orders-migration-lock.html",
    ),
    ("listing", "incidents/index.html"),
    ("factor", "factors/untested-migrations.html"),
    ("board", "actions/index.html"),
    ("insights", "insights/index.html"),
    ("search", "search.html?q=database"),
];

/// A built book, served over http, and a tab of headless Chromium to read it in.
struct Reader {
    tab: Arc<Tab>,
    base: String,
    _browser: Browser,
    site: Site,
}

impl Reader {
    /// The example book with a 40-character title.
    fn new() -> Reader {
        Reader::of(&example_with_long_title())
    }

    fn of(book: &Book) -> Reader {
        let site = book.build();
        let base = serve_dir(&site.dir);
        let browser = browser();
        Reader {
            tab: browser.new_tab().unwrap(),
            base,
            _browser: browser,
            site,
        }
    }

    /// Renders `pages` at 1280, 768 and 390 px, light and dark, saves each screenshot as
    /// `visual-{prefix}{page}-{width}-{theme}.png`, and returns what the layout check
    /// and the header's bounds find wrong.
    fn check(&self, prefix: &str, pages: &[(&str, &str)]) -> Vec<String> {
        let (tab, base) = (&self.tab, self.base.as_str());
        let mut found = Vec::new();
        for width in [1280, 768, 390] {
            set_width(tab, width);
            for dark in [false, true] {
                set_dark(tab, dark);
                let theme = if dark { "dark" } else { "light" };
                for &(name, path) in pages {
                    open(tab, base, name, path);
                    screenshot(tab, &format!("visual-{prefix}{name}-{width}-{theme}"));
                    for p in problems(tab, width) {
                        found.push(format!("{prefix}{name} at {width} px ({theme}): {p}"));
                    }
                    found.extend(
                        header_problems(tab, width)
                            .into_iter()
                            .map(|p| format!("{prefix}{name} at {width} px: {p}")),
                    );
                }
            }
        }
        found
    }
}

/// The header: one row on a laptop, and never more than a short band that stays at
/// the top.
fn header_problems(tab: &Tab, width: u32) -> Vec<String> {
    let mut found = Vec::new();
    let header = px(
        tab,
        "document.querySelector('.site-header').getBoundingClientRect().height",
    );
    if header > if width >= 1024 { 64.0 } else { 90.0 } {
        found.push(format!("the header is {header} px high"));
    }
    if width >= 1024 {
        let rows = eval(
            tab,
            "new Set([...document.querySelectorAll('.header-inner > *')].map(e => { const r = e.getBoundingClientRect(); return Math.round((r.top + r.bottom) / 2 / 8); })).size",
        );
        if rows != serde_json::json!(1) {
            found.push("the header is not one row".to_owned());
        }
    }
    found
}

fn assert_none(found: Vec<String>) {
    assert!(
        found.is_empty(),
        "{} visual problems:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// The example book, titled with [`TITLE_40`].
fn example_with_long_title() -> Book {
    let book = Book::example();
    let config = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    let config = config.replace(
        "title = \"Acme Engineering Post-mortems\"",
        &format!("title = \"{TITLE_40}\""),
    );
    assert!(config.contains(TITLE_40), "book.toml's title moved");
    book.write("book.toml", &config);
    book
}

fn open(tab: &Tab, base: &str, name: &str, path: &str) {
    tab.navigate_to(&format!("{base}{path}")).unwrap();
    tab.wait_until_navigated().unwrap();
    if name == "search" {
        wait_until(tab, "document.querySelector('#ib-results li')");
    }
}

/// The problems the layout check finds on the open page, on a screen `width` px wide.
fn problems(tab: &Tab, width: u32) -> Vec<String> {
    eval(tab, &format!("window.__screenWidth = {width}; true"));
    // As JSON text: an array comes back from the page as a reference, not a value.
    let found = eval(tab, &format!("JSON.stringify({CHECK})"));
    let found = found
        .as_str()
        .unwrap_or_else(|| panic!("the layout check returned {found}"));
    serde_json::from_str(found).unwrap()
}

/// Pixels, from an expression evaluated in the page.
fn px(tab: &Tab, expression: &str) -> f64 {
    eval(tab, expression)
        .as_f64()
        .unwrap_or_else(|| panic!("{expression} is not a number"))
}

#[test]
fn key_pages_render_cleanly_at_three_widths_light_and_dark() {
    assert_none(Reader::new().check("", &PAGES));
}

/// The same check on books the theme was not drawn on: 200 generated post-mortems (long
/// titles, many services, five years of months), and the real archives of
/// tests/fixtures/corpora adopted as they are (their own headings, tables and images,
/// and the curation page of an adopted book).
#[test]
fn generated_and_real_books_render_cleanly() {
    let generated = Reader::of(&Book::corpus(
        200,
        &format!("[book]\ntitle = \"{TITLE_40}\"\n"),
    ));
    // Its insights, with more teams and services than the example, fit on two laptop
    // screens too.
    set_width(&generated.tab, 1280);
    open(
        &generated.tab,
        &generated.base,
        "insights",
        "insights/index.html",
    );
    let height = px(&generated.tab, "document.documentElement.scrollHeight");
    assert!(
        height <= 1800.0,
        "the generated book's insights are {height} px long at 1280"
    );
    let post_mortem = generated.site.post_mortem_pages()[0].clone();
    let factor = first_factor_page(&generated.site);
    let mut found = generated.check(
        "generated-",
        &[
            ("home", "index.html"),
            ("post-mortem", &post_mortem),
            ("listing", "incidents/index.html"),
            ("factor", &factor),
            ("board", "actions/index.html"),
            ("insights", "insights/index.html"),
            ("search", "search.html?q=kafka"),
        ],
    );
    drop(generated);

    let archive = Reader::of(&real_archives());
    let factor = first_factor_page(&archive.site);
    found.extend(archive.check(
        "archive-",
        &[
            ("home", "index.html"),
            // Zalando's, with its images and its tables.
            ("post-mortem", "incidents/jan-2019-dns-outage.html"),
            ("listing", "incidents/index.html"),
            ("factor", &factor),
            ("board", "actions/index.html"),
            ("insights", "insights/index.html"),
            ("curation", "curation.html"),
            ("search", "search.html?q=dns"),
        ],
    ));
    assert_none(found);
}

/// The first factor's page of a site (not the index of factors).
fn first_factor_page(site: &Site) -> String {
    site.files()
        .into_iter()
        .find(|f| {
            f.strip_prefix("factors/").is_some_and(|name| {
                name.ends_with(".html") && name != "index.html" && !name.contains('/')
            })
        })
        .expect("a factor page")
}

/// One book made by `incidentbook init --from pm` over copies of all the real archives
/// of tests/fixtures/corpora, as scripts/screenshots.sh makes it.
fn real_archives() -> Book {
    let book = Book {
        dir: Arc::new(tempfile::tempdir().unwrap()),
    };
    let corpora = common::fixture_dir("corpora");
    for corpus in ["learningequality", "posthog", "zalando"] {
        common::copy_dir(&corpora.join(corpus), &book.root().join("pm").join(corpus));
    }
    book.cmd(&["init", "--from", "pm"]).assert().success();
    book
}

#[test]
fn the_header_stays_reachable_and_listings_are_dense() {
    let reader = Reader::new();
    let (tab, base) = (&reader.tab, reader.base.as_str());
    // At 1280x900, 15 post-mortems or more are on screen, one line of metadata each.
    set_width(tab, 1280);
    open(tab, base, "listing", "incidents/index.html");
    let on_screen = px(
        tab,
        "[...document.querySelectorAll('.incident-list > li')].filter(r => r.getBoundingClientRect().bottom <= innerHeight).length",
    );
    assert!(
        on_screen >= 15.0,
        "{on_screen} post-mortems on a 1280x900 screen"
    );
    let tallest_meta = px(
        tab,
        "Math.max(...[...document.querySelectorAll('.incident-meta')].map(m => m.getBoundingClientRect().height / parseFloat(getComputedStyle(m).lineHeight)))",
    );
    assert!(
        tallest_meta < 1.5,
        "metadata takes {tallest_meta} lines on a row"
    );
    // The insights of the example fit on two laptop screens.
    open(tab, base, "insights", "insights/index.html");
    let height = px(tab, "document.documentElement.scrollHeight");
    assert!(height <= 1800.0, "insights are {height} px long at 1280");

    // On a phone, the header is still on screen after scrolling down a post-mortem.
    set_width(tab, 390);
    open(tab, base, "post-mortem", PAGES[1].1);
    eval(tab, "window.scrollTo(0, 2000); true");
    let top = px(
        tab,
        "document.querySelector('.site-header').getBoundingClientRect().top",
    );
    assert_eq!(top, 0.0, "the header scrolled away on a phone");
}

/// The check is only worth its passes if it fails: each kind of regression, planted in
/// a page that passes, is reported.
#[test]
fn the_visual_check_fails_on_planted_regressions() {
    let reader = Reader::new();
    let (tab, base) = (&reader.tab, reader.base.as_str());
    set_width(tab, 390);
    let page = PAGES[1].1;
    open(tab, base, "post-mortem", page);
    assert_eq!(problems(tab, 390), Vec::<String>::new(), "the page itself");
    let plants = [
        ("overflow:", ".incident-card { min-width: 30rem; }"),
        (
            "cut off:",
            "#incident-title { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }",
        ),
        ("cut off:", ".facts dd { overflow: hidden; height: .5em; }"),
        ("small text:", ".card-top { font-size: 9px; }"),
        ("overlap:", ".incident-card .lede { margin-top: -2.5em; }"),
        ("overlap:", "img { position: relative; top: -3em; }"),
        ("cut off:", "#ib-q { width: 3rem !important; }"),
        (
            "cut off:",
            ".search-key { display: inline !important; right: auto; left: 1.2rem; }",
        ),
        ("hidden scroll:", ".site-header nav { background: none; }"),
        (
            "status off-screen:",
            "table.actions { display: block !important; overflow-x: auto; } .actions tr { display: table-row !important; } .actions td { display: table-cell !important; white-space: nowrap; }",
        ),
    ];
    for (kind, css) in plants {
        open(tab, base, "post-mortem", page);
        eval(
            tab,
            &format!(
                "(() => {{ const s = document.createElement('style'); s.textContent = {}; document.head.append(s); return true; }})()",
                serde_json::json!(css)
            ),
        );
        let found = problems(tab, 390);
        assert!(
            found.iter().any(|p| p.starts_with(kind)),
            "planting `{css}` was not reported as {kind} {found:?}"
        );
    }
}
