//! Reference checks: links between files, and identifiers that must be unique.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::point;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::model::{Incident, ReferenceKind};

/// Relative links whose target is not a file of the book.
pub fn broken_links(
    incident: &Incident,
    pages: &HashSet<PathBuf>,
    assets: &HashSet<&PathBuf>,
) -> Vec<Diagnostic> {
    incident
        .body
        .references
        .iter()
        .filter(|r| match r.kind {
            ReferenceKind::Page => !pages.contains(&r.target),
            ReferenceKind::Asset => !assets.contains(&r.target),
        })
        .map(|r| {
            let what = if r.kind == ReferenceKind::Page { "post-mortem" } else { "file" };
            Diagnostic::new(
                Code::BrokenLink,
                &incident.source,
                point(r.line, r.column, r.start, r.end),
                format!("link to a {what} that does not exist: `{}`", r.written),
            )
            .with_help(format!(
                "the path is relative to this file and resolves to content/{}; correct it or remove the link",
                r.target.display()
            ))
        })
        .collect()
}

/// Two post-mortems published at the same URL.
pub fn duplicate_slugs(incidents: &[Incident]) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Incident> = HashMap::new();
    let mut out = Vec::new();
    for incident in incidents {
        if let Some(other) = first.insert(&incident.slug, incident) {
            // Report on the later file, naming the earlier one; keep the first as owner.
            first.insert(&other.slug, other);
            out.push(
                Diagnostic::new(
                    Code::DuplicateSlug,
                    &incident.source,
                    Span::file_start(),
                    format!(
                        "slug `{}` is also used by {}",
                        incident.slug,
                        other.source.display()
                    ),
                )
                .with_help(
                    "rename one of the files, or set a distinct `slug:` in its front matter",
                ),
            );
        }
    }
    out
}
