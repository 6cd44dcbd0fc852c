//! A series on a numeric time axis (days of a chick's weight, a log dose) speaks its unit
//! everywhere a user reads it: parameter units, derived quantities, projections, words, JSON,
//! the tidy CSV (which reads back to the same series), the recommendation, and charts. No
//! calendar date is ever printed for it.

use growthcast::compare::{self, standard_specs};
use growthcast::drift::DriftSource;
use growthcast::export;
use growthcast::recommend::RecommendOptions;
use growthcast::{io, Exponential, Fitter, Logistic, Series, TimeAxis};

/// Chick 1 of R's `ChickWeight` (`datasets`, Crowder and Hand 1990): body weight in grams on
/// days 0 to 21.
const CHICK_1: [(f64, f64); 12] = [
    (0.0, 42.0),
    (2.0, 51.0),
    (4.0, 59.0),
    (6.0, 64.0),
    (8.0, 76.0),
    (10.0, 93.0),
    (12.0, 106.0),
    (14.0, 125.0),
    (16.0, 149.0),
    (18.0, 171.0),
    (20.0, 199.0),
    (21.0, 205.0),
];

fn chick() -> Series {
    let (t, y): (Vec<f64>, Vec<f64>) = CHICK_1.iter().copied().unzip();
    Series::from_slices("chick 1", &t, &y)
        .unwrap()
        .with_unit("g")
        .with_axis(TimeAxis::numeric("day").unwrap())
}

/// Whether `text` holds something shaped like a calendar date (`2024-06-30`, `0118-01-01`).
fn has_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(10).any(|w| {
        let d = |i: usize| w[i].is_ascii_digit();
        d(0) && d(1) && d(2) && d(3) && w[4] == b'-' && d(5) && d(6) && w[7] == b'-' && d(8) && d(9)
    })
}

#[test]
fn a_fit_on_days_speaks_days() {
    let s = chick();
    let fit = Fitter::new(Logistic).fit(&s).unwrap();
    assert_eq!(fit.axis().unit(), "day");
    let unit = |name: &str| {
        fit.params()
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .unit
            .clone()
    };
    assert_eq!(unit("r"), "1/day");
    assert_eq!(unit("tm"), "day");
    assert_eq!(unit("K"), "g");
    let report = format!("{fit}");
    assert!(report.contains("growth rate per day"), "{report}");
    assert!(report.contains(" days"), "{report}");
    let words = fit.summary(35.0);
    assert!(words.contains("from day 0 to day 21"), "{words}");
    assert!(words.contains("By day 35"), "{words}");
    assert!(
        words.contains("per day") && words.contains("days"),
        "{words}"
    );
    let projection = fit.project(&[25.0, 30.0, 35.0]);
    let table = format!("{projection}");
    assert!(table.contains("day "), "{table}");
    for text in [&report, &words, &table] {
        assert!(!has_date(text), "{text}");
        assert!(!text.contains("year"), "{text}");
    }
    let json = serde_json::to_value(&projection).unwrap();
    assert_eq!(json["axis"], "day");
    assert_eq!(json["points"][2]["ds"], "35");
    assert!(!has_date(
        &export::fits_to_json(&[("logistic", &fit)]).unwrap()
    ));
    // A length of time in the fit's own unit: the doubling time of the early phase, ln 2 / r.
    let r = fit
        .params()
        .iter()
        .find(|p| p.name == "r")
        .unwrap()
        .estimate;
    let d = fit.doubling_time().unwrap();
    approx::assert_relative_eq!(d.value, std::f64::consts::LN_2 / r, max_relative = 1e-12);
}

#[test]
fn the_tidy_csv_has_the_unit_and_reads_back_as_the_same_series() {
    let s = chick();
    let fit = Fitter::new(Exponential::new()).fit(&s).unwrap();
    let grid = export::csv_grid(&fit, 35.0);
    assert!(grid.len() < 200, "{}", grid.len());
    assert_eq!(grid.last(), Some(&35.0));
    let rows = export::projection_rows("exponential", &fit, &fit.project(&grid));
    assert!(rows.iter().all(|r| r.time_unit.as_deref() == Some("day")));
    assert!(rows.iter().all(|r| !has_date(&r.ds)));
    assert_eq!(rows.iter().filter(|r| r.y.is_some()).count(), 12);
    let day_21 = rows.iter().find(|r| r.ds == "21").unwrap();
    assert_eq!((day_21.t, day_21.y), (21.0, Some(205.0)));
    let path = std::env::temp_dir().join(format!("growthcast-axis-{}.csv", std::process::id()));
    export::write_projections(&path, &rows).unwrap();
    let back = io::read_groups(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].axis(), s.axis());
    assert_eq!(back[0].times(), s.times());
    assert_eq!(back[0].values(), s.values());
}

