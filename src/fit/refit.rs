//! Refitting a fit's own data: with one parameter held at a value (profile likelihood) or to
//! simulated targets (the bootstrap). A [`Fit`] keeps what its solver saw, in the space of the
//! residuals, so that its intervals and bands need neither the series nor the [`super::Fitter`]
//! again.

use super::result::Solution;
use super::Fit;
use crate::model::MAX_PARAMS;
use crate::solve::{solve, LmSettings, Problem, Side};

/// The data and constraints of a fit, as the solver saw them.
#[derive(Clone, Debug, Default)]
pub(crate) struct RefitData {
    /// Times.
    pub t: Vec<f64>,
    /// Targets in the residual space (`y` or `ln y`).
    pub ty: Vec<f64>,
    /// Weights, when some differ from 1.
    pub w: Option<Vec<f64>>,
    /// Sides, when some observation is one-sided.
    pub side: Option<Vec<Side>>,
    /// Multiplicative errors (residuals `ln y − ln f`).
    pub log: bool,
    /// Bounds of every parameter (infinite where none).
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    /// The solver settings of the fit.
    pub settings: LmSettings,
}

impl RefitData {
    /// What [`Fit::new`] keeps of a solution.
    pub(crate) fn of(t: Vec<f64>, s: &Solution, log: bool, settings: LmSettings) -> Self {
        RefitData {
            t,
            ty: s.ty.clone(),
            w: s.w.iter().any(|&w| w != 1.0).then(|| s.w.clone()),
            side: s
                .side
                .iter()
                .any(|&d| d != Side::Both)
                .then(|| s.side.clone()),
            log,
            lower: s.lower.clone(),
            upper: s.upper.clone(),
            settings,
        }
    }
}

/// A refit's result.
#[derive(Clone, Debug)]
pub(crate) struct Refitted {
    /// Every parameter, in the model's order.
    pub params: Vec<f64>,
    /// Weighted residual sum of squares.
    pub rss: f64,
}

/// Data to refit to: the fit's own times with other targets, or with one more observation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a> {
    pub t: &'a [f64],
    /// Targets in the residual space.
    pub y: &'a [f64],
    pub w: Option<&'a [f64]>,
    pub side: Option<&'a [Side]>,
}

impl Fit {
    /// Refits to the targets `y` (residual space), with parameter `hold.0` held at `hold.1`
    /// besides the fit's fixed parameters, from `start` (every parameter). `None` when the
    /// result is not finite.
    pub(crate) fn refit(
        &self,
        y: &[f64],
        hold: Option<(usize, f64)>,
        start: &[f64],
    ) -> Option<Refitted> {
        let d = &self.refit_data;
        let view = View {
            t: &d.t,
            y,
            w: d.w.as_deref(),
            side: d.side.as_deref(),
        };
        self.refit_on(view, hold, start)
    }

    /// [`Fit::refit`] on other data (same bounds, settings and fixed parameters).
    pub(crate) fn refit_on(
        &self,
        view: View<'_>,
        hold: Option<(usize, f64)>,
        start: &[f64],
    ) -> Option<Refitted> {
        let d = &self.refit_data;
        let np = start.len();
        let mut base = [0.0; MAX_PARAMS];
        base[..np].copy_from_slice(start);
        if let Some((j, v)) = hold {
            base[j] = v;
        }
        let free: Vec<usize> = self
            .free
            .iter()
            .copied()
            .filter(|&j| hold.is_none_or(|(h, _)| h != j))
            .collect();
        if free.is_empty() {
            let params = base[..np].to_vec();
            let rss = self.rss_at(view, &params)?;
            return Some(Refitted { params, rss });
        }
        let mut pr = Problem {
            model: self.model_object(),
            t: view.t,
            y: view.y,
            w: view.w,
            side: view.side,
            log: d.log,
            base,
            n_params: np,
            free: [0; MAX_PARAMS],
            lower: [f64::NEG_INFINITY; MAX_PARAMS],
            upper: [f64::INFINITY; MAX_PARAMS],
        };
        let mut x0 = Vec::with_capacity(free.len());
        for (k, &j) in free.iter().enumerate() {
            pr.free[k] = j;
            pr.lower[k] = d.lower[j];
            pr.upper[k] = d.upper[j];
            x0.push(start[j].clamp(d.lower[j], d.upper[j]));
        }
        let out = solve(&pr, &x0, &d.settings);
        if !out.rss.is_finite() || !out.x.iter().all(|v| v.is_finite()) {
            return None;
        }
        let mut params = base[..np].to_vec();
        for (k, &j) in free.iter().enumerate() {
            params[j] = out.x[k];
        }
        // A runaway ceiling stops without converging; its best point still describes a curve
        // that fits, which is what a profile or a bootstrap draw needs.
        Some(Refitted {
            params,
            rss: out.rss,
        })
    }

    /// The weighted residual sum of squares of the parameters `p` against the data of `view`
    /// (residual space; one-sided observations cost only when violated). `None` when not
    /// finite.
    fn rss_at(&self, view: View<'_>, p: &[f64]) -> Option<f64> {
        let log = self.refit_data.log;
        let m = self.model_object();
        let mut s = 0.0;
        for (i, &t) in view.t.iter().enumerate() {
            let f = m.value(t, p);
            let f = if log { f.ln() } else { f };
            let r = view.y[i] - f;
            let counts = match view.side.map_or(Side::Both, |sd| sd[i]) {
                Side::Both => true,
                Side::Lower => r > 0.0,
                Side::Upper => r < 0.0,
            };
            if counts {
                s += view.w.map_or(1.0, |w| w[i]) * r * r;
            }
        }
        s.is_finite().then_some(s)
    }
}
