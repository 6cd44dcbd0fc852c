//! Charts: observed points, fitted curves, projections with bands, model comparisons and
//! scenario fans, as PNG or SVG (cargo feature `plot`, on by default).
//!
//! * [`plot_fit`]: one fitted model over its series: the observations (a triangle pointing up for
//!   an `at_least` bound, down for `at_most`, a hollow circle for a `derived` figure, a diamond
//!   for an `about` figure), the fitted curve (solid over the data, dashed beyond the last
//!   observation), the confidence and prediction bands as shaded areas, the fit's cautions in
//!   the subtitle and the source as a caption.
//! * [`plot_comparison`]: several models over one series.
//! * [`plot_projection`]: the same chart from a [`Projection`] of the fit that the caller
//!   already holds (the one written to CSV, say), so the chart and the numbers cannot disagree;
//!   [`plot_fit`] is "project on [`fit_grid`], then draw".
//! * [`plot_recommendation`]: a [`Recommendation`] across the plausible models: its band (the
//!   hull of the members' bands) shaded, its point path as the main line, each member's own
//!   curve thin and pale behind it, and which member makes each edge at the last date.
//! * [`plot_fan`]: several named paths from one base, e.g. scenarios to stated targets.
//! * [`plot_distribution`]: a quantity across many series (the growth rates or ceilings of
//!   their chosen models), a histogram panel per model.
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
//!
//! The module reads like the data flow: [`ChartSpec`] and the entry points here; `scene/` builds
//! what a chart shows from analysis results (one builder per chart kind, pure and tested
//! without drawing); `range` plans the y axis and what is cut off; `axes` makes the ticks;
//! `layout` places the header, caption and legend; `render` draws a scene with plotters;
//! `raster` encodes PNG; `glyphs` draws text crisply on bitmaps; `thin` thins long series.

use std::path::Path;
use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle};

use crate::error::{Error, Result};
use crate::fit::Fit;
use crate::project::{ProjectedPoint, Projection};
use crate::recommend::Recommendation;
use crate::series::Series;
use crate::setters::setters;

mod axes;
mod glyphs;
mod layout;
mod range;
mod raster;
mod render;
mod render_hist;
mod scene;
mod text;
mod thin;

pub use scene::fan::{Fan, FanPath};
pub use scene::histogram::{Distribution, DistributionGroup};

