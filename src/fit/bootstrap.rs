//! Bands and intervals that keep the model's shape: a calibrated parametric bootstrap.
//!
//! Each draw simulates the data again from the fitted curve, with a residual standard
//! deviation drawn from its own sampling distribution, and refits the model:
//!
//! ```text
//! σ_b = s · sqrt(ν / χ²_ν),   y*_i = f(t_i; θ̂) + σ_b ε_i / sqrt(w_i),   θ_b = argmin RSS(θ; y*)
//! ```
//!
//! (on the log scale under multiplicative errors; `ν = n − p`, `ε` standard normal). Drawing
//! `σ_b` makes the method reproduce the Student-t intervals exactly for a model that is linear
//! in its parameters; with the fitted `s` alone, the bands of a 4-point fit (ν = 1 or 2) would
//! cover far less than their level. The bands are pointwise percentiles of the draws:
//!
//! * confidence band (the curve): percentiles of `f(t; θ_b)`;
//! * prediction band (a new figure of unit weight): percentiles of `f(t; θ_b)` with the noise
//!   `σ_b z_b` added (multiplied, `e^{σ_b z_b}`, under multiplicative errors).
//!
//! Every draw is a curve of the model within the fit's constraints, so the band keeps the
//! model's shape: where every draw rises (a rate held positive), a percentile of them rises
//! too, and under a known (fixed) ceiling no draw, and so no band edge, exceeds it. One noise
//! value `z_b` serves every time of a draw, so the prediction band keeps the shape as well
//! (each time's band is still that of one new figure). A draw whose refit runs off (a ceiling
//! the simulated data do not bound) keeps the best point its solver reached: a curve that
//! fits those data, which is the honest member of the sample.
//!
//! The draws are made once per fit, on first use, from a seed taken from the data, so the same
//! data give the same bands.

use super::Fit;
use crate::model::Model;

/// Draws per fit.
pub(crate) const DRAWS: usize = 400;

/// The bootstrap sample of a fit.
#[derive(Clone, Debug, Default)]
pub(crate) struct Draws {
    /// Parameters of every kept draw, `np` values each, in the model's order.
    pub params: Vec<f64>,
    /// Number of parameters.
    pub np: usize,
    /// The residual standard deviation each draw was simulated with.
    pub sigma: Vec<f64>,
    /// A standard normal value per draw, for a new figure.
    pub z: Vec<f64>,
    /// Draws whose refit failed (left out).
    pub failed: usize,
}

impl Draws {
    /// Number of kept draws.
    pub(crate) fn len(&self) -> usize {
        self.sigma.len()
    }

    /// Parameters of draw `b`.
    pub(crate) fn params(&self, b: usize) -> &[f64] {
        &self.params[b * self.np..(b + 1) * self.np]
    }
}

/// xoshiro256++ (Blackman & Vigna), seeded through SplitMix64: small, fast, and the same bits
/// on every platform.
#[derive(Clone, Debug)]
pub(crate) struct Rng([u64; 4]);

impl Rng {
    /// A generator from a 64-bit seed.
    pub(crate) fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let out = (s[0].wrapping_add(s[3])).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// Uniform on (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Chi-square with `nu` degrees of freedom: a sum of squares up to 30, the Wilson–Hilferty
    /// cube beyond (relative error below 1e-3 there).
    pub(crate) fn chi_square(&mut self, nu: usize) -> f64 {
        if nu <= 30 {
            return (0..nu).map(|_| self.normal().powi(2)).sum();
        }
        let k = 2.0 / (9.0 * nu as f64);
        let c = 1.0 - k + self.normal() * k.sqrt();
        nu as f64 * (c * c * c).max(0.0)
    }
}

/// A seed from the bits of the data (FNV-1a).
fn seed(values: impl Iterator<Item = f64>) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for v in values {
        h ^= v.to_bits();
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// The `p`-quantile of sorted values (R's type 7: linear between order statistics).
pub(crate) fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            let (i, frac) = (h.floor() as usize, h - h.floor());
            let j = (i + 1).min(n - 1);
            if frac == 0.0 || sorted[i] == sorted[j] {
                sorted[i]
            } else {
                sorted[i] + frac * (sorted[j] - sorted[i])
            }
        }
    }
}

/// The central interval at `level` of `values` (sorted in place; NaN left out).
pub(crate) fn central(values: &mut Vec<f64>, level: f64) -> (f64, f64) {
    values.retain(|v| !v.is_nan());
    values.sort_unstable_by(f64::total_cmp);
    let a = (1.0 - level) / 2.0;
    (quantile_sorted(values, a), quantile_sorted(values, 1.0 - a))
}

impl Fit {
    /// The bootstrap sample, made on first use; `None` without degrees of freedom.
    pub(crate) fn draws(&self) -> Option<&Draws> {
        if self.dof == 0 || !(self.rss > 0.0) {
            return None;
        }
        let d = self.draws.get_or_init(|| self.make_draws(DRAWS));
        (d.len() > 0).then_some(d)
    }

