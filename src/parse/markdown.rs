//! Markdown body -> sections of HTML, headings, timeline entries and references, from
//! one pulldown-cmark pass over the text.
//!
//! Relative links are not resolved here (a parser sees one file, not the book): their
//! destinations become placeholders `ib-ref:N` pointing into `Body::references`, which
//! rendering replaces with the target's URL. Raw HTML is sanitized with ammonia; a body
//! without raw HTML only needs its link schemes checked, which is done on the events,
//! so the costly HTML re-parse is paid only by the documents that need it.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::ParseOptions;
use super::sections::{ACTION_ITEMS, CONTRIBUTING_FACTORS, TIMELINE};
use super::timeline::split_time;
use crate::diagnostics::{LineIndex, Span};
use crate::model::{
    Body, Heading, ListedKind, ProseBlock, ProsePos, Reference, ReferenceKind, Section,
    Suppression, TimelineEntry,
};
use crate::text;

/// The prefix of a placeholder URL standing for `Body::references[N]`.
pub const REF_SCHEME: &str = "ib-ref:";
/// The prefix of placeholder link text standing for the title of the target of
/// `Body::references[N]` (a wiki link written without text, `[[id]]`).
pub const TITLE_PLACEHOLDER: &str = "ib-title:";
/// Placeholders around the Timeline section's list items, filled in at render time
/// (`render::timeline`) once the entries' times can be placed: `<!--ib-tl:N-->` stands
/// before entry N (gaps, key moments), `<!--ib-tlm:N-->` opens it (badges), and
/// `<!--ib-tle:N-->` closes a timeline list after N entries (moments after the last).
pub const TIMELINE_BEFORE: &str = "<!--ib-tl:";
pub const TIMELINE_BADGE: &str = "<!--ib-tlm:";
pub const TIMELINE_END: &str = "<!--ib-tle:";
pub const PLACEHOLDER_CLOSE: &str = "-->";

pub struct Rendered {
    pub body: Body,
    /// The text of a leading `# Title` heading, which is removed from the body.
    pub h1_title: Option<String>,
    /// Where a section's elements first nest deeper than `MAX_HTML_DEPTH`, when its raw
    /// HTML had to be shown as text for it (see `nests_too_deep`).
    pub too_deep: Option<Range<usize>>,
}

/// How deep a section's elements may nest for its raw HTML to be sanitized. html5ever,
/// which ammonia parses with, scans its stack of open elements on every tag and caps
/// nothing, so 60 KB nested 30,000 deep took seconds and a 4 MiB file would take
/// hours. Browsers stop nesting at 512; no post-mortem comes near this.
pub const MAX_HTML_DEPTH: usize = 256;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_WIKILINKS
}

