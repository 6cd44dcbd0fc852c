//! Charts: observed points, fitted curves, projections with bands, model comparisons and
//! scenario fans, as PNG or SVG (cargo feature `plot`, on by default).
//!
//! * [`plot_fit`]: one fitted model over its series: the observations (a triangle pointing up for
//!   an `at_least` bound, down for `at_most`, a hollow circle for a `derived` figure, a diamond
//!   for an `about` figure), the fitted curve (solid over the data, dashed beyond the last
//!   observation), the confidence and prediction bands as shaded areas, the fit's cautions in
//!   the subtitle and the source as a caption.
//! * [`plot_comparison`]: several models over one series.
//! * [`plot_fan`]: several named paths from one base, e.g. scenarios to stated targets.
//!
//! Text is drawn with a bundled font (DejaVu Sans, in `assets/fonts/` with its licence) through
//! plotters' `ab_glyph` support, so charts render on a machine without system fonts, and nothing
//! links fontconfig or freetype. PNG files are encoded with the `png` crate.
//!
//! Charts say what they cannot show: a fit without degrees of freedom gets no bands and a
//! caution instead; curves and bands that run far beyond the data are cut at the edge of the
//! chart and the caption says where they go. Long series are fitted whole but drawn thinned, at
//! most two markers (the lowest and the highest) per pixel column and marker style, and the
//! caption says how many were drawn.
//!
//! ```no_run
//! use growthcast::plot::{plot_fit, ChartSpec};
//! use growthcast::{io, Exponential};
//!
//! let tokens = io::read_series("data/tokens_daily.csv")?;
//! let fit = tokens.fit(Exponential::new())?;
//! let spec = ChartSpec::new().title("Daily token use in China").horizon(2028.0);
//! plot_fit(&tokens, &fit, &spec, "tokens.png")?;             // PNG
//! plot_fit(&tokens, &fit, &spec, "tokens.svg")?;             // SVG, from the extension
//! # Ok::<(), growthcast::Error>(())
//! ```

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use chrono::Datelike;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};

use crate::error::{Error, Result};
use crate::fit::{ErrorModel, Fit, Warning, WarningKind};
use crate::scenario::{ScenarioSet, ScenarioSpec};
use crate::series::{Kind, Observation, Series};
use crate::time::{date_of, decimal_year, format_date};

mod glyphs;
mod thin;

/// The bundled font: DejaVu Sans 2.37 (Bitstream Vera licence, `assets/fonts/LICENSE-DejaVu.txt`).
static FONT_DATA: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// The font family every chart text uses; the bundled font is registered under it (and under
/// `serif`, `monospace` and `DejaVu Sans`, so no plotters default can miss it).
pub const FONT_FAMILY: &str = "sans-serif";

/// Registers the bundled font once; every chart function calls it.
fn fonts() -> std::result::Result<(), String> {
    static DONE: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        for name in [FONT_FAMILY, "serif", "monospace", "DejaVu Sans"] {
            register_font(name, FontStyle::Normal, FONT_DATA).map_err(|_| {
                format!("the bundled font DejaVuSans.ttf cannot be read (registering `{name}`)")
            })?;
        }
        Ok(())
    })
    .clone()
}

/// Output format of a chart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// PNG bitmap (the default).
    #[default]
    Png,
    /// SVG vector drawing; text is left to the viewer's sans-serif font.
    Svg,
}

impl Format {
    /// The format a file name asks for: SVG for `.svg` (any case), PNG otherwise.
    pub fn from_path(path: impl AsRef<Path>) -> Self {
        match path.as_ref().extension() {
            Some(e) if e.eq_ignore_ascii_case("svg") => Format::Svg,
            _ => Format::Png,
        }
    }
}

/// How a chart looks: size, format, axis scale, texts, bands and horizon.
///
/// Build it with [`ChartSpec::new`] and the `#[must_use]` setters; every field has a sensible
/// default.
///
/// ```
/// use growthcast::plot::{ChartSpec, Format};
/// let spec = ChartSpec::new()
///     .size(900, 540)
///     .log_y(true)
///     .title("Daily token use")
///     .horizon(2030.0)
///     .format(Format::Svg);
/// assert_eq!((spec.width, spec.height), (900, 540));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSpec {
    /// Width in pixels (default 1200).
    pub width: u32,
    /// Height in pixels (default 720).
    pub height: u32,
    /// Output format. An explicitly set format wins over the file extension (`Some(Format::Svg)`
    /// writes SVG even to `chart.png`); `None` (the default) takes it from the extension, PNG
    /// unless `.svg`.
    pub format: Option<Format>,
    /// Logarithmic y axis; `None` (the default) chooses: log when the data and curves span more
    /// than two orders of magnitude.
    pub log_y: Option<bool>,
    /// Title; `None` makes one from the series and model names.
    pub title: Option<String>,
    /// Subtitle; `None` describes the fit (model, formula, degrees of freedom, value at the
    /// horizon). The fit's cautions are always shown.
    pub subtitle: Option<String>,
    /// Caption (the source note); `None` lists the `source` of the observations. Notes on bands
    /// and on what was cut off are always added.
    pub caption: Option<String>,
    /// Draw confidence and prediction bands (default `true`).
    pub bands: bool,
    /// Decimal year to project to; `None` projects half the data's span (at least a year)
    /// beyond the last observation.
    pub horizon: Option<f64>,
    /// Y-axis label; `None` uses the unit (and the multiplier of the tick labels).
    pub y_label: Option<String>,
    /// Explicit y range `(low, high)` in data units; `None` chooses one (see [`ChartSpec::headroom`]).
    pub y_range: Option<(f64, f64)>,
    /// How far curves and bands may take the y axis beyond the observations, as a factor of the
    /// largest observation; `None` means 100 (two decades) on a log axis and 3 on a linear one.
    /// Whatever lies beyond is cut at the edge, and the caption says so.
    pub headroom: Option<f64>,
    /// Horizontal reference lines `(value, legend text)`, e.g. a known ceiling. One that a curve
    /// approaches (comes within 10% of) or crosses stretches the y axis to it, when it lies
    /// within twice the headroom; any other one outside the drawn range is named in the caption
    /// ("… is above the chart") instead, and only then.
    pub references: Vec<(f64, String)>,
}

impl Default for ChartSpec {
    fn default() -> Self {
        Self {
            width: 1200,
            height: 720,
            format: None,
            log_y: None,
            title: None,
            subtitle: None,
            caption: None,
            bands: true,
            horizon: None,
            y_label: None,
            y_range: None,
            headroom: None,
            references: Vec::new(),
        }
    }
}

impl ChartSpec {
    /// The defaults: 1200 × 720 PNG, automatic axis, bands on.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the size in pixels.
    #[must_use]
    pub fn size(self, width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            ..self
        }
    }

    /// Forces a format whatever the file extension: the explicit format wins (SVG to
    /// `chart.png` is an SVG file named `chart.png`).
    #[must_use]
    pub fn format(self, format: Format) -> Self {
        Self {
            format: Some(format),
            ..self
        }
    }

    /// Forces a logarithmic (`true`) or linear (`false`) y axis.
    #[must_use]
    pub fn log_y(self, log: bool) -> Self {
        Self {
            log_y: Some(log),
            ..self
        }
    }

    /// Sets the title.
    #[must_use]
    pub fn title(self, title: impl Into<String>) -> Self {
        Self {
            title: Some(title.into()),
            ..self
        }
    }

    /// Sets the subtitle.
    #[must_use]
    pub fn subtitle(self, subtitle: impl Into<String>) -> Self {
        Self {
            subtitle: Some(subtitle.into()),
            ..self
        }
    }

    /// Sets the caption (source note).
    #[must_use]
    pub fn caption(self, caption: impl Into<String>) -> Self {
        Self {
            caption: Some(caption.into()),
            ..self
        }
    }

    /// Turns the bands on or off.
    #[must_use]
    pub fn bands(self, bands: bool) -> Self {
        Self { bands, ..self }
    }

    /// Sets the horizon (decimal year) of the projection.
    #[must_use]
    pub fn horizon(self, horizon: f64) -> Self {
        Self {
            horizon: Some(horizon),
            ..self
        }
    }

    /// Sets the y-axis label.
    #[must_use]
    pub fn y_label(self, label: impl Into<String>) -> Self {
        Self {
            y_label: Some(label.into()),
            ..self
        }
    }

    /// Fixes the y range (data units).
    #[must_use]
    pub fn y_range(self, low: f64, high: f64) -> Self {
        Self {
            y_range: Some((low, high)),
            ..self
        }
    }

    /// Sets the headroom factor (see the field).
    #[must_use]
    pub fn headroom(self, factor: f64) -> Self {
        Self {
            headroom: Some(factor),
            ..self
        }
    }

    /// Adds a horizontal reference line with a legend text (a known ceiling, a target).
    #[must_use]
    pub fn reference(mut self, value: f64, label: impl Into<String>) -> Self {
        self.references.push((value, label.into()));
        self
    }

    fn check(&self, path: &Path) -> Result<()> {
        let bad = |message: String| {
            Err(Error::Plot {
                path: path.to_path_buf(),
                message,
            })
        };
        if !(100..=10_000).contains(&self.width) || !(100..=10_000).contains(&self.height) {
            return bad(format!(
                "size {}x{} is outside 100..=10000 pixels",
                self.width, self.height
            ));
        }
        if let Some((lo, hi)) = self.y_range {
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                return bad(format!(
                    "y range ({lo}, {hi}) must be finite and increasing"
                ));
            }
            if self.log_y == Some(true) && lo <= 0.0 {
                return bad(format!(
                    "a log axis needs a positive y range, not ({lo}, {hi})"
                ));
            }
        }
        if let Some(h) = self.headroom {
            if !(h.is_finite() && h >= 1.0) {
                return bad(format!(
                    "headroom {h} must be a finite factor of at least 1"
                ));
            }
        }
        if let Some(h) = self.horizon {
            if !h.is_finite() {
                return bad(format!("horizon {h} is not a finite decimal year"));
            }
        }
        Ok(())
    }
}

/// One path of a fan chart: a name (shown in the legend) and `(decimal year, value)` points,
/// with an optional target marker (e.g. the stated 2030 figure the path leads to).
#[derive(Clone, Debug, PartialEq)]
pub struct FanPath {
    /// Legend text.
    pub name: String,
    /// `(decimal year, value)` points, in time order.
    pub points: Vec<(f64, f64)>,
    /// A marker at `(decimal year, value)` drawn with the symbol of its kind.
    pub target: Option<(f64, f64, Kind)>,
}

