//! Collective choice among options: votes, coalition strengths, pairwise
//! victory probabilities and the probabilistic Condorcet election (PCE) that
//! gives each option a probability of winning (KTAB's `Model::vote`,
//! `Model::coalitions`, `Model::vProb` and `Model::probCE2` in `kmodel.cpp`).
//!
//! Matrices are flat and row-major: `c[i * m + j]` is option `i` against
//! option `j`.

use super::config::{PceModel, VictoryProbability, VotingRule};

/// Every coalition starts with this strength, so that no probability is
/// `0 / 0` (KTAB `minC`).
const MIN_COALITION: f64 = 1e-8;

/// A Markov PCE that did not settle within KTAB's 1000 iterations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unsettled;

/// The vote of an actor with weight `w` for option `i` over option `j`,
/// given its utilities `ui` and `uj` for them (positive: for `i`).
///
/// KTAB rejects a weight of 0; here it is an abstaining voter, so that an
/// actor without capability or salience takes no part instead of stopping
/// the run.
#[inline(always)]
pub(crate) fn vote(rule: VotingRule, w: f64, ui: f64, uj: f64) -> f64 {
    let du = ui - uj;
    let binary = || (du / 1e-8).clamp(-1.0, 1.0);
    match rule {
        VotingRule::Binary => w * binary(),
        VotingRule::PropBin => w * ((1.0 - 0.2) * du + 0.2 * binary()),
        VotingRule::Proportional => w * du,
        VotingRule::PropCubic => w * ((1.0 - 0.5) * du + 0.5 * (du * du * du)),
        VotingRule::Cubic => w * (du * du * du),
        VotingRule::AsymmetricProspect => {
            if du < 0.0 {
                w * du
            } else if du > 0.0 {
                (2.0 * w * du) / 3.0
            } else {
                0.0
            }
        }
    }
}

/// The probabilities that coalitions of strengths `s1` and `s2` win against
/// each other (they add up to 1).
pub(crate) fn victory(model: VictoryProbability, s1: f64, s2: f64) -> (f64, f64) {
    let (x1, x2) = match model {
        VictoryProbability::Linear => (s1, s2),
        VictoryProbability::Square => (s1 * s1, s2 * s2),
        VictoryProbability::Quartic => (quartic(s1), quartic(s2)),
        VictoryProbability::Octic => (quartic(s1) * quartic(s1), quartic(s2) * quartic(s2)),
        VictoryProbability::Binary => {
            // A 10% advantage wins for sure; in between, linear, so that
            // near-ties do not flip on rounding.
            const THRESHOLD: f64 = 1.10;
            const MIN_X: f64 = 1e-6;
            if s1 >= THRESHOLD * s2 {
                (1.0, MIN_X)
            } else if s2 >= THRESHOLD * s1 {
                (MIN_X, 1.0)
            } else {
                let r12 = s1 / (s1 + s2);
                let p12 = (r12 * (THRESHOLD + 1.0) - 1.0) / (THRESHOLD - 1.0);
                (p12, 1.0 - p12)
            }
        }
    };
    (x1 / (x1 + x2), x2 / (x1 + x2))
}

fn quartic(x: f64) -> f64 {
    let x2 = x * x;
    x2 * x2
}

/// Coalition strengths among `m` options: `c[i·m + j]` is the sum of the
/// votes for `i` over `j` of the voters who prefer `i`, plus
/// [`MIN_COALITION`]. `u[i·v + k]` is voter `k`'s utility for option `i`
/// (option-major, so that a pair of options reads two contiguous rows) and
/// `w[k]` its weight.
pub(crate) fn coalitions(rule: VotingRule, w: &[f64], u: &[f64], m: usize) -> Vec<f64> {
    // Specialised for KTAB's default rule, where most time goes.
    match rule {
        VotingRule::Proportional => coalitions_by(VotingRule::Proportional, w, u, m),
        _ => coalitions_by(rule, w, u, m),
    }
}

