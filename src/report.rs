//! The main job as one call: every series in a folder → charts, CSV tables, JSON and a text
//! summary. The `report` example and `growthcast report` are thin wrappers around [`run`].
//!
//! For each series with two or more points it fits the standard models (plus a logistic with a
//! known ceiling where there is one), ranks them ([`crate::compare`]), backtests each on the
//! last point ([`crate::hindcast`]) and profiles the logistic ceiling ([`crate::profile`]).
//! Single-point series (scenario targets) become a fan chart from an assumed, labelled base
//! ([`crate::scenario`]). Into the output folder go:
//!
//! | file | what |
//! |---|---|
//! | `charts/<series>_fit.png` | the chosen model (the `chosen` row of `comparison.csv`, the one the text shows): the best-supported identified model that stays within the known ceiling, with its bands (or, when none is identified, the most defensible one, with the caution on the chart); the hindcast in the caption |
//! | `charts/<series>_models.png` | every fitted model over the data; the ranking and the ceiling profile in the caption |
//! | `charts/<file>_fan.png` | scenario paths from the assumed base |
//! | `projections.csv` | one row per (series, model, date), the model average included ([`crate::export`]) |
//! | `parameters.csv` | one row per (series, model, parameter) |
//! | `comparison.csv` | one row per (series, model): criterion, Δ, Akaike weight, identified, value at the horizon, `breaks_known_ceiling`, `chosen` (the one model the text and the fit chart present), warnings, notes |
//! | `backtests.csv` | one row per (series, model, held-out point): projection, band, error, coverage, warnings |
//! | `ceiling_profiles.csv` | one row per (series, grid value) of the logistic ceiling's profile, with the interval |
//! | `scenarios.csv` | one row per (scenario, year) path value, with the implied rate and the assumed base |
//! | `scenario_sensitivity.csv` | one row per (target scenario, assumed base value): the implied annual rate |
//! | `fits.json` | every fit, in full |

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::compare::{self, Comparison};
use crate::error::{Error, Result};
use crate::export::{self, ParameterRow, ProjectionRow};
use crate::fit::{Fit, FitSpec, Fitter};
use crate::hindcast::{self, Backtest};
use crate::model::Logistic;
use crate::plot::{plot_comparison, plot_fan, plot_fit, ChartSpec, Fan};
use crate::profile::{self, ProfileInterval};
use crate::scenario::{Base, ScenarioSet};
use crate::series::{Kind, Series};
use crate::time::{format_date, parse_date};

/// What to read, where to write, and the outside knowledge the data do not carry.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// Folder of CSV files.
    pub data: PathBuf,
    /// Output folder (created if missing).
    pub out: PathBuf,
    /// Where to put small copies of the headline charts (the README's), if anywhere.
    pub docs: Option<PathBuf>,
    /// Project to this decimal year.
    pub horizon: f64,
    /// Known ceilings by series name: `(series, value, why)`. Series whose unit starts with `%`
    /// get 100% without being listed.
    pub ceilings: Vec<(String, f64, String)>,
    /// Assumed bases for single-point scenario files, by file stem: `(stem, base)`.
    pub scenario_bases: Vec<(String, Base)>,
    /// Series whose charts are copied to `docs` (by name; fan charts by file stem).
    pub headline: Vec<String>,
}

