//! The layering of ARCHITECTURE.md, held against the code: every module of `src/` stands
//! on one floor of the block there, imports only modules on lower floors, and no two
//! files of one folder import each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The floors of ARCHITECTURE.md's block, highest first: the first ```text block
/// after the heading "Modules and the rules between them".
fn floors() -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).unwrap();
    let section = doc
        .split("## Modules and the rules between them")
        .nth(1)
        .expect("ARCHITECTURE.md has the section on modules");
    let block = section
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the section holds the block of floors");
    block
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

/// Every `.rs` file under `dir`, sorted.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without its unit tests (from the first `#[cfg(test)]`, which
/// may compare with any module), comments and string literals, which may name modules
/// without importing them.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            i += 2;
            while i < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if b[i..].starts_with(b"r#\"") {
            i += 3;
            while i < b.len() && !b[i..].starts_with(b"\"#") {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            i += 3; // a character literal such as '"'
        } else if b[i..].starts_with(b"'\\") {
            i += 2;
            while i < b.len() && b[i] != b'\'' {
                i += 1;
            }
            i += 1;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// The first path segment after each `prefix` in `code` (`crate::parse::x` -> `parse`),
/// with the names of a `prefix{a, b::c}` group.
fn segments_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name = ident(item.trim());
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// The top-level module of a file under `src/`: `parse/fields.rs` -> `parse`.
fn module_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

#[test]
fn modules_import_only_the_floors_below_their_own() {
    let floors = floors();
    let top = floors.len();
    let floor: BTreeMap<String, usize> = floors
        .iter()
        .enumerate()
        .flat_map(|(n, names)| names.iter().map(move |m| (m.clone(), top - n)))
        .collect();
    let src = repo().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(f.strip_prefix(&src).unwrap()))
        .filter(|m| m != "lib")
        .collect();
    let listed: BTreeSet<String> = floor.keys().cloned().collect();
    assert_eq!(
        modules, listed,
        "ARCHITECTURE.md's floors must list every module of src/, and only those"
    );
    let mut wrong = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let module = module_of(rel);
        if module == "lib" {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let mut used = segments_after(&code, "crate::");
        used.extend(segments_after(&code, "incidentbook::"));
        for other in used {
            let Some(&theirs) = floor.get(&other) else {
                continue; // an item of lib.rs, such as `crate::Result`
            };
            if other != module && theirs >= floor[&module] {
                wrong.push(format!(
                    "{} ({module}, floor {}) imports {other} (floor {theirs})",
                    rel.display(),
                    floor[&module]
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that do not run downward:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_files_of_a_folder_import_each_other() {
    let src = repo().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    // Edges between the files of one folder, by the files' stems.
    let mut edges: BTreeSet<(PathBuf, PathBuf)> = BTreeSet::new();
    for file in &files {
        let dir = file.parent().unwrap();
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        if stem == "mod" || stem == "lib" || stem == "main" {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let mut used = segments_after(&code, "super::");
        if let Ok(folder) = dir.strip_prefix(&src)
            && !folder.as_os_str().is_empty()
        {
            let prefix = format!("crate::{}::", folder.to_string_lossy().replace('/', "::"));
            used.extend(segments_after(&code, &prefix));
        }
        for name in used {
            let sibling = dir.join(format!("{name}.rs"));
            if sibling.is_file() && sibling != *file {
                edges.insert((file.clone(), sibling));
            }
        }
    }
    let both: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| {
            format!(
                "{} <-> {}",
                a.strip_prefix(&src).unwrap().display(),
                b.strip_prefix(&src).unwrap().display()
            )
        })
        .collect();
    assert!(
        both.is_empty(),
        "files that import each other:\n{}",
        both.join("\n")
    );
}

#[test]
fn the_layering_test_sees_an_upward_import() {
    // The scanner itself: an import up, in code, is found; one in a comment or a
    // string is not.
    let code = code_of(
        "use crate::{model::Incident, render};\n// crate::serve\nlet s = \"crate::site\";\nincidentbook::commands::run();",
    );
    let mut used = segments_after(&code, "crate::");
    used.extend(segments_after(&code, "incidentbook::"));
    assert_eq!(
        used,
        ["commands", "model", "render"]
            .map(str::to_owned)
            .into_iter()
            .collect::<BTreeSet<_>>()
    );
}
