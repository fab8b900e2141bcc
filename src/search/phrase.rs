//! Phrases in the body. The index keeps the body without positions: recording and
//! writing them took 5–7% of a whole build's CPU time, for the one query form that
//! needs them. A phrase in the body (`"cache stampede"`, or a word such as
//! `api-gateway` that the analysis splits in two) is answered instead by
//! [`BodyPhrase`]: the post-mortems with all of its terms in the body, ranked as
//! those terms are, kept only when the stored text of one of their sections has the
//! terms side by side (within the phrase's slop), analysed as the index analyses it.
//! The other text fields keep their positions and tantivy's own phrase queries.
//!
//! [`parse`] is tantivy's lenient query parser with that one difference: the parser
//! would drop the body from a phrase (it cannot search it there), and [`parse`] puts a
//! [`BodyPhrase`] in its place, in the same clause.

use std::fmt;

use rayon::prelude::*;

use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyQuery, EnableScoring, Explanation, Occur, Query, QueryParser,
    Scorer, TermQuery, Weight,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::store::StoreReader;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyDocument, Term};

/// The query for `query`, as `parser.parse_query_lenient` makes it, with the body's
/// part of every phrase searched by a [`BodyPhrase`] (scaled by `body_boost`, the
/// body's field boost). `body` is the body's field, `analyzer` the index's analysis.
/// The search builds its query clause by clause ([`clauses`]); the tests hold the
/// whole query to tantivy's own.
#[cfg(test)]
pub fn parse(
    parser: &QueryParser,
    query: &str,
    body: Field,
    body_boost: Score,
    analyzer: &TextAnalyzer,
) -> Box<dyn Query> {
    let (ast, _errors) = tantivy::query_grammar::parse_query_lenient(query);
    let rewrite = Rewrite {
        parser,
        body,
        body_boost,
        analyzer,
    };
    if !rewrite.has_body_phrase(&ast) {
        // Nothing for the body to lose: tantivy's query, exactly.
        return parser.build_query_from_user_input_ast_lenient(ast).0;
    }
    let negative = all_negative(&ast);
    let query = match ast {
        // As tantivy does with a query that only excludes: exclude from everything.
        UserInputAst::Clause(children) if negative => {
            let mut clauses = rewrite.clauses(children);
            clauses.push((Occur::Should, Box::new(tantivy::query::AllQuery)));
            Some(Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
        }
        ast => rewrite.query(ast),
    };
    query.unwrap_or_else(|| Box::new(EmptyQuery))
}

/// Whether every clause of `ast` excludes (tantivy's rule for a query that would
/// otherwise match nothing).
#[cfg(test)]
fn all_negative(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Leaf(_) => false,
        UserInputAst::Boost(inner, _) => all_negative(inner),
        UserInputAst::Clause(children) => children
            .iter()
            .all(|(occur, child)| *occur == Some(Occur::MustNot) || all_negative(child)),
    }
}

/// One clause of a query as typed: a word, a "phrase" or a group, with the occurrence
/// written before it (`+`, `-`, or none).
pub struct Clause {
    pub occur: Option<Occur>,
    /// Its query, as [`parse`] builds it; `None` when it yields nothing (a stop word).
    pub query: Option<Box<dyn Query>>,
    /// The word as typed, when the clause is one unquoted word for the default fields:
    /// the one kind of clause that may be misspelt.
    pub word: Option<String>,
}

/// The clauses of `query` at its top level, each built as [`parse`] builds it, in
/// the order typed.
pub fn clauses(
    parser: &QueryParser,
    query: &str,
    body: Field,
    body_boost: Score,
    analyzer: &TextAnalyzer,
) -> Vec<Clause> {
    let (mut ast, _errors) = tantivy::query_grammar::parse_query_lenient(query);
    let rewrite = Rewrite {
        parser,
        body,
        body_boost,
        analyzer,
    };
    // A clause of one clause is that clause.
    loop {
        match ast {
            UserInputAst::Clause(mut children)
                if children.len() == 1 && children[0].0.is_none() =>
            {
                ast = children.pop().expect("one child").1;
            }
            other => {
                ast = other;
                break;
            }
        }
    }
    let children = match ast {
        UserInputAst::Clause(children) => children,
        ast => vec![(None, ast)],
    };
    children
        .into_iter()
        .map(|(occur, child)| {
            let word = match &child {
                UserInputAst::Leaf(leaf) => match &**leaf {
                    UserInputLeaf::Literal(l)
                        if l.field_name.is_none()
                            && l.delimiter == Delimiter::None
                            && !l.prefix =>
                    {
                        Some(l.phrase.clone())
                    }
                    _ => None,
                },
                _ => None,
            };
            Clause {
                occur,
                query: rewrite.query(child),
                word,
            }
        })
        .collect()
}

