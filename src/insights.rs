//! Insights: is the practice working? Numbers computed from the knowledge base for the
//! insights pages (whole book, per service, per team) and the JSON export: incidents
//! per period by severity with a trend, detection and recovery times, recurring
//! factors, action-item follow-through, services by impact.
//!
//! Pure data: rendering turns it into SVG charts and tables.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Duration, Months, NaiveDate, Weekday};
use serde::Serialize;
use statrs::distribution::{Binomial, Discrete};

use crate::config::{Config, Period};
use crate::link::{ActionCounts, Evidence, KnowledgeBase};
use crate::model::{ActionItem, Durations};

/// The severity under which the charts count post-mortems that state none: said as
/// such, not as "unknown" (the archive does not say; nothing is unknown about it).
pub const NO_SEVERITY: &str = "severity not stated";

/// One bucket of a time series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodCount {
    /// "2024-03", "2024-W11", "2024-Q1".
    pub label: String,
    /// Incidents per severity, in the order of `Insights::severities`.
    pub by_severity: Vec<usize>,
    pub total: usize,
}

/// Median and 90th percentile, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stat {
    pub count: usize,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationRow {
    /// A period label or a severity.
    pub label: String,
    pub detect: Stat,
    pub mitigate: Stat,
    pub resolve: Stat,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorStat {
    pub id: String,
    pub title: String,
    pub incidents: usize,
    /// Incidents per year, in the order of `Insights::years`.
    pub by_year: Vec<usize>,
    /// Whether it recurred after its action items were done, and on what evidence.
    pub recurred_after_done: Option<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamFollowThrough {
    pub team: String,
    /// The sets every page counts (`link::ActionCounts`).
    pub counts: ActionCounts,
    /// Median days from the incident to the item's `closed` date, over the items that
    /// record one and whose post-mortem has a date.
    pub median_days_to_close: Option<f64>,
    /// How many items the median stands on.
    pub days_to_close_n: usize,
    /// Why the median is blank, when it is.
    pub blank_because: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceImpact {
    pub service: String,
    pub incidents: usize,
    /// Sum of the incidents' durations (start to resolution), in minutes.
    pub impact_minutes: i64,
}

/// Where the archive's time series stop: the last post-mortem's date, or `[build] as-of`
/// when set. Quiet periods inside it count as zero; none after it do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The earliest post-mortem's date in the whole book.
    pub first: NaiveDate,
    /// The archive's end.
    pub end: NaiveDate,
    /// Whether the end is `[build] as-of` (else the last post-mortem's date).
    pub end_is_as_of: bool,
}

/// The level an exact test must reach before the pages state a change
/// (docs/insights.md).
pub const SIGNIFICANCE: f64 = 0.05;

/// What two counts of incidents over two stretches of time show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The later stretch has significantly more incidents per day.
    Rise,
    /// The later stretch has significantly fewer incidents per day.
    Fall,
    /// The counts do not tell a change apart from chance at [`SIGNIFICANCE`].
    NotEnough,
    /// There is no earlier stretch to compare with: the archive is too short.
    TooShort,
}

/// Two stretches of the archive compared: the incidents in each, their lengths, and the
/// exact test of the hypothesis that incidents came at the same rate in both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The later stretch: incidents dated from `recent_from` to `recent_to`, both days
    /// included.
    pub recent: usize,
    pub recent_from: NaiveDate,
    pub recent_to: NaiveDate,
    pub recent_days: i64,
    /// The earlier stretch, cut at the archive's first day.
    pub before: usize,
    pub before_from: NaiveDate,
    pub before_to: NaiveDate,
    pub before_days: i64,
    /// Whether the earlier stretch was cut short by the archive's first day.
    pub before_cut: bool,
    /// Two-sided p-value of the conditional binomial test; `None` when there is
    /// nothing to compare.
    pub p_value: Option<f64>,
    pub verdict: Verdict,
    /// Change in incidents per day, in percent; `None` unless the verdict is a rise or
    /// a fall.
    pub percent: Option<f64>,
}

/// The headline: the last `periods` periods before the archive's end against the same
/// length of time before them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub periods: usize,
    pub comparison: Comparison,
}

