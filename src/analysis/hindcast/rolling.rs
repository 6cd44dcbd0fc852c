//! Rolling-origin backtests: fit the first `k` points, forecast the next ones, move the origin
//! one point on, and summarise per step ahead.
//!
//! A single hindcast ([`super::backtest`]) says how one projection did; a rolling origin says how
//! a *method* does on a series, step by step: the share of actual values its 95% prediction band
//! holds, how wide that band is, and the median `|ln(observed / forecast)|`, beside the naive
//! forecast (the growth rate of the last two points carried forward) that any method should
//! beat. Only two-sided observations are forecast targets (a bound has no log error).
//!
//! ```
//! use growthcast::hindcast::{rolling, Forecaster};
//! use growthcast::{Exponential, Fitter, Series};
//! # fn main() -> Result<(), growthcast::Error> {
//! let pts: Vec<(f64, f64)> = (0..10).map(|i| (2010.0 + i as f64, 100.0 * 1.3f64.powi(i))).collect();
//! let s = Series::from_years("exact", &pts)?;
//! // On an exact exponential the naive forecast is exact at every step.
//! let naive = rolling(&Forecaster::Naive, &s, 4, 3)?;
//! assert!(naive.by_step.iter().all(|h| h.median_abs_log_error < 1e-12));
//! let exp = rolling(&Forecaster::Fit(&Fitter::new(Exponential::new())), &s, 4, 3)?;
//! assert_eq!(exp.by_step[0].forecasts, 6); // origins at 4..=9 points
//! println!("{exp}");
//! # Ok(())
//! # }
//! ```

use std::fmt;

use serde::Serialize;

use crate::compare;
use crate::error::{Error, Result};
use crate::fit::FitSpec;
use crate::recommend::RecommendOptions;
use crate::series::Series;

/// What a rolling-origin backtest forecasts with.
pub enum Forecaster<'a> {
    /// One model, fitted at each origin; its prediction band (bootstrap by default).
    Fit(&'a dyn FitSpec),
    /// The recommended projection over the standard candidates
    /// ([`crate::compare::compare_standard`], then
    /// [`Comparison::recommended`](crate::compare::Comparison::recommended) with these
    /// options); its prediction band.
    Recommended(RecommendOptions),
    /// The growth rate of the last two points carried forward; no band.
    Naive,
}

impl fmt::Debug for Forecaster<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Forecaster({})", self.label())
    }
}

/// One forecast (value, prediction band) at one time.
type Forecast = (f64, f64, f64);

impl Forecaster<'_> {
    /// The method's name, for tables.
    pub fn label(&self) -> String {
        match self {
            Forecaster::Fit(spec) => spec.spec_label(),
            Forecaster::Recommended(_) => "recommended".into(),
            Forecaster::Naive => "naive (last two points' growth)".into(),
        }
    }

    /// Forecasts at `times` from `train`.
    fn forecast(&self, train: &Series, times: &[f64]) -> Result<Vec<Forecast>> {
        let from = |p: crate::Projection| {
            p.points
                .iter()
                .map(|q| (q.value, q.pred_lower, q.pred_upper))
                .collect()
        };
        match self {
            Forecaster::Fit(spec) => Ok(from(spec.fit_series(train)?.project(times))),
            Forecaster::Recommended(opts) => {
                let r = compare::compare_standard(train)
                    .recommended(times, opts)
                    .ok_or_else(|| {
                        Error::arg(
                            "points",
                            train.len() as f64,
                            format!(
                                "series `{}`: no model keeps a degree of freedom on {} point(s), so there is no recommendation",
                                train.name(),
                                train.len()
                            ),
                        )
                    })?;
                Ok(from(r.projection))
            }
            Forecaster::Naive => naive(train, times),
        }
    }
}

/// The last two points' continuous growth rate carried forward.
fn naive(train: &Series, times: &[f64]) -> Result<Vec<Forecast>> {
    let pts: Vec<(f64, f64)> = train
        .observations()
        .iter()
        .map(|o| (o.t, o.value))
        .collect();
    Ok(
        crate::analysis::naive::naive_path(train.name(), &pts, times)?
            .into_iter()
            .map(|v| (v, f64::NAN, f64::NAN))
            .collect(),
    )
}

/// One forecast against the value that came.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepForecast {
    /// Distinct times the method saw (the origin; points, when no time repeats).
    pub origin_points: usize,
    /// Steps ahead (1: the next time).
    pub step: usize,
    /// The time forecast (decimal year).
    pub t: f64,
    /// The value that came.
    pub observed: f64,
    /// The forecast.
    pub forecast: f64,
    /// The prediction band's lower end (NaN: no band).
    pub pred_lower: f64,
    /// The prediction band's upper end (NaN: no band).
    pub pred_upper: f64,
    /// `ln(observed / forecast)` (NaN when either is not positive).
    pub log_error: f64,
    /// Whether the band held the value (`None`: no band).
    pub covered: Option<bool>,
}

/// The forecasts `step` points ahead, summarised.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepSummary {
    /// Steps ahead.
    pub step: usize,
    /// Forecasts made this far ahead.
    pub forecasts: usize,
    /// Share whose band held the value (`None`: the method has no band).
    pub coverage: Option<f64>,
    /// Median of `pred_upper / pred_lower` (NaN: no band).
    pub median_width: f64,
    /// Median `|log error|`.
    pub median_abs_log_error: f64,
}

