//! The least-squares problem and the objectives the LM loop works on: the general one
//! ([`Problem`]: fixed parameters, weights, one-sided observations) and the lean one ([`Dense`]:
//! every parameter free, unit weights, two-sided residuals), each evaluated in one pass that
//! accumulates `JᵀWJ` and `JᵀWr`.

use super::termination::Termination;
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

/// Points per block in [`Dense`]'s pass.
const BLOCK: usize = 32;

/// The lean objective: every parameter free, unit weights, two-sided residuals `y − f`
/// (`LOG = false`) or `ln y − ln f` (`LOG = true`, with `y` already logged). No gather, no
/// branches on weights or sides in the inner loop.
///
/// For the same data it computes exactly what [`Problem`] computes (the same operations in the
/// same order), so a fit gives the same bits through either.
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
