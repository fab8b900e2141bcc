//! The rules on one sentence. Each finds one family of blame:
//!
//! - a person as the cause: a person (`person::Who`) as the subject of a failing
//!   ("forgot", "didn't check", "without testing", "the wrong bucket", "by mistake"),
//!   or named as the cause ("caused by Will", "a mistake by the engineer"), or the
//!   owner of a fault ("Ravi's oversight", "Meron's bad merge");
//! - judging words ("careless", "asleep at the wheel") and "human error" given as a
//!   cause, not discussed as an idea;
//! - counterfactuals about people ("Had Olga run…", "if Sven had…", "ought to have")
//!   and prescriptions for them ("Tom needs to stop…");
//! - trial questions ("Why did Lee…?", "What was Björn thinking…?");
//! - action items aimed at a person ("Coach Maria on…", "Talk to Ken…", "Jo to be
//!   more careful");
//! - "root cause" in the singular.
//!
//! Every finding says what to write instead.

use super::person::{Np, People, Sentence, Who};
use super::words::class::*;
use super::words::{
    BEHAVIOUR, BLAME, CONCEPT, HUMAN, classes, knows, responds, ships, skipped_care, unvetted,
    warned_of,
};
use crate::diagnostics::Code;
use crate::model::TIMELINE;

/// A finding within a sentence: code, byte range in the sentence, message, help.
pub(super) struct Finding {
    pub(super) code: Code,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) message: String,
    pub(super) help: String,
}

/// The findings of one sentence: at most one per code, the first found.
#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, f: Finding) {
        if !self.0.iter().any(|g| g.code == f.code) {
            self.0.push(f);
        }
    }
}

pub(super) fn lint_sentence(
    sentence: &str,
    section: Option<&str>,
    people: &People,
) -> Vec<Finding> {
    let s = Sentence::new(sentence, people, section == Some(TIMELINE));
    if s.len() == 0 {
        return Vec::new();
    }
    let mut out = Findings::default();
    judging_words(&s, &mut out);
    person_as_cause(&s, &mut out);
    possessed_faults(&s, &mut out);
    counterfactuals(&s, &mut out);
    trial_questions(&s, &mut out);
    aimed_at_people(&s, section, &mut out);
    if section == Some("What Went Well") {
        backhanded_praise(&s, &mut out);
    }
    root_cause(&s, &mut out);
    out.0
}

impl Sentence<'_, '_> {
    /// Whether the words from `at` spell `phrase` (lower-cased, possessives bare).
    fn at(&self, at: usize, phrase: &[&str]) -> bool {
        phrase
            .iter()
            .enumerate()
            .all(|(k, p)| self.ws.get(at + k).is_some_and(|w| w.bare() == *p))
    }

    fn bare(&self, i: usize) -> &str {
        self.ws.get(i).map_or("", |w| w.bare())
    }

    /// The text of words `from..=to`.
    fn quote(&self, from: usize, to: usize) -> &str {
        self.text[self.ws[from].start..self.ws[to].end].trim()
    }

    /// Whether the sentence speaks of people in general, as a statement about
    /// people rather than about someone ("a person typing the wrong hostname is
    /// normal", "anyone could have made the same change").
    fn generic(&self) -> bool {
        let lower = self.text.to_lowercase();
        [
            "normal",
            "expected",
            "happen",
            "predictable",
            "inevitabl",
            "as people",
            "anyone could",
            "anyone can",
            "can make",
            "will always",
            "human nature",
            "steady rate",
        ]
        .iter()
        .any(|c| lower.contains(c))
    }

    /// Who did what the verb at word `k` says: the person or thing just before it
    /// (skipping adverbs, auxiliaries and "chose to"), else the clause's subject.
    fn doer(&self, k: usize) -> Option<Np> {
        let start = self.clause_start(k);
        let subject = self.subject_of(k);
        if self.bare(start) == "who" {
            return subject;
        }
        // Back over adverbs, auxiliaries and verbs: "chose to ignore", "stopped
        // ignoring", "had already broken".
        let mut j = k;
        while j > start {
            let w = &self.ws[j - 1];
            let skip = w.is(ADVERB | AUX)
                || (self.is_verbish(j - 1) && !w.is(PREP))
                || matches!(
                    w.bare(),
                    "to" | "bother"
                        | "just"
                        | "then"
                        | "keep"
                        | "keeps"
                        | "continue"
                        | "continues"
                        | "both"
                        | "all"
                        | "each"
                        | "together"
                        | "themselves"
                        | "himself"
                        | "herself"
                        | "start"
                        | "starts"
                        | "stop"
                        | "stops"
                        | "tend"
                        | "tends"
                        | "seem"
                        | "seems"
                        | "like"
                        | "likes"
                        | "prefer"
                        | "prefers"
                        | "refuse"
                        | "refuses"
                );
            if !skip {
                break;
            }
            j -= 1;
        }
        if j == start
            || subject.is_some_and(|np| np.start < j && j - 1 < np.end)
            || self.ws[j - 1].is(PREP | LEAD)
        {
            return subject;
        }
        let np = self.np_ending_at(j - 1)?;
        // "The author of the change did not…": the phrase after a preposition is not
        // the subject; the clause's is.
        if np.start > start && self.ws[np.start - 1].is(PREP) {
            return subject;
        }
        Some(np)
    }

    /// A person named after "by" (or "from"), past determiners and adjectives:
    /// "by a clearly distracted Leyla", "by the engineer on duty".
    fn agent_after(&self, k: usize) -> Option<Np> {
        let end = self.clause_end(k).min(k + 6);
        for j in k + 1..end {
            if self.is_name(j) {
                return Some(Np {
                    who: Who::Named,
                    start: j,
                    end: j + 1,
                });
            }
        }
        self.np_at(k + 1)
    }

    /// Whether the clause of word `k` (or the sentence) puts an action in production.
    fn in_production(&self, k: usize) -> bool {
        let (from, to) = (self.clause_start(k), self.clause_end(k));
        (from..to).any(|j| {
            matches!(
                self.bare(j),
                "production"
                    | "prod"
                    | "primary"
                    | "live"
                    | "wrong"
                    | "mistake"
                    | "accident"
                    | "accidentally"
                    | "again"
                    | "everyone"
                    | "everything"
                    | "both"
                    | "twice"
                    | "all"
            ) || self.bare(j).starts_with("production-")
        })
    }
}

impl Finding {
    /// A finding over the bytes `start..end` of the sentence.
    fn at(code: Code, start: usize, end: usize, message: String, help: &str) -> Finding {
        Finding {
            code,
            start,
            end,
            message,
            help: help.to_owned(),
        }
    }
}

/// Where a finding about the modal at word `k` starts: at its doer, when the doer
/// stands a few words before it ("Tom really should have…").
fn near_doer(doer: &Np, k: usize) -> usize {
    if doer.start <= k && k - doer.start <= 6 {
        doer.start
    } else {
        k
    }
}

/// A finding over the words `from..=to` of the sentence.
fn finding(
    s: &Sentence,
    code: Code,
    from: usize,
    to: usize,
    message: String,
    help: &str,
) -> Finding {
    Finding::at(code, s.ws[from].start, s.ws[to].end, message, help)
}

/// The words `from..=to` name a person as the cause ("due to Priya").
fn named_as_cause(s: &Sentence, from: usize, to: usize) -> Finding {
    finding(
        s,
        Code::PersonAsCause,
        from,
        to,
        format!("\"{}\" names a person as the cause", s.quote(from, to)),
        "describe the conditions that made the outcome possible, not whose it was",
    )
}

/// The words `from..=to` open a counterfactual about a person ("Had Olga run…").
fn imagines_another_person(s: &Sentence, from: usize, to: usize) -> Finding {
    finding(
        s,
        Code::PersonCounterfactual,
        from,
        to,
        format!(
            "\"{}…\" imagines a different person, not a different system",
            s.quote(from, to)
        ),
        "describe what the system let happen, and what would make the risk visible or the step automatic",
    )
}

/// What a person did that the sentence holds against them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failing {
    /// "forgot", "ignored", "skipped", "failed to": `weak` when systems do it too.
    Verb { weak: bool },
    /// "didn't check", "never tested", "wasn't paying attention".
    Neglect,
    /// "without testing", "instead of escalating".
    Without,
    /// "the wrong bucket", "wrongly", "carelessly".
    Manner,
    /// "by mistake", "as usual", ", again", "anyway".
    Habit,
    /// "in a hurry", "impatient", "knew it was risky", "did nothing".
    State,
    /// "dropped the users table in production".
    Destroyed,
    /// "merged the untested hotfix", "approved his own PR", "let it expire".
    Deed,
    /// "made a mistake", "made things worse".
    Error,
}

impl Failing {
    /// Whether the failing is a verb, whose doer is the word before it.
    fn is_verb(self) -> bool {
        matches!(
            self,
            Failing::Verb { .. }
                | Failing::Neglect
                | Failing::Destroyed
                | Failing::Deed
                | Failing::Error
        )
    }

    fn help(self) -> &'static str {
        match self {
            Failing::Verb { .. } | Failing::Manner => {
                "describe the condition that allowed it, e.g. \"the pipeline had no staging step for migrations\""
            }
            Failing::Neglect | Failing::Without => {
                "name what made the step easy to skip (not required, not visible, not automated), e.g. \"the deploy tool did not ask for the smoke tests\""
            }
            Failing::Habit | Failing::State => {
                "describe the pressures and signals at the time: what made the action reasonable to the person then"
            }
            Failing::Destroyed => {
                "describe what let the action reach production: the missing guard, confirmation or review"
            }
            Failing::Deed | Failing::Error => {
                "describe the conditions that made the outcome possible, e.g. \"review did not require a second approver\""
            }
        }
    }
}

