use std::path::Path;
use std::process::ExitCode;

use super::{Ui, load_config};
use crate::error::{Error, Result};
use crate::import;
use crate::model::Book;
use crate::parse::{Purpose, SectionNames};
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
    // The whole archive as the adopt profile reads it: the suggested catalogue groups
    // factors across files, and the severities stated must all be on the scale.
    let mut adopted = config.clone();
    adopted.validation.profile = crate::config::Profile::Adopt;
    let site = crate::site::Site::load_with_config(root, adopted, Purpose::Check, &|_| {})?;
    let archive = import::Archive::of(&site.book, chrono::Local::now().date_naive());
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
        let Some(new) = import::rewrite(&text, &shown, rel, &sections, &archive) else {
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
    let created = write_factors(&site.book, &content_dir, dry_run, &ui)?;
    let scale = import::severities_to_add(&site.book, &config);
    if !scale.is_empty() {
        add_severities(root, &config, &scale, dry_run, &ui)?;
    }
    let verb = if dry_run { "would rewrite" } else { "rewrote" };
    if created > 0 {
        ui.info(format!(
            "{} {} in {}",
            if dry_run { "would create" } else { "created" },
            super::plural(created, "suggested factor"),
            content_dir
                .join("factors")
                .strip_prefix(root)
                .unwrap_or(&content_dir.join("factors"))
                .display()
        ));
    }
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

/// Writes the catalogue file of every suggested factor that has none; returns how many.
fn write_factors(book: &Book, content_dir: &Path, dry_run: bool, ui: &Ui) -> Result<usize> {
    let mut created = 0;
    for factor in book.factors.iter().filter(|f| f.suggested) {
        let (rel, text) = import::factor_file(factor, book);
        let path = content_dir.join(&rel);
        if path.exists() {
            continue;
        }
        created += 1;
        if dry_run {
            ui.info(format!("would create {}", path.display()));
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io("cannot write", &path, e))?;
    }
    Ok(created)
}

/// Puts the severities the archive states but the scale lacks on the scale, at its end,
/// in book.toml: the post-mortems keep their words, and the order can be changed there.
fn add_severities(
    root: &Path,
    config: &crate::config::Config,
    labels: &[String],
    dry_run: bool,
    ui: &Ui,
) -> Result<()> {
    let path = root.join("book.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io("cannot read", &path, e))?;
    let mut add = String::new();
    // Given at all, the list replaces the default scale: write the default out first.
    if !text.contains("[[validation.severities]]") {
        for level in &config.validation.severities {
            add.push_str(&import::severity_table(&level.name, &level.description));
        }
    }
    for label in labels {
        add.push_str(&import::severity_table(
            label,
            "as the imported archive writes it",
        ));
    }
    ui.info(format!(
        "{} {} to the severity scale in book.toml",
        if dry_run { "would add" } else { "added" },
        labels
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if !dry_run {
        let sep = if text.ends_with('\n') { "" } else { "\n" };
        std::fs::write(&path, format!("{text}{sep}{add}"))
            .map_err(|e| Error::io("cannot write", &path, e))?;
    }
    Ok(())
}
