//! Which model? Fit several to one series, rank them, weigh them, average them.
//!
//! Models are ranked by AICc when it is defined for every candidate, else by AIC (AICc needs
//! more than `k + 2` binding points, which four-point series do not have; the comparison then
//! says so). Akaike weights `w_i ∝ exp(−Δ_i / 2)` turn the ranking into shares of support, and
//! [`Comparison::averaged`] gives a weight-averaged projection whose band adds the spread between
//! the models to each model's own uncertainty (Buckland et al. 1997):
//! `se = Σ w_i sqrt(se_i² + (m_i − m̄)²)`, in log space for multiplicative fits.
//!
//! Models the data do not identify stay in the table with their warnings: the point of a
//! comparison on short series is often that it cannot decide.
//!
//! ```
//! use growthcast::{compare, io};
//! let users = io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_users.csv"))?;
//! let c = compare::compare_standard(&users);
//! println!("{c}");
//! let avg = c.averaged(&[2027.0]).expect("at least one ranked model");
//! assert!(avg.points[0].conf_lower < avg.points[0].value);
//! # Ok::<(), growthcast::Error>(())
//! ```

use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::fit::{t_quantile, ErrorModel, Fit, FitSpec, Fitter, Warning, WarningKind};
use crate::model::{Exponential, Gompertz, Linear, Logistic};
use crate::project::{ProjectedPoint, Projection};
use crate::series::Series;
use crate::trust::{self, Trust, TrustOptions};

/// The information criterion used for ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Small-sample corrected AIC.
    Aicc,
    /// Plain AIC (used when AICc is undefined for some candidate).
    Aic,
}

/// Which candidate of a comparison: its position in the specs given to [`compare`]. Rows of
/// the ranking carry it, so a row is always read with its own fit, whatever the labels say
/// (two candidates may share a label, e.g. one model under two error models).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CandidateId(pub usize);

impl fmt::Display for CandidateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One fitted candidate (or its error).
#[derive(Debug)]
pub struct Candidate {
    /// Its identity in the comparison.
    pub id: CandidateId,
    /// The fitter's label, for display only.
    pub label: String,
    /// The model's name.
    pub model: String,
    /// The parameters the spec holds fixed.
    pub fixed: Vec<String>,
    /// The fit, or why it failed.
    pub fit: Result<Fit>,
}

/// One row of the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked {
    /// The candidate this row ranks: [`Comparison::fit`] gives its fit.
    pub id: CandidateId,
    /// The fitter's label, for display only.
    pub label: String,
    /// Free parameters.
    pub k: usize,
    /// The criterion's value.
    pub criterion: f64,
    /// Difference to the best.
    pub delta: f64,
    /// Akaike weight.
    pub weight: f64,
    /// The narrow, per-fit check [`Fit::is_identified`]: every free parameter is determined
    /// (a standard error below the estimate and a non-singular Jacobian), the ceiling is not far
    /// beyond the data, and degrees of freedom are left. It says nothing about whether another
    /// model fits better: read [`Ranked::trust`] for whether the band can be relied on.
    pub identified: bool,
    /// Whether the fit's band can be relied on, and why not ([`crate::trust`]).
    pub trust: Trust,
    /// The fit's warnings, then the misspecification warnings of its verdict.
    pub warnings: Vec<String>,
}

/// Several models fitted to one series.
#[derive(Debug)]
pub struct Comparison {
    /// Series name.
    pub series: String,
    /// The criterion used for ranking.
    pub criterion: Criterion,
    /// Every candidate in the order given, with its fit or error.
    pub candidates: Vec<Candidate>,
    /// Ranked candidates, best first (converged fits with a finite criterion only).
    pub ranking: Vec<Ranked>,
    /// Plain statements about what the comparison can and cannot say.
    pub notes: Vec<String>,
}

