//! Growth arithmetic: CAGR, rates, doubling times and checks of stated growth claims.
//!
//! Every function is a one-liner for the user and returns a typed error for impossible input
//! (non-positive values, zero years) instead of NaN.
//!
//! ```
//! use growthcast::growth::{self, Figure};
//! // "CAGR 12.8%" for 8.1e12 (about) -> more than 14.7e12 yuan, 2020-2025:
//! let check = growth::check_cagr(Figure::about(8.1e12), Figure::at_least(14.7e12), 5.0, Figure::exact(0.128))?;
//! assert!((check.face_value - 0.1266).abs() < 1e-4);      // 12.66% at face value
//! assert!((check.required_end - 14.79e12).abs() < 0.01e12); // the size the claim needs
//! assert_eq!(check.verdict, growth::Verdict::AllowedByWording); // "more than 14.7e12" allows it
//! # Ok::<(), growthcast::Error>(())
//! ```

use std::fmt;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::fit::Estimate;
use crate::series::{Kind, Series};
use crate::time::parse_date;

fn positive(name: &'static str, v: f64) -> Result<f64> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(Error::arg(name, v, "must be a finite number > 0"))
    }
}

/// Compound annual growth rate from `start` to `end` over `years`: `(end/start)^(1/years) − 1`.
///
/// ```
/// let r = growthcast::growth::cagr(100.0, 121.0, 2.0)?;
/// assert!((r - 0.10).abs() < 1e-12);
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn cagr(start: f64, end: f64, years: f64) -> Result<f64> {
    positive("start", start)?;
    positive("end", end)?;
    positive("years", years)?;
    Ok((end / start).powf(1.0 / years) - 1.0)
}

/// CAGR between two dated values, the years taken from the dates.
///
/// ```
/// let r = growthcast::growth::cagr_between(("2020", 8.1e12), ("2025", 14.7e12))?;
/// assert!((r - 0.12659).abs() < 1e-5);
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn cagr_between(start: (&str, f64), end: (&str, f64)) -> Result<f64> {
    let years = parse_date(end.0)? - parse_date(start.0)?;
    cagr(start.1, end.1, years)
}

/// The annual rate a base value needs to reach a target by a time: the inverse question of a
/// scenario ("from 140 TWh in 2024, what rate gives 400 TWh by 2030?").
///
/// ```
/// let r = growthcast::growth::implied_rate(140.0, 2024.0, 400.0, 2030.0)?;
/// assert!((r - 0.1912).abs() < 1e-4);
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn implied_rate(base: f64, base_year: f64, target: f64, target_year: f64) -> Result<f64> {
    cagr(base, target, target_year - base_year)
}

/// The value after `years` of growth at annual rate `rate`: `start · (1 + rate)^years`.
pub fn value_after(start: f64, rate: f64, years: f64) -> Result<f64> {
    if !(rate > -1.0 && rate.is_finite()) {
        return Err(Error::arg(
            "rate",
            rate,
            "an annual rate must be finite and > -1 (-100%)",
        ));
    }
    if !years.is_finite() {
        return Err(Error::arg("years", years, "must be finite"));
    }
    Ok(start * (1.0 + rate).powf(years))
}

/// Doubling time in years at an annual growth rate: `ln 2 / ln(1 + rate)`.
///
/// ```
/// let d = growthcast::growth::doubling_time(1.0)?; // +100% a year doubles in one year
/// assert!((d - 1.0).abs() < 1e-12);
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn doubling_time(rate: f64) -> Result<f64> {
    if !(rate > 0.0 && rate.is_finite()) {
        return Err(Error::arg(
            "rate",
            rate,
            "only a positive growth rate has a doubling time",
        ));
    }
    Ok(std::f64::consts::LN_2 / rate.ln_1p())
}

/// Years for `start` to reach `target` at annual rate `rate`.
pub fn years_to_reach(start: f64, target: f64, rate: f64) -> Result<f64> {
    positive("start", start)?;
    positive("target", target)?;
    if !(rate > -1.0 && rate.is_finite() && rate != 0.0) {
        return Err(Error::arg("rate", rate, "must be finite, > -1 and not 0"));
    }
    let y = (target / start).ln() / rate.ln_1p();
    if y < 0.0 {
        return Err(Error::arg(
            "rate",
            rate,
            "the target lies the other way: it is never reached",
        ));
    }
    Ok(y)
}

