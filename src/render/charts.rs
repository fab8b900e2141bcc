//! Chart geometry for the insights pages: numbers computed here, SVG markup in the
//! templates (`themes/default/templates/charts.html`). Colours come from CSS classes,
//! so charts follow dark mode and print.

use serde::Serialize;

use crate::insights::Insights;

/// Drawing area of the column chart, in SVG user units.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 10.0;
/// Room after the last column for its label, centred under it.
const RIGHT: f64 = 28.0;

#[derive(Debug, Serialize)]
pub struct Rect {
    pub x: Px,
    pub y: Px,
    pub w: Px,
    pub h: Px,
    /// CSS class: `sev-sev1`, `bar-done`, …
    pub class: String,
    /// Tooltip.
    pub title: String,
}

#[derive(Debug, Serialize)]
pub struct Tick {
    pub x: Px,
    pub y: Px,
    pub text: String,
}

/// Stacked columns per period, with a trend line.
#[derive(Debug, Serialize)]
pub struct ColumnChart {
    pub width: Px,
    pub height: Px,
    pub baseline: Px,
    pub left: Px,
    pub rects: Vec<Rect>,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub trend: Option<(Px, Px, Px, Px)>,
    pub legend: Vec<(String, String)>,
}

pub fn incidents_per_period(i: &Insights) -> ColumnChart {
    let n = i.series.len().max(1) as f64;
    let max = i.series.iter().map(|p| p.total).max().unwrap_or(0).max(1) as f64;
    let plot_h = HEIGHT - BOTTOM - TOP;
    let step = (WIDTH - LEFT - RIGHT) / n;
    let bar = (step * 0.7).max(1.0);
    let scale = |v: f64| plot_h * v / max;
    let mut rects = Vec::new();
    for (k, p) in i.series.iter().enumerate() {
        let x = LEFT + k as f64 * step + (step - bar) / 2.0;
        // A period the archive covers only in part: drawn paler, and said so.
        let (partial, note) = if i.whole.get(k) == Some(&false) {
            (
                " partial",
                format!(" (the archive covers part of this {})", i.period),
            )
        } else {
            ("", String::new())
        };
        let mut y = HEIGHT - BOTTOM;
        for (s, count) in p.by_severity.iter().enumerate() {
            if *count == 0 {
                continue;
            }
            let h = scale(*count as f64);
            y -= h;
            rects.push(Rect {
                x: round(x),
                y: round(y),
                w: round(bar),
                h: round(h),
                class: format!("sev-{}{partial}", slug::slugify(&i.severities[s])),
                title: format!("{}: {} {}{note}", p.label, count, i.severities[s]),
            });
        }
    }
    // About eight labels along the axis, whatever the number of periods.
    let every = (i.series.len() / 8).max(1);
    let x_ticks = i
        .series
        .iter()
        .enumerate()
        .filter(|(k, _)| k % every == 0)
        .map(|(k, p)| Tick {
            x: round(LEFT + k as f64 * step + step / 2.0),
            y: Px(HEIGHT - 8.0),
            text: p.label.clone(),
        })
        .collect();
    // Whole numbers only: 0, the maximum, and the middle when it is a whole number.
    let mut marks = vec![0.0, max];
    if max >= 4.0 {
        marks.insert(1, (max / 2.0).round());
    }
    let y_ticks = marks
        .iter()
        .map(|v| Tick {
            x: Px(LEFT - 6.0),
            y: round(HEIGHT - BOTTOM - scale(*v) + 4.0),
            text: format!("{}", v.round()),
        })
        .collect();
    // Drawn over the whole periods it was fitted to.
    let trend = i.trend.as_ref().map(|t| {
        let x1 = LEFT + t.from as f64 * step + step / 2.0;
        let x2 = LEFT + t.to as f64 * step + step / 2.0;
        (
            round(x1),
            round(HEIGHT - BOTTOM - scale(t.start.max(0.0))),
            round(x2),
            round(HEIGHT - BOTTOM - scale(t.end.max(0.0))),
        )
    });
    ColumnChart {
        width: Px(WIDTH),
        height: Px(HEIGHT),
        baseline: Px(HEIGHT - BOTTOM),
        left: Px(LEFT),
        rects,
        x_ticks,
        y_ticks,
        trend,
        legend: i
            .severities
            .iter()
            .map(|s| (s.clone(), format!("sev-{}", slug::slugify(s))))
            .collect(),
    }
}

