//! Many series at once: the throughput path.
//!
//! [`BatchFitter`] fits one model to many series, either an [`ndarray::Array2`] of values
//! (series × times) on one time axis ([`BatchFitter::fit`]) or a slice of series that each have
//! their own times ([`BatchFitter::fit_series`]). Every series gets its own result: one that
//! fails (bad data, no start values, no convergence) keeps its error and does not stop the
//! others. With the `parallel` feature (on by default) the series are spread over all cores
//! with rayon.
//!
//! Memory stays bounded by the input, the output ([`BatchFits`]: a few numbers per series, as
//! arrays) and one solver per worker: rows are read in place, start values live on the stack,
//! and the lean [`Solver`](crate::Solver) allocates nothing per fit under the additive error model (and
//! reuses one buffer under the multiplicative one). Only a failing series allocates (its
//! error), and so does [`StartValues::SelfStart`] (the start values it returns; its scratch is on
//! the stack for series of up to 64 points).
//!
//! ```
//! use growthcast::batch::BatchFitter;
//! use growthcast::{ErrorModel, Logistic, Model};
//! use ndarray::Array2;
//!
//! let t: Vec<f64> = (0..10).map(|i| i as f64).collect();
//! let values = Array2::from_shape_fn((3, 10), |(i, j)| {
//!     Logistic.value(t[j], &[1000.0 * (i + 1) as f64, 1.2, 5.0])
//! });
//! let fits = BatchFitter::new(Logistic)
//!     .error_model(ErrorModel::Additive)
//!     .start_with(|t, y, p| {
//!         p[0] = 1.1 * y.iter().cloned().fold(f64::MIN, f64::max);
//!         p[1] = 1.0;
//!         p[2] = t[t.len() / 2];
//!         Ok(())
//!     })
//!     .fit(&t, &values)?;
//! assert_eq!(fits.n_ok(), 3);
//! assert!((fits.params()[[2, 0]] - 3000.0).abs() < 1e-6);
//! # Ok::<(), growthcast::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use ndarray::{ArrayView1, ArrayView2};

use crate::error::{Error, Result};
use crate::fit::{Bounds, ErrorModel, FitOptions, IntervalMethod, LmSettings};
use crate::model::Model;
use crate::solve::lean_option_setters;

mod intervals;
mod results;
mod schedule;

pub use results::BatchFits;
use schedule::Job;
#[cfg(feature = "parallel")]
use schedule::{share, CHUNK};

/// A function that writes start values for one series: `(times, values, start) -> Ok(())`, or
/// an error message. `start` has one slot per model parameter.
pub type StartFn =
    dyn Fn(&[f64], &[f64], &mut [f64]) -> std::result::Result<(), String> + Send + Sync;

/// Where each series' start values come from.
#[derive(Clone, Default)]
pub enum StartValues {
    /// The model's own [`Model::self_start`] (the default), as [`crate::Fitter`] uses.
    #[default]
    SelfStart,
    /// The same start values for every series, in the model's parameter order.
    Given(Vec<f64>),
    /// Computed per series by a function (no allocation).
    With(Arc<StartFn>),
}

impl fmt::Debug for StartValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartValues::SelfStart => f.write_str("SelfStart"),
            StartValues::Given(v) => f.debug_tuple("Given").field(v).finish(),
            StartValues::With(_) => f.write_str("With(<function>)"),
        }
    }
}

/// Fits one model to many series; see the [module documentation](self).
#[derive(Clone, Debug)]
pub struct BatchFitter<M> {
    model: M,
    /// The configuration; its `start`, when given, is the start of every series.
    options: FitOptions,
    /// Where start values come from when `options.start` is `None` (never `Given`).
    start: StartValues,
    parallel: bool,
    /// Intervals per series, when asked for.
    intervals: Option<IntervalMethod>,
}

