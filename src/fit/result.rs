//! The fit result: estimates, uncertainty, goodness of fit and honest warnings.

use std::fmt;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::diagnostics;
use super::statistics::Statistics;
use super::{ErrorModel, Termination};
use crate::axis::TimeAxis;
use crate::model::{Model, Role};
use crate::series::{Kind, Series};
use crate::solve::{Outcome, Side};

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
    /// The settings the solver ran with (refits use them too).
    pub settings: crate::solve::LmSettings,
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
    /// Lower end of the interval at the fit's level, made by `method` (−∞ where the data set no
    /// lower bound: JSON `null`).
    pub lower: f64,
    /// Upper end (+∞ where the data set no upper bound: JSON `null`).
    pub upper: f64,
    /// How `lower` and `upper` were made: [`IntervalMethod::Profile`] by default.
    pub method: IntervalMethod,
    /// Lower end of the Wald interval (estimate − t·SE), for comparison.
    pub wald_lower: f64,
    /// Upper end of the Wald interval (estimate + t·SE).
    pub wald_upper: f64,
    /// `true` when the parameter was held fixed.
    pub fixed: bool,
    /// Bounds kept to, if any: the user's, or a rate's default lower bound 0.
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
    /// The first start stopped at a degenerate point; the fit is the best of other starts.
    Restarted,
    /// The data reveal that the model misses their shape: another model fits much better, the
    /// residuals run in long stretches of one sign, or their SD is far above a more flexible
    /// model's ([`crate::trust`]).
    Misspecified,
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

/// How an interval was made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// Estimate ± t·SE with a Wald standard error (a parameter's, or a log-linear regression's).
    Wald,
    /// Profile likelihood: the values where the refitted sum of squares stays within the
    /// Student-t threshold (R's `confint` on `nls`); one-sided where the data set no bound.
    /// The default for parameters.
    #[default]
    Profile,
    /// Estimate ± t·SE with a delta-method standard error: symmetric, and it may leave the range
    /// the quantity can take.
    Delta,
    /// The profile-likelihood interval of the parameter it is a monotone function of, mapped
    /// through that function: it stays inside the quantity's range (an annual growth rate above
    /// −100%, a doubling time above 0 and without an upper end when the rate's interval reaches 0).
    Transformed,
    /// Percentiles of a calibrated parametric bootstrap (see [`crate::fit::bootstrap`]): every
    /// draw is a curve of the model, so the interval keeps the model's shape and range.
    Bootstrap,
    /// The hull of several models' bands (a recommended projection across the plausible
    /// models, [`crate::recommend`]).
    Envelope,
}

impl IntervalMethod {
    /// A short phrase for reports ("profile likelihood").
    pub fn describe(self) -> &'static str {
        match self {
            IntervalMethod::Wald => "Wald",
            IntervalMethod::Profile => "profile likelihood",
            IntervalMethod::Delta => "delta method",
            IntervalMethod::Transformed => "from the parameter's profile interval",
            IntervalMethod::Bootstrap => "bootstrap",
            IntervalMethod::Envelope => "hull of the plausible models' bands",
        }
    }
}

/// A fitted growth model.
///
/// Serialises to JSON with serde (everything but the model object itself, which is described by
/// `model` and `formula`); `Display` prints a report in the style of lmfit's `fit_report`.
#[derive(Clone, Debug, Serialize)]
pub struct Fit {
    /// Series name.
    pub(crate) series: String,
    /// Unit of the series values.
    pub(crate) unit: String,
    /// The series' time axis: what `t` counts and how it is printed.
    pub(crate) axis: TimeAxis,
    /// Model name.
    pub(crate) model: String,
    /// The fitter's label (the model name, with fixed values if any, or a label given with
    /// [`crate::Fitter::label`]).
    pub(crate) label: String,
    /// Formula with the reference time filled in.
    pub(crate) formula: String,
    /// Error model used.
    pub(crate) error_model: ErrorModel,
    /// Confidence level of the intervals.
    pub(crate) level: f64,
    /// Parameters in the model's order.
    pub(crate) params: Vec<Parameter>,
    /// Covariance of all parameters (rows and columns of fixed ones are zero; NaN when unknown).
    pub(crate) covariance: Vec<Vec<f64>>,
    /// Correlation matrix (NaN where undefined).
    pub(crate) correlation: Vec<Vec<f64>>,
    /// Weighted residual sum of squares, in the space of the residuals.
    pub(crate) rss: f64,
    /// Residual standard deviation `sqrt(rss / dof)`.
    pub(crate) residual_sd: f64,
    /// Residual degrees of freedom: binding observations minus free parameters.
    pub(crate) dof: usize,
    /// Number of observations in the series.
    pub(crate) n_points: usize,
    /// Observations that enter the objective at the optimum.
    pub(crate) n_binding: usize,
    /// Number of free parameters.
    pub(crate) n_free: usize,
    /// Coefficient of determination in the space of the residuals (binding points).
    pub(crate) r_squared: f64,
    /// Gaussian log-likelihood in the space of the residuals (R's `logLik.nls` convention).
    pub(crate) log_likelihood: f64,
    /// Akaike information criterion, counting the residual variance as a parameter.
    pub(crate) aic: f64,
    /// AIC with the small-sample correction (NaN when `n − k − 2 ≤ 0`).
    pub(crate) aicc: f64,
    /// Bayesian information criterion.
    pub(crate) bic: f64,
    /// Why the solver stopped.
    pub(crate) termination: Termination,
    /// Trial steps taken.
    pub(crate) iterations: usize,
    /// Passes over the data (model and Jacobian evaluated together).
    pub(crate) evaluations: usize,
    /// The lack-of-fit F test when the series has replicates (JSON `null` otherwise).
    pub(crate) lack_of_fit: Option<super::LackOfFit>,
    /// Cautions: parameters the data do not identify, and so on.
    pub(crate) warnings: Vec<Warning>,
    /// The observations with fitted values.
    pub(crate) observations: Vec<ObservedPoint>,
    #[serde(skip)]
    pub(crate) model_obj: Box<dyn Model>,
    #[serde(skip)]
    pub(crate) free: Vec<usize>,
    /// The data and constraints, for refits (profiles, bootstrap).
    #[serde(skip)]
    pub(crate) refit_data: super::refit::RefitData,
    /// The bootstrap draws, made on first use.
    #[serde(skip)]
    pub(crate) draws: std::sync::OnceLock<super::bootstrap::Draws>,
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

