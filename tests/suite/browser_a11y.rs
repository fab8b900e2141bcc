//! The reader's experience in real headless Chromium: axe-core finds no WCAG 2.2 AA
//! violation on the main kinds of page, light and dark; the keyboard alone reaches a
//! post-mortem through search and follows a factor link; printing hides the navigation.
//! axe-core comes from npm (tests/js/package.json; scripts/test installs it).

use crate::common;

use std::path::Path;

use common::Book;
use common::browser::{browser, eval, screenshot, serve_dir, set_dark, set_width, wait_until};
use headless_chrome::Tab;
use headless_chrome::protocol::cdp::Emulation;

fn axe_source() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run `npm ci --prefix tests/js` (scripts/test does)",
            path.display()
        )
    })
}

/// Runs axe on the page; returns the violations, one line each.
fn violations(tab: &Tab, axe: &str) -> Vec<String> {
    eval(tab, axe);
    eval(
        tab,
        "(async () => { const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }); \
         window.__axe = JSON.stringify(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))); return true; })()",
    );
    wait_until(tab, "window.__axe !== undefined");
    serde_json::from_str(eval(tab, "window.__axe").as_str().unwrap()).unwrap()
}

#[test]
fn axe_finds_no_violations_light_or_dark() {
    let book = Book::example();
    let site = book.build();
    let base = serve_dir(&site.dir);
    let axe = axe_source();
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let pages = [
        ("home", "index.html"),
        (
            "post-mortem",
            "incidents/2024-03-12-orders-migration-lock.html",
        ),
        ("factor", "factors/untested-migrations.html"),
        ("board", "actions/index.html"),
        ("insights", "insights/index.html"),
        ("search", "search.html?q=database"),
    ];
    let mut found = Vec::new();
    for dark in [false, true] {
        set_dark(&tab, dark);
        for (name, path) in pages {
            tab.navigate_to(&format!("{base}{path}")).unwrap();
            tab.wait_until_navigated().unwrap();
            if name == "search" {
                wait_until(&tab, "document.querySelector('#ib-facets button')");
            }
            let theme = if dark { "dark" } else { "light" };
            screenshot(&tab, &format!("a11y-{name}-{theme}"));
            for v in violations(&tab, &axe) {
                found.push(format!("{name} ({theme}): {v}"));
            }
        }
    }
    assert!(found.is_empty(), "axe violations:\n{}", found.join("\n"));
}

#[test]
fn the_keyboard_alone_searches_opens_and_follows_a_factor() {
    let book = Book::example();
    let site = book.build();
    let base = serve_dir(&site.dir);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{base}index.html")).unwrap();
    tab.wait_until_navigated().unwrap();
    // The first Tab reaches the skip link, which is visible when focused.
    tab.press_key("Tab").unwrap();
    assert_eq!(
        eval(&tab, "document.activeElement.className"),
        serde_json::json!("skip-link")
    );
    let visible = eval(
        &tab,
        "document.activeElement.getBoundingClientRect().left >= 0",
    );
    assert_eq!(visible, serde_json::json!(true));
    // Tab on to the search box, search, open the first result.
    for _ in 0..10 {
        if eval(&tab, "document.activeElement.id") == serde_json::json!("ib-q") {
            break;
        }
        tab.press_key("Tab").unwrap();
    }
    assert_eq!(
        eval(&tab, "document.activeElement.id"),
        serde_json::json!("ib-q")
    );
    tab.type_str("migration lock").unwrap();
    wait_until(
        &tab,
        "document.querySelectorAll('#ib-results li').length > 0",
    );
    tab.press_key("ArrowDown").unwrap();
    tab.press_key("Enter").unwrap();
    wait_until(
        &tab,
        "location.pathname.includes('/incidents/') && document.querySelector('h1')",
    );
    // Tab until a factor link has the focus, with a visible focus ring, then follow it.
    let mut on_factor = false;
    for _ in 0..80 {
        tab.press_key("Tab").unwrap();
        let href = eval(&tab, "document.activeElement.getAttribute('href') || ''");
        if href.as_str().unwrap_or_default().contains("factors/")
            && !href.as_str().unwrap().ends_with("index.html")
        {
            on_factor = true;
            break;
        }
    }
    assert!(on_factor, "no factor link reachable with Tab");
    let outline = eval(
        &tab,
        "(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; })()",
    );
    assert_eq!(
        outline,
        serde_json::json!(true),
        "the focused link shows no focus ring"
    );
    tab.press_key("Enter").unwrap();
    wait_until(&tab, "location.pathname.includes('/factors/')");
}

