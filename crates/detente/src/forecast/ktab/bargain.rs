//! Bargains: how an initiator and its target split the difference between
//! their positions, and how each actor picks one of the bargains it is
//! party to (KTAB's `SMPActor::interpolateBrgn`, `interpBrgnSnPm`,
//! `interpBrgnS2PMax` and the bargain resolution of `SMPState::doBCN`).

use super::collective::{first_max, scalar_pce, Unsettled};
use super::config::{Interpolation, KtabConfig, StateTransitions};
use super::state::{utility, Actors, State};
use crate::forecast::montecarlo::Rng;

/// A proposed change of two actors' positions; the status quo when
/// `initiator == receiver` (positions unchanged).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Bargain {
    /// The actor that proposed it.
    pub initiator: usize,
    /// Its target.
    pub receiver: usize,
    /// The initiator's position under the bargain (unit scale).
    pub at_initiator: Vec<f64>,
    /// The receiver's position under the bargain (unit scale).
    pub at_receiver: Vec<f64>,
}

impl Bargain {
    /// Actor `a` keeps its position.
    pub fn status_quo(a: usize, pos: &[f64]) -> Bargain {
        Bargain { initiator: a, receiver: a, at_initiator: pos.to_vec(), at_receiver: pos.to_vec() }
    }

    fn is_status_quo(&self) -> bool {
        self.initiator == self.receiver
    }

    /// Whether actor `a` is a party to the bargain.
    pub fn involves(&self, a: usize) -> bool {
        a == self.initiator || a == self.receiver
    }

    /// Where the bargain puts actor `a` (a party to it).
    pub fn position_of(&self, a: usize) -> &[f64] {
        if a == self.initiator {
            &self.at_initiator
        } else {
            &self.at_receiver
        }
    }
}

/// Rounds to 4 decimals, half up, as KTAB does "to avoid spurious asymmetry
/// … and spurious precision" (on the unit scale: 0.01 on 0–100).
pub(crate) fn round4(x: f64) -> f64 {
    (0.5 + x * 10000.0).trunc() / 10000.0
}

/// `x^k` for `k` 1 or 2.
fn power(x: f64, k: u32) -> f64 {
    if k == 1 {
        x
    } else {
        x * x
    }
}

/// KTAB's `SnPm` interpolation on one dimension: the two parties at `ti`
/// and `tj`, with saliences `si`, `sj` and probabilities of winning `pi`,
/// `pj`, meet at the mean weighted by `sⁿ pᵐ`. A weight of 10⁻⁶ goes to the
/// initiator's side in the initiator's position and to the receiver's side
/// in the receiver's, so that two indifferent or powerless parties keep
/// their positions instead of dividing 0 by 0; both are rounded to 4
/// decimals.
#[allow(clippy::too_many_arguments)]
pub(crate) fn interpolate_snpm(n: u32, m: u32, ti: f64, si: f64, pi: f64, tj: f64, sj: f64, pj: f64) -> (f64, f64) {
    const MIN_W: f64 = 1e-6;
    let wi = power(si, n) * power(pi, m);
    let wj = power(sj, n) * power(pj, m);
    let bi = round4(((wi + MIN_W) * ti + wj * tj) / (wi + MIN_W + wj));
    let bj = round4((wi * ti + (MIN_W + wj) * tj) / (wi + MIN_W + wj));
    (bi, bj)
}

/// KTAB's `S2PMax` interpolation on one dimension: each party concedes the
/// share `d s_other² / (d s_other² + (1 − d) s_own²)` of the way, `d` being
/// the other's advantage in probability of winning (0 when it has none).
/// Not rounded, as in KTAB.
pub(crate) fn interpolate_s2pmax(ti: f64, si: f64, pi: f64, tj: f64, sj: f64, pj: f64) -> (f64, f64) {
    const MIN_W: f64 = 1e-6;
    let di = if pj > pi { pj - pi } else { 0.0 };
    let dj = if pi > pj { pi - pj } else { 0.0 };
    let (si2, sj2) = (si * si, sj * sj);
    let ci = (di * sj2) / ((di * sj2) + MIN_W + ((1.0 - di) * si2));
    let cj = (dj * si2) / ((dj * si2) + MIN_W + ((1.0 - dj) * sj2));
    (ti + ci * (tj - ti), tj + cj * (ti - tj))
}

/// The bargain between initiator `i` and receiver `j`, interpolated
/// dimension by dimension with the probabilities `pi` and `pj` that each
/// would win.
pub(crate) fn interpolate(
    actors: &Actors,
    state: &State,
    rule: Interpolation,
    i: usize,
    j: usize,
    pi: f64,
    pj: f64,
) -> Bargain {
    let d = actors.d;
    let (xi, xj) = (state.position(d, i), state.position(d, j));
    let mut at_i = Vec::with_capacity(d);
    let mut at_j = Vec::with_capacity(d);
    for k in 0..d {
        let (si, sj) = (actors.sal[i * d + k], actors.sal[j * d + k]);
        let (bi, bj) = match rule {
            Interpolation::S1P1 => interpolate_snpm(1, 1, xi[k], si, pi, xj[k], sj, pj),
            Interpolation::S2P2 => interpolate_snpm(2, 2, xi[k], si, pi, xj[k], sj, pj),
            Interpolation::S2PMax => interpolate_s2pmax(xi[k], si, pi, xj[k], sj, pj),
        };
        at_i.push(bi);
        at_j.push(bj);
    }
    Bargain { initiator: i, receiver: j, at_initiator: at_i, at_receiver: at_j }
}

