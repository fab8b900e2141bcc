//! Front-matter checks.

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::model::Incident;

pub fn required_fields(incident: &Incident) -> Vec<Diagnostic> {
    // A field written with a wrong value was already reported by parsing; only fields
    // not written at all are missing.
    REQUIRED
        .iter()
        .filter(|field| {
            incident
                .declared
                .binary_search_by(|k| k.as_str().cmp(field))
                .is_err()
        })
        .map(|field| {
            Diagnostic::new(
                Code::MissingField,
                &incident.source,
                Span::file_start(),
                format!("the front matter has no `{field}`"),
            )
            .with_help(format!(
                "add `{field}: {}` to the front matter",
                example(field)
            ))
        })
        .collect()
}

/// The fields every post-mortem must declare.
const REQUIRED: &[&str] = &["title", "date", "severity", "status", "services"];

fn example(field: &str) -> &'static str {
    match field {
        "title" => "Orders database locked during migration",
        "date" => "2024-03-12",
        "severity" => "SEV2",
        "status" => "draft",
        _ => "[orders-api]",
    }
}
