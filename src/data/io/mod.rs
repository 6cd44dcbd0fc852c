//! Reading series from CSV files.
//!
//! A series file has a header row and one observation per row. Columns are found by name, in
//! any order, case-insensitively; unknown columns are ignored.
//!
//! | column | required | aliases | meaning |
//! |---|---|---|---|
//! | `date` | yes | `ds`, `time`, `year`; any name with [`ReadOptions::date_column`] | `2024`, `2024-06`, `2024-06-30`, `2024Q2` or `2024.5`; other forms (`15/06/2020`) with [`ReadOptions::date_format`]; with a time unit, a number (`0`, `21`, `-3.02`) |
//! | `value` | yes | `y`; any name with [`ReadOptions::value_column`] | the figure (a finite number) |
//! | `unit` | no | | unit of the values; must be the same on every row |
//! | `time_unit` | no | | the times are numbers (zero and negatives allowed) in this unit (`hour`, `day`, `dose`, …): a numeric [`TimeAxis`](crate::axis::TimeAxis), rates per that unit; the same on every row; or [`ReadOptions::time_unit`] |
//! | `kind` | no | | `exact` (default), `about`, `at_least`, `at_most`, `derived` |
//! | `weight` | no | | relative weight, > 0 (default 1) |
//! | `source`, `wording`, `note` | no | | where the figure comes from |
//! | `series` | no | `series_id`, `series_name`; any name with [`ReadOptions::series_column`] | a long file of several series: each label is one series, named by it |
//! | `scenario` | no | | the scenarios of one series: each is a series named `stem/label` |
//!
//! How the file is spelled ([`ReadOptions`], all optional):
//!
//! * **separator**: sniffed from the header: `;` when it has a `;` and no `,` (European
//!   spreadsheets), a tab when it has only tabs, else `,`; or given with
//!   [`ReadOptions::delimiter`].
//! * **decimal comma**: in a `;`-separated file `1,5` is 1.5 (a file that writes some values
//!   with a comma and others with a point is an error: the mark is not guessed). In a
//!   comma-separated file a quoted `"1,5"` is an error saying to write `1.5`, unless
//!   [`ReadOptions::decimal_comma`] is set. Thousands separators are never read.
//! * **missing values** (an empty cell, `NA`, `N/A`, `NaN`, `null`, `-`, `..`): an error naming
//!   the line, unless [`ReadOptions::skip_missing`]: then the rows are skipped and their lines
//!   listed in [`Loaded::skipped`].
//! * **dates**: day-first or month-first dates (`15/06/2020`) are an error that suggests a
//!   format, never a guess; with [`ReadOptions::date_format`] (`%d/%m/%Y`) every date is read
//!   with it (and kept as an ISO date).
//!
//! growthcast's own `projections.csv` (see [`crate::export`]) reads back too: its `ds`, `y`,
//! `kind`, `unit` and `series` columns give the observations of each series (rows without an
//! observation, and the repeats of other models, are skipped).
//!
//! The series takes its name from the file stem (`data/tokens_daily.csv` → `tokens_daily`).
//! Errors name the file, the line (the header is line 1) and the column.
//!
//! Several rows of a series may share a date (replicates: they are fitted together). Two
//! warnings, in [`Loaded::warnings`] (the CLI prints them), flag what is more likely a mistake:
//! in a dated file, a row that repeats another's date **and** value
//! ([`ReadWarning::DuplicateRow`]; on a numeric time axis equal readings are data), and, in a
//! file without a `series` or `scenario` column, two rows at one date that differ in a column
//! growthcast does not read ([`ReadWarning::SharedDate`], which names it: pass it as the series
//! column if it names the series).

mod cells;
mod columns;
mod options;
mod repeats;
mod rows;
mod stream;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::series::Series;

use columns::{differing_columns, sniff_delimiter, Columns};
pub use options::{Loaded, ReadOptions};
pub use repeats::ReadWarning;
use rows::{read_rows, Group, Rows};
pub use stream::{stream_groups_with, GroupStream};

/// Reads one series from a CSV file (its [`ReadWarning`]s are dropped: see
/// [`read_groups_with`]).
///
/// ```
/// let s = growthcast::io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_users.csv"))?;
/// assert_eq!(s.name(), "genai_users");
/// assert_eq!(s.unit(), "people");
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn read_series(path: impl AsRef<Path>) -> Result<Series> {
    let (file, path) = open(path.as_ref())?;
    read_series_from(file, &stem(path), path)
}

/// Reads one series from any reader; `name` names the series and `file` appears in errors.
///
/// A file whose `scenario` or `series` column holds more than one label is several series:
/// this returns an error that says so; read it with [`read_groups_from`].
pub fn read_series_from(reader: impl Read, name: &str, file: &Path) -> Result<Series> {
    let mut groups = read_groups_from(reader, name, file)?;
    if groups.len() > 1 {
        let labels: Vec<&str> = groups.iter().map(|s| s.name()).collect();
        let message = format!(
            "the file holds {} series ({}): read it with io::read_groups",
            groups.len(),
            labels.join(", ")
        );
        return Err(CsvErr(file).at(1, None, message));
    }
    Ok(groups.remove(0))
}

/// Reads every series of a file: one, or one per label of its `scenario` column (named
/// `stem/label`, `datacenter_power_2030/medium`) or of its `series`, `series_id` or
/// `series_name` column (named `label`), in order of first appearance. Options as
/// [`ReadOptions::default`]; see [`read_groups_with`].
pub fn read_groups(path: impl AsRef<Path>) -> Result<Vec<Series>> {
    read_groups_with(path, &ReadOptions::default()).map(|l| l.series)
}

