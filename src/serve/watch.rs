//! Watching the book for `serve --watch`: notify, debounced, turned into [`Changes`].
//! Watched: the content folder, `book.toml` and the theme folder; never the output or
//! cache folders (serve writes neither, and their events are dropped anyway).

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::RecursiveMode;
use notify::event::{EventKind, ModifyKind};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::rebuild::Changes;
use crate::config::{CONFIG_FILE, Config};
use crate::source::discover::is_skipped_name;

/// Events closer together than this make one rebuild: an editor's save (write a
/// temporary file, rename it over) or a `git checkout` arrives as one burst.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// Where the watched things are.
#[derive(Debug, Clone)]
pub struct Watched {
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub theme_dir: PathBuf,
    /// The book's own folders inside the content folder (`Config::content_skips`):
    /// the site a `build` writes there is not content.
    pub skips: Vec<PathBuf>,
}

impl Watched {
    pub fn new(root: &Path, config: &Config) -> Watched {
        // Paths from notify are absolute and canonical; compare like with like.
        let canonical = |p: PathBuf| std::fs::canonicalize(&p).unwrap_or(p);
        Watched {
            root: canonical(root.to_path_buf()),
            content_dir: canonical(config.content_dir(root)),
            theme_dir: canonical(config.theme_dir(root)),
            skips: config
                .content_skips(root)
                .into_iter()
                .map(canonical)
                .collect(),
        }
    }

    /// What an event means for the site, if anything.
    pub fn classify(&self, kind: &EventKind, paths: &[PathBuf]) -> Changes {
        let mut changes = Changes::default();
        let relevant = match kind {
            // Reading a file, or changing its permissions or times, changes nothing.
            EventKind::Access(_) => false,
            EventKind::Modify(ModifyKind::Metadata(_)) => false,
            _ => true,
        };
        if !relevant {
            return changes;
        }
        for path in paths {
            let litter = path
                .file_name()
                .is_some_and(|n| is_skipped_name(&n.to_string_lossy()));
            // The theme first: with `content-dir = "."` it is inside the content folder.
            if path.starts_with(&self.theme_dir) {
                changes.everything |= !litter;
            } else if path == &self.root.join(CONFIG_FILE) {
                changes.everything = true;
            } else if let Ok(rel) = path.strip_prefix(&self.content_dir)
                && !self.skips.iter().any(|s| path.starts_with(s))
            {
                let hidden = rel
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
                if !litter && !hidden {
                    changes.content.push(rel.to_path_buf());
                }
            }
        }
        changes
    }
}

