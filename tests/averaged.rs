//! The model average survives a member that is not a number on its scale (issue 18, item 5):
//! a curve at or below 0 on the log scale, or a NaN band, is left out with a warning instead of
//! turning every averaged value into 0 or NaN.

use growthcast::compare;
use growthcast::fit::FitSpec;
use growthcast::{Exponential, Fitter, Linear, Series, WarningKind};

#[test]
fn a_member_that_goes_below_zero_is_left_out_of_the_average_and_named() {
    // A falling series: the declining linear fit crosses 0 within the horizon, where its
    // logarithm (the averaging scale) is undefined.
    let s = Series::from_years(
        "falling",
        &[
            (2020.0, 100.0),
            (2021.0, 79.0),
            (2022.0, 61.0),
            (2023.0, 46.0),
            (2024.0, 31.0),
        ],
    )
    .unwrap();
    let specs: Vec<Box<dyn FitSpec>> = vec![
        Box::new(Fitter::new(Exponential::new()).allow_decline()),
        Box::new(Fitter::new(Linear::new()).allow_decline()),
    ];
    let c = compare::compare(&s, &specs);
    let times = [2025.0, 2028.0];
    let lin = c.candidates[1].fit.as_ref().unwrap();
    assert!(
        lin.value_at(2028.0) < 0.0,
        "the linear member must cross zero"
    );
    assert!(c.ranking.iter().all(|r| r.weight > 0.0));
    let avg = c.averaged(&times).expect("the exponential is usable");
    let exp = c.candidates[0].fit.as_ref().unwrap();
    for (q, &t) in avg.points.iter().zip(&times) {
        assert!(
            q.value.is_finite() && q.conf_lower > 0.0 && q.conf_upper.is_finite(),
            "{q:?}"
        );
        // The one member left carries all the weight: the average is its curve.
        assert!((q.value / exp.value_at(t) - 1.0).abs() < 1e-12, "{q:?}");
    }
    let w = avg
        .warnings
        .iter()
        .find(|w| {
            w.kind == WarningKind::NotPositive && w.message.contains("left out of the average")
        })
        .expect("a warning names the member left out");
    assert!(w.message.contains("linear"), "{}", w.message);
}
