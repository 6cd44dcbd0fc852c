//! Same answers as the levenberg-marquardt crate (MINPACK tolerances, analytic Jacobian) on the
//! bench's batch: every growthcast fit reaches the crate's minimum, its parameters within 1e-6
//! relative or its RSS no higher. The bench (`benches/fit.rs`) reports the count over all
//! 10,000 series; this test checks the first 200 of the same generator and seed.

#[path = "../benches/support/mod.rs"]
mod support;

use growthcast::{ErrorModel, Logistic, Solver};

#[test]
fn batch_reaches_the_crates_minimum() {
    let (t, values) = support::batch_array(200);
    let (same, total, worst) = support::same_answers(&t, &values);
    assert_eq!(same, total, "worst relative parameter difference {worst:e}");
    // In practice both follow MINPACK's path: the parameters agree far closer than 1e-6.
    assert!(
        worst < 1e-6,
        "worst relative parameter difference {worst:e}"
    );
}

#[test]
fn single_fits_match_the_crate() {
    let lm = support::lm_solver();
    for n in [10, 100, 1000] {
        let (t, y, _) = support::series(&format!("logistic_n{n}"));
        let start = support::logistic_start(&t, &y);
        let ours = Solver::new(Logistic)
            .error_model(ErrorModel::Additive)
            .fit(&t, &y, &start)
            .unwrap();
        let (theirs, _, _) = support::lm_logistic(&lm, &t, &y, start);
        let (a, b) = (ours.params(), &theirs[..]);
        assert!(
            support::same_answer(
                a,
                support::logistic_rss(&t, &y, a),
                b,
                support::logistic_rss(&t, &y, b),
                1e-6
            ),
            "logistic n = {n}: {a:?} vs {b:?}"
        );
    }
    for n in [10, 100, 1000] {
        let (t, y, _) = support::series(&format!("exp_n{n}"));
        let start = support::exp_start(&t, &y);
        let ours = Solver::new(growthcast::Exponential::with_reference(0.0))
            .error_model(ErrorModel::Additive)
            .fit(&t, &y, &start)
            .unwrap();
        let (theirs, _, _) = support::lm_exp(&lm, &t, &y, start);
        for (a, b) in ours.params().iter().zip(theirs) {
            assert!((a - b).abs() <= 1e-6 * a.abs(), "exp n = {n}: {a} vs {b}");
        }
    }
}
