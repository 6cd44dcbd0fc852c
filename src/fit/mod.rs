//! Fitting: the [`Fitter`] (what to fit and how) and the [`Fit`] it produces.

pub mod bootstrap;
mod derived;
mod diagnostics;
mod display;
mod intervals;
mod lack_of_fit;
mod options;
pub mod project;
mod refit;
mod result;
mod retry;
mod statistics;
mod summary;
pub mod when;

use serde::Serialize;

pub(crate) use crate::solve::{solve, Problem, Side};
pub use crate::solve::{LeanFit, LmSettings, Solver, Termination};
pub use derived::{Derived, Estimate};
pub use lack_of_fit::LackOfFit;
pub(crate) use options::Bounds;
use options::Resolved;
pub use options::{Constraints, FitOptions, Level};
pub(crate) use result::t_quantile;
pub use result::{Fit, IntervalMethod, ObservedPoint, Parameter, Warning, WarningKind};
pub use statistics::wald_interval;

use crate::error::{Error, Result, MAX_EXP10};
use crate::model::{Model, MAX_PARAMS};
use crate::series::{Kind, Series};

/// How observations scatter around the curve.
///
/// * [`ErrorModel::Multiplicative`] (the default): residuals are `ln y − ln f`, i.e. errors are
///   a percentage of the level. Growth data spanning orders of magnitude need it, or the last
///   point is all the fit sees; intervals then cover the truth at close to their nominal rate
///   (see the design notes in the README). Every value must be positive.
/// * [`ErrorModel::Additive`]: residuals are `y − f` with constant spread, as SciPy's
///   `curve_fit` and R's `nls` assume by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorModel {
    /// Residuals `y − f`.
    Additive,
    /// Residuals `ln y − ln f` (default).
    #[default]
    Multiplicative,
}

impl ErrorModel {
    /// A phrase for reports.
    pub fn describe(self) -> &'static str {
        match self {
            ErrorModel::Additive => "additive (residuals y - f)",
            ErrorModel::Multiplicative => "multiplicative (residuals ln y - ln f)",
        }
    }
}

/// What to fit and how: a model, fixed or bounded parameters, the error model and tolerances.
///
/// ```
/// use growthcast::{Fitter, Logistic, Series};
/// let users = Series::new("users", [
///     ("2024-06-30", 2.30e8), ("2024-12-31", 2.49e8), ("2025-06-30", 5.15e8), ("2025-12-31", 6.02e8),
/// ])?;
/// // The population is a known ceiling: fix it, fit the rest.
/// let fit = Fitter::new(Logistic).fix("K", 1.41e9).fit(&users)?;
/// assert_eq!(fit.param("K").unwrap().estimate, 1.41e9);
/// assert!(fit.param("r").unwrap().estimate > 0.0);
/// # Ok::<(), growthcast::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Fitter<M> {
    model: M,
    label: Option<String>,
    options: FitOptions,
    /// A level given to [`Fitter::level`] that is not one (reported when it fits).
    bad_level: Option<f64>,
}

