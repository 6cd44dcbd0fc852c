//! A fit in an analyst's words: where the curve goes, how sure the data are, what they cannot
//! tell. Built only from what the fit returns (its projection, intervals and derived
//! quantities), so the words never disagree with the numbers.

use std::fmt::Write;

use super::{Estimate, Fit, IntervalMethod};
use crate::model::Role;

/// A number with three significant digits, in thousands, millions, billions or trillions when
/// large (`1.40 billion`).
pub(crate) fn readable(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    let (x, word) = match a {
        _ if a >= 1e15 => return format!("{v:.3e}"),
        _ if a >= 1e12 => (v / 1e12, " trillion"),
        _ if a >= 1e9 => (v / 1e9, " billion"),
        _ if a >= 1e6 => (v / 1e6, " million"),
        _ => (v, ""),
    };
    let digits = match x.abs() {
        m if m >= 100.0 => 0,
        m if m >= 10.0 => 1,
        m if m >= 1.0 || m == 0.0 => 2,
        m => (2 - m.log10().floor() as i32).clamp(2, 12) as usize,
    };
    format!("{x:.digits$}{word}")
}

/// An interval in words: "a to b", "above a (no upper bound from these data)", ….
fn range(lo: f64, hi: f64, show: impl Fn(f64) -> String) -> String {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => format!("{} to {}", show(lo), show(hi)),
        (true, false) => format!("above {}, with no upper bound from these data", show(lo)),
        (false, true) => format!("below {}, with no lower bound from these data", show(hi)),
        (false, false) => "unbounded by these data".into(),
    }
}

impl Fit {
    /// A paragraph in plain words: the projection at `horizon` (a decimal year) with its bands,
    /// the growth rate and doubling time, the ceiling and the inflection, each with its interval
    /// and the method that made it, and what the data cannot tell.
    ///
    /// ```
    /// use growthcast::{io, Fitter, Logistic};
    /// let users = io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_users.csv"))?;
    /// let fit = Fitter::new(Logistic).fix("K", 1.41e9).fit(&users)?;
    /// let words = fit.summary(growthcast::time::parse_date("2030-12-31")?);
    /// assert!(words.contains("By 2030-12-31"), "{words}");
    /// assert!(words.contains("cannot rule out that growth has stopped"), "{words}");
    /// # Ok::<(), growthcast::Error>(())
    /// ```
    pub fn summary(&self, horizon: f64) -> String {
        let pct = (self.level * 100.0).round();
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        let (first, last) = match (self.observations.first(), self.observations.last()) {
            (Some(a), Some(b)) if self.axis.is_calendar() => (a.date.clone(), b.date.clone()),
            (Some(a), Some(b)) => (self.axis.at(a.t), self.axis.at(b.t)),
            _ => (String::new(), String::new()),
        };
        let mut s = format!(
            "{} fitted to {} points from {first} to {last} ({} degree(s) of freedom).",
            self.label, self.n_points, self.dof
        );
        let p = self.project(&[horizon]).points[0];
        let _ = write!(
            s,
            " By {}, the fitted curve reaches {}{unit}",
            self.axis.at(horizon),
            readable(p.value)
        );
        if p.conf_lower.is_nan() {
            s.push_str("; with no degrees of freedom the data cannot say how uncertain that is.");
        } else {
            let _ = write!(
                s,
                "; the {pct}% band for the curve runs from {} to {}, and a new figure could lie \
                 between {} and {}.",
                readable(p.conf_lower),
                readable(p.conf_upper),
                readable(p.pred_lower),
                readable(p.pred_upper)
            );
        }
        self.growth_words(&mut s, pct);
        self.ceiling_words(&mut s, pct, &unit);
        if let Some(e) = self.inflection_time().filter(|e| !e.lower.is_nan()) {
            let show = |t: f64| self.axis.at(t);
            let _ = write!(
                s,
                " The inflection (fastest growth) falls around {} ({pct}%: {}).",
                self.axis.at(e.value),
                range(e.lower, e.upper, show)
            );
        }
        s
    }

    /// The growth rate and doubling time in words.
    fn growth_words(&self, s: &mut String, pct: f64) {
        let Some(g) = self.annual_growth_rate().filter(|g| !g.lower.is_nan()) else {
            return;
        };
        let percent = |v: f64| format!("{:.0}%", 100.0 * v);
        let _ = write!(
            s,
            " Early growth runs at {} {} ({pct}%: {}",
            percent(g.value),
            self.axis.per(),
            range(g.lower, g.upper, percent)
        );
        if let Some(d) = self.doubling_time() {
            let length = |v: f64| format!("{v:.2}");
            let _ = write!(
                s,
                "), doubling every {} {} ({})",
                length(d.value),
                self.axis.units(),
                range(d.lower, d.upper, length)
            );
        } else {
            s.push(')');
        }
        s.push('.');
        if g.lower <= 0.0 && g.method == IntervalMethod::Transformed {
            s.push_str(
                " The rate's interval reaches 0: these data cannot rule out that growth has \
                 stopped.",
            );
        }
    }

    /// The ceiling in words: known, bounded, or one-sided.
    fn ceiling_words(&self, s: &mut String, pct: f64, unit: &str) {
        let Some(k) = self.params.iter().find(|p| p.role == Role::Ceiling) else {
            return;
        };
        if k.fixed {
            let _ = write!(
                s,
                " The ceiling {} is held at the known {}{unit}.",
                k.name,
                readable(k.estimate)
            );
            return;
        }
        let e = Estimate {
            value: k.estimate,
            std_error: k.std_error,
            lower: k.lower,
            upper: k.upper,
            method: k.method,
        };
        let _ = write!(
            s,
            " The ceiling {} is estimated at {}{unit} ({pct}%, {}: {}).",
            k.name,
            readable(e.value),
            e.method.describe(),
            range(e.lower, e.upper, readable)
        );
        if !e.upper.is_finite() {
            s.push_str(
                " A ceiling these data do not bound has to come from outside them (a population, \
                 100%, a market size): fix it to a known value.",
            );
        }
    }
}