/// What a bargain is worth to every actor: `value[a]` is the mean of `a`'s
/// utilities for all positions after the bargain, the two parties'
/// replaced by the bargain's (KTAB's `brgnUtil`, which divides by the number
/// of actors so that values lie in `[0, 1]`).
///
/// `own[a·n + b]` is `a`'s utility for `b`'s position through its own eyes
/// (KTAB's `aUtil[a](a, b)`); the bargain's positions are valued with `a`'s
/// own risk attitude (KTAB's `posUtil`: the same attitude, computed
/// directly). The sums run in KTAB's order.
pub(crate) fn value(actors: &Actors, state: &State, own: &[f64], bargain: &Bargain) -> Vec<f64> {
    let (n, d) = (actors.n, actors.d);
    (0..n)
        .map(|a| {
            let own = &own[a * n..(a + 1) * n];
            let total = if bargain.is_status_quo() {
                own.iter().fold(0.0, |s, x| s + x)
            } else {
                let (i, j) = (bargain.initiator, bargain.receiver);
                let here = state.position(d, a);
                let at = |p: &[f64]| utility(actors.distance(a, here, p), state.risk[a]);
                let mut s = at(&bargain.at_initiator) + at(&bargain.at_receiver);
                for (b, x) in own.iter().enumerate() {
                    if b != i && b != j {
                        s += x;
                    }
                }
                s
            };
            total / n as f64
        })
        .collect()
}

/// Every actor's utility for every actor's position, through its own eyes:
/// `own[a·n + b]` (KTAB's `aUtil[a](a, b)`).
pub(crate) fn own_utilities(state: &State) -> Vec<f64> {
    let n = state.n();
    let mut own = vec![0.0; n * n];
    for a in 0..n {
        for b in 0..n {
            own[a * n + b] = state.util(a, a, b);
        }
    }
    own
}

/// Which of its bargains actor `k` adopts, given every actor's
/// [`value`] of each (`values[m]` for the `m`-th).
///
/// The actors vote on the bargains with their capabilities and the PCE
/// gives each a probability; `k` takes the likeliest (the first of equals),
/// or draws one with [`StateTransitions::Stochastic`].
pub(crate) fn choose(
    actors: &Actors,
    config: &KtabConfig,
    values: &[&[f64]],
    turn: usize,
    k: usize,
) -> Result<usize, Unsettled> {
    let nb = values.len();
    let u: Vec<f64> = values.concat();
    let p = scalar_pce(&actors.cap, &u, nb, config.voting, config.victory, config.pce)?;
    Ok(match config.transitions {
        StateTransitions::Deterministic => first_max(&p),
        StateTransitions::Stochastic { seed } => {
            // One generator per (turn, actor), so that draws do not depend
            // on the order in which actors are resolved.
            let mut rng = Rng::for_run(seed, ((turn as u64) << 32) ^ k as u64);
            let r = rng.unit();
            let mut cumulative = 0.0;
            p.iter()
                .position(|x| {
                    cumulative += x;
                    r < cumulative
                })
                .unwrap_or(nb - 1)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_to_four_decimals() {
        assert_eq!(round4(0.12344), 0.1234);
        assert_eq!(round4(0.12346), 0.1235);
        assert_eq!(round4(0.0), 0.0);
        assert_eq!(round4(1.0), 1.0);
    }

    /// S2P2 by hand: weights s² p².
    #[test]
    fn s2p2_interpolation() {
        let (ti, si, pi, tj, sj, pj) = (0.2, 0.5, 0.8, 0.6, 0.4, 0.2);
        let wi = 0.25 * 0.64;
        let wj = 0.16 * 0.04;
        let (bi, bj) = interpolate_snpm(2, 2, ti, si, pi, tj, sj, pj);
        let mid = (wi * ti + wj * tj) / (wi + wj);
        assert_eq!(bi, round4(mid));
        assert_eq!(bj, round4(mid));
        assert_eq!(bi, 0.2154);
        // S1P1: weights s p.
        let (bi, _) = interpolate_snpm(1, 1, ti, si, pi, tj, sj, pj);
        assert_eq!(bi, round4((0.4 * ti + 0.08 * tj) / 0.48));
        // Nobody cares: each keeps its own position.
        assert_eq!(interpolate_snpm(2, 2, 0.2, 0.0, 0.5, 0.6, 0.0, 0.5), (0.2, 0.6));
    }

    #[test]
    fn s2pmax_interpolation() {
        // i is sure to win: it does not move, j comes (nearly) all the way.
        let (bi, bj) = interpolate_s2pmax(0.2, 0.5, 1.0, 0.6, 0.5, 0.0);
        assert_eq!(bi, 0.2);
        assert!((bj - 0.2).abs() < 1e-5);
        // Even chances: nobody moves.
        assert_eq!(interpolate_s2pmax(0.2, 0.5, 0.5, 0.6, 0.5, 0.5), (0.2, 0.6));
    }
}
