//! The histogram scene: bins and counts against counts made by hand.

use approx::assert_relative_eq;

use super::{bins_of, histogram_scene, Distribution, DistributionGroup, HistScene, MAX_BINS};
use crate::plot::ChartSpec;

fn rates(label: &str, values: &[f64]) -> DistributionGroup {
    DistributionGroup::new(label, "r", "1/day", values.to_vec())
}

fn scene(groups: Vec<DistributionGroup>) -> HistScene {
    let n = groups.iter().map(|g| g.values.len()).sum();
    let mut d = Distribution::new("growth rates", "cultures", n);
    d.groups = groups;
    histogram_scene(&d, &ChartSpec::new())
}

fn assert_edges(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for (g, w) in got.iter().zip(want) {
        assert_relative_eq!(*g, *w, epsilon = 1e-12);
    }
}

/// 1..8: quartiles (type 7) 2.75 and 6.25, IQR 3.5, Freedman–Diaconis width 2·3.5/∛8 = 3.5,
/// rounded to 2.5 (3.5/2.5 = 1.4 < 5/3.5): bins [0, 2.5) holds 1, 2; [2.5, 5) 3, 4; [5, 7.5)
/// 5, 6, 7; [7.5, 10] 8.
#[test]
fn freedman_diaconis_bins_count_what_a_hand_count_gives() {
    let sc = scene(vec![rates(
        "logistic",
        &[3.0, 1.0, 8.0, 2.0, 5.0, 7.0, 4.0, 6.0],
    )]);
    let p = &sc.panels[0];
    assert_edges(&p.bins.edges, &[0.0, 2.5, 5.0, 7.5, 10.0]);
    assert_eq!(p.counts, [2, 2, 3, 1]);
    assert!(!p.bins.log);
    assert_eq!((p.below, p.above), (0, 0));
    assert_relative_eq!(p.median.unwrap(), 4.5);
    assert!(
        p.title.starts_with("logistic: 8 series, median 4.5 1/day"),
        "{}",
        p.title
    );
    assert!(p.title.ends_with("bins 2.5 1/day wide"), "{}", p.title);
    assert_eq!(p.x_desc, "r (1/day)");
    assert!(sc.caption.is_empty(), "{:?}", sc.caption);
    assert_eq!(
        sc.title,
        "cultures: growth rates of the chosen models across 8 series"
    );
    assert!(
        sc.subtitle[0].contains("Freedman–Diaconis"),
        "{:?}",
        sc.subtitle
    );
}

/// With a far outlier: 1..8 and 50; quartiles 3 and 7 (IQR 4), fences -9 and 19, so 50 is out;
/// width 2·4/∛8 = 4 rounded to 5 over 1..8: [0, 5), [5, 10].
#[test]
fn a_far_outlier_is_outside_the_range_and_counted() {
    let sc = scene(vec![rates(
        "logistic",
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 50.0],
    )]);
    let p = &sc.panels[0];
    assert_edges(&p.bins.edges, &[0.0, 5.0, 10.0]);
    assert_eq!(p.counts, [4, 4]);
    assert_eq!((p.below, p.above), (0, 1));
    let cap = sc.caption.join(" ");
    assert!(
        cap.contains("1 series of logistic outside the plotted range (0 below 0, 1 above 10;"),
        "{cap}"
    );
}

/// Negative rates (a decline): sorted -0.3, 0.1, 0.2, 0.25, 0.4, 0.45, 0.6, 0.7; quartiles
/// 0.175 and 0.4875, IQR 0.3125, width 2·0.3125/2 = 0.3125 rounded to 0.25, edges on its
/// multiples from -0.5: [-0.5, -0.25) holds -0.3, [-0.25, 0) nothing, [0, 0.25) 0.1 and 0.2,
/// [0.25, 0.5) 0.25 (on the edge: bins are closed below), 0.4 and 0.45, [0.5, 0.75] 0.6, 0.7.
#[test]
fn a_negative_rate_is_binned_on_a_linear_axis() {
    let sc = scene(vec![rates(
        "exponential",
        &[0.1, -0.3, 0.2, 0.25, 0.4, 0.45, 0.6, 0.7],
    )]);
    let p = &sc.panels[0];
    assert!(!p.bins.log);
    assert_edges(&p.bins.edges, &[-0.5, -0.25, 0.0, 0.25, 0.5, 0.75]);
    assert_eq!(p.counts, [1, 0, 2, 3, 2]);
}

/// NaN and infinities are not drawn and the caption counts them; one finite value gets one bin
/// a tenth of it wide (0.042 rounded up to 0.05), centred on it.
#[test]
fn non_finite_values_are_counted_in_the_caption_and_one_series_gets_one_bin() {
    let sc = scene(vec![rates(
        "gompertz",
        &[f64::NAN, 0.42, f64::INFINITY, f64::NEG_INFINITY],
    )]);
    let p = &sc.panels[0];
    assert_edges(&p.bins.edges, &[0.395, 0.445]);
    assert_eq!(p.counts, [1]);
    assert!(
        p.title.starts_with("gompertz: 1 series, median 0.42"),
        "{}",
        p.title
    );
    let cap = sc.caption.join(" ");
    assert!(cap.contains("3 series of gompertz: r not finite"), "{cap}");
    assert!(sc.subtitle[0].contains("all values equal: one bin"));
}

