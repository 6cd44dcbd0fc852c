//! R's classic growth data sets fitted through the public API with no start values, against R.
//!
//! Reference numbers come from `tests/reference/r_growth_data.R`, run with R 4.2.2 Patched
//! (2022-11-10 r83330); it writes `tests/reference/r_growth_data.json` (data points included),
//! which this test reads. Data, all on a numeric time axis in days:
//!
//! - `Orange`: each of the 5 trees, circumference (mm) by age (days), logistic;
//! - `ChickWeight`: chicks 1–6, the first six by Chick id with all 12 weighings (days 0, 2, …,
//!   20, 21; chicks 8, 15, 16, 18 and 44 have fewer), weight (g) by day, logistic and Gompertz.
//!   All six are on Diet 1. For chick 1 R's `nls(... SSgompertz ...)` fails; see
//!   [`chick1_gompertz_r_self_start_fails_crate_finds_the_minimum`].
//! - `DNase`: each of the 11 runs of the ELISA assay, optical density by log concentration
//!   (`t = ln(conc)`, −3.02 to 2.53: negative times), logistic, R's own example
//!   `nls(density ~ SSlogis(log(conc), Asym, xmid, scal))`. Every concentration is measured
//!   twice (16 points at 8 times): the series has replicates, and the fit's lack-of-fit F test
//!   ([`Fit::lack_of_fit`]) is compared with R's (the script computes it from the pure-error and
//!   lack-of-fit sums of squares and checks it against `anova(nls_fit, lm(y ~ factor(t)))`).
//!
//! The crate's fits are what a user writes: `Series::from_slices(name, &t, &y)` (the times are
//! plain numbers, here days; `Series::from_years` takes the same numbers as pairs) and
//! `Fitter::new(model).error_model(ErrorModel::Additive).fit(&series)`: no start values, the
//! model's self-start. Additive errors because R's `nls(y ~ f)` minimises `Σ (y − f)²`. Each case
//! is fitted twice: with the default solver tolerances, and with `ftol = xtol = 1e-14`
//! ([`LmSettings`], public).
//!
//! Parameters. The crate fits `K / (1 + exp(−r (t − tm)))` (logistic) and
//! `K · exp(−exp(−r (t − tm)))` (Gompertz). R's self-starting models are parametrised otherwise:
//!
//! - `SSlogis(t, Asym, xmid, scal) = Asym / (1 + exp((xmid − t) / scal))`:
//!   `K = Asym`, `tm = xmid`, `r = 1 / scal`;
//! - `SSgompertz(t, Asym, b2, b3) = Asym · exp(−b2 · b3^t)`:
//!   `K = Asym`, `r = −ln b3`, `tm = ln b2 / r`.
//!
//! So the script refits each case in R with `nls` on the crate's own formula, started from the
//! self-start fit, and records that fit's estimates and standard errors: both come from R
//! directly, compared here one to one (`K`, `r`, `tm`), with no conversion on the Rust side. The
//! script also checks that the refit agrees with the self-start fit through the mapping above
//! (and the delta method for the standard errors).
//!
//! Tolerances, relative, on estimates, standard errors and the residual SD:
//!
//! - tight solver tolerances: 1e-5 (issue 16). Measured worst: 4.2e-7 (estimates), 1.2e-6
//!   (standard errors; chick 4 logistic), the rest of the gap being R's own stop;
//! - default solver tolerances: 5e-5. Measured worst: 6.4e-6 (estimates), 1.4e-5 (standard
//!   errors), both chick 4 Gompertz, `K` (its SE is 72% of `K`: a flat direction, along which the
//!   default `ftol` stops early); every other case is within 1e-5 at the defaults too;
//! - the RSS: 1e-9 (measured worst about 6e-11);
//! - DNase (11 runs, with replicates and negative times) is well inside these: measured worst
//!   4.1e-8 (estimates) and 1.6e-7 (standard errors) at tight tolerances, 7.7e-7 and 1.9e-6 (run
//!   3) at the defaults; RSS 1.2e-11;
//! - the lack-of-fit test (DNase): degrees of freedom and distinct times exactly, the pure-error
//!   SS (data only) to 1e-12, the lack-of-fit SS, F and p-value to [`REL_LOF`] (measured worst:
//!   F 2.7e-13 and p-value 4.0e-13 at tight tolerances, 5.0e-11 and 3.6e-11 at the defaults).

use approx::relative_eq;
use growthcast::{ErrorModel, Fit, Fitter, Gompertz, LmSettings, Logistic, Series};
use json_reference::floats;
use serde_json::Value;

mod json_reference;

