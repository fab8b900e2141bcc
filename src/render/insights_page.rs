//! The insights pages' data: headlines and trend in words with their tests' evidence,
//! the charts' geometry, the duration distributions' tables, every figure as it reads.

use serde::Serialize;

use super::views::LinkView;
use crate::insights::{Comparison, Insights, Verdict};
use crate::link::KnowledgeBase;
use crate::model::format_minutes;
use crate::text::plural;
use crate::urls;

/// Rows of the follow-through and services charts, which stand side by side in the
/// grid: as many as keep the page within two laptop screens. Their tables have every
/// team and service.
const CHART_ROWS: usize = 10;

/// An insights page: the whole book's, or one service's or team's.
#[derive(Serialize)]
pub struct InsightsPage {
    /// "all post-mortems", "service checkout", "team platform-team".
    pub scope: String,
    pub headline: String,
    /// What the trend line shows, and whether the exact test supports it.
    pub trend_text: Option<String>,
    /// Where the archive ends and what the series leave out.
    pub archive_note: String,
    /// The charts' titles, each with its sample size.
    pub titles: ChartTitles,
    /// The date overdue action items are judged against.
    pub as_of: String,
    pub insights: crate::insights::Insights,
    pub incidents_chart: super::charts::ColumnChart,
    /// Detect, mitigate and resolve: each a distribution per severity with its table.
    pub durations: Vec<DurationView>,
    /// Per period: medians where the sample supports them.
    pub durations_by_period: Vec<PeriodDurations>,
    /// What the sample sizes of the percentiles are.
    pub percentile_note: String,
    pub factors_chart: super::charts::BarChart,
    pub follow_chart: super::charts::BarChart,
    pub services_chart: super::charts::BarChart,
    pub services_links: Vec<LinkView>,
    pub teams_links: Vec<LinkView>,
}