/// A log-linear growth rate fitted over a whole series.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RateFit {
    /// Continuous rate per year (slope of `ln y` on `t`) with its interval.
    pub rate: Estimate,
    /// Annual growth rate `e^r − 1` with the interval mapped through the same function.
    pub annual: Estimate,
    /// Doubling time in years at the fitted rate (NaN for a non-positive rate).
    pub doubling_time: f64,
    /// Points used.
    pub n: usize,
}

/// Fits `ln y = a + r t` by least squares over a series (all points, as exact) and reports the
/// rate with a Student-t interval at `level` (NaN bands with two points).
///
/// ```
/// use growthcast::{growth, Series};
/// let s = Series::from_years("x", &[(2020.0, 100.0), (2021.0, 110.0), (2022.0, 121.0)])?;
/// let fit = growth::log_linear_rate(&s, 0.95)?;
/// assert!((fit.annual.value - 0.10).abs() < 1e-12);
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn log_linear_rate(series: &Series, level: f64) -> Result<RateFit> {
    if !(level > 0.0 && level < 1.0) {
        return Err(Error::arg(
            "level",
            level,
            "a confidence level lies strictly between 0 and 1",
        ));
    }
    let obs = series.observations();
    if obs.len() < 2 {
        return Err(Error::TooFewPoints {
            series: series.name().into(),
            model: "log-linear".into(),
            points: obs.len(),
            params: 2,
        });
    }
    let mut ly = Vec::with_capacity(obs.len());
    for (i, o) in obs.iter().enumerate() {
        if o.value <= 0.0 {
            return Err(Error::NonPositive {
                series: series.name().into(),
                row: i + 1,
                value: o.value,
            });
        }
        ly.push(o.value.ln());
    }
    let t = series.times();
    // A slope needs two distinct times (replicates at one time count once).
    let (a, r) = crate::model::linreg(&t, &ly).ok_or_else(|| Error::TooFewTimes {
        series: series.name().into(),
        what: "a log-linear growth rate".into(),
        times: series.n_times(),
        needed: 2,
    })?;
    let n = t.len();
    let mt = t.iter().sum::<f64>() / n as f64;
    let sxx: f64 = t.iter().map(|x| (x - mt).powi(2)).sum();
    let rss: f64 = t
        .iter()
        .zip(&ly)
        .map(|(x, l)| (l - a - r * x).powi(2))
        .sum();
    let dof = n - 2;
    let se = if dof > 0 {
        (rss / dof as f64 / sxx).sqrt()
    } else {
        f64::NAN
    };
    let q = crate::fit::t_quantile(0.5 + level / 2.0, dof);
    let rate = Estimate {
        value: r,
        std_error: se,
        lower: r - q * se,
        upper: r + q * se,
        method: crate::fit::IntervalMethod::Wald,
    };
    let annual = Estimate {
        value: r.exp_m1(),
        std_error: se * r.exp(),
        lower: rate.lower.exp_m1(),
        upper: rate.upper.exp_m1(),
        method: crate::fit::IntervalMethod::Transformed,
    };
    Ok(RateFit {
        rate,
        annual,
        doubling_time: if r > 0.0 {
            std::f64::consts::LN_2 / r
        } else {
            f64::NAN
        },
        n,
    })
}

/// A stated figure with what the wording says about it ("more than 3e13" is
/// `Figure::at_least(3e13)`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Figure {
    /// The number as stated.
    pub value: f64,
    /// What the wording says about the true value.
    pub kind: Kind,
    /// Relative half-width for [`Kind::About`] figures (default 1%).
    pub tolerance: f64,
}

impl Figure {
    /// Relative half-width given to "about" figures by [`Figure::about`].
    pub const ABOUT_TOLERANCE: f64 = 0.01;

