//! The static search index of the built site: what the browser script
//! (`themes/default/static/search.js`) loads, piece by piece, to search with no server.
//!
//! It is read from the tantivy index of the same book (so it holds the same terms, from
//! the one analysis of [`super::analysis`], without analysing the book again) and holds
//! the same BM25 scores, computed here once per (term, post-mortem) with tantivy's own
//! formula and field boosts, so the browser only adds numbers and ranks as the CLI does.
//! Every file is a script that hands its data to `ibSearch(kind, n, data)`: scripts load
//! from `file://` too, where `fetch()` of JSON is refused.
//!
//! Files, all under `search/`:
//! - `meta.js`: parameters, where every vocabulary chunk and every directory of term
//!   chunks starts;
//! - `td/N.js`: where each of [`DIRECTORY`] term chunks starts;
//! - `t/N.js`: terms sorted and cut into chunks of about `TERM_CHUNK` bytes, each term
//!   with its postings (post-mortem number and score, delta-encoded), after the number
//!   (rank) of the chunk's first term;
//! - `p/N.js`: where each term stands in post-mortem N, field by field: loaded for the
//!   results shown of a phrase, to keep those that have its words side by side;
//! - `v/N.js`: the vocabulary alone, each term with its document frequency, for prefix
//!   and typo expansion without loading postings;
//! - `d/N.js`: short records (slug, title, date, severity, snippet text) of
//!   [`DOC_GROUP`] post-mortems each;
//! - `facets.js`: for every filter value, which post-mortems have it.
//! - `dates.js`: each post-mortem's day, for the `after:` and `before:` filters.

use std::fmt::Write as _;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, ReloadPolicy, SegmentReader, TERMINATED};

use super::SearchIndex;
use super::analysis::{self, Synonyms, TextField};
use crate::error::{Error, Result};
use crate::link::KnowledgeBase;
use crate::output::OutputFile;

/// Scores are stored as integers in thousandths.
pub const SCALE: f32 = 1000.0;
/// Target size of a chunk of terms with postings, in bytes: a first query loads one
/// per word, and `meta.js` (loaded too) names the first term of each.
const TERM_CHUNK: usize = 4 * 1024;
/// Term chunks named per directory file: `meta.js` names the directories, so a word
/// costs a directory of about 300 bytes rather than `meta.js` naming every chunk.
const DIRECTORY: usize = 40;
/// Target size of a chunk of the vocabulary, in bytes: a first query's last word loads
/// one for its prefix expansions.
const VOCAB_CHUNK: usize = 4 * 1024;
/// Post-mortems per record file: one, as the results of a query are spread over the
/// book (a file of eight held seven records a first query did not need).
pub const DOC_GROUP: usize = 1;
/// Characters of text kept per post-mortem for its result snippet.
const SNIPPET_CHARS: usize = 160;
/// Characters of the body's start kept per post-mortem: the browser shows the passage
/// around the best match found there (as the CLI does in the whole body).
const EXCERPT_CHARS: usize = 480;
/// Format of the files, read by the script.
const FORMAT: u32 = 2;

// BM25 parameters, as tantivy's.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A segment's document number that holds no post-mortem of the book (deleted since).
const GONE: u32 = u32::MAX;

/// Terms with their postings: (post-mortem number in the book, term frequency).
type TermPostings = Vec<(String, Vec<(u32, u32)>)>;

/// One field of one segment of the tantivy index: every term with its postings, alive
/// documents only, and the positions of every posting in turn (term frequency many).
struct FieldTerms {
    field: usize,
    terms: TermPostings,
    positions: Vec<u32>,
}

/// The postings of every text field, read back from the tantivy index of the same book:
/// the index already holds, per field, each term's documents and frequencies, so the
/// static index needs no analysis of its own (the old export, with its own analysis,
/// was 18% of a build's CPU at 10,000 post-mortems).
fn read_postings(kb: &KnowledgeBase, index: &SearchIndex) -> Result<Vec<FieldTerms>> {
    let reader: tantivy::IndexReader = index
        .index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(read_error)?;
    let searcher = reader.searcher();
    let segments = searcher.segment_readers();
    let position: FxHashMap<&str, u32> = kb
        .book
        .incidents
        .iter()
        .enumerate()
        .map(|(d, i)| (i.slug.as_str(), d as u32))
        .collect();
    let doc_maps: Vec<Vec<u32>> = segments
        .par_iter()
        .map(|segment| doc_map(segment, index.fields.slug, &position))
        .collect::<Result<_>>()?;
    let text = index.fields.text();
    let jobs: Vec<(usize, usize)> = (0..segments.len())
        .flat_map(|s| (0..text.len()).map(move |f| (s, f)))
        .collect();
    jobs.par_iter()
        .map(|&(s, f)| {
            let (terms, positions) = field_terms(&segments[s], text[f], &doc_maps[s])?;
            Ok(FieldTerms {
                field: f,
                terms,
                positions,
            })
        })
        .collect()
}

