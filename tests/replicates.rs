//! Replicates (issue 16, item 2): several observations at one time go through every part of
//! the crate that reads a series' times, with no NaN or infinity reaching the user, and
//! whatever needs distinct times counts distinct times or says so with a typed error.
//!
//! Data: R's `DNase` run 1 (16 points at 8 log concentrations, two at each, times −3.02 to
//! 2.53; from `tests/reference/r_growth_data.json`), and a calendar series of yearly
//! measurements taken two or three times each.

use approx::assert_relative_eq;
use growthcast::compare::compare_standard;
use growthcast::drift::OwnDrift;
use growthcast::hindcast::{backtest, rolling, Forecaster};
use growthcast::recommend::RecommendOptions;
use growthcast::{
    export, growth, io, Error, ErrorModel, Exponential, Fitter, Gompertz, Linear, Logistic, Series,
};
use json_reference::floats;

mod json_reference;

/// DNase run 1: density by log concentration, every concentration twice.
fn dnase1() -> Series {
    let r = json_reference::load("r_growth_data.json");
    let case = &r["cases"]["dnase_run1_logistic"];
    Series::from_slices("dnase1", &floats(&case["t"]), &floats(&case["y"])).unwrap()
}

/// Yearly from 2010 to 2019, growing about 30% a year, each year measured two or three times
/// (the replicates scatter by a few percent about the year's value).
fn yearly() -> Series {
    let scatter = [0.97, 1.03, 1.01];
    let mut pts = Vec::new();
    for i in 0..10 {
        let v = 100.0 * 1.3f64.powi(i) * if i % 4 == 1 { 1.04 } else { 0.99 };
        for s in scatter.iter().take(2 + (i as usize % 2)) {
            pts.push((2010.5 + i as f64, v * s));
        }
    }
    Series::from_years("yearly", &pts).unwrap()
}

fn finite(what: &str, v: f64) {
    assert!(v.is_finite(), "{what} is {v}");
}

#[test]
fn negative_and_repeated_times_fit_project_and_test_lack_of_fit() {
    let s = dnase1();
    assert_eq!((s.len(), s.n_times()), (16, 8));
    assert!(s.span().0 < -3.0);
    let fit = Fitter::new(Logistic)
        .error_model(ErrorModel::Additive)
        .fit(&s)
        .unwrap();
    assert_eq!(fit.dof(), 13);
    let l = fit.lack_of_fit().expect("replicates: a lack-of-fit test");
    assert_eq!(
        (l.distinct_times, l.lack_of_fit_dof, l.pure_error_dof),
        (8, 5, 8)
    );
    // Every parameter, interval and projected value is a number: before the data (negative
    // times), at a replicated time, between, and beyond.
    for p in fit.params() {
        for v in [p.estimate, p.std_error, p.lower, p.upper] {
            finite(&p.name, v);
        }
    }
    let times = [-5.0, -3.019448902571312, 0.0, 1.0, 4.0];
    let proj = fit.project(&times);
    for q in &proj.points {
        for v in [
            q.value,
            q.conf_lower,
            q.conf_upper,
            q.pred_lower,
            q.pred_upper,
        ] {
            finite(&format!("projection at {}", q.t), v);
        }
        assert!(q.pred_lower <= q.value && q.value <= q.pred_upper, "{q:?}");
    }
    // The other models too, with zero among the times.
    let t: Vec<f64> = (-2..=2).flat_map(|i| [i as f64, i as f64]).collect();
    let y: Vec<f64> = t
        .iter()
        .enumerate()
        .map(|(i, &x)| 50.0 * (0.4 * x).exp() * if i % 2 == 0 { 1.02 } else { 0.98 })
        .collect();
    let s0 = Series::from_slices("zero", &t, &y).unwrap();
    let gompertz = Fitter::new(Gompertz)
        .error_model(ErrorModel::Additive)
        .fit(&s)
        .unwrap();
    assert!(gompertz.lack_of_fit().is_some());
    for fit in [
        Fitter::new(Exponential::new()).fit(&s0),
        Fitter::new(Linear::new()).fit(&s0),
    ] {
        let fit = fit.unwrap();
        assert!(fit.lack_of_fit().is_some(), "{}", fit.model());
        assert!(fit.estimates().iter().all(|v| v.is_finite()), "{fit}");
    }
    let rate = Fitter::new(Exponential::new()).fit(&s0).unwrap();
    assert_relative_eq!(rate.param("r").unwrap().estimate, 0.4, max_relative = 0.02);
}

