//! Scenarios: named growth paths from one explicit, labelled base.
//!
//! The documents give targets ("medium: more than 400 TWh by 2030; high: more than 700 TWh") but
//! not the base they grow from. A [`Base`] is therefore always an *assumption*, carried with its
//! label into every table and chart, never presented as a document figure. From it, each
//! scenario is either a target (the implied annual rate is computed) or a rate given by the user
//! (the path is computed). [`ScenarioSet::sensitivity`] shows how the implied rates move with
//! the assumed base.
//!
//! ```
//! use growthcast::scenario::{Base, ScenarioSet};
//! let set = ScenarioSet::new(Base::assumed(140e9, 2024.0, "assumed 2024 consumption, 140 TWh"))
//!     .unit("kWh")
//!     .target("medium", 400e9, 2030.0)
//!     .target("high", 700e9, 2030.0)
//!     .rate("low", 0.10);
//! let rates = set.implied_rates()?;
//! assert!((rates[0].rate - 0.1912).abs() < 1e-4); // (400/140)^(1/6) - 1
//! println!("{}", set.sensitivity(&[100e9, 140e9, 200e9])?);
//! # Ok::<(), growthcast::Error>(())
//! ```

use std::fmt;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::fit::FitSpec;
use crate::growth::{implied_rate, value_after};
use crate::series::Series;
use crate::setters::setters;

/// The starting point of every scenario: an assumption, with its label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Base {
    /// The assumed value.
    pub value: f64,
    /// Its time (decimal year).
    pub year: f64,
    /// What it is and why: shown wherever the base is used.
    pub label: String,
}

impl Base {
    /// An assumed base (the only kind there is: say where it comes from in `label`).
    pub fn assumed(value: f64, year: f64, label: impl Into<String>) -> Self {
        Self {
            value,
            year,
            label: label.into(),
        }
    }
}

/// What defines a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioSpec {
    /// Reach `value` by `year`.
    Target {
        /// Target value.
        value: f64,
        /// Target time (decimal year).
        year: f64,
    },
    /// Grow at a constant annual rate.
    Rate(f64),
}

/// A named scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    /// Name (`"medium"`).
    pub name: String,
    /// Definition.
    pub spec: ScenarioSpec,
}

/// A scenario's annual rate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioRate {
    /// Scenario name.
    pub name: String,
    /// Annual growth rate (implied by the target, or as given).
    pub rate: f64,
    /// `true` if the rate is implied by a target, `false` if given.
    pub implied: bool,
}

/// A yearly path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioPath {
    /// Scenario name.
    pub name: String,
    /// Annual growth rate.
    pub rate: f64,
    /// `(decimal year, value)` from the base year on.
    pub points: Vec<(f64, f64)>,
}

/// Implied rates against the assumed base value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Target scenario names (columns).
    pub names: Vec<String>,
    /// `(base value, implied rate per scenario)` rows.
    pub rows: Vec<(f64, Vec<f64>)>,
    /// Base year.
    pub base_year: f64,
    /// Unit of the values.
    pub unit: String,
}

/// Several scenarios from one assumed base.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioSet {
    /// The assumed base.
    pub base: Base,
    /// Unit of the values.
    pub unit: String,
    /// The scenarios, in order.
    pub scenarios: Vec<Scenario>,
}

impl ScenarioSet {
    /// An empty set from a base.
    pub fn new(base: Base) -> Self {
        Self {
            base,
            unit: String::new(),
            scenarios: Vec::new(),
        }
    }

    setters! {
        /// Sets the unit.
        pub fn unit(unit: impl Into<String>) => unit = unit.into();
    }

    /// Adds a target scenario.
    #[must_use]
    pub fn target(mut self, name: impl Into<String>, value: f64, year: f64) -> Self {
        self.scenarios.push(Scenario {
            name: name.into(),
            spec: ScenarioSpec::Target { value, year },
        });
        self
    }

    /// Adds a constant-rate scenario (e.g. a low scenario the documents leave to the user).
    #[must_use]
    pub fn rate(mut self, name: impl Into<String>, rate: f64) -> Self {
        self.scenarios.push(Scenario {
            name: name.into(),
            spec: ScenarioSpec::Rate(rate),
        });
        self
    }

    /// Adds one target scenario per single-point series, named after the part of the series
    /// name after the last `/` (`datacenter_power_2030/medium` → `medium`).
    #[must_use]
    pub fn targets_from(mut self, series: &[Series]) -> Self {
        for s in series {
            let o = &s.observations()[s.len() - 1];
            let name = s.name().rsplit('/').next().unwrap_or(s.name()).to_string();
            if self.unit.is_empty() {
                self.unit = s.unit().to_string();
            }
            self = self.target(name, o.value, o.t);
        }
        self
    }

    fn rate_of(&self, base: f64, spec: ScenarioSpec) -> Result<f64> {
        match spec {
            ScenarioSpec::Target { value, year } => {
                if year <= self.base.year {
                    return Err(Error::arg(
                        "year",
                        year,
                        format!("a target must lie after the base year {}", self.base.year),
                    ));
                }
                implied_rate(base, self.base.year, value, year)
            }
            ScenarioSpec::Rate(r) => {
                value_after(base, r, 1.0)?;
                Ok(r)
            }
        }
    }

