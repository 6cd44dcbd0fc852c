//! Scenes: what a chart draws, in data units, built from analysis results without drawing
//! anything, so that they can be tested without rendering. One builder per chart kind.

use plotters::style::RGBColor;

use super::text::{capitalise, plural};
use super::{thin, ChartSpec};
use crate::axis::TimeAxis;
use crate::fit::{Warning, WarningKind};
use crate::project::{ProjectedPoint, Projection};
use crate::series::Kind;

pub(crate) mod comparison;
pub(crate) mod fan;
pub(crate) mod fit;
pub(crate) mod histogram;
pub(crate) mod recommendation;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Shape {
    Dot,
    Hollow,
    Up,
    Down,
    Diamond,
    Square,
}

impl Shape {
    pub(crate) fn of(kind: Kind) -> Self {
        match kind {
            Kind::Exact => Shape::Dot,
            Kind::About => Shape::Diamond,
            Kind::AtLeast => Shape::Up,
            Kind::AtMost => Shape::Down,
            Kind::Derived => Shape::Hollow,
        }
    }
}

pub(crate) fn kind_legend(kind: Kind) -> &'static str {
    match kind {
        Kind::Exact => "observed",
        Kind::About => "observed, approximate (\"about\")",
        Kind::AtLeast => "lower bound (\"more than\")",
        Kind::AtMost => "upper bound (\"less than\")",
        Kind::Derived => "derived from other figures",
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Glyph {
    Band(RGBColor, f64),
    Line(RGBColor, u32, bool),
    Mark(Shape, RGBColor),
}

#[derive(Clone, Debug)]
pub(crate) struct LegendItem {
    pub(crate) glyph: Glyph,
    pub(crate) text: String,
}

#[derive(Clone, Debug)]
pub(crate) struct BandLayer {
    /// What the band is, for notes about clipping.
    pub(crate) name: String,
    pub(crate) pts: Vec<(f64, f64, f64)>,
    pub(crate) color: RGBColor,
    pub(crate) alpha: f64,
}

impl BandLayer {
    /// A band from a projection: `edges` picks a point's lower and upper edge.
    pub(crate) fn of(
        name: String,
        p: &Projection,
        edges: fn(&ProjectedPoint) -> (f64, f64),
        color: RGBColor,
        alpha: f64,
    ) -> Self {
        let pts = p
            .points
            .iter()
            .map(|q| {
                let (lo, hi) = edges(q);
                (q.t, lo, hi)
            })
            .collect();
        Self {
            name,
            pts,
            color,
            alpha,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct LineLayer {
    /// What the line is, for notes about clipping.
    pub(crate) name: String,
    pub(crate) pts: Vec<(f64, f64)>,
    pub(crate) color: RGBColor,
    pub(crate) width: u32,
    pub(crate) dashed: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Mark {
    pub(crate) t: f64,
    pub(crate) v: f64,
    pub(crate) shape: Shape,
    pub(crate) color: RGBColor,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Scene {
    pub(crate) title: String,
    pub(crate) subtitle: Vec<String>,
    pub(crate) cautions: Vec<String>,
    pub(crate) caption: Vec<String>,
    pub(crate) unit: String,
    /// The time axis: its ticks, its label and how times are said.
    pub(crate) axis: TimeAxis,
    pub(crate) bands: Vec<BandLayer>,
    pub(crate) lines: Vec<LineLayer>,
    pub(crate) marks: Vec<Mark>,
    pub(crate) legend: Vec<LegendItem>,
    /// Last observation: a divider between data and projection.
    pub(crate) divider: Option<f64>,
    /// Horizontal reference lines.
    pub(crate) references: Vec<(f64, String)>,
    /// The marks were thinned from a long series: draw them small, without halos, under the
    /// curves.
    pub(crate) thinned: bool,
}

pub(crate) const INK: RGBColor = RGBColor(34, 34, 34);
pub(crate) const GREY: RGBColor = RGBColor(90, 90, 90);
pub(crate) const CAUTION: RGBColor = RGBColor(165, 30, 30);
pub(crate) const REFERENCE: RGBColor = RGBColor(110, 110, 110);
/// Okabe–Ito colours (distinguishable with colour-vision deficiency), blue first.
pub(crate) const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
];

fn default_horizon(first: f64, last: f64) -> f64 {
    last + ((last - first) / 2.0).max(1.0)
}

fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    let n = n.max(2);
    (0..n)
        .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
        .collect()
}

/// The times a chart evaluates curves at, over observations at `times` (in time order): dense
/// over the data (120), then to the horizon of `spec` (160 more, sharing the last observation)
/// when it lies beyond; without a horizon, half the data's span (at least a year) beyond.
pub(crate) fn chart_grid(
    times: impl DoubleEndedIterator<Item = f64>,
    spec: &ChartSpec,
) -> Vec<f64> {
    let mut times = times;
    let first = times.next().unwrap_or(0.0);
    let last = times.next_back().unwrap_or(first);
    let horizon = spec.horizon.unwrap_or_else(|| default_horizon(first, last));
    let mut t = linspace(first, last, 120);
    if horizon > last {
        t.extend(linspace(last, horizon, 160).into_iter().skip(1));
    }
    t
}

/// The cautions to print on a chart, most serious first, one per kind (every parameter that is
/// not identified), at most three lines.
pub(crate) fn cautions_of(warnings: &[Warning]) -> Vec<String> {
    let rank = |k: WarningKind| match k {
        WarningKind::NoDegreesOfFreedom => 0,
        WarningKind::NotIdentified => 1,
        WarningKind::CeilingBeyondData => 2,
        WarningKind::NotPositive => 3,
        WarningKind::LongHorizon => 4,
        _ => 5,
    };
    let mut ws: Vec<&Warning> = warnings.iter().collect();
    ws.sort_by_key(|w| rank(w.kind));
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for w in ws {
        if seen.contains(&w.kind) && w.kind != WarningKind::NotIdentified {
            continue;
        }
        seen.push(w.kind);
        out.push(w.message.clone());
    }
    if out.len() > 3 {
        let more = out.len() - 2;
        out.truncate(2);
        out.push(format!(
            "… and {} in the fit report.",
            plural(more, "more caution")
        ));
    }
    out.into_iter()
        .enumerate()
        .map(|(i, m)| {
            if i == 0 {
                format!("Caution: {m}")
            } else {
                capitalise(&m)
            }
        })
        .collect()
}

pub(crate) fn marks_legend(kinds: &[Kind], color: RGBColor) -> Vec<LegendItem> {
    Kind::NAMES
        .iter()
        .filter_map(|n| n.parse::<Kind>().ok())
        .filter(|k| kinds.contains(k))
        .map(|k| LegendItem {
            glyph: Glyph::Mark(Shape::of(k), color),
            text: kind_legend(k).to_string(),
        })
        .collect()
}
/// Draws at most two markers per pixel column and marker style (the lowest and the highest), so
/// a chart of a long series costs about as much as its fit; the caption says so. Everything was
/// fitted: only what is drawn is thinned.
pub(crate) fn thin_scene_marks(sc: &mut Scene, spec: &ChartSpec) {
    if let Some(n) = thin::thin_marks(&mut sc.marks, spec.width as usize) {
        sc.thinned = true;
        sc.caption.push(format!(
            "{} of {n} observations drawn: the lowest and the highest in each pixel column (all were fitted).",
            sc.marks.len()
        ));
    }
}

/// Marks in one colour for observations `(t, value, kind)`, and the kinds met, in order.
pub(crate) fn observed_marks(
    points: impl Iterator<Item = (f64, f64, Kind)>,
    color: RGBColor,
) -> (Vec<Mark>, Vec<Kind>) {
    let mut kinds = Vec::new();
    let mut marks = Vec::new();
    for (t, v, kind) in points {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
        marks.push(Mark {
            t,
            v,
            shape: Shape::of(kind),
            color,
        });
    }
    (marks, kinds)
}

/// How a projection is drawn by [`add_projection`]: its colour, each band's layer name, shade and
/// legend text, and the curve's layer names and legend text.
pub(crate) struct ProjectionStyle {
    pub(crate) color: RGBColor,
    /// The prediction band.
    pub(crate) pred: BandStyle,
    /// The confidence band.
    pub(crate) conf: BandStyle,
    /// The curve's layer names: solid over the data, dashed beyond it.
    pub(crate) names: (String, String),
    /// The legend text of the solid curve.
    pub(crate) curve: String,
}

/// How one band of a projection is drawn: its layer name, shade and legend text.
pub(crate) struct BandStyle {
    pub(crate) name: String,
    pub(crate) alpha: f64,
    pub(crate) legend: String,
}

/// The observations `(t, value, kind)` as the scene's marks in ink, and the legend of their kinds
/// (replacing any marks and legend the scene had).
pub(crate) fn add_observed(sc: &mut Scene, points: impl Iterator<Item = (f64, f64, Kind)>) {
    let (marks, kinds) = observed_marks(points, INK);
    sc.marks = marks;
    sc.legend = marks_legend(&kinds, INK);
}

/// Adds `p` to the scene in `style`: its prediction and confidence bands (when the spec asks for
/// bands and `p` has a finite one), its curve (solid up to `p.last_observed`, dashed beyond,
/// with the divider there) and their legend lines after those already in the scene. Returns
/// whether `p` has a finite confidence band, and the horizon (the last time) when the curve is
/// projected beyond the data.
pub(crate) fn add_projection(
    sc: &mut Scene,
    p: &Projection,
    spec: &ChartSpec,
    style: ProjectionStyle,
) -> (bool, Option<f64>) {
    let color = style.color;
    let finite = p
        .points
        .iter()
        .any(|q| q.conf_lower.is_finite() && q.conf_upper.is_finite());
    let bands = spec.bands && finite;
    let (pred, conf) = (style.pred, style.conf);
    if bands {
        let pred_band = |q: &ProjectedPoint| (q.pred_lower, q.pred_upper);
        sc.bands
            .push(BandLayer::of(pred.name, p, pred_band, color, pred.alpha));
        let conf_band = |q: &ProjectedPoint| (q.conf_lower, q.conf_upper);
        sc.bands
            .push(BandLayer::of(conf.name, p, conf_band, color, conf.alpha));
    }
    sc.lines
        .extend(curve_lines(p, p.last_observed, style.names, color, 3));
    let projected = sc.lines.iter().any(|l| l.dashed);
    let horizon = p.points.last().map(|q| q.t).filter(|_| projected);
    sc.divider = horizon.map(|_| p.last_observed);
    sc.legend.push(LegendItem {
        glyph: Glyph::Line(color, 3, false),
        text: style.curve,
    });
    if let Some(h) = horizon {
        sc.legend.push(LegendItem {
            glyph: Glyph::Line(color, 3, true),
            text: format!("projection to {}", sc.axis.at(h)),
        });
    }
    if bands {
        sc.legend.push(LegendItem {
            glyph: Glyph::Band(color, conf.alpha),
            text: conf.legend,
        });
        sc.legend.push(LegendItem {
            glyph: Glyph::Band(color, pred.alpha),
            text: pred.legend,
        });
    }
    (finite, horizon)
}

/// How many points of `p` lie over the data, at or before `last` (the last observation); the
/// rest are projected. The points are in time order.
pub(crate) fn data_points(p: &Projection, last: f64) -> usize {
    p.points.partition_point(|q| q.t <= last + 1e-9)
}

/// A projection's curve: a solid line over the data (`names.0`) and, when it reaches beyond
/// `last`, a dashed line (`names.1`) that starts at the last point over the data.
pub(crate) fn curve_lines(
    p: &Projection,
    last: f64,
    names: (String, String),
    color: RGBColor,
    width: u32,
) -> Vec<LineLayer> {
    let curve: Vec<(f64, f64)> = p.points.iter().map(|q| (q.t, q.value)).collect();
    let n_data = data_points(p, last);
    let mut lines = Vec::new();
    if n_data > 0 {
        lines.push(LineLayer {
            name: names.0,
            pts: curve[..n_data].to_vec(),
            color,
            width,
            dashed: false,
        });
    }
    if n_data < curve.len() {
        lines.push(LineLayer {
            name: names.1,
            pts: curve[n_data.saturating_sub(1)..].to_vec(),
            color,
            width,
            dashed: true,
        });
    }
    lines
}

#[cfg(test)]
mod tests;
