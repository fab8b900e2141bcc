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
//! the findings rather than the prose (`Incident::language`); [`check`] reports them,
//! or lints a parse that kept its prose.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use unicode_segmentation::UnicodeSegmentation;

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::model::{Incident, LanguageFinding, ProseBlock, TIMELINE};

/// Roles that name one individual.
const ROLES: &[&str] = &[
    "engineer",
    "intern",
    "on-call",
    "oncall",
    "dba",
    "developer",
    "dev",
    "operator",
    "reviewer",
    "admin",
    "administrator",
    "sre",
    "contractor",
    "deployer",
    "responder",
    "author",
    "employee",
    "newcomer",
    "new hire",
    "junior",
    "person",
    "individual",
    "programmer",
    "technician",
    "analyst",
    "tester",
];
/// Words that make the next word a role: "the engineer", "our intern".
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "our", "their", "that", "this", "one", "junior", "new", "on-call",
];
/// Adverbs that may stand between a subject and its verb.
const ADVERBS: &[&str] = &[
    "just",
    "also",
    "simply",
    "accidentally",
    "then",
    "apparently",
    "clearly",
    "obviously",
    "really",
    "probably",
    "definitely",
    "again",
    "still",
    "never",
    "carelessly",
    "somehow",
    "completely",
];
/// Failures that judge: flagged even in the Timeline.
const JUDGING_FAILURES: &[&[&str]] = &[
    &["failed", "to"],
    &["forgot"],
    &["ignored"],
    &["neglected"],
    &["overlooked"],
    &["messed", "up"],
    &["screwed", "up"],
    &["botched"],
    &["didn't", "bother"],
    &["did", "not", "bother"],
    &["blundered"],
    &["fat-fingered"],
    &["carelessly"],
];
/// Failures that may be plain facts in a Timeline ("02:14 the on-call missed the page").
const FACT_FAILURES: &[&[&str]] = &[&["missed"], &["broke"], &["caused"]];
/// "Mike's fault", "the intern's mistake".
const FAULT_NOUNS: &[&str] = &[
    "fault",
    "mistake",
    "error",
    "carelessness",
    "negligence",
    "blunder",
    "screw-up",
    "oversight",
];
const MODALS: &[&[&str]] = &[
    &["should", "have"],
    &["should've"],
    &["could", "have"],
    &["could've"],
    &["ought", "to"],
    &["should", "not", "have"],
    &["shouldn't", "have"],
    &["must", "have", "known"],
    &["would", "have", "known"],
    // Prescriptions for one person ("Omar should check the disk") aim at behaviour too.
    &["should"],
];

/// Blame and hindsight phrases, matched whole-word and case-insensitively.
const BLAME_PHRASES: &[&str] = &[
    "human error",
    "operator error",
    "user error",
    "pilot error",
    "careless",
    "carelessness",
    "negligent",
    "negligence",
    "sloppy",
    "lazy",
    "laziness",
    "incompetent",
    "incompetence",
    "reckless",
    "stupid",
    "dumb mistake",
    "poor judgement",
    "poor judgment",
    "bad judgement",
    "bad judgment",
    "should have known",
    "should've known",
    "ought to have known",
    "obviously",
    "just had to",
    "simply had to",
    "could simply have",
    "should simply have",
    "simply forgot",
    "clearly should",
    "should clearly",
    "clearly a mistake",
    "clearly wrong",
    "inexcusable",
    "unprofessional",
    "botched",
];
/// Action-item phrases aimed at behaviour.
const BEHAVIOUR_PHRASES: &[&str] = &[
    "be more careful",
    "be careful",
    "more carefully",
    "pay more attention",
    "pay attention",
    "remember to",
    "don't forget to",
    "don’t forget to",
    "do not forget to",
    "retrain",
    "re-train",
    "reprimand",
    "discipline",
    "disciplinary",
    "try harder",
    "be more vigilant",
    "be vigilant",
    "more diligent",
    "be more thorough",
    "double-check",
    "double check",
    "triple-check",
    "think twice",
];

