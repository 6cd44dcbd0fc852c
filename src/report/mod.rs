//! The main job as one call: every series in a folder → charts, CSV tables, JSON and a text
//! summary. The `report` example and `growthcast report` are thin wrappers around [`run`].
//!
//! For each series with two or more points it fits the standard models (plus a logistic with a
//! known ceiling where there is one), ranks them ([`crate::compare`]), backtests each on the
//! last point ([`crate::hindcast`]) and profiles the logistic ceiling ([`crate::profile`]).
//! Single-point series (scenario targets) become a fan chart from an assumed, labelled base
//! ([`crate::scenario`]).
//!
//! What the data cannot say (readable titles, source document names, known ceilings, assumed
//! scenario bases, the charts copied to the docs) comes from the [`Particulars`]: by default
//! the files `report.csv` and `report_sources.csv` of the data folder (the bundled `data/` has
//! them; see its README). A folder without them gets a generic report: titles are the series
//! names, sources are the file names the data give, and the only known ceiling is the generic
//! 100% of a series whose unit starts with `%`. A file of more than
//! [`ReportOptions::max_charted`] series is a file of many series: its series are fitted,
//! ranked and one model chosen, nothing more; it gets a summary in the text and histograms of
//! its chosen models' rates and ceilings instead of charts and text per series, and only its
//! chosen projections at the printed times. Into the output
//! folder go (a table with no rows is not written):
//!
//! | file | what |
//! |---|---|
//! | `charts/<series>_recommended.png` | the recommended projection across the plausible models ([`crate::recommend`], with the known ceiling): the band (the hull of the members' 95% bootstrap bands) shaded, the point path as the main line, each member's own curve thin and pale behind it, the models making the low and high edge at the horizon; from the first observation to the horizon; none for a series where no model has a degree of freedom left |
//! | `charts/<series>_fit.png` | the chosen model (the `chosen` row of `comparison.csv`, the one the text shows): the best-supported identified model that stays within the known ceiling, with its bands (or, when none is identified, the most defensible one, with the caution on the chart); the hindcast in the caption |
//! | `charts/<series>_models.png` | every fitted model over the data; the ranking and the ceiling profile in the caption |
//! | `charts/<file>_fan.png` | scenario paths from the assumed base |
//! | `charts/<file>_rates.png`, `.svg` | (a file of many series) the distribution of the chosen models' rates across its series, a histogram panel per model ([`crate::plot::plot_distribution`]) |
//! | `charts/<file>_ceilings.png`, `.svg` | (a file of many series) the same for the ceilings of the chosen models that have one |
//! | `projections.csv` | one row per (series, model, date), the model average included ([`crate::export`]) |
//! | `parameters.csv` | one row per (series, model, parameter) |
//! | `comparison.csv` | one row per (series, model): criterion, Δ, Akaike weight, identified, `trusted` and why not (`trust`, see `growthcast::trust`), value at the horizon, `breaks_known_ceiling`, `chosen` (the one model the text and the fit chart present), warnings, notes |
//! | `backtests.csv` | one row per (series, model, held-out point): projection, band, error, coverage, warnings |
//! | `rolling_backtests.csv` | (only when a series has 5 distinct times or more) one row per (series, method, step ahead): a rolling-origin backtest of the recommendation and of the naive forecast (fit the first 3 times, then one more at a time, forecast up to 5 ahead): forecasts, coverage of the 95% prediction band, median width, median \|log error\| ([`crate::hindcast::rolling`]) |
//! | `ceiling_profiles.csv` | one row per (series, grid value) of the logistic ceiling's profile, with the interval |
//! | `scenarios.csv` | one row per (scenario, year) path value, with the implied rate and the assumed base |
//! | `scenario_sensitivity.csv` | one row per (target scenario, assumed base value): the implied annual rate |
//! | `fits.json` | every fit, in full |

mod charts;
mod claims;
mod lead;
mod many;
mod particulars;
mod scenarios;
mod series;
mod tables;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::series::Series;
use crate::time::parse_date;

pub use claims::{ClaimKind, ClaimRow, ClaimSpec, CLAIMS_FILE};
pub use particulars::{
    is_particulars_file, Ceiling, Particulars, SeriesInfo, SERIES_FILE, SOURCES_FILE,
};
pub use tables::{BacktestRow, ComparisonRow, ProfileRow, RollingRow, ScenarioRow, SensitivityRow};

/// Series per file past which a file is a file of many series ([`ReportOptions::max_charted`]).
pub const MAX_CHARTED: usize = 20;

/// What to read, where to write, and the outside knowledge the data do not carry.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// Folder of CSV files.
    pub data: PathBuf,
    /// Output folder (created if missing).
    pub out: PathBuf,
    /// Where to put small copies of the headline charts (the README's), if anywhere.
    pub docs: Option<PathBuf>,
    /// Project dated series to this decimal year (a series on a numeric time axis looks half
    /// its span ahead: [`TimeAxis::horizon_after`](crate::axis::TimeAxis::horizon_after)).
    pub horizon: f64,
    /// A file of more series (of two points or more) than this is a file of many series: no
    /// per-series charts nor text, its projections at the printed times only, none of its fits
    /// in `fits.json`, and instead a summary (the models presented, the quantiles of their
    /// rates) in the text and histograms of their rates and ceilings (`charts/<file>_rates.png`,
    /// `charts/<file>_ceilings.png`, and `.svg`). [`MAX_CHARTED`] by default; `usize::MAX` charts every series.
    pub max_charted: usize,
    /// Titles, sources, known ceilings, assumed bases and headline charts. `None` (what
    /// [`ReportOptions::new`] gives): read them from the data folder's `report.csv` and
    /// `report_sources.csv` when the run starts ([`Particulars::load`]).
    pub particulars: Option<Particulars>,
}

