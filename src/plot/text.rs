//! Words and numbers on charts: short numbers, tidy formulas, plurals, source notes.

use crate::series::Observation;

/// A number with three significant digits, `1.4e14` style beyond 1e5.
pub(crate) fn short(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let a = v.abs();
    if a == 0.0 {
        return "0".into();
    }
    if (1e-3..1e5).contains(&a) {
        let digits = (2 - a.log10().floor() as i32).max(0) as usize;
        return trim_zeros(format!("{v:.digits$}"));
    }
    let mut e = a.log10().floor() as i32;
    let mut m = v / 10f64.powi(e);
    if (m.abs() * 100.0).round() >= 1000.0 {
        e += 1;
        m /= 10.0;
    }
    format!("{}e{e}", trim_zeros(format!("{m:.2}")))
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Rounds long decimals in a formula (`t - 2023.9972602739726` → `t - 2024.00`).
pub(crate) fn tidy_formula(f: &str) -> String {
    let mut out = String::new();
    let mut num = String::new();
    let flush = |num: &mut String, out: &mut String| {
        if let Some(dot) = num.find('.') {
            if num.len() - dot - 1 > 3 {
                if let Ok(v) = num.parse::<f64>() {
                    out.push_str(&format!("{v:.2}"));
                    num.clear();
                    return;
                }
            }
        }
        out.push_str(num);
        num.clear();
    };
    for c in f.chars() {
        if c.is_ascii_digit() || (c == '.' && !num.is_empty()) {
            num.push(c);
        } else {
            flush(&mut num, &mut out);
            out.push(c);
        }
    }
    flush(&mut num, &mut out);
    out.replace(" * ", "·")
}

pub(crate) fn sources_note(obs: &[Observation]) -> Option<String> {
    let mut s: Vec<&str> = Vec::new();
    for o in obs {
        if let Some(src) = o.source.as_deref() {
            if !s.contains(&src) {
                s.push(src);
            }
        }
    }
    (!s.is_empty()).then(|| format!("Source: {}.", s.join("; ")))
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers() {
        assert_eq!(short(1.4e14), "1.4e14");
        assert_eq!(short(6.02e8), "6.02e8");
        assert_eq!(short(42.8), "42.8");
        assert_eq!(short(9.999e11), "1e12");
        assert_eq!(short(0.5), "0.5");
        assert_eq!(short(f64::NAN), "n/a");
    }

    #[test]
    fn formula_is_tidied() {
        assert_eq!(
            tidy_formula("a + b * (t - 2023.9972602739726)"),
            "a + b·(t - 2024.00)"
        );
    }
}
