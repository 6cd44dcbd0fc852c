//! Scenes built without drawing: what a chart shows, checked against the analysis results.

use super::comparison::{comparison_scene, Compared};
use super::fit::fit_scene;
use super::{Scene, PALETTE};
use crate::fit::Fit;
use crate::plot::range::{fmax, fmin, plan_y, YPlan};
use crate::plot::text::capitalise;
use crate::plot::{fit_grid, ChartSpec};
use crate::series::Series;

/// The scene `plot_fit` draws: the fit projected on its chart grid.
fn scene_of(series: &Series, fit: &Fit, spec: &ChartSpec) -> Scene {
    fit_scene(series, fit, &fit.project(&fit_grid(fit, spec)), spec)
}

/// The scene `plot_comparison` draws: every fit projected on the grid of the series.
fn compared(series: &Series, fits: &[(&str, &Fit)], spec: &ChartSpec) -> Scene {
    let times = super::chart_grid(series.observations().iter().map(|o| o.t), spec);
    let curves: Vec<Compared> = fits
        .iter()
        .map(|(l, f)| (*l, *f, f.project(&times)))
        .collect();
    comparison_scene(series, &curves, spec)
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
    let mut sc = scene_of(series, fit, spec);
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
    let sc = scene_of(&s, &fit, &spec);
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
    let cmp = compared(&s, &[("linear", &fit)], &spec);
    assert!(cmp.marks.len() <= 2 * spec.width as usize);
    // A short series is drawn point by point, with no note.
    let short_s = long_series(500);
    let fit = short_s.fit(Linear::new()).unwrap();
    let sc = scene_of(&short_s, &fit, &spec);
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
    let sc = scene_of(&s, &fit, &spec);
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

/// Every point of every line of a scene, in order.
fn line_points(sc: &Scene) -> Vec<(f64, f64)> {
    sc.lines
        .iter()
        .flat_map(|l| l.pts.iter().copied())
        .collect()
}

#[test]
fn a_fit_scene_draws_the_values_of_fit_project_at_its_times() {
    use crate::{Fitter, Logistic};
    // A fixed ceiling: the confidence band is on the logit scale, the prediction band on the
    // log scale; the chart must hold the very numbers `Fit::project` returns (as the CSV does).
    let t = [2019.0, 2020.0, 2021.0, 2022.0, 2023.0, 2024.0];
    let y = [4.8, 9.1, 17.5, 29.0, 46.5, 61.0];
    let s = Series::from_slices("share", &t, &y).unwrap();
    let fit = Fitter::new(Logistic).fix("K", 100.0).fit(&s).unwrap();
    let spec = ChartSpec::new().horizon(2030.99);
    let sc = scene_of(&s, &fit, &spec);
    let pts = line_points(&sc);
    assert!(pts.len() > 200, "{} curve points", pts.len());
    let times: Vec<f64> = pts.iter().map(|p| p.0).collect();
    let p = fit.project(&times);
    for (drawn, q) in pts.iter().zip(&p.points) {
        assert_eq!(*drawn, (q.t, q.value));
    }
    let conf: Vec<(f64, f64, f64)> = p
        .points
        .iter()
        .map(|q| (q.t, q.conf_lower, q.conf_upper))
        .collect();
    let band = sc.bands.iter().find(|b| b.name.contains("confidence"));
    let band = band.expect("a confidence band").pts.clone();
    for b in &band {
        assert!(conf.contains(b), "band point {b:?} is not projected");
    }
    // The subtitle's projected value is the projection's at the horizon.
    let end = p.points.last().unwrap();
    let said = format!(
        "Projected {}: {}",
        crate::time::format_date(end.t),
        crate::plot::text::short(end.value)
    );
    assert!(
        sc.subtitle.iter().any(|l| l.starts_with(&said)),
        "{:?}",
        sc.subtitle
    );
}

#[test]
fn a_fit_scene_from_a_given_projection_draws_that_projection() {
    use crate::Exponential;
    let s = bundled("tokens_daily");
    let fit = s.fit(Exponential::new()).unwrap();
    let last = fit.observations().last().unwrap().t;
    // A coarse yearly grid from before the data to 2029, as an export might hold it.
    let times: Vec<f64> = (0..=6)
        .map(|i| 2023.0 + f64::from(i))
        .chain([last])
        .collect();
    let mut times = times;
    times.sort_by(f64::total_cmp);
    let p = fit.project(&times);
    let sc = fit_scene(&s, &fit, &p, &ChartSpec::new().horizon(2040.0));
    let solid: Vec<&super::LineLayer> = sc.lines.iter().filter(|l| !l.dashed).collect();
    let dashed: Vec<&super::LineLayer> = sc.lines.iter().filter(|l| l.dashed).collect();
    assert_eq!((solid.len(), dashed.len()), (1, 1));
    let all: Vec<(f64, f64)> = p.points.iter().map(|q| (q.t, q.value)).collect();
    let k = all.iter().position(|q| q.0 == last).unwrap();
    assert_eq!(solid[0].pts, all[..=k]);
    assert_eq!(dashed[0].pts, all[k..]);
    assert_eq!(sc.divider, Some(last));
    // The horizon is the projection's last time, not the spec's.
    assert!(
        sc.legend
            .iter()
            .any(|l| l.text == "projection to 2029-01-01"),
        "{:?}",
        sc.legend.iter().map(|l| &l.text).collect::<Vec<_>>()
    );
}

#[test]
fn a_comparison_scene_draws_each_models_projection() {
    use crate::{Exponential, Linear};
    let s = bundled("tokens_daily");
    let exp = s.fit(Exponential::new()).unwrap();
    let lin = s.fit(Linear::new()).unwrap();
    let spec = ChartSpec::new().horizon(2028.0);
    let sc = compared(&s, &[("exponential", &exp), ("linear", &lin)], &spec);
    for (label, fit) in [("exponential", &exp), ("linear", &lin)] {
        let pts: Vec<(f64, f64)> = sc
            .lines
            .iter()
            .filter(|l| l.name == label)
            .flat_map(|l| l.pts.iter().copied())
            .collect();
        assert!(pts.len() > 200, "{label}: {} points", pts.len());
        let times: Vec<f64> = pts.iter().map(|p| p.0).collect();
        let p = fit.project(&times);
        for (drawn, q) in pts.iter().zip(&p.points) {
            assert_eq!(*drawn, (q.t, q.value), "{label}");
        }
    }
}

/// The recommendation of the standard models for `s` on its chart grid, and its scene.
fn recommended_scene(
    s: &Series,
    spec: &ChartSpec,
    opts: &crate::recommend::RecommendOptions,
) -> (crate::recommend::Recommendation, Scene) {
    let c = crate::compare::compare_standard(s);
    let rec = c
        .recommended(&crate::plot::series_grid(s, spec), opts)
        .expect("a plausible model");
    let sc = super::recommendation::recommendation_scene(s, &rec, spec);
    (rec, sc)
}

#[test]
fn the_recommended_chart_draws_the_recommendation_and_each_member_as_returned() {
    use super::recommendation::{member_color, MEMBER_WIDTH};
    use super::Glyph;
    use crate::recommend::RecommendOptions;
    for name in ["genai_users", "tokens_daily"] {
        let s = bundled(name);
        let spec = ChartSpec::new().horizon(2030.0);
        let (rec, sc) = recommended_scene(&s, &spec, &RecommendOptions::default());
        let p = &rec.projection;
        // The band edges are the recommendation's, point by point.
        let conf = sc.bands.iter().find(|b| b.alpha > 0.2).unwrap();
        let pred = sc.bands.iter().find(|b| b.alpha < 0.2).unwrap();
        assert_eq!(conf.pts.len(), p.points.len(), "{name}");
        for ((c, r), q) in conf.pts.iter().zip(&pred.pts).zip(&p.points) {
            assert_eq!(*c, (q.t, q.conf_lower, q.conf_upper), "{name}");
            assert_eq!(*r, (q.t, q.pred_lower, q.pred_upper), "{name}");
        }
        // One thin pale line per member, equal to the member's own projection.
        let faint: Vec<_> = sc
            .lines
            .iter()
            .filter(|l| l.width == MEMBER_WIDTH)
            .collect();
        assert_eq!(faint.len(), rec.members.len(), "{name}");
        assert!(rec.members.len() >= 2, "{name}: {:?}", rec.member_labels());
        for (i, (l, m)) in faint.iter().zip(&rec.members).enumerate() {
            let want: Vec<(f64, f64)> =
                m.projection.points.iter().map(|q| (q.t, q.value)).collect();
            assert_eq!(l.pts, want, "{name}: {}", m.label);
            assert_eq!(l.color, member_color(i));
        }
        // The members come first (drawn behind); the point path is the projection's values.
        let main: Vec<(f64, f64)> = sc
            .lines
            .iter()
            .skip(rec.members.len())
            .flat_map(|l| l.pts.iter().copied())
            .collect();
        let mut want: Vec<(f64, f64)> = p.points.iter().map(|q| (q.t, q.value)).collect();
        // The dashed part starts at the last point over the data, which the solid part ends at.
        let n_data = super::data_points(p, p.last_observed);
        want.insert(n_data, want[n_data - 1]);
        assert_eq!(main, want, "{name}");
        // The legend names every member, and the edges at the last date.
        let low = rec.label_of(*rec.low_edge.last().unwrap()).unwrap();
        let high = rec.label_of(*rec.high_edge.last().unwrap()).unwrap();
        let texts: Vec<&str> = sc.legend.iter().map(|i| i.text.as_str()).collect();
        for m in &rec.members {
            assert!(
                texts.iter().any(|t| t.starts_with(&m.label)),
                "{name}: {texts:?}"
            );
        }
        let has = |label: &str, edge: &str| {
            sc.legend.iter().any(|i| {
                matches!(i.glyph, Glyph::Line(_, 2, false))
                    && i.text.starts_with(label)
                    && i.text.contains(edge)
            })
        };
        let (low_says, high_says, edges) = if low == high {
            ("both edges", "both edges", format!("both edges: {low}"))
        } else {
            (
                "low edge",
                "high edge",
                format!("low edge: {low}, high edge: {high}"),
            )
        };
        assert!(has(low, low_says) && has(high, high_says), "{texts:?}");
        let sub = sc.subtitle.join(" | ");
        assert!(
            sub.contains("hull of the plausible models' 95% bootstrap bands"),
            "{sub}"
        );
        assert!(sub.contains(&edges), "{sub}");
        // The figure's own band (with the growth-rate drift) is the recommendation's.
        let q = rec.projection.points.last().unwrap();
        let d = rec.members[0].drift.as_ref().unwrap();
        assert!(
            sub.contains(&format!(
                "The figure itself: {} to {}",
                crate::plot::text::short(q.pred_lower),
                crate::plot::text::short(q.pred_upper)
            )) && sub.contains(&d.brief()),
            "{sub}"
        );
    }
}

#[test]
fn the_recommended_chart_names_what_a_known_ceiling_left_out() {
    use crate::recommend::RecommendOptions;
    let s = bundled("genai_users");
    let spec = ChartSpec::new()
        .horizon(2030.0)
        .reference(1.41e9, "known ceiling: population");
    let fact = crate::known::KnownCeiling::at_most(1.41e9, "population").unwrap();
    // The report's candidates: the standard models and the S-curves bounded by the ceiling.
    let opts = RecommendOptions::knowing(fact.clone());
    let rec = crate::known::compare_knowing(&s, &fact)
        .recommended(&crate::plot::series_grid(&s, &spec), &opts)
        .expect("the known-ceiling logistic is plausible");
    let sc = super::recommendation::recommendation_scene(&s, &rec, &spec);
    assert!(!rec.left_out.is_empty(), "{:?}", rec.member_labels());
    let caption = sc.caption.join(" ");
    for l in &rec.left_out {
        assert!(
            caption.contains(&format!("{} ({})", l.label, l.reason)),
            "{caption}"
        );
    }
    let faint = sc.lines.iter().filter(|l| l.name.ends_with("(member)"));
    assert_eq!(faint.count(), rec.members.len());
    let mut sc = sc;
    sc.references.extend(spec.references.iter().cloned());
    let plan = plan_y(&sc, &spec);
    assert_captions_match(&sc, &plan, "genai_users recommended");
}

#[test]
fn a_scene_on_a_numeric_axis_names_its_times_in_the_unit() {
    let s = Series::from_slices(
        "chick",
        &[0.0, 2.0, 4.0, 6.0, 8.0],
        &[42.0, 51.0, 59.0, 64.0, 76.0],
    )
    .unwrap()
    .with_axis(crate::axis::TimeAxis::numeric("day").unwrap());
    let fit = s.fit(crate::Exponential::new()).unwrap();
    let sc = scene_of(&s, &fit, &ChartSpec::new().horizon(14.0));
    assert_eq!(sc.axis.unit(), "day");
    let texts: Vec<&str> = sc.legend.iter().map(|l| l.text.as_str()).collect();
    assert!(texts.contains(&"projection to day 14"), "{texts:?}");
    assert!(
        sc.subtitle.iter().any(|t| t.contains("Projected day 14")),
        "{:?}",
        sc.subtitle
    );
}