    /// The annual rate of every scenario.
    pub fn implied_rates(&self) -> Result<Vec<ScenarioRate>> {
        self.scenarios
            .iter()
            .map(|s| {
                Ok(ScenarioRate {
                    name: s.name.clone(),
                    rate: self.rate_of(self.base.value, s.spec)?,
                    implied: matches!(s.spec, ScenarioSpec::Target { .. }),
                })
            })
            .collect()
    }

    /// Yearly paths from the base year to `until` (inclusive), `step` years apart.
    pub fn paths(&self, until: f64, step: f64) -> Result<Vec<ScenarioPath>> {
        if !(step > 0.0) || !(until > self.base.year) {
            return Err(Error::arg(
                "until",
                until,
                "paths need until > base year and step > 0",
            ));
        }
        let n = ((until - self.base.year) / step).floor() as usize;
        let mut times: Vec<f64> = (0..=n).map(|i| self.base.year + step * i as f64).collect();
        if times.last().is_some_and(|t| *t < until - 1e-9) {
            times.push(until);
        }
        self.implied_rates()?
            .into_iter()
            .map(|r| {
                let points = times
                    .iter()
                    .map(|&t| Ok((t, value_after(self.base.value, r.rate, t - self.base.year)?)))
                    .collect::<Result<Vec<_>>>()?;
                Ok(ScenarioPath {
                    name: r.name,
                    rate: r.rate,
                    points,
                })
            })
            .collect()
    }

    /// The implied rate of every target scenario for each assumed base value.
    pub fn sensitivity(&self, bases: &[f64]) -> Result<Sensitivity> {
        let targets: Vec<&Scenario> = self
            .scenarios
            .iter()
            .filter(|s| matches!(s.spec, ScenarioSpec::Target { .. }))
            .collect();
        let rows = bases
            .iter()
            .map(|&b| {
                Ok((
                    b,
                    targets
                        .iter()
                        .map(|s| self.rate_of(b, s.spec))
                        .collect::<Result<Vec<_>>>()?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Sensitivity {
            names: targets.iter().map(|s| s.name.clone()).collect(),
            rows,
            base_year: self.base.year,
            unit: self.unit.clone(),
        })
    }
}

impl fmt::Display for ScenarioSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "scenarios from an ASSUMED base of {:.4e} {} in {} ({})",
            self.base.value, self.unit, self.base.year, self.base.label
        )?;
        match self.implied_rates() {
            Ok(rates) => {
                for (s, r) in self.scenarios.iter().zip(rates) {
                    match s.spec {
                        ScenarioSpec::Target { value, year } => writeln!(
                            f,
                            "    {:<10} target {value:.4e} by {year}: implies {:.2}% a year",
                            s.name,
                            100.0 * r.rate
                        )?,
                        ScenarioSpec::Rate(rate) => {
                            writeln!(f, "    {:<10} {:.2}% a year (given)", s.name, 100.0 * rate)?
                        }
                    }
                }
            }
            Err(e) => writeln!(f, "    {e}")?,
        }
        Ok(())
    }
}

impl fmt::Display for Sensitivity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "implied annual growth rate by ASSUMED base value in {} ({})",
            self.base_year, self.unit
        )?;
        write!(f, "    {:>14}", "assumed base")?;
        for n in &self.names {
            write!(f, " {n:>10}")?;
        }
        writeln!(f)?;
        for (b, rates) in &self.rows {
            write!(f, "    {b:>14.4e}")?;
            for r in rates {
                write!(f, " {:>9.2}%", 100.0 * r)?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// The inverse question for an S-curve: which ceiling must the curve have for the series to
/// reach `target` by `t`? The other parameters are refitted to the data for each candidate
/// ceiling (bisection on a log scale between the target and 10,000 times it).
pub fn required_ceiling(spec: &dyn FitSpec, series: &Series, target: f64, t: f64) -> Result<f64> {
    if !(target > 0.0 && target.is_finite()) {
        return Err(Error::arg("target", target, "must be a finite number > 0"));
    }
    let ceiling =
        spec.param_of(crate::model::Role::Ceiling)
            .ok_or_else(|| Error::InvalidParameter {
                model: spec.model_name(),
                parameter: "(ceiling)".into(),
                reason: "the model has no parameter with the ceiling role: no ceiling to solve for"
                    .into(),
            })?;
    let value_at = |k: f64| -> Option<f64> {
        spec.fit_with_fixed(series, &ceiling, k)
            .ok()
            .map(|f| f.value_at(t))
    };
    let (mut lo, mut hi) = ((target * 1.000_001).ln(), (target * 1e4).ln());
    match (value_at(lo.exp()), value_at(hi.exp())) {
        (Some(a), _) if a >= target => return Ok(lo.exp()),
        (_, Some(b)) if b < target => {
            return Err(Error::arg(
                "target",
                target,
                format!(
                    "no ceiling up to {:.3e} brings the fitted curve to it by {t}",
                    hi.exp()
                ),
            ))
        }
        (_, None) => {
            return Err(Error::arg(
                "target",
                target,
                "the fit with a large ceiling failed",
            ))
        }
        _ => {}
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        match value_at(mid.exp()) {
            Some(v) if v >= target => hi = mid,
            _ => lo = mid,
        }
    }
    Ok(hi.exp())
}
