//! Projections of a fitted curve with confidence and prediction bands.
//!
//! By default the bands are the calibrated parametric bootstrap's ([`super::bootstrap`]): they
//! keep the model's shape (a rising curve's band rises) and never hold a value the curve cannot
//! take; under a known (fixed) ceiling the confidence band stays below it. The prediction band
//! does not: a new figure is the curve times its noise, which the error model lets exceed the
//! ceiling (capping it there made the band cover 60% of new figures five years out at 30% noise
//! in the simulation study). [`Fit::project_delta`] gives the delta-method
//! bands below, labelled [`IntervalMethod::Delta`].
//!
//! At a time `t` the fitted value is `f(t; p̂)` and its standard error, by the delta method,
//! `se = sqrt(gᵀ C g)` with `g = ∂f/∂p` (analytic, from the model) and `C` the parameter
//! covariance. With `q` the Student-t quantile for the fit's degrees of freedom:
//!
//! * additive errors: confidence band `f ± q·se`, prediction band `f ± q·sqrt(se² + s²)`;
//! * multiplicative errors: the same in log space with `se/f`, then exponentiated, so bands are
//!   asymmetric and stay positive. When the ceiling of an S-curve is known (fixed), the confidence
//!   band is taken on the logit scale `ln(f / (K − f))` instead, so that it stays below the
//!   ceiling; the prediction band (a new, noisy figure) stays on the log scale.
//!
//! The prediction band is for a new observation of unit weight. Without degrees of freedom the
//! bands are NaN: the data cannot say how uncertain the curve is.

use std::fmt;

use serde::Serialize;

use crate::axis::TimeAxis;
use crate::error::{Error, Result};
use crate::fit::{ErrorModel, Fit, IntervalMethod, Warning, WarningKind};
use crate::model::{Role, MAX_PARAMS};

/// The projection at one time. In a [`Projection`]'s JSON each point also carries its time as
/// its axis prints it, `ds` (`YYYY-MM-DD` on the calendar, the number on a numeric axis).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ProjectedPoint {
    /// Time: a decimal year on the calendar axis, the number itself on a numeric one.
    pub t: f64,
    /// Fitted value.
    pub value: f64,
    /// Standard error of the fitted value (in log space for multiplicative errors).
    pub std_error: f64,
    /// Lower end of the confidence band (the curve itself).
    pub conf_lower: f64,
    /// Upper end of the confidence band.
    pub conf_upper: f64,
    /// Lower end of the prediction band (a new observation).
    pub pred_lower: f64,
    /// Upper end of the prediction band.
    pub pred_upper: f64,
}

/// A point with its time as its axis prints it, for the JSON of a [`Projection`].
struct Dated<'a>(&'a ProjectedPoint, &'a TimeAxis);

impl Serialize for Dated<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (p, axis) = (self.0, self.1);
        let mut st = s.serialize_struct("ProjectedPoint", 8)?;
        st.serialize_field("t", &p.t)?;
        st.serialize_field("ds", &axis.cell(p.t))?;
        st.serialize_field("value", &p.value)?;
        st.serialize_field("std_error", &p.std_error)?;
        st.serialize_field("conf_lower", &p.conf_lower)?;
        st.serialize_field("conf_upper", &p.conf_upper)?;
        st.serialize_field("pred_lower", &p.pred_lower)?;
        st.serialize_field("pred_upper", &p.pred_upper)?;
        st.end()
    }
}

impl Serialize for Projection {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let points: Vec<Dated<'_>> = self.points.iter().map(|p| Dated(p, &self.axis)).collect();
        let mut st = s.serialize_struct("Projection", 10)?;
        st.serialize_field("series", &self.series)?;
        st.serialize_field("model", &self.model)?;
        st.serialize_field("unit", &self.unit)?;
        st.serialize_field("axis", &self.axis)?;
        st.serialize_field("level", &self.level)?;
        st.serialize_field("method", &self.method)?;
        st.serialize_field("error_model", &self.error_model)?;
        st.serialize_field("last_observed", &self.last_observed)?;
        st.serialize_field("points", &points)?;
        st.serialize_field("warnings", &self.warnings)?;
        st.end()
    }
}

