//! `incidentbook import`: rewriting a post-mortem written before incidentbook into the
//! standard format: front matter from what can be inferred, canonical section headings,
//! and every other line kept exactly as it was.
//!
//! Pure: text in, text out. The command layer shows the diff, checks git and writes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::model::{ActionStatus, Book, Factor};
use crate::parse::{self, ParseOptions, SectionNames, provisional};
use crate::source::frontmatter;

/// The result of rewriting one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub text: String,
    /// What changed, for people: "heading `Root Cause Analysis` -> `Contributing Factors`".
    pub changes: Vec<String>,
}

/// What a rewrite needs to know of the whole archive.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Each provisional factor id (`parse::provisional`) -> the suggested catalogue
    /// entry it was grouped into (`crate::suggest`).
    pub factor_ids: HashMap<String, String>,
    /// The date written as `imported:`.
    pub today: Option<NaiveDate>,
}

impl Archive {
    /// The archive of `book`, parsed in the adopt profile.
    pub fn of(book: &Book, today: NaiveDate) -> Archive {
        let factor_ids = book
            .factors
            .iter()
            .filter(|f| f.suggested)
            .flat_map(|f| f.aliases.iter().map(|a| (a.clone(), f.id.clone())))
            .collect();
        Archive {
            factor_ids,
            today: Some(today),
        }
    }
}

