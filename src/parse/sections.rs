//! Recognising section headings: which canonical section ("Contributing Factors") a
//! heading as written ("Contributing factors:", "Root causes") stands for.

use std::collections::HashMap;

pub use crate::model::{ACTION_ITEMS, CONTRIBUTING_FACTORS, DEFAULT_SECTIONS, TIMELINE};

/// Headings that mean a canonical section under another name.
/// Headings of widely used templates (Google SRE, PagerDuty, Atlassian, Etsy, the SRE
/// workbook) that mean a canonical section under another name. Matching ignores case
/// and punctuation, so "Root Cause(s)" and "Events/Timeline:" are covered.
const DEFAULT_ALIASES: &[(&str, &str)] = &[
    ("Incident Timeline", TIMELINE),
    ("Timeline/Recovery Efforts", TIMELINE),
    ("Key Events", TIMELINE),
    ("Events/Timeline", TIMELINE),
    ("Timeline of Events", TIMELINE),
    ("Chronology", TIMELINE),
    ("What Happened", TIMELINE),
    ("How Did It Happen", TIMELINE),
    ("Root Causes", "Contributing Factors"),
    ("Root Cause", "Contributing Factors"),
    ("Root Cause(s)", "Contributing Factors"),
    ("Root Cause Analysis", "Contributing Factors"),
    ("Contributing Conditions", "Contributing Factors"),
    ("Causes", "Contributing Factors"),
    ("Cause", "Contributing Factors"),
    ("Trigger", "Contributing Factors"),
    ("Why Did It Happen", "Contributing Factors"),
    ("Things That Went Well", "What Went Well"),
    ("What Went Right", "What Went Well"),
    ("What Went Wrong", "Improvement Opportunities"),
    ("What Went Poorly", "Improvement Opportunities"),
    ("What Didn't Go Well", "Improvement Opportunities"),
    ("What Could Have Gone Better", "Improvement Opportunities"),
    ("Where We Got Lucky", "Improvement Opportunities"),
    ("Lessons Learned", "Improvement Opportunities"),
    ("Learnings", "Improvement Opportunities"),
    ("Key Takeaways", "Improvement Opportunities"),
    ("Corrective Actions", "Action Items"),
    ("Corrective and Preventative Measures", "Action Items"),
    ("Corrective and Preventive Measures", "Action Items"),
    ("Remediation", "Action Items"),
    ("Remediations", "Action Items"),
    ("Follow-ups", "Action Items"),
    ("Follow-up Actions", "Action Items"),
    ("Next Steps", "Action Items"),
    (
        "How Are We Preventing It From Happening Again",
        "Action Items",
    ),
];

/// Maps normalised headings to canonical section names.
#[derive(Debug, Clone)]
pub struct SectionNames {
    canonical: Vec<String>,
    by_key: HashMap<String, String>,
}

impl Default for SectionNames {
    fn default() -> Self {
        SectionNames::new(
            DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect(),
            DEFAULT_ALIASES
                .iter()
                .map(|(a, c)| (a.to_string(), c.to_string())),
        )
    }
}

impl SectionNames {
    /// The sections configured in `[validation]`, with the default aliases of those
    /// sections kept unless the book overrides them.
    pub fn from_rules(rules: &[crate::config::SectionRule]) -> SectionNames {
        let canonical: Vec<String> = rules.iter().map(|r| r.name.clone()).collect();
        let defaults = DEFAULT_ALIASES
            .iter()
            .filter(|(_, c)| canonical.iter().any(|n| n == c))
            .map(|(a, c)| (a.to_string(), c.to_string()))
            .collect::<Vec<_>>();
        let configured = rules
            .iter()
            .flat_map(|r| r.aliases.iter().map(|a| (a.clone(), r.name.clone())));
        SectionNames::new(canonical, defaults.into_iter().chain(configured))
    }

