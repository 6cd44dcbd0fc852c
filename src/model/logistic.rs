use super::s_curve::{s_curve_model, Sigmoid};
use super::{Model, ParamSpec};

/// Logistic growth `K / (1 + exp(−r (t − tm)))`.
///
/// `K` is the ceiling (saturation level), `r` the early-phase continuous rate per year and `tm`
/// the inflection time, where the curve is at `K/2` and grows fastest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Logistic;

/// `s = 1 / (1 + e)`, `ds/dz = s (1 − s)`.
impl Sigmoid for Logistic {
    fn s(e: f64) -> f64 {
        1.0 / (1.0 + e)
    }
    fn log_slope(s: f64, _e: f64) -> f64 {
        1.0 - s
    }
    fn z_at(u: f64) -> f64 {
        (u / (1.0 - u)).ln()
    }
}

s_curve_model!(
    Logistic,
    "K / (1 + exp(-r * (t - tm)))",
    "early-phase continuous growth rate",
    "inflection time (level K/2)"
);

#[cfg(test)]
mod tests {
    use super::*;

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
