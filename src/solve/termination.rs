//! Why the solver stopped: a leaf module (the error type uses it, and it uses nothing).

use serde::Serialize;

/// Why the solver stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Termination {
    /// Both the actual and predicted relative reductions of the sum of squares are at most `ftol`.
    Ftol,
    /// The relative change of the (scaled) parameters is at most `xtol`.
    Xtol,
    /// Both the `ftol` and the `xtol` tests hold.
    FtolAndXtol,
    /// The residuals are orthogonal to the Jacobian's columns within `gtol`.
    Gtol,
    /// The sum of squares is exactly zero.
    ExactFit,
    /// No further reduction is possible in floating point at a point where the gradient
    /// vanishes to rounding: accepted as converged, with a warning.
    Stalled,
    /// The iteration limit was reached.
    MaxIterations,
    /// No step reduced the sum of squares and the gradient does not vanish.
    NoProgress,
    /// The model returned NaN or infinity at the start values.
    NonFiniteStart,
    /// The Jacobian is zero: no parameter changes the curve at the data, so there is no
    /// direction to search.
    SingularJacobian,
}

impl Termination {
    /// `true` when the result is a minimum.
    pub fn converged(self) -> bool {
        matches!(
            self,
            Termination::Ftol
                | Termination::Xtol
                | Termination::FtolAndXtol
                | Termination::Gtol
                | Termination::ExactFit
                | Termination::Stalled
        )
    }

    /// A sentence for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Termination::Ftol => "converged: relative reduction of the sum of squares below ftol",
            Termination::Xtol => "converged: relative change of the parameters below xtol",
            Termination::FtolAndXtol => "converged: both ftol and xtol tests hold",
            Termination::Gtol => "converged: gradient orthogonal to the residuals within gtol",
            Termination::ExactFit => "converged: the curve passes through every point",
            Termination::Stalled => "stopped: no further reduction possible in floating point",
            Termination::MaxIterations => "iteration limit reached",
            Termination::NoProgress => "no step reduces the sum of squares",
            Termination::NonFiniteStart => "the model is NaN or infinite at the start values",
            Termination::SingularJacobian => {
                "the Jacobian is zero: no parameter changes the curve at the data"
            }
        }
    }
}

impl std::fmt::Display for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}
