//! Drawing a scene with plotters: the plot area and its axes, then bands, reference lines, the
//! divider between data and projection, curves and markers, and the text around them (see
//! [`super::layout`]). PNG charts are drawn supersampled and averaged down ([`super::raster`]).

use std::path::Path;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::axes::{ValueAxis, YearAxis};
use super::layout::{de, draw_caption, draw_header, text_width, Frame, Legend};
use super::range::{band_polygons, clip_polyline, fmax, fmin, plan_y, YPlan};
use super::raster::{downsample, write_png, SUPERSAMPLE};
use super::scene::{Mark, Scene, Shape, GREY, INK, REFERENCE};
use super::{fonts, glyphs, ChartSpec, Format};
use crate::axis::TimeAxis;
use crate::error::{Error, Result};

/// The chart of a scene: a plotters chart on the year and value axes.
type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<YearAxis, ValueAxis>>;

/// Draws a scene, with the spec's reference lines, to `path` in the spec's format (or the one
/// the extension asks for).
pub(crate) fn draw_scene(sc: &Scene, spec: &ChartSpec, path: &Path) -> Result<()> {
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
    write_chart(sc, spec, path)
}

/// What can be drawn on a drawing area of any backend.
pub(crate) trait Drawable {
    /// Draws on `root`, the whole chart.
    fn render<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        spec: &ChartSpec,
    ) -> std::result::Result<(), String>;
}

impl Drawable for Scene {
    fn render<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        spec: &ChartSpec,
    ) -> std::result::Result<(), String> {
        render(root, self, spec)
    }
}

/// Draws `d` to `path` in the spec's format (or the one the extension asks for), at the spec's
/// size.
pub(crate) fn write_chart(d: &impl Drawable, spec: &ChartSpec, path: &Path) -> Result<()> {
    let plot_err = |message: String| Error::Plot {
        path: path.to_path_buf(),
        message,
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
                d.render(&root, spec).map_err(plot_err)?;
                root.present().map_err(|e| plot_err(e.to_string()))?;
            }
            write_png(path, &downsample(&buf, w, h, SUPERSAMPLE), w, h)
        }
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                d.render(&root, spec).map_err(plot_err)?;
                root.present().map_err(|e| plot_err(e.to_string()))?;
            }
            std::fs::write(path, svg).map_err(|e| Error::io(path, e))
        }
    }
}

/// Draws a scene on a drawing area: the header, the caption, the plot with its axes, the
/// content and the legend.
fn render<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sc: &Scene,
    spec: &ChartSpec,
) -> std::result::Result<(), String> {
    root.fill(&WHITE).map_err(de)?;
    let fr = Frame::of(root);
    let plot_top = draw_header(root, &fr, sc)?;
    // Y plan (range, scale, clip notes) before the caption, which reports what is cut off.
    let plan = plan_y(sc, spec);
    let plot_bottom = draw_caption(root, &fr, sc, &plan)?;
    let legend = Legend::layout(root, &fr, sc, &plan)?;
    let pa = PlotArea::plan(
        root,
        &fr,
        sc,
        spec,
        &plan,
        (plot_top, plot_bottom),
        legend.width,
    )?;
    let area = root
        .clone()
        .shrink((fr.margin, plot_top), (pa.width, pa.height));
    let mut chart = pa.chart(&area, &fr)?;
    draw_bands_and_references(&mut chart, &fr, sc, &pa)?;
    if let Some(t) = sc.divider {
        draw_divider(root, &mut chart, &fr, &pa, t)?;
    }
    draw_curves_and_marks(root, &mut chart, &fr, sc, &pa.ya)?;
    let (_, y_top) = chart.backend_coord(&(pa.xa.lo, pa.ya.hi));
    legend.draw(root, &fr, y_top, (7.0 * fr.s).max(3.0))
}

/// Where the plot goes (left of the legend, between header and caption) and its axes.
struct PlotArea {
    width: i32,
    height: i32,
    margin_top: i32,
    x_label_area: i32,
    y_label_area: i32,
    xa: YearAxis,
    x_desc: String,
    ya: ValueAxis,
    y_desc: String,
}

