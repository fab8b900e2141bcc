//! "Has this happened before?": the post-mortems of the book most like one being
//! written, as `new` and `check --similar-to` name them.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::link::KnowledgeBase;
use crate::similar::{Detail, Probe, reason};

/// One similar post-mortem, as it is named.
pub struct Named {
    pub title: String,
    pub date: Option<chrono::NaiveDate>,
    /// Relative to the book root.
    pub source: PathBuf,
    pub reason: String,
}

/// The post-mortems most like `probe`, best first, leaving out `exclude`.
pub fn most_like(
    kb: &KnowledgeBase,
    probe: &Probe,
    exclude: Option<usize>,
    date: Option<chrono::NaiveDate>,
) -> Vec<Named> {
    let day = date.map(|d| i64::from(chrono::Datelike::num_days_from_ce(&d)));
    let total = kb.book.incidents.len();
    kb.similarity()
        .most_like(probe, exclude, day)
        .into_iter()
        .map(|r| {
            let x = kb.incident(r.incident);
            Named {
                title: x.title.clone(),
                date: x.date,
                source: x.source.clone(),
                reason: reason(&r.shared, total, Detail::Full),
            }
        })
        .collect()
}

/// The list in words, one post-mortem and its reason a line each, or that none shares
/// anything telling.
pub fn text(named: &[Named]) -> String {
    if named.is_empty() {
        return "No post-mortem of the book shares a factor, a service or a telling word with it."
            .to_owned();
    }
    let mut out = String::new();
    for (k, n) in named.iter().enumerate() {
        let date = n.date.map(|d| format!("{d}, ")).unwrap_or_default();
        out.push_str(&format!(
            "{}. {} ({date}{})\n   {}\n",
            k + 1,
            n.title,
            n.source.to_string_lossy().replace('\\', "/"),
            n.reason
        ));
    }
    out.pop();
    out
}

/// The position in the book of the post-mortem at `path` (as given on the command line),
/// or a usage error naming it.
pub fn position_of(kb: &KnowledgeBase, root: &Path, path: &Path) -> Result<usize> {
    let not_found = || {
        Error::Usage(format!(
            "{} is not a post-mortem of the book at {}\n  help: give the path of a Markdown file in its content folder",
            path.display(),
            root.display()
        ))
    };
    let file = path.canonicalize().map_err(|_| not_found())?;
    let root = root.canonicalize().map_err(|_| not_found())?;
    let relative = file.strip_prefix(&root).map_err(|_| not_found())?;
    kb.book
        .incidents
        .iter()
        .position(|x| x.source == relative)
        .ok_or_else(not_found)
}
