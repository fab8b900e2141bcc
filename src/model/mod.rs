//! The data model: what a post-mortem *is*, independent of Markdown, HTML or files.
//!
//! Produced by `parse`, read by `check`, `link`, `render` and `search`.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

mod durations;
mod schema;
mod time;

pub use durations::{Durations, format_minutes};
pub use schema::{FromField, Meta, ReadFields};
pub use time::{NotAnIsoDate, Zone, date_in_name, iso_date, parse_iso_date, parse_zone};

/// The canonical section holding the incident's timeline.
pub const TIMELINE: &str = "Timeline";
pub const CONTRIBUTING_FACTORS: &str = "Contributing Factors";
pub const ACTION_ITEMS: &str = "Action Items";
/// The sections of the default blameless template, in order.
pub const DEFAULT_SECTIONS: &[&str] = &[
    TIMELINE,
    CONTRIBUTING_FACTORS,
    "What Went Well",
    "Improvement Opportunities",
    ACTION_ITEMS,
];

/// One post-mortem: its front matter (`meta`, which it reads as: `incident.title` is
/// `incident.meta.title`), and its body as parsed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Incident {
    /// Path relative to the book root, for diagnostics.
    pub source: PathBuf,
    /// Path relative to the content folder, for resolving relative links.
    pub content_path: PathBuf,
    pub meta: Meta,
    /// Every key written in the front matter, valid or not, with where it is written.
    pub declared: std::collections::BTreeMap<String, crate::diagnostics::Span>,
    /// Durations stated in the prose ("Time to detection: 5 minutes"), for archives
    /// without timestamps.
    pub stated: Durations,
    /// Front-matter keys outside the schema, for templates. Kept as JSON text in
    /// serialized form: the build cache's binary format cannot hold free-form values.
    #[serde(with = "json_text")]
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub body: Body,
    /// What the blameless-language lint found, when parsing ran it
    /// (`ParseOptions::lint`, as `build`, `check` and `serve` do): the prose blocks
    /// exist for the lint alone, so they are then dropped rather than kept for the
    /// whole build (a fifth of a large book's memory). `None`: not run yet, the prose
    /// is kept for `check::language::check` to read.
    pub language: Option<Vec<LanguageFinding>>,
    /// What the adopt profile read from the text rather than the front matter, and
    /// from where, for the page to say so: ("date", "the file name").
    pub inferred: Vec<(String, String)>,
    /// What the leak check found in the file, when parsing ran it (`ParseOptions::leaks`).
    pub leaks: Vec<LeakFinding>,
    /// The internal passages' byte ranges (`parse::passages`); blank, and still listed,
    /// in the public edition's parse.
    pub passages: Vec<std::ops::Range<usize>>,
}

/// What the leak check looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeakKind {
    PrivateKey,
    /// A cloud provider's access key (AWS, Google Cloud, Azure).
    AccessKey,
    /// A service's token in its known form (GitHub, GitLab, Slack, Stripe, npm…).
    Token,
    Jwt,
    PasswordInUrl,
    /// A random-looking value assigned to a key named like a secret.
    SecretAssignment,
    Email,
    Phone,
    IpAddress,
    InternalHost,
    /// A name from the roster file.
    RosterName,
}

/// One finding of the leak check in a file: its kind, where it is, the value masked
/// (so that no log repeats it), and whether it lies in an internal passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeakFinding {
    pub kind: LeakKind,
    pub span: crate::diagnostics::Span,
    pub masked: String,
    pub internal: bool,
}

/// One finding of the blameless-language lint, in this post-mortem's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageFinding {
    pub code: crate::diagnostics::Code,
    pub span: crate::diagnostics::Span,
    pub message: String,
    pub help: String,
}

impl std::ops::Deref for Incident {
    type Target = Meta;

    fn deref(&self) -> &Meta {
        &self.meta
    }
}

impl std::ops::DerefMut for Incident {
    fn deref_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
}

