//! The CSV tables of a run: their row types, and the rows built from each series' work.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::compare;
use crate::error::Result;
use crate::export::{self, finite, ParameterRow, ProjectionRow};
use crate::fit::Fit;
use crate::profile::ProfileInterval;
use crate::series::Kind;

use super::series::SeriesWork;

/// One row of `comparison.csv`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// Series name.
    pub series: String,
    /// Model label.
    pub model: String,
    /// `aicc` or `aic`.
    pub criterion: &'static str,
    /// The criterion's value (empty when the model was not ranked).
    pub value: Option<f64>,
    /// Difference to the best.
    pub delta: Option<f64>,
    /// Akaike weight.
    pub weight: Option<f64>,
    /// The data identify the model's parameters ([`crate::Fit::is_identified`]: the narrow
    /// per-fit check).
    pub identified: bool,
    /// Its band can be relied on ([`crate::trust`]).
    pub trusted: bool,
    /// Why not, in words, `"; "`-separated (empty when trusted).
    pub trust: String,
    /// Projected value at the horizon.
    pub at_horizon: Option<f64>,
    /// The projection at the horizon is above the series' known ceiling (a share above 100%,
    /// more users than people): the model is not a possible answer.
    pub breaks_known_ceiling: bool,
    /// This is the model the report presents for the series (in its text and its chart).
    pub chosen: bool,
    /// Why it was not fitted, or its warnings, `" | "`-separated.
    pub warnings: String,
    /// The comparison's notes (same on every row of a series), `" | "`-separated.
    pub notes: String,
}

/// One row of `backtests.csv`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BacktestRow {
    /// Series name.
    pub series: String,
    /// Model label.
    pub model: String,
    /// Points held out.
    pub k: usize,
    /// Time of the held-out point as its axis prints it (a date on the calendar).
    pub ds: String,
    /// The unit of a numeric time axis; empty on the calendar.
    pub time_unit: Option<String>,
    /// Observed value.
    pub y: f64,
    /// Its kind.
    pub kind: Kind,
    /// Projection from the earlier points.
    pub yhat: f64,
    /// Prediction band.
    pub yhat_lower: Option<f64>,
    /// Prediction band.
    pub yhat_upper: Option<f64>,
    /// `ln(y / yhat)`.
    pub log_error: Option<f64>,
    /// Whether the band covered the point (for a bound: whether the projection respected it).
    pub covered: bool,
    /// How far past the last fitted point, in the time axis' unit (years on the calendar).
    pub horizon: f64,
    /// The shortened fit's warnings (a long horizon among them), `" | "`-separated.
    pub warnings: String,
}

/// One row of `rolling_backtests.csv`: one method's forecasts `step` points ahead in a
/// rolling-origin backtest of one series ([`crate::hindcast::rolling`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RollingRow {
    /// Series name.
    pub series: String,
    /// The method (`recommended`, `naive (last two points' growth)`).
    pub method: String,
    /// Points ahead.
    pub step: usize,
    /// Forecasts made that far ahead.
    pub forecasts: usize,
    /// Share of actual values the 95% prediction band held (empty: no band).
    pub coverage: Option<f64>,
    /// Median band width, upper ÷ lower (empty: no band).
    pub median_width: Option<f64>,
    /// Median `|ln(observed / forecast)|`.
    pub median_abs_log_error: f64,
}

/// One row of `ceiling_profiles.csv`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProfileRow {
    /// Series name.
    pub series: String,
    /// Parameter (the ceiling).
    pub parameter: String,
    /// Value held fixed.
    pub value: f64,
    /// Sum of squares with the rest refitted.
    pub rss: Option<f64>,
    /// Profile statistic `sqrt((RSS − RSS_min)/s²)`.
    pub tau: Option<f64>,
    /// Interval's lower end (empty: none).
    pub lower: Option<f64>,
    /// Interval's upper end (empty: no upper bound from these data).
    pub upper: Option<f64>,
    /// The interval in words.
    pub statement: String,
}

/// One row of `scenarios.csv`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioRow {
    /// Scenario file stem.
    pub set: String,
    /// Scenario name.
    pub scenario: String,
    /// Decimal year.
    pub t: f64,
    /// Date.
    pub ds: String,
    /// Path value.
    pub value: f64,
    /// Annual growth rate of the path.
    pub rate: f64,
    /// The rate is implied by a target (not given).
    pub implied: bool,
    /// The assumed base's label.
    pub base: String,
}

