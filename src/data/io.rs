//! Reading series from CSV files.
//!
//! A series file has a header row and one observation per row. Columns are found by name, in
//! any order, case-insensitively; unknown columns are ignored.
//!
//! | column | required | aliases | meaning |
//! |---|---|---|---|
//! | `date` | yes | `ds`, `time`, `year`; any name with [`ReadOptions::date_column`] | `2024`, `2024-06`, `2024-06-30`, `2024Q2` or `2024.5`; other forms (`15/06/2020`) with [`ReadOptions::date_format`] |
//! | `value` | yes | `y`; any name with [`ReadOptions::value_column`] | the figure (a finite number) |
//! | `unit` | no | | unit of the values; must be the same on every row |
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
//! Errors name the file, the line (the header is line 1) and the column. A duplicate date
//! names the unread columns that differ between the two rows, in case one names the series.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::series::{Kind, Observation, Series};
use crate::time::{format_date, parse_date, parse_date_with};

/// Names of a column that splits a file into several series named by its labels.
const SERIES_COLUMNS: [&str; 3] = ["series", "series_id", "series_name"];

/// Cells that mean "no value": empty, `NA`, `N/A`, `NaN`, `null`, `-`, `..` (any case).
const MISSING: [&str; 7] = ["", "na", "n/a", "nan", "null", "-", ".."];

/// How to read a CSV file: the separator, the names of the columns, the date format, and what
/// to do with rows without a value. [`ReadOptions::default`] is what [`read_groups`] does.
///
/// ```
/// use growthcast::io::{read_groups_from_with, ReadOptions};
/// let text = "Tag;Umsatz\n15.06.2020;1,5\n15.06.2021;NA\n15.06.2022;6\n";
/// let opts = ReadOptions::new()
///     .date_column("Tag")
///     .value_column("Umsatz")
///     .date_format("%d.%m.%Y")
///     .skip_missing(true);
/// let read = read_groups_from_with(text.as_bytes(), "sales", "sales.csv".as_ref(), &opts)?;
/// assert_eq!(read.series[0].values(), vec![1.5, 6.0]);
/// assert_eq!(read.skipped, vec![3]); // line 3 had no value
/// # Ok::<(), growthcast::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    delimiter: Option<u8>,
    date_column: Option<String>,
    value_column: Option<String>,
    series_column: Option<String>,
    date_format: Option<String>,
    skip_missing: bool,
    decimal_comma: Option<bool>,
}

impl ReadOptions {
    /// The defaults: separator sniffed from the header, columns found by their usual names,
    /// dates in the forms of [`parse_date`], rows without a value an error.
    pub fn new() -> Self {
        Self::default()
    }

    /// The field separator (`b';'`, `b'\t'`, …) instead of sniffing it from the header (`;` when
    /// the header has a `;` and no `,`, a tab when it has only tabs, else `,`).
    #[must_use]
    pub fn delimiter(self, delimiter: u8) -> Self {
        Self {
            delimiter: Some(delimiter),
            ..self
        }
    }

    /// The name of the date column (any case), instead of `date`, `ds`, `time` or `year`.
    #[must_use]
    pub fn date_column(self, name: impl Into<String>) -> Self {
        Self {
            date_column: Some(name.into()),
            ..self
        }
    }

    /// The name of the value column (any case), instead of `value` or `y`.
    #[must_use]
    pub fn value_column(self, name: impl Into<String>) -> Self {
        Self {
            value_column: Some(name.into()),
            ..self
        }
    }

    /// The name of a column whose labels name the series of a long-format file, instead of
    /// `series`, `series_id`, `series_name` (or `scenario`).
    #[must_use]
    pub fn series_column(self, name: impl Into<String>) -> Self {
        Self {
            series_column: Some(name.into()),
            ..self
        }
    }