struct Rewrite<'a> {
    parser: &'a QueryParser,
    body: Field,
    body_boost: Score,
    analyzer: &'a TextAnalyzer,
}

impl Rewrite<'_> {
    /// The phrase a leaf asks of the body, if any: a literal for the default fields or
    /// for `body:`, not a prefix (`"…"*`), of two terms or more.
    fn body_phrase(&self, leaf: &UserInputLeaf) -> Option<BodyPhrase> {
        let UserInputLeaf::Literal(literal) = leaf else {
            return None;
        };
        let for_body = match &literal.field_name {
            None => true,
            Some(name) => name == "body",
        };
        if !for_body || literal.prefix {
            return None;
        }
        BodyPhrase::new(self.body, &literal.phrase, literal.slop, self.analyzer)
    }

    #[cfg(test)]
    fn has_body_phrase(&self, ast: &UserInputAst) -> bool {
        match ast {
            UserInputAst::Leaf(leaf) => self.body_phrase(leaf).is_some(),
            UserInputAst::Boost(inner, _) => self.has_body_phrase(inner),
            UserInputAst::Clause(children) => children
                .iter()
                .any(|(_, child)| self.has_body_phrase(child)),
        }
    }

    /// The clauses of a clause: each child's query with its occurrence (`Should` by
    /// default), those that yield nothing left out.
    fn clauses(
        &self,
        children: Vec<(Option<Occur>, UserInputAst)>,
    ) -> Vec<(Occur, Box<dyn Query>)> {
        children
            .into_iter()
            .filter_map(|(occur, child)| Some((occur.unwrap_or(Occur::Should), self.query(child)?)))
            .collect()
    }

    /// The query of `ast`, as tantivy's parser builds it (the default occurrence is
    /// `Should`; a clause or leaf that yields nothing is left out), or `None`.
    fn query(&self, ast: UserInputAst) -> Option<Box<dyn Query>> {
        match ast {
            UserInputAst::Clause(children) => {
                let clauses = self.clauses(children);
                (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as _)
            }
            UserInputAst::Boost(inner, boost) => {
                let q = self.query(*inner)?;
                Some(Box::new(BoostQuery::new(q, boost.into_inner() as Score)))
            }
            UserInputAst::Leaf(leaf) => {
                let phrase = self.body_phrase(&leaf);
                let by_field = |leaf: Box<UserInputLeaf>| {
                    let (q, _errors) = self
                        .parser
                        .build_query_from_user_input_ast_lenient(UserInputAst::Leaf(leaf));
                    (!q.is::<EmptyQuery>()).then_some(q)
                };
                let Some(phrase) = phrase else {
                    return by_field(leaf);
                };
                let in_body: Box<dyn Query> =
                    Box::new(BoostQuery::new(Box::new(phrase), self.body_boost));
                // The other fields' phrases, as the parser makes them (it leaves the
                // body out: no positions there).
                match by_field(leaf) {
                    Some(elsewhere) => Some(Box::new(BooleanQuery::new(vec![
                        (Occur::Should, elsewhere),
                        (Occur::Should, in_body),
                    ]))),
                    None => Some(in_body),
                }
            }
        }
    }
}

/// A phrase searched in a text field indexed without positions: the documents with
/// all of its terms, scored as the conjunction of those terms, kept when one of the
/// field's stored values has the terms at their places in the phrase, or within
/// `slop` moves of them in all (tantivy's slop).
#[derive(Clone)]
pub struct BodyPhrase {
    field: Field,
    /// The terms, each with its position in the phrase (a stop word leaves a gap).
    terms: Vec<(usize, Term)>,
    slop: u32,
    analyzer: TextAnalyzer,
}

impl fmt::Debug for BodyPhrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyPhrase")
            .field("field", &self.field)
            .field("terms", &self.terms)
            .field("slop", &self.slop)
            .finish()
    }
}

