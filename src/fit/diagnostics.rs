//! The cautions of a fit, in plain words: parameters the data do not identify, estimates on a
//! bound, ceilings the data do not reach, near-perfect correlations, no degrees of freedom, a
//! solver that stalled.

use super::result::{Solution, Warning, WarningKind};
use super::statistics::Statistics;
use super::Termination;
use crate::model::{Model, Role};
use crate::series::Series;

/// Every caution for a fit, in a fixed order.
pub(crate) fn warnings(
    series: &Series,
    model: &dyn Model,
    s: &Solution,
    st: &Statistics,
) -> Vec<Warning> {
    let mut w = Vec::new();
    if st.singular {
        w.push(Warning {
            kind: WarningKind::NotIdentified,
            parameter: None,
            message:
                "the Jacobian is singular at the optimum: some combination of parameters has no \
                      effect on the fit, so the parameters are not identified by these data"
                    .into(),
        });
    }
    if st.dof == 0 {
        w.push(Warning {
            kind: WarningKind::NoDegreesOfFreedom,
            parameter: None,
            message: format!(
                "no degrees of freedom left ({} binding observation(s) for {} free parameter(s)): \
                 the curve passes through the data and its uncertainty cannot be estimated",
                st.n_binding,
                s.free.len()
            ),
        });
    }
    parameter_warnings(series, st, &mut w);
    inflection_warning(series, model, s, st, &mut w);
    correlation_warnings(s, st, &mut w);
    if s.out.termination == Termination::Stalled {
        w.push(Warning {
            kind: WarningKind::Stalled,
            parameter: None,
            message: "the solver stopped because floating point allowed no further progress; the gradient \
                      vanishes there, so the point is taken as the minimum"
                .into(),
        });
    }
    w
}

/// Per free parameter: not identified (SE above the estimate), on a bound, a ceiling far
/// above the data.
fn parameter_warnings(series: &Series, st: &Statistics, w: &mut Vec<Warning>) {
    let ymax = series
        .observations()
        .iter()
        .map(|o| o.value)
        .fold(f64::NEG_INFINITY, f64::max);
    for p in st.params.iter().filter(|p| !p.fixed) {
        // An infinite standard error is the extreme case (`inf > x`); NaN (no covariance) has
        // its own warning, above.
        if p.std_error > p.estimate.abs() {
            w.push(Warning {
                kind: WarningKind::NotIdentified,
                parameter: Some(p.name.clone()),
                message: format!(
                    "{} is not identified by these data: its standard error ({:.3e}) exceeds the estimate ({:.3e})",
                    p.name, p.std_error, p.estimate
                ),
            });
        }
        if let Some((lo, hi)) = p.bounds {
            let tol = 1e-9 * p.estimate.abs().max(1e-12);
            if (p.estimate - lo).abs() <= tol || (p.estimate - hi).abs() <= tol {
                w.push(Warning {
                    kind: WarningKind::AtBound,
                    parameter: Some(p.name.clone()),
                    message: at_bound_message(p, lo, hi),
                });
            }
        }
        if p.role == Role::Ceiling && p.estimate > 3.0 * ymax {
            w.push(Warning {
                kind: WarningKind::CeilingBeyondData,
                parameter: Some(p.name.clone()),
                message: format!(
                    "the ceiling {} = {:.3e} is {:.1} times the largest observation: the data do not show \
                     saturation, so the ceiling is an extrapolation",
                    p.name,
                    p.estimate,
                    p.estimate / ymax
                ),
            });
        }
    }
}

/// What an estimate on its bound means; for a rate at 0 (the default lower bound of a rate),
/// that the data fall or do not grow, and how to fit a decline.
fn at_bound_message(p: &super::Parameter, lo: f64, hi: f64) -> String {
    if matches!(p.role, Role::Rate | Role::Slope) && lo == 0.0 && p.estimate == 0.0 {
        return format!(
            "{} = 0: the growth rate sits on its lower bound 0 because the data fall or do not grow; \
             the curve is flat at best. Rates are kept at or above 0 by default; to fit a decline, \
             allow it (`Fitter::allow_decline()`, `FitOptions::allow_decline`, or `--allow-decline` \
             on the command line) or give {} bounds of your own",
            p.name, p.name
        );
    }
    format!(
        "{} = {:.6e} sits on its bound [{lo}, {hi}]: the data push it further, and its standard \
         error does not describe that",
        p.name, p.estimate
    )
}

/// A free ceiling whose inflection lies past the data, or with two-sided observations at fewer
/// than two distinct times past it (replicates count once), rests on too little of the
/// saturating part of the curve.
fn inflection_warning(
    series: &Series,
    model: &dyn Model,
    s: &Solution,
    st: &Statistics,
    w: &mut Vec<Warning>,
) {
    let obs = series.observations();
    let t_last = obs[obs.len() - 1].t;
    let (Some((ti, _)), Some(ci)) = (
        model.inflection(&s.estimates),
        st.params
            .iter()
            .position(|p| p.role == Role::Ceiling && !p.fixed),
    ) else {
        return;
    };
    let name = &st.params[ci].name;
    let mut past: Vec<f64> = obs
        .iter()
        .filter(|o| o.t > ti && !o.kind.is_one_sided())
        .map(|o| o.t)
        .collect();
    past.dedup();
    let after = past.len();
    let message = if ti > t_last {
        format!(
            "the data end ({}) before the fitted inflection ({}): the ceiling {name} is weakly determined",
            series.axis().at(t_last),
            series.axis().at(ti),
        )
    } else if after < 2 {
        format!(
            "two-sided observations at only {after} time(s) lie past the fitted inflection ({}): the ceiling {name} \
             rests on too little of the saturating part of the curve to be known",
            series.axis().at(ti),
        )
    } else {
        return;
    };
    if !w.iter().any(|w| w.kind == WarningKind::CeilingBeyondData) {
        w.push(Warning {
            kind: WarningKind::CeilingBeyondData,
            parameter: Some(name.clone()),
            message,
        });
    }
}

/// Pairs of free parameters correlated beyond ±0.995.
fn correlation_warnings(s: &Solution, st: &Statistics, w: &mut Vec<Warning>) {
    let params = &st.params;
    for (a, &i) in s.free.iter().enumerate() {
        for &j in &s.free[a + 1..] {
            let c = st.correlation[i][j];
            if c.abs() > 0.995 {
                w.push(Warning {
                    kind: WarningKind::HighCorrelation,
                    parameter: Some(format!("{},{}", params[i].name, params[j].name)),
                    message: format!(
                        "{} and {} are almost perfectly correlated ({c:.4}): the data fix a combination \
                         of them, not each one",
                        params[i].name, params[j].name
                    ),
                });
            }
        }
    }
}
