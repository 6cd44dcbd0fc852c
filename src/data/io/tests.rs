//! Unit tests of CSV reading.

use std::path::Path;

use super::*;
use crate::series::Kind;
use crate::time::parse_date;

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
fn rows_at_one_date_are_replicates_and_a_differing_column_is_named() {
    let text = "date,value,country\n2020,1,fr\n2020,2,de\n2021,3,fr\n";
    let l = with(text, &ReadOptions::new()).unwrap();
    assert_eq!(l.series.len(), 1);
    assert_eq!(l.series[0].values(), vec![1.0, 2.0, 3.0]);
    assert_eq!(l.series[0].n_times(), 2);
    assert_eq!(
        l.warnings,
        vec![ReadWarning::SharedDate {
            series: "t".into(),
            lines: (2, 3),
            date: "2020".into(),
            columns: vec!["country".into()],
        }]
    );
    let w = l.warnings[0].to_string();
    assert!(
        w.contains("lines 2 and 3 share the date 2020")
            && w.contains("column `country`")
            && w.contains("--series-col country"),
        "{w}"
    );
    let l = with(text, &ReadOptions::new().series_column("country")).unwrap();
    let names: Vec<&str> = l.series.iter().map(|s| s.name()).collect();
    assert_eq!(names, ["fr", "de"]);
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    // Replicates with no other column: no warning.
    let l = with("date,value\n2020,1\n2020,2\n2021,3\n", &ReadOptions::new()).unwrap();
    assert_eq!((l.series[0].len(), l.warnings.len()), (3, 0));
}

#[test]
fn a_repeated_row_is_kept_with_a_warning() {
    // Lines 2 and 4 repeat (same date written two ways, same value); line 3 is a replicate with
    // another value; lines 5-7 are one value three times.
    let text = "date,value\n2020-01-01,1.5\n2020,2\n2020,1.5\n2021,4\n2021,4\n2021,4\n";
    let l = with(text, &ReadOptions::new()).unwrap();
    assert_eq!(l.series[0].len(), 6);
    let dup = |first_line, line, date: &str, value| ReadWarning::DuplicateRow {
        series: "t".into(),
        first_line,
        line,
        date: date.into(),
        value,
    };
    assert_eq!(
        l.warnings,
        vec![
            dup(2, 4, "2020-01-01", 1.5),
            dup(5, 6, "2021", 4.0),
            dup(5, 7, "2021", 4.0)
        ]
    );
    let w = l.warnings[0].to_string();
    assert!(
        w.contains("line 4 repeats line 2 (date 2020-01-01, value 1.5)")
            && w.contains("delete one"),
        "{w}"
    );
    // In a long file, per series: the same row in two series is no repeat.
    let l = with(
        "date,value,series\n2020,1,a\n2020,1,b\n2020,1,a\n",
        &ReadOptions::new(),
    )
    .unwrap();
    assert_eq!(
        l.warnings,
        vec![ReadWarning::DuplicateRow {
            series: "a".into(),
            first_line: 2,
            line: 4,
            date: "2020".into(),
            value: 1.0,
        }]
    );
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

#[test]
fn numeric_times_read_with_a_unit_from_the_options_or_a_column() {
    use crate::axis::TimeAxis;
    let text = "time,value\n0,42\n2,51\n21,205\n";
    let file = std::path::Path::new("chick.csv");
    // Without a unit the numbers are refused as dates, with a hint to give one.
    let msg = read_groups_from(text.as_bytes(), "chick", file)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("--time-unit day"), "{msg}");
    let opts = ReadOptions::new().time_unit("days");
    let read = read_groups_from_with(text.as_bytes(), "chick", file, &opts).unwrap();
    let s = &read.series[0];
    assert_eq!(s.axis(), &TimeAxis::numeric("day").unwrap());
    assert_eq!(s.times(), vec![0.0, 2.0, 21.0]);
    assert_eq!(s.observations()[2].date, "21");
    // A column gives it too, and negative times are fine.
    let text = "series,time,time_unit,y\na,-3.02,dose,0.1\na,-1.5,dose,0.4\nb,0,dose,1\n";
    let got = read_groups_from(text.as_bytes(), "assay", file).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].times(), vec![-3.02, -1.5]);
    assert_eq!(got[1].axis().unit(), "dose");
    // The unit is the same on every row.
    let text = "time,time_unit,y\n0,hour,1\n1,day,2\n";
    let msg = read_groups_from(text.as_bytes(), "x", file)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("line 3") && msg.contains("time_unit"), "{msg}");
    let text = "time,time_unit,y\n2020,,1\n1,day,2\n";
    let msg = read_groups_from(text.as_bytes(), "x", file)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("earlier rows have none"), "{msg}");
    // A time that is not a number on a numeric axis names the unit.
    let msg = read_groups_from_with("time,y\n2024-06,1\n".as_bytes(), "x", file, &opts)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("2024-06") && msg.contains("`day`"), "{msg}");
}

#[test]
fn a_value_column_named_weight_is_not_also_the_weights() {
    // R's ChickWeight names its value column `weight`.
    let opts = ReadOptions::new().value_column("weight").time_unit("day");
    let text = "Time,weight\n0,42\n2,51\n4,59\n";
    let read = read_groups_from_with(text.as_bytes(), "chick", Path::new("c.csv"), &opts).unwrap();
    let s = &read.series[0];
    assert_eq!(s.values(), vec![42.0, 51.0, 59.0]);
    assert!(s.observations().iter().all(|o| o.weight == 1.0));
}

#[test]
fn equal_replicates_warn_in_a_dated_file_only() {
    let dated = "date,value\n2020,1\n2021,2\n2021,2\n";
    let file = Path::new("d.csv");
    let opts = ReadOptions::new();
    let read = read_groups_from_with(dated.as_bytes(), "d", file, &opts).unwrap();
    assert_eq!(read.warnings.len(), 1, "{:?}", read.warnings);
    let assay = "time,value\n0,1\n1,2\n1,2\n";
    let opts = ReadOptions::new().time_unit("hour");
    let read = read_groups_from_with(assay.as_bytes(), "a", file, &opts).unwrap();
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    assert_eq!(read.series[0].len(), 3);
}
