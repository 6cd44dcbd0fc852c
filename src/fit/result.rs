//! The fit result: estimates, uncertainty, goodness of fit and honest warnings.

use std::fmt;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::solve::{Outcome, Side};
use super::{spd_inverse, ErrorModel, Termination};
use crate::model::{Model, Role};
use crate::series::{Kind, Series};
use crate::time::format_date;

/// Everything the solver produced, handed to [`Fit::new`].
pub(crate) struct Solution {
    pub estimates: Vec<f64>,
    pub fixed: Vec<Option<f64>>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub free: Vec<usize>,
    pub out: Outcome,
    /// Targets in the residual space.
    pub ty: Vec<f64>,
    pub side: Vec<Side>,
    pub w: Vec<f64>,
}

/// One parameter's estimate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Parameter {
    /// Name (`"K"`).
    pub name: String,
    /// Unit, from the parameter's role and the series unit.
    pub unit: String,
    /// Meaning, for reports.
    pub meaning: String,
    /// Role (level, ceiling, rate, time, …).
    pub role: Role,
    /// Estimate (the fixed value for a fixed parameter).
    pub estimate: f64,
    /// Standard error (0 for a fixed parameter, NaN when it cannot be estimated).
    pub std_error: f64,
    /// Lower end of the Wald interval at the fit's level (estimate − t·SE).
    pub lower: f64,
    /// Upper end of the Wald interval.
    pub upper: f64,
    /// `true` when the parameter was held fixed.
    pub fixed: bool,
    /// Bounds given by the user, if any.
    pub bounds: Option<(f64, f64)>,
}

/// What kind of caution a [`Warning`] carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// The data do not determine a parameter (standard error above the estimate, or a singular
    /// Jacobian).
    NotIdentified,
    /// The fitted ceiling lies far beyond the data, or the data end before the inflection.
    CeilingBeyondData,
    /// As many binding observations as free parameters: no residual degrees of freedom, so no
    /// uncertainty can be estimated.
    NoDegreesOfFreedom,
    /// A parameter ended on one of its bounds.
    AtBound,
    /// Two parameters are almost perfectly correlated.
    HighCorrelation,
    /// A projection reaches further past the data than the data span.
    LongHorizon,
    /// Under multiplicative errors the curve is zero or negative at some projected time, where
    /// its logarithm (and so its band) is undefined.
    NotPositive,
    /// The solver stopped because floating point allowed no further progress.
    Stalled,
}

/// A caution attached to a fit or projection, in plain words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    /// What kind.
    pub kind: WarningKind,
    /// The parameter concerned, if one.
    pub parameter: Option<String>,
    /// The sentence.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// An observation with the fitted value next to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObservedPoint {
    /// Decimal year.
    pub t: f64,
    /// Date as given.
    pub date: String,
    /// Observed value.
    pub value: f64,
    /// Observation kind.
    pub kind: Kind,
    /// Fitted value.
    pub fitted: f64,
    /// Residual in the fit's space (`y − f` or `ln y − ln f`).
    pub residual: f64,
    /// Whether the point enters the objective at the optimum (always for two-sided points; for
    /// a bound, only when the curve violates it).
    pub binding: bool,
}

/// A derived quantity with its delta-method uncertainty.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// Point estimate.
    pub value: f64,
    /// Standard error by the delta method (NaN when the covariance is unknown).
    pub std_error: f64,
    /// Lower end of the interval at the fit's level.
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
}

/// The quantities derived from a fit's parameters, each with its interval at the fit's level;
/// a quantity the model does not have (the inflection of an exponential) is left out of the JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Derived {
    /// Annual growth rate `e^r − 1` ([`Fit::annual_growth_rate`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annual_growth_rate: Option<Estimate>,
    /// Doubling time in years ([`Fit::doubling_time`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doubling_time: Option<Estimate>,
    /// Inflection time, a decimal year ([`Fit::inflection_time`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inflection_time: Option<Estimate>,
    /// Level at the inflection ([`Fit::inflection_level`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inflection_level: Option<Estimate>,
}

