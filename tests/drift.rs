//! Growth-rate drift in the recommended prediction band (issue 18): the reference table is what
//! the Gapminder corpus gives, the band widens with the horizon as the drift says, and the naive
//! path is a member of the prediction band.

#[path = "../examples/shared/corpus.rs"]
mod corpus;

use approx::assert_relative_eq;
use growthcast::compare;
use growthcast::drift::{Drift, DriftOptions, OwnDrift, ReferenceTable};
use growthcast::naive::naive_path;
use growthcast::recommend::RecommendOptions;
use growthcast::Series;
use statrs::distribution::{ContinuousCDF, Normal};

/// Made by examples/drift_reference.rs: must stay in step with it.
const CORPUS: &str = "Gapminder (data/reference/gapminder.csv): population and GDP per capita of 142 countries, every five years 1952-2007; made by examples/drift_reference.rs";

#[test]
fn the_bundled_table_is_what_the_gapminder_corpus_gives() {
    let bundled = ReferenceTable::bundled();
    let factor = bundled.classes[0].factor;
    let made = ReferenceTable::from_series(CORPUS, &corpus::calibration(), factor);
    assert_eq!(made.to_csv(), bundled.to_csv());
    // 142 countries × 2 variables, every one with 10 rate changes, in some class.
    assert_eq!(made.classes.iter().map(|c| c.series).sum::<usize>(), 284);
    assert_eq!(made.classes.iter().map(|c| c.changes).sum::<usize>(), 2840);
}

fn series() -> Series {
    Series::from_years(
        "s",
        &[
            (2020.5, 100.0),
            (2021.5, 112.0),
            (2022.5, 121.0),
            (2023.5, 138.0),
            (2024.5, 150.0),
            (2025.5, 171.0),
        ],
    )
    .unwrap()
}

