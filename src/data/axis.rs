//! The time axis of a series: calendar dates, or numbers in a unit of the user's.
//!
//! A series of national statistics is dated (`2024-06-30`) and its rates are per year; a
//! bacterial culture is timed in hours from inoculation, a chick weighed on day 0, 2, 4, …, an
//! assay run at log concentrations that may be negative. [`TimeAxis`] is that choice. Inside
//! growthcast a time is always one number `t`: the decimal year on the calendar axis
//! ([`crate::time`]), the number itself on a numeric axis. Everything that is *said* about time
//! comes from the axis: how a time is printed ([`TimeAxis::at`], [`TimeAxis::cell`]), the unit
//! of a rate ([`TimeAxis::rate_unit`]), a duration ("doubling every 9.04 days",
//! [`TimeAxis::duration`]), the times a projection is printed and tabulated at
//! ([`TimeAxis::steps`], [`TimeAxis::dense`]) and how text is read ([`TimeAxis::parse`]). A
//! numeric axis never prints a calendar date.
//!
//! ```
//! use growthcast::axis::TimeAxis;
//! let days = TimeAxis::numeric("day")?;
//! assert_eq!(days.at(21.0), "day 21");
//! assert_eq!(days.rate_unit(), "1/day");
//! assert_eq!(days.duration(2.5), "2.50 days");
//! assert_eq!(days.steps(21.0, 42.0), [25.0, 30.0, 35.0, 40.0, 42.0]);
//! assert_eq!(TimeAxis::Calendar.at(2030.0), "2030-01-01");
//! assert_eq!(TimeAxis::Calendar.duration(9.041), "9.04 years");
//! # Ok::<(), growthcast::Error>(())
//! ```

use std::fmt;

use serde::{Serialize, Serializer};

use crate::error::{Error, Result};
use crate::time::{format_date, monthly, parse_date, year_ends};

/// Count nouns that take an `s` in the plural; any other unit (`dose`, `log concentration`) is
/// printed as given after a number.
const COUNT_NOUNS: [&str; 12] = [
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "quarter",
    "year",
    "generation",
    "cycle",
    "passage",
    "step",
];

/// The unit of a numeric time axis: a label such as `hour`, `day`, `week`, `month`, `year`,
/// `dose` or `log concentration`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TimeUnit(String);

impl TimeUnit {
    /// A unit from its label (trimmed; it must not be empty nor hold a comma, quote or line
    /// break, which would break the CSV it is written to).
    pub fn new(label: &str) -> Result<Self> {
        let s = label.trim();
        let bad = |reason: &str| Error::InvalidTimeUnit {
            input: label.to_string(),
            reason: reason.to_string(),
        };
        if s.is_empty() {
            return Err(bad("it is empty"));
        }
        if s.chars().any(|c| c.is_control() || matches!(c, ',' | '"')) {
            return Err(bad("it holds a comma, a quote or a control character"));
        }
        // "days" and "Days" are the unit `day`.
        let lower = s.to_lowercase();
        let singular = COUNT_NOUNS
            .iter()
            .find(|&&n| lower == n || lower == format!("{n}s"))
            .map_or_else(|| s.to_string(), |n| n.to_string());
        Ok(Self(singular))
    }

    /// The label (singular for the count nouns: `day`).
    pub fn name(&self) -> &str {
        &self.0
    }

    /// The plural after a number other than one: `days`, or the label as given.
    pub fn plural(&self) -> String {
        if COUNT_NOUNS.contains(&self.0.as_str()) {
            format!("{}s", self.0)
        } else {
            self.0.clone()
        }
    }
}

impl fmt::Display for TimeUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a series' times are read, printed and gridded (module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum TimeAxis {
    /// Calendar dates; `t` is a decimal year and rates are per year (the default).
    #[default]
    Calendar,
    /// Plain numbers (zero and negatives allowed) in a unit; rates are per that unit.
    Numeric(TimeUnit),
}

impl Serialize for TimeAxis {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl fmt::Display for TimeAxis {
    /// `calendar`, or the unit's label.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeAxis::Calendar => f.write_str("calendar"),
            TimeAxis::Numeric(u) => write!(f, "{u}"),
        }
    }
}

impl TimeAxis {
    /// A numeric axis in `unit` (see [`TimeUnit::new`]).
    pub fn numeric(unit: &str) -> Result<Self> {
        TimeUnit::new(unit).map(TimeAxis::Numeric)
    }

    /// Whether this is the calendar axis.
    pub fn is_calendar(&self) -> bool {
        matches!(self, TimeAxis::Calendar)
    }

