//! Hindcasts: leave the last `k` points out, fit the rest, and see how the projection did; or
//! roll the origin through the series ([`rolling`]) to see how a method does step by step.
//!
//! Both count **distinct times**: with replicates (several observations at one time) the last
//! `k` times are held out with all their observations, and an origin never splits the
//! replicates of a time between the fit and the forecast. Without replicates a time is a point.
//!
//! The error of each held-out point is reported as a log ratio `ln(observed / projected)`
//! (0.1 ≈ 10% too low) and as a relative error, with whether the prediction band covered it.
//! A bound ("more than …") counts as covered when the projection respects it.
//!
//! ```
//! use growthcast::{hindcast, io, Exponential, Fitter};
//! let services = io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_services.csv"))?;
//! let b = hindcast::backtest(&Fitter::new(Exponential::new()), &services, 1)?;
//! println!("{b}");
//! assert_eq!(b.held_out.len(), 1);
//! # Ok::<(), growthcast::Error>(())
//! ```

use std::fmt;

mod rolling;
pub use rolling::{rolling, Forecaster, Rolling, StepForecast, StepSummary};

use serde::Serialize;

use crate::axis::TimeAxis;
use crate::error::{Error, Result};
use crate::fit::{FitSpec, Warning};
use crate::series::{Kind, Series};

/// One held-out observation against the projection made without it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeldOut {
    /// Decimal year.
    pub t: f64,
    /// Date as given.
    pub date: String,
    /// Observed value.
    pub observed: f64,
    /// Its kind.
    pub kind: Kind,
    /// Projected value.
    pub projected: f64,
    /// Prediction band.
    pub pred_lower: f64,
    /// Prediction band.
    pub pred_upper: f64,
    /// `ln(observed / projected)` (NaN if either is not positive).
    pub log_error: f64,
    /// `(observed − projected) / observed`.
    pub relative_error: f64,
    /// Whether the prediction band covers the observation (for a bound: whether the projection
    /// respects it).
    pub covered: bool,
    /// Years between the last fitted point and this one.
    pub horizon: f64,
}

/// A leave-last-`k`-out backtest of one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backtest {
    /// The fitter's label.
    pub label: String,
    /// Series name.
    pub series: String,
    /// The series' time axis, to print the held-out points' times.
    pub axis: TimeAxis,
    /// Times held out (points, when no time repeats).
    pub k: usize,
    /// Points fitted.
    pub fitted_points: usize,
    /// The held-out points.
    pub held_out: Vec<HeldOut>,
    /// Mean absolute log error over the held-out points (exact ones; bounds excluded).
    pub mean_abs_log_error: f64,
    /// Share of held-out points covered by the prediction band.
    pub coverage: f64,
    /// The warnings of the fit on the shortened series, and a long-horizon warning if the
    /// held-out points lie further ahead than the fitted span.
    pub warnings: Vec<Warning>,
}

/// Fits `spec` to all but the last `k` distinct times (all but the last `k` points when no time
/// repeats) and compares its projection with the observations held out.
pub fn backtest(spec: &dyn FitSpec, series: &Series, k: usize) -> Result<Backtest> {
    let groups = series.time_groups();
    let m = groups.len();
    if k == 0 || k >= m {
        let what = if m == series.len() {
            "points"
        } else {
            "distinct times"
        };
        return Err(Error::arg(
            "k",
            k as f64,
            format!(
                "hold out between 1 and {} of the {m} {what} of `{}`",
                m.saturating_sub(1),
                series.name()
            ),
        ));
    }
    let split = groups[m - k].start;
    let train = series.head(split);
    let fit = spec.fit_series(&train)?;
    let rest = &series.observations()[split..];
    let times: Vec<f64> = rest.iter().map(|o| o.t).collect();
    let proj = fit.project(&times);
    let t_last = train.span().1;
    let held_out: Vec<HeldOut> = rest
        .iter()
        .zip(&proj.points)
        .map(|(o, p)| {
            let covered = match o.kind {
                Kind::AtLeast => p.value >= o.value || p.pred_upper >= o.value,
                Kind::AtMost => p.value <= o.value || p.pred_lower <= o.value,
                _ => p.pred_lower <= o.value && o.value <= p.pred_upper,
            };
            HeldOut {
                t: o.t,
                date: o.date.clone(),
                observed: o.value,
                kind: o.kind,
                projected: p.value,
                pred_lower: p.pred_lower,
                pred_upper: p.pred_upper,
                log_error: if o.value > 0.0 && p.value > 0.0 {
                    (o.value / p.value).ln()
                } else {
                    f64::NAN
                },
                relative_error: (o.value - p.value) / o.value,
                covered,
                horizon: o.t - t_last,
            }
        })
        .collect();
    let exact: Vec<f64> = held_out
        .iter()
        .filter(|h| !h.kind.is_one_sided() && h.log_error.is_finite())
        .map(|h| h.log_error.abs())
        .collect();
    let mean_abs_log_error = if exact.is_empty() {
        f64::NAN
    } else {
        exact.iter().sum::<f64>() / exact.len() as f64
    };
    let coverage = held_out.iter().filter(|h| h.covered).count() as f64 / held_out.len() as f64;
    Ok(Backtest {
        label: spec.spec_label(),
        series: series.name().to_string(),
        axis: series.axis().clone(),
        k,
        fitted_points: split,
        held_out,
        mean_abs_log_error,
        coverage,
        warnings: proj.warnings,
    })
}

/// [`backtest`] for several fitters; each result kept on its own.
pub fn backtest_all(
    specs: &[Box<dyn FitSpec>],
    series: &Series,
    k: usize,
) -> Vec<(String, Result<Backtest>)> {
    specs
        .iter()
        .map(|s| (s.spec_label(), backtest(s.as_ref(), series, k)))
        .collect()
}

impl fmt::Display for Backtest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "backtest of {} on `{}`: fitted {} point(s), held out the last {}{}",
            self.label,
            self.series,
            self.fitted_points,
            self.k,
            if self.held_out.len() > self.k {
                format!(" times ({} points)", self.held_out.len())
            } else {
                String::new()
            }
        )?;
        for h in &self.held_out {
            writeln!(
                f,
                "    {:<10} observed {:.4e} ({}), projected {:.4e} [{:.4e}, {:.4e}], log error {:+.3}, {} ({:.1} {} ahead)",
                self.axis.cell(h.t),
                h.observed,
                h.kind,
                h.projected,
                h.pred_lower,
                h.pred_upper,
                h.log_error,
                if h.covered { "covered" } else { "missed" },
                h.horizon,
                self.axis.units()
            )?;
        }
        writeln!(
            f,
            "    mean |log error| {:.3}, coverage {:.0}%",
            self.mean_abs_log_error,
            100.0 * self.coverage
        )?;
        for w in &self.warnings {
            writeln!(f, "    caution: {w}")?;
        }
        Ok(())
    }
}