/// One segment of a horizontal bar: its share of the longest bar, in percent.
#[derive(Debug, Serialize)]
pub struct Segment {
    pub percent: Px,
    /// CSS class: `bar-done`, `bar-factor`, …
    pub class: String,
    /// Tooltip.
    pub title: String,
}

/// One row of a horizontal bar chart: stacked segments after a label.
#[derive(Debug, Serialize)]
pub struct BarRow {
    pub label: String,
    pub url: Option<String>,
    pub segments: Vec<Segment>,
    pub value: String,
}

/// Horizontal bars, drawn in HTML rather than SVG: their labels wrap instead of being
/// cut, and their text keeps its size on a phone.
#[derive(Debug, Serialize)]
pub struct BarChart {
    pub rows: Vec<BarRow>,
    pub legend: Vec<(String, String)>,
}

/// One segment of a bar: (value, CSS class, tooltip).
pub type SegmentSpec = (f64, String, String);
/// One row of a bar chart: (label, link, segments, value shown after the bar).
pub type BarSpec = (String, Option<String>, Vec<SegmentSpec>, String);

/// A horizontal bar chart of stacked segments, scaled to the longest row.
pub fn bars(rows: Vec<BarSpec>, legend: Vec<(String, String)>) -> BarChart {
    let max = rows
        .iter()
        .map(|(_, _, s, _)| s.iter().map(|(v, _, _)| v).sum::<f64>())
        .fold(0.0, f64::max)
        .max(1.0);
    let rows = rows
        .into_iter()
        .map(|(label, url, segments, value)| BarRow {
            label,
            url,
            segments: segments
                .into_iter()
                .filter(|(v, _, _)| *v > 0.0)
                .map(|(v, class, title)| Segment {
                    percent: round(100.0 * v / max),
                    class,
                    title,
                })
                .collect(),
            value,
        })
        .collect();
    BarChart { rows, legend }
}

/// `v` to a tenth of a unit: finer is invisible, and shorter in every chart's markup.
fn round(v: f64) -> Px {
    Px((v * 10.0).round() / 10.0)
}

/// A length or position in SVG user units, written as short as it reads: `30`, not
/// `30.0` (templates print numbers as serialised).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Px(pub f64);

impl Serialize for Px {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < 1e15 {
            s.serialize_i64(v as i64)
        } else {
            s.serialize_f64(v)
        }
    }
}

/// Width of a distribution chart, in SVG user units: about what a phone shows at one
/// unit a pixel, so its text stays legible at 390 px.
const DIST_WIDTH: f64 = 360.0;
const DIST_SIDE: f64 = 12.0;
/// Height of one severity's row: its label, then its band of points.
const DIST_ROW: f64 = 40.0;
const DIST_BAND: f64 = 22.0;
const DIST_AXIS: f64 = 24.0;
/// Above this many incidents in a row, the row is drawn as a box plot alone (every
/// point would be thousands of marks blurring into one).
pub const POINTS_MAX: usize = 400;

/// One group's distribution of a duration: every incident a point (up to
/// [`POINTS_MAX`]), and a box (quartiles) with its median where the sample supports them.
#[derive(Debug, Serialize)]
pub struct DistRow {
    /// "SEV1 (n = 12)".
    pub label: String,
    pub label_y: Px,
    /// The band's top and middle.
    pub top: Px,
    pub middle: Px,
    pub points: Vec<Point>,
    pub bottom: Px,
    /// The quartiles' box: x of Q1 and its width.
    pub boxed: Option<(Px, Px)>,
    pub median: Option<Px>,
    /// From the smallest to the largest value, drawn when the points are not.
    pub whisker: Option<(Px, Px)>,
    /// The row's values in words, for its tooltip.
    pub summary: String,
}

