//! Bands that account for model uncertainty, measured: which rule for a "recommended projection"
//! holds the true curve when the data cannot tell the curves apart (issue 15).
//!
//! ```text
//! cargo run --release --example model_uncertainty            # 150 series per cell, 2 threads, about 3 minutes
//! cargo run --release --example model_uncertainty -- 200 --threads 4
//! ```
//!
//! True curves (those of `examples/coverage`): exponential, logistic with the data ending one year
//! before its inflection, logistic with the inflection in the middle of the data, Gompertz with
//! the inflection in the middle. n ∈ {4, 6, 10} yearly points, lognormal noise
//! σ ∈ {0.02, 0.05, 0.10}, horizons 1, 2 and 5 years past the last point. Every series is fitted
//! with all the standard candidates (`compare::compare_standard`: exponential, logistic, Gompertz,
//! linear) and, for the curves with a ceiling, with the logistic and the Gompertz whose K is fixed
//! at the true value. The bands compared, each the 95% confidence band of the curve:
//!
//! - oracle: the true model's own default (bootstrap) band; "K known": the same model with K fixed
//!   at the truth (curves with a ceiling only);
//! - old average: `Comparison::averaged`;
//! - best identified: the band of the best-ranked candidate whose fit is identified, else of the
//!   best-ranked;
//! - envelope Δ ≤ d: the hull `[min lower, max upper]` of the bands of the ranked candidates within
//!   `d` of the best criterion (members need a finite band); "all": every candidate with a band;
//! - K known, recommended: `Comparison::recommended` over `known::compare_knowing` with the true
//!   K as a fixed ceiling (`RecommendOptions::knowing`: only the K-fixed logistic and Gompertz
//!   are members, the AIC rule within 6 at every n), and the same with the AIC rule within 2, 3
//!   or 4 at every n; "× oracle" then compares with the K-known oracle;
//! - envelope AIC Δ ≤ d: as envelope Δ ≤ d, but ranked by plain AIC whatever the comparison used.
//!
//! Coverage is over the series where the band exists; the series where it does not are counted
//! apart ("no band"). The width is the ratio upper / lower at +5 years; "× oracle" compares the
//! median log-width (`ln(upper/lower)`) with the oracle's, "× all" with the all-members envelope.

#[path = "../coverage/sim.rs"]
#[allow(dead_code)]
mod sim;
mod tables;
use tables::{delta_table, edge_table, header, rows, worst_table};

use std::collections::BTreeMap;
use std::time::Instant;

use growthcast::compare::{compare_standard, Comparison, Criterion};
use growthcast::known::{compare_knowing, KnownCeiling};
use growthcast::recommend::RecommendOptions;
use growthcast::{Fit, Series};
use sim::{
    grid_cells, noisy_series, parse_args, pool_cells, run_cells, seed_of, yearly, Cell, Curve, Rng,
    FREE_CURVES, HORIZONS,
};

pub(crate) const NS: [usize; 3] = [4, 6, 10];
const SIGMAS: [f64; 3] = [0.02, 0.05, 0.10];
pub(crate) const CURVES: [Curve; 4] = FREE_CURVES;
/// The Δ thresholds of the envelope rules (`INFINITY`: every member with a band).
const DELTAS: [f64; 5] = [2.0, 4.0, 6.0, 10.0, f64::INFINITY];
/// How many known-ceiling rules [`k_rules`] measures.
const K_RULES: usize = 5;
/// The Δ thresholds of the envelope rules ranked by plain AIC instead of the comparison's criterion.
const AIC_DELTAS: [f64; 2] = [2.0, 6.0];

/// The bands compared, in table order.
fn band_names() -> Vec<String> {
    let mut v = vec![
        "oracle: true model".to_string(),
        "oracle: true model, K known".into(),
        "old average".into(),
        "best identified".into(),
    ];
    v.extend(
        DELTAS
            .iter()
            .map(|d| format!("envelope {}", delta_name(*d))),
    );
    v.extend(
        AIC_DELTAS
            .iter()
            .map(|d| format!("envelope AIC {}", delta_name(*d))),
    );
    let fact = KnownCeiling::fixed(1.0, "K").expect("1 is a valid ceiling");
    v.extend(k_rules(&fact).iter().map(|r| r.0.to_string()));
    v.push("recommended (library default)".into());
    v
}
pub(crate) const ORACLE: usize = 0;
pub(crate) const ORACLE_K: usize = 1;
const AVERAGE: usize = 2;
const BEST: usize = 3;
pub(crate) const ENV: usize = 4;
const ENV_AIC: usize = ENV + DELTAS.len();
pub(crate) const ENV_K: usize = ENV_AIC + AIC_DELTAS.len();
/// `Comparison::recommended` with its default options: what the library ships.
pub(crate) const RECOMMENDED: usize = ENV_K + K_RULES;
const N_BANDS: usize = RECOMMENDED + 1;
/// The all-members envelope (the union of every member's band).
pub(crate) const ENV_ALL: usize = ENV + DELTAS.len() - 1;

