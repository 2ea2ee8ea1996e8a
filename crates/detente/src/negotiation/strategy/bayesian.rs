//! A Bayesian opponent model (Zeng & Sycara 1998, "Bayesian learning in
//! negotiation"; Hindriks & Tykhonov 2008, "Opponent modelling in automated
//! multi-issue negotiation using Bayesian learning", the model of GENIUS's
//! Bayesian agents): a posterior over a finite set of [`Hypothesis`]es about
//! each opponent's utility, updated by Bayes' rule from its offers and
//! replies, and offers steered by the posterior.
//!
//! **Hypotheses** ([`hypotheses`]): the opponent's declared types when the
//! negotiator's [`Context`] offers them ([`Context::opponent_types`]);
//! otherwise a generated family in the spirit of Hindriks & Tykhonov:
//! issue-weight hypotheses (every ranking of the issues, weights by rank,
//! for at most [`MAX_RANKED_ISSUES`] issues; otherwise equal weights and
//! each issue weighing twice the others) times value-function hypotheses
//! per issue (ordered issues: a triangular peak at each value, which
//! includes downhill and uphill; unordered options: each value the
//! favourite, scored 1, the others 0), at most [`MAX_SHAPES`] per issue,
//! and at most [`MAX_HYPOTHESES`] combinations, drawn deterministically when
//! there are more. Priors are uniform; a belief the scenario gives about the
//! opponent is one more hypothesis, `believed`, with `prior` times the
//! weight of a generated one.
//!
//! **Likelihoods.** The opponent is assumed to concede by a time-dependent
//! tactic: under hypothesis `h` its target at relative time `t` is
//! `τ_h(t) = p_max − (p_max − p_min)·t^(1/c)` (Faratin's curve with the
//! strategy's `concession = c`; `p_max`, `p_min` the hypothesis's best
//! utility and its reservation, never below its worst). An offer `x` has
//! likelihood `exp(−(u_h(x) − τ_h(t))² / 2σ²)`; a reply to an offer `x`:
//! rejecting it `λ((τ_h(t) − u_h(x))/σ)`, accepting it
//! `λ((u_h(x) − r_h)/σ)`, with `λ(z) = 1/(1 + e^(−z))`. Bayes' rule
//! multiplies, scales the largest product to 1, floors every value at
//! [`FLOOR`] and renormalises, so no hypothesis reaches exactly 0.
//!
//! **Bidding.** A time-dependent own target (exponent `e`); among the
//! outcomes with own utility in `[target, target + window]`, the one with the
//! largest `(u − r)·Π(ū_j − r̄_j)⁺` (`ū_j`, `r̄_j` the posterior means of
//! opponent `j`'s utility and reservation); ties: lower own utility, then
//! lower outcome number.
//!
//! Documentation with the arithmetic: `docs/negotiation.md`, "Bayesian
//! opponent model".

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{faratin_target, Bidding};
use crate::negotiation::{derive_seed, Context, PosteriorView, Public, Reply, Turn};

/// At most this many generated hypotheses per opponent.
pub const MAX_HYPOTHESES: usize = 256;
/// At most this many value-function hypotheses per issue (evenly spaced
/// over the issue's values when it has more).
pub const MAX_SHAPES: usize = 32;
/// Every ranking of the issues is a weight hypothesis up to this many
/// issues (4! = 24 rankings).
pub const MAX_RANKED_ISSUES: usize = 4;
/// The smallest probability ratio to the most probable hypothesis after an
/// update.
pub const FLOOR: f64 = 1e-12;

/// A hypothesis's utility function.
#[derive(Clone, Debug, PartialEq)]
pub enum Utility {
    /// `Σ_i w_i·e_i(value of issue i)`; value tables shared between
    /// hypotheses.
    Additive {
        /// Issue weights.
        weights: Vec<f64>,
        /// Per issue, the evaluation of each value.
        values: Vec<Arc<Vec<f64>>>,
    },
    /// The utility of every outcome of the domain.
    Table(Arc<Vec<f64>>),
}

