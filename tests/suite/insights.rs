//! Insights on a fixture with known numbers (the series, not pixels), and the
//! machine-readable outputs: the Atom feed, the sitemap and api/incidents.json
//! validated against its published JSON Schema.

use crate::common;

use common::{Book, fixture_dir};
use incidentbook::insights::{self, Stat};
use incidentbook::site::{Purpose, Site};

fn fixture_insights(keep: &dyn Fn(&incidentbook::model::Incident) -> bool) -> insights::Insights {
    let site = Site::load(&fixture_dir("insights"), Purpose::Check, &|_| {}).unwrap();
    let kb = site.knowledge_base(&|_| {});
    let incidents = &site.book.incidents;
    insights::compute(&kb, &site.config, &|i| keep(&incidents[i]))
}

#[test]
fn incidents_per_period_by_severity_with_change() {
    let i = fixture_insights(&|_| true);
    assert_eq!(i.period, "month");
    assert_eq!(i.severities, ["SEV1", "SEV2", "SEV3"]);
    let series: Vec<(&str, Vec<usize>, usize)> = i
        .series
        .iter()
        .map(|p| (p.label.as_str(), p.by_severity.clone(), p.total))
        .collect();
    assert_eq!(
        series,
        vec![
            ("2024-01", vec![1, 1, 0], 2),
            ("2024-02", vec![0, 0, 0], 0),
            ("2024-03", vec![0, 1, 0], 1),
            ("2024-04", vec![0, 0, 1], 1),
        ]
    );
    // Last two months (2) against the two before (2).
    assert_eq!(
        (i.change.recent, i.change.before, i.change.percent),
        (2, 2, Some(0.0))
    );
    let (a, b) = i.trend.unwrap();
    assert!(a > b, "the trend falls: {a} -> {b}");
}

#[test]
fn detection_and_recovery_times_per_severity() {
    let i = fixture_insights(&|_| true);
    let row = |s: &str| {
        i.durations_by_severity
            .iter()
            .find(|r| r.label == s)
            .unwrap()
            .clone()
    };
    assert_eq!(
        row("SEV1").detect,
        Stat {
            count: 1,
            median: Some(10.0),
            p90: Some(10.0)
        }
    );
    assert_eq!(row("SEV1").resolve.median, Some(60.0));
    // SEV2: detect 20 and 30 minutes, resolve 120 and 90.
    assert_eq!(
        row("SEV2").detect,
        Stat {
            count: 2,
            median: Some(25.0),
            p90: Some(29.0)
        }
    );
    assert_eq!(
        row("SEV2").resolve,
        Stat {
            count: 2,
            median: Some(105.0),
            p90: Some(117.0)
        }
    );
    // SEV3 has no timestamps.
    assert_eq!(row("SEV3").resolve.count, 0);
    let jan = i
        .durations_by_period
        .iter()
        .find(|r| r.label == "2024-01")
        .unwrap();
    assert_eq!(jan.mitigate.median, Some(45.0));
}

#[test]
fn factors_follow_through_and_services() {
    let i = fixture_insights(&|_| true);
    let factors: Vec<(&str, usize, Vec<usize>)> = i
        .top_factors
        .iter()
        .map(|f| (f.id.as_str(), f.incidents, f.by_year.clone()))
        .collect();
    assert_eq!(factors, vec![("f1", 3, vec![3]), ("f2", 2, vec![2])]);
    let teams: Vec<(&str, usize, usize, usize, Option<f64>)> = i
        .follow_through
        .iter()
        .map(|t| {
            (
                t.team.as_str(),
                t.open,
                t.overdue,
                t.done,
                t.median_days_to_close,
            )
        })
        .collect();
    assert_eq!(
        teams,
        vec![("core", 1, 0, 2, Some(10.0)), ("web-team", 1, 1, 0, None)]
    );
    let services: Vec<(&str, usize, i64)> = i
        .services
        .iter()
        .map(|s| (s.service.as_str(), s.incidents, s.impact_minutes))
        .collect();
    assert_eq!(services, vec![("web", 3, 210), ("api", 2, 180)]);
}

#[test]
fn per_service_insights_count_only_that_service() {
    let i = fixture_insights(&|x| x.services.iter().any(|s| s == "api"));
    assert_eq!(i.incidents, 2);
    assert_eq!(i.series.iter().map(|p| p.total).sum::<usize>(), 2);
    assert_eq!(
        i.follow_through
            .iter()
            .map(|t| t.done + t.open)
            .sum::<usize>(),
        2
    );
}

#[test]
fn insights_pages_render_accessible_svg_with_tables() {
    let site = Book::from_fixture("insights").build();
    let page = site.page("insights/index.html");
    assert!(page.contains(r#"<svg class="chart""#));
    assert!(page.contains(r#"role="img" aria-labelledby="incidents-t incidents-d""#));
    assert!(page.contains("<title id=\"incidents-t\">Incidents per month by severity</title>"));
    assert!(page.contains("±0% in the last 2 months against the 2 before"));
    assert!(page.contains("<caption>Incidents per month</caption>"));
    assert!(site.exists("insights/services/web.html"));
    assert!(site.exists("insights/teams/core.html"));
    assert!(
        site.page("insights/services/api.html")
            .contains("2 post-mortems of service api")
    );
    assert_eq!(site.broken_links(), Vec::<String>::new());
}

#[test]
fn feed_is_valid_atom_with_absolute_links() {
    let site = Book::from_fixture("insights").build();
    let feed: atom_syndication::Feed = site.page("feed.xml").parse().expect("valid Atom");
    assert_eq!(feed.title().as_str(), "Insights fixture");
    assert_eq!(feed.entries().len(), 4);
    let newest = &feed.entries()[0];
    assert_eq!(newest.title().as_str(), "Incident d");
    assert_eq!(
        newest.links()[0].href(),
        "https://pm.example.org/incidents/2024-04-01-d.html"
    );
    assert_eq!(newest.updated().to_rfc3339(), "2024-04-01T00:00:00+00:00");
}

#[test]
fn sitemap_lists_every_page() {
    let site = Book::from_fixture("insights").build();
    let sitemap = site.page("sitemap.xml");
    let pages = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
        .count();
    assert_eq!(
        sitemap.matches("<loc>https://pm.example.org/").count(),
        pages
    );
    assert!(sitemap.contains("<loc>https://pm.example.org/insights/index.html</loc>"));
}

#[test]
fn json_export_validates_against_its_schema() {
    let site = Book::example().build();
    let schema: serde_json::Value =
        serde_json::from_str(&site.page("api/incidents.schema.json")).unwrap();
    let data: serde_json::Value = serde_json::from_str(&site.page("api/incidents.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let incidents = data["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 17);
    let lock = incidents
        .iter()
        .find(|i| i["slug"] == "2024-03-12-orders-migration-lock")
        .unwrap();
    assert_eq!(
        (
            lock["minutes_to_detect"].as_i64(),
            lock["minutes_to_resolve"].as_i64()
        ),
        (Some(3), Some(65))
    );
    assert_eq!(lock["action_items"][0]["status"], "done");
    // A document that breaks the schema is caught: the test can fail.
    let mut broken = data.clone();
    broken["incidents"][0]["action_items"] = serde_json::json!([{"id": "X", "title": "t", "status": "maybe", "overdue": false, "addresses": []}]);
    assert!(!validator.is_valid(&broken));
}