    /// The series' time axis (calendar dates or numbers in a unit).
    pub fn axis(&self) -> &TimeAxis {
        &self.axis
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

    /// The lack-of-fit F test of the curve against the replicates' scatter (pure error), with
    /// its degrees of freedom; `None` when the series has no replicates (no two observations at
    /// one time), no more distinct times than free parameters, a bound among its observations,
    /// or replicates that agree exactly. See [`super::LackOfFit`].
    pub fn lack_of_fit(&self) -> Option<&super::LackOfFit> {
        self.lack_of_fit.as_ref()
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
    /// Builds the result from the solver's solution: the statistics
    /// ([`super::statistics`]), then the cautions ([`super::diagnostics`]).
    pub(crate) fn new(
        series: &Series,
        model: Box<dyn Model>,
        error_model: ErrorModel,
        level: f64,
        s: Solution,
    ) -> Self {
        let st = Statistics::new(series, model.as_ref(), error_model, level, &s);
        let warnings = diagnostics::warnings(series, model.as_ref(), &s, &st);
        let log = error_model == ErrorModel::Multiplicative;
        let t = series.times();
        let lack_of_fit = super::LackOfFit::new(&t, &s.ty, &s.w, &s.side, st.rss, s.free.len());
        let refit_data = super::refit::RefitData::of(t, &s, log, s.settings);
        Fit {
            series: series.name().to_string(),
            unit: series.unit().to_string(),
            axis: series.axis().clone(),
            model: model.name().to_string(),
            label: model.name().to_string(),
            formula: model.formula(),
            error_model,
            level,
            params: st.params,
            covariance: st.covariance,
            correlation: st.correlation,
            rss: st.rss,
            residual_sd: st.s2.sqrt(),
            dof: st.dof,
            n_points: series.len(),
            n_binding: st.n_binding,
            n_free: s.free.len(),
            r_squared: st.r_squared,
            log_likelihood: st.criteria.log_likelihood,
            aic: st.criteria.aic,
            aicc: st.criteria.aicc,
            bic: st.criteria.bic,
            termination: s.out.termination,
            iterations: s.out.iterations,
            evaluations: s.out.evaluations,
            lack_of_fit,
            warnings,
            observations: st.observations,
            model_obj: model,
            free: s.free,
            refit_data,
            draws: std::sync::OnceLock::new(),
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

    /// `true` when the fit has none of these warnings: a free parameter not identified (its
    /// standard error above its estimate, or a singular Jacobian), a ceiling far beyond the data
    /// or data ending before the inflection, no degrees of freedom left. That is all it means:
    /// every parameter is determined by the data *under this model*. It does not say the model
    /// is right, nor that the bands hold the truth (a logistic fitted to Gompertz data is
    /// identified): for that, see the verdict of [`crate::compare::Comparison::trust`].
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

    /// Delta-method standard error `sqrt(gᵀ C g)` over the free parameters, for the gradient `g`
    /// of a quantity with respect to all parameters; NaN when the covariance is unknown.
    pub(crate) fn delta_std_error(&self, g: &[f64]) -> f64 {
        let mut var = 0.0;
        for &i in &self.free {
            for &j in &self.free {
                var += g[i] * self.covariance[i][j] * g[j];
            }
        }
        // NaN (no covariance) must stay NaN: f64::max would turn it into 0.
        if var.is_nan() {
            f64::NAN
        } else {
            var.max(0.0).sqrt()
        }
    }

    /// Student-t quantile for a two-sided interval at `level` with the fit's degrees of freedom.
    pub fn t_quantile(&self, level: f64) -> f64 {
        t_quantile(0.5 + level / 2.0, self.dof)
    }
}