impl PlotArea {
    /// Plans the plot area between `top` and `bottom`, left of a legend `legend_w` wide: the
    /// value axis in display space from the plan (already padded), the year axis over the marks
    /// and curves, and as many ticks as their labels leave room for.
    fn plan<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        fr: &Frame,
        sc: &Scene,
        spec: &ChartSpec,
        plan: &YPlan,
        (top, bottom): (i32, i32),
        legend_w: i32,
    ) -> std::result::Result<Self, String> {
        let area_x1 = fr.w - fr.margin - legend_w - if legend_w > 0 { fr.px(14.0) } else { 0 };
        let height = (bottom - top).max(50);
        let tick_style = fr.font(15.0, RGBColor(60, 60, 60));
        let x_label_area = fr.px(15.0 * 1.3 + 12.0 + 16.0 * 1.3 + 8.0);
        let margin_top = fr.px(22.0);
        let inner_h = (height - x_label_area - margin_top).max(20);

        let (dlo, dhi) = if plan.log {
            (plan.lo.log10(), plan.hi.log10())
        } else {
            (plan.lo, plan.hi)
        };
        let max_y_ticks = (f64::from(inner_h) / (15.0 * fr.s * 2.6)).floor().max(2.0) as usize;
        let ya = if plan.log {
            ValueAxis::logarithmic(dlo, dhi, max_y_ticks)
        } else {
            ValueAxis::linear(dlo, dhi, max_y_ticks)
        };
        let mut y_tick_w = 0u32;
        for &k in &ya.major {
            y_tick_w = y_tick_w.max(text_width(root, &ya.label(k), &tick_style)?);
        }
        let y_label_area = y_tick_w as i32 + fr.px(12.0 + 16.0 * 1.3 + 14.0);
        let y_desc = spec
            .y_label
            .clone()
            .unwrap_or_else(|| value_description(&sc.unit, &ya));

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
        let xpad = if sc.axis.is_calendar() {
            ((xhi - xlo) * 0.03).max(0.08)
        } else if xhi > xlo {
            (xhi - xlo) * 0.03
        } else {
            0.5
        };
        let (xlo, xhi) = (xlo - xpad, xhi + xpad);
        let inner_w = (area_x1 - fr.margin - y_label_area - fr.px(16.0)).max(20);
        let sample_w = text_width(root, "2024-06", &tick_style)?.max(1);
        let max_x_ticks = (f64::from(inner_w) / (f64::from(sample_w) * 1.7)).floor() as usize;
        let xa = if sc.axis.is_calendar() {
            YearAxis::new(xlo, xhi, max_x_ticks.max(2))
        } else {
            YearAxis::numeric(xlo, xhi, max_x_ticks.max(2))
        };
        let x_desc = match &sc.axis {
            TimeAxis::Calendar => "year".to_string(),
            TimeAxis::Numeric(u) => u.name().to_string(),
        };
        Ok(Self {
            width: (area_x1 - fr.margin).max(50),
            height,
            margin_top,
            x_label_area,
            y_label_area,
            xa,
            x_desc,
            ya,
            y_desc,
        })
    }

    /// The chart on `area` with its grid, ticks and axis descriptions drawn.
    fn chart<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        fr: &Frame,
    ) -> std::result::Result<Chart<'a, DB>, String> {
        let mut chart = ChartBuilder::on(area)
            .margin_top(self.margin_top)
            .margin_right(fr.px(16.0))
            .x_label_area_size(self.x_label_area)
            .y_label_area_size(self.y_label_area)
            .build_cartesian_2d(self.xa.clone(), self.ya.clone())
            .map_err(de)?;
        chart
            .configure_mesh()
            .x_desc(self.x_desc.clone())
            .y_desc(self.y_desc.clone())
            .label_style(fr.font(15.0, RGBColor(60, 60, 60)))
            .axis_desc_style(fr.font(16.0, INK))
            .bold_line_style(RGBColor(212, 212, 212))
            .light_line_style(RGBColor(238, 238, 238))
            .axis_style(RGBColor(120, 120, 120))
            .x_labels(40)
            .y_labels(40)
            .max_light_lines(20)
            .draw()
            .map_err(de)?;
        Ok(chart)
    }
}

/// The y-axis description: the unit (or "value") and the scale, log or the label multiplier.
fn value_description(unit: &str, ya: &ValueAxis) -> String {
    let unit = if unit.is_empty() {
        "value".to_string()
    } else {
        unit.to_string()
    };
    match (ya.log, ya.scale_words()) {
        (true, _) => format!("{unit} (log scale)"),
        (false, Some(words)) => format!("{unit}, {words}"),
        (false, None) => unit,
    }
}

