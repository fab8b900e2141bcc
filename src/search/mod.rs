//! Full-text search with tantivy: the index lives in the book's cache folder
//! (`.incidentbook/search/`), is brought up to date from the book before every query
//! (only changed post-mortems are re-indexed), and is rebuilt from scratch whenever its
//! manifest is missing, unreadable or from another version of incidentbook, so a cache
//! left half-written by a killed process is never trusted.
//!
//! One analyzer (`ib_en`: simple tokenizer, lower-casing, English stop words and
//! stemming) defines the terms of every text field.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, QueryParser, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

pub mod analysis;
pub mod export;
mod phrase;

use crate::error::{Error, Result};
use crate::link::KnowledgeBase;
use crate::model::Incident;
use crate::source::stamp;

use analysis::FieldText;
pub use analysis::{ANALYZER, analyzer};

/// Bumped whenever the schema, the analysis or what is indexed changes (5: the body's
/// preamble), so old caches are rebuilt.
const FORMAT: u32 = 5;
/// Memory for the index writer: enough for 10,000 post-mortems in one segment batch.
const WRITER_MEMORY: usize = 128 * 1024 * 1024;
/// Indexing threads: one. The index is made while the pages render on every core, so a
/// second thread only competes with them, and one thread makes fewer segments for the
/// static index to read back.
const WRITER_THREADS: usize = 1;

#[derive(Clone, Copy)]
struct Fields {
    slug: Field,
    title: Field,
    summary: Field,
    body: Field,
    factors: Field,
    actions: Field,
    meta: Field,
    severity: Field,
    service: Field,
    team: Field,
    factor_id: Field,
    date: Field,
}

impl Fields {
    /// The text fields, in the order of [`analysis::TextField::ALL`].
    fn text(&self) -> [Field; 6] {
        [
            self.title,
            self.summary,
            self.body,
            self.factors,
            self.actions,
            self.meta,
        ]
    }
}

fn schema() -> (Schema, Fields) {
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let stored_text = text.clone().set_stored();
    // The body without positions: they were 5–7% of a build's CPU time, and its
    // phrases are checked against its stored text instead (`phrase`).
    let body = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
        .set_stored();
    let mut b = Schema::builder();
    let fields = Fields {
        slug: b.add_text_field("slug", STRING | STORED),
        title: b.add_text_field("title", stored_text.clone()),
        summary: b.add_text_field("summary", stored_text),
        body: b.add_text_field("body", body),
        factors: b.add_text_field("factors", text.clone()),
        actions: b.add_text_field("actions", text.clone()),
        meta: b.add_text_field("meta", text),
        severity: b.add_text_field("severity", STRING | STORED),
        service: b.add_text_field("service", STRING),
        team: b.add_text_field("team", STRING),
        factor_id: b.add_text_field("factor_id", STRING),
        date: b.add_text_field("date", STRING | STORED),
    };
    (b.build(), fields)
}

/// A new index of `schema`, in memory or in a folder. Its stored fields are kept
/// uncompressed: they are read only for the hits of a query, and compressing every
/// post-mortem's text with lz4 took about a tenth of the index's CPU time (2.3% of a
/// 10,000 post-mortem build's profile); the cache folder grows by about 70%.
fn new_index(schema: Schema) -> tantivy::IndexBuilder {
    Index::builder()
        .schema(schema)
        .settings(tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::None,
            // With nothing to compress, a thread of its own only hands each block on.
            docstore_compress_dedicated_thread: false,
            ..Default::default()
        })
}

/// What the cache holds: its format, each post-mortem's fingerprint, and the size and
/// modification time of every index file as last written, so a damaged or half-written
/// cache is noticed without reading it (tantivy may panic on a corrupt file).
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct Manifest {
    version: String,
    documents: BTreeMap<String, u64>,
    files: BTreeMap<String, (u64, u128)>,
    /// Size and modification time of the book's sources when the index was last
    /// brought up to date: while they match, a search needs no parsing at all.
    #[serde(default)]
    sources: Stamps,
}

/// Size and modification time of `book.toml` and of every source, by path relative to
/// the content folder: what the manifest records, to tell whether the index is current.
pub type Stamps = BTreeMap<String, (u64, u128)>;

