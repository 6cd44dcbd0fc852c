//! A series' own growth-rate drift: its rate changes, raw or as departures from a fitted curve
//! (see the [parent module](super)).

use serde::Serialize;

use super::persistence::rate_changes;
use super::{reverting_evidence, reverting_evidence_given};
use crate::fit::Fit;
use crate::series::Series;

/// A series' own drift: the mean squared rate change (halved) and how many changes it pools.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct OwnDrift {
    /// `τ̂²`, per year².
    pub rate_var: f64,
    /// How many rate changes it is measured from (`n − 2`).
    pub changes: usize,
    /// The series' mean growth rate (per year, continuous), which picks its reference class.
    pub mean_rate: f64,
    /// The evidence of its successive rate changes (raw, or its departures' from a fitted
    /// curve with [`OwnDrift::of_fit`]) that its rates' departures revert rather than persist
    /// (a log Bayes factor, [`reverting_evidence`]; 0 with fewer than two changes).
    pub reverting: f64,
    /// Its median spacing between distinct times: how far apart its rates are independent when
    /// their departures revert.
    pub spacing: f64,
}

impl OwnDrift {
    /// The drift a series shows by itself (its two-sided observations); `None` with fewer than
    /// two positive values at distinct times.
    pub fn of(series: &Series) -> Option<OwnDrift> {
        let pts: Vec<(f64, f64)> = series
            .observations()
            .iter()
            .filter(|o| !o.kind.is_one_sided())
            .map(|o| (o.t, o.value))
            .collect();
        OwnDrift::from_points(&pts)
    }

    /// The drift of `(time, value)` points in time order (non-positive values are skipped;
    /// replicates, points at one time, count as one at their mean log value); `None` with fewer
    /// than two positive values at distinct times.
    pub fn from_points(points: &[(f64, f64)]) -> Option<OwnDrift> {
        let logs: Vec<(f64, f64)> = points
            .iter()
            .filter(|(_, v)| *v > 0.0 && v.is_finite())
            .map(|&(t, v)| (t, v.ln()))
            .collect();
        let pts = time_means(&logs);
        if pts.len() < 2 {
            return None;
        }
        let (first, last) = (pts[0], pts[pts.len() - 1]);
        let mean_rate = (last.1 - first.1) / (last.0 - first.0);
        let (times, logs): (Vec<f64>, Vec<f64>) = pts.iter().copied().unzip();
        let changes = rate_changes(&times, &logs);
        let rate_var = if changes.is_empty() {
            0.0
        } else {
            changes.iter().map(|d| d * d).sum::<f64>() / changes.len() as f64 / 2.0
        };
        let mut gaps: Vec<f64> = pts.windows(2).map(|w| w[1].0 - w[0].0).collect();
        gaps.sort_by(f64::total_cmp);
        Some(OwnDrift {
            rate_var,
            changes: changes.len(),
            mean_rate,
            reverting: reverting_evidence(&changes),
            spacing: gaps[gaps.len() / 2],
        })
    }
}

impl OwnDrift {
    /// The drift of the series `fit` was fitted to, measured from the fitted curve: its growth
    /// rates' departures from the curve's own rates over the same intervals (the rates of the
    /// log residuals), so that a deceleration the model describes (an S-curve's) is not counted
    /// as drift, less what the residuals' noise explains (`σ²` the residual variance: noise
    /// alone changes a rate by `σ²(1/a² + (1/a + 1/b)² + 1/b²)` over spacings `a`, `b`, and
    /// the members' bands carry that noise already). The `n − 2` changes count as `n − p` (`p`
    /// the free parameters); the mean rate that picks the class is the series'. Replicates count
    /// as one point at their time, with their mean log residual (`n` is then the number of
    /// distinct times). Whether departures revert is read from the same departures' rate
    /// changes with what the fit could absorb integrated out ([`reverting_evidence_given`]),
    /// so that an S-curve's deceleration, which its curve describes, does not read as a change
    /// of rate that persists; with fewer than two changes left there is no evidence (0). The
    /// spacing is the series' own ([`OwnDrift::from_points`]).
    pub fn of_fit(fit: &Fit) -> Option<OwnDrift> {
        let obs: Vec<_> = fit
            .observations()
            .iter()
            .filter(|o| !o.kind.is_one_sided())
            .collect();
        let raw: Vec<(f64, f64)> = obs.iter().map(|o| (o.t, o.value)).collect();
        let OwnDrift {
            mean_rate, spacing, ..
        } = OwnDrift::from_points(&raw)?;
        // Log residuals: the departures from the curve (one per distinct time).
        let r: Vec<(f64, f64)> = obs
            .iter()
            .filter(|o| o.fitted > 0.0 && o.value > 0.0)
            .map(|o| (o.t, (o.value / o.fitted).ln()))
            .collect();
        let r = time_means(&r);
        let changes = r.len().saturating_sub(fit.n_free().max(2));
        let reverting = departures_evidence(fit, &r);
        if changes == 0 {
            return Some(OwnDrift {
                rate_var: 0.0,
                changes,
                mean_rate,
                reverting,
                spacing,
            });
        }
        // The residuals' own noise makes rate changes too: with log noise σ², a change over
        // spacings a, b has variance 2τ² + σ²(1/a² + (1/a + 1/b)² + 1/b²). Only the excess
        // is drift.
        let noise = r.iter().map(|x| x.1 * x.1).sum::<f64>() / changes as f64;
        let excess: f64 = r
            .windows(3)
            .filter(|w| w[1].0 > w[0].0 && w[2].0 > w[1].0)
            .map(|w| {
                let (a, b) = (w[1].0 - w[0].0, w[2].0 - w[1].0);
                let d = (w[2].1 - w[1].1) / b - (w[1].1 - w[0].1) / a;
                let from_noise =
                    noise * (1.0 / (a * a) + (1.0 / a + 1.0 / b).powi(2) + 1.0 / (b * b));
                (d * d - from_noise) / 2.0
            })
            .sum();
        Some(OwnDrift {
            rate_var: (excess / changes as f64).max(0.0),
            changes,
            mean_rate,
            reverting,
            spacing,
        })
    }
}