#[test]
fn zero_and_negative_times_fit_and_print_as_numbers() {
    // y = 2 e^{0.8 t} on a log-dose axis from -3 to 1, with a little noise.
    let t: [f64; 5] = [-3.0, -2.0, -1.0, 0.0, 1.0];
    let noise = [1.02, 0.98, 1.01, 0.99, 1.0];
    let y: Vec<f64> = t
        .iter()
        .zip(noise)
        .map(|(&t, n)| 2.0 * (0.8 * t).exp() * n)
        .collect();
    let s = Series::from_slices("assay", &t, &y)
        .unwrap()
        .with_axis(TimeAxis::numeric("log dose").unwrap());
    let fit = Fitter::new(Exponential::new()).fit(&s).unwrap();
    let r = fit.params().iter().find(|p| p.name == "r").unwrap();
    assert!((r.estimate - 0.8).abs() < 0.05, "{}", r.estimate);
    assert_eq!(r.unit, "1/log dose");
    let words = fit.summary(2.0);
    assert!(words.contains("from log dose -3 to log dose 1"), "{words}");
    assert!(!has_date(&words), "{words}");
}

#[test]
fn the_recommendation_on_days_measures_its_own_drift_or_says_why_it_has_none() {
    // Twelve weighings: no reference class counts in days, so the drift is the chick's own
    // rate changes alone (n − p of them from the best-describing curve), said per day.
    let s = chick();
    let c = compare::compare(&s, &standard_specs(&s));
    let times: Vec<f64> = (22..=35).map(f64::from).collect();
    let rec = c
        .recommended(&times, &RecommendOptions::default())
        .expect("12 points leave degrees of freedom");
    let d = rec.members[0].drift.as_ref().expect("its own drift");
    assert!(matches!(d.source, DriftSource::Own { own } if own.changes >= 9));
    assert!(
        d.describe().contains("own rate changes alone"),
        "{}",
        d.describe()
    );
    assert!(d.describe().contains("per day"), "{}", d.describe());
    assert!(rec.drift.is_some() && rec.no_drift.is_none());
    let text = format!("{rec}");
    assert!(text.contains("at day 35"), "{text}");
    assert!(!has_date(&text), "{text}");
    // Over the data the prediction band is the members' hull: the naive path (a backcast
    // there) takes no part.
    let over = c
        .recommended(&[0.0, 10.0, 35.0], &RecommendOptions::default())
        .unwrap();
    for (i, q) in over.projection.points.iter().take(2).enumerate() {
        let lo = over
            .members
            .iter()
            .map(|m| m.projection.points[i].pred_lower);
        let hi = over
            .members
            .iter()
            .map(|m| m.projection.points[i].pred_upper);
        assert_eq!(
            q.pred_lower,
            lo.fold(f64::INFINITY, f64::min).min(q.conf_lower)
        );
        assert_eq!(q.pred_upper, hi.fold(0.0, f64::max).max(q.conf_upper));
    }
    // Five weighings leave too few rate changes: no drift, and why.
    let short = s.head(5);
    let c5 = compare::compare(&short, &standard_specs(&short));
    let rec = c5
        .recommended(&times, &RecommendOptions::default())
        .expect("5 points leave degrees of freedom");
    assert!(rec.drift.is_none());
    assert!(rec.members.iter().all(|m| m.drift.is_none()));
    let why = rec.no_drift.as_deref().unwrap();
    assert!(
        why.contains("counts in days") && why.contains("fewer than the 4"),
        "{why}"
    );
    // A drift given per day is used, and said per day.
    let mut opts = RecommendOptions::default();
    opts.drift.fixed = Some(0.01);
    let rec = c.recommended(&times, &opts).unwrap();
    let d = rec.members[0].drift.as_ref().unwrap();
    assert!(d.describe().contains("per day"), "{}", d.describe());
    assert!(rec.no_drift.is_none());
}

#[cfg(feature = "plot")]
#[test]
fn a_chart_on_days_is_drawn() {
    use growthcast::plot::{self, ChartSpec};
    let s = chick();
    let fit = Fitter::new(Logistic).fit(&s).unwrap();
    // What the chart says is checked on its scene (src/plot/scene/tests.rs); here, that it draws.
    let path = std::env::temp_dir().join(format!("growthcast-axis-{}.png", std::process::id()));
    plot::plot_fit(&s, &fit, &ChartSpec::new().horizon(35.0), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
        "{}",
        bytes.len()
    );
}

#[test]
fn the_default_horizon_is_the_calendar_s_or_half_the_span_ahead() {
    // Days 0 to 21: half the span (10.5 days) past day 21, rounded by the axis.
    let c = chick();
    assert_eq!(c.default_horizon(2031.0), c.axis().horizon_after(0.0, 21.0));
    assert!(c.default_horizon(2031.0) > 21.0 && c.default_horizon(2031.0) < 40.0);
    let dated = Series::from_years("s", &[(2020.5, 1.0), (2021.5, 2.0)]).unwrap();
    assert_eq!(dated.default_horizon(2031.0), 2031.0);
}
