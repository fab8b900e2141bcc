//! The anchor automaton: the words a finding needs, found in one pass over a block.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

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

/// The anchors as the automaton holds them, in its order (the first listed wins a
/// tie): each word anchor after a space, the possessive forms, the `INNER_ANCHORS`, and
/// the same with a curly apostrophe.
fn patterns() -> Vec<String> {
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
    words
}

/// The anchor search, for a copy of the text in lower case with its ASCII punctuation
/// made spaces (`anchor_text`).
pub(in crate::language) static ANCHOR: LazyLock<Anchors> = LazyLock::new(|| {
    let words = patterns();
    let checks = words.iter().map(|w| Check::of(w)).collect();
    let mut first = Bits::new();
    let mut short = Bits::new();
    let mut short_lengths = 0u16;
    let mut prefixes = Bits::new();
    let mut lengths = 0u16;
    let mut befores = 0u16;
    let mut marked = [0u16; 3];
    for w in &words {
        let b = w.as_bytes();
        // Where the anchor is found from: the first space in it (a space before a
        // word), else its first marker byte.
        if let Some(at) = b.iter().position(|&c| c == b' ') {
            let rest = &b[at + 1..];
            if let [a, b, c, d, ..] = *rest {
                first.set(Anchors::key([a, b, c, d]));
            } else {
                short.set(Anchors::prefix(Anchors::number(rest), rest.len()));
                short_lengths |= 1 << rest.len();
            }
            let n = rest.len().min(8);
            prefixes.set(Anchors::prefix(Anchors::number(rest), n));
            lengths |= 1 << n;
            befores |= 1 << at;
        } else {
            let (at, m) = b
                .iter()
                .enumerate()
                .find_map(|(i, c)| MARKERS.iter().position(|m| m == c).map(|m| (i, m)))
                .expect("an anchor without a space holds a marker byte");
            marked[m] |= 1 << at;
        }
    }
    Anchors {
        automaton: AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .start_kind(StartKind::Anchored)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&words)
            .expect("valid anchors"),
        first,
        short,
        short_lengths,
        prefixes,
        lengths,
        befores,
        marked,
        checks,
    }
});

/// The bytes an anchor without a space is found by: `?`, an apostrophe, and the first
/// byte of a dash or a curly quote.
const MARKERS: [u8; 3] = [b'?', b'\'', 0xE2];

/// A set of 16-bit keys.
struct Bits(Box<[u64; 1024]>);

impl Bits {
    fn new() -> Bits {
        Bits(Box::new([0; 1024]))
    }

    fn set(&mut self, key: usize) {
        self.0[key >> 6] |= 1 << (key & 63);
    }

    fn has(&self, key: usize) -> bool {
        self.0[key >> 6] & (1 << (key & 63)) != 0
    }
}

/// The anchor automaton, and for each of its patterns the check its match needs.
///
/// The automaton's table is too large for the cache, and running it over every byte
/// of the prose cost more than the rest of the lint. So it runs anchored, only where
/// an anchor can start: at a space whose next four bytes begin some anchor's words (a
/// hashed set, which lets a few others through), and then up to eight (a second
/// hashed set, by length), or a few bytes before one (the anchors that start inside a
/// word, "ed the token", are found from their space); and before a marker byte, for
/// the anchors without a space ("n't", "?"). Its matches are those of a leftmost-first
/// search of the whole text (a test holds the two together).
pub(in crate::language) struct Anchors {
    automaton: AhoCorasick,
    /// The four bytes after each anchor's first space, hashed; for anchors with fewer
    /// after it, those bytes and their number.
    first: Bits,
    short: Bits,
    short_lengths: u16,
    /// Up to eight bytes after each anchor's first space, with their number, hashed.
    prefixes: Bits,
    /// The numbers of bytes `prefixes` holds keys of, as bits.
    lengths: u16,
    /// The numbers of bytes anchors have before their first space, as bits.
    befores: u16,
    /// For each of the `MARKERS`, the offsets in an anchor at which it stands first, as
    /// bits.
    marked: [u16; 3],
    checks: Vec<Check>,
}

impl Anchors {
    fn key(four: [u8; 4]) -> usize {
        (u32::from_le_bytes(four).wrapping_mul(0x9E37_79B1) >> 16) as usize
    }

