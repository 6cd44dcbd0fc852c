//! When does a series reach a level? An answer with an interval, or "not within the horizon".
//!
//! The central date is where the fitted curve crosses the level, in the past as in the future;
//! the interval runs from where the near edge of the confidence band crosses it to where the far
//! edge does (the crossings next to the curve's own). Any of the three may fall outside the
//! searched window, and the answer says on which side rather than extrapolating without end.
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

/// When the fitted curve (and its band) reaches a level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Crossing {
    /// The level asked about.
    pub target: f64,
    /// Confidence level of the band.
    pub level: f64,
    /// When the fitted curve crosses the target (a decimal year on the calendar axis), if within the searched window.
    pub estimate: Option<f64>,
    /// When the near edge of the band crosses it (the earliest plausible date), if within the window.
    pub earliest: Option<f64>,
    /// When the far edge of the band reaches it (the latest plausible date), if within the horizon.
    pub latest: Option<f64>,
    /// The first date searched (as far before the first observation as the horizon lies after
    /// the last one, and at least the data's span).
    pub searched_from: f64,
    /// The last date searched.
    pub horizon: f64,
    /// `true` if the curve had already crossed the target by the last observation.
    pub already: bool,
    /// The answer in words.
    pub statement: String,
}

impl Fit {
    /// Where the fitted curve crosses `target`, in the past as in the future, with the interval
    /// from the confidence band at the fit's level.
    ///
    /// The search runs from as far before the first observation as `horizon` lies after the last
    /// one (at least the span of the data) up to `horizon` (a decimal year on the calendar axis). A level the curve had
    /// already passed at the last observation gets the date where the curve crossed it
    /// ([`Crossing::already`] is `true`); a level the curve never crosses in that window has no
    /// estimate, and the statement says on which side of the window it lies.
    pub fn when(&self, target: f64, horizon: f64) -> Crossing {
        let last = self.observations.last().map_or(f64::NAN, |o| o.t);
        let first = self.observations.first().map_or(f64::NAN, |o| o.t);
        let pct = (self.level * 100.0).round();
        let to = horizon.max(last);
        let reach = (to - last).max(last - first).max(1.0);
        let from = first - reach;
        let times: Vec<f64> = (0..=STEPS)
            .map(|i| from + (to - from) * i as f64 / STEPS as f64)
            .collect();
        let proj = self.project(&times);
        let rising = self.is_rising(from, to);
        let search = Search {
            fit: self,
            times: &times,
            proj: &proj,
            target,
            rising,
        };
        let estimate = search.cross(|p| p.value, search.index_of(last));
        let anchor = match estimate {
            Side::At(t) => search.index_of(t),
            Side::Before => 0,
            _ => search.index_of(last),
        };
        let (near, far): (Pick, Pick) = if rising {
            (|p| p.conf_upper, |p| p.conf_lower)
        } else {
            (|p| p.conf_lower, |p| p.conf_upper)
        };
        let band_known = proj.points.iter().any(|p| p.conf_lower.is_finite());
        let (earliest, latest) = if band_known {
            (search.cross(near, anchor), search.cross(far, anchor))
        } else {
            (Side::Unknown, Side::Unknown)
        };
        let statement = self.when_statement(
            (target, rising),
            pct,
            last,
            (from, to),
            [estimate, earliest, latest],
        );
        Crossing {
            target,
            level: self.level,
            estimate: estimate.at(),
            earliest: earliest.at(),
            latest: latest.at(),
            searched_from: from,
            horizon: to,
            already: estimate.at().is_some_and(|t| t <= last) || estimate == Side::Before,
            statement,
        }
    }

    /// Whether the fitted curve rises over `[from, to]` (compared at the data's ends when finite).
    fn is_rising(&self, from: f64, to: f64) -> bool {
        let (a, b) = match (self.observations.first(), self.observations.last()) {
            (Some(a), Some(b)) if b.t > a.t => (self.value_at(a.t), self.value_at(b.t)),
            _ => (self.value_at(from), self.value_at(to)),
        };
        !(b < a)
    }

