//! What the fixed crates cost alone on a book, one thread each: the floor under any
//! optimisation of ours, to hold our own stages against. Not part of the test run.
//!
//!   cargo run --release --example floors -- BOOK
//!
//! Prints, over every post-mortem of BOOK, single-threaded: reading the files;
//! gray_matter's YAML engine on the front matter (split at the first `---` lines, as
//! the generated corpora write it); pulldown-cmark parsing the body to HTML (nothing
//! gathered); our whole parse (`parse_incident`: the two above and everything the
//! checks, pages and search take from a file); each post-mortem's page
//! (`render_incident`: its data, then tera with the book's theme); the tantivy index
//! in memory (one writer thread, our analyzer).
use std::time::Instant;

use gray_matter::engine::{Engine, YAML};
use incidentbook::render::{Cards, Theme, render_incident};
use incidentbook::search::SearchIndex;
use incidentbook::site::{Purpose, Site};

// As the binary: allocation is part of what is measured.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("BOOK"));
    let site = Site::load(&root, Purpose::Build, &|_| {}).expect("loads");
    let book = &site.book;
    let content = site.config.content_dir(&root);
    let secs = |t: Instant| t.elapsed().as_secs_f64();

    let t = Instant::now();
    let texts: Vec<String> = book
        .incidents
        .iter()
        .map(|i| std::fs::read_to_string(content.join(&i.content_path)).expect("reads"))
        .collect();
    println!("read files            {:6.3} s", secs(t));

    let split: Vec<(&str, &str)> = texts
        .iter()
        .map(|t| {
            let rest = t.strip_prefix("---\n").unwrap_or(t);
            let end = rest.find("\n---\n").unwrap_or(0);
            (&rest[..end], &rest[(end + 5).min(rest.len())..])
        })
        .collect();
    let t = Instant::now();
    for (matter, _) in &split {
        std::hint::black_box(YAML::parse(matter).ok());
    }
    println!("gray_matter YAML      {:6.3} s", secs(t));

    let t = Instant::now();
    let mut html = String::new();
    for (_, body) in &split {
        html.clear();
        let parser = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all());
        pulldown_cmark::html::push_html(&mut html, parser);
        std::hint::black_box(&html);
    }
    println!("pulldown-cmark HTML   {:6.3} s", secs(t));

    let options = incidentbook::parse::ParseOptions::from_config(&site.config, Purpose::Build);
    let t = Instant::now();
    for (i, text) in book.incidents.iter().zip(&texts) {
        std::hint::black_box(incidentbook::parse::parse_incident(
            text,
            &i.source,
            &i.content_path,
            &options,
        ));
    }
    println!("ours: parse_incident  {:6.3} s", secs(t));

    let kb = site.knowledge_base(&|_| {});
    let theme = Theme::load(&site.config.theme_dir(&root)).expect("theme");
    let cards = Cards::new(&kb, &site.config);
    let t = Instant::now();
    for (n, i) in book.incidents.iter().enumerate() {
        std::hint::black_box(render_incident(&kb, &cards, &theme, &site.config, n, i).ok());
    }
    println!("tera post-mortem pages {:5.3} s", secs(t));

    let t = Instant::now();
    std::hint::black_box(SearchIndex::in_memory(&kb, Default::default()).ok());
    println!("tantivy index (RAM)   {:6.3} s", secs(t));
}
