//! Which sentences of a prose block can hold a finding, decided in one pass over the
//! block from word classes alone: each word is looked up once in the lexicon, and a
//! sentence is read by the rules (segmented, parsed into clauses and phrases) only
//! when its words make some rule possible. Every rule but the judging words needs a
//! person, so a sentence needs a cue of one (a pronoun, a role, a team, "someone", a
//! capitalised name, an @handle, a possessive) and the words a rule turns on: a
//! failing ("forgot"), a negation close before a word of care ("didn't check"), a
//! possessive before a fault ("Ravi's oversight"), a hindsight modal ("should have",
//! "had Olga run"), an imperative or "to" after a person (action items); or a judging
//! word or phrase; or a question that asks who did something. The combinations are
//! those the rules in `sentence` require, so the gate only drops sentences the rules
//! would find nothing in (a test holds the two together); most prose has none of
//! them and costs only this pass.

use super::person::People;
use super::words::class::*;
use super::words::{
    Check, PHRASE_KEYS, classes, knows, responds, ships, skipped_care, unvetted, warned_of,
};

/// The kind of section a block is in: imperatives and "X to …" aim at people only
/// in the Action Items and the Improvement Opportunities; behaviour phrases ("be more
/// careful") only in the Action Items; backhanded praise only in What Went Well.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Actions,
    Improvements,
    /// What Went Well, where praise can be backhanded ("for once he read the runbook").
    WentWell,
    Other,
}

impl Kind {
    /// Whether action items stand here: imperatives, "X to …".
    pub(super) fn actions(self) -> bool {
        matches!(self, Kind::Actions | Kind::Improvements)
    }

    pub(super) fn of(section: Option<&str>) -> Kind {
        match section {
            Some("Action Items") => Kind::Actions,
            Some("Improvement Opportunities") => Kind::Improvements,
            Some("What Went Well") => Kind::WentWell,
            _ => Kind::Other,
        }
    }
}

/// A word of the pass: lower-cased, without a possessive 's, in a small buffer.
#[derive(Clone, Copy)]
struct Token {
    buf: [u8; 24],
    len: usize,
    class: u64,
}

impl Token {
    const NONE: Token = Token {
        buf: [0; 24],
        len: 0,
        class: 0,
    };

