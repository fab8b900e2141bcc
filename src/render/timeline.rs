//! Drawing the timeline: fills the placeholders parsing left around the Timeline
//! section's list items (`parse::markdown::TIMELINE_*`) with the gaps between entries
//! and the key moments of the front matter (started, detected, mitigated, resolved),
//! placed with the same reading of time as the timeline checks (`parse::timeline::place`).

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};

use crate::model::{Incident, Zone, format_minutes};
use crate::parse::markdown::{PLACEHOLDER_CLOSE, TIMELINE_BADGE, TIMELINE_BEFORE, TIMELINE_END};
use crate::parse::timeline::place;

use super::links::{contains, replace_numbered};

/// A gap shorter than this is not drawn: entries minutes apart read as one sequence.
const SHOWN_GAP_MINUTES: i64 = 5;

/// `html` (the Timeline section of `incident`) with its timeline drawn; `zone` is the
/// book's zone for times written without one.
pub fn draw<'h>(html: Cow<'h, str>, incident: &Incident, zone: Zone) -> Cow<'h, str> {
    if !contains(&html, TIMELINE_BEFORE) {
        return html;
    }
    let placed = place(incident, zone);
    let n = placed.len();
    let t = &incident.timestamps;
    let moments = [
        ("Started", t.started),
        ("Detected", t.detected),
        ("Mitigated", t.mitigated),
        ("Resolved", t.resolved),
    ];
    // An entry at the very minute of a moment carries it as a badge; any other moment
    // is a marker before the first entry after it (or after the last entry).
    let mut badges: Vec<Vec<&str>> = vec![Vec::new(); n];
    let mut markers: Vec<Vec<(&str, DateTime<FixedOffset>)>> = vec![Vec::new(); n + 1];
    for (label, at) in moments {
        let Some(at) = at else { continue };
        let undated = |k: usize| placed[k].filter(|p| !p.dated).map(|p| p.at);
        if let Some(k) = (0..n).find(|&k| undated(k) == Some(at)) {
            badges[k].push(label);
        } else {
            let k = (0..n)
                .find(|&k| undated(k).is_some_and(|e| e > at))
                .unwrap_or(n);
            markers[k].push((label, at));
        }
    }
    let before = |k: usize| -> String {
        let mut out = String::new();
        // The gap since the entry placed last before this one.
        let previous = placed[..k.min(n)].iter().rev().find_map(|p| *p);
        if let (Some(prev), Some(Some(this))) = (previous, placed.get(k))
            && !prev.dated
            && !this.dated
        {
            let minutes = (this.at - prev.at).num_minutes();
            if minutes >= SHOWN_GAP_MINUTES {
                let size = match minutes {
                    ..30 => "s",
                    30..120 => "m",
                    120..720 => "l",
                    _ => "xl",
                };
                out.push_str(&format!(
                    "<li class=\"tl-gap {size}\">{} later</li>",
                    format_minutes(minutes)
                ));
            }
        }
        for (label, at) in &markers[k] {
            out.push_str(&format!(
                "<li class=\"tl-moment tl-{}\"><span class=\"tl-moment-label\">{label}</span> <time datetime=\"{}\">{}</time></li>",
                label.to_ascii_lowercase(),
                at.to_rfc3339(),
                at.format("%H:%M")
            ));
        }
        out
    };
    let html = replace_numbered(
        &html,
        TIMELINE_BEFORE,
        PLACEHOLDER_CLOSE,
        |k| Some(if k < n { before(k) } else { String::new() }),
        "",
    );
    let html = replace_numbered(
        &html,
        TIMELINE_BADGE,
        PLACEHOLDER_CLOSE,
        |k| {
            Some(
                badges
                    .get(k)?
                    .iter()
                    .map(|label| {
                        format!(
                            "<span class=\"tl-badge tl-{}\">{label}</span> ",
                            label.to_ascii_lowercase()
                        )
                    })
                    .collect(),
            )
        },
        "",
    );
    // Moments after the last entry close the last list only.
    Cow::Owned(replace_numbered(
        &html,
        TIMELINE_END,
        PLACEHOLDER_CLOSE,
        |k| Some(if k == n { before(n) } else { String::new() }),
        "",
    ))
}