/// A fitted curve evaluated at chosen times, with bands. Its JSON gives each point's time as
/// its axis prints it (`ds`) beside `t`.
#[derive(Clone, Debug, PartialEq)]
pub struct Projection {
    /// Series name.
    pub series: String,
    /// The fit's label (model name, with fixed values if any).
    pub model: String,
    /// Unit of the values.
    pub unit: String,
    /// The series' time axis: how the points' times are printed.
    pub axis: TimeAxis,
    /// Confidence level of the bands.
    pub level: f64,
    /// How the bands were made: [`IntervalMethod::Bootstrap`] (the default) or
    /// [`IntervalMethod::Delta`].
    pub method: IntervalMethod,
    /// Error model of the fit.
    pub error_model: ErrorModel,
    /// Last observed time: points after it are extrapolations.
    pub last_observed: f64,
    /// The points.
    pub points: Vec<ProjectedPoint>,
    /// The fit's warnings, which apply to the projection too.
    pub warnings: Vec<Warning>,
}

impl Fit {
    /// Projects at times (decimal years on the calendar axis) with bands at the fit's level
    /// (95% by default).
    pub fn project(&self, times: &[f64]) -> Projection {
        self.project_with(times, self.level, IntervalMethod::Bootstrap)
    }

    /// Projects at decimal years with the delta method's bands at the fit's level: symmetric
    /// on the fit's scale, so they can run backwards in time or past a ceiling (kept for
    /// comparison; see the module documentation).
    pub fn project_delta(&self, times: &[f64]) -> Projection {
        self.project_with(times, self.level, IntervalMethod::Delta)
    }