fn delta_name(d: f64) -> String {
    if d.is_finite() {
        format!("Δ≤{d}")
    } else {
        "all".into()
    }
}

/// A band at the horizons: (lower, upper) per horizon.
type Band = [(f64, f64); 3];

/// One candidate's band, with what the rules need to know of it.
struct Member {
    label: String,
    /// Criterion value (AICc or AIC, as its comparison ranks), `None` when not ranked.
    criterion: Option<f64>,
    aic: f64,
    band: Band,
}

/// Counts for one band over a cell or a pool of cells.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stat {
    /// Series for which the band applies.
    reps: usize,
    /// Series with no band (fit failed, no degrees of freedom, no member).
    none: usize,
    /// Per horizon: bands that hold the true curve.
    cover: [usize; 3],
    /// Upper / lower at +5 years, one per band.
    ratio5: Vec<f64>,
    /// Series where the true model has no band, and of those, bands that hold the truth at +5 y.
    true_missing: usize,
    /// The true model's Δ in its comparison (oracle only; not recorded when it is not ranked).
    true_delta: Vec<f64>,
    /// Comparisons ranked by AICc (the others by AIC; oracle only).
    by_aicc: usize,
    true_missing_cover5: usize,
    /// Which member gives the low and the high edge at +5 years (envelopes only).
    low_edge: BTreeMap<String, usize>,
    high_edge: BTreeMap<String, usize>,
}

impl Stat {
    fn add(&mut self, o: &Stat) {
        self.reps += o.reps;
        self.none += o.none;
        for k in 0..3 {
            self.cover[k] += o.cover[k];
        }
        self.ratio5.extend_from_slice(&o.ratio5);
        self.true_missing += o.true_missing;
        self.true_delta.extend_from_slice(&o.true_delta);
        self.by_aicc += o.by_aicc;
        self.true_missing_cover5 += o.true_missing_cover5;
        for (a, b) in [
            (&mut self.low_edge, &o.low_edge),
            (&mut self.high_edge, &o.high_edge),
        ] {
            for (k, v) in b {
                *a.entry(k.clone()).or_default() += v;
            }
        }
    }

    /// Records one series' band (`None`: no band) against the truth.
    fn record(&mut self, band: Option<&Band>, truth: &[f64; 3], true_has_band: bool) {
        self.reps += 1;
        let Some(b) = band else {
            self.none += 1;
            return;
        };
        for k in 0..3 {
            self.cover[k] += usize::from(b[k].0 <= truth[k] && truth[k] <= b[k].1);
        }
        self.ratio5.push(b[2].1 / b[2].0);
        if !true_has_band {
            self.true_missing += 1;
            self.true_missing_cover5 += usize::from(b[2].0 <= truth[2] && truth[2] <= b[2].1);
        }
    }

    fn with_band(&self) -> usize {
        self.reps - self.none
    }
}

/// The band of a projection at the horizons, if every end is finite and positive.
fn band_of(p: &growthcast::Projection) -> Option<Band> {
    let mut b = [(0.0, 0.0); 3];
    for (k, pt) in p.points.iter().take(3).enumerate() {
        if !(pt.conf_lower.is_finite() && pt.conf_upper.is_finite() && pt.conf_lower > 0.0) {
            return None;
        }
        b[k] = (pt.conf_lower, pt.conf_upper);
    }
    (p.points.len() == 3).then_some(b)
}

fn member(fit: &Fit, criterion: Option<f64>, times: &[f64]) -> Option<Member> {
    Some(Member {
        label: fit.label().to_string(),
        criterion,
        aic: fit.aic(),
        band: band_of(&fit.project(times))?,
    })
}

