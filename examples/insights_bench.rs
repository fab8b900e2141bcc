//! What the insights and the related-incident ranking cost a build: each timed alone,
//! in process, on a book already read (the median of RUNS runs).
//!
//!     scripts/insights-bench.sh [N]          # generates N post-mortems (default 10000)
//!     cargo run --release --example insights_bench -- BOOK [RUNS]
//!
//! Measures what `build` does for them: the similarity index and every post-mortem's
//! related incidents (`KnowledgeBase::related`, on all cores as in a build), and the
//! numbers of every insights page (the book's, each service's, each team's:
//! `insights::compute`, then the pages' data and charts). Rendering the pages' HTML is
//! the theme's cost, like any page's, and not counted.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use incidentbook::site::{Purpose, Site};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let book = PathBuf::from(args.next().expect("usage: insights_bench BOOK [RUNS]"));
    let runs: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("RUNS is a number"));
    let site = Site::load(&book, Purpose::Check, &|_| {}).expect("the book loads");
    let n = site.book.incidents.len();
    let (mut index, mut related, mut insights) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        // A fresh knowledge base each run: the index and the ranking are made once per
        // build, on first use.
        let kb = site.knowledge_base(&|_| {});
        let t = Instant::now();
        std::hint::black_box(kb.similarity());
        index.push(t.elapsed());
        let t = Instant::now();
        let shown: usize = kb.related().iter().map(Vec::len).sum();
        related.push(t.elapsed());
        std::hint::black_box(shown);
        let t = Instant::now();
        let pages = incidentbook::render::insights_data(&kb, &site.config);
        insights.push(t.elapsed());
        std::hint::black_box(pages);
    }
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    println!(
        "| post-mortems | similarity index | related incidents of every page | every insights page's data |"
    );
    println!("| ---: | ---: | ---: | ---: |");
    println!(
        "| {n} | {} | {} | {} |",
        ms(median(index)),
        ms(median(related)),
        ms(median(insights))
    );
}