    fn text(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// What the words of one sentence so far make possible, and what the last words
/// leave open.
struct Cues {
    person: bool,
    deed: bool,
    modal: bool,
    judging: bool,
    question: bool,
    asks_who: bool,
    /// A word that opens a question about someone: "why", "what", "did".
    asks: bool,
    imperative: bool,
    /// A comma stood before the next word.
    pause: bool,
    /// Words read, timestamps and ids at the start left out.
    words: usize,
    /// The first word may be a name (capitalised, or in lower case and unknown): a
    /// person if a verb follows.
    maybe_name: bool,
    /// That word ends in -ed ("Scripted, reviewed…"): a pause after it is no sign.
    maybe_participle: bool,
    first_is_person: bool,
    /// "X to": the verb after it decides whether the item aims at X.
    to_after_person: bool,
    /// The next word opens a clause after a colon, a semicolon or a dash.
    initial: bool,
    /// Words left in which a word of care makes a neglect ("didn't bother to check").
    negation: u8,
    /// "never": a past tense close after it is a failing too.
    never: bool,
    /// "without", "instead of": only a gerund of care counts ("without testing").
    without: bool,
    /// Words left after a person's possessive in which a fault counts.
    owned: u8,
    /// Words left after a verb of making in which a mistake or a bad call counts.
    made: u8,
    /// Words left after "merged", "pushed", … in which "untested" counts.
    shipped: u8,
    /// Earlier words a later one completes: "let … expire", "left … on", "knew … was
    /// required", "warned … still", "wanted to get home", "pasted … the token",
    /// "waited … before escalating", "if … had".
    seen: u16,
    prev: Token,
    prev2: Token,
}

const LET: u16 = 1;
const LEFT: u16 = 1 << 1;
const KNEW: u16 = 1 << 2;
const WARNED: u16 = 1 << 3;
const WANTED: u16 = 1 << 4;
const SHARED: u16 = 1 << 5;
const WAITED: u16 = 1 << 6;
const IF: u16 = 1 << 7;
const BLAME_NOUN: u16 = 1 << 8;
/// "The mistake was…": a fault whose owner may follow.
const FAULT_WAS: u16 = 1 << 9;

impl Cues {
    fn new() -> Cues {
        Cues {
            person: false,
            deed: false,
            modal: false,
            judging: false,
            question: false,
            asks_who: false,
            asks: false,
            imperative: false,
            pause: false,
            words: 0,
            maybe_name: false,
            maybe_participle: false,
            first_is_person: false,
            to_after_person: false,
            initial: true,
            negation: 0,
            never: false,
            without: false,
            owned: 0,
            made: 0,
            shipped: 0,
            seen: 0,
            prev: Token::NONE,
            prev2: Token::NONE,
        }
    }

    fn pass(&self) -> bool {
        self.judging
            || self.question && self.asks_who
            || self.person
                && (self.deed || self.modal || self.imperative || self.question && self.asks)
    }
}

/// The byte ranges of the sentences of `text` (cut at a `.`, `?` or `!` before white
/// space, which unicode-segmentation then splits properly) that some rule could find
/// something in. `actions`: the block is in the Action Items, where behaviour
/// phrases count.
pub(super) fn sentences(text: &str, people: &People, kind: Kind) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let word_byte =
        |d: u8| d.is_ascii_alphanumeric() || matches!(d, b'\'' | b'-' | b'_' | b'@' | b'.');
    let mut out = Vec::new();
    let mut cues = Cues::new();
    let mut start = 0;
    let mut quoted = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let (is_word, width) = if c < 0x80 {
            (word_byte(c), 1)
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            (ch.is_alphanumeric() || ch == '’', ch.len_utf8())
        };
        if is_word {
            let mut j = i + width;
            while j < bytes.len() {
                let d = bytes[j];
                if d < 0x80 {
                    if !word_byte(d) {
                        break;
                    }
                    j += 1;
                } else {
                    let ch = text[j..].chars().next().unwrap_or(' ');
                    if !(ch.is_alphanumeric() || ch == '’') {
                        break;
                    }
                    j += ch.len_utf8();
                }
            }
            if !quoted {
                read_word(&text[i..j], &mut cues, people, kind);
            }
            i = j;
            // A full stop before white space ends the sentence; the word took it in
            // ("a.m." and "e.g." do not).
            if bytes[j - 1] == b'.'
                && bytes.get(j).is_none_or(|d| d.is_ascii_whitespace())
                && !(j >= 3 && bytes[j - 3] == b'.')
            {
                if cues.pass() {
                    out.push((start, j));
                }
                start = j;
                cues = Cues::new();
            }
            continue;
        }
        match c {
            b'"' => quoted = !quoted,
            0xE2 if text[i..].starts_with('“') => quoted = true,
            0xE2 if text[i..].starts_with('”') => quoted = false,
            b'?' => cues.question = true,
            // "Beatriz, who was in a hurry, …": a name before a pause.
            b',' => {
                cues.pause = true;
                if std::mem::take(&mut cues.maybe_name) && !cues.maybe_participle {
                    cues.person = true;
                }
            }
            _ => {}
        }
        if matches!(c, b':' | b';' | b'(' | b')') || text[i..].starts_with(['—', '–']) {
            cues.initial = true;
        }
        if matches!(c, b'?' | b'!') && bytes.get(i + 1).is_none_or(|d| d.is_ascii_whitespace()) {
            if cues.pass() {
                out.push((start, i + 1));
            }
            start = i + 1;
            cues = Cues::new();
        }
        i += width;
    }
    if start < bytes.len() && cues.pass() {
        out.push((start, bytes.len()));
    }
    out
}