/// Draws the bands, then the reference lines that lie in the range.
fn draw_bands_and_references<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    fr: &Frame,
    sc: &Scene,
    pa: &PlotArea,
) -> std::result::Result<(), String> {
    let ya = &pa.ya;
    for b in &sc.bands {
        let pts: Vec<(f64, f64, f64)> = b
            .pts
            .iter()
            .map(|&(t, a, c)| (t, ya.to_display(a), ya.to_display(c)))
            .collect();
        for poly in band_polygons(&pts, ya.lo, ya.hi) {
            chart
                .draw_series(std::iter::once(Polygon::new(
                    poly,
                    b.color.mix(b.alpha).filled(),
                )))
                .map_err(de)?;
        }
    }
    for (v, _) in &sc.references {
        let d = ya.to_display(*v);
        if d.is_finite() && d >= ya.lo && d <= ya.hi {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(pa.xa.lo, d), (pa.xa.hi, d)],
                    REFERENCE.stroke_width(fr.px(2.0).max(1) as u32),
                )))
                .map_err(de)?;
        }
    }
    Ok(())
}

/// Draws the divider between data and projection at `t`, labelled above the plotting area
/// where the labels fit.
fn draw_divider<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut Chart<DB>,
    fr: &Frame,
    pa: &PlotArea,
    t: f64,
) -> std::result::Result<(), String> {
    let (xa, ya) = (&pa.xa, &pa.ya);
    let dash = fr.px(5.0).max(2);
    chart
        .draw_series(std::iter::once(DashedPathElement::new(
            vec![(t, ya.lo), (t, ya.hi)],
            dash,
            dash,
            RGBColor(150, 150, 150).stroke_width(1),
        )))
        .map_err(de)?;
    let (x, ytop) = chart.backend_coord(&(t, ya.hi));
    let (xl, _) = chart.backend_coord(&(xa.lo, ya.hi));
    let (xr, _) = chart.backend_coord(&(xa.hi, ya.hi));
    let small = fr.font(13.0, GREY);
    let yy = ytop - fr.px(13.0 * 1.35);
    let right = "projection →";
    if x + fr.px(6.0) + text_width(root, right, &small)? as i32 <= xr {
        root.draw_text(right, &small, (x + fr.px(6.0), yy))
            .map_err(de)?;
    }
    let left = "← data";
    let lw = text_width(root, left, &small)? as i32;
    if x - fr.px(6.0) - lw >= xl {
        root.draw_text(left, &small, (x - fr.px(6.0) - lw, yy))
            .map_err(de)?;
    }
    Ok(())
}

/// Draws the curves, cut at the edges of the range, and the markers: full size with a white
/// halo on top of the curves, or, when thinned, small and plain under them.
fn draw_curves_and_marks<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut Chart<DB>,
    fr: &Frame,
    sc: &Scene,
    ya: &ValueAxis,
) -> std::result::Result<(), String> {
    let (mark_r, halo) = if sc.thinned {
        ((2.0 * fr.s).max(1.5), false)
    } else {
        ((7.0 * fr.s).max(3.0), true)
    };
    let placed: Vec<(&Mark, (i32, i32))> = sc
        .marks
        .iter()
        .filter_map(|m| {
            let d = ya.to_display(m.v);
            (d.is_finite() && m.t.is_finite() && d >= ya.lo && d <= ya.hi)
                .then(|| (m, chart.backend_coord(&(m.t, d))))
        })
        .collect();
    if sc.thinned {
        draw_marks(root, &placed, mark_r, halo)?;
    }
    for l in &sc.lines {
        let pts: Vec<(f64, f64)> = l.pts.iter().map(|&(t, v)| (t, ya.to_display(v))).collect();
        let style = l
            .color
            .stroke_width(fr.px(f64::from(l.width)).max(1) as u32);
        for run in clip_polyline(&pts, ya.lo, ya.hi) {
            if l.dashed {
                let (dash, gap) = fr.dash();
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        run, dash, gap, style,
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
pub(crate) fn draw_marker<DB: DrawingBackend>(
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
