//! Property tests: whatever the input, parsing returns a value or diagnostics and never
//! panics; diagnostics always point inside the file.

use std::path::Path;

use incidentbook::parse::{ParseOptions, parse_incident};
use proptest::prelude::*;

/// Parses, as each edition does with the leak check on, then runs the language lint
/// on what parsed: nothing may panic, and every diagnostic and leak finding must point
/// inside the file.
fn parse(text: &str) -> (bool, Vec<incidentbook::diagnostics::Diagnostic>) {
    static LEAKS: std::sync::LazyLock<std::sync::Arc<incidentbook::leaks::Scanner>> =
        std::sync::LazyLock::new(|| {
            let mut config = incidentbook::config::LeaksConfig::default();
            config.internal_hosts.push("*.corp.example.com".to_owned());
            config.roster_names = vec!["Mike Roe".to_owned(), "Zoë".to_owned()];
            std::sync::Arc::new(incidentbook::leaks::Scanner::new(&config))
        });
    let mut all = Vec::new();
    let mut parsed = false;
    for public in [false, true] {
        let options = ParseOptions {
            leaks: Some(LEAKS.clone()),
            public,
            ..ParseOptions::default()
        };
        let (incident, diags) = parse_incident(
            text,
            Path::new("content/2024/x.md"),
            Path::new("2024/x.md"),
            &options,
        );
        all.extend(diags);
        if let Some(incident) = &incident {
            all.extend(incidentbook::check::language::check(
                incident,
                &["Mike".to_owned()],
            ));
            for leak in &incident.leaks {
                assert!(leak.span.start <= leak.span.end && leak.span.end <= text.len());
                // A value longer than the part a mask shows is never repeated whole.
                let value = &text[leak.span.start..leak.span.end];
                assert!(value.chars().count() <= 4 || !leak.masked.contains(value));
            }
            parsed = true;
        }
    }
    (parsed, all)
}

fn assert_spans_inside(text: &str, diags: &[incidentbook::diagnostics::Diagnostic]) {
    let lines = text.split('\n').count().max(1);
    for d in diags {
        assert!(
            d.span.line >= 1 && d.span.line <= lines,
            "{d:?} outside {lines} lines"
        );
        assert!(
            d.span.end <= text.len() && d.span.start <= d.span.end,
            "{d:?}"
        );
    }
}

/// Fragments that make up post-mortems, recombined at random.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_owned()),
        Just("+++\n".to_owned()),
        Just("title: A\n".to_owned()),
        Just("date: 2024-03-12\n".to_owned()),
        Just("date: [\n".to_owned()),
        Just("services: api\n".to_owned()),
        Just("started: nope\n".to_owned()),
        Just("action_items:\n  - id: AI-1\n    due: soon\n".to_owned()),
        Just("contributing_factors: [{note: x}]\n".to_owned()),
        Just("## Timeline\n".to_owned()),
        Just("- **14:05** Alert fired\n".to_owned()),
        Just("# Title\n".to_owned()),
        Just("[x](../a.md#b) ![i](p.png)\n".to_owned()),
        Just("<script>x</script>\n".to_owned()),
        Just("```\ncode\n".to_owned()),
        Just("## Action Items\n".to_owned()),
        Just("Mike forgot “the quoted ‘thing’” and “unclosed…\n".to_owned()),
        Just("Why did you? Who approved it?! The root cause: human error.\n".to_owned()),
        Just("> Quoted Mike failed to.\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("```internal\n".to_owned()),
        Just("### Calls {#c .internal}\n".to_owned()),
        Just("~~~ internal\nZoë at 10.1.2.3, a@b.co, +44 20 7946 0958\n".to_owned()),
        Just("db.corp.example.com::1 2a01:4f8::1: eyJa.eyJb.c AKIA".to_owned()),
        Just("postgres://u:p@h token=Ab1Cd2Ef3Gh4Ij5Kl6 Bearer ".to_owned()),
        "[ -~]{0,20}\n",
        "\\PC{0,10}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_text_parses_or_gives_diagnostics(text in "\\PC{0,300}") {
        let (_, diags) = parse(&text);
        assert_spans_inside(&text, &diags);
    }

    #[test]
    fn recombined_post_mortems_never_panic(parts in prop::collection::vec(fragment(), 0..30)) {
        let text: String = parts.concat();
        let (_, diags) = parse(&text);
        assert_spans_inside(&text, &diags);
    }
}

#[test]
fn deeply_nested_front_matter_is_a_diagnostic_not_a_crash() {
    let depth = 5_000;
    let text = format!(
        "---\ntitle: {}{}\n---\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let (_, diags) = parse(&text);
    assert_spans_inside(&text, &diags);
}

#[test]
fn a_large_file_parses() {
    let mut text = String::from(
        "---\ntitle: Big\ndate: 2024-01-01\nseverity: SEV4\nstatus: draft\nservices: [x]\n---\n\n## Timeline\n\n",
    );
    while text.len() < 8_000_000 {
        text.push_str("- **10:00** Something happened, and the on-call looked at the dashboard.\n");
    }
    let (ok, diags) = parse(&text);
    assert!(ok);
    assert!(diags.is_empty(), "{diags:?}");
}