/// One hypothesis about an opponent.
#[derive(Clone, Debug, PartialEq)]
pub struct Hypothesis {
    /// Its name in traces and plots.
    pub name: String,
    /// Its prior weight (normalised with the others').
    pub prior: f64,
    /// The utility it gives the opponent.
    pub utility: Utility,
    /// The opponent's reservation value under it.
    pub reservation: f64,
    best: f64,
    worst: f64,
}

impl Hypothesis {
    /// An additive hypothesis: `weights` per issue, `values[i][d]` the
    /// evaluation of value `d` of issue `i`.
    pub fn additive(
        name: impl Into<String>,
        prior: f64,
        weights: Vec<f64>,
        values: Vec<Vec<f64>>,
        reservation: f64,
    ) -> Hypothesis {
        Hypothesis::shared(name.into(), prior, weights, values.into_iter().map(Arc::new).collect(), reservation)
    }

    fn shared(name: String, prior: f64, weights: Vec<f64>, values: Vec<Arc<Vec<f64>>>, reservation: f64) -> Hypothesis {
        let ext = |pick: fn(f64, f64) -> f64, start: f64| -> f64 {
            weights.iter().zip(&values).map(|(w, v)| w * v.iter().copied().fold(start, pick)).sum()
        };
        let (best, worst) = (ext(f64::max, f64::NEG_INFINITY), ext(f64::min, f64::INFINITY));
        Hypothesis { name, prior, utility: Utility::Additive { weights, values }, reservation, best, worst }
    }

    /// A hypothesis given by the utility of every outcome.
    pub fn table(name: impl Into<String>, prior: f64, utilities: Vec<f64>, reservation: f64) -> Hypothesis {
        let best = utilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let worst = utilities.iter().copied().fold(f64::INFINITY, f64::min);
        let (best, worst) = if utilities.is_empty() { (0.0, 0.0) } else { (best, worst) };
        Hypothesis { name: name.into(), prior, utility: Utility::Table(Arc::new(utilities)), reservation, best, worst }
    }

    /// The opponent's utility of outcome `k` (value indices `digits`).
    pub fn utility(&self, k: usize, digits: &[u32]) -> f64 {
        match &self.utility {
            Utility::Additive { weights, values } => {
                weights.iter().zip(values).zip(digits).map(|((w, v), &d)| w * v[d as usize]).sum()
            }
            Utility::Table(u) => u[k],
        }
    }

    /// The opponent's target at relative time `t` under this hypothesis,
    /// conceding with exponent `concession`: `p_max − (p_max − p_min)·t^(1/c)`.
    pub fn target(&self, t: f64, concession: f64) -> f64 {
        let pmin = self.reservation.max(self.worst).min(self.best);
        faratin_target(pmin, self.best, concession, 0.0, t)
    }

    /// [`Hypothesis::target`] given the share of the way conceded,
    /// `f = t^(1/c)` (0 when `c ≤ 0`): the same arithmetic as
    /// [`faratin_target`], with the power computed once per update.
    fn target_at(&self, f: f64) -> f64 {
        let pmin = self.reservation.max(self.worst).min(self.best);
        pmin + (self.best - pmin) * (1.0 - f)
    }
}

/// `t^(1/c)`, 0 when `c ≤ 0` (Faratin's `F(t)` with `k = 0`).
fn conceded(t: f64, concession: f64) -> f64 {
    if concession <= 0.0 {
        0.0
    } else {
        t.powf(1.0 / concession)
    }
}

/// `1 / (1 + e^(−z))`.
fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// A posterior over hypotheses about one opponent.
#[derive(Clone, Debug, PartialEq)]
pub struct Posterior {
    hypotheses: Vec<Hypothesis>,
    probabilities: Vec<f64>,
    sigma: f64,
    concession: f64,
}

