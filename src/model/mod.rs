//! Growth models: the [`Model`] trait and the built-in curves.
//!
//! | model | formula | parameters |
//! |---|---|---|
//! | [`Exponential`] | `y0 · exp(r (t − t0))` | level `y0` at the reference time `t0`, rate `r` |
//! | [`Logistic`] | `K / (1 + exp(−r (t − tm)))` | ceiling `K`, rate `r`, inflection time `tm` |
//! | [`Gompertz`] | `K · exp(−exp(−r (t − tm)))` | ceiling `K`, rate `r`, inflection time `tm` |
//! | [`Linear`] | `a + b (t − t0)` | level `a` at `t0`, slope `b` |
//!
//! Time `t` is a decimal year on the calendar axis (rates per year), or a number in the series'
//! own unit ([`crate::axis`]; rates per that unit). The reference time `t0` of the exponential
//! and linear models is a constant, not a parameter: by default the time of the first
//! observation, so that `y0` and `a` read as "the level at the start of the data".
//!
//! [`Builtin`] names every built-in model (these four, [`richards`] and [`bass`]) and parses
//! them from text.

use std::fmt::Debug;

use dyn_clone::DynClone;
use serde::Serialize;

mod custom;
mod exponential;
mod fixed;
mod gompertz;
mod linear;
mod logistic;
mod registry;
mod s_curve;

pub use custom::{bass, richards, CustomModel};
pub use exponential::Exponential;
pub use fixed::Fixed;
pub use gompertz::Gompertz;
pub use linear::Linear;
pub use logistic::Logistic;
pub use registry::{Builtin, UnknownModel};

/// The most parameters a model may have.
pub const MAX_PARAMS: usize = 10;

/// What a parameter means, which fixes its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A level in the unit of the data (e.g. the value at the reference time).
    Level,
    /// A saturation level (carrying capacity) in the unit of the data.
    Ceiling,
    /// A continuous rate, per unit of time (per year on the calendar axis).
    Rate,
    /// A point in time (a decimal year on the calendar axis).
    Time,
    /// A slope: unit of the data per unit of time.
    Slope,
    /// A dimensionless shape parameter.
    Shape,
}

impl Role {
    /// The unit of a parameter of this role for data in `unit` on a time axis.
    ///
    /// ```
    /// use growthcast::{Role, TimeAxis};
    /// assert_eq!(Role::Rate.unit("people", &TimeAxis::Calendar), "1/year");
    /// assert_eq!(Role::Slope.unit("g", &TimeAxis::numeric("day")?), "g per day");
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn unit(self, unit: &str, axis: &crate::axis::TimeAxis) -> String {
        let u = if unit.is_empty() { "units" } else { unit };
        match self {
            Role::Level | Role::Ceiling => u.to_string(),
            Role::Rate => axis.rate_unit(),
            Role::Time => axis.unit().to_string(),
            Role::Slope => format!("{u} per {}", axis.unit()),
            Role::Shape => "1".to_string(),
        }
    }
}

/// Name, role and meaning of one model parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ParamSpec {
    /// Short name used in reports and in [`crate::Fitter::fix`] (`"K"`, `"r"`, …).
    pub name: &'static str,
    /// What it is, which fixes its unit.
    pub role: Role,
    /// One line of meaning, for reports.
    pub meaning: &'static str,
}

impl ParamSpec {
    /// A parameter's name, role and meaning, in a `const` table of a model's parameters.
    pub const fn new(name: &'static str, role: Role, meaning: &'static str) -> Self {
        Self {
            name,
            role,
            meaning,
        }
    }
}

/// `Model::name` and `Model::params` of a built-in model: its name as [`Builtin::name`] gives
/// it and its `const` table of parameters.
macro_rules! builtin_identity {
    ($builtin:ident, $params:expr) => {
        fn name(&self) -> &str {
            super::Builtin::$builtin.name()
        }
        fn params(&self) -> &[ParamSpec] {
            &$params
        }
    };
}
use builtin_identity;

