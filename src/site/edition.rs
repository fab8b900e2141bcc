//! The public edition, made when the book is assembled: the internal post-mortems are
//! left out here, before the knowledge base is built, so that every view made from it
//! (counts, facets, related post-mortems, factor pages, the board, search entries,
//! feed entries, JSON records, insights) is made from public material alone. Their
//! internal passages were already left out by parsing (`parse::passages`).

use std::collections::HashSet;
use std::path::PathBuf;

use crate::config::Config;
use crate::model::{Book, ReferenceKind};

/// Keeps of `book` what the public edition publishes: the public post-mortems, the
/// factors they name or link to, and the files they link to. What was left out is
/// recorded in `book.withheld`, and its parse diagnostics dropped: the public edition
/// checks what it publishes.
pub fn keep_public(book: &mut Book, config: &Config) {
    let (kept, left): (Vec<_>, Vec<_>) = std::mem::take(&mut book.incidents)
        .into_iter()
        .partition(|i| config.is_public(i.visibility.as_deref()));
    book.incidents = kept;
    let left_sources: HashSet<PathBuf> = left.iter().map(|i| i.source.clone()).collect();
    for incident in &left {
        book.withheld.paths.insert(incident.content_path.clone());
        book.withheld.names.insert(incident.slug.clone());
        book.withheld
            .names
            .extend(incident.action_items.iter().map(|a| a.id.clone()));
    }
    book.diagnostics.retain(|d| !left_sources.contains(&d.file));

    let mut named: HashSet<&str> = HashSet::new();
    let mut files: HashSet<&PathBuf> = HashSet::new();
    for incident in &book.incidents {
        named.extend(incident.factors.iter().map(|f| f.id.as_str()));
        for r in &incident.body.references {
            match r.kind {
                ReferenceKind::Wiki { .. } => {
                    named.insert(r.written.as_str());
                }
                ReferenceKind::Asset => {
                    files.insert(&r.target);
                }
                ReferenceKind::Page => {}
            }
        }
    }
    let factors: Vec<_> = book
        .factors
        .iter()
        .filter(|f| {
            named.contains(f.id.as_str()) || f.aliases.iter().any(|a| named.contains(a.as_str()))
        })
        .cloned()
        .collect();
    let assets: Vec<PathBuf> = book
        .assets
        .iter()
        .filter(|a| files.contains(a))
        .cloned()
        .collect();
    book.factors = factors;
    book.assets = assets;
}
