//! One answer when the data cannot tell the curves apart: a recommended projection whose band
//! spans every plausible model.
//!
//! With two to six points the largest uncertainty is which curve the world follows. Averaging
//! the models hides it (one member's huge band blows the average up on the log scale, and an
//! information criterion on four points hands most of the weight to whichever model the data
//! do not identify). The recommendation instead keeps the models apart:
//!
//! * **plausible members**: every candidate that fitted with at least one degree of freedom
//!   (so it has a band) and whose curve stays within a known ceiling, if one is given; on
//!   series of more than [`RecommendOptions::all_up_to`] points, only those whose AIC lies within
//!   [`RecommendOptions::max_delta`] of the best. The rule is measured, not assumed
//!   (`cargo run --release --example model_uncertainty`): ranking by AICc pushes the true
//!   three-parameter curve out at six points (its median ΔAICc is 21–24 for a logistic), so
//!   plain AIC is used; and on four or five points no criterion separates the curves (Δ rules
//!   covered 73–89% five years out), so every member counts;
//! * **the band** at each time is the hull of the members' bands, `[min lower, max upper]`: no
//!   weights, no averaging, never wider than the union of the members' bands (they overlap on
//!   the data), and it says which member makes each edge;
//! * **the point path** is the best-ranked member the data identify (else the best-ranked
//!   member), so the line is one model's curve, not a blend of shapes;
//! * **the prediction band** (where the figure itself will be) also carries the drift of real
//!   growth rates ([`crate::drift`]: measured from the best-describing member's curve and
//!   weighed against a reference class of real series), and is the central band of a mixture
//!   of the curves' hull and the naive path's band (the last two points' growth carried
//!   forward, [`crate::naive`], which forecast real series one step ahead better than the
//!   fitted curves): the curves stand for growth-rate departures that revert (their band
//!   widens with the square root of the horizon), the naive path for departures that persist
//!   (its band widens with the horizon), each weighed by how likely its account is given the
//!   series' own rate changes (as departures from its best-describing curve) and its
//!   reference class ([`crate::drift::Drift::persisting`]).
//!   Neither forecaster wins everywhere, and the union of two 95% bands that differ holds more
//!   than 95% (`src/analysis/mixture.rs`). Measured on real series in
//!   `cargo run --release --example backtest`.
//!
//! Its coverage is measured in `cargo run --release --example model_uncertainty`.

use std::fmt;

use serde::Serialize;

use super::compare::{CandidateId, Comparison};
use super::drift::{Drift, DriftOptions, OwnDrift, ReferenceTable};
use super::known::{CeilingFact, KnownCeiling};
use super::mixture::mixture;
use super::naive::naive_projection;
use super::trust::Trust;
use crate::fit::{Fit, IntervalMethod};
use crate::project::Projection;

/// How the plausible members are chosen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecommendOptions {
    /// A candidate whose AIC lies more than this above the best is not plausible (default 6:
    /// about the 95% likelihood-ratio threshold for one parameter, 3.84, plus the criterion's
    /// penalty of 2 for it).
    pub max_delta: f64,
    /// On a series of at most this many points every fitted member is plausible (default 5).
    pub all_up_to: usize,
    /// A known fact about the ceiling: only the candidates that agree with it are plausible
    /// ([`KnownCeiling::admits`]), and the confidence band stops at it. Compare with
    /// [`crate::known::compare_knowing`] so that the S-curves with the fact imposed are
    /// among the candidates.
    pub known_ceiling: Option<KnownCeiling>,
    /// How the prediction band carries the drift of real growth rates ([`crate::drift`]): on by
    /// default, sized from the series and its reference class.
    pub drift: DriftOptions,
}

