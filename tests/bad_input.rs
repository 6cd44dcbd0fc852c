//! Every row of the README's bad-input table: the input, and the typed error it gets.

use std::path::Path;

use growthcast::growth;
use growthcast::model::{CustomModel, Role};
use growthcast::{
    io, Error, ErrorModel, Exponential, Fitter, LmSettings, Logistic, Observation, Series,
    Termination,
};

fn csv(text: &str) -> Error {
    io::read_series_from(text.as_bytes(), "bad", Path::new("bad.csv")).unwrap_err()
}

fn points(p: &[(&str, f64)]) -> growthcast::Result<Series> {
    Series::new("bad", p.iter().copied())
}

fn ok3() -> Series {
    points(&[("2023", 1.0), ("2024", 2.0), ("2025", 3.9)]).unwrap()
}

#[test]
fn empty_series_and_files() {
    assert!(matches!(points(&[]), Err(Error::EmptySeries { .. })));
    assert!(csv("").to_string().contains("the file is empty"));
    assert!(csv("date,value\n").to_string().contains("no data rows"));
}

#[test]
fn nan_and_infinite_values() {
    assert!(matches!(
        points(&[("2024", f64::NAN)]),
        Err(Error::NonFinite { row: 1, .. })
    ));
    assert!(matches!(
        points(&[("2024", 1.0), ("2025", f64::INFINITY)]),
        Err(Error::NonFinite { row: 2, .. })
    ));
    assert!(csv("date,value\n2024,inf\n")
        .to_string()
        .contains("line 2, column `value`: `inf` is not a finite number"));
}

#[test]
fn text_in_a_value_column() {
    assert!(csv("date,value\n2024,lots\n")
        .to_string()
        .contains("line 2, column `value`: `lots` is not a number"));
    assert!(csv("date,value\n2024,\n")
        .to_string()
        .contains("line 2, column `value`: empty value"));
}

#[test]
fn bad_dates() {
    assert!(matches!(
        points(&[("2024-02-30", 1.0)]),
        Err(Error::InvalidDate { .. })
    ));
    assert!(csv("date,value\nyesterday,1\n")
        .to_string()
        .contains("line 2, column `date`"));
}

#[test]
fn repeated_dates_are_replicates_not_errors() {
    let s = points(&[("2024", 1.0), ("2024-01-01", 2.0)]).unwrap();
    assert_eq!((s.len(), s.n_times()), (2, 1));
    let read = growthcast::io::read_groups_from_with(
        "date,value\n2024,1\n2024,1\n".as_bytes(),
        "t",
        std::path::Path::new("t.csv"),
        &growthcast::io::ReadOptions::new(),
    )
    .unwrap();
    assert_eq!(read.series[0].len(), 2);
    assert!(read.warnings[0]
        .to_string()
        .contains("line 3 repeats line 2 (date 2024, value 1)"));
}

#[test]
fn unsorted_input_is_sorted_not_rejected() {
    let s = points(&[("2025", 3.0), ("2023", 1.0)]).unwrap();
    assert_eq!(s.values(), vec![1.0, 3.0]);
}

#[test]
fn too_few_points() {
    let s = points(&[("2024", 1.0), ("2025", 2.0)]).unwrap();
    assert!(matches!(
        s.fit(Logistic),
        Err(Error::TooFewPoints {
            points: 2,
            params: 3,
            ..
        })
    ));
}

