//! The visual check, in real headless Chromium: the key pages of the example book, at
//! 1280, 768 and 390 px, light and dark, are screenshotted under
//! target/test-artifacts/visual-PAGE-WIDTH-THEME.png and checked for what a reader
//! would see as broken (tests/js/layout_check.js): the page wider than the screen,
//! text cut off (clipped, or ending in an ellipsis not meant), boxes overlapping, text
//! under 11 px, an action item's status off-screen. The book's title is 40 characters
//! long, the longest the header promises to keep on one row.

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

/// The example book with a 40-character title, built, served over http, and a tab of
/// headless Chromium to read it in.
struct Reader {
    tab: Arc<Tab>,
    base: String,
    _browser: Browser,
    _site: Site,
}

impl Reader {
    fn new() -> Reader {
        let site = example_with_long_title().build();
        let base = serve_dir(&site.dir);
        let browser = browser();
        Reader {
            tab: browser.new_tab().unwrap(),
            base,
            _browser: browser,
            _site: site,
        }
    }
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
    let reader = Reader::new();
    let (tab, base) = (&reader.tab, reader.base.as_str());
    let mut found = Vec::new();
    for width in [1280, 768, 390] {
        set_width(tab, width);
        for dark in [false, true] {
            set_dark(tab, dark);
            let theme = if dark { "dark" } else { "light" };
            for (name, path) in PAGES {
                open(tab, base, name, path);
                screenshot(tab, &format!("visual-{name}-{width}-{theme}"));
                for p in problems(tab, width) {
                    found.push(format!("{name} at {width} px ({theme}): {p}"));
                }
                // The header: one row on a laptop, and never more than a short band
                // that stays at the top.
                let header = px(
                    tab,
                    "document.querySelector('.site-header').getBoundingClientRect().height",
                );
                if header > if width >= 1024 { 64.0 } else { 90.0 } {
                    found.push(format!(
                        "{name} at {width} px: the header is {header} px high"
                    ));
                }
                if width >= 1024 {
                    let rows = eval(
                        tab,
                        "new Set([...document.querySelectorAll('.header-inner > *')].map(e => { const r = e.getBoundingClientRect(); return Math.round((r.top + r.bottom) / 2 / 8); })).size",
                    );
                    if rows != serde_json::json!(1) {
                        found.push(format!("{name} at {width} px: the header is not one row"));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} visual problems:\n{}",
        found.len(),
        found.join("\n")
    );
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
        "[...document.querySelectorAll('.incident-row')].filter(r => r.getBoundingClientRect().bottom <= innerHeight).length",
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
    // The insights of the example: the goal is two laptop screens (1,800 px), not yet
    // met (1,954 px); this holds the ground gained from about 5,000.
    open(tab, base, "insights", "insights/index.html");
    let height = px(tab, "document.documentElement.scrollHeight");
    assert!(height <= 2000.0, "insights are {height} px long at 1280");

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
