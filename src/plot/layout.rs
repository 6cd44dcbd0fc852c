//! Layout of the text around a chart: the scale of a frame, word wrapping, the header (title,
//! subtitle, cautions), the caption (source and what is cut off) and the legend panel.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::range::YPlan;
use super::render::draw_marker;
use super::scene::{Glyph, LegendItem, Scene, CAUTION, GREY, INK, REFERENCE};
use super::FONT_FAMILY;

/// A drawing error as text (the caller names the file).
pub(crate) fn de<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// The pixel size of a chart and its scale against the 1200 × 720 design size.
pub(crate) struct Frame {
    pub(crate) w: i32,
    pub(crate) h: i32,
    /// Scale factor of every length and font size.
    pub(crate) s: f64,
    pub(crate) margin: i32,
    /// Width of the text that spans the chart.
    pub(crate) full_w: u32,
}

impl Frame {
    /// The frame of a drawing area.
    pub(crate) fn of<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>) -> Self {
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let s = (f64::from(w) / 1200.0)
            .min(f64::from(h) / 720.0)
            .clamp(0.5, 3.0);
        let mut fr = Self {
            w,
            h,
            s,
            margin: 0,
            full_w: 0,
        };
        fr.margin = fr.px(18.0);
        fr.full_w = (w - 2 * fr.margin).max(10) as u32;
        fr
    }

    /// A design length in pixels.
    pub(crate) fn px(&self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }

    /// The dash and gap lengths of a dashed curve, the same in the plot and in its legend.
    pub(crate) fn dash(&self) -> (i32, i32) {
        (self.px(11.0).max(3), self.px(7.0).max(2))
    }

    /// The chart font at a design size, in a colour.
    pub(crate) fn font(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        (FONT_FAMILY, size * self.s).into_font().color(&color)
    }
}

/// Greedy word wrap to `max_w` pixels.
pub(crate) fn wrap<DB: DrawingBackend>(
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

/// The width of a text in pixels.
pub(crate) fn text_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> std::result::Result<u32, String> {
    Ok(root.estimate_text_size(text, style).map_err(de)?.0)
}

/// Draws the title, the subtitle and the cautions; returns the top of the plot area.
pub(crate) fn draw_header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fr: &Frame,
    sc: &Scene,
) -> std::result::Result<i32, String> {
    let title_style = fr.font(27.0, INK);
    let sub_style = fr.font(16.0, GREY);
    let caution_style = fr.font(16.0, CAUTION);
    let mut y = fr.margin;
    for line in wrap(root, &sc.title, &title_style, fr.full_w)? {
        root.draw_text(&line, &title_style, (fr.margin, y))
            .map_err(de)?;
        y += fr.px(27.0 * 1.3);
    }
    y += fr.px(2.0);
    for (style, texts) in [(&sub_style, &sc.subtitle), (&caution_style, &sc.cautions)] {
        for t in texts.iter() {
            for line in wrap(root, t, style, fr.full_w)? {
                root.draw_text(&line, style, (fr.margin, y)).map_err(de)?;
                y += fr.px(16.0 * 1.35);
            }
        }
    }
    Ok(y + fr.px(6.0))
}

/// Draws the caption (the scene's, then the plan's notes on what is cut off) at the bottom;
/// returns the bottom of the plot area.
pub(crate) fn draw_caption<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fr: &Frame,
    sc: &Scene,
    plan: &YPlan,
) -> std::result::Result<i32, String> {
    let cap_style = fr.font(13.5, GREY);
    let mut cap_lines = Vec::new();
    for c in sc.caption.iter().chain(plan.notes.iter()) {
        cap_lines.extend(wrap(root, c, &cap_style, fr.full_w)?);
    }
    let cap_line_h = fr.px(13.5 * 1.4);
    let cap_h = cap_lines.len() as i32 * cap_line_h;
    let plot_bottom = fr.h - fr.margin - cap_h - if cap_lines.is_empty() { 0 } else { fr.px(8.0) };
    for (i, line) in cap_lines.iter().enumerate() {
        root.draw_text(
            line,
            &cap_style,
            (fr.margin, plot_bottom + fr.px(8.0) + i as i32 * cap_line_h),
        )
        .map_err(de)?;
    }
    Ok(plot_bottom)
}

