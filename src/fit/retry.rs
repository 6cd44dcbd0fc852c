//! A fit that fails still answers what it can: what [`Fitter::fit`] does around one solve.
//!
//! * A **degenerate stop**: the solver converged, but to a point where `JᵀWJ` is singular and
//!   the curve explains nothing (R² ≤ 0 in the space of the residuals, up to rounding: no
//!   better than the mean). Typical causes are start values whose curve is flat over the data
//!   (a logistic midpoint a century away, a rate of zero), where the gradient of all but the
//!   level vanishes. The fit is retried from other start points: the model's self-start (when
//!   start values were given), the start with each level or ceiling scaled by ½, 2 and 10, each
//!   rate by ½ and 2, each time moved to the first, middle and last date of the data, and three
//!   deterministic perturbations of every free parameter together. The converged,
//!   non-degenerate fit with the lowest RSS is kept; if there is none the result is
//!   [`Error::Degenerate`], not a "converged" curve through the mean.
//! * A **ceiling that runs off** ([`Error::Diverged`]): the error gets the ceiling's one-sided
//!   profile-likelihood lower bound ([`crate::profile::ceiling_interval`]), the statement the
//!   data do support.

use super::{Fit, FitSpec, Fitter, Warning, WarningKind};
use crate::error::{CeilingBound, Error, Result};
use crate::model::{Model, Role};
use crate::series::Series;

/// R² at or below this is "explains nothing": R² ≤ 0 up to the rounding of a fit through the
/// mean, whose R² comes out as ±1e-16 rather than exactly 0.
const EXPLAINS_NOTHING: f64 = 1e-6;

/// [`Fitter::fit`]: one fit, a retry when it stopped at a degenerate point, and the ceiling's
/// one-sided bound when a ceiling ran off.
pub(super) fn fit<M: Model + Clone + 'static>(fitter: &Fitter<M>, series: &Series) -> Result<Fit> {
    fit_with(fitter, series, true)
}

/// [`fit`], with or without the ceiling's bound (without inside the profile that computes it,
/// so that a runaway there does not start another profile).
fn fit_with<M: Model + Clone + 'static>(
    fitter: &Fitter<M>,
    series: &Series,
    bound: bool,
) -> Result<Fit> {
    match fitter.fit_once(series) {
        Ok(f) if is_degenerate(&f) => retry(fitter, series, &f),
        Err(e @ Error::Diverged { .. }) if bound => Err(with_ceiling_bound(fitter, series, e)),
        other => other,
    }
}

/// Singular `JᵀWJ` (the covariance of some free parameter is NaN with residual degrees of
/// freedom left) and R² ≤ 0.
fn is_degenerate(f: &Fit) -> bool {
    f.dof > 0
        && f.r_squared <= EXPLAINS_NOTHING
        && f.free.iter().any(|&i| f.covariance[i][i].is_nan())
}

/// Some free parameter ended on one of its bounds.
fn on_bound(f: &Fit) -> bool {
    let d = &f.refit_data;
    f.free.iter().any(|&i| {
        let p = f.params[i].estimate;
        p == d.lower[i] || p == d.upper[i]
    })
}

/// Fits from every other start point; the best converged non-degenerate fit, or
/// [`Error::Degenerate`] naming where the first fit stopped.
fn retry<M: Model + Clone + 'static>(
    fitter: &Fitter<M>,
    series: &Series,
    stuck: &Fit,
) -> Result<Fit> {
    let starts = other_starts(fitter, series);
    let mut best: Option<Fit> = None;
    for x in &starts {
        let mut f = fitter.clone();
        f.options.start = Some(x.clone());
        if let Ok(g) = f.fit_once(series) {
            if !is_degenerate(&g)
                && g.rss.is_finite()
                && best.as_ref().is_none_or(|b| g.rss < b.rss)
            {
                best = Some(g);
            }
        }
    }
    if let Some(b) = best.as_mut() {
        b.warnings.push(Warning {
            kind: WarningKind::Restarted,
            parameter: None,
            message: format!(
                "the first start stopped at a degenerate point (a curve that explains nothing, \
                 R² = {:.3}); this is the best of {} other start points, so the start values \
                 given were far from the data",
                stuck.r_squared,
                starts.len()
            ),
        });
    }
    // A flat curve held on a bound (a rate at its default 0) that no other start clearly beats
    // is the answer to data that fall or do not grow, and its warning says so.
    if on_bound(stuck)
        && best
            .as_ref()
            .is_none_or(|b| b.rss >= stuck.rss * (1.0 - 1e-6))
    {
        return Ok(stuck.clone());
    }
    best.ok_or_else(|| Error::Degenerate {
        model: stuck.model.clone(),
        series: stuck.series.clone(),
        reason: stuck
            .params
            .iter()
            .map(|p| {
                let fixed = if p.fixed { " (fixed)" } else { "" };
                format!("{} = {:.4e}{fixed}", p.name, p.estimate)
            })
            .collect::<Vec<_>>()
            .join(", "),
        r_squared: stuck.r_squared,
        starts: starts.len(),
    })
}