thread_local! {
    /// Each parsing thread's buffer of events, kept (empty) from one file to the next: a
    /// post-mortem has a thousand events or more, and collecting them afresh grew a new
    /// buffer by doubling, a dozen copies, for every file.
    static EVENTS: std::cell::Cell<Vec<(Event<'static>, Range<usize>)>> =
        const { std::cell::Cell::new(Vec::new()) };
    /// Each parsing thread's buffer for a section's HTML, kept from one section to the
    /// next: the HTML is written there, then copied out at its exact size.
    static HTML: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// The HTML buffer is kept for the next section only up to this size.
const HTML_KEPT: usize = 1 << 20;

/// A buffer of events is kept for the next file only up to this many (a few MB):
/// one huge file should not hold its memory for the rest of the build.
const EVENTS_KEPT: usize = 1 << 16;

/// `v` emptied, with its allocation, for events borrowing another text. Nothing is
/// left to convert, so the collect only keeps the allocation (in place: the element
/// types are the same but for the lifetime).
fn recycled<'b>(mut v: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'b>, Range<usize>)> {
    v.clear();
    v.into_iter().map(|_| unreachable!("emptied")).collect()
}

/// Renders the body of `text`, which starts at byte `body_start`.
pub fn render(
    text: &str,
    body_start: usize,
    content_path: &Path,
    options_: &ParseOptions,
) -> Rendered {
    let body_text = &text[body_start..];
    let lines = LineIndex::new(text);
    let mut events = recycled(EVENTS.take());
    events.extend(
        Parser::new_ext(body_text, options())
            .into_offset_iter()
            .map(|(e, r)| (e, r.start + body_start..r.end + body_start)),
    );

    let h1_title = take_leading_h1(&mut events);
    let mut headings = assign_anchors(&mut events, text, &lines, options_.trusted_html);
    for h in &mut headings {
        h.canonical = options_.sections.resolve(&h.text).map(str::to_owned);
    }
    let references = rewrite_links(&mut events, text, &lines, content_path);
    angle_brackets_as_text(&mut events);
    let has_raw_html = events
        .iter()
        .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let sanitize = has_raw_html && !options_.trusted_html;

    // Sections start at the highest heading level used in the body.
    let section_level = headings.iter().map(|h| h.level).min();
    let mut too_deep = None;
    let mut body = Body {
        references,
        placeholders: placeholders(&events, text, &lines),
        template_text: template_text(&events, text, &lines),
        suppressions: suppressions(&events, text, &lines),
        ..Body::default()
    };
    // The block being read, one for the whole body: it keeps its buffers from section
    // to section (see `prose_blocks`).
    let mut scratch = ProseBlock::default();
    // Split the events into chunks: the preamble, then one per section heading.
    let mut bounds: Vec<(usize, Option<&Heading>)> = vec![(0, None)];
    let mut heading_iter = headings.iter();
    for (i, (event, _)) in events.iter().enumerate() {
        if let Event::Start(Tag::Heading { level, .. }) = event {
            let heading = heading_iter.next().expect("one heading per heading event");
            if Some(level_number(*level)) == section_level {
                bounds.push((i, Some(heading)));
            }
        }
    }
    for (n, (start, heading)) in bounds.iter().enumerate() {
        let end = bounds.get(n + 1).map_or(events.len(), |b| b.0);
        let slice = &events[*start..end];
        let (canonical, near_miss) = match heading {
            None => (None, false),
            Some(heading) => match &heading.canonical {
                Some(name) => (Some(name.clone()), false),
                None => match options_.sections.nearest(&heading.text) {
                    Some(name) => (Some(name.to_owned()), true),
                    None => (None, false),
                },
            },
        };
        if options_.infer_missing {
            let kind = match canonical.as_deref() {
                Some(CONTRIBUTING_FACTORS) => Some(ListedKind::Factor),
                Some(ACTION_ITEMS) => Some(ListedKind::Action),
                _ => None,
            };
            if let Some(kind) = kind {
                body.listed
                    .extend(super::listed::entries(slice, kind, &lines));
            }
        }
        let (entries, marks) = if canonical.as_deref() == Some(TIMELINE) {
            timeline_entries(slice, text, &lines)
        } else {
            Default::default()
        };
        let html = if options_.purpose.html() {
            // Raw HTML nested too deep to sanitize in reasonable time is shown as text,
            // which needs no sanitizing.
            let deep = sanitize.then(|| nests_too_deep(slice)).flatten();
            if too_deep.is_none() {
                too_deep.clone_from(&deep);
            }
            let sanitize = sanitize && deep.is_none();
            // Sanitizing would drop the timeline's classes and placeholders: a body
            // with raw HTML keeps its plain list.
            let drawn = (!marks.is_empty() && !sanitize)
                .then(|| mark_timeline(slice, &marks, body.timeline.len()));
            // Written into the thread's buffer, then kept (until the page is rendered)
            // at its exact size. Sized from the Markdown instead, a section's HTML
            // outgrew its buffer one time in eight (a timeline's by half again), was
            // copied into one twice as large and kept there, slack and all.
            let mut scratch = HTML.take();
            scratch.clear();
            pulldown_cmark::html::push_html(
                &mut scratch,
                super::highlight::highlighted(
                    with_title_placeholders(drawn.as_deref().unwrap_or(slice)).map(|e| match e {
                        Event::Html(h) | Event::InlineHtml(h) if deep.is_some() => Event::Text(h),
                        e => e,
                    }),
                ),
            );
            let html = if sanitize {
                SANITIZER.clean(&scratch).to_string()
            } else {
                scratch.as_str().to_owned()
            };
            if scratch.capacity() <= HTML_KEPT {
                HTML.set(scratch);
            }
            html
        } else {
            String::new()
        };
        if body.timeline.is_empty() {
            // The first (usually only) timeline: kept as made, not copied.
            body.timeline = entries;
        } else {
            body.timeline.extend(entries);
        }
        let plain = if options_.purpose.text() {
            plain_text(slice)
        } else {
            String::new()
        };
        body.words += word_count(&plain);
        let Some(heading) = heading else {
            body.preamble_html = html;
            body.preamble_text = plain.into();
            body.prose
                .extend(prose_blocks(slice, None, text, &lines, &mut scratch));
            continue;
        };
        body.prose.extend(prose_blocks(
            slice,
            canonical.as_deref(),
            text,
            &lines,
            &mut scratch,
        ));
        let heading_end = slice
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
            .map_or(slice.len(), |p| p + 1);
        body.sections.push(Section {
            title: heading.text.clone(),
            canonical,
            anchor: heading.anchor.clone(),
            level: heading.level,
            line: heading.line,
            span: heading.span.clone(),
            near_miss,
            empty: !has_content(&slice[heading_end..]),
            links: has_reference(slice),
            html,
            text: plain.into(),
        });
    }
    body.headings = headings;
    if events.capacity() <= EVENTS_KEPT {
        EVENTS.set(recycled(events));
    }
    Rendered {
        body,
        h1_title,
        too_deep,
    }
}

/// Where the elements of `events` (Markdown's, and the tags of their raw HTML) first
/// nest deeper than `MAX_HTML_DEPTH`, if they do. The count errs high: an end tag
/// closes an element only when it closes the innermost one (or one holding only open
/// `li`, `td`... that it closes with it), and a self-closing `<x/>`
/// counts as open (it is, outside SVG); a `p`, `li`, `td`... opened right after one of
/// its kind closes that one, as HTML's parser does, so sloppy but flat HTML stays flat.
fn nests_too_deep(events: &[(Event, Range<usize>)]) -> Option<Range<usize>> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    const SIBLING_CLOSED: &[&str] = &["p", "li", "dt", "dd", "tr", "td", "th", "option"];
    let mut markdown = 0usize;
    let mut open: Vec<String> = Vec::new();
    for (e, range) in events {
        match e {
            Event::Start(_) => markdown += 1,
            Event::End(_) => markdown = markdown.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                let mut rest: &str = html;
                while let Some(at) = rest.find('<') {
                    rest = &rest[at + 1..];
                    if let Some(comment) = rest.strip_prefix("!--") {
                        rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
                        continue;
                    }
                    let (closing, tag) = match rest.strip_prefix('/') {
                        Some(tag) => (true, tag),
                        None => (false, rest),
                    };
                    let len = tag
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                        .unwrap_or(tag.len());
                    if len == 0 || !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        continue;
                    }
                    let name = tag[..len].to_ascii_lowercase();
                    if closing {
                        // `</tr>` closes the cell left open in it: the end tag
                        // closes the innermost element of its name when only
                        // elements its siblings would close (never formatting
                        // ones, which HTML reopens) are open inside it.
                        let inner = open
                            .iter()
                            .rev()
                            .take_while(|n| **n != name && SIBLING_CLOSED.contains(&n.as_str()))
                            .count();
                        if open.len() > inner && open[open.len() - inner - 1] == name {
                            open.truncate(open.len() - inner - 1);
                        }
                    } else {
                        let void = VOID.contains(&name.as_str());
                        let next_sibling =
                            SIBLING_CLOSED.contains(&name.as_str()) && open.last() == Some(&name);
                        if !void && !next_sibling {
                            open.push(name);
                        }
                    }
                }
            }
            _ => {}
        }
        if markdown + open.len() > MAX_HTML_DEPTH {
            return Some(range.clone());
        }
    }
    None
}

