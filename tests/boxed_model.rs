//! `Box<dyn Model>` is a model that forwards every method to the boxed one, so that a model
//! chosen at run time (the CLI's `--model`) fits exactly as the concrete one: the block
//! evaluation included, which the solver's hot path uses.

use growthcast::model::{Model, ParamSpec, Role};

const PARAMS: [ParamSpec; 2] = [
    ParamSpec {
        name: "a",
        role: Role::Level,
        meaning: "a",
    },
    ParamSpec {
        name: "b",
        role: Role::Shape,
        meaning: "b",
    },
];

/// A model whose every method answers something no default would: 1 for the point value,
/// 2 for the block value, and so on.
#[derive(Clone, Debug, Default)]
struct Marked {
    anchored: f64,
}

impl Model for Marked {
    fn name(&self) -> &str {
        "marked"
    }
    fn params(&self) -> &[ParamSpec] {
        &PARAMS
    }
    fn formula(&self) -> String {
        format!("anchored at {}", self.anchored)
    }
    fn value(&self, _t: f64, _p: &[f64]) -> f64 {
        1.0
    }
    fn value_and_gradient(&self, _t: f64, _p: &[f64], grad: &mut [f64]) -> f64 {
        grad.fill(10.0);
        1.5
    }
    fn values_and_gradients(&self, _t: &[f64], _p: &[f64], values: &mut [f64], grad: &mut [f64]) {
        values.fill(2.0);
        grad.fill(20.0);
    }
    fn self_start(&self, _t: &[f64], _y: &[f64], _f: &[Option<f64>]) -> Result<Vec<f64>, String> {
        Ok(vec![3.0, 3.0])
    }
    fn anchor(&mut self, times: &[f64]) {
        self.anchored = times[0];
    }
    fn intrinsic_rate(&self, _p: &[f64]) -> Option<f64> {
        Some(4.0)
    }
    fn inflection(&self, _p: &[f64]) -> Option<(f64, f64)> {
        Some((5.0, 5.5))
    }
    fn time_to_reach(&self, _p: &[f64], _level: f64) -> Option<f64> {
        Some(6.0)
    }
    fn ceiling(&self, _p: &[f64]) -> Option<f64> {
        Some(7.0)
    }
    fn param_of(&self, _role: Role) -> Option<usize> {
        Some(8)
    }
}

#[test]
fn every_method_is_forwarded_through_a_box() {
    let mut boxed: Box<dyn Model> = Box::new(Marked::default());
    let m: &mut Box<dyn Model> = &mut boxed; // the `impl Model for Box<dyn Model>`
    let p = [0.0, 0.0];
    assert_eq!(Model::name(m), "marked");
    assert_eq!(Model::params(m).len(), 2);
    Model::anchor(m, &[2024.0]);
    assert_eq!(Model::formula(m), "anchored at 2024");
    assert_eq!(Model::value(m, 0.0, &p), 1.0);
    let mut g = [0.0; 2];
    assert_eq!(Model::value_and_gradient(m, 0.0, &p, &mut g), 1.5);
    assert_eq!(g, [10.0; 2]);
    let (mut v, mut g) = ([0.0; 3], [0.0; 6]);
    Model::values_and_gradients(m, &[0.0; 3], &p, &mut v, &mut g);
    assert_eq!(v, [2.0; 3], "the block path must reach the boxed model");
    assert_eq!(g, [20.0; 6]);
    assert_eq!(Model::self_start(m, &[], &[], &[]).unwrap(), [3.0, 3.0]);
    assert_eq!(Model::intrinsic_rate(m, &p), Some(4.0));
    assert_eq!(Model::inflection(m, &p), Some((5.0, 5.5)));
    assert_eq!(Model::time_to_reach(m, &p, 1.0), Some(6.0));
    assert_eq!(Model::ceiling(m, &p), Some(7.0));
    assert_eq!(Model::param_of(m, Role::Ceiling), Some(8));
}
