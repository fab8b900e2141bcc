//! The anchor automaton: the words a finding needs, found in one pass over a block.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::failings::{BAD_WORDS, DESTRUCTIVE_WORDS, FAILING_WORDS, FAULT_WORDS, JUDGING_ADVERBS};
use super::phrases::{BEHAVIOUR_PHRASES, BLAME_PHRASES, HUMAN_ERROR};

/// Outside the Action Items and the Improvement Opportunities, a sentence can hold a
/// finding only if it holds one of these (matched in lower case, anywhere): the
/// judging phrases, and the words the rules on people turn on, spelt specifically
/// enough to be rare in blameless prose ("failed to", not "fail"; "'s error", not
/// "error"). `lint_block` finds them with one automaton pass and hands only their
/// sentences to `gate`; a test holds every rule's sentences to it.
pub(super) const ANCHORS: &[&str] = &[
    // Failings.
    "forg",
    "ignor",
    "neglect",
    "overlook",
    "misread",
    "misconfig",
    "misjudg",
    "mishandl",
    "mistyp",
    "overrod",
    "overrid",
    "bypass",
    "botch",
    "blunder",
    "fat-finger",
    "fat finger",
    "rubber",
    "rush",
    "skip",
    "brok",
    "break",
    "missed",
    "misses",
    "messed",
    "screwed",
    "failed to",
    "fail to",
    "fails to",
    "failing to",
    "caused",
    "causing",
    "cause",
    "causes",
    "disregard",
    "circumvent",
    "sidestep",
    "slacked",
    "misus",
    "misunderst",
    "misinterpret",
    "misclick",
    "mis-typ",
    "interfer",
    "meddl",
    "tinker",
    "fiddl",
    "fumbl",
    "bungl",
    "goof",
    "flout",
    "violat",
    "refus",
    "declin",
    "omit",
    // Destruction.
    "delet",
    "dropped",
    "dropping",
    "drop",
    "truncat",
    "wiped",
    "wiping",
    "destroy",
    "overload",
    "purg",
    "erased",
    "nuked",
    "corrupt",
    "overwr",
    "clobber",
    "force-push",
    // Manner, state and habit.
    "carelessly",
    "recklessly",
    "hastily",
    "lazily",
    "thoughtless",
    "negligen",
    "sloppi",
    "blindly",
    "stupid",
    "irresponsib",
    "cavalier",
    "haphazard",
    "heedless",
    "mindless",
    "foolish",
    "rashly",
    "unthinking",
    "wrongly",
    "incorrectly",
    "wrong",
    "mistake",
    "accident",
    "inadvertent",
    "as usual",
    "as always",
    "like always",
    "like he always",
    "like she always",
    "like they always",
    "like he usually",
    "like she usually",
    "like they usually",
    "again",
    "anyway",
    "hurry",
    "impatien",
    "distract",
    "qualified",
    "unfit",
    "not fit",
    "inexperienced",
    "asleep",
    "napping",
    "afk",
    "slept",
    "habit",
    "tendency",
    "no idea",
    "too slow",
    "too late",
    "too busy",
    "too lazy",
    "too tired",
    "knew",
    "warned",
    "told",
    "let",
    "lets",
    "letting",
    "waved",
    "waving",
    "left",
    "leave",
    "leaving",
    "wanted",
    "worse",
    "wait",
    "hesitat",
    "did nothing",
    "pasted",
    "pasting",
    "leaked",
    "leaking",
    "exposed",
    "exposing",
    "untested",
    "unreviewed",
    "unauthori",
    "half-baked",
    "unapproved",
    "no business",
    // Negations before care.
    "did not",
    "never",
    "had not",
    "was not",
    "were not",
    "has not",
    "have not",
    "does not",
    "do not",
    "would not",
    "will not",
    "without",
    "instead of",
    "not having",
    "not to",
    "not follow",
    "not read",
    "not check",
    "not test",
    "not wait",
    "not tell",
    "not pay",
    "not look",
    "not listen",
    "not escalat",
    "not review",
    "not verif",
    "not notic",
    "not bother",
    "not car",
    "not do",
    "not respond",
    "not ask",
    "not inform",
    // Counterfactuals and prescriptions.
    "should",
    "ought",
    "supposed",
    "must",
    "could have",
    "could've",
    "might have",
    "might've",
    "need to",
    "needs to",
    "needed to",
    "has to",
    "have to",
    "is need",
    "if",
    "had better",
    "could improve",
    "could learn",
    "could try",
    "could do",
    // Causes.
    "due to",
    "because of",
    "caused by",
    "triggered by",
    "started by",
    "introduced by",
    "made by",
    "responsible",
    "is on",
    "was on",
    "down to",
    "took down",
    "take down",
    "brought down",
    "knocked",
    "made a",
    "made an",
    "make a",
    "makes a",
    "making a",
    "made things",
    "made it worse",
    "made matters",
    "lies with",
    "rests with",
    "sits with",
    "falls with",
    "fell with",
    "lay with",
    // Faults (besides `FAULT_WORDS` and `BAD_WORDS`, added below).
    "doing",
    "lack of",
    "error by",
    "error made",
    "errors by",
    "errors made",
    "failure by",
    "mistake by",
    "error was",
    "error is",
    "errors were",
    "fault was",
    "fault is",
    "typo by",
    "slow resp",
    "slow react",
    "slow repl",
    "slow ack",
    "slow escal",
    "slow handl",
    "ill-",
    "decision to",
    "choice to",
    "call to",
    "responsib",
    "job to",
    // Questions.
    "why",
    // Backhanded praise, read in What Went Well only (`gate::Kind::WentWell`).
    "for once",
    "anything else",
    "at least",
    "finally",
    "eventually",
    "this time",
    "for a change",
    "unlike",
    "despite",
    "in spite",
    "more than",
    "admitted",
    "confessed",
    "given his",
    "given her",
    "given their",
    "pity",
    "a shame",
    "actually",
    // States of a person (failings, judging adverbs and destruction: `failings.rs`).
    "complacen",
    "unprepared",
    "unfocused",
    "hungover",
    "drunk",
];
/// Anchors inside words or across punctuation, matched as they are.
pub(super) const INNER_ANCHORS: &[&str] = &[
    "n't",
    "?",
    // "Had Olga run…" after a full stop, a comma or a parenthesis (each a space in the
    // scanned copy), or a dash.
    "  had ",
    "— had ",
    "– had ",
    // "posted the token", "shared the secret".
    "ed the token",
    "ed a token",
    "ed the secret",
    "ed a secret",
    "ed the password",
    "ed the credential",
    "ed the api key",
    "ed the key",
    "ed the prod",
    "ed the production",
    // "would have caught", "'d have noticed".
    "d have caught",
    "d have noticed",
    "d have seen",
    "d have spotted",
    "d have known",
    "d have checked",
    "d have prevented",
    "d have avoided",
    "d have stopped",
    "d have realised",
    "d have realized",
    "d have found",
    "would've",
];

