//! Growth means growth unless the user says otherwise: rates are kept at or above 0 by default,
//! a fit that ends at 0 says so, and `allow_decline` lets a falling series fit a decline.

use growthcast::batch::BatchFitter;
use growthcast::fit::{FitOptions, Level};
use growthcast::model::{bass, Fixed};
use growthcast::{Error, Exponential, Fitter, Gompertz, Logistic, Series, Solver, WarningKind};

/// Half-yearly values that fall by about 20% a year, with some wiggle.
fn falling() -> Series {
    let wiggle = [1.0, 1.03, 0.98, 1.02, 0.99, 1.01, 0.97, 1.02];
    let points: Vec<(String, f64)> = (0..8)
        .map(|i| {
            let t = i as f64 / 2.0;
            let date = format!(
                "{}-{}",
                2018 + i / 2,
                if i % 2 == 0 { "06-30" } else { "12-31" }
            );
            (date, 5.0e6 * (-0.2 * t).exp() * wiggle[i])
        })
        .collect();
    Series::new("falling", points.iter().map(|(d, v)| (d.as_str(), *v))).unwrap()
}

/// The rate's warning: at its bound, saying in words that the data fall, and how to allow it.
fn assert_decline_warning(fit: &growthcast::Fit, rate: &str) {
    let w = fit
        .warnings()
        .iter()
        .find(|w| w.kind == WarningKind::AtBound && w.parameter.as_deref() == Some(rate))
        .unwrap_or_else(|| panic!("no at-bound warning on {rate}: {:?}", fit.warnings()));
    assert!(w.message.contains("fall"), "{}", w.message);
    assert!(w.message.contains("allow_decline"), "{}", w.message);
    assert!(w.message.contains("--allow-decline"), "{}", w.message);
}

#[test]
fn a_falling_series_fits_a_rate_of_zero_with_a_warning() {
    let s = falling();
    let fit = Fitter::new(Exponential::new()).fit(&s).unwrap();
    assert_eq!(fit.param("r").unwrap().estimate, 0.0);
    assert_eq!(fit.param("r").unwrap().bounds, Some((0.0, f64::INFINITY)));
    assert_decline_warning(&fit, "r");
}

#[test]
fn allow_decline_fits_the_negative_rate() {
    let s = falling();
    let fit = Fitter::new(Exponential::new())
        .allow_decline()
        .fit(&s)
        .unwrap();
    let r = fit.param("r").unwrap();
    assert!((r.estimate + 0.2).abs() < 0.03, "{}", r.estimate);
    assert_eq!(r.bounds, None);
    assert!(!fit
        .warnings()
        .iter()
        .any(|w| w.kind == WarningKind::AtBound));
    // The same through the options.
    let options = FitOptions {
        allow_decline: true,
        ..FitOptions::new()
    };
    let again = Fitter::new(Exponential::new())
        .options(options)
        .fit(&s)
        .unwrap();
    assert_eq!(again.param("r").unwrap().estimate, r.estimate);
}

#[test]
fn saturating_models_on_a_falling_series_end_at_zero_with_the_warning() {
    // The LM loop holds a rate on its bound once the data push it past: the other parameters
    // then converge (before, the logistic ran into the iteration limit with r stuck at 0).
    let s = falling();
    let fitters: Vec<Box<dyn growthcast::fit::FitSpec>> = vec![
        Box::new(Fitter::new(Logistic)),
        Box::new(Fitter::new(Gompertz)),
    ];
    for f in &fitters {
        let fit = f
            .fit_series(&s)
            .unwrap_or_else(|e| panic!("{}: {e}", f.spec_label()));
        assert_eq!(fit.param("r").unwrap().estimate, 0.0, "{}", f.spec_label());
        assert_decline_warning(&fit, "r");
    }
    // With K fixed, r = 0 forces the flat curve to K/2; the restart finds the flat curve at the
    // data's level instead (r → 0 with tm far in the past), and says it restarted.
    let fit = Fitter::new(Logistic).fix("K", 4.0e6).fit(&s).unwrap();
    let r = fit.param("r").unwrap().estimate;
    assert!((0.0..1e-4).contains(&r), "{r}");
    assert!(
        fit.warnings().iter().any(|w| matches!(
            w.kind,
            growthcast::WarningKind::Restarted | growthcast::WarningKind::AtBound
        )),
        "{fit}"
    );
}

#[test]
fn bass_rates_are_kept_at_or_above_zero() {
    let fit = Fitter::new(bass()).fit(&falling()).unwrap();
    for p in ["p", "q"] {
        let par = fit.param(p).unwrap();
        assert!(par.estimate >= 0.0, "{p} = {}", par.estimate);
        assert_eq!(par.bounds.map(|b| b.0), Some(0.0));
    }
}

#[test]
fn bounds_of_the_users_own_replace_the_default() {
    let s = falling();
    let fit = Fitter::new(Exponential::new())
        .bound("r", -1.0, 1.0)
        .fit(&s)
        .unwrap();
    assert!(fit.param("r").unwrap().estimate < -0.1);
    // A rate held fixed at a negative value stays there.
    let fit = Fitter::new(Logistic)
        .fix("r", -0.3)
        .fix("K", 1.0e7)
        .fit(&s)
        .unwrap();
    assert_eq!(fit.param("r").unwrap().estimate, -0.3);
}

