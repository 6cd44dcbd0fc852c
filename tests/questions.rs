//! Scenarios, model comparison, ceiling profiles, crossing times and hindcasts, on synthetic
//! series with known answers and on the document series.

use approx::assert_relative_eq;
use growthcast::scenario::{self, Base, ScenarioSet};
use growthcast::{
    compare, hindcast, io, profile, Exponential, Fitter, IntervalMethod, Logistic, Model, Series,
    WarningKind,
};

/// A small deterministic normal generator (LCG + Box–Muller), so tests need no RNG crate.
struct Normal(u64);
impl Normal {
    fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn next(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

const TRUTH: [f64; 3] = [1000.0, 1.0, 2015.0];

fn noisy_logistic(times: &[f64], seed: u64, sd: f64) -> Series {
    let mut g = Normal(seed);
    let y: Vec<f64> = times
        .iter()
        .map(|&t| Logistic.value(t, &TRUTH) * (sd * g.next()).exp())
        .collect();
    Series::from_slices("synthetic", times, &y).unwrap()
}

fn years(from: f64, to: f64) -> Vec<f64> {
    let n = (to - from).round() as usize;
    (0..=n).map(|i| from + i as f64).collect()
}

#[test]
fn ceiling_past_the_inflection_gets_a_two_sided_interval_that_covers_the_truth() {
    let s = noisy_logistic(&years(2010.0, 2024.0), 7, 0.02);
    let k = profile::ceiling_interval(&Fitter::new(Logistic), &s, 0.95).unwrap();
    let (lo, hi) = (k.lower.expect("lower"), k.upper.expect("upper"));
    assert!(lo < 1000.0 && 1000.0 < hi, "{}", k.statement);
    assert!(hi / lo < 1.2, "a tight interval: {}", k.statement);
    assert!(k.statement.contains("between"));
    // The profile interval and the Wald interval roughly agree where the problem is regular.
    let fit = s.fit(Logistic).unwrap();
    let w = fit.param("K").unwrap();
    assert_relative_eq!(lo, w.lower, max_relative = 0.02);
    assert_relative_eq!(hi, w.upper, max_relative = 0.02);
}

#[test]
fn ceiling_before_the_inflection_gets_a_one_sided_interval() {
    // Data end four years before the inflection: the curve still looks exponential.
    let s = noisy_logistic(&years(2001.0, 2011.0), 11, 0.02);
    let k = profile::ceiling_interval(&Fitter::new(Logistic), &s, 0.95).unwrap();
    assert!(k.upper.is_none(), "{}", k.statement);
    let lo = k.lower.expect("the data do bound the ceiling from below");
    assert!(lo < 1000.0, "{}", k.statement);
    assert!(
        k.statement.contains("no upper bound from these data"),
        "{}",
        k.statement
    );
    // ... and the ordinary fit warns that the ceiling is an extrapolation.
    if let Ok(fit) = s.fit(Logistic) {
        assert!(!fit.is_identified());
    }
}

#[test]
fn multiplicative_wald_intervals_cover_the_ceiling_at_about_the_nominal_rate() {
    // The design note's check: log residuals keep 95% intervals honest past the inflection.
    let t = years(2010.0, 2021.0);
    let (mut covered, mut total) = (0, 0);
    for seed in 0..300 {
        let s = noisy_logistic(&t, 1000 + seed, 0.02);
        if let Ok(fit) = s.fit(Logistic) {
            let k = fit.param("K").unwrap();
            total += 1;
            covered += usize::from(k.lower <= 1000.0 && 1000.0 <= k.upper);
        }
    }
    let rate = covered as f64 / total as f64;
    assert!(total >= 295, "fits that failed: {}", 300 - total);
    assert!((0.90..=0.99).contains(&rate), "coverage {rate}");
}

#[test]
fn exponential_and_logistic_cannot_be_told_apart_on_an_early_curve() {
    let s = noisy_logistic(&years(2003.0, 2010.0), 5, 0.02);
    let c = compare::compare_standard(&s);
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("exponential and logistic growth cannot be told apart")),
        "{c}"
    );
    let total: f64 = c.ranking.iter().map(|r| r.weight).sum();
    assert_relative_eq!(total, 1.0, max_relative = 1e-12);
    assert!(c.ranking.windows(2).all(|w| w[0].delta <= w[1].delta));
    // The averaged band holds every well-supported member's central projection.
    let avg = c.averaged(&[2014.0]).unwrap().points[0];
    for r in c.ranking.iter().filter(|r| r.weight > 0.05) {
        let v = c.fit(r.id).unwrap().value_at(2014.0);
        assert!(
            avg.conf_lower <= v && v <= avg.conf_upper,
            "{} {v} outside {avg:?}",
            r.label
        );
    }
}

