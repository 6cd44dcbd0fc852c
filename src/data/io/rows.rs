//! The row loop: each data row to an observation of its group, the unit checked across rows,
//! rows without a value skipped or an error, and growthcast's own `projections.csv` read back.

use std::collections::HashMap;

use csv::StringRecord;

use crate::axis::TimeAxis;
use crate::error::Result;
use crate::series::Observation;

use super::cells::{is_missing, missing, read_kind, read_time, DecimalMarks};
use super::columns::Columns;
use super::{line_of, CsvErr, ReadOptions};

/// One group of rows: its label, observations and their lines.
pub(super) type Group = (Option<String>, Vec<Observation>, Vec<u64>);

/// What the data rows gave.
pub(super) struct Rows {
    /// The groups, in order of first appearance.
    pub(super) groups: Vec<Group>,
    /// The unit of every row that names one (empty when none does).
    pub(super) unit: String,
    /// The time axis: numeric in the unit the options or the `time_unit` column give, else
    /// the calendar.
    pub(super) axis: TimeAxis,
    /// The lines skipped for want of a value.
    pub(super) skipped: Vec<u64>,
}

/// A trimmed, non-empty cell of column `c`, if there is one.
fn field(rec: &StringRecord, c: Option<usize>) -> Option<&str> {
    c.and_then(|c| rec.get(c))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Reads the data rows into groups.
pub(super) fn read_rows<R: std::io::Read>(
    rdr: &mut csv::Reader<R>,
    cols: &Columns,
    opts: &ReadOptions,
    delimiter: u8,
    err: CsvErr,
) -> Result<Rows> {
    let mut reader = RowReader::new(opts, delimiter)?;
    let mut groups = Groups::default();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| record_error(e, err))?;
        let rows_before = !groups.groups.is_empty();
        if let Some((label, obs, line)) = reader.row(&rec, rows_before, cols, opts, err)? {
            groups.push(label, obs, line);
        }
    }
    Ok(Rows {
        groups: groups.groups,
        unit: reader.unit(),
        axis: reader.axis,
        skipped: reader.skipped,
    })
}

/// The error of a record the CSV reader cannot read, at its line.
pub(super) fn record_error(e: csv::Error, err: CsvErr) -> crate::error::Error {
    let line = e.position().map_or(0, |p| p.line());
    err.at(line, None, e.to_string())
}

/// What the row loop keeps from row to row: the decimal marks, the unit and time unit seen,
/// the time axis, the rows skipped.
pub(super) struct RowReader {
    marks: DecimalMarks,
    models: FirstModel,
    unit: Unit,
    time_unit: Unit,
    /// The time unit the options give.
    given: Option<TimeAxis>,
    /// The time axis: numeric in the unit the options or the `time_unit` column give, else
    /// the calendar.
    pub(super) axis: TimeAxis,
    /// The lines skipped for want of a value.
    pub(super) skipped: Vec<u64>,
}

impl RowReader {
    /// The state before the first data row.
    pub(super) fn new(opts: &ReadOptions, delimiter: u8) -> Result<Self> {
        let given = opts
            .time_unit
            .as_deref()
            .map(TimeAxis::numeric)
            .transpose()?;
        Ok(Self {
            marks: DecimalMarks::new(opts, delimiter),
            models: FirstModel::default(),
            unit: Unit::default(),
            time_unit: Unit::default(),
            axis: given.clone().unwrap_or_default(),
            given,
            skipped: Vec::new(),
        })
    }

    /// The unit of every row that names one so far (empty when none does).
    pub(super) fn unit(&self) -> String {
        self.unit
            .first
            .as_ref()
            .map(|u| u.0.clone())
            .unwrap_or_default()
    }