#[inline(always)]
fn coalitions_by(rule: VotingRule, w: &[f64], u: &[f64], m: usize) -> Vec<f64> {
    let v = w.len();
    let mut c = vec![0.0; m * m];
    for i in 0..m {
        let ui = &u[i * v..(i + 1) * v];
        for j in 0..i {
            let uj = &u[j * v..(j + 1) * v];
            let (mut cij, mut cji) = (MIN_COALITION, MIN_COALITION);
            for ((&wk, &uki), &ukj) in w.iter().zip(ui).zip(uj) {
                // Branch-free: adding +0 leaves a positive sum unchanged.
                let x = vote(rule, wk, uki, ukj);
                cij += x.max(0.0);
                cji += (-x).max(0.0);
            }
            c[i * m + j] = cij;
            c[j * m + i] = cji;
        }
        c[i * m + i] = MIN_COALITION;
    }
    c
}

/// Pairwise victory probabilities from coalition strengths: `P[i > j]`,
/// with `P[i > j] + P[j > i] = 1` and `P[i > i] = ½`.
pub(crate) fn victory_matrix(model: VictoryProbability, c: &[f64], m: usize) -> Vec<f64> {
    let mut p = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..i {
            let (pij, pji) = victory(model, c[i * m + j], c[j * m + i]);
            p[i * m + j] = pij;
            p[j * m + i] = pji;
        }
        p[i * m + i] = 0.5;
    }
    p
}

/// The probability of each of `m` options winning, from the coalition
/// strengths `c` among them.
pub(crate) fn pce(model: PceModel, victory: VictoryProbability, c: &[f64], m: usize) -> Result<Vec<f64>, Unsettled> {
    let pv = victory_matrix(victory, c, m);
    match model {
        PceModel::Conditional => Ok(conditional(&pv, m)),
        PceModel::MarkovUniform => markov_uniform(&pv, m),
        PceModel::MarkovIncentive => markov_incentive(c, &pv, m),
    }
}

/// `pᵢ = Πⱼ P[i > j] / Σₖ Πⱼ P[k > j]`: the probability that `i` beats every
/// option, given that some option does.
///
/// With many options the products can underflow (to 0 or to subnormals that
/// have lost their precision); then the same quotient is taken in
/// logarithms (KTAB would divide 0 by 0, or lose the digits).
fn conditional(pv: &[f64], m: usize) -> Vec<f64> {
    let mut p: Vec<f64> = (0..m).map(|i| pv[i * m..(i + 1) * m].iter().product()).collect();
    let total: f64 = p.iter().sum();
    if total.is_finite() && p.iter().all(|x| x.is_normal()) {
        p.iter_mut().for_each(|x| *x /= total);
        return p;
    }
    let logs: Vec<f64> = (0..m).map(|i| pv[i * m..(i + 1) * m].iter().map(|x| x.ln()).sum()).collect();
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut p: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= total);
    p
}

/// KTAB's iteration limit for the Markov PCEs.
const MAX_ITERATIONS: usize = 1000;

/// A Markov chain in which every option challenges the current favourite
/// with probability `1/m` and wins with `P[i > j]`; iterated (with KTAB's
/// averaging step) until no probability moves by more than 10⁻⁶.
fn markov_uniform(pv: &[f64], m: usize) -> Result<Vec<f64>, Unsettled> {
    let mut p = vec![1.0 / m as f64; m];
    let mut q = p.clone();
    let mut change = 1.0;
    let mut iterations = 0;
    while change > 1e-6 {
        if iterations >= MAX_ITERATIONS {
            return Err(Unsettled);
        }
        change = 0.0;
        for i in 0..m {
            let mut pi = 0.0;
            for j in 0..m {
                pi += pv[i * m + j] * (p[i] + p[j]);
            }
            q[i] = pi / m as f64;
            change = f64::max(change, (q[i] - p[i]).abs());
        }
        for (pi, qi) in p.iter_mut().zip(&q) {
            *pi = (*pi + qi) / 2.0;
        }
        iterations += 1;
    }
    Ok(p)
}

