//! The blameless-language lint measured on a labelled set of sentences
//! (tests/fixtures/lint/): precision at least 95%, recall at least 90%. The confusion
//! cases are printed, so a change to the rules shows what it gained and lost.

use std::path::Path;

use incidentbook::check::language;
use incidentbook::diagnostics::Code;
use incidentbook::parse::{ParseOptions, parse_incident};

/// The names a book would configure in `[lint] people`.
const PEOPLE: &[&str] = &[
    "Mike", "Sarah", "Priya", "Tom", "Ana", "Raj", "Lena", "Omar", "Chen", "Jess", "Dmitri", "Kofi",
];

const LINT_CODES: &[Code] = &[
    Code::PersonAsCause,
    Code::BlameWords,
    Code::PersonCounterfactual,
    Code::TrialQuestion,
    Code::BehaviourAction,
    Code::RootCause,
];

fn heading(section: &str) -> &'static str {
    match section {
        "timeline" => "Timeline",
        "factors" => "Contributing Factors",
        "wentwell" => "What Went Well",
        "improve" => "Improvement Opportunities",
        "actions" => "Action Items",
        other => panic!("unknown section {other}"),
    }
}

/// The lint's findings for one sentence written in `section` of a post-mortem.
fn findings(section: &str, sentence: &str) -> Vec<Code> {
    let item = if section == "timeline" { "- " } else { "" };
    let text = format!(
        "---\ntitle: T\ndate: 2024-01-01\nseverity: SEV3\nstatus: draft\nservices: [x]\n---\n\n## {}\n\n{item}{sentence}\n",
        heading(section)
    );
    let people: Vec<String> = PEOPLE.iter().map(|p| p.to_string()).collect();
    let parse = |lint: Option<Vec<String>>| {
        let options = ParseOptions {
            lint,
            ..ParseOptions::default()
        };
        parse_incident(&text, Path::new("t.md"), Path::new("t.md"), &options)
            .0
            .unwrap()
    };
    // Linted later from the prose kept, and linted by the parse (as the commands do),
    // which keeps the findings instead of the prose: the same diagnostics.
    let kept = parse(None);
    let linted = parse(Some(people.clone()));
    assert!(!kept.body.prose.is_empty() && linted.body.prose.is_empty());
    let diagnostics = language::check(&kept, &people);
    assert_eq!(diagnostics, language::check(&linted, &people), "{sentence}");
    diagnostics
        .into_iter()
        .map(|d| d.code)
        .filter(|c| LINT_CODES.contains(c))
        .collect()
}

fn cases(file: &str) -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lint")
        .join(file);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (section, sentence) = l.split_once(" | ").expect("SECTION | sentence");
            (section.trim().to_owned(), sentence.trim().to_owned())
        })
        .collect()
}

#[test]
fn lint_precision_and_recall_on_the_labelled_set() {
    let blameful = cases("blameful.txt");
    let blameless = cases("blameless.txt");
    assert!(
        blameful.len() + blameless.len() >= 300,
        "the labelled set needs at least 300 sentences"
    );
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    let mut true_positives = 0;
    for (section, sentence) in &blameful {
        if findings(section, sentence).is_empty() {
            misses.push(format!("  [{section}] {sentence}"));
        } else {
            true_positives += 1;
        }
    }
    for (section, sentence) in &blameless {
        let found = findings(section, sentence);
        if !found.is_empty() {
            let codes: Vec<_> = found.iter().map(|c| c.as_str()).collect();
            false_alarms.push(format!("  [{section}] {sentence}  ({})", codes.join(", ")));
        }
    }
    let precision = true_positives as f64 / (true_positives + false_alarms.len()) as f64;
    let recall = true_positives as f64 / blameful.len() as f64;
    println!(
        "blameless-language lint: {} blameful, {} blameless sentences; precision {:.1}%, recall {:.1}%",
        blameful.len(),
        blameless.len(),
        precision * 100.0,
        recall * 100.0
    );
    println!("missed ({}):\n{}", misses.len(), misses.join("\n"));
    println!(
        "false alarms ({}):\n{}",
        false_alarms.len(),
        false_alarms.join("\n")
    );
    assert!(precision >= 0.95, "precision {precision:.3} < 0.95");
    assert!(recall >= 0.90, "recall {recall:.3} < 0.90");
}

#[test]
fn findings_point_at_the_sentence() {
    let text = "---\ntitle: T\ndate: 2024-01-01\nseverity: SEV3\nstatus: draft\nservices: [x]\n---\n\n## Contributing Factors\n\nThe pipeline was fine. Then Mike failed to test the migration.\n";
    let (incident, _) = parse_incident(
        text,
        Path::new("t.md"),
        Path::new("t.md"),
        &ParseOptions::default(),
    );
    let d = language::check(&incident.unwrap(), &["Mike".to_owned()]);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, Code::PersonAsCause);
    assert_eq!((d[0].span.line, d[0].span.column), (11, 29));
    assert!(d[0].message.contains("Mike failed to"), "{}", d[0].message);
    assert!(
        d[0].help
            .as_deref()
            .unwrap()
            .starts_with("describe the condition")
    );
}

#[test]
fn action_items_owned_by_people_are_reported() {
    let text = "---\ntitle: T\ndate: 2024-01-01\nseverity: SEV3\nstatus: draft\nservices: [x]\naction_items:\n  - id: AI-1\n    title: Add a lock-time check to CI\n    owner: mike.jones\n  - id: AI-2\n    title: Be more careful with migrations\n    owner: platform-team\n---\n";
    let (incident, _) = parse_incident(
        text,
        Path::new("t.md"),
        Path::new("t.md"),
        &ParseOptions::default(),
    );
    let d = language::check(&incident.unwrap(), &[]);
    let messages: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(d.len(), 2, "{messages:?}");
    assert!(messages[0].contains("owned by a person (`mike.jones`)"));
    assert!(
        messages[1].contains("AI-2") && messages[1].to_lowercase().contains("be more careful"),
        "{messages:?}"
    );
}

use crate::common;

#[test]
fn check_reports_lint_findings_and_honours_silencing_comments() {
    let book = common::Book::from_fixture("basic");
    let body = "\nThe pipeline had no staging step. Priya forgot to run the migration in staging.\n\n<!-- incidentbook-disable-next-line IB0301 -->\n@tom forgot to update the runbook.\n\n<!-- incidentbook-disable IB0306 -->\nThe root cause was a missing index.\n";
    let text = common::post_mortem("Blame", "2024-05-01", "authors: [priya.raman]\n").replacen(
        "---\n\n## Timeline",
        &format!("---\n{body}\n## Timeline"),
        1,
    );
    book.write("content/2024/2024-05-01-blame.md", &text);
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    // Warnings only: the check passes.
    assert_eq!(out.status.code(), Some(0));
    let diags: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<(&str, u64)> = diags
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    // Priya is an author, so her name is known without configuration.
    assert_eq!(codes, vec![("IB0301", 10)]);
    let out = book.cmd(&["check", "--show-silenced"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("@tom forgot"), "{stderr}");
    assert!(stderr.contains("IB0306"), "{stderr}");
    let summary = book.cmd(&["check"]).output().unwrap();
    let summary = String::from_utf8_lossy(&summary.stderr);
    assert!(
        summary.contains("0 errors, 1 warning, 2 silenced in 1 of 4 files"),
        "{summary}"
    );
}
