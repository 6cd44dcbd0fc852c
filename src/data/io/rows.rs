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
pub(super) fn read_rows(
    rdr: &mut csv::Reader<&[u8]>,
    cols: &Columns,
    opts: &ReadOptions,
    delimiter: u8,
    err: CsvErr,
) -> Result<Rows> {
    let mut marks = DecimalMarks::new(opts, delimiter);
    let mut models = FirstModel::default();
    let mut groups = Groups::default();
    let mut unit = Unit::default();
    let mut time_unit = Unit::default();
    let given = opts
        .time_unit
        .as_deref()
        .map(TimeAxis::numeric)
        .transpose()?;
    let mut axis = given.clone().unwrap_or_default();
    let mut skipped = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            err.at(line, None, e.to_string())
        })?;
        let line = line_of(&rec);
        let value_text = rec.get(cols.value).map_or("", str::trim);
        if cols.yhat.is_some() && value_text.is_empty() {
            continue;
        }
        let label = field(&rec, cols.group);
        if !models.keeps(label, field(&rec, cols.model)) {
            continue;
        }
        if is_missing(value_text) {
            if opts.skip_missing {
                skipped.push(line);
                continue;
            }
            return Err(err.at(line, Some("value"), missing(value_text)));
        }
        if given.is_none() {
            if let Some(u) = field(&rec, cols.time_unit) {
                if axis.is_calendar() && !groups.groups.is_empty() {
                    let message = format!(
                        "time unit `{u}`, but earlier rows have none: give every row the same"
                    );
                    return Err(err.at(line, Some("time_unit"), message));
                }
                time_unit
                    .check(u, line)
                    .map_err(|message| err.at(line, Some("time_unit"), message))?;
                axis = TimeAxis::numeric(u)
                    .map_err(|e| err.at(line, Some("time_unit"), e.to_string()))?;
            } else if cols.time_unit.is_some() && !axis.is_calendar() {
                let message = "empty time unit, but earlier rows name one: give every row the same";
                return Err(err.at(line, Some("time_unit"), message.to_string()));
            }
        }
        let obs = observation(&rec, value_text, cols, opts, &axis, &mut marks, line)
            .map_err(|(column, message)| err.at(line, Some(column), message))?;
        if let Some(u) = field(&rec, cols.unit) {
            unit.check(u, line)
                .map_err(|message| err.at(line, Some("unit"), message))?;
        }
        groups.push(label, obs, line);
    }
    Ok(Rows {
        groups: groups.groups,
        unit: unit.first.map(|u| u.0).unwrap_or_default(),
        axis,
        skipped,
    })
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