    /// A figure of a given kind.
    pub fn new(value: f64, kind: Kind) -> Self {
        Self {
            value,
            kind,
            tolerance: if kind == Kind::About {
                Self::ABOUT_TOLERANCE
            } else {
                0.0
            },
        }
    }
    /// An exact figure.
    pub fn exact(value: f64) -> Self {
        Self::new(value, Kind::Exact)
    }
    /// "More than" `value`.
    pub fn at_least(value: f64) -> Self {
        Self::new(value, Kind::AtLeast)
    }
    /// "Less than" `value`.
    pub fn at_most(value: f64) -> Self {
        Self::new(value, Kind::AtMost)
    }
    /// "About" `value`, within ±1%.
    pub fn about(value: f64) -> Self {
        Self::new(value, Kind::About)
    }
    /// "About" `value`, within ±`tolerance` (relative).
    pub fn about_within(value: f64, tolerance: f64) -> Self {
        Self {
            tolerance,
            ..Self::new(value, Kind::About)
        }
    }

    /// The range of true values the wording allows.
    pub fn range(&self) -> (f64, f64) {
        let v = self.value;
        match self.kind {
            Kind::AtLeast => (v, f64::INFINITY),
            Kind::AtMost => (f64::NEG_INFINITY, v),
            Kind::About => (v * (1.0 - self.tolerance), v * (1.0 + self.tolerance)),
            Kind::Exact | Kind::Derived => (v, v),
        }
    }

    fn phrase(&self, show: impl Fn(f64) -> String) -> String {
        let v = show(self.value);
        match self.kind {
            Kind::AtLeast => format!("more than {v}"),
            Kind::AtMost => format!("less than {v}"),
            Kind::About => format!("about {v}"),
            Kind::Exact | Kind::Derived => v,
        }
    }
}

/// How a claim stands against the figures it is based on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The figures at face value satisfy the claim.
    Holds,
    /// Not at face value, but values that the wording of the figures allows ("more than …")
    /// satisfy it.
    AllowedByWording,
    /// No values the wording allows satisfy the claim.
    Contradicted,
}

/// The outcome of checking a growth claim: not just a bool, but what the numbers imply and what
/// the claim would need.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimCheck {
    /// The claim in words.
    pub claim: String,
    /// The quantity implied by the figures at face value (a factor, a fractional increase or an
    /// annual rate, like the claim).
    pub face_value: f64,
    /// The claimed quantity.
    pub claimed: f64,
    /// The range of the quantity that the figures' wording allows.
    pub possible: (f64, f64),
    /// The end value the claim needs, from the stated start (at the claim's threshold).
    pub required_end: f64,
    /// The verdict.
    pub verdict: Verdict,
    /// A sentence saying all of the above.
    pub explanation: String,
}

impl fmt::Display for ClaimCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.explanation)
    }
}

/// Shared logic: the claim is about `q = to_q(end / start)`, an increasing function of the
/// growth factor, with inverse `to_factor`.
fn check(
    start: Figure,
    end: Figure,
    claimed: Figure,
    what: &str,
    show: fn(f64) -> String,
    to_q: &dyn Fn(f64) -> f64,
    to_factor: &dyn Fn(f64) -> f64,
) -> Result<ClaimCheck> {
    positive("start", start.value)?;
    positive("end", end.value)?;
    if !claimed.value.is_finite() {
        return Err(Error::arg("claimed", claimed.value, "must be finite"));
    }
    let (s_lo, s_hi) = start.range();
    let (e_lo, e_hi) = end.range();
    let s_lo = s_lo.max(0.0);
    let face = to_q(end.value / start.value);
    let lo = to_q(e_lo.max(0.0) / s_hi);
    let hi = if s_lo > 0.0 {
        to_q(e_hi / s_lo)
    } else {
        f64::INFINITY
    };
    let (c_lo, c_hi) = claimed.range();
    let tol = 1e-9 * claimed.value.abs().max(1e-12);
    let holds = face >= c_lo - tol && face <= c_hi + tol;
    let overlap = lo <= c_hi + tol && hi >= c_lo - tol;
    let verdict = if holds {
        Verdict::Holds
    } else if overlap {
        Verdict::AllowedByWording
    } else {
        Verdict::Contradicted
    };
    let required_end = start.value * to_factor(claimed.value);
    let claim = format!(
        "{} {} from {} to {}",
        what,
        claimed.phrase(show),
        start.phrase(|v| format!("{v:.4e}")),
        end.phrase(|v| format!("{v:.4e}"))
    );
    let explanation = match verdict {
        Verdict::Holds => format!("{claim}: holds; the figures give {} at face value", show(face)),
        Verdict::AllowedByWording => format!(
            "{claim}: not at face value ({}), but the wording allows it: the claim needs an end value of \
             {required_end:.4e}, within what the figures allow ({} to {})",
            show(face),
            show(lo),
            if hi.is_finite() { show(hi) } else { "no upper limit".into() }
        ),
        Verdict::Contradicted => format!(
            "{claim}: contradicted; the figures give {} at face value and at most {} to {} allowing for \
             their wording; the claim needs an end value of {required_end:.4e}",
            show(face),
            show(lo),
            show(hi)
        ),
    };
    Ok(ClaimCheck {
        claim,
        face_value: face,
        claimed: claimed.value,
        possible: (lo, hi),
        required_end,
        verdict,
        explanation,
    })
}

