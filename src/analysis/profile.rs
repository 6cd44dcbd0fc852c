//! Can the ceiling be known yet? Profile-likelihood intervals.
//!
//! A Wald interval (estimate ± t·SE) assumes the sum of squares is a parabola in the parameter.
//! For a logistic ceiling fitted on the rising part of a curve it is not: making the ceiling
//! larger costs almost nothing, so the honest interval is one-sided ("K above 3e14 at 95%, no
//! upper bound from these data"). The profile holds the parameter at each value of a grid,
//! refits the others, and keeps the values where
//! `τ(v) = sqrt((RSS(v) − RSS_min) / s²)` stays below the Student-t quantile, as R's
//! `confint` on an `nls` fit does (`s² = RSS_min / (n − p)`).
//!
//! ```
//! use growthcast::{io, profile, Fitter, Logistic};
//! let tokens = io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/tokens_daily.csv"))?;
//! let k = profile::ceiling_interval(&Fitter::new(Logistic), &tokens, 0.95)?;
//! println!("{}", k.statement);
//! # Ok::<(), growthcast::Error>(())
//! ```

use serde::Serialize;

use crate::error::{Error, Result};
use crate::fit::{t_quantile, FitSpec};
use crate::model::Role;
use crate::series::Series;

/// One point of a profile.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ProfilePoint {
    /// The parameter's value (held fixed).
    pub value: f64,
    /// The residual sum of squares with the other parameters refitted (NaN if that fit failed).
    pub rss: f64,
    /// `sqrt((RSS − RSS_min) / s²)`.
    pub tau: f64,
}

/// A profile-likelihood interval, possibly one-sided or unbounded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProfileInterval {
    /// Parameter name.
    pub parameter: String,
    /// Confidence level.
    pub level: f64,
    /// The value minimising the sum of squares, when it lies inside the searched range.
    pub estimate: Option<f64>,
    /// Lower end; `None`: no lower bound within the searched range.
    pub lower: Option<f64>,
    /// Upper end; `None`: no upper bound within the searched range.
    pub upper: Option<f64>,
    /// The range searched.
    pub searched: (f64, f64),
    /// Residual degrees of freedom of the full fit.
    pub dof: usize,
    /// The interval in words.
    pub statement: String,
    /// The profile on its grid.
    pub profile: Vec<ProfilePoint>,
}

/// The profile interval of the ceiling (the parameter with [`Role::Ceiling`]), searched from half
/// the largest observation to 10,000 times it.
pub fn ceiling_interval(
    spec: &dyn FitSpec,
    series: &Series,
    level: f64,
) -> Result<ProfileInterval> {
    let ymax = series
        .values()
        .iter()
        .cloned()
        .fold(f64::NEG_INFINITY, f64::max);
    if !(ymax > 0.0) {
        return Err(Error::arg(
            "ymax",
            ymax,
            "a ceiling profile needs a positive largest value",
        ));
    }
    // The model says which parameter is its ceiling.
    let name = spec
        .param_of(Role::Ceiling)
        .ok_or_else(|| Error::InvalidParameter {
            model: spec.model_name(),
            parameter: "(ceiling)".into(),
            reason: "the model has no parameter with the ceiling role: nothing to profile".into(),
        })?;
    profile(spec, series, &name, level, (0.5 * ymax, 1e4 * ymax))
}

/// Points of the profile grid: 49 on a log scale over `[lo, hi]`, plus the free estimate (the
/// profile's minimum must be a grid point, or a crossing next to it would be missed).
fn log_grid(lo: f64, hi: f64, free_est: Option<f64>) -> Vec<f64> {
    const GRID: usize = 49;
    let mut grid: Vec<f64> = (0..GRID)
        .map(|i| (lo.ln() + (hi.ln() - lo.ln()) * i as f64 / (GRID - 1) as f64).exp())
        .collect();
    if let Some(v) = free_est {
        grid.push(v);
        grid.sort_by(f64::total_cmp);
    }
    grid
}

/// The interval in words, one-sided or open where the profile never crosses.
fn statement(
    parameter: &str,
    pct: f64,
    bounds: (Option<f64>, Option<f64>),
    (lo, hi): (f64, f64),
) -> String {
    match bounds {
        (Some(a), Some(b)) => {
            format!("{parameter} between {a:.3e} and {b:.3e} at {pct}% (profile likelihood)")
        }
        (Some(a), None) => format!(
            "{parameter} above {a:.3e} at {pct}%, no upper bound from these data (searched up to {hi:.1e})"
        ),
        (None, Some(b)) => format!(
            "{parameter} below {b:.3e} at {pct}%, no lower bound from these data (searched down to {lo:.1e})"
        ),
        (None, None) => {
            format!("these data set no bound on {parameter} at {pct}% between {lo:.1e} and {hi:.1e}")
        }
    }
}

