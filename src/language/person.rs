//! Who a sentence is about: its words, its clauses, and which of its noun phrases are
//! people. No front matter is needed: a name is recognised by where it stands and how
//! it is written (a capitalised word that is not a common word, a product or one of the
//! post-mortem's services), a role by its noun ("the new hire", "the vendor engineer"),
//! a person by a pronoun; configured names, authors and participants only add to that.

use std::borrow::Cow;
use std::cell::OnceCell;

use rustc_hash::FxHashSet;

use super::names_in_context;
use super::words::class::*;
use super::words::classes;
use crate::model::ProseBlock;

/// A word of a sentence: its text as written, lower-cased, and byte range.
#[derive(Debug, Clone)]
pub(super) struct Word<'a> {
    pub(super) text: &'a str,
    /// Lower-cased, with ’ as '. Borrowed when the text already is.
    pub(super) lower: Cow<'a, str>,
    pub(super) start: usize,
    pub(super) end: usize,
    /// The word's classes (`words::class`), of its form without a possessive 's.
    pub(super) class: u64,
    /// "Ravi's", "engineers'".
    pub(super) possessive: bool,
}

impl Word<'_> {
    /// The lower-cased word without a possessive 's.
    pub(super) fn bare(&self) -> &str {
        if self.possessive {
            self.lower
                .strip_suffix("'s")
                .or_else(|| self.lower.strip_suffix('\''))
                .unwrap_or(&self.lower)
        } else {
            &self.lower
        }
    }

    pub(super) fn is(&self, bits: u64) -> bool {
        self.class & bits != 0
    }

    pub(super) fn capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
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
                let text = sentence[s..i]
                    .trim_end_matches(['.', '-'])
                    .trim_start_matches(['\'', '’', '-', '.']);
                let s = s
                    + (sentence[s..i].len()
                        - sentence[s..i]
                            .trim_start_matches(['\'', '’', '-', '.'])
                            .len());
                // A closing quote mark is not part of the word; a possessive is.
                let text = match text.char_indices().next_back() {
                    Some((at, '\'' | '’')) if !text[..at].ends_with(['s', 'S']) => &text[..at],
                    _ => text,
                };
                if !text.is_empty() {
                    let plain = !text.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80);
                    let lower: Cow<str> = if plain {
                        Cow::Borrowed(text)
                    } else {
                        Cow::Owned(text.to_lowercase().replace('’', "'"))
                    };
                    let possessive = lower.len() > 2
                        && (lower.ends_with("'s") || (lower.ends_with("s'") && lower.len() > 3));
                    let bare = if possessive {
                        lower
                            .strip_suffix("'s")
                            .or_else(|| lower.strip_suffix('\''))
                            .unwrap_or(&lower)
                    } else {
                        &lower
                    };
                    let class = classes(bare);
                    out.push(Word {
                        text,
                        class,
                        lower,
                        possessive,
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

/// What the lint knows about the people of one post-mortem.
pub(super) struct People<'a> {
    /// Configured names, and the authors' and participants'.
    pub(super) names: FxHashSet<String>,
    /// Names seen in person-like context in the prose, found only when first needed:
    /// most sentences never ask.
    pub(super) inferred: OnceCell<FxHashSet<String>>,
    pub(super) prose: &'a [ProseBlock],
    /// The post-mortem's services, teams and tags and their parts ("orders-api",
    /// "orders"): capitalised, they name systems, not people.
    pub(super) things: FxHashSet<String>,
}

impl People<'_> {
    pub(super) fn is_known(&self, lower: &str) -> bool {
        self.names.contains(lower)
    }

    fn inferred(&self, lower: &str) -> bool {
        self.inferred
            .get_or_init(|| names_in_context(self.prose))
            .contains(lower)
    }
}

