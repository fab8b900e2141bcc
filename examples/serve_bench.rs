//! `serve --watch` under measurement: for each kind of single-file edit, the time from
//! the file written to the new content served over HTTP (the `reload` event, then the
//! page fetched and found to show the edit, as a browser does); the server's resident
//! memory; and a short load test on loopback while rebuilds run.
//!
//!     cargo build --release
//!     cargo run --release --example serve_bench -- BOOK [EDITS] [LOAD_SECONDS] [PAUSE_MS]
//!
//! (or any build of the example with `INCIDENTBOOK_BIN=path/to/incidentbook`).
//!
//! EDITS edits of each kind (default 10): the text of a post-mortem, its title, date,
//! severity, services, teams, contributing factors, an action item's title; then a
//! post-mortem added, renamed and removed. Each is a plain write (or rename, or
//! removal), as most editors save, PAUSE_MS (default 1000) after the last one was
//! served: the search worker, which waits for edits to pause, runs between them as it
//! does for a person editing. The load test runs four client threads fetching pages for
//! LOAD_SECONDS (default 10; 0 skips it) while a post-mortem is edited every 300 ms.
//! The book is left as it was found.

#[path = "../tests/suite/common/server.rs"]
#[allow(dead_code)]
mod server;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use server::{Events, Server};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let k = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[k]
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
    out.sort();
    out
}

/// The values of a front-matter list written `key: [a, b]` in any post-mortem.
fn flow_values(texts: &[String], key: &str) -> BTreeSet<String> {
    let prefix = format!("{key}: [");
    texts
        .iter()
        .flat_map(|t| t.lines().filter_map(|l| l.strip_prefix(&prefix)))
        .flat_map(|rest| {
            rest.trim_end_matches(']')
                .split(',')
                .map(|v| v.trim().to_owned())
        })
        .filter(|v| !v.is_empty())
        .collect()
}

/// The first line of `text` starting with `start`.
fn first_line<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?}"))
}

/// `text` with the first line starting with `start` replaced by `with`.
fn replace_line(text: &str, start: &str, with: &str) -> String {
    text.replacen(first_line(text, start), with, 1)
}

/// `text` with `value` added to the front-matter list `key` (flow or block style).
fn add_to_list(text: &str, key: &str, value: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{key}:")))
        .unwrap_or_else(|| panic!("no {key}"));
    let with = if line.trim_end().ends_with(']') {
        let inner = line.trim_end().trim_end_matches(']');
        if inner.ends_with('[') {
            format!("{inner}{value}]")
        } else {
            format!("{inner}, {value}]")
        }
    } else {
        format!("{line}\n  - {value}")
    };
    text.replacen(line, &with, 1)
}

