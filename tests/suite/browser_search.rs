//! The site's search box in real headless Chromium, over http and from disk (file://):
//! typing shows the expected post-mortems with highlighted snippets and filter counts,
//! filters narrow, typos are forgiven, and the keyboard alone finds and opens a result.

use crate::common;

use common::Book;
use common::browser::{browser, eval, screenshot, serve_dir, set_width, wait_until};
use headless_chrome::Tab;

fn example_site() -> (Book, common::Site) {
    let book = Book::example();
    let site = book.build();
    (book, site)
}

fn first_result(tab: &Tab) -> String {
    eval(
        tab,
        "document.querySelector('#ib-results li .result-title').textContent",
    )
    .as_str()
    .unwrap()
    .to_owned()
}

fn type_query(tab: &Tab, query: &str) {
    eval(
        tab,
        "(() => { const q = document.getElementById('ib-q'); q.value = ''; q.focus(); return true; })()",
    );
    tab.type_str(query).unwrap();
}

/// Search on one page of the built site, reached at `base` (http or file).
fn search_on(tab: &Tab, base: &str, label: &str) {
    tab.navigate_to(&format!("{base}index.html")).unwrap();
    tab.wait_until_navigated().unwrap();
    // Nothing of the index loads before the search box is used.
    assert_eq!(
        eval(
            tab,
            "performance.getEntriesByType('resource').filter(r => r.name.includes('/search/')).length"
        ),
        serde_json::json!(0)
    );
    type_query(tab, "migration lock");
    wait_until(
        tab,
        "document.querySelectorAll('#ib-results li').length >= 2",
    );
    assert!(
        first_result(tab).to_lowercase().contains("migration"),
        "{label}: {}",
        first_result(tab)
    );
    // Matched words are highlighted in the snippets.
    wait_until(tab, "document.querySelector('#ib-results mark')");
    // Filter counts: the severities of the results, with numbers.
    let facets = eval(tab, "document.getElementById('ib-facets').innerText");
    assert!(
        facets.as_str().unwrap().contains("Severity"),
        "{label}: {facets}"
    );
    screenshot(tab, &format!("search-{label}"));

    // A typo still finds the migration incidents.
    type_query(tab, "migartion");
    wait_until(
        tab,
        "document.querySelector('#ib-results li') && document.querySelector('#ib-results li .result-title').textContent.toLowerCase().includes('migration')",
    );

    // Search as you type: a prefix is enough.
    type_query(tab, "certif");
    wait_until(
        tab,
        "document.querySelector('#ib-results li') && document.querySelector('#ib-results li .result-title').textContent.toLowerCase().includes('certificate')",
    );
}

#[test]
fn search_works_over_http_and_from_disk() {
    let book = Book::example();
    let site = book.build();
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    search_on(&tab, &serve_dir(&site.dir), "http");
    let file_base = format!("file://{}/", site.dir.display());
    search_on(&tab, &file_base, "file");
}

#[test]
fn filters_narrow_the_results_and_show_counts() {
    let (_book, site) = example_site();
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let base = serve_dir(&site.dir);
    tab.navigate_to(&format!("{base}search.html?q=database"))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    wait_until(
        tab.as_ref(),
        "document.querySelectorAll('#ib-results li').length > 0",
    );
    let before = eval(&tab, "document.querySelectorAll('#ib-results li').length")
        .as_u64()
        .unwrap();
    // The first severity chip: its count is the number of results it leaves.
    let count = eval(
        &tab,
        "Number(document.querySelector('#ib-facets button[data-key=severity] .count').textContent)",
    )
    .as_u64()
    .unwrap();
    assert!(count >= 1 && count <= before, "{count} of {before}");
    eval(
        &tab,
        "document.querySelector('#ib-facets button[data-key=severity]').click() || true",
    );
    wait_until(
        &tab,
        &format!(
            "document.querySelector('#ib-facets button[aria-pressed=true]') && document.querySelectorAll('#ib-results li').length == {}",
            count.min(10)
        ),
    );
    screenshot(&tab, "search-filtered");
}

