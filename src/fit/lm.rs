//! The Levenberg–Marquardt core: the hot path.
//!
//! Works on the normal equations of the free parameters in fixed-size stack arrays (the number
//! of free parameters is a const generic, dispatched at run time), computes the residuals, the
//! sum of squares, `JᵀWJ` and `JᵀWr` in one pass over the data, and allocates nothing per
//! iteration. A trial point's pass already yields the next iteration's normal equations, so an
//! accepted step costs exactly one pass.
//!
//! Damping follows Marquardt's scaling: the step solves `(JᵀWJ + λ D²) δ = JᵀWr` with
//! `D²` the running maximum of `diag(JᵀWJ)` (MINPACK's `diag`, mode 1), and `λ` is updated by
//! Nielsen's rule. The convergence tests are MINPACK's (`lmder`): `ftol` on the actual and
//! predicted relative reductions of the sum of squares, `xtol` on the scaled step, `gtol` on the
//! cosine between the residuals and the Jacobian's columns.

use serde::Serialize;

use crate::model::{Model, MAX_PARAMS};

/// How an observation enters the objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    /// Two-sided residual.
    Both,
    /// A lower bound: no cost while the curve is at or above the value.
    Lower,
    /// An upper bound: no cost while the curve is at or below the value.
    Upper,
}

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
        }
    }
}

impl std::fmt::Display for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

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

/// The least-squares problem handed to the solver.
pub(crate) struct Problem<'a, M: ?Sized> {
    pub model: &'a M,
    pub t: &'a [f64],
    /// Targets: `y`, or `ln y` when `log`.
    pub y: &'a [f64],
    pub w: Option<&'a [f64]>,
    pub side: Option<&'a [Side]>,
    /// Multiplicative error model: residuals `ln y − ln f`.
    pub log: bool,
    /// All parameters; fixed ones hold their values.
    pub base: [f64; MAX_PARAMS],
    pub n_params: usize,
    /// Indices (into `base`) of the free parameters, in order.
    pub free: [usize; MAX_PARAMS],
    /// Bounds of the free parameters.
    pub lower: [f64; MAX_PARAMS],
    pub upper: [f64; MAX_PARAMS],
}

/// What the solver returns.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    /// Free parameters at the best point.
    pub x: Vec<f64>,
    /// Weighted sum of squares at `x`.
    pub rss: f64,
    /// `JᵀWJ` at `x`, row-major, free × free.
    pub jtj: Vec<f64>,
    /// Observations contributing to the objective at `x` (two-sided, plus binding bounds).
    pub n_active: usize,
    pub termination: Termination,
    pub iterations: usize,
    pub evaluations: usize,
}

/// One pass: sum of squares, `JᵀWJ` (into `a`) and `JᵀWr` (into `b`) at `x`.
/// `None` when the model or its gradient is not finite.
#[inline(always)]
fn evaluate<const P: usize, M: Model + ?Sized>(
    pr: &Problem<'_, M>,
    x: &[f64; P],
    a: &mut [[f64; P]; P],
    b: &mut [f64; P],
) -> Option<(f64, usize)> {
    let mut full = pr.base;
    for k in 0..P {
        full[pr.free[k]] = x[k];
    }
    let full = &full[..pr.n_params];
    let mut gfull = [0.0; MAX_PARAMS];
    let gfull = &mut gfull[..pr.n_params];
    *a = [[0.0; P]; P];
    *b = [0.0; P];
    let mut s = 0.0;
    let mut active = 0;
    for i in 0..pr.t.len() {
        let mut f = pr.model.value_and_gradient(pr.t[i], full, gfull);
        // An overflow anywhere, even at a bound the curve respects, rejects the point in
        // parameter space: the result must never rest on a curve that is infinite at the data.
        if !f.is_finite() {
            return None;
        }
        let mut g = [0.0; P];
        for k in 0..P {
            g[k] = gfull[pr.free[k]];
        }
        if pr.log {
            if !(f > 0.0) {
                return None;
            }
            let inv = 1.0 / f;
            for gk in &mut g {
                *gk *= inv;
            }
            f = f.ln();
        }
        let r = pr.y[i] - f;
        if let Some(side) = pr.side {
            match side[i] {
                Side::Lower if r <= 0.0 => continue,
                Side::Upper if r >= 0.0 => continue,
                _ => {}
            }
        }
        let wi = pr.w.map_or(1.0, |w| w[i]);
        s += wi * r * r;
        active += 1;
        for j in 0..P {
            let wg = wi * g[j];
            b[j] += wg * r;
            for k in j..P {
                a[j][k] += wg * g[k];
            }
        }
    }
    for j in 0..P {
        for k in 0..j {
            a[j][k] = a[k][j];
        }
    }
    let finite =
        s.is_finite() && b.iter().all(|v| v.is_finite()) && (0..P).all(|j| a[j][j].is_finite());
    finite.then_some((s, active))
}

