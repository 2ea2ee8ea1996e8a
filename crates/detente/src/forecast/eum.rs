//! Bueno de Mesquita's expected-utility model of group decisions, as
//! formalised by Scholz, Calbert & Smith (2011) (`docs/models/eum.md`).
//!
//! Each round, on one issue with positions `xᵢ`, capabilities `cᵢ` and
//! saliences `sᵢ` (weights `wᵢ = cᵢ sᵢ`), with `Δ` the width of the
//! position range:
//!
//! 1. **Votes.** Voter `k`'s vote for position `a` over `b` is
//!    `vₖ(a, b) = wₖ ((|xₖ − b|/Δ)^ρₖ − (|xₖ − a|/Δ)^ρₖ)`, where `ρₖ` is the
//!    voter's risk exponent ([`EumConfig::voter_risk`]) or 1.
//! 2. **Probability of success** of `i` against `j`, `Pᵢⱼ`: a numerator of
//!    votes for `xᵢ` over `xⱼ` ([`Numerator`]) over a denominator
//!    ([`Denominator`]); 0 when `xᵢ = xⱼ`.
//! 3. **Utilities** from `i`'s point of view with its risk exponent `rᵢ`:
//!    success `Uₛ = 2 − 4(½ − ½ d)^rᵢ`, failure `U_f = 2 − 4(½ + ½ d)^rᵢ`,
//!    status quo `U_sq = 2 − 4(½)^rᵢ`, better/worse
//!    `U_b, U_w = 2 − 4(½ ∓ ¼ (|xᵢ − μ| + |xᵢ − xⱼ|)/Δ)^rᵢ`, with
//!    `d = |xᵢ − xⱼ|/Δ` and `μ` the median (or mean) position.
//! 4. **Expected utility** of `i` challenging `j`:
//!    `EUᵢ(Δxᵢⱼ) = sⱼ (Pᵢⱼ Uₛ + (1 − Pᵢⱼ) U_f) + (1 − sⱼ) Uₛ − Q U_sq − (1 − Q)(T U_b + (1 − T) U_w)`.
//! 5. **Risk.** With every `r = 1`, actor `i`'s exposure is
//!    `Sᵢ = Σ_{j≠i} EU(Δxⱼᵢ)` (computed from `i`'s point of view);
//!    `Rᵢ = (2 Sᵢ − max S − min S)/(max S − min S)` and
//!    `rᵢ = (1 − Rᵢ/3)/(1 + Rᵢ/3)` ∈ [½, 2]. Steps 1–4 are then redone with
//!    these exponents.
//! 6. **Offers.** For every `j` with `xⱼ ≠ xᵢ`, `i` compares its own
//!    `eᵢⱼ = EUᵢ(Δxᵢⱼ)` with its estimate of `j`'s `eⱼᵢ = EU(Δxⱼᵢ)` (both with
//!    `rᵢ`): `eⱼᵢ > eᵢⱼ > 0` — `i` loses a confrontation and takes `xⱼ`;
//!    `eⱼᵢ > 0 > eᵢⱼ`, `eⱼᵢ > |eᵢⱼ|` — `i` compromises to
//!    `xᵢ + (xⱼ − xᵢ)|eᵢⱼ/eⱼᵢ|`; `eⱼᵢ > 0 > eᵢⱼ`, `eⱼᵢ ≤ |eᵢⱼ|` — `i`
//!    capitulates to `xⱼ`. It accepts one offer ([`OfferPriority`]).
//! 7. **Update.** All actors move at once; the forecast is the weighted
//!    median (or mean) of the new positions.
//!
//! The literature leaves several of these choices open; each is an option
//! of [`EumConfig`], with two presets: [`EumConfig::replication`]
//! reproduces the widely used replication code exactly, and
//! [`EumConfig::paper`] follows the equations of the paper.

use super::elementary::{exp, ln};
use super::median::weighted_median;
use super::runner::{self, RunConfig};
use super::{
    one_dimension, stated, ForecastInput, ForecastModel, Metric, MetricValue, ModelError, Move, MoveKind, Round,
    Scratch,
};

/// The numerator of the probability of success `Pᵢⱼ`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numerator {
    /// `Σₖ max(0, vₖ(xᵢ, xⱼ))`: the votes of the voters who prefer `xᵢ`.
    PositiveVotes,
    /// `max(0, Σₖ vₖ(xᵢ, xⱼ))`: the net vote for `xᵢ`, when positive.
    NetVotes,
}

/// The denominator of the probability of success `Pᵢⱼ`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denominator {
    /// `Σₖ |vₖ(xᵢ, xⱼ)|`: all votes cast on the pair, so that `P` is a share
    /// of the pair's votes.
    Pair,
    /// `Σₖ Σₐ Σ_b |vₖ(xₐ, x_b)|` over every ordered pair of actors' positions:
    /// one constant per round, making every `P` small.
    AllPairs,
}

/// How `Δ`, the width that normalises distances, is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delta {
    /// The range of the stated (round-0) positions, fixed for the run.
    Initial,
    /// The range of the current positions, every round.
    Current,
    /// The issue's scale (`max − min`).
    Scale,
}

/// Which position `μ` stands for the expected outcome in `U_b` and `U_w`
/// (these matter only when `Q < 1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Center {
    /// The weighted median of the current positions.
    Median,
    /// The weighted mean of the current positions.
    Mean,
}

/// Which of its offers an actor takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferPriority {
    /// As the replication code: a lost confrontation if any (the nearest
    /// winner), else a compromise (the one with the smallest
    /// `(|eᵢⱼ| xᵢ + |eⱼᵢ| xⱼ)/(|eᵢⱼ| + |eⱼᵢ|)`, a quirk of that code), else a
    /// capitulation (the nearest).
    Replication,
    /// The offer that moves the actor least, whatever its kind (the paper
    /// and Bueno de Mesquita 1994). Ties go to the first counterpart in
    /// actor order.
    LeastMovement,
}

/// When a run stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopping {
    /// Play every round up to the maximum.
    FixedRounds,
    /// Stop after a round in which no actor moved.
    Stable,
}

/// Which summary of the positions is the forecast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The weighted median: the position no other beats in a vote, Bueno
    /// de Mesquita's prediction.
    Median,
    /// The capability × salience weighted mean.
    Mean,
}

/// Every choice the literature leaves open. No `Default`: start from a
/// preset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EumConfig {
    /// The numerator of `P`.
    pub numerator: Numerator,
    /// The denominator of `P`.
    pub denominator: Denominator,
    /// Whether a voter's own risk exponent shapes its votes.
    pub voter_risk: bool,
    /// `Q`: the probability that, absent a challenge, `j` keeps its position.
    pub q: f64,
    /// `T`: the probability that a change of `j`'s position absent a
    /// challenge is for the better for `i`.
    pub t: f64,
    /// How `Δ` is measured.
    pub delta: Delta,
    /// `μ` in `U_b` and `U_w`.
    pub center: Center,
    /// Which offer an actor takes.
    pub priority: OfferPriority,
    /// When to stop.
    pub stopping: Stopping,
    /// The most rounds played.
    pub rounds: usize,
    /// Which summary is the forecast.
    pub outcome: Outcome,
}

impl EumConfig {
    /// The widely used replication of Scholz et al.'s model (the "Scholz
    /// code" variant in `../shared/data/README.md`): `Δ` fixed from the
    /// stated positions, `Q = T = 1`, voters' own risk exponents in the
    /// votes, positive votes over the votes on every ordered pair, the
    /// code's offer priority, ten rounds.
    pub fn replication() -> EumConfig {
        EumConfig {
            numerator: Numerator::PositiveVotes,
            denominator: Denominator::AllPairs,
            voter_risk: true,
            q: 1.0,
            t: 1.0,
            delta: Delta::Initial,
            center: Center::Median,
            priority: OfferPriority::Replication,
            stopping: Stopping::FixedRounds,
            rounds: 10,
            outcome: Outcome::Median,
        }
    }