/// `new`, `with_reference` and the reference time of a model whose one constant is a
/// reference time `t0: Option<f64>` (the exponential and the line), and the anchoring that
/// sets it to the first data time unless fixed.
macro_rules! reference_time {
    ($model:ident, $a:literal) => {
        impl $model {
            #[doc = concat!($a, " with its reference time set to the first observation when fitted.")]
            pub fn new() -> Self {
                Self::default()
            }

            #[doc = concat!($a, " with a fixed reference time (decimal year).")]
            pub fn with_reference(t0: f64) -> Self {
                Self { t0: Some(t0) }
            }

            #[inline(always)]
            fn origin(&self) -> f64 {
                self.t0.unwrap_or(0.0)
            }

            /// [`Model::anchor`]: the first data time, unless the reference time is fixed.
            fn anchor_first(&mut self, times: &[f64]) {
                if self.t0.is_none() {
                    self.t0 = times.first().copied();
                }
            }
        }
    };
}
use reference_time;

/// A growth curve `f(t; p)`.
///
/// Implement `value`; implement `value_and_gradient` for an analytic Jacobian (the default uses
/// central finite differences). The fitter calls [`Model::anchor`] once with the data times
/// before fitting, then [`Model::self_start`] for start values unless the user gave them.
///
/// `p` always holds every parameter (fixed ones included), in the order of
/// [`Model::params`].
pub trait Model: Debug + Send + Sync + DynClone {
    /// Short lowercase name (`"logistic"`).
    fn name(&self) -> &str;

    /// The parameters, in order.
    fn params(&self) -> &[ParamSpec];

    /// The formula, for reports (may show the reference time).
    fn formula(&self) -> String;

    /// `f(t; p)`.
    fn value(&self, t: f64, p: &[f64]) -> f64;

    /// `f(t; p)` and its gradient with respect to every parameter, written into `grad`
    /// (`grad.len() == p.len()`).
    ///
    /// The default uses central differences with step `h_j = ε^(1/3) · max(|p_j|, 1e-8)`
    /// (`ε` the machine epsilon), which is accurate to about 1e-10 relative for smooth models.
    fn value_and_gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
        central_difference(self, t, p, grad)
    }

    /// `f` and its gradient at a block of times at once: `values[i] = f(t[i]; p)` and
    /// `grad[i * p.len() + j] = ∂f/∂p_j` at `t[i]`, with `values.len() == t.len()` and
    /// `grad.len() == t.len() * p.len()`. The lean solver calls it on blocks of up to 32 points.
    ///
    /// The default calls [`Model::value_and_gradient`] point by point. The built-in models
    /// override it to compute every `exp()` of the block first and the arithmetic after, which
    /// keeps the solver's accumulators in registers across the calls; an override must give
    /// the same numbers as `value_and_gradient`.
    #[inline]
    fn values_and_gradients(&self, t: &[f64], p: &[f64], values: &mut [f64], grad: &mut [f64]) {
        let np = p.len();
        for (i, (&ti, v)) in t.iter().zip(values.iter_mut()).enumerate() {
            *v = self.value_and_gradient(ti, p, &mut grad[i * np..(i + 1) * np]);
        }
    }

    /// Start values from the data (`y` as observed), honouring fixed values where given
    /// (`fixed[j] = Some(v)`). An error says why no start could be found.
    fn self_start(&self, t: &[f64], y: &[f64], fixed: &[Option<f64>]) -> Result<Vec<f64>, String>;

    /// Chooses data-dependent constants (such as a reference time) from the sorted data times.
    fn anchor(&mut self, _times: &[f64]) {}

    /// The continuous growth rate per year that sets the curve's early or constant growth
    /// (`r` of exponential, logistic and Gompertz), if the model has one.
    ///
    /// The default is the one parameter with the [`Role::Rate`] role, when there is exactly one
    /// (Bass's `p` and `q` are two rates, so Bass has no single intrinsic rate).
    fn intrinsic_rate(&self, p: &[f64]) -> Option<f64> {
        let mut rates = self
            .params()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.role == Role::Rate);
        match (rates.next(), rates.next()) {
            (Some((i, _)), None) => Some(p[i]),
            _ => None,
        }
    }

    /// Time and level of the inflection point, if the curve has one.
    fn inflection(&self, _p: &[f64]) -> Option<(f64, f64)> {
        None
    }

    /// The time at which the curve reaches `level`, if it ever does.
    fn time_to_reach(&self, p: &[f64], level: f64) -> Option<f64>;

    /// The saturation level, if the model has one. The default is the parameter with the
    /// [`Role::Ceiling`] role.
    fn ceiling(&self, p: &[f64]) -> Option<f64> {
        self.param_of(Role::Ceiling).map(|i| p[i])
    }

    /// The index of the first parameter with this role (the ceiling, the rate, …): what code
    /// asks instead of guessing from a parameter's name.
    ///
    /// ```
    /// use growthcast::model::{Model, Role};
    /// assert_eq!(growthcast::Logistic.param_of(Role::Ceiling), Some(0));
    /// assert_eq!(growthcast::Exponential::new().param_of(Role::Ceiling), None);
    /// ```
    fn param_of(&self, role: Role) -> Option<usize> {
        self.params().iter().position(|p| p.role == role)
    }
}

