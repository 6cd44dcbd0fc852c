//! What the data do not carry: titles, source documents, known ceilings, assumed bases and the
//! headline list of one data set, read from `report.csv` and `report_sources.csv` in its folder.
//!
//! A folder without them gets a generic report: titles are the series names, sources are the
//! file names the data give, no ceiling but the generic 100% for units starting with `%`, and
//! single-point files get no scenario paths.

use std::path::Path;

use serde::Deserialize;

use super::claims::{ClaimSpec, CLAIMS_FILE};
use crate::error::{Error, Result};
use crate::scenario::Base;

/// The file of per-series particulars in a data folder (never read as a series).
pub const SERIES_FILE: &str = "report.csv";
/// The file naming the source documents in a data folder (never read as a series).
pub const SOURCES_FILE: &str = "report_sources.csv";

/// Whether `path` is one of the particulars files ([`SERIES_FILE`], [`SOURCES_FILE`],
/// [`CLAIMS_FILE`]).
pub fn is_particulars_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == SERIES_FILE || n == SOURCES_FILE || n == CLAIMS_FILE)
}

/// A ceiling the data cannot show but outside knowledge gives (a population, a total).
#[derive(Clone, Debug, PartialEq)]
pub struct Ceiling {
    /// The value no projection may pass.
    pub value: f64,
    /// What it is and why it is known; the text before ` (` is its short label on charts.
    pub note: String,
}

impl Ceiling {
    /// The note's short form: the text before ` (`.
    pub fn short(&self) -> &str {
        self.note.split(" (").next().unwrap_or(&self.note)
    }
}

/// What the report knows of one series (or, for a scenario file, of the file's stem).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeriesInfo {
    /// Series name, or the file stem of a scenario-target file.
    pub series: String,
    /// Readable title for the charts (the name when `None`).
    pub title: Option<String>,
    /// Known ceiling.
    pub ceiling: Option<Ceiling>,
    /// Assumed base for a single-point scenario file.
    pub base: Option<Base>,
    /// Its charts are copied to the docs folder ([`super::ReportOptions::docs`]).
    pub headline: bool,
}

/// The particulars of a data set. [`Particulars::default`] is the generic report's: none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Particulars {
    /// One entry per series (or scenario file stem).
    pub series: Vec<SeriesInfo>,
    /// Source documents: `(file name as in the data's source column, document title)`.
    pub sources: Vec<(String, String)>,
    /// Claims the documents make, to check against the series ([`CLAIMS_FILE`]).
    pub claims: Vec<ClaimSpec>,
    /// Where the claims were read from (for errors).
    pub claims_file: Option<std::path::PathBuf>,
}

/// One row of `report.csv`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    series: String,
    title: Option<String>,
    known_ceiling: Option<f64>,
    ceiling_note: Option<String>,
    assumed_base: Option<f64>,
    assumed_base_year: Option<f64>,
    base_note: Option<String>,
    headline: Option<bool>,
}

/// One row of `report_sources.csv`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRow {
    source: String,
    document: String,
}

impl Particulars {
    /// The particulars in `folder` ([`SERIES_FILE`] and [`SOURCES_FILE`], each if present);
    /// none (a generic report) when neither is there. A malformed file is an [`Error::Csv`]
    /// naming the file, line and column.
    pub fn load(folder: &Path) -> Result<Self> {
        let mut p = Self::default();
        let file = folder.join(SERIES_FILE);
        if file.is_file() {
            for (line, row) in read_rows::<Row>(&file)? {
                p.push_row(&file, line, row)?;
            }
        }
        let file = folder.join(SOURCES_FILE);
        if file.is_file() {
            for (line, row) in read_rows::<SourceRow>(&file)? {
                let bad =
                    |column: &str, message: &str| csv_error(&file, line, Some(column), message);
                if row.source.trim().is_empty() {
                    return Err(bad(
                        "source",
                        "empty: give the file name the data's `source` column uses",
                    ));
                }
                if p.sources.iter().any(|(s, _)| *s == row.source) {
                    return Err(bad("source", "listed twice: keep one row per source"));
                }
                p.sources.push((row.source, row.document));
            }
        }
        let file = folder.join(CLAIMS_FILE);
        if file.is_file() {
            p.claims = super::claims::load(&file)?;
            p.claims_file = Some(file);
        }
        Ok(p)
    }

    fn push_row(&mut self, file: &Path, line: u64, row: Row) -> Result<()> {
        let bad = |column: &str, message: String| csv_error(file, line, Some(column), &message);
        if row.series.trim().is_empty() {
            return Err(bad(
                "series",
                "empty: give a series name or a scenario file's stem".into(),
            ));
        }
        if self.info(&row.series).is_some() {
            return Err(bad(
                "series",
                format!("`{}` is listed twice: keep one row per series", row.series),
            ));
        }
        let ceiling = match (row.known_ceiling, row.ceiling_note) {
            (None, None) => None,
            (Some(k), _) if !(k.is_finite() && k > 0.0) => {
                return Err(bad(
                    "known_ceiling",
                    format!("{k} must be a finite number > 0"),
                ))
            }
            (Some(value), Some(note)) => Some(Ceiling { value, note }),
            (Some(_), None) => {
                return Err(bad(
                    "ceiling_note",
                    "empty: say what the known ceiling is and why".into(),
                ))
            }
            (None, Some(_)) => {
                return Err(bad(
                    "known_ceiling",
                    "empty while ceiling_note is given: give the value".into(),
                ))
            }
        };
        let base = match (row.assumed_base, row.assumed_base_year, row.base_note) {
            (None, None, None) => None,
            (Some(v), _, _) if !(v.is_finite() && v > 0.0) => {
                return Err(bad(
                    "assumed_base",
                    format!("{v} must be a finite number > 0"),
                ))
            }
            (Some(v), Some(year), Some(note)) if year.is_finite() => {
                Some(Base::assumed(v, year, note))
            }
            (None, _, _) => {
                return Err(bad(
                    "assumed_base",
                    "empty while its year or note is given: give the value".into(),
                ))
            }
            (_, None, _) => {
                return Err(bad(
                    "assumed_base_year",
                    "empty: give the base's year".into(),
                ))
            }
            (_, Some(y), _) if !y.is_finite() => {
                return Err(bad("assumed_base_year", format!("{y} is not a year")))
            }
            _ => {
                return Err(bad(
                    "base_note",
                    "empty: say where the assumed base comes from".into(),
                ))
            }
        };
        self.series.push(SeriesInfo {
            series: row.series,
            title: row.title.filter(|t| !t.trim().is_empty()),
            ceiling,
            base,
            headline: row.headline.unwrap_or(false),
        });
        Ok(())
    }

