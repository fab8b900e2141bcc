//! Test helpers: copy a fixture book to a temporary folder, run the real binary on it,
//! and read the pages it wrote. Tests read like sentences:
//! `let site = build_fixture("basic"); site.page("index.html").contains("…")`.

#![allow(dead_code)]

pub mod browser;
pub mod node;
pub mod server;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The five sections of the default template, each with a line of text, after a
/// timeline entry at 10:00.
pub const SECTIONS: &str = "\n## Timeline\n\n- **10:00** The alert fired.\n\n## Contributing Factors\n\nA condition.\n\n## What Went Well\n\nPaging.\n\n## Improvement Opportunities\n\nHow might we see it sooner?\n\n## Action Items\n\nAdd an alert.\n";

/// A complete, valid post-mortem with `extra` appended to its front matter.
pub fn post_mortem(title: &str, date: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nseverity: SEV4\nstatus: draft\nservices: [x]\n{extra}---\n{SECTIONS}"
    )
}

/// Builds the "basic" fixture with `key = "value"` added to its `[build]` table: the
/// book, the exit code and stderr.
pub fn build_with_setting(key: &str, value: &str) -> (Book, Option<i32>, String) {
    let book = Book::from_fixture("basic");
    let config = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write(
        "book.toml",
        &config.replace("[build]", &format!("[build]\n{key} = \"{value}\"")),
    );
    let out = book.cmd(&["build"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (book, out.status.code(), stderr)
}

pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A book copied into a temporary folder, so tests may change it freely.
pub struct Book {
    pub dir: Arc<TempDir>,
}

impl Book {
    pub fn from_fixture(name: &str) -> Book {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture_dir(name), dir.path());
        Book { dir: Arc::new(dir) }
    }

    /// A book holding the repository's own example content and book.toml.
    pub fn example() -> Book {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(repo.join("book.toml"), dir.path().join("book.toml")).unwrap();
        copy_dir(&repo.join("content"), &dir.path().join("content"));
        Book { dir: Arc::new(dir) }
    }

    /// The "basic" fixture plus `n` generated post-mortems (status draft, service `x`,
    /// factor `untested-migrations`), one a day from 2024-01-01, every third one SEV2 and
    /// the others SEV4.
    pub fn generated(n: usize) -> Book {
        let book = Book::from_fixture("basic");
        let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        for k in 0..n {
            let date = start + chrono::Days::new(k as u64);
            let severity = if k % 3 == 0 { "SEV2" } else { "SEV4" };
            let factor = "contributing_factors:\n  - id: untested-migrations\n";
            let text = post_mortem(&format!("Generated {k:03}"), &date.to_string(), factor)
                .replace("severity: SEV4", &format!("severity: {severity}"));
            book.write(&format!("content/gen/{date}-gen-{k:03}.md"), &text);
        }
        book
    }

    /// A book of `n` post-mortems from `scripts/gen_corpus.py` (seed 1), with `config`
    /// as its book.toml.
    pub fn corpus(n: usize, config: &str) -> Book {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), config).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen_corpus.py");
        let out = std::process::Command::new("python3")
            .arg(script)
            .arg(n.to_string())
            .arg(dir.path())
            .args(["--jobs", "1"])
            .output()
            .expect("python3 runs scripts/gen_corpus.py");
        assert!(
            out.status.success(),
            "gen_corpus.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Book { dir: Arc::new(dir) }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The book's post-mortem files (Markdown under `content/`, not factor
    /// descriptions), sorted.
    pub fn post_mortem_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(self.root().join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "md")
                    && !p.components().any(|c| c.as_os_str() == "factors")
            })
            .collect();
        files.sort();
        files
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("incidentbook").unwrap();
        cmd.current_dir(self.root()).args(args).env("NO_COLOR", "1");
        for (k, _) in std::env::vars() {
            if k.starts_with("INCIDENTBOOK_") {
                cmd.env_remove(k);
            }
        }
        cmd
    }

    /// Builds the book and returns the built site; panics with the output on failure.
    pub fn build(&self) -> Site {
        let out = self.cmd(&["build"]).output().unwrap();
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.site()
    }

    pub fn site(&self) -> Site {
        Site {
            dir: self.root().join("book"),
            _book: Arc::clone(&self.dir),
        }
    }
}