/// Turns a placeholder written in angle brackets, which Markdown reads as an HTML tag
/// (`<Link to the Hangout or recording>`, `<Your name goes here>`), back into the text
/// it is: as a tag, sanitizing would drop it and its words would vanish from the page
/// and the search index. A tag is taken for words when two or more of its "attributes"
/// are bare words, which no element written by hand has.
fn angle_brackets_as_text(events: &mut [(Event<'_>, Range<usize>)]) {
    for (e, _) in events.iter_mut() {
        let (Event::InlineHtml(html) | Event::Html(html)) = &*e else {
            continue;
        };
        let tag = html.trim();
        let Some(inner) = tag.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
            continue;
        };
        if !inner.starts_with(|c: char| c.is_ascii_alphabetic()) || inner.contains(['<', '>']) {
            continue;
        }
        let mut words = inner.split_whitespace();
        words.next();
        let bare = words.filter(|w| !w.contains(['=', '"', '\'', '/'])).count();
        if bare >= 2 {
            *e = Event::Text(html.clone());
        }
    }
}

/// Whether `events` hold a link or image to another file or a wiki link: their HTML
/// then holds placeholders to resolve (`REF_SCHEME`, and `TITLE_PLACEHOLDER` in a
/// wiki link's text).
fn has_reference(events: &[(Event, Range<usize>)]) -> bool {
    events.iter().any(|(e, _)| match e {
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            dest_url.starts_with(REF_SCHEME)
        }
        _ => false,
    })
}

/// The events for HTML, with the text of each `[[id]]` wiki link replaced by a
/// placeholder for its target's title (the text as parsed is the bare id).
fn with_title_placeholders<'a>(
    slice: &'a [(Event<'a>, Range<usize>)],
) -> impl Iterator<Item = Event<'a>> + 'a {
    let mut in_titled_wiki: Option<String> = None;
    slice.iter().map(move |(e, _)| match e {
        Event::Start(Tag::Link {
            link_type: LinkType::WikiLink { has_pothole: false },
            dest_url,
            ..
        }) => {
            in_titled_wiki = dest_url.strip_prefix(REF_SCHEME).map(str::to_owned);
            e.clone()
        }
        Event::Text(_) if in_titled_wiki.is_some() => {
            let n = in_titled_wiki.take().unwrap_or_default();
            Event::Text(CowStr::from(format!("{TITLE_PLACEHOLDER}{n}")))
        }
        Event::End(TagEnd::Link) => {
            in_titled_wiki = None;
            e.clone()
        }
        _ => e.clone(),
    })
}

/// Whether events hold anything a reader sees: text, code, an image, a rule.
fn has_content(events: &[(Event, Range<usize>)]) -> bool {
    events.iter().any(|(e, _)| match e {
        Event::Text(t) | Event::Code(t) => !t.trim().is_empty(),
        Event::Start(Tag::Image { .. }) | Event::Rule | Event::TaskListMarker(_) => true,
        _ => false,
    })
}

/// The prose of `events`, block by block: text and link text, with inline code standing
/// as `code`; code blocks, block quotes, raw HTML and bare URLs left out.
fn prose_blocks(
    events: &[(Event, Range<usize>)],
    section: Option<&str>,
    source: &str,
    lines: &LineIndex,
    current: &mut ProseBlock,
) -> Vec<ProseBlock> {
    let mut out = Vec::new();
    current.text.clear();
    current.map.clear();
    current.section = section.map(std::sync::Arc::from);
    let mut cursor = lines.cursor(source);
    let mut pos = |text: usize, at: usize| {
        let (line, column) = cursor.line_col(at);
        ProsePos::new(text, at, line, column)
    };
    let mut skip_depth = 0usize; // inside code blocks and block quotes
    let mut autolink = false;
    // `current` is a scratch block that keeps its buffers (across the sections of a
    // body too): each block kept is copied out at its exact size, one allocation per
    // buffer instead of one per doubling.
    let flush = |current: &mut ProseBlock, out: &mut Vec<ProseBlock>| {
        if !current.text.trim().is_empty() {
            out.push(ProseBlock {
                text: current.text.as_str().to_owned(),
                map: current.map.clone(),
                section: current.section.clone(),
            });
        }
        current.text.clear();
        current.map.clear();
    };
    for (e, range) in events {
        match e {
            Event::Start(Tag::CodeBlock(_) | Tag::BlockQuote(_)) => skip_depth += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::BlockQuote(_)) => {
                skip_depth = skip_depth.saturating_sub(1)
            }
            _ if skip_depth > 0 => {}
            Event::Start(Tag::Link { link_type, .. }) => {
                autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
            }
            Event::End(TagEnd::Link) => autolink = false,
            Event::Text(t) if !autolink => {
                current.map.push(pos(current.text.len(), range.start));
                current.text.push_str(t);
            }
            Event::Code(_) => {
                current.map.push(pos(current.text.len(), range.start));
                current.text.push_str("`code`");
            }
            Event::SoftBreak | Event::HardBreak => current.text.push(' '),
            Event::Start(Tag::List(_))
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => flush(current, &mut out),
            _ => {}
        }
    }
    flush(current, &mut out);
    out
}