/// The first word of each sentence of `text` when it is an imperative that may aim
/// an action item at a person ("Coach…", "Remind…"), or when the second is "to", a
/// modal or a verb of needing ("Kenji to…", "Jo will…", "we should…", "Nadia needs…"):
/// the anchors of the action-item rules, which `words::anchors` cannot hold (their
/// verbs are common words).
pub(super) fn imperatives(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    // Whether the sentence from `at` opens with such words; pushes the first.
    let mut opens_at = |at: usize| {
        // The sentence's first two words, past timestamps and ids.
        let mut words = text[at..]
            .split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '@')))
            .filter(|w| !w.is_empty() && !w.bytes().any(|b| b.is_ascii_digit()));
        let first = words.next().unwrap_or("");
        let second = words.next().unwrap_or("");
        let (t, _) = token(first);
        let second = second.to_ascii_lowercase();
        if t.class & CORRECT != 0
            || matches!(
                second.as_str(),
                "to" | "will"
                    | "must"
                    | "should"
                    | "shall"
                    | "needs"
                    | "need"
                    | "has"
                    | "gets"
                    | "receives"
                    | "deserves"
                    | "requires"
            )
        {
            let start = at + text[at..].find(first).unwrap_or(0);
            out.push((start, start + first.len()));
        }
    };
    let mut at = 0;
    while at < bytes.len() {
        opens_at(at);
        // "Team leads: make sure…": an addressee of a few words before a colon.
        let near = &bytes[at..(at + 40).min(bytes.len())];
        if let Some(colon) = near.windows(2).position(|w| w == b": ").filter(|&c| {
            let head = &text[at..at + c];
            !head.bytes().any(|b| b.is_ascii_digit() || b == b'.')
                && head.split_whitespace().count() <= 3
        }) {
            opens_at(at + colon + 2);
        }
        // The next sentence: after a `.`, `?` or `!` before white space.
        let next = (at..bytes.len()).find(|&i| {
            matches!(bytes[i], b'.' | b'?' | b'!')
                && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
        });
        match next {
            Some(i) => at = i + 1,
            None => break,
        }
    }
    out
}

/// Whether what stands after an anchor (at `end` in `text`, before `until`) makes
/// the check its match needs (`Check`).
pub(super) fn check(
    check: Check,
    text: &str,
    start: usize,
    end: usize,
    from: usize,
    until: usize,
) -> bool {
    if matches!(check, Check::None | Check::Praise) {
        return true;
    }
    if check == Check::Question {
        // "Why did…?", "Who ran…?", "What was … thinking?", "Did … really…?", and
        // "…know why…": not "How might we…?".
        let sentence = text[from..start.min(until)].to_ascii_lowercase();
        let mut words = sentence
            .split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’')))
            .filter(|w| !w.is_empty() && !w.bytes().any(|b| b.is_ascii_digit()));
        let first = words.next().unwrap_or("");
        let second = words.next().unwrap_or("");
        return sentence.contains("why")
            || matches!(first, "who" | "whose")
            || asks_of_a_person(first)
            || first == "what"
                && matches!(
                    second,
                    "was" | "were" | "is" | "made" | "makes" | "possessed"
                )
            || sentence.contains("how could")
            || first == "how" && matches!(second, "did" | "does" | "do");
    }
    let rest = &text[end.min(until)..until];
    let words = rest
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '-')))
        .filter(|w| !w.is_empty());
    match check {
        Check::None | Check::Question | Check::Praise => true,
        Check::Care => words.take(5).any(|w| {
            let (t, _) = token(w);
            let knowledge = knows(t.text());
            t.class & DILIGENCE != 0
                || matches!(t.text(), "job" | "work" | "part")
                || (t.text().ends_with("ed") || t.class & PAST != 0)
                    && t.class & AUX == 0
                    && !knowledge
        }),
        Check::Response => {
            let words: Vec<&str> = words.take(8).collect();
            words
                .windows(2)
                .any(|w| matches!(w[0], "before" | "to") && responds(&w[1].to_ascii_lowercase()))
        }
        Check::Knew => words.take(8).any(|w| warned_of(&w.to_ascii_lowercase())),
        Check::Let => words.take(5).any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "expire" | "lapse" | "slip" | "rot" | "through" | "die" | "run" | "fail"
            )
        }),
        Check::Left => words.take(5).any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "on" | "enabled" | "unlocked" | "open" | "unattended"
            )
        }),
        Check::Had => words.into_iter().any(|w| {
            matches!(
                w.to_ascii_lowercase().replace('’', "'").as_str(),
                "had" | "hadn't" | "would" | "i'd" | "we'd" | "he'd" | "she'd" | "they'd" | "you'd"
            ) || w.ends_with("'d")
                || w.ends_with("’d")
        }),
    }
}