/// The mistake a verb of making at `k` makes: "made a mistake", "making the same kind
/// of mistake".
fn made_a_mistake(s: &Sentence, k: usize) -> Option<usize> {
    if !matches!(
        s.bare(k + 1),
        "a" | "an" | "another" | "the" | "one" | "two" | "several"
    ) {
        return None;
    }
    let j = (k + 2..(k + 6).min(s.len())).find(|&j| {
        !matches!(
            s.bare(j),
            "same" | "kind" | "sort" | "type" | "of" | "exact" | "similar"
        )
    })?;
    matches!(
        s.bare(j),
        "mistake"
            | "mistakes"
            | "error"
            | "errors"
            | "typo"
            | "blunder"
            | "misstep"
            | "mess"
            | "slip"
    )
    .then_some(j)
}

/// The failing that word `k` starts, and its last word.
fn failing_at(s: &Sentence, k: usize) -> Option<(Failing, usize)> {
    let w = &s.ws[k];
    let bare = w.bare();
    let after = |n: usize| s.bare(k + n);
    let before = if k > 0 { s.bare(k - 1) } else { "" };
    // "the broken config", "an ignored alert": a participle used as an adjective.
    let adjective_before = k > 0
        && (s.ws[k - 1].is(BAD)
            || s.ws[k - 1].is(DET) && !matches!(before, "both" | "all" | "each" | "only")
            || before == "very");
    // A failing chosen: "decided to skip the canary", "chose to ignore the alert".
    if matches!(
        bare,
        "decided" | "chose" | "opted" | "elected" | "preferred" | "tried"
    ) && after(1) == "to"
        && k + 2 < s.len()
        && let Some(failing) = failing_at(s, k + 2)
    {
        return Some(failing);
    }
    // Negations of care: "didn't check", "never tested", "had not read".
    let negator_len = match bare {
        "didn't" | "didnt" | "never" | "hadn't" | "wasn't" | "weren't" | "haven't" | "hasn't"
        | "doesn't" | "don't" | "dont" => 1,
        "did" | "had" | "was" | "were" | "has" | "have" | "does" | "do" if after(1) == "not" => 2,
        "not" if after(1) == "having" => 2,
        // "caused by Will not following the checklist", "Yerlan not reading".
        "not"
            if s.ws
                .get(k + 1)
                .is_some_and(|v| v.is(DILIGENCE) && v.bare().ends_with("ing")) =>
        {
            1
        }
        "won't" | "wouldn't" => 1,
        "would" | "will" if after(1) == "not" => 2,
        "not"
            if after(1) == "to"
                && matches!(
                    before,
                    "chose" | "decided" | "opted" | "elected" | "preferred" | "choose" | "decide"
                ) =>
        {
            2
        }
        _ => 0,
    };
    if negator_len > 0 {
        let mut j = k + negator_len;
        let mut bothered = false;
        while s.ws.get(j).is_some_and(|w| {
            w.is(ADVERB) || matches!(w.bare(), "bother" | "bothered" | "to" | "even")
        }) && j < k + negator_len + 3
        {
            bothered |= s.bare(j).starts_with("bother");
            j += 1;
        }
        // "did not bother to write a rollback plan": whatever was not bothered with.
        if let Some(v) = s.ws.get(j)
            && (v.is(DILIGENCE) || bothered)
            && !matches!(s.bare(j + 1), "been")
        {
            return Some((Failing::Neglect, j));
        }
        // "did not do his job".
        if s.bare(j) == "do"
            && matches!(s.bare(j + 1), "his" | "her" | "their" | "your")
            && matches!(s.bare(j + 2), "job" | "work" | "part" | "homework")
        {
            return Some((Failing::Neglect, j + 2));
        }
        // "never turned it back on": a failing only of a definite person (not "they
        // never saw the failover", said of connection pools), and not of knowledge.
        if bare == "never"
            && s.ws
                .get(j)
                .is_some_and(|v| v.bare().ends_with("ed") || v.is(PAST))
            && !s.ws.get(j).is_some_and(|v| {
                knows(v.bare())
                    || matches!(
                        v.bare(),
                        "encountered"
                            | "reached"
                            | "arrived"
                            | "came"
                            | "went"
                            | "returned"
                            | "recovered"
                            | "finished"
                            | "completed"
                            | "worked"
                            | "fired"
                            | "triggered"
                            | "changed"
                            | "appeared"
                            | "showed"
                            | "shown"
                            | "paged"
                            | "alerted"
                            | "notified"
                            | "told"
                            | "asked"
                    )
            })
        {
            return Some((Failing::Verb { weak: true }, j));
        }
    }
    if w.is(FAILING) && !adjective_before {
        let fail = bare.starts_with("fail");
        if fail && after(1) != "to" {
            return None;
        }
        if bare.starts_with("caus") && after(1) == "by" {
            return None;
        }
        // "missed nothing", "broke nothing".
        if matches!(after(1), "nothing" | "no") {
            return None;
        }
        // "14:16 The on-call missed the first page": in the Timeline, a fact.
        if bare.starts_with("miss") && (s.timeline || bare == "missing") {
            return None;
        }
        let end = if fail || matches!(after(1), "up" | "down" | "out") {
            k + 1
        } else {
            k
        };
        return Some((Failing::Verb { weak: w.is(WEAK) }, end.min(s.len() - 1)));
    }
    if w.is(JUDGING_ADVERB) || bare == "incorrectly" {
        return Some((Failing::Manner, k));
    }
    match bare {
        "without" | "instead" => {
            let mut j = k + 1;
            if bare == "instead" {
                if after(1) != "of" {
                    return None;
                }
                j += 1;
            }
            while matches!(
                s.bare(j),
                "any"
                    | "a"
                    | "first"
                    | "properly"
                    | "even"
                    | "actually"
                    | "second"
                    | "proper"
                    | "to"
            ) {
                j += 1;
            }
            let next = s.ws.get(j)?;
            let noun = skipped_care(next.bare());
            // "without read it": the base form before its object, in non-native English.
            let base_form = matches!(s.bare(j + 1), "it" | "the" | "a" | "any" | "them" | "this");
            if (next.is(DILIGENCE) && (next.bare().ends_with("ing") || base_form)) || noun {
                return Some((Failing::Without, j));
            }
            None
        }
        "wrong" if matches!(before, "the" | "a") => {
            Some((Failing::Manner, (k + 1).min(s.len() - 1)))
        }
        "took" | "take" | "takes" | "taking" | "brought" | "bring" | "knocked"
            if matches!(after(1), "down" | "out") || bare == "knocked" && after(1) == "over" =>
        {
            Some((Failing::Verb { weak: true }, k + 1))
        }
        "by" if matches!(after(1), "mistake" | "accident") => Some((Failing::Habit, k + 1)),
        "accidentally" | "mistakenly" | "inadvertently" => Some((Failing::Habit, k)),
        "as" if matches!(after(1), "usual" | "always") => Some((Failing::Habit, k + 1)),
        // "like always", "like she always does", "as is his habit".
        "like" if after(1) == "always" => Some((Failing::Habit, k + 1)),
        "like"
            if matches!(after(1), "he" | "she" | "they")
                && matches!(after(2), "always" | "usually") =>
        {
            Some((Failing::Habit, k + 2))
        }
        "as" if s.at(k + 1, &["is"])
            && matches!(after(2), "his" | "her" | "their")
            && after(3) == "habit" =>
        {
            Some((Failing::Habit, k + 3))
        }
        "not" if s.at(k + 1, &["for", "the", "first", "time"]) => Some((Failing::Habit, k + 4)),
        "yet" | "once" if after(1) == "again" => Some((Failing::Habit, k + 1)),
        // ", again." closing a sentence: the sarcastic kind.
        "again" if s.opens[k] && k + 1 == s.len() => Some((Failing::Habit, k)),
        // "They knew the migration locks the table; they ran it at peak anyway."
        "anyway" if (0..k).any(|j| s.bare(j) == "knew") => Some((Failing::State, k)),
        "anyway"
            if matches!(
                before,
                "deploy"
                    | "deployed"
                    | "ship"
                    | "shipped"
                    | "push"
                    | "pushed"
                    | "merge"
                    | "merged"
                    | "proceed"
                    | "proceeded"
                    | "release"
                    | "released"
                    | "ahead"
                    | "continued"
                    | "went"
            ) =>
        {
            Some((Failing::Habit, k))
        }
        "in" if s.at(k + 1, &["a", "hurry"]) || s.at(k + 1, &["a", "rush"]) => {
            Some((Failing::State, k + 2))
        }
        "refused" | "refuses" | "declined" | "neglected" | "omitted" if after(1) == "to" => {
            Some((Failing::Verb { weak: false }, k + 1))
        }
        "asleep" | "napping" | "afk" | "unfit" | "inexperienced" => Some((Failing::State, k)),
        "fit" if before == "not" => Some((Failing::State, k)),
        "habit" | "tendency" if after(1) == "of" && matches!(before, "a" | "the") => {
            Some((Failing::State, k + 1))
        }
        "idea"
            if before == "no"
                && matches!(after(1), "what" | "how")
                && (s.clause_start(k)..k)
                    .any(|j| matches!(s.bare(j), "clearly" | "obviously" | "simply" | "just")) =>
        {
            Some((Failing::State, k))
        }
        // "pasted a secret into the public channel".
        "pasted" | "pasting" | "posted" | "posting" | "committed" | "committing" | "leaked"
        | "leaking" | "exposed" | "exposing" | "shared" | "sharing" | "published" => (k + 1
            ..(k + 5).min(s.len()))
            .find(|&j| {
                matches!(
                    s.bare(j),
                    "secret"
                        | "secrets"
                        | "token"
                        | "tokens"
                        | "password"
                        | "passwords"
                        | "credential"
                        | "credentials"
                        | "key"
                        | "keys"
                )
            })
            .map(|j| (Failing::Deed, j)),
        "slept" if after(1) == "through" => Some((Failing::State, k + 1)),
        "too"
            if matches!(
                after(1),
                "slow" | "late" | "busy" | "lazy" | "tired" | "distracted"
            ) =>
        {
            Some((Failing::State, k + 1))
        }
        "waited" | "wait" | "waiting" | "delayed" | "hesitated" => (k + 1..(k + 7).min(s.len()))
            .find(|&j| {
                matches!(s.bare(j), "before" | "to")
                    && s.ws.get(j + 1).is_some_and(|v| {
                        let b = v.bare();
                        responds(b)
                    })
            })
            .map(|j| (Failing::Neglect, j + 1)),
        "impatient" | "distracted" | "unqualified" | "careless" | "inattentive" | "complacent"
        | "overconfident" | "unprepared" | "unfocused" | "hungover" | "drunk" => {
            Some((Failing::State, k))
        }
        "qualified" if matches!(before, "not" | "wasn't" | "weren't") => Some((Failing::State, k)),
        "wanted" if s.at(k + 1, &["to", "get", "home"]) || s.at(k + 1, &["to", "go", "home"]) => {
            Some((Failing::State, k + 3))
        }
        "did" if after(1) == "nothing" => Some((Failing::State, k + 1)),
        "knew" => {
            let end = s.clause_end(k).max((k + 7).min(s.len()));
            (k + 1..end.min(k + 8).min(s.len()))
                .find(|&j| warned_of(s.bare(j)))
                .map(|j| (Failing::State, j))
        }
        "warned" | "told" if matches!(before, "was" | "were" | "been") => {
            let rest = k + 1..s.len();
            rest.clone()
                .find(|&j| {
                    matches!(
                        s.bare(j),
                        "still" | "twice" | "again" | "anyway" | "ignored"
                    )
                })
                .map(|j| (Failing::State, j))
        }
        "at" if after(1) == "fault" => Some((Failing::State, k + 1)),
        "to" if after(1) == "blame" && matches!(before, "is" | "was" | "are" | "were") => {
            Some((Failing::State, k + 1))
        }
        // "let the cert expire", "waved the change through".
        "let" | "lets" | "letting" | "waved" | "waving" => (k + 2..(k + 6).min(s.len()))
            .find(|&j| {
                matches!(
                    s.bare(j),
                    "expire" | "lapse" | "slip" | "rot" | "through" | "die" | "run" | "fail"
                )
            })
            .map(|j| (Failing::Deed, j)),
        "left" | "leave" | "leaving" => (k + 2..(k + 6).min(s.len()))
            .find(|&j| {
                let closes = j + 1 == s.len()
                    || s.opens[j + 1]
                    || matches!(s.bare(j + 1), "in" | "after" | "for" | "overnight" | "and");
                (s.bare(j) == "on" && closes)
                    || matches!(s.bare(j), "enabled" | "unlocked" | "open" | "unattended")
            })
            .map(|j| (Failing::Deed, j)),
        "approved" | "approve" | "approves" | "merged" | "merge" | "reviewed"
            if matches!(s.bare(k + 1), "his" | "her" | "their" | "my" | "your")
                && after(2) == "own" =>
        {
            Some((Failing::Deed, k + 2))
        }
        // "made a mistake", "keeps making the same kind of mistake".
        "made" | "make" | "makes" | "making" if made_a_mistake(s, k).is_some() => {
            made_a_mistake(s, k).map(|j| (Failing::Error, j))
        }
        // "made a bad call by promoting…".
        "made" | "make" | "makes" | "making"
            if matches!(after(1), "a" | "an" | "another" | "some" | "several")
                && s.ws.get(k + 2).is_some_and(|w| w.is(BAD))
                && matches!(
                    after(3),
                    "call"
                        | "calls"
                        | "decision"
                        | "decisions"
                        | "choice"
                        | "choices"
                        | "move"
                        | "judgement"
                        | "judgment"
                ) =>
        {
            Some((Failing::Error, k + 3))
        }
        "made" | "make" | "making" | "makes"
            if matches!(after(1), "things" | "it" | "matters" | "everything")
                && after(2) == "worse" =>
        {
            Some((Failing::Error, k + 2))
        }
        _ if w.is(DESTRUCTIVE) && !adjective_before && s.in_production(k) => {
            Some((Failing::Destroyed, k))
        }
        _ if ships(bare) => {
            let mut j = k + 1;
            if s.bare(j) == "out" {
                j += 1;
            }
            if s.ws.get(j).is_some_and(|w| w.is(DET)) {
                j += 1;
            }
            let adjective = s.ws.get(j)?;
            unvetted(adjective.bare()).then_some((Failing::Deed, j))
        }
        _ => None,
    }
}