/// Crate (tight solver tolerances) vs R, relative, on estimates, standard errors and residual SD
/// (issue 16). Measured worst: see the module doc.
const REL: f64 = 1e-5;
/// Crate (default solver tolerances) vs R. The default MINPACK tolerances stop the solver once
/// the RSS falls by less than 1.49e-8 relative per step; along a poorly determined direction that
/// leaves the estimates a little short of the minimum (R's refits stop at an `nls` offset of 1e-6
/// or 1e-8, which leaves theirs within about 1e-6). Measured worst: see the module
/// doc.
const REL_DEFAULT: f64 = 5e-5;
/// Chick 1's Gompertz fit, crate vs R's fallback fit (see its test).
const REL_CHICK1: f64 = 1e-4;
/// RSS, crate vs R, relative (the minimum is flat: the RSS agrees far more tightly than the point).
const REL_RSS: f64 = 1e-9;

/// Lack-of-fit SS, F and p-value, crate vs R, relative: they follow the RSS (1e-9), amplified
/// by `RSS / SS_lof` (at most 1.9 on DNase) and, for the p-value, by the slope of the F tail.
const REL_LOF: f64 = 1e-7;

fn reference() -> Value {
    json_reference::load("r_growth_data.json")
}

/// The solver settings a case is fitted with.
#[derive(Clone, Copy, Debug)]
enum Tolerances {
    /// The crate's defaults (MINPACK's `ftol = xtol = 1.49e-8`): what a user gets.
    Default,
    /// `ftol = xtol = 1e-14`: the solver runs to the floating-point floor of the RSS.
    Tight,
}