impl RecommendOptions {
    /// The default rule, knowing `fact` about the ceiling. With a fixed ceiling the AIC rule
    /// applies at every length of series: the members are then the S-curves with that ceiling,
    /// two parameters each, so four points leave two degrees of freedom to tell their shapes
    /// apart. Measured in `cargo run --release --example model_uncertainty`: the band held the
    /// truth in at least 90.2% of the series in every curve × n pool at +1, +2 and +5 years, and
    /// its median width on the log scale fell from 1.78 to 1.15 times the true model's with
    /// the ceiling known (every member: 1.44–4.0 times on four points).
    pub fn knowing(fact: KnownCeiling) -> Self {
        let all_up_to = match fact.kind {
            CeilingFact::Fixed => 0,
            CeilingFact::AtMost => RecommendOptions::default().all_up_to,
        };
        RecommendOptions {
            known_ceiling: Some(fact),
            all_up_to,
            ..RecommendOptions::default()
        }
    }
}

impl Default for RecommendOptions {
    fn default() -> Self {
        RecommendOptions {
            max_delta: 6.0,
            all_up_to: 5,
            known_ceiling: None,
            drift: DriftOptions::default(),
        }
    }
}

/// A candidate left out of the recommendation, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeftOut {
    /// The candidate.
    pub id: CandidateId,
    /// Its label.
    pub label: String,
    /// Why.
    pub reason: String,
}

/// A plausible member of a recommendation: a candidate and its own projection.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Member {
    /// The candidate.
    pub id: CandidateId,
    /// Its label.
    pub label: String,
    /// Its own projection (curve and bootstrap bands) at the recommendation's times, its
    /// prediction band widened for its `drift`: charts draw the members from it.
    pub projection: Projection,
    /// The growth-rate drift its prediction band carries, as a reverting departure
    /// ([`Drift::reverting_log_sd`], no calibration factor): the series' growth rates'
    /// departures from the curve of the member that describes the past best (lowest AIC,
    /// [`OwnDrift::of_fit`]), the same for every member; `None` when turned off.
    pub drift: Option<Drift>,
}

/// The recommended projection of a series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recommendation {
    /// The candidate whose curve is the point path.
    pub point: CandidateId,
    /// The plausible members whose bands make the band, best-ranked first.
    pub members: Vec<Member>,
    /// The candidates left out, with why.
    pub left_out: Vec<LeftOut>,
    /// The projection: the point path with the hull of the members' confidence bands, and as
    /// prediction band the mixture of the members' hull and the naive path's band, weighed by
    /// how likely the series' growth-rate departures are to revert or persist
    /// ([`IntervalMethod::Envelope`]).
    pub projection: Projection,
    /// At each point, the member whose confidence band makes the low edge.
    pub low_edge: Vec<CandidateId>,
    /// At each point, the member whose confidence band makes the high edge.
    pub high_edge: Vec<CandidateId>,
    /// The last point's edges in words.
    pub statement: String,
    /// The known fact about the ceiling it respects, if one was given.
    pub known_ceiling: Option<KnownCeiling>,
    /// Whether the point member's own band can be relied on ([`Comparison::trust`]); when it
    /// cannot, the band across the members is the answer to quote.
    pub point_trust: Trust,
    /// The growth-rate drift of the series itself (its rate changes, not a member's departures
    /// from its curve), which the naive path's band carries as a persisting departure, with
    /// the reference class's calibration factor (`None` when turned off).
    pub drift: Option<Drift>,
    /// Why the bands carry no drift although it is on: the series' time axis has no reference
    /// class and none was given ([`Drift::missing_reason`]).
    pub no_drift: Option<String>,
    /// The naive path (the last two points' growth carried forward) with its prediction band,
    /// part of the prediction band's mixture ([`Drift::persisting`]): on real series it
    /// forecast one step ahead better than the fitted curves (`cargo run --release --example
    /// backtest`). `None` when the last two values are not both positive.
    pub naive: Option<Projection>,
}