/// In-place Cholesky factorisation `m = L Lᵀ` (lower triangle); `false` if not positive definite.
#[inline(always)]
pub(crate) fn cholesky<const P: usize>(m: &mut [[f64; P]; P]) -> bool {
    for j in 0..P {
        let mut d = m[j][j];
        for k in 0..j {
            d -= m[j][k] * m[j][k];
        }
        if !(d > 0.0) || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        m[j][j] = d;
        for i in j + 1..P {
            let mut s = m[i][j];
            for k in 0..j {
                s -= m[i][k] * m[j][k];
            }
            m[i][j] = s / d;
        }
    }
    true
}

/// Solves `L Lᵀ x = b` with the factor from [`cholesky`].
#[inline(always)]
pub(crate) fn cholesky_solve<const P: usize>(l: &[[f64; P]; P], b: &[f64; P]) -> [f64; P] {
    let mut y = *b;
    for i in 0..P {
        for k in 0..i {
            y[i] -= l[i][k] * y[k];
        }
        y[i] /= l[i][i];
    }
    for i in (0..P).rev() {
        for k in i + 1..P {
            y[i] -= l[k][i] * y[k];
        }
        y[i] /= l[i][i];
    }
    y
}

/// The solver for `P` free parameters.
pub(crate) fn solve_fixed<const P: usize, M: Model + ?Sized>(
    pr: &Problem<'_, M>,
    x0: &[f64],
    settings: &LmSettings,
) -> Outcome {
    let mut x = [0.0; P];
    x.copy_from_slice(&x0[..P]);
    let mut a = [[0.0; P]; P];
    let mut b = [0.0; P];
    let (mut at, mut bt) = (a, b);
    let mut evaluations = 1;
    let outcome = |x: &[f64; P],
                   s: f64,
                   a: &[[f64; P]; P],
                   n_active,
                   termination,
                   iterations,
                   evaluations| Outcome {
        x: x.to_vec(),
        rss: s,
        jtj: a.iter().flatten().copied().collect(),
        n_active,
        termination,
        iterations,
        evaluations,
    };
    let Some((mut s, mut active)) = evaluate(pr, &x, &mut a, &mut b) else {
        return outcome(
            &x,
            f64::NAN,
            &a,
            0,
            Termination::NonFiniteStart,
            0,
            evaluations,
        );
    };
    let mut d2 = [0.0f64; P];
    let mut lambda = 1e-3;
    let mut nu = 2.0;
    let mut iterations = 0;
    let termination = loop {
        if s == 0.0 {
            break Termination::ExactFit;
        }
        // Column norms of the Jacobian, and the gradient test.
        let mut gcos: f64 = 0.0;
        for j in 0..P {
            d2[j] = d2[j].max(a[j][j]);
            if a[j][j] > 0.0 {
                gcos = gcos.max(b[j].abs() / (a[j][j] * s).sqrt());
            }
        }
        if gcos <= settings.gtol {
            break Termination::Gtol;
        }
        if iterations >= settings.max_iterations {
            break Termination::MaxIterations;
        }
        iterations += 1;

        let mut m = a;
        for j in 0..P {
            // A column of zeros (a parameter without effect) still gets a positive diagonal.
            m[j][j] += lambda * if d2[j] > 0.0 { d2[j] } else { 1.0 };
        }
        if !cholesky(&mut m) {
            lambda *= nu;
            nu *= 2.0;
            if lambda > 1e30 {
                break Termination::NoProgress;
            }
            continue;
        }
        let delta = cholesky_solve(&m, &b);
        let mut xt = x;
        let mut step = [0.0; P];
        let (mut dxnorm, mut xnorm) = (0.0, 0.0);
        for j in 0..P {
            xt[j] = (x[j] + delta[j]).clamp(pr.lower[j], pr.upper[j]);
            step[j] = xt[j] - x[j];
            let dj = if d2[j] > 0.0 { d2[j] } else { 1.0 };
            dxnorm += dj * step[j] * step[j];
            xnorm += dj * x[j] * x[j];
        }
        let (dxnorm, xnorm) = (dxnorm.sqrt(), xnorm.sqrt());
        // Predicted reduction of the linearised model: 2 bᵀδ − δᵀAδ.
        let mut pred = 0.0;
        for j in 0..P {
            let mut ad = 0.0;
            for k in 0..P {
                ad += a[j][k] * step[k];
            }
            pred += step[j] * (2.0 * b[j] - ad);
        }
        let trial = evaluate(pr, &xt, &mut at, &mut bt);
        evaluations += 1;
        let prered = pred / s;
        let (actred, ratio) = match trial {
            Some((st, _)) => {
                let actred = 1.0 - st / s;
                (actred, if prered > 0.0 { actred / prered } else { 0.0 })
            }
            None => (-1.0, 0.0),
        };
        if ratio > 1e-4 {
            let (st, act) = trial.expect("ratio > 0 implies a finite trial");
            x = xt;
            s = st;
            active = act;
            std::mem::swap(&mut a, &mut at);
            std::mem::swap(&mut b, &mut bt);
            let c = 2.0 * ratio - 1.0;
            lambda *= (1.0 - c * c * c).max(1.0 / 3.0);
            nu = 2.0;
        } else {
            lambda *= nu;
            nu *= 2.0;
        }
        let ftol_ok =
            actred.abs() <= settings.ftol && prered <= settings.ftol && 0.5 * ratio <= 1.0;
        let xtol_ok = dxnorm <= settings.xtol * xnorm;
        match (ftol_ok, xtol_ok) {
            (true, true) => break Termination::FtolAndXtol,
            (true, false) => break Termination::Ftol,
            (false, true) => break Termination::Xtol,
            _ => {}
        }
        let eps = f64::EPSILON;
        if (actred.abs() <= eps && prered <= eps && 0.5 * ratio <= 1.0)
            || dxnorm <= eps * xnorm
            || lambda > 1e30
        {
            // Nothing more to gain in floating point: a minimum if the gradient vanishes.
            break if gcos <= 1e-6 || prered <= eps {
                Termination::Stalled
            } else {
                Termination::NoProgress
            };
        }
    };
    outcome(&x, s, &a, active, termination, iterations, evaluations)
}

