//! The persistent build cache (`.incidentbook/build/`): what a `build` takes from the
//! previous one instead of doing it again. Nothing stale can be used:
//!
//! - **parses** ([`StoredParses`]): each post-mortem's parse, keyed by a 128-bit hash of
//!   its bytes, valid for one binary and one set of parse options;
//! - **outputs** ([`PreviousOutputs`]): for each file of the previous build, the key it
//!   was made from (a page's fingerprint, or a group key for the search index) and the
//!   size and modification time it had once written. A file whose key is unchanged and
//!   which still stands as written is hard-linked into the new build rather than made
//!   again; the keys are only valid for one binary, configuration, theme and build
//!   folder, so any of those changing empties this part.
//!
//! The cache is an optimisation only: a missing, unreadable, damaged or mismatched file
//! is ignored (and rewritten), never an error, and `build --no-cache` bypasses it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::Incident;
use crate::output::Contents;
use crate::render::PageMemo;
use crate::source::stamp;

/// The cache's folder inside the book's cache folder.
const DIR: &str = "build";
const PARSES: &str = "parses.bin";
const OUTPUTS: &str = "outputs.bin";

/// A 128-bit content hash: collisions are not a practical concern, unlike the 64-bit
/// fingerprints of pages, whose keys also include the whole page's data.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// What every entry of the cache depends on besides its own key: this program (its
/// version, and the executable's size and modification time, so a rebuilt binary with
/// changed behaviour never reads an older binary's cache) and `extra`.
pub fn binary_key(extra: &[u8]) -> u128 {
    let exe = std::env::current_exe().ok().and_then(|p| stamp(&p));
    let mut text = format!("{} {exe:?} ", env!("CARGO_PKG_VERSION")).into_bytes();
    text.extend_from_slice(extra);
    content_hash(&text)
}

fn folder(cache_dir: &Path) -> PathBuf {
    cache_dir.join(DIR)
}

/// Writes `bytes` to `path` through a temporary file, so that an interrupted build
/// leaves the old cache file or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        // A full disk leaves no half-written file behind.
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// The parses of the previous build, by path relative to the content folder.
#[derive(Default)]
pub struct StoredParses {
    key: u128,
    blobs: Vec<u8>,
    index: HashMap<PathBuf, (u128, std::ops::Range<usize>, u64)>,
    /// What this build parsed or reused, to be written back.
    fresh: Mutex<Vec<(PathBuf, u128, Blob)>>,
}

/// A serialized parse: one of the stored ones (a range of `blobs`), or a new one.
enum Blob {
    Stored(std::ops::Range<usize>),
    New(Vec<u8>),
}

/// The header of `parses.bin`; the blobs follow it, in order.
#[derive(Serialize, Deserialize)]
struct ParsesHeader {
    key: u128,
    /// Per file: its path, the hash of its source, its blob's length and the blob's
    /// checksum. The store may come from a shared CI cache: a blob whose bytes changed
    /// is parsed again rather than published.
    entries: Vec<(PathBuf, u128, u64, u64)>,
}

impl StoredParses {
    /// Opens the stored parses if they were made under `key`; else an empty store
    /// under `key`.
    pub fn open(cache_dir: &Path, key: u128) -> StoredParses {
        let empty = StoredParses {
            key,
            ..StoredParses::default()
        };
        let Ok(file) = std::fs::read(folder(cache_dir).join(PARSES)) else {
            return empty;
        };
        let Ok((header, blobs)) = postcard::take_from_bytes::<ParsesHeader>(&file) else {
            return empty;
        };
        if header.key != key {
            return empty;
        }
        let offset = file.len() - blobs.len();
        let mut index = HashMap::with_capacity(header.entries.len());
        let mut at = offset;
        for (path, hash, len, checksum) in header.entries {
            let end = at.saturating_add(len as usize);
            if end > file.len() {
                return empty;
            }
            index.insert(path, (hash, at..end, checksum));
            at = end;
        }
        StoredParses {
            key,
            blobs: file,
            index,
            fresh: Mutex::default(),
        }
    }

    /// The stored parse of `rel` if its bytes hashed to `hash` then too.
    pub fn get(&self, rel: &Path, hash: u128) -> Option<Incident> {
        let (stored, range, checksum) = self.index.get(rel)?;
        if *stored != hash || xxhash_rust::xxh3::xxh3_64(&self.blobs[range.clone()]) != *checksum {
            return None;
        }
        let incident = postcard::from_bytes(&self.blobs[range.clone()]).ok()?;
        self.keep(rel, hash, Blob::Stored(range.clone()));
        Some(incident)
    }

