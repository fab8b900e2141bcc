//! One sentence, word by word: who its subject is, and the rules that find blame in it.

use std::borrow::Cow;
use std::collections::HashSet;

use super::names_in_context;
use super::words::*;
use crate::diagnostics::Code;
use crate::model::{ProseBlock, TIMELINE};

/// A word of a sentence: its text as written, lower-cased, and byte range.
#[derive(Debug, Clone)]
pub(super) struct Word<'a> {
    pub(super) text: &'a str,
    /// Lower-cased, with ’ as '. Borrowed when the text already is.
    pub(super) lower: Cow<'a, str>,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) fn words(sentence: &str) -> Vec<Word<'_>> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '\'' | '’' | '@' | '-' | '_' | '.');
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in sentence
        .char_indices()
        .chain(std::iter::once((sentence.len(), ' ')))
    {
        match (start, is_word(c)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let text = sentence[s..i].trim_end_matches(['.', '\'', '’', '-']);
                if !text.is_empty() {
                    let plain = !text.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80);
                    out.push(Word {
                        text,
                        lower: if plain {
                            Cow::Borrowed(text)
                        } else {
                            Cow::Owned(text.to_lowercase().replace('’', "'"))
                        },
                        start: s,
                        end: s + text.len(),
                    });
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Who a subject is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Subject {
    Person,
    /// "I", "we": owning a decision is not blame.
    FirstPerson,
    Other,
}

/// What the lint knows about the people of one post-mortem.
pub(super) struct People<'a> {
    /// Configured names, and the authors' and participants'.
    pub(super) names: HashSet<String>,
    /// Names seen in person-like context in the prose, found only when first needed:
    /// most sentences never ask.
    pub(super) inferred: std::cell::OnceCell<HashSet<String>>,
    pub(super) prose: &'a [ProseBlock],
}

impl People<'_> {
    pub(super) fn is_name(&self, w: &Word) -> bool {
        let first = w.text.chars().next();
        let name = w.lower.trim_end_matches("'s");
        first.is_some_and(char::is_uppercase)
            && (self.names.contains(name)
                || self
                    .inferred
                    .get_or_init(|| names_in_context(self.prose))
                    .contains(name))
    }

    pub(super) fn is_known(&self, lower: &str) -> bool {
        self.names.contains(lower)
    }
}

/// Classifies the words ending just before `at` (skipping adverbs) as a subject.
pub(super) fn subject_before(ws: &[Word], at: usize, people: &People) -> (Subject, usize) {
    let mut i = at;
    while i > 0 && ADVERBS.contains(&ws[i - 1].lower.as_ref()) {
        i -= 1;
    }
    // "an engineer who did not bother": the subject stands before "who".
    if i >= 2 && matches!(ws[i - 1].lower.as_ref(), "who" | "that") {
        i -= 1;
    }
    if i == 0 {
        return (Subject::Other, at);
    }
    let w = &ws[i - 1];
    let lower = w.lower.as_ref();
    let subject = if matches!(lower, "i" | "we") {
        Subject::FirstPerson
    } else if matches!(lower, "he" | "she" | "you")
        || lower.starts_with('@')
        || people.is_name(w)
        || is_role(ws, i - 1)
    {
        Subject::Person
    } else {
        Subject::Other
    };
    (subject, i - 1)
}

/// Whether word `i` is an individual role: "the engineer", "the on-call engineer".
pub(super) fn is_role(ws: &[Word], i: usize) -> bool {
    let lower = ws[i].lower.trim_end_matches("'s");
    let new_hire = lower == "hire" && i > 0 && ws[i - 1].lower == "new";
    if !(ROLES.contains(&lower) || new_hire) {
        return false;
    }
    // A role word used as a modifier ("the on-call rotation") is not a subject, so the
    // word must be preceded by a determiner or another role word.
    i > 0 && {
        let before = ws[i - 1].lower.as_ref();
        DETERMINERS.contains(&before) || ROLES.contains(&before)
    }
}

