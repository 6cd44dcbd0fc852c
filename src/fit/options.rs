//! Configuration in one place: the confidence level (a checked newtype), the constraints on
//! parameters (fixed values and bounds), and the options every fit takes (error model, solver
//! settings, level, start values, constraints), validated against the model before a fit runs.

use serde::Serialize;

use super::{ErrorModel, IntervalMethod};
use crate::error::{Error, Result};
use crate::model::{ParamSpec, MAX_PARAMS};
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

impl Constraints {
    /// Checks the names and values against the model's parameters: unknown names, non-finite
    /// fixed values, empty bounds, and "everything fixed" are errors naming the parameter.
    pub(crate) fn resolve(&self, model: &str, specs: &[ParamSpec]) -> Result<Resolved> {
        let np = specs.len();
        let bad = |parameter: &str, reason: String| Error::InvalidParameter {
            model: model.to_string(),
            parameter: parameter.to_string(),
            reason,
        };
        if np == 0 || np > MAX_PARAMS {
            return Err(bad(
                "*",
                format!("a model needs 1 to {MAX_PARAMS} parameters, this one has {np}"),
            ));
        }
        let index = |name: &str| {
            specs.iter().position(|s| s.name == name).ok_or_else(|| {
                let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
                bad(
                    name,
                    format!("no such parameter (the model has {})", names.join(", ")),
                )
            })
        };
        let mut fixed: Vec<Option<f64>> = vec![None; np];
        for (name, v) in &self.fixed {
            if !v.is_finite() {
                return Err(bad(name, format!("fixed value {v} is not finite")));
            }
            fixed[index(name)?] = Some(*v);
        }
        let (mut lower, mut upper) = (vec![f64::NEG_INFINITY; np], vec![f64::INFINITY; np]);
        for (name, lo, hi) in &self.bounds {
            if lo.is_nan() || hi.is_nan() || lo >= hi {
                return Err(bad(name, format!("bounds [{lo}, {hi}] need lower < upper")));
            }
            let j = index(name)?;
            lower[j] = *lo;
            upper[j] = *hi;
        }
        let free: Vec<usize> = (0..np).filter(|&j| fixed[j].is_none()).collect();
        if free.is_empty() {
            return Err(bad("*", "every parameter is fixed: nothing to fit".into()));
        }
        Ok(Resolved {
            fixed,
            lower,
            upper,
            free,
        })
    }
}

/// Everything about how to fit, besides the model: what [`crate::Fitter`] holds and checks in
/// one place before each fit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FitOptions {
    /// How observations scatter around the curve.
    pub error_model: ErrorModel,
    /// Solver tolerances and limits.
    pub settings: LmSettings,
    /// Confidence level of intervals and bands.
    pub level: f64,
    /// Start values for every parameter in the model's order (`None`: the model's self-start).
    pub start: Option<Vec<f64>>,
    /// Fixed values and bounds.
    pub constraints: Constraints,
    /// How the parameters' intervals are made: [`IntervalMethod::Profile`] (the default) or
    /// [`IntervalMethod::Wald`] (estimate ± t·SE, cheaper: for fits made by the thousand).
    pub intervals: IntervalMethod,
}

impl FitOptions {
    /// The defaults: multiplicative errors, MINPACK tolerances, 95% intervals, self-start, no
    /// constraints.
    pub fn new() -> Self {
        Self {
            level: Level::default().value(),
            intervals: IntervalMethod::Profile,
            ..Default::default()
        }
    }

    /// Checks the level, the settings and the start values' count against the model; gives
    /// the level and the resolved constraints.
    pub(crate) fn validate(&self, model: &str, specs: &[ParamSpec]) -> Result<(Level, Resolved)> {
        let level = Level::new(self.level)?;
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
        let resolved = self.constraints.resolve(model, specs)?;
        if let Some(s) = &self.start {
            if s.len() != specs.len() {
                return Err(Error::InvalidParameter {
                    model: model.to_string(),
                    parameter: "*".into(),
                    reason: format!(
                        "{} start values given for {} parameters",
                        s.len(),
                        specs.len()
                    ),
                });
            }
        }
        Ok((level, resolved))
    }
}