/// What an edit changes, and what the served page must then show (or not).
struct Edit {
    /// Written to `file`; `None` removes it.
    text: Option<String>,
    file: PathBuf,
    /// Renamed from this file first.
    renamed_from: Option<PathBuf>,
    page: String,
    /// The page must contain this (or, when empty, be gone).
    shows: String,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let book = PathBuf::from(
        args.first()
            .expect("usage: serve_bench BOOK [EDITS] [LOAD_SECONDS] [PAUSE_MS]"),
    );
    let edits: usize = args.get(1).map_or(10, |s| s.parse().unwrap());
    let load_seconds: u64 = args.get(2).map_or(10, |s| s.parse().unwrap());
    let pause = Duration::from_millis(args.get(3).map_or(1000, |s| s.parse().unwrap()));
    let content = book.join("content");
    let all = walk(&content);
    let post_mortems: Vec<PathBuf> = all
        .iter()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md") && !p.to_string_lossy().contains("factors")
        })
        .cloned()
        .collect();
    let texts: Vec<String> = post_mortems
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let has_outline = |t: &String| {
        [
            "title:",
            "date:",
            "severity:",
            "services: [",
            "teams: [",
            "contributing_factors:",
        ]
        .iter()
        .all(|k| t.lines().any(|l| l.starts_with(k)))
            && t.lines().any(|l| l.starts_with("    title:"))
    };
    let (file, original) = post_mortems
        .iter()
        .zip(&texts)
        .rev()
        .find(|(_, t)| has_outline(t))
        .map(|(p, t)| (p.clone(), t.clone()))
        .expect("a post-mortem with every outline field");
    let slug = file.file_stem().unwrap().to_string_lossy().into_owned();
    let page = format!("/incidents/{slug}.html");
    let services = flow_values(&texts, "services");
    let teams = flow_values(&texts, "teams");
    let factors: Vec<String> = all
        .iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("factors")))
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
        .collect();
    let line_of = |key: &str| first_line(&original, key).to_owned();
    let other = |set: &BTreeSet<String>, key: &str| {
        let line = line_of(key);
        set.iter()
            .find(|v| !line.contains(v.as_str()))
            .expect("a value this post-mortem lacks")
            .clone()
    };
    let new_service = other(&services, "services:");
    let new_team = other(&teams, "teams:");
    let new_factor = factors
        .iter()
        .find(|f| !original.contains(f.as_str()))
        .expect("a factor this post-mortem lacks")
        .clone();
    let date = line_of("date:");
    let day: u32 = date.trim_end().rsplit('-').next().unwrap().parse().unwrap();
    let other_day = if day < 28 { day + 1 } else { day - 1 };
    let new_date = format!("{}{other_day:02}", &date[..date.len() - 2]);
    let severity = line_of("severity:");
    let new_severity = if severity.contains("SEV2") {
        "severity: SEV3"
    } else {
        "severity: SEV2"
    };
    let action = line_of("    title:");

    // The release binary beside this example, unless INCIDENTBOOK_BIN names another
    // (an installed one, or a release build kept elsewhere).
    if std::env::var_os("INCIDENTBOOK_BIN").is_none() {
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
    }
    let started = Instant::now();
    let server = Server::start(&book, &["--watch"]);
    println!(
        "book {} ({} post-mortems); edited: {}",
        book.display(),
        post_mortems.len(),
        file.strip_prefix(&content).unwrap().display()
    );
    println!(
        "first build and start: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    // The first build's search indexes are made at once; wait for them.
    while server.get("/api/search?q=the").status == 503 {
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "after the first build and its search indexes: {}",
        memory(&server)
    );
    let events = server.events();

    // Outline edits toggle between the original and the edited value, so each is a
    // change; the text edits append a new sentence each time.
    let toggle = |i: usize, edited: String| {
        if i.is_multiple_of(2) {
            edited
        } else {
            original.clone()
        }
    };
    // A value added to a list, then taken away again (the page then only has to change).
    let add = |i: usize, key: &str, value: &str| {
        if i.is_multiple_of(2) {
            (add_to_list(&original, key, value), value.to_owned())
        } else {
            (original.clone(), String::new())
        }
    };
    type Make<'a> = Box<dyn Fn(usize) -> (String, String) + 'a>;
    let kinds: Vec<(&str, Make)> = vec![
        (
            "body",
            Box::new(|i| {
                let marker = format!("Benchmark edit number {i}.");
                (format!("{original}\n{marker}\n"), marker)
            }),
        ),
        (
            "title",
            Box::new(|i| {
                let title = format!("Retitled for benchmark {i}");
                (
                    replace_line(&original, "title:", &format!("title: {title}")),
                    title,
                )
            }),
        ),
        (
            "date",
            Box::new(|i| {
                let text = toggle(i, replace_line(&original, "date:", &new_date));
                let shown = if i.is_multiple_of(2) {
                    &new_date
                } else {
                    &date
                };
                (text, shown.trim_start_matches("date: ").to_owned())
            }),
        ),
        (
            "severity",
            Box::new(|i| {
                let text = toggle(i, replace_line(&original, "severity:", new_severity));
                let shown = if i.is_multiple_of(2) {
                    new_severity
                } else {
                    &severity
                };
                (text, shown.trim_start_matches("severity: ").to_owned())
            }),
        ),
        ("services", Box::new(|i| add(i, "services", &new_service))),
        ("teams", Box::new(|i| add(i, "teams", &new_team))),
        (
            "factors",
            Box::new(|i| add(i, "contributing_factors", &new_factor)),
        ),
        (
            "action item",
            Box::new(|i| {
                let title = format!("Benchmark action {i}");
                let text = original.replacen(&action, &format!("    title: {title}"), 1);
                (text, title)
            }),
        ),
    ];
    let mut rows = Vec::new();
    for (kind, make) in &kinds {
        let mut latencies = Vec::new();
        for i in 0..edits {
            let (text, shows) = make(i);
            // An edit that only takes a value away is checked by the page changing.
            let shows = if shows.is_empty() {
                String::from("</html>")
            } else {
                shows
            };
            let edit = Edit {
                text: Some(text),
                file: file.clone(),
                renamed_from: None,
                page: page.clone(),
                shows,
            };
            latencies.push(measure(&server, &events, &edit, kind, i));
            std::thread::sleep(pause);
        }
        restore(&events, &file, &original, pause);
        rows.push((kind.to_string(), latencies));
    }

    // A post-mortem added (a copy of the edited one under another name, with its own
    // action item ids), renamed, then removed: every list and term page changes.
    let stem = slug.clone();
    let mut files: [(&str, Vec<Duration>); 3] = [
        ("add", Vec::new()),
        ("rename", Vec::new()),
        ("remove", Vec::new()),
    ];
    let ids: Vec<String> = original
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("- id: "))
        .map(str::to_owned)
        .collect();
    for i in 0..edits {
        let copy = |name: &str| {
            let mut text = replace_line(&original, "title:", &format!("title: Added {name}"));
            for id in &ids {
                text = text.replace(id.as_str(), &format!("{id}-{name}"));
            }
            text
        };
        let first = format!("{stem}-bench-{i}");
        let second = format!("{stem}-bench-{i}-renamed");
        let path = |name: &str| file.with_file_name(format!("{name}.md"));
        let url = |name: &str| format!("/incidents/{name}.html");
        let steps = [
            Edit {
                text: Some(copy(&first)),
                file: path(&first),
                renamed_from: None,
                page: url(&first),
                shows: format!("Added {first}"),
            },
            Edit {
                text: None,
                file: path(&second),
                renamed_from: Some(path(&first)),
                page: url(&second),
                shows: format!("Added {first}"),
            },
            Edit {
                text: None,
                file: path(&second),
                renamed_from: None,
                page: url(&second),
                shows: String::new(),
            },
        ];
        for ((kind, latencies), edit) in files.iter_mut().zip(&steps) {
            latencies.push(measure(&server, &events, edit, kind, i));
            std::thread::sleep(pause);
        }
    }
    rows.extend(files.map(|(kind, latencies)| (kind.to_owned(), latencies)));

    println!("edit written to new content served, over {edits} edits of each kind:");
    println!(
        "{:<12} {:>8} {:>8} {:>8}",
        "kind", "p50 ms", "p90 ms", "max ms"
    );
    for (kind, mut latencies) in rows {
        latencies.sort();
        println!(
            "{kind:<12} {:>8} {:>8} {:>8}",
            percentile(&latencies, 0.5).as_millis(),
            percentile(&latencies, 0.9).as_millis(),
            latencies.last().unwrap().as_millis()
        );
    }
    println!("after the edits: {}", memory(&server));

    if load_seconds > 0 {
        load(&server, &file, &original, &page, load_seconds);
    }
    std::fs::write(&file, &original).unwrap();
}