/// A fitted growth model.
///
/// Serialises to JSON with serde (everything but the model object itself, which is described by
/// `model` and `formula`); `Display` prints a report in the style of lmfit's `fit_report`.
#[derive(Clone, Debug, Serialize)]
pub struct Fit {
    /// Series name.
    pub series: String,
    /// Unit of the series values.
    pub unit: String,
    /// Model name.
    pub model: String,
    /// The fitter's label (the model name, with fixed values if any, or a label given with
    /// [`crate::Fitter::label`]).
    pub label: String,
    /// Formula with the reference time filled in.
    pub formula: String,
    /// Error model used.
    pub error_model: ErrorModel,
    /// Confidence level of the intervals.
    pub level: f64,
    /// Parameters in the model's order.
    pub params: Vec<Parameter>,
    /// Covariance of all parameters (rows and columns of fixed ones are zero; NaN when unknown).
    pub covariance: Vec<Vec<f64>>,
    /// Correlation matrix (NaN where undefined).
    pub correlation: Vec<Vec<f64>>,
    /// Weighted residual sum of squares, in the space of the residuals.
    pub rss: f64,
    /// Residual standard deviation `sqrt(rss / dof)`.
    pub residual_sd: f64,
    /// Residual degrees of freedom: binding observations minus free parameters.
    pub dof: usize,
    /// Number of observations in the series.
    pub n_points: usize,
    /// Observations that enter the objective at the optimum.
    pub n_binding: usize,
    /// Number of free parameters.
    pub n_free: usize,
    /// Coefficient of determination in the space of the residuals (binding points).
    pub r_squared: f64,
    /// Gaussian log-likelihood in the space of the residuals (R's `logLik.nls` convention).
    pub log_likelihood: f64,
    /// Akaike information criterion, counting the residual variance as a parameter.
    pub aic: f64,
    /// AIC with the small-sample correction (NaN when `n − k − 2 ≤ 0`).
    pub aicc: f64,
    /// Bayesian information criterion.
    pub bic: f64,
    /// Why the solver stopped.
    pub termination: Termination,
    /// Trial steps taken.
    pub iterations: usize,
    /// Passes over the data (model and Jacobian evaluated together).
    pub evaluations: usize,
    /// Cautions: parameters the data do not identify, and so on.
    pub warnings: Vec<Warning>,
    /// The observations with fitted values.
    pub observations: Vec<ObservedPoint>,
    #[serde(skip)]
    pub(crate) model_obj: Box<dyn Model>,
    #[serde(skip)]
    pub(crate) free: Vec<usize>,
}

/// Read access to everything a fit holds (the JSON of a [`Fit`] has the same names).
impl Fit {
    /// Series name.
    pub fn series(&self) -> &str {
        &self.series
    }

    /// Unit of the series values.
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// Model name.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The fitter's label (the model name, with fixed values if any, or a label given with [`crate::Fitter::label`]).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Formula with the reference time filled in.
    pub fn formula(&self) -> &str {
        &self.formula
    }

    /// Error model used.
    pub fn error_model(&self) -> ErrorModel {
        self.error_model
    }

    /// Confidence level of the intervals.
    pub fn level(&self) -> f64 {
        self.level
    }

    /// Parameters in the model's order.
    pub fn params(&self) -> &[Parameter] {
        &self.params
    }

    /// Covariance of all parameters (rows and columns of fixed ones are zero; NaN when unknown).
    pub fn covariance(&self) -> &[Vec<f64>] {
        &self.covariance
    }

    /// Correlation matrix (NaN where undefined).
    pub fn correlation(&self) -> &[Vec<f64>] {
        &self.correlation
    }

    /// Weighted residual sum of squares, in the space of the residuals.
    pub fn rss(&self) -> f64 {
        self.rss
    }

    /// Residual standard deviation `sqrt(rss / dof)`.
    pub fn residual_sd(&self) -> f64 {
        self.residual_sd
    }

    /// Residual degrees of freedom: binding observations minus free parameters.
    pub fn dof(&self) -> usize {
        self.dof
    }

    /// Number of observations in the series.
    pub fn n_points(&self) -> usize {
        self.n_points
    }

    /// Observations that enter the objective at the optimum.
    pub fn n_binding(&self) -> usize {
        self.n_binding
    }

    /// Number of free parameters.
    pub fn n_free(&self) -> usize {
        self.n_free
    }

    /// Coefficient of determination in the space of the residuals (binding points).
    pub fn r_squared(&self) -> f64 {
        self.r_squared
    }

