//! Full-text search with tantivy: the index lives in the book's cache folder
//! (`.incidentbook/search/`), is brought up to date from the book before every query
//! (only changed post-mortems are re-indexed), and is rebuilt from scratch whenever its
//! manifest is missing, unreadable or from another version of incidentbook, so a cache
//! left half-written by a killed process is never trusted.
//!
//! One analyzer (`ib_en`: simple tokenizer, lower-casing, English stop words and
//! stemming) defines the terms of every text field.

use std::collections::{BTreeMap, HashSet};
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
mod did_you_mean;
pub mod export;
pub mod highlight;
mod phrase;
pub mod query;

use crate::error::{Error, Result};
use crate::link::KnowledgeBase;
use crate::model::Incident;
use crate::source::stamp;

use analysis::FieldText;
pub use analysis::{ANALYZER, Synonyms, analyzer};

/// Bumped whenever the schema, the analysis or what is indexed changes (7: the body's
/// positions), so old caches are rebuilt.
const FORMAT: u32 = 7;
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
    status: Field,
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
    // The body's positions answer its phrases (`phrase`) and give the site's search
    // the places of every word, so it checks phrases too (`export`).
    let body = stored_text.clone();
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
        status: b.add_text_field("status", STRING),
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
    /// The book's synonyms, applied to queries (the index holds the words as written).
    synonyms: Synonyms,
}

/// Filters of a search: the command's options and the API's parameters, to which the
/// filters typed in the query are added (`query::parse`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Filters {
    pub severity: Option<String>,
    pub service: Option<String>,
    pub team: Option<String>,
    pub factor: Option<String>,
    pub status: Option<String>,
    /// Only post-mortems on or after this day.
    pub after: Option<chrono::NaiveDate>,
    /// Only post-mortems before this day.
    pub before: Option<chrono::NaiveDate>,
}

impl Filters {
    /// These filters with those of `typed` in place of theirs.
    pub fn then(self, typed: Filters) -> Filters {
        Filters {
            severity: typed.severity.or(self.severity),
            service: typed.service.or(self.service),
            team: typed.team.or(self.team),
            factor: typed.factor.or(self.factor),
            status: typed.status.or(self.status),
            after: typed.after.or(self.after),
            before: typed.before.or(self.before),
        }
    }
}

/// The answer to a query: its results, and, when a word of it is not in the archive,
/// the query as the archive spells it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Answer {
    pub hits: Vec<Hit>,
    pub did_you_mean: Option<String>,
}

/// One result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub slug: String,
    pub title: String,
    /// HTML: the title, escaped, its matched words in `<mark>`.
    pub title_html: String,
    /// Relative to the site root.
    pub url: String,
    pub date: String,
    pub severity: String,
    pub score: f32,
    /// This post-mortem has only some of the words of the query (they come after
    /// those with all of them, when those are few).
    pub partial: bool,
    /// HTML: the passage of the body around its best match, escaped, matched words in
    /// `<mark>`.
    pub snippet: String,
}