    /// The paper's equations: votes without risk, `P` the net vote for the
    /// challenger over the votes on the pair, `Δ` the current range, the
    /// offer that moves an actor least, `Q = T = 1` (their Table 2), stop
    /// when no actor moves (at most ten rounds).
    pub fn paper() -> EumConfig {
        EumConfig {
            numerator: Numerator::NetVotes,
            denominator: Denominator::Pair,
            voter_risk: false,
            q: 1.0,
            t: 1.0,
            delta: Delta::Current,
            center: Center::Median,
            priority: OfferPriority::LeastMovement,
            stopping: Stopping::Stable,
            rounds: 10,
            outcome: Outcome::Median,
        }
    }
}

/// The expected-utility model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Eum {
    /// The registry name (`eum-replication`, `eum-paper`).
    pub name: &'static str,
    /// The options.
    pub config: EumConfig,
}

impl Eum {
    /// The replication preset, registered as `eum-replication`.
    pub fn replication() -> Eum {
        Eum { name: "eum-replication", config: EumConfig::replication() }
    }

    /// The paper preset, registered as `eum-paper`.
    pub fn paper() -> Eum {
        Eum { name: "eum-paper", config: EumConfig::paper() }
    }
}

impl ForecastModel for Eum {
    fn name(&self) -> &'static str {
        self.name
    }

    fn iterates(&self) -> bool {
        true
    }

    fn default_run(&self) -> RunConfig {
        let tolerance = match self.config.stopping {
            Stopping::FixedRounds => None,
            Stopping::Stable => Some(0.0),
        };
        RunConfig { max_rounds: self.config.rounds, tolerance }
    }

    fn init(&self, input: &ForecastInput) -> Result<Round, ModelError> {
        one_dimension(self.name, input)?;
        let positions = stated(input);
        let weights = input.weights(0);
        let (median, mean) = summaries(&positions, &weights);
        let mut round = Round::new(0, 1, positions, vec![self.pick(median, mean)]);
        round.metrics = vec![
            Metric { name: "median", value: MetricValue::Number(median) },
            Metric { name: "mean", value: MetricValue::Number(mean) },
        ];
        Ok(round)
    }

    fn forecast_fast(
        &self,
        input: &ForecastInput,
        config: &RunConfig,
        scratch: &mut Scratch,
    ) -> Option<Result<Vec<f64>, ModelError>> {
        Some(self.run_fast(input, config, scratch.get::<Fast>()).map(|f| vec![f]))
    }

    fn step(&self, input: &ForecastInput, previous: Round) -> Result<Round, ModelError> {
        let weights = input.weights(0);
        let mut ctx =
            Ctx::with_work(input, &self.config, &weights, &previous.positions, initial_delta(input), Work::default());
        let mut moves = Vec::new();
        ctx.round(Some(&mut moves));
        let Work { next: positions, risk, .. } = ctx.into_work();
        let (median, mean) = summaries(&positions, &weights);
        let mut round = Round::new(previous.round + 1, 1, positions, vec![self.pick(median, mean)]);
        round.metrics = vec![
            Metric { name: "median", value: MetricValue::Number(median) },
            Metric { name: "mean", value: MetricValue::Number(mean) },
            Metric { name: "risk", value: MetricValue::PerActor(risk) },
            Metric { name: "moves", value: MetricValue::Moves(moves) },
        ];
        Ok(round)
    }
}

impl Eum {
    /// The fast path of Monte Carlo: the run [`runner::run_observed`]
    /// plays with no observer, without the metrics and the trace, in the
    /// buffers of `fast`; returns the last round's forecast, bit for bit the
    /// runner's (tested). The final positions stay in `fast.x`.
    fn run_fast(&self, input: &ForecastInput, config: &RunConfig, fast: &mut Fast) -> Result<f64, ModelError> {
        one_dimension(self.name, input)?;
        let Fast { work, w, x, before } = fast;
        // input.weights(0) and the stated positions, without allocating.
        w.clear();
        w.extend(input.actors.iter().map(|a| a.capability[0] * a.salience[0]));
        if w.iter().all(|&v| v <= 0.0) {
            w.iter_mut().for_each(|v| *v = 1.0);
        }
        x.clear();
        x.extend(input.actors.iter().map(|a| a.position[0]));
        let initial = initial_delta(input);
        // The runner's loop (`ForecastModel::terminate` is never set for
        // this model, and there is no observer).
        let mut round = 0;
        loop {
            if let (Some(tolerance), true) = (config.tolerance, round > 0) {
                if runner::converged(input, before, x, 1, tolerance) {
                    break;
                }
            }
            if round >= config.max_rounds {
                break;
            }
            std::mem::swap(before, x);
            let mut ctx = Ctx::with_work(input, &self.config, w, before, initial, std::mem::take(work));
            ctx.round(None);
            *work = ctx.into_work();
            x.clear();
            x.extend_from_slice(&work.next);
            round += 1;
        }
        let (median, mean) = summaries(x, w);
        Ok(self.pick(median, mean))
    }

    fn pick(&self, median: f64, mean: f64) -> f64 {
        match self.config.outcome {
            Outcome::Median => median,
            Outcome::Mean => mean,
        }
    }
}

/// What [`Eum::run_fast`] keeps between runs on one thread.
#[derive(Debug, Default)]
pub(crate) struct Fast {
    work: Work,
    /// Weights of the run's input.
    w: Vec<f64>,
    /// Positions: the current round's and the one before.
    x: Vec<f64>,
    before: Vec<f64>,
}

/// The weighted median and mean of `positions`.
fn summaries(positions: &[f64], weights: &[f64]) -> (f64, f64) {
    let total: f64 = weights.iter().sum();
    let mean = positions.iter().zip(weights).map(|(x, w)| x * w).sum::<f64>() / total;
    (weighted_median(positions, weights), mean)
}

/// One round's computation.
///
/// The loops are arranged for speed, as Monte Carlo runs them thousands of
/// times; the arithmetic is the equations', regrouped:
///
/// - what depends on positions, not on actors (distances, logarithms,
///   probabilities of success) is computed once per pair of *distinct*
///   positions (actors often share one), and once per unordered pair, since
///   `vₖ(b, a) = −vₖ(a, b)`;
/// - a vote's sign depends only on which side of the pair's midpoint the
///   voter sits, so with voters sorted by position the positive and the
///   negative votes on a pair are differences of prefix sums
///   (`O(n m)` for all pairs instead of `O(n m²)`);
/// - with every exponent 1 (the risk phase), voters at the same position
///   vote as one, with their weights added;
/// - an actor's exposure is linear in its own salience, so three sums per
///   position give every actor's exposure;
/// - `b^r` is `exp(r ln b)` (the portable, vectorisable functions of
///   [`elementary`](super::elementary)), with the logarithms taken once per
///   pair of positions and each actor's powers for every position in one
///   pass over an array; `b` itself when `r = 1`;
/// - each actor still weighs its counterparts' offers one by one, in actor
///   order, as the equations read.
///
/// These change the last bits of a result, never the reference values.
/// The buffers live in a [`Work`], which the fast path ([`Eum::run_fast`])
/// keeps from round to round and run to run.
struct Ctx<'a> {
    config: &'a EumConfig,
    /// Capability × salience (with the equal-weight fallback).
    w: &'a [f64],
    /// Current positions.
    x: &'a [f64],
    n: usize,
    /// `Δ`.
    delta: f64,
    /// `μ`.
    mu: f64,
    /// Everything else.
    b: Work,
}