/// Runs the solver, dispatching on the number of free parameters (1 to [`MAX_PARAMS`]).
pub(crate) fn solve<M: Model + ?Sized>(
    pr: &Problem<'_, M>,
    x0: &[f64],
    settings: &LmSettings,
) -> Outcome {
    match x0.len() {
        1 => solve_fixed::<1, M>(pr, x0, settings),
        2 => solve_fixed::<2, M>(pr, x0, settings),
        3 => solve_fixed::<3, M>(pr, x0, settings),
        4 => solve_fixed::<4, M>(pr, x0, settings),
        5 => solve_fixed::<5, M>(pr, x0, settings),
        6 => solve_fixed::<6, M>(pr, x0, settings),
        7 => solve_fixed::<7, M>(pr, x0, settings),
        8 => solve_fixed::<8, M>(pr, x0, settings),
        9 => solve_fixed::<9, M>(pr, x0, settings),
        10 => solve_fixed::<10, M>(pr, x0, settings),
        n => unreachable!("{n} free parameters: checked by the fitter"),
    }
}

/// Inverse of a symmetric positive-definite matrix (row-major, `p × p`), `None` if singular.
pub(crate) fn spd_inverse(m: &[f64], p: usize) -> Option<Vec<f64>> {
    fn inv<const P: usize>(m: &[f64]) -> Option<Vec<f64>> {
        let mut l = [[0.0; P]; P];
        for i in 0..P {
            l[i].copy_from_slice(&m[i * P..(i + 1) * P]);
        }
        // Scale to unit diagonal first: the inverse of a badly scaled matrix stays accurate.
        let mut sc = [0.0; P];
        for i in 0..P {
            if !(l[i][i] > 0.0) {
                return None;
            }
            sc[i] = 1.0 / l[i][i].sqrt();
        }
        for i in 0..P {
            for j in 0..P {
                l[i][j] *= sc[i] * sc[j];
            }
        }
        if !cholesky(&mut l) {
            return None;
        }
        // Refuse numerically singular matrices (condition number beyond ~1e14).
        let (dmin, dmax) = (0..P).fold((f64::INFINITY, 0.0f64), |(lo, hi), i| {
            (lo.min(l[i][i]), hi.max(l[i][i]))
        });
        if dmin / dmax < 1e-7 {
            return None;
        }
        let mut out = vec![0.0; P * P];
        for j in 0..P {
            let mut e = [0.0; P];
            e[j] = 1.0;
            let col = cholesky_solve(&l, &e);
            for i in 0..P {
                out[i * P + j] = col[i] * sc[i] * sc[j];
            }
        }
        Some(out)
    }
    match p {
        0 => Some(Vec::new()),
        1 => inv::<1>(m),
        2 => inv::<2>(m),
        3 => inv::<3>(m),
        4 => inv::<4>(m),
        5 => inv::<5>(m),
        6 => inv::<6>(m),
        7 => inv::<7>(m),
        8 => inv::<8>(m),
        9 => inv::<9>(m),
        10 => inv::<10>(m),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_and_inverts() {
        let m = [[4.0, 2.0, 0.6], [2.0, 5.0, 1.0], [0.6, 1.0, 3.0]];
        let mut l = m;
        assert!(cholesky(&mut l));
        let x = cholesky_solve(&l, &[1.0, 2.0, 3.0]);
        for i in 0..3 {
            let r: f64 = (0..3).map(|k| m[i][k] * x[k]).sum();
            approx::assert_relative_eq!(r, [1.0, 2.0, 3.0][i], max_relative = 1e-14);
        }
        let flat: Vec<f64> = m.iter().flatten().copied().collect();
        let inv = spd_inverse(&flat, 3).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let r: f64 = (0..3).map(|k| m[i][k] * inv[k * 3 + j]).sum();
                approx::assert_abs_diff_eq!(r, if i == j { 1.0 } else { 0.0 }, epsilon = 1e-14);
            }
        }
        assert!(spd_inverse(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
    }
}