/// [`read_groups`] with [`ReadOptions`]; the [`Loaded`] result also lists the rows skipped
/// and the [`ReadWarning`]s (a row that repeats another, rows at one date that may belong to
/// different series).
pub fn read_groups_with(path: impl AsRef<Path>, opts: &ReadOptions) -> Result<Loaded> {
    let (file, path) = open(path.as_ref())?;
    read_groups_from_with(file, &stem(path), path, opts)
}

/// [`read_groups`] from any reader.
pub fn read_groups_from(reader: impl Read, name: &str, file: &Path) -> Result<Vec<Series>> {
    read_groups_from_with(reader, name, file, &ReadOptions::default()).map(|l| l.series)
}

/// [`read_groups_with`] from any reader; `name` names the series and `file` appears in errors.
pub fn read_groups_from_with(
    mut reader: impl Read,
    name: &str,
    file: &Path,
    opts: &ReadOptions,
) -> Result<Loaded> {
    let err = CsvErr(file);
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(file, e))?;
    let delimiter = opts.delimiter.unwrap_or_else(|| sniff_delimiter(&bytes));
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(&bytes[..]);
    let headers = read_header(&mut rdr, err)?;
    let cols = Columns::find(&headers, opts, delimiter, err)?;
    let Rows {
        groups,
        unit,
        axis,
        skipped,
    } = read_rows(&mut rdr, &cols, opts, delimiter, err)?;
    if groups.is_empty() {
        let why = if skipped.is_empty() {
            "no data rows".to_string()
        } else {
            format!("no data rows: all {} had no value", skipped.len())
        };
        return Err(err.at(1, None, why));
    }
    let grouped = cols.group.is_some();
    let hint = |a, b| differing_columns(&bytes, delimiter, &headers, &cols, a, b);
    let (series, mut warnings) = into_series(groups, &unit, name, cols.scenario, grouped, hint)?;
    // In a designed experiment (a numeric time axis) two equal readings at one time are data.
    if !axis.is_calendar() {
        warnings.retain(|w| !matches!(w, ReadWarning::DuplicateRow { .. }));
    }
    let series = series
        .into_iter()
        .map(|s| s.with_axis(axis.clone()))
        .collect();
    Ok(Loaded {
        series,
        skipped,
        delimiter,
        warnings,
    })
}

/// The series of the groups: a `series` column's label names its series; `scenario` labels
/// are parts of the file's one (`name/label`, or `name` when there is one). With the series,
/// the warnings about their rows: exact repeats, and, when the file is not `grouped` by a
/// column, the first two rows at one date whose unread columns differ (`hint(a, b)` lists them).
fn into_series(
    groups: Vec<Group>,
    unit: &str,
    name: &str,
    scenario: bool,
    grouped: bool,
    hint: impl Fn(u64, u64) -> Vec<String>,
) -> Result<(Vec<Series>, Vec<ReadWarning>)> {
    let several = groups.len() > 1;
    let mut warnings = Vec::new();
    let series = groups
        .into_iter()
        .map(|(label, obs, lines)| {
            let sname = match (&label, several) {
                (Some(l), _) if !scenario => l.clone(),
                (Some(l), true) => format!("{name}/{l}"),
                _ => name.to_string(),
            };
            warnings.extend(repeats::duplicate_rows(&sname, &obs, &lines));
            if !grouped {
                if let Some((a, b, date)) = repeats::first_shared_time(&obs, &lines) {
                    let columns = hint(a, b);
                    if !columns.is_empty() {
                        warnings.push(ReadWarning::SharedDate {
                            series: sname.clone(),
                            lines: (a, b),
                            date,
                            columns,
                        });
                    }
                }
            }
            Series::from_observations(sname, unit, obs)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((series, warnings))
}

/// Reads every `*.csv` file in a directory with [`read_groups`], sorted by file name. Each
/// file's result is kept on its own, so one broken file does not hide the others.
pub fn read_dir(dir: impl AsRef<Path>) -> Result<Vec<(PathBuf, Result<Vec<Series>>)>> {
    let dir = dir.as_ref();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|p| {
            let s = read_groups(&p);
            (p, s)
        })
        .collect())
}

/// Opens a file; an error names it.
fn open(path: &Path) -> Result<(File, &Path)> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    Ok((file, path))
}

/// The series name of a file: its stem.
fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "series".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// The header row; an empty file is an error.
fn read_header<R: Read>(rdr: &mut csv::Reader<R>, err: CsvErr) -> Result<csv::StringRecord> {
    let headers = rdr
        .headers()
        .map_err(|e| err.at(1, None, format!("cannot read the header: {e}")))?
        .clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(err.at(
            1,
            None,
            "the file is empty (expected a header row such as `date,value`)",
        ));
    }
    Ok(headers)
}

/// The line of a record (the header is line 1).
fn line_of(rec: &csv::StringRecord) -> u64 {
    rec.position().map_or(0, |p| p.line())
}

/// Makes the errors of one file: an [`Error::Csv`] that names it, a line and maybe a column.
#[derive(Clone, Copy)]
struct CsvErr<'a>(&'a Path);

impl CsvErr<'_> {
    fn at(self, line: u64, column: Option<&str>, message: impl Into<String>) -> Error {
        Error::Csv {
            file: self.0.to_path_buf(),
            line,
            column: column.map(str::to_string),
            message: message.into(),
        }
    }
}