/// `<!-- incidentbook-disable-next-line CODE… -->` and `<!-- incidentbook-disable CODE… -->`.
fn suppressions(
    events: &[(Event, Range<usize>)],
    text: &str,
    lines: &LineIndex,
) -> Vec<Suppression> {
    const NEXT_LINE: &str = "incidentbook-disable-next-line";
    const FILE: &str = "incidentbook-disable";
    let mut out = Vec::new();
    for (e, range) in events {
        let (Event::Html(html) | Event::InlineHtml(html)) = e else {
            continue;
        };
        for comment in html.split("<!--").skip(1) {
            let body = comment.split("-->").next().unwrap_or_default().trim();
            let (line, rest) = if let Some(rest) = body.strip_prefix(NEXT_LINE) {
                // The next line after the comment that holds anything.
                let after = range.end.min(text.len());
                let skip = text[after..].len() - text[after..].trim_start().len();
                (Some(lines.line(after + skip)), rest)
            } else if let Some(rest) = body.strip_prefix(FILE) {
                (None, rest)
            } else {
                continue;
            };
            out.push(Suppression {
                line,
                codes: rest
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_ascii_uppercase)
                    .collect(),
            });
        }
    }
    out
}

/// Whether `text` holds `TODO` or `TBD`: one memchr pass for their `T` rather than two
/// substring searches, for every piece of text of every post-mortem.
fn has_placeholder(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'T', bytes).any(|i| {
        let rest = &bytes[i..];
        rest.starts_with(b"TODO") || rest.starts_with(b"TBD")
    })
}

/// TODO and TBD markers written in prose (code is not prose).
fn placeholders(events: &[(Event, Range<usize>)], text: &str, lines: &LineIndex) -> Vec<Span> {
    let mut out = Vec::new();
    let mut in_code = false;
    for (e, range) in events {
        match e {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code && has_placeholder(t) => {
                let source = &text[range.clone()];
                for marker in ["TODO", "TBD"] {
                    for (i, _) in source.match_indices(marker) {
                        let before = source[..i].chars().next_back();
                        let after = source[i + marker.len()..].chars().next();
                        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                        if !word(before) && !word(after) {
                            let at = range.start + i;
                            out.push(lines.span(text, at..at + marker.len()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The sample sentences of `incidentbook new`'s template (`commands/scaffold/
/// postmortem.md`), which a writer replaces: left in, they would be published as if
/// they were what happened.
pub const TEMPLATE_SENTENCES: [&str; 2] = [
    "What happened first.",
    "What responders saw, and what they did.",
];

/// Where the template's sample sentences stand, in prose.
fn template_text(events: &[(Event, Range<usize>)], text: &str, lines: &LineIndex) -> Vec<Span> {
    let mut out = Vec::new();
    for (e, range) in events {
        if let Event::Text(t) = e {
            let trimmed = t.trim();
            if TEMPLATE_SENTENCES.contains(&trimmed) {
                let source = &text[range.clone()];
                let at = range.start + source.find(trimmed).unwrap_or(0);
                out.push(lines.span(text, at..at + trimmed.len()));
            }
        }
    }
    out
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Removes a `# Title` that opens the body: the page shows the title in its header.
fn take_leading_h1(events: &mut Vec<(Event, Range<usize>)>) -> Option<String> {
    let Some((
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }),
        _,
    )) = events.first()
    else {
        return None;
    };
    let end = events
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))?;
    let title = plain_text(&events[..=end]).trim().to_owned();
    events.drain(..=end);
    // Some templates write a literal "# Title:" and the title as the next heading.
    let placeholder = title.ends_with(':')
        && title
            .trim_end_matches(':')
            .trim()
            .eq_ignore_ascii_case("title");
    if placeholder && matches!(events.first(), Some((Event::Start(Tag::Heading { .. }), _))) {
        let end = events
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))?;
        let title = plain_text(&events[..=end]).trim().to_owned();
        events.drain(..=end);
        return Some(title);
    }
    Some(title).filter(|t| !placeholder && !t.is_empty())
}

/// Gives every heading a unique anchor (its `{#id}` if written, else a slug of its
/// text) and returns them in order.
fn assign_anchors(
    events: &mut [(Event, Range<usize>)],
    source_text: &str,
    lines: &LineIndex,
    trusted: bool,
) -> Vec<Heading> {
    let mut used = HashSet::new();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let (Event::Start(Tag::Heading { level, id, .. }), range) = &events[i] {
            let end = events[i..]
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |p| i + p);
            let text = plain_text(&events[i + 1..end]).trim().to_owned();
            let base = match id {
                Some(id) => id.to_string(),
                None => {
                    let s = slug::slugify(&text);
                    if s.is_empty() {
                        "section".to_owned()
                    } else {
                        s
                    }
                }
            };
            // Suffixes go on from the last one given for the same base, so a file of
            // thousands of like headings is not quadratic.
            let mut anchor = base.clone();
            let n = next_suffix.entry(base.clone()).or_insert(1usize);
            while !used.insert(anchor.clone()) {
                anchor = format!("{base}-{n}");
                *n += 1;
            }
            let line_end = text_line_end(source_text, range.start);
            headings.push(Heading {
                level: level_number(*level),
                text,
                anchor: anchor.clone(),
                line: lines.line(range.start),
                span: lines.span(source_text, range.start..line_end.max(range.start)),
                canonical: None,
            });
            if let (Event::Start(Tag::Heading { id, attrs, .. }), _) = &mut events[i] {
                *id = Some(CowStr::from(anchor));
                // `{onfocus=…}` after a heading would reach the page as an attribute:
                // only the anchor and classes (escaped by the HTML writer) are kept.
                if !trusted {
                    attrs.clear();
                }
            }
            i = end;
        }
        i += 1;
    }
    headings
}

/// Replaces relative link destinations with `ib-ref:N` placeholders and drops unsafe
/// URL schemes.
fn rewrite_links(
    events: &mut [(Event, Range<usize>)],
    text: &str,
    lines: &LineIndex,
    content_path: &Path,
) -> Vec<Reference> {
    let mut references = Vec::new();
    for (event, range) in events.iter_mut() {
        let (dest, is_image) = match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                let (line, column) = lines.line_col(text, range.start);
                references.push(Reference {
                    kind: ReferenceKind::Wiki {
                        titled: !*has_pothole,
                    },
                    target: PathBuf::new(),
                    fragment: None,
                    written: dest_url.trim().to_string(),
                    line,
                    column,
                    start: range.start,
                    end: range.end,
                });
                *dest_url = CowStr::from(format!("{REF_SCHEME}{}", references.len() - 1));
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        match classify(dest) {
            Destination::Keep(url) => {
                if url != dest.as_ref() {
                    *dest = CowStr::from(url);
                }
            }
            Destination::Unsafe => *dest = CowStr::from("#"),
            Destination::Relative { path, fragment } => {
                let target = resolve(content_path, &path);
                let is_page = !is_image && path.to_ascii_lowercase().ends_with(".md");
                let (line, column) = lines.line_col(text, range.start);
                references.push(Reference {
                    kind: if is_page {
                        ReferenceKind::Page
                    } else {
                        ReferenceKind::Asset
                    },
                    target,
                    fragment,
                    written: dest.to_string(),
                    line,
                    column,
                    start: range.start,
                    end: range.end,
                });
                *dest = CowStr::from(format!("{REF_SCHEME}{}", references.len() - 1));
            }
        }
    }
    references
}

/// The URL a browser would follow for `url` as written by an author, if it may become
/// a link: relative, or with a scheme from the safe list (never `javascript:`,
/// `data:`, `vbscript:`). Browsers drop tabs and newlines anywhere in a URL and control
/// characters and spaces at its ends before they read the scheme (`java\tscript:` is
/// `javascript:`), so the scheme is judged on the URL as they read it, and that URL is
/// what is kept.
pub fn safe_url(url: &str) -> Option<String> {
    match classify(url) {
        Destination::Unsafe => None,
        Destination::Keep(url) => Some(url),
        Destination::Relative { .. } => Some(text::url_as_read(url)),
    }
}

enum Destination {
    Keep(String),
    Unsafe,
    Relative {
        path: String,
        fragment: Option<String>,
    },
}

fn classify(dest: &str) -> Destination {
    let dest = &text::url_as_read(dest);
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') || dest.starts_with('?') {
        return Destination::Keep(dest.clone());
    }
    if let Some(scheme) = text::url_scheme(dest) {
        return if text::SAFE_SCHEMES.contains(&scheme.as_str()) {
            Destination::Keep(dest.clone())
        } else {
            Destination::Unsafe
        };
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p.to_owned(), Some(f.to_owned())),
        None => (dest.to_owned(), None),
    };
    let path = path
        .split('?')
        .next()
        .unwrap_or_default()
        .replace("%20", " ");
    Destination::Relative { path, fragment }
}