    /// The canonical section a misspelt heading most likely means ("Contributing
    /// Factros"), if it is close enough to be a typo rather than another heading.
    pub fn nearest(&self, heading: &str) -> Option<&str> {
        let key = normalize(heading);
        if key.len() < 4 {
            return None;
        }
        // A typo is at most three edits away, so names whose length differs more are
        // not measured: most headings that are no section are far from every name.
        // (Optimal string alignment: transpositions of neighbours count as one edit.)
        self.by_key
            .iter()
            .filter(|(k, _)| k.len().abs_diff(key.len()) <= 3 && bag_distance(k, &key) <= 3)
            .map(|(k, name)| (strsim::osa_distance(&key, k), k.len(), name))
            .filter(|(d, len, _)| *d > 0 && *d <= (len / 6).clamp(1, 3))
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(b.2)))
            .map(|(_, _, name)| name.as_str())
    }

    pub fn new(
        canonical: Vec<String>,
        aliases: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        let mut by_key = HashMap::new();
        for name in &canonical {
            by_key.insert(normalize(name), name.clone());
        }
        for (alias, name) in aliases {
            by_key.insert(normalize(&alias), name);
        }
        SectionNames { canonical, by_key }
    }

    pub fn canonical(&self) -> &[String] {
        &self.canonical
    }

    /// The canonical name for a heading as written, if it names one.
    pub fn resolve(&self, heading: &str) -> Option<&str> {
        self.by_key.get(&normalize(heading)).map(String::as_str)
    }
}

/// A lower bound of the edit distance of `a` and `b`, cheap enough to skip most names
/// before measuring it (every heading that names no section is compared with each):
/// the characters one has and the other lacks, which an edit changes by one at most
/// and a transposition not at all. 0, no bound, when either is not ASCII.
fn bag_distance(a: &str, b: &str) -> usize {
    if !a.is_ascii() || !b.is_ascii() {
        return 0;
    }
    let mut counts = [0i32; 128];
    a.bytes().for_each(|c| counts[usize::from(c)] += 1);
    b.bytes().for_each(|c| counts[usize::from(c)] -= 1);
    let (more, fewer) = counts.iter().fold((0, 0), |(m, f), &c| {
        (m + c.max(0) as usize, f + (-c).max(0) as usize)
    });
    more.max(fewer)
}

/// Case-, punctuation- and space-insensitive form of a heading: "What went well?" and
/// "what-went-well" are the same heading.
pub fn normalize(heading: &str) -> String {
    heading
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_match_loosely() {
        let names = SectionNames::default();
        assert_eq!(names.resolve("What went well?"), Some("What Went Well"));
        assert_eq!(
            names.resolve("contributing factors:"),
            Some("Contributing Factors")
        );
        assert_eq!(names.resolve("Root Causes"), Some("Contributing Factors"));
        assert_eq!(names.resolve("Appendix"), None);
    }

    #[test]
    fn typos_find_the_nearest_section() {
        let names = SectionNames::default();
        assert_eq!(
            names.nearest("Contributing Factros"),
            Some("Contributing Factors")
        );
        assert_eq!(names.nearest("Timelime"), Some("Timeline"));
        assert_eq!(names.nearest("Appendix"), None);
        assert_eq!(names.nearest("Summary"), None);
    }

    #[test]
    fn the_bag_distance_never_exceeds_the_edit_distance() {
        let words = [
            "timeline",
            "timelime",
            "tiemline",
            "summary",
            "causes",
            "cause",
            "trigger",
            "actionitems",
            "actoinitems",
            "whatwentwell",
            "",
            "a",
            "ab",
            "ba",
            "café",
        ];
        for a in words {
            for b in words {
                assert!(bag_distance(a, b) <= strsim::osa_distance(a, b), "{a} {b}");
            }
        }
        assert_eq!(bag_distance("summary", "timeline"), 7);
        assert_eq!(bag_distance("timeline", "tiemline"), 0);
    }
}