/// The bundled font: DejaVu Sans 2.37 (Bitstream Vera licence, `assets/fonts/LICENSE-DejaVu.txt`).
static FONT_DATA: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

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

    setters! {
        /// Forces a format whatever the file extension: the explicit format wins (SVG to
        /// `chart.png` is an SVG file named `chart.png`).
        pub fn format(format: Format) => format = Some(format);

        /// Forces a logarithmic (`true`) or linear (`false`) y axis.
        pub fn log_y(log: bool) => log_y = Some(log);

        /// Sets the title.
        pub fn title(title: impl Into<String>) => title = Some(title.into());

        /// Sets the subtitle.
        pub fn subtitle(subtitle: impl Into<String>) => subtitle = Some(subtitle.into());

        /// Sets the caption (source note).
        pub fn caption(caption: impl Into<String>) => caption = Some(caption.into());

        /// Turns the bands on or off.
        pub fn bands(bands: bool) => bands = bands;

        /// Sets the horizon (decimal year) of the projection.
        pub fn horizon(horizon: f64) => horizon = Some(horizon);

        /// Sets the y-axis label.
        pub fn y_label(label: impl Into<String>) => y_label = Some(label.into());
    }

    /// Fixes the y range (data units).
    #[must_use]
    pub fn y_range(self, low: f64, high: f64) -> Self {
        Self {
            y_range: Some((low, high)),
            ..self
        }
    }

    setters! {
        /// Sets the headroom factor (see the field).
        pub fn headroom(factor: f64) => headroom = Some(factor);
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

// ---------------------------------------------------------------------------------------------
// Public chart functions
// ---------------------------------------------------------------------------------------------

/// The times [`plot_fit`] projects `fit` at: dense over the fitted observations (120 points),
/// then on to the horizon of `spec` (160 more) when it lies beyond the last observation.
/// Project on them to hold the numbers a chart shows:
///
/// ```
/// use growthcast::plot::{fit_grid, ChartSpec};
/// use growthcast::{Exponential, Series};
/// let s = Series::from_slices("s", &[2020.0, 2021.0, 2022.0], &[1.0, 2.1, 3.9])?;
/// let fit = s.fit(Exponential::new())?;
/// let grid = fit_grid(&fit, &ChartSpec::new().horizon(2025.0));
/// assert_eq!((grid.len(), grid[0], grid[grid.len() - 1]), (279, 2020.0, 2025.0));
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn fit_grid(fit: &Fit, spec: &ChartSpec) -> Vec<f64> {
    scene::chart_grid(fit.observations().iter().map(|o| o.t), spec)
}

/// The times [`plot_comparison`] projects every model at, and the grid to ask
/// [`Comparison::recommended`](crate::compare::Comparison::recommended) for before
/// [`plot_recommendation`]: dense over the observations of `series` (120 points), then on to
/// the horizon of `spec` (160 more) when it lies beyond the last one.
///
/// ```
/// use growthcast::plot::{series_grid, ChartSpec};
/// use growthcast::Series;
/// let s = Series::from_slices("s", &[2020.0, 2021.0, 2022.0], &[1.0, 2.1, 3.9])?;
/// let grid = series_grid(&s, &ChartSpec::new().horizon(2025.0));
/// assert_eq!((grid.len(), grid[0], grid[grid.len() - 1]), (279, 2020.0, 2025.0));
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn series_grid(series: &Series, spec: &ChartSpec) -> Vec<f64> {
    scene::chart_grid(series.observations().iter().map(|o| o.t), spec)
}

/// Draws one fitted model over its series: points, curve, dashed projection to the horizon,
/// confidence and prediction bands, cautions, legend and source caption. Observations of
/// `series` that the fit did not use (a hindcast's held-out points) are drawn in a second colour
/// and named in the legend.
///
/// The curve and bands are those of `fit.project(&fit_grid(fit, spec))`: this is
/// [`plot_projection`] with that projection.
///
/// The format comes from [`ChartSpec::format`] or the extension of `path`. Errors (the font, the
/// drawing, the file) are [`Error::Plot`] or [`Error::Io`]; nothing panics.
pub fn plot_fit(
    series: &Series,
    fit: &Fit,
    spec: &ChartSpec,
    path: impl AsRef<Path>,
) -> Result<()> {
    let projection = fit.project(&fit_grid(fit, spec));
    plot_projection(series, fit, &projection, spec, path)
}

/// Draws one fitted model over its series with the curve and bands of `projection`, a
/// projection of `fit` (e.g. the one exported to CSV): solid up to the fit's last observation,
/// dashed beyond, to the projection's last time, which is the horizon the subtitle and legend
/// name. Everything else is as in [`plot_fit`]; the spec's horizon is not used.
///
/// A projection of another fit or series, one without points, or one whose times are not
/// finite and increasing is an [`Error::Plot`] that says so.
pub fn plot_projection(
    series: &Series,
    fit: &Fit,
    projection: &Projection,
    spec: &ChartSpec,
    path: impl AsRef<Path>,
) -> Result<()> {
    draw(spec, path.as_ref(), |path| {
        check_projection(fit, projection, path)?;
        Ok(scene::fit::fit_scene(series, fit, projection, spec))
    })
}

/// The steps every chart function shares: checks `spec` against `path`, builds the scene with
/// `build` (which makes its own checks, naming `path` in its errors), and draws it to `path`.
fn draw(
    spec: &ChartSpec,
    path: &Path,
    build: impl FnOnce(&Path) -> Result<scene::Scene>,
) -> Result<()> {
    spec.check(path)?;
    let scene = build(path)?;
    render::draw_scene(&scene, spec, path)
}

/// The [`Error::Plot`] for a chart to `path` that cannot be drawn, with `message` saying why.
fn plot_error(path: &Path, message: String) -> Error {
    Error::Plot {
        path: path.to_path_buf(),
        message,
    }
}

/// Why the points of `what` (e.g. "the projection of `logistic`") cannot be drawn, when their
/// times are not finite and increasing; `None` when they are (or there are none).
fn time_order_problem(points: &[ProjectedPoint], what: &str) -> Option<String> {
    if let Some(w) = points
        .windows(2)
        .find(|w| !(w[0].t.is_finite() && w[1].t.is_finite() && w[0].t < w[1].t))
    {
        return Some(format!(
            "{what} has times {} then {}: a chart needs finite times in increasing order",
            w[0].t, w[1].t
        ));
    }
    match points.first() {
        Some(q) if !q.t.is_finite() => Some(format!(
            "{what} has time {}: a chart needs finite times",
            q.t
        )),
        _ => None,
    }
}

/// A projection a chart of `fit` can be drawn from: of that fit, with increasing finite times.
fn check_projection(fit: &Fit, p: &Projection, path: &Path) -> Result<()> {
    let bad = |message: String| Err(plot_error(path, message));
    if p.series != fit.series() || p.model != fit.label() {
        return bad(format!(
            "the projection is of `{}` fitted to series `{}`, not of the fit `{}` of series `{}`: \
             project the fit that is drawn (fit.project(&times))",
            p.model,
            p.series,
            fit.label(),
            fit.series()
        ));
    }
    if p.points.is_empty() {
        return bad(format!(
            "the projection of `{}` has no points: project at two or more times",
            p.model
        ));
    }
    match time_order_problem(&p.points, &format!("the projection of `{}`", p.model)) {
        Some(message) => bad(message),
        None => Ok(()),
    }
}

/// Draws several models fitted to one series, each in its own colour (solid over the data,
/// dashed beyond), with their confidence bands when [`ChartSpec::bands`] is on and the model is
/// identified. Models the data do not identify are marked in the legend. Each curve is the
/// model's projection on the grid of the series (120 times over the data, 160 to the horizon).
pub fn plot_comparison(
    series: &Series,
    fits: &[(&str, &Fit)],
    spec: &ChartSpec,
    path: impl AsRef<Path>,
) -> Result<()> {
    draw(spec, path.as_ref(), |path| {
        if fits.is_empty() {
            let message = format!("no fits of series `{}` to compare", series.name());
            return Err(plot_error(path, message));
        }
        let times = series_grid(series, spec);
        let curves: Vec<scene::comparison::Compared> = fits
            .iter()
            .map(|(label, fit)| (*label, *fit, fit.project(&times)))
            .collect();
        Ok(scene::comparison::comparison_scene(series, &curves, spec))
    })
}

/// Draws a recommended projection over its series: the recommendation's confidence band
/// shaded (its prediction band lighter), its point path as the main line (solid over the data,
/// dashed beyond, to the projection's last time), every member's own curve
/// ([`Member::projection`](crate::recommend::Member::projection)) thin and pale behind it, the
/// observations, a legend that names the members and which make the low and high edge at the
/// last date, and the left-out models in the caption. Everything drawn is a value `rec` holds:
/// ask for it on [`series_grid`] for a smooth chart. The spec's horizon is not used.
///
/// ```no_run
/// use growthcast::plot::{plot_recommendation, series_grid, ChartSpec};
/// use growthcast::{compare, io, recommend::RecommendOptions};
///
/// let users = io::read_series("data/genai_users.csv")?;
/// let spec = ChartSpec::new().horizon(2030.0);
/// let c = compare::compare_standard(&users);
/// if let Some(rec) = c.recommended(&series_grid(&users, &spec), &RecommendOptions::default()) {
///     plot_recommendation(&users, &rec, &spec, "users_recommended.png")?;
/// }
/// # Ok::<(), growthcast::Error>(())
/// ```
///
/// A recommendation of another series, one without points, with times that are not finite and
/// increasing, or whose members were projected at other times is an [`Error::Plot`] that says
/// so. The format comes from [`ChartSpec::format`] or the extension of `path`.
pub fn plot_recommendation(
    series: &Series,
    rec: &Recommendation,
    spec: &ChartSpec,
    path: impl AsRef<Path>,
) -> Result<()> {
    draw(spec, path.as_ref(), |path| {
        check_recommendation(series, rec, path)?;
        Ok(scene::recommendation::recommendation_scene(
            series, rec, spec,
        ))
    })
}

/// A recommendation a chart of `series` can be drawn from: of that series, with increasing
/// finite times that every member's projection shares.
fn check_recommendation(series: &Series, rec: &Recommendation, path: &Path) -> Result<()> {
    let bad = |message: String| Err(plot_error(path, message));
    let p = &rec.projection;
    if p.series != series.name() {
        return bad(format!(
            "the recommendation is of series `{}`, not of `{}`: draw a series with its own \
             recommendation",
            p.series,
            series.name()
        ));
    }
    if p.points.is_empty() {
        return bad(
            "the recommendation has no points: ask for it at two or more times (series_grid)"
                .into(),
        );
    }
    if let Some(message) = time_order_problem(&p.points, "the recommendation") {
        return bad(message);
    }
    let same_times = |m: &crate::recommend::Member| {
        m.projection.points.len() == p.points.len()
            && m.projection
                .points
                .iter()
                .zip(&p.points)
                .all(|(a, b)| a.t == b.t)
    };
    if let Some(m) = rec.members.iter().find(|m| !same_times(m)) {
        return bad(format!(
            "member `{}` of the recommendation was projected at other times than the \
             recommendation: use the recommendation Comparison::recommended returned, unchanged",
            m.label
        ));
    }
    Ok(())
}

/// Draws a fan: named paths from one base, with the base marked as such and each path's target.
pub fn plot_fan(fan: &Fan, spec: &ChartSpec, path: impl AsRef<Path>) -> Result<()> {
    draw(spec, path.as_ref(), |path| {
        if fan.paths.is_empty() {
            return Err(plot_error(path, format!("fan `{}` has no paths", fan.name)));
        }
        Ok(scene::fan::fan_scene(fan, spec))
    })
}

/// Draws a distribution across series: one histogram panel per group (a model), stacked, each
/// titled with the model, its number of series, its median (a dashed line) and its bin width;
/// the x axis names the parameter and its unit, the y axis counts series. Bins follow the
/// Freedman–Diaconis rule (`2·IQR·n^(-1/3)` rounded to the nearest 1, 2, 2.5 or 5 × 10^k, at most 40
/// bins), computed once per unit from the values of all its groups so that their panels can be
/// compared, on log10 values when they are all positive and span more than two decades. Values
/// beyond three interquartile ranges of the quartiles may fall outside the plotted range; the
/// caption counts them, the non-finite values and the series [`Distribution::left_out`].
///
/// Of the spec, the size, format, title, subtitle and caption (added after the notes) are used.
/// A distribution with no finite value is an [`Error::Plot`].
///
/// ```no_run
/// use growthcast::plot::{plot_distribution, ChartSpec, Distribution, DistributionGroup};
/// let rates = vec![0.61, 0.72, 0.66, 0.58, 0.9];
/// let d = Distribution::new("growth rates", "cultures", 5)
///     .group(DistributionGroup::new("logistic", "r", "1/day", rates));
/// plot_distribution(&d, &ChartSpec::new(), "cultures_rates.png")?;
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn plot_distribution(d: &Distribution, spec: &ChartSpec, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    spec.check(path)?;
    let sc = scene::histogram::histogram_scene(d, spec);
    if sc.panels.is_empty() {
        return Err(plot_error(
            path,
            format!(
                "the distribution of {} across `{}` has no finite value to draw",
                d.quantity, d.source
            ),
        ));
    }
    render::write_chart(&sc, spec, path)
}
