//! Results for notebooks and other tools: a tidy CSV of fitted and projected values, a CSV of
//! parameter estimates, and JSON of whole fits.
//!
//! Every function takes fits with a *label*, the name of the model as the user ran it
//! (`"logistic"`, `"logistic, K = 1.41e9"`), so two fits of the same model stay apart.
//!
//! ## Projections: one row per (series, model, date)
//!
//! The writers take results, they do not project: [`csv_grid`] gives the standard dates for a
//! fit (every observation date, the first of every month and the last day of every year up to a
//! horizon, and the horizon itself), the caller projects there ([`Fit::project`], or
//! [`Comparison::averaged`](crate::compare::Comparison::averaged) for the model average) and
//! [`projection_rows`] turns that [`Projection`] into rows. Column names follow Prophet where the meaning is
//! the same (`ds`, `y`, `yhat`, `yhat_lower`, `yhat_upper`: Prophet's interval includes the
//! noise of a new observation, so here too it is the prediction band).
//!
//! | column | meaning | empty when |
//! |---|---|---|
//! | `series` | series name | never |
//! | `unit` | unit of the values | the series has none |
//! | `model` | model label | never |
//! | `ds` | the time as its axis prints it: a date `YYYY-MM-DD`, or the number on a numeric axis ([`TimeAxis`](crate::axis::TimeAxis)) | never |
//! | `t` | decimal year, or the number on a numeric axis | never |
//! | `time_unit` | the unit of a numeric axis (`day`, `hour`, …), which `t` counts | the axis is the calendar |
//! | `y` | observed value | no observation on that date |
//! | `kind` | `exact`, `about`, `at_least`, `at_most`, `derived` | no observation on that date |
//! | `yhat` | fitted or projected value | never for a fitted model |
//! | `yhat_lower`, `yhat_upper` | prediction band (a new observation) at `level` | no degrees of freedom |
//! | `conf_lower`, `conf_upper` | confidence band (the curve) at `level` | no degrees of freedom |
//! | `level` | confidence level of the bands (0.95) | never |
//! | `is_projection` | `true` after the last observation | never |
//! | `beyond_span` | `true` further past the last observation than the data span (the model's assumption more than the data) | never |
//! | `method` | how the bands were made: `bootstrap` (the default) or `delta` ([`IntervalMethod`]) | never |
//!
//! ## Parameters: one row per (series, model, parameter)
//!
//! | column | meaning | empty when |
//! |---|---|---|
//! | `series`, `model`, `parameter`, `unit` | what the row is about | `unit` may be empty |
//! | `estimate` | estimate (the fixed value when fixed) | never |
//! | `std_error` | standard error (0 when fixed) | it cannot be estimated |
//! | `lower`, `upper` | interval at `level`, made by `method` | no bound from these data (profile), or it cannot be estimated |
//! | `level` | confidence level | never |
//! | `fixed` | `true` when held fixed | never |
//! | `identified` | the fit as a whole is identified ([`Fit::is_identified`]) | never |
//! | `warnings` | the fit's cautions about this parameter or the whole fit, `" \| "`-separated | none |
//! | `method` | how `lower` and `upper` were made: `profile` (the default) or `wald` | never |
//!
//! ```
//! use growthcast::{export, Exponential, Series};
//! let s = Series::new("x", [("2024-01-01", 1.0), ("2025-01-01", 2.1), ("2026-01-01", 3.9)])?;
//! let fit = s.fit(Exponential::new())?;
//! let projection = fit.project(&export::csv_grid(&fit, 2027.0));
//! let rows = export::projection_rows("exponential", &fit, &projection);
//! assert_eq!(rows.iter().filter(|r| r.y.is_some()).count(), 3);
//! assert!(rows.iter().all(|r| r.yhat_lower.is_some()));  // 1 degree of freedom: bands exist
//! let json = export::fits_to_json(&[("exponential", &fit)])?;
//! assert!(json.contains("\"label\": \"exponential\""));
//! # Ok::<(), growthcast::Error>(())
//! ```

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fit::{Fit, IntervalMethod, Warning};
use crate::project::Projection;
use crate::series::Kind;

/// One row of the tidy projections table (see the module docs for the columns).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectionRow {
    /// Series name.
    pub series: String,
    /// Unit of the values.
    pub unit: String,
    /// Model label.
    pub model: String,
    /// The time as its axis prints it: `YYYY-MM-DD`, or the number on a numeric axis.
    pub ds: String,
    /// Decimal year, or the number on a numeric axis.
    pub t: f64,
    /// The unit of a numeric axis; `None` (an empty cell) on the calendar.
    pub time_unit: Option<String>,
    /// Observed value, if there is an observation on that date.
    pub y: Option<f64>,
    /// Kind of the observation.
    pub kind: Option<Kind>,
    /// Fitted or projected value.
    pub yhat: Option<f64>,
    /// Lower end of the prediction band.
    pub yhat_lower: Option<f64>,
    /// Upper end of the prediction band.
    pub yhat_upper: Option<f64>,
    /// Lower end of the confidence band.
    pub conf_lower: Option<f64>,
    /// Upper end of the confidence band.
    pub conf_upper: Option<f64>,
    /// Confidence level of the bands.
    pub level: f64,
    /// `true` after the last observation.
    pub is_projection: bool,
    /// `true` when the date lies further past the last observation than the data span: there
    /// the projection shows the model's assumption more than the data.
    pub beyond_span: bool,
    /// How the bands were made.
    pub method: IntervalMethod,
}

