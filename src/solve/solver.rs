//! The lean hot path: a reusable [`Solver`] that fits a model to times and values already in
//! memory and returns a [`LeanFit`] (parameters, RSS, iterations, termination), without the
//! covariance, statistics and report that [`crate::Fitter::fit`] builds.
//!
//! It runs the same LM loop as the [`crate::Fitter`] (`lm::lm_core`) with the lean inner loop:
//! every parameter free, unit weights, two-sided residuals. It takes the same configuration,
//! [`FitOptions`], and keeps to the same bounds (rates at or above 0 unless
//! [`FitOptions::allow_decline`]). A fit allocates nothing under the
//! additive error model; under the multiplicative one it reuses the solver's buffer for `ln y`,
//! which grows only when a longer series arrives.

use serde::Serialize;

use super::linalg::{cholesky, cholesky_solve};
use super::lm::{lm_core, Core};
use super::problem::Dense;
use super::settings::LmSettings;
use super::termination::Termination;
use crate::error::{Error, Result};
use crate::fit::{Bounds, ErrorModel, FitOptions};
use crate::model::{Model, MAX_PARAMS};

/// What the lean solver returns: the parameters and how the solver stopped. `Copy`, no heap.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LeanFit {
    params: [f64; MAX_PARAMS],
    n_params: usize,
    /// Sum of squared residuals at the estimate (in log space under the multiplicative model).
    pub rss: f64,
    /// LM iterations (trial steps).
    pub iterations: usize,
    /// Passes over the data (residuals and normal equations together).
    pub evaluations: usize,
    /// Why the solver stopped (always a converged reason in an `Ok`).
    pub termination: Termination,
    /// Some parameter ended on one of its bounds: with the default bounds, a rate at 0 (the
    /// data fall or do not grow; see [`FitOptions::allow_decline`]).
    pub at_bound: bool,
    /// Standard errors, when asked for ([`Solver::std_errors`]); NaN otherwise.
    std_errors: [f64; MAX_PARAMS],
    has_std_errors: bool,
}

impl LeanFit {
    /// The estimates, in the model's parameter order.
    pub fn params(&self) -> &[f64] {
        &self.params[..self.n_params]
    }

    /// Standard errors of the estimates, if the solver was asked for them
    /// ([`Solver::std_errors`]): `sqrt(s² (JᵀJ)⁻¹)` at the estimate, `s² = rss / (n − p)`, as
    /// [`crate::Fitter`] and SciPy's `curve_fit` compute them (NaN with no degrees of freedom
    /// or a singular `JᵀJ`).
    pub fn std_errors(&self) -> Option<&[f64]> {
        self.has_std_errors
            .then(|| &self.std_errors[..self.n_params])
    }

    /// The result at the core's best point, with standard errors from `n` points if `se`.
    fn from_core<const P: usize>(c: &Core<P>, n: usize, se: bool, at_bound: bool) -> Self {
        let mut params = [f64::NAN; MAX_PARAMS];
        params[..P].copy_from_slice(&c.x);
        let mut std_errors = [f64::NAN; MAX_PARAMS];
        if se {
            let s2 = if n > P {
                c.rss / (n - P) as f64
            } else {
                f64::NAN
            };
            let mut l = c.jtj;
            if cholesky(&mut l) {
                for (j, out) in std_errors[..P].iter_mut().enumerate() {
                    let mut e = [0.0; P];
                    e[j] = 1.0;
                    *out = (s2 * cholesky_solve(&l, &e)[j]).sqrt();
                }
            }
        }
        Self {
            params,
            n_params: P,
            rss: c.rss,
            iterations: c.iterations,
            evaluations: c.evaluations,
            termination: c.termination,
            at_bound,
            std_errors,
            has_std_errors: se,
        }
    }

    /// Assembles a result from its parts (used by the batch results).
    pub(crate) fn from_parts(
        p: &[f64],
        std_errors: Option<&[f64]>,
        rss: f64,
        iterations: usize,
        evaluations: usize,
        termination: Termination,
        at_bound: bool,
    ) -> Self {
        let mut params = [f64::NAN; MAX_PARAMS];
        params[..p.len()].copy_from_slice(p);
        let mut se = [f64::NAN; MAX_PARAMS];
        if let Some(v) = std_errors {
            se[..v.len()].copy_from_slice(v);
        }
        Self {
            params,
            n_params: p.len(),
            rss,
            iterations,
            evaluations,
            termination,
            at_bound,
            std_errors: se,
            has_std_errors: std_errors.is_some(),
        }
    }
}

