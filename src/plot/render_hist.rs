//! Drawing a distribution ([`HistScene`]): the header and the caption as on every chart, then one
//! panel per group, stacked, each with its title, its bars, its median (dashed) and its axes.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::axes::ValueAxis;
use super::layout::{de, draw_caption, draw_header, text_width, Frame};
use super::range::YPlan;
use super::render::Drawable;
use super::scene::histogram::{HistScene, Panel};
use super::scene::{Scene, INK};
use super::ChartSpec;

impl Drawable for HistScene {
    fn render<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        _spec: &ChartSpec,
    ) -> std::result::Result<(), String> {
        root.fill(&WHITE).map_err(de)?;
        let fr = Frame::of(root);
        let head = Scene {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            caption: self.caption.clone(),
            ..Scene::default()
        };
        let top = draw_header(root, &fr, &head)?;
        let no_notes = YPlan {
            log: false,
            lo: 0.0,
            hi: 1.0,
            notes: Vec::new(),
        };
        let bottom = draw_caption(root, &fr, &head, &no_notes)?;
        let k = self.panels.len().max(1) as i32;
        let gap = fr.px(14.0);
        let h = ((bottom - top - gap * (k - 1)) / k).max(60);
        for (i, p) in self.panels.iter().enumerate() {
            let y = top + i as i32 * (h + gap);
            let area = root
                .clone()
                .shrink((fr.margin, y), (fr.w - 2 * fr.margin, h));
            draw_panel(&area, &fr, p)?;
        }
        Ok(())
    }
}

/// The count axis of a panel: from 0 past the largest count, integer ticks only.
fn count_axis(top: usize, max_ticks: usize) -> ValueAxis {
    let hi = (top.max(1) as f64 * 1.08).max(top as f64 + 0.5);
    let mut ya = ValueAxis::linear(0.0, hi, max_ticks);
    let whole = |v: &f64| (v - v.round()).abs() < 1e-9;
    ya.major.retain(whole);
    ya.minor.retain(whole);
    ya.decimals = 0;
    ya
}

/// Draws one panel on its area: its title in its colour, then the bars, the median and the
/// axes.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fr: &Frame,
    p: &Panel,
) -> std::result::Result<(), String> {
    let title_style = fr.font(17.0, p.color);
    area.draw_text(&p.title, &title_style, (fr.px(4.0), 0))
        .map_err(de)?;
    let title_h = fr.px(17.0 * 1.45);
    let (w, h) = area.dim_in_pixel();
    let tick_style = fr.font(14.0, RGBColor(60, 60, 60));
    let x_label_area = fr.px(14.0 * 1.3 + 6.0 + 15.0 * 1.3 + 2.0);
    let inner_h = (h as i32 - title_h - x_label_area).max(20);
    let max_y_ticks = (f64::from(inner_h) / (14.0 * fr.s * 2.2)).floor().max(2.0) as usize;
    let ya = count_axis(p.counts.iter().copied().max().unwrap_or(1), max_y_ticks);
    let mut y_tick_w = 0u32;
    for &k in &ya.major {
        y_tick_w = y_tick_w.max(text_width(area, &ya.label(k), &tick_style)?);
    }
    let y_label_area = y_tick_w as i32 + fr.px(10.0 + 15.0 * 1.3 + 12.0);
    let edges = &p.bins.edges;
    let (lo, hi) = (edges[0], edges[edges.len() - 1]);
    let pad = (hi - lo) * 0.02;
    let inner_w = (w as i32 - y_label_area - fr.px(16.0)).max(20);
    let sample_w = text_width(area, "0.000", &tick_style)?.max(1);
    let max_x_ticks = (f64::from(inner_w) / (f64::from(sample_w) * 1.8)).floor() as usize;
    let xa = if p.bins.log {
        ValueAxis::logarithmic(lo - pad, hi + pad, max_x_ticks.max(2))
    } else {
        ValueAxis::linear(lo - pad, hi + pad, max_x_ticks.max(2))
    };
    let x_desc = match xa.scale_words() {
        Some(words) => format!("{}, {words}", p.x_desc),
        None => p.x_desc.clone(),
    };
    let mut chart = ChartBuilder::on(area)
        .margin_top(title_h)
        .margin_right(fr.px(16.0))
        .x_label_area_size(x_label_area)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(xa, ya.clone())
        .map_err(de)?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc("series")
        .label_style(tick_style)
        .axis_desc_style(fr.font(15.0, INK))
        .bold_line_style(RGBColor(212, 212, 212))
        .light_line_style(RGBColor(240, 240, 240))
        .axis_style(RGBColor(120, 120, 120))
        .x_labels(40)
        .y_labels(40)
        .max_light_lines(10)
        .draw()
        .map_err(de)?;
    let bars = || {
        p.counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| [(edges[i], 0.0), (edges[i + 1], c as f64)])
    };
    chart
        .draw_series(bars().map(|r| Rectangle::new(r, p.color.mix(0.8).filled())))
        .map_err(de)?;
    chart
        .draw_series(bars().map(|r| Rectangle::new(r, WHITE.stroke_width(1))))
        .map_err(de)?;
    if let Some(m) = p.median.filter(|m| (lo..=hi).contains(m)) {
        let (dash, gap) = fr.dash();
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(m, 0.0), (m, ya.hi)],
                dash,
                gap,
                INK.stroke_width(fr.px(2.0).max(1) as u32),
            )))
            .map_err(de)?;
    }
    Ok(())
}