/// A filter typed in the query and one given in the URL (an alert's or a runbook's link
/// to "past incidents of this service") narrow alike and as the CLI does, and the
/// filter bar shows them chosen.
#[test]
fn filters_typed_in_the_query_or_given_in_the_url_show_in_the_filter_bar() {
    let (book, site) = example_site();
    let out = book
        .cmd(&["search", "service:checkout timeout", "--format", "json"])
        .output()
        .unwrap();
    let expected: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let expected: Vec<String> = expected
        .iter()
        .map(|h| format!("incidents/{}.html", h["slug"].as_str().unwrap()))
        .collect();
    assert!(!expected.is_empty());
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let base = serve_dir(&site.dir);
    let shown = "JSON.stringify([...document.querySelectorAll('#ib-results li')].map(li => li.dataset.href.replace(/^.*?(incidents\\/)/, '$1')))";
    let pressed = "document.querySelector('#ib-facets button[data-key=service][data-value=checkout][aria-pressed=true]') !== null";
    for (url, typed) in [
        ("search.html?q=timeout&service=checkout", None),
        ("search.html", Some("service:checkout timeout")),
    ] {
        tab.navigate_to(&format!("{base}{url}")).unwrap();
        tab.wait_until_navigated().unwrap();
        if let Some(query) = typed {
            type_query(&tab, query);
        }
        wait_until(
            &tab,
            &format!(
                "document.querySelectorAll('#ib-results li').length == {} && {pressed}",
                expected.len()
            ),
        );
        let hrefs: Vec<String> = serde_json::from_str(eval(&tab, shown).as_str().unwrap()).unwrap();
        // Each result opens its page with the words to mark (`?highlight=`).
        let pages: Vec<&str> = hrefs
            .iter()
            .map(|h| {
                h.split_once("?highlight=")
                    .map_or(h.as_str(), |(page, _)| page)
            })
            .collect();
        assert_eq!(pages, expected, "{url}");
    }
    // Unchoosing the chip takes the filter out of the query, and the URL follows.
    eval(
        &tab,
        "document.querySelector('#ib-facets button[data-key=service][data-value=checkout]').click() || true",
    );
    wait_until(
        &tab,
        "document.getElementById('ib-q').value.trim() == 'timeout' && !location.search.includes('service')",
    );
}

#[test]
fn the_keyboard_alone_finds_and_opens_a_result() {
    let (_book, site) = example_site();
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let base = serve_dir(&site.dir);
    tab.navigate_to(&format!("{base}factors/index.html"))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    // `/` focuses the search box from anywhere on the page.
    eval(&tab, "document.body.focus() || true");
    tab.press_key("/").unwrap();
    wait_until(
        &tab,
        "document.activeElement && document.activeElement.id === 'ib-q'",
    );
    tab.type_str("replica lag").unwrap();
    wait_until(
        &tab,
        "document.querySelectorAll('#ib-results li').length > 0",
    );
    tab.press_key("ArrowDown").unwrap();
    wait_until(
        &tab,
        "document.querySelector('#ib-results li[aria-selected=true]')",
    );
    assert_eq!(
        eval(
            &tab,
            "document.getElementById('ib-q').getAttribute('aria-activedescendant')"
        ),
        serde_json::json!("ib-r-0")
    );
    tab.press_key("Enter").unwrap();
    wait_until(
        &tab,
        "location.pathname.includes('/incidents/') && document.querySelector('h1')",
    );
    let title = eval(&tab, "document.querySelector('h1').textContent");
    assert!(
        title.as_str().unwrap().to_lowercase().contains("replica"),
        "{title}"
    );
}

