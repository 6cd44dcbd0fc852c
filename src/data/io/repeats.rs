//! Rows of one series at the same time: replicates are kept, an exact repeat of a row (same
//! date, same value) is a [`ReadWarning::DuplicateRow`], and rows at one date that differ in a
//! column growthcast does not read are a [`ReadWarning::SharedDate`] that names the column.

use std::fmt;

use crate::series::Observation;

/// Something the reader kept but warns about (see [`Loaded::warnings`](super::Loaded)).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ReadWarning {
    /// A row repeats an earlier row of the same series: the same date and the same value. Both
    /// are kept (replicates are allowed), which counts the figure twice if it was entered twice.
    DuplicateRow {
        /// The series.
        series: String,
        /// The line of the earlier row (the header is line 1).
        first_line: u64,
        /// The line of the repeat.
        line: u64,
        /// The date, as written on the earlier row.
        date: String,
        /// The value both rows give.
        value: f64,
    },
    /// Two rows of one series share a date and differ in columns growthcast does not read: if
    /// one of them names the series, the file holds several series pooled into one.
    SharedDate {
        /// The series.
        series: String,
        /// The lines of the two rows.
        lines: (u64, u64),
        /// The date, as written on the first row.
        date: String,
        /// The unread columns whose cells differ between the two rows.
        columns: Vec<String>,
    },
}

impl fmt::Display for ReadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadWarning::DuplicateRow {
                series,
                first_line,
                line,
                date,
                value,
            } => write!(
                f,
                "series `{series}`: line {line} repeats line {first_line} (date {date}, value \
                 {value}); both are kept as replicates: delete one if it was entered twice"
            ),
            ReadWarning::SharedDate {
                series,
                lines: (a, b),
                date,
                columns,
            } => write!(
                f,
                "series `{series}`: lines {a} and {b} share the date {date} and differ in column \
                 `{}`; they are fitted together as replicates: if `{}` names the series, pass \
                 --series-col {} (io::ReadOptions::series_column)",
                columns.join("`, `"),
                columns[0],
                columns[0]
            ),
        }
    }
}

/// The [`ReadWarning::DuplicateRow`]s of a series' observations and their lines (in the order
/// read): every row whose time and value equal an earlier row's, with the first such row.
pub(super) fn duplicate_rows(series: &str, obs: &[Observation], lines: &[u64]) -> Vec<ReadWarning> {
    let mut order: Vec<usize> = (0..obs.len()).collect();
    // Stable: within equal (time, value) rows the first read comes first.
    order.sort_by(|&a, &b| {
        obs[a]
            .t
            .total_cmp(&obs[b].t)
            .then(obs[a].value.total_cmp(&obs[b].value))
    });
    let mut out = Vec::new();
    let mut first = 0;
    for k in 1..order.len() {
        let (a, b) = (order[first], order[k]);
        if obs[a].t == obs[b].t && obs[a].value == obs[b].value {
            out.push(ReadWarning::DuplicateRow {
                series: series.to_string(),
                first_line: lines[a],
                line: lines[b],
                date: obs[a].date.clone(),
                value: obs[a].value,
            });
        } else {
            first = k;
        }
    }
    out.sort_by_key(|w| match w {
        ReadWarning::DuplicateRow { line, .. } => *line,
        _ => 0,
    });
    out
}

/// The lines of the first two rows (in the order read) that share a time, if any.
pub(super) fn first_shared_time(obs: &[Observation], lines: &[u64]) -> Option<(u64, u64, String)> {
    let mut order: Vec<usize> = (0..obs.len()).collect();
    order.sort_by(|&a, &b| obs[a].t.total_cmp(&obs[b].t));
    order
        .windows(2)
        .filter(|w| obs[w[0]].t == obs[w[1]].t)
        .map(|w| (w[0].min(w[1]), w[0].max(w[1])))
        .min_by_key(|&(_, b)| b)
        .map(|(a, b)| (lines[a], lines[b], obs[a].date.clone()))
}
