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
//! The loop ([`lm_core`]) is generic over the [`Objective`]; the general problem ([`Problem`])
//! and the lean one ([`Dense`]: every parameter free, unit weights, two-sided residuals) each
//! get their own monomorphised inner loop.

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

/// One pass of an objective at `x`: writes `JᵀWJ` into `a` and `JᵀWr` into `b`, and returns the
/// weighted sum of squares and the number of observations that contribute to it. `None` when
/// the model or its gradient is not finite.
///
/// The LM loop ([`lm_core`]) is generic over this, so that each kind of problem gets its own
/// monomorphised inner loop: the general one ([`Problem`]: fixed parameters, weights, one-sided
/// observations) and the lean one ([`Dense`]: every parameter free, unit weights, two-sided).
pub(crate) trait Objective<const P: usize> {
    fn evaluate(
        &mut self,
        x: &[f64; P],
        a: &mut [[f64; P]; P],
        b: &mut [f64; P],
    ) -> Option<(f64, usize)>;
}

/// Mirrors the upper triangle of `a` into the lower one and checks that the pass is finite.
#[inline(always)]
fn finish<const P: usize>(s: f64, a: &mut [[f64; P]; P], b: &[f64; P]) -> bool {
    for j in 0..P {
        for k in 0..j {
            a[j][k] = a[k][j];
        }
    }
    s.is_finite() && b.iter().all(|v| v.is_finite()) && (0..P).all(|j| a[j][j].is_finite())
}

impl<const P: usize, M: Model + ?Sized> Objective<P> for &Problem<'_, M> {
    #[inline(always)]
    fn evaluate(
        &mut self,
        x: &[f64; P],
        a: &mut [[f64; P]; P],
        b: &mut [f64; P],
    ) -> Option<(f64, usize)> {
        let pr = *self;
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
            // (In the lean pass every point counts, so an infinite value makes the sum infinite.)
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
        finish(s, a, b).then_some((s, active))
    }
}

/// The lean objective: every parameter free, unit weights, two-sided residuals `y − f`
/// (`LOG = false`) or `ln y − ln f` (`LOG = true`, with `y` already logged). No gather, no
/// branches on weights or sides in the inner loop.
///
/// For the same data it computes exactly what [`Problem`] computes (the same operations in the
/// same order), so a fit gives the same bits through either.
/// Points per block in [`Dense`]'s pass.
const BLOCK: usize = 32;

pub(crate) struct Dense<'a, M: ?Sized, const P: usize, const LOG: bool> {
    model: &'a M,
    t: &'a [f64],
    /// Targets: `y`, or `ln y` when `LOG`.
    y: &'a [f64],
    /// A block of values and gradients, filled by the model.
    fb: [f64; BLOCK],
    gb: [[f64; P]; BLOCK],
}

impl<'a, M: Model + ?Sized, const P: usize, const LOG: bool> Dense<'a, M, P, LOG> {
    /// The lean objective on `t` and its targets `y` (`ln y` when `LOG`).
    #[inline(always)]
    pub(crate) fn new(model: &'a M, t: &'a [f64], y: &'a [f64]) -> Self {
        Self {
            model,
            t,
            y,
            fb: [0.0; BLOCK],
            gb: [[0.0; P]; BLOCK],
        }
    }
}

