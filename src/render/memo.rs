//! The memo of rendered pages: a page whose fingerprint (`sink::fingerprint`) is
//! unchanged is taken from it instead of being rendered again. `serve` keeps every page
//! in memory, compressed (`PageCache`); a cached build keeps the previous build
//! folder's (in `cache.rs`).

use crate::output::{Contents, Packed};

/// Pages made by an earlier run, by URL and fingerprint (of everything a page is rendered
/// from: template name, title and data): a page whose fingerprint is unchanged is taken
/// from the memo instead of being rendered again. Nothing else about the theme or the
/// configuration is in the fingerprint, so a memo must be emptied when they change.
pub trait PageMemo: Sync {
    /// The page at `url` as made from data with fingerprint `key`, if known.
    fn recall(&self, url: &str, key: u64) -> Option<Contents>;
    /// Takes note of a page just rendered; returns the page as the memo hands it on.
    fn remember(&self, url: &str, key: u64, page: Vec<u8>) -> Contents;
    /// Forgets every page but those of `urls` (sorted): the site's files this time.
    fn keep_only(&self, _urls: &[String]) {}
}

/// A rendered page with the fingerprint of what it was rendered from.
type CachedPage = (u64, Packed);

/// The memo of `serve`: every page in memory, kept across rebuilds; the pages it hands
/// on are the same packed bytes, so the served site and the memo share them.
#[derive(Default)]
pub struct PageCache {
    pages: std::sync::Mutex<std::collections::HashMap<String, CachedPage>>,
    misses: std::sync::atomic::AtomicUsize,
}

impl PageCache {
    pub fn clear(&self) {
        self.pages
            .lock()
            .expect("no panics while holding the lock")
            .clear();
    }

    /// How many pages were rendered (not found unchanged) since the last call.
    pub fn take_misses(&self) -> usize {
        self.misses.swap(0, std::sync::atomic::Ordering::Relaxed)
    }
}

impl PageMemo for PageCache {
    fn recall(&self, url: &str, key: u64) -> Option<Contents> {
        let hit = self
            .pages
            .lock()
            .expect("no panics while holding the lock")
            .get(url)
            .filter(|(k, _)| *k == key)
            .map(|(_, packed)| Contents::Packed(packed.clone()));
        if hit.is_none() {
            self.misses
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        hit
    }

    fn remember(&self, url: &str, key: u64, page: Vec<u8>) -> Contents {
        let packed = Packed::new(&page);
        self.pages
            .lock()
            .expect("no panics while holding the lock")
            .insert(url.to_owned(), (key, packed.clone()));
        Contents::Packed(packed)
    }

    /// Pages of deleted or renamed post-mortems leave the cache with them.
    fn keep_only(&self, urls: &[String]) {
        self.pages
            .lock()
            .expect("no panics while holding the lock")
            .retain(|url, _| urls.binary_search(url).is_ok());
    }
}
