//! Calendar dates and decimal years.
//!
//! Inside growthcast time is a decimal year (`2024.5` is about the first of July 2024) and every
//! rate is per year. Users pass and see dates; this module converts between the two with
//! [`chrono`].
//!
//! | text           | meaning                                  | decimal year  |
//! |----------------|------------------------------------------|---------------|
//! | `2024`         | the year, taken at its first instant     | `2024.0`      |
//! | `2024-06`      | the first day of the month               | `2024.4153…`  |
//! | `2024-06-30`   | that day (at 00:00)                      | `2024.4918…`  |
//! | `2024Q2`       | the first day of the quarter             | `2024.2486…`  |
//! | `2024.5`       | a decimal year, used as is               | `2024.5`      |
//!
//! A day `d` of year `y` is `y + (ordinal(d) - 1) / days_in_year(y)`, so leap years are exact and
//! a bare year and its first of January are the same instant. Figures "as of the end of June"
//! should be written with the day (`2024-06-30`).

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};

fn days_in_year(year: i32) -> f64 {
    if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366.0
    } else {
        365.0
    }
}

/// Decimal year of a calendar date.
///
/// ```
/// use chrono::NaiveDate;
/// let t = growthcast::time::decimal_year(NaiveDate::from_ymd_opt(2024, 7, 2).unwrap());
/// assert!((t - 2024.5).abs() < 1e-12); // day 184 of 366
/// ```
pub fn decimal_year(date: NaiveDate) -> f64 {
    f64::from(date.year()) + f64::from(date.ordinal0()) / days_in_year(date.year())
}

/// The calendar date nearest to a decimal year (`None` outside chrono's range or for NaN).
pub fn date_of(t: f64) -> Option<NaiveDate> {
    if !t.is_finite() || t.abs() > 200_000.0 {
        return None;
    }
    let year = t.floor() as i32;
    let day = ((t - f64::from(year)) * days_in_year(year)).round() as u32;
    let ndays = days_in_year(year) as u32;
    if day >= ndays {
        NaiveDate::from_yo_opt(year + 1, 1)
    } else {
        NaiveDate::from_yo_opt(year, day + 1)
    }
}

/// Formats a decimal year as `YYYY-MM-DD` (or the number itself when it is out of range).
pub fn format_date(t: f64) -> String {
    match date_of(t) {
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => format!("{t}"),
    }
}

/// The last days of the years (`YYYY-12-31`) after `after` up to `until`, then `until` itself
/// when it is not one of them: the dates a yearly projection is printed at, never past `until`.
///
/// ```
/// use growthcast::time::{format_date, parse_date, year_ends};
/// let t = year_ends(parse_date("2025-06").unwrap(), parse_date("2027-06").unwrap());
/// let d: Vec<String> = t.iter().map(|&t| format_date(t)).collect();
/// assert_eq!(d, ["2025-12-31", "2026-12-31", "2027-06-01"]);
/// ```
pub fn year_ends(after: f64, until: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if !(after.is_finite() && until.is_finite()) || until <= after {
        return out;
    }
    for y in (after.floor() as i32)..=(until.floor() as i32) {
        if let Some(d) = NaiveDate::from_ymd_opt(y, 12, 31) {
            let t = decimal_year(d);
            if t > after + 1e-9 && t <= until + 1e-9 {
                out.push(t);
            }
        }
    }
    if out
        .last()
        .is_none_or(|&l| format_date(l) != format_date(until))
    {
        out.push(until);
    }
    out
}

