//! Writing the site: into a staging folder beside the build folder, swapped in only when
//! every file was written. A failed build leaves the previous site as it was.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Written into every build folder so that a later build knows the folder is ours to
/// replace. A non-empty folder without it is never deleted.
pub const MARKER: &str = ".incidentbook-build";

pub enum Contents {
    Bytes(Vec<u8>),
    /// Bytes kept compressed in memory (the page cache of `serve`).
    Packed(Packed),
    /// Copied from this file.
    Copy(PathBuf),
    /// The same file as the previous build's (the build cache): hard-linked where the
    /// file system allows it, else copied.
    Link(PathBuf),
}

/// A file's bytes kept lz4-compressed in memory, as `serve` keeps every page of the
/// site: HTML shrinks to a fraction of its size, and a page is unpacked on request in
/// a few microseconds. Cloning shares the bytes.
#[derive(Clone)]
pub struct Packed {
    len: usize,
    bytes: std::sync::Arc<[u8]>,
}

impl Packed {
    pub fn new(raw: &[u8]) -> Packed {
        let mut out = vec![0; lz4_flex::block::get_maximum_output_size(raw.len())];
        let n = lz4_flex::block::compress_into(raw, &mut out)
            .expect("the buffer has room for the worst case");
        out.truncate(n);
        Packed {
            len: raw.len(),
            bytes: out.into(),
        }
    }

    /// The bytes as they were given to [`Packed::new`].
    pub fn unpack(&self) -> Vec<u8> {
        let mut out = vec![0; self.len];
        let n =
            lz4_flex::block::decompress_into(&self.bytes, &mut out).expect("packed by Packed::new");
        out.truncate(n);
        out
    }
}

pub struct OutputFile {
    /// Path relative to the build folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

impl OutputFile {
    pub fn text(path: impl Into<String>, text: String) -> OutputFile {
        OutputFile::bytes(path, text.into_bytes())
    }

    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes),
        }
    }
}

