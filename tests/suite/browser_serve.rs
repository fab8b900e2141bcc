//! `serve --watch` in real headless Chromium: an edit changes the open page without a
//! manual reload, keeping the scroll position; a broken edit shows the diagnostics over
//! the page, and fixing it takes them away.

use crate::common;

use common::Book;
use common::browser::{browser, eval, screenshot, wait_until};
use common::server::Server;

const MIGRATION: &str = "content/2024/2024-03-12-orders-migration-lock.md";

fn edit(book: &Book, from: &str, to: &str) {
    let path = book.root().join(MIGRATION);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from));
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_open_page_follows_edits_and_shows_errors() {
    let book = Book::example();
    let server = Server::start(book.root(), &["--watch"]);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!(
        "{}incidents/2024-03-12-orders-migration-lock.html",
        server.url
    ))
    .unwrap();
    tab.wait_until_navigated().unwrap();
    // Wait until the page listens for changes, then scroll down a little.
    wait_until(&tab, "window.incidentbookLive === 'connected'");
    eval(&tab, "window.scrollTo(0, 400) || true");
    eval(&tab, "window.__marker = 'not reloaded'");

    edit(
        &book,
        "title: Orders table locked again by an index migration",
        "title: Edited while the page was open",
    );
    wait_until(
        &tab,
        "document.querySelector('h1') && document.querySelector('h1').textContent.includes('Edited while the page was open')",
    );
    // It was a reload (the page's state is gone), and the scroll position survived it.
    assert_eq!(
        eval(&tab, "window.__marker === undefined"),
        serde_json::json!(true)
    );
    wait_until(&tab, "Math.abs(window.scrollY - 400) < 5");

    edit(&book, "severity: SEV2", "severity: [broken");
    wait_until(&tab, "document.getElementById('incidentbook-errors')");
    let overlay = eval(
        &tab,
        "document.getElementById('incidentbook-errors').innerText",
    );
    assert!(overlay.as_str().unwrap().contains("IB0102"), "{overlay}");
    screenshot(&tab, "serve-error-overlay");
    edit(&book, "severity: [broken", "severity: SEV2");
    wait_until(
        &tab,
        "!document.getElementById('incidentbook-errors') && document.querySelector('h1')",
    );
}