impl Posterior {
    /// The prior: the hypotheses' priors normalised (uniform when they do
    /// not sum to a positive number). `sigma` is the likelihoods' width,
    /// `concession` the exponent of the opponent's assumed concession.
    pub fn new(hypotheses: Vec<Hypothesis>, sigma: f64, concession: f64) -> Posterior {
        let weight = |h: &Hypothesis| if h.prior.is_finite() && h.prior > 0.0 { h.prior } else { 0.0 };
        let total: f64 = hypotheses.iter().map(weight).sum();
        let n = hypotheses.len().max(1) as f64;
        let probabilities = hypotheses.iter().map(|h| if total > 0.0 { weight(h) / total } else { 1.0 / n }).collect();
        Posterior { hypotheses, probabilities, sigma, concession }
    }

    /// The hypotheses, in their order.
    pub fn hypotheses(&self) -> &[Hypothesis] {
        &self.hypotheses
    }

    /// The probability of each hypothesis.
    pub fn probabilities(&self) -> &[f64] {
        &self.probabilities
    }

    /// Likelihood under hypothesis `h` of an offer of utility `u` (to `h`)
    /// at relative time `t`: `exp(−(u − τ_h(t))² / 2σ²)`.
    pub fn offer_likelihood(&self, h: usize, u: f64, t: f64) -> f64 {
        self.offer_likelihood_at(h, u, conceded(t, self.concession))
    }

    fn offer_likelihood_at(&self, h: usize, u: f64, f: f64) -> f64 {
        let d = u - self.hypotheses[h].target_at(f);
        (-(d * d) / (2.0 * self.sigma * self.sigma)).exp()
    }

    /// Likelihood under hypothesis `h` of a reply at time `t` to an offer of
    /// utility `u` (to `h`): rejecting `λ((τ_h(t) − u)/σ)`, accepting
    /// `λ((u − r_h)/σ)`.
    pub fn reply_likelihood(&self, h: usize, u: f64, t: f64, accepted: bool) -> f64 {
        self.reply_likelihood_at(h, u, conceded(t, self.concession), accepted)
    }

    fn reply_likelihood_at(&self, h: usize, u: f64, f: f64, accepted: bool) -> f64 {
        let hyp = &self.hypotheses[h];
        if accepted {
            logistic((u - hyp.reservation) / self.sigma)
        } else {
            logistic((hyp.target_at(f) - u) / self.sigma)
        }
    }

    /// Learns from an offer the opponent made: outcome `k` with value
    /// indices `digits`, at relative time `t`.
    pub fn observe_offer(&mut self, k: usize, digits: &[u32], t: f64) {
        let f = conceded(t, self.concession);
        let l: Vec<f64> = (0..self.hypotheses.len())
            .map(|h| self.offer_likelihood_at(h, self.hypotheses[h].utility(k, digits), f))
            .collect();
        self.update(&l);
    }

    /// Learns from the opponent's reply at time `t` to an offer of outcome
    /// `k`.
    pub fn observe_reply(&mut self, k: usize, digits: &[u32], t: f64, accepted: bool) {
        let f = conceded(t, self.concession);
        let l: Vec<f64> = (0..self.hypotheses.len())
            .map(|h| self.reply_likelihood_at(h, self.hypotheses[h].utility(k, digits), f, accepted))
            .collect();
        self.update(&l);
    }

    /// Bayes' rule: `q_h = p_h·L_h`, divided by the largest, floored at
    /// [`FLOOR`], renormalised. Likelihoods that are all zero or not finite
    /// teach nothing (the posterior is kept).
    pub fn update(&mut self, likelihoods: &[f64]) {
        let q: Vec<f64> = self.probabilities.iter().zip(likelihoods).map(|(p, l)| p * l).collect();
        let top = q.iter().copied().fold(0.0, f64::max);
        if !(top > 0.0 && top.is_finite()) || q.iter().any(|x| !x.is_finite()) {
            return;
        }
        let q: Vec<f64> = q.iter().map(|x| (x / top).max(FLOOR)).collect();
        let total: f64 = q.iter().sum();
        self.probabilities = q.iter().map(|x| x / total).collect();
    }

