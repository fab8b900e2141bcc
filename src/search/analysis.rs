//! The one definition of what a search term is, shared by the tantivy index (CLI and
//! `serve`) and the static index of the built site: which text each field holds, how
//! text becomes terms, and how much each field weighs. The browser script mirrors the
//! analysis (`themes/default/static/search.js`); tests hold the two together.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenStream, Tokenizer,
};

use crate::link::KnowledgeBase;
use crate::model::Incident;

/// Name under which the analyzer is registered with tantivy.
pub const ANALYZER: &str = "ib_en";

/// Words dropped from every index and query (Lucene's English list, as tantivy's).
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Tokens this long (in UTF-8 bytes) or longer are dropped: hashes and URLs, not words.
pub const MAX_TOKEN_BYTES: usize = 40;

/// Tokenize on anything that is not a letter or digit, lower-case, drop stop words and
/// over-long tokens, stem (Snowball English); each distinct word is analysed once per
/// analyzer ([`CachedAnalyzer`]), which tantivy's writer keeps per indexing thread.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(CachedAnalyzer::default())
}

/// The definition: tantivy's tokenizer and filters, each token lower-cased, checked
/// against the stop words and stemmed.
fn uncached() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|w| (*w).to_owned()),
        ))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analysis of `uncached` with each distinct word, as written, analysed once:
/// the same terms, positions and offsets, several times faster on a large book, where
/// most words recur thousands of times. The tokenizer splits words; every filter acts
/// on one word alone, so a word's term (or its absence: a stop word, an over-long
/// token) is the same wherever it stands. It is the tokenizer registered with the
/// tantivy index, whose postings the static index is then read from.
#[derive(Clone)]
pub struct CachedAnalyzer {
    terms: TermCache,
}

#[derive(Clone)]
struct TermCache {
    analysis: TextAnalyzer,
    /// Every distinct word read so far, in the order first read: the few thousand words
    /// that make up almost all of a book's text come first, side by side in memory.
    words: Vec<Word>,
    /// Positions in `words`, by hash. A raw table, so that a word is found by a hash
    /// taken of it in place and compared inline (a call into libc's `memcmp` for every
    /// word of the book was a quarter of the tokenizer's time).
    index: hashbrown::HashTable<u32>,
    /// A small direct-mapped table in front of `index`: the slot `hash % RECENT` holds
    /// the last word read with a hash there, and its term, inline. A word found there
    /// costs one read of one cache line; through `index` it cost four dependent reads
    /// (the table, the word, its text, its term), and with the index of a large book
    /// out of the core's cache those waits were most of the tokenizer's time.
    recent: Box<[Slot]>,
}

/// Slots of [`TermCache::recent`]: 512 kB, half of a core's L2 cache here. Measured
/// at 10,000 post-mortems, the tokenizer's share of a build's samples: 6.7-7.1%
/// without the slots, 6.5-6.7% with 2,048 of them, 5.5-6.2% with 4,096, 5.5% with 8,192.
const RECENT: usize = 8192;

/// Words and terms up to this many bytes fit in a [`Slot`] (almost all do).
const INLINE: usize = 24;

/// 64 bytes: one cache line.
#[derive(Clone, Copy, Default)]
struct Slot {
    hash: u64,
    /// Empty in an empty slot: a word is never empty.
    word: arrayvec::ArrayString<INLINE>,
    /// Empty when the word has no term: a term is never empty.
    term: arrayvec::ArrayString<INLINE>,
}

#[derive(Clone)]
struct Word {
    hash: u64,
    text: Box<str>,
    /// `None`: the word has no term (a stop word, an over-long token).
    term: Option<Box<str>>,
}

fn hash_of(word: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(word);
    h.finish()
}

