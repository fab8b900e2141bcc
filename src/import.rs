//! `incidentbook import`: rewriting a post-mortem written before incidentbook into the
//! standard format: front matter from what can be inferred, canonical section headings,
//! and every other line kept exactly as it was.
//!
//! Pure: text in, text out. The command layer shows the diff, checks git and writes.

use std::path::Path;

use crate::parse::{self, ParseOptions, SectionNames};
use crate::source::frontmatter;

/// The result of rewriting one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub text: String,
    /// What changed, for people: "heading `Root Cause Analysis` -> `Contributing Factors`".
    pub changes: Vec<String>,
}

/// Rewrites `text` (the file at `content_path`, relative to the content folder).
/// Returns `None` when the file cannot be read as a post-mortem (its front matter is
/// broken): those are reported by `check` and left alone.
pub fn rewrite(
    text: &str,
    source: &Path,
    content_path: &Path,
    sections: &SectionNames,
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
    for heading in &incident.body.headings {
        let canonical = sections
            .resolve(&heading.text)
            .or_else(|| sections.nearest(&heading.text));
        let Some(canonical) = canonical else { continue };
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