#[test]
fn the_lean_paths_keep_to_the_same_default_and_say_when_at_it() {
    let s = falling();
    let (t, y) = (s.times(), s.values());
    let start = [y[0], -0.1];
    let model = Exponential::new();
    let mut solver = Solver::new(model);
    let fit = solver.fit(&t, &y, &start).unwrap();
    assert_eq!(fit.params()[1], 0.0);
    assert!(fit.at_bound);
    let mut decline = Solver::new(model).allow_decline();
    let fit = decline.fit(&t, &y, &start).unwrap();
    assert!(fit.params()[1] < -0.1 && !fit.at_bound);

    let rows = [
        (t.clone(), y.clone()),
        (t.clone(), y.iter().rev().cloned().collect()),
    ];
    let fits = BatchFitter::new(model).fit_series(&rows).unwrap();
    assert_eq!(fits.at_bound(), &[true, false]);
    assert_eq!(fits.params_of(0)[1], 0.0);
    assert!(fits.params_of(1)[1] > 0.1);
    let fits = BatchFitter::new(model)
        .allow_decline()
        .fit_series(&rows)
        .unwrap();
    assert_eq!(fits.at_bound(), &[false, false]);
    assert!(fits.params_of(0)[1] < -0.1);
}

#[test]
fn one_options_type_for_every_path_refusing_what_a_lean_path_cannot_honour() {
    let mut options = FitOptions {
        level: Level::new(0.9).unwrap(),
        ..FitOptions::new()
    };
    options.constraints.fixed.push(("K".into(), 1.0e7));
    let s = falling();
    let (t, y) = (s.times(), s.values());
    // The Fitter honours every option.
    assert!(Fitter::new(Logistic)
        .options(options.clone())
        .fit(&s)
        .is_ok());
    // The lean paths refuse fixed values, naming the option.
    let e = Solver::new(Logistic)
        .options(options.clone())
        .fit(&t, &y, &[1.0e7, 0.1, 2019.0])
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidOption {
                option: "constraints.fixed",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("Fixed::from_constraints"), "{e}");
    let e = BatchFitter::new(Logistic)
        .options(options.clone())
        .fit_series(&[(t.clone(), y.clone())])
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidOption {
                option: "constraints.fixed",
                ..
            }
        ),
        "{e}"
    );
    // ... and take them through `Fixed::from_constraints`.
    let model = Fixed::from_constraints(Logistic, &options.constraints).unwrap();
    options.constraints.fixed.clear();
    options.allow_decline = true;
    let lean = Solver::new(model.clone())
        .options(options.clone())
        .fit(&t, &y, &[-0.2, 2019.0])
        .unwrap();
    let full = Fitter::new(Logistic)
        .fix("K", 1.0e7)
        .allow_decline()
        .start(&[1.0e7, -0.2, 2019.0])
        .fit(&s)
        .unwrap();
    let r = full.param("r").unwrap().estimate;
    assert!(
        (lean.params()[0] - r).abs() < 1e-6 * r.abs(),
        "{} vs {r}",
        lean.params()[0]
    );
    // The Solver takes its start values with each fit, and refuses them in the options.
    options.start = Some(vec![-0.2, 2019.0]);
    let e = Solver::new(model.clone())
        .options(options.clone())
        .fit(&t, &y, &[-0.2, 2019.0])
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidOption {
                option: "start",
                ..
            }
        ),
        "{e}"
    );
    // The batch honours them: the same start for every series.
    let fits = BatchFitter::new(model)
        .options(options)
        .fit_series(&[(t.clone(), y.clone())])
        .unwrap();
    assert!((fits.params_of(0)[0] - r).abs() < 1e-6 * r.abs());
}

#[test]
fn a_level_that_is_not_one_is_still_an_error_when_it_fits() {
    let s = falling();
    let e = Fitter::new(Exponential::new())
        .level(95.0)
        .fit(&s)
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidArgument { name: "level", .. }),
        "{e}"
    );
    // A later valid level replaces it.
    let fit = Fitter::new(Exponential::new())
        .level(95.0)
        .level(0.8)
        .fit(&s)
        .unwrap();
    assert_eq!(fit.level(), 0.8);
}

#[test]
fn the_lean_paths_take_bounds_of_the_users_own() {
    let s = falling();
    let (t, y) = (s.times(), s.values());
    let fit = Solver::new(Exponential::new())
        .bound("r", -1.0, 1.0)
        .fit(&t, &y, &[y[0], 0.1])
        .unwrap();
    assert!(
        fit.params()[1] < -0.1 && !fit.at_bound,
        "{:?}",
        fit.params()
    );
    // Tight bounds bind: the estimate ends on one, and the start is moved inside them.
    let fit = Solver::new(Exponential::new())
        .bound("r", -0.1, 0.5)
        .fit(&t, &y, &[y[0], 2.0])
        .unwrap();
    assert_eq!(fit.params()[1], -0.1);
    assert!(fit.at_bound);
    let e = BatchFitter::new(Exponential::new())
        .bound("rate", 0.0, 1.0)
        .fit_series(&[(t.clone(), y.clone())])
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { ref parameter, .. } if parameter == "rate"),
        "{e}"
    );
}