/// The hull of the members' bands; records which member gives each edge at +5 years.
fn envelope(members: &[&Member], stat: &mut Stat) -> Option<Band> {
    let first = members.first()?;
    let mut b = first.band;
    let (mut lo, mut hi) = (first, first);
    for m in &members[1..] {
        for (e, mb) in b.iter_mut().zip(&m.band) {
            e.0 = e.0.min(mb.0);
            e.1 = e.1.max(mb.1);
        }
        if m.band[2].0 < lo.band[2].0 {
            lo = m;
        }
        if m.band[2].1 > hi.band[2].1 {
            hi = m;
        }
    }
    *stat.low_edge.entry(lo.label.clone()).or_default() += 1;
    *stat.high_edge.entry(hi.label.clone()).or_default() += 1;
    Some(b)
}

/// Members within `d` of the best by `crit` (`None`: not ranked; `d` infinite: every member).
fn within(members: &[Member], d: f64, crit: impl Fn(&Member) -> Option<f64>) -> Vec<&Member> {
    let best = members
        .iter()
        .filter_map(&crit)
        .fold(f64::INFINITY, f64::min);
    members
        .iter()
        .filter(|m| d.is_infinite() || crit(m).is_some_and(|c| c - best <= d))
        .collect()
}

/// Runs one cell: `reps` series of `n` points from `curve` with noise `sigma`; one `Stat` per band.
fn run_cell(curve: Curve, n: usize, sigma: f64, reps: usize, seed: u64) -> Vec<Stat> {
    let p = curve.truth(n);
    let t = yearly(n);
    let last = t[n - 1];
    let times: Vec<f64> = HORIZONS.iter().map(|h| last + h).collect();
    let truth = [0, 1, 2].map(|k| curve.value(times[k], &p));
    let ceiling = (curve != Curve::Exponential).then(|| p[0]);
    let mut rng = Rng::new(seed);
    let mut stats = vec![Stat::default(); N_BANDS];
    for _ in 0..reps {
        let s = noisy_series(curve, &p, &t, sigma, &mut rng);
        let cmp = compare_standard(&s);
        let members: Vec<Member> = cmp
            .candidates
            .iter()
            .filter_map(|c| {
                let f = c.fit.as_ref().ok()?;
                member(f, cmp.ranked(c.id).map(|r| r.criterion), &times)
            })
            .collect();
        let oracle = members
            .iter()
            .find(|m| m.label.eq_ignore_ascii_case(curve.model_name()))
            .map(|m| m.band);
        let has = oracle.is_some();
        stats[ORACLE].record(oracle.as_ref(), &truth, has);
        stats[AVERAGE].record(
            cmp.averaged(&times).as_ref().and_then(band_of).as_ref(),
            &truth,
            has,
        );
        stats[BEST].record(best_band(&cmp, &times).as_ref(), &truth, has);
        let rec = cmp.recommended(&times, &RecommendOptions::default());
        stats[RECOMMENDED].record(
            rec.as_ref().and_then(|r| band_of(&r.projection)).as_ref(),
            &truth,
            has,
        );
        for (j, &d) in DELTAS.iter().enumerate() {
            let b = envelope(&within(&members, d, |m| m.criterion), &mut stats[ENV + j]);
            stats[ENV + j].record(b.as_ref(), &truth, has);
        }
        for (j, &d) in AIC_DELTAS.iter().enumerate() {
            let aic = |m: &Member| m.criterion.map(|_| m.aic);
            let b = envelope(&within(&members, d, aic), &mut stats[ENV_AIC + j]);
            stats[ENV_AIC + j].record(b.as_ref(), &truth, has);
        }
        let own = cmp
            .ranking
            .iter()
            .find(|r| r.label.eq_ignore_ascii_case(curve.model_name()));
        stats[ORACLE].true_delta.extend(own.map(|r| r.delta));
        stats[ORACLE].by_aicc += usize::from(cmp.criterion == Criterion::Aicc);
        if let Some(k) = ceiling {
            known_ceiling(curve, &s, k, &times, &truth, has, &mut stats);
        }
    }
    stats
}

/// The best-ranked identified candidate's band, else the best-ranked's.
fn best_band(cmp: &Comparison, times: &[f64]) -> Option<Band> {
    let fit = cmp
        .best_identified()
        .or_else(|| cmp.ranking.first().and_then(|r| cmp.fit(r.id)))?;
    band_of(&fit.project(times))
}

