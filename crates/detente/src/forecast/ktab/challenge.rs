//! Challenges: an actor's estimate of how a challenge of `i` against `j`
//! would go and what it would be worth, and each actor's most advantageous
//! target (KTAB's `SMPState::probEduChlg`, `bestChallenge`,
//! `Actor::vProbLittle` and `Actor::thirdPartyVoteSU`).

use super::collective::vote;
use super::config::{KtabConfig, ThirdPartyCommit, VotingRule};
use super::state::{utility, Actors, State};

/// The principals' coalitions start with this strength (KTAB `minCltn`).
const MIN_CLTN: f64 = 1e-10;

/// Expected gains below this are not worth a challenge (KTAB `minSigEDU`).
const MIN_GAIN: f64 = 1e-5;

/// Actor `h`'s estimates of every actor's utility for every position,
/// stored by position (`of[b·n + a]`: `a`'s utility for `b`'s position,
/// KTAB's `aUtil[h](a, b)`), so that a challenge reads two contiguous
/// columns. Built once per perspective: a best target compares `n − 1`
/// challenges through the same eyes.
pub(crate) struct View {
    n: usize,
    of: Vec<f64>,
    /// Each actor's utility for its own position.
    own: Vec<f64>,
}

impl View {
    /// Actor `h`'s view of `state`.
    pub fn new(state: &State, h: usize) -> View {
        let mut view = View { n: 0, of: Vec::new(), own: Vec::new() };
        view.look(state, h);
        view
    }

    /// Makes this actor `h`'s view of `state`, reusing the buffers.
    pub fn look(&mut self, state: &State, h: usize) {
        let n = state.n();
        self.n = n;
        self.of.resize(n * n, 0.0);
        let est = &state.est[h * n..(h + 1) * n];
        for (b, of) in self.of.chunks_exact_mut(n).enumerate() {
            for ((u, &d), &r) in of.iter_mut().zip(state.by_position(b)).zip(est) {
                *u = utility(d, r);
            }
        }
        self.own.clear();
        self.own.extend((0..n).map(|a| self.of[a * n + a]));
    }

    /// Every actor's utility for `b`'s position.
    fn at(&self, b: usize) -> &[f64] {
        &self.of[b * self.n..(b + 1) * self.n]
    }
}

/// The viewer's estimate, when `i` challenges `j`, of the probability that
/// `i` wins and of the expected change in `k`'s utility against the status
/// quo (KTAB `probEduChlg(h, k, i, j)`).
///
/// Both principals vote with capability × total salience. Each third party
/// `n` weighs in on the side it prefers in the "little" contest of `i`, `j`
/// and itself ([`third_party_vote`]). The challenge's value to `k` is
/// `(1 − sⱼ) U(i wins) + sⱼ (P U(i wins) + (1 − P) U(j wins)) − U(status quo)`,
/// where `sⱼ`, the target's total salience, is the chance that it resists,
/// and `U` adds `k`'s utilities for the two principals' positions after the
/// contest.
pub(crate) fn estimate(actors: &Actors, view: &View, config: &KtabConfig, k: usize, i: usize, j: usize) -> (f64, f64) {
    let rule = config.voting;
    let commit = config.third_party;
    // ui[a]: a's utility for i's position; uj[a]: for j's.
    let (ui, uj) = (view.at(i), view.at(j));
    let eu_sq = ui[k] + uj[k];
    let u_i_wins = ui[k] + ui[k];
    let u_j_wins = uj[k] + uj[k];
    let sj = actors.sal_sum[j];
    let contrib_i = vote(rule, actors.influence[i], ui[i], uj[i]);
    let contrib_j = vote(rule, actors.influence[j], ui[j], uj[j]);
    let (mut for_i, mut for_j) = (MIN_CLTN, MIN_CLTN);
    for c in [contrib_i, contrib_j] {
        if c > 0.0 {
            for_i += c;
        }
        if c < 0.0 {
            for_j -= c;
        }
    }
    let parties = ThirdParties { ui, uj, own: &view.own, w: &actors.influence, i, j };
    // The loop specialised for KTAB's defaults, where most time goes.
    let (for_i, for_j) = match (rule, commit) {
        (VotingRule::Proportional, ThirdPartyCommit::Semi) => {
            parties.add(VotingRule::Proportional, ThirdPartyCommit::Semi, for_i, for_j)
        }
        _ => parties.add(rule, commit, for_i, for_j),
    };
    let p = for_i / (for_i + for_j);
    let q = for_j / (for_i + for_j);
    let contest = p * u_i_wins + q * u_j_wins;
    let challenge = (1.0 - sj) * u_i_wins + sj * contest;
    (p, challenge - eu_sq)
}

/// The third parties of `i`'s challenge of `j`, through one actor's eyes.
struct ThirdParties<'a> {
    /// Every actor's utility for `i`'s position.
    ui: &'a [f64],
    /// Every actor's utility for `j`'s position.
    uj: &'a [f64],
    /// Every actor's utility for its own position.
    own: &'a [f64],
    /// Every actor's weight (capability × total salience).
    w: &'a [f64],
    i: usize,
    j: usize,
}

impl ThirdParties<'_> {
    /// Adds every third party's vote to the coalitions for `i` and for `j`
    /// (which start with the principals' own), in actor order as KTAB does.
    #[inline(always)]
    fn add(&self, rule: VotingRule, commit: ThirdPartyCommit, mut for_i: f64, mut for_j: f64) -> (f64, f64) {
        let (ci, cj) = (for_i, for_j);
        let actors = self.ui.iter().zip(self.uj).zip(self.own.iter().zip(self.w));
        for (n, ((&uni, &unj), (&unn, &wn))) in actors.enumerate() {
            if n == self.i || n == self.j {
                continue;
            }
            // Branch-free (the signs are unpredictable); adding +0 to a
            // positive sum leaves it unchanged, so this is KTAB's sum.
            let v = third_party_vote(rule, commit, wn, uni, unj, unn, ci, cj);
            for_i += v.max(0.0);
            for_j += (-v).max(0.0);
        }
        (for_i, for_j)
    }
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
#[inline(always)]
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
    let cni = ci + own.max(0.0);
    let cnj = cj + (-own).max(0.0);
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
pub(crate) fn best_target(
    actors: &Actors,
    state: &State,
    config: &KtabConfig,
    view: &mut View,
    i: usize,
) -> Option<(usize, f64, f64)> {
    view.look(state, i);
    let view = &*view;
    let mut best: Option<(usize, f64, f64)> = None;
    for j in 0..actors.n {
        if j == i {
            continue;
        }
        let (p, gain) = estimate(actors, view, config, i, i, j);
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
