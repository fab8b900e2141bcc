//! Timeline checks: every entry has a time, entries are in order, and undated entries
//! fall inside the incident's window.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime};

use crate::config::ValidationConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Incident, Zone, parse_zone};

/// A timeline time as written: an optional date, a time of day and an optional zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryTime {
    pub date: Option<NaiveDate>,
    pub time: NaiveTime,
    pub zone: Option<FixedOffset>,
}

/// Parses the time forms `split_time` recognises.
pub fn parse_entry_time(text: &str) -> Option<EntryTime> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(EntryTime {
            date: Some(t.date_naive()),
            time: t.time(),
            zone: Some(*t.offset()),
        });
    }
    let mut tokens = text.split_whitespace().peekable();
    let date = match tokens.peek() {
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").ok(),
        None => None,
    };
    if date.is_some() {
        tokens.next();
    }
    let time_text = tokens.next()?;
    let time = NaiveTime::parse_from_str(time_text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(time_text, "%H:%M"))
        .ok()?;
    let zone = tokens.next().and_then(parse_zone);
    Some(EntryTime { date, time, zone })
}

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
        let Some(parsed) = entry.time.as_deref().and_then(parse_entry_time) else {
            if entry.time.is_none() {
                out.push(no_time(incident, entry));
            }
            continue;
        };
        // A zone written on the entry wins over the post-mortem's.
        let entry_zone = parsed.zone.map(Zone::Fixed).unwrap_or(zone);
        let at = |date: NaiveDate| entry_zone.resolve(date.and_time(parsed.time));
        let dated = parsed.date.is_some();
        let Some(mut when) = at(parsed.date.unwrap_or(day)) else {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_time_forms() {
        let t = parse_entry_time("14:05").unwrap();
        assert_eq!((t.date, t.time.to_string()), (None, "14:05:00".to_owned()));
        let t = parse_entry_time("2024-03-12 14:05 UTC").unwrap();
        assert_eq!(t.date, NaiveDate::from_ymd_opt(2024, 3, 12));
        assert_eq!(t.zone, FixedOffset::east_opt(0));
        let t = parse_entry_time("2024-03-12T14:05:00+02:00").unwrap();
        assert_eq!(t.zone, FixedOffset::east_opt(7200));
        assert!(parse_entry_time("soon").is_none());
    }
}
