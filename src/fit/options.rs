//! Configuration in one place: the confidence level (a checked newtype), the constraints on
//! parameters (fixed values and bounds), and the options every fit takes (error model, solver
//! settings, level, start values, constraints), validated against the model before a fit runs.

use serde::Serialize;

use super::{ErrorModel, IntervalMethod};
use crate::error::{Error, Result};
use crate::model::{ParamSpec, Role, MAX_PARAMS};
use crate::solve::LmSettings;

/// A confidence level strictly between 0 and 1 (0.95 is 95%).
///
/// ```
/// use growthcast::fit::Level;
/// assert_eq!(Level::new(0.9)?.value(), 0.9);
/// assert!(Level::new(1.5).is_err());
/// assert_eq!(Level::default().value(), 0.95);
/// # Ok::<(), growthcast::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Level(f64);

impl Level {
    /// 95%, the default.
    pub const NINETY_FIVE: Level = Level(0.95);

    /// A level, or an error naming the value when it is not strictly between 0 and 1.
    pub fn new(value: f64) -> Result<Self> {
        if value > 0.0 && value < 1.0 {
            Ok(Level(value))
        } else {
            Err(Error::arg(
                "level",
                value,
                "a confidence level lies strictly between 0 and 1 (0.95 is 95%)",
            ))
        }
    }

    /// The level as a fraction.
    pub fn value(self) -> f64 {
        self.0
    }
}

impl Default for Level {
    fn default() -> Self {
        Level::NINETY_FIVE
    }
}

/// Known facts about parameters: values held fixed and ranges kept to, by parameter name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `(name, value)`: held at the value.
    pub fixed: Vec<(String, f64)>,
    /// `(name, lower, upper)`: kept within (either end may be infinite).
    pub bounds: Vec<(String, f64, f64)>,
}

/// [`Constraints`] checked against a model: one entry per parameter, in the model's order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Resolved {
    pub fixed: Vec<Option<f64>>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// Indices of the free parameters.
    pub free: Vec<usize>,
}

/// The bounds of the lean path, on the stack: one entry per parameter, in the model's order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Bounds {
    pub lower: [f64; MAX_PARAMS],
    pub upper: [f64; MAX_PARAMS],
}

/// The error for a parameter of `model`.
fn bad(model: &str, parameter: &str, reason: String) -> Error {
    Error::InvalidParameter {
        model: model.to_string(),
        parameter: parameter.to_string(),
        reason,
    }
}

/// The index of parameter `name`, or an error listing the model's parameters.
fn index(model: &str, specs: &[ParamSpec], name: &str) -> Result<usize> {
    specs.iter().position(|s| s.name == name).ok_or_else(|| {
        let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
        bad(
            model,
            name,
            format!("no such parameter (the model has {})", names.join(", ")),
        )
    })
}

impl Constraints {
    /// Checks the names and values against the model's parameters: unknown names, non-finite
    /// fixed values, empty bounds, and "everything fixed" are errors naming the parameter.
    /// Unless `allow_decline`, a free rate without bounds of its own gets the lower bound 0.
    pub(crate) fn resolve(
        &self,
        model: &str,
        specs: &[ParamSpec],
        allow_decline: bool,
    ) -> Result<Resolved> {
        let np = specs.len();
        check_count(model, np)?;
        let mut fixed: Vec<Option<f64>> = vec![None; np];
        for (name, v) in &self.fixed {
            if !v.is_finite() {
                return Err(bad(model, name, format!("fixed value {v} is not finite")));
            }
            fixed[index(model, specs, name)?] = Some(*v);
        }
        let (mut lower, mut upper) = (vec![f64::NEG_INFINITY; np], vec![f64::INFINITY; np]);
        self.bounds_into(model, specs, allow_decline, &fixed, &mut lower, &mut upper)?;
        let free: Vec<usize> = (0..np).filter(|&j| fixed[j].is_none()).collect();
        if free.is_empty() {
            return Err(bad(
                model,
                "*",
                "every parameter is fixed: nothing to fit".into(),
            ));
        }
        Ok(Resolved {
            fixed,
            lower,
            upper,
            free,
        })
    }