/// Lower-cases `word` (’ as ') into a token, without a possessive 's; an empty token
/// for a word too long for any cue. Returns the token and whether it was possessive.
fn token(word: &str) -> (Token, bool) {
    let mut t = Token::NONE;
    if word.is_ascii() {
        if word.len() > t.buf.len() {
            return (Token::NONE, false);
        }
        for (k, b) in word.bytes().enumerate() {
            t.buf[k] = b.to_ascii_lowercase();
        }
        t.len = word.len();
    } else {
        for ch in word.chars() {
            let ch = if ch == '’' { '\'' } else { ch };
            let mut tmp = [0u8; 4];
            let lower = ch
                .to_lowercase()
                .next()
                .unwrap_or(ch)
                .encode_utf8(&mut tmp)
                .as_bytes();
            if t.len + lower.len() > t.buf.len() {
                return (Token::NONE, false);
            }
            t.buf[t.len..t.len + lower.len()].copy_from_slice(lower);
            t.len += lower.len();
        }
    }
    let b = &t.buf[..t.len];
    let possessive = t.len > 2 && (b.ends_with(b"'s") || b.ends_with(b"s'"));
    if possessive {
        t.len -= if b.ends_with(b"'s") { 2 } else { 1 };
    }
    t.class = classes(t.text());
    (t, possessive)
}

