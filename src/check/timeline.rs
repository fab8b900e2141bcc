//! Timeline checks: every entry has a time, entries are in order, and undated entries
//! fall inside the incident's window.

use chrono::{DateTime, Duration, FixedOffset};

use crate::config::ValidationConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Incident, Zone};
use crate::parse::timeline::{Placed, place};

pub fn check(incident: &Incident, rules: &ValidationConfig) -> Vec<Diagnostic> {
    let zone = Zone::parse(&rules.timezone).unwrap_or_else(Zone::utc);
    // Without a date, nothing is placed and only the times' presence is checked.
    let placed = place(incident, zone);
    let grace = Duration::minutes(rules.timeline_grace_minutes.into());
    let started = incident.timestamps.started;
    let resolved = incident
        .timestamps
        .resolved
        .or(incident.timestamps.mitigated);
    let mut out = Vec::new();
    let mut previous: Option<DateTime<FixedOffset>> = None;
    for (entry, placed) in incident.body.timeline.iter().zip(placed) {
        let Some(Placed { at: when, dated }) = placed else {
            if entry.time.is_none() {
                out.push(no_time(incident, entry));
            }
            continue;
        };
        if let Some(prev) = previous
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
        previous = Some(when);
    }
    out
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