/// Rows per unit of parallel work: about 60 µs of logistic fits at n = 10, so the last chunk
/// leaves little imbalance while the queue's lock is taken only once per chunk.
impl<M: Model + Clone + 'static> BatchFitter<M> {
    /// A batch fitter with the defaults of [`crate::Fitter`] (multiplicative errors, MINPACK
    /// tolerances, self-start values), parallel when the `parallel` feature is on.
    pub fn new(model: M) -> Self {
        Self {
            model,
            options: FitOptions::new(),
            start: StartValues::SelfStart,
            parallel: true,
            intervals: None,
        }
    }

    lean_option_setters!(
        "Also gives each series' standard errors ([`BatchFits::std_errors`]), as \
         [`Solver::std_errors`](crate::Solver::std_errors) does: from the `JᵀJ` already at hand, no extra pass. Off by \
         default."
    );

    /// The same start values for every series (every parameter, in the model's order; the
    /// `start` of the [`FitOptions`]).
    #[must_use]
    pub fn start(self, values: &[f64]) -> Self {
        self.start_values(StartValues::Given(values.to_vec()))
    }

    /// Start values computed per series by `f(times, values, start)` (start values in the
    /// [`FitOptions`] take precedence).
    #[must_use]
    pub fn start_with<F>(self, f: F) -> Self
    where
        F: Fn(&[f64], &[f64], &mut [f64]) -> std::result::Result<(), String>
            + Send
            + Sync
            + 'static,
    {
        self.start_values(StartValues::With(Arc::new(f)))
    }

    /// Sets where start values come from (`Given` values go to the options' `start`).
    #[must_use]
    pub fn start_values(mut self, start: StartValues) -> Self {
        match start {
            StartValues::Given(v) => {
                self.options.start = Some(v);
                self.start = StartValues::SelfStart;
            }
            other => {
                self.options.start = None;
                self.start = other;
            }
        }
        self
    }

    /// Also gives each series' parameter intervals at the options' level
    /// ([`BatchFits::lower`], [`BatchFits::upper`]): by profile likelihood
    /// ([`IntervalMethod::Profile`], as [`crate::Fitter`] gives them, about 0.1 ms per 10-point
    /// series), by the calibrated bootstrap's percentiles ([`IntervalMethod::Bootstrap`], about
    /// 1 ms), or Wald ([`IntervalMethod::Wald`]). Each converged series is fitted once more
    /// through [`crate::Fitter`] from its lean estimate for this. Other methods are refused
    /// when the batch runs.
    #[must_use]
    pub fn intervals(self, method: IntervalMethod) -> Self {
        Self {
            intervals: Some(method),
            ..self
        }
    }

    /// Spreads the series over all cores (`true`, the default) or fits them one after another
    /// on the calling thread. Without the `parallel` feature the batch is always serial.
    #[must_use]
    pub fn parallel(self, parallel: bool) -> Self {
        Self { parallel, ..self }
    }

    /// Fits every row of `values` (series × times) on the shared time axis `times`.
    ///
    /// `times` may be a slice, a `Vec` or an [`ndarray::Array1`] (by reference), `values` an
    /// [`ndarray::Array2`] or a view. Rows are read in place when `values` is in standard
    /// (row-major) layout; otherwise the values are first copied into that layout.
    ///
    /// The outer error is for the batch as a whole: `times` and `values` disagree in length,
    /// or the start values do not fit the model. Errors of single series are in the result.
    pub fn fit<'t, 'v>(
        &self,
        times: impl Into<ArrayView1<'t, f64>>,
        values: impl Into<ArrayView2<'v, f64>>,
    ) -> Result<BatchFits> {
        let (times, values) = (times.into(), values.into());
        if times.len() != values.ncols() {
            return Err(Error::arg(
                "values",
                values.ncols() as f64,
                format!(
                    "each row needs one value per time: {} times, {} columns",
                    times.len(),
                    values.ncols()
                ),
            ));
        }
        let bounds = self.check()?;
        let times = times.as_standard_layout();
        let t = times.as_slice().expect("standard layout");
        let values = values.as_standard_layout();
        let data = values.as_slice().expect("standard layout");
        let n = t.len();
        let mut model = self.model.clone();
        model.anchor(t);
        Ok(
            self.run(values.nrows(), &model, &bounds, false, "row", &|i| {
                (t, &data[i * n..(i + 1) * n])
            }),
        )
    }

    /// Fits every series of `series`, each a pair `(times, values)` with its own times (the
    /// model is anchored to each series' times, as [`crate::Fitter::fit`] does).
    ///
    /// The outer error is for the batch as a whole (start values that do not fit the model).
    pub fn fit_series<T, Y>(&self, series: &[(T, Y)]) -> Result<BatchFits>
    where
        T: AsRef<[f64]> + Sync,
        Y: AsRef<[f64]> + Sync,
    {
        let bounds = self.check()?;
        Ok(
            self.run(series.len(), &self.model, &bounds, true, "series", &|i| {
                (series[i].0.as_ref(), series[i].1.as_ref())
            }),
        )
    }

    /// Checks the options against the model once per batch; gives the bounds.
    fn check(&self) -> Result<Bounds> {
        let (name, specs) = (self.model.name(), self.model.params());
        let bounds = self.options.lean_bounds(name, specs, true)?;
        if let Some(m) = self.intervals {
            if !matches!(
                m,
                IntervalMethod::Profile | IntervalMethod::Bootstrap | IntervalMethod::Wald
            ) {
                return Err(Error::InvalidOption {
                    option: "intervals",
                    reason: format!(
                        "{} intervals are not made per parameter: choose profile, bootstrap or wald",
                        m.describe()
                    ),
                });
            }
        }
        let np = specs.len();
        if let Some(v) = &self.options.start {
            if v.len() != np {
                return Err(Error::InvalidParameter {
                    model: name.to_string(),
                    parameter: "*".to_string(),
                    reason: format!("{} start values given for {np} parameters", v.len()),
                });
            }
        }
        Ok(bounds)
    }

    /// Fits `count` series, `get(i)` giving series `i`; serial or in parallel chunks.
    fn run<'d, G>(
        &self,
        count: usize,
        model: &M,
        bounds: &Bounds,
        anchor_each: bool,
        what: &str,
        get: &G,
    ) -> BatchFits
    where
        G: Fn(usize) -> (&'d [f64], &'d [f64]) + Sync,
    {
        let np = self.model.params().len();
        #[cfg(not(feature = "parallel"))]
        let _ = self.parallel;
        let mut out = BatchFits {
            n_params: np,
            params: vec![f64::NAN; count * np],
            std_errors: self.options.std_errors.then(|| vec![f64::NAN; count * np]),
            rss: vec![f64::NAN; count],
            iterations: vec![0; count],
            evaluations: vec![0; count],
            termination: vec![None; count],
            at_bound: vec![false; count],
            errors: Vec::new(),
            intervals: None,
        };
        let job = Job {
            fitter: self,
            model,
            bounds: *bounds,
            anchor_each,
            what,
            get,
        };
        #[cfg(feature = "parallel")]
        if self.parallel && count >= 2 * CHUNK && rayon::current_num_threads() > 1 {
            out.errors = share(&job, &mut out, np);
        } else {
            out.errors = job.rows(0, out.rows_mut());
        }
        #[cfg(not(feature = "parallel"))]
        {
            out.errors = job.rows(0, out.rows_mut());
        }
        if let Some(method) = self.intervals {
            self.add_intervals(&mut out, method, get);
        }
        out
    }
}