dyn_clone::clone_trait_object!(Model);

/// A boxed model is a model: lets a model chosen at run time go through a [`crate::Fitter`].
impl Model for Box<dyn Model> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn params(&self) -> &[ParamSpec] {
        (**self).params()
    }
    fn formula(&self) -> String {
        (**self).formula()
    }
    fn value(&self, t: f64, p: &[f64]) -> f64 {
        (**self).value(t, p)
    }
    fn value_and_gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
        (**self).value_and_gradient(t, p, grad)
    }
    #[inline]
    fn values_and_gradients(&self, t: &[f64], p: &[f64], values: &mut [f64], grad: &mut [f64]) {
        (**self).values_and_gradients(t, p, values, grad)
    }
    fn self_start(&self, t: &[f64], y: &[f64], fixed: &[Option<f64>]) -> Result<Vec<f64>, String> {
        (**self).self_start(t, y, fixed)
    }
    fn anchor(&mut self, times: &[f64]) {
        (**self).anchor(times)
    }
    fn intrinsic_rate(&self, p: &[f64]) -> Option<f64> {
        (**self).intrinsic_rate(p)
    }
    fn inflection(&self, p: &[f64]) -> Option<(f64, f64)> {
        (**self).inflection(p)
    }
    fn time_to_reach(&self, p: &[f64], level: f64) -> Option<f64> {
        (**self).time_to_reach(p, level)
    }
    fn ceiling(&self, p: &[f64]) -> Option<f64> {
        (**self).ceiling(p)
    }
    fn param_of(&self, role: Role) -> Option<usize> {
        (**self).param_of(role)
    }
}

/// The names [`by_name`] knows: [`Builtin::name`] of every model in [`Builtin::ALL`].
pub const MODEL_NAMES: [&str; 6] = {
    let mut names = [""; 6];
    let mut i = 0;
    while i < names.len() {
        names[i] = Builtin::ALL[i].name();
        i += 1;
    }
    names
};

/// A built-in model by name (case-insensitive): `exponential` (or `exp`), `logistic`,
/// `gompertz`, `linear`, `richards` ([`richards`]) or `bass` ([`bass`]). The same as parsing
/// a [`Builtin`], for callers that want no error.
///
/// ```
/// let m = growthcast::model::by_name("Logistic").unwrap();
/// assert_eq!(m.name(), "logistic");
/// assert!(growthcast::model::by_name("cubic").is_none());
/// ```
pub fn by_name(name: &str) -> Option<Box<dyn Model>> {
    name.parse::<Builtin>().ok().map(Builtin::model)
}

/// `f(t; p)` with its gradient by central differences with one Richardson extrapolation
/// (`(4 D(h/2) − D(h)) / 3`, error of order `h⁴`), step `h_j = ε^(1/3) · max(|p_j|, 1e-8)`
/// (`ε` the machine epsilon): about 1e-10 relative accuracy for smooth models, also for location
/// parameters such as an inflection year whose magnitude says nothing of the curve's scale. The
/// fallback of [`Model::value_and_gradient`]; four evaluations per parameter.
pub fn central_difference<M: Model + ?Sized>(m: &M, t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
    let mut q = [0.0; MAX_PARAMS];
    let q = &mut q[..p.len()];
    q.copy_from_slice(p);
    let h0 = f64::EPSILON.cbrt();
    for j in 0..p.len() {
        let h = h0 * p[j].abs().max(1e-8);
        let mut diff = |h: f64| {
            q[j] = p[j] + h;
            let up = m.value(t, q);
            q[j] = p[j] - h;
            let down = m.value(t, q);
            q[j] = p[j];
            (up - down) / (2.0 * h)
        };
        let (wide, narrow) = (diff(h), diff(0.5 * h));
        grad[j] = (4.0 * narrow - wide) / 3.0;
    }
    m.value(t, p)
}

