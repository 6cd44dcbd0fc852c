//! User-defined models get everything built-in ones get; Richards and Bass are built that way.

use approx::assert_relative_eq;
use growthcast::model::{bass, richards, CustomModel, Role};
use growthcast::{ErrorModel, Fitter, LmSettings, Logistic, Model, Series};

fn synthetic<M: Model + Clone>(m: &M, p: &[f64], times: &[f64]) -> Series {
    let mut m = m.clone();
    m.anchor(times);
    let y: Vec<f64> = times.iter().map(|&t| m.value(t, p)).collect();
    Series::from_slices("synthetic", times, &y).unwrap()
}

#[test]
fn richards_and_bass_recover_their_parameters_from_the_self_start() {
    let t: Vec<f64> = (0..16).map(|i| 2008.0 + i as f64).collect();
    let truth = [1000.0, 0.9, 2015.0, 0.6];
    let s = synthetic(&richards(), &truth, &t);
    let fit = Fitter::new(richards())
        .bound("nu", 1e-3, 50.0)
        .fit(&s)
        .unwrap();
    for (g, w) in fit.estimates().iter().zip(truth) {
        assert_relative_eq!(*g, w, max_relative = 1e-7);
    }
    let truth = [5e7, 0.02, 0.5, 2006.5];
    let s = synthetic(&bass(), &truth, &t);
    let fit = Fitter::new(bass()).fit(&s).unwrap();
    for (g, w) in fit.estimates().iter().zip(truth) {
        assert_relative_eq!(*g, w, max_relative = 1e-7);
    }
    // Everything downstream works: report, projection with bands, crossing time, JSON.
    let text = fit.to_string();
    assert!(
        text.contains("[[Fit]] bass model") && text.contains("coefficient of imitation"),
        "{text}"
    );
    let p = fit.project(&[2030.0]).points[0];
    assert!(p.value < 5e7 && p.value > 4e7);
    let when = fit.time_to_reach(2.5e7).unwrap();
    assert!(when.value > 2006.5 && when.value < 2030.0);
    assert!(serde_json::to_string(&fit)
        .unwrap()
        .contains("\"model\":\"bass\""));
    // ... and the notebook CSV and (with the `plot` feature) the chart.
    let projection = fit.project(&growthcast::export::csv_grid(&fit, 2030.0));
    let rows = growthcast::export::projection_rows("bass", &fit, &projection);
    assert!(rows
        .iter()
        .all(|r| r.yhat.is_some() && r.conf_lower.is_some()));
    #[cfg(feature = "plot")]
    {
        let png = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("growthcast-bass.png");
        let _ = std::fs::remove_file(&png);
        growthcast::plot::plot_fit(
            &s,
            &fit,
            &growthcast::plot::ChartSpec::new().horizon(2030.0),
            &png,
        )
        .unwrap();
        assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    }
}

#[test]
fn a_closure_model_without_gradient_fits_like_the_built_in_one() {
    // The logistic written as a closure, with finite differences instead of the analytic
    // Jacobian: same estimates and standard errors to the documented accuracy.
    let closure = CustomModel::new(
        "my_logistic",
        &[("K", Role::Ceiling), ("r", Role::Rate), ("tm", Role::Time)],
        |t, p| p[0] / (1.0 + (-p[1] * (t - p[2])).exp()),
    )
    .unwrap();
    let t: Vec<f64> = (0..12).map(|i| 2010.0 + i as f64).collect();
    let y: Vec<f64> = t
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            Logistic.value(t, &[1000.0, 0.9, 2015.5])
                * (1.0 + 0.03 * ((i * 5 % 7) as f64 - 3.0) / 3.0)
        })
        .collect();
    let s = Series::from_slices("s", &t, &y).unwrap();
    // Tight tolerances, so that only the Jacobian differs between the two fits.
    let tight = LmSettings {
        ftol: 1e-14,
        xtol: 1e-14,
        ..LmSettings::default()
    };
    let a = Fitter::new(Logistic)
        .error_model(ErrorModel::Additive)
        .settings(tight)
        .fit(&s)
        .unwrap();
    let b = Fitter::new(closure)
        .error_model(ErrorModel::Additive)
        .settings(tight)
        .start(&[1100.0, 1.0, 2015.0])
        .fit(&s)
        .unwrap();
    for (pa, pb) in a.params().iter().zip(b.params()) {
        assert_relative_eq!(pa.estimate, pb.estimate, max_relative = 1e-7);
        assert_relative_eq!(pa.std_error, pb.std_error, max_relative = 1e-7);
    }
    // No self-start: a clear error, not a panic.
    let no_start = CustomModel::new("bare", &[("a", Role::Level)], |_, p| p[0]).unwrap();
    let e = Fitter::new(no_start).fit(&s).unwrap_err();
    assert!(
        e.to_string()
            .contains("give start values with Fitter::start"),
        "{e}"
    );
}

