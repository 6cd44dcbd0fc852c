//! Known facts about a ceiling, and how they enter a comparison and its recommendation.
//!
//! Four points cannot identify a ceiling, but the world often knows something about it: the
//! users of a service are at most the population, a share is at most 100%, a market is known
//! to saturate at a stated size. A [`KnownCeiling`] says which, and
//!
//! * [`compare_knowing`] adds the S-curves with the fact imposed (the ceiling fixed at the value,
//!   or bounded by it) to the standard candidates;
//! * [`crate::recommend::RecommendOptions::known_ceiling`] keeps in the recommendation only the
//!   candidates that agree with the fact ([`KnownCeiling::admits`]), and the recommended
//!   confidence band never passes the ceiling (the curve cannot; a new observation can, by
//!   measurement noise, so the prediction band is left as it is).
//!
//! ```
//! use growthcast::known::{compare_knowing, KnownCeiling};
//! use growthcast::recommend::RecommendOptions;
//! use growthcast::Series;
//!
//! # fn main() -> Result<(), growthcast::Error> {
//! let users = Series::from_years(
//!     "users",
//!     &[(2023.0, 1.0e8), (2024.0, 2.3e8), (2025.0, 4.2e8), (2026.0, 6.02e8)],
//! )?;
//! let population = KnownCeiling::at_most(1.41e9, "population")?;
//! let free = growthcast::compare::compare_standard(&users)
//!     .recommended(&[2030.0], &RecommendOptions::default())
//!     .unwrap();
//! let known = compare_knowing(&users, &population)
//!     .recommended(&[2030.0], &RecommendOptions::knowing(population))
//!     .unwrap();
//! let (a, b) = (&free.projection.points[0], &known.projection.points[0]);
//! assert!(b.conf_upper <= 1.41e9 && b.conf_upper < a.conf_upper);
//! # Ok(())
//! # }
//! ```

use std::fmt;

use serde::Serialize;

use super::compare::{self, Comparison};
use super::recommend::Recommendation;
use crate::axis::TimeAxis;
use crate::error::{Error, Result};
use crate::fit::{Fit, FitSpec};
use crate::model::{Model, Role};
use crate::project::Projection;
use crate::ErrorModel;
use crate::{Fitter, Gompertz, Logistic, Series};

/// What is known about a ceiling, with a short name for it ("population", "100%").
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KnownCeiling {
    /// The kind of fact.
    pub kind: CeilingFact,
    /// The value, in the unit of the data.
    pub value: f64,
    /// What it is, for labels and text ("population", "100%").
    pub name: String,
}

/// The kinds of fact about a ceiling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CeilingFact {
    /// The ceiling is this value: the S-curves are fitted with it fixed, and only they are
    /// plausible (a curve with no ceiling, or another one, contradicts the fact).
    Fixed,
    /// The ceiling is at most this value (a population, 100%): the S-curves are also fitted
    /// with their ceiling bounded by it, and a curve with no ceiling is plausible only while it
    /// stays below it.
    AtMost,
}

impl KnownCeiling {
    /// The ceiling is `value` (positive and finite).
    pub fn fixed(value: f64, name: impl Into<String>) -> Result<Self> {
        Self::new(CeilingFact::Fixed, value, name.into())
    }

    /// The ceiling is at most `value` (positive and finite).
    pub fn at_most(value: f64, name: impl Into<String>) -> Result<Self> {
        Self::new(CeilingFact::AtMost, value, name.into())
    }

    fn new(kind: CeilingFact, value: f64, name: String) -> Result<Self> {
        if !(value.is_finite() && value > 0.0) {
            return Err(Error::InvalidArgument {
                name: "known ceiling",
                value,
                reason: format!(
                    "the known ceiling `{name}` must be a positive finite number in the unit of the data"
                ),
            });
        }
        Ok(KnownCeiling { kind, value, name })
    }

    /// The name with the value, once: "population = 1.4100e9", or "1.4100e9" when the name is
    /// the value.
    fn named(&self) -> String {
        let v = format!("{:.4e}", self.value);
        // A name that already ends with the value ("population 1.41e9") says it once.
        let says_value = self
            .name
            .split_whitespace()
            .last()
            .and_then(|w| w.trim_end_matches('%').parse::<f64>().ok())
            .is_some_and(|x| (x - self.value).abs() <= 1e-3 * self.value.abs());
        if self.name == v || says_value {
            self.name.clone()
        } else {
            format!("{} = {v}", self.name)
        }
    }

    /// The fact in a few words: "ceiling ≤ population = 1.4100e9", "ceiling = 1.0000e2".
    pub fn describe(&self) -> String {
        let op = match self.kind {
            CeilingFact::Fixed => "=",
            CeilingFact::AtMost => "≤",
        };
        format!("ceiling {op} {}", self.named())
    }

    /// The standard S-curves (logistic, Gompertz) with the fact imposed on their ceiling (fixed
    /// at the value, or bounded by it; a bound also brings the logistic that saturates at it),
    /// with the error model of [`compare::standard_specs`].
    pub fn specs(&self, series: &Series) -> Vec<Box<dyn FitSpec>> {
        let em = compare::standard_error_model(series);
        let mut specs = vec![
            self.imposed(Logistic, "logistic", em, self.kind),
            self.imposed(Gompertz, "gompertz", em, self.kind),
        ];
        if self.kind == CeilingFact::AtMost {
            // The curve that saturates at the bound itself: the highest one the fact allows,
            // and one with a parameter fewer, so that it fits where a bounded one cannot
            // (two or three points).
            specs.push(self.imposed(Logistic, "logistic", em, CeilingFact::Fixed));
        }
        specs
    }