    /// Writes the bounds into `lower` and `upper` (infinite where none): the user's, and the
    /// default lower bound 0 of every rate that is neither bounded nor `fixed`, unless
    /// `allow_decline`. Allocates nothing unless it fails.
    fn bounds_into(
        &self,
        model: &str,
        specs: &[ParamSpec],
        allow_decline: bool,
        fixed: &[Option<f64>],
        lower: &mut [f64],
        upper: &mut [f64],
    ) -> Result<()> {
        let mut given = [false; MAX_PARAMS];
        for (name, lo, hi) in &self.bounds {
            if lo.is_nan() || hi.is_nan() || lo >= hi {
                return Err(bad(
                    model,
                    name,
                    format!("bounds [{lo}, {hi}] need lower < upper"),
                ));
            }
            let j = index(model, specs, name)?;
            lower[j] = *lo;
            upper[j] = *hi;
            given[j] = true;
        }
        if !allow_decline {
            for (j, spec) in specs.iter().enumerate() {
                if matches!(spec.role, Role::Rate | Role::Slope)
                    && !given[j]
                    && fixed.get(j).is_none_or(Option::is_none)
                {
                    lower[j] = 0.0;
                }
            }
        }
        Ok(())
    }
}

/// A model needs 1 to [`MAX_PARAMS`] parameters.
fn check_count(model: &str, np: usize) -> Result<()> {
    if np == 0 || np > MAX_PARAMS {
        return Err(bad(
            model,
            "*",
            format!("a model needs 1 to {MAX_PARAMS} parameters, this one has {np}"),
        ));
    }
    Ok(())
}

/// Everything about how to fit, besides the model: the one configuration of [`crate::Fitter`],
/// the lean [`crate::Solver`] and [`crate::batch::BatchFitter`], checked against the model
/// before each fit.
///
/// Every option is honoured by the [`crate::Fitter`]. The lean paths honour the error model,
/// the settings, the bounds, `allow_decline` and `std_errors`, and refuse (with
/// [`Error::InvalidOption`] naming the option) what they cannot honour:
///
/// * `constraints.fixed`: the lean paths fit a model's parameters as they are; wrap the model
///   in [`crate::model::Fixed::from_constraints`] instead (which takes the fixed values and
///   leaves the bounds to these options).
/// * `start` on the [`crate::Solver`], which takes start values with each fit
///   ([`crate::batch::BatchFitter`] honours it: the same start for every series).
///
/// `level` sets the intervals of a [`crate::Fit`]; lean fits have no intervals (only standard
/// errors), so it has no effect there.
///
/// ```
/// use growthcast::fit::{FitOptions, Level, Solver};
/// use growthcast::{ErrorModel, Fitter, Logistic};
/// let options = FitOptions {
///     error_model: ErrorModel::Additive,
///     level: Level::new(0.9)?,
///     ..FitOptions::new()
/// };
/// let fitter = Fitter::new(Logistic).options(options.clone());
/// assert_eq!(fitter.fit_options().level.value(), 0.9);
/// let solver = Solver::new(Logistic).options(options);
/// # Ok::<(), growthcast::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FitOptions {
    /// How observations scatter around the curve.
    pub error_model: ErrorModel,
    /// Solver tolerances and limits.
    pub settings: LmSettings,
    /// Confidence level of intervals and bands.
    pub level: Level,
    /// Start values for every parameter in the model's order (`None`: the model's self-start).
    pub start: Option<Vec<f64>>,
    /// Fixed values and bounds.
    pub constraints: Constraints,
    /// How the parameters' intervals are made: [`IntervalMethod::Profile`] (the default) or
    /// [`IntervalMethod::Wald`] (estimate ± t·SE, cheaper: for fits made by the thousand).
    pub intervals: IntervalMethod,
    /// Lets rates and slopes (parameters of [`Role::Rate`] and [`Role::Slope`]: the linear
    /// model's slope too) go negative, so that a falling series fits a decline. Off by
    /// default: a rate or slope without bounds of its own is kept at or above 0, and
    /// a fit that ends at 0 says so (a [`crate::fit::WarningKind::AtBound`] warning).
    pub allow_decline: bool,
    /// Lean paths: also compute the standard errors of the estimates. (A [`crate::Fit`]
    /// always has them.)
    pub std_errors: bool,
}

