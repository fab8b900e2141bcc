//! The blameless-language lint: prose that puts a person on trial, in `check`, `build`
//! and the preview alike.
//!
//! It reads the prose blocks parsing made (no code, no block quotes, no URLs), masks
//! quotations, splits sentences with unicode-segmentation, and matches each sentence
//! word by word. A finding needs a *person* as its subject: a configured or inferred
//! name, an @handle, "he"/"she"/"you", or an individual role ("the engineer", "the
//! on-call"); systems and teams as subjects are never blame.
//!
//! Parsing runs it ([`findings`]) as soon as a post-mortem's prose is made, and keeps
//! the findings rather than the prose (`Incident::language`); `check::language`
//! reports them as diagnostics, or lints a parse that kept its prose.
//!
//! `words` holds the vocabulary, `sentence` the rules on one sentence; this file
//! finds the people of a post-mortem and runs the rules over its prose.

mod sentence;
mod words;

use std::collections::HashSet;

use unicode_segmentation::UnicodeSegmentation;

use crate::diagnostics::{Code, Span};
use crate::model::{Incident, LanguageFinding, ProseBlock};
use sentence::*;
use words::*;

/// Replaces quoted text with spaces, byte for byte, so quotations are not linted and
/// offsets into the result are offsets into the original.
fn mask_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Option<char> = None;
    for c in text.chars() {
        let closing = match open {
            Some('“') => c == '”',
            Some('"') => c == '"',
            _ => false,
        };
        if closing {
            open = None;
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else if open.is_some() {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else if c == '“' || c == '"' {
            open = Some(c);
            out.push_str(if c == '"' { " " } else { "   " });
        } else {
            out.push(c);
        }
    }
    out
}

/// "Mike said", "paged Sarah": capitalised words next to a speech or cognition verb.
fn names_in_context(prose: &[ProseBlock]) -> HashSet<String> {
    let mut names = HashSet::new();
    for block in prose {
        let text = &block.text;
        for m in CUE.find_iter(text) {
            let boundary_before = !text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let boundary_after = !text[m.end()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if !boundary_before || !boundary_after {
                continue;
            }
            let cue = &text[m.start()..m.end()];
            let name = if CUES_AFTER.iter().any(|c| c.eq_ignore_ascii_case(cue)) {
                text[..m.start()]
                    .trim_end()
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
            } else {
                text[m.end()..]
                    .trim_start()
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
            };
            if let Some(name) = name.filter(|n| n.len() > 1) {
                let mut chars = name.chars();
                let capitalised =
                    chars.next().is_some_and(char::is_uppercase) && !chars.any(char::is_uppercase);
                if capitalised {
                    names.insert(name.to_lowercase());
                }
            }
        }
    }
    names
}

/// Names of people in this post-mortem: configured, authors and participants (first
/// names of `first.last` handles), and capitalised words seen in person-like context.
fn people_of<'a>(incident: &'a Incident, configured: &[String]) -> People<'a> {
    let mut names: HashSet<String> = configured.iter().map(|n| n.to_lowercase()).collect();
    let participants = incident
        .extra
        .get("participants")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str());
    for handle in incident
        .authors
        .iter()
        .map(String::as_str)
        .chain(participants)
    {
        for part in handle.split(['.', '_', ' ', '-']).filter(|p| p.len() > 1) {
            names.insert(part.to_lowercase());
        }
    }
    People {
        names,
        inferred: std::cell::OnceCell::new(),
        prose: &incident.body.prose,
    }
}

/// Lints one post-mortem's prose and its action items.
pub fn findings(incident: &Incident, configured_people: &[String]) -> Vec<LanguageFinding> {
    let people = people_of(incident, configured_people);
    let mut out = Vec::new();
    for block in &incident.body.prose {
        out.extend(lint_block(block, &people));
    }
    // Action items declared in front matter: their titles, and who owns them.
    let span = incident
        .declared
        .get("action_items")
        .cloned()
        .unwrap_or_else(Span::file_start);
    for item in &incident.action_items {
        let findings = if ACTION_TRIGGER.is_match(&item.title) {
            lint_sentence(&item.title, Some("Action Items"), &people)
        } else {
            Vec::new()
        };
        for f in findings {
            out.push(LanguageFinding {
                code: f.code,
                span: span.clone(),
                message: format!("action item {}: {}", item.id, f.message),
                help: f.help,
            });
        }
        if let Some(owner) = &item.owner
            && is_person(owner, &people)
        {
            out.push(LanguageFinding {
                code: Code::BehaviourAction,
                span: span.clone(),
                message: format!(
                    "action item {} is owned by a person (`{owner}`), not a team",
                    item.id
                ),
                help: "name the owning team, so the item survives people changing roles".to_owned(),
            });
        }
    }
    out
}

/// An owner that looks like a person: a `first.last` or @handle, an e-mail address, or
/// a known name.
fn is_person(owner: &str, people: &People) -> bool {
    let lower = owner.to_lowercase();
    let teamish = [
        "team", "squad", "guild", "group", "crew", "ops", "sre", "platform", "eng",
    ]
    .iter()
    .any(|t| lower.contains(t));
    !teamish && (lower.contains('.') || lower.contains('@') || people.is_known(&lower))
}