#[test]
fn listings_combine_filters_into_a_browsable_list_with_more_on_demand() {
    let site = Book::generated(120).build();
    let base = serve_dir(&site.dir);
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{base}incidents/index.html"))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    // The form combining filters is there only with JavaScript: the script shows it.
    wait_until(
        &tab,
        "!document.querySelector('form[data-ib-combine]').hidden",
    );
    // Folded away until asked for, so a phone sees the list first.
    tab.find_element("form[data-ib-combine] summary")
        .unwrap()
        .click()
        .unwrap();
    eval(
        &tab,
        "(() => { const f = document.querySelector('form[data-ib-combine]'); \
         f.querySelector('select[name=severity]').value = 'SEV2'; \
         f.querySelector('select[name=service]').value = 'x'; return true; })()",
    );
    tab.find_element("form[data-ib-combine] button")
        .unwrap()
        .click()
        .unwrap();
    wait_until(&tab, "location.pathname.endsWith('/search.html')");
    wait_until(
        &tab,
        "document.getElementById('ib-status').textContent.includes('with these filters')",
    );
    let url = eval(&tab, "location.search").as_str().unwrap().to_owned();
    assert!(
        url.contains("severity=SEV2") && url.contains("service=x"),
        "{url}"
    );
    assert!(
        !url.contains("year="),
        "filters left at Any stay out of the URL: {url}"
    );
    // Every third generated post-mortem is SEV2 (the fixture's SEV2 is another service).
    assert_eq!(
        eval(&tab, "document.getElementById('ib-status').textContent"),
        serde_json::json!("40 post-mortems with these filters, newest first.")
    );
    assert_eq!(
        eval(&tab, "document.querySelectorAll('#ib-results li').length"),
        serde_json::json!(40)
    );
    assert_eq!(first_result(&tab), "Generated 117");
    screenshot(&tab, "browse-filters");

    // A wider filter: fifty at a time, then fifty more on demand.
    tab.navigate_to(&format!("{base}search.html?service=x"))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    wait_until(
        &tab,
        "document.querySelectorAll('#ib-results li').length === 50",
    );
    assert_eq!(
        eval(&tab, "document.getElementById('ib-status').textContent"),
        serde_json::json!("120 post-mortems with these filters, newest first, 50 shown.")
    );
    tab.find_element("#ib-more").unwrap().click().unwrap();
    wait_until(
        &tab,
        "document.querySelectorAll('#ib-results li').length === 100",
    );
    tab.find_element("#ib-more").unwrap().click().unwrap();
    wait_until(
        &tab,
        "document.querySelectorAll('#ib-results li').length === 120",
    );
    assert_eq!(
        eval(&tab, "document.getElementById('ib-more').hidden"),
        serde_json::json!(true)
    );
}

#[test]
fn synonyms_and_marks_reach_the_results_and_the_opened_page() {
    let book = Book::example();
    book.write(
        "content/2025/2025-08-01-script-title.md",
        &common::post_mortem(
            "\"<img src=x onerror=window.pwned=1> Certificate rotation\"",
            "2025-08-01",
            "",
        ),
    );
    let site = book.build();
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let base = serve_dir(&site.dir);
    // "ssl" is a synonym of "tls" and "certificate": the TLS post-mortems, which never
    // say SSL, are found, the matched words marked in their titles.
    tab.navigate_to(&format!("{base}search.html?q=ssl%20expired"))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    wait_until(
        &tab,
        "document.querySelector('#ib-results li .result-title mark')",
    );
    let titles = eval(
        &tab,
        "Array.from(document.querySelectorAll('#ib-results .result-title')).map(t => t.innerHTML).join('|')",
    );
    assert!(
        titles
            .as_str()
            .unwrap()
            .contains("Public API <mark>certificate</mark> <mark>expired</mark>"),
        "{titles}"
    );
    // The opened page marks the same words and shows the first.
    eval(
        &tab,
        "document.querySelector('#ib-results li').click() || true",
    );
    wait_until(
        &tab,
        "location.search.includes('highlight=') && document.querySelector('main mark')",
    );
    let marked = eval(
        &tab,
        "JSON.stringify(Array.from(document.querySelectorAll('main mark')).map(m => m.textContent.toLowerCase()))",
    );
    let marked: Vec<String> = serde_json::from_str(marked.as_str().unwrap()).unwrap();
    assert!(
        marked.iter().any(|m| m == "tls") && marked.iter().any(|m| m.starts_with("expire")),
        "{marked:?}"
    );
    // A title with markup stays text.
    tab.navigate_to(&format!("{base}search.html?q=certificate%20rotation"))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    wait_until(
        &tab,
        "Array.from(document.querySelectorAll('#ib-results .result-title')).some(t => t.textContent.includes('onerror'))",
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('#ib-results img').length + (window.pwned ? 1 : 0)"
        ),
        serde_json::json!(0)
    );
}

