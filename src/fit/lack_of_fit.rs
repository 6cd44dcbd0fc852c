//! The lack-of-fit F test, for data with replicates: several observations at one time measure
//! the noise without the model (the *pure error*), so the part of the residual sum of squares
//! beyond it (the *lack of fit*) can be tested against it.
//!
//! With `n` observations at `m` distinct times and `p` free parameters, the pure-error sum of
//! squares is `SS_pe = Σ_times Σ w (z − z̄_w)²` (each time's observations about their weighted
//! mean, `z` the targets in the space of the residuals: `y`, or `ln y` for multiplicative
//! errors; `w` the weights), on `n − m` degrees of freedom; the lack-of-fit sum of squares is
//! `SS_lof = RSS − SS_pe` on `m − p`; and `F = (SS_lof / (m − p)) / (SS_pe / (n − m))`, with
//! the upper-tail probability of Fisher's F on `(m − p, n − m)` degrees of freedom. It is the
//! test R's `anova(nls_fit, lm(y ~ factor(t)))` makes (the fit against one mean per time);
//! `tests/r_growth_data.rs` checks it against R on R's `DNase` data.

use std::fmt;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use crate::series::time_groups;
use crate::solve::Side;

/// The lack-of-fit F test of a fit to data with replicates ([`crate::Fit::lack_of_fit`]).
///
/// A small `p_value` says the curve misses the means at the replicated times by more than the
/// replicates' own scatter explains: the model's shape is wrong for these data, whatever the
/// standard errors say.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LackOfFit {
    /// Observations in the test (`n`: every observation of the fit).
    pub points: usize,
    /// Distinct times among them (`m`).
    pub distinct_times: usize,
    /// Pure-error sum of squares: the replicates about their time's (weighted) mean, in the
    /// space of the residuals.
    pub pure_error_ss: f64,
    /// Its degrees of freedom, `n − m`.
    pub pure_error_dof: usize,
    /// Lack-of-fit sum of squares, `RSS − pure_error_ss`.
    pub lack_of_fit_ss: f64,
    /// Its degrees of freedom, `m − p` (`p` the free parameters).
    pub lack_of_fit_dof: usize,
    /// The F statistic, `(lack_of_fit_ss / lack_of_fit_dof) / (pure_error_ss / pure_error_dof)`.
    pub f: f64,
    /// `P(F(lack_of_fit_dof, pure_error_dof) > f)`.
    pub p_value: f64,
}

impl LackOfFit {
    /// The test for targets `z` (residual space) at sorted times `t` with weights `w`, a fit
    /// with residual sum of squares `rss` and `free` free parameters. `None` when it cannot be
    /// made: no replicates (`n = m`), no more distinct times than free parameters (`m ≤ p`),
    /// an observation that is a bound (a one-sided residual is not a replicate measurement of
    /// the mean), or replicates that agree exactly (pure error 0: no scale to test against).
    pub(crate) fn new(
        t: &[f64],
        z: &[f64],
        w: &[f64],
        side: &[Side],
        rss: f64,
        free: usize,
    ) -> Option<LackOfFit> {
        if side.iter().any(|s| *s != Side::Both) || !rss.is_finite() {
            return None;
        }
        let groups = time_groups(t);
        let (n, m) = (t.len(), groups.len());
        if m == n || m <= free {
            return None;
        }
        let pure_error_ss: f64 = groups
            .iter()
            .map(|g| {
                let sw: f64 = w[g.clone()].iter().sum();
                let mean = g.clone().map(|i| w[i] * z[i]).sum::<f64>() / sw;
                g.clone().map(|i| w[i] * (z[i] - mean).powi(2)).sum::<f64>()
            })
            .sum();
        if !(pure_error_ss > 0.0 && pure_error_ss.is_finite()) {
            return None;
        }
        // RSS ≥ SS_pe in exact arithmetic (the means minimise each group's sum of squares).
        let lack_of_fit_ss = (rss - pure_error_ss).max(0.0);
        let (dof_lof, dof_pe) = (m - free, n - m);
        let f = (lack_of_fit_ss / dof_lof as f64) / (pure_error_ss / dof_pe as f64);
        let p_value = FisherSnedecor::new(dof_lof as f64, dof_pe as f64)
            .ok()
            .map(|d| d.sf(f))
            .filter(|p| p.is_finite())?;
        Some(LackOfFit {
            points: n,
            distinct_times: m,
            pure_error_ss,
            pure_error_dof: dof_pe,
            lack_of_fit_ss,
            lack_of_fit_dof: dof_lof,
            f,
            p_value,
        })
    }
}

