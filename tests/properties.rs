//! Property tests: random series, models and inputs never panic; results are finite or errors.

use growthcast::growth::{self, Figure};
use growthcast::{io, model, ErrorModel, Fitter, Kind, Observation, Series, WarningKind};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => 1e-3f64..1e6,
        1 => -1e3f64..1e3,
        1 => Just(0.0),
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, 1e300, 1e-300, -1e300]),
    ]
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(vec![
        Kind::Exact,
        Kind::Exact,
        Kind::Exact,
        Kind::AtLeast,
        Kind::AtMost,
        Kind::About,
    ])
}

proptest! {
    // 256 cases by default; more with PROPTEST_CASES=N.

    #[test]
    fn fitting_random_series_never_panics(
        points in prop::collection::vec((2000u32..2030, 0u32..12, value(), kind()), 0..14),
        model_name in prop::sample::select(model::MODEL_NAMES.to_vec()),
        additive in any::<bool>(),
    ) {
        let obs: Vec<Observation> = points
            .iter()
            .map(|&(y, m, v, k)| Observation::at(f64::from(y) + f64::from(m) / 12.0, v).kind(k))
            .collect();
        let Ok(series) = Series::from_observations("random", "", obs) else { return Ok(()) };
        let em = if additive { ErrorModel::Additive } else { ErrorModel::Multiplicative };
        let Ok(fit) = Fitter::new(model::by_name(model_name).unwrap()).error_model(em).fit(&series) else {
            return Ok(());
        };
        prop_assert!(fit.estimates().iter().all(|v| v.is_finite()), "{fit}");
        prop_assert!(fit.rss().is_finite() && fit.rss() >= 0.0);
        prop_assert!(fit.observations().iter().all(|o| o.fitted.is_finite() || fit.error_model() == ErrorModel::Additive));
        let proj = fit.project(&[2031.0]);
        let p = proj.points[0];
        let bands = [p.conf_lower, p.conf_upper, p.pred_lower, p.pred_upper];
        // Bands are finite, or NaN exactly where the uncertainty is unknown (and a warning says so).
        if bands.iter().any(|b| b.is_nan()) {
            prop_assert!(proj.warnings.iter().any(|w| matches!(w.kind, WarningKind::NoDegreesOfFreedom | WarningKind::NotIdentified | WarningKind::NotPositive)), "{fit}");
        }
        // Random points often share a month: the lack-of-fit test, when made, is a number.
        if let Some(l) = fit.lack_of_fit() {
            prop_assert!(l.f.is_finite() && l.f >= 0.0 && (0.0..=1.0).contains(&l.p_value), "{l:?}");
            prop_assert!(l.pure_error_dof + l.lack_of_fit_dof + fit.n_free() == l.points, "{l:?}");
        }
        let _ = fit.to_string();
        let _ = fit.when(1e6, 2040.0);
        prop_assert!(serde_json::to_string(&fit).is_ok());
    }

    #[test]
    fn reading_random_csv_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = io::read_groups_from(bytes.as_slice(), "random", std::path::Path::new("random.csv"));
    }

    #[test]
    fn reading_csv_like_text_never_panics(
        rows in prop::collection::vec(("[0-9]{0,4}(-[0-9]{1,2}){0,2}", "[-+0-9.eE]{0,8}|NaN|inf", "exact|at_least|x|"), 0..8)
    ) {
        let mut text = String::from("date,value,kind\n");
        for (d, v, k) in &rows {
            text.push_str(&format!("{d},{v},{k}\n"));
        }
        if let Ok(groups) = io::read_groups_from(text.as_bytes(), "r", std::path::Path::new("r.csv")) {
            for s in groups {
                prop_assert!(s.values().iter().all(|v| v.is_finite()));
                // Sorted; replicates (rows at one date) are kept.
                prop_assert!(s.times().windows(2).all(|w| w[0] <= w[1]));
            }
        }
    }

    #[test]
    fn growth_arithmetic_is_finite_or_an_error(a in value(), b in value(), years in -5.0f64..50.0, claim in -1.0f64..2.0) {
        if let Ok(r) = growth::cagr(a, b, years) {
            prop_assert!(r.is_finite() || r == f64::INFINITY || r == -1.0, "{r}");
        }
        if let Ok(c) = growth::check_cagr(Figure::exact(a), Figure::at_least(b), years, Figure::exact(claim)) {
            prop_assert!(!c.explanation.is_empty());
        }
        let _ = growth::doubling_time(claim);
        let _ = growth::years_to_reach(a, b, claim);
    }
}

/// A case the property above found (with `bass` newly among the models): standard errors came
/// out infinite, the bands NaN, and no warning said the parameters were not identified.
#[test]
fn infinite_standard_errors_are_flagged_as_not_identified() {
    let points = [
        (2014, 1, 304650.78239308443, Kind::Exact),
        (2007, 0, 733195.80300819, Kind::Exact),
        (2005, 9, 830976.0466371417, Kind::Exact),
        (2026, 6, 182268.30110458942, Kind::Exact),
        (2024, 2, 783441.7410710141, Kind::AtLeast),
        (2010, 4, 425774.1814884946, Kind::AtMost),
        (2019, 3, 378607.659516008, Kind::Exact),
        (2028, 4, 250692.04221824335, Kind::Exact),
        (2026, 4, 211997.00671407813, Kind::Exact),
        (2029, 2, 110498.91856777536, Kind::Exact),
    ];
    let obs = points
        .iter()
        .map(|&(y, m, v, k)| Observation::at(f64::from(y) + f64::from(m) / 12.0, v).kind(k))
        .collect();
    let series = Series::from_observations("random", "", obs).unwrap();
    let Ok(fit) = Fitter::new(model::bass()).fit(&series) else {
        return; // an error is an honest answer too
    };
    let p = fit.project(&[2031.0]).points[0];
    if p.conf_lower.is_nan() || fit.params().iter().any(|p| p.std_error.is_infinite()) {
        assert!(
            fit.warnings()
                .iter()
                .any(|w| w.kind == WarningKind::NotIdentified),
            "{fit}"
        );
    }
}
