//! Writing the site: into a staging folder beside the build folder, swapped in only when
//! every file was written. A failed build leaves the previous site as it was.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Written into every build folder so that a later build knows the folder is ours to
/// replace. A non-empty folder without it is never deleted.
pub const MARKER: &str = ".incidentbook-build";

pub enum Contents {
    Bytes(Vec<u8>),
    /// Copied from this file.
    Copy(PathBuf),
}

pub struct OutputFile {
    /// Path relative to the build folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

impl OutputFile {
    pub fn text(path: impl Into<String>, text: String) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(text.into_bytes()),
        }
    }
}

/// Refuses a build folder that would overwrite the sources: the book root, the content
/// folder, a folder containing either, or a folder inside the content folder.
pub fn ensure_safe_destination(dest: &Path, root: &Path, content_dir: &Path) -> Result<()> {
    let dest = absolute(dest);
    let root = absolute(root);
    let content = absolute(content_dir);
    let reason = if dest == root || root.starts_with(&dest) {
        Some("it is, or contains, the book root")
    } else if content.starts_with(&dest) {
        Some("it is, or contains, the content folder")
    } else if dest.starts_with(&content) {
        Some("it is inside the content folder")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::UnsafeOutput {
            dest,
            reason: reason.to_owned(),
        }),
        None => Ok(()),
    }
}

/// Absolute, normalised form of a path that may not exist yet.
fn absolute(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // Canonicalise the longest existing ancestor so symlinks compare equal.
    let mut existing = abs.as_path();
    let mut tail = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                tail.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    out.extend(tail.into_iter().rev());
    out
}

/// Writes `files` as the complete new content of `dest`.
pub fn write_site(files: &[OutputFile], dest: &Path) -> Result<()> {
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .ok_or_else(|| Error::Usage(format!("build folder {} has no name", dest.display())))?
        .to_string_lossy()
        .into_owned();
    if dest.exists() && !is_ours(dest)? {
        return Err(Error::UnsafeOutput {
            dest: dest.to_path_buf(),
            reason: "it holds files that incidentbook did not write".to_owned(),
        });
    }
    std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    let staging = parent.join(format!(".{name}.incidentbook-staging"));
    let old = parent.join(format!(".{name}.incidentbook-old"));
    for leftover in [&staging, &old] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover)
                .map_err(|e| Error::io("cannot remove", leftover, e))?;
        }
    }
    if let Err(e) = write_all(files, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if dest.exists() {
        std::fs::rename(dest, &old).map_err(|e| Error::io("cannot move aside", dest, e))?;
    }
    if let Err(e) = std::fs::rename(&staging, dest) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(&old, dest);
        return Err(Error::io("cannot move into place", dest, e));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| Error::io("cannot remove", &old, e))?;
    }
    Ok(())
}

fn is_ours(dest: &Path) -> Result<bool> {
    if dest.join(MARKER).exists() {
        return Ok(true);
    }
    let mut entries = std::fs::read_dir(dest).map_err(|e| Error::io("cannot read", dest, e))?;
    Ok(entries.next().is_none())
}

fn write_all(files: &[OutputFile], staging: &Path) -> Result<()> {
    std::fs::create_dir_all(staging).map_err(|e| Error::io("cannot create", staging, e))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
    }
    std::fs::write(
        staging.join(MARKER),
        b"This folder is written by incidentbook build.\n",
    )
    .map_err(|e| Error::io("cannot write", staging.join(MARKER), e))?;
    files.par_iter().try_for_each(|f| {
        let path = staging.join(&f.path);
        match &f.contents {
            Contents::Bytes(bytes) => {
                std::fs::write(&path, bytes).map_err(|e| Error::io("cannot write", &path, e))
            }
            Contents::Copy(from) => std::fs::copy(from, &path)
                .map(|_| ())
                .map_err(|e| Error::io("cannot copy", from, e)),
        }
    })
}