impl BodyPhrase {
    /// The phrase of `text` in `field`; `None` unless the analysis makes two terms or
    /// more of it (one term needs no positions).
    pub fn new(field: Field, text: &str, slop: u32, analyzer: &TextAnalyzer) -> Option<Self> {
        let mut analyzer = analyzer.clone();
        let mut terms = Vec::new();
        analyzer.token_stream(text).process(&mut |token| {
            terms.push((token.position, Term::from_field_text(field, &token.text)));
        });
        (terms.len() >= 2).then_some(BodyPhrase {
            field,
            terms,
            slop,
            analyzer,
        })
    }
}

impl Query for BodyPhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let all_terms = BooleanQuery::intersection(
            self.terms
                .iter()
                .map(|(_, term)| {
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)) as _
                })
                .collect(),
        );
        Ok(Box::new(BodyPhraseWeight {
            all_terms: all_terms.weight(scoring)?,
            phrase: self.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, term) in &self.terms {
            visitor(term, false);
        }
    }
}

struct BodyPhraseWeight {
    all_terms: Box<dyn Weight>,
    phrase: BodyPhrase,
}

impl Weight for BodyPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(BodyPhraseScorer {
            kept: self.kept(reader, boost)?,
            next: 0,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if !PhraseCheck::new(&self.phrase, reader)?.holds(doc) {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not have the phrase"
            )));
        }
        self.all_terms.explain(reader, doc)
    }
}

impl BodyPhraseWeight {
    /// The segment's documents that have the phrase, in order, each with the score of
    /// its terms. Reading and analysing their stored text is nearly all of a phrase's
    /// cost, and every candidate is checked in any case (a search counts its matches),
    /// so the candidates are checked up front, on all cores, rather than one by one as
    /// a scorer would meet them.
    fn kept(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Vec<(DocId, Score)>> {
        let mut candidates = Vec::new();
        let mut all_terms = self.all_terms.scorer(reader, boost)?;
        while all_terms.doc() != TERMINATED {
            candidates.push((all_terms.doc(), all_terms.score()));
            all_terms.advance();
        }
        // A few tasks per core: each has its own store reader and analysis, whose cache
        // of stems is cold at first.
        let chunk = candidates
            .len()
            .div_ceil(4 * rayon::current_num_threads())
            .max(64);
        let kept = candidates
            .par_chunks(chunk)
            .map(|chunk| {
                let mut check = PhraseCheck::new(&self.phrase, reader)?;
                Ok(chunk
                    .iter()
                    .copied()
                    .filter(|&(doc, _)| check.holds(doc))
                    .collect())
            })
            .collect::<tantivy::Result<Vec<Vec<_>>>>()?;
        Ok(kept.concat())
    }
}

/// Whether a document's stored text has the phrase.
struct PhraseCheck {
    store: StoreReader,
    field: Field,
    /// The phrase's terms as text, each with its position in the phrase.
    words: Vec<(i64, String)>,
    slop: i64,
    analyzer: TextAnalyzer,
    /// Per term of the phrase, where it stands in the value being checked, less its
    /// position in the phrase (so a match puts every term at the same place).
    places: Vec<Vec<i64>>,
}

impl PhraseCheck {
    fn new(phrase: &BodyPhrase, reader: &SegmentReader) -> tantivy::Result<Self> {
        let words: Vec<(i64, String)> = phrase
            .terms
            .iter()
            .map(|(at, term)| {
                let text = term.value().as_str().unwrap_or_default().to_owned();
                (*at as i64, text)
            })
            .collect();
        Ok(PhraseCheck {
            store: reader.get_store_reader(1)?,
            field: phrase.field,
            places: vec![Vec::new(); words.len()],
            words,
            slop: i64::from(phrase.slop),
            analyzer: phrase.analyzer.clone(),
        })
    }

    fn holds(&mut self, doc: DocId) -> bool {
        // A document the store cannot give back is not a match (the index's manifest
        // guards against damaged files; a search never fails on one document).
        let Ok(stored) = self.store.get::<TantivyDocument>(doc) else {
            return false;
        };
        stored
            .get_all(self.field)
            .filter_map(|v| v.as_str())
            .any(|text| self.holds_in(text))
    }

