//! A frequency opponent model steering offers toward the estimated Nash
//! point (the "smith frequency" / HardHeaded model of ANAC 2011, as
//! surveyed by Baarslag et al. 2016, "Learning about the opponent").
//!
//! **Model.** For every other party, per issue, how often each value
//! appeared in its offers; an issue whose value an opponent keeps from one
//! offer to the next gains weight (`+ε`, `ε = 0.2 / issues`, weights then
//! renormalised), since what a party insists on matters to it. The value
//! score is `(count + 1) / (largest count on the issue + 1)` and the
//! estimated utility `Σ weight·score`.
//!
//! **Beliefs.** When the scenario says what this negotiator's actor
//! believes about an opponent, that believed utility is the prior: the
//! estimate is `(p·believed + n·frequency) / (p + n)` after `n` offers
//! (`prior = p`, default 10 offers' worth), and the believed reservation
//! value is the opponent's estimated disagreement point (otherwise 0).
//! This is how a mistaken belief steers offers, as Tokyo's did.
//!
//! **Bidding.** A time-dependent target (exponent `e`, Faratin's
//! convention) fixes how much it asks for; among the outcomes with own
//! utility in `[target, target + window]` it offers the one with the
//! largest estimated Nash product `(u − r)·Π(û_j − r̂_j)` (ties: lower own
//! utility, then lower outcome number).

use super::Bidding;
use crate::negotiation::{Context, Turn};

/// Frequency-model bidding.
#[derive(Clone, Debug, PartialEq)]
pub struct FrequencyBidding {
    /// Concession exponent of the target.
    pub e: f64,
    /// Width of the utility band searched above the target.
    pub window: f64,
    /// Weight of a belief, in offers.
    pub prior: f64,
    models: Vec<Option<OpponentModel>>,
}

impl FrequencyBidding {
    /// The strategy with its parameters.
    pub fn new(e: f64, window: f64, prior: f64) -> FrequencyBidding {
        FrequencyBidding { e, window, prior, models: Vec::new() }
    }
}

/// What one negotiator has learnt about one opponent.
#[derive(Clone, Debug, PartialEq)]
pub struct OpponentModel {
    counts: Vec<Vec<u32>>,
    max_counts: Vec<u32>,
    weights: Vec<f64>,
    last: Option<usize>,
    offers: u32,
    believed: Option<(Vec<f64>, f64)>,
    prior: f64,
}

impl OpponentModel {
    fn new(ctx: &Context<'_>, believed: Option<(Vec<f64>, f64)>, prior: f64) -> OpponentModel {
        let issues = ctx.public.issue_count();
        OpponentModel {
            counts: (0..issues).map(|i| vec![0; ctx.public.value_count(i)]).collect(),
            max_counts: vec![0; issues],
            weights: vec![1.0 / issues.max(1) as f64; issues],
            last: None,
            offers: 0,
            believed,
            prior,
        }
    }

    /// Learns from one offer.
    pub fn update(&mut self, ctx: &Context<'_>, offer: usize) {
        let digits = ctx.public.digits(offer);
        if let Some(last) = self.last {
            let before = ctx.public.digits(last);
            let eps = 0.2 / self.weights.len().max(1) as f64;
            for (i, w) in self.weights.iter_mut().enumerate() {
                if digits[i] == before[i] {
                    *w += eps;
                }
            }
            let total: f64 = self.weights.iter().sum();
            for w in &mut self.weights {
                *w /= total;
            }
        }
        for (i, &d) in digits.iter().enumerate() {
            let c = &mut self.counts[i][d as usize];
            *c += 1;
            self.max_counts[i] = self.max_counts[i].max(*c);
        }
        self.last = Some(offer);
        self.offers += 1;
    }

    /// Estimated utility of outcome `k` to the opponent.
    pub fn utility(&self, ctx: &Context<'_>, k: usize) -> f64 {
        let digits = ctx.public.digits(k);
        let freq: f64 = digits
            .iter()
            .enumerate()
            .map(|(i, &d)| self.weights[i] * (self.counts[i][d as usize] + 1) as f64 / (self.max_counts[i] + 1) as f64)
            .sum();
        let n = self.offers as f64;
        match &self.believed {
            Some((u, _)) if self.prior + n > 0.0 => (self.prior * u[k] + n * freq) / (self.prior + n),
            _ => freq,
        }
    }

    /// Estimated reservation value.
    pub fn reservation(&self) -> f64 {
        self.believed.as_ref().map_or(0.0, |(_, r)| *r)
    }
}

impl Bidding for FrequencyBidding {
    fn start(&mut self, ctx: &Context<'_>) {
        self.models = (0..ctx.parties)
            .map(|slot| {
                (slot != ctx.slot).then(|| {
                    let believed =
                        ctx.beliefs.get(slot).copied().flatten().map(|b| (b.utilities.clone(), b.reservation));
                    OpponentModel::new(ctx, believed, self.prior)
                })
            })
            .collect();
    }

    fn observe(&mut self, ctx: &Context<'_>, _turn: Turn, offer: usize, from: usize) {
        if let Some(Some(m)) = self.models.get_mut(from) {
            m.update(ctx, offer);
        }
    }

    fn bid(&mut self, ctx: &Context<'_>, turn: Turn) -> usize {
        let own = ctx.own;
        let (lo, hi) = super::concession_band(own, self.e, self.window, turn.time);
        let mut best: Option<(f64, usize)> = None;
        for &k in &own.order[lo..hi] {
            let k = k as usize;
            let mut score = (own.utility(k) - own.reservation).max(0.0);
            for m in self.models.iter().flatten() {
                score *= (m.utility(ctx, k) - m.reservation()).max(0.0);
            }
            // Strictly better only: ties keep the earlier (lower-utility) one.
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, k));
            }
        }
        best.map_or_else(|| own.best(), |(_, k)| k)
    }
}