/// The automaton over the anchors, the judging and behaviour phrases and "root
/// cause", for a copy of the text in lower case with its ASCII punctuation made
/// spaces (`anchor_text`): every anchor but the `INNER_ANCHORS` starts a word. A DFA,
/// one table step per byte.
pub(in crate::language) static ANCHOR: LazyLock<Anchors> = LazyLock::new(|| {
    // A possessive before a fault or a bad choice ("Mark's mess", "her confusion"):
    // the rarer words alone, the commoner ones after a possessive.
    const COMMON: &[&str] = &[
        "error", "errors", "failure", "failures", "mess", "call", "job", "doing", "slow", "poor",
        "bad", "wrong", "repeated", "lack", "habit", "decision", "choice", "typo", "fault", "own",
    ];
    let mut words: Vec<String> = ANCHORS
        .iter()
        .chain(BLAME_PHRASES)
        .chain(HUMAN_ERROR)
        .chain(BEHAVIOUR_PHRASES)
        .chain(&["root cause"])
        .chain(FAILING_WORDS)
        .chain(JUDGING_ADVERBS)
        .chain(DESTRUCTIVE_WORDS)
        .chain(
            FAULT_WORDS
                .iter()
                .chain(BAD_WORDS)
                .filter(|w| !COMMON.contains(w)),
        )
        .map(|a| format!(" {}", a.trim()))
        .collect();
    for w in COMMON.iter().chain(&[
        "decision",
        "choice",
        "call",
        "responsibility",
        "job",
        "doing",
    ]) {
        for owner in ["'s", "s'", " his", " her", " their", " your"] {
            words.push(format!("{owner} {w}"));
        }
    }
    words.extend(INNER_ANCHORS.iter().map(|a| a.to_string()));
    // Markdown's typography writes "didn’t": both apostrophes.
    let curly: Vec<String> = words
        .iter()
        .filter(|a| a.contains('\''))
        .map(|a| a.replace('\'', "’"))
        .collect();
    words.extend(curly);
    let checks = words.iter().map(|w| Check::of(w)).collect();
    Anchors {
        automaton: AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&words)
            .expect("valid anchors"),
        checks,
    }
});

