//! The recommended projection (issue 15, first step): one band across the plausible models,
//! never averaged, saying which models make its edges, and narrowed by a known ceiling.

use growthcast::compare::{self, CandidateId};
use growthcast::fit::FitSpec;
use growthcast::recommend::RecommendOptions;
use growthcast::{io, Fitter, IntervalMethod, Logistic, Series};

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
            // The member's projection is the one its fit gives.
            assert_eq!(m.projection.points[i], p);
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
    let mut specs = compare::standard_specs(&s);
    specs.push(Box::new(Fitter::new(Logistic).fix("K", k)) as Box<dyn FitSpec>);
    let c = compare::compare(&s, &specs);
    let times = [2031.0];
    let free = c.recommended(&times, &RecommendOptions::default()).unwrap();
    let known = RecommendOptions {
        known_ceiling: Some(k),
        ..RecommendOptions::default()
    };
    let r = c.recommended(&times, &known).unwrap();
    assert!(
        r.left_out
            .iter()
            .any(|l| l.label == "exponential" && l.reason.contains("known ceiling")),
        "{:?}",
        r.left_out
    );
    let (a, b) = (&free.projection.points[0], &r.projection.points[0]);
    assert!(b.conf_upper <= k, "{b:?}");
    assert!(b.conf_upper / b.conf_lower < a.conf_upper / a.conf_lower);
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
