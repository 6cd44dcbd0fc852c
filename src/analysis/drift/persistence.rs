//! Whether a series' growth-rate departures persist or revert (see the [parent module](super)).
//!
//! Two accounts of how real growth rates wander, told apart by the series' own successive rate
//! changes `c₁ … c_k`:
//!
//! * **they persist** (a population's demographic transition, a technology's adoption): a change
//!   of rate stays, the rates are a random walk and their changes independent, `c ~ N(0, s²I)`.
//!   The last rate is then the best guide: the naive path, whose log departs from the future by
//!   `δ·H` (`H` ahead, `δ` of scale `τ`);
//! * **they revert** (a business cycle, measurement noise): the rates scatter independently about
//!   the curve's, so successive changes undo each other, `c ~ N(0, τ²T)` with `T` tridiagonal
//!   (2 on the diagonal, −1 beside it: lag-one correlation −½). The fitted curve is then the best
//!   guide, and the average rate over `H` departs from it by `τ·√(Δ/H)` (`Δ` the series'
//!   spacing): its log by `τ·√(H·min(H, Δ))`, the square root of the horizon, not the horizon.
//!
//! With the scale unknown under both (the same scale-free prior), the Bayes factor of reverting
//! over persisting is `|T|^(−1/2)·(cᵀT⁻¹c / cᵀc)^(−k/2)` with `|T| = k + 1`
//! ([`reverting_evidence`]); a single change says nothing (factor 1). The prior probability of
//! persisting is the reference class's, fitted to its series by maximum marginal likelihood
//! ([`persisting_prior`]; Gapminder: about 0.65 in every class, 0.94 for the populations alone
//! and 0.26 for the incomes); the posterior ([`persisting_probability`]) weighs the two accounts
//! in the recommended prediction band.

/// The natural log of the Bayes factor of "rate departures revert" over "they persist" given
/// successive rate changes `changes` (see [`crate::drift`]); `0` (no evidence) with fewer
/// than two changes or when they are all zero.
pub fn reverting_evidence(changes: &[f64]) -> f64 {
    let k = changes.len();
    let q0: f64 = changes.iter().map(|c| c * c).sum();
    if k < 2 || !(q0 > 0.0 && q0.is_finite()) {
        return 0.0;
    }
    let q1 = tridiagonal_quadratic(changes);
    let kf = k as f64;
    -0.5 * (kf + 1.0).ln() - 0.5 * kf * (q1 / q0).ln()
}

/// `cᵀT⁻¹c` for `T` tridiagonal with 2 on the diagonal and −1 beside it (Thomas algorithm).
fn tridiagonal_quadratic(c: &[f64]) -> f64 {
    let k = c.len();
    let (mut diag, mut rhs) = (vec![2.0; k], c.to_vec());
    for i in 1..k {
        let w = -1.0 / diag[i - 1];
        diag[i] += w;
        rhs[i] -= w * rhs[i - 1];
    }
    let mut x = vec![0.0; k];
    x[k - 1] = rhs[k - 1] / diag[k - 1];
    for i in (0..k - 1).rev() {
        x[i] = (rhs[i] + x[i + 1]) / diag[i];
    }
    c.iter().zip(&x).map(|(a, b)| a * b).sum()
}

/// `ln(p + (1 − p)·eˡ)`, the log marginal likelihood (relative to persisting) of a series whose
/// reverting evidence is `l`, under a prior probability `p` of persisting.
fn log_mix(p: f64, l: f64) -> f64 {
    let (a, b) = (p.ln(), (1.0 - p).ln() + l);
    let m = a.max(b);
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// The prior probability of persisting that makes the series' reverting evidences `evidence`
/// most likely (grid 0.01 … 0.99); 0.5 when there is no series.
pub fn persisting_prior(evidence: &[f64]) -> f64 {
    if evidence.is_empty() {
        return 0.5;
    }
    (1..100)
        .map(|i| i as f64 / 100.0)
        .map(|p| (p, evidence.iter().map(|&l| log_mix(p, l)).sum::<f64>()))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0.5, |(p, _)| p)
}

