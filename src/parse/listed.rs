//! The entries of an archive's Contributing Factors and Action Items sections, as
//! written: each bullet (or, where the section has no list, each paragraph) becomes a
//! [`Listed`] entry that the adopt profile turns into a provisional factor or action
//! item. Nothing here changes the page: the entries are read beside it.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostics::LineIndex;
use crate::model::{Listed, ListedKind};

/// The longest title kept whole; a longer first sentence is cut at a word.
const TITLE_CHARS: usize = 90;

/// The entries of one section (`events` from its heading to its end).
pub fn entries(
    events: &[(Event, Range<usize>)],
    kind: ListedKind,
    lines: &LineIndex,
) -> Vec<Listed> {
    let mut items = Vec::new();
    let mut paragraphs = Vec::new();
    let (mut depth, mut quote, mut start) = (0usize, 0usize, None);
    // The sub-heading the entries stand under ("Immediate Actions (Completed)").
    let mut under: Option<bool> = None;
    let mut heading_start = None;
    for (i, (e, range)) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Heading { .. }) => heading_start = Some(i),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(s) = heading_start.take()
                    && s > 0
                {
                    under = done_in_heading(&one_line(&events[s + 1..i]));
                }
            }
            Event::Start(Tag::BlockQuote(_)) => quote += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote = quote.saturating_sub(1),
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Item) if depth == 1 && quote == 0 => start = Some((i, range.start)),
            Event::End(TagEnd::Item) if depth == 1 && quote == 0 => {
                if let Some((s, offset)) = start.take() {
                    let inner = &events[s + 1..i];
                    let done = inner.iter().find_map(|(e, _)| match e {
                        Event::TaskListMarker(checked) => Some(*checked),
                        _ => None,
                    });
                    items.extend(entry(inner, kind, lines.line(offset), done.or(under)));
                }
            }
            Event::Start(Tag::Paragraph) if depth == 0 && quote == 0 => {
                start = Some((i, range.start))
            }
            Event::End(TagEnd::Paragraph) if depth == 0 && quote == 0 => {
                if let Some((s, offset)) = start.take() {
                    let inner = &events[s + 1..i];
                    let lead_in = one_line(inner).trim_end().ends_with(':');
                    if !lead_in {
                        paragraphs.extend(entry(inner, kind, lines.line(offset), under));
                    }
                }
            }
            _ => {}
        }
    }
    // A section with a list lists its entries; prose around it introduces them.
    if items.is_empty() { paragraphs } else { items }
}

/// One entry from its events, or `None` when it holds too little to name anything.
fn entry(
    events: &[(Event, Range<usize>)],
    kind: ListedKind,
    line: usize,
    done: Option<bool>,
) -> Option<Listed> {
    let text = one_line(events);
    if text.split_whitespace().count() < 3 {
        return None;
    }
    // The title is the entry's own words, not those of a list nested in it.
    let own = events
        .iter()
        .position(|(e, _)| matches!(e, Event::Start(Tag::List(_))))
        .map_or(events, |end| &events[..end]);
    // A factor is named by its lead-in ("**Unbounded retries**: …"); an action item is
    // the change itself, which a lead-in only starts ("**Add jitter** to the client").
    let title = match kind {
        ListedKind::Factor => lead_in(own).unwrap_or_else(|| first_sentence(&one_line(own))),
        ListedKind::Action => first_sentence(&one_line(own)),
    };
    Some(Listed {
        kind,
        title,
        done: done.or_else(|| done_in_text(&text)),
        text,
        line,
    })
}

/// The text of `events` on one line, a space between blocks.
fn one_line(events: &[(Event, Range<usize>)]) -> String {
    let mut out = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::Start(Tag::Paragraph | Tag::List(_) | Tag::Item)
            | Event::End(TagEnd::Paragraph | TagEnd::List(_) | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The bold words an entry opens with ("**Unbounded retries**: …"), when short.
fn lead_in(events: &[(Event, Range<usize>)]) -> Option<String> {
    let mut events = events
        .iter()
        .skip_while(|(e, _)| matches!(e, Event::Start(Tag::Paragraph) | Event::TaskListMarker(_)));
    if !matches!(events.next(), Some((Event::Start(Tag::Strong), _))) {
        return None;
    }
    let mut title = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => title.push_str(t),
            Event::End(TagEnd::Strong) => break,
            _ => {}
        }
    }
    let title = title.trim().trim_end_matches([':', '.', ' ']).trim();
    (!title.is_empty() && title.chars().count() <= TITLE_CHARS).then(|| title.to_owned())
}