impl FanPath {
    /// A path through the given points.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
            target: None,
        }
    }

    /// Constant-rate (exponential) growth from `from` to `to`, both `(decimal year, value)` with
    /// positive values, sampled at `n ≥ 2` times.
    ///
    /// ```
    /// use growthcast::plot::FanPath;
    /// let p = FanPath::constant_rate("medium", (2024.0, 1.4e11), (2030.0, 4e11), 7)?;
    /// assert_eq!(p.points.len(), 7);
    /// assert!((p.points[6].1 - 4e11).abs() < 1.0);
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn constant_rate(
        name: impl Into<String>,
        from: (f64, f64),
        to: (f64, f64),
        n: usize,
    ) -> Result<Self> {
        if !(from.1 > 0.0 && from.1.is_finite()) {
            return Err(Error::arg(
                "from",
                from.1,
                "a constant-rate path needs a positive start",
            ));
        }
        if !(to.1 > 0.0 && to.1.is_finite()) {
            return Err(Error::arg(
                "to",
                to.1,
                "a constant-rate path needs a positive end",
            ));
        }
        if !(to.0 > from.0) {
            return Err(Error::arg(
                "to",
                to.0,
                format!("the end must come after the start ({})", from.0),
            ));
        }
        let n = n.max(2);
        let r = (to.1 / from.1).ln() / (to.0 - from.0);
        let points = (0..n)
            .map(|i| {
                let t = from.0 + (to.0 - from.0) * i as f64 / (n - 1) as f64;
                (t, from.1 * (r * (t - from.0)).exp())
            })
            .collect();
        Ok(Self::new(name, points))
    }

    /// Marks the end of the path with a target of a kind (`at_least` draws an upward triangle).
    #[must_use]
    pub fn with_target(self, t: f64, value: f64, kind: Kind) -> Self {
        Self {
            target: Some((t, value, kind)),
            ..self
        }
    }
}

/// A fan chart's content: one base point and several named paths from it.
///
/// The base is drawn as an open square with its own legend text: when it is an assumption and
/// not a figure from the data, say so in `base_label`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fan {
    /// Name of what is shown (used in the default title).
    pub name: String,
    /// Unit of the values.
    pub unit: String,
    /// The base `(decimal year, value)`.
    pub base: (f64, f64),
    /// Legend text for the base.
    pub base_label: String,
    /// The paths.
    pub paths: Vec<FanPath>,
    /// Sources of the targets, for the caption.
    pub sources: Vec<String>,
}

