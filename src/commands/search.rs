use std::path::Path;
use std::process::ExitCode;

use super::{Ui, load_config, plural};
use crate::config::cache_dir;
use crate::error::Result;
use crate::search::{Filters, SearchIndex, Synonyms, source_stamps};
use crate::site::{Purpose, Site};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// one result a line: title, date, severity, snippet
    Text,
    /// a JSON array of {slug, title, url, date, severity, score, partial, snippet}
    Json,
}

/// `incidentbook search QUERY`: answers from the tantivy index in `.incidentbook/`,
/// brought up to date with the book first.
pub fn run(
    root: &Path,
    query: &str,
    filters: &Filters,
    limit: usize,
    format: Format,
    ui: Ui,
) -> Result<ExitCode> {
    let config = load_config(root, &ui)?;
    let cache = cache_dir(root);
    let synonyms = Synonyms::of(&config.search);
    // The index answers while the book's folder is walked for its sources' stamps: the
    // answer stands when they are the ones the index was last brought up to date with
    // (nothing needs parsing), and is made again from the updated index when not.
    let (stamps, early) = std::thread::scope(|s| {
        let early = s.spawn(|| {
            let (index, sources) = SearchIndex::open_cached(&cache, synonyms.clone())?;
            Some((index.answer(query, filters, limit), sources))
        });
        let stamps = source_stamps(root, &config);
        (stamps, early.join().ok().flatten())
    });
    let stamps = stamps?;
    let answer = match early {
        Some((answer, sources)) if sources == stamps => answer?,
        _ => {
            let site = Site::load_with_config(root, config, Purpose::Search, &|_| {})?;
            let kb = site.knowledge_base(&|_| {});
            SearchIndex::open(&cache, &kb, &stamps, synonyms)?.answer(query, filters, limit)?
        }
    };
    let hits = answer.hits;
    if let Some(spelt) = &answer.did_you_mean {
        // Before the results in a terminal; beside the JSON, which stays an array.
        match format {
            Format::Text => println!("Did you mean: {spelt}"),
            Format::Json => ui.info(format!("did you mean: {spelt}")),
        }
    }
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&hits).expect("serializes")
        ),
        Format::Text => {
            for (k, h) in hits.iter().enumerate() {
                if h.partial && (k == 0 || !hits[k - 1].partial) {
                    println!(
                        "{}",
                        if k == 0 {
                            "No post-mortem has every word; these have some of them:"
                        } else {
                            "These have some of the words:"
                        }
                    );
                }
                let snippet = h
                    .snippet
                    .replace("<mark>", "")
                    .replace("</mark>", "")
                    .replace("&#x27;", "'")
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&");
                println!(
                    "{}  {}  {}  {}\n    {}",
                    h.date,
                    h.severity,
                    h.title,
                    h.url,
                    snippet.split_whitespace().collect::<Vec<_>>().join(" ")
                );
            }
            ui.info(plural(hits.len(), "result"));
        }
    }
    Ok(ExitCode::SUCCESS)
}
