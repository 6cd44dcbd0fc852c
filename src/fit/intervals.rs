//! Parameter intervals by profile likelihood, the default.
//!
//! A Wald interval (estimate ± t·SE) assumes the sum of squares is a parabola in the parameter.
//! On four to ten points of a growth curve it rarely is: raising a ceiling the data have not
//! reached costs almost nothing, so the honest interval is one-sided ("K above 3e14, no upper
//! bound from these data"). The profile holds parameter `θⱼ` at a value `v`, refits the others
//! and measures
//!
//! ```text
//! τ(v) = sqrt((RSS(v) − RSS_min) / s²),   s² = RSS_min / (n − p)
//! ```
//!
//! The interval is `{v : τ(v) ≤ t_{n−p}(1 − α/2)}`, the Student-t calibration of R's
//! `confint()` on an `nls` fit (MASS's profile, Bates & Watts ch. 6): exact for a model linear
//! in its parameters, and in our simulations (README, "Honest results") within a few points of
//! the nominal level for the curves of this crate with n − p ≥ 1. Where the profile never
//! climbs to the threshold the end is infinite ("no bound from these data"); where it reaches a
//! bound of the parameter (a rate held positive) the end is that bound.
//!
//! The search walks out from the estimate in steps that double from one standard error (on the
//! log scale for a positive level or ceiling), each refit starting from the last, then finds
//! the crossing by regula falsi. A 10-point logistic costs about 60 refits.

use super::t_quantile;
use super::{Fit, IntervalMethod};
use crate::model::Role;

/// How far out the search goes before it calls an end unbounded: a factor of 1e8 on a log
/// scale, 1e8 standard errors (or estimates) on a linear one.
const REACH: f64 = 18.42;
/// At most this many doublings of the step on each side.
const MAX_STEPS: usize = 48;
/// At most this many refits to pin a crossing down.
const MAX_REFINE: usize = 40;

/// The scale a parameter is profiled on.
#[derive(Clone, Copy, Debug)]
struct Scale {
    log: bool,
}

impl Scale {
    fn to(self, v: f64) -> f64 {
        if self.log {
            v.ln()
        } else {
            v
        }
    }
    fn from(self, x: f64) -> f64 {
        if self.log {
            x.exp()
        } else {
            x
        }
    }
}

impl Fit {
    /// Replaces the Wald intervals of the free parameters by profile-likelihood ones (where the
    /// fit has degrees of freedom).
    pub(crate) fn use_profile_intervals(&mut self) {
        for j in 0..self.params.len() {
            if self.params[j].fixed {
                continue;
            }
            let (lower, upper) = self.profile_ends(j, self.level);
            if lower.is_nan() || upper.is_nan() {
                continue;
            }
            let p = &mut self.params[j];
            p.lower = lower;
            p.upper = upper;
            p.method = IntervalMethod::Profile;
        }
    }

    /// The profile-likelihood interval `(lower, upper)` of parameter `j` at `level`; an end
    /// is infinite where the data set no bound, NaN without degrees of freedom.
    pub(crate) fn profile_ends(&self, j: usize, level: f64) -> (f64, f64) {
        let est = self.params[j].estimate;
        if self.params[j].fixed {
            return (est, est);
        }
        if self.dof == 0 || !(self.rss > 0.0) {
            return (f64::NAN, f64::NAN);
        }
        let thr = t_quantile(0.5 + level / 2.0, self.dof);
        let (lo, hi) = (self.refit_data.lower[j], self.refit_data.upper[j]);
        let role = self.params[j].role;
        let positive = est > 0.0 && (lo >= 0.0 || matches!(role, Role::Level | Role::Ceiling));
        let scale = Scale { log: positive };
        let se = self.params[j].std_error;
        let h0 = match (scale.log, se.is_finite() && se > 0.0) {
            (true, true) => (se / est).min(1.0),
            (true, false) => 0.1,
            (false, true) => se,
            (false, false) => 0.1 * est.abs().max(1e-8),
        };
        let s2 = self.rss / self.dof as f64;
        let tau = |x: f64, warm: &[f64]| {
            let v = scale.from(x);
            if !v.is_finite() {
                return None;
            }
            let r = self.refit(&self.refit_data.ty, Some((j, v)), warm)?;
            Some((((r.rss - self.rss).max(0.0) / s2).sqrt(), r.params))
        };
        let search = Search {
            tau,
            x0: scale.to(est),
            warm: self.estimates(),
            log: scale.log,
            thr,
            h0,
        };
        let lower_bound = if positive { lo.max(0.0) } else { lo };
        let lower = scale.from(search.end(-1.0, scale.to(lower_bound)));
        let upper = scale.from(search.end(1.0, scale.to(hi)));
        (lower, upper)
    }
}

