//! Reading series from CSV files.
//!
//! A series file has a header row and one observation per row. Columns are found by name, in
//! any order, case-insensitively; unknown columns are ignored.
//!
//! | column | required | aliases | meaning |
//! |---|---|---|---|
//! | `date` | yes | `ds`, `time`, `year` | `2024`, `2024-06`, `2024-06-30`, `2024Q2` or `2024.5` |
//! | `value` | yes | `y` | the figure (a finite number) |
//! | `unit` | no | | unit of the values; must be the same on every row |
//! | `kind` | no | | `exact` (default), `about`, `at_least`, `at_most`, `derived` |
//! | `weight` | no | | relative weight, > 0 (default 1) |
//! | `source`, `wording`, `note` | no | | where the figure comes from |
//!
//! growthcast's own `projections.csv` (see [`crate::export`]) reads back too: its `ds`, `y`,
//! `kind`, `unit` and `series` columns give the observations of each series (rows without an
//! observation, and the repeats of other models, are skipped).
//!
//! The series takes its name from the file stem (`data/tokens_daily.csv` → `tokens_daily`).
//! Errors name the file, the line (the header is line 1) and the column.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::series::{Kind, Observation, Series};
use crate::time::parse_date;

fn find(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| {
        names.iter().any(|n| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(n)
        })
    })
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
    let name = path.file_stem().map_or_else(
        || "series".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    read_series_from(file, &name, path)
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

/// Reads every series of a file: one, or one per label of its `scenario` (or `series`) column,
/// named `stem/label` (`datacenter_power_2030/medium`), in order of first appearance.
pub fn read_groups(path: impl AsRef<Path>) -> Result<Vec<Series>> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let name = path.file_stem().map_or_else(
        || "series".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    read_groups_from(file, &name, path)
}

/// [`read_groups`] from any reader.
pub fn read_groups_from(reader: impl Read, name: &str, file: &Path) -> Result<Vec<Series>> {
    let csv_err = |line: u64, column: Option<&str>, message: String| Error::Csv {
        file: file.to_path_buf(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(reader);
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
    let date_col = find(&headers, &["date", "ds", "time", "year"]).ok_or_else(|| {
        csv_err(
            1,
            Some("date"),
            "missing column (also accepted: ds, time, year)".into(),
        )
    })?;
    let value_col = find(&headers, &["value", "y"])
        .ok_or_else(|| csv_err(1, Some("value"), "missing column (also accepted: y)".into()))?;
    let unit_col = find(&headers, &["unit"]);
    let kind_col = find(&headers, &["kind"]);
    let weight_col = find(&headers, &["weight"]);
    let source_col = find(&headers, &["source"]);
    let wording_col = find(&headers, &["wording"]);
    let note_col = find(&headers, &["note"]);
    let scenario_col = find(&headers, &["scenario"]);
    let series_col = find(&headers, &["series"]);
    let group_col = scenario_col.or(series_col);
    // growthcast's own projections.csv: one row per (series, model, date), observations only on
    // some rows. Read it back as the observations of each series, once.
    let model_col = find(&headers, &["model"]);
    let yhat_col = find(&headers, &["yhat"]);
    let mut first_model: Vec<(Option<String>, String)> = Vec::new();

    // (label, observations, their lines), in order of first appearance.
    let mut groups: Vec<(Option<String>, Vec<Observation>, Vec<u64>)> = Vec::new();
    let mut unit: Option<(String, u64)> = None;
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
        if yhat_col.is_some() && field(Some(value_col)).is_none() {
            continue;
        }
        if let Some(m) = field(model_col) {
            let g = field(group_col).map(str::to_string);
            match first_model.iter().find(|(fg, _)| *fg == g) {
                Some((_, fm)) if fm != m => continue,
                Some(_) => {}
                None => first_model.push((g, m.to_string())),
            }
        }
        let date_text = field(Some(date_col))
            .ok_or_else(|| csv_err(line, Some("date"), "empty date".into()))?;
        let t = parse_date(date_text).map_err(|e| csv_err(line, Some("date"), e.to_string()))?;
        let value_text = field(Some(value_col))
            .ok_or_else(|| csv_err(line, Some("value"), "empty value".into()))?;
        let value: f64 = value_text.parse().map_err(|_| {
            csv_err(
                line,
                Some("value"),
                format!("`{value_text}` is not a number"),
            )
        })?;
        if !value.is_finite() {
            return Err(csv_err(
                line,
                Some("value"),
                format!("`{value_text}` is not a finite number"),
            ));
        }
        let kind = match field(kind_col) {
            Some(k) => k
                .parse::<Kind>()
                .map_err(|e| csv_err(line, Some("kind"), e.to_string()))?,
            None => Kind::Exact,
        };
        let weight = match field(weight_col) {
            Some(w) => {
                let v: f64 = w
                    .parse()
                    .map_err(|_| csv_err(line, Some("weight"), format!("`{w}` is not a number")))?;
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
        if let Some(u) = field(unit_col) {
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
        let label = field(group_col).map(str::to_string);
        let gi = match groups.iter().position(|g| g.0 == label) {
            Some(i) => i,
            None => {
                groups.push((label, Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        groups[gi].1.push(Observation {
            t,
            date: date_text.to_string(),
            value,
            kind,
            weight,
            source: field(source_col).map(str::to_string),
            wording: field(wording_col).map(str::to_string),
            note: field(note_col).map(str::to_string),
        });
        groups[gi].2.push(line);
    }
    if groups.is_empty() {
        return Err(csv_err(1, None, "no data rows".into()));
    }
    let unit = unit.map(|u| u.0).unwrap_or_default();
    let several = groups.len() > 1;
    groups
        .into_iter()
        .map(|(label, obs, lines)| {
            // A `series` column names its series; `scenario` labels are parts of the file's one.
            let sname = match (&label, several) {
                (Some(l), _) if scenario_col.is_none() => l.clone(),
                (Some(l), true) => format!("{name}/{l}"),
                _ => name.to_string(),
            };
            Series::from_observations(sname, unit.clone(), obs).map_err(|e| match e {
                Error::DuplicateTime {
                    first_row,
                    row,
                    date,
                    ..
                } => csv_err(
                    lines[row - 1],
                    Some("date"),
                    format!(
                        "duplicate date {date} (also on line {})",
                        lines[first_row - 1]
                    ),
                ),
                other => other,
            })
        })
        .collect()
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