/// For each document of `segment`, the number in the book of the post-mortem it holds
/// (by slug), or [`GONE`] for a deleted document.
fn doc_map(
    segment: &SegmentReader,
    slug: Field,
    position: &FxHashMap<&str, u32>,
) -> Result<Vec<u32>> {
    let mut map = vec![GONE; segment.max_doc() as usize];
    let alive = |doc| segment.alive_bitset().is_none_or(|a| a.is_alive(doc));
    let slugs = segment.inverted_index(slug).map_err(read_error)?;
    let mut stream = slugs.terms().stream().map_err(read_error)?;
    while stream.advance() {
        let Some(&d) = std::str::from_utf8(stream.key())
            .ok()
            .and_then(|s| position.get(s))
        else {
            continue;
        };
        let mut docs = slugs
            .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
            .map_err(read_error)?;
        while docs.doc() != TERMINATED {
            if alive(docs.doc()) {
                map[docs.doc() as usize] = d;
            }
            docs.advance();
        }
    }
    Ok(map)
}

fn field_terms(
    segment: &SegmentReader,
    field: Field,
    doc_map: &[u32],
) -> Result<(TermPostings, Vec<u32>)> {
    let inverted = segment.inverted_index(field).map_err(read_error)?;
    let mut stream = inverted.terms().stream().map_err(read_error)?;
    let mut out = Vec::new();
    let mut positions = Vec::new();
    let mut buffer = Vec::new();
    while stream.advance() {
        let mut postings = inverted
            .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqsAndPositions)
            .map_err(read_error)?;
        let mut docs = Vec::with_capacity(postings.size_hint() as usize);
        while postings.doc() != TERMINATED {
            let d = doc_map[postings.doc() as usize];
            if d != GONE {
                buffer.clear();
                postings.positions(&mut buffer);
                docs.push((d, buffer.len() as u32));
                positions.extend_from_slice(&buffer);
            }
            postings.advance();
        }
        if !docs.is_empty() {
            out.push((String::from_utf8_lossy(stream.key()).into_owned(), docs));
        }
    }
    Ok((out, positions))
}

fn read_error(e: impl std::fmt::Display) -> Error {
    Error::SearchIndex {
        place: "read for the static index".to_owned(),
        message: e.to_string(),
    }
}

/// BM25 as tantivy computes it for one field: the idf from the field's document
/// frequency, the length normalisation from the field's average length and the
/// document's length rounded as tantivy stores it (one byte).
struct FieldScorer {
    docs: f32,
    norm_cache: [f32; 256],
    boost: f32,
}

impl FieldScorer {
    fn new(field: TextField, docs: usize, total_terms: u64) -> FieldScorer {
        let average = total_terms as f32 / docs.max(1) as f32;
        let mut norm_cache = [0.0; 256];
        for (id, slot) in norm_cache.iter_mut().enumerate() {
            let norm = FieldNormReader::id_to_fieldnorm(id as u8) as f32;
            *slot = K1 * (1.0 - B + B * norm / average);
        }
        FieldScorer {
            docs: docs as f32,
            norm_cache,
            boost: field.boost(),
        }
    }

    /// The part of a score that depends on the term alone: its idf, with the field's
    /// boost.
    fn weight(&self, doc_freq: u32) -> f32 {
        let x = (self.docs - doc_freq as f32 + 0.5) / (doc_freq as f32 + 0.5);
        let idf = (1.0 + x).ln();
        idf * (1.0 + K1) * self.boost
    }

    fn score(&self, weight: f32, norm: u32, tf: u32) -> f32 {
        let tf = tf as f32;
        weight * (tf / (tf + self.norm_cache[FieldNormReader::fieldnorm_to_id(norm) as usize]))
    }
}