#[test]
fn too_few_distinct_times() {
    // Four points, but at two times: a logistic's three parameters need three.
    let s = points(&[("2024", 1.0), ("2024", 1.1), ("2025", 2.0), ("2025", 2.1)]).unwrap();
    let e = s.fit(Logistic).unwrap_err();
    assert!(
        matches!(
            e,
            Error::TooFewTimes {
                times: 2,
                needed: 3,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("observations at the same time (replicates) count once"),
        "{e}"
    );
}

#[test]
fn non_positive_values_under_the_multiplicative_model() {
    let s = points(&[("2023", 1.0), ("2024", -2.0), ("2025", 3.0)]).unwrap();
    assert!(matches!(
        s.fit(Exponential::new()),
        Err(Error::NonPositive { row: 2, .. })
    ));
    assert!(matches!(
        growth::log_linear_rate(&s, 0.95),
        Err(Error::NonPositive { row: 2, .. })
    ));
}

#[test]
fn unknown_fixed_or_bounded_parameters_and_bad_bounds() {
    let s = ok3();
    for fitter in [
        Fitter::new(Logistic).fix("ceiling", 10.0),
        Fitter::new(Logistic).bound("rate", 0.0, 1.0),
        Fitter::new(Logistic).bound("r", 1.0, 0.0),
        Fitter::new(Logistic).fix("K", f64::INFINITY),
        Fitter::new(Logistic).start(&[1.0, 2.0]),
    ] {
        assert!(
            matches!(fitter.fit(&s), Err(Error::InvalidParameter { .. })),
            "{fitter:?}"
        );
    }
}

#[test]
fn bad_weights_and_kinds() {
    let obs = vec![Observation::new("2024", 1.0).unwrap().weight(0.0)];
    assert!(matches!(
        Series::from_observations("w", "", obs),
        Err(Error::InvalidWeight { row: 1, .. })
    ));
    assert!(csv("date,value,weight\n2024,1,-1\n")
        .to_string()
        .contains("column `weight`"));
    assert!(csv("date,value,kind\n2024,1,sometimes\n")
        .to_string()
        .contains("column `kind`"));
}

#[test]
fn missing_columns_and_mixed_units() {
    assert!(csv("when,value\n2024,1\n")
        .to_string()
        .contains("line 1, column `date`: missing column"));
    assert!(csv("date,amount\n2024,1\n")
        .to_string()
        .contains("line 1, column `value`: missing column"));
    assert!(csv("date,value,unit\n2024,1,kWh\n2025,2,TWh\n")
        .to_string()
        .contains("unit `TWh` differs from `kWh`"));
}

#[test]
fn no_start_values() {
    // All values equal: no slope for a self-start to find.
    let flat = points(&[("2023", 5.0), ("2024", 5.0), ("2025", 5.0)]).unwrap();
    assert!(matches!(
        flat.fit(Logistic),
        Err(Error::NoStartValues { .. })
    ));
    // A user model without a self-start and without start values.
    let bare = CustomModel::new("bare", &[("a", Role::Level)], |_, p| p[0]).unwrap();
    assert!(matches!(
        Fitter::new(bare).fit(&flat),
        Err(Error::NoStartValues { .. })
    ));
}

#[test]
fn model_not_finite_at_the_start() {
    let nan = CustomModel::new("nan", &[("a", Role::Level)], |_, _| f64::NAN).unwrap();
    match Fitter::new(nan).start(&[1.0]).fit(&ok3()) {
        Err(Error::NotConverged { reason, .. }) => assert_eq!(reason, Termination::NonFiniteStart),
        other => panic!("{other:?}"),
    }
}

#[test]
fn iteration_limit_keeps_the_best_point() {
    let settings = LmSettings {
        max_iterations: 1,
        ..LmSettings::default()
    };
    match Fitter::new(Logistic)
        .start(&[1e4, 0.01, 2000.0])
        .settings(settings)
        .fit(&ok3())
    {
        Err(Error::NotConverged {
            reason,
            iterations,
            rss,
            best,
            ..
        }) => {
            assert_eq!(reason, Termination::MaxIterations);
            assert_eq!(iterations, 1);
            assert!(rss.is_finite() && best.iter().all(|v| v.is_finite()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_nan_region_of_the_model_rejects_the_step_instead_of_poisoning_the_result() {
    // The model is undefined (NaN) for b > 0.95; the data's optimum b = 0.9 lies just below,
    // and the first full step from far away overshoots into the NaN region.
    let m = CustomModel::new(
        "fenced",
        &[("a", Role::Level), ("b", Role::Rate)],
        |t, p| {
            if p[1] > 0.95 {
                f64::NAN
            } else {
                p[0] * (p[1] * (t - 2020.0)).exp()
            }
        },
    )
    .unwrap();
    let t: Vec<f64> = (0..8).map(|i| 2020.0 + i as f64).collect();
    let y: Vec<f64> = t
        .iter()
        .map(|&t| 2.0 * (0.9 * (t - 2020.0)).exp())
        .collect();
    let s = Series::from_slices("s", &t, &y).unwrap();
    let fit = Fitter::new(m)
        .error_model(ErrorModel::Additive)
        .start(&[1.0, 0.1])
        .fit(&s)
        .unwrap();
    approx::assert_relative_eq!(fit.param("b").unwrap().estimate, 0.9, max_relative = 1e-8);
    assert!(fit.rss().is_finite());
}

#[test]
fn arguments_out_of_their_domain() {
    assert!(matches!(
        growth::cagr(-1.0, 2.0, 1.0),
        Err(Error::InvalidArgument { name: "start", .. })
    ));
    assert!(matches!(
        growth::cagr(1.0, 2.0, 0.0),
        Err(Error::InvalidArgument { name: "years", .. })
    ));
    let fit = ok3().fit(Exponential::new()).unwrap();
    assert!(matches!(
        fit.project_at_level(&[2030.0], 1.0),
        Err(Error::InvalidArgument { name: "level", .. })
    ));
    assert!(matches!(
        io::read_series("/no/such/file.csv"),
        Err(Error::Io { .. })
    ));
}

#[test]
fn a_zero_jacobian_is_an_error_not_a_convergence() {
    // A model that ignores its parameters has nothing to search along.
    let flat = CustomModel::new("flat", &[("a", Role::Level)], |_, _| 1.0).unwrap();
    match Fitter::new(flat).start(&[1.0]).fit(&ok3()) {
        Err(Error::NotConverged {
            reason, rss, best, ..
        }) => {
            assert_eq!(reason, Termination::SingularJacobian);
            assert!(rss > 0.0 && *best == [1.0]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_ceiling_that_runs_off_is_named() {
    // Pure exponential growth has no ceiling: a logistic fit drives K up without end. The
    // error says which parameter ran off and keeps the best point; the exponential fits.
    let s = Series::from_years(
        "exp",
        &(0..8)
            .map(|i| (2018.0 + i as f64, 100.0 * (0.5 * i as f64).exp()))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    match Fitter::new(Logistic).fit(&s) {
        Err(e @ Error::Diverged { .. }) => {
            let msg = e.to_string();
            let Error::Diverged {
                parameter,
                value,
                data_max,
                best,
                rss,
                ..
            } = e
            else {
                unreachable!()
            };
            assert_eq!(parameter, "K");
            approx::assert_relative_eq!(data_max, 100.0 * 3.5f64.exp(), max_relative = 1e-12);
            assert!(value > 100.0 * data_max, "{value}");
            assert_eq!(best[0], value);
            assert!(rss.is_finite());
            assert!(
                msg.contains("ceiling `K` ran off") && msg.contains("series `exp`"),
                "{msg}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(Fitter::new(Exponential::default()).fit(&s).is_ok());
    // Named early too, not only once the iteration budget let K travel far: the self-start's
    // highest candidate is already 100× the data, and the runaway shows within 100 iterations.
    let short = LmSettings {
        max_iterations: 100,
        ..LmSettings::default()
    };
    let e = Fitter::new(Logistic).settings(short).fit(&s).unwrap_err();
    assert!(matches!(e, Error::Diverged { .. }), "{e}");
    assert_eq!(e.stopped().unwrap().iterations, 100);
    // A start that is far off and a budget too short to move it: not called a runaway.
    let e = Fitter::new(Logistic)
        .start(&[1e6, 0.5, 2030.0])
        .settings(LmSettings {
            max_iterations: 2,
            ..LmSettings::default()
        })
        .fit(&s)
        .unwrap_err();
    assert!(matches!(e, Error::NotConverged { .. }), "{e}");
}

fn groups(text: &str) -> growthcast::Result<Vec<Series>> {
    io::read_groups_from(text.as_bytes(), "bad", Path::new("bad.csv"))
}

#[test]
fn semicolon_separated_files_with_decimal_commas_are_read() {
    // European spreadsheets: `;` between fields, `,` before the decimals.
    let s = io::read_series_from(
        "date;value\n2020;1,5\n2021;3\n2022;6,25\n".as_bytes(),
        "eu",
        Path::new("eu.csv"),
    )
    .unwrap();
    assert_eq!(s.values(), vec![1.5, 3.0, 6.25]);
    // A point and a comma in one file: which one is the decimal mark is not guessed.
    let e = csv("date;value\n2020;1,5\n2021;2.5\n").to_string();
    assert!(
        e.contains("line 3, column `value`") && e.contains("decimal comma on line 2"),
        "{e}"
    );
}

#[test]
fn a_decimal_comma_in_a_comma_separated_file_says_what_to_do() {
    let e = csv("date,value\n2020,\"1,5\"\n").to_string();
    assert!(
        e.contains("line 2, column `value`")
            && e.contains("`1,5`")
            && e.contains("decimal point")
            && e.contains("--decimal-comma"),
        "{e}"
    );
}

#[test]
fn missing_values_name_the_cell_and_the_option_to_skip_them() {
    for cell in ["", "NA", "n/a", "NaN", "-", "null"] {
        let e = csv(&format!("date,value\n2020,1\n2021,{cell}\n")).to_string();
        assert!(
            e.contains("line 3, column `value`") && e.contains("--skip-missing"),
            "{cell:?}: {e}"
        );
    }
}

#[test]
fn other_column_names_point_to_the_options() {
    let e = csv("when,amount\n2024,1\n").to_string();
    assert!(
        e.contains("line 1, column `date`: missing column")
            && e.contains("`when`, `amount`")
            && e.contains("--date-col"),
        "{e}"
    );
}

#[test]
fn day_first_dates_are_not_guessed() {
    let e = csv("date,value\n15/06/2020,1\n").to_string();
    assert!(
        e.contains("line 2, column `date`")
            && e.contains("15/06/2020")
            && e.contains("--date-format %d/%m/%Y"),
        "{e}"
    );
    // 01/02/2020 could be either: still an error, not a guess.
    assert!(csv("date,value\n01/02/2020,1\n")
        .to_string()
        .contains("--date-format"));
}

#[test]
fn a_series_id_column_splits_a_long_file() {
    let g = groups("date,value,series_id\n2020,1,a\n2020,5,b\n2021,2,a\n2021,9,b\n").unwrap();
    assert_eq!(g.len(), 2);
    assert_eq!((g[0].name(), g[1].name()), ("a", "b"));
    assert_eq!(g[1].values(), vec![5.0, 9.0]);
    // Without a series column, the rows at one date are replicates of one series, and the
    // column that differs between them is named in a warning.
    let read = io::read_groups_from_with(
        "date,value,country\n2020,1,fr\n2020,2,de\n".as_bytes(),
        "bad",
        Path::new("bad.csv"),
        &io::ReadOptions::new(),
    )
    .unwrap();
    assert_eq!(read.series[0].len(), 2);
    let w = read.warnings[0].to_string();
    assert!(
        w.contains("lines 2 and 3 share the date 2020 and differ in column `country`")
            && w.contains("pass --series-col country"),
        "{w}"
    );
}

#[test]
fn values_too_large_to_square_are_an_error_that_says_rescale() {
    let s = points(&[
        ("2020", 1e300),
        ("2021", 2e300),
        ("2022", 4e300),
        ("2023", 8e300),
    ])
    .unwrap();
    for em in [ErrorModel::Multiplicative, ErrorModel::Additive] {
        match Fitter::new(Exponential::new()).error_model(em).fit(&s) {
            Err(e @ Error::ValueOutOfRange { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains("row 4") && msg.contains("rescale"), "{msg}");
            }
            other => panic!("{em:?}: {other:?}"),
        }
    }
    // Up to the limit, both error models fit, with standard errors.
    let s = points(&[
        ("2020", 1e99),
        ("2021", 2.1e99),
        ("2022", 3.9e99),
        ("2023", 8.2e99),
    ])
    .unwrap();
    for em in [ErrorModel::Multiplicative, ErrorModel::Additive] {
        let fit = Fitter::new(Exponential::new())
            .error_model(em)
            .fit(&s)
            .unwrap();
        let r = fit.param("r").unwrap();
        assert!((r.estimate - 2f64.ln()).abs() < 0.05, "{em:?}: {fit}");
        assert!(
            r.std_error.is_finite() && r.std_error > 0.0,
            "{em:?}: {fit}"
        );
    }
}

#[test]
fn configuration_is_checked_in_one_place_and_never_panics() {
    // Issue 13: the level is a checked newtype, settings are validated, and a custom model's
    // constructor returns an error instead of panicking.
    use growthcast::fit::{FitOptions, Level};
    use growthcast::{Error, LmSettings, Logistic, Solver};
    assert!(matches!(
        Level::new(0.0),
        Err(Error::InvalidArgument { name: "level", .. })
    ));
    assert!(Level::new(f64::NAN).is_err());
    let s = Series::from_years(
        "s",
        &[(2020.0, 1.0), (2021.0, 2.0), (2022.0, 4.1), (2023.0, 7.9)],
    )
    .unwrap();
    let e = Fitter::new(Exponential::new())
        .level(95.0)
        .fit(&s)
        .unwrap_err();
    assert!(e.to_string().contains("strictly between 0 and 1"), "{e}");
    let bad = LmSettings {
        ftol: -1.0,
        ..LmSettings::default()
    };
    let e = Fitter::new(Exponential::new())
        .settings(bad)
        .fit(&s)
        .unwrap_err();
    assert!(e.to_string().contains("ftol"), "{e}");
    assert!(LmSettings::new(1e-8, 1e-8, 0.0, 0).is_err());
    let mut solver = Solver::new(Logistic).settings(bad);
    assert!(solver
        .fit(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], &[4.0, 1.0, 2.0])
        .is_err());
    // Options as one value: the same fit through `options` as through the builder.
    let opts = FitOptions {
        error_model: growthcast::ErrorModel::Additive,
        level: Level::new(0.9).unwrap(),
        ..FitOptions::new()
    };
    let a = Fitter::new(Exponential::new())
        .options(opts)
        .fit(&s)
        .unwrap();
    let b = Fitter::new(Exponential::new())
        .error_model(growthcast::ErrorModel::Additive)
        .level(0.9)
        .fit(&s)
        .unwrap();
    assert_eq!(a.estimates(), b.estimates());
    assert_eq!(a.level(), 0.9);
    // Custom models: errors name what is wrong.
    let twice = CustomModel::new("m", &[("a", Role::Level), ("a", Role::Rate)], |_, p| p[0]);
    assert!(
        matches!(twice, Err(Error::InvalidParameter { ref parameter, .. }) if parameter == "a")
    );
    assert!(CustomModel::new("m", &[], |_, _| 0.0).is_err());
    assert!(CustomModel::new(" ", &[("a", Role::Level)], |_, p| p[0]).is_err());
}