#[test]
fn too_few_distinct_times_is_a_typed_error_never_a_nan() {
    // Six observations, two times: a logistic's three parameters cannot be found.
    let s = Series::from_years(
        "two_times",
        &[
            (2020.0, 1.0),
            (2020.0, 1.1),
            (2020.0, 0.9),
            (2021.0, 2.0),
            (2021.0, 2.2),
            (2021.0, 1.9),
        ],
    )
    .unwrap();
    let e = Fitter::new(Logistic).fit(&s).unwrap_err();
    assert!(
        matches!(
            e,
            Error::TooFewTimes {
                times: 2,
                needed: 3,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("2 distinct time(s)"), "{e}");
    // Two parameters on two times: fine, with a lack-of-fit test of 0 DF impossible (m = p).
    let fit = Fitter::new(Exponential::new()).fit(&s).unwrap();
    assert!(fit.lack_of_fit().is_none());
    assert_eq!(fit.dof(), 4);
    // All at one time: no rate of any kind.
    let one = Series::from_years("one_time", &[(2020.0, 1.0), (2020.0, 1.2)]).unwrap();
    assert!(matches!(
        Fitter::new(Exponential::new()).fit(&one),
        Err(Error::TooFewTimes { times: 1, .. })
    ));
    assert!(matches!(
        growth::log_linear_rate(&one, 0.95),
        Err(Error::TooFewTimes { times: 1, .. })
    ));
    assert!(OwnDrift::of(&one).is_none());
    assert!(rolling(&Forecaster::Naive, &one, 2, 1).is_err());
    assert!(backtest(&Fitter::new(Exponential::new()), &one, 1).is_err());
}

#[test]
fn backtests_hold_out_times_with_all_their_replicates() {
    let s = yearly();
    assert_eq!((s.len(), s.n_times()), (25, 10));
    let spec = Fitter::new(Exponential::new());
    let b = backtest(&spec, &s, 2).unwrap();
    // The last two years: 2018 (two) and 2019 (three replicates).
    assert_eq!((b.k, b.fitted_points, b.held_out.len()), (2, 20, 5));
    for h in &b.held_out {
        assert!(h.horizon >= 1.0, "{h:?}");
        finite("log error", h.log_error);
    }
    finite("mean |log error|", b.mean_abs_log_error);
    assert!(
        b.to_string()
            .contains("fitted 20 point(s), held out the last 2 times (5 points)"),
        "{b}"
    );
    let e = backtest(&spec, &s, 10).unwrap_err().to_string();
    assert!(
        e.contains("hold out between 1 and 9 of the 10 distinct times"),
        "{e}"
    );
    // Rolling origins: 3 to 9 years seen; a step is a year, every replicate of it forecast.
    for forecaster in [Forecaster::Naive, Forecaster::Fit(&spec)] {
        let r = rolling(&forecaster, &s, 3, 2).unwrap();
        assert!(r.failed.is_empty(), "{:?}", r.failed);
        let one_step: Vec<_> = r.forecasts.iter().filter(|f| f.step == 1).collect();
        // Origins 3..=9 years: the next year each time, 2 or 3 replicates.
        let want: usize = (3..10).map(|i| 2 + i % 2).sum();
        assert_eq!(one_step.len(), want);
        for f in &r.forecasts {
            let year = 2010.5 + (f.origin_points + f.step - 1) as f64;
            assert_eq!(f.t, year, "{f:?}");
            finite("forecast", f.forecast);
            finite("log error", f.log_error);
        }
    }
    let e = rolling(&Forecaster::Naive, &s, 10, 1)
        .unwrap_err()
        .to_string();
    assert!(e.contains("has 10 distinct times"), "{e}");
}

#[test]
fn growth_rates_use_distinct_times() {
    let s = yearly();
    let own = OwnDrift::of(&s).unwrap();
    // One change per inner year: 10 years, 8 changes (not one per replicate).
    assert_eq!(own.changes, 8);
    finite("drift", own.rate_var);
    let rate = growth::log_linear_rate(&s, 0.95).unwrap();
    assert_relative_eq!(rate.rate.value, 1.3f64.ln(), max_relative = 0.05);
    assert_eq!(rate.n, 25);
    // The recommendation (with the drift and the naive member) over the standard models.
    let c = compare_standard(&s);
    let grid: Vec<f64> = (0..30).map(|i| 2010.5 + 0.5 * i as f64).collect();
    let r = c.recommended(&grid, &RecommendOptions::default()).unwrap();
    for q in &r.projection.points {
        for v in [q.value, q.pred_lower, q.pred_upper] {
            finite(&format!("recommended at {}", q.t), v);
        }
    }
    let naive = r.naive.as_ref().expect("a naive member");
    assert!(naive.points.iter().all(|q| q.value.is_finite()));
    let d = r.drift.as_ref().expect("a drift");
    finite("drift rate SD", d.rate_sd);
}

#[test]
fn the_projections_csv_keeps_every_replicate_and_reads_back() {
    let s = yearly();
    let fit = Fitter::new(Exponential::new()).fit(&s).unwrap();
    let grid = export::csv_grid(&fit, 2022.0);
    let rows = export::projection_rows("exponential", &fit, &fit.project(&grid));
    // Each observation on exactly one row, the replicates on rows of their own date.
    let observed: Vec<f64> = rows.iter().filter_map(|r| r.y).collect();
    assert_eq!(observed, s.values());
    assert!(rows.iter().all(|r| r.yhat.is_some_and(f64::is_finite)));
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-replicates");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("yearly.csv");
    export::write_projections(&path, &rows).unwrap();
    let back = io::read_groups_with(&path, &io::ReadOptions::new()).unwrap();
    assert_eq!(back.series[0].values(), s.values());
    // The CSV writes calendar days: the times come back to the day.
    assert_eq!(back.series[0].n_times(), s.n_times());
    for (a, b) in back.series[0].times().iter().zip(s.times()) {
        assert!((a - b).abs() < 1.0 / 365.0, "{a} vs {b}");
    }
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
}

#[cfg(feature = "plot")]
#[test]
fn charts_and_the_report_draw_replicates() {
    use growthcast::plot::{plot_fit, ChartSpec};
    use growthcast::report::{self, ReportOptions};
    let base = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-replicates");
    let data = base.join("data");
    let out = base.join("out");
    let _ = std::fs::remove_dir_all(&data);
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&data).unwrap();
    let s = yearly();
    let fit = Fitter::new(Exponential::new()).fit(&s).unwrap();
    let chart = base.join("yearly.svg");
    plot_fit(&s, &fit, &ChartSpec::new().horizon(2024.0), &chart).unwrap();
    assert!(std::fs::metadata(&chart).unwrap().len() > 1000);
    let mut csv = String::from("date,value\n");
    for o in s.observations() {
        csv.push_str(&format!("{},{}\n", o.date, o.value));
    }
    std::fs::write(data.join("yearly.csv"), csv).unwrap();
    let r = report::run(&ReportOptions::new(&data, &out), |_, _, _| {}).unwrap();
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let rolling = std::fs::read_to_string(out.join("rolling_backtests.csv")).unwrap();
    assert!(rolling.lines().count() > 1, "{rolling}");
    for bad in ["NaN", "inf"] {
        assert!(!r.text.contains(bad), "`{bad}` in the report:\n{}", r.text);
    }
    assert!(r.text.contains("lack of fit"), "{}", r.text);
    let json = std::fs::read_to_string(out.join("fits.json")).unwrap();
    assert!(json.contains("\"lack_of_fit\": {"), "{json}");
}

#[test]
fn the_batch_path_fits_replicates_as_the_fitter_does() {
    // The 11 DNase runs, each with its replicates, through BatchFitter and through Fitter.
    let r = json_reference::load("r_growth_data.json");
    let runs: Vec<(Vec<f64>, Vec<f64>)> = (1..=11)
        .map(|i| {
            let case = &r["cases"][format!("dnase_run{i}_logistic")];
            (floats(&case["t"]), floats(&case["y"]))
        })
        .collect();
    let batch = growthcast::batch::BatchFitter::new(Logistic)
        .error_model(ErrorModel::Additive)
        .fit_series(&runs)
        .unwrap();
    assert_eq!(batch.n_ok(), 11, "{:?}", batch.errors());
    for (i, (t, y)) in runs.iter().enumerate() {
        let s = Series::from_slices("run", t, y).unwrap();
        let fit = Fitter::new(Logistic)
            .error_model(ErrorModel::Additive)
            .fit(&s)
            .unwrap();
        for (a, b) in batch.params_of(i).iter().zip(fit.estimates()) {
            assert_relative_eq!(*a, b, max_relative = 1e-9);
        }
    }
}
