//! Time zones as post-mortems write them.

use chrono::FixedOffset;

/// Parses `UTC`, `GMT`, `Z` or an offset such as `+02:00`, `-0530`.
pub fn parse_zone(text: &str) -> Option<FixedOffset> {
    let t = text.trim();
    if matches!(t.to_ascii_uppercase().as_str(), "UTC" | "GMT" | "Z") {
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
    fn zones() {
        assert_eq!(parse_zone("UTC"), FixedOffset::east_opt(0));
        assert_eq!(parse_zone("+02:00"), FixedOffset::east_opt(7200));
        assert_eq!(parse_zone("UTC-05:30"), FixedOffset::west_opt(19800));
        assert_eq!(parse_zone("-0800"), FixedOffset::west_opt(28800));
        assert_eq!(parse_zone("Europe/Berlin"), None);
        assert_eq!(parse_zone("+25:00"), None);
    }
}
