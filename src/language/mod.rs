//! The blameless-language lint: prose that puts a person on trial, in `check`, `build`
//! and the preview alike.
//!
//! It reads the prose blocks parsing made (no code, no block quotes, no URLs), masks
//! quotations, splits sentences with unicode-segmentation, and reads each sentence
//! word by word. Most rules need a *person*, recognised from the sentence itself: a
//! capitalised name that is not a product or one of the post-mortem's services, an
//! @handle, a pronoun, a role ("the new hire", "the vendor engineer"), "someone", a
//! team; configured names, authors and participants add to them. Systems as subjects
//! are never blame ("the alert failed to fire").
//!
//! Parsing runs it ([`findings`]) as soon as a post-mortem's prose is made, and keeps
//! the findings rather than the prose (`Incident::language`); `check::language`
//! reports them as diagnostics, or lints a parse that kept its prose.
//!
//! `words` holds the vocabulary, `person` reads a sentence (its clauses, and which of
//! its noun phrases are people), `sentence` holds the rules on one sentence; this file
//! finds the people of a post-mortem and runs the rules over its prose.

mod gate;
mod person;
mod sentence;
mod words;

use rustc_hash::FxHashSet;

use unicode_segmentation::UnicodeSegmentation;

use crate::diagnostics::{Code, Span};
use crate::model::{Incident, LanguageFinding, ProseBlock};
use person::People;
use sentence::lint_sentence;
use words::{ANCHOR, CUE, CUES_AFTER, Check};

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
fn names_in_context(prose: &[ProseBlock]) -> FxHashSet<String> {
    let mut names = FxHashSet::default();
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
    let mut names: FxHashSet<String> = configured.iter().map(|n| n.to_lowercase()).collect();
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
    // Services, teams and tags name systems: "Checkout failed to" is not a person.
    let mut things = FxHashSet::default();
    let meta = &incident.meta;
    for term in meta.services.iter().chain(&meta.teams).chain(&meta.tags) {
        let term = term.to_lowercase();
        for part in term
            .split(['-', '_', ' ', '.', '/'])
            .filter(|p| p.len() > 1)
        {
            things.insert(part.to_owned());
        }
        things.insert(term);
    }
    for name in &names {
        things.remove(name);
    }
    People {
        names,
        inferred: std::cell::OnceCell::new(),
        prose: &incident.body.prose,
        things,
    }
}