fn lint_block(block: &ProseBlock, people: &People) -> Vec<LanguageFinding> {
    let triggers = if block.section.as_deref() == Some("Action Items") {
        &*ACTION_TRIGGER
    } else {
        &*TRIGGER
    };
    let mut out = Vec::new();
    let mut masked: Option<String> = None;
    let mut done_until = 0;
    let lower = block.text.to_ascii_lowercase();
    // Only the sentences around a trigger word are segmented and matched: most prose
    // holds none, and segmenting every sentence of a large archive dominated the lint.
    for (start, end) in triggers.find_iter(&block.text, &lower) {
        if start < done_until {
            continue;
        }
        // Failures and modals only matter after a person: skip the sentence early when
        // the word before cannot be one ("the alert failed to", "it should").
        let trigger = &block.text[start..end];
        if SUBJECT_TRIGGERS
            .iter()
            .any(|t| t.eq_ignore_ascii_case(trigger))
            && !may_be_person(&block.text[..start])
        {
            continue;
        }
        let masked = masked.get_or_insert_with(|| mask_quotes(&block.text));
        let (from, to) = sentence_window(masked, start, end);
        done_until = to;
        for (offset, sentence) in masked[from..to].split_sentence_bound_indices() {
            if sentence.trim().is_empty() {
                continue;
            }
            for f in lint_sentence(sentence, block.section.as_deref(), people) {
                out.push(LanguageFinding {
                    code: f.code,
                    span: block.span(from + offset + f.start, from + offset + f.end),
                    message: f.message,
                    help: f.help,
                });
            }
        }
    }
    out
}

/// Whether the last word of `before` (skipping adverbs) could name a person: a
/// capitalised word, a pronoun, an @handle, a role, or "who"/"that" before one.
fn may_be_person(before: &str) -> bool {
    let mut rest = before;
    for _ in 0..4 {
        let trimmed = rest.trim_end();
        let start = trimmed
            .rfind(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '@' | '-' | '_')))
            .map_or(0, |i| {
                i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
            });
        let word = &trimmed[start..];
        if word.is_empty() {
            return false;
        }
        let lower = word.to_ascii_lowercase().replace('’', "'");
        let auxiliary = matches!(
            lower.as_str(),
            "didn't" | "did" | "not" | "has" | "have" | "had" | "was"
        );
        if ADVERBS.contains(&lower.as_str()) || auxiliary {
            rest = &trimmed[..start];
            continue;
        }
        let bare = lower.trim_end_matches("'s").trim_end_matches("’s");
        return word.chars().next().is_some_and(char::is_uppercase)
            || word.starts_with('@')
            || matches!(bare, "he" | "she" | "you" | "who" | "that" | "hire")
            || ROLES.contains(&bare);
    }
    false
}

/// The stretch of `text` around `start..end` between the sentence ends before and
/// after it (a `.`, `?` or `!` followed by white space), which unicode-segmentation
/// then splits properly.
fn sentence_window(text: &str, start: usize, end: usize) -> (usize, usize) {
    let is_end = |bytes: &[u8], i: usize| {
        matches!(bytes[i], b'.' | b'?' | b'!')
            && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
    };
    let bytes = text.as_bytes();
    let from = (0..start)
        .rev()
        .find(|&i| is_end(bytes, i))
        .map_or(0, |i| i + 1);
    let to = (end.saturating_sub(1)..bytes.len())
        .find(|&i| is_end(bytes, i))
        .map_or(bytes.len(), |i| i + 1);
    (from, to.max(end).min(bytes.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_match_as_a_case_insensitive_automaton() {
        let phrases = [SUBJECT_TRIGGERS, PHRASE_TRIGGERS, ACTION_TRIGGERS].concat();
        let reference = phrase_matcher(&phrases);
        let triggers = Triggers::new(&phrases);
        for text in [
            "",
            "Why did the engineer FAIL TO check? He Should have. Had he?",
            "??? who broke it?? — the on-call’s error, “obviously”; Human Error.",
            "Make sure to ask Bob. have a look; TRY HARDER, be Careful!",
            "überprüfen: Fehler? The deploy Caused é-mail loss, it must have",
            "root causes? rootcause ?x? should?could",
        ] {
            let expected: Vec<_> = reference
                .find_iter(text)
                .map(|m| (m.start(), m.end()))
                .collect();
            let lower = text.to_ascii_lowercase();
            let found: Vec<_> = triggers.find_iter(text, &lower).collect();
            assert_eq!(found, expected, "{text:?}");
            assert_eq!(
                triggers.is_match(text),
                reference.is_match(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn masking_keeps_byte_offsets() {
        for text in [
            "He said “you forgot” then left.",
            "A \"quoted\" word.",
            "Unclosed “quote…",
        ] {
            let masked = mask_quotes(text);
            assert_eq!(masked.len(), text.len(), "{text}");
            assert!(!masked.contains("forgot"));
        }
    }
}
