//! The core's promises: exact recovery, one-sided observations, typed errors on bad input,
//! honest warnings, and the documents' own growth claims.

use approx::assert_relative_eq;
use growthcast::growth::{self, check_cagr, check_increase, check_multiple, Figure, Verdict};
use growthcast::{
    io, Error, ErrorModel, Exponential, Fitter, Gompertz, Kind, Linear, LmSettings, Logistic,
    Model, Observation, Series, WarningKind,
};

fn data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// Noise-free data from known parameters; the fit must give them back to 1e-8 relative,
/// from the self-start, under both error models.
fn recovers<M: Model + Clone + 'static>(model: M, truth: &[f64], times: &[f64]) {
    let mut anchored = model.clone();
    anchored.anchor(times);
    let y: Vec<f64> = times.iter().map(|&t| anchored.value(t, truth)).collect();
    let s = Series::from_slices("synthetic", times, &y).unwrap();
    for em in [ErrorModel::Additive, ErrorModel::Multiplicative] {
        let fit = Fitter::new(model.clone()).error_model(em).fit(&s).unwrap();
        for (got, want) in fit.estimates().iter().zip(truth) {
            assert_relative_eq!(*got, *want, max_relative = 1e-8);
        }
        assert!(
            fit.rss() < 1e-16 * y.iter().map(|v| v * v).sum::<f64>().max(1.0),
            "{} {em:?}: rss {}",
            model.name(),
            fit.rss()
        );
    }
}

#[test]
fn noise_free_data_give_back_the_true_parameters() {
    let years: Vec<f64> = (0..12).map(|i| 2015.0 + 0.75 * i as f64).collect();
    recovers(Exponential::new(), &[1e11, 3.4], &years);
    recovers(Logistic, &[1.41e9, 1.3, 2020.5], &years);
    recovers(Gompertz, &[500.0, 0.6, 2019.0], &years);
    recovers(Linear::new(), &[12.0, 2.5], &years);
    // Badly placed reference time and big numbers do not matter.
    recovers(Exponential::with_reference(2000.0), &[5.0, 0.2], &years);
}

#[test]
fn a_respected_lower_bound_costs_nothing() {
    // Exact exponential points plus a bound the curve already clears.
    let exact = [
        ("2020", 100.0),
        ("2021", 130.0),
        ("2022", 168.0),
        ("2023", 221.0),
    ];
    let s = Series::new("x", exact).unwrap();
    let with_bound = Series::from_observations(
        "x",
        "",
        exact
            .iter()
            .map(|&(d, v)| Observation::new(d, v).unwrap())
            .chain([Observation::new("2024", 200.0).unwrap().kind(Kind::AtLeast)])
            .collect(),
    )
    .unwrap();
    let a = s.fit(Exponential::new()).unwrap();
    let b = with_bound.fit(Exponential::new()).unwrap();
    assert!(a.value_at(2024.0) > 200.0);
    // The self-start sees the bound too, so the two fits start apart and meet within the
    // solver's convergence tolerance; from the same start they are the same to the bit.
    for (x, y) in a.estimates().iter().zip(b.estimates()) {
        assert_relative_eq!(*x, y, max_relative = 1e-9);
    }
    let from = |s: &Series| {
        growthcast::Fitter::new(Exponential::new())
            .start(&[100.0, 0.2])
            .fit(s)
            .unwrap()
            .estimates()
    };
    assert_eq!(from(&s), from(&with_bound));
    assert_eq!(b.n_binding(), 4);
    assert_eq!(b.dof(), a.dof());
    assert!(!b.observations()[4].binding);
}