#[test]
fn printing_a_post_mortem_hides_the_navigation() {
    let book = Book::example();
    let site = book.build();
    let base = serve_dir(&site.dir);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!(
        "{base}incidents/2024-03-12-orders-migration-lock.html"
    ))
    .unwrap();
    tab.wait_until_navigated().unwrap();
    tab.call_method(Emulation::SetEmulatedMedia {
        media: Some("print".to_owned()),
        features: None,
    })
    .unwrap();
    for selector in [".site-header", ".site-footer", ".search-form", ".skip-link"] {
        let shown = eval(
            &tab,
            &format!(
                "(() => {{ const e = document.querySelector('{selector}'); return !!e && e.getClientRects().length > 0; }})()"
            ),
        );
        assert_eq!(shown, serde_json::json!(false), "{selector} is printed");
    }
    assert_eq!(
        eval(
            &tab,
            "getComputedStyle(document.querySelector('h1')).display !== 'none'"
        ),
        serde_json::json!(true)
    );
    screenshot(&tab, "print-post-mortem");
}

#[test]
fn pages_fit_a_phone_and_the_contents_follow_the_scroll() {
    let book = Book::example();
    let site = book.build();
    let base = serve_dir(&site.dir);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let pages = [
        ("home", "index.html"),
        ("post-mortem", "incidents/2024-01-22-logging-disk-full.html"),
        ("list", "incidents/index.html"),
        ("factor", "factors/untested-migrations.html"),
        ("board", "actions/index.html"),
        ("insights", "insights/index.html"),
    ];
    // At 360 px nothing is wider than the screen: no sideways scrolling.
    set_width(&tab, 360);
    let mut too_wide = Vec::new();
    for dark in [false, true] {
        set_dark(&tab, dark);
        for (name, path) in pages {
            tab.navigate_to(&format!("{base}{path}")).unwrap();
            tab.wait_until_navigated().unwrap();
            let theme = if dark { "dark" } else { "light" };
            screenshot(&tab, &format!("narrow-{name}-{theme}"));
            let widths = eval(
                &tab,
                "[document.documentElement.scrollWidth, window.innerWidth]",
            );
            if widths[0].as_u64() > widths[1].as_u64() {
                too_wide.push(format!("{name} ({theme}): {widths}"));
            }
        }
    }
    assert!(
        too_wide.is_empty(),
        "wider than a 360 px screen: {too_wide:?}"
    );

    // On a wide screen the contents stay in view and mark the section being read.
    set_dark(&tab, false);
    set_width(&tab, 1280);
    tab.navigate_to(&format!("{base}{}", pages[1].1)).unwrap();
    tab.wait_until_navigated().unwrap();
    wait_until(&tab, "document.querySelector('.toc a[aria-current]')");
    assert_eq!(
        eval(&tab, "document.querySelector('.toc a[aria-current]').hash"),
        serde_json::json!("#timeline")
    );
    eval(
        &tab,
        "document.getElementById('action-items').scrollIntoView(); true",
    );
    wait_until(
        &tab,
        "document.querySelector('.toc a[aria-current]').hash === '#action-items'",
    );
    assert_eq!(
        eval(
            &tab,
            "getComputedStyle(document.querySelector('.toc')).position"
        ),
        serde_json::json!("sticky")
    );
    screenshot(&tab, "wide-post-mortem-scrolled");
}