    /// Projects at times written as the axis reads them (dates `"2030"`, `"2030-12-31"`, … on
    /// the calendar, numbers such as `"30"` on a numeric axis) with bands at the fit's level.
    pub fn project_dates<S: AsRef<str>>(&self, dates: &[S]) -> Result<Projection> {
        let t = dates
            .iter()
            .map(|d| self.axis.parse(d.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        Ok(self.project(&t))
    }

    /// Projects at decimal years with bands at `level` (strictly between 0 and 1).
    pub fn project_at_level(&self, times: &[f64], level: f64) -> Result<Projection> {
        if !(level > 0.0 && level < 1.0) {
            return Err(Error::arg(
                "level",
                level,
                "a confidence level lies strictly between 0 and 1",
            ));
        }
        Ok(self.project_with(times, level, IntervalMethod::Bootstrap))
    }

    /// Evenly spaced times from `from` to `to` inclusive (`n ≥ 2` points), handy for curves.
    pub fn project_range(&self, from: f64, to: f64, n: usize) -> Projection {
        let n = n.max(2);
        let t: Vec<f64> = (0..n)
            .map(|i| from + (to - from) * i as f64 / (n - 1) as f64)
            .collect();
        self.project(&t)
    }

    fn project_with(&self, times: &[f64], level: f64, method: IntervalMethod) -> Projection {
        let p = self.estimates();
        let m = self.model_object();
        let q = self.t_quantile(level);
        let s2 = self.residual_variance();
        let log = self.error_model == ErrorModel::Multiplicative;
        // A known (fixed) ceiling bounds the curve: its confidence band is then taken on the logit
        // scale, so that it stays below the ceiling.
        let fixed_ceiling = self
            .params
            .iter()
            .find(|p| p.role == Role::Ceiling && p.fixed)
            .map(|p| p.estimate)
            .filter(|k| *k > 0.0 && log);
        let mut g = [0.0; MAX_PARAMS];
        let points: Vec<ProjectedPoint> = times
            .iter()
            .map(|&t| {
                let f = m.value_and_gradient(t, &p, &mut g[..p.len()]);
                let se = self.delta_std_error(&g[..p.len()]);
                if log {
                    let sel = se / f;
                    let lf = f.ln();
                    let wc = q * sel;
                    let wp = q * (sel * sel + s2).sqrt();
                    let (conf_lower, conf_upper) = match fixed_ceiling {
                        Some(k) if f > 0.0 && f < k => {
                            let u = (f / (k - f)).ln();
                            let w = q * se * k / (f * (k - f));
                            (k / (1.0 + (-(u - w)).exp()), k / (1.0 + (-(u + w)).exp()))
                        }
                        _ => ((lf - wc).exp(), (lf + wc).exp()),
                    };
                    ProjectedPoint {
                        t,
                        value: f,
                        std_error: sel,
                        conf_lower,
                        conf_upper,
                        // The prediction band always contains the confidence band.
                        pred_lower: (lf - wp).exp().min(conf_lower),
                        pred_upper: (lf + wp).exp().max(conf_upper),
                    }
                } else {
                    let wc = q * se;
                    let wp = q * (se * se + s2).sqrt();
                    ProjectedPoint {
                        t,
                        value: f,
                        std_error: se,
                        conf_lower: f - wc,
                        conf_upper: f + wc,
                        pred_lower: f - wp,
                        pred_upper: f + wp,
                    }
                }
            })
            .collect();
        let (points, method) = match method {
            IntervalMethod::Bootstrap => self.bootstrap_points(points, level),
            _ => (points, IntervalMethod::Delta),
        };
        let mut warnings = self.warnings.clone();
        if let Some(bad) = points
            .iter()
            .find(|p: &&ProjectedPoint| log && !(p.value > 0.0))
        {
            warnings.push(Warning {
                kind: WarningKind::NotPositive,
                parameter: None,
                message: format!(
                    "the fitted curve is {:.4e} at {}, not positive: under multiplicative errors its band is \
                     undefined there, and the model has left the range of the data",
                    bad.value,
                    self.axis.at(bad.t)
                ),
            });
        }
        warnings
            .extend(self.horizon_warning(times.iter().copied().fold(f64::NEG_INFINITY, f64::max)));
        Projection {
            series: self.series.clone(),
            model: self.label.clone(),
            unit: self.unit.clone(),
            axis: self.axis.clone(),
            level,
            method,
            error_model: self.error_model,
            last_observed: self.observations.last().map_or(f64::NAN, |o| o.t),
            points,
            warnings,
        }
    }

    /// The delta method's points with the bootstrap's bands in their place; unchanged (and
    /// labelled delta) without bootstrap draws, i.e. without degrees of freedom, where both
    /// are NaN.
    fn bootstrap_points(
        &self,
        mut points: Vec<ProjectedPoint>,
        level: f64,
    ) -> (Vec<ProjectedPoint>, IntervalMethod) {
        if self.draws().is_none() {
            return (points, IntervalMethod::Delta);
        }
        let mut scratch = Vec::new();
        for p in &mut points {
            if let Some((cl, cu, pl, pu)) = self.bootstrap_band(p.t, p.value, level, &mut scratch) {
                (p.conf_lower, p.conf_upper, p.pred_lower, p.pred_upper) = (cl, cu, pl, pu);
            }
        }
        (points, IntervalMethod::Bootstrap)
    }

    /// A warning when projecting to `t` reaches further past the last observation than the data
    /// span (first to last observation): the curve is then mostly assumption.
    pub fn horizon_warning(&self, t: f64) -> Option<Warning> {
        let (first, last) = (self.observations.first()?.t, self.observations.last()?.t);
        let (span, ahead) = (last - first, t - last);
        (ahead > 0.0 && ahead > span).then(|| Warning {
            kind: WarningKind::LongHorizon,
            parameter: None,
            message: format!(
                "the projection reaches {ahead:.1} {units} past the data, {:.1} times the {span:.1}-{unit} \
                 span of the data: beyond the span it shows the model's assumption more than the data",
                ahead / span.max(f64::MIN_POSITIVE),
                units = self.axis.units(),
                unit = self.axis.unit()
            ),
        })
    }
}

impl fmt::Display for Projection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = (self.level * 100.0).round();
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(", {}", self.unit)
        };
        writeln!(
            f,
            "projection of `{}` ({}{unit}), {pct}% bands ({})",
            self.series,
            self.model,
            self.method.describe()
        )?;
        use crate::table::{Align, Table};
        let time = self.axis.label();
        let mut t = Table::new(&[
            (time.as_str(), Align::Left),
            ("value", Align::Right),
            ("confidence band", Align::Right),
            ("prediction band", Align::Right),
            ("", Align::Left),
        ]);
        for p in &self.points {
            let note = if p.t > self.last_observed {
                "(extrapolated)"
            } else {
                ""
            };
            t.row(vec![
                self.axis.cell(p.t),
                format!("{:.4e}", p.value),
                format!("[{:.4e}, {:.4e}]", p.conf_lower, p.conf_upper),
                format!("[{:.4e}, {:.4e}]", p.pred_lower, p.pred_upper),
                note.to_string(),
            ]);
        }
        f.write_str(&t.render("    "))?;
        for w in &self.warnings {
            writeln!(f, "    caution: {w}")?;
        }
        Ok(())
    }
}