/// A person named as the cause: the subject of a failing, "caused by Will", "a mistake
/// by the engineer".
fn person_as_cause(s: &Sentence, out: &mut Findings) {
    let generic = std::cell::OnceCell::new();
    for k in 0..s.len() {
        // "caused by Will not following…", "a mistake by the engineer on duty".
        let bare = s.bare(k);
        let cause_word = matches!(bare, "caused" | "triggered" | "started" | "introduced")
            || s.ws[k].is(FAULT)
            || (bare == "made" && (k.saturating_sub(3)..k).any(|j| s.ws[j].is(FAULT)));
        if cause_word && matches!(s.bare(k + 1), "by") {
            if let Some(np) = s.agent_after(k + 1)
                && np.who.is_definite()
                && !(s.ws[k].is(FAULT) && *generic.get_or_init(|| s.generic()))
            {
                let end = np.end - 1;
                out.add(named_as_cause(s, k, end));
            }
            continue;
        }
        // "due to Priya", "comes down to Yerlan not reading…", "the fault lies with the
        // DBA", "the outage is on Ulrich".
        let cause_at = if matches!(bare, "due" | "because") && matches!(s.bare(k + 1), "to" | "of")
        {
            Some(k + 2)
        } else if matches!(bare, "comes" | "came" | "come" | "boils" | "boiled")
            && s.at(k + 1, &["down", "to"])
            || matches!(
                bare,
                "lies" | "lay" | "rests" | "rested" | "sits" | "falls" | "fell"
            ) && s.bare(k + 1) == "with"
                && (k.saturating_sub(6)..k)
                    .any(|j| matches!(s.bare(j), "fault" | "blame" | "responsibility" | "problem"))
        {
            Some(k + if s.bare(k + 1) == "with" { 2 } else { 3 })
        } else if matches!(bare, "is" | "was")
            && s.bare(k + 1) == "on"
            && k > 0
            && matches!(
                s.bare(k - 1),
                "outage" | "incident" | "this" | "that" | "it" | "one" | "failure"
            )
        {
            Some(k + 2)
        } else {
            None
        };
        if let Some(at) = cause_at {
            if let Some(np) = s.np_at(at)
                && np.who.is_definite()
                && np.who != Who::Roles
                && !s.ws[np.end - 1].possessive
            {
                let end = np.end - 1;
                out.add(named_as_cause(s, k, end));
            }
            continue;
        }
        let Some((failing, end)) = failing_at(s, k) else {
            continue;
        };
        // A passive with its agent: "the deploy was rushed out by a distracted Leyla".
        let agent = (failing.is_verb()
            && k > 0
            && matches!(s.bare(k - 1), "was" | "were" | "been" | "got"))
        .then(|| {
            (end + 1..s.clause_end(k).min(end + 5))
                .find(|&j| s.bare(j) == "by")
                .and_then(|j| s.agent_after(j))
        })
        .flatten();
        let doer = agent.or_else(|| {
            if failing.is_verb() {
                s.doer(k)
            } else {
                s.subject_of(k)
            }
        });
        let Some(doer) = doer else {
            continue;
        };
        let person = match failing {
            Failing::Verb { weak: true } | Failing::Destroyed => doer.who.is_definite(),
            Failing::Manner | Failing::Error | Failing::Habit
                if matches!(doer.who, Who::Someone | Who::Role | Who::Roles) =>
            {
                !*generic.get_or_init(|| s.generic())
            }
            _ => doer.who.is_person(),
        } || lowercase_name(s, doer, k, failing);
        if !person {
            continue;
        }
        // The person and the failing: "Priya forgot", "ignored by Kofi", "Someone
        // from the data team … as usual".
        let (from, to) = if doer.start > k {
            (k, doer.end - 1)
        } else {
            (doer.start, end)
        };
        let quote = if doer.start < k && k.saturating_sub(doer.end) > 6 {
            format!(
                "{} … {}",
                s.quote(doer.start, doer.end - 1),
                s.quote(k, end)
            )
        } else {
            s.quote(from, to).to_owned()
        };
        out.add(finding(
            s,
            Code::PersonAsCause,
            from,
            to,
            format!("\"{quote}\" names a person as the cause"),
            failing.help(),
        ));
    }
}