    /// The unit a `t` difference is counted in: `year` on the calendar.
    pub fn unit(&self) -> &str {
        match self {
            TimeAxis::Calendar => "year",
            TimeAxis::Numeric(u) => u.name(),
        }
    }

    /// The unit's plural: `years`, `days`, or a label as given.
    pub fn units(&self) -> String {
        match self {
            TimeAxis::Calendar => "years".to_string(),
            TimeAxis::Numeric(u) => u.plural(),
        }
    }

    /// A time as a table cell: `2030-12-31`, or the number (`21`, `-3.02`).
    pub fn cell(&self, t: f64) -> String {
        match self {
            TimeAxis::Calendar => format_date(t),
            TimeAxis::Numeric(_) => number(t),
        }
    }

    /// A time in a sentence: `2030-12-31`, or `day 21`, `dose 0.5`.
    pub fn at(&self, t: f64) -> String {
        match self {
            TimeAxis::Calendar => format_date(t),
            TimeAxis::Numeric(u) => format!("{u} {}", number(t)),
        }
    }

    /// How a rate is said after its number: `a year`, `per day`.
    pub fn per(&self) -> String {
        match self {
            TimeAxis::Calendar => "a year".to_string(),
            TimeAxis::Numeric(u) => format!("per {u}"),
        }
    }

    /// What the rate `e^r − 1` is called: `annual growth rate`, `growth rate per day`.
    pub fn growth_rate_name(&self) -> String {
        match self {
            TimeAxis::Calendar => "annual growth rate".to_string(),
            TimeAxis::Numeric(u) => format!("growth rate per {u}"),
        }
    }

    /// The unit of a rate: `1/year`, `1/day`.
    pub fn rate_unit(&self) -> String {
        format!("1/{}", self.unit())
    }

    /// A length of time with two decimals: `9.04 years`, `2.50 days`, `1.00 day`.
    pub fn duration(&self, v: f64) -> String {
        let text = format!("{v:.2}");
        let unit = if text == "1.00" {
            self.unit().to_string()
        } else {
            self.units()
        };
        format!("{text} {unit}")
    }

    /// Reads a time written in a table or on the command line: a date on the calendar
    /// ([`parse_date`]), a number otherwise.
    pub fn parse(&self, text: &str) -> Result<f64> {
        match self {
            TimeAxis::Calendar => parse_date(text),
            TimeAxis::Numeric(u) => {
                let s = text.trim();
                s.parse::<f64>()
                    .ok()
                    .filter(|t| t.is_finite())
                    .ok_or_else(|| Error::InvalidTime {
                        input: text.to_string(),
                        unit: u.name().to_string(),
                    })
            }
        }
    }

    /// The times a projection is printed at after `after` up to `until` (and `until` itself):
    /// the year ends on the calendar ([`year_ends`]), round multiples of a step giving at most
    /// about ten lines otherwise.
    pub fn steps(&self, after: f64, until: f64) -> Vec<f64> {
        match self {
            TimeAxis::Calendar => year_ends(after, until),
            TimeAxis::Numeric(_) => multiples(after, until, 10.0),
        }
    }

    /// The times of a tidy table from `from` (exclusive) to `until`: the first of every month
    /// on the calendar, about a hundred round steps otherwise.
    pub fn dense(&self, from: f64, until: f64) -> Vec<f64> {
        match self {
            TimeAxis::Calendar => monthly(from, until),
            TimeAxis::Numeric(_) => multiples(from, until, 100.0),
        }
    }

    /// A horizon for a series on this axis whose data run from `first` to `last`, when none is
    /// given: half the data span past the last point, rounded up to a round number (on a
    /// numeric axis; calendar horizons are dates the user gives, so the calendar gets the same
    /// rule in years).
    ///
    /// ```
    /// let days = growthcast::TimeAxis::numeric("day")?;
    /// assert_eq!(days.horizon_after(0.0, 21.0), 35.0);
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn horizon_after(&self, first: f64, last: f64) -> f64 {
        let span = (last - first).abs();
        if !(span > 0.0) {
            return last + 1.0;
        }
        let step = round_step(span, 10.0);
        ((last + span / 2.0) / step).ceil() * step
    }

    /// The label of a chart's time axis: `date` or the unit.
    pub fn label(&self) -> String {
        match self {
            TimeAxis::Calendar => "date".to_string(),
            TimeAxis::Numeric(u) => u.name().to_string(),
        }
    }