    /// A chrono `strftime` format for every date, e.g. `%d/%m/%Y` for `15/06/2020` (see
    /// [`parse_date_with`]). Without it, day-first and month-first dates are an error, never a
    /// guess.
    #[must_use]
    pub fn date_format(self, format: impl Into<String>) -> Self {
        Self {
            date_format: Some(format.into()),
            ..self
        }
    }

    /// Skip rows whose value is missing (empty, `NA`, `N/A`, `NaN`, `null`, `-` or `..`) and
    /// list their lines in [`Loaded::skipped`], instead of an error naming the first.
    #[must_use]
    pub fn skip_missing(self, skip: bool) -> Self {
        Self {
            skip_missing: skip,
            ..self
        }
    }

    /// Whether a comma in a value is the decimal mark (`1,5` is 1.5). By default it is in files
    /// separated by `;` and is not in others, where a quoted `"1,5"` is an error that says so.
    /// Thousands separators are never read.
    #[must_use]
    pub fn decimal_comma(self, decimal_comma: bool) -> Self {
        Self {
            decimal_comma: Some(decimal_comma),
            ..self
        }
    }
}

/// What [`read_groups_with`] read.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Loaded {
    /// The series, as [`read_groups`] returns them.
    pub series: Vec<Series>,
    /// Lines (the header is line 1) of the rows skipped for want of a value
    /// ([`ReadOptions::skip_missing`]); empty otherwise.
    pub skipped: Vec<u64>,
    /// The field separator used.
    pub delimiter: u8,
}

fn find(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| {
        names.iter().any(|n| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(n)
        })
    })
}

/// The separator: given, or sniffed from the header line.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let has = |c: u8| header.contains(&c);
    if has(b';') && !has(b',') {
        b';'
    } else if has(b'\t') && !has(b',') && !has(b';') {
        b'\t'
    } else {
        b','
    }
}

/// Shows a separator in messages.
fn show(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "\\t".to_string(),
        d => (d as char).to_string(),
    }
}

/// Reads a number: a decimal point, or a decimal comma when `decimal_comma`; never a thousands
/// separator. The error says what to write instead.
fn parse_number(text: &str, decimal_comma: bool) -> std::result::Result<f64, String> {
    let owned;
    let plain = if text.contains(',') {
        if !decimal_comma {
            return Err(format!(
                "`{text}` has a comma: write numbers with a decimal point and no thousands \
                 separators (`1.5`, `1234567`); if the comma is the decimal mark, pass \
                 --decimal-comma (io::ReadOptions::decimal_comma) or separate the fields with `;`"
            ));
        }
        if text.matches(',').count() > 1 || text.contains('.') {
            return Err(format!(
                "`{text}`: thousands separators are not read; write the number without them \
                 (`1234,5`)"
            ));
        }
        owned = text.replace(',', ".");
        owned.as_str()
    } else {
        text
    };
    plain
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))
}

/// Which columns hold what.
struct Columns {
    date: usize,
    value: usize,
    unit: Option<usize>,
    kind: Option<usize>,
    weight: Option<usize>,
    source: Option<usize>,
    wording: Option<usize>,
    note: Option<usize>,
    group: Option<usize>,
    /// The group column is `scenario`: its labels are parts of the file's one series.
    scenario: bool,
    model: Option<usize>,
    yhat: Option<usize>,
}

