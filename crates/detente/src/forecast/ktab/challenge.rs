//! Challenges: an actor's estimate of how a challenge of `i` against `j`
//! would go and what it would be worth, and each actor's most advantageous
//! target (KTAB's `SMPState::probEduChlg`, `bestChallenge`,
//! `Actor::vProbLittle` and `Actor::thirdPartyVoteSU`).

use super::collective::vote;
use super::config::{KtabConfig, ThirdPartyCommit, VotingRule};
use super::state::{Actors, State};

/// The principals' coalitions start with this strength (KTAB `minCltn`).
const MIN_CLTN: f64 = 1e-10;

/// Expected gains below this are not worth a challenge (KTAB `minSigEDU`).
const MIN_GAIN: f64 = 1e-5;

/// `h`'s estimate, when `i` challenges `j`, of the probability that `i`
/// wins and of the expected change in `k`'s utility against the status quo.
///
/// Both principals vote with capability × total salience. Each third party
/// `n` weighs in on the side it prefers in the "little" contest of `i`, `j`
/// and itself ([`third_party_vote`]). The challenge's value to `k` is
/// `(1 − sⱼ) U(i wins) + sⱼ (P U(i wins) + (1 − P) U(j wins)) − U(status quo)`,
/// where `sⱼ`, the target's total salience, is the chance that it resists,
/// and `U` adds `k`'s utilities for the two principals' positions after the
/// contest.
pub(crate) fn estimate(
    actors: &Actors,
    state: &State,
    config: &KtabConfig,
    h: usize,
    k: usize,
    i: usize,
    j: usize,
) -> (f64, f64) {
    let rule = config.voting;
    let u = |a: usize, b: usize| state.util(h, a, b);
    let eu_sq = u(k, i) + u(k, j);
    let u_i_wins = u(k, i) + u(k, i);
    let u_j_wins = u(k, j) + u(k, j);
    let (si, sj) = (actors.sal_sum[i], actors.sal_sum[j]);
    let contrib_i = vote(rule, si * actors.cap[i], u(i, i), u(i, j));
    let contrib_j = vote(rule, sj * actors.cap[j], u(j, i), u(j, j));
    let (mut for_i, mut for_j) = (MIN_CLTN, MIN_CLTN);
    for c in [contrib_i, contrib_j] {
        if c > 0.0 {
            for_i += c;
        }
        if c < 0.0 {
            for_j -= c;
        }
    }
    let (principal_i, principal_j) = (for_i, for_j);
    for n in 0..actors.n {
        if n == i || n == j {
            continue;
        }
        let wn = actors.sal_sum[n] * actors.cap[n];
        let (uni, unj, unn) = (u(n, i), u(n, j), u(n, n));
        let v = third_party_vote(rule, config.third_party, wn, uni, unj, unn, principal_i, principal_j);
        if v > 0.0 {
            for_i += v;
        }
        if v < 0.0 {
            for_j -= v;
        }
    }
    let p = for_i / (for_i + for_j);
    let q = for_j / (for_i + for_j);
    let contest = p * u_i_wins + q * u_j_wins;
    let challenge = (1.0 - sj) * u_i_wins + sj * contest;
    (p, challenge - eu_sq)
}

/// Third party `n`'s vote in `i`'s challenge of `j` (positive: for `i`).
///
/// `n` first estimates the chance `pᵢ` that `i` wins the little contest of
/// the two principals (strengths `ci`, `cj`) and itself, voting on the
/// positions alone; then votes on the sum of its utilities for the three
/// positions after the contest, with itself on `i`'s side ("`ik > j`") or on
/// `j`'s ("`i > jk`"). What `n` holds afterwards depends on its commitment.
/// The utilities of the other actors' unchanged positions cancel, as KTAB
/// notes. As KTAB computes it, the same `pᵢ` weighs both hypothetical
/// coalitions, so under full or no commitment the two sides' utilities
/// coincide and the third party's vote is 0: only semi-committed third
/// parties take part.
#[allow(clippy::too_many_arguments)]
pub(crate) fn third_party_vote(
    rule: VotingRule,
    commit: ThirdPartyCommit,
    wn: f64,
    uni: f64,
    unj: f64,
    unn: f64,
    ci: f64,
    cj: f64,
) -> f64 {
    let own = vote(rule, wn, uni, unj);
    let cni = if own > 0.0 { ci + own } else { ci };
    let cnj = if own < 0.0 { cj - own } else { cj };
    let pi = cni / (cni + cnj);
    let pj = 1.0 - pi;
    // (n with i beats j, j beats n with i, i beats n with j, n with j beats i)
    let (ik_j, j_ik, i_jk, jk_i) = match commit {
        ThirdPartyCommit::Full => (uni + uni + uni, unj + unj + unj, uni + uni + uni, unj + unj + unj),
        ThirdPartyCommit::Semi => (uni + uni + unn, unj + unj + unj, uni + uni + uni, unj + unj + unn),
        ThirdPartyCommit::No => (uni + uni + unn, unj + unj + unn, uni + uni + unn, unj + unj + unn),
    };
    let with_i = pi * ik_j + pj * j_ik;
    let with_j = pi * i_jk + pj * jk_i;
    vote(rule, wn, with_i, with_j)
}

/// Actor `i`'s most advantageous target by its own estimate: the `j` with
/// the largest expected gain above 10⁻⁵ (the first of equals), with `i`'s
/// probability of winning and the gain.
pub(crate) fn best_target(actors: &Actors, state: &State, config: &KtabConfig, i: usize) -> Option<(usize, f64, f64)> {
    let mut best: Option<(usize, f64, f64)> = None;
    for j in 0..actors.n {
        if j == i {
            continue;
        }
        let (p, gain) = estimate(actors, state, config, i, i, i, j);
        if gain > MIN_GAIN && best.is_none_or(|(_, _, g)| gain > g) {
            best = Some((j, p, gain));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Semi-committed third party on a 2-actor contest, by hand.
    #[test]
    fn third_party_vote_by_hand() {
        let (wn, uni, unj, unn, ci, cj) = (2.0, 0.8, 0.4, 1.0, 1.0, 3.0);
        // Own vote 2·0.4 = 0.8 for i: pᵢ = 1.8 / 4.8 = 0.375.
        let pi = 0.375;
        let with_i = pi * (0.8 + 0.8 + 1.0) + (1.0 - pi) * 1.2;
        let with_j = pi * 2.4 + (1.0 - pi) * (0.8 + 1.0);
        let v = third_party_vote(VotingRule::Proportional, ThirdPartyCommit::Semi, wn, uni, unj, unn, ci, cj);
        assert!((v - wn * (with_i - with_j)).abs() < 1e-12);
        // Fully committed or not committed: KTAB weighs both hypothetical
        // coalitions with the same probability, so the utilities cancel and
        // the third party does not vote.
        for commit in [ThirdPartyCommit::Full, ThirdPartyCommit::No] {
            assert_eq!(third_party_vote(VotingRule::Proportional, commit, wn, uni, unj, unn, ci, cj), 0.0);
        }
    }
}
