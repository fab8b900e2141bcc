//! Time zones as post-mortems write them.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// A post-mortem's or book's zone: a fixed offset (`UTC`, `+02:00`) or a named zone
/// (`Europe/Berlin`) whose offset follows daylight saving time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

/// Written as the text [`Zone::parse`] reads back: `+02:00` or `Europe/Berlin`.
impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Zone::Fixed(z) => write!(f, "{z}"),
            Zone::Named(z) => f.write_str(z.name()),
        }
    }
}

impl serde::Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Zone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Zone, D::Error> {
        let text = String::deserialize(d)?;
        Zone::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a time zone: {text}")))
    }
}

impl Zone {
    pub fn utc() -> Zone {
        Zone::Fixed(FixedOffset::east_opt(0).expect("zero offset"))
    }

    /// `UTC`, `+02:00`, `UTC-05:30` or an IANA name such as `America/New_York`.
    pub fn parse(text: &str) -> Option<Zone> {
        parse_zone(text)
            .map(Zone::Fixed)
            .or_else(|| text.trim().parse::<chrono_tz::Tz>().ok().map(Zone::Named))
    }

    /// The instant of a wall-clock time in this zone (the earlier one when a clock
    /// change makes it ambiguous).
    pub fn resolve(&self, local: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        match self {
            Zone::Fixed(z) => z.from_local_datetime(&local).earliest(),
            Zone::Named(z) => z
                .from_local_datetime(&local)
                .earliest()
                .map(|t| t.fixed_offset()),
        }
    }

    /// The calendar date of an instant in this zone.
    pub fn date_of(&self, t: DateTime<FixedOffset>) -> NaiveDate {
        match self {
            Zone::Fixed(z) => t.with_timezone(z).date_naive(),
            Zone::Named(z) => t.with_timezone(z).date_naive(),
        }
    }
}

/// A date written as ISO 8601 and RFC 3339 write one, `YYYY-MM-DD`: four digits, two
/// and two. Nothing else: chrono's own parser also reads `2026-12-4` and `+2026-12-04`,
/// which neither sort with the others as text nor match a file named after the date.
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let well_formed = b.len() == 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    well_formed
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

/// The date a file's name starts with, as `incidentbook new` names files:
/// `2024-03-12-orders-lock` is 2024-03-12; `2024-03-123` and `2024-3-12-x` have none.
pub fn date_in_name(stem: &str) -> Option<NaiveDate> {
    let date = iso_date(stem.get(..10)?)?;
    let next = stem[10..].chars().next();
    next.is_none_or(|c| !c.is_ascii_alphanumeric())
        .then_some(date)
}

/// A command-line date (`--date`, `--since`) that is not written `YYYY-MM-DD`.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a date written YYYY-MM-DD, such as 2024-03-12")]
pub struct NotAnIsoDate(pub String);

/// [`iso_date`] for the command line: what was wrong, as an error.
pub fn parse_iso_date(text: &str) -> Result<NaiveDate, NotAnIsoDate> {
    iso_date(text).ok_or_else(|| NotAnIsoDate(text.to_owned()))
}

/// Parses `UTC`, `GMT`, `Z` or an offset such as `+02:00`, `-0530`.
pub fn parse_zone(text: &str) -> Option<FixedOffset> {
    let t = text.trim();
    if ["UTC", "GMT", "Z"]
        .iter()
        .any(|z| t.eq_ignore_ascii_case(z))
    {
        return FixedOffset::east_opt(0);
    }
    let t = t
        .strip_prefix("UTC")
        .or_else(|| t.strip_prefix("GMT"))
        .unwrap_or(t);
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !(digits.len() == 2 || digits.len() == 4) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = if digits.len() == 4 {
        digits[2..].parse().ok()?
    } else {
        0
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_four_two_and_two_digits() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(iso_date("2026-12-04"), d(2026, 12, 4));
        for loose in [
            "2026-12-4",
            "2026-1-04",
            "+2026-12-04",
            " 2026-12-04",
            "2026/12/04",
        ] {
            assert_eq!(iso_date(loose), None, "{loose}");
        }
        assert_eq!(iso_date("2026-02-30"), None);
        assert_eq!(iso_date("2026-12-0é"), None);
        // What chrono alone reads, and this does not.
        assert_eq!(
            NaiveDate::parse_from_str("2026-12-4", "%Y-%m-%d").ok(),
            d(2026, 12, 4)
        );
        assert!(
            parse_iso_date("2026-12-4")
                .unwrap_err()
                .to_string()
                .contains("YYYY-MM-DD")
        );
    }

    #[test]
    fn dates_in_file_names() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(date_in_name("2024-03-12-orders-lock"), d(2024, 3, 12));
        assert_eq!(date_in_name("2024-03-12"), d(2024, 3, 12));
        assert_eq!(date_in_name("2024-03-12_orders"), d(2024, 3, 12));
        assert_eq!(date_in_name("2024-03-123"), None);
        assert_eq!(date_in_name("2024-03-12x"), None);
        assert_eq!(date_in_name("2024-3-12-orders"), None);
        assert_eq!(date_in_name("orders-2024-03-12"), None);
        assert_eq!(date_in_name("2024-03-1é"), None);
    }

    #[test]
    fn zones() {
        assert_eq!(parse_zone("UTC"), FixedOffset::east_opt(0));
        assert_eq!(parse_zone("+02:00"), FixedOffset::east_opt(7200));
        assert_eq!(parse_zone("UTC-05:30"), FixedOffset::west_opt(19800));
        assert_eq!(parse_zone("-0800"), FixedOffset::west_opt(28800));
        assert_eq!(parse_zone("Europe/Berlin"), None);
        assert_eq!(parse_zone("+25:00"), None);
    }

    #[test]
    fn named_zones_follow_daylight_saving() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        let winter = NaiveDate::from_ymd_opt(2024, 1, 10)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let summer = NaiveDate::from_ymd_opt(2024, 7, 10)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert_eq!(
            berlin.resolve(winter).unwrap().offset().local_minus_utc(),
            3600
        );
        assert_eq!(
            berlin.resolve(summer).unwrap().offset().local_minus_utc(),
            7200
        );
        assert_eq!(Zone::parse("Mars/Olympus"), None);
    }
}
