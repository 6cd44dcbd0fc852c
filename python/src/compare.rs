//! Comparing the standard models: `growthcast._core.compare` and the `Comparison` class (the
//! ranking, the recommended projection across the plausible models, rows and charts).

use growthcast::compare::{self, Comparison};
use growthcast::known::{self, KnownCeiling};
use growthcast::plot::{self, ChartSpec};
use growthcast::recommend::{RecommendOptions, Recommendation};
use growthcast::{export, Fit, Projection, Series};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::chart::{self, ChartArgs};
use crate::fit::PyFit;
use crate::{to_json, GrowthcastError, OrRaise, PySeries};

/// Compares the standard models on a series (with a known ceiling: also the S-curves that
/// respect it), as `growthcast compare` does; the recommendation is made at the ends of the
/// years after the last observation up to `until`.
#[pyfunction]
#[pyo3(name = "compare", signature = (series, until, ceiling=None, ceiling_at_most=None, ceiling_name=None))]
fn compare_models(
    py: Python<'_>,
    series: &PySeries,
    until: f64,
    ceiling: Option<f64>,
    ceiling_at_most: Option<f64>,
    ceiling_name: Option<String>,
) -> PyResult<PyComparison> {
    let s = series.inner.clone();
    let last = s.span().1;
    if until.is_nan() || until <= last {
        return Err(GrowthcastError::new_err(format!(
            "until {} must come after the last observation of `{}` ({})",
            s.axis().at(until),
            s.name(),
            s.axis().at(last)
        )));
    }
    let name = |k: f64| ceiling_name.clone().unwrap_or_else(|| format!("{k:.4e}"));
    let fact = match (ceiling, ceiling_at_most) {
        (Some(_), Some(_)) => {
            return Err(GrowthcastError::new_err(
                "give either `ceiling` (a known ceiling) or `ceiling_at_most` (a known bound), not both",
            ))
        }
        (Some(k), None) => Some(KnownCeiling::fixed(k, name(k)).or_raise()?),
        (None, Some(k)) => Some(KnownCeiling::at_most(k, name(k)).or_raise()?),
        (None, None) => None,
    };
    let (comparison, opts) = py.detach(|| match fact {
        Some(fact) => (
            known::compare_knowing(&s, &fact),
            RecommendOptions::knowing(fact),
        ),
        None => (compare::compare_standard(&s), RecommendOptions::default()),
    });
    let times = s.axis().steps(last, until);
    let (recommended, averaged) = py.detach(|| {
        (
            comparison.recommended(&times, &opts),
            comparison.averaged(&times),
        )
    });
    Ok(PyComparison {
        series: s,
        comparison,
        opts,
        until,
        recommended,
        averaged,
    })
}

/// A comparison of models on one series, with its recommended projection.
#[pyclass(name = "Comparison", module = "growthcast", frozen)]
#[derive(Debug)]
pub(crate) struct PyComparison {
    series: Series,
    comparison: Comparison,
    opts: RecommendOptions,
    until: f64,
    /// The recommendation at the year ends up to `until`.
    recommended: Option<Recommendation>,
    /// The criterion-weighted average at the same times (for `to_json`).
    averaged: Option<Projection>,
}

impl PyComparison {
    /// The fitted candidates, `(label, fit)`.
    fn fitted(&self) -> Vec<(&str, &Fit)> {
        self.comparison
            .candidates
            .iter()
            .filter_map(|k| k.fit.as_ref().ok().map(|f| (k.label.as_str(), f)))
            .collect()
    }

    /// The recommendation on the CSV dates of its point member, as projection rows labelled
    /// `recommended` (as in `growthcast compare --csv`).
    fn recommended_rows(&self) -> Vec<export::ProjectionRow> {
        let c = &self.comparison;
        let Some(f) = self.recommended.as_ref().and_then(|r| c.fit(r.point)) else {
            return Vec::new();
        };
        let grid = export::csv_grid(f, self.until);
        c.recommended(&grid, &self.opts)
            .map(|r| export::projection_rows("recommended", f, &r.projection))
            .unwrap_or_default()
    }
}

#[pymethods]
impl PyComparison {
    /// The library's text: the ranking, then the recommendation.
    fn __repr__(&self) -> String {
        let rec = match &self.recommended {
            Some(r) => r.to_string(),
            None => {
                "no model fitted with a degree of freedom left: no recommended projection".into()
            }
        };
        format!("{}\n{rec}", self.comparison)
    }

    /// The ranking rows (`compare::Ranked`) as JSON.
    fn ranking_json(&self) -> PyResult<String> {
        to_json(&self.comparison.ranking)
    }

    /// The candidates that failed, `(label, message)`.
    fn failed(&self) -> Vec<(String, String)> {
        self.comparison.failures()
    }

    /// The fitted candidates as `Fit` objects, in the order given.
    fn fits(&self) -> Vec<PyFit> {
        self.fitted()
            .into_iter()
            .map(|(_, f)| PyFit {
                fit: f.clone(),
                series: self.series.clone(),
            })
            .collect()
    }

    /// Projection rows of every fitted model on its CSV grid and of the recommendation
    /// (labelled `recommended`), as JSON: the rows of `growthcast compare --csv`.
    fn projections_json(&self, py: Python<'_>) -> PyResult<String> {
        let until = self.until;
        let rows = py.detach(|| {
            let mut rows: Vec<export::ProjectionRow> = self
                .fitted()
                .into_iter()
                .flat_map(|(l, f)| {
                    export::projection_rows(l, f, &f.project(&export::csv_grid(f, until)))
                })
                .collect();
            rows.extend(self.recommended_rows());
            rows
        });
        to_json(&rows)
    }

    /// Only the recommended projection's rows, as JSON.
    fn recommended_json(&self, py: Python<'_>) -> PyResult<String> {
        to_json(&py.detach(|| self.recommended_rows()))
    }

    /// The recommendation (members, edges, statement, trust, drift) as the library's JSON, or
    /// `null` when no model fitted with a degree of freedom left.
    fn recommendation_json(&self) -> PyResult<String> {
        to_json(&self.recommended)
    }

    /// Everything, as `growthcast compare --json` prints it.
    fn to_json(&self) -> PyResult<String> {
        to_json(
            &self
                .comparison
                .summary(self.recommended.as_ref(), self.averaged.as_ref()),
        )
    }

    /// The chart of the recommended projection (`plot::plot_recommendation`), or of every fitted
    /// model when there is none, as PNG or SVG bytes.
    #[pyo3(signature = (format="png", width=1200, height=720, title=None, log_y=None))]
    fn chart<'py>(
        &self,
        py: Python<'py>,
        format: &str,
        width: u32,
        height: u32,
        title: Option<String>,
        log_y: Option<bool>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let args = ChartArgs {
            format: format.to_string(),
            size: (width, height),
            until: Some(self.until),
            title,
            log_y,
        };
        let (spec, ext): (ChartSpec, _) = args.spec()?;
        let s = &self.series;
        let bytes = py.detach(|| {
            let grid = plot::series_grid(s, &spec);
            let on_chart = self
                .recommended
                .as_ref()
                .and_then(|_| self.comparison.recommended(&grid, &self.opts));
            chart::to_bytes(ext, |p| match &on_chart {
                Some(r) => plot::plot_recommendation(s, r, &spec, p),
                None => plot::plot_comparison(s, &self.fitted(), &spec.clone().bands(false), p),
            })
        })?;
        Ok(PyBytes::new(py, &bytes))
    }
}

/// Adds the compare function and class to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyComparison>()?;
    m.add_function(wrap_pyfunction!(compare_models, m)?)?;
    Ok(())
}