/// Whether the words from `at` spell `phrase`.
pub(super) fn phrase_at(ws: &[Word], at: usize, phrase: &[&str]) -> bool {
    phrase
        .iter()
        .enumerate()
        .all(|(k, p)| ws.get(at + k).is_some_and(|w| w.lower == *p))
}

/// A finding within a sentence: code, byte range in the sentence, message, help.
pub(super) struct Finding {
    pub(super) code: Code,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) message: String,
    pub(super) help: String,
}

pub(super) fn lint_sentence(
    sentence: &str,
    section: Option<&str>,
    people: &People,
) -> Vec<Finding> {
    let ws = words(sentence);
    let mut out = Vec::new();
    let in_timeline = section == Some(TIMELINE);
    let in_actions = section == Some("Action Items");
    let quote = |s: usize, e: usize| sentence[s..e].trim().to_owned();

    // 1. A person as the subject of a failure, or at fault.
    for at in 0..ws.len() {
        let failure = JUDGING_FAILURES
            .iter()
            .chain(if in_timeline {
                [].iter()
            } else {
                FACT_FAILURES.iter()
            })
            .find(|p| phrase_at(&ws, at, p));
        if let Some(p) = failure {
            let (subject, from) = subject_before(&ws, at, people);
            if subject == Subject::Person {
                let end = ws[at + p.len() - 1].end;
                out.push(Finding {
                    code: Code::PersonAsCause,
                    start: ws[from].start,
                    end,
                    message: format!("\"{}\" names a person as the cause", quote(ws[from].start, end)),
                    help: "describe the condition that allowed it, e.g. \"the pipeline had no staging step for migrations\"".to_owned(),
                });
            }
        }
        // "Mike's fault", "the intern's mistake", "his error".
        let w = &ws[at];
        let fault_next = ws
            .get(at + 1)
            .is_some_and(|n| FAULT_NOUNS.contains(&n.lower.as_ref()));
        let possessor = (w.lower.ends_with("'s")
            && (w.lower.starts_with('@') || people.is_name(w) || is_role(&ws, at)))
            || matches!(w.lower.as_ref(), "his" | "her" | "your");
        if fault_next && possessor {
            let end = ws[at + 1].end;
            out.push(Finding {
                code: Code::PersonAsCause,
                start: w.start,
                end,
                message: format!("\"{}\" names a person as the cause", quote(w.start, end)),
                help: "describe the conditions that made the outcome possible, not whose it was"
                    .to_owned(),
            });
        }
    }

    // 2. Blame and hindsight words.
    for m in BLAME.find_iter(sentence) {
        let (s, e) = (m.start(), m.end());
        let boundary = |i: usize, before: bool| {
            let c = if before {
                sentence[..i].chars().next_back()
            } else {
                sentence[i..].chars().next()
            };
            !c.is_some_and(|c| c.is_alphanumeric() || c == '-')
        };
        if !boundary(s, true) || !boundary(e, false) {
            continue;
        }
        let phrase = sentence[s..e].to_lowercase();
        // "human error budget" and "careless" as a quoted label are still caught; "error
        // budget" alone never matches. "Obviously" about a display is hindsight too.
        out.push(Finding {
            code: Code::BlameWords,
            start: s,
            end: e,
            message: format!("\"{}\" judges with hindsight", &sentence[s..e]),
            help: if phrase.contains("error") {
                "name the conditions that made the error likely and its effect possible".to_owned()
            } else {
                "say what made the action reasonable at the time, and what would have made the risk visible".to_owned()
            },
        });
    }

    // 3. Counterfactuals about a person; "if Mike had …".
    for at in 0..ws.len() {
        if let Some(modal) = MODALS.iter().find(|m| phrase_at(&ws, at, m)) {
            let (subject, from) = subject_before(&ws, at, people);
            if subject == Subject::Person {
                let end = ws[(at + modal.len()).min(ws.len() - 1)].end;
                out.push(Finding {
                    code: Code::PersonCounterfactual,
                    start: ws[from].start,
                    end,
                    message: format!("\"{}\" judges a person against hindsight", quote(ws[from].start, end)),
                    help: "ask what information they had, and how the system could make the safe action the easy one".to_owned(),
                });
            }
        }
        let had = (at + 2..(at + 5).min(ws.len()))
            .find(|&k| matches!(ws[k].lower.as_ref(), "had" | "hadn't"));
        if ws[at].lower == "if"
            && let Some(had) = had
        {
            let (subject, from) = subject_before(&ws, had, people);
            if from > at
                && subject == Subject::Person
                && ws.iter().skip(at).any(|w| w.lower == "would")
            {
                let end = ws[had].end;
                out.push(Finding {
                    code: Code::PersonCounterfactual,
                    start: ws[at].start,
                    end,
                    message: format!("\"{}…\" imagines a different person, not a different system", quote(ws[at].start, end)),
                    help: "describe what the system let happen, and what would make it visible or impossible".to_owned(),
                });
            }
        }
    }

    // 4. Questions that put someone on trial.
    if sentence.contains('?') && ws.len() >= 2 {
        let first = ws[0].lower.as_ref();
        let second = ws[1].lower.as_ref();
        let third = ws.get(2).map(|w| w.lower.as_ref()).unwrap_or("");
        let trial = match first {
            "why" => match second {
                "did" | "didn't" | "would" | "wouldn't" | "was" | "wasn't" => {
                    let (subject, _) = subject_before(&ws, 3.min(ws.len()), people);
                    matches!(third, "you" | "anyone" | "nobody" | "somebody" | "no-one")
                        || subject == Subject::Person
                        || (third == "the"
                            && ws.get(3).is_some_and(|w| ROLES.contains(&w.lower.as_ref())))
                }
                _ => false,
            },
            "who" => {
                matches!(
                    second,
                    "approved"
                        | "let"
                        | "allowed"
                        | "broke"
                        | "forgot"
                        | "signed"
                        | "pushed"
                        | "deployed"
                        | "merged"
                        | "caused"
                        | "missed"
                ) || (matches!(second, "is" | "was")
                    && matches!(third, "responsible" | "to" | "at"))
            }
            "whose" => matches!(second, "fault" | "mistake" | "idea" | "responsibility"),
            "what" => second == "were" && third == "you",
            "how" => second == "could" && matches!(third, "you" | "anyone" | "he" | "she"),
            _ => false,
        };
        if trial {
            out.push(Finding {
                code: Code::TrialQuestion,
                start: ws[0].start,
                end: sentence.trim_end().len(),
                message: "this question looks for a culprit".to_owned(),
                help: "ask \"How might we…?\" or \"What information did … have when…?\"".to_owned(),
            });
        }
    }

    // 5. Action items aimed at behaviour.
    if in_actions {
        out.extend(behaviour(sentence, &ws, people));
    }

    // 6. "Root cause" in the singular.
    for at in 0..ws.len().saturating_sub(1) {
        // "not a root cause", "rather than a single root cause" argue against the idea.
        let contrasted = ws[..at].iter().rev().take(3).any(|w| {
            matches!(
                w.lower.as_ref(),
                "not" | "than" | "no" | "single" | "instead"
            )
        });
        if ws[at].lower == "root" && ws[at + 1].lower == "cause" && !contrasted {
            let human = sentence[ws[at + 1].end..].to_lowercase();
            let human = human
                .trim_start_matches([':', ' ', '-', '—'])
                .starts_with("human error")
                || human.trim_start().starts_with("was human error");
            out.push(Finding {
                code: Code::RootCause,
                start: ws[at].start,
                end: ws[at + 1].end,
                message: if human {
                    "\"root cause: human error\" ends the inquiry where it should start".to_owned()
                } else {
                    "\"root cause\" suggests a single cause".to_owned()
                },
                help: "describe the contributing factors: the conditions that together made the incident possible".to_owned(),
            });
        }
    }
    out
}