/// As [`files`], from `index` when the tantivy index could be opened, else from an index
/// of `kb` made in memory (a cache folder that cannot hold one must not cost the site its
/// search box).
pub fn files_or_in_memory(
    kb: &KnowledgeBase,
    index: Option<&SearchIndex>,
    synonyms: &Synonyms,
) -> Result<Vec<OutputFile>> {
    match index {
        Some(index) => files(kb, index),
        None => files(kb, &SearchIndex::in_memory(kb, synonyms.clone())?),
    }
}

/// Every file of the static index, deterministic for a given book: read from `index`,
/// the tantivy index of the same book (brought up to date with it), whatever its
/// segments and deletions.
pub fn files(kb: &KnowledgeBase, index: &SearchIndex) -> Result<Vec<OutputFile>> {
    let lists = read_postings(kb, index)?;
    let n = kb.book.incidents.len();

    // Terms in order; a term's number is its rank.
    let mut terms: Vec<&str> = lists
        .iter()
        .flat_map(|l| l.terms.iter().map(|(t, _)| t.as_str()))
        .collect();
    terms.par_sort_unstable();
    terms.dedup();
    let number: FxHashMap<&str, u32> = terms
        .iter()
        .enumerate()
        .map(|(k, t)| (*t, k as u32))
        .collect();

    // Per term, its document frequency in each field; per post-mortem, the length of
    // each field in terms (every occurrence of a term counts once), and their totals.
    let mut freq = vec![[0u32; 6]; terms.len()];
    let mut norms = vec![[0u32; 6]; n];
    for list in &lists {
        for (term, docs) in &list.terms {
            freq[number[term.as_str()] as usize][list.field] += docs.len() as u32;
            for &(d, tf) in docs {
                norms[d as usize][list.field] += tf;
            }
        }
    }
    let mut totals = [0u64; 6];
    for doc in &norms {
        for (total, &norm) in totals.iter_mut().zip(doc) {
            *total += u64::from(norm);
        }
    }
    let scorers: Vec<FieldScorer> = TextField::ALL
        .iter()
        .zip(totals)
        .map(|(&field, total)| FieldScorer::new(field, n, total))
        .collect();

    // The postings, term by term: each post-mortem's score for the term, its fields
    // added in field order (the lists are taken field by field, and a post-mortem is in
    // one segment only), into a dense array per task rather than a sort of every
    // (term, post-mortem) pair.
    let mut by_field: Vec<usize> = (0..lists.len()).collect();
    by_field.sort_by_key(|&l| lists[l].field);
    let numbers: Vec<Vec<u32>> = lists
        .iter()
        .map(|l| l.terms.iter().map(|(t, _)| number[t.as_str()]).collect())
        .collect();
    let tasks = (rayon::current_num_threads() * 8).max(1);
    let per_task = terms.len().div_ceil(tasks).max(1);
    let encoded: Vec<String> = (0..terms.len())
        .step_by(per_task)
        .collect::<Vec<_>>()
        .into_par_iter()
        .flat_map_iter(|first| {
            let last = (first + per_task).min(terms.len());
            let mut cursors: Vec<usize> = numbers
                .iter()
                .map(|nums| nums.partition_point(|&k| (k as usize) < first))
                .collect();
            let mut scores = vec![0.0f32; n];
            let mut touched: Vec<u32> = Vec::new();
            let mut postings: Vec<(u32, u32)> = Vec::new();
            let (lists, numbers, freq, norms, scorers) =
                (&lists, &numbers, &freq, &norms, &scorers);
            let by_field = &by_field;
            (first..last).map(move |t| {
                for &l in by_field {
                    let list = &lists[l];
                    let c = cursors[l];
                    if numbers[l].get(c) != Some(&(t as u32)) {
                        continue;
                    }
                    cursors[l] += 1;
                    let f = list.field;
                    let weight = scorers[f].weight(freq[t][f]);
                    for &(d, tf) in &list.terms[c].1 {
                        let d = d as usize;
                        // Every field's score is above zero: zero is "not yet seen".
                        if scores[d] == 0.0 {
                            touched.push(d as u32);
                        }
                        scores[d] += scorers[f].score(weight, norms[d][f], tf);
                    }
                }
                touched.sort_unstable();
                postings.clear();
                for &d in &touched {
                    postings.push((d, quantize(scores[d as usize])));
                    scores[d as usize] = 0.0;
                }
                touched.clear();
                encode_postings(&postings)
            })
        })
        .collect();
    let max_df = |k: usize, out: &mut String| {
        let df = freq[k].iter().max().copied().unwrap_or(0);
        write!(out, "{df}").expect("writing to a String cannot fail");
    };

    let mut out = Vec::new();
    let term_firsts = chunk(
        &terms,
        TERM_CHUNK,
        |k, out| write!(out, "{k}").expect("writing to a String cannot fail"),
        |k, out| out.push_str(&encoded[k]),
        |k, body| out.push(script("t", k, &format!("[{body}]"))),
    );
    let vocab_firsts = chunk(
        &terms,
        VOCAB_CHUNK,
        |_, _| {},
        max_df,
        |k, body| out.push(script("v", k, &format!("[{body}]"))),
    );
    out.extend(places(&lists, &number, n));
    out.extend(records(kb));
    out.push(facets(kb));
    out.push(dates(kb));
    let meta = Meta {
        format: FORMAT,
        docs: n,
        scale: SCALE,
        stop_words: analysis::STOP_WORDS,
        max_token_bytes: analysis::MAX_TOKEN_BYTES,
        prefix_weight: analysis::PREFIX_WEIGHT,
        fuzzy_weight: analysis::FUZZY_WEIGHT,
        fuzzy_below: analysis::FUZZY_BELOW,
        fuzzy_min_len: analysis::FUZZY_MIN_LEN,
        fuzzy_two_edits_len: analysis::FUZZY_TWO_EDITS_LEN,
        fuzzy_shared_prefix: analysis::FUZZY_SHARED_PREFIX,
        max_expansions: analysis::MAX_EXPANSIONS,
        synonym_weight: analysis::SYNONYM_WEIGHT,
        did_you_mean_from: super::did_you_mean::FROM_RESULTS,
        snippet_chars: SNIPPET_CHARS,
        synonyms: index.synonyms().groups(),
        doc_group: DOC_GROUP,
        url: crate::urls::incident("{}"),
        terms: directories(&term_firsts, &mut out),
        vocab: vocab_firsts,
    };
    out.push(script(
        "meta",
        0,
        &serde_json::to_string(&meta).expect("serializes"),
    ));
    Ok(out)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta<'a> {
    format: u32,
    docs: usize,
    scale: f32,
    stop_words: &'a [&'a str],
    max_token_bytes: usize,
    prefix_weight: f32,
    fuzzy_weight: f32,
    fuzzy_below: usize,
    fuzzy_min_len: usize,
    fuzzy_two_edits_len: usize,
    fuzzy_shared_prefix: usize,
    max_expansions: usize,
    synonym_weight: f32,
    did_you_mean_from: usize,
    snippet_chars: usize,
    synonyms: &'a [Vec<String>],
    doc_group: usize,
    url: String,
    terms: Vec<&'a str>,
    vocab: Vec<&'a str>,
}

