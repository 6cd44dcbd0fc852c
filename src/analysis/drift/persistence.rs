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
//! ([`reverting_evidence`]); a single change says nothing (factor 1). A recommendation reads the
//! changes of the series' departures from its best-describing curve, with the directions the fit
//! could absorb integrated out ([`reverting_evidence_given`]), so that an S-curve's deceleration
//! is not read as a change that persists. The prior probability of persisting is the reference
//! class's, fitted to its series' evidence, read the same way, by maximum marginal likelihood
//! ([`persisting_prior`]; Gapminder: 0.55–0.64); the posterior ([`persisting_probability`])
//! weighs the two accounts in the recommended prediction band.

/// The natural log of the Bayes factor of "rate departures revert" over "they persist" given
/// successive rate changes `changes` (see [`crate::drift`]); `0` (no evidence) with fewer
/// than two changes or when they are all zero.
pub fn reverting_evidence(changes: &[f64]) -> f64 {
    log_factor(changes, &[])
}

/// The restricted log Bayes factor of reverting over persisting for rate changes `c` with the
/// directions `absorbed` (independent columns) integrated out; `0` when fewer than two changes
/// are left, a change is not finite or the changes are all zero.
fn log_factor(c: &[f64], absorbed: &[Vec<f64>]) -> f64 {
    if c.len() < absorbed.len() + 2 || c.iter().any(|x| !x.is_finite()) {
        return 0.0;
    }
    match (
        restricted(c, absorbed, false),
        restricted(c, absorbed, true),
    ) {
        (Some(p), Some(r)) => r - p,
        _ => 0.0,
    }
}

/// [`reverting_evidence`] for a series' log departures from a fitted curve, `departures` at
/// strictly increasing `times`, with what the fit could absorb integrated out: `derivatives`
/// are the curve's log-scale derivatives in its free parameters at the same times (one column
/// per parameter), which would move the departures if the parameters moved (a restricted, or
/// REML, likelihood under each account: the parameters' shift under a flat prior, the scale
/// under a scale-free one). A fit drains what it can explain from its residuals, most of a slow
/// departure that persists, so that read as they are an S-curve's residuals would look as if
/// they revert; read raw, its deceleration would look like a change that persists. Directions
/// the rate changes cannot see (a level, a constant rate: an exponential's parameters) drop
/// out, so an exponential's evidence is [`reverting_evidence`] of the series' raw rate changes.
/// `0` when fewer than two changes are left once the absorbed directions are taken out, or
/// when the changes are all zero.
pub fn reverting_evidence_given(
    times: &[f64],
    departures: &[f64],
    derivatives: &[Vec<f64>],
) -> f64 {
    let c = rate_changes(times, departures);
    let min_gap = times
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    // Keep the columns that add a direction to the ones before them (modified Gram–Schmidt);
    // one the rate changes cannot see is rounding only, about ε·size/gap².
    let mut basis: Vec<Vec<f64>> = Vec::new();
    let mut kept = Vec::new();
    for col in derivatives.iter().filter(|d| d.len() == times.len()) {
        let size = col.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        let x = rate_changes(times, col);
        let v = orthogonal_part(&x, &basis);
        let norm = dot(&v, &v).sqrt();
        if norm.is_finite() && norm > 1e-8 * size / (min_gap * min_gap) {
            basis.push(v.iter().map(|a| a / norm).collect());
            kept.push(x);
        }
    }
    log_factor(&c, &kept)
}

/// The successive changes of the rates of `xs` at strictly increasing `times` (the rates over
/// each interval, `Δx/Δt`).
pub(super) fn rate_changes(times: &[f64], xs: &[f64]) -> Vec<f64> {
    let rates: Vec<f64> = times
        .windows(2)
        .zip(xs.windows(2))
        .map(|(t, x)| (x[1] - x[0]) / (t[1] - t[0]))
        .collect();
    rates.windows(2).map(|w| w[1] - w[0]).collect()
}

/// `v` less its projection on the orthonormal `basis`.
fn orthogonal_part(v: &[f64], basis: &[Vec<f64>]) -> Vec<f64> {
    let mut v = v.to_vec();
    for b in basis {
        let d = dot(&v, b);
        v.iter_mut().zip(b).for_each(|(a, y)| *a -= d * y);
    }
    v
}

/// The restricted log marginal likelihood, up to terms both accounts share, of changes `c`
/// with covariance `s²Σ` (`Σ` the identity, or tridiagonal `T` when `reverting`) and mean in
/// the span of `x`: `−½ln|Σ| − ½ln|XᵀΣ⁻¹X| − (m/2)·ln(residual quadratic form)`, `m` the
/// changes left. `None` when the residual is zero.
fn restricted(c: &[f64], x: &[Vec<f64>], reverting: bool) -> Option<f64> {
    let k = c.len();
    let whiten = |v: &[f64]| {
        if reverting {
            tridiagonal_whiten(v)
        } else {
            v.to_vec()
        }
    };
    let mut log_det_x = 0.0;
    let mut basis: Vec<Vec<f64>> = Vec::new();
    for col in x {
        let v = orthogonal_part(&whiten(col), &basis);
        let norm = dot(&v, &v).sqrt();
        log_det_x += 2.0 * norm.ln();
        basis.push(v.iter().map(|a| a / norm).collect());
    }
    let resid = orthogonal_part(&whiten(c), &basis);
    let q = dot(&resid, &resid);
    if !(q > 0.0 && q.is_finite()) {
        return None;
    }
    let log_det_sigma = if reverting {
        (k as f64 + 1.0).ln()
    } else {
        0.0
    };
    let m = (k - x.len()) as f64;
    Some(-0.5 * log_det_sigma - 0.5 * log_det_x - 0.5 * m * q.ln())
}