impl ReportOptions {
    /// Options for the bundled data: the population ceiling for generative-AI users, the
    /// ASSUMED 140 TWh 2024 base for the data-center targets, projections to the end of 2030.
    pub fn new(data: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Self {
            data: data.into(),
            out: out.into(),
            docs: None,
            horizon: parse_date("2030-12-31").expect("valid date"),
            ceilings: vec![(
                "genai_users".into(),
                1.41e9,
                "population 1.41e9 (6.02e8 users are 42.8% of it)".into(),
            )],
            scenario_bases: vec![(
                "datacenter_power_2030".into(),
                Base::assumed(
                    140e9,
                    2024.0,
                    "ASSUMED base: 140 TWh in 2024, not a document figure",
                ),
            )],
            headline: [
                "tokens_daily",
                "genai_users",
                "digital_economy_size",
                "datacenter_power_2030",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        }
    }
}

/// What a run wrote and said.
#[derive(Debug, Default)]
pub struct Report {
    /// Files written, with a line on each.
    pub written: Vec<(PathBuf, String)>,
    /// Files that could not be read, with the error.
    pub skipped: Vec<(PathBuf, String)>,
    /// The text summary: per series, the ranking, the 2030 projections and the best fit's report.
    pub text: String,
}

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
    /// The data identify the model's parameters.
    pub identified: bool,
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
    /// Date of the held-out point.
    pub ds: String,
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
    /// Years past the last fitted point.
    pub horizon_years: f64,
    /// The shortened fit's warnings (a long horizon among them), `" | "`-separated.
    pub warnings: String,
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

/// Everything fitted for one series.
struct SeriesWork {
    series: Series,
    comparison: Comparison,
    backtests: Vec<(String, Result<Backtest>)>,
    profile: Option<ProfileInterval>,
    /// The known ceiling, with why it is known.
    ceiling: Option<(f64, String)>,
    /// The one model the report presents (text, chart and CSV alike): the index of its
    /// candidate, and whether the data identify it.
    choice: Option<(usize, bool)>,
}

impl SeriesWork {
    /// The presented fit and whether it is identified.
    fn chosen(&self) -> Option<(&Fit, bool)> {
        let (i, identified) = self.choice?;
        let f = self.comparison.candidates.get(i)?.fit.as_ref().ok()?;
        Some((f, identified))
    }

