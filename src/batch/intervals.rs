//! Intervals per series in a batch: profile likelihood or the bootstrap, as a single fit gives
//! them.
//!
//! The lean pass fits every series first; then each series that converged is fitted once more
//! through [`Fitter`], from its lean estimate (so in a step or two), and its intervals are
//! taken from that [`crate::Fit`]: the parameters' profile-likelihood intervals
//! ([`IntervalMethod::Profile`], about 0.1 ms for a 10-point logistic) or the percentiles of the
//! calibrated bootstrap ([`IntervalMethod::Bootstrap`], about 1 ms). An end the data do not
//! bound is infinite; a series without degrees of freedom, or whose refit fails, has NaN.

use crate::fit::{FitOptions, Fitter, IntervalMethod};
use crate::model::Model;
use crate::series::{Observation, Series};

use super::{BatchFits, BatchFitter};

/// The interval ends of a batch (series × parameters) and how they were made.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Intervals {
    pub method: IntervalMethod,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

impl<M: Model + Clone + 'static> BatchFitter<M> {
    /// Adds the intervals of every converged series of `out` (`get(i)`: its times and values).
    pub(super) fn add_intervals<'d, G>(&self, out: &mut BatchFits, method: IntervalMethod, get: &G)
    where
        G: Fn(usize) -> (&'d [f64], &'d [f64]) + Sync,
    {
        let np = out.n_params;
        let one = |i: usize| -> Vec<(f64, f64)> {
            if out.error(i).is_some() {
                return vec![(f64::NAN, f64::NAN); np];
            }
            self.series_intervals(method, get(i), out.params_of(i))
                .unwrap_or_else(|| vec![(f64::NAN, f64::NAN); np])
        };
        #[cfg(feature = "parallel")]
        let ends: Vec<Vec<(f64, f64)>> = if self.parallel {
            use rayon::prelude::*;
            (0..out.len()).into_par_iter().map(one).collect()
        } else {
            (0..out.len()).map(one).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let ends: Vec<Vec<(f64, f64)>> = (0..out.len()).map(one).collect();
        let flat = ends.iter().flatten();
        out.intervals = Some(Intervals {
            method,
            lower: flat.clone().map(|e| e.0).collect(),
            upper: flat.map(|e| e.1).collect(),
        });
    }

    /// The intervals of one series, from a full fit started at its lean estimate `start`.
    fn series_intervals(
        &self,
        method: IntervalMethod,
        (t, y): (&[f64], &[f64]),
        start: &[f64],
    ) -> Option<Vec<(f64, f64)>> {
        let obs = t
            .iter()
            .zip(y)
            .map(|(&t, &y)| Observation::at(t, y))
            .collect();
        let series = Series::from_observations("batch series", "", obs).ok()?;
        let options = FitOptions {
            start: Some(start.to_vec()),
            std_errors: false,
            intervals: if method == IntervalMethod::Profile {
                IntervalMethod::Profile
            } else {
                IntervalMethod::Wald
            },
            ..self.options.clone()
        };
        let fit = Fitter::new(self.model.clone())
            .options(options)
            .fit(&series)
            .ok()?;
        Some(
            fit.params()
                .iter()
                .map(|p| match method {
                    _ if p.fixed => (p.estimate, p.estimate),
                    IntervalMethod::Bootstrap => fit
                        .bootstrap_interval_of(&p.name)
                        .unwrap_or((f64::NAN, f64::NAN)),
                    IntervalMethod::Profile if p.method == IntervalMethod::Profile => {
                        (p.lower, p.upper)
                    }
                    // The Wald interval kept to what the parameter can take.
                    _ => (p.lower, p.upper),
                })
                .collect(),
        )
    }
}
