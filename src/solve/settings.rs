//! The solver's tolerances and limits, validated.

use serde::Serialize;

use crate::error::{Error, Result};

/// Solver tolerances and limits.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LmSettings {
    /// Relative reduction of the sum of squares (MINPACK's `ftol`). Default `1.49012e-8`.
    pub ftol: f64,
    /// Relative change of the scaled parameters (MINPACK's `xtol`). Default `1.49012e-8`.
    pub xtol: f64,
    /// Cosine between residuals and Jacobian columns (MINPACK's `gtol`). Default `0`.
    pub gtol: f64,
    /// Maximum number of trial steps. Default `1000`.
    pub max_iterations: usize,
}

impl Default for LmSettings {
    fn default() -> Self {
        let t = f64::EPSILON.sqrt();
        Self {
            ftol: t,
            xtol: t,
            gtol: 0.0,
            max_iterations: 1000,
        }
    }
}

impl LmSettings {
    /// Settings with these tolerances and limit, checked ([`LmSettings::validate`]).
    pub fn new(ftol: f64, xtol: f64, gtol: f64, max_iterations: usize) -> Result<Self> {
        let s = Self {
            ftol,
            xtol,
            gtol,
            max_iterations,
        };
        s.validate()?;
        Ok(s)
    }

    /// Tolerances must be finite and ≥ 0, and the iteration limit at least 1; the error names
    /// the setting.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("ftol", self.ftol),
            ("xtol", self.xtol),
            ("gtol", self.gtol),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::arg(
                    name,
                    v,
                    "a tolerance must be a finite number >= 0",
                ));
            }
        }
        if self.max_iterations == 0 {
            return Err(Error::arg(
                "max_iterations",
                0.0,
                "the solver needs at least one iteration",
            ));
        }
        Ok(())
    }
}
