use super::s_curve::{s_curve_model, Sigmoid};
use super::{Model, ParamSpec};

/// Gompertz growth `K · exp(−exp(−r (t − tm)))`.
///
/// An S-curve that rises fast and saturates slowly. `K` is the ceiling, `r` the continuous rate
/// per year and `tm` the inflection time, where the curve is at `K/e` (about 37% of the ceiling).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gompertz;

/// `s = exp(−e)`, `ds/dz = s e`.
impl Sigmoid for Gompertz {
    fn s(e: f64) -> f64 {
        (-e).exp()
    }
    fn log_slope(_s: f64, e: f64) -> f64 {
        e
    }
    fn z_at(u: f64) -> f64 {
        -(-u.ln()).ln()
    }
}

s_curve_model!(
    Gompertz,
    "K * exp(-exp(-r * (t - tm)))",
    "continuous growth-rate constant",
    "inflection time (level K/e)"
);
