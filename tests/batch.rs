//! The batch API and the lean solver: same bits as the `Fitter`, per-series errors that do not
//! stop the batch, serial and parallel alike, both input shapes.

use approx::assert_relative_eq;
use growthcast::batch::{BatchFitter, StartValues};
use growthcast::{
    Error, ErrorModel, Exponential, Fitter, IntervalMethod, Logistic, Model, Observation, Series,
    Solver, Termination,
};
use ndarray::{Array1, Array2, ShapeBuilder};

fn times() -> Vec<f64> {
    (0..12).map(|i| 2020.0 + 0.5 * i as f64).collect()
}

/// Logistic rows with a deterministic ±3% wiggle.
fn rows(count: usize) -> Array2<f64> {
    let t = times();
    Array2::from_shape_fn((count, t.len()), |(i, j)| {
        let p = [
            1000.0 + 37.0 * i as f64,
            0.8 + 0.01 * (i % 50) as f64,
            2022.0 + 0.02 * (i % 100) as f64,
        ];
        Logistic.value(t[j], &p) * (1.0 + 0.03 * (((i * 5 + j * 3) % 7) as f64 - 3.0) / 3.0)
    })
}

fn series_of(t: &[f64], y: &[f64]) -> Series {
    let obs = t
        .iter()
        .zip(y)
        .map(|(&t, &y)| Observation::at(t, y))
        .collect();
    Series::from_observations("s", "", obs).unwrap()
}

#[test]
fn solver_gives_the_fitters_bits() {
    let t = times();
    let values = rows(5);
    for error_model in [ErrorModel::Additive, ErrorModel::Multiplicative] {
        let mut solver = Solver::new(Logistic).error_model(error_model);
        for row in values.rows() {
            let y = row.to_vec();
            let start = [1.1 * y[y.len() - 1], 1.0, 2022.5];
            let lean = solver.fit(&t, &y, &start).unwrap();
            let full = Fitter::new(Logistic)
                .error_model(error_model)
                .start(&start)
                .fit(&series_of(&t, &y))
                .unwrap();
            let p: Vec<f64> = full.params().iter().map(|p| p.estimate).collect();
            assert_eq!(lean.params(), &p[..]);
            assert_eq!(lean.iterations, full.iterations());
            assert_eq!(lean.termination, full.termination());
        }
    }
}

#[test]
fn batch_matches_single_fits_serial_and_parallel() {
    let t = times();
    let values = rows(700);
    let fitter = BatchFitter::new(Logistic);
    let serial = fitter.clone().parallel(false).fit(&t, &values).unwrap();
    let parallel = fitter.fit(&t, &values).unwrap();
    assert_eq!(serial.len(), 700);
    assert_eq!(serial.n_ok(), 700, "{:?}", serial.errors().first());
    assert_eq!(serial.params(), parallel.params());
    assert_eq!(serial.rss(), parallel.rss());
    // Self-start by default: the same as Fitter::fit, to the bit.
    for i in [0, 350, 699] {
        let y = values.row(i).to_vec();
        let full = Fitter::new(Logistic).fit(&series_of(&t, &y)).unwrap();
        let p: Vec<f64> = full.params().iter().map(|p| p.estimate).collect();
        assert_eq!(serial.params_of(i), &p[..]);
        let one = serial.get(i).unwrap();
        assert_eq!(one.params(), &p[..]);
        assert_eq!(one.rss, full.rss());
    }
}