/// The [`Stamps`] of the book's sources: `book.toml`'s is taken now, those of the
/// post-mortems and factors (`sources`, relative to the content folder) were taken
/// before each was read.
pub fn stamps_from<'a>(
    root: &Path,
    sources: impl IntoIterator<Item = (&'a Path, (u64, u128))>,
) -> Stamps {
    let mut out = BTreeMap::new();
    out.extend(stamp(&root.join(crate::config::CONFIG_FILE)).map(|s| ("book.toml".to_owned(), s)));
    out.extend(
        sources
            .into_iter()
            .map(|(rel, s)| (rel.to_string_lossy().into_owned(), s)),
    );
    out
}

/// The [`Stamps`] of the book's sources as they are on disk now (without reading them):
/// the cheap test of whether the index is current.
pub fn source_stamps(root: &Path, config: &crate::config::Config) -> Result<Stamps> {
    let content = config.content_dir(root);
    let found = crate::source::discover(
        root,
        &content,
        &config.build.ignore,
        config.build.max_file_size,
        &config.content_skips(root),
    )?;
    let files = found.incidents.iter().chain(&found.factors);
    Ok(stamps_from(
        root,
        files.filter_map(|rel| Some((rel.as_path(), stamp(&content.join(rel))?))),
    ))
}

const MANIFEST: &str = "manifest.json";

/// Size and modification time of every file of the index folder but the manifest.
fn index_files(dir: &Path) -> BTreeMap<String, (u64, u128)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(MANIFEST) || name.ends_with(".lock") {
                return None;
            }
            Some((name, stamp(&e.path())?))
        })
        .collect()
}

fn version() -> String {
    format!("incidentbook {} format {FORMAT}", env!("CARGO_PKG_VERSION"))
}

/// A post-mortem's fingerprint: changes whenever anything indexed changes.
fn fingerprint(i: &Incident, kb: &KnowledgeBase) -> u64 {
    use std::hash::{Hash, Hasher};
    // xxh3 rather than SipHash: every build hashes the whole book's text here.
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    i.source.hash(&mut h);
    // The whole front matter (`model::Meta`), so a field added to the schema changes
    // the fingerprint without a line here.
    h.write_u64(xxhash_rust::xxh3::xxh3_64(
        &postcard::to_allocvec(&i.meta).unwrap_or_default(),
    ));
    for text in i.body.texts() {
        // Each text hashed at once: through the streaming hasher, most of every text
        // was first copied into its buffer (`str`'s `Hash` leaves a byte there).
        h.write_u64(xxhash_rust::xxh3::xxh3_64(text.as_bytes()));
    }
    // Another file's words: the titles of the factors it names.
    for f in &i.factors {
        analysis::factor_title(kb, &f.id).hash(&mut h);
    }
    h.finish()
}

/// Scored documents, best first.
type Ranked = Vec<(f32, tantivy::DocAddress)>;

pub struct SearchIndex {
    index: Index,
    fields: Fields,
}

/// Filters of a search.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub severity: Option<String>,
    pub service: Option<String>,
    pub team: Option<String>,
    pub factor: Option<String>,
    /// Only post-mortems on or after this date (YYYY-MM-DD).
    pub since: Option<chrono::NaiveDate>,
}

/// One result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub slug: String,
    pub title: String,
    /// Relative to the site root.
    pub url: String,
    pub date: String,
    pub severity: String,
    pub score: f32,
    /// HTML: the best passage, matched words in `<b>`.
    pub snippet: String,
}

