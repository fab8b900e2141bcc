//! Timeline entries: a list item or table row of the Timeline section that starts with a
//! time, and the forms of time post-mortems are written with.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime};

use crate::model::{Incident, Zone, parse_zone};

const PUNCT: &[char] = &[':', ',', '-', '—', '–', '|'];

/// A date as a timeline writes it: `2024-03-12`, or `Jan 14` / `Jan 14, 2026`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenDate {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl WrittenDate {
    /// The date, taking the year from `default_year` when none is written.
    pub fn resolve(&self, default_year: Option<i32>) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year.or(default_year)?, self.month, self.day)
    }
}

/// A time as a timeline writes it: an optional date, a time of day, an optional zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenTime {
    pub date: Option<WrittenDate>,
    pub time: NaiveTime,
    pub zone: Option<FixedOffset>,
}

/// Reads the time that opens `tokens`, returning it and how many tokens it used.
/// Forms: `14:05`, `14:05:30`, `5:33 PM`, `2024-03-12 14:05`, `Jan 14, 10:18 AM`,
/// `Jan 14, 2026 10:18`, an RFC 3339 timestamp; each optionally followed by `UTC`,
/// `GMT`, `Z` or an offset.
fn read_time(tokens: &[&str]) -> Option<(WrittenTime, usize)> {
    let tok = |i: usize| tokens.get(i).map(|t| t.trim_end_matches(PUNCT));
    let first = tok(0)?;
    // Both dated forms below hold a `-` after their first character: most tokens are
    // turned away here rather than by chrono's format parsers (every timeline entry is
    // read this way when parsed, checked and drawn).
    let dashed = first.get(1..).is_some_and(|rest| rest.contains('-'));
    if dashed && let Ok(t) = chrono::DateTime::parse_from_rfc3339(first) {
        let d = t.date_naive();
        use chrono::Datelike;
        let date = WrittenDate {
            year: Some(d.year()),
            month: d.month(),
            day: d.day(),
        };
        return Some((
            WrittenTime {
                date: Some(date),
                time: t.time(),
                zone: Some(*t.offset()),
            },
            1,
        ));
    }
    let mut i = 0;
    let mut date = None;
    if dashed && let Ok(d) = NaiveDate::parse_from_str(first, "%Y-%m-%d") {
        use chrono::Datelike;
        date = Some(WrittenDate {
            year: Some(d.year()),
            month: d.month(),
            day: d.day(),
        });
        i = 1;
    } else if let (Some(month), Some(day)) = (
        crate::text::month(first),
        tok(1).and_then(|d| d.parse::<u32>().ok()),
    ) && (1..=31).contains(&day)
    {
        i = 2;
        let year = tok(2)
            .and_then(|y| y.parse::<i32>().ok())
            .filter(|y| (1990..=2100).contains(y));
        if year.is_some() {
            i = 3;
        }
        date = Some(WrittenDate { year, month, day });
    }
    let mut time = parse_clock(tok(i)?)?;
    i += 1;
    let meridiem = tok(i).filter(|_| time.0 <= 12);
    if meridiem.is_some_and(|t| t.eq_ignore_ascii_case("AM")) {
        time.0 %= 12;
        i += 1;
    } else if meridiem.is_some_and(|t| t.eq_ignore_ascii_case("PM")) {
        time.0 = time.0 % 12 + 12;
        i += 1;
    }
    let time = NaiveTime::from_hms_opt(time.0, time.1, time.2)?;
    let zone = tok(i).and_then(parse_zone);
    if zone.is_some() {
        i += 1;
    }
    Some((WrittenTime { date, time, zone }, i))
}

/// `14:05`, `5:33`, `14:05:30` as (hour, minute, second).
fn parse_clock(t: &str) -> Option<(u32, u32, u32)> {
    let mut parts = t.split(':');
    let (hour, minute, second) = (parts.next()?, parts.next()?, parts.next());
    if parts.next().is_some() {
        return None;
    }
    let num = |p: &str, max: u32, lens: &[usize]| -> Option<u32> {
        (lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
            .filter(|v| *v < max)
    };
    Some((
        num(hour, 24, &[1, 2])?,
        num(minute, 60, &[2])?,
        second.map_or(Some(0), |p| num(p, 60, &[2]))?,
    ))
}

/// Where a timeline entry stands in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub at: DateTime<FixedOffset>,
    /// The entry writes its date (context outside the incident's day, perhaps).
    pub dated: bool,
}