/// `a == b`, inline for the short words that most are.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let n = a.len();
    let u64_at = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8"));
    let u32_at = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().expect("4"));
    match n {
        // Two loads from each end, overlapping in the middle.
        8..=16 => u64_at(a, 0) == u64_at(b, 0) && u64_at(a, n - 8) == u64_at(b, n - 8),
        4..=7 => u32_at(a, 0) == u32_at(b, 0) && u32_at(a, n - 4) == u32_at(b, n - 4),
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

impl TermCache {
    fn term(&mut self, word: &str) -> Option<&str> {
        let hash = hash_of(word.as_bytes());
        let slot = (hash as usize) % RECENT;
        let seen = &self.recent[slot];
        if seen.hash == hash && same_bytes(seen.word.as_bytes(), word.as_bytes()) {
            let term = self.recent[slot].term.as_str();
            return (!term.is_empty()).then_some(term);
        }
        let words = &mut self.words;
        let analysis = &mut self.analysis;
        let at = *self
            .index
            .entry(
                hash,
                |&n| {
                    let w = &words[n as usize];
                    w.hash == hash && same_bytes(w.text.as_bytes(), word.as_bytes())
                },
                |&n| words[n as usize].hash,
            )
            .or_insert_with(|| {
                let mut term = None;
                analysis
                    .token_stream(word)
                    .process(&mut |t| term = Some(t.text.as_str().into()));
                words.push(Word {
                    hash,
                    text: word.into(),
                    term,
                });
                u32::try_from(words.len() - 1).expect("fewer than 4 billion distinct words")
            })
            .get();
        let found = &self.words[at as usize];
        let inline = (
            arrayvec::ArrayString::from(word),
            arrayvec::ArrayString::from(found.term.as_deref().unwrap_or_default()),
        );
        if let (Ok(word), Ok(term)) = inline
            && found.term.as_deref() != Some("")
        {
            self.recent[slot] = Slot { hash, word, term };
        }
        self.words[at as usize].term.as_deref()
    }
}

impl Default for CachedAnalyzer {
    fn default() -> Self {
        CachedAnalyzer {
            terms: TermCache {
                analysis: uncached(),
                words: Vec::new(),
                index: Default::default(),
                recent: vec![Slot::default(); RECENT].into_boxed_slice(),
            },
        }
    }
}

impl Tokenizer for CachedAnalyzer {
    type TokenStream<'a> = CachedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CachedStream<'a> {
        CachedStream {
            text,
            next: 0,
            position: usize::MAX,
            terms: &mut self.terms,
            token: Token::default(),
        }
    }
}

/// The tokens of [`CachedAnalyzer`]: each word's token with its text replaced by its
/// term; words without one are skipped (their positions stay counted, as the stop-word
/// filter leaves them). Words are split as tantivy's `SimpleTokenizer` splits them (runs
/// of alphanumeric characters), but looked up in the cache in place rather than copied
/// into a token first, and ASCII is read without decoding.
pub struct CachedStream<'a> {
    text: &'a str,
    /// Where the next word is looked for.
    next: usize,
    /// The position of the last word read (`SimpleTokenizer`'s count: one per word).
    position: usize,
    terms: &'a mut TermCache,
    token: Token,
}

/// Whether the character at byte `at` of `text` is alphanumeric, and its length.
#[inline]
fn alphanumeric_at(text: &str, at: usize) -> (bool, usize) {
    match text.as_bytes()[at] {
        b @ 0..0x80 => (b.is_ascii_alphanumeric(), 1),
        _ => {
            let c = text[at..].chars().next().expect("at a char boundary");
            (c.is_alphanumeric(), c.len_utf8())
        }
    }
}

impl CachedStream<'_> {
    /// The byte range of the next word, if any.
    fn next_word(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        let mut at = self.next;
        let start = loop {
            if at >= len {
                self.next = len;
                return None;
            }
            // ASCII separators (spaces, punctuation) skipped without a call per byte.
            let b = bytes[at];
            if b < 0x80 && !b.is_ascii_alphanumeric() {
                at += 1;
                continue;
            }
            match alphanumeric_at(self.text, at) {
                (true, _) => break at,
                (false, n) => at += n,
            }
        };
        let mut end = start;
        while end < len {
            let b = bytes[end];
            if b.is_ascii_alphanumeric() {
                end += 1;
                continue;
            }
            if b < 0x80 {
                break;
            }
            match alphanumeric_at(self.text, end) {
                (true, n) => end += n,
                (false, _) => break,
            }
        }
        self.next = end;
        Some((start, end))
    }
}

impl TokenStream for CachedStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((start, end)) = self.next_word() {
            self.position = self.position.wrapping_add(1);
            if let Some(term) = self.terms.term(&self.text[start..end]) {
                self.token.offset_from = start;
                self.token.offset_to = end;
                self.token.position = self.position;
                self.token.position_length = 1;
                self.token.text.clear();
                self.token.text.push_str(term);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The terms of `text`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    stream.process(&mut |t| out.push(t.text.clone()));
    out
}

/// The terms of `text`, each with the byte range of the word it was made from.
pub fn terms_with_offsets(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    stream.process(&mut |t| out.push((t.text.clone(), t.offset_from, t.offset_to)));
    out
}

/// The text fields of a post-mortem, in this order everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Title,
    Summary,
    Body,
    Factors,
    Actions,
    Meta,
}

