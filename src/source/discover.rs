//! Which files under the content folder are post-mortems, factor descriptions, or
//! assets to copy; which are editor litter to skip.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::error::{Error, Result};

/// The folder (under the content folder) holding the factor catalogue.
pub const FACTORS_DIR: &str = "factors";

#[derive(Debug, Default)]
pub struct Discovered {
    /// Post-mortems, relative to the content folder, sorted.
    pub incidents: Vec<PathBuf>,
    /// Factor descriptions (`factors/<id>.md`), relative to the content folder, sorted.
    pub factors: Vec<PathBuf>,
    /// Every other file, copied to the site as is, relative to the content folder, sorted.
    pub assets: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks `content_dir`. `root` is the book root, to express paths in diagnostics.
/// `ignore` holds glob patterns relative to the content folder.
pub fn discover(root: &Path, content_dir: &Path, ignore: &[String]) -> Result<Discovered> {
    let ignore = build_globset(ignore)?;
    let mut found = Discovered::default();
    if !content_dir.is_dir() {
        return Err(Error::Usage(format!(
            "content folder {} does not exist\n  help: create it, or set [build] content-dir in book.toml",
            content_dir.display()
        )));
    }
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // Skip hidden folders (.git) and editor litter before descending into them.
        .filter_entry(|e| e.depth() == 0 || !is_skipped_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(content_dir);
                let display = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                let message = if e.loop_ancestor().is_some() {
                    "a symbolic link here points back at one of its own parent folders".to_owned()
                } else {
                    format!("cannot read: {e}")
                };
                found.diagnostics.push(
                    Diagnostic::new(Code::WalkError, display, Span::file_start(), message)
                        .with_help("remove the link or fix the permissions; the rest of the book is still read"),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content_dir) else {
            continue;
        };
        if ignore.is_match(rel) {
            continue;
        }
        let rel = rel.to_path_buf();
        let is_markdown = rel
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if !is_markdown {
            found.assets.push(rel);
        } else if rel.parent() == Some(Path::new(FACTORS_DIR)) {
            found.factors.push(rel);
        } else {
            found.incidents.push(rel);
        }
    }
    Ok(found)
}

fn build_globset(patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| {
            Error::Usage(format!(
                "[build] ignore pattern `{p}` is not a valid glob: {e}\n  help: see README.md for the pattern syntax"
            ))
        })?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| Error::Usage(format!("[build] ignore patterns: {e}")))
}

/// Hidden files, and the temporary, swap and backup files editors write beside the
/// file being edited. Also used by the watcher, so a save never triggers on litter.
pub fn is_skipped_name(name: &str) -> bool {
    name.starts_with('.')                      // hidden; vim `.x.swp`; emacs lock `.#x`
        || name.starts_with('#')               // emacs autosave `#x#`
        || name.ends_with('~')                 // vim, emacs, nano backups
        || name.contains("___jb_tmp___")       // JetBrains safe write
        || name.contains("___jb_old___")
        || [".swp", ".swo", ".swx", ".tmp", ".temp", ".bak", ".orig", ".crdownload", ".part"]
            .iter()
            .any(|ext| name.to_ascii_lowercase().ends_with(ext))
        || name == "4913" // vim's probe file when checking that a folder is writable
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_litter_is_skipped() {
        for name in [
            ".hidden.md",
            ".x.md.swp",
            "x.md~",
            "#x.md#",
            ".#x.md",
            "x.md___jb_tmp___",
            "x.md.tmp",
            "4913",
        ] {
            assert!(is_skipped_name(name), "{name} should be skipped");
        }
        for name in ["2024-03-12-db.md", "diagram.png", "notes.markdown"] {
            assert!(!is_skipped_name(name), "{name} should be kept");
        }
    }
}
