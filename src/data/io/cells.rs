//! Reading one cell: a value or a weight (decimal point or comma, never thousands separators),
//! a kind, a date, and the markers of a missing value.

use crate::axis::TimeAxis;
use crate::error::{Error, Result};
use crate::series::Kind;
use crate::time::{format_date, parse_date, parse_date_with};

use super::ReadOptions;

/// Cells that mean "no value": empty, `NA`, `N/A`, `NaN`, `null`, `-`, `..` (any case).
const MISSING: [&str; 7] = ["", "na", "n/a", "nan", "null", "-", ".."];

/// Whether a (trimmed) cell means "no value" ([`MISSING`]).
pub(super) fn is_missing(text: &str) -> bool {
    MISSING.iter().any(|m| text.eq_ignore_ascii_case(m))
}

/// The error for a cell without a value.
pub(super) fn missing(text: &str) -> String {
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

/// A time on `axis`: a date with the format given, or in the forms of [`parse_date`], or a
/// number on a numeric axis; with its text for the observation (ISO when a format was given).
/// A date that is not one but a number is an error that says how to give a time unit.
pub(super) fn read_time(text: &str, opts: &ReadOptions, axis: &TimeAxis) -> Result<(f64, String)> {
    match (axis, &opts.date_format) {
        (TimeAxis::Numeric(_), _) => axis.parse(text).map(|t| (t, text.to_string())),
        (TimeAxis::Calendar, Some(f)) => parse_date_with(text, f).map(|t| (t, format_date(t))),
        (TimeAxis::Calendar, None) => {
            parse_date(text)
                .map(|t| (t, text.to_string()))
                .map_err(|e| match (e, text.trim().parse::<f64>()) {
                    (Error::InvalidDate { input, reason }, Ok(_)) => Error::InvalidDate {
                        input,
                        reason: format!(
                        "{reason}; if the times are numbers (hours, days, a dose), give their \
                         unit: --time-unit day (io::ReadOptions::time_unit) or a `time_unit` column"
                    ),
                    },
                    (e, _) => e,
                })
        }
    }
}

/// A `kind` cell; an empty one is [`Kind::Exact`].
pub(super) fn read_kind(text: Option<&str>) -> std::result::Result<Kind, String> {
    text.map_or(Ok(Kind::Exact), |k| {
        k.parse::<Kind>().map_err(|e| e.to_string())
    })
}

/// Reads the numbers of a file, and checks that a file whose decimal mark is a comma does not
/// also use points.
pub(super) struct DecimalMarks {
    decimal_comma: bool,
    /// First lines with a decimal comma and with a decimal point.
    comma_line: Option<u64>,
    point_line: Option<u64>,
}

impl DecimalMarks {
    /// The marks of a file: a decimal comma as the options say, else in `;`-separated files.
    pub(super) fn new(opts: &ReadOptions, delimiter: u8) -> Self {
        Self {
            decimal_comma: opts.decimal_comma.unwrap_or(delimiter == b';'),
            comma_line: None,
            point_line: None,
        }
    }

    /// A value cell on `line`: a finite number, with the file's decimal mark.
    pub(super) fn read(&mut self, text: &str, line: u64) -> std::result::Result<f64, String> {
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

    /// A `weight` cell: finite and > 0; an empty one is 1. Its decimal mark is not checked
    /// against the values'.
    pub(super) fn weight(&self, text: Option<&str>) -> std::result::Result<f64, String> {
        let Some(w) = text else {
            return Ok(1.0);
        };
        let v = parse_number(w, self.decimal_comma)?;
        if !(v.is_finite() && v > 0.0) {
            return Err(format!("weight {w} must be finite and > 0"));
        }
        Ok(v)
    }
}