impl TextField {
    pub const ALL: [TextField; 6] = [
        TextField::Title,
        TextField::Summary,
        TextField::Body,
        TextField::Factors,
        TextField::Actions,
        TextField::Meta,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TextField::Title => "title",
            TextField::Summary => "summary",
            TextField::Body => "body",
            TextField::Factors => "factors",
            TextField::Actions => "actions",
            TextField::Meta => "meta",
        }
    }

    /// How much a match in this field counts: a word in the title or among the
    /// contributing factors says more about a post-mortem than one in its body.
    pub fn boost(self) -> f32 {
        match self {
            TextField::Title => 3.0,
            TextField::Factors => 2.0,
            TextField::Summary => 1.5,
            _ => 1.0,
        }
    }
}

/// A value of a text field as the index takes it: made for the index, or the book's
/// own text where it already holds it (a section's), shared rather than copied.
#[derive(Debug, Clone)]
pub enum FieldText {
    Made(String),
    Shared(std::sync::Arc<str>),
}

impl FieldText {
    pub fn as_str(&self) -> &str {
        match self {
            FieldText::Made(s) => s,
            FieldText::Shared(s) => s,
        }
    }
}

/// Between the values of the body (its sections), as the index's stored body is read
/// back for snippets: the text the index held when the body was one value.
pub const BODY_SEPARATOR: &str = "\n";

/// What each text field of `i` holds, indexed by [`TextField::ALL`]: one value, but for
/// the body, whose values are its sections' text, in order (tantivy indexes the values
/// of a field as one text, with a position between them, and stores each).
pub fn field_texts(i: &Incident, kb: &KnowledgeBase) -> [Vec<FieldText>; 6] {
    let factors: Vec<String> = i
        .factors
        .iter()
        .map(|x| format!("{} {}", x.id.replace('-', " "), factor_title(kb, &x.id)))
        .collect();
    let actions: Vec<&str> = i.action_items.iter().map(|a| a.title.as_str()).collect();
    let meta: Vec<&str> = [&i.services, &i.teams, &i.tags]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let one = |s: String| vec![FieldText::Made(s)];
    [
        one(i.title.clone()),
        one(i.summary.clone().unwrap_or_default()),
        i.body
            .texts()
            .filter(|t| !t.is_empty())
            .map(|t| FieldText::Shared(t.clone()))
            .collect(),
        one(factors.join("\n")),
        one(actions.join("\n")),
        one(meta.join(" ")),
    ]
}

/// A factor's title, or its id when the catalogue does not declare it.
pub fn factor_title<'a>(kb: &'a KnowledgeBase, id: &'a str) -> &'a str {
    kb.factor_index
        .get(id)
        .map_or(id, |&n| kb.factors[n].title())
}

/// The last word of a query, for search as you type: it also matches the index terms
/// that a word starting with it may have been stemmed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    /// The word as typed: lower-cased letters and digits.
    pub word: String,
    /// Where candidate terms start: the word, shortened once it is long, because
    /// stemming cuts words shorter than typed ("migratio" is on its way to
    /// "migration", indexed as "migrat"): five or six letters lose one, longer words
    /// three.
    pub start: String,
}

impl Prefix {
    /// `None` when the query ends with a space, the word is in quotes or shorter than
    /// three.
    pub fn of(query: &str) -> Option<Prefix> {
        if query.ends_with(char::is_whitespace) {
            return None;
        }
        let last = query.split_whitespace().last()?;
        if last.contains('"') {
            return None;
        }
        let word: Vec<char> = last
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let keep = match word.len() {
            0..=2 => return None,
            n @ 3..=4 => n,
            n @ 5..=6 => n - 1,
            n => n - 3,
        };
        Some(Prefix {
            start: word[..keep].iter().collect(),
            word: word.into_iter().collect(),
        })
    }

    /// Whether `term` may be the stem of a word that starts with the typed word: it
    /// starts with [`Prefix::start`] and agrees with the word as far as both go
    /// ("kubelet" never expands to "kubernet").
    pub fn admits(&self, term: &str) -> bool {
        term.starts_with(&self.start)
            && (term.starts_with(&self.word) || self.word.starts_with(term))
    }
}

/// Whether `a` and `b` are within `edits` edits: insertions, deletions, substitutions
/// and transpositions of two neighbouring letters, each letter edited once (the
/// optimal string alignment distance). `search.js` (`withinEdits`) is the same.
pub fn within_edits(a: &str, b: &str, edits: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > edits {
        return false;
    }
    // Three rows of the distance table: two back, one back, this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        if row.iter().min().is_some_and(|&m| m > edits) {
            return false;
        }
        before = std::mem::replace(&mut last, row);
    }
    last[b.len()] <= edits
}