#[test]
fn on_a_phone_the_results_come_first_and_the_filters_fold_behind_one_control() {
    let (_book, site) = example_site();
    let browser = browser();
    let tab = browser.new_tab().unwrap();
    set_width(&tab, 390);
    let base = serve_dir(&site.dir);
    // The search page, and the dropdown of any other page.
    for (url, query) in [
        (format!("{base}search.html?q=database"), None),
        (format!("{base}index.html"), Some("database")),
    ] {
        tab.navigate_to(&url).unwrap();
        tab.wait_until_navigated().unwrap();
        if let Some(query) = query {
            type_query(&tab, query);
        }
        wait_until(
            &tab,
            "document.querySelector('#ib-results li') && !document.getElementById('ib-filters').hidden",
        );
        let layout = eval(
            &tab,
            "(() => { const r = document.querySelector('#ib-results li').getBoundingClientRect(); \
             return JSON.stringify([r.top, innerHeight, innerWidth, getComputedStyle(document.getElementById('ib-facets')).display]); })()",
        );
        let layout: serde_json::Value = serde_json::from_str(layout.as_str().unwrap()).unwrap();
        let [top, height, width, facets] = &layout.as_array().unwrap()[..] else {
            panic!("{layout}")
        };
        assert_eq!(width, 390, "{layout}");
        assert!(
            top.as_f64().unwrap() + 60.0 < height.as_f64().unwrap(),
            "{url}: the first result starts below the first screen: {layout}"
        );
        assert_eq!(facets, "none", "{layout}");
        screenshot(
            &tab,
            if query.is_some() {
                "search-phone-dropdown"
            } else {
                "search-phone"
            },
        );
        // One control shows the filters, and they still filter.
        eval(
            &tab,
            "document.getElementById('ib-filters').click() || true",
        );
        wait_until(
            &tab,
            "getComputedStyle(document.getElementById('ib-facets')).display !== 'none' && document.getElementById('ib-filters').getAttribute('aria-expanded') === 'true'",
        );
        eval(
            &tab,
            "document.querySelector('#ib-facets button[data-key=severity]').click() || true",
        );
        wait_until(
            &tab,
            "document.getElementById('ib-filters').textContent === 'Filters (1)'",
        );
    }
}

/// The slugs of the results the search page at `url` lists, once it has searched.
fn listed_slugs(tab: &Tab, url: &str) -> Vec<String> {
    tab.navigate_to(url).unwrap();
    tab.wait_until_navigated().unwrap();
    wait_until(
        tab,
        "document.querySelectorAll('#ib-results li').length > 0 && !document.getElementById('ib-search').hasAttribute('aria-busy')",
    );
    let listed = eval(
        tab,
        "Array.from(document.querySelectorAll('#ib-results li')).map(li => li.dataset.href.split('/').pop().split('.html')[0]).join(' ')",
    );
    listed
        .as_str()
        .unwrap()
        .split(' ')
        .map(str::to_owned)
        .collect()
}

