//! The scene of a recommended projection: the hull band of the plausible models, the point
//! member's curve over it, and every member's own curve drawn thin and pale behind.

use plotters::style::RGBColor;

use super::{
    add_observed, add_projection, cautions_of, thin_scene_marks, BandStyle, Glyph, LegendItem,
    LineLayer, ProjectionStyle, Scene, PALETTE,
};
use crate::fit::IntervalMethod;
use crate::plot::text::{plural, short, sources_note};
use crate::plot::ChartSpec;
use crate::recommend::Recommendation;
use crate::series::Series;

/// The colour of the point path and the band.
const MAIN: RGBColor = PALETTE[0];

/// The thin line width of a member's curve.
pub(crate) const MEMBER_WIDTH: u32 = 1;

/// `c` mixed towards white by `f` (0 keeps it, 1 is white): a member's pale colour.
fn pale(c: RGBColor, f: f64) -> RGBColor {
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * f).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// The pale colour of the `i`-th member (the palette after the main colour).
pub(crate) fn member_color(i: usize) -> RGBColor {
    pale(PALETTE[1 + i % (PALETTE.len() - 1)], 0.35)
}

/// The scene of `rec` over `series`: the recommendation's confidence band (and, lighter, its
/// prediction band), its point path (solid over the data, dashed beyond), each member's own
/// curve from [`crate::recommend::Member::projection`] thin and pale behind it, the
/// observations, and a legend that names the members and the edges at the last date. Every
/// value drawn is one the recommendation holds.
pub(crate) fn recommendation_scene(
    series: &Series,
    rec: &Recommendation,
    spec: &ChartSpec,
) -> Scene {
    let p = &rec.projection;
    let pct = (p.level * 100.0).round();
    let obs = series.observations();
    let mut sc = Scene {
        title: spec
            .title
            .clone()
            .unwrap_or_else(|| format!("{}: recommended projection", series.name())),
        unit: p.unit.clone(),
        axis: p.axis.clone(),
        ..Scene::default()
    };
    add_observed(&mut sc, obs.iter().map(|o| (o.t, o.value, o.kind)));
    // Members first, so that the point path is drawn over them.
    for (i, m) in rec.members.iter().enumerate() {
        sc.lines.push(LineLayer {
            name: format!("{} (member)", m.label),
            pts: m.projection.points.iter().map(|q| (q.t, q.value)).collect(),
            color: member_color(i),
            width: MEMBER_WIDTH,
            dashed: false,
        });
    }
    let point = rec.label_of(rec.point).unwrap_or("?");
    let style = ProjectionStyle {
        color: MAIN,
        pred: BandStyle {
            name: format!("recommended {pct}% prediction band"),
            alpha: 0.10,
            legend: if rec.drift.is_some() {
                format!("{pct}% prediction band (with growth-rate drift and the naive path)")
            } else {
                format!("{pct}% prediction band (hull)")
            },
        },
        conf: BandStyle {
            name: format!("recommended {pct}% band"),
            alpha: 0.28,
            legend: format!("{pct}% band (hull of the members' bands)"),
        },
        names: (
            format!("recommended: {point} curve"),
            format!("recommended: {point} projection"),
        ),
        curve: format!("point path: {point}"),
    };
    let (finite, _) = add_projection(&mut sc, p, spec, style);
    sc.legend.extend(member_legend(rec));
    sc.subtitle = match &spec.subtitle {
        Some(s) => vec![s.clone()],
        None => recommendation_subtitle(rec),
    };
    sc.cautions = cautions_of(&p.warnings);
    if spec.bands && !finite {
        sc.cautions
            .push("No band drawn: the plausible models' bands are not finite.".into());
    }
    sc.caption = recommendation_caption(series, rec, spec);
    thin_scene_marks(&mut sc, spec);
    sc
}

/// One legend line per member, in its pale colour, saying which edge it makes at the last date.
fn member_legend(rec: &Recommendation) -> Vec<LegendItem> {
    let (low, high) = (rec.low_edge.last(), rec.high_edge.last());
    rec.members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let edges: Vec<&str> = [(low, "low edge"), (high, "high edge")]
                .into_iter()
                .filter(|(e, _)| *e == Some(&m.id))
                .map(|(_, w)| w)
                .collect();
            let edges = match edges.len() {
                0 => String::new(),
                1 => format!(" ({})", edges[0]),
                _ => " (both edges)".to_string(),
            };
            LegendItem {
                glyph: Glyph::Line(member_color(i), 2, false),
                text: format!("{}{edges}", m.label),
            }
        })
        .collect()
}

/// The band's rule and members, then the value, band and edges at the last date.
fn recommendation_subtitle(rec: &Recommendation) -> Vec<String> {
    let p = &rec.projection;
    let pct = (p.level * 100.0).round();
    let bootstrap = rec
        .members
        .iter()
        .all(|m| m.projection.method == IntervalMethod::Bootstrap);
    let kind = if bootstrap { "bootstrap " } else { "" };
    let mut out = vec![format!(
        "Band: hull of the plausible models' {pct}% {kind}bands ({}: {}) · thin lines: each model's own curve",
        plural(rec.members.len(), "model"),
        rec.member_labels().join(", ")
    )];
    if let (Some(q), Some(&l), Some(&h)) =
        (p.points.last(), rec.low_edge.last(), rec.high_edge.last())
    {
        let (low, high) = (
            rec.label_of(l).unwrap_or("?"),
            rec.label_of(h).unwrap_or("?"),
        );
        let edges = if l == h {
            format!("both edges: {low}")
        } else {
            format!("low edge: {low}, high edge: {high}")
        };
        out.push(format!(
            "At {}: {} {} ({pct}% band {} to {}) · {edges}",
            p.axis.at(q.t),
            short(q.value),
            p.unit,
            short(q.conf_lower),
            short(q.conf_upper),
        ));
        if let Some(d) = rec.members.first().and_then(|m| m.drift.as_ref()) {
            // The naive path's share of the mixture: the probability that the series' rate
            // departures persist.
            let naive = match (&rec.naive, &rec.drift) {
                (Some(_), Some(n)) => format!(
                    "; mixed with the naive path, weight {:.0}%",
                    100.0 * n.persisting
                ),
                (Some(_), None) => "; holding the naive path".to_string(),
                _ => String::new(),
            };
            out.push(format!(
                "The figure itself: {} to {} (prediction band, growth-rate drift {}{naive})",
                short(q.pred_lower),
                short(q.pred_upper),
                d.brief()
            ));
        }
    }
    out
}

/// The candidates left out and why, then the source note (or the spec's caption).
fn recommendation_caption(series: &Series, rec: &Recommendation, spec: &ChartSpec) -> Vec<String> {
    let mut out = Vec::new();
    if !rec.left_out.is_empty() {
        let left: Vec<String> = rec
            .left_out
            .iter()
            .map(|l| format!("{} ({})", l.label, l.reason))
            .collect();
        out.push(format!("Left out: {}.", left.join("; ")));
    }
    if let Some(c) = spec
        .caption
        .clone()
        .or_else(|| sources_note(series.observations()))
    {
        out.push(c);
    }
    out
}