#[test]
fn fixed_parameters_wrap_any_model() {
    use growthcast::model::{check_gradient, richards, Fixed};
    use growthcast::{Error, Gompertz, Logistic, Model};
    // The wrapped gradient is the model's, without the fixed columns; the block form (70
    // points: three blocks of 32) gives the point form's numbers.
    let times: Vec<f64> = (0..70).map(|i| 2000.0 + 0.5 * i as f64).collect();
    let m = Fixed::new(Gompertz, &[("r", 0.2)]).unwrap();
    assert_eq!(
        m.params().iter().map(|p| p.name).collect::<Vec<_>>(),
        ["K", "tm"]
    );
    check_gradient(&m, &[500.0, 2015.0], &times, 1e-6).unwrap();
    let mut g = [0.0; 2];
    let mut full = [0.0; 3];
    let v = m.value_and_gradient(2012.0, &[500.0, 2015.0], &mut g);
    let w = Gompertz.value_and_gradient(2012.0, &[500.0, 0.2, 2015.0], &mut full);
    assert_eq!((v, g), (w, [full[0], full[2]]));
    // A custom model with two of four parameters fixed: Richards with ν = 1 is the logistic.
    let rich = Fixed::new(richards(), &[("nu", 1.0), ("K", 1000.0)]).unwrap();
    let p = [1.2, 5.0];
    for &t in &[0.0, 5.0, 9.0] {
        approx::assert_relative_eq!(
            rich.value(t, &p),
            Logistic.value(t, &[1000.0, 1.2, 5.0]),
            max_relative = 1e-12
        );
    }
    assert!(rich.formula().contains("nu = 1") && rich.name().contains("K = 1000"));
    // Self-start honours the fixed values.
    let y: Vec<f64> = times
        .iter()
        .map(|&t| Gompertz.value(t, &[500.0, 0.2, 2015.0]))
        .collect();
    let s = m.self_start(&times, &y, &[None, None]).unwrap();
    assert_eq!(s.len(), 2);
    let s = m.self_start(&times, &y, &[Some(480.0), None]).unwrap();
    assert_eq!(s[0], 480.0);
    assert_relative_eq!(s[1], 2015.0, max_relative = 1e-3);
    // Names list the held values in the model's order, big numbers short.
    let users = Fixed::new(Logistic, &[("tm", 2030.0), ("K", 1.41e9)]).unwrap();
    assert_eq!(users.name(), "logistic (K = 1.41e9, tm = 2030)");
    assert!(users.formula().ends_with("with K = 1.41e9, tm = 2030"));
    let none = Fixed::new(Logistic, &[]).unwrap();
    assert_eq!((none.name(), none.params().len()), ("logistic", 3));
    // Bad names and values are errors that name the parameter.
    for (fixed, needle) in [
        (vec![("k", 1.0)], "no such parameter"),
        (vec![("K", f64::NAN)], "not finite"),
        (vec![("K", 1.0), ("K", 2.0)], "fixed twice"),
        (vec![("K", 1.0), ("r", 1.0), ("tm", 1.0)], "nothing is left"),
    ] {
        match Fixed::new(Logistic, &fixed) {
            Err(e @ Error::InvalidParameter { .. }) => {
                assert!(e.to_string().contains(needle), "{e}")
            }
            other => panic!("{other:?}"),
        }
    }
}