impl Recommendation {
    /// What the prediction band does with the naive path, in words (after "the prediction
    /// band"); `None` without a naive path.
    pub fn naive_note(&self) -> Option<String> {
        let naive = self.naive.as_ref()?;
        let banded = naive.points.iter().any(|q| q.pred_upper > q.pred_lower);
        Some(match (&self.drift, banded) {
            (Some(d), true) => format!(
                "mixes the fitted curves' band ({:.0}%, for growth-rate departures that revert) \
                 with the naive path's ({:.0}%, for departures that persist: the last two \
                 points' growth carried forward): {}",
                100.0 * (1.0 - d.persisting),
                100.0 * d.persisting,
                d.persistence()
            ),
            _ => "holds the naive path (the last two points' growth carried forward, which \
                  forecast real series one step ahead better than the fitted curves)"
                .to_string(),
        })
    }
}

impl Comparison {
    /// The recommended projection at decimal years `times` (see the [module](self)); `None`
    /// when no candidate is plausible (none fitted with a degree of freedom left).
    pub fn recommended(&self, times: &[f64], opts: &RecommendOptions) -> Option<Recommendation> {
        let mut left_out = Vec::new();
        let mut members: Vec<(CandidateId, &Fit, Projection)> = Vec::new();
        for c in &self.candidates {
            let leave = |reason: String| LeftOut {
                id: c.id,
                label: c.label.clone(),
                reason,
            };
            let Ok(f) = &c.fit else {
                left_out.push(leave("not fitted".into()));
                continue;
            };
            if !self.ranking.iter().any(|r| r.id == c.id) {
                left_out.push(leave("no degrees of freedom: no band".into()));
                continue;
            }
            let p = f.project(times);
            if let Some(Err(why)) = opts.known_ceiling.as_ref().map(|k| k.admits(f, &p)) {
                left_out.push(leave(why));
                continue;
            }
            members.push((c.id, f, p));
        }
        // The data's verdict among the models that agree with what is known.
        let best_aic = members
            .iter()
            .map(|m| m.1.aic())
            .fold(f64::INFINITY, f64::min);
        members.retain(|(id, f, _)| {
            let delta = f.aic() - best_aic;
            let keep = f.n_points() <= opts.all_up_to || delta <= opts.max_delta;
            if !keep {
                left_out.push(LeftOut {
                    id: *id,
                    label: f.label().to_string(),
                    reason: format!("the data reject it (AIC {delta:.1} above the best)"),
                });
            }
            keep
        });
        // Best-ranked first.
        let rank = |id: CandidateId| self.ranking.iter().position(|r| r.id == id);
        members.sort_by_key(|m| rank(m.0));
        // The point path: the best-ranked member the comparison trusts, else the best-ranked
        // one the data identify, else the best-ranked.
        let point = members
            .iter()
            .find(|m| self.trust(m.0).trusted)
            .or_else(|| members.iter().find(|m| m.1.is_identified()))
            .or(members.first())?;
        // Real growth rates wander: each member's prediction band carries the drift.
        let table = ReferenceTable::bundled();
        let axis = point.1.axis().clone();
        let drift_on = opts.drift.enabled;
        let pts = points_of(point.1);
        let template = point.2.clone();
        let point = point.0;
        // The curve cannot pass a known ceiling, so neither can its confidence band; nor can a
        // new observation pass a bound (a population, 100%), so neither can the prediction
        // band then. A fixed ceiling is where the curve saturates: observations scatter about
        // it, and the prediction band keeps that.
        let cap = opts
            .known_ceiling
            .as_ref()
            .map_or((f64::INFINITY, f64::INFINITY), |k| match k.kind {
                CeilingFact::Fixed => (k.value, f64::INFINITY),
                CeilingFact::AtMost => (k.value, k.value),
            });
        // The drift is measured from the member that describes the past best (lowest AIC), so
        // that neither a deceleration it describes nor another member's misfit counts as drift
        // (a member's misfit is in its own noise already); every member carries it.
        let best = members
            .iter()
            .min_by(|a, b| a.1.aic().total_cmp(&b.1.aic()))
            .map(|m| m.1);
        let member_own = best.and_then(OwnDrift::of_fit);
        // The curves carry the departure as reverting, which needs no calibration factor: under
        // that account half the mean squared rate change is the rates' variance itself (and on
        // Gapminder a factor on it moved the binding cell by under a point: 90.0% with 1 and
        // 1.5 with persistence read from raw rate changes, 86.4% and 87.3% read from the
        // curve's departures unrestricted).
        // The naive path carries it as persisting, with the class's calibrated factor.
        let reverting_opts = DriftOptions {
            factor: Some(1.0),
            ..opts.drift.clone()
        };
        let member_drift = drift_on
            .then(|| Drift::estimate_for(member_own, &reverting_opts, table, &axis))
            .flatten();
        // The naive path's band carries the series' raw rate changes, when the members carry
        // a drift; whether its departures persist is read from the best curve's departures
        // (an S-curve's deceleration is not a change of rate that persists).
        let raw_own = OwnDrift::from_points(&pts).map(|raw| OwnDrift {
            reverting: member_own.map_or(0.0, |m| m.reverting),
            ..raw
        });
        let drift = member_drift
            .as_ref()
            .and_then(|_| Drift::estimate_for(raw_own, &opts.drift, table, &axis));
        let naive = naive_projection(&template, &pts, drift.as_ref()).ok();
        if let Some(d) = &member_drift {
            for m in members.iter_mut() {
                d.widen(&mut m.2);
            }
        }
        let drifts = vec![member_drift; members.len()];
        // The naive path weighs the probability that the series' rate departures persist.
        let weight = drift.as_ref().map_or(0.5, |d| d.persisting);
        let mut r = self.envelope(&members, point, naive.as_ref(), weight, left_out, cap);
        for (m, d) in r.members.iter_mut().zip(drifts) {
            m.drift = d;
        }
        r.drift = drift;
        r.no_drift = Drift::missing_reason(&axis, &opts.drift, member_own.map_or(0, |o| o.changes));
        r.naive = naive;
        r.known_ceiling = opts.known_ceiling.clone();
        r.point_trust = self.trust(point);
        Some(r)
    }