/// The posterior probability that a series' rate departures persist, from the prior `prior`
/// and the series' reverting evidence `evidence` (a log Bayes factor).
pub fn persisting_probability(prior: f64, evidence: f64) -> f64 {
    let logit = (prior / (1.0 - prior)).ln() - evidence;
    1.0 / (1.0 + (-logit).exp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    /// The Bayes factor by brute force: both marginal likelihoods with the scale integrated out
    /// numerically (prior 1/σ), the covariance inverted and its determinant taken by hand.
    fn brute_force(c: &[f64]) -> f64 {
        let k = c.len();
        // T⁻¹ for tridiag(−1, 2, −1): (T⁻¹)ᵢⱼ = min(i,j)·(k + 1 − max(i,j)) / (k + 1), 1-based.
        let inv = |i: usize, j: usize| {
            let (a, b) = ((i.min(j) + 1) as f64, (i.max(j) + 1) as f64);
            a * (k as f64 + 1.0 - b) / (k as f64 + 1.0)
        };
        let q1: f64 = (0..k)
            .flat_map(|i| (0..k).map(move |j| (i, j)))
            .map(|(i, j)| c[i] * inv(i, j) * c[j])
            .sum();
        let q0: f64 = c.iter().map(|x| x * x).sum();
        let marginal = |q: f64, det: f64| {
            // ∫ σ^(−k) det^(−½) exp(−q/(2σ²)) dσ/σ on a log grid of σ.
            (0..40_000)
                .map(|i| (-12.0 + 24.0 * i as f64 / 40_000.0).exp())
                .map(|s: f64| s.powi(-(k as i32)) * det.powf(-0.5) * (-q / (2.0 * s * s)).exp())
                .sum::<f64>()
        };
        (marginal(q1, k as f64 + 1.0) / marginal(q0, 1.0)).ln()
    }

    #[test]
    fn the_evidence_matches_the_integrated_likelihoods() {
        for c in [
            vec![0.01, -0.012],
            vec![0.03, -0.02, 0.025, -0.03],
            vec![0.01, 0.012, 0.008, 0.011, 0.009],
            vec![-0.2, 0.05, 0.1, -0.3, 0.2, 0.0],
        ] {
            assert_relative_eq!(reverting_evidence(&c), brute_force(&c), epsilon = 1e-6);
        }
    }

    #[test]
    fn alternating_changes_revert_and_steady_ones_persist() {
        assert!(reverting_evidence(&[0.05, -0.05, 0.05, -0.05, 0.05, -0.05]) > 2.0);
        assert!(reverting_evidence(&[0.01, 0.01, 0.01, 0.01, 0.01, 0.01]) < -2.0);
        assert_eq!(reverting_evidence(&[0.3]), 0.0);
        assert_eq!(reverting_evidence(&[0.0, 0.0, 0.0]), 0.0);
        assert_relative_eq!(persisting_probability(0.65, 0.0), 0.65, epsilon = 1e-12);
        // Bayes' rule on the odds: 0.5 prior, factor e² for reverting.
        assert_relative_eq!(
            persisting_probability(0.5, 2.0),
            1.0 / (1.0 + 2f64.exp()),
            epsilon = 1e-12
        );
    }

    #[test]
    fn the_prior_is_the_share_of_a_known_mixture() {
        // 70 series certainly persisting (evidence −30), 30 certainly reverting (+30).
        let ev: Vec<f64> = (0..100)
            .map(|i| if i < 70 { -30.0 } else { 30.0 })
            .collect();
        assert_relative_eq!(persisting_prior(&ev), 0.7, epsilon = 1e-12);
        assert_eq!(persisting_prior(&[]), 0.5);
    }
}