/// The least-squares line through the whole periods of the series, and whether the
/// first and second halves of those periods differ by the exact test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Positions in `Insights::series` of the first and last whole period fitted.
    pub from: usize,
    pub to: usize,
    /// The line's values at `from` and at `to`.
    pub start: f64,
    pub end: f64,
    /// Incidents in the periods fitted.
    pub incidents: usize,
    /// The first half of the fitted periods against the second.
    pub halves: Comparison,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insights {
    pub period: &'static str,
    /// The scope's post-mortems.
    pub incidents: usize,
    /// The archive's first and last day; `None` when no post-mortem has a date.
    pub span: Option<Span>,
    /// The scope's post-mortems counted in the series (dated within the span).
    pub in_span: usize,
    /// The scope's post-mortems dated after the archive's end (`as-of` set earlier).
    pub after_end: usize,
    /// The scope's post-mortems without a date.
    pub undated: usize,
    pub severities: Vec<String>,
    pub series: Vec<PeriodCount>,
    /// Whether each period of `series` lies wholly inside the span.
    pub whole: Vec<bool>,
    /// Fitted over the whole periods only; `None` with fewer than [`TREND_MIN_PERIODS`].
    pub trend: Option<Trend>,
    /// `None` when no post-mortem has a date.
    pub change: Option<Change>,
    pub durations_by_period: Vec<DurationRow>,
    pub durations_by_severity: Vec<DurationRow>,
    pub years: Vec<String>,
    pub top_factors: Vec<FactorStat>,
    pub follow_through: Vec<TeamFollowThrough>,
    pub services: Vec<ServiceImpact>,
}

/// The fewest whole periods a trend is fitted over.
pub const TREND_MIN_PERIODS: usize = 4;

/// How many factors the insights list.
const TOP_FACTORS: usize = 10;