    /// Whether one value (a section) has the phrase: its terms in order, each at its
    /// distance from the one before, or all of them within `slop` moves of that. The
    /// check stops at the first match: most post-mortems found with all the terms of
    /// a phrase have it, and early (a service's name in the summary).
    fn holds_in(&mut self, text: &str) -> bool {
        for found in &mut self.places {
            found.clear();
        }
        let mut stream = self.analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            let mut seen = false;
            for (k, (at, word)) in self.words.iter().enumerate() {
                if *word == token.text {
                    self.places[k].push(token.position as i64 - at);
                    seen = true;
                }
            }
            // More places can only make a match, never undo one: checking the places
            // found so far is as good as checking them all.
            if seen && matches(&self.places, self.slop) {
                return true;
            }
        }
        false
    }
}

/// Whether one place per term (`places`: each term's places, less its position in the
/// phrase) is within `slop` moves in all: the least slop spent to reach each place of
/// a term, term by term (tantivy's rule: the distances of consecutive terms from
/// their places add up).
fn matches(places: &[Vec<i64>], slop: i64) -> bool {
    if places.iter().any(Vec::is_empty) {
        return false;
    }
    let mut spent: Vec<(i64, i64)> = places[0].iter().map(|&p| (p, 0)).collect();
    for next in &places[1..] {
        spent = next
            .iter()
            .filter_map(|&p| {
                spent
                    .iter()
                    .map(|&(q, s)| s + (p - q).abs())
                    .filter(|&s| s <= slop)
                    .min()
                    .map(|s| (p, s))
            })
            .collect();
        if spent.is_empty() {
            return false;
        }
    }
    true
}

/// The documents that have the phrase, with their scores, as [`BodyPhraseWeight::kept`]
/// found them.
struct BodyPhraseScorer {
    kept: Vec<(DocId, Score)>,
    /// The index in `kept` of the current document.
    next: usize,
}