impl Incident {
    /// Whether `other` (a new parse of the same file) differs from this one only in what
    /// its own page shows: the body's text, HTML, headings, timeline and prose, and where
    /// its links stand. Every other page, index and cross-book check reads only the
    /// outline (front matter, durations stated in the prose, and what the body links
    /// to), so `serve` re-renders just this page when the outline is the same.
    pub fn same_outline(&self, other: &Incident) -> bool {
        let links = |i: &Incident| {
            i.body
                .references
                .iter()
                .map(|r| {
                    (
                        r.kind.clone(),
                        r.target.clone(),
                        r.fragment.clone(),
                        r.written.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        let key = |i: &Incident| {
            serde_json::to_string(&(
                (&i.source, &i.content_path, &i.meta),
                (&i.declared, &i.stated, &i.extra),
            ))
            .unwrap_or_default()
        };
        links(self) == links(other) && key(self) == key(other)
    }

    /// Time to detect, mitigate and resolve: from the timestamps, else as stated in the
    /// prose.
    /// Whether the body has the canonical section `name`: as a section (its heading, or
    /// a near miss of it), or as a sub-heading that stands for it ("Lessons Learned" >
    /// "What Went Well").
    pub fn has_section(&self, name: &str) -> bool {
        let named = |canonical: &Option<String>| canonical.as_deref() == Some(name);
        self.body.sections.iter().any(|s| named(&s.canonical))
            || self.body.headings.iter().any(|h| named(&h.canonical))
    }

    pub fn durations(&self) -> Durations {
        let t = Durations::of(&self.timestamps);
        Durations {
            to_detect: t.to_detect.or(self.stated.to_detect),
            to_mitigate: t.to_mitigate.or(self.stated.to_mitigate),
            to_resolve: t.to_resolve.or(self.stated.to_resolve),
        }
    }
}

/// The incident's key moments, from front matter (RFC 3339).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Timestamps {
    pub started: Option<DateTime<FixedOffset>>,
    pub detected: Option<DateTime<FixedOffset>>,
    pub mitigated: Option<DateTime<FixedOffset>>,
    pub resolved: Option<DateTime<FixedOffset>>,
}

impl Timestamps {
    /// The four moments in the incident's order, by their front-matter key.
    pub fn moments(&self) -> [(&'static str, Option<DateTime<FixedOffset>>); 4] {
        [
            ("started", self.started),
            ("detected", self.detected),
            ("mitigated", self.mitigated),
            ("resolved", self.resolved),
        ]
    }
}

/// A contributing factor named by a post-mortem.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FactorRef {
    pub id: String,
    pub note: Option<String>,
    /// Where the entry is written, for diagnostics: its id in the list.
    pub span: crate::diagnostics::Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    WontDo,
}

impl ActionStatus {
    pub fn parse(text: &str) -> Option<ActionStatus> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['_', ' '], "-")
            .as_str()
        {
            "open" | "todo" => Some(ActionStatus::Open),
            "in-progress" | "doing" => Some(ActionStatus::InProgress),
            "done" | "closed" | "complete" | "completed" => Some(ActionStatus::Done),
            "wont-do" | "won't-do" | "wontfix" => Some(ActionStatus::WontDo),
            _ => None,
        }
    }

    /// The status as a CSS class name (and in URLs): `in-progress`.
    pub fn class(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in-progress",
            ActionStatus::Done => "done",
            ActionStatus::WontDo => "won-t-do",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in progress",
            ActionStatus::Done => "done",
            ActionStatus::WontDo => "won't do",
        }
    }
}

/// A follow-up change to a process or system, declared in a post-mortem's front matter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActionItem {
    /// Unique across the book, e.g. `AI-2024-012`.
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    /// When it was done (optional), for follow-through times.
    pub closed: Option<NaiveDate>,
    pub status: ActionStatus,
    /// Factor ids this item addresses.
    pub addresses: Vec<String>,
    pub link: Option<String>,
    pub line: usize,
    /// Read from a bullet of the Action Items section (adopt profile), not declared:
    /// shown as "suggested" until `incidentbook import` writes it down.
    #[serde(default)]
    pub suggested: bool,
}

