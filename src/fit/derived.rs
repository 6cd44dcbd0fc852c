//! Quantities derived from a fit's parameters (annual growth rate, doubling time, inflection,
//! time to reach a level), each with an interval that stays inside the quantity's range.
//!
//! * A quantity that is a monotone function of one free parameter (the annual growth rate
//!   `e^r − 1`, the doubling time `ln 2 / r`, a logistic's inflection time `tm` and level `K/2`)
//!   gets that parameter's profile-likelihood interval mapped through the function
//!   ([`IntervalMethod::Transformed`]): an interval for the rate that reaches zero gives a
//!   doubling time with no upper end, never a negative one.
//! * Any other quantity (the time a curve reaches a level, an inflection that depends on two
//!   parameters) gets the percentile interval of the calibrated bootstrap
//!   ([`IntervalMethod::Bootstrap`], see [`super::bootstrap`]): each draw is a curve of the
//!   model, so the interval holds only values such a curve can give ("never reaches the level"
//!   becomes an interval with no upper end).
//!
//! The delta-method interval stays available through [`Fit::quantity`], labelled
//! [`IntervalMethod::Delta`].

use serde::Serialize;

use super::result::IntervalMethod;
use super::Fit;
use crate::model::{Model, Role};

/// A derived quantity with its uncertainty.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// Point estimate.
    pub value: f64,
    /// Standard error by the delta method (NaN when the covariance is unknown).
    pub std_error: f64,
    /// Lower end of the interval at the fit's level.
    pub lower: f64,
    /// Upper end (infinite when the data set no upper end: JSON `null`).
    pub upper: f64,
    /// How the interval was made.
    pub method: IntervalMethod,
}

/// The quantities derived from a fit's parameters, each with its interval at the fit's level;
/// a quantity the model does not have (the inflection of an exponential) is left out of the JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Derived {
    /// Growth rate `e^r − 1` per unit of time, annual on the calendar ([`Fit::annual_growth_rate`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annual_growth_rate: Option<Estimate>,
    /// Doubling time in the axis' unit (years on the calendar) ([`Fit::doubling_time`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doubling_time: Option<Estimate>,
    /// Inflection time (a decimal year on the calendar axis) ([`Fit::inflection_time`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inflection_time: Option<Estimate>,
    /// Level at the inflection ([`Fit::inflection_level`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inflection_level: Option<Estimate>,
}
impl Fit {
    /// Delta-method estimate of any function of the parameters `g(model, p)` at the fit's level,
    /// with a central-difference gradient. `None` when `g` is undefined at the estimates.
    pub fn quantity(&self, g: impl Fn(&dyn Model, &[f64]) -> Option<f64>) -> Option<Estimate> {
        let p = self.estimates();
        let m = self.model_object();
        let value = g(m, &p)?;
        if !value.is_finite() {
            return None;
        }
        let mut grad = vec![0.0; p.len()];
        let mut q = p.clone();
        for &j in &self.free {
            let h = 1e-6 * p[j].abs().max(1e-6);
            q[j] = p[j] + h;
            let up = g(m, &q);
            q[j] = p[j] - h;
            let down = g(m, &q);
            q[j] = p[j];
            grad[j] = match (up, down) {
                (Some(u), Some(d)) => (u - d) / (2.0 * h),
                _ => f64::NAN,
            };
        }
        let se = self.delta_std_error(&grad);
        let qt = self.t_quantile(self.level);
        Some(Estimate {
            value,
            std_error: se,
            lower: value - qt * se,
            upper: value + qt * se,
            method: IntervalMethod::Delta,
        })
    }

    /// The intrinsic rate's interval `(lower, upper)` (profile likelihood by default; an end
    /// may be infinite), when the rate is one free parameter of the model (the `r` of the
    /// exponential, logistic and Gompertz curves).
    fn rate_interval(&self) -> Option<(f64, f64)> {
        let p = self.estimates();
        let r = self.model_object().intrinsic_rate(&p)?;
        let i = self.model_object().param_of(Role::Rate)?;
        let par = &self.params[i];
        (par.estimate == r && !par.fixed && !par.lower.is_nan() && !par.upper.is_nan())
            .then_some((par.lower, par.upper))
    }

    /// Every derived quantity the model has, for JSON and tables.
    pub fn derived(&self) -> Derived {
        Derived {
            annual_growth_rate: self.annual_growth_rate(),
            doubling_time: self.doubling_time(),
            inflection_time: self.inflection_time(),
            inflection_level: self.inflection_level(),
        }
    }