impl SearchIndex {
    /// The index as it is, if it is sound and was brought up to date with sources
    /// stamped exactly as `stamps`; `None` when the book must be read to update it.
    pub fn open_if_current(cache_dir: &Path, stamps: &Stamps) -> Option<SearchIndex> {
        let dir = cache_dir.join("search");
        let manifest: Manifest =
            serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).ok()?).ok()?;
        let current = manifest.version == version()
            && manifest.files == index_files(&dir)
            && &manifest.sources == stamps;
        if !current {
            return None;
        }
        let index = Index::open_in_dir(&dir).ok()?;
        index.tokenizers().register(ANALYZER, analyzer());
        Some(SearchIndex {
            index,
            fields: schema().1,
        })
    }

    /// The index of `kb` in memory alone, for when the cache folder cannot hold one:
    /// the static index of the built site is read from it all the same.
    pub fn in_memory(kb: &KnowledgeBase) -> Result<SearchIndex> {
        let in_memory = |e: tantivy::TantivyError| Error::SearchIndex {
            place: "in memory".to_owned(),
            message: e.to_string(),
        };
        let (schema, fields) = schema();
        let index = new_index(schema).create_in_ram().map_err(in_memory)?;
        index.tokenizers().register(ANALYZER, analyzer());
        let mut writer: IndexWriter<IncidentDoc> = index
            .writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)
            .map_err(in_memory)?;
        add_documents(&writer, kb, &fields, |_| true).map_err(in_memory)?;
        writer.commit().map_err(in_memory)?;
        Ok(SearchIndex { index, fields })
    }

    /// Deletes the index in `cache_dir`, if any, so the next [`SearchIndex::open`] makes
    /// it anew.
    pub fn remove(cache_dir: &Path) {
        let _ = std::fs::remove_dir_all(cache_dir.join("search"));
    }

    /// Opens the index in `cache_dir`, bringing it up to date with `kb` (read from sources
    /// stamped as `stamps`); rebuilds it when it cannot be trusted.
    pub fn open(cache_dir: &Path, kb: &KnowledgeBase, stamps: &Stamps) -> Result<SearchIndex> {
        let dir = cache_dir.join("search");
        match Self::update(&dir, kb, stamps) {
            Ok(index) => Ok(index),
            Err(_) => {
                // Whatever went wrong (a half-written cache, another version's files),
                // start again from the book.
                let _ = std::fs::remove_dir_all(&dir);
                Self::update(&dir, kb, stamps)
            }
        }
    }

    fn update(dir: &Path, kb: &KnowledgeBase, stamps: &Stamps) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let manifest_path = dir.join(MANIFEST);
        let old: Option<Manifest> = std::fs::read(&manifest_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|m: &Manifest| m.version == version() && m.files == index_files(dir));
        let index = match &old {
            Some(_) => Index::open_in_dir(dir).map_err(|e| search_error(dir, e))?,
            None => {
                let _ = std::fs::remove_dir_all(dir);
                std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
                new_index(schema)
                    .create_in_dir(dir)
                    .map_err(|e| search_error(dir, e))?
            }
        };
        index.tokenizers().register(ANALYZER, analyzer());
        let old = old.unwrap_or_default();
        let now: BTreeMap<String, u64> = kb
            .book
            .incidents
            .par_iter()
            .map(|i| (i.slug.clone(), fingerprint(i, kb)))
            .collect();
        let changed = now != old.documents;
        if changed {
            let mut writer: IndexWriter<IncidentDoc> = index
                .writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)
                .map_err(|e| search_error(dir, e))?;
            for (slug, hash) in &old.documents {
                if now.get(slug) != Some(hash) {
                    writer.delete_term(Term::from_field_text(fields.slug, slug));
                }
            }
            add_documents(&writer, kb, &fields, |i| {
                old.documents.get(&i.slug) != now.get(&i.slug)
            })
            .map_err(|e| search_error(dir, e))?;
            writer.commit().map_err(|e| search_error(dir, e))?;
            // Let merges finish, so the files recorded below are the ones that stay.
            writer
                .wait_merging_threads()
                .map_err(|e| search_error(dir, e))?;
        }
        if changed || &old.sources != stamps {
            // The manifest is written after the commit, through a rename: a process
            // killed before it leaves the old manifest, and the next run re-indexes.
            let manifest = Manifest {
                version: version(),
                documents: now,
                files: index_files(dir),
                sources: stamps.clone(),
            };
            let tmp = dir.join("manifest.json.tmp");
            std::fs::write(&tmp, serde_json::to_vec(&manifest).expect("serializes"))
                .map_err(|e| Error::io("cannot write", &tmp, e))?;
            std::fs::rename(&tmp, &manifest_path)
                .map_err(|e| Error::io("cannot write", &manifest_path, e))?;
        }
        Ok(SearchIndex { index, fields })
    }

    /// Searches: BM25 over titles (boosted), factors, summaries, the body and metadata;
    /// lenient parsing (stray quotes or operators never fail); phrases in quotes; the
    /// last word also as a prefix (search as you type); when exact matches are few,
    /// words of five letters or more also match terms one edit away, ranked after them.
    /// The static index of the built site ranks the same way (`export`, `search.js`).
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> Result<Vec<Hit>> {
        let f = self.fields;
        let reader = self
            .index
            .reader()
            .map_err(|e| search_error(Path::new("index"), e))?;
        let searcher = reader.searcher();
        let text_fields = f.text();
        let mut parser = QueryParser::for_index(&self.index, text_fields.to_vec());
        for (field, kind) in text_fields.iter().zip(analysis::TextField::ALL) {
            parser.set_field_boost(*field, kind.boost());
        }
        let exact = phrase::parse(
            &parser,
            query,
            f.body,
            analysis::TextField::Body.boost(),
            &analyzer(),
        );
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, exact)];
        if let Some(prefix) = analysis::Prefix::of(query) {
            let terms = self.expansions(&searcher, &prefix.start, |t| prefix.admits(t));
            if !terms.is_empty() {
                clauses.push((Occur::Should, self.any_of(&terms, analysis::PREFIX_WEIGHT)));
            }
        }
        let run = |clauses: Vec<(Occur, Box<dyn Query>)>| -> Result<(Box<dyn Query>, Ranked)> {
            let q = with_filters(Box::new(BooleanQuery::new(clauses)), filters, &f);
            let top = searcher
                .search(&q, &TopDocs::with_limit(limit.max(1)).order_by_score())
                .map_err(|e| search_error(Path::new("index"), e))?;
            Ok((q, top))
        };
        let (q, mut top) = run(clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect())?;
        if top.len() < analysis::FUZZY_BELOW {
            // Typo tolerance only when exact matches are few, and after them, so it
            // never pushes an exact match down.
            let mut fuzzy = clauses;
            for term in typo_terms(query) {
                let Some(shared) = term.get(..analysis::FUZZY_SHARED_PREFIX) else {
                    continue;
                };
                let near =
                    self.expansions(&searcher, shared, |t| analysis::within_one_edit(t, &term));
                if !near.is_empty() {
                    fuzzy.push((Occur::Should, self.any_of(&near, analysis::FUZZY_WEIGHT)));
                }
            }
            let (_, more) = run(fuzzy)?;
            for hit in more {
                if top.len() >= limit {
                    break;
                }
                if !top.iter().any(|(_, a)| *a == hit.1) {
                    top.push(hit);
                }
            }
        }
        let mut snippets = SnippetGenerator::create(&searcher, &*q, f.body)
            .map_err(|e| search_error(Path::new("index"), e))?;
        snippets.set_max_num_chars(180);
        let mut hits = Vec::new();
        for (score, address) in top {
            let d: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| search_error(Path::new("index"), e))?;
            let text = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            if let Some(since) = filters.since
                && chrono::NaiveDate::parse_from_str(&text(f.date), "%Y-%m-%d")
                    .is_ok_and(|d| d < since)
            {
                continue;
            }
            let slug = text(f.slug);
            hits.push(Hit {
                url: crate::urls::incident(&slug),
                slug,
                title: text(f.title),
                date: text(f.date),
                severity: text(f.severity),
                score,
                snippet: {
                    // The body as one text again (`snippet_from_doc` would join its
                    // values with spaces).
                    let body: Vec<&str> = d.get_all(f.body).filter_map(|v| v.as_str()).collect();
                    let html = snippets
                        .snippet(body.join(analysis::BODY_SEPARATOR).trim())
                        .to_html();
                    if html.is_empty() {
                        // A typo match has no exact words to highlight: show the start.
                        let start: String = text(f.summary).chars().take(180).collect();
                        crate::text::escape_html(&start).into_owned()
                    } else {
                        html
                    }
                },
            });
        }
        Ok(hits)
    }

    /// The index terms from `start` on that `keep` accepts (the scan stops at the first
    /// term not starting with `start`), at most [`analysis::MAX_EXPANSIONS`] of them: those
    /// in the most post-mortems of any one field, then in alphabetical order.
    fn expansions(
        &self,
        searcher: &tantivy::Searcher,
        start: &str,
        keep: impl Fn(&str) -> bool,
    ) -> Vec<String> {
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for field in self.fields.text() {
            for segment in searcher.segment_readers() {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().range().ge(start).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if !term.starts_with(start) {
                        break;
                    }
                    if keep(term) {
                        let df = searcher
                            .doc_freq(&Term::from_field_text(field, term))
                            .unwrap_or(0);
                        let best = found.entry(term.to_owned()).or_default();
                        *best = (*best).max(df);
                    }
                }
            }
        }
        analysis::pick_expansions(found.into_iter().collect())
    }

    /// Matches any of `terms`, scoring a post-mortem by its best one (each scored as a
    /// query word is, over every text field), times `weight`.
    fn any_of(&self, terms: &[String], weight: f32) -> Box<dyn Query> {
        let disjuncts: Vec<Box<dyn Query>> = terms
            .iter()
            .map(|term| {
                let per_field: Vec<(Occur, Box<dyn Query>)> = self
                    .fields
                    .text()
                    .into_iter()
                    .zip(analysis::TextField::ALL)
                    .map(|(field, kind)| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(field, term),
                            IndexRecordOption::WithFreqs,
                        ));
                        (
                            Occur::Should,
                            Box::new(BoostQuery::new(q, kind.boost())) as _,
                        )
                    })
                    .collect();
                Box::new(BooleanQuery::new(per_field)) as Box<dyn Query>
            })
            .collect();
        Box::new(BoostQuery::new(
            Box::new(DisjunctionMaxQuery::new(disjuncts)),
            weight,
        ))
    }
}

