//! Growth-rate drift: why bands that hold on simulated data are too narrow on real series, and
//! how much to widen them.
//!
//! A fitted curve assumes the growth rate follows the model for ever. Real growth rates wander:
//! in rolling-origin backtests on the Gapminder series the forecast error of the log value grows
//! about in proportion to the horizon (standard deviation 0.05, 0.10, 0.15, 0.19, 0.25 for
//! population one to five five-year steps ahead), as if the future average growth rate differed
//! from the one the past shows by a random amount. The drift model says exactly that: `H` years
//! past the last point the log of the value departs from the projected path by `δ·H`, with `δ`
//! normal of standard deviation `τ`, the **rate drift** (per year). The recommended prediction
//! band adds it, on the log scale, to each member's own band
//! ([`crate::recommend::RecommendOptions::drift`]).
//!
//! `τ` comes from the series when it is long enough and otherwise from a **reference class**:
//!
//! * from the series: consecutive interval growth rates `gᵢ = ln(yᵢ₊₁/yᵢ)/(tᵢ₊₁ − tᵢ)` and
//!   `τ̂² = mean((gᵢ₊₁ − gᵢ)²) / 2` over its `n − 2` rate changes (if the rates were independent
//!   around a mean with spread `τ`, each change would have variance `2τ²`);
//! * from the reference class ([`ReferenceTable`]): real series growing at a similar rate do not
//!   share one drift (a population's rate wanders a tenth as much as an income's), so the class
//!   is a *distribution* of `τ²` across its series, an inverse gamma `IG(α, β)` fitted by maximum
//!   marginal likelihood to their rate changes; shipped in `data/reference/drift.csv` and made
//!   from the Gapminder table by `cargo run --release --example drift_reference`;
//! * combined by Bayes' rule with `k = n − 2` own rate changes whose squares sum (halved) to
//!   `S`, `τ² | data ~ IG(α + k/2, β + S/2)`, so a four-point series mostly borrows what similar
//!   series did, a long one speaks for itself, and [`Drift::describe`] says which. The future
//!   rate's departure is then Student-t with `2α + k` degrees of freedom and scale
//!   `√((β + S/2)/(α + k/2))`: heavy tails where the class's series differ a lot.
//!
//! ```
//! use growthcast::drift::{Drift, DriftOptions};
//! use growthcast::Series;
//! # fn main() -> Result<(), growthcast::Error> {
//! let s = Series::from_years("s", &[(2020.5, 100.0), (2021.5, 110.0), (2022.5, 125.0), (2023.5, 140.0)])?;
//! let d = Drift::estimate(&s, &DriftOptions::default()).expect("a dated series");
//! assert!(d.rate_sd > 0.0 && d.log_sd(5.0) > d.log_sd(1.0));
//! // "rate drift 0.0… per year: from 2 of the series' own rate changes (…) and the reference
//! // class `growing 3% a year or faster` (35 series, typically 0.0… per year)"
//! println!("{}", d.describe());
//! # Ok(())
//! # }
//! ```
//!
//! The reference classes are of dated series whose rates are per year. A series on another
//! time axis (hours of a culture, days of a chick: [`crate::axis`]) has no reference class: its
//! drift is the one given ([`DriftOptions::fixed`], per unit of its axis), else its own alone
//! when it has at least [`MIN_OWN_CHANGES`] rate changes (Jeffreys' prior: `τ² | data ~
//! IG(k/2, S/2)`, a Student-t departure with `k` degrees of freedom and scale `τ̂`, no
//! calibration factor since none was measured), else none, and the recommendation says so.

use serde::Serialize;

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use crate::axis::TimeAxis;
use crate::fit::Fit;
use crate::project::Projection;
use crate::series::Series;

mod reference;

pub use reference::{ReferenceClass, ReferenceTable, CLASS_BOUNDS};

/// Rate changes a series on a time axis without a reference class needs before its own drift
/// is used (its departure is then Student-t with at least this many degrees of freedom).
pub const MIN_OWN_CHANGES: usize = 4;

/// How the drift is sized.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DriftOptions {
    /// Whether the recommended prediction band carries the drift at all (default `true`; `false`
    /// for data known to follow the model exactly, e.g. a simulation).
    pub enabled: bool,
    /// A drift given by the user (per unit of the series' time axis: per year on the calendar;
    /// taken as normal), used instead of any estimate.
    pub fixed: Option<f64>,
    /// A calibration factor on the estimated drift, instead of the reference class's own
    /// ([`ReferenceClass::factor`]).
    pub factor: Option<f64>,
}

impl Default for DriftOptions {
    fn default() -> Self {
        DriftOptions {
            enabled: true,
            fixed: None,
            factor: None,
        }
    }
}

