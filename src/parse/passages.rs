//! Internal passages: the parts of a post-mortem (or of a factor's description) that
//! only the internal edition shows. Two are recognised:
//!
//! - a fenced block whose info string is `internal` (```` ```internal ```` … ```` ``` ````,
//!   or with `~~~`), shown as written in the internal edition;
//! - a section whose ATX heading carries the class `internal` (`## Customers {.internal}`),
//!   up to the next heading of its level or a higher one.
//!
//! They are found on the text's lines before Markdown is parsed, so that the public
//! edition parses a text in which they are blank (spaces, line breaks kept): nothing of
//! them can reach a page, an index, a count or a diagnostic's position.

use std::ops::Range;

/// The byte ranges of the internal passages of `text`'s body (from `body_start`),
/// whole lines each, in order; they may nest (a fenced block in a marked section).
pub fn find(text: &str, body_start: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // The fence being read: its character, its length, and where it started when it
    // is an internal one.
    let mut fence: Option<(u8, usize, Option<usize>)> = None;
    // The marked section being read: its heading's level and where it starts.
    let mut section: Option<(usize, usize)> = None;
    let mut at = body_start.min(text.len());
    for line in text[at..].split_inclusive('\n') {
        let start = at;
        at += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let trimmed = &content[indent..];
        if let Some((c, len, internal)) = fence {
            if indent <= 3 && closes(trimmed, c, len) {
                if let Some(from) = internal {
                    out.push(from..at);
                }
                fence = None;
            }
            continue;
        }
        if indent <= 3
            && let Some((c, len, info)) = opens(trimmed)
        {
            let internal = info.split_whitespace().next() == Some("internal");
            fence = Some((c, len, internal.then_some(start)));
            continue;
        }
        let Some((level, heading)) = (indent <= 3).then(|| atx(trimmed)).flatten() else {
            continue;
        };
        if let Some((open, from)) = section
            && level <= open
        {
            out.push(from..start);
            section = None;
        }
        if section.is_none() && marked_internal(heading) {
            section = Some((level, start));
        }
    }
    if let Some((_, _, Some(from))) = fence {
        // An unclosed fence runs to the end, as Markdown reads it.
        out.push(from..text.len());
    }
    if let Some((_, from)) = section {
        out.push(from..text.len());
    }
    out.sort_by_key(|r| r.start);
    out
}

/// `text` with every passage blank: each byte a space but line breaks, so that every
/// other byte keeps its offset, line and column.
pub fn blank(text: &str, passages: &[Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for range in passages {
        for b in &mut bytes[range.start.min(text.len())..range.end.min(text.len())] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Passages are whole lines, so no character is cut; were one cut, its bytes are
    // replaced rather than trusted.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether `offset` lies in one of `passages`.
pub fn contains(passages: &[Range<usize>], offset: usize) -> bool {
    passages.iter().any(|r| r.contains(&offset))
}

/// A fence's opening line: its character, length and info string.
fn opens(line: &str) -> Option<(u8, usize, &str)> {
    let c = *line.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let len = line.bytes().take_while(|&b| b == c).count();
    let info = &line[len..];
    // A backtick fence's info string holds no backtick (that is inline code).
    (len >= 3 && !(c == b'`' && info.contains('`'))).then_some((c, len, info.trim()))
}

fn closes(line: &str, c: u8, len: usize) -> bool {
    let n = line.bytes().take_while(|&b| b == c).count();
    n >= len && line[n..].trim().is_empty()
}

/// An ATX heading's level and text.
fn atx(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[level..];
    ((1..=6).contains(&level) && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then_some((level, rest.trim()))
}

/// Whether a heading's attributes (`{#id .internal}`, at its end) hold the class.
fn marked_internal(heading: &str) -> bool {
    let heading = heading.trim_end_matches(|c: char| c == '#' || c.is_whitespace());
    let Some(attrs) = heading
        .strip_suffix('}')
        .and_then(|h| h.rfind('{').map(|i| &h[i + 1..]))
    else {
        return false;
    };
    attrs.split_whitespace().any(|a| a == ".internal")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passages(text: &str) -> Vec<&str> {
        find(text, 0).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn a_fenced_block_is_internal_from_fence_to_fence() {
        let text = "Intro.\n\n```internal\nCustomer ACME-42.\n```\n\nAfter.\n";
        assert_eq!(passages(text), ["```internal\nCustomer ACME-42.\n```\n"]);
        let text = "~~~~ internal note\nx\n~~~\nstill in\n~~~~\nout\n";
        assert_eq!(
            passages(text),
            ["~~~~ internal note\nx\n~~~\nstill in\n~~~~\n"]
        );
    }

    #[test]
    fn other_fences_are_not_and_hide_headings() {
        let text = "```sh\n## Not a heading {.internal}\n```\n```internals\nx\n```\n";
        assert!(passages(text).is_empty());
    }

    #[test]
    fn a_marked_section_runs_to_the_next_heading_of_its_level() {
        let text = "## Timeline\n\nA.\n\n### Calls {.internal}\n\nB.\n\n#### Sub\n\nC.\n\n### Next\n\nD.\n";
        assert_eq!(
            passages(text),
            ["### Calls {.internal}\n\nB.\n\n#### Sub\n\nC.\n\n"]
        );
        let text = "## A {#a .internal}\n```\n## in code\n```\nx\n# Top\n";
        assert_eq!(
            passages(text),
            ["## A {#a .internal}\n```\n## in code\n```\nx\n"]
        );
    }

    #[test]
    fn unclosed_passages_run_to_the_end() {
        assert_eq!(passages("a\n```internal\nb\n"), ["```internal\nb\n"]);
        assert_eq!(passages("## X {.internal}\nb"), ["## X {.internal}\nb"]);
    }

    #[test]
    fn blanking_keeps_every_offset() {
        let text = "a\n```internal\nCafé ☕\r\n```\nb\n";
        let blank = blank(text, &find(text, 0));
        assert_eq!(blank.len(), text.len());
        assert_eq!(blank.lines().count(), text.lines().count());
        assert!(!blank.contains("Caf"));
        assert!(blank.starts_with("a\n") && blank.ends_with("\nb\n"));
    }
}