#[test]
fn a_full_logistic_series_is_told_apart_from_an_exponential() {
    let s = noisy_logistic(&years(2008.0, 2023.0), 3, 0.02);
    let c = compare::compare_standard(&s);
    assert_eq!(c.criterion, compare::Criterion::Aicc);
    let best = &c.ranking[0];
    assert!(best.label == "logistic" || best.label == "gompertz", "{c}");
    let exp = c.ranking.iter().find(|r| r.label == "exponential").unwrap();
    assert!(exp.delta > 10.0, "{c}");
    assert!(
        !c.notes.iter().any(|n| n.contains("cannot be told apart")),
        "{c}"
    );
}

#[test]
fn when_matches_the_closed_form_and_says_when_it_cannot() {
    // Exact exponential data with a little noise: crossing near t0 + ln(L / y0) / r.
    let mut g = Normal(1);
    let t = years(2015.0, 2024.0);
    let y: Vec<f64> = t
        .iter()
        .map(|&t| 5.0 * (0.3 * (t - 2015.0)).exp() * (0.01 * g.next()).exp())
        .collect();
    let fit = Series::from_slices("e", &t, &y)
        .unwrap()
        .fit(Exponential::new())
        .unwrap();
    let p = fit.estimates();
    let c = fit.when(500.0, 2050.0);
    let want = 2015.0 + (500.0 / p[0]).ln() / p[1];
    assert_relative_eq!(c.estimate.unwrap(), want, max_relative = 1e-9);
    let (e, l) = (c.earliest.unwrap(), c.latest.unwrap());
    assert!(e < want && want < l, "{}", c.statement);
    // A logistic whose ceiling lies below the level never gets there.
    let s = noisy_logistic(&years(2010.0, 2024.0), 9, 0.02);
    let fit = s.fit(Logistic).unwrap();
    let c = fit.when(5000.0, 2060.0);
    assert!(c.estimate.is_none() && c.latest.is_none());
    assert!(
        c.statement.contains("not within the horizon"),
        "{}",
        c.statement
    );
    // Already reached.
    let c = fit.when(100.0, 2060.0);
    assert!(c.already, "{}", c.statement);
}

#[test]
fn hindcast_of_a_clean_exponential_is_accurate_and_covered() {
    let mut g = Normal(2);
    let t = years(2012.0, 2024.0);
    let y: Vec<f64> = t
        .iter()
        .map(|&t| 2.0 * (0.25 * (t - 2012.0)).exp() * (0.01 * g.next()).exp())
        .collect();
    let s = Series::from_slices("e", &t, &y).unwrap();
    let b = hindcast::backtest(&Fitter::new(Exponential::new()), &s, 3).unwrap();
    assert_eq!(b.held_out.len(), 3);
    assert_eq!(b.fitted_points, 10);
    assert!(b.mean_abs_log_error < 0.05, "{b}");
    assert!(b.coverage >= 2.0 / 3.0, "{b}");
    assert!(hindcast::backtest(&Fitter::new(Exponential::new()), &s, 13).is_err());
    // Hold out so much that the horizon is long: the warning travels with the result.
    let b = hindcast::backtest(&Fitter::new(Exponential::new()), &s.head(8), 2).unwrap();
    let far = hindcast::backtest(&Fitter::new(Exponential::new()), &s, 9).unwrap();
    assert!(
        far.warnings
            .iter()
            .any(|w| w.kind == WarningKind::LongHorizon),
        "{far}"
    );
    assert!(
        !b.warnings
            .iter()
            .any(|w| w.kind == WarningKind::LongHorizon),
        "{b}"
    );
}