    /// The posterior mean of the opponent's reservation value.
    pub fn expected_reservation(&self) -> f64 {
        self.hypotheses.iter().zip(&self.probabilities).map(|(h, p)| p * h.reservation).sum()
    }

    /// The posterior mean of the opponent's utility, ready to evaluate
    /// outcome after outcome: additive hypotheses folded into one table per
    /// issue (`Σ_h p_h·w_hi·e_hi(v)`), tables kept with their probability.
    pub fn expectation(&self) -> Expectation {
        let mut per_issue: Vec<Vec<f64>> = Vec::new();
        let mut tables = Vec::new();
        for (h, &p) in self.hypotheses.iter().zip(&self.probabilities) {
            match &h.utility {
                Utility::Additive { weights, values } => {
                    if per_issue.is_empty() {
                        per_issue = values.iter().map(|v| vec![0.0; v.len()]).collect();
                    }
                    for ((acc, w), v) in per_issue.iter_mut().zip(weights).zip(values) {
                        for (a, e) in acc.iter_mut().zip(v.iter()) {
                            *a += p * w * e;
                        }
                    }
                }
                Utility::Table(u) => tables.push((p, u.clone())),
            }
        }
        Expectation { per_issue, tables }
    }
}

/// The posterior mean of an opponent's utility ([`Posterior::expectation`]).
#[derive(Clone, Debug)]
pub struct Expectation {
    per_issue: Vec<Vec<f64>>,
    tables: Vec<(f64, Arc<Vec<f64>>)>,
}

impl Expectation {
    /// The posterior mean utility of outcome `k` (value indices `digits`).
    pub fn utility(&self, k: usize, digits: &[u32]) -> f64 {
        let additive: f64 = self.per_issue.iter().zip(digits).map(|(t, &d)| t[d as usize]).sum();
        additive + self.tables.iter().map(|(p, u)| p * u[k]).sum::<f64>()
    }
}

/// The hypotheses a negotiator holds about the party in slot `opponent`:
/// its declared types when the context has them, else the generated family
/// (see the module docs), plus `believed` (prior `belief_weight` times a
/// generated hypothesis's) when the negotiator's actor holds a belief about
/// it. Generated hypotheses take the believed reservation value, or 0.
pub fn hypotheses(ctx: &Context<'_>, opponent: usize, belief_weight: f64) -> Vec<Hypothesis> {
    if let Some(types) = ctx.opponent_types(opponent) {
        return types
            .iter()
            .map(|t| Hypothesis::table(t.name.clone(), t.probability, t.utilities.clone(), t.reservation))
            .collect();
    }
    let believed = ctx.beliefs.get(opponent).copied().flatten();
    let reservation = believed.map_or(0.0, |b| b.reservation);
    let mut out = generated(ctx.public, reservation);
    if let Some(b) = believed {
        out.push(Hypothesis::table("believed", belief_weight, b.utilities.clone(), b.reservation));
    }
    out
}

