//! One series: the models fitted to it, the one the report presents, and its text.

use std::fmt::Write as _;

use crate::compare::{self, CandidateId, Comparison};
use crate::error::Result;
use crate::fit::{Fit, FitSpec, Fitter};
use crate::hindcast::{self, Backtest, Forecaster, Rolling};
use crate::known::{self, KnownCeiling, Narrowing};
use crate::model::{Logistic, Role};
use crate::profile::{self, ProfileInterval};
use crate::recommend::{RecommendOptions, Recommendation};
use crate::series::{Kind, Series};
use crate::time::parse_date;

use super::Particulars;

/// Everything fitted for one series.
pub(super) struct SeriesWork {
    pub(super) series: Series,
    /// Where its projections end: the report's horizon, or the series' own on a numeric axis.
    pub(super) horizon: f64,
    pub(super) comparison: Comparison,
    pub(super) backtests: Vec<(CandidateId, Result<Backtest>)>,
    pub(super) profile: Option<ProfileInterval>,
    /// The known ceiling, with why it is known.
    pub(super) ceiling: Option<(f64, String)>,
    /// The one model the report presents (text, chart and CSV alike): the index of its
    /// candidate, and whether the data identify it.
    pub(super) choice: Option<(usize, bool)>,
    /// The recommendation across the plausible models (knowing the ceiling when one is known)
    /// on the chart grid, from the first observation to the horizon: the recommended chart
    /// draws it and the text reads its last point; `None` when no model is plausible.
    pub(super) recommended: Option<Recommendation>,
    /// How much the known ceiling narrows it at the horizon.
    pub(super) narrowing: Option<Narrowing>,
    /// Rolling-origin backtests of the recommendation and of the naive forecast, on a series
    /// of [`ROLLING_FROM`] distinct times or more.
    pub(super) rolling: Vec<Rolling>,
}

/// Series of at least this many distinct times (points, when no time repeats) get
/// rolling-origin backtests.
pub(super) const ROLLING_FROM: usize = 5;
/// Their first origin (distinct times fitted), and how many times ahead they forecast.
const ROLLING_ORIGIN: usize = 3;
const ROLLING_STEPS: usize = 5;

impl SeriesWork {
    /// The presented fit and whether it is identified.
    pub(super) fn chosen(&self) -> Option<(&Fit, bool)> {
        let (i, identified) = self.choice?;
        let f = self.comparison.candidates.get(i)?.fit.as_ref().ok()?;
        Some((f, identified))
    }

    /// The known ceiling as a fact for the recommendation: an upper bound (a population, 100%).
    pub(super) fn known(&self) -> Option<KnownCeiling> {
        let (k, why) = self.ceiling.as_ref()?;
        KnownCeiling::at_most(*k, short_name(why)).ok()
    }

    /// Whether a fit's projection at the horizon breaks the known ceiling.
    pub(super) fn breaks_ceiling(&self, f: &Fit, horizon: f64) -> bool {
        self.ceiling
            .as_ref()
            .is_some_and(|(k, _)| f.value_at(horizon) > *k * (1.0 + 1e-9))
    }
}

/// The series' known ceiling: the one its particulars give, else 100% for a unit starting
/// with `%` (a generic rule: a share cannot pass the whole).
fn ceiling_of(particulars: &Particulars, s: &Series) -> Option<(f64, String)> {
    if let Some(c) = particulars.ceiling(s.name()) {
        return Some((c.value, c.note.clone()));
    }
    s.unit()
        .starts_with('%')
        .then(|| (100.0, "100%".to_string()))
}

/// The short name of a ceiling note: "population 1.41e9 (…)" → "population 1.41e9".
pub(super) fn short_name(why: &str) -> &str {
    why.split(" (").next().unwrap_or(why)
}

/// The standard candidates, and the S-curves bounded by the known ceiling.
fn specs_for(particulars: &Particulars, s: &Series) -> Vec<Box<dyn FitSpec>> {
    match ceiling_of(particulars, s)
        .and_then(|(k, why)| KnownCeiling::at_most(k, short_name(&why)).ok())
    {
        Some(fact) => known::specs_knowing(s, &fact),
        None => compare::standard_specs(s),
    }
}