/// Makes `edit` and returns the time from the write to the page served showing it.
fn measure(server: &Server, events: &Events, edit: &Edit, kind: &str, i: usize) -> Duration {
    let written = Instant::now();
    match (&edit.text, &edit.renamed_from) {
        (Some(text), _) => std::fs::write(&edit.file, text).unwrap(),
        (None, Some(from)) => std::fs::rename(from, &edit.file).unwrap(),
        (None, None) => std::fs::remove_file(&edit.file).unwrap(),
    }
    // A save can arrive as more than one event: wait for the reload that serves it.
    loop {
        events.wait_for("reload");
        let page = server.get(&edit.page);
        let served = if edit.shows.is_empty() {
            page.status == 404
        } else {
            page.status == 200 && page.body.contains(&edit.shows)
        };
        if served {
            return written.elapsed();
        }
        assert!(
            written.elapsed() < Duration::from_secs(60),
            "{kind} edit {i} not served within 60 s"
        );
    }
}

/// Writes `original` back and waits until it is served (not measured).
fn restore(events: &Events, file: &Path, original: &str, pause: Duration) {
    if std::fs::read_to_string(file).unwrap() != original {
        std::fs::write(file, original).unwrap();
        events.wait_for("reload");
        std::thread::sleep(pause);
    }
}

/// The server's resident memory now and at its peak (Linux only).
fn memory(server: &Server) -> String {
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| {
                v.trim()
                    .trim_end_matches(" kB")
                    .trim()
                    .parse::<u64>()
                    .unwrap_or(0)
                    / 1024
            })
            .unwrap_or(0)
    };
    format!(
        "serve's resident memory {} MB (peak {} MB)",
        field("VmRSS:"),
        field("VmHWM:")
    )
}

/// Pages fetched by four clients while the book keeps changing.
fn load(server: &Server, file: &Path, original: &str, page: &str, seconds: u64) {
    let stop = Arc::new(AtomicBool::new(false));
    let pages: Vec<String> = [
        "/",
        page,
        "/incidents/index.html",
        "/factors/index.html",
        "/static/style.css",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    let mut rebuilds = 0;
    let load_start = Instant::now();
    std::thread::scope(|scope| {
        let clients: Vec<_> = (0..4)
            .map(|t| {
                let (stop, pages) = (Arc::clone(&stop), pages.clone());
                scope.spawn(move || {
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
        while load_start.elapsed() < Duration::from_secs(seconds) {
            std::fs::write(file, format!("{original}\nLoad edit {rebuilds}.\n")).unwrap();
            rebuilds += 1;
            std::thread::sleep(Duration::from_millis(300));
        }
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            let (times, e) = c.join().unwrap();
            all.extend(times);
            errors += e;
        }
    });
    let elapsed = load_start.elapsed();
    all.sort();
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