/// Where each term stands in each post-mortem, one file per post-mortem: for each
/// text field in order, the number of its terms, then for each term (in order) the gap
/// from the previous term's number, its frequency and its positions as gaps. A
/// phrase's results load the files of those shown, so phrases cost their bytes only.
fn places(lists: &[FieldTerms], number: &FxHashMap<&str, u32>, n: usize) -> Vec<OutputFile> {
    // Field by field (a post-mortem is in one segment, and a segment's terms come in
    // order), each post-mortem's entries, and how many.
    let fields: Vec<Vec<(u32, String)>> = (0..TextField::ALL.len())
        .into_par_iter()
        .map(|f| {
            let mut docs = vec![(0u32, String::new()); n];
            let mut last = vec![0u32; n];
            for list in lists.iter().filter(|l| l.field == f) {
                let mut at = 0;
                for (term, postings) in &list.terms {
                    let t = number[term.as_str()];
                    for &(d, tf) in postings {
                        let (count, s) = &mut docs[d as usize];
                        push_varint(s, t - last[d as usize]);
                        last[d as usize] = t;
                        *count += 1;
                        push_varint(s, tf);
                        let mut previous = 0;
                        for &p in &list.positions[at..at + tf as usize] {
                            push_varint(s, p - previous);
                            previous = p;
                        }
                        at += tf as usize;
                    }
                }
            }
            docs
        })
        .collect();
    (0..n)
        .into_par_iter()
        .map(|d| {
            let mut s = String::from("\"");
            for field in &fields {
                let (count, entries) = &field[d];
                push_varint(&mut s, *count);
                s.push_str(entries);
            }
            s.push('"');
            script("p", d, &s)
        })
        .collect()
}