static BLAME: LazyLock<AhoCorasick> = LazyLock::new(|| phrase_matcher(BLAME_PHRASES));

/// Triggers whose rules need a person as the subject just before them.
const SUBJECT_TRIGGERS: &[&str] = &[
    "failed to",
    "forgot",
    "ignored",
    "neglect",
    "overlook",
    "messed",
    "screwed",
    "bother",
    "blunder",
    "missed",
    "broke",
    "caused",
    "should",
    "could",
    "ought",
    "must have",
    "would have",
    " had ",
];

/// Words without which no rule can fire (with `SUBJECT_TRIGGERS`): only the sentences
/// around them are split and matched, which keeps the lint cheap on long archives.
const PHRASE_TRIGGERS: &[&str] = &[
    "botched",
    "fat-finger",
    "careless",
    "fault",
    "mistake",
    "'s error",
    "’s error",
    "his error",
    "her error",
    "your error",
    "human error",
    "operator error",
    "user error",
    "pilot error",
    "oversight",
    "?",
    "root cause",
    "negligen",
    "sloppy",
    "lazy",
    "incompeten",
    "reckless",
    "stupid",
    "judg",
    "obviously",
    "just had to",
    "simply had to",
    "clearly wrong",
    "clearly a mistake",
    "inexcusable",
    "unprofessional",
    "laziness",
];
/// Extra words for Action Items, where behaviour rules apply.
const ACTION_TRIGGERS: &[&str] = &[
    "careful",
    "attention",
    "remember",
    "forget",
    "train",
    "reprimand",
    "disciplin",
    "try harder",
    "vigilant",
    "diligent",
    "thorough",
    "check",
    "think twice",
    "talk to",
    "speak to",
    "make sure",
    "ensure",
    "remind",
    "have ",
    "ask ",
];
static TRIGGER: LazyLock<Triggers> =
    LazyLock::new(|| Triggers::new(&[SUBJECT_TRIGGERS, PHRASE_TRIGGERS].concat()));
static ACTION_TRIGGER: LazyLock<Triggers> =
    LazyLock::new(|| Triggers::new(&[SUBJECT_TRIGGERS, PHRASE_TRIGGERS, ACTION_TRIGGERS].concat()));

/// Finds trigger phrases as an ASCII-case-insensitive, leftmost-longest automaton over
/// them would, but scans a lower-cased copy of the text with a case-sensitive one:
/// that one gets aho-corasick's SIMD prefilter (Teddy) instead of a DFA step per byte,
/// which was 3% of a whole build's time (the scan reads all of the book's prose). The
/// one-byte `?`, which would make every position a candidate for the prefilter, is
/// found apart with memchr; no other phrase holds a `?`, so no match of one kind can
/// overlap one of the other, and merging the two in order gives the same matches.
/// Lower-casing only ASCII keeps every byte offset.
struct Triggers {
    words: AhoCorasick,
    question: bool,
}

impl Triggers {
    fn new(phrases: &[&str]) -> Triggers {
        let words: Vec<String> = phrases
            .iter()
            .filter(|p| **p != "?")
            .map(|p| p.to_ascii_lowercase())
            .collect();
        Triggers {
            words: AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(words)
                .expect("valid phrases"),
            question: phrases.contains(&"?"),
        }
    }

    /// The byte ranges of the phrases in `text`, in order; `lower` is
    /// `text.to_ascii_lowercase()`.
    fn find_iter<'a>(
        &'a self,
        text: &'a str,
        lower: &'a str,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        debug_assert_eq!(text.len(), lower.len());
        let mut words = self
            .words
            .find_iter(lower)
            .map(|m| (m.start(), m.end()))
            .peekable();
        let mut questions = memchr::memchr_iter(b'?', text.as_bytes())
            .filter(|_| self.question)
            .map(|at| (at, at + 1))
            .peekable();
        std::iter::from_fn(move || match (words.peek(), questions.peek()) {
            (Some(w), Some(q)) if q.0 < w.0 => questions.next(),
            (Some(_), _) => words.next(),
            (None, _) => questions.next(),
        })
    }

    fn is_match(&self, text: &str) -> bool {
        (self.question && text.contains('?')) || self.words.is_match(&text.to_ascii_lowercase())
    }
}