    fn make_draws(&self, n: usize) -> Draws {
        let d = &self.refit_data;
        let p = self.estimates();
        let m = self.model_object();
        let fitted: Vec<f64> =
            d.t.iter()
                .map(|&t| {
                    let f = m.value(t, &p);
                    if d.log {
                        f.ln()
                    } else {
                        f
                    }
                })
                .collect();
        let one_sided = |i: usize| {
            d.side
                .as_ref()
                .is_some_and(|s| s[i] != crate::solve::Side::Both)
        };
        let mut rng = Rng::new(seed(d.ty.iter().chain(&d.t).copied()));
        let s = self.residual_sd;
        let mut out = Draws {
            np: p.len(),
            ..Draws::default()
        };
        let mut y = d.ty.clone();
        for _ in 0..n {
            let sigma = s * (self.dof as f64 / rng.chi_square(self.dof)).sqrt();
            for i in 0..y.len() {
                if !one_sided(i) {
                    let w = d.w.as_ref().map_or(1.0, |w| w[i]);
                    y[i] = fitted[i] + sigma * rng.normal() / w.sqrt();
                }
            }
            let z = rng.normal();
            match self.refit(&y, None, &p) {
                Some(r) if sigma.is_finite() => {
                    out.params.extend_from_slice(&r.params);
                    out.sigma.push(sigma);
                    out.z.push(z);
                }
                _ => out.failed += 1,
            }
        }
        out
    }

    /// The bootstrap bands at `t`: `(conf_lower, conf_upper, pred_lower, pred_upper)` at
    /// `level`, each containing the fitted value `f`. `None` without draws.
    pub(crate) fn bootstrap_band(
        &self,
        t: f64,
        f: f64,
        level: f64,
        scratch: &mut Vec<f64>,
    ) -> Option<(f64, f64, f64, f64)> {
        let d = self.draws()?;
        let m = self.model_object();
        let log = self.refit_data.log;
        scratch.clear();
        scratch.extend((0..d.len()).map(|b| m.value(t, d.params(b))));
        let mut pred: Vec<f64> = scratch
            .iter()
            .zip(d.sigma.iter().zip(&d.z))
            .map(|(&v, (&s, &z))| if log { v * (s * z).exp() } else { v + s * z })
            .collect();
        let (cl, cu) = central(scratch, level);
        let (pl, pu) = central(&mut pred, level);
        let (cl, cu) = (cl.min(f), cu.max(f));
        Some((cl, cu, pl.min(cl), pu.max(cu)))
    }

    /// The percentile interval at `level` of a function of the parameters over the draws;
    /// `missing` stands in where `g` has no value (`f64::INFINITY` for "never", NaN to leave the
    /// draw out). `None` without draws.
    pub(crate) fn bootstrap_interval(
        &self,
        g: impl Fn(&dyn Model, &[f64]) -> Option<f64>,
        missing: f64,
        level: f64,
    ) -> Option<(f64, f64)> {
        let d = self.draws()?;
        let m = self.model_object();
        let mut v: Vec<f64> = (0..d.len())
            .map(|b| g(m, d.params(b)).unwrap_or(missing))
            .collect();
        Some(central(&mut v, level))
    }

    /// The calibrated bootstrap's percentile interval `(lower, upper)` of parameter `name` at
    /// the fit's level (the estimate for a fixed parameter); `None` for a name the model does
    /// not have, or without degrees of freedom.
    ///
    /// ```
    /// use growthcast::{Fitter, Logistic, Series};
    /// let t: Vec<f64> = (0..8).map(|i| 2018.0 + i as f64).collect();
    /// let noise = [1.02, 0.97, 1.01, 0.99, 1.03, 0.98, 1.0, 1.01];
    /// let y: Vec<f64> = t.iter().zip(noise)
    ///     .map(|(t, e)| e * 1000.0 / (1.0 + (-(t - 2021.5_f64)).exp())).collect();
    /// let fit = Fitter::new(Logistic).fit(&Series::from_slices("s", &t, &y)?)?;
    /// let (lo, hi) = fit.bootstrap_interval_of("K").unwrap();
    /// assert!(lo < fit.param("K").unwrap().estimate && fit.param("K").unwrap().estimate < hi);
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn bootstrap_interval_of(&self, name: &str) -> Option<(f64, f64)> {
        let j = self.params.iter().position(|p| p.name == name)?;
        if self.params[j].fixed {
            let v = self.params[j].estimate;
            return Some((v, v));
        }
        let (lo, hi) = self.bootstrap_interval(|_, q| Some(q[j]), f64::NAN, self.level)?;
        let v = self.params[j].estimate;
        Some((lo.min(v), hi.max(v)))
    }

    /// Share of the bootstrap draws whose refit failed (0 when all were kept); NaN without
    /// draws.
    pub fn bootstrap_failures(&self) -> f64 {
        match self.draws() {
            Some(d) => d.failed as f64 / (d.failed + d.len()) as f64,
            None => f64::NAN,
        }
    }
}
