//! The samples of `incidentbook new`'s template left in a post-mortem (IB0110): a
//! warning while it is being written, an error once it is final, so that a sample is
//! never published as a fact.

use super::front_matter::span_of;
use crate::config::ValidationConfig;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::model::Incident;

/// The template's sample services and teams (`commands/scaffold/postmortem.md`).
const SAMPLE_NAMES: [(&str, &str); 2] =
    [("services", "example-service"), ("teams", "example-team")];

/// The start of the template's sample summary: enough to know it, whatever the
/// writer's editor did to its line breaks.
const SAMPLE_SUMMARY: &str = "One or two sentences a reader skimming the archive needs";

pub fn check(incident: &Incident, rules: &ValidationConfig) -> Vec<Diagnostic> {
    let severity = if incident.status.as_deref() == Some(rules.final_status.as_str()) {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut out = Vec::new();
    let mut found = |span, message: String, help: &str| {
        let mut d = Diagnostic::new(Code::TemplateText, &incident.source, span, message)
            .with_help(help.to_owned());
        d.severity = severity;
        out.push(d);
    };
    for (key, sample) in SAMPLE_NAMES {
        let values = if key == "services" {
            &incident.services
        } else {
            &incident.teams
        };
        if values.iter().any(|v| v == sample) {
            found(
                span_of(incident, key),
                format!("`{key}` still holds the template's `{sample}`"),
                "name the ones the incident touched, spelt as the rest of the book spells them",
            );
        }
    }
    if incident.summary.as_deref().is_some_and(|s| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .starts_with(SAMPLE_SUMMARY)
    }) {
        found(
            span_of(incident, "summary"),
            "`summary` is still the template's sample".to_owned(),
            "write what customers saw, for how long, and what stopped it, in one or two sentences",
        );
    }
    // The template sets all four moments to midnight of the incident's date: two at
    // the same midnight are the template's, not a measurement.
    let moments = incident.timestamps.moments();
    let at_midnight = |v: &chrono::DateTime<chrono::FixedOffset>| {
        v.time() == chrono::NaiveTime::MIN
            && moments
                .iter()
                .filter(|(_, w)| w.as_ref() == Some(v))
                .count()
                > 1
    };
    for (key, value) in &moments {
        if value.as_ref().is_some_and(at_midnight) {
            found(
                span_of(incident, key),
                format!("`{key}` is still the template's midnight, the same as another moment"),
                "write when it happened, with its zone (`2024-03-12T14:05:00Z`), or delete the line if it is not known",
            );
        }
    }
    for span in &incident.body.template_text {
        found(
            span.clone(),
            "the template's sample timeline entry is still there".to_owned(),
            "replace it with what happened, at what time, or delete it",
        );
    }
    out
}
