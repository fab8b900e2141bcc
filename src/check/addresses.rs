//! Every page of the site has one source: names that would publish two things at one
//! address, or take the address of a page the site makes itself (`index`), are errors
//! that name both sources.
//!
//! Names are made into addresses by slugifying them (`slug::slugify`, as the render's
//! URL scheme does), so two names with one slug would share a page. Services, teams
//! and tags that differ only in case and separators are one term already
//! (`model::unify_terms`); what is left here are names that slugify alike although they
//! differ (`C++` and `C`). Media files keep their path, so only case tells them apart:
//! a case-insensitive host (macOS, Windows, many object stores) would serve one of
//! them for both.

use std::collections::HashMap;

use super::front_matter::span_of;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::model::{Book, Incident};

/// The slug every folder's list takes: no post-mortem, factor or term may have it.
const RESERVED: &str = "index";

/// `content_dir` is the content folder relative to the book root (diagnostics name
/// media files from the root).
pub fn check(book: &Book, content_dir: &std::path::Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    reserved_slugs(book, &mut out);
    factor_slugs(book, &mut out);
    term_slugs(book, &mut out);
    media_case(book, content_dir, &mut out);
    out
}

fn collision(file: &std::path::Path, span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::new(Code::OutputCollision, file, span, message).with_help(help)
}

fn reserved_slugs(book: &Book, out: &mut Vec<Diagnostic>) {
    for incident in &book.incidents {
        if incident.slug == RESERVED || incident.slug.is_empty() {
            out.push(collision(
                &incident.source,
                span_of(incident, "slug"),
                format!(
                    "the slug `{}` would publish this post-mortem at incidents/index.html, the list of post-mortems",
                    incident.slug
                ),
                "set `slug:` to a name of its own, such as `2024-03-12-orders-db-locked`",
            ));
        }
    }
    for factor in &book.factors {
        if slug::slugify(&factor.id) == RESERVED || slug::slugify(&factor.id).is_empty() {
            out.push(collision(
                &factor.source,
                Span::file_start(),
                format!(
                    "the factor `{}` would be published at factors/index.html, the list of factors",
                    factor.id
                ),
                "rename the file to the factor's id, such as `factors/alert-fatigue.md`",
            ));
        }
    }
}

fn factor_slugs(book: &Book, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<String, &crate::model::Factor> = HashMap::new();
    for factor in &book.factors {
        let slug = slug::slugify(&factor.id);
        match first.get(&slug) {
            Some(other) if other.id != factor.id => out.push(collision(
                &factor.source,
                Span::file_start(),
                format!(
                    "the factor `{}` and the factor `{}` ({}) would both be published at factors/{slug}.html",
                    factor.id,
                    other.id,
                    other.source.display()
                ),
                "rename one of the two factor files",
            )),
            Some(_) => {}
            None => {
                first.insert(slug, factor);
            }
        }
    }
}

fn term_slugs(book: &Book, out: &mut Vec<Diagnostic>) {
    type Names = fn(&Incident) -> Vec<&str>;
    let kinds: [(&str, &str, Names); 3] = [
        ("service", "services", |i| {
            i.services.iter().map(String::as_str).collect()
        }),
        ("team", "teams", |i| {
            i.teams.iter().map(String::as_str).collect()
        }),
        ("tag", "tags", |i| {
            i.tags.iter().map(String::as_str).collect()
        }),
    ];
    for (singular, key, names) in kinds {
        // slug -> (name, the post-mortem that first used it)
        let mut first: HashMap<String, (&str, &Incident)> = HashMap::new();
        for incident in book.incidents.iter().rev() {
            for name in names(incident) {
                let slug = slug::slugify(name);
                if slug == RESERVED {
                    out.push(collision(
                        &incident.source,
                        span_of(incident, key),
                        format!(
                            "the {singular} `{name}` would be published at {key}/index.html, the list of {key}"
                        ),
                        &format!("name the {singular} otherwise"),
                    ));
                    continue;
                }
                match first.get(&slug) {
                    Some((other, other_incident)) if *other != name => out.push(collision(
                        &incident.source,
                        span_of(incident, key),
                        format!(
                            "the {singular} `{name}` and the {singular} `{other}` (in {}) would share one page, {key}/{}.html",
                            other_incident.source.display(),
                            if slug.is_empty() { "-" } else { &slug }
                        ),
                        &format!(
                            "spell the two {key} so that they differ in letters or digits, such as `cpp` for `C++`"
                        ),
                    )),
                    Some(_) => {}
                    None => {
                        first.insert(slug, (name, incident));
                    }
                }
            }
        }
    }
}

fn media_case(book: &Book, content_dir: &std::path::Path, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<String, &std::path::Path> = HashMap::new();
    for asset in &book.assets {
        let key = asset.to_string_lossy().to_lowercase();
        if let Some(other) = first.get(&key) {
            out.push(collision(
                &content_dir.join(asset),
                Span::file_start(),
                format!(
                    "this file and {} differ only in letter case: a case-insensitive host would serve one for both",
                    content_dir.join(other).display()
                ),
                "rename one of the two files",
            ));
        } else {
            first.insert(key, asset);
        }
    }
}
