//! The LM loop ([`lm_core`]) and the general solver's dispatch on the number of free
//! parameters.

use super::problem::{Dense, Objective, Outcome, Problem};
use super::settings::LmSettings;
use super::termination::Termination;
use super::trust_region::{lmpar, scaled_norm};
use crate::model::Model;

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

impl<const P: usize> Core<P> {
    /// The start is not a point to search from: the objective is not finite there.
    fn non_finite_start(x: [f64; P], jtj: [[f64; P]; P]) -> Self {
        Core {
            x,
            rss: f64::NAN,
            jtj,
            n_active: 0,
            termination: Termination::NonFiniteStart,
            iterations: 0,
            evaluations: 1,
        }
    }
}

/// The LM loop for `P` free parameters, on any [`Objective`]. Allocates nothing.
///
/// MINPACK's `lmder` on the normal equations: a trust region of radius `delta` in the scaled
/// norm `‖D x‖` (initially 100 ‖D x₀‖), the damping `par` from [`lmpar`], the radius updated
/// from the ratio of actual to predicted reduction, and MINPACK's convergence tests.
/// `lower` and `upper` bound the free parameters (infinite for none); `x0` lies within them.
/// Steps are clamped to the bounds, and a parameter on a bound whose gradient points past it is
/// held there for the step ([`hold_on_bounds`]), so that a fit can converge on a bound.
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
        return Core::non_finite_start(x, a);
    };
    let mut diag = [0.0f64; P];
    // The normal equations with the parameters held on a bound taken out, when there are some.
    let (mut am, mut bm) = (a, b);
    let (mut delta, mut xnorm, mut par) = (0.0, 0.0, 0.0);
    let mut first = true;
    let mut iterations = 0;
    // An accepted trial's normal equations wait in `at`, `bt` until the next iteration.
    let mut swap = false;
    let termination = 'outer: loop {
        if std::mem::take(&mut swap) {
            std::mem::swap(&mut a, &mut at);
            std::mem::swap(&mut b, &mut bt);
        }
        if s == 0.0 {
            break Termination::ExactFit;
        }
        let (sa, sb) = if hold_on_bounds(&a, &b, &x, lower, upper, &mut am, &mut bm) {
            (&am, &bm)
        } else {
            (&a, &b)
        };
        let gcos = scale(sa, sb, s, &mut diag, first);
        if first {
            xnorm = scaled_norm(&diag, &x);
            delta = if xnorm > 0.0 { FACTOR * xnorm } else { FACTOR };
        }
        // No parameter moves the curve at all: no direction to search, and no minimum to claim.
        if (0..P).all(|j| sa[j][j] == 0.0) {
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
            let Some(delta_x) = lmpar(sa, sb, &diag, delta, &mut par) else {
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
            let (prered, dirder) = predicted(sa, sb, &step, s);
            let trial = obj.evaluate(&xt, &mut at, &mut bt);
            evaluations += 1;
            let st = trial.map_or(f64::INFINITY, |(st, _)| st);
            // MINPACK: 0.1 ‖r₁‖ < ‖r‖, i.e. 0.01 s₁ < s.
            let actred = if 0.01 * st < s { 1.0 - st / s } else { -1.0 };
            // (A step cut by a bound can predict no reduction: then it is not taken.)
            let ratio = if prered > 0.0 { actred / prered } else { 0.0 };
            let shrink = 0.01 * st >= s;
            update_radius(ratio, actred, dirder, shrink, pnorm, &mut delta, &mut par);
            let accepted = ratio >= 1e-4 && trial.is_some();
            if accepted {
                let (st, act) = trial.expect("checked");
                x = xt;
                s = st;
                active = act;
                swap = true;
                xnorm = scaled_norm(&diag, &x);
                first = false;
            }
            let step = Step {
                actred,
                prered,
                ratio,
                delta,
                xnorm,
                gcos,
            };
            if let Some(t) = step.converged(settings) {
                break 'outer t;
            }
            if accepted {
                continue 'outer;
            }
        }
    };
    Core {
        x,
        rss: s,
        jtj: if swap { at } else { a },
        n_active: active,
        termination,
        iterations,
        evaluations,
    }
}