/// One row of the parameters table (see the module docs for the columns).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParameterRow {
    /// Series name.
    pub series: String,
    /// Model label.
    pub model: String,
    /// Parameter name.
    pub parameter: String,
    /// Unit of the parameter.
    pub unit: String,
    /// Estimate (the fixed value when fixed).
    pub estimate: f64,
    /// Standard error; `None` when it cannot be estimated.
    pub std_error: Option<f64>,
    /// Lower end of the interval (`None`: no lower bound from these data, or it cannot be
    /// estimated).
    pub lower: Option<f64>,
    /// Upper end of the interval (`None`: no upper bound from these data, or it cannot be
    /// estimated).
    pub upper: Option<f64>,
    /// Confidence level of the interval.
    pub level: f64,
    /// Held fixed.
    pub fixed: bool,
    /// The fit as a whole is identified.
    pub identified: bool,
    /// Cautions about this parameter or the whole fit, `" | "`-separated.
    pub warnings: String,
    /// How `lower` and `upper` were made.
    pub method: IntervalMethod,
}

/// `v`, or `None` (an empty cell) when it is not finite.
pub(crate) fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// The messages of some warnings, `" | "`-separated: the `warnings` cell of a table row.
pub(crate) fn joined<'a>(warnings: impl IntoIterator<Item = &'a Warning>) -> String {
    let messages: Vec<&str> = warnings.into_iter().map(|w| w.message.as_str()).collect();
    messages.join(" | ")
}

/// First days of the months after `from`, up to `to` inclusive (decimal years): the calendar
/// axis' [`TimeAxis::dense`](crate::axis::TimeAxis::dense) grid.
///
/// ```
/// let g = growthcast::export::monthly_grid(2024.0, 2024.5);
/// assert_eq!(g.len(), 6); // 1 February … 1 July (2024.497…)
/// ```
pub fn monthly_grid(from: f64, to: f64) -> Vec<f64> {
    crate::time::monthly(from, to)
}

/// The times of the projections table for one fit, in time order: every observation's time,
/// the fit's axis' dense grid after the first observation up to `until` (the first of every
/// month on the calendar, [`TimeAxis::dense`](crate::axis::TimeAxis::dense)), its printed
/// steps after the last observation ([`TimeAxis::steps`](crate::axis::TimeAxis::steps): the
/// last day of every year on the calendar, the times the CLI and the report print) and `until`
/// itself; one time per row the axis tells apart (one per calendar day; an observation's own
/// time wins), never past `until`. Project a fit (or a [`Comparison`](crate::compare::Comparison)'s
/// average) at these times and pass the [`Projection`] to [`projection_rows`].
pub fn csv_grid(fit: &Fit, until: f64) -> Vec<f64> {
    let obs = fit.observations();
    let (first, last) = match (obs.first(), obs.last()) {
        (Some(a), Some(b)) => (a.t, b.t),
        _ => return Vec::new(),
    };
    let axis = fit.axis();
    let mut times: Vec<f64> = obs.iter().map(|o| o.t).collect();
    let mut seen: HashSet<String> = times.iter().map(|&t| axis.cell(t)).collect();
    let mut grid = axis.dense(first, until);
    grid.extend(axis.steps(last, until));
    if until.is_finite() && until > first {
        grid.push(until);
    }
    for t in grid {
        if seen.insert(axis.cell(t)) {
            times.push(t);
        }
    }
    times.sort_by(f64::total_cmp);
    times
}

/// Rows of a projection the caller computed: one row per point of `projection`, in its order,
/// labelled `label`. `fit` is the fitted model the projection comes from (or, for a model
/// average, any of its members): its observations give `y` and `kind` on the days they fall on
/// (each observation on one row at most, in order), and its first and last observation
/// `is_projection` and `beyond_span`. Series, unit and level are the projection's.
pub fn projection_rows(label: &str, fit: &Fit, projection: &Projection) -> Vec<ProjectionRow> {
    let obs = fit.observations();
    let (first, last) = match (obs.first(), obs.last()) {
        (Some(a), Some(b)) => (a.t, b.t),
        _ => return Vec::new(),
    };
    // Observations by the time as printed (the calendar day), in order, each taken by one row.
    let axis = &projection.axis;
    let time_unit = (!axis.is_calendar()).then(|| axis.unit().to_string());
    let mut by_date: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, o) in obs.iter().enumerate() {
        by_date.entry(axis.cell(o.t)).or_default().push_back(i);
    }
    projection
        .points
        .iter()
        .map(|q| {
            let ds = axis.cell(q.t);
            let i = by_date.get_mut(&ds).and_then(|v| v.pop_front());
            ProjectionRow {
                series: projection.series.clone(),
                unit: projection.unit.clone(),
                model: label.to_string(),
                ds,
                t: q.t,
                time_unit: time_unit.clone(),
                y: i.map(|i| obs[i].value),
                kind: i.map(|i| obs[i].kind),
                yhat: finite(q.value),
                yhat_lower: finite(q.pred_lower),
                yhat_upper: finite(q.pred_upper),
                conf_lower: finite(q.conf_lower),
                conf_upper: finite(q.conf_upper),
                level: projection.level,
                is_projection: q.t > last + 1e-9,
                beyond_span: q.t - last > last - first,
                method: projection.method,
            }
        })
        .collect()
}

