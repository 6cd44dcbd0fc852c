//! The trust verdict (`growthcast::trust`): misspecification the data reveal turns trust off
//! with a reason that says why; a well-specified long series is trusted; the runs test's
//! p-values against values computed independently.

use growthcast::compare::{compare_standard, Comparison};
use growthcast::trust::{residual_runs, runs_test, Reason};
use growthcast::{Gompertz, Logistic, Model, Series};

/// `n` yearly points of `f` from 2010 with a ±`noise` multiplicative wobble that alternates in
/// sign (so that the noise itself has as many runs as it can).
fn series(n: usize, noise: f64, f: impl Fn(f64) -> f64) -> Series {
    let t: Vec<f64> = (0..n).map(|i| 2010.0 + i as f64).collect();
    let y: Vec<f64> = t
        .iter()
        .enumerate()
        .map(|(i, &ti)| f(ti) * (if i % 2 == 0 { noise } else { -noise }).exp())
        .collect();
    Series::from_slices("s", &t, &y).unwrap()
}

fn verdict_of<'a>(c: &'a Comparison, model: &str) -> &'a growthcast::compare::Ranked {
    c.ranking
        .iter()
        .find(|r| r.label == model)
        .unwrap_or_else(|| panic!("{model} was ranked: {c}"))
}

#[test]
fn a_logistic_fitted_to_gompertz_data_is_not_trusted_and_the_reason_names_the_gompertz() {
    // Gompertz K = 1000, r = 0.5, inflection in the middle of ten yearly points, 1% noise.
    let s = series(10, 0.01, |t| Gompertz.value(t, &[1000.0, 0.5, 2014.5]));
    let c = compare_standard(&s);
    let logistic = verdict_of(&c, "logistic");
    // The old check calls it identified: that is what the verdict corrects.
    assert!(logistic.identified, "{c}");
    assert!(!logistic.trust.trusted, "{}", logistic.trust);
    let beaten = logistic.trust.reasons.iter().find_map(|r| match r {
        Reason::BeatenBy { model, delta_aic } => Some((model.clone(), *delta_aic)),
        _ => None,
    });
    let (model, delta) = beaten.unwrap_or_else(|| panic!("{}", logistic.trust));
    assert_eq!(model, "gompertz");
    // The gap is the AIC difference of the two fits.
    let fit = |l: &str| c.fit(verdict_of(&c, l).id).unwrap();
    let gap = fit("logistic").aic() - fit("gompertz").aic();
    assert!((delta - gap).abs() < 1e-9 && gap > 4.0, "{delta} vs {gap}");
    // The warning says why, in words, and is among the row's warnings.
    let text = logistic.trust.to_string();
    assert!(
        text.contains("misspecified: the gompertz fits much better"),
        "{text}"
    );
    assert!(logistic
        .warnings
        .iter()
        .any(|w| w.contains("gompertz fits much better")));
    // The Gompertz itself is trusted.
    assert!(verdict_of(&c, "gompertz").trust.trusted, "{c}");
}

#[test]
fn residual_runs_are_caught_with_the_exact_p_value() {
    // A straight line through twelve points of an exponential: the residuals are positive at
    // both ends and negative in the middle (three runs).
    let s = series(12, 0.002, |t| 100.0 * (0.3 * (t - 2010.0)).exp());
    let c = compare_standard(&s);
    let linear = verdict_of(&c, "linear");
    let fit = c.fit(linear.id).unwrap();
    let t = residual_runs(fit).unwrap();
    assert_eq!(t.runs, 3, "{t:?}");
    // P(R ≤ 3) by enumerating every arrangement of the same counts of signs.
    let (n1, n) = (t.positive, t.positive + t.negative);
    let (mut hits, mut total) = (0u32, 0u32);
    for mask in 0u32..(1 << n) {
        if mask.count_ones() as usize != n1 {
            continue;
        }
        total += 1;
        let runs = 1
            + (1..n)
                .filter(|&i| (mask >> i & 1) != (mask >> (i - 1) & 1))
                .count();
        hits += u32::from(runs <= 3);
    }
    let p = f64::from(hits) / f64::from(total);
    assert!((t.p - p).abs() < 1e-12, "{} vs {p}", t.p);
    assert!(t.p < 0.05);
    let runs = linear.trust.reasons.iter().find_map(|r| match r {
        Reason::ResidualRuns { runs, p, .. } => Some((*runs, *p)),
        _ => None,
    });
    assert_eq!(runs, Some((3, t.p)), "{}", linear.trust);
    assert!(linear.trust.to_string().contains("runs of equal sign"));
}

#[test]
fn runs_test_p_values_match_enumeration() {
    // Values from enumerating every arrangement (Python 3):
    //   from itertools import combinations
    //   def p(n1, n2, r):
    //       n = n1 + n2; runs = lambda s: 1 + sum(a != b for a, b in zip(s, s[1:]))
    //       c = [runs([i in pos for i in range(n)]) <= r for pos in combinations(range(n), n1)]
    //       return sum(c) / len(c)
    //   p(5, 5, 2) = 2/252, p(4, 8, 3) = 12/495, p(6, 6, 4) = 62/924, p(7, 5, 5) = 156/792
    let signs = |s: &str| s.chars().map(|c| c == '+').collect::<Vec<bool>>();
    let cases = [
        ("+++++-----", 2.0 / 252.0),
        ("----++++----", 12.0 / 495.0),
        ("+++---+++---", 62.0 / 924.0),
        ("++++--++---+", 156.0 / 792.0),
    ];
    for (s, p) in cases {
        let t = runs_test(&signs(s)).unwrap();
        assert!((t.p - p).abs() < 1e-12, "{s}: {} vs {p}", t.p);
    }
    // Closed form of the smallest p-value, and the expected number of runs 1 + 2 n₁n₂/n.
    let t = runs_test(&signs("+++++-----")).unwrap();
    assert!((t.p_min - 2.0 / 252.0).abs() < 1e-12);
    assert!((t.expected - 6.0).abs() < 1e-12);
    assert!(runs_test(&signs("++++")).is_none());
}

#[test]
fn a_well_specified_long_series_is_trusted() {
    // Logistic K = 1000, r = 0.6 through its inflection, fifteen yearly points, 1% noise.
    let s = series(15, 0.01, |t| Logistic.value(t, &[1000.0, 0.6, 2017.0]));
    let c = compare_standard(&s);
    let logistic = verdict_of(&c, "logistic");
    assert!(logistic.trust.trusted, "{}", logistic.trust);
    assert!(logistic.trust.reasons.is_empty());
    assert_eq!(c.trust(logistic.id), logistic.trust);
    // The others are not, each with a reason.
    for r in c.ranking.iter().filter(|r| r.label != "logistic") {
        assert!(
            !r.trust.trusted && !r.trust.reasons.is_empty(),
            "{}",
            r.label
        );
    }
}

#[test]
fn too_few_points_to_check_against_a_flexible_model() {
    // Six points: the three-parameter candidates keep three degrees of freedom, fewer than the
    // four the verdict needs to check any fit against them.
    let s = series(6, 0.01, |t| 100.0 * (0.4 * (t - 2010.0)).exp());
    let c = compare_standard(&s);
    let e = verdict_of(&c, "exponential");
    assert!(!e.trust.trusted);
    assert!(
        e.trust.reasons.iter().any(|r| matches!(
            r,
            Reason::TooFewPoints {
                dof: 3,
                min_dof: 4,
                ..
            }
        )),
        "{}",
        e.trust
    );
}
