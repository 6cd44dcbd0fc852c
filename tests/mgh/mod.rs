//! Moré, Garbow & Hillstrom (1981), "Testing unconstrained optimization software", ACM TOMS 7:
//! the least-squares test problems that fit a scalar-input model. Residual `i` (0-based) is
//! `r_i(x)`; the known minima `f* = Σ r_i²` are the paper's (and MINPACK's test suite's).
#![allow(dead_code)]

use std::f64::consts::PI;

/// One test problem.
#[derive(Debug)]
pub(crate) struct Problem {
    pub(crate) name: &'static str,
    /// Number of residuals.
    pub(crate) m: usize,
    /// Standard starting point.
    pub(crate) x0: &'static [f64],
    /// Known minimum of the sum of squares.
    pub(crate) fmin: f64,
    /// Residual `i` at `x`.
    pub(crate) r: fn(usize, &[f64]) -> f64,
    /// Gradient of residual `i` at `x`, into `g`.
    pub(crate) dr: fn(usize, &[f64], &mut [f64]),
}

impl Problem {
    pub(crate) fn n(&self) -> usize {
        self.x0.len()
    }
    pub(crate) fn rss(&self, x: &[f64]) -> f64 {
        (0..self.m).map(|i| (self.r)(i, x).powi(2)).sum()
    }
    /// Does `rss` reach the known minimum? Six significant digits, or below 1e-10 for zero
    /// minima.
    pub(crate) fn solved(&self, rss: f64) -> bool {
        if self.fmin == 0.0 {
            rss <= 1e-10
        } else {
            ((rss - self.fmin) / self.fmin).abs() <= 5e-6
        }
    }
}

const BARD_Y: [f64; 15] = [
    0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39,
];
const GAUSS_Y: [f64; 15] = [
    0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989, 0.3521, 0.2420, 0.1295, 0.0540,
    0.0175, 0.0044, 0.0009,
];
const MEYER_Y: [f64; 16] = [
    34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0, 11540.0, 9744.0, 8261.0, 7030.0, 6005.0,
    5147.0, 4427.0, 3820.0, 3307.0, 2872.0,
];
const KOW_Y: [f64; 11] = [
    0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246,
];
const KOW_U: [f64; 11] = [
    4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625,
];
const OSB_Y: [f64; 33] = [
    0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751, 0.718, 0.685,
    0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490, 0.478, 0.467, 0.457, 0.448,
    0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406,
];

fn helical_theta(x1: f64, x2: f64) -> f64 {
    let t = (x2 / x1).atan() / (2.0 * PI);
    if x1 < 0.0 {
        t + 0.5
    } else {
        t
    }
}

