//! Word classes (one lookup gives all of a word's classes) and the lexicon that
//! assigns them.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::cues::*;
use super::failings::*;
use super::grammar::*;
use super::not_names::NOT_NAMES;
use super::people::*;
use super::phrases::{BEHAVIOUR_PHRASES, BLAME_PHRASES, HUMAN_ERROR};

/// Word classes, as bits: a word may have several ("that": determiner and clause lead).
pub(in crate::language) mod class {
    /// A noun naming one individual by role: "engineer", "intern", "on-call".
    pub const ROLE: u64 = 1;
    /// The plural of a role: "engineers", "new hires", "people".
    pub const ROLES: u64 = 1 << 1;
    /// A group of people: "team", "squad"; and departments written alone ("Support").
    pub const TEAM: u64 = 1 << 2;
    /// Opens a noun phrase: "the", "a", "our", "his".
    pub const DET: u64 = 1 << 3;
    /// Auxiliaries and modals: "was", "did", "should".
    pub const AUX: u64 = 1 << 4;
    pub const PREP: u64 = 1 << 5;
    /// Opens a clause: "because", "and", "although", "who".
    pub const LEAD: u64 = 1 << 6;
    /// May stand between a subject and its verb, or before a clause: "just", "clearly".
    pub const ADVERB: u64 = 1 << 7;
    /// A verb in the past tense or a past participle that does not end in -ed.
    pub const PAST: u64 = 1 << 8;
    /// A capitalised word that is not a person's name: common words that open
    /// sentences, products, days and months.
    pub const NOT_NAME: u64 = 1 << 9;
    /// Nouns a role word modifies when it is not the person: "on-call rotation".
    pub const ROLE_MODIFIED: u64 = 1 << 10;
    /// Words no person's predicate can start with but a clause can: "there", "it".
    pub const THING: u64 = 1 << 11;
    /// Care people take, which a person "did not" take: "check", "read", "test".
    pub const DILIGENCE: u64 = 1 << 12;
    /// Nouns of fault after a possessive: "Ravi's oversight".
    pub const FAULT: u64 = 1 << 13;
    /// Adjectives that make a possessed thing a fault: "Meron's bad merge".
    pub const BAD: u64 = 1 << 14;
    /// Verbs that damage or destroy: blame when aimed at production by a person.
    pub const DESTRUCTIVE: u64 = 1 << 15;
    /// Verbs that mark a failing of the subject: "forgot", "ignored", "skipped".
    pub const FAILING: u64 = 1 << 16;
    /// Failings that systems have too ("the job failed", "the deploy broke"): they
    /// count only after a definite person (a name, he or she, a role), never "they".
    pub const WEAK: u64 = 1 << 17;
    /// Adverbs that judge how a person acted: "carelessly", "recklessly".
    pub const JUDGING_ADVERB: u64 = 1 << 18;
    /// Verbs of an action item aimed at a person when a person follows: "coach",
    /// "retrain", "remind".
    pub const CORRECT: u64 = 1 << 19;
    /// A pronoun for a person: "he", "she", "you", "him", "her", "they", "them".
    pub const PERSONAL: u64 = 1 << 20;
    /// Nobody in particular: "nobody", "no-one", "none".
    pub const NOBODY: u64 = 1 << 21;
    /// "someone", "anyone", "everyone".
    pub const SOMEONE: u64 = 1 << 22;
    /// A noun that ends a timestamp or an id before a timeline entry: "UTC", "am".
    pub const TIME: u64 = 1 << 23;
    /// "his", "her", "their", "your": a person owns what follows.
    pub const OWNER: u64 = 1 << 24;

    // Cues for the gate (`words::gate`), which decides from word classes alone
    // whether any rule can find something in a sentence.
    /// A word a person's failing, state or deed turns on ("wrong", "usual", "hurry").
    pub const PRED: u64 = 1 << 25;
    /// A modal or conditional ("should", "had", "if", "needs").
    pub const MODAL: u64 = 1 << 26;
    /// A negation ("didn't", "never", "not").
    pub const NEG: u64 = 1 << 27;
    /// A word that starts a judging phrase, "human error", "root cause" or a
    /// behaviour asked of people: a finding needs no person.
    pub const TEXT: u64 = 1 << 28;
    /// A word that opens a question that may put someone on trial ("why", "who").
    pub const QWORD: u64 = 1 << 29;
    /// Bits that are cues only: they say nothing of whether a word is a name.
    /// The first and the second word of a multi-word judging or behaviour phrase
    /// ("human error", "be careful"): the gate looks the pair up.
    pub const FIRST: u64 = 1 << 30;
    pub const SECOND: u64 = 1 << 31;
    /// A behaviour asked of people, which only counts in the Action Items ("retrain").
    pub const ACT: u64 = 1 << 32;
    /// A word the gate reads with the words around it ("as usual", "could have",
    /// "let … expire"): `gate::combination` and `gate::modal_combination`.
    pub const COMBO: u64 = 1 << 33;
    pub const CUES: u64 = PRED | MODAL | NEG | TEXT | QWORD | FIRST | SECOND | ACT | COMBO;
}