impl FitOptions {
    /// The defaults: multiplicative errors, MINPACK tolerances, 95% intervals, self-start, no
    /// constraints, rates kept at or above 0, no standard errors on the lean paths.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the settings and the start values' count against the model; gives the resolved
    /// constraints.
    pub(crate) fn validate(&self, model: &str, specs: &[ParamSpec]) -> Result<Resolved> {
        self.settings.validate()?;
        if !matches!(
            self.intervals,
            IntervalMethod::Profile | IntervalMethod::Wald
        ) {
            return Err(Error::arg(
                "intervals",
                f64::NAN,
                "parameter intervals are made by profile likelihood (the default) or Wald",
            ));
        }
        let resolved = self.constraints.resolve(model, specs, self.allow_decline)?;
        if let Some(s) = &self.start {
            if s.len() != specs.len() {
                return Err(bad(
                    model,
                    "*",
                    format!(
                        "{} start values given for {} parameters",
                        s.len(),
                        specs.len()
                    ),
                ));
            }
        }
        Ok(resolved)
    }

    /// The bounds the lean paths ([`crate::batch::BatchFitter`], [`crate::Solver`]) keep each
    /// parameter of `model` to, `(lower, upper)` in the model's order: the user's, and a rate's
    /// default lower bound 0 unless declines are allowed. Errors as the lean paths refuse these
    /// options (fixed parameters, bad settings).
    pub fn lean_parameter_bounds(
        &self,
        model: &dyn crate::model::Model,
    ) -> Result<Vec<(f64, f64)>> {
        let specs = model.params();
        let b = self.lean_bounds(model.name(), specs, true)?;
        Ok((0..specs.len()).map(|j| (b.lower[j], b.upper[j])).collect())
    }

    /// Checks these options for a lean path (`takes_start`: whether it honours `start`) and
    /// gives the bounds, on the stack: refuses fixed values, and start values where they are
    /// not taken. Allocates nothing unless it fails.
    pub(crate) fn lean_bounds(
        &self,
        model: &str,
        specs: &[ParamSpec],
        takes_start: bool,
    ) -> Result<Bounds> {
        self.settings.validate()?;
        check_count(model, specs.len())?;
        if !self.constraints.fixed.is_empty() {
            return Err(Error::InvalidOption {
                option: "constraints.fixed",
                reason: "the lean paths fit every parameter of the model; hold parameters fixed by \
                         wrapping the model in `model::Fixed::from_constraints(model, &constraints)` \
                         and clearing `constraints.fixed`"
                    .into(),
            });
        }
        if self.start.is_some() && !takes_start {
            return Err(Error::InvalidOption {
                option: "start",
                reason: "`Solver::fit` takes the start values with each fit; leave `start` at None"
                    .into(),
            });
        }
        let mut b = Bounds {
            lower: [f64::NEG_INFINITY; MAX_PARAMS],
            upper: [f64::INFINITY; MAX_PARAMS],
        };
        let np = specs.len();
        self.constraints.bounds_into(
            model,
            specs,
            self.allow_decline,
            &[],
            &mut b.lower[..np],
            &mut b.upper[..np],
        )?;
        Ok(b)
    }
}