    /// Two times name the same row of a table (the same day on the calendar, the same number
    /// to nine significant digits otherwise).
    pub fn same(&self, a: f64, b: f64) -> bool {
        match self {
            TimeAxis::Calendar => format_date(a) == format_date(b),
            TimeAxis::Numeric(_) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300),
        }
    }
}

/// A number as short as it can be without losing what matters: whole numbers without a
/// decimal point, others to six significant digits (trailing zeros dropped).
pub(crate) fn number(t: f64) -> String {
    if !t.is_finite() {
        return format!("{t}");
    }
    let t = t + 0.0; // -0 prints as 0
    if t == t.round() && t.abs() < 1e15 {
        return format!("{t:.0}");
    }
    let digits = (5 - t.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{t:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s.trim_start_matches('-')
        .trim_matches(['0', '.'])
        .is_empty()
    {
        "0".to_string()
    } else {
        s
    }
}

/// A round step (1, 2 or 5 times a power of ten) cutting `span` into at most about `count`
/// pieces.
pub(crate) fn round_step(span: f64, count: f64) -> f64 {
    let raw = span / count;
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&s| s >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// The multiples of a round step after `after` up to `until`, then `until` itself when it is
/// not one of them.
fn multiples(after: f64, until: f64, count: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if !(after.is_finite() && until.is_finite()) || until <= after {
        return out;
    }
    let step = round_step(until - after, count);
    let mut k = (after / step).floor() + 1.0;
    while k * step <= until + step * 1e-9 {
        let t = k * step;
        // Printed values are round: 0.30000000000000004 becomes 0.3.
        let t: f64 = number(t).parse().unwrap_or(t);
        if t > after + step * 1e-9 {
            out.push(t.min(until));
        }
        k += 1.0;
    }
    if out.last().is_none_or(|&l| (l - until).abs() > step * 1e-9) {
        out.push(until);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_singular_and_know_their_plural() {
        assert_eq!(TimeUnit::new(" Days ").unwrap().name(), "day");
        assert_eq!(TimeUnit::new("hour").unwrap().plural(), "hours");
        assert_eq!(TimeUnit::new("dose").unwrap().plural(), "dose");
        assert_eq!(
            TimeUnit::new("log concentration").unwrap().name(),
            "log concentration"
        );
        for bad in ["", "  ", "a,b", "x\ny", "\"q\""] {
            assert!(TimeUnit::new(bad).is_err(), "{bad:?}");
        }
        let msg = TimeUnit::new("").unwrap_err().to_string();
        assert!(msg.contains("time unit"), "{msg}");
    }

    #[test]
    fn numbers_print_short_and_round() {
        for (t, s) in [
            (0.0, "0"),
            (21.0, "21"),
            (-3.0194183, "-3.01942"),
            (0.30000000000000004, "0.3"),
            (118.0, "118"),
            (1.5e-7, "0.00000015"),
            (-0.0, "0"),
            (12345.678, "12345.7"),
        ] {
            assert_eq!(number(t), s, "{t}");
        }
    }

    #[test]
    fn numeric_steps_are_round_and_end_at_the_horizon() {
        let days = TimeAxis::numeric("day").unwrap();
        assert_eq!(days.steps(21.0, 42.0), [25.0, 30.0, 35.0, 40.0, 42.0]);
        assert_eq!(days.steps(-3.02, -1.0), [-3.0, -2.5, -2.0, -1.5, -1.0]);
        assert!(days.steps(5.0, 5.0).is_empty());
        let dense = days.dense(0.0, 21.0);
        assert_eq!(dense.first(), Some(&0.5));
        assert_eq!(dense.last(), Some(&21.0));
        assert!(dense.len() <= 110, "{}", dense.len());
        assert!(dense.windows(2).all(|w| w[1] > w[0]));
    }

    #[test]
    fn calendar_speaks_years_and_dates() {
        let c = TimeAxis::Calendar;
        assert_eq!(c.per(), "a year");
        assert_eq!(c.rate_unit(), "1/year");
        assert_eq!(c.duration(1.0), "1.00 year");
        assert_eq!(c.cell(2030.0), "2030-01-01");
        assert_eq!(c.parse("2024").unwrap(), 2024.0);
        assert!(c.same(2030.0, 2030.0001));
        let h = TimeAxis::numeric("hour").unwrap();
        assert_eq!(h.parse(" -3.5 ").unwrap(), -3.5);
        let msg = h.parse("2024-06").unwrap_err().to_string();
        assert!(msg.contains("2024-06") && msg.contains("hour"), "{msg}");
        assert!(!h.same(2030.0, 2030.0001));
        assert_eq!(h.to_string(), "hour");
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"calendar\"");
    }
}
