//! Where pages go: a page (url, template, data) rendered through the theme, or taken
//! from the memo when what it is made from is unchanged, and handed on as an
//! `OutputFile` at once.

use std::cell::RefCell;

use serde::Serialize;
use tera::Context;

use super::memo::PageMemo;
use super::theme::Theme;
use super::views::{IncidentCard, SiteView};
use crate::config::Config;
use crate::error::Result;
use crate::link::KnowledgeBase;
use crate::output::OutputFile;
use crate::urls;

/// What every kind of page is made from, and where it goes.
#[derive(Clone, Copy)]
pub(super) struct Pages<'a> {
    pub kb: &'a KnowledgeBase<'a>,
    pub theme: &'a Theme,
    pub site: &'a SiteView,
    pub config: &'a Config,
    pub cards: &'a [IncidentCard],
    pub files: &'a Files<'a>,
}

impl Pages<'_> {
    /// Renders `page` (or takes it from the memo) and hands it on.
    pub fn page<T: Serialize>(&self, page: Page<'_, T>) -> Result<()> {
        self.files.page(self.theme, self.site, page)
    }

    /// As [`Files::page_filled`].
    pub fn page_filled<T: Serialize, K: Serialize + ?Sized>(
        &self,
        page: Page<'_, T>,
        inputs: &K,
        fill: impl FnOnce(&mut T) -> Result<()>,
    ) -> Result<()> {
        self.files
            .page_filled(self.theme, self.site, page, inputs, fill)
    }
}

/// One page to render: where it goes, with which template, titled how.
pub(super) struct Page<'a, T: Serialize> {
    pub url: String,
    pub template: &'static str,
    pub title: &'a str,
    pub kind: &'static str,
    pub data: T,
}

/// Where rendered files go: handed to the caller's sink as soon as they are made, so a
/// large site is never held in memory whole; the paths are kept for the sitemap.
pub(super) struct Files<'a> {
    pub emit: &'a (dyn Fn(OutputFile) -> Result<()> + Sync),
    pub paths: std::sync::Mutex<Vec<String>>,
    pub memo: Option<&'a dyn PageMemo>,
}

thread_local! {
    /// Each thread's buffer for what a fingerprint hashes, kept from page to page.
    static FINGERPRINTED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A fingerprint of what a page is rendered from: its data and inputs in CBOR, which
/// marks every value's type and length and copies strings as they are, hashed at once.
/// Every page of the book is fingerprinted by a `serve` rebuild and by a cached build;
/// JSON, which this was before, escaped every string of them on the way (that and the
/// streaming hash it fed were a quarter of `serve`'s samples while titles were edited
/// at 10,000 post-mortems).
fn fingerprint<T: Serialize, K: Serialize + ?Sized>(page: &Page<'_, T>, inputs: &K) -> u64 {
    FINGERPRINTED.with_borrow_mut(|bytes| {
        bytes.clear();
        for part in [page.template, page.title, page.kind] {
            // Length-prefixed, so that moving text between parts changes the hash.
            bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
            bytes.extend_from_slice(part.as_bytes());
        }
        // Writing to memory cannot fail but for the data's own Serialize errors, which
        // rendering would report anyway.
        let _ = ciborium::into_writer(&page.data, &mut *bytes);
        let _ = ciborium::into_writer(inputs, &mut *bytes);
        xxhash_rust::xxh3::xxh3_64(bytes)
    })
}

impl Files<'_> {
    /// Renders a page at its URL (or takes it from the memo) and emits it.
    pub fn page<T: Serialize>(
        &self,
        theme: &Theme,
        site: &SiteView,
        page: Page<'_, T>,
    ) -> Result<()> {
        self.page_filled(theme, site, page, &(), |_| Ok(()))
    }

    /// As [`Files::page`], for data completed by `fill` just before rendering (HTML made
    /// from `inputs`): the memo is asked first, with a fingerprint of the data as it is
    /// and of `inputs`, so a page taken from it costs no filling.
    pub fn page_filled<T: Serialize, K: Serialize + ?Sized>(
        &self,
        theme: &Theme,
        site: &SiteView,
        mut page: Page<'_, T>,
        inputs: &K,
        fill: impl FnOnce(&mut T) -> Result<()>,
    ) -> Result<()> {
        let render = |page: &Page<'_, T>| {
            let root = urls::root_prefix(&page.url);
            page_html(theme, site, &root, page)
        };
        let Some(memo) = self.memo else {
            fill(&mut page.data)?;
            let html = render(&page)?;
            return self.push(OutputFile::bytes(page.url, html));
        };
        let key = fingerprint(&page, inputs);
        let contents = match memo.recall(&page.url, key) {
            Some(contents) => contents,
            None => {
                fill(&mut page.data)?;
                memo.remember(&page.url, key, render(&page)?)
            }
        };
        self.push(OutputFile {
            path: page.url,
            contents,
        })
    }

    pub fn push(&self, file: OutputFile) -> Result<()> {
        self.paths
            .lock()
            .expect("no panics while holding the lock")
            .push(file.path.clone());
        (self.emit)(file)
    }
}

/// Renders one page. Every template receives `site`, `root` (the relative prefix to
/// the site root), `page_title`, `page_url`, `page_kind` and its own data as `page`.
pub(super) fn page_html<T: Serialize>(
    theme: &Theme,
    site: &SiteView,
    root: &str,
    page: &Page<'_, T>,
) -> Result<Vec<u8>> {
    let mut context = Context::new();
    context.insert("site", site);
    context.insert("root", root);
    context.insert("page_title", page.title);
    context.insert("page_url", &page.url);
    context.insert("page_kind", page.kind);
    context.insert("page", &page.data);
    theme.render_bytes(page.template, &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn page<T: Serialize>(title: &'static str, data: T) -> Page<'static, T> {
        Page {
            url: "incidents/x.html".into(),
            template: "incident.html",
            title,
            kind: "incident",
            data,
        }
    }

    /// Serialized as a sequence of unknown length, as a filtered iterator is: an
    /// encoding that refused it would hash only what came before.
    struct Evens(Vec<u32>);

    impl Serialize for Evens {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().filter(|n| *n % 2 == 0))
        }
    }

    #[test]
    fn a_fingerprint_changes_exactly_when_what_a_page_is_made_from_does() {
        let data = |a: &str, b: &str| serde_json::json!({"card": {"a": a, "b": b}, "n": [1, 2.5]});
        let same = fingerprint(&page("T", data("xy", "")), &());
        assert_eq!(same, fingerprint(&page("T", data("xy", "")), &()));
        for other in [
            fingerprint(&page("T", data("xz", "")), &()),
            // Text moved from one value to the next.
            fingerprint(&page("T", data("x", "y")), &()),
            fingerprint(&page("U", data("xy", "")), &()),
            fingerprint(&page("T", data("xy", "")), &["inputs"]),
        ] {
            assert_ne!(same, other);
        }
        assert_ne!(
            fingerprint(&page("T", Evens(vec![1, 2, 4])), &()),
            fingerprint(&page("T", Evens(vec![1, 2, 6])), &()),
        );
        assert_eq!(
            fingerprint(&page("T", Evens(vec![1, 2, 4])), &()),
            fingerprint(&page("T", Evens(vec![3, 2, 4])), &()),
        );
    }
}