/// A Markov chain in which options challenge the current favourite `j` in
/// proportion to their incentive `c[i, j] · P[i > j]` ("Markov Voting with
/// Incentives in KTAB"); iterated until no probability moves by more than
/// 10⁻⁸.
fn markov_incentive(c: &[f64], pv: &[f64], m: usize) -> Result<Vec<f64>, Unsettled> {
    let mut incentive: Vec<f64> = c.iter().zip(pv).map(|(c, p)| c * p).collect();
    for i in 0..m {
        incentive[i * m + i] += 1e-10;
    }
    // challenge[i·m + j]: probability that i challenges favourite j.
    let mut challenge = vec![0.0; m * m];
    for j in 0..m {
        let total: f64 = (0..m).map(|k| incentive[k * m + j]).sum();
        for i in 0..m {
            challenge[i * m + j] = incentive[i * m + j] / total;
        }
    }
    let mut p = vec![1.0 / m as f64; m];
    let mut q = p.clone();
    let mut ct = vec![0.0; m * m];
    let mut change = 1.0;
    let mut iterations = 0;
    while change > 1e-8 {
        if iterations >= MAX_ITERATIONS {
            return Err(Unsettled);
        }
        for i in 0..m {
            for j in 0..m {
                ct[i * m + j] = p[i] * challenge[j * m + i];
            }
        }
        change = 0.0;
        for i in 0..m {
            let mut qi = 0.0;
            for j in 0..m {
                qi += pv[i * m + j] * (ct[i * m + j] + ct[j * m + i]);
            }
            q[i] = qi;
            change = f64::max(change, (q[i] - p[i]).abs());
        }
        for (pi, qi) in p.iter_mut().zip(&q) {
            *pi = (*pi + qi) / 2.0;
        }
        iterations += 1;
    }
    Ok(p)
}

/// The probability of each of `m` options winning a vote of `w.len()`
/// actors with weights `w`, where `u[i·w.len() + k]` is actor `k`'s utility
/// for option `i` (KTAB's `Model::scalarPCE`).
pub(crate) fn scalar_pce(
    w: &[f64],
    u: &[f64],
    m: usize,
    rule: VotingRule,
    victory: VictoryProbability,
    model: PceModel,
) -> Result<Vec<f64>, Unsettled> {
    pce(model, victory, &coalitions(rule, w, u, m), m)
}

