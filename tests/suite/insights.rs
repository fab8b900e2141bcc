//! Insights on a fixture with known numbers (the series, not pixels), and the
//! machine-readable outputs: the Atom feed, the sitemap and api/incidents.json
//! validated against its published JSON Schema.

use crate::common;

use common::{Book, fixture_dir};
use incidentbook::insights::{self, Verdict};
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
    // The archive ends at `as-of` (2024-04-30); January is only partly in it (from the
    // 10th), so three whole months remain: too few for a trend.
    let span = i.span.unwrap();
    assert_eq!(
        (span.first.to_string(), span.end.to_string()),
        ("2024-01-10".into(), "2024-04-30".into())
    );
    assert_eq!(i.whole, [false, true, true, true]);
    assert_eq!(i.trend, None);
    // The last two months (2) against the 51 days before them, back to the first day
    // (2): the same rate, nothing to tell.
    let c = &i.change.as_ref().unwrap().comparison;
    assert_eq!(
        (
            c.recent,
            c.before,
            c.before_days,
            c.before_cut,
            c.verdict,
            c.percent
        ),
        (2, 2, 51, true, Verdict::NotEnough, None)
    );
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
    // Every value is kept; a percentile only where the sample bounds it, which two
    // incidents do not.
    let sev1 = row("SEV1").detect;
    assert_eq!((sev1.count, sev1.values.clone()), (1, vec![10]));
    assert_eq!(
        (sev1.min, sev1.max, sev1.median, sev1.p90),
        (Some(10), Some(10), None, None)
    );
    // SEV2: detect 20 and 30 minutes, resolve 120 and 90.
    assert_eq!(row("SEV2").detect.values, [20, 30]);
    let resolve = row("SEV2").resolve;
    assert_eq!(
        (resolve.count, resolve.min, resolve.max, resolve.median),
        (2, Some(90), Some(120), None)
    );
    // SEV3 has no timestamps.
    assert_eq!(row("SEV3").resolve.count, 0);
    let jan = i
        .durations_by_period
        .iter()
        .find(|r| r.label == "2024-01")
        .unwrap();
    assert_eq!(jan.mitigate.values, [40, 50]);
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
    /// Team, to do, overdue, done, median days to close, why it is blank.
    type Row<'a> = (&'a str, usize, usize, usize, Option<f64>, Option<&'a str>);
    let teams: Vec<Row> = i
        .follow_through
        .iter()
        .map(|t| {
            (
                t.team.as_str(),
                t.counts.to_do,
                t.counts.overdue,
                t.counts.done,
                t.median_days_to_close,
                t.blank_because,
            )
        })
        .collect();
    assert_eq!(
        teams,
        vec![
            ("core", 1, 0, 2, Some(10.0), None),
            (
                "web-team",
                1,
                1,
                0,
                None,
                Some("no `closed` dates recorded")
            )
        ]
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
            .map(|t| t.counts.done + t.counts.to_do)
            .sum::<usize>(),
        2
    );
}

