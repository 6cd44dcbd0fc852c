//! Dated observations: [`Series`], [`Observation`] and the observation [`Kind`].

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::axis::TimeAxis;
use crate::error::{Error, Result};
use crate::setters::setters;
use crate::time::{format_date, parse_date};

/// What a published figure says about the true value.
///
/// Documents say "more than 3e13" (超过 / 突破) or "about 8.1e12" (约). growthcast keeps that
/// meaning instead of treating every number as exact:
///
/// * [`Kind::Exact`], [`Kind::About`] and [`Kind::Derived`] are two-sided: the residual counts
///   whichever side the curve passes on.
/// * [`Kind::AtLeast`] is a lower bound: it costs nothing while the curve is at or above it and
///   pulls the curve up when it falls below. [`Kind::AtMost`] is the mirror image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The figure as stated.
    #[default]
    Exact,
    /// An approximate figure ("about", 约); fitted like an exact one.
    About,
    /// A lower bound ("more than", 超过 / 突破 / 以上 / 逾).
    AtLeast,
    /// An upper bound ("less than", 不到 / 以下).
    AtMost,
    /// Computed from other figures (e.g. a value implied by a stated growth rate); fitted like an
    /// exact one, drawn hollow in charts.
    Derived,
}

impl Kind {
    /// The names used in CSV files, in the order of the variants.
    pub const NAMES: [&'static str; 5] = ["exact", "about", "at_least", "at_most", "derived"];

    /// `true` for [`Kind::AtLeast`] and [`Kind::AtMost`].
    pub fn is_one_sided(self) -> bool {
        matches!(self, Kind::AtLeast | Kind::AtMost)
    }

    /// The CSV name of the kind (`"at_least"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Exact => "exact",
            Kind::About => "about",
            Kind::AtLeast => "at_least",
            Kind::AtMost => "at_most",
            Kind::Derived => "derived",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "" | "exact" => Ok(Kind::Exact),
            "about" | "approx" | "approximately" => Ok(Kind::About),
            "at_least" | "lower" | "min" | "more_than" => Ok(Kind::AtLeast),
            "at_most" | "upper" | "max" | "less_than" => Ok(Kind::AtMost),
            "derived" => Ok(Kind::Derived),
            _ => Err(Error::InvalidKind {
                input: s.to_string(),
            }),
        }
    }
}

/// One dated figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Time as a decimal year.
    pub t: f64,
    /// The date as given by the user or file (or formatted from `t`).
    pub date: String,
    /// The figure.
    pub value: f64,
    /// What the figure says about the true value.
    pub kind: Kind,
    /// Relative weight in the fit (1 by default): the squared residual is multiplied by it,
    /// as `1/sigma²` in SciPy's `curve_fit`.
    pub weight: f64,
    /// Where the figure comes from (a document name), if known.
    pub source: Option<String>,
    /// The original wording, if known.
    pub wording: Option<String>,
    /// Free-text note (e.g. how a derived figure was computed).
    pub note: Option<String>,
}

impl Observation {
    /// An exact observation at a date (`2024`, `2024-06`, `2024-06-30`, `2024Q2`, `2024.5`).
    pub fn new(date: &str, value: f64) -> Result<Self> {
        Ok(Self {
            date: date.trim().to_string(),
            ..Self::at(parse_date(date)?, value)
        })
    }

    /// An exact observation at a decimal year.
    pub fn at(t: f64, value: f64) -> Self {
        Self {
            t,
            date: format_date(t),
            value,
            kind: Kind::Exact,
            weight: 1.0,
            source: None,
            wording: None,
            note: None,
        }
    }

    setters! {
        /// Sets the kind.
        pub fn kind(kind: Kind) => kind = kind;

        /// Sets the weight.
        pub fn weight(weight: f64) => weight = weight;

        /// Sets the source note.
        pub fn source(source: impl Into<String>) => source = Some(source.into());
    }
}

