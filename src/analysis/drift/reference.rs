//! The reference classes of growth-rate drift: real series growing at a similar rate, and the
//! distribution of their drift (see the [parent module](super)).

use std::sync::OnceLock;

use serde::Serialize;
use statrs::function::gamma::ln_gamma;

use super::{persisting_prior, OwnDrift};
use crate::series::Series;

/// The reference table bundled with the crate (made by `examples/drift_reference.rs`).
const BUNDLED: &str = include_str!("../../../data/reference/drift.csv");

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
    /// The factor on the estimated drift of a persisting departure (the naive path's) that
    /// makes the recommended prediction band hold at least 85% of the corpus's own values in
    /// every cell of its rolling-origin backtests (calibrated in `examples/drift_reference.rs`;
    /// 1 would trust the inverse-gamma model as it is, which the reverting departure does).
    pub factor: f64,
    /// The prior probability that a series' rate departures persist rather than revert, fitted
    /// to the evidence of the class's series' departures from their best-describing curves by
    /// maximum marginal likelihood
    /// ([`super::persisting_prior`]).
    pub persisting: f64,
    /// The median spacing of its series (years): the interval its drift was measured over, so
    /// the shortest over which a departure drawn from it can be taken to revert.
    pub spacing: f64,
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

impl ReferenceTable {
    /// The table bundled with the crate (`data/reference/drift.csv`).
    pub fn bundled() -> &'static ReferenceTable {
        static TABLE: OnceLock<ReferenceTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            ReferenceTable::parse(BUNDLED).expect("the bundled drift table is well formed (tested)")
        })
    }

    /// Builds the table from a corpus of series (what `examples/drift_reference.rs` does with
    /// the Gapminder table): each series' own rate changes pooled within its class, and the
    /// prior probability that a class's departures persist fitted to the evidence of its
    /// series' departures from their best-describing standard curve (as a recommendation
    /// reads a series' own, [`crate::compare::Comparison::best_describing`]).
    pub fn from_series(
        corpus: impl Into<String>,
        series: &[Series],
        factor: f64,
    ) -> ReferenceTable {
        let bounds: Vec<f64> = std::iter::once(f64::NEG_INFINITY)
            .chain(CLASS_BOUNDS)
            .chain(std::iter::once(f64::INFINITY))
            .collect();
        let own: Vec<OwnDrift> = series.iter().filter_map(own_and_fitted).collect();
        let classes = bounds
            .windows(2)
            .map(|b| {
                let members: Vec<&OwnDrift> = own
                    .iter()
                    .filter(|o| o.changes > 0 && b[0] <= o.mean_rate && o.mean_rate < b[1])
                    .collect();
                let changes: usize = members.iter().map(|o| o.changes).sum();
                let (shape, scale) = fit_inverse_gamma(&members);
                let evidence: Vec<f64> = members.iter().map(|o| o.reverting).collect();
                let mut spacings: Vec<f64> = members.iter().map(|o| o.spacing).collect();
                spacings.sort_by(f64::total_cmp);
                ReferenceClass {
                    persisting: persisting_prior(&evidence),
                    spacing: spacings
                        .get(spacings.len() / 2)
                        .copied()
                        .unwrap_or(f64::NAN),
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
            "# {}\nclass,min_rate,max_rate,series,changes,shape,scale,factor,persisting,spacing\n",
            self.corpus
        );
        for c in &self.classes {
            out.push_str(&format!(
                "{},{},{},{},{},{:.6e},{:.6e},{},{},{}\n",
                c.name,
                c.min_rate,
                c.max_rate,
                c.series,
                c.changes,
                c.shape,
                c.scale,
                c.factor,
                c.persisting,
                c.spacing
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
                    persisting: f.get(8)?.parse().ok()?,
                    spacing: f.get(9)?.parse().ok()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        (!classes.is_empty()).then_some(ReferenceTable { corpus, classes })
    }
}

/// A series' raw drift, with the evidence that its departures revert read from its
/// best-describing standard curve (0 when none fitted).
fn own_and_fitted(series: &Series) -> Option<OwnDrift> {
    let raw = OwnDrift::of(series)?;
    let comparison = crate::compare::compare_standard(series);
    let fitted = comparison.best_describing().and_then(OwnDrift::of_fit);
    Some(OwnDrift {
        reverting: fitted.map_or(0.0, |f| f.reverting),
        ..raw
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::ContinuousCDF;

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
                    reverting: 0.0,
                    spacing: 1.0,
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
