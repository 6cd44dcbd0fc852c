//! Estimates, standard errors, goodness of fit and bands against SciPy.
//!
//! Reference numbers come from `tests/reference/scipy_reference.py` (numpy 2.4.6, scipy 1.17.1):
//! `scipy.optimize.curve_fit(method="lm")` with analytic Jacobians, `xtol = ftol = 1e-14`,
//! `absolute_sigma=False`, on synthetic data drawn with `default_rng(20261123)`; multiplicative
//! cases fit `log f` to `log y`; log-likelihood and AIC/AICc/BIC follow R's `logLik.nls`. The
//! script writes `tests/reference/scipy_reference.json`, which this test reads; the two
//! headline cases are also written out below so that the numbers can be read here.

use approx::assert_relative_eq;
use growthcast::{
    ErrorModel, Exponential, Fit, Fitter, Gompertz, Linear, Logistic, Model, Observation, Series,
};
use json_reference::floats;
use serde_json::Value;

mod json_reference;

const REL: f64 = 1e-6;

fn reference() -> Value {
    json_reference::load("scipy_reference.json")
}

fn fit_case<M: Model + Clone + 'static>(r: &Value, name: &str, model: M, self_start: bool) -> Fit {
    let case = &r["cases"][name];
    let data = &r["data"][case["data"].as_str().unwrap()];
    let (t, y) = (floats(&data["t"]), floats(&data["y"]));
    let sigma = case["weighted"]
        .as_bool()
        .unwrap()
        .then(|| floats(&data["sigma"]));
    let obs = (0..t.len())
        .map(|i| {
            let o = Observation::at(t[i], y[i]);
            match &sigma {
                Some(s) => o.weight(1.0 / (s[i] * s[i])),
                None => o,
            }
        })
        .collect();
    let series = Series::from_observations(name, "", obs).unwrap();
    let error_model = match case["error"].as_str().unwrap() {
        "additive" => ErrorModel::Additive,
        _ => ErrorModel::Multiplicative,
    };
    let mut fitter = Fitter::new(model).error_model(error_model);
    if let Some(k) = case["fixed"].get("K") {
        fitter = fitter.fix("K", k.as_f64().unwrap());
    }
    if !self_start {
        let mut start = floats(&case["start"]);
        if case["fixed"].get("K").is_some() {
            start.insert(0, 1000.0);
        }
        fitter = fitter.start(&start);
    }
    fitter
        .fit(&series)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn check_case(fit: &Fit, case: &Value, name: &str) {
    let popt = floats(&case["popt"]);
    let perr = floats(&case["perr"]);
    let free: Vec<_> = fit.params().iter().filter(|p| !p.fixed).collect();
    assert_eq!(free.len(), popt.len(), "{name}");
    for (k, p) in free.iter().enumerate() {
        assert_relative_eq!(p.estimate, popt[k], max_relative = REL);
        assert_relative_eq!(p.std_error, perr[k], max_relative = REL);
    }
    let scalar = |key: &str| case[key].as_f64().unwrap();
    assert_eq!(fit.dof() as f64, scalar("dof"), "{name}");
    for (got, key) in [
        (fit.rss(), "rss"),
        (fit.residual_sd(), "residual_sd"),
        (fit.r_squared(), "r_squared"),
        (fit.log_likelihood(), "loglik"),
        (fit.aic(), "aic"),
        (fit.aicc(), "aicc"),
        (fit.bic(), "bic"),
    ] {
        assert_relative_eq!(got, scalar(key), max_relative = REL);
    }
    // Covariance, free block.
    let pcov: Vec<Vec<f64>> = case["pcov"]
        .as_array()
        .unwrap()
        .iter()
        .map(floats)
        .collect();
    let idx: Vec<usize> = fit
        .params()
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.fixed)
        .map(|(i, _)| i)
        .collect();
    for (a, &i) in idx.iter().enumerate() {
        for (b, &j) in idx.iter().enumerate() {
            assert_relative_eq!(
                fit.covariance()[i][j],
                pcov[a][b],
                max_relative = 1e-5,
                epsilon = 1e-12
            );
        }
    }
    if let Some(proj) = case.get("projection") {
        let t = floats(&proj["t"]);
        let p = fit.project_delta(&t);
        for (key, got) in [
            ("f", p.points.iter().map(|x| x.value).collect::<Vec<_>>()),
            (
                "conf_lower",
                p.points.iter().map(|x| x.conf_lower).collect(),
            ),
            (
                "conf_upper",
                p.points.iter().map(|x| x.conf_upper).collect(),
            ),
            (
                "pred_lower",
                p.points.iter().map(|x| x.pred_lower).collect(),
            ),
            (
                "pred_upper",
                p.points.iter().map(|x| x.pred_upper).collect(),
            ),
        ] {
            let want = floats(&proj[key]);
            for (g, w) in got.iter().zip(&want) {
                assert_relative_eq!(*g, *w, max_relative = REL);
            }
        }
    }
}