/// Insights over the incidents (positions in `kb.book.incidents`) that `keep` accepts.
pub fn compute(kb: &KnowledgeBase, config: &Config, keep: &dyn Fn(usize) -> bool) -> Insights {
    let incidents: Vec<usize> = (0..kb.book.incidents.len()).filter(|&i| keep(i)).collect();
    let period = config.insights.period;
    let mut severities: Vec<String> = config
        .validation
        .severities
        .iter()
        .map(|s| s.name.clone())
        .collect();
    for &i in &incidents {
        let s = kb
            .incident(i)
            .severity
            .clone()
            .unwrap_or_else(|| NO_SEVERITY.to_owned());
        if !severities.contains(&s) {
            severities.push(s);
        }
    }
    // Only severities that occur, in the configured order.
    severities.retain(|s| {
        incidents
            .iter()
            .any(|&i| kb.incident(i).severity.as_deref().unwrap_or(NO_SEVERITY) == s)
    });

    let span = archive_span(kb, config);
    let (mut undated, mut after_end) = (0, 0);
    let dated: Vec<(usize, NaiveDate)> = incidents
        .iter()
        .filter_map(|&i| {
            let Some(date) = kb.incident(i).date else {
                undated += 1;
                return None;
            };
            if span.is_some_and(|s| date > s.end) {
                after_end += 1;
                return None;
            }
            Some((i, date))
        })
        .collect();
    let keys = span.map_or_else(Vec::new, |s| period_keys(s.first, s.end, period));
    let whole: Vec<bool> = match span {
        Some(s) => keys
            .iter()
            .map(|&key| {
                let (from, to) = period_bounds(key, period);
                from >= s.first && to <= s.end
            })
            .collect(),
        None => Vec::new(),
    };
    let mut series: Vec<PeriodCount> = keys
        .iter()
        .map(|&key| PeriodCount {
            label: label_of(key, period),
            by_severity: vec![0; severities.len()],
            total: 0,
        })
        .collect();
    // `keys` is in increasing order: a period's position is found by bisection.
    let period_of: Vec<Option<usize>> = dated
        .iter()
        .map(|&(_, date)| keys.binary_search(&period_key(date, period)).ok())
        .collect();
    for (&(i, _), &n) in dated.iter().zip(&period_of) {
        let Some(n) = n else {
            continue;
        };
        let sev = kb.incident(i).severity.as_deref().unwrap_or(NO_SEVERITY);
        if let Some(s) = severities.iter().position(|x| x == sev) {
            series[n].by_severity[s] += 1;
        }
        series[n].total += 1;
    }
    let mut dates: Vec<NaiveDate> = dated.iter().map(|&(_, d)| d).collect();
    dates.sort_unstable();
    let trend = fit_trend(&series, &whole, &keys, period, &dates);
    let compare = config.insights.compare_periods.max(1);
    let change = span.map(|s| Change {
        periods: compare,
        comparison: last_periods_against_before(&dates, s, compare, period),
    });

    let durations = |members: &[usize], label: String| {
        let all: Vec<Durations> = members
            .iter()
            .map(|&i| kb.incident(i).durations())
            .collect();
        DurationRow {
            label,
            detect: stat(all.iter().filter_map(|d| d.to_detect)),
            mitigate: stat(all.iter().filter_map(|d| d.to_mitigate)),
            resolve: stat(all.iter().filter_map(|d| d.to_resolve)),
        }
    };
    let mut by_period: Vec<Vec<usize>> = vec![Vec::new(); keys.len()];
    for (&(i, _), &n) in dated.iter().zip(&period_of) {
        if let Some(n) = n {
            by_period[n].push(i);
        }
    }
    let durations_by_period = series
        .iter()
        .zip(&by_period)
        .map(|(p, members)| durations(members, p.label.clone()))
        .collect();
    let durations_by_severity = severities
        .iter()
        .map(|s| {
            let members: Vec<usize> = incidents
                .iter()
                .copied()
                .filter(|&i| kb.incident(i).severity.as_deref().unwrap_or(NO_SEVERITY) == s)
                .collect();
            durations(&members, s.clone())
        })
        .collect();

    // The years that occur, in the order of their names; as numbers, in the same order.
    let (years, year_numbers): (Vec<String>, Vec<i32>) = {
        let mut y: Vec<i32> = dated.iter().map(|(_, d)| d.year()).collect();
        y.sort_unstable();
        y.dedup();
        let mut named: Vec<(String, i32)> = y.into_iter().map(|y| (y.to_string(), y)).collect();
        named.sort();
        named.into_iter().unzip()
    };
    let mut top_factors: Vec<FactorStat> = kb
        .factors
        .iter()
        .filter_map(|f| {
            let mine: Vec<usize> = f.incidents.iter().copied().filter(|&i| keep(i)).collect();
            if mine.is_empty() {
                return None;
            }
            let by_year = year_numbers
                .iter()
                .map(|&y| {
                    mine.iter()
                        .filter(|&&i| kb.incident(i).date.is_some_and(|d| d.year() == y))
                        .count()
                })
                .collect();
            Some(FactorStat {
                id: f.id.to_owned(),
                title: f.title().to_owned(),
                incidents: mine.len(),
                by_year,
                recurred_after_done: f.recurrence_evidence(keep),
            })
        })
        .collect();
    top_factors.sort_by(|a, b| b.incidents.cmp(&a.incidents).then(a.id.cmp(&b.id)));
    top_factors.truncate(TOP_FACTORS);

    let mut teams: BTreeMap<&str, (Vec<&ActionItem>, Vec<i64>)> = BTreeMap::new();
    // The action items of the scope's post-mortems, post-mortem by post-mortem: not
    // every action item of the book (in id order) tested for each scope.
    for (incident, item) in incidents.iter().flat_map(|&i| {
        let incident = kb.incident(i);
        incident
            .action_items
            .iter()
            .map(move |item| (incident, item))
    }) {
        let entry = teams
            .entry(item.owner.as_deref().unwrap_or("no owner"))
            .or_default();
        entry.0.push(item);
        if let (Some(closed), Some(date)) = (item.closed, incident.date) {
            entry.1.push((closed - date).num_days());
        }
    }
    let follow_through = teams
        .into_iter()
        .map(|(team, (items, days))| {
            let counts = kb.action_counts(items.iter().copied());
            TeamFollowThrough {
                team: team.to_owned(),
                median_days_to_close: percentile(&days, 0.5),
                days_to_close_n: days.len(),
                blank_because: match (days.is_empty(), counts.closed_dated) {
                    (false, _) => None,
                    (true, 0) => Some("no `closed` dates recorded"),
                    (true, _) => Some("no post-mortem date to count from"),
                },
                counts,
            }
        })
        .collect();

    let mut services: BTreeMap<&str, (usize, i64)> = BTreeMap::new();
    for &i in &incidents {
        let x = kb.incident(i);
        let minutes = x.durations().total().unwrap_or(0);
        for s in &x.services {
            let e = services.entry(s).or_default();
            e.0 += 1;
            e.1 += minutes;
        }
    }
    let mut services: Vec<ServiceImpact> = services
        .into_iter()
        .map(|(s, (n, m))| ServiceImpact {
            service: s.to_owned(),
            incidents: n,
            impact_minutes: m,
        })
        .collect();
    services.sort_by(|a, b| {
        b.incidents
            .cmp(&a.incidents)
            .then(b.impact_minutes.cmp(&a.impact_minutes))
            .then(a.service.cmp(&b.service))
    });

    Insights {
        period: match period {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
        },
        incidents: incidents.len(),
        span,
        in_span: dated.len(),
        after_end,
        undated,
        severities,
        trend,
        series,
        whole,
        change,
        durations_by_period,
        durations_by_severity,
        years,
        top_factors,
        follow_through,
        services,
    }
}