impl<M: Model + Clone + 'static> Fitter<M> {
    /// A fitter for `model` with the defaults: multiplicative errors, MINPACK tolerances,
    /// self-starting values, 95% intervals.
    pub fn new(model: M) -> Self {
        Self {
            model,
            label: None,
            options: FitOptions::new(),
            bad_level: None,
        }
    }

    /// Replaces every option at once (error model, settings, level, start values, constraints,
    /// `allow_decline`).
    #[must_use]
    pub fn options(self, options: FitOptions) -> Self {
        Self {
            options,
            bad_level: None,
            ..self
        }
    }

    /// The options this fitter fits with (checked when it fits).
    pub fn fit_options(&self) -> &FitOptions {
        &self.options
    }

    /// Holds parameter `name` at `value` (e.g. a known ceiling). Unknown names and non-finite
    /// values are errors when it fits.
    #[must_use]
    pub fn fix(mut self, name: &str, value: f64) -> Self {
        self.options
            .constraints
            .fixed
            .push((name.to_string(), value));
        self
    }

    /// Start values for every parameter, in the model's order (replaces the self-start).
    #[must_use]
    pub fn start(mut self, values: &[f64]) -> Self {
        self.options.start = Some(values.to_vec());
        self
    }

    crate::solve::solver_setters!();

    /// Confidence level of the parameter intervals in reports (default 0.95; checked to lie
    /// strictly between 0 and 1 when it fits, see [`Level`]).
    #[must_use]
    pub fn level(mut self, level: f64) -> Self {
        match Level::new(level) {
            Ok(l) => {
                self.options.level = l;
                self.bad_level = None;
            }
            Err(_) => self.bad_level = Some(level),
        }
        self
    }

    /// How the parameters' intervals are made: [`IntervalMethod::Profile`] (the default) or
    /// [`IntervalMethod::Wald`] (cheaper; other methods are refused when it fits).
    #[must_use]
    pub fn intervals(mut self, method: IntervalMethod) -> Self {
        self.options.intervals = method;
        self
    }

    /// Names this fitter in comparisons and charts (default: the model name, with fixed values).
    #[must_use]
    pub fn label(self, label: impl Into<String>) -> Self {
        Self {
            label: Some(label.into()),
            ..self
        }
    }

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// Fits the model to a series.
    ///
    /// Errors: unknown or non-finite fixed values and bounds ([`Error::InvalidParameter`]),
    /// non-positive values under the multiplicative model ([`Error::NonPositive`]), fewer
    /// points, or fewer distinct times, than free parameters ([`Error::TooFewPoints`],
    /// [`Error::TooFewTimes`]: replicates at one time count once), no start values
    /// ([`Error::NoStartValues`]) and a solver that stops without converging
    /// ([`Error::NotConverged`], carrying the best point found, or [`Error::Diverged`] when a
    /// ceiling ran off far beyond the data, with the ceiling's one-sided lower bound), and a
    /// degenerate stop (singular Jacobian, R² ≤ 0) that no other start point improves on
    /// ([`Error::Degenerate`]; see the README's "When a fit fails").
    pub fn fit(&self, series: &Series) -> Result<Fit> {
        retry::fit(self, series)
    }

    /// One fit from the given start values or the self-start: what [`Fitter::fit`] retries.
    fn fit_once(&self, series: &Series) -> Result<Fit> {
        let mut model = self.model.clone();
        let t = series.times();
        model.anchor(&t);
        let mname = model.name().to_string();
        let c = self.validate(&mname, model.params())?;
        let data = Residuals::of(series, self.options.error_model)?;
        check_magnitudes(&|| series.name().to_string(), &series.values())?;
        if series.len() < c.free.len() {
            return Err(Error::TooFewPoints {
                series: series.name().to_string(),
                model: mname,
                points: series.len(),
                params: c.free.len(),
            });
        }
        // The curve is a function of time: replicates share one fitted value, so `p` free
        // parameters need `p` distinct times (the Jacobian has rank at most the number of times).
        let times = series.n_times();
        if times < c.free.len() {
            return Err(Error::TooFewTimes {
                series: series.name().to_string(),
                what: format!("model `{mname}` with {} free parameters", c.free.len()),
                times,
                needed: c.free.len(),
            });
        }
        let start = self.start_values(&model, series, &t, &c)?;
        let pr = data.problem(&model, &t, &start, &c);
        let x0: Vec<f64> = c.free.iter().map(|&j| start[j]).collect();
        let out = solve(&pr, &x0, &self.options.settings);
        let mut estimates = start.clone();
        for (k, &j) in c.free.iter().enumerate() {
            estimates[j] = out.x[k];
        }
        if !out.termination.converged() {
            return Err(not_converged(
                &mname,
                model.params(),
                series,
                &start,
                estimates,
                &out,
            ));
        }
        let mut fit = Fit::new(
            series,
            Box::new(model),
            self.options.error_model,
            self.options.level.value(),
            result::Solution {
                estimates,
                fixed: c.fixed,
                lower: c.lower,
                upper: c.upper,
                free: c.free,
                out,
                ty: data.ty,
                side: data.side,
                w: data.w,
                settings: self.options.settings,
            },
        );
        fit.label = self.spec_label();
        if self.options.intervals == IntervalMethod::Profile {
            fit.use_profile_intervals();
        }
        Ok(fit)
    }

    /// The options checked against the model (a level that is not one first).
    fn validate(&self, model: &str, specs: &[crate::model::ParamSpec]) -> Result<Resolved> {
        if let Some(level) = self.bad_level {
            Level::new(level)?;
        }
        self.options.validate(model, specs)
    }

    /// The given start values or the model's self-start, with fixed values in place, finite,
    /// and within the bounds.
    fn start_values(
        &self,
        model: &M,
        series: &Series,
        t: &[f64],
        c: &Resolved,
    ) -> Result<Vec<f64>> {
        let specs = model.params();
        let mut start = match &self.options.start {
            Some(s) => s.clone(),
            None => model
                .self_start(t, &series.values(), &c.fixed)
                .map_err(|reason| Error::NoStartValues {
                    model: model.name().to_string(),
                    series: series.name().to_string(),
                    reason,
                })?,
        };
        for j in 0..specs.len() {
            if let Some(v) = c.fixed[j] {
                start[j] = v;
            }
            if !start[j].is_finite() {
                return Err(Error::InvalidParameter {
                    model: model.name().to_string(),
                    parameter: specs[j].name.to_string(),
                    reason: format!("start value {} is not finite", start[j]),
                });
            }
            start[j] = start[j].clamp(c.lower[j], c.upper[j]);
        }
        Ok(start)
    }
}

