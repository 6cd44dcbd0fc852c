//! The numbers of a fit: covariance and correlation of the parameters, Wald intervals, fitted
//! values and residuals, R², the log-likelihood and the information criteria.

use super::result::{t_quantile, ObservedPoint, Parameter, Solution};
use super::ErrorModel;
use crate::model::Model;
use crate::series::Series;
use crate::solve::{spd_inverse, Side};

/// Log-likelihood and information criteria (R's `logLik.nls` convention: the residual
/// variance counts as a parameter).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Criteria {
    pub log_likelihood: f64,
    pub aic: f64,
    /// NaN when `n − k − 2 ≤ 0`.
    pub aicc: f64,
    pub bic: f64,
}

/// Everything [`super::Fit`] holds that is computed from the solution.
#[derive(Debug)]
pub(crate) struct Statistics {
    pub params: Vec<Parameter>,
    /// Full matrix; fixed rows and columns zero; NaN when the Jacobian is singular.
    pub covariance: Vec<Vec<f64>>,
    pub correlation: Vec<Vec<f64>>,
    /// `true` when `JᵀWJ` could not be inverted.
    pub singular: bool,
    pub rss: f64,
    /// Residual variance `rss / dof` (NaN without degrees of freedom).
    pub s2: f64,
    pub dof: usize,
    pub n_binding: usize,
    pub observations: Vec<ObservedPoint>,
    pub r_squared: f64,
    pub criteria: Criteria,
}

impl Statistics {
    pub(crate) fn new(
        series: &Series,
        model: &dyn Model,
        error_model: ErrorModel,
        level: f64,
        s: &Solution,
    ) -> Self {
        let nf = s.free.len();
        let n_binding = s.out.n_active;
        let dof = n_binding.saturating_sub(nf);
        let rss = s.out.rss;
        let s2 = if dof > 0 { rss / dof as f64 } else { f64::NAN };
        let (covariance, singular) = covariance(s, model.params().len(), s2);
        let q = t_quantile(0.5 + level / 2.0, dof);
        let params = parameters(series, model, s, &covariance, q);
        let correlation = correlation(&covariance);
        let log = error_model == ErrorModel::Multiplicative;
        let (observations, sums) = observed(series, model, s, log);
        let criteria = criteria(n_binding as f64, nf as f64, rss, sums.sum_log_w);
        Statistics {
            params,
            covariance,
            correlation,
            singular,
            rss,
            s2,
            dof,
            n_binding,
            observations,
            r_squared: 1.0 - rss / sums.tss,
            criteria,
        }
    }
}

/// The covariance of the free parameters, `s² (JᵀWJ)⁻¹`, embedded in the full matrix; NaN
/// for the free parameters when `JᵀWJ` is singular (then `true`).
fn covariance(s: &Solution, np: usize, s2: f64) -> (Vec<Vec<f64>>, bool) {
    let nf = s.free.len();
    let mut cov = vec![vec![0.0; np]; np];
    match spd_inverse(&s.out.jtj, nf) {
        Some(c) => {
            for (a, &i) in s.free.iter().enumerate() {
                for (b, &j) in s.free.iter().enumerate() {
                    cov[i][j] = c[a * nf + b] * s2;
                }
            }
            (cov, false)
        }
        None => {
            for &i in &s.free {
                for &j in &s.free {
                    cov[i][j] = f64::NAN;
                }
            }
            (cov, true)
        }
    }
}

/// The Wald interval of a parameter (`q` the t quantile at the fit's level, `std_error` its
/// standard error), kept to values the parameter can take: for a ceiling with a positive
/// estimate it is made on the log scale, `K·exp(±q·SE/K)` (the delta method for `ln K`, never at
/// or below zero), otherwise `estimate ± q·SE`; either is then cut to the bounds `(lower,
/// upper)` the fit kept to (a rate's default lower bound 0); NaN ends when the standard error
/// is NaN. The textbook interval,
/// `estimate ± q·SE` whatever it holds, is [`Parameter::wald_lower`]/[`Parameter::wald_upper`].
///
/// ```
/// use growthcast::fit::wald_interval;
/// use growthcast::Role;
/// // A ceiling of 5,060 with a standard error of 17,567 (chick 1's logistic): never negative.
/// let (lo, hi) = wald_interval(5060.0, 17567.0, 2.262, Role::Ceiling, (f64::NEG_INFINITY, f64::INFINITY));
/// assert!(lo > 0.0 && lo < 5060.0 && hi > 5060.0);
/// // A rate kept to r ≥ 0 by the fit.
/// assert_eq!(wald_interval(0.01, 0.02, 2.0, Role::Rate, (0.0, f64::INFINITY)), (0.0, 0.05));
/// // No standard error, no interval.
/// assert!(wald_interval(0.01, f64::NAN, 2.0, Role::Rate, (0.0, f64::INFINITY)).0.is_nan());
/// ```
pub fn wald_interval(
    estimate: f64,
    std_error: f64,
    q: f64,
    role: crate::model::Role,
    (lower, upper): (f64, f64),
) -> (f64, f64) {
    let half = q * std_error;
    if half.is_nan() {
        // No standard error: no interval (not the bounds).
        return (f64::NAN, f64::NAN);
    }
    let (lo, hi) = if role == crate::model::Role::Ceiling && estimate > 0.0 {
        let f = (half / estimate).exp();
        (estimate / f, estimate * f)
    } else {
        (estimate - half, estimate + half)
    };
    (lo.max(lower), hi.min(upper))
}

