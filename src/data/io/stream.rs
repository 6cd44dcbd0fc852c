//! Reading a long file one series at a time, without holding the file: [`GroupStream`].

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use csv::StringRecord;

use super::columns::{sniff_delimiter, Columns};
use super::rows::{record_error, RowReader};
use super::{read_header, repeats, stem, CsvErr, ReadOptions, ReadWarning};
use crate::error::{Error, Result};
use crate::series::{Observation, Series};

/// The series of a long file (one with a `series` column), read one at a time: memory holds
/// one series, not the file. Made by [`stream_groups_with`].
///
/// It yields what [`read_groups_with`](super::read_groups_with) returns, in the same order, for
/// a file whose rows are grouped by series (each series' rows one after another). A series
/// whose rows start again after another series' is an error naming both lines
/// ([`GroupStream::out_of_order`] then says so: read such a file whole), and so is a unit
/// first named after a series was read without one (the whole-file reader gives every series
/// the file's unit). Any other error is the one the whole-file reader gives, but it comes when
/// its row is reached. The rows skipped and the warnings are there once the stream has ended.
///
/// ```
/// use growthcast::io::{stream_groups_with, ReadOptions};
/// let dir = std::env::temp_dir().join("growthcast-doc-stream");
/// std::fs::create_dir_all(&dir)?;
/// let file = dir.join("plates.csv");
/// std::fs::write(&file, "series,time,value\na,0,1\na,1,2\nb,0,3\nb,1,5\n")?;
/// let opts = ReadOptions::new().time_unit("hour");
/// let stream = stream_groups_with(&file, &opts)?.expect("a series column");
/// let names: Vec<String> = stream.map(|s| s.map(|s| s.name().to_string())).collect::<Result<_, _>>()?;
/// assert_eq!(names, ["a", "b"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct GroupStream {
    rdr: csv::Reader<BufReader<File>>,
    file: PathBuf,
    /// The file's stem: the name of the rows without a label.
    name: String,
    cols: Columns,
    opts: ReadOptions,
    reader: RowReader,
    rec: StringRecord,
    /// The series being read: its label, observations and their lines.
    current: Option<(Option<String>, Vec<Observation>, Vec<u64>)>,
    /// The labels of the series already given.
    finished: HashSet<Option<String>>,
    /// Series given so far, and whether one of them was given without a unit.
    given: usize,
    unitless: bool,
    out_of_order: bool,
    done: bool,
    warnings: Vec<ReadWarning>,
}

/// A [`GroupStream`] over the file at `path`, or `None` when its series cannot be told apart
/// row by row: it has no `series` column (one series), or a `scenario` column (whose series
/// are named after the file only once there are several). Errors: the file cannot be opened,
/// or its header is wrong (as [`read_groups_with`](super::read_groups_with) says).
pub fn stream_groups_with(
    path: impl AsRef<Path>,
    opts: &ReadOptions,
) -> Result<Option<GroupStream>> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut buf = BufReader::with_capacity(1 << 16, file);
    let delimiter = match opts.delimiter {
        Some(d) => d,
        None => sniff_delimiter(buf.fill_buf().map_err(|e| Error::io(path, e))?),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(buf);
    let err = CsvErr(path);
    let headers = read_header(&mut rdr, err)?;
    let cols = Columns::find(&headers, opts, delimiter, err)?;
    if cols.group.is_none() || cols.scenario {
        return Ok(None);
    }
    Ok(Some(GroupStream {
        rdr,
        file: path.to_path_buf(),
        name: stem(path),
        cols,
        opts: opts.clone(),
        reader: RowReader::new(opts, delimiter)?,
        rec: StringRecord::new(),
        current: None,
        finished: HashSet::new(),
        given: 0,
        unitless: false,
        out_of_order: false,
        done: false,
        warnings: Vec::new(),
    }))
}

impl std::fmt::Debug for GroupStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupStream")
            .field("file", &self.file)
            .field("given", &self.given)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl GroupStream {
    /// The lines (the header is line 1) of the rows skipped so far for want of a value.
    pub fn skipped(&self) -> &[u64] {
        &self.reader.skipped
    }

    /// The warnings about the rows of the series given so far (see [`ReadWarning`]).
    pub fn warnings(&self) -> &[ReadWarning] {
        &self.warnings
    }

    /// Whether the stream stopped because a series' rows are not one after another (or a unit
    /// came late): the file is fine, but has to be read whole.
    pub fn out_of_order(&self) -> bool {
        self.out_of_order
    }

    /// The next series, `None` at the end of the file.
    fn advance(&mut self) -> Result<Option<Series>> {
        let err = CsvErr(&self.file);
        loop {
            let more = self
                .rdr
                .read_record(&mut self.rec)
                .map_err(|e| record_error(e, err))?;
            if !more {
                return match self.current.take() {
                    Some(group) => self.finish(group).map(Some),
                    None if self.given == 0 => {
                        let why = match self.reader.skipped.len() {
                            0 => "no data rows".to_string(),
                            n => format!("no data rows: all {n} had no value"),
                        };
                        Err(err.at(1, None, why))
                    }
                    None => Ok(None),
                };
            }
            let rows_before = self.given > 0 || self.current.is_some();
            let row = self
                .reader
                .row(&self.rec, rows_before, &self.cols, &self.opts, err)?;
            let Some((label, obs, line)) = row else {
                continue;
            };
            if self.unitless && !self.reader.unit().is_empty() {
                self.out_of_order = true;
                let message = format!(
                    "unit `{}` is first named here, after series without one were read: give \
                     every row its unit, or read the file whole",
                    self.reader.unit()
                );
                return Err(err.at(line, Some("unit"), message));
            }
            if let Some(cur) = &mut self.current {
                if cur.0.as_deref() == label {
                    cur.1.push(obs);
                    cur.2.push(line);
                    continue;
                }
            }
            let label = label.map(str::to_string);
            if self.finished.contains(&label) {
                self.out_of_order = true;
                let message = format!(
                    "the rows of series `{}` start again here, after other series' rows: the \
                     file's rows are not grouped by series; sort them by series, or read the \
                     file whole",
                    label.as_deref().unwrap_or(&self.name)
                );
                return Err(err.at(line, Some("series"), message));
            }
            let next = (label, vec![obs], vec![line]);
            if let Some(group) = self.current.replace(next) {
                return self.finish(group).map(Some);
            }
        }
    }

    /// The series of a group whose rows have all been read.
    fn finish(
        &mut self,
        (label, obs, lines): (Option<String>, Vec<Observation>, Vec<u64>),
    ) -> Result<Series> {
        let sname = label.clone().unwrap_or_else(|| self.name.clone());
        // In a designed experiment (a numeric time axis) two equal readings at one time are data.
        if self.reader.axis.is_calendar() {
            self.warnings
                .extend(repeats::duplicate_rows(&sname, &obs, &lines));
        }
        let unit = self.reader.unit();
        self.unitless |= unit.is_empty();
        self.finished.insert(label);
        self.given += 1;
        Ok(Series::from_observations(sname, &unit, obs)?.with_axis(self.reader.axis.clone()))
    }
}

