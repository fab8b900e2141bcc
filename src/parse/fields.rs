//! Typed front-matter fields, extracted one by one so that a wrong value in one field
//! is reported at its line and every other field is still read.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::{Map, Value};

use crate::diagnostics::{Code, Diagnostic};
use crate::model::{ActionItem, ActionStatus, FactorRef, Meta, ReadFields, Zone};
use crate::source::frontmatter::KeySpans;

/// Whether `key` is a field of the schema (`model::Meta`); anything else lands in
/// `extra`.
pub fn is_known(key: &str) -> bool {
    Meta::keys().iter().any(|k| k == key)
}

/// Reads fields out of the front-matter map, reporting type errors as diagnostics.
struct Reader<'a> {
    map: Map<String, Value>,
    spans: &'a KeySpans<'a>,
    file: &'a Path,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn invalid(&mut self, key: &str, message: String, help: &str) {
        let span = self.spans.span(key);
        self.diagnostics
            .push(Diagnostic::new(Code::InvalidField, self.file, span, message).with_help(help));
    }

    fn line_of(&self, key: &str) -> usize {
        self.spans.span(key).line
    }

    /// `key: ~`, `key: null`, `key:` with nothing after it (or a number no one can
    /// read, such as `.nan`): written, but with no value. For the fields every
    /// post-mortem is checked for, that is reported rather than taken as absent, which
    /// `check` would not notice since the key is there.
    fn no_value(&mut self, key: &str) {
        if NEEDS_A_VALUE.contains(&key) {
            self.invalid(
                key,
                format!("`{key}` is written but has no value"),
                &format!("write a value after `{key}:`, or remove the line"),
            );
        }
    }
}

impl ReadFields for Reader<'_> {
    fn string(&mut self, key: &str) -> Option<String> {
        match self.map.remove(key)? {
            Value::Null => {
                self.no_value(key);
                None
            }
            Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                self.invalid(
                    key,
                    format!("`{key}` should be text, found {}", kind(&other)),
                    &format!("write `{key}: some text`"),
                );
                None
            }
        }
    }

    fn list(&mut self, key: &str) -> Vec<String> {
        match self.map.remove(key) {
            None => Vec::new(),
            Some(Value::Null) => {
                self.no_value(key);
                Vec::new()
            }
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match scalar_text(&item) {
                        Some(s) if !s.is_empty() => out.push(s),
                        Some(_) => {}
                        None => self.invalid(
                            key,
                            format!(
                                "every item of `{key}` should be text, found {}",
                                kind(&item)
                            ),
                            &format!("write `{key}: [first, second]`"),
                        ),
                    }
                }
                out
            }
            Some(other) => {
                let shown = scalar_text(&other).unwrap_or_default();
                self.invalid(
                    key,
                    format!("`{key}` should be a list, found {}", kind(&other)),
                    &format!("write `{key}: [{shown}]`"),
                );
                Vec::new()
            }
        }
    }

    fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let text = self.string(key)?;
        match parse_date(&text) {
            Some((d, _)) if !plausible(d) => {
                self.implausible(key, &text);
                None
            }
            Some((d, Written::Iso)) => Some(d),
            Some((d, Written::Loose)) => {
                self.loose_date(
                    key,
                    format!("`{key}` is not written YYYY-MM-DD: `{text}`"),
                    key,
                    d,
                );
                Some(d)
            }
            None => {
                self.invalid(
                    key,
                    format!("`{key}` is not a date: `{text}`"),
                    &format!("write the date as YYYY-MM-DD, e.g. `{key}: 2024-03-12`"),
                );
                None
            }
        }
    }

    fn timestamp(&mut self, key: &str) -> Option<DateTime<FixedOffset>> {
        let text = self.string(key)?;
        match DateTime::parse_from_rfc3339(&text) {
            Ok(t) if !plausible(t.date_naive()) => {
                self.implausible(key, &text);
                None
            }
            Ok(t) => Some(t),
            Err(_) => {
                self.invalid(
                    key,
                    format!("`{key}` is not an RFC 3339 timestamp: `{text}`"),
                    &format!("write a date, a time and a zone, e.g. `{key}: 2024-03-12T14:05:00Z`"),
                );
                None
            }
        }
    }

    fn zone(&mut self, key: &str) -> Option<Zone> {
        let z = self.string(key)?;
        let zone = Zone::parse(&z);
        if zone.is_none() {
            self.invalid(
                key,
                format!("`{key}` is not a time zone: `{z}`"),
                "write `UTC`, an offset such as `+02:00`, or a zone name such as `Europe/Berlin`",
            );
        }
        zone
    }

    fn factors(&mut self, key: &str) -> Vec<FactorRef> {
        factors(self, key)
    }

    fn action_items(&mut self, key: &str) -> Vec<ActionItem> {
        action_items(self, key)
    }
}

