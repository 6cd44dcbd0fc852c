//! The header: the separator, which columns hold what (by name, any order and case), the
//! grouping column, and the hints an error gives when a column is not found.

use csv::StringRecord;

use crate::error::Result;

use super::{line_of, CsvErr, ReadOptions};

/// Names of a column that splits a file into several series named by its labels.
const SERIES_COLUMNS: [&str; 3] = ["series", "series_id", "series_name"];

/// A header cell without its spaces and byte-order mark.
fn clean(h: &str) -> &str {
    h.trim().trim_start_matches('\u{feff}')
}

/// The first column named by one of `names` (any case).
fn find(headers: &StringRecord, names: &[&str]) -> Option<usize> {
    headers
        .iter()
        .position(|h| names.iter().any(|n| clean(h).eq_ignore_ascii_case(n)))
}

/// The separator sniffed from the header line: `;` when it has a `;` and no `,`, a tab when it
/// has only tabs, else `,`.
pub(super) fn sniff_delimiter(bytes: &[u8]) -> u8 {
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

/// Which columns hold what.
pub(super) struct Columns {
    pub(super) date: usize,
    pub(super) value: usize,
    pub(super) unit: Option<usize>,
    pub(super) time_unit: Option<usize>,
    pub(super) kind: Option<usize>,
    pub(super) weight: Option<usize>,
    pub(super) source: Option<usize>,
    pub(super) wording: Option<usize>,
    pub(super) note: Option<usize>,
    pub(super) group: Option<usize>,
    /// The group column is `scenario`: its labels are parts of the file's one series.
    pub(super) scenario: bool,
    pub(super) model: Option<usize>,
    pub(super) yhat: Option<usize>,
}

impl Columns {
    /// Finds the columns in the header; a column missing, or given and not there, is an error
    /// on line 1 that lists the header.
    pub(super) fn find(
        headers: &StringRecord,
        opts: &ReadOptions,
        delimiter: u8,
        err: CsvErr,
    ) -> Result<Self> {
        let header = Header::new(headers, delimiter, err);
        let date = header.required(
            &opts.date_column,
            &["date", "ds", "time", "year"],
            "date",
            "--date-col",
        )?;
        let value = header.required(&opts.value_column, &["value", "y"], "value", "--value-col")?;
        let scenario_col = find(headers, &["scenario"]);
        let group = match &opts.series_column {
            Some(g) => Some(header.given(g, "--series-col")?),
            None => scenario_col.or_else(|| find(headers, &SERIES_COLUMNS)),
        };
        // A column named as the date or the value is not also read as another one (a value
        // column called `weight`, as in R's ChickWeight, is not the weights).
        let other = |names: &[&str]| find(headers, names).filter(|&c| c != date && c != value);
        Ok(Self {
            date,
            value,
            unit: other(&["unit"]),
            time_unit: other(&["time_unit"]),
            kind: other(&["kind"]),
            weight: other(&["weight"]),
            source: other(&["source"]),
            wording: other(&["wording"]),
            note: other(&["note"]),
            scenario: group.is_some() && group == scenario_col,
            group,
            model: find(headers, &["model"]),
            yhat: find(headers, &["yhat"]),
        })
    }

    /// The columns growthcast reads.
    fn known(&self) -> [Option<usize>; 12] {
        [
            Some(self.date),
            Some(self.value),
            self.unit,
            self.time_unit,
            self.kind,
            self.weight,
            self.source,
            self.wording,
            self.note,
            self.group,
            self.model,
            self.yhat,
        ]
    }
}

/// The header row, with what an error about a column not found says of it.
struct Header<'a> {
    headers: &'a StringRecord,
    /// The header's columns, listed for messages.
    listed: String,
    /// When the header is one column that holds another separator: a hint to pass it.
    one_field_hint: String,
    err: CsvErr<'a>,
}

impl<'a> Header<'a> {
    fn new(headers: &'a StringRecord, delimiter: u8, err: CsvErr<'a>) -> Self {
        let listed: Vec<String> = headers.iter().map(|h| format!("`{}`", clean(h))).collect();
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
        Self {
            headers,
            listed: listed.join(", "),
            one_field_hint,
            err,
        }
    }

    /// The column named `name` (given with the command-line `flag`).
    fn given(&self, name: &str, flag: &str) -> Result<usize> {
        find(self.headers, &[name]).ok_or_else(|| {
            let listed = &self.listed;
            let message = format!("no such column (given with {flag}); the header has {listed}");
            self.err.at(1, Some(name), message)
        })
    }

    /// The `what` column: the one given, or the first of `names` there is.
    fn required(
        &self,
        given: &Option<String>,
        names: &[&str],
        what: &str,
        flag: &str,
    ) -> Result<usize> {
        if let Some(g) = given {
            return self.given(g, flag);
        }
        find(self.headers, names).ok_or_else(|| {
            let message = format!(
                "missing column (also accepted: {}); the header has {}: name the {what} column \
                 with {flag} NAME (io::ReadOptions::{what}_column){}",
                names[1..].join(", "),
                self.listed,
                self.one_field_hint
            );
            self.err.at(1, Some(names[0]), message)
        })
    }
}

/// For two rows at one date on lines `a` and `b`: the columns growthcast does not read whose
/// cells differ between the two rows (one of them may name the series).
pub(super) fn differing_columns(
    bytes: &[u8],
    delimiter: u8,
    headers: &StringRecord,
    cols: &Columns,
    a: u64,
    b: u64,
) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes);
    let (mut ra, mut rb) = (None, None);
    for rec in rdr.records().map_while(|r| r.ok()) {
        let line = line_of(&rec);
        if line == a {
            ra = Some(rec);
        } else if line == b {
            rb = Some(rec);
            break;
        }
    }
    let (Some(ra), Some(rb)) = (ra, rb) else {
        return Vec::new();
    };
    let known = cols.known();
    headers
        .iter()
        .enumerate()
        .filter(|(i, _)| !known.contains(&Some(*i)) && ra.get(*i) != rb.get(*i))
        .map(|(_, h)| clean(h).to_string())
        .collect()
}
