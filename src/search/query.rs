//! The query as a responder types it: field filters (`service:checkout`,
//! `severity:sev1`, `after:2024-06`) are taken out of its text, the rest is searched.
//! `themes/default/static/search.js` (`takeFilters`) reads the same syntax; the tests
//! hold the two together through the rankings they give.

use chrono::{Datelike, NaiveDate};

use super::Filters;

/// Why a query's filter cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error(
        "`{key}:{value}` is not a date\n  help: write {key}:YYYY, {key}:YYYY-MM or {key}:YYYY-MM-DD"
    )]
    Date { key: String, value: String },
}

/// The keys a query's text may filter on.
pub const KEYS: &[&str] = &[
    "service", "team", "severity", "factor", "status", "after", "before", "year",
];

/// A query with its filters taken out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Typed {
    /// The text to search: the query with each filter replaced by nothing, so the
    /// words keep their places (and a query ending in a filter ends in a space, as if
    /// the last word were finished).
    pub text: String,
    pub filters: Filters,
}

/// Takes the filters out of `query`: every whitespace-separated `key:value` outside
/// quotes whose key is one of [`KEYS`] (any case) and whose value is not empty. Dates
/// are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, standing for their first day; `after:` keeps
/// that day and later, `before:` the days before it, `year:Y` the days of the year.
/// A key given twice keeps its last value.
pub fn parse(query: &str) -> Result<Typed, QueryError> {
    let mut typed = Typed::default();
    let mut quoted = false;
    let mut rest = query;
    while !rest.is_empty() {
        let start = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        typed.text.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..end];
        rest = &rest[end..];
        if !quoted && take(token, &mut typed.filters)? {
            continue;
        }
        if token.matches('"').count() % 2 == 1 {
            quoted = !quoted;
        }
        typed.text.push_str(token);
    }
    Ok(typed)
}

/// Reads `token` into `filters` if it is a filter.
fn take(token: &str, filters: &mut Filters) -> Result<bool, QueryError> {
    let Some((key, value)) = token.split_once(':') else {
        return Ok(false);
    };
    let key = key.to_ascii_lowercase();
    if value.is_empty() || !KEYS.contains(&key.as_str()) {
        return Ok(false);
    }
    let date = || {
        day(value).ok_or_else(|| QueryError::Date {
            key: key.clone(),
            value: value.to_owned(),
        })
    };
    match key.as_str() {
        "service" => filters.service = Some(value.to_owned()),
        "team" => filters.team = Some(value.to_owned()),
        "severity" => filters.severity = Some(value.to_owned()),
        "factor" => filters.factor = Some(value.to_owned()),
        "status" => filters.status = Some(value.to_owned()),
        "after" => filters.after = Some(date()?),
        "before" => filters.before = Some(date()?),
        _ => {
            let first = date()?;
            if value.len() != 4 {
                return Err(QueryError::Date {
                    key,
                    value: value.to_owned(),
                });
            }
            filters.after = Some(first);
            filters.before = NaiveDate::from_ymd_opt(first.year() + 1, 1, 1);
        }
    }
    Ok(true)
}

/// The first day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn day(value: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = value.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match parts[..] {
        [y] => NaiveDate::from_ymd_opt(number(y, 4)? as i32, 1, 1),
        [y, m] => NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(m, 2)?, 1),
        [y, m, d] => NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(m, 2)?, number(d, 2)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn filters_leave_the_text_and_keep_its_spaces() {
        let t = parse("service:checkout timeout Severity:SEV1").unwrap();
        assert_eq!(t.text, " timeout ");
        assert_eq!(t.filters.service.as_deref(), Some("checkout"));
        assert_eq!(t.filters.severity.as_deref(), Some("SEV1"));
        let t = parse("team:edge dns").unwrap();
        assert_eq!(
            (t.text.as_str(), t.filters.team.as_deref()),
            (" dns", Some("edge"))
        );
    }

    #[test]
    fn other_colons_quotes_and_empty_values_stay_text() {
        for query in [
            "TypeError: isDisabled is not a function",
            "\"see service:checkout\" now",
            "http://example.com",
            "service: checkout",
            "tag:postgres",
        ] {
            let t = parse(query).unwrap();
            assert_eq!(t.text, query);
            assert_eq!(t.filters.service, None);
        }
    }

    #[test]
    fn dates_are_periods_read_from_their_first_day() {
        let t = parse("after:2024-06 before:2025-01-15 cache").unwrap();
        assert_eq!(t.filters.after, Some(date("2024-06-01")));
        assert_eq!(t.filters.before, Some(date("2025-01-15")));
        let t = parse("year:2025").unwrap();
        assert_eq!(t.filters.after, Some(date("2025-01-01")));
        assert_eq!(t.filters.before, Some(date("2026-01-01")));
        for bad in [
            "after:yesterday",
            "before:2024-13",
            "year:2024-06",
            "after:24",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.to_string().contains("is not a date"), "{bad}: {e}");
        }
    }
}