impl SearchIndex {
    /// The index as it is, if it is sound, with the stamps of the sources it was last
    /// brought up to date with: it is current while the book's sources are stamped the
    /// same. (`search` compares them itself, so that it can query the index while the
    /// book's folder is walked for its stamps.) `None` when the book must be read to
    /// update it.
    pub fn open_cached(cache_dir: &Path, synonyms: Synonyms) -> Option<(SearchIndex, Stamps)> {
        let dir = cache_dir.join("search");
        let manifest: Manifest =
            serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).ok()?).ok()?;
        if manifest.version != version() || manifest.files != index_files(&dir) {
            return None;
        }
        let index = Index::open_in_dir(&dir).ok()?;
        index.tokenizers().register(ANALYZER, analyzer());
        let index = SearchIndex {
            index,
            fields: schema().1,
            synonyms,
        };
        Some((index, manifest.sources))
    }

    /// The index of `kb` in memory alone, for when the cache folder cannot hold one:
    /// the static index of the built site is read from it all the same.
    pub fn in_memory(kb: &KnowledgeBase, synonyms: Synonyms) -> Result<SearchIndex> {
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
        Ok(SearchIndex {
            index,
            fields,
            synonyms,
        })
    }

    /// The synonyms its queries apply.
    pub fn synonyms(&self) -> &Synonyms {
        &self.synonyms
    }

    /// Deletes the index in `cache_dir`, if any, so the next [`SearchIndex::open`] makes
    /// it anew.
    pub fn remove(cache_dir: &Path) {
        let _ = std::fs::remove_dir_all(cache_dir.join("search"));
    }

    /// Opens the index in `cache_dir`, bringing it up to date with `kb` (read from sources
    /// stamped as `stamps`); rebuilds it when it cannot be trusted.
    pub fn open(
        cache_dir: &Path,
        kb: &KnowledgeBase,
        stamps: &Stamps,
        synonyms: Synonyms,
    ) -> Result<SearchIndex> {
        let dir = cache_dir.join("search");
        let index = match Self::update(&dir, kb, stamps) {
            Ok(index) => index,
            Err(_) => {
                // Whatever went wrong (a half-written cache, another version's files),
                // start again from the book.
                let _ = std::fs::remove_dir_all(&dir);
                Self::update(&dir, kb, stamps)?
            }
        };
        Ok(SearchIndex {
            index,
            fields: schema().1,
            synonyms,
        })
    }

    fn update(dir: &Path, kb: &KnowledgeBase, stamps: &Stamps) -> Result<Index> {
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
        Ok(index)
    }

    /// Searches: BM25 over titles (boosted), factors, summaries, the body and metadata;
    /// lenient parsing (stray quotes or operators never fail); phrases in quotes; field
    /// filters in the text (`query::parse`); every word required, the last one also as
    /// a prefix (search as you type); when exact matches are few, words of five letters
    /// or more also match terms one edit away, ranked after them; when no post-mortem
    /// has every word, or few do, those with some of them after them, marked
    /// [`Hit::partial`].
    /// The static index of the built site ranks the same way (`export`, `search.js`).
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> Result<Vec<Hit>> {
        Ok(self.answer(query, filters, limit)?.hits)
    }

    /// [`SearchIndex::search`], with the query as the archive spells it when a word
    /// of it is not in the archive and was taken for a typo of one that is.
    pub fn answer(&self, query: &str, filters: &Filters, limit: usize) -> Result<Answer> {
        let typed = query::parse(query).map_err(|e| Error::Usage(e.to_string()))?;
        let filters = filters.clone().then(typed.filters);
        let text = typed.text.as_str();
        let f = self.fields;
        let reader = self
            .index
            .reader()
            .map_err(|e| search_error(Path::new("index"), e))?;
        let searcher = reader.searcher();
        let text_fields = f.text();
        let mut parser = QueryParser::for_index(&self.index, text_fields.to_vec());
        let mut elsewhere = QueryParser::for_index(
            &self.index,
            text_fields
                .iter()
                .copied()
                .filter(|&t| t != f.body)
                .collect(),
        );
        for (field, kind) in text_fields.iter().zip(analysis::TextField::ALL) {
            parser.set_field_boost(*field, kind.boost());
            elsewhere.set_field_boost(*field, kind.boost());
        }
        let clauses = phrase::clauses(
            &parser,
            &elsewhere,
            text,
            f.body,
            analysis::TextField::Body.boost(),
            &analyzer(),
        );
        let prefix = analysis::Prefix::of(text)
            .map(|p| self.expansions(&searcher, &p.start, |t| p.admits(t)))
            .filter(|terms| !terms.is_empty())
            .map(|terms| self.any_of(&terms, analysis::PREFIX_WEIGHT));
        let filter = self.filter(&searcher, &filters);
        let browsing = text.trim().is_empty();
        // A word of a synonym group also matches the group's other words.
        let synonyms: Vec<Option<Box<dyn Query>>> = clauses
            .iter()
            .map(|c| {
                let [term] = &analysis::terms(&mut analyzer(), c.word.as_deref()?)[..] else {
                    return None;
                };
                let others = self.synonyms.of_term(term);
                (!others.is_empty()).then(|| self.any_of(&others, analysis::SYNONYM_WEIGHT))
            })
            .collect();
        type Near = [Option<Box<dyn Query>>];
        let run = |required: bool, typos: Option<&Near>| -> Result<(Box<dyn Query>, Ranked)> {
            let words = words(&clauses, &prefix, &synonyms, typos, required);
            let q = match (words, &filter) {
                (Some(words), None) => words,
                (Some(words), Some(filter)) => Box::new(BooleanQuery::new(vec![
                    (Occur::Must, words),
                    (Occur::Must, filter.box_clone()),
                ])),
                (None, Some(filter)) => filter.box_clone(),
                (None, None) => Box::new(tantivy::query::EmptyQuery),
            };
            // Browsing by filters alone: every match, newest first, as the site does.
            let wanted = if browsing {
                searcher.num_docs() as usize
            } else {
                limit
            };
            let top = searcher
                .search(&q, &TopDocs::with_limit(wanted.max(1)).order_by_score())
                .map_err(|e| search_error(Path::new("index"), e))?;
            Ok((q, top))
        };
        let (mut q, mut top) = run(true, None)?;
        // Hits from this one on have only some of the words.
        let mut partial_from = usize::MAX;
        // Words taken for typos, each with its closest spelling's term.
        let mut closest: Vec<(String, String)> = Vec::new();
        if !browsing && top.len() < analysis::FUZZY_BELOW {
            // Typo tolerance only when exact matches are few, and after them, so it
            // never pushes an exact match down.
            let near: Vec<Option<Box<dyn Query>>> = clauses
                .iter()
                .map(|c| {
                    let [(term, letters)] = &typo_terms(c.word.as_deref()?)[..] else {
                        return None;
                    };
                    // A word of the archive is not a typo.
                    let known = f.text().into_iter().any(|field| {
                        searcher
                            .doc_freq(&Term::from_field_text(field, term))
                            .is_ok_and(|n| n > 0)
                    });
                    if known {
                        return None;
                    }
                    let shared = term.get(..analysis::FUZZY_SHARED_PREFIX)?;
                    // The closest spellings only: two edits when none is one away.
                    let mut near = Vec::new();
                    for edits in 1..=analysis::typo_edits(*letters) {
                        near = self.expansions(&searcher, shared, |t| {
                            analysis::within_edits(t, term, edits)
                        });
                        if !near.is_empty() {
                            break;
                        }
                    }
                    if let (Some(first), Some(word)) = (near.first(), &c.word)
                        && c.occur != Some(Occur::MustNot)
                    {
                        closest.push((word.clone(), first.clone()));
                    }
                    (!near.is_empty()).then(|| self.any_of(&near, analysis::FUZZY_WEIGHT))
                })
                .collect();
            let (with_typos, more) = run(true, Some(&near))?;
            q = with_typos;
            append(&mut top, more, limit);
            let optional = clauses
                .iter()
                .filter(|c| c.occur.is_none() && c.query.is_some())
                .count();
            if top.len() < analysis::FUZZY_BELOW && optional > 1 {
                // Few post-mortems have every word: then those that have some, said so.
                let (some, more) = run(false, Some(&near))?;
                q = some;
                partial_from = top.len();
                append(&mut top, more, limit);
            }
        }
        let mut snippets = SnippetGenerator::create(&searcher, &*q, f.body)
            .map_err(|e| search_error(Path::new("index"), e))?;
        snippets.set_max_num_chars(highlight::PASSAGE_CHARS);
        // What to mark: every term the words searched, in any text field.
        let mut marked: HashSet<String> = HashSet::new();
        q.query_terms(&mut |term, _| {
            if text_fields.contains(&term.field())
                && let Some(t) = term.value().as_str()
            {
                marked.insert(t.to_owned());
            }
        });
        let mut hits = Vec::new();
        // The titles and record texts of the first results, where a suggested term's
        // spelling is looked for.
        let mut texts: Vec<String> = Vec::new();
        for (k, (score, address)) in top.into_iter().enumerate() {
            let d: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| search_error(Path::new("index"), e))?;
            let text = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let slug = text(f.slug);
            let title = text(f.title);
            if !closest.is_empty() && k < did_you_mean::FROM_RESULTS {
                texts.push(title.clone());
                texts.push(export::record_text(
                    &text(f.summary),
                    d.get_all(f.body).filter_map(|v| v.as_str()),
                ));
            }
            hits.push(Hit {
                url: crate::urls::incident(&slug),
                slug,
                title_html: highlight::mark(&title, &marked),
                title,
                date: text(f.date),
                severity: text(f.severity),
                score,
                partial: k >= partial_from,
                snippet: {
                    // The body as one text again (`snippet_from_doc` would join its
                    // values with spaces).
                    let body: Vec<&str> = d.get_all(f.body).filter_map(|v| v.as_str()).collect();
                    let body = body.join(analysis::BODY_SEPARATOR);
                    let body = body.trim();
                    // tantivy finds the best passage; it is shown from a little
                    // before its first match, so the match is read in its sentence.
                    let best = snippets.snippet(body);
                    match best.highlighted().first() {
                        Some(first) => highlight::passage(
                            body,
                            best.fragment_range().start + first.start,
                            &marked,
                        ),
                        // The words matched elsewhere (the title, the factors): the
                        // summary's start.
                        None => highlight::passage(&text(f.summary), 0, &marked),
                    }
                },
            });
        }
        if browsing {
            hits.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
            hits.truncate(limit);
        }
        let spelt: Vec<(String, String)> = closest
            .into_iter()
            .filter_map(|(typed, term)| Some((typed, did_you_mean::spelling(&term, &texts)?)))
            .collect();
        Ok(Answer {
            hits,
            did_you_mean: did_you_mean::rewrite(query, &spelt),
        })
    }

    /// The filters as one query (each of its clauses scoring nothing, so a filter
    /// never changes the order), or `None` without filters. A value is matched in any
    /// case (`severity:sev1`).
    fn filter(&self, searcher: &tantivy::Searcher, filters: &Filters) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, value) in [
            (f.severity, &filters.severity),
            (f.service, &filters.service),
            (f.team, &filters.team),
            (f.factor_id, &filters.factor),
            (f.status, &filters.status),
        ] {
            if let Some(v) = value {
                let v = self.spelt_as_indexed(searcher, field, v);
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &v),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        if filters.after.is_some() || filters.before.is_some() {
            let day = |d: chrono::NaiveDate| Term::from_field_text(f.date, &d.to_string());
            // Post-mortems without a date ("") are outside every period.
            let lower = filters.after.map_or(
                std::ops::Bound::Included(Term::from_field_text(f.date, "0")),
                |d| std::ops::Bound::Included(day(d)),
            );
            let upper = filters.before.map_or(std::ops::Bound::Unbounded, |d| {
                std::ops::Bound::Excluded(day(d))
            });
            clauses.push((
                Occur::Must,
                Box::new(tantivy::query::RangeQuery::new(lower, upper)),
            ));
        }
        (!clauses.is_empty())
            .then(|| Box::new(BoostQuery::new(Box::new(BooleanQuery::new(clauses)), 0.0)) as _)
    }

    /// `value` as the index spells it in `field`: itself if indexed, else the first
    /// indexed value equal to it in any case.
    fn spelt_as_indexed(&self, searcher: &tantivy::Searcher, field: Field, value: &str) -> String {
        if searcher
            .doc_freq(&Term::from_field_text(field, value))
            .is_ok_and(|n| n > 0)
        {
            return value.to_owned();
        }
        let lower = value.to_lowercase();
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key())
                    && term.to_lowercase() == lower
                {
                    return term.to_owned();
                }
            }
        }
        value.to_owned()
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