/// The first sentence of `text`, cut at a word if it is long.
fn first_sentence(text: &str) -> String {
    let end = text
        .match_indices(". ")
        .map(|(i, _)| i)
        .find(|&i| i > 0)
        .unwrap_or(text.len());
    let sentence = text[..end].trim_end_matches('.');
    if sentence.chars().count() <= TITLE_CHARS {
        return sentence.to_owned();
    }
    let mut cut = String::new();
    for word in sentence.split_whitespace() {
        if cut.chars().count() + word.chars().count() + 1 > TITLE_CHARS - 1 {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    cut.push('…');
    cut
}

/// Whether an entry marks itself done ("✅ Raised the timeouts", "Add alerts — DONE",
/// "(done)") or not yet ("(in progress)", "TODO:"); `None` when it does neither.
fn done_in_text(text: &str) -> Option<bool> {
    if text.starts_with(['✅', '✔', '☑']) {
        return Some(true);
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let marked = |mark: &str| {
        // Written as a mark: in capitals first or last, in brackets, or after a dash at
        // the end.
        [words.first(), words.last()]
            .into_iter()
            .flatten()
            .any(|w| w == &mark.to_uppercase())
            || text.contains(&format!("({mark})"))
            || text.contains(&format!("[{mark}]"))
            || text
                .to_lowercase()
                .trim_end_matches(['.', ' '])
                .ends_with(&format!("— {mark}"))
    };
    if marked("done") || marked("completed") || marked("fixed") {
        Some(true)
    } else if marked("todo") || marked("in progress") || marked("open") || marked("pending") {
        Some(false)
    } else {
        None
    }
}

/// Whether a sub-heading says its entries are done ("Completed") or not yet
/// ("Planned", "To do"); `None` when it says neither.
fn done_in_heading(heading: &str) -> Option<bool> {
    let h = heading.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if has(&[
        "not done",
        "not yet",
        "pending",
        "planned",
        "to do",
        "todo",
        "open",
        "in progress",
        "future",
        "long-term",
        "long term",
    ]) {
        Some(false)
    } else if has(&["completed", "done", "finished", "resolved", "implemented"]) {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn read(markdown: &str) -> Vec<Listed> {
        let events: Vec<_> = Parser::new_ext(markdown, Options::ENABLE_TASKLISTS)
            .into_offset_iter()
            .collect();
        entries(&events, ListedKind::Action, &LineIndex::new(markdown))
    }

    #[test]
    fn bullets_are_entries_and_their_lead_in_names_them() {
        let got = read(
            "## Action Items\n\nWe will:\n\n- **Retry limits**: cap retries in Envoy at three.\n- [x] Add CPU alerts per node\n- [ ] Split the shared Redis\n  - a nested note\n",
        );
        let titles: Vec<_> = got.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Retry limits: cap retries in Envoy at three",
                "Add CPU alerts per node",
                "Split the shared Redis"
            ]
        );
        assert_eq!(got[0].line, 5);
        assert_eq!(
            got.iter().map(|l| l.done).collect::<Vec<_>>(),
            [None, Some(true), Some(false)]
        );
        assert_eq!(got[2].text, "Split the shared Redis a nested note");
        assert_eq!(got[0].text, "Retry limits: cap retries in Envoy at three.");
    }

    #[test]
    fn a_section_without_a_list_gives_its_paragraphs() {
        let got = read(
            "# Corrective actions\n\nThe proper fix is to modify the MANIFEST.in file. It was wrong.\n\nSee:\n\n> quoted text is not an entry at all\n",
        );
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].title,
            "The proper fix is to modify the MANIFEST.in file"
        );
    }

    #[test]
    fn a_sub_heading_says_whether_its_entries_are_done() {
        let got = read(
            "## Remediation\n\n### Immediate Actions (Completed)\n\n- Raised the timeouts for peak load\n\n### Long-term\n\n- Isolate the flags Redis from the app\n",
        );
        assert_eq!(
            got.iter().map(|l| l.done).collect::<Vec<_>>(),
            [Some(true), Some(false)]
        );
    }

    #[test]
    fn entries_that_mark_themselves_done_or_not_say_so() {
        let got = read(
            "## Action Items\n\n- ✅ Raised the pool timeouts\n- **Add jitter and backoff** to the webhook client — DONE\n- Split the Redis (in progress)\n- Document the DONE flag of the job table\n",
        );
        assert_eq!(
            got[1].title,
            "Add jitter and backoff to the webhook client — DONE"
        );
        assert_eq!(
            got.iter().map(|l| l.done).collect::<Vec<_>>(),
            [Some(true), Some(true), Some(false), None]
        );
    }

    #[test]
    fn long_first_sentences_are_cut_at_a_word() {
        let t = first_sentence(&"word ".repeat(40));
        assert!(t.ends_with('…') && t.chars().count() <= TITLE_CHARS, "{t}");
    }
}
