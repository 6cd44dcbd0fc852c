//! The tables of the model-uncertainty study (markdown, on standard output).

use std::collections::BTreeMap;

use crate::sim::{median, pct, Cell, HORIZONS};
use crate::{pool, Stat, CURVES, ENV, ENV_ALL, ENV_K, NS, ORACLE, ORACLE_K, RECOMMENDED};

/// `ln(median ratio of a) / ln(median ratio of b)`: how many times wider on the log scale.
fn times_wider(a: &Stat, b: &Stat) -> String {
    let (x, y) = (median(&a.ratio5), median(&b.ratio5));
    if x.is_nan() || y.is_nan() {
        "–".into()
    } else {
        format!("{:.2}", x.ln() / y.ln())
    }
}

pub(crate) fn header(first: &str) {
    println!(
        "| {first} | band | cover +1y | +2y | +5y | upper/lower +5y | × oracle | × all | no band |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
}

/// The rows of one pool: one per band.
pub(crate) fn rows(name: &str, st: &[Stat], names: &[String]) {
    for (b, s) in st.iter().enumerate() {
        if s.reps == 0 {
            continue;
        }
        let oracle = if (ENV_K..RECOMMENDED).contains(&b) {
            ORACLE_K
        } else {
            ORACLE
        };
        let m = median(&s.ratio5);
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} |",
            names[b],
            pct(s.cover[0], s.with_band()),
            pct(s.cover[1], s.with_band()),
            pct(s.cover[2], s.with_band()),
            if m.is_nan() {
                "–".into()
            } else {
                format!("{m:.2}")
            },
            times_wider(s, &st[oracle]),
            times_wider(s, &st[ENV_ALL]),
            pct(s.none, s.reps),
        );
    }
}

/// Per band: the lowest coverage at any horizon over the curve × n pools, and where.
pub(crate) fn worst_table(cells: &[Cell], stats: &[Vec<Stat>], names: &[String]) {
    println!("| band | lowest cover (any horizon) | where | cells ≥ 90% at every horizon |");
    println!("|---|---:|---|---:|");
    for (b, name) in names.iter().enumerate() {
        let (mut worst, mut at, mut ok, mut all) = (f64::INFINITY, String::new(), 0, 0);
        for &c in &CURVES {
            for &n in &NS {
                let st = &pool(cells, stats, |&(cc, nn, _)| cc == c && nn == n)[b];
                if st.with_band() == 0 {
                    continue;
                }
                all += 1;
                let mut cell_ok = true;
                for (k, h) in HORIZONS.iter().enumerate() {
                    let v = 100.0 * st.cover[k] as f64 / st.with_band() as f64;
                    cell_ok &= v >= 90.0;
                    if v < worst {
                        (worst, at) = (v, format!("{}, n = {n}, +{h}y", c.name()));
                    }
                }
                ok += usize::from(cell_ok);
            }
        }
        println!("| {name} | {worst:.1} | {at} | {ok}/{all} |");
    }
}

/// Which member gives the envelopes' edges at +5 years, and the series the true model misses.
pub(crate) fn edge_table(st: &[Stat], names: &[String]) {
    println!("| band | low edge at +5y (share) | high edge at +5y (share) | true model without band: series, cover +5y |");
    println!("|---|---|---|---:|");
    let fmt = |m: &BTreeMap<String, usize>| {
        let tot: usize = m.values().sum();
        let mut v: Vec<(&String, &usize)> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1));
        v.iter()
            .map(|(k, c)| format!("{k} {}%", pct(**c, tot)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (b, s) in st.iter().enumerate().filter(|(b, _)| *b >= ENV) {
        println!(
            "| {} | {} | {} | {}, {}% |",
            names[b],
            fmt(&s.low_edge),
            fmt(&s.high_edge),
            s.true_missing,
            pct(s.true_missing_cover5, s.true_missing)
        );
    }
}

/// Where the true model ranks in its comparison, per curve × n.
pub(crate) fn delta_table(cells: &[Cell], stats: &[Vec<Stat>]) {
    println!("| curve, n | ranked by AICc | true model ranked | median Δ | Δ≤2 | Δ≤6 | Δ≤10 |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for &c in &CURVES {
        for &n in &NS {
            let st = &pool(cells, stats, |&(cc, nn, _)| cc == c && nn == n)[ORACLE];
            let d = &st.true_delta;
            let share = |x: f64| pct(d.iter().filter(|&&v| v <= x).count(), d.len());
            println!(
                "| {}, n = {n} | {} | {} | {:.1} | {} | {} | {} |",
                c.name(),
                pct(st.by_aicc, st.reps),
                pct(d.len(), st.reps),
                median(d),
                share(2.0),
                share(6.0),
                share(10.0)
            );
        }
    }
}
