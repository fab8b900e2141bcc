//! Timeline entries: a list item of the Timeline section that starts with a time.

/// Splits "14:05 Alert fired" (or "2024-03-12 14:05 UTC — Alert fired",
/// "2024-03-12T14:05:00Z: Alert fired") into the time as written and the rest.
pub fn split_time(item: &str) -> Option<(String, String)> {
    const PUNCT: &[char] = &[':', ',', '-', '—', '–', '|'];
    let clean = |t: &str| t.trim_end_matches(PUNCT).to_owned();
    let tokens: Vec<&str> = item.split_whitespace().take(3).collect();
    let first = clean(tokens.first()?);
    let mut n = if is_date(&first) && tokens.get(1).is_some_and(|t| is_time(&clean(t))) {
        2
    } else if is_time(&first) || chrono::DateTime::parse_from_rfc3339(&first).is_ok() {
        1
    } else {
        return None;
    };
    // A zone written after the time belongs to it.
    if tokens.get(n).is_some_and(|t| is_zone(&clean(t))) {
        n += 1;
    }
    let mut rest = item;
    for t in &tokens[..n] {
        rest = &rest.trim_start()[t.len()..];
    }
    let time = clean(&tokens[..n].join(" "));
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || PUNCT.contains(&c));
    Some((time, rest.to_owned()))
}

fn is_zone(t: &str) -> bool {
    matches!(t, "UTC" | "GMT" | "Z")
        || ((t.starts_with('+') || t.starts_with('-')) && is_time(&t[1..]))
}

fn is_date(t: &str) -> bool {
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok()
}

fn is_time(t: &str) -> bool {
    let parts: Vec<&str> = t.split(':').collect();
    (parts.len() == 2 || parts.len() == 3)
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0] < "24"
        && parts[1] < "60"
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
        assert_eq!(t("99:99 nope"), None);
    }
}