    /// One data row: its group's label, its observation and its line; `None` for a row that is
    /// skipped. `rows_before`: some row was kept before this one.
    pub(super) fn row<'r>(
        &mut self,
        rec: &'r StringRecord,
        rows_before: bool,
        cols: &Columns,
        opts: &ReadOptions,
        err: CsvErr,
    ) -> Result<Option<(Option<&'r str>, Observation, u64)>> {
        let line = line_of(rec);
        let value_text = rec.get(cols.value).map_or("", str::trim);
        if cols.yhat.is_some() && value_text.is_empty() {
            return Ok(None);
        }
        let label = field(rec, cols.group);
        if !self.models.keeps(label, field(rec, cols.model)) {
            return Ok(None);
        }
        if is_missing(value_text) {
            if opts.skip_missing {
                self.skipped.push(line);
                return Ok(None);
            }
            return Err(err.at(line, Some("value"), missing(value_text)));
        }
        if self.given.is_none() {
            if let Some(u) = field(rec, cols.time_unit) {
                if self.axis.is_calendar() && rows_before {
                    let message = format!(
                        "time unit `{u}`, but earlier rows have none: give every row the same"
                    );
                    return Err(err.at(line, Some("time_unit"), message));
                }
                self.time_unit
                    .check(u, line)
                    .map_err(|message| err.at(line, Some("time_unit"), message))?;
                self.axis = TimeAxis::numeric(u)
                    .map_err(|e| err.at(line, Some("time_unit"), e.to_string()))?;
            } else if cols.time_unit.is_some() && !self.axis.is_calendar() {
                let message = "empty time unit, but earlier rows name one: give every row the same";
                return Err(err.at(line, Some("time_unit"), message.to_string()));
            }
        }
        let obs = observation(
            rec,
            value_text,
            cols,
            opts,
            &self.axis,
            &mut self.marks,
            line,
        )
        .map_err(|(column, message)| err.at(line, Some(column), message))?;
        if let Some(u) = field(rec, cols.unit) {
            self.unit
                .check(u, line)
                .map_err(|message| err.at(line, Some("unit"), message))?;
        }
        Ok(Some((label, obs, line)))
    }
}

/// The observation of a row with a value; an error names the column and says what is wrong.
fn observation(
    rec: &StringRecord,
    value_text: &str,
    cols: &Columns,
    opts: &ReadOptions,
    axis: &TimeAxis,
    marks: &mut DecimalMarks,
    line: u64,
) -> std::result::Result<Observation, (&'static str, String)> {
    let date_text = field(rec, Some(cols.date)).ok_or(("date", "empty date".to_string()))?;
    let (t, date) = read_time(date_text, opts, axis).map_err(|e| ("date", e.to_string()))?;
    let value = marks.read(value_text, line).map_err(|m| ("value", m))?;
    let kind = read_kind(field(rec, cols.kind)).map_err(|m| ("kind", m))?;
    let weight = marks
        .weight(field(rec, cols.weight))
        .map_err(|m| ("weight", m))?;
    let text = |c: Option<usize>| field(rec, c).map(str::to_string);
    Ok(Observation {
        t,
        date,
        value,
        kind,
        weight,
        source: text(cols.source),
        wording: text(cols.wording),
        note: text(cols.note),
    })
}

/// growthcast's own projections.csv has one row per (series, model, date), observations only
/// on some rows: it is read back as the observations of each series, once, from the rows of
/// the first model of each series.
#[derive(Default)]
struct FirstModel(HashMap<Option<String>, String>);

impl FirstModel {
    /// Whether a row of the group `label` and `model` is kept: it has no model, or the group's
    /// first.
    fn keeps(&mut self, label: Option<&str>, model: Option<&str>) -> bool {
        let Some(m) = model else {
            return true;
        };
        let key = label.map(str::to_string);
        match self.0.get(&key) {
            Some(first) => first == m,
            None => {
                self.0.insert(key, m.to_string());
                true
            }
        }
    }
}

/// The unit of a file: the same on every row that names one.
#[derive(Default)]
struct Unit {
    /// The first unit and its line.
    first: Option<(String, u64)>,
}

impl Unit {
    /// Checks the unit `u` of `line` against the first.
    fn check(&mut self, u: &str, line: u64) -> std::result::Result<(), String> {
        match &self.first {
            Some((first, first_line)) if first != u => Err(format!(
                "unit `{u}` differs from `{first}` on line {first_line}"
            )),
            Some(_) => Ok(()),
            None => {
                self.first = Some((u.to_string(), line));
                Ok(())
            }
        }
    }
}

/// The groups of rows, each found by its label without allocating.
#[derive(Default)]
struct Groups {
    groups: Vec<Group>,
    /// Where each label's group is.
    index: HashMap<String, usize>,
    /// Where the group of rows without a label is.
    unlabelled: Option<usize>,
}

impl Groups {
    /// Adds the observation of `line` to the group `label`, a new one at the end if it is the
    /// label's first.
    fn push(&mut self, label: Option<&str>, obs: Observation, line: u64) {
        let found = match label {
            Some(l) => self.index.get(l).copied(),
            None => self.unlabelled,
        };
        let gi = found.unwrap_or_else(|| {
            let i = self.groups.len();
            match label {
                Some(l) => {
                    self.index.insert(l.to_string(), i);
                }
                None => self.unlabelled = Some(i),
            }
            self.groups
                .push((label.map(str::to_string), Vec::new(), Vec::new()));
            i
        });
        self.groups[gi].1.push(obs);
        self.groups[gi].2.push(line);
    }
}
