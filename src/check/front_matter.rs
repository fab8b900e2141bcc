//! Front-matter checks: required fields, allowed values, unknown keys, the order of
//! the incident's timestamps, a date that disagrees with the file's name, and
//! placeholders left in a final post-mortem.

use super::did_you_mean;
use crate::config::ValidationConfig;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::model::Incident;
use crate::model::Meta;
use crate::parse::is_known_field;

pub fn check(incident: &Incident, rules: &ValidationConfig) -> Vec<Diagnostic> {
    let mut out = required_fields(incident, rules);
    out.extend(allowed_values(incident, rules));
    out.extend(unknown_fields(incident, rules));
    out.extend(timestamp_order(incident));
    out.extend(date_against_name(incident));
    out.extend(placeholders(incident, rules));
    out
}

/// Where `key` is written in the front matter (the file's start if it is not).
pub(super) fn span_of(incident: &Incident, key: &str) -> Span {
    incident
        .declared
        .get(key)
        .cloned()
        .unwrap_or_else(Span::file_start)
}

/// Fields not written at all. A field written with a wrong value was already reported
/// by parsing.
fn required_fields(incident: &Incident, rules: &ValidationConfig) -> Vec<Diagnostic> {
    rules
        .required_fields
        .iter()
        .filter(|field| !incident.declared.contains_key(field.as_str()))
        .map(|field| {
            if let Some(imported) = incident.imported {
                return not_recorded(incident, imported, &format!("`{field}`"));
            }
            Diagnostic::new(
                Code::MissingField,
                &incident.source,
                Span::file_start(),
                format!("the front matter has no `{field}`"),
            )
            .with_help(match inferred(incident, field) {
                // Offer what the site shows in its place (the H1, the file name, a date read
                // from the name or the timeline), so the fix is one copy away.
                Some(value) => format!(
                    "add `{field}: {value}` (what the site shows for now) to the front matter, or run `incidentbook import` to add what can be inferred"
                ),
                None => format!("add `{field}: {}` to the front matter", example(field)),
            })
        })
        .collect()
}

/// The note for what an imported post-mortem's original never recorded (`what`: a
/// field or a section), in place of the error a new post-mortem gets.
pub(super) fn not_recorded(
    incident: &Incident,
    imported: chrono::NaiveDate,
    what: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::NotRecorded,
        &incident.source,
        Span::file_start(),
        format!("{what} was not recorded in the original (imported {imported})"),
    )
    .with_help("fill it in if it is known; the page shows nothing in its place")
}

/// The value the adopt profile inferred for a missing field, if any.
fn inferred(incident: &Incident, field: &str) -> Option<String> {
    match field {
        "title" if !incident.title.trim().is_empty() => Some(yaml_scalar(&incident.title)),
        "date" => incident.date.map(|d| d.to_string()),
        _ => None,
    }
}

/// `text` as a YAML scalar: quoted when plain would not read back as the same text.
fn yaml_scalar(text: &str) -> String {
    let plain = !text.contains(": ")
        && !text.contains(" #")
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn example(field: &str) -> &'static str {
    match field {
        "title" => "Orders database locked during migration",
        "date" => "2024-03-12",
        "severity" => "SEV2",
        "status" => "draft",
        "services" => "[orders-api]",
        "teams" => "[platform-team]",
        _ => "…",
    }
}

fn allowed_values(incident: &Incident, rules: &ValidationConfig) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let severities: Vec<&str> = rules.severities.iter().map(|s| s.name.as_str()).collect();
    let statuses: Vec<&str> = rules.statuses.iter().map(String::as_str).collect();
    // Anything else is read as internal: a misspelt `visibility` never publishes.
    let visibilities = vec!["internal", "public"];
    for (field, value, allowed) in [
        ("severity", &incident.severity, &severities),
        ("status", &incident.status, &statuses),
        ("visibility", &incident.visibility, &visibilities),
    ] {
        let Some(value) = value else { continue };
        if allowed.is_empty() || allowed.contains(&value.as_str()) {
            continue;
        }
        let help = match did_you_mean(value, allowed.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? Allowed: {}", allowed.join(", ")),
            None => format!(
                "use one of {}, or add it to [validation] in book.toml",
                allowed.join(", ")
            ),
        };
        out.push(
            Diagnostic::new(
                Code::InvalidValue,
                &incident.source,
                span_of(incident, field),
                format!("`{value}` is not an allowed {field}"),
            )
            .with_help(help),
        );
    }
    out
}

fn unknown_fields(incident: &Incident, rules: &ValidationConfig) -> Vec<Diagnostic> {
    if rules.allow_unknown_fields {
        return Vec::new();
    }
    incident
        .declared
        .iter()
        .filter(|(key, _)| !is_known_field(key) && !rules.extra_fields.iter().any(|e| e == *key))
        .map(|(key, span)| {
            let known = Meta::keys().iter().map(String::as_str);
            let help = match did_you_mean(key, known) {
                Some(near) => format!("did you mean `{near}`? If `{key}` is intended, add it to [validation] extra-fields"),
                None => format!("if `{key}` is intended, add it to [validation] extra-fields in book.toml"),
            };
            Diagnostic::new(
                Code::UnknownField,
                &incident.source,
                span.clone(),
                format!("unknown front-matter field `{key}`"),
            )
            .with_help(help)
        })
        .collect()
}

fn timestamp_order(incident: &Incident) -> Vec<Diagnostic> {
    let moments = incident.timestamps.moments();
    let present: Vec<_> = moments
        .iter()
        .filter_map(|(k, v)| Some((*k, (*v)?)))
        .collect();
    present
        .windows(2)
        .filter(|w| w[1].1 < w[0].1)
        .map(|w| {
            let (earlier, later) = (w[0], w[1]);
            Diagnostic::new(
                Code::TimestampOrder,
                &incident.source,
                span_of(incident, later.0),
                format!("`{}` ({}) is before `{}` ({})", later.0, later.1.to_rfc3339(), earlier.0, earlier.1.to_rfc3339()),
            )
            .with_help("the order is started <= detected <= mitigated <= resolved; check the dates and zones")
        })
        .collect()
}

/// A file named after one day (`2024-03-12-orders-lock.md`, as `incidentbook new`
/// names it) whose front matter dates the incident another day.
fn date_against_name(incident: &Incident) -> Option<Diagnostic> {
    let path = &incident.content_path;
    let named = crate::model::date_in_name(path.file_stem()?.to_str()?)?;
    let name = path.file_name()?.to_str()?;
    let date = incident.date?;
    let span = incident.declared.get("date")?;
    if named == date {
        return None;
    }
    let renamed = format!("{date}{}", &name[10..]);
    Some(
        Diagnostic::new(
            Code::DateMismatch,
            &incident.source,
            span.clone(),
            format!("the file's name starts with {named}, but `date` is {date}"),
        )
        .with_help(format!(
            "rename the file to `{renamed}` if the incident was on {date}, or write `date: {named}` if it was on {named}"
        )),
    )
}

fn placeholders(incident: &Incident, rules: &ValidationConfig) -> Vec<Diagnostic> {
    if incident.status.as_deref() != Some(rules.final_status.as_str()) {
        return Vec::new();
    }
    incident
        .body
        .placeholders
        .iter()
        .map(|span| {
            Diagnostic::new(
                Code::Placeholder,
                &incident.source,
                span.clone(),
                format!(
                    "a {} post-mortem still holds a placeholder",
                    rules.final_status
                ),
            )
            .with_help("fill in what is missing, or set the status back to in-review")
        })
        .collect()
}
