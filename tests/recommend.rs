//! The recommended projection (issue 15, first step): one band across the plausible models,
//! never averaged, saying which models make its edges, and narrowed by a known ceiling.

use growthcast::compare::{self, CandidateId};
use growthcast::known::{self, KnownCeiling};
use growthcast::recommend::RecommendOptions;
use growthcast::{io, IntervalMethod, Role, Series};

fn users() -> Series {
    io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_users.csv")).unwrap()
}

#[test]
fn the_band_is_the_hull_of_the_plausible_members_and_names_its_edges() {
    let s = users();
    let c = compare::compare_standard(&s);
    let times = [2027.0, 2031.0];
    let r = c.recommended(&times, &RecommendOptions::default()).unwrap();
    assert_eq!(r.projection.method, IntervalMethod::Envelope);
    // Four points: every member that fitted with a degree of freedom is plausible.
    let labels = r.member_labels();
    assert!(labels.contains(&"exponential") && labels.contains(&"logistic"));
    for (i, q) in r.projection.points.iter().enumerate() {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for m in &r.members {
            let p = c.fit(m.id).unwrap().project(&times).points[i];
            // The member's projection is the one its fit gives, its prediction band widened
            // for the drift of growth rates (tests/drift.rs).
            let q_m = m.projection.points[i];
            assert_eq!(
                (q_m.value, q_m.conf_lower, q_m.conf_upper),
                (p.value, p.conf_lower, p.conf_upper)
            );
            assert!(q_m.pred_lower < p.pred_lower && p.pred_upper < q_m.pred_upper);
            // Each member's band lies inside the recommended one.
            assert!(q.conf_lower <= p.conf_lower && p.conf_upper <= q.conf_upper);
            lo = lo.min(p.conf_lower);
            hi = hi.max(p.conf_upper);
        }
        // And it is no wider than their union: its edges are members' edges.
        assert_eq!((q.conf_lower, q.conf_upper), (lo, hi));
        let edge = |id: CandidateId| c.fit(id).unwrap().project(&times).points[i];
        assert_eq!(edge(r.low_edge[i]).conf_lower, lo);
        assert_eq!(edge(r.high_edge[i]).conf_upper, hi);
    }
    assert!(r.statement.contains("the low edge is"), "{}", r.statement);
    // The point path is one member's curve, not a blend.
    let point = c.fit(r.point).unwrap().project(&times);
    assert_eq!(point.points[1].value, r.projection.points[1].value);
}

#[test]
fn a_known_ceiling_leaves_out_the_models_that_pass_it_and_narrows_the_band() {
    let s = users();
    let k = 1.41e9;
    let fact = KnownCeiling::at_most(k, "population").unwrap();
    let c = known::compare_knowing(&s, &fact);
    // The standard four, the two S-curves bounded by the population and the logistic that
    // saturates at it.
    assert_eq!(c.candidates.len(), 7);
    assert!(c
        .candidates
        .iter()
        .any(|c| c.label == "logistic, K ≤ population"));
    let times = [2031.0];
    let free = compare::compare_standard(&s)
        .recommended(&times, &RecommendOptions::default())
        .unwrap();
    let r = c
        .recommended(&times, &RecommendOptions::knowing(fact))
        .unwrap();
    assert!(
        r.left_out
            .iter()
            .any(|l| l.label == "exponential" && l.reason.contains("known ceiling")),
        "{:?}",
        r.left_out
    );
    // Every member agrees with the fact: its ceiling is at most k, or it has none and stays below.
    for m in &r.members {
        let f = c.fit(m.id).unwrap();
        match f.params().iter().find(|p| p.role == Role::Ceiling) {
            Some(p) => assert!(
                p.estimate <= k * (1.0 + 1e-9),
                "{}: {}",
                m.label,
                p.estimate
            ),
            None => assert!(m.projection.points.iter().all(|q| q.value <= k)),
        }
    }
    let (a, b) = (&free.projection.points[0], &r.projection.points[0]);
    assert!(b.conf_upper <= k, "{b:?}");
    assert!(b.conf_upper / b.conf_lower < a.conf_upper / a.conf_lower);
}

#[test]
fn a_fixed_ceiling_keeps_only_the_curves_that_saturate_there() {
    let s = users();
    let k = 1.41e9;
    let fact = KnownCeiling::fixed(k, "population").unwrap();
    let c = known::compare_knowing(&s, &fact);
    let r = c
        .recommended(&[2031.0], &RecommendOptions::knowing(fact))
        .unwrap();
    let mut labels = r.member_labels();
    labels.sort_unstable();
    assert_eq!(
        labels,
        ["gompertz, K = population", "logistic, K = population"]
    );
    let why = |label: &str| {
        r.left_out
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.reason.clone())
            .unwrap()
    };
    assert!(
        why("logistic").contains("replaces it"),
        "{}",
        why("logistic")
    );
    assert!(
        why("exponential").contains("no ceiling"),
        "{}",
        why("exponential")
    );
    for q in &r.projection.points {
        assert!(q.conf_upper <= k && q.conf_lower <= q.value && q.value <= q.conf_upper);
    }
}