impl DocSet for BodyPhraseScorer {
    fn advance(&mut self) -> DocId {
        self.next = (self.next + 1).min(self.kept.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.next += self.kept[self.next..].partition_point(|&(doc, _)| doc < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.kept.get(self.next).map_or(TERMINATED, |&(doc, _)| doc)
    }

    fn size_hint(&self) -> u32 {
        (self.kept.len() - self.next) as u32
    }
}

impl Scorer for BodyPhraseScorer {
    fn score(&mut self) -> Score {
        self.kept.get(self.next).map_or(0.0, |&(_, score)| score)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use tantivy::collector::DocSetCollector;
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    use super::*;
    use crate::search::analysis::{ANALYZER, analyzer};

    /// An index of `docs` (a title and the body's sections each), the body without
    /// positions as in the real schema (and a copy with them, `positional:`), and what
    /// `query` finds there: the documents' numbers, in the order they were added.
    fn found(docs: &[(&str, &[&str])], query: &str) -> BTreeSet<u32> {
        let options = |positions| {
            TextOptions::default()
                .set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(ANALYZER)
                        .set_index_option(positions),
                )
                .set_stored()
        };
        let mut b = Schema::builder();
        let title = b.add_text_field("title", options(IndexRecordOption::WithFreqsAndPositions));
        let body = b.add_text_field("body", options(IndexRecordOption::WithFreqs));
        // The same sections with positions: what tantivy's own phrase query would find.
        let positional = b.add_text_field(
            "positional",
            options(IndexRecordOption::WithFreqsAndPositions),
        );
        let index = Index::create_in_ram(b.build());
        index.tokenizers().register(ANALYZER, analyzer());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (t, sections) in docs {
            let mut doc = TantivyDocument::new();
            doc.add_text(title, t);
            for s in *sections {
                doc.add_text(body, s);
                doc.add_text(positional, s);
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let parser = QueryParser::for_index(&index, vec![title, body]);
        let q = parse(&parser, query, body, 1.0, &analyzer());
        searcher
            .search(&*q, &DocSetCollector)
            .unwrap()
            .into_iter()
            .map(|a| a.doc_id)
            .collect()
    }

    fn set(docs: &[u32]) -> BTreeSet<u32> {
        docs.iter().copied().collect()
    }

    const DOCS: &[(&str, &[&str])] = &[
        (
            "Checkout outage",
            &["A cache stampede hit the orders database."],
        ),
        (
            "Search outage",
            &["The stampede of retries emptied the cache."],
        ),
        ("Cache stampede on login", &["Nothing else to say."]),
        (
            "Split",
            &["The cache filled up.", "A stampede of requests followed."],
        ),
        ("Gateway", &["The api-gateway dropped connections."]),
        ("Spelled apart", &["Our API's gateway was slow."]),
        ("Far", &["The cache was cold, and a big stampede followed."]),
        (
            "Failure",
            &["A failure of the primary database, then recovery."],
        ),
    ];

    #[test]
    fn a_phrase_beside_a_word_that_matches_nothing_still_finds_its_documents() {
        assert_eq!(found(DOCS, "api-gateway zeppelin"), set(&[4]));
        assert_eq!(
            found(DOCS, "\"cache stampede\" zeppelin"),
            found(DOCS, "\"cache stampede\"")
        );
        assert_eq!(found(DOCS, "api-gateway -zeppelin"), set(&[4]));
    }

    #[test]
    fn a_phrase_in_the_body_needs_its_words_side_by_side_in_one_section() {
        // 0 has it in the body, 2 in the title (tantivy's own phrase query); 1 has both
        // words apart, 3 in two sections, 6 too far apart.
        assert_eq!(found(DOCS, "\"cache stampede\""), set(&[0, 2]));
        assert_eq!(found(DOCS, "body:\"cache stampede\""), set(&[0]));
        // Stemmed as the index is: "stampedes" is "stampede".
        assert_eq!(found(DOCS, "\"caches stampedes\""), set(&[0, 2]));
    }

    #[test]
    fn a_word_the_analysis_splits_is_a_phrase() {
        // "API's gateway" is "api s gateway": not the phrase.
        assert_eq!(found(DOCS, "api-gateway"), set(&[4]));
        assert_eq!(found(DOCS, "\"api gateway\""), set(&[4]));
        assert_eq!(found(DOCS, "\"api gateway\"~1"), set(&[4, 5]));
    }

    #[test]
    fn stop_words_leave_their_gap_and_slop_allows_moves() {
        // "of the" are stop words: "failure" and "database" stay three places apart.
        assert_eq!(found(DOCS, "\"failure of a database\""), set(&[]));
        assert_eq!(
            found(DOCS, "\"failure of the primary database\""),
            set(&[7])
        );
        assert_eq!(found(DOCS, "\"failure database\""), set(&[]));
        assert_eq!(found(DOCS, "\"failure database\"~2"), set(&[]));
        assert_eq!(found(DOCS, "\"failure database\"~3"), set(&[7]));
        // "cache was cold, and a big stampede": five moves apart; "stampede of retries
        // emptied the cache": six, the other way round.
        assert_eq!(found(DOCS, "\"cache stampede\"~4"), set(&[0, 2]));
        assert_eq!(found(DOCS, "\"cache stampede\"~5"), set(&[0, 2, 6]));
        assert_eq!(found(DOCS, "\"cache stampede\"~6"), set(&[0, 1, 2, 6]));
    }

    #[test]
    fn required_and_excluded_phrases_keep_their_meaning() {
        assert_eq!(found(DOCS, "+\"cache stampede\" outage"), set(&[0, 2]));
        assert_eq!(found(DOCS, "outage -\"cache stampede\""), set(&[1]));
        let all_but = |skip: &[u32]| set(&(0..8).filter(|d| !skip.contains(d)).collect::<Vec<_>>());
        assert_eq!(found(DOCS, "-\"cache stampede\""), all_but(&[0, 2]));
        // Single words and field queries are tantivy's own.
        assert_eq!(found(DOCS, "stampede"), set(&[0, 1, 2, 3, 6]));
        assert_eq!(found(DOCS, "title:outage"), set(&[0, 1]));
    }

    #[test]
    fn the_body_finds_what_tantivy_finds_with_positions() {
        let phrases = [
            "cache stampede",
            "stampede cache",
            "the cache",
            "failure primary database",
            "failure of the primary database",
            "api gateway",
            "gateway api",
            "stampede of requests",
            "cache filled stampede",
            "orders database",
            "a cache stampede hit the orders database",
        ];
        // One section each: tantivy lets a phrase with enough slop run on into the next
        // value of a field; ours stays within a section.
        let docs: Vec<_> = DOCS.iter().copied().filter(|d| d.1.len() == 1).collect();
        for phrase in phrases {
            for slop in 0..8 {
                let ours = found(&docs, &format!("body:\"{phrase}\"~{slop}"));
                let tantivy = found(&docs, &format!("positional:\"{phrase}\"~{slop}"));
                assert_eq!(ours, tantivy, "\"{phrase}\"~{slop}");
            }
        }
    }
}
