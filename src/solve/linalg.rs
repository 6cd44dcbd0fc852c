//! Small dense linear algebra on the normal equations: Cholesky factorisation and solve in
//! fixed-size arrays, and the inverse of a symmetric positive-definite matrix.

/// In-place Cholesky factorisation `m = L Lᵀ` (lower triangle); `false` if not positive definite.
#[inline(always)]
pub(crate) fn cholesky<const P: usize>(m: &mut [[f64; P]; P]) -> bool {
    for j in 0..P {
        let mut d = m[j][j];
        for k in 0..j {
            d -= m[j][k] * m[j][k];
        }
        if !(d > 0.0) || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        m[j][j] = d;
        for i in j + 1..P {
            let mut s = m[i][j];
            for k in 0..j {
                s -= m[i][k] * m[j][k];
            }
            m[i][j] = s / d;
        }
    }
    true
}

/// Solves `L Lᵀ x = b` with the factor from [`cholesky`].
#[inline(always)]
pub(crate) fn cholesky_solve<const P: usize>(l: &[[f64; P]; P], b: &[f64; P]) -> [f64; P] {
    let mut y = *b;
    for i in 0..P {
        for k in 0..i {
            y[i] -= l[i][k] * y[k];
        }
        y[i] /= l[i][i];
    }
    for i in (0..P).rev() {
        for k in i + 1..P {
            y[i] -= l[k][i] * y[k];
        }
        y[i] /= l[i][i];
    }
    y
}

/// Inverse of a symmetric positive-definite matrix (row-major, `p × p`), `None` if singular.
pub(crate) fn spd_inverse(m: &[f64], p: usize) -> Option<Vec<f64>> {
    fn inv<const P: usize>(m: &[f64]) -> Option<Vec<f64>> {
        let mut l = [[0.0; P]; P];
        for i in 0..P {
            l[i].copy_from_slice(&m[i * P..(i + 1) * P]);
        }
        // Scale to unit diagonal first: the inverse of a badly scaled matrix stays accurate.
        let mut sc = [0.0; P];
        for i in 0..P {
            if !(l[i][i] > 0.0) {
                return None;
            }
            sc[i] = 1.0 / l[i][i].sqrt();
        }
        for i in 0..P {
            for j in 0..P {
                l[i][j] *= sc[i] * sc[j];
            }
        }
        if !cholesky(&mut l) {
            return None;
        }
        // Refuse numerically singular matrices (condition number beyond ~1e14).
        let (dmin, dmax) = (0..P).fold((f64::INFINITY, 0.0f64), |(lo, hi), i| {
            (lo.min(l[i][i]), hi.max(l[i][i]))
        });
        if dmin / dmax < 1e-7 {
            return None;
        }
        let mut out = vec![0.0; P * P];
        for j in 0..P {
            let mut e = [0.0; P];
            e[j] = 1.0;
            let col = cholesky_solve(&l, &e);
            for i in 0..P {
                out[i * P + j] = col[i] * sc[i] * sc[j];
            }
        }
        Some(out)
    }
    match p {
        0 => Some(Vec::new()),
        1..=crate::model::MAX_PARAMS => super::by_size!(p, inv::<_>(m)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_and_inverts() {
        let m = [[4.0, 2.0, 0.6], [2.0, 5.0, 1.0], [0.6, 1.0, 3.0]];
        let mut l = m;
        assert!(cholesky(&mut l));
        let x = cholesky_solve(&l, &[1.0, 2.0, 3.0]);
        for i in 0..3 {
            let r: f64 = (0..3).map(|k| m[i][k] * x[k]).sum();
            approx::assert_relative_eq!(r, [1.0, 2.0, 3.0][i], max_relative = 1e-14);
        }
        let flat: Vec<f64> = m.iter().flatten().copied().collect();
        let inv = spd_inverse(&flat, 3).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let r: f64 = (0..3).map(|k| m[i][k] * inv[k * 3 + j]).sum();
                approx::assert_abs_diff_eq!(r, if i == j { 1.0 } else { 0.0 }, epsilon = 1e-14);
            }
        }
        assert!(spd_inverse(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
    }
}