/// The standard candidates: exponential, logistic, Gompertz and linear, with multiplicative
/// errors when every value is positive, additive otherwise.
pub fn standard_specs(series: &Series) -> Vec<Box<dyn FitSpec>> {
    let em = standard_error_model(series);
    vec![
        Box::new(Fitter::new(Exponential::new()).error_model(em)),
        Box::new(Fitter::new(Logistic).error_model(em)),
        Box::new(Fitter::new(Gompertz).error_model(em)),
        Box::new(Fitter::new(Linear::new()).error_model(em)),
    ]
}

/// The error model of the standard candidates: multiplicative when every value is positive,
/// additive otherwise.
pub fn standard_error_model(series: &Series) -> ErrorModel {
    if series.values().iter().all(|&v| v > 0.0) {
        ErrorModel::Multiplicative
    } else {
        ErrorModel::Additive
    }
}

/// [`compare`] with [`standard_specs`].
pub fn compare_standard(series: &Series) -> Comparison {
    compare(series, &standard_specs(series))
}

/// Fits every spec to the series and ranks the results.
pub fn compare(series: &Series, specs: &[Box<dyn FitSpec>]) -> Comparison {
    let candidates: Vec<Candidate> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| Candidate {
            id: CandidateId(i),
            label: s.spec_label(),
            model: s.model_name(),
            fixed: s.fixed_parameters(),
            fit: s.fit_series(series),
        })
        .collect();
    let mut notes = Vec::new();
    let fits: Vec<(CandidateId, &Fit)> = candidates
        .iter()
        .filter_map(|c| c.fit.as_ref().ok().map(|f| (c.id, f)))
        .collect();
    for c in &candidates {
        if let Err(e) = &c.fit {
            notes.push(format!("{} was not fitted: {e}", c.label));
        }
    }
    let rankable: Vec<(CandidateId, &Fit)> = fits
        .iter()
        .copied()
        .filter(|(_, f)| {
            let ok = f.dof > 0 && f.aic.is_finite();
            if !ok {
                notes.push(format!(
                    "{} passes through every binding point (no degrees of freedom): it cannot be ranked",
                    f.label
                ));
            }
            ok
        })
        .collect();
    let criterion = if !rankable.is_empty() && rankable.iter().all(|(_, f)| f.aicc.is_finite()) {
        Criterion::Aicc
    } else {
        if !rankable.is_empty() {
            notes.push(
                "AICc is undefined with so few points (it needs more than k + 2 binding points): ranked by AIC, \
                 which penalises extra parameters too little at this size"
                    .into(),
            );
        }
        Criterion::Aic
    };
    if rankable
        .iter()
        .any(|(_, f)| f.error_model != rankable[0].1.error_model)
    {
        notes.push(
            "the candidates use different error models: their criteria are not comparable".into(),
        );
    }
    if rankable
        .iter()
        .any(|(_, f)| f.n_binding != rankable[0].1.n_binding)
    {
        notes.push(
            "bounds bind differently across models, so the criteria rest on slightly different data: read \
             small differences with care"
                .into(),
        );
    }
    let value = |f: &Fit| match criterion {
        Criterion::Aicc => f.aicc,
        Criterion::Aic => f.aic,
    };
    let best = rankable
        .iter()
        .map(|(_, f)| value(f))
        .fold(f64::INFINITY, f64::min);
    let total: f64 = rankable
        .iter()
        .map(|(_, f)| (-(value(f) - best) / 2.0).exp())
        .sum();
    let mut ranking: Vec<Ranked> = rankable
        .iter()
        .map(|&(id, f)| {
            let trust = trust::verdict(id, f, &rankable, &TrustOptions::default());
            let mine = trust.warnings();
            let warnings = f.warnings.iter().chain(&mine).map(|w| w.message.clone());
            Ranked {
                id,
                label: f.label.clone(),
                k: f.n_free,
                criterion: value(f),
                delta: value(f) - best,
                weight: (-(value(f) - best) / 2.0).exp() / total,
                identified: f.is_identified(),
                warnings: warnings.collect(),
                trust,
            }
        })
        .collect();
    ranking.sort_by(|a, b| a.delta.total_cmp(&b.delta));

    let why = cannot_tell_apart(&candidates, &fits, &ranking);
    if let Some(why) = why {
        notes.push(format!(
            "exponential and logistic growth cannot be told apart on this series: {why}; a ceiling, if there \
             is one, has to come from outside these data"
        ));
    }
    Comparison {
        series: series.name().to_string(),
        criterion,
        candidates,
        ranking,
        notes,
    }
}