    /// Records the parse of `rel` made by this build, to be stored.
    pub fn put(&self, rel: &Path, hash: u128, incident: &Incident) {
        if let Ok(blob) = postcard::to_allocvec(incident) {
            self.keep(rel, hash, Blob::New(blob));
        }
    }

    fn keep(&self, rel: &Path, hash: u128, blob: Blob) {
        self.fresh
            .lock()
            .expect("no panics while holding the lock")
            .push((rel.to_path_buf(), hash, blob));
    }

    /// Writes what this build parsed or reused (and only that: removed files leave).
    /// When that is every stored parse and nothing else, the file would be written
    /// again byte for byte (hundreds of megabytes for a large book): it is left as is.
    pub fn save(self, cache_dir: &Path) -> std::io::Result<()> {
        let mut fresh = self.fresh.into_inner().unwrap_or_default();
        fresh.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let unchanged = fresh.len() == self.index.len()
            && fresh
                .iter()
                .all(|(_, _, blob)| matches!(blob, Blob::Stored(_)))
            && fresh.windows(2).all(|w| w[0].0 != w[1].0);
        if unchanged {
            return Ok(());
        }
        let bytes = |blob| blob_bytes(&self.blobs, blob);
        let header = ParsesHeader {
            key: self.key,
            entries: fresh
                .iter()
                .map(|(p, h, b)| {
                    let blob = bytes(b);
                    (
                        p.clone(),
                        *h,
                        blob.len() as u64,
                        xxhash_rust::xxh3::xxh3_64(blob),
                    )
                })
                .collect(),
        };
        let header = postcard::to_allocvec(&header).map_err(std::io::Error::other)?;
        let path = folder(cache_dir).join(PARSES);
        std::fs::create_dir_all(folder(cache_dir))?;
        // Written piece by piece: the store can be hundreds of megabytes.
        let tmp = path.with_extension("tmp");
        let write = || -> std::io::Result<()> {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            std::io::Write::write_all(&mut out, &header)?;
            for (_, _, blob) in &fresh {
                std::io::Write::write_all(&mut out, bytes(blob))?;
            }
            out.into_inner().map_err(|e| e.into_error())?;
            std::fs::rename(&tmp, &path)
        };
        let written = write();
        if written.is_err() {
            // A full disk leaves no half-written store behind.
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }
}

fn blob_bytes<'a>(stored: &'a [u8], blob: &'a Blob) -> &'a [u8] {
    match blob {
        Blob::Stored(range) => &stored[range.clone()],
        Blob::New(bytes) => bytes,
    }
}

/// A recorded output file: its key, and its size and modification time once written.
type Recorded = (u64, (u64, u128));

#[derive(Serialize, Deserialize, Default)]
struct OutputsFile {
    key: u128,
    files: HashMap<String, Recorded>,
}

/// The files of the previous build that can be reused, and the keys of this build's.
pub struct PreviousOutputs {
    key: u128,
    dest: PathBuf,
    previous: HashMap<String, Recorded>,
    made: Mutex<Vec<(String, u64)>>,
}

impl PreviousOutputs {
    /// The outputs recorded for `dest` under `key` (binary, configuration, theme and
    /// destination); none when `key` differs.
    pub fn open(cache_dir: &Path, key: u128, dest: &Path) -> PreviousOutputs {
        let previous = std::fs::read(folder(cache_dir).join(OUTPUTS))
            .ok()
            .and_then(|bytes| postcard::from_bytes::<OutputsFile>(&bytes).ok())
            .filter(|f| f.key == key)
            .map(|f| f.files)
            .unwrap_or_default();
        PreviousOutputs {
            key,
            dest: dest.to_path_buf(),
            previous,
            made: Mutex::default(),
        }
    }

    /// The previous build's file at `path` if it was made under `key` and is still as
    /// it was written; records `key` for `path` either way (the caller makes the file
    /// when this returns `None`).
    pub fn reuse(&self, path: &str, key: u64) -> Option<PathBuf> {
        self.record(path, key);
        self.intact(path, key)
    }

    /// As [`PreviousOutputs::reuse`] for a group of files made together (the search
    /// index): all of the previous group's files, if every one of them is intact.
    pub fn reuse_group(&self, prefix: &str, key: u64) -> Option<Vec<(String, PathBuf)>> {
        let group: Vec<&String> = self
            .previous
            .keys()
            .filter(|p| p.starts_with(prefix))
            .collect();
        if group.is_empty() {
            return None;
        }
        let mut files = Vec::with_capacity(group.len());
        for path in group {
            files.push((path.clone(), self.intact(path, key)?));
        }
        for (path, _) in &files {
            self.record(path, key);
        }
        Some(files)
    }

    pub fn record(&self, path: &str, key: u64) {
        self.made
            .lock()
            .expect("no panics while holding the lock")
            .push((path.to_owned(), key));
    }