#[test]
fn datacenter_scenarios_from_an_assumed_base() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let targets = io::read_groups(data.join("datacenter_power_2030.csv")).unwrap();
    let set = ScenarioSet::new(Base::assumed(140e9, 2024.0, "assumed"))
        .targets_from(&targets)
        .rate("low", 0.08);
    let rates = set.implied_rates().unwrap();
    // (400/140)^(1/6) - 1 and (700/140)^(1/6) - 1, by hand.
    assert_eq!(rates[0].name, "medium");
    assert_relative_eq!(
        rates[0].rate,
        (400.0f64 / 140.0).powf(1.0 / 6.0) - 1.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        rates[1].rate,
        5f64.powf(1.0 / 6.0) - 1.0,
        max_relative = 1e-12
    );
    assert!(!rates[2].implied);
    let paths = set.paths(2030.0, 1.0).unwrap();
    assert_eq!(paths[0].points.len(), 7);
    assert_relative_eq!(paths[0].points[6].1, 400e9, max_relative = 1e-12);
    assert_relative_eq!(paths[1].points[6].1, 700e9, max_relative = 1e-12);
    assert_relative_eq!(
        paths[2].points[6].1,
        140e9 * 1.08f64.powi(6),
        max_relative = 1e-12
    );
    // The higher the assumed base, the lower the rate a target implies.
    let sens = set.sensitivity(&[100e9, 150e9, 200e9]).unwrap();
    assert_eq!(sens.names, vec!["medium", "high"]);
    assert!(sens
        .rows
        .windows(2)
        .all(|w| w[0].1[0] > w[1].1[0] && w[0].1[1] > w[1].1[1]));
    assert!(set.to_string().contains("ASSUMED"));
}

#[test]
fn required_ceiling_is_the_one_whose_refit_reaches_the_target() {
    let s = noisy_logistic(&years(2005.0, 2013.0), 4, 0.02);
    let fitter = Fitter::new(Logistic);
    let k = scenario::required_ceiling(&fitter, &s, 900.0, 2016.0).unwrap();
    let fit = fitter.clone().fix("K", k).fit(&s).unwrap();
    assert_relative_eq!(fit.value_at(2016.0), 900.0, max_relative = 1e-6);
    assert!(k > 900.0);
}

#[test]
fn document_series_answers_are_honest() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let tokens = io::read_series(data.join("tokens_daily.csv")).unwrap();
    let k = profile::ceiling_interval(&Fitter::new(Logistic), &tokens, 0.95).unwrap();
    assert!(
        k.upper.is_none(),
        "four points cannot cap the ceiling: {}",
        k.statement
    );
    let users = io::read_series(data.join("genai_users.csv")).unwrap();
    let c = compare::compare_standard(&users);
    assert!(
        c.notes.iter().any(|n| n.contains("cannot be told apart")),
        "{c}"
    );
    assert!(
        c.notes.iter().any(|n| n.contains("AICc is undefined")),
        "{c}"
    );
    // With the population as ceiling, 80% of it is reached around 2027 by the fitted curve; but
    // with two degrees of freedom the rate's 95% interval includes zero, so the far edge of the
    // band never gets there, and the answer says so instead of inventing a date.
    let fit = Fitter::new(Logistic).fix("K", 1.41e9).fit(&users).unwrap();
    // The profile interval of the rate runs down to its bound 0 (growth is held positive).
    assert_eq!(fit.param("r").unwrap().lower, 0.0);
    let w = fit.when(0.8 * 1.41e9, 2040.0);
    let (e, t) = (w.earliest.unwrap(), w.estimate.unwrap());
    assert!(2025.0 < e && e < t && t < 2029.0, "{}", w.statement);
    assert!(
        w.latest.is_none() && w.statement.contains("to beyond 2040"),
        "{}",
        w.statement
    );
    let exp = tokens.fit(Exponential::new()).unwrap();
    let p = exp.project_dates(&["2030"]).unwrap();
    assert!(p
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::LongHorizon));
}