/// Who a noun phrase is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Who {
    /// A name or an @handle.
    Named,
    /// "he", "she", "you".
    Pronoun,
    /// "they": people, or things.
    They,
    /// "the engineer", "the on-call", "a new hire".
    Role,
    /// "engineers", "new hires", "people".
    Roles,
    /// "someone", "somebody", "anyone".
    Someone,
    /// "the team", "the support team", "Support".
    Team,
    /// "I", "we": owning a decision is not blame.
    FirstPerson,
    /// "nobody", "no one", "only one person".
    Nobody,
    /// Anything else: "the alert", "it".
    Thing,
}

impl Who {
    pub(super) fn is_person(self) -> bool {
        matches!(
            self,
            Who::Named
                | Who::Pronoun
                | Who::They
                | Who::Role
                | Who::Roles
                | Who::Someone
                | Who::Team
        )
    }

    /// A person whom a failing systems share ("failed", "broke") still points at: not
    /// "they", which is as often the pods as the people.
    pub(super) fn is_definite(self) -> bool {
        self.is_person() && self != Who::They
    }
}

/// A noun phrase: who it is, and its words `start..end`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Np {
    pub(super) who: Who,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// A sentence as the rules read it.
pub(super) struct Sentence<'a, 'p> {
    pub(super) text: &'a str,
    pub(super) ws: Vec<Word<'a>>,
    pub(super) people: &'p People<'p>,
    /// The first word after a timestamp or an id that opens a timeline entry or an
    /// action item ("10:42", "2024-03-01 14:05 UTC:", "AI-12:").
    pub(super) first: usize,
    /// Per word: whether a clause opens there.
    pub(super) opens: Vec<bool>,
    /// Per word: whether a capital letter there is the sentence's, not a name's.
    pub(super) initial: Vec<bool>,
    /// Per word: whether punctuation stands before it.
    pause: Vec<bool>,
    /// Whether the sentence is in the Timeline, where "missed the page" is a fact.
    pub(super) timeline: bool,
    /// Per clause opening (by word): its subject, once resolved.
    subjects: Vec<Option<Np>>,
}

/// Words of a timestamp or an id: "10:42", "2024-03-01", "UTC", "AI-2024-017".
fn is_stamp(w: &Word) -> bool {
    w.is(TIME) || w.text.bytes().any(|b| b.is_ascii_digit())
}

impl<'a, 'p> Sentence<'a, 'p> {
    pub(super) fn new(text: &'a str, people: &'p People<'p>, timeline: bool) -> Sentence<'a, 'p> {
        let ws = words(text);
        let n = ws.len();
        let mut first = 0;
        while first < n && is_stamp(&ws[first]) {
            first += 1;
        }
        let mut opens = vec![false; n];
        let mut initial = vec![false; n];
        let mut pause = vec![false; n];
        for i in 0..n {
            let gap = if i == 0 {
                &text[..ws[0].start]
            } else {
                &text[ws[i - 1].end..ws[i].start]
            };
            let strong = gap.contains([
                ';', ':', '(', ')', '[', ']', '—', '–', '!', '?', '\n', '"', '“', '*',
            ]) || gap.contains(" - ")
                || gap.starts_with("- ");
            initial[i] = i <= first || strong;
            pause[i] = strong || gap.contains(',');
            // "once again", "even" alone: adverbs, not the start of a clause.
            let adverbial = match ws[i].bare() {
                "once" | "then" | "yet" => ws.get(i + 1).is_some_and(|n| n.bare() == "again"),
                "even" => !ws
                    .get(i + 1)
                    .is_some_and(|n| matches!(n.bare(), "though" | "if" | "when" | "after")),
                _ => false,
            };
            opens[i] = i == first
                || strong
                || gap.contains(',')
                || ws[i].is(LEAD) && !adverbial && !(i > 0 && ws[i - 1].bare() == "even");
        }
        let mut s = Sentence {
            text,
            ws,
            people,
            first,
            opens,
            initial,
            pause,
            timeline,
            subjects: vec![None; n],
        };
        // A clause without a subject of its own takes the last main clause's: "Yusuf
        // turned off the alert because it was noisy and never turned it back on".
        let mut main: Option<Np> = None;
        let mut previous = 0;
        for i in 0..n {
            if s.opens[i] {
                let own = s.find_subject(i);
                // "Beatriz, who was in a hurry, skipped …", "Engineer on duty (Kwabena)
                // did not respond": a first phrase without a verb is the subject of
                // what follows the interruption.
                if main.is_none()
                    && own.is_none()
                    && i == first
                    && let Some(np) = s.np_at(i).filter(|np| np.who.is_person())
                {
                    main = Some(np);
                }
                s.subjects[i] = own.or_else(|| s.passive_coordination(i, previous)).or(main);
                previous = i;
                let subordinate = matches!(
                    s.ws[i].bare(),
                    "because"
                        | "since"
                        | "although"
                        | "though"
                        | "once"
                        | "while"
                        | "when"
                        | "whenever"
                        | "if"
                        | "unless"
                        | "despite"
                        | "after"
                        | "before"
                        | "until"
                        | "as"
                        | "that"
                        | "which"
                        | "who"
                        | "whereas"
                        | "whose"
                        | "where"
                );
                if own.is_some() && !subordinate {
                    main = own;
                }
            }
        }
        s
    }

