//! The lmfit-style report of a fit (`Display`): header, statistics, parameters with their
//! intervals, correlations, derived quantities and warnings.

use std::fmt;

use super::{Estimate, Fit};

fn fmt_num(v: f64) -> String {
    if v.is_nan() {
        "n/a".into()
    } else if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 1e-3) {
        format!("{v:.5e}")
    } else {
        format!("{v:.6}")
    }
}

impl fmt::Display for Fit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.unit)
        };
        writeln!(f, "[[Fit]] {} model of `{}`{unit}", self.model, self.series)?;
        writeln!(f, "    formula            = {}", self.formula)?;
        writeln!(
            f,
            "    error model        = {}",
            self.error_model.describe()
        )?;
        writeln!(f, "    termination        = {}", self.termination)?;
        writeln!(
            f,
            "    iterations         = {} ({} evaluations)",
            self.iterations, self.evaluations
        )?;
        writeln!(
            f,
            "    data points        = {} ({} binding in the fit)",
            self.n_points, self.n_binding
        )?;
        writeln!(f, "    free parameters    = {}", self.n_free)?;
        writeln!(f, "    degrees of freedom = {}", self.dof)?;
        self.fmt_statistics(f)?;
        self.fmt_parameters(f)?;
        self.fmt_correlations(f)?;
        self.fmt_derived(f)?;
        if !self.warnings.is_empty() {
            writeln!(f, "[[Warnings]]")?;
            for w in &self.warnings {
                writeln!(f, "    - {w}")?;
            }
        }
        Ok(())
    }
}

impl Fit {
    fn fmt_statistics(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "[[Statistics]]")?;
        writeln!(f, "    RSS                = {}", fmt_num(self.rss))?;
        writeln!(f, "    residual SD        = {}", fmt_num(self.residual_sd))?;
        writeln!(f, "    R-squared          = {}", fmt_num(self.r_squared))?;
        writeln!(
            f,
            "    AIC / AICc / BIC   = {} / {} / {}",
            fmt_num(self.aic),
            fmt_num(self.aicc),
            fmt_num(self.bic)
        )?;
        if let Some(l) = &self.lack_of_fit {
            writeln!(f, "    lack of fit        = {l}")?;
        }
        Ok(())
    }

    fn fmt_parameters(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = (self.level * 100.0).round();
        writeln!(
            f,
            "[[Parameters]] (estimate ± standard error, {pct}% interval)"
        )?;
        for p in &self.params {
            if p.fixed {
                writeln!(
                    f,
                    "    {:<4} = {} (fixed) {}  [{}]",
                    p.name,
                    fmt_num(p.estimate),
                    p.unit,
                    p.meaning
                )?;
            } else {
                let rel = if p.estimate != 0.0 && p.std_error.is_finite() {
                    format!(" ({:.2}%)", 100.0 * p.std_error / p.estimate.abs())
                } else {
                    String::new()
                };
                let end = |v: f64, none: &str| {
                    if v.is_infinite() {
                        none.to_string()
                    } else {
                        fmt_num(v)
                    }
                };
                writeln!(
                    f,
                    "    {:<4} = {} ± {}{rel}  [{}, {}] ({}) {}  [{}]",
                    p.name,
                    fmt_num(p.estimate),
                    fmt_num(p.std_error),
                    end(p.lower, "no lower bound"),
                    end(p.upper, "no upper bound"),
                    p.method.describe(),
                    p.unit,
                    p.meaning
                )?;
            }
        }
        Ok(())
    }

    fn fmt_correlations(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut corr = Vec::new();
        for (a, &i) in self.free.iter().enumerate() {
            for &j in &self.free[a + 1..] {
                let c = self.correlation[i][j];
                if c.abs() > 0.1 {
                    corr.push(format!(
                        "    C({}, {}) = {c:+.4}",
                        self.params[i].name, self.params[j].name
                    ));
                }
            }
        }
        if !corr.is_empty() {
            writeln!(f, "[[Correlations]] (|C| > 0.1)")?;
            for c in corr {
                writeln!(f, "{c}")?;
            }
        }
        Ok(())
    }

    fn fmt_derived(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut derived = Vec::new();
        let show = |e: Estimate, scale: f64, suffix: &str| {
            if e.std_error.is_finite() {
                let upper = if e.upper.is_infinite() {
                    "no upper bound".to_string()
                } else {
                    format!("{:.4}", e.upper * scale)
                };
                let lower = if e.lower.is_infinite() {
                    "no lower bound".to_string()
                } else {
                    format!("{:.4}", e.lower * scale)
                };
                format!(
                    "{:.4}{suffix} ± {:.4}{suffix}  [{lower}, {upper}] ({})",
                    e.value * scale,
                    e.std_error * scale,
                    e.method.describe(),
                )
            } else {
                format!("{:.4}{suffix}", e.value * scale)
            }
        };
        if let Some(e) = self.annual_growth_rate() {
            derived.push(format!(
                "    {} (e^r - 1) = {}",
                self.axis.growth_rate_name(),
                show(e, 100.0, "%")
            ));
        }
        if let Some(e) = self.doubling_time() {
            derived.push(format!(
                "    doubling time      = {} {}",
                show(e, 1.0, ""),
                self.axis.units()
            ));
        }
        if let (Some(t), Some(l)) = (self.inflection_time(), self.inflection_level()) {
            derived.push(format!(
                "    inflection         = {} ({}) at level {}",
                self.axis.at(t.value),
                show(t, 1.0, ""),
                fmt_num(l.value)
            ));
        }
        if !derived.is_empty() {
            writeln!(f, "[[Derived]]")?;
            for d in derived {
                writeln!(f, "{d}")?;
            }
        }
        Ok(())
    }
}
