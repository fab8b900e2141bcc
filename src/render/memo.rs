//! The memo of rendered pages: a page whose fingerprint (`sink::fingerprint`) is
//! unchanged is taken from it instead of being rendered again. `serve` keeps every page
//! in memory (`PageCache`); a cached build keeps the previous build folder's (in
//! `cache.rs`).

use crate::output::Contents;

/// Pages made by an earlier run, by URL and fingerprint (of everything a page is rendered
/// from: template name, title and data): a page whose fingerprint is unchanged is taken
/// from the memo instead of being rendered again. Nothing else about the theme or the
/// configuration is in the fingerprint, so a memo must be emptied when they change.
pub trait PageMemo: Sync {
    /// The page at `url` as made from data with fingerprint `key`, if known.
    fn recall(&self, url: &str, key: u64) -> Option<Contents>;
    /// Takes note of a page just rendered.
    fn remember(&self, url: &str, key: u64, page: &std::sync::Arc<Vec<u8>>);
    /// Forgets every page but those of `urls` (sorted): the site's files this time.
    fn keep_only(&self, _urls: &[String]) {}
}

/// A rendered page with the fingerprint of what it was rendered from.
type CachedPage = (u64, std::sync::Arc<Vec<u8>>);

/// The memo of `serve`: every page in memory, kept across rebuilds.
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
            .map(|(_, bytes)| Contents::Shared(bytes.clone()));
        if hit.is_none() {
            self.misses
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        hit
    }

    fn remember(&self, url: &str, key: u64, page: &std::sync::Arc<Vec<u8>>) {
        self.pages
            .lock()
            .expect("no panics while holding the lock")
            .insert(url.to_owned(), (key, page.clone()));
    }

    /// Pages of deleted or renamed post-mortems leave the cache with them.
    fn keep_only(&self, urls: &[String]) {
        self.pages
            .lock()
            .expect("no panics while holding the lock")
            .retain(|url, _| urls.binary_search(url).is_ok());
    }
}