/// Issue-weight hypotheses: `(name, weights)`.
fn weight_hypotheses(public: Public<'_>) -> Vec<(String, Vec<f64>)> {
    let n = public.issue_count();
    if n <= 1 {
        return vec![(String::new(), vec![1.0; n])];
    }
    if n <= MAX_RANKED_ISSUES {
        // Every ranking, lexicographic; rank r (0: first) weighs n − r.
        let total = (n * (n + 1) / 2) as f64;
        let mut out = Vec::new();
        let mut perm: Vec<usize> = (0..n).collect();
        loop {
            let mut w = vec![0.0; n];
            for (r, &i) in perm.iter().enumerate() {
                w[i] = (n - r) as f64 / total;
            }
            let name = perm.iter().map(|&i| public.issue_id(i)).collect::<Vec<_>>().join(">");
            out.push((name, w));
            if !next_permutation(&mut perm) {
                return out;
            }
        }
    }
    let mut out = vec![("equal weights".to_string(), vec![1.0 / n as f64; n])];
    for i in 0..n {
        let mut w = vec![1.0 / (n + 1) as f64; n];
        w[i] = 2.0 / (n + 1) as f64;
        out.push((format!("{} first", public.issue_id(i)), w));
    }
    out
}

/// The next permutation in lexicographic order; false after the last.
fn next_permutation(p: &mut [usize]) -> bool {
    let Some(i) = (1..p.len()).rev().find(|&i| p[i - 1] < p[i]) else {
        return false;
    };
    let j = (i..p.len()).rev().find(|&j| p[j] > p[i - 1]).expect("p[i] > p[i - 1]");
    p.swap(i - 1, j);
    p[i..].reverse();
    true
}

/// Value-function hypotheses of issue `i`: `(name, evaluation per value)`.
fn value_shapes(public: Public<'_>, i: usize) -> Vec<(String, Arc<Vec<f64>>)> {
    let m = public.value_count(i);
    if m <= 1 {
        return vec![(String::new(), Arc::new(vec![1.0; m]))];
    }
    let centres: Vec<usize> = if m <= MAX_SHAPES {
        (0..m).collect()
    } else {
        let mut c: Vec<usize> =
            (0..MAX_SHAPES).map(|j| ((j * (m - 1)) as f64 / (MAX_SHAPES - 1) as f64).round() as usize).collect();
        c.dedup();
        c
    };
    let id = public.issue_id(i);
    if public.is_ordered(i) {
        let x: Vec<f64> = (0..m as u32).map(|d| public.value_position(i, d)).collect();
        let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        centres
            .into_iter()
            .map(|c| {
                let reach = (x[c] - lo).max(hi - x[c]);
                let e = x.iter().map(|&v| if reach > 0.0 { 1.0 - (v - x[c]).abs() / reach } else { 1.0 }).collect();
                (format!("{id}@{}", public.value_label(i, c as u32)), Arc::new(e))
            })
            .collect()
    } else {
        centres
            .into_iter()
            .map(|c| {
                let e = (0..m).map(|d| if d == c { 1.0 } else { 0.0 }).collect();
                (format!("{id}={}", public.value_label(i, c as u32)), Arc::new(e))
            })
            .collect()
    }
}

/// The generated family (see the module docs), each with prior 1.
fn generated(public: Public<'_>, reservation: f64) -> Vec<Hypothesis> {
    let weights = weight_hypotheses(public);
    let shapes: Vec<Vec<(String, Arc<Vec<f64>>)>> =
        (0..public.issue_count()).map(|i| value_shapes(public, i)).collect();
    let radices: Vec<usize> = std::iter::once(weights.len()).chain(shapes.iter().map(Vec::len)).collect();
    let total = radices.iter().fold(1u128, |n, &r| n.saturating_mul(r as u128));
    let mut picks: Vec<Vec<usize>> = Vec::new();
    if total <= MAX_HYPOTHESES as u128 {
        // Every combination, weights slowest, the last issue fastest.
        let mut c = vec![0usize; radices.len()];
        loop {
            picks.push(c.clone());
            if !crate::analysis::space::next(&mut c, &radices) {
                break;
            }
        }
    } else {
        // A fixed pseudo-random draw of distinct combinations (the same on
        // every run and every session).
        let mut seen = BTreeSet::new();
        let mut j = 0u64;
        while picks.len() < MAX_HYPOTHESES && j < 64 * MAX_HYPOTHESES as u64 {
            let c: Vec<usize> =
                radices.iter().enumerate().map(|(pos, &r)| (derive_seed(j, pos as u64) % r as u64) as usize).collect();
            if seen.insert(c.clone()) {
                picks.push(c);
            }
            j += 1;
        }
    }
    picks
        .into_iter()
        .map(|c| {
            let (wname, w) = &weights[c[0]];
            let parts: Vec<&str> =
                shapes.iter().zip(&c[1..]).map(|(s, &k)| s[k].0.as_str()).filter(|n| !n.is_empty()).collect();
            let vname = parts.join(", ");
            let name = match (wname.is_empty(), vname.is_empty()) {
                (true, _) => vname,
                (false, true) => wname.clone(),
                (false, false) => format!("{wname} | {vname}"),
            };
            let values = shapes.iter().zip(&c[1..]).map(|(s, &k)| s[k].1.clone()).collect();
            Hypothesis::shared(name, 1.0, w.clone(), values, reservation)
        })
        .collect()
}