/// A named, validated, time-sorted series of observations.
///
/// Construction validates the data and **sorts** points by time (stably), so input in any order is
/// accepted; non-finite numbers and empty input are errors that name the row (1-based, in the
/// order given). Several observations may share a time (replicates of a designed experiment,
/// pooled subjects): they stay in the order given, fits use them all, and a fit with replicates
/// reports a lack-of-fit test ([`crate::Fit::lack_of_fit`]). Whatever needs distinct times (a
/// growth rate between two points, a backtest origin) works on [`Series::time_groups`].
///
/// ```
/// use growthcast::{Kind, Series};
/// let s = Series::builder("tokens")
///     .unit("tokens/day")
///     .point("2024-01-01", 1e11)
///     .at_least("2025-06-30", 3e13)
///     .point("2025-12-31", 1e14)
///     .build()?;
/// assert_eq!(s.len(), 3);
/// assert_eq!(s.observations()[1].kind, Kind::AtLeast);
/// # Ok::<(), growthcast::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    name: String,
    unit: String,
    axis: TimeAxis,
    observations: Vec<Observation>,
}

impl Series {
    /// A series of exact points from `(date, value)` pairs.
    ///
    /// ```
    /// let s = growthcast::Series::new("users", [("2024-06-30", 2.3e8), ("2025-06-30", 5.15e8)])?;
    /// assert_eq!(s.values(), vec![2.3e8, 5.15e8]);
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn new<D: AsRef<str>>(
        name: impl Into<String>,
        points: impl IntoIterator<Item = (D, f64)>,
    ) -> Result<Self> {
        let obs = points
            .into_iter()
            .map(|(d, v)| Observation::new(d.as_ref(), v))
            .collect::<Result<Vec<_>>>()?;
        Self::from_observations(name, "", obs)
    }

    /// A series of exact points from `(decimal year, value)` pairs.
    pub fn from_years(name: impl Into<String>, points: &[(f64, f64)]) -> Result<Self> {
        let obs = points.iter().map(|&(t, v)| Observation::at(t, v)).collect();
        Self::from_observations(name, "", obs)
    }

    /// A series of exact points from parallel slices of decimal years and values (or of numbers
    /// on another time axis: hours, days, a dose; then say so with [`Series::with_axis`]).
    pub fn from_slices(name: impl Into<String>, t: &[f64], y: &[f64]) -> Result<Self> {
        let name = name.into();
        if t.len() != y.len() {
            return Err(Error::arg(
                "t",
                t.len() as f64,
                format!("series `{name}`: {} times but {} values", t.len(), y.len()),
            ));
        }
        let obs = t
            .iter()
            .zip(y)
            .map(|(&t, &v)| Observation::at(t, v))
            .collect();
        Self::from_observations(name, "", obs)
    }

    /// Validates and sorts observations into a series.
    pub fn from_observations(
        name: impl Into<String>,
        unit: impl Into<String>,
        mut observations: Vec<Observation>,
    ) -> Result<Self> {
        let name = name.into();
        if observations.is_empty() {
            return Err(Error::EmptySeries { series: name });
        }
        for (i, o) in observations.iter().enumerate() {
            let row = i + 1;
            let nonfinite = |what, value| Error::NonFinite {
                series: name.clone(),
                row,
                what,
                value,
            };
            if !o.t.is_finite() {
                return Err(nonfinite("time", o.t));
            }
            if !o.value.is_finite() {
                return Err(nonfinite("value", o.value));
            }
            if !(o.weight.is_finite() && o.weight > 0.0) {
                return Err(Error::InvalidWeight {
                    series: name.clone(),
                    row,
                    weight: o.weight,
                });
            }
        }
        // Stable sort by time: observations at the same time (replicates) keep the order given.
        let mut order: Vec<usize> = (0..observations.len()).collect();
        order.sort_by(|&a, &b| observations[a].t.total_cmp(&observations[b].t));
        let mut slots: Vec<Option<Observation>> = observations.drain(..).map(Some).collect();
        let observations = order
            .iter()
            .map(|&i| slots[i].take().expect("each index once"))
            .collect();
        Ok(Self {
            name,
            unit: unit.into(),
            axis: TimeAxis::Calendar,
            observations,
        })
    }

    /// Starts a [`SeriesBuilder`].
    pub fn builder(name: impl Into<String>) -> SeriesBuilder {
        SeriesBuilder {
            name: name.into(),
            unit: String::new(),
            observations: Vec::new(),
            error: None,
        }
    }

    /// The series name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The unit of the values (may be empty).
    pub fn unit(&self) -> &str {
        &self.unit
    }

    setters! {
        /// Renames the series.
        pub fn with_name(name: impl Into<String>) => name = name.into();

        /// Sets the unit.
        pub fn with_unit(unit: impl Into<String>) => unit = unit.into();
    }

