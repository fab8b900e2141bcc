//! Checks: pure functions over the parsed book, each returning diagnostics.
//! Nothing here reads files or renders anything.

mod front_matter;
mod references;

use std::collections::HashSet;
use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Span};
use crate::model::Book;

/// Runs every check over the book.
pub fn check_book(book: &Book) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for incident in &book.incidents {
        out.extend(front_matter::required_fields(incident));
    }
    out.extend(references::duplicate_slugs(&book.incidents));
    let pages: HashSet<PathBuf> = book
        .incidents
        .iter()
        .map(|i| i.content_path.clone())
        .collect();
    let assets: HashSet<&PathBuf> = book.assets.iter().collect();
    for incident in &book.incidents {
        out.extend(references::broken_links(incident, &pages, &assets));
    }
    out
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