    /// Annual growth rate `e^r − 1` of the model's intrinsic rate (the constant rate of an
    /// exponential, the early-phase rate of a logistic or Gompertz curve).
    ///
    /// Its interval is the rate's mapped through `e^r − 1`, so it never goes below −100%.
    pub fn annual_growth_rate(&self) -> Option<Estimate> {
        let e = self.quantity(|m, p| m.intrinsic_rate(p).map(f64::exp_m1))?;
        Some(match self.rate_interval() {
            Some((lo, hi)) => Estimate {
                lower: lo.exp_m1(),
                upper: hi.exp_m1(),
                method: IntervalMethod::Transformed,
                ..e
            },
            None => e,
        })
    }

    /// Doubling time `ln 2 / r` in the axis' unit (years on the calendar), for a positive intrinsic rate.
    ///
    /// Its interval is the rate's mapped through `ln 2 / r`: positive, and with no upper end
    /// (`upper` infinite) when the rate's interval reaches zero or below.
    pub fn doubling_time(&self) -> Option<Estimate> {
        let ln2 = std::f64::consts::LN_2;
        let e = self.quantity(|m, p| m.intrinsic_rate(p).filter(|r| *r > 0.0).map(|r| ln2 / r))?;
        Some(match self.rate_interval() {
            Some((lo, hi)) => Estimate {
                lower: if hi > 0.0 { ln2 / hi } else { f64::NAN },
                upper: if lo > 0.0 { ln2 / lo } else { f64::INFINITY },
                method: IntervalMethod::Transformed,
                ..e
            },
            None => e,
        })
    }

    /// Inflection time (a decimal year on the calendar axis), for S-curves.
    pub fn inflection_time(&self) -> Option<Estimate> {
        self.honest(|m, p| m.inflection(p).map(|(t, _)| t), f64::NAN)
    }

    /// Level at the inflection, for S-curves.
    pub fn inflection_level(&self) -> Option<Estimate> {
        self.honest(|m, p| m.inflection(p).map(|(_, y)| y), f64::NAN)
    }

    /// The time (a decimal year on the calendar axis) at which the fitted curve reaches `level`, with its interval:
    /// the bootstrap's percentiles, where a draw that never reaches the level counts as
    /// "later than any time" (an interval with no upper end); `None` if the fitted curve
    /// never gets there.
    pub fn time_to_reach(&self, level: f64) -> Option<Estimate> {
        self.honest(|m, p| m.time_to_reach(p, level), f64::INFINITY)
    }

    /// The estimate of `g` with the best interval the fit allows: the profile interval of the
    /// one free parameter `g` depends on, mapped through `g` when `g` is monotone there; else
    /// the bootstrap's percentiles (`missing` where a draw has no value); else the delta method.
    fn honest(
        &self,
        g: impl Fn(&dyn Model, &[f64]) -> Option<f64> + Copy,
        missing: f64,
    ) -> Option<Estimate> {
        let e = self.quantity(g)?;
        if let Some((lower, upper)) = self.transformed(g, e.value) {
            return Some(Estimate {
                lower,
                upper,
                method: IntervalMethod::Transformed,
                ..e
            });
        }
        Some(match self.bootstrap_interval(g, missing, self.level) {
            Some((lower, upper)) if !lower.is_nan() && !upper.is_nan() => Estimate {
                lower: lower.min(e.value),
                upper: upper.max(e.value),
                method: IntervalMethod::Bootstrap,
                ..e
            },
            _ => e,
        })
    }

    /// The interval of `g` as the image of one free parameter's profile interval, when `g`
    /// depends on that parameter alone and is monotone across the interval.
    fn transformed(
        &self,
        g: impl Fn(&dyn Model, &[f64]) -> Option<f64>,
        value: f64,
    ) -> Option<(f64, f64)> {
        let m = self.model_object();
        let p = self.estimates();
        let moved = |j: usize, v: f64| {
            let mut q = p.clone();
            q[j] = v;
            g(m, &q)
        };
        // The free parameters `g` responds to.
        let depends: Vec<usize> = self
            .free
            .iter()
            .copied()
            .filter(|&j| {
                let h = 1e-4 * p[j].abs().max(1e-4);
                [p[j] + h, p[j] - h]
                    .iter()
                    .any(|&v| moved(j, v).is_none_or(|x| (x - value).abs() > 0.0))
            })
            .collect();
        let [j] = depends[..] else { return None };
        let par = &self.params[j];
        if par.method != IntervalMethod::Profile {
            return None;
        }
        // An infinite end is approached through the largest finite value.
        let at = |v: f64| moved(j, v.clamp(-f64::MAX, f64::MAX)).filter(|x| !x.is_nan());
        let (a, b) = (at(par.lower)?, at(par.upper)?);
        let big = |x: f64| {
            if x.abs() > 1e300 {
                x.signum() * f64::INFINITY
            } else {
                x
            }
        };
        let (a, b) = (big(a), big(b));
        let monotone = (a <= value && value <= b) || (b <= value && value <= a);
        monotone.then_some((a.min(b), a.max(b)))
    }
}
