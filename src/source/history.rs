//! What git remembers of the content folder: the day each file was first committed.
//! An archive written before incidentbook sometimes states no date anywhere in a
//! document; the day it was added to the repository is then the best date there is,
//! and the page says that is where it came from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

/// The day each of `files` (relative to `dir`) was first committed, for those git
/// knows; empty when `dir` is not in a git repository or git is not installed.
pub fn first_committed(dir: &Path, files: &[&Path]) -> HashMap<PathBuf, NaiveDate> {
    if files.is_empty() {
        return HashMap::new();
    }
    // Oldest first, each commit's day then the files it added; a file added again
    // after a deletion keeps its first day. Paths relative to `dir`.
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
        ])
        .args(files)
        .stderr(std::process::Stdio::null())
        .output();
    let Some(out) = out.ok().filter(|o| o.status.success()) else {
        return HashMap::new();
    };
    parse(&String::from_utf8_lossy(&out.stdout))
}

/// Reads `git log -z --name-only --format=%x00%as`: per commit a NUL, the day, a NUL,
/// then its names, the first after a newline, each ended by a NUL.
fn parse(log: &str) -> HashMap<PathBuf, NaiveDate> {
    let mut dates = HashMap::new();
    let mut day = None;
    for field in log.split('\0') {
        let field = field.trim_start_matches('\n');
        if field.is_empty() {
            continue;
        }
        let (head, name) = field.split_once('\n').unwrap_or((field, ""));
        if let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
            day = Some(d);
            if name.is_empty() {
                continue;
            }
            if let Some(d) = day {
                dates.entry(PathBuf::from(name)).or_insert(d);
            }
        } else if let Some(d) = day {
            dates.entry(PathBuf::from(field)).or_insert(d);
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
}