    /// The answer in words; `rising` says which way the curve goes.
    fn when_statement(
        &self,
        (target, rising): (f64, bool),
        pct: f64,
        last: f64,
        (from, to): (f64, f64),
        [estimate, earliest, latest]: [Side; 3],
    ) -> String {
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        let what = format!("{target:.4e}{unit}");
        let d = |s: Side| match s {
            Side::At(t) => self.axis.at(t),
            Side::Before => format!("before {}", self.axis.at(from)),
            Side::After | Side::Unknown => format!("beyond {}", self.axis.at(to)),
        };
        let interval = match (earliest, latest) {
            (Side::Unknown, _) | (_, Side::Unknown) => {
                "its uncertainty is unknown (no degrees of freedom)".to_string()
            }
            (e, l) => format!("{pct}% interval: {} to {}", d(e), d(l)),
        };
        match estimate {
            Side::At(t) if t <= last => format!(
                "{what}: already reached; the fitted curve crossed it around {} ({interval}; last observation {})",
                self.axis.at(t),
                self.axis.at(last)
            ),
            Side::At(t) => format!("{what}: reached around {} ({interval})", self.axis.at(t)),
            Side::Before => format!(
                "{what}: already passed before {} by the fitted curve, which starts above it ({interval})",
                self.axis.at(from)
            ),
            Side::After | Side::Unknown => {
                let ceiling = self
                    .model_object()
                    .ceiling(&self.estimates())
                    .filter(|k| if rising { *k < target } else { *k > target })
                    .map(|k| format!("; the fitted ceiling is {k:.4e}"))
                    .unwrap_or_default();
                match earliest {
                    Side::At(e) => format!(
                        "{what}: not within the horizon ({}) by the fitted curve{ceiling}; the {pct}% band reaches it \
                         from {}",
                        self.axis.at(to),
                        self.axis.at(e)
                    ),
                    _ => format!(
                        "{what}: not within the horizon ({}), not even by the {pct}% band{ceiling}",
                        self.axis.at(to)
                    ),
                }
            }
        }
    }
}

/// Grid steps of the crossing search, before bisection.
const STEPS: usize = 4000;

/// Where a curve stands against the level over the searched window.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Side {
    /// It crosses at this time.
    At(f64),
    /// It is already past the level at the start of the window.
    Before,
    /// It has not reached the level by the end of the window.
    After,
    /// There is no such curve (a band without degrees of freedom).
    Unknown,
}

impl Side {
    fn at(self) -> Option<f64> {
        match self {
            Side::At(t) => Some(t),
            _ => None,
        }
    }
}

/// One crossing search: a grid of projected points, refined by bisection.
struct Search<'a> {
    fit: &'a Fit,
    times: &'a [f64],
    proj: &'a crate::project::Projection,
    target: f64,
    rising: bool,
}

impl Search<'_> {
    fn reached(&self, v: f64) -> bool {
        v.is_finite()
            && if self.rising {
                v >= self.target
            } else {
                v <= self.target
            }
    }

    /// The grid index nearest to time `t`.
    fn index_of(&self, t: f64) -> usize {
        let (a, b) = (self.times[0], self.times[self.times.len() - 1]);
        let f = ((t - a) / (b - a)).clamp(0.0, 1.0);
        (f * (self.times.len() - 1) as f64).round() as usize
    }

    /// The crossing of the picked curve nearest to the grid index `anchor`: looking back from the
    /// anchor when the curve is past the level there, forward otherwise. Bands widen away from the
    /// data, so their edges need not be monotone; the crossing that matters is the one next to the
    /// fitted curve's, not the first in the window.
    fn cross(&self, pick: Pick, anchor: usize) -> Side {
        let pts = &self.proj.points;
        let hit = |i: usize| self.reached(pick(&pts[i]));
        let upper = if hit(anchor) {
            match (0..anchor).rev().find(|&i| !hit(i)) {
                Some(i) => i + 1,
                None => return Side::Before,
            }
        } else {
            match (anchor + 1..pts.len()).find(|&i| hit(i)) {
                Some(i) => i,
                None => return Side::After,
            }
        };
        let (mut a, mut b) = (self.times[upper - 1], self.times[upper]);
        for _ in 0..60 {
            let m = 0.5 * (a + b);
            if self.reached(pick(&self.fit.project(&[m]).points[0])) {
                b = m;
            } else {
                a = m;
            }
        }
        Side::At(b)
    }
}
