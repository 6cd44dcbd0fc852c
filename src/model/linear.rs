use super::{builtin_identity, linreg, reference_time, Model, ParamSpec, Role};

/// Linear growth `a + b (t − t0)`: a constant absolute increase `b` per year.
///
/// `a` is the level at the reference time `t0` (by default the first observation's time).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Linear {
    /// Reference time `t0`; `None` takes the first observation's time when fitting.
    pub t0: Option<f64>,
}

const PARAMS: [ParamSpec; 2] = [
    ParamSpec::new("a", Role::Level, "level at the reference time t0"),
    ParamSpec::new("b", Role::Slope, "increase per unit of time"),
];

reference_time!(Linear, "A line");

impl Model for Linear {
    builtin_identity!(Linear, PARAMS);
    fn formula(&self) -> String {
        format!("a + b * (t - {})", self.origin())
    }
    #[inline(always)]
    fn value(&self, t: f64, p: &[f64]) -> f64 {
        p[0] + p[1] * (t - self.origin())
    }
    #[inline(always)]
    fn value_and_gradient(&self, t: f64, p: &[f64], g: &mut [f64]) -> f64 {
        let dt = t - self.origin();
        g[0] = 1.0;
        g[1] = dt;
        p[0] + p[1] * dt
    }
    fn self_start(&self, t: &[f64], y: &[f64], fixed: &[Option<f64>]) -> Result<Vec<f64>, String> {
        let x: Vec<f64> = t.iter().map(|&ti| ti - self.origin()).collect();
        let n = x.len() as f64;
        match (fixed[0], fixed[1]) {
            (Some(a), Some(b)) => Ok(vec![a, b]),
            (Some(a), None) => {
                let sxx: f64 = x.iter().map(|v| v * v).sum();
                let sxy: f64 = x.iter().zip(y).map(|(xi, yi)| xi * (yi - a)).sum();
                Ok(vec![a, if sxx > 0.0 { sxy / sxx } else { 0.0 }])
            }
            (None, Some(b)) => Ok(vec![
                x.iter().zip(y).map(|(xi, yi)| yi - b * xi).sum::<f64>() / n,
                b,
            ]),
            _ => {
                let (a, b) = linreg(&x, y).ok_or("need at least two points at distinct times")?;
                // Positive data (perhaps fitted in log space) need a line that stays positive
                // over them: if least squares dips below zero, take the chord from first to last.
                let dips = y
                    .iter()
                    .zip(&x)
                    .any(|(&yi, &xi)| yi > 0.0 && a + b * xi <= 0.0);
                if dips && y.iter().all(|&v| v > 0.0) {
                    let (n1, x0, x1) = (y.len() - 1, x[0], x[x.len() - 1]);
                    let b = (y[n1] - y[0]) / (x1 - x0);
                    return Ok(vec![y[0] - b * x0, b]);
                }
                Ok(vec![a, b])
            }
        }
    }
    fn anchor(&mut self, times: &[f64]) {
        self.anchor_first(times);
    }
    fn time_to_reach(&self, p: &[f64], level: f64) -> Option<f64> {
        (p[1] != 0.0)
            .then(|| self.origin() + (level - p[0]) / p[1])
            .filter(|t| t.is_finite())
    }
}