/// A name written in lower case opening a timeline entry ("nadia forgot to tell
/// anyone"): only before a failing no system has.
fn lowercase_name(s: &Sentence, doer: Np, k: usize, failing: Failing) -> bool {
    let w = &s.ws[doer.start];
    doer.who == Who::Thing
        && doer.start == s.first
        && doer.end == doer.start + 1
        && k == doer.end
        && w.class & !CUES == 0
        && w.text.chars().count() >= 3
        && w.text.chars().all(char::is_lowercase)
        && (matches!(failing, Failing::Neglect)
            || matches!(s.bare(k), "forgot" | "neglected" | "forgets" | "forget"))
}

/// "Ravi's oversight", "the on-call's slow response", "Siobhan's decision to ignore
/// the alert", "his error".
fn possessed_faults(s: &Sentence, out: &mut Findings) {
    for k in 0..s.len() {
        let w = &s.ws[k];
        let pronoun = matches!(w.bare(), "his" | "her" | "their" | "your") && !w.possessive;
        let owner = if pronoun {
            true
        } else if w.possessive {
            // "the DBA's", "the incident commander's".
            s.is_name(k)
                || (w.is(ROLE | ROLES | TEAM)
                    && k > 0
                    && (s.ws[k - 1].is(DET | ROLE)
                        || s.ws[k - 1].bare().ends_with("-call")
                        || k > 1 && s.ws[k - 2].is(DET)))
        } else {
            false
        };
        if !owner {
            continue;
        }
        // "It wasn't Priya's fault": a fault denied.
        let denied = (k.saturating_sub(3)..k).any(|j| {
            matches!(
                s.bare(j),
                "not" | "wasn't" | "isn't" | "no" | "nobody" | "never"
            )
        });
        if denied {
            continue;
        }
        // "The mistake was the on-call's": the fault before its owner.
        if w.possessive
            && let Some(j) = (k.saturating_sub(5)..k).find(|&j| {
                s.ws[j].is(FAULT) && matches!(s.bare(j + 1), "was" | "is" | "were" | "are")
            })
        {
            out.add(named_as_cause(s, j, k));
            return;
        }
        let end = s.clause_end(k).min(k + 5);
        let mut hit = None;
        for j in k + 1..end {
            let v = &s.ws[j];
            let b = v.bare();
            let next = s.bare(j + 1);
            let fault = match b {
                "error" | "errors" | "failure" | "failures" | "typo" => {
                    !pronoun || w.bare() != "their"
                }
                "habit" | "lack" => next == "of",
                "doing" => j + 1 == s.len() || s.opens[j + 1],
                "decision" | "choice" | "call" => {
                    next == "to"
                        && s.ws.get(j + 2).is_some_and(|v| {
                            v.is(FAILING)
                                || matches!(
                                    v.bare(),
                                    "skip" | "ignore" | "bypass" | "deploy" | "push" | "not"
                                )
                        })
                }
                "responsibility" => (j + 1..s.len())
                    .any(|m| matches!(s.bare(m), "didn't" | "not" | "failed" | "never" | "forgot")),
                _ => v.is(FAULT) && !matches!(b, "slip" | "slips"),
            };
            let bad = v.is(BAD)
                && s.ws.get(j + 1).is_some_and(|n| !n.is(AUX | PREP | LEAD))
                && match b {
                    "slow" => matches!(
                        next,
                        "response"
                            | "reaction"
                            | "reply"
                            | "acknowledgement"
                            | "escalation"
                            | "handling"
                    ),
                    "poor" => !matches!(
                        next,
                        "signal" | "visibility" | "tooling" | "performance" | "connectivity"
                    ),
                    "repeated" => s.ws.get(j + 1).is_some_and(|n| n.is(FAULT)),
                    "wrong" | "bad" => !pronoun,
                    _ => true,
                };
            if fault || bad {
                hit = Some(if bad { j + 1 } else { j });
                break;
            }
            if v.is(PREP | AUX | LEAD) && b != "of" {
                break;
            }
        }
        if let Some(j) = hit {
            let j = j.min(s.len() - 1);
            out.add(named_as_cause(s, k, j));
            return;
        }
    }
}

/// Words that judge whoever they are about, and "human error" given as a cause.
fn judging_words(s: &Sentence, out: &mut Findings) {
    let text = s.text;
    let boundary = |i: usize, before: bool| {
        let c = if before {
            text[..i].chars().next_back()
        } else {
            text[i..].chars().next()
        };
        !c.is_some_and(|c| c.is_alphanumeric() || c == '-')
    };
    for m in BLAME.find_iter(text) {
        let (from, to) = (m.start(), m.end());
        if !boundary(from, true) || !boundary(to, false) {
            continue;
        }
        let phrase = text[from..to].to_lowercase();
        let next_word = text[to..]
            .trim_start()
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let technical = match phrase.as_str() {
            // "lazy loading", "amateur radio".
            "lazy" => matches!(
                next_word.as_str(),
                "loading"
                    | "load"
                    | "loaded"
                    | "evaluation"
                    | "initialization"
                    | "initialisation"
                    | "init"
                    | "iterator"
                    | "static"
                    | "import"
                    | "imports"
                    | "fetch"
                    | "fetching"
                    | "consumer"
                    | "mode"
                    | "instantiation"
                    | "deletion"
                    | "expiry"
                    | "expiration"
            ),
            "amateur" => !matches!(
                next_word.as_str(),
                "mistake"
                    | "mistakes"
                    | "move"
                    | "moves"
                    | "hour"
                    | "work"
                    | "error"
                    | "errors"
                    | "job"
                    | "change"
                    | "handling"
            ),
            "hasty" => matches!(next_word.as_str(), "generation"),
            _ => false,
        };
        // A title cut short ("…test lazy…") hides the word that tells a technical
        // sense from a judgement: read it as technical.
        let technical = technical
            || matches!(phrase.as_str(), "lazy" | "amateur" | "hasty")
                && text[to..].trim_start().starts_with('…');
        if technical {
            continue;
        }
        // "Nobody is to blame".
        let before = text[..from].to_lowercase();
        let before = before.trim_end();
        if (phrase == "to blame" || phrase.starts_with("blame"))
            && (before.ends_with("nobody is")
                || before.ends_with("no one is")
                || before.ends_with("not")
                || before.ends_with("nobody was")
                || before.ends_with("no one was")
                || before.ends_with("no"))
        {
            continue;
        }
        out.add(Finding::at(
            Code::BlameWords,
            from,
            to,
            format!("\"{}\" judges with hindsight", &text[from..to]),
            "say what the person saw and did, then what made that reasonable at the time and what would have made the risk visible",
        ));
        break;
    }
    let mut concept = None;
    for m in HUMAN.find_iter(text) {
        let (from, to) = (m.start(), m.end());
        if !boundary(from, true) || !boundary(to, false) {
            continue;
        }
        // "Calling this human error would hide…", "human error is a symptom": the idea.
        if *concept.get_or_insert_with(|| CONCEPT.is_match(text)) {
            return;
        }
        let before = text[..from].to_lowercase();
        if before.trim_end().ends_with("not") || before.trim_end().ends_with("no") {
            continue;
        }
        out.add(Finding::at(
            Code::BlameWords,
            from,
            to,
            format!("\"{}\" ends the inquiry where it should start", &text[from..to]),
            "name the conditions that made the error likely and its effect possible, e.g. \"the console put production and staging side by side\"",
        ));
        return;
    }
}