/// A reusable Levenberg–Marquardt solver for the hot path: data in slices, start values given,
/// every parameter free, unit weights.
///
/// Use it when you fit many series or need speed; use [`crate::Fitter`] for weights, one-sided
/// observations, self-start values and the full [`crate::Fit`] report. Both run the same
/// solver, take the same [`FitOptions`] (see there what the lean path refuses) and reach the
/// same bits on the same problem. Bounds are kept to, rates at or above 0 by default
/// ([`LeanFit::at_bound`] tells when a fit ends on a bound). To hold a parameter at a known
/// value here, wrap the model in [`crate::model::Fixed`].
///
/// ```
/// use growthcast::fit::Solver;
/// use growthcast::{ErrorModel, Logistic, Model};
///
/// let t: Vec<f64> = (0..10).map(|i| i as f64).collect();
/// let y: Vec<f64> = t.iter().map(|&t| Logistic.value(t, &[1000.0, 1.2, 5.0])).collect();
/// let mut solver = Solver::new(Logistic).error_model(ErrorModel::Additive);
/// let fit = solver.fit(&t, &y, &[1100.0, 1.0, 4.5])?;
/// assert!((fit.params()[0] - 1000.0).abs() < 1e-6);
/// # Ok::<(), growthcast::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Solver<M> {
    model: M,
    options: FitOptions,
    /// `ln y` under the multiplicative error model, reused from fit to fit.
    logy: Vec<f64>,
}

/// The setters every fitting builder shares (error model, settings, `allow_decline`, bounds),
/// on an `options: FitOptions` field ([`crate::Fitter`], [`Solver`],
/// [`crate::batch::BatchFitter`]).
macro_rules! solver_setters {
    () => {
        /// Chooses the error model.
        #[must_use]
        pub fn error_model(mut self, error_model: ErrorModel) -> Self {
            self.options.error_model = error_model;
            self
        }

        /// Sets the solver tolerances and limits (checked when it fits).
        #[must_use]
        pub fn settings(mut self, settings: LmSettings) -> Self {
            self.options.settings = settings;
            self
        }

        /// Lets rates go negative, so that a falling series fits a decline (see
        /// [`FitOptions::allow_decline`](crate::fit::FitOptions::allow_decline)). By default a
        /// rate is kept at or above 0, and a fit that ends there says so.
        #[must_use]
        pub fn allow_decline(mut self) -> Self {
            self.options.allow_decline = true;
            self
        }

        /// Keeps parameter `name` within `[lower, upper]` (either may be infinite; checked when
        /// it fits).
        #[must_use]
        pub fn bound(mut self, name: &str, lower: f64, upper: f64) -> Self {
            self.options
                .constraints
                .bounds
                .push((name.to_string(), lower, upper));
            self
        }
    };
}
pub(crate) use solver_setters;

/// The lean paths' setters of [`FitOptions`] on a builder with an `options: FitOptions` field.
macro_rules! lean_option_setters {
    ($std_errors_doc:literal) => {
        $crate::solve::solver_setters!();

        #[doc = $std_errors_doc]
        #[must_use]
        pub fn std_errors(mut self, std_errors: bool) -> Self {
            self.options.std_errors = std_errors;
            self
        }

        /// Replaces every option at once; those a lean path cannot honour are refused when it
        /// fits (see [`FitOptions`]).
        #[must_use]
        pub fn options(self, options: FitOptions) -> Self {
            Self { options, ..self }
        }

        /// The options it fits with.
        pub fn fit_options(&self) -> &FitOptions {
            &self.options
        }
    };
}
pub(crate) use lean_option_setters;

impl<M: Model + Clone> Solver<M> {
    /// A solver for `model` with the defaults of [`crate::Fitter`]: multiplicative errors
    /// (residuals `ln y − ln f`) and MINPACK tolerances.
    pub fn new(model: M) -> Self {
        Self {
            model,
            options: FitOptions::new(),
            logy: Vec::new(),
        }
    }

    lean_option_setters!(
        "Also computes the standard errors of the estimates ([`LeanFit::std_errors`]), from the \
         `JᵀJ` the solver already has at the estimate: a `p × p` factorisation per fit, no pass \
         over the data. Off by default."
    );

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The number of parameters (the length of a start vector and of [`LeanFit::params`]).
    pub fn n_params(&self) -> usize {
        self.model.params().len()
    }

    /// Fits the model to `(t, y)` from `start` (every parameter, in the model's order).
    ///
    /// The model is anchored to `t` first, as [`crate::Fitter::fit`] does (so
    /// `Exponential::new()` takes `t[0]` as its reference time).
    ///
    /// Errors: lengths that differ ([`Error::InvalidArgument`]), a wrong number of start values
    /// or a non-finite one ([`Error::InvalidParameter`]), fewer points than parameters
    /// ([`Error::TooFewPoints`]), NaN or infinite data ([`Error::NonFinite`]), non-positive
    /// values under the multiplicative model ([`Error::NonPositive`]), options it cannot honour
    /// ([`Error::InvalidOption`]: fixed values or start values in the [`FitOptions`]), bad
    /// bounds ([`Error::InvalidParameter`]) and a solver that stops without converging
    /// ([`Error::NotConverged`], with the best point). Start values outside the bounds are
    /// moved onto them.
    pub fn fit(&mut self, t: &[f64], y: &[f64], start: &[f64]) -> Result<LeanFit> {
        let mut model = self.model.clone();
        model.anchor(t);
        let bounds = self
            .options
            .lean_bounds(model.name(), model.params(), false)?;
        let series = || "data".to_string();
        self.check_data(&model, t, y, &series)?;
        self.fit_checked(&model, t, y, start, &bounds, &series)
    }