/// Places every entry of `incident`'s timeline in time, in order (`None` for an entry
/// without a readable time): a time without a date is on the incident's day (the
/// `started` timestamp's, else the `date` field's) in the entry's zone, else the
/// post-mortem's `timezone`, else `zone`; a time much earlier than the one before it is
/// on the next day (timelines cross midnight). Without a day, nothing can be placed.
/// Checking (order, window) and drawing the timeline both read time this one way.
pub fn place(incident: &Incident, zone: Zone) -> Vec<Option<Placed>> {
    let zone = incident.timezone.unwrap_or(zone);
    let base = incident
        .timestamps
        .started
        .map(|s| zone.date_of(s))
        .or(incident.date);
    let Some(mut day) = base else {
        return vec![None; incident.body.timeline.len()];
    };
    let mut previous: Option<DateTime<FixedOffset>> = None;
    incident
        .body
        .timeline
        .iter()
        .map(|entry| {
            let parsed = entry.time.as_deref().and_then(parse_written_time)?;
            // A zone written on the entry wins over the post-mortem's.
            let entry_zone = parsed.zone.map(Zone::Fixed).unwrap_or(zone);
            let at = |date: NaiveDate| entry_zone.resolve(date.and_time(parsed.time));
            let written_date = parsed
                .date
                .and_then(|d| d.resolve(incident.date.map(|x| x.year())));
            let dated = written_date.is_some();
            let mut when = at(written_date.unwrap_or(day))?;
            if !dated
                && let Some(prev) = previous
                && when < prev
                && prev - when > Duration::hours(12)
            {
                day = day.succ_opt().unwrap_or(day);
                when = at(day).unwrap_or(when);
            }
            previous = Some(when);
            Some(Placed { at: when, dated })
        })
        .collect()
}

/// Parses a whole time as written (the `time` of a `TimelineEntry`).
pub fn parse_written_time(text: &str) -> Option<WrittenTime> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    read_time(&tokens).map(|(t, _)| t)
}

/// Splits "14:05 Alert fired" (or "2024-03-12 14:05 UTC — Alert fired",
/// "Jan 14, 10:18 AM | A customer wrote") into the time as written and the rest.
pub fn split_time(item: &str) -> Option<(String, String)> {
    let tokens: Vec<&str> = item.split_whitespace().take(7).collect();
    let (_, n) = read_time(&tokens)?;
    let mut rest = item;
    for t in &tokens[..n] {
        rest = &rest.trim_start()[t.len()..];
    }
    let time = tokens[..n]
        .join(" ")
        .trim_end_matches(PUNCT)
        .trim()
        .to_owned();
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || PUNCT.contains(&c));
    Some((time, rest.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::split_time;

    fn t(s: &str) -> Option<(String, String)> {
        split_time(s)
    }

    #[test]
    fn recognises_common_forms() {
        assert_eq!(
            t("14:05 Alert fired"),
            Some(("14:05".into(), "Alert fired".into()))
        );
        assert_eq!(
            t("14:05:30 - paged"),
            Some(("14:05:30".into(), "paged".into()))
        );
        assert_eq!(
            t("2024-03-12 14:05 UTC — Alert fired"),
            Some(("2024-03-12 14:05 UTC".into(), "Alert fired".into()))
        );
        assert_eq!(
            t("2024-03-12T14:05:00Z: Alert"),
            Some(("2024-03-12T14:05:00Z".into(), "Alert".into()))
        );
        assert_eq!(t("All times are UTC."), None);
        assert_eq!(
            t("Jan 14, 10:18 AM A customer wrote"),
            Some(("Jan 14, 10:18 AM".into(), "A customer wrote".into()))
        );
        assert_eq!(
            t("5:33 PM Released"),
            Some(("5:33 PM".into(), "Released".into()))
        );
        assert_eq!(
            t("16:58 UTC - Writer saturated"),
            Some(("16:58 UTC".into(), "Writer saturated".into()))
        );
        let w = super::parse_written_time("Jan 17, 8:13 PM").unwrap();
        assert_eq!(w.time, chrono::NaiveTime::from_hms_opt(20, 13, 0).unwrap());
        assert_eq!(
            w.date.unwrap().resolve(Some(2026)),
            chrono::NaiveDate::from_ymd_opt(2026, 1, 17)
        );
        assert_eq!(t("99:99 nope"), None);
    }
}