#[test]
fn a_violated_lower_bound_pulls_the_curve_up() {
    let exact = [
        ("2020", 100.0),
        ("2021", 130.0),
        ("2022", 168.0),
        ("2023", 221.0),
    ];
    let free = Series::new("x", exact)
        .unwrap()
        .fit(Exponential::new())
        .unwrap();
    let bound = 400.0; // the free curve gives about 287 in 2024
    assert!(free.value_at(2024.0) < bound);
    let mut obs: Vec<Observation> = exact
        .iter()
        .map(|&(d, v)| Observation::new(d, v).unwrap())
        .collect();
    obs.push(Observation::new("2024", bound).unwrap().kind(Kind::AtLeast));
    let fit = Series::from_observations("x", "", obs)
        .unwrap()
        .fit(Exponential::new())
        .unwrap();
    let pulled = fit.value_at(2024.0);
    assert!(pulled > free.value_at(2024.0) + 10.0, "{pulled}");
    assert!(pulled < bound, "a compromise, not an exact fit: {pulled}");
    assert!(fit.observations()[4].binding);
    assert_eq!(fit.n_binding(), 5);
    // The mirror case: an upper bound below the curve pulls it down.
    let mut obs: Vec<Observation> = exact
        .iter()
        .map(|&(d, v)| Observation::new(d, v).unwrap())
        .collect();
    obs.push(Observation::new("2024", 200.0).unwrap().kind(Kind::AtMost));
    let down = Series::from_observations("x", "", obs)
        .unwrap()
        .fit(Exponential::new())
        .unwrap();
    assert!(down.value_at(2024.0) < free.value_at(2024.0) - 10.0);
}

#[test]
fn bad_input_gets_a_typed_error_that_names_the_place() {
    // empty
    let none: [(&str, f64); 0] = [];
    assert!(matches!(Series::new("e", none), Err(Error::EmptySeries { series }) if series == "e"));
    // NaN / infinite
    let e = Series::new("n", [("2024", 1.0), ("2025", f64::INFINITY)]).unwrap_err();
    assert!(matches!(e, Error::NonFinite { row: 2, .. }), "{e}");
    // repeated dates are replicates, kept in the order given
    let s = Series::new("d", [("2024-06", 1.0), ("2024-06-01", 2.0)]).unwrap();
    assert_eq!(s.values(), vec![1.0, 2.0]);
    // unsorted input is sorted (documented), not rejected
    let s = Series::new("u", [("2026", 3.0), ("2024", 1.0), ("2025", 2.0)]).unwrap();
    assert_eq!(s.values(), vec![1.0, 2.0, 3.0]);
    // fewer points than free parameters
    let two = Series::new("two", [("2024", 1.0), ("2025", 2.0)]).unwrap();
    let e = two.fit(Logistic).unwrap_err();
    assert!(
        matches!(
            e,
            Error::TooFewPoints {
                points: 2,
                params: 3,
                ..
            }
        ),
        "{e}"
    );
    // ... which fixing a parameter cures
    assert!(Fitter::new(Logistic).fix("K", 10.0).fit(&two).is_ok());
    // non-positive values under the multiplicative model; fine under the additive one
    let z = Series::new("z", [("2023", 1.0), ("2024", 0.0), ("2025", 2.0)]).unwrap();
    let e = z.fit(Linear::new()).unwrap_err();
    assert!(matches!(e, Error::NonPositive { row: 2, .. }), "{e}");
    assert!(e.to_string().contains("series `z`, row 2"));
    assert!(Fitter::new(Linear::new())
        .error_model(ErrorModel::Additive)
        .fit(&z)
        .is_ok());
    // unknown parameter names and bad bounds
    let s3 = Series::new("s3", [("2023", 1.0), ("2024", 2.0), ("2025", 3.5)]).unwrap();
    let e = Fitter::new(Logistic).fix("L", 5.0).fit(&s3).unwrap_err();
    assert!(
        e.to_string().contains("parameter `L`") && e.to_string().contains("K, r, tm"),
        "{e}"
    );
    let e = Fitter::new(Logistic)
        .bound("r", 2.0, 1.0)
        .fit(&s3)
        .unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { .. }), "{e}");
    let e = Fitter::new(Logistic)
        .fix("K", f64::NAN)
        .fit(&s3)
        .unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { .. }), "{e}");
    // malformed CSV: file, line and column
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-core");
    let _ = std::fs::remove_dir_all(&dir); // nothing left from an earlier run
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("broken.csv");
    std::fs::write(&f, "date,value\n2024,1\n2025,lots\n").unwrap();
    let e = io::read_series(&f).unwrap_err().to_string();
    assert!(
        e.contains("broken.csv: line 3, column `value`: `lots` is not a number"),
        "{e}"
    );
}