impl<const P: usize, const LOG: bool, M: Model + ?Sized> Objective<P> for Dense<'_, M, P, LOG> {
    #[inline(always)]
    fn evaluate(
        &mut self,
        x: &[f64; P],
        a: &mut [[f64; P]; P],
        b: &mut [f64; P],
    ) -> Option<(f64, usize)> {
        let n = self.t.len();
        let (t, y) = (&self.t[..n], &self.y[..n]);
        let mut aa = [[0.0; P]; P];
        let mut bb = [0.0; P];
        let mut s = 0.0;
        // The model fills a block of values and gradients (its exp() calls together), then the
        // accumulation runs without calls, its sums in registers.
        let mut i0 = 0;
        while i0 < n {
            let m = (n - i0).min(BLOCK);
            let (fb, gb) = (&mut self.fb[..m], &mut self.gb[..m]);
            self.model
                .values_and_gradients(&t[i0..i0 + m], x, fb, gb.as_flattened_mut());
            if LOG {
                for i in 0..m {
                    let f = fb[i];
                    if !(f > 0.0) {
                        return None;
                    }
                    let inv = 1.0 / f;
                    for gk in &mut gb[i] {
                        *gk *= inv;
                    }
                    fb[i] = f.ln();
                }
            }
            let y = &y[i0..i0 + m];
            for i in 0..m {
                let g = &gb[i];
                let r = y[i] - fb[i];
                s += r * r;
                for j in 0..P {
                    let gj = g[j];
                    bb[j] += gj * r;
                    for k in j..P {
                        aa[j][k] += gj * g[k];
                    }
                }
            }
            i0 += m;
        }
        *a = aa;
        *b = bb;
        finish(s, a, b).then_some((s, n))
    }
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

/// Where the LM loop ended, in fixed-size arrays (nothing on the heap).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Core<const P: usize> {
    /// Free parameters at the best point.
    pub x: [f64; P],
    /// Weighted sum of squares at `x`.
    pub rss: f64,
    /// `JᵀWJ` at `x`.
    pub jtj: [[f64; P]; P],
    /// Observations contributing to the objective at `x`.
    pub n_active: usize,
    pub termination: Termination,
    pub iterations: usize,
    pub evaluations: usize,
}

/// `M = L D Lᵀ` with `L` unit lower triangular: no square roots and one division per pivot,
/// which keeps the chain of dependent divisions in [`lmpar`] short.
#[derive(Clone, Copy)]
struct Ldl<const P: usize> {
    /// Strictly lower part of `L`.
    l: [[f64; P]; P],
    /// `1 / D`.
    dinv: [f64; P],
}

impl<const P: usize> Ldl<P> {
    /// Factorises `m` (symmetric, upper and lower triangles both set); `None` unless it is
    /// positive definite in floating point.
    #[inline(always)]
    fn new(m: &[[f64; P]; P]) -> Option<Self> {
        let mut l = [[0.0; P]; P];
        let mut d = [0.0; P];
        let mut dinv = [0.0; P];
        for j in 0..P {
            // l[j][k] * d[k] for k < j.
            let mut ld = [0.0; P];
            let mut dj = m[j][j];
            for k in 0..j {
                ld[k] = l[j][k] * d[k];
                dj -= ld[k] * l[j][k];
            }
            if !(dj > 0.0) || !dj.is_finite() {
                return None;
            }
            d[j] = dj;
            dinv[j] = 1.0 / dj;
            for i in j + 1..P {
                let mut s = m[i][j];
                for k in 0..j {
                    s -= l[i][k] * ld[k];
                }
                l[i][j] = s * dinv[j];
            }
        }
        Some(Self { l, dinv })
    }

    /// `L z = v`.
    #[inline(always)]
    fn forward(&self, v: &[f64; P]) -> [f64; P] {
        let mut z = *v;
        for i in 0..P {
            for k in 0..i {
                z[i] -= self.l[i][k] * z[k];
            }
        }
        z
    }

    /// Solves `M x = b`.
    #[inline(always)]
    fn solve(&self, b: &[f64; P]) -> [f64; P] {
        let mut x = self.forward(b);
        for i in 0..P {
            x[i] *= self.dinv[i];
        }
        for i in (0..P).rev() {
            for k in i + 1..P {
                x[i] -= self.l[k][i] * x[k];
            }
        }
        x
    }

    /// `‖R⁻ᵀ v‖²` for `M = RᵀR` (`R = D^½ Lᵀ`): `Σ (L⁻¹ v)ᵢ² / Dᵢ`.
    #[inline(always)]
    fn inv_norm2(&self, v: &[f64; P]) -> f64 {
        let z = self.forward(v);
        let mut s = 0.0;
        for i in 0..P {
            s += z[i] * z[i] * self.dinv[i];
        }
        s
    }
}

