//! Parsing: one file's text in, one value and its diagnostics out. Pure and
//! independent per file, so the site runs it in parallel.

mod fields;
pub mod highlight;
pub use fields::{is_known as is_known_field, plausible as plausible_date};
mod infer;
mod listed;
pub mod markdown;
pub mod passages;
pub mod provisional;
pub mod sections;
pub mod stats;
pub mod timeline;

use chrono::Datelike;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::model::{Factor, Incident};
use crate::source::frontmatter;

pub use sections::SectionNames;

/// What the book is parsed for, which decides what a parse keeps besides the structure
/// that every check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The structure alone: `check`.
    Check,
    /// And each section's plain text and the word count: the search index.
    Search,
    /// And each section's HTML: the pages.
    Build,
}

impl Purpose {
    /// Whether sections keep their HTML.
    pub fn html(self) -> bool {
        self == Purpose::Build
    }

    /// Whether sections keep their plain text. `check` does without: at 10,000
    /// post-mortems it is 80 MB that no check reads, and 8% of the command's time.
    pub fn text(self) -> bool {
        self != Purpose::Check
    }
}

/// What parsing needs from the configuration.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    pub sections: SectionNames,
    /// Keep raw HTML unsanitized.
    pub trusted_html: bool,
    pub purpose: Purpose,
    /// Infer missing front matter from the document (the `adopt` profile).
    pub infer_missing: bool,
    /// Run the blameless-language lint while the prose is at hand, with these names of
    /// people (`[lint] people`), and drop the prose (see `Incident::language`). `None`
    /// keeps the prose, for a caller that lints later or not at all.
    pub lint: Option<Vec<String>>,
    /// Run the leak check over each file's text (`[leaks]`), keeping the findings.
    pub leaks: Option<std::sync::Arc<crate::leaks::Scanner>>,
    /// Parse for the public edition: internal passages are blank (`passages`).
    pub public: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            sections: SectionNames::default(),
            trusted_html: false,
            purpose: Purpose::Build,
            infer_missing: false,
            lint: None,
            leaks: None,
            public: false,
        }
    }
}

impl ParseOptions {
    pub fn from_config(config: &crate::config::Config, purpose: Purpose) -> ParseOptions {
        ParseOptions {
            sections: SectionNames::from_rules(&config.validation.sections),
            trusted_html: config.build.trusted_html,
            purpose,
            infer_missing: config.validation.profile == crate::config::Profile::Adopt,
            lint: config.lint.enabled.then(|| config.lint.people.clone()),
            leaks: config
                .leaks
                .enabled
                .then(|| std::sync::Arc::new(crate::leaks::Scanner::new(&config.leaks))),
            public: config.active == crate::config::Edition::Public,
        }
    }
}

