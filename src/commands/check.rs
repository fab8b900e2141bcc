use std::path::Path;
use std::process::ExitCode;

use super::{Ui, exit, stage_observer};
use crate::diagnostics::{self, Severity};
use crate::error::Result;
use crate::site::Purpose;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets with a summary line
    Human,
    /// one JSON array of diagnostics on stdout
    Json,
    /// GitHub Actions workflow commands (pull-request annotations) on stdout
    Github,
}

/// `incidentbook check`: every problem in every file, in one pass, without rendering.
pub fn run(root: &Path, format: Format, deny_warnings: bool, ui: Ui) -> Result<ExitCode> {
    let bar = ui.progress();
    let observe = stage_observer(&bar, &ui);
    let site = super::load_site(root, Purpose::Check, &ui, &observe)?;
    let kb = site.knowledge_base(&observe);
    let diagnostics = site.check(&kb, &observe);
    bar.finish_and_clear();
    let diags = &diagnostics;
    let visible: Vec<_> = diags
        .iter()
        .filter(|d| ui.show_silenced || !d.silenced)
        .cloned()
        .collect();
    match format {
        Format::Human => {
            // The book's action items in the sets every page of the site counts.
            let counts = kb.action_counts(site.book.incidents.iter().flat_map(|i| &i.action_items));
            let actions = format!("action items as of {}: {}", kb.as_of, counts.sentence());
            ui.report_with(diags, root, site.book.files_read, Some(&actions))
        }
        Format::Json => println!("{}", diagnostics::render_json(&visible)),
        Format::Github => print!("{}", diagnostics::render_github(&visible)),
    }
    let failing = diags.iter().filter(|d| !d.silenced).any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    // As in `build`: the process ends, the system takes the memory back whole.
    std::mem::forget(visible);
    std::mem::forget(diagnostics);
    std::mem::forget(kb);
    std::mem::forget(site);
    Ok(if failing {
        exit(crate::error::exit::CONTENT)
    } else {
        ExitCode::SUCCESS
    })
}