/// A quoted phrase lists only the post-mortems with its words side by side, as the CLI
/// does, even when more than a page of post-mortems with its words apart ranks above
/// them (the browser checks the places of the words of the results it shows).
#[test]
fn a_quoted_phrase_lists_only_post_mortems_with_its_words_side_by_side() {
    let book = Book::example();
    for k in 0..12 {
        book.write(
            &format!("content/2025/2025-07-{:02}-apart.md", k + 1),
            &common::post_mortem(
                &format!("Gasket {k} cracked, then a gasket wore out in the turbine, turbine"),
                &format!("2025-07-{:02}", k + 1),
                "",
            ),
        );
    }
    for k in 0..2 {
        book.write(
            &format!("content/2025/2025-08-{:02}-together.md", k + 1),
            &common::post_mortem(
                &format!("Slow orders {k} and a gasket turbine"),
                &format!("2025-08-{:02}", k + 1),
                "",
            ),
        );
    }
    let site = book.build();
    let slugs = |ranking: Vec<(String, f64)>| -> Vec<String> {
        let mut s: Vec<String> = ranking.into_iter().map(|(s, _)| s).collect();
        s.sort();
        s
    };
    let in_cli = slugs(common::ranking(&book, "\"gasket turbine\"", &[]));
    let words_apart = common::ranking(&book, "gasket turbine", &[]);
    // The test means something: the words alone rank a page of other post-mortems first.
    assert!(
        words_apart
            .iter()
            .take(10)
            .all(|(s, _)| s.contains("apart")),
        "{words_apart:?}"
    );
    assert_eq!(in_cli.len(), 2, "{in_cli:?}");
    assert!(in_cli.iter().all(|s| s.contains("together")), "{in_cli:?}");

    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let base = serve_dir(&site.dir);
    for (base, label) in [
        (base.clone(), "http"),
        (format!("file://{}/", site.dir.display()), "file"),
    ] {
        let mut listed = listed_slugs(&tab, &format!("{base}search.html?q=%22gasket%20turbine%22"));
        listed.sort();
        assert_eq!(listed, in_cli, "{label}");
        let status = eval(&tab, "document.getElementById('ib-status').textContent");
        assert_eq!(status.as_str().unwrap(), "2 post-mortems.", "{label}");
    }
    // Excluded, the phrase leaves the post-mortems with its words apart.
    let in_cli = common::ranking(&book, "gasket -\"gasket turbine\"", &[]);
    assert!(
        in_cli.len() == 10 && in_cli.iter().all(|(s, _)| s.contains("apart")),
        "{in_cli:?}"
    );
    let listed = listed_slugs(
        &tab,
        &format!("{base}search.html?q=gasket%20-%22gasket%20turbine%22"),
    );
    assert!(
        listed.len() == 10 && listed.iter().all(|s| s.contains("apart")),
        "{listed:?}"
    );
}

/// A result's snippet is the passage around its best match, the matched words marked,
/// as the CLI shows it, not the start of the post-mortem (the site looks for it in the
/// body's first 480 characters).
#[test]
fn a_snippet_is_centred_on_its_best_match_as_in_the_cli() {
    let book = Book::example();
    let filler = "The pumps ran as designed through the night shift. ".repeat(4);
    book.write(
        "content/2025/2025-08-01-flywheel.md",
        &common::post_mortem("Plant outage", "2025-08-01", "").replace(
            "A condition.",
            &format!("{filler}Then the flywheel governor seized, and the line stopped."),
        ),
    );
    let site = book.build();
    let out = book
        .cmd(&["search", "flywheel governor", "--format", "json"])
        .output()
        .unwrap();
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let in_cli = hits[0]["snippet"].as_str().unwrap().to_owned();
    assert!(
        in_cli.starts_with('…') && in_cli.contains("<mark>flywheel</mark> <mark>governor</mark>"),
        "{in_cli}"
    );

    let browser = browser();
    let tab = browser.new_tab().unwrap();
    let base = serve_dir(&site.dir);
    tab.navigate_to(&format!("{base}search.html?q=flywheel%20governor"))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    wait_until(
        &tab,
        "document.querySelector('#ib-results li .result-snippet mark')",
    );
    let snippet = eval(
        &tab,
        "document.querySelector('#ib-results li .result-snippet').innerHTML",
    );
    assert_eq!(snippet.as_str().unwrap(), in_cli);
}