/// Parses a post-mortem. `source` is the path shown in diagnostics (relative to the book
/// root), `content_path` the path relative to the content folder. Returns `None` only
/// when the file cannot be understood at all (its front matter is unreadable).
pub fn parse_incident(
    text: &str,
    source: &Path,
    content_path: &Path,
    options: &ParseOptions,
) -> (Option<Incident>, Vec<Diagnostic>) {
    if text.trim().is_empty() {
        return (None, vec![empty_file(source)]);
    }
    let mut diagnostics = Vec::new();
    let (split, map) = match front_matter(text, source) {
        Ok(found) => found,
        Err(d) => return (None, vec![d]),
    };
    let spans = frontmatter::KeySpans::new(text, &split);
    let declared: std::collections::BTreeMap<String, Span> =
        map.keys().map(|k| (k.clone(), spans.span(k))).collect();
    let fields = fields::FrontMatter::extract(map, &spans, source, &mut diagnostics);
    let (text, leaks, passages) = edition_text(text, split.body_start, options);
    let text = text.as_ref();
    let rendered = markdown::render(text, split.body_start, content_path, options);
    diagnostics.extend(too_deep(&rendered, text, source));

    let file_stem = content_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut meta = fields.meta;
    meta.slug = fields.slug.unwrap_or_else(|| slug::slugify(&file_stem));
    let mut inferred = Vec::new();
    let mut note = |field: &str, from: &str| inferred.push((field.to_owned(), from.to_owned()));
    if fields.title.is_none() && options.infer_missing {
        let from = if rendered.h1_title.is_some() {
            "its first heading"
        } else {
            "its file name"
        };
        note("title", from);
    }
    meta.title = fields
        .title
        .or(rendered.h1_title)
        .unwrap_or_else(|| file_stem.clone());
    if meta.date.is_none() && options.infer_missing {
        // In order: the file's name, the first dated timeline entry, the prose. A name
        // that gives only a month (`jan-2019-dns-outage`) yields to a written date of
        // that month ("On Monday 7 January 2019").
        let written = || {
            let timeline = rendered
                .body
                .timeline
                .iter()
                .filter_map(|e| e.time.as_deref())
                .filter_map(timeline::parse_written_time)
                .find_map(|t| t.date?.resolve(None));
            match timeline {
                Some(d) => Some((d, "the first dated timeline entry")),
                None => infer::date_in_prose(&rendered.body.prose).map(|d| (d, "the prose")),
            }
        };
        let found = match infer_date(&file_stem) {
            Some(named) if !name_gives_the_day(&file_stem) => Some(
                written()
                    .filter(|(w, _)| (w.year(), w.month()) == (named.year(), named.month()))
                    .map(|(w, from)| {
                        (
                            w,
                            if from == "the prose" {
                                "the file name's month and the prose"
                            } else {
                                "the file name's month and the timeline"
                            },
                        )
                    })
                    .unwrap_or((named, "the file name (the month only)")),
            ),
            Some(named) => Some((named, "the file name")),
            None => written(),
        }
        .filter(|(d, _)| fields::plausible(*d));
        if let Some((date, from)) = found {
            meta.date = Some(date);
            note("date", from);
        }
    }
    if meta.summary.is_none()
        && options.infer_missing
        && let Some((summary, from)) = infer::summary(&rendered.body)
    {
        meta.summary = Some(summary);
        note("summary", from);
    }
    if meta.severity.is_none() && options.infer_missing {
        // The names archives give the line, most specific first; a value of more than
        // three words is prose ("Impact: 30% of users saw errors"), not a level.
        const LABELS: [&str; 5] = [
            "severity",
            "incident severity",
            "impact level",
            "sev",
            "impact",
        ];
        if let Some((label, value)) = LABELS
            .iter()
            .find_map(|label| stats::stated_label(&rendered.body.prose, label).map(|v| (label, v)))
        {
            meta.severity = Some(value);
            let mut label = label.to_string();
            label[..1].make_ascii_uppercase();
            note("severity", &format!("a “{label}:” line"));
        }
    }
    if options.infer_missing {
        let listed = &rendered.body.listed;
        if meta.factors.is_empty() && !declared.contains_key("contributing_factors") {
            meta.factors = provisional::factors(&meta.slug, listed, text);
            if !meta.factors.is_empty() {
                note(
                    "contributing factors",
                    "the Contributing Factors section's entries",
                );
            }
        }
        if meta.action_items.is_empty() && !declared.contains_key("action_items") {
            meta.action_items = provisional::action_items(&meta.slug, listed);
            if !meta.action_items.is_empty() {
                note("action items", "the Action Items section's entries");
            }
        }
    }
    let mut incident = Incident {
        source: source.to_path_buf(),
        content_path: content_path.to_path_buf(),
        meta,
        declared,
        stated: stats::stated_durations(&rendered.body.prose),
        extra: fields.extra,
        body: rendered.body,
        language: None,
        inferred,
        leaks,
        passages,
    };
    if let Some(people) = &options.lint {
        incident.language = Some(crate::language::findings(&incident, people));
        incident.body.prose = Vec::new();
    }
    (Some(incident), diagnostics)
}