/// The legend panel on the right, outside the plotting area, so it never covers data: its
/// items (the scene's, and the reference lines that are drawn), wrapped.
pub(crate) struct Legend {
    items: Vec<LegendItem>,
    lines: Vec<Vec<String>>,
    glyph_w: i32,
    pad: i32,
    /// Width of the panel; 0 when there is no legend.
    pub(crate) width: i32,
}

impl Legend {
    /// Lays the legend out for the scene and the y plan.
    pub(crate) fn layout<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        fr: &Frame,
        sc: &Scene,
        plan: &YPlan,
    ) -> std::result::Result<Self, String> {
        let leg_style = fr.font(15.0, INK);
        let glyph_w = fr.px(38.0);
        let pad = fr.px(10.0);
        let max_text_w = (f64::from(fr.w) * 0.27) as u32;
        let mut items = sc.legend.clone();
        for (v, label) in &sc.references {
            if *v >= plan.lo && *v <= plan.hi && (!plan.log || *v > 0.0) {
                items.push(LegendItem {
                    glyph: Glyph::Line(REFERENCE, 2, false),
                    text: label.clone(),
                });
            }
        }
        let mut natural = 0u32;
        for it in &items {
            natural = natural.max(text_width(root, &it.text, &leg_style)?);
        }
        let text_w = natural.min(max_text_w);
        let width = if items.is_empty() {
            0
        } else {
            text_w as i32 + glyph_w + 3 * pad
        };
        let mut lines = Vec::new();
        for it in &items {
            lines.push(wrap(root, &it.text, &leg_style, text_w.max(10))?);
        }
        Ok(Self {
            items,
            lines,
            glyph_w,
            pad,
            width,
        })
    }

    /// Draws the panel with its top at `y_top`; marker glyphs have radius `r`.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        fr: &Frame,
        y_top: i32,
        r: f64,
    ) -> std::result::Result<(), String> {
        if self.width <= 0 {
            return Ok(());
        }
        let (pad, glyph_w) = (self.pad, self.glyph_w);
        let leg_style = fr.font(15.0, INK);
        let x0 = fr.w - fr.margin - self.width;
        let line_h = fr.px(15.0 * 1.35);
        let total: i32 = self
            .lines
            .iter()
            .map(|l| l.len().max(1) as i32 * line_h + fr.px(6.0))
            .sum::<i32>()
            + 2 * pad
            - fr.px(6.0);
        root.draw(&Rectangle::new(
            [(x0, y_top), (x0 + self.width, y_top + total)],
            RGBColor(200, 200, 200).stroke_width(1),
        ))
        .map_err(de)?;
        let mut yy = y_top + pad;
        for (it, lines) in self.items.iter().zip(&self.lines) {
            let cy = yy + line_h / 2;
            let gx = x0 + pad;
            draw_glyph(root, fr, &it.glyph, (gx, cy), glyph_w, r)?;
            for (i, line) in lines.iter().enumerate() {
                root.draw_text(
                    line,
                    &leg_style.pos(Pos::new(HPos::Left, VPos::Center)),
                    (gx + glyph_w + pad, cy + i as i32 * line_h),
                )
                .map_err(de)?;
            }
            yy += lines.len().max(1) as i32 * line_h + fr.px(6.0);
        }
        Ok(())
    }
}

/// Draws a legend glyph `glyph_w` wide, starting at `gx` and centred on `cy`.
fn draw_glyph<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fr: &Frame,
    glyph: &Glyph,
    (gx, cy): (i32, i32),
    glyph_w: i32,
    r: f64,
) -> std::result::Result<(), String> {
    match glyph {
        Glyph::Band(c, a) => {
            root.draw(&Rectangle::new(
                [(gx, cy - fr.px(8.0)), (gx + glyph_w, cy + fr.px(8.0))],
                c.mix(*a).filled(),
            ))
            .map_err(de)?;
        }
        Glyph::Line(c, lw, dashed) => {
            let st = c.stroke_width(fr.px(f64::from(*lw)).max(1) as u32);
            if *dashed {
                let (dash, gap) = fr.dash();
                root.draw(&DashedPathElement::new(
                    vec![(gx, cy), (gx + glyph_w, cy)],
                    dash,
                    gap,
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
    Ok(())
}
