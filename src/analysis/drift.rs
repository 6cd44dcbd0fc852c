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
//! let d = Drift::estimate(&s, &DriftOptions::default());
//! assert!(d.rate_sd > 0.0 && d.log_sd(5.0) > d.log_sd(1.0));
//! // "rate drift 0.0… per year: from 2 of the series' own rate changes (…) and the reference
//! // class `growing 3% a year or faster` (35 series, typically 0.0… per year)"
//! println!("{}", d.describe());
//! # Ok(())
//! # }
//! ```

use std::sync::OnceLock;

use serde::Serialize;

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
use statrs::function::gamma::ln_gamma;

use crate::project::Projection;
use crate::series::Series;

/// The reference table bundled with the crate (made by `examples/drift_reference.rs`).
const BUNDLED: &str = include_str!("../../data/reference/drift.csv");

/// How the drift is sized.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DriftOptions {
    /// Whether the recommended prediction band carries the drift at all (default `true`; `false`
    /// for data known to follow the model exactly, e.g. a simulation).
    pub enabled: bool,
    /// A drift given by the user (per year, taken as normal), used instead of any estimate.
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

/// One reference class: real series growing at a similar rate, and their pooled drift.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReferenceClass {
    /// Its name ("growing 1–3% a year").
    pub name: String,
    /// Lowest mean growth rate in the class (per year, continuous; may be −∞).
    pub min_rate: f64,
    /// Highest mean growth rate (exclusive; may be +∞).
    pub max_rate: f64,
    /// How many series it pools.
    pub series: usize,
    /// How many rate changes it pools.
    pub changes: usize,
    /// `α` of the inverse-gamma distribution of `τ²` across its series.
    pub shape: f64,
    /// `β` of that distribution (per year²).
    pub scale: f64,
    /// The factor on the estimated drift that makes the recommended prediction band hold 95%
    /// of the corpus's own values in rolling-origin backtests (calibrated in
    /// `examples/drift_reference.rs`; 1 would trust the inverse-gamma model as it is).
    pub factor: f64,
}

impl ReferenceClass {
    /// The class's typical drift, `√(β/α)` (per year): the scale of a series' rate departure
    /// before its own rate changes are seen.
    pub fn typical(&self) -> f64 {
        (self.scale / self.shape).sqrt()
    }
}

/// The reference classes, by mean growth rate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReferenceTable {
    /// Where the series came from ("Gapminder: population and GDP per capita, 142 countries").
    pub corpus: String,
    /// The classes, by increasing rate.
    pub classes: Vec<ReferenceClass>,
}

