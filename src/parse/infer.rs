//! What an archive's documents say without front matter, read from their prose (the
//! adopt profile): a date written in a sentence ("On Monday 4th of March 2019",
//! "Sept. 18th, 2017", "2018-08-22") and a summary (the first paragraph of a Summary
//! or Overview section, or of the text before the first section).

use chrono::NaiveDate;

use crate::model::{Body, ProseBlock};
use crate::text::month;

/// A day of the month as written: `4`, `04`, `4th`, `18th`, `1st`.
fn day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(word: &str) -> Option<i32> {
    (word.len() == 4)
        .then(|| word.parse().ok())
        .flatten()
        .filter(|y| (1970..=2199).contains(y))
}

/// The first date written in `text`: `YYYY-MM-DD`, `Month D[th], YYYY`, or
/// `D[th] [of] Month YYYY`, with any weekday, dots and commas around them.
pub fn date_in(text: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    for (k, w) in words.iter().enumerate() {
        // An ISO date standing alone (not inside a version or a file name).
        if w.len() == 10
            && let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d")
        {
            return Some(d);
        }
        let at = |n: usize| words.get(k + n).copied().unwrap_or("");
        let found = if let Some(m) = month(w) {
            // March 4, 2019 / Sept. 18th, 2017
            day(at(1)).zip(year(at(2))).map(|(d, y)| (y, m, d))
        } else if let Some(d) = day(w) {
            // 4 March 2019 / 4th of March 2019
            let skip = usize::from(at(1).eq_ignore_ascii_case("of"));
            month(at(1 + skip))
                .zip(year(at(2 + skip)))
                .map(|(m, y)| (y, m, d))
        } else {
            None
        };
        if let Some(d) = found.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)) {
            return Some(d);
        }
    }
    None
}

/// The first date written in the prose (not in code) of a body.
pub fn date_in_prose(prose: &[ProseBlock]) -> Option<NaiveDate> {
    prose.iter().find_map(|b| date_in(&b.text))
}

/// Headings whose first paragraph is the document's summary.
const SUMMARY_HEADINGS: [&str; 6] = [
    "summary",
    "incident summary",
    "executive summary",
    "overview",
    "description",
    "tl;dr",
];

/// At most this many characters of a summary, cut at a sentence or a word.
const SUMMARY_CHARS: usize = 320;

/// A summary for a document that has none: the first paragraph of its Summary (or
/// Overview, Description…) section, else of the text before its first section, else
/// of its first section that is not the timeline (often the cause, in a few lines);
/// a paragraph of a few words ("Internal post-mortem: <link>") is passed over.
pub fn summary(body: &Body) -> Option<(String, &'static str)> {
    let named = body.sections.iter().find(|s| {
        let title = s.title.trim().trim_end_matches(':').to_lowercase();
        SUMMARY_HEADINGS.contains(&title.as_str())
    });
    let first_told = body
        .sections
        .iter()
        .find(|s| s.canonical.as_deref() != Some(crate::model::TIMELINE));
    named
        .map(|s| (&s.text, "its summary section"))
        .into_iter()
        .chain(std::iter::once((
            &body.preamble_text,
            "its opening paragraph",
        )))
        .chain(first_told.map(|s| (&s.text, "its first section")))
        .find_map(|(t, from)| Some((first_paragraph(t)?, from)))
}

fn first_paragraph(text: &str) -> Option<String> {
    let paragraph = text
        .lines()
        .map(str::trim)
        .find(|l| l.split_whitespace().count() >= 8)?;
    if paragraph.chars().count() <= SUMMARY_CHARS {
        return Some(paragraph.to_owned());
    }
    let cut: String = paragraph.chars().take(SUMMARY_CHARS).collect();
    // Whole sentences when they fill half of it; else whole words, and an ellipsis.
    if let Some(end) = cut.rfind(". ").filter(|&i| i > cut.len() / 2) {
        return Some(cut[..=end].to_owned());
    }
    let end = cut.rfind(' ').unwrap_or(cut.len());
    Some(format!("{}…", cut[..end].trim_end_matches([',', ';', ':'])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_as_people_write_them() {
        assert_eq!(
            date_in("On Monday 4th of March 2019 the site went down"),
            d(2019, 3, 4)
        );
        assert_eq!(
            date_in("In the morning of Sept. 18th, 2017, A couple of"),
            d(2017, 9, 18)
        );
        assert_eq!(date_in("Monday, Nov. 13, 2017"), d(2017, 11, 13));
        assert_eq!(date_in("Start: Wednesday, 2018-08-22"), d(2018, 8, 22));
        assert_eq!(
            date_in("On 11 June 2019, CDP builds were failing"),
            d(2019, 6, 11)
        );
        assert_eq!(
            date_in("On September 29, 2025, the service"),
            d(2025, 9, 29)
        );
        // Not dates: a day without a year, a version, a month-like word.
        assert_eq!(date_in("On 28th February, flags went down"), None);
        assert_eq!(
            date_in("kolibri-0.6.dev020170821165952 and ubuntu:xenial-20170802"),
            None
        );
        assert_eq!(date_in("may 3 of the 2019 nodes"), None);
        assert_eq!(date_in("the marching band 4 2019"), None);
    }

    #[test]
    fn a_summary_is_a_real_paragraph_cut_at_a_sentence() {
        assert_eq!(
            first_paragraph(
                "Internal post-mortem: x\nOn March 4 the orders database locked for 22 minutes.\n"
            ),
            Some("On March 4 the orders database locked for 22 minutes.".to_owned())
        );
        let long = "The first sentence is here and it is long enough to count. ".repeat(10);
        let cut = first_paragraph(&long).unwrap();
        assert!(cut.chars().count() <= SUMMARY_CHARS + 1, "{cut}");
        assert!(cut.ends_with("count."), "{cut}");
        assert_eq!(first_paragraph("Too short.\n"), None);
    }
}