/// All equal: one bin centred on them, a tenth of the value wide (0.2); zeros get a unit bin.
#[test]
fn equal_values_share_one_bin() {
    let p = &scene(vec![rates("linear", &[2.0; 5])]).panels[0];
    assert_edges(&p.bins.edges, &[1.9, 2.1]);
    assert_eq!(p.counts, [5]);
    let p = &scene(vec![rates("linear", &[0.0; 3])]).panels[0];
    assert_edges(&p.bins.edges, &[-0.5, 0.5]);
    assert_eq!(p.counts, [3]);
}

/// Ceilings spanning four decades are binned on log10: 1..5 have quartiles 2 and 4, width
/// 2·2/∛5 = 2.34 rounded to 2.5 decades: [0, 2.5) holds 10 and 100, [2.5, 5) 1e3 and 1e4,
/// [5, 7.5] 1e5.
#[test]
fn values_spanning_decades_are_binned_on_a_log_scale() {
    let g = DistributionGroup::new("logistic", "K", "g", vec![1e3, 10.0, 1e5, 100.0, 1e4]);
    let p = &scene(vec![g]).panels[0];
    assert!(p.bins.log);
    assert_edges(&p.bins.edges, &[0.0, 2.5, 5.0, 7.5]);
    assert_eq!(p.counts, [2, 2, 1]);
    assert_relative_eq!(p.median.unwrap(), 3.0);
    assert_eq!(p.x_desc, "K (g), log scale");
    assert!(p.title.ends_with("bins 2.5 decade wide"), "{}", p.title);
}

/// Groups of one unit share their bins (from their pooled values); a group in another unit gets
/// its own; the counts of each are its own.
#[test]
fn panels_of_one_unit_share_bins() {
    let sc = scene(vec![
        rates("logistic", &[1.0, 2.0, 3.0, 4.0]),
        rates("gompertz", &[5.0, 6.0, 7.0, 8.0]),
        DistributionGroup::new("linear", "b", "g per day", vec![100.0, 250.0]),
    ]);
    assert_eq!(sc.panels.len(), 3);
    // Pooled 1..8: the bins of the first test.
    assert_edges(&sc.panels[0].bins.edges, &[0.0, 2.5, 5.0, 7.5, 10.0]);
    assert_eq!(sc.panels[0].bins, sc.panels[1].bins);
    assert_eq!(sc.panels[0].counts, [2, 2, 0, 0]);
    assert_eq!(sc.panels[1].counts, [0, 0, 3, 1]);
    // 100 and 250: IQR 75, width 2·75/∛2 = 119.1 rounded to 100: [100, 200), [200, 300].
    assert_edges(&sc.panels[2].bins.edges, &[100.0, 200.0, 300.0]);
    assert_eq!(sc.panels[2].counts, [1, 1]);
    assert!(sc.subtitle[0].contains("panels in one unit share"));
}

/// Every finite value inside the edges is in exactly one bin, the bins never pass the cap, and
/// a group with no finite value gets no panel, only its note; the series left out are listed.
#[test]
fn counts_add_up_and_bins_are_capped() {
    let values: Vec<f64> = (0..500)
        .map(|i| (i as f64 * 0.37).sin() * 3.0 + i as f64 * 0.01)
        .collect();
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    let b = bins_of(&sorted, false);
    assert!(b.edges.len() - 1 <= MAX_BINS);
    let direct: Vec<usize> = (0..b.edges.len() - 1)
        .map(|i| {
            let last = i + 2 == b.edges.len();
            values
                .iter()
                .filter(|&&v| {
                    v >= b.edges[i] && (v < b.edges[i + 1] || (last && v == b.edges[i + 1]))
                })
                .count()
        })
        .collect();
    let mut d = Distribution::new("growth rates", "f", 504)
        .group(rates("logistic", &values))
        .group(DistributionGroup::new(
            "richards",
            "r",
            "1/year",
            vec![f64::NAN],
        ))
        .left_out(3, "no model fitted")
        .left_out(0, "never said");
    let sc = histogram_scene(&d, &ChartSpec::new());
    assert_eq!(sc.panels.len(), 1);
    let p = &sc.panels[0];
    assert_eq!(p.counts, direct);
    assert_eq!(p.counts.iter().sum::<usize>() + p.below + p.above, 500);
    let cap = sc.caption.join(" ");
    assert!(
        cap.starts_with("Not drawn: 3 series: no model fitted; 1 series of richards: r not finite"),
        "{cap}"
    );
    assert!(!cap.contains("never said"));
    d.groups.truncate(0);
    assert!(histogram_scene(&d, &ChartSpec::new()).panels.is_empty());
}
