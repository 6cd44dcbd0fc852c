//! The claims a data set's documents make about its series ("more than 300x in 1.5 years",
//! "CAGR 12.8%"), read from `claims.csv` in its folder and checked against the series' own
//! figures, with the wording of both (`at_least`, `about`) taken into account
//! ([`crate::growth`]).
//!
//! `claims.csv` has one row per claim:
//!
//! | column | meaning |
//! |---|---|
//! | `series` | the series the claim is about |
//! | `claim` | the claim as the document states it |
//! | `kind` | `multiple` (a factor), `increase` (a fraction: 0.40 is 40%) or `cagr` (an annual rate) |
//! | `from`, `to` | the dates of the two figures the claim compares, as the series' CSV writes them |
//! | `claimed` | the claimed number (300, 0.40, 0.128) |
//! | `claimed_kind` | how the document words it: `exact`, `at_least` ("more than"), `at_most`, `about` |
//! | `source` | where the claim is made |

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::particulars::{csv_error, read_rows};
use crate::error::{Error, Result};
use crate::growth::{check_cagr, check_increase, check_multiple, ClaimCheck, Figure, Verdict};
use crate::series::{Kind, Series};
use crate::time::parse_date;

/// The claims file in a data folder (never read as a series).
pub const CLAIMS_FILE: &str = "claims.csv";

/// What a claim compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// The end value is a multiple of the start value ("300x").
    Multiple,
    /// The end value is the start value plus a fraction of it ("+40%").
    Increase,
    /// The compound annual growth rate between the two ("CAGR 12.8%").
    Cagr,
}

/// One claim of `claims.csv`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimSpec {
    /// The series the claim is about.
    pub series: String,
    /// The claim in the document's words.
    pub claim: String,
    /// What it compares.
    pub kind: ClaimKind,
    /// Date of the first figure.
    pub from: String,
    /// Date of the second figure.
    pub to: String,
    /// The claimed number.
    pub claimed: f64,
    /// How the document words the number.
    pub claimed_kind: Kind,
    /// Where the claim is made.
    pub source: String,
    /// Line in the file (for errors).
    #[serde(skip)]
    pub line: u64,
}

/// One row of `claims.csv` in the output: the claim, the figures and the verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimRow {
    /// Series name.
    pub series: String,
    /// The claim in the document's words.
    pub claim: String,
    /// What it compares.
    pub kind: ClaimKind,
    /// First figure and its wording.
    pub from: String,
    /// The first figure's value.
    pub start: f64,
    /// Its kind.
    pub start_kind: Kind,
    /// Second figure's date.
    pub to: String,
    /// The second figure's value.
    pub end: f64,
    /// Its kind.
    pub end_kind: Kind,
    /// The claimed number.
    pub claimed: f64,
    /// What the figures give at face value.
    pub face_value: f64,
    /// The least the figures' wording allows.
    pub possible_low: f64,
    /// The most the figures' wording allows (infinite: JSON/CSV empty).
    pub possible_high: Option<f64>,
    /// The end value the claim needs from the stated start.
    pub required_end: f64,
    /// The verdict.
    pub verdict: Verdict,
    /// The verdict in words.
    pub explanation: String,
    /// Where the claim is made.
    pub source: String,
}

/// Every claim of `file`, or an [`Error::Csv`] naming its line and column.
pub(super) fn load(file: &Path) -> Result<Vec<ClaimSpec>> {
    let mut claims = Vec::new();
    for (line, mut c) in read_rows::<ClaimSpec>(file)? {
        let bad = |column: &str, message: String| csv_error(file, line, Some(column), &message);
        if c.series.trim().is_empty() {
            return Err(bad(
                "series",
                "empty: name the series the claim is about".into(),
            ));
        }
        if !(c.claimed.is_finite() && c.claimed > 0.0) {
            return Err(bad(
                "claimed",
                format!("{} must be a number > 0 (0.40 for 40%)", c.claimed),
            ));
        }
        c.line = line;
        claims.push(c);
    }
    Ok(claims)
}