/// Resolves `link` against the folder of `from` (both relative to the content folder),
/// normalising `.` and `..`. A path that climbs out of the content folder keeps its
/// leading `..`, so it never matches a file of the book.
fn resolve(from: &Path, link: &str) -> PathBuf {
    let base = from.parent().unwrap_or(Path::new(""));
    let mut parts: Vec<String> = base
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let mut escaped = 0;
    for component in Path::new(link).components() {
        match component {
            Component::ParentDir if parts.pop().is_none() => escaped += 1,
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    let mut out = PathBuf::new();
    for _ in 0..escaped {
        out.push("..");
    }
    out.extend(parts);
    out
}

/// The end of the line holding byte `at` (without the newline).
fn text_line_end(text: &str, at: usize) -> usize {
    memchr::memchr2(b'\r', b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i)
}

/// Text content of events, with blocks separated by newlines.
fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    let pieces = || {
        events.iter().filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(&**t),
            Event::SoftBreak | Event::HardBreak => Some(" "),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::TableRow,
            ) => Some("\n"),
            _ => None,
        })
    };
    // Sized first: the text is kept for the whole build (search, checks), and growing
    // it by doubling left a third of it unused and cost a copy at every doubling.
    let mut out = String::with_capacity(pieces().map(str::len).sum());
    pieces().for_each(|p| out.push_str(p));
    out
}

/// Where a timeline list stands in a section's events (indices into the slice), for
/// drawing it: its start and end, and each entry's item with its number among the
/// section's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// A table read as a timeline (`| Time | Event |`): its start, and the number of
    /// its first entry. It is drawn as a timeline list, a row an entry.
    Table(usize, usize),
    ListStart(usize, bool),
    Item(usize, usize),
    ListEnd(usize, usize),
}

