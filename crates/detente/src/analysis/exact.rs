//! The exact Pareto frontier of two parties with additive utilities,
//! without enumerating the outcome space.
//!
//! With `U_A(o) = Σ_i a_i(o_i)` and `U_B(o) = Σ_i b_i(o_i)`, the set of
//! utility pairs is the Minkowski sum of the per-issue point sets
//! `{(a_i(k), b_i(k))}`. A point of a sum is non-dominated only if each of
//! its summands is non-dominated in its own set, so the frontier can be built
//! issue by issue: `F_i = frontier(F_{i−1} ⊕ frontier(P_i))`. The cost
//! depends on frontier sizes, not on the number of outcomes, so spaces of
//! 10²⁰ outcomes and more are analysed exactly.

use super::model::Terms;
use super::pareto::{frontier, UtilityPoint};

/// A frontier point: the two utilities and the value index chosen on every issue.
#[derive(Clone, Debug, PartialEq)]
pub struct ExactPoint {
    /// Utilities of the two parties.
    pub utilities: [f64; 2],
    /// Value index per issue.
    pub digits: Vec<usize>,
}

/// Per-issue contribution of one actor: `c[i][k]` = utility from value `k`
/// of issue `i` (summing the actor's terms on that issue).
pub(crate) fn contributions(terms: &Terms, radices: &[usize]) -> Vec<Vec<f64>> {
    let mut c: Vec<Vec<f64>> = radices.iter().map(|&r| vec![0.0; r]).collect();
    for (i, t) in terms {
        for (k, v) in t.iter().enumerate() {
            c[*i][k] += v;
        }
    }
    c
}

/// The exact frontier of two additive actors over the grid with `radices`.
/// Ties between equal utility pairs keep one outcome.
pub fn frontier_two(a: &Terms, b: &Terms, radices: &[usize]) -> Vec<ExactPoint> {
    let ca = contributions(a, radices);
    let cb = contributions(b, radices);
    // Layer i holds (utilities, parent index in layer i−1, value index).
    let mut layers: Vec<Vec<(usize, usize)>> = Vec::with_capacity(radices.len());
    let mut current: Vec<UtilityPoint> = vec![UtilityPoint { index: 0, utilities: vec![0.0, 0.0] }];
    for (i, &r) in radices.iter().enumerate() {
        let local =
            frontier((0..r).map(|k| UtilityPoint { index: k as u64, utilities: vec![ca[i][k], cb[i][k]] }).collect());
        let mut sums = Vec::with_capacity(current.len() * local.len());
        for (p, f) in current.iter().enumerate() {
            for l in &local {
                // Encode (parent, value) in the index so the sweep keeps it.
                let index = (p as u64) * (r as u64) + l.index;
                sums.push(UtilityPoint {
                    index,
                    utilities: vec![f.utilities[0] + l.utilities[0], f.utilities[1] + l.utilities[1]],
                });
            }
        }
        let next = frontier(sums);
        layers.push(next.iter().map(|p| ((p.index / r as u64) as usize, (p.index % r as u64) as usize)).collect());
        current = next
            .into_iter()
            .enumerate()
            .map(|(k, mut p)| {
                p.index = k as u64;
                p
            })
            .collect();
    }
    current
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let mut digits = vec![0; radices.len()];
            let mut at = k;
            for i in (0..radices.len()).rev() {
                let (parent, value) = layers[i][at];
                digits[i] = value;
                at = parent;
            }
            ExactPoint { utilities: [p.utilities[0], p.utilities[1]], digits }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_two_issues() {
        // Issue 0: values give A (0.5, 0) / B (0, 0.5); issue 1: A (0.3, 0.1), B (0.1, 0.2).
        let a: Terms = vec![(0, vec![0.5, 0.0]), (1, vec![0.3, 0.1])];
        let b: Terms = vec![(0, vec![0.0, 0.5]), (1, vec![0.1, 0.2])];
        let f = frontier_two(&a, &b, &[2, 2]);
        let pts: Vec<[f64; 2]> = f.iter().map(|p| p.utilities).collect();
        // All four sums: (0.8,0.1) (0.6,0.2) (0.3,0.6) (0.1,0.7): all non-dominated.
        assert_eq!(pts, vec![[0.8, 0.1], [0.6, 0.2], [0.3, 0.6], [0.1, 0.7]]);
        assert_eq!(f[2].digits, vec![1, 0]);
    }
}
