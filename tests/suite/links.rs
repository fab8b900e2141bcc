//! Cross-links: factor, action-item and taxonomy pages, related incidents, backlinks,
//! wiki links, and the learning-loop checks.

use crate::common;

use common::Book;
use serde_json::Value;

fn diagnostics(book: &Book) -> Vec<Value> {
    let out = book.cmd(&["check", "--format", "json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (file name, line, code) of every diagnostic.
fn findings(diags: &[Value]) -> Vec<(String, u64, String)> {
    diags
        .iter()
        .map(|d| {
            let file = d["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned();
            (
                file,
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn each_learning_loop_and_reference_check_fires_on_its_fixture() {
    let book = Book::from_fixture("learning-loop");
    let got = findings(&diagnostics(&book));
    let expected = [
        ("2024-04-01-aimless-item.md", 8, "IB0602"),
        ("2024-04-02-overdue-item.md", 8, "IB0603"),
        ("2024-04-03-final-without-items.md", 5, "IB0604"),
        ("2024-04-04-typo-factor.md", 7, "IB0402"),
        ("2024-04-05-duplicate-item.md", 8, "IB0403"),
        ("2024-04-06-wiki-links.md", 10, "IB0404"),
        ("flaky-deploys.md", 1, "IB0601"),
        ("odd-category.md", 3, "IB0405"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(f, l, c)| (f.to_string(), *l, c.to_string()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn suggestions_name_the_closest_id() {
    let book = Book::from_fixture("learning-loop");
    let diags = diagnostics(&book);
    let help = |code: &str| {
        diags.iter().find(|d| d["code"] == code).unwrap()["help"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(help("IB0402").contains("did you mean `untested-migrations`?"));
    assert!(help("IB0404").contains("did you mean `[[untested-migrations]]`?"));
}

#[test]
fn learning_loop_checks_are_quiet_on_the_example_content() {
    let book = Book::example();
    assert_eq!(diagnostics(&book), Vec::<Value>::new());
}

#[test]
fn learning_loop_levels_are_configurable() {
    let book = Book::from_fixture("learning-loop");
    let config = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
    book.write("book.toml", &format!("{config}\n[validation]\nrecurrence-threshold = 4\n\n[validation.levels]\nIB0603 = \"allow\"\n"));
    let codes: Vec<String> = findings(&diagnostics(&book))
        .into_iter()
        .map(|f| f.2)
        .collect();
    assert!(!codes.contains(&"IB0601".to_owned()), "{codes:?}");
    assert!(!codes.contains(&"IB0603".to_owned()), "{codes:?}");
    assert!(codes.contains(&"IB0602".to_owned()));
}

#[test]
fn factor_pages_show_incidents_actions_and_recurrence() {
    let site = Book::example().build();
    let page = site.page("factors/untested-migrations.html");
    assert!(page.contains(
        "<h1 id=\"factor-title\">Schema migrations not tested against production-sized data</h1>"
    ));
    // Both incidents, oldest first, on a time line.
    let list = &page[page.find("id=\"incidents-title\"").unwrap()..];
    let first = list
        .find("Orders database locked during a schema migration")
        .unwrap();
    let second = list
        .find("Orders table locked again by an index migration")
        .unwrap();
    assert!(first < second, "incidents are not oldest first");
    assert!(page.contains("<dt>Incidents</dt><dd>2</dd>"));
    assert!(page.contains("<dt>First seen</dt><dd>2023-02-14</dd>"));
    assert!(page.contains("<dt>Last seen</dt><dd>2024-03-12</dd>"));
    // Its action items with their status, and the recurrence after they were done.
    assert!(page.contains("AI-2023-001") && page.contains("AI-2024-004"));
    assert!(page.contains("Still recurring after its action items were done"));
    // A factor that did not recur after its fixes says nothing of the kind.
    let quiet = site.page("factors/queue-consumers-fixed.html");
    assert!(!quiet.contains("Still recurring"));
}

#[test]
fn factor_index_is_grouped_by_category_and_sorted_by_recurrence() {
    let site = Book::example().build();
    let page = site.page("factors/index.html");
    assert!(page.contains(r#"<h2 id="cat-monitoring">Monitoring</h2>"#));
    let section = &page[page.find("cat-monitoring").unwrap()..];
    let section = &section[..section.find("</table>").unwrap()];
    // no-symptom-alerting (7 incidents) comes before missing-expiry-alerts (2).
    assert!(
        section.find("Alerts watch causes").unwrap()
            < section.find("No alerting on certificate").unwrap()
    );
}

#[test]
fn action_board_shows_statuses_overdue_and_groups() {
    let book = Book::example();
    // Judged a year later, open items become overdue.
    let out = book
        .cmd(&["build"])
        .env("INCIDENTBOOK_BUILD__AS_OF", "2026-06-01")
        .output()
        .unwrap();
    assert!(out.status.success());
    let page = book.site().page("actions/index.html");
    let count = |anchor: &str| -> usize {
        let at = page.find(&format!("<h2 id=\"{anchor}\">")).unwrap();
        let rest = &page[at..];
        let open = rest.find("(").unwrap();
        rest[open + 1..rest.find(")").unwrap()].parse().unwrap()
    };
    assert!(count("overdue") > 0);
    assert!(count("done") > 0);
    assert_eq!(count("wont-do"), 1);
    assert!(page.contains(r#"<a href="../actions/platform-team.html">platform-team</a></td>"#));
    assert!(page.contains(r#"<h2 id="by-factor">"#));
    let team = book.site().page("actions/platform-team.html");
    assert!(team.contains("<h1>Action items of platform-team</h1>"));
    // Each item links to its post-mortem and its tracker.
    assert!(page.contains(
        r#"href="../incidents/2024-03-12-orders-migration-lock.html#action-ai-2024-004""#
    ));
    assert!(page.contains("https://tracker.example.com/PLAT-123"));
    // As of the example's own date nothing is overdue.
    let site = book.build();
    let page = site.page("actions/index.html");
    assert!(
        page.contains("<h2 id=\"overdue\">to do, overdue <span class=\"count\">(0)</span></h2>")
    );
}

#[test]
fn taxonomy_pages_exist_with_counts() {
    let site = Book::example().build();
    for index in [
        "services",
        "teams",
        "severities",
        "statuses",
        "tags",
        "years",
    ] {
        assert!(site.exists(&format!("{index}/index.html")), "{index}");
    }
    let services = site.page("services/index.html");
    assert!(
        services.contains(
            r#"<a href="../services/checkout.html">checkout</a> <span class="count">4</span>"#
        ),
        "checkout count"
    );
    let checkout = site.page("services/checkout.html");
    assert!(checkout.contains("<h1>Service checkout</h1>"));
    assert!(checkout.contains("4 post-mortems, newest first."));
    assert!(
        site.page("years/index.html")
            .contains(r#"<a href="../years/2024.html">2024</a> <span class="count">7</span>"#)
    );
}

#[test]
fn post_mortem_pages_link_factors_actions_related_and_backlinks() {
    let site = Book::example().build();
    let page = site.page("incidents/2024-03-12-orders-migration-lock.html");
    assert!(page.contains(r#"<a href="../factors/untested-migrations.html">Schema migrations not tested against production-sized data</a>"#));
    assert!(page.contains(r#"<tr id="action-ai-2024-004">"#));
    // Related, with the reason.
    let related = &page[page.find("id=\"related-incidents\"").unwrap()..];
    assert!(related.contains("Orders database locked during a schema migration"));
    let reason = &related[related.find("class=\"reason\">").unwrap() + 15..];
    let reason = &reason[..reason.find('<').unwrap()];
    // The most specific shared thing first, with how many post-mortems have it.
    assert_eq!(
        reason,
        "factor: Schema migrations not tested against production-sized data (2 of 17 post-mortems); \
         also services: checkout, orders-api; 1 more factor; 4 shared words"
    );
    // A wiki link written as [[id]] shows the target's title.
    assert!(page.contains(r#"<a href="../factors/untested-migrations.html">Schema migrations not tested against production-sized data</a> recurred"#));
    // Backlinks: the 2023 incident is linked from this one.
    let older = site.page("incidents/2023-02-14-orders-migration-lock.html");
    let backlinks = &older[older.find("id=\"backlinks\"").unwrap()..];
    assert!(backlinks.contains("Orders table locked again by an index migration"));
    // A factor page shows prose links to it.
    let factor = site.page("factors/unbounded-retries.html");
    assert!(factor[factor.find("id=\"backlinks\"").unwrap()..].contains("Inventory retry storm"));
}

#[test]
fn every_link_between_the_cross_link_pages_resolves() {
    let site = Book::example().build();
    assert!(site.exists("factors/index.html") && site.exists("actions/index.html"));
    assert_eq!(site.broken_links(), Vec::<String>::new());
}

#[test]
fn related_incidents_on_a_1000_book_are_not_dominated_by_a_factor_most_share() {
    let book = Book::corpus(1000, "[book]\ntitle = \"Related\"\n");
    // A factor in 45% of the archive: added to 9 post-mortems in 20.
    let files = book.post_mortem_files();
    assert_eq!(files.len(), 1000);
    let n_generated = files.len();
    for (k, path) in files.iter().enumerate() {
        if k % 20 < 9 {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(
                text.contains("\ncontributing_factors: ["),
                "{}",
                path.display()
            );
            let text = text.replace(
                "\ncontributing_factors: [",
                "\ncontributing_factors: [legacy-monolith, ",
            );
            std::fs::write(path, text).unwrap();
        }
    }
    // And a post-mortem that shares the common factor with hundreds of others near it
    // in time, and a rare factor with two others years away: the rare link is the one
    // worth showing.
    for (slug, date, factors, service) in [
        (
            "2023-06-15-victim",
            "2023-06-15",
            "[legacy-monolith, rare-x]",
            "v-only",
        ),
        ("2019-04-01-rare-one", "2019-04-01", "[rare-x]", "w1-only"),
        ("2025-10-30-rare-two", "2025-10-30", "[rare-x]", "w2-only"),
    ] {
        let text = common::post_mortem(slug, date, &format!("contributing_factors: {factors}\n"))
            .replace("services: [x]", &format!("services: [{service}]"));
        book.write(&format!("content/extra/{slug}.md"), &text);
    }
    let site =
        incidentbook::site::Site::load(book.root(), incidentbook::site::Purpose::Check, &|_| {})
            .unwrap();
    let kb = site.knowledge_base(&|_| {});
    let incidents = &site.book.incidents;
    let n = incidents.len();
    // What each post-mortem has, and how many post-mortems have each thing.
    let things: Vec<std::collections::BTreeSet<String>> = incidents
        .iter()
        .map(|x| {
            x.factors
                .iter()
                .map(|f| format!("factor:{}", f.id))
                .chain(x.services.iter().map(|s| format!("service:{s}")))
                .collect()
        })
        .collect();
    let mut holders: std::collections::HashMap<&str, usize> = Default::default();
    for t in things.iter().flatten() {
        *holders.entry(t.as_str()).or_default() += 1;
    }
    assert_eq!(holders["factor:legacy-monolith"], 451);
    let victim = incidents
        .iter()
        .position(|x| x.slug == "2023-06-15-victim")
        .unwrap();
    let shown: Vec<&str> = kb.related()[victim]
        .iter()
        .map(|r| incidents[r.incident].slug.as_str())
        .collect();
    assert_eq!(
        shown[..2],
        ["2025-10-30-rare-two", "2019-04-01-rare-one"],
        "{shown:?}"
    );
    let reason = &kb.related()[victim][0].shared;
    assert_eq!(
        (reason[0].name.as_str(), reason[0].incidents),
        ("rare-x", 3)
    );
    let common = |t: &str| holders[t] * 5 > n;
    let specific_link = |i: usize, j: usize| things[i].intersection(&things[j]).any(|t| !common(t));
    // The words of each title and summary, and how many post-mortems have each.
    let words: Vec<std::collections::BTreeSet<String>> = incidents
        .iter()
        .map(|x| {
            incidentbook::similar::words(&x.title)
                .chain(
                    x.summary
                        .iter()
                        .flat_map(|s| incidentbook::similar::words(s)),
                )
                .collect()
        })
        .collect();
    let mut word_holders: std::collections::HashMap<&str, usize> = Default::default();
    for w in words.iter().flatten() {
        *word_holders.entry(w.as_str()).or_default() += 1;
    }
    use incidentbook::link::SharedKind;
    // Each reason given is true: both have it, and as many post-mortems as it says.
    let true_reason = |i: usize, j: usize, s: &incidentbook::link::Shared| -> bool {
        match s.kind {
            SharedKind::Word => {
                words[i].contains(&s.name)
                    && words[j].contains(&s.name)
                    && word_holders[s.name.as_str()] == s.incidents
            }
            SharedKind::Factor | SharedKind::Service => {
                let key = incidents
                    .iter()
                    .zip(&things)
                    .find_map(|(_, t)| {
                        t.iter().find(|t| {
                            t.strip_prefix(if s.kind == SharedKind::Factor {
                                "factor:"
                            } else {
                                "service:"
                            })
                            .is_some_and(|id| {
                                id == s.name
                                    || (s.kind == SharedKind::Factor
                                        && kb
                                            .factors
                                            .iter()
                                            .any(|f| f.id == id && f.title() == s.name))
                            })
                        })
                    })
                    .cloned();
                key.is_some_and(|k| {
                    things[i].contains(&k)
                        && things[j].contains(&k)
                        && holders[k.as_str()] == s.incidents
                })
            }
        }
    };

    let mut checked = 0;
    let mut failures = Vec::new();
    for i in 0..n {
        let related = &kb.related()[i];
        let with_specific = (0..n).filter(|&j| j != i && specific_link(i, j)).count();
        if with_specific == 0 || !things[i].contains("factor:legacy-monolith") {
            continue;
        }
        checked += 1;
        // Every one shown shares something specific (a factor or service held by at
        // most a fifth of the archive, or a word of its title or summary, which is
        // evidence only when as rare), up to the number that can: none is there for the
        // common factor alone.
        let specific: Vec<bool> = related
            .iter()
            .map(|r| r.shared.iter().any(|s| s.incidents * 5 <= n))
            .collect();
        let want = with_specific.min(5);
        if specific.iter().take(want).any(|s| !s) || specific.len() < want {
            failures.push(format!(
                "{}: {specific:?}, {with_specific} with a specific link",
                incidents[i].slug
            ));
        }
        for r in related {
            // The reasons are true, the most specific first.
            for s in &r.shared {
                assert!(
                    true_reason(i, r.incident, s),
                    "{}: {s:?}",
                    incidents[i].slug
                );
            }
            assert!(
                r.shared
                    .windows(2)
                    .all(|w| w[0].incidents <= w[1].incidents)
            );
            if let Some(rarest) = things[i]
                .intersection(&things[r.incident])
                .map(|t| holders[t.as_str()])
                .min()
            {
                assert!(r.shared[0].incidents <= rarest, "{}", incidents[i].slug);
            }
        }
    }
    assert!(checked > 400 && n == n_generated + 3, "{checked}");
    assert!(
        failures.is_empty(),
        "{} of {checked}: {failures:#?}",
        failures.len()
    );
}

#[test]
fn the_recurring_after_fixes_badge_needs_evidence_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let book = Book {
        dir: std::sync::Arc::new(dir),
    };
    book.write(
        "book.toml",
        "[book]\ntitle = \"Recurrence\"\n\n[build]\nas-of = 2024-12-31\n",
    );
    // Per factor, the first post-mortem's done item (its dates), then a recurrence.
    for (factor, dates) in [
        ("by-closed", "    due: 2024-02-01\n    closed: 2024-01-20\n"),
        ("by-due", "    due: 2024-02-01\n"),
        ("no-dates", ""),
    ] {
        book.write(
            &format!("content/factors/{factor}.md"),
            &format!("---\ntitle: Factor {factor}\ncategory: testing\n---\n\nA condition.\n"),
        );
        let first = format!(
            "contributing_factors: [{factor}]\naction_items:\n  - id: AI-{factor}\n    title: Fix {factor}\n    owner: core\n{dates}    status: done\n    addresses: [{factor}]\n"
        );
        book.write(
            &format!("content/2024-01-10-{factor}.md"),
            &common::post_mortem(&format!("First {factor}"), "2024-01-10", &first),
        );
        book.write(
            &format!("content/2024-06-01-{factor}.md"),
            &common::post_mortem(
                &format!("Again {factor}"),
                "2024-06-01",
                &format!("contributing_factors: [{factor}]\n"),
            ),
        );
    }
    let site = book.build();
    let index = site.page("factors/index.html");
    let row = |factor: &str| -> String {
        let at = index.find(&format!("factors/{factor}.html")).unwrap();
        index[at..at + index[at..].find("</tr>").unwrap()].to_owned()
    };
    assert!(
        row("by-closed").contains(">recurring after fixes</span>"),
        "{}",
        row("by-closed")
    );
    assert!(
        row("by-due").contains(">recurred after fixes were due</span>"),
        "{}",
        row("by-due")
    );
    assert!(!row("no-dates").contains("recur"), "{}", row("no-dates"));
    let due = site.page("factors/by-due.html");
    assert!(
        due.contains(
            "after its items were due by 2024-02-01: no <code>closed</code> date recorded"
        ),
        "{due}"
    );
    let closed = site.page("factors/by-closed.html");
    assert!(
        closed.contains("after its items were closed by 2024-01-20"),
        "{closed}"
    );
    assert!(
        !site
            .page("factors/no-dates.html")
            .contains("Still recurring")
    );
}