    /// Gaussian log-likelihood in the space of the residuals (R's `logLik.nls` convention).
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }

    /// Akaike information criterion, counting the residual variance as a parameter.
    pub fn aic(&self) -> f64 {
        self.aic
    }

    /// AIC with the small-sample correction (NaN when `n − k − 2 ≤ 0`).
    pub fn aicc(&self) -> f64 {
        self.aicc
    }

    /// Bayesian information criterion.
    pub fn bic(&self) -> f64 {
        self.bic
    }

    /// Why the solver stopped.
    pub fn termination(&self) -> Termination {
        self.termination
    }

    /// Trial steps taken.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Passes over the data (model and Jacobian evaluated together).
    pub fn evaluations(&self) -> usize {
        self.evaluations
    }

    /// Cautions: parameters the data do not identify, and so on.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The observations with fitted values.
    pub fn observations(&self) -> &[ObservedPoint] {
        &self.observations
    }
}

/// Student-t quantile `t_{dof}(p)`; NaN for zero degrees of freedom.
pub(crate) fn t_quantile(p: f64, dof: usize) -> f64 {
    if dof == 0 {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, dof as f64).map_or(f64::NAN, |d| d.inverse_cdf(p))
}

impl Fit {
    pub(crate) fn new(
        series: &Series,
        model: Box<dyn Model>,
        error_model: ErrorModel,
        level: f64,
        s: Solution,
    ) -> Self {
        let specs = model.params();
        let np = specs.len();
        let nf = s.free.len();
        let n_binding = s.out.n_active;
        let dof = n_binding.saturating_sub(nf);
        let rss = s.out.rss;
        let s2 = if dof > 0 { rss / dof as f64 } else { f64::NAN };
        let log = error_model == ErrorModel::Multiplicative;
        let mut warnings = Vec::new();

        // Covariance of the free parameters, embedded in the full matrix.
        let cov_free = spd_inverse(&s.out.jtj, nf);
        let mut covariance = vec![vec![0.0; np]; np];
        match &cov_free {
            Some(c) => {
                for (a, &i) in s.free.iter().enumerate() {
                    for (b, &j) in s.free.iter().enumerate() {
                        covariance[i][j] = c[a * nf + b] * s2;
                    }
                }
            }
            None => {
                for &i in &s.free {
                    for &j in &s.free {
                        covariance[i][j] = f64::NAN;
                    }
                }
                warnings.push(Warning {
                    kind: WarningKind::NotIdentified,
                    parameter: None,
                    message: "the Jacobian is singular at the optimum: some combination of parameters has no \
                              effect on the fit, so the parameters are not identified by these data"
                        .into(),
                });
            }
        }
        if dof == 0 {
            warnings.push(Warning {
                kind: WarningKind::NoDegreesOfFreedom,
                parameter: None,
                message: format!(
                    "no degrees of freedom left ({n_binding} binding observation(s) for {nf} free parameter(s)): \
                     the curve passes through the data and its uncertainty cannot be estimated"
                ),
            });
        }
        let q = t_quantile(0.5 + level / 2.0, dof);
        let params: Vec<Parameter> = specs
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
                Parameter {
                    name: spec.name.to_string(),
                    unit: spec.role.unit(series.unit()),
                    meaning: spec.meaning.to_string(),
                    role: spec.role,
                    estimate: est,
                    std_error: se,
                    lower: if is_fixed { est } else { est - q * se },
                    upper: if is_fixed { est } else { est + q * se },
                    fixed: is_fixed,
                    bounds,
                }
            })
            .collect();
        let correlation: Vec<Vec<f64>> = (0..np)
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
            .collect();

        // Observations with fitted values.
        let obs = series.observations();
        let mut observations = Vec::with_capacity(obs.len());
        let (mut sw, mut swy, mut sumlogw) = (0.0, 0.0, 0.0);
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
                sumlogw += s.w[i].ln();
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
        let n = n_binding as f64;
        let k = nf as f64;
        let log_likelihood =
            -0.5 * n * ((2.0 * std::f64::consts::PI).ln() + 1.0 - n.ln() - sumlogw / n + rss.ln());
        let aic = -2.0 * log_likelihood + 2.0 * (k + 1.0);
        let aicc = if n - k - 2.0 > 0.0 {
            aic + 2.0 * (k + 1.0) * (k + 2.0) / (n - k - 2.0)
        } else {
            f64::NAN
        };
        let bic = -2.0 * log_likelihood + (k + 1.0) * n.ln();

        // Honesty checks.
        let ymax = obs
            .iter()
            .map(|o| o.value)
            .fold(f64::NEG_INFINITY, f64::max);
        let t_last = obs[obs.len() - 1].t;
        for p in &params {
            if p.fixed {
                continue;
            }
            if p.std_error.is_finite() && p.std_error > p.estimate.abs() {
                warnings.push(Warning {
                    kind: WarningKind::NotIdentified,
                    parameter: Some(p.name.clone()),
                    message: format!(
                        "{} is not identified by these data: its standard error ({:.3e}) exceeds the estimate ({:.3e})",
                        p.name, p.std_error, p.estimate
                    ),
                });
            }
            if let Some((lo, hi)) = p.bounds {
                let tol = 1e-9 * p.estimate.abs().max(1e-12);
                if (p.estimate - lo).abs() <= tol || (p.estimate - hi).abs() <= tol {
                    warnings.push(Warning {
                        kind: WarningKind::AtBound,
                        parameter: Some(p.name.clone()),
                        message: format!(
                            "{} = {:.6e} sits on its bound [{lo}, {hi}]: the data push it further, and its \
                             standard error does not describe that",
                            p.name, p.estimate
                        ),
                    });
                }
            }
            if p.role == Role::Ceiling && p.estimate > 3.0 * ymax {
                warnings.push(Warning {
                    kind: WarningKind::CeilingBeyondData,
                    parameter: Some(p.name.clone()),
                    message: format!(
                        "the ceiling {} = {:.3e} is {:.1} times the largest observation: the data do not show \
                         saturation, so the ceiling is an extrapolation",
                        p.name,
                        p.estimate,
                        p.estimate / ymax
                    ),
                });
            }
        }
        if let (Some((ti, _)), Some(ci)) = (
            model.inflection(&s.estimates),
            params
                .iter()
                .position(|p| p.role == Role::Ceiling && !p.fixed),
        ) {
            let after = obs
                .iter()
                .filter(|o| o.t > ti && !o.kind.is_one_sided())
                .count();
            let message = if ti > t_last {
                Some(format!(
                    "the data end ({}) before the fitted inflection ({}): the ceiling {} is weakly determined",
                    format_date(t_last),
                    format_date(ti),
                    params[ci].name
                ))
            } else if after < 2 {
                Some(format!(
                    "only {after} two-sided observation(s) lie past the fitted inflection ({}): the ceiling {} \
                     rests on too little of the saturating part of the curve to be known",
                    format_date(ti),
                    params[ci].name
                ))
            } else {
                None
            };
            let already = warnings
                .iter()
                .any(|w| w.kind == WarningKind::CeilingBeyondData);
            if let (Some(message), false) = (message, already) {
                warnings.push(Warning {
                    kind: WarningKind::CeilingBeyondData,
                    parameter: Some(params[ci].name.clone()),
                    message,
                });
            }
        }
        for (a, &i) in s.free.iter().enumerate() {
            for &j in &s.free[a + 1..] {
                let c = correlation[i][j];
                if c.abs() > 0.995 {
                    warnings.push(Warning {
                        kind: WarningKind::HighCorrelation,
                        parameter: Some(format!("{},{}", params[i].name, params[j].name)),
                        message: format!(
                            "{} and {} are almost perfectly correlated ({c:.4}): the data fix a combination \
                             of them, not each one",
                            params[i].name, params[j].name
                        ),
                    });
                }
            }
        }
        if s.out.termination == Termination::Stalled {
            warnings.push(Warning {
                kind: WarningKind::Stalled,
                parameter: None,
                message: "the solver stopped because floating point allowed no further progress; the gradient \
                          vanishes there, so the point is taken as the minimum"
                    .into(),
            });
        }

        Fit {
            series: series.name().to_string(),
            unit: series.unit().to_string(),
            model: model.name().to_string(),
            label: model.name().to_string(),
            formula: model.formula(),
            error_model,
            level,
            params,
            covariance,
            correlation,
            rss,
            residual_sd: s2.sqrt(),
            dof,
            n_points: obs.len(),
            n_binding,
            n_free: nf,
            r_squared: 1.0 - rss / tss,
            log_likelihood,
            aic,
            aicc,
            bic,
            termination: s.out.termination,
            iterations: s.out.iterations,
            evaluations: s.out.evaluations,
            warnings,
            observations,
            model_obj: model,
            free: s.free,
        }
    }

    /// The fitted model (with its reference time set).
    pub fn model_object(&self) -> &dyn Model {
        &*self.model_obj
    }

    /// A parameter by name.
    pub fn param(&self, name: &str) -> Option<&Parameter> {
        self.params.iter().find(|p| p.name == name)
    }

    /// All estimates, in the model's order.
    pub fn estimates(&self) -> Vec<f64> {
        self.params.iter().map(|p| p.estimate).collect()
    }

    /// Standard errors, in the model's order.
    pub fn std_errors(&self) -> Vec<f64> {
        self.params.iter().map(|p| p.std_error).collect()
    }

    /// `true` when no warning says a parameter is not identified, the ceiling is an
    /// extrapolation or no degrees of freedom are left: the curve can be read with confidence.
    pub fn is_identified(&self) -> bool {
        !self.warnings.iter().any(|w| {
            matches!(
                w.kind,
                WarningKind::NotIdentified
                    | WarningKind::CeilingBeyondData
                    | WarningKind::NoDegreesOfFreedom
            )
        })
    }

    /// The fitted curve at a decimal year.
    pub fn value_at(&self, t: f64) -> f64 {
        self.model_obj.value(t, &self.estimates())
    }

    /// Residual variance `s²` (NaN without degrees of freedom).
    pub fn residual_variance(&self) -> f64 {
        self.residual_sd * self.residual_sd
    }

    /// Student-t quantile for a two-sided interval at `level` with the fit's degrees of freedom.
    pub fn t_quantile(&self, level: f64) -> f64 {
        t_quantile(0.5 + level / 2.0, self.dof)
    }

    /// Delta-method estimate of any function of the parameters `g(model, p)` at the fit's level,
    /// with a central-difference gradient. `None` when `g` is undefined at the estimates.
    pub fn quantity(&self, g: impl Fn(&dyn Model, &[f64]) -> Option<f64>) -> Option<Estimate> {
        let p = self.estimates();
        let m = self.model_object();
        let value = g(m, &p)?;
        if !value.is_finite() {
            return None;
        }
        let mut grad = vec![0.0; p.len()];
        let mut q = p.clone();
        for &j in &self.free {
            let h = 1e-6 * p[j].abs().max(1e-6);
            q[j] = p[j] + h;
            let up = g(m, &q);
            q[j] = p[j] - h;
            let down = g(m, &q);
            q[j] = p[j];
            grad[j] = match (up, down) {
                (Some(u), Some(d)) => (u - d) / (2.0 * h),
                _ => f64::NAN,
            };
        }
        let mut var = 0.0;
        for &i in &self.free {
            for &j in &self.free {
                var += grad[i] * self.covariance[i][j] * grad[j];
            }
        }
        // NaN (no covariance) must stay NaN: f64::max would turn it into 0.
        let se = if var.is_nan() {
            f64::NAN
        } else {
            var.max(0.0).sqrt()
        };
        let qt = self.t_quantile(self.level);
        Some(Estimate {
            value,
            std_error: se,
            lower: value - qt * se,
            upper: value + qt * se,
        })
    }

    /// Every derived quantity the model has, for JSON and tables.
    pub fn derived(&self) -> Derived {
        Derived {
            annual_growth_rate: self.annual_growth_rate(),
            doubling_time: self.doubling_time(),
            inflection_time: self.inflection_time(),
            inflection_level: self.inflection_level(),
        }
    }

    /// Annual growth rate `e^r − 1` of the model's intrinsic rate (the constant rate of an
    /// exponential, the early-phase rate of a logistic or Gompertz curve).
    pub fn annual_growth_rate(&self) -> Option<Estimate> {
        self.quantity(|m, p| m.intrinsic_rate(p).map(f64::exp_m1))
    }

    /// Doubling time `ln 2 / r` in years, for a positive intrinsic rate.
    pub fn doubling_time(&self) -> Option<Estimate> {
        self.quantity(|m, p| {
            m.intrinsic_rate(p)
                .filter(|r| *r > 0.0)
                .map(|r| std::f64::consts::LN_2 / r)
        })
    }

    /// Inflection time (decimal year), for S-curves.
    pub fn inflection_time(&self) -> Option<Estimate> {
        self.quantity(|m, p| m.inflection(p).map(|(t, _)| t))
    }

    /// Level at the inflection, for S-curves.
    pub fn inflection_level(&self) -> Option<Estimate> {
        self.quantity(|m, p| m.inflection(p).map(|(_, y)| y))
    }

    /// The time (decimal year) at which the fitted curve reaches `level`, with its delta-method
    /// interval; `None` if the curve never gets there.
    pub fn time_to_reach(&self, level: f64) -> Option<Estimate> {
        self.quantity(|m, p| m.time_to_reach(p, level))
    }
}