/// The index of the largest value, the first of equals (KTAB's
/// `ndxMaxAbs` on probabilities).
pub(crate) fn first_max(p: &[f64]) -> usize {
    let mut best = 0;
    for (k, x) in p.iter().enumerate() {
        if *x > p[best] {
            best = k;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn votes_by_rule() {
        assert!(close(vote(VotingRule::Proportional, 2.0, 0.9, 0.6), 0.6));
        assert!(close(vote(VotingRule::Binary, 2.0, 0.9, 0.6), 2.0));
        assert!(close(vote(VotingRule::Binary, 2.0, 0.6, 0.9), -2.0));
        assert!(close(vote(VotingRule::PropBin, 1.0, 0.9, 0.6), 0.8 * 0.3 + 0.2));
        assert!(close(vote(VotingRule::Cubic, 1.0, 0.9, 0.6), 0.027));
        assert!(close(vote(VotingRule::PropCubic, 1.0, 0.9, 0.6), 0.15 + 0.0135));
        assert!(close(vote(VotingRule::AsymmetricProspect, 3.0, 0.9, 0.6), 0.6));
        assert!(close(vote(VotingRule::AsymmetricProspect, 3.0, 0.6, 0.9), -0.9));
        // A zero weight abstains.
        assert_eq!(vote(VotingRule::Proportional, 0.0, 0.9, 0.6), 0.0);
    }

    #[test]
    fn victory_probabilities() {
        let (a, b) = victory(VictoryProbability::Linear, 3.0, 1.0);
        assert!(close(a, 0.75) && close(b, 0.25));
        let (a, _) = victory(VictoryProbability::Square, 3.0, 1.0);
        assert!(close(a, 0.9));
        let (a, _) = victory(VictoryProbability::Quartic, 3.0, 1.0);
        assert!(close(a, 81.0 / 82.0));
        let (a, _) = victory(VictoryProbability::Octic, 2.0, 1.0);
        assert!(close(a, 256.0 / 257.0));
        // Binary: a 10% edge is certain victory; an even contest is ½.
        let (a, _) = victory(VictoryProbability::Binary, 1.1, 1.0);
        assert!(close(a, 1.0 / (1.0 + 1e-6)));
        let (a, b) = victory(VictoryProbability::Binary, 1.0, 1.0);
        assert!(close(a, 0.5) && close(b, 0.5));
    }

    /// Three options, three voters with weights 1, 2, 3, worked by hand.
    #[test]
    fn conditional_pce_on_three_options() {
        // Voter k's utilities for options 0, 1, 2: (1, ½, 0), (0, 1, ½),
        // (½, 0, 1); stored by option.
        let u = [1.0, 0.0, 0.5, 0.5, 1.0, 0.0, 0.0, 0.5, 1.0];
        let w = [1.0, 2.0, 3.0];
        let p =
            scalar_pce(&w, &u, 3, VotingRule::Proportional, VictoryProbability::Linear, PceModel::Conditional).unwrap();
        // c(0,1) = 1·0.5 + 3·0.5 = 2, c(1,0) = 2·1 = 2;
        // c(0,2) = 1·1 = 1, c(2,0) = 2·0.5 + 3·0.5 = 2.5;
        // c(1,2) = 1·0.5 + 2·0.5 = 1.5, c(2,1) = 3·1 = 3 (each + 10⁻⁸).
        let m = 1e-8;
        let p01 = (2.0 + m) / (4.0 + 2.0 * m);
        let p02 = (1.0 + m) / (3.5 + 2.0 * m);
        let p12 = (1.5 + m) / (4.5 + 2.0 * m);
        let raw = [0.5 * p01 * p02, 0.5 * (1.0 - p01) * p12, 0.5 * (1.0 - p02) * (1.0 - p12)];
        let total: f64 = raw.iter().sum();
        for k in 0..3 {
            assert!(close(p[k], raw[k] / total), "{p:?}");
        }
        assert!(close(p.iter().sum(), 1.0));
    }

    /// Two options: the PCE is the pairwise probability itself.
    #[test]
    fn pce_on_two_options() {
        // Option 0 has strength 1 against option 1, which has 3 against it.
        let c = [1e-8, 1.0, 3.0, 1e-8];
        for model in [PceModel::Conditional, PceModel::MarkovUniform, PceModel::MarkovIncentive] {
            let p = pce(model, VictoryProbability::Linear, &c, 2).unwrap();
            assert!((p[0] - 0.25).abs() < 1e-5 && (p[1] - 0.75).abs() < 1e-5, "{model:?}: {p:?}");
        }
    }

    #[test]
    fn markov_pces_are_distributions_favouring_the_condorcet_winner() {
        // The four voters' utilities for each option, by option.
        let u = [1.0, 0.0, 0.5, 0.9, 0.5, 1.0, 0.0, 1.0, 0.0, 0.5, 1.0, 0.0];
        let w = [1.0, 2.0, 3.0, 4.0];
        for model in [PceModel::Conditional, PceModel::MarkovUniform, PceModel::MarkovIncentive] {
            let p = scalar_pce(&w, &u, 3, VotingRule::Proportional, VictoryProbability::Linear, model).unwrap();
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-8, "{model:?}: {p:?}");
            // Option 1 beats both others in pairwise votes.
            assert_eq!(first_max(&p), 1, "{model:?}: {p:?}");
        }
    }

    #[test]
    fn conditional_survives_underflow() {
        // 400 options, each beaten by most: the raw products underflow.
        let m = 400;
        let mut pv = vec![0.01; m * m];
        for i in 0..m {
            pv[i * m + i] = 0.5;
            for j in 0..i {
                pv[i * m + j] = 0.99;
            }
        }
        let p = conditional(&pv, m);
        assert!(p.iter().all(|x| x.is_finite()));
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert_eq!(first_max(&p), m - 1);
    }

    #[test]
    fn first_max_takes_the_first_of_equals() {
        assert_eq!(first_max(&[0.2, 0.4, 0.4]), 1);
        assert_eq!(first_max(&[0.5]), 0);
    }
}