/// Why exponential and logistic growth cannot be told apart on these fits, if they cannot: the
/// free logistic ran off, its ceiling is not identified, or their criteria differ by less than 2.
fn cannot_tell_apart(
    candidates: &[Candidate],
    fits: &[(CandidateId, &Fit)],
    ranking: &[Ranked],
) -> Option<String> {
    let find = |m: &str| {
        fits.iter()
            .find(|(_, f)| f.model == m && !f.params.iter().any(|p| p.fixed))
    };
    let logistic_failed = candidates.iter().any(|c| {
        c.model == "logistic"
            && c.fixed.is_empty()
            && matches!(
                &c.fit,
                Err(crate::Error::NotConverged { .. } | crate::Error::Diverged { .. })
            )
    });
    match (find("exponential"), find("logistic")) {
        (Some(_), None) if logistic_failed => Some(
            "the logistic fit runs off toward an unbounded ceiling, i.e. the data look exponential"
                .to_string(),
        ),
        (Some(_), Some((_, l))) if !l.is_identified() => {
            Some("the logistic ceiling is not identified".to_string())
        }
        (Some((e, _)), Some((l, _))) => {
            let r = |id: &CandidateId| ranking.iter().find(|r| r.id == *id).map(|r| r.criterion);
            match (r(e), r(l)) {
                (Some(a), Some(b)) if (a - b).abs() < 2.0 => Some(format!(
                    "their criteria differ by only {:.2} (< 2)",
                    (a - b).abs()
                )),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A comparison as one serialisable record: what `growthcast compare --json` prints and the
/// Python package's `Comparison.to_json()` returns.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    /// Series name.
    pub series: &'a str,
    /// The criterion used for ranking.
    pub criterion: Criterion,
    /// Ranked candidates, best first.
    pub ranking: &'a [Ranked],
    /// The candidates that did not fit, `(label, error)` ([`Comparison::failures`]).
    pub failed: Vec<(String, String)>,
    /// Plain statements about what the comparison can and cannot say.
    pub notes: &'a [String],
    /// The recommended projection, if there is one.
    pub recommended: Option<&'a crate::recommend::Recommendation>,
    /// The criterion-weighted average, if one was asked for and there is one.
    pub averaged: Option<&'a Projection>,
}

impl Comparison {
    /// The candidates that did not fit: `(label, error message)`, in the order given.
    pub fn failures(&self) -> Vec<(String, String)> {
        self.candidates
            .iter()
            .filter_map(|k| {
                k.fit
                    .as_ref()
                    .err()
                    .map(|e| (k.label.clone(), e.to_string()))
            })
            .collect()
    }

    /// The comparison with its `recommended` and `averaged` projections as one record.
    pub fn summary<'a>(
        &'a self,
        recommended: Option<&'a crate::recommend::Recommendation>,
        averaged: Option<&'a Projection>,
    ) -> Summary<'a> {
        Summary {
            series: &self.series,
            criterion: self.criterion,
            ranking: &self.ranking,
            failed: self.failures(),
            notes: &self.notes,
            recommended,
            averaged,
        }
    }

    /// The fit of a candidate (`None` when it failed).
    pub fn fit(&self, id: CandidateId) -> Option<&Fit> {
        self.candidates
            .get(id.0)
            .filter(|c| c.id == id)
            .and_then(|c| c.fit.as_ref().ok())
    }

    /// The ranking row of a candidate (`None` when it was not ranked).
    pub fn ranked(&self, id: CandidateId) -> Option<&Ranked> {
        self.ranking.iter().find(|r| r.id == id)
    }

    /// The ranked fit that describes the past best (lowest AIC), if any: the curve whose
    /// departures measure a series' growth-rate drift ([`crate::drift::OwnDrift::of_fit`]).
    pub fn best_describing(&self) -> Option<&Fit> {
        self.ranking
            .iter()
            .filter_map(|r| self.fit(r.id))
            .min_by(|a, b| a.aic().total_cmp(&b.aic()))
    }

    /// The best-ranked fit whose parameters the data identify, if any.
    pub fn best_identified(&self) -> Option<&Fit> {
        self.ranking
            .iter()
            .filter(|r| r.identified)
            .find_map(|r| self.fit(r.id))
    }

    /// The weight-averaged projection over the ranked models at `level` 95%; `None` when no
    /// model could be ranked or none has a usable projection. A model whose curve or band is
    /// not a number on the averaging scale at some time (at or below 0 on the log scale, a NaN
    /// band) is left out, the others' weights renormalised, and a warning names it. Its warnings are those of every model with weight above 1%,
    /// prefixed by the model's label.
    pub fn averaged(&self, times: &[f64]) -> Option<Projection> {
        let members: Vec<(&Fit, f64)> = self
            .ranking
            .iter()
            .filter_map(|r| self.fit(r.id).map(|f| (f, r.weight)))
            .collect();
        let (first, _) = *members.first()?;
        let level = first.level;
        let log = members
            .iter()
            .all(|(f, _)| f.error_model == ErrorModel::Multiplicative);
        let dof = members.iter().map(|(f, _)| f.dof).min().unwrap_or(0);
        let q = t_quantile(0.5 + level / 2.0, dof);
        let (mut projections, left_out) = usable_projections(&members, times, log);
        let total: f64 = projections.iter().map(|p| p.1).sum();
        if projections.is_empty() || !(total > 0.0) {
            return None;
        }
        for p in &mut projections {
            p.1 /= total;
        }
        let points = times
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                let (mut mean, mut se_sum, mut pse_sum) = (0.0, 0.0, 0.0);
                let parts: Vec<(f64, f64, f64, f64)> = projections
                    .iter()
                    .map(|(p, w, s2)| {
                        let pt = p.points[i];
                        let (m, se) = if log {
                            (pt.value.ln(), pt.std_error)
                        } else {
                            (pt.value, pt.std_error)
                        };
                        (m, se, *s2, *w)
                    })
                    .collect();
                for &(m, _, _, w) in &parts {
                    mean += w * m;
                }
                for &(m, se, s2, w) in &parts {
                    let d2 = (m - mean).powi(2);
                    se_sum += w * (se * se + d2).sqrt();
                    pse_sum += w * (se * se + s2 + d2).sqrt();
                }
                let (cl, cu, pl, pu) = (
                    mean - q * se_sum,
                    mean + q * se_sum,
                    mean - q * pse_sum,
                    mean + q * pse_sum,
                );
                if log {
                    ProjectedPoint {
                        t,
                        value: mean.exp(),
                        std_error: se_sum,
                        conf_lower: cl.exp(),
                        conf_upper: cu.exp(),
                        pred_lower: pl.exp(),
                        pred_upper: pu.exp(),
                    }
                } else {
                    ProjectedPoint {
                        t,
                        value: mean,
                        std_error: se_sum,
                        conf_lower: cl,
                        conf_upper: cu,
                        pred_lower: pl,
                        pred_upper: pu,
                    }
                }
            })
            .collect();
        let mut warnings = Vec::new();
        for (p, w, _) in &projections {
            if *w > 0.01 {
                warnings.extend(p.warnings.iter().map(|x| Warning {
                    message: format!("{} (weight {:.0}%): {}", p.model, 100.0 * w, x.message),
                    ..x.clone()
                }));
            }
        }
        warnings.dedup_by(|a, b| {
            a.kind == WarningKind::LongHorizon && b.kind == WarningKind::LongHorizon
        });
        if !left_out.is_empty() {
            warnings.push(Warning {
                kind: WarningKind::NotPositive,
                parameter: None,
                message: format!(
                    "left out of the average, the others' weights renormalised: {} (its curve or \
                     band is not a number on the averaging scale at some projected time)",
                    left_out.join(", ")
                ),
            });
        }
        Some(Projection {
            series: self.series.clone(),
            model: format!("model average ({} weights)", self.criterion_name()),
            unit: first.unit.clone(),
            axis: first.axis.clone(),
            level,
            method: crate::fit::IntervalMethod::Delta,
            error_model: if log {
                ErrorModel::Multiplicative
            } else {
                ErrorModel::Additive
            },
            last_observed: first.observations.last().map_or(f64::NAN, |o| o.t),
            points,
            warnings,
        })
    }

    fn criterion_name(&self) -> &'static str {
        match self.criterion {
            Criterion::Aicc => "AICc",
            Criterion::Aic => "AIC",
        }
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.criterion_name();
        writeln!(f, "model comparison for `{}` (ranked by {c})", self.series)?;
        use crate::table::{Align, Table};
        let mut t = Table::new(&[
            ("model", Align::Left),
            ("k", Align::Right),
            (c, Align::Right),
            ("delta", Align::Right),
            ("weight", Align::Right),
            ("trusted", Align::Left),
        ]);
        for r in &self.ranking {
            t.row(vec![
                r.label.clone(),
                r.k.to_string(),
                format!("{:.3}", r.criterion),
                format!("{:.3}", r.delta),
                format!("{:.1}%", 100.0 * r.weight),
                (if r.trust.trusted { "yes" } else { "no" }).to_string(),
            ]);
        }
        // A ceiling that ran off is a row too: what the data say about it, one-sided.
        let mut ran_off = 0;
        for c in &self.candidates {
            if let Err(crate::Error::Diverged {
                parameter,
                bound: Some(b),
                ..
            }) = &c.fit
            {
                ran_off += 1;
                let (above, pct) = (b.above, b.percent());
                t.row(vec![
                    c.label.clone(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    format!("no: ran off, {parameter} above {above:.3e} at {pct}% only"),
                ]);
            }
        }
        if self.ranking.is_empty() && ran_off == 0 {
            writeln!(f, "    no model could be ranked (see the notes)")?;
        } else {
            f.write_str(&t.render("    "))?;
        }
        for r in self.ranking.iter().filter(|r| !r.trust.trusted) {
            writeln!(f, "    {} not trusted: {}", r.label, r.trust.why())?;
        }
        for n in &self.notes {
            writeln!(f, "    note: {n}")?;
        }
        Ok(())
    }
}

/// The members' projections at `times` (with weight and residual variance), and the labels of
/// those left out: a member whose curve or band is not a number on the averaging scale at some
/// time (a curve at 0 or below on the log scale, a NaN band) would turn every average into 0 or
/// NaN whatever its weight.
#[allow(clippy::type_complexity)]
fn usable_projections(
    members: &[(&Fit, f64)],
    times: &[f64],
    log: bool,
) -> (Vec<(Projection, f64, f64)>, Vec<String>) {
    let mut left_out = Vec::new();
    let mut projections = Vec::new();
    for (f, w) in members {
        let p = f.project(times);
        let usable = p.points.iter().all(|q| {
            let m = if log { q.value.ln() } else { q.value };
            m.is_finite() && q.std_error.is_finite()
        });
        if usable {
            projections.push((p, *w, f.residual_variance()));
        } else {
            left_out.push(format!("{} (weight {:.3}%)", f.label(), 100.0 * w));
        }
    }
    (projections, left_out)
}