/// A profile search on one scale: walks out from `x0` until `τ` passes `thr`, then pins the
/// crossing down. `tau(x, warm)` refits at `x` from the parameters `warm` and gives `τ` and the
/// refitted parameters (`None` when the refit fails).
pub(crate) struct Search<F> {
    pub tau: F,
    /// Where `τ = 0`.
    pub x0: f64,
    /// The parameters at `x0`.
    pub warm: Vec<f64>,
    /// A log scale (the end in the direction of 0 is then −∞ on the scale).
    pub log: bool,
    pub thr: f64,
    /// First step.
    pub h0: f64,
}

impl<F: Fn(f64, &[f64]) -> Option<(f64, Vec<f64>)>> Search<F> {
    /// The end in direction `dir` (±1) on the scale, with the bound `bound` (infinite when
    /// none); ±∞ where `τ` never passes the threshold.
    pub(crate) fn end(&self, dir: f64, bound: f64) -> f64 {
        let unbounded = dir * f64::INFINITY;
        let reach = if self.log {
            REACH
        } else {
            1e8 * self.h0.max(self.x0.abs())
        };
        let mut inside = (self.x0, self.warm.clone());
        let mut step = self.h0;
        for _ in 0..MAX_STEPS {
            let mut x = self.x0 + dir * step;
            let at_bound = bound.is_finite() && (x - bound) * dir >= 0.0;
            if at_bound {
                x = bound;
            }
            let Some((tau, params)) = (self.tau)(x, &inside.1) else {
                // The curve leaves floating point before the data object: no bound found.
                return unbounded;
            };
            if tau > self.thr {
                return self.refine(inside, (x, tau));
            }
            if at_bound {
                return x;
            }
            inside = (x, params);
            if step > reach {
                return unbounded;
            }
            step *= 2.0;
        }
        unbounded
    }

    /// The crossing `τ = thr` between `inside` (below) and `outside` (above), by regula falsi
    /// with the Illinois modification.
    fn refine(&self, inside: (f64, Vec<f64>), outside: (f64, f64)) -> f64 {
        let (mut a, mut warm) = inside;
        let mut fa = -self.thr;
        let (mut b, mut fb) = (outside.0, outside.1 - self.thr);
        let tol = 1e-7 * (a.abs() + self.h0);
        let mut side = 0;
        for _ in 0..MAX_REFINE {
            if (b - a).abs() <= tol {
                break;
            }
            let x = (a * fb - b * fa) / (fb - fa);
            let x = if x.is_finite() && (x - a) * (x - b) < 0.0 {
                x
            } else {
                0.5 * (a + b)
            };
            let Some((tau, params)) = (self.tau)(x, &warm) else {
                // A refit that fails counts as outside: the interval errs towards narrow
                // only by the tolerance.
                b = x;
                fb = self.thr;
                continue;
            };
            let fx = tau - self.thr;
            if fx <= 0.0 {
                a = x;
                fa = fx;
                warm = params;
                if side == -1 {
                    fb *= 0.5;
                }
                side = -1;
            } else {
                b = x;
                fb = fx;
                if side == 1 {
                    fa *= 0.5;
                }
                side = 1;
            }
        }
        0.5 * (a + b)
    }
}