/// Fits, ranks, backtests and profiles one series, and chooses the model to present.
/// Analyses one series up to `horizon` (a decimal year: a series on a numeric time axis looks
/// half its span ahead instead, [`Series::default_horizon`]).
/// `lean` (a series of a file of many series): the models are fitted, ranked and one is
/// chosen, nothing more (no backtests, ceiling profile, recommendation nor rolling backtests,
/// which cost some 0.3 s a series).
pub(super) fn analyse(
    particulars: &Particulars,
    s: &Series,
    horizon: f64,
    lean: bool,
) -> SeriesWork {
    let horizon = s.default_horizon(horizon);
    let specs = specs_for(particulars, s);
    let comparison = compare::compare(s, &specs);
    // Distinct times: a backtest holds out times, not single replicates.
    let backtests = if s.n_times() >= 4 && !lean {
        specs
            .iter()
            .enumerate()
            .map(|(i, spec)| (CandidateId(i), hindcast::backtest(spec.as_ref(), s, 1)))
            .collect()
    } else {
        Vec::new()
    };
    let profile = (s.n_times() >= 4 && !lean)
        .then(|| profile::ceiling_interval(&Fitter::new(Logistic), s, 0.95).ok())
        .flatten();
    let mut w = SeriesWork {
        series: s.clone(),
        horizon,
        comparison,
        backtests,
        profile,
        ceiling: ceiling_of(particulars, s),
        choice: None,
        recommended: None,
        narrowing: None,
        rolling: Vec::new(),
    };
    w.choice = chosen(&w, horizon);
    if lean {
        return w;
    }
    let opts = RecommendOptions {
        known_ceiling: w.known(),
        ..RecommendOptions::default()
    };
    let grid = crate::plot::series_grid(s, &crate::plot::ChartSpec::new().horizon(horizon));
    w.recommended = w.comparison.recommended(&grid, &opts);
    if s.n_times() >= ROLLING_FROM {
        w.rolling = [Forecaster::Recommended(opts.clone()), Forecaster::Naive]
            .iter()
            .filter_map(|m| hindcast::rolling(m, s, ROLLING_ORIGIN, ROLLING_STEPS).ok())
            .collect();
    }
    if let (Some(with), true) = (&w.recommended, opts.known_ceiling.is_some()) {
        // The same question without the fact: the standard candidates alone.
        let without = compare::compare_standard(s).recommended(&grid, &RecommendOptions::default());
        w.narrowing = without.and_then(|a| Narrowing::between(&a, with));
    }
    w
}

/// The one fit the report presents, as (candidate index, identified): the best-ranked
/// identified fit that respects the known ceiling; when there is none, the known-ceiling
/// logistic, else the simplest growth curve that fitted and respects the ceiling, else the
/// simplest that fitted.
fn chosen(w: &SeriesWork, horizon: f64) -> Option<(usize, bool)> {
    let cands = &w.comparison.candidates;
    let best = w
        .comparison
        .ranking
        .iter()
        .filter(|r| r.identified)
        .map(|r| r.id.0)
        .find(|&i| {
            cands[i]
                .fit
                .as_ref()
                .is_ok_and(|f| !w.breaks_ceiling(f, horizon))
        });
    if let Some(i) = best {
        return Some((i, true));
    }
    let order = |f: &Fit| {
        let fixed = f
            .params()
            .iter()
            .any(|p| p.role == Role::Ceiling && (p.fixed || p.bounds.is_some()));
        let rank = if fixed {
            0
        } else {
            ["exponential", "linear", "logistic", "gompertz"]
                .iter()
                .position(|m| *m == f.model())
                .map_or(9, |i| i + 1)
        };
        (w.breaks_ceiling(f, horizon), rank)
    };
    cands
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.fit.as_ref().ok().map(|f| (i, f)))
        .min_by_key(|(_, f)| order(f))
        .map(|(i, _)| (i, false))
}

