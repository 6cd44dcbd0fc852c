//! `growthcast._core`: the Python extension module of growthcast.
//!
//! Thin bindings over the root crate's public API. Every function takes and returns plain
//! values (numbers, strings, lists, numpy arrays, JSON text of the library's serde output); the
//! pure-Python package `growthcast` (in `growthcast/`) turns DataFrames into columns and rows
//! back into DataFrames. Library errors become `growthcast.GrowthcastError` (a `ValueError`)
//! with the library's message.

use growthcast::model::Builtin;
use growthcast::{Kind, Model, Observation, Series, TimeAxis};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

mod batch;
mod chart;
mod compare;
mod fit;
mod growth;

create_exception!(
    growthcast,
    GrowthcastError,
    PyValueError,
    "An error of the growthcast library (bad data, a fit that failed, an unknown model ...), \
     with the library's message naming the series, row, column or parameter at fault."
);

/// `Result<T, growthcast::Error>` (or any error with a message) to a Python result.
pub(crate) trait OrRaise<T> {
    /// The value, or a [`GrowthcastError`] with the error's message.
    fn or_raise(self) -> PyResult<T>;
}

impl<T, E: std::fmt::Display> OrRaise<T> for Result<T, E> {
    fn or_raise(self) -> PyResult<T> {
        self.map_err(|e| GrowthcastError::new_err(e.to_string()))
    }
}

/// Serialises a value with serde into JSON text (the library's serde output, unchanged).
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).or_raise()
}

/// A built-in model by name (`exponential` or `exp`, `logistic`, `gompertz`, `linear`,
/// `richards`, `bass`).
pub(crate) fn model_named(name: &str) -> PyResult<Box<dyn Model>> {
    name.parse::<Builtin>().map(Builtin::model).or_raise()
}

/// The time of one observation: a date (`ds`) or a number on the time axis (`time`).
#[derive(Debug)]
pub(crate) enum TimeColumn {
    /// Dates as the library reads them (`2024-06-30`, `2024-06`, `2024Q2`, `2024`).
    Dates(Vec<String>),
    /// Numbers: decimal years, or times in a unit of their own (`time_unit`: hours, days).
    Numbers(Vec<f64>),
}

/// Builds a series from a table's columns: the one place where a `ds` or `time` column becomes
/// the library's time. `kind` holds the observation kinds (`exact`, `about`, `at_least`,
/// `at_most`, `derived`; empty means exact). A `time_unit` (`day`, `hour`, `dose`) makes the
/// numbers a numeric time axis in that unit (rates per day, no calendar dates); without it
/// numbers are decimal years.
pub(crate) fn series_from_columns(
    name: &str,
    unit: &str,
    time: TimeColumn,
    y: &[f64],
    kind: Option<&[String]>,
    time_unit: Option<&str>,
) -> growthcast::Result<Series> {
    let axis = match (time_unit, &time) {
        (None, _) => TimeAxis::Calendar,
        (Some(u), TimeColumn::Numbers(_)) => TimeAxis::numeric(u)?,
        (Some(u), TimeColumn::Dates(_)) => {
            return Err(growthcast::Error::InvalidTimeUnit {
                input: u.to_string(),
                reason: format!(
                    "series `{name}` is dated (a `ds` column): a time unit goes with a `time` \
                     column of numbers"
                ),
            })
        }
    };
    let n = match &time {
        TimeColumn::Dates(d) => d.len(),
        TimeColumn::Numbers(t) => t.len(),
    };
    if n != y.len() || kind.is_some_and(|k| k.len() != y.len()) {
        return Err(growthcast::Error::InvalidArgument {
            name: "y",
            value: y.len() as f64,
            reason: format!(
                "series `{name}`: {n} times, {} values and {} kinds: the columns must have one entry per row",
                y.len(),
                kind.map_or(y.len(), <[String]>::len)
            ),
        });
    }
    let mut obs = Vec::with_capacity(n);
    for (i, &v) in y.iter().enumerate() {
        let o = match &time {
            TimeColumn::Dates(d) => Observation::new(&d[i], v)?,
            TimeColumn::Numbers(t) => Observation::at(t[i], v),
        };
        let k = match kind {
            Some(k) => k[i].parse::<Kind>()?,
            None => Kind::Exact,
        };
        obs.push(o.kind(k));
    }
    Ok(Series::from_observations(name, unit, obs)?.with_axis(axis))
}