/// Checks a model's `value_and_gradient` against central differences of `value` at `p` and each
/// time in `times`: every partial derivative must agree within `rel_tol` (relative to the larger
/// of the two, plus the rounding noise of the difference quotient). It also checks that
/// [`Model::values_and_gradients`] gives exactly the numbers of `value_and_gradient`. Returns a
/// message naming the first disagreement.
///
/// ```
/// use growthcast::model::{check_gradient, Logistic};
/// check_gradient(&Logistic, &[1000.0, 1.2, 5.0], &[0.0, 5.0, 9.0], 1e-6).unwrap();
/// ```
pub fn check_gradient<M: Model + ?Sized>(
    m: &M,
    p: &[f64],
    times: &[f64],
    rel_tol: f64,
) -> Result<(), String> {
    let mut g = vec![0.0; p.len()];
    // The block form gives the same numbers as the point form.
    let np = p.len();
    let (mut fb, mut gb) = (vec![0.0; times.len()], vec![0.0; times.len() * np]);
    m.values_and_gradients(times, p, &mut fb, &mut gb);
    for (i, &t) in times.iter().enumerate() {
        let v = m.value_and_gradient(t, p, &mut g);
        if fb[i].to_bits() != v.to_bits() || gb[i * np..(i + 1) * np] != g[..] {
            return Err(format!(
                "{}: values_and_gradients gives {} and {:?} but value_and_gradient gives {v} \
                 and {g:?} at t = {t}",
                m.name(),
                fb[i],
                &gb[i * np..(i + 1) * np]
            ));
        }
    }
    for &t in times {
        let v = m.value_and_gradient(t, p, &mut g);
        let v0 = m.value(t, p);
        if (v - v0).abs() > 1e-12 * v0.abs().max(1e-300) {
            return Err(format!(
                "{}: value_and_gradient gives {v} but value gives {v0} at t = {t}",
                m.name()
            ));
        }
        for j in 0..p.len() {
            let h = 1e-7 * p[j].abs().max(1.0);
            let mut q = p.to_vec();
            q[j] += h;
            let up = m.value(t, &q);
            q[j] -= 2.0 * h;
            let down = m.value(t, &q);
            let num = (up - down) / (2.0 * h);
            // Rounding noise of the difference quotient itself.
            let noise = 100.0 * f64::EPSILON * v.abs().max(up.abs()) / h;
            let scale = num.abs().max(g[j].abs());
            if (num - g[j]).abs() > rel_tol * scale + noise {
                return Err(format!(
                    "{} d/d{} at t = {t}: analytic {} vs numeric {num}",
                    m.name(),
                    m.params()[j].name,
                    g[j]
                ));
            }
        }
    }
    Ok(())
}

/// Ordinary least squares `y = a + b x`; `None` with fewer than two distinct `x`.
pub(crate) fn linreg(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let n = x.len() as f64;
    if x.len() < 2 {
        return None;
    }
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for (xi, yi) in x.iter().zip(y) {
        sxx += (xi - mx) * (xi - mx);
        sxy += (xi - mx) * (yi - my);
    }
    if sxx <= 0.0 || !sxx.is_finite() {
        return None;
    }
    let b = sxy / sxx;
    let a = my - b * mx;
    (a.is_finite() && b.is_finite()).then_some((a, b))
}

/// Sum of squared residuals of a model at `p`, in log space when every value and fitted value
/// is positive (the scale-free choice for ranking start candidates), else additive.
pub(crate) fn start_score(m: &dyn Model, p: &[f64], t: &[f64], y: &[f64]) -> f64 {
    let log_y: Option<Vec<f64>> = y
        .iter()
        .all(|&v| v > 0.0)
        .then(|| y.iter().map(|v| v.ln()).collect());
    start_score_with(m, p, t, y, log_y.as_deref(), f64::INFINITY)
}

