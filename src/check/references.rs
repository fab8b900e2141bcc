//! Reference checks: links between files, wiki links, factor ids, and identifiers that
//! must be unique.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::{did_you_mean, point};
use crate::config::ValidationConfig;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::link::KnowledgeBase;
use crate::model::{Book, Incident, ReferenceKind};

/// Relative links whose target is not a file of the book, and wiki links naming
/// nothing.
pub fn broken_links(
    incident: &Incident,
    kb: &KnowledgeBase,
    assets: &HashSet<&PathBuf>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in &incident.body.references {
        let span = point(r.line, r.column, r.start, r.end);
        match r.kind {
            // A link to what the public edition left out is IB0712's (`leaks`).
            ReferenceKind::Page if kb.book.withheld.paths.contains(&r.target) => {}
            ReferenceKind::Wiki { .. } if kb.book.withheld.names.contains(&r.written) => {}
            ReferenceKind::Page if !kb.by_path.contains_key(r.target.as_path()) => out.push(
                Diagnostic::new(
                    Code::BrokenLink,
                    &incident.source,
                    span,
                    format!("link to a post-mortem that does not exist: `{}`", r.written),
                )
                .with_help(format!(
                    "the path is relative to this file and resolves to {}; correct it or remove the link",
                    r.target.display()
                )),
            ),
            ReferenceKind::Asset
                if !assets.contains(&r.target) && kb.book.refused.contains(&r.target) =>
            {
                out.push(
                    Diagnostic::new(
                        Code::BrokenLink,
                        &incident.source,
                        span,
                        format!(
                            "link to a file that is not published: `{}` (see IB0005 on that file)",
                            r.written
                        ),
                    )
                    .with_help(
                        "a browser would run it on the site's own origin; link to a screenshot or a PDF instead",
                    ),
                )
            }
            ReferenceKind::Asset if !assets.contains(&r.target) => out.push(
                Diagnostic::new(
                    Code::BrokenLink,
                    &incident.source,
                    span,
                    format!("link to a file that does not exist: `{}`", r.written),
                )
                .with_help(format!(
                    "the path is relative to this file and resolves to {}; correct it or remove the link",
                    r.target.display()
                )),
            ),
            ReferenceKind::Wiki { .. } if kb.wiki_target(&r.written).is_none() => {
                let candidates = kb
                    .factor_index
                    .keys()
                    .chain(kb.action_index.keys())
                    .chain(kb.by_slug.keys())
                    .copied();
                let help = match did_you_mean(&r.written, candidates) {
                    Some(near) => format!("did you mean `[[{near}]]`?"),
                    None => "name a factor id, an action-item id or a post-mortem's slug".to_owned(),
                };
                out.push(
                    Diagnostic::new(
                        Code::BrokenWikiLink,
                        &incident.source,
                        span,
                        format!("`[[{}]]` names nothing in the book", r.written),
                    )
                    .with_help(help),
                );
            }
            _ => {}
        }
    }
    out
}

/// Factor ids (declared, or addressed by action items) missing from the catalogue.
pub fn unknown_factors(
    incident: &Incident,
    kb: &KnowledgeBase,
    rules: &ValidationConfig,
) -> Vec<Diagnostic> {
    if rules.allow_ad_hoc_factors {
        return Vec::new();
    }
    let catalogued = |id: &str| {
        kb.factor_index
            .get(id)
            .is_some_and(|&n| kb.factors[n].factor.is_some())
    };
    let named = incident
        .factors
        .iter()
        .map(|f| (f.id.as_str(), Some(&f.span), "contributing_factors"))
        .chain(incident.action_items.iter().flat_map(|a| {
            a.addresses
                .iter()
                .map(move |id| (id.as_str(), None, "action_items"))
        }));
    let mut reported = HashSet::new();
    let mut out = Vec::new();
    for (id, entry, field) in named {
        if catalogued(id) || !reported.insert(id) {
            continue;
        }
        let known = kb
            .factors
            .iter()
            .filter(|f| f.factor.is_some())
            .map(|f| f.id)
            .chain(
                kb.book
                    .factors
                    .iter()
                    .flat_map(|f| f.aliases.iter().map(String::as_str)),
            );
        let help = match did_you_mean(id, known) {
            Some(near) => format!("did you mean `{near}`? Or create content/factors/{id}.md"),
            None => format!(
                "create content/factors/{id}.md with a title and a category, or correct the id"
            ),
        };
        out.push(
            Diagnostic::new(
                Code::UnknownFactor,
                &incident.source,
                entry
                    .or_else(|| incident.declared.get(field))
                    .cloned()
                    .unwrap_or_else(Span::file_start),
                format!("contributing factor `{id}` is not in the catalogue"),
            )
            .with_help(help),
        );
    }
    out
}

/// Two post-mortems published at the same URL.
pub fn duplicate_slugs(incidents: &[std::sync::Arc<Incident>]) -> Vec<Diagnostic> {
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

/// Action-item ids used twice across the book.
pub fn duplicate_action_items(book: &Book) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Incident> = HashMap::new();
    let mut out = Vec::new();
    // Oldest first, so the later declaration is the one reported.
    for incident in book.incidents.iter().rev() {
        for item in &incident.action_items {
            if let Some(other) = first.get(item.id.as_str()) {
                out.push(
                    Diagnostic::new(
                        Code::DuplicateActionItem,
                        &incident.source,
                        incident
                            .declared
                            .get("action_items")
                            .cloned()
                            .unwrap_or_else(Span::file_start),
                        format!(
                            "action item `{}` is also declared in {}",
                            item.id,
                            other.source.display()
                        ),
                    )
                    .with_help("give this item an id of its own"),
                );
            } else {
                first.insert(&item.id, incident);
            }
        }
    }
    out
}

/// Catalogue entries whose category is not one of the book's.
pub fn factor_categories(book: &Book, rules: &ValidationConfig) -> Vec<Diagnostic> {
    book.factors
        .iter()
        .filter_map(|f| {
            let category = f.category.as_deref()?;
            if rules.factor_categories.is_empty()
                || rules.factor_categories.iter().any(|c| c == category)
            {
                return None;
            }
            let help =
                match did_you_mean(category, rules.factor_categories.iter().map(String::as_str)) {
                    Some(near) => format!(
                        "did you mean `{near}`? Categories: {}",
                        rules.factor_categories.join(", ")
                    ),
                    None => format!(
                        "use one of {}, or set [validation] factor-categories",
                        rules.factor_categories.join(", ")
                    ),
                };
            Some(
                Diagnostic::new(
                    Code::UnknownCategory,
                    &f.source,
                    f.category_span.clone(),
                    format!("factor category `{category}` is not one of the book's"),
                )
                .with_help(help),
            )
        })
        .collect()
}