#[test]
fn inputs_as_views_slices_and_other_layouts() {
    let t = times();
    let values = rows(20);
    let fitter = BatchFitter::new(Logistic).parallel(false);
    let base = fitter.fit(&t, &values).unwrap();
    // Time axis as an Array1, values as a column-major copy.
    let ta = Array1::from(t.clone());
    let mut fortran = Array2::zeros(values.dim().f());
    fortran.assign(&values);
    let other = fitter.fit(&ta, &fortran).unwrap();
    assert_eq!(base.params(), other.params());
    // A slice of series with their own times.
    let series: Vec<(Vec<f64>, Vec<f64>)> = values
        .rows()
        .into_iter()
        .map(|r| (t.clone(), r.to_vec()))
        .collect();
    let each = fitter.fit_series(&series).unwrap();
    assert_eq!(base.params(), each.params());
    // Shape mismatch is an error of the whole batch.
    assert!(matches!(
        fitter.fit(&t[..5], &values),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        fitter.clone().start(&[1.0, 2.0]).fit(&t, &values),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn failing_series_keep_their_errors_and_do_not_stop_the_batch() {
    let t = times();
    let mut values = rows(600);
    values[[3, 4]] = f64::NAN; // bad data
    values.row_mut(300).fill(5.0); // flat: no start values for a logistic
    values[[550, 0]] = -5.0; // not positive under the multiplicative model
    for parallel in [false, true] {
        let fits = BatchFitter::new(Logistic)
            .parallel(parallel)
            .fit(&t, &values)
            .unwrap();
        assert_eq!(fits.len(), 600);
        assert_eq!(fits.n_ok(), 597);
        let failed: Vec<usize> = fits.errors().iter().map(|(i, _)| *i).collect();
        assert_eq!(failed, [3, 300, 550]);
        assert!(matches!(
            fits.error(3),
            Some(Error::NonFinite { row: 5, .. })
        ));
        assert!(matches!(fits.error(300), Some(Error::NoStartValues { .. })));
        assert!(matches!(
            fits.error(550),
            Some(Error::NonPositive { row: 1, .. })
        ));
        assert!(fits.error(3).unwrap().to_string().contains("row 3"));
        assert!(fits.params_of(3).iter().all(|v| v.is_nan()));
        assert_eq!(fits.termination()[3], None);
        assert!(fits.get(2).is_ok() && fits.get(4).is_ok());
        assert!(fits.std_errors().is_none() && fits.std_errors_of(2).is_none());
        assert_eq!(fits.iter().filter(|r| r.is_ok()).count(), 597);
    }
}

#[test]
fn not_converged_series_keep_their_best_point() {
    let t = times();
    let values = rows(3);
    let fits = BatchFitter::new(Logistic)
        .settings(growthcast::LmSettings {
            max_iterations: 1,
            ..Default::default()
        })
        .start(&[5000.0, 0.1, 2030.0])
        .fit(&t, &values)
        .unwrap();
    assert_eq!(fits.n_ok(), 0);
    match fits.error(1) {
        Some(Error::NotConverged {
            reason, best, rss, ..
        }) => {
            assert_eq!(*reason, Termination::MaxIterations);
            assert_eq!(fits.params_of(1), &best[..]);
            assert_eq!(fits.rss()[1], *rss);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fits.termination()[1], Some(Termination::MaxIterations));
}

#[test]
fn per_series_times_anchor_each_series_and_custom_starts() {
    // Exponential::new() takes each series' first time as its reference, as Fitter does.
    let a: (Vec<f64>, Vec<f64>) = (
        vec![2020.0, 2021.0, 2022.0, 2023.0],
        vec![1.0, 2.1, 3.9, 8.2],
    );
    let b: (Vec<f64>, Vec<f64>) = (vec![2010.0, 2012.0, 2015.0], vec![5.0, 9.8, 41.0]);
    let fits = BatchFitter::new(Exponential::new())
        .start_values(StartValues::With(std::sync::Arc::new(|_t, y, p| {
            p[0] = y[0];
            p[1] = 0.5;
            Ok(())
        })))
        .fit_series(&[a.clone(), b.clone()])
        .unwrap();
    for (i, (t, y)) in [a, b].iter().enumerate() {
        let full = Fitter::new(Exponential::new())
            .start(&[y[0], 0.5])
            .fit(&series_of(t, y))
            .unwrap();
        let p: Vec<f64> = full.params().iter().map(|p| p.estimate).collect();
        assert_eq!(fits.params_of(i), &p[..]);
    }
    // A start function that refuses is a per-series error.
    let fits = BatchFitter::new(Logistic)
        .start_with(|_, y, p| {
            if y[y.len() - 1] > 1100.0 {
                return Err("too large".into());
            }
            p.copy_from_slice(&[2000.0, 1.0, 2022.0]);
            Ok(())
        })
        .fit(&times(), &rows(10))
        .unwrap();
    assert!(fits.n_ok() < 10 && fits.n_ok() > 0);
    assert!(fits
        .errors()
        .iter()
        .all(|(_, e)| e.to_string().contains("too large")));
}

#[test]
fn solver_errors_name_the_problem() {
    let mut s = Solver::new(Logistic);
    let t = [1.0, 2.0, 3.0, 4.0];
    assert!(matches!(
        s.fit(&t, &[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0]),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        s.fit(&t, &[1.0, 2.0, 3.0, 4.0], &[1.0, 1.0]),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        s.fit(&t[..2], &[1.0, 2.0], &[5.0, 1.0, 2.0]),
        Err(Error::TooFewPoints { .. })
    ));
    assert!(matches!(
        s.fit(&t, &[1.0, f64::NAN, 3.0, 4.0], &[5.0, 1.0, 2.0]),
        Err(Error::NonFinite { row: 2, .. })
    ));
    assert!(matches!(
        s.fit(&t, &[1.0, 0.0, 3.0, 4.0], &[5.0, 1.0, 2.0]),
        Err(Error::NonPositive { row: 2, .. })
    ));
    assert!(matches!(
        s.fit(&t, &[1.0, 2.0, 3.0, 4.0], &[f64::INFINITY, 1.0, 2.0]),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn a_panic_on_a_helper_thread_reaches_the_caller() {
    // The caller waits for its helpers; a helper that panics must not leave it waiting. The
    // closure panics on every thread but the caller's.
    use std::sync::atomic::{AtomicBool, Ordering};
    let t = times();
    let values = rows(5000);
    let caller = std::thread::current().id();
    let helper_ran = std::sync::Arc::new(AtomicBool::new(false));
    let seen = helper_ran.clone();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        BatchFitter::new(Logistic)
            .start_with(move |_, y, p| {
                if std::thread::current().id() != caller {
                    seen.store(true, Ordering::Relaxed);
                    panic!("a bug in the user's closure");
                }
                p.copy_from_slice(&[1.1 * y[11], 1.0, 2022.5]);
                Ok(())
            })
            .fit(&t, &values)
    }));
    if helper_ran.load(Ordering::Relaxed) {
        assert!(outcome.is_err());
    } else {
        // One core: no helper, nothing panicked.
        assert_eq!(outcome.unwrap().unwrap().n_ok(), 5000);
    }
}

#[test]
fn standard_errors_per_series_and_nan_where_a_series_failed() {
    let t = times();
    let mut values = rows(300);
    values[[7, 2]] = f64::NAN;
    let fits = BatchFitter::new(Logistic)
        .std_errors(true)
        .fit(&t, &values)
        .unwrap();
    let se = fits.std_errors().unwrap();
    assert_eq!(se.dim(), (300, 3));
    assert!(se.row(7).iter().all(|v| v.is_nan()));
    // Each row's errors are the full fit's for that series (the Fitter's are checked against
    // SciPy in tests/reference_scipy.rs).
    for i in [0, 150, 299] {
        let full = Fitter::new(Logistic)
            .fit(&series_of(&t, values.row(i).as_slice().unwrap()))
            .unwrap();
        for (got, p) in se.row(i).iter().zip(full.params()) {
            approx::assert_relative_eq!(*got, p.std_error, max_relative = 1e-9);
        }
    }
}

#[test]
fn one_set_of_lean_options_configures_the_solver_and_the_batch_alike() {
    // FitOptions is the configuration in one place, for the lean path too: the batch hands it
    // to each of its solvers, and `options(..)` is the same as the setters one by one.
    let t = times();
    let values = rows(4);
    let options = growthcast::FitOptions {
        error_model: ErrorModel::Additive,
        std_errors: true,
        ..Default::default()
    };
    let batch = BatchFitter::new(Logistic)
        .options(options.clone())
        .parallel(false)
        .fit(&t, &values)
        .unwrap();
    let mut chained = Solver::new(Logistic)
        .error_model(ErrorModel::Additive)
        .std_errors(true);
    let mut given = Solver::new(Logistic).options(options);
    for i in 0..4 {
        let y = values.row(i).to_vec();
        let start = batch.params_of(i).to_vec();
        let (a, b) = (
            given.fit(&t, &y, &start).unwrap(),
            chained.fit(&t, &y, &start).unwrap(),
        );
        assert_eq!(
            (a.params(), a.rss, a.std_errors()),
            (b.params(), b.rss, b.std_errors())
        );
        assert!(a.std_errors().is_some());
        // The batch fitted additively with standard errors: the additive solver, started at
        // the batch's answer, stays there.
        for (p, q) in a.params().iter().zip(batch.params_of(i)) {
            approx::assert_relative_eq!(*p, *q, max_relative = 1e-6);
        }
    }
    assert!(batch.std_errors().is_some());
}

/// Values whose squares overflow are an error that says to rescale on the lean paths too, as
/// they are for `Fitter` (issue 12.8 covered `Fitter` only).
#[test]
fn values_too_large_to_square_are_an_error_on_the_lean_paths() {
    let t = times();
    let y: Vec<f64> = rows(1).row(0).iter().map(|v| v * 1e298).collect();
    let mut solver = Solver::new(Logistic);
    let e = solver.fit(&t, &y, &[1e301, 1.0, 2022.0]).unwrap_err();
    assert!(
        matches!(e, Error::ValueOutOfRange { row: 12, .. }),
        "the largest, last: {e}"
    );
    assert!(e.to_string().contains("rescale"), "{e}");
    let mut values = rows(200);
    values.row_mut(7).mapv_inplace(|v| v * 1e298);
    for parallel in [false, true] {
        let fits = BatchFitter::new(Logistic)
            .parallel(parallel)
            .fit(&t, &values)
            .unwrap();
        assert_eq!(fits.n_ok(), 199);
        assert!(matches!(fits.error(7), Some(Error::ValueOutOfRange { .. })));
    }
}

#[test]
fn batch_intervals_are_the_single_fits_intervals() {
    // Issue 14.7: the batch path returns profile or bootstrap intervals per series, the same as
    // a single fit of that series gives.
    let t = times();
    let mut values = rows(6);
    values[[3, 2]] = -5.0; // a series that fails (non-positive under multiplicative errors)
    for method in [IntervalMethod::Profile, IntervalMethod::Bootstrap] {
        let fits = BatchFitter::new(Logistic)
            .intervals(method)
            .fit(&t, &values)
            .unwrap();
        assert_eq!(fits.interval_method(), Some(method));
        let (lower, upper) = (fits.lower().unwrap(), fits.upper().unwrap());
        for i in 0..values.nrows() {
            let y = values.row(i).to_vec();
            if i == 3 {
                assert!(fits.error(3).is_some());
                assert!(lower.row(3).iter().all(|v| v.is_nan()));
                continue;
            }
            let single = Fitter::new(Logistic).fit(&series_of(&t, &y)).unwrap();
            for (j, p) in single.params().iter().enumerate() {
                let (lo, hi) = match method {
                    IntervalMethod::Profile => (p.lower, p.upper),
                    _ => single.bootstrap_interval_of(&p.name).unwrap(),
                };
                assert!(lo < p.estimate && p.estimate < hi, "{method:?} {i} {j}");
                assert_relative_eq!(lower[[i, j]], lo, max_relative = 1e-6);
                assert_relative_eq!(upper[[i, j]], hi, max_relative = 1e-6);
            }
        }
    }
    // Other methods are refused, naming the option.
    let e = BatchFitter::new(Logistic)
        .intervals(IntervalMethod::Delta)
        .fit(&t, &values)
        .unwrap_err();
    assert!(e.to_string().contains("intervals"), "{e}");
}
