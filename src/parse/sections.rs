//! Recognising section headings: which canonical section ("Contributing Factors") a
//! heading as written ("Contributing factors:", "Root causes") stands for.

use std::collections::HashMap;

/// The canonical sections of the default template, in order.
pub const TIMELINE: &str = "Timeline";
pub const DEFAULT_SECTIONS: &[&str] = &[
    TIMELINE,
    "Contributing Factors",
    "What Went Well",
    "Improvement Opportunities",
    "Action Items",
];

/// Headings that mean a canonical section under another name.
const DEFAULT_ALIASES: &[(&str, &str)] = &[
    ("Incident Timeline", TIMELINE),
    ("Key Events", TIMELINE),
    ("Root Causes", "Contributing Factors"),
    ("Root Cause", "Contributing Factors"),
    ("Contributing Conditions", "Contributing Factors"),
    ("Things That Went Well", "What Went Well"),
    ("What Went Wrong", "Improvement Opportunities"),
    ("Lessons Learned", "Improvement Opportunities"),
    ("Where We Got Lucky", "Improvement Opportunities"),
    ("Corrective Actions", "Action Items"),
    ("Follow-ups", "Action Items"),
    ("Next Steps", "Action Items"),
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
}
