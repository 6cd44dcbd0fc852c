//! User-defined models from closures, and the two built-in models written with them:
//! [`richards`] (generalised logistic) and [`bass`] (Bass diffusion).

use std::fmt;
use std::sync::Arc;

use crate::error::{Error, Result};

use super::{central_difference, start_score, Logistic, Model, ParamSpec, Role, MAX_PARAMS};

type ValueFn = dyn Fn(f64, &[f64]) -> f64 + Send + Sync;
type GradientFn = dyn Fn(f64, &[f64], &mut [f64]) -> f64 + Send + Sync;
type StartFn = dyn Fn(&[f64], &[f64]) -> Option<Vec<f64>> + Send + Sync;

/// A model made of closures: a value function, optionally an analytic gradient and a self-start.
///
/// It gets everything a built-in model gets (reports, covariance, projections, bands, CSV,
/// charts). Without a gradient, [`crate::model::central_difference`] is used (about 1e-10
/// relative accuracy for smooth models; estimates and standard errors then agree with an analytic
/// gradient's to about 1e-7 relative); without a self-start, give start values
/// with [`crate::Fitter::start`].
///
/// ```
/// use growthcast::model::{CustomModel, Role};
/// use growthcast::{Fitter, Series};
/// // A saturating exponential y = a (1 - exp(-b (t - 2020))).
/// let m = CustomModel::new("saturating", &[("a", Role::Ceiling), ("b", Role::Rate)], |t, p| {
///     p[0] * (1.0 - (-p[1] * (t - 2020.0)).exp())
/// })?;
/// let s = Series::from_years("s", &[(2021.0, 39.3), (2022.0, 63.2), (2023.0, 77.7), (2024.0, 86.5)])?;
/// let fit = Fitter::new(m).start(&[100.0, 0.3]).fit(&s)?;
/// assert!((fit.param("b").unwrap().estimate - 0.5).abs() < 0.01);
/// # Ok::<(), growthcast::Error>(())
/// ```
#[derive(Clone)]
pub struct CustomModel {
    name: String,
    formula: String,
    params: Vec<ParamSpec>,
    value: Arc<ValueFn>,
    gradient: Option<Arc<GradientFn>>,
    start: Option<Arc<StartFn>>,
    span: (f64, f64),
}

impl fmt::Debug for CustomModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomModel")
            .field("name", &self.name)
            .field("params", &self.params)
            .field("analytic_gradient", &self.gradient.is_some())
            .field("self_start", &self.start.is_some())
            .finish()
    }
}