#[inline(always)]
fn scaled_norm2<const P: usize>(diag: &[f64; P], v: &[f64; P]) -> f64 {
    let mut s = 0.0;
    for j in 0..P {
        let d = diag[j] * v[j];
        s += d * d;
    }
    s
}

#[inline(always)]
fn scaled_norm<const P: usize>(diag: &[f64; P], v: &[f64; P]) -> f64 {
    scaled_norm2(diag, v).sqrt()
}

/// Moré's `lmpar` (MINPACK) on the normal equations: finds `par ≥ 0` and the step `δ` with
/// `(A + par D²) δ = b` such that `‖D δ‖` is within 10% of `delta`, or `par = 0` when the
/// Gauss–Newton step lies within `1.1 delta`. `par` holds the previous value on entry (a start
/// for the Newton iteration on `par`). `None` if no factorisation succeeds.
#[inline(always)]
fn lmpar<const P: usize>(
    a: &[[f64; P]; P],
    b: &[f64; P],
    diag: &[f64; P],
    delta: f64,
    par: &mut f64,
) -> Option<[f64; P]> {
    let dwarf = f64::MIN_POSITIVE;
    // The Gauss–Newton step, if the normal equations are positive definite.
    let gauss_newton = Ldl::new(a);
    let mut fp = f64::INFINITY;
    let mut parl = 0.0;
    if let Some(f) = &gauss_newton {
        let p = f.solve(b);
        let dx2 = scaled_norm2(diag, &p);
        // ‖D p‖ − Δ ≤ 0.1 Δ, without the square root.
        if dx2 <= 1.21 * delta * delta {
            *par = 0.0;
            return Some(p);
        }
        let dxnorm = dx2.sqrt();
        fp = dxnorm - delta;
        // Lower bound on par from the Newton step at par = 0.
        let mut v = [0.0; P];
        let inv = 1.0 / dxnorm;
        for j in 0..P {
            v[j] = diag[j] * (diag[j] * p[j]) * inv;
        }
        parl = (fp / delta) / f.inv_norm2(&v);
        if !parl.is_finite() {
            parl = 0.0;
        }
    }
    // Upper bound from the scaled gradient.
    let mut gnorm = 0.0;
    for j in 0..P {
        let g = b[j] / diag[j];
        gnorm += g * g;
    }
    let gnorm = gnorm.sqrt();
    let mut paru = gnorm / delta;
    if paru == 0.0 {
        paru = dwarf / delta.min(0.1);
    }
    *par = par.max(parl).min(paru);
    if *par == 0.0 && gauss_newton.is_some() {
        *par = gnorm / (fp + delta);
    }
    let mut best = None;
    for iter in 1..=10 {
        if *par == 0.0 {
            *par = dwarf.max(1e-3 * paru);
        }
        let mut m = *a;
        for j in 0..P {
            m[j][j] += *par * diag[j] * diag[j];
        }
        let Some(f) = Ldl::new(&m) else {
            // Not positive definite in floating point: more damping.
            parl = parl.max(*par);
            *par = (10.0 * *par).max(1e-3 * paru);
            continue;
        };
        let p = f.solve(b);
        best = Some(p);
        let dxnorm = scaled_norm(diag, &p);
        let previous = fp;
        fp = dxnorm - delta;
        if fp.abs() <= 0.1 * delta
            || (parl == 0.0 && fp <= previous && previous < 0.0)
            || iter == 10
            || dxnorm == 0.0
        {
            break;
        }
        // Newton correction.
        let mut v = [0.0; P];
        let inv = 1.0 / dxnorm;
        for j in 0..P {
            v[j] = diag[j] * (diag[j] * p[j]) * inv;
        }
        let parc = (fp / delta) / f.inv_norm2(&v);
        if fp > 0.0 {
            parl = parl.max(*par);
        }
        if fp < 0.0 {
            paru = paru.min(*par);
        }
        *par = parl.max(*par + parc);
    }
    best
}

