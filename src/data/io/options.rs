//! [`ReadOptions`], how a CSV file is spelled, and [`Loaded`], what was read with them.

use super::ReadWarning;
use crate::series::Series;
use crate::setters::setters;

/// How to read a CSV file: the separator, the names of the columns, the date format, and what
/// to do with rows without a value. [`ReadOptions::default`] is what
/// [`read_groups`](super::read_groups) does.
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
    pub(super) delimiter: Option<u8>,
    pub(super) date_column: Option<String>,
    pub(super) value_column: Option<String>,
    pub(super) series_column: Option<String>,
    pub(super) date_format: Option<String>,
    pub(super) skip_missing: bool,
    pub(super) decimal_comma: Option<bool>,
    pub(super) time_unit: Option<String>,
}

impl ReadOptions {
    /// The defaults: separator sniffed from the header, columns found by their usual names,
    /// dates in the forms of [`parse_date`](crate::time::parse_date), rows without a value an
    /// error.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// The field separator (`b';'`, `b'\t'`, …) instead of sniffing it from the header (`;` when
        /// the header has a `;` and no `,`, a tab when it has only tabs, else `,`).
        pub fn delimiter(delimiter: u8) => delimiter = Some(delimiter);

        /// The name of the date column (any case), instead of `date`, `ds`, `time` or `year`.
        pub fn date_column(name: impl Into<String>) => date_column = Some(name.into());

        /// The name of the value column (any case), instead of `value` or `y`.
        pub fn value_column(name: impl Into<String>) => value_column = Some(name.into());

        /// The name of a column whose labels name the series of a long-format file, instead of
        /// `series`, `series_id`, `series_name` (or `scenario`).
        pub fn series_column(name: impl Into<String>) => series_column = Some(name.into());

        /// A chrono `strftime` format for every date, e.g. `%d/%m/%Y` for `15/06/2020` (see
        /// [`parse_date_with`](crate::time::parse_date_with)). Without it, day-first and
        /// month-first dates are an error, never a guess.
        pub fn date_format(format: impl Into<String>) => date_format = Some(format.into());

        /// Skip rows whose value is missing (empty, `NA`, `N/A`, `NaN`, `null`, `-` or `..`) and
        /// list their lines in [`Loaded::skipped`], instead of an error naming the first.
        pub fn skip_missing(skip: bool) => skip_missing = skip;

        /// Whether a comma in a value is the decimal mark (`1,5` is 1.5). By default it is in files
        /// separated by `;` and is not in others, where a quoted `"1,5"` is an error that says so.
        /// Thousands separators are never read.
        pub fn decimal_comma(decimal_comma: bool) => decimal_comma = Some(decimal_comma);

        /// The unit of a numeric time axis (`hour`, `day`, `dose`, …): the time column then holds
        /// plain numbers (zero and negatives allowed) and every rate is per that unit. Without
        /// it a `time_unit` column gives the unit, and a file with neither is dated.
        pub fn time_unit(unit: impl Into<String>) => time_unit = Some(unit.into());
    }
}

/// What [`read_groups_with`](super::read_groups_with) read.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Loaded {
    /// The series, as [`read_groups`](super::read_groups) returns them.
    pub series: Vec<Series>,
    /// Lines (the header is line 1) of the rows skipped for want of a value
    /// ([`ReadOptions::skip_missing`]); empty otherwise.
    pub skipped: Vec<u64>,
    /// The field separator used.
    pub delimiter: u8,
    /// Rows kept but worth a look: a row that repeats another's date and value, rows at one
    /// date that differ in a column growthcast does not read ([`ReadWarning`]).
    pub warnings: Vec<ReadWarning>,
}