#[test]
fn the_prediction_band_widens_by_the_drift_in_quadrature_on_the_log_scale() {
    let s = series();
    let c = compare::compare_standard(&s);
    let times = [2026.5, 2030.5];
    let tau = 0.03;
    let opts = RecommendOptions {
        drift: DriftOptions {
            fixed: Some(tau),
            ..DriftOptions::default()
        },
        ..RecommendOptions::default()
    };
    let r = c.recommended(&times, &opts).unwrap();
    let d = r.drift.as_ref().unwrap();
    assert_relative_eq!(d.rate_sd, tau);
    // The fitted curves carry the departure as reverting: τ·H within the yearly spacing, then
    // τ·√(H·1) (a given drift: the series' own spacing).
    assert_relative_eq!(d.spacing, 1.0);
    for m in &r.members {
        let raw = c.fit(m.id).unwrap().project(&times);
        for (i, q) in m.projection.points.iter().enumerate() {
            let p = raw.points[i];
            let h = p.t - raw.last_observed;
            let z = 1.959963984540054 * tau * (h * h.min(1.0)).sqrt();
            let up = (p.pred_upper / p.value).ln();
            let lo = (p.value / p.pred_lower).ln();
            assert_relative_eq!(
                (q.pred_upper / q.value).ln(),
                (up * up + z * z).sqrt(),
                max_relative = 1e-9
            );
            assert_relative_eq!(
                (q.value / q.pred_lower).ln(),
                (lo * lo + z * z).sqrt(),
                max_relative = 1e-9
            );
        }
    }
    // Without the drift the members' prediction bands are their fits' own.
    let off = RecommendOptions {
        drift: DriftOptions {
            enabled: false,
            ..DriftOptions::default()
        },
        ..RecommendOptions::default()
    };
    let r0 = c.recommended(&times, &off).unwrap();
    assert!(r0.drift.is_none());
    for m in &r0.members {
        assert_eq!(m.projection, c.fit(m.id).unwrap().project(&times));
    }
    // Without the drift the naive path has no band to mix: the band is the members' hull
    // stretched to hold the naive path.
    let n0 = r0.naive.as_ref().unwrap();
    for (i, q) in r0.projection.points.iter().enumerate() {
        let n = n0.points[i];
        assert_eq!((n.pred_lower, n.pred_upper), (n.value, n.value));
        let lo = r0.members.iter().map(|m| m.projection.points[i].pred_lower);
        let hi = r0.members.iter().map(|m| m.projection.points[i].pred_upper);
        assert_eq!(q.pred_lower, lo.fold(n.value, f64::min).min(q.conf_lower));
        assert_eq!(q.pred_upper, hi.fold(n.value, f64::max).max(q.conf_upper));
    }
    // The recommended prediction band is the central 95% band of the mixture of the members'
    // hull (about the point path) and the naive path's band (weight: the probability that the
    // series' rate departures persist, an even prior for a given drift), each read as a
    // two-piece normal on the log scale: at its ends the mixture's distribution function is 2.5%
    // and 97.5%. It lies within the union of the two bands.
    let w = d.persisting;
    let own = OwnDrift::of(&s).unwrap();
    assert_relative_eq!(
        w,
        growthcast::drift::persisting_probability(0.5, own.reverting),
        max_relative = 1e-12
    );
    assert!(w > 0.0 && w < 1.0);
    let naive = r.naive.as_ref().unwrap();
    let pts: Vec<(f64, f64)> = s.observations().iter().map(|o| (o.t, o.value)).collect();
    let path = naive_path("s", &pts, &times).unwrap();
    // The curves' hull is read as a two-piece normal, the naive band as what it is: the
    // drift's departure (a given drift: normal; an estimated one: Student-t).
    let unit = Normal::new(0.0, 1.0).unwrap();
    let z = unit.inverse_cdf(0.975);
    let cdf = |x: f64, (v, lo, hi): (f64, f64, f64)| {
        let scale = if x < v { (v / lo).ln() } else { (hi / v).ln() } / z;
        unit.cdf((x / v).ln() / scale)
    };
    assert!(d.dof.is_infinite());
    for (i, q) in r.projection.points.iter().enumerate() {
        let n = naive.points[i];
        assert_relative_eq!(n.value, path[i], max_relative = 1e-12);
        let lo = r
            .members
            .iter()
            .map(|m| m.projection.points[i].pred_lower)
            .fold(f64::INFINITY, f64::min);
        let hi = r
            .members
            .iter()
            .map(|m| m.projection.points[i].pred_upper)
            .fold(0.0, f64::max);
        let (curves, naive_band) = ((q.value, lo, hi), (n.value, n.pred_lower, n.pred_upper));
        let mix = |x: f64| (1.0 - w) * cdf(x, curves) + w * cdf(x, naive_band);
        assert_relative_eq!(mix(q.pred_lower), 0.025, epsilon = 1e-9);
        assert_relative_eq!(mix(q.pred_upper), 0.975, epsilon = 1e-9);
        assert!(q.pred_lower >= lo.min(n.pred_lower) && q.pred_upper <= hi.max(n.pred_upper));
    }
    let text = r.to_string();
    let note = format!(
        "mixes the fitted curves' band ({:.0}%, for growth-rate departures that revert) with \
         the naive path's ({:.0}%, for departures that persist",
        100.0 * (1.0 - w),
        100.0 * w
    );
    assert!(text.contains(&note), "{text}");
    assert!(text.contains("(50% before its own rate changes)"), "{text}");
    assert!(
        r.to_string().contains("rate drift 0.0300 per year: given"),
        "{r}"
    );
}

#[test]
fn a_short_series_borrows_from_its_reference_class_and_says_so() {
    let s = Series::from_years(
        "short",
        &[
            (2020.5, 100.0),
            (2021.5, 104.0),
            (2022.5, 107.0),
            (2023.5, 111.0),
        ],
    )
    .unwrap();
    let d = Drift::estimate(&s, &DriftOptions::default()).unwrap();
    let own = OwnDrift::of(&s).unwrap();
    assert_eq!(own.changes, 2);
    let table = ReferenceTable::bundled();
    let class = table.class_for(own.mean_rate).unwrap();
    assert_eq!(class.name, "growing 3% a year or faster");
    // Bayes' rule: IG(α + 1, β + own.rate_var) for two changes.
    let (a, b) = (class.shape + 1.0, class.scale + own.rate_var);
    assert_relative_eq!(
        d.rate_sd,
        class.factor * (b / a).sqrt(),
        max_relative = 1e-12
    );
    assert_relative_eq!(d.dof, 2.0 * a, max_relative = 1e-12);
    let text = d.describe();
    assert!(
        text.contains("2 of the series' own rate changes")
            && text.contains("growing 3% a year or faster"),
        "{text}"
    );
}

