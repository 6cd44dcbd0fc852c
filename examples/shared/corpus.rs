//! The real series the examples backtest on: the Gapminder calibration corpus
//! (`data/reference/gapminder.csv`), the evaluation corpus (`data/evaluation/series.csv`) and
//! the confirmation corpus (`data/confirmation/series.csv`), kept apart (issue 18).

#![allow(dead_code)]

use growthcast::Series;

/// Reads a CSV file of the repository into its header and rows.
fn rows(relative: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let path = format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"));
    let mut rdr = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = rdr
        .headers()
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .iter()
        .map(str::to_string)
        .collect();
    let rows = rdr
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{path}: {e}")))
        .collect();
    (headers, rows)
}

/// Groups `(name, time, value)` rows, in file order, into series.
fn group(rows: impl Iterator<Item = (String, f64, f64)>) -> Vec<Series> {
    let mut out: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for (name, t, v) in rows {
        match out.last_mut() {
            Some((n, pts)) if *n == name => pts.push((t, v)),
            _ => out.push((name, vec![(t, v)])),
        }
    }
    out.into_iter()
        .map(|(n, pts)| Series::from_years(&n, &pts).unwrap_or_else(|e| panic!("{n}: {e}")))
        .collect()
}

fn column(headers: &[String], name: &str) -> usize {
    headers
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn number(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

/// One Gapminder variable (`pop` or `gdpPercap`) per country: 142 series of 12 points, every
/// five years 1952–2007, at mid-year.
pub(crate) fn gapminder(variable: &str) -> Vec<Series> {
    let (h, rows) = rows("data/reference/gapminder.csv");
    let (c, y, v) = (
        column(&h, "country"),
        column(&h, "year"),
        column(&h, variable),
    );
    group(
        rows.iter()
            .map(|r| (r[c].to_string(), number(&r[y]) + 0.5, number(&r[v]))),
    )
}

/// The Gapminder calibration corpus: population and GDP per capita of every country.
pub(crate) fn calibration() -> Vec<Series> {
    let mut all = gapminder("pop");
    all.extend(gapminder("gdpPercap"));
    all
}

/// The evaluation corpus: `(source data set, series)`.
pub(crate) fn evaluation() -> Vec<(String, Series)> {
    sourced("data/evaluation/series.csv")
}

/// The confirmation corpus (`data/confirmation/series.csv`, run once for a calibration rule
/// chosen after the evaluation corpus had been seen): `(source data set, series)`.
pub(crate) fn confirmation() -> Vec<(String, Series)> {
    sourced("data/confirmation/series.csv")
}

/// A corpus file with the columns `series, source, time, value`: `(source data set, series)`.
fn sourced(relative: &str) -> Vec<(String, Series)> {
    let (h, rows) = rows(relative);
    let (s, src, t, v) = (
        column(&h, "series"),
        column(&h, "source"),
        column(&h, "time"),
        column(&h, "value"),
    );
    let series = group(
        rows.iter()
            .map(|r| (r[s].to_string(), number(&r[t]), number(&r[v]))),
    );
    series
        .into_iter()
        .map(|x| {
            let source = rows
                .iter()
                .find(|r| r[s] == *x.name())
                .map(|r| r[src].to_string())
                .unwrap_or_default();
            (source, x)
        })
        .collect()
}

/// The lab corpus: R's `ChickWeight` (50 chicks' weights on a day axis; `data/lab/`).
pub(crate) fn lab() -> Vec<Series> {
    growthcast::io::read_groups("data/lab/chickweight.csv").expect("data/lab/chickweight.csv")
}

/// The median of the finite values (NaN if none).
pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    v.retain(|x| x.is_finite());
    v.sort_by(f64::total_cmp);
    let m = v.len();
    match m {
        0 => f64::NAN,
        _ if m % 2 == 1 => v[m / 2],
        _ => 0.5 * (v[m / 2 - 1] + v[m / 2]),
    }
}
