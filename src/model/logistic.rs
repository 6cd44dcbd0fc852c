use super::{builtin_identity, sigmoid_start, Model, ParamSpec, Role};

/// Logistic growth `K / (1 + exp(−r (t − tm)))`.
///
/// `K` is the ceiling (saturation level), `r` the early-phase continuous rate per year and `tm`
/// the inflection time, where the curve is at `K/2` and grows fastest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Logistic;

const PARAMS: [ParamSpec; 3] = [
    ParamSpec::new("K", Role::Ceiling, "ceiling (saturation level)"),
    ParamSpec::new("r", Role::Rate, "early-phase continuous growth rate"),
    ParamSpec::new("tm", Role::Time, "inflection time (level K/2)"),
];

impl Model for Logistic {
    builtin_identity!(Logistic, PARAMS);
    fn formula(&self) -> String {
        "K / (1 + exp(-r * (t - tm)))".into()
    }
    #[inline(always)]
    fn value(&self, t: f64, p: &[f64]) -> f64 {
        p[0] / (1.0 + (-p[1] * (t - p[2])).exp())
    }
    #[inline(always)]
    fn value_and_gradient(&self, t: f64, p: &[f64], g: &mut [f64]) -> f64 {
        let (k, r, tm) = (p[0], p[1], p[2]);
        let dt = t - tm;
        let e = (-r * dt).exp();
        let s = 1.0 / (1.0 + e);
        let f = k * s;
        // d f / d(r dt) = K s (1 - s)
        let ks1s = f * (1.0 - s);
        g[0] = s;
        g[1] = ks1s * dt;
        g[2] = -ks1s * r;
        f
    }
    #[inline(always)]
    fn values_and_gradients(&self, t: &[f64], p: &[f64], values: &mut [f64], grad: &mut [f64]) {
        let (k, r, tm) = (p[0], p[1], p[2]);
        let n = t.len();
        let (values, grad) = (&mut values[..n], &mut grad[..3 * n]);
        for i in 0..n {
            values[i] = (-r * (t[i] - tm)).exp();
        }
        for i in 0..n {
            let dt = t[i] - tm;
            let s = 1.0 / (1.0 + values[i]);
            let f = k * s;
            let ks1s = f * (1.0 - s);
            grad[3 * i] = s;
            grad[3 * i + 1] = ks1s * dt;
            grad[3 * i + 2] = -ks1s * r;
            values[i] = f;
        }
    }
    fn self_start(&self, t: &[f64], y: &[f64], fixed: &[Option<f64>]) -> Result<Vec<f64>, String> {
        sigmoid_start(self, t, y, fixed, |u| (u / (1.0 - u)).ln())
    }
    fn inflection(&self, p: &[f64]) -> Option<(f64, f64)> {
        Some((p[2], p[0] / 2.0))
    }
    fn time_to_reach(&self, p: &[f64], level: f64) -> Option<f64> {
        let u = level / p[0];
        (u > 0.0 && u < 1.0 && p[1] != 0.0)
            .then(|| p[2] + (u / (1.0 - u)).ln() / p[1])
            .filter(|t| t.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::check_gradient;

    #[test]
    fn gradient_and_inverse() {
        let p = [1000.0, 1.2, 5.0];
        check_gradient(&Logistic, &p, &[0.0, 4.0, 5.0, 9.5], 1e-6).unwrap();
        let t = Logistic.time_to_reach(&p, 800.0).unwrap();
        approx::assert_relative_eq!(Logistic.value(t, &p), 800.0, max_relative = 1e-12);
        assert!(Logistic.time_to_reach(&p, 1000.0).is_none());
        assert_eq!(Logistic.value(5.0, &p), 500.0);
    }

    #[test]
    fn self_start_is_close_on_exact_curve() {
        let p = [1000.0, 1.2, 5.0];
        let t: Vec<f64> = (0..11).map(f64::from).collect();
        let y: Vec<f64> = t.iter().map(|&ti| Logistic.value(ti, &p)).collect();
        let s = Logistic.self_start(&t, &y, &[None, None, None]).unwrap();
        approx::assert_relative_eq!(s[0], 1000.0, max_relative = 0.1);
        approx::assert_relative_eq!(s[2], 5.0, max_relative = 0.05);
        let s = Logistic
            .self_start(&t, &y, &[Some(1000.0), None, None])
            .unwrap();
        approx::assert_relative_eq!(s[1], 1.2, max_relative = 1e-10);
    }
}
