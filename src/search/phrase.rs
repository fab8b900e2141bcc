//! Phrases in the body. A phrase in the body (`"cache stampede"`, or a word such as
//! `api-gateway` that the analysis splits in two) is answered by [`BodyPhrase`]: the
//! post-mortems with all of its terms in the body, ranked as those terms are (as the
//! site's search ranks them, `export`), kept only when the terms stand side by side in
//! one section (within the phrase's slop), by the positions the index keeps. The other
//! text fields are searched by tantivy's own phrase queries.
//!
//! [`parse`] is tantivy's lenient query parser with that one difference: a phrase's
//! query in the body is a [`BodyPhrase`], in the same clause as the other fields'.

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyQuery, EnableScoring, Explanation, Occur, Query, QueryParser,
    Scorer, TermQuery, Weight,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// The query for `query`, as `parser.parse_query_lenient` makes it, with the body's
/// part of every phrase searched by a [`BodyPhrase`] (scaled by `body_boost`, the
/// body's field boost). `elsewhere` is `parser` without the body among its default
/// fields, `body` the body's field, `analyzer` the index's analysis.
/// The search builds its query clause by clause ([`clauses`]); the tests hold the
/// whole query to tantivy's own.
#[cfg(test)]
pub fn parse(
    parser: &QueryParser,
    elsewhere: &QueryParser,
    query: &str,
    body: Field,
    body_boost: Score,
    analyzer: &TextAnalyzer,
) -> Box<dyn Query> {
    let (ast, _errors) = tantivy::query_grammar::parse_query_lenient(query);
    let rewrite = Rewrite {
        parser,
        elsewhere,
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
    elsewhere: &QueryParser,
    query: &str,
    body: Field,
    body_boost: Score,
    analyzer: &TextAnalyzer,
) -> Vec<Clause> {
    let (mut ast, _errors) = tantivy::query_grammar::parse_query_lenient(query);
    let rewrite = Rewrite {
        parser,
        elsewhere,
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
    /// The parser for a phrase's other fields: the body's part is a [`BodyPhrase`].
    elsewhere: &'a QueryParser,
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
                let by_field = |parser: &QueryParser, leaf: Box<UserInputLeaf>| {
                    let (q, _errors) =
                        parser.build_query_from_user_input_ast_lenient(UserInputAst::Leaf(leaf));
                    (!q.is::<EmptyQuery>()).then_some(q)
                };
                let Some(phrase) = phrase else {
                    return by_field(self.parser, leaf);
                };
                let in_body: Box<dyn Query> =
                    Box::new(BoostQuery::new(Box::new(phrase), self.body_boost));
                let only_body =
                    matches!(&*leaf, UserInputLeaf::Literal(l) if l.field_name.is_some());
                if only_body {
                    return Some(in_body);
                }
                // The other fields' phrases, as the parser makes them.
                match by_field(self.elsewhere, leaf) {
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

/// A phrase searched in a text field: the documents with all of its terms, scored as
/// the conjunction of those terms, kept when the terms stand at their places in the
/// phrase, or within `slop` moves of them in all (tantivy's slop).
#[derive(Clone, Debug)]
pub struct BodyPhrase {
    field: Field,
    /// The terms, each with its position in the phrase (a stop word leaves a gap).
    terms: Vec<(usize, Term)>,
    slop: u32,
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
        (terms.len() >= 2).then_some(BodyPhrase { field, terms, slop })
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
    /// its terms: those with all the terms, checked in order against the terms'
    /// positions (a search counts its matches, so every candidate is checked).
    fn kept(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Vec<(DocId, Score)>> {
        let mut kept = Vec::new();
        let mut all_terms = self.all_terms.scorer(reader, boost)?;
        if all_terms.doc() == TERMINATED {
            return Ok(kept);
        }
        let mut check = PhraseCheck::new(&self.phrase, reader)?;
        while all_terms.doc() != TERMINATED {
            if check.holds(all_terms.doc()) {
                kept.push((all_terms.doc(), all_terms.score()));
            }
            all_terms.advance();
        }
        Ok(kept)
    }
}

/// Whether a document has the phrase, from the positions of its terms in the index.
/// Documents are checked in increasing order.
struct PhraseCheck {
    /// Per term of the phrase, its position in the phrase and its postings (`None`:
    /// the segment does not have it).
    terms: Vec<(i64, Option<SegmentPostings>)>,
    slop: i64,
    /// Per term of the phrase, where it stands in the document, less its position in
    /// the phrase (so a match puts every term at the same place).
    places: Vec<Vec<i64>>,
    positions: Vec<u32>,
}

impl PhraseCheck {
    fn new(phrase: &BodyPhrase, reader: &SegmentReader) -> tantivy::Result<Self> {
        let inverted = reader.inverted_index(phrase.field)?;
        let terms = phrase
            .terms
            .iter()
            .map(|(at, term)| {
                let postings =
                    inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?;
                Ok((*at as i64, postings))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(PhraseCheck {
            terms,
            slop: i64::from(phrase.slop),
            places: vec![Vec::new(); phrase.terms.len()],
            positions: Vec::new(),
        })
    }

    /// Whether `doc` has the phrase: its terms in order, each at its distance from the
    /// one before, or all of them within `slop` moves of that.
    fn holds(&mut self, doc: DocId) -> bool {
        for ((at, postings), places) in self.terms.iter_mut().zip(&mut self.places) {
            let Some(postings) = postings else {
                return false;
            };
            if postings.doc() > doc || postings.seek(doc) != doc {
                return false;
            }
            self.positions.clear();
            postings.positions(&mut self.positions);
            places.clear();
            places.extend(self.positions.iter().map(|&p| i64::from(p) - *at));
        }
        matches(&self.places, self.slop)
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
        let body = b.add_text_field("body", options(IndexRecordOption::WithFreqsAndPositions));
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
        let elsewhere = QueryParser::for_index(&index, vec![title]);
        let q = parse(&parser, &elsewhere, query, body, 1.0, &analyzer());
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
        // emptied the cache": six, the other way round. Sections are a place apart, and
        // a slop reaches across them as tantivy's does: "cache filled up." then "A
        // stampede": four moves.
        assert_eq!(found(DOCS, "\"cache stampede\"~3"), set(&[0, 2]));
        assert_eq!(found(DOCS, "\"cache stampede\"~4"), set(&[0, 2, 3]));
        assert_eq!(found(DOCS, "\"cache stampede\"~5"), set(&[0, 2, 3, 6]));
        assert_eq!(found(DOCS, "\"cache stampede\"~6"), set(&[0, 1, 2, 3, 6]));
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