/// The data in the space of the residuals: targets (`y` or `ln y`), weights and sides.
struct Residuals {
    ty: Vec<f64>,
    w: Vec<f64>,
    side: Vec<Side>,
    log: bool,
    weighted: bool,
    one_sided: bool,
}

impl Residuals {
    /// Errors on a non-positive value under the multiplicative model, naming the row.
    fn of(series: &Series, error_model: ErrorModel) -> Result<Self> {
        let log = error_model == ErrorModel::Multiplicative;
        let obs = series.observations();
        let mut r = Residuals {
            ty: Vec::with_capacity(obs.len()),
            w: Vec::with_capacity(obs.len()),
            side: Vec::with_capacity(obs.len()),
            log,
            weighted: obs.iter().any(|o| o.weight != 1.0),
            one_sided: obs.iter().any(|o| o.kind.is_one_sided()),
        };
        for (i, o) in obs.iter().enumerate() {
            if log && o.value <= 0.0 {
                return Err(Error::NonPositive {
                    series: series.name().to_string(),
                    row: i + 1,
                    value: o.value,
                });
            }
            r.ty.push(if log { o.value.ln() } else { o.value });
            r.w.push(o.weight);
            r.side.push(match o.kind {
                Kind::AtLeast => Side::Lower,
                Kind::AtMost => Side::Upper,
                _ => Side::Both,
            });
        }
        Ok(r)
    }

    /// The solver's problem for these data, from `start` with the constraints `c`.
    fn problem<'a, M: Model>(
        &'a self,
        model: &'a M,
        t: &'a [f64],
        start: &[f64],
        c: &Resolved,
    ) -> Problem<'a, M> {
        let np = start.len();
        let mut pr = Problem {
            model,
            t,
            y: &self.ty,
            w: self.weighted.then_some(&self.w[..]),
            side: self.one_sided.then_some(&self.side[..]),
            log: self.log,
            base: [0.0; MAX_PARAMS],
            n_params: np,
            free: [0; MAX_PARAMS],
            lower: [f64::NEG_INFINITY; MAX_PARAMS],
            upper: [f64::INFINITY; MAX_PARAMS],
        };
        pr.base[..np].copy_from_slice(start);
        for (k, &j) in c.free.iter().enumerate() {
            pr.free[k] = j;
            pr.lower[k] = c.lower[j];
            pr.upper[k] = c.upper[j];
        }
        pr
    }
}

/// The error for a solver that stopped early: [`Error::Diverged`] when a ceiling ran off (its
/// bound is added by [`retry::fit`]), [`Error::NotConverged`] otherwise, both with the best
/// point found.
fn not_converged(
    model: &str,
    specs: &[crate::model::ParamSpec],
    series: &Series,
    start: &[f64],
    estimates: Vec<f64>,
    out: &crate::solve::Outcome,
) -> Error {
    if let Some(e) = ceiling_ran_off(specs, start, &estimates, series) {
        return Error::Diverged {
            model: model.to_string(),
            series: series.name().to_string(),
            parameter: e.0,
            value: e.1,
            data_max: e.2,
            reason: out.termination,
            iterations: out.iterations,
            rss: out.rss,
            best: estimates.into(),
            bound: None,
        };
    }
    Error::NotConverged {
        model: model.to_string(),
        series: series.name().to_string(),
        reason: out.termination,
        iterations: out.iterations,
        rss: out.rss,
        best: estimates.into(),
    }
}

/// Values whose squares overflow or underflow (beyond 1e±[`MAX_EXP10`]) are an error that says
/// to rescale the unit: the sums of squares of an additive fit overflow, and under the
/// multiplicative model the gradient of `ln f` along a level parameter (`1 / level`) squares to
/// zero, so the fit would stop at the start or without standard errors.
///
/// Every front door checks this: [`Fitter`], the lean [`Solver`] and the batch. The common case
/// costs one comparison per value; the offending value is looked for only when there is one.
pub(crate) fn check_magnitudes(series: &dyn Fn() -> String, values: &[f64]) -> Result<()> {
    let limit = 10f64.powi(MAX_EXP10);
    let outside = |v: f64| v != 0.0 && !(1.0 / limit..=limit).contains(&v.abs());
    if !values.iter().any(|&v| outside(v)) {
        return Ok(());
    }
    let (i, value) = values
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, v)| outside(v))
        .max_by(|a, b| a.1.abs().log10().abs().total_cmp(&b.1.abs().log10().abs()))
        .expect("one value is outside");
    Err(Error::ValueOutOfRange {
        series: series(),
        row: i + 1,
        value,
        // Parsed, not `powi`, to be the nearest double to the power of ten.
        scale: format!("1e{}", value.abs().log10().floor())
            .parse()
            .unwrap_or(1.0),
    })
}