/// The buffers of one round. Refilled every round; kept only to reuse
/// their allocations. Tables over pairs of distinct positions are `m × m`,
/// row-major; tables over actors and positions are `n × m`, one row per
/// actor.
#[derive(Debug, Default)]
pub(crate) struct Work {
    /// Salience of each actor.
    s: Vec<f64>,
    /// The distinct positions, ascending.
    pos: Vec<f64>,
    /// How many actors hold each distinct position.
    count: Vec<f64>,
    /// The index in `pos` of each actor's position.
    at: Vec<usize>,
    /// The actors in ascending position (ties in actor order).
    order: Vec<usize>,
    /// `d = |pos_q − pos_q'|/Δ` per pair of distinct positions.
    dist: Vec<f64>,
    /// `ln d`, `ln(½ − ½d)` and `ln(½ + ½d)` per pair of distinct positions
    /// (on the diagonal, `d = 0`: `−∞`, `ln ½`, `ln ½`).
    ln_d: Vec<f64>,
    ln_good: Vec<f64>,
    ln_bad: Vec<f64>,
    /// The previous round's positions, `Δ` and logarithms: pairs of
    /// positions held in both rounds keep their logarithms (the same
    /// numbers, so the same bits).
    last_pos: Vec<f64>,
    last_delta: f64,
    last_ln: [Vec<f64>; 3],
    /// The index in `last_pos` of each position, or `usize::MAX`.
    was: Vec<usize>,
    /// Each actor's `(½ − ½d)^r`, `(½ + ½d)^r` and `d^r` from its position to
    /// every position, with its risk exponent `r`: three `n × m` tables one
    /// after the other (`d^r` only when voters' risk shapes their votes).
    pow: Vec<f64>,
    /// Voter weights added up per position (the risk phase).
    weight_at: Vec<f64>,
    /// Voters in ascending position: (position index, row of their
    /// utilities, weight).
    voters: Vec<(usize, usize, f64)>,
    /// `first[h]`: how many voters sit at positions below `pos[h]`.
    first: Vec<usize>,
    /// Per pair of positions `q < r`: the first position at or above their
    /// midpoint, and the first above it.
    split: Vec<(u32, u32)>,
    /// `prefix[t * m + q]`: Σ over the first `t` voters of `w u(q)`.
    prefix: Vec<f64>,
    /// `p[q * m + q']`: probability that a challenger at position `q`
    /// succeeds against a target at `q'`; `p_t` is its transpose.
    p: Vec<f64>,
    p_t: Vec<f64>,
    /// The votes cast on each pair of positions.
    pair: Vec<f64>,
    /// Per target position, sums over the challengers of their lottery,
    /// `Uₛ` and charges (the risk phase).
    sum_lottery: Vec<f64>,
    sum_success: Vec<f64>,
    sum_charge: Vec<f64>,
    /// One actor's view of each position: `Uₛ`, its lottery in a challenge
    /// there, its estimate of that position's expected utility against it,
    /// and its own charges (when `Q < 1`).
    success: Vec<f64>,
    lottery: Vec<f64>,
    theirs: Vec<f64>,
    charge: Vec<f64>,
    /// The counterparts who would gain from challenging one actor.
    gain: Vec<usize>,
    /// Every actor's exposure and risk exponent.
    exposure: Vec<f64>,
    risk: Vec<f64>,
    /// The positions after the round.
    next: Vec<f64>,
}

/// Who votes in [`Ctx::probabilities`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Voters {
    /// Every exponent 1: one voter per position, with the weights there
    /// added (`weight_at`), utilities `d`.
    Positions,
    /// Every actor with its own exponent: utilities `d^r` (the third table of `pow`).
    Actors,
}

/// Expected utilities and offer keys are sums of terms of order 1; values
/// within this of each other (or of 0) differ by rounding alone. Without
/// this, two actors a rounding error apart would trade offers on the sign of
/// that error, and a regrouping of the sums could change a trajectory.
const NOISE: f64 = 1e-12;

/// `x`, or 0 when it is rounding noise.
#[inline]
fn denoise(x: f64) -> f64 {
    if x.abs() <= NOISE {
        0.0
    } else {
        x
    }
}

/// `a > b` by more than rounding noise (relative to their size).
#[inline]
fn greater(a: f64, b: f64) -> bool {
    a - b > NOISE * a.abs().max(b.abs()).max(1.0)
}

/// `2 − 4 base^r` (`base` floored at 0).
#[inline(always)]
fn utility(base: f64, r: f64) -> f64 {
    let base = base.max(0.0);
    2.0 - 4.0 * if r == 1.0 { base } else { exp(r * ln(base)) }
}

/// Makes `v` at least `len` long, keeping (not clearing) what it holds.
#[inline(always)]
fn fit<T: Clone + Default>(v: &mut Vec<T>, len: usize) {
    if v.len() < len {
        v.resize(len, T::default());
    }
}

/// The width of the actors' stated positions (`Δ` of [`Delta::Initial`]).
fn initial_delta(input: &ForecastInput) -> f64 {
    range(input.actors.iter().map(|a| a.position[0]))
}

/// `max − min` of `xs`.
fn range(xs: impl Iterator<Item = f64>) -> f64 {
    let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    hi - lo
}

impl Work {
    /// Fills the tables over pairs of distinct positions (`dist`, `ln_d`,
    /// `ln_good`, `ln_bad`) for width `delta`.
    fn pair_tables(&mut self, delta: f64) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            return unsafe { self.pair_tables_avx2(delta) };
        }
        self.pair_tables_here(delta)
    }

    /// [`pair_tables`](Work::pair_tables) compiled for AVX2 (see
    /// [`Ctx::round`]).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn pair_tables_avx2(&mut self, delta: f64) {
        self.pair_tables_here(delta)
    }

    #[inline(always)]
    fn pair_tables_here(&mut self, delta: f64) {
        let m = self.pos.len();
        let Work { pos, dist, ln_d, ln_good, ln_bad, last_pos, last_delta, last_ln, was, split, .. } = self;
        // Where each pair's midpoint falls: it rises with r.
        fit(split, m * m);
        for q in 0..m {
            let mut h = q + 1;
            for r in q + 1..m {
                // Halving first where the sum overflows (positions near
                // ±f64::MAX): the same bits elsewhere, and a midpoint that
                // lies between the two, so `h` stops at `r` at the latest.
                let mut mid = 0.5 * (pos[q] + pos[r]);
                if !mid.is_finite() {
                    mid = 0.5 * pos[q] + 0.5 * pos[r];
                }
                while h < r && pos[h] < mid {
                    h += 1;
                }
                let up = if pos[h] == mid { h + 1 } else { h };
                split[q * m + r] = (h as u32, up as u32);
            }
        }
        // Tables are only grown: every entry read in a round is written first.
        for table in [&mut *dist, &mut *ln_d, &mut *ln_good, &mut *ln_bad] {
            fit(table, m * m);
        }
        if delta.is_nan() || delta <= 0.0 {
            *last_delta = f64::NAN;
            return;
        }
        // Last round's logarithms move aside; `was` maps positions to
        // their place in them (both lists ascend).
        let last_m = last_pos.len();
        was.clear();
        if delta.to_bits() == last_delta.to_bits() {
            let mut o = 0;
            was.extend(pos.iter().map(|&p| {
                while o < last_m && last_pos[o] < p {
                    o += 1;
                }
                if o < last_m && last_pos[o] == p {
                    o
                } else {
                    usize::MAX
                }
            }));
        } else {
            was.resize(m, usize::MAX);
        }
        let [old_d, old_good, old_bad] = last_ln;
        std::mem::swap(ln_d, old_d);
        std::mem::swap(ln_good, old_good);
        std::mem::swap(ln_bad, old_bad);
        for table in [&mut *ln_d, &mut *ln_good, &mut *ln_bad] {
            fit(table, m * m);
        }
        let ln_half = ln(0.5);
        for q in 0..m {
            let k = q * m;
            (dist[k + q], ln_d[k + q], ln_good[k + q], ln_bad[k + q]) = (0.0, f64::NEG_INFINITY, ln_half, ln_half);
            // The upper triangle, row by row, then mirrored.
            for (d, &p) in dist[k + q + 1..k + m].iter_mut().zip(&pos[q + 1..]) {
                *d = (p - pos[q]) / delta;
            }
            if was[q] == usize::MAX {
                // A new position: the whole row in vectorised loops.
                let upper = k + q + 1..k + m;
                for (l, &d) in ln_d[upper.clone()].iter_mut().zip(&dist[upper.clone()]) {
                    *l = ln(d);
                }
                for (l, &d) in ln_good[upper.clone()].iter_mut().zip(&dist[upper.clone()]) {
                    *l = ln((0.5 - 0.5 * d).max(0.0));
                }
                for (l, &d) in ln_bad[upper.clone()].iter_mut().zip(&dist[upper]) {
                    *l = ln(0.5 + 0.5 * d);
                }
            } else {
                let old = was[q] * last_m;
                for r in q + 1..m {
                    if was[r] == usize::MAX {
                        let d = dist[k + r];
                        (ln_d[k + r], ln_good[k + r], ln_bad[k + r]) =
                            (ln(d), ln((0.5 - 0.5 * d).max(0.0)), ln(0.5 + 0.5 * d));
                    } else {
                        let o = old + was[r];
                        (ln_d[k + r], ln_good[k + r], ln_bad[k + r]) = (old_d[o], old_good[o], old_bad[o]);
                    }
                }
            }
            for r in q + 1..m {
                dist[r * m + q] = dist[k + r];
                ln_d[r * m + q] = ln_d[k + r];
                ln_good[r * m + q] = ln_good[k + r];
                ln_bad[r * m + q] = ln_bad[k + r];
            }
        }
        last_pos.clone_from(pos);
        *last_delta = delta;
    }
}

