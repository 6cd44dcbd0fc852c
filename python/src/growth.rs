//! Growth arithmetic and claim checks (`growthcast::growth`).

use growthcast::growth::{self, ClaimCheck, Figure, Verdict};
use growthcast::Kind;
use pyo3::prelude::*;

use crate::{to_json, OrRaise};

/// A figure: a value and what its wording says (`exact`, `about`, `at_least`, `at_most`).
fn figure(value: f64, kind: &str) -> PyResult<Figure> {
    Ok(Figure::new(value, kind.parse::<Kind>().or_raise()?))
}

/// Compound annual growth rate from `start` to `end` over `years`.
#[pyfunction]
fn cagr(start: f64, end: f64, years: f64) -> PyResult<f64> {
    growth::cagr(start, end, years).or_raise()
}

/// Compound annual growth rate between two dated values.
#[pyfunction]
fn cagr_between(start_date: &str, start: f64, end_date: &str, end: f64) -> PyResult<f64> {
    growth::cagr_between((start_date, start), (end_date, end)).or_raise()
}

/// Years to double at an annual growth rate.
#[pyfunction]
fn doubling_time(rate: f64) -> PyResult<f64> {
    growth::doubling_time(rate).or_raise()
}

/// The annual rate that takes `base` (in `base_year`) to `target` (in `target_year`).
#[pyfunction]
fn implied_rate(base: f64, base_year: f64, target: f64, target_year: f64) -> PyResult<f64> {
    growth::implied_rate(base, base_year, target, target_year).or_raise()
}

/// Which check: a CAGR over `years`, a multiple, or an increase.
#[derive(Debug)]
enum Claim {
    Cagr(f64),
    Multiple,
    Increase,
}

/// Checks a claim about growth from `start` to `end`.
fn check(
    claim: Claim,
    (start, start_kind): (f64, &str),
    (end, end_kind): (f64, &str),
    (claimed, claimed_kind): (f64, &str),
) -> PyResult<PyClaimCheck> {
    let (s, e, c) = (
        figure(start, start_kind)?,
        figure(end, end_kind)?,
        figure(claimed, claimed_kind)?,
    );
    let inner = match claim {
        Claim::Cagr(years) => growth::check_cagr(s, e, years, c),
        Claim::Multiple => growth::check_multiple(s, e, c),
        Claim::Increase => growth::check_increase(s, e, c),
    }
    .or_raise()?;
    Ok(PyClaimCheck { inner })
}

/// Checks a claimed compound annual growth rate.
#[pyfunction]
#[pyo3(signature = (start, end, years, claimed, start_kind="exact", end_kind="exact", claimed_kind="exact"))]
fn check_cagr(
    start: f64,
    end: f64,
    years: f64,
    claimed: f64,
    start_kind: &str,
    end_kind: &str,
    claimed_kind: &str,
) -> PyResult<PyClaimCheck> {
    check(
        Claim::Cagr(years),
        (start, start_kind),
        (end, end_kind),
        (claimed, claimed_kind),
    )
}

/// Checks a claimed growth multiple ("300-fold").
#[pyfunction]
#[pyo3(signature = (start, end, claimed, start_kind="exact", end_kind="exact", claimed_kind="exact"))]
fn check_multiple(
    start: f64,
    end: f64,
    claimed: f64,
    start_kind: &str,
    end_kind: &str,
    claimed_kind: &str,
) -> PyResult<PyClaimCheck> {
    check(
        Claim::Multiple,
        (start, start_kind),
        (end, end_kind),
        (claimed, claimed_kind),
    )
}

/// Checks a claimed increase over the period (0.4 is "+40%").
#[pyfunction]
#[pyo3(signature = (start, end, claimed, start_kind="exact", end_kind="exact", claimed_kind="exact"))]
fn check_increase(
    start: f64,
    end: f64,
    claimed: f64,
    start_kind: &str,
    end_kind: &str,
    claimed_kind: &str,
) -> PyResult<PyClaimCheck> {
    check(
        Claim::Increase,
        (start, start_kind),
        (end, end_kind),
        (claimed, claimed_kind),
    )
}

/// The outcome of a claim check.
#[pyclass(name = "ClaimCheck", module = "growthcast", frozen)]
#[derive(Debug)]
struct PyClaimCheck {
    inner: ClaimCheck,
}

#[pymethods]
impl PyClaimCheck {
    /// The library's sentence (`Display`).
    fn __repr__(&self) -> String {
        self.inner.to_string()
    }

    /// `holds`, `allowed_by_wording` or `contradicted`.
    #[getter]
    fn verdict(&self) -> &'static str {
        match self.inner.verdict {
            Verdict::Holds => "holds",
            Verdict::AllowedByWording => "allowed_by_wording",
            Verdict::Contradicted => "contradicted",
        }
    }

    /// `True` unless the figures contradict the claim.
    #[getter]
    fn plausible(&self) -> bool {
        self.inner.verdict != Verdict::Contradicted
    }

    /// The check as the library's JSON.
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.inner)
    }
}

/// Adds the growth functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyClaimCheck>()?;
    m.add_function(wrap_pyfunction!(cagr, m)?)?;
    m.add_function(wrap_pyfunction!(cagr_between, m)?)?;
    m.add_function(wrap_pyfunction!(doubling_time, m)?)?;
    m.add_function(wrap_pyfunction!(implied_rate, m)?)?;
    m.add_function(wrap_pyfunction!(check_cagr, m)?)?;
    m.add_function(wrap_pyfunction!(check_multiple, m)?)?;
    m.add_function(wrap_pyfunction!(check_increase, m)?)?;
    Ok(())
}