/// Parses a factor description from the catalogue (`factors/<id>.md`).
pub fn parse_factor(
    text: &str,
    source: &Path,
    content_path: &Path,
    options: &ParseOptions,
) -> (Option<Factor>, Vec<Diagnostic>) {
    if text.trim().is_empty() {
        return (None, vec![empty_file(source)]);
    }
    let mut diagnostics = Vec::new();
    let (split, map) = match front_matter(text, source) {
        Ok(found) => found,
        Err(d) => return (None, vec![d]),
    };
    let spans = frontmatter::KeySpans::new(text, &split);
    let fields = fields::FactorFields::extract(map, &spans, source, &mut diagnostics);
    let (text, leaks, _) = edition_text(text, split.body_start, options);
    let text = text.as_ref();
    let rendered = markdown::render(text, split.body_start, content_path, options);
    diagnostics.extend(too_deep(&rendered, text, source));
    let id = content_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut description_html = rendered.body.preamble_html;
    for s in &rendered.body.sections {
        description_html.push_str(&s.html);
    }
    let factor = Factor {
        title: fields
            .title
            .or(rendered.h1_title)
            .unwrap_or_else(|| id.clone()),
        id,
        source: source.to_path_buf(),
        category: fields.category,
        category_span: spans.span("category"),
        aliases: fields.aliases,
        description_html,
        suggested: false,
        leaks,
    };
    (Some(factor), diagnostics)
}

/// The text as the edition reads it (the public one without the internal passages
/// of the body, which starts at `body_start`), and what the leak check finds in it.
fn edition_text<'t>(
    text: &'t str,
    body_start: usize,
    options: &ParseOptions,
) -> (
    std::borrow::Cow<'t, str>,
    Vec<crate::model::LeakFinding>,
    Vec<std::ops::Range<usize>>,
) {
    let internal = passages::find(text, body_start);
    let text = if options.public && !internal.is_empty() {
        std::borrow::Cow::Owned(passages::blank(text, &internal))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let leaks = options
        .leaks
        .as_ref()
        .map(|scanner| scanner.scan(&text, &internal))
        .unwrap_or_default();
    (text, leaks, internal)
}

/// The warning for a section whose raw HTML nests too deep to sanitize.
fn too_deep(rendered: &markdown::Rendered, text: &str, source: &Path) -> Option<Diagnostic> {
    let at = rendered.too_deep.clone()?;
    Some(
        Diagnostic::new(
            Code::DeepHtml,
            source,
            Span::of(text, at),
            format!(
                "elements nest more than {} deep here: this section's raw HTML is shown as text",
                markdown::MAX_HTML_DEPTH
            ),
        )
        .with_help("close the HTML tags you open, or nest fewer block quotes and lists"),
    )
}

/// The front matter's position and values, or the diagnostic that makes the file
/// unreadable as a whole.
fn front_matter(
    text: &str,
    source: &Path,
) -> Result<
    (
        frontmatter::Split,
        serde_json::Map<String, serde_json::Value>,
    ),
    Diagnostic,
> {
    let split = frontmatter::split(text, source)?;
    let map = frontmatter::parse(text, &split, source)?;
    Ok((split, map))
}

fn empty_file(source: &Path) -> Diagnostic {
    Diagnostic::new(
        crate::diagnostics::Code::EmptyFile,
        source,
        crate::diagnostics::Span::file_start(),
        "the file is empty and is not published",
    )
    .with_help("write the post-mortem, or delete the file")
}

/// Whether a file name starts with a whole date (`2024-03-12-…`), not a month alone.
fn name_gives_the_day(stem: &str) -> bool {
    stem.get(..10)
        .is_some_and(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").is_ok())
}

/// A date in a file name: `2024-03-12-orders-lock`, or `jan-2019-dns-outage` (the
/// first of the month).
pub fn infer_date(stem: &str) -> Option<chrono::NaiveDate> {
    if let Some(d) = stem
        .get(..10)
        .and_then(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
    {
        return Some(d);
    }
    let parts: Vec<String> = stem
        .split(['-', '_', ' '])
        .map(str::to_ascii_lowercase)
        .collect();
    parts.windows(2).find_map(|w| {
        let month = crate::text::month(&w[0])?;
        let year: i32 = w[1].parse().ok().filter(|y| (1990..=2100).contains(y))?;
        chrono::NaiveDate::from_ymd_opt(year, month, 1)
    })
}

#[cfg(test)]
mod tests {
    use super::infer_date;

    #[test]
    fn dates_come_from_file_names() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(infer_date("2025-09-29-flags-is-down"), d(2025, 9, 29));
        assert_eq!(infer_date("jan-2019-dns-outage"), d(2019, 1, 1));
        assert_eq!(infer_date("june_2019_kubelet"), d(2019, 6, 1));
        assert_eq!(infer_date("001-buildkite-failing-build"), None);
    }
}