/// `F = 7.1631 on 5 and 8 DF, p = 0.0079 (16 points at 8 distinct times; pure-error SS
/// 8.7450e-4 on 8 DF)`.
impl fmt::Display for LackOfFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "F = {:.4} on {} and {} DF, p = {:.4} ({} points at {} distinct times; pure-error SS \
             {:.4e} on {} DF)",
            self.f,
            self.lack_of_fit_dof,
            self.pure_error_dof,
            self.p_value,
            self.points,
            self.distinct_times,
            self.pure_error_ss,
            self.pure_error_dof
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: times 0, 0, 1, 1, 2 (n = 5, m = 3), one free parameter. Group means 2 and 5
    /// (and 7 alone): SS_pe = (1² + 1²) + (1² + 1²) = 4 on 2 DF; with RSS 10, SS_lof = 6 on 2
    /// DF, F = (6/2) / (4/2) = 1.5, and P(F(2, 2) > 1.5) = 1 / (1 + 1.5) = 0.4.
    #[test]
    fn by_hand() {
        let t = [0.0, 0.0, 1.0, 1.0, 2.0];
        let z = [1.0, 3.0, 4.0, 6.0, 7.0];
        let both = [Side::Both; 5];
        let l = LackOfFit::new(&t, &z, &[1.0; 5], &both, 10.0, 1).unwrap();
        assert_eq!((l.points, l.distinct_times), (5, 3));
        assert_eq!((l.pure_error_dof, l.lack_of_fit_dof), (2, 2));
        approx::assert_relative_eq!(l.pure_error_ss, 4.0, max_relative = 1e-15);
        approx::assert_relative_eq!(l.lack_of_fit_ss, 6.0, max_relative = 1e-15);
        approx::assert_relative_eq!(l.f, 1.5, max_relative = 1e-15);
        approx::assert_relative_eq!(l.p_value, 0.4, max_relative = 1e-12);
        // Weights: w = 3 on the first point moves the first mean to (3·1 + 3)/4 = 1.5:
        // 3·0.5² + 1.5² = 3 for that group, 2 for the other.
        let w = [3.0, 1.0, 1.0, 1.0, 1.0];
        let l = LackOfFit::new(&t, &z, &w, &both, 10.0, 1).unwrap();
        approx::assert_relative_eq!(l.pure_error_ss, 5.0, max_relative = 1e-15);
        assert!(l
            .to_string()
            .starts_with("F = 1.0000 on 2 and 2 DF, p = 0.5000 (5 points at 3"));
    }

    #[test]
    fn none_when_it_cannot_be_made() {
        let both = [Side::Both; 5];
        let z = [1.0, 3.0, 4.0, 6.0, 7.0];
        // No replicates.
        let t = [0.0, 1.0, 2.0, 3.0, 4.0];
        assert!(LackOfFit::new(&t, &z, &[1.0; 5], &both, 10.0, 2).is_none());
        // m = 3 distinct times, p = 3.
        let t = [0.0, 0.0, 1.0, 1.0, 2.0];
        assert!(LackOfFit::new(&t, &z, &[1.0; 5], &both, 10.0, 3).is_none());
        // A bound among the observations.
        let mut side = both;
        side[4] = Side::Lower;
        assert!(LackOfFit::new(&t, &z, &[1.0; 5], &side, 10.0, 1).is_none());
        // Replicates that agree exactly.
        let z = [1.0, 1.0, 4.0, 4.0, 7.0];
        assert!(LackOfFit::new(&t, &z, &[1.0; 5], &both, 10.0, 1).is_none());
    }
}
