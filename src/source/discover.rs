//! Which files under the content folder are post-mortems, factor descriptions, or
//! assets to copy; which are editor litter to skip.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use super::media;
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
    /// Files that are not published (IB0005), relative to the content folder, sorted:
    /// a link to one is told apart from a link to nothing.
    pub refused: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks `content_dir`. `root` is the book root: paths in diagnostics are relative to
/// it, and nothing outside it is read (a symbolic link that leads out of it is
/// reported and skipped). `ignore` holds glob patterns relative to the content folder;
/// a Markdown file larger than `max_file_size` bytes is reported and skipped, and so
/// is everything at or below a path of `skip` (the book's own folders, when the
/// content folder holds them).
pub fn discover(
    root: &Path,
    content_dir: &Path,
    ignore: &[String],
    max_file_size: u64,
    skip: &[PathBuf],
) -> Result<Discovered> {
    let ignore = build_globset(ignore)?;
    let mut found = Discovered::default();
    if !content_dir.is_dir() {
        return Err(Error::ContentDir {
            dir: content_dir.to_path_buf(),
            reason: "does not exist",
            help: "create it, or set [build] content-dir in book.toml",
        });
    }
    let book = root
        .canonicalize()
        .map_err(|e| Error::io("cannot read", root, e))?;
    let shown = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
    if !inside(&book, content_dir) {
        return Err(Error::ContentDir {
            dir: content_dir.to_path_buf(),
            reason: "leads outside the book (a symbolic link)",
            help: "keep the post-mortems inside the folder of book.toml",
        });
    }
    let mut walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(content_dir);
                let message = if e.loop_ancestor().is_some() {
                    "a symbolic link here points back at one of its own parent folders".to_owned()
                } else {
                    format!("cannot read: {e}")
                };
                found.diagnostics.push(
                    Diagnostic::new(Code::WalkError, shown(path), Span::file_start(), message)
                        .with_help("remove the link or fix the permissions; the rest of the book is still read"),
                );
                continue;
            }
        };
        // Hidden folders (.git), editor litter and the book's own folders are skipped
        // before descending.
        if entry.depth() > 0
            && (is_skipped_name(&entry.file_name().to_string_lossy())
                || skip.iter().any(|s| s == entry.path()))
        {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() && !inside(&book, entry.path()) {
            found.diagnostics.push(
                Diagnostic::new(
                    Code::OutsideBook,
                    shown(entry.path()),
                    Span::file_start(),
                    "this symbolic link leads outside the book: it is not read or published",
                )
                .with_help("copy the file into the book, or remove the link"),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
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
            if let Some(d) = misnamed_document(entry.path(), shown(entry.path())) {
                found.diagnostics.push(d);
                found.refused.push(rel);
            } else if let Some(d) = unpublishable(entry.path(), shown(entry.path())) {
                found.diagnostics.push(d);
                found.refused.push(rel);
            } else {
                found.assets.push(rel);
            }
            continue;
        }
        let size = entry.metadata().map_or(0, |m| m.len());
        if size > max_file_size {
            found
                .diagnostics
                .push(too_large(shown(entry.path()), size, max_file_size));
        } else if rel.parent() == Some(Path::new(FACTORS_DIR)) {
            found.factors.push(rel);
        } else {
            found.incidents.push(rel);
        }
    }
    Ok(found)
}

/// Whether `path`, links followed, is inside the (canonical) folder `book`.
fn inside(book: &Path, path: &Path) -> bool {
    path.canonicalize().is_ok_and(|p| p.starts_with(book))
}

/// The diagnostic of a file over the size limit.
pub fn too_large(shown: PathBuf, size: u64, max: u64) -> Diagnostic {
    Diagnostic::new(
        Code::TooLarge,
        shown,
        Span::file_start(),
        format!(
            "the file is {} MiB, more than [build] max-file-size ({} MiB): it is not read",
            mib(size),
            mib(max)
        ),
    )
    .with_help("move logs into a file of their own and link to it, or raise [build] max-file-size")
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1 << 20) as f64)
}

/// Extensions other tools give Markdown.
const OTHER_MARKDOWN: [&str; 5] = ["markdown", "mdown", "mkd", "mkdn", "mdwn"];

/// A document that is not read because of its name: Markdown under another extension
/// (`.markdown`), or a file with front matter without `.md` (`outage-2019`,
/// `outage.txt`). Published as it is, it would be a raw copy beside the pages; it is
/// left out of the site and named, with the name it needs.
fn misnamed_document(path: &Path, shown: PathBuf) -> Option<Diagnostic> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let other_markdown = extension
        .as_deref()
        .is_some_and(|e| OTHER_MARKDOWN.contains(&e));
    let may_be_text = matches!(extension.as_deref(), None | Some("txt" | "text"));
    if !other_markdown && !may_be_text {
        return None;
    }
    if !other_markdown {
        // Only the start is read: enough to see a front-matter delimiter.
        let mut start = [0u8; 7];
        let mut file = std::fs::File::open(path).ok()?;
        let n = std::io::Read::read(&mut file, &mut start).ok()?;
        let start = start[..n]
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&start[..n]);
        let opens = |d: &[u8]| start.starts_with(d);
        if !(opens(b"---\n") || opens(b"---\r") || opens(b"+++\n") || opens(b"+++\r")) {
            return None;
        }
    }
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let name = if other_markdown || extension.is_some() {
        format!("{stem}.md")
    } else {
        format!(
            "{}.md",
            path.file_name().unwrap_or_default().to_string_lossy()
        )
    };
    Some(
        Diagnostic::new(
            Code::NotADocument,
            shown,
            Span::file_start(),
            "this looks like a post-mortem, but only files named `.md` are read: it is neither read nor published",
        )
        .with_help(format!("rename it to `{name}`, or add it to [build] ignore")),
    )
}

/// Why a file that is not Markdown may not be published, if it may not: a type that
/// browsers run, or an SVG that is not inert (`media`).
fn unpublishable(path: &Path, shown: PathBuf) -> Option<Diagnostic> {
    let reason = match media::kind(path) {
        media::Kind::Active => {
            "browsers run files of this type on the site's own origin".to_owned()
        }
        media::Kind::Svg => {
            let bytes = match std::fs::read(path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    return Some(Diagnostic::new(
                        Code::Unreadable,
                        shown,
                        Span::file_start(),
                        format!("cannot read the file: {e}"),
                    ));
                }
            };
            let refused = media::check_svg(&bytes).err()?;
            let text = String::from_utf8_lossy(&bytes);
            let at = refused.offset.min(text.len());
            return Some(
                Diagnostic::new(
                    Code::NotPublished,
                    shown,
                    Span::of(&text, at..at),
                    format!("this SVG is not published: {}", refused.reason),
                )
                .with_help("remove the active parts (script, handlers, links to other files), or export a PNG"),
            );
        }
        media::Kind::Passive | media::Kind::Other => return None,
    };
    Some(
        Diagnostic::new(
            Code::NotPublished,
            shown,
            Span::file_start(),
            format!("this file is not published: {reason}"),
        )
        .with_help("link to a screenshot or a PDF instead, or add the file to [build] ignore"),
    )
}

fn build_globset(patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| Error::IgnorePattern {
            pattern: p.clone(),
            message: e.kind().to_string(),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| Error::IgnorePattern {
        pattern: patterns.join(", "),
        message: e.to_string(),
    })
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