    /// "…that the volume was sized at launch and never revisited": a participle
    /// joined to a passive clause by "and" has that clause's subject, not the main
    /// clause's.
    fn passive_coordination(&self, i: usize, previous: usize) -> Option<Np> {
        if !matches!(self.ws[i].bare(), "and" | "or" | "but") || previous >= i {
            return None;
        }
        let participle = |w: &Word| w.bare().ends_with("ed") || w.is(PAST);
        let passive = (previous..i).any(|k| {
            matches!(
                self.ws[k].bare(),
                "was" | "were" | "been" | "be" | "is" | "are"
            ) && (k + 1..(k + 4).min(i)).any(|j| participle(&self.ws[j]))
        });
        let end = self.clause_end(i);
        let v = (i + 1..end).find(|&j| !self.ws[j].is(ADVERB))?;
        let object = self
            .ws
            .get(v + 1)
            .is_some_and(|o| v + 1 < end && (o.is(DET | PERSONAL | THING) || self.is_name(v + 1)));
        (passive && participle(&self.ws[v]) && !object)
            .then(|| self.subjects[previous])
            .flatten()
    }

    pub(super) fn len(&self) -> usize {
        self.ws.len()
    }

    /// The end of the clause that word `i` is in.
    pub(super) fn clause_end(&self, i: usize) -> usize {
        (i + 1..self.len())
            .find(|&k| self.opens[k])
            .unwrap_or(self.len())
    }

    /// The opening of the clause that word `i` is in.
    pub(super) fn clause_start(&self, i: usize) -> usize {
        (0..=i).rev().find(|&k| self.opens[k]).unwrap_or(0)
    }

    /// The subject of the clause word `i` is in: its own, or the one before it
    /// ("Hamid didn't check, and ran the drop", "…, ignoring the branch rules").
    pub(super) fn subject_of(&self, i: usize) -> Option<Np> {
        self.subjects[self.clause_start(i)]
    }