/// The LM loop for `P` free parameters, on any [`Objective`]. Allocates nothing.
///
/// MINPACK's `lmder` on the normal equations: a trust region of radius `delta` in the scaled
/// norm `‖D x‖` (initially 100 ‖D x₀‖), the damping `par` from [`lmpar`], the radius updated
/// from the ratio of actual to predicted reduction, and MINPACK's convergence tests.
/// `lower` and `upper` bound the free parameters (infinite for none); `x0` lies within them.
#[inline(always)]
pub(crate) fn lm_core<const P: usize, O: Objective<P> + ?Sized>(
    obj: &mut O,
    x0: [f64; P],
    lower: &[f64; P],
    upper: &[f64; P],
    settings: &LmSettings,
) -> Core<P> {
    const FACTOR: f64 = 100.0;
    let eps = f64::EPSILON;
    let mut x = x0;
    let mut a = [[0.0; P]; P];
    let mut b = [0.0; P];
    let (mut at, mut bt) = (a, b);
    let mut evaluations = 1;
    let Some((mut s, mut active)) = obj.evaluate(&x, &mut a, &mut b) else {
        return Core {
            x,
            rss: f64::NAN,
            jtj: a,
            n_active: 0,
            termination: Termination::NonFiniteStart,
            iterations: 0,
            evaluations,
        };
    };
    let mut diag = [0.0f64; P];
    let (mut delta, mut xnorm, mut par) = (0.0, 0.0, 0.0);
    let mut first = true;
    let mut iterations = 0;
    let termination = 'outer: loop {
        if s == 0.0 {
            break Termination::ExactFit;
        }
        // Column norms of the Jacobian, the scaling, and the gradient test.
        let mut gcos: f64 = 0.0;
        for j in 0..P {
            let cn = a[j][j].sqrt();
            if cn > 0.0 {
                gcos = gcos.max(b[j].abs() / (cn * s.sqrt()));
            }
            diag[j] = if first {
                if cn > 0.0 {
                    cn
                } else {
                    1.0
                }
            } else {
                diag[j].max(cn)
            };
        }
        if first {
            xnorm = scaled_norm(&diag, &x);
            delta = if xnorm > 0.0 { FACTOR * xnorm } else { FACTOR };
        }
        // No parameter moves the curve at all: no direction to search, and no minimum to claim.
        if (0..P).all(|j| a[j][j] == 0.0) {
            break Termination::SingularJacobian;
        }
        if gcos <= settings.gtol {
            break Termination::Gtol;
        }
        if gcos <= eps {
            break Termination::Stalled;
        }
        // Trial steps with this Jacobian until one reduces the sum of squares.
        loop {
            if iterations >= settings.max_iterations {
                break 'outer Termination::MaxIterations;
            }
            iterations += 1;
            let Some(delta_x) = lmpar(&a, &b, &diag, delta, &mut par) else {
                break 'outer Termination::NoProgress;
            };
            let mut xt = x;
            let mut step = [0.0; P];
            for j in 0..P {
                xt[j] = (x[j] + delta_x[j]).clamp(lower[j], upper[j]);
                step[j] = xt[j] - x[j];
            }
            let pnorm = scaled_norm(&diag, &step);
            if first {
                delta = delta.min(pnorm);
            }
            // Predicted reduction of the linearised model, 2 bᵀδ − δᵀAδ, and the directional
            // derivative −bᵀδ, both relative to the sum of squares.
            let (mut btd, mut dad) = (0.0, 0.0);
            for j in 0..P {
                let mut ad = 0.0;
                for k in 0..P {
                    ad += a[j][k] * step[k];
                }
                btd += b[j] * step[j];
                dad += step[j] * ad;
            }
            let prered = (2.0 * btd - dad) / s;
            let dirder = -btd / s;
            let trial = obj.evaluate(&xt, &mut at, &mut bt);
            evaluations += 1;
            let st = trial.map_or(f64::INFINITY, |(st, _)| st);
            // MINPACK: 0.1 ‖r₁‖ < ‖r‖, i.e. 0.01 s₁ < s.
            let actred = if 0.01 * st < s { 1.0 - st / s } else { -1.0 };
            // (A step cut by a bound can predict no reduction: then it is not taken.)
            let ratio = if prered > 0.0 { actred / prered } else { 0.0 };
            if ratio <= 0.25 {
                let mut temp = if actred >= 0.0 {
                    0.5
                } else {
                    0.5 * dirder / (dirder + 0.5 * actred)
                };
                if 0.01 * st >= s || !(temp >= 0.1) {
                    temp = 0.1;
                }
                delta = temp * delta.min(pnorm / 0.1);
                par /= temp;
            } else if par == 0.0 || ratio >= 0.75 {
                delta = pnorm / 0.5;
                par *= 0.5;
            }
            let accepted = ratio >= 1e-4 && trial.is_some();
            if accepted {
                let (st, act) = trial.expect("checked");
                x = xt;
                s = st;
                active = act;
                std::mem::swap(&mut a, &mut at);
                std::mem::swap(&mut b, &mut bt);
                xnorm = scaled_norm(&diag, &x);
                first = false;
            }
            let ftol_ok =
                actred.abs() <= settings.ftol && prered <= settings.ftol && 0.5 * ratio <= 1.0;
            let xtol_ok = delta <= settings.xtol * xnorm;
            match (ftol_ok, xtol_ok) {
                (true, true) => break 'outer Termination::FtolAndXtol,
                (true, false) => break 'outer Termination::Ftol,
                (false, true) => break 'outer Termination::Xtol,
                _ => {}
            }
            if (actred.abs() <= eps && prered <= eps && 0.5 * ratio <= 1.0) || delta <= eps * xnorm
            {
                // Nothing more to gain in floating point: a minimum if the gradient vanishes.
                break 'outer if gcos <= 1e-6 || prered <= eps {
                    Termination::Stalled
                } else {
                    Termination::NoProgress
                };
            }
            if accepted {
                continue 'outer;
            }
        }
    };
    Core {
        x,
        rss: s,
        jtj: a,
        n_active: active,
        termination,
        iterations,
        evaluations,
    }
}

