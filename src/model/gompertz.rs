use super::{builtin_identity, sigmoid_start, Model, ParamSpec, Role};

/// Gompertz growth `K · exp(−exp(−r (t − tm)))`.
///
/// An S-curve that rises fast and saturates slowly. `K` is the ceiling, `r` the continuous rate
/// per year and `tm` the inflection time, where the curve is at `K/e` (about 37% of the ceiling).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gompertz;

const PARAMS: [ParamSpec; 3] = [
    ParamSpec::new("K", Role::Ceiling, "ceiling (saturation level)"),
    ParamSpec::new("r", Role::Rate, "continuous growth-rate constant"),
    ParamSpec::new("tm", Role::Time, "inflection time (level K/e)"),
];

impl Model for Gompertz {
    builtin_identity!(Gompertz, PARAMS);
    fn formula(&self) -> String {
        "K * exp(-exp(-r * (t - tm)))".into()
    }
    #[inline(always)]
    fn value(&self, t: f64, p: &[f64]) -> f64 {
        p[0] * (-(-p[1] * (t - p[2])).exp()).exp()
    }
    #[inline(always)]
    fn value_and_gradient(&self, t: f64, p: &[f64], g: &mut [f64]) -> f64 {
        let (k, r, tm) = (p[0], p[1], p[2]);
        let dt = t - tm;
        let e = (-r * dt).exp();
        let s = (-e).exp();
        let f = k * s;
        let fe = f * e;
        g[0] = s;
        g[1] = fe * dt;
        g[2] = -fe * r;
        f
    }
    #[inline(always)]
    fn values_and_gradients(&self, t: &[f64], p: &[f64], values: &mut [f64], grad: &mut [f64]) {
        let (k, r, tm) = (p[0], p[1], p[2]);
        let n = t.len();
        let (values, grad) = (&mut values[..n], &mut grad[..3 * n]);
        for i in 0..n {
            let e = (-r * (t[i] - tm)).exp();
            grad[3 * i] = e;
            values[i] = (-e).exp();
        }
        for i in 0..n {
            let dt = t[i] - tm;
            let (e, s) = (grad[3 * i], values[i]);
            let f = k * s;
            let fe = f * e;
            grad[3 * i] = s;
            grad[3 * i + 1] = fe * dt;
            grad[3 * i + 2] = -fe * r;
            values[i] = f;
        }
    }
    fn self_start(&self, t: &[f64], y: &[f64], fixed: &[Option<f64>]) -> Result<Vec<f64>, String> {
        sigmoid_start(self, t, y, fixed, |u| -(-u.ln()).ln())
    }
    fn inflection(&self, p: &[f64]) -> Option<(f64, f64)> {
        Some((p[2], p[0] / std::f64::consts::E))
    }
    fn time_to_reach(&self, p: &[f64], level: f64) -> Option<f64> {
        let u = level / p[0];
        (u > 0.0 && u < 1.0 && p[1] != 0.0)
            .then(|| p[2] - (-u.ln()).ln() / p[1])
            .filter(|t| t.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::check_gradient;

    #[test]
    fn gradient_and_inverse() {
        let p = [500.0, 0.6, 2014.0];
        check_gradient(&Gompertz, &p, &[2010.0, 2014.0, 2021.0], 1e-6).unwrap();
        let t = Gompertz.time_to_reach(&p, 400.0).unwrap();
        approx::assert_relative_eq!(Gompertz.value(t, &p), 400.0, max_relative = 1e-12);
        approx::assert_relative_eq!(Gompertz.value(2014.0, &p), 500.0 / std::f64::consts::E);
    }
}
