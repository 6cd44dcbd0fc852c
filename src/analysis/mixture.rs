//! The prediction band of two forecasters, neither of which is known to be the better: the
//! central band of their mixture.
//!
//! The recommended prediction band joins the fitted curves (their hull) and the naive path (the
//! last two points' growth carried forward). On real series neither wins everywhere (the
//! naive path forecast one step ahead better, the curves further out): each is weighed by how
//! likely the account of growth rates it stands for is ([`crate::drift::Drift::persisting`]).
//! The union of two bands that each hold 95% holds more than 95% whenever they differ (on the
//! evaluation corpus of `cargo run --release --example backtest`, 97–98%); the mixture's own
//! central band holds what it says.
//!
//! Each band `[lower, upper]` about its value `v` is read as a two-piece normal on the log
//! scale: half its mass below `ln v`, with scale `ln(v / lower) / z` there and
//! `ln(upper / v) / z` above (`z` the standard normal quantile at the band's level), so that
//! its own central band at that level is the band given. A band of zero width is a point.
//! The mixture's band then lies within the union of the two; with even weights it holds both
//! values. (The naive path's band is its drift's Student-t departure; reading it as a normal
//! puts a little more mass just inside its ends. Read as a t, the Gapminder calibration held
//! 89.6–95.6% at the drift factor 1.5 instead of 90.0–95.6%, under the 90% rule then in use,
//! so the calibrated factor would rise and the band would be no sharper: the simpler reading
//! stays.)

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

/// The central band at `level` of the mixture of `a` (weight `1 − w`) and `b` (weight `w`, in
/// [0, 1]); `None` when a band is not positive throughout (the caller then takes their union).
pub(crate) fn mixture(a: Band, b: Band, w: f64, level: f64) -> Option<(f64, f64)> {
    let unit = Normal::new(0.0, 1.0).ok()?;
    let z = unit.inverse_cdf(0.5 + level / 2.0);
    if !(z > 0.0 && z.is_finite()) {
        return None;
    }
    let w = w.clamp(0.0, 1.0);
    let (pa, pb) = (Piece::of(a, z)?, Piece::of(b, z)?);
    let cdf = |x: f64| (1.0 - w) * pa.cdf(x, &unit) + w * pb.cdf(x, &unit);
    // The mixture's quantile lies between the components' own: within the union of the bands
    // (within the one band when the other has no weight).
    let (lo, hi) = if w == 0.0 {
        (a.1.ln(), a.2.ln())
    } else if w == 1.0 {
        (b.1.ln(), b.2.ln())
    } else {
        (a.1.min(b.1).ln(), a.2.max(b.2).ln())
    };
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

    /// The 95% band of a log-normal centred at ln 100 + `c` with log sd 0.1.
    fn band(c: f64) -> Band {
        let v = 100f64.ln() + c;
        let z = 1.959963984540054;
        (v.exp(), (v - 0.1 * z).exp(), (v + 0.1 * z).exp())
    }

    #[test]
    fn one_band_twice_is_itself() {
        let (lo, hi) = mixture((10.0, 8.0, 15.0), (10.0, 8.0, 15.0), 0.5, 0.95).unwrap();
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
        let (lo, hi) = mixture(band(-0.2), band(0.2), 0.5, 0.95).unwrap();
        assert_relative_eq!(lo, 69.45539968, max_relative = 1e-6);
        assert_relative_eq!(hi, 143.9772868, max_relative = 1e-6);
        // Narrower than the union of the two bands, which holds more than 95%.
        assert!(lo > band(-0.2).1 && hi < band(0.2).2);
    }

    #[test]
    fn weights_other_than_half_match_r() {
        // The same components weighted 0.7 (the lower) and 0.3. R 4.2.2:
        //   f <- function(x, p) 0.7*pnorm(x, log(100)-0.2, 0.1) + 0.3*pnorm(x, log(100)+0.2, 0.1) - p
        //   exp(uniroot(f, c(3, 6), p = 0.025, tol = 1e-14)$root)   # 68.36738443
        //   exp(uniroot(f, c(3, 6), p = 0.975, tol = 1e-14)$root)   # 140.2560463
        let (lo, hi) = mixture(band(-0.2), band(0.2), 0.3, 0.95).unwrap();
        assert_relative_eq!(lo, 68.36738443, max_relative = 1e-6);
        assert_relative_eq!(hi, 140.2560463, max_relative = 1e-6);
        // A component of no weight leaves the other's band.
        let (lo, hi) = mixture(band(-0.2), band(0.2), 0.0, 0.95).unwrap();
        assert_relative_eq!(lo, band(-0.2).1, max_relative = 1e-10);
        assert_relative_eq!(hi, band(-0.2).2, max_relative = 1e-10);
    }

    #[test]
    fn a_point_and_a_band() {
        // A point at 100 (the naive path with no drift) and a band about 100: the mixture's
        // 2.5% quantile is the band's 5% quantile, as half the mass sits at the point.
        // R: exp(log(100) + qnorm(0.05) * log(1.5) / qnorm(0.975))   # 71.15731574
        let (lo, hi) = mixture(
            (100.0, 100.0, 100.0),
            (100.0, 100.0 / 1.5, 150.0),
            0.5,
            0.95,
        )
        .unwrap();
        assert_relative_eq!(lo, 71.15731574, max_relative = 1e-6);
        assert_relative_eq!(hi, 100.0 * 100.0 / 71.15731574, max_relative = 1e-6);
    }

    #[test]
    fn the_band_holds_both_values_and_stays_in_the_union() {
        let a = (50.0, 45.0, 60.0);
        let b = (200.0, 100.0, 400.0);
        let (lo, hi) = mixture(a, b, 0.5, 0.95).unwrap();
        assert!((45.0..50.0).contains(&lo) && hi > 200.0 && hi <= 400.0);
    }

    #[test]
    fn bands_that_are_not_positive_have_no_mixture() {
        assert!(mixture((1.0, -1.0, 2.0), (1.0, 0.5, 2.0), 0.5, 0.95).is_none());
        assert!(mixture((1.0, 0.5, f64::NAN), (1.0, 0.5, 2.0), 0.5, 0.95).is_none());
    }
}
