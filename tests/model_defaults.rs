//! What a model that implements only the required methods gets from the trait: its ceiling
//! and its intrinsic rate come from the roles of its parameters.

use growthcast::model::{Model, ParamSpec, Role};

/// `K · r · t + t0`, with its parameter table given at construction; only the required
/// methods are implemented.
#[derive(Clone, Debug)]
struct Plain(&'static [ParamSpec]);

impl Model for Plain {
    fn name(&self) -> &str {
        "plain"
    }
    fn params(&self) -> &[ParamSpec] {
        self.0
    }
    fn formula(&self) -> String {
        "K * r * t + t0".into()
    }
    fn value(&self, t: f64, p: &[f64]) -> f64 {
        p[0] * p[1] * t + p[2]
    }
    fn self_start(&self, _t: &[f64], _y: &[f64], _f: &[Option<f64>]) -> Result<Vec<f64>, String> {
        Err("no start".into())
    }
    fn time_to_reach(&self, _p: &[f64], _level: f64) -> Option<f64> {
        None
    }
}

const ONE_RATE: [ParamSpec; 3] = [
    ParamSpec::new("t0", Role::Time, "launch"),
    ParamSpec::new("K", Role::Ceiling, "ceiling"),
    ParamSpec::new("r", Role::Rate, "rate"),
];

const TWO_RATES: [ParamSpec; 3] = [
    ParamSpec::new("p", Role::Rate, "innovation"),
    ParamSpec::new("q", Role::Rate, "imitation"),
    ParamSpec::new("a", Role::Level, "level"),
];

#[test]
fn ceiling_and_rate_come_from_the_roles() {
    let p = [2020.0, 500.0, 0.3];
    let m = Plain(&ONE_RATE);
    assert_eq!(m.ceiling(&p), Some(500.0));
    assert_eq!(m.intrinsic_rate(&p), Some(0.3));
    assert_eq!(m.inflection(&p), None);
}

#[test]
fn two_rates_make_no_intrinsic_rate_and_no_ceiling_role_no_ceiling() {
    let m = Plain(&TWO_RATES);
    let p = [0.01, 0.4, 7.0];
    assert_eq!(m.intrinsic_rate(&p), None);
    assert_eq!(m.ceiling(&p), None);
}

#[test]
fn param_spec_new_is_the_struct() {
    let s = ParamSpec::new("K", Role::Ceiling, "ceiling");
    assert_eq!(
        s,
        ParamSpec {
            name: "K",
            role: Role::Ceiling,
            meaning: "ceiling"
        }
    );
}