impl Reader<'_> {
    /// The raw items of a list field; anything but a list is reported with `help`.
    fn items(&mut self, key: &str, help: &str) -> Vec<Value> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.invalid(
                    key,
                    format!("`{key}` should be a list, found {}", kind(&other)),
                    help,
                );
                Vec::new()
            }
        }
    }

    /// A date read, but not written `YYYY-MM-DD` (`2026-12-4`): said at `key`'s line,
    /// with the date as it should be written under `field`.
    fn loose_date(&mut self, key: &str, message: String, field: &str, date: NaiveDate) {
        let span = self.spans.span(key);
        self.diagnostics.push(
            Diagnostic::new(Code::LooseDate, self.file, span, message).with_help(format!(
                "write `{field}: {date}` (read as {} for now)",
                date.format("%-d %B %Y")
            )),
        );
    }

    /// An action item's date (`field`, `due` or `closed`, written `text`), reported
    /// under the list's `key` when it is loose or not a date.
    fn item_date(&mut self, key: &str, id: &str, field: &str, text: &str) -> Option<NaiveDate> {
        let parsed = parse_date(text).filter(|(d, _)| plausible(*d));
        match parsed {
            Some((date, Written::Loose)) => self.loose_date(
                key,
                format!("action item {id} has a {field} date not written YYYY-MM-DD: `{text}`"),
                field,
                date,
            ),
            Some(_) => {}
            None => self.invalid(
                key,
                format!("action item {id} has a {field} date that is not a YYYY-MM-DD date between 1970 and 2199: `{text}`"),
                &format!("write `{field}: 2024-04-30`"),
            ),
        }
        parsed.map(|(d, _)| d)
    }

    fn implausible(&mut self, key: &str, text: &str) {
        self.invalid(
            key,
            format!(
                "`{key}` is outside the years {}-{} that post-mortems are dated in: `{text}`",
                EARLIEST.0, LATEST.0
            ),
            "check the year; a date far in the past or future would stretch every chart of the site",
        );
    }
}

/// The fields a post-mortem is checked for by default: written with no value, they
/// are reported (see `Reader::no_value`).
const NEEDS_A_VALUE: &[&str] = &["title", "date", "severity", "status", "services"];

/// The years a date of an incident may fall in: the charts of insights run month by
/// month from the first post-mortem to the last, so `9999-12-31` would draw (and
/// `0001-01-01` would count durations over) thousands of years.
const EARLIEST: (i32, u32, u32) = (1970, 1, 1);
const LATEST: (i32, u32, u32) = (2199, 12, 31);

/// Whether `date` is within [`EARLIEST`] and [`LATEST`].
pub fn plausible(date: NaiveDate) -> bool {
    let at = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");
    (at(EARLIEST)..=at(LATEST)).contains(&date)
}

/// How a date that was read is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// `2026-12-04`, or an RFC 3339 timestamp.
    Iso,
    /// A form chrono reads but ISO 8601 does not write: `2026-12-4`, `+2026-12-04`.
    Loose,
}

fn parse_date(text: &str) -> Option<(NaiveDate, Written)> {
    if let Some(d) = crate::model::iso_date(text) {
        return Some((d, Written::Iso));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some((t.date_naive(), Written::Iso));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|d| (d, Written::Loose))
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a set of fields",
    }
}

/// The post-mortem schema's fields, typed.
#[derive(Debug, Default)]
pub struct FrontMatter {
    /// The schema's fields as written; `title` and `slug` are left empty for the
    /// parse to resolve (below).
    pub meta: Meta,
    pub title: Option<String>,
    pub slug: Option<String>,
    /// Keys outside the schema.
    pub extra: Map<String, Value>,
}