/// Checks `claim` against the figures of `series` on its two dates; an [`Error::Csv`] naming
/// the claims file's line when a date has no figure.
pub(super) fn check(claim: &ClaimSpec, series: &Series, file: &Path) -> Result<ClaimRow> {
    let figure = |column: &str, date: &str| {
        let t = parse_date(date).ok();
        series
            .observations()
            .iter()
            .find(|o| o.date == date || t.is_some_and(|t| (o.t - t).abs() < 1e-9))
            .map(|o| (o.t, o.value, o.kind))
            .ok_or_else(|| {
                let dates: Vec<&str> = series
                    .observations()
                    .iter()
                    .map(|o| o.date.as_str())
                    .collect();
                csv_error(
                    file,
                    claim.line,
                    Some(column),
                    &format!(
                        "`{}` has no figure on {date}; its dates are {}",
                        series.name(),
                        dates.join(", ")
                    ),
                )
            })
    };
    let (t0, v0, k0) = figure("from", &claim.from)?;
    let (t1, v1, k1) = figure("to", &claim.to)?;
    let (start, end) = (Figure::new(v0, k0), Figure::new(v1, k1));
    let claimed = Figure::new(claim.claimed, claim.claimed_kind);
    let c: ClaimCheck = match claim.kind {
        ClaimKind::Multiple => check_multiple(start, end, claimed),
        ClaimKind::Increase => check_increase(start, end, claimed),
        ClaimKind::Cagr => check_cagr(start, end, t1 - t0, claimed),
    }
    .map_err(|e: Error| csv_error(file, claim.line, None, &e.to_string()))?;
    Ok(ClaimRow {
        series: claim.series.clone(),
        claim: claim.claim.clone(),
        kind: claim.kind,
        from: claim.from.clone(),
        start: v0,
        start_kind: k0,
        to: claim.to.clone(),
        end: v1,
        end_kind: k1,
        claimed: claim.claimed,
        face_value: c.face_value,
        possible_low: c.possible.0,
        possible_high: crate::export::finite(c.possible.1),
        required_end: c.required_end,
        verdict: c.verdict,
        explanation: c.explanation,
        source: claim.source.clone(),
    })
}

/// A verdict in a few words, for the report's text.
pub(super) fn verdict_words(v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => "holds",
        Verdict::AllowedByWording => "holds only as the wording allows",
        Verdict::Contradicted => "CONTRADICTED by the figures",
    }
}

/// The claims about one series, in the report's words.
pub(super) fn claims_text(text: &mut String, rows: &[ClaimRow]) {
    use std::fmt::Write;
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(text, "claims in the documents:");
    for r in rows {
        let _ = writeln!(
            text,
            "    \"{}\" ({}): {}. {}",
            r.claim,
            r.source,
            verdict_words(r.verdict),
            r.explanation
        );
    }
    text.push('\n');
}

/// Checks every claim of the particulars against the series read from the folder's files.
/// A claim about a series none of the files has is an error, unless some file could not be
/// read (its series may be the one).
pub(super) fn check_all(
    particulars: &super::Particulars,
    files: &[(std::path::PathBuf, Result<Vec<Series>>)],
) -> Result<Vec<ClaimRow>> {
    let file = particulars
        .claims_file
        .as_deref()
        .unwrap_or(Path::new(CLAIMS_FILE));
    let all_read = files.iter().all(|(_, g)| g.is_ok());
    let series: Vec<&Series> = files
        .iter()
        .filter_map(|(_, g)| g.as_ref().ok())
        .flatten()
        .collect();
    let mut rows = Vec::new();
    for c in &particulars.claims {
        match series.iter().find(|s| s.name() == c.series) {
            Some(s) => rows.push(check(c, s, file)?),
            None if all_read => {
                return Err(csv_error(
                    file,
                    c.line,
                    Some("series"),
                    &format!(
                        "no series `{}` in the data folder: name one of its series (or remove \
                         the claim)",
                        c.series
                    ),
                ))
            }
            None => {}
        }
    }
    Ok(rows)
}