/// A period as numbers: the year and the week, month or quarter in it. Periods are
/// told apart by their keys and labelled once each: formatting a label for every day
/// walked and every incident placed was 1.6% of a 1,000-post-mortem build's
/// instructions.
type PeriodKey = (i32, u32);

/// The period holding `date`.
fn period_key(date: NaiveDate, period: Period) -> PeriodKey {
    match period {
        Period::Week => {
            let w = date.iso_week();
            (w.year(), w.week())
        }
        Period::Month => (date.year(), date.month()),
        Period::Quarter => (date.year(), (date.month() - 1) / 3 + 1),
    }
}

/// The label of a period: `2024-W01`, `2024-05`, `2024-Q2`.
fn label_of((year, n): PeriodKey, period: Period) -> String {
    match period {
        Period::Week => format!("{year}-W{n:02}"),
        Period::Month => format!("{year}-{n:02}"),
        Period::Quarter => format!("{year}-Q{n}"),
    }
}

/// The label of the period holding `date`.
pub fn period_label(date: NaiveDate, period: Period) -> String {
    label_of(period_key(date, period), period)
}

/// Every period from the one holding `first` to the one holding `end`, so quiet periods
/// inside the archive show as zero, and none after its end do.
fn period_keys(first: NaiveDate, end: NaiveDate, period: Period) -> Vec<PeriodKey> {
    let mut out: Vec<PeriodKey> = Vec::new();
    if end < first {
        return out;
    }
    let mut key = period_key(first, period);
    let last = period_key(end, period);
    loop {
        out.push(key);
        if key >= last {
            return out;
        }
        let (_, to) = period_bounds(key, period);
        key = period_key(to + Duration::days(1), period);
    }
}

/// The first and last day of a period.
fn period_bounds((year, n): PeriodKey, period: Period) -> (NaiveDate, NaiveDate) {
    let month_start =
        |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).expect("a month's first day");
    match period {
        Period::Week => {
            let monday = NaiveDate::from_isoywd_opt(year, n, Weekday::Mon).expect("an ISO week");
            (monday, monday + Duration::days(6))
        }
        Period::Month | Period::Quarter => {
            let (first, months) = match period {
                Period::Month => (n, 1),
                _ => (3 * (n - 1) + 1, 3),
            };
            let from = month_start(year, first);
            let to = from
                .checked_add_months(Months::new(months))
                .expect("a date in range")
                - Duration::days(1);
            (from, to)
        }
    }
}

