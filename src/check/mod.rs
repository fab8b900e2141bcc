//! Checks: pure functions over the parsed book, each returning diagnostics.
//! Nothing here reads files or renders anything.

mod addresses;
mod front_matter;
pub mod language;
mod leaks;
mod learning;
mod references;
mod structure;
mod template_text;
mod timeline;

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::{Config, LevelSetting};
use crate::diagnostics::{Code, Diagnostic, Severity, Span};
use crate::link::KnowledgeBase;
use crate::model::{Book, Incident};

/// Runs every check over the book, using the cross-reference indexes of `kb`.
pub fn check_book(book: &Book, kb: &KnowledgeBase, config: &Config) -> Vec<Diagnostic> {
    let (own, mut out) = check_book_by_incident(book, kb, config, &|_| None);
    out.extend(own.into_iter().flatten());
    out
}

/// Every check of the book: each post-mortem's own (by position in the book), and the
/// checks across post-mortems. `serve` keeps them apart, so an edit of one post-mortem
/// re-checks only it; `reuse(n)`, when it gives them, stands for the n-th post-mortem's
/// own checks (`serve`'s from its last build, for those an edit cannot change).
pub fn check_book_by_incident(
    book: &Book,
    kb: &KnowledgeBase,
    config: &Config,
    reuse: &(dyn Fn(usize) -> Option<Vec<Diagnostic>> + Sync),
) -> (Vec<Vec<Diagnostic>>, Vec<Diagnostic>) {
    let assets: HashSet<&PathBuf> = book.assets.iter().collect();
    // The checks across post-mortems are serial: they run beside the others.
    rayon::join(
        || {
            book.incidents
                .par_iter()
                .enumerate()
                .map(|(n, incident)| {
                    reuse(n).unwrap_or_else(|| check_incident(incident, kb, config, &assets))
                })
                .collect()
        },
        || check_across(book, kb, config),
    )
}

/// The checks of one post-mortem: its own content, and its links into the book. As long
/// as no other post-mortem's outline changes (`Incident::same_outline`), they are all
/// that an edit of this one can change (`serve` relies on it).
pub fn check_incident(
    incident: &Incident,
    kb: &KnowledgeBase,
    config: &Config,
    assets: &HashSet<&PathBuf>,
) -> Vec<Diagnostic> {
    let rules = &config.validation;
    let mut d = front_matter::check(incident, rules);
    d.extend(template_text::check(incident, rules));
    d.extend(structure::check(incident, rules));
    d.extend(timeline::check(incident, rules));
    d.extend(references::broken_links(incident, kb, assets));
    d.extend(references::unknown_factors(incident, kb, rules));
    d.extend(learning::per_incident(incident, kb, rules));
    if config.lint.enabled {
        d.extend(language::check(incident, &config.lint.people));
    }
    d.extend(leaks::check(incident, kb, config));
    d
}

/// The checks across post-mortems: duplicates, factor categories, recurrences. They
/// read only the post-mortems' outlines.
pub fn check_across(book: &Book, kb: &KnowledgeBase, config: &Config) -> Vec<Diagnostic> {
    let rules = &config.validation;
    let mut out = references::duplicate_slugs(&book.incidents);
    out.extend(references::duplicate_action_items(book));
    out.extend(references::factor_categories(book, rules));
    out.extend(addresses::check(book, &config.build.content_dir));
    out.extend(learning::recurring_unaddressed(kb, rules));
    out.extend(leaks::factors(book, kb, config));
    out
}

/// Marks the findings that an `incidentbook-disable` comment silences.
pub fn apply_suppressions(diagnostics: &mut [Diagnostic], incidents: &[std::sync::Arc<Incident>]) {
    let by_file: std::collections::HashMap<&std::path::Path, &[crate::model::Suppression]> =
        incidents
            .iter()
            .filter(|i| !i.body.suppressions.is_empty())
            .map(|i| (i.source.as_path(), i.body.suppressions.as_slice()))
            .collect();
    if by_file.is_empty() {
        return;
    }
    for d in diagnostics.iter_mut() {
        let Some(rules) = by_file.get(d.file.as_path()) else {
            continue;
        };
        d.silenced = rules.iter().any(|r| {
            let line_matches = r.line.is_none_or(|l| l == d.span.line);
            let code_matches = r.codes.is_empty() || r.codes.iter().any(|c| c == d.code.as_str());
            line_matches && code_matches
        });
    }
}

/// Applies `[validation] levels`: drops allowed codes and changes the level of others.
/// In the `adopt` profile every error becomes a warning first, so an archive written
/// before incidentbook builds at once; configured levels still win.
pub fn apply_levels(diagnostics: &mut Vec<Diagnostic>, config: &Config) {
    if config.validation.profile == crate::config::Profile::Adopt {
        for d in diagnostics
            .iter_mut()
            .filter(|d| d.severity == Severity::Error)
        {
            d.severity = Severity::Warning;
        }
    }
    let levels = &config.validation.levels;
    if levels.is_empty() {
        return;
    }
    diagnostics.retain_mut(|d| {
        let setting = levels
            .iter()
            .find(|(code, _)| Code::parse(code) == Some(d.code))
            .map(|(_, s)| *s);
        match setting {
            None => true,
            Some(LevelSetting::Allow) => false,
            Some(LevelSetting::Info) => {
                d.severity = Severity::Info;
                true
            }
            Some(LevelSetting::Warn) => {
                d.severity = Severity::Warning;
                true
            }
            Some(LevelSetting::Deny) => {
                d.severity = Severity::Error;
                true
            }
        }
    });
}

/// The closest of `candidates` to `value`, for "did you mean" help; ties go to the
/// alphabetically first, so the suggestion never depends on hash order.
fn did_you_mean<'a>(value: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let value = value.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&value, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// A span on one line at one column, for findings located by line and column only.
fn point(line: usize, column: usize, start: usize, end: usize) -> Span {
    Span {
        line,
        column,
        end_line: line,
        end_column: column,
        start,
        end,
    }
}
