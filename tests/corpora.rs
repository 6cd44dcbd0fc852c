//! The three corpora of real series (issue 18) are kept apart: the confirmation corpus shares
//! no series with the evaluation corpus, and both are well formed.

#[path = "../examples/shared/corpus.rs"]
mod corpus;

use std::collections::HashSet;

#[test]
fn the_held_out_corpora_are_well_formed_and_share_no_series() {
    let evaluation = corpus::evaluation();
    let confirmation = corpus::confirmation();
    assert_eq!(evaluation.len(), 227);
    assert_eq!(confirmation.len(), 102);
    for (source, s) in evaluation.iter().chain(&confirmation) {
        assert!(!source.is_empty(), "{}: no source", s.name());
        assert!(
            (8..=12).contains(&s.len()),
            "{}: {} points",
            s.name(),
            s.len()
        );
        assert!(s.values().iter().all(|v| *v > 0.0), "{}", s.name());
    }
    let sources = |c: &[(String, growthcast::Series)]| -> HashSet<String> {
        c.iter().map(|(src, _)| src.clone()).collect()
    };
    let (e, c) = (sources(&evaluation), sources(&confirmation));
    assert!(
        e.is_disjoint(&c),
        "shared sources: {:?}",
        e.intersection(&c)
    );
    // No window of one has the same values as a window of the other.
    let key = |s: &growthcast::Series| format!("{:?}", s.values());
    let seen: HashSet<String> = evaluation.iter().map(|(_, s)| key(s)).collect();
    assert!(confirmation.iter().all(|(_, s)| !seen.contains(&key(s))));
}