/// The known-ceiling bands: the K-fixed oracle and the library's recommendation knowing K.
fn known_ceiling(
    curve: Curve,
    s: &Series,
    k: f64,
    times: &[f64],
    truth: &[f64; 3],
    has: bool,
    stats: &mut [Stat],
) {
    let fact = KnownCeiling::fixed(k, "K").expect("the true K is positive");
    let cmp = compare_knowing(s, &fact);
    let own = if curve == Curve::Gompertz {
        "gompertz, K = K"
    } else {
        "logistic, K = K"
    };
    let oracle = cmp
        .candidates
        .iter()
        .find(|c| c.label == own)
        .and_then(|c| c.fit.as_ref().ok())
        .and_then(|f| band_of(&f.project(times)));
    stats[ORACLE_K].record(oracle.as_ref(), truth, has);
    for (j, (_, opts)) in k_rules(&fact).iter().enumerate() {
        let rec = cmp.recommended(times, opts);
        let st = &mut stats[ENV_K + j];
        if let Some(r) = &rec {
            for (edge, map) in [
                (&r.low_edge, &mut st.low_edge),
                (&r.high_edge, &mut st.high_edge),
            ] {
                let label = edge.last().and_then(|&id| r.label_of(id)).unwrap_or("?");
                *map.entry(label.to_string()).or_default() += 1;
            }
        }
        st.record(
            rec.as_ref().and_then(|r| band_of(&r.projection)).as_ref(),
            truth,
            has,
        );
    }
}

/// The recommendation rules measured with a known ceiling: the library's default, and the
/// AIC rule applied at every n.
fn k_rules(fact: &KnownCeiling) -> Vec<(&'static str, RecommendOptions)> {
    let at_any_n = |d: f64| RecommendOptions {
        max_delta: d,
        all_up_to: 0,
        ..RecommendOptions::knowing(fact.clone())
    };
    vec![
        (
            "K known: recommended (library default)",
            RecommendOptions::knowing(fact.clone()),
        ),
        ("K known: recommended, AIC Δ≤2 at any n", at_any_n(2.0)),
        ("K known: recommended, AIC Δ≤3 at any n", at_any_n(3.0)),
        ("K known: recommended, AIC Δ≤4 at any n", at_any_n(4.0)),
        ("K known: recommended, AIC Δ≤6 at any n", at_any_n(6.0)),
    ]
}

/// The seeds of this study's cells start here.
const SEED: u64 = 0x00DE_1000_0000_0000;

pub(crate) fn pool(cells: &[Cell], stats: &[Vec<Stat>], keep: impl Fn(&Cell) -> bool) -> Vec<Stat> {
    let add =
        |out: &mut Vec<Stat>, st: &Vec<Stat>| out.iter_mut().zip(st).for_each(|(a, b)| a.add(b));
    pool_cells(cells, stats, keep, vec![Stat::default(); N_BANDS], add)
}

fn main() {
    let (reps, threads) = parse_args("model_uncertainty", 150);
    let cells = grid_cells(&CURVES, &NS, &SIGMAS);
    let start = Instant::now();
    let stats = run_cells(&cells, threads, |&cell| {
        let (c, n, s) = cell;
        run_cell(c, n, s, reps, seed_of(SEED, &CURVES, cell))
    });
    let secs = start.elapsed().as_secs_f64();
    let names = band_names();
    println!(
        "{reps} series per cell, {} cells, {secs:.0} s on {threads} threads. Coverage in % of the series \
         with a band; pooled over the {} noise levels, a curve × n row holds {} series.\n",
        cells.len(),
        SIGMAS.len(),
        reps * SIGMAS.len()
    );
    println!("## Pooled over everything\n");
    header("pool");
    rows("all", &pool(&cells, &stats, |_| true), &names);
    println!("\n## Worst curve × n pool per band\n");
    worst_table(&cells, &stats, &names);
    println!("\n## Envelope edges and the series where the true model has no band (all cells)\n");
    edge_table(&pool(&cells, &stats, |_| true), &names);
    println!(
        "\n## The true model's Δ in the comparison (shares of the series where it is ranked)\n"
    );
    delta_table(&cells, &stats);
    println!("\n## By curve and n (pooled over the noise levels)\n");
    header("curve, n");
    for &c in &CURVES {
        for &n in &NS {
            let st = pool(&cells, &stats, |&(cc, nn, _)| cc == c && nn == n);
            rows(&format!("{}, n = {n}", c.name()), &st, &names);
        }
    }
}