/// The Markdown body, rendered once and split into sections.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Body {
    /// HTML of whatever precedes the first section heading.
    pub preamble_html: String,
    /// Its plain text: an archive's opening paragraphs are often its summary.
    pub preamble_text: std::sync::Arc<str>,
    pub sections: Vec<Section>,
    /// Every heading, for the table of contents.
    pub headings: Vec<Heading>,
    pub timeline: Vec<TimelineEntry>,
    /// Relative links and images; their `href`s in the HTML are placeholders that
    /// rendering replaces with the target's URL (see `render::links`).
    pub references: Vec<Reference>,
    /// Number of words of prose, for reading time.
    pub words: usize,
    /// Where TODO / TBD markers stand in the prose (not in code).
    pub placeholders: Vec<crate::diagnostics::Span>,
    /// Where sample sentences of `incidentbook new`'s template were left in.
    pub template_text: Vec<crate::diagnostics::Span>,
    /// The prose, block by block, for the language checks: no code, no quotations.
    /// Empty once the lint has run at parse time (see `Incident::language`).
    pub prose: Vec<ProseBlock>,
    /// `<!-- incidentbook-disable… -->` comments.
    pub suppressions: Vec<Suppression>,
    /// The entries of the Contributing Factors and Action Items sections, read in the
    /// adopt profile only: an archive's prose becomes provisional structure from them.
    pub listed: Vec<Listed>,
}

/// Which section a [`Listed`] entry was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListedKind {
    Factor,
    Action,
}

/// One bullet (or, in a section without a list, one paragraph) of a Contributing
/// Factors or Action Items section, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    pub kind: ListedKind,
    /// A short name: the entry's bold lead-in ("**Unbounded retries**: …") or its
    /// first sentence, at most a line long.
    pub title: String,
    /// The whole entry as plain text on one line.
    pub text: String,
    pub line: usize,
    /// Written as done (`- [x]`, or under a heading such as "Completed"), as not done
    /// (`- [ ]`), or neither.
    pub done: Option<bool>,
}

impl Body {
    /// The plain text of the whole body, part by part: the preamble, then each
    /// section. What search indexes, so that no word of a document is left out of it
    /// whatever its headings.
    pub fn texts(&self) -> impl Iterator<Item = &std::sync::Arc<str>> {
        std::iter::once(&self.preamble_text).chain(self.sections.iter().map(|s| &s.text))
    }
}

/// A paragraph, list item, heading or table cell of prose, with a map back to the
/// source so findings can point at their line.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProseBlock {
    pub text: String,
    /// Where each piece of `text` starts in the source, in order. A piece (one
    /// Markdown text event) never spans lines, so offsets inside it map directly.
    pub map: Vec<ProsePos>,
    /// The canonical section the block is in, if any: shared by the section's blocks
    /// (a post-mortem has about 60 blocks in 6 sections).
    pub section: Option<std::sync::Arc<str>>,
}

/// Four `u32`s rather than `usize`s: a post-mortem has hundreds of these (one per
/// piece of text), and at that width they were half the memory of the book's prose.
/// An offset past 4 GiB is recorded as `u32::MAX` (see [`ProsePos::new`]).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct ProsePos {
    /// Offset in `ProseBlock::text`.
    pub text: u32,
    /// Byte offset in the source file, its line and column.
    pub source: u32,
    pub line: u32,
    pub column: u32,
}

impl ProsePos {
    /// A position; a number too large for its field (a file over 4 GiB) is clamped to
    /// `u32::MAX`, so a finding past that point is misplaced rather than a crash.
    pub fn new(text: usize, source: usize, line: usize, column: usize) -> ProsePos {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        ProsePos {
            text: narrow(text),
            source: narrow(source),
            line: narrow(line),
            column: narrow(column),
        }
    }
}

impl ProseBlock {
    /// The source span of bytes `start..end` of `text` (on the line where it starts).
    pub fn span(&self, start: usize, end: usize) -> crate::diagnostics::Span {
        let i = self
            .map
            .partition_point(|p| p.text as usize <= start)
            .saturating_sub(1);
        let Some(p) = self.map.get(i) else {
            return crate::diagnostics::Span::file_start();
        };
        let (at, source) = ((p.text as usize).min(self.text.len()), p.source as usize);
        let (line, column) = (p.line as usize, p.column as usize);
        let start = start.max(at).min(self.text.len());
        let end = end.max(start).min(self.text.len());
        let column = column + self.text[at..start].chars().count();
        let width = self.text[start..end].chars().count();
        crate::diagnostics::Span {
            line,
            column,
            end_line: line,
            end_column: column + width,
            start: source + (start - at),
            end: source + (end - at),
        }
    }
}