    /// The key of the first `n` (1 to 8) bytes of `eight`, read as a number, so that no
    /// bytes are copied.
    fn prefix(eight: u64, n: usize) -> usize {
        let kept = if n >= 8 {
            eight
        } else {
            eight & ((1 << (8 * n)) - 1)
        };
        ((kept ^ (n as u64) << 59).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
    }

    /// `bytes` (at most eight) as the number `prefix` reads.
    fn number(bytes: &[u8]) -> u64 {
        let mut eight = [0u8; 8];
        let n = bytes.len().min(8);
        eight[..n].copy_from_slice(&bytes[..n]);
        u64::from_le_bytes(eight)
    }

    /// Whether `set` holds the first bytes of `eight`, in any of the numbers `lengths`
    /// holds.
    fn any_prefix(lengths: u16, set: &Bits, eight: u64) -> bool {
        let mut lengths = lengths;
        while lengths != 0 {
            let n = lengths.trailing_zeros() as usize;
            lengths &= lengths - 1;
            if set.has(Self::prefix(eight, n)) {
                return true;
            }
        }
        false
    }

    /// The leftmost-first, non-overlapping matches of the anchors in `scanned` (made by
    /// `anchor_text`), as byte ranges of `scanned` and the check each match needs.
    pub(in crate::language) fn find(&self, scanned: &[u8]) -> Vec<(usize, usize, Check)> {
        let len = scanned.len();
        // The eight bytes from `at`, zeros past the end, as a number.
        let window = |at: usize| match scanned.get(at..at + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])),
            None => Self::number(scanned.get(at..len).unwrap_or(&[])),
        };
        // Where an anchor may start, in order.
        let mut starts = Vec::new();
        let mut marks =
            memchr::memchr3_iter(MARKERS[0], MARKERS[1], MARKERS[2], scanned).peekable();
        for space in memchr::memchr_iter(b' ', scanned) {
            while let Some(&q) = marks.peek().filter(|&&q| q <= space) {
                marks.next();
                let m = MARKERS.iter().position(|&m| m == scanned[q]).unwrap_or(0);
                let mut offsets = self.marked[m];
                while offsets != 0 {
                    let o = 15 - offsets.leading_zeros() as usize;
                    offsets &= !(1 << o);
                    if let Some(start) = q.checked_sub(o) {
                        starts.push(start);
                    }
                }
            }
            let eight = window(space + 1);
            if !self.first.has(Self::key((eight as u32).to_le_bytes()))
                && !Self::any_prefix(self.short_lengths, &self.short, eight)
                || !Self::any_prefix(self.lengths, &self.prefixes, eight)
            {
                continue;
            }
            // The bytes before the space that an anchor may start with ("ed the
            // token"), most first, so the starts stay in order.
            for before in (0..16).rev().filter(|b| self.befores & (1 << b) != 0) {
                if let Some(start) = space.checked_sub(before)
                    && !scanned[start..space].contains(&b' ')
                {
                    starts.push(start);
                }
            }
        }
        for q in marks {
            let m = MARKERS.iter().position(|&m| m == scanned[q]).unwrap_or(0);
            for o in (0..16).rev().filter(|o| self.marked[m] & (1 << o) != 0) {
                if let Some(start) = q.checked_sub(o) {
                    starts.push(start);
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let mut out = Vec::new();
        // No match may start before the end of the last one.
        let mut resume = 0;
        for start in starts {
            if start < resume {
                continue;
            }
            let input = Input::new(scanned).range(start..).anchored(Anchored::Yes);
            if let Some(m) = self.automaton.find(input) {
                out.push((m.start(), m.end(), self.checks[m.pattern().as_usize()]));
                resume = m.end();
            }
        }
        out
    }
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
            "let" | "lets" | "letting" => Check::Let,
            "left" | "leave" | "leaving" => Check::Left,
            "if" => Check::Had,
            "?" => Check::Question,
            "this time" | "for a change" | "unlike" | "despite" | "in spite" | "more than"
            | "admitted" | "confessed" => Check::Praise,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Anchors::find` must equal: a leftmost-first search of the whole text.
    fn every_match(automaton: &AhoCorasick, scanned: &[u8]) -> Vec<(usize, usize, Check)> {
        automaton
            .find_iter(scanned)
            .map(|m| (m.start(), m.end(), ANCHOR.checks[m.pattern().as_usize()]))
            .collect()
    }

    /// The texts of a folder's files, recursively.
    fn texts(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                texts(&path, out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push(text);
            }
        }
    }

    #[test]
    fn the_anchored_search_finds_what_a_search_of_the_whole_text_finds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut cases = Vec::new();
        for dir in ["content", "tests/fixtures/lint", "tests/fixtures/corpora"] {
            texts(&root.join(dir), &mut cases);
        }
        // Each anchor alone, at the end of a text, cut short, and between words and
        // punctuation, so that every pattern and its neighbours are tried.
        for w in patterns() {
            let cut = &w[..w.char_indices().last().map_or(0, |(i, _)| i)];
            cases.push(w.clone());
            cases.push(format!("Then{w}"));
            cases.push(format!("x{w}y. {cut}"));
            cases.push(format!("(“{}”)—{w}? {w}{w}", w.trim()));
        }
        let whole = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(patterns())
            .unwrap();
        let mut matches = 0;
        for text in &cases {
            let scanned = anchor_text(text);
            let expected = every_match(&whole, &scanned);
            assert_eq!(ANCHOR.find(&scanned), expected, "{text}");
            matches += expected.len();
        }
        assert!(matches > 8_000, "{matches} matches");
    }
}