/// "Had Olga run…", "if Sven had…", "Kenji should have…", "ought to have"; and what
/// a person "needs to" or "must" do differently.
fn counterfactuals(s: &Sentence, out: &mut Findings) {
    let n = s.len();
    for k in 0..n {
        let bare = s.bare(k);
        // "Had Olga run the smoke tests, …".
        if bare == "had"
            && (s.opens[k] || s.initial[k])
            && let Some(np) = s.np_at(k + 1)
            && np.who.is_person()
            && np.end < n
            && !matches!(s.bare(np.end), "been" | "there")
            && !s.ws[np.end].is(DET | LEAD)
        {
            let end = np.end.min(n - 1);
            out.add(imagines_another_person(s, k, end));
            return;
        }
        // "…would not have occurred had Radomir tested the change".
        if bare == "had"
            && !(s.opens[k] || s.initial[k])
            && (0..k).any(|j| matches!(s.bare(j), "would" | "'d" | "would've" | "could" | "might"))
            && let Some(np) = s.np_at(k + 1)
            && matches!(np.who, Who::Named | Who::Role | Who::Pronoun | Who::Someone)
            && s.ws
                .get(np.end)
                .is_some_and(|v| v.bare().ends_with("ed") || v.is(PAST | DILIGENCE))
        {
            let end = np.end.min(n - 1);
            out.add(imagines_another_person(s, k, end));
            return;
        }
        // "if (only) Sven had checked …".
        if bare == "if" {
            let at = if s.bare(k + 1) == "only" {
                k + 2
            } else {
                k + 1
            };
            if let Some(np) = s.np_at(at)
                && np.who.is_person()
                && (matches!(s.bare(np.end), "had" | "hadn't" | "'d")
                    || s.at(np.end, &["would", "have"]))
                && !matches!(s.bare(np.end + 1), "been")
            {
                let end = (np.end).min(n - 1);
                out.add(imagines_another_person(s, k, end));
                return;
            }
        }
        // "Operators should not have to remember…" lifts a burden from people.
        if s.at(k, &["should", "not", "have", "to"])
            || s.at(k, &["shouldn't", "have", "to"])
            || s.at(k, &["should", "never", "have", "to"])
        {
            continue;
        }
        // Hindsight modals: "should have", "ought to have", "needed to".
        let hindsight = if s.at(k, &["should", "have"])
            || s.at(k, &["should", "not", "have"])
            || s.at(k, &["should", "never", "have"])
            || s.at(k, &["shouldn't", "have"])
            || s.at(k, &["could", "have"])
            || s.at(k, &["might", "have"])
            || matches!(bare, "should've" | "could've" | "might've")
            || s.at(k, &["ought", "to"])
            || s.at(k, &["needed", "to"])
            || s.at(k, &["was", "supposed", "to"])
            || s.at(k, &["were", "supposed", "to"])
        {
            Some(false)
        } else if (s.at(k, &["would", "have"])
            || s.at(k, &["would've"])
            || s.at(k, &["'d", "have"]))
            && !system_condition(s)
        {
            // "A careful engineer would have caught this"; not "if the tool had shown
            // the lock, the reviewer would have seen it".
            let verb = s.bare(k + if bare == "would've" { 1 } else { 2 });
            matches!(
                verb,
                "caught"
                    | "noticed"
                    | "seen"
                    | "spotted"
                    | "known"
                    | "checked"
                    | "prevented"
                    | "avoided"
                    | "stopped"
                    | "realised"
                    | "realized"
                    | "found"
            )
            .then_some(true)
        } else {
            None
        };
        if let Some(would) = hindsight {
            let Some(doer) = s.doer(k) else {
                continue;
            };
            let after: Vec<&str> = (k..(k + 5).min(n)).map(|j| s.bare(j)).collect();
            let passive_process = after.windows(2).any(|w| {
                w[0] == "been"
                    && matches!(
                        w[1],
                        "paged"
                            | "notified"
                            | "alerted"
                            | "told"
                            | "informed"
                            | "given"
                            | "woken"
                            | "called"
                            | "able"
                    )
            });
            let person = match doer.who {
                Who::Someone => {
                    !(matches!(s.bare(k), "could" | "might" | "could've" | "might've")
                        || would && s.generic())
                }
                who => who.is_person(),
            };
            let maybe = matches!(s.bare(k), "could" | "might" | "could've" | "might've");
            if !person || passive_process || maybe && (s.generic() || doer.who == Who::They) {
                continue;
            }
            let end = (k + 2).min(n - 1);
            let from = near_doer(&doer, k);
            out.add(finding(
                s,
                Code::PersonCounterfactual,
                from,
                end,
                format!("\"{}\" judges a person against hindsight", s.quote(from, end)),
                "ask what information they had at the time, and how the system could make the safe action the easy one",
            ));
            return;
        }
        // Prescriptions: "Tom needs to stop ignoring…", "She must double-check…"; not
        // "should not have to", which lifts one.
        let negated = |j: usize| matches!(s.bare(j), "not" | "never" | "shouldn't" | "mustn't");
        let lifted = |j: usize| matches!(s.bare(j), "have" | "need") && s.bare(j + 1) == "to";
        if lifted(k) && k > 0 && negated(k - 1)
            || matches!(bare, "should" | "must") && negated(k + 1) && lifted(k + 2)
            || matches!(bare, "shouldn't" | "mustn't") && lifted(k + 1)
        {
            continue;
        }
        let modal_len = if s.at(k, &["needs", "to"])
            || s.at(k, &["need", "to"])
            || s.at(k, &["has", "to"])
            || s.at(k, &["have", "to"])
            || s.at(k, &["is", "need", "to"])
            || s.at(k, &["had", "better"])
        {
            if bare == "is" { 3 } else { 2 }
        } else if matches!(bare, "must" | "should" | "shouldn't") && s.bare(k + 1) != "have"
            || bare == "could"
                && matches!(s.bare(k + 1), "improve" | "learn" | "try" | "do")
                && !matches!(s.bare(k + 2), "with")
        {
            1
        } else {
            0
        };
        if modal_len > 0 {
            let Some(doer) = s.doer(k) else {
                continue;
            };
            let mut v = k + modal_len;
            // "The error tracking team should monitor…" assigns work; "everyone should
            // be more careful" asks for behaviour.
            let behaviour = (v..(v + 5).min(n)).any(|j| {
                matches!(
                    s.bare(j),
                    "careful"
                        | "attention"
                        | "double-check"
                        | "remember"
                        | "vigilant"
                        | "thorough"
                        | "stop"
                        | "focus"
                        | "better"
                        | "seriously"
                        | "responsibility"
                        | "learn"
                        | "trusted"
                        | "actually"
                        | "apologise"
                        | "apologize"
                        | "accountable"
                )
            });
            if !doer.who.is_person() || matches!(doer.who, Who::Someone | Who::Team) && !behaviour {
                continue;
            }
            while s.ws.get(v).is_some_and(|w| w.is(ADVERB)) {
                v += 1;
            }
            let verb = s.bare(v);
            let then = s.bare(v + 1);
            let talking_to = verb == "get"
                && (v + 1..(v + 4).min(n)).any(|j| {
                    matches!(
                        s.bare(j),
                        "talking-to" | "warning" | "reprimand" | "lecture" | "reminder"
                    )
                });
            let innocuous = !talking_to
                && matches!(verb, "have" | "know" | "see" | "receive" | "be" | "get")
                && !matches!(
                    (verb, then),
                    (
                        "be",
                        "more"
                            | "careful"
                            | "replaced"
                            | "fired"
                            | "removed"
                            | "disciplined"
                            | "retrained"
                            | "reminded"
                            | "trusted"
                            | "held"
                            | "made"
                            | "coached"
                            | "trained"
                            | "taught"
                            | "watched"
                            | "supervised"
                            | "less"
                    ) | (
                        "get",
                        "better" | "sign-off" | "approval" | "permission" | "their" | "his" | "her"
                    ) | ("know", "better")
                        | ("have", "checked" | "tested" | "read")
                );
            if verb.is_empty() || innocuous {
                continue;
            }
            let end = v.min(n - 1);
            let from = near_doer(&doer, k);
            out.add(finding(
                s,
                Code::BehaviourAction,
                from,
                end,
                format!("\"{}\" asks a person to behave differently", s.quote(from, end)),
                "ask \"How might we…?\" and change a tool, a default or a check, so the right action is the easy one",
            ));
            return;
        }
    }
}

/// Whether the sentence imagines a different system: "if the tool had shown…", "had
/// there been a prompt…".
fn system_condition(s: &Sentence) -> bool {
    (0..s.len()).any(|k| {
        matches!(s.bare(k), "if" | "had")
            && s.ws.get(k + 1).is_some_and(|w| w.is(DET | THING))
            && s.np_at(k + 1).is_some_and(|np| np.who == Who::Thing)
    })
}