/// The archive's first and last day: the earliest post-mortem's date, and `[build]
/// as-of` when set, else the latest post-mortem's date. Taken over the whole book, so a
/// service's or a team's pages share the book's span (a quiet month for a service is a
/// true zero while the archive runs on).
pub fn archive_span(kb: &KnowledgeBase, config: &Config) -> Option<Span> {
    let mut dates = kb.book.incidents.iter().filter_map(|i| i.date);
    let first_date = dates.next()?;
    let (first, last) = dates.fold((first_date, first_date), |(lo, hi), d| {
        (lo.min(d), hi.max(d))
    });
    Some(match config.build.as_of {
        Some(as_of) => Span {
            first: first.min(as_of),
            end: as_of,
            end_is_as_of: true,
        },
        None => Span {
            first,
            end: last,
            end_is_as_of: false,
        },
    })
}

/// How many of the sorted `dates` fall from `from` to `to`, both included.
fn count_between(dates: &[NaiveDate], from: NaiveDate, to: NaiveDate) -> usize {
    dates.partition_point(|&d| d <= to) - dates.partition_point(|&d| d < from)
}

/// The days from `from` to `to`, both included.
fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

/// The two-sided p-value of the conditional test of two Poisson counts: given `recent +
/// before` incidents, is `recent` of them as likely as chance makes it when incidents
/// come at one rate over `recent_days + before_days` days? Under that hypothesis
/// `recent` is binomial with the recent stretch's share of the days; the p-value sums
/// the probabilities of every count no more likely than the one seen (the method of R's
/// `binom.test` and `poisson.test`). `None` with no incidents or no days.
pub fn exact_p_value(
    recent: usize,
    before: usize,
    recent_days: i64,
    before_days: i64,
) -> Option<f64> {
    let n = (recent + before) as u64;
    if n == 0 || recent_days <= 0 || before_days <= 0 {
        return None;
    }
    let share = recent_days as f64 / (recent_days + before_days) as f64;
    let binomial = Binomial::new(share, n).ok()?;
    let seen = binomial.pmf(recent as u64);
    // R's allowance for rounding: counts as likely as the one seen, within 1e-7.
    let bar = seen * (1.0 + 1e-7);
    let p: f64 = (0..=n).map(|k| binomial.pmf(k)).filter(|&q| q <= bar).sum();
    Some(p.min(1.0))
}

/// Compares the incidents (sorted `dates`) from `recent.0` to `recent.1` with those from
/// `before.0` to `before.1`; `before` is `None` when the archive does not reach back
/// before the recent stretch.
fn comparison(
    dates: &[NaiveDate],
    recent: (NaiveDate, NaiveDate),
    before: Option<(NaiveDate, NaiveDate)>,
    before_cut: bool,
) -> Comparison {
    let recent_count = count_between(dates, recent.0, recent.1);
    let recent_days = days(recent.0, recent.1);
    let (before_from, before_to) = before.unwrap_or((recent.0, recent.0 - Duration::days(1)));
    let (before_count, before_days) = match before {
        Some((from, to)) => (count_between(dates, from, to), days(from, to)),
        None => (0, 0),
    };
    let p_value = exact_p_value(recent_count, before_count, recent_days, before_days);
    let verdict = match p_value {
        _ if before.is_none() => Verdict::TooShort,
        Some(p) if p < SIGNIFICANCE => {
            // More incidents per day in the recent stretch than before, or fewer.
            if (recent_count as i64) * before_days > (before_count as i64) * recent_days {
                Verdict::Rise
            } else {
                Verdict::Fall
            }
        }
        _ => Verdict::NotEnough,
    };
    let percent = match verdict {
        Verdict::Rise | Verdict::Fall if before_count > 0 => {
            let rate = |n: usize, d: i64| n as f64 / d as f64;
            Some((rate(recent_count, recent_days) / rate(before_count, before_days) - 1.0) * 100.0)
        }
        _ => None,
    };
    Comparison {
        recent: recent_count,
        recent_from: recent.0,
        recent_to: recent.1,
        recent_days,
        before: before_count,
        before_from,
        before_to,
        before_days,
        before_cut,
        p_value,
        verdict,
        percent,
    }
}