/// The hindcast of a candidate in one sentence, for its chart caption.
pub(super) fn hindcast_note(w: &SeriesWork, id: CandidateId) -> Option<String> {
    let (_, b) = w.backtests.iter().find(|(i, _)| *i == id)?;
    let b = b.as_ref().ok()?;
    let h = b.held_out.first()?;
    let what = if h.kind.is_one_sided() {
        let side = if h.kind == Kind::AtLeast {
            "more than"
        } else {
            "less than"
        };
        if h.covered {
            format!(
                "this model respected the bound \"{side} {:.3e}\" there",
                h.observed
            )
        } else {
            format!(
                "this model broke the bound \"{side} {:.3e}\" there by {:.0}%",
                h.observed,
                100.0 * h.log_error.exp_m1().abs()
            )
        }
    } else {
        let miss = if h.log_error.is_finite() {
            format!("{:+.0}%", 100.0 * (-h.log_error).exp_m1())
        } else {
            "an unknown amount".into()
        };
        let band = match (h.pred_lower.is_finite(), h.covered) {
            (false, _) => "no band to judge it by",
            (true, true) => "inside its band",
            (true, false) => "outside its band",
        };
        format!("this model's projection was off by {miss} there, {band}")
    };
    Some(format!(
        "Hindcast: fitted without the last point ({}), {what}.",
        w.series.axis().at(h.t)
    ))
}

/// The text section of one series: the ranking, each model at the horizon, the chosen fit.
pub(super) fn series_text(text: &mut String, w: &SeriesWork, horizon: f64) {
    use crate::table::{Align, Table};
    let s = &w.series;
    let unit = if s.unit().is_empty() {
        String::new()
    } else {
        format!(" ({})", s.unit())
    };
    let _ = writeln!(text, "==== {}{unit}, {} point(s) ====", s.name(), s.len());
    if let Some(r) = &w.recommended {
        let _ = writeln!(
            text,
            "recommended, across every plausible model ({}): {}",
            r.member_labels().join(", "),
            r.statement
        );
        if let Some(q) = r.projection.points.last() {
            let _ = writeln!(
                text,
                "    the figure itself (95% prediction band): {:.4e} to {:.4e}{}{}",
                q.pred_lower,
                q.pred_upper,
                r.members
                    .iter()
                    .find(|m| m.id == r.point)
                    .and_then(|m| m.drift.as_ref())
                    .map_or(String::new(), |d| format!(
                        ", widened for growth rates drifting from the best-describing curve: {}",
                        d.describe()
                    )),
                r.naive_note()
                    .map_or(String::new(), |n| format!("; the band {n}"))
            );
        }
    }
    if let Some(n) = &w.narrowing {
        let _ = writeln!(text, "{n}");
    }
    let _ = writeln!(text, "{}", w.comparison);
    rolling_text(text, w);
    let at = w.series.axis().cell(horizon);
    let mut t = Table::new(&[
        ("model", Align::Left),
        (&at, Align::Right),
        ("95% confidence band", Align::Right),
        ("hindcast of the last point", Align::Left),
        ("", Align::Left),
    ]);
    for c in &w.comparison.candidates {
        match &c.fit {
            Ok(f) => {
                let p = f.project(&[horizon]).points[0];
                let flag = match &w.ceiling {
                    Some((k, why)) if w.breaks_ceiling(f, horizon) => format!(
                        "BREAKS the known ceiling ({}: {k:.4e})",
                        why.split(" (").next().unwrap_or(why)
                    ),
                    _ => String::new(),
                };
                t.row(vec![
                    c.label.clone(),
                    format!("{:.4e}", p.value),
                    format!("[{:.4e}, {:.4e}]", p.conf_lower, p.conf_upper),
                    hindcast_cell(w, c.id),
                    flag,
                ]);
            }
            Err(e) => t.row(vec![c.label.clone(), format!("not fitted: {e}")]),
        }
    }
    text.push_str(&t.render("    "));
    if let Some(p) = &w.profile {
        let _ = writeln!(
            text,
            "    logistic ceiling (profile likelihood): {}",
            p.statement
        );
    }
    let trust = w
        .choice
        .map(|(i, _)| w.comparison.trust(CandidateId(i)).to_string())
        .unwrap_or_default();
    match w.chosen() {
        Some((f, true)) => {
            let _ = writeln!(
                text,
                "\n-- chosen: {}, the best-ranked model whose parameters the data identify{} ({trust}; \
                 when it is not trusted, quote the recommended band above)\nIn words: {}\n\n{f}",
                f.label(),
                if w.ceiling.is_some() {
                    " that stays within the known ceiling"
                } else {
                    ""
                },
                f.summary(horizon)
            );
            let _ = writeln!(text, "{}", f.project(&printed_times(s, horizon)));
        }
        Some((f, false)) => {
            let _ = writeln!(
                text,
                "\n-- no model is identified by these data (more points, or a known parameter, are needed); \
                 shown: {}, the most defensible one\nIn words: {}\n\n{f}",
                f.label(),
                f.summary(horizon)
            );
            let _ = writeln!(text, "{}", f.project(&printed_times(s, horizon)));
        }
        None => {
            let _ = writeln!(text, "\n-- no model could be fitted to these data\n");
        }
    }
}

