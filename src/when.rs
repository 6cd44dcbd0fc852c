//! When does a series reach a level? An answer with an interval, or "not within the horizon".
//!
//! The central date is where the fitted curve crosses the level; the interval runs from where the
//! near edge of the confidence band crosses it to where the far edge does. Any of the three may
//! fall beyond the horizon, and the answer says so rather than extrapolating without end.
//!
//! ```
//! use growthcast::{io, Exponential};
//! let tokens = io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/tokens_daily.csv"))?;
//! let fit = tokens.fit(Exponential::new())?;
//! let c = fit.when(1e15, 2035.0);
//! println!("{}", c.statement);
//! assert!(c.estimate.is_some());
//! # Ok::<(), growthcast::Error>(())
//! ```

use serde::Serialize;

use crate::fit::Fit;
use crate::project::ProjectedPoint;

/// Picks one of a projected point's values.
type Pick = fn(&ProjectedPoint) -> f64;
use crate::time::format_date;

/// When the fitted curve (and its band) reaches a level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Crossing {
    /// The level asked about.
    pub target: f64,
    /// Confidence level of the band.
    pub level: f64,
    /// When the fitted curve reaches the target (decimal year), if within the horizon.
    pub estimate: Option<f64>,
    /// When the near edge of the band reaches it (the earliest plausible date).
    pub earliest: Option<f64>,
    /// When the far edge of the band reaches it (the latest plausible date), if within the horizon.
    pub latest: Option<f64>,
    /// The last date searched.
    pub horizon: f64,
    /// `true` if the curve is already past the target at the last observation.
    pub already: bool,
    /// The answer in words.
    pub statement: String,
}

impl Fit {
    /// When the fitted curve reaches `target`, searched from the last observation to `horizon`
    /// (a decimal year), with the interval from the confidence band at the fit's level.
    pub fn when(&self, target: f64, horizon: f64) -> Crossing {
        let last = self.observations.last().map_or(f64::NAN, |o| o.t);
        let first = self.observations.first().map_or(f64::NAN, |o| o.t);
        let pct = (self.level * 100.0).round();
        let v_last = self.value_at(last);
        let rising = target >= v_last;
        // Search from the first observation, so that "already reached" has a date too.
        const STEPS: usize = 4000;
        let from = first.min(last);
        let to = horizon.max(last);
        let times: Vec<f64> = (0..=STEPS)
            .map(|i| from + (to - from) * i as f64 / STEPS as f64)
            .collect();
        let proj = self.project(&times);
        let reached = |v: f64| if rising { v >= target } else { v <= target };
        // First grid time at which a series of values reaches the target, refined by bisection on
        // the same quantity.
        let cross = |pick: Pick| -> Option<f64> {
            let i = proj.points.iter().position(|p| {
                let v = pick(p);
                v.is_finite() && reached(v)
            })?;
            if i == 0 {
                return Some(times[0]);
            }
            let (mut a, mut b) = (times[i - 1], times[i]);
            for _ in 0..60 {
                let m = 0.5 * (a + b);
                let v = pick(&self.project(&[m]).points[0]);
                if v.is_finite() && reached(v) {
                    b = m;
                } else {
                    a = m;
                }
            }
            Some(b)
        };
        let estimate = cross(|p| p.value);
        let (near, far): (Pick, Pick) = if rising {
            (|p| p.conf_upper, |p| p.conf_lower)
        } else {
            (|p| p.conf_lower, |p| p.conf_upper)
        };
        let band_known = proj.points.iter().any(|p| p.conf_lower.is_finite());
        let earliest = if band_known { cross(near) } else { None };
        let latest = if band_known { cross(far) } else { None };
        let already = estimate.is_some_and(|t| t <= last);
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        let what = format!("{target:.4e}{unit}");
        let d =
            |t: Option<f64>| t.map_or_else(|| format!("beyond {}", format_date(to)), format_date);
        let statement = match estimate {
            Some(t) if already => format!(
                "{what}: already reached by the fitted curve around {} (last observation {})",
                format_date(t),
                format_date(last)
            ),
            Some(t) if band_known => format!(
                "{what}: reached around {} ({pct}% interval: {} to {})",
                format_date(t),
                d(earliest),
                d(latest)
            ),
            Some(t) => format!(
                "{what}: reached around {} by the fitted curve; its uncertainty is unknown (no degrees of freedom)",
                format_date(t)
            ),
            None => {
                let ceiling = self
                    .model_object()
                    .ceiling(&self.estimates())
                    .filter(|k| if rising { *k < target } else { *k > target })
                    .map(|k| format!("; the fitted ceiling is {k:.4e}"))
                    .unwrap_or_default();
                match earliest {
                    Some(e) => format!(
                        "{what}: not within the horizon ({}) by the fitted curve{ceiling}; the {pct}% band reaches it \
                         from {}",
                        format_date(to),
                        format_date(e)
                    ),
                    None => format!(
                        "{what}: not within the horizon ({}), not even by the {pct}% band{ceiling}",
                        format_date(to)
                    ),
                }
            }
        };
        Crossing {
            target,
            level: self.level,
            estimate,
            earliest,
            latest,
            horizon: to,
            already,
            statement,
        }
    }
}