/// [`start_score`] with `ln y` given (`log_y`, when every value is positive). Stops early,
/// returning a partial sum above `beat`, once the sum passes `beat`: a candidate that cannot
/// win costs less, and the winner is the same.
fn start_score_with<M: Model + ?Sized>(
    m: &M,
    p: &[f64],
    t: &[f64],
    y: &[f64],
    log_y: Option<&[f64]>,
    beat: f64,
) -> f64 {
    let mut s = 0.0;
    match log_y {
        Some(ly) => {
            for (&ti, &lyi) in t.iter().zip(ly) {
                let f = m.value(ti, p);
                if f <= 0.0 {
                    return f64::INFINITY;
                }
                let r = lyi - f.ln();
                s += r * r;
                if s > beat {
                    return s;
                }
            }
        }
        None => {
            for (&ti, &yi) in t.iter().zip(y) {
                let r = yi - m.value(ti, p);
                s += r * r;
                if s > beat {
                    return s;
                }
            }
        }
    }
    if s.is_finite() {
        s
    } else {
        f64::INFINITY
    }
}

/// Self-start shared by the sigmoid models: for each candidate ceiling `K`, a linear regression of
/// `z(y/K)` on `t` gives `r` and `tm` (`z = r (t − tm)`); the candidate with the lowest
/// [`start_score`] wins. `transform` maps `y/K ∈ (0, 1)` to `z`.
pub(crate) fn sigmoid_start<M: Model + ?Sized>(
    m: &M,
    t: &[f64],
    y: &[f64],
    fixed: &[Option<f64>],
    transform: impl Fn(f64) -> f64,
) -> Result<Vec<f64>, String> {
    let mut p = sigmoid_candidates(m, t, y, fixed[0], transform)?;
    for (pj, fj) in p.iter_mut().zip(fixed) {
        if let Some(v) = fj {
            *pj = *v;
        }
    }
    Ok(p)
}

fn sigmoid_candidates<M: Model + ?Sized>(
    m: &M,
    t: &[f64],
    y: &[f64],
    fixed_k: Option<f64>,
    transform: impl Fn(f64) -> f64,
) -> Result<Vec<f64>, String> {
    let ymax = y.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if ymax.is_nan() || ymax <= 0.0 {
        return Err("the largest value is not positive".into());
    }
    const FACTORS: [f64; 12] = [
        1.01, 1.03, 1.07, 1.15, 1.3, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0,
    ];
    let fixed = fixed_k.map(|k| [k]);
    let candidates = match &fixed {
        Some(k) => &k[..],
        None => &FACTORS[..],
    };
    // Scratch for ln y and the regression's x and z: on the stack for short series.
    let n = t.len();
    let (mut stack, mut heap) = ([0.0; 3 * 64], Vec::new());
    let scratch: &mut [f64] = if n <= 64 {
        &mut stack[..3 * n]
    } else {
        heap.resize(3 * n, 0.0);
        &mut heap
    };
    let (ly, rest) = scratch.split_at_mut(n);
    let (x, z) = rest.split_at_mut(n);
    let positive = y.iter().all(|&v| v > 0.0);
    if positive {
        for (l, v) in ly.iter_mut().zip(y) {
            *l = v.ln();
        }
    }
    let log_y = positive.then_some(&*ly);
    let mut best: Option<(f64, [f64; 3])> = None;
    for &c in candidates {
        let k = if fixed.is_some() { c } else { c * ymax };
        let mut used = 0;
        for (&ti, &yi) in t.iter().zip(y) {
            if yi > 0.0 && yi < k {
                x[used] = ti;
                z[used] = transform(yi / k);
                used += 1;
            }
        }
        let Some((a, b)) = linreg(&x[..used], &z[..used]) else {
            continue;
        };
        if b == 0.0 {
            continue;
        }
        let p = [k, b, -a / b];
        let beat = best.as_ref().map_or(f64::INFINITY, |b| b.0);
        let score = start_score_with(m, &p, t, y, log_y, beat);
        if score.is_finite() && best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, p));
        }
    }
    best.map(|(_, p)| p.to_vec()).ok_or_else(|| {
        "need at least two points with distinct times strictly between 0 and the ceiling".into()
    })
}
