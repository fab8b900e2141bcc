//! `serve --watch` under measurement: the time from writing a post-mortem to the
//! browser's reload event, and a short load test on loopback while rebuilds run.
//!
//!     cargo build --release
//!     cargo run --release --example serve_bench -- BOOK [EDITS] [LOAD_SECONDS]
//!
//! Each edit appends a sentence to one post-mortem (a plain write, as most editors
//! save), then waits for the `reload` event and checks the page shows the sentence.
//! The load test runs four client threads fetching pages for LOAD_SECONDS (at most
//! 200,000 requests) while a post-mortem is edited every 300 ms.

#[path = "../tests/suite/common/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let k = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[k]
}

fn a_post_mortem(content: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = walk(content)
        .into_iter()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md") && !p.to_string_lossy().contains("factors")
        })
        .collect();
    files.sort();
    files.pop().expect("a post-mortem")
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let book = PathBuf::from(
        args.first()
            .expect("usage: serve_bench BOOK [EDITS] [LOAD_SECONDS]"),
    );
    let edits: usize = args.get(1).map_or(20, |s| s.parse().unwrap());
    let load_seconds: u64 = args.get(2).map_or(10, |s| s.parse().unwrap());
    let file = a_post_mortem(&book.join("content"));
    let original = std::fs::read_to_string(&file).unwrap();
    let slug = file.file_stem().unwrap().to_string_lossy().into_owned();
    let page = format!("/incidents/{slug}.html");

    // The release binary beside this example's folder (target/release/).
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("incidentbook");
    assert!(
        bin.exists(),
        "build the binary first: cargo build --release"
    );
    // SAFETY: set before any thread is started.
    unsafe { std::env::set_var("INCIDENTBOOK_BIN", &bin) };
    let started = Instant::now();
    let server = server::Server::start(&book, &["--watch"]);
    println!(
        "first build and start: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let events = server.events();

    let mut latencies = Vec::new();
    for i in 0..edits {
        let marker = format!("Benchmark edit number {i}.");
        let written = Instant::now();
        std::fs::write(&file, format!("{original}\n{marker}\n")).unwrap();
        let (_, reloaded) = events.wait_for("reload");
        latencies.push(reloaded - written);
        assert!(
            server.get(&page).body.contains(&marker),
            "edit {i} not shown"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    latencies.sort();
    println!(
        "edit to reload over {edits} edits of the text: p50 {} ms, p90 {} ms, max {} ms",
        percentile(&latencies, 0.5).as_millis(),
        percentile(&latencies, 0.9).as_millis(),
        latencies.last().unwrap().as_millis()
    );

    // Edits of the outline (here the title), which the lists show: the whole book is
    // checked and every page whose data changed is rendered again.
    let title_line = original
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("a title line")
        .to_owned();
    let mut outline = Vec::new();
    for i in 0..edits.min(5) {
        let written = Instant::now();
        let text = original.replace(&title_line, &format!("title: Retitled for benchmark {i}"));
        std::fs::write(&file, text).unwrap();
        let (_, reloaded) = events.wait_for("reload");
        outline.push(reloaded - written);
        std::thread::sleep(Duration::from_millis(250));
    }
    outline.sort();
    println!(
        "edit to reload over {} edits of the title: p50 {} ms, max {} ms",
        outline.len(),
        percentile(&outline, 0.5).as_millis(),
        outline.last().unwrap().as_millis()
    );

    // Load: pages fetched while the book keeps changing.
    let stop = Arc::new(AtomicBool::new(false));
    let pages = [
        "/",
        &page,
        "/incidents/index.html",
        "/factors/index.html",
        "/static/style.css",
    ];
    let server = Arc::new(server);
    let clients: Vec<_> = (0..4)
        .map(|t| {
            let (server, stop) = (Arc::clone(&server), Arc::clone(&stop));
            let pages: Vec<String> = pages.iter().map(|p| p.to_string()).collect();
            std::thread::spawn(move || {
                let mut times = Vec::new();
                let mut errors = 0usize;
                let mut k = t;
                while !stop.load(Ordering::Relaxed) && times.len() < 50_000 {
                    let start = Instant::now();
                    let r = server.get(&pages[k % pages.len()]);
                    times.push(start.elapsed());
                    if r.status != 200 {
                        errors += 1;
                    }
                    k += 1;
                }
                (times, errors)
            })
        })
        .collect();
    let load_start = Instant::now();
    let mut rebuilds = 0;
    while load_start.elapsed() < Duration::from_secs(load_seconds) {
        std::fs::write(&file, format!("{original}\nLoad edit {rebuilds}.\n")).unwrap();
        rebuilds += 1;
        std::thread::sleep(Duration::from_millis(300));
    }
    stop.store(true, Ordering::Relaxed);
    let elapsed = load_start.elapsed();
    let mut all = Vec::new();
    let mut errors = 0;
    for c in clients {
        let (times, e) = c.join().unwrap();
        all.extend(times);
        errors += e;
    }
    all.sort();
    std::fs::write(&file, &original).unwrap();
    println!(
        "load: {} requests in {:.1} s during {rebuilds} edits: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms, {errors} errors",
        all.len(),
        elapsed.as_secs_f64(),
        all.len() as f64 / elapsed.as_secs_f64(),
        percentile(&all, 0.5).as_secs_f64() * 1000.0,
        percentile(&all, 0.99).as_secs_f64() * 1000.0,
        all.last().unwrap().as_secs_f64() * 1000.0,
    );
}
