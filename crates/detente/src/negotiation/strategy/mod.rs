//! Strategies, BOA-style (Baarslag et al. 2014): a *bidding strategy*
//! (which may keep an opponent model) proposes, an [`Acceptance`]
//! condition decides on offers, and [`Agent`] puts the two together as a
//! [`Negotiator`]. A new strategy is one new [`Bidding`] type plus a line
//! in [`registry`](super::registry).
//!
//! - [`concession`]: time-dependent concession (Faratin, Sierra & Jennings
//!   1998): Boulware, Linear, Conceder, any exponent, the hardliner, and
//!   NegMAS's aspiration curve;
//! - [`titfortat`]: relative and absolute tit-for-tat;
//! - [`random`]: uniformly random offers the party prefers to no agreement;
//! - [`frequency`]: a frequency opponent model steering offers toward the
//!   estimated Nash point, seeded by the scenario's beliefs;
//! - [`bayesian`]: a posterior over hypotheses about each opponent's
//!   utility, updated by Bayes' rule from its offers and replies, offers
//!   steered by the posterior.

pub mod bayesian;
pub mod concession;
pub mod frequency;
pub mod random;
pub mod titfortat;

use super::acceptance::{Acceptance, Situation};
use super::{Context, Negotiator, PosteriorView, Reply, Response, Turn};

/// How a negotiator chooses its offers.
pub trait Bidding: Send {
    /// Called once before the first turn.
    fn start(&mut self, ctx: &Context<'_>) {
        let _ = ctx;
    }

    /// Sees an offer another party made (every offer, once).
    fn observe(&mut self, ctx: &Context<'_>, turn: Turn, offer: usize, from: usize) {
        let _ = (ctx, turn, offer, from);
    }

    /// Sees another party's answer to an offer ([`Negotiator::replied`]).
    fn replied(&mut self, ctx: &Context<'_>, turn: Turn, reply: &Reply) {
        let _ = (ctx, turn, reply);
    }

    /// The posterior it keeps, if any ([`Negotiator::posterior`]).
    fn posterior(&self) -> Option<PosteriorView<'_>> {
        None
    }

    /// The bid to make at `turn`. Called at most once per turn.
    fn bid(&mut self, ctx: &Context<'_>, turn: Turn) -> usize;

    /// The utility level the strategy aims at in `turn`, when it bids by one
    /// (time-dependent concession: its target less its tolerance); what the
    /// `target` acceptance condition compares offers with. `None` (the
    /// default): the utility of the next bid stands in.
    fn threshold(&self, ctx: &Context<'_>, turn: Turn) -> Option<f64> {
        let _ = (ctx, turn);
        None
    }
}

/// A negotiator made of a bidding strategy and an acceptance condition.
///
/// When answering an offer it first works out the bid it would make next
/// (which AC_next compares with) and, if it rejects, makes exactly that
/// bid. It never accepts or offers an outcome it does not prefer to no
/// agreement, or one that breaks a constraint it believes holds (when its
/// strategy's bid is no better than no agreement it offers its best
/// outcome instead, and walks away when even that is no better). In the single-text
/// protocol it votes for an allowed proposal at least as good as the
/// current text, or one its acceptance condition would accept as an offer.
pub struct Agent {
    bidding: Box<dyn Bidding>,
    acceptance: Acceptance,
    pending: Option<(usize, usize)>,
    best_seen: f64,
    best_before: f64,
}

impl Agent {
    /// An agent bidding with `bidding` and accepting by `acceptance`.
    pub fn new(bidding: Box<dyn Bidding>, acceptance: Acceptance) -> Agent {
        Agent { bidding, acceptance, pending: None, best_seen: f64::NEG_INFINITY, best_before: f64::NEG_INFINITY }
    }

    fn next_bid(&mut self, ctx: &Context<'_>, turn: Turn) -> usize {
        match self.pending {
            Some((round, bid)) if round == turn.round => bid,
            _ => {
                let bid = self.bidding.bid(ctx, own_turn(ctx, turn));
                self.pending = Some((turn.round, bid));
                bid
            }
        }
    }

