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
//! band adds it, on the log scale, to the naive path's band and, as a departure that reverts
//! (below), to each member's own band ([`crate::recommend::RecommendOptions::drift`]).
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
//! **Departures that persist or revert.** If a change of growth rate persists (a population's
//! demographic transition), the last rate is the best guide: the naive path, whose log departs
//! from the future by `δ·H`. If the rates revert (a business cycle, measurement noise), they
//! scatter about the curve's, successive changes undo each other (lag-one correlation −½), and
//! the fitted curve is the best guide: its log departs by `τ·√(H·min(H, Δ))` ([`Drift::spacing`]
//! `Δ`). The series' own successive rate changes, as departures from its best-describing curve,
//! weigh the two accounts ([`reverting_evidence_given`], a Bayes factor) against the reference
//! class's prior
//! ([`ReferenceClass::persisting`]); the posterior ([`Drift::persisting`]) weighs the naive
//! path's band against the curves' in the recommended prediction band. The reference class's
//! calibration factor ([`ReferenceClass::factor`]) rides on the persisting departure only.
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
use crate::project::Projection;
use crate::series::Series;

mod own;
mod persistence;
mod reference;

pub use own::OwnDrift;
pub use persistence::{
    persisting_prior, persisting_probability, reverting_evidence, reverting_evidence_given,
};
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
    /// ([`ReferenceClass::factor`]). The recommended prediction band applies it to the
    /// persisting departure (the naive path's) only: the reverting one (the curves') carries
    /// none.
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
    /// The probability that the series' rate departures persist rather than revert (see
    /// [`persisting_probability`]): the weight of the naive path in the recommended prediction
    /// band, the curves' being the rest.
    pub persisting: f64,
    /// The spacing over which its departures revert (per unit of its axis; infinite when
    /// unknown): a reverting departure's log grows as `τ·√(H·min(H, spacing))`. The series'
    /// own spacing, or, for a drift borrowed from a reference class, the class's and the
    /// series' in the shares of the evidence on `τ²` each gave.
    pub spacing: f64,
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
            persisting: persisting_probability(0.5, own.reverting),
            spacing: own.spacing,
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
        let (evidence, spacing) = own.map_or((0.0, f64::INFINITY), |o| (o.reverting, o.spacing));
        if let Some(v) = opts.fixed {
            return Drift {
                rate_sd: v.max(0.0),
                dof: f64::INFINITY,
                source: DriftSource::Fixed,
                axis: TimeAxis::Calendar,
                persisting: persisting_probability(0.5, evidence),
                spacing,
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
        // A drift measured over the class's spacing cannot be taken to revert within it: the
        // spacing is the class's and the series' own, in the shares they have of `β`.
        let own_share = if b > 0.0 { s / 2.0 / b } else { 0.0 };
        let spacing = match own {
            Some(_) => own_share * spacing + (1.0 - own_share) * class.spacing,
            None => class.spacing,
        };
        Drift {
            rate_sd: factor * (b / a).sqrt(),
            dof: 2.0 * a,
            persisting: persisting_probability(class.persisting, evidence),
            source: DriftSource::Estimated { own, class },
            axis: TimeAxis::Calendar,
            spacing,
        }
    }

    /// The scale a persisting departure adds to the log value `horizon` years past the last
    /// point, `τ·H` (none before it): the naive path's.
    pub fn log_sd(&self, horizon: f64) -> f64 {
        self.rate_sd * horizon.max(0.0)
    }

    /// The scale a reverting departure adds to the log value `horizon` past the last point,
    /// `τ·√(H·min(H, Δ))` with `Δ` its [`Drift::spacing`] (none before it): the fitted curves'.
    /// Within one spacing it is the persisting one; past it, the rates of the intervals to come
    /// average out.
    pub fn reverting_log_sd(&self, horizon: f64) -> f64 {
        let h = horizon.max(0.0);
        self.rate_sd * (h * h.min(self.spacing)).sqrt()
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

    /// Widens a fitted curve's `projection`'s prediction band by the drift past its last observed
    /// time, as a reverting departure ([`Drift::reverting_log_sd`]): on the log scale, the band's
    /// half-widths about the curve and `q·τ·√(H·min(H, Δ))` add in quadrature (`q` the
    /// departure's quantile at the projection's level). A value or band end at or below zero is
    /// widened on the value's own scale by the same factor.
    pub fn widen(&self, projection: &mut Projection) {
        let z = self.quantile(projection.level);
        if !(self.rate_sd > 0.0 && z.is_finite()) {
            return;
        }
        for q in projection.points.iter_mut() {
            let d = z * self.reverting_log_sd(q.t - projection.last_observed);
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

    /// How likely its rate departures are to persist, and from what, in words ("55% that its
    /// growth-rate departures persist (63% before its own rate changes: the reference
    /// class's)").
    pub fn persistence(&self) -> String {
        let prior = match &self.source {
            DriftSource::Estimated { class, .. } => format!(
                "{:.0}% before its own rate changes: the reference class's",
                100.0 * class.persisting
            ),
            _ => "50% before its own rate changes".to_string(),
        };
        format!(
            "{:.0}% that its growth-rate departures persist ({prior})",
            100.0 * self.persisting
        )
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

    /// A dated series named `s` (for the tests of the drift's modules).
    pub(super) fn series(pts: &[(f64, f64)]) -> Series {
        Series::from_years("s", pts).unwrap()
    }

    #[test]
    fn a_series_without_a_reference_class_speaks_alone_or_not_at_all() {
        let day = TimeAxis::numeric("day").unwrap();
        let own = |changes| OwnDrift {
            rate_var: 0.0004,
            changes,
            mean_rate: 0.1,
            reverting: 0.0,
            spacing: 1.0,
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
                persisting: 0.6,
                spacing: 5.0,
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
        // A reverting departure: within the yearly spacing as the persisting one, past it with
        // the square root of the horizon.
        let own_share = own.rate_var / b;
        approx::assert_relative_eq!(d.spacing, own_share + 5.0 * (1.0 - own_share));
        assert!(d.spacing > 1.0 && d.spacing < 5.0);
        approx::assert_relative_eq!(d.reverting_log_sd(0.5), 0.5 * tau, max_relative = 1e-12);
        approx::assert_relative_eq!(
            d.reverting_log_sd(8.0),
            (8.0 * d.spacing).sqrt() * tau,
            max_relative = 1e-12
        );
        // Persisting: the class's prior 0.6 updated by the series' own evidence.
        approx::assert_relative_eq!(
            d.persisting,
            persisting_probability(0.6, own.reverting),
            max_relative = 1e-12
        );
        assert!(d
            .persistence()
            .contains("60% before its own rate changes: the reference class's"));
        // t quantile with 8 dof at 97.5% (R: qt(0.975, 8) = 2.306004).
        approx::assert_relative_eq!(d.quantile(0.95), 2.306004, max_relative = 1e-6);
        assert!(d.describe().contains("2 of the series' own rate changes"));
    }
}
