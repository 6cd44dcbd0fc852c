//! The scene of several models fitted to one series, drawn from a projection of each.

use super::{
    curve_lines, marks_legend, observed_marks, thin_scene_marks, BandLayer, Glyph, LegendItem,
    Scene, GREY, INK, PALETTE,
};
use crate::fit::{Fit, Warning, WarningKind};
use crate::plot::text::{capitalise, plural, sources_note};
use crate::plot::ChartSpec;
use crate::project::Projection;
use crate::series::Series;

/// One model of a comparison: its legend label, its fit and a projection of that fit.
pub(crate) type Compared<'a> = (&'a str, &'a Fit, Projection);

/// The scene of `curves` over `series`: each model's curve (solid up to the series' last
/// observation, dashed beyond) and, for identified models, its confidence band, from its
/// projection.
pub(crate) fn comparison_scene(series: &Series, curves: &[Compared], spec: &ChartSpec) -> Scene {
    let obs = series.observations();
    let last = obs.last().map_or(0.0, |o| o.t);
    let mut sc = Scene {
        title: spec
            .title
            .clone()
            .unwrap_or_else(|| format!("{}: models compared", series.name())),
        unit: series.unit().to_string(),
        axis: series.axis().clone(),
        ..Scene::default()
    };
    let (marks, kinds) = observed_marks(obs.iter().map(|o| (o.t, o.value, o.kind)), INK);
    sc.marks = marks;
    let mut model_items = Vec::new();
    let mut unidentified = Vec::new();
    let mut long_horizon: Option<Warning> = None;
    for (i, (label, fit, p)) in curves.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
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
                p,
                |q| (q.conf_lower, q.conf_upper),
                color,
                0.12,
            ));
        }
        let width = if ok { 3 } else { 2 };
        let names = ((*label).to_string(), (*label).to_string());
        sc.lines.extend(curve_lines(p, last, names, color, width));
        let aic = if fit.aic().is_finite() && fit.dof() > 0 {
            format!(", AIC {:.1}", fit.aic())
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
    let horizon = curves
        .iter()
        .filter_map(|c| c.2.points.last().map(|q| q.t))
        .find(|_| sc.lines.iter().any(|l| l.dashed));
    if horizon.is_some() {
        sc.divider = Some(last);
    }
    sc.legend = marks_legend(&kinds, INK);
    sc.legend.extend(model_items);
    if let Some(h) = horizon {
        sc.legend.push(LegendItem {
            glyph: Glyph::Line(GREY, 2, true),
            text: format!("dashed: projection to {}", series.axis().at(h)),
        });
    }
    sc.subtitle.push(match &spec.subtitle {
        Some(s) => s.clone(),
        None => comparison_subtitle(curves, obs.len()),
    });
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

/// How many models were fitted to how many points, and how to read the AIC when two or more
/// models have one.
fn comparison_subtitle(curves: &[Compared], n_points: usize) -> String {
    let with_aic = curves
        .iter()
        .filter(|(_, f, _)| f.aic().is_finite() && f.dof() > 0)
        .count();
    let aic = if with_aic >= 2 {
        " · lower AIC fits better (same data and error model)"
    } else {
        ""
    };
    format!(
        "{} fitted to the same {} · solid over the data, dashed beyond{aic}",
        plural(curves.len(), "model"),
        plural(n_points, "point")
    )
}