/// A comment silencing findings on purpose: `<!-- incidentbook-disable-next-line IB0301 -->`
/// (the next line that is not blank) or `<!-- incidentbook-disable IB0302 -->` (the file).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Suppression {
    /// The silenced line; `None` for the whole file.
    pub line: Option<usize>,
    /// The codes silenced; empty for all.
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    /// The heading as written.
    pub title: String,
    /// The canonical section this heading stands for ("Contributing Factors"), if any.
    pub canonical: Option<String>,
    pub anchor: String,
    pub level: u8,
    pub line: usize,
    /// Where the heading is, for diagnostics about the section.
    pub span: crate::diagnostics::Span,
    /// The heading is a near miss of `canonical` (a typo), not an exact name or alias.
    pub near_miss: bool,
    /// Nothing but the heading: no text, list, table, code or image.
    pub empty: bool,
    /// The HTML holds reference placeholders, which rendering resolves against the
    /// book (`render::links`); most sections have none, and are not searched for them.
    pub links: bool,
    pub html: String,
    /// Plain text of the section, for search. Shared rather than owned: the search
    /// index's writer takes each section's text as it is (see `search::IncidentDoc`)
    /// instead of a copy of the whole body, which for a large book would sit in its
    /// queue all at once.
    pub text: std::sync::Arc<str>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
    pub line: usize,
    pub span: crate::diagnostics::Span,
    /// The canonical section this heading names exactly or by alias, if any: a
    /// sub-heading ("Lessons Learned" > "What Went Well") can stand for a section.
    pub canonical: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// The time as written ("14:05", "2024-03-12 14:05 UTC"); `None` when the entry
    /// does not start with one.
    pub time: Option<String>,
    pub text: String,
    pub span: crate::diagnostics::Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReferenceKind {
    /// Another Markdown file of the book.
    Page,
    /// Any other file next to the Markdown (an image, a PDF), copied to the site.
    Asset,
    /// A wiki link, `[[id]]` or `[[id|text]]`, to a factor, an action item or a
    /// post-mortem (by slug). `Reference::written` holds the id; `target` is empty.
    Wiki {
        /// Written as `[[id]]`: the link text is the target's title, filled in at render.
        titled: bool,
    },
}

/// A relative link or wiki link found in the body, resolved against the book at render time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reference {
    pub kind: ReferenceKind,
    /// Target path relative to the content folder, normalised (`2023/x.md`).
    pub target: PathBuf,
    /// `#fragment`, kept as written.
    pub fragment: Option<String>,
    /// The destination as written, for messages.
    pub written: String,
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
}

/// A contributing factor from the catalogue (`content/factors/<id>.md`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Factor {
    pub id: String,
    pub source: PathBuf,
    pub title: String,
    pub category: Option<String>,
    /// Where `category` is written, for diagnostics.
    pub category_span: crate::diagnostics::Span,
    pub aliases: Vec<String>,
    pub description_html: String,
    /// Not in the catalogue: grouped from the archive's own Contributing Factors bullets
    /// (adopt profile, `crate::suggest`), shown as "suggested".
    #[serde(default)]
    pub suggested: bool,
    /// What the leak check found in the description.
    pub leaks: Vec<LeakFinding>,
}

/// Everything read from disk: the input of `check`, `link` and `render`.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Sorted newest first, then by slug, so every output is deterministic. Shared
    /// (`Arc`) so that `serve` keeps unchanged post-mortems between rebuilds.
    pub incidents: Vec<std::sync::Arc<Incident>>,
    pub factors: Vec<std::sync::Arc<Factor>>,
    /// Non-Markdown files under the content folder, relative to it, sorted.
    pub assets: Vec<PathBuf>,
    /// Files under the content folder that are not published (`source::media`).
    pub refused: Vec<PathBuf>,
    /// Problems found while reading and parsing.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read, for the summary line.
    pub files_read: usize,
    /// A hash of every source file read (post-mortems and factors) and its path: equal
    /// hashes mean equal inputs.
    pub inputs: u128,
    /// What the public edition left out, for telling a link to it from a broken one.
    pub withheld: Withheld,
}

