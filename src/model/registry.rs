//! The built-in models by name: [`Builtin`], one variant per model, for command lines, files
//! and anything else that names a model with a string.

use std::fmt;
use std::str::FromStr;

use super::{bass, richards, Exponential, Gompertz, Linear, Logistic, Model};

/// A built-in growth model, named.
///
/// Parses (case-insensitive, surrounding spaces ignored) from its [`name`](Builtin::name) or
/// the alias `exp` for the exponential; displays as its name. With the `cli` feature it is a
/// `clap::ValueEnum`, so a command line can take it as a typed value.
///
/// ```
/// use growthcast::model::Builtin;
/// let b: Builtin = "Logistic".parse().unwrap();
/// assert_eq!(b, Builtin::Logistic);
/// assert_eq!(b.model().name(), "logistic");
/// assert!("cubic".parse::<Builtin>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Builtin {
    /// `y0 · exp(r (t − t0))`: constant relative growth.
    #[cfg_attr(feature = "cli", value(alias = "exp"))]
    Exponential,
    /// `K / (1 + exp(−r (t − tm)))`: S-curve, symmetric about its inflection.
    Logistic,
    /// `K · exp(−exp(−r (t − tm)))`: S-curve that slows earlier than the logistic.
    Gompertz,
    /// `a + b (t − t0)`: constant absolute growth.
    Linear,
    /// Generalised logistic with a shape parameter `nu` (logistic at `nu = 1`).
    Richards,
    /// Bass diffusion: adoption by innovation `p` and imitation `q` up to a market size `m`.
    Bass,
}

impl Builtin {
    /// Every built-in model, in the order the command line and reports list them.
    pub const ALL: [Builtin; 6] = [
        Builtin::Exponential,
        Builtin::Logistic,
        Builtin::Gompertz,
        Builtin::Linear,
        Builtin::Richards,
        Builtin::Bass,
    ];

    /// The model's short lowercase name, as [`Model::name`] gives it (`"logistic"`).
    pub const fn name(self) -> &'static str {
        match self {
            Builtin::Exponential => "exponential",
            Builtin::Logistic => "logistic",
            Builtin::Gompertz => "gompertz",
            Builtin::Linear => "linear",
            Builtin::Richards => "richards",
            Builtin::Bass => "bass",
        }
    }

    /// A fresh instance of the model, with its default reference time where it has one.
    pub fn model(self) -> Box<dyn Model> {
        match self {
            Builtin::Exponential => Box::new(Exponential::new()),
            Builtin::Logistic => Box::new(Logistic),
            Builtin::Gompertz => Box::new(Gompertz),
            Builtin::Linear => Box::new(Linear::new()),
            Builtin::Richards => Box::new(richards()),
            Builtin::Bass => Box::new(bass()),
        }
    }
}

impl fmt::Display for Builtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no built-in model; its message lists the names there are.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown model `{name}`: choose one of exponential (or exp), logistic, gompertz, linear, richards or bass")]
pub struct UnknownModel {
    /// The name given.
    pub name: String,
}

impl FromStr for Builtin {
    type Err = UnknownModel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        if wanted == "exp" {
            return Ok(Builtin::Exponential);
        }
        Builtin::ALL
            .into_iter()
            .find(|b| b.name() == wanted)
            .ok_or_else(|| UnknownModel {
                name: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_names_its_model() {
        for b in Builtin::ALL {
            assert_eq!(b.to_string().parse::<Builtin>(), Ok(b));
            assert_eq!(b.model().name(), b.name(), "{b:?}");
            assert_eq!(b.name().to_uppercase().parse::<Builtin>(), Ok(b));
        }
    }

    /// Parameters, data times and a level the curve reaches there, for each model.
    fn probe(b: Builtin) -> (&'static [f64], &'static [f64], f64) {
        match b {
            Builtin::Exponential => (&[1e11, 3.4], &[2023.0, 2024.0, 2026.5], 5e12),
            Builtin::Logistic => (&[1000.0, 1.2, 5.0], &[0.0, 4.0, 5.0, 9.5], 800.0),
            Builtin::Gompertz => (&[500.0, 0.6, 2014.0], &[2010.0, 2014.0, 2021.0], 400.0),
            Builtin::Linear => (&[10.0, 2.5], &[2018.0, 2022.0], 20.0),
            Builtin::Richards => (
                &[1000.0, 1.2, 2015.0, 0.5],
                &[2010.0, 2015.0, 2020.0],
                800.0,
            ),
            Builtin::Bass => (&[1e6, 0.03, 0.4, 2010.0], &[2011.0, 2015.0, 2025.0], 5e5),
        }
    }

    /// Every model, anchored on its data times: the analytic gradient matches differences and
    /// `time_to_reach` inverts `value`.
    #[test]
    fn every_model_has_a_true_gradient_and_inverse() {
        for b in Builtin::ALL {
            let (p, times, level) = probe(b);
            let mut m = b.model();
            m.anchor(times);
            crate::model::check_gradient(&m, p, times, 1e-6).unwrap();
            let t = m
                .time_to_reach(p, level)
                .unwrap_or_else(|| panic!("{b}: {level}"));
            approx::assert_relative_eq!(m.value(t, p), level, max_relative = 1e-12);
        }
    }

    #[test]
    fn aliases_case_and_spaces() {
        assert_eq!("exp".parse::<Builtin>(), Ok(Builtin::Exponential));
        assert_eq!(" EXP ".parse::<Builtin>(), Ok(Builtin::Exponential));
        assert_eq!("Gompertz\n".parse::<Builtin>(), Ok(Builtin::Gompertz));
    }

    #[test]
    fn unknown_names_are_an_error_that_lists_the_models() {
        for bad in ["cubic", "", "logist", "expo", "richards2"] {
            let e = bad.parse::<Builtin>().unwrap_err();
            assert_eq!(e.name, bad);
            let msg = e.to_string();
            assert!(msg.contains(&format!("unknown model `{bad}`")), "{msg}");
            for b in Builtin::ALL {
                assert!(msg.contains(b.name()), "{msg} lacks {b}");
            }
        }
    }

    #[test]
    fn all_holds_every_variant_once() {
        let mut names: Vec<&str> = Builtin::ALL.iter().map(|b| b.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Builtin::ALL.len());
    }

    #[cfg(feature = "cli")]
    #[test]
    fn clap_value_enum_agrees_with_from_str() {
        use clap::ValueEnum;
        assert_eq!(Builtin::value_variants(), &Builtin::ALL);
        for b in Builtin::ALL {
            let pv = b.to_possible_value().expect("not skipped");
            assert_eq!(pv.get_name(), b.name());
        }
        assert_eq!(
            <Builtin as ValueEnum>::from_str("EXP", true),
            Ok(Builtin::Exponential)
        );
    }
}
