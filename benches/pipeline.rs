//! Criterion benchmarks of the hot functions, on the repository's example content:
//! parsing one post-mortem, linking the book, checking it, rendering every page, and
//! the search indexes (tantivy and the static export).
//!
//!     cargo bench --bench pipeline
//!
//! Whole builds over generated corpora are timed by scripts/bench.sh.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use incidentbook::config::Config;
use incidentbook::parse::{self, ParseOptions};
use incidentbook::render::{self, Theme};
use incidentbook::site::{Purpose, Site};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn benches(c: &mut Criterion) {
    let root = example();
    let config = Config::load(&root).unwrap();
    let rel = Path::new("2024/2024-03-12-orders-migration-lock.md");
    let text = std::fs::read_to_string(root.join("content").join(rel)).unwrap();
    let options = ParseOptions::from_config(&config, Purpose::Build);
    c.bench_function("parse one post-mortem (to HTML)", |b| {
        b.iter(|| parse::parse_incident(&text, rel, rel, &options))
    });

    let site = Site::load(&root, Purpose::Build, &|_| {}).unwrap();
    c.bench_function("link the example book", |b| {
        b.iter(|| site.knowledge_base(&|_| {}).factors.len())
    });
    let kb = site.knowledge_base(&|_| {});
    c.bench_function("check the example book", |b| {
        b.iter(|| site.check(&kb, &|_| {}).len())
    });

    let theme = Theme::load(&config.theme_dir(&root)).unwrap();
    let content = config.content_dir(&root);
    c.bench_function("render every page of the example book", |b| {
        b.iter(|| {
            render::render_site(&kb, &theme, &site.config, &content, &|_| Ok(()), None)
                .unwrap()
                .len()
        })
    });
    let cache = tempfile::tempdir().unwrap();
    let stamps = incidentbook::search::source_stamps(&root, &site.config).unwrap();
    c.bench_function("build the tantivy index from scratch", |b| {
        b.iter(|| {
            let _ = std::fs::remove_dir_all(cache.path().join("search"));
            incidentbook::search::SearchIndex::open(cache.path(), &kb, &stamps, Default::default())
                .is_ok()
        })
    });
    let index =
        incidentbook::search::SearchIndex::open(cache.path(), &kb, &stamps, Default::default())
            .unwrap();
    c.bench_function(
        "export the static search index (from the tantivy index)",
        |b| {
            b.iter(|| {
                incidentbook::search::export::files(&kb, &index)
                    .unwrap()
                    .len()
            })
        },
    );
    c.bench_function("search: two words with a prefix", |b| {
        b.iter(|| {
            index
                .search("migration loc", &Default::default(), 10)
                .unwrap()
                .len()
        })
    });
}

criterion_group! {
    name = pipeline;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(pipeline);