/// Reads one word into the sentence's cues.
fn read_word(word: &str, cues: &mut Cues, people: &People, kind: Kind) {
    let actions = kind == Kind::Actions;
    let word = word
        .trim_end_matches(['.', '-'])
        .trim_start_matches(['\'', '’', '-', '.']);
    if word.is_empty() {
        return;
    }
    let initial = std::mem::take(&mut cues.initial);
    let pause = std::mem::take(&mut cues.pause);
    // Timestamps and ids before a timeline entry or an action item.
    if cues.words == 0 && word.bytes().any(|b| b.is_ascii_digit()) {
        cues.initial = true;
        return;
    }
    let (t, possessive) = token(word);
    let class = t.class;
    if class & TIME != 0 && cues.words == 0 {
        cues.initial = true;
        return;
    }
    let bare = t.text();
    let grammar = class & !CUES;
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    let acronym = word.chars().nth(1).is_some_and(char::is_uppercase);
    let prev_token = cues.prev;
    let prev_class = prev_token.class;
    let prev = prev_token.text();

    // People.
    if std::mem::take(&mut cues.maybe_name) {
        let name_after = capitalised && grammar & (NOT_NAME | AUX | PREP | DET | LEAD) == 0;
        let verbish = class & (AUX | PAST | FAILING | ADVERB | DILIGENCE | NEG | MODAL) != 0
            || bare.ends_with("ed")
            || matches!(
                bare,
                "to" | "and" | "both" | "all" | "each" | "himself" | "herself"
            )
            || name_after;
        if verbish {
            cues.person = true;
            cues.first_is_person |= cues.words == 1;
        }
    }
    if class & (ROLE | ROLES | TEAM | PERSONAL | SOMEONE | OWNER) != 0 || bare.starts_with('@') {
        cues.person = true;
        cues.first_is_person |= cues.words == 0;
    } else if capitalised && !acronym && grammar & (NOT_NAME | AUX | PREP | DET | LEAD) == 0 {
        if possessive || !initial {
            cues.person = true;
            cues.first_is_person |= cues.words == 0;
        } else {
            cues.maybe_name = true;
            cues.maybe_participle = bare.ends_with("ed");
        }
    } else if capitalised && !initial && matches!(bare, "will" | "may") {
        // "Why didn't Will read…": a name that is also a modal.
        cues.person = true;
    } else if grammar == 0 && !bare.is_empty() && people.is_known(bare) {
        cues.person = true;
        cues.first_is_person |= cues.words == 0;
    } else if cues.words == 0 && grammar == 0 && !capitalised && bare.len() >= 3 {
        // "nadia forgot…", "tomasz to be reminded…": perhaps a name in lower case.
        cues.maybe_name = true;
        cues.maybe_participle = false;
    }

    // Failings, states and deeds. The rules drop "missing" (an adjective) and
    // "failed" without "to".
    let mut deed = class & (PRED | JUDGING_ADVERB | DESTRUCTIVE) != 0
        || class & FAILING != 0 && !bare.starts_with("fail") && bare != "missing";
    if class & COMBO != 0 {
        deed |= combination(bare, prev, prev_class, cues);
    }
    if cues.seen & WAITED != 0 && responds(bare) {
        deed = true;
    }
    // A person's possessive, then a fault or a bad choice within a few words.
    if cues.owned > 0 {
        cues.owned -= 1;
        deed |= class & (FAULT | BAD) != 0
            || matches!(
                bare,
                "decision" | "choice" | "call" | "responsibility" | "job" | "doing" | "attention"
            )
            || actions
                && matches!(
                    bare,
                    "behaviour" | "behavior" | "conduct" | "attitude" | "habits"
                );
    }
    if possessive && (capitalised || class & (ROLE | ROLES | TEAM) != 0) || class & OWNER != 0 {
        cues.owned = 4;
        // "The mistake was the on-call's".
        deed |= possessive && cues.seen & FAULT_WAS != 0;
    }
    if prev_class & FAULT != 0 && matches!(bare, "was" | "is" | "were" | "are") {
        cues.seen |= FAULT_WAS;
    }
    // "made a mistake", "made a bad call", "made things worse".
    if cues.made > 0 {
        cues.made -= 1;
        deed |= class & (FAULT | BAD) != 0 || matches!(bare, "mess" | "slip" | "worse");
    }
    // "merged the untested hotfix".
    if cues.shipped > 0 {
        cues.shipped -= 1;
        deed |= unvetted(bare);
    }
    // Negations, then care: "didn't check", "without testing", "never turned".
    if cues.negation > 0 {
        cues.negation -= 1;
        // After "without", a gerund ("without testing"), or in non-native English the
        // base form ("without read it").
        let care = class & DILIGENCE != 0
            && (!cues.without || !bare.ends_with("ed") || skipped_care(bare));
        let past = bare.ends_with("ed") || class & PAST != 0;
        let knowledge = knows(bare);
        if care || cues.never && past && !knowledge {
            deed = true;
        }
        // "did not do his job".
        if bare == "do" || class & OWNER != 0 && prev == "do" {
            cues.negation += 1;
        }
        if matches!(bare, "job" | "work" | "part") && prev_class & OWNER != 0 {
            deed = true;
        }
    }
    if class & NEG != 0 || bare == "to" && prev == "not" {
        cues.negation = 4;
        cues.never = bare == "never";
        cues.without = matches!(bare, "without" | "instead");
    }
    cues.deed |= deed;

    // Counterfactuals and prescriptions; judging phrases.
    // "…would not have occurred had Radomir tested the change".
    cues.modal |= class & MODAL != 0
        || prev == "had" && capitalised && !initial
        || class & COMBO != 0 && modal_combination(bare, prev, initial, pause, cues);
    cues.judging |= class & TEXT != 0 || actions && class & ACT != 0;
    if class & SECOND != 0 && (prev_class | cues.prev2.class) & FIRST != 0 {
        let prev2_token = cues.prev2;
        let prev2 = prev2_token.text();
        for key in [[prev2, prev, bare], ["", prev, bare]] {
            let mut buf = [0u8; 80];
            let mut n = 0;
            for part in key.into_iter().filter(|p| !p.is_empty()) {
                if n + part.len() + 1 > buf.len() {
                    break;
                }
                if n > 0 {
                    buf[n] = b' ';
                    n += 1;
                }
                buf[n..n + part.len()].copy_from_slice(part.as_bytes());
                n += part.len();
            }
            if let Ok(key) = std::str::from_utf8(&buf[..n])
                && let Some(&behaviour) = PHRASE_KEYS.get(key)
            {
                cues.judging |= !behaviour || actions;
            }
        }
    }

    // Questions and action items.
    if class & QWORD != 0 {
        cues.question |= bare == "why";
        cues.asks_who |= matches!(bare, "who" | "whose");
        cues.asks |= bare == "why" || cues.words == 0 && asks_of_a_person(bare);
    }
    if prev_class & QWORD != 0 {
        cues.asks |= prev == "what"
            && matches!(bare, "was" | "were" | "is" | "made" | "makes" | "possessed")
            || prev == "how" && matches!(bare, "could" | "did" | "does" | "do");
    }
    // An imperative opens the item, or follows its addressee ("Team leads: make sure…").
    if (cues.words == 0 || initial && cues.words <= 3) && class & CORRECT != 0 && kind.actions() {
        cues.imperative = true;
    }
    // "Jo to be more careful", "Jo will re-read…": the rule reads the verb.
    if std::mem::take(&mut cues.to_after_person) && !matches!(bare, "to" | "be" | "also") {
        cues.imperative = true;
        cues.person = true;
    }
    // "We should retrain Felix", "someone needs to teach the interns…".
    if kind.actions()
        && class & CORRECT != 0
        && matches!(prev, "should" | "must" | "will" | "to" | "'ll" | "shall")
    {
        cues.imperative = true;
    }
    // Backhanded praise: "for once", "any worse", "anything else", "at least",
    // "finally" with a person.
    if kind == Kind::WentWell
        && (bare == "once" && prev == "for"
            || bare == "worse" && prev == "any"
            || bare == "else" && prev == "anything"
            || bare == "least" && prev == "at"
            || bare == "finally"
            || bare == "eventually"
            || bare == "time" && prev == "this"
            || bare == "change" && prev == "a"
            || bare == "than" && prev == "more"
            || bare == "record" && matches!(prev, "his" | "her" | "their" | "track")
            || matches!(bare, "pity" | "shame" | "actually")
            || matches!(
                bare,
                "unlike" | "despite" | "spite" | "admitted" | "confessed"
            ))
    {
        cues.deed = true;
    }
    if cues.first_is_person
        && kind.actions()
        && (cues.words == 1 && matches!(bare, "to" | "will" | "must" | "should" | "shall")
            || cues.words == 2 && bare == "to" && matches!(prev, "needs" | "need" | "has"))
    {
        cues.to_after_person = true;
    }
    cues.prev2 = cues.prev;
    cues.prev = t;
    cues.words += 1;
}