/// One row of `scenario_sensitivity.csv`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SensitivityRow {
    /// Scenario file stem.
    pub set: String,
    /// Target scenario name.
    pub scenario: String,
    /// The assumed base value tried.
    pub assumed_base: f64,
    /// Its year.
    pub base_year: f64,
    /// The annual growth rate the target implies from it.
    pub rate: f64,
}

/// Every row a run gathers, table by table, and the fits for `fits.json`.
#[derive(Default)]
pub(super) struct Tables {
    pub(super) projections: Vec<ProjectionRow>,
    pub(super) parameters: Vec<ParameterRow>,
    pub(super) comparisons: Vec<ComparisonRow>,
    pub(super) backtests: Vec<BacktestRow>,
    pub(super) rolling: Vec<RollingRow>,
    pub(super) profiles: Vec<ProfileRow>,
    pub(super) scenarios: Vec<ScenarioRow>,
    pub(super) sensitivities: Vec<SensitivityRow>,
    pub(super) claims: Vec<super::ClaimRow>,
    pub(super) fits: Vec<(String, Fit)>,
}

impl Tables {
    /// Adds the rows of one series. `lean` (a series of a file of many series): the
    /// projection of the chosen model only, at the printed times only, and no fit in
    /// `fits.json`.
    pub(super) fn add_series(&mut self, w: &SeriesWork, horizon: f64, lean: bool) {
        let chosen = w.chosen().map(|(f, _)| f);
        for c in &w.comparison.candidates {
            if let Ok(f) = &c.fit {
                self.parameters.extend(export::parameter_rows(&c.label, f));
                if lean && chosen.is_some_and(|c| std::ptr::eq(c, f)) {
                    let times = super::series::printed_times(&w.series, horizon);
                    let projection = f.project(&times);
                    self.projections
                        .extend(export::projection_rows(&c.label, f, &projection));
                }
                if !lean {
                    let projection = f.project(&export::csv_grid(f, horizon));
                    self.projections
                        .extend(export::projection_rows(&c.label, f, &projection));
                    self.fits.push((c.label.clone(), f.clone()));
                }
            }
        }
        if let Some(avg) = (!lean).then(|| average_rows(w, horizon)).flatten() {
            self.projections.extend(avg);
        }
        // The recommended projection, the one the recommended chart draws (same dates).
        if let Some((r, f)) = w
            .recommended
            .as_ref()
            .and_then(|r| Some((r, w.comparison.fit(r.point)?)))
        {
            self.projections
                .extend(export::projection_rows("recommended", f, &r.projection));
        }
        self.comparisons.extend(comparison_rows(w, horizon));
        self.backtests.extend(backtest_rows(w));
        for r in &w.rolling {
            self.rolling.extend(r.by_step.iter().map(|s| RollingRow {
                series: r.series.clone(),
                method: r.label.clone(),
                step: s.step,
                forecasts: s.forecasts,
                coverage: s.coverage,
                median_width: s.median_width.is_finite().then_some(s.median_width),
                median_abs_log_error: s.median_abs_log_error,
            }));
        }
        if let Some(p) = &w.profile {
            self.profiles.extend(profile_rows(w.series.name(), p));
        }
    }

    /// Writes every table into `out`, noting each file in `written`.
    pub(super) fn write(&self, out: &Path, written: &mut Vec<(PathBuf, String)>) -> Result<()> {
        let refs: Vec<(&str, &Fit)> = self.fits.iter().map(|(l, f)| (l.as_str(), f)).collect();
        // A table with no rows is not written (an empty file would say nothing; the csv crate
        // writes the header with the first row).
        let tables: [(&str, String, Writer, usize); 10] = [
            csv(
                "projections.csv",
                &self.projections,
                "series, model, date, observed and fitted values, bands",
            ),
            csv(
                "parameters.csv",
                &self.parameters,
                "estimates, standard errors, intervals, warnings",
            ),
            csv(
                "comparison.csv",
                &self.comparisons,
                "ranking by AICc/AIC, Akaike weights, notes",
            ),
            csv(
                "backtests.csv",
                &self.backtests,
                "last point held out, projection error and coverage",
            ),
            csv(
                "rolling_backtests.csv",
                &self.rolling,
                "rolling-origin backtests per step ahead (series of 5 points or more)",
            ),
            csv(
                "ceiling_profiles.csv",
                &self.profiles,
                "profile likelihood of the logistic ceiling",
            ),
            csv(
                "scenarios.csv",
                &self.scenarios,
                "scenario paths from assumed bases",
            ),
            csv(
                "scenario_sensitivity.csv",
                &self.sensitivities,
                "implied rate of each target against the assumed base",
            ),
            csv(
                "claims.csv",
                &self.claims,
                "claims in the documents checked against the figures",
            ),
            (
                "fits.json",
                format!("{} fits", refs.len()),
                Box::new(|p| export::write_json(p, &refs)),
                refs.len(),
            ),
        ];
        for (name, what, write, _) in tables.into_iter().filter(|t| t.3 > 0) {
            let file = out.join(name);
            write(&file)?;
            written.push((file, what));
        }
        Ok(())
    }
}

