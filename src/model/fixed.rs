//! A model with some parameters held at known values: the free ones are the model's parameters.

use std::sync::Arc;

use super::{Model, ParamSpec, MAX_PARAMS};
use crate::error::{Error, Result};

/// Points per call of the wrapped model's block evaluation: small, so that the stack buffer for
/// its full gradient costs little to set up on every call.
const BLOCK: usize = 8;

/// `M` with some parameters fixed at known values; its parameters are the free ones, in `M`'s
/// order.
///
/// [`crate::Fitter::fix`] fixes parameters for single fits and keeps them in the [`crate::Fit`].
/// `Fixed` does the same for the lean paths, [`crate::Solver`] and
/// [`crate::batch::BatchFitter`], which fit a model's parameters as they are: wrap the model,
/// and start values, results and columns are the free parameters. A typical use is a share
/// that saturates at 100%, or users saturating at a known population, over many series.
///
/// For a single full fit prefer [`crate::Fitter::fix`]: the [`crate::Fit`] then lists the
/// parameter as fixed and, under the multiplicative model, bounds the confidence band by a
/// fixed ceiling. A `Fitter` on a `Fixed` model works, but sees only the free parameters.
///
/// Cloning a `Fixed` clones the wrapped model and nothing else (no allocation for the built-in
/// models), and evaluating it uses only stack buffers.
///
/// ```
/// use growthcast::batch::BatchFitter;
/// use growthcast::model::Fixed;
/// use growthcast::{ErrorModel, Logistic, Model};
/// use ndarray::Array2;
///
/// // Shares that saturate at 1 (100%): fit r and tm only.
/// let t: Vec<f64> = (0..8).map(|i| 2018.0 + i as f64).collect();
/// let shares = Array2::from_shape_fn((2, 8), |(i, j)| {
///     Logistic.value(t[j], &[1.0, 0.6 + 0.2 * i as f64, 2023.0])
/// });
/// let model = Fixed::new(Logistic, &[("K", 1.0)])?;
/// assert_eq!(model.params().len(), 2); // r and tm
/// let fits = BatchFitter::new(model.clone())
///     .error_model(ErrorModel::Additive)
///     .fit(&t, &shares)?;
/// let (r, tm) = (fits.params_of(1)[0], fits.params_of(1)[1]);
/// assert!((r - 0.8).abs() < 1e-8 && (tm - 2023.0).abs() < 1e-8);
/// assert_eq!(model.full(fits.params_of(1)), [1.0, r, tm]); // K, r, tm
/// # Ok::<(), growthcast::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Fixed<M> {
    inner: M,
    /// `Some(v)` for a fixed parameter of `inner`, by `inner`'s index.
    values: [Option<f64>; MAX_PARAMS],
    /// `inner`'s index of each free parameter (the first `specs.len()`).
    free: [usize; MAX_PARAMS],
    // Shared, so that cloning (as the solver does once per fit) allocates nothing.
    specs: Arc<[ParamSpec]>,
    name: Arc<str>,
}