use class::*;

/// Every word's classes, looked up once per word.
pub(in crate::language) static LEXICON: LazyLock<FxHashMap<&'static str, u64>> =
    LazyLock::new(|| {
        let mut map: FxHashMap<&'static str, u64> = FxHashMap::default();
        let groups: &[(&[&str], u64)] = &[
            (ROLE_WORDS, ROLE),
            (ROLE_PLURALS, ROLES),
            (TEAM_WORDS, TEAM),
            (DETERMINERS, DET),
            (AUXILIARIES, AUX),
            (PREPOSITIONS, PREP),
            (LEADS, LEAD),
            (ADVERBS, ADVERB | NOT_NAME),
            (IRREGULAR_PAST, PAST),
            (NOT_NAMES, NOT_NAME),
            (ROLE_MODIFIED_WORDS, ROLE_MODIFIED),
            (THINGS, THING),
            (DILIGENCE_WORDS, DILIGENCE),
            (FAULT_WORDS, FAULT),
            (BAD_WORDS, BAD),
            (DESTRUCTIVE_WORDS, DESTRUCTIVE),
            (FAILING_WORDS, FAILING),
            (WEAK_WORDS, FAILING | WEAK),
            (JUDGING_ADVERBS, JUDGING_ADVERB | ADVERB),
            (CORRECT_WORDS, CORRECT),
            (PERSONAL_WORDS, PERSONAL),
            (NOBODY_WORDS, NOBODY),
            (SOMEONE_WORDS, SOMEONE),
            (TIME_WORDS, TIME),
            (OWNER_WORDS, OWNER),
            (PRED_WORDS, PRED),
            (MODAL_WORDS, MODAL),
            (NEG_WORDS, NEG),
            (QUESTION_WORDS, QWORD),
            (COMBO_WORDS, COMBO),
        ];
        for (words, bits) in groups {
            for w in *words {
                *map.entry(w).or_default() |= bits;
            }
        }
        // The phrase lists' words: a one-word phrase is a cue by itself, a longer one by
        // its first two or three words (`PHRASE_KEYS`).
        for (phrases, single) in [
            (BLAME_PHRASES, TEXT),
            (HUMAN_ERROR, TEXT),
            (&["root cause"][..], TEXT),
            (BEHAVIOUR_PHRASES, ACT),
        ] {
            for phrase in phrases {
                let words: Vec<&'static str> = phrase.split(' ').take(3).collect();
                match words[..] {
                    [one] => *map.entry(one).or_default() |= single,
                    [first, .., last] => {
                        *map.entry(first).or_default() |= FIRST;
                        *map.entry(last).or_default() |= SECOND;
                    }
                    [] => {}
                }
            }
        }
        for month in crate::text::MONTHS.iter().filter(|m| **m != "may") {
            *map.entry(month).or_default() |= NOT_NAME;
        }
        // Plurals of roles ("dbas", "sres") that the list does not spell out.
        for w in ROLE_WORDS {
            let plural: &'static str = Box::leak(format!("{w}s").into_boxed_str());
            *map.entry(plural).or_default() |= ROLES;
        }
        map
    });

/// The first two or three words of the multi-word phrases, and whether the phrase is
/// a behaviour asked of people (which counts only in the Action Items).
pub(in crate::language) static PHRASE_KEYS: LazyLock<FxHashMap<String, bool>> =
    LazyLock::new(|| {
        let mut map = FxHashMap::default();
        for (phrases, behaviour) in [
            (BLAME_PHRASES, false),
            (HUMAN_ERROR, false),
            (&["root cause"][..], false),
            (BEHAVIOUR_PHRASES, true),
        ] {
            for phrase in phrases {
                let words: Vec<&str> = phrase.split(' ').take(3).collect();
                if words.len() > 1 {
                    let entry = map.entry(words.join(" ")).or_insert(behaviour);
                    *entry &= behaviour;
                }
            }
        }
        map
    });

/// A word's classes; 0 for a word the lexicon does not know.
pub(in crate::language) fn classes(lower: &str) -> u64 {
    LEXICON.get(lower).copied().unwrap_or(0)
}
