//! Front-matter checks.

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::model::Incident;

/// The fields every post-mortem must declare.
pub fn required_fields(incident: &Incident) -> Vec<Diagnostic> {
    let missing = [
        ("title", !incident.title_inferred),
        ("date", incident.date.is_some()),
        ("severity", incident.severity.is_some()),
        ("status", incident.status.is_some()),
        ("services", !incident.services.is_empty()),
    ];
    missing
        .iter()
        .filter(|(_, present)| !present)
        .map(|(field, _)| {
            Diagnostic::new(
                Code::MissingField,
                &incident.source,
                Span::file_start(),
                format!("the front matter has no `{field}`"),
            )
            .with_help(format!("add `{field}: {}` to the front matter", example(field)))
        })
        .collect()
}

fn example(field: &str) -> &'static str {
    match field {
        "title" => "Orders database locked during migration",
        "date" => "2024-03-12",
        "severity" => "SEV2",
        "status" => "draft",
        _ => "[orders-api]",
    }
}
