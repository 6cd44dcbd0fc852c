//! The scene of one fitted model over its series, drawn from a [`Projection`] of the fit.

use super::{
    add_observed, add_projection, cautions_of, thin_scene_marks, BandStyle, Glyph, LegendItem,
    Mark, ProjectionStyle, Scene, Shape, PALETTE,
};
use crate::fit::{ErrorModel, Fit, WarningKind};
use crate::plot::text::{capitalise, plural, short, sources_note, tidy_formula};
use crate::plot::ChartSpec;
use crate::project::Projection;
use crate::series::Series;

/// The scene of `fit` over `series`: the curve and bands are those of `p` (a projection of
/// `fit`), solid up to the fit's last observation and dashed beyond it, so the chart shows the
/// numbers the projection holds and nothing else.
pub(crate) fn fit_scene(series: &Series, fit: &Fit, p: &Projection, spec: &ChartSpec) -> Scene {
    let obs = fit.observations();
    let pct = (p.level * 100.0).round();
    let mut sc = Scene {
        title: spec
            .title
            .clone()
            .unwrap_or_else(|| format!("{}: {} fit", series.name(), fit.model())),
        unit: fit.unit().to_string(),
        axis: fit.axis().clone(),
        ..Scene::default()
    };
    add_observed(&mut sc, obs.iter().map(|o| (o.t, o.value, o.kind)));
    add_held_out(&mut sc, series, fit);
    let style = ProjectionStyle {
        color: PALETTE[0],
        pred: BandStyle {
            name: format!("{pct}% prediction band"),
            alpha: 0.13,
            legend: format!("{pct}% prediction band (a new figure)"),
        },
        conf: BandStyle {
            name: format!("{pct}% confidence band"),
            alpha: 0.30,
            legend: format!("{pct}% confidence band (the curve)"),
        },
        names: (
            format!("{} curve", fit.model()),
            format!("{} projection", fit.model()),
        ),
        curve: format!("fitted {} curve", fit.model()),
    };
    let (finite_bands, horizon) = add_projection(&mut sc, p, spec, style);
    sc.subtitle = match &spec.subtitle {
        Some(s) => vec![s.clone()],
        None => fit_subtitle(fit, p, horizon.is_some()),
    };
    sc.cautions = cautions_of(&p.warnings);
    let no_dof = fit
        .warnings()
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

/// Marks (in the second colour, named in the legend) for the observations of `series` that the
/// fit did not use, a hindcast's held-out points: looked up among the fit's sorted times,
/// O(n log n).
fn add_held_out(sc: &mut Scene, series: &Series, fit: &Fit) {
    let mut fitted_t: Vec<f64> = fit.observations().iter().map(|f| f.t).collect();
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
}

/// What was fitted, and (when the curve is projected) its value at the horizon, the last point
/// of the projection.
fn fit_subtitle(fit: &Fit, p: &Projection, projected: bool) -> Vec<String> {
    let pct = (p.level * 100.0).round();
    let bounds = fit
        .observations()
        .iter()
        .filter(|o| o.kind.is_one_sided())
        .count();
    let bounds = if bounds > 0 {
        format!(" ({bounds} of them bounds)")
    } else {
        String::new()
    };
    let errors = match fit.error_model() {
        ErrorModel::Multiplicative => "log residuals",
        ErrorModel::Additive => "additive residuals",
    };
    let mut out = vec![format!(
        "{} model {} · {}{bounds}, {} of freedom · {errors}",
        capitalise(fit.model()),
        tidy_formula(fit.formula()),
        plural(fit.n_points(), "point"),
        plural(fit.dof(), "degree")
    )];
    if let (true, Some(q)) = (projected, p.points.last()) {
        let band = if q.conf_lower.is_finite() && q.conf_upper.is_finite() {
            format!(
                " ({pct}% confidence {} to {})",
                short(q.conf_lower),
                short(q.conf_upper)
            )
        } else {
            " (no band: uncertainty unknown)".to_string()
        };
        out.push(format!(
            "Projected {}: {} {}{band}",
            fit.axis().at(q.t),
            short(q.value),
            fit.unit()
        ));
    }
    out
}