    fn intact(&self, path: &str, key: u64) -> Option<PathBuf> {
        let (k, written) = self.previous.get(path)?;
        let file = self.dest.join(path);
        (*k == key && stamp(&file) == Some(*written)).then_some(file)
    }

    /// Records the files of the build now in `dest`, with their sizes and
    /// modification times, for the next build.
    pub fn save(self, cache_dir: &Path) -> std::io::Result<()> {
        let made = self.made.into_inner().unwrap_or_default();
        let files = made
            .into_par_iter()
            .filter_map(|(path, key)| {
                let written = stamp(&self.dest.join(&path))?;
                Some((path, (key, written)))
            })
            .collect();
        let bytes = postcard::to_allocvec(&OutputsFile {
            key: self.key,
            files,
        })
        .map_err(std::io::Error::other)?;
        write_atomically(&folder(cache_dir).join(OUTPUTS), &bytes)
    }
}

/// The previous build as a memo of pages: a page whose fingerprint is unchanged is
/// hard-linked from it.
impl PageMemo for PreviousOutputs {
    fn recall(&self, url: &str, key: u64) -> Option<Contents> {
        self.reuse(url, key).map(Contents::Link)
    }

    fn remember(&self, _url: &str, _key: u64, page: Vec<u8>) -> Contents {
        // `recall` recorded the key already; the page is written by the build.
        Contents::Bytes(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_or_foreign_parse_store_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(folder(dir.path())).unwrap();
        std::fs::write(folder(dir.path()).join(PARSES), b"\xff\xff garbage").unwrap();
        assert!(StoredParses::open(dir.path(), 1).index.is_empty());

        let store = StoredParses::open(dir.path(), 7);
        store.keep(Path::new("a.md"), 42, Blob::New(vec![1, 2, 3]));
        store.save(dir.path()).unwrap();
        assert_eq!(StoredParses::open(dir.path(), 7).index.len(), 1);
        assert!(StoredParses::open(dir.path(), 8).index.is_empty());
        // Truncated: the header promises more bytes than the file holds.
        let path = folder(dir.path()).join(PARSES);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(StoredParses::open(dir.path(), 7).index.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_store_is_written_again_only_when_its_parses_change() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = folder(dir.path()).join(PARSES);
        let store = StoredParses::open(dir.path(), 7);
        store.keep(Path::new("a.md"), 1, Blob::New(vec![1, 2, 3]));
        store.keep(Path::new("b.md"), 2, Blob::New(vec![4, 5]));
        store.save(dir.path()).unwrap();
        let written = std::fs::metadata(&path).unwrap().ino();
        // What `get` keeps for a parse it found.
        let reuse = |store: &StoredParses, rel: &str| {
            let (hash, range, _) = store.index[Path::new(rel)].clone();
            store.keep(Path::new(rel), hash, Blob::Stored(range));
        };

        let store = StoredParses::open(dir.path(), 7);
        reuse(&store, "b.md");
        reuse(&store, "a.md");
        store.save(dir.path()).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().ino(),
            written,
            "rewritten"
        );
        assert_eq!(StoredParses::open(dir.path(), 7).index.len(), 2);

        // b.md is gone: the store is written without it.
        let store = StoredParses::open(dir.path(), 7);
        reuse(&store, "a.md");
        store.save(dir.path()).unwrap();
        assert_ne!(std::fs::metadata(&path).unwrap().ino(), written);
        let store = StoredParses::open(dir.path(), 7);
        assert_eq!(store.index.len(), 1);
        let (_, range, _) = store.index[Path::new("a.md")].clone();
        assert_eq!(store.blobs[range], [1, 2, 3]);
    }

    #[test]
    fn an_output_is_reused_only_while_its_key_and_file_are_unchanged() {
        let cache = tempfile::tempdir().unwrap();
        let dest = tempfile::tempdir().unwrap();
        std::fs::write(dest.path().join("a.html"), "a").unwrap();
        let first = PreviousOutputs::open(cache.path(), 1, dest.path());
        assert_eq!(first.reuse("a.html", 10), None);
        first.save(cache.path()).unwrap();

        let second = PreviousOutputs::open(cache.path(), 1, dest.path());
        assert_eq!(second.reuse("a.html", 10), Some(dest.path().join("a.html")));
        assert_eq!(second.reuse("a.html", 11), None);
        // Another configuration or binary: nothing is reused.
        let other = PreviousOutputs::open(cache.path(), 2, dest.path());
        assert_eq!(other.reuse("a.html", 10), None);
        // The file was changed by hand since: not reused.
        std::fs::write(dest.path().join("a.html"), "changed").unwrap();
        assert_eq!(second.reuse("a.html", 10), None);
    }
}