/// Each parameter with its standard error and Wald interval (`q` the t quantile).
fn parameters(
    series: &Series,
    model: &dyn Model,
    s: &Solution,
    covariance: &[Vec<f64>],
    q: f64,
) -> Vec<Parameter> {
    model
        .params()
        .iter()
        .enumerate()
        .map(|(j, spec)| {
            let est = s.estimates[j];
            let is_fixed = s.fixed[j].is_some();
            let se = if is_fixed {
                0.0
            } else {
                covariance[j][j].sqrt()
            };
            let bounds = (s.lower[j].is_finite() || s.upper[j].is_finite())
                .then_some((s.lower[j], s.upper[j]));
            let (lower, upper) = if is_fixed {
                (est, est)
            } else {
                wald_interval(est, se, q, spec.role, (s.lower[j], s.upper[j]))
            };
            Parameter {
                name: spec.name.to_string(),
                unit: spec.role.unit(series.unit(), series.axis()),
                meaning: spec.meaning.to_string(),
                role: spec.role,
                estimate: est,
                std_error: se,
                lower,
                upper,
                method: super::IntervalMethod::Wald,
                wald_lower: if is_fixed { est } else { est - q * se },
                wald_upper: if is_fixed { est } else { est + q * se },
                fixed: is_fixed,
                bounds,
            }
        })
        .collect()
}

/// The correlation matrix (NaN where a variance is zero or unknown).
fn correlation(covariance: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let np = covariance.len();
    (0..np)
        .map(|i| {
            (0..np)
                .map(|j| {
                    let d = (covariance[i][i] * covariance[j][j]).sqrt();
                    if i == j && d > 0.0 {
                        1.0
                    } else if d > 0.0 {
                        covariance[i][j] / d
                    } else {
                        f64::NAN
                    }
                })
                .collect()
        })
        .collect()
}

/// Sums over the binding observations that R² and the likelihood need.
struct Sums {
    /// Weighted total sum of squares around the weighted mean.
    tss: f64,
    /// `Σ ln w`.
    sum_log_w: f64,
}

/// The observations with fitted values and residuals, and which of them bind.
fn observed(
    series: &Series,
    model: &dyn Model,
    s: &Solution,
    log: bool,
) -> (Vec<ObservedPoint>, Sums) {
    let obs = series.observations();
    let mut observations = Vec::with_capacity(obs.len());
    let (mut sw, mut swy, mut sum_log_w) = (0.0, 0.0, 0.0);
    for (i, o) in obs.iter().enumerate() {
        let f = model.value(o.t, &s.estimates);
        let fr = if log { f.ln() } else { f };
        let r = s.ty[i] - fr;
        let binding = match s.side[i] {
            Side::Both => true,
            Side::Lower => r > 0.0,
            Side::Upper => r < 0.0,
        };
        if binding {
            sw += s.w[i];
            swy += s.w[i] * s.ty[i];
            sum_log_w += s.w[i].ln();
        }
        observations.push(ObservedPoint {
            t: o.t,
            date: o.date.clone(),
            value: o.value,
            kind: o.kind,
            fitted: f,
            residual: r,
            binding,
        });
    }
    let mean = swy / sw;
    let tss: f64 = (0..obs.len())
        .filter(|&i| observations[i].binding)
        .map(|i| s.w[i] * (s.ty[i] - mean).powi(2))
        .sum();
    (observations, Sums { tss, sum_log_w })
}

/// Gaussian log-likelihood of `n` binding points with `k` free parameters, and AIC, AICc, BIC.
fn criteria(n: f64, k: f64, rss: f64, sum_log_w: f64) -> Criteria {
    let log_likelihood =
        -0.5 * n * ((2.0 * std::f64::consts::PI).ln() + 1.0 - n.ln() - sum_log_w / n + rss.ln());
    let aic = -2.0 * log_likelihood + 2.0 * (k + 1.0);
    let aicc = if n - k - 2.0 > 0.0 {
        aic + 2.0 * (k + 1.0) * (k + 2.0) / (n - k - 2.0)
    } else {
        f64::NAN
    };
    let bic = -2.0 * log_likelihood + (k + 1.0) * n.ln();
    Criteria {
        log_likelihood,
        aic,
        aicc,
        bic,
    }
}
