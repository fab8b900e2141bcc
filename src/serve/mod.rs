//! `incidentbook serve`: the site built in memory and served over HTTP (axum), with
//! `--watch` a live preview: files are watched (notify), the site is rebuilt
//! incrementally ([`rebuild`]) and browsers are told to reload, or shown the
//! diagnostics, over Server-Sent Events.
//!
//! Threads: the HTTP server runs on a tokio runtime; rebuilds run on one thread of their
//! own, fed by the watcher; search indexes are made on another after each reload. The
//! served [`Snapshot`] is swapped whole, so a request sees one build or the next, never
//! a mix.

pub mod http;
pub mod rebuild;
mod run;
pub mod watch;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

pub use rebuild::{Builder, Changes, Outcome, Snapshot};
pub use run::{Options, run};

/// What browsers are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// A new build is served: reload.
    Reload { version: u64 },
    /// The last rebuild failed: show this report.
    Errors { report: String },
    /// The errors are fixed (sent before the reload).
    Ok,
}

/// Everything the HTTP handlers read.
pub struct State {
    pub root: PathBuf,
    /// The last good build; `None` until one succeeds.
    snapshot: RwLock<Option<Arc<Snapshot>>>,
    /// The report of the last rebuild when it failed.
    errors: RwLock<Option<String>>,
    pub events: broadcast::Sender<LiveEvent>,
    /// Whether pages get the live-reload script.
    pub live: bool,
}

impl State {
    pub fn new(root: &Path, live: bool) -> Arc<State> {
        let (events, _) = broadcast::channel(64);
        Arc::new(State {
            root: root.to_path_buf(),
            snapshot: RwLock::new(None),
            errors: RwLock::new(None),
            events,
            live,
        })
    }

    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn errors(&self) -> Option<String> {
        self.errors
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Takes the outcome of a rebuild: serves a new snapshot (then tells browsers to
    /// reload), or keeps the last good one and tells browsers what is wrong. Returns the
    /// book to index for search, if the build succeeded.
    pub fn publish(&self, outcome: Outcome) -> Option<(Box<crate::site::Site>, Arc<Snapshot>)> {
        match outcome {
            Outcome::Built { snapshot, site, .. } => {
                let version = snapshot.version;
                *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
                let had_errors = self
                    .errors
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .take()
                    .is_some();
                if had_errors {
                    let _ = self.events.send(LiveEvent::Ok);
                }
                let _ = self.events.send(LiveEvent::Reload { version });
                Some((site, snapshot))
            }
            Outcome::Failed { report } => {
                *self.errors.write().unwrap_or_else(|e| e.into_inner()) = Some(report.clone());
                let _ = self.events.send(LiveEvent::Errors { report });
                None
            }
        }
    }
}