/// Rewrites `text` (the file at `content_path`, relative to the content folder).
/// Returns `None` when the file cannot be read as a post-mortem (its front matter is
/// broken): those are reported by `check` and left alone.
pub fn rewrite(
    text: &str,
    source: &Path,
    content_path: &Path,
    sections: &SectionNames,
    archive: &Archive,
) -> Option<Rewrite> {
    let options = ParseOptions {
        sections: sections.clone(),
        purpose: parse::Purpose::Check,
        infer_missing: true,
        ..ParseOptions::default()
    };
    let (incident, _) = parse::parse_incident(text, source, content_path, &options);
    let incident = incident?;
    let split = frontmatter::split(text, source).ok()?;
    let mut changes = Vec::new();

    // Headings that name a section under another name, or misspelt, become canonical.
    // Only the heading's text changes; its level and any `{#id}` stay.
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    // A second heading that is another name for a section already there ("What went
    // wrong" then "Where we got lucky", both Improvement Opportunities) keeps its own
    // name: renamed, the document would hold the section twice, and its own words say
    // more.
    let mut named = std::collections::HashSet::new();
    for heading in &incident.body.headings {
        let alias = sections.resolve(&heading.text);
        let Some(canonical) = alias.or_else(|| sections.nearest(&heading.text)) else {
            continue;
        };
        // A misspelling of the section's own name is corrected wherever it is.
        if !named.insert(canonical) && alias.is_some() {
            continue;
        }
        if heading.text.trim_end_matches(':').trim() == canonical {
            continue;
        }
        let Some(line) = lines.get_mut(heading.line - 1) else {
            continue;
        };
        let Some(at) = line.find(heading.text.as_str()) else {
            continue;
        };
        let mut end = at + heading.text.len();
        // A trailing colon belongs to the old name ("Events/Timeline:").
        if line[end..].starts_with(':') {
            end += 1;
        }
        changes.push(format!(
            "line {}: heading `{}` -> `{canonical}`",
            heading.line, heading.text
        ));
        line.replace_range(at..end, canonical);
    }
    let body: String = lines.concat();

    // Front matter: keep what is written; add what is missing and could be inferred.
    let written: Vec<&str> = incident.declared.keys().map(String::as_str).collect();
    // A field left as a commented hint by an earlier import is not added again.
    let hinted = |field: &str| text[split.matter.clone()].contains(&format!("# {field}:"));
    let mut add = Vec::new();
    if !written.contains(&"title") {
        add.push(format!("title: {}", yaml_string(&incident.title)));
    }
    if !written.contains(&"date") {
        match incident.date {
            Some(d) => add.push(format!("date: {d}")),
            None if !hinted("date") => add.push(
                "# date: YYYY-MM-DD          # not found in the file name or the timeline"
                    .to_owned(),
            ),
            None => {}
        }
    }
    // What the adopt profile read from the text becomes written, so that it stays
    // when the book moves to the strict profile.
    if !written.contains(&"summary")
        && let Some(summary) = &incident.summary
    {
        add.push(format!("summary: {}", yaml_string(summary)));
    }
    if !written.contains(&"severity")
        && let Some(severity) = &incident.severity
    {
        add.push(format!("severity: {}", yaml_string(severity)));
    }
    for (field, hint) in [
        ("severity", "# severity: SEV3             # SEV1..SEV4"),
        ("status", "status: final"),
        (
            "services",
            "# services: [service-name]  # the services affected",
        ),
    ] {
        let added = add.iter().any(|l| l.starts_with(&format!("{field}:")));
        if !written.contains(&field) && !hinted(field) && !added {
            add.push(hint.to_owned());
        }
    }
    // The entries of its Contributing Factors and Action Items sections, as written
    // down: the prose stays as it is.
    let factors = written_factors(&incident, archive);
    if !written.contains(&"contributing_factors") && !factors.is_empty() {
        add.push(format!("contributing_factors:\n{}", factors.join("\n")));
        changes.push(format!(
            "contributing factors: {} from the text",
            factors.len()
        ));
    }
    let items: Vec<String> = incident
        .action_items
        .iter()
        .filter(|a| a.suggested)
        .map(|a| {
            let mut item = format!("  - id: {}\n    title: {}", a.id, yaml_string(&a.title));
            if a.status == ActionStatus::Done {
                item.push_str("\n    status: done");
            }
            item
        })
        .collect();
    if !written.contains(&"action_items") && !items.is_empty() {
        add.push(format!("action_items:\n{}", items.join("\n")));
        changes.push(format!("action items: {} from the text", items.len()));
    }
    if let Some(today) = archive.today
        && !written.contains(&"imported")
        && !add.is_empty()
    {
        add.push(format!("imported: {today}"));
    }
    if !add.is_empty() {
        changes.push(format!(
            "front matter: added {}",
            add.iter().filter(|l| !l.starts_with('#')).count()
        ));
    }
    let text = match split.format {
        None if !add.is_empty() => format!("---\n{}\n---\n\n{body}", add.join("\n")),
        Some(frontmatter::Format::Yaml) if !add.is_empty() => {
            // Insert before the closing delimiter, after the fields as written.
            let (head, tail) = body.split_at(split.matter.end);
            let sep = if head.ends_with('\n') { "" } else { "\n" };
            format!("{head}{sep}{}\n{tail}", add.join("\n"))
        }
        _ => body,
    };
    Some(Rewrite { text, changes })
}

/// The provisional factors of `incident` as front-matter entries, by the suggested
/// catalogue entry each was grouped into, each once, with the words it was written in.
fn written_factors(incident: &crate::model::Incident, archive: &Archive) -> Vec<String> {
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    for f in incident
        .factors
        .iter()
        .filter(|f| provisional::is_provisional(&f.id))
    {
        let Some(id) = archive.factor_ids.get(&f.id) else {
            continue;
        };
        let note = f.note.as_deref().unwrap_or_default();
        match out.iter_mut().find(|(known, _)| known == id) {
            Some((_, notes)) => notes.push(note),
            None => out.push((id.clone(), vec![note])),
        }
    }
    out.into_iter()
        .map(|(id, notes)| format!("  - id: {id}\n    note: {}", yaml_string(&notes.join(" "))))
        .collect()
}