/// A series' own drift: the mean squared rate change (halved) and how many changes it pools.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct OwnDrift {
    /// `τ̂²`, per year².
    pub rate_var: f64,
    /// How many rate changes it is measured from (`n − 2`).
    pub changes: usize,
    /// The series' mean growth rate (per year, continuous), which picks its reference class.
    pub mean_rate: f64,
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
        let rates: Vec<f64> = pts
            .windows(2)
            .filter(|w| w[1].0 > w[0].0)
            .map(|w| (w[1].1 - w[0].1) / (w[1].0 - w[0].0))
            .collect();
        if rates.is_empty() {
            return None;
        }
        let (first, last) = (pts[0], pts[pts.len() - 1]);
        let mean_rate = (last.1 - first.1) / (last.0 - first.0);
        let changes: Vec<f64> = rates.windows(2).map(|w| w[1] - w[0]).collect();
        let rate_var = if changes.is_empty() {
            0.0
        } else {
            changes.iter().map(|d| d * d).sum::<f64>() / changes.len() as f64 / 2.0
        };
        Some(OwnDrift {
            rate_var,
            changes: changes.len(),
            mean_rate,
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
    /// distinct times).
    pub fn of_fit(fit: &Fit) -> Option<OwnDrift> {
        let obs: Vec<_> = fit
            .observations()
            .iter()
            .filter(|o| !o.kind.is_one_sided())
            .collect();
        let raw: Vec<(f64, f64)> = obs.iter().map(|o| (o.t, o.value)).collect();
        let mean_rate = OwnDrift::from_points(&raw)?.mean_rate;
        // Log residuals: the departures from the curve (one per distinct time).
        let r: Vec<(f64, f64)> = obs
            .iter()
            .filter(|o| o.fitted > 0.0 && o.value > 0.0)
            .map(|o| (o.t, (o.value / o.fitted).ln()))
            .collect();
        let r = time_means(&r);
        let changes = r.len().saturating_sub(fit.n_free().max(2));
        if changes == 0 {
            return Some(OwnDrift {
                rate_var: 0.0,
                changes,
                mean_rate,
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
        })
    }
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

/// Where a series' drift came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum DriftSource {
    /// Given by the user.
    Fixed,
    /// The series' own rate changes, weighed against its reference class by Bayes' rule.
    Estimated {
        /// The series' own estimate, if it has a rate change.
        own: Option<OwnDrift>,
        /// The reference class it borrowed from.
        class: ReferenceClass,
    },
    /// The series' own rate changes alone: no reference class speaks for its time axis.
    Own {
        /// The series' own estimate.
        own: OwnDrift,
    },
}

/// The rate drift of a series and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Drift {
    /// `τ`, the scale of the future average growth rate's departure from the projected one
    /// (per year).
    pub rate_sd: f64,
    /// Degrees of freedom of that departure's Student-t distribution (infinite: normal).
    pub dof: f64,
    /// Where it came from.
    pub source: DriftSource,
    /// The time axis its rates are per (the calendar: per year).
    pub axis: TimeAxis,
}

impl Drift {
    /// The drift of `series` under `opts`, from the bundled reference table ([`Drift::estimate_for`]).
    pub fn estimate(series: &Series, opts: &DriftOptions) -> Option<Drift> {
        Drift::estimate_for(
            OwnDrift::of(series),
            opts,
            ReferenceTable::bundled(),
            series.axis(),
        )
    }

    /// The drift of a series on `axis` whose own drift is `own`: the one given; else, when the
    /// reference classes speak for the axis ([`Drift::has_reference`]), the own weighed against
    /// `table` ([`Drift::estimate_with`]); else its own alone ([`Drift::own_only`]). `None`
    /// when there is none of these.
    pub fn estimate_for(
        own: Option<OwnDrift>,
        opts: &DriftOptions,
        table: &ReferenceTable,
        axis: &TimeAxis,
    ) -> Option<Drift> {
        let d = if opts.fixed.is_some() || Drift::has_reference(axis) {
            Some(Drift::estimate_with(own, opts, table))
        } else {
            own.and_then(|o| Drift::own_only(o, opts))
        };
        d.map(|d| d.on(axis.clone()))
    }

    /// The drift of a series from its own rate changes alone, with Jeffreys' prior on `τ²`:
    /// `IG(k/2, S/2)` after `k` changes whose squares sum (halved) to `S`, so a Student-t
    /// departure with `k` degrees of freedom and scale `τ̂` (times `opts.factor` if given: none
    /// has been calibrated); `None` with fewer than [`MIN_OWN_CHANGES`] changes.
    pub fn own_only(own: OwnDrift, opts: &DriftOptions) -> Option<Drift> {
        (own.changes >= MIN_OWN_CHANGES).then(|| Drift {
            rate_sd: opts.factor.unwrap_or(1.0) * own.rate_var.sqrt(),
            dof: own.changes as f64,
            source: DriftSource::Own { own },
            axis: TimeAxis::Calendar,
        })
    }

    /// Whether the reference classes speak for a series on `axis`: their rates are per year, so
    /// the calendar and a numeric axis counted in years.
    pub fn has_reference(axis: &TimeAxis) -> bool {
        axis.unit() == "year"
    }

    /// Why a series on `axis` with `changes` rate changes of its own gets no drift under
    /// `opts`, if it gets none for want of a reference class and of changes of its own.
    pub fn missing_reason(axis: &TimeAxis, opts: &DriftOptions, changes: usize) -> Option<String> {
        let missing = opts.enabled
            && opts.fixed.is_none()
            && !Drift::has_reference(axis)
            && changes < MIN_OWN_CHANGES;
        missing.then(|| {
            format!(
                "no growth-rate drift: the reference classes are of dated series with rates per \
                 year, this series counts in {}, and it has {changes} rate change(s) of its own, \
                 fewer than the {MIN_OWN_CHANGES} needed to measure its drift alone; give one \
                 (DriftOptions::fixed, per {}) if its rates wander, as real ones do",
                axis.units(),
                axis.unit()
            )
        })
    }

    /// The same drift, its rates per unit of `axis` (for wording: the numbers do not change).
    pub fn on(self, axis: TimeAxis) -> Drift {
        Drift { axis, ..self }
    }

    /// The drift of a series whose own drift is `own`, under `opts`, borrowing from `table`.
    pub fn estimate_with(
        own: Option<OwnDrift>,
        opts: &DriftOptions,
        table: &ReferenceTable,
    ) -> Drift {
        if let Some(v) = opts.fixed {
            return Drift {
                rate_sd: v.max(0.0),
                dof: f64::INFINITY,
                source: DriftSource::Fixed,
                axis: TimeAxis::Calendar,
            };
        }
        let class = table
            .class_for(own.map_or(0.0, |o| o.mean_rate))
            .cloned()
            .expect("a reference table has at least one class");
        let (k, s) = own.map_or((0.0, 0.0), |o| {
            (o.changes as f64, o.rate_var * o.changes as f64)
        });
        let (a, b) = (class.shape + k / 2.0, class.scale + s / 2.0);
        let factor = opts.factor.unwrap_or(class.factor);
        Drift {
            rate_sd: factor * (b / a).sqrt(),
            dof: 2.0 * a,
            source: DriftSource::Estimated { own, class },
            axis: TimeAxis::Calendar,
        }
    }

    /// The scale it adds to the log value `horizon` years past the last point (none before it).
    pub fn log_sd(&self, horizon: f64) -> f64 {
        self.rate_sd * horizon.max(0.0)
    }

    /// The two-sided quantile of the departure's distribution at `level` (0.95: about 2).
    pub fn quantile(&self, level: f64) -> f64 {
        let p = 0.5 + level / 2.0;
        if self.dof.is_finite() {
            StudentsT::new(0.0, 1.0, self.dof)
                .map(|t| t.inverse_cdf(p))
                .unwrap_or(f64::NAN)
        } else {
            Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.inverse_cdf(p))
        }
    }

    /// Widens `projection`'s prediction band by the drift past its last observed time: on the log
    /// scale, the band's half-widths about the curve and `q·τ·H` add in quadrature (`q` the
    /// departure's quantile at the projection's level). A value or band end at or below zero is
    /// widened on the value's own scale by the same factor.
    pub fn widen(&self, projection: &mut Projection) {
        let z = self.quantile(projection.level);
        if !(self.rate_sd > 0.0 && z.is_finite()) {
            return;
        }
        for q in projection.points.iter_mut() {
            let d = z * self.log_sd(q.t - projection.last_observed);
            if d <= 0.0 || !q.value.is_finite() {
                continue;
            }
            let add = |a: f64, b: f64| (a * a + b * b).sqrt();
            if q.value > 0.0 && q.pred_lower > 0.0 && q.pred_upper > 0.0 {
                let (lo, hi) = ((q.value / q.pred_lower).ln(), (q.pred_upper / q.value).ln());
                q.pred_lower = q.value * (-add(lo.max(0.0), d)).exp();
                q.pred_upper = q.value * add(hi.max(0.0), d).exp();
            } else {
                let v = q.value.abs();
                q.pred_lower = q.value - add(q.value - q.pred_lower, v * (1.0 - (-d).exp()));
                q.pred_upper = q.value + add(q.pred_upper - q.value, v * d.exp_m1());
            }
        }
    }

    /// Its size and source in a few words ("0.887 a year: 2 own rate changes and the class").
    pub fn brief(&self) -> String {
        match &self.source {
            DriftSource::Fixed => format!("{:.3} {}, given", self.rate_sd, self.axis.per()),
            DriftSource::Own { own } => format!(
                "{:.3} {}: {} own rate changes alone",
                self.rate_sd,
                self.axis.per(),
                own.changes
            ),
            DriftSource::Estimated { own, .. } => format!(
                "{:.3} {}: {} own rate change(s) and the reference class",
                self.rate_sd,
                self.axis.per(),
                own.map_or(0, |o| o.changes)
            ),
        }
    }

    /// One sentence on its size and where it came from.
    pub fn describe(&self) -> String {
        let head = format!("rate drift {:.4} per {}", self.rate_sd, self.axis.unit());
        match &self.source {
            DriftSource::Fixed => format!("{head}: given"),
            DriftSource::Own { own } => format!(
                "{head}: from the series' {} own rate changes alone (no reference class counts in \
                 {}; Student-t with {} degrees of freedom)",
                own.changes,
                self.axis.units(),
                own.changes
            ),
            DriftSource::Estimated { own, class } => {
                let own_part = match own {
                    Some(o) if o.changes > 0 => format!(
                        "{} of the series' own rate changes ({:.4} per year)",
                        o.changes,
                        o.rate_var.sqrt()
                    ),
                    _ => "no rate change of the series' own".to_string(),
                };
                let beyond = match own {
                    Some(o) if o.mean_rate >= class.max_rate || o.mean_rate < class.min_rate => {
                        format!(
                            "; this series grows {:.0}% a year, outside the class",
                            100.0 * o.mean_rate
                        )
                    }
                    _ => String::new(),
                };
                format!(
                    "{head}: from {own_part} and the reference class `{}` ({} series, typically {:.4} per year){beyond}",
                    class.name, class.series, class.typical()
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(pts: &[(f64, f64)]) -> Series {
        Series::from_years("s", pts).unwrap()
    }

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

    #[test]
    fn a_series_without_a_reference_class_speaks_alone_or_not_at_all() {
        let day = TimeAxis::numeric("day").unwrap();
        let own = |changes| OwnDrift {
            rate_var: 0.0004,
            changes,
            mean_rate: 0.1,
        };
        let opts = DriftOptions::default();
        // Jeffreys' prior: IG(k/2, S/2) with S = k·τ̂², so scale √(S/k) = τ̂ and k dof.
        let table = ReferenceTable::bundled();
        let d = Drift::estimate_for(Some(own(5)), &opts, table, &day).unwrap();
        approx::assert_relative_eq!(d.rate_sd, 0.02, max_relative = 1e-12);
        approx::assert_relative_eq!(d.dof, 5.0);
        assert_eq!(d.source, DriftSource::Own { own: own(5) });
        assert!(
            d.describe().contains("5 own rate changes alone"),
            "{}",
            d.describe()
        );
        assert!(Drift::estimate_for(Some(own(3)), &opts, table, &day).is_none());
        assert!(Drift::missing_reason(&day, &opts, 3).is_some());
        assert!(Drift::missing_reason(&day, &opts, 4).is_none());
        // On the calendar the reference class takes part.
        let cal = Drift::estimate_for(Some(own(5)), &opts, table, &TimeAxis::Calendar).unwrap();
        assert!(matches!(cal.source, DriftSource::Estimated { .. }));
    }

    #[test]
    fn the_class_and_the_series_combine_by_bayes_rule() {
        let table = ReferenceTable {
            corpus: "test".into(),
            classes: vec![ReferenceClass {
                name: "all".into(),
                min_rate: f64::NEG_INFINITY,
                max_rate: f64::INFINITY,
                series: 1,
                changes: 10,
                shape: 3.0,
                scale: 0.02,
                factor: 1.5,
            }],
        };
        let s = series(&[(2000.0, 1.0), (2001.0, 2.0), (2002.0, 6.0), (2003.0, 12.0)]);
        let own = OwnDrift::of(&s).unwrap();
        let d = Drift::estimate_with(Some(own), &DriftOptions::default(), &table);
        // IG(3, 0.02) updated by k = 2 changes summing (halved, squared) to 2·rate_var.
        let (a, b) = (3.0 + 1.0, 0.02 + own.rate_var);
        let tau = 1.5 * (b / a).sqrt();
        approx::assert_relative_eq!(d.rate_sd, tau, max_relative = 1e-12);
        approx::assert_relative_eq!(d.dof, 8.0);
        approx::assert_relative_eq!(d.log_sd(3.0), 3.0 * tau, max_relative = 1e-12);
        assert_eq!(d.log_sd(-1.0), 0.0);
        // t quantile with 8 dof at 97.5% (R: qt(0.975, 8) = 2.306004).
        approx::assert_relative_eq!(d.quantile(0.95), 2.306004, max_relative = 1e-6);
        assert!(d.describe().contains("2 of the series' own rate changes"));
    }
}