/// Class bounds (per year) used to build the table.
pub const CLASS_BOUNDS: [f64; 2] = [0.01, 0.03];

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

    /// The drift of `(time, value)` points in time order (non-positive values are skipped);
    /// `None` with fewer than two positive values at distinct times.
    pub fn from_points(points: &[(f64, f64)]) -> Option<OwnDrift> {
        let pts: Vec<(f64, f64)> = points
            .iter()
            .filter(|(_, v)| *v > 0.0 && v.is_finite())
            .map(|&(t, v)| (t, v.ln()))
            .collect();
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

impl ReferenceTable {
    /// The table bundled with the crate (`data/reference/drift.csv`).
    pub fn bundled() -> &'static ReferenceTable {
        static TABLE: OnceLock<ReferenceTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            ReferenceTable::parse(BUNDLED).expect("the bundled drift table is well formed (tested)")
        })
    }

    /// Builds the table from a corpus of series (what `examples/drift_reference.rs` does with
    /// the Gapminder table): each series' own rate changes pooled within its class.
    pub fn from_series(
        corpus: impl Into<String>,
        series: &[Series],
        factor: f64,
    ) -> ReferenceTable {
        let bounds: Vec<f64> = std::iter::once(f64::NEG_INFINITY)
            .chain(CLASS_BOUNDS)
            .chain(std::iter::once(f64::INFINITY))
            .collect();
        let own: Vec<OwnDrift> = series.iter().filter_map(OwnDrift::of).collect();
        let classes = bounds
            .windows(2)
            .map(|b| {
                let members: Vec<&OwnDrift> = own
                    .iter()
                    .filter(|o| o.changes > 0 && b[0] <= o.mean_rate && o.mean_rate < b[1])
                    .collect();
                let changes: usize = members.iter().map(|o| o.changes).sum();
                let (shape, scale) = fit_inverse_gamma(&members);
                ReferenceClass {
                    name: class_name(b[0], b[1]),
                    min_rate: b[0],
                    max_rate: b[1],
                    series: members.len(),
                    changes,
                    shape,
                    scale,
                    factor,
                }
            })
            .collect();
        ReferenceTable {
            corpus: corpus.into(),
            classes,
        }
    }

    /// The class for a mean growth rate.
    pub fn class_for(&self, rate: f64) -> Option<&ReferenceClass> {
        self.classes
            .iter()
            .find(|c| c.min_rate <= rate && rate < c.max_rate)
            .or_else(|| self.classes.last())
    }

    /// The table as CSV (what the bundled file holds).
    pub fn to_csv(&self) -> String {
        let mut out = format!(
            "# {}\nclass,min_rate,max_rate,series,changes,shape,scale,factor\n",
            self.corpus
        );
        for c in &self.classes {
            out.push_str(&format!(
                "{},{},{},{},{},{:.6e},{:.6e},{}\n",
                c.name, c.min_rate, c.max_rate, c.series, c.changes, c.shape, c.scale, c.factor
            ));
        }
        out
    }

    /// Reads the CSV written by [`ReferenceTable::to_csv`]; `None` if it is malformed.
    pub fn parse(text: &str) -> Option<ReferenceTable> {
        let mut lines = text.lines();
        let corpus = lines.next()?.strip_prefix("# ")?.to_string();
        lines.next()?;
        let classes = lines
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                Some(ReferenceClass {
                    name: f.first()?.to_string(),
                    min_rate: f.get(1)?.parse().ok()?,
                    max_rate: f.get(2)?.parse().ok()?,
                    series: f.get(3)?.parse().ok()?,
                    changes: f.get(4)?.parse().ok()?,
                    shape: f.get(5)?.parse().ok()?,
                    scale: f.get(6)?.parse().ok()?,
                    factor: f.get(7)?.parse().ok()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        (!classes.is_empty()).then_some(ReferenceTable { corpus, classes })
    }
}

/// The inverse gamma `IG(α, β)` of `τ²` that makes the series' rate changes most likely: each
/// series' halved squared changes `x²` are `N(0, τ²)` given its `τ²`, so its marginal likelihood
/// is `βᵅ Γ(α + k/2) / (Γ(α) (β + S/2)^(α + k/2))`. For each `α` on a log grid the best `β`
/// solves `Σ α/β = Σ (α + k/2)/(β + S/2)` (bisection); the best pair is kept.
fn fit_inverse_gamma(members: &[&OwnDrift]) -> (f64, f64) {
    let data: Vec<(f64, f64)> = members
        .iter()
        .map(|o| (o.changes as f64, o.rate_var * o.changes as f64))
        .collect();
    if data.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let loglik = |a: f64, b: f64| -> f64 {
        data.iter()
            .map(|&(k, s)| {
                a * b.ln() - ln_gamma(a) + ln_gamma(a + k / 2.0)
                    - (a + k / 2.0) * (b + s / 2.0).ln()
            })
            .sum()
    };
    let best_scale = |a: f64| -> f64 {
        // g(β) = Σ α/β − (α + k/2)/(β + S/2) falls from +∞ and is negative for large β.
        let g = |b: f64| -> f64 {
            data.iter()
                .map(|&(k, s)| a / b - (a + k / 2.0) / (b + s / 2.0))
                .sum()
        };
        let (mut lo, mut hi) = (1e-16, 1.0);
        while g(hi) > 0.0 && hi < 1e6 {
            hi *= 10.0;
        }
        for _ in 0..200 {
            let mid = (lo * hi).sqrt();
            if g(mid) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (lo * hi).sqrt()
    };
    (0..=400)
        .map(|i| 10f64.powf(-1.0 + 3.0 * i as f64 / 400.0))
        .map(|a| {
            let b = best_scale(a);
            (a, b, loglik(a, b))
        })
        .max_by(|x, y| x.2.total_cmp(&y.2))
        .map(|(a, b, _)| (a, b))
        .unwrap_or((f64::NAN, f64::NAN))
}

fn class_name(lo: f64, hi: f64) -> String {
    let pct = |x: f64| format!("{}%", (x * 100.0).round());
    match (lo.is_finite(), hi.is_finite()) {
        (false, true) => format!("growing less than {} a year", pct(hi)),
        (true, false) => format!("growing {} a year or faster", pct(lo)),
        _ => format!("growing {} to {} a year", pct(lo), pct(hi)),
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
}

impl Drift {
    /// The drift of `series` under `opts`, from the bundled reference table.
    pub fn estimate(series: &Series, opts: &DriftOptions) -> Drift {
        Drift::estimate_with(OwnDrift::of(series), opts, ReferenceTable::bundled())
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

    /// One sentence on its size and where it came from.
    pub fn describe(&self) -> String {
        let head = format!("rate drift {:.4} per year", self.rate_sd);
        match &self.source {
            DriftSource::Fixed => format!("{head}: given"),
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

    #[test]
    fn the_fitted_class_recovers_a_known_inverse_gamma() {
        // Series whose halved squared rate changes are exactly their τ², with τ² spread as the
        // quantiles of IG(4, 0.003): the fit must land near α = 4, β = 0.003.
        let ig = statrs::distribution::InverseGamma::new(4.0, 0.003).unwrap();
        let owns: Vec<OwnDrift> = (1..400)
            .map(|i| {
                let tau2 = ig.inverse_cdf(i as f64 / 400.0);
                OwnDrift {
                    rate_var: tau2,
                    changes: 200,
                    mean_rate: 0.02,
                }
            })
            .collect();
        let refs: Vec<&OwnDrift> = owns.iter().collect();
        let (a, b) = fit_inverse_gamma(&refs);
        approx::assert_relative_eq!(a, 4.0, max_relative = 0.15);
        approx::assert_relative_eq!(b, 0.003, max_relative = 0.15);
    }

    #[test]
    fn the_bundled_table_parses_and_round_trips() {
        let t = ReferenceTable::bundled();
        assert_eq!(t.classes.len(), CLASS_BOUNDS.len() + 1);
        assert_eq!(ReferenceTable::parse(&t.to_csv()).as_ref(), Some(t));
        assert!(t.classes.iter().all(|c| c.typical() > 0.0 && c.series > 0));
    }
}