impl Fan {
    /// A fan with a base and no paths yet.
    pub fn new(
        name: impl Into<String>,
        unit: impl Into<String>,
        base: (f64, f64),
        base_label: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            unit: unit.into(),
            base,
            base_label: base_label.into(),
            paths: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// Adds a path.
    #[must_use]
    pub fn path(mut self, path: FanPath) -> Self {
        self.paths.push(path);
        self
    }

    /// Constant-rate paths of every scenario of a [`ScenarioSet`] from its (assumed) base to
    /// `until`, each named with its annual rate; target scenarios get a marker at their target,
    /// drawn as an exact figure (see [`Fan::with_target_kind`] for bounds). The base label is the
    /// set's, which says that the base is an assumption.
    ///
    /// ```
    /// use growthcast::plot::Fan;
    /// use growthcast::scenario::{Base, ScenarioSet};
    /// use growthcast::Kind;
    /// let set = ScenarioSet::new(Base::assumed(140e9, 2024.0, "ASSUMED base: 140 TWh in 2024"))
    ///     .unit("kWh")
    ///     .target("medium", 400e9, 2030.0)
    ///     .rate("low", 0.10);
    /// let fan = Fan::from_scenarios(&set, 2030.0)?.with_target_kind(Kind::AtLeast);
    /// assert_eq!(fan.paths.len(), 2);
    /// assert!(fan.paths[0].name.starts_with("medium: 19.1%/yr"));
    /// assert!(fan.paths[1].target.is_none());
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn from_scenarios(set: &ScenarioSet, until: f64) -> Result<Self> {
        let step = ((until - set.base.year) / 60.0).max(1e-3);
        let paths = set.paths(until, step)?;
        let mut fan = Fan::new(
            "scenarios",
            set.unit.clone(),
            (set.base.year, set.base.value),
            set.base.label.clone(),
        );
        for (p, sc) in paths.into_iter().zip(&set.scenarios) {
            let mut path = FanPath::new(format!("{}: {:.1}%/yr", p.name, 100.0 * p.rate), p.points);
            if let ScenarioSpec::Target { value, year } = sc.spec {
                path = path.with_target(year, value, Kind::Exact);
            }
            fan = fan.path(path);
        }
        Ok(fan)
    }

    /// Sets the kind of every path's target (e.g. [`Kind::AtLeast`] for "more than" targets).
    #[must_use]
    pub fn with_target_kind(mut self, kind: Kind) -> Self {
        for p in &mut self.paths {
            if let Some(t) = &mut p.target {
                t.2 = kind;
            }
        }
        self
    }

    /// Adds a source for the caption (duplicates are dropped).
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> Self {
        let s = source.into();
        if !self.sources.contains(&s) {
            self.sources.push(s);
        }
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Public chart functions
// ---------------------------------------------------------------------------------------------

/// Draws one fitted model over its series: points, curve, dashed projection to the horizon,
/// confidence and prediction bands, cautions, legend and source caption. Observations of
/// `series` that the fit did not use (a hindcast's held-out points) are drawn in a second colour
/// and named in the legend.
///
/// The format comes from [`ChartSpec::format`] or the extension of `path`. Errors (the font, the
/// drawing, the file) are [`Error::Plot`] or [`Error::Io`]; nothing panics.
pub fn plot_fit(
    series: &Series,
    fit: &Fit,
    spec: &ChartSpec,
    path: impl AsRef<Path>,
) -> Result<()> {
    let path = path.as_ref();
    spec.check(path)?;
    let scene = fit_scene(series, fit, spec);
    draw_scene(&scene, spec, path)
}

/// Draws several models fitted to one series, each in its own colour (solid over the data,
/// dashed beyond), with their confidence bands when [`ChartSpec::bands`] is on and the model is
/// identified. Models the data do not identify are marked in the legend.
pub fn plot_comparison(
    series: &Series,
    fits: &[(&str, &Fit)],
    spec: &ChartSpec,
    path: impl AsRef<Path>,
) -> Result<()> {
    let path = path.as_ref();
    spec.check(path)?;
    if fits.is_empty() {
        return Err(Error::Plot {
            path: path.to_path_buf(),
            message: format!("no fits of series `{}` to compare", series.name()),
        });
    }
    let scene = comparison_scene(series, fits, spec);
    draw_scene(&scene, spec, path)
}

/// Draws a fan: named paths from one base, with the base marked as such and each path's target.
pub fn plot_fan(fan: &Fan, spec: &ChartSpec, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    spec.check(path)?;
    if fan.paths.is_empty() {
        return Err(Error::Plot {
            path: path.to_path_buf(),
            message: format!("fan `{}` has no paths", fan.name),
        });
    }
    let scene = fan_scene(fan, spec);
    draw_scene(&scene, spec, path)
}

// ---------------------------------------------------------------------------------------------
// Scenes: what to draw, in data units
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Shape {
    Dot,
    Hollow,
    Up,
    Down,
    Diamond,
    Square,
}

impl Shape {
    fn of(kind: Kind) -> Self {
        match kind {
            Kind::Exact => Shape::Dot,
            Kind::About => Shape::Diamond,
            Kind::AtLeast => Shape::Up,
            Kind::AtMost => Shape::Down,
            Kind::Derived => Shape::Hollow,
        }
    }
}

fn kind_legend(kind: Kind) -> &'static str {
    match kind {
        Kind::Exact => "observed",
        Kind::About => "observed, approximate (\"about\")",
        Kind::AtLeast => "lower bound (\"more than\")",
        Kind::AtMost => "upper bound (\"less than\")",
        Kind::Derived => "derived from other figures",
    }
}

#[derive(Clone, Debug)]
enum Glyph {
    Band(RGBColor, f64),
    Line(RGBColor, u32, bool),
    Mark(Shape, RGBColor),
}

#[derive(Clone, Debug)]
struct LegendItem {
    glyph: Glyph,
    text: String,
}

#[derive(Clone, Debug)]
struct BandLayer {
    /// What the band is, for notes about clipping.
    name: String,
    pts: Vec<(f64, f64, f64)>,
    color: RGBColor,
    alpha: f64,
}

impl BandLayer {
    /// A band from a projection: `edges` picks a point's lower and upper edge.
    fn of(
        name: String,
        p: &crate::project::Projection,
        edges: fn(&crate::project::ProjectedPoint) -> (f64, f64),
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
struct LineLayer {
    /// What the line is, for notes about clipping.
    name: String,
    pts: Vec<(f64, f64)>,
    color: RGBColor,
    width: u32,
    dashed: bool,
}

#[derive(Clone, Debug)]
struct Mark {
    t: f64,
    v: f64,
    shape: Shape,
    color: RGBColor,
}

#[derive(Clone, Debug, Default)]
struct Scene {
    title: String,
    subtitle: Vec<String>,
    cautions: Vec<String>,
    caption: Vec<String>,
    unit: String,
    bands: Vec<BandLayer>,
    lines: Vec<LineLayer>,
    marks: Vec<Mark>,
    legend: Vec<LegendItem>,
    /// Last observation: a divider between data and projection.
    divider: Option<f64>,
    /// Horizontal reference lines.
    references: Vec<(f64, String)>,
    /// The marks were thinned from a long series: draw them small, without halos, under the
    /// curves.
    thinned: bool,
}

const INK: RGBColor = RGBColor(34, 34, 34);
const GREY: RGBColor = RGBColor(90, 90, 90);
const CAUTION: RGBColor = RGBColor(165, 30, 30);
const REFERENCE: RGBColor = RGBColor(110, 110, 110);
/// Okabe–Ito colours (distinguishable with colour-vision deficiency), blue first.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
];

/// A number with three significant digits, `1.4e14` style beyond 1e5.
pub(crate) fn short(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let a = v.abs();
    if a == 0.0 {
        return "0".into();
    }
    if (1e-3..1e5).contains(&a) {
        let digits = (2 - a.log10().floor() as i32).max(0) as usize;
        return trim_zeros(format!("{v:.digits$}"));
    }
    let mut e = a.log10().floor() as i32;
    let mut m = v / 10f64.powi(e);
    if (m.abs() * 100.0).round() >= 1000.0 {
        e += 1;
        m /= 10.0;
    }
    format!("{}e{e}", trim_zeros(format!("{m:.2}")))
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Rounds long decimals in a formula (`t - 2023.9972602739726` → `t - 2024.00`).
fn tidy_formula(f: &str) -> String {
    let mut out = String::new();
    let mut num = String::new();
    let flush = |num: &mut String, out: &mut String| {
        if let Some(dot) = num.find('.') {
            if num.len() - dot - 1 > 3 {
                if let Ok(v) = num.parse::<f64>() {
                    out.push_str(&format!("{v:.2}"));
                    num.clear();
                    return;
                }
            }
        }
        out.push_str(num);
        num.clear();
    };
    for c in f.chars() {
        if c.is_ascii_digit() || (c == '.' && !num.is_empty()) {
            num.push(c);
        } else {
            flush(&mut num, &mut out);
            out.push(c);
        }
    }
    flush(&mut num, &mut out);
    out.replace(" * ", "·")
}

fn sources_note(obs: &[Observation]) -> Option<String> {
    let mut s: Vec<&str> = Vec::new();
    for o in obs {
        if let Some(src) = o.source.as_deref() {
            if !s.contains(&src) {
                s.push(src);
            }
        }
    }
    (!s.is_empty()).then(|| format!("Source: {}.", s.join("; ")))
}

fn default_horizon(first: f64, last: f64) -> f64 {
    last + ((last - first) / 2.0).max(1.0)
}

fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    let n = n.max(2);
    (0..n)
        .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
        .collect()
}

/// Evaluation times: dense over the data, then to the horizon (sharing the last observation).
fn curve_times(first: f64, last: f64, horizon: f64) -> (Vec<f64>, usize) {
    let mut t = linspace(first, last, 120);
    let n_data = t.len();
    if horizon > last {
        t.extend(linspace(last, horizon, 160).into_iter().skip(1));
    }
    (t, n_data)
}

/// The cautions to print on a chart, most serious first, one per kind (every parameter that is
/// not identified), at most three lines.
fn cautions_of(warnings: &[Warning]) -> Vec<String> {
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

fn marks_legend(kinds: &[Kind], color: RGBColor) -> Vec<LegendItem> {
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

fn fit_scene(series: &Series, fit: &Fit, spec: &ChartSpec) -> Scene {
    let obs = &fit.observations;
    let first = obs.first().map_or(0.0, |o| o.t);
    let last = obs.last().map_or(0.0, |o| o.t);
    let horizon = spec.horizon.unwrap_or_else(|| default_horizon(first, last));
    let (times, n_data) = curve_times(first, last, horizon);
    let p = fit.project(&times);
    let color = PALETTE[0];
    let pct = (fit.level * 100.0).round();
    let mut sc = Scene {
        title: spec
            .title
            .clone()
            .unwrap_or_else(|| format!("{}: {} fit", series.name(), fit.model)),
        unit: fit.unit.clone(),
        ..Scene::default()
    };

    let finite_bands = p
        .points
        .iter()
        .any(|q| q.conf_lower.is_finite() && q.conf_upper.is_finite());
    if spec.bands && finite_bands {
        sc.bands.push(BandLayer::of(
            format!("{pct}% prediction band"),
            &p,
            |q| (q.pred_lower, q.pred_upper),
            color,
            0.13,
        ));
        sc.bands.push(BandLayer::of(
            format!("{pct}% confidence band"),
            &p,
            |q| (q.conf_lower, q.conf_upper),
            color,
            0.30,
        ));
    }
    let curve: Vec<(f64, f64)> = p.points.iter().map(|q| (q.t, q.value)).collect();
    sc.lines.push(LineLayer {
        name: format!("{} curve", fit.model),
        pts: curve[..n_data].to_vec(),
        color,
        width: 3,
        dashed: false,
    });
    let projected = horizon > last;
    if projected {
        sc.lines.push(LineLayer {
            name: format!("{} projection", fit.model),
            pts: curve[n_data - 1..].to_vec(),
            color,
            width: 3,
            dashed: true,
        });
        sc.divider = Some(last);
    }
    let mut kinds = Vec::new();
    for o in obs {
        if !kinds.contains(&o.kind) {
            kinds.push(o.kind);
        }
        sc.marks.push(Mark {
            t: o.t,
            v: o.value,
            shape: Shape::of(o.kind),
            color: INK,
        });
    }

    sc.legend = marks_legend(&kinds, INK);
    // Observations of the series that the fit did not use (a hindcast's held-out points):
    // looked up among the fit's sorted times, O(n log n).
    let mut fitted_t: Vec<f64> = obs.iter().map(|f| f.t).collect();
    fitted_t.sort_unstable_by(f64::total_cmp);
    let held_out: Vec<_> = series
        .observations()
        .iter()
        .filter(|o| fitted_t.binary_search_by(|t| t.total_cmp(&o.t)).is_err())
        .collect();
    for o in &held_out {
        sc.marks.push(Mark {
            t: o.t,
            v: o.value,
            shape: Shape::of(o.kind),
            color: PALETTE[1],
        });
    }
    if let Some(o) = held_out.first() {
        sc.legend.push(LegendItem {
            glyph: Glyph::Mark(Shape::of(o.kind), PALETTE[1]),
            text: "held out (not used in the fit)".into(),
        });
    }
    sc.legend.push(LegendItem {
        glyph: Glyph::Line(color, 3, false),
        text: format!("fitted {} curve", fit.model),
    });
    if projected {
        sc.legend.push(LegendItem {
            glyph: Glyph::Line(color, 3, true),
            text: format!("projection to {}", format_date(horizon)),
        });
    }
    if spec.bands && finite_bands {
        sc.legend.push(LegendItem {
            glyph: Glyph::Band(color, 0.30),
            text: format!("{pct}% confidence band (the curve)"),
        });
        sc.legend.push(LegendItem {
            glyph: Glyph::Band(color, 0.13),
            text: format!("{pct}% prediction band (a new figure)"),
        });
    }

    // Subtitle: what was fitted, and the value at the horizon.
    match &spec.subtitle {
        Some(s) => sc.subtitle.push(s.clone()),
        None => {
            let bounds = obs.iter().filter(|o| o.kind.is_one_sided()).count();
            let bounds = if bounds > 0 {
                format!(" ({bounds} of them bounds)")
            } else {
                String::new()
            };
            let errors = match fit.error_model {
                ErrorModel::Multiplicative => "log residuals",
                ErrorModel::Additive => "additive residuals",
            };
            sc.subtitle.push(format!(
                "{} model {} · {}{bounds}, {} of freedom · {errors}",
                capitalise(&fit.model),
                tidy_formula(&fit.formula),
                plural(fit.n_points, "point"),
                plural(fit.dof, "degree")
            ));
            if projected {
                if let Some(q) = p.points.last() {
                    let band = if q.conf_lower.is_finite() && q.conf_upper.is_finite() {
                        format!(
                            " ({pct}% confidence {} to {})",
                            short(q.conf_lower),
                            short(q.conf_upper)
                        )
                    } else {
                        " (no band: uncertainty unknown)".to_string()
                    };
                    sc.subtitle.push(format!(
                        "Projected {}: {} {}{band}",
                        format_date(horizon),
                        short(q.value),
                        fit.unit
                    ));
                }
            }
        }
    }
    sc.cautions = cautions_of(&p.warnings);
    let no_dof = fit
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::NoDegreesOfFreedom);
    if spec.bands && !finite_bands && !no_dof {
        sc.cautions.push(
            "No bands drawn: with no degrees of freedom left the data cannot say how uncertain the curve is."
                .into(),
        );
    }
    if let Some(c) = spec
        .caption
        .clone()
        .or_else(|| sources_note(series.observations()))
    {
        sc.caption.push(c);
    }
    thin_scene_marks(&mut sc, spec);
    sc
}

/// Draws at most two markers per pixel column and marker style (the lowest and the highest), so
/// a chart of a long series costs about as much as its fit; the caption says so. Everything was
/// fitted: only what is drawn is thinned.
fn thin_scene_marks(sc: &mut Scene, spec: &ChartSpec) {
    if let Some(n) = thin::thin_marks(&mut sc.marks, spec.width as usize) {
        sc.thinned = true;
        sc.caption.push(format!(
            "{} of {n} observations drawn: the lowest and the highest in each pixel column (all were fitted).",
            sc.marks.len()
        ));
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn comparison_scene(series: &Series, fits: &[(&str, &Fit)], spec: &ChartSpec) -> Scene {
    let obs = series.observations();
    let first = obs.first().map_or(0.0, |o| o.t);
    let last = obs.last().map_or(0.0, |o| o.t);
    let horizon = spec.horizon.unwrap_or_else(|| default_horizon(first, last));
    let (times, n_data) = curve_times(first, last, horizon);
    let mut sc = Scene {
        title: spec
            .title
            .clone()
            .unwrap_or_else(|| format!("{}: models compared", series.name())),
        unit: series.unit().to_string(),
        ..Scene::default()
    };
    let mut kinds = Vec::new();
    for o in obs {
        if !kinds.contains(&o.kind) {
            kinds.push(o.kind);
        }
        sc.marks.push(Mark {
            t: o.t,
            v: o.value,
            shape: Shape::of(o.kind),
            color: INK,
        });
    }
    let mut model_items = Vec::new();
    let mut unidentified = Vec::new();
    let mut long_horizon: Option<Warning> = None;
    for (i, (label, fit)) in fits.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let p = fit.project(&times);
        if long_horizon.is_none() {
            long_horizon = p
                .warnings
                .iter()
                .find(|w| w.kind == WarningKind::LongHorizon)
                .cloned();
        }
        let ok = fit.is_identified();
        if spec.bands
            && ok
            && p.points
                .iter()
                .any(|q| q.conf_lower.is_finite() && q.conf_upper.is_finite())
        {
            sc.bands.push(BandLayer::of(
                format!("{label} confidence band"),
                &p,
                |q| (q.conf_lower, q.conf_upper),
                color,
                0.12,
            ));
        }
        let curve: Vec<(f64, f64)> = p.points.iter().map(|q| (q.t, q.value)).collect();
        let width = if ok { 3 } else { 2 };
        sc.lines.push(LineLayer {
            name: (*label).to_string(),
            pts: curve[..n_data].to_vec(),
            color,
            width,
            dashed: false,
        });
        if horizon > last {
            sc.lines.push(LineLayer {
                name: (*label).to_string(),
                pts: curve[n_data - 1..].to_vec(),
                color,
                width,
                dashed: true,
            });
        }
        let aic = if fit.aic.is_finite() && fit.dof > 0 {
            format!(", AIC {:.1}", fit.aic)
        } else {
            String::new()
        };
        let status = if ok { "" } else { ", not identified" };
        model_items.push(LegendItem {
            glyph: Glyph::Line(color, width, false),
            text: format!("{label}{aic}{status}"),
        });
        if !ok {
            unidentified.push(*label);
        }
    }
    if horizon > last {
        sc.divider = Some(last);
    }
    sc.legend = marks_legend(&kinds, INK);
    sc.legend.extend(model_items);
    if horizon > last {
        sc.legend.push(LegendItem {
            glyph: Glyph::Line(GREY, 2, true),
            text: format!("dashed: projection to {}", format_date(horizon)),
        });
    }
    match &spec.subtitle {
        Some(s) => sc.subtitle.push(s.clone()),
        None => {
            let with_aic = fits
                .iter()
                .filter(|(_, f)| f.aic.is_finite() && f.dof > 0)
                .count();
            let aic = if with_aic >= 2 {
                " · lower AIC fits better (same data and error model)"
            } else {
                ""
            };
            sc.subtitle.push(format!(
                "{} fitted to the same {} · solid over the data, dashed beyond{aic}",
                plural(fits.len(), "model"),
                plural(obs.len(), "point")
            ));
        }
    }
    if let Some(w) = long_horizon {
        sc.cautions.push(capitalise(&w.message));
    }
    if !unidentified.is_empty() {
        sc.cautions.insert(0, format!(
            "Caution: not identified by these data, so read their curves as one possibility among many: {}.",
            unidentified.join(", ")
        ));
    }
    if let Some(c) = spec.caption.clone().or_else(|| sources_note(obs)) {
        sc.caption.push(c);
    }
    if !sc.bands.is_empty() {
        sc.legend.push(LegendItem {
            glyph: Glyph::Band(GREY, 0.15),
            text: "shaded: confidence band of each identified model".into(),
        });
    }
    thin_scene_marks(&mut sc, spec);
    sc
}

fn fan_scene(fan: &Fan, spec: &ChartSpec) -> Scene {
    let mut sc = Scene {
        title: spec
            .title
            .clone()
            .unwrap_or_else(|| format!("{}: paths from one base", fan.name)),
        unit: fan.unit.clone(),
        ..Scene::default()
    };
    // Shade the fan between the lowest and highest path when they share their times.
    let same_grid = fan.paths.windows(2).all(|w| {
        w[0].points.len() == w[1].points.len()
            && w[0]
                .points
                .iter()
                .zip(&w[1].points)
                .all(|(a, b)| (a.0 - b.0).abs() < 1e-9)
    });
    if same_grid && fan.paths.len() > 1 {
        let n = fan.paths[0].points.len();
        let pts = (0..n)
            .map(|i| {
                let t = fan.paths[0].points[i].0;
                let vals = fan.paths.iter().map(|p| p.points[i].1);
                let lo = vals.clone().fold(f64::INFINITY, f64::min);
                let hi = vals.fold(f64::NEG_INFINITY, f64::max);
                (t, lo, hi)
            })
            .collect();
        sc.bands.push(BandLayer {
            name: "fan".into(),
            pts,
            color: RGBColor(120, 120, 120),
            alpha: 0.12,
        });
    }
    let mut target_kinds = Vec::new();
    for (i, p) in fan.paths.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        sc.lines.push(LineLayer {
            name: p.name.clone(),
            pts: p.points.clone(),
            color,
            width: 3,
            dashed: true,
        });
        sc.legend.push(LegendItem {
            glyph: Glyph::Line(color, 3, true),
            text: p.name.clone(),
        });
        if let Some((t, v, k)) = p.target {
            sc.marks.push(Mark {
                t,
                v,
                shape: Shape::of(k),
                color,
            });
            if !target_kinds.contains(&k) {
                target_kinds.push(k);
            }
        }
    }
    for k in target_kinds {
        sc.legend.push(LegendItem {
            glyph: Glyph::Mark(Shape::of(k), GREY),
            text: format!("target, {}", kind_legend(k)),
        });
    }
    sc.marks.push(Mark {
        t: fan.base.0,
        v: fan.base.1,
        shape: Shape::Square,
        color: INK,
    });
    sc.legend.insert(
        0,
        LegendItem {
            glyph: Glyph::Mark(Shape::Square, INK),
            text: fan.base_label.clone(),
        },
    );
    match &spec.subtitle {
        Some(s) => sc.subtitle.push(s.clone()),
        None => sc.subtitle.push(format!(
            "{} from one base · dashed: not observed",
            plural(fan.paths.len(), "path")
        )),
    }
    if let Some(c) = spec.caption.clone().or_else(|| {
        (!fan.sources.is_empty()).then(|| format!("Source: {}.", fan.sources.join("; ")))
    }) {
        sc.caption.push(c);
    }
    sc
}

// ---------------------------------------------------------------------------------------------
// Axes
// ---------------------------------------------------------------------------------------------

/// Decimal-year axis with ticks on calendar boundaries (years, or months for short spans).
#[derive(Clone, Debug)]
struct YearAxis {
    lo: f64,
    hi: f64,
    major: Vec<f64>,
    minor: Vec<f64>,
    monthly: bool,
}

fn month_starts(lo: f64, hi: f64, step: i32) -> Vec<f64> {
    let mut out = Vec::new();
    for y in (lo.floor() as i32)..=(hi.floor() as i32 + 1) {
        for m in 1..=12u32 {
            if (y * 12 + m as i32 - 1).rem_euclid(step) != 0 {
                continue;
            }
            if let Some(d) = chrono::NaiveDate::from_ymd_opt(y, m, 1) {
                let t = decimal_year(d);
                if t >= lo - 1e-9 && t <= hi + 1e-9 {
                    out.push(t);
                }
            }
        }
    }
    out
}

impl YearAxis {
    fn new(lo: f64, hi: f64, max_labels: usize) -> Self {
        let steps = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600];
        let mut chosen = *steps.last().unwrap_or(&12);
        for s in steps {
            let n = month_starts(lo, hi, s).len();
            if n <= max_labels.max(2) && n >= 2.min(max_labels) {
                chosen = s;
                break;
            }
        }
        let minor_step = match chosen {
            1 => 0,
            2 | 3 | 6 => 1,
            12 => 3,
            24 | 60 => 12,
            _ => 60,
        };
        let major = month_starts(lo, hi, chosen);
        let minor = if minor_step > 0 {
            month_starts(lo, hi, minor_step)
        } else {
            Vec::new()
        };
        Self {
            lo,
            hi,
            major,
            minor,
            monthly: chosen < 12,
        }
    }

    fn label(&self, t: f64) -> String {
        match date_of(t) {
            Some(d) if !self.monthly || d.month() == 1 => d.year().to_string(),
            Some(d) => d.format("%Y-%m").to_string(),
            None => format!("{t}"),
        }
    }
}

fn map_linear(v: f64, lo: f64, hi: f64, limit: (i32, i32)) -> i32 {
    let f = (v - lo) / (hi - lo);
    let px = f64::from(limit.0) + f * f64::from(limit.1 - limit.0);
    px.round().clamp(-1e6, 1e6) as i32
}

/// Both axes are ranges `lo..hi` with precomputed major and minor ticks and their own labels.
macro_rules! tick_axis {
    ($axis:ty) => {
        impl Ranged for $axis {
            type FormatOption = NoDefaultFormatting;
            type ValueType = f64;
            fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
                map_linear(*v, self.lo, self.hi, limit)
            }
            fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
                if hint.weight().allow_light_points() {
                    self.minor.clone()
                } else {
                    self.major.clone()
                }
            }
            fn range(&self) -> Range<f64> {
                self.lo..self.hi
            }
        }

        impl ValueFormatter<f64> for $axis {
            fn format_ext(&self, v: &f64) -> String {
                self.label(*v)
            }
        }
    };
}

tick_axis!(YearAxis);

/// Value axis in display space (log10 of the value on a log axis).
#[derive(Clone, Debug)]
struct ValueAxis {
    lo: f64,
    hi: f64,
    log: bool,
    major: Vec<f64>,
    minor: Vec<f64>,
    /// Divisor of the tick labels on a linear axis (1e9 for "billions").
    scale: f64,
    decimals: usize,
}

fn nice_step(span: f64, max_ticks: usize) -> f64 {
    let raw = span / max_ticks.max(1) as f64;
    let p = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= raw {
            return m * p;
        }
    }
    10.0 * p
}

