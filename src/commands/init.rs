use std::path::Path;
use std::process::ExitCode;

use super::Ui;
use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};

const BOOK_TOML: &str = r#"# incidentbook configuration. Every key is optional; the values shown are the defaults.
# Any key can be overridden from the environment: INCIDENTBOOK_BUILD__BUILD_DIR=public.

[book]
title = "Post-mortems"
description = "What our incidents taught us."
authors = []
language = "en"
# base-url = "https://postmortems.example.com"   # for canonical links and feeds

[build]
content-dir = "content"   # the post-mortems, in any sub-folders
build-dir = "book"        # where `incidentbook build` writes the site
theme = "theme"           # templates and static files here override the default theme
ignore = []               # glob patterns under content-dir that are not post-mortems
trusted-html = false      # true keeps raw HTML unsanitized: only if every author is trusted
"#;

/// A filled-in post-mortem, so a new book shows what a good one looks like.
const EXAMPLE: &str = include_str!("scaffold/example.md");
/// The catalogue entry of the factor the example cites.
const EXAMPLE_FACTOR: &str = include_str!("scaffold/factor.md");

const GITIGNORE: &str = "/book/\n/public/\n/.incidentbook/\n";

/// book.toml for an existing archive.
fn adopt_config(content_dir: &str) -> String {
    format!(
        r#"# incidentbook configuration for an existing archive of post-mortems.
# The adopt profile infers what the files do not say (title from the first heading,
# date from the file name or the timeline) and reports problems as warnings, so the
# site builds at once. Switch to profile = "strict" once the files follow the template.

[book]
title = "Post-mortems"

[build]
content-dir = "{content_dir}"
build-dir = "book"
ignore = ["**/TEMPLATE.md", "**/template.md", "**/README.md"]

[validation]
profile = "adopt"
"#
    )
}

fn adopt(dir: &Path, from: &Path, config_path: &Path, ui: Ui) -> Result<ExitCode> {
    let from_abs = std::path::absolute(from).map_err(|e| Error::io("cannot resolve", from, e))?;
    if !from_abs.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder\n  help: pass the folder that holds your post-mortems",
            from.display()
        )));
    }
    let root_abs = std::path::absolute(dir).map_err(|e| Error::io("cannot resolve", dir, e))?;
    // A book reads nothing outside its own folder (SECURITY.md): the post-mortems
    // must be in it, and book.toml names them relative to it, so that the book moves
    // with its repository.
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let Ok(content) = canonical(&from_abs)
        .strip_prefix(canonical(&root_abs))
        .map(Path::to_path_buf)
    else {
        return Err(Error::Usage(format!(
            "{} is outside the book's folder {}: a book reads only files inside its own folder\n  help: make the book in the repository that holds the post-mortems: `cd {} && incidentbook init --from .`",
            from.display(),
            dir.display(),
            from.display()
        )));
    };
    let content = if content.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        content.to_string_lossy().replace('\\', "/")
    };
    let content = content.replace('"', "\\\"");
    std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
    std::fs::write(config_path, adopt_config(&content))
        .map_err(|e| Error::io("cannot write", config_path, e))?;
    add_gitignore(dir)?;
    ui.info(format!(
        "created {} reading {} in the adopt profile\n  next: `incidentbook build` for a site now; `incidentbook check` lists what to bring up to the template",
        config_path.display(),
        from.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn add_gitignore(dir: &Path) -> Result<()> {
    let gitignore = dir.join(".gitignore");
    let mut ignore = std::fs::read_to_string(&gitignore).unwrap_or_default();
    for line in GITIGNORE.lines() {
        if !ignore.lines().any(|l| l.trim() == line) {
            if !ignore.is_empty() && !ignore.ends_with('\n') {
                ignore.push('\n');
            }
            ignore.push_str(line);
            ignore.push('\n');
        }
    }
    std::fs::write(&gitignore, ignore).map_err(|e| Error::io("cannot write", &gitignore, e))
}

/// `incidentbook init [DIR]`: a book.toml, a content folder with one example, .gitignore.
/// With `--from FOLDER`: a book.toml reading that folder as it is, in the adopt profile.
pub fn run(dir: &Path, from: Option<&Path>, ui: Ui) -> Result<ExitCode> {
    let config_path = dir.join(CONFIG_FILE);
    if config_path.exists() {
        return Err(Error::Usage(format!(
            "{} already exists\n  help: this folder is already a book; run `incidentbook build` in it",
            config_path.display()
        )));
    }
    if let Some(from) = from {
        return adopt(dir, from, &config_path, ui);
    }
    let year = "2024";
    let example = dir
        .join("content")
        .join(year)
        .join("2024-03-12-orders-migration-lock.md");
    let parent = example.parent().expect("has a parent");
    std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    std::fs::write(&config_path, BOOK_TOML)
        .map_err(|e| Error::io("cannot write", &config_path, e))?;
    let factor = dir.join("content/factors/untested-migrations.md");
    let factors = factor.parent().expect("has a parent");
    std::fs::create_dir_all(factors).map_err(|e| Error::io("cannot create", factors, e))?;
    std::fs::write(&factor, EXAMPLE_FACTOR).map_err(|e| Error::io("cannot write", &factor, e))?;
    std::fs::write(&example, EXAMPLE).map_err(|e| Error::io("cannot write", &example, e))?;
    add_gitignore(dir)?;
    ui.info(format!(
        "created a book in {}\n  next: `incidentbook new \"Title of the incident\"`, then `incidentbook build`",
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