#[test]
fn the_drift_is_measured_from_the_curve_that_describes_the_past_best() {
    // An exact logistic decelerates: its growth rate falls at every step. Measured from the
    // series (an exponential's view) that is drift; measured from the logistic's own curve, the
    // best description of the past, it is none, so no band is widened for a deceleration the
    // logistic describes.
    let pts: Vec<(f64, f64)> = (0..8)
        .map(|i| {
            let t = 2015.5 + i as f64;
            (t, 1000.0 / (1.0 + (-0.6 * (t - 2019.0)).exp()))
        })
        .collect();
    let s = Series::from_years("logistic", &pts).unwrap();
    let raw = OwnDrift::of(&s).unwrap();
    assert!(raw.rate_var > 1e-3, "{raw:?}");
    let c = compare::compare_standard(&s);
    let r = c
        .recommended(&[2026.5], &RecommendOptions::default())
        .unwrap();
    let logistic = r.members.iter().find(|m| m.label == "logistic").unwrap();
    let fit = c.fit(logistic.id).unwrap();
    let own = OwnDrift::of_fit(fit).unwrap();
    assert_eq!(
        own.changes,
        8 - 3,
        "n − p changes for a three-parameter curve"
    );
    assert!(own.rate_var < 1e-12, "{own:?}");
    let d = logistic.drift.as_ref().unwrap();
    assert!(d.rate_sd < r.drift.as_ref().unwrap().rate_sd);
    // The members' (reverting) drift carries no calibration factor, the naive path's
    // (persisting) the class's.
    let no_factor = DriftOptions {
        factor: Some(1.0),
        ..DriftOptions::default()
    };
    let table = ReferenceTable::bundled();
    let want = Drift::estimate_with(Some(own), &no_factor, table);
    assert_relative_eq!(d.rate_sd, want.rate_sd, max_relative = 1e-12);
    let raw_drift = Drift::estimate_with(Some(raw), &DriftOptions::default(), table);
    assert_relative_eq!(
        r.drift.as_ref().unwrap().rate_sd,
        raw_drift.rate_sd,
        max_relative = 1e-12
    );
    assert!(r.members.iter().all(|m| m.drift.as_ref() == Some(d)));
}

