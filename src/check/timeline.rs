//! Timeline checks: every entry has a time, entries are in order, and undated entries
//! fall inside the incident's window.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};

use crate::config::ValidationConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Incident, Zone};
use crate::parse::timeline::parse_written_time;

pub fn check(incident: &Incident, rules: &ValidationConfig) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let zone = incident
        .timezone
        .or_else(|| Zone::parse(&rules.timezone))
        .unwrap_or_else(Zone::utc);
    let grace = Duration::minutes(rules.timeline_grace_minutes.into());
    let started = incident.timestamps.started;
    let resolved = incident
        .timestamps
        .resolved
        .or(incident.timestamps.mitigated);
    let Some(base) = started.map(|s| zone.date_of(s)).or(incident.date) else {
        // Without a date, times cannot be placed; only their presence is checked.
        return missing_times(incident);
    };
    let mut day = base;
    let mut previous: Option<(DateTime<FixedOffset>, bool)> = None;
    for entry in &incident.body.timeline {
        let Some(parsed) = entry.time.as_deref().and_then(parse_written_time) else {
            if entry.time.is_none() {
                out.push(no_time(incident, entry));
            }
            continue;
        };
        // A zone written on the entry wins over the post-mortem's.
        let entry_zone = parsed.zone.map(Zone::Fixed).unwrap_or(zone);
        let at = |date: NaiveDate| entry_zone.resolve(date.and_time(parsed.time));
        let written_date = parsed
            .date
            .and_then(|d| d.resolve(incident.date.map(|x| x.year())));
        let dated = written_date.is_some();
        let Some(mut when) = at(written_date.unwrap_or(day)) else {
            continue;
        };
        if !dated
            && let Some((prev, _)) = previous
            && when < prev
            && prev - when > Duration::hours(12)
        {
            // Timelines cross midnight: a much earlier time is the next day.
            day = day.succ_opt().unwrap_or(day);
            when = at(day).unwrap_or(when);
        }
        if let Some((prev, _)) = previous
            && when < prev
        {
            out.push(
                Diagnostic::new(
                    Code::TimelineOrder,
                    &incident.source,
                    entry.span.clone(),
                    format!(
                        "entry at {} is earlier than the entry before it ({})",
                        entry.time.as_deref().unwrap_or_default(),
                        prev.format("%Y-%m-%d %H:%M")
                    ),
                )
                .with_help("put the entries in time order, or write the date if the entry is on another day"),
            );
        }
        if !dated {
            let before = started.is_some_and(|s| when < s - grace);
            let after = resolved.is_some_and(|r| when > r + grace);
            if before || after {
                let bound = if before {
                    "before `started`"
                } else {
                    "after `resolved`"
                };
                out.push(
                    Diagnostic::new(
                        Code::TimelineOutsideWindow,
                        &incident.source,
                        entry.span.clone(),
                        format!(
                            "entry at {} ({}) is {bound}",
                            entry.time.as_deref().unwrap_or_default(),
                            when.format("%Y-%m-%d %H:%M %:z")
                        ),
                    )
                    .with_help("check the time and zone; write the date to mark an entry as context outside the incident"),
                );
            }
        }
        previous = Some((when, dated));
    }
    out
}

fn missing_times(incident: &Incident) -> Vec<Diagnostic> {
    incident
        .body
        .timeline
        .iter()
        .filter(|e| e.time.is_none())
        .map(|e| no_time(incident, e))
        .collect()
}

fn no_time(incident: &Incident, entry: &crate::model::TimelineEntry) -> Diagnostic {
    Diagnostic::new(
        Code::TimelineNoTime,
        &incident.source,
        entry.span.clone(),
        "timeline entry does not start with a time",
    )
    .with_help("start the entry with its time, e.g. `- **14:05** The alert fired`")
}
