//! The report's first lines: one per series, the answer before the details.

use super::claims::{verdict_words, ClaimRow};
use super::series::SeriesWork;

/// The heading of the lead block.
pub(super) const HEADING: &str = "==== In one line per series (the details follow) ====";

/// One series in one line: the recommended value and band at the horizon, the models at its
/// edges, what a known ceiling does to it, and the verdicts on the documents' claims.
pub(super) fn series_line(w: &SeriesWork, claims: &[ClaimRow], horizon: f64) -> String {
    let s = &w.series;
    let unit = if s.unit().is_empty() {
        String::new()
    } else {
        format!(" {}", s.unit())
    };
    let mut line = format!("{}: ", s.name());
    match w
        .recommended
        .as_ref()
        .and_then(|r| Some((r, r.projection.points.last()?)))
    {
        Some((r, q)) => {
            let edge = |ids: &[crate::compare::CandidateId]| {
                ids.last()
                    .and_then(|&id| r.label_of(id))
                    .unwrap_or("?")
                    .to_string()
            };
            let drift = r.members.first().and_then(|m| m.drift.as_ref());
            let figure = match drift {
                Some(d) => format!(
                    "the figure itself, with growth rates drifting as real ones do ({})",
                    d.brief()
                ),
                None => "the figure itself (no growth-rate drift for this time axis)".to_string(),
            };
            line.push_str(&format!(
                "{} {:.3e}{unit}, {:.0}% band [{:.3e}, {:.3e}] (low edge {}, high edge {}; {} plausible model(s)); {figure}: [{:.3e}, {:.3e}]",
                s.axis().at(q.t),
                q.value,
                r.projection.level * 100.0,
                q.conf_lower,
                q.conf_upper,
                edge(&r.low_edge),
                edge(&r.high_edge),
                r.members.len(),
                q.pred_lower,
                q.pred_upper,
            ));
            let trust = match r.point_trust.reasons.first() {
                None => "trusted".to_string(),
                Some(why) => format!("not trusted ({why})"),
            };
            line.push_str(&format!(
                "; its point path, {}, is {trust}",
                r.label_of(r.point).unwrap_or("?")
            ));
            if let Some(n) = &w.narrowing {
                line.push_str(&format!(
                    "; knowing {} leaves {:.0}% of the band's width",
                    n.fact.describe(),
                    100.0 * n.width_ratio()
                ));
            }
        }
        None => line.push_str(&format!(
            "no band for {}: with {} point(s) no model keeps a degree of freedom",
            s.axis().at(horizon),
            s.len()
        )),
    }
    if !claims.is_empty() {
        let said: Vec<String> = claims
            .iter()
            .map(|c| format!("\"{}\" {}", short_claim(&c.claim), verdict_words(c.verdict)))
            .collect();
        line.push_str(&format!("; claims: {}", said.join(", ")));
    }
    line
}

/// The English gloss of a claim when it has one in parentheses at its end, else the claim.
fn short_claim(claim: &str) -> &str {
    match (claim.rfind('('), claim.ends_with(')')) {
        (Some(i), true) => &claim[i + 1..claim.len() - 1],
        _ => claim,
    }
}

#[cfg(test)]
mod tests {
    use super::short_claim;

    #[test]
    fn a_claim_is_shortened_to_its_gloss() {
        assert_eq!(
            short_claim("一年半时间增长300多倍 (more than 300x in 1.5 years)"),
            "more than 300x in 1.5 years"
        );
        assert_eq!(short_claim("CAGR 12.8%"), "CAGR 12.8%");
    }
}