/// The crate's fit of one case: numeric times, additive errors, no start values.
fn fit_case(case: &Value, tolerances: Tolerances) -> growthcast::Result<Fit> {
    let name = case["name"].as_str().unwrap();
    let (t, y) = (floats(&case["t"]), floats(&case["y"]));
    // Each case's own time axis (days; a log concentration for DNase), as a user would give it.
    let axis = growthcast::TimeAxis::numeric(case["time_unit"].as_str().unwrap())?;
    let series = Series::from_slices(name, &t, &y)?.with_axis(axis);
    let settings = match tolerances {
        Tolerances::Default => LmSettings::default(),
        Tolerances::Tight => LmSettings {
            ftol: 1e-14,
            xtol: 1e-14,
            ..LmSettings::default()
        },
    };
    match case["model"].as_str().unwrap() {
        "logistic" => Fitter::new(Logistic)
            .error_model(ErrorModel::Additive)
            .settings(settings)
            .fit(&series),
        "gompertz" => Fitter::new(Gompertz)
            .error_model(ErrorModel::Additive)
            .settings(settings)
            .fit(&series),
        other => panic!("unknown model {other}"),
    }
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// Compares one case fitted with `tolerances` to R at relative tolerance `tol`; returns the
/// largest relative differences (estimates, standard errors).
fn check_case(case: &Value, tolerances: Tolerances, tol: f64) -> (f64, f64) {
    let name = case["name"].as_str().unwrap();
    let fit = fit_case(case, tolerances).unwrap_or_else(|e| panic!("{name} ({tolerances:?}): {e}"));
    let (rss, sd) = (
        case["rss"].as_f64().unwrap(),
        case["residual_sd"].as_f64().unwrap(),
    );
    eprintln!(
        "{name} ({tolerances:?}): rss crate {:.17e} R {rss:.17e}; residual SD crate {:.17e} R {sd:.17e}",
        fit.rss(),
        fit.residual_sd()
    );
    assert_eq!(
        fit.dof() as u64,
        case["dof"].as_u64().unwrap(),
        "{name} ({tolerances:?}): dof"
    );
    // The same minimum: the crate may stop a hair above or below R's RSS.
    assert!(
        relative_eq!(fit.rss(), rss, max_relative = REL_RSS),
        "{name} ({tolerances:?}): rss {} vs R {rss}",
        fit.rss()
    );
    assert!(
        relative_eq!(fit.residual_sd(), sd, max_relative = tol),
        "{name} ({tolerances:?}): residual SD {} vs R {sd}",
        fit.residual_sd()
    );
    let (mut worst_est, mut worst_se) = (0.0f64, 0.0f64);
    for (pname, est) in case["estimate"].as_object().unwrap() {
        let est = est.as_f64().unwrap();
        let se = case["std_error"][pname].as_f64().unwrap();
        let p = fit
            .param(pname)
            .unwrap_or_else(|| panic!("{name} ({tolerances:?}): no parameter {pname}"));
        let (de, ds) = (rel(p.estimate, est), rel(p.std_error, se));
        eprintln!(
            "{name:22} {tolerances:?} {pname:3} est crate {:.12e} R {est:.12e} ({de:.1e})  se crate {:.12e} R {se:.12e} ({ds:.1e})",
            p.estimate, p.std_error
        );
        assert!(
            relative_eq!(p.estimate, est, max_relative = tol),
            "{name} {pname} ({tolerances:?}): estimate {} vs R {est} ({de:.2e})",
            p.estimate
        );
        assert!(
            relative_eq!(p.std_error, se, max_relative = tol),
            "{name} {pname} ({tolerances:?}): standard error {} vs R {se} ({ds:.2e})",
            p.std_error
        );
        worst_est = worst_est.max(de);
        worst_se = worst_se.max(ds);
    }
    check_lack_of_fit(case, &fit, tolerances);
    (worst_est, worst_se)
}

/// The fit's lack-of-fit test against R's: present exactly when the case has replicates.
fn check_lack_of_fit(case: &Value, fit: &Fit, tolerances: Tolerances) {
    let name = case["name"].as_str().unwrap();
    let r = &case["lack_of_fit"];
    let Some(l) = fit.lack_of_fit() else {
        assert!(
            r.is_null(),
            "{name} ({tolerances:?}): no lack-of-fit test, R has {r}"
        );
        return;
    };
    assert!(
        r.is_object(),
        "{name}: a lack-of-fit test without replicates: {l:?}"
    );
    let int = |k: &str| r[k].as_u64().unwrap() as usize;
    let num = |k: &str| r[k].as_f64().unwrap();
    assert_eq!(
        (
            l.points,
            l.distinct_times,
            l.pure_error_dof,
            l.lack_of_fit_dof
        ),
        (
            fit.n_points(),
            int("distinct_times"),
            int("pure_error_dof"),
            int("lack_of_fit_dof")
        ),
        "{name}: lack-of-fit counts"
    );
    eprintln!(
        "{name} ({tolerances:?}) lack of fit: F crate {:.12e} R {:.12e} ({:.1e}); p crate {:.12e} R {:.12e} ({:.1e}); SS_pe ({:.1e}), SS_lof ({:.1e})",
        l.f,
        num("f"),
        rel(l.f, num("f")),
        l.p_value,
        num("p_value"),
        rel(l.p_value, num("p_value")),
        rel(l.pure_error_ss, num("pure_error_ss")),
        rel(l.lack_of_fit_ss, num("lack_of_fit_ss")),
    );
    assert!(
        relative_eq!(l.pure_error_ss, num("pure_error_ss"), max_relative = 1e-12),
        "{name}: pure-error SS {} vs R {}",
        l.pure_error_ss,
        num("pure_error_ss")
    );
    for (ours, key) in [
        (l.lack_of_fit_ss, "lack_of_fit_ss"),
        (l.f, "f"),
        (l.p_value, "p_value"),
    ] {
        assert!(
            relative_eq!(ours, num(key), max_relative = REL_LOF),
            "{name} ({tolerances:?}): {key} {ours} vs R {}",
            num(key)
        );
    }
    // The fit's report and JSON carry it, degrees of freedom stated.
    let shown = fit.to_string();
    let want = format!(
        "lack of fit        = F = {:.4} on {} and {} DF, p = {:.4}",
        num("f"),
        l.lack_of_fit_dof,
        l.pure_error_dof,
        num("p_value")
    );
    assert!(shown.contains(&want), "{name}: {want:?} not in\n{shown}");
    let json = serde_json::to_value(fit).unwrap();
    assert_eq!(
        json["lack_of_fit"]["lack_of_fit_dof"].as_u64(),
        Some(l.lack_of_fit_dof as u64),
        "{name}: {}",
        json["lack_of_fit"]
    );
}

macro_rules! case_test {
    ($($test:ident => $case:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            let r = reference();
            let case = &r["cases"][$case];
            assert!(case.is_object(), "no case {} in the reference", $case);
            for (tolerances, tol) in [(Tolerances::Tight, REL), (Tolerances::Default, REL_DEFAULT)] {
                let (e, s) = check_case(case, tolerances, tol);
                eprintln!("{} ({tolerances:?}): worst relative difference {e:.2e} (estimates), {s:.2e} (standard errors)", $case);
            }
        }
    )*};
}