impl InsightsPage {
    pub fn new(
        scope: String,
        insights: crate::insights::Insights,
        kb: &KnowledgeBase,
    ) -> InsightsPage {
        use super::charts::{bars, incidents_per_period};
        let headline = headline(&insights);
        let trend_text = trend_text(&insights);
        let archive_note = archive_note(&insights);
        let durations = duration_views(&insights);
        let durations_by_period = period_duration_rows(&insights);
        let factors_chart = bars(
            insights
                .top_factors
                .iter()
                .map(|f| {
                    (
                        f.title.clone(),
                        Some(urls::factor(&f.id)),
                        vec![(
                            f.incidents as f64,
                            "bar-factor".to_owned(),
                            plural(f.incidents, "incident"),
                        )],
                        f.incidents.to_string(),
                    )
                })
                .collect(),
            Vec::new(),
        );
        // The teams with the most to do, as many as a chart of the grid holds; the
        // table below it has every team.
        let mut busiest: Vec<&crate::insights::TeamFollowThrough> =
            insights.follow_through.iter().collect();
        busiest.sort_by(|a, b| {
            (b.counts.to_do, b.counts.total)
                .cmp(&(a.counts.to_do, a.counts.total))
                .then(a.team.cmp(&b.team))
        });
        busiest.truncate(CHART_ROWS);
        let follow_chart = bars(
            busiest
                .into_iter()
                .map(|t| {
                    let c = &t.counts;
                    let not_overdue = c.to_do - c.overdue;
                    (
                        t.team.clone(),
                        Some(urls::team_board(&t.team)),
                        vec![
                            (
                                c.done as f64,
                                "bar-done".to_owned(),
                                format!("{} done", c.done),
                            ),
                            (
                                not_overdue as f64,
                                "bar-open".to_owned(),
                                format!("{not_overdue} to do, not overdue"),
                            ),
                            (
                                c.overdue as f64,
                                "bar-overdue".to_owned(),
                                format!("{} to do, overdue", c.overdue),
                            ),
                        ],
                        // Short enough for one line beside the bar; the table below
                        // the chart has every count.
                        match c.overdue {
                            0 => format!("{} done, {} to do", c.done, c.to_do),
                            n => format!("{} done, {} to do ({n} overdue)", c.done, c.to_do),
                        },
                    )
                })
                .collect(),
            vec![
                ("done".to_owned(), "bar-done".to_owned()),
                ("to do, not overdue".to_owned(), "bar-open".to_owned()),
                ("to do, overdue".to_owned(), "bar-overdue".to_owned()),
            ],
        );
        let services_chart = bars(
            insights
                .services
                .iter()
                .take(CHART_ROWS)
                .map(|s| {
                    (
                        s.service.clone(),
                        Some(urls::insights_service(&s.service)),
                        vec![(
                            s.incidents as f64,
                            "bar-service".to_owned(),
                            plural(s.incidents, "incident"),
                        )],
                        format!("{} · {}", s.incidents, fmt_minutes(s.impact_minutes as f64)),
                    )
                })
                .collect(),
            Vec::new(),
        );
        let links = |key: &str, f: fn(&str) -> String| -> Vec<LinkView> {
            kb.taxonomies
                .iter()
                .find(|t| t.key == key)
                .map(|t| {
                    t.terms
                        .keys()
                        .map(|term| LinkView {
                            url: f(term),
                            title: term.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let n_items: usize = insights.follow_through.iter().map(|t| t.counts.total).sum();
        // Incidents with any of the three durations.
        let n_durations: usize = insights
            .durations_by_severity
            .iter()
            .map(|r| r.detect.count.max(r.mitigate.count).max(r.resolve.count))
            .sum();
        let titles = ChartTitles {
            n_incidents: insights.in_span,
            n_durations,
            n_items,
            incidents: format!(
                "Incidents per {} by severity (n = {})",
                insights.period, insights.in_span
            ),
            factors: format!(
                "Contributing factors by number of incidents (n = {})",
                plural(insights.incidents, "post-mortem")
            ),
            follow: format!("Action items per team: done, to do and overdue (n = {n_items})"),
            services: format!(
                "Services by number of incidents (n = {})",
                plural(insights.incidents, "post-mortem")
            ),
        };
        InsightsPage {
            scope,
            headline,
            trend_text,
            archive_note,
            titles,
            as_of: kb.as_of.to_string(),
            incidents_chart: incidents_per_period(&insights),
            durations,
            durations_by_period,
            percentile_note: percentile_note(),
            factors_chart,
            follow_chart,
            services_chart,
            services_links: links("services", urls::insights_service),
            teams_links: links("teams", urls::insights_team),
            insights,
        }
    }
}

/// One duration's distribution per severity, drawn and tabled.
#[derive(Serialize)]
pub struct DurationView {
    /// "detect", for ids.
    pub key: &'static str,
    /// "Time to detect".
    pub name: &'static str,
    pub title: String,
    pub desc: String,
    /// How many incidents record it.
    pub n: usize,
    pub chart: super::charts::Distribution,
    pub rows: Vec<DurationCells>,
}

/// A row of a duration's table, every cell as it reads.
#[derive(Serialize)]
pub struct DurationCells {
    pub label: String,
    pub n: usize,
    pub min: String,
    pub median: String,
    pub p90: String,
    pub max: String,
}

/// A period's medians, as they read.
#[derive(Serialize)]
pub struct PeriodDurations {
    pub label: String,
    pub n: usize,
    pub detect: String,
    pub mitigate: String,
    pub resolve: String,
}

/// A percentile as it reads, or why there is none: "25m", "— (n < 6)".
fn percentile_cell(v: Option<f64>, count: usize, fewest: usize) -> String {
    match v {
        Some(v) => fmt_minutes(v),
        None if count == 0 => "—".to_owned(),
        None => format!("— (n < {fewest})"),
    }
}

fn percentile_note() -> String {
    use crate::insights::{MEDIAN_MIN_N, P90_MIN_N, QUARTILES_MIN_N};
    format!(
        "Every incident is a point. A median is given from {MEDIAN_MIN_N} incidents, the box (the middle half, from the 25th to the 75th percentile) from {QUARTILES_MIN_N}, a 90th percentile from {P90_MIN_N}: with fewer, no 95% confidence interval of that percentile lies within the values seen. No averages: a few long incidents would rule them. Rows of more than {} incidents are drawn as a box from the shortest to the longest.",
        super::charts::POINTS_MAX
    )
}

/// Detect, mitigate and resolve, each as a distribution per severity.
fn duration_views(i: &Insights) -> Vec<DurationView> {
    use crate::insights::{DurationRow, MEDIAN_MIN_N, P90_MIN_N, Stat};
    type Measure = (&'static str, &'static str, fn(&DurationRow) -> &Stat);
    let measures: [Measure; 3] = [
        ("detect", "Time to detect", |r| &r.detect),
        ("mitigate", "Time to mitigate", |r| &r.mitigate),
        ("resolve", "Time to resolve", |r| &r.resolve),
    ];
    measures
        .into_iter()
        .map(|(key, name, pick)| {
            let rows: Vec<(&str, &Stat)> = i
                .durations_by_severity
                .iter()
                .map(|r| (r.label.as_str(), pick(r)))
                .collect();
            let n: usize = rows.iter().map(|(_, s)| s.count).sum();
            let groups: Vec<_> = rows
                .iter()
                .filter(|(_, s)| s.count > 0)
                .map(|(label, s)| {
                    let mut summary = format!("{label}: n = {}", s.count);
                    if let Some(m) = s.median {
                        summary.push_str(&format!("; median {}", fmt_minutes(m)));
                    }
                    if let Some(p) = s.p90 {
                        summary.push_str(&format!("; 90th percentile {}", fmt_minutes(p)));
                    }
                    if let (Some(lo), Some(hi)) = (s.min, s.max) {
                        summary.push_str(&format!(
                            "; from {} to {}",
                            format_minutes(lo),
                            format_minutes(hi)
                        ));
                    }
                    super::charts::DistGroup {
                        label: format!("{label} · n = {}", s.count),
                        values: &s.values,
                        quartiles: s.q1.zip(s.q3),
                        median: s.median,
                        summary,
                    }
                })
                .collect();
            let summaries: Vec<&str> = groups.iter().map(|g| g.summary.as_str()).collect();
            DurationView {
                key,
                name,
                title: format!("{name} by severity (n = {n})"),
                desc: if summaries.is_empty() {
                    "No incident records this time.".to_owned()
                } else {
                    format!(
                        "One row per severity, every incident a point on a logarithmic time axis. {}.",
                        summaries.join(". ")
                    )
                },
                n,
                chart: super::charts::distribution(&groups),
                rows: rows
                    .iter()
                    .map(|(label, s)| DurationCells {
                        label: (*label).to_owned(),
                        n: s.count,
                        min: s.min.map_or("—".to_owned(), format_minutes),
                        median: percentile_cell(s.median, s.count, MEDIAN_MIN_N),
                        p90: percentile_cell(s.p90, s.count, P90_MIN_N),
                        max: s.max.map_or("—".to_owned(), format_minutes),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The periods with any duration, each with its medians where the sample supports them.
fn period_duration_rows(i: &Insights) -> Vec<PeriodDurations> {
    use crate::insights::MEDIAN_MIN_N;
    i.durations_by_period
        .iter()
        .filter(|r| r.detect.count + r.mitigate.count + r.resolve.count > 0)
        .map(|r| PeriodDurations {
            label: r.label.clone(),
            n: r.detect.count.max(r.mitigate.count).max(r.resolve.count),
            detect: percentile_cell(r.detect.median, r.detect.count, MEDIAN_MIN_N),
            mitigate: percentile_cell(r.mitigate.median, r.mitigate.count, MEDIAN_MIN_N),
            resolve: percentile_cell(r.resolve.median, r.resolve.count, MEDIAN_MIN_N),
        })
        .collect()
}

/// The titles of an insights page's charts, each naming its sample size.
#[derive(Serialize)]
pub struct ChartTitles {
    /// The sample sizes: incidents in the series, incidents with a resolution time,
    /// action items.
    pub n_incidents: usize,
    pub n_durations: usize,
    pub n_items: usize,
    pub incidents: String,
    pub factors: String,
    pub follow: String,
    pub services: String,
}

/// "p = 0.042", "p < 0.001".
fn p_text(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "p < 0.001".to_owned(),
        Some(p) => format!("p = {p:.3}"),
        None => "no incidents to test".to_owned(),
    }
}

/// The two counts of a comparison, each with its stretch of time: "3 in the 6 months to
/// 2025-08-01, against 3 in the 6 months before".
fn counts_text(c: &Comparison, stretch: &str) -> String {
    let before = if c.before_cut {
        format!(
            "{} in the {} before, back to the archive's first day ({})",
            c.before,
            plural(c.before_days as usize, "day"),
            c.before_from
        )
    } else {
        format!("{} in the {stretch} before", c.before)
    };
    format!(
        "{} in the {stretch} to {}, against {before}",
        plural(c.recent, "incident"),
        c.recent_to
    )
}

/// The verdict of a comparison with its evidence; a change is stated only when the
/// exact test supports it.
fn verdict_text(c: &Comparison, counts: String) -> String {
    let test = format!("exact test, {}", p_text(c.p_value));
    let percent = c
        .percent
        .map(|p| {
            format!(
                "{}{:.0}% per day; ",
                if p > 0.0 { "+" } else { "−" },
                p.abs()
            )
        })
        .unwrap_or_default();
    match c.verdict {
        Verdict::Rise => format!("More incidents: {counts} ({percent}{test})."),
        Verdict::Fall => format!("Fewer incidents: {counts} ({percent}{test})."),
        Verdict::NotEnough => {
            format!("Not enough incidents to tell a change: {counts} ({test}).")
        }
        Verdict::TooShort => format!(
            "{} from {} to {}; the archive does not reach further back, so there is nothing to compare with.",
            plural(c.recent, "incident"),
            c.recent_from,
            c.recent_to
        ),
    }
}

/// The headline: the last periods to the archive's end against as long before.
fn headline(i: &Insights) -> String {
    match &i.change {
        Some(change) => {
            let stretch = plural(change.periods, i.period);
            verdict_text(
                &change.comparison,
                counts_text(&change.comparison, &stretch),
            )
        }
        None => "No dated post-mortems yet: nothing to count over time.".to_owned(),
    }
}

/// What the trend line stands on, and what the test of its halves says.
fn trend_text(i: &Insights) -> Option<String> {
    let t = i.trend.as_ref()?;
    let fitted = t.to - t.from + 1;
    let half = plural(fitted / 2, i.period);
    let h = &t.halves;
    let counts = format!(
        "{} in the first {half} ({} to {}) against {} in the last {half} ({} to {})",
        plural(h.before, "incident"),
        h.before_from,
        h.before_to,
        h.recent,
        h.recent_from,
        h.recent_to
    );
    let test = format!("exact test, {}", p_text(h.p_value));
    let verdict = match h.verdict {
        Verdict::Rise => format!("rising: {counts} ({test})"),
        Verdict::Fall => format!("falling: {counts} ({test})"),
        _ => format!("not enough incidents to tell a rise or a fall: {counts} ({test})"),
    };
    Some(format!(
        "Trend over the {} whole {} from {} to {} (n = {}): {verdict}.",
        fitted,
        crate::text::noun(fitted, i.period),
        i.series[t.from].label,
        i.series[t.to].label,
        t.incidents
    ))
}

/// "Archive ends 2025-08-01 (`[build] as-of`)", and what the series leave out.
fn archive_note(i: &Insights) -> String {
    let Some(span) = i.span else {
        return "No post-mortem has a date yet.".to_owned();
    };
    let mut note = format!(
        "Archive ends {} ({}); the series run from {} to {}.",
        span.end,
        if span.end_is_as_of {
            "[build] as-of in book.toml"
        } else {
            "the date of the last post-mortem"
        },
        span.first,
        span.end
    );
    if i.whole.iter().any(|w| !w) {
        note.push_str(&format!(
            " A {} the archive covers only in part is drawn paler and left out of the trend.",
            i.period
        ));
    }
    if i.after_end > 0 {
        note.push_str(&format!(
            " {} dated after the archive's end {} not counted.",
            plural(i.after_end, "post-mortem"),
            if i.after_end == 1 { "is" } else { "are" }
        ));
    }
    if i.undated > 0 {
        note.push_str(&format!(
            " {} without a date {} not counted over time.",
            plural(i.undated, "post-mortem"),
            if i.undated == 1 { "is" } else { "are" }
        ));
    }
    note
}

fn fmt_minutes(m: f64) -> String {
    format_minutes(m.round() as i64)
}
