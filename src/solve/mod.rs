//! The Levenberg–Marquardt core: the hot path.
//!
//! Works on the normal equations of the free parameters in fixed-size stack arrays (the number
//! of free parameters is a const generic, dispatched at run time), computes the residuals, the
//! sum of squares, `JᵀWJ` and `JᵀWr` in one pass over the data, and allocates nothing per
//! iteration. A trial point's pass already yields the next iteration's normal equations, so an
//! accepted step costs exactly one pass.
//!
//! The step is MINPACK's (`lmder`), worked on the normal equations: a trust region of radius
//! `Δ` in the scaled norm `‖D x‖` (`D` the running maximum of the Jacobian's column norms,
//! MINPACK's `diag`, mode 1; initially `Δ = 100 ‖D x₀‖`), the damping `λ` that puts the step
//! `(JᵀWJ + λ D²) δ = JᵀWr` on the region's edge found by Moré's `lmpar` (a few 3×3 Cholesky
//! factorisations, cheap next to a pass over the data), `Δ` updated from the ratio of actual to
//! predicted reduction. The convergence tests are MINPACK's: `ftol` on the actual and predicted
//! relative reductions of the sum of squares, `xtol` on the trust region relative to `‖D x‖`,
//! `gtol` on the cosine between the residuals and the Jacobian's columns. So the solver takes
//! the same path as MINPACK (and SciPy's `curve_fit`), with the same number of passes, but each
//! pass evaluates the model once per point and accumulates `JᵀJ` instead of a QR factorisation.
//!
//! The loop (`lm::lm_core`) is generic over the objective; the general problem
//! (`problem::Problem`) and the lean one (`problem::Dense`: every parameter free, unit weights,
//! two-sided residuals) each get their own monomorphised inner loop.
//!
//! | file | what |
//! |---|---|
//! | `termination.rs` | why the solver stopped (a leaf: the error type uses it) |
//! | `settings.rs` | tolerances and limits, validated |
//! | `problem.rs` | the problem and its one-pass objectives |
//! | `linalg.rs` | Cholesky and the covariance inverse |
//! | `trust_region.rs` | the step: Moré's `lmpar` |
//! | `lm.rs` | the LM loop and the dispatch on the number of free parameters |
//! | `solver.rs` | the lean public [`Solver`] |

/// The one const-generic dispatch: calls `f::<P, ..>(args)` with `P` the run-time number of
/// free parameters `n` (1 to [`crate::model::MAX_PARAMS`]), so that every size gets its own
/// monomorphised hot loop on stack arrays. Callers check `n` first.
macro_rules! by_size {
    ($n:expr, $f:ident::<_ $(, $g:ty)*>($($arg:expr),* $(,)?)) => {
        match $n {
            1 => $f::<1 $(, $g)*>($($arg),*),
            2 => $f::<2 $(, $g)*>($($arg),*),
            3 => $f::<3 $(, $g)*>($($arg),*),
            4 => $f::<4 $(, $g)*>($($arg),*),
            5 => $f::<5 $(, $g)*>($($arg),*),
            6 => $f::<6 $(, $g)*>($($arg),*),
            7 => $f::<7 $(, $g)*>($($arg),*),
            8 => $f::<8 $(, $g)*>($($arg),*),
            9 => $f::<9 $(, $g)*>($($arg),*),
            10 => $f::<10 $(, $g)*>($($arg),*),
            n => unreachable!("{n} free parameters: checked by the caller"),
        }
    };
}
pub(crate) use by_size;

mod linalg;
mod lm;
mod problem;
mod settings;
mod solver;
mod termination;
mod trust_region;

pub(crate) use linalg::spd_inverse;
pub(crate) use lm::solve;
pub(crate) use problem::{Outcome, Problem, Side};
pub use settings::LmSettings;
pub(crate) use solver::{lean_option_setters, solver_setters};
pub use solver::{LeanFit, Solver};
pub use termination::Termination;