/// The failings and deeds two or more words make, for a word with the `COMBO` class:
/// "as usual", "took down", "did nothing", "let … expire", "knew … was required".
fn combination(bare: &str, prev: &str, prev_class: u64, cues: &mut Cues) -> bool {
    let deed = match bare {
        "usual" => prev == "as",
        "always" | "usually" => matches!(prev, "as" | "like" | "he" | "she" | "they"),
        "down" => matches!(
            prev,
            "took"
                | "take"
                | "takes"
                | "taking"
                | "brought"
                | "bring"
                | "comes"
                | "came"
                | "come"
                | "boils"
                | "boiled"
        ),
        "over" => prev == "knocked",
        "nothing" => prev == "did",
        "idea" => prev == "no",
        "slow" | "late" | "busy" | "lazy" | "tired" => prev == "too",
        "fit" | "qualified" => matches!(prev, "not" | "wasn't" | "weren't"),
        "on" => matches!(prev, "is" | "was") || cues.seen & LEFT != 0,
        "to" => matches!(prev, "due" | "down") || prev.starts_with("fail"),
        "of" => matches!(prev, "because" | "habit" | "lack"),
        "by" => {
            matches!(
                prev,
                "triggered" | "started" | "introduced" | "caused" | "made"
            ) || prev_class & FAULT != 0
        }
        "for" => prev == "responsible",
        "own" => prev_class & OWNER != 0,
        "expire" | "lapse" | "slip" | "rot" | "through" | "die" => cues.seen & LET != 0,
        "enabled" | "unlocked" | "open" | "unattended" => cues.seen & LEFT != 0,
        "required" | "risky" | "dangerous" | "unsafe" | "better" | "forbidden" | "mandatory" => {
            cues.seen & KNEW != 0
        }
        "still" | "twice" => cues.seen & WARNED != 0,
        "anyway" => cues.seen & (WARNED | KNEW) != 0,
        "home" => cues.seen & WANTED != 0,
        "secret" | "secrets" | "token" | "tokens" | "password" | "passwords" | "credential"
        | "credentials" | "key" | "keys" => cues.seen & SHARED != 0,
        "with" => cues.seen & BLAME_NOUN != 0,
        "discipline" | "care" | "attention" | "focus" | "diligence" | "effort" | "vigilance"
        | "rigour" | "rigor" | "accountability" | "professionalism" | "caution" | "carefulness"
        | "thoroughness" => matches!(
            prev,
            "more" | "better" | "greater" | "less" | "improved" | "stricter"
        ),
        _ => false,
    };
    cues.seen |= match bare {
        "let" | "lets" | "letting" | "waved" | "waving" => LET,
        "left" | "leave" | "leaving" => LEFT,
        "knew" => KNEW,
        "warned" | "told" if matches!(prev, "was" | "were" | "been") => WARNED,
        "wanted" => WANTED,
        "pasted" | "pasting" | "posted" | "posting" | "committed" | "committing" | "leaked"
        | "leaking" | "exposed" | "exposing" | "shared" | "sharing" | "published" => SHARED,
        "waited" | "wait" | "waiting" | "delayed" | "hesitated" => WAITED,
        "if" => IF,
        "fault" | "blame" | "responsibility" | "problem" => BLAME_NOUN,
        _ => 0,
    };
    if matches!(bare, "made" | "make" | "makes" | "making") {
        cues.made = 6;
    }
    if ships(bare) {
        cues.shipped = 3;
    }
    deed
}

