//! One fit: `growthcast._core.fit` and the `Fit` class (report, JSON, rows, charts).

use growthcast::plot::{self, ChartSpec};
use growthcast::{export, ErrorModel, Fit, Fitter, IntervalMethod, Series};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::chart::{self, ChartArgs};
use crate::{model_named, to_json, GrowthcastError, OrRaise, PySeries};

/// The error model by name: `multiplicative` (the default) or `additive`.
pub(crate) fn error_model(name: &str) -> PyResult<ErrorModel> {
    match name.trim().to_ascii_lowercase().as_str() {
        "multiplicative" | "log" => Ok(ErrorModel::Multiplicative),
        "additive" => Ok(ErrorModel::Additive),
        other => Err(GrowthcastError::new_err(format!(
            "error model `{other}`: choose multiplicative or additive"
        ))),
    }
}

/// The interval method of the parameters by name: `profile` (the default) or `wald`.
fn interval_method(name: &str) -> PyResult<IntervalMethod> {
    match name.trim().to_ascii_lowercase().as_str() {
        "profile" => Ok(IntervalMethod::Profile),
        "wald" => Ok(IntervalMethod::Wald),
        other => Err(GrowthcastError::new_err(format!(
            "intervals `{other}`: choose profile or wald"
        ))),
    }
}

/// Everything `fit` and `compare` are told about how to fit one model.
#[derive(Debug, Default)]
pub(crate) struct FitArgs {
    /// Parameters held at values.
    pub(crate) fix: Vec<(String, f64)>,
    /// Parameters bounded, `(name, lower, upper)`.
    pub(crate) bounds: Vec<(String, f64, f64)>,
    /// Allow a falling series (rates below 0).
    pub(crate) allow_decline: bool,
}

/// The library's fitter for `model` with these arguments.
fn fitter(
    model: &str,
    args: &FitArgs,
    error: &str,
    level: f64,
    intervals: &str,
    label: Option<String>,
) -> PyResult<Fitter<Box<dyn growthcast::Model>>> {
    let mut f = Fitter::new(model_named(model)?)
        .error_model(error_model(error)?)
        .level(level)
        .intervals(interval_method(intervals)?);
    for (name, value) in &args.fix {
        f = f.fix(name, *value);
    }
    for (name, lo, hi) in &args.bounds {
        f = f.bound(name, *lo, *hi);
    }
    if args.allow_decline {
        f = f.allow_decline();
    }
    if let Some(l) = label {
        f = f.label(l);
    }
    Ok(f)
}

/// Fits one model to a series (the GIL is released while it fits).
#[pyfunction]
#[pyo3(signature = (series, model="exponential", fix=None, bounds=None, error_model="multiplicative",
    allow_decline=false, level=0.95, intervals="profile", label=None))]
#[allow(clippy::too_many_arguments)]
fn fit(
    py: Python<'_>,
    series: &PySeries,
    model: &str,
    fix: Option<Vec<(String, f64)>>,
    bounds: Option<Vec<(String, f64, f64)>>,
    error_model: &str,
    allow_decline: bool,
    level: f64,
    intervals: &str,
    label: Option<String>,
) -> PyResult<PyFit> {
    let args = FitArgs {
        fix: fix.unwrap_or_default(),
        bounds: bounds.unwrap_or_default(),
        allow_decline,
    };
    let f = fitter(model, &args, error_model, level, intervals, label)?;
    let s = &series.inner;
    let fit = py.detach(|| f.fit(s)).or_raise()?;
    Ok(PyFit {
        fit,
        series: s.clone(),
    })
}

/// A fitted model with its series.
#[pyclass(name = "Fit", module = "growthcast", frozen)]
#[derive(Debug)]
pub(crate) struct PyFit {
    pub(crate) fit: Fit,
    pub(crate) series: Series,
}

#[pymethods]
impl PyFit {
    /// The library's report (`Display`).
    fn __repr__(&self) -> String {
        self.fit.to_string()
    }

    /// The fit's label (model name, with fixed values).
    #[getter]
    fn label(&self) -> &str {
        self.fit.label()
    }

    /// The series name.
    #[getter]
    fn series_name(&self) -> &str {
        self.fit.series()
    }

    /// The time axis: `calendar`, or the unit of a numeric axis (`day`).
    #[getter]
    fn axis(&self) -> String {
        self.fit.axis().to_string()
    }

    /// Where projections end when no `until` is given (see `Series.default_until`).
    #[getter]
    fn default_until(&self) -> f64 {
        crate::default_until(&self.series)
    }

    /// `Fit::is_identified`.
    #[getter]
    fn identified(&self) -> bool {
        self.fit.is_identified()
    }

    /// The fit as the library's JSON (`export::fits_to_json`, one object).
    fn to_json(&self) -> PyResult<String> {
        // The one element of the library's array, as its text: parsing it back into a
        // `serde_json::Value` would round some numbers in the last digit.
        let all = export::fits_to_json(&[(self.fit.label(), &self.fit)]).or_raise()?;
        let (start, end) = (all.find('{'), all.rfind('}'));
        match (start, end) {
            (Some(a), Some(b)) if a < b => Ok(all[a..=b].to_string()),
            _ => Err(GrowthcastError::new_err(format!(
                "no fit in the JSON: {all}"
            ))),
        }
    }

    /// The parameters table's rows (`export::parameter_rows`) as JSON.
    fn parameters_json(&self) -> PyResult<String> {
        to_json(&export::parameter_rows(self.fit.label(), &self.fit))
    }

    /// The projections table's rows (`export::projection_rows`) as JSON: at `times` (decimal
    /// years) if given, else on the CSV grid up to `until`; delta-method bands if `delta`.
    #[pyo3(signature = (until, times=None, delta=false))]
    fn projection_json(
        &self,
        py: Python<'_>,
        until: f64,
        times: Option<Vec<f64>>,
        delta: bool,
    ) -> PyResult<String> {
        let f = &self.fit;
        let times = times.unwrap_or_else(|| export::csv_grid(f, until));
        let p = py.detach(|| {
            if delta {
                f.project_delta(&times)
            } else {
                f.project(&times)
            }
        });
        to_json(&export::projection_rows(f.label(), f, &p))
    }

    /// The paragraph in words about the fit up to `until` (`Fit::summary`).
    fn summary(&self, until: f64) -> String {
        self.fit.summary(until)
    }

    /// When the curve reaches `level`, by `horizon` (`Fit::when`), as the library's JSON
    /// (its `statement` says it in words).
    fn when_json(&self, level: f64, horizon: f64) -> PyResult<String> {
        to_json(&self.fit.when(level, horizon))
    }

    /// The fit's chart (`plot::plot_fit`) as PNG or SVG bytes.
    #[pyo3(signature = (format="png", width=1200, height=720, until=None, title=None, log_y=None))]
    #[allow(clippy::too_many_arguments)]
    fn chart<'py>(
        &self,
        py: Python<'py>,
        format: &str,
        width: u32,
        height: u32,
        until: Option<f64>,
        title: Option<String>,
        log_y: Option<bool>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let args = ChartArgs {
            format: format.to_string(),
            size: (width, height),
            until,
            title,
            log_y,
        };
        let (spec, ext): (ChartSpec, _) = args.spec()?;
        let (s, f) = (&self.series, &self.fit);
        let bytes = py.detach(|| chart::to_bytes(ext, |p| plot::plot_fit(s, f, &spec, p)))?;
        Ok(PyBytes::new(py, &bytes))
    }
}

/// Adds the fit function and class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFit>()?;
    m.add_function(wrap_pyfunction!(fit, m)?)?;
    Ok(())
}