#[test]
fn a_ceiling_that_is_not_a_positive_number_is_an_error_that_names_it() {
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = KnownCeiling::at_most(bad, "population").unwrap_err();
        assert!(e.to_string().contains("population"), "{e}");
    }
}

#[test]
fn on_longer_series_the_models_the_data_reject_are_left_out() {
    // Ten points of clean exponential growth: the linear model is rejected by AIC.
    let t: Vec<f64> = (0..10).map(|i| 2015.0 + i as f64).collect();
    let wiggle = [1.01, 0.99, 1.02, 0.98, 1.0, 1.01, 0.99, 1.02, 0.98, 1.0];
    let y: Vec<f64> = t
        .iter()
        .zip(wiggle)
        .map(|(t, w)| w * 100.0 * (0.4 * (t - 2015.0)).exp())
        .collect();
    let s = Series::from_slices("exp10", &t, &y).unwrap();
    let c = compare::compare_standard(&s);
    let r = c
        .recommended(&[2026.0], &RecommendOptions::default())
        .unwrap();
    let linear = r.left_out.iter().find(|l| l.label == "linear").unwrap();
    assert!(linear.reason.contains("AIC"), "{linear:?}");
    assert!(r.member_labels().contains(&"exponential"));
}

#[test]
fn the_narrowing_by_a_known_ceiling_is_measured_on_the_log_scale() {
    let s = users();
    let fact = KnownCeiling::at_most(1.41e9, "population").unwrap();
    let times = [2028.0, 2031.0];
    let free = compare::compare_standard(&s)
        .recommended(&times, &RecommendOptions::default())
        .unwrap();
    let with = known::compare_knowing(&s, &fact)
        .recommended(&times, &RecommendOptions::knowing(fact))
        .unwrap();
    // Nothing is known in `free`: no narrowing to speak of.
    assert!(known::Narrowing::between(&with, &free).is_none());
    let n = known::Narrowing::between(&free, &with).unwrap();
    let (a, b) = (free.projection.points[1], with.projection.points[1]);
    assert_eq!(
        (n.t, n.without, n.with),
        (
            2031.0,
            (a.conf_lower, a.conf_upper),
            (b.conf_lower, b.conf_upper)
        )
    );
    let expected = (b.conf_upper / b.conf_lower).ln() / (a.conf_upper / a.conf_lower).ln();
    assert!((n.width_ratio() - expected).abs() < 1e-12 && n.width_ratio() < 1.0);
    let text = n.to_string();
    assert!(
        text.starts_with("knowing ceiling ≤ population = 1.4100e9 narrows the band at 2031-01-01"),
        "{text}"
    );
}

#[test]
fn with_a_fixed_ceiling_the_data_choose_the_shape_even_on_four_points() {
    // Four points on a logistic with K = 100 (r = 0.8, inflection in 2026), ±1% noise: with the
    // ceiling known, a Gompertz through K = 100 fits far worse and is left out.
    let wiggle = [1.01, 0.99, 1.01, 0.99];
    let pts: Vec<(f64, f64)> = (0..4)
        .map(|i| {
            let t = 2020.0 + 2.0 * i as f64;
            (t, 100.0 / (1.0 + (-0.8 * (t - 2026.0)).exp()) * wiggle[i])
        })
        .collect();
    let s = Series::from_years("share", &pts).unwrap();
    let fact = KnownCeiling::fixed(100.0, "100%").unwrap();
    let opts = RecommendOptions::knowing(fact.clone());
    assert_eq!(opts.all_up_to, 0);
    let c = known::compare_knowing(&s, &fact);
    let r = c.recommended(&[2028.0, 2030.0], &opts).unwrap();
    assert_eq!(r.member_labels(), ["logistic, K = 100%"]);
    let g = r
        .left_out
        .iter()
        .find(|l| l.label == "gompertz, K = 100%")
        .unwrap();
    assert!(g.reason.contains("the data reject it"), "{}", g.reason);
    // Knowing only that the ceiling is at most 100%, four points are too few to choose.
    assert_eq!(
        RecommendOptions::knowing(KnownCeiling::at_most(100.0, "100%").unwrap()).all_up_to,
        5
    );
}

#[test]
fn a_fact_says_its_value_once() {
    let d = |v: f64, name: &str| KnownCeiling::at_most(v, name).unwrap().describe();
    assert_eq!(d(1.41e9, "population"), "ceiling ≤ population = 1.4100e9");
    assert_eq!(
        d(1.41e9, "population 1.41e9"),
        "ceiling ≤ population 1.41e9"
    );
    assert_eq!(d(100.0, "100%"), "ceiling ≤ 100%");
    assert_eq!(
        KnownCeiling::fixed(2.0e9, "planet 5e9").unwrap().describe(),
        "ceiling = planet 5e9 = 2.0000e9"
    );
}