/// The term chunks' starts, [`DIRECTORY`] to a file (`td/N.js`: the number of its
/// first chunk, then their starts), so that `meta.js`, which every first query loads,
/// names only each file's first start; returns those.
fn directories<'a>(firsts: &[&'a str], out: &mut Vec<OutputFile>) -> Vec<&'a str> {
    firsts
        .chunks(DIRECTORY)
        .enumerate()
        .map(|(k, starts)| {
            let data = serde_json::to_string(&(k * DIRECTORY, starts)).expect("serializes");
            out.push(script("td", k, &data));
            starts[0]
        })
        .collect()
}

fn quantize(score: f32) -> u32 {
    ((score * SCALE).round() as u32).max(1)
}

/// Cuts the sorted `terms` into chunks of about `target` bytes, each entry a JSON
/// string of the term followed by what `value(its number, body)` appends (already
/// JSON), after what `start(number of the chunk's first term, body)` appends; hands
/// each chunk's body to `emit` and returns, for every chunk, where it starts: the
/// shortest start of its first term that sorts after the previous chunk's last term
/// (what the browser's binary search needs, in fewer bytes than the term). An entry of
/// `target` bytes or more is a chunk of its own: a common word's postings would
/// otherwise come with every rarer word beside it.
fn chunk<'a>(
    terms: &[&'a str],
    target: usize,
    start: impl Fn(usize, &mut String),
    value: impl Fn(usize, &mut String),
    mut emit: impl FnMut(usize, &str),
) -> Vec<&'a str> {
    let mut firsts: Vec<&str> = Vec::new();
    let mut body = String::new();
    let mut entries = 0;
    let mut entry = String::new();
    for (k, &term) in terms.iter().enumerate() {
        entry.clear();
        entry.push_str(&serde_json::to_string(term).expect("serializes"));
        entry.push(',');
        value(k, &mut entry);
        if entry.len() >= target && entries > 0 {
            emit(firsts.len() - 1, &body);
            (body, entries) = (String::new(), 0);
        }
        if entries == 0 {
            firsts.push(match k.checked_sub(1) {
                Some(previous) => separator(terms[previous], term),
                None => term,
            });
            start(k, &mut body);
        }
        if !body.is_empty() {
            body.push(',');
        }
        body.push_str(&entry);
        entries += 1;
        if body.len() >= target {
            emit(firsts.len() - 1, &body);
            (body, entries) = (String::new(), 0);
        }
    }
    if entries > 0 {
        emit(firsts.len() - 1, &body);
    }
    firsts
}

/// The shortest start of `term` (whole characters) that sorts after `previous`, which
/// sorts before `term`.
fn separator<'a>(previous: &str, term: &'a str) -> &'a str {
    term.char_indices()
        .map(|(k, c)| &term[..k + c.len_utf8()])
        .find(|start| *start > previous)
        .unwrap_or(term)
}

/// The numbers 0-63 as characters that need no escaping in a JSON string.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends `v` in base 32 digits, least significant first; digits 32-63 say another
/// digit follows.
fn push_varint(out: &mut String, mut v: u32) {
    loop {
        let digit = (v & 31) as usize;
        v >>= 5;
        if v == 0 {
            out.push(DIGITS[digit] as char);
            return;
        }
        out.push(DIGITS[digit | 32] as char);
    }
}

/// Postings as one JSON string: for each post-mortem, the gap from the previous
/// number, then the score.
fn encode_postings(postings: &[(u32, u32)]) -> String {
    // A gap takes one to three digits, a score (in thousandths) two or three.
    let mut s = String::with_capacity(2 + postings.len() * 6);
    s.push('"');
    let mut previous = 0;
    for &(doc, score) in postings {
        push_varint(&mut s, doc - previous);
        push_varint(&mut s, score);
        previous = doc;
    }
    s.push('"');
    s
}