/// Refuses a build folder that would overwrite the sources: the book root, the content
/// folder, a folder containing either, or a folder inside the content folder, unless
/// the content folder is the book root (`content-dir = "."`), whose discovery leaves
/// the build folder out.
pub fn ensure_safe_destination(dest: &Path, root: &Path, content_dir: &Path) -> Result<()> {
    let dest = absolute(dest);
    let root = absolute(root);
    let content = absolute(content_dir);
    let reason = if dest == root || root.starts_with(&dest) {
        Some("it is, or contains, the book root")
    } else if content.starts_with(&dest) {
        Some("it is, or contains, the content folder")
    } else if dest.starts_with(&content) && content != root {
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

/// A build folder being written: files go into a staging folder beside `dest`, which
/// replaces `dest` only on [`Staging::commit`]. Dropped without a commit (a failed
/// build), it removes the staging folder and leaves `dest` as it was.
pub struct Staging {
    dest: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    /// Folders already created, so parallel writers create each once.
    dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// Every path written, in lower case: a second file at one of them (or at one that
    /// differs only in case, which a case-insensitive host serves as one) would replace
    /// the first.
    written: std::sync::Mutex<std::collections::HashSet<String>>,
    committed: bool,
}

impl Staging {
    /// Prepares to replace `dest`. Refuses a folder holding files incidentbook did not
    /// write.
    pub fn begin(dest: &Path) -> Result<Staging> {
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = dest
            .file_name()
            .ok_or_else(|| Error::UnsafeOutput {
                dest: dest.to_path_buf(),
                reason: "it has no name of its own".to_owned(),
            })?
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
        std::fs::create_dir_all(&staging).map_err(|e| Error::io("cannot create", &staging, e))?;
        let marker = staging.join(MARKER);
        std::fs::write(&marker, b"This folder is written by incidentbook build.\n")
            .map_err(|e| Error::io("cannot write", &marker, e))?;
        Ok(Staging {
            dest: dest.to_path_buf(),
            staging,
            old,
            dirs: Default::default(),
            written: Default::default(),
            committed: false,
        })
    }

    /// Writes one file into the staging folder. Safe to call from many threads.
    pub fn write(&self, file: &OutputFile) -> Result<()> {
        let fresh = self
            .written
            .lock()
            .expect("no panics while holding the lock")
            .insert(file.path.to_lowercase());
        if !fresh {
            return Err(Error::OutputCollision {
                path: file.path.clone(),
            });
        }
        let path = self.staging.join(&file.path);
        if let Some(dir) = path.parent() {
            // The folder is created while holding the lock, so no other writer can see it
            // recorded before it exists.
            let mut dirs = self.dirs.lock().expect("no panics while holding the lock");
            if !dirs.contains(dir) {
                std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
                dirs.insert(dir.to_path_buf());
            }
        }
        match &file.contents {
            Contents::Bytes(bytes) => {
                std::fs::write(&path, bytes).map_err(|e| Error::io("cannot write", &path, e))
            }
            Contents::Packed(packed) => std::fs::write(&path, packed.unpack())
                .map_err(|e| Error::io("cannot write", &path, e)),
            Contents::Copy(from) => std::fs::copy(from, &path)
                .map(|_| ())
                .map_err(|e| Error::io("cannot copy", from, e)),
            Contents::Link(from) => std::fs::hard_link(from, &path)
                .or_else(|_| std::fs::copy(from, &path).map(|_| ()))
                .map_err(|e| Error::io("cannot copy", from, e)),
        }
    }

    /// Swaps the staging folder in place of `dest`: in one step where the system can
    /// exchange two folders (Linux), so that no moment and no kill leaves the site
    /// missing; else by moving the old one aside first.
    pub fn commit(mut self) -> Result<()> {
        if self.dest.exists() && exchange(&self.staging, &self.dest).is_ok() {
            // The staging folder's name now holds the previous site.
            self.committed = true;
            return remove_dir_all_parallel(&self.staging);
        }
        if self.dest.exists() {
            std::fs::rename(&self.dest, &self.old)
                .map_err(|e| Error::io("cannot move aside", &self.dest, e))?;
        }
        if let Err(e) = std::fs::rename(&self.staging, &self.dest) {
            // Put the previous site back before reporting.
            let _ = std::fs::rename(&self.old, &self.dest);
            return Err(Error::io("cannot move into place", &self.dest, e));
        }
        self.committed = true;
        if self.old.exists() {
            remove_dir_all_parallel(&self.old)?;
        }
        Ok(())
    }
}

/// Exchanges two paths atomically (`renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c =
        |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths, relative to the working directory.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Elsewhere there is no exchange: [`Staging::commit`] moves the old site aside.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// `remove_dir_all`, with the files removed by every thread first: removing the previous
/// site of a large book file by file takes a second or more.
fn remove_dir_all_parallel(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().for_each(|f| {
        // Whatever is left is removed (or reported) below.
        let _ = std::fs::remove_file(f);
    });
    std::fs::remove_dir_all(dir).map_err(|e| Error::io("cannot remove", dir, e))
}

fn is_ours(dest: &Path) -> Result<bool> {
    if dest.join(MARKER).exists() {
        return Ok(true);
    }
    let mut entries = std::fs::read_dir(dest).map_err(|e| Error::io("cannot read", dest, e))?;
    Ok(entries.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile::text(path, text.to_owned())
    }

    #[test]
    fn commit_swaps_and_an_abandoned_build_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        let first = Staging::begin(&dest).unwrap();
        first.write(&page("a/index.html", "one")).unwrap();
        first.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(dest.join("a/index.html")).unwrap(),
            "one"
        );

        // A build that fails half-way (dropped without commit) changes nothing.
        let second = Staging::begin(&dest).unwrap();
        second.write(&page("a/index.html", "two")).unwrap();
        drop(second);
        assert_eq!(
            std::fs::read_to_string(dest.join("a/index.html")).unwrap(),
            "one"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() != "book")
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_second_file_at_one_address_is_refused_whatever_its_case() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&dir.path().join("book")).unwrap();
        staging.write(&page("a/Index.html", "one")).unwrap();
        let e = staging.write(&page("a/index.html", "two")).unwrap_err();
        assert!(matches!(e, Error::OutputCollision { .. }), "{e}");
        assert_eq!(
            std::fs::read_to_string(staging.staging.join("a/Index.html")).unwrap(),
            "one"
        );
    }
}