impl<'a> Ctx<'a> {
    #[cfg(test)]
    fn new(input: &ForecastInput, config: &'a EumConfig, w: &'a [f64], x: &'a [f64]) -> Ctx<'a> {
        Ctx::with_work(input, config, w, x, initial_delta(input), Work::default())
    }

    /// The round from positions `x`, in the buffers of `b`; `initial` is
    /// [`initial_delta`] (fixed for a run).
    fn with_work(
        input: &ForecastInput,
        config: &'a EumConfig,
        w: &'a [f64],
        x: &'a [f64],
        initial: f64,
        mut b: Work,
    ) -> Ctx<'a> {
        let n = x.len();
        let delta = match config.delta {
            Delta::Initial => initial,
            Delta::Current => range(x.iter().copied()),
            Delta::Scale => input.span(0),
        };
        // μ matters only when Q < 1.
        let mu = if config.q == 1.0 {
            f64::NAN
        } else {
            let (median, mean) = summaries(x, w);
            match config.center {
                Center::Median => median,
                Center::Mean => mean,
            }
        };
        b.s.clear();
        b.s.extend(input.actors.iter().map(|a| a.salience[0]));
        // Ties in actor order. Positions change little from round to round,
        // so an insertion sort starting from the last round's order does
        // little work (the result is the same from any start: the order is
        // total).
        let order = &mut b.order;
        if order.len() != n {
            order.clear();
            order.extend(0..n);
        }
        let before = |a: usize, c: usize| x[a].total_cmp(&x[c]).then(a.cmp(&c)).is_lt();
        for k in 1..n {
            let a = order[k];
            let mut h = k;
            while h > 0 && before(a, order[h - 1]) {
                order[h] = order[h - 1];
                h -= 1;
            }
            order[h] = a;
        }
        let Work { pos, count, at, order, .. } = &mut b;
        pos.clear();
        count.clear();
        at.clear();
        at.resize(n, 0);
        for &a in order.iter() {
            if pos.last() != Some(&x[a]) {
                pos.push(x[a]);
                count.push(0.0);
            }
            if let Some(c) = count.last_mut() {
                *c += 1.0;
            }
            at[a] = pos.len() - 1;
        }
        b.pair_tables(delta);
        Ctx { config, w, x, n, delta, mu, b }
    }

    /// The buffers, for the next round.
    fn into_work(self) -> Work {
        self.b
    }

    /// `P` for challenger `i` against target `j`.
    #[cfg(test)]
    fn prob(&self, i: usize, j: usize) -> f64 {
        self.b.p[self.b.at[i] * self.b.pos.len() + self.b.at[j]]
    }

