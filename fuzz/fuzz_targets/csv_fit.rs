//! Fuzz CSV loading and fitting: any bytes either load into series that fit (or fail) cleanly,
//! or give a typed error; never a panic, never a non-finite estimate.
#![no_main]

use growthcast::{io, model, ErrorModel, Fitter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(groups) = io::read_groups_from(data, "fuzz", std::path::Path::new("fuzz.csv")) else {
        return;
    };
    for s in groups {
        for name in model::MODEL_NAMES {
            for em in [ErrorModel::Additive, ErrorModel::Multiplicative] {
                if let Ok(fit) = Fitter::new(model::by_name(name).unwrap()).error_model(em).fit(&s) {
                    assert!(fit.estimates().iter().all(|v| v.is_finite()), "{fit}");
                    assert!(fit.rss.is_finite());
                    let _ = fit.project(&[2030.0]);
                    let _ = fit.to_string();
                }
            }
        }
    }
});