    /// What is known of a series (or scenario file stem).
    pub fn info(&self, series: &str) -> Option<&SeriesInfo> {
        self.series.iter().find(|i| i.series == series)
    }

    /// The entry of a series, added if missing (for the builder methods).
    fn entry(&mut self, series: &str) -> &mut SeriesInfo {
        if let Some(i) = self.series.iter().position(|i| i.series == series) {
            return &mut self.series[i];
        }
        self.series.push(SeriesInfo {
            series: series.to_string(),
            ..SeriesInfo::default()
        });
        self.series.last_mut().expect("just pushed")
    }

    /// With a readable title for a series.
    pub fn with_title(mut self, series: &str, title: impl Into<String>) -> Self {
        self.entry(series).title = Some(title.into());
        self
    }

    /// With a known ceiling for a series (`note`: what it is and why it is known).
    pub fn with_ceiling(mut self, series: &str, value: f64, note: impl Into<String>) -> Self {
        self.entry(series).ceiling = Some(Ceiling {
            value,
            note: note.into(),
        });
        self
    }

    /// With an assumed base for a single-point scenario file, by file stem.
    pub fn with_base(mut self, stem: &str, base: Base) -> Self {
        self.entry(stem).base = Some(base);
        self
    }

    /// With a series (or scenario file stem) whose charts go to the docs folder.
    pub fn with_headline(mut self, series: &str) -> Self {
        self.entry(series).headline = true;
        self
    }

    /// With the title of a source document, by the file name the data's `source` column gives.
    pub fn with_source(mut self, file: impl Into<String>, document: impl Into<String>) -> Self {
        self.sources.push((file.into(), document.into()));
        self
    }

    /// A readable title for a series (its name when none is given).
    pub fn title(&self, series: &str) -> String {
        self.info(series)
            .and_then(|i| i.title.clone())
            .unwrap_or_else(|| series.to_string())
    }

    /// The series' known ceiling, if one is given.
    pub fn ceiling(&self, series: &str) -> Option<&Ceiling> {
        self.info(series)?.ceiling.as_ref()
    }

    /// The assumed base of a scenario file, by stem.
    pub fn base(&self, stem: &str) -> Option<&Base> {
        self.info(stem)?.base.as_ref()
    }

    /// Whether the series' (or scenario file's) charts go to the docs folder.
    pub fn is_headline(&self, series: &str) -> bool {
        self.info(series).is_some_and(|i| i.headline)
    }

    /// The title of a source document (the file name when none is given).
    pub fn document(&self, file: &str) -> String {
        self.sources
            .iter()
            .find(|(f, _)| f == file)
            .map_or_else(|| file.to_string(), |(_, d)| d.clone())
    }
}

pub(super) fn csv_error(file: &Path, line: u64, column: Option<&str>, message: &str) -> Error {
    Error::Csv {
        file: file.to_path_buf(),
        line,
        column: column.map(str::to_string),
        message: message.to_string(),
    }
}

/// Every row of a particulars file with its 1-based line, or the first error, located.
pub(super) fn read_rows<T: serde::de::DeserializeOwned>(file: &Path) -> Result<Vec<(u64, T)>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(file)
        .map_err(|e| from_csv(file, &csv::StringRecord::new(), e))?;
    let headers = reader
        .headers()
        .map_err(|e| from_csv(file, &csv::StringRecord::new(), e))?
        .clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| from_csv(file, &headers, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let row = record
            .deserialize(Some(&headers))
            .map_err(|e| from_csv(file, &headers, e))?;
        rows.push((line, row));
    }
    Ok(rows)
}

/// A csv crate error as [`Error::Csv`], with the line and the column when it knows them.
fn from_csv(file: &Path, headers: &csv::StringRecord, e: csv::Error) -> Error {
    let line = e.position().map_or(1, |p| p.line());
    let (column, message) = match e.kind() {
        csv::ErrorKind::Io(io) => {
            return Error::io(file, std::io::Error::new(io.kind(), io.to_string()))
        }
        csv::ErrorKind::Deserialize { err, .. } => (
            err.field()
                .and_then(|i| headers.get(i as usize))
                .map(str::to_string),
            err.kind().to_string(),
        ),
        _ => (None, e.to_string()),
    };
    Error::Csv {
        file: file.to_path_buf(),
        line,
        column,
        message: format!("{message} (the columns are {COLUMNS})"),
    }
}

/// The columns of the particulars files, for error messages.
const COLUMNS: &str = "series,title,known_ceiling,ceiling_note,assumed_base,\
    assumed_base_year,base_note,headline in report.csv; source,document in report_sources.csv";