/// The headline: the incidents of the last `periods` periods up to the archive's end
/// (by calendar: "the 6 months to 2024-12-30") against the same length of time before,
/// cut at the archive's first day.
fn last_periods_against_before(
    dates: &[NaiveDate],
    span: Span,
    periods: usize,
    period: Period,
) -> Comparison {
    let back = |to: NaiveDate| -> NaiveDate {
        // The first day of the stretch of `periods` periods that ends on `to`: counted
        // back from the day after, so that one ending on a month's last day starts on a
        // month's first.
        let after = to + Duration::days(1);
        // Any number of periods may be configured: one beyond the calendar reaches
        // before the archive, so there is nothing to compare with.
        let n = u32::try_from(periods).unwrap_or(u32::MAX);
        let start = match period {
            Period::Week => after.checked_sub_days(Days::new(7 * u64::from(n))),
            Period::Month => after.checked_sub_months(Months::new(n)),
            Period::Quarter => after.checked_sub_months(Months::new(n.saturating_mul(3))),
        };
        start.unwrap_or(NaiveDate::MIN)
    };
    let recent_from = back(span.end);
    if recent_from <= span.first {
        return comparison(dates, (span.first, span.end), None, false);
    }
    let before_to = recent_from - Duration::days(1);
    let before_from = back(before_to);
    let cut = before_from < span.first;
    comparison(
        dates,
        (recent_from, span.end),
        Some((before_from.max(span.first), before_to)),
        cut,
    )
}

/// The least-squares line through the whole periods of the series (a period the archive
/// covers only in part, its first or its last, would read as a fall or a rise that is
/// not there), and the exact test of its first half against its second.
fn fit_trend(
    series: &[PeriodCount],
    whole: &[bool],
    keys: &[PeriodKey],
    period: Period,
    dates: &[NaiveDate],
) -> Option<Trend> {
    let from = whole.iter().position(|&w| w)?;
    let to = whole.iter().rposition(|&w| w)?;
    let fitted = to - from + 1;
    if fitted < TREND_MIN_PERIODS {
        return None;
    }
    let totals: Vec<f64> = series[from..=to].iter().map(|p| p.total as f64).collect();
    let (start, end) = least_squares(&totals)?;
    // Halves of equal numbers of periods; the middle one of an odd number is left out.
    let half = fitted / 2;
    let first_half = (
        period_bounds(keys[from], period).0,
        period_bounds(keys[from + half - 1], period).1,
    );
    let second_half = (
        period_bounds(keys[to + 1 - half], period).0,
        period_bounds(keys[to], period).1,
    );
    Some(Trend {
        from,
        to,
        start,
        end,
        incidents: series[from..=to].iter().map(|p| p.total).sum(),
        halves: comparison(dates, second_half, Some(first_half), false),
    })
}

fn stat(values: impl Iterator<Item = i64>) -> Stat {
    let values: Vec<i64> = values.collect();
    Stat {
        count: values.len(),
        median: percentile(&values, 0.5),
        p90: percentile(&values, 0.9),
    }
}