/// First days of the months after `from`, up to `to` inclusive (decimal years).
pub fn monthly(from: f64, to: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if !(from.is_finite() && to.is_finite()) || to <= from {
        return out;
    }
    for y in (from.floor() as i32)..=(to.floor() as i32) {
        for m in 1..=12 {
            if let Some(d) = NaiveDate::from_ymd_opt(y, m, 1) {
                let t = decimal_year(d);
                if t > from + 1e-9 && t <= to + 1e-9 {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// Parses `2024`, `2024-06`, `2024-06-30`, `2024Q2` / `2024-Q2` or a decimal year `2024.5`.
///
/// ```
/// use growthcast::time::parse_date;
/// assert_eq!(parse_date("2024").unwrap(), 2024.0);
/// assert!((parse_date("2024-07-02").unwrap() - 2024.5).abs() < 1e-12);
/// assert!(parse_date("2024-13").is_err());
/// ```
pub fn parse_date(input: &str) -> Result<f64> {
    let s = input.trim();
    let bad = |reason: &str| Error::InvalidDate {
        input: input.to_string(),
        reason: reason.to_string(),
    };
    if s.is_empty() {
        return Err(bad("the date is empty"));
    }
    let ymd = |y: i32, m: u32, d: u32| -> Result<f64> {
        NaiveDate::from_ymd_opt(y, m, d)
            .map(decimal_year)
            .ok_or_else(|| bad("no such calendar day"))
    };
    let int = |part: &str, what: &str| -> Result<i64> {
        if part.is_empty() || !part.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad(&format!("the {what} `{part}` is not a whole number")));
        }
        part.parse::<i64>()
            .map_err(|_| bad(&format!("the {what} `{part}` is too large")))
    };
    let year = |part: &str| -> Result<i32> {
        let y = int(part, "year")?;
        if !(1..=9999).contains(&y) || part.len() != 4 {
            return Err(bad("the year must have four digits"));
        }
        Ok(y as i32)
    };

    // Quarter: 2024Q2, 2024-Q2, 2024q2
    let upper = s.to_ascii_uppercase();
    if let Some(pos) = upper.find('Q') {
        let y = year(upper[..pos].trim_end_matches('-'))?;
        let q = int(&upper[pos + 1..], "quarter")?;
        if !(1..=4).contains(&q) {
            return Err(bad("the quarter must be 1 to 4"));
        }
        return ymd(y, 3 * (q as u32 - 1) + 1, 1);
    }
    // Day-first or month-first: 15/06/2020, 06/15/2020, 15.06.2020. Never guessed.
    if let Some(sep) = ['/', '.', '-'].into_iter().find(|&c| s.contains(c)) {
        let mut it = s.split(sep);
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        let parts = (it.next(), it.next(), it.next(), it.next());
        let day_or_month_first = match parts {
            (Some(a), Some(b), Some(c), None) => {
                [a, b, c].into_iter().all(digits) && a.len() <= 2 && c.len() == 4
            }
            _ => false,
        };
        if day_or_month_first {
            return Err(bad(&format!(
                "the year comes last, and whether the day or the month comes first is not \
                 guessed: pass --date-format %d{sep}%m{sep}%Y (or %m{sep}%d{sep}%Y), \
                 io::ReadOptions::date_format in Rust"
            )));
        }
    }
    // Decimal year: 2024.5
    if s.contains('.') && !s.contains('-') {
        let t: f64 = s.parse().map_err(|_| bad("not a decimal year"))?;
        if !t.is_finite() || !(1.0..10000.0).contains(&t) {
            return Err(bad("a decimal year must lie between 1 and 9999"));
        }
        return Ok(t);
    }
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    match parts.as_slice() {
        [y] => Ok(f64::from(year(y)?)),
        [y, m] => {
            let m = int(m, "month")?;
            if !(1..=12).contains(&m) {
                return Err(bad("the month must be 1 to 12"));
            }
            ymd(year(y)?, m as u32, 1)
        }
        [y, m, d] => {
            let m = int(m, "month")?;
            if !(1..=12).contains(&m) {
                return Err(bad("the month must be 1 to 12"));
            }
            let d = int(d, "day")?;
            if !(1..=31).contains(&d) {
                return Err(bad("the day must be 1 to 31"));
            }
            ymd(year(y)?, m as u32, d as u32)
        }
        _ => Err(bad("too many parts")),
    }
}

/// Parses a date with an explicit chrono `strftime` format, e.g. `%d/%m/%Y` for `15/06/2020`.
/// A format without a day (`%m/%Y`) reads the first of the month.
///
/// ```
/// use growthcast::time::{parse_date, parse_date_with};
/// assert_eq!(parse_date_with("15/06/2020", "%d/%m/%Y")?, parse_date("2020-06-15")?);
/// assert_eq!(parse_date_with("06/2020", "%m/%Y")?, parse_date("2020-06")?);
/// assert!(parse_date_with("2020-06-15", "%d/%m/%Y").is_err());
/// # Ok::<(), growthcast::Error>(())
/// ```
pub fn parse_date_with(input: &str, format: &str) -> Result<f64> {
    let s = input.trim();
    let has_day = ["%d", "%e", "%j", "%F", "%D", "%x", "%c", "%s"]
        .iter()
        .any(|d| format.contains(d));
    let parsed = if has_day {
        NaiveDate::parse_from_str(s, format)
    } else {
        NaiveDate::parse_from_str(&format!("{s} 1"), &format!("{format} %d"))
    };
    parsed.map(decimal_year).map_err(|e| Error::DateFormat {
        input: input.to_string(),
        format: format.to_string(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn parses_every_form() {
        assert_eq!(parse_date("2020").unwrap(), 2020.0);
        // 2024 is a leap year: June 1 is day 153, ordinal0 152.
        assert_relative_eq!(parse_date("2024-06").unwrap(), 2024.0 + 152.0 / 366.0);
        assert_relative_eq!(parse_date("2025-06-30").unwrap(), 2025.0 + 180.0 / 365.0);
        assert_relative_eq!(parse_date("2025Q3").unwrap(), 2025.0 + 181.0 / 365.0);
        assert_relative_eq!(parse_date("2025-q3").unwrap(), 2025.0 + 181.0 / 365.0);
        assert_eq!(parse_date(" 2030.25 ").unwrap(), 2030.25);
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "",
            "20",
            "2024-00",
            "2024-02-30",
            "2024Q5",
            "abc",
            "2024-06-30-1",
            "1e400",
            "2024.x",
        ] {
            assert!(parse_date(s).is_err(), "{s} should fail");
        }
        let msg = parse_date("2025-02-29").unwrap_err().to_string();
        assert!(
            msg.contains("2025-02-29") && msg.contains("no such calendar day"),
            "{msg}"
        );
    }

    #[test]
    fn day_first_dates_name_a_format_and_read_with_it() {
        for (s, f) in [
            ("15/06/2020", "%d/%m/%Y"),
            ("15.06.2020", "%d.%m.%Y"),
            ("5-6-2020", "%d-%m-%Y"),
        ] {
            let msg = parse_date(s).unwrap_err().to_string();
            assert!(msg.contains(&format!("--date-format {f}")), "{s}: {msg}");
            assert_eq!(
                parse_date_with(s, f).unwrap(),
                parse_date(&format_date(parse_date_with(s, f).unwrap())).unwrap()
            );
        }
        assert_eq!(
            parse_date_with("15.06.2020", "%d.%m.%Y").unwrap(),
            parse_date("2020-06-15").unwrap()
        );
        let msg = parse_date_with("2020-06-15", "%d/%m/%Y")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("with the format `%d/%m/%Y`"), "{msg}");
    }

    #[test]
    fn round_trips() {
        for s in [
            "2024-01-01",
            "2024-12-31",
            "2025-06-30",
            "2026-03-31",
            "2000-02-29",
        ] {
            assert_eq!(format_date(parse_date(s).unwrap()), s);
        }
        assert_eq!(format_date(2030.0), "2030-01-01");
    }
}