/// The edits a word typed with `letters` letters or digits may hold and still match:
/// one up to [`FUZZY_TWO_EDITS_LEN`] letters, two from there.
pub fn typo_edits(letters: usize) -> usize {
    if letters >= FUZZY_TWO_EDITS_LEN { 2 } else { 1 }
}

/// The [`MAX_EXPANSIONS`] candidates (term, document frequency) in the most
/// post-mortems, then in alphabetical order: the rule the browser script follows too.
pub fn pick_expansions(mut candidates: Vec<(String, u64)>) -> Vec<String> {
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    candidates.truncate(MAX_EXPANSIONS);
    candidates.into_iter().map(|(t, _)| t).collect()
}

/// Groups of words that find each other unless a book says otherwise (`[search]
/// default-synonyms = false`): the short forms operators type for the long ones the
/// post-mortems write, and the other way round. Each word is matched by its stem, so a
/// word whose stem is a common word's is left out: `resolver` is stemmed as
/// `resolved` is, and `dns` would find every post-mortem that was resolved.
pub const DEFAULT_SYNONYMS: &[&[&str]] = &[
    &["k8s", "kubernetes"],
    &["db", "database"],
    &["pg", "postgres", "postgresql"],
    &["tls", "ssl", "certificate", "cert"],
    &["auth", "authentication"],
    &["config", "configuration"],
    &["env", "environment"],
    &["oom", "oomkilled"],
    &["lb", "loadbalancer"],
];

/// Weight of a match on a synonym of a query word, against the word itself.
pub const SYNONYM_WEIGHT: f32 = 0.8;

/// The synonyms of a book (`[search]` of book.toml), as index terms: a query word whose
/// term is in a group also matches the group's other terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Synonyms {
    /// Each group's distinct terms, in the order written; a word that yields no term
    /// (a stop word) is left out, as is a group left with fewer than two.
    groups: Vec<Vec<String>>,
}

impl Synonyms {
    pub fn of(config: &crate::config::SearchConfig) -> Synonyms {
        let defaults = DEFAULT_SYNONYMS
            .iter()
            .filter(|_| config.default_synonyms)
            .map(|g| g.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>());
        let mut analyzer = analyzer();
        let groups = defaults
            .chain(config.synonyms.iter().cloned())
            .filter_map(|words| {
                let mut group: Vec<String> = Vec::new();
                for word in &words {
                    for term in terms(&mut analyzer, word) {
                        if !group.contains(&term) {
                            group.push(term);
                        }
                    }
                }
                (group.len() >= 2).then_some(group)
            })
            .collect();
        Synonyms { groups }
    }

    /// The terms `term` also stands for (those of every group it is in), without itself.
    pub fn of_term(&self, term: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for group in self.groups.iter().filter(|g| g.iter().any(|t| t == term)) {
            for other in group {
                if other != term && !out.contains(other) {
                    out.push(other.clone());
                }
            }
        }
        out
    }

    /// The groups, for the site's search script (`search.js` follows [`Synonyms::of_term`]).
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }
}

