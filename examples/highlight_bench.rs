//! What code highlighting adds to a build: every fenced code block of a book, highlighted
//! as the build does (`parse::highlight::code_block`), timed alone on one thread (the
//! median of RUNS runs), beside how many blocks and bytes there are.
//!
//!     cargo run --release --example highlight_bench -- BOOK [RUNS]

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let book = args.next().expect("usage: highlight_bench BOOK [RUNS]");
    let runs: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("RUNS is a number"));
    // Every fenced block with a language, as (info, code).
    let mut blocks = Vec::new();
    for entry in walkdir::WalkDir::new(&book)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let parser = pulldown_cmark::Parser::new(&text);
        let mut current: Option<(String, String)> = None;
        for event in parser {
            use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    current = Some((info.to_string(), String::new()));
                }
                Event::Text(t) => {
                    if let Some((_, code)) = current.as_mut() {
                        code.push_str(&t);
                    }
                }
                Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
                _ => {}
            }
        }
    }
    let bytes: usize = blocks.iter().map(|(_, c)| c.len()).sum();
    // The grammars load once per build, on first use; counted in the first run.
    let mut times = Vec::new();
    let mut highlighted = 0;
    for _ in 0..runs {
        let start = Instant::now();
        highlighted = blocks
            .iter()
            .filter(|(info, code)| incidentbook::parse::highlight::code_block(info, code).is_some())
            .count();
        times.push(start.elapsed());
    }
    let first = times[0];
    times.sort();
    println!(
        "{} blocks ({} highlighted, {} kB): {:.0} ms median of {runs} on one thread, first run (loading the grammars) {:.0} ms",
        blocks.len(),
        highlighted,
        bytes / 1000,
        times[runs / 2].as_secs_f64() * 1000.0,
        first.as_secs_f64() * 1000.0
    );
}