/// The start points to retry from, deterministic and without repeats: the self-start (when
/// start values were given), then scaled and perturbed versions of the given start and of the
/// self-start. Empty when neither is available.
fn other_starts<M: Model + Clone + 'static>(fitter: &Fitter<M>, series: &Series) -> Vec<Vec<f64>> {
    let mut model = fitter.model.clone();
    let t = series.times();
    model.anchor(&t);
    let specs = model.params();
    let Ok(c) = fitter.options.validate(model.name(), specs) else {
        return Vec::new();
    };
    let self_start = model.self_start(&t, &series.values(), &c.fixed).ok();
    let mut out: Vec<Vec<f64>> = Vec::new();
    let mut push = |x: Vec<f64>| {
        if x.iter().all(|v| v.is_finite()) && !out.contains(&x) {
            out.push(x);
        }
    };
    let given = fitter.options.start.clone();
    if let (Some(_), Some(s)) = (&given, &self_start) {
        push(s.clone());
    }
    let ymax = series.values().iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (first, last) = (t[0], t[t.len() - 1]);
    for base in given.iter().chain(self_start.iter()) {
        for &j in &c.free {
            for v in moves(specs[j].role, base[j], ymax, (first, last)) {
                let mut x = base.clone();
                x[j] = v;
                push(x);
            }
        }
        for k in 1..=3 {
            let mut x = base.clone();
            for (n, &j) in c.free.iter().enumerate() {
                let sign = if (n + k) % 2 == 0 { 1.0 } else { -1.0 };
                let step = 0.1 * k as f64 * sign;
                x[j] = match specs[j].role {
                    Role::Time => base[j] + step * (last - first).max(1.0),
                    _ if base[j] == 0.0 => step,
                    _ => base[j] * (1.0 + step),
                };
            }
            push(x);
        }
    }
    out
}

/// The values one parameter of this role is moved to, from `v`.
fn moves(role: Role, v: f64, ymax: f64, (first, last): (f64, f64)) -> Vec<f64> {
    let tiny = v.abs() < 1e-6;
    match role {
        Role::Level | Role::Ceiling if tiny => vec![ymax, 2.0 * ymax, 10.0 * ymax],
        Role::Level | Role::Ceiling => vec![0.5 * v, 2.0 * v, 10.0 * v],
        Role::Rate if tiny => vec![0.1, 1.0],
        Role::Time => vec![first, 0.5 * (first + last), last],
        _ if tiny => vec![1.0, -1.0],
        _ => vec![0.5 * v, 2.0 * v],
    }
}

/// The [`Error::Diverged`] `e` with the ceiling's one-sided profile-likelihood lower bound,
/// when the profile gives one (a lower crossing and no upper one).
fn with_ceiling_bound<M: Model + Clone + 'static>(
    fitter: &Fitter<M>,
    series: &Series,
    mut e: Error,
) -> Error {
    let Error::Diverged {
        reason,
        iterations,
        rss,
        ref best,
        ..
    } = e
    else {
        return e;
    };
    let spec = Runaway {
        fitter: fitter.clone(),
        stopped: (reason, iterations, rss, best.to_vec()),
    };
    let level = fitter.options.level.value();
    let above = crate::profile::ceiling_interval(&spec, series, level)
        .ok()
        .filter(|p| p.upper.is_none())
        .and_then(|p| p.lower);
    if let Error::Diverged { bound, .. } = &mut e {
        *bound = above.map(|above| Box::new(CeilingBound { above, level }));
    }
    e
}

/// The fitter whose ceiling ran off, as the profile sees it: the free fit is the failure
/// already known (not solved again), and the fits with the ceiling held fixed do not add a
/// bound of their own.
#[derive(Clone, Debug)]
struct Runaway<M> {
    fitter: Fitter<M>,
    /// Why the free fit stopped, its iterations, RSS and best point.
    stopped: (crate::solve::Termination, usize, f64, Vec<f64>),
}

impl<M: Model + Clone + 'static> FitSpec for Runaway<M> {
    fn spec_label(&self) -> String {
        self.fitter.spec_label()
    }
    fn model_name(&self) -> String {
        self.fitter.model_name()
    }
    fn fit_series(&self, series: &Series) -> Result<Fit> {
        let (reason, iterations, rss, ref best) = self.stopped;
        Err(Error::NotConverged {
            model: self.fitter.model_name(),
            series: series.name().to_string(),
            reason,
            iterations,
            rss,
            best: best.as_slice().into(),
        })
    }
    fn fit_with_fixed(&self, series: &Series, parameter: &str, value: f64) -> Result<Fit> {
        let mut f = self.fitter.clone();
        f.options.constraints.fixed.retain(|(n, _)| n != parameter);
        fit_with(&f.fix(parameter, value), series, false)
    }
    fn boxed_clone(&self) -> Box<dyn FitSpec> {
        Box::new(self.clone())
    }
    fn fixed_parameters(&self) -> Vec<String> {
        self.fitter.fixed_parameters()
    }
    fn param_of(&self, role: Role) -> Option<String> {
        FitSpec::param_of(&self.fitter, role)
    }
}
