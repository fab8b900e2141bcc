//! Durations derived from an incident's timestamps.

use serde::{Deserialize, Serialize};

use super::Timestamps;

/// Minutes from the start to each later moment; `None` where a timestamp is missing
/// or out of order (the check stage reports that).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Durations {
    pub to_detect: Option<i64>,
    pub to_mitigate: Option<i64>,
    pub to_resolve: Option<i64>,
}

impl Durations {
    pub fn of(t: &Timestamps) -> Durations {
        let minutes = |later: Option<chrono::DateTime<chrono::FixedOffset>>| {
            let (start, later) = (t.started?, later?);
            let m = (later - start).num_minutes();
            (m >= 0).then_some(m)
        };
        Durations {
            to_detect: minutes(t.detected),
            to_mitigate: minutes(t.mitigated),
            to_resolve: minutes(t.resolved),
        }
    }

    /// The incident's length: start to resolution, else start to mitigation.
    pub fn total(&self) -> Option<i64> {
        self.to_resolve.or(self.to_mitigate)
    }
}

/// "45m", "3h 05m", "2d 4h".
pub fn format_minutes(minutes: i64) -> String {
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    match (d, h) {
        (0, 0) => format!("{m}m"),
        (0, _) => format!("{h}h {m:02}m"),
        _ => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        Some(chrono::DateTime::parse_from_rfc3339(s).unwrap())
    }

    #[test]
    fn durations_from_timestamps() {
        let t = Timestamps {
            started: ts("2024-03-12T14:00:00Z"),
            detected: ts("2024-03-12T14:09:00Z"),
            mitigated: ts("2024-03-12T15:05:00+01:00"),
            resolved: ts("2024-03-12T17:30:00Z"),
        };
        let d = Durations::of(&t);
        assert_eq!(d.to_detect, Some(9));
        assert_eq!(d.to_mitigate, Some(5));
        assert_eq!(d.total(), Some(210));
        assert_eq!(format_minutes(210), "3h 30m");
        assert_eq!(format_minutes(45), "45m");
        assert_eq!(format_minutes(3000), "2d 2h");
    }
}
