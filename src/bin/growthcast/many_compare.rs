//! `growthcast compare` on a long file of many series: every series compared and given its
//! recommended projection, in parallel; one CSV with a row per series (the recommendation at
//! the horizon, the models that make its band, or the series' error), streamed chunk by
//! chunk; a summary instead of one comparison per series.

use std::path::Path;

use growthcast::compare::{self, Comparison};
use growthcast::known::{self, KnownCeiling};
use growthcast::recommend::RecommendOptions;
use growthcast::{Error, Series};
use serde::Serialize;

use crate::args::ProjectArgs;
use crate::failure::{Failure, PARTIAL};
use crate::many::{chunked, in_chunks_of, no_charts, write_all, writer};

/// Series compared per parallel chunk: the rows of one chunk are held, then written.
const CHUNK: usize = 256;

/// One row of the many-series comparison table: a series' recommended projection at its
/// horizon, or why it has none.
#[derive(Serialize, Debug)]
struct CompareRow {
    series: String,
    unit: String,
    /// The horizon as its axis prints it (a date, or the number on a numeric axis).
    ds: String,
    t: Option<f64>,
    /// The unit of a numeric time axis; empty for dated series.
    time_unit: Option<String>,
    /// The best-ranked model (lowest criterion).
    best: String,
    /// The model whose curve is the recommended point path.
    point: String,
    /// Whether that point path can be relied on ([`growthcast::trust`]).
    trusted: Option<bool>,
    /// The plausible models whose bands make the recommended band, `" | "`-separated.
    members: String,
    /// The naive path's weight in the prediction band's mixture: the probability that the
    /// series' growth-rate departures persist ([`growthcast::drift::Drift::persisting`]); empty
    /// when the band carries no drift.
    naive_weight: Option<f64>,
    yhat: Option<f64>,
    conf_lower: Option<f64>,
    conf_upper: Option<f64>,
    yhat_lower: Option<f64>,
    yhat_upper: Option<f64>,
    level: Option<f64>,
    /// Why the series has no recommendation; empty when it has one.
    error: String,
}

/// Compares every series (with the known fact about the ceiling, if any), writes `--csv` if
/// given and prints a summary. No series with a recommendation: exit 1; some without: exit 3.
/// `series` gives the `n` series in order, from memory or read one by one from the file.
pub(crate) fn run(
    project: &ProjectArgs,
    fact: Option<KnownCeiling>,
    n: usize,
    series: impl Iterator<Item = Result<Series, Failure>>,
) -> Result<(), Failure> {
    no_charts(project, n)?;
    let mut out = project.out.csv().map(writer).transpose()?;
    let (mut done, mut failed, mut examples) = (0usize, 0usize, Vec::new());
    let mut points: std::collections::BTreeMap<String, usize> = Default::default();
    let compare_one = |s: &Series| one(project, fact.as_ref(), s);
    in_chunks_of(n, chunked(series, CHUNK), compare_one, |_, rows| {
        if let Some((path, w)) = &mut out {
            write_all(path, w, &rows)?;
        }
        for r in rows {
            if r.error.is_empty() {
                done += 1;
                *points.entry(r.point).or_default() += 1;
            } else {
                failed += 1;
                if examples.len() < 3 {
                    examples.push(format!("{}: {}", r.series, r.error));
                }
            }
        }
        Ok(())
    })?;
    if let Some((path, w)) = &mut out {
        w.flush().map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        eprintln!("wrote {}", path.display());
    }
    let by: Vec<String> = points.iter().map(|(m, n)| format!("{m}: {n}")).collect();
    say!(
        "{}: {} series: {done} with a recommended projection, {failed} without\npoint path by model: {}",
        project.file().display(),
        n,
        by.join(", ")
    );
    for e in &examples {
        say!("no recommendation: {e}");
    }
    if out.is_none() {
        say!("(--csv FILE writes every series' recommended projection at its horizon as one CSV)");
    }
    exit(project.file(), done, failed, n)
}

/// Exit 1 when no series has a recommendation, [`PARTIAL`] when some have none.
fn exit(file: &Path, done: usize, failed: usize, n: usize) -> Result<(), Failure> {
    if done == 0 {
        return Err(Failure {
            message: format!(
                "{}: none of its {n} series has a recommended projection",
                file.display()
            ),
            code: 1,
        });
    }
    if failed > 0 {
        return Err(Failure {
            message: format!(
                "{failed} of {n} series have no recommended projection; the others are written, \
                 each with its reason in the `error` column of --csv"
            ),
            code: PARTIAL,
        });
    }
    Ok(())
}

/// Compares one series and makes its row.
fn one(project: &ProjectArgs, fact: Option<&KnownCeiling>, s: &Series) -> CompareRow {
    let axis = s.axis();
    let mut row = CompareRow {
        series: s.name().to_string(),
        unit: s.unit().to_string(),
        ds: String::new(),
        t: None,
        time_unit: (!axis.is_calendar()).then(|| axis.unit().to_string()),
        best: String::new(),
        point: String::new(),
        trusted: None,
        members: String::new(),
        naive_weight: None,
        yhat: None,
        conf_lower: None,
        conf_upper: None,
        yhat_lower: None,
        yhat_upper: None,
        level: None,
        error: String::new(),
    };
    let times = match project.horizon_of(s) {
        Ok((_, times)) => times,
        Err(f) => {
            row.error = f.message;
            return row;
        }
    };
    let (c, opts): (Comparison, RecommendOptions) = match fact {
        Some(f) => (
            known::compare_knowing(s, f),
            RecommendOptions::knowing(f.clone()),
        ),
        None => (compare::compare_standard(s), RecommendOptions::default()),
    };
    row.best = c.ranking.first().map_or(String::new(), |r| r.label.clone());
    let Some(rec) = c.recommended(&times, &opts) else {
        row.error = no_recommendation(&c);
        return row;
    };
    let Some(q) = rec.projection.points.last() else {
        row.error = "no projected time".to_string();
        return row;
    };
    let finite = |v: f64| v.is_finite().then_some(v);
    row.ds = axis.cell(q.t);
    row.t = Some(q.t);
    row.point = rec.label_of(rec.point).unwrap_or("?").to_string();
    row.trusted = Some(rec.point_trust.trusted);
    row.members = rec.member_labels().join(" | ");
    row.naive_weight = rec
        .drift
        .as_ref()
        .filter(|_| rec.naive.is_some())
        .map(|d| d.persisting);
    row.yhat = finite(q.value);
    row.conf_lower = finite(q.conf_lower);
    row.conf_upper = finite(q.conf_upper);
    row.yhat_lower = finite(q.pred_lower);
    row.yhat_upper = finite(q.pred_upper);
    row.level = Some(rec.projection.level);
    row
}

/// Why a comparison has no recommendation: its candidates' errors, or no degree of freedom.
fn no_recommendation(c: &Comparison) -> String {
    let errors: Vec<String> = c
        .candidates
        .iter()
        .filter_map(|k| k.fit.as_ref().err().map(|e| format!("{}: {e}", k.label)))
        .collect();
    if errors.len() == c.candidates.len() {
        format!("no model fitted ({})", errors.join("; "))
    } else {
        "no model fitted with a degree of freedom left".to_string()
    }
}