/// The terms of `query` that may be misspelt: those typed with at least
/// [`analysis::FUZZY_MIN_LEN`] letters or digits.
fn typo_terms(query: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(query);
    stream.process(&mut |t| {
        let typed = query[t.offset_from..t.offset_to].chars().count();
        if typed >= analysis::FUZZY_MIN_LEN {
            out.push(t.text.clone());
        }
    });
    out
}

fn with_filters(q: Box<dyn Query>, filters: &Filters, f: &Fields) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, q)];
    for (field, value) in [
        (f.severity, &filters.severity),
        (f.service, &filters.service),
        (f.team, &filters.team),
        (f.factor_id, &filters.factor),
    ] {
        if let Some(v) = value {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, v),
                    IndexRecordOption::Basic,
                )),
            ));
        }
    }
    if clauses.len() == 1 {
        clauses.pop().expect("one clause").1
    } else {
        Box::new(BooleanQuery::new(clauses))
    }
}

/// Adds the post-mortems of `kb` that `wanted` picks to the index being written.
fn add_documents(
    writer: &IndexWriter<IncidentDoc>,
    kb: &KnowledgeBase,
    fields: &Fields,
    wanted: impl Fn(&Incident) -> bool,
) -> tantivy::Result<()> {
    for incident in kb.book.incidents.iter().filter(|i| wanted(i)) {
        writer.add_document(document(incident, kb, fields))?;
    }
    Ok(())
}

