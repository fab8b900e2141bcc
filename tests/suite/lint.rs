//! The blameless-language lint measured on two labelled sets of sentences:
//! tests/fixtures/lint/ (written with the rules) and tests/fixtures/lint-eval/ (1,200
//! sentences written apart from them, a third of them held out while tuning; see its
//! README). The tuning part's confusion cases are printed, so a change to the rules
//! shows what it gained and lost; the held-out part's only as figures.

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
        "factors" | "contributing-factors" => "Contributing Factors",
        "wentwell" | "what-went-well" => "What Went Well",
        "improve" | "improvement-opportunities" => "Improvement Opportunities",
        "actions" | "action-items" => "Action Items",
        "summary" => "Summary",
        other => panic!("unknown section {other}"),
    }
}

/// The lint's findings for one sentence written in `section` of a post-mortem whose
/// book configures `PEOPLE`.
fn findings(section: &str, sentence: &str) -> Vec<Code> {
    let people: Vec<String> = PEOPLE.iter().map(|p| p.to_string()).collect();
    findings_with(section, sentence, &people)
}

/// The lint's findings for one sentence written in `section` of a post-mortem (a list
/// item in the timeline and the action items), given the names a book configures.
fn findings_with(section: &str, sentence: &str, people: &[String]) -> Vec<Code> {
    let item = if matches!(section, "timeline" | "action-items") {
        "- "
    } else {
        ""
    };
    let text = format!(
        "---\ntitle: T\ndate: 2024-01-01\nseverity: SEV3\nstatus: draft\nservices: [x]\n---\n\n## {}\n\n{item}{sentence}\n",
        heading(section)
    );
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
    let linted = parse(Some(people.to_vec()));
    assert!(!kept.body.prose.is_empty() && linted.body.prose.is_empty());
    let diagnostics = language::check(&kept, people);
    assert_eq!(diagnostics, language::check(&linted, people), "{sentence}");
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

/// One sentence of tests/fixtures/lint-eval/sentences.jsonl.
struct Labelled {
    id: String,
    section: String,
    text: String,
    blame: bool,
    family: String,
    heldout: bool,
    /// The batch of an extra tuning sentence ("" in the independent set).
    batch: String,
}

fn eval_set() -> Vec<Labelled> {
    labelled("sentences.jsonl")
}

/// tests/fixtures/lint-eval/tuning-extra.jsonl: sentences written for tuning after
/// the split, apart from the independent set (see its README), in four batches.
fn tuning_extra() -> Vec<Labelled> {
    labelled("tuning-extra.jsonl")
}

/// The labelled sentences of a file of tests/fixtures/lint-eval/; a line without a
/// `split` is not held out.
fn labelled(file: &str) -> Vec<Labelled> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lint-eval")
        .join(file);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let field = |k: &str| {
                v[k].as_str()
                    .unwrap_or_else(|| panic!("{k} in {line}"))
                    .to_owned()
            };
            let label = field("label");
            let split = v["split"].as_str().unwrap_or("tune");
            assert!(matches!(label.as_str(), "blame" | "ok"), "{line}");
            assert!(matches!(split, "tune" | "heldout"), "{line}");
            Labelled {
                id: field("id"),
                section: field("section"),
                text: field("text"),
                blame: label == "blame",
                family: field("family"),
                heldout: split == "heldout",
                batch: v["batch"].as_str().unwrap_or("").to_owned(),
            }
        })
        .collect()
}

/// True and false positives and negatives.
#[derive(Default, Clone, Copy)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Tally {
    fn add(&mut self, blame: bool, found: bool) {
        match (blame, found) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
}

/// The figures of one part of the set, whole and by family and by section.
#[derive(Default)]
struct Measure {
    all: Tally,
    families: std::collections::BTreeMap<String, Tally>,
    sections: std::collections::BTreeMap<String, Tally>,
}

impl Measure {
    fn add(&mut self, s: &Labelled, found: bool) {
        self.all.add(s.blame, found);
        self.families
            .entry(s.family.clone())
            .or_default()
            .add(s.blame, found);
        self.sections
            .entry(s.section.clone())
            .or_default()
            .add(s.blame, found);
    }

    fn print(&self, name: &str) {
        let t = self.all;
        println!(
            "\n{name}: {} blame, {} ok; precision {:.3}, recall {:.3} (tp {}, fp {}, fn {}, tn {})",
            t.tp + t.fn_,
            t.fp + t.tn,
            t.precision(),
            t.recall(),
            t.tp,
            t.fp,
            t.fn_,
            t.tn
        );
        println!("  by family (blame: caught of n; ok: false alarms of n)");
        for (family, t) in &self.families {
            if t.tp + t.fn_ > 0 {
                println!(
                    "    {family:<22} blame  caught {:>3} of {:>3}",
                    t.tp,
                    t.tp + t.fn_
                );
            } else {
                println!(
                    "    {family:<22} ok     alarms {:>3} of {:>3}",
                    t.fp,
                    t.fp + t.tn
                );
            }
        }
        println!("  by section");
        for (section, t) in &self.sections {
            println!(
                "    {section:<26} precision {:.3} recall {:.3} (tp {}, fp {}, fn {})",
                t.precision(),
                t.recall(),
                t.tp,
                t.fp,
                t.fn_
            );
        }
    }
}

