//! A small, fast version of the coverage study (`cargo run --release --example coverage`, README
//! "Coverage of intervals and bands"): the same simulation code on a few cells.
//!
//! How wide the tolerance is. In a cell of `N` fits, the number of intervals that hold the truth
//! is binomial(N, p) with p the true coverage, so the measured share has standard error
//! `sqrt(p (1 − p) / N)`. The target is 93–97%; the test fails when the share falls below
//! `0.93 − 3·sqrt(0.93 · 0.07 / N)`, which a method that truly covers 93% or more does with
//! probability below 0.2% (normal approximation; the seeds are fixed, so the outcome is
//! deterministic, and it can only change when the fitting code does). Shares pooled over
//! horizons are not independent, but their mean has a standard error no larger than one share's,
//! so the same bound holds for them. The matching upper bound, `0.97 + 3·sqrt(0.97 · 0.03 / N)`,
//! is above 100% at these N, so over-coverage is left to the full study.

#[path = "../examples/coverage/sim.rs"]
#[allow(dead_code)]
mod sim;

use sim::{cell_seed, run_cell, Curve, Options, Tally, DEFAULTS, HORIZONS};

/// The lowest share a method with coverage ≥ 93% reaches, bar a 3-sigma event, in `n` trials.
fn lowest_share(n: usize) -> f64 {
    0.93 - 3.0 * (0.93 * 0.07 / n as f64).sqrt()
}

fn share(count: usize, of: usize) -> f64 {
    count as f64 / of as f64
}

/// Where the data end before the inflection and the ceiling is free, Wald intervals of K and tm
/// undercover badly at high noise; profile-likelihood intervals do not.
#[test]
fn profile_intervals_cover_where_wald_does_not() {
    let (curve, n, sigma, reps) = (Curve::LogisticBefore, 6, 0.30, 150);
    let opt = Options {
        bands: false,
        ..DEFAULTS
    };
    let t = run_cell(curve, n, sigma, reps, cell_seed(curve, n, sigma), opt);
    let fits = t.fits();
    assert!(
        fits >= reps * 9 / 10,
        "{} of {reps} fits failed: {:?}",
        t.failed(),
        t.failures
    );
    let floor = lowest_share(fits);
    for (j, name) in t.names.iter().enumerate() {
        let (profile, wald) = (
            share(t.param_default[j], fits),
            share(t.param_wald[j], fits),
        );
        println!("{name}: profile {profile:.3}, Wald {wald:.3}, floor {floor:.3}");
        assert!(
            profile >= floor,
            "{name}: profile interval covers {profile:.3} < {floor:.3}"
        );
    }
    // With these seeds the Wald intervals cover 0.771 (K) and 0.826 (tm), below the floor of
    // 0.866 (N = 146 fits): this test fails for Wald. The full study measures 81% and 88% over
    // 400 series.
}

/// The bootstrap bands of a logistic with a known ceiling: they cover the curve and a new
/// figure, and the curve's band never crosses the ceiling.
#[test]
fn bootstrap_bands_cover_and_stay_below_a_known_ceiling() {
    let (curve, n, sigma, reps) = (Curve::LogisticKnownK, 4, 0.30, 60);
    let t = run_cell(curve, n, sigma, reps, cell_seed(curve, n, sigma), DEFAULTS);
    check_bands(&t);
    assert_eq!(
        t.above_ceiling_default, 0,
        "the band crossed the known ceiling"
    );
}

/// Exponential growth on four points at 30% noise: the bands cover. (Here, as in the previous
/// cell, the delta method covers too, 0.967 and 0.967–0.989 with these seeds; it undercovers
/// where the ceiling is free and the data end before the inflection, 89% at five years in the
/// study, too close to the floor at this N to tell apart. These two tests guard against gross
/// failures of the bands, such as a bootstrap drawn with the fitted residual SD alone.)
#[test]
fn bootstrap_bands_cover_on_four_noisy_points() {
    let (curve, n, sigma, reps) = (Curve::Exponential, 4, 0.30, 60);
    let t = run_cell(curve, n, sigma, reps, cell_seed(curve, n, sigma), DEFAULTS);
    check_bands(&t);
}

/// With the defaults (rates held at or above 0), every bootstrap draw rises, and so does every
/// edge of both bands, in every replicate; under a known ceiling the confidence band stays
/// below it. (Before rates were held positive, the edges fell in about half of these fits.)
#[test]
fn default_bands_rise_and_respect_a_known_ceiling() {
    let opt = DEFAULTS;
    for (curve, n, sigma) in [
        (Curve::Exponential, 4, 0.30),
        (Curve::LogisticKnownK, 4, 0.30),
    ] {
        let t = run_cell(curve, n, sigma, 30, cell_seed(curve, n, sigma), opt);
        assert_eq!(t.failed(), 0, "{:?}", t.failures);
        assert_eq!(t.falls_default, 0, "{curve:?}: a band edge fell over time");
        assert_eq!(
            t.above_ceiling_default, 0,
            "{curve:?}: the band crossed the ceiling"
        );
    }
}

/// Coverage of the bootstrap bands, pooled over the horizons, against the binomial floor;
/// the delta method's shares are printed beside them.
fn check_bands(t: &Tally) {
    let fits = t.fits();
    assert!(
        fits >= t.reps * 9 / 10,
        "{} of {} fits failed: {:?}",
        t.failed(),
        t.reps,
        t.failures
    );
    let h = HORIZONS.len();
    let pooled = |v: &[usize]| share(v.iter().sum(), fits * h);
    let floor = lowest_share(fits);
    let (conf, pred) = (pooled(&t.conf_default), pooled(&t.pred_default));
    println!(
        "confidence band {conf:.3} (delta {:.3}), prediction band {pred:.3} (delta {:.3}), floor {floor:.3}",
        pooled(&t.conf_delta),
        pooled(&t.pred_delta)
    );
    assert!(
        conf >= floor,
        "confidence band covers {conf:.3} < {floor:.3}"
    );
    assert!(
        pred >= floor,
        "prediction band covers {pred:.3} < {floor:.3}"
    );
}