impl FrontMatter {
    pub fn extract(
        map: Map<String, Value>,
        spans: &KeySpans,
        file: &Path,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> FrontMatter {
        let mut r = Reader {
            map,
            spans,
            file,
            diagnostics,
        };
        let mut meta = Meta::read(&mut r);
        // The parse resolves these two (the title from a `# Title` or the file name).
        let title = Some(std::mem::take(&mut meta.title)).filter(|t| !t.is_empty());
        let slug = Some(std::mem::take(&mut meta.slug))
            .filter(|s| !s.is_empty())
            .map(|s| slug::slugify(&s));
        r.map.retain(|k, _| !is_known(k));
        FrontMatter {
            meta,
            title,
            slug,
            extra: r.map,
        }
    }
}

fn factors(r: &mut Reader, key: &str) -> Vec<FactorRef> {
    let span = |r: &Reader, id: &str| {
        r.spans
            .find_in(key, id)
            .unwrap_or_else(|| r.spans.span(key))
    };
    let items = r.items(
        key,
        "write one factor id per line: `  - untested-migrations`",
    );
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::Object(mut m) => match m.remove("id").as_ref().and_then(scalar_text) {
                Some(id) => out.push(FactorRef {
                    span: span(r, &id),
                    id,
                    note: m.remove("note").as_ref().and_then(scalar_text),
                }),
                None => r.invalid(
                    key,
                    "a contributing factor is missing its `id`".to_owned(),
                    "write `- id: untested-migrations` with an optional `note:` below it",
                ),
            },
            other => match scalar_text(&other) {
                Some(id) if !id.is_empty() => out.push(FactorRef {
                    span: span(r, &id),
                    id,
                    note: None,
                }),
                _ => r.invalid(
                    key,
                    format!(
                        "a contributing factor should be an id, found {}",
                        kind(&other)
                    ),
                    "write `- untested-migrations`",
                ),
            },
        }
    }
    out
}

fn action_items(r: &mut Reader, key: &str) -> Vec<ActionItem> {
    let line = r.line_of(key);
    let items = r.items(
        key,
        "write each action item as `- id: AI-2024-012` with its fields indented below",
    );
    let mut out = Vec::new();
    for item in items {
        let Value::Object(mut m) = item else {
            r.invalid(
                key,
                format!("an action item should be a set of fields, found {}", kind(&item)),
                "write `- id: AI-2024-012` then `title:`, `owner:`, `due:`, `status:` and `addresses:` indented below",
            );
            continue;
        };
        let text = |m: &mut Map<String, Value>, k: &str| {
            m.remove(k)
                .as_ref()
                .and_then(scalar_text)
                .filter(|s| !s.is_empty())
        };
        let Some(id) = text(&mut m, "id") else {
            r.invalid(
                key,
                "an action item is missing its `id`".to_owned(),
                "give every action item an id unique across the book, e.g. `id: AI-2024-012`",
            );
            continue;
        };
        let status_text = text(&mut m, "status");
        let status = match status_text.as_deref().map(ActionStatus::parse) {
            None => ActionStatus::Open,
            Some(Some(s)) => s,
            Some(None) => {
                r.invalid(
                    key,
                    format!(
                        "action item {id} has an unknown status `{}`",
                        status_text.unwrap_or_default()
                    ),
                    "use one of open, in-progress, done, wont-do",
                );
                ActionStatus::Open
            }
        };
        let due = text(&mut m, "due").and_then(|d| r.item_date(key, &id, "due", &d));
        let closed = text(&mut m, "closed").and_then(|d| r.item_date(key, &id, "closed", &d));
        let addresses = match m.remove("addresses") {
            Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
            Some(v) => scalar_text(&v).into_iter().collect(),
            None => Vec::new(),
        };
        let link = text(&mut m, "link").and_then(|l| {
            let safe = super::markdown::safe_url(&l);
            if safe.is_none() {
                r.invalid(
                    key,
                    format!(
                        "action item {id} has a link with a scheme that is not allowed: `{}`",
                        l.escape_debug()
                    ),
                    "use an http(s) or mailto link, such as `https://tracker.example.com/PLAT-123`",
                );
            }
            safe
        });
        out.push(ActionItem {
            title: text(&mut m, "title").unwrap_or_else(|| id.clone()),
            owner: text(&mut m, "owner"),
            link,
            id,
            due,
            closed,
            status,
            addresses,
            line,
            suggested: false,
        });
    }
    out
}

/// The factor catalogue's fields.
#[derive(Debug, Default)]
pub struct FactorFields {
    pub title: Option<String>,
    pub category: Option<String>,
    pub aliases: Vec<String>,
}

impl FactorFields {
    pub fn extract(
        map: Map<String, Value>,
        spans: &KeySpans,
        file: &Path,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> FactorFields {
        let mut r = Reader {
            map,
            spans,
            file,
            diagnostics,
        };
        FactorFields {
            title: r.string("title"),
            category: r.string("category"),
            aliases: r.list("aliases"),
        }
    }
}
