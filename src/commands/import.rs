use std::path::Path;
use std::process::ExitCode;

use super::{Ui, load_config};
use crate::error::{Error, Result};
use crate::import;
use crate::parse::SectionNames;
use crate::source;

/// What git says about a file.
enum GitState {
    /// Committed as it is: safe to rewrite, git keeps the original.
    Clean,
    /// Modified, staged or untracked: rewriting could lose work git does not hold.
    Uncommitted,
    /// Not in a git repository (or no git): keep a backup.
    NoGit,
}

fn git_state(root: &Path, file: &Path) -> GitState {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain", "--"])
        .arg(file)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            if o.stdout.iter().all(u8::is_ascii_whitespace) {
                GitState::Clean
            } else {
                GitState::Uncommitted
            }
        }
        _ => GitState::NoGit,
    }
}

/// `incidentbook import`: rewrites the book's post-mortems into the standard format.
/// `--dry-run` prints the unified diff and writes nothing.
pub fn run(root: &Path, dry_run: bool, backup: bool, ui: Ui) -> Result<ExitCode> {
    let config = load_config(root, &ui)?;
    let content_dir = config.content_dir(root);
    let found = crate::site::discover(root, &config)?;
    let sections = SectionNames::from_rules(&config.validation.sections);
    let (mut rewritten, mut unchanged, mut refused) = (0, 0, 0);
    for rel in &found.incidents {
        let path = content_dir.join(rel);
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let Ok((text, _)) = source::read_text(&path, &shown, config.build.max_file_size) else {
            ui.info(format!(
                "skipped {}: it cannot be read (see `incidentbook check`)",
                shown.display()
            ));
            continue;
        };
        let Some(new) = import::rewrite(&text, &shown, rel, &sections) else {
            ui.info(format!(
                "skipped {}: its front matter cannot be read (see `incidentbook check`)",
                shown.display()
            ));
            continue;
        };
        if new.text == text {
            unchanged += 1;
            continue;
        }
        if dry_run {
            let name = shown.display().to_string();
            let diff = similar::TextDiff::from_lines(&text, &new.text);
            print!(
                "{}",
                diff.unified_diff().context_radius(2).header(&name, &name)
            );
            rewritten += 1;
            continue;
        }
        let keep_backup = match git_state(root, &path) {
            GitState::Clean => backup,
            GitState::NoGit => true,
            GitState::Uncommitted if backup => true,
            GitState::Uncommitted => {
                eprintln!(
                    "error: {} has uncommitted changes; commit them first, or pass --backup to keep a copy",
                    shown.display()
                );
                refused += 1;
                continue;
            }
        };
        if keep_backup {
            let orig = path.with_file_name(format!(
                "{}.orig",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
            std::fs::write(&orig, &text).map_err(|e| Error::io("cannot write", &orig, e))?;
        }
        std::fs::write(&path, &new.text).map_err(|e| Error::io("cannot write", &path, e))?;
        rewritten += 1;
        for change in &new.changes {
            ui.info(format!("{}: {change}", shown.display()));
        }
    }
    let verb = if dry_run { "would rewrite" } else { "rewrote" };
    ui.info(format!(
        "{verb} {}, {unchanged} already standard, {refused} refused",
        super::plural(rewritten, "file")
    ));
    Ok(if refused > 0 {
        ExitCode::from(crate::error::exit::CONTENT)
    } else {
        ExitCode::SUCCESS
    })
}