impl Columns {
    fn find(
        headers: &csv::StringRecord,
        opts: &ReadOptions,
        delimiter: u8,
        err: impl Fn(&str, String) -> Error,
    ) -> Result<Self> {
        let listed: Vec<String> = headers
            .iter()
            .map(|h| format!("`{}`", h.trim().trim_start_matches('\u{feff}')))
            .collect();
        let listed = listed.join(", ");
        let one_field_hint = match headers.iter().next() {
            Some(h) if headers.len() == 1 => [b';', b',', b'\t']
                .into_iter()
                .find(|&d| d != delimiter && h.contains(d as char))
                .map(|d| {
                    format!(
                        "; the header is one column: if the fields are separated by `{}`, pass \
                         --delimiter '{}' (io::ReadOptions::delimiter)",
                        show(d),
                        show(d)
                    )
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        let column = |given: &Option<String>, names: &[&str], what: &str, flag: &str| {
            if let Some(g) = given {
                return find(headers, &[g.as_str()]).ok_or_else(|| {
                    err(
                        g,
                        format!("no such column (given with {flag}); the header has {listed}"),
                    )
                });
            }
            find(headers, names).ok_or_else(|| {
                err(
                    names[0],
                    format!(
                        "missing column (also accepted: {}); the header has {listed}: name the \
                         {what} column with {flag} NAME (io::ReadOptions::{what}_column){one_field_hint}",
                        names[1..].join(", ")
                    ),
                )
            })
        };
        let date = column(
            &opts.date_column,
            &["date", "ds", "time", "year"],
            "date",
            "--date-col",
        )?;
        let value = column(&opts.value_column, &["value", "y"], "value", "--value-col")?;
        let scenario_col = find(headers, &["scenario"]);
        let group = match &opts.series_column {
            Some(g) => Some(find(headers, &[g.as_str()]).ok_or_else(|| {
                err(
                    g,
                    format!("no such column (given with --series-col); the header has {listed}"),
                )
            })?),
            None => scenario_col.or_else(|| find(headers, &SERIES_COLUMNS)),
        };
        Ok(Self {
            date,
            value,
            unit: find(headers, &["unit"]),
            kind: find(headers, &["kind"]),
            weight: find(headers, &["weight"]),
            source: find(headers, &["source"]),
            wording: find(headers, &["wording"]),
            note: find(headers, &["note"]),
            scenario: group.is_some() && group == scenario_col,
            group,
            model: find(headers, &["model"]),
            yhat: find(headers, &["yhat"]),
        })
    }
}

/// Reads one series from a CSV file.
///
/// ```
/// let s = growthcast::io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_users.csv"))?;
/// assert_eq!(s.name(), "genai_users");
/// assert_eq!(s.unit(), "people");
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn read_series(path: impl AsRef<Path>) -> Result<Series> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    read_series_from(file, &stem(path), path)
}

/// The series name of a file: its stem.
fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "series".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// Reads one series from any reader; `name` names the series and `file` appears in errors.
///
/// A file whose `scenario` or `series` column holds more than one label is several series:
/// this returns an error that says so; read it with [`read_groups_from`].
pub fn read_series_from(reader: impl Read, name: &str, file: &Path) -> Result<Series> {
    let mut groups = read_groups_from(reader, name, file)?;
    if groups.len() > 1 {
        let labels: Vec<&str> = groups.iter().map(|s| s.name()).collect();
        return Err(Error::Csv {
            file: file.to_path_buf(),
            line: 1,
            column: None,
            message: format!(
                "the file holds {} series ({}): read it with io::read_groups",
                groups.len(),
                labels.join(", ")
            ),
        });
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

/// [`read_groups`] with [`ReadOptions`].
pub fn read_groups_with(path: impl AsRef<Path>, opts: &ReadOptions) -> Result<Loaded> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    read_groups_from_with(file, &stem(path), path, opts)
}

/// [`read_groups`] from any reader.
pub fn read_groups_from(reader: impl Read, name: &str, file: &Path) -> Result<Vec<Series>> {
    read_groups_from_with(reader, name, file, &ReadOptions::default()).map(|l| l.series)
}

/// One group of rows: its label, observations and their lines.
type Group = (Option<String>, Vec<Observation>, Vec<u64>);

/// [`read_groups_with`] from any reader; `name` names the series and `file` appears in errors.
pub fn read_groups_from_with(
    mut reader: impl Read,
    name: &str,
    file: &Path,
    opts: &ReadOptions,
) -> Result<Loaded> {
    let csv_err = |line: u64, column: Option<&str>, message: String| Error::Csv {
        file: file.to_path_buf(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(file, e))?;
    let delimiter = opts.delimiter.unwrap_or_else(|| sniff_delimiter(&bytes));
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(&bytes[..]);
    let headers = rdr
        .headers()
        .map_err(|e| csv_err(1, None, format!("cannot read the header: {e}")))?
        .clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(csv_err(
            1,
            None,
            "the file is empty (expected a header row such as `date,value`)".into(),
        ));
    }
    let cols = Columns::find(&headers, opts, delimiter, |c, m| csv_err(1, Some(c), m))?;
    let (groups, unit, skipped) = read_rows(&mut rdr, &cols, opts, delimiter, &csv_err)?;
    if groups.is_empty() {
        let why = if skipped.is_empty() {
            "no data rows".to_string()
        } else {
            format!("no data rows: all {} had no value", skipped.len())
        };
        return Err(csv_err(1, None, why));
    }
    let several = groups.len() > 1;
    let series = groups
        .into_iter()
        .map(|(label, obs, lines)| {
            // A `series` column names its series; `scenario` labels are parts of the file's one.
            let sname = match (&label, several) {
                (Some(l), _) if !cols.scenario => l.clone(),
                (Some(l), true) => format!("{name}/{l}"),
                _ => name.to_string(),
            };
            Series::from_observations(sname, unit.clone(), obs).map_err(|e| match e {
                Error::DuplicateTime {
                    first_row,
                    row,
                    date,
                    ..
                } => {
                    let (a, b) = (lines[first_row - 1], lines[row - 1]);
                    let hint = differing_columns(&bytes, delimiter, &headers, &cols, a, b);
                    csv_err(
                        b,
                        Some("date"),
                        format!("duplicate date {date} (also on line {a}){hint}"),
                    )
                }
                other => other,
            })
        })
        .collect::<Result<Vec<Series>>>()?;
    Ok(Loaded {
        series,
        skipped,
        delimiter,
    })
}

/// The error for a cell without a value.
fn missing(text: &str) -> String {
    let what = if text.is_empty() {
        "empty value".to_string()
    } else {
        format!("no value (`{text}`)")
    };
    format!(
        "{what}: pass --skip-missing (io::ReadOptions::skip_missing) to skip rows without a \
         value, or fill it in"
    )
}

/// A date with the format given, or in the forms of [`parse_date`]; with its text for the
/// observation (ISO when a format was given).
fn read_date(text: &str, opts: &ReadOptions) -> Result<(f64, String)> {
    match &opts.date_format {
        Some(f) => parse_date_with(text, f).map(|t| (t, format_date(t))),
        None => parse_date(text).map(|t| (t, text.to_string())),
    }
}

/// Reads values, and checks that a file whose decimal mark is a comma does not also use points.
struct DecimalMarks {
    decimal_comma: bool,
    /// First lines with a decimal comma and with a decimal point.
    comma_line: Option<u64>,
    point_line: Option<u64>,
}

impl DecimalMarks {
    fn read(&mut self, text: &str, line: u64) -> std::result::Result<f64, String> {
        let value = parse_number(text, self.decimal_comma)?;
        if self.decimal_comma {
            if text.contains(',') {
                self.comma_line.get_or_insert(line);
            }
            if text.contains('.') {
                self.point_line.get_or_insert(line);
            }
            if let (Some(c), Some(p)) = (self.comma_line, self.point_line) {
                let (mine, other, at) = if p == line {
                    ("point", "comma", c)
                } else {
                    ("comma", "point", p)
                };
                return Err(format!(
                    "`{text}` has a decimal {mine}, but there is a decimal {other} on line {at}: \
                     which is the decimal mark is not guessed; write every value with the same one"
                ));
            }
        }
        if !value.is_finite() {
            return Err(format!("`{text}` is not a finite number"));
        }
        Ok(value)
    }
}

/// Reads the data rows into groups (in order of first appearance); returns them, the unit and
/// the lines skipped for want of a value.
fn read_rows(
    rdr: &mut csv::Reader<&[u8]>,
    cols: &Columns,
    opts: &ReadOptions,
    delimiter: u8,
    csv_err: &dyn Fn(u64, Option<&str>, String) -> Error,
) -> Result<(Vec<Group>, String, Vec<u64>)> {
    let decimal_comma = opts.decimal_comma.unwrap_or(delimiter == b';');
    let mut marks = DecimalMarks {
        decimal_comma,
        comma_line: None,
        point_line: None,
    };
    // growthcast's own projections.csv: one row per (series, model, date), observations only on
    // some rows. Read it back as the observations of each series, once.
    let mut first_model: HashMap<Option<String>, String> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    // Where each label's group is (`None`: rows without a label), found without allocating.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut unlabelled: Option<usize> = None;
    let mut unit: Option<(String, u64)> = None;
    let mut skipped = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            csv_err(line, None, e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let field = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let value_text = rec.get(cols.value).map_or("", str::trim);
        if cols.yhat.is_some() && value_text.is_empty() {
            continue;
        }
        let label = field(cols.group);
        if let Some(m) = field(cols.model) {
            let key = label.map(str::to_string);
            match first_model.get(&key) {
                Some(fm) if fm != m => continue,
                Some(_) => {}
                None => {
                    first_model.insert(key, m.to_string());
                }
            }
        }
        if MISSING.iter().any(|m| value_text.eq_ignore_ascii_case(m)) {
            if opts.skip_missing {
                skipped.push(line);
                continue;
            }
            return Err(csv_err(line, Some("value"), missing(value_text)));
        }
        let date_text = field(Some(cols.date))
            .ok_or_else(|| csv_err(line, Some("date"), "empty date".into()))?;
        let (t, date) =
            read_date(date_text, opts).map_err(|e| csv_err(line, Some("date"), e.to_string()))?;
        let value = marks
            .read(value_text, line)
            .map_err(|m| csv_err(line, Some("value"), m))?;
        let kind = match field(cols.kind) {
            Some(k) => k
                .parse::<Kind>()
                .map_err(|e| csv_err(line, Some("kind"), e.to_string()))?,
            None => Kind::Exact,
        };
        let weight = match field(cols.weight) {
            Some(w) => {
                let v =
                    parse_number(w, decimal_comma).map_err(|m| csv_err(line, Some("weight"), m))?;
                if !(v.is_finite() && v > 0.0) {
                    return Err(csv_err(
                        line,
                        Some("weight"),
                        format!("weight {w} must be finite and > 0"),
                    ));
                }
                v
            }
            None => 1.0,
        };
        if let Some(u) = field(cols.unit) {
            match &unit {
                Some((first, first_line)) if first != u => {
                    return Err(csv_err(
                        line,
                        Some("unit"),
                        format!("unit `{u}` differs from `{first}` on line {first_line}"),
                    ))
                }
                Some(_) => {}
                None => unit = Some((u.to_string(), line)),
            }
        }
        let found = match label {
            Some(l) => index.get(l).copied(),
            None => unlabelled,
        };
        let gi = match found {
            Some(i) => i,
            None => {
                let i = groups.len();
                match label {
                    Some(l) => {
                        index.insert(l.to_string(), i);
                    }
                    None => unlabelled = Some(i),
                }
                groups.push((label.map(str::to_string), Vec::new(), Vec::new()));
                i
            }
        };
        groups[gi].1.push(Observation {
            t,
            date,
            value,
            kind,
            weight,
            source: field(cols.source).map(str::to_string),
            wording: field(cols.wording).map(str::to_string),
            note: field(cols.note).map(str::to_string),
        });
        groups[gi].2.push(line);
    }
    Ok((groups, unit.map(|u| u.0).unwrap_or_default(), skipped))
}

/// For a duplicate date on lines `a` and `b`: the columns growthcast does not read whose cells
/// differ between the two rows, as a hint that one of them names the series.
fn differing_columns(
    bytes: &[u8],
    delimiter: u8,
    headers: &csv::StringRecord,
    cols: &Columns,
    a: u64,
    b: u64,
) -> String {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes);
    let (mut ra, mut rb) = (None, None);
    for rec in rdr.records().map_while(|r| r.ok()) {
        let line = rec.position().map_or(0, |p| p.line());
        if line == a {
            ra = Some(rec);
        } else if line == b {
            rb = Some(rec);
            break;
        }
    }
    let (Some(ra), Some(rb)) = (ra, rb) else {
        return String::new();
    };
    let known = [
        Some(cols.date),
        Some(cols.value),
        cols.unit,
        cols.kind,
        cols.weight,
        cols.source,
        cols.wording,
        cols.note,
        cols.group,
        cols.model,
        cols.yhat,
    ];
    let differ: Vec<&str> = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| !known.contains(&Some(*i)) && ra.get(*i) != rb.get(*i))
        .map(|(_, h)| h.trim())
        .collect();
    match differ.first() {
        None => String::new(),
        Some(first) => format!(
            "; column `{}` differs between the two rows: if it names the series, pass \
             --series-col {first} (io::ReadOptions::series_column)",
            differ.join("`, `")
        ),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Series> {
        read_series_from(text.as_bytes(), "t", Path::new("t.csv"))
    }

    #[test]
    fn any_column_order_and_aliases() {
        let s = read("y,kind,ds\n5,at_least,2025\n2,,2024\n").unwrap();
        assert_eq!(s.values(), vec![2.0, 5.0]);
        assert_eq!(s.observations()[1].kind, Kind::AtLeast);
    }

    #[test]
    fn groups_split_by_scenario() {
        let g = read_groups_from(
            "date,value,scenario\n2030,4e11,medium\n2030,7e11,high\n".as_bytes(),
            "dc",
            Path::new("dc.csv"),
        )
        .unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].name(), "dc/high");
        assert_eq!(g[1].values(), vec![7e11]);
    }

