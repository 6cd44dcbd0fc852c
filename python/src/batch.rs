//! Many series at once: `growthcast._core.batch_fit` over columns of a long table, read in place
//! from numpy arrays, fitted by the root crate's `BatchFitter` on all cores with the GIL
//! released.

use growthcast::batch::BatchFitter;
use growthcast::model::Fixed;
use growthcast::Model;
use numpy::{IntoPyArray, PyArray1, PyArrayMethods, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::{model_named, GrowthcastError, OrRaise};

/// Days since 1970-01-01 (numpy `datetime64[D]` as integers) as the library's decimal years.
#[pyfunction]
pub(crate) fn decimal_years_from_days<'py>(
    py: Python<'py>,
    days: PyReadonlyArray1<'py, i64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
    let out = days
        .as_array()
        .iter()
        .map(|&d| {
            epoch
                .checked_add_signed(chrono::TimeDelta::days(d))
                .map(growthcast::time::decimal_year)
                .ok_or_else(|| {
                    GrowthcastError::new_err(format!("day {d} after 1970-01-01 is no date"))
                })
        })
        .collect::<PyResult<Vec<f64>>>()?;
    Ok(out.into_pyarray(py))
}

/// Checks that `offsets` cut `len` rows into series: starts at 0, never falls, ends at `len`.
fn check_offsets(offsets: &[i64], len: usize) -> PyResult<Vec<usize>> {
    let bad = |why: String| Err(GrowthcastError::new_err(format!("offsets: {why}")));
    if offsets.first() != Some(&0) || offsets.last().copied() != Some(len as i64) {
        return bad(format!(
            "must run from 0 to the number of rows ({len}), one more entry than series"
        ));
    }
    if let Some(w) = offsets.windows(2).find(|w| w[1] < w[0]) {
        return bad(format!("they fall from {} to {}", w[0], w[1]));
    }
    Ok(offsets.iter().map(|&o| o as usize).collect())
}

/// Fits one model to every series of a long table given as columns: `t` and `y` (float64,
/// rows of one series together and in time order), `offsets` (series `i` is rows
/// `offsets[i]..offsets[i+1]`). Returns a dict of arrays: `names` (the free parameters),
/// `params` and `std_errors` (series × parameters), `rss`, `iterations`, `at_bound`,
/// `converged`, `error_index` and `error_message` (the series that failed), and with
/// `project` (decimal years) `yhat` (series × times), the fitted curve there.
#[pyfunction]
#[pyo3(signature = (t, y, offsets, model="logistic", fix=None, bounds=None,
    error_model="multiplicative", allow_decline=false, std_errors=true, start=None,
    parallel=true, project=None))]
#[allow(clippy::too_many_arguments)]
fn batch_fit<'py>(
    py: Python<'py>,
    t: PyReadonlyArray1<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    offsets: PyReadonlyArray1<'py, i64>,
    model: &str,
    fix: Option<Vec<(String, f64)>>,
    bounds: Option<Vec<(String, f64, f64)>>,
    error_model: &str,
    allow_decline: bool,
    std_errors: bool,
    start: Option<Vec<f64>>,
    parallel: bool,
    project: Option<Vec<f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let (t, y) = (t.as_slice()?, y.as_slice()?);
    if t.len() != y.len() {
        return Err(GrowthcastError::new_err(format!(
            "the time column has {} rows, the value column {}",
            t.len(),
            y.len()
        )));
    }
    let offsets = check_offsets(offsets.as_slice()?, t.len())?;
    let mut m = model_named(model)?;
    let fix = fix.unwrap_or_default();
    if !fix.is_empty() {
        let pairs: Vec<(&str, f64)> = fix.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        m = Box::new(Fixed::new(m, &pairs).or_raise()?);
    }
    let mut fitter = BatchFitter::new(m.clone())
        .error_model(crate::fit::error_model(error_model)?)
        .std_errors(std_errors)
        .parallel(parallel);
    for (name, lo, hi) in bounds.unwrap_or_default() {
        fitter = fitter.bound(&name, lo, hi);
    }
    if allow_decline {
        fitter = fitter.allow_decline();
    }
    if let Some(s) = start {
        fitter = fitter.start(&s);
    }
    let n = offsets.len() - 1;
    let (fits, yhat) = py
        .detach(|| {
            let series: Vec<(&[f64], &[f64])> = offsets
                .windows(2)
                .map(|w| (&t[w[0]..w[1]], &y[w[0]..w[1]]))
                .collect();
            let fits = fitter.fit_series(&series)?;
            let yhat = project.map(|times| curves(&m, &series, &fits, &times));
            Ok::<_, growthcast::Error>((fits, yhat))
        })
        .or_raise()?;
    let np = m.params().len();
    let out = PyDict::new(py);
    let names: Vec<&str> = m.params().iter().map(|p| p.name).collect();
    out.set_item("names", names)?;
    out.set_item(
        "params",
        fits.params()
            .iter()
            .copied()
            .collect::<Vec<f64>>()
            .into_pyarray(py)
            .reshape([n, np])?,
    )?;
    match fits.std_errors() {
        Some(se) => out.set_item(
            "std_errors",
            se.iter()
                .copied()
                .collect::<Vec<f64>>()
                .into_pyarray(py)
                .reshape([n, np])?,
        )?,
        None => out.set_item("std_errors", py.None())?,
    }
    out.set_item("rss", fits.rss().to_vec().into_pyarray(py))?;
    out.set_item("iterations", fits.iterations().to_vec().into_pyarray(py))?;
    out.set_item("at_bound", fits.at_bound().to_vec().into_pyarray(py))?;
    let mut converged = vec![true; n];
    let (mut index, mut message) = (Vec::new(), Vec::new());
    for (i, e) in fits.errors() {
        converged[*i] = false;
        index.push(*i as i64);
        message.push(e.to_string());
    }
    out.set_item("converged", converged.into_pyarray(py))?;
    out.set_item("error_index", index.into_pyarray(py))?;
    out.set_item("error_message", message)?;
    if let Some((values, m)) = yhat {
        out.set_item("yhat", values.into_pyarray(py).reshape([n, m])?)?;
    }
    Ok(out)
}

/// The fitted curve of every converged series at `times` (NaN for a series that failed), series
/// × times in one vector, and the number of times. (The model is a box so that it can be cloned
/// and anchored per series.)
#[allow(clippy::borrowed_box)]
fn curves(
    model: &Box<dyn Model>,
    series: &[(&[f64], &[f64])],
    fits: &growthcast::batch::BatchFits,
    times: &[f64],
) -> (Vec<f64>, usize) {
    let mut out = vec![f64::NAN; series.len() * times.len()];
    for (i, (row, (t, _))) in out.chunks_mut(times.len().max(1)).zip(series).enumerate() {
        if fits.error(i).is_some() {
            continue;
        }
        let mut m = model.clone();
        m.anchor(t);
        let p = fits.params_of(i);
        for (v, &tp) in row.iter_mut().zip(times) {
            *v = m.value(tp, p);
        }
    }
    (out, times.len())
}

/// Adds the batch function to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(batch_fit, m)?)?;
    Ok(())
}
