//! The server's life: the first build, the HTTP server, and with `--watch` the watcher,
//! the rebuild loop and the search worker.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;

use super::{Builder, Changes, Outcome, State, http, rebuild, watch};
use crate::config::{Config, Profile};
use crate::error::{Error, Result};
use crate::site::Site;
use crate::text::plural;

pub struct Options {
    pub hostname: String,
    pub port: u16,
    pub watch: bool,
    pub open: bool,
    /// Host names answered besides loopback ones and `hostname`.
    pub allow_hosts: Vec<String>,
}

/// Builds the site in memory, serves it, and with `--watch` rebuilds on every change
/// and reloads the browsers; returns when the server stops (Ctrl-C). `profile` is the
/// command line's `--profile`; `quiet` leaves out the line each build prints.
pub fn run(
    root: &Path,
    config: &Config,
    options: &Options,
    profile: Option<Profile>,
    quiet: bool,
) -> Result<()> {
    let state = State::new(root, options.watch);
    let mut builder = Builder::new(root, profile);
    let outcome = guarded_rebuild(&mut builder, root, profile, &Changes::default());
    report(quiet, &outcome, "built");
    let cache_dir = crate::config::cache_dir(root);
    let indexer = search_worker(Arc::clone(&state), cache_dir);
    if let Some(job) = state.publish(outcome) {
        let _ = indexer.send(job);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Server {
            action: "cannot start the server",
            source,
        })?;
    let address = format!("{}:{}", options.hostname, options.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(&address))
        .and_then(|listener| Ok((listener.local_addr()?, listener)))
        .map_err(|source| Error::Listen {
            address: address.clone(),
            source,
        })?;
    let (local, listener) = listener;
    let url = format!("http://{local}/");
    // The URL goes to stdout, so scripts and tests can read it.
    println!("Serving {} at {url}", root.display());
    if options.watch {
        println!("Watching for changes; press Ctrl-C to stop.");
    }

    // Kept alive for as long as the server runs.
    let _watcher = if options.watch {
        let (sender, receiver) = mpsc::channel::<Changes>();
        let watched = watch::Watched::new(root, config);
        let debouncer = watch::start(watched, move |changes| {
            let _ = sender.send(changes);
        })
        .map_err(|e| Error::Watch {
            path: root.to_path_buf(),
            message: e.to_string(),
        })?;
        let state = Arc::clone(&state);
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            while let Ok(mut changes) = receiver.recv() {
                // A burst (a checkout, a formatter over many files) makes one rebuild.
                while let Ok(more) = receiver.try_recv() {
                    changes.merge(more);
                }
                let outcome = guarded_rebuild(&mut builder, &root, profile, &changes);
                report(quiet, &outcome, "rebuilt");
                if let Some(job) = state.publish(outcome) {
                    let _ = indexer.send(job);
                }
            }
        });
        Some(debouncer)
    } else {
        None
    };
    if options.open {
        open_browser(&url);
    }
    runtime
        .block_on(async move {
            let mut hosts = options.allow_hosts.clone();
            hosts.push(options.hostname.clone());
            axum::serve(
                listener,
                http::router(state, http::AllowedHosts::new(hosts)),
            )
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
        })
        .map_err(|source| Error::Server {
            action: "the server stopped",
            source,
        })?;
    Ok(())
}

/// A rebuild that cannot take serve down: a panic (a bug, on some input) is reported
/// as a failed build, so the last good site is still served, and the next rebuild
/// starts afresh rather than from a builder the panic left half-changed.
fn guarded_rebuild(
    builder: &mut Builder,
    root: &Path,
    profile: Option<crate::config::Profile>,
    changes: &Changes,
) -> Outcome {
    let run = std::panic::AssertUnwindSafe(|| builder.rebuild(changes));
    match std::panic::catch_unwind(run) {
        Ok(outcome) => outcome,
        Err(panic) => {
            *builder = Builder::new(root, profile);
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned());
            Outcome::Failed {
                report: format!(
                    "error: the rebuild failed on an internal error ({}); this is a bug in incidentbook, please report it with the file you changed\n",
                    crate::text::visible(&what)
                ),
            }
        }
    }
}

type SearchJob = (Box<Site>, Arc<rebuild::Snapshot>);

/// While edits keep coming, search indexing waits: it would take the processor from
/// the next rebuild, and nobody searches mid-sentence.
const SEARCH_QUIET: std::time::Duration = std::time::Duration::from_millis(700);

/// Makes each build's search indexes on a thread of its own, once edits pause, skipping
/// builds that a newer one replaced before their turn came.
fn search_worker(state: Arc<State>, cache_dir: std::path::PathBuf) -> mpsc::Sender<SearchJob> {
    let (sender, receiver) = mpsc::channel::<SearchJob>();
    std::thread::spawn(move || {
        let mut first = true;
        while let Ok(mut job) = receiver.recv() {
            // The first build is indexed at once: the preview has just opened.
            if !first {
                while let Ok(newer) = receiver.recv_timeout(SEARCH_QUIET) {
                    job = newer;
                }
            }
            first = false;
            while let Ok(newer) = receiver.try_recv() {
                job = newer;
            }
            let (site, snapshot) = job;
            let current = state.snapshot().map(|s| s.version);
            if current == Some(snapshot.version) {
                // A panic in the search engine leaves that build without search; the
                // worker lives on for the next one.
                let index = std::panic::AssertUnwindSafe(|| {
                    rebuild::index_search(&site, &snapshot, &cache_dir)
                });
                if std::panic::catch_unwind(index).is_err() {
                    eprintln!("error: the search index of this build could not be made");
                }
            }
        }
    });
    sender
}

fn report(quiet: bool, outcome: &Outcome, verb: &str) {
    match outcome {
        Outcome::Built {
            snapshot,
            took,
            rendered,
            ..
        } => {
            if !quiet {
                eprintln!(
                    "{verb} {} in {} ms ({} rendered)",
                    plural(snapshot.files.len(), "file"),
                    took.as_millis(),
                    plural(*rendered, "page")
                );
            }
        }
        Outcome::Failed { report } => {
            eprint!("{report}");
            eprintln!("error: the last good version of the site is still served");
        }
    }
}

/// Opens `url` in the default browser; a failure is only reported.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(command).arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({command}: {e}); open {url} yourself");
    }
}