impl<M: Model + Clone> Fixed<M> {
    /// `model` with the named parameters fixed at the given values.
    ///
    /// Errors ([`Error::InvalidParameter`]) on an unknown or repeated name, a value that is not
    /// finite, or fixing every parameter.
    pub fn new(model: M, fixed: &[(&str, f64)]) -> Result<Self> {
        let specs = model.params();
        let bad = |parameter: &str, reason: String| Error::InvalidParameter {
            model: model.name().to_string(),
            parameter: parameter.to_string(),
            reason,
        };
        if specs.len() > MAX_PARAMS {
            return Err(bad(
                specs[MAX_PARAMS].name,
                format!(
                    "the model has {} parameters, more than {MAX_PARAMS}",
                    specs.len()
                ),
            ));
        }
        let mut values = [None; MAX_PARAMS];
        for &(name, value) in fixed {
            let j = specs.iter().position(|s| s.name == name).ok_or_else(|| {
                let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
                bad(name, format!("no such parameter (the model has {known:?})"))
            })?;
            if values[j].is_some() {
                return Err(bad(name, "fixed twice".into()));
            }
            if !value.is_finite() {
                return Err(bad(name, format!("fixed value {value} is not finite")));
            }
            values[j] = Some(value);
        }
        let free_list: Vec<usize> = (0..specs.len()).filter(|&j| values[j].is_none()).collect();
        if free_list.is_empty() {
            return Err(bad(
                specs.last().map_or("", |s| s.name),
                "every parameter is fixed: nothing is left to fit".into(),
            ));
        }
        let held = held(specs, &values);
        let name = if held.is_empty() {
            model.name().to_string()
        } else {
            format!("{} ({held})", model.name())
        };
        let mut free = [0; MAX_PARAMS];
        free[..free_list.len()].copy_from_slice(&free_list);
        Ok(Fixed {
            specs: free_list.iter().map(|&j| specs[j]).collect(),
            inner: model,
            values,
            free,
            name: name.into(),
        })
    }

    /// `model` with the fixed values of `constraints` held (e.g. those of a
    /// [`crate::fit::FitOptions`] shared with a [`crate::Fitter`]), for the lean paths, which
    /// refuse fixed values in their options.
    ///
    /// Only `constraints.fixed` is used: bounds are kept to by the fit, not the model, so hand
    /// them to the [`crate::Solver`] or [`crate::batch::BatchFitter`] in its options (with
    /// `constraints.fixed` cleared). Errors as [`Fixed::new`].
    ///
    /// ```
    /// use growthcast::fit::{Constraints, FitOptions, Solver};
    /// use growthcast::model::Fixed;
    /// use growthcast::{Logistic, Model};
    /// let mut options = FitOptions::new();
    /// options.constraints.fixed.push(("K".into(), 1.0));
    /// options.constraints.bounds.push(("r".into(), 0.0, 5.0));
    /// let model = Fixed::from_constraints(Logistic, &options.constraints)?;
    /// assert_eq!(model.params().len(), 2); // r and tm
    /// options.constraints.fixed.clear();
    /// let t: Vec<f64> = (0..8).map(|i| i as f64).collect();
    /// let y: Vec<f64> = t.iter().map(|&t| Logistic.value(t, &[1.0, 0.8, 4.0])).collect();
    /// let fit = Solver::new(model).options(options).fit(&t, &y, &[0.5, 3.0])?;
    /// assert!((fit.params()[0] - 0.8).abs() < 1e-6);
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn from_constraints(model: M, constraints: &crate::fit::Constraints) -> Result<Self> {
        let fixed: Vec<(&str, f64)> = constraints
            .fixed
            .iter()
            .map(|(name, v)| (name.as_str(), *v))
            .collect();
        Self::new(model, &fixed)
    }

    /// The wrapped model.
    pub fn inner(&self) -> &M {
        &self.inner
    }

    /// All of the wrapped model's parameters, from the free ones (`free.len()` must be
    /// `self.params().len()`): the fixed values put back in their places.
    pub fn full(&self, free: &[f64]) -> Vec<f64> {
        let mut p = [0.0; MAX_PARAMS];
        self.fill(free, &mut p).to_vec()
    }

    /// `inner`'s index of each free parameter.
    fn free(&self) -> &[usize] {
        &self.free[..self.specs.len()]
    }

    /// Writes every parameter of the wrapped model into `p` and returns that slice.
    fn fill<'p>(&self, free: &[f64], p: &'p mut [f64; MAX_PARAMS]) -> &'p [f64] {
        let n = self.inner.params().len();
        for j in 0..n {
            p[j] = self.values[j].unwrap_or(0.0);
        }
        for (&j, &v) in self.free().iter().zip(free) {
            p[j] = v;
        }
        &p[..n]
    }
}