/// A built site; it keeps its book's temporary folder alive.
pub struct Site {
    pub dir: PathBuf,
    _book: Arc<TempDir>,
}

impl Site {
    pub fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel))
            .unwrap_or_else(|e| panic!("{rel} was not built: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.dir.join(rel).is_file()
    }

    /// Every file of the site, relative to it.
    pub fn files(&self) -> BTreeSet<String> {
        walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&self.dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    /// The pages of single post-mortems: `incidents/<slug>.html`, not the listings.
    pub fn post_mortem_pages(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| {
                f.strip_prefix("incidents/")
                    .is_some_and(|name| !name.contains('/') && name != "index.html")
            })
            .collect()
    }

    /// Checks that every relative link and image of every page (but the 404 page, whose
    /// links are absolute by design) resolves to a file, and every `#fragment` to an id
    /// in the target page. Returns the broken ones.
    pub fn broken_links(&self) -> Vec<String> {
        let link_sel =
            scraper::Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
        let id_sel = scraper::Selector::parse("[id]").unwrap();
        let pages: Vec<String> = self
            .files()
            .into_iter()
            .filter(|f| f.ends_with(".html") && f != "404.html")
            .collect();
        let ids_of = |page: &str| -> BTreeSet<String> {
            let html = scraper::Html::parse_document(&self.page(page));
            html.select(&id_sel)
                .filter_map(|e| e.value().attr("id").map(str::to_owned))
                .collect()
        };
        let mut broken = Vec::new();
        for page in &pages {
            let html = scraper::Html::parse_document(&self.page(page));
            for element in html.select(&link_sel) {
                let v = element.value();
                let url = v.attr("href").or_else(|| v.attr("src")).unwrap();
                // External, and root-absolute links written in content (the site itself
                // only writes relative ones): neither is the book's to check.
                if url.contains("://") || url.starts_with("mailto:") || url.starts_with('/') {
                    continue;
                }
                let (path, fragment) = match url.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (url, None),
                };
                let target = if path.is_empty() {
                    page.clone()
                } else {
                    let base = Path::new(page).parent().unwrap();
                    normalize(&base.join(path))
                };
                if !self.exists(&target) {
                    broken.push(format!("{page}: {url} (no file {target})"));
                    continue;
                }
                if let Some(f) = fragment.filter(|f| !f.is_empty())
                    && target.ends_with(".html")
                    && !ids_of(&target).contains(f)
                {
                    broken.push(format!("{page}: {url} (no id {f} in {target})"));
                }
            }
        }
        broken
    }
}

fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A book made by `incidentbook init --from pm` over a copy of one of the real
/// archives in tests/fixtures/corpora.
pub fn adopted(corpus: &str) -> Book {
    let book = Book {
        dir: Arc::new(tempfile::tempdir().unwrap()),
    };
    copy_dir(
        &fixture_dir("corpora").join(corpus),
        &book.root().join("pm"),
    );
    book.cmd(&["init", "--from", "pm"]).assert().success();
    book
}

/// The slugs and scores `incidentbook search QUERY --limit 10` prints for `book`,
/// with `filters` as its options (`("--severity", "SEV1")`).
pub fn ranking(book: &Book, query: &str, filters: &[(&str, &str)]) -> Vec<(String, f64)> {
    let mut args = vec!["search", query, "--limit", "10", "--format", "json"];
    for (k, v) in filters {
        args.push(k);
        args.push(v);
    }
    let out = book.cmd(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    hits.iter()
        .map(|h| {
            (
                h["slug"].as_str().unwrap().to_owned(),
                h["score"].as_f64().unwrap(),
            )
        })
        .collect()
}
