//! The naive forecast: the growth rate of the last two points carried forward.
//!
//! On real series it is the forecast to beat: in rolling-origin backtests it was as accurate one
//! step ahead as any fitted curve (see `cargo run --release --example backtest`), because real
//! growth rates drift and the last rate is the freshest. The recommendation therefore keeps its
//! path, with a prediction band, among the members of its prediction band
//! ([`crate::recommend::Recommendation::naive`]).
//!
//! With `y` the log values, `D` the last spacing and `h = H/D` the horizon in spacings, the naive
//! log forecast is `yₙ + h·(yₙ − yₙ₋₁)`. As a member of the recommended band it carries the
//! growth-rate drift (`q·τ·H` on the log scale, [`crate::drift`]) but not the noise of its two
//! points: that would add `σ²·((1 + h)² + h² + 1)`, making it by far the widest member five
//! steps out (a band 22 times wide on Gapminder incomes in the calibration backtests), while the
//! fitted members already carry the noise.

use crate::drift::Drift;
use crate::error::{Error, Result};
use crate::fit::IntervalMethod;
use crate::project::{ProjectedPoint, Projection};

/// The naive path at `times` from `(time, value)` points in time order: the last two positive
/// values' continuous growth rate carried forward from the last. Replicates (points at one time)
/// count as their geometric mean, so the rate is between the last two distinct times.
pub fn naive_path(series: &str, points: &[(f64, f64)], times: &[f64]) -> Result<Vec<f64>> {
    let (a, b) = last_two(series, points)?;
    let g = (b.1 / a.1).ln() / (b.0 - a.0);
    Ok(times.iter().map(|&t| b.1 * (g * (t - b.0)).exp()).collect())
}

/// The last two distinct times of `points` with their value (the geometric mean of the
/// replicates of a time, the value itself when it has one).
fn last_two(series: &str, points: &[(f64, f64)]) -> Result<((f64, f64), (f64, f64))> {
    let times: Vec<f64> = points.iter().map(|p| p.0).collect();
    let groups = crate::series::time_groups(&times);
    let [.., ga, gb] = &groups[..] else {
        return Err(Error::TooFewTimes {
            series: series.to_string(),
            what: "the naive forecast (the growth rate between the last two times)".into(),
            times: groups.len(),
            needed: 2,
        });
    };
    let value = |g: &std::ops::Range<usize>| -> Option<f64> {
        let vals = &points[g.clone()];
        if vals.iter().any(|p| !(p.1 > 0.0)) {
            return None;
        }
        Some(match vals {
            [one] => one.1,
            _ => (vals.iter().map(|p| p.1.ln()).sum::<f64>() / vals.len() as f64).exp(),
        })
    };
    match (value(ga), value(gb)) {
        (Some(a), Some(b)) => Ok(((points[ga.start].0, a), (points[gb.start].0, b))),
        _ => Err(Error::arg(
            "value",
            points[ga.start..gb.end]
                .iter()
                .map(|p| p.1)
                .fold(f64::INFINITY, f64::min),
            format!(
                "series `{series}`: the naive growth forecast needs the values at the last two times positive"
            ),
        )),
    }
}

/// The naive path from `points` at the times of `template`, as a projection like it: its
/// prediction band is the growth-rate `drift` about the path (none without a drift), its
/// confidence band the path itself (the naive path is a rule, not a fitted curve).
pub fn naive_projection(
    template: &Projection,
    points: &[(f64, f64)],
    drift: Option<&Drift>,
) -> Result<Projection> {
    let times: Vec<f64> = template.points.iter().map(|q| q.t).collect();
    let path = naive_path(&template.series, points, &times)?;
    let (_, last) = last_two(&template.series, points)?;
    let q = drift.map_or(0.0, |d| d.quantile(template.level));
    let pts = times
        .iter()
        .zip(path)
        .map(|(&t, v)| {
            let half = drift.map_or(0.0, |d| q * d.log_sd(t - last.0));
            ProjectedPoint {
                t,
                value: v,
                std_error: f64::NAN,
                conf_lower: v,
                conf_upper: v,
                pred_lower: v * (-half).exp(),
                pred_upper: v * half.exp(),
            }
        })
        .collect();
    Ok(Projection {
        model: "naive (last two points' growth)".into(),
        method: IntervalMethod::Envelope,
        points: pts,
        warnings: Vec::new(),
        ..template.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_carries_the_last_rate() {
        let p = naive_path(
            "s",
            &[(2000.0, 1.0), (2001.0, 2.0), (2002.0, 3.0)],
            &[2004.0],
        )
        .unwrap();
        // 3 · (3/2)² = 6.75
        approx::assert_relative_eq!(p[0], 6.75, max_relative = 1e-12);
        assert!(naive_path("s", &[(2000.0, 1.0)], &[2004.0]).is_err());
        assert!(naive_path("s", &[(2000.0, 1.0), (2001.0, 0.0)], &[2004.0]).is_err());
    }

    #[test]
    fn replicates_count_as_their_geometric_mean() {
        // Last two times 2001 (2 and 8: geometric mean 4) and 2002 (6): rate ln(6/4) a year.
        let pts = [(2000.0, 1.0), (2001.0, 2.0), (2001.0, 8.0), (2002.0, 6.0)];
        let p = naive_path("s", &pts, &[2004.0]).unwrap();
        approx::assert_relative_eq!(p[0], 6.0 * 1.5 * 1.5, max_relative = 1e-12);
        // Replicates at the last time: 2002 has 3 and 12 (mean 6): the same path from 6.
        let pts = [(2001.0, 2.0), (2001.0, 8.0), (2002.0, 3.0), (2002.0, 12.0)];
        let p = naive_path("s", &pts, &[2004.0]).unwrap();
        approx::assert_relative_eq!(p[0], 6.0 * 1.5 * 1.5, max_relative = 1e-12);
        // All at one time: a typed error, never a division by zero.
        let e = naive_path("s", &[(2001.0, 2.0), (2001.0, 8.0)], &[2004.0]).unwrap_err();
        assert!(
            matches!(
                e,
                Error::TooFewTimes {
                    times: 1,
                    needed: 2,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("1 distinct time(s)"), "{e}");
    }
}
