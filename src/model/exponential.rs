use super::{builtin_identity, linreg, reference_time, Model, ParamSpec, Role};

/// Exponential growth `y0 · exp(r (t − t0))`.
///
/// `y0` is the level at the reference time `t0` (by default the first observation's time),
/// `r` the continuous rate per year: the annual growth rate is `e^r − 1` and the doubling time
/// `ln 2 / r`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Exponential {
    /// Reference time `t0`; `None` takes the first observation's time when fitting.
    pub t0: Option<f64>,
}

const PARAMS: [ParamSpec; 2] = [
    ParamSpec::new("y0", Role::Level, "level at the reference time t0"),
    ParamSpec::new(
        "r",
        Role::Rate,
        "continuous growth rate (growth per unit of time = e^r - 1)",
    ),
];

reference_time!(Exponential, "An exponential");

impl Model for Exponential {
    builtin_identity!(Exponential, PARAMS);
    fn formula(&self) -> String {
        format!("y0 * exp(r * (t - {}))", self.origin())
    }
    #[inline(always)]
    fn value(&self, t: f64, p: &[f64]) -> f64 {
        p[0] * (p[1] * (t - self.origin())).exp()
    }
    #[inline(always)]
    fn value_and_gradient(&self, t: f64, p: &[f64], g: &mut [f64]) -> f64 {
        let dt = t - self.origin();
        let e = (p[1] * dt).exp();
        let f = p[0] * e;
        g[0] = e;
        g[1] = f * dt;
        f
    }
    #[inline(always)]
    fn values_and_gradients(&self, t: &[f64], p: &[f64], values: &mut [f64], grad: &mut [f64]) {
        let (y0, r, t0) = (p[0], p[1], self.origin());
        let n = t.len();
        let (values, grad) = (&mut values[..n], &mut grad[..2 * n]);
        for i in 0..n {
            values[i] = (r * (t[i] - t0)).exp();
        }
        for i in 0..n {
            let dt = t[i] - t0;
            let e = values[i];
            let f = y0 * e;
            grad[2 * i] = e;
            grad[2 * i + 1] = f * dt;
            values[i] = f;
        }
    }
    fn self_start(&self, t: &[f64], y: &[f64], fixed: &[Option<f64>]) -> Result<Vec<f64>, String> {
        let (x, ly): (Vec<f64>, Vec<f64>) = t
            .iter()
            .zip(y)
            .filter(|(_, &v)| v > 0.0)
            .map(|(&t, &v)| (t - self.origin(), v.ln()))
            .unzip();
        match (fixed[0], fixed[1]) {
            (Some(y0), Some(r)) => Ok(vec![y0, r]),
            (Some(y0), None) if y0 > 0.0 && !x.is_empty() => {
                // slope through the fixed intercept
                let (sxy, sxx) = x.iter().zip(&ly).fold((0.0, 0.0), |(a, b), (xi, li)| {
                    (a + xi * (li - y0.ln()), b + xi * xi)
                });
                Ok(vec![y0, if sxx > 0.0 { sxy / sxx } else { 0.0 }])
            }
            (None, Some(r)) if !x.is_empty() => {
                let a = x.iter().zip(&ly).map(|(xi, li)| li - r * xi).sum::<f64>() / x.len() as f64;
                Ok(vec![a.exp(), r])
            }
            _ => {
                let (a, b) =
                    linreg(&x, &ly).ok_or("need at least two positive values at distinct times")?;
                Ok(vec![a.exp(), b])
            }
        }
    }
    fn anchor(&mut self, times: &[f64]) {
        self.anchor_first(times);
    }
    fn time_to_reach(&self, p: &[f64], level: f64) -> Option<f64> {
        let ratio = level / p[0];
        (ratio > 0.0 && p[1] != 0.0)
            .then(|| self.origin() + ratio.ln() / p[1])
            .filter(|t| t.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_ln2_over_r_after_the_reference_time() {
        let m = Exponential::with_reference(2024.0);
        let p = [2.0, 0.7];
        approx::assert_relative_eq!(m.time_to_reach(&p, 4.0).unwrap(), 2024.0 + 2f64.ln() / 0.7);
    }

    #[test]
    fn self_start_recovers_exact_curve() {
        let mut m = Exponential::new();
        let t: Vec<f64> = (0..5).map(|i| 2020.0 + i as f64).collect();
        m.anchor(&t);
        let y: Vec<f64> = t.iter().map(|&ti| m.value(ti, &[3.0, 0.25])).collect();
        let p = m.self_start(&t, &y, &[None, None]).unwrap();
        approx::assert_relative_eq!(p[0], 3.0, max_relative = 1e-12);
        approx::assert_relative_eq!(p[1], 0.25, max_relative = 1e-12);
    }
}