fn run<M: Model + Clone + 'static>(name: &str, model: M) {
    let r = reference();
    let case = &r["cases"][name];
    // From SciPy's start values, and from growthcast's own self-start: the same minimum.
    for self_start in [false, true] {
        let fit = fit_case(&r, name, model.clone(), self_start);
        assert!(
            fit.termination().converged(),
            "{name}: {:?}",
            fit.termination()
        );
        check_case(&fit, case, name);
    }
}

#[test]
fn exponential_additive() {
    run("exp_additive", Exponential::with_reference(2018.0));
}

#[test]
fn exponential_multiplicative() {
    run("exp_multiplicative", Exponential::with_reference(2018.0));
}

#[test]
fn logistic_additive() {
    run("logistic_additive", Logistic);
}

#[test]
fn logistic_multiplicative() {
    run("logistic_multiplicative", Logistic);
}

#[test]
fn logistic_weighted() {
    run("logistic_weighted", Logistic);
}

#[test]
fn logistic_fixed_ceiling() {
    run("logistic_fixed_K", Logistic);
}

#[test]
fn gompertz_additive() {
    run("gompertz_additive", Gompertz);
}

#[test]
fn gompertz_multiplicative() {
    run("gompertz_multiplicative", Gompertz);
}

#[test]
fn linear_additive() {
    run("linear_additive", Linear::with_reference(2018.0));
}

/// The two headline cases written out, so the reference is readable without the JSON.
#[test]
fn headline_numbers_written_out() {
    let r = reference();
    let fit = fit_case(
        &r,
        "exp_additive",
        Exponential::with_reference(2018.0),
        true,
    );
    // SciPy curve_fit: popt = [2.8901978944622027, 0.36062540547294397],
    //                  perr = [0.16064124774846114, 0.00894683447906566]
    let y0 = fit.param("y0").unwrap();
    let rate = fit.param("r").unwrap();
    assert_relative_eq!(y0.estimate, 2.8901978944622027, max_relative = REL);
    assert_relative_eq!(rate.estimate, 0.36062540547294397, max_relative = REL);
    assert_relative_eq!(y0.std_error, 0.16064124774846114, max_relative = REL);
    assert_relative_eq!(rate.std_error, 0.00894683447906566, max_relative = REL);

    let fit = fit_case(&r, "logistic_additive", Logistic, true);
    // SciPy curve_fit: popt = [1011.0495532887649, 0.9470694378685056, 2015.4369835882771],
    //                  perr = [7.206193442023871, 0.026337204065129446, 0.03535838880868479]
    let want = [
        ("K", 1011.0495532887649, 7.206193442023871),
        ("r", 0.9470694378685056, 0.026337204065129446),
        ("tm", 2015.4369835882771, 0.03535838880868479),
    ];
    for (name, est, se) in want {
        let p = fit.param(name).unwrap();
        assert_relative_eq!(p.estimate, est, max_relative = REL);
        assert_relative_eq!(p.std_error, se, max_relative = REL);
    }
}