    /// The hull of the members' bands around the point member's curve; the prediction band
    /// mixed with the naive path's, which weighs `weight`.
    fn envelope(
        &self,
        members: &[(CandidateId, &Fit, Projection)],
        point: CandidateId,
        naive: Option<&Projection>,
        weight: f64,
        left_out: Vec<LeftOut>,
        (cap, pred_cap): (f64, f64),
    ) -> Recommendation {
        let base = &members
            .iter()
            .find(|m| m.0 == point)
            .expect("the point member")
            .2;
        let mut projection = base.clone();
        let level = projection.level;
        let (mut low_edge, mut high_edge) = (Vec::new(), Vec::new());
        for (i, q) in projection.points.iter_mut().enumerate() {
            let (mut lo, mut hi) = ((f64::INFINITY, point), (f64::NEG_INFINITY, point));
            let (mut plo, mut phi) = (f64::INFINITY, f64::NEG_INFINITY);
            for (id, _, p) in members {
                let m = &p.points[i];
                if m.conf_lower < lo.0 {
                    lo = (m.conf_lower, *id);
                }
                if m.conf_upper > hi.0 {
                    hi = (m.conf_upper, *id);
                }
                plo = plo.min(m.pred_lower);
                phi = phi.max(m.pred_upper);
            }
            // The curves and the naive path: the central band of their mixture, or, when a band
            // is not positive throughout, their union. A naive path without a band (no
            // drift) has no uncertainty to mix: the band then only holds it. Over the data the
            // naive path (a backcast there) takes no part.
            let ahead = naive.filter(|n| n.points[i].t > n.last_observed);
            if let Some(m) = ahead.map(|n| &n.points[i]) {
                let curves = (q.value, plo.min(q.value), phi.max(q.value));
                let path = (m.value, m.pred_lower, m.pred_upper);
                let mixed = (m.pred_upper > m.pred_lower)
                    .then(|| mixture(curves, path, weight, level))
                    .flatten();
                (plo, phi) = mixed.unwrap_or((plo.min(m.pred_lower), phi.max(m.pred_upper)));
            }
            (q.conf_lower, q.conf_upper) = (lo.0.min(q.value), hi.0.max(q.value).min(cap));
            (q.pred_lower, q.pred_upper) =
                (plo.min(q.conf_lower), phi.max(q.conf_upper).min(pred_cap));
            low_edge.push(lo.1);
            high_edge.push(hi.1);
        }
        let labels: Vec<String> = members.iter().map(|m| m.1.label().to_string()).collect();
        let label_of = |id: CandidateId| {
            members
                .iter()
                .find(|m| m.0 == id)
                .map_or(String::new(), |m| m.1.label().to_string())
        };
        projection.model = format!(
            "recommended: {} (band: {})",
            label_of(point),
            labels.join(", ")
        );
        projection.method = IntervalMethod::Envelope;
        let statement = match (projection.points.last(), low_edge.last(), high_edge.last()) {
            (Some(q), Some(&l), Some(&h)) => format!(
                "at {}: {:.4e}, {}% band {:.4e} to {:.4e}; the low edge is {}, the high edge is {}",
                projection.axis.at(q.t),
                q.value,
                (projection.level * 100.0).round(),
                q.conf_lower,
                q.conf_upper,
                label_of(l),
                label_of(h)
            ),
            _ => String::new(),
        };
        Recommendation {
            point,
            members: members
                .iter()
                .map(|(id, f, p)| Member {
                    id: *id,
                    label: f.label().to_string(),
                    projection: p.clone(),
                    drift: None,
                })
                .collect(),
            left_out,
            projection,
            low_edge,
            high_edge,
            statement,
            known_ceiling: None,
            point_trust: Trust::from_reasons(Vec::new()),
            drift: None,
            no_drift: None,
            naive: None,
        }
    }
}

