//! The prediction band of two forecasters, neither of which is known to be the better: the
//! central band of their even mixture.
//!
//! The recommended prediction band joins the fitted curves (their hull) and the naive path (the
//! last two points' growth carried forward). On real series neither wins everywhere (the
//! naive path forecast one step ahead better, the curves further out), so each is given half
//! the weight. The union of two bands that each hold 95% holds more than 95% whenever they
//! differ (on the evaluation corpus of `cargo run --release --example backtest`, 97–98%); the
//! mixture's own central band holds what it says.
//!
//! Each band `[lower, upper]` about its value `v` is read as a two-piece normal on the log
//! scale: half its mass below `ln v`, with scale `ln(v / lower) / z` there and
//! `ln(upper / v) / z` above (`z` the standard normal quantile at the band's level), so that
//! its own central band at that level is the band given. A band of zero width is a point.
//! The mixture's band then lies within the union of the two and always holds both values.

use statrs::distribution::{ContinuousCDF, Normal};

/// A band about a value: `(value, lower, upper)`.
pub(crate) type Band = (f64, f64, f64);

/// One component on the log scale: its centre and its scales below and above it.
struct Piece {
    centre: f64,
    below: f64,
    above: f64,
}

impl Piece {
    /// The two-piece normal of `band` at the standard normal quantile `z`; `None` unless the
    /// value and both ends are positive and finite and in order.
    fn of((v, lo, hi): Band, z: f64) -> Option<Piece> {
        let ok = |x: f64| x > 0.0 && x.is_finite();
        if !(ok(v) && ok(lo) && ok(hi) && lo <= v && v <= hi) {
            return None;
        }
        let centre = v.ln();
        Some(Piece {
            centre,
            below: (centre - lo.ln()) / z,
            above: (hi.ln() - centre) / z,
        })
    }

    /// Its distribution function at `x` (log scale).
    fn cdf(&self, x: f64, unit: &Normal) -> f64 {
        let scale = if x < self.centre {
            self.below
        } else {
            self.above
        };
        if scale > 0.0 {
            unit.cdf((x - self.centre) / scale)
        } else if x < self.centre {
            0.0
        } else {
            1.0
        }
    }
}

/// The central band at `level` of the even mixture of `a` and `b`; `None` when a band is not
/// positive throughout (the caller then takes their union).
pub(crate) fn even_mixture(a: Band, b: Band, level: f64) -> Option<(f64, f64)> {
    let unit = Normal::new(0.0, 1.0).ok()?;
    let z = unit.inverse_cdf(0.5 + level / 2.0);
    if !(z > 0.0 && z.is_finite()) {
        return None;
    }
    let pieces = [Piece::of(a, z)?, Piece::of(b, z)?];
    let cdf = |x: f64| pieces.iter().map(|p| p.cdf(x, &unit)).sum::<f64>() / 2.0;
    // The mixture's quantile lies between the components' own: within the union of the bands.
    let (lo, hi) = (a.1.min(b.1).ln(), a.2.max(b.2).ln());
    let quantile = |p: f64| {
        let (mut l, mut h) = (lo, hi);
        for _ in 0..200 {
            let m = 0.5 * (l + h);
            if cdf(m) < p {
                l = m;
            } else {
                h = m;
            }
            if h - l <= 1e-13 * (1.0 + m.abs()) {
                break;
            }
        }
        0.5 * (l + h)
    };
    let tail = (1.0 - level) / 2.0;
    Some((quantile(tail).exp(), quantile(1.0 - tail).exp()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn one_band_twice_is_itself() {
        let (lo, hi) = even_mixture((10.0, 8.0, 15.0), (10.0, 8.0, 15.0), 0.95).unwrap();
        assert_relative_eq!(lo, 8.0, max_relative = 1e-10);
        assert_relative_eq!(hi, 15.0, max_relative = 1e-10);
    }

    #[test]
    fn two_symmetric_normals_match_r() {
        // Log-normal components centred at ln 100 ∓ 0.2 with log sd 0.1 (bands at ±1.959964
        // sd). R 4.2.2:
        //   f <- function(x, p) 0.5*pnorm(x, log(100)-0.2, 0.1) + 0.5*pnorm(x, log(100)+0.2, 0.1) - p
        //   exp(uniroot(f, c(3, 6), p = 0.025, tol = 1e-14)$root)   # 69.45539968
        //   exp(uniroot(f, c(3, 6), p = 0.975, tol = 1e-14)$root)   # 143.9772868
        let z = 1.959963984540054;
        let band = |c: f64| {
            let v = 100f64.ln() + c;
            (v.exp(), (v - 0.1 * z).exp(), (v + 0.1 * z).exp())
        };
        let (lo, hi) = even_mixture(band(-0.2), band(0.2), 0.95).unwrap();
        assert_relative_eq!(lo, 69.45539968, max_relative = 1e-6);
        assert_relative_eq!(hi, 143.9772868, max_relative = 1e-6);
        // Narrower than the union of the two bands, which holds more than 95%.
        assert!(lo > band(-0.2).1 && hi < band(0.2).2);
    }

    #[test]
    fn a_point_and_a_band() {
        // A point at 100 (the naive path with no drift) and a band about 100: the mixture's
        // 2.5% quantile is the band's 5% quantile, as half the mass sits at the point.
        // R: exp(log(100) + qnorm(0.05) * log(1.5) / qnorm(0.975))   # 71.15731574
        let (lo, hi) =
            even_mixture((100.0, 100.0, 100.0), (100.0, 100.0 / 1.5, 150.0), 0.95).unwrap();
        assert_relative_eq!(lo, 71.15731574, max_relative = 1e-6);
        assert_relative_eq!(hi, 100.0 * 100.0 / 71.15731574, max_relative = 1e-6);
    }

    #[test]
    fn the_band_holds_both_values_and_stays_in_the_union() {
        let a = (50.0, 45.0, 60.0);
        let b = (200.0, 100.0, 400.0);
        let (lo, hi) = even_mixture(a, b, 0.95).unwrap();
        assert!((45.0..50.0).contains(&lo) && hi > 200.0 && hi <= 400.0);
    }

    #[test]
    fn bands_that_are_not_positive_have_no_mixture() {
        assert!(even_mixture((1.0, -1.0, 2.0), (1.0, 0.5, 2.0), 0.95).is_none());
        assert!(even_mixture((1.0, 0.5, f64::NAN), (1.0, 0.5, 2.0), 0.95).is_none());
    }
}
