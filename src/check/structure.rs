//! Section checks: the template's sections are present, not empty, not duplicated, in
//! order, and spelt as configured.

use std::collections::HashMap;

use crate::config::ValidationConfig;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::model::Incident;

pub fn check(incident: &Incident, rules: &ValidationConfig) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let file = &incident.source;
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for section in &incident.body.sections {
        let Some(canonical) = section.canonical.as_deref() else {
            continue;
        };
        if section.near_miss {
            out.push(
                Diagnostic::new(
                    Code::SectionTypo,
                    file,
                    section.span.clone(),
                    format!(
                        "heading `{}` is read as the section `{canonical}`",
                        section.title
                    ),
                )
                .with_help(format!(
                    "did you mean `{canonical}`? Correct the heading's spelling"
                )),
            );
        }
        if let Some(line) = first_seen.get(canonical) {
            out.push(
                Diagnostic::new(
                    Code::DuplicateSection,
                    file,
                    section.span.clone(),
                    format!("section `{canonical}` appears again (first at line {line})"),
                )
                .with_help("merge the two sections, or make this one a sub-heading"),
            );
            continue;
        }
        first_seen.insert(canonical, section.line);
        if section.empty {
            out.push(
                Diagnostic::new(
                    Code::EmptySection,
                    file,
                    section.span.clone(),
                    format!("section `{canonical}` is empty"),
                )
                .with_help("write the section, or say in a sentence why there is nothing to say"),
            );
        }
    }
    out.extend(wrong_levels(incident, &first_seen));
    for rule in rules.sections.iter().filter(|r| r.required) {
        if !incident.has_section(&rule.name) {
            if let Some(imported) = incident.imported {
                let what = format!("section `{}`", rule.name);
                out.push(super::front_matter::not_recorded(incident, imported, &what));
                continue;
            }
            let level = incident.body.sections.first().map_or(2, |s| s.level);
            out.push(
                Diagnostic::new(
                    Code::MissingSection,
                    file,
                    Span::file_start(),
                    format!("required section `{}` is missing", rule.name),
                )
                .with_help(format!(
                    "add a `{} {}` heading",
                    "#".repeat(level.into()),
                    rule.name
                )),
            );
        }
    }
    if rules.section_order {
        out.extend(order(incident, rules));
    }
    out
}

/// A heading that names a section of the template but is deeper than the sections
/// (`### Timeline` where the others are `##`) and stands before the first section: a
/// slip of the level, which would otherwise leave the section out without a word.
/// Under a section ("Lessons Learned" > "What Went Well", as real archives write) a
/// sub-heading is meant, and is left be.
fn wrong_levels(incident: &Incident, sections_seen: &HashMap<&str, usize>) -> Vec<Diagnostic> {
    let sections = &incident.body.sections;
    let Some(level) = sections.first().map(|s| s.level) else {
        return Vec::new();
    };
    incident
        .body
        .headings
        .iter()
        .filter(|h| h.level > level)
        .filter_map(|h| Some((h, h.canonical.as_deref()?)))
        .filter(|(_, name)| !sections_seen.contains_key(name))
        .filter(|(h, _)| sections.iter().all(|s| s.line > h.line))
        .map(|(h, name)| {
            Diagnostic::new(
                Code::SectionLevel,
                &incident.source,
                h.span.clone(),
                format!(
                    "`{name}` is a level-{} heading, the sections here are level {level}",
                    h.level
                ),
            )
            .with_help(format!(
                "write it as `{} {}`, like the other sections",
                "#".repeat(level.into()),
                h.text
            ))
        })
        .collect()
}

/// Sections of the template that come after one that should follow them.
fn order(incident: &Incident, rules: &ValidationConfig) -> Vec<Diagnostic> {
    let rank: HashMap<&str, usize> = rules
        .sections
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let mut out = Vec::new();
    let mut highest: Option<(usize, &str)> = None;
    for section in &incident.body.sections {
        let Some(name) = section.canonical.as_deref() else {
            continue;
        };
        let Some(&r) = rank.get(name) else { continue };
        match highest {
            Some((h, before)) if r < h => out.push(
                Diagnostic::new(
                    Code::SectionOrder,
                    &incident.source,
                    section.span.clone(),
                    format!(
                        "section `{name}` comes after `{before}`, but the template puts it before"
                    ),
                )
                .with_help(format!(
                    "the template's order is: {}",
                    rules
                        .sections
                        .iter()
                        .map(|r| r.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ),
            Some((h, _)) if r == h => {}
            _ => highest = Some((r, name)),
        }
    }
    out
}