fn multiples(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let k0 = (lo / step - 1e-9).ceil() as i64;
    let k1 = (hi / step + 1e-9).floor() as i64;
    (k0..=k1).map(|k| k as f64 * step).collect()
}

impl ValueAxis {
    fn linear(lo: f64, hi: f64, max_ticks: usize) -> Self {
        let step = nice_step(hi - lo, max_ticks);
        let major = multiples(lo, hi, step);
        let minor = multiples(
            lo,
            hi,
            step / if (step / 10f64.powf(step.log10().floor()) - 2.5).abs() < 1e-9 {
                5.0
            } else {
                2.0
            },
        );
        let top = lo.abs().max(hi.abs());
        let scale = if top >= 1e4 {
            10f64.powi(3 * (top.log10() / 3.0).floor() as i32)
        } else {
            1.0
        };
        let decimals = (0..6)
            .find(|&d| {
                major.iter().all(|&v| {
                    let x = v / scale;
                    let r = format!("{x:.d$}").parse::<f64>().unwrap_or(f64::NAN);
                    (r - x).abs() <= step / scale * 1e-6
                })
            })
            .unwrap_or(6);
        Self {
            lo,
            hi,
            log: false,
            major,
            minor,
            scale,
            decimals,
        }
    }

    fn logarithmic(lo: f64, hi: f64, max_ticks: usize) -> Self {
        let span = hi - lo;
        let d0 = lo.ceil() as i32;
        let d1 = hi.floor() as i32;
        let decades: Vec<i32> = (d0..=d1).collect();
        let max_ticks = max_ticks.max(2);
        let mut major: Vec<f64>;
        let mut minor: Vec<f64>;
        let sub = |mult: &[f64]| -> Vec<f64> {
            let mut v = Vec::new();
            for d in (lo.floor() as i32)..=(hi.ceil() as i32) {
                for &m in mult {
                    let x = f64::from(d) + m.log10();
                    if x >= lo - 1e-9 && x <= hi + 1e-9 {
                        v.push(x);
                    }
                }
            }
            v
        };
        let all = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
        let m125 = sub(&[1.0, 2.0, 5.0]);
        if span > 4.2 || m125.len() > max_ticks {
            let every = decades.len().div_ceil(max_ticks).max(1) as i32;
            major = decades
                .iter()
                .filter(|d| d.rem_euclid(every) == 0)
                .map(|&d| f64::from(d))
                .collect();
            if every == 1 && span <= 8.0 {
                minor = sub(&all[1..]);
            } else {
                minor = decades.iter().map(|&d| f64::from(d)).collect();
            }
        } else {
            // Within four decades, 1-2-5 labels (1e9, 2e9, 5e9) or every digit.
            major = m125;
            minor = sub(&all);
            if major.len() < 3 && minor.len() <= max_ticks {
                major = std::mem::take(&mut minor);
            } else if major.len() > max_ticks {
                major = decades.iter().map(|&d| f64::from(d)).collect();
            }
        }
        Self {
            lo,
            hi,
            log: true,
            major,
            minor,
            scale: 1.0,
            decimals: 0,
        }
    }