/// The terms of `query` that may be misspelt, each with the number of letters or
/// digits it was typed with: those typed with at least [`analysis::FUZZY_MIN_LEN`].
fn typo_terms(query: &str) -> Vec<(String, usize)> {
    let mut analyzer = analyzer();
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(query);
    stream.process(&mut |t| {
        let typed = query[t.offset_from..t.offset_to].chars().count();
        if typed >= analysis::FUZZY_MIN_LEN {
            out.push((t.text.clone(), typed));
        }
    });
    out
}

/// The query of the words: each clause with its alternatives (the last word's prefix
/// expansions, its synonyms, its typo expansions when `typos` are given), each required when
/// `required` and written without `+` or `-`, else optional. `None` when no clause
/// yields anything.
fn words(
    clauses: &[phrase::Clause],
    prefix: &Option<Box<dyn Query>>,
    synonyms: &[Option<Box<dyn Query>>],
    typos: Option<&[Option<Box<dyn Query>>]>,
    required: bool,
) -> Option<Box<dyn Query>> {
    let default = if required { Occur::Must } else { Occur::Should };
    let last = clauses.len().checked_sub(1);
    let mut groups: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (k, clause) in clauses.iter().enumerate() {
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        alternatives.extend(clause.query.as_ref().map(|q| q.box_clone()));
        if alternatives.is_empty() {
            continue;
        }
        if Some(k) == last {
            alternatives.extend(prefix.as_ref().map(|q| q.box_clone()));
        }
        alternatives.extend(synonyms[k].as_ref().map(|q| q.box_clone()));
        if let Some(typo) = typos.and_then(|t| t[k].as_ref()) {
            alternatives.push(typo.box_clone());
        }
        groups.push((clause.occur.unwrap_or(default), one_of(alternatives)));
    }
    // The prefix of a last word that yields nothing by itself ("wha") stands alone.
    let last_yields = clauses.last().is_some_and(|c| c.query.is_some());
    if !last_yields && let Some(p) = prefix {
        groups.push((default, p.box_clone()));
    }
    if groups.is_empty() {
        return None;
    }
    if groups.iter().all(|(o, _)| *o == Occur::MustNot) {
        // As tantivy does with a query that only excludes: exclude from everything.
        groups.push((Occur::Should, Box::new(tantivy::query::AllQuery)));
    }
    Some(Box::new(BooleanQuery::new(groups)))
}

/// A query matching any of `alternatives`, scoring the sum of those that match.
fn one_of(mut alternatives: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if alternatives.len() == 1 {
        return alternatives.pop().expect("one alternative");
    }
    Box::new(BooleanQuery::new(
        alternatives
            .into_iter()
            .map(|q| (Occur::Should, q))
            .collect(),
    ))
}

/// Appends the hits of `more` not in `top` yet, until `top` holds `limit`.
fn append(top: &mut Ranked, more: Ranked, limit: usize) {
    for hit in more {
        if top.len() >= limit {
            break;
        }
        if !top.iter().any(|(_, a)| *a == hit.1) {
            top.push(hit);
        }
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
    values.extend(i.status.iter().map(|x| made(f.status, x.clone())));
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