/// The anchor automaton, and for each of its patterns the check its match needs.
pub(in crate::language) struct Anchors {
    pub(in crate::language) automaton: AhoCorasick,
    pub(in crate::language) checks: Vec<Check>,
}

/// What must stand near a common anchor for its sentence to go on to the gate.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::language) enum Check {
    /// Nothing: the anchor is rare enough.
    None,
    /// A word of care within a few words after a negation ("did not even check").
    Care,
    /// "waited … before escalating".
    Response,
    /// "knew … was required".
    Knew,
    /// "let … expire".
    Let,
    /// "left … on".
    Left,
    /// "if … had".
    Had,
    /// A question that asks why, who, or what someone was doing.
    Question,
    /// Nothing, but only in What Went Well: backhanded praise ("unlike the on-call").
    Praise,
}

impl Check {
    fn of(anchor: &str) -> Check {
        let anchor = anchor.trim().replace('’', "'");
        match anchor.as_str() {
            "did not" | "never" | "had not" | "was not" | "were not" | "has not" | "have not"
            | "does not" | "do not" | "would not" | "will not" | "without" | "instead of"
            | "not having" | "not to" | "n't" => Check::Care,
            "wait" => Check::Response,
            "knew" => Check::Knew,
            "let" | "lets" | "letting" | "waved" | "waving" => Check::Let,
            "left" | "leave" | "leaving" => Check::Left,
            "if" => Check::Had,
            "?" => Check::Question,
            "this time" | "for a change" | "unlike" | "despite" | "in spite" | "more than"
            | "admitted" | "confessed" | "given his" | "given her" | "given their" | "pity"
            | "a shame" | "actually" => Check::Praise,
            _ => Check::None,
        }
    }
}

/// The copy of `text` that `ANCHOR` scans: two spaces, then `text` with ASCII letters
/// in lower case and ASCII punctuation but `'`, `?` and `-` made spaces, byte for byte
/// (a match at `i` is at `i - 2` in `text`).
pub(in crate::language) fn anchor_text(text: &str) -> Vec<u8> {
    const TABLE: [u8; 256] = {
        let mut table = [b' '; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            table[b] = match c {
                b'A'..=b'Z' => c + 32,
                b'a'..=b'z' | b'0'..=b'9' | b'\'' | b'?' | b'-' | 0x80.. => c,
                _ => b' ',
            };
            b += 1;
        }
        table
    };
    let mut out = Vec::with_capacity(text.len() + 2);
    out.extend_from_slice(b"  ");
    out.extend(text.bytes().map(|b| TABLE[b as usize]));
    out
}