    fn to_display(&self, v: f64) -> f64 {
        if self.log {
            if v > 0.0 {
                v.log10()
            } else if v.is_nan() {
                f64::NAN
            } else {
                f64::NEG_INFINITY
            }
        } else {
            v
        }
    }

    fn label(&self, d: f64) -> String {
        if self.log {
            let v = 10f64.powf(d);
            let e = d.round();
            if (d - e).abs() < 1e-9 && !(-2.0..5.0).contains(&e) {
                format!("1e{}", e as i32)
            } else {
                short(v)
            }
        } else {
            format!("{:.*}", self.decimals, d / self.scale)
        }
    }

    /// Words for the label multiplier.
    fn scale_words(&self) -> Option<String> {
        if self.log || self.scale == 1.0 {
            return None;
        }
        let e = self.scale.log10().round() as i32;
        Some(match e {
            3 => "thousands".into(),
            6 => "millions".into(),
            9 => "billions".into(),
            12 => "trillions".into(),
            _ => format!("×1e{e}"),
        })
    }
}

tick_axis!(ValueAxis);

/// The y range in data units, whether it is logarithmic, and notes on what is cut off.
///
/// `lo..hi` is the range the chart draws, padding included: the notes, the legend and the
/// drawing all test against it, so a caption says "above the chart" only of what is not drawn.
#[derive(Debug)]
struct YPlan {
    log: bool,
    lo: f64,
    hi: f64,
    notes: Vec<String>,
}

fn fmax(it: impl Iterator<Item = f64>) -> f64 {
    it.filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max)
}
fn fmin(it: impl Iterator<Item = f64>) -> f64 {
    it.filter(|v| v.is_finite()).fold(f64::INFINITY, f64::min)
}

fn plan_y(sc: &Scene, spec: &ChartSpec) -> YPlan {
    let obs: Vec<f64> = sc
        .marks
        .iter()
        .map(|m| m.v)
        .filter(|v| v.is_finite())
        .collect();
    let curve_vals = || sc.lines.iter().flat_map(|l| l.pts.iter().map(|p| p.1));
    let anchor: Vec<f64> = if obs.is_empty() {
        curve_vals().filter(|v| v.is_finite()).collect()
    } else {
        obs.clone()
    };
    let a_max = fmax(anchor.iter().copied());
    let a_min = fmin(anchor.iter().copied());
    let all_pos = anchor.iter().all(|&v| v > 0.0);
    let log = match spec.log_y {
        Some(l) => l && all_pos,
        None => {
            // Log when what must be seen spans more than two decades.
            let cap = a_max * spec.headroom.unwrap_or(100.0);
            let hi = fmax(
                curve_vals()
                    .map(|v| v.min(cap))
                    .chain(anchor.iter().copied()),
            );
            let lo = fmin(
                curve_vals()
                    .filter(|v| *v > 0.0)
                    .map(|v| v.max(a_min / 100.0))
                    .chain(anchor.iter().copied()),
            );
            all_pos && lo > 0.0 && hi / lo > 100.0
        }
    };
    if let Some((lo, hi)) = spec.y_range {
        let (lo, hi) = padded(log, lo, hi);
        return YPlan {
            log,
            lo,
            hi,
            notes: clip_notes(sc, lo, hi),
        };
    }
    let headroom = spec.headroom.unwrap_or(if log { 100.0 } else { 3.0 });
    let mut cap_hi = a_max * headroom;
    // A reference line (a known ceiling) that a curve approaches (within 10%) or crosses is
    // part of the story: the range reaches it, if it lies within twice the headroom, so that a
    // curve levelling off at a ceiling is drawn whole and one crossing it is seen to.
    let curve_max = fmax(curve_vals());
    let approached: Vec<f64> = sc
        .references
        .iter()
        .map(|r| r.0)
        .filter(|&r| r.is_finite() && (!log || r > 0.0) && curve_max >= 0.9 * r)
        .filter(|&r| r <= 2.0 * cap_hi)
        .collect();
    cap_hi = cap_hi.max(fmax(approached.iter().copied()));
    let cap_lo = if log {
        a_min / headroom
    } else if a_min >= 0.0 {
        0.0
    } else {
        a_min - (a_max - a_min) * (headroom - 1.0)
    };
    let everything = || {
        curve_vals()
            .chain(
                sc.bands
                    .iter()
                    .flat_map(|b| b.pts.iter().flat_map(|p| [p.1, p.2])),
            )
            .chain(obs.iter().copied())
            .filter(|v| v.is_finite() && (!log || *v > 0.0))
    };
    let mut hi = fmax(
        everything()
            .map(|v| v.min(cap_hi))
            .chain(approached.iter().copied()),
    );
    let mut lo = fmin(everything().map(|v| v.max(cap_lo)));
    if !log && a_min >= 0.0 {
        lo = 0.0;
    }

    if !(hi.is_finite() && lo.is_finite()) {
        lo = 0.0;
        hi = 1.0;
    }
    if hi <= lo {
        let d = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
        lo -= d;
        hi += d;
    }
    let (lo, hi) = padded(log, lo, hi);
    let notes = clip_notes(sc, lo, hi);
    YPlan { log, lo, hi, notes }
}

/// The drawn range around `lo..hi`: 4% more on each side (in display space, so log10 on a log
/// axis), and none below a linear axis that starts at zero.
fn padded(log: bool, lo: f64, hi: f64) -> (f64, f64) {
    if log {
        let (dlo, dhi) = (lo.log10(), hi.log10());
        let pad = (dhi - dlo) * 0.04;
        (10f64.powf(dlo - pad), 10f64.powf(dhi + pad))
    } else if lo == 0.0 {
        (0.0, hi + 1.5 * (hi - lo) * 0.04)
    } else {
        let pad = (hi - lo) * 0.04;
        (lo - pad, hi + pad)
    }
}

/// Sentences about curves and bands that leave the y range.
fn clip_notes(sc: &Scene, lo: f64, hi: f64) -> Vec<String> {
    let above = |v: f64| v.is_finite() && v > hi + (hi.abs() * 1e-9);
    let below = |v: f64| v.is_finite() && v < lo - (lo.abs() * 1e-9);
    let mut notes = Vec::new();
    for (v, label) in &sc.references {
        if above(*v) {
            notes.push(format!(
                "{} is above the chart ({}).",
                capitalise(label),
                short(*v)
            ));
        } else if below(*v) {
            notes.push(format!(
                "{} is below the chart ({}).",
                capitalise(label),
                short(*v)
            ));
        }
    }
    for top in [true, false] {
        let out = |v: f64| if top { above(v) } else { below(v) };
        let mut parts: Vec<String> = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for l in &sc.lines {
            if names.contains(&l.name.as_str()) {
                continue;
            }
            let extreme = l.pts.iter().filter(|p| out(p.1)).max_by(|a, b| {
                if top {
                    a.1.total_cmp(&b.1)
                } else {
                    b.1.total_cmp(&a.1)
                }
            });
            if let Some(&(t, v)) = extreme {
                names.push(&l.name);
                // Report where the curve ends up, not just where it leaves.
                let (t_end, v_end) = l
                    .pts
                    .iter()
                    .rev()
                    .find(|p| p.1.is_finite())
                    .copied()
                    .unwrap_or((t, v));
                let (t, v) = if out(v_end) { (t_end, v_end) } else { (t, v) };
                parts.push(format!(
                    "{} (reaches {} by {})",
                    l.name,
                    short(v),
                    format_date(t)
                ));
            }
        }
        let bands: Vec<&str> = sc
            .bands
            .iter()
            .filter(|b| b.pts.iter().any(|p| out(if top { p.2 } else { p.1 })))
            .map(|b| b.name.as_str())
            .collect();
        if !bands.is_empty() {
            let edge = if top { "upper" } else { "lower" };
            let what = if bands.len() == 1 {
                format!("the {edge} edge of the {}", bands[0])
            } else {
                format!("the {edge} edges of the bands")
            };
            parts.push(what);
        }
        if parts.is_empty() {
            continue;
        }
        let (edge, at) = if top { ("top", hi) } else { ("bottom", lo) };
        notes.push(format!(
            "Cut at the {edge} edge ({}) to keep the data readable: {}.",
            short(at),
            parts.join("; ")
        ));
    }
    notes
}