/// Bayesian-model bidding.
#[derive(Clone, Debug, PartialEq)]
pub struct BayesianBidding {
    /// Concession exponent of its own target.
    pub e: f64,
    /// Width of the utility band searched above the target.
    pub window: f64,
    /// Width of the likelihoods.
    pub sigma: f64,
    /// Concession exponent assumed for the opponent.
    pub concession: f64,
    /// Prior weight of a belief, in generated hypotheses.
    pub prior: f64,
    models: Vec<Option<Posterior>>,
}

impl BayesianBidding {
    /// The strategy with its parameters.
    pub fn new(e: f64, window: f64, sigma: f64, concession: f64, prior: f64) -> BayesianBidding {
        BayesianBidding { e, window, sigma, concession, prior, models: Vec::new() }
    }

    /// The posterior about the party in slot `slot`, once started.
    pub fn model(&self, slot: usize) -> Option<&Posterior> {
        self.models.get(slot).and_then(Option::as_ref)
    }
}

impl Bidding for BayesianBidding {
    fn start(&mut self, ctx: &Context<'_>) {
        self.models = (0..ctx.parties)
            .map(|slot| {
                (slot != ctx.slot)
                    .then(|| Posterior::new(hypotheses(ctx, slot, self.prior), self.sigma, self.concession))
            })
            .collect();
    }

    fn observe(&mut self, ctx: &Context<'_>, turn: Turn, offer: usize, from: usize) {
        if let Some(Some(m)) = self.models.get_mut(from) {
            m.observe_offer(offer, ctx.public.digits(offer), turn.time);
        }
    }

    fn replied(&mut self, ctx: &Context<'_>, turn: Turn, reply: &Reply) {
        if let Some(Some(m)) = self.models.get_mut(reply.from) {
            m.observe_reply(reply.offer, ctx.public.digits(reply.offer), turn.time, reply.accepted);
        }
    }

