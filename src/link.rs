//! Cross-reference indexes over the whole book, computed once so that templates get
//! ready-made data: which file is which page, which incidents share a service, counts.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::model::{Book, Factor, Incident};

pub struct KnowledgeBase<'a> {
    pub book: &'a Book,
    /// Post-mortem by its path relative to the content folder, for resolving links.
    pub by_path: HashMap<&'a Path, &'a Incident>,
    pub factors: HashMap<&'a str, &'a Factor>,
    /// Number of post-mortems per severity, sorted by severity name (SEV1 first).
    pub severity_counts: Vec<(String, usize)>,
}

impl<'a> KnowledgeBase<'a> {
    pub fn new(book: &'a Book) -> KnowledgeBase<'a> {
        let by_path = book
            .incidents
            .iter()
            .map(|i| (i.content_path.as_path(), i))
            .collect();
        let factors = book.factors.iter().map(|f| (f.id.as_str(), f)).collect();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for incident in &book.incidents {
            let severity = incident
                .severity
                .clone()
                .unwrap_or_else(|| "unknown".to_owned());
            *counts.entry(severity).or_default() += 1;
        }
        KnowledgeBase {
            book,
            by_path,
            factors,
            severity_counts: counts.into_iter().collect(),
        }
    }
}
