//! Insights: is the practice working? Numbers computed from the knowledge base for the
//! insights pages (whole book, per service, per team) and the JSON export: incidents
//! per period by severity with a trend, detection and recovery times, recurring
//! factors, action-item follow-through, services by impact.
//!
//! Pure data: rendering turns it into SVG charts and tables.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::config::{Config, Period};
use crate::link::KnowledgeBase;
use crate::model::{ActionStatus, Durations};

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
    pub recurred_after_done: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamFollowThrough {
    pub team: String,
    pub open: usize,
    pub overdue: usize,
    pub done: usize,
    /// Median days from the incident to the item's `closed` date, over items that
    /// record one.
    pub median_days_to_close: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceImpact {
    pub service: String,
    pub incidents: usize,
    /// Sum of the incidents' durations (start to resolution), in minutes.
    pub impact_minutes: i64,
}

/// The headline: the last `periods` periods against the same number before them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub periods: usize,
    pub recent: usize,
    pub before: usize,
    /// Percentage change, `None` when there was nothing before.
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insights {
    pub period: &'static str,
    pub incidents: usize,
    pub severities: Vec<String>,
    pub series: Vec<PeriodCount>,
    /// Least-squares trend of incidents per period: value at the first and last period.
    pub trend: Option<(f64, f64)>,
    pub change: Change,
    pub durations_by_period: Vec<DurationRow>,
    pub durations_by_severity: Vec<DurationRow>,
    pub years: Vec<String>,
    pub top_factors: Vec<FactorStat>,
    pub follow_through: Vec<TeamFollowThrough>,
    pub services: Vec<ServiceImpact>,
}

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
            .unwrap_or_else(|| "unknown".to_owned());
        if !severities.contains(&s) {
            severities.push(s);
        }
    }
    // Only severities that occur, in the configured order.
    severities.retain(|s| {
        incidents
            .iter()
            .any(|&i| kb.incident(i).severity.as_deref().unwrap_or("unknown") == s)
    });

    let dated: Vec<(usize, NaiveDate)> = incidents
        .iter()
        .filter_map(|&i| Some((i, kb.incident(i).date?)))
        .collect();
    let keys = period_keys(&dated, kb.as_of, period);
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
        let sev = kb.incident(i).severity.as_deref().unwrap_or("unknown");
        if let Some(s) = severities.iter().position(|x| x == sev) {
            series[n].by_severity[s] += 1;
        }
        series[n].total += 1;
    }
    let totals: Vec<f64> = series.iter().map(|p| p.total as f64).collect();
    let compare = config.insights.compare_periods.max(1);
    let recent: usize = series.iter().rev().take(compare).map(|p| p.total).sum();
    let before: usize = series
        .iter()
        .rev()
        .skip(compare)
        .take(compare)
        .map(|p| p.total)
        .sum();
    let change = Change {
        periods: compare,
        recent,
        before,
        percent: (before > 0).then(|| (recent as f64 - before as f64) / before as f64 * 100.0),
    };

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
                .filter(|&i| kb.incident(i).severity.as_deref().unwrap_or("unknown") == s)
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
                recurred_after_done: f.recurred_after_done.iter().any(|&i| keep(i)),
            })
        })
        .collect();
    top_factors.sort_by(|a, b| b.incidents.cmp(&a.incidents).then(a.id.cmp(&b.id)));
    top_factors.truncate(TOP_FACTORS);

    let mut teams: BTreeMap<&str, (usize, usize, usize, Vec<i64>)> = BTreeMap::new();
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
        match item.status {
            ActionStatus::Open | ActionStatus::InProgress => entry.0 += 1,
            ActionStatus::Done => entry.2 += 1,
            ActionStatus::WontDo => {}
        }
        if kb.is_overdue(item) {
            entry.1 += 1;
        }
        if let (Some(closed), Some(date)) = (item.closed, incident.date) {
            entry.3.push((closed - date).num_days());
        }
    }
    let follow_through = teams
        .into_iter()
        .map(|(team, (open, overdue, done, days))| TeamFollowThrough {
            team: team.to_owned(),
            open,
            overdue,
            done,
            median_days_to_close: percentile(&days, 0.5),
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
        severities,
        trend: trend(&totals),
        series,
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

/// Every period from the earliest incident's to the later of the latest incident's and
/// `as_of`'s, so quiet periods show as zero.
fn period_keys(dated: &[(usize, NaiveDate)], as_of: NaiveDate, period: Period) -> Vec<PeriodKey> {
    let Some(first) = dated.iter().map(|(_, d)| *d).min() else {
        return Vec::new();
    };
    let last = dated
        .iter()
        .map(|(_, d)| *d)
        .max()
        .unwrap_or(first)
        .max(as_of);
    let mut out: Vec<PeriodKey> = Vec::new();
    let mut day = first;
    while day <= last {
        let key = period_key(day, period);
        if out.last() != Some(&key) {
            out.push(key);
        }
        day = match period {
            Period::Week => day + chrono::Duration::days(7),
            _ => day + chrono::Duration::days(1),
        };
    }
    let last_key = period_key(last, period);
    if out.last() != Some(&last_key) {
        out.push(last_key);
    }
    out
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
fn trend(values: &[f64]) -> Option<(f64, f64)> {
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
        let (a, b) = trend(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!((a - 1.0).abs() < 1e-9 && (b - 4.0).abs() < 1e-9);
    }

    #[test]
    fn period_labels_cover_quiet_periods() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let labels: Vec<String> = period_keys(
            &[(0, d(2024, 1, 15)), (1, d(2024, 4, 2))],
            d(2024, 4, 30),
            Period::Month,
        )
        .into_iter()
        .map(|key| label_of(key, Period::Month))
        .collect();
        assert_eq!(labels, ["2024-01", "2024-02", "2024-03", "2024-04"]);
        assert_eq!(period_label(d(2024, 5, 1), Period::Quarter), "2024-Q2");
        assert_eq!(period_label(d(2024, 1, 1), Period::Week), "2024-W01");
    }
}