    /// Checks the data for a fit: lengths, enough points, finite numbers, positive values
    /// under the multiplicative model.
    pub(crate) fn check_data(
        &self,
        model: &M,
        t: &[f64],
        y: &[f64],
        series: &dyn Fn() -> String,
    ) -> Result<()> {
        let np = model.params().len();
        if np == 0 || np > MAX_PARAMS {
            return Err(Error::InvalidParameter {
                model: model.name().to_string(),
                parameter: "*".to_string(),
                reason: format!("a model needs 1 to {MAX_PARAMS} parameters, this one has {np}"),
            });
        }
        if t.len() != y.len() {
            return Err(Error::arg(
                "y",
                y.len() as f64,
                format!("{} values for {} times", y.len(), t.len()),
            ));
        }
        if t.len() < np {
            return Err(Error::TooFewPoints {
                series: series(),
                model: model.name().to_string(),
                points: t.len(),
                params: np,
            });
        }
        let non_finite = |what: &'static str, row: usize, value: f64| Error::NonFinite {
            series: series(),
            row: row + 1,
            what,
            value,
        };
        if let Some(i) = t.iter().position(|v| !v.is_finite()) {
            return Err(non_finite("time", i, t[i]));
        }
        if let Some(i) = y.iter().position(|v| !v.is_finite()) {
            return Err(non_finite("value", i, y[i]));
        }
        crate::fit::check_magnitudes(series, y)?;
        if self.options.error_model == ErrorModel::Multiplicative {
            if let Some(i) = y.iter().position(|&v| v <= 0.0) {
                return Err(Error::NonPositive {
                    series: series(),
                    row: i + 1,
                    value: y[i],
                });
            }
        }
        Ok(())
    }

    /// Fits data already checked by [`Solver::check_data`], within `bounds`.
    pub(crate) fn fit_checked(
        &mut self,
        model: &M,
        t: &[f64],
        y: &[f64],
        start: &[f64],
        bounds: &Bounds,
        series: &dyn Fn() -> String,
    ) -> Result<LeanFit> {
        let np = model.params().len();
        let bad_param = |parameter: &str, reason: String| Error::InvalidParameter {
            model: model.name().to_string(),
            parameter: parameter.to_string(),
            reason,
        };
        if start.len() != np {
            return Err(bad_param(
                "*",
                format!("{} start values given for {np} parameters", start.len()),
            ));
        }
        if let Some(j) = start.iter().position(|v| !v.is_finite()) {
            return Err(bad_param(
                model.params()[j].name,
                format!("start value {} is not finite", start[j]),
            ));
        }
        let log = self.options.error_model == ErrorModel::Multiplicative;
        if log {
            self.logy.clear();
            self.logy.extend(y.iter().map(|v| v.ln()));
        }
        let target = if log { &self.logy[..] } else { y };
        let fit = super::by_size!(
            start.len(),
            run::<_, M>(model, t, target, start, bounds, &self.options)
        );
        if fit.termination.converged() {
            Ok(fit)
        } else {
            Err(Error::NotConverged {
                model: model.name().to_string(),
                series: series(),
                reason: fit.termination,
                iterations: fit.iterations,
                rss: fit.rss,
                best: fit.params().into(),
            })
        }
    }
}

/// Runs the lean solver for `P = start.len()` parameters (`y` already in log space under the
/// multiplicative error model).
fn run<const P: usize, M: Model + ?Sized>(
    model: &M,
    t: &[f64],
    y: &[f64],
    start: &[f64],
    bounds: &Bounds,
    options: &FitOptions,
) -> LeanFit {
    let settings = &options.settings;
    let (mut x, mut lower, mut upper) = ([0.0; P], [0.0; P], [0.0; P]);
    lower.copy_from_slice(&bounds.lower[..P]);
    upper.copy_from_slice(&bounds.upper[..P]);
    for j in 0..P {
        x[j] = start[j].clamp(lower[j], upper[j]);
    }
    let core = if options.error_model == ErrorModel::Multiplicative {
        lm_core(
            &mut Dense::<M, P, true>::new(model, t, y),
            x,
            &lower,
            &upper,
            settings,
        )
    } else {
        lm_core(
            &mut Dense::<M, P, false>::new(model, t, y),
            x,
            &lower,
            &upper,
            settings,
        )
    };
    let at_bound = (0..P).any(|j| core.x[j] == lower[j] || core.x[j] == upper[j]);
    LeanFit::from_core(&core, t.len(), options.std_errors, at_bound)
}