#[test]
fn a_fit_that_does_not_converge_keeps_its_best_point() {
    let s = Series::from_years(
        "slow",
        &[(0.0, 1.0), (1.0, 2.7), (2.0, 7.4), (3.0, 20.1), (4.0, 54.6)],
    )
    .unwrap();
    let settings = LmSettings {
        max_iterations: 2,
        ..LmSettings::default()
    };
    let e = Fitter::new(Logistic)
        .start(&[1e6, 0.01, 50.0])
        .settings(settings)
        .fit(&s)
        .unwrap_err();
    match e {
        Error::NotConverged {
            iterations,
            rss,
            best,
            ..
        } => {
            assert_eq!(iterations, 2);
            assert!(rss.is_finite());
            assert_eq!(best.len(), 3);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn bounds_and_fixed_values_are_respected() {
    let s = io::read_series(data("genai_users.csv")).unwrap();
    let fit = Fitter::new(Logistic)
        .fix("K", 1.41e9)
        .bound("r", 0.0, 0.5)
        .fit(&s)
        .unwrap();
    let r = fit.param("r").unwrap();
    assert!(r.estimate <= 0.5 && r.estimate >= 0.0);
    assert_eq!(fit.param("K").unwrap().estimate, 1.41e9);
    assert_eq!(fit.param("K").unwrap().std_error, 0.0);
    assert!(
        fit.warnings()
            .iter()
            .any(|w| w.kind == WarningKind::AtBound),
        "{fit}"
    );
}

#[test]
fn four_points_do_not_identify_a_ceiling_and_the_fit_says_so() {
    let users = io::read_series(data("genai_users.csv")).unwrap();
    if let Ok(fit) = users.fit(Logistic) {
        assert!(!fit.is_identified(), "{fit}");
    }
    let tokens = io::read_series(data("tokens_daily.csv")).unwrap();
    let fit = tokens.fit(Logistic).unwrap();
    assert!(!fit.is_identified(), "{fit}");
    assert!(fit
        .warnings()
        .iter()
        .any(|w| w.kind == WarningKind::CeilingBeyondData));
    // Two points, two parameters: no degrees of freedom, and bands are unknown (NaN), not zero.
    let share = io::read_series(data("digital_economy_share.csv")).unwrap();
    let fit = share.fit(Exponential::new()).unwrap();
    assert_eq!(fit.dof(), 0);
    assert!(fit
        .warnings()
        .iter()
        .any(|w| w.kind == WarningKind::NoDegreesOfFreedom));
    let p = fit.project(&[2030.0]).points[0];
    assert!(p.value.is_finite() && p.conf_lower.is_nan() && p.pred_upper.is_nan());
    assert!(fit.annual_growth_rate().unwrap().std_error.is_nan());
}

#[test]
fn a_long_logistic_series_is_identified_with_sensible_bands() {
    let truth = [1000.0, 1.1, 2015.0];
    // 2% deterministic "noise" pattern
    let t: Vec<f64> = (0..14).map(|i| 2009.0 + i as f64).collect();
    let y: Vec<f64> = t
        .iter()
        .enumerate()
        .map(|(i, &t)| Logistic.value(t, &truth) * (1.0 + 0.02 * ((i * 7 % 5) as f64 - 2.0) / 2.0))
        .collect();
    let fit = Series::from_slices("s", &t, &y)
        .unwrap()
        .fit(Logistic)
        .unwrap();
    assert!(fit.is_identified(), "{fit}");
    let k = fit.param("K").unwrap();
    assert!(k.lower < 1000.0 && 1000.0 < k.upper, "{fit}");
    let proj = fit.project_range(2009.0, 2030.0, 50);
    for p in &proj.points {
        assert!(p.pred_lower <= p.conf_lower && p.conf_lower <= p.value);
        assert!(p.value <= p.conf_upper && p.conf_upper <= p.pred_upper);
    }
    // Derived quantities against closed forms at the estimates.
    let (kk, r, tm) = (fit.estimates()[0], fit.estimates()[1], fit.estimates()[2]);
    assert_relative_eq!(fit.inflection_time().unwrap().value, tm);
    assert_relative_eq!(fit.inflection_level().unwrap().value, kk / 2.0);
    assert_relative_eq!(
        fit.doubling_time().unwrap().value,
        std::f64::consts::LN_2 / r
    );
    let t80 = fit.time_to_reach(0.8 * kk).unwrap();
    assert_relative_eq!(t80.value, tm + 4f64.ln() / r, max_relative = 1e-12);
    assert!(t80.lower < t80.value && t80.value < t80.upper);
    assert!(fit.time_to_reach(2.0 * kk).is_none());
    // A 90% band is narrower than a 95% band.
    let p90 = fit.project_at_level(&[2030.0], 0.90).unwrap().points[0];
    let p95 = fit.project(&[2030.0]).points[0];
    assert!(p90.conf_upper - p90.conf_lower < p95.conf_upper - p95.conf_lower);
    assert!(fit.project_at_level(&[2030.0], 1.5).is_err());
}

#[test]
fn every_data_file_loads_with_the_document_values() {
    let files =
        io::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap();
    assert!(files.len() >= 11);
    // `report.csv`, `report_sources.csv` and `claims.csv` are the report's particulars, not
    // series.
    let particulars = ["report.csv", "report_sources.csv", "claims.csv"];
    for (path, series) in files
        .iter()
        .filter(|(p, _)| !particulars.iter().any(|n| p.ends_with(n)))
    {
        let series = series
            .as_ref()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for s in series {
            assert!(!s.unit().is_empty(), "{} has a unit", s.name());
            assert!(
                s.observations().iter().all(|o| o.source.is_some()),
                "{} has sources",
                s.name()
            );
        }
    }
    let tokens = io::read_series(data("tokens_daily.csv")).unwrap();
    assert_eq!(tokens.values(), vec![1e11, 3e13, 1e14, 1.4e14]);
    let kinds: Vec<Kind> = tokens.observations().iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        vec![Kind::Exact, Kind::AtLeast, Kind::Exact, Kind::AtLeast]
    );
    let users = io::read_series(data("genai_users.csv")).unwrap();
    assert_eq!(users.values(), vec![2.3e8, 2.491e8, 5.15e8, 6.02e8]);
    let dc = io::read_groups(data("datacenter_power_2030.csv")).unwrap();
    let names: Vec<&str> = dc.iter().map(|s| s.name()).collect();
    assert_eq!(
        names,
        vec!["datacenter_power_2030/medium", "datacenter_power_2030/high"]
    );
    assert_eq!(dc[0].values(), vec![4e11]);
    assert_eq!(dc[1].observations()[0].kind, Kind::AtLeast);
    let size = io::read_series(data("digital_economy_size.csv")).unwrap();
    assert_eq!(size.values(), vec![8.1e12, 14.7e12]);
}

/// The documents' own growth claims, checked with the growth arithmetic.
#[test]
fn the_documents_claims() {
    // "一年半时间增长300多倍": 1e11 (start of 2024) -> more than 3e13 (mid-2025).
    let c = check_multiple(
        Figure::exact(1e11),
        Figure::at_least(3e13),
        Figure::at_least(300.0),
    )
    .unwrap();
    assert_eq!(c.verdict, Verdict::Holds, "{c}");
    assert_relative_eq!(c.face_value, 300.0);
    // "增长1000多倍": to more than 1.4e14 (March 2026): 1400x.
    let c = check_multiple(
        Figure::exact(1e11),
        Figure::at_least(1.4e14),
        Figure::at_least(1000.0),
    )
    .unwrap();
    assert_eq!(c.verdict, Verdict::Holds);
    assert_relative_eq!(c.face_value, 1400.0);
    // "增长逾40%": 1e14 (end of 2025) -> more than 1.4e14 (March 2026).
    let c = check_increase(
        Figure::exact(1e14),
        Figure::at_least(1.4e14),
        Figure::at_least(0.40),
    )
    .unwrap();
    assert_eq!(c.verdict, Verdict::Holds, "{c}");
    assert_relative_eq!(c.face_value, 0.40, max_relative = 1e-12);
    // Digital economy: CAGR 12.8% for about 8.1e12 -> more than 14.7e12, 2020-2025.
    // (14.7/8.1)^(1/5) - 1 = 0.1265915 (hand computation); 8.1e12 * 1.128^5 = 1.47921e13.
    let c = check_cagr(
        Figure::about(8.1e12),
        Figure::at_least(14.7e12),
        5.0,
        Figure::exact(0.128),
    )
    .unwrap();
    assert_relative_eq!(c.face_value, 0.12659148, max_relative = 1e-6);
    assert_relative_eq!(
        c.required_end,
        8.1e12 * 1.128f64.powi(5),
        max_relative = 1e-12
    );
    assert_relative_eq!(c.required_end, 1.47921e13, max_relative = 1e-5);
    assert_eq!(c.verdict, Verdict::AllowedByWording, "{c}");
    assert!(c.explanation.contains("1.4792e13"), "{c}");
    // Taken as exact figures, the same claim would be contradicted.
    let c = check_cagr(
        Figure::exact(8.1e12),
        Figure::exact(14.7e12),
        5.0,
        Figure::exact(0.128),
    )
    .unwrap();
    assert_eq!(c.verdict, Verdict::Contradicted);
    // Data-center scenarios from an assumed 140 TWh in 2024 (seed notes: ~19% and ~31% a year);
    // (400/140)^(1/6) - 1 and (700/140)^(1/6) - 1 by hand.
    assert_relative_eq!(
        growth::implied_rate(140.0, 2024.0, 400.0, 2030.0).unwrap(),
        0.1912109,
        max_relative = 1e-6
    );
    assert_relative_eq!(
        growth::implied_rate(140.0, 2024.0, 700.0, 2030.0).unwrap(),
        0.3076605,
        max_relative = 1e-6
    );
}

#[test]
fn log_linear_rate_matches_a_hand_regression() {
    // ln y = ln 100 + 0.1 t exactly: rate 0.1, annual e^0.1 - 1.
    let s = Series::from_years(
        "x",
        &[
            (0.0, 100.0),
            (1.0, 100.0 * 0.1f64.exp()),
            (2.0, 100.0 * 0.2f64.exp()),
        ],
    )
    .unwrap();
    let f = growth::log_linear_rate(&s, 0.95).unwrap();
    assert_relative_eq!(f.rate.value, 0.1, max_relative = 1e-12);
    assert_relative_eq!(f.annual.value, 0.1f64.exp_m1(), max_relative = 1e-12);
    assert_relative_eq!(
        f.doubling_time,
        std::f64::consts::LN_2 / 0.1,
        max_relative = 1e-12
    );
    // Tokens: two exact points and two bounds, all taken at face value here.
    let tokens = io::read_series(data("tokens_daily.csv")).unwrap();
    let f = growth::log_linear_rate(&tokens, 0.95).unwrap();
    assert!(f.rate.value > 2.0 && f.rate.std_error > 0.0);
}

#[test]
fn a_known_ceiling_bounds_the_confidence_band() {
    let users = io::read_series(data("genai_users.csv")).unwrap();
    let fit = Fitter::new(Logistic).fix("K", 1.41e9).fit(&users).unwrap();
    let proj = fit.project_range(2024.5, 2035.0, 60);
    for p in &proj.points {
        assert!(
            p.conf_lower < p.value && p.value < p.conf_upper && p.conf_upper < 1.41e9,
            "{p:?}"
        );
    }
    // Near the data the logit band and the log band agree to first order.
    let p = fit.project(&[2025.0]).points[0];
    let log_width = (p.conf_upper / p.conf_lower).ln();
    let q = fit.t_quantile(0.95);
    assert_relative_eq!(log_width, 2.0 * q * p.std_error, max_relative = 0.25);
}