/// "Why did Lee deploy during the freeze?", "What was Björn thinking…?", "Who ran the
/// script?", and "We still don't know why Dana…".
fn trial_questions(s: &Sentence, out: &mut Findings) {
    let n = s.len();
    let question = s.text.contains('?');
    for k in 0..n {
        let bare = s.bare(k);
        let (person, rest) = match bare {
            "why" => {
                let mut at = k + 1;
                while matches!(
                    s.bare(at),
                    "on" | "earth"
                        | "the"
                        | "hell"
                        | "exactly"
                        | "again"
                        | "then"
                        | "really"
                        | "ever"
                ) {
                    at += 1;
                }
                let aux = s.ws.get(at).is_some_and(|w| w.is(AUX));
                if aux {
                    at += 1;
                }
                // "Why did it take Ruth four hours to notice?"
                if s.bare(at) == "it" && matches!(s.bare(at + 1), "take" | "took") {
                    at += 2;
                }
                let Some(np) = s.np_at(at) else { continue };
                let mut v = np.end;
                // "Why the DBA not check…" (non-native English): "not" makes the verb.
                let not = s.bare(v) == "not";
                if not {
                    v += 1;
                }
                if matches!(s.bare(v), "still" | "even" | "already" | "ever") {
                    v += 1;
                }
                let asks = question
                    || (k > 0
                        && (k.saturating_sub(3)..k).any(|j| {
                            matches!(
                                s.bare(j),
                                "know"
                                    | "knows"
                                    | "understand"
                                    | "wonder"
                                    | "ask"
                                    | "asked"
                                    | "asking"
                                    | "question"
                                    | "explain"
                                    | "sure"
                                    | "clear"
                            )
                        }));
                let verb = aux || not || s.is_verbish(v);
                // "Why did nobody on the Tokyo team read…?": people of a team.
                let nobody_of_a_team = matches!(s.bare(np.start), "nobody" | "no")
                    && (np.end..(np.end + 5).min(n)).any(|j| s.ws[j].is(TEAM | ROLES));
                let about_person = verb
                    && (np.who.is_person() && np.who != Who::They
                        || np.who == Who::They && aux
                        || nobody_of_a_team);
                // "Why did nobody notice that Dana had disabled the alert?": a person's
                // act inside the question.
                let act_inside = question
                    && (v..n).any(|j| {
                        let person =
                            |np: &Np| matches!(np.who, Who::Named | Who::Role | Who::Pronoun);
                        // "…notice that Dana had disabled…", "…stop Hiroshi from running…".
                        s.bare(j) == "that"
                            && s.np_at(j + 1)
                                .is_some_and(|np| person(&np) && s.is_verbish(np.end))
                            || matches!(
                                s.bare(j),
                                "stop" | "stopped" | "let" | "allow" | "allowed" | "prevent"
                            ) && s.np_at(j + 1).is_some_and(|np| {
                                person(&np) && matches!(s.bare(np.end), "from" | "to")
                            })
                    });
                (asks && (about_person || act_inside), v)
            }
            "what" => {
                if matches!(s.bare(k + 1), "was" | "were" | "is") {
                    let Some(np) = s.np_at(k + 2) else { continue };
                    (
                        np.who.is_person() && matches!(s.bare(np.end), "thinking" | "doing"),
                        np.end,
                    )
                } else if matches!(s.bare(k + 1), "made" | "makes" | "possessed") {
                    let Some(np) = s.np_at(k + 2) else { continue };
                    (
                        np.who.is_definite()
                            && matches!(
                                s.bare(np.end),
                                "think" | "decide" | "choose" | "believe" | "assume" | "do" | "to"
                            ),
                        np.end,
                    )
                } else {
                    (false, k)
                }
            }
            "who" if question && (s.initial[k] || k == s.first) => {
                let skip = if s.at(k + 1, &["on", "earth"]) {
                    2
                } else if s.bare(k + 1) == "exactly" {
                    1
                } else {
                    0
                };
                let next = s.ws.get(k + 1 + skip);
                let past = next.is_some_and(|w| {
                    (w.bare().ends_with("ed") || w.is(PAST) || w.is(FAILING))
                        && !matches!(w.bare(), "owned" | "needed" | "led")
                });
                let responsible = matches!(s.bare(k + 1), "is" | "was")
                    && matches!(s.bare(k + 2), "responsible" | "to" | "at");
                (past || responsible, k + 1)
            }
            // "Whose (bright) idea was it…?"
            "whose" => (
                [k + 1, k + 2].into_iter().any(|j| {
                    matches!(
                        s.bare(j),
                        "fault" | "mistake" | "idea" | "responsibility" | "call"
                    )
                }),
                k + 1,
            ),
            // "Did Priya really think…?", "Didn't Ana read the runbook?".
            "did" | "does" | "didn't" | "doesn't" | "wasn't" | "isn't" | "couldn't"
            | "shouldn't"
                if question && (s.initial[k] || k == s.first) =>
            {
                let Some(np) = s.np_at(k + 1) else { continue };
                let negative = bare.ends_with("n't");
                let pointed = matches!(
                    s.bare(np.end),
                    "really" | "honestly" | "seriously" | "even" | "not" | "actually" | "ever"
                );
                (
                    matches!(np.who, Who::Named | Who::Pronoun | Who::Role | Who::They)
                        && (pointed
                            || negative && s.is_verbish(np.end)
                            || negative && s.ws.get(np.end).is_some_and(|w| w.is(DILIGENCE))),
                    np.end,
                )
            }
            // "How could X have known…?" defends X: what X could know is the question.
            "how" if question && s.bare(k + 1) == "could" => {
                let Some(np) = s.np_at(k + 2) else { continue };
                let knowing = s.bare(np.end) == "have"
                    && matches!(
                        s.bare(np.end + 1),
                        "known" | "seen" | "noticed" | "guessed" | "predicted" | "foreseen"
                    );
                (np.who.is_person() && !knowing, np.end)
            }
            // "How did the reviewer miss a DROP TABLE…?"
            "how" if question && matches!(s.bare(k + 1), "did" | "does" | "do") => {
                let Some(np) = s.np_at(k + 2) else { continue };
                (
                    matches!(np.who, Who::Named | Who::Pronoun | Who::Role)
                        && s.ws.get(np.end).is_some_and(|w| {
                            w.is(FAILING)
                                || matches!(
                                    w.bare(),
                                    "miss" | "forget" | "ignore" | "skip" | "overlook" | "approve"
                                )
                        }),
                    np.end,
                )
            }
            _ => continue,
        };
        if !person {
            continue;
        }
        let end = s.ws[s.clause_end(k) - 1].end;
        let what = s.text[s.ws[rest.min(n - 1)].start..end].trim();
        let help = if bare == "why" && !what.is_empty() && rest < n {
            format!(
                "ask about the situation instead: \"What made '{what}' look like the right step at the time?\", or \"How might we…?\""
            )
        } else {
            "ask \"How might we…?\" or \"What information did … have when…?\"".to_owned()
        };
        out.add(Finding {
            code: Code::TrialQuestion,
            start: s.ws[k].start,
            end: s.text.trim_end().len().max(s.ws[k].end),
            message: "this question looks for a culprit".to_owned(),
            help,
        });
        return;
    }
}

/// Action items aimed at a person: "Coach Maria on…", "Talk to Ken about…", "Jo to
/// be more careful", "Retrain the DBA", and behaviour ("be more careful",
/// "double-check") in the Action Items.
fn aimed_at_people(s: &Sentence, section: Option<&str>, out: &mut Findings) {
    // Imperatives and "X to …" are action items: in the Action Items and the
    // Improvement Opportunities.
    if matches!(section, Some("Action Items" | "Improvement Opportunities")) {
        imperatives(s, out);
        demanded_of_people(s, out);
        owed_a_correction(s, out);
    }
    if section == Some("Action Items") {
        behaviour(s, out);
    }
}

