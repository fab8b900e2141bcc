use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Ui;
use crate::config::Config;
use crate::error::{Error, Result};

const TEMPLATE: &str = include_str!("scaffold/postmortem.md");

/// The new post-mortem's text, from the template.
pub fn scaffold(title: &str, date: chrono::NaiveDate) -> String {
    TEMPLATE
        .replace("{{title}}", &title.replace('"', "\\\""))
        .replace("{{date}}", &date.to_string())
        .replace("{{year}}", &date.format("%Y").to_string())
}

/// `incidentbook new "TITLE" [--date YYYY-MM-DD]`: writes
/// content/YYYY/YYYY-MM-DD-slug.md from the template, dated `date` (by default today).
pub fn run(root: &Path, title: &str, date: Option<chrono::NaiveDate>, ui: Ui) -> Result<ExitCode> {
    let config = Config::load(root)?;
    let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
    if !crate::parse::plausible_date(date) {
        return Err(Error::Usage(format!(
            "{date} is outside the years 1970-2199 that post-mortems are dated in\n  help: check the year of --date"
        )));
    }
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(
            "the title needs at least one letter or digit\n  help: incidentbook new \"Orders database locked during migration\"".to_owned(),
        ));
    }
    let rel = PathBuf::from(date.format("%Y").to_string()).join(format!("{date}-{slug}.md"));
    let path = config.content_dir(root).join(&rel);
    if path.exists() {
        return Err(Error::Usage(format!(
            "{} already exists\n  help: choose another title, or edit the existing file",
            path.display()
        )));
    }
    let parent = path.parent().expect("has a year folder");
    std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    std::fs::write(&path, scaffold(title, date))
        .map_err(|e| Error::io("cannot write", &path, e))?;
    ui.info(format!("created {}", path.display()));
    println!("{}", path.display());
    similar_before(root, title, &rel, date, ui);
    Ok(ExitCode::SUCCESS)
}

/// "Has this happened before?": the post-mortems of the book whose factors, services or
/// words are most like the new one's title, on stderr (stdout is the new file's path
/// alone, for scripts). The book is read as `check` reads it; a book that cannot be
/// read is left to `check` to report.
fn similar_before(root: &Path, title: &str, rel: &Path, date: chrono::NaiveDate, ui: Ui) {
    if ui.quiet {
        return;
    }
    let Ok(site) = crate::site::Site::load(root, crate::site::Purpose::Check, &|_| {}) else {
        return;
    };
    let kb = site.knowledge_base(&|_| {});
    let new = kb.book.incidents.iter().position(|x| x.content_path == rel);
    if kb.book.incidents.len() <= usize::from(new.is_some()) {
        return;
    }
    let probe = kb.similarity().probe(&[title], &[], &[]);
    let named = super::similar::most_like(&kb, &probe, new, Some(date));
    ui.info(format!(
        "Has this happened before? Post-mortems like “{title}”:\n{}",
        super::similar::text(&named)
    ));
}