impl CustomModel {
    /// A model named `name` with parameters `(name, role)` (1 to 10, distinct names) and value
    /// `f(t, p)`. An empty name, no parameter, more than [`MAX_PARAMS`] or a repeated or empty
    /// parameter name is an [`Error::InvalidParameter`] naming it.
    pub fn new(
        name: impl Into<String>,
        params: &[(&'static str, Role)],
        value: impl Fn(f64, &[f64]) -> f64 + Send + Sync + 'static,
    ) -> Result<Self> {
        let name = name.into();
        let bad = |parameter: &str, reason: String| Error::InvalidParameter {
            model: name.clone(),
            parameter: parameter.to_string(),
            reason,
        };
        if name.trim().is_empty() {
            return Err(bad("*", "a model needs a name".into()));
        }
        if !(1..=MAX_PARAMS).contains(&params.len()) {
            return Err(bad(
                "*",
                format!(
                    "a model has 1 to {MAX_PARAMS} parameters, not {}",
                    params.len()
                ),
            ));
        }
        for (i, (p, _)) in params.iter().enumerate() {
            if p.trim().is_empty() {
                return Err(bad(p, format!("parameter {} has no name", i + 1)));
            }
            if params[..i].iter().any(|(q, _)| q == p) {
                return Err(bad(p, "the name is used twice".into()));
            }
        }
        Ok(Self::unchecked(name, params, value))
    }

    /// [`CustomModel::new`] for the built-in custom models, whose names are known to be valid.
    fn unchecked(
        name: String,
        params: &[(&'static str, Role)],
        value: impl Fn(f64, &[f64]) -> f64 + Send + Sync + 'static,
    ) -> Self {
        Self {
            formula: format!(
                "{name}(t; {})",
                params.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
            ),
            name,
            params: params
                .iter()
                .map(|&(name, role)| ParamSpec {
                    name,
                    role,
                    meaning: "user-defined parameter",
                })
                .collect(),
            value: Arc::new(value),
            gradient: None,
            start: None,
            span: (f64::NAN, f64::NAN),
        }
    }

    /// Adds an analytic gradient: `g(t, p, grad) -> f(t, p)`, writing `∂f/∂p_j` into `grad`.
    /// Check it with [`crate::model::check_gradient`].
    #[must_use]
    pub fn gradient(
        self,
        g: impl Fn(f64, &[f64], &mut [f64]) -> f64 + Send + Sync + 'static,
    ) -> Self {
        Self {
            gradient: Some(Arc::new(g)),
            ..self
        }
    }

    /// Adds a self-start: `s(t, y) -> Some(start values)`.
    #[must_use]
    pub fn self_start(
        self,
        s: impl Fn(&[f64], &[f64]) -> Option<Vec<f64>> + Send + Sync + 'static,
    ) -> Self {
        Self {
            start: Some(Arc::new(s)),
            ..self
        }
    }

    /// Sets the formula shown in reports.
    #[must_use]
    pub fn formula(self, formula: impl Into<String>) -> Self {
        Self {
            formula: formula.into(),
            ..self
        }
    }

    /// Sets the one-line meaning of each parameter, in order.
    #[must_use]
    pub fn meanings(mut self, meanings: &[&'static str]) -> Self {
        for (p, m) in self.params.iter_mut().zip(meanings) {
            p.meaning = m;
        }
        self
    }
}

impl Model for CustomModel {
    fn name(&self) -> &str {
        &self.name
    }
    fn params(&self) -> &[ParamSpec] {
        &self.params
    }
    fn formula(&self) -> String {
        self.formula.clone()
    }
    fn value(&self, t: f64, p: &[f64]) -> f64 {
        (self.value)(t, p)
    }
    fn value_and_gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
        match &self.gradient {
            Some(g) => g(t, p, grad),
            None => central_difference(self, t, p, grad),
        }
    }
    fn self_start(&self, t: &[f64], y: &[f64], fixed: &[Option<f64>]) -> Result<Vec<f64>, String> {
        let s = self
            .start
            .as_ref()
            .ok_or("this model has no self-start: give start values with Fitter::start")?;
        let mut p = s(t, y).ok_or("the self-start found no start values for these data")?;
        if p.len() != self.params.len() {
            return Err(format!(
                "the self-start gave {} values for {} parameters",
                p.len(),
                self.params.len()
            ));
        }
        for (pj, fj) in p.iter_mut().zip(fixed) {
            if let Some(v) = fj {
                *pj = *v;
            }
        }
        Ok(p)
    }
    fn anchor(&mut self, times: &[f64]) {
        if let (Some(a), Some(b)) = (times.first(), times.last()) {
            self.span = (*a, *b);
        }
    }
    /// Scans from 100 years before the data to 200 years after for the first crossing, then
    /// bisects.
    fn time_to_reach(&self, p: &[f64], level: f64) -> Option<f64> {
        let (a, b) = if self.span.0.is_finite() {
            self.span
        } else {
            (0.0, 0.0)
        };
        let (from, to) = (a - 100.0, b + 200.0);
        const N: usize = 3000;
        let g = |t: f64| self.value(t, p) - level;
        let mut prev = (from, g(from));
        for i in 1..=N {
            let t = from + (to - from) * i as f64 / N as f64;
            let v = g(t);
            if prev.1.is_finite() && v.is_finite() && (prev.1 <= 0.0) != (v <= 0.0) {
                let (mut lo, mut hi, glo) = (prev.0, t, prev.1);
                for _ in 0..100 {
                    let mid = 0.5 * (lo + hi);
                    if (g(mid) <= 0.0) == (glo <= 0.0) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                return Some(0.5 * (lo + hi));
            }
            prev = (t, v);
        }
        None
    }
}

/// Richards' generalised logistic `K (1 + ν exp(−r (t − tm)))^(−1/ν)`, with an analytic gradient
/// and a self-start (the logistic's, with `ν = 1`). `ν = 1` is the logistic; `ν → 0` the Gompertz
/// curve. Keep `ν > 0` (e.g. `Fitter::bound("nu", 1e-3, 50.0)`).
pub fn richards() -> CustomModel {
    CustomModel::unchecked(
        "richards".into(),
        &[
            ("K", Role::Ceiling),
            ("r", Role::Rate),
            ("tm", Role::Time),
            ("nu", Role::Shape),
        ],
        |t, p| p[0] * (1.0 + p[3] * (-p[1] * (t - p[2])).exp()).powf(-1.0 / p[3]),
    )
    .gradient(|t, p, g| {
        let (k, r, tm, nu) = (p[0], p[1], p[2], p[3]);
        let dt = t - tm;
        let e = (-r * dt).exp();
        let b = 1.0 + nu * e;
        let s = b.powf(-1.0 / nu);
        let f = k * s;
        g[0] = s;
        g[1] = f * e * dt / b;
        g[2] = -f * e * r / b;
        g[3] = f * (b.ln() / (nu * nu) - e / (nu * b));
        f
    })
    .self_start(|t, y| {
        let mut p = Logistic.self_start(t, y, &[None, None, None]).ok()?;
        p.push(1.0);
        Some(p)
    })
    .formula("K * (1 + nu * exp(-r * (t - tm)))^(-1/nu)")
    .meanings(&[
        "ceiling (saturation level)",
        "growth-rate constant",
        "location (where nu * exp(-r (t - tm)) = nu)",
        "shape (1: logistic, -> 0: Gompertz)",
    ])
}

/// Bass diffusion: cumulative adopters
/// `m (1 − e^(−(p+q)s)) / (1 + (q/p) e^(−(p+q)s))` with `s = t − t0`, the launch time `t0` a
/// parameter. `p` is the coefficient of innovation, `q` of imitation, `m` the market size. With an
/// analytic gradient and a self-start (a small grid of typical `p`, `q` and launch times).
pub fn bass() -> CustomModel {
    bass_probe()
        .gradient(|t, c, g| {
            let (m, p, q, t0) = (c[0], c[1], c[2], c[3]);
            let s = t - t0;
            let a = p + q;
            let e = (-a * s).exp();
            let d = 1.0 + q / p * e;
            let n = 1.0 - e;
            let d2 = d * d;
            g[0] = n / d;
            g[1] = m * (s * e * d + n * e * (q / (p * p) + q * s / p)) / d2;
            g[2] = m * (s * e * d - n * e * (1.0 / p - q * s / p)) / d2;
            g[3] = -m * a * e * (d + n * q / p) / d2;
            m * n / d
        })
        .self_start(|t, y| {
            let ymax = y.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let (first, last) = (*t.first()?, *t.last()?);
            let span = (last - first).max(1e-3);
            let probe = bass_probe();
            let mut best: Option<(f64, Vec<f64>)> = None;
            for mf in [1.1, 1.5, 2.0, 3.0, 5.0, 10.0] {
                for lead in [0.05, 0.25, 0.5, 1.0, 2.0] {
                    for (p, q) in [
                        (0.003, 0.3),
                        (0.01, 0.4),
                        (0.03, 0.4),
                        (0.01, 1.0),
                        (0.05, 1.5),
                        (0.1, 3.0),
                    ] {
                        let c = vec![mf * ymax, p, q, first - lead * span];
                        let score = start_score(&probe, &c, t, y);
                        if score.is_finite() && best.as_ref().is_none_or(|(b, _)| score < *b) {
                            best = Some((score, c));
                        }
                    }
                }
            }
            best.map(|(_, c)| c)
        })
        .formula("m * (1 - exp(-(p + q) (t - t0))) / (1 + q/p exp(-(p + q) (t - t0)))")
        .meanings(&[
            "market size (ceiling)",
            "coefficient of innovation",
            "coefficient of imitation",
            "launch time",
        ])
}

const BASS_PARAMS: [(&str, Role); 4] = [
    ("m", Role::Ceiling),
    ("p", Role::Rate),
    ("q", Role::Rate),
    ("t0", Role::Time),
];

/// Cumulative Bass adopters at `t` for `c = (m, p, q, t0)`.
fn bass_value(t: f64, c: &[f64]) -> f64 {
    let (m, p, q, t0) = (c[0], c[1], c[2], c[3]);
    let e = (-(p + q) * (t - t0)).exp();
    m * (1.0 - e) / (1.0 + q / p * e)
}

/// The Bass model with its value function alone: what [`bass`] adds the gradient and the
/// self-start to, and what scores the start candidates.
fn bass_probe() -> CustomModel {
    CustomModel::unchecked("bass".into(), &BASS_PARAMS, bass_value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::check_gradient;

    #[test]
    fn analytic_gradients_match_differences() {
        let cases: [(CustomModel, &[f64], &[f64]); 3] = [
            (
                richards(),
                &[1000.0, 1.2, 2015.0, 0.5],
                &[2010.0, 2015.0, 2020.0],
            ),
            (richards(), &[1000.0, 1.2, 2015.0, 2.5], &[2012.0, 2018.0]),
            (bass(), &[1e6, 0.03, 0.4, 2010.0], &[2011.0, 2015.0, 2025.0]),
        ];
        for (model, p, t) in &cases {
            check_gradient(model, p, t, 1e-6).unwrap();
        }
    }

    #[test]
    fn richards_with_nu_one_is_the_logistic() {
        let p = [1000.0, 1.2, 2015.0];
        for t in [2010.0, 2015.0, 2019.5] {
            approx::assert_relative_eq!(
                richards().value(t, &[p[0], p[1], p[2], 1.0]),
                Logistic.value(t, &p),
                max_relative = 1e-14
            );
        }
    }

    #[test]
    fn numeric_time_to_reach() {
        let mut m = richards();
        m.anchor(&[2010.0, 2020.0]);
        let p = [1000.0, 1.2, 2015.0, 1.0];
        let t = m.time_to_reach(&p, 800.0).unwrap();
        approx::assert_relative_eq!(
            t,
            Logistic.time_to_reach(&p[..3], 800.0).unwrap(),
            max_relative = 1e-12
        );
        assert!(m.time_to_reach(&p, 2000.0).is_none());
    }
}