#[test]
fn when_finds_a_crossing_in_the_past_not_the_first_observation() {
    // Issue 12.1: `when --reach 1e13` on the token series said "already reached around
    // 2024-01-01", the first observation's date, where the data show 1e11.
    let tokens = io::read_series(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/tokens_daily.csv"
    ))
    .unwrap();
    let fit = tokens.fit(Exponential::new()).unwrap();
    let c = fit.when(1e13, 2035.0);
    let t = c
        .estimate
        .expect("the curve crosses 1e13 between the observations");
    // The crossing is where the fitted curve equals the level (closed form of the exponential).
    let p = fit.estimates();
    let want = 2024.0 + (1e13 / p[0]).ln() / p[1];
    assert_relative_eq!(t, want, max_relative = 1e-9);
    assert!(t > 2024.1 && t < 2025.9, "{}", c.statement);
    assert!(c.already, "{}", c.statement);
    // The band's crossings lie on either side of the curve's.
    assert!(c.earliest.is_none_or(|e| e <= t) && c.latest.is_none_or(|l| l >= t));
    assert!(c.statement.contains("already reached"), "{}", c.statement);
    assert!(!c.statement.contains("2024-01-01"), "{}", c.statement);

    // A series on an hours axis (t = 0..48): "around 0000-01-01" came from the same bug.
    let t: Vec<f64> = (0..=8).map(|i| 6.0 * i as f64).collect();
    let mut g = Normal(3);
    let y: Vec<f64> = t
        .iter()
        .map(|&t| 1e6 * (0.2 * t).exp() * (0.01 * g.next()).exp())
        .collect();
    let fit = Series::from_slices("hours", &t, &y)
        .unwrap()
        .fit(Exponential::new())
        .unwrap();
    let c = fit.when(5e8, 40.0);
    let p = fit.estimates();
    let want = (5e8 / p[0]).ln() / p[1]; // t0 = 0, the first observation: about 31 hours
    let t = c.estimate.unwrap();
    assert_relative_eq!(t, want, max_relative = 1e-9);
    assert!((t - 31.07).abs() < 0.5, "{}", c.statement);
    let (e, l) = (c.earliest.unwrap(), c.latest.unwrap());
    assert!(e < t && t < l && l - e < 2.0, "{}", c.statement);
    assert!(c.already);

    // A level the curve had passed before the searched window says so, with no date.
    let c = fit.when(1.0, 40.0);
    assert!(c.estimate.is_none() && c.already, "{}", c.statement);
    assert!(c.statement.contains("before"), "{}", c.statement);
}

#[test]
fn each_ranking_row_carries_its_own_fit_even_when_labels_repeat() {
    // Issue 13: `compare` looked fits up by label, so one model under two error models got the
    // same label and one row was read with the other's fit.
    let s = noisy_logistic(&years(2008.0, 2024.0), 11, 0.03);
    let specs: Vec<Box<dyn growthcast::fit::FitSpec>> = vec![
        Box::new(Fitter::new(Logistic).error_model(growthcast::ErrorModel::Multiplicative)),
        Box::new(Fitter::new(Logistic).error_model(growthcast::ErrorModel::Additive)),
    ];
    let c = compare::compare(&s, &specs);
    assert_eq!(
        c.candidates[0].label, c.candidates[1].label,
        "the same label twice"
    );
    assert_eq!(c.ranking.len(), 2, "{c}");
    let mut models = Vec::new();
    for r in &c.ranking {
        let f = c.fit(r.id).unwrap();
        // The row's numbers are its own fit's.
        assert_eq!(r.criterion, f.aicc(), "{c}");
        assert_eq!(r.k, f.n_free());
        models.push(f.error_model());
    }
    assert_ne!(models[0], models[1], "each row has its own error model");
    // The profile finds the ceiling by its role, not by the name `K`.
    let p = profile::ceiling_interval(&Fitter::new(growthcast::model::bass()), &s, 0.95);
    assert!(
        !matches!(&p, Err(growthcast::Error::InvalidParameter { parameter, .. }) if parameter == "K"),
        "{p:?}"
    );
}