#[derive(Debug, Serialize)]
pub struct Point {
    pub x: Px,
    pub y: Px,
}

/// A duration against severity: one row per severity, time on a logarithmic axis.
#[derive(Debug, Serialize)]
pub struct Distribution {
    pub width: Px,
    pub height: Px,
    pub left: Px,
    pub right: Px,
    pub axis_y: Px,
    /// A row's band height.
    pub band: Px,
    pub rows: Vec<DistRow>,
    pub ticks: Vec<Tick>,
}

/// The marks on a duration axis, in minutes, with their labels; those that would crowd
/// the one before are left out.
const DURATION_TICKS: &[(i64, &str)] = &[
    (0, "0"),
    (1, "1m"),
    (5, "5m"),
    (15, "15m"),
    (60, "1h"),
    (240, "4h"),
    (1440, "1d"),
    (10080, "1w"),
    (43200, "30d"),
    (525_600, "1y"),
];

/// One row of a distribution chart.
pub struct DistGroup<'a> {
    pub label: String,
    /// Its values in minutes, sorted.
    pub values: &'a [i64],
    /// The 25th and 75th percentiles, when stated.
    pub quartiles: Option<(f64, f64)>,
    pub median: Option<f64>,
    /// The row in words, for its tooltip.
    pub summary: String,
}

/// Each group as a row of points on a shared log axis, with its box and median where
/// the sample supports them.
pub fn distribution(groups: &[DistGroup]) -> Distribution {
    let max = groups
        .iter()
        .flat_map(|g| g.values.iter().copied())
        .max()
        .unwrap_or(60)
        .max(60);
    let (left, right) = (DIST_SIDE, DIST_WIDTH - DIST_SIDE);
    // ln(1 + minutes): zero (found at once) has a place, and an hour and a week both
    // fit on one axis.
    let scale = |m: f64| left + (right - left) * (1.0 + m.max(0.0)).ln() / (1.0 + max as f64).ln();
    let rows: Vec<DistRow> = groups
        .iter()
        .enumerate()
        .map(|(k, g)| {
            let values = g.values;
            let top = k as f64 * DIST_ROW + 14.0;
            let middle = top + DIST_BAND / 2.0;
            let points = if values.len() <= POINTS_MAX {
                values
                    .iter()
                    .enumerate()
                    .map(|(n, &v)| {
                        // Spread across the band by the golden ratio: the same
                        // positions every build, and equal values do not hide each other.
                        let spread = (n as f64 * 0.618_034).fract();
                        Point {
                            x: round(scale(v as f64)),
                            y: round(top + 3.0 + spread * (DIST_BAND - 6.0)),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let whisker = match (points.is_empty(), values.first(), values.last()) {
                (true, Some(&lo), Some(&hi)) => {
                    Some((round(scale(lo as f64)), round(scale(hi as f64))))
                }
                _ => None,
            };
            DistRow {
                label: g.label.clone(),
                label_y: Px(top - 3.0),
                top: Px(top),
                middle: round(middle),
                bottom: round(top + DIST_BAND),
                points,
                boxed: g
                    .quartiles
                    .map(|(q1, q3)| (round(scale(q1)), round((scale(q3) - scale(q1)).max(1.0)))),
                median: g.median.map(|m| round(scale(m))),
                whisker,
                summary: g.summary.clone(),
            }
        })
        .collect();
    let axis_y = rows.len() as f64 * DIST_ROW + 8.0;
    let mut ticks: Vec<Tick> = Vec::new();
    for &(minutes, text) in DURATION_TICKS {
        if minutes > max {
            break;
        }
        let x = scale(minutes as f64);
        if ticks.last().is_some_and(|t| x - t.x.0 < 30.0) {
            continue;
        }
        ticks.push(Tick {
            x: round(x),
            y: Px(axis_y + 16.0),
            text: text.to_owned(),
        });
    }
    Distribution {
        width: Px(DIST_WIDTH),
        height: Px(axis_y + DIST_AXIS),
        left: Px(left),
        right: Px(right),
        axis_y: Px(axis_y),
        band: Px(DIST_BAND),
        rows,
        ticks,
    }
}