/// [`reverting_evidence_given`] for a fit's log departures `r` (one per distinct time), with
/// the curve's log-scale derivatives in its free parameters at those times.
fn departures_evidence(fit: &Fit, r: &[(f64, f64)]) -> f64 {
    let model = fit.model_object();
    let est = fit.estimates();
    let free: Vec<usize> = (0..est.len()).filter(|&j| !fit.params()[j].fixed).collect();
    let mut grad = vec![0.0; est.len()];
    let mut columns = vec![Vec::with_capacity(r.len()); free.len()];
    for &(t, _) in r {
        let value = model.value_and_gradient(t, &est, &mut grad);
        for (col, &j) in columns.iter_mut().zip(&free) {
            col.push(grad[j] / value);
        }
    }
    let (times, deps): (Vec<f64>, Vec<f64>) = r.iter().copied().unzip();
    reverting_evidence_given(&times, &deps, &columns)
}

/// `(time, x)` points in time order with the points at one time replaced by one at their mean
/// `x`: strictly increasing times.
fn time_means(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let times: Vec<f64> = points.iter().map(|p| p.0).collect();
    crate::series::time_groups(&times)
        .into_iter()
        .map(|g| {
            let n = g.len() as f64;
            let t = points[g.start].0;
            (t, points[g].iter().map(|p| p.1).sum::<f64>() / n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::series;
    use super::*;

    #[test]
    fn an_exact_exponential_shows_no_drift_of_its_own() {
        let pts: Vec<(f64, f64)> = (0..8)
            .map(|i| (2000.0 + i as f64, 5.0 * (0.2 * i as f64).exp()))
            .collect();
        let own = OwnDrift::of(&series(&pts)).unwrap();
        assert!(own.rate_var < 1e-20);
        assert_eq!(own.changes, 6);
        approx::assert_relative_eq!(own.mean_rate, 0.2, epsilon = 1e-12);
    }

    #[test]
    fn own_drift_is_half_the_mean_squared_rate_change() {
        // Rates ln2, ln3 - ln2... computed by hand: values 1, 2, 6, 12 at years 0, 1, 2, 3.
        let own = OwnDrift::of(&series(&[
            (2000.0, 1.0),
            (2001.0, 2.0),
            (2002.0, 6.0),
            (2003.0, 12.0),
        ]))
        .unwrap();
        let (g1, g2, g3) = (2f64.ln(), 3f64.ln(), 2f64.ln());
        let want = ((g2 - g1).powi(2) + (g3 - g2).powi(2)) / 2.0 / 2.0;
        approx::assert_relative_eq!(own.rate_var, want, max_relative = 1e-12);
    }

    #[test]
    fn replicates_count_as_their_geometric_mean() {
        // 2001 measured as 1 and 4 (geometric mean 2), 2003 as 6 and 24 (12): the same drift
        // as the series 1, 2, 6, 12 above, and as many changes.
        let own = OwnDrift::of(&series(&[
            (2000.0, 1.0),
            (2001.0, 1.0),
            (2001.0, 4.0),
            (2002.0, 6.0),
            (2003.0, 6.0),
            (2003.0, 24.0),
        ]))
        .unwrap();
        let (g1, g2, g3) = (2f64.ln(), 3f64.ln(), 2f64.ln());
        let want = ((g2 - g1).powi(2) + (g3 - g2).powi(2)) / 2.0 / 2.0;
        approx::assert_relative_eq!(own.rate_var, want, max_relative = 1e-12);
        assert_eq!(own.changes, 2);
        approx::assert_relative_eq!(own.mean_rate, 12f64.ln() / 3.0, max_relative = 1e-12);
        // All at one time: no rate at all.
        assert!(OwnDrift::of(&series(&[(2000.0, 1.0), (2000.0, 2.0)])).is_none());
    }
}