/// The two-sided observations `fit` was fitted to.
fn points_of(fit: &Fit) -> Vec<(f64, f64)> {
    fit.observations()
        .iter()
        .filter(|o| !o.kind.is_one_sided())
        .map(|o| (o.t, o.value))
        .collect()
}

impl Recommendation {
    /// The members' labels, best-ranked first.
    pub fn member_labels(&self) -> Vec<&str> {
        self.members.iter().map(|m| m.label.as_str()).collect()
    }

    /// The label of the candidate `id` if it is a member.
    pub fn label_of(&self, id: CandidateId) -> Option<&str> {
        self.members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.label.as_str())
    }
}

impl fmt::Display for Recommendation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "recommended projection (the band spans every plausible model: {})",
            self.member_labels().join(", ")
        )?;
        if let Some(k) = &self.known_ceiling {
            writeln!(f, "    knowing: {}", k.describe())?;
        }
        if let Some(d) = self.members.first().and_then(|m| m.drift.as_ref()) {
            writeln!(f, "    prediction bands widened for {}", d.describe())?;
        }
        if let Some(why) = &self.no_drift {
            writeln!(f, "    {why}")?;
        }
        if let Some(note) = self.naive_note() {
            writeln!(f, "    the prediction band {note}")?;
        }
        writeln!(f, "    {}", self.statement)?;
        writeln!(
            f,
            "    its point path, {}, is {}",
            self.label_of(self.point).unwrap_or("?"),
            self.point_trust
        )?;
        for l in &self.left_out {
            writeln!(f, "    left out: {}: {}", l.label, l.reason)?;
        }
        write!(f, "{}", self.projection)
    }
}