/// Starts watching; `on_change` receives every debounced burst that matters.
pub fn start(
    watched: Watched,
    on_change: impl Fn(Changes) + Send + 'static,
) -> notify::Result<Debouncer<notify::RecommendedWatcher, RecommendedCache>> {
    let classify = watched.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut changes = Changes::default();
        for event in events {
            changes.merge(classify.classify(&event.kind, &event.paths));
        }
        if !changes.is_empty() {
            on_change(changes);
        }
    })?;
    debouncer.watch(&watched.content_dir, RecursiveMode::Recursive)?;
    debouncer.watch(&watched.root, RecursiveMode::NonRecursive)?;
    if watched.theme_dir.is_dir() {
        debouncer.watch(&watched.theme_dir, RecursiveMode::Recursive)?;
    }
    Ok(debouncer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{
        AccessKind, CreateKind, DataChange, MetadataKind, ModifyKind, RemoveKind, RenameMode,
    };

    fn watched() -> Watched {
        Watched {
            root: PathBuf::from("/book"),
            content_dir: PathBuf::from("/book/content"),
            theme_dir: PathBuf::from("/book/theme"),
            skips: Vec::new(),
        }
    }

    /// `content-dir = "."`: the book's folder is the content folder, and holds the
    /// theme, the site and book.toml, none of which is content.
    #[test]
    fn a_book_at_the_top_of_its_archive_tells_its_own_folders_from_content() {
        let watched = Watched {
            root: PathBuf::from("/book"),
            content_dir: PathBuf::from("/book"),
            theme_dir: PathBuf::from("/book/theme"),
            skips: vec![PathBuf::from("/book/book"), PathBuf::from("/book/theme")],
        };
        let modify = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        let of = |path: &str| watched.classify(&modify, &[PathBuf::from(path)]);
        assert_eq!(
            of("/book/2019-outage.md").content,
            [PathBuf::from("2019-outage.md")]
        );
        let site = of("/book/book/index.html");
        assert!(site.content.is_empty() && !site.everything);
        let theme = of("/book/theme/templates/base.html");
        assert!(theme.content.is_empty() && theme.everything);
        let config = of("/book/book.toml");
        assert!(config.content.is_empty() && config.everything);
    }

    fn content(kind: EventKind, paths: &[&str]) -> Vec<PathBuf> {
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        watched().classify(&kind, &paths).content
    }

    const PM: &str = "/book/content/2024/a.md";

    #[test]
    fn every_kind_of_save_leads_to_a_rebuild_of_the_file() {
        let expected = vec![PathBuf::from("2024/a.md")];
        for kind in [
            // A new file, or one written in place.
            EventKind::Create(CreateKind::File),
            EventKind::Create(CreateKind::Any),
            EventKind::Modify(ModifyKind::Data(DataChange::Content)),
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Modify(ModifyKind::Any),
            // Safe writes: a temporary file renamed over the post-mortem.
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
            EventKind::Modify(ModifyKind::Name(RenameMode::Any)),
            // Moved away or deleted: the site must lose it.
            EventKind::Modify(ModifyKind::Name(RenameMode::From)),
            EventKind::Remove(RemoveKind::File),
            EventKind::Remove(RemoveKind::Any),
            // Whatever a platform cannot classify.
            EventKind::Any,
            EventKind::Other,
        ] {
            assert_eq!(content(kind, &[PM]), expected, "{kind:?}");
        }
    }

    #[test]
    fn a_rename_names_both_files() {
        let kind = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert_eq!(
            content(kind, &["/book/content/old.md", "/book/content/new.md"]),
            vec![PathBuf::from("old.md"), PathBuf::from("new.md")]
        );
    }

    #[test]
    fn new_and_removed_folders_lead_to_a_rebuild() {
        assert_eq!(
            content(
                EventKind::Create(CreateKind::Folder),
                &["/book/content/2026"]
            ),
            vec![PathBuf::from("2026")]
        );
        assert_eq!(
            content(
                EventKind::Remove(RemoveKind::Folder),
                &["/book/content/2026"]
            ),
            vec![PathBuf::from("2026")]
        );
    }

    #[test]
    fn reading_and_touching_metadata_change_nothing() {
        for kind in [
            EventKind::Access(AccessKind::Any),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions)),
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
        ] {
            assert!(content(kind, &[PM]).is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn editor_litter_and_hidden_folders_are_ignored() {
        let kind = EventKind::Create(CreateKind::File);
        for path in [
            "/book/content/2024/.a.md.swp",
            "/book/content/2024/a.md~",
            "/book/content/2024/4913",
            "/book/content/2024/a.md___jb_tmp___",
            "/book/content/2024/#a.md#",
            "/book/content/.git/index",
        ] {
            assert!(content(kind, &[path]).is_empty(), "{path}");
        }
    }

    #[test]
    fn book_toml_and_the_theme_rebuild_everything_and_nothing_else_counts() {
        let w = watched();
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        assert!(
            w.classify(&write, &[PathBuf::from("/book/book.toml")])
                .everything
        );
        assert!(
            w.classify(&write, &[PathBuf::from("/book/theme/templates/base.html")])
                .everything
        );
        for other in [
            "/book/README.md",
            "/book/book/index.html",
            "/book/.incidentbook/x",
        ] {
            assert!(
                w.classify(&write, &[PathBuf::from(other)]).is_empty(),
                "{other}"
            );
        }
    }
}