/// The general solver for `P` free parameters, with the lean inner loop when the problem
/// allows it (every parameter free, no weights, no one-sided observations).
fn solve_fixed<const P: usize, M: Model + ?Sized>(
    pr: &Problem<'_, M>,
    x0: &[f64],
    settings: &LmSettings,
) -> Outcome {
    let mut x = [0.0; P];
    x.copy_from_slice(&x0[..P]);
    let mut lower = [0.0; P];
    let mut upper = [0.0; P];
    lower.copy_from_slice(&pr.lower[..P]);
    upper.copy_from_slice(&pr.upper[..P]);
    let dense = pr.n_params == P && pr.w.is_none() && pr.side.is_none();
    let core = match (dense, pr.log) {
        (true, false) => {
            let mut obj = Dense::<M, P, false>::new(pr.model, pr.t, pr.y);
            lm_core(&mut obj, x, &lower, &upper, settings)
        }
        (true, true) => {
            let mut obj = Dense::<M, P, true>::new(pr.model, pr.t, pr.y);
            lm_core(&mut obj, x, &lower, &upper, settings)
        }
        (false, _) => lm_core(&mut &*pr, x, &lower, &upper, settings),
    };
    Outcome {
        x: core.x.to_vec(),
        rss: core.rss,
        jtj: core.jtj.iter().flatten().copied().collect(),
        n_active: core.n_active,
        termination: core.termination,
        iterations: core.iterations,
        evaluations: core.evaluations,
    }
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
