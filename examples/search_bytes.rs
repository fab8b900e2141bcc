//! Bytes a browser loads for a first search, measured in headless Chromium: the site's
//! own search box (static/search.js and the index under search/) and, when the site
//! also holds a Pagefind index (`pagefind --site DIR`), Pagefind's, for the same
//! queries. Each query runs in a fresh browser, so nothing is cached.
//!
//!     cargo run --release --example search_bytes -- SITE [QUERY...]
//!
//! The site is served by a plain HTTP server (no compression), so the figures are the
//! bytes of the files; gzip sizes of the same files are given beside them for ours
//! (Pagefind's index files are compressed already).

#[path = "../tests/suite/common/browser.rs"]
#[allow(dead_code)]
mod browser;

use std::io::Write;
use std::path::Path;

use browser::{RequestLog, eval, wait_until};

const QUERIES: &[&str] = &[
    "migration lock",
    "replica lag",
    "database connection pool",
    "certif",
    "kafka consumer lag",
    "dns",
    "deploy rollback timeout",
];

fn gzip_len(bytes: &[u8]) -> usize {
    let mut child = std::process::Command::new("gzip")
        .arg("-6c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    child.wait_with_output().unwrap().stdout.len()
}

/// (files, bytes, gzip bytes) of the requested paths that `keep` accepts.
fn loaded(site: &Path, log: &RequestLog, keep: impl Fn(&str) -> bool) -> (usize, usize, usize) {
    let mut out = (0, 0, 0);
    for path in log.lock().unwrap().iter().filter(|p| keep(p)) {
        let bytes = std::fs::read(site.join(path)).unwrap_or_default();
        out.0 += 1;
        out.1 += bytes.len();
        out.2 += gzip_len(&bytes);
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let site = Path::new(args.first().expect("usage: search_bytes SITE [QUERY...]")).to_path_buf();
    let queries: Vec<String> = if args.len() > 1 {
        args[1..].to_vec()
    } else {
        QUERIES.iter().map(|q| q.to_string()).collect()
    };
    let (base, log) = browser::serve_dir_logged(&site);
    let pagefind = site.join("pagefind/pagefind.js").exists();
    println!(
        "| query | incidentbook: files, kB (gzip kB) to first results | + filter counts | Pagefind: files, kB |"
    );
    println!("| --- | ---: | ---: | ---: |");
    for query in &queries {
        let chrome = browser::browser();
        log.lock().unwrap().clear();
        let tab = chrome.new_tab().unwrap();
        tab.navigate_to(&format!("{base}index.html")).unwrap();
        tab.wait_until_navigated().unwrap();
        // The whole query at once: one search, as a pasted query or a slow typist makes.
        eval(
            &tab,
            &format!(
                "(() => {{ const q = document.getElementById('ib-q'); q.focus(); q.value = {}; \
                 q.dispatchEvent(new Event('input')); return true; }})()",
                serde_json::to_string(query).unwrap()
            ),
        );
        wait_until(
            &tab,
            "document.querySelectorAll('#ib-results li').length > 0",
        );
        wait_until(&tab, "document.querySelector('#ib-facets button')");
        let ours = |p: &str| p.starts_with("search/") || p == "static/search.js";
        let first = loaded(&site, &log, |p| ours(p) && p != "search/facets.js");
        let all = loaded(&site, &log, ours);
        log.lock().unwrap().clear();
        let theirs = if pagefind {
            let tab = chrome.new_tab().unwrap();
            tab.navigate_to(&format!("{base}404.html")).unwrap();
            tab.wait_until_navigated().unwrap();
            let script = format!(
                "(async () => {{ const pf = await import('{base}pagefind/pagefind.js'); await pf.init(); \
                 const r = await pf.search({q}); await Promise.all(r.results.slice(0, 10).map(x => x.data())); \
                 window.done = r.results.length; return true; }})()",
                q = serde_json::to_string(query).unwrap()
            );
            eval(&tab, &script);
            wait_until(&tab, "window.done !== undefined");
            let p = loaded(&site, &log, |p| p.starts_with("pagefind/"));
            format!("{}, {:.1}", p.0, p.1 as f64 / 1000.0)
        } else {
            "-".to_owned()
        };
        println!(
            "| {query} | {}, {:.1} ({:.1}) | {}, {:.1} ({:.1}) | {theirs} |",
            first.0,
            first.1 as f64 / 1000.0,
            first.2 as f64 / 1000.0,
            all.0,
            all.1 as f64 / 1000.0,
            all.2 as f64 / 1000.0
        );
    }
}