impl ReportOptions {
    /// Options for the folder `data`, written to `out`, projections to the end of 2030; the
    /// particulars are read from the data folder when the run starts (none when it has no
    /// `report.csv` nor `report_sources.csv`: a generic report).
    pub fn new(data: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Self {
            data: data.into(),
            out: out.into(),
            docs: None,
            horizon: parse_date("2030-12-31").expect("valid date"),
            particulars: None,
            max_charted: MAX_CHARTED,
        }
    }

    /// With these particulars instead of the data folder's files.
    pub fn with_particulars(mut self, particulars: Particulars) -> Self {
        self.particulars = Some(particulars);
        self
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

/// What every step of a run reads.
struct Context<'a> {
    particulars: &'a Particulars,
    /// The folder of charts.
    charts: PathBuf,
}

/// Runs the main job. `progress(done, total, name)` is called after each series (`done` of
/// `total` series in all the files, the name of the last one; a file's scenario targets count
/// as its series and are reported at once).
///
/// A run that can produce nothing is an error ([`Error::NothingToReport`]) and writes nothing:
/// a missing `data` folder, one with no CSV files, or one whose every file fails to read. So is
/// a malformed particulars file ([`Error::Csv`], naming its line and column). A partial run
/// returns the files it skipped in [`Report::skipped`]; the particulars files are not series
/// and are neither reported on nor skipped.
pub fn run(opts: &ReportOptions, mut progress: impl FnMut(usize, usize, &str)) -> Result<Report> {
    let loaded;
    let particulars = match &opts.particulars {
        Some(p) => p,
        None => {
            loaded = Particulars::load(&opts.data)?;
            &loaded
        }
    };
    let files = readable_files(&opts.data)?;
    // Claims are checked before anything is written: a claim the data cannot check is an
    // error in the claims file.
    let claim_rows = claims::check_all(particulars, &files)?;
    let cx = Context {
        particulars,
        charts: opts.out.join("charts"),
    };
    std::fs::create_dir_all(&cx.charts).map_err(|e| Error::io(&cx.charts, e))?;
    let mut st = State::default();
    let horizon = opts.horizon;
    let total = files
        .iter()
        .map(|(_, g)| g.as_ref().map_or(0, Vec::len))
        .sum();
    let mut done = 0;
    for (path, groups) in files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let groups = match groups {
            Err(e) => {
                st.report.skipped.push((path.clone(), e.to_string()));
                continue;
            }
            Ok(groups) => groups,
        };
        let fitted: Vec<&Series> = groups.iter().filter(|s| s.n_times() > 1).collect();
        let lean = fitted.len() > opts.max_charted;
        let mut summary = lean.then(|| many::FileSummary::new(&stem, fitted.len()));
        for chunk in fitted.chunks(CHUNK) {
            for w in many::analyse_all(particulars, chunk, horizon, lean) {
                one_series(&cx, &mut st, &claim_rows, &w, summary.as_mut())?;
                done += 1;
                progress(done, total, w.series.name());
            }
        }
        if let Some(summary) = summary {
            summary.finish(&cx, &mut st)?;
        }
        let targets: Vec<Series> = groups
            .iter()
            .filter(|s| s.n_times() == 1)
            .cloned()
            .collect();
        if !targets.is_empty() {
            let State {
                report,
                tables,
                headlines,
                ..
            } = &mut st;
            scenarios::scenario_file(&cx, &stem, &targets, report, tables, headlines)?;
            done += targets.len();
            progress(done, total, &stem);
        }
    }
    let State {
        mut report,
        tables,
        headlines,
        lead,
    } = st;
    report.text = format!("{}\n{}\n\n{}", lead::HEADING, lead.join("\n"), report.text);
    tables.write(&opts.out, &mut report.written)?;
    if let Some(docs) = &opts.docs {
        headlines.write(docs, &mut report.written)?;
    }
    Ok(report)
}

/// Series analysed at once (in parallel with the `parallel` feature) before their rows,
/// text and charts are added.
const CHUNK: usize = 64;

/// What a run gathers as it goes.
#[derive(Default)]
struct State {
    report: Report,
    tables: tables::Tables,
    headlines: charts::Headlines,
    /// The lead's lines, one per series (one per file for a file of many series).
    lead: Vec<String>,
}

/// Adds one analysed series: its claims, its rows, and (in a file of few series) its lead line,
/// text and charts; in a file of many series, to the file's summary instead.
fn one_series(
    cx: &Context,
    st: &mut State,
    claim_rows: &[ClaimRow],
    w: &series::SeriesWork,
    summary: Option<&mut many::FileSummary>,
) -> Result<()> {
    let (s, horizon) = (&w.series, w.horizon);
    let mine: Vec<ClaimRow> = claim_rows
        .iter()
        .filter(|c| c.series == s.name())
        .cloned()
        .collect();
    let lean = summary.is_some();
    match summary {
        Some(summary) => summary.add(w),
        None => {
            series::series_text(&mut st.report.text, w, horizon);
            st.lead.push(lead::series_line(w, &mine, horizon));
            charts::series_charts(cx, w, &mut st.report.written, &mut st.headlines)?;
        }
    }
    claims::claims_text(&mut st.report.text, &mine);
    st.tables.claims.extend(mine);
    st.tables.add_series(w, horizon, lean);
    Ok(())
}

/// Every series file of the folder (the particulars files left out), read; an error when there
/// is nothing usable to report on.
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
    let mut files = crate::io::read_dir(folder)?;
    files.retain(|(p, _)| !is_particulars_file(p));
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