    fn acceptable(&mut self, ctx: &Context<'_>, turn: Turn, offer: usize, best_before: f64) -> bool {
        let u = ctx.own.utility(offer);
        if u <= ctx.own.reservation || !ctx.own.allows(offer) {
            return false;
        }
        let own = own_turn(ctx, turn);
        // What rejecting can win is its own next bid, accepted at its next
        // turn at the earliest: worth `d^Δt` of the same utility now.
        let wait = ctx.own.discounted(1.0, ctx.own_step(turn));
        let next = ctx.own.utility(self.next_bid(ctx, turn)) * wait;
        let target = self.bidding.threshold(ctx, own).map_or(next, |t| t * wait);
        self.acceptance.accepts(&Situation { offer: u, next, target, time: own.time, best_before })
    }
}

/// The turn as this party's bidding sees it: its own relative time
/// ([`Context::own_time`]: its own deadline when that comes first), run
/// faster by its discount factor `d`: `(1 − d^t) / (1 − d)`, the share of
/// what delay can cost that is already lost. The clock is unchanged at
/// `d = 1`, and never runs slower, so a party that discounts concedes no
/// later than one that does not.
pub fn own_turn(ctx: &Context<'_>, turn: Turn) -> Turn {
    let t = ctx.own_time(turn);
    let d = ctx.own.discount;
    let time = if d >= 1.0 { t } else { ((1.0 - d.powf(t)) / (1.0 - d)).clamp(t, 1.0) };
    Turn { round: turn.round, time }
}

impl Negotiator for Agent {
    fn start(&mut self, ctx: &Context<'_>) {
        self.bidding.start(ctx);
    }

    fn propose(&mut self, ctx: &Context<'_>, turn: Turn) -> Option<usize> {
        let bid = self.next_bid(ctx, turn);
        self.pending = None;
        // Offering commits the offerer, so it never offers what it likes no
        // better than no agreement: its best outcome instead, or, when even
        // that is no better, it walks away.
        let worth = |k: usize| ctx.own.utility(k) > ctx.own.reservation;
        if worth(bid) {
            Some(bid)
        } else {
            let best = ctx.own.best();
            worth(best).then_some(best)
        }
    }

    fn respond(&mut self, ctx: &Context<'_>, turn: Turn, offer: usize, _from: usize) -> Response {
        if self.acceptable(ctx, turn, offer, self.best_before) {
            Response::Accept
        } else {
            Response::Reject
        }
    }

    fn observe(&mut self, ctx: &Context<'_>, turn: Turn, offer: usize, from: usize) {
        self.best_before = self.best_seen;
        self.best_seen = self.best_seen.max(ctx.own.utility(offer));
        self.bidding.observe(ctx, turn, offer, from);
    }

    fn replied(&mut self, ctx: &Context<'_>, turn: Turn, reply: &Reply) {
        self.bidding.replied(ctx, turn, reply);
    }

    fn posterior(&self) -> Option<PosteriorView<'_>> {
        self.bidding.posterior()
    }

    fn vote(&mut self, ctx: &Context<'_>, turn: Turn, current: usize, proposal: usize) -> bool {
        if !ctx.own.allows(proposal) {
            return false;
        }
        if ctx.own.utility(proposal) >= ctx.own.utility(current) {
            return true;
        }
        let yes = self.acceptable(ctx, turn, proposal, f64::NEG_INFINITY);
        self.pending = None;
        yes
    }
}

/// `pmin + (pmax − pmin)·(1 − F(t))` with `F(t) = k + (1 − k)·t^(1/e)`:
/// Faratin et al.'s polynomial decision function. `e = 0` never concedes.
pub fn faratin_target(pmin: f64, pmax: f64, e: f64, k: f64, t: f64) -> f64 {
    let f = if e <= 0.0 { k } else { k + (1.0 - k) * t.powf(1.0 / e) };
    pmin + (pmax - pmin) * (1.0 - f)
}

/// The ranks `lo..hi` (in `own.order`, best first) of the outcomes whose
/// own utility lies in `[target, target + window]`, the target conceding
/// from the best outcome to the reservation with exponent `e` at time `t`;
/// never empty. The band the opponent-model strategies choose within.
pub(crate) fn concession_band(own: &super::domain::Preferences, e: f64, window: f64, t: f64) -> (usize, usize) {
    let pmax = own.max();
    let pmin = own.reservation.max(own.min()).min(pmax);
    let target = faratin_target(pmin, pmax, e, 0.0, t);
    let lo = own.rank_at_least(target).min(own.order.len() - 1);
    let hi = own.rank_at_least(target + window).max(lo + 1);
    (lo, hi)
}
