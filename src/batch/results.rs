//! A batch's results, as arrays.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use super::schedule::Rows;
use crate::error::Error;
use crate::fit::{IntervalMethod, LeanFit, Termination};

/// The results of a batch, one entry per series, as arrays.
///
/// A series that failed has its error in [`BatchFits::errors`]; if the solver ran but did not
/// converge, its row still holds the best point found (and [`BatchFits::termination`] says why
/// it stopped); if it never ran (bad data, no start values) its row is NaN and its termination
/// `None`.
#[derive(Debug)]
pub struct BatchFits {
    pub(super) n_params: usize,
    pub(super) params: Vec<f64>,
    pub(super) std_errors: Option<Vec<f64>>,
    pub(super) rss: Vec<f64>,
    pub(super) iterations: Vec<u32>,
    pub(super) evaluations: Vec<u32>,
    pub(super) termination: Vec<Option<Termination>>,
    pub(super) at_bound: Vec<bool>,
    pub(super) errors: Vec<(usize, Error)>,
    pub(super) intervals: Option<super::intervals::Intervals>,
}

impl BatchFits {
    /// All rows of the output, to be filled.
    pub(super) fn rows_mut(&mut self) -> Rows<'_> {
        Rows {
            params: &mut self.params,
            std_errors: self.std_errors.as_deref_mut().unwrap_or_default(),
            rss: &mut self.rss,
            iterations: &mut self.iterations,
            evaluations: &mut self.evaluations,
            termination: &mut self.termination,
            at_bound: &mut self.at_bound,
        }
    }

    /// The standard errors (series × parameters), if asked for with
    /// [`BatchFitter::std_errors`](super::BatchFitter::std_errors); NaN for a series that failed, has no degrees of freedom or
    /// a singular `JᵀJ`.
    pub fn std_errors(&self) -> Option<ArrayView2<'_, f64>> {
        self.std_errors.as_ref().map(|v| {
            ArrayView2::from_shape((self.len(), self.n_params), v)
                .expect("one row of standard errors per series")
        })
    }

    /// The standard errors of series `i`, if asked for.
    pub fn std_errors_of(&self, i: usize) -> Option<&[f64]> {
        let np = self.n_params;
        self.std_errors.as_ref().map(|v| &v[i * np..(i + 1) * np])
    }

    /// Number of series.
    pub fn len(&self) -> usize {
        self.rss.len()
    }

    /// `true` for an empty batch.
    pub fn is_empty(&self) -> bool {
        self.rss.is_empty()
    }

    /// Estimates, series × parameters (the model's parameter order).
    pub fn params(&self) -> ArrayView2<'_, f64> {
        ArrayView2::from_shape((self.len(), self.n_params), &self.params).expect("shape")
    }

    /// The estimates of series `i`.
    pub fn params_of(&self, i: usize) -> &[f64] {
        &self.params[i * self.n_params..(i + 1) * self.n_params]
    }

    /// Residual sum of squares per series (NaN where the solver never ran).
    pub fn rss(&self) -> ArrayView1<'_, f64> {
        ArrayView1::from(&self.rss[..])
    }

    /// LM iterations per series.
    pub fn iterations(&self) -> &[u32] {
        &self.iterations
    }

    /// Why the solver stopped, per series (`None` where it never ran).
    pub fn termination(&self) -> &[Option<Termination>] {
        &self.termination
    }

    /// Per series, whether some parameter ended on one of its bounds ([`LeanFit::at_bound`]):
    /// with the default bounds, a rate at 0, i.e. a series that falls or does not grow (see
    /// [`crate::fit::FitOptions::allow_decline`]).
    pub fn at_bound(&self) -> &[bool] {
        &self.at_bound
    }

    /// The errors of the series that failed, `(series index, error)`, in series order.
    pub fn errors(&self) -> &[(usize, Error)] {
        &self.errors
    }

    /// The error of series `i`, if it failed.
    pub fn error(&self, i: usize) -> Option<&Error> {
        self.errors
            .binary_search_by_key(&i, |(j, _)| *j)
            .ok()
            .map(|k| &self.errors[k].1)
    }

    /// Number of series that converged.
    pub fn n_ok(&self) -> usize {
        self.len() - self.errors.len()
    }

    /// Series `i` as a [`LeanFit`], or its error.
    pub fn get(&self, i: usize) -> std::result::Result<LeanFit, &Error> {
        if let Some(e) = self.error(i) {
            return Err(e);
        }
        Ok(LeanFit::from_parts(
            self.params_of(i),
            self.std_errors_of(i),
            self.rss[i],
            self.iterations[i] as usize,
            self.evaluations[i] as usize,
            self.termination[i].expect("a converged series has a termination"),
            self.at_bound[i],
        ))
    }

    /// Every series in order, as [`BatchFits::get`] gives it.
    pub fn iter(&self) -> impl Iterator<Item = std::result::Result<LeanFit, &Error>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// How the intervals were made, if asked for with
    /// [`BatchFitter::intervals`](super::BatchFitter::intervals).
    pub fn interval_method(&self) -> Option<IntervalMethod> {
        self.intervals.as_ref().map(|i| i.method)
    }

    /// Lower ends of the parameter intervals (series × parameters), if asked for: −∞ where the
    /// data set no lower bound, NaN for a series that failed or has no degrees of freedom.
    pub fn lower(&self) -> Option<ArrayView2<'_, f64>> {
        let shape = (self.len(), self.n_params);
        let i = self.intervals.as_ref()?;
        Some(ArrayView2::from_shape(shape, &i.lower).expect("one row per series"))
    }

    /// Upper ends of the parameter intervals (series × parameters), if asked for: +∞ where
    /// the data set no upper bound.
    pub fn upper(&self) -> Option<ArrayView2<'_, f64>> {
        let shape = (self.len(), self.n_params);
        let i = self.intervals.as_ref()?;
        Some(ArrayView2::from_shape(shape, &i.upper).expect("one row per series"))
    }

    /// Copies the estimates into an owned array (series × parameters).
    pub fn to_array(&self) -> Array2<f64> {
        self.params().to_owned()
    }

    /// Copies the RSS into an owned array.
    pub fn rss_array(&self) -> Array1<f64> {
        self.rss().to_owned()
    }
}