/// A rolling-origin backtest of one method on one series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rolling {
    /// The method.
    pub label: String,
    /// The series.
    pub series: String,
    /// Every forecast, origin by origin.
    pub forecasts: Vec<StepForecast>,
    /// Origins (distinct times seen) where the method failed, with why (they count in no
    /// summary).
    pub failed: Vec<(usize, String)>,
    /// Per step ahead, 1 to the largest asked for.
    pub by_step: Vec<StepSummary>,
}

/// Runs `forecaster` from every origin of `min_points` to `m − 1` distinct times of `series`
/// (`m` of them; points, when no time repeats), forecasting up to `max_steps` times ahead. An
/// origin holds every observation of its times, and the replicates of a time ahead are all
/// forecast at the same step.
pub fn rolling(
    forecaster: &Forecaster,
    series: &Series,
    min_points: usize,
    max_steps: usize,
) -> Result<Rolling> {
    let obs = series.observations();
    let groups = series.time_groups();
    let m = groups.len();
    if min_points < 2 || min_points >= m {
        let what = if m == obs.len() {
            "points"
        } else {
            "distinct times"
        };
        return Err(Error::arg(
            "min_points",
            min_points as f64,
            format!(
                "series `{}` has {m} {what}: the first origin needs 2 to {} of them",
                series.name(),
                m.saturating_sub(1)
            ),
        ));
    }
    if max_steps == 0 {
        return Err(Error::arg(
            "max_steps",
            0.0,
            "forecast at least one step ahead",
        ));
    }
    let (mut forecasts, mut failed) = (Vec::new(), Vec::new());
    for k in min_points..m {
        let ahead_groups = &groups[k..m.min(k + max_steps)];
        // The observations ahead, each with its step (its time's rank after the origin).
        let steps: Vec<usize> = ahead_groups
            .iter()
            .enumerate()
            .flat_map(|(j, g)| std::iter::repeat_n(j + 1, g.len()))
            .collect();
        let start = groups[k].start;
        let ahead = &obs[start..start + steps.len()];
        let times: Vec<f64> = ahead.iter().map(|o| o.t).collect();
        match forecaster.forecast(&series.head(start), &times) {
            Err(e) => failed.push((k, e.to_string())),
            Ok(f) => {
                for ((o, (v, lo, hi)), &step) in ahead.iter().zip(f).zip(&steps) {
                    if o.kind.is_one_sided() {
                        continue;
                    }
                    let band = lo.is_finite() && hi.is_finite();
                    forecasts.push(StepForecast {
                        origin_points: k,
                        step,
                        t: o.t,
                        observed: o.value,
                        forecast: v,
                        pred_lower: lo,
                        pred_upper: hi,
                        log_error: if o.value > 0.0 && v > 0.0 {
                            (o.value / v).ln()
                        } else {
                            f64::NAN
                        },
                        covered: band.then_some(lo <= o.value && o.value <= hi),
                    });
                }
            }
        }
    }
    let by_step = (1..=max_steps)
        .map(|step| summarise(step, forecasts.iter().filter(|f| f.step == step)))
        .filter(|s| s.forecasts > 0)
        .collect();
    Ok(Rolling {
        label: forecaster.label(),
        series: series.name().to_string(),
        forecasts,
        failed,
        by_step,
    })
}

fn summarise<'a>(step: usize, fs: impl Iterator<Item = &'a StepForecast>) -> StepSummary {
    let fs: Vec<&StepForecast> = fs.collect();
    let banded: Vec<bool> = fs.iter().filter_map(|f| f.covered).collect();
    let median = |mut v: Vec<f64>| {
        v.retain(|x| x.is_finite());
        v.sort_by(f64::total_cmp);
        match v.len() {
            0 => f64::NAN,
            m if m % 2 == 1 => v[m / 2],
            m => 0.5 * (v[m / 2 - 1] + v[m / 2]),
        }
    };
    StepSummary {
        step,
        forecasts: fs.len(),
        coverage: (!banded.is_empty())
            .then(|| banded.iter().filter(|&&c| c).count() as f64 / banded.len() as f64),
        median_width: median(fs.iter().map(|f| f.pred_upper / f.pred_lower).collect()),
        median_abs_log_error: median(fs.iter().map(|f| f.log_error.abs()).collect()),
    }
}

impl fmt::Display for Rolling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "rolling-origin backtest of {} on `{}`",
            self.label, self.series
        )?;
        writeln!(
            f,
            "    step  forecasts  coverage  median width  median |log error|"
        )?;
        for s in &self.by_step {
            let cov = s
                .coverage
                .map_or("no band".to_string(), |c| format!("{:.0}%", 100.0 * c));
            // No band, no width: a dash, not NaN.
            let width = if s.median_width.is_finite() {
                format!("{:.3}", s.median_width)
            } else {
                "-".to_string()
            };
            writeln!(
                f,
                "    {:>4}  {:>9}  {:>8}  {:>12}  {:>18.4}",
                s.step, s.forecasts, cov, width, s.median_abs_log_error
            )?;
        }
        for (k, why) in &self.failed {
            writeln!(f, "    origin at {k} time(s) failed: {why}")?;
        }
        Ok(())
    }
}
