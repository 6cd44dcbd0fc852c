//! Rolling-origin backtests (issue 18, item 4): counts, errors and coverage per step ahead,
//! against closed forms.

use growthcast::hindcast::{rolling, Forecaster};
use growthcast::recommend::RecommendOptions;
use growthcast::{Exponential, Fitter, Series};

fn series(values: &[f64]) -> Series {
    let pts: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| (2010.0 + i as f64, v))
        .collect();
    Series::from_years("s", &pts).unwrap()
}

#[test]
fn every_origin_forecasts_up_to_the_steps_asked_and_the_counts_add_up() {
    // Ten points, origins at 4..=9 points, up to 5 steps: step h has 7 − h forecasts.
    let wiggle = [1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1.0, 1.02, 0.98, 1.01];
    let y: Vec<f64> = (0..10)
        .map(|i| 50.0 * 1.25f64.powi(i) * wiggle[i as usize])
        .collect();
    let s = series(&y);
    let r = rolling(&Forecaster::Fit(&Fitter::new(Exponential::new())), &s, 4, 5).unwrap();
    let counts: Vec<usize> = r.by_step.iter().map(|h| h.forecasts).collect();
    assert_eq!(counts, [6, 5, 4, 3, 2]);
    assert_eq!(r.forecasts.len(), 20);
    assert!(r.failed.is_empty());
    for h in &r.by_step {
        let c = h.coverage.expect("a fitted model has a band");
        assert!((0.0..=1.0).contains(&c) && h.median_width > 1.0, "{h:?}");
    }
    // Each summary is what its forecasts say.
    let step2: Vec<_> = r.forecasts.iter().filter(|f| f.step == 2).collect();
    let covered = step2.iter().filter(|f| f.covered == Some(true)).count() as f64;
    assert_eq!(r.by_step[1].coverage, Some(covered / step2.len() as f64));
    for f in &r.forecasts {
        assert_eq!(f.t, 2010.0 + (f.origin_points + f.step - 1) as f64);
        assert!((f.log_error - (f.observed / f.forecast).ln()).abs() < 1e-15);
    }
}

#[test]
fn the_naive_forecast_carries_the_last_two_points_growth_forward() {
    // 100, 120, 150, 160, 200: from 3 points the naive rate is ln(150/120) a year, so one step
    // ahead it forecasts 150 · 1.25 = 187.5 and two steps ahead 234.375.
    let s = series(&[100.0, 120.0, 150.0, 160.0, 200.0]);
    let r = rolling(&Forecaster::Naive, &s, 3, 2).unwrap();
    let f = &r.forecasts[0];
    assert_eq!((f.origin_points, f.step), (3, 1));
    assert!((f.forecast - 187.5).abs() < 1e-9 && (r.forecasts[1].forecast - 234.375).abs() < 1e-9);
    assert!((f.log_error - (160.0f64 / 187.5).ln()).abs() < 1e-12);
    // No band: no coverage to claim.
    assert!(r.forecasts.iter().all(|f| f.covered.is_none()));
    assert!(r
        .by_step
        .iter()
        .all(|h| h.coverage.is_none() && h.median_width.is_nan()));
    assert!(r.to_string().contains("no band"));
}

#[test]
fn the_recommendation_can_be_backtested_and_origins_it_cannot_serve_are_listed() {
    let y: Vec<f64> = (0..7)
        .map(|i| 10.0 * 1.5f64.powi(i) * (1.0 + 0.02 * ((i % 3) as f64 - 1.0)))
        .collect();
    let s = series(&y);
    let r = rolling(
        &Forecaster::Recommended(RecommendOptions::default()),
        &s,
        2,
        2,
    )
    .unwrap();
    // Two points leave no model a degree of freedom: that origin fails, and says why.
    assert!(
        r.failed
            .iter()
            .any(|(k, why)| *k == 2 && why.contains("degree of freedom")),
        "{:?}",
        r.failed
    );
    assert!(r.by_step[0].forecasts >= 3 && r.by_step[0].coverage.is_some());
}

#[test]
fn bad_arguments_are_errors_that_name_the_series() {
    let s = series(&[1.0, 2.0, 4.0, 8.0]);
    for (min, steps) in [(1, 2), (4, 2), (2, 0)] {
        let e = rolling(&Forecaster::Naive, &s, min, steps)
            .unwrap_err()
            .to_string();
        assert!(e.contains("min_points") || e.contains("max_steps"), "{e}");
    }
    let e = rolling(&Forecaster::Naive, &s, 9, 1)
        .unwrap_err()
        .to_string();
    assert!(e.contains("`s`"), "{e}");
}