/// A sorted list of post-mortem numbers as gaps, in one string.
fn encode_docs(docs: &[u32]) -> String {
    let mut s = String::new();
    let mut previous = 0;
    for &doc in docs {
        push_varint(&mut s, doc - previous);
        previous = doc;
    }
    s
}

/// The folder of the built site holding the static index, and nothing else.
pub const FOLDER: &str = "search/";

fn script(kind: &str, n: usize, data: &str) -> OutputFile {
    let path = match kind {
        "meta" | "facets" | "dates" => format!("{FOLDER}{kind}.js"),
        _ => format!("{FOLDER}{kind}/{n}.js"),
    };
    OutputFile::text(path, format!("ibSearch(\"{kind}\",{n},{data});\n"))
}

/// Result records: slug, title, date, severity, the text of the snippet (and of "did
/// you mean") and the start of the body, where the snippet's passage is looked for. The
/// text is `0` when it is the start of the body's, cut at [`SNIPPET_CHARS`] (a
/// post-mortem without a summary), which the browser cuts as [`cut`] does.
fn records(kb: &KnowledgeBase) -> Vec<OutputFile> {
    kb.book
        .incidents
        .chunks(DOC_GROUP)
        .enumerate()
        .map(|(k, group)| {
            let rows: Vec<serde_json::Value> = group
                .iter()
                .map(|i| {
                    let text = snippet_text(i);
                    let excerpt = excerpt(i.body.texts().map(|t| &**t));
                    let text = if text == cut(&excerpt, SNIPPET_CHARS) {
                        serde_json::Value::from(0)
                    } else {
                        serde_json::Value::from(text)
                    };
                    serde_json::json!([
                        i.slug,
                        i.title,
                        i.date.map(|d| d.to_string()).unwrap_or_default(),
                        i.severity.clone().unwrap_or_default(),
                        text,
                        excerpt,
                    ])
                })
                .collect();
            script("d", k, &serde_json::to_string(&rows).expect("serializes"))
        })
        .collect()
}

/// The summary, else the start of the first section, cut at a word near
/// [`SNIPPET_CHARS`].
fn snippet_text(i: &crate::model::Incident) -> String {
    record_text(
        i.summary.as_deref().unwrap_or_default(),
        i.body.texts().map(|t| &**t),
    )
}

/// The start of the body (its sections as one text, as the CLI takes it for a
/// snippet), its spaces collapsed, cut at a word near [`EXCERPT_CHARS`].
fn excerpt<'a>(sections: impl Iterator<Item = &'a str>) -> String {
    let words: Vec<&str> = sections.flat_map(str::split_whitespace).collect();
    cut(&words.join(" "), EXCERPT_CHARS)
}

/// [`snippet_text`] of a post-mortem with this summary and these sections' texts: what
/// a result record of the site holds besides the title.
pub(super) fn record_text<'a>(
    summary: &'a str,
    mut sections: impl Iterator<Item = &'a str>,
) -> String {
    let text = Some(summary)
        .filter(|s| !s.trim().is_empty())
        .or_else(|| sections.find(|t| !t.trim().is_empty()))
        .unwrap_or_default();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    cut(&text, SNIPPET_CHARS)
}

/// `text`, when longer than `chars` characters, cut at the last space before, with `…`.
fn cut(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        None => text.to_owned(),
        Some((end, _)) => {
            let head = &text[..end];
            format!("{}…", head.rsplit_once(' ').map_or(head, |(h, _)| h))
        }
    }
}

#[derive(Serialize)]
struct Facet {
    key: &'static str,
    label: &'static str,
    /// (value, label, post-mortems as gaps)
    values: Vec<(String, String, String)>,
}