/// The split was made once, before tuning, from ids and families alone: within each
/// family, in id order, every third sentence is held out. Moving a sentence from one
/// part to the other fails here.
#[test]
fn the_evaluation_split_is_the_one_made_before_tuning() {
    let set = eval_set();
    assert_eq!(set.len(), 1200);
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    let mut ids = std::collections::HashSet::new();
    for s in &set {
        assert!(ids.insert(s.id.as_str()), "{} twice", s.id);
        let n = seen.entry(s.family.as_str()).or_default();
        assert_eq!(s.heldout, *n % 3 == 2, "{}: split", s.id);
        *n += 1;
    }
    let heldout = set.iter().filter(|s| s.heldout).count();
    assert_eq!((set.len() - heldout, heldout), (807, 393));
}

/// Precision and recall on the independent set, with no names configured and no
/// authors: people are recognised from the sentences alone. Fails when the figures
/// fall below those reached (on the whole set and on the held-out third); prints the
/// breakdown by family and by section (`-- --nocapture`), and the tuning part's
/// misses and false alarms, never the held-out part's.
#[test]
fn lint_holds_on_sentences_written_apart_from_it() {
    const WHOLE: (f64, f64) = (0.99, 0.94);
    const HELD_OUT: (f64, f64) = (0.98, 0.83);
    let set = eval_set();
    let (mut whole, mut tune, mut heldout) =
        (Measure::default(), Measure::default(), Measure::default());
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    for s in &set {
        let found = findings_with(&s.section, &s.text, &[]);
        let caught = !found.is_empty();
        whole.add(s, caught);
        if s.heldout {
            heldout.add(s, caught);
            continue;
        }
        tune.add(s, caught);
        if s.blame && !caught {
            misses.push(format!(
                "  {} [{}/{}] {}",
                s.id, s.section, s.family, s.text
            ));
        } else if !s.blame && caught {
            let codes: Vec<_> = found.iter().map(|c| c.as_str()).collect();
            false_alarms.push(format!(
                "  {} [{}/{}] {}  ({})",
                s.id,
                s.section,
                s.family,
                s.text,
                codes.join(", ")
            ));
        }
    }
    whole.print("whole set");
    tune.print("tuning part");
    heldout.print("held-out part");
    println!(
        "\ntuning part, missed ({}):\n{}",
        misses.len(),
        misses.join("\n")
    );
    println!(
        "tuning part, false alarms ({}):\n{}",
        false_alarms.len(),
        false_alarms.join("\n")
    );
    for (name, m, (p, r)) in [
        ("whole set", &whole, WHOLE),
        ("held-out part", &heldout, HELD_OUT),
    ] {
        assert!(
            m.all.precision() >= p,
            "{name}: precision {:.3} < {p}",
            m.all.precision()
        );
        assert!(
            m.all.recall() >= r,
            "{name}: recall {:.3} < {r}",
            m.all.recall()
        );
    }
}

/// The sentences written for tuning after the split (tuning-extra.jsonl): they show
/// what a change gains and loses on writing the independent set does not hold, and
/// count for neither of its figures. Fails below the figures reached.
#[test]
fn lint_holds_on_the_extra_tuning_sentences() {
    let mut m = Measure::default();
    // Batch 5 was written by a writer who never read the rules: its figures are
    // printed apart as well.
    let mut independent = Measure::default();
    for s in tuning_extra() {
        let found = !findings_with(&s.section, &s.text, &[]).is_empty();
        m.add(&s, found);
        if s.batch == "5" {
            independent.add(&s, found);
        }
        if s.blame != found {
            println!("  {} [{}/{}] {}", s.id, s.section, s.family, s.text);
        }
    }
    m.print("tuning extra");
    independent.print("tuning extra, batch 5 (written independently)");
    assert!(
        m.all.precision() >= 1.0,
        "precision {:.3}",
        m.all.precision()
    );
    assert!(m.all.recall() >= 0.88, "recall {:.3}", m.all.recall());
    let t = independent.all;
    assert!(
        t.precision() >= 1.0 && t.recall() >= 0.85,
        "batch 5: precision {:.3}, recall {:.3}",
        t.precision(),
        t.recall()
    );
}
