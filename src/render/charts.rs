//! Chart geometry for the insights pages: numbers computed here, SVG markup in the
//! templates (`themes/default/templates/charts.html`). Colours come from CSS classes,
//! so charts follow dark mode and print.

use serde::Serialize;

use crate::insights::Insights;

/// Drawing area of the column chart, in SVG user units.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 10.0;
/// Width of a horizontal bar chart's bar area.
const BAR_WIDTH: f64 = 420.0;

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
    let step = (WIDTH - LEFT) / n;
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

/// One row of a horizontal bar chart: stacked segments after a label.
#[derive(Debug, Serialize)]
pub struct BarRow {
    pub label: String,
    /// Where the label's and the value's text stand on the y axis.
    pub text_y: Px,
    /// Where the value's text starts: after the last segment.
    pub value_x: Px,
    pub url: Option<String>,
    pub segments: Vec<Rect>,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct BarChart {
    pub width: Px,
    pub row_height: Px,
    pub height: Px,
    pub label_width: Px,
    /// Where the labels end (they are right-aligned before the bars).
    pub label_x: Px,
    pub rows: Vec<BarRow>,
    pub legend: Vec<(String, String)>,
}

/// One segment of a bar: (value, CSS class, tooltip).
pub type SegmentSpec = (f64, String, String);
/// One row of a bar chart: (label, link, segments, value shown after the bar).
pub type BarSpec = (String, Option<String>, Vec<SegmentSpec>, String);

/// A horizontal bar chart of stacked segments, scaled to the longest row.
pub fn bars(rows: Vec<BarSpec>, legend: Vec<(String, String)>) -> BarChart {
    let label_width = 200.0;
    let row_height = 26.0;
    let max = rows
        .iter()
        .map(|(_, _, s, _)| s.iter().map(|(v, _, _)| v).sum::<f64>())
        .fold(0.0, f64::max)
        .max(1.0);
    let rows: Vec<BarRow> = rows
        .into_iter()
        .enumerate()
        .map(|(k, (label, url, segments, value))| {
            let mut x = label_width;
            let y = k as f64 * row_height + 4.0;
            let segments = segments
                .into_iter()
                .filter(|(v, _, _)| *v > 0.0)
                .map(|(v, class, title)| {
                    let w = BAR_WIDTH * v / max;
                    let r = Rect {
                        x: round(x),
                        y: Px(y),
                        w: round(w.max(1.0)),
                        h: Px(row_height - 8.0),
                        class,
                        title,
                    };
                    x += w;
                    r
                })
                .collect::<Vec<_>>();
            let value_x = segments.last().map_or(0.0, |r| r.x.0 + r.w.0 + 6.0);
            BarRow {
                label,
                text_y: Px(y - 4.0 + row_height / 2.0 + 4.0),
                value_x: round(value_x),
                url,
                segments,
                value,
            }
        })
        .collect();
    BarChart {
        width: Px(label_width + BAR_WIDTH + 90.0),
        row_height: Px(row_height),
        height: Px(rows.len() as f64 * row_height + 4.0),
        label_width: Px(label_width),
        label_x: Px(label_width - 8.0),
        rows,
        legend,
    }
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
