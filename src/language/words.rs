//! The lint's vocabulary: roles, phrases and triggers, and the automata that find them.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// Roles that name one individual.
pub(super) const ROLES: &[&str] = &[
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
pub(super) const DETERMINERS: &[&str] = &[
    "the", "a", "an", "our", "their", "that", "this", "one", "junior", "new", "on-call",
];
/// Adverbs that may stand between a subject and its verb.
pub(super) const ADVERBS: &[&str] = &[
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
pub(super) const JUDGING_FAILURES: &[&[&str]] = &[
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
pub(super) const FACT_FAILURES: &[&[&str]] = &[&["missed"], &["broke"], &["caused"]];
/// "Mike's fault", "the intern's mistake".
pub(super) const FAULT_NOUNS: &[&str] = &[
    "fault",
    "mistake",
    "error",
    "carelessness",
    "negligence",
    "blunder",
    "screw-up",
    "oversight",
];
pub(super) const MODALS: &[&[&str]] = &[
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
pub(super) const BLAME_PHRASES: &[&str] = &[
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
pub(super) const BEHAVIOUR_PHRASES: &[&str] = &[
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

pub(super) static BLAME: LazyLock<AhoCorasick> = LazyLock::new(|| phrase_matcher(BLAME_PHRASES));

/// Triggers whose rules need a person as the subject just before them.
pub(super) const SUBJECT_TRIGGERS: &[&str] = &[
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
pub(super) const PHRASE_TRIGGERS: &[&str] = &[
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
pub(super) const ACTION_TRIGGERS: &[&str] = &[
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
pub(super) static TRIGGER: LazyLock<Triggers> =
    LazyLock::new(|| Triggers::new(&[SUBJECT_TRIGGERS, PHRASE_TRIGGERS].concat()));
pub(super) static ACTION_TRIGGER: LazyLock<Triggers> =
    LazyLock::new(|| Triggers::new(&[SUBJECT_TRIGGERS, PHRASE_TRIGGERS, ACTION_TRIGGERS].concat()));

/// Finds trigger phrases as an ASCII-case-insensitive, leftmost-longest automaton over
/// them would, but scans a lower-cased copy of the text with a case-sensitive one:
/// that one gets aho-corasick's SIMD prefilter (Teddy) instead of a DFA step per byte,
/// which was 3% of a whole build's time (the scan reads all of the book's prose). The
/// one-byte `?`, which would make every position a candidate for the prefilter, is
/// found apart with memchr; no other phrase holds a `?`, so no match of one kind can
/// overlap one of the other, and merging the two in order gives the same matches.
/// Lower-casing only ASCII keeps every byte offset.
pub(super) struct Triggers {
    words: AhoCorasick,
    question: bool,
}

impl Triggers {
    pub(super) fn new(phrases: &[&str]) -> Triggers {
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
    pub(super) fn find_iter<'a>(
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

    pub(super) fn is_match(&self, text: &str) -> bool {
        (self.question && text.contains('?')) || self.words.is_match(&text.to_ascii_lowercase())
    }
}

/// Verbs after a person's name ("Mike said") and before it ("paged Sarah").
pub(super) const CUES_AFTER: &[&str] = &[
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
pub(super) const CUES_BEFORE: &[&str] = &["paged", "thanked", "pinged", "messaged", "called"];
pub(super) static CUE: LazyLock<AhoCorasick> =
    LazyLock::new(|| phrase_matcher(&[CUES_AFTER, CUES_BEFORE].concat()));
pub(super) static BEHAVIOUR: LazyLock<AhoCorasick> =
    LazyLock::new(|| phrase_matcher(BEHAVIOUR_PHRASES));

pub(super) fn phrase_matcher(phrases: &[&str]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(phrases)
        .expect("valid phrases")
}