    /// Plays the round: risk exponents, then offers. Leaves the new
    /// positions in `b.next` and the risk exponents in `b.risk`, and
    /// appends the moves to `moves` when given.
    ///
    /// On x86-64 processors with AVX2 the round runs in a copy compiled for
    /// them, where the loops over arrays (above all `exp` and `ln`) work on
    /// four numbers at a time. Both copies do the same IEEE operations in
    /// the same order (Rust never fuses or reorders floating-point
    /// arithmetic on its own), so they give the same bits (tested).
    fn round(&mut self, moves: Option<&mut Vec<Move>>) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            return unsafe { self.round_avx2(moves) };
        }
        self.round_here(moves)
    }

    /// [`round`](Ctx::round) compiled for AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn round_avx2(&mut self, moves: Option<&mut Vec<Move>>) {
        self.round_here(moves)
    }

    /// [`round`](Ctx::round) for whatever the build targets; everything it
    /// calls is inlined, so that it is compiled with the caller's features.
    #[inline(always)]
    fn round_here(&mut self, mut moves: Option<&mut Vec<Move>>) {
        let n = self.n;
        let x = self.x;
        self.b.next.clear();
        self.b.next.extend_from_slice(x);
        self.b.risk.clear();
        if self.delta.is_nan() || self.delta <= 0.0 || n < 2 {
            self.b.risk.resize(n, 1.0);
            return;
        }
        // Risk: every exponent 1.
        self.probabilities(Voters::Positions);
        self.exposures();
        let exposure = &self.b.exposure;
        let max = exposure.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = exposure.iter().copied().fold(f64::INFINITY, f64::min);
        self.b.risk.extend(exposure.iter().map(|&e| {
            let big_r = if max > min { (2.0 * e - max - min) / (max - min) } else { 0.0 };
            (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
        }));
        // Offers, with the new exponents.
        self.powers();
        if self.config.voter_risk {
            self.probabilities(Voters::Actors);
        }
        for (i, &xi) in x.iter().enumerate() {
            if let Some(offer) = self.best_offer(i) {
                self.b.next[i] = offer.to;
                if let Some(moves) = moves.as_deref_mut() {
                    moves.push(Move {
                        actor: i,
                        kind: offer.kind,
                        counterpart: Some(offer.from),
                        from: vec![xi],
                        to: vec![offer.to],
                    });
                }
            }
        }
    }

    /// Fills `p` (and `p_t`) with the probabilities of success.
    ///
    /// A voter's vote between positions `q < r` is positive (for `q`) when
    /// it sits below their midpoint, negative above it and 0 on it, whatever
    /// its exponent. With voters sorted by position and, per candidate
    /// position, prefix sums of `wₖ uₖ`, the positive and negative votes on a
    /// pair are differences of two prefix sums each.
    #[inline(always)]
    fn probabilities(&mut self, who: Voters) {
        let (n, m) = (self.n, self.b.pos.len());
        let Work { count, at, order, p, p_t, dist, pow, weight_at, voters, first, prefix, pair, split, .. } =
            &mut self.b;
        voters.clear();
        let utilities: &[f64] = match who {
            Voters::Positions => {
                weight_at.clear();
                weight_at.resize(m, 0.0);
                for k in 0..n {
                    weight_at[at[k]] += self.w[k];
                }
                voters.extend(weight_at.iter().enumerate().map(|(q, &w)| (q, q, w)));
                dist
            }
            Voters::Actors => {
                voters.extend(order.iter().map(|&k| (at[k], k, self.w[k])));
                &pow[2 * n * m..3 * n * m]
            }
        };
        let v = voters.len();
        // Row t + 1 is row t plus voter t's weighted utilities (a voter's
        // utility at its own position is 0): independent sums per position,
        // vectorised, each in voter order.
        fit(prefix, (v + 1) * m);
        prefix[..m].fill(0.0);
        for (t, &(_, row, w)) in voters.iter().enumerate() {
            let (done, rest) = prefix.split_at_mut((t + 1) * m);
            let previous = &done[t * m..];
            for ((out, &before), &u) in rest[..m].iter_mut().zip(previous).zip(&utilities[row * m..(row + 1) * m]) {
                *out = before + w * u;
            }
        }
        // first[h]: the voters at positions below pos[h].
        first.clear();
        first.resize(m + 1, 0);
        for &(q, _, _) in voters.iter() {
            first[q + 1] += 1;
        }
        for h in 0..m {
            first[h + 1] += first[h];
        }
        // Numerators into `p`, the votes cast on each pair into `pair`.
        fit(p, m * m);
        fit(p_t, m * m);
        fit(pair, m * m);
        // Slices of the exact sizes: no buffer can change under the loops.
        let (count, first) = (&count[..m], &first[..m + 1]);
        let (p, p_t, pair, prefix) = (&mut p[..m * m], &mut p_t[..m * m], &mut pair[..m * m], &prefix[..(v + 1) * m]);
        let at_prefix = |t: usize, q: usize| prefix[t * m + q];
        let split = &split[..m * m];
        for q in 0..m {
            for r in q + 1..m {
                // Voters strictly below the midpoint, and up to it.
                let (h, h_up) = split[q * m + r];
                let (below, upto) = (first[h as usize], first[h_up as usize]);
                // For q: voters below the midpoint; for r: voters above it.
                let for_q = at_prefix(below, r) - at_prefix(below, q);
                let for_r = (at_prefix(v, q) - at_prefix(upto, q)) - (at_prefix(v, r) - at_prefix(upto, r));
                let (for_q, for_r) = (for_q.max(0.0), for_r.max(0.0));
                let (qr, rq) = match self.config.numerator {
                    Numerator::PositiveVotes => (for_q, for_r),
                    Numerator::NetVotes => ((for_q - for_r).max(0.0), (for_r - for_q).max(0.0)),
                };
                p[q * m + r] = qr;
                p[r * m + q] = rq;
                pair[q * m + r] = for_q + for_r;
                pair[r * m + q] = for_q + for_r;
            }
        }
        // Every ordered pair of actors: pairs of positions, by their counts.
        let mut all = 0.0;
        for q in 0..m {
            for r in q + 1..m {
                all += 2.0 * count[q] * count[r] * pair[q * m + r];
            }
        }
        let all_inverse = 1.0 / all;
        for q in 0..m {
            p[q * m + q] = 0.0;
            p_t[q * m + q] = 0.0;
            for r in q + 1..m {
                let den = match self.config.denominator {
                    Denominator::Pair => pair[q * m + r],
                    Denominator::AllPairs => all,
                };
                let (qr, rq) = if den.is_nan() || den <= 0.0 {
                    (0.0, 0.0)
                } else {
                    let inverse = match self.config.denominator {
                        Denominator::Pair => 1.0 / den,
                        Denominator::AllPairs => all_inverse,
                    };
                    (p[q * m + r] * inverse, p[r * m + q] * inverse)
                };
                (p[q * m + r], p[r * m + q]) = (qr, rq);
                (p_t[r * m + q], p_t[q * m + r]) = (qr, rq);
            }
        }
    }

    /// What an actor at target position `qt` pays besides the challenge
    /// when a challenger at `qc` weighs it, with exponent `r`:
    /// `Q U_sq + (1 − Q)(T U_b + (1 − T) U_w)`.
    #[inline(always)]
    fn charge(&self, r: f64, qc: usize, qt: usize, status_quo: f64) -> f64 {
        let cfg = self.config;
        let mut charge = 0.0;
        if cfg.q != 0.0 {
            charge += cfg.q * status_quo;
        }
        if cfg.q != 1.0 {
            let pos = &self.b.pos;
            let spread = ((pos[qc] - self.mu).abs() + (pos[qc] - pos[qt]).abs()) / self.delta;
            let better = utility(0.5 - 0.25 * spread, r);
            let worse = utility(0.5 + 0.25 * spread, r);
            charge += (1.0 - cfg.q) * (cfg.t * better + (1.0 - cfg.t) * worse);
        }
        charge
    }

    /// `EU(Δxᵢⱼ)` from its parts: the target's salience `sⱼ`, `Uₛ`, the
    /// challenge's lottery `P Uₛ + (1 − P) U_f` and the charge.
    #[inline(always)]
    fn eu(sj: f64, success: f64, lottery: f64, charge: f64) -> f64 {
        sj * lottery + (1.0 - sj) * success - charge
    }

    /// `EU(Δxᵢⱼ)`: the expected utility of `i` challenging `j`, seen with
    /// risk exponent `r`, given `Uₛ` and `U_f` at their distance and `U_sq`.
    #[cfg(test)]
    fn expected_utility(&self, r: f64, i: usize, j: usize, success: f64, failure: f64, status_quo: f64) -> f64 {
        let (qi, qj) = (self.b.at[i], self.b.at[j]);
        let p = self.b.p[qi * self.b.pos.len() + qj];
        Ctx::eu(self.b.s[j], success, p * success + (1.0 - p) * failure, self.charge(r, qi, qj, status_quo))
    }

    /// Every actor's exposure with every exponent 1: `Sᵢ`, the sum over the
    /// other actors `j` of `EU(Δxⱼᵢ) = sᵢ Lⱼᵢ + (1 − sᵢ) Uₛ − Cⱼᵢ`, which
    /// depends on `i` through its position and its salience alone.
    #[inline(always)]
    fn exposures(&mut self) {
        let m = self.b.pos.len();
        let status_quo = utility(0.5, 1.0);
        let mut sums = [
            std::mem::take(&mut self.b.sum_lottery),
            std::mem::take(&mut self.b.sum_success),
            std::mem::take(&mut self.b.sum_charge),
        ];
        for sum in &mut sums {
            sum.clear();
            sum.resize(m, 0.0);
        }
        let [lottery, success, charge] = &mut sums;
        let Work { count, dist, p, .. } = &self.b;
        // Challenger position q outer, target t inner: each target's sums
        // still run over q in order, and the inner loop vectorises.
        for (q, &at_q) in count.iter().enumerate() {
            let row = q * m..(q + 1) * m;
            for (t, ((l, s), (&d, &p))) in
                lottery.iter_mut().zip(success.iter_mut()).zip(dist[row.clone()].iter().zip(&p[row])).enumerate()
            {
                // The challengers at q: one fewer at the target's own position.
                let c = at_q - if q == t { 1.0 } else { 0.0 };
                let (su, fa) = (2.0 - 4.0 * (0.5 - 0.5 * d).max(0.0), 2.0 - 4.0 * (0.5 + 0.5 * d));
                *l += c * (p * su + (1.0 - p) * fa);
                *s += c * su;
            }
        }
        let simple = self.config.q == 1.0;
        for (q, &at_q) in count.iter().enumerate() {
            for (t, total) in charge.iter_mut().enumerate() {
                let c = at_q - if q == t { 1.0 } else { 0.0 };
                *total += c * if simple { status_quo } else { self.charge(1.0, q, t, status_quo) };
            }
        }
        let [lottery, success, charge] = sums;
        self.b.exposure.clear();
        for i in 0..self.n {
            let (t, si) = (self.b.at[i], self.b.s[i]);
            self.b.exposure.push(Ctx::eu(si, success[t], lottery[t], charge[t]));
        }
        (self.b.sum_lottery, self.b.sum_success, self.b.sum_charge) = (lottery, success, charge);
    }

    /// Every actor's powers of `d`, `½ − ½d` and `½ + ½d` to every position,
    /// with its risk exponent: arrays of `exp(r ln b)`, which vectorise.
    #[inline(always)]
    fn powers(&mut self) {
        let (n, m) = (self.n, self.b.pos.len());
        let nm = n * m;
        let tables = if self.config.voter_risk { 3 } else { 2 };
        let Work { at, risk, dist, ln_d, ln_good, ln_bad, pow, .. } = &mut self.b;
        fit(pow, tables * nm);
        let pow = &mut pow[..tables * nm];
        // r ln b for every actor and position, then one long loop of exp.
        for (i, (&q, &r)) in at.iter().zip(risk.iter()).enumerate() {
            let row = q * m..(q + 1) * m;
            for (t, logs) in
                [&ln_good[row.clone()], &ln_bad[row.clone()], &ln_d[row]].into_iter().take(tables).enumerate()
            {
                for (out, &l) in pow[t * nm + i * m..t * nm + (i + 1) * m].iter_mut().zip(logs) {
                    *out = r * l;
                }
            }
        }
        for v in pow.iter_mut() {
            *v = exp(*v);
        }
        // With r = 1, the bases themselves.
        for (i, (&q, _)) in at.iter().zip(risk.iter()).enumerate().filter(|(_, (_, &r))| r == 1.0) {
            for (k, &d) in dist[q * m..(q + 1) * m].iter().enumerate() {
                pow[i * m + k] = (0.5 - 0.5 * d).max(0.0);
                pow[nm + i * m + k] = 0.5 + 0.5 * d;
                if tables == 3 {
                    pow[2 * nm + i * m + k] = d;
                }
            }
        }
    }

    /// The offer actor `i` takes, if any.
    #[inline(always)]
    fn best_offer(&mut self, i: usize) -> Option<Offer> {
        let (n, x, m) = (self.n, self.x, self.b.pos.len());
        let (qi, si, r) = (self.b.at[i], self.b.s[i], self.b.risk[i]);
        let mut tables = [
            std::mem::take(&mut self.b.success),
            std::mem::take(&mut self.b.lottery),
            std::mem::take(&mut self.b.theirs),
            std::mem::take(&mut self.b.charge),
        ];
        for table in &mut tables {
            fit(table, m);
        }
        let [success, lottery, theirs, charge] = &mut tables;
        let (success, lottery, theirs, charge) =
            (&mut success[..m], &mut lottery[..m], &mut theirs[..m], &mut charge[..m]);
        // Uₛ, i's lottery in a challenge and its estimate of the expected
        // utility of a challenge against it depend on the counterpart's
        // position only: once per position, in one vectorised pass.
        let row = i * m..(i + 1) * m;
        let nm = n * m;
        let (good, bad) = (&self.b.pow[row.clone()], &self.b.pow[nm + row.start..nm + row.end]);
        // U_sq: the diagonal holds (½)^r.
        let status_quo = 2.0 - 4.0 * good[qi];
        let (p_out, p_in) = (&self.b.p[qi * m..(qi + 1) * m], &self.b.p_t[qi * m..(qi + 1) * m]);
        // With Q = 1 the charge is U_sq whoever challenges.
        let simple = self.config.q == 1.0;
        for ((su, lo), ((&g, &b), &po)) in
            success.iter_mut().zip(lottery.iter_mut()).zip(good.iter().zip(bad).zip(p_out))
        {
            let (s, f) = (2.0 - 4.0 * g, 2.0 - 4.0 * b);
            *su = s;
            *lo = po * s + (1.0 - po) * f;
        }
        for (th, ((&g, &b), &pi)) in theirs.iter_mut().zip(good.iter().zip(bad).zip(p_in)) {
            let (s, f) = (2.0 - 4.0 * g, 2.0 - 4.0 * b);
            *th = si * (pi * s + (1.0 - pi) * f) + (1.0 - si) * s;
        }
        if simple {
            for th in theirs.iter_mut() {
                *th = denoise(*th - status_quo);
            }
        }
        if simple {
            charge.fill(status_quo);
        } else {
            for q in 0..m {
                theirs[q] = denoise(theirs[q] - self.charge(r, q, qi, status_quo));
                charge[q] = self.charge(r, qi, q, status_quo);
            }
        }
        // i's own position offers nothing.
        theirs[qi] = 0.0;
        let replication = self.config.priority == OfferPriority::Replication;
        // The best offer so far and its rank (Replication: confrontations,
        // then compromises, then capitulations) and key.
        let mut best: Option<(Offer, u8, f64)> = None;
        let (at, s, xi) = (&self.b.at[..n], &self.b.s[..n], x[i]);
        // Every offer needs the counterpart to gain (`theirs > 0`; a
        // confrontation has theirs > mine > 0): the others are skipped, by a
        // branch-free pass listing the rest in actor order.
        let mut gain = std::mem::take(&mut self.b.gain);
        gain.clear();
        gain.resize(n, 0);
        let mut len = 0;
        for (j, &q) in at.iter().enumerate() {
            gain[len] = j;
            len += usize::from(theirs[q] > 0.0);
        }
        for &j in &gain[..len] {
            let q = at[j];
            let theirs = theirs[q];
            let mine = denoise(Ctx::eu(s[j], success[q], lottery[q], charge[q]));
            let (kind, to) = if greater(theirs, mine) && mine > 0.0 {
                (MoveKind::Confrontation, x[j])
            } else if mine < 0.0 {
                if greater(theirs, -mine) {
                    (MoveKind::Compromise, xi + (x[j] - xi) * (mine / theirs).abs())
                } else {
                    (MoveKind::Capitulation, x[j])
                }
            } else {
                continue;
            };
            // Smaller keys win; the first of equal keys is kept.
            let (rank, key) = match (replication, kind) {
                (false, _) => (0, (to - xi).abs()),
                (true, MoveKind::Confrontation) => (0, (to - xi).abs()),
                (true, MoveKind::Compromise) => (1, (-mine * xi + theirs * x[j]) / (-mine + theirs)),
                (true, _) => (2, (to - xi).abs()),
            };
            let better = match &best {
                None => true,
                Some((_, b_rank, b_key)) => rank < *b_rank || (rank == *b_rank && greater(*b_key, key)),
            };
            if better {
                best = Some((Offer { kind, from: j, to }, rank, key));
            }
        }
        let best = best.map(|(offer, _, _)| offer);
        self.b.gain = gain;
        [self.b.success, self.b.lottery, self.b.theirs, self.b.charge] = tables;
        best
    }
}