/// The post-mortems the public edition leaves out: their files (relative to the
/// content folder), and their slugs and action items' ids (what a wiki link names).
#[derive(Debug, Clone, Default)]
pub struct Withheld {
    pub paths: std::collections::HashSet<PathBuf>,
    pub names: std::collections::HashSet<String>,
}

/// (De)serializes free-form JSON values as their JSON text, for formats that are not
/// self-describing (the build cache).
mod json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Map = serde_json::Map<String, serde_json::Value>;

    pub fn serialize<S: Serializer>(map: &Map, s: S) -> Result<S::Ok, S::Error> {
        serde_json::to_string(map)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Map, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// Makes every spelling of a service, team (owners of action items included) or tag
/// that [`crate::text::term_key`] holds the same into one: the spelling most
/// post-mortems use (the newest's on a tie), so that `Checkout` and `checkout` are one
/// term with one page, never two pages at one address. Only post-mortems that spell a
/// name otherwise are copied.
pub fn unify_terms(incidents: &mut [std::sync::Arc<Incident>]) {
    use std::collections::HashMap;
    type Names<'a> = fn(&Incident) -> Vec<&str>;
    let kinds: [Names; 3] = [
        |i| i.services.iter().map(String::as_str).collect(),
        |i| {
            i.teams
                .iter()
                .map(String::as_str)
                .chain(i.action_items.iter().filter_map(|a| a.owner.as_deref()))
                .collect()
        },
        |i| i.tags.iter().map(String::as_str).collect(),
    ];
    let mut canonical: [HashMap<String, String>; 3] = Default::default();
    for (kind, names) in kinds.iter().enumerate() {
        // key -> spelling -> (uses, first seen)
        let mut seen: HashMap<String, HashMap<&str, (usize, usize)>> = HashMap::new();
        let mut order = 0;
        for incident in incidents.iter() {
            for name in names(incident) {
                order += 1;
                let entry = seen
                    .entry(crate::text::term_key(name))
                    .or_default()
                    .entry(name)
                    .or_insert((0, order));
                entry.0 += 1;
            }
        }
        for (key, spellings) in seen {
            if spellings.len() > 1 {
                let best = spellings
                    .iter()
                    .max_by_key(|(_, (uses, first))| (*uses, std::cmp::Reverse(*first)))
                    .map(|(name, _)| name.to_string())
                    .expect("at least two spellings");
                canonical[kind].insert(key, best);
            }
        }
    }
    if canonical.iter().all(HashMap::is_empty) {
        return;
    }
    let fix = |map: &HashMap<String, String>, name: &mut String| {
        if let Some(best) = map.get(&crate::text::term_key(name))
            && best != name
        {
            *name = best.clone();
            return true;
        }
        false
    };
    for incident in incidents.iter_mut() {
        let differs = |i: &Incident| {
            let check = |map: &HashMap<String, String>, name: &str| {
                map.get(&crate::text::term_key(name))
                    .is_some_and(|best| best != name)
            };
            kinds
                .iter()
                .zip(&canonical)
                .any(|(names, map)| names(i).into_iter().any(|n| check(map, n)))
        };
        if !differs(incident) {
            continue;
        }
        let i = std::sync::Arc::make_mut(incident);
        i.services.iter_mut().for_each(|n| {
            fix(&canonical[0], n);
        });
        i.teams.iter_mut().for_each(|n| {
            fix(&canonical[1], n);
        });
        for a in &mut i.action_items {
            if let Some(owner) = &mut a.owner {
                fix(&canonical[1], owner);
            }
        }
        i.tags.iter_mut().for_each(|n| {
            fix(&canonical[2], n);
        });
        // A post-mortem that names one term twice now lists it once.
        let m = &mut i.meta;
        for list in [&mut m.services, &mut m.teams, &mut m.tags] {
            let mut seen = std::collections::HashSet::new();
            list.retain(|n| seen.insert(n.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_class_is_its_label_slugified() {
        for s in [
            ActionStatus::Open,
            ActionStatus::InProgress,
            ActionStatus::Done,
            ActionStatus::WontDo,
        ] {
            assert_eq!(s.class(), slug::slugify(s.label()));
        }
    }
}