/// `L⁻¹v` for `LLᵀ = T`, `T` tridiagonal with 2 on the diagonal and −1 beside it (`L` lower
/// bidiagonal: `l₁₁ = √2`, `lᵢ,ᵢ₋₁ = −1/lᵢ₋₁,ᵢ₋₁`, `lᵢᵢ = √(2 − lᵢ,ᵢ₋₁²)`), so that
/// `|L⁻¹v|² = vᵀT⁻¹v`.
fn tridiagonal_whiten(v: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(v.len());
    let mut prev_diag = 0.0f64;
    for (i, &x) in v.iter().enumerate() {
        let (sub, diag) = if i == 0 {
            (0.0, 2f64.sqrt())
        } else {
            let sub = -1.0 / prev_diag;
            (sub, (2.0 - sub * sub).sqrt())
        };
        let z = if i == 0 {
            x / diag
        } else {
            (x - sub * out[i - 1]) / diag
        };
        out.push(z);
        prev_diag = diag;
    }
    out
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
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

    /// The restricted Bayes factor by brute force, with one absorbed direction `x` of the rate
    /// changes `c`: `∫∫ N(c; δx, σ²Σ) dδ dσ/σ` on a grid of `asinh(100δ)` and `ln σ` under each account,
    /// `Σ⁻¹` written out by hand.
    fn brute_force_given(c: &[f64], x: &[f64]) -> f64 {
        let k = c.len();
        let inv_t = |i: usize, j: usize| {
            let (a, b) = ((i.min(j) + 1) as f64, (i.max(j) + 1) as f64);
            a * (k as f64 + 1.0 - b) / (k as f64 + 1.0)
        };
        let marginal = |reverting: bool| {
            let inv = |i: usize, j: usize| match (reverting, i == j) {
                (true, _) => inv_t(i, j),
                (false, true) => 1.0,
                (false, false) => 0.0,
            };
            let det = if reverting { k as f64 + 1.0 } else { 1.0 };
            let mut total = 0.0;
            // δ = 0.01·sinh(u): fine near 0, reaching ±15 for the Student-t tails.
            for a in 0..4000 {
                let u = -8.0 + 16.0 * (a as f64 + 0.5) / 4000.0;
                let (delta, jacobian) = (0.01 * u.sinh(), 0.01 * u.cosh());
                let e: Vec<f64> = c.iter().zip(x).map(|(c, x)| c - delta * x).collect();
                let q: f64 = (0..k)
                    .flat_map(|i| (0..k).map(move |j| (i, j)))
                    .map(|(i, j)| e[i] * inv(i, j) * e[j])
                    .sum();
                for b in 0..1200 {
                    let s = (-9.0 + 9.0 * b as f64 / 1200.0).exp();
                    total += jacobian
                        * s.powi(-(k as i32))
                        * det.powf(-0.5)
                        * (-q / (2.0 * s * s)).exp();
                }
            }
            total
        };
        (marginal(true) / marginal(false)).ln()
    }

    #[test]
    fn the_restricted_evidence_matches_the_integrated_likelihoods() {
        // Departures at yearly times and one absorbed direction, the curve's derivative t²
        // (its rate changes are 2 at every step), plus a level and a rate, which drop out.
        let times: Vec<f64> = (0..7).map(|i| i as f64).collect();
        let deps = [0.0, 0.02, -0.01, 0.03, 0.01, 0.05, 0.02];
        let square: Vec<f64> = times.iter().map(|t| t * t).collect();
        let level = vec![1.0; 7];
        let got = reverting_evidence_given(&times, &deps, &[level, times.clone(), square.clone()]);
        let c = rate_changes(&times, &deps);
        let x = rate_changes(&times, &square);
        assert_relative_eq!(got, brute_force_given(&c, &x), epsilon = 1e-4);
        // Nothing absorbed that the changes can see: the raw evidence.
        let exp_like = [vec![0.5; 7], times.iter().map(|t| 0.5 * t).collect()];
        assert_relative_eq!(
            reverting_evidence_given(&times, &deps, &exp_like),
            reverting_evidence(&c),
            epsilon = 1e-12
        );
        // Too few changes left: no evidence.
        assert_eq!(
            reverting_evidence_given(&times[..4], &deps[..4], &[square[..4].to_vec()]),
            0.0
        );
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