fn fmt_num(v: f64) -> String {
    if v.is_nan() {
        "n/a".into()
    } else if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 1e-3) {
        format!("{v:.5e}")
    } else {
        format!("{v:.6}")
    }
}

impl fmt::Display for Fit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = (self.level * 100.0).round();
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.unit)
        };
        writeln!(f, "[[Fit]] {} model of `{}`{unit}", self.model, self.series)?;
        writeln!(f, "    formula            = {}", self.formula)?;
        writeln!(
            f,
            "    error model        = {}",
            self.error_model.describe()
        )?;
        writeln!(f, "    termination        = {}", self.termination)?;
        writeln!(
            f,
            "    iterations         = {} ({} evaluations)",
            self.iterations, self.evaluations
        )?;
        writeln!(
            f,
            "    data points        = {} ({} binding in the fit)",
            self.n_points, self.n_binding
        )?;
        writeln!(f, "    free parameters    = {}", self.n_free)?;
        writeln!(f, "    degrees of freedom = {}", self.dof)?;
        writeln!(f, "[[Statistics]]")?;
        writeln!(f, "    RSS                = {}", fmt_num(self.rss))?;
        writeln!(f, "    residual SD        = {}", fmt_num(self.residual_sd))?;
        writeln!(f, "    R-squared          = {}", fmt_num(self.r_squared))?;
        writeln!(
            f,
            "    AIC / AICc / BIC   = {} / {} / {}",
            fmt_num(self.aic),
            fmt_num(self.aicc),
            fmt_num(self.bic)
        )?;
        writeln!(
            f,
            "[[Parameters]] (estimate ± standard error, {pct}% interval)"
        )?;
        for p in &self.params {
            if p.fixed {
                writeln!(
                    f,
                    "    {:<4} = {} (fixed) {}  [{}]",
                    p.name,
                    fmt_num(p.estimate),
                    p.unit,
                    p.meaning
                )?;
            } else {
                let rel = if p.estimate != 0.0 && p.std_error.is_finite() {
                    format!(" ({:.2}%)", 100.0 * p.std_error / p.estimate.abs())
                } else {
                    String::new()
                };
                writeln!(
                    f,
                    "    {:<4} = {} ± {}{rel}  [{}, {}] {}  [{}]",
                    p.name,
                    fmt_num(p.estimate),
                    fmt_num(p.std_error),
                    fmt_num(p.lower),
                    fmt_num(p.upper),
                    p.unit,
                    p.meaning
                )?;
            }
        }
        let mut corr = Vec::new();
        for (a, &i) in self.free.iter().enumerate() {
            for &j in &self.free[a + 1..] {
                let c = self.correlation[i][j];
                if c.abs() > 0.1 {
                    corr.push(format!(
                        "    C({}, {}) = {c:+.4}",
                        self.params[i].name, self.params[j].name
                    ));
                }
            }
        }
        if !corr.is_empty() {
            writeln!(f, "[[Correlations]] (|C| > 0.1)")?;
            for c in corr {
                writeln!(f, "{c}")?;
            }
        }
        let mut derived = Vec::new();
        let show = |e: Estimate, scale: f64, suffix: &str| {
            if e.std_error.is_finite() {
                format!(
                    "{:.4}{suffix} ± {:.4}{suffix}  [{:.4}, {:.4}]",
                    e.value * scale,
                    e.std_error * scale,
                    e.lower * scale,
                    e.upper * scale
                )
            } else {
                format!("{:.4}{suffix}", e.value * scale)
            }
        };
        if let Some(e) = self.annual_growth_rate() {
            derived.push(format!(
                "    annual growth rate (e^r - 1) = {}",
                show(e, 100.0, "%")
            ));
        }
        if let Some(e) = self.doubling_time() {
            derived.push(format!(
                "    doubling time      = {} years",
                show(e, 1.0, "")
            ));
        }
        if let (Some(t), Some(l)) = (self.inflection_time(), self.inflection_level()) {
            derived.push(format!(
                "    inflection         = {} ({}) at level {}",
                format_date(t.value),
                show(t, 1.0, ""),
                fmt_num(l.value)
            ));
        }
        if !derived.is_empty() {
            writeln!(f, "[[Derived]]")?;
            for d in derived {
                writeln!(f, "{d}")?;
            }
        }
        if !self.warnings.is_empty() {
            writeln!(f, "[[Warnings]]")?;
            for w in &self.warnings {
                writeln!(f, "    - {w}")?;
            }
        }
        Ok(())
    }
}