/// "Coach Maria on…", "Talk to Ken about…", "Jo to be more careful".
fn imperatives(s: &Sentence, out: &mut Findings) {
    let n = s.len();
    let help = "change the system so the right action is the easy one (a check, a default, a guard), and own the item by a team";

    for k in 0..n {
        // "We should retrain Felix", "someone needs to teach the interns…", "Manager
        // to have a conversation with the on-call…".
        let after_modal = k > 0
            && s.ws[k].is(CORRECT)
            && (matches!(s.bare(k - 1), "should" | "must" | "will" | "'ll" | "shall")
                || k > 1
                    && s.bare(k - 1) == "to"
                    && (matches!(s.bare(k - 2), "need" | "needs" | "has" | "have" | "ought")
                        || s.np_at(s.first)
                            .is_some_and(|np| np.end == k - 1 && np.who.is_person())));
        if !(s.initial[k] || k == s.first || after_modal) {
            continue;
        }
        let w = &s.ws[k];
        let bare = w.bare();
        // "Priya to complete the training again", "Hope to be coached".
        if let Some(np) = s.np_at(k)
            && (np.who.is_person() || lowercase_start(s, np))
            && !s.ws[np.end - 1].possessive
            && let Some(skip) = match s.bare(np.end) {
                "to" | "will" | "must" | "should" | "shall" => Some(1),
                "needs" | "need" | "has" if s.bare(np.end + 1) == "to" => Some(2),
                _ => None,
            }
        {
            let to = s.bare(np.end) == "to";
            let v = np.end + skip;
            let verb = s.bare(v);
            let then = s.bare(v + 1);
            let self_improvement = match verb {
                "be" if to => !matches!(
                    then,
                    "added" | "the" | "owner" | "on" | "in" | "responsible"
                ),
                "be" => matches!(
                    then,
                    "more"
                        | "careful"
                        | "reminded"
                        | "retrained"
                        | "re-trained"
                        | "coached"
                        | "warned"
                        | "supervised"
                        | "removed"
                        | "taken"
                        | "held"
                        | "banned"
                        | "suspended"
                        | "disciplined"
                        | "less"
                ),
                "shadow" | "apologise" | "apologize" | "present" | "attend" | "study" | "learn"
                | "improve" | "stop" | "slow" | "focus" | "redo" | "re-read" | "reread"
                | "explain" | "justify" | "re-take" | "retake" | "repeat" | "refresh"
                | "practise" | "practice" | "reflect" | "acknowledge" | "admit" | "promise"
                | "pledge" | "double-check" | "triple-check" | "memorise" | "memorize"
                | "familiarise" | "familiarize" | "relearn" | "re-learn" | "rethink"
                | "reconsider" | "behave" | "listen" | "obey" | "comply" | "concentrate"
                | "recertify" | "re-certify" | "requalify" | "re-qualify" => true,
                "pay" | "brush" | "think" => matches!(
                    then,
                    "attention" | "more" | "closer" | "up" | "twice" | "before" | "harder"
                ),
                "follow" | "respect" | "stick" | "adhere" => (v + 1..(v + 5).min(n)).any(|j| {
                    matches!(
                        s.bare(j),
                        "runbook"
                            | "checklist"
                            | "process"
                            | "procedure"
                            | "rules"
                            | "policy"
                            | "freeze"
                            | "instructions"
                    )
                }),
                "ask" | "seek" | "get" | "obtain" | "request"
                    if (v + 1..(v + 5).min(n)).any(|j| {
                        matches!(
                            s.bare(j),
                            "permission" | "approval" | "sign-off" | "signoff"
                        )
                    }) =>
                {
                    true
                }
                "take" | "complete" | "do" | "pass" | "finish" | "join" | "sit" | "enrol"
                | "enroll" | "sign" | "go" => (v + 1..(v + 6).min(n)).any(|j| {
                    matches!(
                        s.bare(j),
                        "course"
                            | "training"
                            | "class"
                            | "workshop"
                            | "refresher"
                            | "certification"
                            | "more"
                            | "care"
                    )
                }),
                "read" => then == "up",
                // "Nnamdi must not be on call alone", "Rui will not touch production".
                "not" if !to => matches!(
                    then,
                    "be" | "touch"
                        | "deploy"
                        | "merge"
                        | "approve"
                        | "push"
                        | "access"
                        | "work"
                        | "handle"
                        | "run"
                        | "go"
                        | "join"
                        | "lead"
                ),
                "write" | "send" | "make" | "issue" | "give" | "post" | "publish" | "deliver" => {
                    (v + 1..(v + 4).min(n)).any(|j| s.bare(j).starts_with("apolog"))
                }
                "receive" | "undergo" | "get" | "have" => (v + 1..(v + 5).min(n)).any(|j| {
                    matches!(
                        s.bare(j),
                        "training"
                            | "retraining"
                            | "coaching"
                            | "counselling"
                            | "counseling"
                            | "warning"
                            | "reprimand"
                            | "supervision"
                            | "mentoring"
                            | "talking-to"
                    )
                }),
                "review" => matches!(then, "his" | "her" | "their"),
                // "Omar to run the script more carefully from now on".
                _ => (v + 1..n).any(|j| {
                    s.at(j, &["from", "now", "on"])
                        || s.at(j, &["more", "carefully"])
                        || s.at(j, &["more", "careful"])
                        || s.at(j, &["with", "more", "care"])
                        || s.at(j, &["more", "attention"])
                }),
            };
            if self_improvement {
                let end = v.min(n - 1);
                out.add(finding(
                    s,
                    Code::BehaviourAction,
                    k,
                    end,
                    format!("\"{}\" aims the action at a person", s.quote(k, end)),
                    help,
                ));
                return;
            }
        }
        if !w.is(CORRECT) {
            continue;
        }
        // The person the imperative aims at, and how far it reaches.
        let object = |at: usize| -> Option<Np> {
            let at = if matches!(s.bare(at), "all" | "every" | "each") {
                at + 1
            } else {
                at
            };
            // "Note: Graphs …": the object is in the imperative's clause.
            if at >= n || s.initial[at] {
                return None;
            }
            let np = s.np_at(at)?;
            let person = np.who.is_person() && np.who != Who::They
                || matches!(s.bare(at), "them" | "everyone" | "everybody");
            person.then_some(np)
        };
        let individual = |np: &Np| matches!(np.who, Who::Named | Who::Pronoun | Who::Role);
        let behaviour_after = |from: usize| {
            (from..n).any(|j| {
                matches!(
                    s.bare(j),
                    "careful"
                        | "attention"
                        | "explain"
                        | "justify"
                        | "apologise"
                        | "apologize"
                        | "double-check"
                        | "stop"
                        | "remember"
                        | "slow"
                        | "focus"
                        | "vigilant"
                        | "thorough"
                        | "why"
                        | "accountable"
                        | "aware"
                        | "training"
                        | "course"
                        | "retake"
                        | "redo"
                        | "again"
                        | "properly"
                        | "correctly"
                        | "carefully"
                        | "mindful"
                        | "cautious"
                        | "diligent"
                        | "disciplined"
                        | "permission"
                        | "approval"
                        | "sign-off"
                        | "harder"
                        | "seriously"
                        | "responsible"
                        | "understand"
                        | "understands"
                        | "acknowledge"
                        | "acknowledgement"
                        | "acknowledgment"
                        | "promise"
                        | "repeat"
                        | "wrong"
                        | "mistake"
                        | "mistakes"
                        | "lesson"
                        | "unauthorised"
                        | "unauthorized"
                        | "unapproved"
                ) || (s.bare(j) == "not" && s.bare(j + 1) == "to")
            })
        };
        let target = match bare {
            "talk" | "speak" if matches!(s.bare(k + 1), "to" | "with") => object(k + 2),
            "sit" if s.at(k + 1, &["down", "with"]) => object(k + 3),
            "have"
                if s.at(k + 1, &["a", "word", "with"]) || s.at(k + 1, &["a", "chat", "with"]) =>
            {
                object(k + 4)
            }
            "make" if s.at(k + 1, &["sure", "that"]) => {
                object(k + 3).filter(|np| behaviour_after(np.end) || takes_care(s, np.end))
            }
            "ensure" | "insist" | "require" if s.bare(k + 1) == "that" => {
                object(k + 2).filter(|np| behaviour_after(np.end) || takes_care(s, np.end))
            }
            "make" if s.bare(k + 1) == "sure" => object(k + 2),
            // "Follow up with Pedro so that he understands…".
            "follow" if s.at(k + 1, &["up", "with"]) => {
                object(k + 3).filter(|np| behaviour_after(np.end))
            }
            "follow" => None,
            "write" if s.bare(k + 1) == "up" => object(k + 2).filter(individual),
            "schedule" | "book" | "arrange" | "plan" | "set" => None,
            "write" => object(k + 1)
                .filter(individual)
                .filter(|np| s.bare(np.end) == "up"),
            "make" if s.at(k + 1, &["it", "clear", "to"]) => object(k + 4),
            "make" => object(k + 1).filter(|np| {
                behaviour_after(np.end) || matches!(s.bare(np.end), "more" | "responsible")
            }),
            "don't" | "dont" if s.bare(k + 1) == "let" => object(k + 2),
            "do" | "never" if s.at(k + 1, &["not", "let"]) => object(k + 3),
            "never" if s.bare(k + 1) == "let" => object(k + 2),
            "let" => None,
            "ask" | "tell" | "have" | "get" | "email" | "force" | "encourage" | "urge"
            | "nudge" | "order" | "oblige" => object(k + 1).filter(|np| behaviour_after(np.end)),
            "note" | "record" | "document" | "escalate" => None,
            "take" if matches!(s.bare(k + 1), "away" | "off") => object(k + 2),
            "send" | "give" | "issue" => object(k + 1)
                .filter(|np| {
                    // "Give Mei a formal warning", "Send the on-call team a reminder".
                    (np.end..(np.end + 4).min(n)).any(|j| {
                        matches!(
                            s.bare(j),
                            "warning"
                                | "reminder"
                                | "talking-to"
                                | "refresher"
                                | "lecture"
                                | "reprimand"
                        )
                    })
                })
                .or_else(|| object(k + 1).filter(individual).filter(|_| bare == "send")),
            "train" | "mentor" | "pair" | "educate" | "instruct" | "require" | "move" | "put"
            | "limit" | "take" | "pull" | "bench" | "exclude" | "strip" | "exile" | "deny"
            | "prohibit" | "disallow" | "lock" | "shut" => object(k + 1).filter(individual),
            "reassign" | "remove" | "move_away" => object(k + 1).or_else(|| {
                (k + 1..n.min(k + 8))
                    .find(|&j| s.at(j, &["away", "from"]) || s.bare(j) == "off")
                    .and_then(|j| object(j + if s.bare(j) == "off" { 1 } else { 2 }))
                    .filter(individual)
            }),
            "stop" | "keep" | "ban" | "bar" | "forbid" | "restrict" | "suspend" | "demote"
            | "revoke" | "supervise" | "monitor" | "watch" => object(k + 1),
            _ => object(k + 1),
        };
        // "Have a conversation with Tatiana about…", "Schedule a 1:1 with Ömer".
        let target = target.or_else(|| {
            (k + 1..n.min(k + 6))
                .find(|&j| {
                    matches!(
                        s.bare(j),
                        "conversation"
                            | "chat"
                            | "talk"
                            | "word"
                            | "1:1"
                            | "one-on-one"
                            | "sit-down"
                            | "talking-to"
                            | "1-1"
                    ) && s.bare(j + 1) == "with"
                })
                .and_then(|j| object(j + 2))
                .filter(individual)
        });
        // "Escalate Joanna's behaviour to her manager": a person's conduct as the
        // object.
        let target = target.or_else(|| {
            (k + 1..n.min(k + 5))
                .filter(|&j| s.ws[j].possessive)
                .find(|&j| {
                    matches!(
                        s.bare(j + 1),
                        "behaviour" | "behavior" | "conduct" | "attitude" | "habits"
                    )
                })
                .and_then(|j| (k + 1..=j).find_map(|i| s.np_at(i).filter(|np| np.end == j + 1)))
                .filter(individual)
        });
        let Some(np) = target else {
            continue;
        };
        let end = (np.end - 1).max(k);
        out.add(finding(
            s,
            Code::BehaviourAction,
            k,
            end,
            format!("\"{}\" aims the action at a person", s.quote(k, end)),
            help,
        ));
        return;
    }
}

/// "Nadia needs a written reminder", "Anya needs more coaching": a person as the
/// one a correction is due to.
fn owed_a_correction(s: &Sentence, out: &mut Findings) {
    let n = s.len();
    let Some(np) = s.np_at(s.first).filter(|np| np.who.is_definite()) else {
        return;
    };
    let v = np.end;
    if !matches!(
        s.bare(v),
        "needs" | "need" | "gets" | "get" | "receives" | "deserves" | "requires"
    ) {
        return;
    }
    let Some(end) = (v + 1..(v + 5).min(n)).find(|&j| {
        matches!(
            s.bare(j),
            "reminder"
                | "coaching"
                | "retraining"
                | "re-training"
                | "reprimand"
                | "talking-to"
                | "lecture"
                | "supervision"
                | "counselling"
                | "counseling"
                | "refresher"
                | "warning"
        )
    }) else {
        return;
    };
    out.add(finding(
        s,
        Code::BehaviourAction,
        s.first,
        end,
        format!("\"{}\" aims the action at a person", s.quote(s.first, end)),
        "change the system so the right action is the easy one (a check, a default, a guard), and own the item by a team",
    ));
}

/// Whether the words at `at` are a verb of care ("checks", "double checks"): what a
/// person is made to do.
fn takes_care(s: &Sentence, at: usize) -> bool {
    (at..(at + 2).min(s.len())).any(|j| {
        let b = s.bare(j);
        s.ws[j].is(DILIGENCE)
            || b.strip_suffix('s')
                .is_some_and(|b| classes(b) & DILIGENCE != 0)
    })
}

