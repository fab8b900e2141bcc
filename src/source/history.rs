//! What git remembers of the content folder: the day each file was first committed.
//! An archive written before incidentbook sometimes states no date anywhere in a
//! document; the day it was added to the repository is then the best date there is,
//! and the page says that is where it came from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

/// The day each of `files` (relative to `dir`) was first committed, for those git
/// knows and that were not moved in with several others at once; empty when `dir` is
/// not in a git repository or git is not installed.
pub fn first_committed(dir: &Path, files: &[&Path]) -> HashMap<PathBuf, NaiveDate> {
    if files.is_empty() {
        return HashMap::new();
    }
    // Every commit that added files under `dir`, oldest first, each commit's day then
    // the files it added (all of them, to tell a move from a post-mortem written); a
    // file added again after a deletion keeps its first day. Paths relative to `dir`.
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "log",
            "--reverse",
            "--diff-filter=A",
            "--relative",
            "--name-only",
            "--format=%x00%as",
            "-z",
            "--",
            ".",
        ])
        .stderr(std::process::Stdio::null())
        .output();
    let Some(out) = out.ok().filter(|o| o.status.success()) else {
        return HashMap::new();
    };
    let mut dates = parse(&String::from_utf8_lossy(&out.stdout));
    dates.retain(|path, _| files.contains(&path.as_path()));
    dates
}

/// A commit that adds more Markdown files than this records when an archive was moved
/// into the repository, not when each was written: its day dates none of them.
const MOVED_IN: usize = 3;

/// Reads `git log -z --name-only --format=%x00%as`: per commit a NUL, the day, a NUL,
/// then its names, the first after a newline, each ended by a NUL.
fn parse(log: &str) -> HashMap<PathBuf, NaiveDate> {
    // Each commit's day and the files it added, oldest first.
    let mut commits: Vec<(NaiveDate, Vec<&str>)> = Vec::new();
    for field in log.split('\0') {
        let field = field.trim_start_matches('\n');
        if field.is_empty() {
            continue;
        }
        match NaiveDate::parse_from_str(field, "%Y-%m-%d") {
            Ok(day) => commits.push((day, Vec::new())),
            Err(_) => {
                if let Some((_, names)) = commits.last_mut() {
                    names.push(field);
                }
            }
        }
    }
    let mut dates = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for (day, names) in commits {
        let first_added: Vec<&str> = names.into_iter().filter(|n| seen.insert(*n)).collect();
        let documents = first_added.iter().filter(|n| n.ends_with(".md")).count();
        if documents > MOVED_IN {
            continue;
        }
        for name in first_added {
            dates.insert(PathBuf::from(name), day);
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_day_a_file_was_added_is_kept() {
        let log = "\x002017-08-22\x00\n001-build.md\x00002-dns.md\x00\x002018-01-05\x00\n001-build.md\x00";
        let dates = parse(log);
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(dates[Path::new("001-build.md")], d("2017-08-22"));
        assert_eq!(dates[Path::new("002-dns.md")], d("2017-08-22"));
    }

    #[test]
    fn a_commit_that_moved_an_archive_in_dates_nothing() {
        let log =
            "\x002026-12-07\x00\na.md\x00b.md\x00c.md\x00d.md\x00\x002026-12-08\x00\ne.md\x00";
        let dates = parse(log);
        assert_eq!(dates.len(), 1, "{dates:?}");
        assert!(dates.contains_key(Path::new("e.md")));
    }
}