/// Typo tolerance: query words this long (letters and digits) or longer also match
/// terms one edit away ([`typo_edits`]), when exact matches are few.
pub const FUZZY_MIN_LEN: usize = 4;
/// Query words this long or longer may hold two typos.
pub const FUZZY_TWO_EDITS_LEN: usize = 8;
/// Typo candidates share this many leading characters with the query term: typos are
/// rarely in the first letters, and it keeps the browser's look-up to one slice of
/// the vocabulary.
pub const FUZZY_SHARED_PREFIX: usize = 2;
/// At most this many index terms stand for one prefix or one misspelt word: those in
/// the most post-mortems (then in alphabetical order), which keeps a browser's first
/// query to a few small files.
pub const MAX_EXPANSIONS: usize = 10;
/// Weight of a prefix match against a whole word.
pub const PREFIX_WEIGHT: f32 = 0.2;
/// Weight of a typo match.
pub const FUZZY_WEIGHT: f32 = 0.5;
/// Typo tolerance starts when exact matches are fewer than this.
pub const FUZZY_BELOW: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cached_analysis_is_the_analysis() {
        let text = "Retries piled up: the orders-api's connection pool (max 40) was exhausted; \
                    retrying, RETRIED, generously, organisations, Ünïcödé naïve café 123abc \
                    the a an in to; ThisIsAVeryLongTokenWellOverFortyBytesInLengthIndeed \
                    retries retrying connection The THE İstanbul ß STRASSE \
                    it’s—done 🚀launch «quoted» x²+y² ٣٤ 日本語テキスト\u{a0}nbsp_underscore";
        // tantivy's own pipeline, analysing every token: the definition the cache keeps.
        let mut reference = uncached();
        let tokens = |analyzer: &mut TextAnalyzer| {
            let mut out = Vec::new();
            analyzer.token_stream(text).process(&mut |t| {
                out.push((t.text.clone(), t.position, t.offset_from, t.offset_to))
            });
            out
        };
        let expected = tokens(&mut reference);
        assert!(expected.len() > 20);
        // As tantivy's tokenizer (positions and offsets too, for phrases and snippets),
        // twice so the second run comes from the cache.
        let mut cached = analyzer();
        assert_eq!(tokens(&mut cached), expected);
        assert_eq!(tokens(&mut cached), expected);
    }

    #[test]
    fn the_cache_stays_right_when_its_slots_are_taken_by_other_words() {
        // More distinct words than the cache has slots, so that slots are shared and
        // overwritten; then the same words again (now found in slots or in the index),
        // among words too long for a slot.
        let mut words: Vec<String> = (0..3 * RECENT).map(|n| format!("retry{n}ing")).collect();
        words.push("ConnectionPoolExhaustionRetrying".to_owned());
        words.push("the".to_owned());
        let text = words.join(" ");
        let terms_of = |analyzer: &mut TextAnalyzer| {
            let mut out = Vec::new();
            analyzer
                .token_stream(&text)
                .process(&mut |t| out.push((t.text.clone(), t.position)));
            out
        };
        let expected = terms_of(&mut uncached());
        let mut cached = analyzer();
        for _ in 0..3 {
            assert_eq!(terms_of(&mut cached), expected);
        }
    }

    #[test]
    fn same_bytes_is_equality() {
        let base: Vec<u8> = (0..40u8).map(|b| b'a' + b % 26).collect();
        for len in 0..base.len() {
            let a = &base[..len];
            assert!(super::same_bytes(a, a), "{len}");
            assert!(!super::same_bytes(a, &base[..len + 1]), "{len}");
            // A difference at any position is seen.
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 1;
                assert!(!super::same_bytes(a, &b), "{len} {at}");
            }
        }
    }

    #[test]
    fn one_edit() {
        let one = |a, b| within_edits(a, b, 1);
        assert!(one("migrat", "migrat"));
        assert!(one("migart", "migrat"));
        assert!(one("migrat", "migrant"));
        assert!(one("migrat", "migra"));
        assert!(one("migrat", "migrot"));
        assert!(!one("migrat", "magrot"));
        assert!(!one("migrat", "mig"));
        assert!(!one("abc", "cba"));
        // Two: "certficate" is stemmed "certfic", "certificate" "certif".
        assert!(within_edits("certfic", "certif", 2));
        assert!(!within_edits("certfic", "certif", 1));
        assert!(within_edits("kuberent", "kubernet", 2));
        assert!(!within_edits("migrat", "magrott", 2));
        assert_eq!((typo_edits(7), typo_edits(8)), (1, 2));
    }

    #[test]
    fn synonyms_are_matched_by_their_terms() {
        let config = crate::config::SearchConfig {
            synonyms: vec![
                vec!["Pager".into(), "oncall".into()],
                vec!["the".into(), "a".into()],
            ],
            default_synonyms: true,
        };
        let s = Synonyms::of(&config);
        // By stem: "certificates" is a "certificate".
        assert_eq!(s.of_term("certif"), ["tls", "ssl", "cert"]);
        assert_eq!(s.of_term("k8s"), ["kubernet"]);
        assert_eq!(s.of_term("pager"), ["oncal"]);
        assert!(s.of_term("resolv").is_empty());
        // A group of stop words is no group.
        assert!(!s.groups().iter().any(|g| g.iter().any(|t| t == "the")));
        let none = Synonyms::of(&crate::config::SearchConfig {
            synonyms: Vec::new(),
            default_synonyms: false,
        });
        assert!(none.groups().is_empty() && none.of_term("k8s").is_empty());
    }

    #[test]
    fn prefixes() {
        let start = |q: &str| Prefix::of(q).map(|p| p.start);
        assert_eq!(start("replica la"), None);
        assert_eq!(start("replica lag").as_deref(), Some("lag"));
        assert_eq!(start("migratio").as_deref(), Some("migra"));
        assert_eq!(start("repli").as_deref(), Some("repl"));
        assert_eq!(start("lock "), None);
        assert_eq!(start("\"lock\""), None);
        let p = Prefix::of("migratio").unwrap();
        assert!(p.admits("migrat") && p.admits("migration"));
        assert!(!p.admits("migrant"));
        let p = Prefix::of("kubelet").unwrap();
        assert!(p.admits("kubelet") && !p.admits("kubernet"));
    }
}