/// Writes one table to the path it is given.
type Writer<'a> = Box<dyn Fn(&Path) -> Result<()> + 'a>;

/// A CSV table: its file name, what it holds (with its row count), its writer and its number
/// of rows.
fn csv<'a, T: Serialize>(
    name: &'a str,
    rows: &'a [T],
    what: &str,
) -> (&'a str, String, Writer<'a>, usize) {
    let what = format!("{} rows: {what}", rows.len());
    (
        name,
        what,
        Box::new(move |p| export::write_rows(p, rows)),
        rows.len(),
    )
}

/// The model average's projection rows, on the dates of its members' rows.
fn average_rows(w: &SeriesWork, horizon: f64) -> Option<Vec<ProjectionRow>> {
    let first = w.comparison.ranking.first()?;
    let base = w.comparison.fit(first.id)?;
    let avg = w.comparison.averaged(&export::csv_grid(base, horizon))?;
    Some(export::projection_rows(&avg.model, base, &avg))
}

/// One `comparison.csv` row per candidate of a series.
fn comparison_rows(w: &SeriesWork, horizon: f64) -> Vec<ComparisonRow> {
    let c = &w.comparison;
    let criterion = match c.criterion {
        compare::Criterion::Aicc => "aicc",
        compare::Criterion::Aic => "aic",
    };
    let notes = c.notes.join(" | ");
    c.candidates
        .iter()
        .enumerate()
        .map(|(i, cand)| {
            let ranked = c.ranked(cand.id);
            let breaks = cand
                .fit
                .as_ref()
                .is_ok_and(|f| w.breaks_ceiling(f, horizon));
            let (identified, at_horizon, warnings) = match &cand.fit {
                Ok(f) => (
                    f.is_identified(),
                    Some(f.value_at(horizon)).filter(|v| v.is_finite()),
                    export::joined(f.warnings()),
                ),
                Err(e) => (false, None, format!("not fitted: {e}")),
            };
            let trust = c.trust(cand.id);
            ComparisonRow {
                trusted: trust.trusted,
                trust: trust.why(),
                series: c.series.clone(),
                model: cand.label.clone(),
                criterion,
                value: ranked.map(|r| r.criterion),
                delta: ranked.map(|r| r.delta),
                weight: ranked.map(|r| r.weight),
                identified,
                at_horizon,
                breaks_known_ceiling: breaks,
                chosen: w.choice.is_some_and(|(k, _)| k == i),
                warnings,
                notes: notes.clone(),
            }
        })
        .collect()
}

/// One `backtests.csv` row per held-out point of each backtest.
fn backtest_rows(w: &SeriesWork) -> Vec<BacktestRow> {
    w.backtests
        .iter()
        .filter_map(|(_, b)| b.as_ref().ok())
        .flat_map(|b| {
            let warnings = export::joined(&b.warnings);
            b.held_out.iter().map(move |h| BacktestRow {
                series: b.series.clone(),
                model: b.label.clone(),
                k: b.k,
                ds: b.axis.cell(h.t),
                time_unit: (!b.axis.is_calendar()).then(|| b.axis.unit().to_string()),
                y: h.observed,
                kind: h.kind,
                yhat: h.projected,
                yhat_lower: finite(h.pred_lower),
                yhat_upper: finite(h.pred_upper),
                log_error: finite(h.log_error),
                covered: h.covered,
                horizon: h.horizon,
                warnings: warnings.clone(),
            })
        })
        .collect()
}

/// One `ceiling_profiles.csv` row per grid value of the profile.
fn profile_rows(series: &str, p: &ProfileInterval) -> Vec<ProfileRow> {
    p.profile
        .iter()
        .map(|q| ProfileRow {
            series: series.to_string(),
            parameter: p.parameter.clone(),
            value: q.value,
            rss: finite(q.rss),
            tau: finite(q.tau),
            lower: p.lower,
            upper: p.upper,
            statement: p.statement.clone(),
        })
        .collect()
}