    /// Whether word `i` is a person's name. Configured and inferred names count as
    /// written anywhere; otherwise a name is a capitalised word that is not a common
    /// word, a product, an acronym, one of this post-mortem's systems, or a word after
    /// "the"; where any word is capitalised (a sentence's start), a word with the
    /// ending of a common noun is not taken for one either.
    pub(super) fn is_name(&self, i: usize) -> bool {
        let w = &self.ws[i];
        let bare = w.bare();
        if w.lower.starts_with('@') && w.lower.len() > 1 {
            return true;
        }
        if self.people.is_known(bare) {
            return true;
        }
        if !w.capitalised() || bare.chars().count() < 2 {
            return false;
        }
        let letters = w
            .text
            .trim_end_matches(['\'', '’', 's'])
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'));
        if !letters {
            return false;
        }
        // Acronyms and product names written in camel case (DNS, PagerDuty).
        let mut prev = '-';
        for c in w.text.chars() {
            if c.is_uppercase() && !matches!(prev, '-' | '\'' | '’') && prev != 'c' {
                return false;
            }
            prev = c;
        }
        if self.people.inferred(bare) {
            return true;
        }
        // "Will approved his own PR", "Will's doing": a name that is also a modal.
        if matches!(bare, "will" | "may") {
            return w.possessive || self.is_verbish(i + 1) && !self.ws[i + 1].is(AUX | DET);
        }
        if w.class & !(ADVERB | PAST | DILIGENCE | FAILING | WEAK | BAD | FAULT | CUES) != 0
            || self.people.things.contains(bare)
        {
            return false;
        }
        // "the Payments team", "our Platform squad": a determiner makes it a thing.
        if i > 0
            && matches!(
                self.ws[i - 1].bare(),
                "the"
                    | "a"
                    | "an"
                    | "our"
                    | "their"
                    | "its"
                    | "your"
                    | "my"
                    | "every"
                    | "each"
                    | "any"
                    | "these"
                    | "those"
            )
        {
            return false;
        }
        // "Jun 12", "Sprint 4": a date or a number, not a person.
        if self
            .ws
            .get(i + 1)
            .is_some_and(|n| n.text.starts_with(|c: char| c.is_ascii_digit()))
        {
            return false;
        }
        // "Cloud SQL", "Black Friday": a product or a day written in two words.
        if let Some(next) = self.ws.get(i + 1)
            && !self.opens[i + 1]
            && next
                .text
                .chars()
                .all(|c| c.is_uppercase() || c.is_ascii_digit())
            && next.text.len() > 1
        {
            return false;
        }
        // "Postgres-to-Redis": a hyphenated name has no common word for a part.
        if bare.contains('-')
            && bare
                .split('-')
                .any(|part| classes(part) & (NOT_NAME | PREP | DET | LEAD | AUX) != 0)
        {
            return false;
        }
        if self.initial[i] {
            const NOUN_ENDINGS: &[&str] = &[
                "ing", "tion", "sion", "ment", "ness", "ity", "ance", "ence", "ism", "ics", "ship",
                "hood", "ure", "age", "ogy", "ist", "ers", "ies", "ors",
            ];
            if w.is(CORRECT | ADVERB | PAST) || NOUN_ENDINGS.iter().any(|e| bare.ends_with(e)) {
                return false;
            }
            // Where every word is capitalised, a name is known by what follows it: a
            // verb ("Priya forgot", "Hope didn't"), a pause, or another name ("Chen
            // Wei"); not a noun ("Downstream actions", "Graphs show") or a
            // preposition ("Combined with").
            if !w.possessive {
                let Some(next) = self.ws.get(i + 1) else {
                    return true;
                };
                // "Scripted, reviewed mitigations…": a participle before a pause.
                let follows = self.pause[i + 1] && !bare.ends_with("ed")
                    || next.is(ADVERB | AUX | DILIGENCE | FAILING)
                    || matches!(
                        next.bare(),
                        "to" | "and" | "both" | "all" | "each" | "himself" | "herself"
                    )
                    || self.is_verbish(i + 1)
                    || next.capitalised()
                        && !self.initial[i + 1]
                        && next.class & (NOT_NAME | AUX | PREP | DET | LEAD) == 0
                        && self.is_name(i + 1);
                if !follows {
                    return false;
                }
            }
        }
        true
    }

