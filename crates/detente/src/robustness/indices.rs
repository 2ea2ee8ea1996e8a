//! Sobol sensitivity indices from Saltelli's layout, as SALib's
//! `sobol.analyze` computes them, and the Wilson interval of a share.
//!
//! Outputs are first standardised over all rows (mean 0, population
//! standard deviation 1), as SALib does. With A, B and AB^j the outputs on
//! the rows of [`super::sampling`] and `V` the population variance of A and
//! B together:
//!
//! - first order (Saltelli et al. 2010, "Variance based sensitivity analysis
//!   of model output", Computer Physics Communications 181, eq. (b) of
//!   table 2): `S1_j = mean(B · (AB^j − A)) / V`;
//! - total (Jansen 1999, the same paper's eq. (f)):
//!   `ST_j = mean((A − AB^j)²) / (2V)`.
//!
//! When the output never changes, V is 0 and the indices are undefined
//! (`None`).

use super::sampling::rows_per_base;

/// First-order and total indices of one input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// Share of the output's variance due to this input alone.
    pub first: f64,
    /// Share due to this input, alone and with others.
    pub total: f64,
}

/// Indices of every input from outputs `y` in Saltelli's layout for
/// `n_inputs` inputs; `None` when the output has no variance.
pub fn sobol_indices(y: &[f64], n_inputs: usize) -> Option<Vec<SobolIndex>> {
    let per = rows_per_base(n_inputs);
    let n = y.len() / per;
    if n == 0 {
        return None;
    }
    let y = &y[..n * per];
    let count = y.len() as f64;
    let mean = y.iter().sum::<f64>() / count;
    let std = (y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / count).sqrt();
    if std == 0.0 || !std.is_finite() {
        return None;
    }
    let z = |r: usize| (y[r] - mean) / std;
    let a: Vec<f64> = (0..n).map(|i| z(i * per)).collect();
    let b: Vec<f64> = (0..n).map(|i| z(i * per + per - 1)).collect();
    let ab_mean = (a.iter().sum::<f64>() + b.iter().sum::<f64>()) / (2 * n) as f64;
    let var = a.iter().chain(&b).map(|v| (v - ab_mean) * (v - ab_mean)).sum::<f64>() / (2 * n) as f64;
    if var == 0.0 {
        return None;
    }
    Some(
        (0..n_inputs)
            .map(|j| {
                let ab: Vec<f64> = (0..n).map(|i| z(i * per + 1 + j)).collect();
                let first = (0..n).map(|i| b[i] * (ab[i] - a[i])).sum::<f64>() / n as f64 / var;
                let total = 0.5 * (0..n).map(|i| (a[i] - ab[i]).powi(2)).sum::<f64>() / n as f64 / var;
                SobolIndex { first, total }
            })
            .collect(),
    )
}

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Wilson's score interval (95%) for `successes` out of `trials`
/// (Wilson 1927, JASA 22(158)); `(0, 1)` for no trials.
pub fn wilson_interval(successes: u64, trials: u64) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::super::sampling::saltelli_row;
    use super::*;

    #[test]
    fn hand_worked_indices() {
        // One base row, D = 1: rows A, AB, BA, B with outputs 0, 1, 0, 1.
        // Standardised: mean 0.5, sd 0.5, so A = −1, AB = 1, B = 1, V of
        // {A, B} = 1. S1 = B·(AB − A)/V = 2; ST = (A − AB)²/2/V = 2.
        let s = sobol_indices(&[0.0, 1.0, 0.0, 1.0], 1).unwrap();
        assert_eq!(s[0], SobolIndex { first: 2.0, total: 2.0 });
        assert_eq!(sobol_indices(&[1.0; 8], 1), None);
    }

    #[test]
    fn additive_model_recovers_analytic_indices() {
        // y = x1 + 2·x2 with uniform inputs: Var = 1/12 + 4/12, so
        // S1 = ST = 0.2 and 0.8; a third input is irrelevant.
        let d = 3;
        let rows = 1024 * rows_per_base(d);
        let y: Vec<f64> = (0..rows)
            .map(|r| {
                let x = saltelli_row(r, d, 42);
                x[0] + 2.0 * x[1]
            })
            .collect();
        let s = sobol_indices(&y, d).unwrap();
        assert!((s[0].first - 0.2).abs() < 0.02 && (s[0].total - 0.2).abs() < 0.02, "{s:?}");
        assert!((s[1].first - 0.8).abs() < 0.02 && (s[1].total - 0.8).abs() < 0.02, "{s:?}");
        assert!(s[2].first.abs() < 1e-12 && s[2].total.abs() < 1e-12, "{s:?}");
    }

    #[test]
    fn wilson_matches_published_values() {
        // Newcombe (1998), Statistics in Medicine 17, table I: 81/263 gives
        // 0.2553 to 0.3662; 15/148 gives 0.0624 to 0.1605.
        let (lo, hi) = wilson_interval(81, 263);
        assert!((lo - 0.2553).abs() < 5e-5 && (hi - 0.3662).abs() < 5e-5, "{lo} {hi}");
        let (lo, hi) = wilson_interval(15, 148);
        assert!((lo - 0.0624).abs() < 5e-5 && (hi - 0.1605).abs() < 5e-5, "{lo} {hi}");
        assert_eq!(wilson_interval(0, 10).0, 0.0);
    }
}