/// "Better discipline from the on-call engineers", "retraining for Priya": behaviour
/// asked of people, without a verb.
fn demanded_of_people(s: &Sentence, out: &mut Findings) {
    let n = s.len();
    // "We need Ewa to stop deploying from her laptop", "Could Dagny please stop
    // ignoring…": a person told to stop a habit.
    for k in 1..n.saturating_sub(1) {
        if s.bare(k) != "stop" || !s.bare(k + 1).ends_with("ing") {
            continue;
        }
        let mut at = k;
        while at > 0 && matches!(s.bare(at - 1), "to" | "please" | "just" | "finally") {
            at -= 1;
        }
        let person = (at.saturating_sub(3)..at).find_map(|i| {
            s.np_at(i).filter(|np| {
                np.end == at && matches!(np.who, Who::Named | Who::Pronoun | Who::Role)
            })
        });
        if let Some(np) = person {
            out.add(finding(
                s,
                Code::BehaviourAction,
                np.start,
                k + 1,
                format!("\"{}\" asks a person to behave differently", s.quote(np.start, k + 1)),
                "change the system so the right action is the easy one (a check, a default, a guard), and own the item by a team",
            ));
            return;
        }
    }
    for k in 0..n.saturating_sub(2) {
        let noun = s.bare(k);
        let demand = matches!(
            noun,
            "discipline"
                | "care"
                | "attention"
                | "focus"
                | "diligence"
                | "effort"
                | "vigilance"
                | "rigour"
                | "rigor"
                | "accountability"
                | "professionalism"
                | "caution"
                | "carefulness"
                | "thoroughness"
        ) && k > 0
            && matches!(
                s.bare(k - 1),
                "more" | "better" | "greater" | "less" | "improved" | "stricter"
            );
        let correction = matches!(
            noun,
            "retraining"
                | "re-training"
                | "coaching"
                | "counselling"
                | "counseling"
                | "reprimand"
                | "warning"
                | "supervision"
                | "discipline"
        ) || s.at(k, &["disciplinary", "action"]);
        if !(demand && matches!(s.bare(k + 1), "from" | "by" | "among")
            || correction && s.bare(k + 1) == "for")
        {
            continue;
        }
        let at = if matches!(s.bare(k + 2), "all" | "every") {
            k + 3
        } else {
            k + 2
        };
        let Some(np) = s.np_at(at) else { continue };
        let aimed = if demand {
            np.who.is_person() && np.who != Who::They
        } else {
            matches!(
                np.who,
                Who::Named | Who::Pronoun | Who::Role | Who::Roles | Who::Team
            )
        };
        if aimed {
            let from = if demand { k - 1 } else { k };
            let end = (np.end - 1).max(k);
            out.add(finding(
                s,
                Code::BehaviourAction,
                from,
                end,
                format!("\"{}\" asks people to behave differently", s.quote(from, end)),
                "change the system so the right action is the easy one (a check, a default, a guard), and own the item by a team",
            ));
            return;
        }
    }
}

/// A lower-case name opening an action item: "tomasz to be reminded…".
fn lowercase_start(s: &Sentence, np: Np) -> bool {
    let w = &s.ws[np.start];
    np.start == s.first
        && np.end == np.start + 1
        && w.class & !CUES == 0
        && w.text.chars().count() >= 3
        && w.text.chars().all(char::is_lowercase)
}

/// Behaviour asked of people in an action item: "be more careful", "double-check".
fn behaviour(s: &Sentence, out: &mut Findings) {
    let sentence = s.text;
    for m in BEHAVIOUR.find_iter(sentence) {
        let (from, to) = (m.start(), m.end());
        let before_ok = !sentence[..from]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let after = sentence[to..].chars().next();
        // "double-checks" and "retrained model" are about systems.
        let after_ok = !after.is_some_and(|c| c.is_alphanumeric());
        if !before_ok || !after_ok {
            continue;
        }
        // A tool doing the checking is a system: "a CI step that double-checks…".
        let preceding = sentence[..from].to_lowercase();
        let automated = [
            "automatically ",
            "that ",
            "which ",
            "tool to ",
            "bot to ",
            "script to ",
            "ci to ",
            "pipeline to ",
            "system to ",
            "check to ",
        ]
        .iter()
        .any(|p| preceding.ends_with(p));
        if automated {
            continue;
        }
        // "Retrain the model", "discipline" of a codebase: only people are retrained.
        let needs_person = ["retrain", "re-train", "reprimand", "discipline"]
            .iter()
            .any(|p| sentence[from..to].eq_ignore_ascii_case(p));
        if needs_person {
            let Some(k) = s.ws.iter().position(|w| w.start >= to) else {
                continue;
            };
            let at = if matches!(s.bare(k), "all" | "every") {
                k + 1
            } else {
                k
            };
            if !s.np_at(at).is_some_and(|np| np.who.is_person()) {
                continue;
            }
        }
        out.add(Finding::at(
            Code::BehaviourAction,
            from,
            to,
            format!("\"{}\" asks people to behave differently", &sentence[from..to]),
            "suggest a change to a system or a process, e.g. \"make the deploy script refuse unreviewed migrations\"",
        ));
        return;
    }
}

/// Praise with a sting, in What Went Well: "for once he read the runbook", "at least
/// she didn't break anything else", "Rosa finally stopped restarting pods".
fn backhanded_praise(s: &Sentence, out: &mut Findings) {
    let n = s.len();
    let Some(person) = (0..n).find(|&k| s.np_at(k).is_some_and(|np| np.who.is_definite())) else {
        return;
    };
    let person_after = |j: usize| s.np_at(j).is_some_and(|np| np.who.is_definite());
    let denied = (0..n).any(|j| {
        matches!(
            s.bare(j),
            "not" | "never" | "admitted" | "owned" | "remembered" | "managed" | "bothered"
        ) || s.bare(j).ends_with("n't")
            || s.bare(j).ends_with("n’t")
    });
    let marker = (0..n).find(|&k| {
        s.at(k, &["for", "once"])
            || s.at(k, &["any", "worse"])
            || s.at(k, &["anything", "else"])
            || s.at(k, &["things", "worse"])
            || s.at(k, &["at", "least"]) && denied
            || s.at(k, &["this", "time"]) && denied
            || s.at(k, &["for", "a", "change"])
            // "unlike the incident commander", "in spite of the intern", "more than the
            // on-call did", "once Dragomir admitted…".
            || matches!(s.bare(k), "unlike" | "despite") && person_after(k + 1)
            || s.at(k, &["in", "spite", "of"]) && person_after(k + 3)
            || s.at(k, &["more", "than"]) && person_after(k + 2)
            || matches!(s.bare(k), "admitted" | "confessed") && person < k
            || matches!(s.bare(k), "finally" | "eventually")
                && (k + 1..(k + 4).min(n)).any(|j| {
                    matches!(
                        s.bare(j),
                        "stopped"
                            | "listened"
                            | "admitted"
                            | "read"
                            | "followed"
                            | "asked"
                            | "bothered"
                            | "agreed"
                            | "remembered"
                            | "woke"
                            | "answered"
                            | "responded"
                            | "showed"
                            | "acknowledged"
                            | "stopping"
                            | "listening"
                            | "admitting"
                            | "reading"
                            | "following"
                            | "asking"
                            | "bothering"
                            | "agreeing"
                            | "remembering"
                            | "waking"
                            | "answering"
                            | "responding"
                            | "showing"
                            | "acknowledging"
                    )
                })
            // "given his record", "pity she introduced it", "once the on-call actually
            // looked": the person's usual, or a sting after the praise.
            || s.bare(k) == "given"
                && matches!(s.bare(k + 1), "his" | "her" | "their")
                && (s.bare(k + 2) == "record" || s.at(k + 2, &["track", "record"]))
            || matches!(s.bare(k), "pity" | "shame") && (k + 1..(k + 4).min(n)).any(person_after)
            || s.bare(k) == "actually"
                && person < k
                && s.ws.get(k + 1).is_some_and(|w| w.is(DILIGENCE))
    });
    let Some(k) = marker else {
        return;
    };
    let (from, to) = (k.min(person), (k + 1).max(person).min(n - 1));
    out.add(finding(
        s,
        Code::BlameWords,
        from,
        to,
        format!("\"{}\" praises with a sting", s.quote(from, to)),
        "say what went well and what made it possible (a signal, a tool, a practice), not how this compares with the person's usual",
    ));
}

/// "Root cause" in the singular.
fn root_cause(s: &Sentence, out: &mut Findings) {
    let ws = &s.ws;
    for at in 0..ws.len().saturating_sub(1) {
        // "not a root cause", "rather than a single root cause" argue against the idea.
        let contrasted = ws[..at].iter().rev().take(3).any(|w| {
            matches!(
                w.lower.as_ref(),
                "not" | "than" | "no" | "single" | "instead"
            )
        }) || ws[..at]
            .iter()
            .rev()
            .take(6)
            .any(|w| w.lower.starts_with("avoid") || w.lower == "call" || w.lower == "calling");
        // "the primary root cause", "another root cause": one of several.
        let one_of_several = at > 0
            && matches!(
                ws[at - 1].lower.as_ref(),
                "primary" | "main" | "secondary" | "another" | "contributing" | "first" | "second"
            );
        // "root cause analysis", "root cause discovery" name a practice; a heading
        // "Root Cause" names a section.
        let practice = ws.get(at + 2).is_some_and(|w| {
            ["analys", "discover", "identif", "investigat", "hunt"]
                .iter()
                .any(|p| w.lower.starts_with(p))
        }) || ws.len() == 2;
        if ws[at].lower == "root"
            && ws[at + 1].lower == "cause"
            && !contrasted
            && !practice
            && !one_of_several
        {
            let human = s.text[ws[at + 1].end..].to_lowercase();
            let human = human
                .trim_start_matches([':', ' ', '-', '—'])
                .starts_with("human error")
                || human.trim_start().starts_with("was human error");
            out.add(Finding {
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
            return;
        }
    }
}