/// A post-mortem as the index writer takes it: each field with its values. The writer
/// queues documents for its thread faster than that thread indexes them, so a whole
/// book can be queued at once: the body's values are the book's own section texts,
/// shared, not a copy of them (nor a copy of that in a `TantivyDocument`).
pub struct IncidentDoc {
    values: Vec<(Field, FieldText)>,
}

type FieldValues<'a> = std::iter::Map<
    std::slice::Iter<'a, (Field, FieldText)>,
    fn(&(Field, FieldText)) -> (Field, &str),
>;

impl tantivy::Document for IncidentDoc {
    type Value<'a> = &'a str;
    type FieldsValuesIter<'a> = FieldValues<'a>;

    fn iter_fields_and_values(&self) -> FieldValues<'_> {
        self.values
            .iter()
            .map(|(field, text)| (*field, text.as_str()))
    }
}

fn document(i: &Incident, kb: &KnowledgeBase, f: &Fields) -> IncidentDoc {
    let made = |field: Field, text: String| (field, FieldText::Made(text));
    let mut values = vec![
        made(f.slug, i.slug.clone()),
        made(f.date, i.date.map(|d| d.to_string()).unwrap_or_default()),
        made(f.severity, i.severity.clone().unwrap_or_default()),
    ];
    for (field, texts) in f.text().into_iter().zip(analysis::field_texts(i, kb)) {
        values.extend(texts.into_iter().map(|t| (field, t)));
    }
    let keywords = [(f.service, &i.services), (f.team, &i.teams)];
    for (field, words) in keywords {
        values.extend(words.iter().map(|w| made(field, w.clone())));
    }
    values.extend(i.factors.iter().map(|x| made(f.factor_id, x.id.clone())));
    IncidentDoc { values }
}