/// For every filter (severity, status, year, service, team, factor) and value, the post-mortems
/// that have it: the browser counts them among the results.
fn facets(kb: &KnowledgeBase) -> OutputFile {
    let incidents = &kb.book.incidents;
    let collect = |values_of: &dyn Fn(&crate::model::Incident) -> Vec<String>| {
        let mut by_value: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for (d, i) in incidents.iter().enumerate() {
            let mut values = values_of(i);
            values.sort();
            values.dedup();
            for v in values {
                by_value.entry(v).or_default().push(d as u32);
            }
        }
        by_value
    };
    let build = |key,
                 label,
                 by_value: std::collections::BTreeMap<String, Vec<u32>>,
                 name: &dyn Fn(&str) -> String,
                 by_count: bool| {
        let mut values: Vec<(String, Vec<u32>)> = by_value.into_iter().collect();
        if by_count {
            values.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        }
        Facet {
            key,
            label,
            values: values
                .into_iter()
                .map(|(v, docs)| {
                    let label = name(&v);
                    (v, label, encode_docs(&docs))
                })
                .collect(),
        }
    };
    let same = |v: &str| v.to_owned();
    let mut years = collect(&|i| {
        i.date
            .map(|d| d.format("%Y").to_string())
            .into_iter()
            .collect()
    });
    let years_desc: std::collections::BTreeMap<String, Vec<u32>> = std::mem::take(&mut years);
    let mut year_facet = build("year", "Year", years_desc, &same, false);
    year_facet.values.reverse();
    let all = vec![
        build(
            "severity",
            "Severity",
            collect(&|i| i.severity.clone().into_iter().collect()),
            &same,
            false,
        ),
        build(
            "status",
            "Status",
            collect(&|i| i.status.clone().into_iter().collect()),
            &same,
            false,
        ),
        year_facet,
        build(
            "service",
            "Service",
            collect(&|i| i.services.clone()),
            &same,
            true,
        ),
        build("team", "Team", collect(&|i| i.teams.clone()), &same, true),
        build(
            "factor",
            "Contributing factor",
            collect(&|i| i.factors.iter().map(|f| f.id.clone()).collect()),
            &|id| analysis::factor_title(kb, id).to_owned(),
            true,
        ),
    ];
    script(
        "facets",
        0,
        &serde_json::to_string(&all).expect("serializes"),
    )
}

/// Each post-mortem's date, for the `after:` and `before:` filters: one varint per
/// post-mortem in the book's order, its day counted from 1970-01-01 plus one (0: no
/// date). Loaded only when a query filters by date.
fn dates(kb: &KnowledgeBase) -> OutputFile {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    let mut s = String::new();
    for i in kb.book.incidents.iter() {
        let day = i.date.map_or(0, |d| {
            u32::try_from((d - epoch).num_days() + 1).unwrap_or(0)
        });
        push_varint(&mut s, day);
    }
    script("dates", 0, &serde_json::to_string(&s).expect("serializes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_starts_at_the_shortest_start_of_its_first_term_after_the_last_before() {
        assert_eq!(separator("migrat", "migratori"), "migrato");
        assert_eq!(separator("lock", "locksmith"), "locks");
        assert_eq!(separator("abc", "b"), "b");
        assert_eq!(separator("é", "ö"), "ö");
        let terms = ["alpha", "alps", "beta", "betray", "gamma"];
        let firsts = chunk(&terms, 1, |_, _| {}, |_, _| {}, |_, _| {});
        assert_eq!(firsts, ["alpha", "alps", "b", "betr", "g"]);
        // About 20 bytes a chunk: "beta"'s long entry is a chunk of its own.
        let mut chunks = Vec::new();
        let long = |k: usize, out: &mut String| {
            out.push_str(if k == 2 {
                "\"0123456789abcdefghij\""
            } else {
                "1"
            })
        };
        let firsts = chunk(
            &terms,
            20,
            |_, _| {},
            long,
            |k, body| chunks.push((k, body.to_owned())),
        );
        assert_eq!(firsts, ["alpha", "b", "betr"]);
        assert_eq!(
            chunks,
            [
                (0, "\"alpha\",1,\"alps\",1".to_owned()),
                (1, "\"beta\",\"0123456789abcdefghij\"".to_owned()),
                (2, "\"betray\",1,\"gamma\",1".to_owned()),
            ]
        );
    }

    #[test]
    fn varints_round_trip_through_the_digit_alphabet() {
        let mut s = String::new();
        for v in [0, 1, 31, 32, 1000, 65_535, u32::MAX] {
            push_varint(&mut s, v);
        }
        let mut values = Vec::new();
        let (mut v, mut shift) = (0u64, 0);
        for c in s.bytes() {
            let d = DIGITS.iter().position(|&x| x == c).unwrap() as u64;
            v |= (d & 31) << shift;
            shift += 5;
            if d < 32 {
                values.push(v as u32);
                v = 0;
                shift = 0;
            }
        }
        assert_eq!(values, [0, 1, 31, 32, 1000, 65_535, u32::MAX]);
    }
}