/// The lean paths with a fixed ceiling (`model::Fixed`) reach SciPy's fixed-K answer: the
/// Solver, the batch (the same series many times, serial and parallel) and the Fitter on the
/// wrapped model, whose parameters are then the free ones.
#[test]
fn logistic_fixed_ceiling_on_the_lean_paths() {
    use growthcast::batch::BatchFitter;
    use growthcast::model::Fixed;
    use growthcast::Solver;
    let r = reference();
    let case = &r["cases"]["logistic_fixed_K"];
    let data = &r["data"][case["data"].as_str().unwrap()];
    let (t, y) = (floats(&data["t"]), floats(&data["y"]));
    let (popt, start) = (floats(&case["popt"]), floats(&case["start"]));
    let k = case["fixed"]["K"].as_f64().unwrap();
    let model = Fixed::new(Logistic, &[("K", k)]).unwrap();

    let lean = Solver::new(model.clone())
        .error_model(ErrorModel::Additive)
        .fit(&t, &y, &start)
        .unwrap();
    for (got, want) in lean.params().iter().zip(&popt) {
        assert_relative_eq!(*got, *want, max_relative = REL);
    }
    assert_relative_eq!(lean.rss, case["rss"].as_f64().unwrap(), max_relative = REL);
    assert_eq!(
        model.full(lean.params()),
        [k, lean.params()[0], lean.params()[1]]
    );

    let rows = 300;
    let values = ndarray::Array2::from_shape_fn((rows, t.len()), |(_, j)| y[j]);
    for parallel in [false, true] {
        let fits = BatchFitter::new(model.clone())
            .error_model(ErrorModel::Additive)
            .start(&start)
            .parallel(parallel)
            .fit(&t, &values)
            .unwrap();
        assert_eq!(fits.n_ok(), rows);
        for i in 0..rows {
            assert_eq!(fits.params_of(i), lean.params(), "row {i}");
            assert_eq!(fits.termination()[i], Some(lean.termination), "row {i}");
        }
    }

    let series = Series::from_observations(
        "fixed",
        "",
        t.iter()
            .zip(&y)
            .map(|(&t, &y)| Observation::at(t, y))
            .collect(),
    )
    .unwrap();
    let fit = Fitter::new(model)
        .error_model(ErrorModel::Additive)
        .fit(&series)
        .unwrap();
    let perr = floats(&case["perr"]);
    for (k, p) in fit.params().iter().enumerate() {
        assert_relative_eq!(p.estimate, popt[k], max_relative = REL);
        assert_relative_eq!(p.std_error, perr[k], max_relative = REL);
    }
    let ceiling = fit.model_object().ceiling(&fit.estimates());
    assert_eq!(ceiling, Some(k));
    assert_relative_eq!(
        fit.value_at(2015.4033449157173),
        k / 2.0,
        max_relative = 1e-6
    );
}

/// The lean paths' standard errors (`Solver::std_errors`, `BatchFitter::std_errors`) against
/// SciPy's `perr` on every unweighted case, from SciPy's start values, serial and parallel.
#[test]
fn lean_standard_errors_match_scipy() {
    use growthcast::batch::BatchFitter;
    use growthcast::model::Fixed;
    use growthcast::Solver;
    let r = reference();
    let cases: Vec<(&str, Box<dyn Model>)> = vec![
        (
            "exp_additive",
            Box::new(Exponential::with_reference(2018.0)),
        ),
        (
            "exp_multiplicative",
            Box::new(Exponential::with_reference(2018.0)),
        ),
        ("logistic_additive", Box::new(Logistic)),
        ("logistic_multiplicative", Box::new(Logistic)),
        ("gompertz_additive", Box::new(Gompertz)),
        ("gompertz_multiplicative", Box::new(Gompertz)),
        ("linear_additive", Box::new(Linear::with_reference(2018.0))),
        (
            "logistic_fixed_K",
            Box::new(Fixed::new(Logistic, &[("K", 1000.0)]).unwrap()),
        ),
    ];
    for (name, model) in cases {
        let case = &r["cases"][name];
        let data = &r["data"][case["data"].as_str().unwrap()];
        let (t, y) = (floats(&data["t"]), floats(&data["y"]));
        let error_model = match case["error"].as_str().unwrap() {
            "additive" => ErrorModel::Additive,
            _ => ErrorModel::Multiplicative,
        };
        let (start, perr) = (floats(&case["start"]), floats(&case["perr"]));
        let lean = Solver::new(model.clone())
            .error_model(error_model)
            .std_errors(true)
            .fit(&t, &y, &start)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let se = lean.std_errors().expect("asked for");
        for (got, want) in se.iter().zip(&perr) {
            assert_relative_eq!(*got, *want, max_relative = REL);
        }
        let plain = Solver::new(model.clone())
            .error_model(error_model)
            .fit(&t, &y, &start)
            .unwrap();
        assert!(plain.std_errors().is_none());
        assert_eq!(plain.params(), lean.params(), "{name}: same estimates");

        let rows = 200;
        let values = ndarray::Array2::from_shape_fn((rows, t.len()), |(_, j)| y[j]);
        for parallel in [false, true] {
            let fits = BatchFitter::new(model.clone())
                .error_model(error_model)
                .start(&start)
                .std_errors(true)
                .parallel(parallel)
                .fit(&t, &values)
                .unwrap();
            let all = fits.std_errors().expect("asked for");
            for i in 0..rows {
                assert_eq!(all.row(i).to_vec(), se, "{name}: row {i}");
                assert_eq!(fits.get(i).unwrap().std_errors(), Some(se));
            }
        }
    }
}