/// Splits a polyline (display space) into the runs that lie inside `lo..=hi`, cutting segments
/// at the edges. Non-finite points break the line.
fn clip_polyline(pts: &[(f64, f64)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut open = false;
    for w in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
            open = false;
            continue;
        }
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        let dy = y1 - y0;
        let mut reject = false;
        for (p, q) in [(-dy, y0 - lo), (dy, hi - y0)] {
            if p == 0.0 {
                if q < 0.0 {
                    reject = true;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        if reject || t0 > t1 {
            open = false;
            continue;
        }
        let a = (x0 + t0 * (x1 - x0), y0 + t0 * dy);
        let b = (x0 + t1 * (x1 - x0), y0 + t1 * dy);
        if open && t0 == 0.0 {
            if let Some(r) = runs.last_mut() {
                r.push(b);
            }
        } else {
            runs.push(vec![a, b]);
        }
        open = t1 == 1.0;
    }
    if runs.is_empty() {
        // A single point inside the range still deserves to be drawn.
        if let [(x, y)] = pts {
            if x.is_finite() && y.is_finite() && *y >= lo && *y <= hi {
                runs.push(vec![(*x, *y)]);
            }
        }
    }
    runs
}

/// Splits a band (display space) into polygons, each edge clamped to `lo..=hi`.
fn band_polygons(pts: &[(f64, f64, f64)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut polys = Vec::new();
    let mut run: Vec<(f64, f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64, f64)>, polys: &mut Vec<Vec<(f64, f64)>>| {
        if run.len() >= 2 {
            let mut poly: Vec<(f64, f64)> = run.iter().map(|p| (p.0, p.2)).collect();
            poly.extend(run.iter().rev().map(|p| (p.0, p.1)));
            polys.push(poly);
        }
        run.clear();
    };
    for &(t, a, b) in pts {
        if t.is_finite() && !a.is_nan() && !b.is_nan() {
            run.push((t, a.clamp(lo, hi), b.clamp(lo, hi)));
        } else {
            flush(&mut run, &mut polys);
        }
    }
    flush(&mut run, &mut polys);
    polys
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

fn draw_scene(sc: &Scene, spec: &ChartSpec, path: &Path) -> Result<()> {
    let plot_err = |message: String| Error::Plot {
        path: path.to_path_buf(),
        message,
    };
    for (v, label) in &spec.references {
        if !v.is_finite() {
            return Err(plot_err(format!(
                "reference line `{label}` has no finite value ({v})"
            )));
        }
    }
    let mut owned;
    let sc = if spec.references.is_empty() {
        sc
    } else {
        owned = sc.clone();
        for (v, label) in &spec.references {
            owned.references.push((*v, label.clone()));
        }
        &owned
    };
    fonts().map_err(plot_err)?;
    let (w, h) = (spec.width, spec.height);
    match spec.format.unwrap_or_else(|| Format::from_path(path)) {
        Format::Png => {
            // Drawn at twice the size and averaged down: plotters' bitmap lines and polygons
            // have no anti-aliasing of their own.
            let (bw, bh) = (w * SUPERSAMPLE, h * SUPERSAMPLE);
            let mut buf = vec![255u8; bw as usize * bh as usize * 3];
            {
                let font = glyphs::font().map_err(plot_err)?;
                let root = glyphs::Crisp::new(BitMapBackend::with_buffer(&mut buf, (bw, bh)), font)
                    .into_drawing_area();
                render(&root, sc, spec).map_err(plot_err)?;
                root.present().map_err(|e| plot_err(e.to_string()))?;
            }
            write_png(path, &downsample(&buf, w, h, SUPERSAMPLE), w, h)
        }
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                render(&root, sc, spec).map_err(plot_err)?;
                root.present().map_err(|e| plot_err(e.to_string()))?;
            }
            std::fs::write(path, svg).map_err(|e| Error::io(path, e))
        }
    }
}

/// Linear supersampling factor of PNG charts.
const SUPERSAMPLE: u32 = 2;

/// Box-filters an RGB image of `(w·f) × (h·f)` pixels down to `w × h`.
fn downsample(src: &[u8], w: u32, h: u32, f: u32) -> Vec<u8> {
    let (w, h, f) = (w as usize, h as usize, f as usize);
    let sw = w * f;
    let mut out = vec![0u8; w * h * 3];
    let n = (f * f) as u32;
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0u32; 3];
            for dy in 0..f {
                let row = (y * f + dy) * sw;
                for dx in 0..f {
                    let i = (row + x * f + dx) * 3;
                    acc[0] += u32::from(src[i]);
                    acc[1] += u32::from(src[i + 1]);
                    acc[2] += u32::from(src[i + 2]);
                }
            }
            let o = (y * w + x) * 3;
            for c in 0..3 {
                out[o + c] = ((acc[c] + n / 2) / n) as u8;
            }
        }
    }
    out
}

fn write_png(path: &Path, rgb: &[u8], w: u32, h: u32) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Best);
    let as_err = |e: png::EncodingError| match e {
        png::EncodingError::IoError(io) => Error::io(path, io),
        other => Error::Plot {
            path: path.to_path_buf(),
            message: format!("PNG encoding failed: {other}"),
        },
    };
    let mut writer = enc.write_header().map_err(as_err)?;
    writer.write_image_data(rgb).map_err(as_err)?;
    writer.finish().map_err(as_err)
}

fn de<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Greedy word wrap to `max_w` pixels.
fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: u32,
) -> std::result::Result<Vec<String>, String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let trial = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        let (tw, _) = root.estimate_text_size(&trial, style).map_err(de)?;
        if tw > max_w && !cur.is_empty() {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = trial;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    Ok(lines)
}

fn text_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> std::result::Result<u32, String> {
    Ok(root.estimate_text_size(text, style).map_err(de)?.0)
}