/// The `q` quantile by linear interpolation between closest ranks.
pub fn percentile(values: &[i64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let rank = q * (v.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    Some(v[lo] as f64 + (v[hi] - v[lo]) as f64 * (rank - lo as f64))
}

/// Least-squares line through the points (index, value): its values at both ends.
fn least_squares(values: &[f64]) -> Option<(f64, f64)> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let mean_x = (nf - 1.0) / 2.0;
    let mean_y = values.iter().sum::<f64>() / nf;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, y) in values.iter().enumerate() {
        num += (i as f64 - mean_x) * (y - mean_y);
        den += (i as f64 - mean_x).powi(2);
    }
    let slope = num / den;
    let start = mean_y - slope * mean_x;
    Some((start, start + slope * (nf - 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate() {
        assert_eq!(percentile(&[10, 20, 30, 40], 0.5), Some(25.0));
        assert_eq!(percentile(&[5], 0.9), Some(5.0));
        assert_eq!(percentile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), Some(9.1));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn trend_fits_a_line() {
        let (a, b) = least_squares(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!((a - 1.0).abs() < 1e-9 && (b - 4.0).abs() < 1e-9);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_run_from_the_first_day_to_the_archives_end_and_no_further() {
        let labels = |first, end, period| -> Vec<String> {
            period_keys(first, end, period)
                .into_iter()
                .map(|key| label_of(key, period))
                .collect()
        };
        assert_eq!(
            labels(d(2024, 1, 15), d(2024, 4, 2), Period::Month),
            ["2024-01", "2024-02", "2024-03", "2024-04"]
        );
        assert_eq!(
            labels(d(2023, 12, 30), d(2024, 1, 8), Period::Week),
            ["2023-W52", "2024-W01", "2024-W02"]
        );
        assert_eq!(
            labels(d(2024, 2, 1), d(2024, 7, 1), Period::Quarter),
            ["2024-Q1", "2024-Q2", "2024-Q3"]
        );
        assert!(labels(d(2024, 2, 1), d(2024, 1, 1), Period::Month).is_empty());
        assert_eq!(period_label(d(2024, 5, 1), Period::Quarter), "2024-Q2");
        assert_eq!(period_label(d(2024, 1, 1), Period::Week), "2024-W01");
        assert_eq!(
            period_bounds((2024, 2), Period::Month),
            (d(2024, 2, 1), d(2024, 2, 29))
        );
        assert_eq!(
            period_bounds((2024, 4), Period::Quarter),
            (d(2024, 10, 1), d(2024, 12, 31))
        );
        assert_eq!(
            period_bounds((2024, 1), Period::Week),
            (d(2024, 1, 1), d(2024, 1, 7))
        );
    }

    #[test]
    fn the_exact_test_matches_rs_binom_test() {
        // binom.test(3, 6)$p.value = 1; binom.test(2, 12)$p.value = 0.03857422;
        // binom.test(10, 10)$p.value = 0.001953125; binom.test(4, 10, 1/3) = 0.7398771
        let p = |r, b, rd, bd| exact_p_value(r, b, rd, bd).unwrap();
        assert!((p(3, 3, 10, 10) - 1.0).abs() < 1e-9);
        assert!((p(2, 10, 30, 30) - 0.038_574_22).abs() < 1e-7);
        assert!((p(10, 0, 7, 7) - 0.001_953_125).abs() < 1e-9);
        assert!((p(4, 6, 10, 20) - 0.739_877_1).abs() < 1e-6);
        assert_eq!(exact_p_value(0, 0, 10, 10), None);
        assert_eq!(exact_p_value(3, 0, 10, 0), None);
    }

    #[test]
    fn a_change_is_told_only_when_the_test_supports_it() {
        let dates = |spec: &[(NaiveDate, usize)]| -> Vec<NaiveDate> {
            let mut v: Vec<NaiveDate> = spec
                .iter()
                .flat_map(|&(d, n)| std::iter::repeat_n(d, n))
                .collect();
            v.sort_unstable();
            v
        };
        let span = Span {
            first: d(2023, 1, 1),
            end: d(2024, 12, 31),
            end_is_as_of: false,
        };
        // 3 against 3: noise.
        let flat = dates(&[(d(2024, 3, 1), 3), (d(2024, 9, 1), 3)]);
        let c = last_periods_against_before(&flat, span, 6, Period::Month);
        assert_eq!((c.recent, c.before, c.verdict), (3, 3, Verdict::NotEnough));
        assert_eq!(
            (c.recent_from, c.before_from),
            (d(2024, 7, 1), d(2024, 1, 1))
        );
        assert_eq!(c.percent, None);
        // 2 against 20: a fall.
        let fewer = dates(&[(d(2024, 3, 1), 20), (d(2024, 9, 1), 2)]);
        let c = last_periods_against_before(&fewer, span, 6, Period::Month);
        assert_eq!(c.verdict, Verdict::Fall);
        assert!(c.p_value.unwrap() < 0.001);
        assert!(c.percent.unwrap() < -85.0);
        // The archive is shorter than the stretch compared.
        let short = Span {
            first: d(2024, 10, 1),
            ..span
        };
        let c = last_periods_against_before(&flat, short, 6, Period::Month);
        assert_eq!((c.verdict, c.recent), (Verdict::TooShort, 0));
        // The earlier stretch cut by the archive's first day: rates per day compared.
        let cut = Span {
            first: d(2024, 4, 1),
            ..span
        };
        let c = last_periods_against_before(&flat, cut, 6, Period::Month);
        assert!(c.before_cut);
        assert_eq!((c.before_from, c.before_days), (d(2024, 4, 1), 91));
    }
}