impl Iterator for GroupStream {
    type Item = Result<Series>;

    fn next(&mut self) -> Option<Result<Series>> {
        if self.done {
            return None;
        }
        let next = self.advance();
        if !matches!(next, Ok(Some(_))) {
            self.done = true;
        }
        next.transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_groups_with;

    /// Writes `text` to a file named `name` in a scratch folder.
    fn file(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join("growthcast-stream-tests");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_grouped_file_streams_the_series_the_whole_file_reader_gives() {
        let path = file(
            "grouped.csv",
            "series,date,value,unit\nb,2020,1,\nb,2021,NA,\nb,2022,4,\nb,2022,4,\n\
             a,2020,2,users\na,2021,3,users\n,2020,7,\n,2021,9,\n",
        );
        let opts = ReadOptions::new().skip_missing(true);
        let whole = read_groups_with(&path, &opts).unwrap();
        let mut stream = stream_groups_with(&path, &opts).unwrap().unwrap();
        let streamed: Vec<Series> = stream.by_ref().collect::<Result<_>>().unwrap();
        assert_eq!(streamed, whole.series);
        assert_eq!(
            streamed.iter().map(Series::name).collect::<Vec<_>>(),
            ["b", "a", "grouped"]
        );
        assert_eq!(streamed[0].unit(), "users", "the unit named on a later row");
        assert_eq!(stream.skipped(), whole.skipped);
        assert_eq!(stream.warnings(), whole.warnings);
        assert_eq!(stream.warnings().len(), 1, "lines 4 and 5 repeat");
        assert!(!stream.out_of_order());
    }

    #[test]
    fn rows_not_grouped_by_series_stop_the_stream_at_the_line() {
        let path = file(
            "interleaved.csv",
            "series,time,value\na,0,1\na,1,2\nb,0,1\na,2,3\n",
        );
        let opts = ReadOptions::new().time_unit("day");
        let mut stream = stream_groups_with(&path, &opts).unwrap().unwrap();
        assert_eq!(stream.next().unwrap().unwrap().name(), "a");
        let e = stream.next().unwrap().unwrap_err().to_string();
        assert!(
            e.contains("line 5") && e.contains("series `a` start again"),
            "{e}"
        );
        assert!(stream.out_of_order());
        assert!(stream.next().is_none());
        // Read whole, the file is fine.
        assert_eq!(read_groups_with(&path, &opts).unwrap().series.len(), 2);
    }

    #[test]
    fn a_late_unit_a_bad_row_and_files_that_do_not_stream() {
        let late = file(
            "late.csv",
            "series,year,value,unit\na,2020,1,\nb,2020,2,\nc,2020,3,kg\n",
        );
        let mut stream = stream_groups_with(&late, &ReadOptions::new())
            .unwrap()
            .unwrap();
        let e = stream.by_ref().find_map(Result::err).unwrap().to_string();
        assert!(e.contains("unit `kg` is first named here"), "{e}");
        assert!(stream.out_of_order());

        let bad = file("bad.csv", "series,year,value\na,2020,1\nb,2020,x\n");
        let mut stream = stream_groups_with(&bad, &ReadOptions::new())
            .unwrap()
            .unwrap();
        let e = stream.by_ref().find_map(Result::err).unwrap().to_string();
        let whole = read_groups_with(&bad, &ReadOptions::new())
            .unwrap_err()
            .to_string();
        assert_eq!(e, whole);
        assert!(!stream.out_of_order());

        let one = file("one.csv", "year,value\n2020,1\n2021,2\n");
        assert!(stream_groups_with(&one, &ReadOptions::new())
            .unwrap()
            .is_none());
        let scen = file("scen.csv", "year,value,scenario\n2020,1,low\n2020,2,high\n");
        assert!(stream_groups_with(&scen, &ReadOptions::new())
            .unwrap()
            .is_none());
    }
}