/// The items of the Timeline section's lists and the rows of its tables (`| Time |
/// Event |`), split into time and text, with the marks of the lists kept. A list or
/// table none of whose entries starts with a time is narrative ("Root causes:" under a
/// day's heading), not a timeline, and is left out.
fn timeline_entries(
    events: &[(Event, Range<usize>)],
    text: &str,
    lines: &LineIndex,
) -> (Vec<TimelineEntry>, Vec<Mark>) {
    let entry = |events: &[(Event, Range<usize>)], offset: usize| {
        // Cells and lines become one line of text: "Jan 14, 10:18 AM A customer wrote".
        let raw = plain_text(events);
        let mut item = String::with_capacity(raw.len());
        for word in raw.split_whitespace() {
            if !item.is_empty() {
                item.push(' ');
            }
            item.push_str(word);
        }
        let (time, rest) = match split_time(&item) {
            Some((time, rest)) => (Some(time), rest),
            None => (None, item),
        };
        TimelineEntry {
            time,
            text: rest,
            span: lines.span(text, offset..text_line_end(text, offset)),
        }
    };
    let mut entries = Vec::new();
    let mut marks = Vec::new();
    // The list or table being read: its entries, and the event index of each item.
    let mut current: Vec<(TimelineEntry, usize)> = Vec::new();
    let mut list_start: Option<(usize, bool)> = None;
    let mut depth = 0usize;
    let mut item_start: Option<(usize, usize)> = None;
    let mut in_head = false;
    let mut table_start = None;
    // Keeps what was read if it is a timeline; `list` holds the list's start and end.
    // A table is drawn from its start (`table`).
    let mut keep = |current: &mut Vec<(TimelineEntry, usize)>,
                    list: Option<(usize, bool, usize)>,
                    table: Option<usize>| {
        if current.iter().any(|(e, _)| e.time.is_some()) {
            entries.reserve_exact(current.len());
            if let Some(start) = table {
                marks.push(Mark::Table(start, entries.len()));
            }
            if let Some((start, ordered, _)) = list {
                marks.push(Mark::ListStart(start, ordered));
            }
            for (e, at) in current.drain(..) {
                if list.is_some() {
                    marks.push(Mark::Item(at, entries.len()));
                }
                entries.push(e);
            }
            if let Some((_, _, end)) = list {
                marks.push(Mark::ListEnd(end, entries.len()));
            }
        }
        current.clear();
    };
    for (i, (e, range)) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) if !in_head => item_start = Some((i, range.start)),
            Event::End(TagEnd::TableRow) if !in_head => {
                if let Some((start, offset)) = item_start.take() {
                    current.push((entry(&events[start + 1..i], offset), start));
                }
            }
            Event::End(TagEnd::Table) => keep(&mut current, None, table_start.take()),
            Event::Start(Tag::Table(_)) => table_start = Some(i),
            Event::Start(Tag::List(first)) => {
                if depth == 0 {
                    list_start = Some((i, first.is_some()));
                }
                depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let list = list_start.take().map(|(s, ordered)| (s, ordered, i));
                    keep(&mut current, list, None);
                }
            }
            Event::Start(Tag::Item) if depth == 1 => item_start = Some((i, range.start)),
            Event::End(TagEnd::Item) if depth == 1 => {
                if let Some((start, offset)) = item_start.take() {
                    current.push((entry(&events[start + 1..i], offset), start));
                }
            }
            _ => {}
        }
    }
    (entries, marks)
}