#[test]
fn derived_intervals_never_hold_values_the_quantity_cannot_take() {
    // Issue 14.2 (first step): the rate's interval mapped through e^r - 1 and ln 2 / r. On the
    // users series with the population ceiling, the delta method gave an annual growth rate down
    // to -131% and a doubling time down to -0.095 years.
    let users =
        io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_users.csv")).unwrap();
    let fit = Fitter::new(Logistic).fix("K", 1.41e9).fit(&users).unwrap();
    let r = fit.param("r").unwrap();
    // The rate's profile interval reaches its lower bound 0 (its Wald interval goes below).
    assert_eq!(r.lower, 0.0, "{r:?}");
    assert!(r.wald_lower < 0.0, "{r:?}");
    let g = fit.annual_growth_rate().unwrap();
    assert!(g.lower > -1.0, "{g:?}");
    assert_relative_eq!(g.lower, r.lower.exp_m1(), max_relative = 1e-12);
    assert_relative_eq!(g.upper, r.upper.exp_m1(), max_relative = 1e-12);
    assert_eq!(g.method, growthcast::IntervalMethod::Transformed);
    let d = fit.doubling_time().unwrap();
    assert!(d.lower > 0.0 && d.upper.is_infinite(), "{d:?}");
    assert_relative_eq!(
        d.lower,
        std::f64::consts::LN_2 / r.upper,
        max_relative = 1e-12
    );
    let text = fit.to_string();
    assert!(text.contains("no upper bound"), "{text}");
    // In JSON an open end is null.
    let json = serde_json::to_value(fit.derived()).unwrap();
    assert!(json["doubling_time"]["upper"].is_null(), "{json}");
    assert_eq!(json["doubling_time"]["method"], "transformed");
    // Where the rate's interval is positive, both ends are finite and bracket the estimate.
    let mut g = Normal(5);
    let t = years(2012.0, 2024.0);
    let y: Vec<f64> = t
        .iter()
        .map(|&t| 2.0 * (0.25 * (t - 2012.0)).exp() * (0.02 * g.next()).exp())
        .collect();
    let fit = Series::from_slices("e", &t, &y)
        .unwrap()
        .fit(Exponential::new())
        .unwrap();
    let d = fit.doubling_time().unwrap();
    assert!(
        d.lower < d.value && d.value < d.upper && d.upper.is_finite(),
        "{d:?}"
    );
}