/// The rolling-origin backtests, and whether the naive forecast did better.
fn rolling_text(text: &mut String, w: &SeriesWork) {
    if w.rolling.is_empty() {
        return;
    }
    let _ = writeln!(
        text,
        "rolling-origin backtest (fit the first {ROLLING_ORIGIN} points, then one more at a time; forecast up to {ROLLING_STEPS} points ahead):"
    );
    for r in &w.rolling {
        for line in r.to_string().lines() {
            let _ = writeln!(text, "  {line}");
        }
    }
    if let [rec, naive] = &w.rolling[..] {
        let worse: Vec<String> =
            rec.by_step
                .iter()
                .filter(|a| {
                    naive.by_step.iter().any(|b| {
                        b.step == a.step && b.median_abs_log_error < a.median_abs_log_error
                    })
                })
                .map(|a| a.step.to_string())
                .collect();
        let _ = if worse.is_empty() {
            writeln!(
                text,
                "  the recommended point path forecast as well as the naive one or better at every step"
            )
        } else {
            writeln!(
                text,
                "  the naive forecast (the last two points' growth carried forward) did better at step(s) {}: its path is a member of the recommended prediction band",
                worse.join(", ")
            )
        };
    }
}

/// The hindcast of a candidate in a few words.
fn hindcast_cell(w: &SeriesWork, id: CandidateId) -> String {
    w.backtests
        .iter()
        .find(|(i, _)| *i == id)
        .and_then(|(_, b)| b.as_ref().ok())
        .and_then(|b| b.held_out.first())
        .map(|h| match (h.kind.is_one_sided(), h.covered) {
            (true, true) => "respected the bound".to_string(),
            (true, false) => "broke the bound".to_string(),
            (false, c) => format!(
                "projection {:+.1}% ({})",
                100.0 * (-h.log_error).exp_m1(),
                if c { "covered" } else { "missed" }
            ),
        })
        .unwrap_or_default()
}

/// The times a series' projection is printed at: every other year end after its last point and
/// the horizon on the calendar, the axis' round steps otherwise.
pub(super) fn printed_times(s: &Series, until: f64) -> Vec<f64> {
    let after = s.span().1;
    if !s.axis().is_calendar() {
        return s.axis().steps(after, until);
    }
    let first = after.floor() as i32 + 1;
    let last = until.floor() as i32;
    let mut t: Vec<f64> = (first..=last)
        .step_by(2)
        .filter_map(|y| parse_date(&format!("{y}-12-31")).ok())
        .filter(|&t| t > after && t <= until)
        .collect();
    if t.last().is_none_or(|&l| l < until) {
        t.push(until);
    }
    t
}