    /// Whether a fit's projection at the horizon breaks the known ceiling.
    fn breaks_ceiling(&self, f: &Fit, horizon: f64) -> bool {
        self.ceiling
            .as_ref()
            .is_some_and(|(k, _)| f.value_at(horizon) > *k * (1.0 + 1e-9))
    }
}

fn ceiling_of(opts: &ReportOptions, s: &Series) -> Option<(f64, String)> {
    if let Some((_, k, why)) = opts.ceilings.iter().find(|c| c.0 == s.name()) {
        return Some((*k, why.clone()));
    }
    s.unit()
        .starts_with('%')
        .then(|| (100.0, "100%".to_string()))
}

/// A readable title for the bundled series (the series name otherwise).
fn title_of(name: &str) -> String {
    let t = match name {
        "tokens_daily" => "Daily AI token use in China",
        "genai_users" => "Generative-AI users in China",
        "genai_penetration" => "Generative-AI penetration in China",
        "genai_services" => "Registered generative-AI services in China",
        "digital_economy_share" => "Digital-economy core industries, share of GDP",
        "digital_economy_size" => "Digital-economy core industries, size",
        "ai_tv_online_share" => "TVs with built-in AI, share of online sales",
        "ai_tv_offline_share" => "TVs with built-in AI, share of offline sales",
        "enterprises_llm" => "Enterprises applying large models and agents",
        "ai_manufacturing_share" => "AI in the production stage of manufacturing",
        "datacenter_power_2030" => {
            "Data-center electricity use in China: paths to the 2030 targets"
        }
        other => other,
    };
    t.to_string()
}

/// The bundled source documents, named in English for captions (the file name otherwise).
fn document(file: &str) -> String {
    let name = match file.get(..3) {
        Some("000") => "Xinhua, AI trends in China for 2026 (2026-01-28)",
        Some("001") => "National Data Administration press conference (2026)",
        Some("002") => "People's Daily graphic on large models",
        Some("003") => "commentary on the State Council's AI+ opinions (2026-01-23)",
        Some("004") => "expert forum on the AI+ action (2026)",
        _ => return file.to_string(),
    };
    name.to_string()
}

fn sources_of(s: &Series) -> Vec<String> {
    let mut docs: Vec<String> = Vec::new();
    for src in s.sources() {
        let d = document(&src);
        if !docs.contains(&d) {
            docs.push(d);
        }
    }
    docs
}

fn caption_of(s: &Series) -> String {
    let docs = sources_of(s);
    if docs.is_empty() {
        String::new()
    } else {
        format!("Source: {}.", docs.join("; "))
    }
}

fn specs_for(opts: &ReportOptions, s: &Series) -> Vec<Box<dyn FitSpec>> {
    let mut specs = compare::standard_specs(s);
    if let Some((k, why)) = ceiling_of(opts, s) {
        let short = why.split(" (").next().unwrap_or(&why).to_string();
        specs.push(Box::new(
            Fitter::new(Logistic)
                .fix("K", k)
                .label(format!("logistic, K = {short}")),
        ));
    }
    specs
}

fn analyse(opts: &ReportOptions, s: &Series, horizon: f64) -> SeriesWork {
    let specs = specs_for(opts, s);
    let comparison = compare::compare(s, &specs);
    let backtests = if s.len() >= 4 {
        hindcast::backtest_all(&specs, s, 1)
    } else {
        Vec::new()
    };
    let profile = (s.len() >= 4)
        .then(|| profile::ceiling_interval(&Fitter::new(Logistic), s, 0.95).ok())
        .flatten();
    let mut w = SeriesWork {
        series: s.clone(),
        comparison,
        backtests,
        profile,
        ceiling: ceiling_of(opts, s),
        choice: None,
    };
    w.choice = chosen(&w, horizon);
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
        let fixed = f.params.iter().any(|p| p.fixed);
        let rank = if fixed {
            0
        } else {
            ["exponential", "linear", "logistic", "gompertz"]
                .iter()
                .position(|m| *m == f.model)
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

fn hindcast_note(w: &SeriesWork, label: &str) -> Option<String> {
    let (_, b) = w.backtests.iter().find(|(l, _)| l == label)?;
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
        format_date(h.t)
    ))
}

/// Runs the main job. `progress(done, total, name)` is called after each file.
///
/// A run that can produce nothing is an error ([`Error::NothingToReport`]) and writes nothing:
/// a missing `data` folder, one with no CSV files, or one whose every file fails to read. A
/// partial run returns the files it skipped in [`Report::skipped`].
pub fn run(opts: &ReportOptions, mut progress: impl FnMut(usize, usize, &str)) -> Result<Report> {
    let files = readable_files(&opts.data)?;
    let charts = opts.out.join("charts");
    std::fs::create_dir_all(&charts).map_err(|e| Error::io(&charts, e))?;
    let mut report = Report::default();
    let mut text = String::new();
    let horizon = opts.horizon;
    let (mut projections, mut parameters): (Vec<ProjectionRow>, Vec<ParameterRow>) =
        (Vec::new(), Vec::new());
    let (mut comparisons, mut backtests, mut profiles, mut scenarios) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut sensitivities: Vec<SensitivityRow> = Vec::new();
    let mut all_fits: Vec<(String, Fit)> = Vec::new();
    let mut headline: Vec<(PathBuf, Series, Fit, ChartSpec)> = Vec::new();
    let mut headline_fans: Vec<(PathBuf, Fan, ChartSpec)> = Vec::new();
    let total = files.len();
    for (done, (path, groups)) in files.into_iter().enumerate() {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let groups = match groups {
            Ok(g) => g,
            Err(e) => {
                report.skipped.push((path.clone(), e.to_string()));
                progress(done + 1, total, &stem);
                continue;
            }
        };
        let targets: Vec<Series> = groups.iter().filter(|s| s.len() == 1).cloned().collect();
        for s in groups.iter().filter(|s| s.len() > 1) {
            let w = analyse(opts, s, horizon);
            let ceiling = w.ceiling.clone();
            series_text(&mut text, &w, horizon);
            let safe = s.name().replace(['/', '\\'], "_");
            let title = title_of(s.name());
            let max_obs = s.values().into_iter().fold(f64::MIN, f64::max);
            let headroom = ceiling
                .as_ref()
                .filter(|(k, _)| max_obs > 0.0 && *k <= 3.0 * max_obs)
                .map(|(k, _)| (1.25 * k / max_obs).max(1.0));
            let with_ceiling = |spec: ChartSpec| match &ceiling {
                Some((k, why)) => spec.reference(
                    *k,
                    format!("known ceiling: {}", why.split(" (").next().unwrap_or(why)),
                ),
                None => spec,
            };
            let fitted: Vec<(&str, &Fit)> = w
                .comparison
                .candidates
                .iter()
                .filter_map(|c| c.fit.as_ref().ok().map(|f| (c.label.as_str(), f)))
                .collect();
            if let Some((f, identified)) = w.chosen() {
                let verdict = if identified {
                    "best-supported model"
                } else {
                    "no model identified"
                };
                let mut caption = caption_of(s);
                if let Some(h) = hindcast_note(&w, &f.label) {
                    caption = format!("{caption} {h}").trim().to_string();
                }
                let mut spec = with_ceiling(
                    ChartSpec::new()
                        .title(format!("{title}: {} ({verdict})", f.label))
                        .caption(caption)
                        .horizon(horizon),
                );
                spec.headroom = headroom;
                let file = charts.join(format!("{safe}_fit.png"));
                plot_fit(s, f, &spec, &file)?;
                let bands = if f.dof > 0 {
                    " with 95% bands"
                } else {
                    ", no bands (no degrees of freedom)"
                };
                report
                    .written
                    .push((file, format!("{}: {}{bands}", s.name(), f.label)));
                if opts.headline.iter().any(|h| h == s.name()) {
                    headline.push((
                        PathBuf::from(format!("{safe}.png")),
                        s.clone(),
                        f.clone(),
                        spec,
                    ));
                }
            }
            if !fitted.is_empty() {
                let mut caption = caption_of(s);
                if let Some(p) = &w.profile {
                    caption = format!(
                        "{caption} Logistic ceiling, profile likelihood: {}.",
                        p.statement
                    )
                    .trim()
                    .to_string();
                }
                let mut spec = with_ceiling(
                    ChartSpec::new()
                        .title(format!("{title}: models compared"))
                        .caption(caption)
                        .horizon(horizon)
                        .bands(false),
                );
                spec.headroom = headroom;
                let file = charts.join(format!("{safe}_models.png"));
                plot_comparison(s, &fitted, &spec, &file)?;
                report.written.push((
                    file,
                    format!("{}: {} models compared", s.name(), fitted.len()),
                ));
            }
            // Tables.
            for (label, f) in &fitted {
                projections.extend(export::projection_rows(label, f, horizon));
                parameters.extend(export::parameter_rows(label, f));
                all_fits.push((label.to_string(), (*f).clone()));
            }
            if let Some(avg) = average_rows(&w, horizon) {
                projections.extend(avg);
            }
            comparisons.extend(comparison_rows(&w, horizon));
            backtests.extend(backtest_rows(&w));
            if let Some(p) = &w.profile {
                profiles.extend(profile_rows(s.name(), p));
            }
        }
        if !targets.is_empty() {
            match opts.scenario_bases.iter().find(|(st, _)| *st == stem) {
                Some((_, base)) => {
                    let set = ScenarioSet::new(base.clone()).targets_from(&targets);
                    let _ = writeln!(
                        text,
                        "==== {stem}: {} scenario target(s) ====\n{set}",
                        targets.len()
                    );
                    // Implied rates for assumed bases from 5/7 to 10/7 of the chosen one (100 to
                    // 200 TWh around 140 TWh).
                    let bases: Vec<f64> = (5..=10).map(|k| base.value * k as f64 / 7.0).collect();
                    if let Ok(sens) = set.sensitivity(&bases) {
                        let _ = writeln!(text, "{sens}");
                        for (b, rates) in &sens.rows {
                            for (name, rate) in sens.names.iter().zip(rates) {
                                sensitivities.push(SensitivityRow {
                                    set: stem.clone(),
                                    scenario: name.clone(),
                                    assumed_base: *b,
                                    base_year: sens.base_year,
                                    rate: *rate,
                                });
                            }
                        }
                    }
                    let until = targets
                        .iter()
                        .map(|s| s.span().1)
                        .fold(base.year + 1.0, f64::max);
                    for p in set.paths(until, 1.0)? {
                        let implied = set
                            .implied_rates()?
                            .iter()
                            .any(|r| r.name == p.name && r.implied);
                        for &(t, value) in &p.points {
                            scenarios.push(ScenarioRow {
                                set: stem.clone(),
                                scenario: p.name.clone(),
                                t,
                                ds: format_date(t),
                                value,
                                rate: p.rate,
                                implied,
                                base: base.label.clone(),
                            });
                        }
                    }
                    let (fan, spec) = fan_chart(&stem, &set, &targets, base)?;
                    let file = charts.join(format!("{stem}_fan.png"));
                    plot_fan(&fan, &spec, &file)?;
                    report
                        .written
                        .push((file, format!("{stem}: scenario paths from an ASSUMED base")));
                    if opts.headline.contains(&stem) {
                        headline_fans.push((PathBuf::from(format!("{stem}_fan.png")), fan, spec));
                    }
                }
                None => {
                    for s in &targets {
                        let _ = writeln!(
                            text,
                            "==== {}: one point; give an assumed base (ReportOptions::scenario_bases) to see the rate it implies ====\n",
                            s.name()
                        );
                    }
                }
            }
        }
        progress(done + 1, total, &stem);
    }

    let out = &opts.out;
    let mut table = |name: &str, what: String, write: &dyn Fn(&Path) -> Result<()>| -> Result<()> {
        let file = out.join(name);
        write(&file)?;
        report.written.push((file, what));
        Ok(())
    };
    table(
        "projections.csv",
        format!(
            "{} rows: series, model, date, observed and fitted values, bands",
            projections.len()
        ),
        &|p| export::write_projections(p, &projections),
    )?;
    table(
        "parameters.csv",
        format!(
            "{} rows: estimates, standard errors, intervals, warnings",
            parameters.len()
        ),
        &|p| export::write_parameters(p, &parameters),
    )?;
    table(
        "comparison.csv",
        format!(
            "{} rows: ranking by AICc/AIC, Akaike weights, notes",
            comparisons.len()
        ),
        &|p| export::write_rows(p, &comparisons),
    )?;
    table(
        "backtests.csv",
        format!(
            "{} rows: last point held out, projection error and coverage",
            backtests.len()
        ),
        &|p| export::write_rows(p, &backtests),
    )?;
    table(
        "ceiling_profiles.csv",
        format!(
            "{} rows: profile likelihood of the logistic ceiling",
            profiles.len()
        ),
        &|p| export::write_rows(p, &profiles),
    )?;
    table(
        "scenarios.csv",
        format!(
            "{} rows: scenario paths from assumed bases",
            scenarios.len()
        ),
        &|p| export::write_rows(p, &scenarios),
    )?;
    table(
        "scenario_sensitivity.csv",
        format!(
            "{} rows: implied rate of each target against the assumed base",
            sensitivities.len()
        ),
        &|p| export::write_rows(p, &sensitivities),
    )?;
    let refs: Vec<(&str, &Fit)> = all_fits.iter().map(|(l, f)| (l.as_str(), f)).collect();
    table("fits.json", format!("{} fits", refs.len()), &|p| {
        export::write_json(p, &refs)
    })?;

    if let Some(docs) = &opts.docs {
        std::fs::create_dir_all(docs).map_err(|e| Error::io(docs, e))?;
        for (name, s, f, spec) in &headline {
            let file = docs.join(name);
            plot_fit(s, f, &spec.clone().size(960, 576), &file)?;
            report.written.push((file, "README chart".into()));
        }
        for (name, fan, spec) in &headline_fans {
            let file = docs.join(name);
            plot_fan(fan, &spec.clone().size(960, 576), &file)?;
            report.written.push((file, "README chart".into()));
        }
    }
    report.text = text;
    Ok(report)
}

/// Every CSV file of the folder, read; an error when there is nothing usable to report on.
#[allow(clippy::type_complexity)]
fn readable_files(folder: &Path) -> Result<Vec<(PathBuf, Result<Vec<Series>>)>> {
    let nothing = |reason: String| Error::NothingToReport {
        folder: folder.to_path_buf(),
        reason,
    };
    if !folder.is_dir() {
        return Err(nothing(
            "the folder does not exist (give a folder of CSV files, e.g. --data data)".into(),
        ));
    }
    let files = crate::io::read_dir(folder)?;
    if files.is_empty() {
        return Err(nothing(
            "the folder holds no `.csv` files (each series is a CSV file with `date` and `value` columns)"
                .into(),
        ));
    }
    if files.iter().all(|(_, r)| r.is_err()) {
        let why: Vec<String> = files
            .iter()
            .filter_map(|(p, r)| r.as_ref().err().map(|e| format!("{}: {e}", p.display())))
            .collect();
        return Err(nothing(format!(
            "no file could be read; fix them and run again: {}",
            why.join("; ")
        )));
    }
    Ok(files)
}

fn series_text(text: &mut String, w: &SeriesWork, horizon: f64) {
    use crate::table::{Align, Table};
    let s = &w.series;
    let unit = if s.unit().is_empty() {
        String::new()
    } else {
        format!(" ({})", s.unit())
    };
    let _ = writeln!(text, "==== {}{unit}, {} point(s) ====", s.name(), s.len());
    let _ = writeln!(text, "{}", w.comparison);
    let at = format_date(horizon);
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
                    hindcast_cell(w, &c.label),
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
    match w.chosen() {
        Some((f, true)) => {
            let _ = writeln!(
                text,
                "\n-- chosen: {}, the best-supported model the data identify{}\n{f}",
                f.label,
                if w.ceiling.is_some() {
                    " that stays within the known ceiling"
                } else {
                    ""
                }
            );
            let _ = writeln!(text, "{}", f.project(&yearly(s.span().1, horizon)));
        }
        Some((f, false)) => {
            let _ = writeln!(
                text,
                "\n-- no model is identified by these data (more points, or a known parameter, are needed); \
                 shown: {}, the most defensible one\n{f}",
                f.label
            );
            let _ = writeln!(text, "{}", f.project(&yearly(s.span().1, horizon)));
        }
        None => {
            let _ = writeln!(text, "\n-- no model could be fitted to these data\n");
        }
    }
}

/// The hindcast of a candidate in a few words.
fn hindcast_cell(w: &SeriesWork, label: &str) -> String {
    w.backtests
        .iter()
        .find(|(l, _)| l == label)
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

fn yearly(after: f64, until: f64) -> Vec<f64> {
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

fn average_rows(w: &SeriesWork, horizon: f64) -> Option<Vec<ProjectionRow>> {
    let first = w.comparison.ranking.first()?;
    let base = w.comparison.fit(first.id)?;
    // Same dates as the members' rows.
    let template = export::projection_rows("model average", base, horizon);
    let times: Vec<f64> = template.iter().map(|r| r.t).collect();
    let avg = w.comparison.averaged(&times)?;
    let fin = |v: f64| v.is_finite().then_some(v);
    Some(
        template
            .into_iter()
            .zip(avg.points)
            .map(|(r, p)| ProjectionRow {
                model: avg.model.clone(),
                yhat: fin(p.value),
                yhat_lower: fin(p.pred_lower),
                yhat_upper: fin(p.pred_upper),
                conf_lower: fin(p.conf_lower),
                conf_upper: fin(p.conf_upper),
                ..r
            })
            .collect(),
    )
}

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
                    f.warnings
                        .iter()
                        .map(|w| w.message.as_str())
                        .collect::<Vec<_>>()
                        .join(" | "),
                ),
                Err(e) => (false, None, format!("not fitted: {e}")),
            };
            ComparisonRow {
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

fn backtest_rows(w: &SeriesWork) -> Vec<BacktestRow> {
    let fin = |v: f64| v.is_finite().then_some(v);
    w.backtests
        .iter()
        .filter_map(|(_, b)| b.as_ref().ok())
        .flat_map(|b| {
            let warnings = b
                .warnings
                .iter()
                .map(|w| w.message.as_str())
                .collect::<Vec<_>>()
                .join(" | ");
            b.held_out.iter().map(move |h| BacktestRow {
                series: b.series.clone(),
                model: b.label.clone(),
                k: b.k,
                ds: format_date(h.t),
                y: h.observed,
                kind: h.kind,
                yhat: h.projected,
                yhat_lower: fin(h.pred_lower),
                yhat_upper: fin(h.pred_upper),
                log_error: fin(h.log_error),
                covered: h.covered,
                horizon_years: h.horizon,
                warnings: warnings.clone(),
            })
        })
        .collect()
}

fn profile_rows(series: &str, p: &ProfileInterval) -> Vec<ProfileRow> {
    let fin = |v: f64| v.is_finite().then_some(v);
    p.profile
        .iter()
        .map(|q| ProfileRow {
            series: series.to_string(),
            parameter: p.parameter.clone(),
            value: q.value,
            rss: fin(q.rss),
            tau: fin(q.tau),
            lower: p.lower,
            upper: p.upper,
            statement: p.statement.clone(),
        })
        .collect()
}

/// The fan chart of a scenario set, with the texts that say what is assumed.
fn fan_chart(
    stem: &str,
    set: &ScenarioSet,
    targets: &[Series],
    base: &Base,
) -> Result<(Fan, ChartSpec)> {
    let until = targets
        .iter()
        .map(|s| s.span().1)
        .fold(base.year + 1.0, f64::max);
    let mut fan = Fan::from_scenarios(set, until)?.with_target_kind(Kind::AtLeast);
    let tera = set.unit == "kWh";
    let show = |v: f64| {
        if tera {
            format!("{:.0} TWh", v / 1e9)
        } else {
            format!("{v:.3e} {}", set.unit)
        }
    };
    for (path, s) in fan.paths.iter_mut().zip(targets) {
        if let Some(o) = s.observations().last() {
            let rate = crate::growth::implied_rate(base.value, base.year, o.value, o.t)?;
            let name = s.name().rsplit('/').next().unwrap_or(s.name());
            let (more, ge) = if o.kind.is_one_sided() {
                ("more than ", "≥")
            } else {
                ("", "")
            };
            path.name = format!(
                "{name}: {more}{} in {}, {ge}{:.1}%/yr",
                show(o.value),
                o.date,
                100.0 * rate
            );
            path.target = Some((o.t, o.value, o.kind));
        }
    }
    for s in targets {
        for d in sources_of(s) {
            if !fan.sources.contains(&d) {
                fan.sources.push(d);
            }
        }
    }
    let sens = set.sensitivity(&[0.5 * base.value.round(), 1.5 * base.value])?;
    let first = sens.names.first().cloned().unwrap_or_default();
    let rates: Vec<String> = sens
        .rows
        .iter()
        .filter_map(|(b, r)| {
            r.first()
                .map(|r| format!("{:.1}%/yr from {}", 100.0 * r, show(*b)))
        })
        .collect();
    let spec = ChartSpec::new()
        .title(title_of(stem))
        .subtitle(format!(
            "Constant growth from an ASSUMED {} base of {} (the documents give no base) to each stated target",
            base.year,
            show(base.value)
        ))
        .caption(format!(
            "Targets: {}. The rates depend on the assumed base: the {first} target needs {}.",
            if fan.sources.is_empty() { "as given".to_string() } else { fan.sources.join("; ") },
            rates.join(", ")
        ))
        .y_label(if tera { "electricity per year, billion kWh (TWh)".to_string() } else { set.unit.clone() });
    Ok((fan, spec))
}