/// The catalogue file of a suggested factor, `factors/<id>.md` under the content
/// folder, with the wording of each post-mortem that named it.
pub fn factor_file(factor: &Factor, book: &Book) -> (PathBuf, String) {
    let mut text = format!(
        "---\ntitle: {}\n---\n\nGrouped by `incidentbook import` from the Contributing Factors of these post-mortems, in their words. Rename it, merge it with another, or give it a `category:`.\n\n",
        yaml_string(&factor.title)
    );
    for incident in &book.incidents {
        for f in incident
            .factors
            .iter()
            .filter(|f| factor.aliases.contains(&f.id))
        {
            let note = f.note.as_deref().unwrap_or_default();
            text.push_str(&format!("- {} ({})\n", note, incident.title));
        }
    }
    (
        PathBuf::from("factors").join(format!("{}.md", factor.id)),
        text,
    )
}

/// The severities the archive's post-mortems state that `config`'s scale lacks, in
/// the order first met.
pub fn severities_to_add(book: &Book, config: &crate::config::Config) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for incident in &book.incidents {
        let Some(severity) = &incident.severity else {
            continue;
        };
        let known = config
            .validation
            .severities
            .iter()
            .any(|s| &s.name == severity);
        if !known && !out.contains(severity) {
            out.push(severity.clone());
        }
    }
    out
}

/// One `[[validation.severities]]` table of book.toml.
pub fn severity_table(name: &str, description: &str) -> String {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    format!(
        "\n[[validation.severities]]\nname = {}\ndescription = {}\n",
        quote(name),
        quote(description)
    )
}

/// A YAML scalar for a title: quoted when it holds anything YAML could misread.
fn yaml_string(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.contains([
            ':', '#', '"', '\'', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`',
        ])
        && !s.starts_with(['-', '?', ' '])
        && !s.ends_with(' ');
    if plain {
        s.to_owned()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Rewrite {
        rewrite(
            text,
            Path::new("content/x.md"),
            Path::new("2019/jan-2019-x.md"),
            &SectionNames::default(),
            &Archive::default(),
        )
        .unwrap()
    }

    #[test]
    fn headings_become_canonical_and_front_matter_is_added() {
        let r = run(
            "# Total DNS outage: a story\n\n## Root Cause Analysis\n\nText.\n\n# Events/Timeline:\n- 10:00 x\n\n## Contributing Factros\n",
        );
        assert!(
            r.text
                .starts_with("---\ntitle: \"Total DNS outage: a story\"\ndate: 2019-01-01\n"),
            "{}",
            r.text
        );
        assert!(
            r.text.contains("\n## Contributing Factors\n\nText.\n"),
            "{}",
            r.text
        );
        assert!(r.text.contains("\n# Timeline\n- 10:00 x\n"), "{}", r.text);
        assert!(!r.text.contains("Factros"));
        assert_eq!(r.changes.len(), 4, "{:?}", r.changes);
    }

    #[test]
    fn a_standard_file_is_left_as_it_is() {
        let text = "---\ntitle: A\ndate: 2024-01-01\nseverity: SEV3\nstatus: final\nservices: [x]\n---\n\n## Timeline\n\n- **10:00** x\n";
        let r = run(text);
        assert_eq!(r.text, text);
        assert!(r.changes.is_empty());
    }

    #[test]
    fn a_second_name_for_a_section_already_there_keeps_its_own() {
        let r = run("# T\n\n## What went wrong\n\nA.\n\n## Where we got lucky\n\nB.\n");
        assert!(
            r.text.contains("\n## Improvement Opportunities\n\nA."),
            "{}",
            r.text
        );
        assert!(
            r.text.contains("\n## Where we got lucky\n\nB."),
            "{}",
            r.text
        );
    }

    #[test]
    fn importing_twice_changes_nothing_more() {
        let once = run("# Title here\n\n## Root Cause\n\nText.\n").text;
        let twice = run(&once).text;
        assert_eq!(once, twice);
    }

    #[test]
    fn missing_fields_are_added_inside_existing_front_matter() {
        let r = run("---\ntitle: A\n---\n\n## Timeline\n");
        assert!(
            r.text
                .starts_with("---\ntitle: A\ndate: 2019-01-01\n# severity"),
            "{}",
            r.text
        );
    }
}