pub(crate) fn problems() -> Vec<Problem> {
    vec![
        Problem {
            name: "Rosenbrock",
            m: 2,
            x0: &[-1.2, 1.0],
            fmin: 0.0,
            r: |i, x| match i {
                0 => 10.0 * (x[1] - x[0] * x[0]),
                _ => 1.0 - x[0],
            },
            dr: |i, x, g| match i {
                0 => {
                    g[0] = -20.0 * x[0];
                    g[1] = 10.0;
                }
                _ => {
                    g[0] = -1.0;
                    g[1] = 0.0;
                }
            },
        },
        Problem {
            name: "Freudenstein-Roth",
            m: 2,
            x0: &[0.5, -2.0],
            fmin: 0.0,
            r: |i, x| match i {
                0 => -13.0 + x[0] + ((5.0 - x[1]) * x[1] - 2.0) * x[1],
                _ => -29.0 + x[0] + ((x[1] + 1.0) * x[1] - 14.0) * x[1],
            },
            dr: |i, x, g| {
                g[0] = 1.0;
                g[1] = match i {
                    0 => 10.0 * x[1] - 3.0 * x[1] * x[1] - 2.0,
                    _ => 3.0 * x[1] * x[1] + 2.0 * x[1] - 14.0,
                };
            },
        },
        Problem {
            name: "Powell badly scaled",
            m: 2,
            x0: &[0.0, 1.0],
            fmin: 0.0,
            r: |i, x| match i {
                0 => 1e4 * x[0] * x[1] - 1.0,
                _ => (-x[0]).exp() + (-x[1]).exp() - 1.0001,
            },
            dr: |i, x, g| match i {
                0 => {
                    g[0] = 1e4 * x[1];
                    g[1] = 1e4 * x[0];
                }
                _ => {
                    g[0] = -(-x[0]).exp();
                    g[1] = -(-x[1]).exp();
                }
            },
        },
        Problem {
            name: "Brown badly scaled",
            m: 3,
            x0: &[1.0, 1.0],
            fmin: 0.0,
            r: |i, x| match i {
                0 => x[0] - 1e6,
                1 => x[1] - 2e-6,
                _ => x[0] * x[1] - 2.0,
            },
            dr: |i, x, g| match i {
                0 => {
                    g[0] = 1.0;
                    g[1] = 0.0;
                }
                1 => {
                    g[0] = 0.0;
                    g[1] = 1.0;
                }
                _ => {
                    g[0] = x[1];
                    g[1] = x[0];
                }
            },
        },
        Problem {
            name: "Beale",
            m: 3,
            x0: &[1.0, 1.0],
            fmin: 0.0,
            r: |i, x| [1.5, 2.25, 2.625][i] - x[0] * (1.0 - x[1].powi(i as i32 + 1)),
            dr: |i, x, g| {
                let k = i as i32 + 1;
                g[0] = -(1.0 - x[1].powi(k));
                g[1] = x[0] * f64::from(k) * x[1].powi(k - 1);
            },
        },
        Problem {
            name: "Jennrich-Sampson",
            m: 10,
            x0: &[0.3, 0.4],
            fmin: 124.362182,
            r: |i, x| {
                let k = (i + 1) as f64;
                2.0 + 2.0 * k - ((k * x[0]).exp() + (k * x[1]).exp())
            },
            dr: |i, x, g| {
                let k = (i + 1) as f64;
                g[0] = -k * (k * x[0]).exp();
                g[1] = -k * (k * x[1]).exp();
            },
        },
        Problem {
            name: "Helical valley",
            m: 3,
            x0: &[-1.0, 0.0, 0.0],
            fmin: 0.0,
            r: |i, x| match i {
                0 => 10.0 * (x[2] - 10.0 * helical_theta(x[0], x[1])),
                1 => 10.0 * ((x[0] * x[0] + x[1] * x[1]).sqrt() - 1.0),
                _ => x[2],
            },
            dr: |i, x, g| {
                let s2 = x[0] * x[0] + x[1] * x[1];
                match i {
                    0 => {
                        let c = 100.0 / (2.0 * PI * s2);
                        g[0] = c * x[1];
                        g[1] = -c * x[0];
                        g[2] = 10.0;
                    }
                    1 => {
                        let s = s2.sqrt();
                        g[0] = 10.0 * x[0] / s;
                        g[1] = 10.0 * x[1] / s;
                        g[2] = 0.0;
                    }
                    _ => {
                        g[0] = 0.0;
                        g[1] = 0.0;
                        g[2] = 1.0;
                    }
                }
            },
        },
        Problem {
            name: "Bard",
            m: 15,
            x0: &[1.0, 1.0, 1.0],
            fmin: 8.21487e-3,
            r: |i, x| {
                let u = (i + 1) as f64;
                let v = 16.0 - u;
                let w = u.min(v);
                BARD_Y[i] - (x[0] + u / (v * x[1] + w * x[2]))
            },
            dr: |i, x, g| {
                let u = (i + 1) as f64;
                let v = 16.0 - u;
                let w = u.min(v);
                let d = v * x[1] + w * x[2];
                g[0] = -1.0;
                g[1] = u * v / (d * d);
                g[2] = u * w / (d * d);
            },
        },
        Problem {
            name: "Gaussian",
            m: 15,
            x0: &[0.4, 1.0, 0.0],
            fmin: 1.12793e-8,
            r: |i, x| {
                let t = (7.0 - i as f64) / 2.0;
                x[0] * (-x[1] * (t - x[2]).powi(2) / 2.0).exp() - GAUSS_Y[i]
            },
            dr: |i, x, g| {
                let t = (7.0 - i as f64) / 2.0;
                let d = t - x[2];
                let e = (-x[1] * d * d / 2.0).exp();
                g[0] = e;
                g[1] = -x[0] * e * d * d / 2.0;
                g[2] = x[0] * e * x[1] * d;
            },
        },
        Problem {
            name: "Meyer",
            m: 16,
            x0: &[0.02, 4000.0, 250.0],
            fmin: 87.9458,
            r: |i, x| {
                let t = 45.0 + 5.0 * (i + 1) as f64;
                x[0] * (x[1] / (t + x[2])).exp() - MEYER_Y[i]
            },
            dr: |i, x, g| {
                let t = 45.0 + 5.0 * (i + 1) as f64;
                let d = t + x[2];
                let e = (x[1] / d).exp();
                g[0] = e;
                g[1] = x[0] * e / d;
                g[2] = -x[0] * e * x[1] / (d * d);
            },
        },
        Problem {
            name: "Box 3-D",
            m: 10,
            x0: &[0.0, 10.0, 20.0],
            fmin: 0.0,
            r: |i, x| {
                let t = 0.1 * (i + 1) as f64;
                (-t * x[0]).exp() - (-t * x[1]).exp() - x[2] * ((-t).exp() - (-10.0 * t).exp())
            },
            dr: |i, x, g| {
                let t = 0.1 * (i + 1) as f64;
                g[0] = -t * (-t * x[0]).exp();
                g[1] = t * (-t * x[1]).exp();
                g[2] = -((-t).exp() - (-10.0 * t).exp());
            },
        },
        Problem {
            name: "Powell singular",
            m: 4,
            x0: &[3.0, -1.0, 0.0, 1.0],
            fmin: 0.0,
            r: |i, x| match i {
                0 => x[0] + 10.0 * x[1],
                1 => 5f64.sqrt() * (x[2] - x[3]),
                2 => (x[1] - 2.0 * x[2]).powi(2),
                _ => 10f64.sqrt() * (x[0] - x[3]).powi(2),
            },
            dr: |i, x, g| {
                g.iter_mut().for_each(|v| *v = 0.0);
                match i {
                    0 => {
                        g[0] = 1.0;
                        g[1] = 10.0;
                    }
                    1 => {
                        g[2] = 5f64.sqrt();
                        g[3] = -5f64.sqrt();
                    }
                    2 => {
                        let d = x[1] - 2.0 * x[2];
                        g[1] = 2.0 * d;
                        g[2] = -4.0 * d;
                    }
                    _ => {
                        let d = x[0] - x[3];
                        g[0] = 2.0 * 10f64.sqrt() * d;
                        g[3] = -2.0 * 10f64.sqrt() * d;
                    }
                }
            },
        },
        Problem {
            name: "Wood",
            m: 6,
            x0: &[-3.0, -1.0, -3.0, -1.0],
            fmin: 0.0,
            r: |i, x| match i {
                0 => 10.0 * (x[1] - x[0] * x[0]),
                1 => 1.0 - x[0],
                2 => 90f64.sqrt() * (x[3] - x[2] * x[2]),
                3 => 1.0 - x[2],
                4 => 10f64.sqrt() * (x[1] + x[3] - 2.0),
                _ => (x[1] - x[3]) / 10f64.sqrt(),
            },
            dr: |i, x, g| {
                g.iter_mut().for_each(|v| *v = 0.0);
                match i {
                    0 => {
                        g[0] = -20.0 * x[0];
                        g[1] = 10.0;
                    }
                    1 => g[0] = -1.0,
                    2 => {
                        g[2] = -2.0 * 90f64.sqrt() * x[2];
                        g[3] = 90f64.sqrt();
                    }
                    3 => g[2] = -1.0,
                    4 => {
                        g[1] = 10f64.sqrt();
                        g[3] = 10f64.sqrt();
                    }
                    _ => {
                        g[1] = 1.0 / 10f64.sqrt();
                        g[3] = -1.0 / 10f64.sqrt();
                    }
                }
            },
        },
        Problem {
            name: "Kowalik-Osborne",
            m: 11,
            x0: &[0.25, 0.39, 0.415, 0.39],
            fmin: 3.07505e-4,
            r: |i, x| {
                let u = KOW_U[i];
                KOW_Y[i] - x[0] * (u * u + u * x[1]) / (u * u + u * x[2] + x[3])
            },
            dr: |i, x, g| {
                let u = KOW_U[i];
                let num = u * u + u * x[1];
                let den = u * u + u * x[2] + x[3];
                g[0] = -num / den;
                g[1] = -x[0] * u / den;
                g[2] = x[0] * num * u / (den * den);
                g[3] = x[0] * num / (den * den);
            },
        },
        Problem {
            name: "Brown-Dennis",
            m: 20,
            x0: &[25.0, 5.0, -5.0, -1.0],
            fmin: 85822.2,
            r: |i, x| {
                let t = (i + 1) as f64 / 5.0;
                (x[0] + t * x[1] - t.exp()).powi(2) + (x[2] + x[3] * t.sin() - t.cos()).powi(2)
            },
            dr: |i, x, g| {
                let t = (i + 1) as f64 / 5.0;
                let a = x[0] + t * x[1] - t.exp();
                let b = x[2] + x[3] * t.sin() - t.cos();
                g[0] = 2.0 * a;
                g[1] = 2.0 * a * t;
                g[2] = 2.0 * b;
                g[3] = 2.0 * b * t.sin();
            },
        },
        Problem {
            name: "Osborne 1",
            m: 33,
            x0: &[0.5, 1.5, -1.0, 0.01, 0.02],
            fmin: 5.46489e-5,
            r: |i, x| {
                let t = 10.0 * i as f64;
                OSB_Y[i] - (x[0] + x[1] * (-t * x[3]).exp() + x[2] * (-t * x[4]).exp())
            },
            dr: |i, x, g| {
                let t = 10.0 * i as f64;
                let e4 = (-t * x[3]).exp();
                let e5 = (-t * x[4]).exp();
                g[0] = -1.0;
                g[1] = -e4;
                g[2] = -e5;
                g[3] = x[1] * t * e4;
                g[4] = x[2] * t * e5;
            },
        },
    ]
}