#[allow(clippy::too_many_lines)]
fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sc: &Scene,
    spec: &ChartSpec,
) -> std::result::Result<(), String> {
    root.fill(&WHITE).map_err(de)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let s = (f64::from(w) / 1200.0)
        .min(f64::from(h) / 720.0)
        .clamp(0.5, 3.0);
    let px = |v: f64| (v * s).round() as i32;
    let font = |size: f64, color: RGBColor| (FONT_FAMILY, size * s).into_font().color(&color);
    let margin = px(18.0);
    let full_w = (w - 2 * margin).max(10) as u32;

    // Header: title, subtitle, cautions.
    let title_style = font(27.0, INK);
    let sub_style = font(16.0, GREY);
    let caution_style = font(16.0, CAUTION);
    let mut y = margin;
    for line in wrap(root, &sc.title, &title_style, full_w)? {
        root.draw_text(&line, &title_style, (margin, y))
            .map_err(de)?;
        y += px(27.0 * 1.3);
    }
    y += px(2.0);
    for (style, texts) in [(&sub_style, &sc.subtitle), (&caution_style, &sc.cautions)] {
        for t in texts.iter() {
            for line in wrap(root, t, style, full_w)? {
                root.draw_text(&line, style, (margin, y)).map_err(de)?;
                y += px(16.0 * 1.35);
            }
        }
    }
    let plot_top = y + px(6.0);

    // Y plan (range, scale, clip notes) before the caption, which reports what is cut off.
    let plan = plan_y(sc, spec);

    // Caption at the bottom.
    let cap_style = font(13.5, GREY);
    let mut cap_lines = Vec::new();
    for c in sc.caption.iter().chain(plan.notes.iter()) {
        cap_lines.extend(wrap(root, c, &cap_style, full_w)?);
    }
    let cap_line_h = px(13.5 * 1.4);
    let cap_h = cap_lines.len() as i32 * cap_line_h;
    let plot_bottom = h - margin - cap_h - if cap_lines.is_empty() { 0 } else { px(8.0) };
    for (i, line) in cap_lines.iter().enumerate() {
        root.draw_text(
            line,
            &cap_style,
            (margin, plot_bottom + px(8.0) + i as i32 * cap_line_h),
        )
        .map_err(de)?;
    }

    // Legend panel on the right, outside the plotting area, so it never covers data.
    let leg_style = font(15.0, INK);
    let glyph_w = px(38.0);
    let pad = px(10.0);
    let max_text_w = (f64::from(w) * 0.27) as u32;
    let mut legend = sc.legend.clone();
    for (v, label) in &sc.references {
        if *v >= plan.lo && *v <= plan.hi && (!plan.log || *v > 0.0) {
            legend.push(LegendItem {
                glyph: Glyph::Line(REFERENCE, 2, false),
                text: label.clone(),
            });
        }
    }
    let mut natural = 0u32;
    for it in &legend {
        natural = natural.max(text_width(root, &it.text, &leg_style)?);
    }
    let text_w = natural.min(max_text_w);
    let legend_w = if legend.is_empty() {
        0
    } else {
        text_w as i32 + glyph_w + 3 * pad
    };
    let mut legend_lines = Vec::new();
    for it in &legend {
        legend_lines.push(wrap(root, &it.text, &leg_style, text_w.max(10))?);
    }

    // Plot area.
    let area_x0 = margin;
    let area_x1 = w - margin - legend_w - if legend_w > 0 { px(14.0) } else { 0 };
    let area_h = (plot_bottom - plot_top).max(50);
    let tick_style = font(15.0, RGBColor(60, 60, 60));
    let desc_style = font(16.0, INK);
    let x_label_area = px(15.0 * 1.3 + 12.0 + 16.0 * 1.3 + 8.0);
    let margin_top = px(22.0);
    let inner_h = (area_h - x_label_area - margin_top).max(20);

    // Y axis in display space (the plan's range is already padded).
    let (dlo, dhi) = if plan.log {
        (plan.lo.log10(), plan.hi.log10())
    } else {
        (plan.lo, plan.hi)
    };
    let max_y_ticks = (f64::from(inner_h) / (15.0 * s * 2.6)).floor().max(2.0) as usize;
    let ya = if plan.log {
        ValueAxis::logarithmic(dlo, dhi, max_y_ticks)
    } else {
        ValueAxis::linear(dlo, dhi, max_y_ticks)
    };
    let mut y_tick_w = 0u32;
    for &k in &ya.major {
        y_tick_w = y_tick_w.max(text_width(root, &ya.label(k), &tick_style)?);
    }
    let y_label_area = y_tick_w as i32 + px(12.0 + 16.0 * 1.3 + 14.0);
    let y_desc = spec.y_label.clone().unwrap_or_else(|| {
        let unit = if sc.unit.is_empty() {
            "value".to_string()
        } else {
            sc.unit.clone()
        };
        match (ya.log, ya.scale_words()) {
            (true, _) => format!("{unit} (log scale)"),
            (false, Some(words)) => format!("{unit}, {words}"),
            (false, None) => unit,
        }
    });

    // X axis.
    let xs = sc
        .marks
        .iter()
        .map(|m| m.t)
        .chain(sc.lines.iter().flat_map(|l| l.pts.iter().map(|p| p.0)));
    let (mut xlo, mut xhi) = (fmin(xs.clone()), fmax(xs));
    if !(xlo.is_finite() && xhi.is_finite()) {
        xlo = 2000.0;
        xhi = 2001.0;
    }
    let xpad = ((xhi - xlo) * 0.03).max(0.08);
    let (xlo, xhi) = (xlo - xpad, xhi + xpad);
    let inner_w = (area_x1 - area_x0 - y_label_area - px(16.0)).max(20);
    let sample_w = text_width(root, "2024-06", &tick_style)?.max(1);
    let max_x_ticks = (f64::from(inner_w) / (f64::from(sample_w) * 1.7)).floor() as usize;
    let xa = YearAxis::new(xlo, xhi, max_x_ticks.max(2));

    let area = root
        .clone()
        .shrink((area_x0, plot_top), ((area_x1 - area_x0).max(50), area_h));
    let mut chart = ChartBuilder::on(&area)
        .margin_top(margin_top)
        .margin_right(px(16.0))
        .x_label_area_size(x_label_area)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(xa.clone(), ya.clone())
        .map_err(de)?;
    chart
        .configure_mesh()
        .x_desc("year")
        .y_desc(y_desc)
        .label_style(tick_style.clone())
        .axis_desc_style(desc_style)
        .bold_line_style(RGBColor(212, 212, 212))
        .light_line_style(RGBColor(238, 238, 238))
        .axis_style(RGBColor(120, 120, 120))
        .x_labels(40)
        .y_labels(40)
        .max_light_lines(20)
        .draw()
        .map_err(de)?;

    let disp = |v: f64| ya.to_display(v);
    let (ylo, yhi) = (ya.lo, ya.hi);

    // Bands, then lines, then points on top.
    for b in &sc.bands {
        let pts: Vec<(f64, f64, f64)> = b
            .pts
            .iter()
            .map(|&(t, a, c)| (t, disp(a), disp(c)))
            .collect();
        for poly in band_polygons(&pts, ylo, yhi) {
            chart
                .draw_series(std::iter::once(Polygon::new(
                    poly,
                    b.color.mix(b.alpha).filled(),
                )))
                .map_err(de)?;
        }
    }
    for (v, _) in &sc.references {
        let d = disp(*v);
        if d.is_finite() && d >= ylo && d <= yhi {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(xa.lo, d), (xa.hi, d)],
                    REFERENCE.stroke_width(px(2.0).max(1) as u32),
                )))
                .map_err(de)?;
        }
    }
    // Divider between data and projection, labelled above the plotting area.
    if let Some(t) = sc.divider {
        let dash = px(5.0).max(2);
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(t, ylo), (t, yhi)],
                dash,
                dash,
                RGBColor(150, 150, 150).stroke_width(1),
            )))
            .map_err(de)?;
        let (x, ytop) = chart.backend_coord(&(t, yhi));
        let (xl, _) = chart.backend_coord(&(xa.lo, yhi));
        let (xr, _) = chart.backend_coord(&(xa.hi, yhi));
        let small = font(13.0, GREY);
        let yy = ytop - px(13.0 * 1.35);
        let right = "projection →";
        if x + px(6.0) + text_width(root, right, &small)? as i32 <= xr {
            root.draw_text(right, &small, (x + px(6.0), yy))
                .map_err(de)?;
        }
        let left = "← data";
        let lw = text_width(root, left, &small)? as i32;
        if x - px(6.0) - lw >= xl {
            root.draw_text(left, &small, (x - px(6.0) - lw, yy))
                .map_err(de)?;
        }
    }
    // Marker size: full with a white halo; small and plain, under the curves, when thinned.
    let r = (7.0 * s).max(3.0);
    let (mark_r, halo) = if sc.thinned {
        ((2.0 * s).max(1.5), false)
    } else {
        (r, true)
    };
    let placed: Vec<(&Mark, (i32, i32))> = sc
        .marks
        .iter()
        .filter_map(|m| {
            let d = disp(m.v);
            (d.is_finite() && m.t.is_finite() && d >= ylo && d <= yhi)
                .then(|| (m, chart.backend_coord(&(m.t, d))))
        })
        .collect();
    if sc.thinned {
        draw_marks(root, &placed, mark_r, halo)?;
    }
    for l in &sc.lines {
        let pts: Vec<(f64, f64)> = l.pts.iter().map(|&(t, v)| (t, disp(v))).collect();
        let style = l.color.stroke_width(px(f64::from(l.width)).max(1) as u32);
        for run in clip_polyline(&pts, ylo, yhi) {
            if l.dashed {
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        run,
                        px(11.0).max(3),
                        px(7.0).max(2),
                        style,
                    )))
                    .map_err(de)?;
            } else {
                chart
                    .draw_series(std::iter::once(PathElement::new(run, style)))
                    .map_err(de)?;
            }
        }
    }
    if !sc.thinned {
        draw_marks(root, &placed, mark_r, halo)?;
    }

    // Legend.
    if legend_w > 0 {
        let x0 = w - margin - legend_w;
        let (_, y_top) = chart.backend_coord(&(xa.lo, yhi));
        let line_h = px(15.0 * 1.35);
        let total: i32 = legend_lines
            .iter()
            .map(|l| l.len().max(1) as i32 * line_h + px(6.0))
            .sum::<i32>()
            + 2 * pad
            - px(6.0);
        root.draw(&Rectangle::new(
            [(x0, y_top), (x0 + legend_w, y_top + total)],
            RGBColor(200, 200, 200).stroke_width(1),
        ))
        .map_err(de)?;
        let mut yy = y_top + pad;
        for (it, lines) in legend.iter().zip(&legend_lines) {
            let cy = yy + line_h / 2;
            let gx = x0 + pad;
            match &it.glyph {
                Glyph::Band(c, a) => {
                    root.draw(&Rectangle::new(
                        [(gx, cy - px(8.0)), (gx + glyph_w, cy + px(8.0))],
                        c.mix(*a).filled(),
                    ))
                    .map_err(de)?;
                }
                Glyph::Line(c, lw, dashed) => {
                    let st = c.stroke_width(px(f64::from(*lw)).max(1) as u32);
                    if *dashed {
                        root.draw(&DashedPathElement::new(
                            vec![(gx, cy), (gx + glyph_w, cy)],
                            px(11.0).max(3),
                            px(7.0).max(2),
                            st,
                        ))
                        .map_err(de)?;
                    } else {
                        root.draw(&PathElement::new(vec![(gx, cy), (gx + glyph_w, cy)], st))
                            .map_err(de)?;
                    }
                }
                Glyph::Mark(shape, c) => {
                    draw_marker(root, (gx + glyph_w / 2, cy), *shape, *c, r, true)?;
                }
            }
            for (i, line) in lines.iter().enumerate() {
                root.draw_text(
                    line,
                    &leg_style.pos(Pos::new(HPos::Left, VPos::Center)),
                    (gx + glyph_w + pad, cy + i as i32 * line_h),
                )
                .map_err(de)?;
            }
            yy += lines.len().max(1) as i32 * line_h + px(6.0);
        }
    }
    Ok(())
}

/// Draws marks at their pixel positions.
fn draw_marks<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    placed: &[(&Mark, (i32, i32))],
    r: f64,
    halo: bool,
) -> std::result::Result<(), String> {
    for (m, c) in placed {
        draw_marker(root, *c, m.shape, m.color, r, halo)?;
    }
    Ok(())
}