/// An accepted offer: the kind, the counterpart and the new position.
struct Offer {
    kind: MoveKind,
    from: usize,
    to: f64,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::forecast::runner::{run, Termination};

    /// Bueno de Mesquita's (1994) emission-standards example, as in
    /// `../shared/data/bdm/emission_standards_bdm1994.csv` (Scholz et al.
    /// 2011, Table 1).
    pub(crate) fn emission_standards() -> ForecastInput {
        let rows = [
            ("Netherlands", 0.08, 4.0, 0.8),
            ("Belgium", 0.08, 7.0, 0.4),
            ("Luxembourg", 0.03, 4.0, 0.2),
            ("Germany", 0.16, 4.0, 0.8),
            ("France", 0.16, 10.0, 0.6),
            ("Italy", 0.16, 10.0, 0.6),
            ("UK", 0.16, 10.0, 0.9),
            ("Ireland", 0.05, 7.0, 0.1),
            ("Denmark", 0.05, 4.0, 1.0),
            ("Greece", 0.08, 7.0, 0.7),
        ];
        ForecastInput::one_issue("emission-standards", 4.0, 10.0, None, rows).unwrap()
    }

    fn four(xs: &[f64]) -> Vec<String> {
        xs.iter().map(|x| format!("{x:.4}")).collect()
    }

    #[test]
    fn replication_preset_reproduces_the_reference_trajectory() {
        let model = Eum::replication();
        let input = emission_standards();
        let run = run(&model, &input, &RunConfig::for_model(&model)).unwrap();
        assert_eq!(run.termination, Termination::MaxRounds);
        let means: Vec<f64> = run.rounds.iter().map(|r| r.metric("mean").unwrap()).collect();
        assert_eq!(
            four(&means),
            [
                "7.3900", "7.4613", "7.5525", "7.5901", "7.3581", "7.3492", "7.4149", "7.5105", "7.5724", "7.3250",
                "7.2421"
            ]
        );
        assert_eq!(run.rounds[0].metric("median"), Some(7.0));
        let risk = run.rounds[1].per_actor("risk").unwrap();
        assert_eq!(
            four(risk),
            ["1.4057", "0.7542", "0.5089", "1.4057", "1.0465", "1.0465", "1.9649", "0.5000", "2.0000", "1.1121"]
        );
        let moves: Vec<(usize, MoveKind, Option<usize>, String)> =
            run.rounds[1].moves().iter().map(|m| (m.actor, m.kind, m.counterpart, format!("{:.6}", m.to[0]))).collect();
        assert_eq!(
            moves,
            [
                (1, MoveKind::Compromise, Some(4), "8.415932".to_string()),
                (2, MoveKind::Confrontation, Some(1), "7.000000".to_string()),
                (7, MoveKind::Confrontation, Some(2), "4.000000".to_string()),
            ]
        );
    }