/// The profile interval of a positive parameter over `range` (searched on a log scale).
pub fn profile(
    spec: &dyn FitSpec,
    series: &Series,
    parameter: &str,
    level: f64,
    range: (f64, f64),
) -> Result<ProfileInterval> {
    let level = crate::fit::Level::new(level)?.value();
    let (lo, hi) = range;
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return Err(Error::arg(
            "range",
            lo,
            "the profile range needs 0 < low < high < inf",
        ));
    }
    let at = |v: f64| spec.fit_with_fixed(series, parameter, v);
    // Validate the parameter name once, with a clear error.
    if let Err(e @ Error::InvalidParameter { .. }) = at(lo.sqrt() * hi.sqrt()) {
        return Err(e);
    }
    let rss_at = |v: f64| at(v).map(|f| (f.rss, f.n_binding, f.n_free)).ok();
    let free = spec.fit_series(series).ok();
    let free_est = free
        .as_ref()
        .and_then(|f| f.param(parameter))
        .map(|p| p.estimate)
        .filter(|&v| v > lo && v < hi);
    let grid = log_grid(lo, hi, free_est);
    let vals: Vec<Option<(f64, usize, usize)>> = grid.iter().map(|&v| rss_at(v)).collect();
    let mut rss_min = vals
        .iter()
        .flatten()
        .map(|v| v.0)
        .fold(f64::INFINITY, f64::min);
    let mut n_binding = vals.iter().flatten().map(|v| v.1).max().unwrap_or(0);
    let p = vals.iter().flatten().map(|v| v.2).next().unwrap_or(0) + 1;
    if let Some(f) = free.as_ref().filter(|f| f.rss < rss_min) {
        rss_min = f.rss;
        n_binding = f.n_binding;
    }
    let dof = n_binding.saturating_sub(p);
    let pct = (level * 100.0).round();
    if !rss_min.is_finite() || dof == 0 {
        return Ok(ProfileInterval {
            parameter: parameter.into(),
            level,
            estimate: free_est,
            lower: None,
            upper: None,
            searched: range,
            dof,
            statement: format!(
                "these data cannot bound {parameter}: {}",
                if dof == 0 {
                    "no degrees of freedom are left once it is free"
                } else {
                    "no fit succeeded over the searched range"
                }
            ),
            profile: Vec::new(),
        });
    }
    let s2 = rss_min / dof as f64;
    let thr = t_quantile(0.5 + level / 2.0, dof);
    let tau = |rss: f64| ((rss - rss_min).max(0.0) / s2).sqrt();
    let profile: Vec<ProfilePoint> = grid
        .iter()
        .zip(&vals)
        .map(|(&value, v)| {
            let rss = v.map_or(f64::NAN, |v| v.0);
            ProfilePoint {
                value,
                rss,
                tau: tau(rss),
            }
        })
        .collect();
    let imin = profile
        .iter()
        .enumerate()
        .filter(|(_, p)| p.rss.is_finite())
        .min_by(|a, b| a.1.rss.total_cmp(&b.1.rss))
        .map(|(i, _)| i)
        .expect("at least one finite point, since rss_min is finite");
    // Refine a crossing τ = thr between grid values a (inside) and b (outside), in log space.
    let refine = |a: f64, b: f64| {
        let (mut inside, mut outside) = (a.ln(), b.ln());
        for _ in 0..40 {
            let mid = 0.5 * (inside + outside);
            match rss_at(mid.exp()) {
                Some((r, _, _)) if tau(r) <= thr => inside = mid,
                _ => outside = mid,
            }
        }
        (0.5 * (inside + outside)).exp()
    };
    let outside = |p: &ProfilePoint| p.rss.is_finite() && p.tau > thr;
    let lower = (0..imin)
        .rev()
        .find(|&j| outside(&profile[j]))
        .map(|j| refine(profile[j + 1].value, profile[j].value));
    let upper = (imin + 1..grid.len())
        .find(|&j| outside(&profile[j]))
        .map(|j| refine(profile[j - 1].value, profile[j].value));
    let estimate =
        free_est.or_else(|| (imin > 0 && imin + 1 < grid.len()).then_some(profile[imin].value));
    let statement = statement(parameter, pct, (lower, upper), range);
    Ok(ProfileInterval {
        parameter: parameter.into(),
        level,
        estimate,
        lower,
        upper,
        searched: range,
        dof,
        statement,
        profile,
    })
}