    /// `model` with the fact imposed on its ceiling parameter.
    fn imposed<M: Model + Clone + 'static>(
        &self,
        model: M,
        label: &str,
        em: ErrorModel,
        kind: CeilingFact,
    ) -> Box<dyn FitSpec> {
        let k = model
            .param_of(Role::Ceiling)
            .map_or("K", |i| model.params()[i].name);
        let op = match kind {
            CeilingFact::Fixed => "=",
            CeilingFact::AtMost => "≤",
        };
        let f = Fitter::new(model)
            .error_model(em)
            .label(format!("{label}, {k} {op} {}", self.name));
        Box::new(match kind {
            CeilingFact::Fixed => f.fix(k, self.value),
            CeilingFact::AtMost => f.bound(k, 0.0, self.value),
        })
    }

    /// `Ok` when the fit agrees with the fact over `projection` (its own), else why not.
    pub fn admits(&self, fit: &Fit, projection: &Projection) -> std::result::Result<(), String> {
        let k = self.value;
        let same = |x: f64| (x - k).abs() <= 1e-9 * k;
        let ceiling = fit.params().iter().find(|p| p.role == Role::Ceiling);
        match (self.kind, ceiling) {
            (CeilingFact::Fixed, Some(p)) if p.fixed && same(p.estimate) => Ok(()),
            (CeilingFact::Fixed, Some(p)) if p.fixed => Err(format!(
                "its ceiling is fixed at {:.4e}, not at the known one ({})",
                p.estimate,
                self.named()
            )),
            (CeilingFact::Fixed, Some(p)) => Err(format!(
                "its ceiling is estimated ({:.4e}); the known one ({}) replaces it",
                p.estimate,
                self.named()
            )),
            (CeilingFact::Fixed, None) => Err(format!(
                "it has no ceiling, and the ceiling is known ({})",
                self.named()
            )),
            (CeilingFact::AtMost, Some(p)) if p.estimate <= k * (1.0 + 1e-9) => Ok(()),
            (CeilingFact::AtMost, Some(p)) => Err(format!(
                "its ceiling {:.4e} is above the known bound ({})",
                p.estimate,
                self.named()
            )),
            (CeilingFact::AtMost, None) => match projection.points.iter().find(|q| q.value > k) {
                Some(q) => Err(format!(
                    "passes the known ceiling ({}) by {}",
                    self.named(),
                    projection.axis.at(q.t)
                )),
                None => Ok(()),
            },
        }
    }
}

/// [`compare::standard_specs`] and the S-curves with the fact imposed ([`KnownCeiling::specs`]).
pub fn specs_knowing(series: &Series, fact: &KnownCeiling) -> Vec<Box<dyn FitSpec>> {
    let mut specs = compare::standard_specs(series);
    specs.extend(fact.specs(series));
    specs
}

/// [`compare::compare`] over [`specs_knowing`]: the comparison a recommendation that knows the
/// ceiling ([`crate::recommend::RecommendOptions::knowing`]) chooses its members from.
pub fn compare_knowing(series: &Series, fact: &KnownCeiling) -> Comparison {
    compare::compare(series, &specs_knowing(series, fact))
}

/// How much a known fact narrows a recommended band, at the band's last date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Narrowing {
    /// The fact.
    pub fact: KnownCeiling,
    /// The time compared (a decimal year on the calendar axis).
    pub t: f64,
    /// The time axis, to print `t`.
    pub axis: TimeAxis,
    /// The confidence band there without the fact.
    pub without: (f64, f64),
    /// The confidence band there with it.
    pub with: (f64, f64),
}

impl Narrowing {
    /// Compares the last dates of a recommendation made without a fact and one made with it
    /// (`with.known_ceiling`); `None` when `with` knows nothing or the dates differ.
    pub fn between(without: &Recommendation, with: &Recommendation) -> Option<Self> {
        let fact = with.known_ceiling.clone()?;
        let (a, b) = (
            without.projection.points.last()?,
            with.projection.points.last()?,
        );
        (a.t == b.t).then_some(Narrowing {
            fact,
            t: a.t,
            axis: with.projection.axis.clone(),
            without: (a.conf_lower, a.conf_upper),
            with: (b.conf_lower, b.conf_upper),
        })
    }

    /// The band's width on the log scale with the fact, as a share of its width without:
    /// `ln(hi/lo)` with ÷ without (1: no narrowing; 0.2: a fifth of the width).
    pub fn width_ratio(&self) -> f64 {
        (self.with.1 / self.with.0).ln() / (self.without.1 / self.without.0).ln()
    }
}

impl fmt::Display for Narrowing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "knowing {} narrows the band at {} from [{:.3e}, {:.3e}] (a factor of {:.3} between its edges) \
             to [{:.3e}, {:.3e}] (a factor of {:.3}): {:.0}% of its width on the log scale",
            self.fact.describe(),
            self.axis.at(self.t),
            self.without.0,
            self.without.1,
            self.without.1 / self.without.0,
            self.with.0,
            self.with.1,
            self.with.1 / self.with.0,
            100.0 * self.width_ratio()
        )
    }
}
