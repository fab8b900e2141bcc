//! Facts stated in prose, as archives written before incidentbook record them:
//! durations ("Time to detection: 5 minutes", "**Time to recovery:** 1 hour 20
//! minutes"), used when the front matter has no timestamps, and labelled values
//! ("**Severity:** Critical"), used in the adopt profile when it has no such field.

use crate::model::{Durations, ProseBlock};

/// The durations a post-mortem states in its prose.
pub fn stated_durations(prose: &[ProseBlock]) -> Durations {
    let mut d = Durations::default();
    for block in prose {
        let text = block.text.to_ascii_lowercase();
        let Some(rest) = text
            .trim_start_matches(['*', '-', ' '])
            .strip_prefix("time to ")
        else {
            continue;
        };
        let (what, value) = match rest.split_once([':', '=']) {
            Some((w, v)) => (
                w.trim().trim_end_matches('*'),
                v.trim_start_matches(['*', ' ']),
            ),
            None => continue,
        };
        let Some(minutes) = parse_duration(value) else {
            continue;
        };
        let slot = match what {
            "detect" | "detection" | "discovery" | "acknowledge" => &mut d.to_detect,
            "mitigate" | "mitigation" => &mut d.to_mitigate,
            "recover" | "recovery" | "resolve" | "resolution" | "repair" | "restore" => {
                &mut d.to_resolve
            }
            _ => continue,
        };
        slot.get_or_insert(minutes);
    }
    d
}

/// The value of a line of prose that starts with `label:` ("Severity: Major (High
/// Impact)" gives "Major"): a few words, without what follows in brackets.
pub fn stated_label(prose: &[ProseBlock], label: &str) -> Option<String> {
    prose.iter().find_map(|block| {
        let text = block.text.trim_start_matches(['*', '-', ' ']);
        let (head, value) = text.split_once(':')?;
        if !head
            .trim()
            .trim_end_matches('*')
            .eq_ignore_ascii_case(label)
        {
            return None;
        }
        let value = value
            .split(['(', '\n', ';'])
            .next()?
            .trim_matches(|c: char| c == '*' || c == '.' || c.is_whitespace());
        let words = value.split_whitespace().count();
        (1..=3).contains(&words).then(|| value.to_owned())
    })
}

/// "5 minutes", "1 hour 20 minutes", "1h 20m", "2 days", "90 min" as minutes.
pub fn parse_duration(text: &str) -> Option<i64> {
    let mut total = 0.0;
    let mut found = false;
    let mut number: Option<f64> = None;
    for token in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        let split = token
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(token.len());
        let (digits, unit) = token.split_at(split);
        if !digits.is_empty() {
            number = digits.parse().ok();
        }
        let unit = unit.trim_end_matches(['.', ';', ')']);
        if unit.is_empty() {
            continue;
        }
        let scale = match unit {
            "d" | "day" | "days" => 1440.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 60.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 1.0,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0 / 60.0,
            "and" => continue,
            _ => break,
        };
        let n = number.take()?;
        total += n * scale;
        found = true;
    }
    found.then(|| total.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_values_are_read_without_their_asides() {
        let block = |t: &str| ProseBlock {
            text: t.to_owned(),
            ..ProseBlock::default()
        };
        let prose = [
            block("The severity of this was debated."),
            block("Severity: Major (High Impact, Service Degradation)"),
        ];
        assert_eq!(stated_label(&prose, "severity").as_deref(), Some("Major"));
        assert_eq!(
            stated_label(&[block("Severity: Critical")], "Severity").as_deref(),
            Some("Critical")
        );
        assert_eq!(
            stated_label(
                &[block("Severity: we argued about it for a long time")],
                "severity"
            ),
            None
        );
        assert_eq!(
            stated_label(&[block("Category: network")], "severity"),
            None
        );
    }

    #[test]
    fn durations_in_words() {
        assert_eq!(parse_duration("5 minutes"), Some(5));
        assert_eq!(parse_duration("1 hour 20 minutes"), Some(80));
        assert_eq!(parse_duration("1h 20m"), Some(80));
        assert_eq!(parse_duration("2 days and 3 hours"), Some(2 * 1440 + 180));
        assert_eq!(parse_duration("about an hour"), None);
    }

    #[test]
    fn stats_block_is_read() {
        let block = |t: &str| ProseBlock {
            text: t.to_owned(),
            ..ProseBlock::default()
        };
        let d = stated_durations(&[
            block("Time to detection: 5 minutes"),
            block("**Time to recovery:** 1 hour 20 minutes"),
            block("Time to fix the docs: 3 days"),
        ]);
        assert_eq!(
            (d.to_detect, d.to_mitigate, d.to_resolve),
            (Some(5), None, Some(80))
        );
    }
}