/// Coverage of the derived intervals (issue 14, first step), measured: the annual growth rate
/// and the doubling time from the rate's interval (transformed) against the symmetric
/// delta-method interval they replaced, on short noisy series where the model is the true one.
/// Prints the table the README quotes (`cargo test --test questions coverage -- --nocapture`).
#[test]
fn coverage_of_transformed_derived_intervals() {
    const REPS: usize = 400;
    let ln2 = std::f64::consts::LN_2;
    // (name, n, noise sd, fitter, truth: y(t), true r)
    let t6: Vec<f64> = (0..6).map(|i| 2020.0 + i as f64).collect();
    let t4: Vec<f64> = (0..4).map(|i| 2024.0 + 0.5 * i as f64).collect();
    let cases: Vec<(&str, Vec<f64>, f64, bool)> = vec![
        ("exponential, n = 6, 10% noise", t6.clone(), 0.10, false),
        ("exponential, n = 6, 30% noise", t6, 0.30, false),
        ("logistic with known K, n = 4, 5% noise", t4, 0.05, true),
    ];
    let r_true = 0.5;
    println!(
        "| case | growth rate: transformed | delta | delta below -100% | doubling time: \
         transformed | delta | delta below 0 |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (k, (name, t, sd, logistic)) in cases.into_iter().enumerate() {
        let mut g = Normal(100 + k as u64);
        let (mut gt, mut gd, mut dt, mut dd, mut bad, mut bad_d) = (0, 0, 0, 0, 0, 0);
        for _ in 0..REPS {
            let y: Vec<f64> = t
                .iter()
                .map(|&t| {
                    let f = if logistic {
                        Logistic.value(t, &[1.41e9, r_true, 2026.5])
                    } else {
                        5.0 * (r_true * (t - 2020.0)).exp()
                    };
                    f * (sd * g.next()).exp()
                })
                .collect();
            let s = Series::from_slices("sim", &t, &y).unwrap();
            let fit = if logistic {
                Fitter::new(Logistic).fix("K", 1.41e9).fit(&s)
            } else {
                Fitter::new(Exponential::new()).fit(&s)
            };
            let Ok(fit) = fit else { continue };
            let truth = r_true.exp_m1();
            if let Some(e) = fit.annual_growth_rate() {
                gt += usize::from(e.lower <= truth && truth <= e.upper);
                // The t quantile the fit used, read back from the rate's Wald interval.
                let r = fit.param("r").unwrap();
                let qt = (r.upper - r.estimate) / r.std_error;
                gd += usize::from((e.value - truth).abs() <= qt * e.std_error);
                bad += usize::from(e.value - qt * e.std_error < -1.0);
                let dtrue = ln2 / r_true;
                if let Some(d) = fit.doubling_time() {
                    dt += usize::from(d.lower <= dtrue && dtrue <= d.upper);
                    dd += usize::from((d.value - dtrue).abs() <= qt * d.std_error);
                    bad_d += usize::from(d.value - qt * d.std_error < 0.0);
                }
            }
        }
        let pct = |c: usize| format!("{:.1}%", 100.0 * c as f64 / REPS as f64);
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            pct(gt),
            pct(gd),
            pct(bad),
            pct(dt),
            pct(dd),
            pct(bad_d)
        );
        // The transformed intervals cover at the rate's own (Wald) rate: near the nominal 95%.
        for c in [gt, dt] {
            let cov = c as f64 / REPS as f64;
            assert!((0.90..=0.99).contains(&cov), "{name}: {cov}");
        }
    }
}

#[test]
fn default_bands_keep_the_models_shape_and_the_known_ceiling() {
    // Issue 14.3: on the users series with the population ceiling, the delta band let users fall
    // to 171 million by 2030 (its lower edge runs backwards in time). The default band (the
    // calibrated bootstrap) rises where the curve rises and never passes the known ceiling.
    let users =
        io::read_series(concat!(env!("CARGO_MANIFEST_DIR"), "/data/genai_users.csv")).unwrap();
    let k = 1.41e9;
    let fit = Fitter::new(Logistic).fix("K", k).fit(&users).unwrap();
    let grid: Vec<f64> = (0..=132).map(|m| 2024.5 + m as f64 / 12.0).collect();
    let p = fit.project(&grid);
    assert_eq!(p.method, IntervalMethod::Bootstrap);
    for w in p.points.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        for (x, y) in [
            (a.conf_lower, b.conf_lower),
            (a.conf_upper, b.conf_upper),
            (a.pred_lower, b.pred_lower),
            (a.pred_upper, b.pred_upper),
        ] {
            assert!(y >= x, "a band edge falls from {x} to {y} after {}", a.t);
        }
    }
    for q in &p.points {
        assert!(q.conf_lower <= q.value && q.value <= q.conf_upper);
        assert!(q.pred_lower <= q.conf_lower && q.conf_upper <= q.pred_upper);
        assert!(q.conf_upper <= k, "{q:?}");
    }
    // The delta band stays available, labelled, and shows the defect this replaces.
    let d = fit.project_delta(&grid);
    assert_eq!(d.method, IntervalMethod::Delta);
    let (first, last) = (&d.points[24], d.points.last().unwrap());
    assert!(
        last.conf_lower < first.conf_lower,
        "the delta band's lower edge falls"
    );
}
