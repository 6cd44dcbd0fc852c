//! A fit that fails still answers what it can: a degenerate stop is retried from other start
//! points, and a ceiling that runs off comes with the one-sided bound the data support.

use growthcast::model::{CustomModel, Role};
use growthcast::{
    compare, profile, Error, Exponential, Fit, Fitter, Gompertz, IntervalMethod, Logistic, Series,
};

/// Eight points of a logistic (K = 1000 above a level of 100) with a little deterministic noise.
fn s_curve() -> Series {
    let pts: Vec<(f64, f64)> = (0..8)
        .map(|i| {
            let x = i as f64;
            let noise = 1.0 + 0.02 * ((i * 7 % 5) as f64 - 2.0);
            (
                2018.0 + x,
                100.0 * (1.0 + 9.0 / (1.0 + (-(x - 4.0)).exp())) * noise,
            )
        })
        .collect();
    Series::from_years("s", &pts).unwrap()
}

/// Six points of pure exponential growth, `100 e^{0.5 t}`, with a little deterministic noise:
/// no ceiling to find.
fn exponential_data() -> Series {
    let noise = [1.0, 1.03, 0.98, 1.01, 0.99, 1.02];
    let pts: Vec<(f64, f64)> = (0..6)
        .map(|i| (2020.0 + i as f64, 100.0 * (0.5 * i as f64).exp() * noise[i]))
        .collect();
    Series::from_years("exp6", &pts).unwrap()
}

fn degenerate(f: &Fit) -> bool {
    f.r_squared() <= 1e-6 && f.std_errors().iter().any(|v| v.is_nan())
}

#[test]
fn a_degenerate_stop_is_retried_from_other_starts() {
    let s = s_curve();
    let reference = Fitter::new(Logistic).fit(&s).unwrap();
    assert!(reference.r_squared() > 0.95);
    // Start values whose curve is flat over the data (the midpoint a century early, or the
    // ceiling at 1 with the midpoint after the data): the gradient in r and tm vanishes, and
    // the solver used to stop at the mean, "converged", explaining nothing (R² = 0).
    let mut restarted = 0;
    for start in [[1e3, 0.5, 1900.0], [1.0, 1.0, 2022.0]] {
        let f = Fitter::new(Logistic).start(&start).fit(&s).unwrap();
        assert!(!degenerate(&f), "{start:?}: {f}");
        approx::assert_relative_eq!(f.rss(), reference.rss(), max_relative = 1e-6);
        restarted += f
            .warnings()
            .iter()
            .any(|w| w.kind == growthcast::WarningKind::Restarted) as usize;
    }
    // A fit rescued by a restart says so.
    assert!(restarted > 0);
    let g_ref = Fitter::new(Gompertz).fit(&s).unwrap();
    let g = Fitter::new(Gompertz)
        .start(&[1e3, 0.5, 1900.0])
        .fit(&s)
        .unwrap();
    assert!(!degenerate(&g), "{g}");
    assert!(
        g.rss() <= g_ref.rss() * (1.0 + 1e-6),
        "{} vs {}",
        g.rss(),
        g_ref.rss()
    );
}

#[test]
fn a_degenerate_stop_with_nothing_better_is_an_error() {
    let s = s_curve();
    // The rate held at zero: the logistic is a flat line at K/2 and tm does nothing.
    let e = Fitter::new(Logistic).fix("r", 0.0).fit(&s).unwrap_err();
    match &e {
        Error::Degenerate {
            model,
            series,
            starts,
            r_squared,
            ..
        } => {
            assert_eq!((model.as_str(), series.as_str()), ("logistic", "s"));
            assert!(*starts > 3, "{starts}");
            assert!(*r_squared <= 1e-6, "{r_squared}");
        }
        other => panic!("{other:?}"),
    }
    let msg = e.to_string();
    assert!(
        msg.contains("explains nothing") && msg.contains("fix") && msg.contains("simpler model"),
        "{msg}"
    );
    // A model with a parameter that changes nothing, started anywhere.
    let flat = CustomModel::new("flat", &[("a", Role::Level), ("b", Role::Rate)], |_, p| {
        p[0] + 0.0 * p[1]
    })
    .unwrap();
    let e = Fitter::new(flat).start(&[10.0, 1.0]).fit(&s).unwrap_err();
    assert!(matches!(e, Error::Degenerate { .. }), "{e}");
}