/// Verbs after a person's name ("Mike said") and before it ("paged Sarah").
const CUES_AFTER: &[&str] = &[
    "said",
    "asked",
    "told",
    "wrote",
    "thought",
    "decided",
    "realised",
    "realized",
    "explained",
    "replied",
    "suggested",
];
const CUES_BEFORE: &[&str] = &["paged", "thanked", "pinged", "messaged", "called"];
static CUE: LazyLock<AhoCorasick> =
    LazyLock::new(|| phrase_matcher(&[CUES_AFTER, CUES_BEFORE].concat()));
static BEHAVIOUR: LazyLock<AhoCorasick> = LazyLock::new(|| phrase_matcher(BEHAVIOUR_PHRASES));

fn phrase_matcher(phrases: &[&str]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(phrases)
        .expect("valid phrases")
}

/// A word of a sentence: its text as written, lower-cased, and byte range.
#[derive(Debug, Clone)]
struct Word<'a> {
    text: &'a str,
    /// Lower-cased, with ’ as '. Borrowed when the text already is.
    lower: Cow<'a, str>,
    start: usize,
    end: usize,
}

fn words(sentence: &str) -> Vec<Word<'_>> {
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
enum Subject {
    Person,
    /// "I", "we": owning a decision is not blame.
    FirstPerson,
    Other,
}

/// What the lint knows about the people of one post-mortem.
struct People<'a> {
    /// Configured names, and the authors' and participants'.
    names: HashSet<String>,
    /// Names seen in person-like context in the prose, found only when first needed:
    /// most sentences never ask.
    inferred: std::cell::OnceCell<HashSet<String>>,
    prose: &'a [ProseBlock],
}

impl People<'_> {
    fn is_name(&self, w: &Word) -> bool {
        let first = w.text.chars().next();
        let name = w.lower.trim_end_matches("'s");
        first.is_some_and(char::is_uppercase)
            && (self.names.contains(name)
                || self
                    .inferred
                    .get_or_init(|| names_in_context(self.prose))
                    .contains(name))
    }

    fn is_known(&self, lower: &str) -> bool {
        self.names.contains(lower)
    }
}

/// Classifies the words ending just before `at` (skipping adverbs) as a subject.
fn subject_before(ws: &[Word], at: usize, people: &People) -> (Subject, usize) {
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
fn is_role(ws: &[Word], i: usize) -> bool {
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
fn phrase_at(ws: &[Word], at: usize, phrase: &[&str]) -> bool {
    phrase
        .iter()
        .enumerate()
        .all(|(k, p)| ws.get(at + k).is_some_and(|w| w.lower == *p))
}

/// A finding within a sentence: code, byte range in the sentence, message, help.
struct Finding {
    code: Code,
    start: usize,
    end: usize,
    message: String,
    help: String,
}

fn lint_sentence(sentence: &str, section: Option<&str>, people: &People) -> Vec<Finding> {
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
fn behaviour(sentence: &str, ws: &[Word], people: &People) -> Vec<Finding> {
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
fn object_is_person(rest: &str, people: &People) -> bool {
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

/// One post-mortem's findings, as diagnostics: those parsing made (with the names of
/// people it was given, which `configured_people` then does not override), or else
/// from its prose now.
pub fn check(incident: &Incident, configured_people: &[String]) -> Vec<Diagnostic> {
    let made;
    let found = match &incident.language {
        Some(found) => found,
        None => {
            made = findings(incident, configured_people);
            &made
        }
    };
    found
        .iter()
        .map(|f| {
            Diagnostic::new(f.code, &incident.source, f.span.clone(), f.message.clone())
                .with_help(f.help.clone())
        })
        .collect()
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