    #[test]
    fn paper_preset_round_one_risk_exponents() {
        let model = Eum::paper();
        let run = run(&model, &emission_standards(), &RunConfig { max_rounds: 1, tolerance: None }).unwrap();
        assert_eq!(
            four(run.rounds[1].per_actor("risk").unwrap()),
            ["1.1272", "0.7809", "0.5000", "1.1272", "1.0779", "1.0779", "2.0000", "0.5248", "1.4717", "1.1405"]
        );
    }

    /// A hand-worked round on two actors (the risk step has max = min
    /// exposure only when the actors are symmetric, so take three).
    #[test]
    fn hand_worked_probabilities_and_utilities() {
        // Positions 0, 0, 10; weights 1, 1, 2; Δ = 10; all exponents 1.
        let input = ForecastInput::one_issue(
            "i",
            0.0,
            10.0,
            None,
            [("a", 1.0, 0.0, 1.0), ("b", 1.0, 0.0, 1.0), ("c", 2.0, 10.0, 1.0)],
        )
        .unwrap();
        let w = input.weights(0);
        let x = [0.0, 0.0, 10.0];
        let paper = EumConfig::paper();
        let mut ctx = Ctx::new(&input, &paper, &w, &x);
        ctx.probabilities(Voters::Positions);
        // Votes for c (10) over a (0): a −1, b −1, c +2; net 0 → P = 0.
        assert_eq!(ctx.prob(2, 0), 0.0);
        // Pair denominator 4; for a over c the net is 0 as well.
        assert_eq!(ctx.prob(0, 2), 0.0);
        let replication = EumConfig::replication();
        let mut ctx = Ctx::new(&input, &replication, &w, &x);
        ctx.probabilities(Voters::Positions);
        // Positive votes for c over a: 2; all pairs: 4 ordered pairs with
        // distinct positions × 4 = 16 → P = 1/8.
        assert_eq!(ctx.prob(2, 0), 0.125);
        assert_eq!(ctx.prob(0, 1), 0.0, "a and b share a position");
        // EU of c challenging a with r = 1: d = 1, Uₛ = 2, U_f = −2, U_sq = 0;
        // s_a = 1: P·2 + (1 − P)(−2) = 0.25 − 1.75 = −1.5.
        let (success, failure) = (utility(0.0, 1.0), utility(1.0, 1.0));
        assert_eq!((success, failure), (2.0, -2.0));
        assert_eq!(ctx.expected_utility(1.0, 2, 0, success, failure, 0.0), -1.5);
    }