#[test]
fn odd_start_values_never_panic() {
    let s = s_curve();
    let values = [0.0, -1.0, 1e-300, 1e-9, 0.5, 1e3, 1e12, 1e300, -1e300];
    let times = [-1e6, 1900.0, 2021.0, 2200.0, 1e9];
    for &k in &values {
        for &r in &values {
            for &tm in &times {
                // Wald intervals: the test is about the fit, and 810 profiles would take a
                // minute in a debug build.
                let fits = [
                    Fitter::new(Logistic)
                        .intervals(IntervalMethod::Wald)
                        .start(&[k, r, tm])
                        .fit(&s),
                    Fitter::new(Gompertz)
                        .intervals(IntervalMethod::Wald)
                        .start(&[k, r, tm])
                        .fit(&s),
                ];
                for f in fits.into_iter().flatten() {
                    assert!(!degenerate(&f), "[{k}, {r}, {tm}]: {f}");
                    assert!(f.rss().is_finite());
                }
            }
            if let Ok(f) = Fitter::new(Exponential::new()).start(&[k, r]).fit(&s) {
                assert!(!degenerate(&f), "[{k}, {r}]: {f}");
            }
        }
    }
}

#[test]
fn a_ceiling_that_runs_off_comes_with_its_lower_bound() {
    let s = exponential_data();
    let data_max = s.values().iter().cloned().fold(0.0, f64::max);
    let e = Fitter::new(Logistic).fit(&s).unwrap_err();
    let Error::Diverged { bound, .. } = &e else {
        panic!("{e:?}")
    };
    let b = bound.as_deref().expect("a lower bound");
    let above = b.above;
    assert_eq!(b.level, 0.95);
    // Above the data (the ceiling cannot be below what was observed) and finite (the true
    // ceiling is infinite: the data are exponential).
    assert!(
        above > data_max && above.is_finite(),
        "{above} vs {data_max}"
    );
    // The same number the profile gives.
    let p = profile::ceiling_interval(&Fitter::new(Logistic), &s, 0.95).unwrap();
    assert_eq!(p.upper, None);
    approx::assert_relative_eq!(above, p.lower.unwrap(), max_relative = 1e-9);
    let msg = e.to_string();
    assert!(
        msg.contains(&format!(
            "K is above {above:.3e} at 95% (profile likelihood)"
        )) && msg.contains("no upper bound")
            && msg.contains("exponential"),
        "{msg}"
    );
    assert_eq!(
        e.ceiling_statement().unwrap(),
        format!(
            "the data say only that K is above {above:.3e} at 95% (profile likelihood), with no \
             upper bound: the curve is indistinguishable from exponential growth over the data"
        )
    );
    // At another level, another bound: a lower level gives a higher bound.
    let e80 = Fitter::new(Logistic).level(0.8).fit(&s).unwrap_err();
    let Error::Diverged {
        bound: Some(b80), ..
    } = e80
    else {
        panic!("{e80:?}")
    };
    let above80 = b80.above;
    assert!(above80 > above, "{above80} vs {above}");
}

#[test]
fn a_comparison_says_what_the_data_support_for_a_ceiling_that_ran_off() {
    let s = exponential_data();
    let c = compare::compare_standard(&s);
    let logistic = c.candidates.iter().find(|k| k.model == "logistic").unwrap();
    let e = logistic.fit.as_ref().unwrap_err();
    let statement = e.ceiling_statement().expect("a one-sided statement");
    let text = c.to_string();
    assert!(text.contains(&statement), "{text}");
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("logistic") && l.contains("K above")),
        "{text}"
    );
}