impl<M: Model + Clone> Model for Fixed<M> {
    fn name(&self) -> &str {
        &self.name
    }

    fn params(&self) -> &[ParamSpec] {
        &self.specs
    }

    fn formula(&self) -> String {
        let held = held(self.inner.params(), &self.values);
        if held.is_empty() {
            self.inner.formula()
        } else {
            format!("{} with {held}", self.inner.formula())
        }
    }

    fn value(&self, t: f64, p: &[f64]) -> f64 {
        let mut full = [0.0; MAX_PARAMS];
        self.inner.value(t, self.fill(p, &mut full))
    }

    fn value_and_gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
        let mut full = [0.0; MAX_PARAMS];
        let mut g = [0.0; MAX_PARAMS];
        let full = self.fill(p, &mut full);
        let v = self.inner.value_and_gradient(t, full, &mut g[..full.len()]);
        for (out, &j) in grad.iter_mut().zip(self.free()) {
            *out = g[j];
        }
        v
    }

    fn values_and_gradients(&self, t: &[f64], p: &[f64], values: &mut [f64], grad: &mut [f64]) {
        let mut full = [0.0; MAX_PARAMS];
        let full = self.fill(p, &mut full);
        let (n_all, n_free) = (full.len(), self.free().len());
        let mut g = [0.0; BLOCK * MAX_PARAMS];
        for (b, (tb, vb)) in t.chunks(BLOCK).zip(values.chunks_mut(BLOCK)).enumerate() {
            let gb = &mut g[..tb.len() * n_all];
            self.inner.values_and_gradients(tb, full, vb, gb);
            let out = &mut grad[b * BLOCK * n_free..];
            for (i, row) in gb.chunks_exact(n_all).enumerate() {
                for (k, &j) in self.free().iter().enumerate() {
                    out[i * n_free + k] = row[j];
                }
            }
        }
    }

    fn self_start(&self, t: &[f64], y: &[f64], fixed: &[Option<f64>]) -> Result<Vec<f64>, String> {
        let mut all = self.values;
        for (&j, &f) in self.free().iter().zip(fixed) {
            all[j] = f;
        }
        let n = self.inner.params().len();
        let s = self.inner.self_start(t, y, &all[..n])?;
        if s.len() != n {
            return Err(format!(
                "self-start gave {} values for {n} parameters",
                s.len()
            ));
        }
        Ok(self.free().iter().map(|&j| s[j]).collect())
    }

    fn anchor(&mut self, times: &[f64]) {
        self.inner.anchor(times);
    }

    fn intrinsic_rate(&self, p: &[f64]) -> Option<f64> {
        let mut full = [0.0; MAX_PARAMS];
        self.inner.intrinsic_rate(self.fill(p, &mut full))
    }

    fn inflection(&self, p: &[f64]) -> Option<(f64, f64)> {
        let mut full = [0.0; MAX_PARAMS];
        self.inner.inflection(self.fill(p, &mut full))
    }

    fn time_to_reach(&self, p: &[f64], level: f64) -> Option<f64> {
        let mut full = [0.0; MAX_PARAMS];
        self.inner.time_to_reach(self.fill(p, &mut full), level)
    }

    fn ceiling(&self, p: &[f64]) -> Option<f64> {
        let mut full = [0.0; MAX_PARAMS];
        self.inner.ceiling(self.fill(p, &mut full))
    }
}

/// `"K = 1, nu = 2.5"`: the held parameters in the model's order, numbers short.
fn held(specs: &[ParamSpec], values: &[Option<f64>; MAX_PARAMS]) -> String {
    let num = |v: f64| {
        if v == 0.0 || (1e-3..1e6).contains(&v.abs()) {
            format!("{v}")
        } else {
            format!("{v:e}")
        }
    };
    specs
        .iter()
        .zip(values)
        .filter_map(|(s, v)| Some(format!("{} = {}", s.name, num((*v)?))))
        .collect::<Vec<_>>()
        .join(", ")
}