    /// The time axis: calendar dates (the default) or numbers in a unit.
    pub fn axis(&self) -> &TimeAxis {
        &self.axis
    }

    /// Sets the time axis: the times stay the numbers they are, what is said about them
    /// changes. On a numeric axis each observation's `date` text becomes its time as a number.
    ///
    /// ```
    /// use growthcast::{Series, TimeAxis};
    /// let s = Series::from_slices("chick 1", &[0.0, 2.0, 4.0], &[42.0, 51.0, 59.0])?
    ///     .with_axis(TimeAxis::numeric("day")?);
    /// assert_eq!(s.axis().unit(), "day");
    /// assert_eq!(s.observations()[1].date, "2");
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn with_axis(mut self, axis: TimeAxis) -> Self {
        if !(axis.is_calendar() && self.axis.is_calendar()) {
            for o in &mut self.observations {
                o.date = axis.cell(o.t);
            }
        }
        self.axis = axis;
        self
    }

    /// The observations, sorted by time.
    pub fn observations(&self) -> &[Observation] {
        &self.observations
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.observations.len()
    }

    /// Always `false`: a series cannot be empty.
    pub fn is_empty(&self) -> bool {
        self.observations.is_empty()
    }

    /// Times: decimal years on the calendar axis, the numbers themselves otherwise.
    pub fn times(&self) -> Vec<f64> {
        self.observations.iter().map(|o| o.t).collect()
    }

    /// Values.
    pub fn values(&self) -> Vec<f64> {
        self.observations.iter().map(|o| o.value).collect()
    }

    /// First and last time.
    pub fn span(&self) -> (f64, f64) {
        (
            self.observations[0].t,
            self.observations[self.observations.len() - 1].t,
        )
    }

    /// Where a projection of the series ends when none is asked for: `calendar` (a decimal
    /// year) for a dated series; on a numeric axis, half its span past its last time, rounded
    /// ([`TimeAxis::horizon_after`](crate::axis::TimeAxis::horizon_after)). The CLI, the report
    /// and the Python package all take their default from here.
    pub fn default_horizon(&self, calendar: f64) -> f64 {
        let (first, last) = self.span();
        if self.axis().is_calendar() {
            calendar
        } else {
            self.axis().horizon_after(first, last)
        }
    }

    /// The first `n` observations (in time order) as a series of the same name and unit. `n` is
    /// clamped to `1..=len`. It may split the replicates of a time; [`Series::head_times`] does
    /// not.
    pub fn head(&self, n: usize) -> Series {
        let n = n.clamp(1, self.observations.len());
        Series {
            name: self.name.clone(),
            unit: self.unit.clone(),
            axis: self.axis.clone(),
            observations: self.observations[..n].to_vec(),
        }
    }

    /// The observations at the first `m` distinct times (every replicate of each), as a series of
    /// the same name and unit; used for backtests. `m` is clamped to `1..=`[`Series::n_times`].
    pub fn head_times(&self, m: usize) -> Series {
        let groups = self.time_groups();
        let m = m.clamp(1, groups.len());
        self.head(groups[m - 1].end)
    }

    /// The observations grouped by time: index ranges into [`Series::observations`], one per
    /// distinct time, in time order (a range longer than one holds replicates).
    pub fn time_groups(&self) -> Vec<Range<usize>> {
        time_groups(&self.times())
    }

    /// The number of distinct times (the number of observations when no time repeats).
    pub fn n_times(&self) -> usize {
        1 + self
            .observations
            .windows(2)
            .filter(|w| w[1].t != w[0].t)
            .count()
    }

    /// `true` when some time has more than one observation.
    pub fn has_replicates(&self) -> bool {
        self.n_times() < self.len()
    }

    /// The observations whose source note is set, as `source: wording` lines (deduplicated).
    pub fn sources(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for o in &self.observations {
            if let Some(s) = &o.source {
                if !out.contains(s) {
                    out.push(s.clone());
                }
            }
        }
        out
    }
}

/// Index ranges of the runs of equal values in sorted `times`: one per distinct time, in order.
pub(crate) fn time_groups(times: &[f64]) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..=times.len() {
        if i == times.len() || times[i] != times[start] {
            groups.push(start..i);
            start = i;
        }
    }
    groups
}