    /// The noun phrase that starts at word `i`, and who it is.
    pub(super) fn np_at(&self, i: usize) -> Option<Np> {
        let w = self.ws.get(i)?;
        let bare = w.bare();
        let one = |who| {
            Some(Np {
                who,
                start: i,
                end: i + 1,
            })
        };
        if matches!(bare, "i" | "we" | "us") {
            return one(Who::FirstPerson);
        }
        if w.is(NOBODY) {
            return one(Who::Nobody);
        }
        if w.is(SOMEONE) && !w.possessive {
            return one(Who::Someone);
        }
        if w.is(PERSONAL) {
            return one(if matches!(bare, "they" | "them") {
                Who::They
            } else {
                Who::Pronoun
            });
        }
        if self.is_name(i) {
            let mut end = i + 1;
            while end < self.len()
                && !self.opens[end]
                && !self.ws[end - 1].possessive
                && self.is_name(end)
            {
                end += 1;
            }
            return Some(Np {
                who: Who::Named,
                start: i,
                end,
            });
        }
        if w.is(DET) || w.is(ROLE | ROLES | TEAM) || !w.is(AUX | PREP | LEAD | THING) {
            return Some(self.phrase(i));
        }
        if w.is(THING) {
            return one(Who::Thing);
        }
        None
    }

    /// A noun phrase opened by a determiner or a noun: its head decides who it is.
    fn phrase(&self, i: usize) -> Np {
        let det = self.ws[i].is(DET) && !self.ws[i].is(ROLE | ROLES | TEAM);
        let negated = matches!(self.ws[i].bare(), "no" | "only");
        // "one of the engineers", "some of the reviewers": the people after "of".
        if matches!(
            self.ws[i].bare(),
            "one"
                | "some"
                | "several"
                | "two"
                | "three"
                | "many"
                | "most"
                | "each"
                | "all"
                | "both"
        ) && self.ws.get(i + 1).is_some_and(|w| w.bare() == "of")
            && i + 2 < self.len()
        {
            let np = self.phrase(i + 2);
            return Np { start: i, ..np };
        }
        let mut who = Who::Thing;
        let mut k = if det { i + 1 } else { i };
        // "only one person", "all new hires": a quantifier after the determiner.
        if det
            && self
                .ws
                .get(k)
                .is_some_and(|w| matches!(w.bare(), "one" | "two" | "all" | "the"))
            && k + 1 < self.len()
        {
            k += 1;
        }
        let mut end = k.max(i + 1);
        let limit = (k + 5).min(self.len());
        while k < limit && (k == i || !self.opens[k]) {
            let w = &self.ws[k];
            if w.is(ROLE | ROLES) {
                who = if w.is(ROLES) { Who::Roles } else { Who::Role };
            } else if w.is(TEAM) && !w.is(ROLE_MODIFIED) || w.bare() == "team" {
                who = Who::Team;
            } else if w.is(ROLE_MODIFIED) && who != Who::Thing {
                who = Who::Thing;
            } else if w.is(AUX | PREP | PAST | LEAD | PERSONAL)
                || (k > i && w.is(DET))
                || (k > i && self.is_name(k))
                // "an overworked SRE": a participle between the determiner and a role
                // describes the person; elsewhere it is the verb.
                || (k > i
                    && w.lower.ends_with("ed")
                    && !(det
                        && k == i + 1
                        && self.ws.get(k + 1).is_some_and(|n| n.is(ROLE | ROLES))))
                || (who != Who::Thing && k > i)
            {
                break;
            } else {
                who = Who::Thing;
            }
            end = k + 1;
            k += 1;
            if w.possessive {
                // "the on-call's slow response": the person owns the phrase's head.
                who = Who::Thing;
            }
        }
        if negated && who.is_person() {
            who = Who::Nobody;
        }
        Np { who, start: i, end }
    }