    fn with(text: &str, opts: &ReadOptions) -> Result<Loaded> {
        read_groups_from_with(text.as_bytes(), "t", Path::new("t.csv"), opts)
    }

    #[test]
    fn options_name_columns_read_formats_and_skip_missing_rows() {
        let opts = ReadOptions::new()
            .date_column("Day")
            .value_column("Sales")
            .date_format("%d/%m/%Y")
            .skip_missing(true);
        let text = "Day,Sales\n15/06/2020,3\n15/06/2021,NA\n15/06/2022,\n01/02/2023,9\n";
        let l = with(text, &opts).unwrap();
        assert_eq!(l.skipped, vec![3, 4]);
        let s = &l.series[0];
        assert_eq!(s.values(), vec![3.0, 9.0]);
        // Day first, as the format says; the dates are kept as ISO dates.
        assert_eq!(s.observations()[1].date, "2023-02-01");
        assert_eq!(s.times()[0], parse_date("2020-06-15").unwrap());
        // A date that does not match the format names the cell and the format.
        let e = with("Day,Sales\n2020-06-15,1\n", &opts)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2, column `date`") && e.contains("format `%d/%m/%Y`"),
            "{e}"
        );
        // A column given by name that is not there.
        let e = with("date,value\n2020,1\n", &opts).unwrap_err().to_string();
        assert!(
            e.contains("column `Day`: no such column (given with --date-col)"),
            "{e}"
        );
        // Every row without a value: said so.
        let e = with("Day,Sales\n15/06/2020,NA\n", &opts)
            .unwrap_err()
            .to_string();
        assert!(e.contains("all 1 had no value"), "{e}");
    }

    #[test]
    fn separators_sniffed_or_given() {
        let tab = with("date\tvalue\n2020\t1.5\n2021\t2\n", &ReadOptions::new()).unwrap();
        assert_eq!(
            (tab.delimiter, tab.series[0].values()),
            (b'\t', vec![1.5, 2.0])
        );
        let semi = with("date;value;note\n2020;1,5;a, b\n", &ReadOptions::new()).unwrap();
        assert_eq!((semi.delimiter, semi.series[0].values()), (b';', vec![1.5]));
        // A separator given that the header does not use: the error says which one it does.
        let e = with("date;value\n2020;1\n", &ReadOptions::new().delimiter(b','))
            .unwrap_err()
            .to_string();
        assert!(e.contains("pass --delimiter ';'"), "{e}");
        // Decimal commas in a comma-separated file only when asked, and never thousands.
        let dc = ReadOptions::new().decimal_comma(true);
        let l = with("date,value\n2020,\"1,5\"\n", &dc).unwrap();
        assert_eq!(l.series[0].values(), vec![1.5]);
        let e = with("date;value\n2020;1.234,5\n", &ReadOptions::new())
            .unwrap_err()
            .to_string();
        assert!(e.contains("thousands separators are not read"), "{e}");
        // With decimal commas off, a `;` file's `1,5` is an error, not 15.
        let e = with(
            "date;value\n2020;1,5\n",
            &ReadOptions::new().decimal_comma(false),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("`1,5` has a comma"), "{e}");
    }

    #[test]
    fn a_duplicate_date_names_the_column_that_may_name_the_series() {
        let text = "date,value,country\n2020,1,fr\n2020,2,de\n";
        let e = read(text).unwrap_err().to_string();
        assert!(
            e.contains("duplicate date 2020 (also on line 2)")
                && e.contains("column `country` differs")
                && e.contains("--series-col country"),
            "{e}"
        );
        let l = with(text, &ReadOptions::new().series_column("country")).unwrap();
        let names: Vec<&str> = l.series.iter().map(|s| s.name()).collect();
        assert_eq!(names, ["fr", "de"]);
    }

    #[test]
    fn many_groups_keep_their_order_of_first_appearance() {
        // 30k rows, 1000 series interleaved (long format): one map lookup per row, not a search
        // through the series read so far.
        let mut text = String::from("date,value,series\n");
        for d in 0..30 {
            for g in 0..1000 {
                text.push_str(&format!("{}.5,{},s{g}\n", 1900 + d, 1 + g + d));
            }
        }
        let g = read_groups_from(text.as_bytes(), "t", Path::new("t.csv")).unwrap();
        assert_eq!(g.len(), 1000);
        assert_eq!((g[0].name(), g[999].name()), ("s0", "s999"));
        assert_eq!(g[7].len(), 30);
        assert_eq!(g[7].values()[29], (1 + 7 + 29) as f64);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let cases = [
            (
                "date,value\n2024,1\n2025,abc\n",
                "t.csv: line 3, column `value`",
            ),
            (
                "date,value\n2024,1\n2025-13,2\n",
                "t.csv: line 3, column `date`",
            ),
            ("date,value\n2024,NaN\n", "line 2, column `value`"),
            ("value\n1\n", "line 1, column `date`"),
            ("date,value\n", "no data rows"),
            (
                "date,value\n2024,1\n2024,2\n",
                "line 3, column `date`: duplicate date 2024 (also on line 2)",
            ),
            ("date,value,kind\n2024,1,maybe\n", "column `kind`"),
            ("date,value\n2024,1,3\n", "line 2"),
            ("date,value,unit\n2024,1,a\n2025,2,b\n", "unit `b` differs"),
            (
                "date,value,scenario\n2030,1,low\n2030,2,high\n",
                "holds 2 series (t/low, t/high)",
            ),
        ];
        for (text, want) in cases {
            let e = read(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }
}