    /// The equations written out plainly (no regrouping, `powf` everywhere,
    /// every actor pair), with the same noise rule: the fast round must give
    /// the same trajectory.
    fn reference_round(input: &ForecastInput, cfg: &EumConfig, x: &[f64]) -> Vec<f64> {
        let n = x.len();
        let w = input.weights(0);
        let s: Vec<f64> = input.actors.iter().map(|a| a.salience[0]).collect();
        let delta = match cfg.delta {
            Delta::Initial => {
                let xs: Vec<f64> = input.actors.iter().map(|a| a.position[0]).collect();
                xs.iter().copied().fold(f64::NEG_INFINITY, f64::max) - xs.iter().copied().fold(f64::INFINITY, f64::min)
            }
            Delta::Current => {
                x.iter().copied().fold(f64::NEG_INFINITY, f64::max) - x.iter().copied().fold(f64::INFINITY, f64::min)
            }
            Delta::Scale => input.span(0),
        };
        if delta <= 0.0 {
            return x.to_vec();
        }
        let vote = |k: usize, a: f64, b: f64, rho: &[f64]| {
            let r = if cfg.voter_risk { rho[k] } else { 1.0 };
            w[k] * (((x[k] - b).abs() / delta).powf(r) - ((x[k] - a).abs() / delta).powf(r))
        };
        let all_pairs = |rho: &[f64]| -> f64 {
            (0..n)
                .flat_map(|k| (0..n).flat_map(move |a| (0..n).map(move |b| (k, a, b))))
                .map(|(k, a, b)| vote(k, x[a], x[b], rho).abs())
                .sum()
        };
        let ones = vec![1.0; n];
        let all_ones = all_pairs(&ones);
        let prob = |i: usize, j: usize, rho: &[f64], all: f64| {
            if x[i] == x[j] {
                return 0.0;
            }
            let num = match cfg.numerator {
                Numerator::PositiveVotes => (0..n).map(|k| vote(k, x[i], x[j], rho).max(0.0)).sum::<f64>(),
                Numerator::NetVotes => (0..n).map(|k| vote(k, x[i], x[j], rho)).sum::<f64>().max(0.0),
            };
            let den: f64 = match cfg.denominator {
                Denominator::Pair => (0..n).map(|k| vote(k, x[i], x[j], rho).abs()).sum(),
                Denominator::AllPairs => all,
            };
            num / den
        };
        let eu = |r: f64, i: usize, j: usize, rho: &[f64], all: f64| {
            let d = (x[i] - x[j]).abs() / delta;
            let u = |base: f64| 2.0 - 4.0 * base.max(0.0).powf(r);
            let p = prob(i, j, rho, all);
            s[j] * (p * u(0.5 - 0.5 * d) + (1.0 - p) * u(0.5 + 0.5 * d)) + (1.0 - s[j]) * u(0.5 - 0.5 * d)
                - cfg.q * u(0.5)
        };
        let exposure: Vec<f64> =
            (0..n).map(|i| (0..n).filter(|&j| j != i).map(|j| eu(1.0, j, i, &ones, all_ones)).sum()).collect();
        let (max, min) = (
            exposure.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            exposure.iter().copied().fold(f64::INFINITY, f64::min),
        );
        let risk: Vec<f64> = exposure
            .iter()
            .map(|&e| {
                let big_r = if max > min { (2.0 * e - max - min) / (max - min) } else { 0.0 };
                (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
            })
            .collect();
        let all_risk = all_pairs(&risk);
        let mut next = x.to_vec();
        for i in 0..n {
            let mut best: Option<(f64, f64, f64)> = None;
            for j in 0..n {
                if j == i || x[i] == x[j] {
                    continue;
                }
                let mine = denoise(eu(risk[i], i, j, &risk, all_risk));
                let theirs = denoise(eu(risk[i], j, i, &risk, all_risk));
                let (rank, to) = if greater(theirs, mine) && mine > 0.0 {
                    (0, x[j])
                } else if theirs > 0.0 && mine < 0.0 {
                    if greater(theirs, mine.abs()) {
                        (1, x[i] + (x[j] - x[i]) * (mine / theirs).abs())
                    } else {
                        (2, x[j])
                    }
                } else {
                    continue;
                };
                let (rank, key) = match cfg.priority {
                    OfferPriority::LeastMovement => (0, (to - x[i]).abs()),
                    OfferPriority::Replication if rank == 1 => {
                        (1, (mine.abs() * x[i] + theirs.abs() * x[j]) / (mine.abs() + theirs.abs()))
                    }
                    OfferPriority::Replication => (rank, (to - x[i]).abs()),
                };
                let rank = rank as f64;
                if best.is_none_or(|(br, bk, _)| rank < br || (rank == br && greater(bk, key))) {
                    best = Some((rank, key, to));
                }
            }
            if let Some((_, _, to)) = best {
                next[i] = to;
            }
        }
        next
    }

    #[test]
    fn fast_rounds_follow_the_plain_equations() {
        let mut seed = 99u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        let mut inputs = vec![emission_standards()];
        for case in 0..60 {
            let n = 3 + case % 15;
            let rows: Vec<(String, f64, f64, f64)> = (0..n)
                .map(|k| {
                    // Some shared positions, as in real data.
                    let x = if next() < 0.3 { 50.0 } else { (next() * 100.0).round() };
                    (format!("a{k}"), next(), x, next())
                })
                .collect();
            inputs.push(
                ForecastInput::one_issue("r", 0.0, 100.0, None, rows.iter().map(|r| (r.0.as_str(), r.1, r.2, r.3)))
                    .unwrap(),
            );
        }
        for input in &inputs {
            for (cfg, model) in [(EumConfig::replication(), Eum::replication()), (EumConfig::paper(), Eum::paper())] {
                let run = run(&model, input, &RunConfig { max_rounds: 10, tolerance: None }).unwrap();
                let mut x: Vec<f64> = input.actors.iter().map(|a| a.position[0]).collect();
                for round in &run.rounds[1..] {
                    x = reference_round(input, &cfg, &x);
                    for (a, b) in x.iter().zip(&round.positions) {
                        assert!(
                            (a - b).abs() < 1e-9,
                            "{} round {}: {x:?} vs {:?}",
                            model.name,
                            round.round,
                            round.positions
                        );
                    }
                    x.clone_from(&round.positions);
                }
            }
        }
    }

    /// Random issues of 1 to 23 actors (some sharing a position, some with
    /// zero capability or salience) and the edge cases: nobody cares, one
    /// actor, one position.
    fn random_inputs() -> Vec<ForecastInput> {
        let mut seed = 2024u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        let mut inputs = vec![emission_standards()];
        for case in 0..40 {
            let n = 1 + case % 23;
            let rows: Vec<(String, f64, f64, f64)> = (0..n)
                .map(|k| {
                    let x = if next() < 0.3 { 40.0 } else { next() * 100.0 };
                    // Some zero capabilities and saliences, as in real data.
                    let c = if next() < 0.1 { 0.0 } else { next() };
                    let s = if next() < 0.1 { 0.0 } else { next() };
                    (format!("a{k}"), c, x, s)
                })
                .collect();
            inputs.push(
                ForecastInput::one_issue("r", 0.0, 100.0, None, rows.iter().map(|r| (r.0.as_str(), r.1, r.2, r.3)))
                    .unwrap(),
            );
        }
        // Edge cases: nobody cares (equal weights), one actor, one position.
        for rows in [
            vec![("a", 1.0, 10.0, 0.0), ("b", 2.0, 60.0, 0.0), ("c", 0.0, 90.0, 0.5)],
            vec![("a", 1.0, 10.0, 0.5)],
            vec![("a", 1.0, 30.0, 0.5), ("b", 2.0, 30.0, 0.9)],
        ] {
            inputs.push(ForecastInput::one_issue("e", 0.0, 100.0, None, rows).unwrap());
        }
        inputs
    }

    /// Both presets and variants of them exercising every option.
    fn variants() -> Vec<Eum> {
        let mut variants = vec![Eum::replication(), Eum::paper()];
        for (k, base) in [EumConfig::replication(), EumConfig::paper()].into_iter().enumerate() {
            let name = if k == 0 { "eum-replication" } else { "eum-paper" };
            variants.push(Eum { name, config: EumConfig { q: 0.7, t: 0.4, center: Center::Mean, ..base } });
            variants.push(Eum { name, config: EumConfig { delta: Delta::Scale, outcome: Outcome::Mean, ..base } });
            variants.push(Eum {
                name,
                config: EumConfig { numerator: Numerator::NetVotes, denominator: Denominator::AllPairs, ..base },
            });
        }
        variants
    }

    /// The fast path (Monte Carlo's) gives the runner's forecast and final
    /// positions bit for bit, after every number of rounds, for every
    /// option, on random inputs, with one set of buffers reused throughout.
    #[test]
    fn fast_path_equals_the_runner_bit_for_bit() {
        let (inputs, variants) = (random_inputs(), variants());
        let mut scratch = Scratch::default();
        for input in &inputs {
            for model in &variants {
                for tolerance in [None, Some(0.0), Some(0.01)] {
                    let config = RunConfig { max_rounds: 10, tolerance };
                    let full = run(model, input, &config).unwrap();
                    let fast = runner::forecast(model, input, &config, &mut scratch).unwrap();
                    assert_eq!(fast.len(), 1);
                    assert_eq!(fast[0].to_bits(), full.forecast()[0].to_bits(), "{model:?} {tolerance:?}");
                    for rounds in 0..=full.last().round {
                        let config = RunConfig { max_rounds: rounds, tolerance };
                        let mut fast = Fast::default();
                        let forecast = model.run_fast(input, &config, &mut fast).unwrap();
                        let round = &full.rounds[rounds];
                        assert_eq!(forecast.to_bits(), round.forecast[0].to_bits());
                        let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                        assert_eq!(bits(&fast.x), bits(&round.positions), "{model:?} round {rounds}");
                    }
                }
            }
        }
        // A model of another kind may have used the scratch before.
        let mut scratch = Scratch::default();
        *scratch.get::<Vec<u8>>() = vec![1, 2, 3];
        let model = Eum::replication();
        let config = RunConfig::for_model(&model);
        let fast = runner::forecast(&model, &emission_standards(), &config, &mut scratch).unwrap();
        assert_eq!(fast, run(&model, &emission_standards(), &config).unwrap().forecast());
    }

    /// The copy of a round compiled for AVX2 gives the same bits as the
    /// plain one, round after round, for every option.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_rounds_give_the_same_bits() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            eprintln!("no AVX2 on this processor: one copy of the round only");
            return;
        }
        let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for input in &random_inputs() {
            let w = input.weights(0);
            for model in &variants() {
                let mut x: Vec<f64> = input.actors.iter().map(|a| a.position[0]).collect();
                for _ in 0..10 {
                    let mut pos = x.clone();
                    pos.sort_by(f64::total_cmp);
                    pos.dedup();
                    let (mut plain_work, mut avx2_work) = (Work::default(), Work::default());
                    (plain_work.pos, avx2_work.pos) = (pos.clone(), pos);
                    let delta = range(x.iter().copied());
                    plain_work.pair_tables_here(delta);
                    // SAFETY: AVX2 is there, checked above.
                    unsafe { avx2_work.pair_tables_avx2(delta) };
                    assert_eq!(bits(&plain_work.ln_good), bits(&avx2_work.ln_good));
                    let mut plain = Ctx::new(input, &model.config, &w, &x);
                    plain.round_here(None);
                    let mut avx2 = Ctx::new(input, &model.config, &w, &x);
                    // SAFETY: as above.
                    unsafe { avx2.round_avx2(None) };
                    assert_eq!(bits(&plain.b.next), bits(&avx2.b.next), "{model:?}");
                    assert_eq!(bits(&plain.b.risk), bits(&avx2.b.risk), "{model:?}");
                    x = plain.into_work().next;
                }
            }
        }
    }

    #[test]
    fn identical_positions_do_not_move() {
        let input =
            ForecastInput::one_issue("i", 0.0, 10.0, None, [("a", 1.0, 5.0, 1.0), ("b", 1.0, 5.0, 0.5)]).unwrap();
        for model in [Eum::replication(), Eum::paper()] {
            let run = run(&model, &input, &RunConfig::for_model(&model)).unwrap();
            assert_eq!(run.forecast(), [5.0]);
            assert!(run.rounds.iter().all(|r| r.moves().is_empty()));
        }
        let paper = run(&Eum::paper(), &input, &RunConfig::for_model(&Eum::paper())).unwrap();
        assert_eq!((paper.termination, paper.rounds.len()), (Termination::Converged, 2));
    }
}