/// The section's events with its timeline lists marked for drawing: a class on each
/// list and item, and the placeholders `render::timeline` fills in. Entry numbers start
/// at `first` (the entries of earlier Timeline sections).
/// A timeline table (`events` from its start on) drawn as the timeline list is: the
/// header left out, each row an entry with its time in bold, the other cells after it.
fn draw_table(events: &mut [(Event<'_>, Range<usize>)], first: usize) {
    let html = |s: String| Event::Html(CowStr::from(s));
    let mut n = first;
    let (mut in_head, mut cell) = (false, 0);
    for (e, _) in events.iter_mut() {
        let drawn = match e {
            Event::Start(Tag::Table(_)) => "<ul class=\"timeline\">\n".to_owned(),
            Event::Start(Tag::TableHead) => {
                in_head = true;
                String::new()
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                String::new()
            }
            _ if in_head => String::new(),
            Event::Start(Tag::TableRow) => {
                cell = 0;
                format!(
                    "{TIMELINE_BEFORE}{n}{PLACEHOLDER_CLOSE}<li>{TIMELINE_BADGE}{n}{PLACEHOLDER_CLOSE}"
                )
            }
            Event::End(TagEnd::TableRow) => {
                n += 1;
                "</li>\n".to_owned()
            }
            Event::Start(Tag::TableCell) => match cell {
                0 => "<strong>".to_owned(),
                1 => String::new(),
                _ => " — ".to_owned(),
            },
            Event::End(TagEnd::TableCell) => {
                cell += 1;
                if cell == 1 {
                    "</strong> ".to_owned()
                } else {
                    String::new()
                }
            }
            Event::End(TagEnd::Table) => {
                *e = html(format!("{TIMELINE_END}{n}{PLACEHOLDER_CLOSE}</ul>\n"));
                return;
            }
            _ => continue,
        };
        *e = html(drawn);
    }
}

fn mark_timeline<'a>(
    events: &[(Event<'a>, Range<usize>)],
    marks: &[Mark],
    first: usize,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = events.to_vec();
    let html = |s: String| Event::Html(CowStr::from(s));
    for mark in marks {
        match *mark {
            Mark::Table(i, n) => draw_table(&mut out[i..], first + n),
            Mark::ListStart(i, ordered) => {
                let tag = if ordered { "ol" } else { "ul" };
                out[i].0 = html(format!("<{tag} class=\"timeline\">\n"));
            }
            Mark::Item(i, n) => {
                let n = first + n;
                out[i].0 = html(format!(
                    "{TIMELINE_BEFORE}{n}{PLACEHOLDER_CLOSE}<li>{TIMELINE_BADGE}{n}{PLACEHOLDER_CLOSE}"
                ));
            }
            Mark::ListEnd(i, n) => {
                let tag = match out[i].0 {
                    Event::End(TagEnd::List(true)) => "ol",
                    _ => "ul",
                };
                out[i].0 = html(format!(
                    "{TIMELINE_END}{}{PLACEHOLDER_CLOSE}</{tag}>\n",
                    first + n
                ));
            }
        }
    }
    out
}

/// ammonia, set up for what pulldown-cmark emits (heading anchors, task-list boxes,
/// footnotes, code classes) plus our reference placeholders.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("pre", ["class"])
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("div", ["class", "id"])
        .add_tag_attributes("sup", ["class", "id"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("a", ["id", "class"])
        .add_url_schemes([REF_SCHEME.trim_end_matches(':')]);
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id"]);
    }
    b
});

/// `text.split_whitespace().count()`, without decoding ASCII: every post-mortem's whole
/// text is counted, and the decoding loop, with a mispredicted branch at every word,
/// was a tenth of the parse. A word starts at each byte that is not a space after one
/// that is: runs of ASCII are counted 64 bytes at a time (a loop the compiler
/// vectorises); elsewhere only the lead bytes of Unicode's non-ASCII spaces (U+0085,
/// U+00A0, U+1680, U+2000 and after, U+3000) need the character decoded.
fn word_count(text: &str) -> usize {
    const CHUNK: usize = 64;
    let space = |b: u8| b == b' ' || b.wrapping_sub(b'\t') < 5;
    let bytes = text.as_bytes();
    let (mut words, mut after_space, mut i) = (0, true, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + CHUNK).filter(|c| c.is_ascii()) {
            let starts = chunk
                .windows(2)
                .map(|w| usize::from(space(w[0]) & !space(w[1])))
                .sum::<usize>();
            words += starts + usize::from(after_space & !space(chunk[0]));
            after_space = space(chunk[CHUNK - 1]);
            i += CHUNK;
            continue;
        }
        let b = bytes[i];
        let is_space = match b {
            0xC2 | 0xE1..=0xE3 => {
                let c = text[i..].chars().next().expect("a lead byte");
                if c.is_whitespace() {
                    i += c.len_utf8() - 1;
                }
                c.is_whitespace()
            }
            _ => space(b),
        };
        words += usize::from(after_space & !is_space);
        after_space = is_space;
        i += 1;
    }
    words
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_in_angle_brackets_stay_words() {
        let text = "## Summary\n\nCall recording: <Link to the Hangout or recording>\n\nA <span class=\"x\">tag</span> and <br> stay tags.\n";
        let r = super::render(
            text,
            0,
            std::path::Path::new("x.md"),
            &crate::parse::ParseOptions::default(),
        );
        let s = &r.body.sections[0];
        assert!(
            s.html.contains("&lt;Link to the Hangout or recording&gt;"),
            "{}",
            s.html
        );
        assert!(s.text.contains("Link to the Hangout"), "{}", s.text);
        assert!(!s.html.contains("&lt;span"), "{}", s.html);
    }

    use super::*;

    fn body(md: &str) -> Rendered {
        render(md, 0, Path::new("2024/a.md"), &ParseOptions::default())
    }

    #[test]
    fn word_count_is_split_whitespace_count() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tnew\nline\r\nvt\x0bff\x0cend",
            "no\u{a0}break thin\u{2009}space ideo\u{3000}graphic",
            "é è ü — 日本語 text\u{85}next",
            "\x1c\x1d not whitespace",
            "it\u{2019}s \u{201c}quoted\u{201d}\u{2028}line\u{1680}ogham\u{a0}",
            // Longer than a chunk, with spaces and non-ASCII at its edges.
            &"a  bc\tdef ".repeat(40),
            &format!("{}\u{a0}{}", "x".repeat(63), " y z".repeat(30)),
            &format!("{} {}é {}", "w".repeat(64), "v".repeat(62), "u ".repeat(64)),
        ] {
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn splits_into_sections_with_anchors_and_lines() {
        let r = body(
            "# Title\n\nIntro.\n\n## Timeline\n\n- **14:05** Alert fired\n- 14:10 Paged\n\n## What went well\n\nA.\n\n### Detail\n\n## What went well\n",
        );
        assert_eq!(r.h1_title.as_deref(), Some("Title"));
        let names: Vec<_> = r.body.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(names, ["Timeline", "What went well", "What went well"]);
        assert_eq!(
            r.body.sections[1].canonical.as_deref(),
            Some("What Went Well")
        );
        assert_eq!(r.body.sections[0].line, 5);
        assert_eq!(r.body.sections[2].anchor, "what-went-well-1");
        assert!(r.body.preamble_html.contains("Intro."));
        assert_eq!(r.body.timeline.len(), 2);
        assert_eq!(r.body.timeline[0].time.as_deref(), Some("14:05"));
        assert_eq!(r.body.timeline[0].text, "Alert fired");
        assert_eq!(r.body.timeline[1].span.line, 8);
        assert!(r.body.sections[1].html.contains(r#"<h3 id="detail">"#));
    }

    #[test]
    fn many_like_headings_get_distinct_anchors() {
        // A name written as another's suffixed anchor takes the next free suffix.
        let mut md = "## Notes\n\n## Notes 1\n\n".to_owned();
        md.push_str(&"## Notes\n\n".repeat(3000));
        let r = body(&md);
        let anchors: Vec<_> = r.body.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(
            &anchors[..5],
            ["notes", "notes-1", "notes-2", "notes-3", "notes-4"]
        );
        assert_eq!(anchors.last(), Some(&"notes-3001"));
        let distinct: HashSet<_> = anchors.iter().collect();
        assert_eq!(distinct.len(), anchors.len());
    }

    #[test]
    fn nesting_depth_errs_high_but_not_on_flat_html() {
        let deep = |md: &str| {
            let events: Vec<_> = Parser::new_ext(md, options()).into_offset_iter().collect();
            nests_too_deep(&events).is_some()
        };
        let over = MAX_HTML_DEPTH + 1;
        assert!(deep(&"<div>".repeat(over)));
        assert!(deep(&"<b>".repeat(over)));
        assert!(deep(&format!("{}<b>x</b>", "> ".repeat(over))));
        // Closed, void, commented, or closed by the next sibling: flat.
        assert!(!deep(&"<div><b>x</b></div>\n".repeat(5 * over)));
        assert!(!deep(&format!("<ul>{}</ul>", "<li>x".repeat(5 * over))));
        assert!(!deep(&format!(
            "<table>{}</table>",
            "<tr><td>a<td>b</tr>".repeat(5 * over)
        )));
        assert!(!deep(&"<br><img src=x><!-- <div> -->".repeat(5 * over)));
        // An end tag that closes nothing open does not lower the count.
        assert!(deep(&"<div></span>".repeat(over)));
    }

    #[test]
    fn table_timelines_become_entries() {
        let r = body(
            "## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n| Jan 14, 10:18 AM | A customer wrote in. |\n| Jan 15, 5:33 PM | A fix shipped. |\n\n- Narrative, not a timeline\n- Another point\n",
        );
        let t = &r.body.timeline;
        assert_eq!(t.len(), 2, "{t:?}");
        assert_eq!(t[0].time.as_deref(), Some("Jan 14, 10:18 AM"));
        assert_eq!(t[0].text, "A customer wrote in.");
        assert_eq!(t[1].span.line, 6);
        // Drawn as the timeline list is: no header, a row an entry, its time in bold.
        let html = &r.body.sections[0].html;
        assert!(html.contains("<ul class=\"timeline\">"), "{html}");
        assert!(
            !html.contains("<table") && !html.contains("Time (UTC)"),
            "{html}"
        );
        // An entry is a plain item (its placeholders are filled at render time).
        assert!(
            html.contains("<li><!--ib-tlm:0--><strong>Jan 14, 10:18 AM</strong>"),
            "{html}"
        );
        assert!(
            html.contains("<strong>Jan 15, 5:33 PM</strong> A fix shipped."),
            "{html}"
        );
        // A table that is not a timeline stays a table.
        let plain = body("## Impact\n\n| Region | Errors |\n|---|---|\n| US | 78% |\n");
        assert!(plain.body.sections[0].html.contains("<table>"));
    }

    #[test]
    fn relative_links_become_references() {
        let r = body(
            "See [the DNS one](../2023/dns.md#timeline) and ![d](img/d.png) and [ext](https://x.org).\n",
        );
        let refs = &r.body.references;
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].target, PathBuf::from("2023/dns.md"));
        assert_eq!(refs[0].fragment.as_deref(), Some("timeline"));
        assert_eq!(refs[0].kind, ReferenceKind::Page);
        assert_eq!(refs[1].target, PathBuf::from("2024/img/d.png"));
        assert!(r.body.preamble_html.contains(r#"href="ib-ref:0""#));
        assert!(r.body.preamble_html.contains("https://x.org"));
    }

    #[test]
    fn wiki_links_become_references_with_title_placeholders() {
        let r = body("See [[untested-migrations]] and [[AI-2024-012|the CI item]].\n");
        let refs = &r.body.references;
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].kind, ReferenceKind::Wiki { titled: true });
        assert_eq!(refs[0].written, "untested-migrations");
        assert_eq!(refs[1].kind, ReferenceKind::Wiki { titled: false });
        let html = &r.body.preamble_html;
        assert!(
            html.contains(r#"<a href="ib-ref:0">ib-title:0</a>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="ib-ref:1">the CI item</a>"#),
            "{html}"
        );
    }

    #[test]
    fn prose_leaves_out_code_quotes_and_urls() {
        let r = body(
            "## Contributing Factors\n\nThe `deploy` job <https://x.org> failed.\n\n> Quoted blame.\n\n```\ncode blame\n```\n\n- Item one\n",
        );
        let texts: Vec<_> = r.body.prose.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Contributing Factors",
                "The `code` job  failed.",
                "Item one"
            ]
        );
        assert_eq!(
            r.body.prose[1].section.as_deref(),
            Some("Contributing Factors")
        );
        // Offsets map back to the source.
        let p = &r.body.prose[1];
        let at = p.text.find("failed").unwrap();
        let md = "## Contributing Factors\n\nThe `deploy` job <https://x.org> failed.";
        let span = p.span(at, at + 6);
        assert_eq!(span.start, md.find("failed").unwrap());
        assert_eq!((span.line, span.column), (3, 34));
    }

    #[test]
    fn suppression_comments_are_read() {
        let r = body(
            "Intro.\n\n<!-- incidentbook-disable-next-line IB0301, IB0302 -->\n\nMike forgot.\n\n<!-- incidentbook-disable IB0306 -->\n",
        );
        let s = &r.body.suppressions;
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].line, Some(5));
        assert_eq!(s[0].codes, ["IB0301", "IB0302"]);
        assert_eq!(s[1].line, None);
    }

    #[test]
    fn dangerous_html_and_urls_are_removed() {
        let r = body(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n<iframe src=\"https://evil\"></iframe>\n",
        );
        let html = &r.body.preamble_html;
        for bad in ["<script", "onerror", "javascript:", "<iframe"] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
    }

    #[test]
    fn trusted_html_is_kept() {
        let options = ParseOptions {
            trusted_html: true,
            ..ParseOptions::default()
        };
        let r = render(
            "<div onclick=\"x()\">hi</div>\n",
            0,
            Path::new("a.md"),
            &options,
        );
        assert!(r.body.preamble_html.contains("onclick"));
    }

    #[test]
    fn each_purpose_keeps_what_it_needs() {
        use crate::parse::Purpose;
        let text = "## Timeline\n\n- 10:00 The *alert* fired\n\n## What Went Well\n\nThe pager.\n";
        let kept = |purpose| {
            let options = ParseOptions {
                purpose,
                ..ParseOptions::default()
            };
            let body = render(text, 0, Path::new("a.md"), &options).body;
            let section = &body.sections[0];
            (
                !section.html.is_empty(),
                !section.text.is_empty(),
                body.words,
                body.timeline.len(),
                body.prose.len(),
            )
        };
        // The structure every check reads is the same for every purpose.
        assert_eq!(kept(Purpose::Build), (true, true, 10, 1, 4));
        assert_eq!(kept(Purpose::Search), (false, true, 10, 1, 4));
        assert_eq!(kept(Purpose::Check), (false, false, 0, 1, 4));
    }
}