/// The counterfactuals and prescriptions two words make: "could have", "needs to",
/// "Had Olga run", "if … had", "would have caught".
fn modal_combination(bare: &str, prev: &str, initial: bool, pause: bool, cues: &Cues) -> bool {
    match bare {
        "have" => matches!(prev, "could" | "might" | "should"),
        "to" => matches!(prev, "need" | "needs" | "needed" | "has" | "have"),
        "better" => prev == "had",
        "had" | "'d" | "hadn't" | "would" => {
            bare == "had" && (initial || pause || cues.words == 0) || cues.seen & IF != 0
        }
        "improve" | "learn" | "try" | "do" => prev == "could",
        "caught" | "noticed" | "seen" | "spotted" | "known" | "checked" | "prevented"
        | "avoided" | "stopped" | "realised" | "realized" | "found" => {
            prev == "have" && matches!(cues.prev2.text(), "would" | "'d") || prev == "would've"
        }
        _ => false,
    }
}

/// A question's first word that asks about what someone did or was ("Did…", "Why
/// wasn't…", "Couldn't…"), in either apostrophe.
fn asks_of_a_person(word: &str) -> bool {
    matches!(
        word,
        "did"
            | "does"
            | "didn't"
            | "doesn't"
            | "wasn't"
            | "isn't"
            | "couldn't"
            | "shouldn't"
            | "didn’t"
            | "doesn’t"
            | "wasn’t"
            | "isn’t"
            | "couldn’t"
            | "shouldn’t"
    )
}