/// Builds a [`Series`] point by point; date errors surface at [`SeriesBuilder::build`].
#[derive(Debug, Clone)]
pub struct SeriesBuilder {
    name: String,
    unit: String,
    observations: Vec<Observation>,
    error: Option<String>,
}

/// The [`SeriesBuilder`] methods that add an observation of one kind: `name => Kind;` makes
/// `name(date, value)`, the doc comment kept.
macro_rules! kind_adders {
    ($($(#[$doc:meta])* $name:ident => $kind:ident;)*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $name(self, date: &str, value: f64) -> Self {
                self.observation(date, value, Kind::$kind)
            }
        )*
    };
}

impl SeriesBuilder {
    setters! {
        /// Sets the unit of the values.
        pub fn unit(unit: impl Into<String>) => unit = unit.into();
    }

    /// Adds an observation of a given kind.
    #[must_use]
    pub fn observation(mut self, date: &str, value: f64, kind: Kind) -> Self {
        match Observation::new(date, value) {
            Ok(o) => self.observations.push(o.kind(kind)),
            Err(e) => {
                if self.error.is_none() {
                    self.error = Some(date.to_string());
                    // Keep a placeholder so row numbers stay aligned with the calls.
                    self.observations.push(Observation::at(f64::NAN, value));
                    let _ = e;
                }
            }
        }
        self
    }

    kind_adders! {
        /// Adds an exact observation.
        point => Exact;

        /// Adds a lower bound ("more than").
        at_least => AtLeast;

        /// Adds an upper bound ("less than").
        at_most => AtMost;

        /// Adds an approximate figure.
        about => About;

        /// Adds a figure derived from others.
        derived => Derived;
    }

    /// Validates and sorts (see [`Series::from_observations`]).
    pub fn build(self) -> Result<Series> {
        if let Some(date) = self.error {
            return Err(parse_date(&date).expect_err("recorded as failing"));
        }
        Series::from_observations(self.name, self.unit, self.observations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_and_keeps_replicates_in_order() {
        let s = Series::new("x", [("2025", 2.0), ("2024", 1.0), ("2026", 3.0)]).unwrap();
        assert_eq!(s.values(), vec![1.0, 2.0, 3.0]);
        assert!(!s.has_replicates());
        assert_eq!(s.n_times(), 3);
        let s = Series::new(
            "x",
            [
                ("2025", 2.0),
                ("2024", 1.0),
                ("2025-01-01", 3.0),
                ("2024", 4.0),
            ],
        )
        .unwrap();
        // Stable: replicates keep the order given.
        assert_eq!(s.values(), vec![1.0, 4.0, 2.0, 3.0]);
        assert_eq!(s.time_groups(), vec![0..2, 2..4]);
        assert_eq!((s.n_times(), s.has_replicates()), (2, true));
        assert_eq!(s.head(3).len(), 3);
        assert_eq!(s.head_times(1).values(), vec![1.0, 4.0]);
        assert_eq!(s.head_times(9).len(), 4);
        assert_eq!(s.head_times(0).len(), 2);
    }

    #[test]
    fn time_groups_of_runs() {
        assert_eq!(time_groups(&[]), Vec::<Range<usize>>::new());
        assert_eq!(time_groups(&[-1.0]), vec![0..1]);
        assert_eq!(
            time_groups(&[-2.0, -2.0, 0.0, 1.5, 1.5, 1.5]),
            vec![0..2, 2..3, 3..6]
        );
    }

    #[test]
    fn rejects_empty_and_nan() {
        let empty: [(&str, f64); 0] = [];
        assert!(matches!(
            Series::new("e", empty),
            Err(Error::EmptySeries { .. })
        ));
        let e = Series::new("n", [("2024", 1.0), ("2025", f64::NAN)]).unwrap_err();
        assert!(
            matches!(
                e,
                Error::NonFinite {
                    row: 2,
                    what: "value",
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("series `n`, row 2"));
    }

    #[test]
    fn builder_reports_bad_date() {
        let e = Series::builder("b")
            .point("2024", 1.0)
            .point("2024-99", 2.0)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("2024-99"), "{e}");
    }

    #[test]
    fn kinds_parse() {
        for (i, n) in Kind::NAMES.iter().enumerate() {
            let k: Kind = n.parse().unwrap();
            assert_eq!(k.as_str(), Kind::NAMES[i]);
        }
        assert!("sometimes".parse::<Kind>().is_err());
    }
}