#[test]
fn insights_pages_render_accessible_svg_with_tables() {
    let site = Book::from_fixture("insights").build();
    let page = site.page("insights/index.html");
    assert!(page.contains(r#"<svg class="chart chart-cols""#));
    // On a phone, the same columns drawn narrower, named by the same title.
    assert!(page.contains(r#"<svg class="chart chart-cols-compact""#));
    assert!(page.contains(r#"role="img" aria-labelledby="incidents-t incidents-d""#));
    assert!(
        page.contains("<title id=\"incidents-t\">Incidents per month by severity (n = 4)</title>")
    );
    assert!(
        page.contains("Archive ends 2024-04-30 ([build] as-of in book.toml)"),
        "{page}"
    );
    assert!(page.contains("Not enough incidents to tell a change: 2 incidents in the 2 months to 2024-04-30, against 2 in the 51 days before"));
    assert!(page.contains("(n = 4)"));
    assert!(page.contains("<caption>Incidents per month (n = 4)</caption>"));
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

/// A book of post-mortems on the given dates (one file each, SEV3, service `x`), with
/// `config` added to its book.toml; the truth of its counts is known by construction.
fn dated_book(dates: &[chrono::NaiveDate], config: &str) -> Book {
    let dir = tempfile::tempdir().unwrap();
    let book = Book {
        dir: std::sync::Arc::new(dir),
    };
    book.write(
        "book.toml",
        &format!("[book]\ntitle = \"Known counts\"\n{config}"),
    );
    for (k, date) in dates.iter().enumerate() {
        book.write(
            &format!("content/{date}-n{k:04}.md"),
            &common::post_mortem(&format!("Incident {k}"), &date.to_string(), "")
                .replace("SEV4", "SEV3"),
        );
    }
    book
}

/// `per_year[k]` incidents in year `first_year + k`, spread evenly over its days.
fn spread(first_year: i32, per_year: &[usize]) -> Vec<chrono::NaiveDate> {
    let mut out = Vec::new();
    for (k, &n) in per_year.iter().enumerate() {
        let start = chrono::NaiveDate::from_ymd_opt(first_year + k as i32, 1, 1).unwrap();
        for j in 0..n {
            out.push(start + chrono::Days::new((j * 365 / n) as u64));
        }
    }
    out
}

fn book_insights(book: &Book) -> insights::Insights {
    let site = Site::load(book.root(), Purpose::Check, &|_| {}).unwrap();
    let kb = site.knowledge_base(&|_| {});
    insights::compute(&kb, &site.config, &|_| true)
}

#[test]
fn counts_rising_year_on_year_give_a_rising_trend_up_to_the_archives_end() {
    // 12, 24, 36, 48 incidents a year; the last is on 2023-12-24, long before today:
    // no month after it may count as a zero.
    let book = dated_book(&spread(2020, &[12, 24, 36, 48]), "");
    let i = book_insights(&book);
    let span = i.span.unwrap();
    assert_eq!(span.end.to_string(), "2023-12-24");
    assert!(!span.end_is_as_of);
    assert_eq!(i.series.last().unwrap().label, "2023-12");
    assert_eq!(i.series.len(), 48);
    let t = i.trend.as_ref().expect("a trend");
    assert!(t.end > t.start, "the trend rises: {} -> {}", t.start, t.end);
    // December 2023 is only partly in the archive: the trend stops at November.
    assert_eq!(i.series[t.to].label, "2023-11");
    assert_eq!(t.halves.verdict, Verdict::Rise, "{:?}", t.halves);
    assert_eq!((t.halves.before, t.halves.recent), (34, 80));
    let site = book.build();
    let page = site.page("insights/index.html");
    assert!(
        page.contains("Archive ends 2023-12-24 (the date of the last post-mortem)"),
        "{page}"
    );
    assert!(page.contains("Trend over the 47 whole months from 2020-01 to 2023-11 (n = 116): rising: 34 incidents in the first 23 months"), "{page}");
    assert!(
        !page.contains("2024-01"),
        "no period after the archive's end"
    );
}

#[test]
fn a_flat_archive_gives_not_enough_to_tell() {
    // 24 a year for three years, and the book pinned to a date after the last one.
    let book = dated_book(
        &spread(2021, &[24, 24, 24]),
        "[build]\nas-of = 2023-12-31\n",
    );
    let i = book_insights(&book);
    let span = i.span.unwrap();
    assert_eq!(
        (span.end.to_string(), span.end_is_as_of),
        ("2023-12-31".into(), true)
    );
    let c = &i.change.as_ref().unwrap().comparison;
    assert_eq!(
        (c.recent, c.before, c.verdict),
        (12, 12, Verdict::NotEnough)
    );
    assert!(c.p_value.unwrap() > 0.5);
    let t = i.trend.as_ref().unwrap();
    assert_eq!(t.halves.verdict, Verdict::NotEnough);
    let page = book.build().page("insights/index.html");
    assert!(page.contains(
        "Not enough incidents to tell a change: 12 incidents in the 6 months to 2023-12-31, against 12 in the 6 months before"
    ), "{page}");
    assert!(page.contains("not enough incidents to tell a rise or a fall"));
}

#[test]
fn a_fall_is_told_when_the_exact_test_supports_it() {
    // 40 incidents in the first half of 2024, 4 in the second.
    let mut dates = Vec::new();
    for k in 0..40 {
        dates.push(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(k * 4));
    }
    for k in 0..4 {
        dates
            .push(chrono::NaiveDate::from_ymd_opt(2024, 8, 1).unwrap() + chrono::Days::new(k * 30));
    }
    let book = dated_book(&dates, "[build]\nas-of = 2024-12-31\n");
    let c = book_insights(&book).change.unwrap().comparison;
    assert_eq!((c.recent, c.before, c.verdict), (4, 40, Verdict::Fall));
    let page = book.build().page("insights/index.html");
    assert!(page.contains("Fewer incidents: 4 incidents in the 6 months to 2024-12-31, against 40 in the 6 months before ("), "{page}");
}

/// A book whose durations are known: 40 SEV2 incidents detected after 1, 2, …, 40
/// minutes (resolved an hour after detection) and 3 SEV1 incidents after 5 minutes.
fn durations_book() -> Book {
    let dir = tempfile::tempdir().unwrap();
    let book = Book {
        dir: std::sync::Arc::new(dir),
    };
    book.write("book.toml", "[book]\ntitle = \"Known durations\"\n");
    let stamp = |minutes: i64| {
        (chrono::NaiveDate::from_ymd_opt(2024, 3, 1)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
            + chrono::Duration::minutes(minutes))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
    };
    let times = |detect: i64| {
        format!(
            "started: {}\ndetected: {}\nmitigated: {}\nresolved: {}\n",
            stamp(0),
            stamp(detect),
            stamp(detect + 30),
            stamp(detect + 60)
        )
    };
    for k in 1..=40 {
        book.write(
            &format!("content/2024-03-01-d{k:02}.md"),
            &common::post_mortem(&format!("Incident {k}"), "2024-03-01", &times(k))
                .replace("SEV4", "SEV2"),
        );
    }
    for k in 1..=3 {
        book.write(
            &format!("content/2024-03-01-s{k}.md"),
            &common::post_mortem(&format!("Severe {k}"), "2024-03-01", &times(5))
                .replace("SEV4", "SEV1"),
        );
    }
    book
}

#[test]
fn durations_are_drawn_as_distributions_with_percentiles_only_where_n_supports_them() {
    let site = durations_book().build();
    let page = site.page("insights/index.html");
    let html = scraper::Html::parse_document(&page);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    // Every incident a point on each of the three charts, the chart named with its n.
    for key in ["detect", "mitigate", "resolve"] {
        let svg = html
            .select(&select(&format!(
                "svg[aria-labelledby='dur-{key}-t dur-{key}-d']"
            )))
            .next()
            .unwrap_or_else(|| panic!("no {key} chart"));
        let dots: usize = svg
            .select(&select("path.pts"))
            .map(|p| p.value().attr("d").unwrap().matches('M').count())
            .sum();
        assert_eq!(dots, 43, "{key}");
        let title = svg.select(&select("title")).next().unwrap().inner_html();
        assert!(title.ends_with("by severity (n = 43)"), "{title}");
        // SEV2 (40) has a box and a median; SEV1 (3) has neither.
        assert_eq!(svg.select(&select("rect.box")).count(), 1, "{key}");
        assert_eq!(svg.select(&select("line.median")).count(), 1, "{key}");
    }
    let detect = html
        .select(&select("svg[aria-labelledby='dur-detect-t dur-detect-d']"))
        .next()
        .unwrap();
    let texts: Vec<String> = detect
        .select(&select("text.bar-label"))
        .map(|t| t.inner_html())
        .collect();
    assert_eq!(texts, ["SEV1 · n = 3", "SEV2 · n = 40"]);
    // The table: the median of 1..40 is 20.5 minutes and its 90th percentile 36.1; the
    // three SEV1 incidents are too few for either.
    let rows: Vec<Vec<String>> = html
        .select(&select(".distributions + details table tbody tr"))
        .take(2)
        .map(|tr| {
            tr.select(&select("th, td"))
                .map(|c| c.text().collect::<String>())
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [
            ["SEV1", "3", "5m", "— (n < 6)", "— (n < 36)", "5m"],
            ["SEV2", "40", "1m", "21m", "36m", "40m"]
        ]
    );
    assert!(page.contains("A median is given from 6 incidents"));
    // No mean and no MTTR anywhere on the page.
    for word in [
        "MTTR",
        "mean time",
        "Mean time",
        "average time",
        "Average time",
    ] {
        assert!(!page.contains(word), "{word}");
    }
    assert_eq!(site.broken_links(), Vec::<String>::new());
}