/// Checks a growth-multiple claim ("grew more than 300-fold").
///
/// ```
/// use growthcast::growth::{check_multiple, Figure, Verdict};
/// // Daily tokens: 1e11 (start of 2024) -> more than 3e13 (mid-2025), "more than 300x".
/// let c = check_multiple(Figure::exact(1e11), Figure::at_least(3e13), Figure::at_least(300.0))?;
/// assert_eq!(c.verdict, Verdict::Holds);
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn check_multiple(start: Figure, end: Figure, claimed_factor: Figure) -> Result<ClaimCheck> {
    check(
        start,
        end,
        claimed_factor,
        "growth of",
        |v| format!("{v:.4}x"),
        &|f| f,
        &|q| q,
    )
}

/// Checks a percentage-increase claim ("up more than 40%"), the claim as a fraction (`0.40`).
pub fn check_increase(start: Figure, end: Figure, claimed_fraction: Figure) -> Result<ClaimCheck> {
    check(
        start,
        end,
        claimed_fraction,
        "increase of",
        |v| format!("{:.2}%", 100.0 * v),
        &|f| f - 1.0,
        &|q| 1.0 + q,
    )
}

/// Checks a compound-annual-growth claim over `years`, the rate as a fraction (`0.128`).
pub fn check_cagr(
    start: Figure,
    end: Figure,
    years: f64,
    claimed_rate: Figure,
) -> Result<ClaimCheck> {
    positive("years", years)?;
    check(
        start,
        end,
        claimed_rate,
        &format!("CAGR over {years} years of"),
        |v| format!("{:.2}%", 100.0 * v),
        &|f| f.powf(1.0 / years) - 1.0,
        &|q| (1.0 + q).powf(years),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn arithmetic_by_hand() {
        // (14.7/8.1)^(1/5) - 1 = 0.1265915 (hand/closed form)
        assert_relative_eq!(
            cagr(8.1e12, 14.7e12, 5.0).unwrap(),
            (14.7f64 / 8.1).powf(0.2) - 1.0
        );
        assert_relative_eq!(
            value_after(100.0, 0.1, 2.0).unwrap(),
            121.0,
            max_relative = 1e-14
        );
        assert_relative_eq!(
            years_to_reach(100.0, 121.0, 0.1).unwrap(),
            2.0,
            max_relative = 1e-12
        );
        assert_relative_eq!(
            doubling_time(0.07).unwrap(),
            10.244768351058712,
            max_relative = 1e-12
        );
        assert!(cagr(0.0, 1.0, 1.0).is_err());
        assert!(cagr(1.0, 2.0, 0.0).is_err());
        assert!(doubling_time(-0.1).is_err());
        assert!(years_to_reach(100.0, 50.0, 0.1).is_err());
    }

    #[test]
    fn contradicted_claim_is_reported() {
        let c = check_multiple(
            Figure::exact(1.0),
            Figure::exact(2.0),
            Figure::at_least(3.0),
        )
        .unwrap();
        assert_eq!(c.verdict, Verdict::Contradicted);
        assert_relative_eq!(c.required_end, 3.0);
        assert!(c.explanation.contains("contradicted"));
    }
}