/// The ceiling that ran off when a fit failed to converge: its name, value and the data's
/// largest absolute value, if some ceiling ended above 100 times that and above twice its
/// start (a start that was far off to begin with and stayed there is not a divergence; the
/// self-start's highest candidate is 100 times the data, so even a fit stopped after a hundred
/// iterations is named a runaway).
fn ceiling_ran_off(
    specs: &[crate::model::ParamSpec],
    start: &[f64],
    best: &[f64],
    series: &Series,
) -> Option<(&'static str, f64, f64)> {
    let data_max = series
        .observations()
        .iter()
        .map(|o| o.value.abs())
        .fold(0.0, f64::max);
    specs
        .iter()
        .zip(start.iter().zip(best))
        .find(|(spec, (&s, &b))| {
            spec.role == crate::model::Role::Ceiling
                && data_max > 0.0
                && b > 100.0 * data_max
                && b > 2.0 * s.abs()
        })
        .map(|(spec, (_, &b))| (spec.name, b, data_max))
}

impl Series {
    /// Fits `model` with the default [`Fitter`] settings: `series.fit(Logistic)` is
    /// `Fitter::new(Logistic).fit(&series)`.
    pub fn fit<M: Model + Clone + 'static>(&self, model: M) -> Result<Fit> {
        Fitter::new(model).fit(self)
    }
}

/// A fitter with its model type erased, so that fitters of different models can share a list
/// (see [`crate::compare`]). Implemented by every [`Fitter`].
pub trait FitSpec: std::fmt::Debug + Send + Sync {
    /// A short name: the label given, or the model name with its fixed values
    /// (`"logistic (K = 1.41e9)"`).
    fn spec_label(&self) -> String;
    /// The model's name.
    fn model_name(&self) -> String;
    /// Fits the series.
    fn fit_series(&self, series: &Series) -> Result<Fit>;
    /// Fits the series with one more parameter held fixed (for profiles and inverse questions).
    fn fit_with_fixed(&self, series: &Series, parameter: &str, value: f64) -> Result<Fit>;
    /// A copy in a box.
    fn boxed_clone(&self) -> Box<dyn FitSpec>;
    /// The names of the parameters this spec holds fixed.
    fn fixed_parameters(&self) -> Vec<String>;
    /// The name of the model's first parameter with this role (its ceiling, its rate, …).
    fn param_of(&self, role: crate::model::Role) -> Option<String>;
}

impl<M: Model + Clone + 'static> FitSpec for Fitter<M> {
    fn spec_label(&self) -> String {
        if let Some(l) = &self.label {
            return l.clone();
        }
        let fixed = &self.options.constraints.fixed;
        if fixed.is_empty() {
            return self.model.name().to_string();
        }
        let fixed: Vec<String> = fixed.iter().map(|(n, v)| format!("{n} = {v:e}")).collect();
        format!("{} ({})", self.model.name(), fixed.join(", "))
    }
    fn model_name(&self) -> String {
        self.model.name().to_string()
    }
    fn fit_series(&self, series: &Series) -> Result<Fit> {
        self.fit(series)
    }
    fn fit_with_fixed(&self, series: &Series, parameter: &str, value: f64) -> Result<Fit> {
        let mut f = self.clone();
        // The profile of one parameter needs the sums of squares, not the others' intervals.
        f.options.intervals = IntervalMethod::Wald;
        f.options.constraints.fixed.retain(|(n, _)| n != parameter);
        f.fix(parameter, value).fit(series)
    }
    fn boxed_clone(&self) -> Box<dyn FitSpec> {
        Box::new(self.clone())
    }
    fn fixed_parameters(&self) -> Vec<String> {
        let fixed = &self.options.constraints.fixed;
        fixed.iter().map(|(n, _)| n.to_string()).collect()
    }
    fn param_of(&self, role: crate::model::Role) -> Option<String> {
        let i = self.model.param_of(role)?;
        Some(self.model.params()[i].name.to_string())
    }
}