/// Rows for one fit's parameters.
pub fn parameter_rows(label: &str, fit: &Fit) -> Vec<ParameterRow> {
    let identified = fit.is_identified();
    fit.params
        .iter()
        .map(|p| {
            let warnings = joined(fit.warnings.iter().filter(|w| match &w.parameter {
                None => true,
                Some(names) => names.split(',').any(|n| n.trim() == p.name),
            }));
            ParameterRow {
                series: fit.series.clone(),
                model: label.to_string(),
                parameter: p.name.clone(),
                unit: p.unit.clone(),
                estimate: p.estimate,
                std_error: finite(p.std_error),
                lower: finite(p.lower),
                upper: finite(p.upper),
                level: fit.level,
                fixed: p.fixed,
                identified,
                warnings,
                method: p.method,
            }
        })
        .collect()
}

/// Writes any serde-serialisable rows as CSV with a header (empty `Option`s become empty cells).
pub fn write_rows<T: Serialize>(path: impl AsRef<Path>, rows: &[T]) -> Result<()> {
    write_csv(path.as_ref(), rows)
}

fn write_csv<T: Serialize>(path: &Path, rows: &[T]) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let as_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        other => Error::Write {
            path: path.to_path_buf(),
            what: "CSV",
            message: format!("{other:?}"),
        },
    };
    for r in rows {
        w.serialize(r).map_err(as_err)?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}

/// Writes projection rows as CSV with a header (columns in the module docs). An empty slice
/// writes an empty file.
pub fn write_projections(path: impl AsRef<Path>, rows: &[ProjectionRow]) -> Result<()> {
    write_csv(path.as_ref(), rows)
}

/// Writes parameter rows as CSV with a header.
pub fn write_parameters(path: impl AsRef<Path>, rows: &[ParameterRow]) -> Result<()> {
    write_csv(path.as_ref(), rows)
}

/// Fits as a pretty-printed JSON array: each element is the [`Fit`] (all its public fields),
/// with `label` set to the label given here and `derived` holding [`Fit::derived`]. Numbers that are not finite (an unknown standard
/// error, say) become `null`.
pub fn fits_to_json(fits: &[(&str, &Fit)]) -> Result<String> {
    let err = |e: serde_json::Error| Error::Write {
        path: "<memory>".into(),
        what: "JSON",
        message: e.to_string(),
    };
    let mut all = Vec::with_capacity(fits.len());
    for &(label, fit) in fits {
        let mut v = serde_json::to_value(fit).map_err(err)?;
        if let Some(obj) = v.as_object_mut() {
            obj.insert("label".into(), serde_json::Value::from(label));
            obj.insert(
                "derived".into(),
                serde_json::to_value(fit.derived()).map_err(err)?,
            );
        }
        all.push(v);
    }
    serde_json::to_string_pretty(&all).map_err(err)
}

/// Writes [`fits_to_json`] to a file.
pub fn write_json(path: impl AsRef<Path>, fits: &[(&str, &Fit)]) -> Result<()> {
    let path = path.as_ref();
    let text = fits_to_json(fits).map_err(|e| match e {
        Error::Write { what, message, .. } => Error::Write {
            path: path.to_path_buf(),
            what,
            message,
        },
        other => other,
    })?;
    std::fs::write(path, text + "\n").map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Exponential, Series};

    #[test]
    fn nan_becomes_null_and_empty() {
        // Two points, two parameters: no degrees of freedom, so bands and errors are NaN.
        let s = Series::new("two", [("2020", 1.0), ("2025", 2.0)]).unwrap();
        let fit = s.fit(Exponential::new()).unwrap();
        let rows = projection_rows("exponential", &fit, &fit.project(&csv_grid(&fit, 2026.0)));
        assert!(rows
            .iter()
            .all(|r| r.yhat.is_some() && r.yhat_lower.is_none()));
        let json = fits_to_json(&[("exponential", &fit)]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(v[0]["residual_sd"].is_null());
        assert!(v[0]["params"][0]["std_error"].is_null());
        let p = parameter_rows("exponential", &fit);
        assert!(p.iter().all(|r| r.std_error.is_none() && !r.identified));
        assert!(p[0].warnings.contains("degrees of freedom"));
    }
}