case_test! {
    orange_tree1_logistic => "orange_tree1_logistic",
    orange_tree2_logistic => "orange_tree2_logistic",
    orange_tree3_logistic => "orange_tree3_logistic",
    orange_tree4_logistic => "orange_tree4_logistic",
    orange_tree5_logistic => "orange_tree5_logistic",
    chick1_logistic => "chick1_logistic",
    chick2_logistic => "chick2_logistic",
    chick2_gompertz => "chick2_gompertz",
    chick3_logistic => "chick3_logistic",
    chick3_gompertz => "chick3_gompertz",
    chick4_logistic => "chick4_logistic",
    chick4_gompertz => "chick4_gompertz",
    chick5_logistic => "chick5_logistic",
    chick5_gompertz => "chick5_gompertz",
    chick6_logistic => "chick6_logistic",
    chick6_gompertz => "chick6_gompertz",
    dnase_run1_logistic => "dnase_run1_logistic",
    dnase_run2_logistic => "dnase_run2_logistic",
    dnase_run3_logistic => "dnase_run3_logistic",
    dnase_run4_logistic => "dnase_run4_logistic",
    dnase_run5_logistic => "dnase_run5_logistic",
    dnase_run6_logistic => "dnase_run6_logistic",
    dnase_run7_logistic => "dnase_run7_logistic",
    dnase_run8_logistic => "dnase_run8_logistic",
    dnase_run9_logistic => "dnase_run9_logistic",
    dnase_run10_logistic => "dnase_run10_logistic",
    dnase_run11_logistic => "dnase_run11_logistic",
}

/// Chick 1, Gompertz: R's `SSgompertz` fails, yet a least-squares point exists (the script
/// reaches it from a log-linear grid start with `K` on the log scale, and checks by profiling that
/// it is a minimum along `K`): `K` ≈ 5.9e5 g for a chick of 205 g, with `SE(ln K)` ≈ 6, i.e. not
/// determined by the data. The crate, with no start values, must find the same point (RSS to
/// 1e-9, and no higher than R's) and say that `K` is not identified. Estimates and standard errors
/// agree to [`REL_CHICK1`] only: R's `nls` stops at its offset tolerance 1e-6, here 2.6e-12
/// relative above the crate's RSS and 3.0e-5 relative away in `K` (measured worst: 3.0e-5 for
/// `K`, 1.4e-5 for the standard errors of `ln K` and `tm`).
#[test]
fn chick1_gompertz_r_self_start_fails_crate_finds_the_minimum() {
    let r = reference();
    let case = &r["cases"]["chick1_gompertz"];
    let r_error = case["self_start_error"]
        .as_str()
        .expect("R's SSgompertz fails on chick 1");
    eprintln!("R: {r_error}");
    let reference = &case["fallback"];
    let rss = reference["rss"].as_f64().unwrap();
    for tolerances in [Tolerances::Tight, Tolerances::Default] {
        let fit = fit_case(case, tolerances).unwrap_or_else(|e| panic!("chick1_gompertz: {e}"));
        eprintln!(
            "chick1_gompertz ({tolerances:?}): rss crate {:.17e} R {rss:.17e}",
            fit.rss()
        );
        assert!(
            relative_eq!(fit.rss(), rss, max_relative = REL_RSS) && fit.rss() <= rss,
            "chick1_gompertz ({tolerances:?}): rss {} vs R {rss}",
            fit.rss()
        );
        for pname in ["K", "r", "tm"] {
            let p = fit.param(pname).unwrap();
            let est = reference["estimate"][pname].as_f64().unwrap();
            // R's SE of ln K is the crate's SE(K) / K (the delta method is exact for the
            // linearised covariance at the same point).
            let (ours_se, se) = match pname {
                "K" => (
                    p.std_error / p.estimate,
                    reference["std_error"]["lK"].as_f64().unwrap(),
                ),
                _ => (p.std_error, reference["std_error"][pname].as_f64().unwrap()),
            };
            assert!(
                relative_eq!(p.estimate, est, max_relative = REL_CHICK1)
                    && relative_eq!(ours_se, se, max_relative = REL_CHICK1),
                "chick1_gompertz ({tolerances:?}) {pname}: {} (SE {ours_se}) vs R {est} (SE {se})",
                p.estimate
            );
            eprintln!(
                "chick1_gompertz ({tolerances:?}) {pname:3} est crate {:.12e} R {est:.12e} ({:.1e})  se crate {ours_se:.12e} R {se:.12e} ({:.1e})",
                p.estimate,
                rel(p.estimate, est),
                rel(ours_se, se)
            );
        }
        let k = fit.param("K").unwrap();
        assert!(k.std_error > k.estimate, "K is not determined: {k:?}");
        assert!(
            !fit.is_identified(),
            "chick1_gompertz: the crate must flag K as not identified"
        );
        eprintln!("warnings: {:?}", fit.warnings());
    }
}

#[test]
fn every_reference_case_is_tested() {
    let r = reference();
    assert_eq!(r["cases"].as_object().unwrap().len(), 28);
}