/// Draws a marker, with a white halo (when `halo`) so that it stands out on bands and lines.
fn draw_marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    shape: Shape,
    color: RGBColor,
    r: f64,
    halo: bool,
) -> std::result::Result<(), String> {
    let ri = r.round() as i32;
    // Without a halo the white shape is the marker's own size, covered by its colour.
    let halo = if halo { (r * 0.3).max(1.5) } else { 0.0 };
    let tri = |r: f64, up: bool| -> Vec<(i32, i32)> {
        let sgn = if up { 1.0 } else { -1.0 };
        vec![
            (x, y - (sgn * r * 1.35).round() as i32),
            (
                x - (r * 1.2).round() as i32,
                y + (sgn * r * 0.8).round() as i32,
            ),
            (
                x + (r * 1.2).round() as i32,
                y + (sgn * r * 0.8).round() as i32,
            ),
        ]
    };
    let diamond = |r: f64| -> Vec<(i32, i32)> {
        let r = (r * 1.3).round() as i32;
        vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    };
    match shape {
        Shape::Dot => {
            root.draw(&Circle::new((x, y), ri + halo as i32, WHITE.filled()))
                .map_err(de)?;
            root.draw(&Circle::new((x, y), ri, color.filled()))
                .map_err(de)?;
        }
        Shape::Hollow => {
            root.draw(&Circle::new((x, y), ri + halo as i32, WHITE.filled()))
                .map_err(de)?;
            root.draw(&Circle::new((x, y), ri, color.filled()))
                .map_err(de)?;
            root.draw(&Circle::new(
                (x, y),
                (r * 0.55).round() as i32,
                WHITE.filled(),
            ))
            .map_err(de)?;
        }
        Shape::Up | Shape::Down => {
            let up = shape == Shape::Up;
            root.draw(&Polygon::new(tri(r + halo * 1.6, up), WHITE.filled()))
                .map_err(de)?;
            root.draw(&Polygon::new(tri(r, up), color.filled()))
                .map_err(de)?;
        }
        Shape::Diamond => {
            root.draw(&Polygon::new(diamond(r + halo), WHITE.filled()))
                .map_err(de)?;
            root.draw(&Polygon::new(diamond(r), color.filled()))
                .map_err(de)?;
        }
        Shape::Square => {
            let a = ri + 1;
            let h = halo.round() as i32;
            root.draw(&Rectangle::new(
                [(x - a - h, y - a - h), (x + a + h, y + a + h)],
                WHITE.filled(),
            ))
            .map_err(de)?;
            root.draw(&Rectangle::new(
                [(x - a, y - a), (x + a, y + a)],
                color.stroke_width((r * 0.35).max(2.0) as u32),
            ))
            .map_err(de)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers() {
        assert_eq!(short(1.4e14), "1.4e14");
        assert_eq!(short(6.02e8), "6.02e8");
        assert_eq!(short(42.8), "42.8");
        assert_eq!(short(9.999e11), "1e12");
        assert_eq!(short(0.5), "0.5");
        assert_eq!(short(f64::NAN), "n/a");
    }

    #[test]
    fn formula_is_tidied() {
        assert_eq!(
            tidy_formula("a + b * (t - 2023.9972602739726)"),
            "a + b·(t - 2024.00)"
        );
    }

    #[test]
    fn log_axis_labels_decades() {
        let a = ValueAxis::logarithmic(11.0, 15.0, 10);
        let labels: Vec<String> = a.major.iter().map(|&d| a.label(d)).collect();
        assert_eq!(labels, ["1e11", "1e12", "1e13", "1e14", "1e15"]);
        let narrow = ValueAxis::logarithmic(8.2, 9.3, 10);
        assert!(narrow.major.len() >= 3, "{:?}", narrow.major);
    }

    #[test]
    fn year_axis_ticks() {
        let a = YearAxis::new(2023.9, 2031.0, 10);
        let labels: Vec<String> = a.major.iter().map(|&t| a.label(t)).collect();
        assert_eq!(labels[0], "2024");
        assert_eq!(labels.last().unwrap(), "2031");
        let short = YearAxis::new(2024.4, 2026.1, 12);
        assert!(short.monthly);
        assert!(short.major.iter().any(|&t| short.label(t) == "2025"));
        assert!(short.major.iter().any(|&t| short.label(t).len() == 7));
    }

    #[test]
    fn polyline_is_cut_at_the_edges() {
        let runs = clip_polyline(&[(0.0, 0.0), (1.0, 2.0), (2.0, 0.0)], -1.0, 1.0);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0], vec![(0.0, 0.0), (0.5, 1.0)]);
        assert_eq!(runs[1], vec![(1.5, 1.0), (2.0, 0.0)]);
        let nan = clip_polyline(
            &[(0.0, 0.0), (1.0, f64::NAN), (2.0, 0.0), (3.0, 0.5)],
            -1.0,
            1.0,
        );
        assert_eq!(nan.len(), 1);
    }

    fn bundled(name: &str) -> Series {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(format!("{name}.csv"));
        crate::io::read_series(path).unwrap()
    }

    /// The scene of `plot_fit` with the spec's reference lines, and its y plan: what would be
    /// drawn, without drawing it.
    fn planned_fit(series: &Series, fit: &Fit, spec: &ChartSpec) -> (Scene, YPlan) {
        let mut sc = fit_scene(series, fit, spec);
        sc.references.extend(spec.references.iter().cloned());
        let plan = plan_y(&sc, spec);
        (sc, plan)
    }

    /// Every curve lies inside the drawn range, or a caption note names it; a reference line is
    /// "above the chart" in the caption exactly when it is above the drawn range.
    fn assert_captions_match(sc: &Scene, plan: &YPlan, what: &str) {
        for l in &sc.lines {
            let inside = l.pts.iter().all(|p| p.1 >= plan.lo && p.1 <= plan.hi);
            let named = plan
                .notes
                .iter()
                .any(|n| n.starts_with("Cut at") && n.contains(&l.name));
            assert!(
                inside || named,
                "{what}: `{}` leaves {}..{} and no note says so: {:?}",
                l.name,
                plan.lo,
                plan.hi,
                plan.notes
            );
        }
        for (v, label) in &sc.references {
            let said = plan
                .notes
                .iter()
                .any(|n| n.contains(&capitalise(label)) && n.contains("above the chart"));
            assert_eq!(
                said,
                *v > plan.hi,
                "{what}: reference {v} with range {}..{}, notes {:?}",
                plan.lo,
                plan.hi,
                plan.notes
            );
        }
    }

    #[test]
    fn share_with_a_known_ceiling_is_drawn_whole_up_to_the_horizon() {
        use crate::{Fitter, Logistic};
        // The report's spec for the bundled shares: known ceiling 100%, its headroom rule.
        for name in [
            "ai_tv_offline_share",
            "ai_tv_online_share",
            "genai_penetration",
            "ai_manufacturing_share",
            "digital_economy_share",
        ] {
            let s = bundled(name);
            let fit = Fitter::new(Logistic).fix("K", 100.0).fit(&s).unwrap();
            let max_obs = s.values().into_iter().fold(f64::MIN, f64::max);
            let mut spec = ChartSpec::new()
                .horizon(2030.99)
                .reference(100.0, "known ceiling: 100%");
            spec.headroom = (100.0 <= 3.0 * max_obs).then(|| 1.25 * 100.0 / max_obs);
            let (sc, plan) = planned_fit(&s, &fit, &spec);
            assert_captions_match(&sc, &plan, name);
            // A logistic at K = 100 stays below 100: when it comes near the ceiling, the chart
            // holds the whole curve and the ceiling line.
            let top = fmax(sc.lines.iter().flat_map(|l| l.pts.iter().map(|p| p.1)));
            if top >= 90.0 {
                assert!(plan.hi >= 100.0, "{name}: range {}..{}", plan.lo, plan.hi);
                assert!(
                    !plan.notes.iter().any(|n| n.contains("Cut at")),
                    "{name}: {:?}",
                    plan.notes
                );
            }
            // Without a reference line the curve may be cut, but the caption says where it goes.
            let bare = ChartSpec::new().horizon(2030.99);
            let (sc, plan) = planned_fit(&s, &fit, &bare);
            assert_captions_match(&sc, &plan, name);
        }
    }

    #[test]
    fn a_drawn_reference_line_is_not_called_above_the_chart() {
        use crate::{Fitter, Logistic};
        // genai_penetration: the curve reaches 99.7 and the padding draws the 100 line.
        let s = bundled("genai_penetration");
        let fit = Fitter::new(Logistic).fix("K", 100.0).fit(&s).unwrap();
        let spec = ChartSpec::new()
            .horizon(2030.99)
            .headroom(1.25 * 100.0 / 42.8)
            .reference(100.0, "known ceiling: 100%");
        let (sc, plan) = planned_fit(&s, &fit, &spec);
        assert!(plan.hi >= 100.0, "range {}..{}", plan.lo, plan.hi);
        assert!(
            !plan.notes.iter().any(|n| n.contains("above the chart")),
            "{:?}",
            plan.notes
        );
        assert_captions_match(&sc, &plan, "genai_penetration");
        // A ceiling far above everything stays out and is named.
        let far = ChartSpec::new()
            .horizon(2030.99)
            .reference(1000.0, "far ceiling");
        let (sc, plan) = planned_fit(&s, &fit, &far);
        assert!(plan.hi < 1000.0);
        assert!(plan
            .notes
            .iter()
            .any(|n| n.contains("Far ceiling is above the chart")));
        assert_captions_match(&sc, &plan, "far ceiling");
    }

    /// A long noisy linear series: `n` points from 2000 on, one spike up and one down.
    fn long_series(n: usize) -> Series {
        let t: Vec<f64> = (0..n)
            .map(|i| 2000.0 + 10.0 * i as f64 / n as f64)
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|i| {
                let noise = ((i * 7919) % 1000) as f64 / 1000.0 - 0.5;
                let spike = if i == n / 3 {
                    500.0
                } else if i == 2 * n / 3 {
                    -90.0
                } else {
                    0.0
                };
                100.0 + 10.0 * (10.0 * i as f64 / n as f64) + noise + spike
            })
            .collect();
        Series::from_slices("long", &t, &y).unwrap()
    }

    fn drawn_extremes(sc: &Scene) -> (f64, f64) {
        (
            fmin(sc.marks.iter().map(|m| m.v)),
            fmax(sc.marks.iter().map(|m| m.v)),
        )
    }

    #[test]
    fn long_series_draw_a_bounded_number_of_markers_with_the_extremes() {
        use crate::Linear;
        let s = long_series(20_000);
        let fit = s.fit(Linear::new()).unwrap();
        let spec = ChartSpec::new();
        let sc = fit_scene(&s, &fit, &spec);
        assert!(
            sc.marks.len() <= 2 * spec.width as usize,
            "{} markers for {} points",
            sc.marks.len(),
            s.len()
        );
        assert_eq!(
            drawn_extremes(&sc),
            (fmin(s.values().into_iter()), fmax(s.values().into_iter()))
        );
        assert!(
            sc.caption
                .iter()
                .any(|c| c.contains("of 20000 observations")),
            "{:?}",
            sc.caption
        );
        assert!(sc.thinned, "thinned marks are drawn small, without halos");
        let cmp = comparison_scene(&s, &[("linear", &fit)], &spec);
        assert!(cmp.marks.len() <= 2 * spec.width as usize);
        // A short series is drawn point by point, with no note.
        let short_s = long_series(500);
        let fit = short_s.fit(Linear::new()).unwrap();
        let sc = fit_scene(&short_s, &fit, &spec);
        assert_eq!(sc.marks.len(), 500);
        assert!(!sc.thinned);
        assert!(!sc.caption.iter().any(|c| c.contains("observations")));
    }

    #[test]
    fn a_200k_point_hindcast_scene_is_linear_and_bounded() {
        use crate::Linear;
        // 200k points, the last 1000 held out: the held-out search must not be quadratic
        // (4e10 comparisons before), and what is drawn must not grow with the series.
        let n = 200_000;
        let s = long_series(n);
        let fit = s.head(n - 1000).fit(Linear::new()).unwrap();
        let spec = ChartSpec::new().size(1000, 600);
        let sc = fit_scene(&s, &fit, &spec);
        let held = sc.marks.iter().filter(|m| m.color == PALETTE[1]).count();
        let used = sc.marks.len() - held;
        assert!(used <= 2 * 1000, "{used} fitted markers drawn");
        assert!(held > 0 && held <= 1000, "{held} held-out markers drawn");
        assert!(sc.legend.iter().any(|l| l.text.starts_with("held out")));
        assert_eq!(
            drawn_extremes(&sc),
            (fmin(s.values().into_iter()), fmax(s.values().into_iter()))
        );
        let pts: usize = sc.lines.iter().map(|l| l.pts.len()).sum();
        assert!(pts <= 400, "{pts} curve points");
    }

    #[test]
    fn bands_skip_nan() {
        let p = band_polygons(
            &[
                (0.0, 1.0, 2.0),
                (1.0, f64::NAN, 2.0),
                (2.0, 1.0, 3.0),
                (3.0, 1.0, 9.0),
            ],
            0.0,
            5.0,
        );
        assert_eq!(p.len(), 1);
        assert!(p[0].iter().all(|q| q.1 <= 5.0));
    }
}