/// A deterministic normal generator (SplitMix64 and Box–Muller).
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (((z ^ (z >> 31)) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

#[test]
fn noise_alone_is_not_counted_as_drift() {
    // An exponential with 5% log noise and no drift: quarter to quarter, noise alone moves the
    // growth rate by about √6·0.05/0.25 = 0.49 a year. Measured from the fitted curve, less
    // what the residuals' noise explains, the drift averages near zero over 300 series (the
    // raw estimate, mean((Δg)²)/2 = 3σ²/D² = 0.12, would count all of it). Not exactly zero:
    // a series' estimate is cut at zero (a variance), which leaves 15% of the raw mean here.
    let mut rng = Rng(7);
    let fitter = growthcast::Fitter::new(growthcast::Exponential::new());
    let (mut raw, mut corrected) = (0.0, 0.0);
    let runs = 300;
    for _ in 0..runs {
        let pts: Vec<(f64, f64)> = (0..10)
            .map(|i| {
                let t = 2000.125 + 0.25 * i as f64;
                (t, 100.0 * (0.05 * i as f64 + 0.05 * rng.normal()).exp())
            })
            .collect();
        let s = Series::from_years("noisy", &pts).unwrap();
        raw += OwnDrift::of(&s).unwrap().rate_var;
        corrected += OwnDrift::of_fit(&fitter.fit(&s).unwrap()).unwrap().rate_var;
    }
    let (raw, corrected) = (raw / runs as f64, corrected / runs as f64);
    assert_relative_eq!(raw, 3.0 * 0.05f64.powi(2) / 0.0625, max_relative = 0.15);
    assert!(corrected < 0.2 * raw, "raw {raw}, corrected {corrected}");
}

#[test]
fn rate_changes_that_undo_each_other_lean_on_the_curves_and_steady_ones_on_the_naive_path() {
    // Ten yearly points about a 5% trend whose rates alternate (a cycle: changes undo each
    // other), and ten whose rate climbs a little every year (changes that persist).
    let cycle: Vec<(f64, f64)> = (0..10)
        .map(|i| {
            let t = 2010.5 + i as f64;
            (t, 100.0 * (0.05 * i as f64 + 0.03 * (i % 2) as f64).exp())
        })
        .collect();
    let mut log = 100f64.ln();
    let climb: Vec<(f64, f64)> = (0..10)
        .map(|i| {
            let t = 2010.5 + i as f64;
            if i > 0 {
                log += 0.02 + 0.01 * i as f64 + 0.002 * (i % 3) as f64;
            }
            (t, log.exp())
        })
        .collect();
    let weight = |pts: &[(f64, f64)]| {
        let s = Series::from_years("s", pts).unwrap();
        let own = OwnDrift::of(&s).unwrap();
        let d = Drift::estimate(&s, &DriftOptions::default()).unwrap();
        let class = ReferenceTable::bundled().class_for(own.mean_rate).unwrap();
        assert_relative_eq!(
            d.persisting,
            growthcast::drift::persisting_probability(class.persisting, own.reverting),
            max_relative = 1e-12
        );
        // The recommendation reads the evidence from the best-describing curve's departures
        // (an exponential's here: the same rate changes as the raw ones).
        let c = compare::compare_standard(&s);
        let fitted = OwnDrift::of_fit(c.best_describing().unwrap()).unwrap();
        let r = c
            .recommended(&[2024.5], &RecommendOptions::default())
            .unwrap();
        let nd = r.drift.as_ref().unwrap();
        assert_relative_eq!(
            nd.persisting,
            growthcast::drift::persisting_probability(class.persisting, fitted.reverting),
            max_relative = 1e-12
        );
        // The band's ends: the mixture of the curves' hull and the naive band (each read as a
        // two-piece normal) with these weights is at 2.5% and 97.5% there.
        let unit = Normal::new(0.0, 1.0).unwrap();
        let q = r.projection.points[0];
        let n = r.naive.as_ref().unwrap().points[0];
        let (lo, hi) = r.members.iter().fold((q.value, q.value), |(l, h), m| {
            let p = m.projection.points[0];
            (l.min(p.pred_lower), h.max(p.pred_upper))
        });
        let two_piece = |x: f64, v: f64, lo: f64, hi: f64| {
            let scale = if x < v { (v / lo).ln() } else { (hi / v).ln() } / 1.959963984540054;
            unit.cdf((x / v).ln() / scale)
        };
        let mix = |x: f64| {
            (1.0 - nd.persisting) * two_piece(x, q.value, lo, hi)
                + nd.persisting * two_piece(x, n.value, n.pred_lower, n.pred_upper)
        };
        // (The prediction band never lies inside the confidence band: where the curves'
        // confidence hull reaches further, it is the edge.)
        let mut checked = 0;
        if q.pred_lower < q.conf_lower {
            assert_relative_eq!(mix(q.pred_lower), 0.025, epsilon = 1e-9);
            checked += 1;
        } else {
            assert_eq!(q.pred_lower, q.conf_lower);
        }
        if q.pred_upper > q.conf_upper {
            assert_relative_eq!(mix(q.pred_upper), 0.975, epsilon = 1e-9);
            checked += 1;
        } else {
            assert_eq!(q.pred_upper, q.conf_upper);
        }
        (nd.persisting, checked)
    };
    let ((w_cycle, c1), (w_climb, c2)) = (weight(&cycle), weight(&climb));
    assert!(
        c1 + c2 >= 2,
        "the mixture made at least two of the four edges"
    );
    assert!(w_cycle < 0.05, "{w_cycle}");
    assert!(w_climb > 0.9, "{w_climb}");
}

#[test]
fn an_s_curves_deceleration_is_not_read_as_a_change_of_rate_that_persists() {
    // Logistics with 2% independent log noise, ten yearly points through the inflection. Their
    // raw rate changes all point down (the deceleration), which read raw says "persists"; read
    // from the logistic's departures, with what the fit absorbs integrated out, it does not,
    // and the naive path no longer carries most of the prediction band.
    let mut rng = Rng(11);
    let prior = |rate: f64| {
        ReferenceTable::bundled()
            .class_for(rate)
            .unwrap()
            .persisting
    };
    let (mut raw_weight, mut weight) = (0.0, 0.0);
    let runs = 20;
    for _ in 0..runs {
        let pts: Vec<(f64, f64)> = (0..10)
            .map(|i| {
                let t = 2010.5 + i as f64;
                let curve = 1000.0 / (1.0 + (-0.6 * (t - 2014.5)).exp());
                (t, curve * (0.02 * rng.normal()).exp())
            })
            .collect();
        let s = Series::from_years("s", &pts).unwrap();
        let raw = OwnDrift::of(&s).unwrap();
        raw_weight +=
            growthcast::drift::persisting_probability(prior(raw.mean_rate), raw.reverting);
        let r = compare::compare_standard(&s)
            .recommended(&[2022.5], &RecommendOptions::default())
            .unwrap();
        weight += r.drift.as_ref().unwrap().persisting;
    }
    let (raw_weight, weight) = (raw_weight / runs as f64, weight / runs as f64);
    assert!(raw_weight > 0.95, "{raw_weight}");
    assert!(weight < 0.5, "{weight}");
}