    fn bid(&mut self, ctx: &Context<'_>, turn: Turn) -> usize {
        let own = ctx.own;
        let (lo, hi) = super::concession_band(own, self.e, self.window, turn.time);
        let expected: Vec<(Expectation, f64)> =
            self.models.iter().flatten().map(|m| (m.expectation(), m.expected_reservation())).collect();
        let mut best: Option<(f64, usize)> = None;
        for &k in &own.order[lo..hi] {
            let k = k as usize;
            let digits = ctx.public.digits(k);
            let mut score = (own.utility(k) - own.reservation).max(0.0);
            for (m, r) in &expected {
                score *= (m.utility(k, digits) - r).max(0.0);
            }
            // Strictly better only: ties keep the earlier (lower-utility) one.
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, k));
            }
        }
        best.map_or_else(|| own.best(), |(_, k)| k)
    }

    fn posterior(&self) -> Option<PosteriorView<'_>> {
        Some(
            self.models
                .iter()
                .enumerate()
                .filter_map(|(slot, m)| {
                    m.as_ref().map(|m| {
                        (slot, m.hypotheses.iter().zip(&m.probabilities).map(|(h, &p)| (h.name.as_str(), p)).collect())
                    })
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::negotiation::domain::{Domain, DomainConfig};
    use crate::negotiation::Deadline;

    fn context_hypotheses(text: &str) -> Vec<Hypothesis> {
        let scenario = crate::load_str("t.toml", text, crate::TextFormat::Toml).scenario.unwrap();
        let domain = Domain::new(&scenario, &DomainConfig::default()).unwrap();
        let ctx = Context {
            public: Public { domain: &domain, parties: &[0, 1] },
            own: domain.preferences(0),
            slot: 0,
            parties: 2,
            beliefs: &[None, None],
            types: &[None, None],
            deadline: Deadline::rounds(10),
            walkaway: None,
            seed: 1,
        };
        assert!(ctx.opponent_types(1).is_none());
        hypotheses(&ctx, 1, 10.0)
    }

    #[test]
    fn small_families_are_enumerated_whole() {
        let hyps = context_hypotheses(
            "format = 1\nname = \"t\"\n[[issues]]\nid = \"price\"\nkind = \"integer\"\nmin = 0\nmax = 4\n\
             [[issues]]\nid = \"colour\"\noptions = [\"red\", \"green\", \"blue\"]\n\
             [[actors]]\nid = \"a\"\nstances.price = { position = 0, salience = 1 }\n\
             [[actors]]\nid = \"b\"\nstances.price = { position = 4, salience = 1 }\n",
        );
        // 2 rankings × 5 peaks × 3 favourites.
        assert_eq!(hyps.len(), 30);
        assert_eq!(hyps[0].name, "price>colour | price@0, colour=red");
        assert_eq!(hyps[29].name, "colour>price | price@4, colour=blue");
        let names: BTreeSet<&str> = hyps.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names.len(), 30, "distinct names");
        // price first (2/3), peak at 0 (e = 1 − x/4), red the favourite:
        // outcome (price 2, red) is worth 2/3·0.5 + 1/3·1 = 2/3.
        let k = |p: u32, c: u32| (p * 3 + c) as usize;
        assert!((hyps[0].utility(k(2, 0), &[2, 0]) - 2.0 / 3.0).abs() < 1e-12);
        assert!((hyps[0].utility(k(4, 1), &[4, 1]) - 0.0).abs() < 1e-12);
        // Triangular peak at 1 (reach 3): e(4) = 0, e(0) = 2/3.
        let peak1 = &hyps[3];
        assert_eq!(peak1.name, "price>colour | price@1, colour=red");
        assert!((peak1.utility(k(0, 0), &[0, 0]) - (2.0 / 3.0 * 2.0 / 3.0 + 1.0 / 3.0)).abs() < 1e-12);
        assert!(hyps.iter().all(|h| h.prior == 1.0 && h.reservation == 0.0 && (h.best - 1.0).abs() < 1e-12));
    }

    #[test]
    fn large_families_are_capped_deterministically() {
        let mut text = String::from("format = 1\nname = \"t\"\n");
        for i in 0..5 {
            text += &format!("[[issues]]\nid = \"i{i}\"\nkind = \"integer\"\nmin = 0\nmax = 5\n");
        }
        text += "[[actors]]\nid = \"a\"\nstances.i0 = { position = 0, salience = 1 }\n\
                 [[actors]]\nid = \"b\"\nstances.i0 = { position = 5, salience = 1 }\n";
        let hyps = context_hypotheses(&text);
        // 6 weight hypotheses (equal, each issue first) × 6⁵ peaks: capped.
        assert_eq!(hyps.len(), MAX_HYPOTHESES);
        let names: BTreeSet<&str> = hyps.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names.len(), MAX_HYPOTHESES, "distinct");
        assert_eq!(context_hypotheses(&text), hyps, "the same every time");
    }
}