    /// The person or thing that ends at word `j`, read backwards: "Priya" in "the
    /// change Priya forgot", "she" in "At this point she had".
    pub(super) fn np_ending_at(&self, j: usize) -> Option<Np> {
        let w = &self.ws[j];
        let one = |who| {
            Some(Np {
                who,
                start: j,
                end: j + 1,
            })
        };
        if w.possessive {
            return None;
        }
        if matches!(w.bare(), "who" | "that") && j > 0 {
            return self.np_ending_at(j - 1);
        }
        if matches!(w.bare(), "i" | "we") {
            return one(Who::FirstPerson);
        }
        if w.is(NOBODY) {
            return one(Who::Nobody);
        }
        if w.is(SOMEONE) {
            return one(Who::Someone);
        }
        if w.is(PERSONAL) {
            return one(if matches!(w.bare(), "they" | "them") {
                Who::They
            } else {
                Who::Pronoun
            });
        }
        if self.is_name(j) {
            return one(Who::Named);
        }
        // The noun group ending at `j`: back over adjectives and nouns to its
        // determiner ("too much access", "the on-call engineer").
        let mut start = j;
        while start > 0 && j - start < 4 && !self.opens[start] {
            let before = &self.ws[start - 1];
            if before.is(AUX | PREP | LEAD | PAST | PERSONAL | SOMEONE | NOBODY)
                || before.possessive && !before.is(DET)
                || self.is_verbish(start - 1)
            {
                break;
            }
            start -= 1;
            if before.is(DET) {
                break;
            }
        }
        let np = self.phrase(start);
        if np.end == j + 1 {
            if np.who == Who::Thing && w.is(ROLES) {
                return Some(Np {
                    who: Who::Roles,
                    start,
                    end: j + 1,
                });
            }
            return Some(np);
        }
        let who = if w.is(ROLES) { Who::Roles } else { Who::Thing };
        Some(Np {
            who,
            start,
            end: j + 1,
        })
    }

    /// The subject of the clause opening at word `c`: after its conjunctions and
    /// sentence adverbs, and after a leading phrase ("At this point she …"); `None`
    /// when the clause opens with a verb ("…, ignoring the rules").
    fn find_subject(&self, c: usize) -> Option<Np> {
        let n = self.len();
        let end = self.clause_end(c);
        let mut k = c;
        // "Anika, who merged …": the person before the comma; "…, which caused it":
        // the clause before, a thing.
        match self.ws[c].bare() {
            "who" if c > 0 => return self.np_ending_at(c - 1),
            "which" => {
                return Some(Np {
                    who: Who::Thing,
                    start: c,
                    end: c + 1,
                });
            }
            _ => {}
        }
        while k < end && (self.ws[k].is(LEAD | ADVERB) && !self.ws[k].is(DET | SOMEONE | PERSONAL))
        {
            k += 1;
        }
        if k < end && self.ws[k].bare() == "that" && self.is_verbish(k + 1) && c > 0 {
            return self.np_ending_at(c - 1);
        }
        if k < end && self.ws[k].is(PREP) && !self.ws[k].is(DET) {
            // Skip a short phrase: "At this point", "In short", "On 3 April".
            let mut j = k + 1;
            while j < end && j < k + 5 {
                let w = &self.ws[j];
                if w.is(PERSONAL | SOMEONE) || (self.is_name(j) && !self.initial[j] && j > k + 1) {
                    break;
                }
                j += 1;
            }
            if j < end && j < k + 5 {
                k = j;
            } else {
                return None;
            }
        }
        if k >= n || k >= end || self.is_verbish(k) {
            return None;
        }
        // "…, as usual", "…, again": a clause without a verb has no subject.
        let np = self.np_at(k)?;
        (np.end..end)
            .any(|j| self.is_verbish(j) || self.ws[j].is(DILIGENCE))
            .then_some(np)
    }

    /// Whether word `i` looks like a verb, so that a clause opening with it has no
    /// subject of its own.
    pub(super) fn is_verbish(&self, i: usize) -> bool {
        let Some(w) = self.ws.get(i) else {
            return false;
        };
        if w.is(PERSONAL | SOMEONE | NOBODY | DET) || self.is_name(i) {
            return false;
        }
        let l = w.bare();
        w.is(AUX | PAST | FAILING)
            || (l.ends_with("ed") && !w.is(ROLE | ROLES | TEAM))
            || (l.ends_with("ing") && !w.is(ROLE | ROLES | TEAM | NOT_NAME))
            || matches!(l, "to" | "not" | "never")
    }
}
