//! The trust-region step: Moré's `lmpar` on the normal equations, with an `L D Lᵀ`
//! factorisation and scaled norms.

/// `M = L D Lᵀ` with `L` unit lower triangular: no square roots and one division per pivot,
/// which keeps the chain of dependent divisions in [`lmpar`] short.
#[derive(Clone, Copy)]
struct Ldl<const P: usize> {
    /// Strictly lower part of `L`.
    l: [[f64; P]; P],
    /// `1 / D`.
    dinv: [f64; P],
}

impl<const P: usize> Ldl<P> {
    /// Factorises `m` (symmetric, upper and lower triangles both set); `None` unless it is
    /// positive definite in floating point.
    #[inline(always)]
    fn new(m: &[[f64; P]; P]) -> Option<Self> {
        let mut l = [[0.0; P]; P];
        let mut d = [0.0; P];
        let mut dinv = [0.0; P];
        for j in 0..P {
            // l[j][k] * d[k] for k < j.
            let mut ld = [0.0; P];
            let mut dj = m[j][j];
            for k in 0..j {
                ld[k] = l[j][k] * d[k];
                dj -= ld[k] * l[j][k];
            }
            if !(dj > 0.0) || !dj.is_finite() {
                return None;
            }
            d[j] = dj;
            dinv[j] = 1.0 / dj;
            for i in j + 1..P {
                let mut s = m[i][j];
                for k in 0..j {
                    s -= l[i][k] * ld[k];
                }
                l[i][j] = s * dinv[j];
            }
        }
        Some(Self { l, dinv })
    }

    /// `L z = v`.
    #[inline(always)]
    fn forward(&self, v: &[f64; P]) -> [f64; P] {
        let mut z = *v;
        for i in 0..P {
            for k in 0..i {
                z[i] -= self.l[i][k] * z[k];
            }
        }
        z
    }

    /// Solves `M x = b`.
    #[inline(always)]
    fn solve(&self, b: &[f64; P]) -> [f64; P] {
        let mut x = self.forward(b);
        for i in 0..P {
            x[i] *= self.dinv[i];
        }
        for i in (0..P).rev() {
            for k in i + 1..P {
                x[i] -= self.l[k][i] * x[k];
            }
        }
        x
    }

    /// `‖R⁻ᵀ v‖²` for `M = RᵀR` (`R = D^½ Lᵀ`): `Σ (L⁻¹ v)ᵢ² / Dᵢ`.
    #[inline(always)]
    fn inv_norm2(&self, v: &[f64; P]) -> f64 {
        let z = self.forward(v);
        let mut s = 0.0;
        for i in 0..P {
            s += z[i] * z[i] * self.dinv[i];
        }
        s
    }
}

#[inline(always)]
fn scaled_norm2<const P: usize>(diag: &[f64; P], v: &[f64; P]) -> f64 {
    let mut s = 0.0;
    for j in 0..P {
        let d = diag[j] * v[j];
        s += d * d;
    }
    s
}

#[inline(always)]
pub(super) fn scaled_norm<const P: usize>(diag: &[f64; P], v: &[f64; P]) -> f64 {
    scaled_norm2(diag, v).sqrt()
}

/// Moré's `lmpar` (MINPACK) on the normal equations: finds `par ≥ 0` and the step `δ` with
/// `(A + par D²) δ = b` such that `‖D δ‖` is within 10% of `delta`, or `par = 0` when the
/// Gauss–Newton step lies within `1.1 delta`. `par` holds the previous value on entry (a start
/// for the Newton iteration on `par`). `None` if no factorisation succeeds.
#[inline(always)]
pub(super) fn lmpar<const P: usize>(
    a: &[[f64; P]; P],
    b: &[f64; P],
    diag: &[f64; P],
    delta: f64,
    par: &mut f64,
) -> Option<[f64; P]> {
    let dwarf = f64::MIN_POSITIVE;
    // The Gauss–Newton step, if the normal equations are positive definite.
    let gauss_newton = Ldl::new(a);
    let mut fp = f64::INFINITY;
    let mut parl = 0.0;
    if let Some(f) = &gauss_newton {
        let p = f.solve(b);
        let dx2 = scaled_norm2(diag, &p);
        // ‖D p‖ − Δ ≤ 0.1 Δ, without the square root.
        if dx2 <= 1.21 * delta * delta {
            *par = 0.0;
            return Some(p);
        }
        let dxnorm = dx2.sqrt();
        fp = dxnorm - delta;
        // Lower bound on par from the Newton step at par = 0.
        let mut v = [0.0; P];
        let inv = 1.0 / dxnorm;
        for j in 0..P {
            v[j] = diag[j] * (diag[j] * p[j]) * inv;
        }
        parl = (fp / delta) / f.inv_norm2(&v);
        if !parl.is_finite() {
            parl = 0.0;
        }
    }
    // Upper bound from the scaled gradient.
    let mut gnorm = 0.0;
    for j in 0..P {
        let g = b[j] / diag[j];
        gnorm += g * g;
    }
    let gnorm = gnorm.sqrt();
    let mut paru = gnorm / delta;
    if paru == 0.0 {
        paru = dwarf / delta.min(0.1);
    }
    *par = par.max(parl).min(paru);
    if *par == 0.0 && gauss_newton.is_some() {
        *par = gnorm / (fp + delta);
    }
    let mut best = None;
    for iter in 1..=10 {
        if *par == 0.0 {
            *par = dwarf.max(1e-3 * paru);
        }
        let mut m = *a;
        for j in 0..P {
            m[j][j] += *par * diag[j] * diag[j];
        }
        let Some(f) = Ldl::new(&m) else {
            // Not positive definite in floating point: more damping.
            parl = parl.max(*par);
            *par = (10.0 * *par).max(1e-3 * paru);
            continue;
        };
        let p = f.solve(b);
        best = Some(p);
        let dxnorm = scaled_norm(diag, &p);
        let previous = fp;
        fp = dxnorm - delta;
        if fp.abs() <= 0.1 * delta
            || (parl == 0.0 && fp <= previous && previous < 0.0)
            || iter == 10
            || dxnorm == 0.0
        {
            break;
        }
        // Newton correction.
        let mut v = [0.0; P];
        let inv = 1.0 / dxnorm;
        for j in 0..P {
            v[j] = diag[j] * (diag[j] * p[j]) * inv;
        }
        let parc = (fp / delta) / f.inv_norm2(&v);
        if fp > 0.0 {
            parl = parl.max(*par);
        }
        if fp < 0.0 {
            paru = paru.min(*par);
        }
        *par = parl.max(*par + parc);
    }
    best
}