/// Lints one post-mortem's prose and its action items.
pub fn findings(incident: &Incident, configured_people: &[String]) -> Vec<LanguageFinding> {
    let people = people_of(incident, configured_people);
    let mut out = Vec::new();
    for block in &incident.body.prose {
        out.extend(lint_block(block, &people));
    }
    // The summary in front matter, read as the body's prose is.
    if let Some(summary) = &incident.meta.summary
        && !gate::sentences(summary, &people, gate::Kind::Other).is_empty()
    {
        let span = incident
            .declared
            .get("summary")
            .cloned()
            .unwrap_or_else(Span::file_start);
        let masked = mask_quotes(summary);
        for sentence in masked.split_sentence_bounds() {
            for f in lint_sentence(sentence, Some("Summary"), &people) {
                out.push(LanguageFinding {
                    code: f.code,
                    span: span.clone(),
                    message: format!("summary: {}", f.message),
                    help: f.help,
                });
            }
        }
    }
    // Action items declared in front matter: their titles, and who owns them.
    let span = incident
        .declared
        .get("action_items")
        .cloned()
        .unwrap_or_else(Span::file_start);
    for item in &incident.action_items {
        let findings = if !gate::sentences(&item.title, &people, gate::Kind::Actions).is_empty() {
            lint_sentence(&mask_quotes(&item.title), Some("Action Items"), &people)
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
    let section = block.section.as_deref();
    let kind = gate::Kind::of(section);
    let mut out = Vec::new();
    let mut masked: Option<String> = None;
    let mut lint = |from: usize, to: usize, out: &mut Vec<LanguageFinding>| {
        let masked = masked.get_or_insert_with(|| mask_quotes(&block.text));
        for (offset, sentence) in masked[from..to].split_sentence_bound_indices() {
            if sentence.trim().is_empty() {
                continue;
            }
            for f in lint_sentence(sentence, section, people) {
                out.push(LanguageFinding {
                    code: f.code,
                    span: block.span(from + offset + f.start, from + offset + f.end),
                    message: f.message,
                    help: f.help,
                });
            }
        }
    };
    // Only the sentences around an anchor (`words::anchors`) go through the gate, and
    // only those it lets through are segmented and read: most prose has neither. In
    // the action items and the improvement opportunities, a sentence that opens with
    // an imperative ("Coach Maria…") or a person and "to" or a modal ("Jo to be…",
    // "Jo will…", "we should…") goes through the gate as well.
    let windows = anchor_windows(&block.text, kind);
    for (from, to) in windows {
        for (a, b) in gate::sentences(&block.text[from..to], people, kind) {
            lint(from + a, from + b, &mut out);
        }
    }
    out
}

/// The stretches of `text` around its anchors that hold what the anchor's check
/// needs, each a sentence or a few; in the sections of `kind`.
fn anchor_windows(text: &str, kind: gate::Kind) -> Vec<(usize, usize)> {
    let scanned = words::anchor_text(text);
    let text_len = text.len();
    let mut anchors: Vec<(usize, usize, Check)> = ANCHOR
        .automaton
        .find_iter(&scanned)
        .map(|m| {
            let start = m.start().saturating_sub(2).min(text_len);
            let end = m.end().saturating_sub(2).clamp(start, text_len);
            (start, end, ANCHOR.checks[m.pattern().as_usize()])
        })
        .collect();
    if kind.actions() {
        anchors.extend(
            gate::imperatives(text)
                .into_iter()
                .map(|(start, end)| (start, end, Check::None)),
        );
        anchors.sort_unstable_by_key(|a| (a.0, a.1));
    }
    let mut done_until = 0;
    anchors
        .into_iter()
        .filter_map(|(start, end, check)| {
            if start < done_until || check == Check::Praise && kind != gate::Kind::WentWell {
                return None;
            }
            let window = sentence_window(text, start, end);
            if !gate::check(check, text, start, end, window.0, window.1) {
                return None;
            }
            done_until = window.1;
            Some(window)
        })
        .collect()
}

/// The stretch of `text` around `start..end` between the sentence ends before and
/// after it (a `.`, `?` or `!` followed by white space), which the gate and then
/// unicode-segmentation split properly.
fn sentence_window(text: &str, start: usize, end: usize) -> (usize, usize) {
    // "2 a.m. when…", "e.g. the…": a full stop two bytes after another ends no
    // sentence.
    let is_end = |bytes: &[u8], i: usize| {
        matches!(bytes[i], b'.' | b'?' | b'!')
            && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
            && !(bytes[i] == b'.' && i >= 2 && bytes[i - 2] == b'.')
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

    fn people(prose: &[ProseBlock]) -> People<'_> {
        People {
            names: FxHashSet::default(),
            inferred: std::cell::OnceCell::new(),
            prose,
            things: ["checkout", "orders", "orders-api"]
                .map(String::from)
                .into_iter()
                .collect(),
        }
    }

    fn block(section: &str, text: &str) -> ProseBlock {
        let section = match section {
            "timeline" => "Timeline",
            "contributing-factors" => "Contributing Factors",
            "what-went-well" => "What Went Well",
            "improvement-opportunities" => "Improvement Opportunities",
            "action-items" => "Action Items",
            _ => "Summary",
        };
        ProseBlock {
            text: text.to_owned(),
            map: vec![crate::model::ProsePos::default()],
            section: Some(section.into()),
        }
    }

    /// One sentence of each family, with the code it gets and the start of the
    /// suggestion it carries; and blameless sentences that get none.
    #[test]
    fn each_family_is_found_with_its_suggestion() {
        let cases: &[(&str, &str, Option<Code>, &str)] = &[
            (
                "timeline",
                "10:42 — Priya forgot to disable the cron job.",
                Some(Code::PersonAsCause),
                "describe the condition",
            ),
            (
                "summary",
                "The new hire dropped the users table in production.",
                Some(Code::PersonAsCause),
                "describe what let the action reach production",
            ),
            (
                "contributing-factors",
                "The vendor engineer disabled replication without telling us.",
                Some(Code::PersonAsCause),
                "name what made the step easy to skip",
            ),
            (
                "contributing-factors",
                "The on-call was not paying attention.",
                Some(Code::BlameWords),
                "say what the person saw",
            ),
            (
                "contributing-factors",
                "It was Ravi's oversight that the certificate was not renewed.",
                Some(Code::PersonAsCause),
                "describe the conditions",
            ),
            (
                "summary",
                "This outage was entirely Mark's fault.",
                Some(Code::PersonAsCause),
                "describe the conditions",
            ),
            (
                "contributing-factors",
                "Had Olga run the smoke tests, the outage would have ended here.",
                Some(Code::PersonCounterfactual),
                "describe what the system let happen",
            ),
            (
                "contributing-factors",
                "None of this would have happened if Sven had checked the lag.",
                Some(Code::PersonCounterfactual),
                "describe what the system let happen",
            ),
            (
                "improvement-opportunities",
                "Aroha ought to have escalated.",
                Some(Code::PersonCounterfactual),
                "ask what information they had",
            ),
            (
                "improvement-opportunities",
                "Why did Lee deploy during the freeze?",
                Some(Code::TrialQuestion),
                "ask about the situation instead: \"What made 'deploy during the freeze'",
            ),
            (
                "action-items",
                "Coach Maria on the failover procedure.",
                Some(Code::BehaviourAction),
                "change the system",
            ),
            (
                "action-items",
                "Talk to Ken about following the runbook.",
                Some(Code::BehaviourAction),
                "change the system",
            ),
            (
                "action-items",
                "Make sure Jo is more careful with credentials.",
                Some(Code::BehaviourAction),
                "change the system",
            ),
            (
                "action-items",
                "Discipline the engineer who disabled the alert.",
                Some(Code::BehaviourAction),
                "change the system",
            ),
            (
                "improvement-opportunities",
                "Tom needs to stop ignoring the lint warnings.",
                Some(Code::BehaviourAction),
                "ask \"How might we…?\"",
            ),
            (
                "summary",
                "The outage was caused by human error.",
                Some(Code::BlameWords),
                "name the conditions",
            ),
            (
                "timeline",
                "10:12 The deploy script failed to roll back.",
                None,
                "",
            ),
            (
                "contributing-factors",
                "The scheduler ignored the job's timeout.",
                None,
                "",
            ),
            (
                "contributing-factors",
                "Calling this human error would hide the missing confirmation prompt.",
                None,
                "",
            ),
            (
                "improvement-opportunities",
                "Why did the health check stay green?",
                None,
                "",
            ),
            (
                "contributing-factors",
                "A mistake in the YAML indentation moved the limits block.",
                None,
                "",
            ),
            ("timeline", "10:42 Ana rolled back the deploy.", None, ""),
            (
                "what-went-well",
                "Dawn's quick thinking kept the homepage up.",
                None,
                "",
            ),
            (
                "action-items",
                "Kenji to add the replication lag alert, due 2024-04-12.",
                None,
                "",
            ),
            (
                "contributing-factors",
                "If the migration had been tested on production-sized data, the lock would have shown.",
                None,
                "",
            ),
            (
                "timeline",
                "12:26 Olga: \"I skipped the smoke tests, they always fail.\"",
                None,
                "",
            ),
            (
                "summary",
                "The root cause was a missing index.",
                Some(Code::RootCause),
                "describe the contributing factors",
            ),
            // One of several causes, a practice, a heading: as real archives write.
            (
                "summary",
                "The primary root cause was CPU undersizing.",
                None,
                "",
            ),
            ("summary", "Root cause discovery took two days.", None, ""),
            ("summary", "Root Cause", None, ""),
            // An action item's title cut short by the adopt profile.
            (
                "action-items",
                "Establish a testing strategy - we should test lazy…",
                None,
                "",
            ),
            (
                "what-went-well",
                "For once he read the runbook before acting.",
                Some(Code::BlameWords),
                "say what went well",
            ),
            (
                "what-went-well",
                "For once the alerts fired exactly as designed.",
                None,
                "",
            ),
            (
                "what-went-well",
                "We recovered in spite of the intern.",
                Some(Code::BlameWords),
                "say what went well",
            ),
            (
                "what-went-well",
                "Despite the storm, Mei kept the channel calm.",
                None,
                "",
            ),
            (
                "action-items",
                "Write up Tobias for ignoring the change freeze.",
                Some(Code::BehaviourAction),
                "change the system",
            ),
            (
                "action-items",
                "Nnamdi must not be on call alone until further notice.",
                Some(Code::BehaviourAction),
                "change the system",
            ),
            (
                "improvement-opportunities",
                "Operators should not have to remember which cluster is production.",
                None,
                "",
            ),
            (
                "summary",
                "An overworked SRE copied the wrong connection string into the job.",
                Some(Code::PersonAsCause),
                "",
            ),
        ];
        for (section, text, code, help) in cases {
            let people = people(&[]);
            let found = lint_block(&block(section, text), &people);
            match code {
                Some(code) => {
                    let f = found.iter().find(|f| f.code == *code);
                    let f =
                        f.unwrap_or_else(|| panic!("{text}: {code:?} expected, found {found:?}"));
                    assert!(f.help.starts_with(help), "{text}: help {:?}", f.help);
                    assert!(!f.message.is_empty());
                }
                None => assert!(found.is_empty(), "{text}: {found:?}"),
            }
        }
    }

    /// The sentences of tests/fixtures/lint/rules.txt: each blame sentence is found and
    /// no blameless one, and the trigger prefilter, which lints only the sentences
    /// around a trigger word, finds what linting every sentence finds.
    #[test]
    fn the_trigger_prefilter_drops_no_finding() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lint/rules.txt");
        let text = std::fs::read_to_string(path).unwrap();
        let mut cases = 0;
        for line in text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let mut parts = line.splitn(3, " | ");
            let (section, label, sentence) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            let people = people(&[]);
            let block = block(section, sentence);
            let filtered: Vec<_> = lint_block(&block, &people)
                .into_iter()
                .map(|f| f.code)
                .collect();
            let masked = mask_quotes(sentence);
            let every: Vec<_> = masked
                .split_sentence_bounds()
                .flat_map(|s| lint_sentence(s, block.section.as_deref(), &people))
                .map(|f| f.code)
                .collect();
            assert_eq!(filtered, every, "{sentence}");
            assert_eq!(
                !filtered.is_empty(),
                label == "blame",
                "{label}: {sentence} {filtered:?}"
            );
            cases += 1;
        }
        assert!(cases > 250, "{cases} cases");
    }

    #[test]
    fn people_are_recognised_from_the_sentence() {
        use person::{Sentence, Who};
        let people = people(&[]);
        let who = |text: &str, word: &str| {
            let s = Sentence::new(text, &people, false);
            let at = s.ws.iter().position(|w| w.text == word).unwrap();
            s.np_at(at).map(|np| np.who)
        };
        assert_eq!(who("Priya forgot the key.", "Priya"), Some(Who::Named));
        assert_eq!(who("Then Oluwaseun ran it.", "Oluwaseun"), Some(Who::Named));
        assert_eq!(who("Will approved his own PR.", "Will"), Some(Who::Named));
        assert_eq!(who("Will the alert fire?", "Will"), None);
        assert_eq!(who("The vendor engineer ran it.", "The"), Some(Who::Role));
        assert_eq!(
            who("The on-call rotation had a gap.", "The"),
            Some(Who::Thing)
        );
        assert_eq!(who("The support team sat on it.", "The"), Some(Who::Team));
        assert_eq!(
            who("Reviewers need to read it.", "Reviewers"),
            Some(Who::Roles)
        );
        assert_eq!(
            who("Postgres ignored the setting.", "Postgres"),
            Some(Who::Thing)
        );
        assert_eq!(
            who("Checkout failed to load.", "Checkout"),
            Some(Who::Thing)
        );
        assert_eq!(
            who("Downstream actions were delayed.", "Downstream"),
            Some(Who::Thing)
        );
        assert_eq!(
            who("Combined with cache misses, it failed.", "Combined"),
            Some(Who::Thing)
        );
        assert_eq!(who("We paged the DBA.", "We"), Some(Who::FirstPerson));
        assert_eq!(who("Nobody noticed.", "Nobody"), Some(Who::Nobody));
        assert_eq!(who("Only one person knew.", "Only"), Some(Who::Nobody));
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
