//! What the logistic and the Gompertz curve share: both are `K · s(r (t − tm))` for a sigmoid `s`
//! rising from 0 to 1, with the ceiling `K`, the continuous rate `r` and the inflection time
//! `tm`. Value, gradient, start values, inverse and inflection follow from `s` alone; each model
//! gives its `s` as a [`Sigmoid`] and [`s_curve_model!`] writes its [`super::Model`] impl.

use super::{sigmoid_start, ParamSpec, Role};

/// The sigmoid `s(z)` of an S-curve, with `z = r (t − tm)`, written in `e = exp(−z)`: the one
/// `exp()` every S-curve needs, which the block form computes for all points first.
pub(super) trait Sigmoid {
    /// `s` at `e = exp(−z)`.
    fn s(e: f64) -> f64;
    /// The slope relative to the level, `(ds/dz) / s`, from `s` and `e`.
    fn log_slope(s: f64, e: f64) -> f64;
    /// The `z` at which `s(z) = u`, for `u ∈ (0, 1)`.
    fn z_at(u: f64) -> f64;
}

/// The parameters of an S-curve: the ceiling, the rate and the inflection time, with the
/// meanings of the last two (which differ by curve).
pub(super) const fn s_curve_params(rate: &'static str, time: &'static str) -> [ParamSpec; 3] {
    [
        ParamSpec::new("K", Role::Ceiling, "ceiling (saturation level)"),
        ParamSpec::new("r", Role::Rate, rate),
        ParamSpec::new("tm", Role::Time, time),
    ]
}

/// `K · s(r (t − tm))`.
#[inline(always)]
pub(super) fn value<S: Sigmoid>(t: f64, p: &[f64]) -> f64 {
    p[0] * S::s((-p[1] * (t - p[2])).exp())
}

/// The value and its gradient: `∂f/∂K = s`, `∂f/∂r = f s'/s (t − tm)`, `∂f/∂tm = −f s'/s r`.
#[inline(always)]
pub(super) fn value_and_gradient<S: Sigmoid>(t: f64, p: &[f64], g: &mut [f64]) -> f64 {
    let (k, r, tm) = (p[0], p[1], p[2]);
    let dt = t - tm;
    let e = (-r * dt).exp();
    let s = S::s(e);
    let f = k * s;
    let d = f * S::log_slope(s, e);
    g[0] = s;
    g[1] = d * dt;
    g[2] = -d * r;
    f
}

/// [`value_and_gradient`] at a block of times, every `exp()` first (into the gradient's slots)
/// and the arithmetic after: the same numbers.
#[inline(always)]
pub(super) fn values_and_gradients<S: Sigmoid>(
    t: &[f64],
    p: &[f64],
    values: &mut [f64],
    grad: &mut [f64],
) {
    let (k, r, tm) = (p[0], p[1], p[2]);
    let n = t.len();
    let (values, grad) = (&mut values[..n], &mut grad[..3 * n]);
    for i in 0..n {
        let e = (-r * (t[i] - tm)).exp();
        grad[3 * i] = e;
        values[i] = S::s(e);
    }
    for i in 0..n {
        let dt = t[i] - tm;
        let (e, s) = (grad[3 * i], values[i]);
        let f = k * s;
        let d = f * S::log_slope(s, e);
        grad[3 * i] = s;
        grad[3 * i + 1] = d * dt;
        grad[3 * i + 2] = -d * r;
        values[i] = f;
    }
}

/// The time the curve reaches `level`: `tm + z(level / K) / r`, when `0 < level < K`.
pub(super) fn time_to_reach<S: Sigmoid>(p: &[f64], level: f64) -> Option<f64> {
    let u = level / p[0];
    (u > 0.0 && u < 1.0 && p[1] != 0.0)
        .then(|| p[2] + S::z_at(u) / p[1])
        .filter(|t| t.is_finite())
}

/// `impl Model` of an S-curve from its [`Sigmoid`] impl, its formula and the meanings of its
/// rate and inflection time. The inflection is at `tm` (`z = 0`, `e = 1`), level `K · s`.
macro_rules! s_curve_model {
    ($model:ident, $formula:literal, $rate:literal, $time:literal) => {
        const PARAMS: [ParamSpec; 3] = super::s_curve::s_curve_params($rate, $time);

        impl Model for $model {
            super::builtin_identity!($model, PARAMS);
            fn formula(&self) -> String {
                $formula.into()
            }
            #[inline(always)]
            fn value(&self, t: f64, p: &[f64]) -> f64 {
                super::s_curve::value::<Self>(t, p)
            }
            #[inline(always)]
            fn value_and_gradient(&self, t: f64, p: &[f64], g: &mut [f64]) -> f64 {
                super::s_curve::value_and_gradient::<Self>(t, p, g)
            }
            #[inline(always)]
            fn values_and_gradients(&self, t: &[f64], p: &[f64], v: &mut [f64], g: &mut [f64]) {
                super::s_curve::values_and_gradients::<Self>(t, p, v, g)
            }
            fn self_start(
                &self,
                t: &[f64],
                y: &[f64],
                fixed: &[Option<f64>],
            ) -> Result<Vec<f64>, String> {
                super::s_curve::self_start::<Self>(self, t, y, fixed)
            }
            fn inflection(&self, p: &[f64]) -> Option<(f64, f64)> {
                Some((p[2], p[0] * <Self as super::s_curve::Sigmoid>::s(1.0)))
            }
            fn time_to_reach(&self, p: &[f64], level: f64) -> Option<f64> {
                super::s_curve::time_to_reach::<Self>(p, level)
            }
        }
    };
}
pub(super) use s_curve_model;

/// Start values: [`sigmoid_start`] with the curve's inverse [`Sigmoid::z_at`].
pub(super) fn self_start<S: Sigmoid + super::Model>(
    m: &S,
    t: &[f64],
    y: &[f64],
    fixed: &[Option<f64>],
) -> Result<Vec<f64>, String> {
    sigmoid_start(m, t, y, fixed, S::z_at)
}

#[cfg(test)]
mod tests {
    use crate::model::{Gompertz, Logistic, Model};

    /// Both curves: the level at the inflection time is `K · s(0)` (`K/2`, `K/e`), and the
    /// ceiling itself is never reached.
    #[test]
    fn inflection_and_ceiling() {
        let cases: [(&dyn Model, f64); 2] =
            [(&Logistic, 0.5), (&Gompertz, 1.0 / std::f64::consts::E)];
        for (m, share) in cases {
            let p = [1000.0, 1.2, 5.0];
            approx::assert_relative_eq!(m.value(p[2], &p), share * p[0], max_relative = 1e-15);
            assert_eq!(m.inflection(&p).map(|(t, _)| t), Some(p[2]));
            approx::assert_relative_eq!(
                m.inflection(&p).unwrap().1,
                share * p[0],
                max_relative = 1e-15
            );
            assert!(m.time_to_reach(&p, p[0]).is_none(), "{}", m.name());
        }
    }
}