fn search_error(dir: &Path, e: impl std::fmt::Display) -> Error {
    Error::SearchIndex {
        place: format!("in {}", dir.display()),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::fingerprint;
    use crate::link::KnowledgeBase;
    use crate::model::{Book, Meta};
    use crate::parse::{ParseOptions, parse_incident};

    /// For every key of the schema, two values: a post-mortem that changes one for the
    /// other must be seen as changed by serve (its outline) and by the search index (its
    /// fingerprint). A key added to `model::Meta` fails this test until it has a row.
    const ROWS: &[(&str, &str, &str)] = &[
        ("title", "A", "B"),
        ("slug", "a", "b"),
        ("date", "2024-03-12", "2024-03-13"),
        ("severity", "SEV1", "SEV2"),
        ("status", "draft", "final"),
        ("summary", "one", "two"),
        ("services", "[api]", "[db]"),
        ("teams", "[sre]", "[data]"),
        ("authors", "[a]", "[b]"),
        ("tags", "[x]", "[y]"),
        ("started", "2024-03-12T10:00:00Z", "2024-03-12T10:05:00Z"),
        ("detected", "2024-03-12T10:00:00Z", "2024-03-12T10:05:00Z"),
        ("mitigated", "2024-03-12T10:00:00Z", "2024-03-12T10:05:00Z"),
        ("resolved", "2024-03-12T10:00:00Z", "2024-03-12T10:05:00Z"),
        ("contributing_factors", "[slow-disk]", "[full-disk]"),
        (
            "action_items",
            "[{id: AI-1, title: Add an alert}]",
            "[{id: AI-1, title: Add a check}]",
        ),
        ("timezone", "UTC", "+02:00"),
        ("imported", "2026-01-01", "2026-01-02"),
        ("visibility", "internal", "public"),
    ];

    #[test]
    fn every_field_of_the_schema_is_seen_by_serve_and_the_search_index() {
        let keys: std::collections::BTreeSet<&str> =
            Meta::keys().iter().map(String::as_str).collect();
        let rows: std::collections::BTreeSet<&str> = ROWS.iter().map(|r| r.0).collect();
        assert_eq!(keys, rows, "each key of model::Meta needs a row here");
        let parse = |key: &str, value: &str| {
            let text = format!("---\n{key}: {value}\n---\n## Timeline\n\nText.\n");
            let (incident, diagnostics) = parse_incident(
                &text,
                Path::new("content/x.md"),
                Path::new("x.md"),
                &ParseOptions::default(),
            );
            assert!(diagnostics.is_empty(), "{key}: {value}: {diagnostics:?}");
            incident.expect("parses")
        };
        for (key, a, b) in ROWS {
            let (a, b) = (parse(key, a), parse(key, b));
            assert!(
                !a.same_outline(&b),
                "serve would not see a change of `{key}`"
            );
            let book = Book {
                incidents: vec![Arc::new(a.clone()), Arc::new(b.clone())],
                ..Book::default()
            };
            let kb = KnowledgeBase::new(&book, chrono::NaiveDate::default());
            assert_ne!(
                fingerprint(&a, &kb),
                fingerprint(&b, &kb),
                "the search index would not see a change of `{key}`"
            );
        }
    }
}