/// Rule 5 on one sentence of an action item.
pub(super) fn behaviour(sentence: &str, ws: &[Word], people: &People) -> Vec<Finding> {
    let mut out = Vec::new();
    for m in BEHAVIOUR.find_iter(sentence) {
        let (s, e) = (m.start(), m.end());
        let before_ok = !sentence[..s]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let after = sentence[e..].chars().next();
        // "double-checks" and "retrained model" are about systems.
        let after_ok = !after.is_some_and(|c| c.is_alphanumeric());
        if !before_ok || !after_ok {
            continue;
        }
        // A tool doing the checking is a system: "a CI step that double-checks…".
        let preceding = sentence[..s].to_lowercase();
        let automated = [
            "automatically ",
            "that ",
            "which ",
            "tool to ",
            "bot to ",
            "script to ",
            "ci to ",
            "pipeline to ",
        ]
        .iter()
        .any(|p| preceding.ends_with(p));
        if automated {
            continue;
        }
        // "Retrain the model", "discipline" of a codebase: only people are retrained.
        let needs_person = ["retrain", "re-train", "reprimand", "discipline"]
            .iter()
            .any(|p| sentence[s..e].eq_ignore_ascii_case(p));
        if needs_person && !object_is_person(&sentence[e..], people) {
            continue;
        }
        out.push(Finding {
            code: Code::BehaviourAction,
            start: s,
            end: e,
            message: format!("\"{}\" asks people to behave differently", &sentence[s..e]),
            help: "suggest a change to a system or a process, e.g. \"make the deploy script refuse unreviewed migrations\"".to_owned(),
        });
    }
    for at in 0..ws.len() {
        let (a, b) = (
            ws[at].lower.as_ref(),
            ws.get(at + 1).map(|w| w.lower.as_ref()),
        );
        let person_next = || {
            ws.get(at + 2).is_some_and(|w| {
                people.is_name(w)
                    || w.lower.starts_with('@')
                    || matches!(
                        w.lower.as_ref(),
                        "him" | "her" | "he" | "she" | "everyone" | "engineers" | "staff"
                    )
                    || (ws
                        .get(at + 3)
                        .is_some_and(|r| ROLES.contains(&r.lower.as_ref()))
                        && DETERMINERS.contains(&w.lower.as_ref()))
            })
        };
        let hit = match (a, b) {
            ("talk", Some("to")) | ("speak", Some("to")) | ("make", Some("sure")) => person_next(),
            ("ensure", Some(_)) | ("remind", Some(_)) | ("have", Some(_)) | ("ask", Some(_)) => {
                object_is_person(&sentence[ws[at].end..], people)
            }
            _ => false,
        };
        if hit {
            let end = ws.get(at + 2).map_or(ws[at].end, |w| w.end);
            out.push(Finding {
                code: Code::BehaviourAction,
                start: ws[at].start,
                end,
                message: format!(
                    "\"{}\" aims the action at a person",
                    &sentence[ws[at].start..end]
                ),
                help:
                    "change the system so the right action is the easy one; own the item by a team"
                        .to_owned(),
            });
        }
    }
    out
}

/// Whether the words that follow name a person: a name, a pronoun, "everyone", or a
/// determiner and a role ("the on-call engineers").
pub(super) fn object_is_person(rest: &str, people: &People) -> bool {
    let ws = words(rest);
    let Some(first) = ws.first() else {
        return false;
    };
    let lower = first.lower.as_ref();
    people.is_name(first)
        || lower.starts_with('@')
        || matches!(
            lower,
            "him"
                | "her"
                | "everyone"
                | "everybody"
                | "engineers"
                | "staff"
                | "people"
                | "developers"
                | "reviewers"
        )
        || (DETERMINERS.contains(&lower)
            && ws.iter().skip(1).take(2).any(|w| {
                let w = w.lower.trim_end_matches('s');
                ROLES.contains(&w) || matches!(w, "engineer" | "developer")
            }))
}