/// Where projections of `s` end when no `until` is given (see `Series.default_until`).
pub(crate) fn default_until(s: &Series) -> f64 {
    s.default_horizon(growthcast::time::parse_date("2030-12-31").unwrap_or(2031.0))
}

/// A series built from columns (see `growthcast.series`).
#[pyclass(name = "Series", module = "growthcast", frozen)]
#[derive(Debug)]
pub(crate) struct PySeries {
    pub(crate) inner: Series,
}

#[pymethods]
impl PySeries {
    /// Builds a series: `ds` (date strings) or `t` (numbers, in `time_unit` when given), `y`,
    /// optional `kind` strings.
    #[new]
    #[pyo3(signature = (name, y, ds=None, t=None, kind=None, unit="", time_unit=None))]
    fn new(
        name: &str,
        y: Vec<f64>,
        ds: Option<Vec<String>>,
        t: Option<Vec<f64>>,
        kind: Option<Vec<String>>,
        unit: &str,
        time_unit: Option<&str>,
    ) -> PyResult<Self> {
        let time = match (ds, t) {
            (Some(d), None) => TimeColumn::Dates(d),
            (None, Some(t)) => TimeColumn::Numbers(t),
            _ => {
                return Err(GrowthcastError::new_err(format!(
                "series `{name}`: give exactly one time column, `ds` (dates) or `time` (numbers)"
            )))
            }
        };
        let inner =
            series_from_columns(name, unit, time, &y, kind.as_deref(), time_unit).or_raise()?;
        Ok(Self { inner })
    }

    /// The series name.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The unit of the values.
    #[getter]
    fn unit(&self) -> &str {
        self.inner.unit()
    }

    /// The time axis: `calendar`, or the unit of a numeric axis (`day`).
    #[getter]
    fn axis(&self) -> String {
        self.inner.axis().to_string()
    }

    /// Where projections end when no `until` is given: the end of 2030 for a dated series,
    /// half the data's span past the last point (rounded) on a numeric axis.
    #[getter]
    fn default_until(&self) -> f64 {
        default_until(&self.inner)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<growthcast.Series `{}`: {} observation(s){}>",
            self.inner.name(),
            self.inner.len(),
            if self.inner.unit().is_empty() {
                String::new()
            } else {
                format!(" in {}", self.inner.unit())
            }
        )
    }

    /// The observations as JSON rows (`series`, `unit`, `ds`, `t`, `y`, `kind`).
    fn rows_json(&self) -> PyResult<String> {
        let rows: Vec<serde_json::Value> = self
            .inner
            .observations()
            .iter()
            .map(|o| {
                serde_json::json!({
                    "series": self.inner.name(), "unit": self.inner.unit(), "ds": o.date,
                    "t": o.t, "y": o.value, "kind": o.kind,
                })
            })
            .collect();
        to_json(&rows)
    }
}

/// A date (`2024-06-30`, `2024-06`, `2024Q2`, `2024`, `2024.5`) as the library's decimal year.
#[pyfunction]
fn parse_date(date: &str) -> PyResult<f64> {
    growthcast::time::parse_date(date).or_raise()
}

/// A decimal year as a `YYYY-MM-DD` date.
#[pyfunction]
fn format_date(t: f64) -> String {
    growthcast::time::format_date(t)
}

/// Every series of a CSV file in the library's format (`date`, `value`, optional `series`,
/// `unit`, `kind`, ...), one per `series` value: a list of [`PySeries`].
#[pyfunction]
fn read_series(path: std::path::PathBuf) -> PyResult<Vec<PySeries>> {
    let groups = growthcast::io::read_groups(&path).or_raise()?;
    Ok(groups.into_iter().map(|inner| PySeries { inner }).collect())
}

/// The extension module.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("GrowthcastError", m.py().get_type::<GrowthcastError>())?;
    m.add_class::<PySeries>()?;
    m.add_function(wrap_pyfunction!(parse_date, m)?)?;
    m.add_function(wrap_pyfunction!(format_date, m)?)?;
    m.add_function(wrap_pyfunction!(read_series, m)?)?;
    m.add_function(wrap_pyfunction!(batch::decimal_years_from_days, m)?)?;
    fit::register(m)?;
    compare::register(m)?;
    growth::register(m)?;
    batch::register(m)?;
    Ok(())
}
