//! The solver's tolerances and limits, validated.

use serde::Serialize;

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