/// Takes the parameters that sit on a bound and whose gradient points past it out of the
/// normal equations for the next step (their rows and columns zeroed but for the diagonal,
/// their gradient zeroed), into `am` and `bm`: the step then keeps them where they are and
/// moves the others to their best given that, and the gradient test sees only the free
/// directions, so a fit that ends on a bound converges there. `false` (and nothing written)
/// when no parameter is held: a few comparisons per iteration.
#[inline(always)]
fn hold_on_bounds<const P: usize>(
    a: &[[f64; P]; P],
    b: &[f64; P],
    x: &[f64; P],
    lower: &[f64; P],
    upper: &[f64; P],
    am: &mut [[f64; P]; P],
    bm: &mut [f64; P],
) -> bool {
    // `b` is `Jᵀr` with `r = y − f`: the descent direction.
    let held = |j: usize| (x[j] <= lower[j] && b[j] < 0.0) || (x[j] >= upper[j] && b[j] > 0.0);
    if !(0..P).any(held) {
        return false;
    }
    *am = *a;
    *bm = *b;
    for j in (0..P).filter(|&j| held(j)) {
        for k in 0..P {
            if k != j {
                am[j][k] = 0.0;
                am[k][j] = 0.0;
            }
        }
        bm[j] = 0.0;
    }
    true
}

/// Column norms of the Jacobian (`sqrt` of `JᵀJ`'s diagonal): they update the scaling `diag`
/// (set on the first iteration, a running maximum after) and give the gradient test's cosine.
#[inline(always)]
fn scale<const P: usize>(
    a: &[[f64; P]; P],
    b: &[f64; P],
    s: f64,
    diag: &mut [f64; P],
    first: bool,
) -> f64 {
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
    gcos
}

/// Predicted reduction of the linearised model, `2 bᵀδ − δᵀAδ`, and the directional derivative
/// `−bᵀδ`, both relative to the sum of squares `s`.
#[inline(always)]
fn predicted<const P: usize>(
    a: &[[f64; P]; P],
    b: &[f64; P],
    step: &[f64; P],
    s: f64,
) -> (f64, f64) {
    let (mut btd, mut dad) = (0.0, 0.0);
    for j in 0..P {
        let mut ad = 0.0;
        for k in 0..P {
            ad += a[j][k] * step[k];
        }
        btd += b[j] * step[j];
        dad += step[j] * ad;
    }
    ((2.0 * btd - dad) / s, -btd / s)
}

/// MINPACK's update of the trust region's radius and the damping from the ratio of actual to
/// predicted reduction (`shrink`: the trial's sum of squares grew more than a hundredfold).
#[inline(always)]
fn update_radius(
    ratio: f64,
    actred: f64,
    dirder: f64,
    shrink: bool,
    pnorm: f64,
    delta: &mut f64,
    par: &mut f64,
) {
    if ratio <= 0.25 {
        let mut temp = if actred >= 0.0 {
            0.5
        } else {
            0.5 * dirder / (dirder + 0.5 * actred)
        };
        if shrink || !(temp >= 0.1) {
            temp = 0.1;
        }
        *delta = temp * delta.min(pnorm / 0.1);
        *par /= temp;
    } else if *par == 0.0 || ratio >= 0.75 {
        *delta = pnorm / 0.5;
        *par *= 0.5;
    }
}

/// One trial step's numbers, for MINPACK's convergence tests.
struct Step {
    actred: f64,
    prered: f64,
    ratio: f64,
    delta: f64,
    xnorm: f64,
    gcos: f64,
}

impl Step {
    /// The `ftol` and `xtol` tests, then "nothing more to gain in floating point" (a minimum
    /// if the gradient vanishes there).
    #[inline(always)]
    fn converged(&self, settings: &LmSettings) -> Option<Termination> {
        let eps = f64::EPSILON;
        let ftol_ok = self.actred.abs() <= settings.ftol
            && self.prered <= settings.ftol
            && 0.5 * self.ratio <= 1.0;
        let xtol_ok = self.delta <= settings.xtol * self.xnorm;
        match (ftol_ok, xtol_ok) {
            (true, true) => return Some(Termination::FtolAndXtol),
            (true, false) => return Some(Termination::Ftol),
            (false, true) => return Some(Termination::Xtol),
            _ => {}
        }
        let flat = self.actred.abs() <= eps && self.prered <= eps && 0.5 * self.ratio <= 1.0;
        if flat || self.delta <= eps * self.xnorm {
            return Some(if self.gcos <= 1e-6 || self.prered <= eps {
                Termination::Stalled
            } else {
                Termination::NoProgress
            });
        }
        None
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

/// Runs the solver, dispatching on the number of free parameters (1 to
/// [`crate::model::MAX_PARAMS`]).
pub(crate) fn solve<M: Model + ?Sized>(
    pr: &Problem<'_, M>,
    x0: &[f64],
    settings: &LmSettings,
) -> Outcome {
    super::by_size!(x0.len(), solve_fixed::<_, M>(pr, x0, settings))
}
